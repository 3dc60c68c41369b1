/*
 * pair_activity.h - what the handlers of a pair's activity (sessions,
 * ratings, check-ins, goals, assessments) share: the pair and its program's
 * feedback settings as seen by the signed-in user, and the one way such a
 * write (and a manager's change to a proposed pair) is done.
 *
 * Why: every one of those writes must bump the program's data version (the
 * KPI snapshot is rebuilt from it) as well as be audited; pair_activity_write
 * is audited_write (audited.h) with a program whose version to bump, so no
 * handler can forget it.
 */
#ifndef MT_PAIR_ACTIVITY_H
#define MT_PAIR_ACTIVITY_H

#include <stdbool.h>

#include "domain/session.h"
#include "http/audited.h"
#include "http/request.h"

typedef struct pair_ctx {
	mt_pair pair;
	bool manager;          /* the user manages the pair's program (r->sees_all) */
	bool in_pair;          /* the user's person is the pair's mentor or mentee */
	pair_side side;        /* the user's side, when in_pair */
	bool share_feedback;   /* program setting: the other side reads comments */
	int checkin_interval;  /* program setting checkin_interval_days (default 30) */
	int32_t started_day;   /* day number of started_on, 0 when not started */
} pair_ctx;

/* Load pair `pair_id` (strings in r->arena) and its program's settings.
 * The route's access rule has already run. */
int pair_ctx_load(mt_req *r, int64_t pair_id, pair_ctx *c, mt_error *err);

/* Whether the viewer may read a comment written by author_person. */
bool pair_ctx_comment_visible(const mt_req *r, const pair_ctx *c, int64_t author_person);

/* Hide comments the viewer may not read in every object of `rows` (an
 * array): "comment" becomes null and "comment_hidden" true.  `author_key`
 * names the column holding the author's person id. */
void pair_ctx_redact(const mt_req *r, const pair_ctx *c, json_t *rows, const char *author_key);

/* audited_write(r, op, program_id, id, row, err) for a write to the
 * activity of program `program_id` (> 0), whose data version it bumps. */
int pair_activity_write(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
			mt_error *err);

#endif
