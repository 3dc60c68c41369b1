/*
 * pair.h - the lifecycle of a mentor-mentee pair.
 *
 *   proposed --approve--> active --complete--> completed
 *      |                    \------end------> ended (early, with a reason)
 *      \------decline-----> declined
 *
 * Terminal states never change again; a mentee whose pair was declined or
 * ended becomes eligible for matching again.  The rules are pure so both
 * the API and the CLI apply the same ones.
 */
#ifndef MT_PAIR_H
#define MT_PAIR_H

#include <stdbool.h>

#include "lib/error.h"

typedef enum pair_status {
	PAIR_PROPOSED = 0,
	PAIR_ACTIVE,
	PAIR_COMPLETED,
	PAIR_DECLINED,
	PAIR_ENDED,
	PAIR_STATUS_COUNT
} pair_status;

typedef enum pair_action {
	PAIR_APPROVE,   /* proposed -> active (also: mentor accepts a request) */
	PAIR_DECLINE,   /* proposed -> declined */
	PAIR_COMPLETE,  /* active -> completed */
	PAIR_END,       /* active -> ended early; needs a reason */
} pair_action;

/* "proposed", "active", ... */
const char *pair_status_name(pair_status s);
/* -1 when unknown. */
int pair_status_from_name(const char *name);
/* "approve", "decline", "complete", "end". */
const char *pair_action_name(pair_action a);

/* The state `action` leads to from `from`, or -1 with a 409 naming the
 * current state when the transition is not allowed (a reason is required
 * for PAIR_END: 422 field "reason" when it is blank). */
int pair_transition(pair_status from, pair_action action, const char *reason, mt_error *err);
/* Terminal states: completed, declined, ended. */
bool pair_status_terminal(pair_status s);

#endif
