/*
 * health.c - see health.h.  One function per rule; each appends the
 * conditions it finds.  Messages name people so that an alert in an email
 * makes sense without opening the application.
 */
#include "domain/health.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

static const char *const rule_names[HEALTH_RULE_COUNT] = {
	"low_rating", "waiting_too_long", "stalled_pair", "no_intro", "over_capacity",
	"goal_overdue",
};

const char *health_rule_name(health_rule r)
{
	return r >= 0 && r < HEALTH_RULE_COUNT ? rule_names[r] : "unknown";
}

int health_rule_from_name(const char *name)
{
	for (int i = 0; name && i < HEALTH_RULE_COUNT; i++)
		if (!strcmp(rule_names[i], name))
			return i;
	return -1;
}

void health_settings_default(health_settings *s)
{
	s->low_rating = HEALTH_LOW_RATING_DEFAULT;
	s->waiting_days = HEALTH_WAITING_DAYS_DEFAULT;
	s->stalled_days = HEALTH_STALLED_DAYS_DEFAULT;
	s->intro_days = HEALTH_INTRO_DAYS_DEFAULT;
	for (int i = 0; i < HEALTH_RULE_COUNT; i++)
		s->enabled[i] = true;
}

static int read_int(json_t *obj, const char *key, int min, int max, int *dst, mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char field[64];
		snprintf(field, sizeof(field), "settings.health.%s", key);
		return mt_invalid(err, field, "%s must be a whole number from %d to %d", field, min,
				  max);
	}
	*dst = (int)json_integer_value(v);
	return 0;
}

static int read_disabled(json_t *h, health_settings *s, mt_error *err)
{
	json_t *list = json_object_get(h, "disabled"), *v;
	size_t i;
	if (!list)
		return 0;
	if (!json_is_array(list))
		return mt_invalid(err, "settings.health.disabled",
				  "settings.health.disabled must be an array of rule names");
	json_array_foreach(list, i, v) {
		int r = health_rule_from_name(json_string_value(v));
		if (r < 0)
			return mt_invalid(err, "settings.health.disabled",
					  "settings.health.disabled: unknown rule %s%s%s; rules are "
					  "low_rating, waiting_too_long, stalled_pair, no_intro, "
					  "over_capacity, goal_overdue",
					  json_is_string(v) ? "\"" : "",
					  json_is_string(v) ? json_string_value(v) : "(not a string)",
					  json_is_string(v) ? "\"" : "");
		s->enabled[r] = false;
	}
	return 0;
}

int health_settings_parse(const char *settings_json, health_settings *out, mt_error *err)
{
	static const char *const known[] = {"low_rating", "waiting_days", "stalled_days",
					    "intro_days", "disabled", NULL};
	health_settings_default(out);
	if (!settings_json || !*settings_json)
		return 0;
	json_t *root = json_loads(settings_json, 0, NULL);
	int rc = 0;
	if (!json_is_object(root)) {
		rc = mt_invalid(err, "settings", "settings must be a JSON object");
		goto out;
	}
	json_t *h = json_object_get(root, "health");
	if (!h)
		goto out;
	if (!json_is_object(h)) {
		rc = mt_invalid(err, "settings.health", "settings.health must be an object");
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(h, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			ok = ok || !strcmp(*k, key);
		if (!ok) {
			rc = mt_invalid(err, "settings.health",
					"settings.health: unknown key \"%s\"; use low_rating, "
					"waiting_days, stalled_days, intro_days or disabled", key);
			goto out;
		}
	}
	if (read_int(h, "low_rating", 1, 4, &out->low_rating, err) < 0 ||
	    read_int(h, "waiting_days", 1, HEALTH_DAYS_MAX, &out->waiting_days, err) < 0 ||
	    read_int(h, "stalled_days", 1, HEALTH_DAYS_MAX, &out->stalled_days, err) < 0 ||
	    read_int(h, "intro_days", 1, HEALTH_DAYS_MAX, &out->intro_days, err) < 0 ||
	    read_disabled(h, out, err) < 0)
		rc = -1;
out:
	json_decref(root);
	return rc;
}

/* ---- evaluation -------------------------------------------------------- */

/*
 * Keys, messages and details are written by hand rather than with printf
 * and jansson: a large program has hundreds of thousands of live
 * conditions, every check recomputes every key, and a first check
 * describes every one.  details must stay byte for byte what
 * json_dumps(JSON_COMPACT | JSON_SORT_KEYS) made of the same object (keys
 * in strcmp order, no spaces), and messages what snprintf made of their
 * format; the unit test compares both.  The strings put in details (dates,
 * "mentor", "mentee") need no escaping.
 *
 * A text is built in its own space and moves to the arena only when it
 * outgrows it (a message quoting long names or a goal's description).
 */
typedef struct text {
	char *buf;
	size_t n, cap;
	mt_arena *a;
	char space[256];
} text;

static void text_init(text *t, mt_arena *a)
{
	t->buf = t->space;
	t->n = 0;
	t->cap = sizeof(t->space);
	t->a = a;
}

static void put_mem(text *t, const char *s, size_t len)
{
	if (len >= t->cap - t->n) {
		size_t cap = 2 * t->cap;
		while (len >= cap - t->n)
			cap *= 2;
		char *buf = arena_alloc(t->a, cap);
		memcpy(buf, t->buf, t->n);
		t->buf = buf;
		t->cap = cap;
	}
	memcpy(t->buf + t->n, s, len);
	t->n += len;
}

static void put_str(text *t, const char *s)
{
	put_mem(t, s, strlen(s));
}

static void put_int(text *t, int64_t v)
{
	char tmp[24];
	size_t k = sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--k] = '-';
	put_mem(t, tmp + k, sizeof(tmp) - k);
}

static void put_day(text *t, int32_t day)
{
	char buf[11];
	validate_date_format(day, buf);
	put_str(t, buf);
}

/* printf for messages, with only %s and %d: the same text as snprintf,
 * without its machinery. */
__attribute__((format(printf, 2, 3))) static void put_fmt(text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p;) {
		const char *pct = strchr(p, '%');
		size_t len = pct ? (size_t)(pct - p) : strlen(p);
		put_mem(t, p, len);
		if (!pct)
			break;
		assert(pct[1] == 's' || pct[1] == 'd');
		if (pct[1] == 's')
			put_str(t, va_arg(ap, const char *));
		else
			put_int(t, va_arg(ap, int));
		p = pct + 2;
	}
	va_end(ap);
}

/* "name":"value" / "name":123, with the separating comma unless first. */
static void json_key(text *t, const char *name)
{
	put_str(t, t->n > 1 ? ",\"" : "\"");
	put_str(t, name);
	put_str(t, "\":");
}

static void json_day(text *t, const char *name, int32_t day)
{
	json_key(t, name);
	put_str(t, "\"");
	put_day(t, day);
	put_str(t, "\"");
}

static void json_text(text *t, const char *name, const char *value)
{
	json_key(t, name);
	put_str(t, "\"");
	put_str(t, value);
	put_str(t, "\"");
}

static void json_int(text *t, const char *name, int64_t v)
{
	json_key(t, name);
	put_int(t, v);
}

static const char *done(mt_arena *a, text *t)
{
	return arena_strndup(a, t->buf, t->n);
}

/* The facts each rule reads and the period it holds since, shared by both
 * steps so the key and the message always agree. */
static bool low_rating_holds(const health_settings *s, const health_rating *r)
{
	return r->score <= s->low_rating;
}

static bool waiting_holds(const health_settings *s, const health_member *m, int32_t today,
			  int32_t *since)
{
	/* A mentor who offers no seat is not waiting for anyone. */
	if (!m->active || m->active_pairs > 0 || (m->mentor && m->capacity <= 0))
		return false;
	*since = m->joined_on;
	if (m->last_pair_end != HEALTH_NO_DAY && m->last_pair_end > *since)
		*since = m->last_pair_end;
	return today - *since >= s->waiting_days;
}

static bool stalled_holds(const health_settings *s, const health_pair *p, int32_t today,
			  int32_t *since, bool *held)
{
	if (p->started_on > today)
		return false;
	*held = p->last_held != HEALTH_NO_DAY && p->last_held > p->started_on;
	*since = *held ? p->last_held : p->started_on;
	return today - *since >= s->stalled_days;
}

static bool no_intro_holds(const health_settings *s, const health_pair *p, int32_t today)
{
	/* An intro held on the last allowed day is in time. */
	return p->first_intro == HEALTH_NO_DAY && today - p->started_on > s->intro_days;
}

static bool over_capacity_holds(const health_member *m)
{
	return m->mentor && m->active_pairs > m->capacity;
}

static bool goal_overdue_holds(const health_goal *g, int32_t today)
{
	return g->target_date != HEALTH_NO_DAY && g->target_date < today;
}

static void key_of(text *t, const char *prefix, int64_t id, const char *period, int32_t day)
{
	t->n = 0;
	put_str(t, prefix);
	put_int(t, id);
	if (period) {
		put_str(t, period);
		put_day(t, day);
	}
}

/*
 * The conditions are found twice, first only counted, so that their array
 * is exactly as long as needed: sized for the worst case it took 25 MB of
 * zeroed memory on the large benchmark, for 10 MB of conditions.
 */
typedef struct cond_list {
	mt_arena *a;
	health_condition *items; /* NULL: count only */
	size_t n;
	text key;
} cond_list;

static health_condition cond(health_rule rule, const char *kind, int64_t subject, int64_t person,
			     int64_t pair, size_t fact)
{
	return (health_condition){.rule = rule,
				  .subject_kind = kind,
				  .subject_id = subject,
				  .person_id = person,
				  .pair_id = pair,
				  .fact = fact};
}

/* Append `c` with its key: prefix, id and, for a rule about a period,
 * `period` and the day it started (NULL period: none). */
static void add(cond_list *l, health_condition c, const char *prefix, int64_t id,
		const char *period, int32_t day)
{
	if (l->items) {
		key_of(&l->key, prefix, id, period, day);
		c.key = done(l->a, &l->key);
		l->items[l->n] = c;
	}
	l->n++;
}

static void find_conditions(cond_list *l, const health_settings *s, const health_facts *f,
			    int32_t today)
{
	int32_t since;
	bool held;
	if (s->enabled[HEALTH_LOW_RATING])
		for (size_t i = 0; i < f->n_ratings; i++) {
			const health_rating *r = &f->ratings[i];
			if (low_rating_holds(s, r))
				add(l,
				    cond(HEALTH_LOW_RATING, "session", r->session_id,
					 r->rater_person_id, r->pair_id, i),
				    "low_rating:rating:", r->id, NULL, 0);
		}
	if (s->enabled[HEALTH_WAITING])
		for (size_t i = 0; i < f->n_members; i++) {
			const health_member *m = &f->members[i];
			if (waiting_holds(s, m, today, &since))
				add(l,
				    cond(HEALTH_WAITING, "membership", m->membership_id,
					 m->person_id, 0, i),
				    "waiting_too_long:membership:", m->membership_id,
				    ":since:", since);
		}
	if (s->enabled[HEALTH_STALLED])
		for (size_t i = 0; i < f->n_pairs; i++) {
			const health_pair *p = &f->pairs[i];
			if (stalled_holds(s, p, today, &since, &held))
				add(l, cond(HEALTH_STALLED, "pair", p->id, 0, p->id, i),
				    "stalled_pair:pair:", p->id, ":since:", since);
		}
	if (s->enabled[HEALTH_NO_INTRO])
		for (size_t i = 0; i < f->n_pairs; i++) {
			const health_pair *p = &f->pairs[i];
			if (no_intro_holds(s, p, today))
				add(l, cond(HEALTH_NO_INTRO, "pair", p->id, 0, p->id, i),
				    "no_intro:pair:", p->id, NULL, 0);
		}
	if (s->enabled[HEALTH_OVER_CAPACITY])
		for (size_t i = 0; i < f->n_members; i++) {
			const health_member *m = &f->members[i];
			if (over_capacity_holds(m))
				add(l,
				    cond(HEALTH_OVER_CAPACITY, "membership", m->membership_id,
					 m->person_id, 0, i),
				    "over_capacity:membership:", m->membership_id, NULL, 0);
		}
	if (s->enabled[HEALTH_GOAL_OVERDUE])
		for (size_t i = 0; i < f->n_goals; i++) {
			const health_goal *g = &f->goals[i];
			if (goal_overdue_holds(g, today))
				add(l,
				    cond(HEALTH_GOAL_OVERDUE, "goal", g->id, g->person_id,
					 g->pair_id, i),
				    "goal_overdue:goal:", g->id, ":target:", g->target_date);
		}
}

void health_conditions(mt_arena *a, const health_settings *s, const health_facts *f, int32_t today,
		       health_condition **out, size_t *n)
{
	cond_list l = {.a = a};
	text_init(&l.key, a);
	find_conditions(&l, s, f, today);
	if (l.n) {
		l.items = arena_calloc(a, l.n, sizeof(*l.items));
		l.n = 0;
		find_conditions(&l, s, f, today);
	}
	*out = l.items;
	*n = l.n;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

void health_describe(mt_arena *a, const health_settings *s, const health_facts *f,
		     int32_t today, health_condition *c)
{
	text m, d;
	char day[11];
	int32_t since = 0;
	bool held = false;
	text_init(&m, a);
	text_init(&d, a);
	put_str(&d, "{");
	switch (c->rule) {
	case HEALTH_LOW_RATING: {
		const health_rating *r = &f->ratings[c->fact];
		validate_date_format(r->held_on, day);
		put_fmt(&m, "%s rated the session of %s %d out of 5 (threshold %d)",
			or_empty(r->rater_name), day, r->score, s->low_rating);
		json_text(&d, "held_on", day);
		json_int(&d, "rater_person_id", r->rater_person_id);
		json_int(&d, "rating_id", r->id);
		json_int(&d, "score", r->score);
		json_int(&d, "session_id", r->session_id);
		json_text(&d, "side", r->by_mentor ? "mentor" : "mentee");
		json_int(&d, "threshold", s->low_rating);
		break;
	}
	case HEALTH_WAITING: {
		const health_member *mb = &f->members[c->fact];
		waiting_holds(s, mb, today, &since);
		validate_date_format(since, day);
		const char *role = mb->mentor ? "mentor" : "mentee";
		int waited = (int)(today - since);
		put_fmt(&m, "%s (%s) has waited %d days for a match since %s (threshold %d days)",
			or_empty(mb->name), role, waited, day, s->waiting_days);
		json_key(&d, "after_earlier_pair");
		put_str(&d, mb->last_pair_end != HEALTH_NO_DAY && mb->last_pair_end > mb->joined_on
				? "true"
				: "false");
		json_int(&d, "days_waiting", waited);
		json_text(&d, "role", role);
		json_text(&d, "since", day);
		json_int(&d, "threshold_days", s->waiting_days);
		break;
	}
	case HEALTH_STALLED: {
		const health_pair *p = &f->pairs[c->fact];
		stalled_holds(s, p, today, &since, &held);
		validate_date_format(since, day);
		int quiet = (int)(today - since);
		put_fmt(&m,
			"The pair %s and %s has held no session for %d days, %s %s "
			"(threshold %d days)",
			or_empty(p->mentor_name), or_empty(p->mentee_name), quiet,
			held ? "since their last one on" : "since it started on", day,
			s->stalled_days);
		json_int(&d, "days_without_session", quiet);
		json_int(&d, "held_sessions", p->held_sessions);
		if (p->last_held != HEALTH_NO_DAY) {
			json_day(&d, "last_session", p->last_held);
		} else {
			json_key(&d, "last_session");
			put_str(&d, "null");
		}
		json_text(&d, "since", day);
		json_day(&d, "started_on", p->started_on);
		json_int(&d, "threshold_days", s->stalled_days);
		break;
	}
	case HEALTH_NO_INTRO: {
		const health_pair *p = &f->pairs[c->fact];
		validate_date_format(p->started_on, day);
		int days = (int)(today - p->started_on);
		put_fmt(&m,
			"The pair %s and %s, matched on %s, has held no introductory session "
			"in %d days (threshold %d days)",
			or_empty(p->mentor_name), or_empty(p->mentee_name), day, days,
			s->intro_days);
		json_int(&d, "days_since_match", days);
		json_int(&d, "held_sessions", p->held_sessions);
		json_text(&d, "started_on", day);
		json_int(&d, "threshold_days", s->intro_days);
		break;
	}
	case HEALTH_OVER_CAPACITY: {
		const health_member *mb = &f->members[c->fact];
		put_fmt(&m, "%s mentors %d active pair%s but offered %d seat%s", or_empty(mb->name),
			mb->active_pairs, mb->active_pairs == 1 ? "" : "s", mb->capacity,
			mb->capacity == 1 ? "" : "s");
		json_int(&d, "active_pairs", mb->active_pairs);
		json_int(&d, "capacity", mb->capacity);
		break;
	}
	case HEALTH_GOAL_OVERDUE: {
		const health_goal *g = &f->goals[c->fact];
		validate_date_format(g->target_date, day);
		int late = (int)(today - g->target_date);
		put_fmt(&m, "%s's goal \"%s\" passed its target date %s %d day%s ago",
			or_empty(g->person_name), or_empty(g->description), day, late,
			late == 1 ? "" : "s");
		json_int(&d, "days_overdue", late);
		json_text(&d, "target_date", day);
		break;
	}
	default:
		break;
	}
	put_str(&d, "}");
	c->message = m.n ? done(a, &m) : NULL; /* NULL for an unknown rule */
	c->details = done(a, &d);
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const health_condition *)x)->key, ((const health_condition *)y)->key);
}

void health_sort(health_condition *c, size_t n)
{
	if (n > 1)
		qsort(c, n, sizeof(*c), by_key);
}

void health_evaluate(mt_arena *a, const health_settings *s, const health_facts *f,
		     int32_t today, health_condition **out, size_t *n)
{
	health_conditions(a, s, f, today, out, n);
	for (size_t i = 0; i < *n; i++)
		health_describe(a, s, f, today, &(*out)[i]);
	health_sort(*out, *n);
}
