// kpi.js - the KPI catalogue as the dashboard shows it, and the figures the
// UI can derive itself from /summary, /memberships and /pairs when the
// server has no /metrics route.  With /metrics the server's figures are
// used as they are (one definition per KPI, in the server).

export const CATALOGUE = [
  { group: 'Registration', ids: [
    ['R1', 'Participants'], ['R2', 'Mentor capacity'], ['R3', 'Profile breakdown']] },
  { group: 'Pairing', ids: [
    ['P1', 'Pairings by status'], ['P2', 'Match longevity'], ['P3', 'Matching reasons'], ['P4', 'Paired'],
    ['P5', 'Matches over time'], ['P6', 'Introductory sessions'], ['P7', 'Pairing satisfaction']] },
  { group: 'Sessions and feedback', ids: [
    ['S1', 'Sessions completed'], ['S2', 'Session ratings'], ['S3', 'Feedback'], ['S4', 'Mentoring hours'],
    ['S5', 'Top participants'], ['S6', 'Session shape']] },
  { group: 'Goals and skills', ids: [
    ['G1', 'Goals and skills wanted'], ['G2', 'Assessment progress'], ['G3', 'Sessions per topic'], ['G4', 'Goal attainment']] },
  { group: 'Health', ids: [['H1', 'Health']] },
];

export const COMPONENT_LABELS = {
  skill: 'Skills match', goal_area: 'Goal areas', seniority: 'Seniority gap', department: 'Department',
  location: 'Location or time zone', language: 'Shared language', preference: 'Stated preference', wish: 'Mentee’s wish',
  low_rating: 'Low rating', waiting_too_long: 'Waiting for a match', stalled_pair: 'Stalled pair',
  no_intro: 'No intro session', over_capacity: 'Mentor over capacity', goal_overdue: 'Goal overdue',
  new_skill: 'New skill', promotion: 'Promotion', performance: 'Job performance', engagement: 'Satisfaction',
  certification: 'Certification', other: 'Other',
};
export const componentLabel = (c) => COMPONENT_LABELS[c] || String(c).replace(/_/g, ' ').replace(/^./, (x) => x.toUpperCase());

const DAY = 86400000;
export const today = () => new Date().toISOString().slice(0, 10);
export const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);

export function median(values) {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
export const mean = (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);
export const ratio = (n, d) => ({ numerator: n, denominator: d, value: d ? n / d : null });

// Small groups (PRODUCT.md): groups of 1-4 fold into "other"; while other
// holds 1-4 the smallest remaining group folds in too; under 5 people in
// all, no breakdown.  Returns [[name, count]...] largest first, "Other" last.
export function foldGroups(counts) {
  let groups = Object.entries(counts).filter(([, c]) => c > 0);
  const total = groups.reduce((s, [, c]) => s + c, 0);
  if (total < 5) return [];
  let other = 0;
  groups = groups.filter(([, c]) => (c < 5 ? ((other += c), false) : true));
  groups.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  while (other > 0 && other < 5 && groups.length) {
    let idx = groups.length - 1;
    for (let i = groups.length - 1; i >= 0; i--) {
      if (groups[i][1] < groups[idx][1] || (groups[i][1] === groups[idx][1] && groups[i][0] < groups[idx][0])) idx = i;
    }
    other += groups[idx][1];
    groups.splice(idx, 1);
  }
  if (other) groups.push(['Other', other]);
  return groups;
}

const isoWeek = (iso) => {
  const d = new Date(`${iso}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const year = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((d - jan4) / DAY - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
};

// The live figures, in the same shape as the server's /metrics answer (so
// the dashboard reads one schema).  data: {summary, memberships?, pairs?,
// alerts?}; f: {from, to, department, interval}.
export function computeLive({ summary, memberships, pairs, alerts }, f) {
  const T = f.to;
  const k = {};
  if (alerts) k.H1 = { open_alerts: alerts.open_total, open_by_rule: alerts.open, acknowledged: alerts.acknowledged_total };
  if (!memberships) {
    // Aggregates only (viewers without the KPI service): today's counts.
    k.R1 = { mentors: summary.mentors, mentees: summary.mentees, memberships: summary.mentors + summary.mentees, pending: summary.pending };
    k.R2 = { capacity: summary.mentor_capacity };
    return k;
  }
  const inDept = (m) => !f.department || (m && m.department === f.department);
  const msById = new Map(memberships.map((m) => [m.id, m]));
  const activeAt = (m) => m.status !== 'pending' && m.joined_on && m.joined_on <= T && !(m.left_on && m.left_on <= T);
  const active = memberships.filter((m) => activeAt(m) && inDept(m));
  const mentors = active.filter((m) => m.role === 'mentor');
  const mentees = active.filter((m) => m.role === 'mentee');
  const weeks = {};
  for (const m of memberships) {
    if (inDept(m) && m.joined_on && m.joined_on >= f.from && m.joined_on <= T) weeks[isoWeek(m.joined_on)] = (weeks[isoWeek(m.joined_on)] || 0) + 1;
  }
  k.R1 = {
    mentors: mentors.length, mentees: mentees.length, memberships: active.length,
    persons: new Set(active.map((m) => m.person_id)).size,
    new_registrations: { total: Object.values(weeks).reduce((a, b) => a + b, 0), per_week: Object.entries(weeks).sort().map(([week, count]) => ({ week, count })) },
  };

  const pairInDept = (p) => !f.department || inDept(msById.get(p.mentor_membership_id)) || inDept(msById.get(p.mentee_membership_id));
  const pairActiveAt = (p) => p.started_on && p.started_on <= T && !(p.ended_on && p.ended_on <= T);
  const allPairs = pairs.filter(pairInDept);
  const activePairs = allPairs.filter(pairActiveAt);
  const seats = new Map();
  for (const p of pairs.filter(pairActiveAt)) seats.set(p.mentor_membership_id, (seats.get(p.mentor_membership_id) || 0) + 1);
  const capacity = mentors.reduce((s, m) => s + (m.capacity || 0), 0);
  const used = mentors.reduce((s, m) => s + (seats.get(m.id) || 0), 0);
  k.R2 = {
    mentors: mentors.length, capacity, seats_in_use: used, utilisation: ratio(used, capacity),
    mentors_at_or_over_capacity: mentors.filter((m) => (seats.get(m.id) || 0) >= (m.capacity || 0)).length,
  };

  const depts = {};
  const persons = new Map(active.map((m) => [m.person_id, m]));
  for (const m of persons.values()) depts[m.department || 'Unknown'] = (depts[m.department || 'Unknown'] || 0) + 1;
  const groups = foldGroups(depts);
  k.R3 = { persons: persons.size, fields: { department: { suppressed: !groups.length, groups: groups.map(([value, count]) => ({ value, count })) } } };

  // P1: pairs touching the range, by their state at T.
  const state = (p) => {
    if (pairActiveAt(p)) return 'active';
    if (p.status === 'proposed') return p.proposed_on <= T ? 'proposed' : null;
    const endDay = p.ended_on || p.updated_at?.slice(0, 10) || p.proposed_on;
    if (p.status === 'declined') return endDay >= f.from && p.proposed_on <= T ? 'declined' : null;
    if ((p.status === 'completed' || p.status === 'ended') && p.ended_on && p.ended_on <= T && p.ended_on >= f.from) return p.status === 'ended' ? 'ended_early' : 'completed';
    return null;
  };
  const P1 = { proposed: 0, active: 0, completed: 0, ended_early: 0, declined: 0, total: 0 };
  const started = [];
  for (const p of allPairs) {
    const s = state(p);
    if (!s) continue;
    P1[s]++; P1.total++;
    if (p.started_on && s !== 'proposed' && s !== 'declined') started.push(p);
  }
  k.P1 = P1;
  const lengths = started.map((p) => daysBetween(p.started_on, p.ended_on && p.ended_on <= T ? p.ended_on : T));
  k.P2 = { pairs: lengths.length, median_days: median(lengths), mean_days: { mean: mean(lengths) } };
  const reasons = {};
  for (const p of started) for (const c of new Set((p.reasons || []).map((r) => r.component))) reasons[c] = (reasons[c] || 0) + 1;
  k.P3 = { pairs: started.length, reasons: Object.entries(reasons).sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason, count, share: ratio(count, started.length) })) };

  const pairedMentees = new Set(activePairs.map((p) => p.mentee_membership_id));
  const pairedMentors = new Set(activePairs.map((p) => p.mentor_membership_id));
  const lastEnd = new Map();
  for (const p of pairs) {
    if (p.ended_on && p.ended_on <= T && p.ended_on > (lastEnd.get(p.mentee_membership_id) || '')) lastEnd.set(p.mentee_membership_id, p.ended_on);
  }
  const unpaired = mentees.filter((m) => !pairedMentees.has(m.id)).map((m) => {
    const since = [m.joined_on, lastEnd.get(m.id)].filter(Boolean).sort().pop();
    return { person_id: m.person_id, membership_id: m.id, name: m.person_name, role: 'mentee', days_waiting: daysBetween(since, T) };
  }).sort((a, b) => b.days_waiting - a.days_waiting || a.person_id - b.person_id);
  k.P4 = {
    mentees: ratio(mentees.filter((m) => pairedMentees.has(m.id)).length, mentees.length),
    mentors: ratio(mentors.filter((m) => pairedMentors.has(m.id)).length, mentors.length),
    unpaired_count: unpaired.length, unpaired,
  };

  // P5: new pairs by the month they started; cumulative includes earlier ones.
  const months = {};
  let before = 0;
  for (const p of allPairs) {
    if (!p.started_on || p.started_on > T) continue;
    if (p.started_on < f.from) { before++; continue; }
    months[p.started_on.slice(0, 7)] = (months[p.started_on.slice(0, 7)] || 0) + 1;
  }
  let cum = before;
  k.P5 = {
    interval: 'month', started_before_range: before,
    new_in_range: Object.values(months).reduce((a, b) => a + b, 0),
    series: monthRange(f.from, T).map((period) => ({ period, new: months[period] || 0, cumulative: (cum += months[period] || 0) })),
  };
  k.P5.cumulative = cum;
  return k;
}

export function monthRange(from, to) {
  const out = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number);
  const [ty, tm] = to.slice(0, 7).split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

export const monthLabel = (ym) => {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });
};
