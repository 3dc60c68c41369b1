/*
 * success.h - a program's success criteria for a pairing, and the one
 * function that decides whether a pair met them over its whole life.
 *
 * Why its own module: the KPI engine (H1's success rate), the health
 * monitor and exports must agree on what "successful" means, so the
 * decision is made here once.  Criteria come from the program's settings:
 *
 *   {"success": {"min_mean_rating": 4, "min_sessions": 6}}
 *
 * A pair is successful when it held at least min_sessions sessions and each
 * side's mean rating is at least min_mean_rating.  A side is the rater's side
 * (the mean of the ratings the mentor gave, and of those the mentee gave); a
 * side that gave no rating fails.  Only held (completed) sessions and their
 * ratings count, over the pair's whole life, whatever the report's range.
 */
#ifndef MT_SUCCESS_H
#define MT_SUCCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"

enum { SUCCESS_MIN_SESSIONS_DEFAULT = 6, SUCCESS_MIN_SESSIONS_MAX = 1000 };

typedef struct success_criteria {
	/* The minimum mean rating in hundredths (400 = 4.00), so that the
	 * comparison is exact: a mean of 3.995 never rounds into success. */
	int min_mean_rating_centi;   /* 100..500, default 400 */
	int min_sessions;            /* 0..1000, default 6 */
} success_criteria;

/* What the decision needs about one pair, over its whole life. */
typedef struct success_tally {
	int64_t held_sessions;       /* completed sessions */
	int64_t mentor_ratings;      /* ratings given by the mentor side, of held sessions */
	int64_t mentor_score_sum;    /* sum of those scores (1..5 each) */
	int64_t mentee_ratings;      /* the same for the mentee side */
	int64_t mentee_score_sum;
} success_tally;

/* The defaults: both sides average >= 4 and at least 6 held sessions. */
void success_criteria_default(success_criteria *c);
/* Read settings.success from a program's settings JSON text (NULL or ""
 * gives the defaults).  min_mean_rating is a number from 1 to 5 with at most
 * two decimals; min_sessions a whole number from 0 to 1000.  422 naming the
 * field, e.g. "settings.success.min_sessions". */
int success_criteria_parse(const char *settings_json, success_criteria *out, mt_error *err);

/* true when the pair met the criteria.  Pure and exact (integer arithmetic). */
bool success_pair_met(const success_criteria *c, const success_tally *t);

/* Add one held session / one rating of a held session to a tally. */
void success_tally_session(success_tally *t);
void success_tally_rating(success_tally *t, bool by_mentor, int score);

#endif
