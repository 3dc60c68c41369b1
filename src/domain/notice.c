/* notice.c - see notice.h. */
#include "domain/notice.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/strbuf.h"

static int str_field(mt_arena *a, json_t *obj, const char *key, const char *field, bool required,
		     const char **out, mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return mt_invalid(err, field, "%s is required", field);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    strpbrk(json_string_value(v), "\r\n"))
		return mt_invalid(err, field, "%s must be a non-empty one-line string", field);
	*out = arena_strdup(a, json_string_value(v));
	return 0;
}

static bool looks_like_address(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at != s && at[1] && !strpbrk(s, " <>,;\"");
}

static int check_keys(json_t *obj, const char *field, const char *const *known, mt_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			ok = ok || !strcmp(*k, key);
		if (!ok)
			return mt_invalid(err, field, "%s: unknown key \"%s\"", field, key);
	}
	return 0;
}

static int parse_email(mt_arena *a, json_t *e, notice_settings *s, mt_error *err)
{
	static const char *const known[] = {"to", "smtp_url", "from", "username", "password",
					    NULL};
	const char *f = "settings.notifications.email";
	if (!json_is_object(e))
		return mt_invalid(err, f, "%s must be an object", f);
	if (check_keys(e, f, known, err) < 0)
		return -1;
	json_t *to = json_object_get(e, "to"), *v;
	size_t i;
	if (!json_is_array(to) || json_array_size(to) == 0 || json_array_size(to) > 50)
		return mt_invalid(err, "settings.notifications.email.to",
				  "settings.notifications.email.to must be a list of 1 to 50 email "
				  "addresses");
	s->to = arena_calloc(a, json_array_size(to), sizeof(*s->to));
	json_array_foreach(to, i, v) {
		if (!json_is_string(v) || !looks_like_address(json_string_value(v)))
			return mt_invalid(err, "settings.notifications.email.to",
					  "settings.notifications.email.to[%zu] is not an email "
					  "address", i);
		s->to[s->n_to++] = arena_strdup(a, json_string_value(v));
	}
	if (str_field(a, e, "smtp_url", "settings.notifications.email.smtp_url", true, &s->smtp_url,
		      err) < 0 ||
	    str_field(a, e, "from", "settings.notifications.email.from", false, &s->from, err) < 0 ||
	    str_field(a, e, "username", "settings.notifications.email.username", false,
		      &s->smtp_username, err) < 0 ||
	    str_field(a, e, "password", "settings.notifications.email.password", false,
		      &s->smtp_password, err) < 0)
		return -1;
	if (strncmp(s->smtp_url, "smtp://", 7) && strncmp(s->smtp_url, "smtps://", 8))
		return mt_invalid(err, "settings.notifications.email.smtp_url",
				  "settings.notifications.email.smtp_url must start with smtp:// or "
				  "smtps://");
	if (!s->from)
		s->from = "mentortrack@localhost";
	else if (!looks_like_address(s->from))
		return mt_invalid(err, "settings.notifications.email.from",
				  "settings.notifications.email.from is not an email address");
	s->email = true;
	return 0;
}

static int parse_webhook(mt_arena *a, json_t *w, notice_settings *s, mt_error *err)
{
	static const char *const known[] = {"url", "secret", NULL};
	const char *f = "settings.notifications.webhook";
	if (!json_is_object(w))
		return mt_invalid(err, f, "%s must be an object", f);
	if (check_keys(w, f, known, err) < 0 ||
	    str_field(a, w, "url", "settings.notifications.webhook.url", true, &s->webhook_url,
		      err) < 0 ||
	    str_field(a, w, "secret", "settings.notifications.webhook.secret", true,
		      &s->webhook_secret, err) < 0)
		return -1;
	if (strncmp(s->webhook_url, "http://", 7) && strncmp(s->webhook_url, "https://", 8))
		return mt_invalid(err, "settings.notifications.webhook.url",
				  "settings.notifications.webhook.url must start with http:// or "
				  "https://");
	s->webhook = true;
	return 0;
}

int notice_settings_parse(mt_arena *a, const char *settings_json, notice_settings *out,
			  mt_error *err)
{
	static const char *const known[] = {"email", "webhook", NULL};
	memset(out, 0, sizeof(*out));
	if (!settings_json || !*settings_json)
		return 0;
	json_t *root = json_loads(settings_json, 0, NULL);
	json_t *n = json_is_object(root) ? json_object_get(root, "notifications") : NULL;
	int rc = 0;
	if (!json_is_object(root))
		rc = mt_invalid(err, "settings", "settings must be a JSON object");
	else if (n && !json_is_object(n))
		rc = mt_invalid(err, "settings.notifications",
				"settings.notifications must be an object");
	else if (n)
		rc = check_keys(n, "settings.notifications", known, err) < 0 ||
				     (json_object_get(n, "email") &&
				      parse_email(a, json_object_get(n, "email"), out, err) < 0) ||
				     (json_object_get(n, "webhook") &&
				      parse_webhook(a, json_object_get(n, "webhook"), out, err) < 0)
			     ? -1
			     : 0;
	json_decref(root);
	return rc;
}

/* ---- messages ---------------------------------------------------------- */

static const char *get_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Append a header value with CR and LF replaced by spaces. */
static void add_header_text(strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_addc(sb, *s == '\r' || *s == '\n' ? ' ' : *s);
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Subject, RFC 2047 "B" encoded when not plain ASCII. */
static void add_subject(strbuf *sb, const char *subject)
{
	sb_adds(sb, "Subject: ");
	if (is_ascii(subject)) {
		add_header_text(sb, subject);
	} else {
		size_t len = strlen(subject);
		size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(cap);
		if (b64) {
			sodium_bin2base64(b64, cap, (const unsigned char *)subject, len,
					  sodium_base64_VARIANT_ORIGINAL);
			sb_addf(sb, "=?UTF-8?B?%s?=", b64);
			free(b64);
		}
	}
	sb_adds(sb, "\r\n");
}

/* Body text: lines joined with CRLF; a bare LF in a message becomes CRLF. */
static void add_body_text(strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			sb_adds(sb, "\r\n");
		else
			sb_addc(sb, *s);
	}
}

char *notice_email(mt_arena *a, const notice_settings *s, int64_t program_id,
		   const char *program_name, json_t *alerts, int64_t total, int64_t now)
{
	strbuf sb = STRBUF_INIT, subject = STRBUF_INIT;
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);

	sb_addf(&sb, "Date: %s\r\nFrom: mentortrack <", date);
	add_header_text(&sb, s->from);
	sb_adds(&sb, ">\r\nTo: ");
	for (size_t i = 0; i < s->n_to; i++) {
		sb_adds(&sb, i ? ", " : "");
		add_header_text(&sb, s->to[i]);
	}
	sb_addf(&sb, "\r\nMessage-ID: <alerts-%lld-%lld@mentortrack>\r\n", (long long)program_id,
		(long long)now);
	sb_addf(&subject, "[mentortrack] %s: %lld new alert%s", program_name, (long long)total,
		total == 1 ? "" : "s");
	add_subject(&sb, sb_str(&subject));
	sb_adds(&sb, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
		     "Content-Transfer-Encoding: 8bit\r\nX-Mentortrack-Event: alerts.raised\r\n\r\n");

	sb_addf(&sb, "The health monitor raised %lld new alert%s in program \"", (long long)total,
		total == 1 ? "" : "s");
	add_body_text(&sb, program_name);
	sb_addf(&sb, "\" (id %lld).\r\n\r\n", (long long)program_id);
	size_t i;
	json_t *al;
	json_array_foreach(alerts, i, al) {
		sb_addf(&sb, "- [%s] ", get_str(al, "rule"));
		add_body_text(&sb, get_str(al, "message"));
		sb_addf(&sb, "\r\n  alert %lld, raised %s\r\n",
			(long long)json_integer_value(json_object_get(al, "id")),
			get_str(al, "raised_at"));
	}
	if ((int64_t)json_array_size(alerts) < total)
		sb_addf(&sb, "- ... and %lld more\r\n", (long long)(total - (int64_t)json_array_size(alerts)));
	sb_addf(&sb, "\r\nReview, acknowledge or resolve them in mentortrack: "
		     "GET /api/v1/programs/%lld/alerts?status=open\r\n", (long long)program_id);
	char *out = arena_strdup(a, sb_str(&sb));
	sb_release(&sb);
	sb_release(&subject);
	return out;
}

char *notice_webhook_body(mt_arena *a, int64_t program_id, const char *program_name,
			  json_t *alerts, int64_t total, const char *sent_at)
{
	json_t *o = json_pack("{s:s, s:{s:I, s:s}, s:s, s:I, s:b, s:O}", "event", "alerts.raised",
			      "program", "id", (json_int_t)program_id, "name", program_name,
			      "sent_at", sent_at, "total", (json_int_t)total, "truncated",
			      (int64_t)json_array_size(alerts) < total, "alerts", alerts);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	char *out = arena_strdup(a, text ? text : "{}");
	free(text);
	json_decref(o);
	return out;
}

void notice_sign(const char *secret, const char *body, size_t len,
		 char out[NOTICE_SIGNATURE_LEN])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, NOTICE_SIGNATURE_LEN - 7, mac, sizeof(mac));
}
