/*
 * snapshot.c - the KPI snapshot loader and its cache (see snapshot.h).
 *
 * Rows are read in id order and handed to the domain's kpi_add_* builders;
 * references (a session's pair, a rating's session) are resolved here with
 * id maps, so the load is a few scans and no lookups back into the database.
 * The big tables are read on two threads (see "the big tables" below).
 * Timestamps (held_at, answered_at, raised_at, resolved_at) are cut into
 * days in the program's time zone here, once, so the formulas only see days.
 */
#include "store/snapshot.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/validate.h"

/* ---- helpers ------------------------------------------------------------------- */

/* db_col_text is NULL for SQL NULL: one call into SQLite per column, not two. */
static int32_t col_day(db_stmt *st, int col)
{
	int32_t d;
	const char *text = db_col_text(st, col);
	if (!text || validate_date_parse(text, &d) < 0)
		return KPI_NO_DAY;
	return d;
}

/* A UTC timestamp column as a day in the program's time zone. */
static int32_t col_tz_day(db_stmt *st, int col, const tzday *tz)
{
	int64_t t;
	const char *text = db_col_text(st, col);
	int32_t d;
	if (!text)
		return KPI_NO_DAY;
	if (tzday_parse_timestamp(text, &t) == 0)
		return tzday_day(tz, t);
	return validate_date_parse(text, &d) < 0 ? KPI_NO_DAY : d;
}

static int32_t col_str(kpi_snapshot *s, db_stmt *st, int col)
{
	const char *t = db_col_text(st, col);
	return t && *t ? kpi_intern(s, t) : KPI_NO_STR;
}

/* Database id -> row index over rows in ascending id order whose first member
 * is the int64 id: a direct table when the ids are dense enough (the usual
 * case: one program's rows are most of the table), else a binary search.
 * It only reads `items`, so it may be used while the snapshot grows. */
typedef struct id_map {
	const char *items;
	size_t n, stride;
	int64_t lo;
	int32_t *index;          /* NULL: binary search */
	size_t span;
} id_map;

static void id_map_init(id_map *m, const void *items, size_t n, size_t stride)
{
	memset(m, 0, sizeof(*m));
	m->items = items;
	m->n = n;
	m->stride = stride;
	if (!n)
		return;
	int64_t lo, hi;
	memcpy(&lo, m->items, sizeof(lo));
	memcpy(&hi, m->items + (n - 1) * stride, sizeof(hi));
	if (hi < lo || (uint64_t)(hi - lo) >= 4 * (uint64_t)n + 1024)
		return;
	m->lo = lo;
	m->span = (size_t)(hi - lo) + 1;
	m->index = malloc(m->span * sizeof(int32_t));
	if (!m->index)
		abort();
	memset(m->index, 0xff, m->span * sizeof(int32_t));
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		memcpy(&id, m->items + i * stride, sizeof(id));
		if (id >= lo && (uint64_t)(id - lo) < m->span)
			m->index[id - lo] = (int32_t)i;
	}
}

static int32_t id_map_find(const id_map *m, int64_t id)
{
	if (m->index)
		return id >= m->lo && (uint64_t)(id - m->lo) < m->span ? m->index[id - m->lo] : -1;
	return kpi_find_id(m->items, m->n, m->stride, id);
}

static void id_map_free(id_map *m)
{
	free(m->index);
	m->index = NULL;
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
		    add_attrs(s, db_col_text(st, 8), false, err) < 0) {
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
	bool sorted = true;
	for (size_t i = 1; i < *n && sorted; i++)
		sorted = cmp_member_skill(&rows[i - 1], &rows[i]) <= 0;
	if (!sorted)
		qsort(rows, *n, sizeof(*rows), cmp_member_skill);
	return rows;
}

static int load_memberships(db *d, kpi_snapshot *s, const skill_map *skills,
			    const id_map *people, mt_error *err)
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
			.id = id, .person = id_map_find(people, db_col_int(st, 1)),
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

static int load_pairs(db *d, kpi_snapshot *s, const id_map *people, mt_error *err)
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
			.mentor = id_map_find(people, db_col_int(st, 3)),
			.mentee = id_map_find(people, db_col_int(st, 4)),
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

static int load_goals(db *d, kpi_snapshot *s, const id_map *people, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT id, membership_id, person_id, pair_id, category, status, set_on, "
		"achieved_on FROM goals WHERE +program_id = $1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, s->program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int64_t pair_id = db_col_int(st, 3);
		int cat = kpi_parse_goal_category(db_col_text(st, 4));
		int status = kpi_parse_goal_status(db_col_text(st, 5));
		kpi_goal g = {
			.id = db_col_int(st, 0), .membership = kpi_find_membership(s, db_col_int(st, 1)),
			.person = id_map_find(people, db_col_int(st, 2)),
			.pair = pair_id ? kpi_find_pair(s, pair_id) : -1, /* NULL reads 0 */
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

/*
 * ---- the big tables: raw rows in rowid chunks, on two threads ---------------------
 *
 * Sessions, ratings, check-ins, session topics and assessments are 3.9 M of
 * the 4.3 M rows of a large program (bench/RESULTS.md "KPIs"), and SQLite
 * costs about 0.1 us a row to step plus 0.05-0.1 us per column fetched.  So:
 *  - each table is cut into rowid ranges ("chunks", 128 K ids each); a chunk
 *    is one `rowid >= lo AND rowid < hi` scan, in rowid order, so the chunks
 *    of a table laid end to end are the table in id order;
 *  - a helper thread and the main thread (once it has loaded people,
 *    memberships, pairs, goals and alerts, which need the snapshot's
 *    interning and order) take chunks from one queue until it is empty, each
 *    on a private connection that maps the file: the two cores stay busy
 *    whatever the tables' sizes;
 *  - a chunk keeps raw rows (database ids, days, small codes): turning them
 *    into snapshot rows needs the sessions and pairs, so that is done once
 *    every chunk is read, with direct id maps, on two threads again;
 *  - a column costs more computed in SQL (`side = 'mentor'`, IFNULL, bits
 *    packed into one integer: measured with callgrind) than fetched and
 *    compared here, so the queries fetch plain columns, SQL NULL ids read as
 *    0, and dates are parsed once per month (month_cache).
 * Every private connection's read transaction must see the data version the
 * main one saw; one that does not takes no chunk, and a chunk that failed is
 * read again on the main connection.
 */
enum raw_table { RAW_SESSIONS, RAW_RATINGS, RAW_CHECKINS, RAW_TOPICS, RAW_ASSESSMENTS, RAW_TABLES };

/* Rowid span of one chunk: 128 K ids is about 40 ms of scanning, small
 * enough that the last chunk taken leaves the other thread little idle time. */
enum { RAW_CHUNK_IDS = 1 << 17 };

typedef struct raw_session {
	int64_t id, pair_id;
	int32_t day;
	int16_t minutes;
	uint8_t kind, status;
} raw_session;

typedef struct raw_rating {
	int64_t id, session_id;
	int32_t comment;        /* in the reading thread's scratch interner */
	uint8_t mentor, score;
} raw_rating;

typedef struct raw_checkin {
	int64_t pair_id;
	int32_t day;
	uint8_t mentor, score;
} raw_checkin;

typedef struct raw_topic {
	int64_t session_id, goal_id, skill_id;   /* 0: none */
} raw_topic;

typedef struct raw_assessment {
	int64_t id, pair_id, goal_id, skill_id;  /* 0: none */
	int32_t day;
	uint8_t mentor, phase, score;
} raw_assessment;

static const size_t raw_size[RAW_TABLES] = {
	sizeof(raw_session), sizeof(raw_rating), sizeof(raw_checkin), sizeof(raw_topic),
	sizeof(raw_assessment),
};

/* $1 program, $2..$3 the rowid range.  `+program_id` keeps SQLite off the
 * program indexes: a rowid-range scan reads each page once, an index walk
 * would look each row up in the table. */
static const char *const raw_sql[RAW_TABLES] = {
	"SELECT id, pair_id, held_at, minutes, kind, status FROM sessions "
	"WHERE id >= $2 AND id < $3 AND +program_id = $1 ORDER BY id",
	"SELECT id, session_id, side, score, comment FROM ratings "
	"WHERE id >= $2 AND id < $3 AND +program_id = $1 ORDER BY id",
	"SELECT pair_id, side, score, answered_at FROM checkins "
	"WHERE id >= $2 AND id < $3 AND +program_id = $1 ORDER BY id",
	/* No program id: kept when the session is in the snapshot. */
	"SELECT session_id, goal_id, skill_id FROM session_topics "
	"WHERE rowid >= $2 AND rowid < $3 AND $1 = $1 ORDER BY rowid",
	"SELECT id, pair_id, assessor, phase, score, goal_id, skill_id, assessed_on "
	"FROM assessments WHERE id >= $2 AND id < $3 AND +program_id = $1 ORDER BY id",
};

/* The same scans without the program filter, for a table that holds no
 * other program's rows (the usual install runs one program).  The filter is a
 * column read and a comparison per row, about 7 % of a scan.  Whether a table
 * holds other programs' rows is asked in the reading transaction itself
 * (raw_others_sql: two seeks in the table's program index), so the answer
 * holds for every row that transaction reads. */
static const char *const raw_sql_sole[RAW_TABLES] = {
	"SELECT id, pair_id, held_at, minutes, kind, status FROM sessions "
	"WHERE id >= $2 AND id < $3 AND $1 = $1 ORDER BY id",
	"SELECT id, session_id, side, score, comment FROM ratings "
	"WHERE id >= $2 AND id < $3 AND $1 = $1 ORDER BY id",
	"SELECT pair_id, side, score, answered_at FROM checkins "
	"WHERE id >= $2 AND id < $3 AND $1 = $1 ORDER BY id",
	"SELECT session_id, goal_id, skill_id FROM session_topics "
	"WHERE rowid >= $2 AND rowid < $3 AND $1 = $1 ORDER BY rowid",
	"SELECT id, pair_id, assessor, phase, score, goal_id, skill_id, assessed_on "
	"FROM assessments WHERE id >= $2 AND id < $3 AND $1 = $1 ORDER BY id",
};

static const char *const raw_others_sql[RAW_TABLES] = {
	"SELECT EXISTS (SELECT 1 FROM sessions WHERE program_id < $1) OR "
	"EXISTS (SELECT 1 FROM sessions WHERE program_id > $1)",
	"SELECT EXISTS (SELECT 1 FROM ratings WHERE program_id < $1) OR "
	"EXISTS (SELECT 1 FROM ratings WHERE program_id > $1)",
	"SELECT EXISTS (SELECT 1 FROM checkins WHERE program_id < $1) OR "
	"EXISTS (SELECT 1 FROM checkins WHERE program_id > $1)",
	NULL, /* topics: no program column, always the same scan */
	"SELECT EXISTS (SELECT 1 FROM assessments WHERE program_id < $1) OR "
	"EXISTS (SELECT 1 FROM assessments WHERE program_id > $1)",
};

/* Which tables one connection's transaction may scan without the filter. */
typedef struct scan_mode {
	bool sole[RAW_TABLES];
} scan_mode;

/* On any error the filter stays: slower, never wrong. */
static void scan_mode_read(db *d, int64_t program_id, scan_mode *m)
{
	mt_error err;
	memset(m, 0, sizeof(*m));
	for (int t = 0; t < RAW_TABLES; t++) {
		if (!raw_others_sql[t])
			continue;
		db_stmt *st = db_prepare(d, raw_others_sql[t], &err);
		if (!st)
			continue;
		db_bind_int(st, 1, program_id);
		m->sole[t] = db_step(st, &err) == DB_ROW && db_col_int(st, 0) == 0;
		db_finalize(st);
	}
}

/* Two subqueries: SQLite answers a lone MIN() or MAX() from the b-tree's
 * edge, but both in one query (or wrapped in IFNULL) scan the table.  NULL
 * (empty table) reads as 0. */
static const char *const raw_bounds_sql[RAW_TABLES] = {
	"SELECT (SELECT MIN(id) FROM sessions), (SELECT MAX(id) FROM sessions)",
	"SELECT (SELECT MIN(id) FROM ratings), (SELECT MAX(id) FROM ratings)",
	"SELECT (SELECT MIN(id) FROM checkins), (SELECT MAX(id) FROM checkins)",
	"SELECT (SELECT MIN(rowid) FROM session_topics), (SELECT MAX(rowid) FROM session_topics)",
	"SELECT (SELECT MIN(id) FROM assessments), (SELECT MAX(id) FROM assessments)",
};

typedef struct raw_chunk {
	int table;
	int64_t lo, hi;          /* rowids [lo, hi) */
	void *rows;
	size_t n, cap;
	kpi_snapshot *strings;   /* the interner of the thread that read it */
	int rc;                  /* 0 read, -1 not read (or failed) */
} raw_chunk;

/* Dates cut into days, parsed once per month.  Rows of a chunk come in id
 * order, which follows insertion, not dates, so caching the last date misses
 * nearly always; the last month ("YYYY-MM": its first day and length) hits
 * nearly always.  The results are validate_date_parse's and
 * tzday_parse_timestamp's exactly: anything the fast path does not accept
 * goes through them. */
typedef struct month_slot {
	char prefix[8];          /* "YYYY-MM" */
	int32_t first;           /* day of the 1st */
	int length;              /* days in the month */
} month_slot;

/* One slot per calendar month: a chunk's rows hop between a few nearby
 * months (a pair's sessions are weeks apart), and these rarely share a slot. */
typedef struct month_cache {
	month_slot slot[13];     /* [month]; an empty prefix never matches */
} month_cache;

static int two(const char *p)
{
	return (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9')
		? (p[0] - '0') * 10 + (p[1] - '0') : -1;
}

/* The day of "YYYY-MM-DD..." from the cached month, or KPI_NO_DAY when the
 * month is not cached or the day is out of it.  No read passes a NUL: each
 * test fails on one before the next byte is read (strncmp stops at it). */
static int32_t month_day(const month_cache *c, const char *text)
{
	if (!text[0] || !text[1] || !text[2] || !text[3] || text[4] != '-')
		return KPI_NO_DAY;
	int m = two(text + 5);
	if (m < 1 || m > 12 || text[7] != '-')
		return KPI_NO_DAY;
	const month_slot *e = &c->slot[m];
	if (strncmp(text, e->prefix, 7) != 0)
		return KPI_NO_DAY;
	int d = two(text + 8);
	return d >= 1 && d <= e->length ? e->first + d - 1 : KPI_NO_DAY;
}

/* Remember the month of a valid "YYYY-MM-DD" prefix. */
static void month_remember(month_cache *c, const char *text)
{
	int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
		(text[3] - '0');
	int m = two(text + 5);
	month_slot *e = &c->slot[m];
	memcpy(e->prefix, text, 7);
	e->prefix[7] = '\0';
	e->first = validate_ymd_to_days(y, m, 1);
	e->length = 28;
	while (e->length < 31 && validate_ymd_is_valid(y, m, e->length + 1))
		e->length++;
}

/* A UTC timestamp ("YYYY-MM-DDTHH:MM:SS...") as a day in the program's
 * time zone; a bare date as that date; else KPI_NO_DAY (col_tz_day's rules). */
static int32_t ts_day(month_cache *c, const char *text, const tzday *tz)
{
	if (!text)
		return KPI_NO_DAY;
	int32_t day = month_day(c, text);
	if (day != KPI_NO_DAY && (text[10] == 'T' || text[10] == ' ') && text[13] == ':' &&
	    text[16] == ':') {
		int h = two(text + 11), mi = h < 0 ? -1 : two(text + 14),
		    se = mi < 0 ? -1 : two(text + 17);
		if (se >= 0 && h <= 23 && mi <= 59 && se <= 60)
			return tzday_day(tz, (int64_t)day * 86400 + h * 3600 + mi * 60 + se);
	}
	int64_t t;
	if (tzday_parse_timestamp(text, &t) == 0) {
		month_remember(c, text);
		return tzday_day(tz, t);
	}
	int32_t d;
	return validate_date_parse(text, &d) < 0 ? KPI_NO_DAY : d;
}

/* A date column ("YYYY-MM-DD") as a day (col_day's rules). */
static int32_t date_day(month_cache *c, const char *text)
{
	if (!text)
		return KPI_NO_DAY;
	int32_t day = month_day(c, text);
	if (day != KPI_NO_DAY && text[10] == '\0')
		return day;
	if (validate_date_parse(text, &day) < 0)
		return KPI_NO_DAY;
	month_remember(c, text);
	return day;
}

/* A text column equal to `want` (NULL is not). */
static bool is_text(const char *text, const char *want)
{
	return text && strcmp(text, want) == 0;
}

static void *chunk_push(raw_chunk *c)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->rows = realloc(c->rows, c->cap * raw_size[c->table]);
		if (!c->rows)
			abort();
	}
	return (char *)c->rows + c->n++ * raw_size[c->table];
}

static void chunk_clear(raw_chunk *c)
{
	free(c->rows);
	c->rows = NULL;
	c->n = c->cap = 0;
	c->strings = NULL;
	c->rc = -1;
}

static int chunk_read(db *d, const scan_mode *mode, int64_t program_id, const tzday *tz,
		      kpi_snapshot *strings, raw_chunk *c, mt_error *err)
{
	db_stmt *st = db_prepare(d, (mode->sole[c->table] ? raw_sql_sole : raw_sql)[c->table], err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, c->lo);
	db_bind_int(st, 3, c->hi);
	c->strings = strings;
	month_cache days, dates;
	memset(&days, 0, sizeof(days));
	memset(&dates, 0, sizeof(dates));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		switch (c->table) {
		case RAW_SESSIONS: {
			raw_session *x = chunk_push(c);
			int status = kpi_parse_session_status(db_col_text(st, 5));
			*x = (raw_session){
				.id = db_col_int(st, 0), .pair_id = db_col_int(st, 1),
				.day = ts_day(&days, db_col_text(st, 2), tz),
				.minutes = (int16_t)db_col_int(st, 3),
				.kind = is_text(db_col_text(st, 4), "intro") ? KPI_SESSION_INTRO
									       : KPI_SESSION_REGULAR,
				.status = (uint8_t)(status < 0 ? KPI_SESSION_SCHEDULED : status),
			};
			break;
		}
		case RAW_RATINGS: {
			raw_rating *x = chunk_push(c);
			const char *comment = db_col_text(st, 4);
			*x = (raw_rating){
				.id = db_col_int(st, 0), .session_id = db_col_int(st, 1),
				.mentor = is_text(db_col_text(st, 2), "mentor"),
				.score = (uint8_t)db_col_int(st, 3),
				.comment = comment && *comment ? kpi_intern(strings, comment)
							       : KPI_NO_STR,
			};
			break;
		}
		case RAW_CHECKINS: {
			raw_checkin *x = chunk_push(c);
			*x = (raw_checkin){
				.pair_id = db_col_int(st, 0), .mentor = is_text(db_col_text(st, 1), "mentor"),
				.score = (uint8_t)db_col_int(st, 2),
				.day = ts_day(&days, db_col_text(st, 3), tz),
			};
			break;
		}
		case RAW_TOPICS: {
			/* SQL NULL reads as 0 (no id is 0): no NULL test per column. */
			raw_topic *x = chunk_push(c);
			*x = (raw_topic){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2)};
			break;
		}
		default: {
			raw_assessment *x = chunk_push(c);
			int phase = kpi_parse_phase(db_col_text(st, 3));
			*x = (raw_assessment){
				.id = db_col_int(st, 0), .pair_id = db_col_int(st, 1),
				.mentor = is_text(db_col_text(st, 2), "mentor"),
				.phase = (uint8_t)(phase < 0 ? KPI_PHASE_MID : phase),
				.score = (uint8_t)db_col_int(st, 4), .goal_id = db_col_int(st, 5),
				.skill_id = db_col_int(st, 6),
				.day = date_day(&dates, db_col_text(st, 7)),
			};
			break;
		}
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

/* The chunks of every big table and the queue both threads take them from. */
typedef struct raw_plan {
	raw_chunk *chunks;
	size_t n;
	atomic_size_t next;
	int64_t program_id;
	const tzday *tz;
} raw_plan;

static int plan_chunks(db *d, raw_plan *p, mt_error *err)
{
	size_t cap = 0;
	/* The cheapest chunks (topics: three integers a row) last, so that the
	 * thread that finishes first waits as little as possible for the other. */
	static const int order[RAW_TABLES] = {RAW_RATINGS, RAW_SESSIONS, RAW_ASSESSMENTS,
					      RAW_CHECKINS, RAW_TOPICS};
	for (int k = 0; k < RAW_TABLES; k++) {
		int t = order[k];
		db_stmt *st = db_prepare(d, raw_bounds_sql[t], err);
		if (!st || db_step(st, err) != DB_ROW) {
			db_finalize(st);
			return -1;
		}
		int64_t lo = db_col_int(st, 0), hi = db_col_int(st, 1) + 1;
		db_finalize(st);
		for (int64_t a = lo; a < hi; a += RAW_CHUNK_IDS) {
			p->chunks = grow(p->chunks, &cap, p->n, sizeof(*p->chunks));
			p->chunks[p->n++] = (raw_chunk){
				.table = t, .lo = a, .hi = hi - a > RAW_CHUNK_IDS ? a + RAW_CHUNK_IDS : hi,
				.rc = -1,
			};
		}
	}
	return 0;
}

/* Take and read chunks until the queue is empty (a failed chunk is left
 * with rc -1 for the main thread to read again). */
static void plan_work(raw_plan *p, db *d, kpi_snapshot *strings)
{
	scan_mode mode;
	scan_mode_read(d, p->program_id, &mode);
	mt_error err;
	size_t i;
	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		raw_chunk *c = &p->chunks[i];
		c->rc = chunk_read(d, &mode, p->program_id, p->tz, strings, c, &err);
		if (c->rc < 0)
			chunk_clear(c);
	}
}

static void plan_free(raw_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->chunks[i].rows);
	free(p->chunks);
	p->chunks = NULL;
	p->n = 0;
}

/*
 * A private connection for reading chunks, one per thread, for one load.  Its
 * read transaction must see the main transaction's data version, else NULL
 * (and the caller reads on the main connection); NULL too for an in-memory
 * database, which cannot be opened twice.  It maps the whole file: SQLite
 * then reads pages in place instead of copying each into a page cache that
 * this short-lived connection would fill once and throw away.
 */
static db *worker_open(const char *path, int64_t program_id, int64_t data_version)
{
	mt_error err;
	snapshot_version v;
	if (!*path)
		return NULL;
	db *d = db_open(path, &err);
	if (!d)
		return NULL;
	if (db_exec(d, "PRAGMA mmap_size = 2147418112", &err) == 0 &&
	    db_exec(d, "BEGIN", &err) == 0) {
		if (version_read(d, program_id, &v, &err) == 0 && v.data_version == data_version)
			return d;
		db_rollback(d);
	}
	db_close(d);
	return NULL;
}

static void worker_close(db *d)
{
	if (!d)
		return;
	db_rollback(d);
	db_close(d);
}

/* The helper thread. */
typedef struct helper {
	raw_plan *plan;
	const char *path;
	int64_t data_version;      /* the main transaction's */
	kpi_snapshot *strings;     /* its scratch interner */
	pthread_t thread;
	bool started;
} helper;

static void *helper_run(void *arg)
{
	helper *h = arg;
	/* Another version of the data: it takes no chunk, the main thread reads them. */
	db *d = worker_open(h->path, h->plan->program_id, h->data_version);
	if (d)
		plan_work(h->plan, d, h->strings);
	worker_close(d);
	return NULL;
}

/* ---- raw rows into snapshot rows -------------------------------------------------- */

static int cmp_topic(const void *a, const void *b)
{
	const kpi_topic *x = a, *y = b;
	return (x->session > y->session) - (x->session < y->session);
}

/*
 * Turning raw rows into snapshot rows takes two threads too.  Ratings (the
 * biggest table) need only id maps built up front (session ids and each
 * session's pair, from the raw sessions) and the comments' snapshot ids
 * (interned up front), so a second thread converts them into an array the
 * snapshot then adopts, while this one adds sessions, check-ins, topics and
 * assessments.  The job only reads memory nobody writes meanwhile: the
 * maps, the raw chunks, the pairs' array.
 */
typedef struct comment_map {
	const kpi_snapshot *from;   /* a reading thread's interner */
	int32_t *to;                /* its ids -> the snapshot's */
} comment_map;

typedef struct convert_job {
	const raw_plan *plan;
	const id_map *sessions;
	const int32_t *session_pair;   /* pair index of each session, or -1 */
	const kpi_pair *pairs;
	const comment_map *comments;   /* [2]: the two reading threads' */
	kpi_rating *ratings;
	size_t n_ratings;
	pthread_t thread;
} convert_job;

static int32_t comment_id(const comment_map *m, const kpi_snapshot *from, int32_t id)
{
	if (id == KPI_NO_STR)
		return KPI_NO_STR;
	return m[0].from == from ? m[0].to[id] : m[1].to[id];
}

static void *convert_run(void *arg)
{
	convert_job *j = arg;
	const raw_plan *p = j->plan;
	for (size_t i = 0; i < p->n; i++) {
		const raw_chunk *c = &p->chunks[i];
		if (c->table == RAW_RATINGS) {
			const raw_rating *x = c->rows;
			for (size_t k = 0; k < c->n; k++) {
				int32_t session = id_map_find(j->sessions, x[k].session_id);
				int32_t pair = session < 0 ? -1 : j->session_pair[session];
				/* The rater is the session's pair member on the rating's
				 * side: no person lookup per row. */
				j->ratings[j->n_ratings++] = (kpi_rating){
					.id = x[k].id, .session = session,
					.rater = pair < 0 ? -1
						: x[k].mentor ? j->pairs[pair].mentor : j->pairs[pair].mentee,
					.side = x[k].mentor ? KPI_MENTOR : KPI_MENTEE,
					.score = x[k].score,
					.comment = comment_id(j->comments, c->strings, x[k].comment),
				};
			}
		}
	}
	return NULL;
}

static void *xmalloc_rows(size_t n, size_t size)
{
	void *p = malloc((n + 1) * size);
	if (!p)
		abort();
	return p;
}

/* The topics of the snapshot's sessions, grouped by session (G3). */
static int add_topics(kpi_snapshot *s, const raw_plan *p, size_t count, const id_map *sessions,
		      const id_map *goals, const skill_map *skills, mt_error *err)
{
	kpi_topic *topics = xmalloc_rows(count, sizeof(kpi_topic));
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const raw_chunk *c = &p->chunks[i];
		if (c->table != RAW_TOPICS)
			continue;
		const raw_topic *x = c->rows;
		for (size_t k = 0; k < c->n; k++) {
			int32_t session = id_map_find(sessions, x[k].session_id);
			if (session < 0)
				continue; /* another program's */
			kpi_topic t = {
				.session = session,
				.goal = x[k].goal_id ? id_map_find(goals, x[k].goal_id) : -1,
				.skill = x[k].goal_id ? KPI_NO_STR : skill_name(skills, x[k].skill_id),
			};
			if ((t.goal < 0) == (t.skill == KPI_NO_STR))
				continue; /* a goal or skill that is gone */
			topics[n++] = t;
		}
	}
	/* Usually already in session order. */
	bool sorted = true;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = topics[i - 1].session <= topics[i].session;
	if (!sorted)
		qsort(topics, n, sizeof(*topics), cmp_topic);
	int rc = kpi_add_topics(s, topics, n, err);
	free(topics);
	return rc;
}

/* Intern every string of a reading thread's interner into the snapshot. */
static void comment_map_init(comment_map *m, kpi_snapshot *s, const kpi_snapshot *from)
{
	m->from = from;
	m->to = xmalloc_rows((size_t)from->n_strings, sizeof(int32_t));
	for (int32_t i = 0; i < from->n_strings; i++)
		m->to[i] = kpi_intern(s, kpi_string(from, i));
}

static int add_chunks(kpi_snapshot *s, const raw_plan *p, const skill_map *skills,
		      const kpi_snapshot *const strings[2], mt_error *err)
{
	size_t count[RAW_TABLES] = {0};
	for (size_t i = 0; i < p->n; i++)
		count[p->chunks[i].table] += p->chunks[i].n;
	kpi_snapshot_reserve(s, count[RAW_SESSIONS], 0, 0, count[RAW_CHECKINS],
			     count[RAW_ASSESSMENTS]);

	/* Every session chunk is added, in order: session i of the snapshot is
	 * the i-th raw session. */
	int64_t *session_ids = xmalloc_rows(count[RAW_SESSIONS], sizeof(int64_t));
	int32_t *session_pair = xmalloc_rows(count[RAW_SESSIONS], sizeof(int32_t));
	size_t n_sessions = 0;
	id_map pairs, goals, sessions;
	id_map_init(&pairs, s->pairs.items, s->pairs.n, sizeof(kpi_pair));
	id_map_init(&goals, s->goals.items, s->goals.n, sizeof(kpi_goal));
	for (size_t i = 0; i < p->n; i++)
		if (p->chunks[i].table == RAW_SESSIONS)
			for (size_t k = 0; k < p->chunks[i].n; k++) {
				const raw_session *x = &((const raw_session *)p->chunks[i].rows)[k];
				session_ids[n_sessions] = x->id;
				session_pair[n_sessions++] = id_map_find(&pairs, x->pair_id);
			}
	id_map_init(&sessions, session_ids, n_sessions, sizeof(int64_t));
	comment_map comments[2];
	comment_map_init(&comments[0], s, strings[0]);
	comment_map_init(&comments[1], s, strings[1]);
	convert_job job = {
		.plan = p, .sessions = &sessions, .session_pair = session_pair,
		.pairs = s->pairs.items, .comments = comments,
		.ratings = xmalloc_rows(count[RAW_RATINGS], sizeof(kpi_rating)),
	};
	bool threaded = pthread_create(&job.thread, NULL, convert_run, &job) == 0;
	int rc = -1;

	/* Chunks are in table order, each table's chunks in rowid order. */
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const raw_chunk *c = &p->chunks[i];
		if (c->table == RAW_SESSIONS) {
			const raw_session *x = c->rows;
			for (size_t k = 0; k < c->n; k++, n++) {
				kpi_session row = {
					.pair = session_pair[n], .day = x[k].day,
					.minutes = x[k].minutes, .kind = x[k].kind, .status = x[k].status,
				};
				if (kpi_add_session(s, x[k].id, &row, err) < 0)
					goto out;
			}
		} else if (c->table == RAW_CHECKINS) {
			const raw_checkin *x = c->rows;
			for (size_t k = 0; k < c->n; k++) {
				kpi_checkin row = {
					.pair = id_map_find(&pairs, x[k].pair_id),
					.side = x[k].mentor ? KPI_MENTOR : KPI_MENTEE,
					.score = x[k].score, .day = x[k].day,
				};
				if (kpi_add_checkin(s, &row, err) < 0)
					goto out;
			}
		} else if (c->table == RAW_ASSESSMENTS) {
			const raw_assessment *x = c->rows;
			for (size_t k = 0; k < c->n; k++) {
				kpi_assessment row = {
					.id = x[k].id, .pair = id_map_find(&pairs, x[k].pair_id),
					.assessor = x[k].mentor ? KPI_MENTOR : KPI_MENTEE,
					.phase = x[k].phase, .score = x[k].score,
					.goal = x[k].goal_id ? id_map_find(&goals, x[k].goal_id) : -1,
					.skill = x[k].goal_id ? KPI_NO_STR
							      : skill_name(skills, x[k].skill_id),
					.day = x[k].day,
				};
				if (kpi_add_assessment(s, &row, err) < 0)
					goto out;
			}
		}
	}
	rc = add_topics(s, p, count[RAW_TOPICS], &sessions, &goals, skills, err);
out:
	if (threaded)
		pthread_join(job.thread, NULL);
	else
		convert_run(&job);
	/* After the sessions: the check refers to them. */
	if (rc == 0)
		rc = kpi_adopt_ratings(s, job.ratings, job.n_ratings, count[RAW_RATINGS] + 1, err);
	else
		free(job.ratings);
	free(comments[0].to);
	free(comments[1].to);
	free(session_ids);
	free(session_pair);
	id_map_free(&pairs);
	id_map_free(&sessions);
	id_map_free(&goals);
	return rc;
}

/* The tables the snapshot's interning and row order need on one thread:
 * skills, people, memberships, pairs, goals, alerts. */
static int load_small(db *d, kpi_snapshot *s, skill_map *skills, const tzday *tz, mt_error *err)
{
	if (load_skills(d, s, skills, err) < 0 || load_people(d, s, err) < 0)
		return -1;
	/* Memberships, pairs and goals look people up 300 K times: a direct map. */
	id_map people;
	id_map_init(&people, s->people.items, s->people.n, sizeof(kpi_person));
	int rc = load_memberships(d, s, skills, &people, err) < 0 ||
			 load_pairs(d, s, &people, err) < 0 || load_goals(d, s, &people, err) < 0 ||
			 load_alerts(d, s, tz, err) < 0
		 ? -1 : 0;
	id_map_free(&people);
	return rc;
}

kpi_snapshot *snapshot_load(db *d, int64_t program_id, tzday *tz, snapshot_version *version,
			    mt_error *err)
{
	kpi_snapshot *s = kpi_snapshot_new(program_id);
	kpi_snapshot *strings = kpi_snapshot_new(program_id);   /* this thread's interner */
	skill_map skills = {NULL, NULL, 0};
	raw_plan plan = {.chunks = NULL, .n = 0, .program_id = program_id, .tz = tz};
	atomic_init(&plan.next, 0);
	helper h = {.plan = &plan, .strings = kpi_snapshot_new(program_id), .started = false};
	memset(tz, 0, sizeof(*tz));
	/* One read transaction: every table and the version from one moment. */
	if (db_exec(d, "BEGIN", err) < 0)
		goto fail_no_tx;
	if (snapshot_version_read(d, program_id, version, err) < 0 ||
	    load_program(d, s, tz, err) < 0 || plan_chunks(d, &plan, err) < 0)
		goto fail;
	/* The helper reads chunks while this thread loads the small tables. */
	h.path = db_filename(d);
	h.data_version = version->data_version;
	/* An in-memory database cannot be opened twice: all on this thread. */
	h.started = *h.path && pthread_create(&h.thread, NULL, helper_run, &h) == 0;
	int rc = load_small(d, s, &skills, tz, err);
	if (rc < 0)
		atomic_store(&plan.next, plan.n); /* stop the helper early */
	else {
		db *own = worker_open(h.path, program_id, version->data_version);
		plan_work(&plan, own ? own : d, strings);
		worker_close(own);
	}
	/* Always join the thread, even after a failure here. */
	if (h.started)
		pthread_join(h.thread, NULL);
	if (rc < 0)
		goto fail;
	/* Chunks the helper failed on (or never had: it saw another version). */
	scan_mode mode;
	scan_mode_read(d, program_id, &mode);
	for (size_t i = 0; i < plan.n; i++)
		if (plan.chunks[i].rc < 0) {
			chunk_clear(&plan.chunks[i]);
			plan.chunks[i].rc = chunk_read(d, &mode, program_id, tz, strings,
						       &plan.chunks[i], err);
			if (plan.chunks[i].rc < 0)
				goto fail;
		}
	const kpi_snapshot *const interners[2] = {strings, h.strings};
	if (add_chunks(s, &plan, &skills, interners, err) < 0)
		goto fail;
	plan_free(&plan);
	db_rollback(d); /* read-only: nothing to commit */
	s->data_version = version->data_version;
	kpi_snapshot_finish(s);
	free(skills.ids);
	free(skills.names);
	kpi_snapshot_free(strings);
	kpi_snapshot_free(h.strings);
	return s;
fail:
	db_rollback(d);
fail_no_tx:
	plan_free(&plan);
	free(skills.ids);
	free(skills.names);
	tzday_release(tz);
	kpi_snapshot_free(s);
	kpi_snapshot_free(strings);
	kpi_snapshot_free(h.strings);
	return NULL;
}

/* ---- the cache ---------------------------------------------------------------- */

typedef struct cache_entry {
	int64_t program_id;
	snapshot_ref *ref;
	uint64_t last_used;    /* LRU clock, moved by every get */
	double last_read;      /* monotonic seconds of the last reader's get */
	double loaded_at;      /* monotonic seconds when the last load ended */
	double load_seconds;   /* how long that load took */
} cache_entry;

struct snapshot_cache {
	pthread_mutex_t lock;
	pthread_cond_t loaded;  /* a load ended (installed or failed) */
	cache_entry *entries;
	int n, max;
	uint64_t clock;
	int64_t *loading;       /* programs being loaded now, at most max + threads */
	int nloading, cap_loading;
	snapshot_cache_stats stats;
};

static double mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
	pthread_cond_init(&c->loaded, NULL);
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
	pthread_cond_destroy(&c->loaded);
	free(c->loading);
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

static int loading_find(const snapshot_cache *c, int64_t program_id)
{
	for (int i = 0; i < c->nloading; i++)
		if (c->loading[i] == program_id)
			return i;
	return -1;
}

static void loading_add(snapshot_cache *c, int64_t program_id)
{
	if (c->nloading == c->cap_loading) {
		c->cap_loading = c->cap_loading ? 2 * c->cap_loading : 8;
		c->loading = realloc(c->loading, (size_t)c->cap_loading * sizeof(*c->loading));
		if (!c->loading)
			abort();
	}
	c->loading[c->nloading++] = program_id;
}

static void loading_remove(snapshot_cache *c, int64_t program_id)
{
	int i = loading_find(c, program_id);
	if (i >= 0)
		c->loading[i] = c->loading[--c->nloading];
}

/* The slot for a program's new snapshot: its own, a free one, or the least
 * recently used program's (lock held). */
static cache_entry *entry_for(snapshot_cache *c, int64_t program_id)
{
	cache_entry *e = find_entry(c, program_id);
	if (e) {
		entry_drop(e);
		return e;
	}
	if (c->n < c->max) {
		e = &c->entries[c->n++];
		memset(e, 0, sizeof(*e));
		return e;
	}
	e = &c->entries[0];
	for (int i = 1; i < c->n; i++)
		if (c->entries[i].last_used < e->last_used)
			e = &c->entries[i];
	entry_drop(e);
	memset(e, 0, sizeof(*e));
	return e;
}

/* Take a reference to the cached snapshot when it is at least as new as
 * `now`: a newer one, read by a load that finished while this request
 * waited, is as good.  This relies on a program id's versions only growing;
 * programs are archived, never deleted, so an id is never reused.  Lock
 * held. */
static snapshot_ref *take_current(snapshot_cache *c, int64_t program_id,
				  const snapshot_version *now, bool reader)
{
	cache_entry *e = find_entry(c, program_id);
	if (!e || e->ref->version.data_version < now->data_version)
		return NULL;
	e->ref->refs++;
	e->last_used = ++c->clock;
	if (reader)
		e->last_read = mono_seconds();
	return e->ref;
}

/* Load outside the lock and install the result; wakes every waiter. */
static snapshot_ref *load_and_install(snapshot_cache *c, db *d, int64_t program_id, bool reader,
				      mt_error *err)
{
	double t0 = mono_seconds();
	snapshot_ref *ref = calloc(1, sizeof(*ref));
	if (!ref)
		abort();
	ref->snapshot = snapshot_load(d, program_id, &ref->tz, &ref->version, err);
	double t1 = mono_seconds();
	pthread_mutex_lock(&c->lock);
	loading_remove(c, program_id);
	if (!ref->snapshot) {
		free(ref);
		ref = NULL;
		c->stats.failures++;
	} else {
		ref->refs = 1;
		ref->cached = true;
		cache_entry *e = entry_for(c, program_id);
		double last_read = e->program_id == program_id ? e->last_read : 0;
		e->program_id = program_id;
		e->ref = ref;
		e->last_used = ++c->clock;
		e->last_read = reader ? t1 : last_read;
		e->loaded_at = t1;
		e->load_seconds = t1 - t0;
		c->stats.loads++;
		c->stats.load_seconds += t1 - t0;
	}
	pthread_cond_broadcast(&c->loaded);
	pthread_mutex_unlock(&c->lock);
	return ref;
}

/* One flight per program: a request that finds the program being loaded
 * waits for that load instead of starting its own, so a burst of requests
 * after a write costs one load, not one per request. */
static snapshot_ref *cache_get(snapshot_cache *c, db *d, int64_t program_id, bool reader,
			       bool *warm, mt_error *err)
{
	snapshot_version now;
	*warm = false;
	if (version_read(d, program_id, &now, err) < 0)
		return NULL;
	pthread_mutex_lock(&c->lock);
	bool waited = false;
	for (;;) {
		snapshot_ref *hit = take_current(c, program_id, &now, reader);
		if (hit) {
			if (waited)
				c->stats.waits++;
			else
				c->stats.hits++;
			*warm = !waited;
			pthread_mutex_unlock(&c->lock);
			return hit;
		}
		if (loading_find(c, program_id) < 0)
			break;
		waited = true;
		pthread_cond_wait(&c->loaded, &c->lock);
	}
	loading_add(c, program_id);
	pthread_mutex_unlock(&c->lock);
	return load_and_install(c, d, program_id, reader, err);
}

snapshot_ref *snapshot_cache_get(snapshot_cache *c, db *d, int64_t program_id, bool *warm,
				 mt_error *err)
{
	return cache_get(c, d, program_id, true, warm, err);
}

int snapshot_cache_refresh(snapshot_cache *c, db *d, int64_t program_id, mt_error *err)
{
	bool warm;
	snapshot_ref *ref = cache_get(c, d, program_id, false, &warm, err);
	if (!ref)
		return -1;
	snapshot_cache_release(c, ref);
	return warm ? 0 : 1;
}

size_t snapshot_cache_recent(snapshot_cache *c, double within, double backoff, int64_t *ids,
			     size_t max)
{
	double now = mono_seconds();
	size_t n = 0;
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < c->n && n < max; i++) {
		const cache_entry *e = &c->entries[i];
		if (e->last_read > 0 && now - e->last_read <= within &&
		    now >= e->loaded_at + backoff * e->load_seconds)
			ids[n++] = e->program_id;
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}

int snapshot_cache_capacity(const snapshot_cache *c)
{
	return c->max;
}

void snapshot_cache_stats_read(snapshot_cache *c, snapshot_cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	out->cached = c->n;
	pthread_mutex_unlock(&c->lock);
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
