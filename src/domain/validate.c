/*
 * validate.c - see validate.h.
 *
 * Everything here is locale-free on purpose: ctype's isspace/tolower change
 * with the locale and would make a CSV import behave differently on two
 * servers, so ASCII classification is spelled out below.
 */
#include "domain/validate.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ASCII helpers ---------------------------------------------------- */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Bounds of s without surrounding whitespace: [*start, *start + *len). */
static void trim_bounds(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	*start = s;
	*len = n;
}

/* Trimmed, lower-cased copy into buf (size n); false if it does not fit. */
static bool lower_trim(const char *s, char *buf, size_t n)
{
	const char *p;
	size_t len;
	trim_bounds(s, &p, &len);
	if (len >= n)
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)to_lower((unsigned char)p[i]);
	buf[len] = '\0';
	return true;
}

/* ---- strings ---------------------------------------------------------- */

bool validate_is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (!is_space((unsigned char)*s))
			return false;
	return true;
}

char *validate_trim(mt_arena *a, const char *s)
{
	if (!s)
		return NULL;
	const char *p;
	size_t len;
	trim_bounds(s, &p, &len);
	return arena_strndup(a, p, len);
}

char *validate_trim_opt(mt_arena *a, const char *s)
{
	return validate_is_blank(s) ? NULL : validate_trim(a, s);
}

char *validate_oneline(mt_arena *a, const char *s)
{
	if (validate_is_blank(s))
		return NULL;
	const char *p;
	size_t len;
	trim_bounds(s, &p, &len);
	char *out = arena_alloc(a, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (is_space(c)) {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

/* Length of the UTF-8 sequence at s (at most n bytes available), or 0 if it
 * is malformed, overlong, a surrogate or above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return c ? 1 : 0;
	size_t len;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int validate_utf8(const char *field, const char *s, size_t len, mt_error *err)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* Fast path: eight ASCII bytes (no high bit, no NUL) at a time. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if ((w & 0x8080808080808080ull) ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (u[i] >= 0x01 && u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq_len(u + i, len - i);
		if (!n)
			return mt_invalid(err, field,
					  "%s: invalid UTF-8 (byte 0x%02X at position %zu); "
					  "save the file as UTF-8",
					  field, u[i], i + 1);
		i += n;
	}
	return 0;
}

char *validate_excerpt(const char *s, char *buf, size_t n)
{
	enum { MAX_CHARS = 40 };
	size_t o = 0, chars = 0;
	const char *start;
	size_t left;
	trim_bounds(s ? s : "", &start, &left);
	const unsigned char *u = (const unsigned char *)start, *end = u + left;
	if (n < 8) {
		if (n)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	while (u < end && chars < MAX_CHARS) {
		size_t len = utf8_seq_len(u, left);
		char tmp[8];
		size_t tl;
		if (len == 1 && (*u < 0x20 || *u == 0x7F || *u == '"' || *u == '\\')) {
			const char *esc = *u == '\n' ? "\\n" : *u == '\r' ? "\\r" : *u == '\t' ? "\\t"
				        : *u == '"' ? "\\\"" : *u == '\\' ? "\\\\" : NULL;
			if (esc)
				tl = (size_t)snprintf(tmp, sizeof tmp, "%s", esc);
			else
				tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", *u);
		} else if (len == 0) {
			tl = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", *u);
			len = 1;
		} else {
			memcpy(tmp, u, len);
			tl = len;
		}
		if (o + tl + 5 >= n)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
		u += len;
		left -= len;
		chars++;
	}
	if (u < end && o + 4 < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

int validate_text(mt_arena *a, const char *field, const char *s, size_t max_len,
		  const char **out, mt_error *err)
{
	char *t = validate_oneline(a, s);
	if (!t)
		return mt_invalid(err, field, "%s: is empty; a value is required", field);
	if (validate_utf8(field, t, strlen(t), err) < 0)
		return -1;
	if (strlen(t) > max_len)
		return mt_invalid(err, field, "%s: is too long (%zu bytes); use at most %zu",
				  field, strlen(t), max_len);
	*out = t;
	return 0;
}

/* ---- email ------------------------------------------------------------ */

static bool email_local_ok(const unsigned char *p, size_t len)
{
	if (len == 0 || len > 64 || p[0] == '.' || p[len - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '"': case '(': case ')': case ',': case ':': case ';': case '<':
		case '>': case '[': case '\\': case ']': case '@':
			return false;
		}
		if (c <= 0x20 || c == 0x7F)
			return false;
		if (c == '.' && i + 1 < len && p[i + 1] == '.')
			return false;
	}
	return true;
}

static bool email_domain_ok(const unsigned char *p, size_t len)
{
	size_t label = 0, dots = 0;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (c == '.') {
			if (label == 0 || p[i - 1] == '-')
				return false;
			dots++;
			label = 0;
			continue;
		}
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c >= 0x80))
			return false;
		if (c == '-' && label == 0)
			return false;
		if (++label > 63)
			return false;
	}
	return dots > 0 && label > 0 && p[len - 1] != '-';
}

int validate_email(mt_arena *a, const char *field, const char *s, const char **out,
		   mt_error *err)
{
	char ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field,
				  "%s: is empty; enter an email address like name@example.com",
				  field);
	char *t = validate_trim(a, s);
	size_t len = strlen(t);
	char *at = strchr(t, '@');
	bool ok = len <= VALIDATE_EMAIL_MAX && at && !strchr(at + 1, '@') &&
		  email_local_ok((unsigned char *)t, (size_t)(at - t)) &&
		  email_domain_ok((unsigned char *)at + 1, len - (size_t)(at - t) - 1) &&
		  validate_utf8(field, t, len, NULL) == 0;
	if (!ok)
		return mt_invalid(err, field,
				  "%s: %s is not a valid email address; use name@example.com",
				  field, validate_excerpt(t, ex, sizeof ex));
	for (char *p = t; *p; p++)
		*p = (char)to_lower((unsigned char)*p);
	*out = t;
	return 0;
}

/* ---- dates ------------------------------------------------------------ */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool validate_ymd_is_valid(int year, int month, int day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return false;
	int max = mdays[month - 1] + (month == 2 && is_leap(year));
	return day <= max;
}

/* Howard Hinnant's days_from_civil. */
int32_t validate_ymd_to_days(int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (month + 9) % 12;
	int doy = (153 * mp + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void validate_days_to_ymd(int32_t days, int *year, int *month, int *day)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int32_t d = doy - (153 * mp + 2) / 5 + 1;
	int32_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

/* Shape check and split; -1 if s is not exactly NNNN-NN-NN. */
static int date_fields(const char *s, size_t len, int *y, int *m, int *d)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit((unsigned char)s[i]))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return 0;
}

int validate_date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (!s || date_fields(s, strlen(s), &y, &m, &d) < 0 || !validate_ymd_is_valid(y, m, d))
		return -1;
	*days = validate_ymd_to_days(y, m, d);
	return 0;
}

void validate_date_format(int32_t days, char out[11])
{
	int y, m, d;
	validate_days_to_ymd(days, &y, &m, &d);
	unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u};
	out[0] = (char)('0' + v[0] / 1000);
	out[1] = (char)('0' + v[0] / 100 % 10);
	out[2] = (char)('0' + v[0] / 10 % 10);
	out[3] = (char)('0' + v[0] % 10);
	out[4] = out[7] = '-';
	out[5] = (char)('0' + v[1] / 10);
	out[6] = (char)('0' + v[1] % 10);
	out[8] = (char)('0' + v[2] / 10);
	out[9] = (char)('0' + v[2] % 10);
	out[10] = '\0';
}

int validate_date(mt_arena *a, const char *field, const char *s, const char **out,
		  int32_t *days, mt_error *err)
{
	char ex[96];
	const char *p;
	size_t len;
	int y, m, d;
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use a date like 2024-01-31 (YYYY-MM-DD)",
				  field);
	trim_bounds(s, &p, &len);
	if (date_fields(p, len, &y, &m, &d) < 0)
		return mt_invalid(err, field, "%s: %s is not a date; use YYYY-MM-DD", field,
				  validate_excerpt(s, ex, sizeof ex));
	if (!validate_ymd_is_valid(y, m, d))
		return mt_invalid(err, field, "%s: %s is not a real date; use YYYY-MM-DD", field,
				  validate_excerpt(s, ex, sizeof ex));
	if (out)
		*out = arena_strndup(a, p, len);
	if (days)
		*days = validate_ymd_to_days(y, m, d);
	return 0;
}

/* ---- numbers ---------------------------------------------------------- */

int validate_int(const char *field, const char *s, long min, long max, long *out,
		 mt_error *err)
{
	char buf[32], ex[96];
	const char *p;
	size_t len;
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use a whole number from %ld to %ld",
				  field, min, max);
	trim_bounds(s, &p, &len);
	bool shape = len > 0 && len < sizeof buf;
	for (size_t i = 0; shape && i < len; i++)
		shape = is_digit((unsigned char)p[i]) ||
			(i == 0 && (p[i] == '-' || p[i] == '+') && len > 1);
	if (!shape)
		return mt_invalid(err, field, "%s: %s is not a whole number; use %ld to %ld",
				  field, validate_excerpt(s, ex, sizeof ex), min, max);
	memcpy(buf, p, len);
	buf[len] = '\0';
	errno = 0;
	long v = strtol(buf, NULL, 10);
	if (errno == ERANGE || v < min || v > max)
		return mt_invalid(err, field, "%s: %s is out of range; use %ld to %ld", field, buf,
				  min, max);
	*out = v;
	return 0;
}

static int validate_small(const char *field, const char *s, int min, int max, int *out,
			  mt_error *err)
{
	long v;
	if (validate_int(field, s, min, max, &v, err) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int validate_level(const char *field, const char *s, int *out, mt_error *err)
{
	return validate_small(field, s, MT_LEVEL_MIN, MT_LEVEL_MAX, out, err);
}

int validate_seniority(const char *field, const char *s, int *out, mt_error *err)
{
	static const char *const prefixes[] = {"level", "grade", "l", "g"};
	char low[32];
	const char *num = s;
	if (!validate_is_blank(s) && lower_trim(s, low, sizeof low)) {
		for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
			size_t n = strlen(prefixes[i]);
			const char *rest = low + n;
			if (strncmp(low, prefixes[i], n) != 0)
				continue;
			if (*rest == ' ' || *rest == '-')
				rest++;
			if (is_digit((unsigned char)*rest)) {
				num = rest;
				break;
			}
		}
	}
	return validate_small(field, num, MT_SENIORITY_MIN, MT_SENIORITY_MAX, out, err);
}

/* ---- enumerations ----------------------------------------------------- */

/* Lower-case s, dropping whitespace and the separators people sprinkle into
 * names ('_', '-', '/', '&', '.').  False if it does not fit. */
static bool squash(const char *s, char *buf, size_t n)
{
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (is_space(c) || strchr("_-/&.", c))
			continue;
		if (o + 1 >= n)
			return false;
		buf[o++] = (char)to_lower(c);
	}
	buf[o] = '\0';
	return true;
}

static const struct {
	const char *alias;
	mt_goal_category cat;
} goal_aliases[] = {
	{"newskill", MT_GOAL_NEW_SKILL},
	{"newskills", MT_GOAL_NEW_SKILL},
	{"skill", MT_GOAL_NEW_SKILL},
	{"skills", MT_GOAL_NEW_SKILL},
	{"learnanewskill", MT_GOAL_NEW_SKILL},
	{"promotion", MT_GOAL_PROMOTION},
	{"promotions", MT_GOAL_PROMOTION},
	{"career", MT_GOAL_PROMOTION},
	{"careerprogression", MT_GOAL_PROMOTION},
	{"careergrowth", MT_GOAL_PROMOTION},
	{"performance", MT_GOAL_PERFORMANCE},
	{"jobperformance", MT_GOAL_PERFORMANCE},
	{"engagement", MT_GOAL_ENGAGEMENT},
	{"satisfaction", MT_GOAL_ENGAGEMENT},
	{"jobsatisfaction", MT_GOAL_ENGAGEMENT},
	{"satisfactionengagement", MT_GOAL_ENGAGEMENT},
	{"satisfactionorengagement", MT_GOAL_ENGAGEMENT},
	{"satisfactionandengagement", MT_GOAL_ENGAGEMENT},
	{"certification", MT_GOAL_CERTIFICATION},
	{"certifications", MT_GOAL_CERTIFICATION},
	{"training", MT_GOAL_CERTIFICATION},
	{"certificationtraining", MT_GOAL_CERTIFICATION},
	{"certificationortraining", MT_GOAL_CERTIFICATION},
	{"certificationandtraining", MT_GOAL_CERTIFICATION},
	{"other", MT_GOAL_OTHER},
};

int validate_goal_category(const char *field, const char *s, mt_goal_category *out,
			   mt_error *err)
{
	char key[64], ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field,
				  "%s: is empty; use one of new_skill, promotion, performance, "
				  "engagement, certification, other",
				  field);
	if (squash(s, key, sizeof key)) {
		for (int i = 0; i < MT_GOAL_CATEGORY_COUNT; i++) {
			char canon[32];
			squash(mt_goal_category_names[i], canon, sizeof canon);
			if (strcmp(key, canon) == 0) {
				*out = (mt_goal_category)i;
				return 0;
			}
		}
		for (size_t i = 0; i < sizeof goal_aliases / sizeof *goal_aliases; i++) {
			if (strcmp(key, goal_aliases[i].alias) == 0) {
				*out = goal_aliases[i].cat;
				return 0;
			}
		}
	}
	return mt_invalid(err, field,
			  "%s: %s is not a goal category; use one of new_skill, promotion, "
			  "performance, engagement, certification, other",
			  field, validate_excerpt(s, ex, sizeof ex));
}

int validate_goal_areas(const char *field, const char *s, unsigned *out, mt_error *err)
{
	unsigned mask = 0;
	const char *p = s ? s : "";
	while (*p) {
		size_t n = strcspn(p, ";,");
		char item[128];
		if (n >= sizeof item) {
			char ex[96];
			return mt_invalid(err, field, "%s: %s is not a goal category; use one of "
					  "new_skill, promotion, performance, engagement, "
					  "certification, other", field,
					  validate_excerpt(p, ex, sizeof ex));
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (!validate_is_blank(item)) {
			mt_goal_category c;
			if (validate_goal_category(field, item, &c, err) < 0)
				return -1;
			mask |= 1u << c;
		}
		p += n + (p[n] != '\0');
	}
	*out = mask;
	return 0;
}

int validate_bool(const char *field, const char *s, bool *out, mt_error *err)
{
	static const char *const yes[] = {"yes", "true", "y", "1"};
	static const char *const no[] = {"no", "false", "n", "0"};
	char low[16], ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use yes or no", field);
	if (lower_trim(s, low, sizeof low)) {
		for (size_t i = 0; i < 4; i++) {
			if (strcmp(low, yes[i]) == 0 || strcmp(low, no[i]) == 0) {
				*out = strcmp(low, yes[i]) == 0;
				return 0;
			}
		}
	}
	return mt_invalid(err, field,
			  "%s: %s is not yes or no; use yes/no, true/false, y/n or 1/0", field,
			  validate_excerpt(s, ex, sizeof ex));
}

int validate_role(const char *field, const char *s, mt_role *out, mt_error *err)
{
	char low[16], ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use mentor or mentee", field);
	if (lower_trim(s, low, sizeof low)) {
		if (strcmp(low, "mentor") == 0) {
			*out = MT_ROLE_MENTOR;
			return 0;
		}
		if (strcmp(low, "mentee") == 0) {
			*out = MT_ROLE_MENTEE;
			return 0;
		}
	}
	return mt_invalid(err, field, "%s: %s is not a role; use mentor or mentee", field,
			  validate_excerpt(s, ex, sizeof ex));
}

int validate_member_status(const char *field, const char *s, const char **out,
			   mt_error *err)
{
	static const char *const statuses[] = {"pending", "active", "paused", "left"};
	char low[16], ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use pending, active, paused or left",
				  field);
	if (lower_trim(s, low, sizeof low)) {
		for (size_t i = 0; i < 4; i++) {
			if (strcmp(low, statuses[i]) == 0) {
				*out = statuses[i];
				return 0;
			}
		}
	}
	return mt_invalid(err, field,
			  "%s: %s is not a status; use pending, active, paused or left", field,
			  validate_excerpt(s, ex, sizeof ex));
}

int validate_timezone(mt_arena *a, const char *field, const char *s, const char **out,
		      mt_error *err)
{
	char ex[96];
	if (validate_is_blank(s))
		return mt_invalid(err, field, "%s: is empty; use an IANA time zone like Europe/Paris",
				  field);
	char *t = validate_trim(a, s);
	size_t len = strlen(t);
	bool ok = len <= 64 && is_alpha((unsigned char)t[0]) && t[len - 1] != '/';
	for (size_t i = 0; ok && i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		ok = is_alpha(c) || is_digit(c) || strchr("_+-/", c) != NULL;
		if (c == '/' && t[i + 1] == '/')
			ok = false;
	}
	if (!ok)
		return mt_invalid(err, field,
				  "%s: %s is not a time zone; use an IANA name like Europe/Paris "
				  "or UTC",
				  field, validate_excerpt(t, ex, sizeof ex));
	*out = t;
	return 0;
}
