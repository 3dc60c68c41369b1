/*
 * h_memberships.c - memberships of people in programs (as mentor or
 * mentee), self-registration, their CSV import, and the skills catalogue.
 *
 * Managers of a program see and change every membership; a participant
 * sees only their own and may change only their profile fields (skills,
 * goals, capacity, answers), never their status.
 */
#include "http/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "domain/csvimport.h"
#include "domain/questionnaire.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "http/audited.h"
#include "http/import_reply.h"
#include "http/list_filter.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"
#include "store/import.h"

static const list_filter membership_filters[] = {
	LIST_OWN("ms.person_id = $?"),
	LIST_ENUM("role", "ms.role = $?", query_sides),
	LIST_ENUM("status", "ms.status = $?", query_member_statuses),
	LIST_TEXT("department", "pe.department = $?"),
	LIST_LIKE("q", "(pe.name LIKE $? OR pe.email LIKE $?)"),
	LIST_TEXT("skill", "ms.id IN (SELECT k.membership_id FROM membership_skills k "
			   "JOIN skills s ON s.id = k.skill_id WHERE s.name = $?)"),
	LIST_END,
};

int h_memberships_list(mt_req *r, mt_error *err)
{
	return list_filter_serve_program(r, membership_filters, store_membership_list, err);
}

static int skills_from_json(mt_req *r, json_t *arr, mt_membership *m, mt_error *err)
{
	if (!json_is_array(arr))
		return mt_invalid(err, "skills", "skills must be an array of {\"skill\", \"level\"}");
	m->n_skills = json_array_size(arr);
	m->skills = arena_calloc(&r->arena, m->n_skills ? m->n_skills : 1, sizeof(*m->skills));
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		const char *field = arena_printf(&r->arena, "skills[%zu]", i);
		const char *name = NULL;
		int64_t level = 3;
		if (!json_is_object(it))
			return mt_invalid(err, field, "%s must be an object {\"skill\", \"level\"}",
					  field);
		if (json_get_str(it, "skill", true, &name, NULL, err) < 0 ||
		    json_get_int(it, "level", false, 1, 5, &level, NULL, err) < 0) {
			snprintf(err->field, sizeof(err->field), "%s", field);
			return -1;
		}
		if (validate_text(&r->arena, field, name, 100, &m->skills[i].skill, err) < 0)
			return -1;
		m->skills[i].level = (int)level;
	}
	return 0;
}

static int goal_areas_from_json(json_t *arr, unsigned *out, mt_error *err)
{
	if (!json_is_array(arr))
		return mt_invalid(err, "goal_areas", "goal_areas must be an array of categories");
	*out = 0;
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		mt_goal_category c;
		if (!json_is_string(it) ||
		    validate_goal_category("goal_areas", json_string_value(it), &c, err) < 0)
			return mt_invalid(err, "goal_areas", "goal_areas[%zu] must be one of new_skill, "
					  "promotion, performance, engagement, certification, other", i);
		*out |= 1u << c;
	}
	return 0;
}

static int answers_from_json(mt_req *r, json_t *answers, const mt_program *prog, bool partial,
			     mt_membership *m, mt_error *err)
{
	mt_questionnaire q;
	if (!json_is_object(answers))
		return mt_invalid(err, "answers", "answers must be an object keyed by question");
	if (questionnaire_parse(&r->arena, prog->questionnaire, &q, err) < 0 ||
	    questionnaire_check_answers(&q, answers, partial, err) < 0)
		return -1;
	char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	m->answers = arena_strdup(&r->arena, text);
	free(text);
	return 0;
}

/* The profile fields any owner may set. */
static int profile_from_json(mt_req *r, json_t *body, const mt_program *prog, mt_membership *m,
			     bool *skills_given, bool create, mt_error *err)
{
	const char *s = NULL;
	bool present;
	int64_t n;
	json_t *v;
	*skills_given = false;
	if ((v = json_object_get(body, "skills"))) {
		if (skills_from_json(r, v, m, err) < 0)
			return -1;
		*skills_given = true;
	}
	if ((v = json_object_get(body, "goal_areas")) && goal_areas_from_json(v, &m->goal_areas, err) < 0)
		return -1;
	if (json_get_str(body, "goals", false, &s, &present, err) < 0)
		return -1;
	if (present)
		m->goals = arena_strdup(&r->arena, s);
	if (json_get_int(body, "years_experience", false, 0, 60, &n, &present, err) < 0)
		return -1;
	if (present)
		m->years_experience = (int)n;
	if (json_get_int(body, "capacity", false, 1, MT_CAPACITY_MAX, &n, &present, err) < 0)
		return -1;
	if (present && m->role != MT_ROLE_MENTOR)
		return mt_invalid(err, "capacity", "only mentors have a capacity");
	if (present)
		m->capacity = (int)n;
	if ((v = json_object_get(body, "answers")))
		return answers_from_json(r, v, prog, false, m, err);
	if (create) {
		json_t *none = json_object();
		int rc = answers_from_json(r, none, prog, true, m, err);
		json_decref(none);
		return rc;
	}
	return 0;
}

static int status_dates_from_json(mt_req *r, json_t *body, mt_membership *m, mt_error *err)
{
	const char *s = NULL;
	bool present;
	int32_t days;
	if (json_get_str(body, "status", false, &s, &present, err) < 0 ||
	    (present && validate_member_status("status", s, &m->status, err) < 0) ||
	    json_get_str(body, "joined_on", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "joined_on", s, &m->joined_on, &days, err) < 0) ||
	    json_get_str(body, "left_on", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "left_on", s, &m->left_on, &days, err) < 0))
		return -1;
	if (m->left_on && m->joined_on && strcmp(m->left_on, m->joined_on) < 0)
		return mt_invalid(err, "left_on", "left_on is before joined_on");
	return 0;
}

/* A membership write: the membership, and whether the body gave its skills
 * (an update replaces them only then). */
typedef struct membership_write {
	mt_membership *m;
	bool skills_given;
} membership_write;

static int64_t membership_insert(mt_req *r, void *row, mt_error *err)
{
	const membership_write *w = row;
	bool created;
	int64_t id = store_membership_upsert(r->db, w->m, &created, err);
	if (id > 0 && !created)
		return mt_conflict(err, "person_id", "this person is already a %s in this program",
				   w->m->role == MT_ROLE_MENTOR ? "mentor" : "mentee");
	return id;
}

static int64_t membership_update(mt_req *r, void *row, mt_error *err)
{
	const membership_write *w = row;
	return store_membership_update(r->db, w->m, w->skills_given, err);
}

static const audited_op membership_insert_op = {
	.entity = "membership", .write = membership_insert, .read = store_membership_json};
static const audited_op membership_update_op = {
	.entity = "membership", .write = membership_update, .read = store_membership_json};

static int new_membership(mt_req *r, json_t *body, const mt_program *prog, int64_t person,
			  bool by_manager, mt_error *err)
{
	const char *role = NULL;
	bool skills_given;
	mt_membership m;
	memset(&m, 0, sizeof(m));
	m.program_id = prog->id;
	m.person_id = person;
	m.years_experience = -1;
	if (json_get_str(body, "role", true, &role, NULL, err) < 0 ||
	    validate_role("role", role, &m.role, err) < 0)
		return -1;
	m.capacity = m.role == MT_ROLE_MENTOR ? 1 : 0;
	if (profile_from_json(r, body, prog, &m, &skills_given, true, err) < 0)
		return -1;
	if (by_manager && status_dates_from_json(r, body, &m, err) < 0)
		return -1;
	if (!by_manager) {
		/* Self-registration: admitted at once unless the program wants approval. */
		json_t *settings = json_loads(prog->settings, 0, NULL);
		bool approve = json_is_true(json_object_get(settings, "approve_registrations"));
		json_decref(settings);
		m.status = approve ? "pending" : "active";
	}
	membership_write w = {&m, skills_given};
	return audited_write(r, &membership_insert_op, 0, 0, &w, err);
}

int h_memberships_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"person_id", "role", "skills", "goal_areas", "goals",
					      "years_experience", "capacity", "answers", "status",
					      "joined_on", "left_on", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_program prog;
	int64_t person = 0;
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_int(body, "person_id", true, 1, INT64_MAX, &person, NULL, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0)
		goto out;
	json_t *exists = store_person_json(r->db, person, err);
	if (!exists) {
		if (err->status == 404)
			mt_invalid(err, "person_id", "person %lld does not exist", (long long)person);
		goto out;
	}
	json_decref(exists);
	rc = new_membership(r, body, &prog, person, true, err);
out:
	json_decref(body);
	return rc;
}

int h_programs_register(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"role", "skills", "goal_areas", "goals",
					      "years_experience", "capacity", "answers", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_program prog;
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0)
		goto out;
	if (!r->user.person_id) {
		mt_conflict(err, "", "your account is not linked to a person; ask an admin to link it");
		goto out;
	}
	if (strcmp(prog.status, "open") != 0) {
		mt_conflict(err, "", "program \"%s\" is %s, not open for registration", prog.name,
			    prog.status);
		goto out;
	}
	/* Registering yourself means answering the questionnaire: its required
	 * questions are required even when "answers" is left out. */
	if (!json_object_get(body, "answers"))
		json_object_set_new(body, "answers", json_object());
	rc = new_membership(r, body, &prog, r->user.person_id, false, err);
out:
	json_decref(body);
	return rc;
}

int h_memberships_get(mt_req *r, mt_error *err)
{
	json_t *m = store_membership_json(r->db, r->ids[0], err);
	return m ? req_reply(r, 200, m) : -1;
}

int h_memberships_update(mt_req *r, mt_error *err)
{
	static const char *const owner_fields[] = {"skills", "goal_areas", "goals",
						   "years_experience", "capacity", "answers", NULL};
	static const char *const manager_fields[] = {"skills", "goal_areas", "goals",
						     "years_experience", "capacity", "answers",
						     "status", "joined_on", "left_on", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_membership m;
	mt_program prog;
	bool skills_given;
	int rc = -1;
	if (json_check_keys(body, r->sees_all ? manager_fields : owner_fields, err) < 0) {
		/* Copy the field first: mt_fail overwrites err while formatting. */
		char field[sizeof(err->field)];
		snprintf(field, sizeof(field), "%s", err->field);
		bool manager_only = false;
		for (const char *const *k = manager_fields; *k; k++)
			manager_only |= strcmp(*k, field) == 0;
		/* A field only managers may set is 403; an unknown one stays 422. */
		if (!r->sees_all && manager_only)
			mt_fail(err, 403, "forbidden", field, "only a program manager may change %s",
				field);
		goto out;
	}
	if (store_membership_load(r->db, &r->arena, r->ids[0], &m, err) < 0 ||
	    store_program_get(r->db, &r->arena, m.program_id, &prog, err) < 0 ||
	    profile_from_json(r, body, &prog, &m, &skills_given, false, err) < 0 ||
	    (r->sees_all && status_dates_from_json(r, body, &m, err) < 0))
		goto out;
	membership_write w = {&m, skills_given};
	rc = audited_write(r, &membership_update_op, 0, m.id, &w, err);
out:
	json_decref(body);
	return rc;
}

int h_memberships_import(mt_req *r, mt_error *err)
{
	bool dry_run = false;
	mt_program prog;
	mt_questionnaire q;
	if (req_flag(r, "dry_run", &dry_run, err) < 0 ||
	    store_program_get(r->db, &r->arena, r->ids[0], &prog, err) < 0 ||
	    questionnaire_parse(&r->arena, prog.questionnaire, &q, err) < 0)
		return -1;
	mt_csv_result rows;
	if (csvimport_members(&r->arena, r->body ? r->body : "", r->body_len, &q, &rows) < 0)
		return import_reply_parse_errors(r, &rows);
	import_summary sum;
	mt_actor who = req_actor(r);
	int rc = import_members(r->db, &who, prog.id, &rows, dry_run, &sum, err);
	rc = import_reply(r, &rows, &sum, rc, err);
	sb_release(&sum.problems);
	return rc;
}

static const list_filter skill_filters[] = {
	LIST_LIKE("q", "s.name LIKE $?"),
	LIST_TEXT("category", "s.category = $?"),
	LIST_END,
};

int h_skills_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, skill_filters, store_skill_list, err);
}

/* A new skill of the catalogue. */
typedef struct new_skill {
	const char *name;     /* validated */
	const char *category; /* NULL when not given */
} new_skill;

static int64_t skill_insert(mt_req *r, void *row, mt_error *err)
{
	const new_skill *k = row;
	bool created;
	int64_t id = store_skill_ensure(r->db, k->name, k->category, &created, err);
	if (id > 0 && !created)
		return mt_conflict(err, "name", "skill \"%s\" is already in the catalogue",
				   k->name);
	return id;
}

static json_t *skill_describe(const void *row, int64_t id)
{
	const new_skill *k = row;
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", k->name, "category",
			 k->category ? k->category : "");
}

static const audited_op skill_insert_op = {
	.entity = "skill", .write = skill_insert, .describe = skill_describe};

int h_skills_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"name", "category", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	const char *name = NULL;
	new_skill k = {0};
	int rc = -1;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "name", true, &name, NULL, err) < 0 ||
	    validate_text(&r->arena, "name", name, 100, &k.name, err) < 0 ||
	    json_get_str(body, "category", false, &k.category, NULL, err) < 0)
		goto out;
	rc = audited_write(r, &skill_insert_op, 0, 0, &k, err);
out:
	json_decref(body);
	return rc;
}
