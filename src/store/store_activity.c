/* store_activity.c - see store_activity.h. */
#include "store/store_activity.h"

#include <stdlib.h>
#include <string.h>

#include "domain/goal.h"
#include "domain/model.h"
#include "domain/session.h"
#include "domain/validate.h"
#include "lib/timeutil.h"

enum { BATCH_PAIRS = 2000 };

/* The statements of one batch, prepared once and reset per row. */
typedef struct writer {
	db *d;
	db_stmt *session, *topic, *rating, *checkin, *goal, *milestone, *comment, *assessment;
	int64_t next_session_id, next_goal_id;
	char now[32];
} writer;

static void finalize_all(writer *w)
{
	db_stmt **all[] = {&w->session, &w->topic, &w->rating, &w->checkin, &w->goal,
			   &w->milestone, &w->comment, &w->assessment};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (*all[i]) {
			db_finalize(*all[i]);
			*all[i] = NULL;
		}
}

static int prepare_all(writer *w, mt_error *err)
{
	struct {
		db_stmt **st;
		const char *sql;
	} all[] = {
		{&w->session, "INSERT INTO sessions (id, pair_id, program_id, held_at, minutes, kind, "
			      "status, notes, created_at, updated_at) "
			      "VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $8)"},
		{&w->topic, "INSERT INTO session_topics (session_id, goal_id, skill_id) "
			    "VALUES ($1, $2, $3)"},
		{&w->rating, "INSERT INTO ratings (session_id, pair_id, program_id, rater_person_id, "
			     "side, score, comment, created_at, updated_at) "
			     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"},
		{&w->checkin, "INSERT INTO checkins (pair_id, program_id, person_id, side, score, "
			      "comment, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"},
		{&w->goal, "INSERT INTO goals (id, program_id, membership_id, person_id, pair_id, "
			   "category, description, skill_id, target_date, status, achieved_on, set_on, "
			   "created_at, updated_at) "
			   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"},
		{&w->milestone, "INSERT INTO milestones (goal_id, title, due_date, status, "
				"achieved_on, created_at, updated_at) "
				"VALUES ($1, $2, $3, $4, $5, $6, $6)"},
		{&w->comment, "INSERT INTO goal_comments (goal_id, author_person_id, body, created_at) "
			      "VALUES ($1, $2, $3, $4)"},
		{&w->assessment, "INSERT INTO assessments (pair_id, program_id, person_id, assessor, "
				 "skill_id, goal_id, phase, score, assessed_on, created_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"},
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!(*all[i].st = db_prepare(w->d, all[i].sql, err))) {
			finalize_all(w);
			return -1;
		}
	return 0;
}

static int run(db_stmt *st, mt_error *err)
{
	int rc = db_step(st, err);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

static void bind_day(db_stmt *st, int idx, int32_t day)
{
	char buf[11];
	if (day < 0) {
		db_bind_null(st, idx);
		return;
	}
	validate_date_format(day, buf);
	db_bind_text(st, idx, buf);
}

static void bind_time(db_stmt *st, int idx, int64_t t)
{
	char buf[21];
	session_format_time(t, buf);
	db_bind_text(st, idx, buf);
}

static int write_goals(writer *w, const demogen_activity_pair *pairs, const demogen_activity *act,
		       int64_t goal_base, store_activity_stats *stats, mt_error *err)
{
	for (size_t i = 0; i < act->n_goals; i++) {
		const demogen_goal *g = &act->goals[i];
		const demogen_activity_pair *p = &pairs[g->pair];
		db_stmt *st = w->goal;
		db_bind_int(st, 1, goal_base + (int64_t)i);
		db_bind_int(st, 2, p->program_id);
		db_bind_int(st, 3, p->mentee_membership_id);
		db_bind_int(st, 4, p->mentee_person_id);
		db_bind_int(st, 5, p->pair_id);
		db_bind_text(st, 6, mt_goal_category_names[g->category]);
		db_bind_text(st, 7, g->description);
		db_bind_opt_int(st, 8, g->skill_id > 0, g->skill_id);
		bind_day(st, 9, g->target_date);
		db_bind_text(st, 10, goal_status_name((goal_status)g->status));
		bind_day(st, 11, g->achieved_on);
		bind_day(st, 12, g->set_on);
		db_bind_text(st, 13, w->now);
		if (run(st, err) < 0)
			return -1;
		if (g->mentor_comment) {
			db_bind_int(w->comment, 1, goal_base + (int64_t)i);
			db_bind_int(w->comment, 2, p->mentor_person_id);
			db_bind_text(w->comment, 3, g->mentor_comment);
			db_bind_text(w->comment, 4, w->now);
			if (run(w->comment, err) < 0)
				return -1;
			stats->goal_comments++;
		}
	}
	for (size_t i = 0; i < act->n_milestones; i++) {
		const demogen_milestone *m = &act->milestones[i];
		db_bind_int(w->milestone, 1, goal_base + m->goal);
		db_bind_text(w->milestone, 2, m->title);
		bind_day(w->milestone, 3, m->due_date);
		db_bind_text(w->milestone, 4, goal_status_name((goal_status)m->status));
		bind_day(w->milestone, 5, m->achieved_on);
		db_bind_text(w->milestone, 6, w->now);
		if (run(w->milestone, err) < 0)
			return -1;
	}
	stats->goals += (int64_t)act->n_goals;
	stats->milestones += (int64_t)act->n_milestones;
	return 0;
}

static int write_sessions(writer *w, const demogen_activity_pair *pairs,
			  const demogen_activity *act, int64_t session_base, int64_t goal_base,
			  store_activity_stats *stats, mt_error *err)
{
	for (size_t i = 0; i < act->n_sessions; i++) {
		const demogen_session *s = &act->sessions[i];
		const demogen_activity_pair *p = &pairs[s->pair];
		int64_t id = session_base + (int64_t)i;
		db_stmt *st = w->session;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, p->pair_id);
		db_bind_int(st, 3, p->program_id);
		bind_time(st, 4, s->held_at);
		db_bind_int(st, 5, s->minutes);
		db_bind_text(st, 6, session_kind_name((session_kind)s->kind));
		db_bind_text(st, 7, session_status_name((session_status)s->status));
		db_bind_text(st, 8, w->now);
		if (run(st, err) < 0)
			return -1;
		if (s->topic_goal >= 0 || s->topic_skill > 0) {
			db_bind_int(w->topic, 1, id);
			db_bind_opt_int(w->topic, 2, s->topic_goal >= 0, goal_base + s->topic_goal);
			db_bind_opt_int(w->topic, 3, s->topic_goal < 0, s->topic_skill);
			if (run(w->topic, err) < 0)
				return -1;
			stats->topics++;
		}
	}
	for (size_t i = 0; i < act->n_ratings; i++) {
		const demogen_rating *ra = &act->ratings[i];
		const demogen_activity_pair *p = &pairs[act->sessions[ra->session].pair];
		db_stmt *st = w->rating;
		db_bind_int(st, 1, session_base + ra->session);
		db_bind_int(st, 2, p->pair_id);
		db_bind_int(st, 3, p->program_id);
		db_bind_int(st, 4, ra->side == SIDE_MENTOR ? p->mentor_person_id : p->mentee_person_id);
		db_bind_text(st, 5, pair_side_name((pair_side)ra->side));
		db_bind_int(st, 6, ra->score);
		db_bind_text(st, 7, ra->comment);
		db_bind_text(st, 8, w->now);
		if (run(st, err) < 0)
			return -1;
	}
	stats->sessions += (int64_t)act->n_sessions;
	stats->ratings += (int64_t)act->n_ratings;
	return 0;
}

static int write_rest(writer *w, const demogen_activity_pair *pairs, const demogen_activity *act,
		      int64_t goal_base, store_activity_stats *stats, mt_error *err)
{
	for (size_t i = 0; i < act->n_checkins; i++) {
		const demogen_checkin *c = &act->checkins[i];
		const demogen_activity_pair *p = &pairs[c->pair];
		db_stmt *st = w->checkin;
		db_bind_int(st, 1, p->pair_id);
		db_bind_int(st, 2, p->program_id);
		db_bind_int(st, 3, c->side == SIDE_MENTOR ? p->mentor_person_id : p->mentee_person_id);
		db_bind_text(st, 4, pair_side_name((pair_side)c->side));
		db_bind_int(st, 5, c->score);
		db_bind_text(st, 6, c->comment);
		bind_time(st, 7, c->answered_at);
		if (run(st, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < act->n_assessments; i++) {
		const demogen_assessment *x = &act->assessments[i];
		const demogen_activity_pair *p = &pairs[x->pair];
		db_stmt *st = w->assessment;
		db_bind_int(st, 1, p->pair_id);
		db_bind_int(st, 2, p->program_id);
		db_bind_int(st, 3, p->mentee_person_id);
		db_bind_text(st, 4, pair_side_name((pair_side)x->assessor));
		db_bind_opt_int(st, 5, x->goal < 0, x->skill_id);
		db_bind_opt_int(st, 6, x->goal >= 0, goal_base + x->goal);
		db_bind_text(st, 7, assessment_phase_name((assessment_phase)x->phase));
		db_bind_int(st, 8, x->score);
		bind_day(st, 9, x->assessed_on);
		db_bind_text(st, 10, w->now);
		if (run(st, err) < 0)
			return -1;
	}
	stats->checkins += (int64_t)act->n_checkins;
	stats->assessments += (int64_t)act->n_assessments;
	return 0;
}

static int next_ids(writer *w, mt_error *err)
{
	int64_t s, g;
	if (db_query_int(w->d, "SELECT COALESCE(MAX(id), 0) FROM sessions", &s, 0, err) < 0 ||
	    db_query_int(w->d, "SELECT COALESCE(MAX(id), 0) FROM goals", &g, 0, err) < 0)
		return -1;
	w->next_session_id = s + 1;
	w->next_goal_id = g + 1;
	return 0;
}

int store_activity_write(db *d, const demogen_activity_pair *pairs, const demogen_activity *act,
			 store_activity_stats *stats, mt_error *err)
{
	writer w = {.d = d};
	time_now_iso(w.now, sizeof(w.now));
	if (next_ids(&w, err) < 0 || prepare_all(&w, err) < 0)
		return -1;
	int rc = -1;
	if (write_goals(&w, pairs, act, w.next_goal_id, stats, err) < 0 ||
	    write_sessions(&w, pairs, act, w.next_session_id, w.next_goal_id, stats, err) < 0 ||
	    write_rest(&w, pairs, act, w.next_goal_id, stats, err) < 0)
		goto out;
	rc = 0;
out:
	finalize_all(&w);
	return rc;
}

/* ---- loading the pairs -------------------------------------------------- */

typedef struct skill_row {
	int64_t membership_id;
	int64_t skill_id;
} skill_row;

static int load_skills(db *d, mt_arena *a, int64_t program_id, skill_row **out, size_t *n,
		       mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT k.membership_id, k.skill_id FROM membership_skills k "
		"JOIN memberships m ON m.id = k.membership_id WHERE m.role = 'mentee' "
		"AND ($1 = 0 OR m.program_id = $1) ORDER BY k.membership_id, k.skill_id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	size_t cap = 1024, k = 0;
	skill_row *rows = arena_calloc(a, cap, sizeof(*rows));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (k == cap) {
			rows = arena_realloc(a, rows, cap * sizeof(*rows), 2 * cap * sizeof(*rows));
			cap *= 2;
		}
		rows[k].membership_id = db_col_int(st, 0);
		rows[k++].skill_id = db_col_int(st, 1);
	}
	db_finalize(st);
	*out = rows;
	*n = k;
	return rc < 0 ? -1 : 0;
}

static const char *intern_status(const char *s)
{
	static const char *const known[] = {"active", "completed", "ended"};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "other";
}

static int load_pairs(db *d, mt_arena *a, int64_t program_id, demogen_activity_pair **out,
		      size_t *n, mt_error *err)
{
	skill_row *skills;
	size_t n_skills;
	if (load_skills(d, a, program_id, &skills, &n_skills, err) < 0)
		return -1;
	db_stmt *st = db_prepare(d,
		"SELECT id, program_id, mentor_person_id, mentee_person_id, mentee_membership_id, "
		"status, started_on, ended_on FROM pairs WHERE status IN ('active', 'completed', "
		"'ended') AND started_on IS NOT NULL AND ($1 = 0 OR program_id = $1) ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	size_t cap = 1024, k = 0;
	demogen_activity_pair *pairs = arena_calloc(a, cap, sizeof(*pairs));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (k == cap) {
			pairs = arena_realloc(a, pairs, cap * sizeof(*pairs), 2 * cap * sizeof(*pairs));
			cap *= 2;
		}
		demogen_activity_pair *p = &pairs[k];
		int32_t day;
		p->pair_id = db_col_int(st, 0);
		p->program_id = db_col_int(st, 1);
		p->mentor_person_id = db_col_int(st, 2);
		p->mentee_person_id = db_col_int(st, 3);
		p->mentee_membership_id = db_col_int(st, 4);
		p->status = intern_status(db_col_text(st, 5));
		if (validate_date_parse(db_col_text(st, 6), &day) < 0)
			continue; /* a malformed start day: no activity */
		p->started_on = day;
		p->ended_on = -1;
		if (!db_col_null(st, 7) && validate_date_parse(db_col_text(st, 7), &day) == 0)
			p->ended_on = day;
		/* The mentee's wanted skills: a binary search into the sorted rows. */
		size_t lo = 0, hi = n_skills;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (skills[mid].membership_id < p->mentee_membership_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = lo;
		while (end < n_skills && skills[end].membership_id == p->mentee_membership_id)
			end++;
		if (end > lo) {
			int64_t *ids = arena_calloc(a, end - lo, sizeof(*ids));
			for (size_t j = lo; j < end; j++)
				ids[j - lo] = skills[j].skill_id;
			p->skill_ids = ids;
			p->n_skills = end - lo;
		}
		k++;
	}
	db_finalize(st);
	*out = pairs;
	*n = k;
	return rc < 0 ? -1 : 0;
}

static int touch_programs(db *d, const demogen_activity_pair *pairs, size_t n, mt_error *err)
{
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		/* Pairs come by id; programs repeat, so skip the run we just touched. */
		if (pairs[i].program_id == last)
			continue;
		last = pairs[i].program_id;
		if (store_program_touch(d, last, err) < 0)
			return -1;
	}
	return 0;
}

int store_activity_generate(db *d, const mt_actor *who, int64_t program_id, uint64_t seed,
			    int32_t today, store_activity_stats *stats, mt_error *err)
{
	mt_arena a;
	demogen_activity_pair *pairs;
	size_t n;
	int rc = -1;
	memset(stats, 0, sizeof(*stats));
	arena_init(&a);
	/* Every id written comes from rows just read in the same transaction,
	 * so the per-row foreign-key lookups prove nothing and cost a quarter
	 * of the time; a 256 MB page cache keeps the randomly filled indexes in
	 * memory.  Both are put back below. */
	db_bulk_saved saved = {.changed = false};
	if (db_bulk_begin(d, 256 * 1024, &saved, err) < 0)
		goto out;
	if (db_begin(d, err) < 0)
		goto out;
	if (load_pairs(d, &a, program_id, &pairs, &n, err) < 0)
		goto fail;
	for (size_t at = 0; at < n; at += BATCH_PAIRS) {
		size_t len = n - at < BATCH_PAIRS ? n - at : BATCH_PAIRS;
		mt_arena batch;
		demogen_activity act;
		arena_init(&batch);
		demogen_activity_generate(&batch, seed, pairs + at, len, today, &act);
		int wrc = store_activity_write(d, pairs + at, &act, stats, err);
		arena_free(&batch);
		if (wrc < 0)
			goto fail;
	}
	stats->pairs = (int64_t)n;
	json_t *after = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "pairs",
				  (json_int_t)stats->pairs, "sessions", (json_int_t)stats->sessions,
				  "ratings", (json_int_t)stats->ratings, "checkins",
				  (json_int_t)stats->checkins, "goals", (json_int_t)stats->goals,
				  "milestones", (json_int_t)stats->milestones, "assessments",
				  (json_int_t)stats->assessments);
	int arc = store_audit(d, who, "generate", "activity", program_id, NULL, after, err);
	json_decref(after);
	if (arc < 0 || touch_programs(d, pairs, n, err) < 0 || db_commit(d, err) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(d);
out:
	if (db_bulk_end(d, &saved, rc < 0 ? NULL : err) < 0)
		rc = -1;
	arena_free(&a);
	return rc;
}
