/* pair_activity.c - see pair_activity.h. */
#include "http/pair_activity.h"

#include <assert.h>
#include <string.h>

#include "domain/validate.h"

int pair_ctx_load(mt_req *r, int64_t pair_id, pair_ctx *c, mt_error *err)
{
	mt_program prog;
	memset(c, 0, sizeof(*c));
	if (store_pair_load(r->db, &r->arena, pair_id, &c->pair, err) < 0 ||
	    store_program_get(r->db, &r->arena, c->pair.program_id, &prog, err) < 0)
		return -1;
	c->manager = r->sees_all;
	int64_t me = r->user.person_id;
	if (me && me == c->pair.mentor_person_id) {
		c->in_pair = true;
		c->side = SIDE_MENTOR;
	} else if (me && me == c->pair.mentee_person_id) {
		c->in_pair = true;
		c->side = SIDE_MENTEE;
	}
	json_t *settings = json_loads(prog.settings ? prog.settings : "{}", 0, NULL);
	c->share_feedback = json_is_true(json_object_get(settings, "share_feedback"));
	json_t *iv = json_object_get(settings, "checkin_interval_days");
	c->checkin_interval = CHECKIN_INTERVAL_DEFAULT;
	if (json_is_integer(iv) && json_integer_value(iv) >= 1 &&
	    json_integer_value(iv) <= CHECKIN_INTERVAL_MAX)
		c->checkin_interval = (int)json_integer_value(iv);
	json_decref(settings);
	if (c->pair.started_on && *c->pair.started_on &&
	    validate_date_parse(c->pair.started_on, &c->started_day) < 0)
		c->started_day = 0;
	return 0;
}

bool pair_ctx_comment_visible(const mt_req *r, const pair_ctx *c, int64_t author_person)
{
	return feedback_comment_visible(c->manager, r->user.person_id, author_person,
					c->share_feedback);
}

static void redact_one(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v && !json_is_null(v)) {
		json_object_set_new(obj, key, json_null());
		json_object_set_new(obj, "comment_hidden", json_true());
	}
}

void pair_ctx_redact(const mt_req *r, const pair_ctx *c, json_t *rows, const char *author_key)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		int64_t author = json_integer_value(json_object_get(row, author_key));
		if (pair_ctx_comment_visible(r, c, author))
			continue;
		redact_one(row, "comment");
		json_t *edits = json_object_get(row, "edits");
		size_t j;
		json_t *e;
		json_array_foreach(edits, j, e) {
			redact_one(e, "old_comment");
			redact_one(e, "new_comment");
		}
	}
}

/* Bump the data version, audit and commit the write begun with db_begin;
 * before/after may be NULL and are not stolen.  Rolls back on failure. */
static int commit_audited(mt_req *r, int64_t program_id, const char *action, const char *entity,
			  int64_t id, json_t *before, json_t *after, mt_error *err)
{
	mt_actor who = req_actor(r);
	if (store_program_touch(r->db, program_id, err) < 0 ||
	    store_audit(r->db, &who, action, entity, id, before, after, err) < 0 ||
	    db_commit(r->db, err) < 0) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

/* The write inside the transaction: *before (updates), the write, *after.
 * On failure the caller rolls back; images already read are the caller's. */
static int write_images(mt_req *r, const pair_activity_op *op, void *row, int64_t *id,
			json_t **before, json_t **after, mt_error *err)
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

int pair_activity_write(mt_req *r, const pair_activity_op *op, int64_t program_id, int64_t id,
			void *row, mt_error *err)
{
	assert(op->read || (op->describe && !id));
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
