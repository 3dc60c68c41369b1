/* request.c - see request.h. */
#include "http/request.h"

#include <microhttpd.h>
#include <string.h>

#include "domain/validate.h"
#include "lib/jsonutil.h"

const char *req_query(mt_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(mt_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, key);
}

int req_int(mt_req *r, const char *key, long min, long max, long *out, bool *present, mt_error *err)
{
	char excerpt[96];
	const char *v = req_query(r, key);
	if (present)
		*present = v != NULL;
	/* validate_int's grammar (the one of CSV files and the CLI), but a
	 * query parameter that does not parse is a bad request (400), and the
	 * message says what the parameter takes. */
	if (!v || validate_int(key, v, min, max, out, err) == 0)
		return 0;
	validate_excerpt(v, excerpt, sizeof(excerpt));
	if (max == REQ_INT_MAX)
		return mt_bad_request(err, key, "%s must be a whole number of at least %ld; got %s",
				      key, min, excerpt);
	return mt_bad_request(err, key, "%s must be a whole number from %ld to %ld; got %s", key,
			      min, max, excerpt);
}

int req_page(mt_req *r, int64_t *limit, int64_t *offset, mt_error *err)
{
	long l = 50, o = 0;
	if (req_int(r, "limit", 1, 500, &l, NULL, err) < 0 ||
	    req_int(r, "offset", 0, REQ_OFFSET_MAX, &o, NULL, err) < 0)
		return -1;
	*limit = l;
	*offset = o;
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
