/*
 * alert.h - the health monitor's store: the facts the rules read, the
 * reconciliation of the rules' answer with the alerts table, and the alert
 * lifecycle (acknowledge, resolve) and notification delivery records.
 *
 * A check is one transaction: load the program's facts (a handful of
 * queries), evaluate (domain/health.h), raise the conditions that have no
 * unresolved alert yet, resolve with resolution 'auto' the unresolved
 * alerts whose condition cleared, bump the program's data version and
 * record one audit row, all or nothing.  The partial unique index of 0004
 * guarantees one unresolved alert per condition key even if two checks
 * race.  A manually resolved alert blocks its key until a check sees the
 * condition clear (0005's cleared_at), so a manager's "resolved" is not
 * undone by the next check.
 */
#ifndef MT_STORE_ALERT_H
#define MT_STORE_ALERT_H

#include <time.h>

#include "domain/health.h"
#include "store/store.h"

/* What one check did.  raised_alerts holds the first ALERT_NOTIFY_MAX raised
 * alerts as the API shows them (the caller owns it: alert_check_release). */
enum { ALERT_NOTIFY_MAX = 100 };

typedef struct alert_check_result {
	int64_t program_id;
	const char *program_name;         /* in the caller's arena */
	int64_t raised;
	int64_t resolved;                 /* auto-resolved because the condition cleared */
	int64_t unblocked;                /* manual resolutions whose condition cleared */
	int64_t open_by_rule[HEALTH_RULE_COUNT];  /* open or acknowledged after the check */
	int64_t open_total;
	json_t *raised_alerts;            /* array */
	json_t *raised_ids;               /* array of every raised id */
	json_t *resolved_ids;             /* array of every auto-resolved id */
} alert_check_result;

/* Load the facts of a program for day `today` (day number; `now_iso` is the
 * current UTC timestamp: sessions after it are not held yet).  Arrays in `a`. */
int store_alert_facts(db *d, mt_arena *a, int64_t program_id, int32_t today,
		      const char *now_iso, health_facts *out, mt_error *err);

/* Check one program at time `now` and reconcile, as described above.  `who`
 * is recorded in the audit row ("cli", "alerts-worker" or the user).  Fails
 * (nothing written) on a database error or invalid settings.health.  The
 * check changes two settings of the connection (SQLite: foreign keys and
 * page cache, see store_alert.c) and puts them back; should that fail, it
 * fails too, after writing. */
int store_alert_check(db *d, mt_arena *a, const mt_actor *who, int64_t program_id, time_t now,
		      alert_check_result *out, mt_error *err);
void alert_check_release(alert_check_result *r);
/* The result as JSON (program, raised, resolved, open by rule, the raised
 * alerts' ids).  New reference. */
json_t *alert_check_json(const alert_check_result *r);

/* Ids of the programs the interval check covers (status open or running). */
int store_alert_programs(db *d, mt_arena *a, int64_t **ids, size_t *n, mt_error *err);

/* One alert as the API shows it (with person_name), 404 when absent. */
json_t *store_alert_json(db *d, int64_t id, mt_error *err);
/* Page of a program's alerts; filters use alias a (alerts). */
json_t *store_alert_list(db *d, int64_t program_id, query *q, const char *sort, int64_t limit,
			 int64_t offset, mt_error *err);
/* The program of an alert: 0, or 1 when there is no such alert. */
int store_alert_program(db *d, int64_t id, int64_t *program_id, mt_error *err);
/* Counts by status and rule: {"open": {rule: n...}, "acknowledged": {...},
 * "resolved": {...}, "open_total", "acknowledged_total", "resolved_total",
 * "last_raised_at"}.  Every rule is present (0 when none). */
json_t *store_alert_summary(db *d, int64_t program_id, mt_error *err);

/* Acknowledge an open alert (409 "status" unless open) or resolve an open or
 * acknowledged one (409 when already resolved), by `user_id`, with an
 * optional note.  Bumps the program's data version.  Caller holds the tx
 * and writes the audit row. */
int store_alert_acknowledge(db *d, int64_t id, int64_t user_id, const char *note,
			    mt_error *err);
int store_alert_resolve(db *d, int64_t id, int64_t user_id, const char *note, mt_error *err);

/* One notification series (all attempts at one channel for one check). */
typedef struct alert_delivery {
	int64_t program_id;
	const char *channel;      /* email | webhook */
	const char *target;       /* recipients or URL (never the secret) */
	const char *alert_ids;    /* JSON array text */
	bool delivered;
	int attempts;
	long response_code;       /* HTTP status or SMTP reply code, 0 when none */
	const char *error;        /* NULL when delivered */
	const char *created_at;
	const char *finished_at;
} alert_delivery;

int64_t store_alert_delivery_add(db *d, const alert_delivery *x, mt_error *err);
/* Page of a program's deliveries, newest first; alias n. */
json_t *store_alert_delivery_list(db *d, int64_t program_id, query *q, const char *sort,
				  int64_t limit, int64_t offset, mt_error *err);

#endif
