/* h_people.c - people of the organisation, and their CSV import. */
#include "http/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "domain/csvimport.h"
#include "domain/validate.h"
#include "http/audited.h"
#include "http/import_reply.h"
#include "http/list_filter.h"
#include "lib/jsonutil.h"
#include "store/import.h"

static const list_filter people_filters[] = {
	LIST_LIKE("q", "(p.name LIKE $? OR p.email LIKE $? OR p.job_title LIKE $?)"),
	LIST_TEXT("department", "p.department = $?"), LIST_TEXT("location", "p.location = $?"),
	LIST_TEXT("job_title", "p.job_title = $?"),
	LIST_INT("seniority", "p.seniority = $?", 0, 10),
	LIST_INT("manager_id", "p.manager_id = $?", 1, 0x7fffffff), LIST_END,
};

int h_people_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, people_filters, store_person_list, err);
}

static int opt_text(mt_req *r, json_t *body, const char *key, const char **dst, mt_error *err)
{
	const char *s = NULL;
	bool present;
	if (json_get_str(body, key, false, &s, &present, err) < 0)
		return -1;
	if (present)
		*dst = validate_trim_opt(&r->arena, s);
	return 0;
}

/* Fill p from the body; PATCH semantics when p is pre-filled. */
static int person_from_json(mt_req *r, json_t *body, mt_person *p, bool create, mt_error *err)
{
	static const char *const allowed[] = {
		"name", "email", "job_title", "department", "location", "timezone", "languages",
		"seniority", "manager_email", "hire_date", "left_date", "demographics", "opt_in",
		NULL};
	const char *s = NULL;
	bool present;
	int64_t n;
	int32_t days;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "name", create, &s, &present, err) < 0 ||
	    (present && validate_text(&r->arena, "name", s, 200, &p->name, err) < 0) ||
	    json_get_str(body, "email", create, &s, &present, err) < 0 ||
	    (present && validate_email(&r->arena, "email", s, &p->email, err) < 0) ||
	    opt_text(r, body, "job_title", &p->job_title, err) < 0 ||
	    opt_text(r, body, "department", &p->department, err) < 0 ||
	    opt_text(r, body, "location", &p->location, err) < 0 ||
	    opt_text(r, body, "languages", &p->languages, err) < 0 ||
	    json_get_str(body, "timezone", false, &s, &present, err) < 0 ||
	    (present && validate_timezone(&r->arena, "timezone", s, &p->timezone, err) < 0) ||
	    json_get_int(body, "seniority", false, 0, 10, &n, &present, err) < 0)
		return -1;
	if (present)
		p->seniority = (int)n;
	if (json_get_str(body, "manager_email", false, &s, &present, err) < 0)
		return -1;
	if (present) {
		/* "" clears the manager: forget the loaded one too. */
		p->manager_id = 0;
		p->manager_email = NULL;
		if (*s && validate_email(&r->arena, "manager_email", s, &p->manager_email, err) < 0)
			return -1;
	}
	if (json_get_str(body, "hire_date", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "hire_date", s, &p->hire_date, &days, err) < 0) ||
	    json_get_str(body, "left_date", false, &s, &present, err) < 0 ||
	    (present && validate_date(&r->arena, "left_date", s, &p->left_date, &days, err) < 0) ||
	    json_get_bool(body, "opt_in", &p->opt_in, NULL, err) < 0)
		return -1;
	json_t *demo = json_object_get(body, "demographics");
	if (demo && !json_is_null(demo)) {
		if (!json_is_object(demo))
			return mt_invalid(err, "demographics", "demographics must be an object of "
							       "strings");
		char *text = json_dumps(demo, JSON_COMPACT | JSON_SORT_KEYS);
		p->demographics = arena_strdup(&r->arena, text);
		free(text);
	}
	return 0;
}

static int64_t person_insert(mt_req *r, void *row, mt_error *err)
{
	const mt_person *p = row;
	if (store_person_id_by_email(r->db, p->email, err) > 0)
		return mt_conflict(err, "email", "a person with email %s already exists", p->email);
	return store_person_upsert(r->db, p, NULL, err);
}

static int64_t person_update(mt_req *r, void *row, mt_error *err)
{
	return store_person_update(r->db, row, err);
}

static const audited_op person_insert_op = {.entity = "person",
					    .write = person_insert,
					    .read = store_person_json,
					    .touch_all_programs = true};
static const audited_op person_update_op = {.entity = "person",
					    .write = person_update,
					    .read = store_person_json,
					    .touch_all_programs = true};

int h_people_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_person p;
	memset(&p, 0, sizeof(p));
	p.opt_in = true;
	int rc = person_from_json(r, body, &p, true, err);
	if (rc == 0)
		rc = audited_write(r, &person_insert_op, 0, 0, &p, err);
	json_decref(body);
	return rc;
}

int h_people_get(mt_req *r, mt_error *err)
{
	json_t *p = store_person_json(r->db, r->ids[0], err);
	return p ? req_reply(r, 200, p) : -1;
}

int h_people_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	mt_person p;
	int rc = store_person_load(r->db, &r->arena, r->ids[0], &p, err);
	if (rc == 0)
		rc = person_from_json(r, body, &p, false, err);
	if (rc == 0)
		rc = audited_write(r, &person_update_op, 0, p.id, &p, err);
	json_decref(body);
	return rc;
}

int h_people_import(mt_req *r, mt_error *err)
{
	bool dry_run = false;
	if (req_flag(r, "dry_run", &dry_run, err) < 0)
		return -1;
	mt_csv_result rows;
	if (csvimport_people(&r->arena, r->body ? r->body : "", r->body_len, &rows) < 0)
		return import_reply_parse_errors(r, &rows);
	import_summary sum;
	mt_actor who = req_actor(r);
	int rc = import_people(r->db, &who, &rows, dry_run, &sum, err);
	rc = import_reply(r, &rows, &sum, rc, err);
	sb_release(&sum.problems);
	return rc;
}
