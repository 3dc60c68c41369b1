/*
 * cmd_export.c - `mentortrack export PROGRAM_ID DATASET`: a program's raw
 * data or KPI tables as CSV or XLSX, the same bytes the API serves
 * (GET /api/v1/programs/{id}/export), through report_export().
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/validate.h"
#include "report/export.h"
#include "store/store.h"

static const char usage[] =
	"usage: mentortrack export PROGRAM_ID DATASET [--format csv|xlsx] [--bom]\n"
	"                          [--output FILE] [--from DATE] [--to DATE]\n"
	"                          [--department NAME] [--interval week|month]\n"
	"                          [--db PATH] [--config FILE]\n"
	"\n"
	"Writes a program's data as CSV (the default) or XLSX.  DATASET is one of\n"
	"participants, pairs, sessions, ratings, goals, assessments, alerts; all (every\n"
	"one of them as one XLSX workbook); or kpis (every KPI table).\n"
	"\n"
	"  --format csv|xlsx  the file format (default csv)\n"
	"  --bom              start a CSV with a UTF-8 byte order mark (for Excel)\n"
	"  --output FILE      write to FILE instead of standard output (XLSX is never\n"
	"                     written to a terminal)\n"
	"  --from, --to DATE  kpis: the report's range, both days included (default:\n"
	"                     the program's start or first data, to today)\n"
	"  --department NAME  kpis: only this department\n"
	"  --interval week|month  kpis: the step of time series (default week)\n"
	"\n"
	"Text cells starting with =, +, -, @, tab or CR are written with a leading\n"
	"single quote in CSV so that spreadsheets do not run them as formulas.\n"
	"See docs/exports.md for the columns.\n";

static int write_all(const char *path, const report_file *file, mt_error *err)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return mt_fail(err, 400, "io", "output", "cannot write %s: %s", path,
			       strerror(errno));
	bool ok = fwrite(file->data, 1, file->len, f) == file->len;
	ok = (path ? fclose(f) : fflush(f)) == 0 && ok;
	if (!ok)
		return mt_fail(err, 400, "io", "output", "cannot write %s", path ? path : "stdout");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},	  {"config", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'}, {"bom", no_argument, NULL, 'b'},
		{"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
		{"from", required_argument, NULL, 'F'},	  {"to", required_argument, NULL, 'T'},
		{"department", required_argument, NULL, 'D'},
		{"interval", required_argument, NULL, 'I'},
		{NULL, 0, NULL, 0},
	};
	const char *format = NULL, *output = NULL;
	bool bom = false;
	report_kpi_options kpi = {.personal = true};
	cli_options o;
	int c;
	cli_options_start(&o, usage);
	while ((c = cli_getopt(argc, argv, opts, "ho:", &o)) >= 0) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'b': bom = true; break;
		case 'o': output = optarg; break;
		case 'F': kpi.from = optarg; break;
		case 'T': kpi.to = optarg; break;
		case 'D': kpi.department = optarg; break;
		case 'I': kpi.interval = optarg; break;
		}
	}
	if (c == CLI_STOP)
		return o.exit_code;
	if (argc - optind != 2)
		return cli_usage(usage, "export needs a PROGRAM_ID and a DATASET");
	mt_error err;
	mt_error_clear(&err);
	long program;
	report_export_request req = {.dataset = argv[optind + 1], .bom = bom};
	if (validate_int("PROGRAM_ID", argv[optind], 1, 0x7fffffff, &program, &err) < 0)
		return cli_usage(usage, "%s", err.message);
	req.program_id = program;
	if (!report_export_dataset_known(req.dataset))
		return cli_usage(usage, "unknown dataset '%s'; use one of: %s", req.dataset,
				 report_export_dataset_list());
	if (report_format_parse(format, "format", &req.format, &err) < 0)
		return cli_usage(usage, "%s", err.message);
	if (req.format == REPORT_FORMAT_CSV && !strcmp(req.dataset, "all"))
		return cli_usage(usage, "a CSV file holds one table: choose one dataset, or use "
					"--format xlsx for all of them");
	if (req.format == REPORT_FORMAT_XLSX && !output && isatty(STDOUT_FILENO))
		return cli_usage(usage, "an XLSX file is not for a terminal: use --output FILE");

	mt_config cfg;
	mt_arena a;
	arena_init(&a);
	db *d = NULL;
	report_file file;
	json_t *figures = NULL;
	int rc = EXIT_OK;
	if (cli_config(&cfg, &o, &err) < 0 || !(d = cli_open_db(&cfg, &err)) ||
	    store_program_exists(d, req.program_id, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!strcmp(req.dataset, "kpis") &&
	    !(figures = report_kpis_compute(d, req.program_id, &kpi, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	req.kpis = figures;
	if (report_export(d, &a, &req, &file, &err) < 0 || write_all(output, &file, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (output)
		fprintf(stderr, "wrote %s (%zu bytes)\n", output, file.len);
out:
	json_decref(figures);
	db_close(d);
	arena_free(&a);
	return rc;
}
