/*
 * store_alert.c - see alert.h.  The facts are loaded in four queries (the
 * memberships with their pair counts, the active pairs with their session
 * days, the low ratings, the overdue goals); the reconciliation walks the
 * rules' conditions and the program's unresolved alerts, both sorted by
 * condition key, like a merge.
 */
#include "store/alert.h"

#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
#include "lib/timeutil.h"

#define ALERT_COLUMNS                                                                       \
	"a.id, a.program_id, a.rule, a.subject_kind, a.subject_id, a.person_id, "            \
	"pe.name AS person_name, a.pair_id, a.condition_key, a.status, a.message, "          \
	"a.details AS details_json, a.raised_at, a.acknowledged_at, a.acknowledged_by, "     \
	"a.acknowledge_note, a.resolved_at, a.resolved_by, a.resolution, a.note"
#define ALERT_FROM "alerts a LEFT JOIN people pe ON pe.id = a.person_id"

/* Day number of a "YYYY-MM-DD..." text, HEALTH_NO_DAY for NULL or junk. */
static int32_t day_of(db_stmt *st, int col)
{
	if (db_col_null(st, col))
		return HEALTH_NO_DAY;
	const char *s = db_col_text(st, col);
	char buf[11];
	int32_t d;
	if (strlen(s) < 10)
		return HEALTH_NO_DAY;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	return validate_date_parse(buf, &d) == 0 ? d : HEALTH_NO_DAY;
}

/* Grow an arena array by one element. */
static void *push(mt_arena *a, void *items, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t next = *cap ? *cap * 2 : 64;
		items = arena_realloc(a, items, *cap * size, next * size);
		*cap = next;
	}
	(*n)++;
	return items;
}

static int load_members(db *d, mt_arena *a, int64_t program_id, const char *today,
			health_facts *f, mt_error *err)
{
	/* Active pair counts and the end of each membership's latest started
	 * pair, per membership, from both sides of the pairs. */
	db_stmt *st = db_prepare(d,
		"WITH sides AS (SELECT mentor_membership_id AS ms, status, started_on, ended_on "
		"FROM pairs WHERE program_id = $1 UNION ALL SELECT mentee_membership_id, status, "
		"started_on, ended_on FROM pairs WHERE program_id = $1), "
		"agg AS (SELECT ms, SUM(status = 'active') AS active, "
		"MAX(CASE WHEN started_on IS NOT NULL THEN ended_on END) AS last_end "
		"FROM sides GROUP BY ms) "
		"SELECT m.id, m.person_id, pe.name, m.role, m.capacity, m.joined_on, "
		"(m.status = 'active' AND m.joined_on <= $2 AND (m.left_on IS NULL OR m.left_on > $2)), "
		"COALESCE(agg.active, 0), agg.last_end "
		"FROM memberships m JOIN people pe ON pe.id = m.person_id "
		"LEFT JOIN agg ON agg.ms = m.id WHERE m.program_id = $1 ORDER BY m.id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, today);
	health_member *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = (health_member){
			.membership_id = db_col_int(st, 0),
			.person_id = db_col_int(st, 1),
			.name = arena_strdup(a, db_col_text(st, 2)),
			.mentor = !strcmp(db_col_text(st, 3), "mentor"),
			.capacity = (int)db_col_int(st, 4),
			.joined_on = day_of(st, 5),
			.active = db_col_int(st, 6) != 0,
			.active_pairs = (int)db_col_int(st, 7),
			.last_pair_end = day_of(st, 8),
		};
		if (items[n - 1].joined_on == HEALTH_NO_DAY)
			items[n - 1].active = false;
	}
	db_finalize(st);
	f->members = items;
	f->n_members = n;
	return rc < 0 ? -1 : 0;
}

static int load_pairs(db *d, mt_arena *a, int64_t program_id, const char *now_iso,
		      health_facts *f, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT pr.id, pr.mentor_person_id, mo.name, pr.mentee_person_id, me.name, "
		"pr.started_on, MAX(s.held_at), "
		"MIN(CASE WHEN s.kind = 'intro' THEN s.held_at END), COUNT(s.id) "
		"FROM pairs pr JOIN people mo ON mo.id = pr.mentor_person_id "
		"JOIN people me ON me.id = pr.mentee_person_id "
		"LEFT JOIN sessions s ON s.pair_id = pr.id AND s.status = 'completed' "
		"AND s.held_at <= $2 "
		"WHERE pr.program_id = $1 AND pr.status = 'active' AND pr.started_on IS NOT NULL "
		"GROUP BY pr.id ORDER BY pr.id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, now_iso);
	health_pair *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int32_t start = day_of(st, 5);
		if (start == HEALTH_NO_DAY)
			continue;
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = (health_pair){
			.id = db_col_int(st, 0),
			.mentor_person_id = db_col_int(st, 1),
			.mentor_name = arena_strdup(a, db_col_text(st, 2)),
			.mentee_person_id = db_col_int(st, 3),
			.mentee_name = arena_strdup(a, db_col_text(st, 4)),
			.started_on = start,
			.last_held = day_of(st, 6),
			.first_intro = day_of(st, 7),
			.held_sessions = (int)db_col_int(st, 8),
		};
	}
	db_finalize(st);
	f->pairs = items;
	f->n_pairs = n;
	return rc < 0 ? -1 : 0;
}

static int load_ratings(db *d, mt_arena *a, int64_t program_id, int low, const char *now_iso,
			health_facts *f, mt_error *err)
{
	/* Only ratings at or below the threshold are candidates; the rule
	 * decides again, so the SQL filter is an optimisation, not the rule. */
	db_stmt *st = db_prepare(d,
		"SELECT ra.id, ra.session_id, ra.pair_id, ra.rater_person_id, pe.name, ra.side, "
		"ra.score, s.held_at FROM ratings ra "
		"JOIN pairs pr ON pr.id = ra.pair_id AND pr.status = 'active' "
		"JOIN sessions s ON s.id = ra.session_id AND s.status = 'completed' "
		"AND s.held_at <= $3 "
		"JOIN people pe ON pe.id = ra.rater_person_id "
		"WHERE ra.program_id = $1 AND ra.score <= $2 ORDER BY ra.id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, low);
	db_bind_text(st, 3, now_iso);
	health_rating *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = (health_rating){
			.id = db_col_int(st, 0),
			.session_id = db_col_int(st, 1),
			.pair_id = db_col_int(st, 2),
			.rater_person_id = db_col_int(st, 3),
			.rater_name = arena_strdup(a, db_col_text(st, 4)),
			.by_mentor = !strcmp(db_col_text(st, 5), "mentor"),
			.score = (int)db_col_int(st, 6),
			.held_on = day_of(st, 7),
		};
	}
	db_finalize(st);
	f->ratings = items;
	f->n_ratings = n;
	return rc < 0 ? -1 : 0;
}

static int load_goals(db *d, mt_arena *a, int64_t program_id, const char *today,
		      health_facts *f, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"SELECT g.id, g.person_id, COALESCE(g.pair_id, 0), pe.name, g.description, "
		"g.target_date FROM goals g "
		"JOIN memberships m ON m.id = g.membership_id AND m.status = 'active' "
		"AND (m.left_on IS NULL OR m.left_on > $2) "
		"JOIN people pe ON pe.id = g.person_id "
		"WHERE g.program_id = $1 AND g.status NOT IN ('achieved', 'dropped') "
		"AND g.target_date IS NOT NULL AND g.target_date < $2 ORDER BY g.id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, today);
	health_goal *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = (health_goal){
			.id = db_col_int(st, 0),
			.person_id = db_col_int(st, 1),
			.pair_id = db_col_int(st, 2),
			.person_name = arena_strdup(a, db_col_text(st, 3)),
			.description = arena_strdup(a, db_col_text(st, 4)),
			.target_date = day_of(st, 5),
		};
	}
	db_finalize(st);
	f->goals = items;
	f->n_goals = n;
	return rc < 0 ? -1 : 0;
}

int store_alert_facts(db *d, mt_arena *a, int64_t program_id, int32_t today,
		      const char *now_iso, health_facts *out, mt_error *err)
{
	/* The low-rating threshold filters ratings; without settings, load up
	 * to the widest threshold allowed (4) and let the rule decide. */
	char day[11];
	validate_date_format(today, day);
	memset(out, 0, sizeof(*out));
	return load_members(d, a, program_id, day, out, err) < 0 ||
			       load_pairs(d, a, program_id, now_iso, out, err) < 0 ||
			       load_ratings(d, a, program_id, 4, now_iso, out, err) < 0 ||
			       load_goals(d, a, program_id, day, out, err) < 0
		       ? -1
		       : 0;
}

/* ---- reconciliation ----------------------------------------------------- */

typedef struct live_alert {
	int64_t id;
	const char *key;
	bool seen;   /* its condition still holds */
} live_alert;

static int by_key(const void *x, const void *y)
{
	return strcmp(((const live_alert *)x)->key, ((const live_alert *)y)->key);
}

/* Alerts of the program matching `where`, sorted by key. */
static int load_keys(db *d, mt_arena *a, int64_t program_id, const char *sql, live_alert **out,
		     size_t *n_out, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	live_alert *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = (live_alert){.id = db_col_int(st, 0),
					    .key = arena_strdup(a, db_col_text(st, 1))};
	}
	db_finalize(st);
	if (n > 1)
		qsort(items, n, sizeof(*items), by_key);
	*out = items;
	*n_out = n;
	return rc < 0 ? -1 : 0;
}

static live_alert *find_key(live_alert *items, size_t n, const char *key)
{
	live_alert probe = {.key = key};
	return n ? bsearch(&probe, items, n, sizeof(*items), by_key) : NULL;
}

static int64_t insert_alert(db *d, int64_t program_id, const health_condition *c,
			    const char *now, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO alerts (program_id, rule, subject_kind, subject_id, person_id, pair_id, "
		"condition_key, status, message, details, raised_at) VALUES ($1, $2, $3, $4, $5, $6, "
		"$7, 'open', $8, $9, $10) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, health_rule_name(c->rule));
	db_bind_text(st, 3, c->subject_kind);
	db_bind_int(st, 4, c->subject_id);
	db_bind_opt_int(st, 5, c->person_id > 0, c->person_id);
	db_bind_opt_int(st, 6, c->pair_id > 0, c->pair_id);
	db_bind_text(st, 7, c->key);
	db_bind_text(st, 8, c->message);
	db_bind_text(st, 9, c->details);
	db_bind_text(st, 10, now);
	int64_t id = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return id;
}

static int exec_id(db *d, const char *sql, int64_t id, const char *now, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	int rc = db_step(st, err);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int count_open(db *d, int64_t program_id, alert_check_result *out, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT rule, COUNT(*) FROM alerts WHERE program_id = $1 "
				    "AND status <> 'resolved' GROUP BY rule", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, program_id);
	int rc;
	out->open_total = 0;
	while ((rc = db_step(st, err)) == DB_ROW) {
		int r = health_rule_from_name(db_col_text(st, 0));
		if (r >= 0)
			out->open_by_rule[r] = db_col_int(st, 1);
		out->open_total += db_col_int(st, 1);
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static json_t *audit_after(const alert_check_result *r)
{
	return json_pack("{s:I, s:I, s:I, s:O, s:O}", "raised", (json_int_t)r->raised, "resolved",
			 (json_int_t)r->resolved, "unblocked", (json_int_t)r->unblocked,
			 "raised_ids", r->raised_ids, "resolved_ids", r->resolved_ids);
}

/* The body of a check, inside the transaction. */
static int reconcile(db *d, mt_arena *a, const mt_actor *who, const mt_program *prog,
		     time_t now, alert_check_result *out, mt_error *err)
{
	health_settings settings;
	health_facts facts;
	health_condition *conds;
	size_t n_conds, n_live, n_blocked;
	live_alert *live, *blocked;
	char now_iso[32];
	time_format_iso(now, now_iso, sizeof(now_iso));
	int32_t today = (int32_t)(now >= 0 ? now / 86400 : (now - 86399) / 86400);

	if (health_settings_parse(prog->settings, &settings, err) < 0 ||
	    store_alert_facts(d, a, prog->id, today, now_iso, &facts, err) < 0)
		return -1;
	health_evaluate(a, &settings, &facts, today, &conds, &n_conds);
	if (load_keys(d, a, prog->id, "SELECT id, condition_key FROM alerts WHERE program_id = $1 "
				      "AND status <> 'resolved'", &live, &n_live, err) < 0 ||
	    load_keys(d, a, prog->id, "SELECT id, condition_key FROM alerts WHERE program_id = $1 "
				      "AND resolution = 'manual' AND cleared_at IS NULL",
		      &blocked, &n_blocked, err) < 0)
		return -1;

	for (size_t i = 0; i < n_conds; i++) {
		live_alert *l = find_key(live, n_live, conds[i].key);
		live_alert *b = find_key(blocked, n_blocked, conds[i].key);
		if (l)
			l->seen = true;
		if (b)
			b->seen = true;
		if (l || b)
			continue;
		int64_t id = insert_alert(d, prog->id, &conds[i], now_iso, err);
		if (id < 0)
			return -1;
		out->raised++;
		json_array_append_new(out->raised_ids, json_integer(id));
		if (json_array_size(out->raised_alerts) < ALERT_NOTIFY_MAX) {
			json_t *o = store_alert_json(d, id, err);
			if (!o)
				return -1;
			json_array_append_new(out->raised_alerts, o);
		}
	}
	for (size_t i = 0; i < n_live; i++) {
		if (live[i].seen)
			continue;
		if (exec_id(d, "UPDATE alerts SET status = 'resolved', resolved_at = $2, "
			       "resolution = 'auto' WHERE id = $1", live[i].id, now_iso, err) < 0)
			return -1;
		out->resolved++;
		json_array_append_new(out->resolved_ids, json_integer(live[i].id));
	}
	for (size_t i = 0; i < n_blocked; i++) {
		if (blocked[i].seen)
			continue;
		if (exec_id(d, "UPDATE alerts SET cleared_at = $2 WHERE id = $1", blocked[i].id,
			    now_iso, err) < 0)
			return -1;
		out->unblocked++;
	}
	if (out->raised || out->resolved || out->unblocked) {
		json_t *after = audit_after(out);
		int rc = store_program_touch(d, prog->id, err) < 0 ||
				 store_audit(d, who, "check", "program_alerts", prog->id, NULL, after,
					     err) < 0
			 ? -1
			 : 0;
		json_decref(after);
		if (rc < 0)
			return -1;
	}
	return count_open(d, prog->id, out, err);
}

int store_alert_check(db *d, mt_arena *a, const mt_actor *who, int64_t program_id, time_t now,
		      alert_check_result *out, mt_error *err)
{
	mt_program prog;
	memset(out, 0, sizeof(*out));
	out->program_id = program_id;
	out->raised_alerts = json_array();
	out->raised_ids = json_array();
	out->resolved_ids = json_array();
	if (db_begin(d, err) < 0)
		return -1;
	if (store_program_get(d, a, program_id, &prog, err) < 0 ||
	    reconcile(d, a, who, &prog, now, out, err) < 0 || db_commit(d, err) < 0) {
		db_rollback(d);
		/* Nothing was written: report nothing. */
		json_array_clear(out->raised_alerts);
		json_array_clear(out->raised_ids);
		json_array_clear(out->resolved_ids);
		out->raised = out->resolved = out->unblocked = 0;
		return -1;
	}
	out->program_name = prog.name;
	return 0;
}

void alert_check_release(alert_check_result *r)
{
	json_decref(r->raised_alerts);
	json_decref(r->raised_ids);
	json_decref(r->resolved_ids);
	r->raised_alerts = r->raised_ids = r->resolved_ids = NULL;
}

json_t *alert_check_json(const alert_check_result *r)
{
	json_t *by_rule = json_object();
	for (int i = 0; i < HEALTH_RULE_COUNT; i++)
		json_object_set_new(by_rule, health_rule_name((health_rule)i),
				    json_integer(r->open_by_rule[i]));
	return json_pack("{s:I, s:s?, s:I, s:I, s:I, s:I, s:o, s:O, s:O}", "program_id",
			 (json_int_t)r->program_id, "program_name", r->program_name, "raised",
			 (json_int_t)r->raised, "resolved", (json_int_t)r->resolved, "unblocked",
			 (json_int_t)r->unblocked, "open_total", (json_int_t)r->open_total,
			 "open_by_rule", by_rule, "raised_ids", r->raised_ids, "resolved_ids",
			 r->resolved_ids);
}

int store_alert_programs(db *d, mt_arena *a, int64_t **ids, size_t *n_out, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM programs WHERE status IN ('open', 'running') "
				    "ORDER BY id", err);
	if (!st)
		return -1;
	int64_t *items = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		items = push(a, items, &n, &cap, sizeof(*items));
		items[n - 1] = db_col_int(st, 0);
	}
	db_finalize(st);
	*ids = items;
	*n_out = n;
	return rc < 0 ? -1 : 0;
}

/* ---- reading and the lifecycle ------------------------------------------ */

json_t *store_alert_json(db *d, int64_t id, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT " ALERT_COLUMNS " FROM " ALERT_FROM " WHERE a.id = $1",
				 err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *o = query_one(st, "alert", err);
	db_finalize(st);
	return o;
}

json_t *store_alert_list(db *d, int64_t program_id, query *q, const char *sort, int64_t limit,
			 int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"raised_at", "a.raised_at"}, {"id", "a.id"}, {"rule", "a.rule"},
		{"status", "a.status"}, {"resolved_at", "a.resolved_at"},
		{"person", "pe.name"}, {NULL, NULL},
	};
	query_and_int(q, "a.program_id = $?", program_id);
	return query_page(d, ALERT_COLUMNS, ALERT_FROM, q, sorts, sort ? sort : "-raised_at",
			  limit, offset, err);
}

int store_alert_program(db *d, int64_t id, int64_t *program_id, mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT program_id FROM alerts WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		*program_id = db_col_int(st, 0);
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

json_t *store_alert_summary(db *d, int64_t program_id, mt_error *err)
{
	static const char *const statuses[] = {"open", "acknowledged", "resolved"};
	json_t *out = json_object();
	json_t *by[3];
	for (int s = 0; s < 3; s++) {
		by[s] = json_object();
		for (int r = 0; r < HEALTH_RULE_COUNT; r++)
			json_object_set_new(by[s], health_rule_name((health_rule)r), json_integer(0));
		json_object_set_new(out, statuses[s], by[s]);
	}
	db_stmt *st = db_prepare(d, "SELECT status, rule, COUNT(*), MAX(raised_at) FROM alerts "
				    "WHERE program_id = $1 GROUP BY status, rule", err);
	if (!st) {
		json_decref(out);
		return NULL;
	}
	db_bind_int(st, 1, program_id);
	int64_t totals[3] = {0, 0, 0};
	char last[32] = "";
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		const char *status = db_col_text(st, 0);
		for (int s = 0; s < 3; s++) {
			if (strcmp(status, statuses[s]))
				continue;
			json_object_set_new(by[s], db_col_text(st, 1), json_integer(db_col_int(st, 2)));
			totals[s] += db_col_int(st, 2);
		}
		if (strcmp(db_col_text(st, 3), last) > 0)
			snprintf(last, sizeof(last), "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	json_object_set_new(out, "program_id", json_integer(program_id));
	json_object_set_new(out, "open_total", json_integer(totals[0]));
	json_object_set_new(out, "acknowledged_total", json_integer(totals[1]));
	json_object_set_new(out, "resolved_total", json_integer(totals[2]));
	json_object_set_new(out, "last_raised_at", last[0] ? json_string(last) : json_null());
	return out;
}

/* The alert's status and program, 404 when absent. */
static int alert_state(db *d, int64_t id, char *status, size_t n, int64_t *program_id,
		       mt_error *err)
{
	db_stmt *st = db_prepare(d, "SELECT status, program_id FROM alerts WHERE id = $1", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	if (rc == DB_ROW) {
		snprintf(status, n, "%s", db_col_text(st, 0));
		*program_id = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		mt_not_found(err, "alert %lld not found", (long long)id);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int set_state(db *d, const char *sql, int64_t id, int64_t user_id, const char *note,
		     int64_t program_id, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, now);
	db_bind_opt_int(st, 3, user_id > 0, user_id);
	db_bind_text(st, 4, note);
	int rc = db_step(st, err);
	db_finalize(st);
	return rc < 0 ? -1 : store_program_touch(d, program_id, err);
}

int store_alert_acknowledge(db *d, int64_t id, int64_t user_id, const char *note,
			    mt_error *err)
{
	char status[16];
	int64_t program_id;
	if (alert_state(d, id, status, sizeof(status), &program_id, err) < 0)
		return -1;
	if (strcmp(status, "open"))
		return mt_conflict(err, "status", "alert %lld is %s; only an open alert can be "
				   "acknowledged", (long long)id, status);
	return set_state(d, "UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, "
			    "acknowledged_by = $3, acknowledge_note = $4 WHERE id = $1",
			 id, user_id, note, program_id, err);
}

int store_alert_resolve(db *d, int64_t id, int64_t user_id, const char *note, mt_error *err)
{
	char status[16];
	int64_t program_id;
	if (alert_state(d, id, status, sizeof(status), &program_id, err) < 0)
		return -1;
	if (!strcmp(status, "resolved"))
		return mt_conflict(err, "status", "alert %lld is already resolved", (long long)id);
	return set_state(d, "UPDATE alerts SET status = 'resolved', resolved_at = $2, "
			    "resolved_by = $3, note = $4, resolution = 'manual' WHERE id = $1",
			 id, user_id, note, program_id, err);
}

/* ---- deliveries ------------------------------------------------------------ */

int64_t store_alert_delivery_add(db *d, const alert_delivery *x, mt_error *err)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO notification_deliveries (program_id, channel, target, alert_ids, status, "
		"attempts, response_code, error, created_at, finished_at) VALUES ($1, $2, $3, $4, $5, "
		"$6, $7, $8, $9, $10) RETURNING id", err);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->program_id);
	db_bind_text(st, 2, x->channel);
	db_bind_text(st, 3, x->target);
	db_bind_text(st, 4, x->alert_ids ? x->alert_ids : "[]");
	db_bind_text(st, 5, x->delivered ? "delivered" : "failed");
	db_bind_int(st, 6, x->attempts);
	db_bind_opt_int(st, 7, x->response_code > 0, x->response_code);
	db_bind_text(st, 8, x->error);
	db_bind_text(st, 9, x->created_at);
	db_bind_text(st, 10, x->finished_at);
	int64_t id = db_step(st, err) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return id;
}

json_t *store_alert_delivery_list(db *d, int64_t program_id, query *q, const char *sort,
				  int64_t limit, int64_t offset, mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "n.id"}, {"channel", "n.channel"}, {"status", "n.status"}, {NULL, NULL},
	};
	query_and_int(q, "n.program_id = $?", program_id);
	return query_page(d,
			  "n.id, n.program_id, n.channel, n.target, n.alert_ids AS alert_ids_json, "
			  "n.status, n.attempts, n.response_code, n.error, n.created_at, "
			  "n.finished_at",
			  "notification_deliveries n", q, sorts, sort ? sort : "-id", limit, offset,
			  err);
}
