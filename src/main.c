/*
 * main.c - the mentortrack binary: server, CLI and demo in one.
 * Dispatches to cmd_<name>() in src/cli/, like git's builtins.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
	"usage: mentortrack <command> [options]\n"
	"\n"
	"commands:\n"
	"  init      create a database and the first admin account\n"
	"  serve     run the HTTP server and web UI\n"
	"  demo      create a demo organisation and program, then serve it\n"
	"  import    import people or memberships from CSV\n"
	"  user      add, list or change accounts\n"
	"  match     propose the optimal pairs of a program\n"
	"  alerts    run the health check, list alerts\n"
	"  export    a program's data or KPI tables as CSV or XLSX\n"
	"\n"
	"Run 'mentortrack <command> --help' for a command's options.\n"
	"  --version  print the version\n";

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{"init", cmd_init},     {"serve", cmd_serve}, {"demo", cmd_demo},
	{"import", cmd_import}, {"user", cmd_user}, {"match", cmd_match},
	{"alerts", cmd_alerts}, /* health monitor (issue 5) */
	{"export", cmd_export}, /* exports (issue 5) */
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage, "a command is required");
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("mentortrack %s\n", MT_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return cli_usage(usage, "unknown command '%s'", argv[1]);
}
