// Programs: create, read, change, summary, managers; validation, access
// rules, pagination, sorting and filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, userWithRole, expectError, createPerson } from './helpers.mjs';

let server, admin, manager, mentor, viewer;
before(async () => {
  server = await startServer();
  admin = server.admin;
  [manager, mentor, viewer] = await Promise.all([
    userWithRole(server, 'manager'), userWithRole(server, 'mentor'), userWithRole(server, 'viewer'),
  ]);
});
after(async () => { await server.stop(); });

const P = '/api/v1/programs';

test('create a program: defaults, every field, read it back', async () => {
  const min = await admin.post(P, { name: '  Minimal  ' });
  assert.equal(min.status, 201);
  assert.equal(min.body.name, 'Minimal');
  assert.equal(min.body.status, 'draft');
  assert.equal(min.body.timezone, 'UTC');
  assert.equal(min.body.description, '');
  assert.deepEqual(min.body.settings, {});
  assert.deepEqual(min.body.questionnaire, []);
  assert.equal(min.body.start_date, null);

  const q = [
    { key: 'team_size', label: 'Team size', type: 'number', required: true, min: 1, max: 500 },
    { key: 'track', label: 'Track', type: 'choice', options: ['eng', 'sales'] },
  ];
  const full = await admin.post(P, {
    name: 'Full', description: 'All fields', start_date: '2025-01-01', end_date: '2025-12-31',
    status: 'open', timezone: 'Europe/Paris', settings: { approve_registrations: true }, questionnaire: q,
  });
  assert.equal(full.status, 201, full.text);
  assert.equal(full.body.start_date, '2025-01-01');
  assert.equal(full.body.end_date, '2025-12-31');
  assert.equal(full.body.status, 'open');
  assert.equal(full.body.timezone, 'Europe/Paris');
  assert.deepEqual(full.body.settings, { approve_registrations: true });
  assert.deepEqual(full.body.questionnaire, q);
  const got = await viewer.get(`${P}/${full.body.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, full.body);
});

test('create: every validation error names its field', async () => {
  const cases = [
    [{}, 422, 'name'],
    [{ name: 5 }, 422, 'name'],
    [{ name: '   ' }, 422, 'name'],
    [{ name: 'x'.repeat(201) }, 422, 'name'],
    [{ name: 'v1', description: 7 }, 422, 'description'],
    [{ name: 'v2', start_date: '2025-13-01' }, 422, 'start_date'],
    [{ name: 'v3', end_date: 'soon' }, 422, 'end_date'],
    [{ name: 'v4', start_date: '2025-02-01', end_date: '2025-01-31' }, 422, 'end_date'],
    [{ name: 'v5', status: 'paused' }, 422, 'status'],
    [{ name: 'v6', timezone: 'Not a zone!' }, 422, 'timezone'],
    [{ name: 'v7', settings: [] }, 422, 'settings'],
    [{ name: 'v8', questionnaire: {} }, 422, 'questionnaire'],
    [{ name: 'v9', questionnaire: [{ key: 'Bad Key', label: 'B', type: 'text' }] }, 422, 'questionnaire[0].key'],
    [{ name: 'v10', questionnaire: [{ key: 'c', label: 'C', type: 'choice' }] }, 422, 'questionnaire[0].options'],
    [{ name: 'v11', colour: 'red' }, 422, 'colour'],
  ];
  for (const [body, status, field] of cases) {
    expectError(assert, await admin.post(P, body), status, field);
  }
  expectError(assert, await admin.post(P, '{"name":', { raw: true, headers: { 'Content-Type': 'application/json' } }), 400);
  expectError(assert, await admin.post(P, '[1,2]', { raw: true, headers: { 'Content-Type': 'application/json' } }), 400);
  await admin.post(P, { name: 'Taken' });
  const dup = expectError(assert, await admin.post(P, { name: 'Taken' }), 409, 'name');
  assert.equal(dup.code, 'conflict');
});

test('PATCH changes only the given fields and validates them', async () => {
  const p = (await admin.post(P, { name: 'Patchable', start_date: '2025-03-01' })).body;
  const res = await admin.patch(`${P}/${p.id}`, { description: 'Now described', status: 'running' });
  assert.equal(res.status, 200);
  assert.equal(res.body.description, 'Now described');
  assert.equal(res.body.status, 'running');
  assert.equal(res.body.start_date, '2025-03-01');
  assert.equal(res.body.name, 'Patchable');
  assert.ok(res.body.data_version > p.data_version);
  expectError(assert, await admin.patch(`${P}/${p.id}`, { end_date: '2025-01-01' }), 422, 'end_date');
  expectError(assert, await admin.patch(`${P}/${p.id}`, { status: 'gone' }), 422, 'status');
  expectError(assert, await admin.patch(`${P}/${p.id}`, { id: 3 }), 422, 'id');
  await admin.post(P, { name: 'Other name' });
  expectError(assert, await admin.patch(`${P}/${p.id}`, { name: 'Other name' }), 409, 'name');
  expectError(assert, await admin.patch(`${P}/99999`, { description: 'x' }), 404);
  expectError(assert, await admin.get(`${P}/99999`), 404);
  expectError(assert, await admin.get(`${P}/not-a-number`), 404);
});

test('summary counts active mentors, mentees, pending and capacity; 404 for no program', async () => {
  const p = (await admin.post(P, { name: 'Counted' })).body;
  const [a, b, c] = await Promise.all([createPerson(server), createPerson(server), createPerson(server)]);
  const add = (body) => admin.post(`${P}/${p.id}/memberships`, body);
  assert.equal((await add({ person_id: a.id, role: 'mentor', capacity: 3 })).status, 201);
  assert.equal((await add({ person_id: b.id, role: 'mentee' })).status, 201);
  assert.equal((await add({ person_id: c.id, role: 'mentee', status: 'pending' })).status, 201);
  const s = await viewer.get(`${P}/${p.id}/summary`);
  assert.equal(s.status, 200);
  assert.deepEqual(s.body, { program_id: p.id, mentors: 1, mentees: 1, pending: 1, mentor_capacity: 3, people: 3 });
  const empty = (await admin.post(P, { name: 'Empty' })).body;
  assert.deepEqual((await mentor.get(`${P}/${empty.id}/summary`)).body,
    { program_id: empty.id, mentors: 0, mentees: 0, pending: 0, mentor_capacity: 0, people: 0 });
  expectError(assert, await admin.get(`${P}/99999/summary`), 404);
});

test('managers: only admins add them; a manager may change only programs they manage', async () => {
  const p = (await admin.post(P, { name: 'Managed' })).body;
  expectError(assert, await manager.patch(`${P}/${p.id}`, { description: 'mine?' }), 403);
  expectError(assert, await manager.post(`${P}/${p.id}/managers`, { user_id: manager.id }), 403);
  const added = await admin.post(`${P}/${p.id}/managers`, { user_id: manager.id });
  assert.equal(added.status, 201);
  assert.deepEqual(added.body, { program_id: p.id, user_id: manager.id });
  assert.equal((await admin.post(`${P}/${p.id}/managers`, { user_id: manager.id })).status, 201, 'adding twice is harmless');
  const res = await manager.patch(`${P}/${p.id}`, { description: 'mine now' });
  assert.equal(res.status, 200);
  assert.equal(res.body.description, 'mine now');

  expectError(assert, await admin.post(`${P}/${p.id}/managers`, {}), 422, 'user_id');
  expectError(assert, await admin.post(`${P}/${p.id}/managers`, { user_id: 'one' }), 422, 'user_id');
  expectError(assert, await admin.post(`${P}/${p.id}/managers`, { user_id: 0 }), 422, 'user_id');
  expectError(assert, await admin.post(`${P}/${p.id}/managers`, { user_id: manager.id, role: 'x' }), 422, 'role');
  const ghost = expectError(assert, await admin.post(`${P}/${p.id}/managers`, { user_id: 99999 }), 422, 'user_id');
  assert.equal(ghost.code, 'invalid');
  const notMgr = expectError(assert, await admin.post(`${P}/${p.id}/managers`, { user_id: mentor.id }), 422, 'user_id');
  assert.match(notMgr.message, /role mentor/);
  expectError(assert, await admin.post(`${P}/99999/managers`, { user_id: manager.id }), 404);
});

test('a manager who creates a program manages it', async () => {
  const created = await manager.post(P, { name: 'Manager made' });
  assert.equal(created.status, 201);
  assert.equal((await manager.patch(`${P}/${created.body.id}`, { status: 'open' })).status, 200);
  const other = await userWithRole(server, 'manager');
  expectError(assert, await other.patch(`${P}/${created.body.id}`, { status: 'closed' }), 403);
});

test('access: participants and viewers read programs but cannot write', async () => {
  const p = (await admin.post(P, { name: 'Read only for some' })).body;
  for (const who of [mentor, viewer]) {
    assert.equal((await who.get(P)).status, 200);
    assert.equal((await who.get(`${P}/${p.id}`)).status, 200);
    expectError(assert, await who.post(P, { name: 'Nope' }), 403);
    expectError(assert, await who.patch(`${P}/${p.id}`, { name: 'Nope' }), 403);
    expectError(assert, await who.post(`${P}/${p.id}/managers`, { user_id: manager.id }), 403);
  }
  const anon = client(server);
  expectError(assert, await anon.get(P), 401);
  expectError(assert, await anon.get(`${P}/${p.id}`), 401);
  expectError(assert, await anon.post(P, { name: 'Anon' }), 401);
  expectError(assert, await anon.get(`${P}/${p.id}/summary`), 401);
});

test('list: pagination, sorting and filters', async () => {
  const names = ['Zeta list', 'Alpha list', 'Mike list', 'Bravo list'];
  for (const [i, name] of names.entries()) {
    await admin.post(P, { name, status: i % 2 ? 'closed' : 'archived', start_date: `2030-0${i + 1}-01` });
  }
  const all = await viewer.get(`${P}?q=list&limit=500`);
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 4);
  assert.deepEqual(all.body.items.map((p) => p.name), names, 'default order is by id');

  const page1 = await viewer.get(`${P}?q=list&sort=name&limit=3`);
  assert.deepEqual({ ...page1.body, items: undefined }, { items: undefined, total: 4, limit: 3, offset: 0 });
  assert.deepEqual(page1.body.items.map((p) => p.name), ['Alpha list', 'Bravo list', 'Mike list']);
  const page2 = await viewer.get(`${P}?q=list&sort=name&limit=3&offset=3`);
  assert.deepEqual(page2.body.items.map((p) => p.name), ['Zeta list']);
  assert.equal(page2.body.offset, 3);
  const past = await viewer.get(`${P}?q=list&offset=10`);
  assert.deepEqual(past.body.items, []);
  assert.equal(past.body.total, 4);

  const desc = await viewer.get(`${P}?q=list&sort=-name`);
  assert.deepEqual(desc.body.items.map((p) => p.name), ['Zeta list', 'Mike list', 'Bravo list', 'Alpha list']);
  const byStart = await viewer.get(`${P}?q=list&sort=-start_date`);
  assert.deepEqual(byStart.body.items.map((p) => p.name), ['Bravo list', 'Mike list', 'Alpha list', 'Zeta list']);
  const closed = await viewer.get(`${P}?q=list&status=closed&sort=name`);
  assert.deepEqual(closed.body.items.map((p) => p.name), ['Alpha list', 'Bravo list']);
  assert.equal(closed.body.total, 2);
  const none = await viewer.get(`${P}?q=no-such-program`);
  assert.equal(none.body.total, 0);

  for (const bad of ['limit=0', 'limit=501', 'limit=ten', 'limit=', 'limit=1.5']) {
    const err = expectError(assert, await viewer.get(`${P}?${bad}`), 400, 'limit');
    assert.equal(err.code, 'bad_request');
  }
  expectError(assert, await viewer.get(`${P}?offset=-1`), 400, 'offset');
  expectError(assert, await viewer.get(`${P}?offset=x`), 400, 'offset');
  const sortErr = expectError(assert, await viewer.get(`${P}?sort=colour`), 400, 'sort');
  assert.match(sortErr.message, /id, name, status, start_date, created_at/);
  expectError(assert, await viewer.get(`${P}?sort=-`), 400, 'sort');
});
