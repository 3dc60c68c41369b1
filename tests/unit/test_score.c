/*
 * test_score.c - the compatibility score: each hard constraint, each
 * component with its points and sentence, and the promise that reasons
 * always add up to score_pair().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/model.h"
#include "domain/score.h"

static const char *const skill_names[] = {"Negotiation", "SQL", "Leadership",
					  "Public speaking"};
static const char *const dept_names[] = {"", "Sales", "Engineering"};
static const char *const location_names[] = {"", "Berlin", "Lisbon"};
static const char *const language_names[] = {"English", "German"};

static const score_names names = {
	.skills = skill_names, .n_skills = 4,
	.departments = dept_names, .n_departments = 3,
	.locations = location_names, .n_locations = 3,
	.languages = language_names, .n_languages = 2,
	.mentee = "Ada Lovelace", .mentor = "Grace Hopper",
};

typedef struct fixture {
	score_weights w;
	score_person mentee, mentor;
	mt_arena arena;
} fixture;

/* Two people with nothing in common: every component is zero. */
static int setup(void **state)
{
	static fixture f;
	memset(&f, 0, sizeof(f));
	score_weights_default(&f.w);
	f.mentee.id = 1;
	f.mentor.id = 2;
	score_person_prepare(&f.mentee);
	score_person_prepare(&f.mentor);
	arena_init(&f.arena);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	arena_free(&f->arena);
	return 0;
}

static void prepare(fixture *f)
{
	score_person_prepare(&f->mentee);
	score_person_prepare(&f->mentor);
}

static void add_skill(score_person *p, uint16_t skill, uint8_t level, uint8_t importance)
{
	p->skills[p->n_skills++] = (score_skill){skill, level, importance};
}

/* Explain the fixture's pair; expect one reason of `component` with `points`
 * and `text`, and a total equal to score_pair(). */
static void expect_one(fixture *f, const char *component, int points, const char *text)
{
	score_reason *r;
	size_t n;
	prepare(f);
	int score = score_explain(&f->w, &f->mentee, &f->mentor, &names, &f->arena, &r, &n);
	assert_int_equal(score, score_pair(&f->w, &f->mentee, &f->mentor));
	assert_int_equal(score, points);
	assert_int_equal(n, points ? 1 : 0);
	if (!points)
		return;
	assert_string_equal(r[0].component, component);
	assert_int_equal(r[0].points, points);
	assert_string_equal(r[0].text, text);
}

static void test_defaults(void **state)
{
	fixture *f = *state;
	mt_error err = {0};
	assert_int_equal(f->w.skills + f->w.goal_areas + f->w.seniority + f->w.department +
				 f->w.location + f->w.language + f->w.wish,
			 100);
	assert_int_equal(f->w.min_score, 20);
	assert_int_equal(f->w.seniority_gap, 2);
	assert_int_equal(score_weights_validate(&f->w, &err), 0);
	assert_int_equal(score_pair(&f->w, &f->mentee, &f->mentor), 0);

	score_weights bad = f->w;
	bad.location = 101;
	assert_int_equal(score_weights_validate(&bad, &err), -1);
	assert_string_equal(err.field, "location");
	bad = f->w;
	bad.seniority_gap = 0;
	assert_int_equal(score_weights_validate(&bad, &err), -1);
	assert_string_equal(err.field, "seniority_gap");
}

/* ---- hard constraints -------------------------------------------------- */

static void expect_rule(fixture *f, score_rule rule, const char *code, const char *needle)
{
	mt_error err = {0};
	score_reason *r;
	size_t n = 7;
	/* A perfect wish would not override a hard constraint. */
	int64_t wish = f->mentor.id;
	f->mentee.wishes = &wish;
	f->mentee.n_wishes = 1;
	prepare(f);
	assert_int_equal(score_check(&f->mentee, &f->mentor), rule);
	assert_int_equal(score_pair(&f->w, &f->mentee, &f->mentor), -1);
	assert_int_equal(score_explain(&f->w, &f->mentee, &f->mentor, &names, &f->arena, &r, &n),
			 -1);
	assert_int_equal(n, 0);
	assert_int_equal(score_check_error(&f->mentee, &f->mentor, &names, &err), -1);
	assert_int_equal(err.status, 409);
	assert_string_equal(err.code, code);
	assert_string_equal(score_rule_code(rule), code);
	assert_string_equal(err.field, "mentor_id");
	assert_non_null(strstr(err.message, needle));
	f->mentee.wishes = NULL;
	f->mentee.n_wishes = 0;
}

static void test_self(void **state)
{
	fixture *f = *state;
	f->mentor.id = f->mentee.id;
	expect_rule(f, SCORE_RULE_SELF, "self", "cannot mentor themselves");
}

static void test_reporting_line(void **state)
{
	fixture *f = *state;
	int64_t chain[] = {40, 2, 90};  /* the mentor is the mentee's manager's manager */
	f->mentee.managers = chain;
	f->mentee.n_managers = 3;
	expect_rule(f, SCORE_RULE_REPORTING_LINE, "reporting_line",
		    "Grace Hopper is in Ada Lovelace's reporting line");
}

static void test_reverse_line(void **state)
{
	fixture *f = *state;
	int64_t chain[] = {1};  /* the mentee manages the mentor */
	f->mentor.managers = chain;
	f->mentor.n_managers = 1;
	expect_rule(f, SCORE_RULE_REVERSE_LINE, "reverse_reporting_line",
		    "Ada Lovelace is in Grace Hopper's reporting line");
}

static void test_prior_pair(void **state)
{
	fixture *f = *state;
	int64_t prior_mentor[] = {2}, prior_mentee[] = {1};
	f->mentee.prior = prior_mentor;
	f->mentee.n_prior = 1;
	expect_rule(f, SCORE_RULE_PRIOR_PAIR, "prior_pair", "already paired");
	f->mentee.n_prior = 0;
	f->mentor.prior = prior_mentee;  /* either side's history is enough */
	f->mentor.n_prior = 1;
	expect_rule(f, SCORE_RULE_PRIOR_PAIR, "prior_pair", "already paired");
}

static void test_avoid(void **state)
{
	fixture *f = *state;
	int64_t mentor[] = {77, 2}, mentee[] = {1};
	f->mentee.avoid = mentor;
	f->mentee.n_avoid = 2;
	expect_rule(f, SCORE_RULE_MENTEE_AVOIDS, "mentee_avoids",
		    "Ada Lovelace asked not to be paired with Grace Hopper");
	f->mentee.n_avoid = 0;
	f->mentor.avoid = mentee;
	f->mentor.n_avoid = 1;
	expect_rule(f, SCORE_RULE_MENTOR_AVOIDS, "mentor_avoids",
		    "Grace Hopper asked not to be paired with Ada Lovelace");
}

static void test_no_constraint(void **state)
{
	fixture *f = *state;
	mt_error err = {0};
	int64_t unrelated[] = {5, 6, 7};
	f->mentee.managers = unrelated;
	f->mentee.n_managers = 3;
	f->mentor.avoid = unrelated;
	f->mentor.n_avoid = 3;
	prepare(f);
	assert_int_equal(score_check(&f->mentee, &f->mentor), SCORE_OK);
	assert_int_equal(score_check_error(&f->mentee, &f->mentor, &names, &err), 0);
	assert_int_equal(score_pair(&f->w, &f->mentee, &f->mentor), 0);
}

/* ---- components --------------------------------------------------------- */

static void test_skill(void **state)
{
	fixture *f = *state;
	add_skill(&f->mentee, 3, 2, 3);
	add_skill(&f->mentor, 3, 4, 0);
	expect_one(f, "skill", 35, "Mentor offers Public speaking at 4, mentee wants it at 2");
	f->mentor.skills[0].level = 3;  /* one level above: half the share */
	expect_one(f, "skill", 18, "Mentor offers Public speaking at 3, mentee wants it at 2");
	f->mentor.skills[0].level = 2;  /* same level: nothing to learn */
	expect_one(f, "skill", 0, NULL);
}

static void test_skills_add_up(void **state)
{
	fixture *f = *state;
	score_reason *r;
	size_t n;
	add_skill(&f->mentee, 0, 1, 5);  /* Negotiation, most important */
	add_skill(&f->mentee, 1, 1, 1);  /* SQL */
	add_skill(&f->mentee, 2, 3, 3);  /* Leadership, not covered */
	add_skill(&f->mentor, 1, 5, 0);
	add_skill(&f->mentor, 0, 2, 0);
	add_skill(&f->mentor, 2, 3, 0);
	prepare(f);
	int score = score_explain(&f->w, &f->mentee, &f->mentor, &names, &f->arena, &r, &n);
	/* credit 5*1 + 1*2 = 7 of 2*(5+1+3) = 18: 35 * 7 / 18 = 13.6 -> 14 */
	assert_int_equal(score, 14);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].points + r[1].points, 14);
	assert_string_equal(r[0].text, "Mentor offers Negotiation at 2, mentee wants it at 1");
	assert_string_equal(r[1].text, "Mentor offers SQL at 5, mentee wants it at 1");
}

static void test_skill_names_fall_back(void **state)
{
	fixture *f = *state;
	score_reason *r;
	size_t n;
	add_skill(&f->mentee, 300, 1, 3);  /* beyond the table and beyond 64 */
	add_skill(&f->mentor, 300, 5, 0);
	prepare(f);
	assert_int_equal(score_explain(&f->w, &f->mentee, &f->mentor, NULL, &f->arena, &r, &n),
			 35);
	assert_string_equal(r[0].text, "Mentor offers skill 300 at 5, mentee wants it at 1");
}

static void test_goal_area(void **state)
{
	fixture *f = *state;
	f->mentee.goal_areas = 1u << MT_GOAL_PROMOTION | 1u << MT_GOAL_PERFORMANCE;
	f->mentor.goal_areas = 1u << MT_GOAL_PROMOTION | 1u << MT_GOAL_CERTIFICATION;
	expect_one(f, "goal_area", 8, "Mentor can help with promotion (1 of the mentee's 2 goal areas)");
	f->mentor.goal_areas |= 1u << MT_GOAL_PERFORMANCE;
	expect_one(f, "goal_area", 15,
		   "Mentor can help with promotion and job performance (2 of the mentee's 2 goal areas)");
}

static void test_seniority(void **state)
{
	fixture *f = *state;
	f->mentee.seniority = 3;
	f->mentor.seniority = 5;
	expect_one(f, "seniority", 15, "Mentor is 2 levels more senior (the program prefers 2)");
	f->mentor.seniority = 6;
	expect_one(f, "seniority", 10, "Mentor is 3 levels more senior (the program prefers 2)");
	f->mentor.seniority = 4;
	expect_one(f, "seniority", 10, "Mentor is 1 level more senior (the program prefers 2)");
	f->mentor.seniority = 8;  /* too far from the preferred gap */
	expect_one(f, "seniority", 0, NULL);
	f->mentor.seniority = 3;  /* not more senior */
	expect_one(f, "seniority", 0, NULL);
	f->mentor.seniority = 0;  /* unknown */
	expect_one(f, "seniority", 0, NULL);
}

static void test_department(void **state)
{
	fixture *f = *state;
	f->mentee.department = 1;
	f->mentor.department = 2;
	expect_one(f, "department", 10,
		   "Mentor works in Engineering and mentee in Sales: different departments, as the program prefers");
	f->mentor.department = 1;
	expect_one(f, "department", 0, NULL);
	f->w.department_pref = SCORE_DEPT_SAME;
	expect_one(f, "department", 10, "Both work in Sales, as the program prefers");
	f->w.department_pref = SCORE_DEPT_ANY;
	expect_one(f, "department", 0, NULL);
	f->w.department_pref = SCORE_DEPT_DIFFERENT;
	f->mentor.department = 0;  /* unknown */
	expect_one(f, "department", 0, NULL);
}

static void test_location(void **state)
{
	fixture *f = *state;
	f->mentee.location = f->mentor.location = 2;
	expect_one(f, "location", 10, "Both work in Lisbon");
	f->mentor.location = 1;
	f->mentee.has_tz = f->mentor.has_tz = true;
	f->mentee.tz_minutes = 0;
	f->mentor.tz_minutes = 0;
	expect_one(f, "location", 7, "Both work in the same time zone");
	f->mentor.tz_minutes = 60;
	expect_one(f, "location", 7, "Their time zones are 1 h apart");
	f->mentor.tz_minutes = -150;
	expect_one(f, "location", 3, "Their time zones are 2 h 30 min apart");
	f->mentor.tz_minutes = 240;
	expect_one(f, "location", 0, NULL);
	f->mentor.has_tz = false;
	f->mentor.tz_minutes = 0;
	expect_one(f, "location", 0, NULL);
}

static void test_language(void **state)
{
	fixture *f = *state;
	f->mentee.languages = 1u << 1;
	f->mentor.languages = 1u << 0 | 1u << 1;
	expect_one(f, "language", 5, "Both speak German");
	f->mentor.languages = 1u << 0;
	expect_one(f, "language", 0, NULL);
}

static void test_wish(void **state)
{
	fixture *f = *state;
	int64_t wishes[] = {9, 2};
	f->mentee.wishes = wishes;
	f->mentee.n_wishes = 2;
	expect_one(f, "wish", 8, "Mentee named this mentor as wish #2");
	wishes[0] = 2;
	wishes[1] = 9;
	expect_one(f, "wish", 10, "Mentee named this mentor as wish #1");
	wishes[0] = 9;
	expect_one(f, "wish", 0, NULL);
}

static void test_weights_apply(void **state)
{
	fixture *f = *state;
	f->mentee.languages = f->mentor.languages = 1;
	f->w.language = 0;
	expect_one(f, "language", 0, NULL);
	f->w.language = 40;
	expect_one(f, "language", 40, "Both speak English");
}

/* ---- consistency ------------------------------------------------------- */

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % bound);
}

static void random_person(score_person *p, int64_t id, const int64_t *ids, bool mentee)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->seniority = (int)rnd(11);
	p->department = (int32_t)rnd(3);
	p->location = (int32_t)rnd(3);
	p->has_tz = rnd(2);
	p->tz_minutes = (int)rnd(8) * 45 - 120;
	p->goal_areas = rnd(64);
	p->languages = rnd(4);
	for (int k = (int)rnd(6); k > 0; k--)
		add_skill(p, (uint16_t)(rnd(4) ? rnd(6) : 60 + rnd(10)), (uint8_t)(1 + rnd(5)),
			  (uint8_t)rnd(6));
	if (mentee) {
		p->wishes = ids + rnd(4);
		p->n_wishes = rnd(3);
	}
	if (!rnd(8)) {
		p->avoid = ids + rnd(4);
		p->n_avoid = 1;
	}
	score_person_prepare(p);
}

static void test_reasons_add_up(void **state)
{
	fixture *f = *state;
	static const int64_t ids[] = {10, 11, 12, 13, 14, 15, 16};
	score_person mentors[8];
	int row[8];
	for (int round = 0; round < 3000; round++) {
		score_weights w = f->w;
		if (round % 2) {  /* any valid weights keep the promise */
			w.skills = (int)rnd(101);
			w.goal_areas = (int)rnd(101);
			w.seniority = (int)rnd(101);
			w.seniority_gap = 1 + (int)rnd(9);
			w.department = (int)rnd(101);
			w.department_pref = (score_dept_pref)rnd(3);
			w.location = (int)rnd(101);
			w.language = (int)rnd(101);
			w.wish = (int)rnd(101);
		}
		score_person mentee;
		random_person(&mentee, 10 + rnd(7), ids, true);
		for (int j = 0; j < 8; j++)
			random_person(&mentors[j], 10 + rnd(7), ids, false);
		score_row(&w, &mentee, mentors, 8, row);
		for (int j = 0; j < 8; j++) {
			score_reason *r;
			size_t n;
			int score = score_explain(&w, &mentee, &mentors[j], &names, &f->arena, &r, &n);
			int sum = 0;
			assert_int_equal(score, score_pair(&w, &mentee, &mentors[j]));
			assert_int_equal(score, row[j]);
			assert_true(score <= (round % 2 ? 700 : 100));
			for (size_t k = 0; k < n; k++) {
				assert_true(r[k].points > 0);
				assert_non_null(r[k].text);
				sum += r[k].points;
			}
			assert_int_equal(score < 0 ? 0 : score, sum);
		}
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),      T(test_self),          T(test_reporting_line),
		T(test_reverse_line),  T(test_prior_pair),    T(test_avoid),
		T(test_no_constraint), T(test_skill),         T(test_skills_add_up),
		T(test_skill_names_fall_back), T(test_goal_area), T(test_seniority),
		T(test_department),    T(test_location),      T(test_language),
		T(test_wish),          T(test_weights_apply), T(test_reasons_add_up),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
