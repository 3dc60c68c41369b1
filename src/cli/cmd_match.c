/*
 * cmd_match.c - `mentortrack match PROGRAM`: compute the optimal proposal
 * for a program from the command line, the same way the API does.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/validate.h"
#include "lib/timeutil.h"
#include "store/match.h"

static const char usage[] =
	"usage: mentortrack match PROGRAM_ID [--dry-run] [--json] [--db PATH] [--config FILE]\n"
	"\n"
	"Proposes the pairs that maximise the program's total compatibility score under\n"
	"mentor capacities, with an optimality certificate.  Unlocked proposals from an\n"
	"earlier run are replaced; locked ones stay.  --dry-run shows the proposal and\n"
	"stores nothing; --json prints the summary and every pair with its reasons.\n";

static void print_table(json_t *summary, json_t *pairs)
{
	size_t i;
	json_t *p;
	printf("%-28s %-28s %5s  %s\n", "MENTEE", "MENTOR", "SCORE", "TOP REASON");
	json_array_foreach(pairs, i, p) {
		json_t *first = json_array_get(json_object_get(p, "reasons"), 0);
		printf("%-28.28s %-28.28s %5lld  %s%s\n",
		       json_string_value(json_object_get(p, "mentee_name")),
		       json_string_value(json_object_get(p, "mentor_name")),
		       (long long)json_integer_value(json_object_get(p, "score")),
		       first ? json_string_value(json_object_get(first, "text")) : "",
		       json_is_true(json_object_get(p, "locked")) ? " (locked)" : "");
	}
	json_t *ms = json_object_get(summary, "ms");
	printf("\n%lld pairs proposed for %lld waiting mentees (%lld free seats); total score %lld.\n"
	       "%s: %s.\nloaded in %.0f ms, solved in %.0f ms, certified in %.0f ms.\n",
	       (long long)json_integer_value(json_object_get(summary, "proposed")),
	       (long long)json_integer_value(json_object_get(summary, "mentees_waiting")),
	       (long long)json_integer_value(json_object_get(summary, "free_seats")),
	       (long long)json_integer_value(json_object_get(summary, "total_score")),
	       json_is_true(json_object_get(summary, "certified")) ? "Optimal" : "NOT CERTIFIED",
	       json_string_value(json_object_get(summary, "certificate")),
	       json_real_value(json_object_get(ms, "load")),
	       json_real_value(json_object_get(ms, "solve")),
	       json_real_value(json_object_get(ms, "certify")));
	if (json_is_true(json_object_get(summary, "dry_run")))
		printf("Dry run: nothing was stored.\n");
}

int cmd_match(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
		{"dry-run", no_argument, NULL, 'n'},  {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
	};
	bool dry_run = false, as_json = false;
	cli_options o;
	int c;
	cli_options_start(&o, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &o)) >= 0) {
		switch (c) {
		case 'n': dry_run = true; break;
		case 'j': as_json = true; break;
		}
	}
	if (c == CLI_STOP)
		return o.exit_code;
	if (argc - optind != 1)
		return cli_usage(usage, "match needs exactly one PROGRAM_ID");
	mt_error err;
	mt_error_clear(&err);
	long program;
	if (validate_int("PROGRAM_ID", argv[optind], 1, 0x7fffffff, &program, &err) < 0)
		return cli_usage(usage, "%s", err.message);
	mt_config cfg;
	mt_arena a;
	arena_init(&a);
	db *d = NULL;
	mt_program prog;
	match_run_result res = {0};
	char today[16];
	time_today(today, sizeof(today));
	mt_actor who = {.name = "cli"};
	int rc = EXIT_OK;
	if (cli_config(&cfg, &o, &err) < 0 || !(d = cli_open_db(&cfg, &err)) ||
	    store_program_get(d, &a, program, &prog, &err) < 0 ||
	    match_run(d, &a, &who, &prog, today, dry_run, &res, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (as_json) {
		json_t *out = json_pack("{s:O, s:O}", "summary", res.summary, "pairs", res.pairs);
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	} else {
		print_table(res.summary, res.pairs);
	}
out:
	json_decref(res.summary);
	json_decref(res.pairs);
	db_close(d);
	arena_free(&a);
	return rc;
}
