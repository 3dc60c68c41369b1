/* kpi_refresher.c - see kpi_refresher.h. */
#include "http/kpi_refresher.h"

#include <stdbool.h>
#include <stdlib.h>

#include "http/ticker.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "store/alert.h"
#include "store/snapshot.h"

/* Programs read within this many seconds are kept warm. */
#define RECENT_SECONDS 900.0
/* A program is reloaded at most once per BACKOFF times its load time. */
#define BACKOFF 4.0
enum { MAX_PROGRAMS = 64 };

struct kpi_refresher {
	const mt_config *cfg;
	ticker *ticker;
	db *d;           /* the thread's connection, opened on first use */
	bool started;    /* the start-up warm-up is done */
};

static void refresh(kpi_refresher *r, int64_t program_id)
{
	mt_error err;
	mt_error_clear(&err);
	int rc = snapshot_cache_refresh(snapshot_cache_shared(), r->d, program_id, &err);
	if (rc < 0 && err.status != 404)
		log_error("kpi: program %lld: cannot refresh the snapshot: %s",
			  (long long)program_id, err.message);
}

/* At start: the open and running programs, as many as the cache holds. */
static void warm_up(ticker *t, kpi_refresher *r)
{
	mt_arena a;
	arena_init(&a);
	mt_error err;
	mt_error_clear(&err);
	int64_t *ids;
	size_t n;
	if (store_alert_programs(r->d, &a, &ids, &n, &err) < 0) {
		log_error("kpi: cannot list programs: %s", err.message);
		n = 0;
	}
	size_t cap = (size_t)snapshot_cache_capacity(snapshot_cache_shared());
	for (size_t i = 0; i < n && i < cap && !ticker_stopping(t); i++)
		refresh(r, ids[i]);
	arena_free(&a);
}

static void tick(ticker *t, void *arg)
{
	kpi_refresher *r = arg;
	mt_error err;
	mt_error_clear(&err);
	if (!r->d && !(r->d = db_open(r->cfg->db_path, &err))) {
		log_error("kpi: cannot open the database: %s", err.message);
		return;
	}
	if (!r->started) {
		r->started = true;
		warm_up(t, r);
		return;
	}
	int64_t ids[MAX_PROGRAMS];
	size_t n = snapshot_cache_recent(snapshot_cache_shared(), RECENT_SECONDS, BACKOFF, ids,
					 MAX_PROGRAMS);
	for (size_t i = 0; i < n && !ticker_stopping(t); i++)
		refresh(r, ids[i]);
}

int kpi_refresher_start(kpi_refresher **out, const mt_config *cfg, mt_error *err)
{
	*out = NULL;
	if (cfg->kpi_refresh == 0) {
		log_info("kpi: background snapshot refresh is off (kpi_refresh = 0)");
		return 0;
	}
	kpi_refresher *r = calloc(1, sizeof(*r));
	if (!r)
		return mt_internal(err, "out of memory");
	r->cfg = cfg;
	if (ticker_start(&r->ticker, cfg->kpi_refresh, true, tick, r, err) < 0) {
		free(r);
		return -1;
	}
	*out = r;
	log_info("kpi: keeping the snapshots of read programs current, every %d s",
		 cfg->kpi_refresh);
	return 0;
}

void kpi_refresher_stop(kpi_refresher *r)
{
	if (!r)
		return;
	ticker_stop(r->ticker);
	db_close(r->d);
	free(r);
}
