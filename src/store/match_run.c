/*
 * match_run.c - solving a program's pool and storing the proposal;
 * recommendations for one mentee; the audit export of every pair's score.
 */
#include "store/match.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/strbuf.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void solver_input_for(const match_pool *pool, mt_arena *a, solver_input *in)
{
	memset(in, 0, sizeof(*in));
	int *mentor_cap = arena_calloc(a, pool->n_mentors ? pool->n_mentors : 1, sizeof(int));
	int *mentee_cap = arena_calloc(a, pool->n_mentees ? pool->n_mentees : 1, sizeof(int));
	for (size_t j = 0; j < pool->n_mentors; j++)
		mentor_cap[j] = pool->mentors[j].capacity - pool->mentors[j].used;
	for (size_t i = 0; i < pool->n_mentees; i++)
		mentee_cap[i] = pool->mentees[i].capacity - pool->mentees[i].used;
	in->n_mentees = pool->n_mentees;
	in->n_mentors = pool->n_mentors;
	in->mentor_capacity = mentor_cap;
	in->mentee_capacity = mentee_cap;
	in->min_score = pool->settings.weights.min_score;
	in->score = match_pool_score;
	in->ctx = (void *)pool;
	in->locked = pool->locked;
	in->n_locked = pool->n_locked;
	in->excluded = pool->excluded;
	/* Scoring is pure, so both cores can score rows; the result never changes. */
	in->threads = 2;
	in->n_excluded = pool->n_excluded;
}

static json_t *proposal_json(const match_pool *pool, mt_arena *a, const solver_pair *sp)
{
	const match_member *e = &pool->mentees[sp->mentee], *m = &pool->mentors[sp->mentor];
	json_t *why = match_pool_explain(pool, a, sp->mentee, sp->mentor);
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:i, s:b, s:O}",
			      "mentee_membership_id", (json_int_t)e->membership_id,
			      "mentee_person_id", (json_int_t)e->person_id, "mentee_name", e->name,
			      "mentor_membership_id", (json_int_t)m->membership_id,
			      "mentor_person_id", (json_int_t)m->person_id, "mentor_name", m->name,
			      "score", sp->score, "locked", sp->locked, "reasons",
			      json_object_get(why, "reasons"));
	json_decref(why);
	return o;
}

static int store_proposals(db *d, const match_pool *pool, const mt_actor *who,
			   const mt_program *prog, const char *today, json_t *pairs, mt_error *err)
{
	db_stmt *st = db_prepare(d, "DELETE FROM pairs WHERE program_id = $1 AND status = 'proposed' "
				    "AND source = 'solver' AND locked = 0", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, prog->id);
	int rc = db_step(st, err);
	db_finalize(st);
	if (rc < 0)
		return -1;
	(void)pool;
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p) {
		if (json_is_true(json_object_get(p, "locked")))
			continue;
		char *reasons = json_dumps(json_object_get(p, "reasons"), JSON_COMPACT);
		mt_pair pr = {
			.program_id = prog->id,
			.mentor_membership_id = json_integer_value(json_object_get(p, "mentor_membership_id")),
			.mentee_membership_id = json_integer_value(json_object_get(p, "mentee_membership_id")),
			.mentor_person_id = json_integer_value(json_object_get(p, "mentor_person_id")),
			.mentee_person_id = json_integer_value(json_object_get(p, "mentee_person_id")),
			.status = "proposed", .source = "solver",
			.score = (int)json_integer_value(json_object_get(p, "score")),
			.reasons = reasons, .proposed_on = today,
		};
		int64_t id = store_pair_create(d, &pr, who->user_id, who->name, err);
		free(reasons);
		if (id < 0)
			return -1;
		json_object_set_new(p, "pair_id", json_integer(id));
	}
	return 0;
}

int match_run(db *d, mt_arena *a, const mt_actor *who, const mt_program *prog,
	      const char *today, bool dry_run, match_run_result *out, mt_error *err)
{
	memset(out, 0, sizeof(*out));
	match_pool pool;
	solver_input in;
	double t0 = now_ms();
	if (match_pool_load(d, a, prog, today, false, &pool, err) < 0)
		return -1;
	double t1 = now_ms();
	solver_input_for(&pool, a, &in);
	if (solver_run(&in, a, &out->solved, err) < 0)
		return -1;
	double t2 = now_ms();
	int64_t bound = -1;
	mt_error cert;
	mt_error_clear(&cert);
	bool certified = solver_certify(&in, out->solved.pairs, out->solved.n_pairs,
					out->solved.mentor_price, &bound, &cert) == 0;
	double t3 = now_ms();
	out->pairs = json_array();
	for (size_t i = 0; i < out->solved.n_pairs; i++)
		json_array_append_new(out->pairs, proposal_json(&pool, a, &out->solved.pairs[i]));
	size_t seats = 0;
	for (size_t j = 0; j < pool.n_mentors; j++)
		seats += (size_t)(pool.mentors[j].capacity - pool.mentors[j].used);
	const solver_stats *s = &out->solved.stats;
	out->summary = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:b, s:{s:f, s:f, s:f}, "
		"s:{s:I, s:I, s:I, s:i}}",
		"program_id", (json_int_t)prog->id, "mentees_waiting", (json_int_t)pool.n_mentees,
		"mentors_with_capacity", (json_int_t)pool.n_mentors, "free_seats", (json_int_t)seats,
		"proposed", (json_int_t)(out->solved.n_pairs - pool.n_locked), "locked",
		(json_int_t)pool.n_locked, "total_score", (json_int_t)out->solved.total, "certified",
		certified, "certificate", certified ? "dual prices prove the total is the maximum"
						  : cert.message,
		"dry_run", dry_run, "ms", "load", t1 - t0, "solve", t2 - t1, "certify", t3 - t2,
		"solver", "eligible_pairs", (json_int_t)s->eligible, "arcs", (json_int_t)s->arcs,
		"violators_added", (json_int_t)s->violators, "rounds", s->rounds);
	if (dry_run)
		return 0;
	if (db_begin(d, err) < 0)
		goto fail;
	if (store_proposals(d, &pool, who, prog, today, out->pairs, err) < 0 ||
	    store_audit(d, who, "match", "program", prog->id, NULL, out->summary, err) < 0 ||
	    db_commit(d, err) < 0) {
		db_rollback(d);
		goto fail;
	}
	return 0;
fail:
	json_decref(out->pairs);
	json_decref(out->summary);
	out->pairs = out->summary = NULL;
	return -1;
}

typedef struct ranked {
	int score;
	size_t mentor;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->mentor < b->mentor ? -1 : a->mentor > b->mentor ? 1 : 0;
}

json_t *match_recommend(db *d, mt_arena *a, const mt_program *prog, const char *today,
			int64_t mentee_membership_id, mt_error *err)
{
	match_pool pool;
	if (match_pool_load(d, a, prog, today, false, &pool, err) < 0)
		return NULL;
	int i = match_pool_find(pool.mentees, pool.n_mentees, mentee_membership_id);
	if (i < 0) {
		mt_conflict(err, "", "this mentee is not waiting for a mentor (already paired, not "
				     "active, or not a mentee of this program)");
		return NULL;
	}
	ranked *r = arena_calloc(a, pool.n_mentors ? pool.n_mentors : 1, sizeof(*r));
	size_t n = 0;
	for (size_t j = 0; j < pool.n_mentors; j++) {
		int s = match_pool_score(&pool, (uint32_t)i, (uint32_t)j);
		if (s >= pool.settings.weights.min_score && s >= 0)
			r[n++] = (ranked){s, j};
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	json_t *list = json_array();
	for (size_t k = 0; k < n && k < (size_t)pool.settings.recommendations; k++) {
		solver_pair sp = {.mentee = (uint32_t)i, .mentor = (uint32_t)r[k].mentor,
				  .score = r[k].score};
		json_array_append_new(list, proposal_json(&pool, a, &sp));
	}
	return list;
}

static void csv_cell(strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

static const char *const components[] = {"skill", "goal_area", "seniority", "department",
					 "location", "language", "wish"};
enum { N_COMPONENTS = sizeof(components) / sizeof(components[0]) };

static void component_points(json_t *reasons, int *points)
{
	memset(points, 0, N_COMPONENTS * sizeof(int));
	size_t i;
	json_t *r;
	json_array_foreach(reasons, i, r) {
		const char *c = json_string_value(json_object_get(r, "component"));
		for (int k = 0; k < N_COMPONENTS; k++)
			if (c && !strcmp(c, components[k]))
				points[k] += (int)json_integer_value(json_object_get(r, "points"));
	}
}

int match_export(db *d, mt_arena *a, const mt_program *prog, const char *today, bool csv,
		 json_t **json_out, char **csv_out, mt_error *err)
{
	match_pool pool;
	if (match_pool_load(d, a, prog, today, false, &pool, err) < 0)
		return -1;
	strbuf sb = STRBUF_INIT;
	json_t *rows = csv ? NULL : json_array();
	if (csv) {
		sb_adds(&sb, "mentee_email,mentor_email,score");
		for (int k = 0; k < N_COMPONENTS; k++)
			sb_addf(&sb, ",%s", components[k]);
		sb_adds(&sb, "\r\n");
	}
	for (size_t i = 0; i < pool.n_mentees; i++) {
		for (size_t j = 0; j < pool.n_mentors; j++) {
			mt_arena tmp;
			arena_init(&tmp);
			json_t *why = match_pool_explain(&pool, &tmp, i, j);
			int score = (int)json_integer_value(json_object_get(why, "score"));
			bool eligible = score >= 0 && score >= pool.settings.weights.min_score;
			if (!eligible) {
				json_decref(why);
				arena_free(&tmp);
				continue;
			}
			int points[N_COMPONENTS];
			component_points(json_object_get(why, "reasons"), points);
			if (csv) {
				csv_cell(&sb, pool.mentees[i].email);
				sb_addc(&sb, ',');
				csv_cell(&sb, pool.mentors[j].email);
				sb_addf(&sb, ",%d", score);
				for (int k = 0; k < N_COMPONENTS; k++)
					sb_addf(&sb, ",%d", points[k]);
				sb_adds(&sb, "\r\n");
			} else {
				json_object_set_new(why, "mentee_email", json_string(pool.mentees[i].email));
				json_object_set_new(why, "mentor_email", json_string(pool.mentors[j].email));
				json_array_append(rows, why);
			}
			json_decref(why);
			arena_free(&tmp);
		}
	}
	if (csv)
		*csv_out = sb_detach(&sb);
	else
		*json_out = rows;
	return 0;
}
