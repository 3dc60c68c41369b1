// CSV import over the API: people and memberships, dry runs, messy HR
// exports, every problem reported by line and column, all or nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, userWithRole, expectError } from './helpers.mjs';

let server, admin, manager, prog;
before(async () => {
  server = await startServer();
  admin = server.admin;
  manager = await userWithRole(server, 'manager');
  prog = (await admin.post('/api/v1/programs', {
    name: 'Import program', questionnaire: [{ key: 'team_size', label: 'Team size', type: 'number', min: 1, max: 50 },
      { key: 'track', label: 'Track', type: 'choice', options: ['eng', 'sales'] }],
  })).body;
  await admin.post(`/api/v1/programs/${prog.id}/managers`, { user_id: manager.id });
});
after(async () => { await server.stop(); });

const importPeople = (csv, qs = '') => admin.post(`/api/v1/people/import${qs}`, csv, { raw: true });
const importMembers = (csv, qs = '', who = admin) => who.post(`/api/v1/programs/${prog.id}/memberships/import${qs}`, csv, { raw: true });
const people = async () => (await admin.get('/api/v1/people?sort=email&limit=500')).body;
const members = async () => (await admin.get(`/api/v1/programs/${prog.id}/memberships?sort=email&limit=500`)).body;
const strip = (page) => page.items.map(({ updated_at, created_at, ...rest }) => rest);

const MESSY = '\uFEFFE-mail,Full Name,Dept,Office,Level,Hire Date,Reports To,Gender,Favourite colour\r\n'
  + 'ana@example.com,"Ana ""Nan"" Núñez",Engineering,São Paulo,3,2019-04-01,,f,blue\r\n'
  + 'bo@example.com,"Bo\r\nMultiline",Sales,Zürich,5,2020-01-15,ana@example.com,,green\r\n'
  + 'chen@example.com,陈伟,Engineering,北京,2,2021-07-30,ana@example.com,m,\r\n';

test('people: a messy HR export (BOM, CRLF, quotes, newlines, non-ASCII) imports, dry run first', async () => {
  const dry = await importPeople(MESSY, '?dry_run=true');
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.body, {
    rows: 3, created: 3, updated: 0, dry_run: true,
    warnings: ['line 1, column Favourite colour: unknown column; ignored'],
  });
  assert.equal((await people()).total, 0, 'a dry run changes nothing');

  const res = await importPeople(MESSY);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual({ ...res.body, warnings: undefined }, { rows: 3, created: 3, updated: 0, dry_run: false, warnings: undefined });
  const list = (await people()).items;
  assert.deepEqual(list.map((p) => p.email), ['ana@example.com', 'bo@example.com', 'chen@example.com']);
  const [ana, bo, chen] = list;
  assert.equal(ana.name, 'Ana "Nan" Núñez');
  assert.equal(ana.location, 'São Paulo');
  assert.equal(ana.seniority, 3);
  assert.equal(ana.hire_date, '2019-04-01');
  assert.deepEqual(ana.demographics, { gender: 'f' });
  assert.match(bo.name, /^Bo\s+Multiline$/);
  assert.equal(bo.manager_email, 'ana@example.com');
  assert.equal(chen.name, '陈伟');
  assert.equal(chen.location, '北京');
  assert.equal(chen.manager_id, ana.id);
});

test('people: re-importing updates by email instead of duplicating', async () => {
  const before = (await people()).total;
  const res = await importPeople('email,name,department,seniority\nANA@example.com,Ana Núñez,Research,4\nnew@example.com,New Person,Ops,1\n');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.created, 1);
  assert.equal(res.body.updated, 1);
  const after = await people();
  assert.equal(after.total, before + 1);
  const ana = after.items.find((p) => p.email === 'ana@example.com');
  assert.equal(ana.name, 'Ana Núñez');
  assert.equal(ana.department, 'Research');
  assert.equal(ana.seniority, 4);
  assert.equal(after.items.filter((p) => p.email === 'ana@example.com').length, 1);
});

test('people: a bad file reports every problem by line and column and imports nothing', async () => {
  const before = strip(await people());
  const csv = 'email,name,seniority,hire date,opt in\n'
    + 'dup@example.com,First,3,2020-01-01,yes\n'
    + 'dup@example.com,Second,abc,2020-02-30,yes\n'
    + 'third@example.com,"Third\nPerson",zz,,\n'
    + 'not-an-email,Fourth,12,,maybe\n'
    + ',Fifth,1,,\n'
    + 'ok@example.com,,1,,\n'
    + 'ana@example.com,Ana Again,1,,\n'
    + '"unterminated,Sixth,1,,\n';
  const res = await importPeople(csv);
  const err = expectError(assert, res, 422);
  assert.equal(err.code, 'invalid_csv');
  assert.deepEqual(err.details, [
    'line 3, column email: dup@example.com is also on line 2; each email may appear once',
    'line 3, column seniority: "abc" is not a whole number; use 1 to 10',
    'line 3, column hire date: "2020-02-30" is not a real date; use YYYY-MM-DD',
    'line 4, column seniority: "zz" is not a whole number; use 1 to 10',
    'line 6, column email: "not-an-email" is not a valid email address; use name@example.com',
    'line 6, column seniority: 12 is out of range; use 1 to 10',
    'line 6, column opt in: "maybe" is not yes or no; use yes/no, true/false, y/n or 1/0',
    'line 7, column email: is empty; enter an email address like name@example.com',
    'line 8, column name: is empty; a value is required',
    'line 10: a quoted field that starts here is never closed; add the missing quote (")',
  ]);
  assert.match(err.message, /^10 problems in the CSV file; nothing was imported/);
  assert.deepEqual(strip(await people()), before, 'a failed import leaves the database unchanged');
  // The same file as a dry run reports the same problems.
  assert.deepEqual(expectError(assert, await importPeople(csv, '?dry_run=1'), 422).details, err.details);
});

test('people: missing columns, empty files, unknown managers, bad flags', async () => {
  const before = strip(await people());
  let e = expectError(assert, await importPeople('name,department\nX,Y\n'), 422);
  assert.deepEqual(e.details, ['line 1: missing required column email (accepted names: email, e-mail, work email, email address, e-mail address, mail, business email)']);
  e = expectError(assert, await importPeople('email,first name\nx@example.com,X\n'), 422);
  assert.deepEqual(e.details, ['line 1: missing required column last name (found column first name; a name needs first name and last name columns, or one name column)']);
  e = expectError(assert, await importPeople(''), 422);
  assert.deepEqual(e.details, ['line 1: the file is empty; expected a header line with column names']);
  e = expectError(assert, await importPeople('email,name,manager\nm1@example.com,M,ghost@example.com\n'), 422);
  assert.deepEqual(e.details, ['line 2, column manager: manager is not a known person; add them to the file or import them first']);
  expectError(assert, await importPeople('email,name\n', '?dry_run=perhaps'), 400, 'dry_run');
  assert.deepEqual(strip(await people()), before);
  // First and last name columns make a name; a manager later in the file is found.
  const ok = await importPeople('Email;First Name;Last Name;Manager\n'.replaceAll(';', ',')
    + 'kid@example.com,Kim,Lee,boss@example.com\nboss@example.com,Bea,Boss,\n');
  assert.equal(ok.status, 200, ok.text);
  const kid = (await people()).items.find((p) => p.email === 'kid@example.com');
  assert.equal(kid.name, 'Kim Lee');
  assert.equal(kid.manager_email, 'boss@example.com');
});

test('memberships: import, dry run, re-import updates, errors by line, all or nothing', async () => {
  const csv = '\uFEFFemail,role,capacity,skills,goal areas,team size,track,program\r\n'
    + 'ana@example.com,mentor,2,"Go:4; Rust",promotion,10,eng,Other\r\n'
    + 'bo@example.com,mentee,,Go,new_skill,3,sales,\r\n';
  const dry = await importMembers(csv, '?dry_run=true');
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.body, warnings: undefined }, { rows: 2, created: 2, updated: 0, dry_run: true, warnings: undefined });
  assert.deepEqual(dry.body.warnings, ['line 1, column program: ignored; the program is chosen when importing']);
  assert.equal((await members()).total, 0);

  const res = await importMembers(csv, '', manager);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.created, 2);
  const list = (await members()).items;
  assert.deepEqual(list.map((m) => [m.person_email, m.role, m.capacity]), [['ana@example.com', 'mentor', 2], ['bo@example.com', 'mentee', 0]]);
  assert.deepEqual(list[0].skills, [{ skill: 'Go', level: 4 }, { skill: 'Rust', level: 3 }]);
  assert.deepEqual(list[0].answers, { team_size: 10, track: 'eng' });
  assert.deepEqual(list[0].goal_areas, ['promotion']);

  const again = await importMembers('email,role,capacity\nana@example.com,mentor,4\n');
  assert.equal(again.status, 200);
  assert.deepEqual([again.body.created, again.body.updated], [0, 1]);
  const after = await members();
  assert.equal(after.total, 2);
  assert.equal(after.items[0].capacity, 4);

  const before = JSON.stringify((await members()).items);
  const bad = 'email,role,capacity,team size,track\n'
    + 'ana@example.com,boss,x,3,eng\n'
    + 'bo@example.com,mentee,,51,hr\n'
    + 'bo@example.com,mentee,,1,eng\n';
  const err = expectError(assert, await importMembers(bad), 422);
  assert.equal(err.code, 'invalid_csv');
  assert.deepEqual(err.details, [
    'line 2, column role: "boss" is not a role; use mentor or mentee',
    'line 2, column capacity: "x" is not a whole number; use 1 to 20',
    'line 3, column team size: 51 is out of range; use a number from 1 to 50',
    'line 3, column track: "hr" is not an option; use eng or sales',
    'line 4, column email: bo@example.com is also on line 3 with the same role; each person may appear once as mentor and once as mentee',
  ]);
  // Problems found against the database roll back the rows before them.
  const unknown = expectError(assert, await importMembers('email,role\nchen@example.com,mentee\nnobody@example.com,mentee\n'), 422);
  assert.deepEqual(unknown.details, ['line 3, column email: no person has this email; import people first']);
  e2(await importMembers('email\nana@example.com\n'), ['line 1: missing required column role (accepted names: role, participant role, program role, participant type, member role, type)']);
  assert.equal(JSON.stringify((await members()).items), before, 'failed imports leave memberships unchanged');
  expectError(assert, await importMembers('email,role\n', '?dry_run=nah'), 400, 'dry_run');
  expectError(assert, await admin.post('/api/v1/programs/99999/memberships/import', 'email,role\n', { raw: true }), 404);
});

function e2(res, details) {
  assert.deepEqual(expectError(assert, res, 422).details, details);
}

test('import access: staff only; a manager imports members only into programs they manage', async () => {
  const mentor = await userWithRole(server, 'mentor');
  const viewer = await userWithRole(server, 'viewer');
  for (const who of [mentor, viewer]) {
    expectError(assert, await who.post('/api/v1/people/import', 'email,name\nz@example.com,Z\n', { raw: true }), 403);
    expectError(assert, await importMembers('email,role\nana@example.com,mentee\n', '', who), 403);
  }
  const outsider = await userWithRole(server, 'manager');
  expectError(assert, await importMembers('email,role\nana@example.com,mentee\n', '', outsider), 403);
  const ok = await outsider.post('/api/v1/people/import?dry_run=true', 'email,name\nz@example.com,Z\n', { raw: true });
  assert.equal(ok.status, 200);
});

test('a re-import with fewer columns updates only the columns it has', async () => {
  const full = 'email,name,department,location,level,manager,hire date,gender\n'
    + 'kai.boss@example.com,Kai Boss,Finance,Oslo,8,,2015-01-01,m\n'
    + 'lea.fin@example.com,Lea Fin,Finance,Oslo,4,kai.boss@example.com,2020-02-02,f\n';
  assert.equal((await importPeople(full)).status, 200);
  const before = (await people()).items.find((p) => p.email === 'lea.fin@example.com');
  // An export of names and departments only: Lea moved to Sales.
  const slim = 'Email,Full Name,Department\nlea.fin@example.com,Lea Fin,Sales\n';
  const res = await importPeople(slim);
  assert.equal(res.status, 200);
  assert.equal(res.body.updated, 1);
  const after = (await people()).items.find((p) => p.email === 'lea.fin@example.com');
  assert.equal(after.department, 'Sales');
  for (const key of ['name', 'location', 'seniority', 'manager_id', 'hire_date', 'demographics', 'opt_in']) {
    assert.deepEqual(after[key], before[key], `${key} kept`);
  }
  // A present column with an empty cell does clear the field.
  assert.equal((await importPeople('email,name,location\nlea.fin@example.com,Lea Fin,\n')).status, 200);
  assert.equal((await people()).items.find((p) => p.email === 'lea.fin@example.com').location, null);
});
