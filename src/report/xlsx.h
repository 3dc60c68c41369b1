/*
 * xlsx.h - writing a book of tables as an XLSX workbook (libxlsxwriter).
 *
 * One worksheet per table, named after it (sanitised, see below).  The
 * header row is bold, frozen and carries an autofilter; integers and reals
 * are spreadsheet numbers, dates are dates (yyyy-mm-dd) and timestamps
 * date-times (yyyy-mm-dd hh:mm:ss, UTC), text is text.  Column widths are
 * sized to their longest content (capped).  Text is written as string
 * cells, which spreadsheets never evaluate, so no formula escaping is
 * needed here (unlike CSV): the text stays exactly as stored.
 *
 * libxlsxwriter writes to a file, so the workbook goes to a temporary file
 * that is read back into memory and removed.
 */
#ifndef MT_REPORT_XLSX_H
#define MT_REPORT_XLSX_H

#include <stddef.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "report/table.h"

/* Longest text a cell may hold (Excel's limit); longer text is cut. */
#define REPORT_XLSX_MAX_TEXT 32767

/* Write `book` as an XLSX file; the bytes go to *out (in `a`), length
 * *len.  Fails with 422 when a table has more rows than a worksheet holds
 * (1,048,575 besides the header), 500 when the file cannot be written. */
int report_xlsx_write(const report_book *book, mt_arena *a, const char **out, size_t *len,
		      mt_error *err);

/*
 * A worksheet name for `name`: characters Excel forbids ([ ] : * ? / \ and
 * control characters) become "_", a leading or trailing apostrophe becomes
 * "_", the result is cut to 31 characters (UTF-8 aware), an empty name
 * becomes "Sheet", and a name already in taken[0..ntaken) (compared without
 * case, as Excel does) gets " (2)", " (3)", ... within the 31 characters.
 * The result is allocated in `a`.
 */
const char *report_sheet_name(mt_arena *a, const char *name, const char *const *taken,
			      size_t ntaken);

#endif
