/* notify.c - see notify.h. */
#include "http/notify.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/notice.h"
#include "lib/log.h"
#include "lib/timeutil.h"

void notify_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void notify_global_cleanup(void)
{
	curl_global_cleanup();
}

typedef struct attempt {
	bool ok;
	bool retry;          /* worth trying again */
	long code;           /* HTTP status or SMTP reply code */
	char error[256];
} attempt;

static size_t discard(char *ptr, size_t size, size_t n, void *user)
{
	(void)ptr;
	(void)user;
	return size * n;
}

typedef struct upload {
	const char *data;
	size_t len, pos;
} upload;

static size_t read_upload(char *buf, size_t size, size_t n, void *user)
{
	upload *u = user;
	size_t room = size * n, left = u->len - u->pos;
	size_t take = left < room ? left : room;
	memcpy(buf, u->data + u->pos, take);
	u->pos += take;
	return take;
}

static void common_options(CURL *c, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
}

static void finish(CURL *c, CURLcode rc, const char *errbuf, attempt *out)
{
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->code);
	if (rc != CURLE_OK) {
		snprintf(out->error, sizeof(out->error), "%s",
			 errbuf[0] ? errbuf : curl_easy_strerror(rc));
		out->retry = true;
	}
}

static void send_webhook(const notice_settings *s, const char *body, attempt *out)
{
	char errbuf[CURL_ERROR_SIZE] = "", sig[NOTICE_SIGNATURE_LEN], header[128];
	memset(out, 0, sizeof(*out));
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(out->error, sizeof(out->error), "cannot initialise libcurl");
		return;
	}
	notice_sign(s->webhook_secret, body, strlen(body), sig);
	struct curl_slist *h = NULL;
	snprintf(header, sizeof(header), "X-Mentortrack-Signature: %s", sig);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "X-Mentortrack-Event: alerts.raised");
	h = curl_slist_append(h, header);
	common_options(c, errbuf);
	curl_easy_setopt(c, CURLOPT_URL, s->webhook_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mentortrack/" MT_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	CURLcode rc = curl_easy_perform(c);
	finish(c, rc, errbuf, out);
	if (rc == CURLE_OK) {
		out->ok = out->code >= 200 && out->code < 300;
		out->retry = out->code >= 500 || out->code == 408 || out->code == 429;
		if (!out->ok)
			snprintf(out->error, sizeof(out->error), "the webhook answered HTTP %ld",
				 out->code);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void send_email(const notice_settings *s, const char *message, attempt *out)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	memset(out, 0, sizeof(*out));
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(out->error, sizeof(out->error), "cannot initialise libcurl");
		return;
	}
	struct curl_slist *rcpt = NULL;
	for (size_t i = 0; i < s->n_to; i++)
		rcpt = curl_slist_append(rcpt, s->to[i]);
	upload u = {.data = message, .len = strlen(message)};
	common_options(c, errbuf);
	curl_easy_setopt(c, CURLOPT_URL, s->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, s->from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	if (s->smtp_username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->smtp_username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->smtp_password ? s->smtp_password : "");
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	CURLcode rc = curl_easy_perform(c);
	finish(c, rc, errbuf, out);
	out->ok = rc == CURLE_OK;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0)
		;
}

typedef void (*sender)(const notice_settings *s, const char *payload, attempt *out);

/* Try up to NOTIFY_ATTEMPTS times with exponential back-off. */
static int deliver(sender send, const notice_settings *s, const char *payload, attempt *last)
{
	long wait = NOTIFY_BACKOFF_MS;
	int tries = 0;
	for (;;) {
		tries++;
		send(s, payload, last);
		if (last->ok || !last->retry || tries >= NOTIFY_ATTEMPTS)
			return tries;
		sleep_ms(wait);
		wait *= 2;
	}
}

/* Record one delivery (its own short transaction) and describe it. */
static json_t *record(db *d, int64_t program_id, const char *channel, const char *target,
		      const char *ids, const attempt *at, int tries, const char *started)
{
	char done[32];
	time_now_iso(done, sizeof(done));
	alert_delivery x = {
		.program_id = program_id, .channel = channel, .target = target, .alert_ids = ids,
		.delivered = at->ok, .attempts = tries, .response_code = at->code,
		.error = at->ok ? NULL : at->error, .created_at = started, .finished_at = done,
	};
	mt_error err;
	mt_error_clear(&err);
	if (db_begin(d, &err) < 0 || store_alert_delivery_add(d, &x, &err) < 0 ||
	    db_commit(d, &err) < 0) {
		db_rollback(d);
		log_error("alerts: program %lld: cannot record the %s delivery: %s",
			  (long long)program_id, channel, err.message);
	}
	if (at->ok)
		log_info("alerts: program %lld: %s to %s delivered (%d attempt%s)",
			 (long long)program_id, channel, target, tries, tries == 1 ? "" : "s");
	else
		log_error("alerts: program %lld: %s to %s failed after %d attempt%s: %s",
			  (long long)program_id, channel, target, tries, tries == 1 ? "" : "s",
			  at->error);
	return json_pack("{s:s, s:s, s:s, s:i, s:I, s:s?}", "channel", channel, "target", target,
			 "status", at->ok ? "delivered" : "failed", "attempts", tries,
			 "response_code", (json_int_t)at->code, "error", at->ok ? NULL : at->error);
}

json_t *notify_alerts(db *d, const alert_check_result *res, time_t now)
{
	json_t *out = json_array();
	if (!res->raised)
		return out;
	mt_arena a;
	arena_init(&a);
	mt_program prog;
	notice_settings s;
	mt_error err;
	mt_error_clear(&err);
	char started[32];
	time_now_iso(started, sizeof(started));
	char *ids = json_dumps(res->raised_ids, JSON_COMPACT);
	if (store_program_get(d, &a, res->program_id, &prog, &err) < 0 ||
	    notice_settings_parse(&a, prog.settings, &s, &err) < 0) {
		/* Invalid settings: say so in the log and the summary, send nothing. */
		log_error("alerts: program %lld: no notification sent: %s",
			  (long long)res->program_id, err.message);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "channel", "settings",
						     "status", "failed", "error", err.message));
		goto done;
	}
	if (s.email) {
		strbuf to = STRBUF_INIT;
		for (size_t i = 0; i < s.n_to; i++)
			sb_addf(&to, "%s%s", i ? ", " : "", s.to[i]);
		char *msg = notice_email(&a, &s, prog.id, prog.name, res->raised_alerts, res->raised,
					 (int64_t)now);
		attempt at;
		int tries = deliver(send_email, &s, msg, &at);
		json_array_append_new(out, record(d, prog.id, "email", sb_str(&to), ids, &at, tries,
						  started));
		sb_release(&to);
	}
	if (s.webhook) {
		char *body = notice_webhook_body(&a, prog.id, prog.name, res->raised_alerts,
						 res->raised, started);
		attempt at;
		int tries = deliver(send_webhook, &s, body, &at);
		json_array_append_new(out, record(d, prog.id, "webhook", s.webhook_url, ids, &at,
						  tries, started));
	}
done:
	free(ids);
	arena_free(&a);
	return out;
}

int alert_run_program(db *d, const mt_actor *who, int64_t program_id, time_t now,
		      json_t **summary, mt_error *err)
{
	mt_arena a;
	arena_init(&a);
	alert_check_result res;
	*summary = NULL;
	int rc = store_alert_check(d, &a, who, program_id, now, &res, err);
	if (rc == 0) {
		json_t *sent = notify_alerts(d, &res, now);
		*summary = alert_check_json(&res);
		json_object_set_new(*summary, "notifications", sent);
	}
	alert_check_release(&res);
	arena_free(&a);
	return rc;
}
