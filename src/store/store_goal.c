/*
 * store_goal.c - a mentee's goals with their milestones and the mentor's
 * comments, and the skill or goal self-assessments of a pairing.
 *
 * A goal belongs to the mentee's membership (the mentee owns it across
 * pairs); pair_id only says which pairing it was set for, so a mentor sees
 * the goals of their pair and the mentee's goals not tied to any pair.
 */
#include "store/store.h"

#include <string.h>

#include "domain/goal.h"
#include "lib/timeutil.h"

#define GOAL_COLUMNS                                                                        \
	"g.id, g.program_id, g.membership_id, g.person_id, g.pair_id, g.category, "            \
	"g.description, g.skill_id, (SELECT name FROM skills k WHERE k.id = g.skill_id) AS skill, " \
	"g.target_date, g.status, g.achieved_on, g.set_on, g.created_at, g.updated_at"

static const char *col_text_opt(mt_arena *a, db_stmt *st, int col)
{
	return db_col_null(st, col) ? NULL : arena_strdup(a, db_col_text(st, col));
}

int store_skill_exists(db *d, int64_t id, bool *out, mt_error *err)
{
	int64_t n = 0;
	int rc = db_query_int_params(d, "SELECT COUNT(*) FROM skills WHERE id = $1", 1, &id, &n, 0,
				     err);
	*out = n > 0;
	return rc;
}

int64_t store_goal_create(db *d, const mt_goal *g, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO goals (program_id, membership_id, person_id, pair_id, category, "
		"description, skill_id, target_date, status, achieved_on, set_on, created_at, "
		"updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) "
		"RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, g->program_id);
	db_bind_int(st, 2, g->membership_id);
	db_bind_int(st, 3, g->person_id);
	db_bind_opt_int(st, 4, g->pair_id > 0, g->pair_id);
	db_bind_text(st, 5, g->category);
	db_bind_text(st, 6, g->description);
	db_bind_opt_int(st, 7, g->skill_id > 0, g->skill_id);
	db_bind_text(st, 8, g->target_date);
	db_bind_text(st, 9, g->status);
	db_bind_text(st, 10, g->achieved_on);
	db_bind_text(st, 11, g->set_on);
	db_bind_text(st, 12, now);
	return db_step_int(st, err);
}

int store_goal_update(db *d, const mt_goal *g, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"UPDATE goals SET pair_id = $2, category = $3, description = $4, skill_id = $5, "
		"target_date = $6, status = $7, achieved_on = $8, updated_at = $9 WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, g->id);
	db_bind_opt_int(st, 2, g->pair_id > 0, g->pair_id);
	db_bind_text(st, 3, g->category);
	db_bind_text(st, 4, g->description);
	db_bind_opt_int(st, 5, g->skill_id > 0, g->skill_id);
	db_bind_text(st, 6, g->target_date);
	db_bind_text(st, 7, g->status);
	db_bind_text(st, 8, g->achieved_on);
	db_bind_text(st, 9, now);
	return db_step_done(st, err);
}

int store_goal_load(db *d, mt_arena *a, int64_t id, mt_goal *g, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, program_id, membership_id, person_id, "
					  "pair_id, category, description, skill_id, target_date, "
					  "status, achieved_on, set_on FROM goals WHERE id = $1", id,
				       "goal", err);
	if (!st)
		return -1;
	g->id = db_col_int(st, 0);
	g->program_id = db_col_int(st, 1);
	g->membership_id = db_col_int(st, 2);
	g->person_id = db_col_int(st, 3);
	g->pair_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
	g->category = arena_strdup(a, db_col_text(st, 5));
	g->description = arena_strdup(a, db_col_text(st, 6));
	g->skill_id = db_col_null(st, 7) ? 0 : db_col_int(st, 7);
	g->target_date = col_text_opt(a, st, 8);
	g->status = arena_strdup(a, db_col_text(st, 9));
	g->achieved_on = col_text_opt(a, st, 10);
	g->set_on = arena_strdup(a, db_col_text(st, 11));
	db_finalize(st);
	return 0;
}

/* Attach the rows of `sql` (one $1 = id parameter) to obj under key. */
static int attach_rows(db *d, json_t *obj, const char *key, const char *sql, int64_t id,
		       mt_error *err)
{
	json_t *rows = query_rows_by_id(d, sql, id, err);
	if (!rows)
		return -1;
	json_object_set_new(obj, key, rows);
	return 0;
}

json_t *store_goal_json(db *d, int64_t id, mt_error *err)
{
	json_t *obj = query_by_id(d, "SELECT " GOAL_COLUMNS " FROM goals g WHERE g.id = $1",
			  id, "goal", err);
	if (!obj)
		return NULL;
	if (attach_rows(d, obj, "milestones",
			"SELECT id, goal_id, title, due_date, status, achieved_on, created_at, "
			"updated_at FROM milestones WHERE goal_id = $1 ORDER BY id", id, err) < 0 ||
	    attach_rows(d, obj, "comments",
			"SELECT c.id, c.author_person_id, pe.name AS author, c.body, c.created_at "
			"FROM goal_comments c LEFT JOIN people pe ON pe.id = c.author_person_id "
			"WHERE c.goal_id = $1 ORDER BY c.id", id, err) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

json_t *store_goal_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "g.id"}, {"target_date", "g.target_date"}, {"status", "g.status"},
		{"category", "g.category"}, {"set_on", "g.set_on"},
		{"achieved_on", "g.achieved_on"}, {NULL, NULL},
	};
	return query_page(d, GOAL_COLUMNS ", (SELECT COUNT(*) FROM milestones m WHERE "
			  "m.goal_id = g.id) AS milestones", "goals g", q, sorts, sort, limit,
			  offset, err);
}

/* ---- milestones and comments ------------------------------------------- */

int64_t store_milestone_create(db *d, const mt_milestone *m, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO milestones (goal_id, title, due_date, status, "
				    "achieved_on, created_at, updated_at) "
				    "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->goal_id);
	db_bind_text(st, 2, m->title);
	db_bind_text(st, 3, m->due_date);
	db_bind_text(st, 4, m->status);
	db_bind_text(st, 5, m->achieved_on);
	db_bind_text(st, 6, now);
	return db_step_int(st, err);
}

int store_milestone_update(db *d, const mt_milestone *m, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "UPDATE milestones SET title = $2, due_date = $3, status = $4, "
				    "achieved_on = $5, updated_at = $6 WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, m->title);
	db_bind_text(st, 3, m->due_date);
	db_bind_text(st, 4, m->status);
	db_bind_text(st, 5, m->achieved_on);
	db_bind_text(st, 6, now);
	return db_step_done(st, err);
}

int store_milestone_load(db *d, mt_arena *a, int64_t id, mt_milestone *m, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, goal_id, title, due_date, status, "
					  "achieved_on FROM milestones WHERE id = $1", id, "milestone",
				       err);
	if (!st)
		return -1;
	m->id = db_col_int(st, 0);
	m->goal_id = db_col_int(st, 1);
	m->title = arena_strdup(a, db_col_text(st, 2));
	m->due_date = col_text_opt(a, st, 3);
	m->status = arena_strdup(a, db_col_text(st, 4));
	m->achieved_on = col_text_opt(a, st, 5);
	db_finalize(st);
	return 0;
}

json_t *store_milestone_json(db *d, int64_t id, mt_error *err)
{
	return query_by_id(d, "SELECT id, goal_id, title, due_date, status, achieved_on, "
			      "created_at, updated_at FROM milestones WHERE id = $1", id,
			   "milestone", err);
}

int64_t store_goal_comment_create(db *d, int64_t goal_id, int64_t author_person_id,
				  int64_t author_user_id, const char *body, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO goal_comments (goal_id, author_person_id, "
				    "author_user_id, body, created_at) VALUES ($1, $2, $3, $4, $5) "
				    "RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, goal_id);
	db_bind_opt_int(st, 2, author_person_id > 0, author_person_id);
	db_bind_opt_int(st, 3, author_user_id > 0, author_user_id);
	db_bind_text(st, 4, body);
	db_bind_text(st, 5, now);
	return db_step_int(st, err);
}

/* ---- assessments -------------------------------------------------------- */

#define ASSESSMENT_COLUMNS                                                                 \
	"a.id, a.pair_id, a.program_id, a.person_id, a.assessor, a.skill_id, a.goal_id, "    \
	"COALESCE((SELECT name FROM skills k WHERE k.id = a.skill_id), "                      \
	"(SELECT description FROM goals g WHERE g.id = a.goal_id)) AS subject, "              \
	"a.phase, a.score, a.assessed_on, a.created_by, a.created_at"

int64_t store_assessment_create(db *d, const mt_assessment *a, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO assessments (pair_id, program_id, person_id, assessor, skill_id, goal_id, "
		"phase, score, assessed_on, created_by, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, a->pair_id);
	db_bind_int(st, 2, a->program_id);
	db_bind_int(st, 3, a->person_id);
	db_bind_text(st, 4, a->assessor);
	db_bind_opt_int(st, 5, a->skill_id > 0, a->skill_id);
	db_bind_opt_int(st, 6, a->goal_id > 0, a->goal_id);
	db_bind_text(st, 7, a->phase);
	db_bind_int(st, 8, a->score);
	db_bind_text(st, 9, a->assessed_on);
	db_bind_opt_int(st, 10, a->created_by > 0, a->created_by);
	db_bind_text(st, 11, now);
	return db_step_int(st, err);
}

json_t *store_assessment_json(db *d, int64_t id, mt_error *err)
{
	return query_by_id(d, "SELECT " ASSESSMENT_COLUMNS " FROM assessments a WHERE a.id = $1",
			   id, "assessment", err);
}

json_t *store_assessment_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			      mt_error *err)
{
	static const query_sort sorts[] = {
		{"assessed_on", "a.assessed_on"}, {"id", "a.id"}, {"phase", "a.phase"},
		{"score", "a.score"}, {NULL, NULL},
	};
	return query_page(d, ASSESSMENT_COLUMNS, "assessments a", q, sorts, sort, limit, offset,
			  err);
}

int store_assessment_subjects(db *d, mt_arena *a, const mt_pair *p,
			      struct assessment_subject **out, size_t *n, mt_error *err)
{
	/* Wanted skills first (by name), then goals (by id); flags from the
	 * mentee's own assessments in this pair. */
	db_stmt *st = db_prepare(d,
		"SELECT x.skill_id, x.goal_id, "
		"EXISTS (SELECT 1 FROM assessments a WHERE a.pair_id = $2 AND a.assessor = 'mentee' "
		"AND a.phase = 'start' AND (a.skill_id = x.skill_id OR a.goal_id = x.goal_id)), "
		"EXISTS (SELECT 1 FROM assessments a WHERE a.pair_id = $2 AND a.assessor = 'mentee' "
		"AND a.phase = 'end' AND (a.skill_id = x.skill_id OR a.goal_id = x.goal_id)) "
		"FROM (SELECT 0 AS ord, k.skill_id AS skill_id, NULL AS goal_id, s.name AS name "
		"FROM membership_skills k JOIN skills s ON s.id = k.skill_id "
		"WHERE k.membership_id = $1 "
		"UNION ALL SELECT 1, NULL, g.id, '' FROM goals g WHERE g.membership_id = $1 "
		"AND (g.pair_id IS NULL OR g.pair_id = $2) AND g.status <> 'dropped') x "
		"ORDER BY x.ord, x.name, x.goal_id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->mentee_membership_id);
	db_bind_int(st, 2, p->id);
	size_t cap = 16, k = 0;
	assessment_subject *arr = arena_calloc(a, cap, sizeof(*arr));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (k == cap) {
			arr = arena_realloc(a, arr, cap * sizeof(*arr), 2 * cap * sizeof(*arr));
			cap *= 2;
		}
		arr[k].skill_id = db_col_null(st, 0) ? 0 : db_col_int(st, 0);
		arr[k].goal_id = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
		arr[k].has_start = db_col_int(st, 2) != 0;
		arr[k].has_end = db_col_int(st, 3) != 0;
		k++;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	*out = arr;
	*n = k;
	return 0;
}
