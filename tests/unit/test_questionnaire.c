/*
 * test_questionnaire.c - questionnaire definitions and answers: every
 * refusal names the element (questionnaire[i] (key)) or the answer
 * (answers.<key>) and says what is expected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/questionnaire.h"

static mt_arena arena;

static const char *const defs =
	"[{\"key\":\"team_size\",\"label\":\"Team size\",\"type\":\"number\",\"min\":1,\"max\":500},"
	" {\"key\":\"format\",\"label\":\"Preferred format\",\"type\":\"choice\",\"required\":true,"
	"  \"options\":[\"In person\",\"Video\"]},"
	" {\"key\":\"topics\",\"label\":\"Topics\",\"type\":\"multi\","
	"  \"options\":[\"Leadership\",\"Career\",\"Technical\"]},"
	" {\"key\":\"why\",\"label\":\"Why do you join?\",\"type\":\"text\",\"required\":true,"
	"  \"help\":\"A sentence or two\"}]";

static int setup(void **state)
{
	(void)state;
	arena_init(&arena);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&arena);
	return 0;
}

static mt_questionnaire parse_ok(const char *json)
{
	mt_questionnaire q;
	mt_error e;
	mt_error_clear(&e);
	int rc = questionnaire_parse(&arena, json, &q, &e);
	if (rc)
		print_error("%s\n", e.message);
	assert_int_equal(rc, 0);
	return q;
}

static void expect_bad_defs(const char *json, const char *field, const char *message)
{
	mt_questionnaire q;
	mt_error e;
	assert_int_equal(questionnaire_parse(&arena, json, &q, &e), -1);
	assert_string_equal(e.field, field);
	assert_string_equal(e.message, message);
	assert_int_equal(e.status, 422);
}

static void test_parse_definitions(void **state)
{
	(void)state;
	mt_questionnaire q = parse_ok(defs);
	assert_int_equal(q.n_fields, 4);
	assert_string_equal(q.fields[0].key, "team_size");
	assert_int_equal(q.fields[0].type, MT_Q_NUMBER);
	assert_true(q.fields[0].has_min && q.fields[0].has_max);
	assert_true(q.fields[0].max == 500);
	assert_false(q.fields[0].required);
	assert_int_equal(q.fields[1].type, MT_Q_CHOICE);
	assert_true(q.fields[1].required);
	assert_int_equal(q.fields[1].n_options, 2);
	assert_string_equal(q.fields[1].options[1], "Video");
	assert_int_equal(q.fields[2].type, MT_Q_MULTI);
	assert_string_equal(q.fields[3].help, "A sentence or two");
	assert_string_equal(questionnaire_type_name(MT_Q_MULTI), "multi");
	q = parse_ok(NULL);
	assert_int_equal(q.n_fields, 0);
	q = parse_ok("  ");
	assert_int_equal(q.n_fields, 0);
	q = parse_ok("[]");
	assert_int_equal(q.n_fields, 0);
}

static void test_bad_definitions(void **state)
{
	(void)state;
	expect_bad_defs("{\"key\":\"x\"}", "questionnaire",
			"questionnaire: must be an array of field definitions");
	mt_questionnaire q;
	mt_error e;
	/* jansson words the detail; only our part is asserted. */
	assert_int_equal(questionnaire_parse(&arena, "[1,", &q, &e), -1);
	assert_string_equal(e.field, "questionnaire");
	assert_memory_equal(e.message, "questionnaire: not valid JSON (line 1, column 3: ", 49);
	expect_bad_defs("[\"x\"]", "questionnaire[0]",
			"questionnaire[0]: must be an object with key, label and type");
	expect_bad_defs("[{\"label\":\"X\",\"type\":\"text\"}]", "questionnaire[0].key",
			"questionnaire[0]: key is missing");
	expect_bad_defs("[{\"key\":\"Team Size\",\"label\":\"X\",\"type\":\"text\"}]",
			"questionnaire[0].key",
			"questionnaire[0]: key \"Team Size\" must be lower-case letters, digits "
			"and _, starting with a letter (at most 64)");
	expect_bad_defs("[{\"key\":\"a\",\"label\":\"A\",\"type\":\"text\"},"
			" {\"key\":\"team\",\"label\":\"Team\",\"type\":\"dropdown\"}]",
			"questionnaire[1].type",
			"questionnaire[1] (team): type must be text, choice, multi or number, not "
			"dropdown");
	expect_bad_defs("[{\"key\":\"team\",\"label\":\"Team\",\"type\":\"choice\"}]",
			"questionnaire[0].options",
			"questionnaire[0] (team): options must be a non-empty array of strings "
			"for a choice field");
	expect_bad_defs("[{\"key\":\"team\",\"label\":\"Team\",\"type\":\"multi\","
			"\"options\":[\"A\",\"a\"]}]",
			"questionnaire[0].options",
			"questionnaire[0] (team): option \"a\" appears twice");
	expect_bad_defs("[{\"key\":\"team\",\"label\":\"Team\",\"type\":\"text\","
			"\"options\":[\"A\"]}]",
			"questionnaire[0].options",
			"questionnaire[0] (team): options are only for choice and multi fields, "
			"not text");
	expect_bad_defs("[{\"key\":\"n\",\"label\":\"N\",\"type\":\"number\",\"min\":5,\"max\":1}]",
			"questionnaire[0].min",
			"questionnaire[0] (n): min must not be greater than max");
	expect_bad_defs("[{\"key\":\"n\",\"label\":\"N\",\"type\":\"text\",\"max\":1}]",
			"questionnaire[0].max", "questionnaire[0] (n): max is only for number fields");
	expect_bad_defs("[{\"key\":\"n\",\"label\":\"N\",\"type\":\"text\",\"requried\":true}]",
			"questionnaire[0]",
			"questionnaire[0] (n): unknown property \"requried\"; allowed: key, label, "
			"type, required, options, min, max, help");
	expect_bad_defs("[{\"key\":\"n\",\"label\":\"N\",\"type\":\"text\",\"required\":\"yes\"}]",
			"questionnaire[0].required",
			"questionnaire[0] (n): required must be true or false");
	expect_bad_defs("[{\"key\":\"a\",\"label\":\"Team size\",\"type\":\"text\"},"
			" {\"key\":\"a\",\"label\":\"B\",\"type\":\"text\"}]",
			"questionnaire[1].key",
			"questionnaire[1] (a): key \"a\" is used by an earlier field");
	expect_bad_defs("[{\"key\":\"a\",\"label\":\"Team size\",\"type\":\"text\"},"
			" {\"key\":\"b\",\"label\":\"team_size\",\"type\":\"text\"}]",
			"questionnaire[1].label",
			"questionnaire[1] (b): label \"team_size\" is used by an earlier field");
	expect_bad_defs("[{\"key\":\"a\",\"label\":\"  \",\"type\":\"text\"}]",
			"questionnaire[0].label",
			"questionnaire[0] (a): label must be a non-empty string");
}

static void expect_answers(const mt_questionnaire *q, const char *json, bool partial,
			   const char *field, const char *message)
{
	mt_error e;
	mt_error_clear(&e);
	int rc = questionnaire_check_answers_text(q, json, partial, &e);
	if (!field) {
		if (rc)
			print_error("%s\n", e.message);
		assert_int_equal(rc, 0);
		return;
	}
	assert_int_equal(rc, -1);
	assert_string_equal(e.field, field);
	assert_string_equal(e.message, message);
}

static void test_answers(void **state)
{
	(void)state;
	mt_questionnaire q = parse_ok(defs);
	expect_answers(&q, "{\"format\":\"Video\",\"why\":\"Grow\",\"team_size\":12,"
		       "\"topics\":[\"Career\",\"Technical\"]}", false, NULL, NULL);
	expect_answers(&q, "{\"format\":\"Video\",\"why\":\"Grow\",\"team_size\":null}", false,
		       NULL, NULL);
	expect_answers(&q, "{}", true, NULL, NULL);
	expect_answers(&q, "{\"why\":\"x\"}", false, "answers.format",
		       "answers.format: is required (Preferred format)");
	expect_answers(&q, "{\"format\":\"video\",\"why\":\"x\"}", false, "answers.format",
		       "answers.format: \"video\" is not an option; use In person or Video");
	expect_answers(&q, "{\"format\":3,\"why\":\"x\"}", false, "answers.format",
		       "answers.format: must be one of In person or Video");
	expect_answers(&q, "{\"format\":\"Video\",\"why\":\" \"}", false, "answers.why",
		       "answers.why: is empty; this question is required");
	expect_answers(&q, "{\"format\":\"Video\",\"why\":\"x\",\"team_size\":501}", false,
		       "answers.team_size",
		       "answers.team_size: 501 is out of range; use a number from 1 to 500");
	expect_answers(&q, "{\"format\":\"Video\",\"why\":\"x\",\"team_size\":\"12\"}", false,
		       "answers.team_size", "answers.team_size: must be a number from 1 to 500");
	expect_answers(&q, "{\"topics\":\"Career\"}", true, "answers.topics",
		       "answers.topics: must be a list of options from Leadership, Career or "
		       "Technical");
	expect_answers(&q, "{\"topics\":[\"Career\",\"Cooking\"]}", true, "answers.topics",
		       "answers.topics: \"Cooking\" is not an option; use Leadership, Career or "
		       "Technical");
	expect_answers(&q, "{\"topics\":[\"Career\",\"Career\"]}", true, "answers.topics",
		       "answers.topics: \"Career\" is listed twice");
	expect_answers(&q, "{\"team\":3}", true, "answers.team",
		       "answers.team: is not a field of this program's questionnaire");
	expect_answers(&q, "[1]", true, "answers", "answers: must be an object keyed by field key");
	mt_error e;
	assert_int_equal(questionnaire_check_answers_text(&q, "{\"a\":", true, &e), -1);
	assert_string_equal(e.field, "answers");
	assert_memory_equal(e.message, "answers: not valid JSON (line 1, column 5: ", 43);
}

static void test_cells(void **state)
{
	(void)state;
	mt_questionnaire q = parse_ok(defs);
	const char *out;
	mt_error e;
	const char *cells[4] = {" 12 ", "in PERSON", "technical; Career ;", "  To learn  "};
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, cells, NULL, &out, &e), 0);
	assert_string_equal(out, "{\"team_size\":12,\"format\":\"In person\",\"topics\":"
				 "[\"Technical\",\"Career\"],\"why\":\"To learn\"}");
	assert_int_equal(questionnaire_check_answers_text(&q, out, false, &e), 0);
	const char *partial[4] = {"2.5", NULL, "", NULL};
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, partial, NULL, &out, &e), 0);
	assert_string_equal(out, "{\"team_size\":2.5}");
	const char *none[4] = {NULL, NULL, NULL, NULL};
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, none, NULL, &out, &e), 0);
	assert_null(out);
	const char *names[4] = {"Team Size", "Format", "Topics", "Why"};
	const char *bad[4] = {"1e400", "Video", "", "x"};
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, bad, names, &out, &e), -1);
	assert_string_equal(e.message, "Team Size: \"1e400\" is not a number; use a number from 1 "
				       "to 500");
	bad[0] = "ten";
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, bad, NULL, &out, &e), -1);
	assert_string_equal(e.field, "answers.team_size");
	bad[0] = "";
	bad[1] = " ";
	assert_int_equal(questionnaire_answers_from_cells(&arena, &q, bad, names, &out, &e), -1);
	assert_string_equal(e.message, "Format: is empty; this question is required");
}

static void test_match_column(void **state)
{
	(void)state;
	mt_questionnaire q = parse_ok(defs);
	assert_ptr_equal(questionnaire_match_column(&q, "TEAM_SIZE"), &q.fields[0]);
	assert_ptr_equal(questionnaire_match_column(&q, "team-size"), &q.fields[0]);
	assert_ptr_equal(questionnaire_match_column(&q, "Preferred Format"), &q.fields[1]);
	assert_ptr_equal(questionnaire_match_column(&q, "format"), &q.fields[1]);
	assert_null(questionnaire_match_column(&q, "size"));
	assert_null(questionnaire_match_column(&q, ""));
	assert_null(questionnaire_match_column(NULL, "format"));
	assert_ptr_equal(questionnaire_field(&q, "why"), &q.fields[3]);
	assert_null(questionnaire_field(&q, "Why"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_definitions),
		cmocka_unit_test(test_bad_definitions),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_match_column),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
