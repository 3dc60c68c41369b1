/*
 * import.h - writing a parsed CSV import (domain/csvimport.h) to the store.
 *
 * Shared by `mentortrack import` and the API's CSV POSTs.  All rows are
 * written in one transaction: if any row fails (an unknown manager, an
 * unknown person), every problem is reported as "line N, column C: ..." and
 * nothing is kept.  A dry run does all the work and rolls back, so its
 * counts are exactly what a real run would do.  One audit row records the
 * import with its counts.
 */
#ifndef MT_IMPORT_H
#define MT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/csvimport.h"
#include "lib/strbuf.h"
#include "store/store.h"

typedef struct import_summary {
	size_t rows;
	size_t created;
	size_t updated;
	bool dry_run;
	strbuf problems;   /* one "line N, column C: ..." per line; caller releases */
	size_t n_problems;
} import_summary;

/* Upsert every person by email, then link managers by email (so a manager may
 * appear anywhere in the file). */
int import_people(db *d, const mt_actor *who, const mt_csv_result *rows, bool dry_run,
		  import_summary *sum, mt_error *err);
/* Upsert every membership of program_id; each email must be a known person. */
int import_members(db *d, const mt_actor *who, int64_t program_id, const mt_csv_result *rows,
		   bool dry_run, import_summary *sum, mt_error *err);
/* Summary as JSON: {"rows","created","updated","dry_run"}. */
json_t *import_summary_json(const import_summary *sum);
/* The parse problems of a failed csvimport result, as a 422 whose message lists
 * them all (one per line). */
int import_parse_failed(const mt_csv_result *rows, mt_error *err);

#endif
