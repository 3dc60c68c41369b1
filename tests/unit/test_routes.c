/*
 * test_routes.c - the route table is the one place that says who may do
 * what, so check it is complete: every route has an access rule that lets
 * somebody in, only the known few are public, patterns are well formed and
 * no two rows answer the same method and path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/role.h"
#include "http/router.h"

static const char *const public_routes[] = {
	"GET /healthz", "GET /metrics", "GET /api/v1/openapi.yaml", "POST /api/v1/auth/login",
	NULL,
};

static bool is_known_public(const mt_route *r)
{
	char key[256];
	snprintf(key, sizeof(key), "%s %s", r->method, r->pattern);
	for (const char *const *p = public_routes; *p; p++)
		if (!strcmp(*p, key))
			return true;
	return false;
}

static void test_every_route_has_a_rule(void **state)
{
	(void)state;
	assert_true(mt_routes_count > 20);
	for (int i = 0; i < mt_routes_count; i++) {
		const mt_route *r = &mt_routes[i];
		assert_non_null(r->handler);
		assert_non_null(r->summary);
		assert_true(strlen(r->summary) > 5);
		if (r->rule == ACCESS_PUBLIC) {
			if (!is_known_public(r))
				fail_msg("%s %s is public but not in the known public list", r->method,
					 r->pattern);
		} else if ((r->roles & ROLES_ANY) == 0) {
			fail_msg("%s %s lets no role in", r->method, r->pattern);
		}
	}
}

static void test_patterns_are_well_formed(void **state)
{
	(void)state;
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
	for (int i = 0; i < mt_routes_count; i++) {
		const mt_route *r = &mt_routes[i];
		bool known = false;
		for (const char *const *m = methods; *m; m++)
			known |= !strcmp(*m, r->method);
		assert_true(known);
		assert_int_equal(r->pattern[0], '/');
		/* Resource rules read ids[0], so their pattern must have an {id}. */
		if (r->rule != ACCESS_PUBLIC && r->rule != ACCESS_SIGNED_IN &&
		    !strstr(r->pattern, "{id}"))
			fail_msg("%s %s has a resource rule but no {id}", r->method, r->pattern);
		for (int j = 0; j < i; j++)
			if (!strcmp(mt_routes[j].method, r->method) &&
			    !strcmp(mt_routes[j].pattern, r->pattern))
				fail_msg("%s %s is in the table twice", r->method, r->pattern);
	}
}

static void test_router_matches_and_extracts_ids(void **state)
{
	(void)state;
	mt_req r;
	mt_error err;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/api/v1/programs/12/memberships";
	int idx = router_match(&r, &err);
	assert_true(idx >= 0);
	assert_string_equal(mt_routes[idx].pattern, "/api/v1/programs/{id}/memberships");
	assert_int_equal(r.ids[0], 12);
	r.path = "/api/v1/programs/12/memberships/";
	assert_true(router_match(&r, &err) >= 0);
	r.path = "/api/v1/programs/abc";
	assert_int_equal(router_match(&r, &err), -1);
	assert_int_equal(err.status, 404);
	r.path = "/api/v1/programs/0";
	assert_int_equal(router_match(&r, &err), -1);
	r.method = "DELETE";
	r.path = "/api/v1/programs";
	assert_int_equal(router_match(&r, &err), -1);
	assert_int_equal(err.status, 405);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_has_a_rule),
		cmocka_unit_test(test_patterns_are_well_formed),
		cmocka_unit_test(test_router_matches_and_extracts_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
