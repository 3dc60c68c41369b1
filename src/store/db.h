/*
 * db.h - the backend interface under the store.
 *
 * Everything that speaks SQL goes through these few calls, so a PostgreSQL
 * backend (libpq) can sit beside the SQLite one without the store or the
 * domain changing.  SQL text uses `$1..$n` positional parameters and the
 * portable subset of SQL both engines accept (RETURNING, ON CONFLICT ... DO
 * UPDATE, no engine-specific functions outside db_dialect).
 *
 * A `db` is one connection, owned by one thread.  Statements belong to the
 * connection and must be finalised before it closes.
 */
#ifndef MT_DB_H
#define MT_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 1, DB_DONE = 0 };

/* Open (creating if needed) the database at `path` and configure it
 * (WAL, foreign keys, busy timeout).  Returns NULL and fills err on failure. */
db *db_open(const char *path, mt_error *err);
void db_close(db *d);

/* Prepare one statement; NULL on failure with err filled (status 500). */
db_stmt *db_prepare(db *d, const char *sql, mt_error *err);
void db_finalize(db_stmt *st);
/* Clear bindings and rewind, for reuse in loops. */
void db_reset(db_stmt *st);

/* Bind parameter $idx (1-based).  Text NULL binds SQL NULL.  Text is not
 * copied: it must stay valid until the statement is stepped and reset. */
void db_bind_int(db_stmt *st, int idx, int64_t v);
void db_bind_double(db_stmt *st, int idx, double v);
void db_bind_text(db_stmt *st, int idx, const char *s);
void db_bind_null(db_stmt *st, int idx);
/* Bind an optional integer: NULL when `present` is false. */
void db_bind_opt_int(db_stmt *st, int idx, bool present, int64_t v);

/* Run one step: DB_ROW, DB_DONE, or -1 with err filled.  A UNIQUE or
 * CHECK violation gives status 409 with code "conflict". */
int db_step(db_stmt *st, mt_error *err);

int db_column_count(db_stmt *st);
bool db_col_null(db_stmt *st, int col);
bool db_col_is_int(db_stmt *st, int col);
bool db_col_is_real(db_stmt *st, int col);
int64_t db_col_int(db_stmt *st, int col);
double db_col_double(db_stmt *st, int col);
/* Valid until the next step/reset/finalize; "" never NULL unless SQL NULL. */
const char *db_col_text(db_stmt *st, int col);
const char *db_col_name(db_stmt *st, int col);

/* Execute SQL with no parameters (may hold several statements). */
int db_exec(db *d, const char *sql, mt_error *err);

/* Transactions.  begin takes the write lock at once (BEGIN IMMEDIATE on
 * SQLite) so writers queue instead of failing half-way. */
int db_begin(db *d, mt_error *err);
int db_commit(db *d, mt_error *err);
void db_rollback(db *d);

/* Bulk mode, for a writer whose every foreign key comes from rows it has
 * just read in the same transaction: no per-row foreign-key lookups, and a
 * page cache of `cache_kib` for its transaction.  Call db_bulk_begin
 * outside a transaction (SQLite ignores PRAGMA foreign_keys inside one);
 * db_bulk_end puts the saved settings back and fails if foreign keys could
 * not be turned on again.  No-ops on other backends. */
typedef struct db_bulk_saved {
	bool changed;
	int64_t foreign_keys, cache_size;
} db_bulk_saved;
int db_bulk_begin(db *d, int cache_kib, db_bulk_saved *saved, mt_error *err);
int db_bulk_end(db *d, const db_bulk_saved *saved, mt_error *err);

/* Whether CHECK constraints are evaluated (on by default).  Off only
 * around statements whose rows the caller has validated against the same
 * rules: SQLite rebuilds a CHECK's IN list for every row it checks. */
int db_check_constraints(db *d, bool on, mt_error *err);

/* Id of the row the last plain INSERT on this connection created.  Bulk
 * paths use it instead of RETURNING, which makes SQLite buffer the
 * statement's output (a PostgreSQL backend answers it with lastval()). */
int64_t db_last_insert_id(db *d);

/* Rows changed by the last INSERT/UPDATE/DELETE. */
int64_t db_changes(db *d);

/*
 * Conveniences for the commonest shapes of statement, so each store
 * function says only its SQL and its parameters.
 */

/* Step `st` once and finalize it: 0, or -1 with err filled.  For a write
 * whose caller wants no rows back (any row is ignored). */
int db_step_done(db_stmt *st, mt_error *err);

/* Step `st` once and finalize it, returning the first column of its row as
 * an integer: the id from "INSERT ... RETURNING id", or a COUNT(*).  -1
 * when the step fails (err filled) and when there is no row (err as it
 * was). */
int64_t db_step_int(db_stmt *st, mt_error *err);

/* Prepare `sql`, bind $1..$n to params[0..n-1] and run it to its first
 * step: 0, or -1 with err filled.  For an INSERT, UPDATE or DELETE whose
 * parameters are all integers. */
int db_run_ints(db *d, const char *sql, int n, const int64_t *params, mt_error *err);

/* Run `sql` with no parameters and put the first column of the first row
 * in *out as an integer, or `missing` if there is no row.  0, or -1 with
 * err filled (*out untouched). */
int db_query_int(db *d, const char *sql, int64_t *out, int64_t missing, mt_error *err);
/* db_query_int with $1..$n bound to the integers params[0..n-1]. */
int db_query_int_params(db *d, const char *sql, int n, const int64_t *params, int64_t *out,
			int64_t missing, mt_error *err);

/* The file this connection opened ("" for an in-memory database), so a
 * second thread can open its own connection to it. */
const char *db_filename(db *d);

/* The name of the backend ("sqlite"); dialect differences are in db_sqlite.c. */
const char *db_backend(db *d);

#endif
