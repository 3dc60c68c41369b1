/*
 * store_person.c - people of the organisation (employees), keyed by email.
 *
 * Imports upsert by email so that re-importing an HR export updates people
 * instead of duplicating them.  Managers are referenced by email in input
 * and stored as ids.
 */
#include "store/store.h"

#include "lib/timeutil.h"

#define PERSON_COLUMNS                                                                      \
	"p.id, p.name, p.email, p.job_title, p.department, p.location, p.timezone, "          \
	"p.languages, p.seniority, p.manager_id, m.email AS manager_email, p.hire_date, "     \
	"p.left_date, p.demographics AS demographics_json, p.opt_in AS opt_in_bool, "        \
	"p.created_at, p.updated_at"
#define PERSON_FROM "people p LEFT JOIN people m ON m.id = p.manager_id"

int64_t store_person_id_by_email(db *d, const char *email, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM people WHERE email = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, email);
	int rc = db_step(st, err);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_finalize(st);
	return id;
}

static int resolve_manager(db *d, const mt_person *p, int64_t *manager_id, mt_error *err)
{
	*manager_id = p->manager_id;
	if (!p->manager_email || !*p->manager_email)
		return 0;
	int64_t id = store_person_id_by_email(d, p->manager_email, err);
	if (id < 0)
		return -1;
	if (id == 0)
		return mt_invalid(err, "manager_email", "manager %s is not a known person; import "
					"the manager first", p->manager_email);
	*manager_id = id;
	return 0;
}

static void bind_person(db_stmt *st, const mt_person *p, int64_t manager_id, const char *now)
{
	db_bind_text(st, 1, p->name);
	db_bind_text(st, 2, p->email);
	db_bind_text(st, 3, p->job_title);
	db_bind_text(st, 4, p->department);
	db_bind_text(st, 5, p->location);
	db_bind_text(st, 6, p->timezone);
	db_bind_text(st, 7, p->languages);
	db_bind_int(st, 8, p->seniority);
	db_bind_opt_int(st, 9, manager_id > 0, manager_id);
	db_bind_text(st, 10, p->hire_date);
	db_bind_text(st, 11, p->left_date);
	db_bind_text(st, 12, p->demographics);
	db_bind_int(st, 13, p->opt_in);
	db_bind_text(st, 14, now);
}

int64_t store_person_upsert(db *d, const mt_person *p, bool *created, mt_error *err)
{
	int64_t manager_id;
	if (resolve_manager(d, p, &manager_id, err) < 0)
		return -1;
	int64_t existing = store_person_id_by_email(d, p->email, err);
	if (existing < 0)
		return -1;
	if (created)
		*created = existing == 0;
	if (existing) {
		if (manager_id == existing)
			return mt_invalid(err, "manager_email", "%s cannot be their own manager",
					  p->email);
		mt_person copy = *p;
		copy.id = existing;
		copy.manager_email = NULL;
		copy.manager_id = manager_id;
		return store_person_update(d, &copy, err) < 0 ? -1 : existing;
	}
	mt_person copy = *p;
	copy.manager_id = manager_id;
	return store_person_insert(d, &copy, err);
}

int64_t store_person_insert(db *d, const mt_person *p, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO people (name, email, job_title, department, location, timezone, "
		"languages, seniority, manager_id, hire_date, left_date, demographics, opt_in, "
		"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13, $14, $14)", err);
	if (!st)
		return -1;
	bind_person(st, p, p->manager_id, now);
	if (db_step_done(st, err) < 0) {
		if (err->status == 409)
			mt_conflict(err, "email", "a person with email %s already exists", p->email);
		return -1;
	}
	return db_last_insert_id(d);
}

int store_person_each_email(db *d, void (*fn)(void *ctx, int64_t id, const char *email),
			    void *ctx, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT id, email FROM people", err);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW)
		fn(ctx, db_col_int(st, 0), db_col_text(st, 1));
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int store_person_update(db *d, const mt_person *p, mt_error *err)
{
	int64_t manager_id;
	if (resolve_manager(d, p, &manager_id, err) < 0)
		return -1;
	if (manager_id == p->id)
		return mt_invalid(err, "manager_email", "a person cannot be their own manager");
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"UPDATE people SET name = $1, email = $2, job_title = $3, department = $4, "
		"location = $5, timezone = $6, languages = $7, seniority = $8, manager_id = $9, "
		"hire_date = $10, left_date = $11, demographics = $12, opt_in = $13, "
		"updated_at = $14 WHERE id = $15", err);
	if (!st)
		return -1;
	bind_person(st, p, manager_id, now);
	db_bind_int(st, 15, p->id);
	int rc = db_step_done(st, err);
	if (rc < 0 && err->status == 409)
		mt_conflict(err, "email", "another person already has email %s", p->email);
	return rc;
}

int store_person_update_columns(db *d, const mt_person *p, unsigned columns, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	/* $15 is the column mask: each field keeps its value unless its bit is set. */
	db_stmt *st = db_prepare(d,
		"UPDATE people SET "
		"name = CASE WHEN ($15 & 1) <> 0 THEN $1 ELSE name END, "
		"email = $2, "
		"job_title = CASE WHEN ($15 & 2) <> 0 THEN $3 ELSE job_title END, "
		"department = CASE WHEN ($15 & 4) <> 0 THEN $4 ELSE department END, "
		"location = CASE WHEN ($15 & 8) <> 0 THEN $5 ELSE location END, "
		"timezone = CASE WHEN ($15 & 16) <> 0 THEN $6 ELSE timezone END, "
		"languages = CASE WHEN ($15 & 32) <> 0 THEN $7 ELSE languages END, "
		"seniority = CASE WHEN ($15 & 64) <> 0 THEN $8 ELSE seniority END, "
		"manager_id = CASE WHEN ($15 & 128) <> 0 THEN $9 ELSE manager_id END, "
		"hire_date = CASE WHEN ($15 & 256) <> 0 THEN $10 ELSE hire_date END, "
		"left_date = CASE WHEN ($15 & 512) <> 0 THEN $11 ELSE left_date END, "
		"demographics = CASE WHEN ($15 & 1024) <> 0 THEN $12 ELSE demographics END, "
		"opt_in = CASE WHEN ($15 & 2048) <> 0 THEN $13 ELSE opt_in END, "
		"updated_at = $14 WHERE id = $16", err);
	if (!st)
		return -1;
	bind_person(st, p, p->manager_id, now);
	db_bind_int(st, 15, columns);
	db_bind_int(st, 16, p->id);
	return db_step_done(st, err);
}

int store_person_load(db *d, mt_arena *a, int64_t id, mt_person *p, mt_error *err)
{
	db_stmt *st = query_step_by_id(d,
		"SELECT p.id, p.name, p.email, p.job_title, p.department, p.location, p.timezone, "
		"p.languages, p.seniority, COALESCE(p.manager_id, 0), p.hire_date, p.left_date, "
		"p.demographics, p.opt_in, m.email FROM " PERSON_FROM " WHERE p.id = $1", id,
		"person", err);
	if (!st)
		return -1;
	p->id = db_col_int(st, 0);
	p->name = arena_strdup(a, db_col_text(st, 1));
	p->email = arena_strdup(a, db_col_text(st, 2));
	p->job_title = arena_strdup(a, db_col_text(st, 3));
	p->department = arena_strdup(a, db_col_text(st, 4));
	p->location = arena_strdup(a, db_col_text(st, 5));
	p->timezone = arena_strdup(a, db_col_text(st, 6));
	p->languages = arena_strdup(a, db_col_text(st, 7));
	p->seniority = (int)db_col_int(st, 8);
	p->manager_id = db_col_int(st, 9);
	p->hire_date = arena_strdup(a, db_col_text(st, 10));
	p->left_date = arena_strdup(a, db_col_text(st, 11));
	p->demographics = arena_strdup(a, db_col_text(st, 12));
	p->opt_in = db_col_int(st, 13) != 0;
	p->manager_email = arena_strdup(a, db_col_text(st, 14));
	db_finalize(st);
	return 0;
}

json_t *store_person_json(db *d, int64_t id, mt_error *err)
{
	json_t *o = query_by_id(d, "SELECT " PERSON_COLUMNS " FROM " PERSON_FROM
				    " WHERE p.id = $1", id, "person", err);
	return o;
}

json_t *store_person_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			  mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "p.id"}, {"name", "p.name"}, {"email", "p.email"},
		{"department", "p.department"}, {"job_title", "p.job_title"},
		{"location", "p.location"}, {"seniority", "p.seniority"},
		{"hire_date", "p.hire_date"}, {NULL, NULL},
	};
	return query_page(d, PERSON_COLUMNS, PERSON_FROM, q, sorts, sort, limit, offset, err);
}

/* Departments as people's records name them, with how many people (and how
 * many still employed) each has: what a department filter offers to choose
 * from.  People without a department are not a department. */
json_t *store_department_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			      mt_error *err)
{
	static const query_sort sorts[] = {
		{"name", "dp.name"}, {"people", "dp.people"}, {"current", "dp.current"}, {NULL, NULL},
	};
	return query_page(d, "dp.name, dp.people, dp.current",
			  "(SELECT p.department AS name, COUNT(*) AS people, "
			  "SUM(CASE WHEN p.left_date IS NULL THEN 1 ELSE 0 END) AS current "
			  "FROM people p WHERE p.department <> '' GROUP BY p.department) dp",
			  q, sorts, sort, limit, offset, err);
}
