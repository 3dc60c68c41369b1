/* test_demogen_history.c - the large demo's pairing history is consistent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/demogen.h"
#include "domain/demogen_history.h"
#include "domain/validate.h"

enum { PEOPLE = 3000, PAIRS = 900 };

static size_t make(mt_arena *a, uint64_t seed, mt_person **people, size_t *n_people,
		   mt_membership **members, size_t *n_members, demogen_pair **pairs)
{
	int32_t today = validate_ymd_to_days(2026, 11, 23);
	demogen_org(a, seed, PEOPLE, today, people, n_people);
	demogen_program(a, seed, *people, *n_people, 0.6, today, members, n_members);
	return demogen_history(a, seed, *members, *n_members, *people, *n_people, today, 1100,
			       PAIRS, pairs);
}

static void test_history_is_consistent(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *people;
	mt_membership *members;
	demogen_pair *pairs;
	size_t n_people, n_members;
	int32_t today = validate_ymd_to_days(2026, 11, 23);
	size_t n = make(&a, 5, &people, &n_people, &members, &n_members, &pairs);
	assert_int_equal(n, PAIRS);
	size_t active = 0, completed = 0, ended = 0;
	for (size_t i = 0; i < n; i++) {
		const demogen_pair *p = &pairs[i];
		const mt_membership *e = &members[p->mentee], *m = &members[p->mentor];
		assert_int_equal(e->role, MT_ROLE_MENTEE);
		assert_int_equal(m->role, MT_ROLE_MENTOR);
		/* Never the mentee's own manager. */
		assert_true(people[e->person_id - 1].manager_id != m->person_id);
		/* Both had joined before the pair started. */
		int32_t joined;
		assert_int_equal(validate_date_parse(e->joined_on, &joined), 0);
		assert_true(joined < p->start);
		assert_int_equal(validate_date_parse(m->joined_on, &joined), 0);
		assert_true(joined < p->start);
		assert_true(p->start >= today - 1100 && p->start <= today);
		if (p->state == DEMOGEN_PAIR_ACTIVE) {
			assert_int_equal(p->end, -1);
			active++;
		} else {
			assert_true(p->end > p->start && p->end <= today);
			p->state == DEMOGEN_PAIR_COMPLETED ? completed++ : ended++;
		}
		/* The mentor's capacity holds on the day the pair starts. */
		int busy = 0;
		for (size_t j = 0; j < n; j++)
			if (pairs[j].mentor == p->mentor && pairs[j].start <= p->start &&
			    (pairs[j].end == -1 || pairs[j].end > p->start))
				busy++;
		assert_true(busy <= m->capacity);
	}
	assert_true(active > 0 && completed > ended && ended > 0);
	arena_free(&a);
}

static void test_history_is_deterministic(void **state)
{
	(void)state;
	mt_arena a, b;
	arena_init(&a);
	arena_init(&b);
	mt_person *p1, *p2;
	mt_membership *m1, *m2;
	demogen_pair *h1, *h2;
	size_t np, nm;
	size_t n1 = make(&a, 9, &p1, &np, &m1, &nm, &h1);
	size_t n2 = make(&b, 9, &p2, &np, &m2, &nm, &h2);
	assert_int_equal(n1, n2);
	assert_memory_equal(h1, h2, n1 * sizeof(*h1));
	arena_free(&a);
	arena_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_is_consistent),
		cmocka_unit_test(test_history_is_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
