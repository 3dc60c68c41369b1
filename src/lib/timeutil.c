/* timeutil.c - see timeutil.h. */
#include "lib/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

time_t time_now(void)
{
	const char *pin = getenv("MENTORTRACK_NOW");
	time_t t;
	if (pin && *pin && time_parse_iso(pin, &t) == 0)
		return t;
	return time(NULL);
}

void time_format_iso(time_t t, char *buf, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_format_date(time_t t, char *buf, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

void time_now_iso(char *buf, size_t n)
{
	time_format_iso(time_now(), buf, n);
}

void time_today(char *buf, size_t n)
{
	time_format_date(time_now(), buf, n);
}

int32_t time_today_days(void)
{
	enum { DAY = 24 * 60 * 60 };
	time_t t = time_now();
	/* Round down also before 1970 (C division truncates towards zero). */
	return (int32_t)(t / DAY - (t % DAY < 0));
}

int time_parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int h = 0, mi = 0, se = 0, used = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 ||
	    used != 10)
		return -1;
	if (s[10] == 'T' || s[10] == ' ') {
		int used2 = 0;
		if (sscanf(s + 11, "%2d:%2d:%2d%n", &h, &mi, &se, &used2) != 3 || used2 != 8)
			return -1;
		const char *rest = s + 19;
		if (*rest && strcmp(rest, "Z") != 0)
			return -1;
	} else if (s[10] != '\0') {
		return -1;
	}
	int year = tm.tm_year, mon = tm.tm_mon, day = tm.tm_mday;
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_year + 1900 != year || back.tm_mon + 1 != mon || back.tm_mday != day)
		return -1; /* e.g. February 30th */
	*out = t;
	return 0;
}
