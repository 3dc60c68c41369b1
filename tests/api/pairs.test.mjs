// Matching and pairs: the optimal proposal, review, requests, manual
// pairing with every hard constraint, and the whole pair lifecycle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, userWithRole, expectError, cli } from './helpers.mjs';

let server, admin, program, ms, people;

const PEOPLE = `email,name,department,level,manager,languages,office
boss@corp.com,Bea Boss,Engineering,9,,English,Berlin
ann@corp.com,Ann Mentor,Engineering,7,boss@corp.com,English,Berlin
dan@corp.com,Dan Mentor,Sales,6,,English,Paris
eve@corp.com,Eve Mentor,Finance,8,,English,Berlin
bob@corp.com,Bob Mentee,Engineering,3,ann@corp.com,English,Berlin
cat@corp.com,Cat Mentee,Sales,2,dan@corp.com,English,Paris
fay@corp.com,Fay Mentee,Finance,4,,English,Berlin
gus@corp.com,Gus Mentee,Marketing,3,,English,Paris
`;
const MEMBERS = `email,role,capacity,skills,goal areas
ann@corp.com,mentor,2,"SQL:5; Public speaking:4",promotion;new_skill
dan@corp.com,mentor,1,"Negotiation:5; SQL:3",performance
eve@corp.com,mentor,1,"Financial modelling:5; Public speaking:5",promotion
bob@corp.com,mentee,,"SQL:1; Public speaking:2",promotion
cat@corp.com,mentee,,"Negotiation:2",performance
fay@corp.com,mentee,,"Financial modelling:2",promotion
gus@corp.com,mentee,,"Public speaking:1; SQL:2",new_skill
`;

before(async () => {
  server = await startServer();
  admin = server.admin;
  assert.equal((await admin.post('/api/v1/people/import', PEOPLE, { raw: true })).status, 200);
  const p = await admin.post('/api/v1/programs', { name: 'Pairs', status: 'running' });
  program = p.body.id;
  assert.equal((await admin.post(`/api/v1/programs/${program}/memberships/import`, MEMBERS, { raw: true })).status, 200);
  const list = await admin.get(`/api/v1/programs/${program}/memberships?limit=100`);
  ms = Object.fromEntries(list.body.items.map((m) => [m.person_email.split('@')[0], m]));
  const pl = await admin.get('/api/v1/people?limit=100');
  people = Object.fromEntries(pl.body.items.map((x) => [x.email.split('@')[0], x.id]));
});
after(async () => { await server.stop(); });

const pairsOf = async (query = '') =>
  (await admin.get(`/api/v1/programs/${program}/pairs?limit=100${query}`)).body.items;

test('a dry run proposes a certified optimum and stores nothing', async () => {
  const res = await admin.post(`/api/v1/programs/${program}/match?dry_run=true`);
  assert.equal(res.status, 200);
  const { summary, pairs } = res.body;
  assert.equal(summary.certified, true);
  assert.equal(summary.dry_run, true);
  assert.equal(summary.mentees_waiting, 4);
  assert.equal(summary.free_seats, 4);
  assert.equal(summary.total_score, pairs.reduce((s, p) => s + p.score, 0));
  for (const p of pairs) {
    // Reasons explain the whole score, and each has a sentence.
    assert.equal(p.reasons.reduce((s, r) => s + r.points, 0), p.score);
    for (const r of p.reasons) assert.ok(r.text.length > 10, r.text);
  }
  // Hard constraint: Ann manages Bob, so they are never proposed together.
  assert.ok(!pairs.some((p) => p.mentee_name === 'Bob Mentee' && p.mentor_name === 'Ann Mentor'));
  // Capacities respected.
  const perMentor = {};
  for (const p of pairs) perMentor[p.mentor_name] = (perMentor[p.mentor_name] || 0) + 1;
  assert.ok((perMentor['Dan Mentor'] || 0) <= 1 && (perMentor['Eve Mentor'] || 0) <= 1 && (perMentor['Ann Mentor'] || 0) <= 2);
  assert.equal((await pairsOf()).length, 0);
});

test('the proposal is the best total over every assignment (brute force on the export)', async () => {
  const scores = (await admin.get(`/api/v1/programs/${program}/match/scores?format=json`)).body.items;
  const mentees = [...new Set(scores.map((s) => s.mentee_email))];
  const cap = { 'ann@corp.com': 2, 'dan@corp.com': 1, 'eve@corp.com': 1 };
  const score = new Map(scores.map((s) => [`${s.mentee_email}|${s.mentor_email}`, s.score]));
  let best = 0;
  const walk = (i, used, total) => {
    if (i === mentees.length) { best = Math.max(best, total); return; }
    walk(i + 1, used, total); // unpaired
    for (const m of Object.keys(cap)) {
      const s = score.get(`${mentees[i]}|${m}`);
      if (s === undefined || (used[m] || 0) >= cap[m]) continue;
      walk(i + 1, { ...used, [m]: (used[m] || 0) + 1 }, total + s);
    }
  };
  walk(0, {}, 0);
  const res = await admin.post(`/api/v1/programs/${program}/match?dry_run=true`);
  assert.equal(res.body.summary.total_score, best);
  // CSV form of the same export: a header and one row per eligible pair.
  const csv = await admin.get(`/api/v1/programs/${program}/match/scores?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'mentee_email,mentor_email,score,skill,goal_area,seniority,department,location,language,wish');
  assert.equal(lines.length - 1, scores.length);
  expectError(assert, await admin.get(`/api/v1/programs/${program}/match/scores?format=xml`), 400, 'format');
});

test('match stores proposals; approve, decline and approve-all walk the lifecycle', async () => {
  const run = await admin.post(`/api/v1/programs/${program}/match`);
  assert.equal(run.status, 201);
  const proposed = await pairsOf('&status=proposed');
  assert.equal(proposed.length, run.body.pairs.length);
  assert.ok(proposed.length >= 3);

  const [first, second] = proposed;
  const ok = await admin.post(`/api/v1/pairs/${first.id}/approve`);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'active');
  assert.match(ok.body.started_on, /^\d{4}-\d{2}-\d{2}$/);
  expectError(assert, await admin.post(`/api/v1/pairs/${first.id}/approve`), 409, 'status');

  const no = await admin.post(`/api/v1/pairs/${second.id}/decline`, { reason: 'not now' });
  assert.equal(no.body.status, 'declined');
  const hist = (await admin.get(`/api/v1/pairs/${second.id}`)).body.history;
  assert.deepEqual(hist.map((h) => h.to_status), ['proposed', 'declined']);
  assert.equal(hist[1].note, 'not now');

  const all = await admin.post(`/api/v1/programs/${program}/proposals/approve`, {});
  assert.equal(all.status, 200);
  assert.equal(all.body.approved, proposed.length - 2);
  assert.equal((await pairsOf('&status=proposed')).length, 0);
  expectError(assert, await admin.post(`/api/v1/programs/${program}/proposals/approve`, { pair_ids: 'x' }), 422, 'pair_ids');
  expectError(assert, await admin.post(`/api/v1/programs/${program}/proposals/approve`, { pair_ids: [second.id] }), 409, 'status');
});

test('a declined mentee waits again and is proposed a different mentor', async () => {
  const declined = (await pairsOf('&status=declined'))[0];
  const run = await admin.post(`/api/v1/programs/${program}/match?dry_run=true`);
  const mentees = run.body.pairs.map((p) => p.mentee_person_id);
  if (run.body.summary.free_seats > 0 && run.body.pairs.length) {
    for (const p of run.body.pairs) {
      assert.ok(!(p.mentee_person_id === declined.mentee_person_id && p.mentor_person_id === declined.mentor_person_id),
        'a declined pair is never proposed again');
    }
  }
  assert.ok(run.body.summary.mentees_waiting >= 1);
  assert.ok(Array.isArray(mentees));
});

test('complete and end: terminal states, reasons, and the mentee becomes eligible', async () => {
  const active = await pairsOf('&status=active&sort=id');
  assert.ok(active.length >= 2);
  const [a, b] = active;
  const before = (await admin.post(`/api/v1/programs/${program}/match?dry_run=true`)).body.summary.mentees_waiting;
  const done = await admin.post(`/api/v1/pairs/${a.id}/complete`);
  assert.equal(done.body.status, 'completed');
  assert.match(done.body.ended_on, /^\d{4}-\d{2}-\d{2}$/);
  expectError(assert, await admin.post(`/api/v1/pairs/${a.id}/end`, { reason: 'x' }), 409, 'status');
  expectError(assert, await admin.post(`/api/v1/pairs/${b.id}/end`), 422, 'reason');
  expectError(assert, await admin.post(`/api/v1/pairs/${b.id}/end`, { reason: '   ' }), 422, 'reason');
  const ended = await admin.post(`/api/v1/pairs/${b.id}/end`, { reason: 'mentee changed role' });
  assert.equal(ended.body.status, 'ended');
  assert.equal(ended.body.end_reason, 'mentee changed role');
  const afterWaiting = (await admin.post(`/api/v1/programs/${program}/match?dry_run=true`)).body.summary.mentees_waiting;
  assert.equal(afterWaiting, before + 2);
  expectError(assert, await admin.post('/api/v1/pairs/99999/complete'), 404);
});

test('manual pairing checks every hard constraint and names the broken one', async () => {
  const url = `/api/v1/programs/${program}/pairs`;
  // Ann is in Bob's reporting line.
  let e = expectError(assert, await admin.post(url, { mentor_membership_id: ms.ann.id, mentee_membership_id: ms.bob.id }), 409, 'mentor_membership_id');
  assert.equal(e.code, 'reporting_line');
  assert.match(e.message, /Ann Mentor/);
  // Wrong roles and unknown memberships.
  expectError(assert, await admin.post(url, { mentor_membership_id: ms.bob.id, mentee_membership_id: ms.cat.id }), 422, 'mentor_membership_id');
  expectError(assert, await admin.post(url, { mentor_membership_id: ms.ann.id, mentee_membership_id: ms.dan.id }), 422, 'mentee_membership_id');
  expectError(assert, await admin.post(url, { mentor_membership_id: ms.ann.id }), 422, 'mentee_membership_id');
  expectError(assert, await admin.post(url, { mentor_membership_id: ms.ann.id, mentee_membership_id: ms.gus.id, status: 'ended' }), 422, 'status');
  expectError(assert, await admin.post(url, { mentor_membership_id: 'x', mentee_membership_id: 1 }), 422, 'mentor_membership_id');
  // A pair that already existed in this program (completed/ended/declined above).
  const old = (await pairsOf('&status=completed'))[0];
  e = expectError(assert, await admin.post(url, { mentor_membership_id: old.mentor_membership_id, mentee_membership_id: old.mentee_membership_id }), 409);
  assert.equal(e.code, 'prior_pair');
  // Capacity: fill Dan (capacity 1), then try again.
  const state = await pairsOf('&status=active');
  const danBusy = state.some((p) => p.mentor_membership_id === ms.dan.id);
  const freeMentee = ['gus', 'fay', 'cat', 'bob'].map((k) => ms[k]).find((m) =>
    !state.some((p) => p.mentee_membership_id === m.id));
  if (!danBusy) {
    const r = await admin.post(url, { mentor_membership_id: ms.dan.id, mentee_membership_id: freeMentee.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.source, 'manual');
    assert.equal(r.body.status, 'active');
  }
  const other = ['gus', 'fay', 'cat', 'bob'].map((k) => ms[k]).find((m) => m.id !== freeMentee.id &&
    !state.some((p) => p.mentee_membership_id === m.id));
  e = expectError(assert, await admin.post(url, { mentor_membership_id: ms.dan.id, mentee_membership_id: (other || ms.gus).id }), 409);
  assert.ok(['capacity', 'prior_pair', 'mentee_paired'].includes(e.code), e.code);
  // A mentee with an active mentor cannot get a second one (k = 1).
  const paired = (await pairsOf('&status=active'))[0];
  const mentor = [ms.ann, ms.eve, ms.dan].find((m) => m.id !== paired.mentor_membership_id);
  e = expectError(assert, await admin.post(url, { mentor_membership_id: mentor.id, mentee_membership_id: paired.mentee_membership_id }), 409);
  assert.ok(['mentee_paired', 'capacity', 'prior_pair', 'reporting_line'].includes(e.code), e.code);
});

test('participants: preferences, recommendations, requests, and what they may see', async () => {
  // A fresh program so every mentee waits.
  const p2 = (await admin.post('/api/v1/programs', { name: 'Requests', status: 'open' })).body.id;
  await admin.post(`/api/v1/programs/${p2}/memberships/import`, MEMBERS, { raw: true });
  const mlist = (await admin.get(`/api/v1/programs/${p2}/memberships?limit=100`)).body.items;
  const m2 = Object.fromEntries(mlist.map((m) => [m.person_email.split('@')[0], m]));
  const gus = await userWithRole(server, 'mentee', { person: people.gus });
  const fay = await userWithRole(server, 'mentee', { person: people.fay });
  const eve = await userWithRole(server, 'mentor', { person: people.eve });
  const dan = await userWithRole(server, 'mentor', { person: people.dan });
  const viewer = await userWithRole(server, 'viewer');

  const rec = await gus.get(`/api/v1/programs/${p2}/recommendations`);
  assert.equal(rec.status, 200);
  assert.ok(rec.body.items.length >= 1);
  const scores = rec.body.items.map((r) => r.score);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x));
  expectError(assert, await viewer.get(`/api/v1/programs/${p2}/recommendations`), 403);
  expectError(assert, await eve.get(`/api/v1/programs/${p2}/recommendations`), 403);

  // "Not this person" is a hard constraint.
  assert.equal((await gus.put(`/api/v1/programs/${p2}/preferences`, { avoid: [people.eve], wishes: [people.ann] })).status, 200);
  let e = expectError(assert, await gus.post(`/api/v1/programs/${p2}/requests`, { mentor_membership_id: m2.eve.id }), 409);
  assert.equal(e.code, 'mentee_avoids');
  expectError(assert, await eve.put(`/api/v1/programs/${p2}/preferences`, { wishes: [people.gus] }), 422, 'wishes');
  expectError(assert, await gus.put(`/api/v1/programs/${p2}/preferences`, { avoid: ['x'] }), 422, 'avoid');

  // Fay asks Eve; Dan cannot answer it, Fay cannot approve it, Eve accepts.
  const req = await fay.post(`/api/v1/programs/${p2}/requests`, { mentor_membership_id: m2.eve.id });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.body.source, 'request');
  assert.equal(req.body.status, 'proposed');
  expectError(assert, await dan.post(`/api/v1/pairs/${req.body.id}/approve`), 404);
  expectError(assert, await fay.post(`/api/v1/pairs/${req.body.id}/approve`), 403);
  const acc = await eve.post(`/api/v1/pairs/${req.body.id}/approve`);
  assert.equal(acc.status, 200);
  assert.equal(acc.body.status, 'active');
  expectError(assert, await eve.post(`/api/v1/pairs/${req.body.id}/complete`), 403);

  // Each participant sees only their own pairs; others get 404 on a pair.
  const mine = await fay.get(`/api/v1/programs/${p2}/pairs`);
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.every((p) => p.mentee_person_id === people.fay || p.mentor_person_id === people.fay));
  assert.equal((await gus.get(`/api/v1/programs/${p2}/pairs`)).body.items.length, 0);
  expectError(assert, await gus.get(`/api/v1/pairs/${req.body.id}`), 404);
  assert.equal((await fay.get(`/api/v1/pairs/${req.body.id}`)).status, 200);
  expectError(assert, await viewer.get(`/api/v1/programs/${p2}/pairs`), 403);
  expectError(assert, await viewer.post(`/api/v1/programs/${p2}/match`), 403);
  expectError(assert, await fay.post(`/api/v1/programs/${p2}/match`), 403);
});

test('locked proposals survive a new run; a mentor can be swapped by hand; exclusions hold', async () => {
  const p3 = (await admin.post('/api/v1/programs', { name: 'Locks', status: 'running' })).body.id;
  await admin.post(`/api/v1/programs/${p3}/memberships/import`, MEMBERS, { raw: true });
  const run = await admin.post(`/api/v1/programs/${p3}/match`);
  const [keep, other] = run.body.pairs;
  assert.equal((await admin.patch(`/api/v1/pairs/${keep.pair_id}`, { locked: true })).body.locked, true);
  expectError(assert, await admin.patch(`/api/v1/pairs/${keep.pair_id}`, { locked: 'yes' }), 422, 'locked');
  const again = await admin.post(`/api/v1/programs/${p3}/match`);
  const kept = again.body.pairs.find((p) => p.locked);
  assert.equal(kept.mentee_person_id, keep.mentee_person_id);
  assert.equal(kept.mentor_person_id, keep.mentor_person_id);
  assert.equal(again.body.summary.locked, 1);
  const stored = (await admin.get(`/api/v1/programs/${p3}/pairs?status=proposed&limit=100`)).body.items;
  assert.ok(stored.some((p) => p.id === keep.pair_id), 'the locked pair keeps its id');
  assert.equal(stored.length, again.body.pairs.length);

  // Exclude the pair of `other` and it is never proposed again.
  assert.equal((await admin.post(`/api/v1/programs/${p3}/exclusions`, { mentee_person_id: other.mentee_person_id, mentor_person_id: other.mentor_person_id })).status, 201);
  const third = await admin.post(`/api/v1/programs/${p3}/match`);
  assert.ok(!third.body.pairs.some((p) => p.mentee_person_id === other.mentee_person_id && p.mentor_person_id === other.mentor_person_id));
  expectError(assert, await admin.post(`/api/v1/programs/${p3}/exclusions`, { mentee_person_id: 1 }), 422, 'mentor_person_id');

  // Swap the locked pair's mentor for another mentor (constraints re-checked).
  const mlist = (await admin.get(`/api/v1/programs/${p3}/memberships?limit=100&role=mentor`)).body.items;
  const alt = mlist.find((m) => m.person_id !== keep.mentor_person_id && m.person_email !== 'ann@corp.com');
  const sw = await admin.patch(`/api/v1/pairs/${keep.pair_id}`, { mentor_membership_id: alt.id });
  if (sw.status === 200) {
    assert.equal(sw.body.mentor_person_id, alt.person_id);
    assert.equal(sw.body.source, 'manual');
    assert.equal(sw.body.reasons.reduce((s, r) => s + r.points, 0), sw.body.score);
  } else {
    expectError(assert, sw, 409);
  }
  await admin.post(`/api/v1/pairs/${keep.pair_id}/approve`);
  expectError(assert, await admin.patch(`/api/v1/pairs/${keep.pair_id}`, { locked: false }), 409, 'status');
});

test('the CLI match command gives the same optimum as the API', async () => {
  const p4 = (await admin.post('/api/v1/programs', { name: 'CLI match', status: 'running' })).body.id;
  await admin.post(`/api/v1/programs/${p4}/memberships/import`, MEMBERS, { raw: true });
  const api = await admin.post(`/api/v1/programs/${p4}/match?dry_run=true`);
  const out = cli(['match', String(p4), '--dry-run', '--json', '--db', server.db]);
  assert.equal(out.status, 0, out.stderr);
  const json = JSON.parse(out.stdout);
  assert.equal(json.summary.total_score, api.body.summary.total_score);
  assert.equal(json.summary.certified, true);
  const text = cli(['match', String(p4), '--dry-run', '--db', server.db]);
  assert.match(text.stdout, /Optimal: dual prices prove the total is the maximum/);
  const bad = cli(['match', '--db', server.db]);
  assert.equal(bad.status, 2);
  const missing = cli(['match', '999', '--db', server.db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /program 999 not found/);
});

test('the remaining hard constraints: oneself, the reverse reporting line, a mentor\'s "not this person"', async () => {
  const p5 = (await admin.post('/api/v1/programs', { name: 'Constraints', status: 'running' })).body.id;
  // Ann mentors and is mentored in the same program; Bea (Ann's manager) is a mentee.
  const csv = `email,role,capacity,skills
ann@corp.com,mentor,3,"SQL:5"
ann@corp.com,mentee,,"Negotiation:1"
boss@corp.com,mentee,,"SQL:1"
eve@corp.com,mentor,2,"SQL:4"
gus@corp.com,mentee,,"SQL:2"
`;
  assert.equal((await admin.post(`/api/v1/programs/${p5}/memberships/import`, csv, { raw: true })).status, 200);
  const list = (await admin.get(`/api/v1/programs/${p5}/memberships?limit=100`)).body.items;
  const find = (email, role) => list.find((m) => m.person_email === email && m.role === role);
  const url = `/api/v1/programs/${p5}/pairs`;
  let e = expectError(assert, await admin.post(url, { mentor_membership_id: find('ann@corp.com', 'mentor').id, mentee_membership_id: find('ann@corp.com', 'mentee').id }), 409, 'mentor_membership_id');
  assert.equal(e.code, 'self');
  // Ann would mentor her own manager.
  e = expectError(assert, await admin.post(url, { mentor_membership_id: find('ann@corp.com', 'mentor').id, mentee_membership_id: find('boss@corp.com', 'mentee').id }), 409);
  assert.equal(e.code, 'reverse_reporting_line');
  // Eve says "not Gus".
  const eve = await userWithRole(server, 'mentor', { person: people.eve });
  assert.equal((await eve.put(`/api/v1/programs/${p5}/preferences`, { avoid: [people.gus] })).status, 200);
  e = expectError(assert, await admin.post(url, { mentor_membership_id: find('eve@corp.com', 'mentor').id, mentee_membership_id: find('gus@corp.com', 'mentee').id }), 409);
  assert.equal(e.code, 'mentor_avoids');
  // The solver respects all three.
  const run = await admin.post(`/api/v1/programs/${p5}/match?dry_run=true`);
  for (const p of run.body.pairs) {
    assert.notEqual(p.mentor_person_id, p.mentee_person_id);
    assert.ok(!(p.mentor_person_id === people.ann && p.mentee_person_id === people.boss));
    assert.ok(!(p.mentor_person_id === people.eve && p.mentee_person_id === people.gus));
  }
  assert.equal(run.body.summary.certified, true);
});

test('enumerated filters refuse values they do not know (400 naming the field)', async () => {
  let e = expectError(assert, await admin.get('/api/v1/programs?status=live'), 400, 'status');
  assert.match(e.message, /draft, open, running, closed, archived/);
  expectError(assert, await admin.get(`/api/v1/programs/${program}/memberships?role=coach`), 400, 'role');
  expectError(assert, await admin.get(`/api/v1/programs/${program}/memberships?status=gone`), 400, 'status');
  expectError(assert, await admin.get(`/api/v1/programs/${program}/pairs?source=magic`), 400, 'source');
  expectError(assert, await admin.get(`/api/v1/programs/${program}/sessions?kind=party`), 400, 'kind');
  e = expectError(assert, await admin.get(`/api/v1/programs/${program}/sessions?status=done`), 400, 'status');
  assert.match(e.message, /scheduled, completed, cancelled, no_show/);
  // Known values still filter.
  assert.equal((await admin.get(`/api/v1/programs/${program}/memberships?role=mentor`)).body.items.every((m) => m.role === 'mentor'), true);
  assert.equal((await admin.get(`/api/v1/programs/${program}/sessions?status=completed`)).status, 200);
});

test('time zones count when locations differ', async () => {
  const csv = 'email,name,department,level,office,timezone\n'
    + 'tz.mentor@corp.com,Tia Zone,Legal,7,Berlin,Europe/Berlin\n'
    + 'tz.mentee@corp.com,Tom Zone,Design,4,Paris,Europe/Paris\n'
    + 'tz.far@corp.com,Tim Far,Design,4,Tokyo,Asia/Tokyo\n';
  assert.equal((await admin.post('/api/v1/people/import', csv, { raw: true })).status, 200);
  const p6 = (await admin.post('/api/v1/programs', { name: 'Zones', status: 'running', settings: { matching: { min_score: 0 } } })).body.id;
  const members = 'email,role,capacity,skills\ntz.mentor@corp.com,mentor,2,"Contracts:5"\n'
    + 'tz.mentee@corp.com,mentee,,"Contracts:2"\ntz.far@corp.com,mentee,,"Contracts:2"\n';
  assert.equal((await admin.post(`/api/v1/programs/${p6}/memberships/import`, members, { raw: true })).status, 200);
  const run = await admin.post(`/api/v1/programs/${p6}/match?dry_run=true`);
  const near = run.body.pairs.find((p) => p.mentee_name === 'Tom Zone');
  const far = run.body.pairs.find((p) => p.mentee_name === 'Tim Far');
  const loc = (p) => p.reasons.find((r) => r.component === 'location');
  assert.ok(near && loc(near), JSON.stringify(run.body.pairs));
  assert.match(loc(near).text, /same time zone/);
  assert.ok(!far || !loc(far), 'Berlin and Tokyo are 7-8 hours apart: no points');
});
