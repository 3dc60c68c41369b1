/*
 * store_pair.c - pairs and their history (pair_events), matching
 * preferences and exclusions.  The lifecycle rules live in domain/pair.c;
 * this file only records what the caller decided.
 */
#include "store/store.h"

#include "lib/timeutil.h"

#define PAIR_COLUMNS                                                                        \
	"pr.id, pr.program_id, pr.mentor_membership_id, pr.mentee_membership_id, "           \
	"pr.mentor_person_id, mo.name AS mentor_name, pr.mentee_person_id, "                 \
	"me.name AS mentee_name, pr.status, pr.source, pr.score, pr.reasons AS reasons_json, " \
	"pr.locked AS locked_bool, pr.proposed_on, pr.started_on, pr.ended_on, pr.end_reason, " \
	"pr.created_at, pr.updated_at"
#define PAIR_FROM                                                                           \
	"pairs pr JOIN people mo ON mo.id = pr.mentor_person_id "                             \
	"JOIN people me ON me.id = pr.mentee_person_id"

static int add_event(db *d, int64_t pair_id, const char *from, const char *to, const char *actor,
		     const char *note, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO pair_events (pair_id, at, from_status, to_status, "
				    "actor, note) VALUES ($1, $2, $3, $4, $5, $6)", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, pair_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, actor ? actor : "system");
	db_bind_text(st, 6, note);
	return db_step_done(st, err);
}

int64_t store_pair_create(db *d, const mt_pair *p, int64_t created_by, const char *actor,
			  mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d,
		"INSERT INTO pairs (program_id, mentor_membership_id, mentee_membership_id, "
		"mentor_person_id, mentee_person_id, status, source, score, reasons, locked, "
		"proposed_on, started_on, created_by, created_at, updated_at) VALUES ($1, $2, $3, "
		"$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->program_id);
	db_bind_int(st, 2, p->mentor_membership_id);
	db_bind_int(st, 3, p->mentee_membership_id);
	db_bind_int(st, 4, p->mentor_person_id);
	db_bind_int(st, 5, p->mentee_person_id);
	db_bind_text(st, 6, p->status);
	db_bind_text(st, 7, p->source);
	db_bind_opt_int(st, 8, p->score >= 0, p->score);
	db_bind_text(st, 9, p->reasons ? p->reasons : "[]");
	db_bind_int(st, 10, p->locked);
	db_bind_text(st, 11, p->proposed_on);
	db_bind_text(st, 12, p->started_on);
	db_bind_opt_int(st, 13, created_by > 0, created_by);
	db_bind_text(st, 14, now);
	int64_t id = db_step_int(st, err);
	if (id < 0 || add_event(d, id, NULL, p->status, actor, p->source, err) < 0 ||
	    store_program_touch(d, p->program_id, err) < 0)
		return -1;
	return id;
}

int store_pair_load(db *d, mt_arena *a, int64_t id, mt_pair *p, mt_error *err)
{
	db_stmt *st = query_step_by_id(d,
		"SELECT id, program_id, mentor_membership_id, mentee_membership_id, mentor_person_id, "
		"mentee_person_id, status, source, COALESCE(score, -1), reasons, locked, proposed_on, "
		"started_on, ended_on, end_reason FROM pairs WHERE id = $1", id, "pair", err);
	if (!st)
		return -1;
	p->id = db_col_int(st, 0);
	p->program_id = db_col_int(st, 1);
	p->mentor_membership_id = db_col_int(st, 2);
	p->mentee_membership_id = db_col_int(st, 3);
	p->mentor_person_id = db_col_int(st, 4);
	p->mentee_person_id = db_col_int(st, 5);
	p->status = arena_strdup(a, db_col_text(st, 6));
	p->source = arena_strdup(a, db_col_text(st, 7));
	p->score = (int)db_col_int(st, 8);
	p->reasons = arena_strdup(a, db_col_text(st, 9));
	p->locked = db_col_int(st, 10) != 0;
	p->proposed_on = arena_strdup(a, db_col_text(st, 11));
	p->started_on = arena_strdup(a, db_col_text(st, 12));
	p->ended_on = arena_strdup(a, db_col_text(st, 13));
	p->end_reason = arena_strdup(a, db_col_text(st, 14));
	db_finalize(st);
	return 0;
}

json_t *store_pair_json(db *d, int64_t id, mt_error *err)
{
	return query_by_id(d, "SELECT " PAIR_COLUMNS " FROM " PAIR_FROM " WHERE pr.id = $1",
			  id, "pair", err);
}

json_t *store_pair_list(db *d, int64_t program_id, query *q, const char *sort, int64_t limit,
			int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "pr.id"}, {"score", "pr.score"}, {"status", "pr.status"},
		{"mentor", "mo.name"}, {"mentee", "me.name"}, {"proposed_on", "pr.proposed_on"},
		{"started_on", "pr.started_on"}, {"ended_on", "pr.ended_on"}, {NULL, NULL},
	};
	query_and_int(q, "pr.program_id = $?", program_id);
	return query_page(d, PAIR_COLUMNS, PAIR_FROM, q, sorts, sort, limit, offset, err);
}

int store_pair_set_status(db *d, const mt_pair *p, const char *status, const char *date,
			  const char *reason, const char *actor, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	/* Becoming active sets started_on; reaching a terminal state sets ended_on. */
	db_stmt *st = db_prepare(d,
		"UPDATE pairs SET status = $2, updated_at = $3, "
		"started_on = CASE WHEN $2 = 'active' THEN $4 ELSE started_on END, "
		"ended_on = CASE WHEN $2 IN ('completed', 'ended', 'declined') THEN $4 ELSE ended_on END, "
		"end_reason = CASE WHEN $2 IN ('ended', 'declined') THEN $5 ELSE end_reason END, "
		"locked = 0 WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, status);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, date);
	db_bind_text(st, 5, reason);
	if (db_step_done(st, err) < 0 || add_event(d, p->id, p->status, status, actor, reason, err) < 0)
		return -1;
	return store_program_touch(d, p->program_id, err);
}

int store_pair_swap(db *d, int64_t id, int64_t mentor_membership_id, int64_t mentor_person_id,
		    int score, const char *reasons, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "UPDATE pairs SET mentor_membership_id = $2, mentor_person_id = $3, "
				    "score = $4, reasons = $5, source = 'manual', updated_at = $6 "
				    "WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, mentor_membership_id);
	db_bind_int(st, 3, mentor_person_id);
	db_bind_opt_int(st, 4, score >= 0, score);
	db_bind_text(st, 5, reasons);
	db_bind_text(st, 6, now);
	return db_step_done(st, err);
}

int store_pair_set_locked(db *d, int64_t id, bool locked, mt_error *err)
{
	return db_run_ints(d, "UPDATE pairs SET locked = $2 WHERE id = $1", 2,
			   (const int64_t[]){id, locked}, err);
}

json_t *store_pair_events(db *d, int64_t id, mt_error *err)
{
	return query_rows_by_id(d, "SELECT at, from_status, to_status, actor, note FROM pair_events "
				   "WHERE pair_id = $1 ORDER BY id", id, err);
}

int store_pair_people(db *d, int64_t id, int64_t *program_id, int64_t *mentor_person,
		      int64_t *mentee_person, mt_error *err)
{
	int64_t v[3];
	int rc = query_ints_by_id(d, "SELECT program_id, mentor_person_id, mentee_person_id "
				     "FROM pairs WHERE id = $1", id, 3, v, err);
	if (rc == 0) {
		*program_id = v[0];
		*mentor_person = v[1];
		*mentee_person = v[2];
	}
	return rc;
}

int64_t store_pair_count_between(db *d, int64_t program_id, int64_t mentee_person,
				 int64_t mentor_person, mt_error *err)
{
	int64_t n;
	if (db_query_int_params(d, "SELECT COUNT(*) FROM pairs WHERE program_id = $1 AND "
				   "mentee_person_id = $2 AND mentor_person_id = $3 AND "
				   "NOT (status = 'proposed' AND source = 'solver')", 3,
				(const int64_t[]){program_id, mentee_person, mentor_person}, &n, -1,
				err) < 0)
		return -1;
	return n;
}

int store_match_preference_set(db *d, int64_t program_id, int64_t person_id, const char *kind,
			       const int64_t *others, size_t n, mt_error *err)
{
	db_stmt *st = db_prepare(d, "DELETE FROM match_preferences WHERE program_id = $1 AND "
				    "person_id = $2 AND kind = $3", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, kind);
	if (db_step_done(st, err) < 0)
		return -1;
	st = db_prepare(d, "INSERT INTO match_preferences (program_id, person_id, kind, "
			   "other_person_id, rank) VALUES ($1, $2, $3, $4, $5)", err);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		db_reset(st);
		db_bind_int(st, 1, program_id);
		db_bind_int(st, 2, person_id);
		db_bind_text(st, 3, kind);
		db_bind_int(st, 4, others[i]);
		db_bind_int(st, 5, (int64_t)i + 1);
		rc = db_step(st, err);
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	return store_program_touch(d, program_id, err);
}

int store_match_exclusion_add(db *d, int64_t program_id, int64_t mentee_person,
			      int64_t mentor_person, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO match_exclusions (program_id, mentee_person_id, "
				    "mentor_person_id, created_at) VALUES ($1, $2, $3, $4) "
				    "ON CONFLICT DO NOTHING", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, mentee_person);
	db_bind_int(st, 3, mentor_person);
	db_bind_text(st, 4, now);
	if (db_step_done(st, err) < 0)
		return -1;
	return store_program_touch(d, program_id, err);
}

int64_t store_pair_active_count(db *d, int64_t membership_id, mt_error *err)
{
	int64_t n;
	if (db_query_int_params(d, "SELECT COUNT(*) FROM pairs WHERE status = 'active' AND "
				   "(mentor_membership_id = $1 OR mentee_membership_id = $1)", 1,
				&membership_id, &n, -1, err) < 0)
		return -1;
	return n;
}
