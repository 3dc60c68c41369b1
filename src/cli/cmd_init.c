/* cmd_init.c - `mentortrack init`: create a database and the first admin. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "lib/secret.h"
#include "store/store.h"

static const char usage[] =
	"usage: mentortrack init [--db PATH] [--config FILE] [--admin-email EMAIL]\n"
	"                        [--admin-name NAME] [--password PW | --password-stdin]\n"
	"\n"
	"Creates the database (applying every migration) and the first admin account.\n"
	"Without a password option, $MENTORTRACK_PASSWORD is used, or a random one is\n"
	"generated and printed.  Fails if the database already has accounts.\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"config", required_argument, NULL, 'c'},
		{"admin-email", required_argument, NULL, 'e'},
		{"admin-name", required_argument, NULL, 'n'},
		{"password", required_argument, NULL, 'p'},
		{"password-stdin", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *email_in = "admin@example.com", *name = "Administrator", *pw_flag = NULL;
	bool pw_stdin = false;
	cli_options o;
	int c;
	cli_options_start(&o, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &o)) >= 0) {
		switch (c) {
		case 'e': email_in = optarg; break;
		case 'n': name = optarg; break;
		case 'p': pw_flag = optarg; break;
		case 's': pw_stdin = true; break;
		}
	}
	if (c == CLI_STOP)
		return o.exit_code;
	if (optind < argc)
		return cli_unexpected(usage, argv[optind]);

	mt_config cfg;
	mt_error err;
	mt_error_clear(&err);
	mt_arena a;
	arena_init(&a);
	const char *email;
	int rc = EXIT_USER;
	char *password = NULL;
	db *d = NULL;
	if (cli_config(&cfg, &o, &err) < 0 ||
	    validate_email(&a, "admin-email", email_in, &email, &err) < 0 ||
	    !(d = cli_open_db(&cfg, &err))) {
		rc = cli_fail(&err);
		goto out;
	}
	int64_t users = store_user_count(d, &err);
	if (users != 0) {
		if (users > 0)
			mt_conflict(&err, "", "%s already has %lld accounts; use 'mentortrack user add'",
				    cfg.db_path, (long long)users);
		rc = cli_fail(&err);
		goto out;
	}
	password = cli_password(pw_flag, pw_stdin);
	bool generated = !password;
	if (generated) {
		char token[SECRET_TOKEN_LEN];
		secret_token(token);
		password = strndup(token + 3, 20);
	}
	if (strlen(password) < 8) {
		fprintf(stderr, "mentortrack: the password must be at least 8 characters\n");
		goto out;
	}
	char hash[SECRET_HASH_LEN];
	mt_actor who = {.user_id = 0, .name = "cli"};
	if (secret_password_hash(password, hash) < 0 || db_begin(d, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	int64_t id = store_user_create(d, email, name, hash, ROLE_ADMIN, 0, &err);
	json_t *after = json_pack("{s:s, s:s}", "email", email, "role", "admin");
	if (id < 0 || store_audit(d, &who, "create", "user", id, NULL, after, &err) < 0 ||
	    db_commit(d, &err) < 0) {
		json_decref(after);
		db_rollback(d);
		rc = cli_fail(&err);
		goto out;
	}
	json_decref(after);
	printf("Created %s with admin %s", cfg.db_path, email);
	if (generated)
		printf(" and password %s\n", password);
	else
		printf("\n");
	rc = EXIT_OK;
out:
	free(password);
	db_close(d);
	arena_free(&a);
	return rc;
}
