/* audited.c - see audited.h. */
#include "http/audited.h"

#include <assert.h>

/* Bump the data versions (if any), audit and commit the write begun with
 * db_begin; before/after may be NULL and are not stolen.  Rolls back on
 * failure. */
static int commit_audited(mt_req *r, const audited_op *op, int64_t program_id, const char *action,
			  int64_t id, json_t *before, json_t *after, mt_error *err)
{
	mt_actor who = req_actor(r);
	if ((program_id && store_program_touch(r->db, program_id, err) < 0) ||
	    (op->touch_all_programs && store_program_touch_all(r->db, err) < 0) ||
	    store_audit(r->db, &who, action, op->entity, id, before, after, err) < 0 ||
	    db_commit(r->db, err) < 0) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

/* The write inside the transaction: *before (updates with a reader), the
 * write, *after (if the op has one).  On failure the caller rolls back;
 * images already read are the caller's. */
static int write_images(mt_req *r, const audited_op *op, void *row, int64_t *id, json_t **before,
			json_t **after, mt_error *err)
{
	if (*id && op->read && !(*before = op->read(r->db, *id, err)))
		return -1;
	int64_t written = op->write(r, row, err);
	if (written < 0)
		return -1;
	if (!*id)
		*id = written;
	if (op->read)
		return (*after = op->read(r->db, *id, err)) ? 0 : -1;
	if (op->describe && !(*after = op->describe(row, *id)))
		return mt_internal(err, "out of memory describing the new %s", op->entity);
	return 0;
}

int audited_apply(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
		  json_t **after, mt_error *err)
{
	assert(op->entity && op->write);
	assert(program_id >= 0);
	const char *action = op->action ? op->action : id ? "update" : "create";
	json_t *before = NULL;
	*after = NULL;
	if (db_begin(r->db, err) < 0)
		return -1;
	if (write_images(r, op, row, &id, &before, after, err) < 0) {
		db_rollback(r->db);
		goto fail;
	}
	if (commit_audited(r, op, program_id, action, id, before, *after, err) < 0)
		goto fail;
	json_decref(before);
	return 0;
fail:
	json_decref(before);
	json_decref(*after);
	*after = NULL;
	return -1;
}

int audited_write(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
		  mt_error *err)
{
	json_t *after;
	if (audited_apply(r, op, program_id, id, row, &after, err) < 0)
		return -1;
	return req_reply(r, !after ? 204 : id ? 200 : 201, after);
}
