/*
 * h_alerts.c - the health monitor over the API: a program's alerts (its
 * managers), their counts (also viewers: aggregated data only), checking a
 * program now, and a manager acknowledging or resolving an alert with a
 * note.  Every write records an audit row in its transaction
 * (audited_write).
 *
 * Who sees what: alerts name people and quote their ratings, so the list
 * and each alert are for the program's managers (and admins); viewers get
 * the counts by rule and status from .../alerts/summary, the same figures
 * H1 reports; mentors and mentees get 403.
 */
#include "http/handlers.h"

#include <string.h>

#include "http/audited.h"
#include "http/list_filter.h"
#include "http/notify.h"
#include "lib/jsonutil.h"
#include "lib/timeutil.h"
#include "store/alert.h"

enum { ALERT_NOTE_MAX = 4000 };

/* ?status=: an alert status, or "live" (open and acknowledged). */
static int status_filter(mt_req *r, query *q, const char *v, mt_error *err)
{
	(void)r;
	if (!strcmp(v, "live")) {
		query_and(q, "a.status <> 'resolved'");
		return 0;
	}
	if (strcmp(v, "open") && strcmp(v, "acknowledged") && strcmp(v, "resolved"))
		return mt_bad_request(err, "status",
				      "status must be open, acknowledged, resolved "
				      "or live (open and acknowledged)");
	query_and_text(q, "a.status = $?", v);
	return 0;
}

static bool is_rule(const char *v)
{
	return health_rule_from_name(v) >= 0;
}

static const list_filter alert_filters[] = {
	LIST_FUNC("status", status_filter),
	LIST_CHECK("rule", "a.rule = $?", is_rule,
		   "rule must be low_rating, waiting_too_long, stalled_pair, no_intro, "
		   "over_capacity or goal_overdue"),
	LIST_ID("pair_id", "a.pair_id = $?"),
	LIST_ID("person_id", "a.person_id = $?"),
	LIST_END,
};

int h_alerts_list(mt_req *r, mt_error *err)
{
	return list_filter_serve_program(r, alert_filters, store_alert_list, err);
}

int h_alerts_summary(mt_req *r, mt_error *err)
{
	json_t *s = store_alert_summary(r->db, r->ids[0], err);
	return s ? req_reply(r, 200, s) : -1;
}

int h_alerts_check(mt_req *r, mt_error *err)
{
	mt_actor who = req_actor(r);
	json_t *summary;
	if (alert_run_program(r->db, &who, r->ids[0], time_now(), &summary, err) < 0)
		return -1;
	return req_reply(r, 200, summary);
}

static bool is_channel(const char *v)
{
	return !strcmp(v, "email") || !strcmp(v, "webhook");
}

static bool is_delivery_status(const char *v)
{
	return !strcmp(v, "delivered") || !strcmp(v, "failed");
}

static const list_filter delivery_filters[] = {
	LIST_CHECK("channel", "n.channel = $?", is_channel, "channel must be email or webhook"),
	LIST_CHECK("status", "n.status = $?", is_delivery_status,
		   "status must be delivered or failed"),
	LIST_END,
};

int h_alerts_deliveries(mt_req *r, mt_error *err)
{
	return list_filter_serve_program(r, delivery_filters, store_alert_delivery_list, err);
}

int h_alerts_get(mt_req *r, mt_error *err)
{
	json_t *a = store_alert_json(r->db, r->ids[0], err);
	return a ? req_reply(r, 200, a) : -1;
}

/* The writes of an alert's change: `note` points to the (optional) note. */
static int64_t acknowledge(mt_req *r, void *note, mt_error *err)
{
	return store_alert_acknowledge(r->db, r->ids[0], r->user.id, *(const char **)note, err);
}

static int64_t resolve(mt_req *r, void *note, mt_error *err)
{
	return store_alert_resolve(r->db, r->ids[0], r->user.id, *(const char **)note, err);
}

static const audited_op acknowledge_op = {
	.entity = "alert", .write = acknowledge, .read = store_alert_json, .action = "acknowledge"};
static const audited_op resolve_op = {
	.entity = "alert", .write = resolve, .read = store_alert_json, .action = "resolve"};

/* Acknowledge or resolve alert ids[0] with the body's optional note. */
static int change(mt_req *r, const audited_op *op, mt_error *err)
{
	static const char *const allowed[] = {"note", NULL};
	json_t *body = r->body_len ? req_json_body(r, err) : json_object();
	const char *note = NULL;
	int rc = -1;
	if (!body || json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "note", false, &note, NULL, err) < 0)
		goto out;
	if (note && strlen(note) > ALERT_NOTE_MAX) {
		mt_invalid(err, "note", "note is longer than %d bytes", ALERT_NOTE_MAX);
		goto out;
	}
	if (note && !*note)
		note = NULL;
	rc = audited_write(r, op, 0, r->ids[0], &note, err);
out:
	json_decref(body);
	return rc;
}

int h_alerts_acknowledge(mt_req *r, mt_error *err)
{
	return change(r, &acknowledge_op, err);
}

int h_alerts_resolve(mt_req *r, mt_error *err)
{
	return change(r, &resolve_op, err);
}
