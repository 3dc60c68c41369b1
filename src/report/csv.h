/*
 * csv.h - writing tables as CSV that spreadsheets open correctly.
 *
 * The format is RFC 4180: fields separated by commas, records ended by
 * CRLF, a field quoted with double quotes when it holds a comma, a double
 * quote, CR or LF, and a double quote inside a quoted field doubled.  The
 * first record is the header (column names).  Output is UTF-8; with `bom`
 * it starts with the byte order mark EF BB BF, which Excel needs to read
 * UTF-8 instead of the system code page.
 *
 * Formula injection: a spreadsheet runs a text cell that starts with "=",
 * "+", "-" or "@" as a formula (and tab or CR at the start can hide one).
 * Every TEXT cell (and header) whose first character is one of
 * = + - @ TAB CR is written with a single quote (') in front, which
 * spreadsheets show as text and do not evaluate: "=SUM(A1)" becomes
 * "'=SUM(A1)".  Numbers (integer and real cells) are written plainly and
 * never escaped, so the integer -3 stays -3; only text that looks like a
 * formula is touched.  Dates are written as they are stored
 * ("YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ").  Empty cells are empty fields.
 */
#ifndef MT_REPORT_CSV_H
#define MT_REPORT_CSV_H

#include <stdbool.h>

#include "lib/strbuf.h"
#include "report/table.h"

#define REPORT_CSV_BOM "\xEF\xBB\xBF"

/* Append the table (header and rows) to out, with the BOM first if asked. */
void report_csv_write(strbuf *out, const report_table *t, bool bom);

/* Several tables in one CSV: each starts with a record holding its name
 * alone, then its header and rows; tables are separated by an empty
 * record.  (Used for the KPI tables, which have different columns.) */
void report_csv_write_book(strbuf *out, const report_book *book, bool bom);

/* One field: a cell by its type, escaped and quoted as above. */
void report_csv_cell(strbuf *out, const report_cell *c);
/* One text field, escaped and quoted as above. */
void report_csv_text(strbuf *out, const char *s);
/* True when text starting this way would be read as a formula. */
bool report_csv_is_formula(const char *s);
/* The shortest decimal text that reads back as exactly v ("0.1", "2.5",
 * "3"); empty for NaN and infinities. */
void report_csv_real(strbuf *out, double v);

#endif
