/*
 * export.c - turning an export request into a file: gather the tables
 * (raw datasets from the store, or KPI tables from KPI JSON), then write
 * them as CSV or XLSX.
 */
#include "report/export.h"

#include <string.h>

#include "lib/strbuf.h"
#include "report/csv.h"
#include "report/table.h"
#include "report/xlsx.h"
#include "store/store_export.h"

static const char dataset_list[] =
	"participants, pairs, sessions, ratings, goals, assessments, alerts, all, kpis";

const char *report_export_dataset_list(void)
{
	return dataset_list;
}

bool report_export_dataset_known(const char *dataset)
{
	return dataset && (report_is_dataset(dataset) || !strcmp(dataset, "all") ||
			   !strcmp(dataset, "kpis"));
}

int report_format_parse(const char *s, const char *field, report_format *out, mt_error *err)
{
	if (!s || !strcmp(s, "csv"))
		*out = REPORT_FORMAT_CSV;
	else if (!strcmp(s, "xlsx"))
		*out = REPORT_FORMAT_XLSX;
	else
		return mt_bad_request(err, field, "format must be csv or xlsx, not \"%s\"", s);
	return 0;
}

static int gather(db *d, mt_arena *a, const report_export_request *req, report_book *book,
		  mt_error *err)
{
	if (!strcmp(req->dataset, "kpis")) {
		if (!req->kpis)
			return mt_internal(err, "KPI figures were not computed");
		return report_tables_from_kpis(book, req->kpis, err);
	}
	for (const char *const *name = store_export_datasets; *name; name++) {
		if (strcmp(req->dataset, "all") && strcmp(req->dataset, *name))
			continue;
		report_table *t = report_dataset_table(d, a, req->program_id, *name, err);
		if (!t)
			return -1;
		report_book_add(book, t);
	}
	return 0;
}

int report_export(db *d, mt_arena *a, const report_export_request *req, report_file *out,
		  mt_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!report_export_dataset_known(req->dataset))
		return mt_bad_request(err, "dataset", "unknown dataset \"%s\"; use one of: %s",
				      req->dataset ? req->dataset : "", dataset_list);
	bool csv = req->format == REPORT_FORMAT_CSV;
	if (csv && !strcmp(req->dataset, "all"))
		return mt_bad_request(err, "dataset",
				      "a CSV file holds one table: choose one dataset, or ask for "
				      "format xlsx to get every table in one workbook");
	report_book book;
	report_book_init(&book, a);
	if (gather(d, a, req, &book, err) < 0)
		return -1;
	out->filename = arena_printf(a, "program-%lld-%s.%s", (long long)req->program_id,
				     req->dataset, csv ? "csv" : "xlsx");
	if (!csv) {
		out->content_type =
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		return report_xlsx_write(&book, a, &out->data, &out->len, err);
	}
	strbuf sb = STRBUF_INIT;
	/* One raw dataset is one plain table; KPI tables are always sections. */
	if (book.n == 1 && strcmp(req->dataset, "kpis"))
		report_csv_write(&sb, book.tables[0], req->bom);
	else
		report_csv_write_book(&sb, &book, req->bom);
	out->content_type = "text/csv; charset=utf-8";
	out->len = sb.len;
	out->data = arena_strndup(a, sb_str(&sb), sb.len);
	sb_release(&sb);
	return 0;
}
