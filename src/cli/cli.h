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
/* Configuration from defaults, file (--config), environment. */
int cli_config(mt_config *cfg, const char *config_file, mt_error *err);
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
