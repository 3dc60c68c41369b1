// Sign-in, sessions, CSRF, tokens and throttling, against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login, expectError, userWithRole, PASSWORD } from './helpers.mjs';

let server;
before(async () => { server = await startServer({ env: { MENTORTRACK_LOGIN_MAX_FAILURES: '3' } }); });
after(async () => { await server.stop(); });

test('healthz answers without a sign-in', async () => {
  const res = await client(server).get('/healthz');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.database, 'sqlite');
});

test('login sets an HttpOnly SameSite cookie and returns a CSRF token', async () => {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', body: JSON.stringify({ email: 'ADMIN@example.com', password: PASSWORD }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^mt_session=mt_[0-9a-f]{64};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/);
  const body = await res.json();
  assert.equal(body.user.role, 'admin');
  assert.match(body.csrf_token, /^mt_[0-9a-f]{64}$/);
});

test('login validation: missing fields, wrong password', async () => {
  const anon = client(server);
  expectError(assert, await anon.post('/api/v1/auth/login', { email: 'admin@example.com' }), 422, 'password');
  expectError(assert, await anon.post('/api/v1/auth/login', { password: 'x' }), 422, 'email');
  expectError(assert, await anon.post('/api/v1/auth/login', 'not json', { raw: true }), 400);
  expectError(assert, await anon.post('/api/v1/auth/login', { email: 'admin@example.com', password: 'nope-nope' }), 401);
});

test('cookie writes need the CSRF header; bearer tokens do not', async () => {
  const noCsrf = client(server, { cookie: server.admin.cookie });
  expectError(assert, await noCsrf.post('/api/v1/programs', { name: 'CSRF test' }), 403, 'X-CSRF-Token');
  const wrong = client(server, { cookie: server.admin.cookie, csrf: 'mt_' + '0'.repeat(64) });
  expectError(assert, await wrong.post('/api/v1/programs', { name: 'CSRF test' }), 403);
  const ok = await server.admin.post('/api/v1/programs', { name: 'CSRF test' });
  assert.equal(ok.status, 201);

  const tok = await server.admin.post('/api/v1/tokens', { name: 'script' });
  assert.equal(tok.status, 201);
  assert.match(tok.body.token, /^mt_[0-9a-f]{64}$/);
  const bearer = client(server, { token: tok.body.token });
  const created = await bearer.post('/api/v1/programs', { name: 'From a script' });
  assert.equal(created.status, 201);
  const me = await bearer.get('/api/v1/auth/me');
  assert.equal(me.body.via_token, true);

  const list = await server.admin.get('/api/v1/tokens');
  assert.ok(list.body.items.some((t) => t.id === tok.body.id && t.name === 'script'));
  assert.ok(!JSON.stringify(list.body).includes(tok.body.token), 'token must never be listed');

  assert.equal((await server.admin.del(`/api/v1/tokens/${tok.body.id}`)).status, 204);
  expectError(assert, await bearer.get('/api/v1/auth/me'), 401);
  expectError(assert, await server.admin.del(`/api/v1/tokens/${tok.body.id}`), 404);
  expectError(assert, await server.admin.post('/api/v1/tokens', { name: 'x', extra: 1 }), 422, 'extra');
});

test('anonymous API calls get 401 in the one error shape', async () => {
  const err = expectError(assert, await client(server).get('/api/v1/programs'), 401);
  assert.equal(err.code, 'unauthenticated');
  expectError(assert, await client(server, { token: 'mt_bogus' }).get('/api/v1/programs'), 401);
});

test('logout ends the session', async () => {
  const c = await login(server, 'admin@example.com', PASSWORD);
  assert.equal((await c.get('/api/v1/auth/me')).status, 200);
  assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
  expectError(assert, await c.get('/api/v1/auth/me'), 401);
});

test('repeated failed logins lock the account for a while (429)', async () => {
  const anon = client(server);
  const bad = { email: 'admin@example.com', password: 'wrong-password' };
  for (let i = 0; i < 3; i++) expectError(assert, await anon.post('/api/v1/auth/login', bad), 401);
  const locked = expectError(assert, await anon.post('/api/v1/auth/login', bad), 429);
  assert.match(locked.message, /try again in \d+ seconds/);
  // Even the right password is refused while locked.
  expectError(assert, await anon.post('/api/v1/auth/login', { email: 'admin@example.com', password: PASSWORD }), 429);
});

test('unknown endpoints are 404, wrong methods 405, big bodies 413', async () => {
  expectError(assert, await server.admin.get('/api/v1/nothing-here'), 404);
  expectError(assert, await server.admin.del('/api/v1/programs'), 405);
});

test('the token list is paginated and sortable like every list', async () => {
  for (const name of ['b-token', 'a-token', 'c-token']) {
    assert.equal((await server.admin.post('/api/v1/tokens', { name })).status, 201);
  }
  const page = await server.admin.get('/api/v1/tokens?limit=2&sort=name');
  assert.equal(page.status, 200);
  assert.equal(page.body.limit, 2);
  assert.equal(page.body.items.length, 2);
  assert.ok(page.body.total >= 3);
  const names = page.body.items.map((t) => t.name);
  assert.deepEqual(names, [...names].sort());
  expectError(assert, await server.admin.get('/api/v1/tokens?limit=0'), 400, 'limit');
  expectError(assert, await server.admin.get('/api/v1/tokens?sort=secret'), 400, 'sort');
});

test('/auth/me and the login answer name the programs a manager manages', async () => {
  const manager = await userWithRole(server, 'manager');
  let me = await manager.get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.user.managed_program_ids, []);
  const ids = [];
  for (const name of ['Managed B', 'Managed A', 'Not managed']) {
    const res = await server.admin.post('/api/v1/programs', { name });
    assert.equal(res.status, 201, res.text);
    ids.push(res.body.id);
  }
  for (const id of ids.slice(0, 2)) {
    const res = await server.admin.post(`/api/v1/programs/${id}/managers`, { user_id: me.body.user.id });
    assert.ok([200, 201, 204].includes(res.status), res.text);
  }
  me = await manager.get('/api/v1/auth/me');
  assert.deepEqual(me.body.user.managed_program_ids, ids.slice(0, 2).sort((a, b) => a - b));
  // The UI decides its tabs from this list; it must agree with the API's access rule.
  assert.equal((await manager.get(`/api/v1/programs/${ids[0]}/alerts`)).status, 200);
  assert.equal((await manager.get(`/api/v1/programs/${ids[2]}/alerts`)).status, 403);
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', body: JSON.stringify({ email: me.body.user.email, password: PASSWORD }),
  });
  assert.deepEqual((await login.json()).user.managed_program_ids, me.body.user.managed_program_ids);
});
