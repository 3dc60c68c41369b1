/*
 * cmd_alerts.c - `mentortrack alerts check|list`: the health monitor from
 * the command line.  `check` does exactly what the server's interval check
 * and POST /api/v1/programs/{id}/alerts/check do (http/notify.h's
 * alert_run_program), so a cron job can replace the interval.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/validate.h"
#include "http/notify.h"
#include "lib/timeutil.h"

static const char usage[] =
	"usage: mentortrack alerts check [PROGRAM_ID] [--json] [--db PATH] [--config FILE]\n"
	"       mentortrack alerts list PROGRAM_ID [--status STATUS] [--rule RULE]\n"
	"                                [--limit N] [--json] [--db PATH] [--config FILE]\n"
	"\n"
	"check: evaluates the health rules of one program (or of every open or running\n"
	"program), raises new alerts once per condition, resolves those whose condition\n"
	"cleared, sends the program's email and webhook notifications for the new ones\n"
	"and prints what it did.  MENTORTRACK_NOW pins the clock.\n"
	"list: a program's alerts, newest first; STATUS is open, acknowledged, resolved\n"
	"or live (open and acknowledged); RULE is low_rating, waiting_too_long,\n"
	"stalled_pair, no_intro, over_capacity or goal_overdue.\n";

typedef struct alerts_opts {
	const char *status, *rule;
	long limit;
	bool json;
} alerts_opts;

static void print_check(json_t *s)
{
	printf("program %lld \"%s\": raised %lld, resolved %lld, open %lld\n",
	       (long long)json_integer_value(json_object_get(s, "program_id")),
	       json_string_value(json_object_get(s, "program_name")),
	       (long long)json_integer_value(json_object_get(s, "raised")),
	       (long long)json_integer_value(json_object_get(s, "resolved")),
	       (long long)json_integer_value(json_object_get(s, "open_total")));
	const char *rule;
	json_t *n;
	bool any = false;
	json_object_foreach(json_object_get(s, "open_by_rule"), rule, n) {
		if (!json_integer_value(n))
			continue;
		printf("%s%s %lld", any ? ", " : "  open by rule: ", rule,
		       (long long)json_integer_value(n));
		any = true;
	}
	if (any)
		putchar('\n');
	size_t i;
	json_array_foreach(json_object_get(s, "notifications"), i, n) {
		const char *err = json_string_value(json_object_get(n, "error"));
		printf("  %s: %s (%lld attempt%s)%s%s\n",
		       json_string_value(json_object_get(n, "channel")),
		       json_string_value(json_object_get(n, "status")),
		       (long long)json_integer_value(json_object_get(n, "attempts")),
		       json_integer_value(json_object_get(n, "attempts")) == 1 ? "" : "s",
		       err ? ": " : "", err ? err : "");
	}
}

static int run_check(db *d, int64_t program, const alerts_opts *o)
{
	mt_arena a;
	arena_init(&a);
	mt_error err;
	mt_error_clear(&err);
	int64_t *ids = &program;
	size_t n = 1;
	int rc = EXIT_OK;
	mt_actor who = {.name = "cli"};
	json_t *all = json_array();
	json_int_t raised = 0, resolved = 0;
	if (!program && store_alert_programs(d, &a, &ids, &n, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *s;
		mt_error_clear(&err);
		if (alert_run_program(d, &who, ids[i], time_now(), &s, &err) < 0) {
			fprintf(stderr, "mentortrack: program %lld: %s\n", (long long)ids[i],
				err.message);
			rc = EXIT_USER;
			continue;
		}
		raised += json_integer_value(json_object_get(s, "raised"));
		resolved += json_integer_value(json_object_get(s, "resolved"));
		if (!o->json)
			print_check(s);
		json_array_append_new(all, s);
	}
	if (o->json) {
		json_t *out = json_pack("{s:I, s:I, s:O}", "raised", raised, "resolved", resolved,
					"programs", all);
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	} else if (n == 0) {
		printf("no open or running program to check\n");
	}
out:
	json_decref(all);
	arena_free(&a);
	return rc;
}

static int run_list(db *d, int64_t program, const alerts_opts *o)
{
	mt_error err;
	mt_error_clear(&err);
	query q;
	query_init(&q);
	int rc = EXIT_OK;
	json_t *page = NULL;
	if (o->status && !strcmp(o->status, "live"))
		query_and(&q, "a.status <> 'resolved'");
	else if (o->status)
		query_and_text(&q, "a.status = $?", o->status);
	if (o->rule)
		query_and_text(&q, "a.rule = $?", o->rule);
	if (store_program_exists(d, program, &err) < 0 ||
	    !(page = store_alert_list(d, program, &q, "-raised_at", o->limit, 0, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o->json) {
		json_dumpf(page, stdout, JSON_INDENT(2));
		putchar('\n');
		goto out;
	}
	size_t i;
	json_t *al;
	printf("%6s  %-16s  %-12s  %-20s  %s\n", "ID", "RULE", "STATUS", "RAISED", "MESSAGE");
	json_array_foreach(json_object_get(page, "items"), i, al) {
		printf("%6lld  %-16s  %-12s  %-20s  %s\n",
		       (long long)json_integer_value(json_object_get(al, "id")),
		       json_string_value(json_object_get(al, "rule")),
		       json_string_value(json_object_get(al, "status")),
		       json_string_value(json_object_get(al, "raised_at")),
		       json_string_value(json_object_get(al, "message")));
	}
	printf("%lld alert%s\n", (long long)json_integer_value(json_object_get(page, "total")),
	       json_integer_value(json_object_get(page, "total")) == 1 ? "" : "s");
out:
	json_decref(page);
	query_release(&q);
	return rc;
}

int cmd_alerts(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"config", required_argument, NULL, 'c'},
		{"status", required_argument, NULL, 's'}, {"rule", required_argument, NULL, 'r'},
		{"limit", required_argument, NULL, 'l'},  {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	alerts_opts o = {.limit = 100};
	const char *limit = NULL;
	cli_options common;
	int c;
	cli_options_start(&common, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &common)) >= 0) {
		switch (c) {
		case 's': o.status = optarg; break;
		case 'r': o.rule = optarg; break;
		case 'l': limit = optarg; break;
		case 'j': o.json = true; break;
		}
	}
	if (c == CLI_STOP)
		return common.exit_code;
	if (optind >= argc)
		return cli_usage(usage, "alerts needs a subcommand: check or list");
	const char *sub = argv[optind++];
	bool check = !strcmp(sub, "check");
	if (!check && strcmp(sub, "list"))
		return cli_usage(usage, "unknown alerts subcommand '%s'", sub);
	mt_error err;
	mt_error_clear(&err);
	long program = 0;
	if (argc - optind > 1 || (!check && argc - optind != 1))
		return cli_usage(usage, "alerts %s takes %s PROGRAM_ID", sub, check ? "at most one" : "one");
	if (optind < argc &&
	    validate_int("PROGRAM_ID", argv[optind], 1, 0x7fffffff, &program, &err) < 0)
		return cli_usage(usage, "%s", err.message);
	if (limit && validate_int("--limit", limit, 1, 100000, &o.limit, &err) < 0)
		return cli_usage(usage, "%s", err.message);
	if (o.status && strcmp(o.status, "open") && strcmp(o.status, "acknowledged") &&
	    strcmp(o.status, "resolved") && strcmp(o.status, "live"))
		return cli_usage(usage, "--status must be open, acknowledged, resolved or live");
	if (o.rule && health_rule_from_name(o.rule) < 0)
		return cli_usage(usage, "--rule: unknown rule '%s'", o.rule);

	mt_config cfg;
	db *d = NULL;
	int rc;
	if (cli_config(&cfg, &common, &err) < 0 || !(d = cli_open_db(&cfg, &err)))
		return cli_fail(&err);
	if (check) {
		notify_global_init();
		rc = run_check(d, program, &o);
		notify_global_cleanup();
	} else {
		rc = run_list(d, program, &o);
	}
	db_close(d);
	return rc;
}
