/*
 * h_assessments.c - skill and goal self-assessments of a pairing, and what
 * is due.
 *
 * The mentee scores each wanted skill and each goal 1-5 at the start of the
 * pairing (asked once the pair is active), optionally mid-way, and at the
 * end (asked once it completed or ended); the mentor may record their own
 * view of the mentee.  A participant records only their own side; a
 * program manager may record either side on someone's behalf, naming it.
 */
#include "http/handlers.h"

#include <string.h>

#include "domain/goal.h"
#include "domain/validate.h"
#include "http/list_filter.h"
#include "http/pair_activity.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"

static const list_filter assessment_filters[] = {
	LIST_PATH("a.pair_id = $?"),
	LIST_ENUM("phase", "a.phase = $?", query_phases),
	LIST_ENUM("assessor", "a.assessor = $?", query_sides),
	LIST_ID("skill_id", "a.skill_id = $?"),
	LIST_ID("goal_id", "a.goal_id = $?"),
	LIST_DATES("a.assessed_on"),
	LIST_END,
};

int h_assessments_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, assessment_filters, store_assessment_list, err);
}

/* Exactly one subject: a catalogue skill or a goal of the pair's mentee. */
static int subject_from_json(mt_req *r, json_t *body, const pair_ctx *c, mt_assessment *a,
			     mt_error *err)
{
	bool has_skill, has_goal;
	int64_t id = 0;
	if (json_get_int(body, "skill_id", false, 1, INT64_MAX, &id, &has_skill, err) < 0)
		return -1;
	if (has_skill)
		a->skill_id = id;
	if (json_get_int(body, "goal_id", false, 1, INT64_MAX, &id, &has_goal, err) < 0)
		return -1;
	if (has_goal)
		a->goal_id = id;
	if (has_skill == has_goal)
		return mt_invalid(err, "skill_id", "give exactly one of skill_id and goal_id");
	if (has_skill) {
		bool exists;
		if (store_skill_exists(r->db, a->skill_id, &exists, err) < 0)
			return -1;
		if (!exists)
			return mt_invalid(err, "skill_id", "skill_id: skill %lld is not in the "
					  "catalogue", (long long)a->skill_id);
		return 0;
	}
	mt_goal g;
	mt_error ignored;
	if (store_goal_load(r->db, &r->arena, a->goal_id, &g, &ignored) < 0 ||
	    g.membership_id != c->pair.mentee_membership_id ||
	    (g.pair_id && g.pair_id != c->pair.id))
		return mt_invalid(err, "goal_id", "goal_id: goal %lld is not a goal of this pair's "
				  "mentee", (long long)a->goal_id);
	return 0;
}

static int64_t assessment_insert(mt_req *r, void *a, mt_error *err)
{
	return store_assessment_create(r->db, a, err);
}
static const audited_op assessment_insert_op = {
	.entity = "assessment", .write = assessment_insert, .read = store_assessment_json};

int h_assessments_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"skill_id", "goal_id", "phase", "score",
					      "assessed_on", "assessor", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_assessment a = {0};
	assessment_phase phase;
	pair_side assessor;
	const char *v = NULL;
	bool present;
	int64_t score;
	int32_t day, today = time_today_days();
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 || pair_ctx_load(r, r->ids[0], &c, err) < 0)
		goto out;
	if (json_get_str(body, "assessor", false, &v, &present, err) < 0 ||
	    (present && pair_side_parse("assessor", v, &assessor, err) < 0))
		goto out;
	if (c.in_pair) {
		if (present && assessor != c.side) {
			mt_forbidden(err, "you are the pair's %s; you record only your own view",
				     pair_side_name(c.side));
			goto out;
		}
		assessor = c.side;
	} else if (!present) {
		mt_invalid(err, "assessor", "assessor is required: mentee or mentor");
		goto out;
	}
	if (json_get_str(body, "phase", true, &v, NULL, err) < 0 ||
	    assessment_parse_phase("phase", v, &phase, err) < 0 ||
	    json_get_int(body, "score", true, INT64_MIN, INT64_MAX, &score, NULL, err) < 0 ||
	    session_score_check("score", score, err) < 0 ||
	    subject_from_json(r, body, &c, &a, err) < 0 ||
	    json_get_str(body, "assessed_on", false, &v, &present, err) < 0)
		goto out;
	day = today;
	if (present && validate_date(&r->arena, "assessed_on", v, NULL, &day, err) < 0)
		goto out;
	if (day > today) {
		mt_invalid(err, "assessed_on", "assessed_on: cannot be in the future");
		goto out;
	}
	if (session_pair_allows(c.pair.status,
				phase == PHASE_END ? ACTIVITY_ASSESS_END : ACTIVITY_ASSESS, err) < 0)
		goto out;
	if (day < c.started_day) {
		mt_invalid(err, "assessed_on", "assessed_on: the pair started on %s; an assessment "
			   "of it cannot be earlier", c.pair.started_on);
		goto out;
	}
	char dbuf[11];
	validate_date_format(day, dbuf);
	a.pair_id = c.pair.id;
	a.program_id = c.pair.program_id;
	a.person_id = c.pair.mentee_person_id;
	a.assessor = pair_side_name(assessor);
	a.phase = assessment_phase_name(phase);
	a.score = (int)score;
	a.assessed_on = dbuf;
	a.created_by = r->user.id;
	rc = pair_activity_write(r, &assessment_insert_op, a.program_id, 0, &a, err);
out:
	json_decref(body);
	return rc;
}

int h_assessments_due(mt_req *r, mt_error *err)
{
	mt_pair p;
	assessment_subject *subjects;
	size_t n;
	if (store_pair_load(r->db, &r->arena, r->ids[0], &p, err) < 0 ||
	    store_assessment_subjects(r->db, &r->arena, &p, &subjects, &n, err) < 0)
		return -1;
	assessment_due_item *due = arena_calloc(&r->arena, 2 * n + 1, sizeof(*due));
	size_t k = assessment_due(p.status, subjects, n, due);
	json_t *items = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append_new(items, json_pack("{s:s, s:o, s:o, s:s}", "phase",
			assessment_phase_name(due[i].phase),
			"skill_id", due[i].skill_id ? json_integer(due[i].skill_id) : json_null(),
			"goal_id", due[i].goal_id ? json_integer(due[i].goal_id) : json_null(),
			"assessor", "mentee"));
	return req_reply(r, 200, json_pack("{s:I, s:s, s:I, s:o}", "pair_id", (json_int_t)p.id,
					   "pair_status", p.status, "mentee_person_id",
					   (json_int_t)p.mentee_person_id, "items", items));
}
