/* ticker.c - see ticker.h. */
#include "http/ticker.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct ticker {
	int interval;
	bool at_start;
	ticker_fn fn;
	void *arg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

bool ticker_stopping(ticker *t)
{
	pthread_mutex_lock(&t->lock);
	bool stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

/* Sleep until `next` or a stop; true when it is time to stop. */
static bool sleep_until(ticker *t, const struct timespec *next)
{
	pthread_mutex_lock(&t->lock);
	while (!t->stop && pthread_cond_timedwait(&t->wake, &t->lock, next) != ETIMEDOUT)
		;
	bool stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

static void *run(void *arg)
{
	ticker *t = arg;
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	if (t->at_start && !ticker_stopping(t))
		t->fn(t, t->arg);
	for (;;) {
		next.tv_sec += t->interval;
		if (sleep_until(t, &next))
			break;
		t->fn(t, t->arg);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec)
			next = now;
	}
	return NULL;
}

int ticker_start(ticker **out, int interval, bool at_start, ticker_fn fn, void *arg,
		 mt_error *err)
{
	*out = NULL;
	ticker *t = calloc(1, sizeof(*t));
	if (!t)
		return mt_internal(err, "out of memory");
	t->interval = interval > 0 ? interval : 1;
	t->at_start = at_start;
	t->fn = fn;
	t->arg = arg;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&t->thread, NULL, run, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return mt_internal(err, "cannot start a background thread");
	}
	*out = t;
	return 0;
}

void ticker_stop(ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
