/*
 * solver.h - exact maximum-score assignment of mentees to mentors.
 *
 * Given mentees (each takes at most k mentors), mentors with free capacity
 * and a score for every eligible pair, find pairs that maximise the total
 * score: a maximum-weight b-matching, solved as a min-cost flow.  The
 * answer is the true optimum and comes with a certificate that anyone can
 * check against every pair (solver_certify()):
 *
 *   primal  max sum s_ij x_ij  s.t.  sum_j x_ij <= k_i,  sum_i x_ij <= c_j,
 *           0 <= x_ij <= 1 over eligible pairs;
 *   dual    for mentor prices v_j >= 0 the bound
 *           B(v) = sum_j c_j v_j + sum_i (sum of the k_i largest positive
 *                  values of s_ij - v_j over eligible j)
 *           is >= every feasible total (weak duality).  For k_i = 1 the
 *           mentee term is u_i = max(0, max_j s_ij - v_j).
 *
 * A proposal whose total equals B(v) is optimal, and v proves it.
 *
 * How it is fast (see solver.c): the flow is solved on a sparse candidate
 * graph (each mentee's best mentors and each mentor's best mentees) by
 * primal-dual rounds of Dijkstra plus depth-first augmentation, every
 * eligible pair is then priced with the dual prices, pairs that would
 * improve the total join the graph and are repaired in with a few
 * shortest-path augmentations, and the loop stops when no pair is left:
 * the last pricing pass is the certificate.
 *
 * Determinism: no randomness, no hashing by address, and scoring threads
 * (solver_input.threads) never change the result; the same input gives
 * the same output.  Ties between equal-score solutions are
 * broken by index (lower indices first), so callers that sort mentees and
 * mentors by id get ties broken by id.
 */
#ifndef MT_SOLVER_H
#define MT_SOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

enum {
	SOLVER_SCORE_MAX = 10000,  /* oracle scores must lie in -1..SOLVER_SCORE_MAX */
};

/*
 * Score oracle: the score of mentor `mentor` for mentee `mentee` (indices),
 * >= 0, or -1 when the pair is ineligible.  Must be pure: the same
 * arguments always give the same answer.  Scores below the input's
 * min_score are treated as ineligible by the solver.
 */
typedef int (*solver_score_fn)(void *ctx, uint32_t mentee, uint32_t mentor);

/* Optional faster oracle: the scores of mentee `mentee` against every
 * mentor, into scores[0..n_mentors), with the same meaning. */
typedef void (*solver_row_fn)(void *ctx, uint32_t mentee, int *scores);

typedef struct solver_pair {
	uint32_t mentee;   /* index */
	uint32_t mentor;   /* index */
	int score;         /* the oracle's score (0 for a locked pair it calls ineligible) */
	bool locked;       /* an admin's locked pair, kept as is */
} solver_pair;

typedef struct solver_input {
	size_t n_mentees;
	size_t n_mentors;
	const int *mentor_capacity;  /* n_mentors free seats c_j >= 0, locked pairs included */
	const int *mentee_capacity;  /* n_mentees k_i >= 0, or NULL: every mentee takes k */
	int k;                       /* mentors per mentee when mentee_capacity is NULL; 0 means 1 */
	int min_score;               /* pairs scoring less are never proposed */
	solver_score_fn score;       /* required (certify and locked pairs use it) */
	solver_row_fn score_row;     /* optional; used to score whole rows when set */
	void *ctx;
	const solver_pair *locked;   /* must stay; they use capacity on both sides */
	size_t n_locked;
	const solver_pair *excluded; /* never proposed (score and locked ignored) */
	size_t n_excluded;

	/* Tuning; 0 takes the default.  They change speed, never the optimum. */
	int candidates_per_mentee;   /* default max(24, 8 k) */
	int candidates_per_mentor;   /* default 12 + 3 c_j */
	size_t dense_limit;          /* cache all scores when n_mentees * n_mentors
				      * is at most this; default 64 M (2 bytes a pair) */
	int threads;                 /* threads that score pairs, default 1; with more
				      * than one the oracles are called concurrently
				      * and must be thread-safe (pure functions are) */
} solver_input;

typedef struct solver_stats {
	size_t eligible;       /* eligible free pairs (excluding locked ones) */
	size_t arcs;           /* pairs in the final candidate graph */
	size_t initial_arcs;   /* pairs in the first candidate graph */
	size_t violators;      /* pairs added by pricing, over all rounds */
	size_t searches;       /* Dijkstra searches (primal-dual rounds and repairs) */
	int rounds;            /* pricing passes over all pairs (>= 1) */
} solver_stats;

typedef struct solver_result {
	solver_pair *pairs;    /* locked and proposed, sorted by mentee then mentor */
	size_t n_pairs;
	int64_t total;         /* sum of the pairs' scores, locked pairs included */
	int64_t locked_total;  /* the locked pairs' share of total */
	int *mentor_price;     /* n_mentors dual prices v_j >= 0: the certificate */
	int64_t bound;         /* B(v) over the free capacity; total == locked_total + bound */
	solver_stats stats;
} solver_result;

/*
 * Solve.  On success returns 0 and fills `out`; pairs and prices are
 * allocated in `arena` (the caller frees the arena).  Working memory is
 * freed before returning.  Returns -1 with `err` (status 422, field named)
 * when the input is invalid: a negative capacity, an index out of range,
 * a locked pair listed twice or excluded, locked pairs beyond a capacity,
 * or an oracle score above SOLVER_SCORE_MAX.
 */
int solver_run(const solver_input *in, mt_arena *arena, solver_result *out,
	       mt_error *err);

/*
 * Check a proposal against every pair: feasibility (indices, no duplicate,
 * every locked pair present, no excluded pair, every free pair eligible
 * with the oracle's score, capacities and k respected) and optimality (its
 * free total equals the dual bound B(mentor_price) over all pairs).
 * Returns 0 when the proposal is proven optimal; -1 with `err` saying what
 * fails otherwise.  *bound (if not NULL) receives B(v) over the free
 * capacity when it could be computed, else -1.  Costs one oracle call per
 * pair; no allocation survives the call.
 */
int solver_certify(const solver_input *in, const solver_pair *pairs, size_t n_pairs,
		   const int *mentor_price, int64_t *bound, mt_error *err);

#endif
