/*
 * request.h - one HTTP request as handlers see it.
 *
 * A request runs start to finish on one worker thread with its own arena
 * (freed when the response is queued) and that thread's database
 * connection.  Handlers read the path parameters, query and body from here
 * and answer by setting `status` and `json` (or `raw` for non-JSON bodies),
 * or by returning -1 with an mt_error, which the dispatcher turns into the
 * one error shape {"error": {"code", "message", "field"}}.
 */
#ifndef MT_REQUEST_H
#define MT_REQUEST_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/config.h"
#include "lib/error.h"
#include "store/db.h"
#include "store/store.h"

struct MHD_Connection;
struct mt_metrics;

typedef struct mt_req {
	mt_arena arena;
	const mt_config *cfg;
	db *db;
	struct MHD_Connection *conn;
	struct mt_metrics *metrics;
	const char *method;
	const char *path;
	const char *remote_ip;

	/* Path parameters: the numeric ids in the route pattern, in order. */
	int64_t ids[2];
	int nids;

	char *body;
	size_t body_len;
	bool body_too_large;

	/* Who is asking.  `authed` is false for anonymous requests. */
	bool authed;
	bool via_token;      /* bearer token: no CSRF check */
	mt_user user;
	const char *csrf;    /* the session's CSRF token */
	const char *session_hash;
	/* Set by the access check: true when the user may see every row of the
	 * resource (staff, program manager); false when lists must be filtered
	 * to the user's own rows. */
	bool sees_all;

	/* The answer. */
	int status;
	json_t *json;
	const char *raw;
	size_t raw_len;
	const char *content_type;
	const char *set_cookie;
	const char *disposition;
	const char *cache_control;
} mt_req;

typedef int (*mt_handler)(mt_req *r, mt_error *err);

/* Query-string value or NULL. */
const char *req_query(mt_req *r, const char *key);
/* Request header or NULL. */
const char *req_header(mt_req *r, const char *key);
/*
 * The parser of integer query parameters: ?key= as a whole number from
 * min to max (max REQ_INT_MAX: no upper bound).  Absent, *present (may be
 * NULL) is false and *out untouched.  Anything else fails with 400
 * bad_request naming `key`, e.g. "pair_id must be a whole number of at
 * least 1; got \"x\"".  Returns 0 or -1.
 */
int req_int(mt_req *r, const char *key, long min, long max, long *out, bool *present,
	    mt_error *err);
/* req_int's max for "no upper bound". */
#define REQ_INT_MAX LONG_MAX
/* The largest ?offset=: half the range, leaving room for offset + limit. */
#define REQ_OFFSET_MAX (LONG_MAX / 2)
/* Parse ?limit= (1..500, default 50) and ?offset= (0..REQ_OFFSET_MAX,
 * default 0) with req_int. */
int req_page(mt_req *r, int64_t *limit, int64_t *offset, mt_error *err);
/* Parse an optional boolean query flag (true/false/1/0). */
int req_flag(mt_req *r, const char *key, bool *out, mt_error *err);
/* Parse the body as a JSON object (400 if not). Caller owns the result. */
json_t *req_json_body(mt_req *r, mt_error *err);
/* The actor for audit rows. */
mt_actor req_actor(const mt_req *r);

/* Answer helpers: take ownership of `json`. */
int req_reply(mt_req *r, int status, json_t *json);

#endif
