/*
 * snapshot.h - loading a program's KPI snapshot (domain/kpi.h) from the
 * store, and the per-program cache that keeps it between requests.
 *
 * Loading scans each table (people, memberships with their skills, pairs,
 * sessions, goals, session topics, ratings, check-ins, assessments, alerts)
 * in id order inside one read transaction, so the rows and the data version
 * they are stamped with agree.  No per-row queries.  The five big tables are
 * scanned in rowid ranges by two threads, each on a private connection (a
 * file database only) whose transaction must show the same data version,
 * else that connection reads nothing and the main one reads it all.
 *
 * The cache: a snapshot is rebuilt only when its program's data_version
 * (bumped by every write to the program's data, store_program_touch) or the
 * people table's fingerprint (row count, highest id, latest updated_at:
 * people are shared by all programs and carry no program version) has moved.
 * A warm request runs one small query (data_version, people count and
 * highest id: index lookups) and no loading; the latest updated_at needs a
 * scan of people, so it is re-checked at most every 5 seconds per program:
 * an edit to a person (a department change) shows within 5 s, any write to
 * the program's own data at once.
 *
 * Threads: libmicrohttpd's worker threads share one cache.  It is a table
 * protected by one mutex; entries are reference-counted, so a request keeps
 * reading its snapshot while another thread replaces it, and the old one is
 * freed by whoever drops the last reference.  Loading happens outside the
 * lock (two threads may both load a cold program; the second result is
 * dropped).  The server's cache is one module-level object created on
 * first use (snapshot_cache_shared) and freed by snapshot_cache_shared_free
 * at shutdown; it is the only mutable state of this module and it assumes
 * one database per process, which is how the binary runs.
 */
#ifndef MT_SNAPSHOT_H
#define MT_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/kpi.h"
#include "domain/tzday.h"
#include "lib/error.h"
#include "store/db.h"

/* The version a snapshot was built at: the program's data_version, which
 * every write to the program's data bumps, and every write to people bumps
 * for all programs (headcount and departments feed every program's KPIs). */
typedef struct snapshot_version {
	int64_t data_version;
} snapshot_version;

/* A snapshot as the cache hands it out: read it, then release it. */
typedef struct snapshot_ref {
	kpi_snapshot *snapshot;
	tzday tz;                 /* the program's time zone */
	snapshot_version version;
	int refs;                 /* guarded by the cache's mutex */
	bool cached;              /* false once replaced or evicted */
} snapshot_ref;

/* Load program `program_id` into a new snapshot (the caller owns it: free
 * with kpi_snapshot_free) and its time zone into *tz (tzday_release).
 * Fails with 404 when the program does not exist, 422 "timezone" when its
 * time zone is neither UTC, a fixed offset nor an installed IANA zone, 500
 * on database errors. */
kpi_snapshot *snapshot_load(db *d, int64_t program_id, tzday *tz, snapshot_version *version,
			    mt_error *err);

/* Read the current version of a program's data (404 when absent). */
int snapshot_version_read(db *d, int64_t program_id, snapshot_version *v, mt_error *err);

/* Parse a program's time-zone setting: "UTC", "+HH:MM" / "-HH:MM" /
 * "+HHMM" / "+HH", or an IANA name read from /usr/share/zoneinfo (or
 * $TZDIR).  422 naming `field` when unknown. */
int snapshot_timezone(const char *name, tzday *tz, const char *field, mt_error *err);

typedef struct snapshot_cache snapshot_cache;

/* A cache holding at most `max_programs` snapshots (least recently used
 * evicted).  Never NULL. */
snapshot_cache *snapshot_cache_new(int max_programs);
/* Free the cache and every snapshot no request still holds (held ones are
 * freed on their release). */
void snapshot_cache_free(snapshot_cache *c);

/* The current snapshot of a program: from the cache when its version is
 * current (*warm true), else loaded and cached.  Release with
 * snapshot_cache_release.  NULL with err as snapshot_load. */
snapshot_ref *snapshot_cache_get(snapshot_cache *c, db *d, int64_t program_id, bool *warm,
				 mt_error *err);
void snapshot_cache_release(snapshot_cache *c, snapshot_ref *ref);

/* The server's cache (created on first call, thread-safe). */
snapshot_cache *snapshot_cache_shared(void);
/* Free the server's cache at shutdown (no request may be running). */
void snapshot_cache_shared_free(void);

#endif
