/* router.c - matching paths to routes and enforcing access rules. */
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "domain/role.h"
#include "store/alert.h"

/* "{id}" and "{..._id}" (at p, which starts with '{') name an integer id. */
static bool is_id_var(const char *p)
{
	const char *close = strchr(p, '}');
	if (!close)
		return false;
	size_t n = (size_t)(close - p - 1);
	return (n == 2 && strncmp(p + 1, "id", 2) == 0) ||
	       (n > 3 && strncmp(close - 3, "_id", 3) == 0);
}

/* Match one pattern; "{id}" and "{..._id}" segments take a positive integer,
 * stored in order.  Any other "{name}" takes one segment of letters, digits,
 * '_' or '-' (a KPI id): it is not stored, the handler reads it from the
 * path's last segment. */
static bool pattern_match(const char *pattern, const char *path, int64_t *ids, int *nids)
{
	const char *p = pattern, *s = path;
	*nids = 0;
	while (*p && *s) {
		if (p[0] == '{' && !is_id_var(p)) {
			const char *close = strchr(p, '}');
			size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					     "0123456789_-");
			if (!close || n == 0 || (s[n] && s[n] != '/'))
				return false;
			p = close + 1;
			s += n;
			continue;
		}
		if (p[0] == '{') {
			const char *close = strchr(p, '}');
			if (!close || *nids >= 2)
				return false;
			char *end;
			long long v = strtoll(s, &end, 10);
			if (end == s || v <= 0 || (*end && *end != '/'))
				return false;
			ids[(*nids)++] = v;
			p = close + 1;
			s = end;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	/* A trailing slash is tolerated. */
	if (*s == '/' && s[1] == '\0')
		s++;
	return *p == '\0' && *s == '\0';
}

int router_match(mt_req *r, mt_error *err)
{
	bool path_known = false;
	for (int i = 0; i < mt_routes_count; i++) {
		int64_t ids[2];
		int nids;
		if (!pattern_match(mt_routes[i].pattern, r->path, ids, &nids))
			continue;
		path_known = true;
		if (strcmp(mt_routes[i].method, r->method) != 0)
			continue;
		memcpy(r->ids, ids, sizeof(ids));
		r->nids = nids;
		return i;
	}
	if (path_known)
		return mt_fail(err, 405, "method_not_allowed", "", "%s is not allowed on %s",
			       r->method, r->path);
	return mt_not_found(err, "no such endpoint: %s %s", r->method, r->path);
}

static int program_manager(mt_req *r, int64_t program_id, bool *out, mt_error *err)
{
	*out = false;
	if (r->user.role == ROLE_ADMIN) {
		*out = true;
		return 0;
	}
	if (r->user.role != ROLE_MANAGER)
		return 0;
	return store_program_is_manager(r->db, program_id, r->user.id, out, err);
}

static int check_resource(mt_req *r, const mt_route *route, mt_error *err)
{
	bool manager;
	switch (route->rule) {
	case ACCESS_PUBLIC:
	case ACCESS_SIGNED_IN:
		r->sees_all = r->user.role == ROLE_ADMIN || r->user.role == ROLE_MANAGER;
		return 0;
	case ACCESS_PROGRAM_MANAGER:
		if (store_program_exists(r->db, r->ids[0], err) < 0 ||
		    program_manager(r, r->ids[0], &manager, err) < 0)
			return -1;
		if (!manager)
			return mt_forbidden(err, "only a manager of program %lld may do this",
					    (long long)r->ids[0]);
		r->sees_all = true;
		return 0;
	case ACCESS_PROGRAM_ROWS:
		if (store_program_exists(r->db, r->ids[0], err) < 0 ||
		    program_manager(r, r->ids[0], &manager, err) < 0)
			return -1;
		/* A manager of other programs sees only rows of their own, as a
		 * participant, and only if their account is a person. */
		if (!manager && !(r->user.role & ROLES_PARTICIPANT) &&
		    !(r->user.role == ROLE_MANAGER && r->user.person_id))
			return mt_forbidden(err, "only a manager of program %lld or its participants "
					  "may read these rows", (long long)r->ids[0]);
		r->sees_all = manager;
		return 0;
	case ACCESS_MEMBERSHIP_OWNER: {
		int64_t person, program;
		int rc = store_membership_owner(r->db, r->ids[0], &person, &program, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return mt_not_found(err, "membership %lld not found", (long long)r->ids[0]);
		if (program_manager(r, program, &manager, err) < 0)
			return -1;
		r->sees_all = manager;
		if (manager || (r->user.person_id && r->user.person_id == person))
			return 0;
		/* Do not reveal that someone else's membership exists. */
		return mt_not_found(err, "membership %lld not found", (long long)r->ids[0]);
	}
	case ACCESS_PAIR_MEMBER:
	case ACCESS_PAIR_MANAGER: {
		int64_t program, mentor, mentee;
		int rc = store_pair_people(r->db, r->ids[0], &program, &mentor, &mentee, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return mt_not_found(err, "pair %lld not found", (long long)r->ids[0]);
		if (program_manager(r, program, &manager, err) < 0)
			return -1;
		r->sees_all = manager;
		if (manager)
			return 0;
		bool member = r->user.person_id &&
			      (r->user.person_id == mentor || r->user.person_id == mentee);
		if (route->rule == ACCESS_PAIR_MEMBER && member)
			return 0;
		if (member)
			return mt_forbidden(err, "only a manager of the program may do this");
		return mt_not_found(err, "pair %lld not found", (long long)r->ids[0]);
	}
	case ACCESS_ALERT_MANAGER: {
		int64_t program;
		int rc = store_alert_program(r->db, r->ids[0], &program, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return mt_not_found(err, "alert %lld not found", (long long)r->ids[0]);
		if (program_manager(r, program, &manager, err) < 0)
			return -1;
		if (!manager)
			return mt_forbidden(err, "only a manager of program %lld may see or change "
						 "its alerts", (long long)program);
		r->sees_all = true;
		return 0;
	}
	case ACCESS_PROGRAM_READER:
		if (store_program_exists(r->db, r->ids[0], err) < 0 ||
		    program_manager(r, r->ids[0], &manager, err) < 0)
			return -1;
		if (!manager && r->user.role == ROLE_MANAGER)
			return mt_forbidden(err, "only a manager of program %lld may do this",
					    (long long)r->ids[0]);
		r->sees_all = manager;
		return 0;
	case ACCESS_PERSON_SELF:
		r->sees_all = r->user.role == ROLE_ADMIN || r->user.role == ROLE_MANAGER;
		if (r->sees_all || (r->user.person_id && r->user.person_id == r->ids[0]))
			return 0;
		return mt_not_found(err, "person %lld not found", (long long)r->ids[0]);
	}
	return mt_internal(err, "route %s has no access rule", route->pattern);
}

int router_authorize(mt_req *r, const mt_route *route, mt_error *err)
{
	if (route->rule == ACCESS_PUBLIC)
		return check_resource(r, route, err);
	if (!r->authed)
		return mt_fail(err, 401, "unauthenticated", "",
			       "sign in first: POST /api/v1/auth/login, or send Authorization: "
			       "Bearer <token>");
	if (!(route->roles & r->user.role))
		return mt_forbidden(err, "the %s role may not %s %s", role_name(r->user.role),
				    route->method, route->pattern);
	return check_resource(r, route, err);
}
