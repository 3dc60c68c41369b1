/*
 * demogen.h - deterministic demo data: an organisation and a mentoring
 * program that look real enough to demo matching, dashboards and reports.
 *
 * Why deterministic: the demo, the benchmarks and the tests must see the
 * same data from the same seed on every machine, so the generator has its
 * own PRNG (splitmix64) and never reads the clock: the caller passes
 * "today" as a day number (validate_ymd_to_days) and every date is placed
 * relative to it.
 *
 * Shape of the organisation:
 *  - person 0 is the CEO (seniority 10, no manager); each department has a
 *    head (seniority 7-9 by department size) who reports to the CEO; every
 *    other person reports to someone in the same department who is strictly
 *    more senior.  The array is ordered so that a manager always comes
 *    before the people who report to them (an importer that links managers
 *    by email in file order works).
 *  - names from several cultures (some non-ASCII: José, Zoë, Łukasz,
 *    Søren, ...), tied to the office location; unique emails
 *    firstname.lastname[N]@example.com, lower-case, ASCII-folded.
 *  - weighted department sizes, titles that fit department and seniority,
 *    seniority skewed low, cities with their time zone and languages, hire
 *    dates over ~10 years, demographics (gender, age band) for ~90%, opt-in
 *    for ~93%.
 * Later issues extend it with pairs, sessions, goals and outcomes.
 */
#ifndef MT_DEMOGEN_H
#define MT_DEMOGEN_H

#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"
#include "lib/arena.h"

enum { DEMOGEN_DEFAULT_PEOPLE = 400, DEMOGEN_LARGE_PEOPLE = 100000 };

/* One skill of the catalogue; department is where it is mostly found (NULL:
 * useful everywhere, e.g. Public speaking). */
typedef struct mt_demogen_skill {
	const char *name;
	const char *department;
} mt_demogen_skill;

/* The skill catalogue (static storage, ~40 entries). */
const mt_demogen_skill *demogen_skills(size_t *n);
/* The department names (static storage). */
const char *const *demogen_departments(size_t *n);

/* The PRNG, exposed so later generators (pairs, sessions) share it. */
typedef struct mt_rng {
	uint64_t state;
} mt_rng;
void demogen_rng_seed(mt_rng *r, uint64_t seed);
uint64_t demogen_rng_next(mt_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t demogen_rng_below(mt_rng *r, uint32_t n);
/* Uniform in [0, 1). */
double demogen_rng_unit(mt_rng *r);

/*
 * Generates n_people people (n_people >= 1) into *out (arena array of
 * n_people, strings in the arena or static).  `today` is a day number; hire
 * dates fall in the ten years before it.  ids are 1..n in array order,
 * manager_id is the manager's id (and manager_email their email).  Same
 * (seed, n_people, today), same output.  Never fails (the arena aborts on
 * OOM).
 */
void demogen_org(mt_arena *a, uint64_t seed, size_t n_people, int32_t today, mt_person **out,
		 size_t *n);

/*
 * Generates one program's memberships for `people` (as from demogen_org):
 * each opted-in person who has not left joins with probability
 * `participation` (0..1); seniority decides the role so that mentors are
 * about one in four or five participants and more senior than mentees.
 * Mentors get capacity 1-5 and offer 2-5 skills at level 3-5, mentees want
 * 1-3 skills at level 1-3, mostly from their department's skills; goal
 * areas, a goals sentence, years of experience consistent with seniority,
 * status mostly active, joined within the 180 days before `today` (never
 * before the hire date).  person_id is the person's id, program_id 0, email
 * set.  Output in people order.
 */
void demogen_program(mt_arena *a, uint64_t seed, const mt_person *people, size_t n_people,
		     double participation, int32_t today, mt_membership **out, size_t *n);

#endif
