/* test_ical.c - the iCalendar feed (icalfeed.c), parsed back with libical's
 * own parser: exactly the given sessions, with their UIDs and times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "domain/icalfeed.h"
#include "domain/validate.h"

static int64_t at(const char *date, int hour, int minute)
{
	int32_t d = 0;
	assert_int_equal(validate_date_parse(date, &d), 0);
	return (int64_t)d * 86400 + hour * 3600 + minute * 60;
}

static void test_roundtrip(void **state)
{
	(void)state;
	mt_error err;
	const icalfeed_event ev[] = {
		{41, at("2025-03-17", 9, 30), 45, "Mentoring: Zoë Ødegaard & José, \"Pepe\"; Núñez",
		 "Program: Leaders 2025"},
		{42, at("2025-03-24", 16, 0), 90, "Intro - Mentoring: A & B", NULL},
		{1007, at("2025-12-31", 23, 30), 60, "Year end, with a very long summary that "
		 "certainly needs folding across more than one line of seventy-five octets", "x"},
	};
	char *text = icalfeed_build("mentortrack sessions", ev, 3, at("2025-03-10", 12, 0), &err);
	assert_non_null(text);
	assert_non_null(strstr(text, "\r\n"));

	icalcomponent *cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	size_t n = 0;
	for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
	     c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), n++) {
		assert_true(n < 3);
		char uid[64];
		icalfeed_uid(ev[n].session_id, uid, sizeof(uid));
		assert_string_equal(icalcomponent_get_uid(c), uid);
		assert_string_equal(icalcomponent_get_summary(c), ev[n].summary);
		struct icaltimetype start = icalcomponent_get_dtstart(c);
		struct icaltimetype end = icalcomponent_get_dtend(c);
		assert_true(icaltime_is_utc(start));
		assert_int_equal((int64_t)icaltime_as_timet(start), ev[n].start);
		assert_int_equal((int64_t)icaltime_as_timet(end), ev[n].start + ev[n].minutes * 60);
		if (ev[n].description)
			assert_string_equal(icalcomponent_get_description(c), ev[n].description);
	}
	assert_int_equal(n, 3);
	icalcomponent_free(cal);
	free(text);
}

static void test_empty_feed(void **state)
{
	(void)state;
	mt_error err;
	char *text = icalfeed_build(NULL, NULL, 0, 0, &err);
	assert_non_null(text);
	icalcomponent *cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 0);
	icalcomponent_free(cal);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_empty_feed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
