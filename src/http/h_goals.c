/*
 * h_goals.c - a mentee's goals and milestones, and the mentor's comments on
 * them.
 *
 * The mentee owns their goals: they (or a manager of the program) create
 * and change them under /memberships/{id}/goals, guarded by the membership
 * owner rule.  The mentor reaches them through the pair, under
 * /pairs/{id}/goals, guarded by the pair rule: read-only, plus comments.
 * A mentor therefore sees the goals of their own mentees only.
 */
#include "http/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "domain/goal.h"
#include "domain/validate.h"
#include "http/list_filter.h"
#include "http/pair_activity.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"

static const char *day_text(mt_req *r, int32_t day)
{
	char buf[11];
	if (day < 0)
		return NULL;
	validate_date_format(day, buf);
	return arena_strdup(&r->arena, buf);
}

/* The membership ids[0], which must be a mentee's. */
static int load_mentee_membership(mt_req *r, mt_membership *m, mt_error *err)
{
	if (store_membership_load(r->db, &r->arena, r->ids[0], m, err) < 0)
		return -1;
	if (m->role != MT_ROLE_MENTEE)
		return mt_conflict(err, "", "goals belong to mentees; membership %lld is a mentor's",
				   (long long)m->id);
	return 0;
}

/* Optional date field: *days = -1 when absent or null. */
static int opt_date(mt_req *r, json_t *body, const char *key, bool *present, int32_t *days,
		    mt_error *err)
{
	const char *v = NULL;
	*days = -1;
	if (json_get_str(body, key, false, &v, present, err) < 0)
		return -1;
	if (json_is_null(json_object_get(body, key)))
		*present = true;
	if (v && validate_date(&r->arena, key, v, NULL, days, err) < 0)
		return -1;
	return 0;
}

/* Status and achieved date together (goal.h), onto *status / *achieved_on. */
static int status_fields(mt_req *r, json_t *body, int32_t set_on, const char **status,
			 const char **achieved_on, mt_error *err)
{
	const char *v = NULL;
	bool st_present, ach_present;
	goal_status gs;
	int32_t given, old_ach = -1, day;
	if (json_get_str(body, "status", false, &v, &st_present, err) < 0 ||
	    (st_present && goal_parse_status("status", v, &gs, err) < 0) ||
	    (!st_present && goal_parse_status("status", *status, &gs, err) < 0) ||
	    opt_date(r, body, "achieved_on", &ach_present, &given, err) < 0)
		return -1;
	if (!st_present && !ach_present)
		return 0;
	if (!ach_present && *achieved_on && gs == GOAL_ACHIEVED)
		validate_date_parse(*achieved_on, &old_ach);
	if (goal_apply_status(gs, ach_present ? given : old_ach, set_on, time_today_days(), &day,
			      err) < 0)
		return -1;
	*status = goal_status_name(gs);
	*achieved_on = day_text(r, day);
	return 0;
}

static int goal_from_json(mt_req *r, json_t *body, mt_goal *g, bool create, mt_error *err)
{
	static const char *const allowed[] = {"category", "description", "skill_id", "target_date",
					      "status", "achieved_on", "pair_id", NULL};
	const char *v = NULL;
	bool present;
	int64_t id;
	int32_t set_on = 0, target;
	mt_goal_category cat;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "category", create, &v, &present, err) < 0 ||
	    (present && validate_goal_category("category", v, &cat, err) < 0))
		return -1;
	if (present)
		g->category = mt_goal_category_names[cat];
	if (json_get_str(body, "description", create, &v, &present, err) < 0 ||
	    (present && validate_text(&r->arena, "description", v, 2000, &g->description, err) < 0))
		return -1;
	if (json_is_null(json_object_get(body, "skill_id"))) {
		g->skill_id = 0;
	} else {
		if (json_get_int(body, "skill_id", false, 1, INT64_MAX, &id, &present, err) < 0)
			return -1;
		if (present) {
			bool exists;
			if (store_skill_exists(r->db, id, &exists, err) < 0)
				return -1;
			if (!exists)
				return mt_invalid(err, "skill_id", "skill_id: skill %lld is not in the "
						  "catalogue", (long long)id);
			g->skill_id = id;
		}
	}
	if (json_is_null(json_object_get(body, "pair_id"))) {
		g->pair_id = 0;
	} else {
		if (json_get_int(body, "pair_id", false, 1, INT64_MAX, &id, &present, err) < 0)
			return -1;
		if (present) {
			mt_pair p;
			mt_error ignored;
			if (store_pair_load(r->db, &r->arena, id, &p, &ignored) < 0 ||
			    p.mentee_membership_id != g->membership_id)
				return mt_invalid(err, "pair_id", "pair_id: pair %lld is not a pair of "
						  "this mentee", (long long)id);
			g->pair_id = id;
		}
	}
	if (validate_date_parse(g->set_on, &set_on) < 0)
		return mt_internal(err, "goal %lld has a bad set_on", (long long)g->id);
	if (opt_date(r, body, "target_date", &present, &target, err) < 0 ||
	    (target >= 0 && goal_check_target("target_date", target, set_on, err) < 0))
		return -1;
	if (present)
		g->target_date = day_text(r, target);
	return status_fields(r, body, set_on, &g->status, &g->achieved_on, err);
}

static const list_filter goal_filters[] = {
	LIST_PATH("g.membership_id = $?"),
	LIST_ENUM("status", "g.status = $?", query_goal_statuses),
	LIST_ENUM("category", "g.category = $?", query_goal_categories),
	LIST_END,
};

int h_goals_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, goal_filters, store_goal_list, err);
}

static int64_t goal_insert(mt_req *r, void *g, mt_error *err)
{
	return store_goal_create(r->db, g, err);
}
static const audited_op goal_insert_op = {
	.entity = "goal", .write = goal_insert, .read = store_goal_json};

int h_goals_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_membership m;
	mt_goal g = {0};
	char today[16];
	int rc = -1;
	time_today(today, sizeof(today));
	if (load_mentee_membership(r, &m, err) < 0)
		goto out;
	g.program_id = m.program_id;
	g.membership_id = m.id;
	g.person_id = m.person_id;
	g.set_on = arena_strdup(&r->arena, today);
	g.status = "not_started";
	if (goal_from_json(r, body, &g, true, err) < 0)
		goto out;
	rc = pair_activity_write(r, &goal_insert_op, g.program_id, 0, &g, err);
out:
	json_decref(body);
	return rc;
}

/* Goal ids[1] of membership ids[0] (404 when it is another's). */
static int load_own_goal(mt_req *r, mt_goal *g, mt_error *err)
{
	if (store_goal_load(r->db, &r->arena, r->ids[1], g, err) < 0)
		return -1;
	if (g->membership_id != r->ids[0])
		return mt_not_found(err, "goal %lld not found", (long long)r->ids[1]);
	return 0;
}

int h_goals_get(mt_req *r, mt_error *err)
{
	mt_goal g;
	if (load_own_goal(r, &g, err) < 0)
		return -1;
	json_t *obj = store_goal_json(r->db, g.id, err);
	return obj ? req_reply(r, 200, obj) : -1;
}

static int64_t goal_update(mt_req *r, void *g, mt_error *err)
{
	return store_goal_update(r->db, g, err);
}
static const audited_op goal_update_op = {
	.entity = "goal", .write = goal_update, .read = store_goal_json};

int h_goals_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_goal g;
	int rc = -1;
	if (load_own_goal(r, &g, err) < 0 || goal_from_json(r, body, &g, false, err) < 0)
		goto out;
	rc = pair_activity_write(r, &goal_update_op, g.program_id, g.id, &g, err);
out:
	json_decref(body);
	return rc;
}

/* ---- milestones --------------------------------------------------------- */

static int milestone_from_json(mt_req *r, json_t *body, const mt_goal *g, mt_milestone *m,
			       bool create, mt_error *err)
{
	static const char *const allowed[] = {"title", "due_date", "status", "achieved_on", NULL};
	const char *v = NULL;
	bool present;
	int32_t set_on = 0, due;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "title", create, &v, &present, err) < 0 ||
	    (present && validate_text(&r->arena, "title", v, 500, &m->title, err) < 0))
		return -1;
	validate_date_parse(g->set_on, &set_on);
	if (opt_date(r, body, "due_date", &present, &due, err) < 0 ||
	    (due >= 0 && goal_check_target("due_date", due, set_on, err) < 0))
		return -1;
	if (present)
		m->due_date = day_text(r, due);
	return status_fields(r, body, set_on, &m->status, &m->achieved_on, err);
}

static int64_t milestone_insert(mt_req *r, void *m, mt_error *err)
{
	return store_milestone_create(r->db, m, err);
}
static const audited_op milestone_insert_op = {
	.entity = "milestone", .write = milestone_insert, .read = store_milestone_json};

int h_milestones_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_goal g;
	mt_milestone m = {0};
	int rc = -1;
	m.status = "not_started";
	if (load_own_goal(r, &g, err) < 0 || milestone_from_json(r, body, &g, &m, true, err) < 0)
		goto out;
	m.goal_id = g.id;
	rc = pair_activity_write(r, &milestone_insert_op, g.program_id, 0, &m, err);
out:
	json_decref(body);
	return rc;
}

static int64_t milestone_update(mt_req *r, void *m, mt_error *err)
{
	return store_milestone_update(r->db, m, err);
}
static const audited_op milestone_update_op = {
	.entity = "milestone", .write = milestone_update, .read = store_milestone_json};

int h_milestones_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_goal g;
	mt_milestone m;
	int rc = -1;
	if (store_milestone_load(r->db, &r->arena, r->ids[1], &m, err) < 0 ||
	    store_goal_load(r->db, &r->arena, m.goal_id, &g, err) < 0)
		goto out;
	if (g.membership_id != r->ids[0]) {
		mt_not_found(err, "milestone %lld not found", (long long)r->ids[1]);
		goto out;
	}
	if (milestone_from_json(r, body, &g, &m, false, err) < 0)
		goto out;
	rc = pair_activity_write(r, &milestone_update_op, g.program_id, m.id, &m, err);
out:
	json_decref(body);
	return rc;
}

/* ---- through the pair: the mentor's view -------------------------------- */

/* The pair's goals: its mentee's, for this pair or for none. */
static const list_filter pair_goal_filters[] = {
	LIST_PATH("(g.pair_id IS NULL OR g.pair_id = $?)"),
	LIST_ENUM("status", "g.status = $?", query_goal_statuses),
	LIST_ENUM("category", "g.category = $?", query_goal_categories),
	LIST_END,
};

int h_pair_goals_list(mt_req *r, mt_error *err)
{
	list_query l;
	mt_pair p;
	if (list_filter_begin(r, pair_goal_filters, &l, err) < 0)
		return -1;
	if (store_pair_load(r->db, &r->arena, r->ids[0], &p, err) < 0)
		return list_filter_reply(r, &l, NULL);
	query_and_int(&l.q, "g.membership_id = $?", p.mentee_membership_id);
	return list_filter_reply(r, &l,
				 store_goal_list(r->db, &l.q, l.sort, l.limit, l.offset, err));
}

/* Goal ids[1] as seen from pair ids[0]: the mentee's, for this pair or none. */
static int load_pair_goal(mt_req *r, mt_pair *p, mt_goal *g, mt_error *err)
{
	if (store_pair_load(r->db, &r->arena, r->ids[0], p, err) < 0 ||
	    store_goal_load(r->db, &r->arena, r->ids[1], g, err) < 0)
		return -1;
	if (g->membership_id != p->mentee_membership_id || (g->pair_id && g->pair_id != p->id))
		return mt_not_found(err, "goal %lld not found in pair %lld", (long long)r->ids[1],
				    (long long)r->ids[0]);
	return 0;
}

int h_pair_goals_get(mt_req *r, mt_error *err)
{
	mt_pair p;
	mt_goal g;
	if (load_pair_goal(r, &p, &g, err) < 0)
		return -1;
	json_t *obj = store_goal_json(r->db, g.id, err);
	return obj ? req_reply(r, 200, obj) : -1;
}

/* A mentor's comment on a goal, as written. */
typedef struct goal_comment {
	int64_t goal_id;
	int64_t author_person_id; /* 0 for a manager with no person */
	int64_t author_user_id;
	const char *body;
} goal_comment;

static int64_t comment_insert(mt_req *r, void *arg, mt_error *err)
{
	const goal_comment *gc = arg;
	return store_goal_comment_create(r->db, gc->goal_id, gc->author_person_id,
					 gc->author_user_id, gc->body, err);
}

/* Comments have no reader in the store: the audit row and the answer
 * describe the one just written. */
static json_t *comment_json(const void *arg, int64_t id)
{
	const goal_comment *gc = arg;
	return json_pack("{s:I, s:I, s:o, s:s}", "id", (json_int_t)id, "goal_id",
			 (json_int_t)gc->goal_id, "author_person_id",
			 gc->author_person_id ? json_integer(gc->author_person_id) : json_null(),
			 "body", gc->body);
}
static const audited_op comment_insert_op = {
	.entity = "goal_comment", .write = comment_insert, .describe = comment_json};

int h_goal_comments_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"body", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_pair p;
	mt_goal g;
	const char *text = NULL, *clean = NULL;
	int rc = -1;
	if (load_pair_goal(r, &p, &g, err) < 0)
		goto out;
	bool mentor = r->user.person_id && r->user.person_id == p.mentor_person_id;
	if (!mentor && !r->sees_all) {
		mt_forbidden(err, "only the pair's mentor (or a program manager) comments on goals");
		goto out;
	}
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "body", true, &text, NULL, err) < 0 ||
	    validate_text(&r->arena, "body", text, 4000, &clean, err) < 0)
		goto out;
	goal_comment gc = {.goal_id = g.id,
			   .author_person_id = r->user.person_id,
			   .author_user_id = r->user.id,
			   .body = clean};
	rc = pair_activity_write(r, &comment_insert_op, g.program_id, 0, &gc, err);
out:
	json_decref(body);
	return rc;
}
