/*
 * kpi_build.c - building a KPI snapshot (see kpi.h): the growable arrays,
 * the string interning table, the id lookups and the enum parsers.
 *
 * Why apart from kpi.c: building is what the loader and the tests share;
 * kpi.c is only the formulas.  Arrays are malloc'd (not arena) because a
 * snapshot of a large program holds tens of megabytes that grow by
 * doubling; the arena would keep every outgrown copy.
 */
#include "domain/kpi.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/model.h"

static void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		abort();
	return q;
}

/* Inlined so that each call site's memcpy has a constant size: a load pushes
 * millions of rows. */
static inline __attribute__((always_inline)) int32_t vec_push(kpi_snapshot *s, kpi_vec *v,
							       size_t size, const void *row)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		v->items = xrealloc(v->items, cap * size);
		s->bytes += (cap - v->cap) * size;
		v->cap = cap;
	}
	memcpy((char *)v->items + v->n * size, row, size);
	return (int32_t)v->n++;
}

static void vec_reserve(kpi_snapshot *s, kpi_vec *v, size_t size, size_t more)
{
	if (v->n + more <= v->cap)
		return;
	size_t cap = v->n + more;
	v->items = xrealloc(v->items, cap * size);
	s->bytes += (cap - v->cap) * size;
	v->cap = cap;
}

void kpi_snapshot_reserve(kpi_snapshot *s, size_t sessions, size_t topics, size_t ratings,
			  size_t checkins, size_t assessments)
{
	vec_reserve(s, &s->sessions, sizeof(kpi_session), sessions);
	vec_reserve(s, &s->session_ids, sizeof(int64_t), sessions);
	vec_reserve(s, &s->topics, sizeof(kpi_topic), topics);
	vec_reserve(s, &s->ratings, sizeof(kpi_rating), ratings);
	vec_reserve(s, &s->checkins, sizeof(kpi_checkin), checkins);
	vec_reserve(s, &s->assessments, sizeof(kpi_assessment), assessments);
}

static void vec_append(kpi_snapshot *s, kpi_vec *v, size_t size, const void *rows, size_t n)
{
	vec_reserve(s, v, size, n);
	if (n)
		memcpy((char *)v->items + v->n * size, rows, n * size);
	v->n += n;
}

kpi_snapshot *kpi_snapshot_new(int64_t program_id)
{
	kpi_snapshot *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->program_id = program_id;
	s->program_start = KPI_NO_DAY;
	s->success_min_mean_rating = 4.0;
	s->success_min_sessions = 6;
	arena_init(&s->text_arena);
	return s;
}

void kpi_snapshot_free(kpi_snapshot *s)
{
	if (!s)
		return;
	kpi_vec *vecs[] = {&s->people, &s->memberships, &s->attrs, &s->skills, &s->pairs,
			   &s->reasons, &s->sessions, &s->session_ids, &s->topics, &s->ratings,
			   &s->checkins, &s->goals, &s->assessments, &s->alerts};
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		free(vecs[i]->items);
	free(s->text);
	free(s->hash);
	free(s->assessment_order);
	arena_free(&s->text_arena);
	free(s);
}

/* ---- interning ------------------------------------------------------------ */

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void rehash(kpi_snapshot *s)
{
	size_t cap = s->hash_cap ? s->hash_cap * 2 : 1024;
	int32_t *h = xrealloc(NULL, cap * sizeof(int32_t));
	memset(h, 0xff, cap * sizeof(int32_t));
	for (int32_t i = 0; i < s->n_strings; i++) {
		size_t j = hash_bytes(s->text[i], strlen(s->text[i])) & (cap - 1);
		while (h[j] >= 0)
			j = (j + 1) & (cap - 1);
		h[j] = i;
	}
	free(s->hash);
	s->bytes += (cap - s->hash_cap) * sizeof(int32_t);
	s->hash = h;
	s->hash_cap = cap;
}

static int32_t lookup(const kpi_snapshot *s, const char *text, size_t len, size_t *slot)
{
	if (!s->hash_cap)
		return KPI_NO_STR;
	size_t j = hash_bytes(text, len) & (s->hash_cap - 1);
	while (s->hash[j] >= 0) {
		const char *t = s->text[s->hash[j]];
		if (strncmp(t, text, len) == 0 && t[len] == '\0')
			return s->hash[j];
		j = (j + 1) & (s->hash_cap - 1);
	}
	if (slot)
		*slot = j;
	return KPI_NO_STR;
}

int32_t kpi_intern_len(kpi_snapshot *s, const char *text, size_t len)
{
	if (!text)
		return KPI_NO_STR;
	if ((size_t)(s->n_strings + 1) * 2 > s->hash_cap)
		rehash(s);
	size_t slot = 0;
	int32_t id = lookup(s, text, len, &slot);
	if (id != KPI_NO_STR)
		return id;
	if (s->n_strings == s->cap_strings) {
		int32_t cap = s->cap_strings ? s->cap_strings * 2 : 256;
		s->text = xrealloc(s->text, (size_t)cap * sizeof(char *));
		s->bytes += (size_t)(cap - s->cap_strings) * sizeof(char *);
		s->cap_strings = cap;
	}
	id = s->n_strings++;
	s->text[id] = arena_strndup(&s->text_arena, text, len);
	s->bytes += len + 1;
	s->hash[slot] = id;
	return id;
}

int32_t kpi_intern(kpi_snapshot *s, const char *text)
{
	return text ? kpi_intern_len(s, text, strlen(text)) : KPI_NO_STR;
}

int32_t kpi_string_find(const kpi_snapshot *s, const char *text)
{
	return text ? lookup(s, text, strlen(text), NULL) : KPI_NO_STR;
}

const char *kpi_string(const kpi_snapshot *s, int32_t id)
{
	return id >= 0 && id < s->n_strings ? s->text[id] : NULL;
}

/* ---- rows ------------------------------------------------------------------ */

static int bad(mt_error *err, const char *what, long long id)
{
	return mt_internal(err, "snapshot: %s %lld is out of order or refers to a missing row",
			   what, id);
}

#define IN(v, n) ((v) >= 0 && (size_t)(v) < (n))
#define IN_OPT(v, n) ((v) == -1 || IN(v, n))

int32_t kpi_add_person(kpi_snapshot *s, const kpi_person *p, mt_error *err)
{
	size_t n = s->people.n;
	if (n && KPI_ROWS(s, people, kpi_person)[n - 1].id >= p->id)
		return bad(err, "person", p->id);
	kpi_person row = *p;
	row.attrs_first = (int32_t)s->attrs.n;
	row.attrs_count = 0;
	return vec_push(s, &s->people, sizeof(row), &row);
}

int32_t kpi_add_membership(kpi_snapshot *s, const kpi_membership *m, mt_error *err)
{
	size_t n = s->memberships.n;
	if ((n && KPI_ROWS(s, memberships, kpi_membership)[n - 1].id >= m->id) ||
	    !IN(m->person, s->people.n))
		return bad(err, "membership", m->id);
	kpi_membership row = *m;
	row.attrs_first = (int32_t)s->attrs.n;
	row.attrs_count = 0;
	row.skills_first = (int32_t)s->skills.n;
	row.skills_count = 0;
	return vec_push(s, &s->memberships, sizeof(row), &row);
}

int32_t kpi_add_pair(kpi_snapshot *s, const kpi_pair *p, mt_error *err)
{
	size_t n = s->pairs.n, nm = s->memberships.n, np = s->people.n;
	if ((n && KPI_ROWS(s, pairs, kpi_pair)[n - 1].id >= p->id) || !IN(p->mentor_ms, nm) ||
	    !IN(p->mentee_ms, nm) || !IN(p->mentor, np) || !IN(p->mentee, np))
		return bad(err, "pair", p->id);
	kpi_pair row = *p;
	row.reasons_first = (int32_t)s->reasons.n;
	row.reasons_count = 0;
	return vec_push(s, &s->pairs, sizeof(row), &row);
}

int32_t kpi_add_session(kpi_snapshot *s, int64_t id, const kpi_session *x, mt_error *err)
{
	size_t n = s->session_ids.n;
	if ((n && ((int64_t *)s->session_ids.items)[n - 1] >= id) || !IN(x->pair, s->pairs.n) ||
	    x->status >= KPI_SESSION_STATUS_COUNT)
		return bad(err, "session", id);
	vec_push(s, &s->session_ids, sizeof(id), &id);
	return vec_push(s, &s->sessions, sizeof(*x), x);
}

/* Grouped by session: G3 counts each goal category once per session. */
static bool topic_ok(const kpi_snapshot *s, const kpi_topic *t, const kpi_topic *prev)
{
	return IN(t->session, s->sessions.n) && IN_OPT(t->goal, s->goals.n) &&
	       (t->goal == -1) != (t->skill == KPI_NO_STR) &&
	       !(prev && prev->session > t->session);
}

static const kpi_topic *last_topic(const kpi_snapshot *s)
{
	return s->topics.n ? &KPI_ROWS(s, topics, kpi_topic)[s->topics.n - 1] : NULL;
}

int32_t kpi_add_topic(kpi_snapshot *s, const kpi_topic *t, mt_error *err)
{
	if (!topic_ok(s, t, last_topic(s)))
		return bad(err, "session topic of session", t->session);
	return vec_push(s, &s->topics, sizeof(*t), t);
}

int kpi_add_topics(kpi_snapshot *s, const kpi_topic *rows, size_t n, mt_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!topic_ok(s, &rows[i], i ? &rows[i - 1] : last_topic(s)))
			return bad(err, "session topic of session", rows[i].session);
	vec_append(s, &s->topics, sizeof(*rows), rows, n);
	return 0;
}

static bool rating_ok(const kpi_snapshot *s, const kpi_rating *r)
{
	return IN(r->session, s->sessions.n) && IN(r->rater, s->people.n) && r->side <= 1 &&
	       (r->comment == KPI_NO_STR || IN(r->comment, (size_t)s->n_strings));
}

int32_t kpi_add_rating(kpi_snapshot *s, const kpi_rating *r, mt_error *err)
{
	if (!rating_ok(s, r))
		return bad(err, "rating", r->id);
	return vec_push(s, &s->ratings, sizeof(*r), r);
}

int kpi_add_ratings(kpi_snapshot *s, const kpi_rating *rows, size_t n, mt_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!rating_ok(s, &rows[i]))
			return bad(err, "rating", rows[i].id);
	vec_append(s, &s->ratings, sizeof(*rows), rows, n);
	return 0;
}

int kpi_adopt_ratings(kpi_snapshot *s, kpi_rating *rows, size_t n, size_t cap, mt_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!rating_ok(s, &rows[i])) {
			int64_t id = rows[i].id;
			free(rows);
			return bad(err, "rating", id);
		}
	if (s->ratings.n) { /* not the first rows: copy them after the others */
		vec_append(s, &s->ratings, sizeof(*rows), rows, n);
		free(rows);
		return 0;
	}
	free(s->ratings.items);
	s->bytes = s->bytes - s->ratings.cap * sizeof(*rows) + cap * sizeof(*rows);
	s->ratings = (kpi_vec){rows, n, cap};
	return 0;
}

static bool checkin_ok(const kpi_snapshot *s, const kpi_checkin *c)
{
	return IN(c->pair, s->pairs.n) && c->side <= 1;
}

int32_t kpi_add_checkin(kpi_snapshot *s, const kpi_checkin *c, mt_error *err)
{
	if (!checkin_ok(s, c))
		return bad(err, "check-in of pair", c->pair);
	return vec_push(s, &s->checkins, sizeof(*c), c);
}

int kpi_add_checkins(kpi_snapshot *s, const kpi_checkin *rows, size_t n, mt_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!checkin_ok(s, &rows[i]))
			return bad(err, "check-in of pair", rows[i].pair);
	vec_append(s, &s->checkins, sizeof(*rows), rows, n);
	return 0;
}

int32_t kpi_add_goal(kpi_snapshot *s, const kpi_goal *g, mt_error *err)
{
	size_t n = s->goals.n;
	if ((n && KPI_ROWS(s, goals, kpi_goal)[n - 1].id >= g->id) ||
	    !IN(g->membership, s->memberships.n) || !IN(g->person, s->people.n) ||
	    !IN_OPT(g->pair, s->pairs.n) || g->category >= KPI_GOAL_CATEGORIES)
		return bad(err, "goal", g->id);
	return vec_push(s, &s->goals, sizeof(*g), g);
}

static bool assessment_ok(const kpi_snapshot *s, const kpi_assessment *a)
{
	return IN(a->pair, s->pairs.n) && IN_OPT(a->goal, s->goals.n) &&
	       (a->goal == -1) != (a->skill == KPI_NO_STR) && a->phase <= KPI_PHASE_END;
}

int32_t kpi_add_assessment(kpi_snapshot *s, const kpi_assessment *a, mt_error *err)
{
	if (!assessment_ok(s, a))
		return bad(err, "assessment", a->id);
	return vec_push(s, &s->assessments, sizeof(*a), a);
}

int kpi_add_assessments(kpi_snapshot *s, const kpi_assessment *rows, size_t n, mt_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!assessment_ok(s, &rows[i]))
			return bad(err, "assessment", rows[i].id);
	vec_append(s, &s->assessments, sizeof(*rows), rows, n);
	return 0;
}

int32_t kpi_add_alert(kpi_snapshot *s, const kpi_alert *a, mt_error *err)
{
	if (a->rule >= KPI_ALERT_RULES || !IN_OPT(a->pair, s->pairs.n) ||
	    !IN_OPT(a->person, s->people.n))
		return bad(err, "alert of rule", a->rule);
	return vec_push(s, &s->alerts, sizeof(*a), a);
}

/* Attributes must directly follow their owner's earlier attributes. */
static int attach_attr(kpi_snapshot *s, int32_t first, int32_t *count, int32_t key,
		       int32_t value, mt_error *err)
{
	if ((size_t)(first + *count) != s->attrs.n || key < 0 || value < 0)
		return bad(err, "attribute of row", first);
	kpi_attr a = {key, value};
	vec_push(s, &s->attrs, sizeof(a), &a);
	(*count)++;
	return 0;
}

int kpi_add_person_attr(kpi_snapshot *s, int32_t key, int32_t value, mt_error *err)
{
	if (!s->people.n)
		return bad(err, "attribute without person", 0);
	kpi_person *p = &KPI_ROWS(s, people, kpi_person)[s->people.n - 1];
	return attach_attr(s, p->attrs_first, &p->attrs_count, key, value, err);
}

int kpi_add_membership_attr(kpi_snapshot *s, int32_t key, int32_t value, mt_error *err)
{
	if (!s->memberships.n)
		return bad(err, "attribute without membership", 0);
	kpi_membership *m = &KPI_ROWS(s, memberships, kpi_membership)[s->memberships.n - 1];
	return attach_attr(s, m->attrs_first, &m->attrs_count, key, value, err);
}

int kpi_add_membership_skill(kpi_snapshot *s, int32_t skill, int32_t level, mt_error *err)
{
	if (!s->memberships.n || skill < 0)
		return bad(err, "skill without membership", 0);
	kpi_membership *m = &KPI_ROWS(s, memberships, kpi_membership)[s->memberships.n - 1];
	if ((size_t)(m->skills_first + m->skills_count) != s->skills.n)
		return bad(err, "skill of membership", m->id);
	kpi_member_skill k = {skill, level};
	vec_push(s, &s->skills, sizeof(k), &k);
	m->skills_count++;
	return 0;
}

int kpi_add_pair_reason(kpi_snapshot *s, int32_t component, mt_error *err)
{
	if (!s->pairs.n || component < 0)
		return bad(err, "reason without pair", 0);
	kpi_pair *p = &KPI_ROWS(s, pairs, kpi_pair)[s->pairs.n - 1];
	if ((size_t)(p->reasons_first + p->reasons_count) != s->reasons.n)
		return bad(err, "reason of pair", p->id);
	vec_push(s, &s->reasons, sizeof(component), &component);
	p->reasons_count++;
	return 0;
}

/* ---- lookups --------------------------------------------------------------- */

int32_t kpi_find_id(const void *rows, size_t n, size_t size, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t x;
		memcpy(&x, (const char *)rows + mid * size, sizeof(x));
		if (x < id)
			lo = mid + 1;
		else if (x > id)
			hi = mid;
		else
			return (int32_t)mid;
	}
	return -1;
}

static int32_t find_id(const kpi_vec *v, size_t size, int64_t id)
{
	return kpi_find_id(v->items, v->n, size, id);
}

int32_t kpi_find_person(const kpi_snapshot *s, int64_t id)
{
	return find_id(&s->people, sizeof(kpi_person), id);
}

int32_t kpi_find_membership(const kpi_snapshot *s, int64_t id)
{
	return find_id(&s->memberships, sizeof(kpi_membership), id);
}

int32_t kpi_find_pair(const kpi_snapshot *s, int64_t id)
{
	return find_id(&s->pairs, sizeof(kpi_pair), id);
}

int32_t kpi_find_session(const kpi_snapshot *s, int64_t id)
{
	return find_id(&s->session_ids, sizeof(int64_t), id);
}

int32_t kpi_find_goal(const kpi_snapshot *s, int64_t id)
{
	return find_id(&s->goals, sizeof(kpi_goal), id);
}

int32_t kpi_snapshot_first_day(const kpi_snapshot *s)
{
	int32_t first = KPI_NO_DAY;
#define EARLIER(d)                                                        \
	do {                                                              \
		int32_t d_ = (d);                                         \
		if (d_ != KPI_NO_DAY && (first == KPI_NO_DAY || d_ < first)) \
			first = d_;                                       \
	} while (0)
	for (size_t i = 0; i < s->memberships.n; i++)
		EARLIER(KPI_ROWS(s, memberships, kpi_membership)[i].joined);
	for (size_t i = 0; i < s->pairs.n; i++)
		EARLIER(KPI_ROWS(s, pairs, kpi_pair)[i].proposed);
	for (size_t i = 0; i < s->sessions.n; i++)
		EARLIER(KPI_ROWS(s, sessions, kpi_session)[i].day);
	for (size_t i = 0; i < s->goals.n; i++)
		EARLIER(KPI_ROWS(s, goals, kpi_goal)[i].set_on);
#undef EARLIER
	return first;
}

/* ---- enums ----------------------------------------------------------------- */

static int index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static const char *const member_statuses[] = {"pending", "active", "paused", "left"};
static const char *const pair_statuses[] = {"proposed", "active", "completed", "declined",
					    "ended"};
static const char *const session_statuses[] = {"scheduled", "completed", "cancelled",
					       "no_show"};
static const char *const goal_statuses[] = {"not_started", "in_progress", "achieved",
					    "dropped"};
static const char *const phases[] = {"start", "mid", "end"};
static const char *const alert_rules[] = {"low_rating", "waiting_too_long", "stalled_pair",
					  "no_intro", "over_capacity", "goal_overdue"};

int kpi_parse_member_status(const char *s) { return index_of(member_statuses, 4, s); }
int kpi_parse_pair_status(const char *s) { return index_of(pair_statuses, 5, s); }
int kpi_parse_session_status(const char *s) { return index_of(session_statuses, 4, s); }
int kpi_parse_goal_status(const char *s) { return index_of(goal_statuses, 4, s); }
int kpi_parse_phase(const char *s) { return index_of(phases, 3, s); }
int kpi_parse_alert_rule(const char *s) { return index_of(alert_rules, KPI_ALERT_RULES, s); }

int kpi_parse_goal_category(const char *s)
{
	return index_of((const char *const *)mt_goal_category_names, KPI_GOAL_CATEGORIES, s);
}

const char *kpi_alert_rule_name(int rule)
{
	return rule >= 0 && rule < KPI_ALERT_RULES ? alert_rules[rule] : "unknown";
}

const char *kpi_goal_category_name(int category)
{
	return category >= 0 && category < KPI_GOAL_CATEGORIES ? mt_goal_category_names[category]
							      : "unknown";
}

static const char *const kpi_names[KPI_COUNT] = {
	"R1", "R2", "R3", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "S1",
	"S2", "S3", "S4", "S5", "S6", "G1", "G2", "G3", "G4", "H1",
};

int kpi_id_parse(const char *s)
{
	for (int i = 0; s && i < KPI_COUNT; i++)
		if (strcasecmp(kpi_names[i], s) == 0)
			return i;
	return -1;
}

const char *kpi_id_name(int id)
{
	return id >= 0 && id < KPI_COUNT ? kpi_names[id] : "unknown";
}

/* ---- finishing --------------------------------------------------------------- */

static int cmp_assessment_order(const void *a, const void *b, void *arg)
{
	const kpi_assessment *as = arg;
	const kpi_assessment *x = &as[*(const int32_t *)a], *y = &as[*(const int32_t *)b];
	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	if (x->goal != y->goal)
		return x->goal < y->goal ? -1 : 1;
	if (x->skill != y->skill)
		return x->skill < y->skill ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

void kpi_snapshot_finish(kpi_snapshot *s)
{
	size_t n = s->assessments.n, n_pairs = s->pairs.n;
	const kpi_assessment *as = s->assessments.items;
	int32_t *order = xrealloc(NULL, (n + 1) * sizeof(int32_t));
	free(s->assessment_order);
	s->assessment_order = order;
	s->bytes += (n + 1) * sizeof(int32_t);
	/* Bucket by pair first (a counting sort: a large program has 300 K
	 * assessments over 40 K pairs), then sort each pair's few rows: the same
	 * order as one qsort by the whole key, at a fraction of the comparisons. */
	size_t *start = xrealloc(NULL, (n_pairs + 2) * sizeof(size_t));
	memset(start, 0, (n_pairs + 2) * sizeof(size_t));
	bool bucketed = true;
	for (size_t i = 0; i < n && bucketed; i++)
		if (IN(as[i].pair, n_pairs))
			start[(size_t)as[i].pair + 1]++;
		else
			bucketed = false; /* not from kpi_add_assessment: sort it all */
	if (!bucketed) {
		for (size_t i = 0; i < n; i++)
			order[i] = (int32_t)i;
		qsort_r(order, n, sizeof(int32_t), cmp_assessment_order, s->assessments.items);
		free(start);
		return;
	}
	for (size_t p = 0; p < n_pairs; p++)
		start[p + 1] += start[p];
	size_t *next = xrealloc(NULL, (n_pairs + 1) * sizeof(size_t));
	memcpy(next, start, (n_pairs + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		order[next[as[i].pair]++] = (int32_t)i;
	free(next);
	for (size_t p = 0; p < n_pairs; p++) {
		int32_t *g = order + start[p];
		size_t len = start[p + 1] - start[p];
		if (len > 16) {
			qsort_r(g, len, sizeof(int32_t), cmp_assessment_order, s->assessments.items);
			continue;
		}
		for (size_t i = 1; i < len; i++) { /* insertion sort */
			int32_t x = g[i];
			size_t j = i;
			while (j > 0 && cmp_assessment_order(&g[j - 1], &x, s->assessments.items) > 0) {
				g[j] = g[j - 1];
				j--;
			}
			g[j] = x;
		}
	}
	free(start);
}
