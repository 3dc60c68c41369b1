// table.js - an accessible data table with sortable headers (buttons inside
// <th aria-sort>) and a pager.  Sorting and paging are the caller's: it gets
// the new sort key ("name" or "-name") and renders again.
import { h, fmtInt } from './dom.js';

// columns: [{key, label, sort?: 'name', numeric?, render?: (row) => node|text}]
export function dataTable({ columns, rows, sort, onSort, caption, className = '', rowAttrs }) {
  const active = sort ? sort.replace(/^-/, '') : null;
  const desc = sort ? sort.startsWith('-') : false;
  const head = h('tr', {}, columns.map((c) => {
    const numeric = c.numeric ? 'num' : null;
    if (!c.sort || !onSort) return h('th', { scope: 'col', class: numeric }, c.label);
    const is = active === c.sort;
    const dir = is ? (desc ? 'descending' : 'ascending') : 'none';
    const next = is && !desc ? `-${c.sort}` : c.sort;
    return h('th', { scope: 'col', 'aria-sort': dir, class: numeric },
      h('button', {
        type: 'button', class: 'sort', dataset: { sort: c.sort },
        title: `Sort by ${c.label.toLowerCase()}`,
        onclick: () => onSort(next),
      }, c.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, is ? (desc ? '▼' : '▲') : '↕')));
  }));
  const body = h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {},
    columns.map((c) => h('td', { class: c.numeric ? 'num' : c.class, 'data-label': c.label },
      c.render ? c.render(row) : (row[c.key] ?? '—'))))));
  return h('div', { class: `table-wrap ${className}` },
    h('table', { class: 'table' }, caption ? h('caption', { class: 'sr-only' }, caption) : null,
      h('thead', {}, head), body));
}

export function pager({ offset, limit, total, onPage, onLimit }) {
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + limit, total);
  const sizes = [10, 25, 50, 100];
  return h('nav', { class: 'pager', 'aria-label': 'Pagination' },
    h('span', { class: 'pager-info', 'aria-live': 'polite' }, `${fmtInt(from)}–${fmtInt(to)} of ${fmtInt(total)}`),
    onLimit ? h('label', { class: 'pager-size' }, 'Rows ',
      h('select', { onchange: (e) => onLimit(Number(e.target.value)) },
        sizes.map((s) => h('option', { value: s, selected: s === limit }, s)))) : null,
    h('div', { class: 'pager-buttons' },
      h('button', { type: 'button', class: 'btn btn-sm', disabled: page <= 1, onclick: () => onPage(0), 'aria-label': 'First page' }, '«'),
      h('button', { type: 'button', class: 'btn btn-sm', disabled: page <= 1, onclick: () => onPage(offset - limit), 'aria-label': 'Previous page' }, '‹ Prev'),
      h('span', { class: 'pager-page' }, `Page ${fmtInt(page)} of ${fmtInt(pages)}`),
      h('button', { type: 'button', class: 'btn btn-sm', disabled: page >= pages, onclick: () => onPage(offset + limit), 'aria-label': 'Next page' }, 'Next ›'),
      h('button', { type: 'button', class: 'btn btn-sm', disabled: page >= pages, onclick: () => onPage((pages - 1) * limit), 'aria-label': 'Last page' }, '»')));
}
