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
	const char *listen = NULL, *db_path = NULL, *config = NULL, *threads = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db_path = optarg; break;
		case 'c': config = optarg; break;
		case 't': threads = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage(usage, "bad option");
		}
	}
	if (optind < argc)
		return cli_usage(usage, "unexpected argument '%s'", argv[optind]);
	mt_config cfg;
	mt_error err;
	mt_error_clear(&err);
	if (cli_config(&cfg, config, &err) < 0 ||
	    (listen && config_set(&cfg, "listen", listen, &err) < 0) ||
	    (db_path && config_set(&cfg, "db", db_path, &err) < 0) ||
	    (threads && config_set(&cfg, "threads", threads, &err) < 0))
		return cli_fail(&err);
	/* Migrate once here, before worker threads open their own connections. */
	db *d = cli_open_db(&cfg, &err);
	if (!d)
		return cli_fail(&err);
	db_close(d);
	return cli_serve(&cfg, NULL);
}
