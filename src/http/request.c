/* request.c - see request.h. */
#include "http/request.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonutil.h"

const char *req_query(mt_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(mt_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

static int parse_num(const char *key, const char *v, int64_t min, int64_t max, int64_t *out,
		     mt_error *err)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return mt_bad_request(err, key, "%s must be an integer between %lld and %lld",
				      key, (long long)min, (long long)max);
	*out = n;
	return 0;
}

int req_page(mt_req *r, int64_t *limit, int64_t *offset, mt_error *err)
{
	const char *l = req_query(r, "limit"), *o = req_query(r, "offset");
	*limit = 50;
	*offset = 0;
	if (l && parse_num("limit", l, 1, 500, limit, err) < 0)
		return -1;
	if (o && parse_num("offset", o, 0, INT64_MAX / 2, offset, err) < 0)
		return -1;
	return 0;
}

int req_flag(mt_req *r, const char *key, bool *out, mt_error *err)
{
	const char *v = req_query(r, key);
	if (!v)
		return 0;
	if (!strcmp(v, "true") || !strcmp(v, "1") || !*v)
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return mt_bad_request(err, key, "%s must be true or false", key);
	return 0;
}

json_t *req_json_body(mt_req *r, mt_error *err)
{
	return json_parse_object(r->body, r->body_len, err);
}

mt_actor req_actor(const mt_req *r)
{
	return (mt_actor){.user_id = r->user.id, .name = r->user.email};
}

int req_reply(mt_req *r, int status, json_t *json)
{
	r->status = status;
	if (r->json)
		json_decref(r->json);
	r->json = json;
	return 0;
}
