/*
 * notice.h - what an alert notification says and where it goes: the
 * program's notification settings, the email message, the webhook body and
 * its HMAC-SHA256 signature.  Pure: building a message reads no clock and
 * sends nothing (http/notify.c does the sending, with retries).
 *
 * Settings, per program (every channel optional):
 *   {"notifications": {
 *      "email": {"to": ["a@example.com"], "smtp_url": "smtp://127.0.0.1:2525",
 *                "from": "mentortrack@example.com",
 *                "username": "...", "password": "..."},
 *      "webhook": {"url": "https://hooks.example.com/mt", "secret": "..."}}}
 *
 * One check sends at most one email and one webhook per program, listing the
 * alerts it raised (the first ALERT_NOTIFY_MAX, with the total).
 */
#ifndef MT_NOTICE_H
#define MT_NOTICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

typedef struct notice_settings {
	bool email;                /* an email channel is configured */
	const char *smtp_url;      /* smtp:// or smtps:// URL */
	const char *from;          /* envelope and header sender */
	const char **to;           /* recipients */
	size_t n_to;
	const char *smtp_username; /* NULL: no SMTP authentication */
	const char *smtp_password;
	bool webhook;              /* a webhook channel is configured */
	const char *webhook_url;   /* http:// or https:// URL */
	const char *webhook_secret;
} notice_settings;

/* "sha256=" + 64 hex digits + NUL. */
enum { NOTICE_SIGNATURE_LEN = 72 };

/* Read settings.notifications (strings copied into `a`).  No key means no
 * channel.  422 naming the field, e.g. "settings.notifications.email.to". */
int notice_settings_parse(mt_arena *a, const char *settings_json, notice_settings *out,
			  mt_error *err);

/*
 * The email for the alerts one check raised in a program: an RFC 5322
 * message (CRLF lines, headers then a UTF-8 plain-text body) ready for
 * SMTP.  `alerts` is an array of alert objects as the API shows them,
 * `total` how many were raised (may exceed the array), `now` the send time
 * (Date header and Message-ID) and `message_id_host` the right side of the
 * Message-ID.  Header values are stripped of CR and LF; a non-ASCII subject
 * is RFC 2047 encoded.
 */
char *notice_email(mt_arena *a, const notice_settings *s, int64_t program_id,
		   const char *program_name, json_t *alerts, int64_t total, int64_t now);

/* The webhook body: {"event": "alerts.raised", "program": {"id", "name"},
 * "sent_at", "total", "truncated", "alerts": [...]}, compact JSON in `a`. */
char *notice_webhook_body(mt_arena *a, int64_t program_id, const char *program_name,
			  json_t *alerts, int64_t total, const char *sent_at);

/* "sha256=<hex HMAC-SHA256 of body keyed with secret>" into out. */
void notice_sign(const char *secret, const char *body, size_t len,
		 char out[NOTICE_SIGNATURE_LEN]);

#endif
