/*
 * db_sqlite.c - the SQLite backend of db.h.
 *
 * The one file that knows it is talking to SQLite.  `$N` parameters are
 * rewritten to SQLite's `?N` at prepare time so the SQL text stays the same
 * for PostgreSQL.  Connections run in WAL mode with foreign keys on and a
 * busy timeout, and writes take BEGIN IMMEDIATE so concurrent writers wait
 * for the lock instead of failing in the middle of a transaction.
 */
#include "store/db.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"

/* 64 MB of page cache per connection: the hot indexes of a 100,000-person
 * program stay in memory. */
#define DEFAULT_CACHE "PRAGMA cache_size=-65536"

/*
 * Prepared statements are cached per connection, keyed by SQL text:
 * db_finalize on a cached statement only resets it for the next
 * db_prepare of the same text.  Imports and snapshots run the same few
 * statements hundreds of thousands of times, and preparing is most of the
 * cost of a small query.
 */
enum { STMT_CACHE = 96 };

struct db_stmt {
	db *owner;
	sqlite3_stmt *st;
	char *sql;     /* cache key, or NULL for an uncached statement */
	bool in_use;
};

struct db {
	sqlite3 *conn;
	db_stmt cache[STMT_CACHE];
	int ncache;
	int evict_next; /* round-robin victim once the cache is full */
};

static int fail_sqlite(db *d, mt_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(d->conn);
	int primary = code & 0xff;
	if (primary == SQLITE_CONSTRAINT)
		return mt_conflict(err, "", "%s", sqlite3_errmsg(d->conn));
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return mt_fail(err, 503, "busy", "", "database is busy, try again (%s)", what);
	return mt_internal(err, "database error during %s: %s", what, sqlite3_errmsg(d->conn));
}

db *db_open(const char *path, mt_error *err)
{
	db *d = calloc(1, sizeof(*d));
	if (!d) {
		mt_internal(err, "out of memory");
		return NULL;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &d->conn, flags, NULL) != SQLITE_OK) {
		mt_fail(err, 400, "db_open", "db", "cannot open database %s: %s", path,
			d->conn ? sqlite3_errmsg(d->conn) : "out of memory");
		sqlite3_close(d->conn);
		free(d);
		return NULL;
	}
	sqlite3_busy_timeout(d->conn, 10000);
	if (db_exec(d, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
		       "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
		       DEFAULT_CACHE "; PRAGMA mmap_size=268435456;", err) < 0) {
		db_close(d);
		return NULL;
	}
	return d;
}

void db_close(db *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->ncache; i++) {
		sqlite3_finalize(d->cache[i].st);
		free(d->cache[i].sql);
	}
	sqlite3_close(d->conn);
	free(d);
}

/* Rewrite $N to ?N outside string literals and quoted identifiers. */
static char *rewrite_params(const char *sql)
{
	strbuf sb = STRBUF_INIT;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			sb_addc(&sb, '?');
			continue;
		}
		sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}

static db_stmt *cache_lookup(db *d, const char *sql)
{
	for (int i = 0; i < d->ncache; i++)
		if (!d->cache[i].in_use && d->cache[i].sql &&
		    strcmp(d->cache[i].sql, sql) == 0) {
			d->cache[i].in_use = true;
			return &d->cache[i];
		}
	return NULL;
}

/* A free cache slot: a new one, or an idle one evicted round-robin. */
static db_stmt *cache_slot(db *d)
{
	if (d->ncache < STMT_CACHE)
		return &d->cache[d->ncache++];
	for (int tries = 0; tries < STMT_CACHE; tries++) {
		db_stmt *s = &d->cache[d->evict_next];
		d->evict_next = (d->evict_next + 1) % STMT_CACHE;
		if (!s->in_use) {
			sqlite3_finalize(s->st);
			free(s->sql);
			memset(s, 0, sizeof(*s));
			return s;
		}
	}
	return NULL;
}

db_stmt *db_prepare(db *d, const char *sql, mt_error *err)
{
	db_stmt *s = cache_lookup(d, sql);
	if (s)
		return s;
	char *text = rewrite_params(sql);
	sqlite3_stmt *st = NULL;
	db_stmt *slot = cache_slot(d);
	bool cache = slot != NULL;
	int rc = sqlite3_prepare_v3(d->conn, text, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0, &st,
				    NULL);
	free(text);
	if (rc != SQLITE_OK) {
		fail_sqlite(d, err, "prepare");
		return NULL;
	}
	if (cache) {
		s = slot;
		s->sql = strdup(sql);
	} else {
		s = calloc(1, sizeof(*s));
	}
	if (!s || (cache && !s->sql)) {
		sqlite3_finalize(st);
		mt_internal(err, "out of memory");
		return NULL;
	}
	s->owner = d;
	s->st = st;
	s->in_use = true;
	return s;
}

void db_finalize(db_stmt *st)
{
	if (!st)
		return;
	if (st->sql) {
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->in_use = false;
		return;
	}
	sqlite3_finalize(st->st);
	free(st);
}

void db_reset(db_stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

void db_bind_int(db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

void db_bind_double(db_stmt *st, int idx, double v)
{
	sqlite3_bind_double(st->st, idx, v);
}

void db_bind_text(db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, idx, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, idx);
}

void db_bind_null(db_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

void db_bind_opt_int(db_stmt *st, int idx, bool present, int64_t v)
{
	if (present)
		sqlite3_bind_int64(st->st, idx, v);
	else
		sqlite3_bind_null(st->st, idx);
}

int db_step(db_stmt *st, mt_error *err)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail_sqlite(st->owner, err, "query");
}

int db_column_count(db_stmt *st)
{
	return sqlite3_column_count(st->st);
}

bool db_col_null(db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

bool db_col_is_int(db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_INTEGER;
}

bool db_col_is_real(db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_FLOAT;
}

int64_t db_col_int(db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double db_col_double(db_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const char *db_col_text(db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const char *db_col_name(db_stmt *st, int col)
{
	return sqlite3_column_name(st->st, col);
}

int db_exec(db *d, const char *sql, mt_error *err)
{
	if (sqlite3_exec(d->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail_sqlite(d, err, "exec");
	return 0;
}

int db_begin(db *d, mt_error *err)
{
	return db_exec(d, "BEGIN IMMEDIATE", err);
}

int db_commit(db *d, mt_error *err)
{
	return db_exec(d, "COMMIT", err);
}

void db_rollback(db *d)
{
	if (!sqlite3_get_autocommit(d->conn))
		sqlite3_exec(d->conn, "ROLLBACK", NULL, NULL, NULL);
}

int64_t db_last_insert_id(db *d)
{
	return sqlite3_last_insert_rowid(d->conn);
}

int64_t db_changes(db *d)
{
	return sqlite3_changes64(d->conn);
}

const char *db_filename(db *d)
{
	const char *f = sqlite3_db_filename(d->conn, "main");
	return f ? f : "";
}

int db_bulk_begin(db *d, int cache_kib, db_bulk_saved *saved, mt_error *err)
{
	char sql[80];
	saved->changed = false;
	if (db_query_int(d, "PRAGMA foreign_keys", &saved->foreign_keys, 1, err) < 0 ||
	    db_query_int(d, "PRAGMA cache_size", &saved->cache_size, 0, err) < 0)
		return -1;
	saved->changed = true;
	snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-%d", cache_kib);
	return db_exec(d, sql, err);
}

int db_bulk_end(db *d, const db_bulk_saved *saved, mt_error *err)
{
	char sql[80];
	int64_t fk;
	if (!saved->changed)
		return 0;
	snprintf(sql, sizeof(sql), "PRAGMA foreign_keys=%s; PRAGMA cache_size=%lld",
		 saved->foreign_keys ? "ON" : "OFF", (long long)saved->cache_size);
	if (db_exec(d, sql, err) < 0 || db_query_int(d, "PRAGMA foreign_keys", &fk, -1, err) < 0)
		return -1;
	if ((fk != 0) != (saved->foreign_keys != 0))
		return mt_internal(err, "the connection's foreign-key setting could not be put back");
	return 0;
}

int db_check_constraints(db *d, bool on, mt_error *err)
{
	return db_exec(d, on ? "PRAGMA ignore_check_constraints=OFF"
			     : "PRAGMA ignore_check_constraints=ON", err);
}

const char *db_backend(db *d)
{
	(void)d;
	return "sqlite";
}
