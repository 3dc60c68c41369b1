/*
 * store_program.c - programs, their managers and their data version.
 *
 * The data version is bumped in the same transaction as any write to a
 * program's data, so cached KPI snapshots can tell they are stale.
 */
#include "store/store.h"

#include "lib/timeutil.h"

#define PROGRAM_COLUMNS                                                                     \
	"p.id, p.name, p.description, p.start_date, p.end_date, p.status, p.timezone, "       \
	"p.settings AS settings_json, p.questionnaire AS questionnaire_json, p.data_version, "\
	"p.created_at, p.updated_at"

int64_t store_program_create(db *d, const mt_program *p, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO programs (name, description, start_date, end_date, status, timezone, "
		"settings, questionnaire, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, p->name);
	db_bind_text(st, 2, p->description ? p->description : "");
	db_bind_text(st, 3, p->start_date);
	db_bind_text(st, 4, p->end_date);
	db_bind_text(st, 5, p->status ? p->status : "draft");
	db_bind_text(st, 6, p->timezone ? p->timezone : "UTC");
	db_bind_text(st, 7, p->settings ? p->settings : "{}");
	db_bind_text(st, 8, p->questionnaire ? p->questionnaire : "[]");
	db_bind_text(st, 9, now);
	int64_t id = -1;
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	else if (rc < 0 && err->status == 409)
		mt_conflict(err, "name", "a program named \"%s\" already exists", p->name);
	db_finalize(st);
	return id;
}

int store_program_update(db *d, const mt_program *p, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"UPDATE programs SET name = $2, description = $3, start_date = $4, end_date = $5, "
		"status = $6, timezone = $7, settings = $8, questionnaire = $9, updated_at = $10, "
		"data_version = data_version + 1 WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, p->name);
	db_bind_text(st, 3, p->description);
	db_bind_text(st, 4, p->start_date);
	db_bind_text(st, 5, p->end_date);
	db_bind_text(st, 6, p->status);
	db_bind_text(st, 7, p->timezone);
	db_bind_text(st, 8, p->settings);
	db_bind_text(st, 9, p->questionnaire);
	db_bind_text(st, 10, now);
	int rc = db_step_done(st, err);
	if (rc < 0 && err->status == 409)
		mt_conflict(err, "name", "a program named \"%s\" already exists", p->name);
	return rc;
}

int store_program_get(db *d, mt_arena *a, int64_t id, mt_program *p, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, name, description, start_date, end_date, "
					  "status, timezone, settings, questionnaire FROM programs "
					  "WHERE id = $1", id, "program", err);
	if (!st)
		return -1;
	p->id = db_col_int(st, 0);
	p->name = arena_strdup(a, db_col_text(st, 1));
	p->description = arena_strdup(a, db_col_text(st, 2));
	p->start_date = arena_strdup(a, db_col_text(st, 3));
	p->end_date = arena_strdup(a, db_col_text(st, 4));
	p->status = arena_strdup(a, db_col_text(st, 5));
	p->timezone = arena_strdup(a, db_col_text(st, 6));
	p->settings = arena_strdup(a, db_col_text(st, 7));
	p->questionnaire = arena_strdup(a, db_col_text(st, 8));
	db_finalize(st);
	return 0;
}

json_t *store_program_json(db *d, int64_t id, mt_error *err)
{
	return query_by_id(d, "SELECT " PROGRAM_COLUMNS " FROM programs p WHERE p.id = $1",
			  id, "program", err);
}

json_t *store_program_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			   mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "p.id"}, {"name", "p.name"}, {"status", "p.status"},
		{"start_date", "p.start_date"}, {"created_at", "p.created_at"}, {NULL, NULL},
	};
	return query_page(d, PROGRAM_COLUMNS, "programs p", q, sorts, sort, limit, offset, err);
}

int store_program_touch(db *d, int64_t program_id, mt_error *err)
{
	return db_run_ints(d, "UPDATE programs SET data_version = data_version + 1 WHERE id = $1",
			   1, &program_id, err);
}

int store_program_add_manager(db *d, int64_t program_id, int64_t user_id, mt_error *err)
{
	/* A prepare never fails with 409, so the remap below only sees the
	 * foreign-key failure of an unknown program or user. */
	int rc = db_run_ints(d, "INSERT INTO program_managers (program_id, user_id) "
				"VALUES ($1, $2) ON CONFLICT DO NOTHING", 2,
			     (const int64_t[]){program_id, user_id}, err);
	if (rc < 0 && err->status == 409)
		return mt_not_found(err, "program or user not found");
	return rc;
}

int store_program_is_manager(db *d, int64_t program_id, int64_t user_id, bool *out,
			     mt_error *err)
{
	int64_t found = 0;
	int rc = db_query_int_params(d, "SELECT 1 FROM program_managers WHERE program_id = $1 "
					"AND user_id = $2", 2,
				     (const int64_t[]){program_id, user_id}, &found, 0, err);
	*out = found != 0;
	return rc;
}

json_t *store_program_managed_ids(db *d, int64_t user_id, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT program_id FROM program_managers WHERE user_id = $1 "
				    "ORDER BY program_id", err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, user_id);
	json_t *ids = json_array();
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW)
		json_array_append_new(ids, json_integer(db_col_int(st, 0)));
	db_finalize(st);
	if (rc < 0) {
		json_decref(ids);
		return NULL;
	}
	return ids;
}

json_t *store_program_summary(db *d, int64_t program_id, mt_error *err)
{
	json_t *o = query_by_id(d,
		"SELECT "
		" SUM(CASE WHEN role = 'mentor' AND status = 'active' THEN 1 ELSE 0 END) AS mentors,"
		" SUM(CASE WHEN role = 'mentee' AND status = 'active' THEN 1 ELSE 0 END) AS mentees,"
		" SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,"
		" SUM(CASE WHEN role = 'mentor' AND status = 'active' THEN capacity ELSE 0 END)"
		"   AS mentor_capacity,"
		" COUNT(DISTINCT person_id) AS people "
		"FROM memberships WHERE program_id = $1", program_id, "program", err);
	if (!o)
		return NULL;
	/* SUM over no rows is NULL: report zeros. */
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (json_is_null(v))
			json_object_set_new(o, key, json_integer(0));
	}
	return o;
}

int store_program_exists(db *d, int64_t id, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT 1 FROM programs WHERE id = $1", id, "program",
				       err);
	if (!st)
		return -1;
	db_finalize(st);
	return 0;
}

int store_program_touch_all(db *d, mt_error *err)
{
	return db_exec(d, "UPDATE programs SET data_version = data_version + 1", err);
}
