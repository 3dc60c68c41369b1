/*
 * test_solver.c - the matching solver against brute force and its own
 * certificate.
 *
 * Hundreds of small random instances (ties on purpose, locked and excluded
 * pairs, k of 1 and 2, tiny candidate lists so that pricing and repair do
 * real work) are solved and compared with an exhaustive search; larger
 * ones are checked with solver_certify(), which must also reject a
 * proposal that is feasible but not optimal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/solver.h"

typedef struct instance {
	size_t n, m;
	int *score;     /* n * m, -1 ineligible */
	int *cap;       /* m */
	int *kcap;      /* n, or NULL */
	int k;
	int min_score;
	solver_pair locked[4];
	size_t n_locked;
	solver_pair excluded[8];
	size_t n_excluded;
} instance;

static uint64_t rng_state;

static uint32_t rnd(uint32_t bound)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % bound;
}

static int oracle(void *ctx, uint32_t i, uint32_t j)
{
	const instance *x = ctx;
	return x->score[i * x->m + j];
}

static void oracle_row(void *ctx, uint32_t i, int *scores)
{
	const instance *x = ctx;
	memcpy(scores, x->score + i * x->m, x->m * sizeof(int));
}

static solver_input input_of(instance *x)
{
	solver_input in = {
		.n_mentees = x->n, .n_mentors = x->m, .mentor_capacity = x->cap,
		.mentee_capacity = x->kcap, .k = x->k, .min_score = x->min_score,
		.score = oracle, .ctx = x, .locked = x->locked, .n_locked = x->n_locked,
		.excluded = x->excluded, .n_excluded = x->n_excluded,
	};
	return in;
}

static int k_of(const instance *x, size_t i)
{
	return x->kcap ? x->kcap[i] : (x->k > 0 ? x->k : 1);
}

static bool listed(const solver_pair *list, size_t n, size_t i, size_t j)
{
	for (size_t q = 0; q < n; q++)
		if (list[q].mentee == i && list[q].mentor == j)
			return true;
	return false;
}

/* ---- brute force ------------------------------------------------------ */

typedef struct brute {
	const instance *x;
	int *seats;     /* free seats per mentor */
	long best;
} brute;

static bool brute_allowed(const brute *b, size_t i, size_t j)
{
	const instance *x = b->x;
	int s = x->score[i * x->m + j];
	return s >= 0 && s >= x->min_score && !listed(x->excluded, x->n_excluded, i, j) &&
	       !listed(x->locked, x->n_locked, i, j);
}

static void brute_mentee(brute *b, size_t i, long total);

/* Choose up to `left` more mentors for mentee i among mentors >= from. */
static void brute_pick(brute *b, size_t i, size_t from, int left, long total)
{
	brute_mentee(b, i + 1, total);
	if (!left)
		return;
	for (size_t j = from; j < b->x->m; j++) {
		if (!b->seats[j] || !brute_allowed(b, i, j))
			continue;
		b->seats[j]--;
		brute_pick(b, i, j + 1, left - 1, total + b->x->score[i * b->x->m + j]);
		b->seats[j]++;
	}
}

static void brute_mentee(brute *b, size_t i, long total)
{
	if (i == b->x->n) {
		if (total > b->best)
			b->best = total;
		return;
	}
	int left = k_of(b->x, i);
	for (size_t q = 0; q < b->x->n_locked; q++)
		if (b->x->locked[q].mentee == i)
			left--;
	brute_pick(b, i, 0, left, total);
}

/* Optimum over free seats (locked pairs' scores not included). */
static long brute_force(const instance *x)
{
	int seats[16];
	brute b = {x, seats, -1};
	for (size_t j = 0; j < x->m; j++)
		seats[j] = x->cap[j];
	for (size_t q = 0; q < x->n_locked; q++)
		seats[x->locked[q].mentor]--;
	brute_mentee(&b, 0, 0);
	return b.best;
}

/* ---- random instances ------------------------------------------------- */

static bool lock_fits(const instance *x, size_t i, size_t j)
{
	int used_i = 0, used_j = 0;
	for (size_t q = 0; q < x->n_locked; q++) {
		used_i += x->locked[q].mentee == i;
		used_j += x->locked[q].mentor == j;
		if (x->locked[q].mentee == i && x->locked[q].mentor == j)
			return false;
	}
	return used_i < k_of(x, i) && used_j < x->cap[j];
}

static void random_locks(instance *x)
{
	size_t want = rnd(3);
	for (size_t t = 0; t < 10 && x->n_locked < want; t++) {
		size_t i = rnd((uint32_t)x->n), j = rnd((uint32_t)x->m);
		if (lock_fits(x, i, j))
			x->locked[x->n_locked++] = (solver_pair){(uint32_t)i, (uint32_t)j, 0, true};
	}
	size_t ex = rnd(4);
	for (size_t t = 0; t < ex; t++) {
		size_t i = rnd((uint32_t)x->n), j = rnd((uint32_t)x->m);
		if (!listed(x->locked, x->n_locked, i, j))
			x->excluded[x->n_excluded++] = (solver_pair){(uint32_t)i, (uint32_t)j, 0, false};
	}
}

static void random_instance(instance *x, int *score, int *cap, int *kcap)
{
	memset(x, 0, sizeof(*x));
	x->k = 1 + (rnd(3) == 0);
	x->n = 1 + rnd(x->k == 1 ? 7 : 5);
	x->m = 1 + rnd(x->k == 1 ? 5 : 4);
	x->score = score;
	x->cap = cap;
	x->min_score = rnd(3) ? 0 : (int)rnd(10);
	int range = rnd(2) ? 4 : 30;  /* small ranges make many ties */
	for (size_t q = 0; q < x->n * x->m; q++)
		score[q] = rnd(5) == 0 ? -1 : (int)rnd((uint32_t)range);
	for (size_t j = 0; j < x->m; j++)
		cap[j] = (int)rnd(4);
	if (rnd(4) == 0) {
		for (size_t i = 0; i < x->n; i++)
			kcap[i] = (int)rnd(3);
		x->kcap = kcap;
	}
	random_locks(x);
}

/* ---- checks ----------------------------------------------------------- */

static void check_feasible(const instance *x, const solver_result *r)
{
	int per_mentee[16] = {0}, per_mentor[16] = {0};
	for (size_t q = 0; q < r->n_pairs; q++) {
		const solver_pair *p = &r->pairs[q];
		assert_true(p->mentee < x->n && p->mentor < x->m);
		per_mentee[p->mentee]++;
		per_mentor[p->mentor]++;
		assert_false(listed(x->excluded, x->n_excluded, p->mentee, p->mentor));
		if (!p->locked)
			assert_true(p->score >= x->min_score && p->score >= 0);
		if (q)
			assert_true(r->pairs[q - 1].mentee < p->mentee ||
				    (r->pairs[q - 1].mentee == p->mentee &&
				     r->pairs[q - 1].mentor < p->mentor));
	}
	for (size_t i = 0; i < x->n; i++)
		assert_true(per_mentee[i] <= k_of(x, i));
	for (size_t j = 0; j < x->m; j++)
		assert_true(per_mentor[j] <= x->cap[j]);
	for (size_t q = 0; q < x->n_locked; q++)
		assert_true(listed(r->pairs, r->n_pairs, x->locked[q].mentee, x->locked[q].mentor));
}

/* Returns the violators the pricing passes found. */
static size_t solve_and_check(instance *x, int per_mentee, int per_mentor, size_t dense)
{
	mt_arena a;
	mt_error err = {0};
	solver_result r1, r2;
	solver_input in = input_of(x);
	in.candidates_per_mentee = per_mentee;
	in.candidates_per_mentor = per_mentor;
	in.dense_limit = dense;

	arena_init(&a);
	assert_int_equal(solver_run(&in, &a, &r1, &err), 0);
	assert_int_equal(r1.total - r1.locked_total, brute_force(x));
	assert_int_equal(r1.total - r1.locked_total, r1.bound);
	check_feasible(x, &r1);
	assert_int_equal(solver_certify(&in, r1.pairs, r1.n_pairs, r1.mentor_price, NULL, &err), 0);
	assert_int_equal(solver_run(&in, &a, &r2, &err), 0);
	assert_int_equal(r1.n_pairs, r2.n_pairs);
	assert_memory_equal(r1.pairs, r2.pairs, r1.n_pairs * sizeof(*r1.pairs));
	arena_free(&a);
	return r1.stats.violators;
}

static void test_brute_force(void **state)
{
	(void)state;
	int score[64], cap[16], kcap[16];
	instance x;
	size_t repaired = 0;
	rng_state = 12345;
	for (int round = 0; round < 800; round++) {
		random_instance(&x, score, cap, kcap);
		solve_and_check(&x, 0, 0, 0);
		/* tiny candidate graph, no score cache: pricing and repair work */
		repaired += solve_and_check(&x, 1, 1, 1);
	}
	assert_true(repaired > 100);
}

/* ---- larger instances -------------------------------------------------- */

typedef struct big {
	instance x;
	int *score, *cap;
} big;

/* Structured scores: mentees and mentors have a "topic" and a level;
 * many equal scores, some ineligible. */
static void big_instance(big *b, size_t n, size_t m, int k, uint64_t seed)
{
	rng_state = seed;
	b->score = calloc(n * m, sizeof(int));
	b->cap = calloc(m, sizeof(int));
	int *topic_i = calloc(n, sizeof(int)), *topic_j = calloc(m, sizeof(int));
	for (size_t i = 0; i < n; i++)
		topic_i[i] = (int)rnd(8);
	for (size_t j = 0; j < m; j++) {
		topic_j[j] = (int)rnd(8);
		b->cap[j] = 1 + (int)rnd(5);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++) {
			int s = (topic_i[i] == topic_j[j]) * 40 + (int)rnd(6) * 10;
			b->score[i * m + j] = s < 20 ? -1 : s;
		}
	free(topic_i);
	free(topic_j);
	memset(&b->x, 0, sizeof(b->x));
	b->x = (instance){.n = n, .m = m, .score = b->score, .cap = b->cap, .k = k,
			  .min_score = 20};
}

static void big_free(big *b)
{
	free(b->score);
	free(b->cap);
}

static void test_certificate_large(void **state)
{
	(void)state;
	big b;
	for (int k = 1; k <= 2; k++) {
		big_instance(&b, 400, 100, k, 99 + (uint64_t)k);
		b.x.locked[0] = (solver_pair){3, 7, 0, true};
		b.x.n_locked = 1;
		b.x.excluded[0] = (solver_pair){5, 9, 0, false};
		b.x.n_excluded = 1;
		solver_input in = input_of(&b.x);
		mt_arena a;
		mt_error err = {0};
		solver_result r, small;
		int64_t bound = 0;
		arena_init(&a);
		assert_int_equal(solver_run(&in, &a, &r, &err), 0);
		assert_int_equal(solver_certify(&in, r.pairs, r.n_pairs, r.mentor_price, &bound,
						&err), 0);
		assert_int_equal(bound, r.total - r.locked_total);
		/* Threads and the row oracle change nothing, not even ties. */
		solver_result threaded;
		in.threads = 3;
		in.score_row = oracle_row;
		assert_int_equal(solver_run(&in, &a, &threaded, &err), 0);
		assert_int_equal(threaded.n_pairs, r.n_pairs);
		assert_memory_equal(threaded.pairs, r.pairs, r.n_pairs * sizeof(*r.pairs));
		assert_memory_equal(threaded.mentor_price, r.mentor_price, b.x.m * sizeof(int));
		/* A different candidate graph reaches the same optimum. */
		in.candidates_per_mentee = 2;
		in.candidates_per_mentor = 1;
		assert_int_equal(solver_run(&in, &a, &small, &err), 0);
		assert_int_equal(small.total, r.total);
		assert_true(small.stats.violators > 0);
		assert_int_equal(solver_certify(&in, small.pairs, small.n_pairs,
						small.mentor_price, NULL, &err), 0);
		arena_free(&a);
		big_free(&b);
	}
}

static void test_certify_rejects_suboptimal(void **state)
{
	(void)state;
	big b;
	big_instance(&b, 400, 100, 1, 7);
	solver_input in = input_of(&b.x);
	mt_arena a;
	mt_error err = {0};
	solver_result r;
	arena_init(&a);
	assert_int_equal(solver_run(&in, &a, &r, &err), 0);
	assert_true(r.n_pairs > 10);

	/* Dropping a pair keeps it feasible but loses score. */
	assert_int_equal(solver_certify(&in, r.pairs + 1, r.n_pairs - 1, r.mentor_price, NULL,
					&err), -1);
	assert_string_equal(err.code, "not_optimal");

	/* Swapping two mentees' mentors keeps every capacity but loses score. */
	bool swapped = false;
	for (size_t q1 = 0; q1 < r.n_pairs && !swapped; q1++)
		for (size_t q2 = q1 + 1; q2 < r.n_pairs && !swapped; q2++) {
			solver_pair *p1 = &r.pairs[q1], *p2 = &r.pairs[q2];
			int s12 = b.score[p1->mentee * b.x.m + p2->mentor];
			int s21 = b.score[p2->mentee * b.x.m + p1->mentor];
			if (s12 < 20 || s21 < 20 || s12 + s21 >= p1->score + p2->score)
				continue;
			uint32_t j1 = p1->mentor;
			*p1 = (solver_pair){p1->mentee, p2->mentor, s12, false};
			*p2 = (solver_pair){p2->mentee, j1, s21, false};
			swapped = true;
		}
	assert_true(swapped);
	assert_int_equal(solver_certify(&in, r.pairs, r.n_pairs, r.mentor_price, NULL, &err), -1);
	assert_string_equal(err.code, "not_optimal");

	/* Zero prices are not a certificate of an optimum under scarce seats. */
	int *zero = calloc(b.x.m, sizeof(int));
	assert_int_equal(solver_run(&in, &a, &r, &err), 0);
	assert_int_equal(solver_certify(&in, r.pairs, r.n_pairs, zero, NULL, &err), -1);
	free(zero);
	arena_free(&a);
	big_free(&b);
}

static void test_certify_rejects_infeasible(void **state)
{
	(void)state;
	int score[] = {50, 40, 30, 20};  /* 2 mentees x 2 mentors */
	int cap[] = {1, 1};
	instance x = {.n = 2, .m = 2, .score = score, .cap = cap, .k = 1};
	x.excluded[0] = (solver_pair){1, 0, 0, false};
	x.n_excluded = 1;
	solver_input in = input_of(&x);
	int price[] = {0, 0};
	mt_error err = {0};
	solver_pair over[] = {{0, 0, 50, false}, {0, 1, 40, false}};
	assert_int_equal(solver_certify(&in, over, 2, price, NULL, &err), -1);
	assert_non_null(strstr(err.message, "too many"));
	solver_pair excluded[] = {{1, 0, 30, false}};
	assert_int_equal(solver_certify(&in, excluded, 1, price, NULL, &err), -1);
	assert_non_null(strstr(err.message, "excluded"));
	solver_pair wrong[] = {{0, 0, 99, false}};
	assert_int_equal(solver_certify(&in, wrong, 1, price, NULL, &err), -1);
	solver_pair twice[] = {{0, 0, 50, false}, {0, 0, 50, false}};
	assert_int_equal(solver_certify(&in, twice, 2, price, NULL, &err), -1);
	int negative[] = {-1, 0};
	solver_pair ok[] = {{0, 0, 50, false}, {1, 1, 20, false}};
	assert_int_equal(solver_certify(&in, ok, 2, negative, NULL, &err), -1);
}

static void test_invalid_input(void **state)
{
	(void)state;
	int score[] = {50, 40, 30, 20};
	int cap[] = {1, 0};
	instance x = {.n = 2, .m = 2, .score = score, .cap = cap, .k = 1};
	mt_arena a;
	mt_error err = {0};
	solver_result r;
	arena_init(&a);

	x.locked[0] = (solver_pair){0, 1, 0, true};  /* mentor 1 has no seat */
	x.n_locked = 1;
	solver_input in = input_of(&x);
	assert_int_equal(solver_run(&in, &a, &r, &err), -1);
	assert_string_equal(err.field, "locked");

	x.locked[0] = (solver_pair){0, 5, 0, true};
	in = input_of(&x);
	assert_int_equal(solver_run(&in, &a, &r, &err), -1);

	x.n_locked = 0;
	cap[1] = -2;
	in = input_of(&x);
	assert_int_equal(solver_run(&in, &a, &r, &err), -1);
	assert_string_equal(err.field, "mentor_capacity");

	cap[1] = 1;
	score[3] = SOLVER_SCORE_MAX + 1;
	in = input_of(&x);
	assert_int_equal(solver_run(&in, &a, &r, &err), -1);
	assert_string_equal(err.field, "score");
	arena_free(&a);
}

static void test_locked_and_excluded(void **state)
{
	(void)state;
	/* Mentee 0 would take mentor 0 (90) but is locked to mentor 1; mentee 1
	 * is excluded from mentor 0, so mentor 0 goes to mentee 2. */
	int score[] = {90, 10, 80, 70, 60, 50};  /* 3 mentees x 2 mentors */
	int cap[] = {1, 2};
	instance x = {.n = 3, .m = 2, .score = score, .cap = cap, .k = 1};
	x.locked[0] = (solver_pair){0, 1, 0, true};
	x.n_locked = 1;
	x.excluded[0] = (solver_pair){1, 0, 0, false};
	x.n_excluded = 1;
	solver_input in = input_of(&x);
	mt_arena a;
	mt_error err = {0};
	solver_result r;
	arena_init(&a);
	assert_int_equal(solver_run(&in, &a, &r, &err), 0);
	assert_int_equal(r.n_pairs, 3);
	assert_true(r.pairs[0].mentee == 0 && r.pairs[0].mentor == 1 && r.pairs[0].locked);
	assert_int_equal(r.pairs[0].score, 10);
	assert_true(r.pairs[1].mentee == 1 && r.pairs[1].mentor == 1);
	assert_true(r.pairs[2].mentee == 2 && r.pairs[2].mentor == 0);
	assert_int_equal(r.total, 10 + 70 + 60);
	assert_int_equal(r.locked_total, 10);
	arena_free(&a);
}

static void test_empty(void **state)
{
	(void)state;
	instance x = {.n = 0, .m = 0, .k = 1};
	solver_input in = input_of(&x);
	mt_arena a;
	mt_error err = {0};
	solver_result r;
	arena_init(&a);
	assert_int_equal(solver_run(&in, &a, &r, &err), 0);
	assert_int_equal(r.n_pairs, 0);
	assert_int_equal(r.total, 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_certificate_large),
		cmocka_unit_test(test_certify_rejects_suboptimal),
		cmocka_unit_test(test_certify_rejects_infeasible),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_locked_and_excluded),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
