/* import_reply.c - see import_reply.h. */
#include "http/import_reply.h"

#include <string.h>

static json_t *lines_json(const char *const *lines, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(lines[i]));
	return arr;
}

static int reply_problems(mt_req *r, size_t n, json_t *details)
{
	json_t *first = json_array_get(details, 0);
	json_t *body = json_pack("{s:{s:s, s:s, s:n, s:o}}", "error", "code", "invalid_csv",
				 "message", "", "field", "details", details);
	char *msg = arena_printf(&r->arena, "%zu problem%s in the CSV file; nothing was imported. "
					    "First: %s", n, n == 1 ? "" : "s",
				 first ? json_string_value(first) : "");
	json_object_set_new(json_object_get(body, "error"), "message", json_string(msg));
	return req_reply(r, 422, body);
}

int import_reply_parse_errors(mt_req *r, const mt_csv_result *rows)
{
	return reply_problems(r, rows->n_errors, lines_json(rows->errors, rows->n_errors));
}

int import_reply(mt_req *r, const mt_csv_result *rows, const import_summary *sum, int rc,
		 mt_error *err)
{
	if (rc == 0) {
		json_t *out = import_summary_json(sum);
		json_object_set_new(out, "warnings", lines_json(rows->warnings, rows->n_warnings));
		return req_reply(r, 200, out);
	}
	if (!sum->n_problems)
		return -1;
	mt_error_clear(err);
	json_t *details = json_array();
	const char *p = sb_str(&sum->problems);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_array_append_new(details, json_stringn(p, len));
		p += len + (nl ? 1 : 0);
	}
	return reply_problems(r, sum->n_problems, details);
}
