/* cmd_serve.c - `mentortrack serve`: run the HTTP server. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

static const char usage[] =
	"usage: mentortrack serve [--listen HOST:PORT] [--db PATH] [--config FILE]\n"
	"                         [--threads N]\n"
	"\n"
	"Serves the API under /api/v1, the web UI, /healthz and /metrics.\n"
	"Defaults: --listen 127.0.0.1:8080 --db mentortrack.db.  SIGINT and SIGTERM\n"
	"finish in-flight requests and close the database cleanly.\n";

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'}, {"threads", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *threads = NULL;
	cli_options o;
	int c;
	cli_options_start(&o, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &o)) >= 0) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 't': threads = optarg; break;
		}
	}
	if (c == CLI_STOP)
		return o.exit_code;
	if (optind < argc)
		return cli_unexpected(usage, argv[optind]);
	mt_config cfg;
	mt_error err;
	mt_error_clear(&err);
	/* Not cli_config(): a bad --listen has always been reported before a
	 * bad --db, so the settings keep their order on the command line. */
	if (cli_config_sources(&cfg, o.config, &err) < 0 ||
	    (listen && config_set(&cfg, "listen", listen, &err) < 0) ||
	    (o.db_path && config_set(&cfg, "db", o.db_path, &err) < 0) ||
	    (threads && config_set(&cfg, "threads", threads, &err) < 0))
		return cli_fail(&err);
	/* Migrate once here, before worker threads open their own connections. */
	db *d = cli_open_db(&cfg, &err);
	if (!d)
		return cli_fail(&err);
	db_close(d);
	return cli_serve(&cfg, NULL);
}
