/*
 * db.c - conveniences over the backend interface (db.h) that any backend
 * shares: one-statement runs and single-integer queries.  Only
 * db_<backend>.c talks to a database library.
 */
#include "store/db.h"

#include <stddef.h>

int db_step_done(db_stmt *st, mt_error *err)
{
	int rc = db_step(st, err);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int64_t db_step_int(db_stmt *st, mt_error *err)
{
	int64_t v = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return v;
}

/* Prepare `sql` with $1..$n bound to params; NULL with err on failure. */
static db_stmt *prepare_ints(db *d, const char *sql, int n, const int64_t *params,
			     mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	for (int i = 0; st && i < n; i++)
		db_bind_int(st, i + 1, params[i]);
	return st;
}

int db_run_ints(db *d, const char *sql, int n, const int64_t *params, mt_error *err)
{
	db_stmt *st = prepare_ints(d, sql, n, params, err);
	return st ? db_step_done(st, err) : -1;
}

int db_query_int_params(db *d, const char *sql, int n, const int64_t *params, int64_t *out,
			int64_t missing, mt_error *err)
{
	db_stmt *st = prepare_ints(d, sql, n, params, err);
	if (!st)
		return -1;
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	else if (rc == DB_DONE)
		*out = missing;
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int db_query_int(db *d, const char *sql, int64_t *out, int64_t missing, mt_error *err)
{
	return db_query_int_params(d, sql, 0, NULL, out, missing, err);
}
