// Goals, milestones and the mentor's comments: the mentee owns them, the
// pair's mentor reads and comments, nobody else sees them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectError } from './helpers.mjs';
import { setup, TODAY } from './activity_fixture.mjs';

let f;
before(async () => { f = await setup(); });
after(async () => { await f.server.stop(); });

const goals = (who) => `/api/v1/memberships/${who.membership}/goals`;

test('the mentee sets, lists and changes goals; status and achieved date move together', async () => {
  const me = f.mentee.client;
  const g = await me.post(goals(f.mentee), {
    category: 'New skill', description: 'Lead a negotiation', skill_id: f.skill.id,
    target_date: '2025-06-30', pair_id: f.p1.id,
  });
  assert.equal(g.status, 201, g.text);
  assert.equal(g.body.category, 'new_skill', 'aliases are stored by canonical name');
  assert.equal(g.body.status, 'not_started');
  assert.equal(g.body.set_on, TODAY);
  assert.equal(g.body.skill, f.skill.name);
  assert.deepEqual(g.body.milestones, []);
  const second = await me.post(goals(f.mentee), { category: 'promotion', description: 'Senior by next year' });
  assert.equal(second.status, 201);

  const list = await me.get(`${goals(f.mentee)}?sort=-id`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((x) => x.id), [second.body.id, g.body.id]);
  const promo = await me.get(`${goals(f.mentee)}?category=promotion`);
  assert.deepEqual(promo.body.items.map((x) => x.id), [second.body.id]);
  expectError(assert, await me.get(`${goals(f.mentee)}?sort=secret`), 400, 'sort');

  const url = `${goals(f.mentee)}/${g.body.id}`;
  const achieved = await me.patch(url, { status: 'achieved' });
  assert.equal(achieved.status, 200);
  assert.equal(achieved.body.achieved_on, TODAY);
  const back = await me.patch(url, { status: 'in_progress' });
  assert.equal(back.body.achieved_on, null);
  const dated = await me.patch(url, { status: 'achieved', achieved_on: '2025-03-10' });
  assert.equal(dated.body.achieved_on, '2025-03-10');
  const one = await me.get(url);
  assert.equal(one.body.status, 'achieved');
  const mgr = await f.manager.patch(`${goals(f.mentee)}/${second.body.id}`, { status: 'dropped' });
  assert.equal(mgr.status, 200, 'a program manager may change a goal');
});

test('goal validation errors name the field', async () => {
  const me = f.mentee.client;
  const ok = { category: 'other', description: 'Something' };
  expectError(assert, await me.post(goals(f.mentee), { description: 'x' }), 422, 'category');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, category: 'world peace' }), 422, 'category');
  expectError(assert, await me.post(goals(f.mentee), { category: 'other' }), 422, 'description');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, target_date: '31/12/2025' }), 422, 'target_date');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, target_date: '2025-02-30' }), 422, 'target_date');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, target_date: '2024-01-01' }), 422, 'target_date');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, status: 'done' }), 422, 'status');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, achieved_on: '2025-03-01' }), 422, 'achieved_on');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, status: 'achieved', achieved_on: '2025-04-01' }), 422, 'achieved_on');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, skill_id: 999999 }), 422, 'skill_id');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, pair_id: f.p2.id }), 422, 'pair_id');
  expectError(assert, await me.post(goals(f.mentee), { ...ok, colour: 'red' }), 422, 'colour');
  // Goals belong to mentees.
  expectError(assert, await f.mentor.client.post(goals(f.mentor), ok), 409);
});

test('milestones: add, change, status rules', async () => {
  const me = f.mentee.client;
  const g = (await me.post(goals(f.mentee), { category: 'certification', description: 'Get certified' })).body;
  const url = `${goals(f.mentee)}/${g.id}/milestones`;
  const m = await me.post(url, { title: 'Book the exam', due_date: '2025-04-15' });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.body.status, 'not_started');
  expectError(assert, await me.post(url, {}), 422, 'title');
  expectError(assert, await me.post(url, { title: 'x', due_date: 'soon' }), 422, 'due_date');
  expectError(assert, await me.post(url, { title: 'x', status: 'finished' }), 422, 'status');
  const mu = `/api/v1/memberships/${f.mentee.membership}/milestones/${m.body.id}`;
  const done = await me.patch(mu, { status: 'achieved' });
  assert.equal(done.status, 200);
  assert.equal(done.body.achieved_on, TODAY);
  expectError(assert, await me.patch(mu, { achieved_on: '2025-05-01' }), 422, 'achieved_on');
  const full = await me.get(`${goals(f.mentee)}/${g.id}`);
  assert.equal(full.body.milestones.length, 1);
  // A milestone is reached only through its own goal's membership.
  expectError(assert, await f.mentee2.client.patch(`/api/v1/memberships/${f.mentee2.membership}/milestones/${m.body.id}`, { title: 'x' }), 404);
  expectError(assert, await f.mentee2.client.post(`/api/v1/memberships/${f.mentee2.membership}/goals/${g.id}/milestones`, { title: 'x' }), 404);
});

test('access: the pair\'s mentor reads and comments; others see nothing', async () => {
  const g = (await f.mentee.client.post(goals(f.mentee), { category: 'performance', description: 'Ship on time', pair_id: f.p1.id })).body;
  // The mentor cannot reach the mentee's membership routes...
  expectError(assert, await f.mentor.client.get(goals(f.mentee)), 404);
  expectError(assert, await f.mentor.client.patch(`${goals(f.mentee)}/${g.id}`, { status: 'dropped' }), 404);
  // ...but reads through the pair.
  const viaPair = await f.mentor.client.get(`/api/v1/pairs/${f.p1.id}/goals`);
  assert.equal(viaPair.status, 200);
  assert.ok(viaPair.body.items.some((x) => x.id === g.id));
  const one = await f.mentor.client.get(`/api/v1/pairs/${f.p1.id}/goals/${g.id}`);
  assert.equal(one.status, 200);
  const c = await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, { body: 'Break it into milestones' });
  assert.equal(c.status, 201, c.text);
  const seen = await f.mentee.client.get(`${goals(f.mentee)}/${g.id}`);
  assert.equal(seen.body.comments.length, 1);
  assert.equal(seen.body.comments[0].body, 'Break it into milestones');
  assert.equal(seen.body.comments[0].author_person_id, f.mentor.person);
  expectError(assert, await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, {}), 422, 'body');
  expectError(assert, await f.mentor.client.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, { body: '   ' }), 422, 'body');
  // The mentee edits the goal instead of commenting.
  expectError(assert, await f.mentee.client.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, { body: 'x' }), 403);
  assert.equal((await f.manager.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, { body: 'Noted' })).status, 201);
  // Another mentor (and another pair) never sees it.
  expectError(assert, await f.mentor2.client.get(`/api/v1/pairs/${f.p1.id}/goals`), 404);
  expectError(assert, await f.mentor2.client.get(`/api/v1/pairs/${f.p2.id}/goals/${g.id}`), 404);
  expectError(assert, await f.mentor2.client.post(`/api/v1/pairs/${f.p1.id}/goals/${g.id}/comments`, { body: 'x' }), 404);
  expectError(assert, await f.mentee2.client.get(`${goals(f.mentee)}/${g.id}`), 404);
  expectError(assert, await f.mentee2.client.get(`/api/v1/memberships/${f.mentee2.membership}/goals/${g.id}`), 404);
  expectError(assert, await f.outsider.get(goals(f.mentee)), 404);
  expectError(assert, await f.viewer.get(goals(f.mentee)), 403);
  expectError(assert, await f.mentee.client.get(`${goals(f.mentee)}/999999`), 404);
  // The pair list of the other pair does not include this mentee's goals.
  const p2 = await f.mentor2.client.get(`/api/v1/pairs/${f.p2.id}/goals`);
  assert.ok(!p2.body.items.some((x) => x.id === g.id));
});

test('goal writes are audited', async () => {
  const g = (await f.mentee.client.post(goals(f.mentee), { category: 'engagement', description: 'Enjoy work more' })).body;
  const audit = await f.server.admin.get('/api/v1/audit?entity=goal&limit=500');
  assert.ok(audit.body.items.some((a) => a.entity_id === g.id && a.action === 'create'));
});
