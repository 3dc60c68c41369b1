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

int pair_activity_write(mt_req *r, const audited_op *op, int64_t program_id, int64_t id, void *row,
			mt_error *err)
{
	assert(program_id > 0);
	return audited_write(r, op, program_id, id, row, err);
}
