// The KPI snapshot cache as a client sees it through /metrics: one load per
// burst of requests after a write, and the background refresher reloading
// a read program after a write so the next request finds it current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createPerson } from './helpers.mjs';

async function cacheStats(server) {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const num = (re) => {
    const m = text.match(re);
    assert.ok(m, `${re} missing from /metrics`);
    return Number(m[1]);
  };
  return {
    hits: num(/^mentortrack_kpi_snapshot_requests_total\{outcome="hit"\} (\d+)$/m),
    waits: num(/^mentortrack_kpi_snapshot_requests_total\{outcome="wait"\} (\d+)$/m),
    loads: num(/^mentortrack_kpi_snapshot_loads_total (\d+)$/m),
  };
}

async function runningProgram(server, name) {
  const res = await server.admin.post('/api/v1/programs', { name, status: 'running' });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

async function metrics(server, program) {
  const res = await server.admin.get(`/api/v1/programs/${program}/metrics`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

test('a burst of KPI requests after a write loads the snapshot once', async () => {
  const server = await startServer({ env: { MENTORTRACK_KPI_REFRESH: '0' } });
  try {
    const program = await runningProgram(server, 'Burst');
    const first = await metrics(server, program);
    let before = await cacheStats(server);
    const again = await metrics(server, program);
    let after = await cacheStats(server);
    assert.equal(after.loads, before.loads, 'a second read of an unchanged program loads nothing');
    assert.equal(after.hits, before.hits + 1);
    assert.equal(again.data_version, first.data_version);

    await createPerson(server, { department: 'Ops' }); // people feed every program
    before = await cacheStats(server);
    const burst = await Promise.all(Array.from({ length: 8 }, () => metrics(server, program)));
    after = await cacheStats(server);
    assert.equal(after.loads, before.loads + 1, 'eight requests after one write: one load');
    assert.equal((after.hits - before.hits) + (after.waits - before.waits), 7);
    for (const b of burst) assert.ok(b.data_version > first.data_version);
    assert.equal(new Set(burst.map((b) => b.data_version)).size, 1);
  } finally {
    await server.stop();
  }
});

test('the refresher reloads a program that was read, after a write, before the next request', async () => {
  const server = await startServer({ env: { MENTORTRACK_KPI_REFRESH: '1' } });
  try {
    const program = await runningProgram(server, 'Dashboard');
    const first = await metrics(server, program);
    const base = await cacheStats(server);
    await createPerson(server, { department: 'Ops' });
    let now = base;
    for (let i = 0; i < 100 && now.loads === base.loads; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await cacheStats(server);
    }
    assert.ok(now.loads > base.loads, 'the refresher did not reload the stale snapshot within 10 s');
    const next = await metrics(server, program);
    const after = await cacheStats(server);
    assert.ok(next.data_version > first.data_version, 'the refreshed snapshot has the write');
    assert.equal(after.loads, now.loads, 'the request after the refresh loads nothing');
    assert.equal(after.hits, now.hits + 1);
  } finally {
    await server.stop();
  }
});
