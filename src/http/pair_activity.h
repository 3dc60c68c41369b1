/*
 * pair_activity.h - what the handlers of a pair's activity (sessions,
 * ratings, check-ins, goals, assessments) share: the pair and its program's
 * feedback settings as seen by the signed-in user, and the one way such a
 * write (and a manager's change to a proposed pair) is done.
 *
 * Why: every one of those writes must bump the program's data version (the
 * KPI snapshot is rebuilt from it) and record an audit row in the same
 * transaction, with the row as it was before and after; doing the whole
 * transaction in one helper (pair_activity_write) means no handler can
 * forget a step or leave a transaction open on an error path.
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
 * One kind of audited write (a handler declares one static op per kind):
 * the audit entity, the write, and how the row is shown before and after.
 */
typedef struct pair_activity_op {
	const char *entity; /* audit entity: "session", "goal", ... */
	/* The write, given the handler's `row`.  Returns -1 on failure (err
	 * filled), else a create's new row id (an update's result is ignored). */
	int64_t (*write)(mt_req *r, void *row, mt_error *err);
	/* Row `id` as JSON (caller owns it): the before and after images. */
	json_t *(*read)(db *d, int64_t id, mt_error *err);
	/* With no reader (read NULL, creates only): the after image of the
	 * row just created, described from `row` (caller owns it). */
	json_t *(*describe)(const void *row, int64_t id);
	/* The audit action; NULL for "create" or "update" as the write is. */
	const char *action;
} pair_activity_op;

/*
 * Run op on `row` in one transaction: begin, read row `id` before (an
 * update; id 0 is a create), write, read it after, bump the data version
 * of program `program_id`, record the audit row (op->action, or
 * "create" or "update", with both images), commit, and answer 201 (create) or 200 (update) with
 * the after image.  Any failure rolls back and returns -1 with err filled;
 * success returns 0.
 */
int pair_activity_write(mt_req *r, const pair_activity_op *op, int64_t program_id, int64_t id,
			void *row, mt_error *err);

#endif
