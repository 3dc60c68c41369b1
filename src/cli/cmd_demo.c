/*
 * cmd_demo.c - `mentortrack demo`: a fresh database with a generated
 * organisation and one running program, then serve it.
 *
 * The data goes through the same code paths as real use (CSV import
 * writers, the exact matcher, the pair lifecycle), so the demo shows what
 * the product does, not a picture of it.  Everything derives from --seed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/demogen.h"
#include "domain/demogen_history.h"
#include "domain/pair.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "store/alert.h"
#include "store/import.h"
#include "store/match.h"
#include "store/store_activity.h"

static const char usage[] =
	"usage: mentortrack demo [--db PATH] [--listen HOST:PORT] [--seed N] [--people N]\n"
	"                        [--large] [--no-serve] [--config FILE]\n"
	"\n"
	"Creates a fresh demo database (default demo.db; an existing file is replaced)\n"
	"with a generated organisation (default 400 people) and one running program\n"
	"with matched pairs, sessions, ratings, goals and assessments, prints the URL\n"
	"and the logins, and serves it.  --large (or --people 20000 and more) makes\n"
	"the benchmark size instead: 100,000 people, 40,000 pairs over three years and\n"
	"about 1,000,000 sessions.  The same --seed always gives the same data.\n";

#define DEMO_PASSWORD "mentortrack-demo"

/* From this size on the demo is the large data set of the benchmarks:
 * 100,000 people, 40,000 pairs over three years, about 1,000,000 sessions. */
enum { LARGE_PEOPLE = 20000, LARGE_PAIRS = 40000 };

typedef struct demo_opts {
	cli_options common; /* --db defaults to demo.db */
	const char *listen;
	uint64_t seed;
	long people;
	bool serve;
} demo_opts;

static void progress(const char *what, double since)
{
	fprintf(stderr, "  %-44s %7.0f ms\n", what, cli_ms() - since);
}

static int remove_old(const char *path, mt_error *err)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char *p = NULL;
		if (asprintf(&p, "%s%s", path, suffixes[i]) < 0)
			return mt_internal(err, "out of memory");
		if (unlink(p) < 0 && access(p, F_OK) == 0) {
			free(p);
			return mt_invalid(err, "db", "cannot replace %s", path);
		}
		free(p);
	}
	return 0;
}

static int add_account(db *d, const char *email, const char *name, int role, int64_t person,
		       int64_t *id, mt_error *err)
{
	char hash[SECRET_HASH_LEN];
	if (secret_password_hash(DEMO_PASSWORD, hash) < 0)
		return mt_internal(err, "cannot hash the password");
	*id = store_user_create(d, email, name, hash, role, person, err);
	return *id < 0 ? -1 : 0;
}

static const char questionnaire[] =
	"[{\"key\":\"meeting_format\",\"label\":\"Preferred meeting format\",\"type\":\"choice\","
	"\"required\":false,\"options\":[\"in person\",\"video\",\"either\"]},"
	"{\"key\":\"hours_per_month\",\"label\":\"Hours per month you can give\",\"type\":"
	"\"number\",\"required\":false,\"min\":1,\"max\":20}]";

static int64_t create_program(db *d, const char *start, mt_error *err)
{
	mt_program p = {
		.name = "Mentoring Program 2026",
		.description = "Company-wide mentoring: growth in skills, promotion readiness and "
			       "cross-department connections.",
		.start_date = start,
		.status = "running",
		.timezone = "UTC",
		.settings = "{\"matching\":{\"min_score\":20,\"department_pref\":\"different\"}}",
		.questionnaire = questionnaire,
	};
	return store_program_create(d, &p, err);
}

/* Approve most proposals with start dates in the past, leave some pending,
 * decline a few: the mix a program manager sees in a running program. */
static int settle_pairs(db *d, mt_arena *a, const json_t *pairs, int32_t today, uint64_t seed,
			size_t *active, size_t *finished, size_t *pending, size_t *declined,
			mt_error *err)
{
	mt_rng rng;
	demogen_rng_seed(&rng, seed ^ 0x5eed);
	size_t i;
	json_t *it;
	json_array_foreach(pairs, i, it) {
		mt_pair p;
		json_t *pid = json_object_get(it, "pair_id");
		if (!pid)
			continue;
		if (store_pair_load(d, a, json_integer_value(pid), &p, err) < 0)
			return -1;
		uint32_t roll = demogen_rng_below(&rng, 100);
		int32_t start = today - 7 - (int32_t)demogen_rng_below(&rng, 150);
		char date[11], end[11];
		validate_date_format(start, date);
		if (roll < 82) {
			if (store_pair_set_status(d, &p, "active", date, NULL, "demo", err) < 0)
				return -1;
			(*active)++;
			/* Some older pairs have run their course, a few ended early. */
			uint32_t fate = demogen_rng_below(&rng, 100);
			if (start > today - 90 || fate >= 30)
				continue;
			validate_date_format(start + 60 + (int32_t)demogen_rng_below(&rng,
				(uint32_t)(today - start - 60)), end);
			p.status = "active";
			if (store_pair_set_status(d, &p, fate < 24 ? "completed" : "ended", end,
						  fate < 24 ? NULL : "mentor left the company", "demo",
						  err) < 0)
				return -1;
			(*active)--;
			(*finished)++;
		} else if (roll < 94) {
			(*pending)++;
		} else {
			if (store_pair_set_status(d, &p, "declined", date, "schedules do not fit",
						  "demo", err) < 0)
				return -1;
			(*declined)++;
		}
	}
	return 0;
}

/* The large demo's history: one transaction, through the same pair
 * functions (and so the same events and version bumps) as the API. */
static int write_history(db *d, mt_arena *a, const mt_actor *who, int64_t program,
			 const mt_membership *members, const demogen_pair *pairs, size_t n,
			 mt_error *err)
{
	static const char *const end_state[] = {"active", "completed", "ended"};
	if (db_begin(d, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const demogen_pair *h = &pairs[i];
		const mt_membership *e = &members[h->mentee], *m = &members[h->mentor];
		char proposed[11], started[11], ended[11];
		validate_date_format(h->start - 7, proposed);
		validate_date_format(h->start, started);
		mt_pair p = {
			.program_id = program,
			.mentor_membership_id = store_membership_find(d, program, m->person_id,
								      "mentor", err),
			.mentee_membership_id = store_membership_find(d, program, e->person_id,
								      "mentee", err),
			.mentor_person_id = m->person_id, .mentee_person_id = e->person_id,
			.status = "active", .source = "manual", .score = -1,
			.proposed_on = proposed, .started_on = started,
		};
		if (p.mentor_membership_id <= 0 || p.mentee_membership_id <= 0 ||
		    (p.id = store_pair_create(d, &p, 0, who->name, err)) < 0)
			goto fail;
		if (h->state == DEMOGEN_PAIR_ACTIVE)
			continue;
		validate_date_format(h->end, ended);
		if (store_pair_set_status(d, &p, end_state[h->state], ended,
					  h->state == DEMOGEN_PAIR_ENDED ? "the mentee changed teams"
									 : NULL,
					  who->name, err) < 0)
			goto fail;
	}
	(void)a;
	return db_commit(d, err);
fail:
	if (!err->status)
		mt_internal(err, "a generated pair refers to an unknown membership");
	db_rollback(d);
	return -1;
}

static int build(const demo_opts *o, const mt_config *cfg, mt_error *err)
{
	mt_arena a;
	arena_init(&a);
	db *d = NULL;
	int rc = -1;
	char today_s[16];
	time_today(today_s, sizeof(today_s));
	int32_t today;
	validate_date_parse(today_s, &today);
	double t0 = cli_ms(), t;
	mt_actor who = {.name = "demo"};

	if (remove_old(cfg->db_path, err) < 0 || !(d = cli_open_db(cfg, err)))
		goto out;
	fprintf(stderr, "Building the demo in %s (seed %llu):\n", cfg->db_path,
		(unsigned long long)o->seed);

	t = cli_ms();
	mt_csv_result people = {0};
	demogen_org(&a, o->seed, (size_t)o->people, today, &people.people, &people.n_people);
	people.lines = arena_calloc(&a, people.n_people, sizeof(size_t));
	for (size_t i = 0; i < people.n_people; i++)
		people.lines[i] = i + 2;
	import_summary sum = {0};
	if (import_people(d, &who, &people, false, &sum, err) < 0)
		goto out;
	sb_release(&sum.problems);
	progress(arena_printf(&a, "%zu people", people.n_people), t);

	t = cli_ms();
	char start[11];
	validate_date_format(today - 200, start);
	int64_t program = create_program(d, start, err);
	if (program < 0)
		goto out;
	mt_csv_result members = {0};
	bool large = o->people >= LARGE_PEOPLE;
	demogen_program(&a, o->seed, people.people, people.n_people, 0.6, today,
			&members.members, &members.n_members);
	demogen_pair *history = NULL;
	size_t n_history = 0;
	if (large)
		n_history = demogen_history(&a, o->seed, members.members, members.n_members,
					    people.people, people.n_people, today, 1100,
					    LARGE_PAIRS, &history);
	members.lines = arena_calloc(&a, members.n_members + 1, sizeof(size_t));
	if (import_members(d, &who, program, &members, false, &sum, err) < 0)
		goto out;
	sb_release(&sum.problems);
	progress(arena_printf(&a, "%zu memberships", members.n_members), t);

	/* Accounts: staff, and one mentor and one mentee who can sign in. */
	t = cli_ms();
	int64_t uid, mentor_person = 0, mentee_person = 0;
	for (size_t i = 0; i < members.n_members; i++) {
		const mt_membership *m = &members.members[i];
		if (m->role == MT_ROLE_MENTOR && !mentor_person)
			mentor_person = store_person_id_by_email(d, m->email, err);
		if (m->role == MT_ROLE_MENTEE && !mentee_person)
			mentee_person = store_person_id_by_email(d, m->email, err);
	}
	if (db_begin(d, err) < 0 ||
	    add_account(d, "admin@example.com", "Ada Admin", ROLE_ADMIN, 0, &uid, err) < 0 ||
	    add_account(d, "manager@example.com", "Max Manager", ROLE_MANAGER, 0, &uid, err) < 0 ||
	    store_program_add_manager(d, program, uid, err) < 0 ||
	    add_account(d, "viewer@example.com", "Vera Viewer", ROLE_VIEWER, 0, &uid, err) < 0 ||
	    add_account(d, "mentor@example.com", "Demo Mentor", ROLE_MENTOR, mentor_person, &uid,
			err) < 0 ||
	    add_account(d, "mentee@example.com", "Demo Mentee", ROLE_MENTEE, mentee_person, &uid,
			err) < 0 ||
	    db_commit(d, err) < 0) {
		db_rollback(d);
		goto out;
	}
	progress("5 accounts", t);

	t = cli_ms();
	if (large) {
		/* Three years of history instead of one matching run (see
		 * demogen_history.h); the matcher is benchmarked on its own. */
		if (write_history(d, &a, &who, program, members.members, history, n_history, err) < 0)
			goto out;
		progress(arena_printf(&a, "%zu pairs over three years", n_history), t);
		goto activity;
	}
	mt_program prog;
	match_run_result res;
	if (store_program_get(d, &a, program, &prog, err) < 0 ||
	    match_run(d, &a, &who, &prog, today_s, false, &res, err) < 0)
		goto out;
	size_t active = 0, finished = 0, pending = 0, declined = 0;
	if (db_begin(d, err) < 0 ||
	    settle_pairs(d, &a, res.pairs, today, o->seed, &active, &finished, &pending, &declined,
			 err) < 0 ||
	    db_commit(d, err) < 0) {
		db_rollback(d);
		json_decref(res.pairs);
		json_decref(res.summary);
		goto out;
	}
	json_decref(res.pairs);
	json_decref(res.summary);
	progress(arena_printf(&a, "pairs: %zu active, %zu finished, %zu pending, %zu declined",
			      active, finished, pending, declined), t);

activity:
	t = cli_ms();
	store_activity_stats stats = {0};
	if (store_activity_generate(d, &who, program, o->seed, today, &stats, err) < 0)
		goto out;
	progress(arena_printf(&a, "%lld sessions, %lld ratings, %lld goals",
			      (long long)stats.sessions, (long long)stats.ratings,
			      (long long)stats.goals), t);
	/* One health check, so the dashboard and the alerts tab show what the
	 * monitor finds in the generated data from the first sign-in (the
	 * server's own checks start one interval later). */
	t = cli_ms();
	alert_check_result check;
	if (store_alert_check(d, &a, &who, program, time_now(), &check, err) < 0)
		goto out;
	progress(arena_printf(&a, "health check: %lld alerts raised", (long long)check.raised), t);
	alert_check_release(&check);
	fprintf(stderr, "  %-44s %7.0f ms\n", "total", cli_ms() - t0);
	rc = 0;
out:
	db_close(d);
	arena_free(&a);
	return rc;
}

/* CLI_END to go on, or the exit code after --help or a usage error. */
static int parse(int argc, char **argv, demo_opts *o)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"listen", required_argument, NULL, 'l'},
		{"config", required_argument, NULL, 'c'}, {"seed", required_argument, NULL, 's'},
		{"people", required_argument, NULL, 'p'}, {"large", no_argument, NULL, 'L'},
		{"no-serve", no_argument, NULL, 'n'},     {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	mt_error err;
	long v;
	int c;
	cli_options_start(&o->common, usage);
	o->common.db_path = "demo.db";
	while ((c = cli_getopt(argc, argv, opts, "h", &o->common)) >= 0) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 's':
			if (validate_int("seed", optarg, 0, 0x7fffffff, &v, &err) < 0)
				return cli_usage(usage, "%s", err.message);
			o->seed = (uint64_t)v;
			break;
		case 'p':
			if (validate_int("people", optarg, 10, 1000000, &v, &err) < 0)
				return cli_usage(usage, "%s", err.message);
			o->people = v;
			break;
		case 'L': o->people = 100000; break;
		case 'n': o->serve = false; break;
		}
	}
	if (c == CLI_STOP)
		return o->common.exit_code;
	if (optind < argc)
		return cli_unexpected(usage, argv[optind]);
	return CLI_END;
}

int cmd_demo(int argc, char **argv)
{
	demo_opts o = {.seed = 42, .people = 400, .serve = true};
	int prc = parse(argc, argv, &o);
	if (prc != CLI_END)
		return prc;
	mt_config cfg;
	mt_error err;
	mt_error_clear(&err);
	if (cli_config(&cfg, &o.common, &err) < 0 ||
	    (o.listen && config_set(&cfg, "listen", o.listen, &err) < 0) ||
	    build(&o, &cfg, &err) < 0)
		return cli_fail(&err);
	char *banner = NULL;
	if (asprintf(&banner,
		     "\nDemo ready.  Sign in at the URL above (password for every account: %s):\n"
		     "  admin@example.com    admin: everything\n"
		     "  manager@example.com  program manager of \"Mentoring Program 2026\"\n"
		     "  viewer@example.com   stakeholder: aggregates only\n"
		     "  mentor@example.com   a mentor;  mentee@example.com  a mentee\n"
		     "API example:\n"
		     "  curl -c jar -d '{\"email\":\"admin@example.com\",\"password\":\"%s\"}' "
		     "http://%s:%d/api/v1/auth/login\n"
		     "  curl -b jar http://%s:%d/api/v1/programs\n",
		     DEMO_PASSWORD, DEMO_PASSWORD, cfg.host, cfg.port, cfg.host, cfg.port) < 0)
		banner = NULL;
	if (!o.serve) {
		printf("Demo database %s is ready; run 'mentortrack serve --db %s'.\n%s", cfg.db_path,
		       cfg.db_path, banner ? banner : "");
		free(banner);
		return EXIT_OK;
	}
	int rc = cli_serve(&cfg, banner);
	free(banner);
	return rc;
}
