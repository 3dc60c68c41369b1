/*
 * pair_activity.h - what the handlers of a pair's activity (sessions,
 * ratings, check-ins, goals, assessments) share: the pair and its program's
 * feedback settings as seen by the signed-in user, and the one way such a
 * write is finished.
 *
 * Why: every one of those writes must bump the program's data version (the
 * KPI snapshot is rebuilt from it) and record an audit row in the same
 * transaction; doing it in one helper means no handler can forget either.
 */
#ifndef MT_PAIR_ACTIVITY_H
#define MT_PAIR_ACTIVITY_H

#include <stdbool.h>

#include "domain/session.h"
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

/*
 * Finish a write begun with db_begin: bump the program's data version,
 * record the audit row (before/after may be NULL; not stolen) and commit.
 * On failure rolls back and returns -1.  On success returns 0.
 */
int pair_activity_commit(mt_req *r, int64_t program_id, const char *action,
			 const char *entity, int64_t id, json_t *before, json_t *after,
			 mt_error *err);

/* Parse optional ?from= and ?to= (YYYY-MM-DD) into the query as
 * "<column> >= from" and "<column> < day after to" (column holds dates or
 * UTC timestamps); 400 naming the parameter when a date does not parse. */
int pair_activity_date_range(mt_req *r, query *q, const char *column, mt_error *err);

/* Parse an optional positive integer query parameter; 400 on junk. */
int pair_activity_query_id(mt_req *r, const char *key, int64_t *out, bool *present,
			   mt_error *err);

#endif
