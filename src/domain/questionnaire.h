/*
 * questionnaire.h - a program's onboarding questionnaire: the fields a
 * program asks its participants to fill in, and the checks on the answers.
 *
 * Why a module of its own: the definitions arrive as JSON (a program
 * setting), the answers arrive as JSON (API) or as CSV cells (import), and
 * both paths must accept and refuse exactly the same things.  The
 * definitions are parsed once into plain structs (mt_questionnaire); every
 * check then runs on those.
 *
 * Definitions JSON: an array of objects
 *   {"key": "team_size", "label": "Team size", "type": "number",
 *    "required": true, "min": 1, "max": 500, "help": "..."}
 * type is "text" | "choice" | "multi" | "number"; "options" (a non-empty
 * array of distinct strings) is required for choice and multi and refused
 * otherwise; "min"/"max" are optional and only for number; "required"
 * defaults to false; "help" is an optional string.  Keys are [a-z][a-z0-9_]*,
 * at most 64 bytes, and distinct; labels are distinct ignoring case, spaces,
 * '_' and '-', because CSV columns are matched on them.
 *
 * Answers JSON: an object keyed by field key.  text -> string, choice ->
 * one of the options, multi -> array of distinct options, number -> JSON
 * number within [min, max].  null counts as not answered.  Unknown keys are
 * refused.  Errors name the field as "answers.<key>".
 */
#ifndef MT_QUESTIONNAIRE_H
#define MT_QUESTIONNAIRE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/error.h"

typedef enum mt_qtype { MT_Q_TEXT, MT_Q_CHOICE, MT_Q_MULTI, MT_Q_NUMBER } mt_qtype;

enum { QUESTIONNAIRE_MAX_FIELDS = 100, QUESTIONNAIRE_TEXT_MAX = 4000 };

typedef struct mt_qfield {
	const char *key;
	const char *label;
	const char *help;           /* or NULL */
	mt_qtype type;
	bool required;
	const char *const *options; /* choice, multi */
	size_t n_options;
	bool has_min, has_max;      /* number */
	double min, max;
} mt_qfield;

typedef struct mt_questionnaire {
	mt_qfield *fields;
	size_t n_fields;
} mt_questionnaire;

/* "text", "choice", "multi", "number". */
const char *questionnaire_type_name(mt_qtype type);

/* Parses and validates definitions JSON text into *out (all strings in the
 * arena).  NULL or blank text gives an empty questionnaire.  Fails with
 * mt_invalid naming the offending element, e.g. field "questionnaire[2].options"
 * and message "questionnaire[2] (team): options must be a non-empty array of
 * strings for a choice field". */
int questionnaire_parse(mt_arena *a, const char *json_text, mt_questionnaire *out,
			mt_error *err);
/* The same from an already parsed JSON value (borrowed). */
int questionnaire_parse_json(mt_arena *a, const json_t *defs, mt_questionnaire *out,
			     mt_error *err);

/* Field by exact key, or NULL. */
const mt_qfield *questionnaire_field(const mt_questionnaire *q, const char *key);
/* Field whose key or label matches a CSV column header, ignoring case,
 * spaces, '_' and '-' ("Team size", "TEAM_SIZE", "team-size"), or NULL. */
const mt_qfield *questionnaire_match_column(const mt_questionnaire *q, const char *header);

/* Checks an answers object (borrowed) against q.  With `partial`, required
 * fields may be missing (an import that does not carry every column); the
 * answers present are still checked.  Fails on the first problem. */
int questionnaire_check_answers(const mt_questionnaire *q, const json_t *answers, bool partial,
				mt_error *err);
/* The same on JSON text; NULL or blank text is an empty object. */
int questionnaire_check_answers_text(const mt_questionnaire *q, const char *json_text,
				     bool partial, mt_error *err);

/* Converts one CSV cell into the answer's JSON value: text as is (trimmed),
 * choice matched case-insensitively and stored with the option's spelling,
 * multi split on ';' into an array, number parsed as a decimal.  A blank
 * cell gives *out = NULL (not answered), which fails when the field is
 * required.  `name` is used in messages (e.g. the column header); NULL
 * means "answers.<key>".  On success *out is a new reference (or NULL). */
int questionnaire_cell_value(const mt_qfield *f, const char *cell, const char *name,
			     json_t **out, mt_error *err);

/* Builds the answers object from CSV cells: cells[i] is the cell for
 * q->fields[i], NULL when the file has no such column (then the field is
 * left out and not required).  names[i] (or NULL for all) names the column in
 * messages.  *out_json is compact JSON text in the arena, or NULL when
 * nothing was answered.  Fails on the first bad cell. */
int questionnaire_answers_from_cells(mt_arena *a, const mt_questionnaire *q,
				     const char *const *cells, const char *const *names,
				     const char **out_json, mt_error *err);

/* Compact JSON text of v (borrowed) copied into the arena, keys in insertion
 * order. */
const char *questionnaire_json_text(mt_arena *a, const json_t *v);

#endif
