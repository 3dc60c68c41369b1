// overview.js - the program dashboard: headline KPI cards grouped as in the
// catalogue (R1-R3, P1-P7, S1-S6, G1-G4, H1), charts, and the mentees
// waiting longest, filtered by date range and department.
//
// The figures come from GET /programs/{id}/metrics when the server has it;
// otherwise the UI derives what it can from /summary, /memberships and
// /pairs (kpi.js), and says so.
import { api, apiAll, probe, routeMissing } from './api.js';
import { h, clear, spinner, errorBox, fmtInt, fmtNum, fmtPct, fmtDate, field, newId, busy, badge, plural, select } from './dom.js';
import { CATALOGUE, computeLive, componentLabel, monthLabel, today } from './kpi.js';
import { chartCard, destroyCharts, barConfig, doughnutConfig, PALETTE, STATUS_COLORS } from './charts.js';
import { dataTable } from './table.js';

const filters = new Map(); // program id -> {from, to, department}

// ---- reading the KPI objects ----------------------------------------------------
// One schema: the server's /metrics answer (kpi.js's live figures use it too).
// Ratios are {numerator, denominator, value}, means {sum, count, mean}.

const val = (x) => (x && typeof x === 'object' ? (x.value !== undefined ? x.value : x.mean) : x);
const groupsOf = (k, field) => {
  const f = k.R3 && k.R3.fields && k.R3.fields[field];
  return f && !f.suppressed ? f.groups.map((g) => [g.value, g.count]) : [];
};
const catRows = (obj) => Object.entries(obj || {});
const periodLabel = (p) => (/^\d{4}-\d{2}$/.test(p) ? monthLabel(p) : p);

// ---- the cards ------------------------------------------------------------------

// Each: (kpis) -> {value, label, sub: [lines]} or null when not available.
const CARDS = {
  R1: ({ R1 }) => R1 && {
    value: fmtInt(R1.persons ?? R1.memberships), label: R1.persons !== undefined ? 'people taking part' : 'participants',
    sub: [`${fmtInt(R1.mentors)} mentors · ${fmtInt(R1.mentees)} mentees`,
      R1.new_registrations ? `${fmtInt(R1.new_registrations.total)} registrations in range` : R1.pending ? `${fmtInt(R1.pending)} awaiting approval` : null],
  },
  R2: ({ R2 }) => R2 && (R2.utilisation ? {
    value: fmtPct(val(R2.utilisation)), label: 'of seats in use',
    sub: [`${fmtInt(R2.seats_in_use)} of ${fmtInt(R2.capacity)} seats`, `${fmtInt(R2.mentors_at_or_over_capacity)} mentors at or over capacity`],
  } : { value: fmtInt(R2.capacity), label: 'seats offered by mentors', sub: [] }),
  R3: (k) => {
    const g = groupsOf(k, 'department');
    if (!k.R3) return null;
    if (!g.length) return { value: fmtInt(k.R3.persons), label: 'people', sub: ['Too few people for a breakdown'] };
    return { value: fmtInt(g.filter(([n]) => n !== 'Other' && n !== 'other').length), label: 'departments', sub: [`Largest: ${g[0][0]} (${fmtInt(g[0][1])})`] };
  },
  P1: ({ P1 }) => P1 && {
    value: fmtInt(P1.active), label: 'active pairs',
    sub: [`${fmtInt(P1.proposed)} proposed · ${fmtInt(P1.completed)} completed`, `${fmtInt(P1.ended_early)} ended early · ${fmtInt(P1.declined)} declined`],
  },
  P2: ({ P2 }) => P2 && {
    value: fmtNum(P2.median_days, 1), label: 'days, median',
    sub: [`Mean ${fmtNum(val(P2.mean_days), 1)} days over ${plural(P2.pairs, 'pair')}`],
  },
  P3: ({ P3 }) => P3 && (P3.reasons.length ? {
    value: componentLabel(P3.reasons[0].reason), small: true,
    sub: [`In ${fmtPct(val(P3.reasons[0].share))} of ${plural(P3.pairs, 'started pair')}`],
  } : { value: '—', sub: ['No started pairs'] }),
  P4: ({ P4 }) => P4 && {
    value: fmtPct(val(P4.mentees)), label: 'of mentees paired',
    sub: [`Mentors ${fmtPct(val(P4.mentors))}`, `${fmtInt(P4.unpaired_count)} waiting for a match`],
  },
  P5: ({ P5 }) => P5 && {
    value: fmtInt(P5.new_in_range), label: 'new pairs in range',
    sub: [`${fmtInt(P5.cumulative)} in all`, P5.share_of_headcount ? `${fmtPct(val(P5.share_of_headcount), 1)} of headcount takes part` : null],
  },
  P6: ({ P6 }) => P6 && {
    value: fmtPct(val(P6.held_intro)), label: 'held their intro',
    sub: [`${fmtInt(P6.held_intro.numerator)} of ${plural(P6.held_intro.denominator, 'active pair')}`, `Median ${fmtNum(P6.median_days_to_intro, 1)} days to intro`],
  },
  P7: ({ P7 }) => P7 && {
    value: fmtNum(val(P7.mentees), 2), label: '/ 5 by mentees',
    sub: [`${fmtNum(val(P7.mentors), 2)} / 5 by mentors`, `${fmtInt((P7.mentees.count || 0) + (P7.mentors.count || 0))} check-ins`],
  },
  S1: ({ S1 }) => S1 && {
    value: fmtInt(S1.held), label: 'sessions held',
    sub: [`${fmtNum(val(S1.per_pair.mean), 1)} per pair (median ${fmtNum(S1.per_pair.median, 1)})`,
      S1.not_held ? `${fmtInt(S1.not_held.cancelled)} cancelled · ${fmtInt(S1.not_held.no_show)} no-show` : null],
  },
  S2: ({ S2 }) => S2 && {
    value: fmtNum(val(S2.by_mentees), 2), label: '/ 5 by mentees',
    sub: [`${fmtNum(val(S2.by_mentors), 2)} / 5 by mentors`, `${fmtInt((S2.by_mentees.count || 0) + (S2.by_mentors.count || 0))} ratings`],
  },
  S3: ({ S3 }) => S3 && S3.total !== undefined && {
    value: fmtInt(S3.total), label: 'comments', sub: [S3.comments ? 'Newest below; managers only' : 'Visible to managers only'],
  },
  S4: ({ S4 }) => S4 && { value: fmtNum(S4.hours, 1), label: 'hours of mentoring', sub: [`${fmtInt(S4.minutes)} minutes of held sessions`] },
  S5: ({ S5 }) => S5 && {
    value: S5.top && S5.top[0] ? fmtNum(S5.top[0].hours, 1) : '—', label: 'hours, top participant',
    sub: [S5.top && S5.top[0] && S5.top[0].name ? S5.top[0].name : null, `${fmtInt(S5.participants)} participants logged time`],
  },
  S6: ({ S6 }) => S6 && {
    value: fmtNum(val(S6.sessions_per_mentor), 1), label: 'sessions per mentor',
    sub: [`Median ${fmtNum(S6.median_sessions_per_mentor, 1)} · ${fmtInt(S6.mentors)} mentors`, `Mean length ${fmtNum(val(S6.mean_session_minutes), 0)} min`],
  },
  G1: ({ G1 }) => G1 && {
    value: G1.skills_wanted.length ? G1.skills_wanted[0].skill : '—', small: true,
    sub: [G1.skills_wanted.length ? `Most wanted skill (${plural(G1.skills_wanted[0].count, 'mentee')})` : 'No skills recorded', `${fmtInt(G1.goals.total)} goals set`],
  },
  G2: ({ G2 }) => G2 && {
    value: fmtPct(val(G2.overall.improved)), label: 'improved',
    sub: [`Mean change ${val(G2.overall.mean_change) > 0 ? '+' : ''}${fmtNum(val(G2.overall.mean_change), 2)} from ${fmtNum(val(G2.overall.mean_start), 2)}`, `${fmtInt(G2.overall.improved.denominator)} start/end pairs of scores`],
  },
  G3: ({ G3 }) => G3 && {
    value: G3.skills.length ? G3.skills[0].skill : '—', small: true,
    sub: [G3.skills.length ? `Most served skill (${plural(G3.skills[0].sessions, 'session')})` : 'No topics recorded'],
  },
  G4: ({ G4 }) => G4 && {
    value: fmtPct(val(G4.overall)), label: 'of goals achieved', sub: [`${fmtInt(G4.overall.numerator)} of ${fmtInt(G4.overall.denominator)} goals`],
  },
  H1: ({ H1 }) => H1 && {
    value: fmtInt(H1.open_alerts), label: 'open alerts',
    sub: [H1.success_rate ? `Success rate ${fmtPct(val(H1.success_rate))} (${fmtInt(H1.success_rate.numerator)} of ${fmtInt(H1.success_rate.denominator)})` : null,
      H1.acknowledged !== undefined ? `${fmtInt(H1.acknowledged)} acknowledged` : null],
  },
};

function kpiCard(id, title, k) {
  const card = CARDS[id] ? CARDS[id](k) : null;
  if (!card) return null;
  const def = k[id] && typeof k[id].definition === 'string' ? k[id].definition : null;
  const labelId = newId('kpi');
  return h('article', { class: 'card kpi', 'aria-labelledby': labelId, dataset: { kpi: id }, title: def },
    h('header', { class: 'kpi-head' }, h('span', { class: 'kpi-id' }, id), h('h3', { id: labelId }, title)),
    h('p', { class: card.small ? 'kpi-value small' : 'kpi-value' }, card.value,
      card.label ? h('span', { class: 'kpi-unit' }, ` ${card.label}`) : null),
    card.sub.filter(Boolean).map((s) => h('p', { class: 'kpi-sub' }, s)));
}

// ---- the charts -----------------------------------------------------------------

const dualAxes = (yTitle, y1Title) => ({
  plugins: { legend: { position: 'bottom' } },
  scales: {
    x: { grid: { display: false } },
    y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: yTitle } },
    y1: { beginAtZero: true, position: 'right', grid: { display: false }, ticks: { precision: 0 }, title: { display: true, text: y1Title } },
  },
});

function charts(k) {
  const out = [];
  if (k.P1 && k.P1.total) {
    const rows = [['proposed', 'Proposed'], ['active', 'Active'], ['completed', 'Completed'], ['ended_early', 'Ended early'], ['declined', 'Declined']];
    out.push(chartCard({
      id: 'chart-p1', kpi: 'P1', title: 'Pairings by status',
      config: doughnutConfig(rows.map(([, l]) => l), rows.map(([s]) => k.P1[s]), rows.map(([s]) => STATUS_COLORS[s === 'ended_early' ? 'ended' : s])),
      summary: rows.map(([s, l]) => `${l} ${k.P1[s]}`).join(', '),
    }));
  }
  if (k.P5 && k.P5.series && k.P5.series.length) {
    const ser = k.P5.series;
    out.push(chartCard({
      id: 'chart-p5', kpi: 'P5', title: 'Matches over time', wide: true,
      config: {
        type: 'bar',
        data: {
          labels: ser.map((x) => periodLabel(x.period)),
          datasets: [
            { type: 'line', label: 'Cumulative pairs', data: ser.map((x) => x.cumulative), borderColor: PALETTE[0], backgroundColor: PALETTE[0], yAxisID: 'y1', tension: 0.3, pointRadius: 2 },
            { type: 'bar', label: 'New pairs', data: ser.map((x) => x.new), backgroundColor: '#b4c6fc', borderRadius: 4, maxBarThickness: 32, yAxisID: 'y' },
          ],
        },
        options: dualAxes('New', 'Cumulative'),
      },
      summary: `${k.P5.new_in_range} new pairs in the range, ${k.P5.cumulative} in all`,
    }));
  }
  if (k.S1 && k.S1.per_month && k.S1.per_month.length) {
    const hours = new Map((k.S4?.per_month || []).map((m) => [m.month, m.hours]));
    out.push(chartCard({
      id: 'chart-s1', kpi: 'S1 · S4', title: 'Sessions and hours per month', wide: true,
      config: {
        type: 'bar',
        data: {
          labels: k.S1.per_month.map((m) => periodLabel(m.month)),
          datasets: [
            { type: 'line', label: 'Hours', data: k.S1.per_month.map((m) => hours.get(m.month) ?? null), borderColor: PALETTE[2], backgroundColor: PALETTE[2], yAxisID: 'y1', tension: 0.3, pointRadius: 2 },
            { type: 'bar', label: 'Sessions held', data: k.S1.per_month.map((m) => m.count), backgroundColor: PALETTE[1], borderRadius: 4, maxBarThickness: 32, yAxisID: 'y' },
          ],
        },
        options: dualAxes('Sessions', 'Hours'),
      },
      summary: `${k.S1.held} sessions held, ${fmtNum(k.S4?.hours, 1)} hours`,
    }));
  }
  if (k.P3 && k.P3.reasons.length) {
    const r = k.P3.reasons.slice(0, 8);
    out.push(chartCard({
      id: 'chart-p3', kpi: 'P3', title: 'Most frequent matching reasons',
      config: barConfig(r.map((x) => componentLabel(x.reason)), [{ label: 'Pairs', data: r.map((x) => x.count) }], { horizontal: true }),
      summary: r.map((x) => `${componentLabel(x.reason)}: ${x.count}`).join(', '),
    }));
  }
  const depts = groupsOf(k, 'department');
  if (depts.length) {
    out.push(chartCard({
      id: 'chart-r3', kpi: 'R3', title: 'Participants by department',
      config: barConfig(depts.map(([d]) => d), [{ label: 'People', data: depts.map(([, n]) => n), color: PALETTE[1] }], { horizontal: true }),
      summary: depts.map(([d, n]) => `${d}: ${n}`).join(', '),
      note: 'Groups smaller than 5 people are folded into “Other”.',
    }));
  }
  if (k.S2 || k.P7) {
    const labels = [];
    const mentees = [];
    const mentors = [];
    if (k.S2) { labels.push('Session ratings (S2)'); mentees.push(val(k.S2.by_mentees)); mentors.push(val(k.S2.by_mentors)); }
    if (k.P7) { labels.push('Pairing satisfaction (P7)'); mentees.push(val(k.P7.mentees)); mentors.push(val(k.P7.mentors)); }
    const cfg = barConfig(labels, [{ label: 'By mentees', data: mentees, color: PALETTE[0] }, { label: 'By mentors', data: mentors, color: PALETTE[4] }]);
    cfg.options.scales.y.max = 5;
    cfg.options.scales.y.ticks = { stepSize: 1 };
    out.push(chartCard({
      id: 'chart-s2', kpi: 'S2 · P7', title: 'Ratings and satisfaction (1–5)', config: cfg,
      summary: labels.map((l, i) => `${l}: mentees ${fmtNum(mentees[i], 2)}, mentors ${fmtNum(mentors[i], 2)}`).join('; '),
    }));
  }
  if (k.G4 && k.G4.by_category) {
    const rows = catRows(k.G4.by_category);
    const cfg = barConfig(rows.map(([c]) => componentLabel(c)), [{ label: '% achieved', data: rows.map(([, r]) => (r.value === null ? null : Math.round(r.value * 1000) / 10)), color: PALETTE[5] }], { yTitle: '% achieved' });
    cfg.options.scales.y.max = 100;
    out.push(chartCard({
      id: 'chart-g4', kpi: 'G4', title: 'Goal attainment by category', config: cfg,
      summary: rows.map(([c, r]) => `${componentLabel(c)}: ${fmtPct(r.value)}`).join(', '),
    }));
  }
  if (k.G1 && k.G1.skills_wanted.length) {
    const wanted = k.G1.skills_wanted.slice(0, 8);
    const offered = new Map(k.G1.skills_offered.map((s) => [s.skill, s.count]));
    out.push(chartCard({
      id: 'chart-g1', kpi: 'G1', title: 'Most wanted skills vs mentors offering them',
      config: barConfig(wanted.map((s) => s.skill), [
        { label: 'Mentees wanting', data: wanted.map((s) => s.count), color: PALETTE[3] },
        { label: 'Mentors offering', data: wanted.map((s) => offered.get(s.skill) || 0), color: PALETTE[1] }], { horizontal: true }),
      summary: wanted.map((s) => `${s.skill}: ${s.count} want, ${offered.get(s.skill) || 0} offer`).join(', '),
    }));
  }
  if (k.S6 && k.S6.distribution && k.S6.distribution.some((d) => d.mentors)) {
    out.push(chartCard({
      id: 'chart-s6', kpi: 'S6', title: 'Sessions per mentor',
      config: barConfig(k.S6.distribution.map((d) => d.sessions), [{ label: 'Mentors', data: k.S6.distribution.map((d) => d.mentors), color: PALETTE[4] }], { yTitle: 'Mentors' }),
      summary: k.S6.distribution.map((d) => `${d.sessions} sessions: ${d.mentors} mentors`).join(', '),
    }));
  }
  if (k.H1 && k.H1.open_by_rule && k.H1.open_alerts) {
    const rows = catRows(k.H1.open_by_rule);
    out.push(chartCard({
      id: 'chart-h1', kpi: 'H1', title: 'Open alerts by rule',
      config: barConfig(rows.map(([r]) => componentLabel(r)), [{ label: 'Open alerts', data: rows.map(([, n]) => n), color: PALETTE[3] }], { horizontal: true }),
      summary: rows.map(([r, n]) => `${componentLabel(r)}: ${n}`).join(', '),
    }));
  }
  if (!out.length && k.R1) {
    const r1 = [['Mentors', k.R1.mentors || 0], ['Mentees', k.R1.mentees || 0]];
    out.push(chartCard({
      id: 'chart-r1', kpi: 'R1', title: 'Participants by role',
      config: doughnutConfig(r1.map(([l]) => l), r1.map(([, n]) => n)),
      summary: r1.map(([l, n]) => `${l} ${n}`).join(', '),
    }));
  }
  return out;
}

// ---- the page -------------------------------------------------------------------

export async function renderOverview(ctx) {
  const { program, panel } = ctx;
  destroyCharts();
  const f = filters.get(program.id) || { from: program.start_date || `${today().slice(0, 4)}-01-01`, to: today(), department: '', interval: 'month', departments: null };
  filters.set(program.id, f);
  const from = h('input', { type: 'date', name: 'from', value: f.from, required: true });
  const to = h('input', { type: 'date', name: 'to', value: f.to, required: true });
  const dept = h('select', { name: 'department' }, h('option', { value: '' }, 'All departments'));
  const interval = select('interval', [['month', 'Month'], ['week', 'Week']], f.interval);
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const apply = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply');
  const form = h('form', { class: 'toolbar filters', 'aria-label': 'Dashboard filters' },
    field('From', from).wrap, field('To', to).wrap, field('Department', dept).wrap, field('Trend by', interval).wrap,
    h('div', { class: 'field field-actions' }, apply), exportControls(ctx), formError);
  const body = h('div', { id: 'overview-body', 'aria-live': 'polite', 'aria-busy': 'true' }, spinner('Computing figures…'));
  clear(panel, form, body);
  if (f.departments) fillDepartments(dept, f.departments, f.department);

  const metricsPath = `/api/v1/programs/${program.id}/metrics`;
  let raw = null; // without /metrics: the lists, fetched once and filtered here
  const load = async () => {
    formError.replaceChildren();
    if (!from.value || !to.value || from.value > to.value) {
      formError.textContent = 'Choose a range whose start is on or before its end.';
      from.focus();
      return;
    }
    Object.assign(f, { from: from.value, to: to.value, department: dept.value, interval: interval.value });
    body.setAttribute('aria-busy', 'true');
    destroyCharts();
    clear(body, spinner('Computing figures…'));
    let kpis, source;
    try {
      const probed = await probe(`${metricsPath}/R1`);
      if (!routeMissing(probed)) {
        const data = await api('GET', metricsPath, { query: { from: f.from, to: f.to, department: f.department, interval: f.interval } });
        kpis = data.metrics;
        source = 'metrics';
      } else {
        if (!raw) {
          const [summary, alerts] = await Promise.all([
            api('GET', `/api/v1/programs/${program.id}/summary`),
            api('GET', `/api/v1/programs/${program.id}/alerts/summary`, { quiet403: true }).catch(() => null),
          ]);
          raw = { summary, alerts };
          if (ctx.staff) {
            const [ms, ps] = await Promise.all([
              apiAll(`/api/v1/programs/${program.id}/memberships`),
              apiAll(`/api/v1/programs/${program.id}/pairs`),
            ]);
            if (ms.items.length === ms.total && ps.items.length === ps.total) Object.assign(raw, { memberships: ms.items, pairs: ps.items });
          }
        }
        kpis = computeLive(raw, f);
        source = raw.memberships ? 'live' : 'summary';
      }
    } catch (err) {
      if (ctx.isCurrent()) clear(body, errorBox(err, { title: 'Could not load the figures.' }));
      body.removeAttribute('aria-busy');
      return;
    }
    if (!ctx.isCurrent()) return;
    // The department list: from the unfiltered breakdown, kept for later.
    if (!f.department) {
      const names = groupsOf(kpis, 'department').map(([n]) => n).filter((n) => n.toLowerCase() !== 'other');
      if (names.length) { f.departments = names; fillDepartments(dept, names, f.department); }
    }
    draw(body, kpis, source, ctx);
    body.removeAttribute('aria-busy');
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  dept.addEventListener('change', () => load());
  interval.addEventListener('change', () => load());
  await load();
}

function fillDepartments(sel, names, current) {
  const list = [...new Set([...names, ...(current ? [current] : [])])].sort((a, b) => a.localeCompare(b));
  clear(sel, h('option', { value: '' }, 'All departments'), list.map((n) => h('option', { value: n }, n)));
  sel.value = current || '';
}

function draw(body, k, source, ctx) {
  const groups = CATALOGUE.map(({ group, ids }) => {
    const cards = ids.map(([id, title]) => kpiCard(id, title, k)).filter(Boolean);
    return cards.length ? h('section', { class: 'kpi-group', 'aria-label': group },
      h('h2', { class: 'section-title' }, group), h('div', { class: 'kpi-grid' }, cards)) : null;
  }).filter(Boolean);
  const note = source === 'metrics' ? h('p', { class: 'source-note muted' }, 'Hover a card for its exact definition. Breakdowns never show a group of fewer than 5 people.')
    : h('p', { class: 'source-note muted' }, source === 'live'
      ? 'Figures computed in your browser from the program’s memberships and pairs: this server has no KPI service, so session, goal and rating KPIs are not shown.'
      : 'Today’s aggregate counts: this server has no KPI service yet.');
  const chartCards = charts(k);
  clear(body,
    groups,
    chartCards.length ? h('section', { class: 'charts', 'aria-label': 'Charts' }, h('h2', { class: 'section-title' }, 'Trends and breakdowns'), h('div', { class: 'chart-grid' }, chartCards)) : null,
    h('div', { class: 'lists' },
      ctx.staff && k.P4 && Array.isArray(k.P4.unpaired) ? waiting(k.P4) : null,
      k.S5 && Array.isArray(k.S5.top) && k.S5.top.some((t) => t.name) ? topParticipants(k.S5) : null),
    ctx.staff && k.S3 && Array.isArray(k.S3.comments) ? feedback(k.S3) : null,
    note);
}

function waiting(P4) {
  const rows = P4.unpaired.slice(0, 10);
  return h('section', { class: 'card', 'aria-labelledby': 'waiting-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'waiting-title' }, h('span', { class: 'kpi-id' }, 'P4'), 'Waiting longest for a match'),
      h('span', { class: 'muted' }, `${fmtInt(P4.unpaired_count)} without an active pair`)),
    rows.length ? dataTable({
      caption: 'Members waiting for a match',
      rows,
      columns: [
        { label: 'Name', render: (u) => u.name || '—' },
        { label: 'Role', render: (u) => badge(u.role) },
        { label: 'Days waiting', numeric: true, render: (u) => fmtInt(u.days_waiting) },
      ],
    }) : h('p', { class: 'muted' }, 'Everyone has an active pair.'));
}

function topParticipants(S5) {
  return h('section', { class: 'card', 'aria-labelledby': 'top-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'top-title' }, h('span', { class: 'kpi-id' }, 'S5'), 'Top participants by hours')),
    dataTable({
      caption: 'Top participants',
      rows: S5.top,
      columns: [
        { label: 'Rank', numeric: true, render: (t) => fmtInt(t.rank) },
        { label: 'Name', render: (t) => t.name || '—' },
        { label: 'Hours', numeric: true, render: (t) => fmtNum(t.hours, 1) },
      ],
    }));
}

function feedback(S3) {
  const items = S3.comments.slice(0, 8);
  return h('section', { class: 'card', 'aria-labelledby': 'feedback-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'feedback-title' }, h('span', { class: 'kpi-id' }, 'S3'), 'Latest feedback'),
      h('span', { class: 'muted' }, `${plural(S3.total, 'comment')} in range · visible to managers only`)),
    items.length ? h('ul', { class: 'feedback' }, items.map((c) => h('li', {},
      h('div', { class: 'feedback-meta' }, h('span', { class: 'stars', 'aria-label': `${c.score} of 5` }, '★'.repeat(c.score), h('span', { class: 'stars-off', 'aria-hidden': 'true' }, '★'.repeat(5 - c.score))),
        badge(`by ${c.side}`, c.side), h('span', { class: 'muted small' }, fmtDate(c.date))),
      h('p', { class: 'feedback-text' }, c.comment)))) : h('p', { class: 'muted' }, 'No comments in this range.'));
}

// ---- export ---------------------------------------------------------------------

const DATASETS = [['kpis', 'KPIs'], ['participants', 'Participants'], ['pairs', 'Pairs'], ['sessions', 'Sessions'],
  ['ratings', 'Ratings and feedback'], ['goals', 'Goals'], ['assessments', 'Assessments'], ['alerts', 'Alerts'], ['all', 'Everything']];

function exportControls(ctx) {
  const sets = ctx.staff ? DATASETS : DATASETS.slice(0, 1);
  const dataset = h('select', { name: 'dataset', 'aria-label': 'Data to export' }, sets.map(([v, t]) => h('option', { value: v }, t)));
  const format = h('select', { name: 'format', 'aria-label': 'File format' }, h('option', { value: 'xlsx' }, 'Excel (XLSX)'), h('option', { value: 'csv' }, 'CSV'));
  const btn = h('button', { type: 'button', class: 'btn' }, 'Download');
  const status = h('span', { class: 'form-error', role: 'alert' });
  btn.addEventListener('click', () => busy(btn, 'Preparing…', async () => {
    status.replaceChildren();
    const url = `/api/v1/programs/${ctx.program.id}/export?dataset=${encodeURIComponent(dataset.value)}&format=${format.value}`;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) {
        let msg = `${res.status} ${res.statusText}`;
        try { msg = (await res.json()).error.message; } catch { /* not JSON */ }
        status.textContent = msg;
        return;
      }
      const blob = await res.blob();
      const name = (res.headers.get('Content-Disposition') || '').match(/filename="?([^";]+)"?/)?.[1] || `program-${ctx.program.id}-${dataset.value}.${format.value}`;
      const a = h('a', { href: URL.createObjectURL(blob), download: name, class: 'sr-only' });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch {
      status.textContent = 'The download failed; check your connection.';
    }
  }));
  return h('div', { class: 'export', role: 'group', 'aria-label': 'Export' },
    h('span', { class: 'export-label' }, 'Export'), dataset, format, btn, status);
}
