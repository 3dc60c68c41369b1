/* test_session.c - the rules of sessions, ratings, check-ins (session.c)
 * and of goals and assessments (goal.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/goal.h"
#include "domain/session.h"
#include "domain/validate.h"

static int32_t day(const char *s)
{
	int32_t d = 0;
	assert_int_equal(validate_date_parse(s, &d), 0);
	return d;
}

static void test_parse_time(void **state)
{
	(void)state;
	mt_arena a;
	mt_error err;
	arena_init(&a);
	const char *canon;
	int64_t t;
	assert_int_equal(session_parse_time(&a, "held_at", "2025-03-10T14:05Z", &canon, &t, &err), 0);
	assert_string_equal(canon, "2025-03-10T14:05:00Z");
	assert_int_equal(t, (int64_t)day("2025-03-10") * 86400 + 14 * 3600 + 5 * 60);
	assert_int_equal(session_parse_time(&a, "held_at", "2025-03-10 14:05:09+00:00", &canon, &t,
					    &err), 0);
	assert_string_equal(canon, "2025-03-10T14:05:09Z");
	char buf[21];
	session_format_time(t, buf);
	assert_string_equal(buf, "2025-03-10T14:05:09Z");
	session_format_time(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	const char *bad[] = {"", "2025-03-10", "2025-02-30T10:00:00Z", "2025-03-10T24:00:00Z",
			     "2025-03-10T10:60Z", "2025-03-10T10:00:00+02:00", "next tuesday",
			     "2025-03-10T10:00:00", NULL};
	for (const char **b = bad; *b; b++) {
		assert_int_equal(session_parse_time(&a, "held_at", *b, &canon, &t, &err), -1);
		assert_int_equal(err.status, 422);
		assert_string_equal(err.field, "held_at");
	}
	arena_free(&a);
}

static void test_names(void **state)
{
	(void)state;
	mt_error err;
	session_status s;
	session_kind k;
	pair_side side;
	assert_int_equal(session_parse_status("status", "no_show", &s, &err), 0);
	assert_int_equal(s, SESSION_NO_SHOW);
	assert_string_equal(session_status_name(s), "no_show");
	assert_int_equal(session_parse_status("status", "done", &s, &err), -1);
	assert_string_equal(err.field, "status");
	assert_int_equal(session_parse_kind("kind", "intro", &k, &err), 0);
	assert_string_equal(session_kind_name(k), "intro");
	assert_int_equal(session_parse_kind("kind", "Intro", &k, &err), -1);
	assert_int_equal(pair_side_parse("assessor", "mentee", &side, &err), 0);
	assert_string_equal(pair_side_name(side), "mentee");
	assert_int_equal(pair_side_parse("assessor", "boss", &side, &err), -1);
	assert_string_equal(session_status_name((session_status)99), "unknown");
}

static void test_transitions(void **state)
{
	(void)state;
	mt_error err;
	/* ok[from][to] */
	static const bool ok[SESSION_STATUS_COUNT][SESSION_STATUS_COUNT] = {
		[SESSION_SCHEDULED] = {true, true, true, true},
		[SESSION_COMPLETED] = {false, true, false, false},
		[SESSION_CANCELLED] = {true, false, true, false},
		[SESSION_NO_SHOW] = {false, true, false, true},
	};
	for (int f = 0; f < SESSION_STATUS_COUNT; f++)
		for (int t = 0; t < SESSION_STATUS_COUNT; t++) {
			int rc = session_transition((session_status)f, (session_status)t, &err);
			assert_int_equal(rc, ok[f][t] ? 0 : -1);
			if (rc < 0)
				assert_int_equal(err.status, 409);
		}
}

static void test_check_time(void **state)
{
	(void)state;
	mt_error err;
	int32_t start = day("2025-03-10");
	int64_t now = (int64_t)start * 86400 + 12 * 3600;
	assert_int_equal(session_check_time(SESSION_COMPLETED, now - 60, start, now, &err), 0);
	assert_int_equal(session_check_time(SESSION_SCHEDULED, now + 86400, start, now, &err), 0);
	assert_int_equal(session_check_time(SESSION_CANCELLED, now + 86400, start, now, &err), 0);
	assert_int_equal(session_check_time(SESSION_COMPLETED, now + 60, start, now, &err), -1);
	assert_string_equal(err.field, "status");
	assert_int_equal(session_check_time(SESSION_NO_SHOW, now + 60, start, now, &err), -1);
	assert_int_equal(session_check_time(SESSION_SCHEDULED, (int64_t)start * 86400 - 1, start,
					    now, &err), -1);
	assert_string_equal(err.field, "held_at");
}

static void test_pair_allows(void **state)
{
	(void)state;
	mt_error err;
	assert_int_equal(session_pair_allows("active", ACTIVITY_LOG_SESSION, &err), 0);
	assert_int_equal(session_pair_allows("completed", ACTIVITY_LOG_SESSION, &err), -1);
	assert_int_equal(err.status, 409);
	assert_int_equal(session_pair_allows("proposed", ACTIVITY_LOG_SESSION, &err), -1);
	assert_int_equal(session_pair_allows("completed", ACTIVITY_RATE, &err), 0);
	assert_int_equal(session_pair_allows("ended", ACTIVITY_RATE, &err), 0);
	assert_int_equal(session_pair_allows("declined", ACTIVITY_RATE, &err), -1);
	assert_int_equal(session_pair_allows("active", ACTIVITY_CHECKIN, &err), 0);
	assert_int_equal(session_pair_allows("ended", ACTIVITY_CHECKIN, &err), -1);
	assert_int_equal(session_pair_allows("active", ACTIVITY_ASSESS, &err), 0);
	assert_int_equal(session_pair_allows("proposed", ACTIVITY_ASSESS, &err), -1);
	assert_int_equal(session_pair_allows("active", ACTIVITY_ASSESS_END, &err), -1);
	assert_string_equal(err.field, "phase");
	assert_int_equal(session_pair_allows("completed", ACTIVITY_ASSESS_END, &err), 0);
	assert_int_equal(session_pair_allows("ended", ACTIVITY_ASSESS_END, &err), 0);
}

static void test_rating_rules(void **state)
{
	(void)state;
	mt_error err;
	assert_int_equal(rating_check_rater(true, SESSION_COMPLETED, &err), 0);
	assert_int_equal(rating_check_rater(false, SESSION_COMPLETED, &err), -1);
	assert_int_equal(err.status, 403);
	assert_int_equal(rating_check_rater(true, SESSION_SCHEDULED, &err), -1);
	assert_int_equal(err.status, 409);
	assert_int_equal(rating_check_rater(true, SESSION_NO_SHOW, &err), -1);
	for (int s = -1; s <= 7; s++) {
		int rc = session_score_check("score", s, &err);
		assert_int_equal(rc, s >= 1 && s <= 5 ? 0 : -1);
	}
	assert_string_equal(err.field, "score");
}

static void test_feedback_visibility(void **state)
{
	(void)state;
	/* manager, viewer person, author, share */
	assert_true(feedback_comment_visible(true, 0, 7, false));
	assert_true(feedback_comment_visible(false, 7, 7, false));
	assert_false(feedback_comment_visible(false, 8, 7, false));
	assert_true(feedback_comment_visible(false, 8, 7, true));
	assert_false(feedback_comment_visible(false, 0, 7, true));
}

static void test_checkin_due(void **state)
{
	(void)state;
	int32_t start = day("2025-03-10"), due;
	assert_true(checkin_due(start, false, 0, 30, start, &due));
	assert_int_equal(due, start);
	assert_false(checkin_due(start, true, start, 30, start + 29, &due));
	assert_int_equal(due, start + 30);
	assert_true(checkin_due(start, true, start, 30, start + 30, &due));
	assert_true(checkin_due(start, true, start, 7, start + 8, &due));
	/* A nonsense interval falls back to the default. */
	assert_false(checkin_due(start, true, start, 0, start + 10, &due));
	assert_int_equal(due, start + CHECKIN_INTERVAL_DEFAULT);
}

static void test_goal_status(void **state)
{
	(void)state;
	mt_error err;
	goal_status gs;
	int32_t set = day("2025-03-01"), today = day("2025-03-10"), ach;
	assert_int_equal(goal_parse_status("status", "in_progress", &gs, &err), 0);
	assert_string_equal(goal_status_name(gs), "in_progress");
	assert_int_equal(goal_parse_status("status", "done", &gs, &err), -1);
	assert_int_equal(goal_apply_status(GOAL_ACHIEVED, -1, set, today, &ach, &err), 0);
	assert_int_equal(ach, today);
	assert_int_equal(goal_apply_status(GOAL_ACHIEVED, set + 2, set, today, &ach, &err), 0);
	assert_int_equal(ach, set + 2);
	assert_int_equal(goal_apply_status(GOAL_ACHIEVED, today + 1, set, today, &ach, &err), -1);
	assert_string_equal(err.field, "achieved_on");
	assert_int_equal(goal_apply_status(GOAL_ACHIEVED, set - 1, set, today, &ach, &err), -1);
	assert_int_equal(goal_apply_status(GOAL_DROPPED, -1, set, today, &ach, &err), 0);
	assert_int_equal(ach, -1);
	assert_int_equal(goal_apply_status(GOAL_IN_PROGRESS, today, set, today, &ach, &err), -1);
	assert_int_equal(goal_check_target("target_date", set, set, &err), 0);
	assert_int_equal(goal_check_target("target_date", set - 1, set, &err), -1);
	assert_string_equal(err.field, "target_date");
}

static void test_assessment_due(void **state)
{
	(void)state;
	mt_error err;
	assessment_phase ph;
	assert_int_equal(assessment_parse_phase("phase", "mid", &ph, &err), 0);
	assert_string_equal(assessment_phase_name(ph), "mid");
	assert_int_equal(assessment_parse_phase("phase", "later", &ph, &err), -1);
	assessment_subject subj[3] = {
		{.skill_id = 4, .has_start = true},
		{.skill_id = 5},
		{.goal_id = 9, .has_start = true, .has_end = true},
	};
	assessment_due_item out[6];
	assert_int_equal(assessment_due("proposed", subj, 3, out), 0);
	assert_int_equal(assessment_due("declined", subj, 3, out), 0);
	assert_int_equal(assessment_due("active", subj, 3, out), 1);
	assert_int_equal(out[0].skill_id, 5);
	assert_int_equal(out[0].phase, PHASE_START);
	size_t n = assessment_due("completed", subj, 3, out);
	assert_int_equal(n, 3);
	assert_int_equal(out[1].phase, PHASE_END);
	assert_int_equal(out[1].skill_id, 4);
	assert_int_equal(out[2].skill_id, 5);
	assert_int_equal(assessment_due("ended", subj, 3, out), 3);
	assert_int_equal(assessment_due("active", subj, 0, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_check_time),
		cmocka_unit_test(test_pair_allows),
		cmocka_unit_test(test_rating_rules),
		cmocka_unit_test(test_feedback_visibility),
		cmocka_unit_test(test_checkin_due),
		cmocka_unit_test(test_goal_status),
		cmocka_unit_test(test_assessment_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
