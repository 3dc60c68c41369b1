/* test_demogen_activity.c - the demo activity generator: deterministic per
 * pair, and shaped like a real program (rhythm, intros, ratings mostly high,
 * assessments mostly improving, nothing outside a pair's dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/demogen_activity.h"
#include "domain/goal.h"
#include "domain/session.h"
#include "domain/validate.h"

enum { N = 600 };

static int32_t today;
static demogen_activity_pair pairs[N];
static const int64_t skills[3] = {11, 12, 13};

static void make_pairs(void)
{
	validate_date_parse("2025-06-30", &today);
	for (int i = 0; i < N; i++) {
		demogen_activity_pair *p = &pairs[i];
		p->pair_id = 1000 + i;
		p->program_id = 1;
		p->mentor_person_id = 1 + i;
		p->mentee_person_id = 5000 + i;
		p->mentee_membership_id = 9000 + i;
		p->started_on = today - 30 - (i * 7) % 600;
		p->status = i % 5 == 0 ? "completed" : i % 17 == 0 ? "ended" : i % 23 == 0 ? "proposed"
											    : "active";
		p->ended_on = p->status[0] == 'a' || p->status[0] == 'p' ? -1 : p->started_on + 20 + i % 200;
		if (p->ended_on > today)
			p->ended_on = today;
		p->skill_ids = skills;
		p->n_skills = (size_t)(i % 4);
	}
}

static void test_deterministic_and_batch_independent(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	demogen_activity one, two, tail;
	demogen_activity_generate(&a, 7, pairs, N, today, &one);
	demogen_activity_generate(&a, 7, pairs, N, today, &two);
	assert_int_equal(one.n_sessions, two.n_sessions);
	assert_memory_equal(one.sessions, two.sessions, one.n_sessions * sizeof(*one.sessions));
	assert_int_equal(one.n_ratings, two.n_ratings);
	/* The second half alone gives the same sessions as in the whole run. */
	demogen_activity_generate(&a, 7, pairs + N / 2, N / 2, today, &tail);
	size_t first = 0;
	while (first < one.n_sessions && one.sessions[first].pair < N / 2)
		first++;
	assert_int_equal(one.n_sessions - first, tail.n_sessions);
	for (size_t i = 0; i < tail.n_sessions; i++) {
		assert_int_equal(one.sessions[first + i].held_at, tail.sessions[i].held_at);
		assert_int_equal(one.sessions[first + i].pair, tail.sessions[i].pair + N / 2);
	}
	demogen_activity other;
	demogen_activity_generate(&a, 8, pairs, N, today, &other);
	assert_true(other.n_sessions != one.n_sessions ||
		    memcmp(other.sessions, one.sessions, one.n_sessions * sizeof(*one.sessions)));
	arena_free(&a);
}

static void test_shape(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	demogen_activity act;
	demogen_activity_generate(&a, 7, pairs, N, today, &act);
	assert_true(act.n_sessions > 5 * N);
	size_t status[SESSION_STATUS_COUNT] = {0}, intros = 0, pairs_with[N] = {0};
	int64_t now = (int64_t)today * 86400 + 86400;
	for (size_t i = 0; i < act.n_sessions; i++) {
		const demogen_session *s = &act.sessions[i];
		const demogen_activity_pair *p = &pairs[s->pair];
		assert_true(strcmp(p->status, "proposed") != 0);
		assert_true(s->minutes >= 30 && s->minutes <= 90);
		assert_true(s->held_at >= (int64_t)p->started_on * 86400);
		if (p->ended_on >= 0)
			assert_true(s->held_at < (int64_t)(p->ended_on + 1) * 86400);
		if (s->status == SESSION_SCHEDULED)
			assert_true(s->held_at >= (int64_t)today * 86400);
		else
			assert_true(s->held_at < now);
		status[s->status]++;
		intros += s->kind == SESSION_INTRO;
		pairs_with[s->pair]++;
		if (i > 0 && act.sessions[i - 1].pair == s->pair)
			assert_true(act.sessions[i - 1].held_at < s->held_at);
	}
	assert_true(status[SESSION_CANCELLED] > 0 && status[SESSION_NO_SHOW] > 0);
	assert_true(status[SESSION_COMPLETED] > 8 * (status[SESSION_CANCELLED] + status[SESSION_NO_SHOW]));
	assert_true(intros > N / 2);
	/* Ratings: completed sessions only, mostly 4-5, with a tail of low ones. */
	size_t high = 0, low = 0;
	for (size_t i = 0; i < act.n_ratings; i++) {
		const demogen_rating *r = &act.ratings[i];
		assert_int_equal(act.sessions[r->session].status, SESSION_COMPLETED);
		assert_true(r->score >= 1 && r->score <= 5);
		high += r->score >= 4;
		low += r->score <= 2;
	}
	assert_true(high > act.n_ratings * 7 / 10);
	assert_true(low > 0);
	/* Goals: some achieved, dates consistent; milestones point at goals. */
	size_t achieved = 0;
	for (size_t i = 0; i < act.n_goals; i++) {
		const demogen_goal *g = &act.goals[i];
		assert_true(g->category < 6);
		assert_true((g->status == GOAL_ACHIEVED) == (g->achieved_on >= 0));
		if (g->achieved_on >= 0)
			assert_true(g->achieved_on >= g->set_on && g->achieved_on <= today);
		achieved += g->status == GOAL_ACHIEVED;
	}
	assert_true(achieved > 0 && achieved < act.n_goals);
	for (size_t i = 0; i < act.n_milestones; i++)
		assert_true(act.milestones[i].goal < act.n_goals);
	/* Assessments: ends only for finished pairs, mostly improving. */
	size_t ends = 0, better = 0;
	for (size_t i = 0; i < act.n_assessments; i++) {
		const demogen_assessment *x = &act.assessments[i];
		assert_true((x->goal >= 0) != (x->skill_id > 0));
		assert_true(x->score >= 1 && x->score <= 5);
		if (x->phase != PHASE_END || x->assessor != SIDE_MENTEE)
			continue;
		assert_true(strcmp(pairs[x->pair].status, "active") != 0);
		ends++;
		for (size_t j = 0; j < act.n_assessments; j++) {
			const demogen_assessment *y = &act.assessments[j];
			if (y->pair == x->pair && y->phase == PHASE_START && y->assessor == SIDE_MENTEE &&
			    y->goal == x->goal && y->skill_id == x->skill_id) {
				better += x->score > y->score;
				break;
			}
		}
	}
	assert_true(ends > 0);
	assert_true(better > ends / 2);
	assert_true(act.n_checkins > 0);
	arena_free(&a);
}

int main(void)
{
	make_pairs();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic_and_batch_independent),
		cmocka_unit_test(test_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
