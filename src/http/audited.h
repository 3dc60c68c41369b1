/*
 * audited.h - the one way a handler writes a row through the API: in one
 * transaction, with an audit row holding the row as it was before and
 * after the write.
 *
 * Why: every write the API makes must be audited in the same transaction
 * as the write, and a write to a program's activity must also bump that
 * program's data version (the KPI snapshot is rebuilt from it).  Doing the
 * whole transaction in one helper (audited_write) means no handler can
 * forget a step or leave a transaction open on an error path; a handler
 * only declares what it writes (an audited_op) and parses its input.
 */
#ifndef MT_AUDITED_H
#define MT_AUDITED_H

#include <stdbool.h>

#include "http/request.h"

/*
 * One kind of audited write (a handler declares one static op per kind):
 * the audit entity, the write, and how the row is shown before and after.
 */
typedef struct audited_op {
	const char *entity; /* audit entity: "session", "user", ... */
	/* The write, given the handler's `row`.  Returns -1 on failure (err
	 * filled), else a create's new row id (an update's result is ignored). */
	int64_t (*write)(mt_req *r, void *row, mt_error *err);
	/* Row `id` as JSON (caller owns it): the before and after images. */
	json_t *(*read)(db *d, int64_t id, mt_error *err);
	/* With no reader (read NULL): the after image, described from `row`
	 * and the row id (caller owns it); there is no before image then.
	 * With neither, the write has no images (a delete). */
	json_t *(*describe)(const void *row, int64_t id);
	/* The audit action; NULL for "create" or "update" as the write is. */
	const char *action;
	/* Also bump every program's data version: people feed every
	 * program's KPIs (headcount, departments). */
	bool touch_all_programs;
} audited_op;

/*
 * Run op on `row` in one transaction and answer: begin, read row `id`
 * before (an update, id > 0, with a reader; id 0 is a create), write, read
 * or describe it after, bump the data version of program `program_id` (0:
 * none to bump) and, with op->touch_all_programs, of every program, record
 * the audit row (op->action, or "create" or "update", with both images),
 * commit, and answer 201 (create) or 200 (update) with the after image, or
 * 204 with no body when the op has none.  Any failure rolls back and
 * returns -1 with err filled; success returns 0.
 */
int audited_write(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
		  mt_error *err);

/* audited_write without the answer, for a handler that answers with more
 * than the audit may hold (a new API token): on success *after is the
 * after image (caller owns it; NULL when the op has none), on failure
 * NULL. */
int audited_apply(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
		  json_t **after, mt_error *err);

#endif
