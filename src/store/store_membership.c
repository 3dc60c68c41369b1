/*
 * store_membership.c - a person's membership of a program as mentor or
 * mentee, with their skills (offered or wanted, level 1-5), and the
 * organisation's skills catalogue that those skills point into.
 */
#include "store/store.h"

#include <string.h>

#include "lib/timeutil.h"

#define MEMBERSHIP_COLUMNS                                                                  \
	"ms.id, ms.program_id, ms.person_id, pe.name AS person_name, pe.email AS person_email, " \
	"pe.department, ms.role, ms.status, ms.capacity, ms.goal_areas, ms.goals, "             \
	"ms.years_experience, ms.answers AS answers_json, ms.joined_on, ms.left_on, "           \
	"ms.created_at, ms.updated_at"
#define MEMBERSHIP_FROM "memberships ms JOIN people pe ON pe.id = ms.person_id"

int64_t store_skill_ensure(db *d, const char *name, const char *category, bool *created,
			   mt_error *err)
{
	if (created)
		*created = false;
	db_stmt *st = db_prepare(d, "SELECT id FROM skills WHERE name = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	int rc = db_step(st, err);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_finalize(st);
	if (id != 0)
		return id;
	char now[32];
	time_now_iso(now, sizeof(now));
	st = db_prepare(d, "INSERT INTO skills (name, category, created_at) VALUES ($1, $2, $3) "
			   "RETURNING id", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, category ? category : "");
	db_bind_text(st, 3, now);
	id = db_step_int(st, err);
	if (created && id > 0)
		*created = true;
	return id;
}

json_t *store_skill_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			 mt_error *err)
{
	static const query_sort sorts[] = {
		{"name", "s.name"}, {"id", "s.id"}, {"category", "s.category"},
		{"mentors", "mentors"}, {"mentees", "mentees"}, {NULL, NULL},
	};
	return query_page(d,
		"s.id, s.name, s.category, "
		"(SELECT COUNT(*) FROM membership_skills k JOIN memberships m ON m.id = k.membership_id"
		" WHERE k.skill_id = s.id AND m.role = 'mentor') AS mentors, "
		"(SELECT COUNT(*) FROM membership_skills k JOIN memberships m ON m.id = k.membership_id"
		" WHERE k.skill_id = s.id AND m.role = 'mentee') AS mentees",
		"skills s", q, sorts, sort, limit, offset, err);
}

static int replace_skills(db *d, int64_t membership_id, const mt_membership *m, mt_error *err)
{
	if (db_run_ints(d, "DELETE FROM membership_skills WHERE membership_id = $1", 1,
			&membership_id, err) < 0)
		return -1;
	db_stmt *ins = db_prepare(d, "INSERT INTO membership_skills (membership_id, skill_id, level) "
				     "VALUES ($1, $2, $3) ON CONFLICT (membership_id, skill_id) "
				     "DO UPDATE SET level = excluded.level", err);
	if (!ins)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < m->n_skills && rc >= 0; i++) {
		int64_t skill = store_skill_ensure(d, m->skills[i].skill, NULL, NULL, err);
		if (skill < 0) {
			rc = -1;
			break;
		}
		db_reset(ins);
		db_bind_int(ins, 1, membership_id);
		db_bind_int(ins, 2, skill);
		db_bind_int(ins, 3, m->skills[i].level);
		rc = db_step(ins, err);
	}
	db_finalize(ins);
	return rc < 0 ? -1 : 0;
}

int64_t store_membership_upsert(db *d, const mt_membership *m, bool *created, mt_error *err)
{
	char now[32], today[16];
	time_now_iso(now, sizeof(now));
	time_today(today, sizeof(today));
	db_stmt *st = db_prepare(d, "SELECT id FROM memberships WHERE program_id = $1 AND "
				    "person_id = $2 AND role = $3", err);
	if (!st)
		return -1;
	const char *role = m->role == MT_ROLE_MENTOR ? "mentor" : "mentee";
	db_bind_int(st, 1, m->program_id);
	db_bind_int(st, 2, m->person_id);
	db_bind_text(st, 3, role);
	int rc = db_step(st, err);
	int64_t existing = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	if (rc < 0)
		return -1;
	st = db_prepare(d,
		"INSERT INTO memberships (program_id, person_id, role, status, capacity, goal_areas, "
		"goals, years_experience, answers, joined_on, left_on, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) "
		"ON CONFLICT (program_id, person_id, role) DO UPDATE SET status = excluded.status, "
		"capacity = excluded.capacity, goal_areas = excluded.goal_areas, "
		"goals = excluded.goals, years_experience = excluded.years_experience, "
		"answers = excluded.answers, "
		"joined_on = CASE WHEN $13 IS NULL THEN memberships.joined_on ELSE excluded.joined_on END, "
		"left_on = excluded.left_on, updated_at = excluded.updated_at RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->program_id);
	db_bind_int(st, 2, m->person_id);
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, m->status ? m->status : "active");
	db_bind_int(st, 5, m->role == MT_ROLE_MENTOR ? (m->capacity > 0 ? m->capacity : 1) : 0);
	db_bind_int(st, 6, m->goal_areas);
	db_bind_text(st, 7, m->goals ? m->goals : "");
	db_bind_opt_int(st, 8, m->years_experience >= 0, m->years_experience);
	db_bind_text(st, 9, m->answers ? m->answers : "{}");
	db_bind_text(st, 10, m->joined_on ? m->joined_on : today);
	db_bind_text(st, 11, m->left_on);
	db_bind_text(st, 12, now);
	/* A re-import without a joined column keeps the original join date. */
	db_bind_text(st, 13, m->joined_on);
	int64_t id = db_step_int(st, err);
	if (id < 0 || replace_skills(d, id, m, err) < 0 ||
	    store_program_touch(d, m->program_id, err) < 0)
		return -1;
	if (created)
		*created = existing == 0;
	return id;
}

int store_membership_update(db *d, const mt_membership *m, bool skills_given, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"UPDATE memberships SET status = $2, capacity = $3, goal_areas = $4, goals = $5, "
		"years_experience = $6, answers = $7, joined_on = $8, left_on = $9, updated_at = $10 "
		"WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, m->status);
	db_bind_int(st, 3, m->role == MT_ROLE_MENTOR ? m->capacity : 0);
	db_bind_int(st, 4, m->goal_areas);
	db_bind_text(st, 5, m->goals ? m->goals : "");
	db_bind_opt_int(st, 6, m->years_experience >= 0, m->years_experience);
	db_bind_text(st, 7, m->answers ? m->answers : "{}");
	db_bind_text(st, 8, m->joined_on);
	db_bind_text(st, 9, m->left_on);
	db_bind_text(st, 10, now);
	if (db_step_done(st, err) < 0)
		return -1;
	if (skills_given && replace_skills(d, m->id, m, err) < 0)
		return -1;
	return store_program_touch(d, m->program_id, err);
}

static int add_skills(db *d, json_t *membership, db_stmt **cache, mt_error *err)
{
	if (!*cache) {
		*cache = db_prepare(d, "SELECT s.name AS skill, k.level FROM membership_skills k "
				       "JOIN skills s ON s.id = k.skill_id WHERE k.membership_id = $1 "
				       "ORDER BY k.level DESC, s.name", err);
		if (!*cache)
			return -1;
	}
	db_reset(*cache);
	db_bind_int(*cache, 1, json_integer_value(json_object_get(membership, "id")));
	json_t *rows = query_rows(*cache, err);
	if (!rows)
		return -1;
	json_object_set_new(membership, "skills", rows);
	/* goal_areas is stored as a bit set; serve it as names. */
	json_int_t bits = json_integer_value(json_object_get(membership, "goal_areas"));
	json_t *areas = json_array();
	for (int c = 0; c < MT_GOAL_CATEGORY_COUNT; c++)
		if (bits & (1 << c))
			json_array_append_new(areas, json_string(mt_goal_category_names[c]));
	json_object_set_new(membership, "goal_areas", areas);
	return 0;
}

json_t *store_membership_json(db *d, int64_t id, mt_error *err)
{
	json_t *o = query_by_id(d, "SELECT " MEMBERSHIP_COLUMNS " FROM " MEMBERSHIP_FROM
				    " WHERE ms.id = $1", id, "membership", err);
	db_stmt *cache = NULL;
	if (o && add_skills(d, o, &cache, err) < 0) {
		json_decref(o);
		o = NULL;
	}
	db_finalize(cache);
	return o;
}

json_t *store_membership_list(db *d, int64_t program_id, query *q, const char *sort,
			      int64_t limit, int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "ms.id"}, {"name", "pe.name"}, {"email", "pe.email"},
		{"role", "ms.role"}, {"status", "ms.status"}, {"capacity", "ms.capacity"},
		{"joined_on", "ms.joined_on"}, {"department", "pe.department"}, {NULL, NULL},
	};
	query_and_int(q, "ms.program_id = $?", program_id);
	json_t *page = query_page(d, MEMBERSHIP_COLUMNS, MEMBERSHIP_FROM, q, sorts, sort, limit,
				  offset, err);
	if (!page)
		return NULL;
	db_stmt *cache = NULL;
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(page, "items"), i, item) {
		if (add_skills(d, item, &cache, err) < 0) {
			json_decref(page);
			page = NULL;
			break;
		}
	}
	db_finalize(cache);
	return page;
}

int store_membership_owner(db *d, int64_t id, int64_t *person_id, int64_t *program_id,
			   mt_error *err)
{
	int64_t v[2];
	int rc = query_ints_by_id(d, "SELECT person_id, program_id FROM memberships WHERE id = $1",
				  id, 2, v, err);
	if (rc == 0) {
		*person_id = v[0];
		*program_id = v[1];
	}
	return rc;
}

int store_membership_load(db *d, mt_arena *a, int64_t id, mt_membership *m, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, program_id, person_id, role, status, "
					  "capacity, goal_areas, goals, COALESCE(years_experience, -1), "
					  "answers, joined_on, left_on FROM memberships WHERE id = $1",
				       id, "membership", err);
	if (!st)
		return -1;
	m->id = db_col_int(st, 0);
	m->program_id = db_col_int(st, 1);
	m->person_id = db_col_int(st, 2);
	m->role = strcmp(db_col_text(st, 3), "mentor") == 0 ? MT_ROLE_MENTOR : MT_ROLE_MENTEE;
	m->status = arena_strdup(a, db_col_text(st, 4));
	m->capacity = (int)db_col_int(st, 5);
	m->goal_areas = (unsigned)db_col_int(st, 6);
	m->goals = arena_strdup(a, db_col_text(st, 7));
	m->years_experience = (int)db_col_int(st, 8);
	m->answers = arena_strdup(a, db_col_text(st, 9));
	m->joined_on = arena_strdup(a, db_col_text(st, 10));
	m->left_on = arena_strdup(a, db_col_text(st, 11));
	db_finalize(st);
	return 0;
}

int64_t store_membership_find(db *d, int64_t program_id, int64_t person_id, const char *role,
			      mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM memberships WHERE program_id = $1 AND "
				    "person_id = $2 AND role = $3", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, role);
	int rc = db_step(st, err);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_finalize(st);
	return id;
}
