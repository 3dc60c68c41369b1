/* tzday.c - local days of UTC instants without global state (see tzday.h). */
#include "domain/tzday.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/validate.h"

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int tzday_parse_fixed(const char *text, tzday *tz)
{
	memset(tz, 0, sizeof(*tz));
	if (!text || !*text || strcasecmp(text, "UTC") == 0 || strcasecmp(text, "GMT") == 0 ||
	    strcmp(text, "Z") == 0 || strcasecmp(text, "Etc/UTC") == 0)
		return 0;
	if (text[0] != '+' && text[0] != '-')
		return -1;
	int h, m = 0;
	size_t len = strlen(text);
	if (digits(text + 1, 2, &h) < 0)
		return -1;
	if (len == 6 && text[3] == ':') {
		if (digits(text + 4, 2, &m) < 0)
			return -1;
	} else if (len == 5) {
		if (digits(text + 3, 2, &m) < 0)
			return -1;
	} else if (len != 3) {
		return -1;
	}
	if (h > 14 || m > 59)
		return -1;
	tz->fixed_offset = (text[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

int tzday_parse_tzif(const unsigned char *data, size_t len, tzday *tz, const char *field,
		     mt_error *err)
{
	memset(tz, 0, sizeof(*tz));
	if (len < 44 || memcmp(data, "TZif", 4) != 0)
		goto bad;
	/* Skip the version-1 (32-bit) block when a 64-bit one follows. */
	const unsigned char *h = data;
	int tsize = 4;
	for (int pass = 0; pass < 2; pass++) {
		int64_t isutc = be(h + 20, 4), isstd = be(h + 24, 4), leap = be(h + 28, 4),
			timecnt = be(h + 32, 4), typecnt = be(h + 36, 4), charcnt = be(h + 40, 4);
		if (isutc < 0 || isstd < 0 || leap < 0 || timecnt < 0 || typecnt <= 0 ||
		    charcnt < 0)
			goto bad;
		size_t body = (size_t)timecnt * (size_t)(tsize + 1) + (size_t)typecnt * 6 +
			      (size_t)charcnt + (size_t)leap * (size_t)(tsize + 4) +
			      (size_t)isstd + (size_t)isutc;
		if ((size_t)(h - data) + 44 + body > len)
			goto bad;
		if (pass == 0 && data[4] >= '2') {
			h += 44 + body;
			tsize = 8;
			if ((size_t)(h - data) + 44 > len || memcmp(h, "TZif", 4) != 0)
				goto bad;
			continue;
		}
		const unsigned char *times = h + 44;
		const unsigned char *idx = times + timecnt * tsize;
		const unsigned char *types = idx + timecnt;
		tz->n = (size_t)timecnt;
		tz->at = calloc(tz->n + 1, sizeof(int64_t));
		tz->offset = calloc(tz->n + 1, sizeof(int32_t));
		if (!tz->at || !tz->offset)
			abort();
		for (int64_t i = 0; i < timecnt; i++) {
			if (idx[i] >= typecnt)
				goto bad;
			tz->at[i] = be(times + i * tsize, tsize);
			tz->offset[i] = (int32_t)be(types + idx[i] * 6, 4);
			if (i && tz->at[i] <= tz->at[i - 1])
				goto bad;
		}
		/* Before the first transition: the first non-DST type (RFC 8536 3.2). */
		tz->first_offset = (int32_t)be(types, 4);
		for (int64_t t = 0; t < typecnt; t++)
			if (types[t * 6 + 4] == 0) {
				tz->first_offset = (int32_t)be(types + t * 6, 4);
				break;
			}
		tz->fixed_offset = tz->first_offset;
		return 0;
	}
bad:
	tzday_release(tz);
	return mt_invalid(err, field, "%s: the time-zone data is not a valid TZif file", field);
}

void tzday_release(tzday *tz)
{
	free(tz->at);
	free(tz->offset);
	memset(tz, 0, sizeof(*tz));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t tzday_offset(const tzday *tz, int64_t t)
{
	if (!tz->n)
		return tz->fixed_offset;
	if (t < tz->at[0])
		return tz->first_offset;
	size_t lo = 0, hi = tz->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (tz->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offset[lo];
}

int32_t tzday_day(const tzday *tz, int64_t t)
{
	return (int32_t)floor_div(t + tzday_offset(tz, t), 86400);
}

int tzday_parse_timestamp(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' || digits(s, 4, &y) < 0 || digits(s + 5, 2, &mo) < 0 ||
	    digits(s + 8, 2, &d) < 0 || digits(s + 11, 2, &h) < 0 || digits(s + 14, 2, &mi) < 0 ||
	    digits(s + 17, 2, &se) < 0 || !validate_ymd_is_valid(y, mo, d) || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	*out = (int64_t)validate_ymd_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}
