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
 * has moved.  Every write to the program's data bumps it in the same
 * transaction (store_program_touch), and every write to people bumps it for
 * all programs (headcount and departments feed every program's KPIs).  A
 * warm request runs one index lookup and no loading.
 *
 * Threads: libmicrohttpd's worker threads share one cache.  It is a table
 * protected by one mutex; entries are reference-counted, so a request keeps
 * reading its snapshot while another thread replaces it, and the old one is
 * freed by whoever drops the last reference.  Loading happens outside the
 * lock, one load per program at a time: a request that finds its program
 * being loaded waits for that load (a burst after a write costs one load).  The server's cache is one module-level object created on
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

/* Bring a program's cached snapshot up to date without counting as a read
 * (the background refresher): 0 when it was current, 1 when it was loaded,
 * -1 with err as snapshot_load. */
int snapshot_cache_refresh(snapshot_cache *c, db *d, int64_t program_id, mt_error *err);

/* Up to `max` programs whose snapshot a request read within the last
 * `within` seconds and whose last load ended at least `backoff` times its
 * own duration ago (so refreshing costs at most 1/backoff of a core): the
 * ones worth keeping warm.  Returns how many were written to ids. */
size_t snapshot_cache_recent(snapshot_cache *c, double within, double backoff, int64_t *ids,
			     size_t max);

/* How many programs the cache holds at most. */
int snapshot_cache_capacity(const snapshot_cache *c);

/* Counters since the cache was created, for /metrics. */
typedef struct snapshot_cache_stats {
	uint64_t hits;          /* requests served a current snapshot */
	uint64_t waits;         /* requests that waited for another's load */
	uint64_t loads;         /* snapshots loaded */
	uint64_t failures;      /* loads that failed */
	double load_seconds;    /* time spent loading */
	int cached;             /* programs held now */
} snapshot_cache_stats;
void snapshot_cache_stats_read(snapshot_cache *c, snapshot_cache_stats *out);

/* The server's cache (created on first call, thread-safe). */
snapshot_cache *snapshot_cache_shared(void);
/* Free the server's cache at shutdown (no request may be running). */
void snapshot_cache_shared_free(void);

#endif
