/*
 * query.h - building filtered, sorted, paginated list queries safely.
 *
 * Lists accept user-chosen filters and sort keys.  The builder appends SQL
 * fragments written by us and binds every user value as a `$n` parameter;
 * sort keys are looked up in a per-list whitelist, never pasted.  Rows come
 * back as JSON objects keyed by column name, which is what every list
 * endpoint and export serves.
 */
#ifndef MT_QUERY_H
#define MT_QUERY_H

#include <jansson.h>
#include <stdint.h>

#include "lib/strbuf.h"
#include "store/db.h"

enum { QUERY_MAX_PARAMS = 24 };

typedef struct query_param {
	int is_text;
	int64_t i;
	const char *s; /* borrowed; must outlive the query */
} query_param;

typedef struct query {
	strbuf where;       /* " AND ..." fragments */
	query_param params[QUERY_MAX_PARAMS];
	int nparams;
	const char *bad_key;  /* a filter value that is not allowed (query_and_enum) */
	char bad_msg[256];
} query;

/* A sortable column: `name` is what the API accepts, `expr` the SQL. */
typedef struct query_sort {
	const char *name;
	const char *expr;
} query_sort;

void query_init(query *q);
void query_release(query *q);
/* Append " AND <fragment>"; every `$?` in it stands for the one new parameter. */
void query_and_text(query *q, const char *fragment, const char *value);
void query_and_int(query *q, const char *fragment, int64_t value);
void query_and(query *q, const char *fragment);
/* Like query_and_text for a filter with a fixed set of values (NULL-terminated
 * `allowed`); any other value makes query_page fail with a 400 naming `key`,
 * so a typo in a filter is an error rather than an empty page.  A NULL
 * value adds nothing. */
void query_and_enum(query *q, const char *fragment, const char *key, const char *value,
		    const char *const *allowed);

/* Allowed values of the enumerated filters, shared by the lists. */
extern const char *const query_sides[];            /* mentor, mentee */
extern const char *const query_member_statuses[];  /* pending, active, paused, left */
extern const char *const query_session_statuses[]; /* scheduled, completed, cancelled, no_show */
extern const char *const query_session_kinds[];    /* intro, regular */
extern const char *const query_goal_statuses[];    /* not_started, in_progress, achieved, dropped */
extern const char *const query_goal_categories[];  /* new_skill, promotion, ... other */
extern const char *const query_phases[];           /* start, mid, end */
extern const char *const query_pair_sources[];     /* solver, request, manual */
extern const char *const query_program_statuses[]; /* draft, open, running, closed, archived */

/*
 * Run "SELECT <columns> <from> WHERE 1=1 <filters> ORDER BY <sort> LIMIT
 * OFFSET" and a matching COUNT(*).  `sort` is "name" or "-name" (NULL for the
 * default, the first whitelist entry); an unknown key fails with 400 naming
 * field "sort".  Returns a new {"items","total","limit","offset"} object.
 */
json_t *query_page(db *d, const char *columns, const char *from, query *q,
		   const query_sort *sorts, const char *sort, int64_t limit, int64_t offset,
		   mt_error *err);

/* Run a statement and convert every row to a JSON object by column name.
 * Columns whose name ends in "_json" are parsed as JSON (suffix dropped). */
json_t *query_rows(db_stmt *st, mt_error *err);
/* One row as an object, or NULL with a 404 error naming `what`. */
json_t *query_one(db_stmt *st, const char *what, mt_error *err);
/* Run `sql` (one `$1` for the id) and return its row as an object, or NULL
 * with a 404 naming `what` when there is none. */
json_t *query_by_id(db *d, const char *sql, int64_t id, const char *what, mt_error *err);
/* Run `sql` (one `$1` for the id) and return all its rows as a new array,
 * as query_rows does; NULL with err filled on failure. */
json_t *query_rows_by_id(db *d, const char *sql, int64_t id, mt_error *err);
/* Run `sql` (one `$1` for the id) to its first row and return the
 * statement there, for the caller to read its columns and db_finalize.
 * NULL with a 404 "<what> <id> not found" when there is no row, or with
 * the database's error. */
db_stmt *query_step_by_id(db *d, const char *sql, int64_t id, const char *what,
			  mt_error *err);
/* Run `sql` (one `$1` for the id) and put the first n columns of its row
 * in out[0..n-1] as integers: 0, 1 when there is no row (out untouched),
 * or -1 with err filled. */
int query_ints_by_id(db *d, const char *sql, int64_t id, int n, int64_t *out, mt_error *err);

#endif
