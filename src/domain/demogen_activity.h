/*
 * demogen_activity.h - deterministic demo activity for pairs that exist:
 * sessions with a realistic rhythm, their ratings and comments, check-ins,
 * goals with milestones and the mentor's comments, and start / mid / end
 * self-assessments.
 *
 * Why per pair: each pair's activity comes from its own PRNG stream, seeded
 * from (seed, pair id), so the output for a pair does not depend on which
 * other pairs are generated with it or in what batch.  The bulk writer
 * (store/store_activity.c) can then generate and write 40,000 pairs in
 * batches of any size, with bounded memory, and still produce the same
 * database as one big call.  Pure: no clock, no I/O; `today` is passed in.
 *
 * The shape, per pair that started (active, completed or ended):
 *  - a rhythm of weekly, fortnightly, three-weekly or monthly (with a few
 *    days of jitter), 30-90 minutes; an intro session first for ~88% of
 *    pairs, most within two weeks of the start; ~6% cancelled and ~4% no-show
 *    among past sessions; ~8% of active pairs stall (nothing in the last 30+
 *    days); an active pair that has not stalled has its next session
 *    scheduled;
 *  - ratings of completed sessions by the mentee (~85%) and the mentor
 *    (~70%): good pairs mostly 4-5, a sixth of pairs "poor" with a tail of
 *    1-3; comments on about one in four ratings;
 *  - a check-in per side about monthly (~70% answered), tracking the pair's
 *    quality;
 *  - 1-3 goals across the six categories (new-skill goals linked to a wanted
 *    skill), some achieved (more in completed pairs), 0-3 milestones each,
 *    a mentor comment on about a third;
 *  - start assessments for the mentee's skills and goals (~90%), mid-way for
 *    some, end ones for completed and ended pairs (~80%) that mostly improve;
 *    the mentor's view for about a third of pairs;
 *  - half of completed sessions list one topic (a goal or a skill).
 */
#ifndef MT_DEMOGEN_ACTIVITY_H
#define MT_DEMOGEN_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

/* A pair to generate for.  Pairs whose status is not active, completed or
 * ended, or that have no start day, get nothing. */
typedef struct demogen_activity_pair {
	int64_t pair_id;
	int64_t program_id;
	int64_t mentor_person_id;
	int64_t mentee_person_id;
	int64_t mentee_membership_id;
	const char *status;        /* "active", "completed", "ended", ... */
	int32_t started_on;        /* day number (validate.h) */
	int32_t ended_on;          /* day number, or -1 while active */
	const int64_t *skill_ids;  /* skills the mentee wants (catalogue ids) */
	size_t n_skills;
} demogen_activity_pair;

/* Enumerations are indices into the canonical names of session.h and
 * goal.h (SESSION_*, SESSION_INTRO/REGULAR, SIDE_*, GOAL_*, PHASE_*) and
 * model.h's mt_goal_category. */
typedef struct demogen_session {
	uint32_t pair;             /* index into the input pairs */
	int64_t held_at;           /* UTC epoch seconds */
	int16_t minutes;
	uint8_t kind;
	uint8_t status;
	int32_t topic_goal;        /* index into goals, or -1 */
	int64_t topic_skill;       /* catalogue id, or 0 */
} demogen_session;

typedef struct demogen_rating {
	uint32_t session;          /* index into sessions */
	uint8_t side;              /* the rater's side */
	uint8_t score;
	const char *comment;       /* static text or NULL */
} demogen_rating;

typedef struct demogen_checkin {
	uint32_t pair;
	uint8_t side;
	uint8_t score;
	const char *comment;
	int64_t answered_at;
} demogen_checkin;

typedef struct demogen_goal {
	uint32_t pair;
	uint8_t category;
	uint8_t status;
	const char *description;
	int64_t skill_id;          /* 0 = none */
	int32_t set_on;
	int32_t target_date;
	int32_t achieved_on;       /* -1 unless achieved */
	const char *mentor_comment; /* NULL = none */
} demogen_goal;

typedef struct demogen_milestone {
	uint32_t goal;             /* index into goals */
	uint8_t status;
	const char *title;
	int32_t due_date;
	int32_t achieved_on;       /* -1 unless achieved */
} demogen_milestone;

typedef struct demogen_assessment {
	uint32_t pair;
	uint8_t assessor;          /* SIDE_MENTEE (self) or SIDE_MENTOR */
	uint8_t phase;
	uint8_t score;
	int64_t skill_id;          /* exactly one of skill_id, goal >= 0 */
	int32_t goal;              /* index into goals, or -1 */
	int32_t assessed_on;
} demogen_assessment;

typedef struct demogen_activity {
	demogen_session *sessions;
	size_t n_sessions;
	demogen_rating *ratings;
	size_t n_ratings;
	demogen_checkin *checkins;
	size_t n_checkins;
	demogen_goal *goals;
	size_t n_goals;
	demogen_milestone *milestones;
	size_t n_milestones;
	demogen_assessment *assessments;
	size_t n_assessments;
} demogen_activity;

/*
 * Generates the activity of pairs[0..n) as of `today` (a day number) into
 * *out; arrays live in `a`, texts are static.  Within each array the rows
 * of a pair are contiguous and in pair order; sessions of a pair are in
 * time order.  Same (seed, pair, today), same rows.  Never fails (the arena
 * aborts on OOM).
 */
void demogen_activity_generate(mt_arena *a, uint64_t seed, const demogen_activity_pair *pairs,
			       size_t n, int32_t today, demogen_activity *out);

#endif
