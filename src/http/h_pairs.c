/*
 * h_pairs.c - matching and pairs: run the solver, review proposals,
 * recommendations and requests (mentee chooses), manual pairing, and the
 * pair lifecycle (approve, decline, complete, end).
 *
 * Hard constraints are checked the same way on every path (domain/score.c
 * through the program's pool), so a manual pair can never be one the
 * solver would refuse; the error names the broken constraint.
 */
#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pair.h"
#include "http/audited.h"
#include "http/list_filter.h"
#include "http/pair_activity.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"
#include "store/match.h"

static const char *today(mt_req *r)
{
	char *buf = arena_alloc(&r->arena, 16);
	time_today(buf, 16);
	return buf;
}

static bool is_pair_status(const char *v)
{
	return pair_status_from_name(v) >= 0;
}

static const list_filter pair_filters[] = {
	LIST_OWN("(pr.mentor_person_id = $? OR pr.mentee_person_id = $?)"),
	LIST_CHECK("status", "pr.status = $?", is_pair_status,
		   "status must be proposed, active, completed, declined or ended"),
	LIST_ENUM("source", "pr.source = $?", query_pair_sources),
	LIST_LIKE("q", "(mo.name LIKE $? OR me.name LIKE $?)"),
	LIST_END,
};

int h_pairs_list(mt_req *r, mt_error *err)
{
	return list_filter_serve_program(r, pair_filters, store_pair_list, err);
}

int h_pairs_get(mt_req *r, mt_error *err)
{
	json_t *p = store_pair_json(r->db, r->ids[0], err);
	if (!p)
		return -1;
	json_t *events = store_pair_events(r->db, r->ids[0], err);
	if (!events) {
		json_decref(p);
		return -1;
	}
	json_object_set_new(p, "history", events);
	return req_reply(r, 200, p);
}

/* Check that a new pair of these two memberships is allowed and fill `out`
 * with its people, score and reasons.  Used by manual pairing, requests
 * and swaps. */
static int check_new_pair(mt_req *r, const mt_program *prog, int64_t mentee_ms, int64_t mentor_ms,
			  int64_t ignore_pair_people, mt_pair *out, mt_error *err)
{
	match_pool pool;
	if (match_pool_load(r->db, &r->arena, prog, today(r), true, &pool, err) < 0)
		return -1;
	int i = match_pool_find(pool.mentees, pool.n_mentees, mentee_ms);
	int j = match_pool_find(pool.mentors, pool.n_mentors, mentor_ms);
	if (i < 0)
		return mt_invalid(err, "mentee_membership_id", "membership %lld is not an active "
				  "mentee of this program", (long long)mentee_ms);
	if (j < 0)
		return mt_invalid(err, "mentor_membership_id", "membership %lld is not an active "
				  "mentor of this program", (long long)mentor_ms);
	match_member *e = &pool.mentees[i], *m = &pool.mentors[j];
	score_names names = pool.names;
	names.mentee = e->name;
	names.mentor = m->name;
	if (score_check_error(&e->f, &m->f, &names, err) < 0) {
		snprintf(err->field, sizeof(err->field), "mentor_membership_id");
		return -1;
	}
	if (m->used >= m->capacity)
		return mt_fail(err, 409, "capacity", "mentor_membership_id",
			       "%s already has %d active mentee%s, their capacity", m->name, m->used,
			       m->used == 1 ? "" : "s");
	if (!ignore_pair_people && e->used >= e->capacity)
		return mt_fail(err, 409, "mentee_paired", "mentee_membership_id",
			       "%s already has an active mentor", e->name);
	json_t *why = match_pool_explain(&pool, &r->arena, (size_t)i, (size_t)j);
	char *reasons = json_dumps(json_object_get(why, "reasons"), JSON_COMPACT);
	out->score = (int)json_integer_value(json_object_get(why, "score"));
	out->reasons = arena_strdup(&r->arena, reasons);
	free(reasons);
	json_decref(why);
	out->program_id = prog->id;
	out->mentee_membership_id = mentee_ms;
	out->mentor_membership_id = mentor_ms;
	out->mentee_person_id = e->person_id;
	out->mentor_person_id = m->person_id;
	return 0;
}

static int64_t pair_insert(mt_req *r, void *row, mt_error *err)
{
	return store_pair_create(r->db, row, r->user.id, req_actor(r).name, err);
}

static const audited_op pair_insert_op = {
	.entity = "pair", .write = pair_insert, .read = store_pair_json};

int h_pairs_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"mentor_membership_id", "mentee_membership_id",
					      "status", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	int64_t mentor = 0, mentee = 0;
	const char *status = "active";
	mt_program prog;
	mt_pair p;
	memset(&p, 0, sizeof(p));
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_int(body, "mentor_membership_id", true, 1, INT64_MAX, &mentor, NULL, err) < 0 ||
	    json_get_int(body, "mentee_membership_id", true, 1, INT64_MAX, &mentee, NULL, err) < 0 ||
	    json_get_str(body, "status", false, &status, NULL, err) < 0)
		goto out;
	if (strcmp(status, "active") && strcmp(status, "proposed")) {
		mt_invalid(err, "status", "a new pair is \"active\" or \"proposed\"");
		goto out;
	}
	if (store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0 ||
	    check_new_pair(r, &prog, mentee, mentor, 0, &p, err) < 0)
		goto out;
	p.status = status;
	p.source = "manual";
	p.proposed_on = today(r);
	p.started_on = strcmp(status, "active") == 0 ? p.proposed_on : NULL;
	rc = audited_write(r, &pair_insert_op, 0, 0, &p, err);
out:
	json_decref(body);
	return rc;
}

/* The signed-in mentee's membership in the program, or a manager's pick
 * (?membership_id= / body mentee_membership_id). */
static int mentee_membership(mt_req *r, int64_t given, int64_t *out, mt_error *err)
{
	if (r->sees_all && given) {
		*out = given;
		return 0;
	}
	*out = store_membership_find(r->db, r->ids[0], r->user.person_id, "mentee", err);
	if (*out < 0)
		return -1;
	if (!*out)
		return mt_forbidden(err, "you are not a mentee of this program%s",
				    r->sees_all ? "; pass membership_id to act for one" : "");
	return 0;
}

int h_pairs_recommendations(mt_req *r, mt_error *err)
{
	long given = 0;
	int64_t mentee;
	mt_program prog;
	if (req_int(r, "membership_id", 1, 0x7fffffff, &given, NULL, err) < 0 ||
	    mentee_membership(r, given, &mentee, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0)
		return -1;
	json_t *list = match_recommend(r->db, &r->arena, &prog, today(r), mentee, err);
	if (!list)
		return -1;
	return req_reply(r, 200, json_pack("{s:I, s:o}", "mentee_membership_id",
					   (json_int_t)mentee, "items", list));
}

int h_pairs_request(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"mentor_membership_id", "mentee_membership_id", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	int64_t mentor = 0, given = 0, mentee;
	mt_program prog;
	mt_pair p;
	memset(&p, 0, sizeof(p));
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_int(body, "mentor_membership_id", true, 1, INT64_MAX, &mentor, NULL, err) < 0 ||
	    json_get_int(body, "mentee_membership_id", false, 1, INT64_MAX, &given, NULL, err) < 0 ||
	    mentee_membership(r, given, &mentee, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0 ||
	    check_new_pair(r, &prog, mentee, mentor, 0, &p, err) < 0)
		goto out;
	p.status = "proposed";
	p.source = "request";
	p.proposed_on = today(r);
	rc = audited_write(r, &pair_insert_op, 0, 0, &p, err);
out:
	json_decref(body);
	return rc;
}

int h_pairs_match(mt_req *r, mt_error *err)
{
	bool dry_run = false;
	mt_program prog;
	match_run_result res;
	mt_actor who = req_actor(r);
	if (req_flag(r, "dry_run", &dry_run, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0 ||
	    match_run(r->db, &r->arena, &who, &prog, today(r), dry_run, &res, err) < 0)
		return -1;
	return req_reply(r, dry_run ? 200 : 201,
			 json_pack("{s:o, s:o}", "summary", res.summary, "pairs", res.pairs));
}

int h_pairs_export(mt_req *r, mt_error *err)
{
	const char *format = req_query(r, "format");
	bool csv = format && !strcmp(format, "csv");
	if (format && !csv && strcmp(format, "json"))
		return mt_bad_request(err, "format", "format must be csv or json");
	mt_program prog;
	json_t *rows = NULL;
	char *text = NULL;
	if (store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0 ||
	    match_export(r->db, &r->arena, &prog, today(r), csv, &rows, &text, err) < 0)
		return -1;
	if (!csv)
		return req_reply(r, 200, json_pack("{s:o}", "items", rows));
	r->raw = arena_strdup(&r->arena, text);
	r->raw_len = strlen(text);
	free(text);
	r->content_type = "text/csv; charset=utf-8";
	r->disposition = arena_printf(&r->arena, "attachment; filename=\"program-%lld-scores.csv\"",
				      (long long)prog.id);
	r->status = 200;
	return 0;
}

/* Before a proposal becomes active: seats may have filled since it was made. */
static int check_capacity(mt_req *r, const mt_pair *p, mt_error *err)
{
	mt_membership mentor, mentee;
	mt_program prog;
	match_settings settings;
	int64_t mentor_used = store_pair_active_count(r->db, p->mentor_membership_id, err);
	int64_t mentee_used = store_pair_active_count(r->db, p->mentee_membership_id, err);
	if (mentor_used < 0 || mentee_used < 0 ||
	    store_membership_load(r->db, &r->arena, p->mentor_membership_id, &mentor, err) < 0 ||
	    store_membership_load(r->db, &r->arena, p->mentee_membership_id, &mentee, err) < 0 ||
	    store_program_get(r->db, &r->arena, p->program_id, &prog, err) < 0 ||
	    match_settings_parse(prog.settings, &settings, err) < 0)
		return -1;
	if (mentor_used >= mentor.capacity)
		return mt_fail(err, 409, "capacity", "mentor_membership_id",
			       "the mentor already has %lld active mentees, their capacity",
			       (long long)mentor_used);
	if (mentee_used >= settings.mentors_per_mentee)
		return mt_fail(err, 409, "mentee_paired", "mentee_membership_id",
			       "the mentee already has an active mentor");
	return 0;
}

/* A lifecycle change of a loaded pair: to status `to` (pair_transition's
 * answer), with the optional reason. */
typedef struct pair_change {
	const mt_pair *pair;
	int to;
	const char *reason;
} pair_change;

/* The change `action` makes to pair p: -1 (err filled) when the pair's
 * status does not allow it. */
static int pair_change_of(const mt_pair *p, pair_action action, const char *reason, pair_change *c,
			  mt_error *err)
{
	*c = (pair_change){.pair = p, .reason = reason};
	c->to = pair_transition((pair_status)pair_status_from_name(p->status), action, reason, err);
	return c->to < 0 ? -1 : 0;
}

static int64_t pair_change_write(mt_req *r, void *row, mt_error *err)
{
	const pair_change *c = row;
	/* Capacity may have filled since the proposal was made. */
	if (c->to == PAIR_ACTIVE && check_capacity(r, c->pair, err) < 0)
		return -1;
	return store_pair_set_status(r->db, c->pair, pair_status_name((pair_status)c->to), today(r),
				     c->reason, req_actor(r).name, err);
}

/* Apply one lifecycle action to a loaded pair, audited, inside the
 * caller's transaction (approve_all approves many in one). */
static int transition(mt_req *r, const mt_pair *p, pair_action action, const char *reason,
		      mt_error *err)
{
	pair_change c;
	if (pair_change_of(p, action, reason, &c, err) < 0)
		return -1;
	mt_actor who = req_actor(r);
	json_t *before = store_pair_json(r->db, p->id, err), *after = NULL;
	int rc = -1;
	if (before && pair_change_write(r, &c, err) >= 0 &&
	    (after = store_pair_json(r->db, p->id, err)))
		rc = store_audit(r->db, &who, pair_action_name(action), "pair", p->id, before,
				 after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* Run `action` on pair ids[0] in one transaction and answer with the pair. */
static int act(mt_req *r, pair_action action, mt_error *err)
{
	json_t *body = NULL;
	const char *reason = NULL;
	mt_pair p;
	int rc = -1;
	if (r->body_len) {
		static const char *const allowed[] = {"reason", NULL};
		if (!(body = req_json_body(r, err)) || json_check_keys(body, allowed, err) < 0 ||
		    json_get_str(body, "reason", false, &reason, NULL, err) < 0)
			goto out;
	}
	if (store_pair_load(r->db, &r->arena, r->ids[0], &p, err) < 0)
		goto out;
	/* A participant may only answer a request made to them, as its mentor. */
	if (!r->sees_all && (strcmp(p.source, "request") != 0 ||
			     p.mentor_person_id != r->user.person_id ||
			     (action != PAIR_APPROVE && action != PAIR_DECLINE))) {
		mt_forbidden(err, "only a program manager, or the mentor asked in a request, may "
				  "do this");
		goto out;
	}
	pair_change c;
	if (pair_change_of(&p, action, reason, &c, err) < 0)
		goto out;
	const audited_op op = {.entity = "pair",
			       .write = pair_change_write,
			       .read = store_pair_json,
			       .action = pair_action_name(action)};
	rc = audited_write(r, &op, 0, p.id, &c, err);
out:
	json_decref(body);
	return rc;
}

int h_pairs_approve(mt_req *r, mt_error *err)
{
	return act(r, PAIR_APPROVE, err);
}

int h_pairs_decline(mt_req *r, mt_error *err)
{
	return act(r, PAIR_DECLINE, err);
}

int h_pairs_complete(mt_req *r, mt_error *err)
{
	return act(r, PAIR_COMPLETE, err);
}

int h_pairs_end(mt_req *r, mt_error *err)
{
	return act(r, PAIR_END, err);
}

/* Approve every solver proposal of the program, or those listed in
 * {"pair_ids": [...]}, in one transaction: all or nothing. */
int h_pairs_approve_all(mt_req *r, mt_error *err)
{
	json_t *body = r->body_len ? req_json_body(r, err) : json_object();
	if (!body)
		return -1;
	static const char *const allowed[] = {"pair_ids", NULL};
	json_t *ids = json_object_get(body, "pair_ids"), *done = json_array();
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0)
		goto out;
	if (ids && !json_is_array(ids)) {
		mt_invalid(err, "pair_ids", "pair_ids must be an array of pair ids");
		goto out;
	}
	if (!ids) {
		query q;
		query_init(&q);
		query_and_text(&q, "pr.status = $?", "proposed");
		query_and_text(&q, "pr.source = $?", "solver");
		json_t *page = store_pair_list(r->db, r->ids[0], &q, "id", 100000, 0, err);
		query_release(&q);
		if (!page)
			goto out;
		ids = json_array();
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(page, "items"), i, it)
			json_array_append(ids, json_object_get(it, "id"));
		json_decref(page);
		json_object_set_new(body, "pair_ids", ids);
	}
	if (db_begin(r->db, err) < 0)
		goto out;
	size_t i;
	json_t *it;
	json_array_foreach(ids, i, it) {
		mt_pair p;
		if (!json_is_integer(it)) {
			mt_invalid(err, "pair_ids", "pair_ids[%zu] is not an id", i);
			goto fail;
		}
		if (store_pair_load(r->db, &r->arena, json_integer_value(it), &p, err) < 0 ||
		    p.program_id != r->ids[0]) {
			mt_invalid(err, "pair_ids", "pair %lld is not a pair of this program",
				   (long long)json_integer_value(it));
			goto fail;
		}
		if (transition(r, &p, PAIR_APPROVE, NULL, err) < 0)
			goto fail;
		json_array_append(done, it);
	}
	if (db_commit(r->db, err) < 0)
		goto fail;
	rc = req_reply(r, 200, json_pack("{s:I, s:O}", "approved", (json_int_t)json_array_size(done),
					 "pair_ids", done));
	goto out;
fail:
	db_rollback(r->db);
out:
	json_decref(done);
	json_decref(body);
	return rc;
}

/* A PATCH of a proposed pair: its lock, and its new mentor (`swapped`
 * holds the new pair's mentor person, score and reasons). */
typedef struct pair_patch {
	int64_t id;
	bool has_locked, locked;
	bool has_mentor;
	int64_t mentor;
	mt_pair swapped;
} pair_patch;

static int64_t pair_patch_write(mt_req *r, void *arg, mt_error *err)
{
	const pair_patch *p = arg;
	if (p->has_locked && store_pair_set_locked(r->db, p->id, p->locked, err) < 0)
		return -1;
	if (p->has_mentor && store_pair_swap(r->db, p->id, p->mentor, p->swapped.mentor_person_id,
					     p->swapped.score, p->swapped.reasons, err) < 0)
		return -1;
	return 0;
}
static const audited_op pair_update_op = {
	.entity = "pair", .write = pair_patch_write, .read = store_pair_json};
static const audited_op pair_swap_op = {
	.entity = "pair", .write = pair_patch_write, .read = store_pair_json, .action = "swap"};

/* PATCH a pair: lock or unlock a proposal, or swap its mentor by hand. */
int h_pairs_update(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"locked", "mentor_membership_id", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_patch patch;
	mt_pair p;
	mt_program prog;
	memset(&patch, 0, sizeof(patch));
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_bool(body, "locked", &patch.locked, &patch.has_locked, err) < 0 ||
	    json_get_int(body, "mentor_membership_id", false, 1, INT64_MAX, &patch.mentor,
			 &patch.has_mentor, err) < 0 ||
	    store_pair_load(r->db, &r->arena, r->ids[0], &p, err) < 0)
		goto out;
	if (strcmp(p.status, "proposed") != 0) {
		mt_conflict(err, "status", "only a proposed pair can be locked or changed; this one "
					   "is %s", p.status);
		goto out;
	}
	if (patch.has_mentor &&
	    (store_program_get(r->db, &r->arena, p.program_id, &prog, err) < 0 ||
	     check_new_pair(r, &prog, p.mentee_membership_id, patch.mentor, 1, &patch.swapped,
			    err) < 0))
		goto out;
	patch.id = p.id;
	rc = pair_activity_write(r, patch.has_mentor ? &pair_swap_op : &pair_update_op,
				 p.program_id, p.id, &patch, err);
out:
	json_decref(body);
	return rc;
}

/* What a manager or participant tells the matcher about program ids[0]: an
 * exclusion (mentee, mentor) or preferences (wishes, avoid).  The request
 * body is audited as given and is the answer. */
typedef struct match_input {
	json_t *body;
	int64_t mentee, mentor;
	int64_t *wishes, *avoid;
	size_t n_wishes, n_avoid;
} match_input;

static json_t *match_input_describe(const void *row, int64_t id)
{
	const match_input *in = row;
	(void)id;
	return json_incref(in->body);
}

/* Adds the exclusion; the audit row is the program's. */
static int64_t exclusion_insert(mt_req *r, void *row, mt_error *err)
{
	const match_input *in = row;
	if (store_match_exclusion_add(r->db, r->ids[0], in->mentee, in->mentor, err) < 0)
		return -1;
	return r->ids[0];
}

/* Replaces the user's wishes and avoids, each only when the body gives it. */
static int64_t preferences_update(mt_req *r, void *row, mt_error *err)
{
	const match_input *in = row;
	if ((json_object_get(in->body, "wishes") &&
	     store_match_preference_set(r->db, r->ids[0], r->user.person_id, "wish", in->wishes,
					in->n_wishes, err) < 0) ||
	    (json_object_get(in->body, "avoid") &&
	     store_match_preference_set(r->db, r->ids[0], r->user.person_id, "avoid", in->avoid,
					in->n_avoid, err) < 0))
		return -1;
	return 0;
}

static const audited_op exclusion_insert_op = {.entity = "program",
					       .write = exclusion_insert,
					       .describe = match_input_describe,
					       .action = "exclude"};
static const audited_op preferences_update_op = {.entity = "program",
						 .write = preferences_update,
						 .describe = match_input_describe,
						 .action = "preferences"};

int h_pairs_exclude(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"mentee_person_id", "mentor_person_id", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	int64_t mentee = 0, mentor = 0;
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_int(body, "mentee_person_id", true, 1, INT64_MAX, &mentee, NULL, err) < 0 ||
	    json_get_int(body, "mentor_person_id", true, 1, INT64_MAX, &mentor, NULL, err) < 0)
		goto out;
	match_input in = {.body = body, .mentee = mentee, .mentor = mentor};
	rc = audited_write(r, &exclusion_insert_op, 0, 0, &in, err);
	if (rc < 0 && err->status == 409)
		mt_invalid(err, "mentee_person_id", "both people must exist");
out:
	json_decref(body);
	return rc;
}

static int id_list(mt_req *r, json_t *body, const char *key, int64_t **out, size_t *n,
		   mt_error *err)
{
	json_t *arr = json_object_get(body, key);
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > 50)
		return mt_invalid(err, key, "%s must be an array of at most 50 person ids", key);
	*out = arena_calloc(&r->arena, json_array_size(arr) + 1, sizeof(int64_t));
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		if (!json_is_integer(it) || json_integer_value(it) < 1)
			return mt_invalid(err, key, "%s[%zu] must be a person id", key, i);
		(*out)[(*n)++] = json_integer_value(it);
	}
	return 0;
}

/* PUT the signed-in participant's preferences in a program: ranked wishes
 * (mentees only) and people they would rather not be paired with. */
int h_pairs_preferences(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"wishes", "avoid", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	int64_t *wishes, *avoid;
	size_t n_wishes, n_avoid;
	int rc = -1;
	int64_t mentee = 0, mentor = 0;
	if (json_check_keys(body, allowed, err) < 0 ||
	    id_list(r, body, "wishes", &wishes, &n_wishes, err) < 0 ||
	    id_list(r, body, "avoid", &avoid, &n_avoid, err) < 0 ||
	    (mentee = store_membership_find(r->db, r->ids[0], r->user.person_id, "mentee", err)) < 0 ||
	    (mentor = store_membership_find(r->db, r->ids[0], r->user.person_id, "mentor", err)) < 0)
		goto out;
	if (!mentee && !mentor) {
		mt_forbidden(err, "you are not a member of this program");
		goto out;
	}
	if (n_wishes && !mentee) {
		mt_invalid(err, "wishes", "only mentees rank wishes");
		goto out;
	}
	match_input in = {.body = body,
			  .wishes = wishes,
			  .avoid = avoid,
			  .n_wishes = n_wishes,
			  .n_avoid = n_avoid};
	rc = audited_write(r, &preferences_update_op, 0, r->ids[0], &in, err);
	if (rc < 0 && err->status == 409)
		mt_invalid(err, "wishes", "every id must be a person");
out:
	json_decref(body);
	return rc;
}
