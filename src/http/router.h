/*
 * router.h - the route table: every route is one row saying its method,
 * path pattern, handler and access rule.
 *
 * The dispatcher enforces the rule before the handler runs, so handlers
 * never check roles ad hoc.  A rule is a role mask plus, for routes about
 * one resource, a relation between the user and that resource.  Resource
 * rules answer 404 rather than 403 when the user may not even know the
 * resource exists (someone else's membership).
 */
#ifndef MT_ROUTER_H
#define MT_ROUTER_H

#include "http/request.h"

typedef enum access_rule {
	ACCESS_PUBLIC,           /* no sign-in needed */
	ACCESS_SIGNED_IN,        /* signed in with one of `roles` */
	ACCESS_PROGRAM_MANAGER,  /* ids[0] is a program: admin or one of its managers */
	ACCESS_PROGRAM_ROWS,     /* ids[0] is a program: its managers see every row,
				    other allowed roles only their own (sees_all false) */
	ACCESS_MEMBERSHIP_OWNER, /* ids[0] is a membership: its person, or a manager of
				    its program */
	ACCESS_PERSON_SELF,      /* ids[0] is a person: staff, or the person themself */
	ACCESS_PAIR_MEMBER,      /* ids[0] is a pair: its mentor or mentee, or a manager
				    of its program (sees_all); others get 404 */
	ACCESS_PAIR_MANAGER,     /* ids[0] is a pair: a manager of its program */
	ACCESS_ALERT_MANAGER,    /* ids[0] is an alert: a manager of its program (others
				    403; 404 when there is no such alert) */
	ACCESS_PROGRAM_READER,   /* ids[0] is a program: admins and its managers (sees_all),
				    and the other allowed roles (viewers) with sees_all
				    false, for aggregates only; other managers 403 */
} access_rule;

typedef struct mt_route {
	const char *method;
	const char *pattern;    /* "/api/v1/programs/{id}/memberships" */
	mt_handler handler;
	access_rule rule;
	int roles;              /* ROLE_* mask allowed by the rule */
	const char *summary;    /* one line for docs and --help */
} mt_route;

extern const mt_route mt_routes[];
extern const int mt_routes_count;

/* Find the route for method+path, filling r->ids.  Returns its index, or -1
 * with err 404 (no such path) or 405 (path exists, method does not). */
int router_match(mt_req *r, mt_error *err);
/* Check the route's access rule for r->user; fills err (401/403/404). */
int router_authorize(mt_req *r, const mt_route *route, mt_error *err);

#endif
