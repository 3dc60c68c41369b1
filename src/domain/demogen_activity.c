/*
 * demogen_activity.c - see demogen_activity.h.
 *
 * Each pair draws from its own splitmix64 stream seeded from (seed, pair
 * id); nothing here depends on the order or batching of pairs.
 */
#include "domain/demogen_activity.h"

#include <string.h>

#include "domain/goal.h"
#include "domain/model.h"
#include "domain/session.h"

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(rng *r, uint32_t n)
{
	return (uint32_t)(((next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability pct/100. */
static int chance(rng *r, uint32_t pct)
{
	return below(r, 100) < pct;
}

/* Pick an index by integer weights. */
static int weighted(rng *r, const uint8_t *w, int n)
{
	uint32_t total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	uint32_t x = below(r, total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Growable arena arrays: PUSH returns a pointer to a new zeroed slot. */
static void *grow(mt_arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t more = *cap ? *cap * 2 : 64;
	arr = arena_realloc(a, arr, *cap * size, more * size);
	*cap = more;
	return arr;
}
#define PUSH(a, arr, n, cap) ((arr) = grow((a), (arr), (n), &(cap), sizeof(*(arr))), &(arr)[(n)++])

typedef struct builder {
	mt_arena *a;
	demogen_activity *out;
	size_t cap_sessions, cap_ratings, cap_checkins, cap_goals, cap_milestones, cap_assessments;
} builder;

static const char *const good_comments[] = {
	"Really useful, I left with a clear plan.",
	"Great conversation, very practical advice.",
	"Helped me think through the promotion case.",
	"Good progress on my goals this time.",
	"Energising session, thank you!",
	"We went deep on stakeholder management.",
	"Clear next steps for the certification.",
	"My mentee came well prepared.",
	"Good questions, we covered a lot.",
};
static const char *const poor_comments[] = {
	"We ran out of time before the main topic.",
	"Felt a bit unfocused.",
	"Rescheduled twice, hard to keep momentum.",
	"Not sure we are a good fit.",
	"Too generic, I hoped for concrete examples.",
	"We mostly talked past each other.",
};
static const char *const checkin_comments[] = {
	"Works well for me.", "Good match so far.", "Could meet more often.",
	"Our schedules clash a lot.", "Exactly the mentor I needed.", "Not what I expected.",
};
static const char *const goal_texts[MT_GOAL_CATEGORY_COUNT][3] = {
	{"Learn the basics of a new skill", "Become confident using the tool at work",
	 "Run my first project with the new method"},
	{"Build a case for promotion this cycle", "Take on team-lead duties",
	 "Get ready for the next grade"},
	{"Deliver my projects on time", "Improve the quality of my reviews",
	 "Reduce rework in my team"},
	{"Feel more connected to the company", "Find more meaning in my work",
	 "Build a network outside my team"},
	{"Pass the certification exam", "Complete the internal training track",
	 "Earn a professional credential"},
	{"Improve my work-life balance", "Get better at public speaking",
	 "Prepare for a move abroad"},
};
static const char *const milestone_texts[] = {
	"Agree on a plan with my mentor", "Finish the first course module",
	"Present the results to my team", "Book the exam", "Collect feedback from peers",
	"Draft the proposal",
};
static const char *const mentor_comments[] = {
	"Let's break this into smaller steps.", "Good progress, keep going.",
	"Consider talking to your manager about this.", "This one is ambitious, I like it.",
};

#define PICK(r, arr) ((arr)[below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* A score 1..5 for a good or a poor pair. */
static uint8_t draw_score(rng *r, int poor)
{
	static const uint8_t good[5] = {1, 2, 8, 35, 54};
	static const uint8_t bad[5] = {8, 17, 35, 30, 10};
	return (uint8_t)(1 + weighted(r, poor ? bad : good, 5));
}

static int64_t at_time(rng *r, int32_t day)
{
	/* Office hours, on the quarter hour. */
	return (int64_t)day * 86400 + (8 + below(r, 10)) * 3600 + below(r, 4) * 900;
}

static void gen_goals(builder *b, rng *r, const demogen_activity_pair *p, uint32_t pi,
		      int32_t last_day, int over, size_t *first, size_t *count)
{
	static const uint8_t cat_w[MT_GOAL_CATEGORY_COUNT] = {30, 18, 20, 12, 14, 6};
	int n = 1 + (int)below(r, 3);
	*first = b->out->n_goals;
	*count = (size_t)n;
	for (int i = 0; i < n; i++) {
		demogen_goal *g = PUSH(b->a, b->out->goals, b->out->n_goals, b->cap_goals);
		int cat = weighted(r, cat_w, MT_GOAL_CATEGORY_COUNT);
		g->pair = pi;
		g->category = (uint8_t)cat;
		g->description = goal_texts[cat][below(r, 3)];
		g->skill_id = cat == MT_GOAL_NEW_SKILL && p->n_skills
				      ? p->skill_ids[below(r, (uint32_t)p->n_skills)] : 0;
		g->set_on = p->started_on + (int32_t)below(r, 15);
		if (g->set_on > last_day)
			g->set_on = last_day;
		g->target_date = g->set_on + 60 + (int32_t)below(r, 180);
		static const uint8_t over_w[GOAL_STATUS_COUNT] = {15, 20, 55, 10};
		static const uint8_t live_w[GOAL_STATUS_COUNT] = {25, 50, 20, 5};
		g->status = (uint8_t)weighted(r, over ? over_w : live_w, GOAL_STATUS_COUNT);
		g->achieved_on = -1;
		if (g->status == GOAL_ACHIEVED) {
			int32_t span = last_day - g->set_on;
			g->achieved_on = g->set_on + (span > 0 ? (int32_t)below(r, (uint32_t)span + 1) : 0);
		}
		g->mentor_comment = chance(r, 33) ? PICK(r, mentor_comments) : NULL;
		int nm = (int)below(r, 4);
		for (int k = 0; k < nm; k++) {
			demogen_milestone *m = PUSH(b->a, b->out->milestones, b->out->n_milestones,
						    b->cap_milestones);
			m->goal = (uint32_t)(b->out->n_goals - 1);
			m->title = PICK(r, milestone_texts);
			m->due_date = g->set_on + 20 + 30 * k + (int32_t)below(r, 20);
			m->achieved_on = -1;
			m->status = GOAL_NOT_STARTED;
			if (m->due_date <= last_day && (g->status == GOAL_ACHIEVED || chance(r, 60))) {
				m->status = GOAL_ACHIEVED;
				m->achieved_on = m->due_date;
			} else if (chance(r, 40)) {
				m->status = GOAL_IN_PROGRESS;
			}
		}
	}
}

static void gen_sessions(builder *b, rng *r, const demogen_activity_pair *p, uint32_t pi,
			 int32_t today, int32_t last_day, int poor, size_t goal0, size_t n_goals)
{
	static const uint8_t rhythm_days[4] = {7, 14, 21, 30};
	static const uint8_t rhythm_w[4] = {15, 40, 20, 25};
	int rhythm = rhythm_days[weighted(r, rhythm_w, 4)];
	int active = strcmp(p->status, "active") == 0;
	int stalled = active && chance(r, 8);
	int32_t stop = last_day;
	if (stalled)
		stop = today - 31 - (int32_t)below(r, 60);
	int intro = chance(r, 88);
	int32_t dayn = p->started_on;
	if (intro) /* most intros come within two weeks; a tail comes later */
		dayn += chance(r, 85) ? (int32_t)below(r, 14) : 14 + (int32_t)below(r, 30);
	else
		dayn += (int32_t)below(r, (uint32_t)rhythm);
	int first = 1, live = active && !stalled;
	for (;;) {
		int future = live && dayn >= today;
		if (!future && (dayn > stop || dayn >= today))
			break;
		demogen_session *s = PUSH(b->a, b->out->sessions, b->out->n_sessions,
					  b->cap_sessions);
		s->pair = pi;
		s->held_at = at_time(r, dayn);
		s->kind = (uint8_t)(first && intro ? SESSION_INTRO : SESSION_REGULAR);
		static const uint8_t min_w[5] = {25, 25, 35, 5, 10}; /* 30 45 60 75 90 */
		s->minutes = (int16_t)(30 + 15 * weighted(r, min_w, 5));
		s->topic_goal = -1;
		s->topic_skill = 0;
		if (future) {
			s->status = SESSION_SCHEDULED;
		} else {
			static const uint8_t st_w[4] = {0, 90, 6, 4};
			s->status = (uint8_t)(first ? SESSION_COMPLETED : weighted(r, st_w, 4));
		}
		if (s->status == SESSION_COMPLETED && chance(r, 50)) {
			if (n_goals && (chance(r, 60) || !p->n_skills))
				s->topic_goal = (int32_t)(goal0 + below(r, (uint32_t)n_goals));
			else if (p->n_skills)
				s->topic_skill = p->skill_ids[below(r, (uint32_t)p->n_skills)];
		}
		if (s->status == SESSION_COMPLETED) {
			uint32_t si = (uint32_t)(b->out->n_sessions - 1);
			for (int side = 0; side < SIDE_COUNT; side++) {
				if (!chance(r, side == SIDE_MENTEE ? 85 : 70))
					continue;
				demogen_rating *ra = PUSH(b->a, b->out->ratings, b->out->n_ratings,
							  b->cap_ratings);
				ra->session = si;
				ra->side = (uint8_t)side;
				ra->score = draw_score(r, poor);
				ra->comment = NULL;
				if (chance(r, 25))
					ra->comment = ra->score >= 4 ? PICK(r, good_comments)
								     : PICK(r, poor_comments);
			}
		}
		if (future)
			break; /* one scheduled session ahead is enough */
		first = 0;
		int jitter = (int)below(r, 7) - 3;
		dayn += rhythm + jitter > 3 ? rhythm + jitter : 3;
	}
}

static void gen_checkins(builder *b, rng *r, uint32_t pi, int32_t from, int32_t last_day,
			 int poor)
{
	for (int side = 0; side < SIDE_COUNT; side++)
		for (int32_t d = from + 7; d <= last_day; d += 30) {
			if (!chance(r, 70))
				continue;
			demogen_checkin *c = PUSH(b->a, b->out->checkins, b->out->n_checkins,
						  b->cap_checkins);
			c->pair = pi;
			c->side = (uint8_t)side;
			c->score = draw_score(r, poor);
			c->comment = chance(r, 20) ? PICK(r, checkin_comments) : NULL;
			c->answered_at = at_time(r, d + (int32_t)below(r, 5));
		}
}

static void add_assessment(builder *b, uint32_t pi, int assessor, int phase, uint8_t score,
			   int64_t skill, int32_t goal, int32_t on)
{
	demogen_assessment *x = PUSH(b->a, b->out->assessments, b->out->n_assessments,
				     b->cap_assessments);
	x->pair = pi;
	x->assessor = (uint8_t)assessor;
	x->phase = (uint8_t)phase;
	x->score = score;
	x->skill_id = skill;
	x->goal = goal;
	x->assessed_on = on;
}

static void gen_assessments(builder *b, rng *r, const demogen_activity_pair *p, uint32_t pi,
			    int32_t last_day, int over, size_t goal0, size_t n_goals)
{
	size_t n_sk = p->n_skills < 3 ? p->n_skills : 3;
	int mentor_view = chance(r, 33);
	for (size_t i = 0; i < n_sk + n_goals; i++) {
		int64_t skill = i < n_sk ? p->skill_ids[i] : 0;
		int32_t goal = i < n_sk ? -1 : (int32_t)(goal0 + i - n_sk);
		if (!chance(r, 90))
			continue;
		uint8_t start = (uint8_t)(1 + below(r, 3));
		int32_t on = p->started_on + (int32_t)below(r, 10);
		if (on > last_day)
			on = last_day;
		add_assessment(b, pi, SIDE_MENTEE, PHASE_START, start, skill, goal, on);
		if (mentor_view)
			add_assessment(b, pi, SIDE_MENTOR, PHASE_START,
				       (uint8_t)(start > 1 && chance(r, 50) ? start - 1 : start),
				       skill, goal, on);
		static const uint8_t delta_w[5] = {5, 15, 40, 30, 10}; /* -1, 0, +1, +2, +3 */
		int delta = weighted(r, delta_w, 5) - 1;
		int end = start + delta < 1 ? 1 : start + delta > 5 ? 5 : start + delta;
		int32_t span = last_day - on;
		if (span > 60 && chance(r, 30))
			add_assessment(b, pi, SIDE_MENTEE, PHASE_MID,
				       (uint8_t)((start + end + 1) / 2), skill, goal, on + span / 2);
		if (over && chance(r, 80)) {
			add_assessment(b, pi, SIDE_MENTEE, PHASE_END, (uint8_t)end, skill, goal,
				       last_day);
			if (mentor_view)
				add_assessment(b, pi, SIDE_MENTOR, PHASE_END, (uint8_t)end, skill,
					       goal, last_day);
		}
	}
}

void demogen_activity_generate(mt_arena *a, uint64_t seed, const demogen_activity_pair *pairs,
			       size_t n, int32_t today, demogen_activity *out)
{
	builder b = {.a = a, .out = out};
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const demogen_activity_pair *p = &pairs[i];
		int active = strcmp(p->status, "active") == 0;
		int over = strcmp(p->status, "completed") == 0 || strcmp(p->status, "ended") == 0;
		if ((!active && !over) || p->started_on > today)
			continue;
		rng r = {seed ^ ((uint64_t)p->pair_id * 0x9e3779b97f4a7c15ull)};
		next(&r);
		int32_t last_day = over && p->ended_on >= p->started_on ? p->ended_on : today;
		if (last_day > today)
			last_day = today;
		int poor = chance(&r, 16) || strcmp(p->status, "ended") == 0;
		size_t goal0, n_goals;
		gen_goals(&b, &r, p, (uint32_t)i, last_day, over, &goal0, &n_goals);
		gen_sessions(&b, &r, p, (uint32_t)i, today, last_day, poor, goal0, n_goals);
		gen_checkins(&b, &r, (uint32_t)i, p->started_on, last_day, poor);
		gen_assessments(&b, &r, p, (uint32_t)i, last_day, over, goal0, n_goals);
	}
}
