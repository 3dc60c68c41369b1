/* demogen_history.c - see demogen_history.h. */
#include "domain/demogen_history.h"

#include <string.h>

#include "domain/demogen.h"
#include "domain/validate.h"

/* Seats in use per mentor over time: the day each seat frees up again. */
typedef struct seat_state {
	int32_t *free_on;  /* capacity entries per mentor, day the seat is free */
	size_t *first;     /* offset of each mentor's seats in free_on */
} seat_state;

static int take_seat(seat_state *s, const mt_membership *m, uint32_t mentor, int32_t start,
		     int32_t end)
{
	int32_t *seats = s->free_on + s->first[mentor];
	for (int k = 0; k < m->capacity; k++)
		if (seats[k] <= start) {
			seats[k] = end;
			return 1;
		}
	return 0;
}

static void move_joined(mt_arena *a, mt_membership *m, int32_t day)
{
	int32_t now;
	if (m->joined_on && validate_date_parse(m->joined_on, &now) == 0 && now <= day)
		return;
	char *buf = arena_alloc(a, 11);
	validate_date_format(day, buf);
	m->joined_on = buf;
}

size_t demogen_history(mt_arena *a, uint64_t seed, mt_membership *members, size_t n_members,
		       const mt_person *people, size_t n_people, int32_t today, int32_t days,
		       size_t n_pairs, demogen_pair **out)
{
	mt_rng rng;
	demogen_rng_seed(&rng, seed ^ 0x415708);
	uint32_t *mentors = arena_calloc(a, n_members + 1, sizeof(*mentors));
	size_t n_mentors = 0, seats_total = 0;
	seat_state seats = {.first = arena_calloc(a, n_members + 1, sizeof(size_t))};
	for (size_t i = 0; i < n_members; i++) {
		seats.first[i] = seats_total;
		if (members[i].role == MT_ROLE_MENTOR && members[i].capacity > 0) {
			mentors[n_mentors++] = (uint32_t)i;
			seats_total += (size_t)members[i].capacity;
		}
	}
	seats.free_on = arena_calloc(a, seats_total + 1, sizeof(int32_t));
	for (size_t k = 0; k < seats_total; k++)
		seats.free_on[k] = INT32_MIN;
	demogen_pair *pairs = arena_calloc(a, n_pairs + 1, sizeof(*pairs));
	size_t made = 0, next_mentor = 0;
	for (size_t i = 0; i < n_members && made < n_pairs && n_mentors; i++) {
		mt_membership *e = &members[i];
		if (e->role != MT_ROLE_MENTEE)
			continue;
		/* Starts spread evenly over the period, in member order. */
		int32_t start = today - days +
				(int32_t)((int64_t)days * (int64_t)made / (int64_t)n_pairs) +
				(int32_t)demogen_rng_below(&rng, 7);
		if (start >= today)
			start = today - 1;
		int32_t length = 340 + (int32_t)demogen_rng_below(&rng, 341);
		int32_t end = start + length;
		bool early = demogen_rng_below(&rng, 10) == 0;
		if (early)
			end = start + 30 + (int32_t)demogen_rng_below(&rng, (uint32_t)length - 30);
		int64_t manager = e->person_id >= 1 && (size_t)e->person_id <= n_people
					  ? people[e->person_id - 1].manager_id : 0;
		for (size_t tries = 0; tries < n_mentors; tries++) {
			uint32_t j = mentors[next_mentor];
			next_mentor = (next_mentor + 1) % n_mentors;
			if (members[j].person_id == manager || members[j].person_id == e->person_id)
				continue;
			if (!take_seat(&seats, &members[j], j, start, end > today ? INT32_MAX : end))
				continue;
			pairs[made] = (demogen_pair){
				.mentee = (uint32_t)i, .mentor = j, .start = start,
				.end = end > today ? -1 : end,
				.state = end > today ? DEMOGEN_PAIR_ACTIVE
					 : early ? DEMOGEN_PAIR_ENDED : DEMOGEN_PAIR_COMPLETED,
			};
			move_joined(a, e, start - 1 - (int32_t)demogen_rng_below(&rng, 20));
			move_joined(a, &members[j], start - 1 - (int32_t)demogen_rng_below(&rng, 20));
			made++;
			break;
		}
	}
	*out = pairs;
	return made;
}
