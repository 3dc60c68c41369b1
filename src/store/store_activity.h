/*
 * store_activity.h - writing generated activity (demogen_activity.h) into
 * the database fast: the demo and the large-data benchmark.
 *
 * Why a bulk path beside the typed per-row functions: a million sessions
 * through store_pair_session_create would re-read the clock, re-check
 * topics and return ids one RETURNING at a time.  Here every table has one
 * prepared INSERT reused for all rows, ids are assigned by us (the write
 * lock is held for the whole transaction, so max(id)+1 onwards is ours), and
 * each batch's generator output is freed as soon as it is written.
 */
#ifndef MT_STORE_ACTIVITY_H
#define MT_STORE_ACTIVITY_H

#include <stdint.h>

#include "domain/demogen_activity.h"
#include "store/store.h"

typedef struct store_activity_stats {
	int64_t pairs;        /* pairs that got activity */
	int64_t sessions;
	int64_t topics;
	int64_t ratings;
	int64_t checkins;
	int64_t goals;
	int64_t milestones;
	int64_t goal_comments;
	int64_t assessments;
} store_activity_stats;

/*
 * Writes one generated batch for `pairs` (the input it was generated from).
 * The caller holds the transaction.  Adds to *stats.  Returns 0, or -1 with
 * err filled (the caller rolls back).
 */
int store_activity_write(db *d, const demogen_activity_pair *pairs, const demogen_activity *act,
			 store_activity_stats *stats, mt_error *err);

/*
 * Generates and writes the activity of every pair of program `program_id`
 * (every program when 0) that started, as of day `today` (a day number),
 * from `seed`, in one transaction: batches of pairs are generated and
 * written in turn, each program's data version is bumped and one audit row
 * ("generate", "activity") records the counts.  Pairs should have no
 * activity yet (run once, right after the pairs are made).  Returns 0, or -1
 * with err filled and nothing written.
 */
int store_activity_generate(db *d, const mt_actor *who, int64_t program_id, uint64_t seed,
			    int32_t today, store_activity_stats *stats, mt_error *err);

#endif
