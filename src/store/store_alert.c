/*
 * store_alert.c - see alert.h.  The facts are loaded in five plain reads
 * (memberships, pairs, low ratings, the held sessions of the active pairs,
 * overdue goals), each a scan in id order or a covering index (0007), and
 * joined here with in-memory maps; names are read only for new conditions.
 * The reconciliation puts the program's unresolved keys in a hash set,
 * looks every condition's key up in it, and describes and inserts (in
 * batches, see raise_batches) only the conditions that are new.  On the
 * large benchmark (bench/RESULTS.md) a check with nothing new takes about
 * a third of a second, a first check raising 144,500 alerts under one
 * (half of that is SQLite writing the new pages to the WAL and the file).
 */
#include "store/alert.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
#include "lib/strbuf.h"
#include "lib/timeutil.h"

#define ALERT_COLUMNS                                                                       \
	"a.id, a.program_id, a.rule, a.subject_kind, a.subject_id, a.person_id, "            \
	"pe.name AS person_name, a.pair_id, a.condition_key, a.status, a.message, "          \
	"a.details AS details_json, a.raised_at, a.acknowledged_at, a.acknowledged_by, "     \
	"a.acknowledge_note, a.resolved_at, a.resolved_by, a.resolution, a.note"
#define ALERT_FROM "alerts a LEFT JOIN people pe ON pe.id = a.person_id"

/* Day number of a "YYYY-MM-DD..." text, HEALTH_NO_DAY for NULL or junk. */
static int32_t day_of(db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return HEALTH_NO_DAY;
	const char *s = db_col_text(st, col);
	char buf[11];
	int32_t d;
	if (strlen(s) < 10)
		return HEALTH_NO_DAY;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	return validate_date_parse(buf, &d) == 0 ? d : HEALTH_NO_DAY;
}

/*
 * A growable array in malloc'd memory (realloc, no zeroing), moved into the
 * arena once complete: facts run to hundreds of thousands of rows.
 */
typedef struct vec {
	void *items;
	size_t n, cap, size;
} vec;

static void *vec_push(vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		void *p = realloc(v->items, cap * v->size);
		if (!p) {
			fputs("mentortrack: out of memory\n", stderr);
			abort();
		}
		v->items = p;
		v->cap = cap;
	}
	return (char *)v->items + v->size * v->n++;
}

static void *vec_finish(vec *v, mt_arena *a, size_t *n)
{
	void *out = NULL;
	if (v->n) {
		out = arena_alloc(a, v->n * v->size);
		memcpy(out, v->items, v->n * v->size);
	}
	*n = v->n;
	free(v->items);
	*v = (vec){.size = v->size};
	return out;
}

static void vec_release(vec *v)
{
	free(v->items);
	v->items = NULL;
	v->n = v->cap = 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* A map from ids (sessions) to a day, open addressing. */
typedef struct day_map {
	int64_t *keys;
	int32_t *days;
	bool *used;
	size_t mask;
} day_map;

static void day_map_init(day_map *m, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	m->keys = malloc(cap * sizeof(*m->keys));
	m->days = malloc(cap * sizeof(*m->days));
	m->used = calloc(cap, sizeof(*m->used));
	if (!m->keys || !m->days || !m->used) {
		fputs("mentortrack: out of memory\n", stderr);
		abort();
	}
	m->mask = cap - 1;
}

static size_t day_map_slot(const day_map *m, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 20) & m->mask;
	while (m->used[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static void day_map_release(day_map *m)
{
	free(m->keys);
	free(m->days);
	free(m->used);
}

/*
 * The facts, as the store loads them.  Names and goal descriptions are
 * left NULL: they are read (fill_names) only for the conditions that are
 * new, which after the first check of a program are few or none.
 */
typedef struct facts_load {
	health_member *members;
	size_t n_members;
	bool *goal_ok;          /* per member: its goals count (active, not left) */
	health_pair *pairs;     /* active, started */
	size_t n_pairs;
	int64_t *active;        /* ids of every pair with status active, sorted */
	size_t n_active;
	health_rating *ratings;
	size_t n_ratings;
	health_goal *goals;
	size_t n_goals;
} facts_load;

/*
 * Index of the element with `id` in an array sorted by id whose elements
 * start with their id (members, pairs, plain ids), or -1.
 */
_Static_assert(offsetof(health_member, membership_id) == 0, "a member starts with its id");
_Static_assert(offsetof(health_pair, id) == 0, "a pair starts with its id");

static long find_by_id(const void *items, size_t n, size_t size, int64_t id)
{
	const char *hit = n ? bsearch(&id, items, n, size, cmp_i64) : NULL;
	return hit ? (long)((size_t)(hit - (const char *)items) / size) : -1;
}

static long find_member(const facts_load *x, int64_t id)
{
	return find_by_id(x->members, x->n_members, sizeof(*x->members), id);
}

/* Prepare one of the program's reads: $1 the program, $2 `text` (a day or
 * a timestamp) unless NULL.  NULL with err filled on failure. */
static db_stmt *program_query(db *d, const char *sql, int64_t program_id, const char *text,
			      mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (st) {
		db_bind_int(st, 1, program_id);
		if (text)
			db_bind_text(st, 2, text);
	}
	return st;
}

/*
 * The queries scan the program's rows in id order (`+program_id` keeps
 * SQLite from walking an index by program and then fetching every row at
 * random) and the joins are done here with the maps above.
 */
static int load_members(db *d, mt_arena *a, int64_t program_id, const char *today,
			facts_load *x, mt_error *err)
{
	db_stmt *st = program_query(
	    d,
	    "SELECT id, person_id, role = 'mentor', capacity, joined_on, "
	    "(status = 'active' AND joined_on <= $2 AND (left_on IS NULL OR left_on > $2)), "
	    "(status = 'active' AND (left_on IS NULL OR left_on > $2)) "
	    "FROM memberships WHERE +program_id = $1 ORDER BY id",
	    program_id, today, err);
	if (!st)
		return -1;
	vec v = {.size = sizeof(health_member)}, ok = {.size = sizeof(bool)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		health_member *m = vec_push(&v);
		*m = (health_member){
			.membership_id = db_col_int(st, 0),
			.person_id = db_col_int(st, 1),
			.mentor = db_col_int(st, 2) != 0,
			.capacity = (int)db_col_int(st, 3),
			.joined_on = day_of(st, 4),
			.active = db_col_int(st, 5) != 0,
			.last_pair_end = HEALTH_NO_DAY,
		};
		if (m->joined_on == HEALTH_NO_DAY)
			m->active = false;
		*(bool *)vec_push(&ok) = db_col_int(st, 6) != 0;
	}
	db_finalize(st);
	size_t n_ok;
	x->members = vec_finish(&v, a, &x->n_members);
	x->goal_ok = vec_finish(&ok, a, &n_ok);
	return rc < 0 ? -1 : 0;
}

/* Every pair of the program: the members' active pair counts and latest
 * pair ends, and the active pairs. */
static int load_pairs(db *d, mt_arena *a, int64_t program_id, facts_load *x, mt_error *err)
{
	db_stmt *st = program_query(
	    d,
	    "SELECT id, mentor_membership_id, mentee_membership_id, mentor_person_id, "
	    "mentee_person_id, status = 'active', started_on, ended_on "
	    "FROM pairs WHERE +program_id = $1 ORDER BY id",
	    program_id, NULL, err);
	if (!st)
		return -1;
	/* The latest end as text, compared as SQL's MAX() compares it. */
	const char **last_end = x->n_members ? calloc(x->n_members, sizeof(*last_end)) : NULL;
	if (x->n_members && !last_end)
		abort();
	vec pairs = {.size = sizeof(health_pair)}, active = {.size = sizeof(int64_t)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		bool is_active = db_col_int(st, 5) != 0;
		bool started = !db_col_null(st, 6);
		for (int side = 1; side <= 2; side++) {
			long m = find_member(x, db_col_int(st, side));
			if (m < 0)
				continue;
			x->members[m].active_pairs += is_active;
			if (started && !db_col_null(st, 7)) {
				const char *end = db_col_text(st, 7);
				if (!last_end[m] || strcmp(end, last_end[m]) > 0)
					last_end[m] = arena_strdup(a, end);
			}
		}
		if (!is_active)
			continue;
		*(int64_t *)vec_push(&active) = db_col_int(st, 0);
		int32_t start = day_of(st, 6);
		if (start == HEALTH_NO_DAY)
			continue;
		*(health_pair *)vec_push(&pairs) = (health_pair){
			.id = db_col_int(st, 0),
			.mentor_person_id = db_col_int(st, 3),
			.mentee_person_id = db_col_int(st, 4),
			.started_on = start,
			.last_held = HEALTH_NO_DAY,
			.first_intro = HEALTH_NO_DAY,
		};
	}
	db_finalize(st);
	for (size_t i = 0; i < x->n_members; i++) {
		if (!last_end[i] || strlen(last_end[i]) < 10)
			continue;
		char buf[11];
		int32_t day;
		memcpy(buf, last_end[i], 10);
		buf[10] = '\0';
		if (validate_date_parse(buf, &day) == 0)
			x->members[i].last_pair_end = day;
	}
	free(last_end);
	x->pairs = vec_finish(&pairs, a, &x->n_pairs);
	x->active = vec_finish(&active, a, &x->n_active);
	return rc < 0 ? -1 : 0;
}

/* The ratings at or below `low` of the active pairs.  Whether their
 * session was held is settled by load_sessions (through `sessions`). */
static int load_ratings(db *d, mt_arena *a, int64_t program_id, int low, facts_load *x,
			mt_error *err)
{
	db_stmt *st =
	    program_query(d,
			  "SELECT id, session_id, pair_id, rater_person_id, side = 'mentor', score "
			  "FROM ratings WHERE program_id = $1 AND score <= $2",
			  program_id, NULL, err);
	if (!st)
		return -1;
	db_bind_int(st, 2, low);
	vec v = {.size = sizeof(health_rating)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (find_by_id(x->active, x->n_active, sizeof(*x->active), db_col_int(st, 2)) < 0)
			continue;
		*(health_rating *)vec_push(&v) = (health_rating){
			.id = db_col_int(st, 0),
			.session_id = db_col_int(st, 1),
			.pair_id = db_col_int(st, 2),
			.rater_person_id = db_col_int(st, 3),
			.by_mentor = db_col_int(st, 4) != 0,
			.score = (int)db_col_int(st, 5),
			.held_on = HEALTH_NO_DAY,
		};
	}
	db_finalize(st);
	x->ratings = vec_finish(&v, a, &x->n_ratings);
	return rc < 0 ? -1 : 0;
}

/* The first 10 characters of a text (a day), kept to compare as SQL's
 * MAX() and MIN() compare the whole text: the prefix of the greatest text
 * is the greatest prefix. */
typedef struct day_text {
	char s[11];
	bool set;
} day_text;

static void day_text_keep(day_text *t, const char *s, bool greatest)
{
	int c = t->set ? strncmp(s, t->s, 10) : 0;
	if (t->set && (greatest ? c <= 0 : c >= 0))
		return;
	size_t n = strnlen(s, 10);
	memcpy(t->s, s, n);
	t->s[n] = '\0';
	t->set = true;
}

static int32_t day_text_day(const day_text *t)
{
	int32_t d;
	return t->set && strlen(t->s) == 10 && validate_date_parse(t->s, &d) == 0 ? d
										  : HEALTH_NO_DAY;
}

/*
 * The held sessions of the active pairs: each pair's count, latest and
 * first intro day, and the day of the sessions the ratings name.  Ratings
 * whose session is not among them (cancelled, not held yet) are dropped.
 */
static int load_sessions(db *d, int64_t program_id, const char *now_iso, facts_load *x,
			 mt_error *err)
{
	day_map rated;
	day_map_init(&rated, x->n_ratings);
	for (size_t i = 0; i < x->n_ratings; i++) {
		size_t k = day_map_slot(&rated, x->ratings[i].session_id);
		rated.used[k] = true;
		rated.keys[k] = x->ratings[i].session_id;
		rated.days[k] = HEALTH_NO_DAY;
	}
	bool *held = calloc(rated.mask + 1, sizeof(*held));
	day_text *last = calloc(x->n_pairs + 1, sizeof(*last));
	day_text *intro = calloc(x->n_pairs + 1, sizeof(*intro));
	db_stmt *st =
	    program_query(d,
			  "SELECT pr.id, s.id, s.held_at, s.kind = 'intro' FROM pairs pr "
			  "JOIN sessions s ON s.pair_id = pr.id AND s.status = 'completed' "
			  "AND s.held_at <= $2 "
			  "WHERE pr.program_id = $1 AND pr.status = 'active'",
			  program_id, now_iso, err);
	int rc = -1;
	if (!held || !last || !intro || !st)
		goto out;
	int64_t cur_id = 0;
	long cur = -1;
	bool have_cur = false;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int64_t pair_id = db_col_int(st, 0);
		if (!have_cur || pair_id != cur_id) {
			cur_id = pair_id;
			cur = find_by_id(x->pairs, x->n_pairs, sizeof(*x->pairs), pair_id);
			have_cur = true;
		}
		if (x->n_ratings) {
			size_t k = day_map_slot(&rated, db_col_int(st, 1));
			if (rated.used[k]) {
				rated.days[k] = day_of(st, 2);
				held[k] = true;
			}
		}
		if (cur < 0)
			continue;
		const char *at = db_col_text(st, 2);
		x->pairs[cur].held_sessions++;
		day_text_keep(&last[cur], at, true);
		if (db_col_int(st, 3))
			day_text_keep(&intro[cur], at, false);
	}
	for (size_t i = 0; i < x->n_pairs; i++) {
		x->pairs[i].last_held = day_text_day(&last[i]);
		x->pairs[i].first_intro = day_text_day(&intro[i]);
	}
	size_t kept = 0;
	for (size_t i = 0; i < x->n_ratings; i++) {
		size_t k = day_map_slot(&rated, x->ratings[i].session_id);
		if (!held[k])
			continue;
		x->ratings[kept] = x->ratings[i];
		x->ratings[kept++].held_on = rated.days[k];
	}
	x->n_ratings = kept;
out:
	db_finalize(st);
	free(held);
	free(last);
	free(intro);
	day_map_release(&rated);
	return rc < 0 ? -1 : 0;
}

static int load_goals(db *d, mt_arena *a, int64_t program_id, const char *today,
		      facts_load *x, mt_error *err)
{
	db_stmt *st = program_query(
	    d,
	    "SELECT id, membership_id, person_id, COALESCE(pair_id, 0), target_date FROM goals "
	    "WHERE +program_id = $1 AND status NOT IN ('achieved', 'dropped') "
	    "AND target_date IS NOT NULL AND target_date < $2 ORDER BY id",
	    program_id, today, err);
	if (!st)
		return -1;
	vec v = {.size = sizeof(health_goal)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		long m = find_member(x, db_col_int(st, 1));
		if (m < 0 || !x->goal_ok[m])
			continue;
		*(health_goal *)vec_push(&v) = (health_goal){
			.id = db_col_int(st, 0),
			.person_id = db_col_int(st, 2),
			.pair_id = db_col_int(st, 3),
			.target_date = day_of(st, 4),
		};
	}
	db_finalize(st);
	x->goals = vec_finish(&v, a, &x->n_goals);
	return rc < 0 ? -1 : 0;
}

static int load_facts(db *d, mt_arena *a, int64_t program_id, int low, int32_t today,
		      const char *now_iso, facts_load *x, mt_error *err)
{
	char day[11];
	validate_date_format(today, day);
	memset(x, 0, sizeof(*x));
	return load_members(d, a, program_id, day, x, err) < 0 ||
			       load_pairs(d, a, program_id, x, err) < 0 ||
			       load_ratings(d, a, program_id, low, x, err) < 0 ||
			       load_sessions(d, program_id, now_iso, x, err) < 0 ||
			       load_goals(d, a, program_id, day, x, err) < 0
		       ? -1
		       : 0;
}

static health_facts facts_view(const facts_load *x)
{
	return (health_facts){
		.members = x->members, .n_members = x->n_members,
		.pairs = x->pairs, .n_pairs = x->n_pairs,
		.ratings = x->ratings, .n_ratings = x->n_ratings,
		.goals = x->goals, .n_goals = x->n_goals,
	};
}

/* ---- names, for the messages of new conditions --------------------------- */

/* A text to fill in: the row it comes from and where it goes. */
typedef struct text_req {
	int64_t id;
	const char **dst;
} text_req;

static int by_req_id(const void *x, const void *y)
{
	return cmp_i64(&((const text_req *)x)->id, &((const text_req *)y)->id);
}

/* Below this many texts, one lookup each; above, one scan. */
enum { TEXT_LOOKUPS_MAX = 512 };

/*
 * Fill every request's text from `one_sql` ($1: the id; one row, one
 * column) or, for many, by scanning `scan_sql` (rows of id, text; $1 is
 * the program when `scoped`).  A row that is missing leaves "".
 */
static int fill_texts(db *d, mt_arena *a, vec *reqs, const char *one_sql, const char *scan_sql,
		      bool scoped, int64_t program_id, mt_error *err)
{
	text_req *r = reqs->items;
	size_t n = reqs->n;
	if (!n)
		return 0;
	qsort(r, n, sizeof(*r), by_req_id);
	int rc = 0;
	if (n <= TEXT_LOOKUPS_MAX) {
		db_stmt *st = db_prepare(d, one_sql, err);
		if (!st)
			return -1;
		for (size_t i = 0; i < n && rc >= 0; i++) {
			if (i && r[i].id == r[i - 1].id) {
				*r[i].dst = *r[i - 1].dst;
				continue;
			}
			db_reset(st);
			db_bind_int(st, 1, r[i].id);
			rc = db_step(st, err);
			*r[i].dst = rc == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
		}
		db_finalize(st);
		return rc < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < n; i++)
		*r[i].dst = "";
	db_stmt *st = db_prepare(d, scan_sql, err);
	if (!st)
		return -1;
	if (scoped)
		db_bind_int(st, 1, program_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		text_req probe = {.id = db_col_int(st, 0)};
		text_req *hit = bsearch(&probe, r, n, sizeof(*r), by_req_id);
		if (!hit)
			continue;
		while (hit > r && hit[-1].id == probe.id)
			hit--;
		const char *t = arena_strdup(a, db_col_text(st, 1));
		for (; hit < r + n && hit->id == probe.id; hit++)
			*hit->dst = t;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void want(vec *v, int64_t id, const char **dst)
{
	*(text_req *)vec_push(v) = (text_req){.id = id, .dst = dst};
}

/* The names a condition's message quotes. */
static void want_condition(facts_load *x, const health_condition *c, vec *people, vec *goals)
{
	switch (c->rule) {
	case HEALTH_LOW_RATING: {
		health_rating *r = &x->ratings[c->fact];
		want(people, r->rater_person_id, &r->rater_name);
		break;
	}
	case HEALTH_WAITING:
	case HEALTH_OVER_CAPACITY: {
		health_member *m = &x->members[c->fact];
		want(people, m->person_id, &m->name);
		break;
	}
	case HEALTH_STALLED:
	case HEALTH_NO_INTRO: {
		health_pair *p = &x->pairs[c->fact];
		want(people, p->mentor_person_id, &p->mentor_name);
		want(people, p->mentee_person_id, &p->mentee_name);
		break;
	}
	case HEALTH_GOAL_OVERDUE: {
		health_goal *g = &x->goals[c->fact];
		want(people, g->person_id, &g->person_name);
		want(goals, g->id, &g->description);
		break;
	}
	default:
		break;
	}
}

static int fill_names(db *d, mt_arena *a, int64_t program_id, vec *people, vec *goals,
		      mt_error *err)
{
	int rc = fill_texts(d, a, people, "SELECT name FROM people WHERE id = $1",
			    "SELECT id, name FROM people", false, 0, err);
	if (rc == 0)
		rc = fill_texts(d, a, goals, "SELECT description FROM goals WHERE id = $1",
				"SELECT id, description FROM goals WHERE +program_id = $1", true,
				program_id, err);
	vec_release(people);
	vec_release(goals);
	return rc;
}

int store_alert_facts(db *d, mt_arena *a, int64_t program_id, int32_t today,
		      const char *now_iso, health_facts *out, mt_error *err)
{
	/* Without settings, load ratings up to the widest low-rating threshold
	 * allowed (4) and let the rule decide. */
	facts_load x;
	memset(out, 0, sizeof(*out));
	if (load_facts(d, a, program_id, 4, today, now_iso, &x, err) < 0)
		return -1;
	vec people = {.size = sizeof(text_req)}, goals = {.size = sizeof(text_req)};
	for (size_t i = 0; i < x.n_members; i++)
		want(&people, x.members[i].person_id, &x.members[i].name);
	for (size_t i = 0; i < x.n_pairs; i++) {
		want(&people, x.pairs[i].mentor_person_id, &x.pairs[i].mentor_name);
		want(&people, x.pairs[i].mentee_person_id, &x.pairs[i].mentee_name);
	}
	for (size_t i = 0; i < x.n_ratings; i++)
		want(&people, x.ratings[i].rater_person_id, &x.ratings[i].rater_name);
	for (size_t i = 0; i < x.n_goals; i++) {
		want(&people, x.goals[i].person_id, &x.goals[i].person_name);
		want(&goals, x.goals[i].id, &x.goals[i].description);
	}
	if (fill_names(d, a, program_id, &people, &goals, err) < 0)
		return -1;
	*out = facts_view(&x);
	return 0;
}

/* ---- reconciliation ----------------------------------------------------- */

/* The program's alerts that hold a key: unresolved ones, or manual
 * resolutions not yet seen to clear.  A hash set by key. */
typedef struct key_entry {
	int64_t id;
	const char *key;
	uint64_t hash;
	int rule;      /* health_rule, -1 when unknown */
	bool seen;     /* its condition still holds */
} key_entry;

typedef struct key_set {
	key_entry *items;
	size_t n;
	uint32_t *slots;   /* index + 1, 0 empty */
	size_t mask;
} key_set;

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int load_keys(db *d, mt_arena *a, int64_t program_id, const char *sql, key_set *out,
		     mt_error *err)
{
	db_stmt *st = program_query(d, sql, program_id, NULL, err);
	if (!st)
		return -1;
	vec v = {.size = sizeof(key_entry)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		const char *key = db_col_text(st, 1);
		*(key_entry *)vec_push(&v) = (key_entry){
			.id = db_col_int(st, 0), .key = arena_strdup(a, key), .hash = hash_key(key),
			.rule = health_rule_from_name(db_col_text(st, 2)),
		};
	}
	db_finalize(st);
	out->items = vec_finish(&v, a, &out->n);
	size_t cap = 64;
	while (cap < 2 * out->n)
		cap *= 2;
	out->slots = arena_calloc(a, cap, sizeof(*out->slots));
	out->mask = cap - 1;
	for (size_t i = 0; i < out->n; i++) {
		size_t k = (size_t)out->items[i].hash & out->mask;
		while (out->slots[k])
			k = (k + 1) & out->mask;
		out->slots[k] = (uint32_t)(i + 1);
	}
	return rc < 0 ? -1 : 0;
}

/* Mark every entry with `key` seen; whether there was one. */
static bool mark_key(key_set *s, const char *key, uint64_t hash)
{
	bool found = false;
	for (size_t k = (size_t)hash & s->mask; s->slots[k]; k = (k + 1) & s->mask) {
		key_entry *e = &s->items[s->slots[k] - 1];
		if (e->hash == hash && !strcmp(e->key, key)) {
			e->seen = true;
			found = true;
		}
	}
	return found;
}

static int entry_by_key(const void *x, const void *y)
{
	return strcmp((*(key_entry *const *)x)->key, (*(key_entry *const *)y)->key);
}

/* The entries not seen, in key order. */
static key_entry **unseen(mt_arena *a, key_set *s, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		k += !s->items[i].seen;
	key_entry **out = k ? arena_calloc(a, k, sizeof(*out)) : NULL;
	k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!s->items[i].seen)
			out[k++] = &s->items[i];
	if (k > 1)
		qsort(out, k, sizeof(*out), entry_by_key);
	*n = k;
	return out;
}

static json_t *audit_after(const alert_check_result *r)
{
	return json_pack("{s:I, s:I, s:I, s:O, s:O}", "raised", (json_int_t)r->raised, "resolved",
			 (json_int_t)r->resolved, "unblocked", (json_int_t)r->unblocked,
			 "raised_ids", r->raised_ids, "resolved_ids", r->resolved_ids);
}

/*
 * Insert the new conditions (sorted by key) as open alerts, RAISE_BATCH
 * rows per statement, describing each batch just before it is written (in
 * an arena freed after the batch: a first check of a large program raises
 * a hundred thousand alerts, and their texts need not all be in memory at
 * once).
 *
 * What a first check of a large program cost, row by row, and what is done
 * instead (bench/RESULTS.md):
 * - The CHECK constraints of 0004 (rule IN (...), subject_kind IN (...),
 *   status IN (...)) are coded by SQLite to build each IN list afresh for
 *   every row checked, multi-row statement or not: more than half of the
 *   insert's work.  SQLite is told to skip them for these statements
 *   (PRAGMA ignore_check_constraints, off on every connection otherwise)
 *   and row_valid() checks the same lists here: the values are the
 *   domain's constants.
 * - RETURNING makes SQLite buffer every statement's output in a temporary
 *   table.  A new row's id is one more than the largest id in the table
 *   (SQLite's rowid rule: no AUTOINCREMENT, and the check holds the write
 *   lock), so the ids are counted from the largest id before the first
 *   statement, and every statement's last id is compared with the count:
 *   a backend that numbers otherwise fails the check rather than
 *   reporting wrong ids.
 * - Statements of 64 rows paid each statement's set-up noticeably.  124
 *   rows (994 parameters) is the most that SQLite before 3.32 allows (999);
 *   256 rows would save under 1 % of a first check, 1,000 cost more to
 *   prepare than they save.
 */
enum { RAISE_BATCH = 124 };

static const char *insert_sql(mt_arena *a, size_t rows)
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "INSERT INTO alerts (program_id, rule, subject_kind, subject_id, person_id, "
		     "pair_id, condition_key, status, message, details, raised_at) VALUES ");
	for (size_t r = 0; r < rows; r++) {
		int p = 3 + 8 * (int)r;   /* $1 program, $2 now, then 8 per row */
		sb_addf(&sb, "%s($1, $%d, $%d, $%d, $%d, $%d, $%d, 'open', $%d, $%d, $2)",
			r ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7);
	}
	const char *sql = arena_strdup(a, sb_str(&sb));
	sb_release(&sb);
	return sql;
}

/* What 0004's CHECK constraints ask of a new alert (status is 'open' in
 * the SQL and resolution is left NULL). */
static bool row_valid(const health_condition *c)
{
	static const char *const kinds[] = {"person", "membership", "pair", "session", "goal"};
	if (c->rule < 0 || c->rule >= HEALTH_RULE_COUNT || !c->subject_kind)
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(c->subject_kind, kinds[i]))
			return true;
	return false;
}

/* One statement of `rows` conditions; `last` is the largest alert id before
 * it and becomes the largest after. */
static int raise_batch(db *d, const char *sql, int64_t program_id, const health_condition *c,
		       size_t rows, const char *now, int64_t *last, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, now);
	for (size_t r = 0; r < rows; r++) {
		const health_condition *x = &c[r];
		int p = 3 + 8 * (int)r;
		db_bind_text(st, p, health_rule_name(x->rule));
		db_bind_text(st, p + 1, x->subject_kind);
		db_bind_int(st, p + 2, x->subject_id);
		db_bind_opt_int(st, p + 3, x->person_id > 0, x->person_id);
		db_bind_opt_int(st, p + 4, x->pair_id > 0, x->pair_id);
		db_bind_text(st, p + 5, x->key);
		db_bind_text(st, p + 6, x->message);
		db_bind_text(st, p + 7, x->details);
	}
	int rc = db_step(st, err);
	db_finalize(st);
	if (rc < 0)
		return -1;
	int64_t want = *last + (int64_t)rows;
	*last = db_last_insert_id(d);
	if (*last != want)
		return mt_internal(err, "alerts: raised alerts got ids up to %lld, not %lld",
				   (long long)*last, (long long)want);
	return 0;
}

static int raise_batches(db *d, mt_arena *a, const health_settings *settings,
			 const health_facts *facts, int32_t today, int64_t program_id,
			 health_condition *c, size_t n, const char *now, alert_check_result *out,
			 mt_error *err)
{
	int64_t last;
	if (db_query_int(d, "SELECT COALESCE(MAX(id), 0) FROM alerts", &last, 0, err) < 0)
		return -1;
	if (last < 0 || last > INT64_MAX - (int64_t)n)
		return mt_internal(err, "alerts: no room for %zu new ids after %lld", n,
				   (long long)last);
	const char *full = n >= RAISE_BATCH ? insert_sql(a, RAISE_BATCH) : NULL;
	for (size_t at = 0; at < n;) {
		size_t rows = n - at < RAISE_BATCH ? n - at : RAISE_BATCH;
		mt_arena texts;
		arena_init(&texts);
		int rc = 0;
		for (size_t r = 0; r < rows && rc == 0; r++) {
			health_describe(&texts, settings, facts, today, &c[at + r]);
			if (!row_valid(&c[at + r]))
				rc = mt_internal(err, "alerts: condition %s is not a valid alert",
						 c[at + r].key);
		}
		if (rc == 0)
			rc = raise_batch(d, rows == RAISE_BATCH ? full : insert_sql(a, rows),
					 program_id, &c[at], rows, now, &last, err);
		for (size_t r = 0; r < rows; r++)
			c[at + r].message = c[at + r].details = NULL; /* freed below */
		arena_free(&texts);
		if (rc < 0)
			return -1;
		for (size_t r = 0; r < rows; r++) {
			int64_t id = last - (int64_t)(rows - 1 - r);
			out->raised++;
			out->open_by_rule[c[at + r].rule]++;
			out->open_total++;
			json_array_append_new(out->raised_ids, json_integer(id));
			if (json_array_size(out->raised_alerts) < ALERT_NOTIFY_MAX) {
				json_t *o = store_alert_json(d, id, err);
				if (!o)
					return -1;
				json_array_append_new(out->raised_alerts, o);
			}
		}
		at += rows;
	}
	return 0;
}

/* Describe and insert the new conditions with the CHECK constraints off
 * (see above), switching them back on whatever happens. */
static int raise_all(db *d, mt_arena *a, const health_settings *settings, const health_facts *facts,
		     int32_t today, int64_t program_id, health_condition *c, size_t n,
		     const char *now, alert_check_result *out, mt_error *err)
{
	if (!n)
		return 0;
	if (db_check_constraints(d, false, err) < 0)
		return -1;
	int rc = raise_batches(d, a, settings, facts, today, program_id, c, n, now, out, err);
	if (db_check_constraints(d, true, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* Run `sql` ($1 id, $2 now) for each entry. */
static int update_each(db *d, const char *sql, key_entry **e, size_t n, const char *now,
		       json_t *ids, mt_error *err)
{
	if (!n)
		return 0;
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		db_reset(st);
		db_bind_int(st, 1, e[i]->id);
		db_bind_text(st, 2, now);
		rc = db_step(st, err);
		if (rc >= 0 && ids)
			json_array_append_new(ids, json_integer(e[i]->id));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The body of a check, inside the transaction. */
static int reconcile(db *d, mt_arena *a, const mt_actor *who, const mt_program *prog,
		     time_t now, alert_check_result *out, mt_error *err)
{
	health_settings settings;
	facts_load x;
	health_condition *conds;
	size_t n_conds;
	key_set live, blocked;
	char now_iso[32];
	time_format_iso(now, now_iso, sizeof(now_iso));
	int32_t today = (int32_t)(now >= 0 ? now / 86400 : (now - 86399) / 86400);

	if (health_settings_parse(prog->settings, &settings, err) < 0 ||
	    load_facts(d, a, prog->id, settings.low_rating, today, now_iso, &x, err) < 0)
		return -1;
	health_facts facts = facts_view(&x);
	/* Keys first: only the conditions without a live or blocking alert
	 * need their message and details. */
	health_conditions(a, &settings, &facts, today, &conds, &n_conds);
	if (load_keys(d, a, prog->id, "SELECT id, condition_key, rule FROM alerts "
				      "WHERE program_id = $1 AND status IN ('open', 'acknowledged')",
		      &live, err) < 0 ||
	    load_keys(d, a, prog->id, "SELECT id, condition_key, rule FROM alerts "
				      "WHERE program_id = $1 AND resolution = 'manual' "
				      "AND cleared_at IS NULL", &blocked, err) < 0)
		return -1;

	size_t n_new = 0;
	for (size_t i = 0; i < n_conds; i++) {
		uint64_t h = hash_key(conds[i].key);
		bool l = mark_key(&live, conds[i].key, h);
		bool b = mark_key(&blocked, conds[i].key, h);
		if (!l && !b)
			conds[n_new++] = conds[i];
	}
	health_sort(conds, n_new);
	if (n_new) {
		vec people = {.size = sizeof(text_req)}, goals = {.size = sizeof(text_req)};
		for (size_t i = 0; i < n_new; i++)
			want_condition(&x, &conds[i], &people, &goals);
		if (fill_names(d, a, prog->id, &people, &goals, err) < 0)
			return -1;
	}

	/* Open after the check: the live alerts that still hold, and the new. */
	out->open_total = 0;
	for (size_t i = 0; i < live.n; i++) {
		if (!live.items[i].seen)
			continue;
		out->open_total++;
		if (live.items[i].rule >= 0)
			out->open_by_rule[live.items[i].rule]++;
	}
	size_t n_resolve, n_unblock;
	key_entry **resolve = unseen(a, &live, &n_resolve);
	key_entry **unblock = unseen(a, &blocked, &n_unblock);
	if (raise_all(d, a, &settings, &facts, today, prog->id, conds, n_new, now_iso, out, err) <
		0 ||
	    update_each(d,
			"UPDATE alerts SET status = 'resolved', resolved_at = $2, "
			"resolution = 'auto' WHERE id = $1",
			resolve, n_resolve, now_iso, out->resolved_ids, err) < 0 ||
	    update_each(d, "UPDATE alerts SET cleared_at = $2 WHERE id = $1", unblock, n_unblock,
			now_iso, NULL, err) < 0)
		return -1;
	out->resolved = (int64_t)n_resolve;
	out->unblocked = (int64_t)n_unblock;
	if (out->raised || out->resolved || out->unblocked) {
		json_t *after = audit_after(out);
		int rc = store_program_touch(d, prog->id, err) < 0 ||
				 store_audit(d, who, "check", "program_alerts", prog->id, NULL, after,
					     err) < 0
			 ? -1
			 : 0;
		json_decref(after);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/*
 * The connection's settings for the length of a check (SQLite only), read
 * first and put back after:
 * - Foreign keys off: every id an alert names was read in the same
 *   transaction from a row whose own foreign key vouches for it (the
 *   program, members' and raters' people, pairs), so the three lookups per
 *   new alert prove nothing.  The check writes no other foreign key.
 * - A 16 MB page cache instead of the connection's 64: a first check
 *   writes some 70 MB of new pages it never reads again, which SQLite
 *   writes to the WAL as it evicts them just as it would at commit; a
 *   larger cache only takes memory, a page fault per page.  Reads cost
 *   the same (each fact is read once).
 * PRAGMA foreign_keys takes effect only outside a transaction, so both
 * are set before BEGIN and put back after COMMIT or ROLLBACK, and the
 * foreign keys' setting is read back to be sure.
 */
/* The page cache for a check's transaction: strace shows the same I/O at
 * 64 MB and 16 MB, with 51 MB less memory; at 4 MB pages are re-read. */
enum { CHECK_CACHE_KIB = 16 * 1024 };

int store_alert_check(db *d, mt_arena *a, const mt_actor *who, int64_t program_id, time_t now,
		      alert_check_result *out, mt_error *err)
{
	mt_program prog;
	db_bulk_saved saved = {.changed = false};
	int rc = -1;
	memset(out, 0, sizeof(*out));
	out->program_id = program_id;
	out->raised_alerts = json_array();
	out->raised_ids = json_array();
	out->resolved_ids = json_array();
	if (db_bulk_begin(d, CHECK_CACHE_KIB, &saved, err) < 0 || db_begin(d, err) < 0)
		goto out;
	if (store_program_get(d, a, program_id, &prog, err) < 0 ||
	    reconcile(d, a, who, &prog, now, out, err) < 0 || db_commit(d, err) < 0) {
		db_rollback(d);
		/* Nothing was written: report nothing. */
		json_array_clear(out->raised_alerts);
		json_array_clear(out->raised_ids);
		json_array_clear(out->resolved_ids);
		out->raised = out->resolved = out->unblocked = 0;
		goto out;
	}
	out->program_name = prog.name;
	rc = 0;
out:
	if (db_bulk_end(d, &saved, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

void alert_check_release(alert_check_result *r)
{
	json_decref(r->raised_alerts);
	json_decref(r->raised_ids);
	json_decref(r->resolved_ids);
	r->raised_alerts = r->raised_ids = r->resolved_ids = NULL;
}

json_t *alert_check_json(const alert_check_result *r)
{
	json_t *by_rule = json_object();
	for (int i = 0; i < HEALTH_RULE_COUNT; i++)
		json_object_set_new(by_rule, health_rule_name((health_rule)i),
				    json_integer(r->open_by_rule[i]));
	return json_pack("{s:I, s:s?, s:I, s:I, s:I, s:I, s:o, s:O, s:O}", "program_id",
			 (json_int_t)r->program_id, "program_name", r->program_name, "raised",
			 (json_int_t)r->raised, "resolved", (json_int_t)r->resolved, "unblocked",
			 (json_int_t)r->unblocked, "open_total", (json_int_t)r->open_total,
			 "open_by_rule", by_rule, "raised_ids", r->raised_ids, "resolved_ids",
			 r->resolved_ids);
}

int store_alert_programs(db *d, mt_arena *a, int64_t **ids, size_t *n_out, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM programs WHERE status IN ('open', 'running') "
				    "ORDER BY id", err);
	if (!st)
		return -1;
	vec v = {.size = sizeof(int64_t)};
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW)
		*(int64_t *)vec_push(&v) = db_col_int(st, 0);
	db_finalize(st);
	*ids = vec_finish(&v, a, n_out);
	return rc < 0 ? -1 : 0;
}

/* ---- reading and the lifecycle ------------------------------------------ */

json_t *store_alert_json(db *d, int64_t id, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT " ALERT_COLUMNS " FROM " ALERT_FROM " WHERE a.id = $1",
				 err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *o = query_one(st, "alert", err);
	db_finalize(st);
	return o;
}

json_t *store_alert_list(db *d, int64_t program_id, query *q, const char *sort, int64_t limit,
			 int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"raised_at", "a.raised_at"}, {"id", "a.id"}, {"rule", "a.rule"},
		{"status", "a.status"}, {"resolved_at", "a.resolved_at"},
		{"person", "pe.name"}, {NULL, NULL},
	};
	query_and_int(q, "a.program_id = $?", program_id);
	return query_page(d, ALERT_COLUMNS, ALERT_FROM, q, sorts, sort ? sort : "-raised_at",
			  limit, offset, err);
}

int store_alert_program(db *d, int64_t id, int64_t *program_id, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT program_id FROM alerts WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		*program_id = db_col_int(st, 0);
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

json_t *store_alert_summary(db *d, int64_t program_id, mt_error *err)
{
	static const char *const statuses[] = {"open", "acknowledged", "resolved"};
	json_t *out = json_object();
	json_t *by[3];
	for (int s = 0; s < 3; s++) {
		by[s] = json_object();
		for (int r = 0; r < HEALTH_RULE_COUNT; r++)
			json_object_set_new(by[s], health_rule_name((health_rule)r), json_integer(0));
		json_object_set_new(out, statuses[s], by[s]);
	}
	db_stmt *st = db_prepare(d, "SELECT status, rule, COUNT(*), MAX(raised_at) FROM alerts "
				    "WHERE program_id = $1 GROUP BY status, rule", err);
	if (!st) {
		json_decref(out);
		return NULL;
	}
	db_bind_int(st, 1, program_id);
	int64_t totals[3] = {0, 0, 0};
	char last[32] = "";
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		const char *status = db_col_text(st, 0);
		for (int s = 0; s < 3; s++) {
			if (strcmp(status, statuses[s]))
				continue;
			json_object_set_new(by[s], db_col_text(st, 1), json_integer(db_col_int(st, 2)));
			totals[s] += db_col_int(st, 2);
		}
		if (strcmp(db_col_text(st, 3), last) > 0)
			snprintf(last, sizeof(last), "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "program_id", json_integer(program_id));
	json_object_set_new(out, "open_total", json_integer(totals[0]));
	json_object_set_new(out, "acknowledged_total", json_integer(totals[1]));
	json_object_set_new(out, "resolved_total", json_integer(totals[2]));
	json_object_set_new(out, "last_raised_at", last[0] ? json_string(last) : json_null());
	return out;
}

/* The alert's status and program, 404 when absent. */
static int alert_state(db *d, int64_t id, char *status, size_t n, int64_t *program_id,
		       mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT status, program_id FROM alerts WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	if (rc == DB_ROW) {
		snprintf(status, n, "%s", db_col_text(st, 0));
		*program_id = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		mt_not_found(err, "alert %lld not found", (long long)id);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int set_state(db *d, const char *sql, int64_t id, int64_t user_id, const char *note,
		     int64_t program_id, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_opt_int(st, 3, user_id > 0, user_id);
	db_bind_text(st, 4, note);
	int rc = db_step(st, err);
	db_finalize(st);
	return rc < 0 ? -1 : store_program_touch(d, program_id, err);
}

int store_alert_acknowledge(db *d, int64_t id, int64_t user_id, const char *note,
			    mt_error *err)
{
	char status[16];
	int64_t program_id;
	if (alert_state(d, id, status, sizeof(status), &program_id, err) < 0)
		return -1;
	if (strcmp(status, "open"))
		return mt_conflict(err, "status", "alert %lld is %s; only an open alert can be "
				   "acknowledged", (long long)id, status);
	return set_state(d, "UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, "
			    "acknowledged_by = $3, acknowledge_note = $4 WHERE id = $1",
			 id, user_id, note, program_id, err);
}

int store_alert_resolve(db *d, int64_t id, int64_t user_id, const char *note, mt_error *err)
{
	char status[16];
	int64_t program_id;
	if (alert_state(d, id, status, sizeof(status), &program_id, err) < 0)
		return -1;
	if (!strcmp(status, "resolved"))
		return mt_conflict(err, "status", "alert %lld is already resolved", (long long)id);
	return set_state(d, "UPDATE alerts SET status = 'resolved', resolved_at = $2, "
			    "resolved_by = $3, note = $4, resolution = 'manual' WHERE id = $1",
			 id, user_id, note, program_id, err);
}

/* ---- deliveries ------------------------------------------------------------ */

int64_t store_alert_delivery_add(db *d, const alert_delivery *x, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO notification_deliveries (program_id, channel, target, alert_ids, status, "
		"attempts, response_code, error, created_at, finished_at) VALUES ($1, $2, $3, $4, $5, "
		"$6, $7, $8, $9, $10) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->program_id);
	db_bind_text(st, 2, x->channel);
	db_bind_text(st, 3, x->target);
	db_bind_text(st, 4, x->alert_ids ? x->alert_ids : "[]");
	db_bind_text(st, 5, x->delivered ? "delivered" : "failed");
	db_bind_int(st, 6, x->attempts);
	db_bind_opt_int(st, 7, x->response_code > 0, x->response_code);
	db_bind_text(st, 8, x->error);
	db_bind_text(st, 9, x->created_at);
	db_bind_text(st, 10, x->finished_at);
	int64_t id = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return id;
}

json_t *store_alert_delivery_list(db *d, int64_t program_id, query *q, const char *sort,
				  int64_t limit, int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "n.id"}, {"channel", "n.channel"}, {"status", "n.status"}, {NULL, NULL},
	};
	query_and_int(q, "n.program_id = $?", program_id);
	return query_page(d,
			  "n.id, n.program_id, n.channel, n.target, n.alert_ids AS alert_ids_json, "
			  "n.status, n.attempts, n.response_code, n.error, n.created_at, "
			  "n.finished_at",
			  "notification_deliveries n", q, sorts, sort ? sort : "-id", limit, offset,
			  err);
}
