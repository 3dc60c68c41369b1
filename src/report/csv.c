/*
 * csv.c - RFC 4180 CSV with formula-injection escaping (rules in csv.h).
 */
#include "report/csv.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool report_csv_is_formula(const char *s)
{
	return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		     s[0] == '\r');
}

void report_csv_text(strbuf *out, const char *s)
{
	if (!s)
		return;
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		sb_addc(out, '"');
	if (report_csv_is_formula(s))
		sb_addc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	if (quote)
		sb_addc(out, '"');
}

void report_csv_real(strbuf *out, double v)
{
	if (!isfinite(v))
		return;
	char buf[40];
	for (int precision = 1; precision <= 17; precision++) {
		snprintf(buf, sizeof(buf), "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sb_adds(out, buf);
}

void report_csv_cell(strbuf *out, const report_cell *c)
{
	switch (c->type) {
	case REPORT_NULL: break;
	case REPORT_INTEGER: sb_addf(out, "%" PRId64, c->i); break;
	case REPORT_REAL: report_csv_real(out, c->r); break;
	case REPORT_TEXT:
	case REPORT_DATE:
	case REPORT_TIMESTAMP: report_csv_text(out, c->s); break;
	}
}

static void write_table(strbuf *out, const report_table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			sb_addc(out, ',');
		report_csv_text(out, t->cols[c].name);
	}
	sb_adds(out, "\r\n");
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				sb_addc(out, ',');
			report_csv_cell(out, report_table_cell(t, r, c));
		}
		sb_adds(out, "\r\n");
	}
}

void report_csv_write(strbuf *out, const report_table *t, bool bom)
{
	if (bom)
		sb_adds(out, REPORT_CSV_BOM);
	write_table(out, t);
}

void report_csv_write_book(strbuf *out, const report_book *book, bool bom)
{
	if (bom)
		sb_adds(out, REPORT_CSV_BOM);
	for (size_t i = 0; i < book->n; i++) {
		if (i)
			sb_adds(out, "\r\n");
		report_csv_text(out, book->tables[i]->name);
		sb_adds(out, "\r\n");
		write_table(out, book->tables[i]);
	}
}
