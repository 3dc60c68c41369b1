// Exports (issue 5): every raw dataset as CSV and XLSX over the API and the
// CLI.  The fixture is built through the API; each CSV export is compared
// row by row with the API's own lists, formula-like text comes out escaped,
// the access rules hold, and the XLSX workbook is opened with a real reader
// (Debian's python3-openpyxl) whose cells must match the API's figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, client, expectError, userWithRole } from './helpers.mjs';
import { setup } from './activity_fixture.mjs';

let f, admin, program, importedPair;

// An RFC 4180 parser: quoted fields may hold commas, quotes and newlines.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    assert.notEqual(c, '\n', 'records end with CRLF, never a bare LF outside quotes');
    field += c; i++;
  }
  assert.equal(field, '', 'the last record ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

// CSV text -> array of objects keyed by the header.
function records(text) {
  const [header, ...rows] = parseCsv(text);
  for (const r of rows) assert.equal(r.length, header.length);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

// What the CSV writer makes of an API value.
const unescape = (s) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
const asText = (v) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? String(Number(v)) : String(v));

const exportUrl = (dataset, qs = '') => `/api/v1/programs/${program}/export?dataset=${dataset}${qs}`;

async function csvOf(dataset, qs = '', who = admin) {
  const res = await who.get(exportUrl(dataset, qs));
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="program-${program}-${dataset}\\.csv"`));
  return res.text;
}

async function bytesOf(path, who = admin) {
  const headers = {};
  if (who.cookie) headers.Cookie = who.cookie;
  const res = await fetch(`${f.server.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

// Open a workbook with openpyxl and return {sheet: [[cell, ...], ...]};
// dates come back as ISO text, numbers as numbers.
const READER = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def cell(v):
    if isinstance(v, datetime.datetime):
        if (v.hour, v.minute, v.second) == (0, 0, 0):
            return v.strftime('%Y-%m-%d')
        return v.strftime('%Y-%m-%dT%H:%M:%SZ')
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v
print(json.dumps({
    "sheets": {ws.title: [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets},
    "frozen": {ws.title: ws.freeze_panes for ws in wb.worksheets},
    "bold": {ws.title: all(c.font.b for c in ws[1]) for ws in wb.worksheets},
}))
`;
// Debian's python3-openpyxl is installed for the system interpreter.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
function readXlsx(path) {
  return JSON.parse(execFileSync(PYTHON, ['-c', READER, path], { encoding: 'utf8' }));
}
// A sheet as objects keyed by its header row.
function sheetRecords(rows) {
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

before(async () => {
  f = await setup();
  admin = f.server.admin;
  program = f.program;
  // People and memberships by CSV import, with text a spreadsheet would run.
  const people = 'email,name,department\n'
    + 'evil.mentor@corp.com,"=HYPERLINK(""http://evil"",""click"")",Engineering\n'
    + 'plus.mentee@corp.com,+Plus Mentee,-Sales\n';
  assert.equal((await admin.post('/api/v1/people/import', people, { raw: true })).status, 200);
  const members = 'email,role,capacity\nevil.mentor@corp.com,mentor,2\nplus.mentee@corp.com,mentee,\n';
  assert.equal((await admin.post(`/api/v1/programs/${program}/memberships/import`, members, { raw: true })).status, 200);
  const ms = (await admin.get(`/api/v1/programs/${program}/memberships?limit=100`)).body.items;
  const byEmail = Object.fromEntries(ms.map((m) => [m.person_email, m.id]));
  const pr = await admin.post(`/api/v1/programs/${program}/pairs`, {
    mentor_membership_id: byEmail['evil.mentor@corp.com'], mentee_membership_id: byEmail['plus.mentee@corp.com'],
  });
  assert.equal(pr.status, 201, pr.text);
  importedPair = pr.body;

  // Sessions, ratings (one comment starting with "="), a goal, assessments.
  const s1 = await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/sessions`,
    { held_at: '2025-03-10T08:00:00Z', minutes: 45, kind: 'intro' });
  assert.equal(s1.status, 201, s1.text);
  const s2 = await f.mentee2.client.post(`/api/v1/pairs/${f.p2.id}/sessions`,
    { held_at: '2025-03-10T10:30:00Z', minutes: 90, notes: 'shared, with "quotes"' });
  assert.equal(s2.status, 201, s2.text);
  assert.equal((await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/sessions`,
    { held_at: '2025-03-20T09:00:00Z', minutes: 30 })).status, 201);
  const r1 = await f.mentee.client.post(`/api/v1/pairs/${f.p1.id}/sessions/${s1.body.id}/ratings`,
    { score: 5, comment: '=1+1 great session' });
  assert.equal(r1.status, 201, r1.text);
  assert.equal((await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/sessions/${s1.body.id}/ratings`,
    { score: 4, comment: '@mention, and a comma' })).status, 201);
  assert.equal((await f.mentor2.client.post(`/api/v1/pairs/${f.p2.id}/sessions/${s2.body.id}/ratings`,
    { score: 2 })).status, 201);
  const goal = await f.mentee.client.post(`/api/v1/memberships/${f.mentee.membership}/goals`,
    { category: 'promotion', description: '-Become a team lead', pair_id: f.p1.id });
  assert.equal(goal.status, 201, goal.text);
  assert.equal((await f.mentee.client.post(`/api/v1/pairs/${f.p1.id}/assessments`,
    { skill_id: f.skill.id, phase: 'start', score: 2 })).status, 201);
  assert.equal((await f.mentee.client.post(`/api/v1/pairs/${f.p1.id}/assessments`,
    { goal_id: goal.body.id, phase: 'start', score: 1 })).status, 201);
  // Let the health monitor raise what it raises, if it is there.
  await admin.post(`/api/v1/programs/${program}/alerts/check`, {});
});
after(async () => { await f.server.stop(); });

test('pairs: the CSV rows are the API list, field by field', async () => {
  const rows = records(await csvOf('pairs'));
  const api = (await admin.get(`/api/v1/programs/${program}/pairs?limit=500&sort=id`)).body.items;
  assert.equal(rows.length, api.length);
  assert.equal(rows.length, 3);
  rows.forEach((row, i) => {
    const p = api[i];
    for (const k of ['id', 'mentor_membership_id', 'mentee_membership_id', 'mentor_person_id', 'mentee_person_id',
      'status', 'source', 'score', 'locked', 'proposed_on', 'started_on', 'ended_on', 'end_reason']) {
      assert.equal(row[k], asText(p[k]), `pair ${p.id} ${k}`);
    }
    assert.equal(unescape(row.mentor_name), p.mentor_name);
    assert.equal(unescape(row.mentee_name), p.mentee_name);
    assert.deepEqual(JSON.parse(row.reasons), p.reasons);
  });
});

test('text that a spreadsheet would run is escaped; numbers are not', async () => {
  const text = await csvOf('pairs');
  // The mentor named =HYPERLINK(...) is quoted (it holds quotes and a comma)
  // and starts with a single quote inside the quotes.
  assert.ok(text.includes('"\'=HYPERLINK(""http://evil"",""click"")"'), text);
  assert.ok(text.includes(',\'+Plus Mentee,'), text);
  const rows = records(text);
  const mine = rows.find((r) => Number(r.id) === importedPair.id);
  assert.equal(mine.mentor_name, '\'=HYPERLINK("http://evil","click")');
  for (const r of rows) for (const v of Object.values(r)) assert.ok(!/^[=+\-@\t\r]/.test(v), `unescaped cell ${v}`);

  const participants = records(await csvOf('participants'));
  const plus = participants.find((r) => r.person_email === 'plus.mentee@corp.com');
  assert.equal(plus.person_name, '\'+Plus Mentee');
  assert.equal(plus.department, '\'-Sales');
  const ratings = records(await csvOf('ratings'));
  assert.ok(ratings.some((r) => r.comment === '\'=1+1 great session'));
  assert.ok(ratings.some((r) => r.comment === '\'@mention, and a comma'));
  const goals = records(await csvOf('goals'));
  assert.equal(goals[0].description, '\'-Become a team lead');
  // Scores and ids are plain numbers.
  for (const r of ratings) assert.match(r.score, /^[1-5]$/);
});

test('participants, sessions and ratings match the API lists', async () => {
  const participants = records(await csvOf('participants'));
  const ms = (await admin.get(`/api/v1/programs/${program}/memberships?limit=500&sort=id`)).body.items;
  assert.equal(participants.length, ms.length);
  participants.forEach((row, i) => {
    for (const k of ['id', 'person_id', 'role', 'status', 'capacity', 'joined_on', 'left_on']) {
      assert.equal(row[k], asText(ms[i][k]), `membership ${ms[i].id} ${k}`);
    }
    assert.equal(unescape(row.person_name), ms[i].person_name);
    assert.equal(row.person_email, ms[i].person_email);
  });

  const sessions = records(await csvOf('sessions'));
  const apiSessions = (await admin.get(`/api/v1/programs/${program}/sessions?limit=500&sort=id`)).body.items;
  assert.equal(sessions.length, 3);
  assert.equal(sessions.length, apiSessions.length);
  const byId = new Map(apiSessions.map((s) => [String(s.id), s]));
  for (const row of sessions) {
    const s = byId.get(row.id);
    for (const k of ['pair_id', 'held_at', 'minutes', 'kind', 'status', 'notes', 'ratings']) {
      assert.equal(row[k], asText(s[k]), `session ${s.id} ${k}`);
    }
  }

  const ratings = records(await csvOf('ratings'));
  const apiRatings = (await admin.get(`/api/v1/programs/${program}/ratings?limit=500`)).body.items;
  assert.equal(ratings.length, 3);
  assert.deepEqual(ratings.map((r) => Number(r.id)).sort(), apiRatings.map((r) => r.id).sort());
  for (const row of ratings) {
    const r = apiRatings.find((x) => String(x.id) === row.id);
    for (const k of ['session_id', 'pair_id', 'rater_person_id', 'side', 'score']) assert.equal(row[k], asText(r[k]), k);
    assert.equal(unescape(row.comment), asText(r.comment));
  }
});

test('goals, assessments and alerts match the API', async () => {
  const goals = records(await csvOf('goals'));
  const apiGoals = (await admin.get(`/api/v1/memberships/${f.mentee.membership}/goals?limit=500`)).body.items;
  assert.equal(goals.length, apiGoals.length);
  assert.equal(goals[0].id, String(apiGoals[0].id));
  assert.equal(goals[0].category, 'promotion');
  assert.equal(goals[0].pair_id, String(f.p1.id));

  const assessments = records(await csvOf('assessments'));
  const apiAssessments = (await admin.get(`/api/v1/pairs/${f.p1.id}/assessments?limit=500`)).body.items;
  assert.equal(assessments.length, 2);
  assert.deepEqual(assessments.map((a) => Number(a.id)).sort(), apiAssessments.map((a) => a.id).sort());
  const skillRow = assessments.find((a) => a.skill_id === String(f.skill.id));
  assert.equal(skillRow.subject, f.skill.name);
  assert.equal(skillRow.score, '2');
  assert.equal(skillRow.phase, 'start');

  const alerts = records(await csvOf('alerts'));
  const apiAlerts = await admin.get(`/api/v1/programs/${program}/alerts?limit=500`);
  if (apiAlerts.status === 200) {
    const items = apiAlerts.body.items ?? apiAlerts.body;
    assert.deepEqual(alerts.map((a) => Number(a.id)).sort(), items.map((a) => a.id).sort());
  }
});

test('CSV options: the byte order mark on request, CRLF records, a header even when empty', async () => {
  const plain = await bytesOf(exportUrl('pairs'));
  assert.notDeepEqual([...plain.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const bom = await bytesOf(exportUrl('pairs', '&bom=true'));
  assert.deepEqual([...bom.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.deepEqual(bom.body.subarray(3), plain.body);
  const other = await admin.get(`/api/v1/programs/${f.other}/export?dataset=sessions`);
  assert.equal(other.status, 200);
  assert.equal(other.text, 'id,pair_id,mentor_person_id,mentor_name,mentee_person_id,mentee_name,held_at,minutes,kind,status,notes,ratings,created_at,updated_at\r\n');
});

test('bad requests: unknown dataset, format or flag; every table as CSV', async () => {
  expectError(assert, await admin.get(`/api/v1/programs/${program}/export`), 400, 'dataset');
  expectError(assert, await admin.get(exportUrl('people')), 400, 'dataset');
  expectError(assert, await admin.get(exportUrl('pairs', '&format=pdf')), 400, 'format');
  expectError(assert, await admin.get(exportUrl('pairs', '&bom=maybe')), 400, 'bom');
  expectError(assert, await admin.get(exportUrl('all')), 400, 'dataset');
  expectError(assert, await admin.get('/api/v1/programs/99999/export?dataset=pairs'), 404);
});

test('access: admins and the program\'s managers export rows; viewers only aggregates', async () => {
  assert.equal((await f.manager.get(exportUrl('pairs'))).status, 200);
  expectError(assert, await f.outsider.get(exportUrl('pairs')), 403);
  expectError(assert, await f.outsider.get(exportUrl('kpis')), 403);
  for (const dataset of ['participants', 'pairs', 'sessions', 'ratings', 'all']) {
    expectError(assert, await f.viewer.get(exportUrl(dataset, '&format=xlsx')), 403);
  }
  const kpis = await f.viewer.get(exportUrl('kpis'));
  assert.notEqual(kpis.status, 403, 'viewers may export the aggregates');
  expectError(assert, await f.mentor.client.get(exportUrl('pairs')), 403);
  expectError(assert, await f.mentee.client.get(exportUrl('kpis')), 403);
  expectError(assert, await client(f.server).get(exportUrl('pairs')), 401);
  expectError(assert, await f.viewer.get('/api/v1/programs/99999/export?dataset=kpis'), 404);
});

test('XLSX: one sheet per dataset, opened with openpyxl, figures equal to the API', async () => {
  const res = await bytesOf(exportUrl('all', '&format=xlsx'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), new RegExp(`filename="program-${program}-all\\.xlsx"`));
  assert.equal(res.body.subarray(0, 2).toString(), 'PK');
  const path = join(f.server.dir, 'all.xlsx');
  writeFileSync(path, res.body);
  const book = readXlsx(path);
  assert.deepEqual(Object.keys(book.sheets),
    ['participants', 'pairs', 'sessions', 'ratings', 'goals', 'assessments', 'alerts']);
  for (const name of Object.keys(book.sheets)) {
    assert.equal(book.frozen[name], 'A2', `${name}: header frozen`);
    assert.ok(book.bold[name], `${name}: header bold`);
  }

  const pairs = sheetRecords(book.sheets.pairs);
  const api = (await admin.get(`/api/v1/programs/${program}/pairs?limit=500&sort=id`)).body.items;
  assert.equal(pairs.length, api.length);
  pairs.forEach((row, i) => {
    const p = api[i];
    assert.equal(row.id, p.id);           // a number, not text
    assert.equal(row.score, p.score);
    assert.equal(row.status, p.status);
    assert.equal(row.mentor_name, p.mentor_name); // verbatim: a string cell, never a formula
    assert.equal(row.started_on, p.started_on);   // a date cell
    assert.equal(row.ended_on, p.ended_on);
  });
  assert.ok(pairs.some((r) => r.mentor_name === '=HYPERLINK("http://evil","click")'));

  const sessions = sheetRecords(book.sheets.sessions);
  const apiSessions = (await admin.get(`/api/v1/programs/${program}/sessions?limit=500&sort=id`)).body.items;
  assert.equal(sessions.length, apiSessions.length);
  for (const row of sessions) {
    const s = apiSessions.find((x) => x.id === row.id);
    assert.equal(row.held_at, s.held_at);
    assert.equal(row.minutes, s.minutes);
    assert.equal(row.notes || '', s.notes);
  }
  const totalMinutes = sessions.reduce((t, r) => t + r.minutes, 0);
  assert.equal(totalMinutes, apiSessions.reduce((t, s) => t + s.minutes, 0));

  const ratings = sheetRecords(book.sheets.ratings);
  const apiRatings = (await admin.get(`/api/v1/programs/${program}/ratings?limit=500`)).body.items;
  const mean = (xs) => xs.reduce((t, x) => t + x, 0) / xs.length;
  assert.equal(mean(ratings.map((r) => r.score)), mean(apiRatings.map((r) => r.score)));
  assert.ok(ratings.some((r) => r.comment === '=1+1 great session'));

  const participants = sheetRecords(book.sheets.participants);
  const ms = (await admin.get(`/api/v1/programs/${program}/memberships?limit=500&sort=id`)).body.items;
  assert.deepEqual(participants.map((r) => r.id), ms.map((m) => m.id));
  assert.deepEqual(participants.map((r) => r.capacity), ms.map((m) => m.capacity));
  assert.deepEqual(participants.map((r) => r.joined_on), ms.map((m) => m.joined_on));

  // One dataset as XLSX: a single sheet named after it.
  const one = await bytesOf(exportUrl('ratings', '&format=xlsx'));
  assert.equal(one.status, 200);
  const onePath = join(f.server.dir, 'ratings.xlsx');
  writeFileSync(onePath, one.body);
  assert.deepEqual(Object.keys(readXlsx(onePath).sheets), ['ratings']);
});

test('mentortrack export writes the same bytes as the API', async () => {
  const api = await bytesOf(exportUrl('sessions', '&bom=true'));
  const out = execFileSync(process.env.MENTORTRACK_BIN || join(import.meta.dirname, '../../build/mentortrack'),
    ['export', String(program), 'sessions', '--bom', '--db', f.server.db]);
  assert.deepEqual(out, api.body);
  const csv = cli(['export', String(program), 'pairs', '--db', f.server.db]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, await csvOf('pairs'));

  const path = join(f.server.dir, 'cli.xlsx');
  const x = cli(['export', String(program), 'all', '--format', 'xlsx', '--output', path, '--db', f.server.db]);
  assert.equal(x.status, 0, x.stderr);
  assert.ok(existsSync(path));
  assert.equal(readFileSync(path).subarray(0, 2).toString(), 'PK');
  const book = readXlsx(path);
  const apiPairs = (await admin.get(`/api/v1/programs/${program}/pairs?limit=500&sort=id`)).body.items;
  assert.deepEqual(sheetRecords(book.sheets.pairs).map((r) => r.score), apiPairs.map((p) => p.score));

  const help = cli(['export', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: mentortrack export PROGRAM_ID DATASET/);
  assert.equal(cli(['export', String(program), '--db', f.server.db]).status, 2);
  assert.equal(cli(['export', String(program), 'people', '--db', f.server.db]).status, 2);
  assert.equal(cli(['export', String(program), 'all', '--db', f.server.db]).status, 2);
  assert.equal(cli(['export', String(program), 'pairs', '--format', 'pdf', '--db', f.server.db]).status, 2);
  assert.equal(cli(['export', 'abc', 'pairs', '--db', f.server.db]).status, 2);
  const missing = cli(['export', '99999', 'pairs', '--db', f.server.db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /program 99999/);
});

// A KPI's figures flattened the way the export names them ("utilisation.value").
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) continue; // arrays are tables of their own
    if (v && typeof v === 'object' && Object.keys(v).length) flatten(v, path, out);
    else out[path] = v;
  }
  return out;
}
const asCell = (v) => (typeof v === 'boolean' ? String(v) : v);

test('KPI tables: every figure of the XLSX equals GET /metrics over the same range', async () => {
  const range = '&from=2025-03-01&to=2025-03-10';
  const metrics = (await admin.get(`/api/v1/programs/${program}/metrics?${range.slice(1)}`)).body.metrics;
  assert.ok(metrics && metrics.R1 && metrics.S1, 'the metrics API answers');
  const res = await bytesOf(exportUrl('kpis', `&format=xlsx${range}`));
  assert.equal(res.status, 200);
  const path = join(f.server.dir, 'kpis.xlsx');
  writeFileSync(path, res.body);
  const book = readXlsx(path);
  let compared = 0;
  for (const [kpi, figures] of Object.entries(metrics)) {
    const sheet = book.sheets[kpi];
    assert.ok(sheet, `sheet ${kpi}`);
    assert.deepEqual(sheet[0], ['figure', 'value']);
    const want = flatten(figures);
    const got = Object.fromEntries(sheet.slice(1).map(([k, v]) => [k, v]));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${kpi}: figure names`);
    for (const [k, v] of Object.entries(want)) {
      assert.deepEqual(got[k], asCell(v), `${kpi} ${k}`);
      compared++;
    }
  }
  assert.ok(compared > 50, `compared only ${compared} figures`);
  // The held sessions the API lists are the ones S1 counts.
  const sessions = (await admin.get(`/api/v1/programs/${program}/sessions?limit=500`)).body.items;
  const held = sessions.filter((s) => s.status === 'completed' && s.held_at <= '2025-03-10T23:59:59Z').length;
  assert.equal(held, 2);
  assert.equal(Object.fromEntries(book.sheets.S1.slice(1)).held, held);
});

test('KPI tables as CSV: one section per table; viewers get them without personal parts', async () => {
  const range = '&from=2025-03-01&to=2025-03-10';
  const text = await csvOf('kpis', range);
  const sections = text.split('\r\n\r\n');
  assert.ok(sections.length > 21, `${sections.length} sections`);
  const bySection = Object.fromEntries(sections.map((s) => {
    const [name, ...rest] = s.split('\r\n');
    return [name, rest.join('\r\n') + (s.endsWith('\r\n') ? '' : '\r\n')];
  }));
  const metrics = (await admin.get(`/api/v1/programs/${program}/metrics?${range.slice(1)}`)).body.metrics;
  const p1 = Object.fromEntries(parseCsv(bySection.P1).slice(1));
  assert.equal(Number(p1.active), metrics.P1.active);
  assert.equal(Number(p1.total), metrics.P1.total);

  const viewer = await f.viewer.get(exportUrl('kpis', range));
  assert.equal(viewer.status, 200, viewer.text);
  const viewerMetrics = (await f.viewer.get(`/api/v1/programs/${program}/metrics?${range.slice(1)}`)).body.metrics;
  // Comments and names stay out of a viewer's export, as out of their API view.
  assert.ok(!viewer.text.includes('great session'));
  assert.ok(!JSON.stringify(viewerMetrics).includes('great session'));
  assert.ok(text.includes('great session'), 'managers see the S3 comments');
  expectError(assert, await admin.get(exportUrl('kpis', '&from=2025-13-01')), 400, 'from');
  expectError(assert, await admin.get(exportUrl('kpis', '&from=2025-03-10&to=2025-03-01')), 422, 'from');
  const cliCsv = cli(['export', String(program), 'kpis', '--from', '2025-03-01', '--to', '2025-03-10', '--db', f.server.db]);
  assert.equal(cliCsv.status, 0, cliCsv.stderr);
  assert.equal(cliCsv.stdout, text);
});
