/*
 * export.h - one export, as the API and `mentortrack export` ask for it:
 * which program, which data, which format.  Both callers go through
 * report_export(), so the same request gives the same bytes either way.
 *
 * Datasets: each raw table of the store (participants, pairs, sessions,
 * ratings, goals, assessments, alerts); "all", every raw table as one
 * workbook (XLSX only: a CSV holds one table); "kpis", every KPI table
 * (the caller computes the KPI JSON and passes it in).  docs/exports.md
 * lists the columns.
 */
#ifndef MT_REPORT_EXPORT_H
#define MT_REPORT_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "store/db.h"

typedef enum report_format { REPORT_FORMAT_CSV, REPORT_FORMAT_XLSX } report_format;

typedef struct report_export_request {
	int64_t program_id;      /* must exist */
	const char *dataset;     /* a raw dataset, "all" or "kpis" */
	report_format format;
	bool bom;                /* CSV: start with a UTF-8 byte order mark */
	const json_t *kpis;      /* "kpis": kpi_compute()'s object (borrowed) */
} report_export_request;

typedef struct report_file {
	const char *data;        /* in the arena; not NUL-terminated for XLSX */
	size_t len;
	const char *content_type;
	const char *filename;    /* "program-3-pairs.csv" */
} report_file;

/* "csv" / "xlsx" (NULL gives CSV); 400 naming `field` otherwise. */
int report_format_parse(const char *s, const char *field, report_format *out, mt_error *err);

/* Is `dataset` one report_export() accepts?  (raw names, "all", "kpis") */
bool report_export_dataset_known(const char *dataset);
/* "participants, pairs, ..., all, kpis", for messages and --help. */
const char *report_export_dataset_list(void);

/* The range and filters of a KPI export, as the caller received them
 * (text, validated here).  NULL fields take their defaults. */
typedef struct report_kpi_options {
	const char *from;        /* "YYYY-MM-DD"; default the program's start date,
				    else its first data (as the metrics API) */
	const char *to;          /* default today in the program's time zone */
	const char *department;  /* only this department; default all */
	const char *interval;    /* "week" (default) or "month", for series */
	bool personal;           /* include names and comments (false for viewers) */
} report_kpi_options;

/* Every KPI of a program as kpi_compute() returns it, for dataset=kpis:
 * loads the program's snapshot (store/snapshot.h) and computes over the
 * range.  The caller owns the result.  400 naming the field for a bad date
 * or interval, 422 "from" when from > to, 404 for an unknown program. */
json_t *report_kpis_compute(db *d, int64_t program_id, const report_kpi_options *o,
			    mt_error *err);

/* Build and render the export into `out` (everything in `a`).  Fails with
 * 400 (field "dataset") for an unknown dataset or "all" as CSV, and with
 * the store's or the writer's errors. */
int report_export(db *d, mt_arena *a, const report_export_request *req, report_file *out,
		  mt_error *err);

#endif
