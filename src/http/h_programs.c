/*
 * h_programs.c - programs: create, read, update, managers, summary, and
 * self-registration of a signed-in person into an open program.
 */
#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/health.h"
#include "domain/match_settings.h"
#include "domain/notice.h"
#include "domain/questionnaire.h"
#include "domain/success.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "http/audited.h"
#include "lib/jsonutil.h"
#include "store/snapshot.h"

static const char *const program_statuses[] = {"draft", "open", "running", "closed", "archived",
					       NULL};

int h_programs_list(mt_req *r, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	query q;
	query_init(&q);
	const char *status = req_query(r, "status"), *search = req_query(r, "q");
	query_and_enum(&q, "p.status = $?", "status", status, query_program_statuses);
	if (search)
		query_and_text(&q, "p.name LIKE $?", arena_printf(&r->arena, "%%%s%%", search));
	json_t *page = store_program_list(r->db, &q, req_query(r, "sort"), limit, offset, err);
	query_release(&q);
	return page ? req_reply(r, 200, page) : -1;
}

static int check_status(const char *s, mt_error *err)
{
	for (const char *const *p = program_statuses; *p; p++)
		if (strcmp(*p, s) == 0)
			return 0;
	return mt_invalid(err, "status", "status must be draft, open, running, closed or archived");
}

static int json_text_field(mt_req *r, json_t *body, const char *key, bool want_object,
			   const char **out, mt_error *err)
{
	json_t *v = json_object_get(body, key);
	if (!v)
		return 0;
	if (want_object ? !json_is_object(v) : !json_is_array(v))
		return mt_invalid(err, key, "%s must be a JSON %s", key,
				  want_object ? "object" : "array");
	char *text = json_dumps(v, JSON_COMPACT);
	*out = arena_strdup(&r->arena, text);
	free(text);
	return 0;
}

/* Every part of the settings is checked when it is saved, so a typo is a
 * 422 naming the field now rather than a failure at the next matching run
 * or health check. */
static int settings_check(mt_req *r, const char *settings, mt_error *err)
{
	match_settings match;
	health_settings health;
	success_criteria success;
	notice_settings notice;
	if (!settings)
		return 0;
	if (match_settings_parse(settings, &match, err) < 0 ||
	    health_settings_parse(settings, &health, err) < 0 ||
	    success_criteria_parse(settings, &success, err) < 0 ||
	    notice_settings_parse(&r->arena, settings, &notice, err) < 0)
		return -1;
	return 0;
}

/* Apply the body's fields onto p (PATCH semantics when p is pre-filled). */
static int program_from_json(mt_req *r, json_t *body, mt_program *p, bool create, mt_error *err)
{
	static const char *const allowed[] = {"name", "description", "start_date", "end_date",
					      "status", "timezone", "settings", "questionnaire",
					      NULL};
	const char *s = NULL;
	bool present;
	int32_t start = 0, end = 0;
	if (json_check_keys(body, allowed, err) < 0)
		return -1;
	if (json_get_str(body, "name", create, &s, &present, err) < 0)
		return -1;
	if (present && validate_text(&r->arena, "name", s, 200, &p->name, err) < 0)
		return -1;
	if (json_get_str(body, "description", false, &s, &present, err) < 0)
		return -1;
	if (present)
		p->description = arena_strdup(&r->arena, s);
	if (json_get_str(body, "start_date", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "start_date", s, &p->start_date, &start, err) < 0))
		return -1;
	if (json_get_str(body, "end_date", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "end_date", s, &p->end_date, &end, err) < 0))
		return -1;
	if (p->start_date && p->end_date && strcmp(p->end_date, p->start_date) < 0)
		return mt_invalid(err, "end_date", "end_date %s is before start_date %s",
				  p->end_date, p->start_date);
	if (json_get_str(body, "status", false, &s, &present, err) < 0 ||
	    (present && check_status(s, err) < 0))
		return -1;
	if (present)
		p->status = arena_strdup(&r->arena, s);
	if (json_get_str(body, "timezone", false, &s, &present, err) < 0 ||
	    (present && validate_timezone(&r->arena, "timezone", s, &p->timezone, err) < 0))
		return -1;
	if (present) {
		/* Reports cut days in this zone: it must be one the system knows. */
		tzday tz;
		if (snapshot_timezone(p->timezone, &tz, "timezone", err) < 0)
			return -1;
		tzday_release(&tz);
	}
	if (json_text_field(r, body, "settings", true, &p->settings, err) < 0 ||
	    json_text_field(r, body, "questionnaire", false, &p->questionnaire, err) < 0)
		return -1;
	mt_questionnaire q;
	if (p->questionnaire && questionnaire_parse(&r->arena, p->questionnaire, &q, err) < 0)
		return -1;
	return settings_check(r, p->settings, err);
}

/* The writes: a program (its creator, a manager, manages it) and a manager. */
static int64_t program_insert(mt_req *r, void *row, mt_error *err)
{
	int64_t id = store_program_create(r->db, row, err);
	if (id >= 0 && r->user.role == ROLE_MANAGER &&
	    store_program_add_manager(r->db, id, r->user.id, err) < 0)
		return -1;
	return id;
}

static int64_t program_update(mt_req *r, void *row, mt_error *err)
{
	return store_program_update(r->db, row, err);
}

/* Adds manager *row to program ids[0]; the audit row is the program's. */
static int64_t manager_insert(mt_req *r, void *row, mt_error *err)
{
	const int64_t *user_id = row;
	return store_program_add_manager(r->db, r->ids[0], *user_id, err) < 0 ? -1 : r->ids[0];
}

static json_t *manager_describe(const void *row, int64_t program_id)
{
	const int64_t *user_id = row;
	return json_pack("{s:I, s:I}", "program_id", (json_int_t)program_id, "user_id",
			 (json_int_t)*user_id);
}

static const audited_op program_insert_op = {
	.entity = "program", .write = program_insert, .read = store_program_json};
static const audited_op program_update_op = {
	.entity = "program", .write = program_update, .read = store_program_json};
static const audited_op manager_insert_op = {
	.entity = "program", .write = manager_insert, .describe = manager_describe,
	.action = "add_manager"};

int h_programs_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_program p;
	memset(&p, 0, sizeof(p));
	int rc = -1;
	if (program_from_json(r, body, &p, true, err) >= 0)
		rc = audited_write(r, &program_insert_op, 0, 0, &p, err);
	json_decref(body);
	return rc;
}

int h_programs_get(mt_req *r, mt_error *err)
{
	json_t *p = store_program_json(r->db, r->ids[0], err);
	return p ? req_reply(r, 200, p) : -1;
}

int h_programs_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_program p;
	int rc = -1;
	if (store_program_get(r->db, &r->arena, r->ids[0], &p, err) >= 0 &&
	    program_from_json(r, body, &p, false, err) >= 0)
		rc = audited_write(r, &program_update_op, 0, p.id, &p, err);
	json_decref(body);
	return rc;
}

int h_programs_summary(mt_req *r, mt_error *err)
{
	json_t *p = store_program_json(r->db, r->ids[0], err);
	if (!p)
		return -1;
	json_decref(p);
	json_t *s = store_program_summary(r->db, r->ids[0], err);
	if (!s)
		return -1;
	json_object_set_new(s, "program_id", json_integer(r->ids[0]));
	return req_reply(r, 200, s);
}

int h_programs_add_manager(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	static const char *const allowed[] = {"user_id", NULL};
	int64_t user_id = 0;
	int rc = -1;
	mt_user u;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_int(body, "user_id", true, 1, INT64_MAX, &user_id, NULL, err) < 0)
		goto out;
	if (store_user_get(r->db, &r->arena, user_id, &u, err) < 0) {
		if (err->status == 404)
			mt_invalid(err, "user_id", "user %lld does not exist", (long long)user_id);
		goto out;
	}
	if (u.role != ROLE_MANAGER && u.role != ROLE_ADMIN) {
		mt_invalid(err, "user_id", "user %lld has role %s; only managers can manage a program",
			   (long long)user_id, role_name(u.role));
		goto out;
	}
	rc = audited_write(r, &manager_insert_op, 0, 0, &user_id, err);
out:
	json_decref(body);
	return rc;
}
