// The command line: exit codes (0 ok, 1 user error with a one-line message,
// 2 bad usage), init, user, import, serve and the migration guard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, PASSWORD } from './helpers.mjs';

let dir, db;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-cli-'));
  db = join(dir, 'cli.db');
  const init = cli(['init', '--db', db, '--password', PASSWORD]);
  assert.equal(init.status, 0, init.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (r) => {
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected a one-line message, got: ${r.stderr}`);
  assert.match(lines[0], /^mentortrack: .{10,}/);
  return lines[0];
};
const sql = (file, query) => execFileSync('sqlite3', [file, query], { encoding: 'utf8' }).trim();

test('--version and --help', () => {
  const v = cli(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^mentortrack \d+\.\d+\.\d+\n$/);
  const h = cli(['--help']);
  assert.equal(h.status, 0);
  for (const c of ['init', 'serve', 'demo', 'import', 'user']) assert.match(h.stdout, new RegExp(`^  ${c} `, 'm'));
});

test('every subcommand has --help that exits 0', () => {
  for (const c of ['init', 'serve', 'demo', 'import', 'user']) {
    const r = cli([c, '--help']);
    assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^usage: mentortrack ${c}`));
  }
});

test('bad usage exits 2 with a message and the usage', () => {
  const cases = [[], ['frobnicate'], ['init', '--bogus'], ['serve', '--nope'], ['user', 'frob', '--db', db],
    ['import'], ['import', 'pets', 'x.csv', '--db', db]];
  for (const args of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /mentortrack: .+/);
    assert.match(r.stderr, /usage: mentortrack/);
  }
});

test('init refuses a database that already has accounts', () => {
  const r = cli(['init', '--db', db, '--password', PASSWORD]);
  assert.equal(r.status, 1);
  assert.match(oneLine(r), /already has 1 accounts; use 'mentortrack user add'/);
  const fresh = join(dir, 'fresh.db');
  const gen = cli(['init', '--db', fresh, '--admin-email', 'boss@example.com']);
  assert.equal(gen.status, 0, gen.stderr);
  assert.match(gen.stdout, /boss@example\.com/);
});

test('user add, list and passwd', () => {
  const add = cli(['user', 'add', '--db', db, '--email', 'cli@example.com', '--name', 'Cli User', '--role', 'mentor', '--password', 'cli-password-1']);
  assert.equal(add.status, 0, add.stderr);
  assert.match(add.stdout, /cli@example\.com \(mentor\)/);
  const dup = cli(['user', 'add', '--db', db, '--email', 'cli@example.com', '--name', 'Again', '--role', 'mentor', '--password', 'cli-password-1']);
  assert.equal(dup.status, 1);
  assert.match(oneLine(dup), /already exists/);
  const role = cli(['user', 'add', '--db', db, '--email', 'r@example.com', '--name', 'R', '--role', 'boss', '--password', 'cli-password-1']);
  assert.equal(role.status, 1);
  assert.match(oneLine(role), /admin, manager, mentor, mentee or viewer/);
  const short = cli(['user', 'add', '--db', db, '--email', 's@example.com', '--name', 'S', '--role', 'viewer', '--password', 'short']);
  assert.equal(short.status, 1);
  assert.match(oneLine(short), /at least 8 characters/);

  const list = cli(['user', 'list', '--db', db]);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /admin@example\.com\s+admin/);
  assert.match(list.stdout, /cli@example\.com\s+mentor\s+Cli User/);
  const mentors = cli(['user', 'list', '--db', db, '--role', 'mentor']);
  assert.doesNotMatch(mentors.stdout, /admin@example\.com/);
  assert.match(mentors.stdout, /cli@example\.com/);

  const pw = cli(['user', 'passwd', 'cli@example.com', '--db', db, '--password', 'new-cli-password']);
  assert.equal(pw.status, 0, pw.stderr);
  const nobody = cli(['user', 'passwd', 'nobody@example.com', '--db', db, '--password', 'new-cli-password']);
  assert.equal(nobody.status, 1);
  assert.match(oneLine(nobody), /no account has email nobody@example\.com/);
  const stdin = cli(['user', 'passwd', 'cli@example.com', '--db', db, '--password-stdin'], { input: 'stdin-password-1\n' });
  assert.equal(stdin.status, 0, stdin.stderr);
});

test('import people: dry run changes nothing; a bad file prints every problem and imports nothing', () => {
  const good = join(dir, 'good.csv');
  writeFileSync(good, '\uFEFFemail,name,department\r\nann@example.com,Ann Ö,Eng\r\nbob@example.com,"Bob, Jr.",Ops\r\n');
  const dry = cli(['import', 'people', good, '--db', db, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /dry run, nothing changed: 2 rows: 2 created, 0 updated/);
  assert.equal(sql(db, 'SELECT COUNT(*) FROM people'), '0');

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'email,name,seniority\nann@example.com,Ann,abc\nann@example.com,Ann 2,1\nnot-an-email,B,2\n');
  const r = cli(['import', 'people', bad, '--db', db]);
  assert.equal(r.status, 1);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'line 2, column seniority: "abc" is not a whole number; use 1 to 10',
    'line 3, column email: ann@example.com is also on line 2; each email may appear once',
    'line 4, column email: "not-an-email" is not a valid email address; use name@example.com',
    'mentortrack: 3 problems in the file; nothing was imported',
  ]);
  assert.equal(sql(db, 'SELECT COUNT(*) FROM people'), '0');

  const ok = cli(['import', 'people', good, '--db', db]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /imported 2 rows: 2 created, 0 updated/);
  const again = cli(['import', 'people', good, '--db', db]);
  assert.match(again.stdout, /imported 2 rows: 0 created, 2 updated/);
  assert.equal(sql(db, 'SELECT COUNT(*) FROM people'), '2');
  assert.equal(sql(db, "SELECT name FROM people WHERE email = 'bob@example.com'"), 'Bob, Jr.');

  const missing = cli(['import', 'people', join(dir, 'missing.csv'), '--db', db]);
  assert.equal(missing.status, 1);
  assert.match(oneLine(missing), /cannot open .*missing\.csv/);
  const noProgram = cli(['import', 'members', good, '--db', db]);
  assert.equal(noProgram.status, 2);
  assert.match(noProgram.stderr, /needs --program ID/);
});

test('serve answers, and exits 0 on SIGTERM after closing the database', async () => {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)\//);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
  });
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  // The password set with `user passwd --password-stdin` works.
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'cli@example.com', password: 'stdin-password-1' }) });
  assert.equal(login.status, 200);
  proc.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /closing the database/);
  assert.doesNotMatch(stderr, /MHD_USE_ITC|ERROR/);
});

test('a database newer than the binary is refused with a clear message', () => {
  const newer = join(dir, 'newer.db');
  assert.equal(cli(['init', '--db', newer, '--password', PASSWORD]).status, 0);
  sql(newer, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', '2099-01-01T00:00:00Z')");
  for (const args of [['user', 'list', '--db', newer], ['serve', '--db', newer, '--listen', '127.0.0.1:0'], ['import', 'people', join(dir, 'good.csv'), '--db', newer]]) {
    const r = cli(args, { timeout: 20000 });
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.match(oneLine(r), /schema is version 9999 but this mentortrack knows only up to \d+; upgrade mentortrack/);
  }
  assert.equal(sql(newer, 'SELECT MAX(version) FROM schema_migrations'), '9999', 'the database is left as it was');
});

test('demo: the generated program has had its health check (a second check raises nothing)', () => {
  const demoDb = join(dir, 'demo.db');
  const demo = cli(['demo', '--no-serve', '--db', demoDb]);
  assert.equal(demo.status, 0, demo.stderr);
  const open = Number(sql(demoDb, "SELECT COUNT(*) FROM alerts WHERE program_id = 1 AND status = 'open'"));
  assert.ok(open > 0, 'the demo data trips some health rules');
  assert.match(demo.stderr, new RegExp(`health check: ${open} alerts raised`));
  const again = cli(['alerts', 'check', '1', '--db', demoDb]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /raised 0, resolved 0/);
  assert.equal(Number(sql(demoDb, 'SELECT COUNT(*) FROM alerts')), open);
});
