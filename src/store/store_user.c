/*
 * store_user.c - accounts, login sessions, API tokens and login throttling.
 *
 * Secrets never reach the database: sessions and tokens are stored as hashes
 * of the random value the client holds, passwords as Argon2id strings.
 */
#include "store/store.h"

#include <string.h>

#include "domain/role.h"
#include "lib/timeutil.h"

#define USER_COLUMNS "u.id, u.email, u.name, u.role, COALESCE(u.person_id, 0), u.disabled"

static void user_from_row(db_stmt *st, mt_arena *a, mt_user *u)
{
	u->id = db_col_int(st, 0);
	u->email = arena_strdup(a, db_col_text(st, 1));
	u->name = arena_strdup(a, db_col_text(st, 2));
	u->role = role_from_name(db_col_text(st, 3));
	u->person_id = db_col_int(st, 4);
	u->disabled = db_col_int(st, 5) != 0;
}

int64_t store_user_create(db *d, const char *email, const char *name, const char *password_hash,
			  int role, int64_t person_id, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO users (email, name, password_hash, role, person_id, "
				    "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, password_hash);
	db_bind_text(st, 4, role_name(role));
	db_bind_opt_int(st, 5, person_id > 0, person_id);
	db_bind_text(st, 6, now);
	int64_t id = -1;
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	else if (rc < 0 && err->status == 409)
		mt_conflict(err, "email", "a user with email %s already exists", email);
	db_finalize(st);
	return id;
}

int store_user_by_email(db *d, mt_arena *a, const char *email, mt_user *user, char **hash,
			mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLUMNS ", u.password_hash FROM users u "
				    "WHERE u.email = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, email);
	int rc = db_step(st, err);
	if (rc == DB_ROW) {
		user_from_row(st, a, user);
		*hash = arena_strdup(a, db_col_text(st, 6));
	}
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

int store_user_get(db *d, mt_arena *a, int64_t id, mt_user *user, mt_error *err)
{
	db_stmt *st = query_step_by_id(d, "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1",
				       id, "user", err);
	if (!st)
		return -1;
	user_from_row(st, a, user);
	db_finalize(st);
	return 0;
}

#define USER_JSON_COLUMNS                                                                   \
	"u.id, u.email, u.name, u.role, u.person_id, u.disabled AS disabled_bool, u.created_at"

json_t *store_user_json(db *d, int64_t id, mt_error *err)
{
	return query_by_id(d, "SELECT " USER_JSON_COLUMNS " FROM users u WHERE u.id = $1",
			  id, "user", err);
}

json_t *store_user_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "u.id"}, {"email", "u.email"}, {"name", "u.name"},
		{"role", "u.role"}, {"created_at", "u.created_at"}, {NULL, NULL},
	};
	return query_page(d, USER_JSON_COLUMNS, "users u", q, sorts, sort, limit, offset, err);
}

int store_user_update(db *d, int64_t id, const char *name, int role, int disabled,
		      const char *password_hash, int64_t person_id, mt_error *err)
{
	/* NULL / 0 / -1 mean "leave as is"; person_id -1 unlinks. */
	db_stmt *st = db_prepare(d,
		"UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role), "
		"disabled = COALESCE($4, disabled), password_hash = COALESCE($5, password_hash), "
		"person_id = CASE WHEN $6 = 0 THEN person_id WHEN $6 < 0 THEN NULL ELSE $6 END "
		"WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, role ? role_name(role) : NULL);
	db_bind_opt_int(st, 4, disabled >= 0, disabled);
	db_bind_text(st, 5, password_hash);
	db_bind_int(st, 6, person_id);
	if (db_step_done(st, err) < 0)
		return -1;
	if (db_changes(d) == 0)
		return mt_not_found(err, "user %lld not found", (long long)id);
	return 0;
}

int64_t store_user_count(db *d, mt_error *err)
{
	int64_t n;
	return db_query_int(d, "SELECT COUNT(*) FROM users", &n, 0, err) < 0 ? -1 : n;
}

int store_session_create(db *d, const char *token_hash, const char *csrf, int64_t user_id,
			 const char *expires_at, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO auth_sessions (token_hash, csrf_token, user_id, "
				    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, csrf);
	db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, expires_at);
	return db_step_done(st, err);
}

int store_session_lookup(db *d, mt_arena *a, const char *token_hash, const char *now,
			 mt_user *user, char **csrf, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLUMNS ", s.csrf_token FROM auth_sessions s "
				    "JOIN users u ON u.id = s.user_id "
				    "WHERE s.token_hash = $1 AND s.expires_at > $2", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	db_bind_text(st, 2, now);
	int rc = db_step(st, err);
	if (rc == DB_ROW) {
		user_from_row(st, a, user);
		*csrf = arena_strdup(a, db_col_text(st, 6));
	}
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

int store_session_delete(db *d, const char *token_hash, mt_error *err)
{
	db_stmt *st = db_prepare(d, "DELETE FROM auth_sessions WHERE token_hash = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	return db_step_done(st, err);
}

int64_t store_token_create(db *d, int64_t user_id, const char *name, const char *token_hash,
			   mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
				    "VALUES ($1, $2, $3, $4) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, token_hash);
	db_bind_text(st, 4, now);
	return db_step_int(st, err);
}

int store_token_lookup(db *d, mt_arena *a, const char *token_hash, mt_user *user,
		       mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT " USER_COLUMNS " FROM api_tokens t "
				    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		user_from_row(st, a, user);
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

json_t *store_token_list(db *d, int64_t user_id, const char *sort, int64_t limit,
			int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "t.id"}, {"name", "t.name"}, {"created_at", "t.created_at"},
		{"last_used_at", "t.last_used_at"}, {NULL, NULL},
	};
	query q;
	query_init(&q);
	query_and_int(&q, "t.user_id = $?", user_id);
	json_t *page = query_page(d, "t.id, t.name, t.created_at, t.last_used_at", "api_tokens t",
				  &q, sorts, sort, limit, offset, err);
	query_release(&q);
	return page;
}

int store_token_delete(db *d, int64_t id, int64_t user_id, mt_error *err)
{
	if (db_run_ints(d, "DELETE FROM api_tokens WHERE id = $1 AND ($2 = 0 OR user_id = $2)", 2,
			(const int64_t[]){id, user_id}, err) < 0)
		return -1;
	return db_changes(d) ? 0 : 1;
}

int store_throttle_locked(db *d, const char *key, int64_t now, int64_t *seconds_left,
			  mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT COALESCE(locked_until, 0) FROM login_throttle "
				    "WHERE key = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	int rc = db_step(st, err);
	*seconds_left = 0;
	if (rc == DB_ROW) {
		int64_t until = db_col_int(st, 0);
		if (until > now)
			*seconds_left = until - now;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int store_throttle_fail(db *d, const char *key, int64_t now, int max_failures,
			int lock_seconds, mt_error *err)
{
	/* locked_until holds epoch seconds; a lock-out resets the count. */
	db_stmt *st = db_prepare(d,
		"INSERT INTO login_throttle (key, failures, locked_until) VALUES ($1, 1, NULL) "
		"ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	if (db_step_done(st, err) < 0)
		return -1;
	st = db_prepare(d, "UPDATE login_throttle SET locked_until = $2, failures = 0 "
			   "WHERE key = $1 AND failures >= $3", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now + lock_seconds);
	db_bind_int(st, 3, max_failures);
	return db_step_done(st, err);
}

int store_throttle_clear(db *d, const char *key, mt_error *err)
{
	db_stmt *st = db_prepare(d, "DELETE FROM login_throttle WHERE key = $1", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	return db_step_done(st, err);
}
