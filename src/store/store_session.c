/*
 * store_session.c - a pair's mentoring sessions with their topics, the
 * ratings each side gives a held session (with the edit history), and the
 * match-satisfaction check-ins.
 *
 * program_id is copied from the pair onto every row written here, because
 * every KPI asks "this program, this date range" and the copied column has
 * the index for it (see migrations/0003_sessions.sql).
 */
#include "store/store.h"

#include <string.h>

#include "lib/timeutil.h"

#define SESSION_COLUMNS                                                                    \
	"s.id, s.pair_id, s.program_id, s.held_at, s.minutes, s.kind, s.status, s.notes, "   \
	"p.mentor_person_id, p.mentee_person_id, s.created_by, s.created_at, s.updated_at, "\
	"(SELECT COUNT(*) FROM ratings ra WHERE ra.session_id = s.id) AS ratings"
#define SESSION_FROM "sessions s JOIN pairs p ON p.id = s.pair_id"

static int replace_topics(db *d, int64_t session_id, const mt_session *s, mt_error *err)
{
	if (db_run_ints(d, "DELETE FROM session_topics WHERE session_id = $1", 1, &session_id,
			err) < 0)
		return -1;
	db_stmt *st = db_prepare(d, "INSERT INTO session_topics (session_id, goal_id, skill_id) "
			   "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", err);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < s->n_goals + s->n_skills && rc >= 0; i++) {
		bool goal = i < s->n_goals;
		db_reset(st);
		db_bind_int(st, 1, session_id);
		db_bind_opt_int(st, 2, goal, goal ? s->goal_ids[i] : 0);
		db_bind_opt_int(st, 3, !goal, goal ? 0 : s->skill_ids[i - s->n_goals]);
		rc = db_step(st, err);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int64_t store_pair_session_create(db *d, const mt_session *s, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO sessions (pair_id, program_id, held_at, minutes, kind, status, notes, "
		"created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
		"RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->pair_id);
	db_bind_int(st, 2, s->program_id);
	db_bind_text(st, 3, s->held_at);
	db_bind_int(st, 4, s->minutes);
	db_bind_text(st, 5, s->kind);
	db_bind_text(st, 6, s->status);
	db_bind_text(st, 7, s->notes ? s->notes : "");
	db_bind_opt_int(st, 8, s->created_by > 0, s->created_by);
	db_bind_text(st, 9, now);
	int64_t id = db_step_int(st, err);
	if (id < 0 || replace_topics(d, id, s, err) < 0)
		return -1;
	return id;
}

int store_pair_session_update(db *d, const mt_session *s, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "UPDATE sessions SET held_at = $2, minutes = $3, kind = $4, "
				    "status = $5, notes = $6, updated_at = $7 WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->id);
	db_bind_text(st, 2, s->held_at);
	db_bind_int(st, 3, s->minutes);
	db_bind_text(st, 4, s->kind);
	db_bind_text(st, 5, s->status);
	db_bind_text(st, 6, s->notes ? s->notes : "");
	db_bind_text(st, 7, now);
	if (db_step_done(st, err) < 0)
		return -1;
	return s->topics_given ? replace_topics(d, s->id, s, err) : 0;
}

int store_pair_session_load(db *d, mt_arena *a, int64_t id, mt_session *s, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, pair_id, program_id, held_at, minutes, "
					  "kind, status, notes, created_by FROM sessions WHERE id = $1",
				       id, "session", err);
	if (!st)
		return -1;
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->pair_id = db_col_int(st, 1);
	s->program_id = db_col_int(st, 2);
	s->held_at = arena_strdup(a, db_col_text(st, 3));
	s->minutes = (int)db_col_int(st, 4);
	s->kind = arena_strdup(a, db_col_text(st, 5));
	s->status = arena_strdup(a, db_col_text(st, 6));
	s->notes = arena_strdup(a, db_col_text(st, 7));
	s->created_by = db_col_null(st, 8) ? 0 : db_col_int(st, 8);
	db_finalize(st);
	return 0;
}

json_t *store_pair_session_json(db *d, int64_t id, mt_error *err)
{
	json_t *obj = query_by_id(d, "SELECT " SESSION_COLUMNS " FROM " SESSION_FROM
				     " WHERE s.id = $1", id, "session", err);
	if (!obj)
		return NULL;
	json_t *topics = query_rows_by_id(d,
		"SELECT t.goal_id, t.skill_id, COALESCE(g.description, k.name) AS name "
		"FROM session_topics t LEFT JOIN goals g ON g.id = t.goal_id "
		"LEFT JOIN skills k ON k.id = t.skill_id WHERE t.session_id = $1 "
		"ORDER BY t.goal_id IS NULL, t.goal_id, t.skill_id", id, err);
	if (!topics) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "topics", topics);
	return obj;
}

json_t *store_pair_session_list(db *d, query *q, const char *sort, int64_t limit,
				int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"held_at", "s.held_at"}, {"id", "s.id"}, {"minutes", "s.minutes"},
		{"status", "s.status"}, {"kind", "s.kind"}, {"pair_id", "s.pair_id"},
		{NULL, NULL},
	};
	return query_page(d, SESSION_COLUMNS, SESSION_FROM, q, sorts, sort, limit, offset, err);
}

json_t *store_pair_session_scheduled_for_person(db *d, int64_t person_id, mt_error *err)
{
	return query_rows_by_id(d,
		"SELECT s.id, s.held_at, s.minutes, s.kind, s.pair_id, pr.name AS program, "
		"mr.name AS mentor, me.name AS mentee FROM sessions s "
		"JOIN pairs p ON p.id = s.pair_id JOIN programs pr ON pr.id = s.program_id "
		"JOIN people mr ON mr.id = p.mentor_person_id "
		"JOIN people me ON me.id = p.mentee_person_id "
		"WHERE s.status = 'scheduled' AND s.pair_id IN (SELECT id FROM pairs "
		"WHERE mentor_person_id = $1 UNION SELECT id FROM pairs WHERE mentee_person_id = $1) "
		"ORDER BY s.held_at, s.id", person_id, err);
}

int store_pair_session_check_topics(db *d, int64_t membership_id, const int64_t *goal_ids,
				    size_t n_goals, const int64_t *skill_ids, size_t n_skills,
				    mt_error *err)
{
	for (size_t i = 0; i < n_goals; i++) {
		int64_t n;
		if (db_query_int_params(d, "SELECT COUNT(*) FROM goals WHERE id = $1 AND "
					   "membership_id = $2", 2,
					(const int64_t[]){goal_ids[i], membership_id}, &n, 0, err) < 0)
			return -1;
		if (n == 0)
			return mt_invalid(err, "topics", "topics: goal %lld is not a goal of this "
					  "pair's mentee", (long long)goal_ids[i]);
	}
	for (size_t i = 0; i < n_skills; i++) {
		bool exists;
		if (store_skill_exists(d, skill_ids[i], &exists, err) < 0)
			return -1;
		if (!exists)
			return mt_invalid(err, "topics", "topics: skill %lld is not in the catalogue",
					  (long long)skill_ids[i]);
	}
	return 0;
}

/* ---- ratings ------------------------------------------------------------ */

#define RATING_COLUMNS                                                                    \
	"ra.id, ra.session_id, ra.pair_id, ra.program_id, ra.rater_person_id, ra.side, "    \
	"ra.score, ra.comment, ra.created_at, ra.updated_at, s.held_at AS session_held_at, "\
	"(SELECT COUNT(*) FROM rating_edits e WHERE e.rating_id = ra.id) AS edits_count"
#define RATING_FROM "ratings ra JOIN sessions s ON s.id = ra.session_id"

int64_t store_rating_create(db *d, const mt_rating *r, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO ratings (session_id, pair_id, program_id, rater_person_id, side, score, "
		"comment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
		"RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->session_id);
	db_bind_int(st, 2, r->pair_id);
	db_bind_int(st, 3, r->program_id);
	db_bind_int(st, 4, r->rater_person_id);
	db_bind_text(st, 5, r->side);
	db_bind_int(st, 6, r->score);
	db_bind_text(st, 7, r->comment);
	db_bind_text(st, 8, now);
	int64_t id = -1;
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	else if (rc < 0 && err->status == 409)
		mt_conflict(err, "session_id", "you already rated this session; change your "
			    "rating with PATCH instead");
	db_finalize(st);
	return id;
}

int store_rating_load(db *d, mt_arena *a, int64_t id, mt_rating *r, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT id, session_id, pair_id, program_id, "
					  "rater_person_id, side, score, comment FROM ratings "
					  "WHERE id = $1", id, "rating", err);
	if (!st)
		return -1;
	r->id = db_col_int(st, 0);
	r->session_id = db_col_int(st, 1);
	r->pair_id = db_col_int(st, 2);
	r->program_id = db_col_int(st, 3);
	r->rater_person_id = db_col_int(st, 4);
	r->side = arena_strdup(a, db_col_text(st, 5));
	r->score = (int)db_col_int(st, 6);
	r->comment = db_col_null(st, 7) ? NULL : arena_strdup(a, db_col_text(st, 7));
	db_finalize(st);
	return 0;
}

int store_rating_update(db *d, const mt_rating *old, int score, const char *comment,
			int64_t user_id, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO rating_edits (rating_id, at, user_id, old_score, "
				    "old_comment, new_score, new_comment) "
				    "VALUES ($1, $2, $3, $4, $5, $6, $7)", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, old->id);
	db_bind_text(st, 2, now);
	db_bind_opt_int(st, 3, user_id > 0, user_id);
	db_bind_int(st, 4, old->score);
	db_bind_text(st, 5, old->comment);
	db_bind_int(st, 6, score);
	db_bind_text(st, 7, comment);
	if (db_step_done(st, err) < 0)
		return -1;
	st = db_prepare(d, "UPDATE ratings SET score = $2, comment = $3, updated_at = $4 "
			   "WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, old->id);
	db_bind_int(st, 2, score);
	db_bind_text(st, 3, comment);
	db_bind_text(st, 4, now);
	return db_step_done(st, err);
}

json_t *store_rating_json(db *d, int64_t id, mt_error *err)
{
	json_t *obj = query_by_id(d, "SELECT " RATING_COLUMNS " FROM " RATING_FROM
				     " WHERE ra.id = $1", id, "rating", err);
	if (!obj)
		return NULL;
	json_t *edits = query_rows_by_id(d, "SELECT at, user_id, old_score, old_comment, "
					    "new_score, new_comment FROM rating_edits "
					    "WHERE rating_id = $1 ORDER BY id", id, err);
	if (!edits) {
		json_decref(obj);
		return NULL;
	}
	json_object_set_new(obj, "edits", edits);
	return obj;
}

json_t *store_rating_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			  mt_error *err)
{
	static const query_sort sorts[] = {
		{"held_at", "s.held_at"}, {"id", "ra.id"}, {"score", "ra.score"},
		{"created_at", "ra.created_at"}, {"updated_at", "ra.updated_at"},
		{"side", "ra.side"}, {NULL, NULL},
	};
	return query_page(d, RATING_COLUMNS, RATING_FROM, q, sorts, sort, limit, offset, err);
}

/* ---- check-ins ---------------------------------------------------------- */

int64_t store_checkin_create(db *d, const mt_checkin *c, mt_error *err)
{
	db_stmt *st = db_prepare(d, "INSERT INTO checkins (pair_id, program_id, person_id, side, "
				    "score, comment, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
				    "RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->pair_id);
	db_bind_int(st, 2, c->program_id);
	db_bind_int(st, 3, c->person_id);
	db_bind_text(st, 4, c->side);
	db_bind_int(st, 5, c->score);
	db_bind_text(st, 6, c->comment);
	db_bind_text(st, 7, c->answered_at);
	return db_step_int(st, err);
}

int store_checkin_last(db *d, mt_arena *a, int64_t pair_id, int64_t person_id,
		       const char **day, mt_error *err)
{
	*day = NULL;
	db_stmt *st = db_prepare(d, "SELECT substr(MAX(answered_at), 1, 10) FROM checkins "
				    "WHERE pair_id = $1 AND person_id = $2", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, pair_id);
	db_bind_int(st, 2, person_id);
	int rc = db_step(st, err);
	if (rc == DB_ROW && !db_col_null(st, 0))
		*day = arena_strdup(a, db_col_text(st, 0));
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

json_t *store_checkin_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			   mt_error *err)
{
	static const query_sort sorts[] = {
		{"answered_at", "c.answered_at"}, {"id", "c.id"}, {"score", "c.score"},
		{"side", "c.side"}, {NULL, NULL},
	};
	return query_page(d, "c.id, c.pair_id, c.program_id, c.person_id, c.side, c.score, "
			     "c.comment, c.answered_at", "checkins c", q, sorts, sort, limit,
			  offset, err);
}
