/*
 * metrics.h - request counters and a latency histogram for GET /metrics
 * (Prometheus text format).  Counters are atomics: the only mutable state
 * shared between worker threads besides the database.
 */
#ifndef MT_METRICS_H
#define MT_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "lib/strbuf.h"

enum { METRICS_STATUSES = 17, METRICS_BUCKETS = 12 };

typedef struct mt_metrics {
	int nroutes;                   /* route slots; two more for "static" and "unmatched" */
	atomic_uint_fast64_t *counts;  /* (nroutes + 2) * METRICS_STATUSES */
	atomic_uint_fast64_t buckets[METRICS_BUCKETS + 1];
	atomic_uint_fast64_t sum_micros;
	atomic_uint_fast64_t total;
} mt_metrics;

int metrics_init(mt_metrics *m, int nroutes);
void metrics_free(mt_metrics *m);
/* route: index in mt_routes, -1 for static files, -2 for no route. */
void metrics_record(mt_metrics *m, int route, int status, uint64_t micros);
/* Append the Prometheus exposition to sb. */
void metrics_render(const mt_metrics *m, strbuf *sb);

#endif
