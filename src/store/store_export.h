/*
 * store_export.h - the raw data of one program, table by table, for the
 * CSV and XLSX exports (src/report/).
 *
 * Each dataset is one SQL query over one program, written here because the
 * store is the only code that speaks SQL.  A dataset declares its columns
 * (name and type) once; rows are handed to a callback one at a time, so the
 * store never builds the whole result and the caller decides how to keep
 * it.  Column names follow the API's list fields where one exists
 * (GET /programs/{id}/pairs, /sessions, ...), so an export lines up with
 * what the API serves.
 */
#ifndef MT_STORE_EXPORT_H
#define MT_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "store/db.h"

/* What a column holds: text, an integer, a real, a day ("YYYY-MM-DD") or a
 * UTC timestamp ("YYYY-MM-DDTHH:MM:SSZ").  Any value may be NULL. */
typedef enum store_export_type {
	EXPORT_TEXT,
	EXPORT_INTEGER,
	EXPORT_REAL,
	EXPORT_DATE,
	EXPORT_TIMESTAMP,
} store_export_type;

typedef struct store_export_column {
	const char *name;
	store_export_type type;
} store_export_column;

/* One value of a row: `null`, else `i` (integer), `r` (real) or `text`
 * (text, date, timestamp) by the column's type.  `text` is valid only
 * during the callback. */
typedef struct store_export_value {
	bool null;
	int64_t i;
	double r;
	const char *text;
} store_export_value;

/* Called once per row with ncols values; return -1 (err filled) to stop. */
typedef int (*store_export_row_fn)(void *ctx, const store_export_value *values, size_t ncols,
				   mt_error *err);

/* The raw datasets, in the order of a full workbook, NULL-terminated:
 * participants, pairs, sessions, ratings, goals, assessments, alerts. */
extern const char *const store_export_datasets[];

/* The columns of a dataset, or NULL when the name is unknown. */
const store_export_column *store_export_columns(const char *dataset, size_t *ncols);

/* Run the dataset's query for a program, calling `fn` for each row in id
 * order.  Fails with 404 when the dataset is unknown (the program is
 * expected to exist), or with whatever the callback or the database
 * reported. */
int store_export_rows(db *d, int64_t program_id, const char *dataset, store_export_row_fn fn,
		      void *ctx, mt_error *err);

#endif
