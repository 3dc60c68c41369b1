/*
 * health.c - see health.h.  One function per rule; each appends the
 * conditions it finds.  Messages name people so that an alert in an email
 * makes sense without opening the application.
 */
#include "domain/health.h"

#include <jansson.h>
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

typedef struct cond_list {
	mt_arena *a;
	health_condition *items;
	size_t n, cap;
} cond_list;

static const char *day_text(mt_arena *a, int32_t day)
{
	char buf[11];
	validate_date_format(day, buf);
	return arena_strdup(a, buf);
}

/* Append one condition; `details` is stolen and stored as JSON text. */
static void add(cond_list *l, health_rule rule, const char *kind, int64_t subject, int64_t person,
		int64_t pair, const char *key, const char *message, json_t *details)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		l->items = arena_realloc(l->a, l->items, l->cap * sizeof(*l->items),
					 cap * sizeof(*l->items));
		l->cap = cap;
	}
	char *text = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(details);
	l->items[l->n++] = (health_condition){
		.rule = rule, .subject_kind = kind, .subject_id = subject, .person_id = person,
		.pair_id = pair, .key = key, .message = message,
		.details = arena_strdup(l->a, text ? text : "{}"),
	};
	free(text);
}

static void rule_low_rating(cond_list *l, const health_settings *s, const health_facts *f)
{
	for (size_t i = 0; i < f->n_ratings; i++) {
		const health_rating *r = &f->ratings[i];
		if (r->score > s->low_rating)
			continue;
		const char *held = day_text(l->a, r->held_on);
		add(l, HEALTH_LOW_RATING, "session", r->session_id, r->rater_person_id, r->pair_id,
		    arena_printf(l->a, "low_rating:rating:%lld", (long long)r->id),
		    arena_printf(l->a, "%s rated the session of %s %d out of 5 (threshold %d)",
				 r->rater_name, held, r->score, s->low_rating),
		    json_pack("{s:I, s:I, s:I, s:s, s:i, s:i, s:s}", "rating_id", (json_int_t)r->id,
			      "session_id", (json_int_t)r->session_id, "rater_person_id",
			      (json_int_t)r->rater_person_id, "side",
			      r->by_mentor ? "mentor" : "mentee", "score", r->score, "threshold",
			      s->low_rating, "held_on", held));
	}
}

static void rule_waiting(cond_list *l, const health_settings *s, const health_facts *f,
			 int32_t today)
{
	for (size_t i = 0; i < f->n_members; i++) {
		const health_member *m = &f->members[i];
		/* A mentor who offers no seat is not waiting for anyone. */
		if (!m->active || m->active_pairs > 0 || (m->mentor && m->capacity <= 0))
			continue;
		int32_t since = m->joined_on;
		if (m->last_pair_end != HEALTH_NO_DAY && m->last_pair_end > since)
			since = m->last_pair_end;
		int32_t waited = today - since;
		if (waited < s->waiting_days)
			continue;
		const char *since_text = day_text(l->a, since);
		const char *role = m->mentor ? "mentor" : "mentee";
		add(l, HEALTH_WAITING, "membership", m->membership_id, m->person_id, 0,
		    arena_printf(l->a, "waiting_too_long:membership:%lld:since:%s",
				 (long long)m->membership_id, since_text),
		    arena_printf(l->a, "%s (%s) has waited %d days for a match since %s "
				       "(threshold %d days)",
				 m->name, role, (int)waited, since_text, s->waiting_days),
		    json_pack("{s:s, s:s, s:i, s:i, s:b}", "role", role, "since", since_text,
			      "days_waiting", (int)waited, "threshold_days", s->waiting_days,
			      "after_earlier_pair", m->last_pair_end != HEALTH_NO_DAY &&
						    m->last_pair_end > m->joined_on));
	}
}

static void rule_stalled(cond_list *l, const health_settings *s, const health_facts *f,
			 int32_t today)
{
	for (size_t i = 0; i < f->n_pairs; i++) {
		const health_pair *p = &f->pairs[i];
		if (p->started_on > today)
			continue;
		bool held = p->last_held != HEALTH_NO_DAY && p->last_held > p->started_on;
		int32_t since = held ? p->last_held : p->started_on;
		int32_t quiet = today - since;
		if (quiet < s->stalled_days)
			continue;
		const char *since_text = day_text(l->a, since);
		add(l, HEALTH_STALLED, "pair", p->id, 0, p->id,
		    arena_printf(l->a, "stalled_pair:pair:%lld:since:%s", (long long)p->id,
				 since_text),
		    arena_printf(l->a, "The pair %s and %s has held no session for %d days, %s %s "
				       "(threshold %d days)",
				 p->mentor_name, p->mentee_name, (int)quiet,
				 held ? "since their last one on" : "since it started on", since_text,
				 s->stalled_days),
		    json_pack("{s:s, s:s, s:o, s:i, s:i, s:i}", "started_on",
			      day_text(l->a, p->started_on), "since", since_text, "last_session",
			      p->last_held != HEALTH_NO_DAY
				      ? json_string(day_text(l->a, p->last_held)) : json_null(),
			      "days_without_session", (int)quiet, "held_sessions", p->held_sessions,
			      "threshold_days", s->stalled_days));
	}
}

static void rule_no_intro(cond_list *l, const health_settings *s, const health_facts *f,
			  int32_t today)
{
	for (size_t i = 0; i < f->n_pairs; i++) {
		const health_pair *p = &f->pairs[i];
		/* An intro held on the last allowed day is in time. */
		if (p->first_intro != HEALTH_NO_DAY || today - p->started_on <= s->intro_days)
			continue;
		const char *start = day_text(l->a, p->started_on);
		int32_t days = today - p->started_on;
		add(l, HEALTH_NO_INTRO, "pair", p->id, 0, p->id,
		    arena_printf(l->a, "no_intro:pair:%lld", (long long)p->id),
		    arena_printf(l->a, "The pair %s and %s, matched on %s, has held no "
				       "introductory session in %d days (threshold %d days)",
				 p->mentor_name, p->mentee_name, start, (int)days, s->intro_days),
		    json_pack("{s:s, s:i, s:i, s:i}", "started_on", start, "days_since_match",
			      (int)days, "held_sessions", p->held_sessions, "threshold_days",
			      s->intro_days));
	}
}

static void rule_over_capacity(cond_list *l, const health_facts *f)
{
	for (size_t i = 0; i < f->n_members; i++) {
		const health_member *m = &f->members[i];
		if (!m->mentor || m->active_pairs <= m->capacity)
			continue;
		add(l, HEALTH_OVER_CAPACITY, "membership", m->membership_id, m->person_id, 0,
		    arena_printf(l->a, "over_capacity:membership:%lld", (long long)m->membership_id),
		    arena_printf(l->a, "%s mentors %d active pair%s but offered %d seat%s", m->name,
				 m->active_pairs, m->active_pairs == 1 ? "" : "s", m->capacity,
				 m->capacity == 1 ? "" : "s"),
		    json_pack("{s:i, s:i}", "active_pairs", m->active_pairs, "capacity",
			      m->capacity));
	}
}

static void rule_goal_overdue(cond_list *l, const health_facts *f, int32_t today)
{
	for (size_t i = 0; i < f->n_goals; i++) {
		const health_goal *g = &f->goals[i];
		if (g->target_date == HEALTH_NO_DAY || g->target_date >= today)
			continue;
		const char *target = day_text(l->a, g->target_date);
		int32_t late = today - g->target_date;
		add(l, HEALTH_GOAL_OVERDUE, "goal", g->id, g->person_id, g->pair_id,
		    arena_printf(l->a, "goal_overdue:goal:%lld:target:%s", (long long)g->id, target),
		    arena_printf(l->a, "%s's goal \"%s\" passed its target date %s %d day%s ago",
				 g->person_name, g->description, target, (int)late,
				 late == 1 ? "" : "s"),
		    json_pack("{s:s, s:i}", "target_date", target, "days_overdue", (int)late));
	}
}

static int by_key(const void *x, const void *y)
{
	return strcmp(((const health_condition *)x)->key, ((const health_condition *)y)->key);
}

void health_evaluate(mt_arena *a, const health_settings *s, const health_facts *f,
		     int32_t today, health_condition **out, size_t *n)
{
	cond_list l = {.a = a};
	if (s->enabled[HEALTH_LOW_RATING])
		rule_low_rating(&l, s, f);
	if (s->enabled[HEALTH_WAITING])
		rule_waiting(&l, s, f, today);
	if (s->enabled[HEALTH_STALLED])
		rule_stalled(&l, s, f, today);
	if (s->enabled[HEALTH_NO_INTRO])
		rule_no_intro(&l, s, f, today);
	if (s->enabled[HEALTH_OVER_CAPACITY])
		rule_over_capacity(&l, f);
	if (s->enabled[HEALTH_GOAL_OVERDUE])
		rule_goal_overdue(&l, f, today);
	if (l.n > 1)
		qsort(l.items, l.n, sizeof(*l.items), by_key);
	*out = l.items;
	*n = l.n;
}
