// Memberships: added by managers, self-registration, skills and the skills
// catalogue, questionnaire answers, who sees and changes which membership,
// list filters, sorting and pagination.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, userWithRole, expectError, createPerson, participant } from './helpers.mjs';

const QUESTIONNAIRE = [
  { key: 'team_size', label: 'Team size', type: 'number', required: true, min: 1, max: 500 },
  { key: 'track', label: 'Track', type: 'choice', options: ['eng', 'sales'] },
  { key: 'langs', label: 'Languages', type: 'multi', options: ['en', 'fr', 'de'] },
  { key: 'bio', label: 'Bio', type: 'text' },
];

let server, admin, manager, viewer, prog;
before(async () => {
  server = await startServer();
  admin = server.admin;
  [manager, viewer] = await Promise.all([userWithRole(server, 'manager'), userWithRole(server, 'viewer')]);
  prog = (await admin.post('/api/v1/programs', { name: 'Mentoring 2025', status: 'open', questionnaire: QUESTIONNAIRE })).body;
  await admin.post(`/api/v1/programs/${prog.id}/managers`, { user_id: manager.id });
});
after(async () => { await server.stop(); });

const MS = () => `/api/v1/programs/${prog.id}/memberships`;

test('a manager adds a mentor with skills, goals and answers', async () => {
  const p = await createPerson(server, { name: 'Mentor One', department: 'Eng' });
  const res = await manager.post(MS(), {
    person_id: p.id, role: 'mentor', capacity: 3, years_experience: 12, goals: 'Share what I know',
    goal_areas: ['promotion', 'new_skill'], skills: [{ skill: 'Go', level: 5 }, { skill: 'Leadership' }],
    answers: { team_size: 8, track: 'eng', langs: ['en', 'fr'], bio: 'Hi' }, joined_on: '2025-01-15',
  });
  assert.equal(res.status, 201, res.text);
  const m = res.body;
  assert.equal(m.program_id, prog.id);
  assert.equal(m.person_id, p.id);
  assert.equal(m.person_name, 'Mentor One');
  assert.equal(m.department, 'Eng');
  assert.equal(m.role, 'mentor');
  assert.equal(m.status, 'active');
  assert.equal(m.capacity, 3);
  assert.equal(m.years_experience, 12);
  assert.deepEqual(m.goal_areas.sort(), ['new_skill', 'promotion']);
  assert.deepEqual(m.skills, [{ skill: 'Go', level: 5 }, { skill: 'Leadership', level: 3 }]);
  assert.deepEqual(m.answers, { bio: 'Hi', langs: ['en', 'fr'], team_size: 8, track: 'eng' });
  assert.equal(m.joined_on, '2025-01-15');
  assert.deepEqual((await manager.get(`/api/v1/memberships/${m.id}`)).body, m);
  // The same person may also be a mentee in the same program, but not twice a mentor.
  assert.equal((await manager.post(MS(), { person_id: p.id, role: 'mentee', answers: { team_size: 8 } })).status, 201);
  expectError(assert, await manager.post(MS(), { person_id: p.id, role: 'mentor' }), 409, 'person_id');
  // A mentee has no capacity; a mentor defaults to 1.
  const q = await createPerson(server);
  const mentor = await manager.post(MS(), { person_id: q.id, role: 'mentor' });
  assert.equal(mentor.body.capacity, 1);
});

test('create: every validation error names its field', async () => {
  const p = await createPerson(server);
  const ok = { person_id: p.id, role: 'mentee', answers: { team_size: 3 } };
  const cases = [
    [{ role: 'mentee' }, 'person_id'],
    [{ ...ok, person_id: 'me' }, 'person_id'],
    [{ ...ok, person_id: 99999 }, 'person_id'],
    [{ person_id: p.id }, 'role'],
    [{ ...ok, role: 'coach' }, 'role'],
    [{ ...ok, capacity: 2 }, 'capacity'],
    [{ ...ok, role: 'mentor', capacity: 0 }, 'capacity'],
    [{ ...ok, role: 'mentor', capacity: 21 }, 'capacity'],
    [{ ...ok, years_experience: -1 }, 'years_experience'],
    [{ ...ok, years_experience: 61 }, 'years_experience'],
    [{ ...ok, goals: 5 }, 'goals'],
    [{ ...ok, goal_areas: 'promotion' }, 'goal_areas'],
    [{ ...ok, goal_areas: ['fame'] }, 'goal_areas'],
    [{ ...ok, skills: 'Go' }, 'skills'],
    [{ ...ok, skills: ['Go'] }, 'skills[0]'],
    [{ ...ok, skills: [{ level: 2 }] }, 'skills[0]'],
    [{ ...ok, skills: [{ skill: 'Go', level: 4 }, { skill: 'Rust', level: 6 }] }, 'skills[1]'],
    [{ ...ok, skills: [{ skill: 'Go', level: 0 }] }, 'skills[0]'],
    [{ ...ok, skills: [{ skill: '  ' }] }, 'skills[0]'],
    [{ ...ok, status: 'retired' }, 'status'],
    [{ ...ok, joined_on: '2025-02-30' }, 'joined_on'],
    [{ ...ok, left_on: 'tomorrow' }, 'left_on'],
    [{ ...ok, joined_on: '2025-03-01', left_on: '2025-02-01' }, 'left_on'],
    [{ ...ok, mood: 'happy' }, 'mood'],
  ];
  for (const [body, field] of cases) expectError(assert, await manager.post(MS(), body), 422, field);
  expectError(assert, await manager.post(`/api/v1/programs/99999/memberships`, ok), 404);
  const list = await manager.get(`${MS()}?q=${encodeURIComponent(p.email)}`);
  assert.equal(list.body.total, 0, 'no failed request created a membership');
});

test('questionnaire answers are checked against the program fields', async () => {
  const p = await createPerson(server);
  const post = (answers) => manager.post(MS(), { person_id: p.id, role: 'mentee', answers });
  const cases = [
    [[], 'answers', /object/],
    [{}, 'answers.team_size', /required|answer/i],
    [{ team_size: null }, 'answers.team_size', /required|answer/i],
    [{ team_size: 0 }, 'answers.team_size', /0 is out of range; use a number from 1 to 500/],
    [{ team_size: 501 }, 'answers.team_size', /out of range/],
    [{ team_size: '5' }, 'answers.team_size', /must be a number/],
    [{ team_size: 5, track: 'hr' }, 'answers.track', /"hr" is not an option; use eng or sales/],
    [{ team_size: 5, track: ['eng'] }, 'answers.track', /./],
    [{ team_size: 5, langs: 'en' }, 'answers.langs', /./],
    [{ team_size: 5, langs: ['en', 'en'] }, 'answers.langs', /listed twice/],
    [{ team_size: 5, langs: ['es'] }, 'answers.langs', /not an option/],
    [{ team_size: 5, bio: 42 }, 'answers.bio', /./],
    [{ team_size: 5, shoe_size: 44 }, 'answers.shoe_size', /not a field of this program's questionnaire/],
  ];
  for (const [answers, field, message] of cases) {
    const err = expectError(assert, await post(answers), 422, field);
    assert.match(err.message, message, JSON.stringify(answers));
  }
  const ok = await post({ team_size: 5, langs: [], track: null });
  assert.equal(ok.status, 201, ok.text);
});

test('self-registration into an open program', async () => {
  const mentee = await participant(server, 'mentee', { name: 'Reggie Registrant' });
  const res = await mentee.post(`/api/v1/programs/${prog.id}/register`, {
    role: 'mentee', answers: { team_size: 4, track: 'sales' }, skills: [{ skill: 'Negotiation', level: 2 }],
    goal_areas: ['performance'], goals: 'Close bigger deals',
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.person_id, mentee.person.id);
  assert.equal(res.body.status, 'active');
  assert.deepEqual(res.body.skills, [{ skill: 'Negotiation', level: 2 }]);
  expectError(assert, await mentee.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee', answers: { team_size: 4 } }), 409, 'person_id');
  // Registering as a mentor too is a second membership.
  const asMentor = await mentee.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentor', capacity: 2, answers: { team_size: 4 } });
  assert.equal(asMentor.status, 201);
  assert.equal(asMentor.body.capacity, 2);

  // Validation, including the questionnaire's required question.
  const fresh = await participant(server, 'mentor');
  const reg = (body, id = prog.id) => fresh.post(`/api/v1/programs/${id}/register`, body);
  expectError(assert, await reg({ answers: { team_size: 4 } }), 422, 'role');
  expectError(assert, await reg({ role: 'boss', answers: { team_size: 4 } }), 422, 'role');
  expectError(assert, await reg({ role: 'mentor' }), 422, 'answers.team_size');
  expectError(assert, await reg({ role: 'mentor', answers: {} }), 422, 'answers.team_size');
  expectError(assert, await reg({ role: 'mentor', answers: { team_size: 4, track: 'x' } }), 422, 'answers.track');
  expectError(assert, await reg({ role: 'mentor', status: 'active', answers: { team_size: 4 } }), 422, 'status');
  expectError(assert, await reg({ role: 'mentor', person_id: 1, answers: { team_size: 4 } }), 422, 'person_id');
  expectError(assert, await reg({ role: 'mentee', capacity: 2, answers: { team_size: 4 } }), 422, 'capacity');
  expectError(assert, await reg({ role: 'mentor' }, 99999), 404);

  // Only open programs, only accounts linked to a person, never viewers.
  for (const status of ['draft', 'running', 'closed']) {
    const p = (await admin.post('/api/v1/programs', { name: `Not open ${status}`, status })).body;
    const err = expectError(assert, await reg({ role: 'mentor' }, p.id), 409);
    assert.match(err.message, new RegExp(`is ${status}, not open`));
  }
  const unlinked = await userWithRole(server, 'mentee');
  const err = expectError(assert, await unlinked.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee', answers: { team_size: 1 } }), 409);
  assert.match(err.message, /not linked to a person/);
  expectError(assert, await viewer.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee' }), 403);
  expectError(assert, await client(server).post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee' }), 401);
});

test('self-registration waits for approval when the program asks for it', async () => {
  const p = (await admin.post('/api/v1/programs', { name: 'Approval needed', status: 'open', settings: { approve_registrations: true } })).body;
  const mentee = await participant(server, 'mentee');
  const res = await mentee.post(`/api/v1/programs/${p.id}/register`, { role: 'mentee' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.status, 'pending');
  const approved = await admin.patch(`/api/v1/memberships/${res.body.id}`, { status: 'active' });
  assert.equal(approved.body.status, 'active');
});

test('who sees and changes a membership', async () => {
  const mentor = await participant(server, 'mentor');
  const mentee = await participant(server, 'mentee');
  const stranger = await participant(server, 'mentee');
  const mine = (await mentee.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee', answers: { team_size: 2 } })).body;
  const theirs = (await mentor.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentor', answers: { team_size: 2 } })).body;
  await stranger.post(`/api/v1/programs/${prog.id}/register`, { role: 'mentee', answers: { team_size: 2 } });

  // Reading: the member, managers of the program and admins.
  assert.equal((await mentee.get(`/api/v1/memberships/${mine.id}`)).status, 200);
  assert.equal((await manager.get(`/api/v1/memberships/${mine.id}`)).status, 200);
  assert.equal((await admin.get(`/api/v1/memberships/${mine.id}`)).status, 200);
  expectError(assert, await stranger.get(`/api/v1/memberships/${mine.id}`), 404);
  expectError(assert, await mentor.get(`/api/v1/memberships/${mine.id}`), 404);
  expectError(assert, await mentee.get(`/api/v1/memberships/${theirs.id}`), 404);
  expectError(assert, await mentee.get('/api/v1/memberships/99999'), 404);
  expectError(assert, await viewer.get(`/api/v1/memberships/${mine.id}`), 403);
  const otherManager = await userWithRole(server, 'manager');
  expectError(assert, await otherManager.get(`/api/v1/memberships/${mine.id}`), 404);

  // Listing: participants see only their own rows.
  const list = await mentor.get(MS());
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((m) => m.id), [theirs.id]);
  assert.equal(list.body.total, 1);
  assert.deepEqual((await mentee.get(MS())).body.items.map((m) => m.id), [mine.id]);
  assert.ok((await manager.get(MS())).body.total >= 3);
  expectError(assert, await otherManager.get(MS()), 403); // a manager of another program
  expectError(assert, await viewer.get(MS()), 403);
  expectError(assert, await mentee.get('/api/v1/programs/99999/memberships'), 404);

  // Changing: the member changes profile fields, never the status.
  const patched = await mentee.patch(`/api/v1/memberships/${mine.id}`, {
    goals: 'Learn SQL', years_experience: 2, skills: [{ skill: 'SQL', level: 1 }], goal_areas: ['new_skill'],
    answers: { team_size: 3, bio: 'New here' },
  });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.goals, 'Learn SQL');
  assert.deepEqual(patched.body.skills, [{ skill: 'SQL', level: 1 }]);
  assert.deepEqual(patched.body.answers, { bio: 'New here', team_size: 3 });
  const untouched = await mentee.patch(`/api/v1/memberships/${mine.id}`, { goals: 'Learn more SQL' });
  assert.deepEqual(untouched.body.skills, [{ skill: 'SQL', level: 1 }], 'skills stay when not given');
  for (const field of ['status', 'joined_on', 'left_on']) {
    const err = expectError(assert, await mentee.patch(`/api/v1/memberships/${mine.id}`, { [field]: field === 'status' ? 'left' : '2025-01-01' }), 403, field);
    assert.match(err.message, new RegExp(field));
  }
  expectError(assert, await mentee.patch(`/api/v1/memberships/${mine.id}`, { role: 'mentor' }), 422, 'role');
  expectError(assert, await mentee.patch(`/api/v1/memberships/${mine.id}`, { capacity: 2 }), 422, 'capacity');
  expectError(assert, await mentee.patch(`/api/v1/memberships/${mine.id}`, { answers: { team_size: 0 } }), 422, 'answers.team_size');
  expectError(assert, await mentee.patch(`/api/v1/memberships/${mine.id}`, { years_experience: 'many' }), 422, 'years_experience');
  expectError(assert, await stranger.patch(`/api/v1/memberships/${mine.id}`, { goals: 'hijack' }), 404);
  assert.equal((await mentor.patch(`/api/v1/memberships/${theirs.id}`, { capacity: 4 })).body.capacity, 4);

  // A manager of the program changes the status and dates.
  const ended = await manager.patch(`/api/v1/memberships/${mine.id}`, { status: 'left', joined_on: '2025-01-01', left_on: '2025-06-30' });
  assert.equal(ended.status, 200, ended.text);
  assert.equal(ended.body.status, 'left');
  assert.equal(ended.body.left_on, '2025-06-30');
  expectError(assert, await manager.patch(`/api/v1/memberships/${mine.id}`, { status: 'gone' }), 422, 'status');
  expectError(assert, await manager.patch(`/api/v1/memberships/${mine.id}`, { left_on: '2024-01-01' }), 422, 'left_on');
  expectError(assert, await otherManager.patch(`/api/v1/memberships/${mine.id}`, { status: 'active' }), 404);
  expectError(assert, await manager.patch('/api/v1/memberships/99999', { goals: 'x' }), 404);

  // Adding members is for the program's managers only.
  const p = await createPerson(server);
  for (const who of [mentee, viewer, otherManager]) {
    expectError(assert, await who.post(MS(), { person_id: p.id, role: 'mentee' }), 403);
  }
});

test('list: filters, sorting and pagination', async () => {
  const p = (await admin.post('/api/v1/programs', { name: 'Listing program' })).body;
  const url = `/api/v1/programs/${p.id}/memberships`;
  const rows = [
    ['Dora Dev', 'Eng', 'mentor', 'active', [{ skill: 'Python', level: 4 }]],
    ['Abe Sales', 'Sales', 'mentee', 'active', [{ skill: 'Python', level: 2 }]],
    ['Cleo Eng', 'Eng', 'mentee', 'pending', [{ skill: 'Kotlin', level: 1 }]],
    ['Bo Ops', 'Ops', 'mentor', 'paused', []],
  ];
  for (const [name, department, role, status, skills] of rows) {
    const person = await createPerson(server, { name, department });
    const res = await admin.post(url, { person_id: person.id, role, status, skills });
    assert.equal(res.status, 201, res.text);
  }
  const names = async (qs) => {
    const res = await admin.get(`${url}?${qs}`);
    assert.equal(res.status, 200, res.text);
    return res.body.items.map((m) => m.person_name);
  };
  assert.deepEqual(await names(''), ['Dora Dev', 'Abe Sales', 'Cleo Eng', 'Bo Ops']);
  assert.deepEqual(await names('sort=name'), ['Abe Sales', 'Bo Ops', 'Cleo Eng', 'Dora Dev']);
  assert.deepEqual(await names('sort=-name'), ['Dora Dev', 'Cleo Eng', 'Bo Ops', 'Abe Sales']);
  assert.deepEqual(await names('role=mentor&sort=name'), ['Bo Ops', 'Dora Dev']);
  assert.deepEqual(await names('status=pending'), ['Cleo Eng']);
  assert.deepEqual(await names('department=Eng&sort=name'), ['Cleo Eng', 'Dora Dev']);
  assert.deepEqual(await names('skill=Python&sort=name'), ['Abe Sales', 'Dora Dev']);
  assert.deepEqual(await names('q=Ops'), ['Bo Ops']);
  assert.deepEqual(await names('role=mentee&department=Sales'), ['Abe Sales']);
  const page = await admin.get(`${url}?sort=name&limit=2&offset=1`);
  assert.deepEqual(page.body.items.map((m) => m.person_name), ['Bo Ops', 'Cleo Eng']);
  assert.deepEqual([page.body.total, page.body.limit, page.body.offset], [4, 2, 1]);
  expectError(assert, await admin.get(`${url}?limit=1000`), 400, 'limit');
  expectError(assert, await admin.get(`${url}?offset=-1`), 400, 'offset');
  expectError(assert, await admin.get(`${url}?sort=age`), 400, 'sort');
});

test('skills: the catalogue collects skills from memberships; staff add skills', async () => {
  const created = await manager.post('/api/v1/skills', { name: 'Public speaking', category: 'soft' });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, { id: created.body.id, name: 'Public speaking', category: 'soft' });
  expectError(assert, await admin.post('/api/v1/skills', { name: 'Public speaking' }), 409, 'name');
  expectError(assert, await admin.post('/api/v1/skills', {}), 422, 'name');
  expectError(assert, await admin.post('/api/v1/skills', { name: '' }), 422, 'name');
  expectError(assert, await admin.post('/api/v1/skills', { name: 'x'.repeat(101) }), 422, 'name');
  expectError(assert, await admin.post('/api/v1/skills', { name: 'Y', category: 3 }), 422, 'category');
  expectError(assert, await admin.post('/api/v1/skills', { name: 'Y', level: 3 }), 422, 'level');
  const mentee = await participant(server, 'mentee');
  expectError(assert, await mentee.post('/api/v1/skills', { name: 'Z' }), 403);
  expectError(assert, await viewer.post('/api/v1/skills', { name: 'Z' }), 403);

  // Skills named on memberships join the catalogue with mentor / mentee counts.
  const p = (await admin.post('/api/v1/programs', { name: 'Skills program' })).body;
  const [a, b, c] = await Promise.all([createPerson(server), createPerson(server), createPerson(server)]);
  await admin.post(`/api/v1/programs/${p.id}/memberships`, { person_id: a.id, role: 'mentor', skills: [{ skill: 'Haskell', level: 5 }] });
  await admin.post(`/api/v1/programs/${p.id}/memberships`, { person_id: b.id, role: 'mentee', skills: [{ skill: 'Haskell', level: 1 }] });
  await admin.post(`/api/v1/programs/${p.id}/memberships`, { person_id: c.id, role: 'mentee', skills: [{ skill: 'Haskell', level: 2 }, { skill: 'Elm' }] });
  const list = await viewer.get('/api/v1/skills?q=askell');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.deepEqual({ ...list.body.items[0], id: 0 }, { id: 0, name: 'Haskell', category: '', mentors: 1, mentees: 2 });
  const soft = await mentee.get('/api/v1/skills?category=soft');
  assert.deepEqual(soft.body.items.map((s) => s.name), ['Public speaking']);
  const all = await viewer.get('/api/v1/skills');
  const sorted = all.body.items.map((s) => s.name);
  assert.deepEqual(sorted, [...sorted].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), 'default order is by name');
  const byMentees = await viewer.get('/api/v1/skills?sort=-mentees&limit=1');
  assert.equal(byMentees.body.items[0].name, 'Haskell');
  assert.equal(byMentees.body.limit, 1);
  assert.ok(byMentees.body.total >= 3);
  const second = await viewer.get('/api/v1/skills?sort=name&limit=1&offset=1');
  assert.equal(second.body.items[0].name, sorted[1]);
  expectError(assert, await viewer.get('/api/v1/skills?limit=-1'), 400, 'limit');
  expectError(assert, await viewer.get('/api/v1/skills?sort=popularity'), 400, 'sort');
  expectError(assert, await client(server).get('/api/v1/skills'), 401);
});
