// program.js - one program's page: its header and the tabs the signed-in
// role may use.  Staff: overview, members, matching, alerts (when the server
// has the alerts route).  Viewers: overview only (aggregates).  Mentors and
// mentees: their own pairs, and recommendations (mentees) or requests
// (mentors).
import { api, probe, routeMissing } from './api.js';
import { h, clear, spinner, errorBox, badge, fmtDate } from './dom.js';
import { renderOverview } from './overview.js';
import { renderMembers } from './members.js';
import { renderMatching } from './matching.js';
import { renderAlerts } from './alerts.js';
import { renderMyPairs, renderRecommendations, renderRequests } from './participant.js';

const STAFF = new Set(['admin', 'manager']);

async function tabsFor(role, id) {
  if (STAFF.has(role)) {
    const tabs = [['overview', 'Overview'], ['members', 'Members'], ['matching', 'Matching']];
    if (!routeMissing(await probe(`/api/v1/programs/${id}/alerts`))) tabs.push(['alerts', 'Alerts']);
    return tabs;
  }
  if (role === 'viewer') return [['overview', 'Overview']];
  if (role === 'mentee') return [['pairs', 'My pairs'], ['mentors', 'Find a mentor']];
  if (role === 'mentor') return [['pairs', 'My pairs'], ['requests', 'Requests']];
  return [['overview', 'Overview']];
}

const RENDER = {
  overview: renderOverview, members: renderMembers, matching: renderMatching, alerts: renderAlerts,
  pairs: renderMyPairs, mentors: renderRecommendations, requests: renderRequests,
};

export async function renderProgram(ctx, id, tab) {
  const role = ctx.session.user.role;
  clear(ctx.main, spinner('Loading program…'));
  let program, tabs;
  try {
    [program, tabs] = await Promise.all([api('GET', `/api/v1/programs/${id}`), tabsFor(role, id)]);
  } catch (err) {
    if (ctx.isCurrent()) {
      clear(ctx.main, h('p', {}, h('a', { href: '#/programs' }, '← All programs')),
        errorBox(err, { title: 'Could not open this program.' }));
    }
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!tab || !tabs.some(([k]) => k === tab)) {
    ctx.go(`#/programs/${id}/${tabs[0][0]}`);
    return;
  }
  const label = tabs.find(([k]) => k === tab)[1];
  document.title = `${label} · ${program.name} · mentortrack`;
  const panel = h('section', { id: 'tab-panel', class: 'tab-panel', 'aria-label': label, tabindex: '-1' });
  clear(ctx.main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/programs' }, 'Programs'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', {}, program.name)),
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'program-title' }, program.name, ' ', badge(program.status)),
        h('p', { class: 'muted program-dates' },
          program.start_date ? `${fmtDate(program.start_date)} – ${program.end_date ? fmtDate(program.end_date) : 'open-ended'}` : 'No dates set',
          program.description ? ` · ${program.description}` : ''))),
    h('nav', { class: 'tabs', 'aria-label': 'Program sections' },
      tabs.map(([k, text]) => h('a', {
        href: `#/programs/${id}/${k}`, class: k === tab ? 'tab active' : 'tab',
        'aria-current': k === tab ? 'page' : null, dataset: { tab: k },
      }, text))),
    panel);
  await RENDER[tab]({ ...ctx, panel, program, role, staff: STAFF.has(role) });
}
