/*
 * list_filter.h - list endpoints described by a table of filters.
 *
 * Why: many lists take the same kinds of query parameters (an exact text
 * match, a substring search, a bounded integer, one of a fixed set of
 * values, a date range) and answer the same way (a page from the store).
 * Describing a list's filters as data lets those handlers share one
 * parser, so every list rejects a bad value with the same 400 and none
 * forgets to free its query on an error path.  The rows that are not query
 * parameters (the route's id, "only my own rows") sit in the same table,
 * in the order their conditions are added.  An integer parameter goes
 * through req_int (request.h), as ?limit= and ?offset= do.
 */
#ifndef MT_LIST_FILTER_H
#define MT_LIST_FILTER_H

#include <stdbool.h>

#include "http/request.h"

typedef enum list_filter_kind {
	LIST_FILTER_TEXT,  /* the value as given */
	LIST_FILTER_LIKE,  /* the value as a substring: "%value%" */
	LIST_FILTER_INT,   /* a whole number from min to max (req_int) */
	LIST_FILTER_ENUM,  /* one of `allowed` (query_and_enum: a value not in it is a
			    * 400 reported when the page is read, after the others) */
	LIST_FILTER_FLAG,  /* true or false (req_flag): the fragment, which has no $?,
			    * when true */
	LIST_FILTER_FROM,  /* a date (YYYY-MM-DD): $? is that day */
	LIST_FILTER_TO,    /* a date, the last day wanted: $? is the day after it */
	LIST_FILTER_CHECK, /* a value `valid` accepts; else at once a 400 with
			    * `message` */
	LIST_FILTER_FUNC,  /* parsed and added by the list's own function `add` */
	LIST_FILTER_PATH,  /* no parameter: $? is the route's first id (r->ids[0]) */
	LIST_FILTER_OWN,   /* no parameter: unless the user sees all rows
			    * (r->sees_all), $? is the user's person id */
} list_filter_kind;

/* A LIST_FILTER_FUNC filter: check `value` and add its condition to `q`,
 * or fail (400 naming the parameter).  Returns 0 or -1. */
typedef int (*list_filter_fn)(mt_req *r, query *q, const char *value, mt_error *err);

/* One condition of a list, mostly an optional query parameter.  A row with
 * neither key nor fragment (LIST_END) ends a table. */
typedef struct list_filter {
	const char *key;      /* query parameter (NULL for PATH and OWN) */
	const char *fragment; /* SQL condition; each $? stands for the value
			       * (NULL for FUNC) */
	list_filter_kind kind;
	long min, max;                    /* LIST_FILTER_INT: the bounds */
	const char *const *allowed;       /* LIST_FILTER_ENUM: the values, NULL-terminated */
	bool (*valid)(const char *value); /* LIST_FILTER_CHECK: is value allowed? */
	const char *message;              /* LIST_FILTER_CHECK: the 400's message */
	list_filter_fn add;               /* LIST_FILTER_FUNC */
} list_filter;

/* The largest id a filter accepts. */
#define LIST_ID_MAX REQ_INT_MAX

/* Table rows: LIST_TEXT("department", "p.department = $?"), ..., LIST_END.
 * LIST_DATES(column) is two rows, ?from= and ?to= (both days included) on
 * a column of dates or UTC timestamps; column must be a string literal.
 * (clang-format would spread each over several lines.) */
/* clang-format off */
#define LIST_TEXT(param, sql)            {.key = (param), .fragment = (sql), .kind = LIST_FILTER_TEXT}
#define LIST_LIKE(param, sql)            {.key = (param), .fragment = (sql), .kind = LIST_FILTER_LIKE}
#define LIST_INT(param, sql, lo, hi)     {.key = (param), .fragment = (sql), .kind = LIST_FILTER_INT, \
					  .min = (lo), .max = (hi)}
#define LIST_ID(param, sql)              LIST_INT(param, sql, 1, LIST_ID_MAX)
#define LIST_ENUM(param, sql, values)    {.key = (param), .fragment = (sql), .kind = LIST_FILTER_ENUM, \
					  .allowed = (values)}
#define LIST_FLAG(param, sql)            {.key = (param), .fragment = (sql), .kind = LIST_FILTER_FLAG}
#define LIST_DATES(column)               {.key = "from", .fragment = column " >= $?", \
					  .kind = LIST_FILTER_FROM}, \
					 {.key = "to", .fragment = column " < $?", .kind = LIST_FILTER_TO}
#define LIST_CHECK(param, sql, fn, text) {.key = (param), .fragment = (sql), .kind = LIST_FILTER_CHECK, \
					  .valid = (fn), .message = (text)}
#define LIST_FUNC(param, fn)             {.key = (param), .kind = LIST_FILTER_FUNC, .add = (fn)}
#define LIST_PATH(sql)                   {.fragment = (sql), .kind = LIST_FILTER_PATH}
#define LIST_OWN(sql)                    {.fragment = (sql), .kind = LIST_FILTER_OWN}
#define LIST_END                         {.key = NULL, .fragment = NULL}
/* clang-format on */

/* A store's list: a page of the rows that `q` selects, sorted by `sort`. */
typedef json_t *(*list_filter_store)(db *d, query *q, const char *sort, int64_t limit,
				     int64_t offset, mt_error *err);

/*
 * Answer a list request: parse ?limit= and ?offset=, add each row of
 * `filters` (in order) that applies, and reply 200 with the page `list`
 * returns for ?sort=.  A value that does not parse fails with 400 naming
 * the parameter; store errors pass through.  Returns 0 or -1.
 */
int list_filter_serve(mt_req *r, const list_filter *filters, list_filter_store list, mt_error *err);

/* A store's list of one program's rows: a page of program `program_id`. */
typedef json_t *(*list_filter_program_store)(db *d, int64_t program_id, query *q, const char *sort,
					     int64_t limit, int64_t offset, mt_error *err);

/* list_filter_serve for a list of program r->ids[0]. */
int list_filter_serve_program(mt_req *r, const list_filter *filters, list_filter_program_store list,
			      mt_error *err);

/* A list request between list_filter_begin and list_filter_reply, for a
 * list whose conditions or answer list_filter_serve cannot make
 * (conditions from a loaded row, comments to hide). */
typedef struct list_query {
	query q; /* the conditions; add more between begin and reply */
	const char *sort;
	int64_t limit, offset;
} list_query;

/* The first half of list_filter_serve: parse the page and add `filters`
 * to l->q.  On failure (-1) l holds nothing; on success it must reach
 * list_filter_reply. */
int list_filter_begin(mt_req *r, const list_filter *filters, list_query *l, mt_error *err);

/* The second half: release l and answer 200 with `page` (taking it), or
 * return -1 when page is NULL (err already filled, e.g. by the store). */
int list_filter_reply(mt_req *r, list_query *l, json_t *page);

#endif
