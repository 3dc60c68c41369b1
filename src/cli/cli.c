/* cli.c - what the subcommands share: errors, config, database, serving. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/server.h"
#include "lib/secret.h"
#include "store/migrate.h"

int cli_fail(const mt_error *err)
{
	fprintf(stderr, "mentortrack: %s\n", err->message[0] ? err->message : "failed");
	return EXIT_USER;
}

int cli_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mentortrack: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int cli_unexpected(const char *usage, const char *arg)
{
	return cli_usage(usage, "unexpected argument '%s'", arg);
}

void cli_options_start(cli_options *o, const char *usage)
{
	*o = (cli_options){.usage = usage, .exit_code = EXIT_OK};
	optind = 1;
}

int cli_getopt(int argc, char **argv, const struct option *opts, const char *shortopts,
	       cli_options *o)
{
	for (;;) {
		int c = getopt_long(argc, argv, shortopts, opts, NULL);
		switch (c) {
		case 'd': o->db_path = optarg; break;
		case 'c': o->config = optarg; break;
		case 'h':
			fputs(o->usage, stdout);
			o->exit_code = EXIT_OK;
			return CLI_STOP;
		case '?':
		case ':':
			o->exit_code = cli_usage(o->usage, "bad option");
			return CLI_STOP;
		case -1: return CLI_END;
		default: return c;
		}
	}
}

int cli_config_sources(mt_config *cfg, const char *config_file, mt_error *err)
{
	config_defaults(cfg);
	const char *file = config_file ? config_file : getenv("MENTORTRACK_CONFIG");
	if (file && config_load_file(cfg, file, err) < 0)
		return -1;
	return config_load_env(cfg, err);
}

int cli_config(mt_config *cfg, const cli_options *o, mt_error *err)
{
	if (cli_config_sources(cfg, o->config, err) < 0)
		return -1;
	return o->db_path ? config_set(cfg, "db", o->db_path, err) : 0;
}

db *cli_open_db(const mt_config *cfg, mt_error *err)
{
	if (secret_init() < 0) {
		mt_internal(err, "libsodium failed to initialise");
		return NULL;
	}
	db *d = db_open(cfg->db_path, err);
	if (!d)
		return NULL;
	if (store_migrate(d, err) < 0) {
		db_close(d);
		return NULL;
	}
	return d;
}

int cli_serve(const mt_config *cfg, const char *banner)
{
	mt_server server;
	mt_error err;
	mt_error_clear(&err);
	server_block_signals();
	if (server_start(&server, cfg, &err) < 0)
		return cli_fail(&err);
	printf("mentortrack %s listening on http://%s:%d/\n", MT_VERSION, cfg->host, server.port);
	if (banner)
		fputs(banner, stdout);
	fflush(stdout);
	int sig = server_wait_for_signal();
	fprintf(stderr, "mentortrack: signal %d, finishing requests and closing the database\n",
		sig);
	server_stop(&server);
	return EXIT_OK;
}

char *cli_password(const char *flag_value, bool from_stdin)
{
	if (flag_value)
		return strdup(flag_value);
	if (from_stdin) {
		char line[1024];
		if (!fgets(line, sizeof(line), stdin))
			return NULL;
		line[strcspn(line, "\r\n")] = '\0';
		return strdup(line);
	}
	const char *env = getenv("MENTORTRACK_PASSWORD");
	return env && *env ? strdup(env) : NULL;
}

double cli_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}
