/*
 * bench_match.c - time the exact matching on a realistic program.
 *
 * Generates a program deterministically from a seed (mentees and mentors
 * with skills, goal areas, seniority, department, location, time zone,
 * languages, reporting lines, wishes, "not this person" and prior pairs),
 * scores pairs with score_pair() through the solver's oracle, and times
 * solver_run(): scoring every pair, candidate graph, solve, pricing rounds
 * and the certificate over all pairs.  Then checks the proposal again with
 * the independent solver_certify() and prints peak memory.
 *
 *   bench_match [seed [threads]]   1,000 x 250 and 10,000 x 2,500 (default 1, 2)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "domain/score.h"
#include "domain/solver.h"

enum { N_SKILLS = 40, N_DEPTS = 12, N_LOCATIONS = 8, MIN_SCORE = 20 };

typedef struct program {
	size_t n_mentees, n_mentors;
	score_person *mentees, *mentors;
	int *capacity;
	int64_t *ids;          /* backing store of every id list */
	size_t n_ids, cap_ids;
	score_weights weights;
} program;

static uint64_t rng;

static uint32_t rnd(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % bound);
}

/* Popular skills come up more often: half the draws come from the first quarter. */
static uint16_t skewed_skill(void)
{
	return (uint16_t)(rnd(2) ? rnd(N_SKILLS / 4) : rnd(N_SKILLS));
}

static void add_skills(score_person *p, int count, int lo, int hi, bool mentee)
{
	for (int k = 0; k < count; k++) {
		score_skill *s = &p->skills[p->n_skills++];
		s->skill = skewed_skill();
		s->level = (uint8_t)(lo + (int)rnd((uint32_t)(hi - lo + 1)));
		s->importance = mentee ? (uint8_t)(1 + rnd(5)) : 0;
	}
}

static const int tz_of_location[N_LOCATIONS] = {0, 60, 60, 120, -300, -480, 330, 540};

static void common_features(score_person *p, int64_t id)
{
	p->id = id;
	p->department = 1 + (int32_t)rnd(N_DEPTS);
	p->location = 1 + (int32_t)rnd(N_LOCATIONS);
	p->has_tz = true;
	p->tz_minutes = tz_of_location[p->location - 1];
	/* English for most, a local language for some, both for a few. */
	p->languages = rnd(2) ? 1u : 0u;
	if (!p->languages || rnd(4) == 0)
		p->languages |= 1u << (1 + (p->location - 1) % 4);
}

/* Id lists are stored in one array; pointers are fixed up at the end. */
static size_t push_ids(program *pg, int64_t id)
{
	if (pg->n_ids == pg->cap_ids) {
		pg->cap_ids = pg->cap_ids ? 2 * pg->cap_ids : 4096;
		pg->ids = realloc(pg->ids, pg->cap_ids * sizeof(*pg->ids));
		if (!pg->ids)
			abort();
	}
	pg->ids[pg->n_ids] = id;
	return pg->n_ids++;
}

typedef struct lists {
	size_t managers, n_managers, wishes, n_wishes, avoid, n_avoid, prior, n_prior;
} lists;

static int64_t mentor_id(program *pg, size_t j)
{
	(void)pg;
	return 1000000 + (int64_t)j;
}

static void mentee_lists(program *pg, lists *l)
{
	memset(l, 0, sizeof(*l));
	l->managers = pg->n_ids;
	if (rnd(10) < 3)  /* a third report to someone who mentors */
		for (int k = 1 + (int)rnd(3); k > 0; k--, l->n_managers++)
			push_ids(pg, mentor_id(pg, rnd((uint32_t)pg->n_mentors)));
	l->wishes = pg->n_ids;
	if (rnd(10) == 0)
		for (int k = 1 + (int)rnd(3); k > 0; k--, l->n_wishes++)
			push_ids(pg, mentor_id(pg, rnd((uint32_t)pg->n_mentors)));
	l->avoid = pg->n_ids;
	if (rnd(50) == 0) {
		push_ids(pg, mentor_id(pg, rnd((uint32_t)pg->n_mentors)));
		l->n_avoid = 1;
	}
	l->prior = pg->n_ids;
	if (rnd(30) == 0) {
		push_ids(pg, mentor_id(pg, rnd((uint32_t)pg->n_mentors)));
		l->n_prior = 1;
	}
}

static void generate(program *pg, size_t n, size_t m, uint64_t seed)
{
	memset(pg, 0, sizeof(*pg));
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	pg->n_mentees = n;
	pg->n_mentors = m;
	pg->mentees = calloc(n, sizeof(*pg->mentees));
	pg->mentors = calloc(m, sizeof(*pg->mentors));
	pg->capacity = calloc(m, sizeof(*pg->capacity));
	lists *l = calloc(n, sizeof(*l));
	score_weights_default(&pg->weights);
	pg->weights.department_pref = SCORE_DEPT_SAME;
	for (size_t j = 0; j < m; j++) {
		score_person *p = &pg->mentors[j];
		common_features(p, mentor_id(pg, j));
		p->seniority = 2 + (int)rnd(9);
		p->goal_areas = (1u << rnd(6)) | (rnd(2) ? 1u << rnd(6) : 0);
		add_skills(p, 3 + (int)rnd(4), 1, 5, false);
		pg->capacity[j] = 1 + (int)rnd(5);
	}
	for (size_t i = 0; i < n; i++) {
		score_person *p = &pg->mentees[i];
		common_features(p, (int64_t)i + 1);
		p->seniority = 1 + (int)rnd(7);
		p->goal_areas = (1u << rnd(6)) | (rnd(2) ? 1u << rnd(6) : 0);
		add_skills(p, 2 + (int)rnd(3), 1, 3, true);
		mentee_lists(pg, &l[i]);
	}
	for (size_t i = 0; i < n; i++) {
		score_person *p = &pg->mentees[i];
		p->managers = pg->ids + l[i].managers;
		p->n_managers = l[i].n_managers;
		p->wishes = pg->ids + l[i].wishes;
		p->n_wishes = l[i].n_wishes;
		p->avoid = pg->ids + l[i].avoid;
		p->n_avoid = l[i].n_avoid;
		p->prior = pg->ids + l[i].prior;
		p->n_prior = l[i].n_prior;
		score_person_prepare(p);
	}
	for (size_t j = 0; j < m; j++)
		score_person_prepare(&pg->mentors[j]);
	free(l);
}

static void program_free(program *pg)
{
	free(pg->mentees);
	free(pg->mentors);
	free(pg->capacity);
	free(pg->ids);
}

static int oracle(void *ctx, uint32_t i, uint32_t j)
{
	const program *pg = ctx;
	return score_pair(&pg->weights, &pg->mentees[i], &pg->mentors[j]);
}

static void oracle_row(void *ctx, uint32_t i, int *scores)
{
	const program *pg = ctx;
	score_row(&pg->weights, &pg->mentees[i], pg->mentors, pg->n_mentors, scores);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/* Scoring alone, one thread: the part of the solve that grows with n x m. */
static double time_scoring(const program *pg)
{
	int *row = calloc(pg->n_mentors + 1, sizeof(int));
	long sum = 0;
	double t0 = now();
	for (size_t i = 0; i < pg->n_mentees; i++) {
		oracle_row((void *)pg, (uint32_t)i, row);
		sum += row[i % pg->n_mentors];
	}
	double t = now() - t0;
	free(row);
	return sum == -1 ? -t : t;  /* keep the loop */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum { REPEAT = 5 };

static int run(size_t n, size_t m, uint64_t seed, int threads)
{
	program pg;
	mt_arena arena;
	mt_error err = {0};
	solver_result r;
	double times[REPEAT];
	int rc = 1;

	generate(&pg, n, m, seed);
	solver_input in = {
		.n_mentees = n, .n_mentors = m, .mentor_capacity = pg.capacity, .k = 1,
		.min_score = MIN_SCORE, .score = oracle, .score_row = oracle_row, .ctx = &pg,
		.threads = threads,
	};
	arena_init(&arena);
	for (int k = 0; k < REPEAT; k++) {
		arena_free(&arena);
		arena_init(&arena);
		double t0 = now();
		if (solver_run(&in, &arena, &r, &err)) {
			fprintf(stderr, "solver: %s\n", err.message);
			goto out;
		}
		times[k] = now() - t0;
	}
	qsort(times, REPEAT, sizeof(times[0]), cmp_double);
	double t1 = now();
	int64_t bound = 0;
	int cert = solver_certify(&in, r.pairs, r.n_pairs, r.mentor_price, &bound, &err);
	double t2 = now();
	printf("%zu x %zu (seed %llu, %d scoring thread%s): %zu eligible pairs, %zu pairs, total %lld\n",
	       n, m, (unsigned long long)seed, threads, threads == 1 ? "" : "s", r.stats.eligible,
	       r.n_pairs, (long long)r.total);
	printf("  solve, end to end (scoring every pair, candidate graph, solve, pricing,\n"
	       "  certificate over all pairs), %d runs: min %.3f s, median %.3f s, max %.3f s\n",
	       REPEAT, times[0], times[REPEAT / 2], times[REPEAT - 1]);
	printf("  of which scoring all pairs takes, on one thread: %.3f s\n", time_scoring(&pg));
	printf("  rounds %d, arcs %zu -> %zu, violators %zu, shortest-path searches %zu\n",
	       r.stats.rounds, r.stats.initial_arcs, r.stats.arcs, r.stats.violators,
	       r.stats.searches);
	printf("  independent solver_certify: %s (bound %lld) in %.3f s\n",
	       cert ? err.message : "optimal", (long long)bound, t2 - t1);
	printf("  peak RSS of the process so far: %.0f MB\n", peak_mb());
	rc = cert ? 1 : 0;
out:
	arena_free(&arena);
	program_free(&pg);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	int threads = argc > 2 ? atoi(argv[2]) : 2;
	int rc = run(1000, 250, seed, threads);
	rc |= run(10000, 2500, seed, threads);
	return rc;
}
