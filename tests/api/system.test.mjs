// Health, metrics, the body limit, and requests that match no route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectError } from './helpers.mjs';

let server;
before(async () => { server = await startServer({ env: { MENTORTRACK_BODY_LIMIT: '2048' } }); });
after(async () => { await server.stop(); });

test('GET /healthz: status, version and database, no sign-in', async () => {
  const res = await client(server).get('/healthz');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['database', 'status', 'version']);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.database, 'sqlite');
  assert.match(res.body.version, /^\d+\.\d+\.\d+/);
});

function counter(text, method, route, status) {
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = text.match(new RegExp(`^mentortrack_http_requests_total\\{method="${method}",route="${esc(route)}",status="${status}"\\} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

test('GET /metrics: Prometheus text with per-route counters and a latency histogram', async () => {
  const anon = client(server);
  const before = (await anon.get('/metrics')).text;
  const p = (await server.admin.post('/api/v1/programs', { name: 'Metered' })).body;
  await server.admin.get(`/api/v1/programs/${p.id}`);
  await server.admin.get(`/api/v1/programs/${p.id}`);
  await server.admin.get('/api/v1/programs/99999');
  await server.admin.post('/api/v1/programs', { name: 'Metered' });
  await anon.get('/api/v1/programs');
  await anon.get('/api/v1/no-such-thing');
  const res = await anon.get('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = res.text;
  assert.match(text, /^# HELP mentortrack_http_requests_total .+$/m);
  assert.match(text, /^# TYPE mentortrack_http_requests_total counter$/m);
  assert.match(text, /^# TYPE mentortrack_http_request_duration_seconds histogram$/m);
  const delta = (m, r, s) => counter(text, m, r, s) - counter(before, m, r, s);
  assert.equal(delta('GET', '/api/v1/programs/{id}', 200), 2);
  assert.equal(delta('GET', '/api/v1/programs/{id}', 404), 1);
  assert.equal(delta('POST', '/api/v1/programs', 201), 1);
  assert.equal(delta('POST', '/api/v1/programs', 409), 1);
  assert.equal(delta('GET', '/api/v1/programs', 401), 1);
  assert.ok(counter(text, 'GET', '/metrics', 200) >= 1);
  assert.ok(counter(text, 'GET', 'unmatched', 404) >= 1);
  // Every sample line is well formed.
  for (const line of text.trim().split('\n')) {
    if (line.startsWith('#')) assert.match(line, /^# (HELP|TYPE) \w+ .+$/);
    else assert.match(line, /^\w+(\{\w+="[^"]*"(,\w+="[^"]*")*\})? \d+(\.\d+)?$/, line);
  }
  // Histogram: cumulative buckets ending in +Inf, equal to _count.
  const buckets = [...text.matchAll(/^mentortrack_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
  assert.ok(buckets.length >= 5);
  assert.equal(buckets.at(-1)[0], '+Inf');
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(buckets[i][1] >= buckets[i - 1][1], 'buckets are cumulative');
    if (buckets[i][0] !== '+Inf') assert.ok(Number(buckets[i][0]) > Number(buckets[i - 1][0]));
  }
  const count = Number(text.match(/^mentortrack_http_request_duration_seconds_count (\d+)$/m)[1]);
  const sum = Number(text.match(/^mentortrack_http_request_duration_seconds_sum ([\d.]+)$/m)[1]);
  assert.equal(buckets.at(-1)[1], count);
  assert.ok(count >= 8 && sum > 0);
});

test('a body over the limit is 413 in the one error shape, and nothing is written', async () => {
  const a = server.admin;
  const big = await a.post('/api/v1/people', { name: 'x'.repeat(3000), email: 'big@example.com' });
  const err = expectError(assert, big, 413);
  assert.equal(err.code, 'too_large');
  assert.match(err.message, /2048 bytes/);
  const csv = 'email,name\n' + Array.from({ length: 100 }, (_, i) => `p${i}@example.com,Person ${i}`).join('\n');
  expectError(assert, await a.post('/api/v1/people/import', csv, { raw: true }), 413);
  expectError(assert, await client(server).post('/api/v1/auth/login', { email: 'admin@example.com', password: 'y'.repeat(4000) }), 413);
  assert.equal((await a.get('/api/v1/people')).body.total, 0);
  // Just under the limit is fine.
  const fits = await a.post('/api/v1/people', { name: 'y'.repeat(190), email: 'fits@example.com' });
  assert.equal(fits.status, 201);
});

test('unknown paths are 404, known paths with another method 405, ids must be positive', async () => {
  const a = server.admin;
  expectError(assert, await a.get('/api/v1/nothing'), 404);
  expectError(assert, await a.get('/api/v1/programs/0'), 404);
  expectError(assert, await a.get('/api/v1/programs/-3'), 404);
  const e = expectError(assert, await a.del('/api/v1/people'), 405);
  assert.equal(e.code, 'method_not_allowed');
  expectError(assert, await a.patch('/api/v1/skills', {}), 405);
  const slash = await a.get('/api/v1/programs/');
  assert.equal(slash.status, 200, 'a trailing slash is tolerated');
  const yaml = await client(server).get('/api/v1/openapi.yaml');
  assert.equal(yaml.status, 200);
  assert.match(yaml.text, /^openapi: 3\.1\.0$/m);
});
