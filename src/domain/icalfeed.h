/*
 * icalfeed.h - a participant's scheduled sessions as an iCalendar feed
 * (RFC 5545), so they appear in the calendar the person already uses.
 *
 * Built with libical rather than by pasting text: line folding, escaping of
 * names with commas or semicolons and the UTC time format are exactly the
 * details a calendar client rejects a feed for.  Pure: the caller passes the
 * events and the current time (DTSTAMP).  Each event's UID is
 * "session-<id>@mentortrack", stable across fetches, so a client updates an
 * event in place when the session moves and drops it when it is no longer
 * in the feed.
 */
#ifndef MT_ICALFEED_H
#define MT_ICALFEED_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

typedef struct icalfeed_event {
	int64_t session_id;
	int64_t start;            /* UTC, seconds since the epoch */
	int minutes;
	const char *summary;
	const char *description;  /* may be NULL */
} icalfeed_event;

/* The UID of a session's event into out (size n). */
void icalfeed_uid(int64_t session_id, char *out, size_t n);

/* A VCALENDAR holding one VEVENT per event, in order.  Returns a string the
 * caller frees with free(), or NULL with err (500) when libical fails. */
char *icalfeed_build(const char *calendar_name, const icalfeed_event *events, size_t n,
		     int64_t now, mt_error *err);

#endif
