// Shared helpers for the black-box API tests: start the real binary on a
// fresh SQLite file and talk to it over HTTP, as a client would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = process.env.MENTORTRACK_BIN || resolve(import.meta.dirname, '../../build/mentortrack');
export const PASSWORD = 'correct-horse-42';

// Run the CLI synchronously; returns {status, stdout, stderr} (stderr also
// on success: progress lines and summaries go there).
export function cli(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// A server on a fresh database with an admin; `users` maps role names to
// extra accounts to create ({ email, role, person } objects are also fine).
export async function startServer({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mt-api-'));
  const db = join(dir, 'test.db');
  const init = cli(['init', '--db', db, '--password', PASSWORD]);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)\//);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const server = {
    url, db, dir, proc,
    stderr: () => stderr,
    async stop() {
      const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
      proc.kill('SIGTERM');
      const result = await exited;
      rmSync(dir, { recursive: true, force: true });
      // A clean shutdown exits 0; under the sanitizers a leak or error does not.
      if (result.code !== 0) throw new Error(`server exited ${result.code} ${result.signal}: ${stderr}`);
      return result;
    },
  };
  server.admin = await login(server, 'admin@example.com', PASSWORD);
  return server;
}

// A signed-in client using the session cookie and CSRF header.
export async function login(server, email, password) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  const body = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return client(server, { cookie, csrf: body.csrf_token, user: body.user });
}

// A client; `auth` is {cookie, csrf} or {token} or {} for anonymous.
export function client(server, auth = {}) {
  const call = async (method, path, body, { raw = false, headers = {} } = {}) => {
    const h = { ...headers };
    if (auth.cookie) h.Cookie = auth.cookie;
    if (auth.csrf && method !== 'GET') h['X-CSRF-Token'] = auth.csrf;
    if (auth.token) h.Authorization = `Bearer ${auth.token}`;
    let payload;
    if (body !== undefined) {
      payload = raw ? body : JSON.stringify(body);
      if (!h['Content-Type']) h['Content-Type'] = raw ? 'text/csv' : 'application/json';
    }
    const res = await fetch(`${server.url}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    ...auth,
    get: (p, o) => call('GET', p, undefined, o),
    post: (p, b, o) => call('POST', p, b, o),
    patch: (p, b, o) => call('PATCH', p, b, o),
    put: (p, b, o) => call('PUT', p, b, o),
    del: (p, o) => call('DELETE', p, undefined, o),
  };
}

// Create an account with the given role (through the API, as the admin) and
// return a signed-in client for it.  `person` links it to a person id.
export async function userWithRole(server, role, { email, person } = {}) {
  const address = email || `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const body = { email: address, name: `Test ${role}`, role, password: PASSWORD };
  if (person) body.person_id = person;
  const res = await server.admin.post('/api/v1/users', body);
  if (res.status !== 201) throw new Error(`create ${role}: ${res.status} ${res.text}`);
  const c = await login(server, address, PASSWORD);
  c.id = res.body.id;
  return c;
}

// Assert the one error shape and return the error object.
export function expectError(assert, res, status, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.body && res.body.error, `error body missing: ${res.text}`);
  assert.equal(typeof res.body.error.code, 'string');
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
  if (field !== undefined) assert.equal(res.body.error.field, field);
  return res.body.error;
}

// Create a person through the API as the admin; returns the person.
let personSeq = 0;
export async function createPerson(server, fields = {}) {
  personSeq++;
  const body = { name: `Person ${personSeq}`, email: `person${personSeq}-${Math.random().toString(36).slice(2, 6)}@example.com`, ...fields };
  const res = await server.admin.post('/api/v1/people', body);
  if (res.status !== 201) throw new Error(`create person: ${res.status} ${res.text}`);
  return res.body;
}

// A person plus an account of the given role linked to them.
export async function participant(server, role, fields = {}) {
  const person = await createPerson(server, fields);
  const c = await userWithRole(server, role, { person: person.id });
  c.person = person;
  return c;
}
