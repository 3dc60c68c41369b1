/*
 * h_sessions.c - a pair's mentoring sessions, their ratings and the pair's
 * match-satisfaction check-ins, and each participant's iCalendar feed of
 * scheduled sessions.
 *
 * Access: the routes hang under /pairs/{id} so the router's pair rule
 * (mentor, mentee or a manager of the program; others 404) guards them; a
 * second id in the path (a session or rating) must belong to that pair or
 * the answer is 404 as well.  Comments are redacted per viewer
 * (pair_ctx_redact); notes are private to the pair and its managers, who are
 * exactly the audience of these routes.
 */
#include "http/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "domain/icalfeed.h"
#include "domain/session.h"
#include "domain/validate.h"
#include "http/list_filter.h"
#include "http/pair_activity.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"

/* ---- sessions ----------------------------------------------------------- */

static int id_array(mt_req *r, json_t *body, const char *key, const int64_t **out, size_t *n,
		    bool *present, mt_error *err)
{
	json_t *arr = json_object_get(body, key);
	*present = arr != NULL;
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return mt_invalid(err, key, "%s must be an array of ids", key);
	int64_t *ids = arena_calloc(&r->arena, json_array_size(arr) + 1, sizeof(*ids));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return mt_invalid(err, key, "%s[%zu] must be a positive integer id", key, i);
		ids[i] = json_integer_value(v);
	}
	*out = ids;
	*n = json_array_size(arr);
	return 0;
}

/* Read the body's fields onto s (PATCH semantics when s is pre-filled). */
static int session_from_json(mt_req *r, json_t *body, const pair_ctx *c, mt_session *s,
			     bool create, mt_error *err)
{
	static const char *const allowed[] = {"held_at", "minutes", "kind", "status", "notes",
					      "goal_ids", "skill_ids", NULL};
	const char *v = NULL;
	bool present, goals_given, skills_given;
	int64_t n, held = 0, now = (int64_t)time_now();
	session_status status;
	session_kind kind;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "held_at", create, &v, &present, err) < 0 ||
	    (present && session_parse_time(&r->arena, "held_at", v, &s->held_at, &held, err) < 0) ||
	    json_get_int(body, "minutes", create, 1, SESSION_MINUTES_MAX, &n, &present, err) < 0)
		return -1;
	if (present)
		s->minutes = (int)n;
	if (!present && create)
		return mt_invalid(err, "minutes", "minutes is required");
	if (!held && session_parse_time(&r->arena, "held_at", s->held_at, NULL, &held, err) < 0)
		return -1;
	if (json_get_str(body, "kind", false, &v, &present, err) < 0 ||
	    (present && session_parse_kind("kind", v, &kind, err) < 0))
		return -1;
	if (present)
		s->kind = session_kind_name(kind);
	else if (create)
		s->kind = "regular";
	session_status old_status = SESSION_SCHEDULED;
	if (!create && session_parse_status("status", s->status, &old_status, err) < 0)
		return -1;
	if (json_get_str(body, "status", false, &v, &present, err) < 0 ||
	    (present && session_parse_status("status", v, &status, err) < 0))
		return -1;
	if (!present)
		status = create ? (held <= now ? SESSION_COMPLETED : SESSION_SCHEDULED) : old_status;
	if (!create && session_transition(old_status, status, err) < 0)
		return -1;
	s->status = session_status_name(status);
	if (json_get_str(body, "notes", false, &v, &present, err) < 0)
		return -1;
	if (present) {
		if (strlen(v) > 10000)
			return mt_invalid(err, "notes", "notes: at most 10000 bytes");
		s->notes = arena_strdup(&r->arena, v);
	}
	if (id_array(r, body, "goal_ids", &s->goal_ids, &s->n_goals, &goals_given, err) < 0 ||
	    id_array(r, body, "skill_ids", &s->skill_ids, &s->n_skills, &skills_given, err) < 0)
		return -1;
	s->topics_given = create || goals_given || skills_given;
	if (session_check_time(status, held, c->started_day, now, err) < 0)
		return -1;
	return store_pair_session_check_topics(r->db, c->pair.mentee_membership_id, s->goal_ids,
					       s->n_goals, s->skill_ids, s->n_skills, err);
}

/* Load session ids[1] and check it belongs to pair ids[0] (404 otherwise). */
static int load_session(mt_req *r, mt_session *s, mt_error *err)
{
	if (store_pair_session_load(r->db, &r->arena, r->ids[1], s, err) < 0)
		return -1;
	if (s->pair_id != r->ids[0])
		return mt_not_found(err, "session %lld not found in pair %lld",
				    (long long)r->ids[1], (long long)r->ids[0]);
	return 0;
}

static const list_filter session_filters[] = {
	LIST_PATH("s.pair_id = $?"),
	LIST_ENUM("status", "s.status = $?", query_session_statuses),
	LIST_ENUM("kind", "s.kind = $?", query_session_kinds),
	LIST_DATES("s.held_at"),
	LIST_END,
};

int h_sessions_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, session_filters, store_pair_session_list, err);
}

static const list_filter program_session_filters[] = {
	LIST_PATH("s.program_id = $?"),
	/* Participants see the sessions of their own pairs only. */
	LIST_OWN("(p.mentor_person_id = $? OR p.mentee_person_id = $?)"),
	LIST_ENUM("status", "s.status = $?", query_session_statuses),
	LIST_ENUM("kind", "s.kind = $?", query_session_kinds),
	LIST_ID("pair_id", "s.pair_id = $?"),
	LIST_ID("person_id", "(p.mentor_person_id = $? OR p.mentee_person_id = $?)"),
	LIST_DATES("s.held_at"),
	LIST_END,
};

int h_program_sessions_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, program_session_filters, store_pair_session_list, err);
}

static int64_t session_insert(mt_req *r, void *s, mt_error *err)
{
	return store_pair_session_create(r->db, s, err);
}
static const audited_op session_insert_op = {
	.entity = "session", .write = session_insert, .read = store_pair_session_json};

int h_sessions_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_session s = {0};
	int rc = -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 ||
	    session_pair_allows(c.pair.status, ACTIVITY_LOG_SESSION, err) < 0)
		goto out;
	s.pair_id = c.pair.id;
	s.program_id = c.pair.program_id;
	s.created_by = r->user.id;
	s.notes = "";
	if (session_from_json(r, body, &c, &s, true, err) < 0)
		goto out;
	rc = pair_activity_write(r, &session_insert_op, s.program_id, 0, &s, err);
out:
	json_decref(body);
	return rc;
}

int h_sessions_get(mt_req *r, mt_error *err)
{
	mt_session s;
	if (load_session(r, &s, err) < 0)
		return -1;
	json_t *obj = store_pair_session_json(r->db, s.id, err);
	return obj ? req_reply(r, 200, obj) : -1;
}

/* A session update: the session as patched, and the body that patched it. */
typedef struct session_patch {
	mt_session *s;
	json_t *body;
} session_patch;

/* A body that gives one topic list keeps the other kind of topic as it was
 * (read from the stored session). */
static int keep_other_topics(mt_req *r, mt_session *s, json_t *body, mt_error *err)
{
	json_t *old = store_pair_session_json(r->db, s->id, err);
	if (!old)
		return -1;
	size_t i, ng = 0, nk = 0;
	json_t *t, *topics = json_object_get(old, "topics");
	int64_t *g = arena_calloc(&r->arena, json_array_size(topics) + 1, sizeof(*g));
	int64_t *k = arena_calloc(&r->arena, json_array_size(topics) + 1, sizeof(*k));
	json_array_foreach(topics, i, t) {
		json_t *gid = json_object_get(t, "goal_id"), *kid = json_object_get(t, "skill_id");
		if (json_is_integer(gid))
			g[ng++] = json_integer_value(gid);
		if (json_is_integer(kid))
			k[nk++] = json_integer_value(kid);
	}
	if (!json_object_get(body, "goal_ids")) {
		s->goal_ids = g;
		s->n_goals = ng;
	}
	if (!json_object_get(body, "skill_ids")) {
		s->skill_ids = k;
		s->n_skills = nk;
	}
	json_decref(old);
	return 0;
}

static int64_t session_update(mt_req *r, void *arg, mt_error *err)
{
	session_patch *p = arg;
	if (p->s->topics_given && keep_other_topics(r, p->s, p->body, err) < 0)
		return -1;
	return store_pair_session_update(r->db, p->s, err);
}
static const audited_op session_update_op = {
	.entity = "session", .write = session_update, .read = store_pair_session_json};

int h_sessions_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_session s;
	int rc = -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 || load_session(r, &s, err) < 0 ||
	    session_pair_allows(c.pair.status, ACTIVITY_LOG_SESSION, err) < 0 ||
	    session_from_json(r, body, &c, &s, false, err) < 0)
		goto out;
	session_patch patch = {.s = &s, .body = body};
	rc = pair_activity_write(r, &session_update_op, s.program_id, s.id, &patch, err);
out:
	json_decref(body);
	return rc;
}

/* ---- ratings ------------------------------------------------------------ */

/* Answer a page of ratings or check-ins (list_filter_reply) with the
 * comments the viewer may not read hidden; author_key names the column of
 * the author's person id. */
static int reply_redacted(mt_req *r, const pair_ctx *c, list_query *l, json_t *page,
			  const char *author_key)
{
	if (page)
		pair_ctx_redact(r, c, json_object_get(page, "items"), author_key);
	return list_filter_reply(r, l, page);
}

/* A list of pair ids[0]'s feedback (ratings, check-ins): `filters`, then
 * the comments hidden per viewer. */
static int pair_feedback_list(mt_req *r, const list_filter *filters, list_filter_store list,
			      const char *author_key, mt_error *err)
{
	list_query l;
	pair_ctx c;
	if (list_filter_begin(r, filters, &l, err) < 0)
		return -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0)
		return list_filter_reply(r, &l, NULL);
	return reply_redacted(r, &c, &l, list(r->db, &l.q, l.sort, l.limit, l.offset, err),
			      author_key);
}

int h_ratings_list(mt_req *r, mt_error *err)
{
	static const list_filter no_filters[] = {LIST_END};
	list_query l;
	pair_ctx c;
	mt_session s;
	if (list_filter_begin(r, no_filters, &l, err) < 0)
		return -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 || load_session(r, &s, err) < 0)
		return list_filter_reply(r, &l, NULL);
	query_and_int(&l.q, "ra.session_id = $?", s.id);
	return reply_redacted(r, &c, &l,
			      store_rating_list(r->db, &l.q, l.sort, l.limit, l.offset, err),
			      "rater_person_id");
}

static const list_filter pair_rating_filters[] = {
	LIST_PATH("ra.pair_id = $?"),
	LIST_ENUM("side", "ra.side = $?", query_sides),
	LIST_END,
};

int h_pair_ratings_list(mt_req *r, mt_error *err)
{
	return pair_feedback_list(r, pair_rating_filters, store_rating_list, "rater_person_id",
				  err);
}

static const list_filter program_rating_filters[] = {
	/* S2/S3 count ratings of held sessions only. */
	LIST_PATH("ra.program_id = $? AND s.status = 'completed'"),
	LIST_ENUM("side", "ra.side = $?", query_sides),
	LIST_FLAG("has_comment", "ra.comment IS NOT NULL AND ra.comment <> ''"),
	LIST_INT("score", "ra.score = $?", 1, LIST_ID_MAX),
	LIST_ID("pair_id", "ra.pair_id = $?"),
	LIST_DATES("s.held_at"),
	LIST_END,
};

int h_program_ratings_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, program_rating_filters, store_rating_list, err);
}

static int rating_fields(mt_req *r, json_t *body, bool create, int64_t *score,
			 const char **comment, bool *comment_given, mt_error *err)
{
	static const char *const allowed[] = {"score", "comment", NULL};
	const char *v = NULL;
	bool present;
	*comment_given = false;
	if (json_check_keys(body, allowed, err) < 0)
		return -1;
	json_t *sv = json_object_get(body, "score");
	if (create && !sv)
		return mt_invalid(err, "score", "score is required: 1 to 5");
	if (sv) {
		if (!json_is_integer(sv))
			return mt_invalid(err, "score", "score must be a whole number from 1 to 5");
		*score = json_integer_value(sv);
		if (session_score_check("score", *score, err) < 0)
			return -1;
	}
	if (json_get_str(body, "comment", false, &v, &present, err) < 0)
		return -1;
	if (json_is_null(json_object_get(body, "comment")))
		present = true, v = NULL;
	if (present) {
		if (v && strlen(v) > 4000)
			return mt_invalid(err, "comment", "comment: at most 4000 bytes");
		*comment = v && *v ? arena_strdup(&r->arena, v) : NULL;
		*comment_given = true;
	}
	return 0;
}

static int64_t rating_insert(mt_req *r, void *ra, mt_error *err)
{
	return store_rating_create(r->db, ra, err);
}
static const audited_op rating_insert_op = {
	.entity = "rating", .write = rating_insert, .read = store_rating_json};

int h_ratings_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_session s;
	session_status st;
	mt_rating ra = {0};
	int64_t score = 0;
	bool comment_given;
	int rc = -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 || load_session(r, &s, err) < 0 ||
	    rating_fields(r, body, true, &score, &ra.comment, &comment_given, err) < 0 ||
	    session_parse_status("status", s.status, &st, err) < 0 ||
	    rating_check_rater(c.in_pair, st, err) < 0 ||
	    session_pair_allows(c.pair.status, ACTIVITY_RATE, err) < 0)
		goto out;
	ra.session_id = s.id;
	ra.pair_id = c.pair.id;
	ra.program_id = c.pair.program_id;
	ra.rater_person_id = r->user.person_id;
	ra.side = pair_side_name(c.side);
	ra.score = (int)score;
	rc = pair_activity_write(r, &rating_insert_op, ra.program_id, 0, &ra, err);
out:
	json_decref(body);
	return rc;
}

/* Load rating ids[1] and check it belongs to pair ids[0]. */
static int load_rating(mt_req *r, mt_rating *ra, mt_error *err)
{
	if (store_rating_load(r->db, &r->arena, r->ids[1], ra, err) < 0)
		return -1;
	if (ra->pair_id != r->ids[0])
		return mt_not_found(err, "rating %lld not found in pair %lld", (long long)r->ids[1],
				    (long long)r->ids[0]);
	return 0;
}

int h_ratings_get(mt_req *r, mt_error *err)
{
	pair_ctx c;
	mt_rating ra;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 || load_rating(r, &ra, err) < 0)
		return -1;
	json_t *obj = store_rating_json(r->db, ra.id, err);
	if (!obj)
		return -1;
	json_t *one = json_array();
	json_array_append(one, obj);
	pair_ctx_redact(r, &c, one, "rater_person_id");
	json_decref(one);
	return req_reply(r, 200, obj);
}

/* A rating update: the rating as stored, and its new score and comment. */
typedef struct rating_patch {
	const mt_rating *old;
	int64_t score;
	const char *comment;
} rating_patch;

static int64_t rating_update(mt_req *r, void *arg, mt_error *err)
{
	const rating_patch *p = arg;
	return store_rating_update(r->db, p->old, (int)p->score, p->comment, r->user.id, err);
}
static const audited_op rating_update_op = {
	.entity = "rating", .write = rating_update, .read = store_rating_json};

int h_ratings_update(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_rating ra;
	bool comment_given;
	int rc = -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 || load_rating(r, &ra, err) < 0)
		goto out;
	if (!r->user.person_id || ra.rater_person_id != r->user.person_id) {
		mt_forbidden(err, "only the author of a rating may change it");
		goto out;
	}
	rating_patch patch = {.old = &ra, .score = ra.score, .comment = ra.comment};
	if (rating_fields(r, body, false, &patch.score, &patch.comment, &comment_given, err) < 0)
		goto out;
	rc = pair_activity_write(r, &rating_update_op, ra.program_id, ra.id, &patch, err);
out:
	json_decref(body);
	return rc;
}

/* ---- check-ins ---------------------------------------------------------- */

static const list_filter checkin_filters[] = {
	LIST_PATH("c.pair_id = $?"),
	LIST_ENUM("side", "c.side = $?", query_sides),
	LIST_DATES("c.answered_at"),
	LIST_END,
};

int h_checkins_list(mt_req *r, mt_error *err)
{
	return pair_feedback_list(r, checkin_filters, store_checkin_list, "person_id", err);
}

/* The due state of one side's check-in. */
static int side_due(mt_req *r, const pair_ctx *c, pair_side side, int32_t today, json_t **out,
		    mt_error *err)
{
	int64_t person = side == SIDE_MENTOR ? c->pair.mentor_person_id : c->pair.mentee_person_id;
	const char *last = NULL;
	int32_t last_day = 0, due_on;
	if (store_checkin_last(r->db, &r->arena, c->pair.id, person, &last, err) < 0)
		return -1;
	if (last && validate_date_parse(last, &last_day) < 0)
		return mt_internal(err, "bad check-in date %s", last);
	bool due = checkin_due(c->started_day, last != NULL, last_day, c->checkin_interval, today,
			       &due_on);
	char buf[11];
	validate_date_format(due_on, buf);
	*out = json_pack("{s:s, s:I, s:o, s:s, s:b}", "side", pair_side_name(side), "person_id",
			 (json_int_t)person, "last_answered_on", json_str_or_null(last), "due_on",
			 buf, "due", due && strcmp(c->pair.status, "active") == 0);
	return 0;
}

int h_checkins_due(mt_req *r, mt_error *err)
{
	pair_ctx c;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0)
		return -1;
	json_t *sides = json_array();
	int32_t today = time_today_days();
	for (int s = 0; s < SIDE_COUNT; s++) {
		json_t *one = NULL;
		if (side_due(r, &c, (pair_side)s, today, &one, err) < 0) {
			json_decref(sides);
			return -1;
		}
		json_array_append_new(sides, one);
	}
	return req_reply(r, 200, json_pack("{s:I, s:s, s:i, s:o}", "pair_id",
					   (json_int_t)c.pair.id, "pair_status", c.pair.status,
					   "interval_days", c.checkin_interval, "sides", sides));
}

static int64_t checkin_insert(mt_req *r, void *ci, mt_error *err)
{
	return store_checkin_create(r->db, ci, err);
}

/* Check-ins have no reader in the store: the audit row and the answer
 * describe the one just written. */
static json_t *checkin_json(const void *arg, int64_t id)
{
	const mt_checkin *ci = arg;
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:i, s:o, s:s}", "id", (json_int_t)id,
			 "pair_id", (json_int_t)ci->pair_id, "program_id",
			 (json_int_t)ci->program_id, "person_id", (json_int_t)ci->person_id, "side",
			 ci->side, "score", ci->score, "comment", json_str_or_null(ci->comment),
			 "answered_at", ci->answered_at);
}
static const audited_op checkin_insert_op = {
	.entity = "checkin", .write = checkin_insert, .describe = checkin_json};

int h_checkins_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	pair_ctx c;
	mt_checkin ci = {0};
	int64_t score = 0;
	bool comment_given;
	char now[32];
	int rc = -1;
	if (pair_ctx_load(r, r->ids[0], &c, err) < 0 ||
	    rating_fields(r, body, true, &score, &ci.comment, &comment_given, err) < 0)
		goto out;
	if (!c.in_pair) {
		mt_forbidden(err, "only the pair's mentor and mentee answer its check-ins");
		goto out;
	}
	if (session_pair_allows(c.pair.status, ACTIVITY_CHECKIN, err) < 0)
		goto out;
	const char *last = NULL;
	int32_t last_day = 0, due_on, today = time_today_days();
	if (store_checkin_last(r->db, &r->arena, c.pair.id, r->user.person_id, &last, err) < 0 ||
	    (last && validate_date_parse(last, &last_day) < 0))
		goto out;
	if (!checkin_due(c.started_day, last != NULL, last_day, c.checkin_interval, today,
			 &due_on)) {
		char buf[11];
		validate_date_format(due_on, buf);
		mt_conflict(err, "", "you answered on %s; the next check-in is due on %s (every "
			    "%d days)", last, buf, c.checkin_interval);
		goto out;
	}
	time_now_iso(now, sizeof(now));
	ci.pair_id = c.pair.id;
	ci.program_id = c.pair.program_id;
	ci.person_id = r->user.person_id;
	ci.side = pair_side_name(c.side);
	ci.score = (int)score;
	ci.answered_at = now;
	rc = pair_activity_write(r, &checkin_insert_op, ci.program_id, 0, &ci, err);
out:
	json_decref(body);
	return rc;
}

/* ---- the iCalendar feed ------------------------------------------------- */

int h_people_sessions_ics(mt_req *r, mt_error *err)
{
	json_t *person = store_person_json(r->db, r->ids[0], err);
	if (!person)
		return -1;
	json_decref(person);
	json_t *rows = store_pair_session_scheduled_for_person(r->db, r->ids[0], err);
	if (!rows)
		return -1;
	size_t n = json_array_size(rows), i;
	icalfeed_event *ev = arena_calloc(&r->arena, n + 1, sizeof(*ev));
	json_t *row;
	int rc = -1;
	json_array_foreach(rows, i, row) {
		int64_t start;
		const char *held = json_string_value(json_object_get(row, "held_at"));
		if (session_parse_time(&r->arena, "held_at", held, NULL, &start, err) < 0)
			goto out;
		const char *kind = json_string_value(json_object_get(row, "kind"));
		ev[i].session_id = json_integer_value(json_object_get(row, "id"));
		ev[i].start = start;
		ev[i].minutes = (int)json_integer_value(json_object_get(row, "minutes"));
		ev[i].summary = arena_printf(&r->arena, "%sMentoring: %s & %s",
					     strcmp(kind, "intro") == 0 ? "Intro - " : "",
					     json_string_value(json_object_get(row, "mentor")),
					     json_string_value(json_object_get(row, "mentee")));
		ev[i].description = arena_printf(&r->arena, "Program: %s",
						 json_string_value(json_object_get(row, "program")));
	}
	char *text = icalfeed_build("mentortrack sessions", ev, n, (int64_t)time_now(), err);
	if (!text)
		goto out;
	r->raw = arena_strdup(&r->arena, text);
	r->raw_len = strlen(text);
	free(text);
	r->content_type = "text/calendar; charset=utf-8";
	r->disposition = "inline; filename=\"sessions.ics\"";
	r->cache_control = "no-store";
	r->status = 200;
	rc = 0;
out:
	json_decref(rows);
	return rc;
}
