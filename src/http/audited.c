/* audited.c - see audited.h. */
#include "http/audited.h"

#include <assert.h>

/* Bump the data version (if any), audit and commit the write begun with
 * db_begin; before/after may be NULL and are not stolen.  Rolls back on
 * failure. */
static int commit_audited(mt_req *r, int64_t program_id, const char *action, const char *entity,
			  int64_t id, json_t *before, json_t *after, mt_error *err)
{
	mt_actor who = req_actor(r);
	if ((program_id && store_program_touch(r->db, program_id, err) < 0) ||
	    store_audit(r->db, &who, action, entity, id, before, after, err) < 0 ||
	    db_commit(r->db, err) < 0) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

/* The write inside the transaction: *before (updates), the write, *after.
 * On failure the caller rolls back; images already read are the caller's. */
static int write_images(mt_req *r, const audited_op *op, void *row, int64_t *id, json_t **before,
			json_t **after, mt_error *err)
{
	if (*id && !(*before = op->read(r->db, *id, err)))
		return -1;
	int64_t written = op->write(r, row, err);
	if (written < 0)
		return -1;
	if (!*id)
		*id = written;
	if (op->read)
		return (*after = op->read(r->db, *id, err)) ? 0 : -1;
	if (!(*after = op->describe(row, *id)))
		return mt_internal(err, "out of memory describing the new %s", op->entity);
	return 0;
}

int audited_write(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
		  mt_error *err)
{
	assert(op->read || (op->describe && !id));
	assert(program_id >= 0);
	bool create = id == 0;
	json_t *before = NULL, *after = NULL;
	if (db_begin(r->db, err) < 0)
		return -1;
	if (write_images(r, op, row, &id, &before, &after, err) < 0) {
		db_rollback(r->db);
		goto fail;
	}
	const char *action = op->action ? op->action : create ? "create" : "update";
	if (commit_audited(r, program_id, action, op->entity, id, before, after, err) < 0)
		goto fail;
	json_decref(before);
	return req_reply(r, create ? 201 : 200, after);
fail:
	json_decref(before);
	json_decref(after);
	return -1;
}
