// members.js - the program's memberships: a server-sorted, filtered, paged
// table, and the CSV import (a dry run first, then the real import).
import { api } from './api.js';
import { h, clear, spinner, errorBox, emptyState, badge, fmtDate, fmtInt, debounce, field, select, busy, toast, plural } from './dom.js';
import { dataTable, pager } from './table.js';

const states = new Map(); // program id -> list state

export async function renderMembers(ctx) {
  const { program, panel } = ctx;
  const st = states.get(program.id) || { q: '', role: '', status: '', department: '', sort: 'name', limit: 25, offset: 0 };
  states.set(program.id, st);

  const q = h('input', { type: 'search', name: 'q', value: st.q, placeholder: 'Name or email', autocomplete: 'off' });
  const role = select('role', [['', 'All roles'], ['mentor', 'Mentors'], ['mentee', 'Mentees']], st.role);
  const status = select('status', [['', 'All statuses'], ['pending', 'Pending'], ['active', 'Active'], ['paused', 'Paused'], ['left', 'Left']], st.status);
  const deptList = h('datalist', { id: `depts-${program.id}` });
  const dept = h('input', { type: 'text', name: 'department', value: st.department, list: deptList.id, placeholder: 'Any department', autocomplete: 'off' });
  const results = h('div', { id: 'members-results', 'aria-live': 'polite' });
  const refresh = () => { st.offset = 0; load(); };
  q.addEventListener('input', debounce(() => { st.q = q.value.trim(); refresh(); }));
  dept.addEventListener('input', debounce(() => { st.department = dept.value.trim(); refresh(); }, 350));
  role.addEventListener('change', () => { st.role = role.value; refresh(); });
  status.addEventListener('change', () => { st.status = status.value; refresh(); });

  const clearBtn = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => {
    Object.assign(st, { q: '', role: '', status: '', department: '', offset: 0 });
    q.value = ''; role.value = ''; status.value = ''; dept.value = '';
    load();
  } }, 'Clear filters');

  clear(panel,
    h('div', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Members'), h('span', { class: 'muted', id: 'members-count' })),
      h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter members', onsubmit: (e) => e.preventDefault() },
        field('Search', q).wrap, field('Role', role).wrap, field('Status', status).wrap, field('Department', dept).wrap, deptList,
        h('div', { class: 'field field-actions' }, clearBtn)),
      results),
    importCard(ctx, () => load()));

  const seenDepts = new Set();
  async function load() {
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild || results.querySelector('.empty, .alert')) clear(results, spinner('Loading members…'));
    else results.classList.add('stale');
    let page;
    try {
      page = await api('GET', `/api/v1/programs/${program.id}/memberships`, {
        query: { q: st.q, role: st.role, status: st.status, department: st.department, sort: st.sort, limit: st.limit, offset: st.offset },
      });
    } catch (err) {
      results.classList.remove('stale');
      if (ctx.isCurrent()) clear(results, errorBox(err, { title: 'Could not load members.' }));
      return;
    } finally {
      results.removeAttribute('aria-busy');
    }
    if (!ctx.isCurrent()) return;
    results.classList.remove('stale');
    for (const m of page.items) if (m.department && !seenDepts.has(m.department)) {
      seenDepts.add(m.department);
      deptList.append(h('option', { value: m.department }));
    }
    const count = document.getElementById('members-count');
    if (count) count.textContent = plural(page.total, 'member');
    if (!page.items.length) {
      clear(results, emptyState('No members match these filters.', 'Clear the filters or import members from a CSV file below.'));
      return;
    }
    clear(results,
      dataTable({
        caption: 'Members of the program',
        rows: page.items,
        sort: st.sort,
        onSort: (s) => { st.sort = s; st.offset = 0; load(); },
        rowAttrs: (m) => ({ dataset: { id: m.id } }),
        columns: [
          { label: 'Name', sort: 'name', render: (m) => h('div', { class: 'person' }, h('span', { class: 'person-name' }, m.person_name), h('span', { class: 'person-email' }, m.person_email)) },
          { label: 'Role', sort: 'role', render: (m) => badge(m.role) },
          { label: 'Status', sort: 'status', render: (m) => badge(m.status) },
          { label: 'Department', sort: 'department', render: (m) => m.department || '—' },
          { label: 'Capacity', sort: 'capacity', numeric: true, render: (m) => (m.role === 'mentor' ? fmtInt(m.capacity) : '—') },
          { label: 'Skills', render: (m) => skillsCell(m) },
          { label: 'Joined', sort: 'joined_on', class: 'date', render: (m) => fmtDate(m.joined_on) },
        ],
      }),
      pager({
        offset: st.offset, limit: st.limit, total: page.total,
        onPage: (o) => { st.offset = Math.max(0, o); load(); },
        onLimit: (l) => { st.limit = l; st.offset = 0; load(); },
      }));
  }
  await load();
}

function skillsCell(m) {
  const skills = m.skills || [];
  if (!skills.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'chips', 'aria-label': m.role === 'mentor' ? 'Skills offered' : 'Skills wanted' },
    skills.slice(0, 3).map((s) => h('li', { class: 'chip', title: `level ${s.level} of 5` }, s.skill, h('span', { class: 'chip-level' }, s.level))),
    skills.length > 3 ? h('li', { class: 'chip chip-more' }, `+${skills.length - 3}`) : null);
}

// ---- CSV import ---------------------------------------------------------------

function importCard(ctx, reload) {
  const { program } = ctx;
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const check = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Check file');
  const doImport = h('button', { type: 'button', class: 'btn btn-success', hidden: true }, 'Import');
  const out = h('div', { class: 'import-result', id: 'import-result', 'aria-live': 'polite' });
  let text = null;
  const form = h('form', { class: 'import-form', id: 'import-form', 'aria-describedby': 'import-help' },
    field('CSV file', file, 'UTF-8, with a header line. Columns email and role are required; see docs/csv-import.md.').wrap,
    h('div', { class: 'button-row' }, check, doImport), out);
  file.addEventListener('change', () => { text = null; doImport.hidden = true; out.replaceChildren(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    doImport.hidden = true;
    if (!file.files.length) { clear(out, h('div', { class: 'alert alert-error', role: 'alert' }, 'Choose a CSV file first.')); file.focus(); return; }
    await busy(check, 'Checking…', async () => {
      try {
        text = await file.files[0].text();
        const r = await api('POST', `/api/v1/programs/${program.id}/memberships/import`, { query: { dry_run: 'true' }, csv: text });
        clear(out, summaryBox(r, true));
        doImport.hidden = r.rows === 0;
        doImport.textContent = `Import ${plural(r.rows, 'row')}`;
        if (!doImport.hidden) doImport.focus();
      } catch (err) {
        clear(out, errorBox(err, { title: err.details.length ? 'Nothing can be imported until every line is fixed:' : 'The file was refused.' }));
      }
    });
  });
  doImport.addEventListener('click', async () => {
    await busy(doImport, 'Importing…', async () => {
      try {
        const r = await api('POST', `/api/v1/programs/${program.id}/memberships/import`, { csv: text });
        clear(out, summaryBox(r, false));
        doImport.hidden = true;
        form.reset();
        toast(`Imported ${plural(r.rows, 'row')}.`);
        reload();
      } catch (err) {
        clear(out, errorBox(err, { title: 'The import failed; nothing was changed.' }));
      }
    });
  });
  return h('details', { class: 'card import-card', id: 'import-card' },
    h('summary', {}, h('span', { class: 'summary-title' }, 'Import members from CSV'), h('span', { class: 'muted' }, ' — a dry run checks every line before anything is written')),
    h('p', { class: 'muted', id: 'import-help' }, 'Members are matched by email and role, so importing again updates them. Nothing is imported when any line has a problem.'),
    form);
}

function summaryBox(r, dry) {
  return h('div', { class: dry ? 'alert alert-info' : 'alert alert-ok', role: 'status' },
    h('strong', {}, dry ? 'Dry run: ready to import. ' : 'Imported. '),
    `${plural(r.rows, 'row')}: ${fmtInt(r.created)} new, ${fmtInt(r.updated)} updated.`,
    r.warnings && r.warnings.length ? h('div', {}, h('p', { class: 'warn-title' }, 'Warnings:'), h('ul', { class: 'error-details' }, r.warnings.map((w) => h('li', {}, w)))) : null);
}
