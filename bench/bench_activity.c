/*
 * bench_activity.c - the large data size of issue 4: 100,000 people,
 * 40,000 pairs and about 1,000,000 sessions (with their ratings, check-ins,
 * goals, milestones and assessments) generated into a fresh SQLite file
 * within the 60 s budget.
 *
 * People, memberships, skills and pairs are inserted directly with
 * prepared statements (the organisation generator and the matching are
 * benchmarked elsewhere); the activity goes through the same
 * store_activity_generate() that `mentortrack demo` calls.  Prints each
 * phase's time, the row counts and the database size.
 *
 * usage: bench_activity [DB_PATH] [N_PAIRS] [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/validate.h"
#include "lib/timeutil.h"
#include "store/migrate.h"
#include "store/store_activity.h"

enum { N_PEOPLE = 100000, N_SKILLS = 40, DEFAULT_PAIRS = 40000 };

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static uint64_t rng_state = 42;

static uint32_t below(uint32_t n)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (uint32_t)(((z >> 32) * n) >> 32);
}

static int exec_bound(db_stmt *st, mt_error *err)
{
	int rc = db_step(st, err);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/*
 * One running program; people 1..N; the first n_mentors are mentors
 * (capacity 2, membership ids 1..n_mentors), the rest mentees (membership
 * id = person id), each wanting 1-3 skills.  Pair i joins mentor i / 2 and
 * mentee n_mentors + i, started within the 1,100 days before today; pairs
 * whose planned length (340-680 days) has passed completed, one in ten
 * ended early.
 */
static int setup(db *d, int n_pairs, int32_t today, mt_error *err)
{
	const char *now = "2025-06-30T12:00:00Z";
	int n_mentors = (n_pairs + 1) / 2;
	if (db_begin(d, err) < 0)
		return -1;
	db_stmt *st = NULL;
	if (db_exec(d, "INSERT INTO programs (id, name, status, created_at, updated_at) VALUES "
		       "(1, 'Large program', 'running', '2022-01-01T00:00:00Z', "
		       "'2022-01-01T00:00:00Z')", err) < 0)
		goto fail;
	st = db_prepare(d, "INSERT INTO skills (id, name, created_at) VALUES ($1, $2, $3)", err);
	if (!st)
		goto fail;
	for (int i = 1; i <= N_SKILLS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Skill %02d", i);
		db_bind_int(st, 1, i);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, now);
		if (exec_bound(st, err) < 0)
			goto fail;
	}
	db_finalize(st);
	st = db_prepare(d, "INSERT INTO people (id, name, email, department, seniority, created_at, "
			   "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)", err);
	if (!st)
		goto fail;
	for (int i = 1; i <= N_PEOPLE; i++) {
		char name[32], email[48], dept[16];
		snprintf(name, sizeof(name), "Person %d", i);
		snprintf(email, sizeof(email), "person%d@example.com", i);
		snprintf(dept, sizeof(dept), "Dept %d", (int)below(12));
		db_bind_int(st, 1, i);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, email);
		db_bind_text(st, 4, dept);
		db_bind_int(st, 5, i <= n_mentors ? 6 + (int)below(4) : 1 + (int)below(5));
		db_bind_text(st, 6, now);
		if (exec_bound(st, err) < 0)
			goto fail;
	}
	db_finalize(st);
	st = db_prepare(d, "INSERT INTO memberships (id, program_id, person_id, role, capacity, "
			   "joined_on, created_at, updated_at) VALUES ($1, 1, $1, $2, $3, "
			   "'2022-01-01', $4, $4)", err);
	if (!st)
		goto fail;
	for (int i = 1; i <= N_PEOPLE; i++) {
		db_bind_int(st, 1, i);
		db_bind_text(st, 2, i <= n_mentors ? "mentor" : "mentee");
		db_bind_int(st, 3, i <= n_mentors ? 2 : 0);
		db_bind_text(st, 4, now);
		if (exec_bound(st, err) < 0)
			goto fail;
	}
	db_finalize(st);
	st = db_prepare(d, "INSERT INTO membership_skills (membership_id, skill_id, level) "
			   "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", err);
	if (!st)
		goto fail;
	for (int i = n_mentors + 1; i <= N_PEOPLE; i++)
		for (int k = 0, nk = 1 + (int)below(3); k < nk; k++) {
			db_bind_int(st, 1, i);
			db_bind_int(st, 2, 1 + below(N_SKILLS));
			db_bind_int(st, 3, 1 + below(3));
			if (exec_bound(st, err) < 0)
				goto fail;
		}
	db_finalize(st);
	st = db_prepare(d, "INSERT INTO pairs (id, program_id, mentor_membership_id, "
			   "mentee_membership_id, mentor_person_id, mentee_person_id, status, source, "
			   "proposed_on, started_on, ended_on, created_at, updated_at) "
			   "VALUES ($1, 1, $2, $3, $2, $3, $4, 'solver', $5, $5, $6, $7, $7)", err);
	if (!st)
		goto fail;
	for (int i = 0; i < n_pairs; i++) {
		int32_t start = today - (int32_t)below(1100);
		int32_t planned = 340 + (int32_t)below(340);
		const char *status = "active";
		int32_t end = -1;
		if (start + planned < today) {
			status = below(10) == 0 ? "ended" : "completed";
			end = start + (strcmp(status, "ended") == 0 ? 60 + (int32_t)below(200) : planned);
		}
		char sday[11], eday[11];
		validate_date_format(start, sday);
		validate_date_format(end, eday);
		db_bind_int(st, 1, i + 1);
		db_bind_int(st, 2, 1 + i / 2);
		db_bind_int(st, 3, n_mentors + 1 + i);
		db_bind_text(st, 4, status);
		db_bind_text(st, 5, sday);
		if (end < 0)
			db_bind_null(st, 6);
		else
			db_bind_text(st, 6, eday);
		db_bind_text(st, 7, now);
		if (exec_bound(st, err) < 0)
			goto fail;
	}
	db_finalize(st);
	return db_commit(d, err);
fail:
	if (st)
		db_finalize(st);
	db_rollback(d);
	return -1;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "bench-activity.db";
	int n_pairs = argc > 2 ? atoi(argv[2]) : DEFAULT_PAIRS;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 7;
	if (n_pairs < 1 || n_pairs > 2 * (N_PEOPLE / 3)) {
		fprintf(stderr, "bench_activity: N_PAIRS must be 1..%d\n", 2 * (N_PEOPLE / 3));
		return 2;
	}
	char wal[512], shm[512];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);

	mt_error err = {0};
	int32_t today;
	validate_date_parse("2025-06-30", &today);
	setenv("MENTORTRACK_NOW", "2025-06-30T12:00:00Z", 1);
	double t0 = now_ms();
	db *d = db_open(path, &err);
	if (!d || store_migrate(d, &err) < 0)
		goto fail;
	double t1 = now_ms();
	if (setup(d, n_pairs, today, &err) < 0)
		goto fail;
	double t2 = now_ms();
	store_activity_stats st;
	mt_actor who = {0, "bench"};
	if (store_activity_generate(d, &who, 1, seed, today, &st, &err) < 0)
		goto fail;
	double t3 = now_ms();
	if (db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE)", &err) < 0)
		goto fail;
	double t4 = now_ms();
	db_close(d);
	d = NULL;

	printf("bench_activity: %d people, %d pairs, seed %llu -> %s\n", N_PEOPLE, n_pairs,
	       (unsigned long long)seed, path);
	printf("  schema                    %8.0f ms\n", t1 - t0);
	printf("  people, members, pairs    %8.0f ms\n", t2 - t1);
	printf("  activity (generate+write) %8.0f ms\n", t3 - t2);
	printf("  WAL checkpoint            %8.0f ms\n", t4 - t3);
	printf("  total                     %8.0f ms\n", t4 - t0);
	printf("  sessions %lld, topics %lld, ratings %lld, check-ins %lld\n",
	       (long long)st.sessions, (long long)st.topics, (long long)st.ratings,
	       (long long)st.checkins);
	printf("  goals %lld, milestones %lld, goal comments %lld, assessments %lld\n",
	       (long long)st.goals, (long long)st.milestones, (long long)st.goal_comments,
	       (long long)st.assessments);
	printf("  database size             %8.1f MB\n", (double)file_size(path) / 1048576.0);
	return 0;
fail:
	fprintf(stderr, "bench_activity: %s\n", err.message);
	if (d)
		db_close(d);
	return 1;
}
