/*
 * test_demogen.c - the demo generator is deterministic and its data keeps
 * the invariants the rest of the system relies on (unique emails, managers
 * before their reports and more senior, mentors fewer than mentees,
 * capacities 1..5, valid levels and dates).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csvimport.h"
#include "domain/demogen.h"
#include "domain/validate.h"
#include "lib/strbuf.h"

static int32_t today(void)
{
	return validate_ymd_to_days(2025, 6, 1);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool same_person(const mt_person *x, const mt_person *y)
{
	return strcmp(x->email, y->email) == 0 && strcmp(x->name, y->name) == 0 &&
	       strcmp(x->job_title, y->job_title) == 0 && x->seniority == y->seniority &&
	       x->manager_id == y->manager_id && strcmp(x->hire_date, y->hire_date) == 0 &&
	       x->opt_in == y->opt_in;
}

static void test_deterministic(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *p1, *p2, *p3;
	size_t n1, n2, n3;
	demogen_org(&a, 7, 400, today(), &p1, &n1);
	demogen_org(&a, 7, 400, today(), &p2, &n2);
	demogen_org(&a, 8, 400, today(), &p3, &n3);
	assert_int_equal(n1, 400);
	assert_int_equal(n2, 400);
	size_t differ = 0;
	for (size_t i = 0; i < n1; i++) {
		assert_true(same_person(&p1[i], &p2[i]));
		differ += !same_person(&p1[i], &p3[i]);
	}
	assert_true(differ > 300);
	mt_membership *m1, *m2;
	size_t k1, k2;
	demogen_program(&a, 7, p1, n1, 0.6, today(), &m1, &k1);
	demogen_program(&a, 7, p2, n2, 0.6, today(), &m2, &k2);
	assert_int_equal(k1, k2);
	for (size_t i = 0; i < k1; i++) {
		assert_string_equal(m1[i].email, m2[i].email);
		assert_int_equal(m1[i].role, m2[i].role);
		assert_int_equal(m1[i].capacity, m2[i].capacity);
		assert_int_equal(m1[i].n_skills, m2[i].n_skills);
		assert_string_equal(m1[i].goals, m2[i].goals);
	}
	arena_free(&a);
}

static void test_org_invariants(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *p;
	size_t n;
	demogen_org(&a, 2024, 5000, today(), &p, &n);
	const char **emails = malloc(n * sizeof *emails);
	size_t non_ascii = 0, opted_in = 0, low = 0;
	assert_null(p[0].manager_email);
	assert_int_equal(p[0].seniority, 10);
	for (size_t i = 0; i < n; i++) {
		mt_error e;
		const char *norm;
		emails[i] = p[i].email;
		assert_int_equal(p[i].id, (int64_t)i + 1);
		assert_int_equal(validate_email(&a, "email", p[i].email, &norm, &e), 0);
		assert_string_equal(norm, p[i].email);
		for (const char *c = p[i].email; *c; c++)
			assert_true((unsigned char)*c < 0x80);
		for (const char *c = p[i].name; *c; c++)
			if ((unsigned char)*c >= 0x80) {
				non_ascii++;
				break;
			}
		assert_int_equal(validate_utf8("name", p[i].name, strlen(p[i].name), &e), 0);
		assert_true(p[i].seniority >= 1 && p[i].seniority <= 10);
		low += p[i].seniority <= 4;
		assert_non_null(p[i].job_title);
		assert_non_null(p[i].department);
		assert_non_null(p[i].location);
		assert_int_equal(validate_timezone(&a, "tz", p[i].timezone, &norm, &e), 0);
		int32_t hired;
		assert_int_equal(validate_date_parse(p[i].hire_date, &hired), 0);
		assert_true(hired <= today() && hired >= today() - 3700);
		opted_in += p[i].opt_in;
		if (i == 0)
			continue;
		/* The manager comes earlier, is more senior, and (below the
		 * department heads) is in the same department. */
		assert_non_null(p[i].manager_email);
		assert_true(p[i].manager_id >= 1 && p[i].manager_id < p[i].id);
		const mt_person *m = &p[p[i].manager_id - 1];
		assert_string_equal(m->email, p[i].manager_email);
		assert_true(m->seniority > p[i].seniority);
		if (m->id != 1)
			assert_string_equal(m->department, p[i].department);
	}
	qsort(emails, n, sizeof *emails, cmp_str);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(emails[i - 1], emails[i]) != 0);
	assert_true(non_ascii > n / 20);
	assert_true(opted_in > n * 85 / 100 && opted_in < n);
	assert_true(low > n / 2); /* skewed low */
	free(emails);
	arena_free(&a);
}

static void test_program_invariants(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *p;
	mt_membership *m;
	size_t n, k, mentors = 0, mentees = 0;
	double mentor_seniority = 0, mentee_seniority = 0;
	demogen_org(&a, 99, 2000, today(), &p, &n);
	demogen_program(&a, 99, p, n, 0.5, today(), &m, &k);
	assert_true(k > n / 3 && k < n * 6 / 10);
	for (size_t i = 0; i < k; i++) {
		const mt_person *who = &p[m[i].person_id - 1];
		assert_string_equal(who->email, m[i].email);
		assert_true(who->opt_in);
		assert_true(m[i].n_skills >= 1);
		for (size_t s = 0; s < m[i].n_skills; s++) {
			int lvl = m[i].skills[s].level;
			if (m[i].role == MT_ROLE_MENTOR)
				assert_true(lvl >= 3 && lvl <= 5);
			else
				assert_true(lvl >= 1 && lvl <= 3);
		}
		int32_t joined, hired;
		assert_int_equal(validate_date_parse(m[i].joined_on, &joined), 0);
		assert_int_equal(validate_date_parse(who->hire_date, &hired), 0);
		assert_true(joined >= hired && joined <= today());
		assert_true(m[i].years_experience >= 0 && m[i].years_experience <= 45);
		assert_non_null(m[i].goals);
		if (m[i].role == MT_ROLE_MENTOR) {
			mentors++;
			mentor_seniority += who->seniority;
			assert_true(m[i].capacity >= 1 && m[i].capacity <= 5);
		} else {
			mentees++;
			mentee_seniority += who->seniority;
			assert_int_equal(m[i].capacity, 0);
			assert_true(m[i].goal_areas != 0);
		}
	}
	assert_true(mentors > 0 && mentors < mentees);
	assert_true(mentees >= 2 * mentors && mentees <= 6 * mentors); /* about 1 : 3-4 */
	assert_true(mentor_seniority / (double)mentors > mentee_seniority / (double)mentees + 1);
	arena_free(&a);
}

static void test_catalogue(void **state)
{
	(void)state;
	size_t n, nd;
	const mt_demogen_skill *s = demogen_skills(&n);
	const char *const *depts = demogen_departments(&nd);
	assert_true(n >= 35 && n <= 50);
	assert_true(nd >= 10);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			assert_true(strcmp(s[i].name, s[j].name) != 0);
		if (!s[i].department)
			continue;
		bool known = false;
		for (size_t d = 0; d < nd; d++)
			known |= strcmp(depts[d], s[i].department) == 0;
		assert_true(known);
	}
}

static void test_rng(void **state)
{
	(void)state;
	mt_rng r;
	demogen_rng_seed(&r, 1);
	unsigned hist[10] = {0};
	for (int i = 0; i < 100000; i++)
		hist[demogen_rng_below(&r, 10)]++;
	for (int i = 0; i < 10; i++)
		assert_true(hist[i] > 9500 && hist[i] < 10500);
	for (int i = 0; i < 1000; i++) {
		double u = demogen_rng_unit(&r);
		assert_true(u >= 0 && u < 1);
	}
}

static void test_tiny_and_large(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *p;
	size_t n;
	demogen_org(&a, 1, 1, today(), &p, &n);
	assert_int_equal(n, 1);
	assert_null(p[0].manager_email);
	demogen_org(&a, 1, 3, today(), &p, &n);
	assert_int_equal(n, 3);
	demogen_org(&a, 1, DEMOGEN_LARGE_PEOPLE, today(), &p, &n);
	assert_int_equal(n, DEMOGEN_LARGE_PEOPLE);
	for (size_t i = 1; i < n; i++)
		assert_true(p[i].manager_id >= 1 && p[i].manager_id <= (int64_t)i);
	arena_free(&a);
}

/* Quotes a CSV field (RFC 4180) into sb. */
static void csv_field(strbuf *sb, const char *s, bool last)
{
	sb_addc(sb, '"');
	for (; s && *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	sb_adds(sb, last ? "\"\r\n" : "\",");
}

/* What the generator makes, the importer accepts unchanged. */
static void test_round_trip_through_csv_import(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_person *p;
	size_t n;
	demogen_org(&a, 3, 1000, today(), &p, &n);
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "email,name,job title,department,location,timezone,languages,seniority,"
		     "manager email,hire date,opt in\r\n");
	for (size_t i = 0; i < n; i++) {
		char sen[8];
		snprintf(sen, sizeof sen, "%d", p[i].seniority);
		const char *cells[] = {p[i].email, p[i].name, p[i].job_title, p[i].department,
				       p[i].location, p[i].timezone, p[i].languages, sen,
				       p[i].manager_email, p[i].hire_date,
				       p[i].opt_in ? "yes" : "no"};
		for (size_t c = 0; c < 11; c++)
			csv_field(&sb, cells[c], c == 10);
	}
	mt_csv_result r;
	assert_int_equal(csvimport_people(&a, sb.buf, sb.len, &r), 0);
	assert_int_equal(r.n_people, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(r.people[i].email, p[i].email);
		assert_string_equal(r.people[i].name, p[i].name);
		assert_string_equal(r.people[i].languages, p[i].languages);
		assert_int_equal(r.people[i].seniority, p[i].seniority);
		assert_int_equal(r.people[i].opt_in, p[i].opt_in);
		if (p[i].manager_email)
			assert_string_equal(r.people[i].manager_email, p[i].manager_email);
	}
	sb_release(&sb);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_org_invariants),
		cmocka_unit_test(test_program_invariants),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_tiny_and_large),
		cmocka_unit_test(test_round_trip_through_csv_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
