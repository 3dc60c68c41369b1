/* import.c - see import.h. */
#include "store/import.h"

#include <stdlib.h>
#include <string.h>

static void problem(import_summary *sum, size_t line, const char *column, const char *msg)
{
	sb_addf(&sum->problems, "line %zu, column %s: %s\n", line, column, msg);
	sum->n_problems++;
}

static int finish(db *d, const mt_actor *who, const char *entity, int64_t entity_id,
		  import_summary *sum, mt_error *err)
{
	if (sum->n_problems) {
		db_rollback(d);
		return mt_fail(err, 422, "invalid_csv", "",
			       "%zu problem%s in the CSV file; nothing was imported:\n%s",
			       sum->n_problems, sum->n_problems == 1 ? "" : "s",
			       sb_str(&sum->problems));
	}
	json_t *after = import_summary_json(sum);
	int rc = store_audit(d, who, "import", entity, entity_id, NULL, after, err);
	json_decref(after);
	if (rc < 0) {
		db_rollback(d);
		return -1;
	}
	if (sum->dry_run) {
		db_rollback(d);
		return 0;
	}
	return db_commit(d, err);
}

/*
 * Emails of the rows written so far, to link managers without a query:
 * HR exports list managers before their reports, so nearly every manager
 * is found here; the rest are looked up, or linked after all rows exist.
 */
typedef struct email_map {
	const char **keys;
	int64_t *ids;
	size_t cap, count;
	mt_arena keep;   /* copies of the emails read from the database */
} email_map;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void map_init(email_map *m, size_t n)
{
	m->cap = 16;
	m->count = 0;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->ids = calloc(m->cap, sizeof(*m->ids));
	arena_init(&m->keep);
}

static void map_free(email_map *m)
{
	free(m->keys);
	free(m->ids);
	arena_free(&m->keep);
}

static size_t map_slot(const email_map *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int64_t map_get(const email_map *m, const char *key)
{
	size_t i = map_slot(m, key);
	return m->keys[i] ? m->ids[i] : 0;
}

static void map_grow(email_map *m);

static void map_put(email_map *m, const char *key, int64_t id)
{
	size_t i = map_slot(m, key);
	if (!m->keys[i])
		m->count++;
	m->keys[i] = key;
	m->ids[i] = id;
	if (m->count * 2 > m->cap)
		map_grow(m);
}

static void map_grow(email_map *m)
{
	email_map bigger = *m;
	bigger.cap = m->cap * 2;
	bigger.count = 0;
	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.ids = calloc(bigger.cap, sizeof(*bigger.ids));
	if (!bigger.keys || !bigger.ids)
		abort();
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			map_put(&bigger, m->keys[i], m->ids[i]);
	free(m->keys);
	free(m->ids);
	m->keys = bigger.keys;
	m->ids = bigger.ids;
	m->cap = bigger.cap;
	m->count = bigger.count;
}

static void map_add_existing(void *ctx, int64_t id, const char *email)
{
	email_map *m = ctx;
	map_put(m, arena_strdup(&m->keep, email), id);
}

/* Second pass for managers that appear later in the file than their reports. */
static int link_late_managers(db *d, const mt_csv_result *rows, const int64_t *ids,
			      const bool *pending, const email_map *seen, import_summary *sum,
			      mt_error *err)
{
	db_stmt *st = db_prepare(d, "UPDATE people SET manager_id = $2 WHERE id = $1", err);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < rows->n_people && rc == 0; i++) {
		if (!pending[i])
			continue;
		int64_t manager = map_get(seen, rows->people[i].manager_email);
		if (manager == 0) {
			problem(sum, rows->lines[i], "manager",
				"manager is not a known person; add them to the file or import them first");
			continue;
		}
		if (manager == ids[i]) {
			problem(sum, rows->lines[i], "manager", "a person cannot be their own manager");
			continue;
		}
		db_reset(st);
		db_bind_int(st, 1, ids[i]);
		db_bind_int(st, 2, manager);
		rc = db_step(st, err) < 0 ? -1 : 0;
	}
	db_finalize(st);
	return rc;
}

int import_people(db *d, const mt_actor *who, const mt_csv_result *rows, bool dry_run,
		  import_summary *sum, mt_error *err)
{
	memset(sum, 0, sizeof(*sum));
	sum->dry_run = dry_run;
	sum->rows = rows->n_people;
	size_t n = rows->n_people;
	int64_t *ids = calloc(n ? n : 1, sizeof(*ids)), before = 0, after = 0;
	bool *pending = calloc(n ? n : 1, sizeof(*pending));
	email_map seen;
	map_init(&seen, n);
	if (!ids || !pending || !seen.keys || !seen.ids) {
		mt_internal(err, "out of memory");
		goto fail_notx;
	}
	if (db_begin(d, err) < 0)
		goto fail_notx;
	/* Every known email up front: then no row needs a query to know whether
	 * it is new or who its manager is. */
	if (db_query_int(d, "SELECT COUNT(*) FROM people", &before, 0, err) < 0 ||
	    store_person_each_email(d, map_add_existing, &seen, err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		mt_person p = rows->people[i];
		p.manager_id = 0;
		if (p.manager_email && *p.manager_email) {
			p.manager_id = map_get(&seen, p.manager_email);
			pending[i] = p.manager_id == 0;
		}
		p.manager_email = NULL;
		p.id = map_get(&seen, p.email);
		if (p.id && p.manager_id == p.id) {
			pending[i] = true; /* reported as "own manager" below */
			p.manager_id = 0;
		}
		if (p.id)
			ids[i] = store_person_update_columns(d, &p, rows->person_columns, err) < 0
					 ? -1 : p.id;
		else
			ids[i] = store_person_insert(d, &p, err);
		if (ids[i] < 0)
			goto fail;
		map_put(&seen, rows->people[i].email, ids[i]);
	}
	if (link_late_managers(d, rows, ids, pending, &seen, sum, err) < 0 ||
	    store_program_touch_all(d, err) < 0 ||
	    db_query_int(d, "SELECT COUNT(*) FROM people", &after, 0, err) < 0)
		goto fail;
	/* Emails are unique in a valid file, so new rows are exactly the growth. */
	sum->created = (size_t)(after - before);
	sum->updated = n - sum->created;
	free(ids);
	free(pending);
	map_free(&seen);
	return finish(d, who, "people", 0, sum, err);
fail:
	db_rollback(d);
fail_notx:
	free(ids);
	free(pending);
	map_free(&seen);
	return -1;
}

int import_members(db *d, const mt_actor *who, int64_t program_id, const mt_csv_result *rows,
		   bool dry_run, import_summary *sum, mt_error *err)
{
	memset(sum, 0, sizeof(*sum));
	sum->dry_run = dry_run;
	sum->rows = rows->n_members;
	if (db_begin(d, err) < 0)
		return -1;
	for (size_t i = 0; i < rows->n_members; i++) {
		mt_membership m = rows->members[i];
		int64_t person = store_person_id_by_email(d, m.email, err);
		if (person < 0)
			goto fail;
		if (person == 0) {
			problem(sum, rows->lines[i], "email",
				"no person has this email; import people first");
			continue;
		}
		m.person_id = person;
		m.program_id = program_id;
		bool created;
		if (store_membership_upsert(d, &m, &created, err) < 0)
			goto fail;
		created ? sum->created++ : sum->updated++;
	}
	return finish(d, who, "program", program_id, sum, err);
fail:
	db_rollback(d);
	return -1;
}

json_t *import_summary_json(const import_summary *sum)
{
	return json_pack("{s:I, s:I, s:I, s:b}", "rows", (json_int_t)sum->rows, "created",
			 (json_int_t)sum->created, "updated", (json_int_t)sum->updated, "dry_run",
			 sum->dry_run);
}

int import_parse_failed(const mt_csv_result *rows, mt_error *err)
{
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < rows->n_errors; i++)
		sb_addf(&sb, "%s\n", rows->errors[i]);
	mt_fail(err, 422, "invalid_csv", "", "%zu problem%s in the CSV file; nothing was "
					     "imported:\n%s", rows->n_errors,
		rows->n_errors == 1 ? "" : "s", sb_str(&sb));
	sb_release(&sb);
	return -1;
}
