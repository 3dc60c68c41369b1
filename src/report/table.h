/*
 * table.h - the tabular model every export is written from.
 *
 * An export is a book of tables; a table is named columns and rows of
 * typed cells.  The CSV writer (csv.h) writes one table, the XLSX writer
 * (xlsx.h) one worksheet per table.  Keeping this model between the data
 * and the file formats means a figure is turned into text (or into a
 * spreadsheet number or date) in exactly one place per format, whatever it
 * came from: a raw dataset of the store (store/store_export.h) or a KPI's
 * JSON figures (domain/kpi.h).
 *
 * Types are per cell, with a declared type per column: a column of a raw
 * dataset holds one type (or empty cells), while a KPI's figure/value table
 * mixes numbers and text in its value column (declared REPORT_TEXT).  A
 * writer formats each cell by its own type, so a number is never treated
 * as text (and never escaped as a would-be formula).
 *
 * Everything (tables, cells, copied strings) lives in the caller's arena;
 * nothing is freed separately.
 */
#ifndef MT_REPORT_TABLE_H
#define MT_REPORT_TABLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "store/db.h"

typedef enum report_type {
	REPORT_NULL = 0,   /* an empty cell */
	REPORT_TEXT,
	REPORT_INTEGER,
	REPORT_REAL,
	REPORT_DATE,       /* s is "YYYY-MM-DD" */
	REPORT_TIMESTAMP,  /* s is "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
} report_type;

typedef struct report_cell {
	union {
		int64_t i;
		double r;
		const char *s;   /* text, date, timestamp; owned by the table's arena */
	};
	report_type type;
} report_cell;

typedef struct report_column {
	const char *name;
	report_type type;    /* declared type; REPORT_TEXT for mixed columns */
} report_column;

typedef struct report_table {
	mt_arena *arena;
	const char *name;    /* "pairs", "R1", "P5 series"; sheet names derive from it */
	report_column *cols;
	size_t ncols, cap_cols;
	report_cell *cells;  /* row-major, nrows * ncols */
	size_t nrows, cap_rows;
} report_table;

/* An ordered list of tables (one workbook). */
typedef struct report_book {
	mt_arena *arena;
	report_table **tables;
	size_t n, cap;
} report_book;

/* ---- building ----------------------------------------------------------- */

/* A new empty table in `a` (name copied). */
report_table *report_table_new(mt_arena *a, const char *name);
/* Add a column (name copied); only before the first row.  Returns its index. */
size_t report_table_add_column(report_table *t, const char *name, report_type type);
/* Append a row of ncols empty cells and return it, to be filled in place
 * with the report_cell_* setters. */
report_cell *report_table_add_row(report_table *t);
/* The cell at (row, col); both must be in range. */
const report_cell *report_table_cell(const report_table *t, size_t row, size_t col);

void report_cell_null(report_cell *c);
void report_cell_int(report_cell *c, int64_t v);
void report_cell_real(report_cell *c, double v);
/* Text-like cells copy `s` into the table's arena; NULL gives an empty cell. */
void report_cell_text(report_table *t, report_cell *c, report_type type, const char *s);

void report_book_init(report_book *b, mt_arena *a);
void report_book_add(report_book *b, report_table *t);

/* ---- filling ------------------------------------------------------------ */

/* Is `name` one of the raw datasets (participants, pairs, sessions,
 * ratings, goals, assessments, alerts)? */
bool report_is_dataset(const char *name);

/* One raw dataset of a program as a table named after it, through the
 * store's query (store_export_rows).  NULL with err on failure (404 for an
 * unknown dataset). */
report_table *report_dataset_table(db *d, mt_arena *a, int64_t program_id, const char *dataset,
				   mt_error *err);

/*
 * Turn KPI JSON into tables, appended to `book`.  `kpis` is an object keyed
 * by KPI id ("R1", "P5", ...), each value an object of figures, as
 * kpi_compute() returns it.  For each KPI:
 *  - its scalars, and the scalars of nested objects (named with dots:
 *    "utilisation.value"), form one two-column table "figure"/"value" named
 *    after the KPI ("R2");
 *  - each array, at any depth, becomes its own table named "<KPI> <path>"
 *    ("P5 series"): an array of objects has the union of their keys as
 *    columns (nested objects flattened with dots, nested arrays as JSON
 *    text), an array of scalars one column "value".
 * Strings that are a date or a timestamp become date cells.  Anything that
 * is not an object of objects fails with 500.
 */
int report_tables_from_kpis(report_book *book, const json_t *kpis, mt_error *err);

/* The cell a JSON scalar becomes (see above); objects and arrays become
 * their JSON text. */
void report_cell_from_json(report_table *t, report_cell *c, const json_t *v);

/* Is s exactly "YYYY-MM-DD" / "YYYY-MM-DDTHH:MM:SSZ" (digits checked)? */
bool report_is_date(const char *s);
bool report_is_timestamp(const char *s);

#endif
