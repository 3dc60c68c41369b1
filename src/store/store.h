/*
 * store.h - the typed data functions the rest of the code uses.
 *
 * The store is the only code that speaks SQL (through db.h).  Writes take
 * domain structs that are already validated; reads used by the API return
 * JSON objects (the API's own shape), reads used by logic return structs.
 * Every function that writes expects the caller to hold a transaction
 * (db_begin/db_commit) when it is one step of a larger change, and records
 * nothing in the audit log by itself: callers call store_audit in the same
 * transaction.  Functions return 0 / an id, or -1 with err filled.
 */
#ifndef MT_STORE_H
#define MT_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/model.h"
#include "lib/arena.h"
#include "store/db.h"
#include "store/query.h"

/* ---- users, sessions, tokens ------------------------------------------ */

typedef struct mt_user {
	int64_t id;
	const char *email;
	const char *name;
	int role;            /* ROLE_* from domain/role.h */
	int64_t person_id;   /* 0 when the account is not linked to a person */
	bool disabled;
} mt_user;

/* Who did it, for the audit log. */
typedef struct mt_actor {
	int64_t user_id;    /* 0 for the system / CLI */
	const char *name;   /* email of the user, or "cli", "demo" */
} mt_actor;

int64_t store_user_create(db *d, const char *email, const char *name, const char *password_hash,
			  int role, int64_t person_id, mt_error *err);
/* Load by email (for login): fills user and a copy of the hash in `a`.
 * Returns 0, or 1 when no such user, or -1. */
int store_user_by_email(db *d, mt_arena *a, const char *email, mt_user *user, char **hash,
			mt_error *err);
int store_user_get(db *d, mt_arena *a, int64_t id, mt_user *user, mt_error *err);
json_t *store_user_json(db *d, int64_t id, mt_error *err);
json_t *store_user_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			mt_error *err);
int store_user_update(db *d, int64_t id, const char *name, int role, int disabled,
		      const char *password_hash, int64_t person_id, mt_error *err);
int64_t store_user_count(db *d, mt_error *err);

int store_session_create(db *d, const char *token_hash, const char *csrf, int64_t user_id,
			 const char *expires_at, mt_error *err);
/* Returns 0 and fills user + csrf when a live session has this hash, 1 if none. */
int store_session_lookup(db *d, mt_arena *a, const char *token_hash, const char *now,
			 mt_user *user, char **csrf, mt_error *err);
int store_session_delete(db *d, const char *token_hash, mt_error *err);

int64_t store_token_create(db *d, int64_t user_id, const char *name, const char *token_hash,
			   mt_error *err);
int store_token_lookup(db *d, mt_arena *a, const char *token_hash, mt_user *user,
		       mt_error *err);
json_t *store_token_list(db *d, int64_t user_id, const char *sort, int64_t limit,
			int64_t offset, mt_error *err);
/* Deletes the token if it belongs to user_id (any user when user_id is 0). 1 if absent. */
int store_token_delete(db *d, int64_t id, int64_t user_id, mt_error *err);

/* Login throttling: seconds still locked (0 when free). */
int store_throttle_locked(db *d, const char *key, int64_t now, int64_t *seconds_left,
			  mt_error *err);
int store_throttle_fail(db *d, const char *key, int64_t now, int max_failures,
			int lock_seconds, mt_error *err);
int store_throttle_clear(db *d, const char *key, mt_error *err);

/* ---- audit ------------------------------------------------------------- */

/* Record one change; `before` / `after` may be NULL.  Steals neither. */
int store_audit(db *d, const mt_actor *who, const char *action, const char *entity,
		int64_t entity_id, json_t *before, json_t *after, mt_error *err);
json_t *store_audit_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			 mt_error *err);

/* ---- programs ---------------------------------------------------------- */

typedef struct mt_program {
	int64_t id;
	const char *name;
	const char *description;
	const char *start_date;
	const char *end_date;
	const char *status;        /* draft | open | running | closed | archived */
	const char *timezone;
	const char *settings;      /* JSON object text */
	const char *questionnaire; /* JSON array text of field definitions */
} mt_program;

int64_t store_program_create(db *d, const mt_program *p, mt_error *err);
int store_program_update(db *d, const mt_program *p, mt_error *err);
int store_program_get(db *d, mt_arena *a, int64_t id, mt_program *p, mt_error *err);
json_t *store_program_json(db *d, int64_t id, mt_error *err);
json_t *store_program_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			   mt_error *err);
/* Bump the program's data version (KPI caches rebuild); call inside the write tx. */
int store_program_touch(db *d, int64_t program_id, mt_error *err);
/* Bump every program's data version: people feed every program's KPIs
 * (headcount, departments), so a write to people touches them all. */
int store_program_touch_all(db *d, mt_error *err);
/* 0 when the program exists, else -1 with a 404. */
int store_program_exists(db *d, int64_t id, mt_error *err);
int store_program_add_manager(db *d, int64_t program_id, int64_t user_id, mt_error *err);
/* true when user manages the program (admins are handled by the caller). */
int store_program_is_manager(db *d, int64_t program_id, int64_t user_id, bool *out,
			     mt_error *err);
/* Ids of the programs a user is a manager of, ascending (a JSON array). */
json_t *store_program_managed_ids(db *d, int64_t user_id, mt_error *err);
json_t *store_program_summary(db *d, int64_t program_id, mt_error *err);

/* ---- people ------------------------------------------------------------ */

/* Insert or update by email; resolves manager_email to manager_id when set
 * (the manager must exist).  Returns the id; *created tells which. */
int64_t store_person_upsert(db *d, const mt_person *p, bool *created, mt_error *err);
int store_person_update(db *d, const mt_person *p, mt_error *err);
/* Update only the fields whose CSV_PERSON_* bit (domain/csvimport.h) is set
 * in `columns`; manager_id is taken as given when CSV_PERSON_MANAGER is set. */
int store_person_update_columns(db *d, const mt_person *p, unsigned columns, mt_error *err);
/* Insert a new person with manager_id as given (manager_email is ignored);
 * returns the id.  Bulk imports use it with their own email map. */
int64_t store_person_insert(db *d, const mt_person *p, mt_error *err);
/* Call fn(ctx, id, email) for every person. */
int store_person_each_email(db *d, void (*fn)(void *ctx, int64_t id, const char *email),
			    void *ctx, mt_error *err);
json_t *store_person_json(db *d, int64_t id, mt_error *err);
json_t *store_person_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			  mt_error *err);
/* Departments with their head counts, filtered by `q` on "dp." columns. */
json_t *store_department_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			      mt_error *err);
int64_t store_person_id_by_email(db *d, const char *email, mt_error *err); /* 0 if absent */
int store_person_load(db *d, mt_arena *a, int64_t id, mt_person *p, mt_error *err);

/* ---- memberships and skills ------------------------------------------- */

/* Insert or update by (program, person, role); skills replace the old set
 * and unknown skill names join the catalogue.  Returns the id. */
int64_t store_membership_upsert(db *d, const mt_membership *m, bool *created, mt_error *err);
int store_membership_update(db *d, const mt_membership *m, bool replace_skills, mt_error *err);
json_t *store_membership_json(db *d, int64_t id, mt_error *err);
json_t *store_membership_list(db *d, int64_t program_id, query *q, const char *sort,
			      int64_t limit, int64_t offset, mt_error *err);
/* Who owns a membership: person id and program id; 1 when absent. */
int store_membership_owner(db *d, int64_t id, int64_t *person_id, int64_t *program_id,
			   mt_error *err);
int store_membership_load(db *d, mt_arena *a, int64_t id, mt_membership *m, mt_error *err);

int64_t store_skill_ensure(db *d, const char *name, const char *category, bool *created,
			   mt_error *err);
json_t *store_skill_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			 mt_error *err);

/* ---- pairs (issue 3) -------------------------------------------------- */

typedef struct mt_pair {
	int64_t id;
	int64_t program_id;
	int64_t mentor_membership_id;
	int64_t mentee_membership_id;
	int64_t mentor_person_id;
	int64_t mentee_person_id;
	const char *status;     /* proposed | active | completed | declined | ended */
	const char *source;     /* solver | request | manual */
	int score;              /* -1 when unknown */
	const char *reasons;    /* JSON array text */
	bool locked;
	const char *proposed_on;
	const char *started_on;
	const char *ended_on;
	const char *end_reason;
} mt_pair;

int64_t store_pair_create(db *d, const mt_pair *p, int64_t created_by, const char *actor,
			  mt_error *err);
int store_pair_load(db *d, mt_arena *a, int64_t id, mt_pair *p, mt_error *err);
json_t *store_pair_json(db *d, int64_t id, mt_error *err);
json_t *store_pair_list(db *d, int64_t program_id, query *q, const char *sort, int64_t limit,
			int64_t offset, mt_error *err);
/* Move a pair to `status` with dates and reason, recording a pair_events row. */
int store_pair_set_status(db *d, const mt_pair *p, const char *status, const char *date,
			  const char *reason, const char *actor, mt_error *err);
/* Change a proposed pair's mentor, score and reasons (a manual swap). */
int store_pair_swap(db *d, int64_t id, int64_t mentor_membership_id, int64_t mentor_person_id,
		    int score, const char *reasons, mt_error *err);
int store_pair_set_locked(db *d, int64_t id, bool locked, mt_error *err);
json_t *store_pair_events(db *d, int64_t id, mt_error *err);
/* Program, mentor person and mentee person of a pair; 1 when absent. */
int store_pair_people(db *d, int64_t id, int64_t *program_id, int64_t *mentor_person,
		      int64_t *mentee_person, mt_error *err);
/* Count pairs of (mentee person, mentor person) in a program in any state
 * but an unreviewed solver proposal. */
int64_t store_pair_count_between(db *d, int64_t program_id, int64_t mentee_person,
				 int64_t mentor_person, mt_error *err);
/* Active pairs of a membership (as mentor or as mentee). */
int64_t store_pair_active_count(db *d, int64_t membership_id, mt_error *err);
/* The membership of person in program with role ("mentor"/"mentee"); 0 if none. */
int64_t store_membership_find(db *d, int64_t program_id, int64_t person_id, const char *role,
			      mt_error *err);
int store_match_preference_set(db *d, int64_t program_id, int64_t person_id, const char *kind,
			       const int64_t *others, size_t n, mt_error *err);
int store_match_exclusion_add(db *d, int64_t program_id, int64_t mentee_person,
			      int64_t mentor_person, mt_error *err);

/* ---- sessions, ratings, check-ins, goals, assessments (issue 4) ------ */

/* A mentoring session of a pair (store_pair_session_*, not to be confused
 * with sign-in sessions above).  Times are "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
typedef struct mt_session {
	int64_t id;
	int64_t pair_id;
	int64_t program_id;
	const char *held_at;
	int minutes;               /* 1..600 */
	const char *kind;          /* intro | regular */
	const char *status;        /* scheduled | completed | cancelled | no_show */
	const char *notes;         /* private to the pair and its managers; "" when none */
	int64_t created_by;        /* user id, 0 for the system */
	/* Topics: goals of the pair's mentee and catalogue skills it served.
	 * topics_given false on update keeps the old set. */
	const int64_t *goal_ids;
	size_t n_goals;
	const int64_t *skill_ids;
	size_t n_skills;
	bool topics_given;
} mt_session;

/* Insert (with its topics); returns the id. */
int64_t store_pair_session_create(db *d, const mt_session *s, mt_error *err);
/* Update every column but pair/program/creator; replaces topics when given. */
int store_pair_session_update(db *d, const mt_session *s, mt_error *err);
/* Load one session (strings in `a`, no topics); 404 when absent. */
int store_pair_session_load(db *d, mt_arena *a, int64_t id, mt_session *s, mt_error *err);
/* One session as the API shows it, with "topics": [{"goal_id"|"skill_id", "name"}]. */
json_t *store_pair_session_json(db *d, int64_t id, mt_error *err);
/* Page of sessions; filters use the aliases s (sessions) and p (pairs). */
json_t *store_pair_session_list(db *d, query *q, const char *sort, int64_t limit,
				int64_t offset, mt_error *err);
/* The scheduled sessions of every pair `person_id` is in (as mentor or
 * mentee), oldest first: id, held_at, minutes, kind, program, mentor, mentee. */
json_t *store_pair_session_scheduled_for_person(db *d, int64_t person_id, mt_error *err);
/* 0 when every goal id is a goal of mentee membership `membership_id` and
 * every skill id is in the catalogue; 422 naming "topics" otherwise. */
int store_pair_session_check_topics(db *d, int64_t membership_id, const int64_t *goal_ids,
				    size_t n_goals, const int64_t *skill_ids, size_t n_skills,
				    mt_error *err);

typedef struct mt_rating {
	int64_t id;
	int64_t session_id;
	int64_t pair_id;
	int64_t program_id;
	int64_t rater_person_id;
	const char *side;          /* the rater's side: mentor | mentee */
	int score;                 /* 1..5 */
	const char *comment;       /* NULL when none */
} mt_rating;

/* Insert; 409 field "session_id" when this person already rated it. */
int64_t store_rating_create(db *d, const mt_rating *r, mt_error *err);
int store_rating_load(db *d, mt_arena *a, int64_t id, mt_rating *r, mt_error *err);
/* Change score and comment, recording the old and new values in
 * rating_edits by `user_id`. */
int store_rating_update(db *d, const mt_rating *old, int score, const char *comment,
			int64_t user_id, mt_error *err);
/* One rating with its "edits" (oldest first). */
json_t *store_rating_json(db *d, int64_t id, mt_error *err);
/* Page of ratings; aliases ra (ratings) and s (sessions). */
json_t *store_rating_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			  mt_error *err);

typedef struct mt_checkin {
	int64_t id;
	int64_t pair_id;
	int64_t program_id;
	int64_t person_id;
	const char *side;          /* mentor | mentee */
	int score;                 /* 1..5 */
	const char *comment;       /* NULL when none */
	const char *answered_at;   /* UTC timestamp */
} mt_checkin;

int64_t store_checkin_create(db *d, const mt_checkin *c, mt_error *err);
/* The day (YYYY-MM-DD, in `a`) of the person's latest answer for the pair,
 * or NULL when none. */
int store_checkin_last(db *d, mt_arena *a, int64_t pair_id, int64_t person_id,
		       const char **day, mt_error *err);
/* Page of check-ins; alias c. */
json_t *store_checkin_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			   mt_error *err);

typedef struct mt_goal {
	int64_t id;
	int64_t program_id;
	int64_t membership_id;     /* the mentee's membership: the goal's owner */
	int64_t person_id;
	int64_t pair_id;           /* 0: not tied to one pair */
	const char *category;      /* mt_goal_category_names */
	const char *description;
	int64_t skill_id;          /* 0: none */
	const char *target_date;   /* NULL: none */
	const char *status;        /* not_started | in_progress | achieved | dropped */
	const char *achieved_on;   /* set exactly when achieved */
	const char *set_on;
} mt_goal;

int64_t store_goal_create(db *d, const mt_goal *g, mt_error *err);
int store_goal_update(db *d, const mt_goal *g, mt_error *err);
int store_goal_load(db *d, mt_arena *a, int64_t id, mt_goal *g, mt_error *err);
/* One goal with "skill" name, "milestones" and "comments". */
json_t *store_goal_json(db *d, int64_t id, mt_error *err);
/* Page of goals; alias g. */
json_t *store_goal_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			mt_error *err);
/* true when a skill with this id is in the catalogue. */
int store_skill_exists(db *d, int64_t id, bool *out, mt_error *err);

typedef struct mt_milestone {
	int64_t id;
	int64_t goal_id;
	const char *title;
	const char *due_date;      /* NULL: none */
	const char *status;        /* as goals */
	const char *achieved_on;
} mt_milestone;

int64_t store_milestone_create(db *d, const mt_milestone *m, mt_error *err);
int store_milestone_update(db *d, const mt_milestone *m, mt_error *err);
int store_milestone_load(db *d, mt_arena *a, int64_t id, mt_milestone *m, mt_error *err);
json_t *store_milestone_json(db *d, int64_t id, mt_error *err);

int64_t store_goal_comment_create(db *d, int64_t goal_id, int64_t author_person_id,
				  int64_t author_user_id, const char *body, mt_error *err);

typedef struct mt_assessment {
	int64_t id;
	int64_t pair_id;
	int64_t program_id;
	int64_t person_id;         /* the mentee assessed */
	const char *assessor;      /* mentee (self) | mentor (the mentor's view) */
	int64_t skill_id;          /* exactly one of skill_id, goal_id */
	int64_t goal_id;
	const char *phase;         /* start | mid | end */
	int score;
	const char *assessed_on;
	int64_t created_by;
} mt_assessment;

int64_t store_assessment_create(db *d, const mt_assessment *a, mt_error *err);
json_t *store_assessment_json(db *d, int64_t id, mt_error *err);
/* Page of assessments; alias a. */
json_t *store_assessment_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			      mt_error *err);

/* What the mentee of a pair assesses: the skills their membership wants and
 * their goals for this pair (or for no pair in particular, not dropped),
 * each with whether the mentee gave a start and an end score in this pair.
 * Arrays in `a`; the struct is domain/goal.h's assessment_subject. */
struct assessment_subject;
int store_assessment_subjects(db *d, mt_arena *a, const mt_pair *p,
			      struct assessment_subject **out, size_t *n, mt_error *err);

#endif
