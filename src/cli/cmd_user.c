/* cmd_user.c - `mentortrack user add|passwd|list`: manage accounts. */
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
	"usage: mentortrack user add --email EMAIL --name NAME --role ROLE\n"
	"                            [--person-email EMAIL] [--password PW | --password-stdin]\n"
	"       mentortrack user passwd EMAIL [--password PW | --password-stdin]\n"
	"       mentortrack user list [--role ROLE]\n"
	"common options: [--db PATH] [--config FILE]\n"
	"\n"
	"ROLE is admin, manager, mentor, mentee or viewer.  Without a password option,\n"
	"$MENTORTRACK_PASSWORD is used, or a random password is generated and printed.\n";

typedef struct user_opts {
	cli_options common;
	const char *email, *name, *role, *person_email, *password;
	bool password_stdin;
} user_opts;

/* CLI_END to go on, or the exit code after --help or a bad option. */
static int parse(int argc, char **argv, user_opts *o)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},    {"config", required_argument, NULL, 'c'},
		{"email", required_argument, NULL, 'e'}, {"name", required_argument, NULL, 'n'},
		{"role", required_argument, NULL, 'r'},
		{"person-email", required_argument, NULL, 'P'},
		{"password", required_argument, NULL, 'p'},
		{"password-stdin", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	cli_options_start(&o->common, usage);
	while ((c = cli_getopt(argc, argv, opts, "h", &o->common)) >= 0) {
		switch (c) {
		case 'e': o->email = optarg; break;
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		case 'P': o->person_email = optarg; break;
		case 'p': o->password = optarg; break;
		case 's': o->password_stdin = true; break;
		}
	}
	return c == CLI_STOP ? o->common.exit_code : CLI_END;
}

static char *password_or_generate(const user_opts *o, bool *generated)
{
	char *pw = cli_password(o->password, o->password_stdin);
	*generated = !pw;
	if (!pw) {
		char token[SECRET_TOKEN_LEN];
		secret_token(token);
		pw = strndup(token + 3, 20);
	}
	return pw;
}

static int user_add(db *d, const user_opts *o, mt_error *err)
{
	mt_arena a;
	arena_init(&a);
	const char *email;
	int role = role_from_name(o->role), rc = -1;
	bool generated;
	char *pw = NULL;
	int64_t person = 0;

	if (!role) {
		mt_invalid(err, "role", "--role must be admin, manager, mentor, mentee or viewer");
		goto out;
	}
	if (validate_email(&a, "email", o->email, &email, err) < 0)
		goto out;
	if (o->person_email) {
		const char *pe;
		if (validate_email(&a, "person-email", o->person_email, &pe, err) < 0 ||
		    (person = store_person_id_by_email(d, pe, err)) < 0)
			goto out;
		if (person == 0) {
			mt_invalid(err, "person-email", "no person has email %s", pe);
			goto out;
		}
	}
	pw = password_or_generate(o, &generated);
	char hash[SECRET_HASH_LEN];
	if (strlen(pw) < 8) {
		mt_invalid(err, "password", "the password must be at least 8 characters");
		goto out;
	}
	if (secret_password_hash(pw, hash) < 0 || db_begin(d, err) < 0)
		goto out;
	mt_actor who = {.name = "cli"};
	int64_t id = store_user_create(d, email, o->name, hash, role, person, err);
	json_t *after = json_pack("{s:s, s:s}", "email", email, "role", o->role);
	if (id < 0 || store_audit(d, &who, "create", "user", id, NULL, after, err) < 0 ||
	    db_commit(d, err) < 0) {
		db_rollback(d);
		json_decref(after);
		goto out;
	}
	json_decref(after);
	printf("Added %s (%s)%s%s\n", email, o->role, generated ? " with password " : "",
	       generated ? pw : "");
	rc = 0;
out:
	free(pw);
	arena_free(&a);
	return rc;
}

static int user_passwd(db *d, const user_opts *o, mt_error *err)
{
	mt_arena a;
	arena_init(&a);
	mt_user u;
	char *hash_old = NULL, *pw = NULL;
	int rc = -1;
	bool generated;
	int found = store_user_by_email(d, &a, o->email, &u, &hash_old, err);
	if (found != 0) {
		if (found == 1)
			mt_not_found(err, "no account has email %s", o->email);
		goto out;
	}
	pw = password_or_generate(o, &generated);
	char hash[SECRET_HASH_LEN];
	if (strlen(pw) < 8) {
		mt_invalid(err, "password", "the password must be at least 8 characters");
		goto out;
	}
	mt_actor who = {.name = "cli"};
	if (secret_password_hash(pw, hash) < 0 || db_begin(d, err) < 0)
		goto out;
	if (store_user_update(d, u.id, NULL, 0, -1, hash, 0, err) < 0 ||
	    store_audit(d, &who, "password", "user", u.id, NULL, NULL, err) < 0 ||
	    db_commit(d, err) < 0) {
		db_rollback(d);
		goto out;
	}
	printf("Changed the password of %s%s%s\n", u.email, generated ? " to " : "",
	       generated ? pw : "");
	rc = 0;
out:
	free(pw);
	arena_free(&a);
	return rc;
}

static int user_list(db *d, const user_opts *o, mt_error *err)
{
	query q;
	query_init(&q);
	if (o->role)
		query_and_text(&q, "u.role = $?", o->role);
	json_t *page = store_user_list(d, &q, "email", 500, 0, err);
	query_release(&q);
	if (!page)
		return -1;
	size_t i;
	json_t *u;
	printf("%-6s %-36s %-8s %s\n", "ID", "EMAIL", "ROLE", "NAME");
	json_array_foreach(json_object_get(page, "items"), i, u) {
		printf("%-6lld %-36s %-8s %s%s\n",
		       (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "email")),
		       json_string_value(json_object_get(u, "role")),
		       json_string_value(json_object_get(u, "name")),
		       json_is_true(json_object_get(u, "disabled")) ? " (disabled)" : "");
	}
	json_decref(page);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage, "user needs a subcommand: add, passwd or list");
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	user_opts o;
	memset(&o, 0, sizeof(o));
	int ac = argc - 1;
	char **av = argv + 1;
	int prc = parse(ac, av, &o);
	if (prc != CLI_END)
		return prc;
	if (!strcmp(sub, "passwd")) {
		if (ac - optind != 1)
			return cli_usage(usage, "user passwd needs exactly one EMAIL");
		o.email = av[optind];
	} else if (ac - optind > 0) {
		return cli_unexpected(usage, av[optind]);
	}
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "list"))
		return cli_usage(usage, "unknown user subcommand '%s'", sub);
	if (!strcmp(sub, "add") && (!o.email || !o.name || !o.role))
		return cli_usage(usage, "user add needs --email, --name and --role");
	mt_config cfg;
	mt_error err;
	mt_error_clear(&err);
	db *d = NULL;
	int rc;
	if (cli_config(&cfg, &o.common, &err) < 0 || !(d = cli_open_db(&cfg, &err)))
		return cli_fail(&err);
	if (!strcmp(sub, "add"))
		rc = user_add(d, &o, &err);
	else if (!strcmp(sub, "passwd"))
		rc = user_passwd(d, &o, &err);
	else
		rc = user_list(d, &o, &err);
	db_close(d);
	return rc < 0 ? cli_fail(&err) : EXIT_OK;
}
