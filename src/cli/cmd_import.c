/*
 * cmd_import.c - `mentortrack import people|members FILE.csv`.
 *
 * All or nothing: every problem in the file is printed as
 * "line N, column C: what is wrong" and nothing is imported (exit 1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/csvimport.h"
#include "domain/questionnaire.h"
#include "domain/validate.h"
#include "lib/strbuf.h"
#include "store/import.h"

static const char usage[] =
	"usage: mentortrack import people FILE.csv [--dry-run] [--db PATH] [--config FILE]\n"
	"       mentortrack import members FILE.csv --program ID [--dry-run] [--db PATH]\n"
	"\n"
	"Imports an HR export (UTF-8 with or without BOM, CRLF or LF, quoted fields).\n"
	"People are matched by email: re-importing updates instead of duplicating.\n"
	"--dry-run reports what would change and changes nothing.  Columns and their\n"
	"accepted names: docs/csv-import.md.\n";

static int read_file(const char *path, strbuf *sb, mt_error *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return mt_invalid(err, "file", "cannot open %s: %s", path, strerror(errno));
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad)
		return mt_invalid(err, "file", "cannot read %s", path);
	return 0;
}

static void print_lines(const char *const *lines, size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%s\n", prefix, lines[i]);
}

static int run(db *d, bool members, int64_t program, const strbuf *file, bool dry_run,
	       mt_error *err)
{
	mt_arena a;
	arena_init(&a);
	mt_csv_result rows;
	mt_questionnaire q = {0};
	mt_program prog;
	import_summary sum = {0};
	int rc = -1;
	double t0 = cli_ms();
	if (members && (store_program_get(d, &a, program, &prog, err) < 0 ||
			questionnaire_parse(&a, prog.questionnaire, &q, err) < 0))
		goto out;
	int parsed = members ? csvimport_members(&a, sb_str(file), file->len, &q, &rows)
			     : csvimport_people(&a, sb_str(file), file->len, &rows);
	print_lines(rows.warnings, rows.n_warnings, "warning: ");
	if (parsed < 0) {
		print_lines(rows.errors, rows.n_errors, "");
		mt_invalid(err, "", "%zu problem%s in the file; nothing was imported", rows.n_errors,
			   rows.n_errors == 1 ? "" : "s");
		goto out;
	}
	double t1 = cli_ms();
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "parsed %zu rows in %.0f ms, writing...\n",
			members ? rows.n_members : rows.n_people, t1 - t0);
	mt_actor who = {.name = "cli"};
	rc = members ? import_members(d, &who, program, &rows, dry_run, &sum, err)
		     : import_people(d, &who, &rows, dry_run, &sum, err);
	if (rc < 0) {
		if (sum.n_problems) {
			fputs(sb_str(&sum.problems), stderr);
			mt_invalid(err, "", "%zu problem%s in the file; nothing was imported",
				   sum.n_problems, sum.n_problems == 1 ? "" : "s");
		}
		goto out;
	}
	printf("%s%zu rows: %zu created, %zu updated (%.0f ms)\n",
	       dry_run ? "dry run, nothing changed: " : "imported ", sum.rows, sum.created,
	       sum.updated, cli_ms() - t0);
out:
	sb_release(&sum.problems);
	arena_free(&a);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"config", required_argument, NULL, 'c'},
		{"program", required_argument, NULL, 'p'}, {"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *program_arg = NULL;
	bool dry_run = false;
	cli_options o;
	int c;
	cli_options_start(&o, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &o)) >= 0) {
		switch (c) {
		case 'p': program_arg = optarg; break;
		case 'n': dry_run = true; break;
		}
	}
	if (c == CLI_STOP)
		return o.exit_code;
	if (argc - optind != 2)
		return cli_usage(usage, "import needs a kind (people or members) and a FILE");
	const char *kind = argv[optind], *path = argv[optind + 1];
	bool members = !strcmp(kind, "members") || !strcmp(kind, "memberships");
	if (!members && strcmp(kind, "people"))
		return cli_usage(usage, "unknown import kind '%s'; use people or members", kind);
	long program = 0;
	mt_error err;
	mt_error_clear(&err);
	if (members && !program_arg)
		return cli_usage(usage, "import members needs --program ID");
	if (program_arg && validate_int("program", program_arg, 1, 0x7fffffff, &program, &err) < 0)
		return cli_usage(usage, "%s", err.message);

	mt_config cfg;
	strbuf file = STRBUF_INIT;
	db *d = NULL;
	int rc = EXIT_OK;
	if (cli_config(&cfg, &o, &err) < 0 || read_file(path, &file, &err) < 0 ||
	    !(d = cli_open_db(&cfg, &err)) ||
	    run(d, members, program, &file, dry_run, &err) < 0)
		rc = cli_fail(&err);
	db_close(d);
	sb_release(&file);
	return rc;
}
