/*
 * config.h - the one immutable configuration struct.
 *
 * Read once at start, in this order, later sources overriding earlier ones:
 * a config file (`key = value` lines), then MENTORTRACK_* environment
 * variables, then command-line flags.  Every part receives a const pointer;
 * nothing else is global.
 */
#ifndef MT_CONFIG_H
#define MT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

typedef struct mt_config {
	char host[64];          /* listen address, default 127.0.0.1 */
	int port;               /* default 8080; 0 picks a free port */
	char db_path[1024];     /* default mentortrack.db */
	int threads;            /* worker threads, default: number of cores */
	size_t body_limit;      /* bytes, default 16 MiB */
	bool secure_cookies;    /* set Secure on cookies (behind TLS) */
	int session_hours;      /* session cookie lifetime, default 12 */
	int login_max_failures; /* failures before lock-out, default 5 */
	int login_lock_seconds; /* lock-out time, default 300 */
	int alerts_interval;    /* seconds between health checks, default 300, 0 = off */
	int kpi_refresh;        /* seconds between KPI snapshot refreshes, default 2, 0 = off */
} mt_config;

void config_defaults(mt_config *c);
/* Apply a `key = value` file.  Unknown keys are an error naming the line. */
int config_load_file(mt_config *c, const char *path, mt_error *err);
/* Apply MENTORTRACK_DB, MENTORTRACK_LISTEN, MENTORTRACK_THREADS, ... */
int config_load_env(mt_config *c, mt_error *err);
/* Apply one setting by name, as from the file ("listen", "db", ...). */
int config_set(mt_config *c, const char *key, const char *value, mt_error *err);

#endif
