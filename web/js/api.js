// api.js - the one way the UI talks to the server: JSON in and out, the
// session cookie, X-CSRF-Token on every write, and the API's one error shape
// {"error": {"code", "message", "field", "details"}} turned into ApiError.

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `request failed (${status})`);
    this.status = status;
    this.code = error?.code || 'error';
    this.field = error?.field || null;
    this.details = Array.isArray(error?.details) ? error.details : [];
  }
}

let csrfToken = null;
let onUnauthenticated = () => {};
let onForbidden = null;

export const setCsrf = (token) => { csrfToken = token; };
export const setUnauthenticatedHandler = (fn) => { onUnauthenticated = fn; };
// Called with the ApiError when a read (GET) answers 403, so the page can
// replace a view it cannot fill with one clear message.  The router resets
// it on every navigation; null: nobody listens.
export const setForbiddenHandler = (fn) => { onForbidden = fn; };

export function qs(params = {}) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : '';
}

// api('GET', '/api/v1/programs', {query: {...}}) / api('POST', path, {body})
// / api('POST', path, {csv: text}).  quiet401: do not bounce to sign-in;
// quiet403: the caller expects a 403 and handles it (no forbidden handler).
export async function api(method, path, { query, body, csv, quiet401 = false, quiet403 = false } = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (csv !== undefined) {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
    payload = csv;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path + qs(query), { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'network', message: 'The server cannot be reached. Check your connection and try again.' });
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error || { message: `${res.status} ${res.statusText}` });
    if (res.status === 401 && !quiet401) onUnauthenticated(err);
    if (res.status === 403 && method === 'GET' && !quiet403 && onForbidden) onForbidden(err);
    throw err;
  }
  return data;
}

// Every page of a list, up to `max` items.
export async function apiAll(path, query = {}, max = 5000) {
  const items = [];
  let total = Infinity;
  while (items.length < Math.min(total, max)) {
    const page = await api('GET', path, { query: { ...query, limit: 500, offset: items.length } });
    total = page.total;
    items.push(...page.items);
    if (!page.items.length) break;
  }
  return { items, total: total === Infinity ? items.length : total };
}

// Does an optional route exist, and may the signed-in user read it?  (A
// route not in the table answers 404 "not_found" or 405; one the user may
// not use answers 403.)  Cached per path until the user changes; a failure
// that says nothing about the route (no connection, a 5xx) is not kept.
const probes = new Map();
export function probe(path) {
  if (!probes.has(path)) {
    const p = api('GET', path, { query: { limit: 1 }, quiet403: true })
      .then((data) => ({ ok: true, data }))
      .catch((err) => {
        if ((err.status === 0 || err.status >= 500) && probes.get(path) === p) probes.delete(path);
        return { ok: false, err };
      });
    probes.set(path, p);
  }
  return probes.get(path);
}
// A probe that failed because the server has no such route.
export const routeMissing = (res) => !res.ok && res.err.status === 404 && /no such endpoint/i.test(res.err.message);
// A probe the server refused for this user (the route's access rule).
export const forbidden = (res) => !res.ok && res.err.status === 403;
export const forgetProbes = () => probes.clear();
