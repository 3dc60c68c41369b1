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

static int link_managers(db *d, const mt_csv_result *rows, const int64_t *ids,
			 import_summary *sum, mt_error *err)
{
	db_stmt *st = db_prepare(d, "UPDATE people SET manager_id = $2 WHERE id = $1", err);
	if (!st)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < rows->n_people && rc == 0; i++) {
		const mt_person *p = &rows->people[i];
		if (!p->manager_email || !*p->manager_email)
			continue;
		int64_t manager = store_person_id_by_email(d, p->manager_email, err);
		if (manager < 0) {
			rc = -1;
			break;
		}
		if (manager == 0) {
			problem(sum, rows->lines[i], "manager",
				"manager is not a known person; add them to the file or import them first");
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
	int64_t *ids = calloc(rows->n_people ? rows->n_people : 1, sizeof(*ids));
	if (!ids)
		return mt_internal(err, "out of memory");
	if (db_begin(d, err) < 0) {
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < rows->n_people; i++) {
		mt_person p = rows->people[i];
		p.manager_email = NULL; /* linked in a second pass */
		bool created;
		ids[i] = store_person_upsert(d, &p, &created, err);
		if (ids[i] < 0)
			goto fail;
		created ? sum->created++ : sum->updated++;
	}
	if (link_managers(d, rows, ids, sum, err) < 0)
		goto fail;
	free(ids);
	return finish(d, who, "people", 0, sum, err);
fail:
	free(ids);
	db_rollback(d);
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
