// Accounts (admin only) and personal API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login, userWithRole, expectError, createPerson, PASSWORD } from './helpers.mjs';

let server, admin, manager, mentee, viewer;
before(async () => {
  server = await startServer();
  admin = server.admin;
  [manager, mentee, viewer] = await Promise.all(['manager', 'mentee', 'viewer'].map((r) => userWithRole(server, r)));
});
after(async () => { await server.stop(); });

const U = '/api/v1/users';

test('create an account, read it, sign in with it', async () => {
  const person = await createPerson(server, { name: 'Linked Person' });
  const res = await admin.post(U, { email: 'New.User@Example.com', name: 'New User', role: 'mentor', password: 'long-enough-1', person_id: person.id });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.email, 'new.user@example.com');
  assert.equal(res.body.role, 'mentor');
  assert.equal(res.body.person_id, person.id);
  assert.equal(res.body.disabled, false);
  assert.ok(!('password' in res.body) && !('password_hash' in res.body));
  assert.deepEqual((await admin.get(`${U}/${res.body.id}`)).body, res.body);
  const c = await login(server, 'new.user@example.com', 'long-enough-1');
  assert.equal(c.user.person_id, person.id);
  expectError(assert, await admin.get(`${U}/99999`), 404);
});

test('create: every validation error names its field', async () => {
  const ok = { email: 'valid-user@example.com', name: 'V', role: 'viewer', password: 'long-enough-1' };
  const cases = [
    [{ ...ok, email: undefined }, 422, 'email'],
    [{ ...ok, email: 'nope' }, 422, 'email'],
    [{ ...ok, name: undefined }, 422, 'name'],
    [{ ...ok, role: undefined }, 422, 'role'],
    [{ ...ok, role: 'superuser' }, 422, 'role'],
    [{ ...ok, password: undefined }, 422, 'password'],
    [{ ...ok, password: 'short' }, 422, 'password'],
    [{ ...ok, person_id: 0 }, 422, 'person_id'],
    [{ ...ok, person_id: 99999 }, 409, 'person_id'],
    [{ ...ok, admin: true }, 422, 'admin'],
    [{ ...ok, email: 'ADMIN@example.com' }, 409, 'email'],
  ];
  for (const [body, status, field] of cases) {
    expectError(assert, await admin.post(U, JSON.parse(JSON.stringify(body))), status, field);
  }
  expectError(assert, await admin.post(U, '{', { raw: true }), 400);
  assert.equal((await admin.get(`${U}?q=valid-user`)).body.total, 0);
});

test('PATCH: name, role, password, person, disabled', async () => {
  const u = (await admin.post(U, { email: 'patchee@example.com', name: 'Patchee', role: 'mentee', password: 'first-password' })).body;
  const person = await createPerson(server);
  const res = await admin.patch(`${U}/${u.id}`, { name: 'Renamed', role: 'mentor', person_id: person.id });
  assert.equal(res.status, 200);
  assert.equal(res.body.name, 'Renamed');
  assert.equal(res.body.role, 'mentor');
  assert.equal(res.body.person_id, person.id);
  assert.equal(res.body.email, 'patchee@example.com');

  assert.equal((await admin.patch(`${U}/${u.id}`, { password: 'second-password' })).status, 200);
  await assert.rejects(login(server, 'patchee@example.com', 'first-password'));
  const c = await login(server, 'patchee@example.com', 'second-password');
  assert.equal((await c.get('/api/v1/auth/me')).status, 200);

  assert.equal((await admin.patch(`${U}/${u.id}`, { disabled: true })).body.disabled, true);
  expectError(assert, await c.get('/api/v1/auth/me'), 401);
  await assert.rejects(login(server, 'patchee@example.com', 'second-password'));
  assert.equal((await admin.patch(`${U}/${u.id}`, { disabled: false })).body.disabled, false);
  await login(server, 'patchee@example.com', 'second-password');

  expectError(assert, await admin.patch(`${U}/${u.id}`, { role: 'root' }), 422, 'role');
  expectError(assert, await admin.patch(`${U}/${u.id}`, { password: '1234' }), 422, 'password');
  expectError(assert, await admin.patch(`${U}/${u.id}`, { disabled: 'yes' }), 422, 'disabled');
  expectError(assert, await admin.patch(`${U}/${u.id}`, { email: 'x@example.com' }), 422, 'email');
  expectError(assert, await admin.patch(`${U}/${admin.user.id}`, { role: 'viewer' }), 409, 'role');
  expectError(assert, await admin.patch(`${U}/${admin.user.id}`, { disabled: true }), 409, 'disabled');
  expectError(assert, await admin.patch(`${U}/99999`, { name: 'Ghost' }), 404);
});

test('only admins manage accounts', async () => {
  for (const who of [manager, mentee, viewer]) {
    expectError(assert, await who.get(U), 403);
    expectError(assert, await who.get(`${U}/${who.id}`), 403);
    expectError(assert, await who.post(U, { email: 'x@example.com', name: 'X', role: 'admin', password: PASSWORD }), 403);
    expectError(assert, await who.patch(`${U}/${who.id}`, { role: 'admin' }), 403);
  }
  expectError(assert, await client(server).get(U), 401);
});

test('list: filters, sorting and pagination', async () => {
  for (const [email, name, role] of [['l-c@example.com', 'Lis Carol', 'viewer'], ['l-a@example.com', 'Lis Alma', 'manager'], ['l-b@example.com', 'Lis Bea', 'viewer']]) {
    assert.equal((await admin.post(U, { email, name, role, password: PASSWORD })).status, 201);
  }
  const emails = async (qs) => (await admin.get(`${U}?q=l-&${qs}`)).body.items.map((u) => u.email);
  assert.deepEqual(await emails(''), ['l-c@example.com', 'l-a@example.com', 'l-b@example.com']);
  assert.deepEqual(await emails('sort=email'), ['l-a@example.com', 'l-b@example.com', 'l-c@example.com']);
  assert.deepEqual(await emails('sort=-name'), ['l-c@example.com', 'l-b@example.com', 'l-a@example.com']);
  assert.deepEqual(await emails('role=viewer&sort=email'), ['l-b@example.com', 'l-c@example.com']);
  const page = (await admin.get(`${U}?q=l-&sort=email&limit=1&offset=2`)).body;
  assert.deepEqual([page.items.map((u) => u.email), page.total, page.limit, page.offset], [['l-c@example.com'], 3, 1, 2]);
  const byRole = (await admin.get(`${U}?role=admin`)).body;
  assert.ok(byRole.items.every((u) => u.role === 'admin') && byRole.total >= 1);
  expectError(assert, await admin.get(`${U}?role=boss`), 400, 'role');
  expectError(assert, await admin.get(`${U}?limit=0`), 400, 'limit');
  expectError(assert, await admin.get(`${U}?offset=no`), 400, 'offset');
  expectError(assert, await admin.get(`${U}?sort=password`), 400, 'sort');
});

test('API tokens: each account manages only its own', async () => {
  const made = await viewer.post('/api/v1/tokens', { name: 'viewer script' });
  assert.equal(made.status, 201);
  const bearer = client(server, { token: made.body.token });
  assert.equal((await bearer.get('/api/v1/programs')).status, 200);
  expectError(assert, await bearer.post('/api/v1/programs', { name: 'no' }), 403, undefined);
  const list = await viewer.get('/api/v1/tokens');
  assert.deepEqual(list.body.items.map((t) => t.name), ['viewer script']);
  assert.deepEqual((await mentee.get('/api/v1/tokens')).body.items, []);
  expectError(assert, await mentee.del(`/api/v1/tokens/${made.body.id}`), 404);
  expectError(assert, await admin.del(`/api/v1/tokens/${made.body.id}`), 404);
  expectError(assert, await viewer.post('/api/v1/tokens', {}), 422, 'name');
  expectError(assert, await viewer.post('/api/v1/tokens', { name: 3 }), 422, 'name');
  assert.equal((await viewer.del(`/api/v1/tokens/${made.body.id}`)).status, 204);
  expectError(assert, await bearer.get('/api/v1/programs'), 401);
  // A disabled account's tokens stop working too.
  const m = await userWithRole(server, 'mentor');
  const t = (await m.post('/api/v1/tokens', { name: 'mentor script' })).body.token;
  await admin.patch(`${U}/${m.id}`, { disabled: true });
  expectError(assert, await client(server, { token: t }).get('/api/v1/programs'), 401);
});
