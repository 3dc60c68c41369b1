/*
 * solver.c - exact max-score b-matching by min-cost flow (see solver.h).
 *
 * The flow network: each mentee i has a supply of k_i units; a unit goes
 * to a mentor j along arc i->j (capacity 1, cost -s_ij) and on to the sink
 * T along j->T (capacity c_j), or straight to T along the mentee's bypass
 * arc i->T (cost 0: the seat stays empty).  Every node has a potential
 * pot[]; the reduced cost of a residual arc a->b is
 * pot[a] + cost(a,b) - pot[b] and is never negative (the invariant).  With
 * pot[T] = 0, u_i = pot[i] and v_j = -pot[j] are the dual values of
 * solver.h.
 *
 * Phases:
 *  1. Score every pair once (kept in a dense int16 cache when it fits) and
 *     pick candidates: each mentee's best mentors and each mentor's best
 *     mentees.  Both sides matter: a mentor nobody ranks highly would
 *     otherwise get a price of zero and the pricing pass would find tens
 *     of thousands of violators.
 *  2. Solve the candidate graph by primal-dual rounds: every mentee with
 *     supply left is a source; one multi-source Dijkstra (bucket queue:
 *     reduced costs are small integers; it stops when T is settled and
 *     only settled nodes' potentials move) finds the shortest path length,
 *     then units are pushed depth first along zero-reduced-cost paths.
 *     Path lengths only grow and are bounded by the score range, so rounds
 *     stay few (about 70 for 10,000 mentees on the benchmark).  Adding
 *     mentees one at a time instead costs one search each, and late ones
 *     explore most of the graph: several times slower.
 *  3. Price every eligible pair with the duals.  A pair with negative
 *     reduced cost (s_ij > u_i + v_j) joins the graph: it is saturated,
 *     which leaves one unit too many at mentor j and one too few at mentee
 *     i, and one shortest-path search from j to i repairs the flow.  No
 *     re-solve from scratch.
 *  4. Repeat 3 until a pass finds no such pair.  That pass has computed
 *     the dual bound B(v) over all pairs, which equals the total: the
 *     certificate.
 */
#include "domain/solver.h"

#include <assert.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { INELIGIBLE = -1 };

typedef struct solver {
	const solver_input *in;
	mt_arena work;            /* every allocation below */
	mt_error *err;
	uint32_t n, m, t;         /* mentees, mentors, sink node id (n + m) */
	int32_t *kcap;            /* free mentors per mentee (locks taken off) */
	int32_t *ccap;            /* free seats per mentor (locks taken off) */
	uint32_t *ban_off, *ban_j;/* per mentee: mentors never allowed (excluded, locked) */
	int16_t *dense;           /* n * m scores, or NULL */
	int16_t *rowbuf;          /* a row when there is no dense cache */
	int *ints;                /* scratch for the row oracle */
	int smax;                 /* largest eligible score */

	/* candidate graph, CSR by mentee; on = 0 while a new arc waits for repair */
	uint32_t *adj_off, *adj_j;
	int16_t *adj_s;
	uint8_t *adj_on;

	/* flow: assignments on both sides, bypass and mentor->T flows */
	uint32_t *asg_off, *asg_j;  /* mentee slots: k_i + 2 */
	int16_t *asg_s;
	int32_t *asg_n;
	uint32_t *load_off, *load_i;/* mentor slots: c_j + 2 */
	int16_t *load_s;
	int32_t *load_n;
	int32_t *byp, *mflow;
	int32_t *pot;               /* n + m + 1 */

	/* search workspace */
	int32_t *dist, *pred;
	int16_t *pred_s;
	uint32_t *seen, *done, stamp;
	uint32_t *settled;
	size_t n_settled;
	int32_t *bucket;            /* head entry per distance, -1 empty */
	int32_t n_buckets;
	uint32_t *q_node;
	int32_t *q_next;
	size_t q_len, q_cap;

	solver_stats stats;
} solver;

typedef struct violator {
	uint32_t i, j;
	int16_t s;
} violator;

/* ------------------------------------------------------------------ */
/* Input checks, bans and scores                                      */
/* ------------------------------------------------------------------ */

typedef struct banned {
	uint32_t i, j;
	uint8_t locked;
} banned;

static int banned_cmp(const void *a, const void *b)
{
	const banned *x = a, *y = b;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	if (x->j != y->j)
		return x->j < y->j ? -1 : 1;
	return (int)x->locked - (int)y->locked;
}

static int mentee_k(const solver_input *in, size_t i)
{
	if (in->mentee_capacity)
		return in->mentee_capacity[i];
	return in->k > 0 ? in->k : 1;
}

static int check_capacities(const solver_input *in, mt_error *err)
{
	if (!in->score)
		return mt_invalid(err, "score", "The solver needs a score function.");
	if (in->n_mentees > UINT32_MAX / 4 || in->n_mentors > UINT32_MAX / 4)
		return mt_invalid(err, "n_mentees", "Too many participants for one matching.");
	if (in->n_mentors && !in->mentor_capacity)
		return mt_invalid(err, "mentor_capacity", "Mentor capacities are missing.");
	if (in->k < 0)
		return mt_invalid(err, "k", "Mentors per mentee cannot be negative.");
	for (size_t j = 0; j < in->n_mentors; j++)
		if (in->mentor_capacity[j] < 0 || in->mentor_capacity[j] > 1000000)
			return mt_invalid(err, "mentor_capacity",
					  "Mentor %zu has capacity %d; it must be 0 to 1000000.",
					  j, in->mentor_capacity[j]);
	for (size_t i = 0; in->mentee_capacity && i < in->n_mentees; i++)
		if (in->mentee_capacity[i] < 0 || in->mentee_capacity[i] > 1000)
			return mt_invalid(err, "mentee_capacity",
					  "Mentee %zu takes %d mentors; it must be 0 to 1000.",
					  i, in->mentee_capacity[i]);
	return 0;
}

static int check_pair_range(const solver_input *in, const solver_pair *p,
			    const char *field, mt_error *err)
{
	if (p->mentee >= in->n_mentees || p->mentor >= in->n_mentors)
		return mt_invalid(err, field, "The %s pair (%u, %u) is out of range.",
				  field, p->mentee, p->mentor);
	return 0;
}

/* Collect locked and excluded pairs, sorted, checking indices and clashes. */
static banned *collect_bans(const solver_input *in, mt_arena *a, size_t *count,
			    mt_error *err)
{
	size_t n = in->n_locked + in->n_excluded;
	banned *b = arena_calloc(a, n ? n : 1, sizeof(*b));
	for (size_t k = 0; k < in->n_locked; k++) {
		if (check_pair_range(in, &in->locked[k], "locked", err))
			return NULL;
		b[k] = (banned){in->locked[k].mentee, in->locked[k].mentor, 1};
	}
	for (size_t k = 0; k < in->n_excluded; k++) {
		if (check_pair_range(in, &in->excluded[k], "excluded", err))
			return NULL;
		b[in->n_locked + k] = (banned){in->excluded[k].mentee, in->excluded[k].mentor, 0};
	}
	qsort(b, n, sizeof(*b), banned_cmp);
	for (size_t k = 1; k < n; k++)
		if (b[k].i == b[k - 1].i && b[k].j == b[k - 1].j && b[k].locked) {
			mt_invalid(err, "locked", "The locked pair (%u, %u) is %s.", b[k].i, b[k].j,
				   b[k - 1].locked ? "listed twice" : "also excluded");
			return NULL;
		}
	*count = n;
	return b;
}

/* Residual capacities after the locks, and the ban lists by mentee. */
static int solver_setup(solver *s, const solver_input *in, mt_error *err)
{
	size_t nb = 0;
	s->in = in;
	s->err = err;
	s->n = (uint32_t)in->n_mentees;
	s->m = (uint32_t)in->n_mentors;
	s->t = s->n + s->m;
	if (check_capacities(in, err))
		return -1;
	banned *b = collect_bans(in, &s->work, &nb, err);
	if (!b)
		return -1;
	s->kcap = arena_calloc(&s->work, s->n + 1, sizeof(*s->kcap));
	s->ccap = arena_calloc(&s->work, s->m + 1, sizeof(*s->ccap));
	for (uint32_t i = 0; i < s->n; i++)
		s->kcap[i] = mentee_k(in, i);
	for (uint32_t j = 0; j < s->m; j++)
		s->ccap[j] = in->mentor_capacity[j];
	s->ban_off = arena_calloc(&s->work, s->n + 1, sizeof(*s->ban_off));
	s->ban_j = arena_calloc(&s->work, nb + 1, sizeof(*s->ban_j));
	for (size_t k = 0; k < nb; k++) {
		s->ban_off[b[k].i + 1]++;
		s->ban_j[k] = b[k].j;
		if (b[k].locked && (--s->kcap[b[k].i] < 0 || --s->ccap[b[k].j] < 0))
			return mt_invalid(err, "locked",
					  "Locked pairs exceed the capacity of mentee %u or mentor %u.",
					  b[k].i, b[k].j);
	}
	for (uint32_t i = 0; i < s->n; i++)
		s->ban_off[i + 1] += s->ban_off[i];
	return 0;
}

/* Scores of mentee i against every mentor: INELIGIBLE for banned pairs,
 * pairs the oracle refuses and pairs below min_score.  `ints` is scratch
 * for the row oracle (n_mentors ints). */
static int compute_row(const solver *s, uint32_t i, int16_t *row, int *ints, mt_error *err)
{
	const solver_input *in = s->in;
	int min = in->min_score > 0 ? in->min_score : 0;
	if (in->score_row)
		in->score_row(in->ctx, i, ints);
	for (uint32_t j = 0; j < s->m; j++) {
		int sc = in->score_row ? ints[j] : in->score(in->ctx, i, j);
		if (sc > SOLVER_SCORE_MAX)
			return mt_invalid(err, "score", "The score of pair (%u, %u) is %d, above %d.",
					  i, j, sc, SOLVER_SCORE_MAX);
		row[j] = (int16_t)(sc >= min ? sc : INELIGIBLE);
	}
	for (uint32_t k = s->ban_off[i]; k < s->ban_off[i + 1]; k++)
		row[s->ban_j[k]] = INELIGIBLE;
	return 0;
}

/* The row of mentee i, from the cache or freshly computed; NULL on error. */
static const int16_t *solver_row(solver *s, uint32_t i)
{
	if (s->dense)
		return s->dense + (size_t)i * s->m;
	return compute_row(s, i, s->rowbuf, s->ints, s->err) ? NULL : s->rowbuf;
}

/* ------------------------------------------------------------------ */
/* Candidate graph                                                     */
/* ------------------------------------------------------------------ */

typedef struct topk {
	uint32_t *idx;
	int16_t *score;
	int32_t n, cap;
} topk;

/* Insert into a list kept by score descending; equal scores keep the
 * earlier index first because indices arrive in increasing order. */
static void topk_insert(topk *t, uint32_t idx, int16_t score)
{
	int32_t pos = t->n < t->cap ? t->n++ : t->cap - 1;
	while (pos > 0 && t->score[pos - 1] < score) {
		t->idx[pos] = t->idx[pos - 1];
		t->score[pos] = t->score[pos - 1];
		pos--;
	}
	t->idx[pos] = idx;
	t->score[pos] = score;
}

static int16_t topk_threshold(const topk *t)
{
	return t->n < t->cap ? INELIGIBLE : t->score[t->cap - 1];
}

typedef struct candidates {
	topk *col;          /* per mentor */
	int16_t *col_thr;
	uint32_t *row_n;    /* per mentee: row candidates kept */
	uint32_t *row_j;    /* n * row_cap */
	int16_t *row_s;
	int32_t row_cap;
	size_t eligible;
	int smax;
} candidates;

static void columns_alloc(solver *s, candidates *c)
{
	const solver_input *in = s->in;
	c->col = arena_calloc(&s->work, s->m + 1, sizeof(*c->col));
	c->col_thr = arena_calloc(&s->work, s->m + 1, sizeof(*c->col_thr));
	for (uint32_t j = 0; j < s->m; j++) {
		int64_t cap = in->candidates_per_mentor > 0 ? in->candidates_per_mentor
							    : 12 + 3 * (int64_t)s->ccap[j];
		if (cap > s->n)
			cap = s->n;
		if (s->ccap[j] == 0)
			cap = 0;
		c->col[j].cap = (int32_t)cap;
		c->col[j].idx = arena_calloc(&s->work, (size_t)cap + 1, sizeof(uint32_t));
		c->col[j].score = arena_calloc(&s->work, (size_t)cap + 1, sizeof(int16_t));
		c->col_thr[j] = cap ? INELIGIBLE : INT16_MAX;
	}
}

static void candidates_init(solver *s, candidates *c)
{
	int kmax = 1;
	for (uint32_t i = 0; i < s->n; i++)
		kmax = s->kcap[i] > kmax ? s->kcap[i] : kmax;
	c->row_cap = 8 * kmax > 24 ? 8 * kmax : 24;
	if (s->in->candidates_per_mentee > 0)
		c->row_cap = s->in->candidates_per_mentee;
	if ((uint32_t)c->row_cap > s->m)
		c->row_cap = (int32_t)(s->m ? s->m : 1);
	c->row_n = arena_calloc(&s->work, s->n + 1, sizeof(*c->row_n));
	c->row_j = arena_calloc(&s->work, (size_t)s->n * c->row_cap + 1, sizeof(*c->row_j));
	c->row_s = arena_calloc(&s->work, (size_t)s->n * c->row_cap + 1, sizeof(*c->row_s));
	columns_alloc(s, c);
}

/* One row: keep its best mentors, offer it to every mentor's best list. */
static void candidates_row(const solver *s, candidates *c, uint32_t i, const int16_t *row)
{
	topk t = {c->row_j + (size_t)i * c->row_cap, c->row_s + (size_t)i * c->row_cap, 0,
		  s->kcap[i] ? c->row_cap : 0};
	int16_t rthr = t.cap ? INELIGIBLE : INT16_MAX;
	int smax = c->smax;
	for (uint32_t j = 0; j < s->m; j++) {
		int16_t sc = row[j];
		if (sc <= INELIGIBLE)
			continue;
		c->eligible++;
		smax = sc > smax ? sc : smax;
		if (sc > rthr) {
			topk_insert(&t, j, sc);
			rthr = topk_threshold(&t);
		}
		if (sc > c->col_thr[j] && t.cap) {
			topk_insert(&c->col[j], i, sc);
			c->col_thr[j] = topk_threshold(&c->col[j]);
		}
	}
	c->smax = smax;
	c->row_n[i] = (uint32_t)t.n;
}

/*
 * Scoring every pair is the one step that grows with n x m, so it can run
 * on several threads, each on a contiguous block of mentees with its own
 * column lists.  Merging the blocks in order gives exactly the lists of a
 * single pass, so the result never depends on the thread count.
 */
typedef struct scorer {
	const solver *s;
	candidates c;       /* rows shared (disjoint), columns own */
	uint32_t lo, hi;
	int16_t *rowbuf;
	int *ints;
	mt_error err;
	int failed;
} scorer;

static void *scorer_run(void *arg)
{
	scorer *w = arg;
	const solver *s = w->s;
	for (uint32_t i = w->lo; i < w->hi && !w->failed; i++) {
		int16_t *row = s->dense ? s->dense + (size_t)i * s->m : w->rowbuf;
		if (compute_row(s, i, row, w->ints, &w->err))
			w->failed = 1;
		else
			candidates_row(s, &w->c, i, row);
	}
	return NULL;
}

static void scorers_merge(solver *s, candidates *c, scorer *w, int n_workers)
{
	for (int k = 0; k < n_workers; k++) {
		c->eligible += w[k].c.eligible;
		c->smax = w[k].c.smax > c->smax ? w[k].c.smax : c->smax;
		if (!k)
			continue;
		for (uint32_t j = 0; j < s->m; j++)
			for (int32_t q = 0; q < w[k].c.col[j].n; q++)
				if (w[k].c.col[j].score[q] > topk_threshold(&c->col[j]))
					topk_insert(&c->col[j], w[k].c.col[j].idx[q],
						    w[k].c.col[j].score[q]);
	}
}

static int workers_of(const solver *s)
{
	int n = s->in->threads > 0 ? s->in->threads : 1;
	if (n > 64)
		n = 64;
	if ((uint32_t)n > s->n / 64 + 1)
		n = (int)(s->n / 64 + 1);
	return n;
}

static int score_all(solver *s, candidates *c)
{
	size_t pairs = (size_t)s->n * s->m;
	size_t limit = s->in->dense_limit ? s->in->dense_limit : (size_t)64 << 20;
	int n_workers = workers_of(s), started = 0, rc = 0;
	scorer w[64];
	pthread_t tid[64];

	if (pairs && pairs <= limit)
		s->dense = arena_calloc(&s->work, pairs, sizeof(int16_t));
	for (int k = 0; k < n_workers; k++) {
		w[k] = (scorer){.s = s, .c = *c};
		w[k].c.eligible = 0;
		w[k].c.smax = 0;
		if (k)
			columns_alloc(s, &w[k].c);
		w[k].lo = (uint32_t)((uint64_t)s->n * k / n_workers);
		w[k].hi = (uint32_t)((uint64_t)s->n * (k + 1) / n_workers);
		w[k].rowbuf = arena_calloc(&s->work, s->m + 1, sizeof(int16_t));
		w[k].ints = arena_calloc(&s->work, s->m + 1, sizeof(int));
	}
	for (int k = 1; k < n_workers; k++)
		if (pthread_create(&tid[k], NULL, scorer_run, &w[k]) == 0)
			started = k;
		else
			break;
	for (int k = started + 1; k < n_workers; k++)
		scorer_run(&w[k]);  /* threads unavailable: do it here */
	scorer_run(&w[0]);
	for (int k = 1; k <= started; k++)
		pthread_join(tid[k], NULL);
	for (int k = 0; k < n_workers && !rc; k++)
		if (w[k].failed) {
			*s->err = w[k].err;
			rc = -1;
		}
	c->col = w[0].c.col;
	c->col_thr = w[0].c.col_thr;
	scorers_merge(s, c, w, n_workers);
	s->smax = c->smax;
	s->stats.eligible = c->eligible;
	s->rowbuf = w[0].rowbuf;
	s->ints = w[0].ints;
	return rc;
}

static void sort_arcs(uint32_t *j, int16_t *sc, size_t n)
{
	for (size_t a = 1; a < n; a++) {
		uint32_t kj = j[a];
		int16_t ks = sc[a];
		size_t b = a;
		for (; b > 0 && j[b - 1] > kj; b--) {
			j[b] = j[b - 1];
			sc[b] = sc[b - 1];
		}
		j[b] = kj;
		sc[b] = ks;
	}
}

/* Allocate the CSR arrays for `total` arcs with offsets from `deg`. */
static void graph_alloc(solver *s, const uint32_t *deg, size_t total)
{
	s->adj_off = arena_calloc(&s->work, s->n + 1, sizeof(*s->adj_off));
	s->adj_j = arena_calloc(&s->work, total + 1, sizeof(*s->adj_j));
	s->adj_s = arena_calloc(&s->work, total + 1, sizeof(*s->adj_s));
	s->adj_on = arena_calloc(&s->work, total + 1, sizeof(*s->adj_on));
	for (uint32_t i = 0; i < s->n; i++)
		s->adj_off[i + 1] = s->adj_off[i] + deg[i];
}

/* Sort each mentee's arcs by mentor, drop duplicates, close the gaps. */
static void graph_compact(solver *s)
{
	size_t out = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		uint32_t lo = s->adj_off[i], hi = s->adj_off[i + 1];
		sort_arcs(s->adj_j + lo, s->adj_s + lo, hi - lo);
		s->adj_off[i] = (uint32_t)out;
		for (uint32_t a = lo; a < hi; a++) {
			if (a > lo && s->adj_j[a] == s->adj_j[a - 1])
				continue;
			s->adj_j[out] = s->adj_j[a];
			s->adj_s[out] = s->adj_s[a];
			s->adj_on[out] = 1;
			out++;
		}
	}
	s->adj_off[s->n] = (uint32_t)out;
	s->stats.arcs = s->stats.initial_arcs = out;
}

/* Merge both sides' candidates into the mentee-side CSR graph. */
static void graph_build(solver *s, candidates *c)
{
	uint32_t *deg = arena_calloc(&s->work, s->n + 1, sizeof(*deg));
	size_t total = 0;
	for (uint32_t i = 0; i < s->n; i++)
		deg[i] = c->row_n[i];
	for (uint32_t j = 0; j < s->m; j++)
		for (int32_t k = 0; k < c->col[j].n; k++)
			deg[c->col[j].idx[k]]++;
	for (uint32_t i = 0; i < s->n; i++)
		total += deg[i];
	graph_alloc(s, deg, total);
	memset(deg, 0, (s->n + 1) * sizeof(*deg));
	for (uint32_t i = 0; i < s->n; i++)
		for (uint32_t k = 0; k < c->row_n[i]; k++) {
			size_t at = s->adj_off[i] + deg[i]++;
			s->adj_j[at] = c->row_j[(size_t)i * c->row_cap + k];
			s->adj_s[at] = c->row_s[(size_t)i * c->row_cap + k];
		}
	for (uint32_t j = 0; j < s->m; j++)
		for (int32_t k = 0; k < c->col[j].n; k++) {
			uint32_t i = c->col[j].idx[k];
			size_t at = s->adj_off[i] + deg[i]++;
			s->adj_j[at] = j;
			s->adj_s[at] = c->col[j].score[k];
		}
	graph_compact(s);
}

/* Add violators (sorted by mentee, then mentor) as waiting arcs. */
static void graph_add(solver *s, const violator *v, size_t nv)
{
	uint32_t *old_off = s->adj_off, *old_j = s->adj_j;
	int16_t *old_s = s->adj_s;
	uint8_t *old_on = s->adj_on;
	uint32_t *deg = arena_calloc(&s->work, s->n + 1, sizeof(*deg));
	for (uint32_t i = 0; i < s->n; i++)
		deg[i] = old_off[i + 1] - old_off[i];
	for (size_t k = 0; k < nv; k++)
		deg[v[k].i]++;
	graph_alloc(s, deg, old_off[s->n] + nv);
	size_t k = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		size_t at = s->adj_off[i], len = old_off[i + 1] - old_off[i];
		memcpy(s->adj_j + at, old_j + old_off[i], len * sizeof(*old_j));
		memcpy(s->adj_s + at, old_s + old_off[i], len * sizeof(*old_s));
		memcpy(s->adj_on + at, old_on + old_off[i], len);
		for (at += len; k < nv && v[k].i == i; k++, at++) {
			s->adj_j[at] = v[k].j;
			s->adj_s[at] = v[k].s;
			s->adj_on[at] = 0;
		}
	}
	s->stats.arcs = s->adj_off[s->n];
}

/* ------------------------------------------------------------------ */
/* Flow state                                                          */
/* ------------------------------------------------------------------ */

static void flow_init(solver *s)
{
	size_t slots = 0, seats = 0;
	s->asg_off = arena_calloc(&s->work, s->n + 1, sizeof(*s->asg_off));
	s->load_off = arena_calloc(&s->work, s->m + 1, sizeof(*s->load_off));
	for (uint32_t i = 0; i < s->n; i++)
		s->asg_off[i + 1] = (uint32_t)(slots += (size_t)s->kcap[i] + 2);
	for (uint32_t j = 0; j < s->m; j++)
		s->load_off[j + 1] = (uint32_t)(seats += (size_t)s->ccap[j] + 2);
	s->asg_j = arena_calloc(&s->work, slots + 1, sizeof(*s->asg_j));
	s->asg_s = arena_calloc(&s->work, slots + 1, sizeof(*s->asg_s));
	s->asg_n = arena_calloc(&s->work, s->n + 1, sizeof(*s->asg_n));
	s->load_i = arena_calloc(&s->work, seats + 1, sizeof(*s->load_i));
	s->load_s = arena_calloc(&s->work, seats + 1, sizeof(*s->load_s));
	s->load_n = arena_calloc(&s->work, s->m + 1, sizeof(*s->load_n));
	s->byp = arena_calloc(&s->work, s->n + 1, sizeof(*s->byp));
	s->mflow = arena_calloc(&s->work, s->m + 1, sizeof(*s->mflow));

	size_t nodes = (size_t)s->t + 1;
	s->pot = arena_calloc(&s->work, nodes, sizeof(*s->pot));
	s->dist = arena_calloc(&s->work, nodes, sizeof(*s->dist));
	s->pred = arena_calloc(&s->work, nodes, sizeof(*s->pred));
	s->pred_s = arena_calloc(&s->work, nodes, sizeof(*s->pred_s));
	s->seen = arena_calloc(&s->work, nodes, sizeof(*s->seen));
	s->done = arena_calloc(&s->work, nodes, sizeof(*s->done));
	s->settled = arena_calloc(&s->work, nodes, sizeof(*s->settled));
	s->q_cap = 1024;
	s->q_node = arena_calloc(&s->work, s->q_cap, sizeof(*s->q_node));
	s->q_next = arena_calloc(&s->work, s->q_cap, sizeof(*s->q_next));
}

static bool is_assigned(const solver *s, uint32_t i, uint32_t j)
{
	for (uint32_t k = s->asg_off[i]; k < s->asg_off[i] + (uint32_t)s->asg_n[i]; k++)
		if (s->asg_j[k] == j)
			return true;
	return false;
}

static void assign(solver *s, uint32_t i, uint32_t j, int16_t sc)
{
	uint32_t a = s->asg_off[i] + (uint32_t)s->asg_n[i]++;
	uint32_t b = s->load_off[j] + (uint32_t)s->load_n[j]++;
	assert(a < s->asg_off[i + 1] && b < s->load_off[j + 1]);
	s->asg_j[a] = j;
	s->asg_s[a] = sc;
	s->load_i[b] = i;
	s->load_s[b] = sc;
}

/* Remove slot `k` of a slot list by moving the last one into it. */
static void unassign(solver *s, uint32_t i, uint32_t j)
{
	uint32_t lo = s->asg_off[i], last = lo + (uint32_t)--s->asg_n[i];
	for (uint32_t k = lo; k <= last; k++)
		if (s->asg_j[k] == j) {
			s->asg_j[k] = s->asg_j[last];
			s->asg_s[k] = s->asg_s[last];
			break;
		}
	lo = s->load_off[j];
	last = lo + (uint32_t)--s->load_n[j];
	for (uint32_t k = lo; k <= last; k++)
		if (s->load_i[k] == i) {
			s->load_i[k] = s->load_i[last];
			s->load_s[k] = s->load_s[last];
			break;
		}
}

/* ------------------------------------------------------------------ */
/* Shortest paths (Dijkstra on a bucket queue)                         */
/* ------------------------------------------------------------------ */

static void queue_reset(solver *s, int32_t bound)
{
	if (bound + 1 > s->n_buckets) {
		s->n_buckets = 2 * (bound + 1);
		s->bucket = arena_calloc(&s->work, (size_t)s->n_buckets, sizeof(*s->bucket));
	}
	for (int32_t b = 0; b <= bound; b++)
		s->bucket[b] = -1;
	s->q_len = 0;
	s->n_settled = 0;
	s->stamp++;
}

static void queue_push(solver *s, uint32_t node, int32_t d)
{
	if (s->q_len == s->q_cap) {
		size_t cap = 2 * s->q_cap;
		s->q_node = arena_realloc(&s->work, s->q_node, s->q_cap * sizeof(*s->q_node),
					  cap * sizeof(*s->q_node));
		s->q_next = arena_realloc(&s->work, s->q_next, s->q_cap * sizeof(*s->q_next),
					  cap * sizeof(*s->q_next));
		s->q_cap = cap;
	}
	s->q_node[s->q_len] = node;
	s->q_next[s->q_len] = s->bucket[d];
	s->bucket[d] = (int32_t)s->q_len++;
}

/* Offer distance d to node `to`, reached from `from` along an arc of score sc. */
static void relax(solver *s, uint32_t from, uint32_t to, int32_t d, int32_t bound,
		  int16_t sc)
{
	if (d > bound || s->done[to] == s->stamp)
		return;
	if (s->seen[to] == s->stamp && s->dist[to] <= d)
		return;
	s->seen[to] = s->stamp;
	s->dist[to] = d;
	s->pred[to] = (int32_t)from;
	s->pred_s[to] = sc;
	queue_push(s, to, d);
}

static void expand_mentee(solver *s, uint32_t i, int32_t d, int32_t bound)
{
	int32_t pi = s->pot[i];
	for (uint32_t a = s->adj_off[i]; a < s->adj_off[i + 1]; a++) {
		uint32_t j = s->adj_j[a];
		if (!s->adj_on[a] || is_assigned(s, i, j))
			continue;
		int32_t rc = pi - s->adj_s[a] - s->pot[s->n + j];
		assert(rc >= 0);
		relax(s, i, s->n + j, d + rc, bound, s->adj_s[a]);
	}
	if (s->byp[i] < s->kcap[i])
		relax(s, i, s->t, d + pi - s->pot[s->t], bound, 0);
}

static void expand_mentor(solver *s, uint32_t j, int32_t d, int32_t bound)
{
	uint32_t node = s->n + j;
	int32_t pj = s->pot[node];
	for (uint32_t k = s->load_off[j]; k < s->load_off[j] + (uint32_t)s->load_n[j]; k++) {
		uint32_t i = s->load_i[k];
		int32_t rc = pj + s->load_s[k] - s->pot[i];
		assert(rc >= 0);
		relax(s, node, i, d + rc, bound, s->load_s[k]);
	}
	if (s->mflow[j] < s->ccap[j])
		relax(s, node, s->t, d + pj - s->pot[s->t], bound, 0);
}

static void expand_sink(solver *s, int32_t d, int32_t bound)
{
	int32_t pt = s->pot[s->t];
	for (uint32_t j = 0; j < s->m; j++)
		if (s->mflow[j] > 0)
			relax(s, s->t, s->n + j, d + pt - s->pot[s->n + j], bound, 0);
	for (uint32_t i = 0; i < s->n; i++)
		if (s->byp[i] > 0)
			relax(s, s->t, i, d + pt - s->pot[i], bound, 0);
}

static void expand(solver *s, uint32_t x, int32_t d, int32_t bound)
{
	if (x < s->n)
		expand_mentee(s, x, d, bound);
	else if (x < s->t)
		expand_mentor(s, x - s->n, d, bound);
	else
		expand_sink(s, d, bound);
}

/* Push one unit along the arc from -> to of the path found. */
static void apply_arc(solver *s, uint32_t from, uint32_t to, int16_t sc)
{
	if (from < s->n && to < s->t)
		assign(s, from, to - s->n, sc);
	else if (from < s->n)
		s->byp[from]++;
	else if (from < s->t && to < s->n)
		unassign(s, to, from - s->n);
	else if (from < s->t)
		s->mflow[from - s->n]++;
	else if (to < s->n)
		s->byp[to]--;
	else
		s->mflow[to - s->n]--;
}

/*
 * Dijkstra from the nodes already queued, until `dst` is settled; a path
 * of length at most `bound` must exist.  Settled nodes' potentials drop by
 * (D - dist), which keeps every reduced cost non-negative and makes the
 * shortest paths' arcs tight.  Returns D.
 */
static int32_t search(solver *s, uint32_t dst, int32_t bound)
{
	int32_t found = -1;
	for (int32_t b = 0; b <= bound && found < 0; b++) {
		while (s->bucket[b] >= 0) {
			int32_t e = s->bucket[b];
			uint32_t x = s->q_node[e];
			s->bucket[b] = s->q_next[e];
			if (s->done[x] == s->stamp || s->dist[x] != b)
				continue;
			s->done[x] = s->stamp;
			if (x == dst) {
				found = b;
				break;
			}
			s->settled[s->n_settled++] = x;
			expand(s, x, b, bound);
		}
	}
	assert(found >= 0);
	for (size_t k = 0; k < s->n_settled; k++) {
		uint32_t x = s->settled[k];
		s->pot[x] -= found - s->dist[x];
	}
	s->stats.searches++;
	return found;
}

/* Send one unit from `src` to `dst` along a shortest path. */
static void shortest_path(solver *s, uint32_t src, uint32_t dst, int32_t bound)
{
	assert(bound >= 0);
	queue_reset(s, bound);
	relax(s, src, src, 0, bound, 0);
	search(s, dst, bound);
	for (uint32_t x = dst; x != src; x = (uint32_t)s->pred[x])
		apply_arc(s, (uint32_t)s->pred[x], x, s->pred_s[x]);
}

/* ------------------------------------------------------------------ */
/* Phase 2: primal-dual rounds                                         */
/* ------------------------------------------------------------------ */

/*
 * Every mentee with supply left is a source.  One multi-source Dijkstra
 * gives the length D of the shortest paths to T; after the potential
 * update their arcs have reduced cost 0, and route_unit() pushes units
 * along such zero paths, depth first (Dinic style: a node that leads
 * nowhere is dead for the round).  Path lengths only grow and are bounded
 * by the score range, so there are few rounds.
 */
typedef struct router {
	int32_t *left;      /* supply left per mentee */
	uint32_t *cur;      /* next arc to try per mentee */
	uint32_t *stack;
	int16_t *stack_s;   /* score of the arc into stack[k] */
	uint32_t *dead, *on_stack, stamp;
} router;

static void router_init(solver *s, router *r)
{
	size_t nodes = (size_t)s->t + 1;
	r->left = arena_calloc(&s->work, s->n + 1, sizeof(*r->left));
	r->cur = arena_calloc(&s->work, s->n + 1, sizeof(*r->cur));
	r->stack = arena_calloc(&s->work, nodes + 1, sizeof(*r->stack));
	r->stack_s = arena_calloc(&s->work, nodes + 1, sizeof(*r->stack_s));
	r->dead = arena_calloc(&s->work, nodes, sizeof(*r->dead));
	r->on_stack = arena_calloc(&s->work, nodes, sizeof(*r->on_stack));
	for (uint32_t i = 0; i < s->n; i++) {
		int32_t p = 0;
		for (uint32_t a = s->adj_off[i]; a < s->adj_off[i + 1]; a++)
			p = s->adj_s[a] > p ? s->adj_s[a] : p;
		s->pot[i] = p;
		r->left[i] = s->kcap[i];
	}
}

static bool blocked(const router *r, uint32_t x)
{
	return r->dead[x] == r->stamp || r->on_stack[x] == r->stamp;
}

/* Next tight arc out of mentee i: a mentor, T for the bypass, or UINT32_MAX. */
static uint32_t next_from_mentee(solver *s, router *r, uint32_t i, int16_t *sc)
{
	for (; r->cur[i] < s->adj_off[i + 1]; r->cur[i]++) {
		uint32_t a = r->cur[i], j = s->adj_j[a];
		if (s->pot[i] - s->adj_s[a] != s->pot[s->n + j] || !s->adj_on[a] ||
		    blocked(r, s->n + j) || is_assigned(s, i, j))
			continue;
		*sc = s->adj_s[a];
		return s->n + j;
	}
	if (s->byp[i] < s->kcap[i] && s->pot[i] == s->pot[s->t])
		return s->t;
	return UINT32_MAX;
}

/* Next tight arc out of mentor j: T for a free seat, one of its mentees, or UINT32_MAX. */
static uint32_t next_from_mentor(solver *s, router *r, uint32_t j, int16_t *sc)
{
	uint32_t node = s->n + j;
	if (s->mflow[j] < s->ccap[j] && s->pot[node] == s->pot[s->t])
		return s->t;
	for (uint32_t k = s->load_off[j]; k < s->load_off[j] + (uint32_t)s->load_n[j]; k++) {
		uint32_t i = s->load_i[k];
		if (!blocked(r, i) && s->pot[node] + s->load_s[k] == s->pot[i]) {
			*sc = s->load_s[k];
			return i;
		}
	}
	return UINT32_MAX;
}

/* One unit from `root` to T along tight arcs; false when there is none. */
static bool route_unit(solver *s, router *r, uint32_t root)
{
	size_t sp = 1;
	r->stack[0] = root;
	r->on_stack[root] = r->stamp;
	while (sp > 0) {
		uint32_t x = r->stack[sp - 1], y;
		int16_t sc = 0;
		if (x == s->t)
			break;
		if (x < s->n)
			y = next_from_mentee(s, r, x, &sc);
		else
			y = next_from_mentor(s, r, x - s->n, &sc);
		if (y == UINT32_MAX) {
			r->dead[x] = r->stamp;
			r->on_stack[x] = 0;
			sp--;
			continue;
		}
		r->on_stack[y] = r->stamp;
		r->stack_s[sp] = sc;
		r->stack[sp++] = y;
	}
	for (size_t k = 0; k + 1 < sp; k++)
		apply_arc(s, r->stack[k], r->stack[k + 1], r->stack_s[k + 1]);
	for (size_t k = 0; k < sp; k++)
		r->on_stack[r->stack[k]] = 0;
	return sp > 0;
}

/* One round; false when no mentee has supply left. */
static bool primal_dual_round(solver *s, router *r)
{
	int32_t top = INT32_MIN;
	for (uint32_t i = 0; i < s->n; i++)
		if (r->left[i] > 0 && s->pot[i] > top)
			top = s->pot[i];
	if (top == INT32_MIN)
		return false;
	int32_t bound = top - s->pot[s->t];
	queue_reset(s, bound);
	for (uint32_t i = 0; i < s->n; i++)
		if (r->left[i] > 0)
			relax(s, i, i, top - s->pot[i], bound, 0);
	top -= search(s, s->t, bound);
	r->stamp++;
	for (uint32_t i = 0; i < s->n; i++)
		r->cur[i] = s->adj_off[i];
	for (uint32_t i = 0; i < s->n; i++)
		while (r->left[i] > 0 && s->pot[i] == top && r->dead[i] != r->stamp &&
		       route_unit(s, r, i))
			r->left[i]--;
	return true;
}

static void solve_sparse(solver *s)
{
	router r = {0};
	router_init(s, &r);
	while (primal_dual_round(s, &r))
		;
}

/* ------------------------------------------------------------------ */
/* Phase 3: pricing and repair                                         */
/* ------------------------------------------------------------------ */

/*
 * Make pot[T] = 0, give empty mentors a price of at least 0 and unpaired
 * mentees a value of at least 0.  Both moves only raise reduced costs of
 * the arcs that exist, so the invariant holds; afterwards u_i = pot[i] >= 0
 * and v_j = -pot[j] >= 0 for every node.
 */
static void normalize(solver *s)
{
	int32_t shift = s->pot[s->t];
	for (uint32_t x = 0; x <= s->t; x++)
		s->pot[x] -= shift;
	for (uint32_t j = 0; j < s->m; j++)
		if (s->load_n[j] == 0 && s->pot[s->n + j] > 0)
			s->pot[s->n + j] = 0;
	for (uint32_t i = 0; i < s->n; i++)
		if (s->asg_n[i] == 0 && s->pot[i] < 0)
			s->pot[i] = 0;
}

/* GCC vector extension: pricing is one pass over every pair, 16 at a time. */
typedef int16_t lanes16 __attribute__((vector_size(32)));
enum { LANES = 16 };

static int16_t row_max(const int16_t *row, const int16_t *price, uint32_t m)
{
	lanes16 best, x, p, more;
	int16_t out = INT16_MIN;
	uint32_t j = 0;
	for (int k = 0; k < LANES; k++)
		best[k] = INT16_MIN;
	for (; j + LANES <= m; j += LANES) {
		memcpy(&x, row + j, sizeof(x));
		memcpy(&p, price + j, sizeof(p));
		x -= p;
		more = x > best;
		best = (x & more) | (best & ~more);
	}
	for (int k = 0; k < LANES; k++)
		out = best[k] > out ? best[k] : out;
	for (; j < m; j++) {
		int16_t v = (int16_t)(row[j] - price[j]);
		out = v > out ? v : out;
	}
	return out;
}

/* Sum of the k largest positive values of row[j] - price[j]. */
static int64_t row_topk(const int16_t *row, const int16_t *price, uint32_t m, int32_t k,
			int32_t *top)
{
	int32_t n = 0;
	for (uint32_t j = 0; j < m; j++) {
		int32_t x = row[j] - price[j];
		if (x <= 0 || (n == k && x <= top[k - 1]))
			continue;
		int32_t pos = n < k ? n++ : k - 1;
		for (; pos > 0 && top[pos - 1] < x; pos--)
			top[pos] = top[pos - 1];
		top[pos] = x;
	}
	int64_t sum = 0;
	for (int32_t q = 0; q < n; q++)
		sum += top[q];
	return sum;
}

typedef struct violators {
	violator *v;
	size_t n, cap;
} violators;

static void violators_push(solver *s, violators *vs, uint32_t i, uint32_t j, int16_t sc)
{
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 256;
		vs->v = arena_realloc(&s->work, vs->v, vs->cap * sizeof(*vs->v),
				      cap * sizeof(*vs->v));
		vs->cap = cap;
	}
	vs->v[vs->n++] = (violator){i, j, sc};
}

static void collect_row(solver *s, violators *vs, uint32_t i, const int16_t *row,
			const int16_t *price)
{
	int32_t u = s->pot[i];
	for (uint32_t j = 0; j < s->m; j++)
		if (row[j] > INELIGIBLE && row[j] - price[j] > u && !is_assigned(s, i, j))
			violators_push(s, vs, i, j, row[j]);
}

/* Mentor prices as int16 (they never exceed the largest score). */
static int16_t *prices16(solver *s, mt_arena *a)
{
	int16_t *price = arena_calloc(a, s->m + 1, sizeof(*price));
	for (uint32_t j = 0; j < s->m; j++) {
		int32_t v = -s->pot[s->n + j];
		assert(v >= 0 && v <= SOLVER_SCORE_MAX);
		price[j] = (int16_t)v;
	}
	return price;
}

/*
 * Price every eligible pair.  Pairs with negative reduced cost go to `vs`;
 * when there is none, *bound is the dual bound B(v) of solver.h.
 */
static int price_all(solver *s, violators *vs, int64_t *bound)
{
	int16_t *price = prices16(s, &s->work);
	int32_t kmax = 1;
	for (uint32_t i = 0; i < s->n; i++)
		kmax = s->kcap[i] > kmax ? s->kcap[i] : kmax;
	int32_t *top = arena_calloc(&s->work, (size_t)kmax, sizeof(*top));
	int64_t sum = 0;
	for (uint32_t j = 0; j < s->m; j++)
		sum += (int64_t)s->ccap[j] * price[j];
	vs->n = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		if (!s->kcap[i])
			continue;
		const int16_t *row = solver_row(s, i);
		if (!row)
			return -1;
		int16_t best = row_max(row, price, s->m);
		if (best > s->pot[i])
			collect_row(s, vs, i, row, price);
		if (s->kcap[i] == 1)
			sum += best > 0 ? best : 0;
		else
			sum += row_topk(row, price, s->m, s->kcap[i], top);
	}
	*bound = sum;
	return 0;
}

/* Bring waiting arcs in: a tight-or-better arc just opens; a violating one
 * is saturated and the flow repaired with one search from j back to i. */
static void repair(solver *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		for (uint32_t a = s->adj_off[i]; a < s->adj_off[i + 1]; a++) {
			if (s->adj_on[a])
				continue;
			uint32_t j = s->adj_j[a];
			int32_t rc = s->pot[i] - s->adj_s[a] - s->pot[s->n + j];
			s->adj_on[a] = 1;
			if (rc >= 0)
				continue;
			assign(s, i, j, s->adj_s[a]);
			shortest_path(s, s->n + j, i, -rc);
		}
}

/* ------------------------------------------------------------------ */
/* Result                                                              */
/* ------------------------------------------------------------------ */

static int pair_cmp(const void *a, const void *b)
{
	const solver_pair *x = a, *y = b;
	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static int locked_score(solver *s, const solver_pair *p)
{
	int sc = s->in->score(s->in->ctx, p->mentee, p->mentor);
	if (sc > SOLVER_SCORE_MAX)
		return mt_invalid(s->err, "score", "The score of pair (%u, %u) is %d, above %d.",
				  p->mentee, p->mentor, sc, SOLVER_SCORE_MAX);
	return sc > 0 ? sc : 0;
}

static int make_result(solver *s, mt_arena *arena, int64_t bound, solver_result *out)
{
	size_t n = s->in->n_locked, k = 0;
	for (uint32_t i = 0; i < s->n; i++)
		n += (size_t)s->asg_n[i];
	out->pairs = arena_calloc(arena, n + 1, sizeof(*out->pairs));
	for (; k < s->in->n_locked; k++) {
		int sc = locked_score(s, &s->in->locked[k]);
		if (sc < 0)
			return -1;
		out->pairs[k] = (solver_pair){s->in->locked[k].mentee, s->in->locked[k].mentor,
					      sc, true};
		out->locked_total += sc;
	}
	for (uint32_t i = 0; i < s->n; i++)
		for (uint32_t a = s->asg_off[i]; a < s->asg_off[i] + (uint32_t)s->asg_n[i]; a++)
			out->pairs[k++] = (solver_pair){i, s->asg_j[a], s->asg_s[a], false};
	qsort(out->pairs, n, sizeof(*out->pairs), pair_cmp);
	out->n_pairs = n;
	for (size_t q = 0; q < n; q++)
		out->total += out->pairs[q].score;
	out->mentor_price = arena_calloc(arena, s->m + 1, sizeof(*out->mentor_price));
	for (uint32_t j = 0; j < s->m; j++)
		out->mentor_price[j] = -s->pot[s->n + j];
	out->bound = bound;
	out->stats = s->stats;
	if (out->total - out->locked_total != bound)
		return mt_internal(s->err, "The matching certificate failed: total %lld, bound %lld.",
				   (long long)(out->total - out->locked_total), (long long)bound);
	return 0;
}

int solver_run(const solver_input *in, mt_arena *arena, solver_result *out,
	       mt_error *err)
{
	solver s = {0};
	candidates c = {0};
	violators vs = {0};
	int64_t bound = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	arena_init(&s.work);
	if (solver_setup(&s, in, err))
		goto out;
	candidates_init(&s, &c);
	if (score_all(&s, &c))
		goto out;
	graph_build(&s, &c);
	flow_init(&s);
	solve_sparse(&s);
	for (;;) {
		normalize(&s);
		s.stats.rounds++;
		if (price_all(&s, &vs, &bound))
			goto out;
		if (!vs.n)
			break;
		s.stats.violators += vs.n;
		graph_add(&s, vs.v, vs.n);
		repair(&s);
	}
	rc = make_result(&s, arena, bound, out);
out:
	arena_free(&s.work);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Certificate check, independent of the solver's state               */
/* ------------------------------------------------------------------ */

static bool pair_is_locked(const solver_input *in, const solver_pair *p)
{
	for (size_t k = 0; k < in->n_locked; k++)
		if (in->locked[k].mentee == p->mentee && in->locked[k].mentor == p->mentor)
			return true;
	return false;
}

static bool pair_is_banned(const solver *s, const solver_pair *p)
{
	for (uint32_t k = s->ban_off[p->mentee]; k < s->ban_off[p->mentee + 1]; k++)
		if (s->ban_j[k] == p->mentor)
			return true;
	return false;
}

/* A free pair must be eligible and carry the oracle's score. */
static int certify_free_pair(solver *s, const solver_pair *p)
{
	const solver_input *in = s->in;
	if (pair_is_banned(s, p))
		return mt_invalid(s->err, "pairs", "The pair (%u, %u) is excluded.", p->mentee,
				  p->mentor);
	int sc = in->score(in->ctx, p->mentee, p->mentor);
	if (sc < 0 || sc < in->min_score)
		return mt_invalid(s->err, "pairs", "The pair (%u, %u) is not eligible (score %d).",
				  p->mentee, p->mentor, sc);
	if (sc != p->score)
		return mt_invalid(s->err, "pairs", "The pair (%u, %u) claims score %d, not %d.",
				  p->mentee, p->mentor, p->score, sc);
	return 0;
}

/* Feasibility; *free_total receives the score of the non-locked pairs. */
static int certify_pairs(solver *s, const solver_pair *pairs, size_t n, int64_t *free_total)
{
	const solver_input *in = s->in;
	solver_pair *sorted = arena_calloc(&s->work, n + 1, sizeof(*sorted));
	int32_t *per_mentee = arena_calloc(&s->work, s->n + 1, sizeof(int32_t));
	int32_t *per_mentor = arena_calloc(&s->work, s->m + 1, sizeof(int32_t));
	size_t locked = 0;
	*free_total = 0;
	for (size_t k = 0; k < n; k++)
		if (check_pair_range(in, &pairs[k], "pairs", s->err))
			return -1;
	memcpy(sorted, pairs, n * sizeof(*pairs));
	qsort(sorted, n, sizeof(*sorted), pair_cmp);
	for (size_t k = 0; k < n; k++) {
		const solver_pair *p = &sorted[k];
		if (k && !pair_cmp(p, &sorted[k - 1]))
			return mt_invalid(s->err, "pairs", "The pair (%u, %u) appears twice.",
					  p->mentee, p->mentor);
		if (++per_mentee[p->mentee] > mentee_k(in, p->mentee))
			return mt_invalid(s->err, "pairs", "Mentee %u has too many mentors.", p->mentee);
		if (++per_mentor[p->mentor] > in->mentor_capacity[p->mentor])
			return mt_invalid(s->err, "pairs", "Mentor %u is over capacity.", p->mentor);
		if (pair_is_locked(in, p)) {
			locked++;
			continue;
		}
		if (certify_free_pair(s, p))
			return -1;
		*free_total += p->score;
	}
	if (locked != in->n_locked)
		return mt_invalid(s->err, "pairs", "%zu locked pair(s) are missing.",
				  in->n_locked - locked);
	return 0;
}

/* B(v) over every eligible free pair; -1 on a bad price or score. */
static int certify_bound(solver *s, const int *price, int64_t *bound)
{
	int16_t *p16 = arena_calloc(&s->work, s->m + 1, sizeof(*p16));
	int32_t kmax = 1;
	int64_t sum = 0;
	for (uint32_t j = 0; j < s->m; j++) {
		if (price[j] < 0 || price[j] > SOLVER_SCORE_MAX)
			return mt_invalid(s->err, "mentor_price",
					  "Mentor %u has price %d; prices lie in 0..%d.", j, price[j],
					  SOLVER_SCORE_MAX);
		p16[j] = (int16_t)price[j];
		sum += (int64_t)s->ccap[j] * price[j];
	}
	for (uint32_t i = 0; i < s->n; i++)
		kmax = s->kcap[i] > kmax ? s->kcap[i] : kmax;
	int32_t *top = arena_calloc(&s->work, (size_t)kmax, sizeof(*top));
	s->rowbuf = arena_calloc(&s->work, s->m + 1, sizeof(*s->rowbuf));
	s->ints = arena_calloc(&s->work, s->m + 1, sizeof(*s->ints));
	for (uint32_t i = 0; i < s->n; i++) {
		if (!s->kcap[i])
			continue;
		if (compute_row(s, i, s->rowbuf, s->ints, s->err))
			return -1;
		sum += row_topk(s->rowbuf, p16, s->m, s->kcap[i], top);
	}
	*bound = sum;
	return 0;
}

int solver_certify(const solver_input *in, const solver_pair *pairs, size_t n_pairs,
		   const int *mentor_price, int64_t *bound, mt_error *err)
{
	solver s = {0};
	int64_t free_total = 0, b = -1;
	int rc = -1;

	arena_init(&s.work);
	if (bound)
		*bound = -1;
	if (solver_setup(&s, in, err) || certify_pairs(&s, pairs, n_pairs, &free_total))
		goto out;
	if (certify_bound(&s, mentor_price, &b))
		goto out;
	if (bound)
		*bound = b;
	if (free_total != b) {
		mt_fail(err, 409, "not_optimal", "pairs",
			"The proposal scores %lld on free seats but the dual bound is %lld: %s.",
			(long long)free_total, (long long)b,
			free_total < b ? "it is not proven optimal" : "the certificate is inconsistent");
		goto out;
	}
	rc = 0;
out:
	arena_free(&s.work);
	return rc;
}
