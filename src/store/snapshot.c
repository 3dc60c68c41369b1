/*
 * snapshot.c - the KPI snapshot loader and its cache (see snapshot.h).
 *
 * Rows are read table by table in id order and handed to the domain's
 * kpi_add_* builders; references (a session's pair, a rating's session)
 * are resolved with the builders' binary searches over ids, so the whole
 * load is one statement per table and no lookups back into the database.
 * Timestamps (held_at, answered_at, raised_at, resolved_at) are cut into
 * days in the program's time zone here, once, so the formulas only see days.
 */
#include "store/snapshot.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/validate.h"

/* ---- helpers ------------------------------------------------------------------- */

static int32_t col_day(db_stmt *st, int col)
{
	int32_t d;
	if (db_col_null(st, col) || validate_date_parse(db_col_text(st, col), &d) < 0)
		return KPI_NO_DAY;
	return d;
}

/* A UTC timestamp column as a day in the program's time zone. */
static int32_t col_tz_day(db_stmt *st, int col, const tzday *tz)
{
	int64_t t;
	if (db_col_null(st, col) || tzday_parse_timestamp(db_col_text(st, col), &t) < 0)
		return col_day(st, col);
	return tzday_day(tz, t);
}

static int32_t col_str(kpi_snapshot *s, db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return KPI_NO_STR;
	const char *t = db_col_text(st, col);
	return *t ? kpi_intern(s, t) : KPI_NO_STR;
}

/* A JSON scalar as text for a breakdown ("true", "3", "Paris"); NULL for
 * null, objects and arrays (not a single group). */
static const char *scalar_text(json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, n, "%g", json_real_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

/* Attach every scalar field of a JSON object's text as attributes of the
 * last person (demographics) or membership (answers). */
static int add_attrs(kpi_snapshot *s, const char *text, bool membership, mt_error *err)
{
	if (!text || !*text || strcmp(text, "{}") == 0)
		return 0;
	json_t *o = json_loads(text, 0, NULL);
	const char *key;
	json_t *v;
	int rc = 0;
	if (!json_is_object(o))
		goto out;
	json_object_foreach(o, key, v) {
		char buf[64];
		const char *val = scalar_text(v, buf, sizeof(buf));
		if (!val || !*val)
			continue;
		int32_t k = kpi_intern(s, key), x = kpi_intern(s, val);
		rc = membership ? kpi_add_membership_attr(s, k, x, err)
				: kpi_add_person_attr(s, k, x, err);
		if (rc < 0)
			break;
	}
out:
	json_decref(o);
	return rc;
}

/* The distinct components of a pair's reasons JSON array. */
static int add_reasons(kpi_snapshot *s, const char *text, mt_error *err)
{
	if (!text || !*text || strcmp(text, "[]") == 0)
		return 0;
	json_t *arr = json_loads(text, 0, NULL);
	size_t i;
	json_t *r;
	int rc = 0;
	json_array_foreach(arr, i, r) {
		const char *c = json_string_value(json_object_get(r, "component"));
		if (c && (rc = kpi_add_pair_reason(s, kpi_intern(s, c), err)) < 0)
			break;
	}
	json_decref(arr);
	return rc;
}

int snapshot_timezone(const char *name, tzday *tz, const char *field, mt_error *err)
{
	if (tzday_parse_fixed(name, tz) == 0)
		return 0;
	/* An IANA name: letters, digits and "/_-+", no "..", not absolute. */
	bool ok = name[0] != '/' && !strstr(name, "..") && strlen(name) < 128;
	for (const char *p = name; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		     (*p >= '0' && *p <= '9') || strchr("/_-+", *p);
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char *data = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc = -1;
	if (!ok)
		goto unknown;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (!(f = fopen(path, "rb")))
		goto unknown;
	data = malloc(1 << 16);
	if (!data)
		abort();
	len = fread(data, 1, 1 << 16, f);
	rc = tzday_parse_tzif(data, len, tz, field, err);
	goto out;
unknown:
	mt_invalid(err, field, "%s: \"%s\" is not a known time zone; use UTC, an offset like "
		   "+02:00 or an IANA name like Europe/Paris", field, name);
out:
	if (f)
		fclose(f);
	free(data);
	return rc;
}

/* ---- loading ------------------------------------------------------------------ */

/* One indexed lookup: cheap enough for every request. */
static int version_read(db *d, int64_t program_id, snapshot_version *v, mt_error *err)
{
	memset(v, 0, sizeof(*v));
	db_stmt *st = db_prepare(d, "SELECT data_version FROM programs WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		v->data_version = db_col_int(st, 0);
	else if (rc == DB_DONE)
		mt_not_found(err, "program %lld not found", (long long)program_id);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

int snapshot_version_read(db *d, int64_t program_id, snapshot_version *v, mt_error *err)
{
	return version_read(d, program_id, v, err);
}

static int load_program(db *d, kpi_snapshot *s, tzday *tz, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT start_date, timezone, settings FROM programs "
				    "WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc = db_step(st, err);
	if (rc == DB_DONE)
		rc = mt_not_found(err, "program %lld not found", (long long)s->program_id);
	if (rc == DB_ROW) {
		s->program_start = col_day(st, 0);
		json_t *settings = json_loads(db_col_text(st, 2), 0, NULL);
		json_t *success = json_object_get(settings, "success");
		json_t *mean = json_object_get(success, "min_mean_rating");
		json_t *n = json_object_get(success, "min_sessions");
		if (json_is_number(mean))
			s->success_min_mean_rating = json_number_value(mean);
		if (json_is_integer(n))
			s->success_min_sessions = (int32_t)json_integer_value(n);
		json_decref(settings);
		rc = snapshot_timezone(db_col_null(st, 1) ? "UTC" : db_col_text(st, 1), tz,
				       "timezone", err);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_people(db *d, kpi_snapshot *s, mt_error *err)
{
	/* Every person: share of headcount needs the whole organisation. */
	db_stmt *st = db_prepare(d,
		"SELECT id, name, job_title, department, location, seniority, hire_date, "
		"left_date, demographics FROM people ORDER BY id", err);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		kpi_person p = {
			.id = db_col_int(st, 0), .name = col_str(s, st, 1),
			.job_title = col_str(s, st, 2), .department = col_str(s, st, 3),
			.location = col_str(s, st, 4), .seniority = (int32_t)db_col_int(st, 5),
			.hire = col_day(st, 6), .left = col_day(st, 7),
		};
		if (kpi_add_person(s, &p, err) < 0 ||
		    add_attrs(s, db_col_null(st, 8) ? NULL : db_col_text(st, 8), false, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The skills catalogue as (id, interned name), in id order. */
typedef struct skill_map {
	int64_t *ids;
	int32_t *names;
	size_t n;
} skill_map;

static int load_skills(db *d, kpi_snapshot *s, skill_map *m, mt_error *err)
{
	int64_t count = 0;
	if (db_query_int(d, "SELECT COUNT(*) FROM skills", &count, 0, err) < 0)
		return -1;
	m->ids = calloc((size_t)count + 1, sizeof(int64_t));
	m->names = calloc((size_t)count + 1, sizeof(int32_t));
	if (!m->ids || !m->names)
		abort();
	db_stmt *st = db_prepare(d, "SELECT id, name FROM skills ORDER BY id", err);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW && m->n < (size_t)count) {
		m->ids[m->n] = db_col_int(st, 0);
		m->names[m->n++] = col_str(s, st, 1);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int32_t skill_name(const skill_map *m, int64_t id)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ids[mid] < id)
			lo = mid + 1;
		else if (m->ids[mid] > id)
			hi = mid;
		else
			return m->names[mid];
	}
	return KPI_NO_STR;
}

typedef struct member_skill_row {
	int64_t membership_id;
	int32_t skill;
	int32_t level;
} member_skill_row;

static int cmp_member_skill(const void *a, const void *b)
{
	const member_skill_row *x = a, *y = b;
	if (x->membership_id != y->membership_id)
		return x->membership_id < y->membership_id ? -1 : 1;
	return (x->skill > y->skill) - (x->skill < y->skill);
}

/* Every membership's skills, sorted by membership id (one scan of the
 * table, sorted here: cheaper than the index walk with a lookup per row). */
static member_skill_row *load_member_skills(db *d, const skill_map *m, size_t *n, mt_error *err)
{
	int64_t count = 0;
	*n = 0;
	if (db_query_int(d, "SELECT COUNT(*) FROM membership_skills", &count, 0, err) < 0)
		return NULL;
	member_skill_row *rows = calloc((size_t)count + 1, sizeof(*rows));
	db_stmt *st = db_prepare(d, "SELECT membership_id, skill_id, level FROM membership_skills",
				 err);
	if (!rows || !st) {
		free(rows);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW && *n < (size_t)count)
		rows[(*n)++] = (member_skill_row){db_col_int(st, 0), skill_name(m, db_col_int(st, 1)),
						  (int32_t)db_col_int(st, 2)};
	db_finalize(st);
	if (rc < 0) {
		free(rows);
		return NULL;
	}
	qsort(rows, *n, sizeof(*rows), cmp_member_skill);
	return rows;
}

static int load_memberships(db *d, kpi_snapshot *s, const skill_map *skills, mt_error *err)
{
	size_t n_sk = 0, k = 0;
	member_skill_row *sk = load_member_skills(d, skills, &n_sk, err);
	db_stmt *st = sk ? db_prepare(d,
		"SELECT id, person_id, role, status, capacity, joined_on, left_on, answers "
		"FROM memberships WHERE +program_id = $1 ORDER BY id", err) : NULL;
	int rc = -1;
	if (!st)
		goto out;
	db_bind_int(st, 1, s->program_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int status = kpi_parse_member_status(db_col_text(st, 3));
		kpi_membership m = {
			.id = id, .person = kpi_find_person(s, db_col_int(st, 1)),
			.role = strcmp(db_col_text(st, 2), "mentor") == 0 ? KPI_MENTOR : KPI_MENTEE,
			.status = (uint8_t)(status < 0 ? KPI_MS_ACTIVE : status),
			.capacity = (int16_t)db_col_int(st, 4), .joined = col_day(st, 5),
			.left = col_day(st, 6),
		};
		if (kpi_add_membership(s, &m, err) < 0 ||
		    add_attrs(s, db_col_text(st, 7), true, err) < 0)
			goto fail;
		/* Its skills: both lists are in membership id order. */
		while (k < n_sk && sk[k].membership_id < id)
			k++;
		for (; k < n_sk && sk[k].membership_id == id; k++)
			if (sk[k].skill != KPI_NO_STR &&
			    kpi_add_membership_skill(s, sk[k].skill, sk[k].level, err) < 0)
				goto fail;
	}
	goto out;
fail:
	rc = -1;
out:
	db_finalize(st);
	free(sk);
	return rc < 0 ? -1 : 0;
}

static int load_pairs(db *d, kpi_snapshot *s, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, mentor_membership_id, mentee_membership_id, mentor_person_id, "
		"mentee_person_id, status, proposed_on, started_on, ended_on, reasons "
		"FROM pairs WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int status = kpi_parse_pair_status(db_col_text(st, 5));
		kpi_pair p = {
			.id = db_col_int(st, 0),
			.mentor_ms = kpi_find_membership(s, db_col_int(st, 1)),
			.mentee_ms = kpi_find_membership(s, db_col_int(st, 2)),
			.mentor = kpi_find_person(s, db_col_int(st, 3)),
			.mentee = kpi_find_person(s, db_col_int(st, 4)),
			.status = (uint8_t)(status < 0 ? KPI_PAIR_PROPOSED : status),
			.proposed = col_day(st, 6), .started = col_day(st, 7),
			.ended = col_day(st, 8),
		};
		if (kpi_add_pair(s, &p, err) < 0 || add_reasons(s, db_col_text(st, 9), err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_sessions(db *d, kpi_snapshot *s, const tzday *tz, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, pair_id, held_at, minutes, kind, status FROM sessions "
		"WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	int64_t last_pair_id = 0;
	int32_t last_pair = -1;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int64_t pair_id = db_col_int(st, 1);
		if (pair_id != last_pair_id) {
			last_pair_id = pair_id;
			last_pair = kpi_find_pair(s, pair_id);
		}
		int status = kpi_parse_session_status(db_col_text(st, 5));
		kpi_session x = {
			.pair = last_pair, .day = col_tz_day(st, 2, tz),
			.minutes = (int16_t)db_col_int(st, 3),
			.kind = strcmp(db_col_text(st, 4), "intro") == 0 ? KPI_SESSION_INTRO
									 : KPI_SESSION_REGULAR,
			.status = (uint8_t)(status < 0 ? KPI_SESSION_SCHEDULED : status),
		};
		if (kpi_add_session(s, db_col_int(st, 0), &x, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_goals(db *d, kpi_snapshot *s, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, membership_id, person_id, pair_id, category, status, set_on, "
		"achieved_on FROM goals WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int cat = kpi_parse_goal_category(db_col_text(st, 4));
		int status = kpi_parse_goal_status(db_col_text(st, 5));
		kpi_goal g = {
			.id = db_col_int(st, 0), .membership = kpi_find_membership(s, db_col_int(st, 1)),
			.person = kpi_find_person(s, db_col_int(st, 2)),
			.pair = db_col_null(st, 3) ? -1 : kpi_find_pair(s, db_col_int(st, 3)),
			.category = (uint8_t)(cat < 0 ? KPI_GOAL_CATEGORIES - 1 : cat),
			.status = (uint8_t)(status < 0 ? KPI_GOAL_NOT_STARTED : status),
			.set_on = col_day(st, 6), .achieved_on = col_day(st, 7),
		};
		if (kpi_add_goal(s, &g, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int cmp_topic(const void *a, const void *b)
{
	const kpi_topic *x = a, *y = b;
	return (x->session > y->session) - (x->session < y->session);
}

/* Topics carry no program id: scan them all, keep those whose session is in
 * the snapshot, and group them by session here. */
static int load_topics(db *d, kpi_snapshot *s, const skill_map *skills, mt_error *err)
{
	int64_t count = 0;
	if (db_query_int(d, "SELECT COUNT(*) FROM session_topics", &count, 0, err) < 0)
		return -1;
	kpi_topic *rows = calloc((size_t)count + 1, sizeof(*rows));
	db_stmt *st = db_prepare(d, "SELECT session_id, goal_id, skill_id FROM session_topics",
				 err);
	size_t n = 0;
	int rc = -1;
	if (!rows)
		abort();
	if (!st)
		goto out;
	while ((rc = db_step(st, err)) == DB_ROW && n < (size_t)count) {
		int32_t session = kpi_find_session(s, db_col_int(st, 0));
		if (session < 0)
			continue;
		kpi_topic t = {
			.session = session,
			.goal = db_col_null(st, 1) ? -1 : kpi_find_goal(s, db_col_int(st, 1)),
			.skill = db_col_null(st, 1) ? skill_name(skills, db_col_int(st, 2)) : KPI_NO_STR,
		};
		if ((t.goal < 0) == (t.skill == KPI_NO_STR))
			continue; /* a goal or skill that is gone */
		rows[n++] = t;
	}
	if (rc < 0)
		goto out;
	qsort(rows, n, sizeof(*rows), cmp_topic);
	for (size_t i = 0; i < n; i++)
		if (kpi_add_topic(s, &rows[i], err) < 0) {
			rc = -1;
			goto out;
		}
	rc = 0;
out:
	db_finalize(st);
	free(rows);
	return rc < 0 ? -1 : 0;
}

/*
 * Ratings and check-ins are the two biggest tables (1.4 M and 0.7 M rows in
 * the large data set), so they are read on a second thread with its own
 * connection while this thread reads the rest: raw rows first, turned into
 * snapshot rows (which needs the sessions and pairs) after both are done.
 */
typedef struct raw_rating {
	int64_t id, session_id;
	bool mentor;
	uint8_t score;
	const char *comment;   /* in raw_rows.strings, or NULL */
} raw_rating;

typedef struct raw_checkin {
	int64_t pair_id;
	bool mentor;
	uint8_t score;
	int32_t day;
} raw_checkin;

typedef struct raw_rows {
	raw_rating *ratings;
	size_t n_ratings, cap_ratings;
	raw_checkin *checkins;
	size_t n_checkins, cap_checkins;
	mt_arena strings;
} raw_rows;

static void raw_init(raw_rows *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->strings);
}

static void raw_free(raw_rows *r)
{
	free(r->ratings);
	free(r->checkins);
	arena_free(&r->strings);
	memset(r, 0, sizeof(*r));
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 4096;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static int read_ratings(db *d, int64_t program_id, raw_rows *out, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, session_id, side = 'mentor', score, comment FROM ratings "
		"WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		out->ratings = grow(out->ratings, &out->cap_ratings, out->n_ratings,
				    sizeof(*out->ratings));
		out->ratings[out->n_ratings++] = (raw_rating){
			.id = db_col_int(st, 0), .session_id = db_col_int(st, 1),
			.mentor = db_col_int(st, 2) != 0, .score = (uint8_t)db_col_int(st, 3),
			.comment = db_col_null(st, 4) ? NULL
						      : arena_strdup(&out->strings, db_col_text(st, 4)),
		};
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int read_checkins(db *d, int64_t program_id, const tzday *tz, raw_rows *out,
			 mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT pair_id, side = 'mentor', score, answered_at FROM checkins "
		"WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		out->checkins = grow(out->checkins, &out->cap_checkins, out->n_checkins,
				     sizeof(*out->checkins));
		out->checkins[out->n_checkins++] = (raw_checkin){
			.pair_id = db_col_int(st, 0), .mentor = db_col_int(st, 1) != 0,
			.score = (uint8_t)db_col_int(st, 2), .day = col_tz_day(st, 3, tz),
		};
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Turn the raw rows into snapshot rows; needs sessions and pairs loaded. */
static int add_raw(kpi_snapshot *s, const raw_rows *raw, mt_error *err)
{
	const kpi_session *sessions = KPI_ROWS(s, sessions, kpi_session);
	const kpi_pair *pairs = KPI_ROWS(s, pairs, kpi_pair);
	int64_t last_session_id = 0;
	int32_t session = -1;
	for (size_t i = 0; i < raw->n_ratings; i++) {
		const raw_rating *x = &raw->ratings[i];
		/* The rater is the session's pair member on the rating's side: no
		 * person lookup per row. */
		if (x->session_id != last_session_id) {
			last_session_id = x->session_id;
			session = kpi_find_session(s, x->session_id);
		}
		kpi_rating r = {
			.id = x->id, .session = session,
			.rater = session < 0 ? -1
					     : x->mentor ? pairs[sessions[session].pair].mentor
							 : pairs[sessions[session].pair].mentee,
			.side = x->mentor ? KPI_MENTOR : KPI_MENTEE,
			.score = x->score,
			.comment = x->comment && *x->comment ? kpi_intern(s, x->comment) : KPI_NO_STR,
		};
		if (kpi_add_rating(s, &r, err) < 0)
			return -1;
	}
	int64_t last_pair_id = 0;
	int32_t pair = -1;
	for (size_t i = 0; i < raw->n_checkins; i++) {
		const raw_checkin *x = &raw->checkins[i];
		if (x->pair_id != last_pair_id) {
			last_pair_id = x->pair_id;
			pair = kpi_find_pair(s, x->pair_id);
		}
		kpi_checkin c = {.pair = pair, .side = x->mentor ? KPI_MENTOR : KPI_MENTEE,
				 .score = x->score, .day = x->day};
		if (kpi_add_checkin(s, &c, err) < 0)
			return -1;
	}
	return 0;
}

/* The second thread: its own connection and read transaction. */
typedef struct prefetch {
	const char *path;
	int64_t program_id;
	const tzday *tz;
	snapshot_version version;   /* what its transaction saw */
	raw_rows rows;
	int rc;
	mt_error err;
	pthread_t thread;
	bool started;
} prefetch;

static void *prefetch_run(void *arg)
{
	prefetch *p = arg;
	p->rc = -1;
	db *d = db_open(p->path, &p->err);
	if (!d)
		return NULL;
	if (db_exec(d, "BEGIN", &p->err) == 0) {
		p->rc = version_read(d, p->program_id, &p->version, &p->err) < 0 ||
				read_ratings(d, p->program_id, &p->rows, &p->err) < 0 ||
				read_checkins(d, p->program_id, p->tz, &p->rows, &p->err) < 0
			? -1 : 0;
		db_rollback(d);
	}
	db_close(d);
	return NULL;
}

static void prefetch_start(prefetch *p, db *d, int64_t program_id, const tzday *tz)
{
	memset(p, 0, sizeof(*p));
	raw_init(&p->rows);
	p->path = db_filename(d);
	p->program_id = program_id;
	p->tz = tz;
	/* An in-memory database cannot be opened twice: read on this thread. */
	p->started = *p->path && pthread_create(&p->thread, NULL, prefetch_run, p) == 0;
}

/* Join the thread; when it failed or read another version of the data than
 * this thread's transaction, read the rows here instead. */
static int prefetch_finish(prefetch *p, db *d, const snapshot_version *version, mt_error *err)
{
	if (p->started) {
		pthread_join(p->thread, NULL);
		p->started = false;
		if (p->rc == 0 && p->version.data_version == version->data_version)
			return 0;
		raw_free(&p->rows);
		raw_init(&p->rows);
	}
	if (read_ratings(d, p->program_id, &p->rows, err) < 0 ||
	    read_checkins(d, p->program_id, p->tz, &p->rows, err) < 0)
		return -1;
	return 0;
}

static int load_assessments(db *d, kpi_snapshot *s, const skill_map *skills, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, pair_id, assessor, phase, score, goal_id, skill_id, assessed_on "
		"FROM assessments WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int phase = kpi_parse_phase(db_col_text(st, 3));
		kpi_assessment a = {
			.id = db_col_int(st, 0), .pair = kpi_find_pair(s, db_col_int(st, 1)),
			.assessor = strcmp(db_col_text(st, 2), "mentor") == 0 ? KPI_MENTOR : KPI_MENTEE,
			.phase = (uint8_t)(phase < 0 ? KPI_PHASE_MID : phase),
			.score = (uint8_t)db_col_int(st, 4),
			.goal = db_col_null(st, 5) ? -1 : kpi_find_goal(s, db_col_int(st, 5)),
			.skill = db_col_null(st, 5) ? skill_name(skills, db_col_int(st, 6)) : KPI_NO_STR,
			.day = col_day(st, 7),
		};
		if (kpi_add_assessment(s, &a, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_alerts(db *d, kpi_snapshot *s, const tzday *tz, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT rule, raised_at, resolved_at, pair_id, person_id FROM alerts "
		"WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int rule = kpi_parse_alert_rule(db_col_text(st, 0));
		if (rule < 0)
			continue;
		kpi_alert a = {
			.rule = (uint8_t)rule, .raised = col_tz_day(st, 1, tz),
			.resolved = db_col_null(st, 2) ? KPI_NO_DAY : col_tz_day(st, 2, tz),
			.pair = db_col_null(st, 3) ? -1 : kpi_find_pair(s, db_col_int(st, 3)),
			.person = db_col_null(st, 4) ? -1 : kpi_find_person(s, db_col_int(st, 4)),
		};
		if (kpi_add_alert(s, &a, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

kpi_snapshot *snapshot_load(db *d, int64_t program_id, tzday *tz, snapshot_version *version,
			    mt_error *err)
{
	kpi_snapshot *s = kpi_snapshot_new(program_id);
	skill_map skills = {NULL, NULL, 0};
	prefetch pre;
	mt_error ignored;
	memset(&pre, 0, sizeof(pre));
	raw_init(&pre.rows);
	memset(tz, 0, sizeof(*tz));
	/* One read transaction: every table and the version from one moment. */
	if (db_exec(d, "BEGIN", err) < 0)
		goto fail_no_tx;
	if (snapshot_version_read(d, program_id, version, err) < 0 ||
	    load_program(d, s, tz, err) < 0)
		goto fail;
	prefetch_start(&pre, d, program_id, tz);
	int rc = load_skills(d, s, &skills, err) < 0 || load_people(d, s, err) < 0 ||
			 load_memberships(d, s, &skills, err) < 0 || load_pairs(d, s, err) < 0 ||
			 load_sessions(d, s, tz, err) < 0 || load_goals(d, s, err) < 0 ||
			 load_topics(d, s, &skills, err) < 0 ||
			 load_assessments(d, s, &skills, err) < 0 || load_alerts(d, s, tz, err) < 0
		 ? -1 : 0;
	/* Always join the thread, even after a failure here. */
	if (prefetch_finish(&pre, d, version, rc < 0 ? &ignored : err) < 0 || rc < 0 ||
	    add_raw(s, &pre.rows, err) < 0)
		goto fail;
	raw_free(&pre.rows);
	db_rollback(d); /* read-only: nothing to commit */
	s->data_version = version->data_version;
	kpi_snapshot_finish(s);
	free(skills.ids);
	free(skills.names);
	return s;
fail:
	raw_free(&pre.rows);
	db_rollback(d);
fail_no_tx:
	free(skills.ids);
	free(skills.names);
	tzday_release(tz);
	kpi_snapshot_free(s);
	return NULL;
}

/* ---- the cache ---------------------------------------------------------------- */

typedef struct cache_entry {
	int64_t program_id;
	snapshot_ref *ref;
	uint64_t last_used;
} cache_entry;

struct snapshot_cache {
	pthread_mutex_t lock;
	cache_entry *entries;
	int n, max;
	uint64_t clock;
};

snapshot_cache *snapshot_cache_new(int max_programs)
{
	snapshot_cache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->max = max_programs > 0 ? max_programs : 1;
	c->entries = calloc((size_t)c->max, sizeof(cache_entry));
	if (!c->entries)
		abort();
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void ref_free(snapshot_ref *ref)
{
	kpi_snapshot_free(ref->snapshot);
	tzday_release(&ref->tz);
	free(ref);
}

/* Drop the cache's hold on an entry's ref (lock held). */
static void entry_drop(cache_entry *e)
{
	e->ref->cached = false;
	if (e->ref->refs == 0)
		ref_free(e->ref);
	e->ref = NULL;
}

void snapshot_cache_free(snapshot_cache *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < c->n; i++)
		entry_drop(&c->entries[i]);
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_destroy(&c->lock);
	free(c->entries);
	free(c);
}

static cache_entry *find_entry(snapshot_cache *c, int64_t program_id)
{
	for (int i = 0; i < c->n; i++)
		if (c->entries[i].program_id == program_id)
			return &c->entries[i];
	return NULL;
}

/* The cached snapshot of the program if it is still current (referenced). */
static snapshot_ref *lookup_current(snapshot_cache *c, int64_t program_id,
				    const snapshot_version *now)
{
	snapshot_ref *hit = NULL;
	pthread_mutex_lock(&c->lock);
	cache_entry *e = find_entry(c, program_id);
	if (e && e->ref->version.data_version == now->data_version) {
		hit = e->ref;
		hit->refs++;
		e->last_used = ++c->clock;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

snapshot_ref *snapshot_cache_get(snapshot_cache *c, db *d, int64_t program_id, bool *warm,
				 mt_error *err)
{
	snapshot_version now;
	*warm = false;
	if (version_read(d, program_id, &now, err) < 0)
		return NULL;
	snapshot_ref *hit = lookup_current(c, program_id, &now);
	if (hit) {
		*warm = true;
		return hit;
	}

	/* Cold: load outside the lock. */
	snapshot_ref *ref = calloc(1, sizeof(*ref));
	if (!ref)
		abort();
	ref->snapshot = snapshot_load(d, program_id, &ref->tz, &ref->version, err);
	if (!ref->snapshot) {
		free(ref);
		return NULL;
	}
	ref->refs = 1;
	ref->cached = true;

	pthread_mutex_lock(&c->lock);
	cache_entry *e = find_entry(c, program_id);
	if (e) {
		entry_drop(e);
	} else if (c->n < c->max) {
		e = &c->entries[c->n++];
	} else {
		/* Evict the least recently used program. */
		e = &c->entries[0];
		for (int i = 1; i < c->n; i++)
			if (c->entries[i].last_used < e->last_used)
				e = &c->entries[i];
		entry_drop(e);
	}
	e->program_id = program_id;
	e->ref = ref;
	e->last_used = ++c->clock;
	pthread_mutex_unlock(&c->lock);
	return ref;
}

void snapshot_cache_release(snapshot_cache *c, snapshot_ref *ref)
{
	if (!ref)
		return;
	pthread_mutex_lock(&c->lock);
	bool last = --ref->refs == 0 && !ref->cached;
	pthread_mutex_unlock(&c->lock);
	if (last)
		ref_free(ref);
}

/* The server's cache: the one piece of mutable module state (see the
 * header).  Eight programs of the largest size hold about 250 MB. */
enum { SHARED_CACHE_PROGRAMS = 8 };
static snapshot_cache *shared_cache;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void)
{
	shared_cache = snapshot_cache_new(SHARED_CACHE_PROGRAMS);
}

snapshot_cache *snapshot_cache_shared(void)
{
	pthread_once(&shared_once, shared_init);
	return shared_cache;
}

void snapshot_cache_shared_free(void)
{
	snapshot_cache_free(shared_cache);
	shared_cache = NULL;
}
