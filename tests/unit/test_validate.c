/*
 * test_validate.c - the edge validators: what they accept, what they
 * refuse, and the exact sentence the user reads when refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/validate.h"

static mt_arena arena;

static int setup(void **state)
{
	(void)state;
	arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static void test_trim_helpers(void **state)
{
	(void)state;
	assert_true(validate_is_blank(NULL));
	assert_true(validate_is_blank(" \t\r\n"));
	assert_false(validate_is_blank(" x "));
	assert_string_equal(validate_trim(&arena, "  a b \r\n"), "a b");
	assert_null(validate_trim(&arena, NULL));
	assert_null(validate_trim_opt(&arena, "   "));
	assert_string_equal(validate_trim_opt(&arena, " x"), "x");
	assert_string_equal(validate_oneline(&arena, " Head of\r\n  Sales\t "), "Head of Sales");
	assert_null(validate_oneline(&arena, "\n"));
	char buf[64];
	assert_string_equal(validate_excerpt("a\"b\nc", buf, sizeof buf), "\"a\\\"b\\nc\"");
	assert_string_equal(validate_excerpt("0123456789012345678901234567890123456789XYZ", buf,
					     sizeof buf),
			    "\"0123456789012345678901234567890123456789...\"");
}

static void test_utf8(void **state)
{
	(void)state;
	mt_error e;
	const char *ok = "Zoë Łukasz Søren José 日本 😀";
	assert_int_equal(validate_utf8("name", ok, strlen(ok), &e), 0);
	assert_int_equal(validate_utf8("name", "Jos\xE9", 4, &e), -1);
	assert_string_equal(e.message, "name: invalid UTF-8 (byte 0xE9 at position 4); save the "
				       "file as UTF-8");
	assert_string_equal(e.field, "name");
	assert_int_equal(e.status, 422);
	assert_int_equal(validate_utf8("x", "\xC0\xAF", 2, NULL), -1);      /* overlong */
	assert_int_equal(validate_utf8("x", "\xED\xA0\x80", 3, NULL), -1);  /* surrogate */
	assert_int_equal(validate_utf8("x", "a\0b", 3, NULL), -1);          /* NUL */
	assert_int_equal(validate_utf8("x", "abcdefghij\xE2\x82", 12, NULL), -1); /* cut */
}

static void test_email(void **state)
{
	(void)state;
	mt_error e;
	const char *out;
	assert_int_equal(validate_email(&arena, "email", "  Ana.Silva+tag@Example.COM ", &out, &e),
			 0);
	assert_string_equal(out, "ana.silva+tag@example.com");
	assert_int_equal(validate_email(&arena, "email", "o'brien@sub.example.co.uk", &out, &e), 0);
	static const char *const bad[] = {"plain", "a@b", "@example.com", "a@@example.com",
					  "a b@example.com", "a@example..com", "a@-example.com",
					  "a.@example.com", "a@example.com.", "a@exa_mple.com"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(validate_email(&arena, "email", bad[i], &out, NULL), -1);
	assert_int_equal(validate_email(&arena, "work_email", "bob@", &out, &e), -1);
	assert_string_equal(e.message,
			    "work_email: \"bob@\" is not a valid email address; use name@example.com");
	assert_int_equal(validate_email(&arena, "email", " ", &out, &e), -1);
	assert_string_equal(e.message,
			    "email: is empty; enter an email address like name@example.com");
}

static void test_dates(void **state)
{
	(void)state;
	mt_error e;
	const char *out;
	int32_t days;
	assert_int_equal(validate_ymd_to_days(1970, 1, 1), 0);
	assert_int_equal(validate_ymd_to_days(2000, 3, 1), 11017);
	assert_int_equal(validate_ymd_to_days(1969, 12, 31), -1);
	for (int32_t d = -719162; d < 2932897; d += 997) {
		int y, m, dd;
		validate_days_to_ymd(d, &y, &m, &dd);
		assert_true(validate_ymd_is_valid(y, m, dd));
		assert_int_equal(validate_ymd_to_days(y, m, dd), d);
	}
	char buf[11];
	validate_date_format(validate_ymd_to_days(2024, 2, 29), buf);
	assert_string_equal(buf, "2024-02-29");
	assert_int_equal(validate_date_parse("2024-02-29", &days), 0);
	assert_int_equal(days, validate_ymd_to_days(2024, 2, 29));
	assert_int_equal(validate_date_parse("2023-02-29", &days), -1);
	assert_int_equal(validate_date_parse("2000-02-29", &days), 0);
	assert_int_equal(validate_date_parse("1900-02-29", &days), -1);
	assert_int_equal(validate_date(&arena, "hire_date", " 2023-02-28 ", &out, &days, &e), 0);
	assert_string_equal(out, "2023-02-28");
	assert_int_equal(validate_date(&arena, "hire_date", "2023-02-30", &out, NULL, &e), -1);
	assert_string_equal(e.message, "hire_date: \"2023-02-30\" is not a real date; use YYYY-MM-DD");
	assert_string_equal(e.field, "hire_date");
	assert_int_equal(validate_date(&arena, "hire_date", "03/02/2023", NULL, NULL, &e), -1);
	assert_string_equal(e.message, "hire_date: \"03/02/2023\" is not a date; use YYYY-MM-DD");
	assert_int_equal(validate_date(&arena, "d", "2023-2-3", NULL, NULL, NULL), -1);
	assert_int_equal(validate_date(&arena, "d", "0000-01-01", NULL, NULL, NULL), -1);
}

static void test_numbers(void **state)
{
	(void)state;
	mt_error e;
	long v;
	int i;
	assert_int_equal(validate_int("capacity", " 20 ", 1, 20, &v, &e), 0);
	assert_int_equal(v, 20);
	assert_int_equal(validate_int("delta", "-3", -5, 5, &v, &e), 0);
	assert_int_equal(v, -3);
	assert_int_equal(validate_int("capacity", "two", 1, 20, &v, &e), -1);
	assert_string_equal(e.message, "capacity: \"two\" is not a whole number; use 1 to 20");
	assert_int_equal(validate_int("capacity", "25", 1, 20, &v, &e), -1);
	assert_string_equal(e.message, "capacity: 25 is out of range; use 1 to 20");
	assert_int_equal(validate_int("capacity", "99999999999999999999999", 1, 20, &v, &e), -1);
	assert_string_equal(e.message, "capacity: 99999999999999999999999 is out of range; use 1 to 20");
	assert_int_equal(validate_int("capacity", "1.5", 1, 20, &v, NULL), -1);
	assert_int_equal(validate_int("capacity", "-", 1, 20, &v, NULL), -1);
	assert_int_equal(validate_int("capacity", "", 1, 20, &v, &e), -1);
	assert_string_equal(e.message, "capacity: is empty; use a whole number from 1 to 20");
	assert_int_equal(validate_level("level", "5", &i, &e), 0);
	assert_int_equal(i, 5);
	assert_int_equal(validate_level("level", "6", &i, &e), -1);
	assert_string_equal(e.message, "level: 6 is out of range; use 1 to 5");
	assert_int_equal(validate_seniority("seniority", "L4", &i, &e), 0);
	assert_int_equal(i, 4);
	assert_int_equal(validate_seniority("seniority", "Level 10", &i, &e), 0);
	assert_int_equal(i, 10);
	assert_int_equal(validate_seniority("seniority", "g-2", &i, &e), 0);
	assert_int_equal(i, 2);
	assert_int_equal(validate_seniority("seniority", "L11", &i, &e), -1);
	assert_string_equal(e.message, "seniority: 11 is out of range; use 1 to 10");
	assert_int_equal(validate_seniority("seniority", "senior", &i, &e), -1);
	assert_string_equal(e.message, "seniority: \"senior\" is not a whole number; use 1 to 10");
}

static void test_goal_categories(void **state)
{
	(void)state;
	mt_error e;
	mt_goal_category c;
	static const struct {
		const char *in;
		mt_goal_category want;
	} cases[] = {
		{"new_skill", MT_GOAL_NEW_SKILL},   {"New skill", MT_GOAL_NEW_SKILL},
		{"skills", MT_GOAL_NEW_SKILL},      {"Promotion", MT_GOAL_PROMOTION},
		{"career", MT_GOAL_PROMOTION},      {"job performance", MT_GOAL_PERFORMANCE},
		{"satisfaction", MT_GOAL_ENGAGEMENT},
		{"Satisfaction/Engagement", MT_GOAL_ENGAGEMENT},
		{"training", MT_GOAL_CERTIFICATION},
		{"Certification & training", MT_GOAL_CERTIFICATION},
		{"OTHER", MT_GOAL_OTHER},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(validate_goal_category("goal", cases[i].in, &c, &e), 0);
		assert_int_equal(c, cases[i].want);
	}
	assert_int_equal(validate_goal_category("category", "growth", &c, &e), -1);
	assert_string_equal(e.message, "category: \"growth\" is not a goal category; use one of "
				       "new_skill, promotion, performance, engagement, "
				       "certification, other");
	unsigned mask;
	assert_int_equal(validate_goal_areas("goal_areas", "New skill; promotion,, training ;",
					     &mask, &e), 0);
	assert_int_equal(mask, (1u << MT_GOAL_NEW_SKILL) | (1u << MT_GOAL_PROMOTION) |
				       (1u << MT_GOAL_CERTIFICATION));
	assert_int_equal(validate_goal_areas("goal_areas", "", &mask, &e), 0);
	assert_int_equal(mask, 0);
	assert_int_equal(validate_goal_areas("goal_areas", "promotion; fame", &mask, &e), -1);
	assert_string_equal(e.message, "goal_areas: \"fame\" is not a goal category; use one of "
				       "new_skill, promotion, performance, engagement, "
				       "certification, other");
}

static void test_bool_role_status_timezone(void **state)
{
	(void)state;
	mt_error e;
	bool b;
	static const char *const yes[] = {"yes", "TRUE", "y", "1", " Yes "};
	static const char *const no[] = {"no", "False", "N", "0"};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(validate_bool("opt_in", yes[i], &b, &e), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(validate_bool("opt_in", no[i], &b, &e), 0);
		assert_false(b);
	}
	assert_int_equal(validate_bool("opt_in", "maybe", &b, &e), -1);
	assert_string_equal(e.message,
			    "opt_in: \"maybe\" is not yes or no; use yes/no, true/false, y/n or 1/0");
	mt_role r;
	assert_int_equal(validate_role("role", "Mentor", &r, &e), 0);
	assert_int_equal(r, MT_ROLE_MENTOR);
	assert_int_equal(validate_role("role", "MENTEE ", &r, &e), 0);
	assert_int_equal(r, MT_ROLE_MENTEE);
	assert_int_equal(validate_role("role", "coach", &r, &e), -1);
	assert_string_equal(e.message, "role: \"coach\" is not a role; use mentor or mentee");
	const char *s;
	assert_int_equal(validate_member_status("status", "Paused", &s, &e), 0);
	assert_string_equal(s, "paused");
	assert_int_equal(validate_member_status("status", "gone", &s, &e), -1);
	assert_int_equal(validate_timezone(&arena, "tz", "America/Argentina/Buenos_Aires", &s, &e), 0);
	assert_int_equal(validate_timezone(&arena, "tz", "Etc/GMT+2", &s, &e), 0);
	assert_int_equal(validate_timezone(&arena, "tz", "UTC", &s, &e), 0);
	assert_int_equal(validate_timezone(&arena, "tz", "Europe//Paris", &s, NULL), -1);
	assert_int_equal(validate_timezone(&arena, "tz", "/etc/passwd", &s, NULL), -1);
}

static void test_text(void **state)
{
	(void)state;
	mt_error e;
	const char *out;
	assert_int_equal(validate_text(&arena, "name", "  José\nGarcía ", 100, &out, &e), 0);
	assert_string_equal(out, "José García");
	assert_int_equal(validate_text(&arena, "name", "abcdef", 5, &out, &e), -1);
	assert_string_equal(e.message, "name: is too long (6 bytes); use at most 5");
	assert_int_equal(validate_text(&arena, "name", "", 5, &out, &e), -1);
	assert_string_equal(e.message, "name: is empty; a value is required");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim_helpers),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_goal_categories),
		cmocka_unit_test(test_bool_role_status_timezone),
		cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
