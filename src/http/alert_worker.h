/*
 * alert_worker.h - the server's background health check: every
 * `interval` seconds it checks every open or running program
 * (http/notify.h's alert_run_program) on its own database connection.
 *
 * The interval comes from MENTORTRACK_ALERTS_INTERVAL (seconds, default
 * 300, 0 disables).  The first check runs one interval after start, not at
 * start, so a freshly started server answers before it does any work.
 * Stopping wakes the thread, waits for the check in progress (if any) and
 * joins it.
 */
#ifndef MT_ALERT_WORKER_H
#define MT_ALERT_WORKER_H

#include "lib/config.h"
#include "lib/error.h"


typedef struct alert_worker alert_worker;


/* Initialise libcurl for the process and start the thread (none when the
 * interval is 0; the worker is still returned, for alert_worker_stop).
 * -1 with err when the interval is invalid or the thread cannot start. */
int alert_worker_start(alert_worker **out, const mt_config *cfg, mt_error *err);
/* Stop and join the thread, free the worker, clean libcurl up.  NULL is fine. */
void alert_worker_stop(alert_worker *w);

#endif
