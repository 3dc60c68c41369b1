/*
 * h_exports.c - GET /api/v1/programs/{id}/export: a program's raw data or
 * its KPI tables as CSV or XLSX (issue 5).  The work is report_export(),
 * which `mentortrack export` calls too.
 *
 * Query: dataset (required: participants, pairs, sessions, ratings, goals,
 * assessments, alerts, all, kpis), format (csv | xlsx, default csv), bom
 * (CSV: start with a UTF-8 byte order mark); for kpis also from, to
 * (the report's range), department and interval (week | month).  The
 * route's rule
 * (ACCESS_PROGRAM_READER) lets admins, the program's managers and viewers
 * in; viewers do not see every row (sees_all false) and may take only the
 * aggregates, dataset=kpis.
 */
#include <string.h>

#include "http/handlers.h"
#include "report/export.h"

/* The KPI figures of the program for dataset=kpis, over ?from, to,
 * department and interval; names and comments only for those who see
 * every row (not viewers). */
static json_t *compute_kpis(mt_req *r, mt_error *err)
{
	report_kpi_options o = {
		.from = req_query(r, "from"),
		.to = req_query(r, "to"),
		.department = req_query(r, "department"),
		.interval = req_query(r, "interval"),
		.personal = r->sees_all,
	};
	return report_kpis_compute(r->db, r->ids[0], &o, err);
}

int h_exports_get(mt_req *r, mt_error *err)
{
	report_export_request req = {.program_id = r->ids[0], .dataset = req_query(r, "dataset")};
	if (!req.dataset || !*req.dataset)
		return mt_bad_request(err, "dataset", "dataset is required: one of %s",
				      report_export_dataset_list());
	if (!report_export_dataset_known(req.dataset))
		return mt_bad_request(err, "dataset", "unknown dataset \"%s\"; use one of: %s",
				      req.dataset, report_export_dataset_list());
	if (report_format_parse(req_query(r, "format"), "format", &req.format, err) < 0 ||
	    req_flag(r, "bom", &req.bom, err) < 0)
		return -1;
	bool kpis = !strcmp(req.dataset, "kpis");
	/* Raw rows name people: only those who see every row of the program. */
	if (!kpis && !r->sees_all)
		return mt_forbidden(err, "your role may export only the aggregates (dataset=kpis), "
					 "not the rows of %s",
				    req.dataset);
	json_t *figures = NULL;
	if (kpis && !(figures = compute_kpis(r, err)))
		return -1;
	req.kpis = figures;
	report_file file;
	int rc = report_export(r->db, &r->arena, &req, &file, err);
	json_decref(figures);
	if (rc < 0)
		return -1;
	r->raw = file.data;
	r->raw_len = file.len;
	r->content_type = file.content_type;
	r->disposition = arena_printf(&r->arena, "attachment; filename=\"%s\"", file.filename);
	r->status = 200;
	return 0;
}
