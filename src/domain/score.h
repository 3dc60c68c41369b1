/*
 * score.h - compatibility score of a mentor-mentee pair, with reasons.
 *
 * Matching scores every eligible pair of a program (25 million pairs for a
 * program of 10,000 mentees and 2,500 mentors), so scoring works on
 * precomputed per-person features: small integer ids for skills,
 * departments and locations, bitmasks for goal areas and languages, and
 * sorted skill arrays.  score_pair() is the fast path (a few integer
 * operations, no allocation); score_explain() computes the same score
 * through the same code and also says why, one sentence per component, so
 * the reasons always add up to the score.
 *
 * The score is the sum of weighted components (skills, goal areas,
 * seniority, department, location or time zone, language, the mentee's
 * wishes); with the default weights it lies in 0..100.  Hard constraints
 * are not weights: a pair that breaks one is ineligible whatever the
 * weights say (score -1).  Capacity is the solver's business, and the
 * minimum acceptable score (score_weights.min_score) is applied by the
 * caller or the solver, not by score_pair(), so an admin can still see the
 * score of a weak pair.
 *
 * Everything here is pure: no I/O, no clock, no global state.
 */
#ifndef MT_SCORE_H
#define MT_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

enum {
	SCORE_MAX_SKILLS = 16,  /* skills per person kept for scoring */
	SCORE_MAX_WISHES = 8,   /* ranked wishes that earn points */
	SCORE_SENIORITY_SPAN = 3, /* levels away from the preferred gap that still earn points */
};

/* How the program prefers departments. */
typedef enum score_dept_pref {
	SCORE_DEPT_ANY = 0,       /* department earns no points */
	SCORE_DEPT_SAME,          /* points when both are in the same department */
	SCORE_DEPT_DIFFERENT,     /* points when they are in different departments */
} score_dept_pref;

/*
 * Program settings.  score_weights_default() gives:
 *   skills 35, goal_areas 15, seniority 15 (preferred gap 2: the mentor two
 *   levels more senior), department 10 (different departments preferred),
 *   location 10, language 5, wish 10, min_score 20.
 * The weights add up to 100, so a perfect pair scores 100.
 */
typedef struct score_weights {
	int skills;         /* all wanted skills covered by at least 2 levels */
	int goal_areas;     /* mentor helps with every goal area of the mentee */
	int seniority;      /* mentor exactly seniority_gap levels above */
	int seniority_gap;  /* preferred mentor minus mentee seniority, 1..9 */
	int department;     /* department as preferred */
	score_dept_pref department_pref;
	int location;       /* same location; 2/3 within 1 h, 1/3 within 3 h of time zone */
	int language;       /* at least one common language */
	int wish;           /* mentee's first wish; later wishes earn less */
	int min_score;      /* pairs scoring less are not proposed (solver input) */
} score_weights;

/*
 * One skill of a person.  For a mentor, `level` is the level offered; for a
 * mentee it is the mentee's level now, and the mentee wants to grow it, so
 * a mentor covers it when their level is higher: one level above earns
 * half the skill's share, two or more the whole share.
 */
typedef struct score_skill {
	uint16_t skill;      /* index into score_names.skills */
	uint8_t level;       /* 1..5 */
	uint8_t importance;  /* mentees: 1..5, 5 = most important, 0 = 3; mentors: unused */
} score_skill;

/*
 * Scoring features of one participant, built by the caller from the
 * person, the membership and the program's pair history.  The id arrays
 * are borrowed: they must outlive every call that uses the struct.  Zero
 * means "unknown" for seniority, department and location; an unknown
 * feature earns no points and never makes a pair ineligible.
 *
 * Call score_person_prepare() after filling it (and after any change).
 */
typedef struct score_person {
	int64_t id;                 /* person id: identity for every id list */
	int seniority;              /* 1..10, 0 = unknown */
	int32_t department;         /* caller's department index, 0 = unknown */
	int32_t location;           /* caller's location index, 0 = unknown */
	int tz_minutes;             /* UTC offset in minutes, when has_tz */
	bool has_tz;
	uint32_t goal_areas;        /* 1u << mt_goal_category: mentee's goals, mentor's help areas
				     * (other bits are dropped by score_person_prepare) */
	uint32_t languages;         /* 1u << caller's language index (at most 32) */
	uint8_t n_skills;
	score_skill skills[SCORE_MAX_SKILLS]; /* offered (mentor) or wanted (mentee) */

	const int64_t *managers;    /* reporting line upwards: manager, their manager, ... */
	size_t n_managers;
	const int64_t *wishes;      /* mentees: mentor person ids, best first */
	size_t n_wishes;
	const int64_t *avoid;       /* "not this person": person ids */
	size_t n_avoid;
	const int64_t *prior;       /* people paired with before in this program */
	size_t n_prior;

	/* Derived by score_person_prepare(); do not set. */
	uint64_t skill_mask;        /* bloom of skill ids */
	uint64_t id_mask;           /* bloom of every id in the four lists */
	uint32_t importance2;       /* twice the sum of skill importances */
	uint32_t importance_recip;  /* for dividing by importance2 without a division */
	uint64_t levels[4];         /* level of skills 0..63, 4 bits each */
} score_person;

/* Hard constraints; SCORE_OK means the pair may be proposed. */
typedef enum score_rule {
	SCORE_OK = 0,
	SCORE_RULE_SELF,            /* the same person on both sides */
	SCORE_RULE_REPORTING_LINE,  /* mentor is the mentee's manager or above */
	SCORE_RULE_REVERSE_LINE,    /* mentee is the mentor's manager or above */
	SCORE_RULE_PRIOR_PAIR,      /* already paired before in this program */
	SCORE_RULE_MENTEE_AVOIDS,   /* the mentee said "not this person" */
	SCORE_RULE_MENTOR_AVOIDS,   /* the mentor said "not this person" */
} score_rule;

/* Names for sentences.  Any table may be NULL or short: a missing name
 * falls back to "skill 7", "department 3" and so on. */
typedef struct score_names {
	const char *const *skills;
	size_t n_skills;
	const char *const *departments;
	size_t n_departments;
	const char *const *locations;
	size_t n_locations;
	const char *const *languages;   /* by bit index */
	size_t n_languages;
	const char *mentee;             /* person names for constraint errors */
	const char *mentor;
} score_names;

/* One reason: a stable component code, its points, and a sentence. */
typedef struct score_reason {
	const char *component;  /* "skill", "goal_area", "seniority", "department",
				 * "location", "language", "wish" (static strings) */
	int points;             /* > 0; the points of all reasons add up to the score */
	const char *text;       /* owned by the arena given to score_explain() */
} score_reason;

/* Fill `w` with the documented defaults. */
void score_weights_default(score_weights *w);

/* 0 when every weight is in 0..100, the gap in 1..9 and min_score in 0..1000;
 * otherwise -1 with `err` naming the field. */
int score_weights_validate(const score_weights *w, mt_error *err);

/* Sort and de-duplicate skills (clamping levels to 1..5) and compute the
 * derived masks.  Never fails. */
void score_person_prepare(score_person *p);

/* Fast path: the score of `mentor` for `mentee` (>= 0), or -1 when a hard
 * constraint forbids the pair.  Both must be prepared. */
int score_pair(const score_weights *w, const score_person *mentee,
	       const score_person *mentor);

/* score_pair() of one mentee against mentors[0..n_mentors), into scores[]:
 * the same numbers, without a call per pair. */
void score_row(const score_weights *w, const score_person *mentee,
	       const score_person *mentors, size_t n_mentors, int *scores);

/* Which hard constraint the pair breaks, SCORE_OK if none. */
score_rule score_check(const score_person *mentee, const score_person *mentor);

/* Stable code of a rule: "ok", "self", "reporting_line", "reverse_reporting_line",
 * "prior_pair", "mentee_avoids", "mentor_avoids". */
const char *score_rule_code(score_rule rule);

/*
 * For manual pairing: 0 when no hard constraint is broken; otherwise -1
 * with `err` set to status 409, code = score_rule_code(), field "mentor_id"
 * and a sentence naming both people (names->mentee, names->mentor, or
 * "the mentee"/"the mentor" when NULL).
 */
int score_check_error(const score_person *mentee, const score_person *mentor,
		      const score_names *names, mt_error *err);

/*
 * Score the pair as score_pair() does and explain it: *reasons gets an
 * arena array of the components that earned points, in component order
 * (skills in skill-id order), and *n_reasons its length.  Returns the
 * score, or -1 with no reasons when a hard constraint forbids the pair
 * (score_check() says which).  Everything allocated belongs to `arena`.
 */
int score_explain(const score_weights *w, const score_person *mentee,
		  const score_person *mentor, const score_names *names,
		  mt_arena *arena, score_reason **reasons, size_t *n_reasons);

#endif
