/*
 * goal.h - the rules of a mentee's goals, their milestones and the
 * skill or goal self-assessments.
 *
 * Why here: the achieved date and the status must move together (G4 counts
 * a goal as achieved on its achieved_on day, so "achieved" without a date or
 * a date without "achieved" would make the KPI disagree with the screen),
 * and which assessments are due follows from the pair's state and what was
 * already answered (the start one once the pair is active, the end one once
 * it completed or ended).  Pure: the caller passes today.
 */
#ifndef MT_GOAL_H
#define MT_GOAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

typedef enum goal_status {
	GOAL_NOT_STARTED = 0,
	GOAL_IN_PROGRESS,
	GOAL_ACHIEVED,
	GOAL_DROPPED,
	GOAL_STATUS_COUNT
} goal_status;

typedef enum assessment_phase {
	PHASE_START = 0,
	PHASE_MID,
	PHASE_END,
	PHASE_COUNT
} assessment_phase;

/* "not_started", "in_progress", "achieved", "dropped" (also for milestones);
 * "start", "mid", "end". */
const char *goal_status_name(goal_status s);
const char *assessment_phase_name(assessment_phase p);
int goal_parse_status(const char *field, const char *s, goal_status *out, mt_error *err);
int assessment_parse_phase(const char *field, const char *s, assessment_phase *out,
			   mt_error *err);

/*
 * Applies a status (and an optional achieved date given by the user,
 * day number or -1 when absent) to a goal or milestone set on day `set_on`:
 *  - achieved: *achieved_on is the given day, else today; it may not be
 *    after today nor before set_on (422 "achieved_on");
 *  - any other status: *achieved_on = -1; giving a date is a 422.
 */
int goal_apply_status(goal_status status, int32_t given_achieved_on, int32_t set_on,
		      int32_t today, int32_t *achieved_on, mt_error *err);

/* A target date may not lie before the day the goal was set (422 field). */
int goal_check_target(const char *field, int32_t target, int32_t set_on, mt_error *err);

/* One subject a mentee assesses in a pairing: a wanted skill or a goal,
 * with what the mentee already answered for it in this pair. */
typedef struct assessment_subject {
	int64_t skill_id;  /* exactly one of skill_id, goal_id is set */
	int64_t goal_id;
	bool has_start;
	bool has_end;
} assessment_subject;

typedef struct assessment_due_item {
	int64_t skill_id;
	int64_t goal_id;
	assessment_phase phase;
} assessment_due_item;

/*
 * The mentee's self-assessments due for a pair in `pair_status`: for a pair
 * that started (active, completed, ended) every subject without a start
 * score is due "start"; for a completed or ended pair every subject without
 * an end score is due "end".  Mid-way scores are optional and never due.
 * Writes up to 2 * n items into out (caller provides room) and returns the
 * count, start items first, subjects in the given order.
 */
size_t assessment_due(const char *pair_status, const assessment_subject *subjects, size_t n,
		      assessment_due_item *out);

#endif
