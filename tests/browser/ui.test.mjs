// Browser tests of the web UI: the real binary on a fresh demo database,
// driven through Debian's chromium with playwright-core (no downloaded
// browsers).  Run: node --test tests/browser/   (MENTORTRACK_BIN picks the
// binary; default build/mentortrack).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.MENTORTRACK_BIN || resolve(import.meta.dirname, '../../build/mentortrack');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'mentortrack-demo';
const SCREENSHOT = process.env.UI_SCREENSHOT || '/tmp/ui-overview.png';

let dir, server, url, browser;
const problems = []; // page errors and CSP violations, from every page

async function startServer() {
  dir = mkdtempSync(join(tmpdir(), 'mt-ui-'));
  const db = join(dir, 'ui.db');
  execFileSync(BIN, ['demo', '--no-serve', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${stderr}`)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)\//);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}: ${stderr}`)); });
  });
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh temporary --user-data-dir of its
    // own (and refuses one in args), so the profile is always new.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A fresh browser context (own cookies) with a page that records errors.
async function newPage(viewport = { width: 1360, height: 900 }) {
  const context = await browser.newContext({ viewport, baseURL: url });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.text().startsWith('CSP violation')) problems.push(m.text()); });
  return page;
}

// Sign in through the form; waits until signed in unless `expectFailure`.
async function signIn(page, who, password = PASSWORD, { expectFailure = false } = {}) {
  await page.goto('/');
  await page.getByLabel('Email').fill(`${who}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (!expectFailure) await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function openProgram(page) {
  await page.getByRole('link', { name: 'Mentoring Program 2026' }).click();
  await page.locator('#program-title').waitFor();
}

const names = (page, sel) => page.locator(sel).allTextContents();
const tabNames = (page) => page.locator('.tabs .tab').allTextContents();

// The admin's API session, for what the UI does not create (programs,
// program managers): api(method, path, body) -> the parsed answer.
async function adminApi() {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: PASSWORD }),
  });
  assert.equal(res.status, 200, 'the admin signs in');
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await res.json();
  return async (method, path, body) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await r.json();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  };
}

test('a wrong password shows the API error next to the form', async () => {
  const page = await newPage();
  await signIn(page, 'manager', 'not-the-password', { expectFailure: true });
  const error = page.locator('#login-error');
  await assert.doesNotReject(error.filter({ hasText: /wrong/i }).waitFor());
  assert.match(await error.textContent(), /email or password is wrong/i);
  assert.equal(await page.getByLabel('Password').evaluate((e) => e === document.activeElement), true);
  await page.context().close();
});

test('manager: the overview shows KPI figures and charts', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.locator('table.table').waitFor();
  await openProgram(page);
  assert.match(page.url(), /#\/programs\/1\/overview$/);
  const r1 = page.locator('.kpi[data-kpi="R1"] .kpi-value');
  await r1.waitFor();
  assert.match(await r1.textContent(), /\d/);
  for (const id of ['R2', 'P1', 'P4']) {
    assert.match(await page.locator(`.kpi[data-kpi="${id}"] .kpi-value`).textContent(), /\d/, `${id} has a figure`);
  }
  const canvas = page.locator('#chart-p1');
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  assert.ok(box.width > 100 && box.height > 100, 'the chart has a size');
  assert.equal(await page.evaluate(() => typeof window.Chart), 'function', 'Chart.js loaded');
  await page.waitForTimeout(400); // let the chart animations finish
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // The department filter reloads the figures for one department.
  const dept = page.getByLabel('Department', { exact: true });
  const options = await dept.locator('option').allTextContents();
  assert.ok(options.length > 2, 'departments are offered');
  const before = await r1.textContent();
  await dept.selectOption({ label: options[1] });
  await page.locator('#overview-body:not([aria-busy])').waitFor();
  const afterValue = await page.locator('.kpi[data-kpi="R1"] .kpi-value').textContent();
  assert.notEqual(afterValue, before, 'figures change with the department');
  await page.context().close();
});

test('manager: the members table sorts and filters', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.goto('/#/programs/1/members');
  const rows = '#members-results tbody tr';
  await page.locator(rows).first().waitFor();
  assert.equal(await page.locator(rows).count(), 25);
  await page.locator('#members-count', { hasText: /\d/ }).waitFor();
  const everyone = await page.locator('#members-count').textContent();
  const total = Number(everyone.replace(/\D/g, ''));
  assert.ok(total > 50, everyone);

  // Sorted by name ascending by default; the header says so.
  const nameHeader = page.locator('th:has(button[data-sort="name"])');
  assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
  const asc = await names(page, `${rows} .person-name`);
  assert.deepEqual(asc, [...asc].sort((a, b) => a.localeCompare(b)));
  await page.locator('button[data-sort="name"]').click();
  await page.locator('th[aria-sort="descending"] button[data-sort="name"]').waitFor();
  await page.waitForFunction((first) => document.querySelector('#members-results tbody .person-name')?.textContent !== first, asc[0]);
  const desc = await names(page, `${rows} .person-name`);
  assert.ok(desc[0].localeCompare(asc[0]) > 0, 'descending starts later in the alphabet');

  // Sort by capacity, descending.
  await page.locator('button[data-sort="capacity"]').click();
  await page.locator('th[aria-sort="ascending"] button[data-sort="capacity"]').waitFor();
  await page.locator('button[data-sort="capacity"]').click();
  await page.locator('th[aria-sort="descending"] button[data-sort="capacity"]').waitFor();
  await page.waitForLoadState('networkidle');
  const caps = (await names(page, `${rows} td:nth-child(5)`)).map((t) => Number(t) || 0);
  assert.deepEqual(caps, [...caps].sort((a, b) => b - a));

  // Filter: mentors only.
  await page.getByLabel('Role').selectOption('mentor');
  // (Sorted by capacity the first page is all mentors already: wait for the
  // count to change too.)
  await page.waitForFunction((all) => document.getElementById('members-count')?.textContent !== all, everyone);
  await page.waitForFunction(() => [...document.querySelectorAll('#members-results tbody td:nth-child(2)')].every((td) => td.textContent === 'Mentor'));
  const mentors = Number((await page.locator('#members-count').textContent()).replace(/\D/g, ''));
  assert.ok(mentors > 0 && mentors < total, 'fewer mentors than members');

  // Search narrows to one person.
  const someone = (await names(page, `${rows} .person-name`))[0];
  await page.getByLabel('Search').fill(someone);
  await page.waitForFunction((n) => {
    const cells = [...document.querySelectorAll('#members-results tbody .person-name')];
    return cells.length >= 1 && cells.every((c) => c.textContent.includes(n));
  }, someone);

  // Paging: clearing the filters and going to page 2.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.locator('#members-count', { hasText: everyone }).waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.locator('.pager-info', { hasText: `26–50 of ${total}` }).waitFor();
  await page.context().close();
});

test('manager: CSV import checks with a dry run, then imports', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.goto('/#/programs/1/members');
  await page.locator('#import-card summary').click();
  const file = page.getByLabel('CSV file');
  await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('email,role,capacity\nnobody@example.com,boss,x\n') });
  await page.getByRole('button', { name: 'Check file' }).click();
  const result = page.locator('#import-result');
  await result.locator('.alert-error').waitFor();
  const lines = await result.locator('.error-details li').allTextContents();
  assert.ok(lines.length >= 2, 'every problem is listed');
  assert.ok(lines.every((l) => /^line \d+, column \w+/.test(l)), lines.join('\n'));
  assert.equal(await page.locator('#import-form .btn-success').isVisible(), false, 'nothing to import');

  // A good file: the dry run's summary, then the import.
  const email = await page.locator('#members-results tbody .person-email').first().textContent();
  const role = (await page.locator('#members-results tbody tr').first().locator('td:nth-child(2)').textContent()).toLowerCase();
  await file.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`email,role,goals\n${email},${role},Updated from the browser test\n`) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await result.locator('.alert-info', { hasText: 'Dry run' }).waitFor();
  assert.match(await result.textContent(), /1 row: 0 new, 1 updated/);
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  await result.locator('.alert-ok', { hasText: 'Imported' }).waitFor();
  await page.context().close();
});

test('manager: a dry run shows reasons; approving a proposal makes it active', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.goto('/#/programs/1/matching');
  await page.getByRole('button', { name: 'Run matching' }).click();
  const proposal = page.locator('#proposal .proposal');
  await proposal.waitFor();
  assert.match(await proposal.locator('.certificate').textContent(), /Certified optimal/);
  const reasons = proposal.locator('.proposal-list .reasons li');
  assert.ok(await reasons.count() > 0, 'the pairs come with reasons');
  assert.match(await reasons.first().textContent(), /^\+\d+[A-Z].*\.$/, 'a reason reads as a sentence');

  // Approve the first proposal awaiting approval.
  const first = page.locator('#proposed-pairs tbody tr').first();
  await first.waitFor();
  const mentee = await first.locator('td').first().textContent();
  const pairId = await first.getAttribute('data-pair');
  await first.getByRole('button', { name: /^Approve:/ }).click();
  await page.locator(`#proposed-pairs tr[data-pair="${pairId}"]`).waitFor({ state: 'detached' });
  const active = page.locator('#pairs-list');
  await active.getByLabel('Search').fill(mentee);
  const row = active.locator(`tr[data-pair="${pairId}"]`);
  await row.waitFor();
  assert.equal(await row.locator('td:nth-child(3)').textContent(), 'Active');

  // End it early: the dialog asks for a reason.
  await row.getByRole('button', { name: /^End early:/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('The mentee moved teams');
  await dialog.getByRole('button', { name: 'End pair' }).click();
  await row.waitFor({ state: 'detached' });
  await page.context().close();
});

test('manager: staff tabs only in the programs they manage', async () => {
  const admin = await adminApi();
  const other = await admin('POST', '/api/v1/programs', { name: 'Leadership Circle 2026', description: 'Run by another team' });
  const STAFF_TABS = ['Overview', 'Members', 'Matching', 'Alerts'];

  const page = await newPage();
  await signIn(page, 'manager');
  await page.locator('table.table').waitFor();
  // Not theirs: no staff tabs, and a note that says why.
  await page.getByRole('link', { name: 'Leadership Circle 2026' }).click();
  await page.locator('#program-title', { hasText: 'Leadership Circle 2026' }).waitFor();
  assert.deepEqual(await tabNames(page), [], 'no staff tabs in a program the manager does not manage');
  await page.locator('#program-access-note').waitFor();
  assert.match(await page.locator('#program-access-note').textContent(), /not a manager of this program.*ask an admin/i);
  assert.match(page.url(), new RegExp(`#/programs/${other.id}$`));
  // Nor by typing a staff tab's address.
  for (const tab of ['members', 'matching', 'alerts', 'overview']) {
    await page.goto(`/#/programs/${other.id}/${tab}`);
    await page.waitForURL(new RegExp(`#/programs/${other.id}$`));
    await page.locator('#program-access-note').waitFor();
    assert.equal(await page.locator('#tab-panel, #members-results, #run-matching, .kpi, .export').count(), 0, `no ${tab} view`);
  }
  // Theirs: every staff tab, no note.
  await page.goto('/#/programs/1');
  await page.waitForURL(/#\/programs\/1\/overview$/);
  await page.locator('.kpi[data-kpi="R1"]').waitFor();
  assert.deepEqual(await tabNames(page), STAFF_TABS);
  assert.equal(await page.locator('#program-access-note').count(), 0);

  // An admin sees the staff tabs in both programs.
  const adminPage = await newPage();
  await signIn(adminPage, 'admin');
  await adminPage.goto(`/#/programs/${other.id}`);
  await adminPage.waitForURL(new RegExp(`#/programs/${other.id}/overview$`));
  await adminPage.locator('#tab-panel').waitFor(); // the redirect renders again
  assert.deepEqual(await tabNames(adminPage), STAFF_TABS);
  assert.equal(await adminPage.locator('#program-access-note').count(), 0);
  await adminPage.context().close();

  // Made a manager of it, the manager gets the staff tabs there too, in
  // the same page (no reload): opening a program asks afresh.
  const users = await admin('GET', '/api/v1/users?role=manager&limit=100');
  const me = users.items.find((u) => u.email === 'manager@example.com');
  await admin('POST', `/api/v1/programs/${other.id}/managers`, { user_id: me.id });
  await page.goto(`/#/programs/${other.id}/members`);
  await page.locator('#members-results').waitFor();
  assert.deepEqual(await tabNames(page), STAFF_TABS);
  assert.equal(await page.locator('#program-access-note').count(), 0);
  await page.context().close();
});

test('a 403 from the API shows a clear message in place of the view', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.locator('table.table').waitFor();
  // The server changes its mind between the tab list and the tab's data.
  await page.route('**/api/v1/programs/1/memberships?*', (r) => r.fulfill({
    status: 403, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'forbidden', message: 'only a manager of program 1 may do this' } }),
  }));
  await page.goto('/#/programs/1/members');
  const denied = page.locator('#tab-panel #access-denied');
  await denied.waitFor();
  assert.match(await denied.textContent(), /do not have access to “Members”.*Only a manager of program 1 may do this\..*ask an admin/);
  assert.equal(await page.locator('#members-results, #import-card').count(), 0, 'no half-built view');
  assert.equal(await denied.getAttribute('role'), 'alert');
  await page.context().close();
});

test('viewer: aggregates only, no member lists', async () => {
  const page = await newPage();
  await signIn(page, 'viewer');
  await page.locator('table.table').waitFor();
  await openProgram(page);
  await page.locator('.kpi[data-kpi="R1"]').waitFor();
  const tabs = await page.locator('.tabs .tab').allTextContents();
  assert.deepEqual(tabs, ['Overview']);
  assert.equal(await page.locator('#members-results').count(), 0);
  assert.equal(await page.locator('#waiting-title, #feedback-title').count(), 0, 'no personal lists');
  await page.goto('/#/programs/1/members');
  await page.waitForURL(/#\/programs\/1\/overview$/);
  assert.equal(await page.locator('#members-results').count(), 0);
  await page.context().close();
});

test('mentee: recommendations with reasons and a request button', async () => {
  const page = await newPage();
  await signIn(page, 'mentee');
  await page.locator('table.table').waitFor();
  await openProgram(page);
  assert.deepEqual(await page.locator('.tabs .tab').allTextContents(), ['My pairs', 'Find a mentor']);
  await page.getByRole('link', { name: 'Find a mentor' }).click();
  const card = page.locator('.rec-card').first();
  await card.waitFor();
  assert.ok(await card.locator('.reasons li').count() > 0);
  const mentor = await card.locator('h3').textContent();
  await card.getByRole('button', { name: `Request ${mentor} as your mentor` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Send request' }).click();
  await card.getByRole('button', { name: /^Requested/ }).waitFor();
  await page.getByRole('link', { name: 'My pairs' }).click();
  await page.locator('.pair-card', { hasText: mentor }).waitFor();
  await page.context().close();
});

test('sign out returns to the sign-in form', async () => {
  const page = await newPage();
  await signIn(page, 'manager');
  await page.locator('table.table').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#login-form').waitFor();
  await page.goto('/#/programs');
  await page.locator('#login-form').waitFor();
  await page.context().close();
});

test('no page errors and no CSP violations', () => {
  assert.deepEqual(problems, []);
});
