/* alert_worker.c - see alert_worker.h. */
#include "http/alert_worker.h"

#include <stdlib.h>
#include <string.h>

#include "http/notify.h"
#include "http/ticker.h"
#include "lib/log.h"
#include "lib/timeutil.h"

struct alert_worker {
	const mt_config *cfg;
	ticker *ticker;  /* NULL when interval checks are off */
	db *d;           /* the thread's connection, opened on first use */
};

/* One round over every program; the connection is opened on first use. */
static void check_all(ticker *t, void *arg)
{
	alert_worker *w = arg;
	db **d = &w->d;
	mt_error err;
	mt_error_clear(&err);
	if (!*d && !(*d = db_open(w->cfg->db_path, &err))) {
		log_error("alerts: cannot open the database: %s", err.message);
		return;
	}
	mt_arena a;
	arena_init(&a);
	int64_t *ids;
	size_t n;
	mt_actor who = {.user_id = 0, .name = "alerts-worker"};
	if (store_alert_programs(*d, &a, &ids, &n, &err) < 0) {
		log_error("alerts: cannot list programs: %s", err.message);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (ticker_stopping(t))
			break;
		json_t *summary = NULL;
		mt_error_clear(&err);
		if (alert_run_program(*d, &who, ids[i], time_now(), &summary, &err) < 0) {
			log_error("alerts: program %lld: check failed: %s", (long long)ids[i],
				  err.message);
			continue;
		}
		json_int_t raised = json_integer_value(json_object_get(summary, "raised"));
		json_int_t resolved = json_integer_value(json_object_get(summary, "resolved"));
		if (raised || resolved)
			log_info("alerts: program %lld: raised %lld, resolved %lld, open %lld",
				 (long long)ids[i], (long long)raised, (long long)resolved,
				 (long long)json_integer_value(json_object_get(summary, "open_total")));
		json_decref(summary);
	}
	arena_free(&a);
}

int alert_worker_start(alert_worker **out, const mt_config *cfg, mt_error *err)
{
	int interval = cfg->alerts_interval;
	*out = NULL;
	alert_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return mt_internal(err, "out of memory");
	w->cfg = cfg;
	/* Checks run now also from request threads (POST .../alerts/check):
	 * initialise libcurl once, before any of them sends. */
	notify_global_init();
	*out = w;
	if (interval == 0) {
		log_info("alerts: interval checks are off (alerts_interval = 0)");
		return 0;
	}
	if (ticker_start(&w->ticker, interval, false, check_all, w, err) < 0) {
		alert_worker_stop(w);
		*out = NULL;
		return -1;
	}
	log_info("alerts: checking open and running programs every %d s", interval);
	return 0;
}

void alert_worker_stop(alert_worker *w)
{
	if (!w)
		return;
	ticker_stop(w->ticker);
	db_close(w->d);
	free(w);
	notify_global_cleanup();
}
