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
json_t *store_token_list(db *d, int64_t user_id, mt_error *err);
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
int store_program_add_manager(db *d, int64_t program_id, int64_t user_id, mt_error *err);
/* true when user manages the program (admins are handled by the caller). */
int store_program_is_manager(db *d, int64_t program_id, int64_t user_id, bool *out,
			     mt_error *err);
json_t *store_program_summary(db *d, int64_t program_id, mt_error *err);

/* ---- people ------------------------------------------------------------ */

/* Insert or update by email; resolves manager_email to manager_id when set
 * (the manager must exist).  Returns the id; *created tells which. */
int64_t store_person_upsert(db *d, const mt_person *p, bool *created, mt_error *err);
int store_person_update(db *d, const mt_person *p, mt_error *err);
json_t *store_person_json(db *d, int64_t id, mt_error *err);
json_t *store_person_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
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

#endif
