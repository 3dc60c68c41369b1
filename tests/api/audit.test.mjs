// Every write leaves an audit row: who, action, entity, before and after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, userWithRole, expectError, participant } from './helpers.mjs';

let server, admin, manager;
before(async () => {
  server = await startServer();
  admin = server.admin;
  manager = await userWithRole(server, 'manager');
});
after(async () => { await server.stop(); });

const lastId = async () => (await admin.get('/api/v1/audit?limit=1')).body.items[0]?.id ?? 0;
// The audit rows written since id `since`, oldest first.
async function rowsSince(since) {
  const res = await admin.get('/api/v1/audit?sort=id&limit=500');
  assert.equal(res.status, 200);
  return res.body.items.filter((r) => r.id > since);
}
// Run a write and return the one audit row it created.
async function auditOf(write) {
  const since = await lastId();
  const res = await write();
  assert.ok(res.status >= 200 && res.status < 300, `write failed: ${res.status} ${res.text}`);
  const rows = await rowsSince(since);
  assert.equal(rows.length, 1, `expected one audit row, got ${JSON.stringify(rows)}`);
  return { row: rows[0], res };
}

test('every kind of write is audited with actor, action, entity, before and after', async () => {
  const who = (c) => ({ user_id: c.user.id, actor: c.user.email });
  const check = (row, c, action, entity, id) => {
    assert.deepEqual({ user_id: row.user_id, actor: row.actor, action: row.action, entity: row.entity, entity_id: row.entity_id },
      { ...who(c), action, entity, entity_id: id });
    assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  };

  let { row, res } = await auditOf(() => manager.post('/api/v1/programs', { name: 'Audited' }));
  const P = res.body.id;
  check(row, manager, 'create', 'program', P);
  assert.equal(row.before, null);
  assert.equal(row.after.name, 'Audited');

  ({ row } = await auditOf(() => manager.patch(`/api/v1/programs/${P}`, { status: 'open' })));
  check(row, manager, 'update', 'program', P);
  assert.equal(row.before.status, 'draft');
  assert.equal(row.after.status, 'open');

  const other = await userWithRole(server, 'manager');
  ({ row } = await auditOf(() => admin.post(`/api/v1/programs/${P}/managers`, { user_id: other.id })));
  check(row, admin, 'add_manager', 'program', P);
  assert.deepEqual(row.after, { program_id: P, user_id: other.id });

  ({ row, res } = await auditOf(() => manager.post('/api/v1/people', { name: 'Audit Person', email: 'ap@example.com' })));
  const person = res.body.id;
  check(row, manager, 'create', 'person', person);
  assert.equal(row.after.email, 'ap@example.com');

  ({ row } = await auditOf(() => admin.patch(`/api/v1/people/${person}`, { job_title: 'Auditor' })));
  check(row, admin, 'update', 'person', person);
  assert.equal(row.before.job_title, null);
  assert.equal(row.after.job_title, 'Auditor');

  ({ row, res } = await auditOf(() => manager.post(`/api/v1/programs/${P}/memberships`, { person_id: person, role: 'mentor' })));
  const membership = res.body.id;
  check(row, manager, 'create', 'membership', membership);
  assert.equal(row.after.role, 'mentor');

  ({ row } = await auditOf(() => manager.patch(`/api/v1/memberships/${membership}`, { capacity: 3 })));
  check(row, manager, 'update', 'membership', membership);
  assert.deepEqual([row.before.capacity, row.after.capacity], [1, 3]);

  const mentee = await participant(server, 'mentee');
  ({ row, res } = await auditOf(() => mentee.post(`/api/v1/programs/${P}/register`, { role: 'mentee' })));
  check(row, mentee, 'create', 'membership', res.body.id);
  ({ row } = await auditOf(() => mentee.patch(`/api/v1/memberships/${res.body.id}`, { goals: 'Grow' })));
  check(row, mentee, 'update', 'membership', res.body.id);
  assert.deepEqual([row.before.goals, row.after.goals], ['', 'Grow']);

  ({ row, res } = await auditOf(() => manager.post('/api/v1/skills', { name: 'Auditing', category: 'finance' })));
  check(row, manager, 'create', 'skill', res.body.id);

  ({ row, res } = await auditOf(() => admin.post('/api/v1/users', { email: 'au@example.com', name: 'AU', role: 'viewer', password: 'long-enough-1' })));
  const user = res.body.id;
  check(row, admin, 'create', 'user', user);
  assert.ok(!JSON.stringify(row).includes('long-enough-1'), 'passwords never reach the audit log');
  assert.ok(!('password_hash' in row.after));

  ({ row } = await auditOf(() => admin.patch(`/api/v1/users/${user}`, { role: 'mentor' })));
  check(row, admin, 'update', 'user', user);
  assert.deepEqual([row.before.role, row.after.role], ['viewer', 'mentor']);
  ({ row } = await auditOf(() => admin.patch(`/api/v1/users/${user}`, { password: 'another-password' })));
  check(row, admin, 'update+password', 'user', user);
  assert.ok(!JSON.stringify(row).includes('another-password'));

  ({ row, res } = await auditOf(() => mentee.post('/api/v1/tokens', { name: 'tok' })));
  check(row, mentee, 'create', 'api_token', res.body.id);
  assert.ok(!JSON.stringify(row).includes(res.body.token), 'token values never reach the audit log');
  const tokenId = res.body.id;
  ({ row } = await auditOf(() => mentee.del(`/api/v1/tokens/${tokenId}`)));
  check(row, mentee, 'delete', 'api_token', tokenId);

  ({ row } = await auditOf(() => admin.post('/api/v1/people/import', 'email,name\nimp@example.com,Imp\n', { raw: true })));
  assert.deepEqual([row.action, row.entity, row.actor], ['import', 'people', admin.user.email]);
  assert.deepEqual(row.after, { rows: 1, created: 1, updated: 0, dry_run: false });

  ({ row } = await auditOf(() => manager.post(`/api/v1/programs/${P}/memberships/import`, 'email,role\nimp@example.com,mentee\n', { raw: true })));
  check(row, manager, 'import', 'program', P);
  assert.deepEqual(row.after, { rows: 1, created: 1, updated: 0, dry_run: false });
});

test('failed writes and dry runs leave no audit row', async () => {
  const since = await lastId();
  await admin.post('/api/v1/programs', { name: '' });
  await admin.post('/api/v1/people', { name: 'X', email: 'bad' });
  await admin.patch('/api/v1/programs/99999', { name: 'x' });
  await admin.post('/api/v1/people/import', 'email,name\nbad,X\n', { raw: true });
  await admin.post('/api/v1/people/import?dry_run=true', 'email,name\ndry@example.com,Dry\n', { raw: true });
  await client(server).post('/api/v1/programs', { name: 'anon' });
  const viewer = await userWithRole(server, 'viewer');
  const after = await rowsSince(since);
  // Only the viewer's account creation is new.
  assert.deepEqual(after.map((r) => [r.action, r.entity, r.entity_id]), [['create', 'user', viewer.id]]);
  await viewer.post('/api/v1/programs', { name: 'forbidden' });
  assert.equal((await rowsSince(since)).length, 1);
});

test('the audit log: admins only, newest first, filters, sorting, pagination', async () => {
  for (const who of [manager, await userWithRole(server, 'viewer'), await participant(server, 'mentor')]) {
    expectError(assert, await who.get('/api/v1/audit'), 403);
  }
  expectError(assert, await client(server).get('/api/v1/audit'), 401);
  const all = (await admin.get('/api/v1/audit?limit=500')).body;
  const ids = all.items.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first by default');
  assert.equal(all.total, ids.length);
  const asc = (await admin.get('/api/v1/audit?sort=id&limit=3&offset=1')).body;
  assert.deepEqual(asc.items.map((r) => r.id), [...ids].reverse().slice(1, 4));
  assert.deepEqual([asc.limit, asc.offset, asc.total], [3, 1, all.total]);

  const programs = (await admin.get('/api/v1/audit?entity=program&limit=500')).body;
  assert.ok(programs.total >= 3 && programs.items.every((r) => r.entity === 'program'));
  const one = programs.items[0].entity_id;
  const forOne = (await admin.get(`/api/v1/audit?entity=program&entity_id=${one}&limit=500`)).body;
  assert.ok(forOne.items.every((r) => r.entity_id === one) && forOne.total >= 1);
  const updates = (await admin.get('/api/v1/audit?action=update&limit=500')).body;
  assert.ok(updates.total >= 1 && updates.items.every((r) => r.action === 'update'));
  const byManager = (await admin.get(`/api/v1/audit?actor=${encodeURIComponent(manager.user.email)}&limit=500`)).body;
  assert.ok(byManager.total >= 1 && byManager.items.every((r) => r.user_id === manager.user.id));
  assert.equal((await admin.get('/api/v1/audit?since=2999-01-01T00:00:00Z')).body.total, 0);
  assert.equal((await admin.get('/api/v1/audit?since=2000-01-01T00:00:00Z')).body.total, all.total);
  const byEntity = (await admin.get('/api/v1/audit?sort=-entity&limit=500')).body.items.map((r) => r.entity);
  assert.deepEqual(byEntity, [...byEntity].sort().reverse());

  expectError(assert, await admin.get('/api/v1/audit?entity_id=abc'), 400, 'entity_id');
  expectError(assert, await admin.get('/api/v1/audit?limit=0'), 400, 'limit');
  expectError(assert, await admin.get('/api/v1/audit?offset=-2'), 400, 'offset');
  expectError(assert, await admin.get('/api/v1/audit?sort=before'), 400, 'sort');
});
