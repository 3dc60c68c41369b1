/* icalfeed.c - see icalfeed.h. */
#include "domain/icalfeed.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void icalfeed_uid(int64_t session_id, char *out, size_t n)
{
	snprintf(out, n, "session-%lld@mentortrack", (long long)session_id);
}

static icalcomponent *event_component(const icalfeed_event *e, struct icaltimetype stamp)
{
	char uid[64];
	icalfeed_uid(e->session_id, uid, sizeof(uid));
	struct icaltimetype start = icaltime_from_timet_with_zone((time_t)e->start, 0,
								 icaltimezone_get_utc_timezone());
	struct icaltimetype end = icaltime_from_timet_with_zone(
		(time_t)(e->start + (int64_t)e->minutes * 60), 0, icaltimezone_get_utc_timezone());
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
	icalcomponent_add_property(ev, icalproperty_new_dtend(end));
	icalcomponent_add_property(ev, icalproperty_new_summary(e->summary ? e->summary : ""));
	if (e->description)
		icalcomponent_add_property(ev, icalproperty_new_description(e->description));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	return ev;
}

char *icalfeed_build(const char *calendar_name, const icalfeed_event *events, size_t n,
		     int64_t now, mt_error *err)
{
	struct icaltimetype stamp = icaltime_from_timet_with_zone((time_t)now, 0,
								 icaltimezone_get_utc_timezone());
	icalcomponent *cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
						 icalproperty_new_version("2.0"),
						 icalproperty_new_prodid("-//mentortrack//sessions//EN"),
						 icalproperty_new_method(ICAL_METHOD_PUBLISH),
						 (void *)0);
	if (!cal) {
		mt_internal(err, "could not build the calendar: %s", icalerror_strerror(icalerrno));
		return NULL;
	}
	icalproperty *name = icalproperty_new_x(calendar_name ? calendar_name : "mentortrack");
	icalproperty_set_x_name(name, "X-WR-CALNAME");
	icalcomponent_add_property(cal, name);
	for (size_t i = 0; i < n; i++)
		icalcomponent_add_component(cal, event_component(&events[i], stamp));
	/* icalcomponent_as_ical_string_r hands us a string we own (free()). */
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		mt_internal(err, "could not serialise the calendar: %s",
			    icalerror_strerror(icalerrno));
	return text;
}
