/*
 * session.c - see session.h.
 *
 * Times are parsed here by hand rather than with strptime/timegm so the
 * domain stays free of the C library's locale and time-zone state: a UTC
 * timestamp is just a day number (validate.h) times 86400 plus the seconds
 * of the day.
 */
#include "domain/session.h"

#include <stdio.h>
#include <string.h>

#include "domain/validate.h"

static const char *const status_names[SESSION_STATUS_COUNT] = {"scheduled", "completed",
							       "cancelled", "no_show"};
static const char *const kind_names[SESSION_KIND_COUNT] = {"intro", "regular"};
static const char *const side_names[SIDE_COUNT] = {"mentor", "mentee"};

const char *session_status_name(session_status s)
{
	return (unsigned)s < SESSION_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *session_kind_name(session_kind k)
{
	return (unsigned)k < SESSION_KIND_COUNT ? kind_names[k] : "unknown";
}

const char *pair_side_name(pair_side s)
{
	return (unsigned)s < SIDE_COUNT ? side_names[s] : "unknown";
}

/* Index of s in names[0..n), or -1. */
static int find_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int session_parse_status(const char *field, const char *s, session_status *out, mt_error *err)
{
	int i = find_name(status_names, SESSION_STATUS_COUNT, s);
	if (i < 0)
		return mt_invalid(err, field, "%s must be scheduled, completed, cancelled or no_show",
				  field);
	*out = (session_status)i;
	return 0;
}

int session_parse_kind(const char *field, const char *s, session_kind *out, mt_error *err)
{
	int i = find_name(kind_names, SESSION_KIND_COUNT, s);
	if (i < 0)
		return mt_invalid(err, field, "%s must be intro or regular", field);
	*out = (session_kind)i;
	return 0;
}

int pair_side_parse(const char *field, const char *s, pair_side *out, mt_error *err)
{
	int i = find_name(side_names, SIDE_COUNT, s);
	if (i < 0)
		return mt_invalid(err, field, "%s must be mentor or mentee", field);
	*out = (pair_side)i;
	return 0;
}

static bool two_digits(const char *p, int *out)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*out = (p[0] - '0') * 10 + (p[1] - '0');
	return true;
}

int session_parse_time(mt_arena *a, const char *field, const char *s, const char **canonical,
		       int64_t *epoch, mt_error *err)
{
	char ex[96];
	int32_t days;
	int h, mi, sec = 0;
	const char *p;
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use a UTC date and time like "
				  "2025-03-10T14:00:00Z", field);
	size_t len = strlen(s);
	char date[11];
	if (len < 17 || (s[10] != 'T' && s[10] != ' '))
		goto bad;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (validate_date_parse(date, &days) < 0)
		goto bad;
	p = s + 11;
	if (!two_digits(p, &h) || p[2] != ':' || !two_digits(p + 3, &mi))
		goto bad;
	p += 5;
	if (*p == ':') {
		if (!two_digits(p + 1, &sec))
			goto bad;
		p += 3;
	}
	if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
		goto bad;
	if (h > 23 || mi > 59 || sec > 59)
		goto bad;
	int64_t t = (int64_t)days * 86400 + h * 3600 + mi * 60 + sec;
	if (canonical) {
		char buf[21];
		session_format_time(t, buf);
		*canonical = arena_strdup(a, buf);
	}
	*epoch = t;
	return 0;
bad:
	return mt_invalid(err, field, "%s: %s is not a date and time; use 2025-03-10T14:00:00Z (UTC)",
			  field, validate_excerpt(s, ex, sizeof ex));
}

void session_format_time(int64_t epoch, char out[21])
{
	int64_t days = epoch >= 0 ? epoch / 86400 : -((-epoch + 86399) / 86400);
	int64_t secs = epoch - days * 86400;
	int y, m, d;
	validate_days_to_ymd((int32_t)days, &y, &m, &d);
	char buf[64];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, buf, 20);
	out[20] = '\0';
}

int session_transition(session_status from, session_status to, mt_error *err)
{
	/* allowed[from] is a bit mask of the states `from` may become. */
	static const unsigned allowed[SESSION_STATUS_COUNT] = {
		[SESSION_SCHEDULED] = 1u << SESSION_COMPLETED | 1u << SESSION_CANCELLED |
				      1u << SESSION_NO_SHOW,
		[SESSION_CANCELLED] = 1u << SESSION_SCHEDULED,
		[SESSION_NO_SHOW] = 1u << SESSION_COMPLETED,
		[SESSION_COMPLETED] = 0,
	};
	if (from == to || (allowed[from] & (1u << to)))
		return 0;
	return mt_conflict(err, "status", "a %s session cannot become %s", session_status_name(from),
			   session_status_name(to));
}

int session_check_time(session_status status, int64_t held_at, int32_t pair_started,
		       int64_t now, mt_error *err)
{
	if (held_at < (int64_t)pair_started * 86400) {
		char day[11];
		validate_date_format(pair_started, day);
		return mt_invalid(err, "held_at", "held_at: the pair started on %s; a session "
				  "cannot be before that", day);
	}
	if ((status == SESSION_COMPLETED || status == SESSION_NO_SHOW) && held_at > now)
		return mt_invalid(err, "status", "status: a session in the future cannot be %s; "
				  "schedule it instead", session_status_name(status));
	return 0;
}

int session_pair_allows(const char *pair_status, activity_kind what, mt_error *err)
{
	bool active = strcmp(pair_status, "active") == 0;
	bool over = strcmp(pair_status, "completed") == 0 || strcmp(pair_status, "ended") == 0;
	switch (what) {
	case ACTIVITY_LOG_SESSION:
		if (active)
			return 0;
		return mt_conflict(err, "", "the pair is %s; sessions are logged only for an "
				   "active pair", pair_status);
	case ACTIVITY_CHECKIN:
		if (active)
			return 0;
		return mt_conflict(err, "", "the pair is %s; check-ins are answered only while "
				   "it is active", pair_status);
	case ACTIVITY_RATE:
	case ACTIVITY_ASSESS:
		if (active || over)
			return 0;
		return mt_conflict(err, "", "the pair is %s and has not started", pair_status);
	case ACTIVITY_ASSESS_END:
		if (over)
			return 0;
		return mt_conflict(err, "phase", "the pair is %s; the end assessment is asked "
				   "when the pair completes or ends", pair_status);
	}
	return mt_internal(err, "unknown activity %d", (int)what);
}

int rating_check_rater(bool rater_in_pair, session_status session, mt_error *err)
{
	if (!rater_in_pair)
		return mt_forbidden(err, "only the pair's mentor and mentee rate its sessions");
	if (session != SESSION_COMPLETED)
		return mt_conflict(err, "", "the session is %s; only a completed session can be "
				   "rated", session_status_name(session));
	return 0;
}

int session_score_check(const char *field, int64_t score, mt_error *err)
{
	if (score < SCORE_MIN || score > SCORE_MAX)
		return mt_invalid(err, field, "%s: %lld is out of range; use 1 to 5", field,
				  (long long)score);
	return 0;
}

bool feedback_comment_visible(bool viewer_is_manager, int64_t viewer_person,
			      int64_t author_person, bool share_feedback)
{
	if (viewer_is_manager)
		return true;
	if (viewer_person == 0)
		return false;
	if (viewer_person == author_person)
		return true;
	/* The viewer passed the pair's access rule, so they are the other side. */
	return share_feedback;
}

bool checkin_due(int32_t pair_started, bool has_last, int32_t last_answered, int interval_days,
		 int32_t today, int32_t *due_on)
{
	if (interval_days < 1)
		interval_days = CHECKIN_INTERVAL_DEFAULT;
	int32_t due = has_last ? last_answered + interval_days : pair_started;
	*due_on = due;
	return today >= due;
}
