/* auth.c - see auth.h. */
#include "http/auth.h"

#include <string.h>

#include "lib/secret.h"
#include "lib/timeutil.h"

/* Find "name=value" in a Cookie header; returns a copy in the arena. */
static const char *cookie_value(mt_req *r, const char *name)
{
	const char *h = req_header(r, "Cookie");
	size_t n = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		if (strncmp(h, name, n) == 0 && h[n] == '=') {
			const char *v = h + n + 1, *end = strchr(v, ';');
			return arena_strndup(&r->arena, v, end ? (size_t)(end - v) : strlen(v));
		}
		h = strchr(h, ';');
	}
	return NULL;
}

static int identify_bearer(mt_req *r, const char *token, mt_error *err)
{
	char digest[SECRET_DIGEST_LEN];
	secret_digest(token, digest);
	int rc = store_token_lookup(r->db, &r->arena, digest, &r->user, err);
	if (rc < 0)
		return -1;
	if (rc == 1 || r->user.disabled)
		return mt_fail(err, 401, "unauthenticated", "", "the API token is not valid");
	r->authed = true;
	r->via_token = true;
	return 0;
}

int auth_identify(mt_req *r, mt_error *err)
{
	const char *authz = req_header(r, "Authorization");
	if (authz && strncmp(authz, "Bearer ", 7) == 0)
		return identify_bearer(r, authz + 7, err);
	const char *cookie = cookie_value(r, AUTH_COOKIE);
	if (!cookie)
		return 0;
	char digest[SECRET_DIGEST_LEN], now[32];
	char *csrf = NULL;
	secret_digest(cookie, digest);
	time_now_iso(now, sizeof(now));
	int rc = store_session_lookup(r->db, &r->arena, digest, now, &r->user, &csrf, err);
	if (rc < 0)
		return -1;
	if (rc == 0 && !r->user.disabled) {
		r->authed = true;
		r->csrf = csrf;
		r->session_hash = arena_strdup(&r->arena, digest);
	}
	return 0;
}

int auth_check_csrf(mt_req *r, mt_error *err)
{
	if (!r->authed || r->via_token)
		return 0;
	if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))
		return 0;
	const char *sent = req_header(r, "X-CSRF-Token");
	if (!sent || !r->csrf || !secret_equal(sent, r->csrf))
		return mt_fail(err, 403, "csrf", "X-CSRF-Token",
			       "missing or wrong X-CSRF-Token header; use the csrf_token from "
			       "POST /api/v1/auth/login or GET /api/v1/auth/me");
	return 0;
}
