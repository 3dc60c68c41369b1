/*
 * match.c - see match.h.
 *
 * Loading turns rows into compact features once (skills as small indices,
 * departments, locations and languages interned, reporting lines walked)
 * so that scoring the 25 million pairs of a 10,000 x 2,500 program costs a
 * few integer operations each.
 */
#include "store/match.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/pair.h"
#include "lib/strbuf.h"
#include "domain/tzday.h"
#include "domain/validate.h"
#include "lib/timeutil.h"
#include "store/snapshot.h"

enum { MANAGER_DEPTH = 24 };

/* ---- string interning: index 0 means "unknown" --------------------------- */

typedef struct intern {
	const char **names;  /* names[0] = NULL */
	size_t n, cap;
} intern;

static int32_t intern_get(mt_arena *a, intern *t, const char *s)
{
	if (!s || !*s)
		return 0;
	for (size_t i = 1; i < t->n; i++)
		if (strcmp(t->names[i], s) == 0)
			return (int32_t)i;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		t->names = arena_realloc(a, t->names, t->cap * sizeof(*t->names), cap * sizeof(*t->names));
		t->cap = cap;
		if (t->n == 0)
			t->n = 1;
	}
	t->names[t->n] = arena_strdup(a, s);
	return (int32_t)t->n++;
}

/* Comma-separated languages to a bit set over the language table. */
static uint32_t languages_mask(mt_arena *a, intern *t, const char *list)
{
	uint32_t mask = 0;
	while (list && *list) {
		while (*list == ' ' || *list == ',' || *list == ';')
			list++;
		size_t len = strcspn(list, ",;");
		while (len && list[len - 1] == ' ')
			len--;
		if (len) {
			char *name = arena_strndup(a, list, len);
			int32_t idx = intern_get(a, t, name);
			if (idx > 0 && idx <= 32)
				mask |= 1u << (idx - 1);
		}
		list += strcspn(list, ",;");
	}
	return mask;
}

/* ---- lookups ----------------------------------------------------------------- */

int match_pool_find(const match_member *members, size_t n, int64_t membership_id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (members[mid].membership_id < membership_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && members[lo].membership_id == membership_id ? (int)lo : -1;
}

typedef struct id_pair {
	int64_t key;
	int64_t value;
} id_pair;

static int cmp_id_pair(const void *x, const void *y)
{
	const id_pair *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key ? 1 : 0;
}

static const id_pair *find_key(const id_pair *arr, size_t n, int64_t key)
{
	id_pair k = {key, 0};
	return bsearch(&k, arr, n, sizeof(*arr), cmp_id_pair);
}

/* Load "SELECT key, value ... ORDER BY key" rows into an arena array. */
static id_pair *load_pairs(db *d, mt_arena *a, const char *sql, int64_t p1, size_t *n,
			   mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return NULL;
	if (p1)
		db_bind_int(st, 1, p1);
	size_t cap = 256, len = 0;
	id_pair *arr = arena_alloc(a, cap * sizeof(*arr));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (len == cap) {
			arr = arena_realloc(a, arr, cap * sizeof(*arr), cap * 2 * sizeof(*arr));
			cap *= 2;
		}
		arr[len].key = db_col_int(st, 0);
		arr[len].value = db_col_int(st, 1);
		len++;
	}
	db_finalize(st);
	if (rc < 0)
		return NULL;
	*n = len;
	return arr;
}

/* Rows [first, last) of a key-sorted array whose key is `key`. */
static size_t key_range(const id_pair *arr, size_t n, int64_t key, size_t *first)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (arr[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && arr[end].key == key)
		end++;
	*first = lo;
	return end - lo;
}

static const int64_t *values_for(mt_arena *a, const id_pair *arr, size_t n, int64_t key,
				 size_t *count)
{
	size_t first;
	*count = key_range(arr, n, key, &first);
	if (!*count)
		return NULL;
	int64_t *out = arena_alloc(a, *count * sizeof(*out));
	for (size_t i = 0; i < *count; i++)
		out[i] = arr[first + i].value;
	return out;
}

/* ---- loading the pool ------------------------------------------------------- */

typedef struct load_ctx {
	db *d;
	mt_arena *a;
	const mt_program *prog;
	match_pool *pool;
	intern departments, locations, languages, timezones;
	id_pair *skill_index;   /* skill id -> name index */
	size_t n_skill_index;
	const char **skill_names;
} load_ctx;

static int load_skill_names(load_ctx *c, mt_error *err)
{
	db_stmt *st = db_prepare(c->d, "SELECT COUNT(*) FROM skills", err);
	if (!st)
		return -1;
	int64_t n = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	c->skill_index = arena_calloc(c->a, (size_t)n + 1, sizeof(*c->skill_index));
	c->skill_names = arena_calloc(c->a, (size_t)n + 1, sizeof(*c->skill_names));
	if (!(st = db_prepare(c->d, "SELECT id, name FROM skills ORDER BY id", err)))
		return -1;
	int rc;
	size_t i = 0;
	while ((rc = db_step(st, err)) == DB_ROW && i < (size_t)n) {
		c->skill_index[i].key = db_col_int(st, 0);
		c->skill_index[i].value = (int64_t)i;
		c->skill_names[i] = arena_strdup(c->a, db_col_text(st, 1));
		i++;
	}
	db_finalize(st);
	c->n_skill_index = i;
	return rc < 0 ? -1 : 0;
}

static int load_members(load_ctx *c, const char *today, mt_error *err)
{
	db_stmt *st = db_prepare(c->d,
		"SELECT ms.id, ms.person_id, pe.name, pe.email, ms.role, ms.capacity, ms.goal_areas, "
		"pe.seniority, pe.department, pe.location, pe.languages, pe.timezone "
		"FROM memberships ms JOIN people pe ON pe.id = ms.person_id "
		"WHERE ms.program_id = $1 AND ms.status = 'active' AND ms.joined_on <= $2 "
		"AND (ms.left_on IS NULL OR ms.left_on > $2) ORDER BY ms.id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->prog->id);
	db_bind_text(st, 2, today);
	size_t cap[2] = {64, 64};
	match_pool *p = c->pool;
	p->mentors = arena_alloc(c->a, cap[0] * sizeof(match_member));
	p->mentees = arena_alloc(c->a, cap[1] * sizeof(match_member));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		bool mentor = strcmp(db_col_text(st, 4), "mentor") == 0;
		match_member **arr = mentor ? &p->mentors : &p->mentees;
		size_t *n = mentor ? &p->n_mentors : &p->n_mentees, *cp = &cap[mentor ? 0 : 1];
		if (*n == *cp) {
			*arr = arena_realloc(c->a, *arr, *cp * sizeof(match_member),
					     *cp * 2 * sizeof(match_member));
			*cp *= 2;
		}
		match_member *m = &(*arr)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->membership_id = db_col_int(st, 0);
		m->person_id = db_col_int(st, 1);
		m->name = arena_strdup(c->a, db_col_text(st, 2));
		m->email = arena_strdup(c->a, db_col_text(st, 3));
		m->capacity = mentor ? (int)db_col_int(st, 5) : p->settings.mentors_per_mentee;
		m->f.id = m->person_id;
		m->f.goal_areas = (uint32_t)db_col_int(st, 6);
		m->f.seniority = (int)db_col_int(st, 7);
		m->f.department = intern_get(c->a, &c->departments, db_col_text(st, 8));
		m->f.location = intern_get(c->a, &c->locations, db_col_text(st, 9));
		m->f.languages = languages_mask(c->a, &c->languages, db_col_text(st, 10));
		/* Kept as an interned index until the zones are resolved below. */
		m->f.tz_minutes = intern_get(c->a, &c->timezones, db_col_text(st, 11));
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int load_used(load_ctx *c, mt_error *err)
{
	static const char *const sql[2] = {
		"SELECT mentor_membership_id, COUNT(*) FROM pairs WHERE program_id = $1 AND "
		"status = 'active' GROUP BY mentor_membership_id ORDER BY 1",
		"SELECT mentee_membership_id, COUNT(*) FROM pairs WHERE program_id = $1 AND "
		"status = 'active' GROUP BY mentee_membership_id ORDER BY 1",
	};
	for (int side = 0; side < 2; side++) {
		size_t n;
		id_pair *rows = load_pairs(c->d, c->a, sql[side], c->prog->id, &n, err);
		if (!rows)
			return -1;
		match_member *arr = side == 0 ? c->pool->mentors : c->pool->mentees;
		size_t count = side == 0 ? c->pool->n_mentors : c->pool->n_mentees;
		for (size_t i = 0; i < count; i++) {
			const id_pair *hit = find_key(rows, n, arr[i].membership_id);
			arr[i].used = hit ? (int)hit->value : 0;
		}
	}
	return 0;
}

static int load_skills(load_ctx *c, mt_error *err)
{
	db_stmt *st = db_prepare(c->d,
		"SELECT k.membership_id, k.skill_id, k.level, ms.role FROM membership_skills k "
		"JOIN memberships ms ON ms.id = k.membership_id WHERE ms.program_id = $1 "
		"ORDER BY k.membership_id, k.level DESC, k.skill_id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->prog->id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		bool mentor = strcmp(db_col_text(st, 3), "mentor") == 0;
		match_member *arr = mentor ? c->pool->mentors : c->pool->mentees;
		size_t n = mentor ? c->pool->n_mentors : c->pool->n_mentees;
		int idx = match_pool_find(arr, n, db_col_int(st, 0));
		const id_pair *skill = find_key(c->skill_index, c->n_skill_index, db_col_int(st, 1));
		if (idx < 0 || !skill || arr[idx].f.n_skills >= SCORE_MAX_SKILLS ||
		    skill->value > UINT16_MAX)
			continue;
		score_skill *s = &arr[idx].f.skills[arr[idx].f.n_skills++];
		s->skill = (uint16_t)skill->value;
		s->level = (uint8_t)db_col_int(st, 2);
		s->importance = 0;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static void set_managers(load_ctx *c, match_member *m, const id_pair *mgr, size_t n)
{
	int64_t chain[MANAGER_DEPTH];
	size_t len = 0;
	int64_t at = m->person_id;
	while (len < MANAGER_DEPTH) {
		const id_pair *hit = find_key(mgr, n, at);
		if (!hit || !hit->value || hit->value == m->person_id)
			break;
		chain[len++] = at = hit->value;
	}
	if (!len)
		return;
	int64_t *copy = arena_alloc(c->a, len * sizeof(*copy));
	memcpy(copy, chain, len * sizeof(*copy));
	m->f.managers = copy;
	m->f.n_managers = len;
}

static int load_relations(load_ctx *c, mt_error *err)
{
	size_t n_mgr, n_prior, n_wish, n_avoid;
	id_pair *mgr = load_pairs(c->d, c->a, "SELECT id, manager_id FROM people WHERE manager_id "
					      "IS NOT NULL ORDER BY id", 0, &n_mgr, err);
	/* Every earlier pair counts, except unreviewed solver proposals (replaced by this run). */
	id_pair *prior = mgr ? load_pairs(c->d, c->a,
		"SELECT mentee_person_id, mentor_person_id FROM pairs WHERE program_id = $1 AND "
		"NOT (status = 'proposed' AND source = 'solver') ORDER BY 1, 2", c->prog->id,
		&n_prior, err) : NULL;
	id_pair *wish = prior ? load_pairs(c->d, c->a,
		"SELECT person_id, other_person_id FROM match_preferences WHERE program_id = $1 AND "
		"kind = 'wish' ORDER BY person_id, rank, other_person_id", c->prog->id, &n_wish,
		err) : NULL;
	id_pair *avoid = wish ? load_pairs(c->d, c->a,
		"SELECT person_id, other_person_id FROM match_preferences WHERE program_id = $1 AND "
		"kind = 'avoid' ORDER BY person_id, other_person_id", c->prog->id, &n_avoid,
		err) : NULL;
	if (!avoid)
		return -1;
	for (int side = 0; side < 2; side++) {
		match_member *arr = side ? c->pool->mentees : c->pool->mentors;
		size_t n = side ? c->pool->n_mentees : c->pool->n_mentors;
		for (size_t i = 0; i < n; i++) {
			match_member *m = &arr[i];
			set_managers(c, m, mgr, n_mgr);
			m->f.avoid = values_for(c->a, avoid, n_avoid, m->person_id, &m->f.n_avoid);
			if (side) {
				m->f.prior = values_for(c->a, prior, n_prior, m->person_id, &m->f.n_prior);
				m->f.wishes = values_for(c->a, wish, n_wish, m->person_id, &m->f.n_wishes);
			}
			score_person_prepare(&m->f);
		}
	}
	return 0;
}

static int person_index(const match_member *arr, size_t n, int64_t person)
{
	for (size_t i = 0; i < n; i++)
		if (arr[i].person_id == person)
			return (int)i;
	return -1;
}

static int load_locked_and_excluded(load_ctx *c, mt_error *err)
{
	match_pool *p = c->pool;
	db_stmt *st = db_prepare(c->d, "SELECT id, mentee_membership_id, mentor_membership_id FROM "
				       "pairs WHERE program_id = $1 AND status = 'proposed' AND "
				       "locked = 1 ORDER BY id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->prog->id);
	size_t cap = 16;
	p->locked = arena_alloc(c->a, cap * sizeof(*p->locked));
	p->locked_pair_ids = arena_alloc(c->a, cap * sizeof(int64_t));
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int i = match_pool_find(p->mentees, p->n_mentees, db_col_int(st, 1));
		int j = match_pool_find(p->mentors, p->n_mentors, db_col_int(st, 2));
		if (i < 0 || j < 0)
			continue; /* one side has no free capacity any more */
		if (p->n_locked == cap) {
			p->locked = arena_realloc(c->a, p->locked, cap * sizeof(*p->locked),
						  cap * 2 * sizeof(*p->locked));
			p->locked_pair_ids = arena_realloc(c->a, p->locked_pair_ids,
							   cap * sizeof(int64_t),
							   cap * 2 * sizeof(int64_t));
			cap *= 2;
		}
		p->locked_pair_ids[p->n_locked] = db_col_int(st, 0);
		p->locked[p->n_locked++] = (solver_pair){.mentee = (uint32_t)i, .mentor = (uint32_t)j,
							 .locked = true};
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	size_t n_ex;
	id_pair *ex = load_pairs(c->d, c->a, "SELECT mentee_person_id, mentor_person_id FROM "
					     "match_exclusions WHERE program_id = $1 ORDER BY 1, 2",
				 c->prog->id, &n_ex, err);
	if (!ex)
		return -1;
	p->excluded = arena_calloc(c->a, n_ex ? n_ex : 1, sizeof(*p->excluded));
	for (size_t k = 0; k < n_ex; k++) {
		int i = person_index(p->mentees, p->n_mentees, ex[k].key);
		int j = person_index(p->mentors, p->n_mentors, ex[k].value);
		if (i >= 0 && j >= 0)
			p->excluded[p->n_excluded++] = (solver_pair){.mentee = (uint32_t)i,
								     .mentor = (uint32_t)j};
	}
	return 0;
}

/* Keep only members with free capacity. */
static void keep_free(match_member *arr, size_t *n)
{
	size_t out = 0;
	for (size_t i = 0; i < *n; i++)
		if (arr[i].used < arr[i].capacity)
			arr[out++] = arr[i];
	*n = out;
}

/*
 * Each distinct time zone is read once (from the system's zone files) and
 * its offset taken at noon UTC of `today`; members whose zone is unknown or
 * unset simply earn no time-zone points.
 */
static void resolve_timezones(load_ctx *c, const char *today)
{
	int32_t day;
	if (c->timezones.n < 2 || validate_date_parse(today, &day) < 0)
		goto clear;
	int *minutes = arena_calloc(c->a, c->timezones.n, sizeof(int));
	bool *known = arena_calloc(c->a, c->timezones.n, sizeof(bool));
	for (size_t i = 1; i < c->timezones.n; i++) {
		tzday tz;
		mt_error ignored;
		if (snapshot_timezone(c->timezones.names[i], &tz, "timezone", &ignored) < 0)
			continue;
		minutes[i] = tzday_offset(&tz, (int64_t)day * 86400 + 43200) / 60;
		known[i] = true;
		tzday_release(&tz);
	}
	for (int side = 0; side < 2; side++) {
		match_member *arr = side ? c->pool->mentees : c->pool->mentors;
		size_t n = side ? c->pool->n_mentees : c->pool->n_mentors;
		for (size_t i = 0; i < n; i++) {
			int idx = arr[i].f.tz_minutes;
			arr[i].f.has_tz = idx > 0 && known[idx];
			arr[i].f.tz_minutes = arr[i].f.has_tz ? minutes[idx] : 0;
		}
	}
	return;
clear:
	for (int side = 0; side < 2; side++) {
		match_member *arr = side ? c->pool->mentees : c->pool->mentors;
		size_t n = side ? c->pool->n_mentees : c->pool->n_mentors;
		for (size_t i = 0; i < n; i++) {
			arr[i].f.has_tz = false;
			arr[i].f.tz_minutes = 0;
		}
	}
}

static void set_names(load_ctx *c)
{
	score_names *nm = &c->pool->names;
	nm->skills = c->skill_names;
	nm->n_skills = c->n_skill_index;
	nm->departments = c->departments.names;
	nm->n_departments = c->departments.n;
	nm->locations = c->locations.names;
	nm->n_locations = c->locations.n;
	/* languages are by bit index: bit b is interned index b + 1 */
	nm->languages = c->languages.n > 1 ? c->languages.names + 1 : NULL;
	nm->n_languages = c->languages.n > 1 ? c->languages.n - 1 : 0;
}

int match_pool_load(db *d, mt_arena *a, const mt_program *prog, const char *today,
		    bool everyone, match_pool *pool, mt_error *err)
{
	memset(pool, 0, sizeof(*pool));
	load_ctx c = {.d = d, .a = a, .prog = prog, .pool = pool};
	if (match_settings_parse(prog->settings, &pool->settings, err) < 0 ||
	    load_skill_names(&c, err) < 0 || load_members(&c, today, err) < 0 ||
	    load_used(&c, err) < 0)
		return -1;
	if (!everyone) {
		keep_free(pool->mentors, &pool->n_mentors);
		keep_free(pool->mentees, &pool->n_mentees);
	}
	resolve_timezones(&c, today);
	if (load_skills(&c, err) < 0 || load_relations(&c, err) < 0 ||
	    load_locked_and_excluded(&c, err) < 0)
		return -1;
	set_names(&c);
	return 0;
}

int match_pool_score(void *ctx, uint32_t mentee, uint32_t mentor)
{
	const match_pool *p = ctx;
	return score_pair(&p->settings.weights, &p->mentees[mentee].f, &p->mentors[mentor].f);
}

json_t *match_pool_explain(const match_pool *pool, mt_arena *a, size_t mentee, size_t mentor)
{
	score_reason *reasons = NULL;
	size_t n = 0;
	score_names names = pool->names;
	names.mentee = pool->mentees[mentee].name;
	names.mentor = pool->mentors[mentor].name;
	int score = score_explain(&pool->settings.weights, &pool->mentees[mentee].f,
				  &pool->mentors[mentor].f, &names, a, &reasons, &n);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:i, s:s}", "component",
						      reasons[i].component, "points",
						      reasons[i].points, "text", reasons[i].text));
	return json_pack("{s:i, s:o}", "score", score, "reasons", list);
}
