// app.js - the entry point: session, header, and a small hash router.
//   #/login                       sign in
//   #/programs                    the programs list
//   #/programs/ID[/TAB]           a program (overview, members, matching,
//                                 alerts, pairs, mentors, requests)
import { api, setCsrf, setUnauthenticatedHandler, setForbiddenHandler, forgetProbes } from './js/api.js';
import { h, clear } from './js/dom.js';
import { renderLogin } from './js/login.js';
import { renderPrograms } from './js/programs.js';
import { renderProgram } from './js/program.js';

const main = document.getElementById('main');
const userBox = document.getElementById('user-box');
export const session = { user: null, csrf: null, notice: null };

function setSession(data) {
  const user = data ? data.user : null;
  // What the last user could see (probed routes) says nothing about the next.
  if (session.user?.id !== user?.id) forgetProbes();
  session.user = user;
  session.csrf = data ? data.csrf_token : null;
  setCsrf(session.csrf);
  renderUserBox();
}

function renderUserBox() {
  if (!session.user) { userBox.replaceChildren(); return; }
  const u = session.user;
  clear(userBox,
    h('span', { class: 'user-name' }, u.name || u.email),
    h('span', { class: `role-chip role-${u.role}` }, u.role),
    h('button', { type: 'button', class: 'btn btn-ghost', id: 'sign-out', onclick: signOut }, 'Sign out'));
}

async function signOut() {
  try { await api('POST', '/api/v1/auth/logout', { quiet401: true }); } catch { /* already signed out */ }
  setSession(null);
  session.notice = 'You are signed out.';
  go('#/login');
}

export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

setUnauthenticatedHandler(() => {
  if (!session.user) return;
  setSession(null);
  session.notice = 'Your session has ended. Please sign in again.';
  go('#/login');
});

let routeSeq = 0;
async function route() {
  const seq = ++routeSeq;
  setForbiddenHandler(null); // the view that listened is going away
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (!session.user && parts[0] !== 'login') {
    try {
      setSession(await api('GET', '/api/v1/auth/me', { quiet401: true }));
    } catch {
      go('#/login');
      return;
    }
  }
  if (seq !== routeSeq) return;
  const ctx = { session, go, main, isCurrent: () => seq === routeSeq };
  document.body.dataset.view = parts[0] || 'programs';
  if (parts[0] === 'login') {
    if (session.user) { go('#/programs'); return; }
    const notice = session.notice;
    session.notice = null;
    renderLogin(ctx, notice, async (data) => {
      setSession(data);
      go('#/programs');
    });
  } else if (parts[0] === 'programs' && parts[1]) {
    await renderProgram(ctx, Number(parts[1]), parts[2]);
  } else {
    await renderPrograms(ctx);
  }
}

window.addEventListener('hashchange', route);
route();
export { main };
