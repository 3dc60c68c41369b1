/*
 * health.h - the health monitor's rules: which conditions hold in a program
 * right now, given plain facts and the current day.
 *
 * Why pure: the rules are the part people argue about ("is a pair stalled
 * after 30 days or after 31?"), so they live in one place that unit tests
 * drive with a hand-made clock.  The store loads the facts (store/alert.h),
 * this module decides, and the store reconciles the answer with the alerts
 * table (raise new conditions, auto-resolve cleared ones).
 *
 * Each condition carries a condition key naming its rule, its subject and,
 * for rules about a period, the day the period started
 * ("stalled_pair:pair:42:since:2025-03-04").  At most one unresolved alert
 * exists per key, so a condition is raised once however often it is
 * checked; when the subject's period restarts (a session is held, a
 * participant is paired and unpaired) the key changes and the old alert
 * resolves itself.  docs/alerts.md states every rule exactly.
 *
 * Thresholds come from the program's settings JSON:
 *   {"health": {"low_rating": 2, "waiting_days": 14, "stalled_days": 30,
 *               "intro_days": 14, "disabled": ["over_capacity"]}}
 * Every key is optional; absent keys keep the spec's defaults.
 */
#ifndef MT_HEALTH_H
#define MT_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

typedef enum health_rule {
	HEALTH_LOW_RATING = 0,   /* a held session of an active pair rated <= low_rating */
	HEALTH_WAITING,          /* "waiting_too_long": no active pair for waiting_days */
	HEALTH_STALLED,          /* an active pair without a held session for stalled_days */
	HEALTH_NO_INTRO,         /* no held intro session within intro_days of the match */
	HEALTH_OVER_CAPACITY,    /* a mentor with more active pairs than their capacity */
	HEALTH_GOAL_OVERDUE,     /* an open goal past its target date */
	HEALTH_RULE_COUNT
} health_rule;

/* No date: a day number no real date has. */
#define HEALTH_NO_DAY INT32_MIN

enum {
	HEALTH_LOW_RATING_DEFAULT = 2,
	HEALTH_WAITING_DAYS_DEFAULT = 14,
	HEALTH_STALLED_DAYS_DEFAULT = 30,
	HEALTH_INTRO_DAYS_DEFAULT = 14,
	HEALTH_DAYS_MAX = 3650,
};

typedef struct health_settings {
	int low_rating;     /* 1..4: a rating at or below it is low */
	int waiting_days;   /* 1..3650 */
	int stalled_days;   /* 1..3650 */
	int intro_days;     /* 1..3650 */
	bool enabled[HEALTH_RULE_COUNT];
} health_settings;

/* The rule's stored name (static storage): "low_rating", "waiting_too_long",
 * "stalled_pair", "no_intro", "over_capacity", "goal_overdue". */
const char *health_rule_name(health_rule r);
/* Parse a stored name; -1 when unknown. */
int health_rule_from_name(const char *name);

/* The defaults of the spec, every rule enabled. */
void health_settings_default(health_settings *s);
/* Read settings.health from a program's settings JSON text (NULL or "" gives
 * the defaults).  422 naming the field, e.g. "settings.health.stalled_days:
 * must be a whole number from 1 to 3650". */
int health_settings_parse(const char *settings_json, health_settings *out, mt_error *err);

/* ---- facts ------------------------------------------------------------ */

/* A membership of the program.  Names are for messages only. */
typedef struct health_member {
	int64_t membership_id;
	int64_t person_id;
	const char *name;
	bool mentor;            /* false: mentee */
	bool active;            /* admitted, joined by today and not left */
	int capacity;           /* mentors: seats offered */
	int active_pairs;       /* pairs with status active it is part of */
	int32_t joined_on;      /* day number */
	int32_t last_pair_end;  /* end of its latest started pair, or HEALTH_NO_DAY */
} health_member;

/* An active pair. */
typedef struct health_pair {
	int64_t id;
	int64_t mentor_person_id;
	int64_t mentee_person_id;
	const char *mentor_name;
	const char *mentee_name;
	int32_t started_on;     /* day number */
	int32_t last_held;      /* day of its latest completed session, or HEALTH_NO_DAY */
	int32_t first_intro;    /* day of its first completed intro, or HEALTH_NO_DAY */
	int held_sessions;      /* completed sessions so far (for the message) */
} health_pair;

/* A rating of a completed session of an active pair. */
typedef struct health_rating {
	int64_t id;
	int64_t session_id;
	int64_t pair_id;
	int64_t rater_person_id;
	const char *rater_name;
	bool by_mentor;         /* the rater's side */
	int score;              /* 1..5 */
	int32_t held_on;        /* day of the session */
} health_rating;

/* A goal that is neither achieved nor dropped, of an active membership. */
typedef struct health_goal {
	int64_t id;
	int64_t person_id;
	int64_t pair_id;        /* 0: not tied to a pair */
	const char *person_name;
	const char *description;
	int32_t target_date;    /* day number, or HEALTH_NO_DAY */
} health_goal;

typedef struct health_facts {
	const health_member *members;
	size_t n_members;
	const health_pair *pairs;
	size_t n_pairs;
	const health_rating *ratings;
	size_t n_ratings;
	const health_goal *goals;
	size_t n_goals;
} health_facts;

/* ---- conditions -------------------------------------------------------- */

typedef struct health_condition {
	health_rule rule;
	const char *subject_kind;  /* "membership", "pair", "session" or "goal" */
	int64_t subject_id;
	int64_t person_id;         /* the person concerned, 0 when the subject is a pair */
	int64_t pair_id;           /* 0 when none */
	const char *key;           /* condition key, unique among the conditions */
	const char *message;       /* one sentence for people (NULL until described) */
	const char *details;       /* JSON object text: the figures that tripped it (idem) */
	size_t fact;               /* index of its fact in the rule's array of the facts:
				      ratings, members, pairs or goals */
} health_condition;

/*
 * A check runs in two steps so that the conditions that already have a live
 * alert (nearly all of them, check after check) cost only their key:
 *
 * health_conditions: the conditions that hold on day `today` (a day
 * number) with their rule, subject and key; message and details are NULL,
 * and no name or description of the facts is read (they may be NULL).  In
 * rule order, not sorted.  Never fails: facts that make no sense (a pair
 * starting after today) simply trip nothing.
 *
 * health_describe: fill in the message and details of one of them, from
 * the same settings, facts (now with the names of its fact) and day.
 *
 * health_evaluate does both for every condition and sorts them by key.
 * Everything is allocated in `a`.
 */
void health_conditions(mt_arena *a, const health_settings *s, const health_facts *f,
		       int32_t today, health_condition **out, size_t *n);
void health_describe(mt_arena *a, const health_settings *s, const health_facts *f,
		     int32_t today, health_condition *c);
/* Sort conditions by key (strcmp order). */
void health_sort(health_condition *c, size_t n);
void health_evaluate(mt_arena *a, const health_settings *s, const health_facts *f,
		     int32_t today, health_condition **out, size_t *n);

#endif
