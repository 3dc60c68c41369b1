// Departments: the list a department filter offers, with head counts
// computed here from the people the test creates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, userWithRole, expectError, createPerson } from './helpers.mjs';

let server, viewer, mentor;
const DP = '/api/v1/departments';
// department -> [people, of whom left]
const FIXTURE = { 'Finance': [3, 1], 'R&D': [5, 0], 'Sales & Ops': [2, 2], 'research': [1, 0] };

before(async () => {
  server = await startServer();
  [viewer, mentor] = await Promise.all([userWithRole(server, 'viewer'), userWithRole(server, 'mentor')]);
  for (const [department, [n, left]] of Object.entries(FIXTURE)) {
    for (let i = 0; i < n; i++) {
      const fields = { department, hire_date: '2020-01-01' };
      if (i < left) fields.left_date = '2024-06-30';
      await createPerson(server, fields);
    }
  }
  await createPerson(server, {}); // no department: not listed
});
after(async () => { await server.stop(); });

// What the list must say, from the fixture alone (plus people the server
// itself may hold: the test counts them from the people list).
async function expected() {
  const all = await server.admin.get('/api/v1/people?limit=500');
  assert.equal(all.status, 200);
  const counts = new Map();
  for (const p of all.body.items) {
    if (!p.department) continue;
    const c = counts.get(p.department) || { name: p.department, people: 0, current: 0 };
    c.people++;
    if (!p.left_date) c.current++;
    counts.set(p.department, c);
  }
  return [...counts.values()];
}

test('departments list names and head counts, sorted by name by default', async () => {
  const want = (await expected()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  assert.ok(want.length >= 4);
  const res = await viewer.get(DP);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.items, want);
  assert.equal(res.body.total, want.length);
  const rd = res.body.items.find((d) => d.name === 'R&D');
  assert.deepEqual(rd, { name: 'R&D', people: 5, current: 5 });
  assert.deepEqual(res.body.items.find((d) => d.name === 'Sales & Ops'), { name: 'Sales & Ops', people: 2, current: 0 });
});

test('departments sort by size, filter by substring, and paginate', async () => {
  const all = await expected();
  const bySize = await server.admin.get(`${DP}?sort=-people`);
  assert.equal(bySize.status, 200);
  const sizes = bySize.body.items.map((d) => d.people);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  assert.equal(bySize.body.items[0].people, Math.max(...all.map((d) => d.people)));
  const search = await server.admin.get(`${DP}?q=${encodeURIComponent('&')}`);
  assert.deepEqual(search.body.items.map((d) => d.name).sort(), all.filter((d) => d.name.includes('&')).map((d) => d.name).sort());
  const page = await server.admin.get(`${DP}?limit=2&offset=1`);
  assert.equal(page.body.items.length, 2);
  assert.equal(page.body.total, all.length);
});

test('departments: a bad sort key is a 400 naming it; participants may not list', async () => {
  expectError(assert, await viewer.get(`${DP}?sort=size`), 400, 'sort');
  expectError(assert, await mentor.get(DP), 403);
});
