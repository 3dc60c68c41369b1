/* migrate.c - see migrate.h. */
#include "store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/embedded.h"
#include "lib/timeutil.h"

static int version_of(const char *name)
{
	return atoi(name);
}

int store_schema_latest(void)
{
	int latest = 0;
	for (const mt_embedded_file *f = mt_migrations; f->name; f++)
		if (version_of(f->name) > latest)
			latest = version_of(f->name);
	return latest;
}

static int record(db *d, const mt_embedded_file *f, mt_error *err)
{
	db_stmt *st = db_prepare(d, "INSERT INTO schema_migrations (version, name, applied_at) "
				    "VALUES ($1, $2, $3)", err);
	if (!st)
		return -1;
	char now[32];
	time_now_iso(now, sizeof(now));
	db_bind_int(st, 1, version_of(f->name));
	db_bind_text(st, 2, f->name);
	db_bind_text(st, 3, now);
	int rc = db_step(st, err);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int store_migrate(db *d, mt_error *err)
{
	int applied = 0;
	int64_t current = 0;
	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		    err) < 0)
		return -1;
	if (db_begin(d, err) < 0)
		return -1;
	if (db_query_int(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &current, 0,
			 err) < 0)
		goto fail;
	if (current > store_schema_latest()) {
		mt_fail(err, 400, "schema_too_new", "db",
			"the database schema is version %lld but this mentortrack knows only up to "
			"%d; upgrade mentortrack to open it",
			(long long)current, store_schema_latest());
		goto fail;
	}
	/* The table is sorted by name, and names start with a zero-padded number.
	 * Each version is checked on its own, so a migration added below the
	 * newest applied one (parallel branches) is still applied. */
	for (const mt_embedded_file *f = mt_migrations; f->name; f++) {
		int64_t done;
		char sql[96];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM schema_migrations WHERE version = %d",
			 version_of(f->name));
		if (db_query_int(d, sql, &done, 0, err) < 0)
			goto fail;
		if (done)
			continue;
		if (db_exec(d, (const char *)f->data, err) < 0 || record(d, f, err) < 0) {
			char why[sizeof(err->message)];
			memcpy(why, err->message, sizeof(why));
			mt_internal(err, "migration %s failed: %.900s", f->name, why);
			goto fail;
		}
		applied++;
	}
	if (db_commit(d, err) < 0)
		goto fail;
	return applied;
fail:
	db_rollback(d);
	return -1;
}
