/*
 * csvimport.h - CSV import of people and of program memberships, as an HR
 * system exports them.
 *
 * Why it is shaped like this: an import is all-or-nothing, so the importer
 * first turns the whole file into plain structs and a list of every problem
 * ("line N, column C: what is wrong"); only when the list is empty does the
 * caller (CLI `import`, or the API's CSV POST) write anything, in one
 * transaction.  The domain reads no files: the caller passes the bytes.
 *
 * What is accepted (docs/csv-import.md lists every column and alias):
 *  - UTF-8 with or without a BOM (UTF-16 is refused with a clear message);
 *    LF, CRLF or CR line ends; RFC 4180 quoting (commas, doubled quotes and
 *    line breaks inside quoted fields).  Line numbers are physical lines of
 *    the file, the header being line 1; a record reports the line it starts on.
 *  - Column names matched ignoring case, spaces, '_', '-' and '.', with
 *    aliases ("E-mail", "Work Email", "Start date", ...).  Unknown columns are
 *    ignored with a warning; when two columns mean the same thing the more
 *    canonical one is used and the other is ignored with a warning.
 *  - Rows whose cells are all empty are skipped.  Extra trailing empty cells
 *    are tolerated; any other field-count mismatch is an error.
 *
 * Memory: everything in the result (structs, strings, messages) is allocated
 * in the caller's arena and lives as long as it.
 */
#ifndef MT_CSVIMPORT_H
#define MT_CSVIMPORT_H

#include <stddef.h>

#include "domain/model.h"
#include "domain/questionnaire.h"
#include "lib/arena.h"
#include "lib/error.h"

/* Person fields a people file has a column for (mt_csv_result.person_columns):
 * a re-import updates only these, so an export with fewer columns never
 * blanks what it does not mention. */
enum {
	CSV_PERSON_NAME = 1 << 0,
	CSV_PERSON_JOB_TITLE = 1 << 1,
	CSV_PERSON_DEPARTMENT = 1 << 2,
	CSV_PERSON_LOCATION = 1 << 3,
	CSV_PERSON_TIMEZONE = 1 << 4,
	CSV_PERSON_LANGUAGES = 1 << 5,
	CSV_PERSON_SENIORITY = 1 << 6,
	CSV_PERSON_MANAGER = 1 << 7,
	CSV_PERSON_HIRE_DATE = 1 << 8,
	CSV_PERSON_LEFT_DATE = 1 << 9,
	CSV_PERSON_DEMOGRAPHICS = 1 << 10,
	CSV_PERSON_OPT_IN = 1 << 11,
	CSV_PERSON_ALL = (1 << 12) - 1,
};

typedef struct mt_csv_result {
	mt_person *people;          /* csvimport_people: one per data row */
	size_t n_people;
	mt_membership *members;     /* csvimport_members: one per data row */
	size_t n_members;
	size_t *lines;              /* lines[i]: the line where row i starts, for
				       messages about rows found later (e.g. by the store) */
	const char **errors;        /* "line N, column C: ..." / "line N: ...", in file order */
	size_t n_errors;
	const char **warnings;      /* unknown or ignored columns, ignored values */
	size_t n_warnings;
	unsigned person_columns;    /* people files: CSV_PERSON_* bits of the columns present */
} mt_csv_result;

/*
 * Parses a people file.  Required columns: email and name (or first name and
 * last name).  Optional: job title, department, location, timezone,
 * languages, seniority, manager (email), hire date, left date, opt-in,
 * demographics (gender, age band, ethnicity and any "demo_*" column, stored
 * as a JSON object in mt_person.demographics).  Defaults: opt_in true,
 * seniority 0 (unknown).  Emails are lower-cased; an email twice in the file
 * is an error naming both lines.  A manager must be an email; it need not be
 * in the file (the store resolves it), but nobody can manage themself.
 *
 * Returns 0 when the file is valid (out->errors empty), -1 otherwise; out is
 * filled in both cases (with -1 the rows are incomplete and must not be
 * imported).
 */
int csvimport_people(mt_arena *a, const char *buf, size_t len, mt_csv_result *out);

/*
 * Parses a memberships file for one program (chosen by the caller; a
 * "program" column is ignored).  Required columns: email and role (mentor or
 * mentee).  Optional: capacity (mentors, 1..20, default 1; ignored with a
 * warning for mentees), skills ("Public speaking:4; SQL:3", level 1..5,
 * default 3), goal areas (categories separated by ';'), goals (free text),
 * years of experience (0..60), status (pending|active|paused|left, default
 * active), joined (date; NULL means the caller uses today), left (date).
 * Any column whose name matches a key or label of `q` (may be NULL) is a
 * questionnaire answer, checked by questionnaire_cell_value() and stored as
 * JSON in mt_membership.answers; required questions without a column are
 * reported as a warning (the member answers them later).  program_id and
 * person_id are left 0 for the caller.
 *
 * Returns 0 / -1 as csvimport_people.
 */
int csvimport_members(mt_arena *a, const char *buf, size_t len, const mt_questionnaire *q,
		      mt_csv_result *out);

/*
 * Summarises a failed result into err for the API / CLI: status 422, code
 * "invalid_csv", field = the first error's "line N, column C" part, message
 * "N problems in the CSV file; nothing was imported. First: ...".  Returns -1
 * when r has errors (so `return csvimport_error(&r, err);` works), else 0 and
 * leaves err alone.
 */
int csvimport_error(const mt_csv_result *r, mt_error *err);

/* The accepted header names for a target, e.g. "email" ->
 * "email, e-mail, work email, ...": for help texts.  `members` picks the
 * memberships table.  NULL if the name is not a column of that import. */
const char *csvimport_aliases(const char *canonical, int members);

#endif
