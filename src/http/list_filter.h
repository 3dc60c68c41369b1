/*
 * list_filter.h - plain list endpoints described by a table of filters.
 *
 * Why: many lists take the same kinds of query parameters (an exact text
 * match, a substring search, a bounded integer) and answer the same way
 * (a page from the store).  Describing a list's filters as data lets those
 * handlers share one parser, so every list rejects a bad number with the
 * same 400 and none forgets to free its query on an error path.
 */
#ifndef MT_LIST_FILTER_H
#define MT_LIST_FILTER_H

#include "http/request.h"

typedef enum list_filter_kind {
	LIST_FILTER_TEXT, /* the value as given */
	LIST_FILTER_LIKE, /* the value as a substring: "%value%" */
	LIST_FILTER_INT,  /* a whole number from min to max; 400 otherwise */
} list_filter_kind;

/* One optional query parameter and the SQL condition it adds. */
typedef struct list_filter {
	const char *key;      /* query parameter; NULL ends a table */
	const char *fragment; /* SQL condition; each $? stands for the value */
	list_filter_kind kind;
	long min, max; /* bounds, for LIST_FILTER_INT */
} list_filter;

/* Table rows: LIST_TEXT("department", "p.department = $?"), ..., LIST_END.
 * (clang-format would spread each over four lines.) */
/* clang-format off */
#define LIST_TEXT(key, sql)          {(key), (sql), LIST_FILTER_TEXT, 0, 0}
#define LIST_LIKE(key, sql)          {(key), (sql), LIST_FILTER_LIKE, 0, 0}
#define LIST_INT(key, sql, min, max) {(key), (sql), LIST_FILTER_INT, (min), (max)}
#define LIST_END                     {NULL, NULL, LIST_FILTER_TEXT, 0, 0}
/* clang-format on */

/* A store's list: a page of the rows that `q` selects, sorted by `sort`. */
typedef json_t *(*list_filter_store)(db *d, query *q, const char *sort, int64_t limit,
				     int64_t offset, mt_error *err);

/*
 * Answer a list request: parse ?limit= and ?offset=, add each filter of
 * `filters` (in order) whose parameter is present, and reply 200 with the
 * page `list` returns for ?sort=.  A value that does not parse fails with
 * 400 naming the parameter; store errors pass through.  Returns 0 or -1.
 */
int list_filter_serve(mt_req *r, const list_filter *filters, list_filter_store list, mt_error *err);

#endif
