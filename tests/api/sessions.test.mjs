// Sessions, ratings, check-ins and the iCalendar feed, against the real
// server: every route, its validation errors and its access rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, userWithRole } from './helpers.mjs';
import { setup, NOW } from './activity_fixture.mjs';

let f;
before(async () => { f = await setup(); });
after(async () => { await f.server.stop(); });

const sessions = (p) => `/api/v1/pairs/${p.id}/sessions`;

test('a pair member logs a held session and schedules the next one', async () => {
  const m = f.mentor.client;
  const held = await m.post(sessions(f.p1), {
    held_at: '2025-03-10T09:00:00Z', minutes: 45, kind: 'intro', notes: 'private notes',
    skill_ids: [f.skill.id],
  });
  assert.equal(held.status, 201, held.text);
  assert.equal(held.body.status, 'completed', 'a past session defaults to completed');
  assert.equal(held.body.kind, 'intro');
  assert.equal(held.body.notes, 'private notes');
  assert.deepEqual(held.body.topics.map((t) => t.skill_id), [f.skill.id]);

  const next = await f.mentee.client.post(sessions(f.p1), { held_at: '2025-03-17T09:30Z', minutes: 60 });
  assert.equal(next.status, 201, next.text);
  assert.equal(next.body.status, 'scheduled');
  assert.equal(next.body.kind, 'regular');
  assert.equal(next.body.held_at, '2025-03-17T09:30:00Z');

  const mgr = await f.manager.post(sessions(f.p1), { held_at: '2025-03-10T07:00:00Z', minutes: 30, status: 'scheduled' });
  assert.equal(mgr.status, 201, 'a program manager may log for the pair');
  const cancelled = await f.manager.patch(`${sessions(f.p1)}/${mgr.body.id}`, { status: 'cancelled' });
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.status, 'cancelled');

  const list = await m.get(`${sessions(f.p1)}?sort=held_at`);
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 3);
  assert.deepEqual(list.body.items.map((s) => s.held_at),
    ['2025-03-10T07:00:00Z', '2025-03-10T09:00:00Z', '2025-03-17T09:30:00Z']);
  const desc = await m.get(`${sessions(f.p1)}?sort=-held_at&limit=1&offset=1`);
  assert.equal(desc.body.items.length, 1);
  assert.equal(desc.body.items[0].held_at, '2025-03-10T09:00:00Z');
  const filtered = await m.get(`${sessions(f.p1)}?status=scheduled`);
  assert.deepEqual(filtered.body.items.map((s) => s.id), [next.body.id]);
  const ranged = await m.get(`${sessions(f.p1)}?from=2025-03-10&to=2025-03-10&status=completed`);
  assert.deepEqual(ranged.body.items.map((s) => s.id), [held.body.id]);
  const later = await m.get(`${sessions(f.p1)}?from=2025-03-11&to=2025-03-31`);
  assert.deepEqual(later.body.items.map((s) => s.id), [next.body.id]);
  const intro = await m.get(`${sessions(f.p1)}?kind=intro`);
  assert.equal(intro.body.total, 1);
  expectError(assert, await m.get(`${sessions(f.p1)}?sort=notes`), 400, 'sort');
  expectError(assert, await m.get(`${sessions(f.p1)}?from=yesterday`), 400, 'from');

  const one = await f.mentee.client.get(`${sessions(f.p1)}/${held.body.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.notes, 'private notes');
});

test('session validation: minutes, dates, kind, status, topics, unknown keys', async () => {
  const m = f.mentor.client;
  const ok = { held_at: '2025-03-10T08:00:00Z', minutes: 30 };
  expectError(assert, await m.post(sessions(f.p1), { ...ok, minutes: -5 }), 422, 'minutes');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, minutes: 0 }), 422, 'minutes');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, minutes: 601 }), 422, 'minutes');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, minutes: 'an hour' }), 422, 'minutes');
  expectError(assert, await m.post(sessions(f.p1), { held_at: ok.held_at }), 422, 'minutes');
  expectError(assert, await m.post(sessions(f.p1), { minutes: 30 }), 422, 'held_at');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: 'next tuesday' }), 422, 'held_at');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: '2025-02-30T10:00:00Z' }), 422, 'held_at');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: '2025-03-10' }), 422, 'held_at');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: '2025-03-10T25:00:00Z' }), 422, 'held_at');
  // Before the pair started.
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: '2025-01-10T10:00:00Z' }), 422, 'held_at');
  // A completed session cannot lie in the future.
  expectError(assert, await m.post(sessions(f.p1), { ...ok, held_at: '2025-04-01T10:00:00Z', status: 'completed' }), 422, 'status');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, kind: 'coffee' }), 422, 'kind');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, status: 'done' }), 422, 'status');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, skill_ids: [999999] }), 422, 'topics');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, goal_ids: [999999] }), 422, 'topics');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, goal_ids: 'x' }), 422, 'goal_ids');
  expectError(assert, await m.post(sessions(f.p1), { ...ok, room: 'B12' }), 422, 'room');
  expectError(assert, await m.post(sessions(f.p1), 'not json', { raw: true }), 400);
});

test('session status transitions follow the rules', async () => {
  const m = f.mentor.client;
  const s = (await m.post(sessions(f.p1), { held_at: '2025-03-10T06:00:00Z', minutes: 30, status: 'scheduled' })).body;
  const url = `${sessions(f.p1)}/${s.id}`;
  assert.equal((await m.patch(url, { status: 'no_show' })).body.status, 'no_show');
  assert.equal((await m.patch(url, { status: 'completed', minutes: 40, notes: 'late start' })).body.minutes, 40);
  const err = expectError(assert, await m.patch(url, { status: 'scheduled' }), 409, 'status');
  assert.match(err.message, /completed session cannot become scheduled/);
  expectError(assert, await m.patch(url, { minutes: -1 }), 422, 'minutes');
  expectError(assert, await m.patch(url, { held_at: 'soon' }), 422, 'held_at');
  const future = (await m.post(sessions(f.p1), { held_at: '2025-05-01T10:00:00Z', minutes: 30 })).body;
  expectError(assert, await m.patch(`${sessions(f.p1)}/${future.id}`, { status: 'completed' }), 422, 'status');
  assert.equal((await m.patch(`${sessions(f.p1)}/${future.id}`, { status: 'cancelled' })).status, 200);
  assert.equal((await m.patch(`${sessions(f.p1)}/${future.id}`, { status: 'scheduled' })).status, 200);
  expectError(assert, await m.get(`${sessions(f.p1)}/999999`), 404);
});

test('access: only the pair and its program managers reach its sessions', async () => {
  const s = (await f.mentor.client.post(sessions(f.p1), { held_at: '2025-03-10T05:00:00Z', minutes: 30 })).body;
  // Another mentor of the same program never sees this pair: 404, not 403.
  expectError(assert, await f.mentor2.client.get(sessions(f.p1)), 404);
  expectError(assert, await f.mentor2.client.get(`${sessions(f.p1)}/${s.id}`), 404);
  expectError(assert, await f.mentee2.client.post(sessions(f.p1), { held_at: '2025-03-10T05:00:00Z', minutes: 30 }), 404);
  expectError(assert, await f.mentor2.client.patch(`${sessions(f.p1)}/${s.id}`, { minutes: 50 }), 404);
  // A manager of another program is a stranger here.
  expectError(assert, await f.outsider.get(sessions(f.p1)), 404);
  // Viewers read aggregates only.
  expectError(assert, await f.viewer.get(sessions(f.p1)), 403);
  // A session id of another pair is not found under this pair.
  const other = (await f.mentor2.client.post(sessions(f.p2), { held_at: '2025-03-10T05:00:00Z', minutes: 30 })).body;
  expectError(assert, await f.mentor.client.get(`${sessions(f.p1)}/${other.id}`), 404);
  expectError(assert, await f.mentor.client.patch(`${sessions(f.p1)}/${other.id}`, { minutes: 10 }), 404);
  expectError(assert, await f.mentor.client.get(`/api/v1/pairs/999999/sessions`), 404);

  // Program-wide list: managers see every pair, a participant only their own.
  const all = await f.manager.get(`/api/v1/programs/${f.program}/sessions?limit=500`);
  assert.equal(all.status, 200);
  assert.ok(all.body.items.some((x) => x.pair_id === f.p2.id));
  assert.ok(all.body.items.some((x) => x.pair_id === f.p1.id));
  const own = await f.mentor.client.get(`/api/v1/programs/${f.program}/sessions?limit=500`);
  assert.ok(own.body.items.length > 0);
  assert.ok(own.body.items.every((x) => x.pair_id === f.p1.id), 'a mentor sees only their pairs');
  const byPair = await f.manager.get(`/api/v1/programs/${f.program}/sessions?pair_id=${f.p2.id}`);
  assert.ok(byPair.body.items.every((x) => x.pair_id === f.p2.id));
  const byPerson = await f.manager.get(`/api/v1/programs/${f.program}/sessions?person_id=${f.mentee2.person}`);
  assert.ok(byPerson.body.items.every((x) => x.pair_id === f.p2.id));
  expectError(assert, await f.manager.get(`/api/v1/programs/${f.program}/sessions?pair_id=x`), 400, 'pair_id');
  // A manager of another program may not read this program's rows.
  expectError(assert, await f.outsider.get(`/api/v1/programs/${f.program}/sessions`), 403);
});

test('writes are audited and bump the program data version', async () => {
  const before = (await f.manager.get(`/api/v1/programs/${f.program}`)).body.data_version;
  const s = await f.mentor.client.post(sessions(f.p1), { held_at: '2025-03-10T04:00:00Z', minutes: 30 });
  const afterV = (await f.manager.get(`/api/v1/programs/${f.program}`)).body.data_version;
  assert.ok(afterV > before, `data_version ${before} -> ${afterV}`);
  const audit = await f.server.admin.get('/api/v1/audit?entity=session&limit=500');
  assert.equal(audit.status, 200);
  assert.ok(audit.body.items.some((a) => a.entity_id === s.body.id && a.action === 'create'));
});

test('ratings: one per rater, completed sessions only, 1 to 5, edits recorded', async () => {
  const held = (await f.mentor.client.post(sessions(f.p1), { held_at: '2025-03-10T03:00:00Z', minutes: 60 })).body;
  const planned = (await f.mentor.client.post(sessions(f.p1), { held_at: '2025-03-20T10:00:00Z', minutes: 60 })).body;
  const url = `${sessions(f.p1)}/${held.id}/ratings`;
  expectError(assert, await f.mentee.client.post(url, { score: 0 }), 422, 'score');
  expectError(assert, await f.mentee.client.post(url, { score: 6 }), 422, 'score');
  expectError(assert, await f.mentee.client.post(url, { score: 3.5 }), 422, 'score');
  expectError(assert, await f.mentee.client.post(url, {}), 422, 'score');
  expectError(assert, await f.mentee.client.post(url, { score: 4, stars: 4 }), 422, 'stars');
  expectError(assert, await f.mentee.client.post(`${sessions(f.p1)}/${planned.id}/ratings`, { score: 4 }), 409);
  // Managers do not rate sessions (staff role is not allowed; admins are not in the pair).
  expectError(assert, await f.manager.post(url, { score: 4 }), 403);
  expectError(assert, await f.mentor2.client.post(url, { score: 4 }), 404);

  const mine = await f.mentee.client.post(url, { score: 2, comment: 'We ran out of time' });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.body.side, 'mentee');
  assert.equal(mine.body.rater_person_id, f.mentee.person);
  expectError(assert, await f.mentee.client.post(url, { score: 5 }), 409, 'session_id');
  const theirs = await f.mentor.client.post(url, { score: 5, comment: 'Great energy' });
  assert.equal(theirs.status, 201);
  assert.equal(theirs.body.side, 'mentor');

  // Only the author edits; the edit is kept.
  expectError(assert, await f.mentor.client.patch(`/api/v1/pairs/${f.p1.id}/ratings/${mine.body.id}`, { score: 5 }), 403);
  expectError(assert, await f.mentee.client.patch(`/api/v1/pairs/${f.p1.id}/ratings/${mine.body.id}`, { score: 7 }), 422, 'score');
  const edited = await f.mentee.client.patch(`/api/v1/pairs/${f.p1.id}/ratings/${mine.body.id}`, { score: 3 });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.score, 3);
  assert.equal(edited.body.comment, 'We ran out of time', 'comment kept when not given');
  assert.equal(edited.body.edits.length, 1);
  assert.equal(edited.body.edits[0].old_score, 2);
  assert.equal(edited.body.edits[0].new_score, 3);
  expectError(assert, await f.mentee.client.patch(`/api/v1/pairs/${f.p2.id}/ratings/${mine.body.id}`, { score: 3 }), 404);
  expectError(assert, await f.mentee.client.get(`/api/v1/pairs/${f.p1.id}/ratings/999999`), 404);

  // Comments: the author and managers read them; the other side does not
  // (share_feedback is off in this program).
  const asMentor = await f.mentor.client.get(url);
  const menteeRow = asMentor.body.items.find((r) => r.side === 'mentee');
  assert.equal(menteeRow.comment, null);
  assert.equal(menteeRow.comment_hidden, true);
  assert.equal(menteeRow.score, 3, 'scores are not hidden');
  assert.equal(asMentor.body.items.find((r) => r.side === 'mentor').comment, 'Great energy');
  const asMgr = await f.manager.get(url);
  assert.ok(asMgr.body.items.every((r) => r.comment && !r.comment_hidden));
  const oneAsMentor = await f.mentor.client.get(`/api/v1/pairs/${f.p1.id}/ratings/${mine.body.id}`);
  assert.equal(oneAsMentor.body.comment, null);
  assert.equal(oneAsMentor.body.edits[0].old_comment, null);
  const pairList = await f.mentee.client.get(`/api/v1/pairs/${f.p1.id}/ratings?side=mentor`);
  assert.equal(pairList.body.items[0].comment, null);

  // S3 feedback list for managers only, newest first.
  const fb = await f.manager.get(`/api/v1/programs/${f.program}/ratings?has_comment=true&sort=-held_at`);
  assert.equal(fb.status, 200);
  assert.ok(fb.body.items.length >= 2);
  assert.ok(fb.body.items.every((r) => r.comment));
  const low = await f.manager.get(`/api/v1/programs/${f.program}/ratings?score=3&side=mentee`);
  assert.ok(low.body.items.every((r) => r.score === 3 && r.side === 'mentee'));
  expectError(assert, await f.mentor.client.get(`/api/v1/programs/${f.program}/ratings`), 403);
  expectError(assert, await f.outsider.get(`/api/v1/programs/${f.program}/ratings`), 403);
});

test('with share_feedback the other side reads comments', async () => {
  const g = await setup({ settings: { share_feedback: true } });
  try {
    const held = (await g.mentor.client.post(`/api/v1/pairs/${g.p1.id}/sessions`, { held_at: '2025-03-10T08:00:00Z', minutes: 30 })).body;
    const url = `/api/v1/pairs/${g.p1.id}/sessions/${held.id}/ratings`;
    assert.equal((await g.mentee.client.post(url, { score: 5, comment: 'Very useful' })).status, 201);
    const seen = await g.mentor.client.get(url);
    assert.equal(seen.body.items[0].comment, 'Very useful');
    assert.equal(seen.body.items[0].comment_hidden, undefined);
  } finally {
    await g.server.stop();
  }
});

test('check-ins: members only, active pairs, one per interval, 1 to 5', async () => {
  const url = `/api/v1/pairs/${f.p1.id}/checkins`;
  const due = await f.mentee.client.get(`${url}/due`);
  assert.equal(due.status, 200);
  assert.equal(due.body.interval_days, 30);
  assert.ok(due.body.sides.every((s) => s.due === true && s.last_answered_on === null));
  expectError(assert, await f.mentee.client.post(url, { score: 0 }), 422, 'score');
  expectError(assert, await f.mentee.client.post(url, { score: 6 }), 422, 'score');
  expectError(assert, await f.manager.post(url, { score: 4 }), 403);
  expectError(assert, await f.mentee2.client.post(url, { score: 4 }), 404);
  const c = await f.mentee.client.post(url, { score: 4, comment: 'Suits me' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.side, 'mentee');
  assert.equal(c.body.answered_at, NOW);
  const again = expectError(assert, await f.mentee.client.post(url, { score: 5 }), 409);
  assert.match(again.message, /next check-in is due on 2025-04-09/);
  const due2 = await f.mentor.client.get(`${url}/due`);
  const menteeSide = due2.body.sides.find((s) => s.side === 'mentee');
  assert.equal(menteeSide.due, false);
  assert.equal(menteeSide.due_on, '2025-04-09');
  assert.equal((await f.mentor.client.post(url, { score: 3 })).status, 201);
  const list = await f.mentor.client.get(`${url}?sort=-answered_at`);
  assert.equal(list.body.total, 2);
  const menteeRow = list.body.items.find((x) => x.side === 'mentee');
  assert.equal(menteeRow.comment, null, 'the other side does not read the comment');
  const mgr = await f.manager.get(`${url}?side=mentee`);
  assert.equal(mgr.body.items[0].comment, 'Suits me');
  expectError(assert, await f.mentor2.client.get(url), 404);
  expectError(assert, await f.mentor2.client.get(`${url}/due`), 404);
});

test('proposed and completed pairs refuse new sessions and check-ins', async () => {
  const stamp = Date.now();
  const mp = await f.server.admin.post('/api/v1/people', { name: 'Paul Proposer', email: `paul.${stamp}@example.com` });
  const mms = await f.server.admin.post(`/api/v1/programs/${f.program}/memberships`, { person_id: mp.body.id, role: 'mentor', capacity: 3 });
  const extra = await f.server.admin.post('/api/v1/people', { name: 'Pia Proposed', email: `pia.${stamp}@example.com` });
  const ms = await f.server.admin.post(`/api/v1/programs/${f.program}/memberships`, { person_id: extra.body.id, role: 'mentee' });
  const proposed = await f.server.admin.post(`/api/v1/programs/${f.program}/pairs`,
    { mentor_membership_id: mms.body.id, mentee_membership_id: ms.body.id, status: 'proposed' });
  assert.equal(proposed.status, 201, proposed.text);
  expectError(assert, await f.manager.post(`/api/v1/pairs/${proposed.body.id}/sessions`,
    { held_at: '2025-03-10T08:00:00Z', minutes: 30 }), 409);

  // A completed pair: no new sessions or check-ins, but its held sessions
  // can still be rated.
  const done = await f.server.admin.post('/api/v1/people', { name: 'Dora Done', email: `dora.${stamp}@example.com` });
  const dms = await f.server.admin.post(`/api/v1/programs/${f.program}/memberships`, { person_id: done.body.id, role: 'mentee' });
  const dc = await userWithRole(f.server, 'mentee', { person: done.body.id });
  const active = await f.server.admin.post(`/api/v1/programs/${f.program}/pairs`,
    { mentor_membership_id: mms.body.id, mentee_membership_id: dms.body.id });
  assert.equal(active.status, 201, active.text);
  const s = await dc.post(`/api/v1/pairs/${active.body.id}/sessions`, { held_at: '2025-03-10T08:00:00Z', minutes: 30 });
  assert.equal(s.status, 201);
  assert.equal((await f.manager.post(`/api/v1/pairs/${active.body.id}/complete`, {})).status, 200);
  expectError(assert, await dc.post(`/api/v1/pairs/${active.body.id}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 30 }), 409);
  expectError(assert, await dc.patch(`/api/v1/pairs/${active.body.id}/sessions/${s.body.id}`, { minutes: 45 }), 409);
  expectError(assert, await dc.post(`/api/v1/pairs/${active.body.id}/checkins`, { score: 4 }), 409);
  const due = await dc.get(`/api/v1/pairs/${active.body.id}/checkins/due`);
  assert.ok(due.body.sides.every((x) => x.due === false));
  assert.equal((await dc.post(`/api/v1/pairs/${active.body.id}/sessions/${s.body.id}/ratings`, { score: 5 })).status, 201);
});

test('the iCalendar feed holds exactly the person\'s scheduled sessions', async () => {
  const g = await setup();
  try {
    const base = `/api/v1/pairs/${g.p1.id}/sessions`;
    const a = (await g.mentor.client.post(base, { held_at: '2025-03-20T10:00:00Z', minutes: 45 })).body;
    const b = (await g.mentor.client.post(base, { held_at: '2025-03-27T10:00:00Z', minutes: 60, kind: 'regular' })).body;
    const c = (await g.mentor.client.post(base, { held_at: '2025-04-03T10:00:00Z', minutes: 30 })).body;
    await g.mentor.client.patch(`${base}/${c.id}`, { status: 'cancelled' });
    await g.mentor.client.post(base, { held_at: '2025-03-10T10:00:00Z', minutes: 30 }); // held, not scheduled
    await g.mentor2.client.post(`/api/v1/pairs/${g.p2.id}/sessions`, { held_at: '2025-03-21T10:00:00Z', minutes: 30 });

    const res = await g.mentee.client.get(`/api/v1/people/${g.mentee.person}/sessions.ics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    assert.match(res.text, /^BEGIN:VCALENDAR\r?\n/);
    const uids = [...res.text.matchAll(/^UID:(.*?)\r?$/gm)].map((m) => m[1]);
    assert.deepEqual(uids, [`session-${a.id}@mentortrack`, `session-${b.id}@mentortrack`]);
    assert.match(res.text, /DTSTART:20250320T100000Z/);
    assert.match(res.text, /DTEND:20250320T104500Z/);

    const asMgr = await g.manager.get(`/api/v1/people/${g.mentor.person}/sessions.ics`);
    assert.equal(asMgr.status, 200);
    assert.equal([...asMgr.text.matchAll(/^BEGIN:VEVENT/gm)].length, 2);
    const other = await g.mentor2.client.get(`/api/v1/people/${g.mentor2.person}/sessions.ics`);
    assert.deepEqual([...other.text.matchAll(/^UID:(.*?)\r?$/gm)].length, 1);
    expectError(assert, await g.mentor2.client.get(`/api/v1/people/${g.mentee.person}/sessions.ics`), 404);
    expectError(assert, await g.viewer.get(`/api/v1/people/${g.mentee.person}/sessions.ics`), 403);
    expectError(assert, await g.manager.get('/api/v1/people/999999/sessions.ics'), 404);
  } finally {
    await g.server.stop();
  }
});
