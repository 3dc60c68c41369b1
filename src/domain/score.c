/*
 * score.c - compatibility score and its reasons (see score.h).
 *
 * Each component is one static function that takes an optional explain
 * sink.  score_pair() passes NULL and gets plain integer arithmetic;
 * score_explain() passes a sink and gets the sentences from the very same
 * code, so the reasons can never disagree with the score.  Id lists
 * (managers, wishes, "not this person", prior pairs) are usually empty or
 * tiny; a 64-bit bloom of their ids lets the fast path skip them for
 * almost every pair.
 */
#include "domain/score.h"

#include "domain/model.h"
#include "lib/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct explain_sink {
	mt_arena *arena;
	const score_names *names;
	score_reason *items;
	size_t n, cap;
} explain_sink;

static const char *const goal_labels[] = {
	"a new skill", "promotion", "job performance",
	"satisfaction and engagement", "certification or training", "other goals",
};

static void sink_add(explain_sink *x, const char *component, int points,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void sink_add(explain_sink *x, const char *component, int points,
		     const char *fmt, ...)
{
	if (!x || points <= 0)
		return;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 8;
		x->items = arena_realloc(x->arena, x->items, x->cap * sizeof(*x->items),
					 cap * sizeof(*x->items));
		x->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	score_reason *r = &x->items[x->n++];
	r->component = component;
	r->points = points;
	r->text = arena_vprintf(x->arena, fmt, ap);
	va_end(ap);
}

/* A name from an optional table, or "<kind> <index>" in the arena. */
static const char *name_of(explain_sink *x, const char *const *table, size_t n,
			   size_t index, const char *kind)
{
	if (table && index < n && table[index])
		return table[index];
	return arena_printf(x->arena, "%s %zu", kind, index);
}

static uint64_t id_bit(int64_t id)
{
	return 1ull << (((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 58);
}

static bool ids_contain(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t k = 0; k < n; k++)
		if (ids[k] == id)
			return true;
	return false;
}

/* Rounded w * num / den for non-negative values, den > 0. */
static int share(int w, long num, long den)
{
	return (int)((2L * w * num + den) / (2L * den));
}

/* ceil(2^32 / (2 den)): with it share_by() divides by multiplying. */
static uint32_t share_recip(uint32_t den)
{
	return den ? (uint32_t)(((1ull << 32) + 2ull * den - 1) / (2ull * den)) : 0;
}

/*
 * share() without a division: exact while (2 w num + den) * 2 den < 2^32,
 * which holds for weights up to 10,000 and a few hundred importance points.
 */
static int share_by(int w, int num, uint32_t den, uint32_t recip)
{
	uint64_t n = 2ull * (uint64_t)w * (uint64_t)num + den;
	return (int)((n * recip) >> 32);
}

/* Reciprocals for share_by() of goal areas: den = 0..6 goal areas. */
static const uint32_t goal_recip[MT_GOAL_CATEGORY_COUNT + 1] = {
	0, 2147483648u, 1073741824u, 715827883u, 536870912u, 429496730u, 357913942u,
};

static int popcount8(uint32_t x)
{
	x = x - ((x >> 1) & 0x55u);
	x = (x & 0x33u) + ((x >> 2) & 0x33u);
	return (int)((x + (x >> 4)) & 0x0Fu);
}

void score_weights_default(score_weights *w)
{
	memset(w, 0, sizeof(*w));
	w->skills = 35;
	w->goal_areas = 15;
	w->seniority = 15;
	w->seniority_gap = 2;
	w->department = 10;
	w->department_pref = SCORE_DEPT_DIFFERENT;
	w->location = 10;
	w->language = 5;
	w->wish = 10;
	w->min_score = 20;
}

int score_weights_validate(const score_weights *w, mt_error *err)
{
	const struct {
		const char *field;
		int value;
	} weights[] = {
		{"skills", w->skills},         {"goal_areas", w->goal_areas},
		{"seniority", w->seniority},   {"department", w->department},
		{"location", w->location},     {"language", w->language},
		{"wish", w->wish},
	};
	for (size_t k = 0; k < sizeof(weights) / sizeof(weights[0]); k++)
		if (weights[k].value < 0 || weights[k].value > 100)
			return mt_invalid(err, weights[k].field,
					  "The %s weight must be between 0 and 100.",
					  weights[k].field);
	if (w->seniority_gap < 1 || w->seniority_gap > 9)
		return mt_invalid(err, "seniority_gap",
				  "The preferred seniority gap must be between 1 and 9 levels.");
	if (w->department_pref < SCORE_DEPT_ANY || w->department_pref > SCORE_DEPT_DIFFERENT)
		return mt_invalid(err, "department_pref",
				  "The department preference must be any, same or different.");
	if (w->min_score < 0 || w->min_score > 1000)
		return mt_invalid(err, "min_score",
				  "The minimum score must be between 0 and 1000.");
	return 0;
}

static int skill_cmp(const void *a, const void *b)
{
	const score_skill *x = a, *y = b;
	return (x->skill > y->skill) - (x->skill < y->skill);
}

static uint8_t clamp_level(int level)
{
	return (uint8_t)(level < 1 ? 1 : level > 5 ? 5 : level);
}

static void prepare_skills(score_person *p)
{
	if (p->n_skills > SCORE_MAX_SKILLS)
		p->n_skills = SCORE_MAX_SKILLS;
	qsort(p->skills, p->n_skills, sizeof(p->skills[0]), skill_cmp);
	size_t out = 0;
	for (size_t k = 0; k < p->n_skills; k++) {
		if (out && p->skills[out - 1].skill == p->skills[k].skill)
			continue;  /* keep the first of duplicates */
		p->skills[out] = p->skills[k];
		p->skills[out].level = clamp_level(p->skills[k].level);
		if (!p->skills[out].importance)
			p->skills[out].importance = 3;
		else if (p->skills[out].importance > 5)
			p->skills[out].importance = 5;
		out++;
	}
	p->n_skills = (uint8_t)out;
	p->skill_mask = 0;
	p->importance2 = 0;
	memset(p->levels, 0, sizeof(p->levels));
	for (size_t k = 0; k < out; k++) {
		unsigned id = p->skills[k].skill;
		p->skill_mask |= 1ull << (id & 63);
		p->importance2 += 2u * p->skills[k].importance;
		if (id < 64)
			p->levels[id >> 4] |= (uint64_t)p->skills[k].level << ((id & 15) * 4);
	}
	p->importance_recip = share_recip(p->importance2);
}

void score_person_prepare(score_person *p)
{
	prepare_skills(p);
	p->goal_areas &= (1u << MT_GOAL_CATEGORY_COUNT) - 1;
	p->id_mask = 0;
	const int64_t *lists[] = {p->managers, p->wishes, p->avoid, p->prior};
	size_t lens[] = {p->n_managers, p->n_wishes, p->n_avoid, p->n_prior};
	for (size_t l = 0; l < 4; l++)
		for (size_t k = 0; lists[l] && k < lens[l]; k++)
			p->id_mask |= id_bit(lists[l][k]);
}

score_rule score_check(const score_person *mentee, const score_person *mentor)
{
	if (mentee->id == mentor->id)
		return SCORE_RULE_SELF;
	if (ids_contain(mentee->managers, mentee->n_managers, mentor->id))
		return SCORE_RULE_REPORTING_LINE;
	if (ids_contain(mentor->managers, mentor->n_managers, mentee->id))
		return SCORE_RULE_REVERSE_LINE;
	if (ids_contain(mentee->prior, mentee->n_prior, mentor->id) ||
	    ids_contain(mentor->prior, mentor->n_prior, mentee->id))
		return SCORE_RULE_PRIOR_PAIR;
	if (ids_contain(mentee->avoid, mentee->n_avoid, mentor->id))
		return SCORE_RULE_MENTEE_AVOIDS;
	if (ids_contain(mentor->avoid, mentor->n_avoid, mentee->id))
		return SCORE_RULE_MENTOR_AVOIDS;
	return SCORE_OK;
}

const char *score_rule_code(score_rule rule)
{
	switch (rule) {
	case SCORE_OK: return "ok";
	case SCORE_RULE_SELF: return "self";
	case SCORE_RULE_REPORTING_LINE: return "reporting_line";
	case SCORE_RULE_REVERSE_LINE: return "reverse_reporting_line";
	case SCORE_RULE_PRIOR_PAIR: return "prior_pair";
	case SCORE_RULE_MENTEE_AVOIDS: return "mentee_avoids";
	case SCORE_RULE_MENTOR_AVOIDS: return "mentor_avoids";
	}
	return "unknown";
}

int score_check_error(const score_person *mentee, const score_person *mentor,
		      const score_names *names, mt_error *err)
{
	score_rule rule = score_check(mentee, mentor);
	const char *me = names && names->mentee ? names->mentee : "the mentee";
	const char *mr = names && names->mentor ? names->mentor : "the mentor";
	const char *code = score_rule_code(rule);

	switch (rule) {
	case SCORE_OK:
		return 0;
	case SCORE_RULE_SELF:
		return mt_fail(err, 409, code, "mentor_id",
			       "A person cannot mentor themselves (%s).", me);
	case SCORE_RULE_REPORTING_LINE:
		return mt_fail(err, 409, code, "mentor_id",
			       "%s cannot mentor %s: %s is in %s's reporting line (their manager or above).",
			       mr, me, mr, me);
	case SCORE_RULE_REVERSE_LINE:
		return mt_fail(err, 409, code, "mentor_id",
			       "%s cannot mentor %s: %s is in %s's reporting line (their manager or above).",
			       mr, me, me, mr);
	case SCORE_RULE_PRIOR_PAIR:
		return mt_fail(err, 409, code, "mentor_id",
			       "%s and %s were already paired in this program.", mr, me);
	case SCORE_RULE_MENTEE_AVOIDS:
		return mt_fail(err, 409, code, "mentor_id",
			       "%s asked not to be paired with %s.", me, mr);
	case SCORE_RULE_MENTOR_AVOIDS:
		return mt_fail(err, 409, code, "mentor_id",
			       "%s asked not to be paired with %s.", mr, me);
	}
	return mt_internal(err, "Unknown pairing rule %d.", (int)rule);
}

/* The mentor's level of a skill, 0 when not offered. */
static inline int mentor_level(const score_person *mr, unsigned skill)
{
	if (skill < 64)
		return (int)((mr->levels[skill >> 4] >> ((skill & 15) * 4)) & 15);
	for (size_t k = 0; k < mr->n_skills; k++)
		if (mr->skills[k].skill == skill)
			return mr->skills[k].level;
	return 0;
}

/*
 * Cumulative rounding keeps the per-skill points adding up to the total,
 * which is share(w, total credit, importance2) whether or not we explain.
 */
static inline int skill_points(const score_weights *w, const score_person *me,
			const score_person *mr, explain_sink *x)
{
	if (!w->skills || !me->importance2 || !(me->skill_mask & mr->skill_mask))
		return 0;
	int credit = 0, given = 0;
	for (size_t k = 0; k < me->n_skills; k++) {
		const score_skill *want = &me->skills[k];
		int level = mentor_level(mr, want->skill);
		int gap = level - want->level;
		gap = gap < 0 ? 0 : gap > 2 ? 2 : gap;
		credit += want->importance * gap;
		if (!x || !gap)
			continue;
		int now = share_by(w->skills, credit, me->importance2, me->importance_recip);
		sink_add(x, "skill", now - given, "Mentor offers %s at %d, mentee wants it at %d",
			 name_of(x, x->names ? x->names->skills : NULL,
				 x->names ? x->names->n_skills : 0, want->skill, "skill"),
			 level, want->level);
		given = now;
	}
	return share_by(w->skills, credit, me->importance2, me->importance_recip);
}

/* "a new skill, promotion and job performance" */
static const char *goal_list(explain_sink *x, uint32_t mask)
{
	strbuf sb = STRBUF_INIT;
	int total = popcount8(mask), seen = 0;
	for (int g = 0; g < MT_GOAL_CATEGORY_COUNT; g++) {
		if (!(mask & (1u << g)))
			continue;
		if (seen)
			sb_adds(&sb, seen == total - 1 ? " and " : ", ");
		sb_adds(&sb, goal_labels[g]);
		seen++;
	}
	const char *out = arena_strdup(x->arena, sb_str(&sb));
	sb_release(&sb);
	return out;
}

static inline int goal_points(const score_weights *w, const score_person *me,
		       const score_person *mr, explain_sink *x)
{
	uint32_t common = me->goal_areas & mr->goal_areas;
	if (!w->goal_areas || !common)
		return 0;
	int wanted = popcount8(me->goal_areas);
	int shared = popcount8(common);
	int points = share_by(w->goal_areas, shared, (uint32_t)wanted, goal_recip[wanted]);
	if (x)
		sink_add(x, "goal_area", points,
			 "Mentor can help with %s (%d of the mentee's %d goal areas)",
			 goal_list(x, common), shared, wanted);
	return points;
}

static inline int seniority_points(const score_weights *w, const score_person *me,
			    const score_person *mr, explain_sink *x)
{
	if (!w->seniority || !me->seniority || !mr->seniority)
		return 0;
	int gap = mr->seniority - me->seniority;
	int off = abs(gap - w->seniority_gap);
	if (gap <= 0 || off >= SCORE_SENIORITY_SPAN)
		return 0;
	int points = share(w->seniority, SCORE_SENIORITY_SPAN - off, SCORE_SENIORITY_SPAN);
	if (x)
		sink_add(x, "seniority", points,
			 "Mentor is %d level%s more senior (the program prefers %d)",
			 gap, gap == 1 ? "" : "s", w->seniority_gap);
	return points;
}

static inline int department_points(const score_weights *w, const score_person *me,
			     const score_person *mr, explain_sink *x)
{
	if (!w->department || w->department_pref == SCORE_DEPT_ANY ||
	    !me->department || !mr->department)
		return 0;
	bool same = me->department == mr->department;
	if (same != (w->department_pref == SCORE_DEPT_SAME))
		return 0;
	if (x) {
		const score_names *n = x->names;
		const char *const *t = n ? n->departments : NULL;
		size_t nt = n ? n->n_departments : 0;
		const char *dme = name_of(x, t, nt, (size_t)me->department, "department");
		const char *dmr = name_of(x, t, nt, (size_t)mr->department, "department");
		if (same)
			sink_add(x, "department", w->department,
				 "Both work in %s, as the program prefers", dme);
		else
			sink_add(x, "department", w->department,
				 "Mentor works in %s and mentee in %s: different departments, as the program prefers",
				 dmr, dme);
	}
	return w->department;
}

static inline int timezone_points(const score_weights *w, const score_person *me,
			   const score_person *mr, explain_sink *x)
{
	int diff = abs(me->tz_minutes - mr->tz_minutes);
	int points = diff <= 60 ? share(w->location, 2, 3) : diff <= 180 ? share(w->location, 1, 3) : 0;
	if (x && diff == 0)
		sink_add(x, "location", points, "Both work in the same time zone");
	else if (x && diff % 60 == 0)
		sink_add(x, "location", points, "Their time zones are %d h apart", diff / 60);
	else if (x)
		sink_add(x, "location", points, "Their time zones are %d h %02d min apart",
			 diff / 60, diff % 60);
	return points;
}

static inline int location_points(const score_weights *w, const score_person *me,
			   const score_person *mr, explain_sink *x)
{
	if (!w->location)
		return 0;
	if (me->location && me->location == mr->location) {
		if (x)
			sink_add(x, "location", w->location, "Both work in %s",
				 name_of(x, x->names ? x->names->locations : NULL,
					 x->names ? x->names->n_locations : 0,
					 (size_t)me->location, "location"));
		return w->location;
	}
	if (me->has_tz && mr->has_tz)
		return timezone_points(w, me, mr, x);
	return 0;
}

static inline int language_points(const score_weights *w, const score_person *me,
			   const score_person *mr, explain_sink *x)
{
	uint32_t common = me->languages & mr->languages;
	if (!w->language || !common)
		return 0;
	if (x)
		sink_add(x, "language", w->language, "Both speak %s",
			 name_of(x, x->names ? x->names->languages : NULL,
				 x->names ? x->names->n_languages : 0,
				 (size_t)__builtin_ctz(common), "language"));
	return w->language;
}

/* First wish earns the full weight, the second 3/4, the third 1/2, later ones 1/4. */
static inline int wish_points(const score_weights *w, const score_person *me,
		       const score_person *mr, explain_sink *x)
{
	if (!w->wish || !(me->id_mask & id_bit(mr->id)))
		return 0;
	size_t n = me->n_wishes < SCORE_MAX_WISHES ? me->n_wishes : SCORE_MAX_WISHES;
	for (size_t rank = 0; me->wishes && rank < n; rank++) {
		if (me->wishes[rank] != mr->id)
			continue;
		int points = share(w->wish, 4 - (rank > 3 ? 3 : (long)rank), 4);
		if (x)
			sink_add(x, "wish", points, "Mentee named this mentor as wish #%zu",
				 rank + 1);
		return points;
	}
	return 0;
}

/* Always inlined, so score_pair() gets a copy with every sink test folded away. */
static inline __attribute__((always_inline)) int
score_components(const score_weights *w, const score_person *me, const score_person *mr,
		 explain_sink *x)
{
	return skill_points(w, me, mr, x) + goal_points(w, me, mr, x) +
	       seniority_points(w, me, mr, x) + department_points(w, me, mr, x) +
	       location_points(w, me, mr, x) + language_points(w, me, mr, x) +
	       wish_points(w, me, mr, x);
}

static inline bool pair_forbidden(const score_person *me, const score_person *mr)
{
	if (me->id == mr->id)
		return true;
	if (!(me->id_mask & id_bit(mr->id)) && !(mr->id_mask & id_bit(me->id)))
		return false;
	return score_check(me, mr) != SCORE_OK;
}

/*
 * The fast path.  Same arithmetic as the components above (the unit tests
 * hold them equal on random people), but without branches that depend on
 * the pair: each component is computed and multiplied by a 0/1 condition,
 * and everything that depends only on the mentee and the weights is
 * worked out once per mentee in a fast_ctx.
 */
typedef struct fast_ctx {
	const score_weights *w;
	const score_person *me;
	uint64_t me_bit;
	uint32_t goal_recip;
	int goal_count;
	int seniority_points[SCORE_SENIORITY_SPAN + 1]; /* by distance from the gap */
	int tz_near, tz_far;
	int dept_same_wanted, dept_on;
} fast_ctx;

static void fast_init(fast_ctx *c, const score_weights *w, const score_person *me)
{
	c->w = w;
	c->me = me;
	c->me_bit = id_bit(me->id);
	c->goal_count = popcount8(me->goal_areas);
	c->goal_recip = goal_recip[c->goal_count];
	for (int off = 0; off < SCORE_SENIORITY_SPAN; off++)
		c->seniority_points[off] = share(w->seniority, SCORE_SENIORITY_SPAN - off,
						 SCORE_SENIORITY_SPAN);
	c->seniority_points[SCORE_SENIORITY_SPAN] = 0;
	c->tz_near = share(w->location, 2, 3);
	c->tz_far = share(w->location, 1, 3);
	c->dept_same_wanted = w->department_pref == SCORE_DEPT_SAME;
	c->dept_on = w->department_pref != SCORE_DEPT_ANY && me->department != 0;
}

static inline int fast_skills(const fast_ctx *c, const score_person *mr)
{
	const score_person *me = c->me;
	int credit = 0;
	for (size_t k = 0; k < me->n_skills; k++) {
		int gap = mentor_level(mr, me->skills[k].skill) - me->skills[k].level;
		gap = gap < 0 ? 0 : gap > 2 ? 2 : gap;
		credit += me->skills[k].importance * gap;
	}
	return share_by(c->w->skills, credit, me->importance2, me->importance_recip);
}

static inline int fast_seniority(const fast_ctx *c, const score_person *mr)
{
	int gap = mr->seniority - c->me->seniority;
	int off = abs(gap - c->w->seniority_gap);
	off = off > SCORE_SENIORITY_SPAN ? SCORE_SENIORITY_SPAN : off;
	int known = (c->me->seniority != 0) & (mr->seniority != 0) & (gap > 0);
	return known * c->seniority_points[off];
}

static inline int fast_location(const fast_ctx *c, const score_person *mr)
{
	const score_person *me = c->me;
	int same = (me->location != 0) & (me->location == mr->location);
	int diff = abs(me->tz_minutes - mr->tz_minutes);
	int tz = (diff <= 60) * c->tz_near + ((diff > 60) & (diff <= 180)) * c->tz_far;
	int has_tz = me->has_tz & mr->has_tz;
	return same * c->w->location + (1 - same) * has_tz * tz;
}

static inline int fast_score(const fast_ctx *c, const score_person *mr)
{
	const score_weights *w = c->w;
	const score_person *me = c->me;
	if (me->id == mr->id ||
	    (((me->id_mask & id_bit(mr->id)) | (mr->id_mask & c->me_bit)) &&
	     score_check(me, mr) != SCORE_OK))
		return -1;
	int shared = popcount8(me->goal_areas & mr->goal_areas);
	int points = fast_skills(c, mr) + fast_seniority(c, mr) + fast_location(c, mr);
	points += share_by(w->goal_areas, shared, (uint32_t)c->goal_count, c->goal_recip);
	points += c->dept_on * (mr->department != 0) *
		  ((me->department == mr->department) == c->dept_same_wanted) * w->department;
	points += ((me->languages & mr->languages) != 0) * w->language;
	if (me->id_mask & id_bit(mr->id))
		points += wish_points(w, me, mr, NULL);
	return points;
}

int score_pair(const score_weights *w, const score_person *mentee,
	       const score_person *mentor)
{
	fast_ctx c;
	fast_init(&c, w, mentee);
	return fast_score(&c, mentor);
}

void score_row(const score_weights *w, const score_person *mentee,
	       const score_person *mentors, size_t n_mentors, int *scores)
{
	fast_ctx c;
	fast_init(&c, w, mentee);
	for (size_t j = 0; j < n_mentors; j++)
		scores[j] = fast_score(&c, &mentors[j]);
}

int score_explain(const score_weights *w, const score_person *mentee,
		  const score_person *mentor, const score_names *names,
		  mt_arena *arena, score_reason **reasons, size_t *n_reasons)
{
	*reasons = NULL;
	*n_reasons = 0;
	if (pair_forbidden(mentee, mentor))
		return -1;
	explain_sink x = {.arena = arena, .names = names};
	int score = score_components(w, mentee, mentor, &x);
	*reasons = x.items;
	*n_reasons = x.n;
	return score;
}
