/*
 * cli.h - the subcommands of the mentortrack binary, one file each
 * (cmd_<name>.c, like git's builtins), and what they share.
 *
 * Exit codes: 0 success, 1 a user error (the message says what to fix),
 * 2 bad usage (the message says how to call the command).
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>

#include "lib/config.h"
#include "lib/error.h"
#include "store/db.h"

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_alerts(int argc, char **argv); /* health monitor (issue 5) */
int cmd_export(int argc, char **argv); /* exports (issue 5) */

/* Print "mentortrack: <message>" to stderr and return EXIT_USER. */
int cli_fail(const mt_error *err);
/* Print a usage error and the command's usage; return EXIT_USAGE. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage error for an operand the command does not take:
 * "unexpected argument 'ARG'"; returns EXIT_USAGE. */
int cli_unexpected(const char *usage, const char *arg);

/*
 * Option parsing that every command shares.  A command's option table maps
 * "db" to 'd', "config" to 'c' and "help" to 'h'; cli_getopt() handles
 * those and a bad option itself and hands the command only its own:
 *
 *	cli_options o;
 *	cli_options_start(&o, usage);
 *	while ((c = cli_getopt(argc, argv, opts, "h", &o)) >= 0)
 *		switch (c) { ...the command's own options... }
 *	if (c == CLI_STOP)
 *		return o.exit_code;
 *	...argv[optind] is the first operand...
 *	cli_config(&cfg, &o, &err)
 */
typedef struct cli_options {
	const char *usage;   /* printed by --help and after a usage error */
	const char *db_path; /* --db PATH, or NULL (a command may preset a default) */
	const char *config;  /* --config FILE, or NULL */
	int exit_code;	     /* after CLI_STOP: what the command returns */
} cli_options;

enum { CLI_END = -1, CLI_STOP = -2 };

struct option;

/* Start parsing a command's options (resets getopt's optind). */
void cli_options_start(cli_options *o, const char *usage);
/* getopt_long() without the shared options: returns the command's next own
 * option (optarg is its argument), CLI_END after the last option, or
 * CLI_STOP when the command must return o->exit_code: EXIT_OK after
 * -h/--help printed the usage to stdout, EXIT_USAGE after a bad option. */
int cli_getopt(int argc, char **argv, const struct option *opts, const char *shortopts,
	       cli_options *o);
/* Configuration from defaults, the file (config_file, else
 * $MENTORTRACK_CONFIG), then the environment; -1 with err on failure. */
int cli_config_sources(mt_config *cfg, const char *config_file, mt_error *err);
/* cli_config_sources() for --config, then --db over all of them; -1 with
 * err on failure.  Command-line settings are applied after this one. */
int cli_config(mt_config *cfg, const cli_options *o, mt_error *err);
/* Open the database and apply migrations; NULL with err on failure. */
db *cli_open_db(const mt_config *cfg, mt_error *err);
/* Run the server until SIGINT/SIGTERM. */
int cli_serve(const mt_config *cfg, const char *banner);
/* Password from --password, --password-stdin or $MENTORTRACK_PASSWORD;
 * NULL when none was given.  Returns a malloc'd string. */
char *cli_password(const char *flag_value, bool from_stdin);
/* Milliseconds since an arbitrary start, for progress and summaries. */
double cli_ms(void);

#endif
