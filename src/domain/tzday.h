/*
 * tzday.h - which day a UTC timestamp falls on in a program's time zone.
 *
 * Why our own: the C library answers this only through the process-wide TZ
 * variable (setenv + tzset + localtime_r), which is global mutable state
 * shared by every thread of the server.  A KPI report only needs "the local
 * day of this instant", so a time zone here is a small immutable table of
 * UTC offsets: one fixed offset ("UTC", "Z", "+02:00", "-0530"), or the
 * transitions of an IANA zone parsed from its TZif file (RFC 8536, version
 * 2+ 64-bit data; the caller reads the file, so this module stays pure).
 * Instants after the file's last transition use the last offset (the POSIX
 * TZ footer rule for future daylight saving is not evaluated).
 */
#ifndef MT_TZDAY_H
#define MT_TZDAY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

typedef struct tzday {
	int32_t fixed_offset;     /* seconds east of UTC when n == 0 */
	size_t n;                 /* transitions */
	int64_t *at;              /* UTC seconds of each transition, ascending */
	int32_t *offset;          /* offset in force from at[i] */
	int32_t first_offset;     /* before the first transition */
} tzday;

/* A fixed offset from "UTC", "GMT", "Z", "+HH:MM", "-HH:MM", "+HHMM" or
 * "+HH" (at most 14 hours).  Returns 0, or -1 (no message) when the text is
 * not one of these: the caller then tries an IANA name. */
int tzday_parse_fixed(const char *text, tzday *tz);
/* Parse TZif bytes into tz (allocates; free with tzday_release).  -1 with
 * err (422, field) when the data is not a valid TZif file. */
int tzday_parse_tzif(const unsigned char *data, size_t len, tzday *tz, const char *field,
		     mt_error *err);
void tzday_release(tzday *tz);
/* The local day number (validate.h's days since 1970-01-01) of a UTC
 * instant given in seconds since the epoch. */
int32_t tzday_day(const tzday *tz, int64_t utc_seconds);
/* The offset east of UTC, in seconds, in force at a UTC instant. */
int32_t tzday_offset(const tzday *tz, int64_t utc_seconds);
/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS" with an optional "Z" or
 * fraction; -1 (and *out untouched) when malformed. */
int tzday_parse_timestamp(const char *s, int64_t *out);

#endif
