/* list_filter.c - see list_filter.h. */
#include "http/list_filter.h"

#include <stdio.h>

#include "domain/validate.h"

/* A filter's integer: validate_int's message, but a query parameter that
 * does not parse is a bad request (400), not an invalid body (422). */
static int filter_int(const list_filter *f, const char *v, long *out, mt_error *err)
{
	if (validate_int(f->key, v, f->min, f->max, out, err) < 0) {
		err->status = 400;
		snprintf(err->code, sizeof(err->code), "bad_request");
		return -1;
	}
	return 0;
}

static int filter_add(mt_req *r, query *q, const list_filter *f, const char *v, mt_error *err)
{
	long n;
	switch (f->kind) {
	case LIST_FILTER_TEXT: query_and_text(q, f->fragment, v); return 0;
	case LIST_FILTER_LIKE:
		query_and_text(q, f->fragment, arena_printf(&r->arena, "%%%s%%", v));
		return 0;
	case LIST_FILTER_INT:
		if (filter_int(f, v, &n, err) < 0)
			return -1;
		query_and_int(q, f->fragment, n);
		return 0;
	}
	return mt_internal(err, "filter %s has an unknown kind", f->key);
}

int list_filter_serve(mt_req *r, const list_filter *filters, list_filter_store list, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	query q;
	query_init(&q);
	json_t *page = NULL;
	for (const list_filter *f = filters; f->key; f++) {
		const char *v = req_query(r, f->key);
		if (v && filter_add(r, &q, f, v, err) < 0)
			goto out;
	}
	page = list(r->db, &q, req_query(r, "sort"), limit, offset, err);
out:
	query_release(&q);
	return page ? req_reply(r, 200, page) : -1;
}
