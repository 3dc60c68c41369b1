/*
 * match.h - matching a program: load its pool into scoring features, run
 * the exact solver, and store, explain and review proposals.
 *
 * The pool is every member active today: mentees with fewer active pairs
 * than the program's mentors_per_mentee, mentors with free capacity
 * (capacity minus active pairs).  Hard constraints come from the data:
 * reporting lines (people.manager_id, walked upwards), earlier pairs of
 * the program (any state but an unreviewed solver proposal), "not this
 * person" preferences and admin exclusions.  Unlocked solver proposals are
 * replaced by each new run; locked ones stay and use capacity.
 */
#ifndef MT_MATCH_H
#define MT_MATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/match_settings.h"
#include "domain/score.h"
#include "domain/solver.h"
#include "store/store.h"

typedef struct match_member {
	int64_t membership_id;
	int64_t person_id;
	const char *name;
	const char *email;
	int capacity;     /* mentors: capacity; mentees: mentors_per_mentee */
	int used;         /* active pairs */
	score_person f;
} match_member;

typedef struct match_pool {
	match_settings settings;
	match_member *mentors;   /* sorted by membership id */
	size_t n_mentors;
	match_member *mentees;   /* sorted by membership id */
	size_t n_mentees;
	score_names names;
	solver_pair *locked;     /* locked proposals, as indices */
	int64_t *locked_pair_ids;
	size_t n_locked;
	solver_pair *excluded;   /* admin exclusions, as indices */
	size_t n_excluded;
} match_pool;

/* Load the pool of program_id as of `today` (YYYY-MM-DD).  Everything is
 * allocated in `a`.  With `everyone`, members without free capacity are
 * included too (for explaining or checking a single pair). */
int match_pool_load(db *d, mt_arena *a, const mt_program *prog, const char *today,
		    bool everyone, match_pool *pool, mt_error *err);
/* Index of the member with this membership id, or -1. */
int match_pool_find(const match_member *members, size_t n, int64_t membership_id);
/* Score oracle over the pool for the solver. */
int match_pool_score(void *pool, uint32_t mentee, uint32_t mentor);
/* Explain one pair as JSON {"score", "reasons": [{component, points, text}]}. */
json_t *match_pool_explain(const match_pool *pool, mt_arena *a, size_t mentee, size_t mentor);

typedef struct match_run_result {
	solver_result solved;
	json_t *summary;   /* counts, total, certificate, timings */
	json_t *pairs;     /* proposed pairs with scores and reasons */
} match_run_result;

/* Solve the program's pool and (unless dry_run) replace unlocked solver
 * proposals with the new ones, in one transaction with an audit row.
 * The caller owns out->summary and out->pairs. */
int match_run(db *d, mt_arena *a, const mt_actor *who, const mt_program *prog,
	      const char *today, bool dry_run, match_run_result *out, mt_error *err);

/* Top-N mentors with free capacity for one mentee membership, best first,
 * each with its score and reasons.  Caller owns the array. */
json_t *match_recommend(db *d, mt_arena *a, const mt_program *prog, const char *today,
			int64_t mentee_membership_id, mt_error *err);

/* Every eligible pair of the pool with its score components, for audit:
 * JSON array of objects, or CSV text when csv is true (into *csv_out,
 * malloc'd). */
int match_export(db *d, mt_arena *a, const mt_program *prog, const char *today, bool csv,
		 json_t **json_out, char **csv_out, mt_error *err);

#endif
