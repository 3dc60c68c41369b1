/*
 * timeutil.h - the clock and the one timestamp format.
 *
 * Timestamps are stored as UTC text "YYYY-MM-DDTHH:MM:SSZ" and dates as
 * "YYYY-MM-DD" everywhere.  Only the edges (CLI, HTTP, store) read the clock,
 * through time_now(), which honours MENTORTRACK_NOW (an ISO date or
 * timestamp) so that tests and demos can pin the current time.
 */
#ifndef MT_TIMEUTIL_H
#define MT_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

time_t time_now(void);
/* Format `t` (UTC) into buf: timestamp needs 21 bytes, date 11. */
void time_format_iso(time_t t, char *buf, size_t n);
void time_format_date(time_t t, char *buf, size_t n);
void time_now_iso(char *buf, size_t n);
void time_today(char *buf, size_t n);
/* Today (UTC) as a day number: days since 1970-01-01, the numbering of the
 * dates in domain/validate.h. */
int32_t time_today_days(void);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; -1 on error. */
int time_parse_iso(const char *s, time_t *out);

#endif
