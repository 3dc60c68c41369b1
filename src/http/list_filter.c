/* list_filter.c - see list_filter.h. */
#include "http/list_filter.h"

#include <stdio.h>

#include "domain/validate.h"

/* ?from= is the day itself; ?to= includes its day, so the condition
 * (column < $?) takes the day after it. */
static int filter_day(mt_req *r, query *q, const list_filter *f, const char *v, mt_error *err)
{
	int32_t days;
	char day[11];
	if (validate_date(&r->arena, f->key, v, NULL, &days, err) < 0) {
		/* validate_date's message, but a query parameter: 400. */
		err->status = 400;
		snprintf(err->code, sizeof(err->code), "bad_request");
		return -1;
	}
	validate_date_format(f->kind == LIST_FILTER_TO ? days + 1 : days, day);
	query_and_text(q, f->fragment, arena_strdup(&r->arena, day));
	return 0;
}

/* The condition of query parameter f->key, given as v. */
static int filter_value(mt_req *r, query *q, const list_filter *f, const char *v, mt_error *err)
{
	long n;
	bool on = false;
	switch (f->kind) {
	case LIST_FILTER_TEXT: query_and_text(q, f->fragment, v); return 0;
	case LIST_FILTER_LIKE:
		query_and_text(q, f->fragment, arena_printf(&r->arena, "%%%s%%", v));
		return 0;
	case LIST_FILTER_INT:
		if (req_int(r, f->key, f->min, f->max, &n, NULL, err) < 0)
			return -1;
		query_and_int(q, f->fragment, n);
		return 0;
	case LIST_FILTER_ENUM: query_and_enum(q, f->fragment, f->key, v, f->allowed); return 0;
	case LIST_FILTER_FLAG:
		if (req_flag(r, f->key, &on, err) < 0)
			return -1;
		if (on)
			query_and(q, f->fragment);
		return 0;
	case LIST_FILTER_FROM:
	case LIST_FILTER_TO: return filter_day(r, q, f, v, err);
	case LIST_FILTER_CHECK:
		if (!f->valid(v))
			return mt_bad_request(err, f->key, "%s", f->message);
		query_and_text(q, f->fragment, v);
		return 0;
	case LIST_FILTER_FUNC: return f->add(r, q, v, err);
	case LIST_FILTER_PATH:
	case LIST_FILTER_OWN: break; /* no parameter: see filter_add */
	}
	return mt_internal(err, "filter %s has an unknown kind", f->key);
}

static int filter_add(mt_req *r, query *q, const list_filter *f, mt_error *err)
{
	const char *v;
	switch (f->kind) {
	case LIST_FILTER_PATH: query_and_int(q, f->fragment, r->ids[0]); return 0;
	case LIST_FILTER_OWN:
		if (!r->sees_all)
			query_and_int(q, f->fragment, r->user.person_id);
		return 0;
	default: v = req_query(r, f->key); return v ? filter_value(r, q, f, v, err) : 0;
	}
}

int list_filter_begin(mt_req *r, const list_filter *filters, list_query *l, mt_error *err)
{
	query_init(&l->q);
	l->sort = req_query(r, "sort");
	if (req_page(r, &l->limit, &l->offset, err) < 0)
		goto fail;
	for (const list_filter *f = filters; f->key || f->fragment; f++)
		if (filter_add(r, &l->q, f, err) < 0)
			goto fail;
	return 0;
fail:
	query_release(&l->q);
	return -1;
}

int list_filter_reply(mt_req *r, list_query *l, json_t *page)
{
	query_release(&l->q);
	return page ? req_reply(r, 200, page) : -1;
}

int list_filter_serve(mt_req *r, const list_filter *filters, list_filter_store list, mt_error *err)
{
	list_query l;
	if (list_filter_begin(r, filters, &l, err) < 0)
		return -1;
	return list_filter_reply(r, &l, list(r->db, &l.q, l.sort, l.limit, l.offset, err));
}

int list_filter_serve_program(mt_req *r, const list_filter *filters, list_filter_program_store list,
			      mt_error *err)
{
	list_query l;
	if (list_filter_begin(r, filters, &l, err) < 0)
		return -1;
	return list_filter_reply(r, &l,
				 list(r->db, r->ids[0], &l.q, l.sort, l.limit, l.offset, err));
}
