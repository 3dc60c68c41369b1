/*
 * kpi.c - the KPI formulas (see kpi.h; docs/metrics.md restates them).
 *
 * Every KPI is defined once, here.  kpi_compute() first derives the state
 * of every membership and pair at T from their dates (never from the
 * status column, PRODUCT.md "How the KPIs are counted"), then makes one
 * pass over each table: sessions, ratings, check-ins, goals, assessments,
 * topics and alerts are each read once, memberships and people a few
 * times.  Per-pair and per-person figures go into scratch arrays indexed
 * like the snapshot's rows, so nothing is looked up by id while computing.
 */
#include "domain/kpi.h"

#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

/* The longest range accepted (its per-day tables stay small). */
enum { KPI_MAX_RANGE_DAYS = 36600 };

/* The state of a pair at T. */
enum pair_state { ST_ABSENT = 0, ST_PROPOSED, ST_ACTIVE, ST_COMPLETED, ST_ENDED, ST_DECLINED };

static const char *const definitions[KPI_COUNT] = {
	[KPI_R1] = "Memberships active at T (admitted, joined on or before T, not left by T) "
		   "by role, and distinct persons; new registrations: memberships of any status "
		   "that joined in the range, per ISO week.",
	[KPI_R2] = "Sum of the capacities of mentors active at T; seats in use: their pairs "
		   "active at T; utilisation = seats / capacity; mentors at or over capacity.",
	[KPI_R3] = "Distinct persons active at T, counted by each profile field and "
		   "questionnaire answer; groups of 1-4 fold into \"other\"; under 5 persons "
		   "no breakdown.",
	[KPI_P1] = "Pairs that touch the range (proposed by T, and proposed or active at T, "
		   "or ended or declined on or after from), by their state at T.",
	[KPI_P2] = "Over the P1 pairs that started: days from start to end, or to T if "
		   "still active at T; median and mean.",
	[KPI_P3] = "Matching reasons of the started P1 pairs, each reason once per pair, "
		   "count descending.",
	[KPI_P4] = "Members with a pair active at T / members active at T, per role; the "
		   "unpaired with days waiting since the later of joining and the end of "
		   "their last pair.",
	[KPI_P5] = "New pairs by start date per week or month, with the cumulative count "
		   "including pairs started before the range; share of headcount = persons "
		   "active at T / employees at T.",
	[KPI_P6] = "Pairs active at T that held a completed intro session on or before T / "
		   "pairs active at T; median days from start to the first intro.",
	[KPI_P7] = "Mean match-satisfaction answer of check-ins answered in the range, per "
		   "side.",
	[KPI_S1] = "Held sessions (completed, dated in the range); per started P1 pair "
		   "(zeros included); per month; other statuses beside.",
	[KPI_S2] = "Mean rating of held sessions per rater's side (the session's date "
		   "decides).",
	[KPI_S3] = "Comments of ratings of held sessions, newest session first; managers "
		   "only.",
	[KPI_S4] = "Minutes of held sessions / 60, total and per month.",
	[KPI_S5] = "Participants ranked by hours of held sessions (each session counts for "
		   "its mentor and its mentee), ties by person id, competition ranks.",
	[KPI_S6] = "Over mentors with at least one held session: sessions per mentor (mean, "
		   "median, distribution); mean session length in minutes.",
	[KPI_G1] = "Skills wanted by mentees and offered by mentors active at T (count, mean "
		   "level); goals set by T by category.",
	[KPI_G2] = "Mentees' self-assessments made by T, per pair and skill or goal: the "
		   "earliest start and the latest end; mean start over all starts; mean change "
		   "and share improved over those with both.",
	[KPI_G3] = "Held sessions per topic (skill, or goal category), each topic once per "
		   "session.",
	[KPI_G4] = "Goals achieved on or before T / goals set by T, per category (dropped "
		   "goals stay in the denominator).",
	[KPI_H1] = "Alerts open at T by rule; success rate = pairs completed or ended early "
		   "in the range that meet the program's criteria over their whole life / those "
		   "pairs.",
};

const char *kpi_definition(int id)
{
	return id >= 0 && id < KPI_COUNT ? definitions[id] : "";
}

void kpi_filter_init(kpi_filter *f, int32_t from, int32_t to)
{
	memset(f, 0, sizeof(*f));
	f->from = from;
	f->to = to;
	f->department = KPI_NO_STR;
	f->interval = KPI_WEEK;
	f->kpis = KPI_ALL;
	f->personal = true;
	f->feedback_side = -1;
}

/* ---- building blocks ------------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

/* The k-th smallest of v[0..n) (reorders v): Hoare's quickselect, median
 * of three pivots; linear on average, where a sort was most of P2's time. */
static int32_t select_kth(int32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;
		int32_t a = v[lo], b = v[mid], c = v[hi];
		int32_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				int32_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

double kpi_median_i32(int32_t *v, size_t n)
{
	int32_t upper = select_kth(v, n, n / 2);
	if (n % 2)
		return upper;
	/* The lower middle is the largest of the elements left of n / 2. */
	int32_t lower = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return ((double)lower + (double)upper) / 2.0;
}

/* Smallest first, ties alphabetically first. */
static int cmp_group_small(const void *a, const void *b)
{
	const kpi_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_group_big(const void *a, const void *b)
{
	const kpi_group *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

int64_t kpi_fold_groups(kpi_group *g, size_t *n, bool *suppressed)
{
	int64_t population = 0, other = 0;
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++)
		population += g[i].count;
	*suppressed = population < 5;
	if (*suppressed) {
		*n = 0;
		return 0;
	}
	for (size_t i = 0; i < *n; i++) {
		if (g[i].count <= 0)
			continue;
		if (g[i].count < 5)
			other += g[i].count;
		else
			g[kept++] = g[i];
	}
	/* The remaining groups smallest first: fold from the front. */
	qsort(g, kept, sizeof(*g), cmp_group_small);
	size_t start = 0;
	while (other > 0 && other < 5 && start < kept)
		other += g[start++].count;
	memmove(g, g + start, (kept - start) * sizeof(*g));
	kept -= start;
	qsort(g, kept, sizeof(*g), cmp_group_big);
	*n = kept;
	return other;
}

static int32_t floor_mod(int32_t a, int32_t m)
{
	int32_t r = a % m;
	return r < 0 ? r + m : r;
}

int32_t kpi_iso_week(int32_t day, int *year, int *week)
{
	/* Day 0 (1970-01-01) was a Thursday; Monday is weekday 0. */
	int32_t monday = day - floor_mod(day + 3, 7);
	int32_t thursday = monday + 3;
	int y, m, d;
	validate_days_to_ymd(thursday, &y, &m, &d);
	*year = y;
	*week = (thursday - validate_ymd_to_days(y, 1, 1)) / 7 + 1;
	return monday;
}

int32_t kpi_month_start(int32_t day)
{
	int y, m, d;
	validate_days_to_ymd(day, &y, &m, &d);
	return validate_ymd_to_days(y, m, 1);
}

static size_t top_k(void *v, size_t n, size_t size, size_t k,
		    int (*cmp)(const void *, const void *));

/* ---- JSON helpers ------------------------------------------------------------ */

static json_t *ratio(int64_t num, int64_t den)
{
	return json_pack("{s:I, s:I, s:o}", "numerator", (json_int_t)num, "denominator",
			 (json_int_t)den, "value",
			 den ? json_real((double)num / (double)den) : json_null());
}

static json_t *mean(double sum, int64_t count)
{
	return json_pack("{s:f, s:I, s:o}", "sum", sum, "count", (json_int_t)count, "mean",
			 count ? json_real(sum / (double)count) : json_null());
}

static json_t *day_json(int32_t day)
{
	if (day == KPI_NO_DAY)
		return json_null();
	char buf[11];
	validate_date_format(day, buf);
	return json_string(buf);
}

static json_t *median_json(int32_t *v, size_t n)
{
	return n ? json_real(kpi_median_i32(v, n)) : json_null();
}

static json_t *str_or_null(const kpi_snapshot *s, int32_t id)
{
	const char *t = kpi_string(s, id);
	return t ? json_string(t) : json_null();
}

/* ---- the computation context --------------------------------------------------- */

typedef struct ctx {
	const kpi_snapshot *s;
	const kpi_filter *f;
	int32_t from, T;
	const kpi_person *people;
	const kpi_membership *ms;
	const kpi_pair *pairs;
	const kpi_session *sessions;
	size_t n_people, n_ms, n_pairs, n_sessions;

	uint8_t *person_in;    /* person passes the department filter */
	uint8_t *pair_in;      /* either member passes it */
	uint8_t *ms_active;    /* membership active at T */
	uint8_t *state;        /* pair state at T */
	uint8_t *touches;      /* pair counts in P1 */
	int32_t *ms_active_pairs;  /* pairs active at T per membership */
	int32_t *ms_last_end;      /* end of the last started pair ended by T */

	/* Session pass results. */
	int32_t *pair_held;        /* held sessions in the range per pair */
	int32_t *pair_life_held;   /* completed sessions per pair, whole life */
	int32_t *pair_first_intro; /* first completed intro on or before T */
	int64_t *person_minutes;   /* S5 */
	int32_t *mentor_sessions;  /* S6, per person as mentor */
	int64_t status_counts[KPI_SESSION_STATUS_COUNT];
	int64_t held, held_minutes;
	int32_t n_months, n_weeks;
	int32_t *month_of;         /* day - from -> month index */
	int32_t *month_start;      /* month index -> first day */
	int64_t *month_held, *month_minutes;

	/* Rating pass results: per pair and side, whole life (H1). */
	int64_t *pair_rating_sum;  /* [2 * pair + side] */
	int32_t *pair_rating_n;
} ctx;

static bool in_range(const ctx *c, int32_t day)
{
	return day >= c->from && day <= c->T;
}

static bool ms_active_at(const kpi_membership *m, int32_t T)
{
	return m->status != KPI_MS_PENDING && m->joined <= T && (m->left == KPI_NO_DAY || m->left > T);
}

static uint8_t pair_state_at(const kpi_pair *p, int32_t T)
{
	if (p->proposed > T && (p->started == KPI_NO_DAY || p->started > T))
		return ST_ABSENT;
	bool ended = p->ended != KPI_NO_DAY && p->ended <= T;
	if (p->started != KPI_NO_DAY && p->started <= T) {
		if (!ended)
			return ST_ACTIVE;
		return p->status == KPI_PAIR_COMPLETED ? ST_COMPLETED : ST_ENDED;
	}
	return ended ? ST_DECLINED : ST_PROPOSED;
}

static bool started_state(uint8_t st)
{
	return st == ST_ACTIVE || st == ST_COMPLETED || st == ST_ENDED;
}

static void ctx_prepare(ctx *c)
{
	const kpi_snapshot *s = c->s;
	int32_t dept = c->f->department;
	c->people = KPI_ROWS(s, people, kpi_person);
	c->ms = KPI_ROWS(s, memberships, kpi_membership);
	c->pairs = KPI_ROWS(s, pairs, kpi_pair);
	c->sessions = KPI_ROWS(s, sessions, kpi_session);
	c->n_people = s->people.n;
	c->n_ms = s->memberships.n;
	c->n_pairs = s->pairs.n;
	c->n_sessions = s->sessions.n;

	c->person_in = xcalloc(c->n_people, 1);
	for (size_t i = 0; i < c->n_people; i++)
		c->person_in[i] = dept == KPI_NO_STR || c->people[i].department == dept;
	c->ms_active = xcalloc(c->n_ms, 1);
	for (size_t i = 0; i < c->n_ms; i++)
		c->ms_active[i] = ms_active_at(&c->ms[i], c->T);

	c->pair_in = xcalloc(c->n_pairs, 1);
	c->state = xcalloc(c->n_pairs, 1);
	c->touches = xcalloc(c->n_pairs, 1);
	c->ms_active_pairs = xcalloc(c->n_ms, sizeof(int32_t));
	c->ms_last_end = xcalloc(c->n_ms, sizeof(int32_t));
	for (size_t i = 0; i < c->n_ms; i++)
		c->ms_last_end[i] = KPI_NO_DAY;
	for (size_t i = 0; i < c->n_pairs; i++) {
		const kpi_pair *p = &c->pairs[i];
		uint8_t st = pair_state_at(p, c->T);
		c->state[i] = st;
		c->pair_in[i] = c->person_in[p->mentor] || c->person_in[p->mentee];
		c->touches[i] = c->pair_in[i] && st != ST_ABSENT &&
				(st == ST_PROPOSED || st == ST_ACTIVE || p->ended >= c->from);
		if (st == ST_ACTIVE) {
			c->ms_active_pairs[p->mentor_ms]++;
			c->ms_active_pairs[p->mentee_ms]++;
		} else if (st == ST_COMPLETED || st == ST_ENDED) {
			int32_t *a = &c->ms_last_end[p->mentor_ms], *b = &c->ms_last_end[p->mentee_ms];
			if (*a == KPI_NO_DAY || p->ended > *a)
				*a = p->ended;
			if (*b == KPI_NO_DAY || p->ended > *b)
				*b = p->ended;
		}
	}

	/* Months of the range: a per-day table so the session pass never
	 * converts a day to a date. */
	int32_t len = c->T - c->from + 1;
	c->month_of = xcalloc((size_t)len, sizeof(int32_t));
	c->month_start = xcalloc((size_t)len, sizeof(int32_t));
	int32_t cur = -1, start = KPI_NO_DAY;
	for (int32_t d = 0; d < len; d++) {
		int32_t ms = kpi_month_start(c->from + d);
		if (ms != start) {
			start = ms;
			c->month_start[++cur] = ms;
		}
		c->month_of[d] = cur;
	}
	c->n_months = cur + 1;
	c->month_held = xcalloc((size_t)c->n_months, sizeof(int64_t));
	c->month_minutes = xcalloc((size_t)c->n_months, sizeof(int64_t));
}

static void ctx_release(ctx *c)
{
	void *all[] = {c->person_in, c->pair_in, c->ms_active, c->state, c->touches,
		       c->ms_active_pairs, c->ms_last_end, c->pair_held, c->pair_life_held,
		       c->pair_first_intro, c->person_minutes, c->mentor_sessions, c->month_of,
		       c->month_start, c->month_held, c->month_minutes, c->pair_rating_sum,
		       c->pair_rating_n};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]);
}

/* One pass over the sessions: everything S1, S4, S5, S6, P6 and H1 need. */
static void pass_sessions(ctx *c)
{
	c->pair_held = xcalloc(c->n_pairs, sizeof(int32_t));
	c->pair_life_held = xcalloc(c->n_pairs, sizeof(int32_t));
	c->pair_first_intro = xcalloc(c->n_pairs, sizeof(int32_t));
	for (size_t i = 0; i < c->n_pairs; i++)
		c->pair_first_intro[i] = KPI_NO_DAY;
	c->person_minutes = xcalloc(c->n_people, sizeof(int64_t));
	c->mentor_sessions = xcalloc(c->n_people, sizeof(int32_t));
	for (size_t i = 0; i < c->n_sessions; i++) {
		const kpi_session *x = &c->sessions[i];
		int32_t p = x->pair;
		if (!c->pair_in[p])
			continue;
		bool done = x->status == KPI_SESSION_COMPLETED;
		if (done) {
			c->pair_life_held[p]++;
			if (x->kind == KPI_SESSION_INTRO && x->day <= c->T &&
			    (c->pair_first_intro[p] == KPI_NO_DAY || x->day < c->pair_first_intro[p]))
				c->pair_first_intro[p] = x->day;
		}
		if (!in_range(c, x->day))
			continue;
		c->status_counts[x->status]++;
		if (!done)
			continue;
		const kpi_pair *pr = &c->pairs[p];
		c->held++;
		c->held_minutes += x->minutes;
		int32_t m = c->month_of[x->day - c->from];
		c->month_held[m]++;
		c->month_minutes[m] += x->minutes;
		c->pair_held[p]++;
		c->person_minutes[pr->mentor] += x->minutes;
		c->person_minutes[pr->mentee] += x->minutes;
		c->mentor_sessions[pr->mentor]++;
	}
}

/* ---- R: registration ------------------------------------------------------------ */

static json_t *kpi_r1(ctx *c)
{
	int64_t by_role[2] = {0, 0}, persons = 0;
	uint8_t *seen = xcalloc(c->n_people, 1);
	/* Weeks of the range. */
	int y, w;
	int32_t first_monday = kpi_iso_week(c->from, &y, &w);
	int32_t n_weeks = (kpi_iso_week(c->T, &y, &w) - first_monday) / 7 + 1;
	int64_t *weekly = xcalloc((size_t)n_weeks, sizeof(int64_t));
	int64_t new_total = 0;
	for (size_t i = 0; i < c->n_ms; i++) {
		const kpi_membership *m = &c->ms[i];
		if (!c->person_in[m->person])
			continue;
		if (c->ms_active[i]) {
			by_role[m->role]++;
			if (!seen[m->person]) {
				seen[m->person] = 1;
				persons++;
			}
		}
		if (in_range(c, m->joined)) {
			weekly[(kpi_iso_week(m->joined, &y, &w) - first_monday) / 7]++;
			new_total++;
		}
	}
	json_t *series = json_array();
	for (int32_t k = 0; k < n_weeks; k++) {
		int32_t monday = kpi_iso_week(first_monday + 7 * k, &y, &w);
		char label[16];
		snprintf(label, sizeof(label), "%04d-W%02d", y, w);
		json_array_append_new(series, json_pack("{s:s, s:o, s:I}", "week", label, "start",
							day_json(monday), "count",
							(json_int_t)weekly[k]));
	}
	free(weekly);
	free(seen);
	return json_pack("{s:I, s:I, s:I, s:I, s:{s:I, s:o}}", "mentors", (json_int_t)by_role[0],
			 "mentees", (json_int_t)by_role[1], "memberships",
			 (json_int_t)(by_role[0] + by_role[1]), "persons", (json_int_t)persons,
			 "new_registrations", "total", (json_int_t)new_total, "per_week", series);
}

static json_t *kpi_r2(ctx *c)
{
	int64_t capacity = 0, seats = 0, mentors = 0, at_or_over = 0, over = 0;
	for (size_t i = 0; i < c->n_ms; i++) {
		const kpi_membership *m = &c->ms[i];
		if (m->role != KPI_MENTOR || !c->ms_active[i] || !c->person_in[m->person])
			continue;
		int32_t used = c->ms_active_pairs[i];
		mentors++;
		capacity += m->capacity;
		seats += used;
		if (used >= m->capacity && (m->capacity > 0 || used > 0))
			at_or_over++;
		if (used > m->capacity)
			over++;
	}
	return json_pack("{s:I, s:I, s:I, s:o, s:I, s:I}", "mentors", (json_int_t)mentors,
			 "capacity", (json_int_t)capacity, "seats_in_use", (json_int_t)seats,
			 "utilisation", ratio(seats, capacity), "mentors_at_or_over_capacity",
			 (json_int_t)at_or_over, "mentors_over_capacity", (json_int_t)over);
}

/* R3's fields: a fixed profile field, a demographic key or an answer key. */
enum field_kind { F_JOB_TITLE, F_DEPARTMENT, F_LOCATION, F_SENIORITY, F_DEMOGRAPHIC, F_ANSWER };

static bool wanted_field(const kpi_filter *f, const char *name)
{
	if (!f->breakdown)
		return true;
	for (size_t i = 0; i < f->n_breakdown; i++)
		if (strcmp(f->breakdown[i], name) == 0)
			return true;
	return false;
}

static int32_t attr_value(const kpi_snapshot *s, int32_t first, int32_t count, int32_t key)
{
	const kpi_attr *a = KPI_ROWS(s, attrs, kpi_attr);
	for (int32_t i = first; i < first + count; i++)
		if (a[i].key == key)
			return a[i].value;
	return KPI_NO_STR;
}

static int cmp_str_ids(const void *a, const void *b, void *arg)
{
	const kpi_snapshot *s = arg;
	return strcmp(kpi_string(s, *(const int32_t *)a), kpi_string(s, *(const int32_t *)b));
}

/* The attribute keys used by the given persons (demographics) or
 * memberships (answers), alphabetically. */
static int32_t *collect_keys(ctx *c, const int32_t *rows, size_t n, bool answers, size_t *nk)
{
	const kpi_snapshot *s = c->s;
	uint8_t *seen = xcalloc((size_t)s->n_strings, 1);
	int32_t *keys = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	const kpi_attr *a = KPI_ROWS(s, attrs, kpi_attr);
	*nk = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t first, count;
		if (answers) {
			first = c->ms[rows[i]].attrs_first;
			count = c->ms[rows[i]].attrs_count;
		} else {
			first = c->people[rows[i]].attrs_first;
			count = c->people[rows[i]].attrs_count;
		}
		for (int32_t k = first; k < first + count; k++)
			if (!seen[a[k].key]) {
				seen[a[k].key] = 1;
				keys[(*nk)++] = a[k].key;
			}
	}
	qsort_r(keys, *nk, sizeof(int32_t), cmp_str_ids, (void *)s);
	free(seen);
	return keys;
}

static json_t *breakdown_json(ctx *c, int64_t *counts, int32_t *touched, size_t n_touched,
			      int64_t none)
{
	kpi_group *g = xcalloc(n_touched + 1, sizeof(kpi_group));
	size_t n = 0;
	for (size_t i = 0; i < n_touched; i++) {
		g[n].name = kpi_string(c->s, touched[i]);
		g[n++].count = counts[touched[i]];
		counts[touched[i]] = 0;
	}
	if (none)
		g[n++] = (kpi_group){"(none)", none};
	bool suppressed;
	int64_t other = kpi_fold_groups(g, &n, &suppressed);
	json_t *out;
	if (suppressed) {
		out = json_pack("{s:b, s:[]}", "suppressed", 1, "groups");
	} else {
		json_t *groups = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(groups, json_pack("{s:s, s:I}", "value", g[i].name,
								"count", (json_int_t)g[i].count));
		if (other)
			json_array_append_new(groups, json_pack("{s:s, s:I}", "value", "other",
								"count", (json_int_t)other));
		out = json_pack("{s:b, s:o}", "suppressed", 0, "groups", groups);
	}
	free(g);
	return out;
}

static json_t *kpi_r3(ctx *c)
{
	const kpi_snapshot *s = c->s;
	/* Active persons, each with the membership whose answers count: the
	 * active one with the lowest id. */
	int32_t *src = xcalloc(c->n_people, sizeof(int32_t));
	int32_t *persons = xcalloc(c->n_people, sizeof(int32_t));
	int32_t *members = xcalloc(c->n_people, sizeof(int32_t));
	size_t n = 0;
	for (size_t i = 0; i < c->n_people; i++)
		src[i] = -1;
	for (size_t i = 0; i < c->n_ms; i++) {
		int32_t p = c->ms[i].person;
		if (c->ms_active[i] && c->person_in[p] && src[p] < 0) {
			src[p] = (int32_t)i;
			persons[n] = p;
			members[n++] = (int32_t)i;
		}
	}
	int64_t *counts = xcalloc((size_t)s->n_strings + 1, sizeof(int64_t));
	int32_t *touched = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	json_t *fields = json_object();
	size_t n_demo, n_ans;
	int32_t *demo = collect_keys(c, persons, n, false, &n_demo);
	int32_t *ans = collect_keys(c, members, n, true, &n_ans);
	static const char *const fixed[] = {"job_title", "department", "location", "seniority"};
	size_t n_fields = 4 + n_demo + n_ans;
	for (size_t fi = 0; fi < n_fields; fi++) {
		int kind;
		int32_t key = KPI_NO_STR;
		const char *name;
		char *owned = NULL;
		if (fi < 4) {
			kind = (int)fi;
			name = fixed[fi];
		} else if (fi < 4 + n_demo) {
			kind = F_DEMOGRAPHIC;
			key = demo[fi - 4];
			size_t len = strlen(kpi_string(s, key)) + 16;
			owned = xcalloc(len, 1);
			snprintf(owned, len, "demographics.%s", kpi_string(s, key));
			name = owned;
		} else {
			kind = F_ANSWER;
			key = ans[fi - 4 - n_demo];
			size_t len = strlen(kpi_string(s, key)) + 16;
			owned = xcalloc(len, 1);
			snprintf(owned, len, "answers.%s", kpi_string(s, key));
			name = owned;
		}
		if (!wanted_field(c->f, name)) {
			free(owned);
			continue;
		}
		size_t n_touched = 0;
		int64_t none = 0, seniority[11] = {0};
		for (size_t i = 0; i < n; i++) {
			const kpi_person *p = &c->people[persons[i]];
			const kpi_membership *m = &c->ms[members[i]];
			int32_t v = KPI_NO_STR;
			switch (kind) {
			case F_JOB_TITLE: v = p->job_title; break;
			case F_DEPARTMENT: v = p->department; break;
			case F_LOCATION: v = p->location; break;
			case F_SENIORITY:
				if (p->seniority >= 1 && p->seniority <= 10)
					seniority[p->seniority]++;
				else
					none++;
				continue;
			case F_DEMOGRAPHIC: v = attr_value(s, p->attrs_first, p->attrs_count, key); break;
			case F_ANSWER: v = attr_value(s, m->attrs_first, m->attrs_count, key); break;
			}
			if (v == KPI_NO_STR) {
				none++;
				continue;
			}
			if (!counts[v]++)
				touched[n_touched++] = v;
		}
		json_t *b;
		if (kind == F_SENIORITY) {
			kpi_group g[11];
			char names[11][4];
			size_t ng = 0;
			for (int k = 1; k <= 10; k++)
				if (seniority[k]) {
					snprintf(names[ng], sizeof(names[ng]), "%d", k);
					g[ng].name = names[ng];
					g[ng++].count = seniority[k];
				}
			if (none)
				g[ng++] = (kpi_group){"(none)", none};
			bool suppressed;
			int64_t other = kpi_fold_groups(g, &ng, &suppressed);
			json_t *groups = json_array();
			for (size_t i = 0; i < ng; i++)
				json_array_append_new(groups, json_pack("{s:s, s:I}", "value", g[i].name,
									"count", (json_int_t)g[i].count));
			if (other)
				json_array_append_new(groups, json_pack("{s:s, s:I}", "value", "other",
									"count", (json_int_t)other));
			b = json_pack("{s:b, s:o}", "suppressed", suppressed, "groups", groups);
		} else {
			b = breakdown_json(c, counts, touched, n_touched, none);
		}
		json_object_set_new(fields, name, b);
		free(owned);
	}
	free(demo);
	free(ans);
	free(counts);
	free(touched);
	free(src);
	free(persons);
	free(members);
	return json_pack("{s:I, s:b, s:o}", "persons", (json_int_t)n, "suppressed", n < 5,
			 "fields", fields);
}

/* ---- P: pairing ------------------------------------------------------------------ */

static json_t *kpi_p1(ctx *c)
{
	int64_t n[6] = {0};
	for (size_t i = 0; i < c->n_pairs; i++)
		if (c->touches[i])
			n[c->state[i]]++;
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "proposed", (json_int_t)n[ST_PROPOSED],
			 "active", (json_int_t)n[ST_ACTIVE], "completed", (json_int_t)n[ST_COMPLETED],
			 "ended_early", (json_int_t)n[ST_ENDED], "declined", (json_int_t)n[ST_DECLINED],
			 "total",
			 (json_int_t)(n[ST_PROPOSED] + n[ST_ACTIVE] + n[ST_COMPLETED] + n[ST_ENDED] +
				      n[ST_DECLINED]));
}

static json_t *kpi_p2(ctx *c)
{
	int32_t *days = xcalloc(c->n_pairs, sizeof(int32_t));
	size_t n = 0;
	double sum = 0;
	for (size_t i = 0; i < c->n_pairs; i++) {
		if (!c->touches[i] || !started_state(c->state[i]))
			continue;
		const kpi_pair *p = &c->pairs[i];
		int32_t end = c->state[i] == ST_ACTIVE ? c->T : p->ended;
		days[n++] = end - p->started;
		sum += end - p->started;
	}
	json_t *out = json_pack("{s:I, s:o, s:o}", "pairs", (json_int_t)n, "mean_days",
				mean(sum, (int64_t)n), "median_days", median_json(days, n));
	free(days);
	return out;
}

static json_t *kpi_p3(ctx *c)
{
	const kpi_snapshot *s = c->s;
	const int32_t *reasons = KPI_ROWS(s, reasons, int32_t);
	int64_t *counts = xcalloc((size_t)s->n_strings + 1, sizeof(int64_t));
	int32_t *last = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	kpi_group *g = xcalloc((size_t)s->n_strings + 1, sizeof(kpi_group));
	int32_t *ids = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	size_t n = 0;
	int64_t pairs = 0;
	for (size_t i = 0; i < c->n_pairs; i++) {
		if (!c->touches[i] || !started_state(c->state[i]))
			continue;
		pairs++;
		const kpi_pair *p = &c->pairs[i];
		for (int32_t k = p->reasons_first; k < p->reasons_first + p->reasons_count; k++) {
			int32_t r = reasons[k];
			if (last[r] == (int32_t)i + 1)
				continue; /* once per pair */
			last[r] = (int32_t)i + 1;
			if (!counts[r]++)
				ids[n++] = r;
		}
	}
	for (size_t i = 0; i < n; i++) {
		g[i].name = kpi_string(s, ids[i]);
		g[i].count = counts[ids[i]];
	}
	qsort(g, n, sizeof(*g), cmp_group_big);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:I, s:o}", "reason", g[i].name,
						      "count", (json_int_t)g[i].count, "share",
						      ratio(g[i].count, pairs)));
	free(counts);
	free(last);
	free(g);
	free(ids);
	return json_pack("{s:I, s:o}", "pairs", (json_int_t)pairs, "reasons", list);
}

typedef struct unpaired {
	int32_t ms;
	int32_t days;
	int64_t person_id;
} unpaired;

static int cmp_unpaired(const void *a, const void *b)
{
	const unpaired *x = a, *y = b;
	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static json_t *kpi_p4(ctx *c)
{
	int64_t active[2] = {0, 0}, paired[2] = {0, 0};
	unpaired *list = xcalloc(c->n_ms, sizeof(unpaired));
	size_t n = 0;
	for (size_t i = 0; i < c->n_ms; i++) {
		const kpi_membership *m = &c->ms[i];
		if (!c->ms_active[i] || !c->person_in[m->person])
			continue;
		active[m->role]++;
		if (c->ms_active_pairs[i] > 0) {
			paired[m->role]++;
			continue;
		}
		int32_t since = m->joined;
		if (c->ms_last_end[i] != KPI_NO_DAY && c->ms_last_end[i] > since)
			since = c->ms_last_end[i];
		list[n++] = (unpaired){(int32_t)i, c->T - since, c->people[m->person].id};
	}
	json_t *out = json_pack("{s:o, s:o, s:I}", "mentees", ratio(paired[1], active[1]),
				"mentors", ratio(paired[0], active[0]), "unpaired_count",
				(json_int_t)n);
	if (c->f->personal) {
		size_t limit = c->f->list_limit > 0 ? (size_t)c->f->list_limit : 100;
		size_t shown = top_k(list, n, sizeof(*list), limit, cmp_unpaired);
		json_t *arr = json_array();
		for (size_t i = 0; i < shown; i++) {
			const kpi_membership *m = &c->ms[list[i].ms];
			const kpi_person *p = &c->people[m->person];
			json_array_append_new(arr, json_pack("{s:I, s:o, s:s, s:I, s:I}", "person_id",
							     (json_int_t)p->id, "name",
							     str_or_null(c->s, p->name), "role",
							     m->role == KPI_MENTOR ? "mentor" : "mentee",
							     "membership_id", (json_int_t)m->id,
							     "days_waiting", (json_int_t)list[i].days));
		}
		json_object_set_new(out, "unpaired", arr);
	}
	free(list);
	return out;
}

/* Periods of P5's series: ISO weeks or calendar months. */
static int32_t period_start(int interval, int32_t day)
{
	int y, w;
	return interval == KPI_MONTH ? kpi_month_start(day) : kpi_iso_week(day, &y, &w);
}

static int32_t next_period(int interval, int32_t start)
{
	if (interval != KPI_MONTH)
		return start + 7;
	int y, m, d;
	validate_days_to_ymd(start, &y, &m, &d);
	return m == 12 ? validate_ymd_to_days(y + 1, 1, 1) : validate_ymd_to_days(y, m + 1, 1);
}

static json_t *period_label(int interval, int32_t start)
{
	char buf[16];
	int y, w, m, d;
	if (interval == KPI_MONTH) {
		validate_days_to_ymd(start, &y, &m, &d);
		snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	} else {
		kpi_iso_week(start, &y, &w);
		snprintf(buf, sizeof(buf), "%04d-W%02d", y, w);
	}
	return json_string(buf);
}

static json_t *kpi_p5(ctx *c)
{
	int interval = c->f->interval;
	int32_t first = period_start(interval, c->from);
	/* Period index of each start day in the range, built as in ctx_prepare. */
	size_t cap = 16, n_periods = 0;
	int32_t *starts = xcalloc(cap, sizeof(int32_t));
	for (int32_t p = first; p <= c->T; p = next_period(interval, p)) {
		if (n_periods == cap) {
			int32_t *bigger = xcalloc(cap * 2, sizeof(int32_t));
			memcpy(bigger, starts, cap * sizeof(int32_t));
			free(starts);
			starts = bigger;
			cap *= 2;
		}
		starts[n_periods++] = p;
	}
	int64_t *counts = xcalloc(n_periods, sizeof(int64_t));
	int64_t before = 0, in_range_total = 0;
	for (size_t i = 0; i < c->n_pairs; i++) {
		const kpi_pair *p = &c->pairs[i];
		if (!c->pair_in[i] || p->started == KPI_NO_DAY || p->started > c->T)
			continue;
		if (p->started < c->from) {
			before++;
			continue;
		}
		/* Binary search for the period holding the start day. */
		size_t lo = 0, hi = n_periods;
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (starts[mid] <= p->started)
				lo = mid;
			else
				hi = mid;
		}
		counts[lo]++;
		in_range_total++;
	}
	json_t *series = json_array();
	int64_t cumulative = before;
	for (size_t k = 0; k < n_periods; k++) {
		cumulative += counts[k];
		json_array_append_new(series, json_pack("{s:o, s:o, s:I, s:I}", "period",
							period_label(interval, starts[k]), "start",
							day_json(starts[k]), "new", (json_int_t)counts[k],
							"cumulative", (json_int_t)cumulative));
	}
	/* Share of headcount. */
	int64_t participants = 0, employees = 0;
	uint8_t *seen = xcalloc(c->n_people, 1);
	for (size_t i = 0; i < c->n_ms; i++) {
		int32_t p = c->ms[i].person;
		if (c->ms_active[i] && c->person_in[p] && !seen[p]) {
			seen[p] = 1;
			participants++;
		}
	}
	for (size_t i = 0; i < c->n_people; i++) {
		const kpi_person *p = &c->people[i];
		if (c->person_in[i] && (p->hire == KPI_NO_DAY || p->hire <= c->T) &&
		    (p->left == KPI_NO_DAY || p->left > c->T))
			employees++;
	}
	free(seen);
	free(starts);
	free(counts);
	return json_pack("{s:s, s:I, s:I, s:I, s:o, s:o}", "interval",
			 interval == KPI_MONTH ? "month" : "week", "new_in_range",
			 (json_int_t)in_range_total, "started_before_range", (json_int_t)before,
			 "cumulative", (json_int_t)cumulative, "series", series,
			 "share_of_headcount", ratio(participants, employees));
}

static json_t *kpi_p6(ctx *c)
{
	int64_t active = 0, with_intro = 0;
	int32_t *days = xcalloc(c->n_pairs, sizeof(int32_t));
	for (size_t i = 0; i < c->n_pairs; i++) {
		if (!c->pair_in[i] || c->state[i] != ST_ACTIVE)
			continue;
		active++;
		if (c->pair_first_intro[i] != KPI_NO_DAY)
			days[with_intro++] = c->pair_first_intro[i] - c->pairs[i].started;
	}
	json_t *out = json_pack("{s:o, s:o}", "held_intro", ratio(with_intro, active),
				"median_days_to_intro", median_json(days, (size_t)with_intro));
	free(days);
	return out;
}

static json_t *kpi_p7(ctx *c)
{
	const kpi_checkin *ci = KPI_ROWS(c->s, checkins, kpi_checkin);
	double sum[2] = {0, 0};
	int64_t n[2] = {0, 0};
	for (size_t i = 0; i < c->s->checkins.n; i++) {
		if (!c->pair_in[ci[i].pair] || !in_range(c, ci[i].day))
			continue;
		sum[ci[i].side] += ci[i].score;
		n[ci[i].side]++;
	}
	return json_pack("{s:o, s:o}", "mentors", mean(sum[0], n[0]), "mentees",
			 mean(sum[1], n[1]));
}

/* ---- S: sessions ------------------------------------------------------------------ */

static json_t *month_label(int32_t start)
{
	return period_label(KPI_MONTH, start);
}

/* Keep the first `k` of v[0..n) in cmp order, sorted, at the front; returns
 * how many (min(n, k)).  Insertion into a k-long prefix: linear in n for
 * the small k of "top 10" lists, where sorting everything was not. */
static size_t top_k(void *v, size_t n, size_t size, size_t k,
		    int (*cmp)(const void *, const void *))
{
	char *base = v, *tmp = xcalloc(1, size);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		char *x = base + i * size;
		if (kept == k && cmp(x, base + (k - 1) * size) >= 0)
			continue;
		memcpy(tmp, x, size);
		size_t pos = kept < k ? kept++ : k - 1;
		while (pos > 0 && cmp(tmp, base + (pos - 1) * size) < 0) {
			memcpy(base + pos * size, base + (pos - 1) * size, size);
			pos--;
		}
		memcpy(base + pos * size, tmp, size);
	}
	free(tmp);
	return kept;
}

static json_t *kpi_s1(ctx *c)
{
	int32_t *per = xcalloc(c->n_pairs, sizeof(int32_t));
	size_t n = 0;
	int64_t sum = 0;
	for (size_t i = 0; i < c->n_pairs; i++) {
		if (!c->touches[i] || !started_state(c->state[i]))
			continue;
		per[n++] = c->pair_held[i];
		sum += c->pair_held[i];
	}
	json_t *months = json_array();
	for (int32_t m = 0; m < c->n_months; m++)
		json_array_append_new(months, json_pack("{s:o, s:I}", "month",
							month_label(c->month_start[m]), "count",
							(json_int_t)c->month_held[m]));
	json_t *out = json_pack(
		"{s:I, s:{s:o, s:o}, s:o, s:{s:I, s:I, s:I}}", "held", (json_int_t)c->held,
		"per_pair", "mean", ratio(sum, (int64_t)n), "median", median_json(per, n),
		"per_month", months, "not_held", "scheduled",
		(json_int_t)c->status_counts[KPI_SESSION_SCHEDULED], "cancelled",
		(json_int_t)c->status_counts[KPI_SESSION_CANCELLED], "no_show",
		(json_int_t)c->status_counts[KPI_SESSION_NO_SHOW]);
	free(per);
	return out;
}

typedef struct comment_ref {
	int32_t rating;
	int32_t day;
	int32_t session;
} comment_ref;

static int cmp_comment(const void *a, const void *b)
{
	const comment_ref *x = a, *y = b;
	if (x->day != y->day)
		return x->day > y->day ? -1 : 1;
	if (x->session != y->session)
		return x->session > y->session ? -1 : 1;
	return (x->rating < y->rating) - (x->rating > y->rating);
}

/* One pass over the ratings: S2, S3's count, the per-pair sums H1 needs,
 * and a per-day count of comments, so that only the newest `limit` need
 * sorting (a second pass picks the days from the threshold on). */
static void kpi_s2_s3(ctx *c, json_t **s2, json_t **s3)
{
	const kpi_rating *ra = KPI_ROWS(c->s, ratings, kpi_rating);
	size_t n = c->s->ratings.n;
	double sum[2] = {0, 0};
	int64_t cnt[2] = {0, 0};
	int32_t days = c->T - c->from + 1;
	int64_t *per_day = xcalloc((size_t)days, sizeof(int64_t));
	size_t n_comments = 0;
	c->pair_rating_sum = xcalloc(c->n_pairs * 2, sizeof(int64_t));
	c->pair_rating_n = xcalloc(c->n_pairs * 2, sizeof(int32_t));
	for (size_t i = 0; i < n; i++) {
		const kpi_session *x = &c->sessions[ra[i].session];
		if (!c->pair_in[x->pair] || x->status != KPI_SESSION_COMPLETED)
			continue;
		c->pair_rating_sum[2 * x->pair + ra[i].side] += ra[i].score;
		c->pair_rating_n[2 * x->pair + ra[i].side]++;
		if (!in_range(c, x->day))
			continue;
		sum[ra[i].side] += ra[i].score;
		cnt[ra[i].side]++;
		if (ra[i].comment != KPI_NO_STR &&
		    (c->f->feedback_side < 0 || c->f->feedback_side == ra[i].side)) {
			per_day[x->day - c->from]++;
			n_comments++;
		}
	}
	*s2 = json_pack("{s:o, s:o}", "by_mentees", mean(sum[1], cnt[1]), "by_mentors",
			mean(sum[0], cnt[0]));
	*s3 = json_pack("{s:I}", "total", (json_int_t)n_comments);
	if (c->f->personal) {
		size_t limit = c->f->list_limit > 0 ? (size_t)c->f->list_limit : 100;
		/* The first day whose comments (with all later days') reach limit. */
		int32_t threshold = days - 1;
		size_t taken = 0;
		while (threshold > 0 && taken + (size_t)per_day[threshold] < limit)
			taken += (size_t)per_day[threshold--];
		taken += (size_t)per_day[threshold];
		comment_ref *comments = xcalloc(taken + 1, sizeof(comment_ref));
		size_t k = 0;
		for (size_t i = 0; i < n && k < taken; i++) {
			const kpi_session *x = &c->sessions[ra[i].session];
			if (ra[i].comment == KPI_NO_STR || !c->pair_in[x->pair] ||
			    x->status != KPI_SESSION_COMPLETED || !in_range(c, x->day) ||
			    x->day - c->from < threshold ||
			    (c->f->feedback_side >= 0 && c->f->feedback_side != ra[i].side))
				continue;
			comments[k++] = (comment_ref){(int32_t)i, x->day, ra[i].session};
		}
		qsort(comments, k, sizeof(*comments), cmp_comment);
		json_t *arr = json_array();
		const int64_t *sids = (const int64_t *)c->s->session_ids.items;
		for (size_t i = 0; i < k && i < limit; i++) {
			const kpi_rating *r = &ra[comments[i].rating];
			const kpi_session *x = &c->sessions[r->session];
			json_array_append_new(
				arr, json_pack("{s:I, s:I, s:I, s:o, s:s, s:i, s:I, s:o}", "rating_id",
					       (json_int_t)r->id, "session_id",
					       (json_int_t)sids[r->session], "pair_id",
					       (json_int_t)c->pairs[x->pair].id, "date", day_json(x->day),
					       "side", r->side == KPI_MENTOR ? "mentor" : "mentee",
					       "score", r->score, "rater_person_id",
					       (json_int_t)c->people[r->rater].id, "comment",
					       str_or_null(c->s, r->comment)));
		}
		json_object_set_new(*s3, "comments", arr);
		free(comments);
	}
	free(per_day);
}

static json_t *kpi_s4(ctx *c)
{
	json_t *months = json_array();
	for (int32_t m = 0; m < c->n_months; m++)
		json_array_append_new(months, json_pack("{s:o, s:I, s:f}", "month",
							month_label(c->month_start[m]), "minutes",
							(json_int_t)c->month_minutes[m], "hours",
							(double)c->month_minutes[m] / 60.0));
	return json_pack("{s:I, s:f, s:o}", "minutes", (json_int_t)c->held_minutes, "hours",
			 (double)c->held_minutes / 60.0, "per_month", months);
}

typedef struct ranked {
	int32_t person;
	int64_t minutes;
	int64_t id;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->minutes != y->minutes)
		return x->minutes > y->minutes ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static json_t *kpi_s5(ctx *c)
{
	ranked *r = xcalloc(c->n_people, sizeof(ranked));
	size_t n = 0;
	for (size_t i = 0; i < c->n_people; i++)
		if (c->person_minutes[i] > 0 && c->person_in[i])
			r[n++] = (ranked){(int32_t)i, c->person_minutes[i], c->people[i].id};
	json_t *out = json_pack("{s:I}", "participants", (json_int_t)n);
	if (c->f->personal) {
		size_t limit = c->f->top_limit > 0 ? (size_t)c->f->top_limit : 10;
		n = top_k(r, n, sizeof(*r), limit, cmp_ranked);
		json_t *arr = json_array();
		int64_t rank = 0;
		for (size_t i = 0; i < n && i < limit; i++) {
			if (i == 0 || r[i].minutes != r[i - 1].minutes)
				rank = (int64_t)i + 1;
			json_array_append_new(
				arr, json_pack("{s:I, s:I, s:o, s:I, s:f}", "rank", (json_int_t)rank,
					       "person_id", (json_int_t)r[i].id, "name",
					       str_or_null(c->s, c->people[r[i].person].name), "minutes",
					       (json_int_t)r[i].minutes, "hours",
					       (double)r[i].minutes / 60.0));
		}
		json_object_set_new(out, "top", arr);
	}
	free(r);
	return out;
}

static json_t *kpi_s6(ctx *c)
{
	static const int32_t bucket_low[] = {1, 2, 3, 4, 5, 6, 11, 21};
	static const char *const bucket_name[] = {"1", "2", "3", "4", "5", "6-10", "11-20", "21+"};
	enum { N_BUCKETS = 8 };
	int64_t buckets[N_BUCKETS] = {0};
	int32_t *per = xcalloc(c->n_people, sizeof(int32_t));
	size_t n = 0;
	int64_t sessions = 0;
	for (size_t i = 0; i < c->n_people; i++) {
		int32_t k = c->mentor_sessions[i];
		if (k <= 0)
			continue;
		per[n++] = k;
		sessions += k;
		int b = N_BUCKETS - 1;
		while (b > 0 && k < bucket_low[b])
			b--;
		buckets[b]++;
	}
	json_t *dist = json_array();
	for (int b = 0; b < N_BUCKETS; b++)
		json_array_append_new(dist, json_pack("{s:s, s:I}", "sessions", bucket_name[b],
						      "mentors", (json_int_t)buckets[b]));
	json_t *out = json_pack("{s:I, s:o, s:o, s:o, s:o}", "mentors", (json_int_t)n,
				"sessions_per_mentor", ratio(sessions, (int64_t)n),
				"median_sessions_per_mentor", median_json(per, n), "distribution",
				dist, "mean_session_minutes", ratio(c->held_minutes, c->held));
	free(per);
	return out;
}

/* ---- G: goals and skills ------------------------------------------------------------ */

typedef struct skill_stat {
	const char *name;
	int64_t count, level_sum;
} skill_stat;

static int cmp_skill_stat(const void *a, const void *b)
{
	const skill_stat *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static json_t *kpi_g1(ctx *c)
{
	const kpi_snapshot *s = c->s;
	const kpi_member_skill *sk = KPI_ROWS(s, skills, kpi_member_skill);
	json_t *sides[2];
	for (int role = 0; role < 2; role++) {
		int64_t *count = xcalloc((size_t)s->n_strings + 1, sizeof(int64_t));
		int64_t *level = xcalloc((size_t)s->n_strings + 1, sizeof(int64_t));
		skill_stat *st = xcalloc((size_t)s->n_strings + 1, sizeof(skill_stat));
		int32_t *ids = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
		size_t n = 0;
		for (size_t i = 0; i < c->n_ms; i++) {
			const kpi_membership *m = &c->ms[i];
			if (m->role != role || !c->ms_active[i] || !c->person_in[m->person])
				continue;
			for (int32_t k = m->skills_first; k < m->skills_first + m->skills_count; k++) {
				if (!count[sk[k].skill]++)
					ids[n++] = sk[k].skill;
				level[sk[k].skill] += sk[k].level;
			}
		}
		for (size_t i = 0; i < n; i++)
			st[i] = (skill_stat){kpi_string(s, ids[i]), count[ids[i]], level[ids[i]]};
		qsort(st, n, sizeof(*st), cmp_skill_stat);
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I, s:o}", "skill", st[i].name,
							     "count", (json_int_t)st[i].count,
							     "mean_level",
							     mean((double)st[i].level_sum, st[i].count)));
		sides[role] = arr;
		free(count);
		free(level);
		free(st);
		free(ids);
	}
	const kpi_goal *g = KPI_ROWS(s, goals, kpi_goal);
	int64_t by_cat[KPI_GOAL_CATEGORIES] = {0}, total = 0;
	for (size_t i = 0; i < s->goals.n; i++)
		if (c->person_in[g[i].person] && g[i].set_on <= c->T) {
			by_cat[g[i].category]++;
			total++;
		}
	json_t *cats = json_object();
	for (int k = 0; k < KPI_GOAL_CATEGORIES; k++)
		json_object_set_new(cats, kpi_goal_category_name(k), json_integer(by_cat[k]));
	return json_pack("{s:o, s:o, s:{s:I, s:o}}", "skills_wanted", sides[KPI_MENTEE],
			 "skills_offered", sides[KPI_MENTOR], "goals", "total", (json_int_t)total,
			 "by_category", cats);
}

typedef struct g2_acc {
	double start_sum;
	int64_t starts;
	double change_sum;
	int64_t both, improved;
} g2_acc;

typedef struct g2_ref {
	int32_t idx;
	int32_t pair, goal, skill, day;
	int64_t id;
} g2_ref;

static int cmp_g2(const void *a, const void *b)
{
	const g2_ref *x = a, *y = b;
	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	if (x->goal != y->goal)
		return x->goal < y->goal ? -1 : 1;
	if (x->skill != y->skill)
		return x->skill < y->skill ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static json_t *g2_json(const char *key, const char *name, const g2_acc *a)
{
	return json_pack("{s:s, s:o, s:o, s:o}", key, name, "mean_start",
			 mean(a->start_sum, a->starts), "mean_change", mean(a->change_sum, a->both),
			 "improved", ratio(a->improved, a->both));
}

static json_t *kpi_g2(ctx *c)
{
	const kpi_snapshot *s = c->s;
	const kpi_assessment *as = KPI_ROWS(s, assessments, kpi_assessment);
	const kpi_goal *goals = KPI_ROWS(s, goals, kpi_goal);
	size_t n_as = s->assessments.n, n = 0;
	g2_ref *refs = xcalloc(n_as, sizeof(g2_ref));
	/* In (pair, subject, day, id) order: precomputed by kpi_snapshot_finish,
	 * or sorted here. */
	const int32_t *order = s->assessment_order;
	for (size_t k = 0; k < n_as; k++) {
		size_t i = order ? (size_t)order[k] : k;
		const kpi_assessment *a = &as[i];
		if (a->assessor != KPI_MENTEE || a->phase == KPI_PHASE_MID || a->day > c->T ||
		    !c->pair_in[a->pair])
			continue;
		refs[n++] = (g2_ref){(int32_t)i, a->pair, a->goal, a->skill, a->day, a->id};
	}
	if (!order)
		qsort(refs, n, sizeof(*refs), cmp_g2);
	g2_acc *by_skill = xcalloc((size_t)s->n_strings + 1, sizeof(g2_acc));
	int32_t *skills = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	uint8_t *seen = xcalloc((size_t)s->n_strings + 1, 1);
	size_t n_skills = 0;
	g2_acc by_cat[KPI_GOAL_CATEGORIES], overall;
	memset(by_cat, 0, sizeof(by_cat));
	memset(&overall, 0, sizeof(overall));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int start = -1, end = -1;
		/* One (pair, subject) group: earliest start, latest end. */
		while (j < n && refs[j].pair == refs[i].pair && refs[j].goal == refs[i].goal &&
		       refs[j].skill == refs[i].skill) {
			const kpi_assessment *a = &as[refs[j].idx];
			if (a->phase == KPI_PHASE_START && start < 0)
				start = a->score;
			if (a->phase == KPI_PHASE_END)
				end = a->score;
			j++;
		}
		g2_acc *acc[2] = {&overall, NULL};
		if (refs[i].goal >= 0) {
			acc[1] = &by_cat[goals[refs[i].goal].category];
		} else {
			acc[1] = &by_skill[refs[i].skill];
			if (!seen[refs[i].skill]) {
				seen[refs[i].skill] = 1;
				skills[n_skills++] = refs[i].skill;
			}
		}
		for (int k = 0; k < 2; k++) {
			if (start >= 0) {
				acc[k]->start_sum += start;
				acc[k]->starts++;
			}
			if (start >= 0 && end >= 0) {
				acc[k]->both++;
				acc[k]->change_sum += end - start;
				acc[k]->improved += end > start;
			}
		}
		i = j;
	}
	qsort_r(skills, n_skills, sizeof(int32_t), cmp_str_ids, (void *)s);
	json_t *sk = json_array(), *cats = json_array();
	for (size_t i = 0; i < n_skills; i++)
		json_array_append_new(sk, g2_json("skill", kpi_string(s, skills[i]),
						  &by_skill[skills[i]]));
	for (int k = 0; k < KPI_GOAL_CATEGORIES; k++)
		if (by_cat[k].starts || by_cat[k].both)
			json_array_append_new(cats, g2_json("category", kpi_goal_category_name(k),
							    &by_cat[k]));
	json_t *all = g2_json("subject", "all", &overall);
	json_object_del(all, "subject");
	free(refs);
	free(by_skill);
	free(skills);
	free(seen);
	return json_pack("{s:o, s:o, s:o}", "overall", all, "skills", sk, "goal_categories", cats);
}

static json_t *kpi_g3(ctx *c)
{
	const kpi_snapshot *s = c->s;
	const kpi_topic *t = KPI_ROWS(s, topics, kpi_topic);
	const kpi_goal *goals = KPI_ROWS(s, goals, kpi_goal);
	int64_t *count = xcalloc((size_t)s->n_strings + 1, sizeof(int64_t));
	int32_t *ids = xcalloc((size_t)s->n_strings + 1, sizeof(int32_t));
	int64_t by_cat[KPI_GOAL_CATEGORIES] = {0};
	size_t n = 0;
	int32_t last_session = -1;
	unsigned cat_mask = 0;
	for (size_t i = 0; i < s->topics.n; i++) {
		const kpi_session *x = &c->sessions[t[i].session];
		if (x->status != KPI_SESSION_COMPLETED || !in_range(c, x->day) ||
		    !c->pair_in[x->pair])
			continue;
		if (t[i].session != last_session) {
			last_session = t[i].session;
			cat_mask = 0;
		}
		if (t[i].goal >= 0) {
			unsigned bit = 1u << goals[t[i].goal].category;
			if (!(cat_mask & bit))
				by_cat[goals[t[i].goal].category]++;
			cat_mask |= bit;
		} else if (!count[t[i].skill]++) {
			ids[n++] = t[i].skill;
		}
	}
	skill_stat *st = xcalloc(n + 1, sizeof(skill_stat));
	for (size_t i = 0; i < n; i++)
		st[i] = (skill_stat){kpi_string(s, ids[i]), count[ids[i]], 0};
	qsort(st, n, sizeof(*st), cmp_skill_stat);
	json_t *sk = json_array(), *cats = json_object();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(sk, json_pack("{s:s, s:I}", "skill", st[i].name, "sessions",
						    (json_int_t)st[i].count));
	for (int k = 0; k < KPI_GOAL_CATEGORIES; k++)
		json_object_set_new(cats, kpi_goal_category_name(k), json_integer(by_cat[k]));
	free(count);
	free(ids);
	free(st);
	return json_pack("{s:o, s:o}", "skills", sk, "goal_categories", cats);
}

static json_t *kpi_g4(ctx *c)
{
	const kpi_goal *g = KPI_ROWS(c->s, goals, kpi_goal);
	int64_t set[KPI_GOAL_CATEGORIES] = {0}, done[KPI_GOAL_CATEGORIES] = {0};
	int64_t set_all = 0, done_all = 0;
	for (size_t i = 0; i < c->s->goals.n; i++) {
		if (!c->person_in[g[i].person] || g[i].set_on > c->T)
			continue;
		bool achieved = g[i].achieved_on != KPI_NO_DAY && g[i].achieved_on <= c->T;
		set[g[i].category]++;
		done[g[i].category] += achieved;
		set_all++;
		done_all += achieved;
	}
	json_t *cats = json_object();
	for (int k = 0; k < KPI_GOAL_CATEGORIES; k++)
		json_object_set_new(cats, kpi_goal_category_name(k), ratio(done[k], set[k]));
	return json_pack("{s:o, s:o}", "overall", ratio(done_all, set_all), "by_category", cats);
}

/* ---- H: health --------------------------------------------------------------------- */

static json_t *kpi_h1(ctx *c)
{
	const kpi_snapshot *s = c->s;
	const kpi_alert *al = KPI_ROWS(s, alerts, kpi_alert);
	int64_t open[KPI_ALERT_RULES] = {0}, open_all = 0;
	bool filtered = c->f->department != KPI_NO_STR;
	for (size_t i = 0; i < s->alerts.n; i++) {
		const kpi_alert *a = &al[i];
		if (a->raised > c->T || (a->resolved != KPI_NO_DAY && a->resolved <= c->T))
			continue;
		if (filtered && !(a->pair >= 0 ? c->pair_in[a->pair]
					       : a->person >= 0 && c->person_in[a->person]))
			continue;
		open[a->rule]++;
		open_all++;
	}
	json_t *rules = json_object();
	for (int k = 0; k < KPI_ALERT_RULES; k++)
		json_object_set_new(rules, kpi_alert_rule_name(k), json_integer(open[k]));
	int64_t ended = 0, successful = 0;
	double min = s->success_min_mean_rating;
	for (size_t i = 0; i < c->n_pairs; i++) {
		uint8_t st = c->state[i];
		if (!c->pair_in[i] || (st != ST_COMPLETED && st != ST_ENDED) ||
		    c->pairs[i].ended < c->from)
			continue;
		ended++;
		bool ok = c->pair_life_held[i] >= s->success_min_sessions;
		for (int side = 0; side < 2 && ok; side++) {
			int32_t n = c->pair_rating_n[2 * i + side];
			ok = n > 0 && (double)c->pair_rating_sum[2 * i + side] >= min * n;
		}
		successful += ok;
	}
	return json_pack("{s:I, s:o, s:o, s:{s:f, s:i}}", "open_alerts", (json_int_t)open_all,
			 "open_by_rule", rules, "success_rate", ratio(successful, ended),
			 "criteria", "min_mean_rating", min, "min_sessions",
			 s->success_min_sessions);
}

/* ---- the entry point ------------------------------------------------------------------ */

json_t *kpi_compute(const kpi_snapshot *s, const kpi_filter *f, mt_error *err)
{
	if (f->from > f->to)
		return mt_invalid(err, "from", "from (the report's first day) is after to"), NULL;
	if (f->to - f->from >= KPI_MAX_RANGE_DAYS)
		return mt_invalid(err, "from", "the range may span at most 100 years"), NULL;
	ctx c;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.f = f;
	c.from = f->from;
	c.T = f->to;
	ctx_prepare(&c);
	pass_sessions(&c);
	json_t *s2, *s3;
	kpi_s2_s3(&c, &s2, &s3); /* also fills the per-pair rating sums of H1 */
	json_t *all[KPI_COUNT] = {
		[KPI_S2] = s2,
		[KPI_S3] = s3,
	};
	json_t *(*const fn[KPI_COUNT])(ctx *) = {
		[KPI_R1] = kpi_r1, [KPI_R2] = kpi_r2, [KPI_R3] = kpi_r3, [KPI_P1] = kpi_p1,
		[KPI_P2] = kpi_p2, [KPI_P3] = kpi_p3, [KPI_P4] = kpi_p4, [KPI_P5] = kpi_p5,
		[KPI_P6] = kpi_p6, [KPI_P7] = kpi_p7, [KPI_S1] = kpi_s1, [KPI_S4] = kpi_s4,
		[KPI_S5] = kpi_s5, [KPI_S6] = kpi_s6, [KPI_G1] = kpi_g1, [KPI_G2] = kpi_g2,
		[KPI_G3] = kpi_g3, [KPI_G4] = kpi_g4, [KPI_H1] = kpi_h1,
	};
	json_t *out = json_object();
	for (int k = 0; k < KPI_COUNT; k++) {
		if (!(f->kpis & (1u << k))) {
			json_decref(all[k]);
			continue;
		}
		json_t *v = all[k] ? all[k] : fn[k](&c);
		json_object_set_new(v, "definition", json_string(definitions[k]));
		json_object_set_new(out, kpi_id_name(k), v);
	}
	ctx_release(&c);
	return out;
}
