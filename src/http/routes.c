/*
 * routes.c - the route table: every route of the server with its access
 * rule, in one place.  Reading this file tells who may do what.
 */
#include "http/router.h"

#include "domain/role.h"
#include "http/handlers.h"

#define STAFF ROLES_STAFF
#define ANY ROLES_ANY
#define ADMIN ROLE_ADMIN

const mt_route mt_routes[] = {
	{"GET", "/healthz", h_healthz, ACCESS_PUBLIC, 0, "Liveness and database check"},
	{"GET", "/metrics", h_metrics, ACCESS_PUBLIC, 0, "Prometheus metrics"},
	{"GET", "/api/v1/openapi.yaml", h_openapi, ACCESS_PUBLIC, 0, "This API's description"},

	{"POST", "/api/v1/auth/login", h_login, ACCESS_PUBLIC, 0, "Sign in, get a session cookie"},
	{"POST", "/api/v1/auth/logout", h_logout, ACCESS_SIGNED_IN, ANY, "Sign out"},
	{"GET", "/api/v1/auth/me", h_me, ACCESS_SIGNED_IN, ANY, "The signed-in user"},
	{"GET", "/api/v1/tokens", h_tokens_list, ACCESS_SIGNED_IN, ANY, "Your API tokens"},
	{"POST", "/api/v1/tokens", h_tokens_create, ACCESS_SIGNED_IN, ANY, "Create an API token"},
	{"DELETE", "/api/v1/tokens/{id}", h_tokens_delete, ACCESS_SIGNED_IN, ANY,
	 "Revoke one of your API tokens"},

	{"GET", "/api/v1/users", h_users_list, ACCESS_SIGNED_IN, ADMIN, "List accounts"},
	{"POST", "/api/v1/users", h_users_create, ACCESS_SIGNED_IN, ADMIN, "Create an account"},
	{"GET", "/api/v1/users/{id}", h_users_get, ACCESS_SIGNED_IN, ADMIN, "One account"},
	{"PATCH", "/api/v1/users/{id}", h_users_update, ACCESS_SIGNED_IN, ADMIN,
	 "Change an account's name, role, password, person or disabled flag"},

	{"GET", "/api/v1/programs", h_programs_list, ACCESS_SIGNED_IN, ANY, "List programs"},
	{"POST", "/api/v1/programs", h_programs_create, ACCESS_SIGNED_IN, STAFF, "Create a program"},
	{"GET", "/api/v1/programs/{id}", h_programs_get, ACCESS_SIGNED_IN, ANY, "One program"},
	{"PATCH", "/api/v1/programs/{id}", h_programs_update, ACCESS_PROGRAM_MANAGER, STAFF,
	 "Change a program"},
	{"GET", "/api/v1/programs/{id}/summary", h_programs_summary, ACCESS_SIGNED_IN, ANY,
	 "Aggregate counts of a program"},
	{"POST", "/api/v1/programs/{id}/managers", h_programs_add_manager, ACCESS_SIGNED_IN, ADMIN,
	 "Make a manager a manager of this program"},
	{"POST", "/api/v1/programs/{id}/register", h_programs_register, ACCESS_SIGNED_IN,
	 ROLES_PARTICIPANT | STAFF, "Register yourself into an open program"},
	{"GET", "/api/v1/programs/{id}/memberships", h_memberships_list, ACCESS_PROGRAM_ROWS,
	 ROLES_PARTICIPANT | STAFF, "Memberships (participants see only their own)"},
	{"POST", "/api/v1/programs/{id}/memberships", h_memberships_create, ACCESS_PROGRAM_MANAGER,
	 STAFF, "Add a person to a program"},
	{"POST", "/api/v1/programs/{id}/memberships/import", h_memberships_import,
	 ACCESS_PROGRAM_MANAGER, STAFF, "Import memberships from CSV"},

	{"GET", "/api/v1/memberships/{id}", h_memberships_get, ACCESS_MEMBERSHIP_OWNER,
	 ROLES_PARTICIPANT | STAFF, "One membership (its person or a program manager)"},
	{"PATCH", "/api/v1/memberships/{id}", h_memberships_update, ACCESS_MEMBERSHIP_OWNER,
	 ROLES_PARTICIPANT | STAFF, "Change a membership"},

	{"GET", "/api/v1/people", h_people_list, ACCESS_SIGNED_IN, STAFF, "List people"},
	{"POST", "/api/v1/people", h_people_create, ACCESS_SIGNED_IN, STAFF, "Add a person"},
	{"POST", "/api/v1/people/import", h_people_import, ACCESS_SIGNED_IN, STAFF,
	 "Import people from CSV"},
	{"GET", "/api/v1/people/{id}", h_people_get, ACCESS_PERSON_SELF, ROLES_PARTICIPANT | STAFF,
	 "One person (staff, or the person themself)"},
	{"PATCH", "/api/v1/people/{id}", h_people_update, ACCESS_SIGNED_IN, STAFF,
	 "Change a person"},

	{"GET", "/api/v1/skills", h_skills_list, ACCESS_SIGNED_IN, ANY, "The skills catalogue"},
	{"POST", "/api/v1/skills", h_skills_create, ACCESS_SIGNED_IN, STAFF, "Add a skill"},

	{"GET", "/api/v1/audit", h_audit_list, ACCESS_SIGNED_IN, ADMIN, "The audit log"},

	/* matching and pairs (issue 3) */
	{"POST", "/api/v1/programs/{id}/match", h_pairs_match, ACCESS_PROGRAM_MANAGER, STAFF,
	 "Compute the optimal proposal (?dry_run=true to only show it)"},
	{"GET", "/api/v1/programs/{id}/match/scores", h_pairs_export, ACCESS_PROGRAM_MANAGER, STAFF,
	 "Every eligible pair's score and components (?format=csv|json)"},
	{"POST", "/api/v1/programs/{id}/proposals/approve", h_pairs_approve_all,
	 ACCESS_PROGRAM_MANAGER, STAFF, "Approve all (or the listed) solver proposals"},
	{"GET", "/api/v1/programs/{id}/pairs", h_pairs_list, ACCESS_PROGRAM_ROWS,
	 ROLES_PARTICIPANT | STAFF, "Pairs (participants see only their own)"},
	{"POST", "/api/v1/programs/{id}/pairs", h_pairs_create, ACCESS_PROGRAM_MANAGER, STAFF,
	 "Pair two members by hand"},
	{"GET", "/api/v1/programs/{id}/recommendations", h_pairs_recommendations,
	 ACCESS_PROGRAM_ROWS, ROLE_MENTEE | STAFF, "Top mentors for a mentee, with reasons"},
	{"POST", "/api/v1/programs/{id}/requests", h_pairs_request, ACCESS_PROGRAM_ROWS,
	 ROLE_MENTEE | STAFF, "A mentee asks a mentor"},
	{"POST", "/api/v1/programs/{id}/exclusions", h_pairs_exclude, ACCESS_PROGRAM_MANAGER, STAFF,
	 "Never propose this pair"},
	{"PUT", "/api/v1/programs/{id}/preferences", h_pairs_preferences, ACCESS_PROGRAM_ROWS,
	 ROLES_PARTICIPANT, "Your ranked wishes and people to avoid"},
	{"GET", "/api/v1/pairs/{id}", h_pairs_get, ACCESS_PAIR_MEMBER, ROLES_PARTICIPANT | STAFF,
	 "One pair with its history"},
	{"PATCH", "/api/v1/pairs/{id}", h_pairs_update, ACCESS_PAIR_MANAGER, STAFF,
	 "Lock a proposal or swap its mentor"},
	{"POST", "/api/v1/pairs/{id}/approve", h_pairs_approve, ACCESS_PAIR_MEMBER,
	 ROLE_MENTOR | STAFF, "Approve a proposal (or accept a request, as its mentor)"},
	{"POST", "/api/v1/pairs/{id}/decline", h_pairs_decline, ACCESS_PAIR_MEMBER,
	 ROLE_MENTOR | STAFF, "Decline a proposal or a request"},
	{"POST", "/api/v1/pairs/{id}/complete", h_pairs_complete, ACCESS_PAIR_MANAGER, STAFF,
	 "Mark an active pair completed"},
	{"POST", "/api/v1/pairs/{id}/end", h_pairs_end, ACCESS_PAIR_MANAGER, STAFF,
	 "End an active pair early, with a reason"},
};

const int mt_routes_count = (int)(sizeof(mt_routes) / sizeof(mt_routes[0]));
