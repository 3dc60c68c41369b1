// The KPI endpoints against the real server.  The fixture is built through
// the API over three simulated days (the server restarts on the same
// database with MENTORTRACK_NOW moved forward, since pairs start "today");
// every expected figure is computed here, in JavaScript, from the rows this
// test created (and S1/S4 once more with the sqlite3 shell on the database
// file), never by the code under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PASSWORD, cli, login, expectError } from './helpers.mjs';

let dir, db, server;
const accounts = {};   // name -> { email, person, membership, role }
const rows = { pairs: {}, sessions: [], ratings: [], goals: [] };
let program, otherProgram;

async function serve(now) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
    env: { ...process.env, MENTORTRACK_NOW: now }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const s = {
    url, proc,
    async stop() {
      const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
      proc.kill('SIGTERM');
      const res = await exited;
      if (res.code !== 0) throw new Error(`server exited ${res.code} ${res.signal}: ${stderr}`);
    },
  };
  s.admin = await login(s, 'admin@example.com', PASSWORD);
  return s;
}

async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
}

const as = (name) => login(server, accounts[name].email, PASSWORD);

async function addSession(pairName, heldAt, minutes, kind = 'regular', status = undefined) {
  const body = { held_at: heldAt, minutes, kind };
  if (status) body.status = status;
  const s = await must(await server.admin.post(`/api/v1/pairs/${rows.pairs[pairName].id}/sessions`, body), 201, 'session');
  const row = { id: s.id, pair: pairName, day: heldAt.slice(0, 10), minutes, kind, status: s.status };
  rows.sessions.push(row);
  return row;
}

async function rate(session, raterName, score, comment) {
  const c = await as(raterName);
  const body = { score };
  if (comment) body.comment = comment;
  await must(await c.post(`/api/v1/pairs/${rows.pairs[session.pair].id}/sessions/${session.id}/ratings`, body), 201, 'rating');
  rows.ratings.push({ session, rater: raterName, side: accounts[raterName].role, score, comment });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-kpi-'));
  db = join(dir, 'test.db');
  const init = cli(['init', '--db', db, '--password', PASSWORD]);
  if (init.status !== 0) throw new Error(init.stderr);

  // Day 1: 2025-01-06.
  server = await serve('2025-01-06T12:00:00Z');
  program = (await must(await server.admin.post('/api/v1/programs', {
    name: 'KPI program', status: 'running', start_date: '2025-01-01',
    settings: { success: { min_mean_rating: 4, min_sessions: 2 } },
  }), 201, 'program')).id;
  otherProgram = (await must(await server.admin.post('/api/v1/programs', { name: 'Other', status: 'running' }), 201, 'program')).id;
  const people = [
    ['ann', 'Sales', 'mentor', 2, '2025-01-02'], ['ben', 'Sales', 'mentor', 1, '2025-01-02'],
    ['cid', 'IT', 'mentor', 1, '2025-01-03'], ['dee', 'IT', 'mentee', 0, '2025-01-02'],
    ['eve', 'Sales', 'mentee', 0, '2025-01-04'], ['fay', 'HR', 'mentee', 0, '2025-01-05'],
    ['gus', 'IT', 'mentee', 0, '2025-01-05'],
  ];
  for (const [name, department, role, capacity, joined] of people) {
    const email = `${name}@example.com`;
    const person = (await must(await server.admin.post('/api/v1/people', { name, email, department }), 201, 'person')).id;
    const ms = { person_id: person, role, joined_on: joined };
    if (role === 'mentor') ms.capacity = capacity;
    const membership = (await must(await server.admin.post(`/api/v1/programs/${program}/memberships`, ms), 201, 'membership')).id;
    await must(await server.admin.post('/api/v1/users', { email, name, role, password: PASSWORD, person_id: person }), 201, 'user');
    accounts[name] = { email, person, membership, role, department, capacity, joined };
  }
  // Employees who take no part: one hired long ago, one hired after T.
  await must(await server.admin.post('/api/v1/people', { name: 'hal', email: 'hal@example.com', department: 'HR', hire_date: '2020-01-01' }), 201, 'hal');
  await must(await server.admin.post('/api/v1/people', { name: 'ivy', email: 'ivy@example.com', department: 'HR', hire_date: '2025-06-01' }), 201, 'ivy');
  for (const [key, mentor, mentee] of [['pa', 'ann', 'dee'], ['pb', 'ben', 'eve']]) {
    const p = await must(await server.admin.post(`/api/v1/programs/${program}/pairs`,
      { mentor_membership_id: accounts[mentor].membership, mentee_membership_id: accounts[mentee].membership }), 201, 'pair');
    rows.pairs[key] = { id: p.id, mentor, mentee, start: '2025-01-06', end: null, status: 'active' };
  }
  const s1 = await addSession('pa', '2025-01-06T09:00:00Z', 60, 'intro');
  await rate(s1, 'ann', 5, 'good start');
  await rate(s1, 'dee', 4, 'helpful');
  const s2 = await addSession('pb', '2025-01-06T10:00:00Z', 30, 'intro');
  await rate(s2, 'ben', 4);
  await rate(s2, 'eve', 5);
  await server.stop();

  // Day 2: 2025-02-10.
  server = await serve('2025-02-10T12:00:00Z');
  const pc = await must(await server.admin.post(`/api/v1/programs/${program}/pairs`,
    { mentor_membership_id: accounts.cid.membership, mentee_membership_id: accounts.fay.membership }), 201, 'pair');
  rows.pairs.pc = { id: pc.id, mentor: 'cid', mentee: 'fay', start: '2025-02-10', end: null, status: 'active' };
  const s3 = await addSession('pa', '2025-02-03T09:00:00Z', 45);
  await rate(s3, 'dee', 3, 'meh');
  const s4 = await addSession('pb', '2025-02-05T09:00:00Z', 90);
  await rate(s4, 'ben', 4);
  await rate(s4, 'eve', 4);
  await addSession('pb', '2025-02-07T09:00:00Z', 30, 'regular', 'cancelled');
  await must(await server.admin.post(`/api/v1/pairs/${rows.pairs.pb.id}/complete`), 200, 'complete');
  Object.assign(rows.pairs.pb, { end: '2025-02-10', status: 'completed' });
  const g1 = await must(await server.admin.post(`/api/v1/memberships/${accounts.dee.membership}/goals`,
    { category: 'new_skill', description: 'Learn SQL' }), 201, 'goal');
  await must(await server.admin.patch(`/api/v1/memberships/${accounts.dee.membership}/goals/${g1.id}`,
    { status: 'achieved', achieved_on: '2025-02-10' }), 200, 'achieve');
  rows.goals.push({ category: 'new_skill', set: '2025-02-10', achieved: '2025-02-10', person: 'dee' });
  await must(await server.admin.post(`/api/v1/memberships/${accounts.eve.membership}/goals`,
    { category: 'promotion', description: 'Team lead' }), 201, 'goal');
  rows.goals.push({ category: 'promotion', set: '2025-02-10', achieved: null, person: 'eve' });
  await server.stop();

  // Day 3: 2025-03-10, the day the reports are read.
  server = await serve('2025-03-10T12:00:00Z');
  await addSession('pc', '2025-03-01T09:00:00Z', 60);
  await addSession('pa', '2025-03-05T23:30:00Z', 30);
});

after(async () => {
  if (server) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ---- the expected figures, from the rows above --------------------------------

const inRange = (day, from, to) => day >= from && day <= to;
const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);
const median = (v) => {
  const s = [...v].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? null : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const ratio = (numerator, denominator) => ({ numerator, denominator, value: denominator ? numerator / denominator : null });

function expected(from, to, dept = null) {
  const personIn = (name) => !dept || accounts[name].department === dept;
  const pairIn = (p) => personIn(p.mentor) || personIn(p.mentee);
  const activeAt = (p) => p.start <= to && (!p.end || p.end > to);
  const members = Object.entries(accounts).filter(([n, a]) => personIn(n) && a.joined <= to);
  const pairs = Object.values(rows.pairs).filter(pairIn);
  const held = rows.sessions.filter((s) => s.status === 'completed' && inRange(s.day, from, to) && pairIn(rows.pairs[s.pair]));
  const heldRatings = rows.ratings.filter((r) => held.includes(r.session));
  const mean = (xs) => ({ sum: xs.reduce((a, b) => a + b, 0), count: xs.length });
  const minutesBy = {};
  for (const s of held) {
    const p = rows.pairs[s.pair];
    for (const who of [p.mentor, p.mentee]) if (personIn(who)) minutesBy[who] = (minutesBy[who] || 0) + s.minutes;
  }
  const ranked = Object.entries(minutesBy).sort((a, b) => b[1] - a[1] || accounts[a[0]].person - accounts[b[0]].person);
  const ranks = ranked.map(([, m], i) => ranked.findIndex(([, m2]) => m2 === m) + 1);
  const mentorsWithSessions = {};
  for (const s of held) mentorsWithSessions[rows.pairs[s.pair].mentor] = (mentorsWithSessions[rows.pairs[s.pair].mentor] || 0) + 1;
  const touching = pairs.filter((p) => p.start <= to && (activeAt(p) || p.end >= from));
  const seats = (name) => pairs.filter((p) => p.mentor === name && activeAt(p)).length;
  const mentors = members.filter(([, a]) => a.role === 'mentor');
  const mentees = members.filter(([, a]) => a.role === 'mentee');
  const pairedOf = (list, side) => list.filter(([n]) => Object.values(rows.pairs).some((p) => p[side] === n && activeAt(p))).length;
  const ended = pairs.filter((p) => p.end && inRange(p.end, from, to));
  const success = ended.filter((p) => {
    const life = rows.sessions.filter((s) => s.pair === Object.keys(rows.pairs).find((k) => rows.pairs[k] === p) && s.status === 'completed');
    const r = rows.ratings.filter((x) => life.includes(x.session));
    const sideOk = (side) => { const xs = r.filter((x) => x.side === side).map((x) => x.score); return xs.length > 0 && xs.reduce((a, b) => a + b, 0) / xs.length >= 4; };
    return life.length >= 2 && sideOk('mentor') && sideOk('mentee');
  });
  const activePairs = pairs.filter(activeAt);
  const withIntro = activePairs.filter((p) => rows.sessions.some((s) => rows.pairs[s.pair] === p && s.kind === 'intro' && s.status === 'completed' && s.day <= to));
  const goals = rows.goals.filter((g) => personIn(g.person) && g.set <= to);
  // Employees at T: the participants and hal (HR); ivy is hired after T.
  const employees = (!dept || dept === 'HR' ? 1 : 0) + Object.keys(accounts).filter(personIn).length;
  return {
    R1: { mentors: mentors.length, mentees: mentees.length, persons: new Set(members.map(([n]) => n)).size },
    R2: { capacity: mentors.reduce((a, [, m]) => a + m.capacity, 0), seats: mentors.reduce((a, [n]) => a + seats(n), 0),
      atOrOver: mentors.filter(([n, m]) => seats(n) >= m.capacity).length },
    P1: { active: touching.filter(activeAt).length, completed: touching.filter((p) => !activeAt(p) && p.status === 'completed').length, total: touching.length },
    P2: (() => { const d = touching.map((p) => daysBetween(p.start, activeAt(p) ? to : p.end)); return { median: median(d), mean: d.reduce((a, b) => a + b, 0) / d.length }; })(),
    P4: { mentees: ratio(pairedOf(mentees, 'mentee'), mentees.length), mentors: ratio(pairedOf(mentors, 'mentor'), mentors.length) },
    P5: ratio(new Set(members.map(([n]) => n)).size, employees),
    P6: ratio(withIntro.length, activePairs.length),
    S1: { held: held.length, cancelled: rows.sessions.filter((s) => s.status === 'cancelled' && inRange(s.day, from, to) && pairIn(rows.pairs[s.pair])).length },
    S2: { mentees: mean(heldRatings.filter((r) => r.side === 'mentee').map((r) => r.score)), mentors: mean(heldRatings.filter((r) => r.side === 'mentor').map((r) => r.score)) },
    // Newest session first; within a session the later rating first.
    S3: heldRatings.filter((r) => r.comment).sort((a, b) => (b.session.day.localeCompare(a.session.day)) ||
      b.session.id - a.session.id || rows.ratings.indexOf(b) - rows.ratings.indexOf(a)).map((r) => r.comment),
    S4: held.reduce((a, s) => a + s.minutes, 0),
    S5: ranked.map(([n, m], i) => ({ person_id: accounts[n].person, minutes: m, rank: ranks[i] })),
    S6: ratio(Object.values(mentorsWithSessions).reduce((a, b) => a + b, 0), Object.keys(mentorsWithSessions).length),
    G4: ratio(goals.filter((g) => g.achieved && g.achieved <= to).length, goals.length),
    H1: ratio(success.length, ended.length),
  };
}

function check(m, e) {
  assert.equal(m.R1.mentors, e.R1.mentors, 'R1 mentors');
  assert.equal(m.R1.mentees, e.R1.mentees, 'R1 mentees');
  assert.equal(m.R1.persons, e.R1.persons, 'R1 persons');
  assert.equal(m.R2.capacity, e.R2.capacity, 'R2 capacity');
  assert.equal(m.R2.seats_in_use, e.R2.seats, 'R2 seats');
  assert.deepEqual(m.R2.utilisation, ratio(e.R2.seats, e.R2.capacity), 'R2 utilisation');
  assert.equal(m.R2.mentors_at_or_over_capacity, e.R2.atOrOver, 'R2 at capacity');
  assert.equal(m.P1.active, e.P1.active, 'P1 active');
  assert.equal(m.P1.completed, e.P1.completed, 'P1 completed');
  assert.equal(m.P1.total, e.P1.total, 'P1 total');
  assert.equal(m.P2.median_days, e.P2.median, 'P2 median');
  assert.equal(m.P2.mean_days.mean, e.P2.mean, 'P2 mean');
  assert.deepEqual(m.P4.mentees, e.P4.mentees, 'P4 mentees');
  assert.deepEqual(m.P4.mentors, e.P4.mentors, 'P4 mentors');
  assert.deepEqual(m.P5.share_of_headcount, e.P5, 'P5 share of headcount');
  assert.deepEqual(m.P6.held_intro, e.P6, 'P6');
  assert.equal(m.S1.held, e.S1.held, 'S1 held');
  assert.equal(m.S1.not_held.cancelled, e.S1.cancelled, 'S1 cancelled');
  assert.equal(m.S2.by_mentees.sum, e.S2.mentees.sum, 'S2 mentees sum');
  assert.equal(m.S2.by_mentees.count, e.S2.mentees.count, 'S2 mentees count');
  assert.equal(m.S2.by_mentors.sum, e.S2.mentors.sum, 'S2 mentors sum');
  assert.equal(m.S2.by_mentors.count, e.S2.mentors.count, 'S2 mentors count');
  assert.equal(m.S4.minutes, e.S4, 'S4 minutes');
  assert.equal(m.S4.hours, e.S4 / 60, 'S4 hours');
  assert.equal(m.S5.participants, e.S5.length, 'S5 participants');
  assert.deepEqual(m.S6.sessions_per_mentor, e.S6, 'S6');
  assert.deepEqual(m.G4.overall, e.G4, 'G4');
  assert.deepEqual(m.H1.success_rate, e.H1, 'H1 success');
}

const metrics = (c, q = '') => c.get(`/api/v1/programs/${program}/metrics${q}`);

test('every KPI over a range matches the figures computed from the fixture', async () => {
  const res = await metrics(server.admin, '?from=2025-01-01&to=2025-02-28');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.from, '2025-01-01');
  assert.equal(res.body.to, '2025-02-28');
  const m = res.body.metrics;
  assert.deepEqual(Object.keys(m).sort(), ['G1', 'G2', 'G3', 'G4', 'H1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7',
    'R1', 'R2', 'R3', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'].sort());
  for (const k of Object.keys(m)) assert.equal(typeof m[k].definition, 'string', `${k} has a definition`);
  const e = expected('2025-01-01', '2025-02-28');
  check(m, e);
  assert.deepEqual(m.S3.comments.map((c) => c.comment), e.S3, 'S3 newest first');
  assert.deepEqual(m.S5.top.map(({ person_id, minutes, rank }) => ({ person_id, minutes, rank })), e.S5, 'S5 ranking');
  // Spot values worked out by hand, so a shared mistake in both sides shows.
  assert.equal(m.P2.median_days, 35);           // 18, 35, 53
  assert.deepEqual(m.S5.top.map((t) => t.rank), [1, 1, 3, 3]);
  assert.deepEqual(m.H1.success_rate, { numerator: 1, denominator: 1, value: 1 });
  assert.deepEqual(m.S1.per_month.map((x) => [x.month, x.count]), [['2025-01', 2], ['2025-02', 2]]);
  assert.equal(m.P1.completed, 1, 'a pair completed in the range counts');
});

test('S1 and S4 agree with an independent query on the database file', async () => {
  const sql = `SELECT COUNT(*) || ' ' || SUM(minutes) FROM sessions WHERE program_id = ${program} ` +
    `AND status = 'completed' AND substr(held_at, 1, 10) BETWEEN '2025-01-01' AND '2025-03-10'`;
  const [count, minutes] = execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim().split(' ').map(Number);
  const res = await metrics(server.admin, '?to=2025-03-10&kpi=S1,S4');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.body.metrics).sort(), ['S1', 'S4']);
  assert.equal(res.body.metrics.S1.held, count);
  assert.equal(res.body.metrics.S4.minutes, minutes);
});

test('defaults: from the program start to today; filters by date range and department', async () => {
  const all = await metrics(server.admin);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.from, '2025-01-01');
  assert.equal(all.body.to, '2025-03-10');
  check(all.body.metrics, expected('2025-01-01', '2025-03-10'));

  const feb = await metrics(server.admin, '?from=2025-02-01&to=2025-02-28');
  check(feb.body.metrics, expected('2025-02-01', '2025-02-28'));
  assert.equal(feb.body.metrics.S1.held, 2);

  const it = await metrics(server.admin, '?from=2025-01-01&to=2025-02-28&department=IT');
  assert.equal(it.status, 200, it.text);
  assert.equal(it.body.department, 'IT');
  check(it.body.metrics, expected('2025-01-01', '2025-02-28', 'IT'));
  assert.equal(it.body.metrics.R1.mentees, 2);
  const none = await metrics(server.admin, '?department=Nowhere');
  assert.equal(none.body.metrics.R1.persons, 0);

  const monthly = await metrics(server.admin, '?from=2025-01-01&to=2025-03-10&interval=month&kpi=P5');
  assert.deepEqual(monthly.body.metrics.P5.series.map((x) => [x.period, x.new, x.cumulative]),
    [['2025-01', 2, 2], ['2025-02', 1, 3], ['2025-03', 0, 3]]);
});

test('one KPI by path; a write is seen at once (the cache follows the data version)', async () => {
  const one = await server.admin.get(`/api/v1/programs/${program}/metrics/s1?from=2025-01-01&to=2025-03-10`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.body.kpi, 'S1');
  const before = one.body.metric.held;
  await addSession('pc', '2025-03-09T09:00:00Z', 30);
  const again = await server.admin.get(`/api/v1/programs/${program}/metrics/S1?from=2025-01-01&to=2025-03-10`);
  assert.equal(again.body.metric.held, before + 1);
  assert.ok(again.body.data_version > one.body.data_version);
  expectError(assert, await server.admin.get(`/api/v1/programs/${program}/metrics/Z9`), 404);
  expectError(assert, await server.admin.get(`/api/v1/programs/${program}/metrics/S1/x`), 404);
  expectError(assert, await server.admin.get('/api/v1/programs/9999/metrics'), 404);
});

test('access: managers of the program and viewers read; viewers see no personal parts', async () => {
  const manager = await must(await server.admin.post('/api/v1/users',
    { email: 'mgr@example.com', name: 'Mgr', role: 'manager', password: PASSWORD }), 201, 'manager');
  await must(await server.admin.post(`/api/v1/programs/${program}/managers`, { user_id: manager.id }), 201, 'make manager');
  const mgr = await login(server, 'mgr@example.com', PASSWORD);
  const own = await metrics(mgr, '?from=2025-01-01&to=2025-02-28');
  assert.equal(own.status, 200, own.text);
  assert.ok(Array.isArray(own.body.metrics.S3.comments));
  assert.ok(Array.isArray(own.body.metrics.S5.top));
  assert.ok(Array.isArray(own.body.metrics.P4.unpaired));

  await must(await server.admin.post('/api/v1/users',
    { email: 'viewer@example.com', name: 'V', role: 'viewer', password: PASSWORD }), 201, 'viewer');
  const viewer = await login(server, 'viewer@example.com', PASSWORD);
  const v = await metrics(viewer, '?from=2025-01-01&to=2025-02-28');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.body.personal, false);
  assert.equal(v.body.metrics.S3.comments, undefined);
  assert.equal(v.body.metrics.S3.total, 3);
  assert.equal(v.body.metrics.S5.top, undefined);
  assert.equal(v.body.metrics.P4.unpaired, undefined);
  assert.ok(!v.text.includes('good start') && !v.text.includes('"name"'), 'no comment text or names');
  check(v.body.metrics, expected('2025-01-01', '2025-02-28'));

  const out = await must(await server.admin.post('/api/v1/users',
    { email: 'outsider@example.com', name: 'O', role: 'manager', password: PASSWORD }), 201, 'outsider');
  await must(await server.admin.post(`/api/v1/programs/${otherProgram}/managers`, { user_id: out.id }), 201, 'other manager');
  const outsider = await login(server, 'outsider@example.com', PASSWORD);
  expectError(assert, await metrics(outsider), 403);
  expectError(assert, await outsider.get(`/api/v1/programs/${program}/metrics/P4`), 403);
  expectError(assert, await metrics(await as('dee')), 403);
  expectError(assert, await metrics(await as('ann')), 403);
  const anon = await fetch(`${server.url}/api/v1/programs/${program}/metrics`);
  assert.equal(anon.status, 401);
});

test('bad input names the field', async () => {
  expectError(assert, await metrics(server.admin, '?from=2025-03-01&to=2025-02-01'), 422, 'from');
  expectError(assert, await metrics(server.admin, '?from=2025-02-30'), 400, 'from');
  expectError(assert, await metrics(server.admin, '?to=yesterday'), 400, 'to');
  expectError(assert, await metrics(server.admin, '?interval=year'), 400, 'interval');
  expectError(assert, await metrics(server.admin, '?kpi=R1,Z9'), 400, 'kpi');
  expectError(assert, await metrics(server.admin, '?side=both'), 400, 'side');
  expectError(assert, await metrics(server.admin, '?top=0'), 400, 'top');
});
