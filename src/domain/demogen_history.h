/*
 * demogen_history.h - the pairing history of a long-running program, for
 * the large demo: pairs made over the last three years, most of them run
 * their course, some ended early, the recent ones still active.
 *
 * The everyday demo makes its pairs with the real matcher; a program of
 * 100,000 people with 40,000 pairs over three years was not made in one
 * matching run, so its history is generated directly: each pair takes the
 * next waiting mentee and a mentor in turn who is not the mentee's manager
 * and has a free seat at the pair's start.  Pure and deterministic.
 */
#ifndef MT_DEMOGEN_HISTORY_H
#define MT_DEMOGEN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"
#include "lib/arena.h"

typedef enum demogen_pair_state {
	DEMOGEN_PAIR_ACTIVE = 0,
	DEMOGEN_PAIR_COMPLETED,
	DEMOGEN_PAIR_ENDED,
} demogen_pair_state;

typedef struct demogen_pair {
	uint32_t mentee;     /* index into the members array */
	uint32_t mentor;     /* index into the members array */
	int32_t start;       /* day number */
	int32_t end;         /* day number, or -1 while active */
	demogen_pair_state state;
} demogen_pair;

/*
 * Generates up to n_pairs pairs among `members` (mentors and mentees of one
 * program; `people` gives managers, by person id = index + 1 as demogen_org
 * makes them) starting over the `days` days before `today`.  Pairs last 340
 * to 680 days; those whose time has passed are completed, one in ten ended
 * early.  Each member's joined_on is moved to a few days before their first
 * pair (an arena string), so the history is consistent.  Returns the number
 * of pairs made; *out is an arena array.
 */
size_t demogen_history(mt_arena *a, uint64_t seed, mt_membership *members, size_t n_members,
		       const mt_person *people, size_t n_people, int32_t today, int32_t days,
		       size_t n_pairs, demogen_pair **out);

#endif
