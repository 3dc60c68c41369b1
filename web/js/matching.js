// matching.js - matching and the pair lifecycle for a program manager:
// run the solver as a dry run and read each proposed pair's reasons and the
// certificate, store the proposal, approve or decline proposals (one by one
// or all), lock them, and complete or end active pairs.
import { api } from './api.js';
import { h, clear, spinner, errorBox, emptyState, badge, fmtDate, fmtInt, fmtNum, busy, toast, askDialog, plural, select, debounce, field } from './dom.js';
import { dataTable, pager } from './table.js';
import { componentLabel } from './kpi.js';

const listState = new Map();

export function reasonList(reasons, className = 'reasons') {
  if (!reasons || !reasons.length) return h('p', { class: 'muted' }, 'No scoring reasons recorded.');
  return h('ul', { class: className },
    reasons.map((r) => h('li', { title: componentLabel(r.component) },
      h('span', { class: 'reason-points', 'aria-label': `${r.points} points` }, `+${r.points}`),
      h('span', { class: 'reason-text' }, sentence(r.text)))));
}
const sentence = (t) => {
  const s = String(t || '').trim().replace(/^./, (c) => c.toUpperCase());
  return s && !/[.!?]$/.test(s) ? `${s}.` : s;
};

export const scoreBadge = (score) => h('span', { class: 'score', title: 'Compatibility score' }, fmtInt(score));

export async function renderMatching(ctx) {
  const { panel, program } = ctx;
  const proposal = h('div', { id: 'proposal', 'aria-live': 'polite' });
  const proposed = h('div', { id: 'proposed-pairs' });
  const pairs = h('div', { id: 'pairs-list' });
  const runBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'run-matching' }, 'Run matching');
  const runError = h('div', { class: 'form-error', role: 'alert' });

  const reloadAll = () => Promise.all([loadProposed(ctx, proposed, reloadAll), loadPairs(ctx, pairs, reloadAll)]);

  runBtn.addEventListener('click', () => busy(runBtn, 'Matching…', async () => {
    runError.replaceChildren();
    try {
      const res = await api('POST', `/api/v1/programs/${program.id}/match`, { query: { dry_run: 'true' } });
      showProposal(ctx, proposal, res, reloadAll);
    } catch (err) {
      clear(runError, errorBox(err, { title: 'Matching failed.' }));
    }
  }));

  clear(panel,
    h('section', { class: 'card', 'aria-labelledby': 'match-title' },
      h('div', { class: 'card-head' },
        h('div', {}, h('h2', { id: 'match-title' }, 'Matching'),
          h('p', { class: 'muted' }, 'The solver proposes the best possible set of pairs for everyone waiting, within each mentor’s capacity, and explains every pair. A dry run changes nothing.')),
        runBtn),
      runError, proposal),
    proposed, pairs);
  await reloadAll();
}

function showProposal(ctx, box, res, reloadAll) {
  const s = res.summary;
  const store = h('button', { type: 'button', class: 'btn btn-success', id: 'store-proposal', disabled: !res.pairs.length }, 'Store proposal');
  const discard = h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => box.replaceChildren() }, 'Discard');
  store.addEventListener('click', () => busy(store, 'Storing…', async () => {
    try {
      const stored = await api('POST', `/api/v1/programs/${ctx.program.id}/match`);
      box.replaceChildren();
      toast(`Stored ${plural(stored.pairs.length, 'proposed pair')}. Review and approve them below.`);
      await reloadAll();
      document.getElementById('proposed-pairs')?.querySelector('h2')?.focus();
    } catch (err) {
      box.append(errorBox(err, { title: 'Could not store the proposal.' }));
    }
  }));
  const ms = s.ms ? Object.values(s.ms).reduce((a, b) => a + b, 0) : null;
  clear(box,
    h('div', { class: 'proposal' },
      h('div', { class: s.certified ? 'certificate ok' : 'certificate warn', role: 'note' },
        h('span', { class: 'cert-icon', 'aria-hidden': 'true' }, s.certified ? '✓' : '!'),
        h('div', {},
          h('strong', {}, s.certified ? 'Certified optimal' : 'Not certified'),
          h('p', {}, sentence(s.certificate || (s.certified ? 'The total score is the maximum possible.' : 'The solver could not prove optimality.'))))),
      h('dl', { class: 'stats' },
        stat('Proposed pairs', fmtInt(s.proposed)), stat('Total score', fmtInt(s.total_score)),
        stat('Mentees waiting', fmtInt(s.mentees_waiting)), stat('Mentors with capacity', fmtInt(s.mentors_with_capacity)),
        stat('Free seats', fmtInt(s.free_seats)), ms !== null ? stat('Computed in', `${fmtNum(ms, 1)} ms`) : null),
      res.pairs.length
        ? h('ol', { class: 'proposal-list', 'aria-label': 'Proposed pairs (dry run)' }, res.pairs.map((p) => h('li', { class: 'pair-card' },
          h('div', { class: 'pair-head' },
            h('span', { class: 'pair-names' }, h('strong', {}, p.mentee_name), h('span', { class: 'muted' }, ' mentored by '), h('strong', {}, p.mentor_name)),
            p.locked ? badge('locked') : null, scoreBadge(p.score)),
          reasonList(p.reasons))))
        : emptyState('Nobody to match.', 'Every mentee is paired or no mentor has a free seat that fits.'),
      h('div', { class: 'button-row' }, store, discard)));
  store.focus();
}

const stat = (label, value) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value));

// ---- proposals awaiting approval ---------------------------------------------

async function loadProposed(ctx, box, reloadAll) {
  const { program } = ctx;
  if (!box.firstChild) clear(box, h('section', { class: 'card' }, spinner('Loading proposals…')));
  let page;
  try {
    page = await api('GET', `/api/v1/programs/${program.id}/pairs`, { query: { status: 'proposed', sort: '-score', limit: 200 } });
  } catch (err) {
    clear(box, h('section', { class: 'card' }, errorBox(err, { title: 'Could not load proposals.' })));
    return;
  }
  if (!ctx.isCurrent()) return;
  const approveAll = h('button', { type: 'button', class: 'btn btn-success', id: 'approve-all', disabled: !page.items.some((p) => p.source === 'solver') }, 'Approve all');
  const err = h('div', { class: 'form-error', role: 'alert' });
  approveAll.addEventListener('click', () => busy(approveAll, 'Approving…', async () => {
    err.replaceChildren();
    try {
      const r = await api('POST', `/api/v1/programs/${program.id}/proposals/approve`, { body: {} });
      toast(`Approved ${plural(r.approved, 'pair')}.`);
      await reloadAll();
    } catch (e) { clear(err, errorBox(e)); }
  }));
  const action = (p, verb, label, cls, body) => h('button', {
    type: 'button', class: `btn btn-sm ${cls}`, 'aria-label': `${label}: ${p.mentee_name} with ${p.mentor_name}`,
    dataset: { action: verb },
    onclick: async (e) => {
      err.replaceChildren();
      let payload = body;
      if (verb === 'decline') {
        const a = await askDialog({ title: 'Decline this proposal?', text: `${p.mentee_name} with ${p.mentor_name}. They will not be proposed again.`, fields: [{ name: 'reason', label: 'Reason (optional)', type: 'textarea' }], confirm: 'Decline', danger: true });
        if (!a) return;
        payload = a.reason ? { reason: a.reason } : undefined;
      }
      await busy(e.target, null, async () => {
        try {
          await api('POST', `/api/v1/pairs/${p.id}/${verb}`, { body: payload });
          toast(verb === 'approve' ? `${p.mentee_name} and ${p.mentor_name} are now an active pair.` : 'Proposal declined.');
          await reloadAll();
        } catch (x) { clear(err, errorBox(x)); }
      });
    },
  }, label);
  const lock = (p) => h('button', {
    type: 'button', class: 'btn btn-sm btn-ghost', 'aria-pressed': p.locked ? 'true' : 'false',
    title: p.locked ? 'Locked: the next matching run keeps this pair' : 'Lock: keep this pair when matching runs again',
    onclick: async (e) => busy(e.target, null, async () => {
      try {
        await api('PATCH', `/api/v1/pairs/${p.id}`, { body: { locked: !p.locked } });
        await loadProposed(ctx, box, reloadAll);
      } catch (x) { clear(err, errorBox(x)); }
    }),
  }, p.locked ? 'Locked' : 'Lock');
  clear(box, h('section', { class: 'card', 'aria-labelledby': 'proposed-title' },
    h('div', { class: 'card-head' },
      h('div', {}, h('h2', { id: 'proposed-title', tabindex: '-1' }, 'Proposals awaiting approval'),
        h('p', { class: 'muted' }, page.total ? `${plural(page.total, 'proposed pair')}. Approving a pair makes it active.` : 'Nothing to approve.')),
      approveAll),
    err,
    page.items.length ? dataTable({
      caption: 'Proposed pairs',
      rows: page.items,
      rowAttrs: (p) => ({ dataset: { pair: p.id } }),
      columns: [
        { label: 'Mentee', render: (p) => h('strong', {}, p.mentee_name) },
        { label: 'Mentor', render: (p) => p.mentor_name },
        { label: 'Score', numeric: true, render: (p) => scoreBadge(p.score) },
        { label: 'Why', render: (p) => h('details', { class: 'why' }, h('summary', {}, `${plural((p.reasons || []).length, 'reason')}`), reasonList(p.reasons)) },
        { label: 'Source', render: (p) => badge(p.source) },
        { label: 'Actions', render: (p) => h('div', { class: 'actions' }, action(p, 'approve', 'Approve', 'btn-success'), action(p, 'decline', 'Decline', 'btn-danger-ghost'), lock(p)) },
      ],
    }) : null));
}

// ---- all pairs and their lifecycle ---------------------------------------------

async function loadPairs(ctx, box, reloadAll) {
  const { program } = ctx;
  const st = listState.get(program.id) || { status: 'active', q: '', sort: 'mentee', offset: 0, limit: 25 };
  listState.set(program.id, st);
  const statusSel = select('status', [['active', 'Active'], ['completed', 'Completed'], ['ended', 'Ended early'], ['declined', 'Declined'], ['', 'All']], st.status);
  const q = h('input', { type: 'search', name: 'q', value: st.q, placeholder: 'Mentor or mentee name', autocomplete: 'off' });
  const results = h('div', { 'aria-live': 'polite' });
  const err = h('div', { class: 'form-error', role: 'alert' });
  statusSel.addEventListener('change', () => { st.status = statusSel.value; st.offset = 0; load(); });
  q.addEventListener('input', debounce(() => { st.q = q.value.trim(); st.offset = 0; load(); }));
  clear(box, h('section', { class: 'card', 'aria-labelledby': 'pairs-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'pairs-title' }, 'Pairs')),
    h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter pairs', onsubmit: (e) => e.preventDefault() },
      field('Status', statusSel).wrap, field('Search', q).wrap),
    err, results));

  const lifecycle = (p) => {
    if (p.status !== 'active') return p.end_reason ? h('span', { class: 'muted', title: 'Reason' }, p.end_reason) : h('span', { class: 'muted' }, '—');
    return h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'btn btn-sm', dataset: { action: 'complete' }, 'aria-label': `Complete: ${p.mentee_name} with ${p.mentor_name}`,
        onclick: async (e) => {
          const a = await askDialog({ title: 'Mark this pair completed?', text: `${p.mentee_name} with ${p.mentor_name} finished their mentoring.`, confirm: 'Complete' });
          if (a) await act(e.target, p, 'complete');
        },
      }, 'Complete'),
      h('button', {
        type: 'button', class: 'btn btn-sm btn-danger-ghost', dataset: { action: 'end' }, 'aria-label': `End early: ${p.mentee_name} with ${p.mentor_name}`,
        onclick: async (e) => {
          const a = await askDialog({ title: 'End this pair early?', text: `${p.mentee_name} with ${p.mentor_name}. Both become available for matching again.`, fields: [{ name: 'reason', label: 'Reason', type: 'textarea', required: true, placeholder: 'For example: the mentee changed roles' }], confirm: 'End pair', danger: true });
          if (a) await act(e.target, p, 'end', { reason: a.reason });
        },
      }, 'End early…'));
  };
  const act = (btn, p, verb, body) => busy(btn, null, async () => {
    err.replaceChildren();
    try {
      await api('POST', `/api/v1/pairs/${p.id}/${verb}`, { body });
      toast(verb === 'complete' ? 'Pair marked completed.' : 'Pair ended.');
      await reloadAll();
    } catch (x) { clear(err, errorBox(x)); }
  });

  async function load() {
    results.setAttribute('aria-busy', 'true');
    let page;
    try {
      page = await api('GET', `/api/v1/programs/${program.id}/pairs`, { query: { status: st.status, q: st.q, sort: st.sort, limit: st.limit, offset: st.offset } });
    } catch (x) {
      clear(results, errorBox(x, { title: 'Could not load pairs.' }));
      return;
    } finally { results.removeAttribute('aria-busy'); }
    if (!ctx.isCurrent()) return;
    if (!page.items.length) { clear(results, emptyState('No pairs here.', st.status === 'active' ? 'Run matching and approve proposals to start pairs.' : null)); return; }
    clear(results,
      dataTable({
        caption: 'Pairs',
        rows: page.items,
        sort: st.sort,
        onSort: (s) => { st.sort = s; st.offset = 0; load(); },
        rowAttrs: (p) => ({ dataset: { pair: p.id } }),
        columns: [
          { label: 'Mentee', sort: 'mentee', render: (p) => h('strong', {}, p.mentee_name) },
          { label: 'Mentor', sort: 'mentor', render: (p) => p.mentor_name },
          { label: 'Status', sort: 'status', render: (p) => badge(p.status) },
          { label: 'Score', sort: 'score', numeric: true, render: (p) => scoreBadge(p.score) },
          { label: 'Why', render: (p) => h('details', { class: 'why' }, h('summary', {}, plural((p.reasons || []).length, 'reason')), reasonList(p.reasons)) },
          { label: 'Started', sort: 'started_on', class: 'date', render: (p) => fmtDate(p.started_on) },
          { label: 'Ended', sort: 'ended_on', class: 'date', render: (p) => fmtDate(p.ended_on) },
          { label: 'Actions', render: lifecycle },
        ],
      }),
      pager({ offset: st.offset, limit: st.limit, total: page.total, onPage: (o) => { st.offset = Math.max(0, o); load(); }, onLimit: (l) => { st.limit = l; st.offset = 0; load(); } }));
  }
  await load();
}
