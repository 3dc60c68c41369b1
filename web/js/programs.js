// programs.js - the programs list: search, status filter, sortable columns,
// each row leading to the program's page.
import { api } from './api.js';
import { h, clear, spinner, errorBox, emptyState, badge, fmtDate, fmtInt, debounce, field, select } from './dom.js';
import { dataTable } from './table.js';

const STATUSES = ['draft', 'open', 'running', 'closed', 'archived'];
const state = { q: '', status: '', sort: 'name' };

export async function renderPrograms(ctx) {
  document.title = 'Programs · mentortrack';
  const results = h('div', { id: 'programs-results', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', name: 'q', value: state.q, placeholder: 'Name or description', autocomplete: 'off' });
  const status = select('status', [['', 'All statuses'], ...STATUSES.map((s) => [s, s[0].toUpperCase() + s.slice(1)])], state.status);
  const reload = () => load(ctx, results);
  search.addEventListener('input', debounce(() => { state.q = search.value.trim(); reload(); }));
  status.addEventListener('change', () => { state.status = status.value; reload(); });

  clear(ctx.main,
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Programs'),
        h('p', { class: 'muted' }, 'Every mentoring program you can see. Open one to see its dashboard, members and matching.'))),
    h('div', { class: 'card' },
      h('form', { class: 'toolbar', role: 'search', onsubmit: (e) => e.preventDefault() },
        field('Search', search).wrap, field('Status', status).wrap),
      results));
  await load(ctx, results);
}

async function load(ctx, results) {
  clear(results, spinner('Loading programs…'));
  let rows;
  try {
    const page = await api('GET', '/api/v1/programs', { query: { limit: 100, q: state.q, status: state.status, sort: 'name' } });
    rows = await Promise.all(page.items.map(async (p) => {
      try {
        const s = await api('GET', `/api/v1/programs/${p.id}/summary`);
        return { ...p, mentors: s.mentors, mentees: s.mentees, pending: s.pending };
      } catch {
        return { ...p, mentors: null, mentees: null, pending: null };
      }
    }));
  } catch (err) {
    if (ctx.isCurrent()) clear(results, errorBox(err, { title: 'Could not load programs.' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const draw = () => {
    if (!rows.length) {
      clear(results, emptyState('No programs match.', state.q || state.status ? 'Try another search or status.' : 'An admin or manager creates programs through the API.'));
      return;
    }
    const key = state.sort.replace(/^-/, '');
    const dir = state.sort.startsWith('-') ? -1 : 1;
    const sorted = [...rows].sort((a, b) => {
      const x = a[key] ?? '', y = b[key] ?? '';
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
    });
    clear(results, dataTable({
      caption: 'Programs',
      rows: sorted,
      sort: state.sort,
      onSort: (s) => { state.sort = s; draw(); },
      columns: [
        { label: 'Name', sort: 'name', render: (p) => h('a', { href: `#/programs/${p.id}`, class: 'strong-link' }, p.name) },
        { label: 'Status', sort: 'status', render: (p) => badge(p.status) },
        { label: 'Start', sort: 'start_date', class: 'date', render: (p) => fmtDate(p.start_date) },
        { label: 'End', sort: 'end_date', class: 'date', render: (p) => fmtDate(p.end_date) },
        { label: 'Mentors', sort: 'mentors', numeric: true, render: (p) => fmtInt(p.mentors) },
        { label: 'Mentees', sort: 'mentees', numeric: true, render: (p) => fmtInt(p.mentees) },
        { label: 'Pending', sort: 'pending', numeric: true, render: (p) => fmtInt(p.pending) },
      ],
    }));
  };
  draw();
}
