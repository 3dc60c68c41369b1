/*
 * server.h - the HTTP server (libmicrohttpd, internal epoll thread pool).
 *
 * Each worker thread opens its own database connection on first use and
 * keeps it for its life; no connection is shared between threads.  A
 * request runs start to finish on one thread with one arena.
 */
#ifndef MT_SERVER_H
#define MT_SERVER_H

#include <pthread.h>

#include "http/metrics.h"
#include "lib/config.h"
#include "lib/error.h"

typedef struct mt_server {
	const mt_config *cfg;
	struct MHD_Daemon *daemon;
	pthread_key_t db_key;
	mt_metrics metrics;
	int port;  /* the bound port (useful with port 0) */
	struct alert_worker *alerts;  /* the interval health check (issue 5) */
	struct kpi_refresher *kpis;   /* keeps read KPI snapshots warm */
} mt_server;

/* Start listening; returns -1 with err when the address is taken etc. */
int server_start(mt_server *s, const mt_config *cfg, mt_error *err);
/* Stop accepting, finish in-flight requests, close every connection. */
void server_stop(mt_server *s);
/* Block until SIGINT or SIGTERM.  Call server_block_signals before
 * server_start so worker threads never receive them. */
void server_block_signals(void);
int server_wait_for_signal(void);

#endif
