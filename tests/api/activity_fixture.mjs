// Shared set-up for the sessions, goals and assessments tests: one program
// with a manager, two mentors, two mentees (each with a signed-in account)
// and two active pairs made by hand, plus an outsider manager of another
// program and a viewer.  The clock is pinned so dates are predictable.
import { startServer, userWithRole } from './helpers.mjs';

export const NOW = '2025-03-10T12:00:00Z';
export const TODAY = '2025-03-10';

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
}

export async function person(server, name) {
  const body = await must(await server.admin.post('/api/v1/people', {
    name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}@example.com`,
  }), 201, `person ${name}`);
  return body.id;
}

export async function membership(server, program, personId, role, extra = {}) {
  const body = await must(await server.admin.post(`/api/v1/programs/${program}/memberships`,
    { person_id: personId, role, ...extra }), 201, `membership ${role}`);
  return body.id;
}

export async function pair(server, program, mentorMs, menteeMs, extra = {}) {
  return must(await server.admin.post(`/api/v1/programs/${program}/pairs`,
    { mentor_membership_id: mentorMs, mentee_membership_id: menteeMs, ...extra }), 201, 'pair');
}

// A participant: person, membership, linked account and signed-in client.
export async function participant(server, program, role, name, extra = {}) {
  const id = await person(server, name);
  const ms = await membership(server, program, id, role, extra);
  const c = await userWithRole(server, role, { person: id });
  return { person: id, membership: ms, client: c };
}

export async function setup({ settings = {} } = {}) {
  const server = await startServer({ env: { MENTORTRACK_NOW: NOW } });
  const program = (await must(await server.admin.post('/api/v1/programs', {
    name: `Activity ${unique()}`, status: 'running', settings,
  }), 201, 'program')).id;
  const other = (await must(await server.admin.post('/api/v1/programs', {
    name: `Other ${unique()}`, status: 'running',
  }), 201, 'program')).id;
  const manager = await userWithRole(server, 'manager');
  await must(await server.admin.post(`/api/v1/programs/${program}/managers`, { user_id: manager.id }), 201, 'manager');
  const outsider = await userWithRole(server, 'manager');
  await must(await server.admin.post(`/api/v1/programs/${other}/managers`, { user_id: outsider.id }), 201, 'outsider');
  const viewer = await userWithRole(server, 'viewer');

  const skill = (await must(await server.admin.post('/api/v1/skills', { name: `Negotiation ${unique()}` }), 201, 'skill'));
  const mentor = await participant(server, program, 'mentor', 'Mia Mentor');
  const mentee = await participant(server, program, 'mentee', 'Max Mentee',
    { skills: [{ skill: skill.name, level: 2 }] });
  const mentor2 = await participant(server, program, 'mentor', 'Nora Mentor');
  const mentee2 = await participant(server, program, 'mentee', 'Nils Mentee');
  const p1 = await pair(server, program, mentor.membership, mentee.membership);
  const p2 = await pair(server, program, mentor2.membership, mentee2.membership);
  return { server, program, other, manager, outsider, viewer, skill, mentor, mentee, mentor2, mentee2, p1, p2 };
}
