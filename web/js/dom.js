// dom.js - building the page without innerHTML: every piece of data goes in
// as a text node or an attribute value, so nothing a user typed can become
// markup.  Also the small shared widgets (status messages, dialogs, badges).

// h('div', {class: 'x', onclick: fn}, 'text', child, [more, children])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
export const newId = (prefix = 'id') => `${prefix}-${++uid}`;

// ---- formatting ------------------------------------------------------------

const nf = new Intl.NumberFormat('en');
export const fmtNum = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? '—'
    : new Intl.NumberFormat('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
export const fmtInt = (n) => (n === null || n === undefined ? '—' : nf.format(n));
export const fmtPct = (ratio, digits = 0) =>
  ratio === null || ratio === undefined || Number.isNaN(ratio) ? '—' : `${fmtNum(ratio * 100, digits)}%`;
export function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
export const capFirst = (s) => String(s ?? '').replace(/^./, (c) => c.toUpperCase());
export const humanize = (s) => (s ? String(s).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : '');
export const plural = (n, one, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`;

// ---- small widgets -----------------------------------------------------------

export const badge = (text, kind = text) =>
  h('span', { class: `badge badge-${String(kind).replace(/[^a-z0-9_-]/gi, '')}` }, humanize(text));

export function spinner(label = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spin', 'aria-hidden': 'true' }), label);
}

export function emptyState(title, text) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', {}, text) : null);
}

const ASK_ADMIN = 'If you need it, ask an admin for access.';
const asSentence = (s) => { const t = capFirst(String(s ?? '').trim()); return t && !/[.!?]$/.test(t) ? `${t}.` : t; };

// An error box for a failed API call: the message, and each detail line.
// A 403 (the API's access rules refused it) says so and what to do.
export function errorBox(err, { title } = {}) {
  const details = err && Array.isArray(err.details) ? err.details : [];
  const denied = err?.status === 403;
  return h('div', { class: denied ? 'alert alert-error alert-forbidden' : 'alert alert-error', role: 'alert' },
    title ? h('strong', {}, title, ' ') : null,
    h('span', { class: 'error-message' }, capFirst(err?.message || String(err))),
    denied ? h('p', { class: 'error-hint' }, `You do not have access to this. ${ASK_ADMIN}`) : null,
    details.length ? h('ul', { class: 'error-details' }, details.map((d) => h('li', {}, d))) : null);
}

// In place of a whole view the signed-in user may not see: what was
// refused (the API's message, when there is one) and what to do about it.
export function accessDenied(err, { title = 'You do not have access to this page.', hint = ASK_ADMIN } = {}) {
  return h('div', { class: 'alert alert-warn access-denied', id: 'access-denied', role: 'alert' },
    h('strong', { class: 'access-title' }, title),
    err?.message ? h('p', { class: 'error-message' }, asSentence(err.message)) : null,
    hint ? h('p', { class: 'error-hint' }, hint) : null);
}

// Put a button in its busy state while `fn` runs.
export async function busy(button, label, fn) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = old;
  }
}

// A transient status message at the bottom of the screen.
let toastTimer;
export function toast(text, kind = 'ok') {
  const el = document.getElementById('toast');
  if (!el) return;
  clear(el, h('div', { class: `toast toast-${kind}` }, text));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.replaceChildren(), 4000);
}

// A modal dialog (native <dialog>): resolves to the form's values, or null
// when cancelled.  fields: [{name, label, type, required, placeholder}]
export function askDialog({ title, text, fields = [], confirm = 'OK', danger = false }) {
  return new Promise((resolve) => {
    const inputs = fields.map((f) => {
      const id = newId('dlg');
      const input = f.type === 'textarea'
        ? h('textarea', { id, name: f.name, rows: 3, required: f.required, placeholder: f.placeholder || '' })
        : h('input', { id, name: f.name, type: f.type || 'text', required: f.required, placeholder: f.placeholder || '' });
      return h('div', { class: 'field' }, h('label', { for: id }, f.label), input);
    });
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const ok = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, confirm);
    const titleId = newId('dlg-title');
    const form = h('form', { method: 'dialog', class: 'dialog-body' },
      h('h2', { id: titleId }, title), text ? h('p', { class: 'muted' }, text) : null,
      inputs, h('div', { class: 'dialog-actions' }, cancel, ok));
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    let result = null;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      result = Object.fromEntries(new FormData(form).entries());
      dlg.close();
    });
    cancel.addEventListener('click', () => dlg.close());
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

// A labelled form control: returns {wrap, input}.
export function field(label, input, hint) {
  const id = input.id || newId('f');
  input.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl), input };
}

export function select(name, options, value) {
  return h('select', { name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

// Debounce for search boxes.
export function debounce(fn, ms = 250) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}
