/* alert_worker.c - see alert_worker.h. */
#include "http/alert_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/notify.h"
#include "lib/log.h"
#include "lib/timeutil.h"

struct alert_worker {
	const mt_config *cfg;
	int interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool running;  /* the thread was started */
};

/* One round over every program; the connection is opened on first use. */
static void check_all(alert_worker *w, db **d)
{
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
		pthread_mutex_lock(&w->lock);
		bool stop = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (stop)
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

static void *run(void *arg)
{
	alert_worker *w = arg;
	db *d = NULL;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		next.tv_sec += w->interval;
		while (!w->stop) {
			int rc = pthread_cond_timedwait(&w->wake, &w->lock, &next);
			if (rc == ETIMEDOUT)
				break;
		}
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->lock);
		check_all(w, &d);
		/* A round longer than the interval starts the next one at once. */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec)
			next = now;
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	db_close(d);
	return NULL;
}

int alert_worker_start(alert_worker **out, const mt_config *cfg, mt_error *err)
{
	int interval = cfg->alerts_interval;
	*out = NULL;
	alert_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return mt_internal(err, "out of memory");
	w->cfg = cfg;
	w->interval = interval;
	/* Checks run now also from request threads (POST .../alerts/check):
	 * initialise libcurl once, before any of them sends. */
	notify_global_init();
	*out = w;
	if (interval == 0) {
		log_info("alerts: interval checks are off (alerts_interval = 0)");
		return 0;
	}
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		alert_worker_stop(w);
		*out = NULL;
		return mt_internal(err, "cannot start the alerts thread");
	}
	w->running = true;
	log_info("alerts: checking open and running programs every %d s", interval);
	return 0;
}

void alert_worker_stop(alert_worker *w)
{
	if (!w)
		return;
	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
	}
	free(w);
	notify_global_cleanup();
}
