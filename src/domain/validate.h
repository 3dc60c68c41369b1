/*
 * validate.h - the small validators every edge uses (JSON bodies, query
 * strings, CSV cells, CLI flags).
 *
 * Why one module: a user who types a bad date into the API, the CSV file or
 * the CLI should read the same sentence, and a rule (what a level is, which
 * spellings of a goal category we accept) should live in one place.
 *
 * Conventions:
 *  - `field` names what is being validated, as the user knows it ("hire_date",
 *    "answers.team_size", or a CSV column header as written in the file).
 *  - On failure a validator fills `err` with mt_invalid: err->field = field and
 *    err->message = "<field>: <what is wrong>; <what is expected>", e.g.
 *    `hire_date: "2023-02-30" is not a real date; use YYYY-MM-DD`, and returns
 *    -1.  On success it returns 0 and writes *out; it never touches *out on
 *    failure.  `err` may be NULL when only the verdict matters.
 *  - Input strings are NUL-terminated and trimmed of surrounding ASCII
 *    whitespace before checking.  An empty (or all-blank) input fails with
 *    "<field>: is empty; ...": callers check validate_is_blank() first for
 *    optional fields.
 *  - Anything returned as a string is allocated in the caller's arena.
 *  - Pure: no clock, no locale, no I/O.
 */
#ifndef MT_VALIDATE_H
#define MT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"
#include "lib/arena.h"
#include "lib/error.h"

/* ---- strings ---------------------------------------------------------- */

/* True when s is NULL or holds only ASCII whitespace. */
bool validate_is_blank(const char *s);
/* Copy of s without leading/trailing ASCII whitespace, in the arena.
 * NULL in gives NULL out; never fails. */
char *validate_trim(mt_arena *a, const char *s);
/* Like validate_trim, but NULL when the trimmed result is empty: the shape
 * optional fields want. */
char *validate_trim_opt(mt_arena *a, const char *s);
/* Trimmed copy with every run of whitespace (including CR, LF and TAB) turned
 * into one space: for names, titles and other single-line fields.  NULL when
 * the result is empty. */
char *validate_oneline(mt_arena *a, const char *s);
/* Checks that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * no NUL bytes).  Message names the byte offset and says to save as UTF-8. */
int validate_utf8(const char *field, const char *s, size_t len, mt_error *err);
/* Trimmed copy of a required single-line text of at most max_len bytes. */
int validate_text(mt_arena *a, const char *field, const char *s, size_t max_len,
		  const char **out, mt_error *err);
/* Writes a short quoted excerpt of trimmed s ("...", at most ~40 characters, control
 * characters escaped, cut on a UTF-8 boundary) into buf of size n, for use in
 * messages.  Returns buf. */
char *validate_excerpt(const char *s, char *buf, size_t n);

/* ---- email ------------------------------------------------------------ */

enum { VALIDATE_EMAIL_MAX = 254 };

/* A reasonable address: one '@', a non-empty local part of at most 64 bytes
 * without spaces or control characters, a domain of dot-separated labels
 * (letters, digits, hyphens, or UTF-8) with at least one dot.  *out is the
 * trimmed, ASCII-lower-cased copy in the arena. */
int validate_email(mt_arena *a, const char *field, const char *s, const char **out,
		   mt_error *err);

/* ---- dates ------------------------------------------------------------ */

/* Day numbers count days since 1970-01-01 (day 0); negative before it.
 * The proleptic Gregorian calendar, years 1..9999. */
bool validate_ymd_is_valid(int year, int month, int day);
int32_t validate_ymd_to_days(int year, int month, int day);
void validate_days_to_ymd(int32_t days, int *year, int *month, int *day);
/* Parses exactly "YYYY-MM-DD" (a real calendar date) into a day number.
 * Returns 0, or -1 without a message: for internal use. */
int validate_date_parse(const char *s, int32_t *days);
/* Writes "YYYY-MM-DD" for a day number into out (11 bytes). */
void validate_date_format(int32_t days, char out[11]);
/* Validates a user-supplied date.  *out (may be NULL) gets the canonical
 * "YYYY-MM-DD" in the arena, *days (may be NULL) the day number.  Messages:
 * `hire_date: "2023-02-30" is not a real date; use YYYY-MM-DD` or
 * `hire_date: "03/02/2023" is not a date; use YYYY-MM-DD`. */
int validate_date(mt_arena *a, const char *field, const char *s, const char **out,
		  int32_t *days, mt_error *err);

/* ---- numbers ---------------------------------------------------------- */

/* A whole number (optional sign, digits, nothing else) within [min, max]:
 * `capacity: "two" is not a whole number; use 1 to 20`,
 * `capacity: 25 is out of range; use 1 to 20`. */
int validate_int(const char *field, const char *s, long min, long max, long *out,
		 mt_error *err);
/* Skill or assessment level, 1..5. */
int validate_level(const char *field, const char *s, int *out, mt_error *err);
/* Seniority 1..10.  HR systems often write "L4", "G4" or "Level 4": a
 * leading "L", "G", "Level" or "Grade" is accepted. */
int validate_seniority(const char *field, const char *s, int *out, mt_error *err);

/* ---- enumerations ----------------------------------------------------- */

/* Goal category from its canonical name (model.c) or a human alias, case,
 * spaces, '_', '-', '/', '&' ignored: "New skill", "skills", "promotion",
 * "career", "job performance", "satisfaction", "engagement",
 * "satisfaction/engagement", "certification", "training", "other". */
int validate_goal_category(const char *field, const char *s, mt_goal_category *out,
			   mt_error *err);
/* A list of goal categories separated by ';' or ',' into a bitmask of
 * 1u << category.  Empty items are skipped; an all-empty list gives 0. */
int validate_goal_areas(const char *field, const char *s, unsigned *out, mt_error *err);
/* yes/no, true/false, y/n, 1/0 (any case). */
int validate_bool(const char *field, const char *s, bool *out, mt_error *err);
/* Membership role: "mentor" or "mentee" (any case). */
int validate_role(const char *field, const char *s, mt_role *out, mt_error *err);
/* Membership status: pending | active | paused | left (any case); *out is the
 * canonical lower-case constant (static storage). */
int validate_member_status(const char *field, const char *s, const char **out,
			   mt_error *err);
/* IANA time-zone name by shape only ("UTC", "Europe/Paris",
 * "America/Argentina/Buenos_Aires", "Etc/GMT+2"); the domain reads no tz
 * database.  *out is a trimmed arena copy. */
int validate_timezone(mt_arena *a, const char *field, const char *s, const char **out,
		      mt_error *err);

#endif
