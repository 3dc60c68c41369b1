// participant.js - what mentors and mentees see: their own pairs, for
// mentees the recommended mentors with reasons and a request button, for
// mentors the requests made to them with Accept / Decline.
import { api } from './api.js';
import { h, clear, spinner, errorBox, emptyState, badge, fmtDate, busy, toast, askDialog, plural } from './dom.js';
import { reasonList, scoreBadge } from './matching.js';

const partner = (p, me) => (p.mentor_person_id === me ? { name: p.mentee_name, role: 'mentee' } : { name: p.mentor_name, role: 'mentor' });

export async function renderMyPairs(ctx) {
  const { panel, program, session } = ctx;
  clear(panel, spinner('Loading your pairs…'));
  let page;
  try {
    page = await api('GET', `/api/v1/programs/${program.id}/pairs`, { query: { limit: 100, sort: '-proposed_on' } });
  } catch (err) {
    clear(panel, errorBox(err, { title: 'Could not load your pairs.' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const me = session.user.person_id;
  clear(panel, h('section', { 'aria-labelledby': 'my-pairs-title' },
    h('h2', { id: 'my-pairs-title', class: 'section-title' }, 'My pairs'),
    page.items.length
      ? h('div', { class: 'pair-grid' }, page.items.map((p) => {
        const other = partner(p, me);
        return h('article', { class: 'card pair-card', dataset: { pair: p.id } },
          h('div', { class: 'pair-head' },
            h('div', {}, h('p', { class: 'muted small' }, `Your ${other.role}`), h('h3', {}, other.name)),
            badge(p.status === 'proposed' && p.source === 'request' ? 'requested' : p.status, p.status)),
          h('p', { class: 'muted small' },
            p.started_on ? `Since ${fmtDate(p.started_on)}` : `Proposed ${fmtDate(p.proposed_on)}`,
            p.ended_on ? ` · ended ${fmtDate(p.ended_on)}` : ''),
          h('details', { class: 'why' }, h('summary', {}, 'Why this pairing'), reasonList(p.reasons)));
      }))
      : emptyState('You have no pairs in this program yet.', ctx.role === 'mentee' ? 'Open “Find a mentor” to see who suits you and send a request.' : ctx.role === 'mentor' ? 'When a mentee asks you, the request appears under “Requests”.' : null)));
}

export async function renderRecommendations(ctx) {
  const { panel, program } = ctx;
  clear(panel, spinner('Finding mentors for you…'));
  let recs, mine;
  try {
    [recs, mine] = await Promise.all([
      api('GET', `/api/v1/programs/${program.id}/recommendations`),
      api('GET', `/api/v1/programs/${program.id}/pairs`, { query: { limit: 100 } }),
    ]);
  } catch (err) {
    clear(panel, errorBox(err, { title: 'Could not load recommendations.' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const asked = new Set(mine.items.filter((p) => p.status === 'proposed' || p.status === 'active').map((p) => p.mentor_membership_id));
  const err = h('div', { class: 'form-error', role: 'alert' });
  clear(panel, h('section', { 'aria-labelledby': 'recs-title' },
    h('h2', { id: 'recs-title', class: 'section-title' }, 'Recommended mentors'),
    h('p', { class: 'muted' }, 'The mentors who suit you best, with the reasons. Ask one; they accept or decline.'),
    err,
    recs.items.length
      ? h('ol', { class: 'rec-list' }, recs.items.map((r, i) => {
        const btn = h('button', { type: 'button', class: 'btn btn-primary' }, 'Request this mentor');
        const markAsked = () => {
          btn.disabled = true;
          btn.textContent = 'Requested';
          btn.setAttribute('aria-label', `Requested ${r.mentor_name}`);
        };
        btn.setAttribute('aria-label', `Request ${r.mentor_name} as your mentor`);
        if (asked.has(r.mentor_membership_id)) markAsked();
        btn.addEventListener('click', async () => {
          err.replaceChildren();
          const ok = await askDialog({ title: `Ask ${r.mentor_name} to mentor you?`, text: 'They will see your request and can accept or decline it.', confirm: 'Send request' });
          if (!ok) return;
          await busy(btn, 'Sending…', async () => {
            try {
              await api('POST', `/api/v1/programs/${program.id}/requests`, { body: { mentor_membership_id: r.mentor_membership_id } });
              asked.add(r.mentor_membership_id);
              toast(`Request sent to ${r.mentor_name}.`);
            } catch (e) { clear(err, errorBox(e, { title: 'The request was not sent.' })); }
          });
          if (asked.has(r.mentor_membership_id)) markAsked();
        });
        return h('li', { class: 'card rec-card', dataset: { mentor: r.mentor_membership_id } },
          h('div', { class: 'pair-head' },
            h('div', {}, h('span', { class: 'rank' }, `#${i + 1}`), h('h3', {}, r.mentor_name)),
            scoreBadge(r.score)),
          reasonList(r.reasons),
          h('div', { class: 'button-row' }, btn));
      }))
      : emptyState('No mentor fits right now.', 'Every mentor is full or no one matches your profile yet; check back later.')));
}

export async function renderRequests(ctx) {
  const { panel, program, session } = ctx;
  clear(panel, spinner('Loading requests…'));
  let page;
  try {
    page = await api('GET', `/api/v1/programs/${program.id}/pairs`, { query: { status: 'proposed', source: 'request', limit: 100 } });
  } catch (err) {
    clear(panel, errorBox(err, { title: 'Could not load requests.' }));
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = page.items.filter((p) => p.mentor_person_id === session.user.person_id);
  const err = h('div', { class: 'form-error', role: 'alert' });
  const act = (p, verb) => async (e) => {
    let body;
    if (verb === 'decline') {
      const a = await askDialog({ title: `Decline ${p.mentee_name}’s request?`, fields: [{ name: 'reason', label: 'Reason (optional, shared with the program manager)', type: 'textarea' }], confirm: 'Decline', danger: true });
      if (!a) return;
      if (a.reason) body = { reason: a.reason };
    }
    await busy(e.target, null, async () => {
      try {
        await api('POST', `/api/v1/pairs/${p.id}/${verb}`, { body });
        toast(verb === 'approve' ? `You are now mentoring ${p.mentee_name}.` : 'Request declined.');
        await renderRequests(ctx);
      } catch (x) { clear(err, errorBox(x)); }
    });
  };
  clear(panel, h('section', { 'aria-labelledby': 'req-title' },
    h('h2', { id: 'req-title', class: 'section-title' }, 'Requests from mentees'),
    err,
    items.length
      ? h('div', { class: 'pair-grid' }, items.map((p) => h('article', { class: 'card pair-card', dataset: { pair: p.id } },
        h('div', { class: 'pair-head' }, h('div', {}, h('p', { class: 'muted small' }, `Asked ${fmtDate(p.proposed_on)}`), h('h3', {}, p.mentee_name)), scoreBadge(p.score)),
        reasonList(p.reasons),
        h('div', { class: 'button-row' },
          h('button', { type: 'button', class: 'btn btn-success', onclick: act(p, 'approve'), 'aria-label': `Accept ${p.mentee_name}` }, 'Accept'),
          h('button', { type: 'button', class: 'btn btn-danger-ghost', onclick: act(p, 'decline'), 'aria-label': `Decline ${p.mentee_name}` }, 'Decline')))))
      : emptyState('No open requests.', `When a mentee asks you to mentor them, it appears here. ${plural(0, 'request')} waiting.`)));
}
