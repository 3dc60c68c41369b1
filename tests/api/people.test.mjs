// People: create, read, change; validation, who may see whom, list filters,
// sorting and pagination.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, userWithRole, expectError, createPerson, participant } from './helpers.mjs';

let server, admin, manager, viewer;
before(async () => {
  server = await startServer();
  admin = server.admin;
  [manager, viewer] = await Promise.all([userWithRole(server, 'manager'), userWithRole(server, 'viewer')]);
});
after(async () => { await server.stop(); });

const PP = '/api/v1/people';

test('create a person with every field; email is normalised', async () => {
  const boss = await createPerson(server, { name: 'Boss Person', email: 'boss@example.com' });
  const res = await manager.post(PP, {
    name: ' Zoë Ångström ', email: 'Zoe.Angstrom@Example.COM', job_title: 'Engineer', department: 'R&D',
    location: 'Malmö', timezone: 'Europe/Stockholm', languages: 'Swedish, English', seniority: 4,
    manager_email: 'boss@example.com', hire_date: '2019-08-15', demographics: { gender: 'f', age_band: '30-39' },
    opt_in: false,
  });
  assert.equal(res.status, 201, res.text);
  const p = res.body;
  assert.equal(p.name, 'Zoë Ångström');
  assert.equal(p.email, 'zoe.angstrom@example.com');
  assert.equal(p.manager_id, boss.id);
  assert.equal(p.manager_email, 'boss@example.com');
  assert.deepEqual(p.demographics, { age_band: '30-39', gender: 'f' });
  assert.equal(p.opt_in, false);
  assert.equal(p.seniority, 4);
  assert.equal(p.hire_date, '2019-08-15');
  const got = await admin.get(`${PP}/${p.id}`);
  assert.deepEqual(got.body, p);
  const min = await admin.post(PP, { name: 'Min', email: 'min@example.com' });
  assert.equal(min.status, 201);
  assert.equal(min.body.opt_in, true);
  assert.equal(min.body.job_title, null);
  assert.equal(min.body.manager_id, null);
});

test('create: every validation error names its field', async () => {
  const ok = { name: 'Valid', email: 'valid@example.com' };
  const cases = [
    [{ email: 'a@example.com' }, 'name'],
    [{ name: 'A' }, 'email'],
    [{ ...ok, name: '' }, 'name'],
    [{ ...ok, name: 12 }, 'name'],
    [{ ...ok, email: 'not-an-email' }, 'email'],
    [{ ...ok, email: 'two@@example.com' }, 'email'],
    [{ ...ok, job_title: 3 }, 'job_title'],
    [{ ...ok, timezone: 'Nowhere!' }, 'timezone'],
    [{ ...ok, seniority: 11 }, 'seniority'],
    [{ ...ok, seniority: -1 }, 'seniority'],
    [{ ...ok, seniority: 'senior' }, 'seniority'],
    [{ ...ok, manager_email: 'nobody@example.com' }, 'manager_email'],
    [{ ...ok, manager_email: 'not an email' }, 'manager_email'],
    [{ ...ok, hire_date: '2021-02-29' }, 'hire_date'],
    [{ ...ok, left_date: '31/12/2020' }, 'left_date'],
    [{ ...ok, demographics: 'f' }, 'demographics'],
    [{ ...ok, opt_in: 'yes' }, 'opt_in'],
    [{ ...ok, salary: 1 }, 'salary'],
  ];
  for (const [body, field] of cases) expectError(assert, await admin.post(PP, body), 422, field);
  expectError(assert, await admin.post(PP, 'name=x', { raw: true }), 400);
  await admin.post(PP, { name: 'Taken', email: 'taken@example.com' });
  expectError(assert, await admin.post(PP, { name: 'Again', email: 'TAKEN@example.com' }), 409, 'email');
  const list = await admin.get(`${PP}?q=valid@example.com`);
  assert.equal(list.body.total, 0, 'nothing was created by a failed request');
});

test('PATCH changes the given fields and validates them', async () => {
  const p = await createPerson(server, { name: 'Patch Me', department: 'Sales', seniority: 2 });
  const boss = await createPerson(server, { name: 'New Boss' });
  const res = await admin.patch(`${PP}/${p.id}`, { job_title: 'Lead', manager_email: boss.email });
  assert.equal(res.status, 200);
  assert.equal(res.body.job_title, 'Lead');
  assert.equal(res.body.department, 'Sales');
  assert.equal(res.body.seniority, 2);
  assert.equal(res.body.manager_id, boss.id);
  const cleared = await admin.patch(`${PP}/${p.id}`, { manager_email: '' });
  assert.equal(cleared.body.manager_id, null);
  expectError(assert, await admin.patch(`${PP}/${p.id}`, { manager_email: p.email }), 422, 'manager_email');
  expectError(assert, await admin.patch(`${PP}/${p.id}`, { seniority: 99 }), 422, 'seniority');
  expectError(assert, await admin.patch(`${PP}/${p.id}`, { email: boss.email }), 409, 'email');
  expectError(assert, await admin.patch(`${PP}/${p.id}`, { nickname: 'x' }), 422, 'nickname');
  expectError(assert, await admin.patch(`${PP}/99999`, { job_title: 'x' }), 404);
  expectError(assert, await admin.get(`${PP}/99999`), 404);
});

test('access: staff see everyone; a person sees only themself; viewers see nobody', async () => {
  const mentee = await participant(server, 'mentee', { name: 'Self Seer' });
  const mentor = await participant(server, 'mentor');
  const other = await createPerson(server);
  const self = await mentee.get(`${PP}/${mentee.person.id}`);
  assert.equal(self.status, 200);
  assert.equal(self.body.name, 'Self Seer');
  // Someone else's record does not even exist for them.
  expectError(assert, await mentee.get(`${PP}/${other.id}`), 404);
  expectError(assert, await mentor.get(`${PP}/${mentee.person.id}`), 404);
  expectError(assert, await mentee.get(`${PP}/99999`), 404);
  assert.equal((await manager.get(`${PP}/${other.id}`)).status, 200);
  for (const who of [mentee, mentor, viewer]) {
    expectError(assert, await who.get(PP), 403);
    expectError(assert, await who.post(PP, { name: 'X', email: 'x1@example.com' }), 403);
    expectError(assert, await who.patch(`${PP}/${mentee.person.id}`, { job_title: 'CEO' }), 403);
    expectError(assert, await who.post(`${PP}/import`, 'email,name\nx2@example.com,X\n', { raw: true }), 403);
  }
  expectError(assert, await viewer.get(`${PP}/${other.id}`), 403);
  expectError(assert, await client(server).get(PP), 401);
  // An account without a person sees no person at all.
  const unlinked = await userWithRole(server, 'mentee');
  expectError(assert, await unlinked.get(`${PP}/${other.id}`), 404);
});

test('list: filters, sorting and pagination', async () => {
  const boss = await createPerson(server, { name: 'Filter Boss', department: 'Filterdept', location: 'Oslo', job_title: 'Director', seniority: 8 });
  const seed = [
    ['Filter Carla', 'Filterdept', 'Oslo', 'Analyst', 3],
    ['Filter Anna', 'Filterdept', 'Bergen', 'Analyst', 5],
    ['Filter Bert', 'Filterdept', 'Oslo', 'Engineer', 3],
  ];
  for (const [name, department, location, job_title, seniority] of seed) {
    await createPerson(server, { name, department, location, job_title, seniority, manager_email: boss.email });
  }
  const get = async (qs) => {
    const res = await manager.get(`${PP}?department=Filterdept&${qs}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  assert.equal((await get('')).total, 4);
  assert.deepEqual((await get('sort=name')).items.map((p) => p.name), ['Filter Anna', 'Filter Bert', 'Filter Boss', 'Filter Carla']);
  assert.deepEqual((await get('sort=-name')).items.map((p) => p.name), ['Filter Carla', 'Filter Boss', 'Filter Bert', 'Filter Anna']);
  assert.deepEqual((await get('sort=-seniority&limit=1')).items.map((p) => p.name), ['Filter Boss']);
  assert.deepEqual((await get('location=Oslo&sort=name')).items.map((p) => p.name), ['Filter Bert', 'Filter Boss', 'Filter Carla']);
  assert.deepEqual((await get('job_title=Analyst&sort=name')).items.map((p) => p.name), ['Filter Anna', 'Filter Carla']);
  assert.deepEqual((await get('seniority=3&sort=name')).items.map((p) => p.name), ['Filter Bert', 'Filter Carla']);
  assert.equal((await get(`manager_id=${boss.id}`)).total, 3);
  assert.deepEqual((await get('q=Carla')).items.map((p) => p.name), ['Filter Carla']);
  const page = await get('sort=name&limit=2&offset=2');
  assert.deepEqual(page.items.map((p) => p.name), ['Filter Boss', 'Filter Carla']);
  assert.equal(page.total, 4);
  assert.equal(page.limit, 2);
  assert.equal(page.offset, 2);
  assert.equal((await manager.get(`${PP}?department=None-such`)).body.total, 0);

  expectError(assert, await manager.get(`${PP}?limit=0`), 400, 'limit');
  expectError(assert, await manager.get(`${PP}?offset=-5`), 400, 'offset');
  expectError(assert, await manager.get(`${PP}?sort=salary`), 400, 'sort');
  expectError(assert, await manager.get(`${PP}?seniority=high`), 400, 'seniority');
  const range = expectError(assert, await manager.get(`${PP}?seniority=11`), 400, 'seniority');
  assert.equal(range.message, 'seniority must be a whole number from 0 to 10; got "11"');
  expectError(assert, await manager.get(`${PP}?manager_id=boss`), 400, 'manager_id');
});
