/*
 * ticker.h - a background thread that calls a function every N seconds.
 *
 * The server's periodic work (the health check, the KPI snapshot refresher)
 * runs on its own threads, never on request threads.  A ticker sleeps on a
 * monotonic clock, so a change of the wall clock neither skips nor repeats
 * a round; a round longer than the interval starts the next one at once.
 * Stopping wakes the thread, waits for the round in progress and joins it;
 * a long round can poll ticker_stopping() to end early.
 */
#ifndef MT_TICKER_H
#define MT_TICKER_H
#include <stdbool.h>

#include "lib/error.h"

typedef struct ticker ticker;
typedef void (*ticker_fn)(ticker *t, void *arg);

/* Start a thread calling fn(t, arg) every `interval` seconds (> 0); the
 * first call comes at once when `at_start`, else after one interval. */
int ticker_start(ticker **out, int interval, bool at_start, ticker_fn fn, void *arg,
		 mt_error *err);
/* True once ticker_stop was called: a long round should return. */
bool ticker_stopping(ticker *t);
/* Stop and join the thread and free the ticker.  NULL is fine. */
void ticker_stop(ticker *t);

#endif
