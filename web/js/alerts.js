// alerts.js - the health monitor's open alerts with acknowledge / resolve
// (each with a note).  The tab shows only when the server has the route.
import { api } from './api.js';
import { h, clear, spinner, errorBox, emptyState, badge, fmtDate, busy, toast, askDialog, plural, select, field, humanize } from './dom.js';
import { dataTable, pager } from './table.js';

export const RULES = {
  low_rating: 'Low rating', waiting_too_long: 'Waiting for a match', stalled_pair: 'Stalled pair',
  no_intro: 'No introductory session', over_capacity: 'Mentor over capacity', goal_overdue: 'Goal past its target date',
};
const states = new Map();

export async function renderAlerts(ctx) {
  const { panel, program } = ctx;
  const st = states.get(program.id) || { status: 'live', rule: '', sort: '-raised_at', offset: 0, limit: 25 };
  states.set(program.id, st);
  const status = select('status', [['live', 'Open or acknowledged'], ['open', 'Open'], ['acknowledged', 'Acknowledged'], ['resolved', 'Resolved'], ['', 'All']], st.status);
  const rule = select('rule', [['', 'All rules'], ...Object.entries(RULES)], st.rule);
  rule.addEventListener('change', () => { st.rule = rule.value; st.offset = 0; load(); });
  const check = h('button', { type: 'button', class: 'btn', id: 'run-health-check' }, 'Run health check');
  check.addEventListener('click', () => busy(check, 'Checking…', async () => {
    err.replaceChildren();
    try {
      const r = await api('POST', `/api/v1/programs/${program.id}/alerts/check`);
      toast(`Health check: ${plural(r.raised || 0, 'new alert')}, ${plural(r.resolved || 0, 'alert')} resolved.`);
      await load();
    } catch (x) { clear(err, errorBox(x)); }
  }));
  const results = h('div', { 'aria-live': 'polite' });
  const err = h('div', { class: 'form-error', role: 'alert' });
  status.addEventListener('change', () => { st.status = status.value; st.offset = 0; load(); });
  clear(panel, h('section', { class: 'card', 'aria-labelledby': 'alerts-title' },
    h('div', { class: 'card-head' }, h('div', {}, h('h2', { id: 'alerts-title' }, 'Alerts'),
      h('p', { class: 'muted' }, 'Pairings that may not be working, raised by the health monitor. Acknowledge to say you are on it; resolve with a note.')), check),
    h('form', { class: 'toolbar', 'aria-label': 'Filter alerts', onsubmit: (e) => e.preventDefault() }, field('Status', status).wrap, field('Rule', rule).wrap),
    err, results));

  const act = (a, verb) => async (e) => {
    const ans = await askDialog({
      title: verb === 'resolve' ? 'Resolve this alert' : 'Acknowledge this alert',
      text: describe(a), fields: [{ name: 'note', label: 'Note', type: 'textarea', required: verb === 'resolve', placeholder: verb === 'resolve' ? 'What was done' : 'Optional' }],
      confirm: verb === 'resolve' ? 'Resolve' : 'Acknowledge',
    });
    if (!ans) return;
    await busy(e.target, null, async () => {
      err.replaceChildren();
      try {
        await api('POST', `/api/v1/alerts/${a.id}/${verb}`, { body: ans.note ? { note: ans.note } : {} });
        toast(verb === 'resolve' ? 'Alert resolved.' : 'Alert acknowledged.');
        await load();
      } catch (x) { clear(err, errorBox(x)); }
    });
  };

  async function load() {
    if (!results.firstChild) clear(results, spinner('Loading alerts…'));
    let page;
    try {
      page = await api('GET', `/api/v1/programs/${program.id}/alerts`, { query: { status: st.status, rule: st.rule, sort: st.sort, limit: st.limit, offset: st.offset } });
    } catch (x) {
      clear(results, errorBox(x, { title: 'Could not load alerts.' }));
      return;
    }
    if (!ctx.isCurrent()) return;
    const items = page.items || [];
    if (!items.length) { clear(results, emptyState(st.status === 'live' || st.status === 'open' ? 'No open alerts.' : 'No alerts here.', 'Every pairing looks healthy.')); return; }
    clear(results, dataTable({
      caption: 'Alerts',
      rows: items,
      sort: st.sort,
      onSort: (x) => { st.sort = x; st.offset = 0; load(); },
      rowAttrs: (a) => ({ dataset: { alert: a.id } }),
      columns: [
        { label: 'Rule', sort: 'rule', render: (a) => h('strong', { class: 'nowrap' }, RULES[a.rule] || humanize(a.rule)) },
        { label: 'What happened', sort: 'person', render: (a) => describe(a) },
        { label: 'Raised', sort: 'raised_at', class: 'date', render: (a) => fmtDate(a.raised_at) },
        { label: 'Status', sort: 'status', render: (a) => badge(a.status) },
        { label: 'Note', render: (a) => notes(a) },
        { label: 'Actions', render: (a) => (a.status === 'resolved' ? '—' : h('div', { class: 'actions' },
          a.status === 'open' ? h('button', { type: 'button', class: 'btn btn-sm', dataset: { action: 'acknowledge' }, onclick: act(a, 'acknowledge') }, 'Acknowledge') : null,
          h('button', { type: 'button', class: 'btn btn-sm btn-success', dataset: { action: 'resolve' }, onclick: act(a, 'resolve') }, 'Resolve…'))) },
      ],
    }), pager({ offset: st.offset, limit: st.limit, total: page.total, onPage: (o) => { st.offset = Math.max(0, o); load(); }, onLimit: (l) => { st.limit = l; st.offset = 0; load(); } }));
  }
  await load();
}

function describe(a) {
  if (a.message) return a.message;
  return a.person_name || (a.pair_id ? `Pair ${a.pair_id}` : '—');
}

function notes(a) {
  const lines = [];
  if (a.acknowledge_note) lines.push(['Acknowledged', a.acknowledge_note]);
  if (a.note && a.note !== a.acknowledge_note) lines.push(['Resolved', a.note]);
  else if (a.resolution && a.status === 'resolved') lines.push(['Resolved', humanize(a.resolution)]);
  if (!lines.length) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'notes' }, lines.map(([k, v]) => h('p', { class: 'small' }, h('span', { class: 'muted' }, `${k}: `), v)));
}
