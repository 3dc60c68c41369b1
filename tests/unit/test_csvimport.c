/*
 * test_csvimport.c - the CSV importer on files shaped like real HR exports:
 * BOMs, CRLF, quoted commas, quotes and line breaks, non-ASCII names,
 * aliases, and every kind of mistake, with the exact messages asserted
 * because users act on them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/csvimport.h"
#include "lib/strbuf.h"

typedef struct fixture {
	mt_arena arena;
	mt_csv_result r;
} fixture;

static int setup(void **state)
{
	static fixture f;
	arena_init(&f.arena);
	memset(&f.r, 0, sizeof f.r);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	arena_free(&f->arena);
	return 0;
}

static int people(fixture *f, const char *csv)
{
	return csvimport_people(&f->arena, csv, strlen(csv), &f->r);
}

static int members(fixture *f, const char *csv, const mt_questionnaire *q)
{
	return csvimport_members(&f->arena, csv, strlen(csv), q, &f->r);
}

/* Asserts the error list equals `want` (NULL-terminated), printing both. */
static void expect_list(const char *const *got, size_t n, const char *const *want)
{
	size_t nwant = 0;
	while (want[nwant])
		nwant++;
	for (size_t i = 0; i < n || i < nwant; i++) {
		const char *g = i < n ? got[i] : "(none)";
		const char *w = i < nwant ? want[i] : "(none)";
		if (strcmp(g, w) != 0)
			print_error("item %zu:\n  got:  %s\n  want: %s\n", i, g, w);
		assert_string_equal(g, w);
	}
}

#define EXPECT_ERRORS(f, ...)                                                   \
	do {                                                                    \
		const char *const want_[] = {__VA_ARGS__, NULL};                \
		expect_list((f)->r.errors, (f)->r.n_errors, want_);             \
	} while (0)
#define EXPECT_WARNINGS(f, ...)                                                 \
	do {                                                                    \
		const char *const want_[] = {__VA_ARGS__, NULL};                \
		expect_list((f)->r.warnings, (f)->r.n_warnings, want_);         \
	} while (0)

/* ---- valid files ------------------------------------------------------ */

static void test_bom_crlf_quotes_newlines(void **state)
{
	fixture *f = *state;
	const char *csv =
		"\xEF\xBB\xBF"
		"Email,Name,Job Title,Department,Location,Seniority,Manager Email,Hire Date,Opt In\r\n"
		"ana.silva@example.com,\"Silva, Ana\",\"Head of \"\"Platform\"\"\",Engineering,"
		"Lisbon,8,,2015-03-01,yes\r\n"
		"JOSE@Example.com,José García,\"Engineer,\r\nBackend\",Engineering,Madrid,3,"
		"Ana.Silva@example.com,2021-11-15,no\r\n"
		"\r\n"
		"zoe@example.com,Zoë Łukasz-Søren,Designer,Design,Oslo,2,ana.silva@example.com,"
		"2023-06-30,\r\n";
	assert_int_equal(people(f, csv), 0);
	assert_int_equal(f->r.n_errors, 0);
	assert_int_equal(f->r.n_warnings, 0);
	assert_int_equal(f->r.n_people, 3);
	const mt_person *p = f->r.people;
	assert_string_equal(p[0].email, "ana.silva@example.com");
	assert_string_equal(p[0].name, "Silva, Ana");
	assert_string_equal(p[0].job_title, "Head of \"Platform\"");
	assert_int_equal(p[0].seniority, 8);
	assert_null(p[0].manager_email);
	assert_string_equal(p[0].hire_date, "2015-03-01");
	assert_true(p[0].opt_in);
	assert_string_equal(p[1].email, "jose@example.com");
	assert_string_equal(p[1].name, "José García");
	assert_string_equal(p[1].job_title, "Engineer, Backend"); /* line break folded */
	assert_string_equal(p[1].manager_email, "ana.silva@example.com");
	assert_false(p[1].opt_in);
	assert_string_equal(p[2].name, "Zoë Łukasz-Søren");
	assert_true(p[2].opt_in); /* blank means the default */
	/* Line numbers are physical: record 2 spans lines 3-4, line 5 is blank. */
	assert_int_equal(f->r.lines[0], 2);
	assert_int_equal(f->r.lines[1], 3);
	assert_int_equal(f->r.lines[2], 6);
}

static void test_aliases_case_and_first_last(void **state)
{
	fixture *f = *state;
	const char *csv = "E-MAIL,first_name,Last-Name,POSITION,Org Unit,Grade,Reports To,"
			  "Date Hired,City,Time Zone,Languages,Gender,Age Band,demo_Pronouns,"
			  "Badge Number\n"
			  "li.wei@example.com,Wei,Li,Analyst,Finance,G4,,2020-02-29,Singapore,"
			  "Asia/Singapore,\"Mandarin; English\",female,25-34,she/her,1234\n"
			  "madonna@example.com,Madonna,,Singer,Sales,L10,li.wei@example.com,,,,,,,,\n";
	assert_int_equal(people(f, csv), 0);
	EXPECT_WARNINGS(f, "line 1, column Badge Number: unknown column; ignored");
	assert_int_equal(f->r.n_people, 2);
	const mt_person *p = f->r.people;
	assert_string_equal(p[0].name, "Wei Li");
	assert_string_equal(p[0].job_title, "Analyst");
	assert_string_equal(p[0].department, "Finance");
	assert_string_equal(p[0].location, "Singapore");
	assert_string_equal(p[0].timezone, "Asia/Singapore");
	assert_string_equal(p[0].languages, "Mandarin, English");
	assert_int_equal(p[0].seniority, 4);
	assert_string_equal(p[0].hire_date, "2020-02-29");
	assert_string_equal(p[0].demographics,
			    "{\"gender\":\"female\",\"age_band\":\"25-34\",\"pronouns\":\"she/her\"}");
	assert_string_equal(p[1].name, "Madonna");
	assert_int_equal(p[1].seniority, 10);
	assert_null(p[1].demographics);
}

static void test_lf_cr_and_trailing_commas(void **state)
{
	fixture *f = *state;
	/* Old Mac line ends, an Excel row with trailing empty cells, a row of
	 * empty cells, and no final newline. */
	const char *csv = "email,name\r"
			  "a@example.com,A,,\r"
			  ",\r"
			  "b@example.com,B";
	assert_int_equal(people(f, csv), 0);
	assert_int_equal(f->r.n_people, 2);
	assert_int_equal(f->r.lines[0], 2);
	assert_int_equal(f->r.lines[1], 4);
}

static void test_duplicate_column_prefers_canonical(void **state)
{
	fixture *f = *state;
	const char *csv = "Work Email,Email,Name,Team,Department\n"
			  "old@example.com,new@example.com,N,Blue,Sales\n";
	assert_int_equal(people(f, csv), 0);
	EXPECT_WARNINGS(f, "line 1, column Work Email: ignored; column Email already gives email",
			"line 1, column Team: ignored; column Department already gives department");
	assert_string_equal(f->r.people[0].email, "new@example.com");
	assert_string_equal(f->r.people[0].department, "Sales");
}

/* ---- errors ----------------------------------------------------------- */

static void test_every_problem_by_line_and_column(void **state)
{
	fixture *f = *state;
	const char *csv =
		"\xEF\xBB\xBF" "Email,Full Name,Level,Start Date,Manager,Opt-In,Notes\r\n"
		"ok@example.com,Okay Person,3,2020-01-01,,yes,\"multi\r\nline\r\nnote\"\r\n"
		"bad-email,Bad Email,3,2020-01-01,,yes,\r\n"
		"nums@example.com,Bad Numbers,eleven,2023-02-30,,maybe,\r\n"
		"OK@example.com,Duplicate,2,2020-13-01,ok@example.com,y,\r\n"
		"empty@example.com,,0,01/02/2020,Bob Smith,n,\r\n"
		"self@example.com,Self,5,,SELF@example.com,1,\r\n"
		"short@example.com,Too Short\r\n"
		",,,,,,\r\n"
		"last@example.com,Last Row,11,2019-02-29,,no,\r\n";
	assert_int_equal(people(f, csv), -1);
	EXPECT_ERRORS(f,
		"line 5, column Email: \"bad-email\" is not a valid email address; use name@example.com",
		"line 6, column Level: \"eleven\" is not a whole number; use 1 to 10",
		"line 6, column Start Date: \"2023-02-30\" is not a real date; use YYYY-MM-DD",
		"line 6, column Opt-In: \"maybe\" is not yes or no; use yes/no, true/false, y/n or 1/0",
		"line 7, column Email: ok@example.com is also on line 2; each email may appear once",
		"line 7, column Start Date: \"2020-13-01\" is not a real date; use YYYY-MM-DD",
		"line 7, column Manager: is the person's own email; nobody can manage themself",
		"line 8, column Full Name: is empty; a value is required",
		"line 8, column Level: 0 is out of range; use 1 to 10",
		"line 8, column Start Date: \"01/02/2020\" is not a date; use YYYY-MM-DD",
		"line 8, column Manager: \"Bob Smith\" is not an email address; give the manager's email",
		"line 9, column Manager: is the person's own email; nobody can manage themself",
		"line 10: has 2 fields but the header has 7; check for a missing quote or an unquoted comma",
		"line 12, column Level: 11 is out of range; use 1 to 10",
		"line 12, column Start Date: \"2019-02-29\" is not a real date; use YYYY-MM-DD");
	EXPECT_WARNINGS(f, "line 1, column Notes: unknown column; ignored");
	mt_error err;
	mt_error_clear(&err);
	assert_int_equal(csvimport_error(&f->r, &err), -1);
	assert_int_equal(err.status, 422);
	assert_string_equal(err.code, "invalid_csv");
	assert_string_equal(err.field, "line 5, column Email");
	assert_string_equal(err.message,
			    "15 problems in the CSV file; nothing was imported. First: line 5, "
			    "column Email: \"bad-email\" is not a valid email address; use "
			    "name@example.com");
}

static void test_missing_columns(void **state)
{
	fixture *f = *state;
	assert_int_equal(people(f, "Employee ID,Department\n17,Sales\n"), -1);
	EXPECT_ERRORS(f,
		"line 1: missing required column email (accepted names: email, e-mail, work email, "
		"email address, e-mail address, mail, business email)",
		"line 1: missing required column name (accepted names: name, full name, employee "
		"name, display name; or first name and last name)");
	EXPECT_WARNINGS(f, "line 1, column Employee ID: unknown column; ignored");
}

static void test_first_without_last(void **state)
{
	fixture *f = *state;
	assert_int_equal(people(f, "mail,Given Name\nx@example.com,X\n"), -1);
	EXPECT_ERRORS(f, "line 1: missing required column last name (found column Given Name; a "
			 "name needs first name and last name columns, or one name column)");
}

static void test_empty_names_in_first_last(void **state)
{
	fixture *f = *state;
	assert_int_equal(people(f, "email,first name,last name\nx@example.com, , \n"), -1);
	EXPECT_ERRORS(f, "line 2, column first name: is empty, and so is the last name; a name "
			 "is required");
}

static void test_invalid_utf8(void **state)
{
	fixture *f = *state;
	/* "José" saved as Latin-1 by an old spreadsheet. */
	const char *csv = "email,name\njose@example.com,Jos\xE9" " Garc\xED" "a\n";
	assert_int_equal(people(f, csv), -1);
	EXPECT_ERRORS(f, "line 2, column name: invalid UTF-8 (byte 0xE9 at position 4); save the "
			 "file as UTF-8");
}

static void test_utf16_refused(void **state)
{
	fixture *f = *state;
	const char csv[] = "\xFF\xFE" "e\0m\0a\0i\0l\0";
	assert_int_equal(csvimport_people(&f->arena, csv, sizeof csv - 1, &f->r), -1);
	EXPECT_ERRORS(f, "line 1: the file is UTF-16; save it as CSV UTF-8");
}

static void test_empty_and_header_only(void **state)
{
	fixture *f = *state;
	assert_int_equal(people(f, ""), -1);
	EXPECT_ERRORS(f, "line 1: the file is empty; expected a header line with column names");
	memset(&f->r, 0, sizeof f->r);
	assert_int_equal(people(f, "\xEF\xBB\xBF" "email,name\r\n"), 0);
	EXPECT_WARNINGS(f, "the file has a header but no data rows");
}

static void test_malformed_quotes(void **state)
{
	fixture *f = *state;
	const char *csv = "email,name\n"
			  "a@example.com,\"Ann\"e\n"
			  "b@example.com,Bob \"the\" Builder\n"
			  "c@example.com,Cy\n"
			  "d@example.com,\"Never closed\n"
			  "e@example.com,E\n";
	assert_int_equal(people(f, csv), -1);
	EXPECT_ERRORS(f,
		"line 2: malformed quotes; a field that contains a quote must be enclosed in "
		"quotes, with the quote doubled (\"\"), and nothing may follow the closing quote",
		"line 3: malformed quotes; a field that contains a quote must be enclosed in "
		"quotes, with the quote doubled (\"\"), and nothing may follow the closing quote",
		"line 5: a quoted field that starts here is never closed; add the missing quote (\")");
	assert_int_equal(f->r.n_people, 1);
	assert_string_equal(f->r.people[0].email, "c@example.com");
	assert_int_equal(f->r.lines[0], 4);
}

static void test_left_before_hire_and_bad_timezone(void **state)
{
	fixture *f = *state;
	const char *csv = "email,name,hire date,termination date,tz\n"
			  "a@example.com,A,2020-05-01,2019-01-01,Mars Base\n";
	assert_int_equal(people(f, csv), -1);
	EXPECT_ERRORS(f,
		"line 2, column termination date: 2019-01-01 is before the hire date 2020-05-01",
		"line 2, column tz: \"Mars Base\" is not a time zone; use an IANA name like "
		"Europe/Paris or UTC");
}

/* ---- memberships ------------------------------------------------------ */

static const char *const defs =
	"[{\"key\":\"team_size\",\"label\":\"Team size\",\"type\":\"number\",\"min\":0,\"max\":500},"
	" {\"key\":\"format\",\"label\":\"Preferred format\",\"type\":\"choice\","
	"  \"options\":[\"In person\",\"Video\",\"Either\"],\"required\":true},"
	" {\"key\":\"topics\",\"label\":\"Topics\",\"type\":\"multi\","
	"  \"options\":[\"Leadership\",\"Career\",\"Technical\"]},"
	" {\"key\":\"motto\",\"label\":\"Motto\",\"type\":\"text\",\"required\":true}]";

static void test_members_valid(void **state)
{
	fixture *f = *state;
	mt_questionnaire q;
	mt_error err;
	assert_int_equal(questionnaire_parse(&f->arena, defs, &q, &err), 0);
	const char *csv =
		"Email,Role,Max Mentees,Skills,Goal Areas,Goals,Years of Experience,Status,"
		"Join Date,Program,Team Size,Preferred Format,TOPICS\r\n"
		"ana@example.com,Mentor,3,\"Public speaking:4; SQL:5\",,,\"12\",,2024-01-08,"
		"Spring,40,video,\"Leadership; career\"\r\n"
		"jose@example.com,mentee,,\"Negotiation; Kubernetes:2\",\"New skill; satisfaction;"
		" training\",\"Lead a team,\nand present to the board\",2,Pending,,Spring,,Either,\r\n";
	assert_int_equal(members(f, csv, &q), 0);
	EXPECT_WARNINGS(f,
		"line 1, column Program: ignored; the program is chosen when importing",
		"line 1: no column for the required question motto (Motto); members will be asked "
		"to answer it");
	assert_int_equal(f->r.n_members, 2);
	const mt_membership *m = f->r.members;
	assert_string_equal(m[0].email, "ana@example.com");
	assert_int_equal(m[0].role, MT_ROLE_MENTOR);
	assert_int_equal(m[0].capacity, 3);
	assert_int_equal(m[0].n_skills, 2);
	assert_string_equal(m[0].skills[0].skill, "Public speaking");
	assert_int_equal(m[0].skills[0].level, 4);
	assert_string_equal(m[0].skills[1].skill, "SQL");
	assert_int_equal(m[0].skills[1].level, 5);
	assert_int_equal(m[0].years_experience, 12);
	assert_string_equal(m[0].status, "active");
	assert_string_equal(m[0].joined_on, "2024-01-08");
	assert_string_equal(m[0].answers,
			    "{\"team_size\":40,\"format\":\"Video\",\"topics\":[\"Leadership\","
			    "\"Career\"]}");
	assert_int_equal(m[1].role, MT_ROLE_MENTEE);
	assert_int_equal(m[1].capacity, 0);
	assert_int_equal(m[1].skills[0].level, 3); /* default */
	assert_int_equal(m[1].skills[1].level, 2);
	assert_int_equal(m[1].goal_areas, (1u << MT_GOAL_NEW_SKILL) | (1u << MT_GOAL_ENGAGEMENT) |
						  (1u << MT_GOAL_CERTIFICATION));
	assert_string_equal(m[1].goals, "Lead a team,\nand present to the board");
	assert_string_equal(m[1].status, "pending");
	assert_null(m[1].joined_on);
	assert_string_equal(m[1].answers, "{\"format\":\"Either\"}");
	assert_int_equal(f->r.lines[1], 3);
}

static void test_members_errors(void **state)
{
	fixture *f = *state;
	mt_questionnaire q;
	mt_error err;
	assert_int_equal(questionnaire_parse(&f->arena, defs, &q, &err), 0);
	const char *csv =
		"email,role,capacity,skills,goal areas,years experience,status,joined,left,"
		"team size,preferred format,topics,motto\n"
		"a@example.com,coach,25,\"SQL:9; :3\",growth,-1,retired,2024-02-30,,many,Phone,"
		"\"Career;Cooking\",\n"
		"b@example.com,mentee,2,\"SQL; sql:2\",,61,active,2024-03-01,2024-02-01,501,,,Hi\n"
		"b@example.com,mentor,0,,,,,,,,video,,Yo\n";
	assert_int_equal(members(f, csv, &q), -1);
	EXPECT_ERRORS(f,
		"line 2, column role: \"coach\" is not a role; use mentor or mentee",
		"line 2, column capacity: 25 is out of range; use 1 to 20",
		"line 2, column skills: \"SQL:9\" has a level that is not 1 to 5; write skills as "
		"\"Public speaking:4; SQL:3\" (level 1 to 5, default 3)",
		"line 2, column skills: \":3\" has no skill name; write skills as \"Public "
		"speaking:4; SQL:3\" (level 1 to 5, default 3)",
		"line 2, column goal areas: \"growth\" is not a goal category; use one of new_skill, "
		"promotion, performance, engagement, certification, other",
		"line 2, column years experience: -1 is out of range; use 0 to 60",
		"line 2, column status: \"retired\" is not a status; use pending, active, paused or "
		"left",
		"line 2, column joined: \"2024-02-30\" is not a real date; use YYYY-MM-DD",
		"line 2, column team size: \"many\" is not a number; use a number from 0 to 500",
		"line 2, column preferred format: \"Phone\" is not an option; use In person, Video "
		"or Either",
		"line 2, column topics: \"Cooking\" is not an option; use Leadership, Career or "
		"Technical",
		"line 2, column motto: is empty; this question is required",
		"line 3, column skills: sql is listed twice",
		"line 3, column years experience: 61 is out of range; use 0 to 60",
		"line 3, column left: 2024-02-01 is before the join date 2024-03-01",
		"line 3, column team size: 501 is out of range; use a number from 0 to 500",
		"line 3, column preferred format: is empty; this question is required",
		/* b@ on line 4 is a mentor, on line 3 a mentee: both are allowed. */
		"line 4, column capacity: 0 is out of range; use 1 to 20");
	EXPECT_WARNINGS(f, "line 3, column capacity: capacity is for mentors only; ignored for a "
			   "mentee");
}

static void test_members_missing_role(void **state)
{
	fixture *f = *state;
	assert_int_equal(members(f, "Email Address,Name\nx@example.com,X\n", NULL), -1);
	EXPECT_ERRORS(f, "line 1: missing required column role (accepted names: role, participant "
			 "role, program role, participant type, member role, type)");
	EXPECT_WARNINGS(f, "line 1, column Name: unknown column; ignored");
}

/* ---- scale ------------------------------------------------------------ */

static void test_large_file_is_linear(void **state)
{
	fixture *f = *state;
	enum { N = 20000 };
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "email,name,department,seniority,manager email\n");
	sb_adds(&sb, "p0@example.com,Person 0,Sales,10,\n");
	for (int i = 1; i < N; i++)
		sb_addf(&sb, "p%d@example.com,Person %d,Sales,%d,p%d@example.com\n", i, i,
			i % 10 + 1, (i - 1) / 4);
	sb_addf(&sb, "p%d@example.com,Dup,Sales,1,\n", N / 2);
	assert_int_equal(csvimport_people(&f->arena, sb.buf, sb.len, &f->r), -1);
	assert_int_equal(f->r.n_people, N + 1);
	assert_int_equal(f->r.n_errors, 1);
	char want[128];
	snprintf(want, sizeof want, "line %d, column email: p%d@example.com is also on line %d; "
		 "each email may appear once", N + 2, N / 2, N / 2 + 2);
	assert_string_equal(f->r.errors[0], want);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bom_crlf_quotes_newlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aliases_case_and_first_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lf_cr_and_trailing_commas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_column_prefers_canonical, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_every_problem_by_line_and_column, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_without_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_names_in_first_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf16_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_header_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_before_hire_and_bad_timezone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_members_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_missing_role, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file_is_linear, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
