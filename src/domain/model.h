/*
 * model.h - the plain structs the domain works on.
 *
 * These carry data between the edges (CSV, JSON, the store) and the domain.
 * Strings are owned by whoever owns the struct, usually a request or import
 * arena.  Dates are "YYYY-MM-DD" strings at the edges; NULL means "not set".
 */
#ifndef MT_MODEL_H
#define MT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mt_role { MT_ROLE_MENTOR = 1, MT_ROLE_MENTEE = 2 } mt_role;

/* Goal categories, shared by goals, membership goal areas and G4. */
typedef enum mt_goal_category {
	MT_GOAL_NEW_SKILL = 0,
	MT_GOAL_PROMOTION,
	MT_GOAL_PERFORMANCE,
	MT_GOAL_ENGAGEMENT,     /* satisfaction or engagement */
	MT_GOAL_CERTIFICATION,  /* certification or training */
	MT_GOAL_OTHER,
	MT_GOAL_CATEGORY_COUNT
} mt_goal_category;

/* Canonical names: "new_skill", "promotion", "performance", "engagement",
 * "certification", "other". */
extern const char *const mt_goal_category_names[MT_GOAL_CATEGORY_COUNT];

enum { MT_SENIORITY_MIN = 1, MT_SENIORITY_MAX = 10, MT_LEVEL_MIN = 1, MT_LEVEL_MAX = 5,
       MT_CAPACITY_MAX = 20 };

typedef struct mt_person {
	int64_t id;
	const char *name;
	const char *email;          /* unique, stored lower-case */
	const char *job_title;
	const char *department;
	const char *location;
	const char *timezone;       /* IANA name, optional */
	const char *languages;      /* comma-separated, optional */
	int seniority;              /* 1..10, 0 = unknown */
	const char *manager_email;  /* resolved to manager_id by the store */
	int64_t manager_id;         /* 0 = none */
	const char *hire_date;      /* YYYY-MM-DD or NULL */
	const char *left_date;      /* YYYY-MM-DD or NULL: left the company */
	const char *demographics;   /* JSON object text, e.g. {"gender":"f"}, or NULL */
	bool opt_in;
} mt_person;

typedef struct mt_skill_level {
	const char *skill;  /* catalogue name, as written by the user */
	int level;          /* 1..5 */
} mt_skill_level;

typedef struct mt_membership {
	int64_t id;
	int64_t program_id;
	int64_t person_id;
	const char *email;          /* person's email, for imports */
	mt_role role;
	const char *status;         /* pending | active | paused | left */
	int capacity;               /* mentors: mentees they will take (1..20) */
	mt_skill_level *skills;     /* offered (mentor) or wanted (mentee) */
	size_t n_skills;
	unsigned goal_areas;        /* bitmask of 1u << mt_goal_category */
	const char *goals;          /* free text */
	int years_experience;       /* -1 = unknown */
	const char *answers;        /* JSON object text of questionnaire answers, or NULL */
	const char *joined_on;      /* YYYY-MM-DD */
	const char *left_on;        /* YYYY-MM-DD or NULL */
} mt_membership;

#endif
