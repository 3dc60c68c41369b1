// program.js - one program's page: its header and the tabs the signed-in
// user may use in this program.  What the user may do follows the API's
// access table (the route table in src/http/routes.c, x-access in
// docs/openapi.yaml), so the UI never offers a view the API refuses:
//   manage       admins in every program, managers in the programs they
//                manage (user.managed_program_ids from /auth/me):
//                overview, members, matching, alerts
//   read         viewers, every program: the overview (aggregate KPIs and
//                the KPI export only)
//   participant  mentors and mentees: their own pairs, and recommendations
//                (mentees) or requests (mentors); a manager of other
//                programs whose account is a person: their own pairs
//   none         a manager of other programs who is not a person
import { api, forgetProbes, setForbiddenHandler } from './api.js';
import { h, clear, spinner, errorBox, accessDenied, badge, fmtDate } from './dom.js';
import { renderOverview } from './overview.js';
import { renderMembers } from './members.js';
import { renderMatching } from './matching.js';
import { renderAlerts } from './alerts.js';
import { renderMyPairs, renderRecommendations, renderRequests } from './participant.js';

// What the signed-in user may do in program `id`.
function accessTo(user, id) {
  const { role } = user;
  if (role === 'admin') return { level: 'manage' };
  if (role === 'manager') {
    if ((user.managed_program_ids || []).includes(Number(id))) return { level: 'manage' };
    return { level: user.person_id ? 'participant' : 'none' };
  }
  if (role === 'viewer') return { level: 'read' };
  if (role === 'mentor' || role === 'mentee') return { level: 'participant' };
  return { level: 'none' };
}

function tabsFor(role, access) {
  switch (access.level) {
  case 'manage': {
    return [['overview', 'Overview'], ['members', 'Members'], ['matching', 'Matching'], ['alerts', 'Alerts']];
  }
  case 'read': return [['overview', 'Overview']];
  case 'participant':
    if (role === 'mentee') return [['pairs', 'My pairs'], ['mentors', 'Find a mentor']];
    if (role === 'mentor') return [['pairs', 'My pairs'], ['requests', 'Requests']];
    return [['pairs', 'My pairs']];
  default: return [];
  }
}

const RENDER = {
  overview: renderOverview, members: renderMembers, matching: renderMatching, alerts: renderAlerts,
  pairs: renderMyPairs, mentors: renderRecommendations, requests: renderRequests,
};

// Why a manager sees none of the staff tabs here.
const notManagerNote = () => h('div', { class: 'alert alert-warn access-denied', id: 'program-access-note' },
  h('strong', { class: 'access-title' }, 'You are not a manager of this program.'),
  h('p', {}, 'Its members, matching, alerts, figures and exports are open only to its managers and to admins. If you need them, ask an admin to make you a manager of this program.'));

export async function renderProgram(ctx, id, tab) {
  const { user } = ctx.session;
  const { role } = user;
  clear(ctx.main, spinner('Loading program…'));
  let program, access;
  try {
    // Who manages what can change while the page is open (an admin adds a
    // manager): ask again with the program, so the tabs follow at once.
    let me;
    [program, me] = await Promise.all([api('GET', `/api/v1/programs/${id}`), api('GET', '/api/v1/auth/me')]);
    if (me.user.id === user.id) user.managed_program_ids = me.user.managed_program_ids;
    access = accessTo(user, id);
  } catch (err) {
    if (ctx.isCurrent()) {
      clear(ctx.main, h('p', {}, h('a', { href: '#/programs' }, '← All programs')),
        errorBox(err, { title: 'Could not open this program.' }));
    }
    return;
  }
  if (!ctx.isCurrent()) return;
  const tabs = tabsFor(role, access);
  if (tabs.length ? !tabs.some(([k]) => k === tab) : tab) {
    ctx.go(tabs.length ? `#/programs/${id}/${tabs[0][0]}` : `#/programs/${id}`);
    return;
  }
  const label = tabs.length ? tabs.find(([k]) => k === tab)[1] : null;
  document.title = `${label ? `${label} · ` : ''}${program.name} · mentortrack`;
  const panel = tabs.length ? h('section', { id: 'tab-panel', class: 'tab-panel', 'aria-label': label, tabindex: '-1' }) : null;
  clear(ctx.main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/programs' }, 'Programs'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', {}, program.name)),
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'program-title' }, program.name, ' ', badge(program.status)),
        h('p', { class: 'muted program-dates' },
          program.start_date ? `${fmtDate(program.start_date)} – ${program.end_date ? fmtDate(program.end_date) : 'open-ended'}` : 'No dates set',
          program.description ? ` · ${program.description}` : ''))),
    role === 'manager' && access.level !== 'manage' ? notManagerNote() : null,
    tabs.length ? h('nav', { class: 'tabs', 'aria-label': 'Program sections' },
      tabs.map(([k, text]) => h('a', {
        href: `#/programs/${id}/${k}`, class: k === tab ? 'tab active' : 'tab',
        'aria-current': k === tab ? 'page' : null, dataset: { tab: k },
      }, text))) : null,
    panel);
  if (!panel) return;
  // A read the API refuses while this tab shows: one clear message in place
  // of the half-built view, and ask again about access next time.
  setForbiddenHandler((err) => {
    if (!ctx.isCurrent()) return;
    forgetProbes();
    clear(panel, accessDenied(err, { title: `You do not have access to “${label}” in this program.` }));
  });
  await RENDER[tab]({ ...ctx, panel, program, role, access: access.level, staff: access.level === 'manage' });
}
