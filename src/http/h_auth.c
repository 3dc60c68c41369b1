/*
 * h_auth.c - sign in and out, the current user, API tokens.
 *
 * Login is throttled per email and per client address: after
 * login_max_failures failures in a row the key is locked for
 * login_lock_seconds and answers 429 without checking the password.
 */
#include "http/handlers.h"

#include <string.h>

#include "domain/role.h"
#include "http/audited.h"
#include "http/auth.h"
#include "lib/jsonutil.h"
#include "lib/secret.h"
#include "lib/timeutil.h"

/* The signed-in user as the UI needs it: who they are and, for managers,
 * which programs they manage (admins manage every program). */
static json_t *user_view(mt_req *r, const mt_user *u, mt_error *err)
{
	json_t *managed = store_program_managed_ids(r->db, u->id, err);
	if (!managed)
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)u->id, "email",
			 u->email, "name", u->name, "role", role_name(u->role), "person_id",
			 u->person_id ? json_integer(u->person_id) : json_null(),
			 "managed_program_ids", managed);
}

static int throttled(mt_req *r, const char *key, int64_t now, mt_error *err)
{
	int64_t left;
	if (store_throttle_locked(r->db, key, now, &left, err) < 0)
		return -1;
	if (left > 0)
		return mt_fail(err, 429, "throttled", "", "too many failed sign-ins; try again in "
							   "%lld seconds", (long long)left);
	return 0;
}

static int record_failure(mt_req *r, const char *email_key, const char *ip_key, int64_t now,
			  mt_error *err)
{
	const mt_config *c = r->cfg;
	if (store_throttle_fail(r->db, email_key, now, c->login_max_failures,
				c->login_lock_seconds, err) < 0 ||
	    store_throttle_fail(r->db, ip_key, now, c->login_max_failures * 4,
				c->login_lock_seconds, err) < 0)
		return -1;
	return mt_fail(err, 401, "bad_credentials", "", "email or password is wrong");
}

static int start_session(mt_req *r, const mt_user *u, mt_error *err)
{
	char token[SECRET_TOKEN_LEN], csrf[SECRET_TOKEN_LEN], digest[SECRET_DIGEST_LEN];
	char expires[32];
	secret_token(token);
	secret_token(csrf);
	secret_digest(token, digest);
	time_format_iso(time_now() + (time_t)r->cfg->session_hours * 3600, expires,
			sizeof(expires));
	if (store_session_create(r->db, digest, csrf, u->id, expires, err) < 0)
		return -1;
	r->set_cookie = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict; "
						"Max-Age=%d%s", AUTH_COOKIE, token,
				     r->cfg->session_hours * 3600,
				     r->cfg->secure_cookies ? "; Secure" : "");
	json_t *user = user_view(r, u, err);
	if (!user)
		return -1;
	json_t *out = json_pack("{s:o, s:s, s:s}", "user", user, "csrf_token", csrf,
				"expires_at", expires);
	return req_reply(r, 200, out);
}

int h_login(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	const char *email = NULL, *password = NULL;
	int rc = -1;
	if (json_get_str(body, "email", true, &email, NULL, err) < 0 ||
	    json_get_str(body, "password", true, &password, NULL, err) < 0)
		goto out;
	char *lower = arena_strdup(&r->arena, email);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	const char *email_key = arena_printf(&r->arena, "email:%s", lower);
	const char *ip_key = arena_printf(&r->arena, "ip:%s", r->remote_ip ? r->remote_ip : "?");
	int64_t now = time_now();
	if (throttled(r, email_key, now, err) < 0 || throttled(r, ip_key, now, err) < 0)
		goto out;
	mt_user u;
	char *hash = NULL;
	int found = store_user_by_email(r->db, &r->arena, lower, &u, &hash, err);
	if (found < 0)
		goto out;
	if (found == 1 || u.disabled || !secret_password_verify(hash, password)) {
		record_failure(r, email_key, ip_key, now, err);
		goto out;
	}
	if (store_throttle_clear(r->db, email_key, err) < 0)
		goto out;
	rc = start_session(r, &u, err);
out:
	json_decref(body);
	return rc;
}

int h_logout(mt_req *r, mt_error *err)
{
	if (r->session_hash && store_session_delete(r->db, r->session_hash, err) < 0)
		return -1;
	r->set_cookie = arena_printf(&r->arena, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
				     AUTH_COOKIE);
	r->status = 204;
	return 0;
}

int h_me(mt_req *r, mt_error *err)
{
	json_t *user = user_view(r, &r->user, err);
	if (!user)
		return -1;
	json_t *out = json_pack("{s:o, s:o, s:b}", "user", user, "csrf_token",
				r->csrf ? json_string(r->csrf) : json_null(), "via_token",
				r->via_token);
	return req_reply(r, 200, out);
}

int h_tokens_list(mt_req *r, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	json_t *page = store_token_list(r->db, r->user.id, req_query(r, "sort"), limit, offset, err);
	return page ? req_reply(r, 200, page) : -1;
}

/* A new API token: its name and the digest stored in place of the token. */
typedef struct new_token {
	const char *name;
	const char *digest;
} new_token;

static int64_t token_insert(mt_req *r, void *row, mt_error *err)
{
	const new_token *t = row;
	return store_token_create(r->db, r->user.id, t->name, t->digest, err);
}

/* The audited image: never the token, which is not stored. */
static json_t *token_describe(const void *row, int64_t id)
{
	const new_token *t = row;
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", t->name);
}

/* Deletes token ids[0] if it is the user's. */
static int64_t token_delete(mt_req *r, void *row, mt_error *err)
{
	(void)row;
	int rc = store_token_delete(r->db, r->ids[0], r->user.id, err);
	if (rc == 1)
		mt_not_found(err, "token %lld not found", (long long)r->ids[0]);
	return rc == 0 ? 0 : -1;
}

static const audited_op token_insert_op = {
	.entity = "api_token", .write = token_insert, .describe = token_describe};
static const audited_op token_delete_op = {
	.entity = "api_token", .write = token_delete, .action = "delete"};

int h_tokens_create(mt_req *r, mt_error *err)
{
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	int rc = -1;
	static const char *const allowed[] = {"name", NULL};
	char token[SECRET_TOKEN_LEN], digest[SECRET_DIGEST_LEN];
	new_token t = {.digest = digest};
	json_t *after;
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "name", true, &t.name, NULL, err) < 0)
		goto out;
	secret_token(token);
	secret_digest(token, digest);
	if (audited_apply(r, &token_insert_op, 0, 0, &t, &after, err) < 0)
		goto out;
	/* The token itself is shown once, here, and never stored. */
	json_object_set_new(after, "token", json_string(token));
	rc = req_reply(r, 201, after);
out:
	json_decref(body);
	return rc;
}

int h_tokens_delete(mt_req *r, mt_error *err)
{
	return audited_write(r, &token_delete_op, 0, r->ids[0], NULL, err);
}
