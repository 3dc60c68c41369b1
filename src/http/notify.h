/*
 * notify.h - running a health check end to end (src/store/alert.h's
 * reconciliation, then notifications) and sending the notifications:
 * email through SMTP and signed webhooks, with libcurl.
 *
 * Why here and not in the store: sending is network I/O, kept out of the
 * check's transaction so that a slow mail server never holds the database's
 * write lock.  A notification failure never fails a check: every attempt
 * series is logged and recorded in notification_deliveries.
 *
 * Retries: up to NOTIFY_ATTEMPTS attempts per channel, waiting
 * NOTIFY_BACKOFF_MS, then twice that, between them.  A webhook answered 2xx
 * is delivered; 5xx, 408, 429 and network errors are retried; any other
 * status fails at once.  An email is delivered when the SMTP server accepts
 * the message.
 */
#ifndef MT_NOTIFY_H
#define MT_NOTIFY_H

#include <time.h>

#include "store/alert.h"

enum { NOTIFY_ATTEMPTS = 3, NOTIFY_BACKOFF_MS = 500, NOTIFY_TIMEOUT_S = 10 };

/* Call once per process before any thread sends (curl_global_init). */
void notify_global_init(void);
void notify_global_cleanup(void);

/*
 * Send the notifications for the alerts `res` raised, per the program's
 * settings.notifications, and record each delivery.  Returns a new array
 * with one object per channel tried ({channel, target, status, attempts,
 * response_code, error}); empty when nothing was raised or configured.
 * Never fails; invalid settings are logged and recorded as a failed delivery.
 */
json_t *notify_alerts(db *d, const alert_check_result *res, time_t now);

/*
 * Check one program at `now`, then notify.  *summary (new reference) gets
 * alert_check_json() plus "notifications".  Returns 0, or -1 with err when
 * the check itself failed (nothing written, nothing sent).
 */
int alert_run_program(db *d, const mt_actor *who, int64_t program_id, time_t now,
		      json_t **summary, mt_error *err);

#endif
