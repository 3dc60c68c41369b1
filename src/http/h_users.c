/* h_users.c - accounts (admin only). */
#include "http/handlers.h"

#include <string.h>

#include "domain/role.h"
#include "domain/validate.h"
#include "http/audited.h"
#include "lib/jsonutil.h"
#include "lib/secret.h"

enum { PASSWORD_MIN = 8 };

int h_users_list(mt_req *r, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	query q;
	query_init(&q);
	const char *role = req_query(r, "role"), *search = req_query(r, "q");
	if (role) {
		if (!role_from_name(role)) {
			query_release(&q);
			return mt_bad_request(err, "role", "role must be admin, manager, mentor, "
							   "mentee or viewer");
		}
		query_and_text(&q, "u.role = $?", role);
	}
	if (search) {
		const char *like = arena_printf(&r->arena, "%%%s%%", search);
		query_and_text(&q, "(u.email LIKE $? OR u.name LIKE $?)", like);
	}
	json_t *page = store_user_list(r->db, &q, req_query(r, "sort"), limit, offset, err);
	query_release(&q);
	return page ? req_reply(r, 200, page) : -1;
}

static int parse_role(json_t *body, int *role, bool required, mt_error *err)
{
	const char *name = NULL;
	bool present;
	if (json_get_str(body, "role", required, &name, &present, err) < 0)
		return -1;
	*role = 0;
	if (present && !(*role = role_from_name(name)))
		return mt_invalid(err, "role", "role must be admin, manager, mentor, mentee or viewer");
	return 0;
}

static int parse_password(json_t *body, bool required, char *hash, bool *present, mt_error *err)
{
	const char *pw = NULL;
	if (json_get_str(body, "password", required, &pw, present, err) < 0)
		return -1;
	if (!*present)
		return 0;
	if (strlen(pw) < PASSWORD_MIN)
		return mt_invalid(err, "password", "password must be at least %d characters",
				  PASSWORD_MIN);
	if (secret_password_hash(pw, hash) < 0)
		return mt_internal(err, "cannot hash the password");
	return 0;
}

/* An account as the body gives it: what a create sets, or what an update
 * changes (NULL, 0, -1: unchanged). */
typedef struct user_fields {
	const char *email, *name;
	int role;
	int disabled;     /* 0, 1, or -1: unchanged */
	const char *hash; /* the password's hash */
	int64_t person;
} user_fields;

static int64_t user_insert(mt_req *r, void *row, mt_error *err)
{
	const user_fields *u = row;
	return store_user_create(r->db, u->email, u->name, u->hash, u->role, u->person, err);
}

static int64_t user_update(mt_req *r, void *row, mt_error *err)
{
	const user_fields *u = row;
	return store_user_update(r->db, r->ids[0], u->name, u->role, u->disabled, u->hash,
				 u->person, err);
}

static const audited_op user_insert_op = {
	.entity = "user", .write = user_insert, .read = store_user_json};
static const audited_op user_update_op = {
	.entity = "user", .write = user_update, .read = store_user_json};
static const audited_op user_password_op = {
	.entity = "user", .write = user_update, .read = store_user_json, .action = "update+password"};

int h_users_create(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"email", "name", "password", "role", "person_id", NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	const char *email_in = NULL;
	user_fields u = {0};
	int rc = -1;
	bool present;
	char hash[SECRET_HASH_LEN];
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "email", true, &email_in, NULL, err) < 0 ||
	    validate_email(&r->arena, "email", email_in, &u.email, err) < 0 ||
	    json_get_str(body, "name", true, &u.name, NULL, err) < 0 ||
	    parse_role(body, &u.role, true, err) < 0 ||
	    json_get_int(body, "person_id", false, 1, INT64_MAX, &u.person, NULL, err) < 0 ||
	    parse_password(body, true, hash, &present, err) < 0)
		goto out;
	u.hash = hash;
	rc = audited_write(r, &user_insert_op, 0, 0, &u, err);
	if (rc < 0 && err->status == 409 && u.person)
		mt_conflict(err, "person_id", "email taken or person %lld does not exist",
			    (long long)u.person);
out:
	json_decref(body);
	return rc;
}

int h_users_get(mt_req *r, mt_error *err)
{
	json_t *u = store_user_json(r->db, r->ids[0], err);
	return u ? req_reply(r, 200, u) : -1;
}

int h_users_update(mt_req *r, mt_error *err)
{
	static const char *const allowed[] = {"name", "password", "role", "disabled", "person_id",
					      NULL};
	json_t *body = req_json_body(r, err);
	if (!body)
		return -1;
	user_fields u = {0};
	int rc = -1;
	bool disabled = false, has_disabled, has_pw;
	char hash[SECRET_HASH_LEN];
	if (json_check_keys(body, allowed, err) < 0 ||
	    json_get_str(body, "name", false, &u.name, NULL, err) < 0 ||
	    parse_role(body, &u.role, false, err) < 0 ||
	    json_get_bool(body, "disabled", &disabled, &has_disabled, err) < 0 ||
	    json_get_int(body, "person_id", false, 1, INT64_MAX, &u.person, NULL, err) < 0 ||
	    parse_password(body, false, hash, &has_pw, err) < 0)
		goto out;
	if (r->ids[0] == r->user.id && ((u.role && u.role != ROLE_ADMIN) || disabled)) {
		mt_conflict(err, u.role ? "role" : "disabled",
			    "you cannot demote or disable your own account");
		goto out;
	}
	u.disabled = has_disabled ? disabled : -1;
	u.hash = has_pw ? hash : NULL;
	rc = audited_write(r, has_pw ? &user_password_op : &user_update_op, 0, r->ids[0], &u, err);
out:
	json_decref(body);
	return rc;
}
