/* test_health.c - the health rules (health.c) with a hand-made clock, their
 * thresholds and settings, and the success criteria (success.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/health.h"
#include "domain/notice.h"
#include "domain/success.h"
#include "domain/validate.h"

static int32_t day(const char *s)
{
	int32_t d = 0;
	assert_int_equal(validate_date_parse(s, &d), 0);
	return d;
}

/* The conditions of one evaluation, in their own arena. */
typedef struct run {
	mt_arena a;
	health_condition *c;
	size_t n;
} run;

static void eval(run *r, const health_settings *s, const health_facts *f, const char *today)
{
	arena_init(&r->a);
	health_evaluate(&r->a, s, f, day(today), &r->c, &r->n);
}

static const health_condition *find(const run *r, health_rule rule)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->c[i].rule == rule)
			return &r->c[i];
	return NULL;
}

static size_t count(const run *r, health_rule rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->c[i].rule == rule;
	return n;
}

static health_pair pair_at(const char *start)
{
	return (health_pair){.id = 7, .mentor_person_id = 1, .mentee_person_id = 2,
			     .mentor_name = "Mia", .mentee_name = "Max",
			     .started_on = day(start), .last_held = HEALTH_NO_DAY,
			     .first_intro = HEALTH_NO_DAY};
}

static void test_low_rating(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_rating ratings[] = {
		{.id = 1, .session_id = 10, .pair_id = 7, .rater_person_id = 2, .rater_name = "Max",
		 .score = 2, .held_on = day("2025-03-04")},
		{.id = 2, .session_id = 10, .pair_id = 7, .rater_person_id = 1, .rater_name = "Mia",
		 .by_mentor = true, .score = 3, .held_on = day("2025-03-04")},
	};
	health_facts f = {.ratings = ratings, .n_ratings = 2};
	run r;
	eval(&r, &s, &f, "2025-03-05");
	assert_int_equal(r.n, 1);
	assert_int_equal(r.c[0].rule, HEALTH_LOW_RATING);
	assert_string_equal(r.c[0].key, "low_rating:rating:1");
	assert_string_equal(r.c[0].subject_kind, "session");
	assert_int_equal(r.c[0].subject_id, 10);
	assert_int_equal(r.c[0].pair_id, 7);
	assert_int_equal(r.c[0].person_id, 2);
	assert_non_null(strstr(r.c[0].details, "\"score\":2"));
	assert_non_null(strstr(r.c[0].details, "\"threshold\":2"));
	assert_non_null(strstr(r.c[0].message, "Max"));
	arena_free(&r.a);
	/* A higher threshold catches the 3 too; disabling the rule silences both. */
	s.low_rating = 3;
	eval(&r, &s, &f, "2025-03-05");
	assert_int_equal(count(&r, HEALTH_LOW_RATING), 2);
	arena_free(&r.a);
	s.enabled[HEALTH_LOW_RATING] = false;
	eval(&r, &s, &f, "2025-03-05");
	assert_int_equal(r.n, 0);
	arena_free(&r.a);
}

static void test_waiting(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_member m[] = {
		/* mentee joined 2025-03-01, never paired */
		{.membership_id = 1, .person_id = 11, .name = "Ann", .active = true,
		 .joined_on = day("2025-03-01"), .last_pair_end = HEALTH_NO_DAY},
		/* mentee whose pair ended 2025-03-10: waits since then */
		{.membership_id = 2, .person_id = 12, .name = "Ben", .active = true,
		 .joined_on = day("2025-01-01"), .last_pair_end = day("2025-03-10")},
		/* paired mentee, inactive mentee, mentor without seats: never waiting */
		{.membership_id = 3, .person_id = 13, .name = "Cid", .active = true, .active_pairs = 1,
		 .joined_on = day("2025-01-01"), .last_pair_end = HEALTH_NO_DAY},
		{.membership_id = 4, .person_id = 14, .name = "Dee", .active = false,
		 .joined_on = day("2025-01-01"), .last_pair_end = HEALTH_NO_DAY},
		{.membership_id = 5, .person_id = 15, .name = "Eve", .active = true, .mentor = true,
		 .capacity = 0, .joined_on = day("2025-01-01"), .last_pair_end = HEALTH_NO_DAY},
		/* a mentor with a free seat and nobody to mentor waits too */
		{.membership_id = 6, .person_id = 16, .name = "Fay", .active = true, .mentor = true,
		 .capacity = 2, .joined_on = day("2025-03-01"), .last_pair_end = HEALTH_NO_DAY},
	};
	health_facts f = {.members = m, .n_members = 6};
	run r;
	/* Day 13 of waiting: nothing yet. */
	eval(&r, &s, &f, "2025-03-14");
	assert_int_equal(count(&r, HEALTH_WAITING), 0);
	arena_free(&r.a);
	/* Day 14: Ann and Fay; Ben's wait restarted on 2025-03-10. */
	eval(&r, &s, &f, "2025-03-15");
	assert_int_equal(count(&r, HEALTH_WAITING), 2);
	assert_string_equal(r.c[0].key, "waiting_too_long:membership:1:since:2025-03-01");
	assert_string_equal(r.c[1].key, "waiting_too_long:membership:6:since:2025-03-01");
	assert_string_equal(r.c[0].subject_kind, "membership");
	assert_int_equal(r.c[0].person_id, 11);
	assert_non_null(strstr(r.c[0].details, "\"days_waiting\":14"));
	arena_free(&r.a);
	eval(&r, &s, &f, "2025-03-24");
	assert_int_equal(count(&r, HEALTH_WAITING), 3);
	arena_free(&r.a);
	s.waiting_days = 30;
	eval(&r, &s, &f, "2025-03-24");
	assert_int_equal(count(&r, HEALTH_WAITING), 0);
	arena_free(&r.a);
}

static void test_stalled(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	s.enabled[HEALTH_NO_INTRO] = false;
	health_pair p = pair_at("2025-03-01");
	health_facts f = {.pairs = &p, .n_pairs = 1};
	run r;
	eval(&r, &s, &f, "2025-03-30");  /* 29 days */
	assert_int_equal(r.n, 0);
	arena_free(&r.a);
	eval(&r, &s, &f, "2025-03-31");  /* 30 days since the start */
	assert_int_equal(r.n, 1);
	assert_string_equal(r.c[0].key, "stalled_pair:pair:7:since:2025-03-01");
	assert_string_equal(r.c[0].subject_kind, "pair");
	assert_int_equal(r.c[0].pair_id, 7);
	assert_int_equal(r.c[0].person_id, 0);
	arena_free(&r.a);
	/* A held session restarts the count: the key changes with it. */
	p.last_held = day("2025-03-20");
	p.held_sessions = 1;
	eval(&r, &s, &f, "2025-03-31");
	assert_int_equal(r.n, 0);
	arena_free(&r.a);
	eval(&r, &s, &f, "2025-04-19");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.c[0].key, "stalled_pair:pair:7:since:2025-03-20");
	assert_non_null(strstr(r.c[0].details, "\"days_without_session\":30"));
	arena_free(&r.a);
	s.stalled_days = 60;
	eval(&r, &s, &f, "2025-04-19");
	assert_int_equal(r.n, 0);
	arena_free(&r.a);
}

static void test_no_intro(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_pair p = pair_at("2025-03-01");
	health_facts f = {.pairs = &p, .n_pairs = 1};
	run r;
	eval(&r, &s, &f, "2025-03-15");  /* day 14: still within */
	assert_null(find(&r, HEALTH_NO_INTRO));
	arena_free(&r.a);
	eval(&r, &s, &f, "2025-03-16");
	const health_condition *c = find(&r, HEALTH_NO_INTRO);
	assert_non_null(c);
	assert_string_equal(c->key, "no_intro:pair:7");
	assert_non_null(strstr(c->details, "\"days_since_match\":15"));
	arena_free(&r.a);
	/* A regular session does not count as the intro; an intro does, even late. */
	p.last_held = day("2025-03-05");
	eval(&r, &s, &f, "2025-03-16");
	assert_non_null(find(&r, HEALTH_NO_INTRO));
	arena_free(&r.a);
	p.first_intro = day("2025-03-16");
	eval(&r, &s, &f, "2025-03-16");
	assert_null(find(&r, HEALTH_NO_INTRO));
	arena_free(&r.a);
	p.first_intro = HEALTH_NO_DAY;
	s.intro_days = 20;
	eval(&r, &s, &f, "2025-03-16");
	assert_null(find(&r, HEALTH_NO_INTRO));
	arena_free(&r.a);
}

static void test_over_capacity(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_member m[] = {
		{.membership_id = 1, .name = "Mia", .mentor = true, .active = true, .capacity = 2,
		 .active_pairs = 2, .joined_on = day("2025-01-01"), .last_pair_end = HEALTH_NO_DAY},
		{.membership_id = 2, .person_id = 22, .name = "Nora", .mentor = true, .active = true,
		 .capacity = 1, .active_pairs = 3, .joined_on = day("2025-01-01"),
		 .last_pair_end = HEALTH_NO_DAY},
	};
	health_facts f = {.members = m, .n_members = 2};
	run r;
	eval(&r, &s, &f, "2025-03-01");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.c[0].key, "over_capacity:membership:2");
	assert_int_equal(r.c[0].person_id, 22);
	assert_string_equal(r.c[0].details, "{\"active_pairs\":3,\"capacity\":1}");
	arena_free(&r.a);
}

static void test_goal_overdue(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_goal g[] = {
		{.id = 5, .person_id = 2, .pair_id = 7, .person_name = "Max",
		 .description = "Lead a \"design\" review", .target_date = day("2025-03-10")},
		{.id = 6, .person_id = 2, .person_name = "Max", .description = "No date",
		 .target_date = HEALTH_NO_DAY},
	};
	health_facts f = {.goals = g, .n_goals = 2};
	run r;
	eval(&r, &s, &f, "2025-03-10");  /* on the target day: not yet overdue */
	assert_int_equal(r.n, 0);
	arena_free(&r.a);
	eval(&r, &s, &f, "2025-03-11");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.c[0].key, "goal_overdue:goal:5:target:2025-03-10");
	assert_string_equal(r.c[0].subject_kind, "goal");
	assert_int_equal(r.c[0].pair_id, 7);
	assert_non_null(strstr(r.c[0].details, "\"days_overdue\":1"));
	arena_free(&r.a);
}

static void test_sorted_and_unique(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_pair p[] = {pair_at("2025-01-01"), pair_at("2025-01-02")};
	p[1].id = 8;
	health_member m = {.membership_id = 3, .name = "Ann", .active = true,
			   .joined_on = day("2025-01-01"), .last_pair_end = HEALTH_NO_DAY};
	health_facts f = {.pairs = p, .n_pairs = 2, .members = &m, .n_members = 1};
	run r;
	eval(&r, &s, &f, "2025-06-01");
	assert_int_equal(r.n, 5);  /* 2 stalled, 2 no intro, 1 waiting */
	for (size_t i = 1; i < r.n; i++)
		assert_true(strcmp(r.c[i - 1].key, r.c[i].key) < 0);
	arena_free(&r.a);
}

/* Two steps (keys, then messages for some) give what health_evaluate gives,
 * keys need no names, and details are the bytes jansson would write. */
static void test_two_steps(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	health_pair p[] = {pair_at("2025-01-01"), pair_at("2025-01-02")};
	p[1].id = 8;
	p[1].last_held = day("2025-02-10");
	p[1].held_sessions = 3;
	health_member m[] = {
		{.membership_id = 3, .person_id = 9, .name = "Ann", .active = true,
		 .joined_on = day("2025-01-01"), .last_pair_end = day("2025-03-01")},
		{.membership_id = 4, .person_id = 1, .name = "Mia", .mentor = true, .capacity = 1,
		 .active_pairs = 2, .active = true, .joined_on = day("2025-01-01"),
		 .last_pair_end = HEALTH_NO_DAY},
	};
	health_rating r = {.id = 12345678901LL, .session_id = 10, .pair_id = 7,
			   .rater_person_id = 2, .rater_name = "Max", .score = 1,
			   .held_on = day("2025-03-04")};
	health_goal g = {.id = 5, .person_id = 2, .pair_id = 7, .person_name = "Max",
			 .description = "Say \"hi\"", .target_date = day("2025-05-01")};
	health_facts f = {.pairs = p, .n_pairs = 2, .members = m, .n_members = 2,
			  .ratings = &r, .n_ratings = 1, .goals = &g, .n_goals = 1};
	run full;
	eval(&full, &s, &f, "2025-06-01");
	assert_int_equal(full.n, 8);

	/* Keys without names. */
	health_pair p2[2];
	health_member m2[2];
	memcpy(p2, p, sizeof(p));
	memcpy(m2, m, sizeof(m));
	health_rating r2 = r;
	health_goal g2 = g;
	p2[0].mentor_name = p2[0].mentee_name = p2[1].mentor_name = p2[1].mentee_name = NULL;
	m2[0].name = m2[1].name = NULL;
	r2.rater_name = NULL;
	g2.person_name = g2.description = NULL;
	health_facts bare = {.pairs = p2, .n_pairs = 2, .members = m2, .n_members = 2,
			     .ratings = &r2, .n_ratings = 1, .goals = &g2, .n_goals = 1};
	mt_arena a;
	arena_init(&a);
	health_condition *c;
	size_t n;
	health_conditions(&a, &s, &bare, day("2025-06-01"), &c, &n);
	assert_int_equal(n, full.n);
	health_sort(c, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c[i].key, full.c[i].key);
		assert_null(c[i].message);
		assert_null(c[i].details);
		health_describe(&a, &s, &f, day("2025-06-01"), &c[i]);
		assert_string_equal(c[i].message, full.c[i].message);
		assert_string_equal(c[i].details, full.c[i].details);
		json_t *o = json_loads(c[i].details, 0, NULL);
		assert_non_null(o);
		char *again = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		assert_string_equal(again, c[i].details);
		free(again);
		json_decref(o);
	}
	const health_condition *low = find(&full, HEALTH_LOW_RATING);
	assert_string_equal(low->key, "low_rating:rating:12345678901");
	assert_string_equal(low->details,
			    "{\"held_on\":\"2025-03-04\",\"rater_person_id\":2,"
			    "\"rating_id\":12345678901,\"score\":1,\"session_id\":10,"
			    "\"side\":\"mentee\",\"threshold\":2}");
	assert_non_null(strstr(find(&full, HEALTH_GOAL_OVERDUE)->message, "\"Say \"hi\"\""));
	arena_free(&a);
	arena_free(&full.a);
}

/* The message of the condition with `key` is what snprintf makes of `fmt`
 * (the messages were written with it; health.c now formats by hand). */
__attribute__((format(printf, 3, 4))) static void expect_message(const run *r, const char *key,
								 const char *fmt, ...)
{
	char want[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(want));
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->c[i].key, key)) {
			assert_string_equal(r->c[i].message, want);
			return;
		}
	fail_msg("no condition %s", key);
}

/* Every rule's message, byte for byte, with names that outgrow the
 * formatter's first 256 bytes, missing names, and singular counts. */
static void test_messages(void **state)
{
	(void)state;
	health_settings s;
	health_settings_default(&s);
	char long_name[700];
	memset(long_name, 'M', sizeof(long_name) - 3);
	memcpy(long_name + sizeof(long_name) - 3, "\xc3\xa9", 3); /* ends in "é" */
	health_pair p[] = {pair_at("2025-01-01"), pair_at("2025-01-02")};
	p[0].mentor_name = long_name;
	p[1].id = 8;
	p[1].mentee_name = NULL;
	p[1].last_held = day("2025-02-10");
	p[1].first_intro = day("2025-01-05");
	p[1].held_sessions = 3;
	health_member m[] = {
	    {.membership_id = 3,
	     .person_id = 9,
	     .active = true,
	     .joined_on = day("2025-01-01"),
	     .last_pair_end = HEALTH_NO_DAY},
	    {.membership_id = 4,
	     .person_id = 1,
	     .name = "Mia",
	     .mentor = true,
	     .capacity = 0,
	     .active_pairs = 1,
	     .active = true,
	     .joined_on = day("2025-01-01"),
	     .last_pair_end = HEALTH_NO_DAY},
	    {.membership_id = 5,
	     .person_id = 6,
	     .name = long_name,
	     .mentor = true,
	     .capacity = 1,
	     .active_pairs = 2,
	     .active = true,
	     .joined_on = day("2025-01-01"),
	     .last_pair_end = HEALTH_NO_DAY},
	};
	health_rating r = {.id = 11,
			   .session_id = 10,
			   .pair_id = 7,
			   .rater_person_id = 2,
			   .rater_name = long_name,
			   .score = 1,
			   .held_on = day("2025-03-04")};
	health_goal g[] = {
	    {.id = 5,
	     .person_id = 2,
	     .person_name = "Max",
	     .description = long_name,
	     .target_date = day("2025-05-31")},
	    {.id = 6,
	     .person_id = 2,
	     .person_name = "Max",
	     .description = "Say \"hi\" 100%",
	     .target_date = day("2025-05-01")},
	};
	health_facts f = {.pairs = p,
			  .n_pairs = 2,
			  .members = m,
			  .n_members = 3,
			  .ratings = &r,
			  .n_ratings = 1,
			  .goals = g,
			  .n_goals = 2};
	run out;
	eval(&out, &s, &f, "2025-06-01");
	assert_int_equal(out.n, 9);
	expect_message(&out, "low_rating:rating:11",
		       "%s rated the session of %s %d out of 5 (threshold %d)", long_name,
		       "2025-03-04", 1, 2);
	expect_message(&out, "waiting_too_long:membership:3:since:2025-01-01",
		       "%s (%s) has waited %d days for a match since %s (threshold %d days)", "",
		       "mentee", 151, "2025-01-01", 14);
	expect_message(&out, "stalled_pair:pair:7:since:2025-01-01",
		       "The pair %s and %s has held no session for %d days, %s %s (threshold %d "
		       "days)",
		       long_name, "Max", 151, "since it started on", "2025-01-01", 30);
	expect_message(&out, "stalled_pair:pair:8:since:2025-02-10",
		       "The pair %s and %s has held no session for %d days, %s %s (threshold %d "
		       "days)",
		       "Mia", "", 111, "since their last one on", "2025-02-10", 30);
	expect_message(&out, "no_intro:pair:7",
		       "The pair %s and %s, matched on %s, has held no introductory session in "
		       "%d days (threshold %d days)",
		       long_name, "Max", "2025-01-01", 151, 14);
	expect_message(&out, "over_capacity:membership:4",
		       "%s mentors %d active pair%s but offered %d seat%s", "Mia", 1, "", 0, "s");
	expect_message(&out, "over_capacity:membership:5",
		       "%s mentors %d active pair%s but offered %d seat%s", long_name, 2, "s", 1,
		       "");
	expect_message(&out, "goal_overdue:goal:5:target:2025-05-31",
		       "%s's goal \"%s\" passed its target date %s %d day%s ago", "Max", long_name,
		       "2025-05-31", 1, "");
	expect_message(&out, "goal_overdue:goal:6:target:2025-05-01",
		       "%s's goal \"%s\" passed its target date %s %d day%s ago", "Max",
		       "Say \"hi\" 100%", "2025-05-01", 31, "s");
	arena_free(&out.a);
}

static void test_settings(void **state)
{
	(void)state;
	health_settings s;
	mt_error err;
	assert_int_equal(health_settings_parse(NULL, &s, &err), 0);
	assert_int_equal(s.low_rating, 2);
	assert_int_equal(s.waiting_days, 14);
	assert_int_equal(s.stalled_days, 30);
	assert_int_equal(s.intro_days, 14);
	assert_int_equal(health_settings_parse("{\"matching\": {}}", &s, &err), 0);
	assert_int_equal(health_settings_parse(
		"{\"health\": {\"low_rating\": 1, \"waiting_days\": 7, \"stalled_days\": 21, "
		"\"intro_days\": 10, \"disabled\": [\"over_capacity\"]}}", &s, &err), 0);
	assert_int_equal(s.low_rating, 1);
	assert_int_equal(s.waiting_days, 7);
	assert_int_equal(s.stalled_days, 21);
	assert_int_equal(s.intro_days, 10);
	assert_false(s.enabled[HEALTH_OVER_CAPACITY]);
	assert_true(s.enabled[HEALTH_STALLED]);
	static const struct { const char *json, *field; } bad[] = {
		{"{\"health\": {\"stalled_days\": 0}}", "settings.health.stalled_days"},
		{"{\"health\": {\"waiting_days\": \"14\"}}", "settings.health.waiting_days"},
		{"{\"health\": {\"intro_days\": 4000}}", "settings.health.intro_days"},
		{"{\"health\": {\"low_rating\": 5}}", "settings.health.low_rating"},
		{"{\"health\": {\"stale_days\": 5}}", "settings.health"},
		{"{\"health\": {\"disabled\": [\"nope\"]}}", "settings.health.disabled"},
		{"{\"health\": []}", "settings.health"},
		{"[]", "settings"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(health_settings_parse(bad[i].json, &s, &err), -1);
		assert_int_equal(err.status, 422);
		assert_string_equal(err.field, bad[i].field);
		assert_non_null(strstr(err.message, bad[i].field));
	}
	assert_string_equal(health_rule_name(HEALTH_WAITING), "waiting_too_long");
	assert_int_equal(health_rule_from_name("goal_overdue"), HEALTH_GOAL_OVERDUE);
	assert_int_equal(health_rule_from_name("x"), -1);
}

static void test_success(void **state)
{
	(void)state;
	success_criteria c;
	mt_error err;
	assert_int_equal(success_criteria_parse(NULL, &c, &err), 0);
	assert_int_equal(c.min_mean_rating_centi, 400);
	assert_int_equal(c.min_sessions, 6);

	success_tally t = {0};
	for (int i = 0; i < 6; i++)
		success_tally_session(&t);
	success_tally_rating(&t, true, 4);
	success_tally_rating(&t, false, 5);
	success_tally_rating(&t, false, 3);
	assert_true(success_pair_met(&c, &t));      /* mentor 4.0, mentee 4.0 */
	success_tally_rating(&t, false, 3);
	assert_false(success_pair_met(&c, &t));     /* mentee 3.67 */
	t = (success_tally){.held_sessions = 6, .mentor_ratings = 2, .mentor_score_sum = 10};
	assert_false(success_pair_met(&c, &t));     /* the mentee side gave no rating */
	t = (success_tally){.held_sessions = 5, .mentor_ratings = 1, .mentor_score_sum = 5,
			    .mentee_ratings = 1, .mentee_score_sum = 5};
	assert_false(success_pair_met(&c, &t));     /* 5 sessions */

	assert_int_equal(success_criteria_parse(
		"{\"success\": {\"min_mean_rating\": 3.7, \"min_sessions\": 0}}", &c, &err), 0);
	assert_int_equal(c.min_mean_rating_centi, 370);
	t = (success_tally){.mentor_ratings = 10, .mentor_score_sum = 37, .mentee_ratings = 3,
			    .mentee_score_sum = 11};
	assert_false(success_pair_met(&c, &t));     /* 3.666.. < 3.7 */
	t.mentee_score_sum = 12;
	assert_true(success_pair_met(&c, &t));      /* exactly 3.7 and 4.0 */
	static const struct { const char *json, *field; } bad[] = {
		{"{\"success\": {\"min_mean_rating\": 6}}", "settings.success.min_mean_rating"},
		{"{\"success\": {\"min_mean_rating\": 3.333}}", "settings.success.min_mean_rating"},
		{"{\"success\": {\"min_sessions\": -1}}", "settings.success.min_sessions"},
		{"{\"success\": {\"min_sessions\": 2.5}}", "settings.success.min_sessions"},
		{"{\"success\": {\"sessions\": 2}}", "settings.success"},
		{"{\"success\": 4}", "settings.success"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(success_criteria_parse(bad[i].json, &c, &err), -1);
		assert_string_equal(err.field, bad[i].field);
	}
}

static void test_notice(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	notice_settings s;
	mt_error err;
	assert_int_equal(notice_settings_parse(&a, "{}", &s, &err), 0);
	assert_false(s.email);
	assert_false(s.webhook);
	assert_int_equal(notice_settings_parse(&a,
		"{\"notifications\": {\"email\": {\"to\": [\"a@example.com\", \"b@example.com\"], "
		"\"smtp_url\": \"smtp://127.0.0.1:2525\"}, \"webhook\": {\"url\": "
		"\"http://127.0.0.1:9/hook\", \"secret\": \"s3cret\"}}}", &s, &err), 0);
	assert_true(s.email);
	assert_int_equal(s.n_to, 2);
	assert_string_equal(s.from, "mentortrack@localhost");
	assert_true(s.webhook);
	static const struct { const char *json, *field; } bad[] = {
		{"{\"notifications\": {\"email\": {\"to\": [], \"smtp_url\": \"smtp://x\"}}}",
		 "settings.notifications.email.to"},
		{"{\"notifications\": {\"email\": {\"to\": [\"nobody\"], \"smtp_url\": \"smtp://x\"}}}",
		 "settings.notifications.email.to"},
		{"{\"notifications\": {\"email\": {\"to\": [\"a@b.c\"], \"smtp_url\": \"http://x\"}}}",
		 "settings.notifications.email.smtp_url"},
		{"{\"notifications\": {\"webhook\": {\"url\": \"ftp://x\", \"secret\": \"s\"}}}",
		 "settings.notifications.webhook.url"},
		{"{\"notifications\": {\"webhook\": {\"url\": \"http://x\"}}}",
		 "settings.notifications.webhook.secret"},
		{"{\"notifications\": {\"sms\": {}}}", "settings.notifications"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(notice_settings_parse(&a, bad[i].json, &s, &err), -1);
		assert_string_equal(err.field, bad[i].field);
	}
	/* RFC 4231 test case 2: key "Jefe". */
	char sig[NOTICE_SIGNATURE_LEN];
	const char *data = "what do ya want for nothing?";
	notice_sign("Jefe", data, strlen(data), sig);
	assert_string_equal(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	/* The email: CRLF lines, a clean subject, every alert listed. */
	assert_int_equal(notice_settings_parse(&a,
		"{\"notifications\": {\"email\": {\"to\": [\"a@example.com\"], "
		"\"smtp_url\": \"smtp://127.0.0.1:2525\", \"from\": \"mt@example.com\"}}}", &s,
		&err), 0);
	json_t *alerts = json_pack("[{s:I, s:s, s:s, s:s}]", "id", (json_int_t)9, "rule",
				   "stalled_pair", "message", "The pair A and B\nstalled",
				   "raised_at", "2025-03-20T00:00:00Z");
	char *mail = notice_email(&a, &s, 3, "Spring\r\nBcc: x@evil", alerts, 2, 1742428800);
	assert_non_null(strstr(mail, "From: mentortrack <mt@example.com>\r\n"));
	assert_non_null(strstr(mail, "To: a@example.com\r\n"));
	assert_non_null(strstr(mail, "Subject: [mentortrack] Spring  Bcc: x@evil: 2 new alerts\r\n"));
	char *end_of_headers = strstr(mail, "\r\n\r\n");
	assert_non_null(end_of_headers);
	*end_of_headers = '\0';
	assert_null(strstr(mail, "\r\nBcc:"));  /* no header injection */
	*end_of_headers = '\r';
	assert_non_null(strstr(mail, "- [stalled_pair] The pair A and B\r\nstalled\r\n"));
	assert_non_null(strstr(mail, "and 1 more"));
	char *utf = notice_email(&a, &s, 3, "Fr\xc3\xbchling", alerts, 1, 1742428800);
	assert_non_null(strstr(utf, "Subject: =?UTF-8?B?"));
	char *body = notice_webhook_body(&a, 3, "Spring", alerts, 2, "2025-03-20T00:00:00Z");
	json_t *parsed = json_loads(body, 0, NULL);
	assert_non_null(parsed);
	assert_string_equal(json_string_value(json_object_get(parsed, "event")), "alerts.raised");
	assert_true(json_is_true(json_object_get(parsed, "truncated")));
	assert_int_equal(json_array_size(json_object_get(parsed, "alerts")), 1);
	json_decref(parsed);
	json_decref(alerts);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_low_rating),        cmocka_unit_test(test_waiting),
	    cmocka_unit_test(test_stalled),           cmocka_unit_test(test_no_intro),
	    cmocka_unit_test(test_over_capacity),     cmocka_unit_test(test_goal_overdue),
	    cmocka_unit_test(test_sorted_and_unique), cmocka_unit_test(test_two_steps),
	    cmocka_unit_test(test_messages),          cmocka_unit_test(test_settings),
	    cmocka_unit_test(test_success),           cmocka_unit_test(test_notice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
