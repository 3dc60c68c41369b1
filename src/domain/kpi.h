/*
 * kpi.h - the KPI engine: every KPI of the catalogue (R1-R3, P1-P7, S1-S6,
 * G1-G4, H1), each defined once, computed from a snapshot of one program.
 *
 * Why a snapshot: a program of 100,000 people and 1,000,000 sessions must
 * answer all its KPIs in well under one SQL scan.  So the store loads the
 * program's rows once into the compact arrays below (ids as integers, dates
 * as day numbers, strings interned as small integers), the snapshot is
 * cached until the program's data version moves (store/snapshot.h), and
 * kpi_compute() derives every figure from it in a handful of linear passes.
 * The same function serves the API, the exports and the CLI, so two figures
 * can only differ when their filters differ.  docs/metrics.md restates each
 * formula; PRODUCT.md "How the KPIs are counted" is the spec.
 *
 * Pure: no SQL, no I/O, no clock.  A snapshot is built with the kpi_add_*
 * functions (the store's loader and the unit tests use the same ones), is
 * immutable afterwards, and may then be read by many threads at once.
 *
 * Conventions:
 *  - Day numbers are validate.h's (days since 1970-01-01); KPI_NO_DAY marks
 *    an absent date.  Events with a timestamp are cut into days in the
 *    program's time zone by the loader (domain/tzday.h).
 *  - Strings are interned: KPI_NO_STR (-1) means "none".
 *  - References between rows are indices into the snapshot's arrays, never
 *    database ids; the kpi_find_* functions map ids to indices for loaders
 *    (rows are added in ascending id order, so a binary search suffices).
 */
#ifndef MT_KPI_H
#define MT_KPI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

#define KPI_NO_DAY INT32_MIN
#define KPI_NO_STR (-1)
/* A department filter naming a department nobody is in. */
#define KPI_DEPT_NOBODY (-2)

enum kpi_role { KPI_MENTOR = 0, KPI_MENTEE = 1 };

enum kpi_member_status {
	KPI_MS_PENDING = 0, KPI_MS_ACTIVE, KPI_MS_PAUSED, KPI_MS_LEFT
};

enum kpi_pair_status {
	KPI_PAIR_PROPOSED = 0, KPI_PAIR_ACTIVE, KPI_PAIR_COMPLETED, KPI_PAIR_DECLINED,
	KPI_PAIR_ENDED
};

enum kpi_session_kind { KPI_SESSION_REGULAR = 0, KPI_SESSION_INTRO = 1 };

enum kpi_session_status {
	KPI_SESSION_SCHEDULED = 0, KPI_SESSION_COMPLETED, KPI_SESSION_CANCELLED,
	KPI_SESSION_NO_SHOW, KPI_SESSION_STATUS_COUNT
};

/* Goal categories: the order of model.h's mt_goal_category. */
enum { KPI_GOAL_CATEGORIES = 6 };
enum kpi_goal_status {
	KPI_GOAL_NOT_STARTED = 0, KPI_GOAL_IN_PROGRESS, KPI_GOAL_ACHIEVED, KPI_GOAL_DROPPED
};

enum kpi_phase { KPI_PHASE_START = 0, KPI_PHASE_MID, KPI_PHASE_END };

/* Alert rules: the order of migration 0004's CHECK list. */
enum kpi_alert_rule {
	KPI_ALERT_LOW_RATING = 0, KPI_ALERT_WAITING, KPI_ALERT_STALLED, KPI_ALERT_NO_INTRO,
	KPI_ALERT_OVER_CAPACITY, KPI_ALERT_GOAL_OVERDUE, KPI_ALERT_RULES
};

typedef struct kpi_person {
	int64_t id;
	int32_t name;           /* interned */
	int32_t job_title;      /* interned or KPI_NO_STR */
	int32_t department;
	int32_t location;
	int32_t seniority;      /* 1..10; 0 unknown */
	int32_t hire;           /* day or KPI_NO_DAY (counted as hired) */
	int32_t left;           /* day or KPI_NO_DAY */
	int32_t attrs_first;    /* demographics: range in `attrs` */
	int32_t attrs_count;
} kpi_person;

typedef struct kpi_membership {
	int64_t id;
	int32_t person;         /* index */
	uint8_t role;           /* kpi_role */
	uint8_t status;         /* kpi_member_status */
	int16_t capacity;
	int32_t joined;         /* day */
	int32_t left;           /* day or KPI_NO_DAY */
	int32_t attrs_first;    /* questionnaire answers: range in `attrs` */
	int32_t attrs_count;
	int32_t skills_first;   /* range in `skills` */
	int32_t skills_count;
} kpi_membership;

/* One (field, value) of a person's demographics or a membership's answers. */
typedef struct kpi_attr {
	int32_t key;            /* interned field name */
	int32_t value;          /* interned value text */
} kpi_attr;

/* A skill a membership offers (mentor) or wants (mentee). */
typedef struct kpi_member_skill {
	int32_t skill;          /* interned skill name */
	int32_t level;          /* 1..5 */
} kpi_member_skill;

typedef struct kpi_pair {
	int64_t id;
	int32_t mentor_ms, mentee_ms;   /* membership indices */
	int32_t mentor, mentee;         /* person indices */
	uint8_t status;                 /* kpi_pair_status (the current column) */
	int32_t proposed, started, ended;  /* days; started/ended may be KPI_NO_DAY */
	int32_t reasons_first;          /* range in `reasons` */
	int32_t reasons_count;
} kpi_pair;

typedef struct kpi_session {
	int32_t pair;           /* index */
	int32_t day;            /* held_at cut in the program's time zone */
	int16_t minutes;
	uint8_t kind;           /* kpi_session_kind */
	uint8_t status;         /* kpi_session_status */
} kpi_session;

/* A session served a skill (interned name) or a goal (index). */
typedef struct kpi_topic {
	int32_t session;        /* index */
	int32_t skill;          /* interned or KPI_NO_STR */
	int32_t goal;           /* index or -1 */
} kpi_topic;

typedef struct kpi_rating {
	int64_t id;
	int32_t session;        /* index */
	int32_t rater;          /* person index */
	uint8_t side;           /* the rater's side: kpi_role */
	uint8_t score;          /* 1..5 */
	int32_t comment;        /* interned or KPI_NO_STR */
} kpi_rating;

typedef struct kpi_checkin {
	int32_t pair;
	int32_t day;            /* answered_at cut in the program's time zone */
	uint8_t side;
	uint8_t score;
} kpi_checkin;

typedef struct kpi_goal {
	int64_t id;
	int32_t membership;     /* index of the mentee's membership */
	int32_t person;         /* index */
	int32_t pair;           /* index or -1 */
	uint8_t category;       /* 0..5, model.h order */
	uint8_t status;         /* kpi_goal_status */
	int32_t set_on;
	int32_t achieved_on;    /* day or KPI_NO_DAY */
} kpi_goal;

typedef struct kpi_assessment {
	int64_t id;
	int32_t pair;           /* index */
	uint8_t assessor;       /* kpi_role: KPI_MENTEE is a self-assessment */
	uint8_t phase;          /* kpi_phase */
	uint8_t score;
	int32_t skill;          /* interned or KPI_NO_STR */
	int32_t goal;           /* index or -1 */
	int32_t day;
} kpi_assessment;

typedef struct kpi_alert {
	uint8_t rule;           /* kpi_alert_rule */
	int32_t raised;         /* day */
	int32_t resolved;       /* day or KPI_NO_DAY */
	int32_t pair;           /* index or -1 */
	int32_t person;         /* index or -1 */
} kpi_alert;

/* A growable array of fixed-size rows (malloc'd, owned by the snapshot). */
typedef struct kpi_vec {
	void *items;
	size_t n, cap;
} kpi_vec;

typedef struct kpi_snapshot {
	int64_t program_id;
	int64_t data_version;   /* the program's version the rows were read at */
	int32_t program_start;  /* day or KPI_NO_DAY */
	/* H1 success criteria (settings.success; defaults 4 and 6). */
	double success_min_mean_rating;
	int32_t success_min_sessions;

	kpi_vec people, memberships, attrs, skills, pairs, reasons, sessions, session_ids,
		topics, ratings, checkins, goals, assessments, alerts;

	/* Interned strings: text[i] for i in 0..n_strings-1. */
	char **text;
	int32_t n_strings, cap_strings;
	int32_t *hash;          /* open addressing over text indices, -1 empty */
	size_t hash_cap;
	mt_arena text_arena;
	/* Set by kpi_snapshot_finish: assessment indices in G2's order (pair,
	 * goal, skill, day, id), so a request filters instead of sorting. */
	int32_t *assessment_order;
	size_t bytes;           /* approximate memory held, for the cache's budget */
} kpi_snapshot;

/* Typed views of the arrays. */
#define KPI_ROWS(s, vec, type) ((type *)(s)->vec.items)

/* ---- building ----------------------------------------------------------- */

/* A new empty snapshot (criteria at their defaults).  Free with
 * kpi_snapshot_free().  Never NULL (allocation failure aborts). */
kpi_snapshot *kpi_snapshot_new(int64_t program_id);
void kpi_snapshot_free(kpi_snapshot *s);

/* Precompute what every request would otherwise redo (G2's sort order).
 * Optional (kpi_compute sorts itself when absent); call once when the
 * snapshot is complete, before sharing it.  Never fails. */
void kpi_snapshot_finish(kpi_snapshot *s);

/* Make room for this many more rows of the big tables, so a loader that
 * knows its counts fills each array without regrowing it (optional). */
void kpi_snapshot_reserve(kpi_snapshot *s, size_t sessions, size_t topics, size_t ratings,
			  size_t checkins, size_t assessments);

/* Intern `text` (copied); returns its id.  NULL gives KPI_NO_STR. */
int32_t kpi_intern(kpi_snapshot *s, const char *text);
int32_t kpi_intern_len(kpi_snapshot *s, const char *text, size_t len);
/* The id of `text` if interned, else KPI_NO_STR. */
int32_t kpi_string_find(const kpi_snapshot *s, const char *text);
/* The text of an interned id; NULL for KPI_NO_STR. */
const char *kpi_string(const kpi_snapshot *s, int32_t id);

/* Append a row; returns its index, or -1 with err (500) when an id is not
 * greater than the previous row's (rows must come in ascending id order) or
 * a reference is out of range.  The *_first/_count ranges of people,
 * memberships and pairs are filled by the kpi_add_attr/skill/reason calls
 * that follow the row (they attach to the last row added). */
int32_t kpi_add_person(kpi_snapshot *s, const kpi_person *p, mt_error *err);
int32_t kpi_add_membership(kpi_snapshot *s, const kpi_membership *m, mt_error *err);
int32_t kpi_add_pair(kpi_snapshot *s, const kpi_pair *p, mt_error *err);
int32_t kpi_add_session(kpi_snapshot *s, int64_t id, const kpi_session *x, mt_error *err);
int32_t kpi_add_topic(kpi_snapshot *s, const kpi_topic *t, mt_error *err);
int32_t kpi_add_rating(kpi_snapshot *s, const kpi_rating *r, mt_error *err);
int32_t kpi_add_checkin(kpi_snapshot *s, const kpi_checkin *c, mt_error *err);
int32_t kpi_add_goal(kpi_snapshot *s, const kpi_goal *g, mt_error *err);
int32_t kpi_add_assessment(kpi_snapshot *s, const kpi_assessment *a, mt_error *err);
int32_t kpi_add_alert(kpi_snapshot *s, const kpi_alert *a, mt_error *err);
/* Append n rows at once (a loader's bulk path): the checks of the one-row
 * calls, then one copy; 0, or -1 with err and nothing appended. */
int kpi_add_topics(kpi_snapshot *s, const kpi_topic *rows, size_t n, mt_error *err);
int kpi_add_ratings(kpi_snapshot *s, const kpi_rating *rows, size_t n, mt_error *err);
/* kpi_add_ratings that takes over `rows` (malloc'd, room for `cap` rows;
 * freed on failure) instead of copying them when the snapshot has no
 * ratings yet: a loader converts 1.4 M ratings into their final place. */
int kpi_adopt_ratings(kpi_snapshot *s, kpi_rating *rows, size_t n, size_t cap, mt_error *err);
int kpi_add_checkins(kpi_snapshot *s, const kpi_checkin *rows, size_t n, mt_error *err);
int kpi_add_assessments(kpi_snapshot *s, const kpi_assessment *rows, size_t n, mt_error *err);
/* Attach to the last person added (demographics) ... */
int kpi_add_person_attr(kpi_snapshot *s, int32_t key, int32_t value, mt_error *err);
/* ... to the last membership added (questionnaire answers, skills) ... */
int kpi_add_membership_attr(kpi_snapshot *s, int32_t key, int32_t value, mt_error *err);
int kpi_add_membership_skill(kpi_snapshot *s, int32_t skill, int32_t level, mt_error *err);
/* ... to the last pair added (the component of one matching reason). */
int kpi_add_pair_reason(kpi_snapshot *s, int32_t component, mt_error *err);

/* Index of the row with this database id, or -1. */
int32_t kpi_find_person(const kpi_snapshot *s, int64_t id);
int32_t kpi_find_membership(const kpi_snapshot *s, int64_t id);
int32_t kpi_find_pair(const kpi_snapshot *s, int64_t id);
int32_t kpi_find_session(const kpi_snapshot *s, int64_t id);
int32_t kpi_find_goal(const kpi_snapshot *s, int64_t id);
/* Index of the row with `id` among `n` rows of `size` bytes in ascending id
 * order whose first member is an int64 id (binary search); -1 if absent. */
int32_t kpi_find_id(const void *rows, size_t n, size_t size, int64_t id);

/* The earliest day of any membership, pair, session or goal; KPI_NO_DAY
 * when the program has none (the default start of a report). */
int32_t kpi_snapshot_first_day(const kpi_snapshot *s);

/* Enums from the store's text; -1 when unknown. */
int kpi_parse_member_status(const char *s);
int kpi_parse_pair_status(const char *s);
int kpi_parse_session_status(const char *s);
int kpi_parse_goal_status(const char *s);
int kpi_parse_goal_category(const char *s);
int kpi_parse_phase(const char *s);
int kpi_parse_alert_rule(const char *s);
const char *kpi_alert_rule_name(int rule);
const char *kpi_goal_category_name(int category);

/* ---- computing ---------------------------------------------------------- */

/* The KPI ids, in catalogue order. */
enum kpi_id {
	KPI_R1, KPI_R2, KPI_R3,
	KPI_P1, KPI_P2, KPI_P3, KPI_P4, KPI_P5, KPI_P6, KPI_P7,
	KPI_S1, KPI_S2, KPI_S3, KPI_S4, KPI_S5, KPI_S6,
	KPI_G1, KPI_G2, KPI_G3, KPI_G4,
	KPI_H1,
	KPI_COUNT
};
#define KPI_ALL ((1u << KPI_COUNT) - 1u)

/* "R1" -> KPI_R1 (case-insensitive); -1 when unknown. */
int kpi_id_parse(const char *s);
const char *kpi_id_name(int id);
/* The one-sentence definition served with each KPI. */
const char *kpi_definition(int id);

enum kpi_interval { KPI_WEEK = 0, KPI_MONTH = 1 };

typedef struct kpi_filter {
	int32_t from, to;       /* days, both included; T = to; from <= to */
	int32_t department;     /* interned id, KPI_NO_STR for all, KPI_DEPT_NOBODY */
	int interval;           /* P5's series: kpi_interval */
	unsigned kpis;          /* bit mask of 1u << kpi_id to compute */
	bool personal;          /* include personal parts (S3 comments, S5 names,
				   P4's unpaired list); false for viewers */
	/* R3: the fields to break down ("job_title", "department", "location",
	 * "seniority", "demographics.<key>", "answers.<key>"); NULL = all. */
	const char *const *breakdown;
	size_t n_breakdown;
	/* S3: only comments of this side (KPI_MENTOR/KPI_MENTEE), -1 both. */
	int feedback_side;
	int list_limit;         /* S3 comments and P4's unpaired returned; 0 = 100 */
	int top_limit;          /* S5 participants returned; 0 = 10 */
} kpi_filter;

/* A filter over [from, to] with everything else at its default. */
void kpi_filter_init(kpi_filter *f, int32_t from, int32_t to);

/* Every KPI selected by f->kpis as one JSON object keyed by KPI id, each
 * value an object with its figures and "definition".  Ratios are
 * {"numerator", "denominator", "value"} with value null on an empty
 * denominator; means are {"sum", "count", "mean"}.  The caller owns the
 * result.  Fails (NULL, err 422 "from") only when from > to. */
json_t *kpi_compute(const kpi_snapshot *s, const kpi_filter *f, mt_error *err);

/* ---- building blocks, exposed for the unit tests ------------------------ */

/* Median of v[0..n) (sorted in place); the mean of the two middle values
 * for an even count.  n must be > 0. */
double kpi_median_i32(int32_t *v, size_t n);

/* One group of a breakdown. */
typedef struct kpi_group {
	const char *name;
	int64_t count;
} kpi_group;

/* Fold small groups in place (PRODUCT.md "Small groups"): groups of 1-4
 * fold into "other"; while "other" holds 1-4, the smallest remaining group
 * (ties: alphabetically first) folds in too.  Groups of 0 are dropped.
 * Leaves the kept groups in g[0..*n) sorted by count descending then name,
 * and returns the "other" count.  *suppressed is set when the population
 * (sum of counts) is under 5: then *n is 0 and nothing is shown. */
int64_t kpi_fold_groups(kpi_group *g, size_t *n, bool *suppressed);

/* ISO week of a day: *year (ISO year), *week (1..53); returns the day of
 * that week's Monday. */
int32_t kpi_iso_week(int32_t day, int *year, int *week);
/* The first day of the day's month. */
int32_t kpi_month_start(int32_t day);

#endif
