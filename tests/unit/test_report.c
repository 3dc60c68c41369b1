/* test_report.c - the export writers: CSV quoting, the byte order mark,
 * formula-injection escaping, numbers left alone, sheet-name sanitising,
 * KPI JSON into tables, and an XLSX that is a zip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "report/csv.h"
#include "report/table.h"
#include "report/xlsx.h"

/* The CSV field one text cell becomes. */
static char *text_field(const char *s)
{
	strbuf sb = STRBUF_INIT;
	report_csv_text(&sb, s);
	return sb_detach(&sb);
}

static void expect_text(const char *in, const char *want)
{
	char *got = text_field(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_csv_quoting(void **state)
{
	(void)state;
	expect_text("plain", "plain");
	expect_text("", "");
	expect_text("a,b", "\"a,b\"");
	expect_text("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_text("two\nlines", "\"two\nlines\"");
	expect_text("cr\rhere", "\"cr\rhere\"");
	expect_text("Zoë Ünal", "Zoë Ünal");
	expect_text("it's", "it's");
}

static void test_formula_escaping(void **state)
{
	(void)state;
	/* Each of = + - @ (and tab, CR) at the start gets a quote in front. */
	expect_text("=SUM(A1:A9)", "'=SUM(A1:A9)");
	expect_text("+1", "'+1");
	expect_text("-3", "'-3");
	expect_text("@cmd", "'@cmd");
	expect_text("\t=1", "'\t=1");
	expect_text("\r=1", "\"'\r=1\"");
	/* Quoting and escaping together: the quote goes inside the quotes. */
	expect_text("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	/* Not at the start: untouched. */
	expect_text("a=b", "a=b");
	expect_text("x-1", "x-1");
	assert_true(report_csv_is_formula("=1"));
	assert_false(report_csv_is_formula("1="));
	assert_false(report_csv_is_formula(""));
}

static void test_numbers_not_escaped(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	report_cell c;
	report_cell_int(&c, -3);
	report_csv_cell(&sb, &c);
	assert_string_equal(sb_str(&sb), "-3");
	sb_reset(&sb);
	report_cell_real(&c, -2.5);
	report_csv_cell(&sb, &c);
	assert_string_equal(sb_str(&sb), "-2.5");
	sb_reset(&sb);
	report_cell_real(&c, 0.1);
	report_csv_cell(&sb, &c);
	assert_string_equal(sb_str(&sb), "0.1");
	sb_reset(&sb);
	report_cell_real(&c, 1.0 / 3.0);
	report_csv_cell(&sb, &c);
	assert_true(strtod(sb_str(&sb), NULL) == 1.0 / 3.0);
	sb_reset(&sb);
	report_cell_int(&c, 9007199254740993LL);
	report_csv_cell(&sb, &c);
	assert_string_equal(sb_str(&sb), "9007199254740993");
	sb_reset(&sb);
	report_cell_null(&c);
	report_csv_cell(&sb, &c);
	assert_string_equal(sb_str(&sb), "");
	sb_release(&sb);
}

static report_table *sample(mt_arena *a)
{
	report_table *t = report_table_new(a, "people");
	report_table_add_column(t, "name", REPORT_TEXT);
	report_table_add_column(t, "delta", REPORT_INTEGER);
	report_table_add_column(t, "joined_on", REPORT_DATE);
	report_cell *row = report_table_add_row(t);
	report_cell_text(t, &row[0], REPORT_TEXT, "=cmd|' /C calc'!A0");
	report_cell_int(&row[1], -3);
	report_cell_text(t, &row[2], REPORT_DATE, "2025-03-10");
	row = report_table_add_row(t);
	report_cell_text(t, &row[0], REPORT_TEXT, "Smith, Ann");
	report_cell_null(&row[1]);
	report_cell_text(t, &row[2], REPORT_DATE, NULL);
	return t;
}

static void test_csv_table_and_bom(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	report_table *t = sample(&a);
	strbuf sb = STRBUF_INIT;
	report_csv_write(&sb, t, false);
	assert_string_equal(sb_str(&sb), "name,delta,joined_on\r\n"
					 "'=cmd|' /C calc'!A0,-3,2025-03-10\r\n"
					 "\"Smith, Ann\",,\r\n");
	sb_reset(&sb);
	report_csv_write(&sb, t, true);
	assert_int_equal(memcmp(sb.buf, "\xEF\xBB\xBF" "name,", 8), 0);
	sb_reset(&sb);
	/* A book: each table under its name, separated by an empty record. */
	report_book book;
	report_book_init(&book, &a);
	report_book_add(&book, t);
	report_table *u = report_table_new(&a, "R1");
	report_table_add_column(u, "figure", REPORT_TEXT);
	report_cell_text(u, report_table_add_row(u), REPORT_TEXT, "x");
	report_book_add(&book, u);
	report_csv_write_book(&sb, &book, false);
	assert_non_null(strstr(sb_str(&sb), "\"Smith, Ann\",,\r\n\r\nR1\r\nfigure\r\nx\r\n"));
	assert_int_equal(strncmp(sb_str(&sb), "people\r\nname,", 13), 0);
	sb_release(&sb);
	arena_free(&a);
}

static void test_sheet_names(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	assert_string_equal(report_sheet_name(&a, "pairs", NULL, 0), "pairs");
	assert_string_equal(report_sheet_name(&a, "a[b]:c*d?e/f\\g", NULL, 0), "a_b__c_d_e_f_g");
	assert_string_equal(report_sheet_name(&a, "", NULL, 0), "Sheet");
	assert_string_equal(report_sheet_name(&a, NULL, NULL, 0), "Sheet");
	assert_string_equal(report_sheet_name(&a, "'quoted'", NULL, 0), "_quoted_");
	assert_string_equal(report_sheet_name(&a, "tab\there", NULL, 0), "tab_here");
	const char *long_name = "R3 breakdown.demographics.gender_identity";
	const char *cut = report_sheet_name(&a, long_name, NULL, 0);
	assert_int_equal(strlen(cut), 31);
	assert_int_equal(strncmp(cut, long_name, 31), 0);
	/* 31 characters, not bytes: a multi-byte character is never split. */
	const char *umlauts = "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ"; /* 35 x 2 bytes */
	assert_int_equal(strlen(report_sheet_name(&a, umlauts, NULL, 0)), 62);
	/* Unique without regard to case, still within 31 characters. */
	const char *taken[] = {"Pairs", "pairs (2)"};
	assert_string_equal(report_sheet_name(&a, "pairs", taken, 1), "pairs (2)");
	assert_string_equal(report_sheet_name(&a, "PAIRS", taken, 2), "PAIRS (3)");
	const char *taken_long[] = {cut};
	const char *second = report_sheet_name(&a, long_name, taken_long, 1);
	assert_int_equal(strlen(second), 31);
	assert_string_equal(second + 27, " (2)");
	arena_free(&a);
}

static void test_kpi_tables(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_error err;
	json_error_t jerr;
	json_t *kpis = json_loads(
		"{\"R2\": {\"definition\": \"capacity\", \"capacity\": 7,"
		"  \"utilisation\": {\"numerator\": 3, \"denominator\": 7, \"value\": 0.43},"
		"  \"over_capacity\": [{\"person_id\": 4, \"name\": \"=Eve\"},"
		"                     {\"person_id\": 5, \"seats\": 2}]},"
		" \"P5\": {\"series\": [{\"period\": \"2025-03-03\", \"new\": 2, \"cumulative\": 2.5}],"
		"          \"empty\": null, \"tags\": [\"a\", \"b\"]}}",
		0, &jerr);
	assert_non_null(kpis);
	report_book book;
	report_book_init(&book, &a);
	assert_int_equal(report_tables_from_kpis(&book, kpis, &err), 0);
	assert_int_equal(book.n, 5);
	assert_string_equal(book.tables[0]->name, "R2");
	assert_string_equal(book.tables[1]->name, "R2 over_capacity");
	assert_string_equal(book.tables[2]->name, "P5");
	assert_string_equal(book.tables[3]->name, "P5 series");
	assert_string_equal(book.tables[4]->name, "P5 tags");

	const report_table *r2 = book.tables[0];
	assert_int_equal(r2->nrows, 5);
	assert_string_equal(report_table_cell(r2, 2, 0)->s, "utilisation.numerator");
	assert_int_equal(report_table_cell(r2, 2, 1)->type, REPORT_INTEGER);
	assert_string_equal(report_table_cell(r2, 4, 0)->s, "utilisation.value");
	assert_int_equal(report_table_cell(r2, 4, 1)->type, REPORT_REAL);

	const report_table *over = book.tables[1];
	assert_int_equal(over->ncols, 3); /* union of keys */
	assert_string_equal(over->cols[2].name, "seats");
	assert_int_equal(over->cols[0].type, REPORT_INTEGER);
	assert_int_equal(report_table_cell(over, 0, 2)->type, REPORT_NULL);
	assert_int_equal(report_table_cell(over, 1, 1)->type, REPORT_NULL);

	const report_table *series = book.tables[3];
	assert_int_equal(report_table_cell(series, 0, 0)->type, REPORT_DATE);
	assert_int_equal(series->cols[2].type, REPORT_REAL);
	assert_int_equal(book.tables[4]->nrows, 2);
	/* The null figure is a row with an empty value. */
	assert_int_equal(book.tables[2]->nrows, 1);
	assert_int_equal(report_table_cell(book.tables[2], 0, 1)->type, REPORT_NULL);

	json_t *bad = json_pack("{s:i}", "R1", 3);
	assert_int_equal(report_tables_from_kpis(&book, bad, &err), -1);
	json_decref(bad);
	json_decref(kpis);
	arena_free(&a);
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(report_is_date("2025-03-10"));
	assert_false(report_is_date("2025-3-10"));
	assert_false(report_is_date("2025-03-10T10:00:00Z"));
	assert_true(report_is_timestamp("2025-03-10T10:00:00Z"));
	assert_false(report_is_timestamp("2025-03-10 10:00:00"));
	assert_false(report_is_date(NULL));
}

static void test_xlsx_is_a_zip(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	mt_error err;
	report_book book;
	report_book_init(&book, &a);
	report_book_add(&book, sample(&a));
	report_book_add(&book, sample(&a)); /* same name: made unique */
	const char *data = NULL;
	size_t len = 0;
	assert_int_equal(report_xlsx_write(&book, &a, &data, &len, &err), 0);
	assert_true(len > 100);
	assert_int_equal(memcmp(data, "PK\x03\x04", 4), 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_formula_escaping),
		cmocka_unit_test(test_numbers_not_escaped),
		cmocka_unit_test(test_csv_table_and_bom),
		cmocka_unit_test(test_sheet_names),
		cmocka_unit_test(test_kpi_tables),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_xlsx_is_a_zip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
