/*
 * xlsx.c - a book of tables as an XLSX workbook through libxlsxwriter
 * (rules in xlsx.h).
 *
 * The workbook is written in libxlsxwriter's constant-memory mode: rows go
 * straight to its temporary files in order instead of being held a second
 * time in memory (the tables already are).  That mode needs the column
 * widths before the first row, which is why widths are measured over the
 * whole table first.
 */
#include "report/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lib/strbuf.h"
#include "report/csv.h"

enum { SHEET_MAX = 31, WIDTH_MIN = 8, WIDTH_MAX = 60 };

/* ---- sheet names ------------------------------------------------------------- */

static bool is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Bytes of the first `chars` UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0, n = 0;
	while (s[i]) {
		if (!is_continuation((unsigned char)s[i])) {
			if (n == chars)
				break;
			n++;
		}
		i++;
	}
	return i;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += !is_continuation((unsigned char)*s);
	return n;
}

/* s cut to `chars` characters, with apostrophes at either end replaced. */
static char *cut(mt_arena *a, const char *s, size_t chars)
{
	char *out = arena_strndup(a, s, utf8_prefix(s, chars));
	size_t len = strlen(out);
	if (len && out[0] == '\'')
		out[0] = '_';
	if (len && out[len - 1] == '\'')
		out[len - 1] = '_';
	return out;
}

static bool taken_name(const char *name, const char *const *taken, size_t ntaken)
{
	for (size_t i = 0; i < ntaken; i++)
		if (strcasecmp(name, taken[i]) == 0)
			return true;
	return false;
}

const char *report_sheet_name(mt_arena *a, const char *name, const char *const *taken,
			      size_t ntaken)
{
	char *clean = arena_strdup(a, name && *name ? name : "Sheet");
	for (char *p = clean; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("[]:*?/\\", *p))
			*p = '_';
	char *base = cut(a, clean, SHEET_MAX);
	if (!taken_name(base, taken, ntaken))
		return base;
	for (int k = 2;; k++) {
		char suffix[16];
		snprintf(suffix, sizeof(suffix), " (%d)", k);
		char *shorter = cut(a, clean, SHEET_MAX - strlen(suffix));
		char *candidate = arena_printf(a, "%s%s", shorter, suffix);
		if (!taken_name(candidate, taken, ntaken))
			return candidate;
	}
}

/* ---- cells ------------------------------------------------------------------- */

/* Characters a cell shows, for the column width. */
static size_t cell_width(const report_cell *c)
{
	char buf[32];
	switch (c->type) {
	case REPORT_NULL: return 0;
	case REPORT_INTEGER: return (size_t)snprintf(buf, sizeof(buf), "%lld", (long long)c->i);
	case REPORT_REAL: {
		strbuf sb = STRBUF_INIT;
		report_csv_real(&sb, c->r);
		size_t n = sb.len;
		sb_release(&sb);
		return n;
	}
	case REPORT_DATE: return 10;
	case REPORT_TIMESTAMP: return 19;
	case REPORT_TEXT: {
		/* Only the first line shows when the cell is not wrapped. */
		const char *nl = strchr(c->s, '\n');
		size_t n = 0;
		for (const char *p = c->s; *p && p != nl && n < WIDTH_MAX; p++)
			n += !is_continuation((unsigned char)*p);
		return n;
	}
	}
	return 0;
}

static bool parse_datetime(const char *s, bool with_time, lxw_datetime *dt)
{
	if (with_time ? !report_is_timestamp(s) : !report_is_date(s))
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->year = atoi(s);
	dt->month = atoi(s + 5);
	dt->day = atoi(s + 8);
	if (with_time) {
		dt->hour = atoi(s + 11);
		dt->min = atoi(s + 14);
		dt->sec = atoi(s + 17);
	}
	/* Spreadsheet dates start in 1900. */
	return dt->year >= 1900 && dt->month >= 1 && dt->month <= 12 && dt->day >= 1 &&
	       dt->day <= 31;
}

typedef struct formats {
	lxw_format *bold, *date, *timestamp;
} formats;

static lxw_error write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
			    lxw_format *fmt, mt_arena *a)
{
	if (strlen(s) > REPORT_XLSX_MAX_TEXT) {
		size_t n = REPORT_XLSX_MAX_TEXT;
		while (n > 0 && is_continuation((unsigned char)s[n]))
			n--;
		s = arena_strndup(a, s, n);
	}
	return worksheet_write_string(ws, row, col, s, fmt);
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
			    const report_cell *c, const formats *f, mt_arena *a)
{
	lxw_datetime dt;
	switch (c->type) {
	case REPORT_NULL: return LXW_NO_ERROR;
	case REPORT_INTEGER: return worksheet_write_number(ws, row, col, (double)c->i, NULL);
	case REPORT_REAL: return worksheet_write_number(ws, row, col, c->r, NULL);
	case REPORT_DATE:
		if (parse_datetime(c->s, false, &dt))
			return worksheet_write_datetime(ws, row, col, &dt, f->date);
		break;
	case REPORT_TIMESTAMP:
		if (parse_datetime(c->s, true, &dt))
			return worksheet_write_datetime(ws, row, col, &dt, f->timestamp);
		break;
	case REPORT_TEXT: break;
	}
	return write_text(ws, row, col, c->s, NULL, a);
}

static int write_sheet(lxw_workbook *wb, const report_table *t, const char *sheet,
		       const formats *f, mt_arena *a, mt_error *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
	if (!ws)
		return mt_internal(err, "cannot add worksheet \"%s\"", sheet);
	/* Widths first: constant-memory mode writes <cols> before the rows. */
	for (size_t c = 0; c < t->ncols; c++) {
		size_t width = utf8_len(t->cols[c].name) + 3; /* bold, and the filter button */
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = cell_width(report_table_cell(t, r, c)) + 2;
			if (w > width)
				width = w;
		}
		if (width < WIDTH_MIN)
			width = WIDTH_MIN;
		if (width > WIDTH_MAX)
			width = WIDTH_MAX;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)width, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (t->ncols > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1));
	lxw_error rc = LXW_NO_ERROR;
	for (size_t c = 0; c < t->ncols && rc == LXW_NO_ERROR; c++)
		rc = write_text(ws, 0, (lxw_col_t)c, t->cols[c].name, f->bold, a);
	for (size_t r = 0; r < t->nrows && rc == LXW_NO_ERROR; r++)
		for (size_t c = 0; c < t->ncols && rc == LXW_NO_ERROR; c++)
			rc = write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)c,
					report_table_cell(t, r, c), f, a);
	if (rc != LXW_NO_ERROR)
		return mt_internal(err, "writing worksheet \"%s\": %s", sheet, lxw_strerror(rc));
	return 0;
}

/* Read a whole file into the arena. */
static int slurp(const char *path, mt_arena *a, const char **out, size_t *len, mt_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mt_internal(err, "cannot read back %s: %s", path, strerror(errno));
	strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	bool failed = ferror(f);
	fclose(f);
	if (failed) {
		sb_release(&sb);
		return mt_internal(err, "cannot read back %s", path);
	}
	char *copy = arena_alloc(a, sb.len + 1);
	if (sb.len)
		memcpy(copy, sb.buf, sb.len);
	*out = copy;
	*len = sb.len;
	sb_release(&sb);
	return 0;
}

int report_xlsx_write(const report_book *book, mt_arena *a, const char **out, size_t *len,
		      mt_error *err)
{
	for (size_t i = 0; i < book->n; i++)
		if (book->tables[i]->nrows >= LXW_ROW_MAX)
			return mt_invalid(err, "format",
					  "%s has %zu rows, more than a worksheet holds; export it "
					  "as CSV",
					  book->tables[i]->name, book->tables[i]->nrows);
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *path = arena_printf(a, "%s/mentortrack-export-XXXXXX.xlsx", tmp);
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return mt_internal(err, "cannot create a temporary file in %s: %s", tmp,
				   strerror(errno));
	close(fd);

	int rc = -1;
	lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp};
	lxw_workbook *wb = workbook_new_opt(path, &options);
	if (!wb) {
		mt_internal(err, "cannot start a workbook in %s", path);
		goto out;
	}
	workbook_set_properties(wb, &(lxw_doc_properties){.title = "mentortrack export",
							  .author = "mentortrack"});
	formats f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
	format_set_bold(f.bold);
	format_set_num_format(f.date, "yyyy-mm-dd");
	format_set_num_format(f.timestamp, "yyyy-mm-dd hh:mm:ss");

	const char **names = arena_calloc(a, book->n ? book->n : 1, sizeof(*names));
	int failed = 0;
	for (size_t i = 0; i < book->n && !failed; i++) {
		names[i] = report_sheet_name(a, book->tables[i]->name, names, i);
		failed = write_sheet(wb, book->tables[i], names[i], &f, a, err) < 0;
	}
	if (book->n == 0 && !workbook_add_worksheet(wb, NULL)) {
		mt_internal(err, "cannot add a worksheet");
		failed = 1;
	}
	lxw_error closed = workbook_close(wb); /* frees wb in every case */
	if (failed)
		goto out;
	if (closed != LXW_NO_ERROR) {
		mt_internal(err, "cannot write the workbook: %s", lxw_strerror(closed));
		goto out;
	}
	rc = slurp(path, a, out, len, err);
out:
	unlink(path);
	return rc;
}
