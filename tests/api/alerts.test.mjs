// The health monitor against the real binary, with a controllable clock:
// one database, the server (or `mentortrack alerts check`) started at
// successive pinned dates (MENTORTRACK_NOW).  Each rule raises, a second
// check does not raise it again, and it resolves itself when its condition
// clears; a manager acknowledges and resolves with a note; access rules;
// email received by an SMTP server on loopback, webhooks by an HTTP
// listener whose HMAC-SHA256 check passes, with a retry after a 500; and
// the interval check of the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PASSWORD, cli, client, expectError, login, userWithRole } from './helpers.mjs';

const SECRET = 'webhook-secret-for-tests';
const D0 = '2025-03-01T12:00:00Z';
const D1 = '2025-03-05T12:00:00Z';
const D2 = '2025-03-20T12:00:00Z';
const D3 = '2025-04-05T12:00:00Z';
const D4 = '2025-06-01T12:00:00Z';

// ---- a tiny SMTP server: 220/250/354/221, captures each message's DATA ----
function smtpServer() {
  const mails = [];
  const srv = net.createServer((sock) => {
    let buf = '', inData = false, mail = { from: '', to: [], data: '' };
    sock.write('220 test.local ESMTP ready\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buf.slice(0, end + 2).replace(/^\.\./gm, '.');
          buf = buf.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          sock.write('250 2.0.0 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250 test.local\r\n');
        else if (verb === 'MAIL') { mail.from = line; sock.write('250 2.1.0 ok\r\n'); }
        else if (verb === 'RCPT') { mail.to.push(line); sock.write('250 2.1.5 ok\r\n'); }
        else if (verb === 'DATA') { inData = true; sock.write('354 go ahead\r\n'); }
        else if (verb === 'QUIT') { sock.write('221 bye\r\n'); sock.end(); return; }
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () =>
    resolve({ mails, port: srv.address().port, close: () => new Promise((r) => srv.close(r)) })));
}

// ---- a webhook listener: records requests; `failNext` answers 500 first ----
function webhookServer() {
  const hooks = { requests: [], failNext: 0 };
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      hooks.requests.push({ headers: req.headers, body, path: req.url });
      if (hooks.failNext > 0) {
        hooks.failNext--;
        res.writeHead(500).end('try later');
        return;
      }
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () =>
    resolve(Object.assign(hooks, { port: srv.address().port, close: () => new Promise((r) => srv.close(r)) }))));
}

const verify = (req) => {
  const sig = req.headers['x-mentortrack-signature'] || '';
  const want = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
  return sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want));
};

// ---- the server on a given database at a pinned date ----
async function serve(db, now, env = {}) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
    env: { ...process.env, MENTORTRACK_NOW: now, MENTORTRACK_ALERTS_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)\//);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url, proc, stderr: () => stderr,
    async stop() {
      const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
      proc.kill('SIGTERM');
      const result = await exited;
      if (result.code !== 0) throw new Error(`server exited ${result.code} ${result.signal}: ${stderr}`);
    },
  };
}

// `mentortrack alerts ...` without blocking the event loop (the SMTP and
// webhook listeners live in this process).
function cliAsync(args, now) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { env: { ...process.env, MENTORTRACK_NOW: now }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
}

// Everyone signs in with API tokens, which outlive the pinned clock's jumps.
const as = (server, who) => client(server, { token: who.token });
async function withToken(c) {
  const t = await must(await c.post('/api/v1/tokens', { name: 'alerts test' }), 201, 'token');
  return { token: t.token, id: c.id };
}

let dir, db, smtp, hooks, srv;
const f = {};

async function at(now, env) {
  if (srv) await srv.stop();
  srv = await serve(db, now, env);
  return srv;
}

before(async () => {
  smtp = await smtpServer();
  hooks = await webhookServer();
  dir = mkdtempSync(join(tmpdir(), 'mt-alerts-'));
  db = join(dir, 'alerts.db');
  const init = cli(['init', '--db', db, '--password', PASSWORD]);
  if (init.status !== 0) throw new Error(init.stderr);

  const s = await at(D0);
  s.admin = await login(s, 'admin@example.com', PASSWORD);
  const admin = s.admin;
  f.admin = await withToken(admin);
  const settings = {
    notifications: {
      email: { to: ['managers@example.com', 'lead@example.com'], smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: 'alerts@example.com' },
      webhook: { url: `http://127.0.0.1:${hooks.port}/hook`, secret: SECRET },
    },
  };
  f.program = (await must(await admin.post('/api/v1/programs', { name: 'Health Spring', status: 'running', settings }), 201, 'program')).id;
  f.other = (await must(await admin.post('/api/v1/programs', { name: 'Health Other', status: 'running' }), 201, 'program')).id;
  const manager = await userWithRole(s, 'manager');
  await must(await admin.post(`/api/v1/programs/${f.program}/managers`, { user_id: manager.id }), 201, 'manager');
  const outsider = await userWithRole(s, 'manager');
  await must(await admin.post(`/api/v1/programs/${f.other}/managers`, { user_id: outsider.id }), 201, 'outsider');
  f.manager = await withToken(manager);
  f.outsider = await withToken(outsider);
  f.viewer = await withToken(await userWithRole(s, 'viewer'));

  const member = async (name, role, extra = {}) => {
    const person = (await must(await admin.post('/api/v1/people', { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com` }), 201, name)).id;
    const ms = (await must(await admin.post(`/api/v1/programs/${f.program}/memberships`, { person_id: person, role, ...extra }), 201, `${name} membership`)).id;
    const c = await userWithRole(s, role, { person });
    return { person, membership: ms, ...(await withToken(c)) };
  };
  f.mentorA = await member('Mia Mentor', 'mentor', { capacity: 1 });
  f.menteeA = await member('Max Mentee', 'mentee');
  f.mentorB = await member('Nora Mentor', 'mentor', { capacity: 2 });
  f.menteeB = await member('Nils Mentee', 'mentee');
  f.menteeC = await member('Cleo Waiting', 'mentee');
  const pair = async (m, e) => (await must(await admin.post(`/api/v1/programs/${f.program}/pairs`,
    { mentor_membership_id: m.membership, mentee_membership_id: e.membership }), 201, 'pair')).id;
  f.p1 = await pair(f.mentorA, f.menteeA);
  f.p2 = await pair(f.mentorB, f.menteeB);
  f.goal = (await must(await as(s, f.menteeA).post(`/api/v1/memberships/${f.menteeA.membership}/goals`,
    { category: 'promotion', description: 'Lead the Q1 review', target_date: '2025-03-10' }), 201, 'goal')).id;
});

after(async () => {
  if (srv) await srv.stop();
  await smtp?.close();
  await hooks?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const alertsOf = async (c, query = '') => (await must(await c.get(`/api/v1/programs/${f.program}/alerts${query}`), 200, 'alerts')).items;
const byRule = (items, rule) => items.filter((a) => a.rule === rule);
const waitFor = async (cond, what, ms = 10000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
};

test('day 4: a low rating raises once, notifies by email and signed webhook', async () => {
  const s = await at(D1);
  const mgr = as(s, f.manager);
  const session = await must(await as(s, f.mentorA).post(`/api/v1/pairs/${f.p1}/sessions`,
    { held_at: '2025-03-04T10:00:00Z', minutes: 45, kind: 'intro' }), 201, 'session');
  f.session1 = session.id;
  await must(await as(s, f.menteeA).post(`/api/v1/pairs/${f.p1}/sessions/${session.id}/ratings`, { score: 2, comment: 'not useful' }), 201, 'rating');
  await must(await as(s, f.mentorA).post(`/api/v1/pairs/${f.p1}/sessions/${session.id}/ratings`, { score: 4 }), 201, 'rating');

  const check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised, 1, JSON.stringify(check));
  assert.equal(check.resolved, 0);
  assert.equal(check.open_total, 1);
  assert.equal(check.open_by_rule.low_rating, 1);
  assert.deepEqual(check.notifications.map((n) => [n.channel, n.status, n.attempts]),
    [['email', 'delivered', 1], ['webhook', 'delivered', 1]]);

  const items = await alertsOf(mgr);
  assert.equal(items.length, 1);
  const low = items[0];
  assert.equal(low.rule, 'low_rating');
  assert.equal(low.status, 'open');
  assert.equal(low.subject_kind, 'session');
  assert.equal(low.subject_id, session.id);
  assert.equal(low.pair_id, f.p1);
  assert.equal(low.person_id, f.menteeA.person);
  assert.equal(low.person_name, 'Max Mentee');
  assert.equal(low.raised_at, D1);
  assert.equal(low.details.score, 2);
  assert.equal(low.details.threshold, 2);
  assert.equal(low.details.side, 'mentee');
  assert.match(low.message, /Max Mentee rated the session of 2025-03-04 2 out of 5/);
  f.low = low.id;

  // The email: envelope, headers, the alert in the body.
  assert.equal(smtp.mails.length, 1);
  const mail = smtp.mails[0];
  assert.match(mail.from, /<alerts@example\.com>/);
  assert.deepEqual(mail.to.map((t) => t.match(/<(.*)>/)[1]), ['managers@example.com', 'lead@example.com']);
  assert.match(mail.data, /^Subject: \[mentortrack\] Health Spring: 1 new alert\r$/m);
  assert.match(mail.data, /^To: managers@example\.com, lead@example\.com\r$/m);
  assert.match(mail.data, /- \[low_rating\] Max Mentee rated the session/);

  // The webhook: JSON, signed with HMAC-SHA256 of the raw body.
  assert.equal(hooks.requests.length, 1);
  const hook = hooks.requests[0];
  assert.equal(hook.path, '/hook');
  assert.equal(hook.headers['content-type'], 'application/json');
  assert.equal(hook.headers['x-mentortrack-event'], 'alerts.raised');
  assert.ok(verify(hook), `signature ${hook.headers['x-mentortrack-signature']} does not verify`);
  const payload = JSON.parse(hook.body);
  assert.equal(payload.event, 'alerts.raised');
  assert.deepEqual(payload.program, { id: f.program, name: 'Health Spring' });
  assert.equal(payload.total, 1);
  assert.equal(payload.truncated, false);
  assert.equal(payload.alerts[0].id, low.id);
  assert.equal(payload.alerts[0].details.score, 2);
  // A tampered body fails the same check.
  assert.equal(verify({ ...hook, body: hook.body.replace('"total":1', '"total":2') }), false);

  // De-duplicated: a second check raises nothing and notifies nobody.
  const again = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(again.raised, 0);
  assert.equal(again.resolved, 0);
  assert.deepEqual(again.notifications, []);
  assert.equal((await alertsOf(mgr)).length, 1);
  assert.equal(smtp.mails.length, 1);
  assert.equal(hooks.requests.length, 1);
});

test('access: managers of the program only; viewers see counts', async () => {
  const s = srv;
  const list = `/api/v1/programs/${f.program}/alerts`;
  expectError(assert, await as(s, f.menteeA).get(list), 403);
  expectError(assert, await as(s, f.mentorA).get(list), 403);
  expectError(assert, await as(s, f.outsider).get(list), 403);
  expectError(assert, await as(s, f.viewer).get(list), 403);
  expectError(assert, await as(s, f.menteeA).get(`/api/v1/alerts/${f.low}`), 403);
  expectError(assert, await as(s, f.outsider).get(`/api/v1/alerts/${f.low}`), 403);
  expectError(assert, await as(s, f.outsider).post(`/api/v1/alerts/${f.low}/acknowledge`, { note: 'x' }), 403);
  expectError(assert, await as(s, f.menteeA).post(`/api/v1/alerts/${f.low}/resolve`, {}), 403);
  expectError(assert, await as(s, f.outsider).post(`/api/v1/programs/${f.program}/alerts/check`), 403);
  expectError(assert, await as(s, f.manager).get('/api/v1/alerts/999999'), 404);
  expectError(assert, await client(s).get(list), 401);
  expectError(assert, await as(s, f.menteeA).get(`${list}/summary`), 403);
  expectError(assert, await as(s, f.outsider).get(`${list}/summary`), 403);

  const sum = await must(await as(s, f.viewer).get(`${list}/summary`), 200, 'summary');
  assert.equal(sum.open_total, 1);
  assert.equal(sum.open.low_rating, 1);
  assert.equal(sum.open.stalled_pair, 0);
  assert.equal(sum.acknowledged_total, 0);
  assert.equal(JSON.stringify(sum).includes('Max'), false, 'no names in the summary');
  expectError(assert, await as(s, f.viewer).get('/api/v1/programs/999999/alerts/summary'), 404);

  const one = await must(await as(s, f.admin).get(`/api/v1/alerts/${f.low}`), 200, 'admin');
  assert.equal(one.id, f.low);
  // Filters and validation.
  const mgr = as(s, f.manager);
  assert.equal((await alertsOf(mgr, '?status=open&rule=low_rating')).length, 1);
  assert.equal((await alertsOf(mgr, '?status=resolved')).length, 0);
  assert.equal((await alertsOf(mgr, `?pair_id=${f.p2}`)).length, 0);
  expectError(assert, await mgr.get(`${list}?status=closed`), 400, 'status');
  expectError(assert, await mgr.get(`${list}?rule=bad_vibes`), 400, 'rule');
  expectError(assert, await mgr.get(`${list}?sort=message`), 400, 'sort');
  expectError(assert, await mgr.get(`${list}?pair_id=x`), 400, 'pair_id');
});

test('a manager acknowledges with a note; the change is audited', async () => {
  const mgr = as(srv, f.manager);
  const ack = await must(await mgr.post(`/api/v1/alerts/${f.low}/acknowledge`, { note: 'Talking to Max on Friday' }), 200, 'ack');
  assert.equal(ack.status, 'acknowledged');
  assert.equal(ack.acknowledge_note, 'Talking to Max on Friday');
  assert.equal(ack.acknowledged_by, f.manager.id);
  assert.equal(ack.acknowledged_at, D1);
  expectError(assert, await mgr.post(`/api/v1/alerts/${f.low}/acknowledge`, {}), 409, 'status');
  expectError(assert, await mgr.post(`/api/v1/alerts/${f.low}/resolve`, { note: 5 }), 422, 'note');
  expectError(assert, await mgr.post(`/api/v1/alerts/${f.low}/resolve`, { reason: 'x' }), 422);
  const audit = await must(await as(srv, f.admin).get(`/api/v1/audit?entity=alert&entity_id=${f.low}`), 200, 'audit');
  assert.equal(audit.items.length, 1);
  assert.equal(audit.items[0].action, 'acknowledge');
  assert.equal(audit.items[0].before.status, 'open');
  assert.equal(audit.items[0].after.status, 'acknowledged');
  const checks = await must(await as(srv, f.admin).get(`/api/v1/audit?entity=program_alerts&entity_id=${f.program}`), 200, 'audit');
  assert.equal(checks.items.length, 1, 'the check that raised is audited; the empty one is not');
  assert.deepEqual(checks.items[0].after.raised_ids, [f.low]);
  // A check still leaves an acknowledged alert alone.
  const check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised + check.resolved, 0);
  await srv.stop();
  srv = null;
});

test('day 19 by the CLI: waiting, no intro and an overdue goal; the webhook is retried after a 500', async () => {
  hooks.failNext = 1;
  const mailsBefore = smtp.mails.length, hooksBefore = hooks.requests.length;
  const r = await cliAsync(['alerts', 'check', String(f.program), '--db', db, '--json'], D2);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.raised, 3);
  const s = out.programs[0];
  assert.equal(s.program_id, f.program);
  assert.equal(s.open_by_rule.waiting_too_long, 1);
  assert.equal(s.open_by_rule.no_intro, 1);
  assert.equal(s.open_by_rule.goal_overdue, 1);
  assert.equal(s.open_by_rule.low_rating, 1);
  assert.equal(s.open_by_rule.stalled_pair, 0, 'pair 1 held a session 16 days ago, pair 2 started 19 days ago');
  const webhook = s.notifications.find((n) => n.channel === 'webhook');
  assert.deepEqual([webhook.status, webhook.attempts, webhook.response_code], ['delivered', 2, 204]);

  assert.equal(smtp.mails.length, mailsBefore + 1);
  assert.match(smtp.mails.at(-1).data, /Subject: \[mentortrack\] Health Spring: 3 new alerts/);
  assert.equal(hooks.requests.length, hooksBefore + 2, 'one failed attempt and one retry');
  const [first, second] = hooks.requests.slice(-2);
  assert.equal(first.body, second.body, 'the retry sends the same body');
  assert.ok(verify(second));
  assert.deepEqual(JSON.parse(second.body).alerts.map((a) => a.rule).sort(), ['goal_overdue', 'no_intro', 'waiting_too_long']);

  // Twice is once.
  const again = await cliAsync(['alerts', 'check', String(f.program), '--db', db], D2);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /raised 0, resolved 0, open 4/);
  assert.equal(hooks.requests.length, hooksBefore + 2);

  const list = await cliAsync(['alerts', 'list', String(f.program), '--db', db, '--status', 'open'], D2);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /waiting_too_long .*Cleo Waiting \(mentee\) has waited 19 days for a match since 2025-03-01/);
  assert.match(list.stdout, /3 alerts/);
  const bad = cli(['alerts', 'check', 'x', '--db', db]);
  assert.equal(bad.status, 2);
  const none = await cliAsync(['alerts', 'list', '999', '--db', db], D2);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /program 999 not found/);
});

test('day 35: stalled pairs; manual resolution sticks; cleared conditions resolve themselves', async () => {
  const s = await at(D3);
  const mgr = as(s, f.manager);
  let check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised, 2);
  let items = await alertsOf(mgr, '?status=live');
  const stalled = byRule(items, 'stalled_pair');
  assert.deepEqual(stalled.map((a) => a.pair_id).sort(), [f.p1, f.p2].sort());
  const s1 = stalled.find((a) => a.pair_id === f.p1);
  assert.equal(s1.details.since, '2025-03-04');
  assert.equal(s1.details.days_without_session, 32);
  assert.equal(s1.condition_key, `stalled_pair:pair:${f.p1}:since:2025-03-04`);

  // A manager resolves the waiting alert by hand while Cleo still waits:
  // the next check does not raise it again.
  const waiting = byRule(items, 'waiting_too_long')[0];
  const res = await must(await mgr.post(`/api/v1/alerts/${waiting.id}/resolve`, { note: 'Matching her next week' }), 200, 'resolve');
  assert.equal(res.status, 'resolved');
  assert.equal(res.resolution, 'manual');
  assert.equal(res.note, 'Matching her next week');
  assert.equal(res.resolved_by, f.manager.id);
  expectError(assert, await mgr.post(`/api/v1/alerts/${waiting.id}/resolve`, {}), 409, 'status');
  check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised, 0);

  // Clear four conditions and create one: Cleo gets Nora (who now has 2 of
  // 2 seats, then 1); pair 2 holds its intro; Max achieves his goal.
  const admin = as(s, f.admin);
  f.p3 = (await must(await admin.post(`/api/v1/programs/${f.program}/pairs`, { mentor_membership_id: f.mentorB.membership, mentee_membership_id: f.menteeC.membership }), 201, 'pair')).id;
  await must(await as(s, f.mentorB).post(`/api/v1/pairs/${f.p2}/sessions`, { held_at: '2025-04-04T09:00:00Z', minutes: 30, kind: 'intro' }), 201, 'intro');
  await must(await as(s, f.menteeA).patch(`/api/v1/memberships/${f.menteeA.membership}/goals/${f.goal}`, { status: 'achieved' }), 200, 'goal');
  await must(await admin.patch(`/api/v1/memberships/${f.mentorB.membership}`, { capacity: 1 }), 200, 'capacity');
  const before = smtp.mails.length;
  check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised, 1, JSON.stringify(check));
  assert.equal(check.resolved, 3, 'no intro, pair 2 stalled, goal overdue');
  assert.equal(check.unblocked, 1, 'the manual resolution of Cleo\'s wait saw its condition clear');
  assert.equal(smtp.mails.length, before + 1, 'only the new over-capacity alert is sent');
  assert.match(smtp.mails.at(-1).data, /\[over_capacity\] Nora Mentor mentors 2 active pairs but offered 1 seat/);
  items = await alertsOf(mgr, '?status=resolved');
  const auto = items.filter((a) => a.resolution === 'auto');
  assert.deepEqual(auto.map((a) => a.rule).sort(), ['goal_overdue', 'no_intro', 'stalled_pair']);
  for (const a of auto) assert.equal(a.resolved_at, D3);
  assert.equal(auto.find((a) => a.rule === 'stalled_pair').pair_id, f.p2);

  // Back under capacity, and pair 1 ends: its acknowledged low rating and
  // its stall resolve themselves too.
  await must(await admin.patch(`/api/v1/memberships/${f.mentorB.membership}`, { capacity: 2 }), 200, 'capacity');
  await must(await admin.post(`/api/v1/pairs/${f.p1}/end`, { reason: 'Mismatch of goals' }), 200, 'end');
  check = await must(await mgr.post(`/api/v1/programs/${f.program}/alerts/check`), 200, 'check');
  assert.equal(check.raised, 0);
  assert.equal(check.resolved, 3);
  assert.equal(check.open_total, 0);
  const low = await must(await mgr.get(`/api/v1/alerts/${f.low}`), 200, 'low');
  assert.equal(low.status, 'resolved');
  assert.equal(low.resolution, 'auto');
  assert.equal(low.acknowledge_note, 'Talking to Max on Friday');

  const deliveries = await must(await mgr.get(`/api/v1/programs/${f.program}/alerts/deliveries?channel=webhook&sort=id`), 200, 'deliveries');
  assert.deepEqual(deliveries.items.map((d) => [d.status, d.attempts]), 
    [['delivered', 1], ['delivered', 2], ['delivered', 1], ['delivered', 1]]);
  assert.equal(deliveries.items[1].response_code, 204);
  assert.equal(deliveries.items[0].target, `http://127.0.0.1:${hooks.port}/hook`);
  assert.equal(JSON.stringify(deliveries).includes(SECRET), false, 'the secret is never shown');
  await srv.stop();
  srv = null;
});

test('the server checks on its interval, and stops cleanly on SIGTERM', async () => {
  const s = await at(D4, { MENTORTRACK_ALERTS_INTERVAL: '1' });
  const mgr = as(s, f.manager);
  // Pair 2's last session was on 2025-04-04, Cleo's pair (2025-04-05) never
  // met; Max and Mia wait since pair 1 ended on 2025-04-05.
  await waitFor(async () => (await alertsOf(mgr, '?status=open')).length === 5,
    () => `the interval check: ${s.stderr()}`);
  const open = await alertsOf(mgr, '?status=open');
  assert.deepEqual(byRule(open, 'stalled_pair').map((a) => a.pair_id).sort(), [f.p2, f.p3].sort());
  assert.deepEqual(byRule(open, 'no_intro').map((a) => a.pair_id), [f.p3]);
  assert.deepEqual(byRule(open, 'waiting_too_long').map((a) => a.person_id).sort(),
    [f.mentorA.person, f.menteeA.person].sort());
  for (const a of open) assert.equal(a.raised_at.slice(0, 10), '2025-06-01');
  const audit = await must(await as(s, f.admin).get(`/api/v1/audit?entity=program_alerts&actor=alerts-worker`), 200, 'audit');
  assert.ok(audit.items.length >= 1);
  await srv.stop();
  srv = null;
  const bad = await serve(db, D4, { MENTORTRACK_ALERTS_INTERVAL: 'often' }).then(() => 'started', (e) => e.message);
  assert.match(bad, /alerts_interval must be a number between 0 and 604800, got "often"/);
});
