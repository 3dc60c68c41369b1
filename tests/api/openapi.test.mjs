// The OpenAPI description (docs/openapi.yaml, served at /api/v1/openapi.yaml)
// must match the server: the same (method, path) set as the route table in
// src/http/routes.c, the same access rules, and the statuses and bodies the
// running server really gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:http';
import { startServer, client, userWithRole, PASSWORD } from './helpers.mjs';
import { setup as activitySetup, participant as activityParticipant } from './activity_fixture.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

// ---- a parser for the YAML subset docs/openapi.yaml is written in --------
// Block mappings and sequences by indentation, plain / 'single' / "double"
// quoted scalars, numbers, booleans, null, flow lists of scalars and empty
// {} / []; full-line comments.  Anything else is an error, so the file stays
// in a form this parser reads exactly.
export function parseYaml(text) {
  const lines = [];
  text.split('\n').forEach((raw, i) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tab`);
    const indent = raw.match(/^ */)[0].length;
    lines.push({ indent, text: raw.slice(indent).replace(/\s+$/, ''), no: i + 1 });
  });
  let pos = 0;
  const KEY = /^('(?:[^']|'')*'|[^'"\s\-[{][^:]*?|-[^ ][^:]*?):(?: (.*))?$/;
  function scalar(s, no) {
    if (s.startsWith("'")) {
      if (!/^'(?:[^']|'')*'$/.test(s)) throw new Error(`line ${no}: bad quoted string ${s}`);
      return s.slice(1, -1).replace(/''/g, "'");
    }
    if (s.startsWith('"')) return JSON.parse(s);
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (s === 'null' || s === '~') return null;
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/(^[&*!|>%@`])|(: )|( #)|(:$)/.test(s)) throw new Error(`line ${no}: unsupported plain scalar ${s}`);
    return s;
  }
  function value(s, no) {
    if (s === '{}') return {};
    if (s === '[]') return [];
    if (s.startsWith('[')) {
      if (!s.endsWith(']')) throw new Error(`line ${no}: unterminated flow list`);
      return s.slice(1, -1).split(',').map((x) => scalar(x.trim(), no));
    }
    if (s.startsWith('{')) throw new Error(`line ${no}: flow mappings are not supported`);
    return scalar(s, no);
  }
  function block(indent) {
    return lines[pos].text.startsWith('- ') ? seq(indent) : map(indent);
  }
  function map(indent) {
    const obj = {};
    while (pos < lines.length && lines[pos].indent === indent && !lines[pos].text.startsWith('- ')) {
      const { text, no } = lines[pos];
      const m = text.match(KEY);
      if (!m) throw new Error(`line ${no}: expected "key: value", got ${text}`);
      const key = scalar(m[1], no);
      if (Object.hasOwn(obj, key)) throw new Error(`line ${no}: duplicate key ${key}`);
      pos++;
      if (m[2] !== undefined) obj[key] = value(m[2], no);
      else if (pos < lines.length && lines[pos].indent > indent) obj[key] = block(lines[pos].indent);
      else obj[key] = null;
    }
    if (pos < lines.length && lines[pos].indent > indent) throw new Error(`line ${lines[pos].no}: bad indentation`);
    return obj;
  }
  function seq(indent) {
    const arr = [];
    while (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith('- ')) {
      const { text, no } = lines[pos];
      const rest = text.slice(2);
      if (KEY.test(rest)) {
        lines[pos] = { indent: indent + 2, text: rest, no };
        arr.push(map(indent + 2));
      } else {
        arr.push(value(rest, no));
        pos++;
      }
    }
    return arr;
  }
  const doc = map(0);
  if (pos !== lines.length) throw new Error(`line ${lines[pos].no}: unexpected content`);
  return doc;
}

// ---- the route table, read from the C source ------------------------------
const ROLE_MACROS = {
  ADMIN: ['admin'], ROLE_ADMIN: ['admin'], ROLE_MANAGER: ['manager'], ROLE_MENTOR: ['mentor'],
  ROLE_MENTEE: ['mentee'], ROLE_VIEWER: ['viewer'],
  STAFF: ['admin', 'manager'], ROLES_STAFF: ['admin', 'manager'],
  ROLES_PARTICIPANT: ['mentor', 'mentee'],
  ANY: ['admin', 'manager', 'mentor', 'mentee', 'viewer'],
  ROLES_ANY: ['admin', 'manager', 'mentor', 'mentee', 'viewer'],
};
export function routeTable() {
  const src = readFileSync(resolve(ROOT, 'src/http/routes.c'), 'utf8');
  const rows = [];
  const re = /\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+),\s*(ACCESS_\w+),\s*([^,]+?),/g;
  for (const m of src.matchAll(re)) {
    const roles = new Set();
    for (const part of m[5].split('|').map((s) => s.trim())) {
      if (part === '0') continue;
      if (!ROLE_MACROS[part]) throw new Error(`unknown role macro ${part} in routes.c`);
      ROLE_MACROS[part].forEach((r) => roles.add(r));
    }
    rows.push({ method: m[1].toLowerCase(), path: m[2], rule: m[4].slice(7).toLowerCase(), roles: [...roles].sort() });
  }
  return rows;
}

let server, spec, yamlText;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ops = () => Object.entries(spec.paths).flatMap(([p, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ method: m, path: p, op: item[m] })));

function deref(node) {
  let n = node;
  for (let i = 0; n && n.$ref; i++) {
    assert.ok(i < 20, 'reference loop');
    const parts = n.$ref.replace(/^#\//, '').split('/');
    n = parts.reduce((o, k) => (o == null ? undefined : o[k]), spec);
    assert.ok(n !== undefined, `unresolved $ref ${node.$ref}`);
  }
  return n;
}

// A JSON Schema subset checker: $ref, allOf, type (incl. lists), enum,
// required, properties, items, and no undocumented keys in objects whose
// schema lists properties.
function validate(schema, v, path = '$', errs = [], inAllOf = false) {
  const s = deref(schema);
  const typeOk = (t) => (t === 'integer' ? Number.isInteger(v) : t === 'number' ? typeof v === 'number'
    : t === 'null' ? v === null : t === 'array' ? Array.isArray(v)
    : t === 'object' ? v !== null && typeof v === 'object' && !Array.isArray(v) : typeof v === t);
  if (s.type && ![].concat(s.type).some(typeOk)) errs.push(`${path}: expected ${s.type}, got ${JSON.stringify(v)}`);
  if (s.enum && !s.enum.includes(v)) errs.push(`${path}: ${JSON.stringify(v)} is not one of ${s.enum}`);
  for (const sub of s.allOf || []) validate(sub, v, path, errs, true);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of s.required || []) if (!(k in v)) errs.push(`${path}: missing ${k}`);
    for (const [k, sub] of Object.entries(s.properties || {})) if (k in v) validate(sub, v[k], `${path}.${k}`, errs);
    const known = new Set();
    const collect = (x) => { x = deref(x); Object.keys(x.properties || {}).forEach((k) => known.add(k)); (x.allOf || []).forEach(collect); };
    collect(s);
    if (known.size && !inAllOf) for (const k of Object.keys(v)) if (!known.has(k)) errs.push(`${path}: undocumented key ${k}`);
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => validate(s.items, x, `${path}[${i}]`, errs));
  return errs;
}

before(async () => {
  server = await startServer();
  const res = await client(server).get('/api/v1/openapi.yaml');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /yaml/);
  yamlText = res.text;
  spec = parseYaml(yamlText);
});
after(async () => { await server.stop(); });

test('the YAML subset parser reads what it should and refuses the rest', () => {
  assert.deepEqual(parseYaml("a: 1\nb:\n  - x: 'it''s'\n    y: [p, 'q']\n  - 2\nc: {}\n'd': \"e\"\n"),
    { a: 1, b: [{ x: "it's", y: ['p', 'q'] }, 2], c: {}, d: 'e' });
  assert.throws(() => parseYaml('a: b: c\n'));
  assert.throws(() => parseYaml('a: 1\na: 2\n'));
  assert.throws(() => parseYaml('a: &x 1\n'));
});

test('the served description is docs/openapi.yaml, valid OpenAPI 3.1', () => {
  assert.equal(yamlText, readFileSync(resolve(ROOT, 'docs/openapi.yaml'), 'utf8'),
    'the binary serves a stale copy: rebuild after editing docs/openapi.yaml');
  assert.equal(spec.openapi, '3.1.0');
  assert.ok(spec.info.title && spec.info.version);
  const schemes = spec.components.securitySchemes;
  assert.deepEqual(schemes.cookieAuth, { ...schemes.cookieAuth, type: 'apiKey', in: 'cookie', name: 'mt_session' });
  assert.deepEqual(schemes.csrfToken, { ...schemes.csrfToken, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
  assert.deepEqual(schemes.bearerAuth, { ...schemes.bearerAuth, type: 'http', scheme: 'bearer' });
  const page = spec.components.schemas.Page;
  assert.deepEqual(page.required, ['items', 'total', 'limit', 'offset']);
  const error = spec.components.schemas.Error.properties.error;
  assert.deepEqual(error.required, ['code', 'message', 'field']);
  assert.ok(error.properties.details);
  // Every reference resolves.
  const walk = (n) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') { if (n.$ref) deref(n); Object.values(n).forEach(walk); }
  };
  walk(spec);
});

test('the spec documents exactly the routes in src/http/routes.c', () => {
  const routes = routeTable();
  assert.ok(routes.length >= 30, `parsed only ${routes.length} routes from routes.c`);
  const key = (r) => `${r.method.toUpperCase()} ${r.path}`;
  const inCode = new Set(routes.map(key));
  const inSpec = new Set(ops().map(key));
  const undocumented = [...inCode].filter((k) => !inSpec.has(k));
  const phantom = [...inSpec].filter((k) => !inCode.has(k));
  assert.deepEqual(undocumented, [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual(phantom, [], 'documented routes the server does not have');
});

test('each operation restates its access rule and documents its error statuses', () => {
  const byKey = new Map(routeTable().map((r) => [`${r.method} ${r.path}`, r]));
  const ids = new Set();
  for (const { method, path, op } of ops()) {
    const where = `${method.toUpperCase()} ${path}`;
    const route = byKey.get(`${method} ${path}`);
    assert.ok(route, where);
    assert.ok(op.operationId && !ids.has(op.operationId), `${where}: operationId missing or repeated`);
    ids.add(op.operationId);
    assert.ok(op.summary, `${where}: summary`);
    assert.equal(op['x-access']?.rule, route.rule, `${where}: x-access.rule`);
    assert.deepEqual([...(op['x-access'].roles || [])].sort(), route.roles, `${where}: x-access.roles`);
    const statuses = Object.keys(op.responses);
    assert.ok(statuses.some((s) => /^2\d\d$/.test(s)), `${where}: no success response`);
    for (const s of statuses) assert.match(s, /^[1-5]\d\d$/, `${where}: status keys are quoted codes`);
    if (route.rule === 'public') {
      assert.deepEqual(op.security, [], `${where}: public routes have security: []`);
    } else {
      assert.equal(op.security, undefined, `${where}: signed-in routes use the global security`);
      assert.ok(statuses.includes('401'), `${where}: 401 not documented`);
      // Writes (CSRF) and role-restricted routes can answer 403.
      if (method !== 'get' || route.roles.length < 5) assert.ok(statuses.includes('403'), `${where}: 403 not documented`);
    }
    const params = (op.parameters || []).map(deref);
    // Every path variable is declared once, by its own name (a strict
    // validator rejects a path such as /pairs/{id}/sessions/{id}).
    const vars = (path.match(/\{(\w+)\}/g) || []).map((v) => v.slice(1, -1));
    assert.equal(new Set(vars).size, vars.length, `${where}: a path variable repeats`);
    assert.deepEqual(params.filter((p) => p.in === 'path').map((p) => p.name).sort(), [...vars].sort(),
      `${where}: path parameters`);
    if (path.includes('{id}')) {
      assert.ok(params.some((p) => p.name === 'id' && p.in === 'path' && p.required), `${where}: id parameter`);
      assert.ok(statuses.includes('404'), `${where}: 404 not documented`);
    }
    if (['post', 'patch', 'put'].includes(method) && op.requestBody) {
      assert.ok(statuses.includes('413'), `${where}: 413 not documented`);
      const media = Object.keys(op.requestBody.content);
      if (media.includes('application/json')) assert.ok(statuses.includes('400') && statuses.includes('422'), `${where}: 400/422`);
    }
    const ok = deref(op.responses['200'] || {});
    const schema = ok.content?.['application/json']?.schema;
    const isPage = schema && (deref(schema).allOf || []).some((s) => s.$ref === '#/components/schemas/Page');
    if (isPage) {
      for (const name of ['limit', 'offset', 'sort']) assert.ok(params.some((p) => p.name === name && p.in === 'query'), `${where}: ${name} parameter`);
      assert.ok(statuses.includes('400'), `${where}: lists answer 400 for a bad limit`);
    }
  }
});

test('the server answers with the documented statuses and bodies', async () => {
  const admin = server.admin;
  const anon = client(server);
  const seen = new Map();
  // Match a concrete path against the documented templates: {id} takes a
  // positive integer, any other {name} one segment (a KPI id).  Templates
  // with fewer variables win (/metrics/{kpi} vs a literal sibling).
  const templates = Object.keys(spec.paths).map((p) => ({
    p,
    vars: (p.match(/\{/g) || []).length,
    re: new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{id\}/g, '[1-9]\\d*').replace(/\{\w+\}/g, '[A-Za-z0-9_-]+')}$`),
  })).sort((a, b) => a.vars - b.vars);
  const opFor = (method, path) => {
    const bare = path.split('?')[0];
    const pattern = templates.find((t) => t.re.test(bare) && spec.paths[t.p][method.toLowerCase()])?.p
      ?? bare.replace(/\/\d+(?=\/|$)/g, '/{id}');
    const op = spec.paths[pattern]?.[method.toLowerCase()];
    assert.ok(op, `no documented operation for ${method} ${pattern}`);
    return { op, key: `${method} ${pattern}` };
  };
  // Make one request; its status must be documented for the operation, and
  // a JSON body must match the documented schema for that status.
  const call = async (who, method, path, body, expectStatus, opts) => {
    const { op, key } = opFor(method, path);
    const fn = { GET: who.get, POST: who.post, PUT: who.put, PATCH: who.patch, DELETE: who.del }[method];
    const res = method === 'GET' || method === 'DELETE' ? await fn(path, opts) : await fn(path, body, opts);
    assert.equal(res.status, expectStatus, `${method} ${path}: ${res.text}`);
    const doc = op.responses[String(res.status)];
    assert.ok(doc, `${key} answered ${res.status}, which the spec does not document`);
    const resp = deref(doc);
    const ctype = (res.headers.get('content-type') || '').split(';')[0];
    if (res.status === 204) assert.equal(resp.content, undefined, `${key}: 204 has no body`);
    else {
      assert.ok(resp.content?.[ctype], `${key} ${res.status}: content type ${ctype} not documented`);
      if (ctype === 'application/json') {
        const errs = validate(resp.content[ctype].schema, res.body);
        assert.deepEqual(errs, [], `${key} ${res.status} body does not match the spec`);
      }
    }
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key).add(res.status);
    return res;
  };

  await call(anon, 'GET', '/healthz', undefined, 200);
  await call(anon, 'GET', '/metrics', undefined, 200);
  await call(anon, 'GET', '/api/v1/openapi.yaml', undefined, 200);
  await call(anon, 'POST', '/api/v1/auth/login', { email: 'admin@example.com' }, 422);
  await call(anon, 'POST', '/api/v1/auth/login', 'nope', 400, { raw: true });
  await call(anon, 'POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-wrong' }, 401);
  await call(anon, 'GET', '/api/v1/programs', undefined, 401);
  const signIn = await call(anon, 'POST', '/api/v1/auth/login', { email: 'admin@example.com', password: PASSWORD }, 200);
  assert.match(signIn.headers.get('set-cookie'), /^mt_session=/);

  const mentee = await userWithRole(server, 'mentee');
  const viewer = await userWithRole(server, 'viewer');
  await call(admin, 'GET', '/api/v1/auth/me', undefined, 200);
  const tok = await call(viewer, 'POST', '/api/v1/tokens', { name: 'script' }, 201);
  await call(viewer, 'POST', '/api/v1/tokens', {}, 422);
  await call(viewer, 'GET', '/api/v1/tokens', undefined, 200);
  await call(viewer, 'DELETE', `/api/v1/tokens/${tok.body.id}`, undefined, 204);
  await call(viewer, 'DELETE', `/api/v1/tokens/${tok.body.id}`, undefined, 404);

  await call(admin, 'GET', '/api/v1/users?sort=-email', undefined, 200);
  await call(admin, 'GET', '/api/v1/users?limit=0', undefined, 400);
  await call(viewer, 'GET', '/api/v1/users', undefined, 403);
  const u = await call(admin, 'POST', '/api/v1/users', { email: 'mgr@example.com', name: 'M', role: 'manager', password: 'long-enough-1' }, 201);
  await call(admin, 'POST', '/api/v1/users', { email: 'mgr@example.com', name: 'M', role: 'manager', password: 'long-enough-1' }, 409);
  await call(admin, 'POST', '/api/v1/users', { email: 'x@example.com', name: 'M', role: 'boss', password: 'long-enough-1' }, 422);
  await call(admin, 'GET', `/api/v1/users/${u.body.id}`, undefined, 200);
  await call(admin, 'GET', '/api/v1/users/99999', undefined, 404);
  await call(admin, 'PATCH', `/api/v1/users/${u.body.id}`, { name: 'Manager' }, 200);
  await call(admin, 'PATCH', `/api/v1/users/${admin.user.id}`, { disabled: true }, 409);

  const prog = await call(admin, 'POST', '/api/v1/programs', {
    name: 'Spec program', status: 'open', start_date: '2025-01-01', settings: { approve_registrations: false },
    questionnaire: [{ key: 'team', label: 'Team', type: 'choice', options: ['a', 'b'], required: true }],
  }, 201);
  const P = prog.body.id;
  await call(admin, 'POST', '/api/v1/programs', { name: 'Spec program' }, 409);
  await call(admin, 'POST', '/api/v1/programs', { name: 'x', status: 'later' }, 422);
  await call(viewer, 'POST', '/api/v1/programs', { name: 'x' }, 403);
  await call(viewer, 'GET', '/api/v1/programs?status=open&sort=-name', undefined, 200);
  await call(viewer, 'GET', '/api/v1/programs?sort=size', undefined, 400);
  await call(viewer, 'GET', `/api/v1/programs/${P}`, undefined, 200);
  await call(viewer, 'GET', '/api/v1/programs/99999', undefined, 404);
  await call(admin, 'PATCH', `/api/v1/programs/${P}`, { description: 'Described' }, 200);
  await call(admin, 'PATCH', '/api/v1/programs/99999', { description: 'x' }, 404);
  await call(viewer, 'PATCH', `/api/v1/programs/${P}`, { description: 'x' }, 403);
  await call(admin, 'POST', `/api/v1/programs/${P}/managers`, { user_id: u.body.id }, 201);
  await call(admin, 'POST', `/api/v1/programs/${P}/managers`, { user_id: mentee.id }, 422);

  const person = await call(admin, 'POST', '/api/v1/people', { name: 'Spec Person', email: 'spec@example.com', department: 'R&D', seniority: 2 }, 201);
  await call(admin, 'POST', '/api/v1/people', { name: 'Again', email: 'spec@example.com' }, 409);
  await call(admin, 'POST', '/api/v1/people', { name: 'Bad', email: 'not-an-email' }, 422);
  await call(admin, 'GET', '/api/v1/people?department=R%26D&sort=name', undefined, 200);
  await call(admin, 'GET', '/api/v1/people?seniority=high', undefined, 400);
  await call(viewer, 'GET', '/api/v1/departments?q=R&sort=-people', undefined, 200);
  await call(admin, 'GET', '/api/v1/departments?sort=size', undefined, 400);
  await call(viewer, 'GET', '/api/v1/people', undefined, 403);
  await call(admin, 'GET', `/api/v1/people/${person.body.id}`, undefined, 200);
  await call(mentee, 'GET', `/api/v1/people/${person.body.id}`, undefined, 404);
  await call(admin, 'PATCH', `/api/v1/people/${person.body.id}`, { job_title: 'Engineer' }, 200);
  await call(admin, 'PATCH', '/api/v1/people/99999', { job_title: 'x' }, 404);
  await call(admin, 'POST', '/api/v1/people/import?dry_run=true', 'email,name\nnew@example.com,New\n', 200, { raw: true });
  await call(admin, 'POST', '/api/v1/people/import', 'email,name\nbad,New\n', 422, { raw: true });
  await call(admin, 'POST', '/api/v1/people/import?dry_run=perhaps', 'email,name\n', 400, { raw: true });

  const linked = await userWithRole(server, 'mentee', { person: person.body.id });
  const reg = await call(linked, 'POST', `/api/v1/programs/${P}/register`, { role: 'mentee', answers: { team: 'a' }, skills: [{ skill: 'SQL', level: 2 }] }, 201);
  await call(linked, 'POST', `/api/v1/programs/${P}/register`, { role: 'mentee', answers: { team: 'a' } }, 409);
  await call(linked, 'POST', `/api/v1/programs/${P}/register`, { role: 'mentor', answers: { team: 'z' } }, 422);
  await call(viewer, 'POST', `/api/v1/programs/${P}/register`, { role: 'mentee' }, 403);
  await call(linked, 'GET', `/api/v1/programs/${P}/memberships`, undefined, 200);
  await call(admin, 'GET', `/api/v1/programs/${P}/memberships?role=mentee&sort=-joined_on`, undefined, 200);
  await call(admin, 'GET', `/api/v1/programs/${P}/memberships?offset=-1`, undefined, 400);
  await call(viewer, 'GET', `/api/v1/programs/${P}/memberships`, undefined, 403);
  await call(admin, 'GET', '/api/v1/programs/99999/memberships', undefined, 404);
  const other = await call(admin, 'POST', '/api/v1/people', { name: 'Other', email: 'other@example.com' }, 201);
  await call(admin, 'POST', `/api/v1/programs/${P}/memberships`, { person_id: other.body.id, role: 'mentor', capacity: 2, answers: { team: 'b' } }, 201);
  await call(admin, 'POST', `/api/v1/programs/${P}/memberships`, { person_id: other.body.id, role: 'mentor' }, 409);
  await call(admin, 'POST', `/api/v1/programs/${P}/memberships`, { person_id: other.body.id, role: 'coach' }, 422);
  await call(mentee, 'POST', `/api/v1/programs/${P}/memberships`, { person_id: other.body.id, role: 'mentee' }, 403);
  await call(admin, 'POST', `/api/v1/programs/${P}/memberships/import?dry_run=1`, 'email,role,team\nother@example.com,mentee,a\n', 200, { raw: true });
  await call(admin, 'POST', `/api/v1/programs/${P}/memberships/import`, 'email,role\nnobody@example.com,mentee\n', 422, { raw: true });
  await call(admin, 'POST', '/api/v1/programs/99999/memberships/import', 'email,role\n', 404, { raw: true });
  await call(linked, 'GET', `/api/v1/memberships/${reg.body.id}`, undefined, 200);
  await call(mentee, 'GET', `/api/v1/memberships/${reg.body.id}`, undefined, 404);
  await call(viewer, 'GET', `/api/v1/memberships/${reg.body.id}`, undefined, 403);
  await call(linked, 'PATCH', `/api/v1/memberships/${reg.body.id}`, { goals: 'Lead a team' }, 200);
  await call(linked, 'PATCH', `/api/v1/memberships/${reg.body.id}`, { status: 'left' }, 403);
  await call(linked, 'PATCH', `/api/v1/memberships/${reg.body.id}`, { years_experience: 99 }, 422);
  await call(admin, 'GET', `/api/v1/programs/${P}/summary`, undefined, 200);
  await call(admin, 'GET', '/api/v1/programs/99999/summary', undefined, 404);

  await call(viewer, 'GET', '/api/v1/skills?sort=-mentees', undefined, 200);
  await call(viewer, 'GET', '/api/v1/skills?limit=501', undefined, 400);
  await call(admin, 'POST', '/api/v1/skills', { name: 'Kotlin', category: 'tech' }, 201);
  await call(admin, 'POST', '/api/v1/skills', { name: 'Kotlin' }, 409);
  await call(admin, 'POST', '/api/v1/skills', {}, 422);
  await call(mentee, 'POST', '/api/v1/skills', { name: 'Perl' }, 403);
  await call(admin, 'GET', '/api/v1/audit?entity=program&limit=5', undefined, 200);
  await call(admin, 'GET', '/api/v1/audit?entity_id=zero', undefined, 400);
  await call(viewer, 'GET', '/api/v1/audit', undefined, 403);
  // exports (issue 5)
  await call(admin, 'GET', `/api/v1/programs/${P}/export?dataset=participants&bom=true`, undefined, 200);
  await call(admin, 'GET', `/api/v1/programs/${P}/export?dataset=all&format=xlsx`, undefined, 200);
  await call(admin, 'GET', `/api/v1/programs/${P}/export?dataset=all`, undefined, 400);
  await call(viewer, 'GET', `/api/v1/programs/${P}/export?dataset=pairs`, undefined, 403);
  await call(admin, 'GET', '/api/v1/programs/99999/export?dataset=pairs', undefined, 404);
  await call(admin, 'GET', `/api/v1/programs/${P}/export?dataset=kpis&from=2025-03-10&to=2025-03-01`, undefined, 422);
  // ---- matching, pairs, sessions, goals, assessments, alerts and KPIs, on
  // the activity fixture's server (its clock pinned to 2025-03-10 12:00Z).
  const A = await activitySetup();
  const hook = createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  try {
    const { program: AP, manager: mgr, outsider, viewer: av, mentor, mentee, mentor2, mentee2, p1, p2, skill } = A;
    const aAdmin = A.server.admin;
    const pg = `/api/v1/programs/${AP}`;
    // matching: with both mentees paired nothing waits, so the run proposes nothing.
    await call(mgr, 'POST', `${pg}/match`, undefined, 201);
    await call(mgr, 'POST', `${pg}/proposals/approve`, undefined, 200);
    await call(mgr, 'POST', `${pg}/match?dry_run=perhaps`, undefined, 400);
    await call(outsider, 'POST', `${pg}/match`, undefined, 403);
    await call(mgr, 'POST', '/api/v1/programs/99999/match', undefined, 404);
    const m3 = await activityParticipant(A.server, AP, 'mentor', 'Omar Mentor', { capacity: 3 });
    const e3 = await activityParticipant(A.server, AP, 'mentee', 'Olga Mentee');
    const e4 = await activityParticipant(A.server, AP, 'mentee', 'Paul Mentee');
    const e5 = await activityParticipant(A.server, AP, 'mentee', 'Quinn Mentee');
    // Bare profiles score low: take every pair that passes the hard constraints.
    await call(mgr, 'PATCH', pg, { settings: { matching: { min_score: 0 } } }, 200);
    const dry = await call(mgr, 'POST', `${pg}/match?dry_run=true`, undefined, 200);
    assert.ok(dry.body.pairs.length > 0, JSON.stringify(dry.body));
    await call(mgr, 'GET', `${pg}/match/scores`, undefined, 200);
    await call(mgr, 'GET', `${pg}/match/scores?format=csv`, undefined, 200);
    await call(mgr, 'GET', `${pg}/match/scores?format=xml`, undefined, 400);
    await call(mentee.client, 'GET', `${pg}/match/scores`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/match/scores', undefined, 404);
    assert.ok((await call(e3.client, 'GET', `${pg}/recommendations`, undefined, 200)).body.items.length > 0);
    await call(mgr, 'GET', `${pg}/recommendations?membership_id=${e4.membership}`, undefined, 200);
    await call(mgr, 'GET', `${pg}/recommendations?membership_id=${mentee.membership}`, undefined, 409);
    await call(mgr, 'GET', `${pg}/recommendations`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/recommendations', undefined, 404);
    const req1 = await call(e3.client, 'POST', `${pg}/requests`, { mentor_membership_id: m3.membership }, 201);
    await call(e3.client, 'POST', `${pg}/requests`, { mentor_membership_id: mentee.membership }, 422);
    await call(e3.client, 'POST', `${pg}/requests`, 'nope', 400, { raw: true, headers: { 'Content-Type': 'application/json' } });
    await call(mentor.client, 'POST', `${pg}/requests`, { mentor_membership_id: m3.membership }, 403);
    await call(e3.client, 'POST', '/api/v1/programs/99999/requests', { mentor_membership_id: m3.membership }, 404);
    const R = `/api/v1/pairs/${req1.body.id}`;
    await call(e3.client, 'GET', R, undefined, 200);
    await call(mentor2.client, 'GET', R, undefined, 404);
    await call(av, 'GET', R, undefined, 403);
    await call(e3.client, 'POST', `${R}/decline`, {}, 403);
    await call(m3.client, 'POST', `${R}/approve`, undefined, 200);
    await call(m3.client, 'POST', `${R}/approve`, undefined, 409);
    await call(m3.client, 'POST', `${R}/complete`, undefined, 403);
    await call(mgr, 'POST', `${R}/complete`, { note: 'x' }, 422);
    await call(mgr, 'POST', `${R}/complete`, undefined, 200);
    await call(mgr, 'POST', `${R}/complete`, undefined, 409);
    await call(mgr, 'POST', '/api/v1/pairs/99999/approve', undefined, 404);
    await call(mgr, 'POST', '/api/v1/pairs/99999/decline', undefined, 404);
    await call(mgr, 'POST', '/api/v1/pairs/99999/complete', undefined, 404);
    await call(mgr, 'POST', '/api/v1/pairs/99999/end', undefined, 404);
    await call(mgr, 'POST', `${R}/decline`, { reason: 'late' }, 409);
    const X = (await call(mgr, 'POST', `${pg}/pairs`, { mentor_membership_id: m3.membership, mentee_membership_id: e4.membership, status: 'proposed' }, 201)).body.id;
    await call(mgr, 'POST', `${pg}/pairs`, { mentor_membership_id: m3.membership, mentee_membership_id: mentee.membership }, 409);
    await call(mgr, 'POST', `${pg}/pairs`, { mentee_membership_id: e4.membership }, 422);
    await call(mgr, 'POST', `${pg}/pairs`, 'nope', 400, { raw: true, headers: { 'Content-Type': 'application/json' } });
    await call(mentor.client, 'POST', `${pg}/pairs`, { mentor_membership_id: m3.membership, mentee_membership_id: e4.membership }, 403);
    await call(mgr, 'POST', '/api/v1/programs/99999/pairs', { mentor_membership_id: 1, mentee_membership_id: 2 }, 404);
    await call(mgr, 'PATCH', `/api/v1/pairs/${X}`, { locked: true }, 200);
    await call(mgr, 'PATCH', `/api/v1/pairs/${X}`, { locked: 'yes' }, 422);
    await call(e4.client, 'PATCH', `/api/v1/pairs/${X}`, { locked: false }, 403);
    await call(mgr, 'PATCH', '/api/v1/pairs/99999', { locked: false }, 404);
    await call(mgr, 'POST', `/api/v1/pairs/${X}/decline`, { reason: 'not a fit' }, 200);
    await call(mgr, 'PATCH', `/api/v1/pairs/${X}`, { locked: false }, 409);
    await call(mgr, 'POST', `${pg}/pairs`, { mentor_membership_id: m3.membership, mentee_membership_id: e4.membership }, 409);
    const Z = (await call(mgr, 'POST', `${pg}/pairs`, { mentor_membership_id: m3.membership, mentee_membership_id: e5.membership, status: 'proposed' }, 201)).body.id;
    await call(mgr, 'POST', `${pg}/proposals/approve`, { pair_ids: 'all' }, 422);
    await call(mgr, 'POST', `${pg}/proposals/approve`, { pair_ids: [Z] }, 200);
    await call(mgr, 'POST', `${pg}/proposals/approve`, { pair_ids: [Z] }, 409);
    await call(mentee.client, 'POST', `${pg}/proposals/approve`, undefined, 403);
    await call(mgr, 'POST', '/api/v1/programs/99999/proposals/approve', undefined, 404);
    await call(mgr, 'POST', `/api/v1/pairs/${Z}/end`, {}, 422);
    await call(mgr, 'POST', `/api/v1/pairs/${Z}/end`, { reason: 'moved teams' }, 200);
    await call(mgr, 'GET', `${pg}/pairs?status=active&sort=-score`, undefined, 200);
    await call(e3.client, 'GET', `${pg}/pairs`, undefined, 200);
    await call(mgr, 'GET', `${pg}/pairs?status=married`, undefined, 400);
    await call(av, 'GET', `${pg}/pairs`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/pairs', undefined, 404);
    await call(mgr, 'POST', `${pg}/exclusions`, { mentee_person_id: e3.person, mentor_person_id: mentor.person }, 201);
    await call(mgr, 'POST', `${pg}/exclusions`, { mentee_person_id: e3.person }, 422);
    await call(e3.client, 'POST', `${pg}/exclusions`, { mentee_person_id: e3.person, mentor_person_id: mentor.person }, 403);
    await call(mgr, 'POST', '/api/v1/programs/99999/exclusions', { mentee_person_id: 1, mentor_person_id: 2 }, 404);
    await call(e3.client, 'PUT', `${pg}/preferences`, { wishes: [m3.person], avoid: [mentor2.person] }, 200);
    await call(m3.client, 'PUT', `${pg}/preferences`, { wishes: [e3.person] }, 422);
    await call(mgr, 'PUT', `${pg}/preferences`, { avoid: [] }, 403);
    await call(e3.client, 'PUT', '/api/v1/programs/99999/preferences', { avoid: [] }, 404);

    // sessions and ratings
    const P1 = `/api/v1/pairs/${p1.id}`;
    const S1 = (await call(mentee.client, 'POST', `${P1}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 60, kind: 'intro', skill_ids: [skill.id] }, 201)).body.id;
    const S2 = (await call(mentor.client, 'POST', `${P1}/sessions`, { held_at: '2025-03-20T10:00:00Z', minutes: 45 }, 201)).body.id;
    await call(mentee.client, 'POST', `${P1}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 0 }, 422);
    await call(av, 'POST', `${P1}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 30 }, 403);
    await call(mentor2.client, 'POST', `${P1}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 30 }, 404);
    await call(mgr, 'POST', `${R}/sessions`, { held_at: '2025-03-10T09:00:00Z', minutes: 30 }, 409);
    await call(mentor.client, 'GET', `${P1}/sessions?status=completed&sort=-held_at`, undefined, 200);
    await call(mentor.client, 'GET', `${P1}/sessions?from=March`, undefined, 400);
    await call(av, 'GET', `${P1}/sessions`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/pairs/99999/sessions', undefined, 404);
    await call(mentor.client, 'GET', `${P1}/sessions/${S1}`, undefined, 200);
    await call(aAdmin, 'GET', `/api/v1/pairs/${p2.id}/sessions/${S1}`, undefined, 404);
    await call(av, 'GET', `${P1}/sessions/${S1}`, undefined, 403);
    await call(mentor.client, 'PATCH', `${P1}/sessions/${S2}`, { notes: 'Agenda: SQL', minutes: 50 }, 200);
    await call(mentor.client, 'PATCH', `${P1}/sessions/${S2}`, { status: 'postponed' }, 422);
    await call(av, 'PATCH', `${P1}/sessions/${S2}`, { minutes: 50 }, 403);
    await call(mentor.client, 'PATCH', `${P1}/sessions/99999`, { minutes: 50 }, 404);
    const RA = (await call(mentee.client, 'POST', `${P1}/sessions/${S1}/ratings`, { score: 4, comment: 'Very helpful' }, 201)).body.id;
    await call(mentor.client, 'POST', `${P1}/sessions/${S1}/ratings`, { score: 6 }, 422);
    await call(mentor.client, 'POST', `${P1}/sessions/${S1}/ratings`, { score: 2, comment: 'Mentee came unprepared' }, 201);
    await call(mentor.client, 'POST', `${P1}/sessions/${S1}/ratings`, { score: 3 }, 409);
    await call(mentor.client, 'POST', `${P1}/sessions/${S2}/ratings`, { score: 3 }, 409);
    await call(mgr, 'POST', `${P1}/sessions/${S1}/ratings`, { score: 3 }, 403);
    await call(mentee.client, 'POST', `${P1}/sessions/99999/ratings`, { score: 3 }, 404);
    await call(mentor.client, 'GET', `${P1}/sessions/${S1}/ratings`, undefined, 200);
    await call(mentor.client, 'GET', `${P1}/sessions/${S1}/ratings?limit=0`, undefined, 400);
    await call(av, 'GET', `${P1}/sessions/${S1}/ratings`, undefined, 403);
    await call(mentor.client, 'GET', `${P1}/sessions/99999/ratings`, undefined, 404);
    await call(mgr, 'GET', `${P1}/ratings?side=mentee&sort=-score`, undefined, 200);
    await call(mgr, 'GET', `${P1}/ratings?sort=stars`, undefined, 400);
    await call(av, 'GET', `${P1}/ratings`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/pairs/99999/ratings', undefined, 404);
    await call(mentor.client, 'GET', `${P1}/ratings/${RA}`, undefined, 200);
    await call(aAdmin, 'GET', `/api/v1/pairs/${p2.id}/ratings/${RA}`, undefined, 404);
    await call(av, 'GET', `${P1}/ratings/${RA}`, undefined, 403);
    await call(mentee.client, 'PATCH', `${P1}/ratings/${RA}`, { score: 5 }, 200);
    await call(mentee.client, 'PATCH', `${P1}/ratings/${RA}`, { score: 0 }, 422);
    await call(mentor.client, 'PATCH', `${P1}/ratings/${RA}`, { score: 1 }, 403);
    await call(mentee.client, 'PATCH', `${P1}/ratings/99999`, { score: 1 }, 404);
    await call(mentee.client, 'POST', `${P1}/checkins`, { score: 4 }, 201);
    await call(mentee.client, 'POST', `${P1}/checkins`, { score: 4 }, 409);
    await call(mentor.client, 'POST', `${P1}/checkins`, { score: 9 }, 422);
    await call(mgr, 'POST', `${P1}/checkins`, { score: 3 }, 403);
    await call(mentee2.client, 'POST', `${P1}/checkins`, { score: 3 }, 404);
    await call(mentor.client, 'GET', `${P1}/checkins?side=mentee`, undefined, 200);
    await call(mentor.client, 'GET', `${P1}/checkins?to=soon`, undefined, 400);
    await call(av, 'GET', `${P1}/checkins`, undefined, 403);
    await call(mentee2.client, 'GET', `${P1}/checkins`, undefined, 404);
    await call(mentor.client, 'GET', `${P1}/checkins/due`, undefined, 200);
    await call(av, 'GET', `${P1}/checkins/due`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/pairs/99999/checkins/due', undefined, 404);

    // goals, milestones, comments, assessments
    const M = `/api/v1/memberships/${mentee.membership}`;
    const G = (await call(mentee.client, 'POST', `${M}/goals`, { category: 'new_skill', description: 'Write SQL reports', target_date: '2025-06-01', skill_id: skill.id, pair_id: p1.id }, 201)).body.id;
    await call(mentee.client, 'POST', `${M}/goals`, { category: 'fame', description: 'x' }, 422);
    await call(mentor.client, 'POST', `/api/v1/memberships/${mentor.membership}/goals`, { category: 'other', description: 'x' }, 409);
    await call(mentor.client, 'POST', `${M}/goals`, { category: 'other', description: 'x' }, 404);
    await call(av, 'POST', `${M}/goals`, { category: 'other', description: 'x' }, 403);
    await call(mentee.client, 'GET', `${M}/goals?status=not_started&sort=-target_date`, undefined, 200);
    await call(mentee.client, 'GET', `${M}/goals?sort=priority`, undefined, 400);
    await call(av, 'GET', `${M}/goals`, undefined, 403);
    await call(mentor.client, 'GET', `${M}/goals`, undefined, 404);
    await call(mentee.client, 'GET', `${M}/goals/${G}`, undefined, 200);
    await call(aAdmin, 'GET', `/api/v1/memberships/${mentee2.membership}/goals/${G}`, undefined, 404);
    await call(av, 'GET', `${M}/goals/${G}`, undefined, 403);
    await call(mentee.client, 'PATCH', `${M}/goals/${G}`, { status: 'in_progress' }, 200);
    await call(mentee.client, 'PATCH', `${M}/goals/${G}`, { target_date: '2020-01-01' }, 422);
    await call(av, 'PATCH', `${M}/goals/${G}`, { status: 'dropped' }, 403);
    await call(mentee.client, 'PATCH', `${M}/goals/99999`, { status: 'dropped' }, 404);
    const MS = (await call(mentee.client, 'POST', `${M}/goals/${G}/milestones`, { title: 'Finish the course', due_date: '2025-04-01' }, 201)).body.id;
    await call(mentee.client, 'POST', `${M}/goals/${G}/milestones`, {}, 422);
    await call(av, 'POST', `${M}/goals/${G}/milestones`, { title: 'x' }, 403);
    await call(mentee.client, 'POST', `${M}/goals/99999/milestones`, { title: 'x' }, 404);
    await call(mentee.client, 'PATCH', `${M}/milestones/${MS}`, { status: 'achieved', achieved_on: '2025-03-10' }, 200);
    await call(mentee.client, 'PATCH', `${M}/milestones/${MS}`, { title: '' }, 422);
    await call(av, 'PATCH', `${M}/milestones/${MS}`, { title: 'x' }, 403);
    await call(aAdmin, 'PATCH', `/api/v1/memberships/${mentee2.membership}/milestones/${MS}`, { title: 'x' }, 404);
    await call(mentor.client, 'GET', `${P1}/goals?category=new_skill`, undefined, 200);
    await call(mentor.client, 'GET', `${P1}/goals?limit=x`, undefined, 400);
    await call(av, 'GET', `${P1}/goals`, undefined, 403);
    await call(mentor2.client, 'GET', `${P1}/goals`, undefined, 404);
    await call(mentor.client, 'GET', `${P1}/goals/${G}`, undefined, 200);
    await call(aAdmin, 'GET', `/api/v1/pairs/${p2.id}/goals/${G}`, undefined, 404);
    await call(av, 'GET', `${P1}/goals/${G}`, undefined, 403);
    await call(mentor.client, 'POST', `${P1}/goals/${G}/comments`, { body: 'Start with joins' }, 201);
    await call(mentor.client, 'POST', `${P1}/goals/${G}/comments`, { body: '' }, 422);
    await call(mentee.client, 'POST', `${P1}/goals/${G}/comments`, { body: 'Me too' }, 403);
    await call(aAdmin, 'POST', `/api/v1/pairs/${p2.id}/goals/${G}/comments`, { body: 'x' }, 404);
    await call(mentee.client, 'POST', `${P1}/assessments`, { phase: 'start', score: 2, skill_id: skill.id }, 201);
    await call(mgr, 'POST', `${P1}/assessments`, { phase: 'start', score: 2, goal_id: G, assessor: 'mentor' }, 201);
    await call(mgr, 'POST', `${P1}/assessments`, { phase: 'start', score: 2, goal_id: G }, 422);
    await call(mentee.client, 'POST', `${P1}/assessments`, { phase: 'mid', score: 3, skill_id: skill.id, assessor: 'mentor' }, 403);
    await call(aAdmin, 'POST', `${P1}/assessments`, { phase: 'end', score: 3, skill_id: skill.id, assessor: 'mentee' }, 409);
    await call(mentor2.client, 'POST', `${P1}/assessments`, { phase: 'mid', score: 3, skill_id: skill.id }, 404);
    await call(mentor.client, 'GET', `${P1}/assessments?phase=start&sort=-score`, undefined, 200);
    await call(mentor.client, 'GET', `${P1}/assessments?skill_id=x`, undefined, 400);
    await call(av, 'GET', `${P1}/assessments`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/pairs/99999/assessments', undefined, 404);
    await call(mentee.client, 'GET', `${P1}/assessments/due`, undefined, 200);
    await call(av, 'GET', `${P1}/assessments/due`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/pairs/99999/assessments/due', undefined, 404);
    await call(mgr, 'GET', `${pg}/sessions?pair_id=${p1.id}&status=scheduled`, undefined, 200);
    await call(mentee.client, 'GET', `${pg}/sessions`, undefined, 200);
    await call(mgr, 'GET', `${pg}/sessions?pair_id=zero`, undefined, 400);
    await call(av, 'GET', `${pg}/sessions`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/sessions', undefined, 404);
    await call(mgr, 'GET', `${pg}/ratings?has_comment=true&side=mentor`, undefined, 200);
    await call(mgr, 'GET', `${pg}/ratings?score=high`, undefined, 400);
    await call(outsider, 'GET', `${pg}/ratings`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/ratings', undefined, 404);
    await call(mentee.client, 'GET', `/api/v1/people/${mentee.person}/sessions.ics`, undefined, 200);
    await call(mentor.client, 'GET', `/api/v1/people/${mentee.person}/sessions.ics`, undefined, 404);
    await call(av, 'GET', `/api/v1/people/${mentee.person}/sessions.ics`, undefined, 403);

    // health monitor: the mentor's rating of 2 is a low rating.
    await call(mgr, 'PATCH', pg, { settings: { notifications: { webhook: { url: `http://127.0.0.1:${hook.address().port}/hook`, secret: 'shh' } } } }, 200);
    const check = await call(mgr, 'POST', `${pg}/alerts/check`, undefined, 200);
    assert.ok(check.body.raised >= 1 && check.body.notifications.length === 1, JSON.stringify(check.body));
    await call(av, 'POST', `${pg}/alerts/check`, undefined, 403);
    await call(mgr, 'POST', '/api/v1/programs/99999/alerts/check', undefined, 404);
    const alerts = await call(mgr, 'GET', `${pg}/alerts?status=live&sort=-id`, undefined, 200);
    await call(mgr, 'GET', `${pg}/alerts?status=sleeping`, undefined, 400);
    await call(mentor.client, 'GET', `${pg}/alerts`, undefined, 403);
    await call(aAdmin, 'GET', '/api/v1/programs/99999/alerts', undefined, 404);
    await call(av, 'GET', `${pg}/alerts/summary`, undefined, 200);
    await call(outsider, 'GET', `${pg}/alerts/summary`, undefined, 403);
    await call(av, 'GET', '/api/v1/programs/99999/alerts/summary', undefined, 404);
    await call(mgr, 'GET', `${pg}/alerts/deliveries?channel=webhook`, undefined, 200);
    await call(mgr, 'GET', `${pg}/alerts/deliveries?channel=sms`, undefined, 400);
    await call(outsider, 'GET', `${pg}/alerts/deliveries`, undefined, 403);
    await call(mgr, 'GET', '/api/v1/programs/99999/alerts/deliveries', undefined, 404);
    const AL = `/api/v1/alerts/${alerts.body.items[0].id}`;
    await call(mgr, 'GET', AL, undefined, 200);
    await call(outsider, 'GET', AL, undefined, 403);
    await call(mgr, 'GET', '/api/v1/alerts/99999', undefined, 404);
    await call(mgr, 'POST', `${AL}/acknowledge`, { note: 5 }, 422);
    await call(mgr, 'POST', `${AL}/acknowledge`, { note: 'Talking to them' }, 200);
    await call(mgr, 'POST', `${AL}/acknowledge`, undefined, 409);
    await call(outsider, 'POST', `${AL}/acknowledge`, undefined, 403);
    await call(mgr, 'POST', '/api/v1/alerts/99999/acknowledge', undefined, 404);
    await call(mgr, 'POST', `${AL}/resolve`, undefined, 200);
    await call(mgr, 'POST', `${AL}/resolve`, { note: 'again' }, 409);
    await call(outsider, 'POST', `${AL}/resolve`, undefined, 403);
    await call(mgr, 'POST', '/api/v1/alerts/99999/resolve', undefined, 404);

    // KPIs
    await call(av, 'GET', `${pg}/metrics`, undefined, 200);
    await call(mgr, 'GET', `${pg}/metrics?kpi=R1,P4,S3,S5&interval=month&breakdown=department`, undefined, 200);
    await call(mgr, 'GET', `${pg}/metrics?kpi=Z9`, undefined, 400);
    await call(mgr, 'GET', `${pg}/metrics?from=2025-03-10&to=2025-03-01`, undefined, 422);
    await call(mentee.client, 'GET', `${pg}/metrics`, undefined, 403);
    await call(av, 'GET', '/api/v1/programs/99999/metrics', undefined, 404);
    await call(mgr, 'GET', `${pg}/metrics/S3?side=mentor`, undefined, 200);
    await call(av, 'GET', `${pg}/metrics/H1`, undefined, 200);
    await call(mgr, 'GET', `${pg}/metrics/S5?top=0`, undefined, 400);
    await call(mgr, 'GET', `${pg}/metrics/P2?from=2025-03-10&to=2025-03-01`, undefined, 422);
    await call(outsider, 'GET', `${pg}/metrics/R1`, undefined, 403);
    await call(mgr, 'GET', `${pg}/metrics/Z9`, undefined, 404);
    // Health thresholds are checked when the program is saved.
    await call(mgr, 'PATCH', pg, { settings: { health: { stalled_days: 0 } } }, 422);
  } finally {
    hook.close();
    await A.server.stop();
  }
  await call(admin, 'POST', '/api/v1/auth/logout', undefined, 204);

  // Every documented success status was seen at least once.
  for (const { method, path, op } of ops()) {
    const key = `${method.toUpperCase()} ${path}`;
    const ok = Object.keys(op.responses).filter((s) => /^2/.test(s)).map(Number);
    assert.ok(seen.has(key), `${key} was never exercised`);
    for (const s of ok) assert.ok(seen.get(key).has(s), `${key}: documented ${s} never seen`);
  }
});
