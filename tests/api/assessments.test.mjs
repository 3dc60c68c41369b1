// Self-assessments of a pairing and what is due: the start one is asked
// when the pair becomes active, the end one when it completes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectError } from './helpers.mjs';
import { setup, TODAY } from './activity_fixture.mjs';

let f;
before(async () => { f = await setup(); });
after(async () => { await f.server.stop(); });

const base = (p) => `/api/v1/pairs/${p.id}/assessments`;

test('start assessments are due once the pair is active, end ones once it completes', async () => {
  const goal = (await f.mentee.client.post(`/api/v1/memberships/${f.mentee.membership}/goals`,
    { category: 'new_skill', description: 'Present to the board', pair_id: f.p1.id })).body;
  const due = await f.mentee.client.get(`${base(f.p1)}/due`);
  assert.equal(due.status, 200);
  assert.deepEqual(due.body.items.map((i) => [i.phase, i.skill_id, i.goal_id]),
    [['start', f.skill.id, null], ['start', null, goal.id]]);

  const s1 = await f.mentee.client.post(base(f.p1), { skill_id: f.skill.id, phase: 'start', score: 2 });
  assert.equal(s1.status, 201, s1.text);
  assert.equal(s1.body.assessor, 'mentee');
  assert.equal(s1.body.person_id, f.mentee.person);
  assert.equal(s1.body.assessed_on, TODAY);
  assert.equal(s1.body.subject, f.skill.name);
  // The mentor's view does not answer the mentee's own assessment.
  const mv = await f.mentor.client.post(base(f.p1), { goal_id: goal.id, phase: 'start', score: 3 });
  assert.equal(mv.body.assessor, 'mentor');
  const due2 = await f.mentee.client.get(`${base(f.p1)}/due`);
  assert.deepEqual(due2.body.items.map((i) => [i.phase, i.goal_id]), [['start', goal.id]]);
  assert.equal((await f.mentee.client.post(base(f.p1), { goal_id: goal.id, phase: 'start', score: 1 })).status, 201);
  assert.equal((await f.mentee.client.post(base(f.p1), { goal_id: goal.id, phase: 'mid', score: 3 })).status, 201);
  assert.deepEqual((await f.mentor.client.get(`${base(f.p1)}/due`)).body.items, []);

  // End scores wait for the pair to complete.
  expectError(assert, await f.mentee.client.post(base(f.p1), { goal_id: goal.id, phase: 'end', score: 4 }), 409, 'phase');
  assert.equal((await f.manager.post(`/api/v1/pairs/${f.p1.id}/complete`, {})).status, 200);
  const due3 = await f.mentee.client.get(`${base(f.p1)}/due`);
  assert.deepEqual(due3.body.items.map((i) => [i.phase, i.skill_id, i.goal_id]),
    [['end', f.skill.id, null], ['end', null, goal.id]]);
  assert.equal((await f.mentee.client.post(base(f.p1), { skill_id: f.skill.id, phase: 'end', score: 4 })).status, 201);
  assert.equal((await f.mentee.client.post(base(f.p1), { goal_id: goal.id, phase: 'end', score: 5 })).status, 201);
  assert.deepEqual((await f.mentee.client.get(`${base(f.p1)}/due`)).body.items, []);

  const list = await f.manager.get(`${base(f.p1)}?assessor=mentee&sort=id`);
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 5);
  const ends = await f.mentee.client.get(`${base(f.p1)}?phase=end`);
  assert.equal(ends.body.total, 2);
  const bySkill = await f.mentee.client.get(`${base(f.p1)}?skill_id=${f.skill.id}`);
  assert.equal(bySkill.body.total, 2);
  const byGoal = await f.mentee.client.get(`${base(f.p1)}?goal_id=${goal.id}&from=2025-03-01&to=2025-03-31`);
  assert.equal(byGoal.body.total, 4);
  expectError(assert, await f.mentee.client.get(`${base(f.p1)}?sort=person`), 400, 'sort');
  const badId = expectError(assert, await f.mentee.client.get(`${base(f.p1)}?goal_id=abc`), 400, 'goal_id');
  assert.equal(badId.code, 'bad_request');
  assert.equal(badId.message, 'goal_id must be a whole number of at least 1; got "abc"');
});

test('assessment validation errors name the field', async () => {
  const c = f.mentee2.client;
  const ok = { skill_id: f.skill.id, phase: 'start', score: 3 };
  expectError(assert, await c.post(base(f.p2), { ...ok, score: 0 }), 422, 'score');
  expectError(assert, await c.post(base(f.p2), { ...ok, score: 6 }), 422, 'score');
  expectError(assert, await c.post(base(f.p2), { skill_id: f.skill.id, phase: 'start' }), 422, 'score');
  expectError(assert, await c.post(base(f.p2), { ...ok, phase: 'later' }), 422, 'phase');
  expectError(assert, await c.post(base(f.p2), { phase: 'start', score: 3 }), 422, 'skill_id');
  expectError(assert, await c.post(base(f.p2), { ...ok, goal_id: 1 }), 422, 'skill_id');
  expectError(assert, await c.post(base(f.p2), { ...ok, skill_id: 999999 }), 422, 'skill_id');
  expectError(assert, await c.post(base(f.p2), { phase: 'start', score: 3, goal_id: 999999 }), 422, 'goal_id');
  expectError(assert, await c.post(base(f.p2), { ...ok, assessed_on: 'tomorrow' }), 422, 'assessed_on');
  expectError(assert, await c.post(base(f.p2), { ...ok, assessed_on: '2025-03-11' }), 422, 'assessed_on');
  expectError(assert, await c.post(base(f.p2), { ...ok, assessed_on: '2025-01-01' }), 422, 'assessed_on');
  expectError(assert, await c.post(base(f.p2), { ...ok, assessor: 'boss' }), 422, 'assessor');
  expectError(assert, await c.post(base(f.p2), { ...ok, level: 3 }), 422, 'level');
  // A participant records only their own side; a manager must name it.
  expectError(assert, await c.post(base(f.p2), { ...ok, assessor: 'mentor' }), 403);
  expectError(assert, await f.manager.post(base(f.p2), ok), 422, 'assessor');
  const byMgr = await f.manager.post(base(f.p2), { ...ok, assessor: 'mentee', assessed_on: '2025-03-10' });
  assert.equal(byMgr.status, 201, byMgr.text);
});

test('access: pair members and the program\'s managers only', async () => {
  const ok = { skill_id: f.skill.id, phase: 'start', score: 3 };
  expectError(assert, await f.mentor.client.get(base(f.p2)), 404);
  expectError(assert, await f.mentee.client.post(base(f.p2), ok), 404);
  expectError(assert, await f.mentor.client.get(`${base(f.p2)}/due`), 404);
  expectError(assert, await f.outsider.get(base(f.p2)), 404);
  expectError(assert, await f.outsider.post(base(f.p2), { ...ok, assessor: 'mentee' }), 404);
  expectError(assert, await f.viewer.get(`${base(f.p2)}/due`), 403);
  expectError(assert, await f.mentee2.client.get('/api/v1/pairs/999999/assessments/due'), 404);
  assert.equal((await f.mentee2.client.get(base(f.p2))).status, 200);
});
