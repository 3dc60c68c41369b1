/*
 * csvimport.c - see csvimport.h.
 *
 * The file is fed to libcsv one physical line at a time.  Between two calls
 * the parser's state tells whether a record is open: if none is, the record
 * that the next line begins starts on that line.  That is how a record
 * whose quoted field spans lines still reports the line it starts on, and
 * why the lines after it keep their true numbers.  Feeding line by line
 * also lets a malformed quote be reported and skipped without losing the
 * rest of the file.
 *
 * Each record is collected into one reusable buffer, then turned into a
 * struct by a row function that checks every cell and records every
 * problem; the import carries on after errors so the user gets the whole
 * list at once.  Duplicate emails are found with an open-addressing hash
 * set, so 100,000 rows stay linear.
 */
#include "domain/csvimport.h"

#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"
#include "lib/strbuf.h"

/* libcsv's parser states (csv.h keeps them private, the struct public). */
enum { CSV_ROW_NOT_BEGUN = 0, CSV_FIELD_BEGUN = 2 };

enum { TEXT_MAX = 200, GOALS_MAX = 4000, SKILL_MAX = 100, YEARS_MAX = 60 };

/* ---- column table ----------------------------------------------------- */

typedef enum target {
	T_NONE = 0,
	T_EMAIL,
	T_NAME,
	T_FIRST,
	T_LAST,
	T_TITLE,
	T_DEPARTMENT,
	T_LOCATION,
	T_TIMEZONE,
	T_LANGUAGES,
	T_SENIORITY,
	T_MANAGER,
	T_HIRE,
	T_LEFT_DATE,
	T_OPT_IN,
	T_GENDER,
	T_AGE_BAND,
	T_ETHNICITY,
	T_DEMO,       /* demo_* columns: many allowed */
	T_ROLE,
	T_CAPACITY,
	T_SKILLS,
	T_GOAL_AREAS,
	T_GOALS,
	T_YEARS,
	T_STATUS,
	T_JOINED,
	T_LEFT_ON,
	T_PROGRAM,    /* ignored: the caller chooses the program */
	T_ANSWER,     /* questionnaire field: many allowed */
	T_COUNT
} target;

typedef struct col_spec {
	target t;
	const char *name;    /* canonical name, used in messages */
	const char *aliases; /* accepted header names, ", "-separated, most canonical first */
} col_spec;

static const col_spec people_cols[] = {
	{T_EMAIL, "email", "email, e-mail, work email, email address, e-mail address, mail, business email"},
	{T_NAME, "name", "name, full name, employee name, display name"},
	{T_FIRST, "first name", "first name, given name, forename, first"},
	{T_LAST, "last name", "last name, surname, family name, last"},
	{T_TITLE, "job title", "job title, title, position, job"},
	{T_DEPARTMENT, "department",
	 "department, dept, org unit, organisation unit, organization unit, division, business unit, team"},
	{T_LOCATION, "location", "location, office, site, city, office location, work location"},
	{T_TIMEZONE, "timezone", "timezone, time zone, tz"},
	{T_LANGUAGES, "languages", "languages, language, spoken languages"},
	{T_SENIORITY, "seniority", "seniority, level, grade, job level, seniority level, career level"},
	{T_MANAGER, "manager email",
	 "manager email, manager, reports to, line manager, manager e-mail, supervisor email, supervisor"},
	{T_HIRE, "hire date",
	 "hire date, start date, date hired, hired on, joining date, date of joining"},
	{T_LEFT_DATE, "left date", "left date, termination date, exit date, end date, date left, leaving date"},
	{T_OPT_IN, "opt in", "opt in, opted in, consent"},
	{T_GENDER, "gender", "gender"},
	{T_AGE_BAND, "age band", "age band, age range, age group"},
	{T_ETHNICITY, "ethnicity", "ethnicity"},
};

static const col_spec member_cols[] = {
	{T_EMAIL, "email", "email, e-mail, work email, email address, e-mail address, mail, business email"},
	{T_ROLE, "role", "role, participant role, program role, participant type, member role, type"},
	{T_CAPACITY, "capacity", "capacity, mentee capacity, max mentees, maximum mentees, slots"},
	{T_SKILLS, "skills", "skills, skill, skills offered, skills wanted, expertise"},
	{T_GOAL_AREAS, "goal areas",
	 "goal areas, goal area, goal categories, goal category, focus areas, focus area"},
	{T_GOALS, "goals", "goals, goal, objectives, goals text, goal description"},
	{T_YEARS, "years experience",
	 "years experience, years of experience, experience years, experience, yoe"},
	{T_STATUS, "status", "status, membership status"},
	{T_JOINED, "joined", "joined, joined on, joined date, join date, date joined, start date"},
	{T_LEFT_ON, "left", "left, left on, left date, date left, end date"},
	{T_PROGRAM, "program", "program, programme, program name, program id"},
};

/* Header names compare lower-cased without spaces, '_', '-' and '.'. */
static void squash(const char *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.')
			continue;
		buf[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	buf[o] = '\0';
}

/* Rank of header h among spec's aliases (0 = most canonical), or -1. */
static int alias_rank(const col_spec *spec, const char *h)
{
	const char *p = spec->aliases;
	for (int rank = 0; *p; rank++) {
		size_t n = strcspn(p, ",");
		char al[64];
		squash(p, n, al, sizeof al);
		if (strcmp(al, h) == 0)
			return rank;
		p += n + (p[n] == ',');
	}
	return -1;
}

static const col_spec *spec_table(int members, size_t *n)
{
	*n = members ? sizeof member_cols / sizeof *member_cols
		     : sizeof people_cols / sizeof *people_cols;
	return members ? member_cols : people_cols;
}

const char *csvimport_aliases(const char *canonical, int members)
{
	size_t n;
	const col_spec *tab = spec_table(members, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].name, canonical) == 0)
			return tab[i].aliases;
	return NULL;
}

/* ---- importer state --------------------------------------------------- */

typedef struct seen_email {
	uint64_t hash;
	const char *email;
	size_t line;
} seen_email;

typedef struct importer {
	mt_arena *a;
	mt_csv_result *res;
	int members;                  /* 0 people, 1 memberships */
	const mt_questionnaire *q;
	/* header */
	bool have_header;
	size_t n_cols;
	const char **col_name;        /* as written (trimmed), or "#N" when blank */
	target *col_target;
	const mt_qfield **col_field;  /* T_ANSWER */
	const char **col_demo_key;    /* T_DEMO and demographic targets */
	int target_col[T_COUNT];      /* column index per target, -1 absent */
	/* line tracking */
	size_t line;                  /* physical line being fed */
	size_t rec_line;              /* line the open record started on */
	/* current record: fields copied into one buffer */
	char *rec;
	size_t rec_len, rec_cap;
	size_t *fstart, *flen;
	size_t n_fields, fields_cap;
	/* duplicate emails */
	seen_email *seen;
	size_t seen_cap, seen_count;
	strbuf scratch;               /* reused per row */
	int *err_col;                 /* column of each error, parallel to res->errors */
	/* result capacity */
	size_t rows_cap, errors_cap, warnings_cap;
} importer;

static void *grow(mt_arena *a, void *arr, size_t *cap, size_t used, size_t elem)
{
	if (used < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	arr = arena_realloc(a, arr, *cap * elem, ncap * elem);
	*cap = ncap;
	return arr;
}

/* Records an error about column col (-1: the whole line). */
static void add_error_at(importer *im, int col, const char *msg)
{
	mt_csv_result *r = im->res;
	size_t cap = im->errors_cap;
	r->errors = grow(im->a, r->errors, &im->errors_cap, r->n_errors, sizeof *r->errors);
	im->err_col = grow(im->a, im->err_col, &cap, r->n_errors, sizeof *im->err_col);
	im->err_col[r->n_errors] = col;
	r->errors[r->n_errors++] = msg;
}

static void add_error(importer *im, const char *msg)
{
	add_error_at(im, -1, msg);
}

/* Orders the errors from `start` on by column (stable), so a row's
 * problems read left to right as in the file. */
static void sort_errors_by_column(importer *im, size_t start)
{
	const char **e = im->res->errors;
	int *c = im->err_col;
	for (size_t i = start + 1; i < im->res->n_errors; i++) {
		const char *msg = e[i];
		int col = c[i];
		size_t j = i;
		for (; j > start && c[j - 1] > col; j--) {
			e[j] = e[j - 1];
			c[j] = c[j - 1];
		}
		e[j] = msg;
		c[j] = col;
	}
}

static void add_warning(importer *im, const char *msg)
{
	mt_csv_result *r = im->res;
	r->warnings = grow(im->a, r->warnings, &im->warnings_cap, r->n_warnings,
			   sizeof *r->warnings);
	r->warnings[r->n_warnings++] = msg;
}

/* A validator failed on cell `col`: its message is "<column>: <detail>". */
static void cell_error(importer *im, size_t line, int col, const mt_error *e)
{
	add_error_at(im, col, arena_printf(im->a, "line %zu, column %s", line, e->message));
}

/* ---- duplicate emails ------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void seen_insert_slot(seen_email *tab, size_t cap, seen_email e)
{
	size_t i = e.hash & (cap - 1);
	while (tab[i].email)
		i = (i + 1) & (cap - 1);
	tab[i] = e;
}

/* Sizes the table for n entries at most half full. */
static void seen_reserve(importer *im, size_t n)
{
	if (2 * n <= im->seen_cap)
		return;
	size_t ncap = im->seen_cap ? im->seen_cap : 1024;
	while (ncap < 2 * n)
		ncap *= 2;
	seen_email *tab = calloc(ncap, sizeof *tab);
	if (!tab)
		abort();
	for (size_t i = 0; i < im->seen_cap; i++)
		if (im->seen[i].email)
			seen_insert_slot(tab, ncap, im->seen[i]);
	free(im->seen);
	im->seen = tab;
	im->seen_cap = ncap;
}

/* Returns the line where email was first seen, or 0 after recording it. */
static size_t seen_check(importer *im, const char *email, size_t line)
{
	seen_reserve(im, im->seen_count + 1);
	uint64_t h = hash_str(email);
	size_t i = h & (im->seen_cap - 1);
	for (; im->seen[i].email; i = (i + 1) & (im->seen_cap - 1))
		if (im->seen[i].hash == h && strcmp(im->seen[i].email, email) == 0)
			return im->seen[i].line;
	im->seen[i] = (seen_email){h, email, line};
	im->seen_count++;
	return 0;
}

/* ---- header ----------------------------------------------------------- */

/* JSON key for a demographic column: "demo_Preferred Pronouns" ->
 * "preferred_pronouns"; NULL when nothing is left. */
static const char *demo_key(mt_arena *a, const char *name)
{
	const char *p = name + 4; /* after "demo" */
	char *out = arena_alloc(a, strlen(name) + 1);
	size_t o = 0;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
			alnum = true;
		}
		if (alnum)
			out[o++] = (char)c;
		else if (o && out[o - 1] != '_')
			out[o++] = '_';
	}
	while (o && out[o - 1] == '_')
		o--;
	out[o] = '\0';
	return o ? out : NULL;
}

static bool is_demo_prefixed(const char *name)
{
	return strncasecmp(name, "demo", 4) == 0 &&
	       (name[4] == '_' || name[4] == ' ' || name[4] == '-' || name[4] == '.');
}

/* Which target a header cell names; *rank is its alias rank. */
static target classify(importer *im, size_t col, const char *name, int *rank)
{
	char h[256];
	size_t n;
	const col_spec *tab = spec_table(im->members, &n);
	squash(name, strlen(name), h, sizeof h);
	*rank = 0;
	if (!h[0])
		return T_NONE;
	for (size_t i = 0; i < n; i++) {
		int r = alias_rank(&tab[i], h);
		if (r >= 0) {
			*rank = r;
			return tab[i].t;
		}
	}
	if (!im->members && is_demo_prefixed(name)) {
		im->col_demo_key[col] = demo_key(im->a, name);
		return im->col_demo_key[col] ? T_DEMO : T_NONE;
	}
	if (im->members) {
		im->col_field[col] = questionnaire_match_column(im->q, name);
		if (im->col_field[col])
			return T_ANSWER;
	}
	return T_NONE;
}

static const char *target_name(const importer *im, target t)
{
	size_t n;
	const col_spec *tab = spec_table(im->members, &n);
	for (size_t i = 0; i < n; i++)
		if (tab[i].t == t)
			return tab[i].name;
	return "?";
}

/* Two columns mean the same: keep the more canonical, warn about the other. */
static void header_assign(importer *im, size_t col, target t, int rank, int *best_rank)
{
	int prev = im->target_col[t];
	if (prev < 0) {
		im->target_col[t] = (int)col;
		best_rank[t] = rank;
		return;
	}
	size_t loser = rank < best_rank[t] ? (size_t)prev : col;
	size_t winner = loser == col ? (size_t)prev : col;
	if (winner == col) {
		im->target_col[t] = (int)col;
		best_rank[t] = rank;
	}
	im->col_target[loser] = T_NONE;
	add_warning(im, arena_printf(im->a, "line %zu, column %s: ignored; column %s already gives "
				     "%s", im->rec_line, im->col_name[loser],
				     im->col_name[winner], target_name(im, t)));
}

static void missing_column(importer *im, const char *canonical)
{
	add_error(im, arena_printf(im->a, "line %zu: missing required column %s (accepted "
				   "names: %s)", im->rec_line, canonical,
				   csvimport_aliases(canonical, im->members)));
}

static void header_required(importer *im)
{
	if (im->target_col[T_EMAIL] < 0)
		missing_column(im, "email");
	if (im->members) {
		if (im->target_col[T_ROLE] < 0)
			missing_column(im, "role");
		for (size_t i = 0; im->q && i < im->q->n_fields; i++) {
			const mt_qfield *f = &im->q->fields[i];
			bool found = false;
			for (size_t c = 0; c < im->n_cols; c++)
				found |= im->col_target[c] == T_ANSWER && im->col_field[c] == f;
			if (f->required && !found)
				add_warning(im, arena_printf(im->a, "line %zu: no column for the "
							     "required question %s (%s); members "
							     "will be asked to answer it",
							     im->rec_line, f->key, f->label));
		}
		return;
	}
	int first = im->target_col[T_FIRST], last = im->target_col[T_LAST];
	if (im->target_col[T_NAME] >= 0 || (first >= 0 && last >= 0))
		return;
	if (first < 0 && last < 0)
		add_error(im, arena_printf(im->a, "line %zu: missing required column name "
					   "(accepted names: %s; or first name and last name)",
					   im->rec_line, csvimport_aliases("name", 0)));
	else
		add_error(im, arena_printf(im->a, "line %zu: missing required column %s (found "
					   "column %s; a name needs first name and last name "
					   "columns, or one name column)", im->rec_line,
					   first < 0 ? "first name" : "last name",
					   im->col_name[first < 0 ? last : first]));
}

static void header_row(importer *im, const char **cells)
{
	int best_rank[T_COUNT];
	im->n_cols = im->n_fields;
	im->col_name = arena_calloc(im->a, im->n_cols, sizeof *im->col_name);
	im->col_target = arena_calloc(im->a, im->n_cols, sizeof *im->col_target);
	im->col_field = arena_calloc(im->a, im->n_cols, sizeof *im->col_field);
	im->col_demo_key = arena_calloc(im->a, im->n_cols, sizeof *im->col_demo_key);
	for (size_t t = 0; t < T_COUNT; t++)
		im->target_col[t] = -1;
	for (size_t c = 0; c < im->n_cols; c++) {
		mt_error e;
		char label[32];
		const char *name = validate_oneline(im->a, cells[c]);
		snprintf(label, sizeof label, "#%zu", c + 1);
		if (validate_utf8(label, cells[c], im->flen[c], &e) < 0) {
			cell_error(im, im->rec_line, (int)c, &e);
			name = NULL;
		}
		im->col_name[c] = name ? name : arena_strdup(im->a, label);
		if (!name) {
			add_warning(im, arena_printf(im->a, "line %zu, column %s: has no usable name; "
						     "ignored", im->rec_line, label));
			continue;
		}
		int rank;
		target t = classify(im, c, name, &rank);
		im->col_target[c] = t;
		if (t == T_NONE)
			add_warning(im, arena_printf(im->a, "line %zu, column %s: unknown column; "
						     "ignored", im->rec_line, name));
		else if (t == T_PROGRAM)
			add_warning(im, arena_printf(im->a, "line %zu, column %s: ignored; the "
						     "program is chosen when importing",
						     im->rec_line, name));
		else if (t != T_DEMO && t != T_ANSWER)
			header_assign(im, c, t, rank, best_rank);
	}
	header_required(im);
	im->have_header = true;
}

/* ---- rows: shared ----------------------------------------------------- */

typedef struct row {
	importer *im;
	const char **cells;   /* n_cols entries; NULL = reported as bad UTF-8 */
	size_t line;
} row;

/* The cell for target t, or NULL if the column is absent or already bad. */
static const char *cell(const row *r, target t)
{
	int c = r->im->target_col[t];
	return c < 0 ? NULL : r->cells[c];
}

static const char *col(const row *r, target t)
{
	int c = r->im->target_col[t];
	return c < 0 ? target_name(r->im, t) : r->im->col_name[c];
}

static void row_fail_at(row *r, int c, const mt_error *e)
{
	cell_error(r->im, r->line, c, e);
}

static void row_fail(row *r, target t, const mt_error *e)
{
	row_fail_at(r, r->im->target_col[t], e);
}

static void row_failf(row *r, target t, const char *msg)
{
	add_error_at(r->im, r->im->target_col[t],
		     arena_printf(r->im->a, "line %zu, column %s: %s", r->line, col(r, t), msg));
}

/* Optional single-line text; NULL when blank or absent. */
static const char *opt_text(row *r, target t)
{
	const char *c = cell(r, t);
	if (validate_is_blank(c))
		return NULL;
	const char *out;
	mt_error e;
	if (validate_text(r->im->a, col(r, t), c, TEXT_MAX, &out, &e) < 0) {
		row_fail(r, t, &e);
		return NULL;
	}
	return out;
}

static const char *opt_date(row *r, target t, int32_t *days)
{
	const char *c = cell(r, t), *out;
	mt_error e;
	if (validate_is_blank(c))
		return NULL;
	if (validate_date(r->im->a, col(r, t), c, &out, days, &e) < 0) {
		row_fail(r, t, &e);
		return NULL;
	}
	return out;
}

static const char *req_email(row *r)
{
	const char *c = cell(r, T_EMAIL), *out = NULL;
	mt_error e;
	if (r->im->target_col[T_EMAIL] < 0 || !c)
		return NULL; /* reported at the header, or as bad UTF-8 */
	if (validate_email(r->im->a, col(r, T_EMAIL), c, &out, &e) < 0) {
		row_fail(r, T_EMAIL, &e);
		return NULL;
	}
	/* A person may be a mentor and a mentee of the same program: in a
	 * memberships file the key is email and role. */
	const char *role = r->im->members ? cell(r, T_ROLE) : NULL;
	const char *key = out;
	if (role) {
		char *lower = validate_trim(r->im->a, role);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		key = arena_printf(r->im->a, "%s\x1f%s", out, lower);
	}
	size_t first = seen_check(r->im, key, r->line);
	if (first) {
		char msg[400];
		if (role)
			snprintf(msg, sizeof msg, "%s is also on line %zu with the same role; each "
				 "person may appear once as mentor and once as mentee", out, first);
		else
			snprintf(msg, sizeof msg, "%s is also on line %zu; each email may appear once",
				 out, first);
		row_failf(r, T_EMAIL, msg);
	}
	return out;
}

/* Two dates that must be in order (start before end). */
static void date_order(row *r, const char *start, int32_t sd, const char *end, int32_t ed,
		       target end_t, const char *start_name)
{
	if (start && end && ed < sd) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s is before the %s %s", end, start_name, start);
		row_failf(r, end_t, msg);
	}
}

/* ---- rows: people ----------------------------------------------------- */

static const char *person_name(row *r)
{
	importer *im = r->im;
	if (im->target_col[T_NAME] >= 0) {
		const char *c = cell(r, T_NAME), *out = NULL;
		mt_error e;
		if (c && validate_text(im->a, col(r, T_NAME), c, TEXT_MAX, &out, &e) < 0)
			row_fail(r, T_NAME, &e);
		return out;
	}
	if (im->target_col[T_FIRST] < 0 || im->target_col[T_LAST] < 0)
		return NULL; /* reported at the header */
	if (!cell(r, T_FIRST) || !cell(r, T_LAST))
		return NULL;
	const char *first = validate_oneline(im->a, cell(r, T_FIRST));
	const char *last = validate_oneline(im->a, cell(r, T_LAST));
	if (!first && !last) {
		row_failf(r, T_FIRST, "is empty, and so is the last name; a name is required");
		return NULL;
	}
	const char *name = !first ? last : !last ? first : arena_printf(im->a, "%s %s", first, last);
	if (strlen(name) > TEXT_MAX) {
		row_failf(r, T_FIRST, "the name is too long; use at most 200 bytes");
		return NULL;
	}
	return name;
}

/* "English; French | German" -> "English, French, German". */
static const char *languages(row *r)
{
	const char *c = cell(r, T_LANGUAGES);
	if (validate_is_blank(c))
		return NULL;
	char *out = arena_alloc(r->im->a, strlen(c) * 2 + 1);
	size_t o = 0;
	for (const char *p = c; *p;) {
		size_t n = strcspn(p, ";,|/");
		char *item = validate_oneline(r->im->a, arena_strndup(r->im->a, p, n));
		if (item) {
			if (o) {
				out[o++] = ',';
				out[o++] = ' ';
			}
			memcpy(out + o, item, strlen(item));
			o += strlen(item);
		}
		p += n + (p[n] != '\0');
	}
	out[o] = '\0';
	return o ? out : NULL;
}

/* Appends "key":"value" to a JSON object being built in sb. */
static void json_add_pair(strbuf *sb, const char *key, const char *value)
{
	const char *parts[2] = {key, value};
	sb_addc(sb, sb->len ? ',' : '{');
	for (int i = 0; i < 2; i++) {
		sb_addc(sb, '"');
		for (const char *p = parts[i]; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '"' || c == '\\') {
				sb_addc(sb, '\\');
				sb_addc(sb, (char)c);
			} else if (c < 0x20) {
				sb_addf(sb, "\\u%04x", c);
			} else {
				sb_addc(sb, (char)c);
			}
		}
		sb_addc(sb, '"');
		if (i == 0)
			sb_addc(sb, ':');
	}
}

/* Demographic columns as one JSON object (values are valid UTF-8 here, so
 * plain escaping is enough and no JSON library is needed per row). */
static const char *demographics(row *r)
{
	importer *im = r->im;
	static const struct {
		target t;
		const char *key;
	} fixed[] = {{T_GENDER, "gender"}, {T_AGE_BAND, "age_band"}, {T_ETHNICITY, "ethnicity"}};
	strbuf *sb = &im->scratch;
	sb_reset(sb);
	for (size_t i = 0; i < 3; i++) {
		const char *v = validate_oneline(im->a, cell(r, fixed[i].t));
		if (v)
			json_add_pair(sb, fixed[i].key, v);
	}
	for (size_t c = 0; c < im->n_cols; c++) {
		const char *v = im->col_target[c] == T_DEMO ? validate_oneline(im->a, r->cells[c])
							    : NULL;
		if (v)
			json_add_pair(sb, im->col_demo_key[c], v);
	}
	if (!sb->len)
		return NULL;
	sb_addc(sb, '}');
	return arena_strndup(im->a, sb->buf, sb->len);
}

static void person_numbers(row *r, mt_person *p)
{
	mt_error e;
	const char *c = cell(r, T_SENIORITY);
	if (!validate_is_blank(c) && validate_seniority(col(r, T_SENIORITY), c, &p->seniority,
							 &e) < 0)
		row_fail(r, T_SENIORITY, &e);
	c = cell(r, T_OPT_IN);
	p->opt_in = true;
	if (!validate_is_blank(c) && validate_bool(col(r, T_OPT_IN), c, &p->opt_in, &e) < 0)
		row_fail(r, T_OPT_IN, &e);
	c = cell(r, T_TIMEZONE);
	if (!validate_is_blank(c) &&
	    validate_timezone(r->im->a, col(r, T_TIMEZONE), c, &p->timezone, &e) < 0)
		row_fail(r, T_TIMEZONE, &e);
}

static void person_manager(row *r, mt_person *p)
{
	const char *c = cell(r, T_MANAGER);
	mt_error e;
	if (validate_is_blank(c))
		return;
	if (validate_email(r->im->a, col(r, T_MANAGER), c, &p->manager_email, &e) < 0) {
		char ex[96];
		snprintf(e.message, sizeof e.message, "%s: %s is not an email address; give the "
			 "manager's email", col(r, T_MANAGER), validate_excerpt(c, ex, sizeof ex));
		row_fail(r, T_MANAGER, &e);
		return;
	}
	if (p->email && strcmp(p->email, p->manager_email) == 0)
		row_failf(r, T_MANAGER, "is the person's own email; nobody can manage themself");
}

static void person_row(row *r, mt_person *p)
{
	int32_t hire = 0, left = 0;
	p->email = req_email(r);
	p->name = person_name(r);
	p->job_title = opt_text(r, T_TITLE);
	p->department = opt_text(r, T_DEPARTMENT);
	p->location = opt_text(r, T_LOCATION);
	p->languages = languages(r);
	person_numbers(r, p);
	person_manager(r, p);
	p->hire_date = opt_date(r, T_HIRE, &hire);
	p->left_date = opt_date(r, T_LEFT_DATE, &left);
	date_order(r, p->hire_date, hire, p->left_date, left, T_LEFT_DATE, "hire date");
	p->demographics = demographics(r);
}

/* ---- rows: memberships ------------------------------------------------ */

static void skills_fail(row *r, const char *what, const char *item)
{
	char ex[96], msg[400];
	snprintf(msg, sizeof msg, "%s %s; write skills as \"Public speaking:4; SQL:3\" (level 1 "
		 "to 5, default 3)", validate_excerpt(item, ex, sizeof ex), what);
	row_failf(r, T_SKILLS, msg);
}

/* One "name[:level]" item into *out; false (reported) if bad. */
static bool skill_item(row *r, char *item, mt_skill_level *out)
{
	char *colon = strrchr(item, ':');
	int level = 3;
	if (colon) {
		*colon = '\0';
		if (validate_level("level", colon + 1, &level, NULL) < 0) {
			*colon = ':';
			skills_fail(r, "has a level that is not 1 to 5", item);
			return false;
		}
	}
	const char *name = validate_oneline(r->im->a, item);
	if (!name || strlen(name) > SKILL_MAX) {
		if (colon)
			*colon = ':';
		skills_fail(r, name ? "has a skill name longer than 100 bytes"
				    : "has no skill name", item);
		return false;
	}
	out->skill = name;
	out->level = level;
	return true;
}

static void member_skills(row *r, mt_membership *m)
{
	const char *c = cell(r, T_SKILLS);
	if (validate_is_blank(c))
		return;
	size_t cap = 1;
	for (const char *p = c; *p; p++)
		cap += *p == ';' || *p == ',';
	m->skills = arena_calloc(r->im->a, cap, sizeof *m->skills);
	for (const char *p = c; *p;) {
		size_t n = strcspn(p, ";,");
		char *item = arena_strndup(r->im->a, p, n);
		p += n + (p[n] != '\0');
		if (validate_is_blank(item))
			continue;
		mt_skill_level s;
		if (!skill_item(r, item, &s))
			continue;
		bool dup = false;
		for (size_t i = 0; i < m->n_skills; i++)
			dup |= strcasecmp(m->skills[i].skill, s.skill) == 0;
		if (dup) {
			char msg[200];
			snprintf(msg, sizeof msg, "%s is listed twice", s.skill);
			row_failf(r, T_SKILLS, msg);
			continue;
		}
		m->skills[m->n_skills++] = s;
	}
}

static void member_capacity(row *r, mt_membership *m, bool role_ok)
{
	const char *c = cell(r, T_CAPACITY);
	mt_error e;
	long v;
	if (role_ok && m->role == MT_ROLE_MENTEE) {
		m->capacity = 0;
		if (!validate_is_blank(c) && validate_int("", c, 0, 0, &v, NULL) < 0)
			add_warning(r->im, arena_printf(r->im->a, "line %zu, column %s: capacity is "
							"for mentors only; ignored for a mentee",
							r->line, col(r, T_CAPACITY)));
		return;
	}
	m->capacity = 1;
	if (validate_is_blank(c))
		return;
	if (validate_int(col(r, T_CAPACITY), c, 1, MT_CAPACITY_MAX, &v, &e) < 0)
		row_fail(r, T_CAPACITY, &e);
	else
		m->capacity = (int)v;
}

static void member_numbers(row *r, mt_membership *m)
{
	mt_error e;
	const char *c = cell(r, T_YEARS);
	long v;
	m->years_experience = -1;
	if (!validate_is_blank(c)) {
		if (validate_int(col(r, T_YEARS), c, 0, YEARS_MAX, &v, &e) < 0)
			row_fail(r, T_YEARS, &e);
		else
			m->years_experience = (int)v;
	}
	c = cell(r, T_GOAL_AREAS);
	if (!validate_is_blank(c) &&
	    validate_goal_areas(col(r, T_GOAL_AREAS), c, &m->goal_areas, &e) < 0)
		row_fail(r, T_GOAL_AREAS, &e);
	c = cell(r, T_STATUS);
	m->status = "active";
	if (!validate_is_blank(c) && validate_member_status(col(r, T_STATUS), c, &m->status, &e) < 0)
		row_fail(r, T_STATUS, &e);
}

static void member_goals(row *r, mt_membership *m)
{
	const char *c = cell(r, T_GOALS);
	if (validate_is_blank(c))
		return;
	char *t = validate_trim(r->im->a, c);
	if (strlen(t) > GOALS_MAX) {
		row_failf(r, T_GOALS, "is too long; use at most 4000 bytes");
		return;
	}
	m->goals = t;
}

static void member_answers(row *r, mt_membership *m)
{
	importer *im = r->im;
	json_t *obj = NULL;
	for (size_t c = 0; c < im->n_cols; c++) {
		if (im->col_target[c] != T_ANSWER || !r->cells[c])
			continue;
		json_t *v;
		mt_error e;
		if (questionnaire_cell_value(im->col_field[c], r->cells[c], im->col_name[c], &v,
					     &e) < 0) {
			row_fail_at(r, (int)c, &e);
			continue;
		}
		if (!v)
			continue;
		if (!obj)
			obj = json_object();
		json_object_set_new(obj, im->col_field[c]->key, v);
	}
	if (obj) {
		m->answers = questionnaire_json_text(im->a, obj);
		json_decref(obj);
	}
}

static void member_row(row *r, mt_membership *m)
{
	mt_error e;
	int32_t joined = 0, left = 0;
	m->email = req_email(r);
	const char *c = cell(r, T_ROLE);
	bool role_ok = false;
	if (r->im->target_col[T_ROLE] >= 0 && c) {
		role_ok = validate_role(col(r, T_ROLE), c, &m->role, &e) == 0;
		if (!role_ok)
			row_fail(r, T_ROLE, &e);
	}
	member_capacity(r, m, role_ok);
	member_skills(r, m);
	member_numbers(r, m);
	member_goals(r, m);
	m->joined_on = opt_date(r, T_JOINED, &joined);
	m->left_on = opt_date(r, T_LEFT_ON, &left);
	date_order(r, m->joined_on, joined, m->left_on, left, T_LEFT_ON, "join date");
	member_answers(r, m);
}

/* ---- records ---------------------------------------------------------- */

static bool record_blank(const importer *im, const char **cells)
{
	for (size_t i = 0; i < im->n_fields; i++)
		if (!validate_is_blank(cells[i]))
			return false;
	return true;
}

/* Field count must match the header; extra empty trailing cells are fine. */
static bool record_shape_ok(importer *im, const char **cells)
{
	size_t n = im->n_fields;
	while (n > im->n_cols && validate_is_blank(cells[n - 1]))
		n--;
	if (n == im->n_cols)
		return true;
	add_error(im, arena_printf(im->a, "line %zu: has %zu fields but the header has %zu; "
				   "check for a missing quote or an unquoted comma",
				   im->rec_line, n, im->n_cols));
	return false;
}

/* Reports cells that are not UTF-8 and takes them out of further checks. */
static void record_utf8(importer *im, const char **cells)
{
	for (size_t c = 0; c < im->n_cols; c++) {
		mt_error e;
		if (im->col_target[c] == T_NONE || im->col_target[c] == T_PROGRAM)
			continue;
		if (validate_utf8(im->col_name[c], cells[c], im->flen[c], &e) < 0) {
			cell_error(im, im->rec_line, (int)c, &e);
			cells[c] = NULL;
		}
	}
}

static void data_row(importer *im, const char **cells)
{
	mt_csv_result *res = im->res;
	row r = {im, cells, im->rec_line};
	if (!record_shape_ok(im, cells))
		return;
	size_t first_error = res->n_errors;
	record_utf8(im, cells);
	res->lines[im->members ? res->n_members : res->n_people] = im->rec_line;
	if (im->members)
		member_row(&r, &res->members[res->n_members++]);
	else
		person_row(&r, &res->people[res->n_people++]);
	sort_errors_by_column(im, first_error);
}

static void on_record(importer *im)
{
	const char *stack[64];
	const char **cells = im->n_fields <= 64 ? stack
						: arena_calloc(im->a, im->n_fields, sizeof *cells);
	for (size_t i = 0; i < im->n_fields; i++)
		cells[i] = im->rec + im->fstart[i];
	if (!record_blank(im, cells)) {
		if (im->have_header)
			data_row(im, cells);
		else
			header_row(im, cells);
	}
	im->n_fields = 0;
	im->rec_len = 0;
}

static void cb_field(void *data, size_t len, void *ctx)
{
	importer *im = ctx;
	if (im->rec_len + len + 1 > im->rec_cap) {
		size_t cap = im->rec_cap ? im->rec_cap : 1024;
		while (cap < im->rec_len + len + 1)
			cap *= 2;
		im->rec = realloc(im->rec, cap);
		if (!im->rec)
			abort();
		im->rec_cap = cap;
	}
	if (im->n_fields == im->fields_cap) {
		im->fields_cap = im->fields_cap ? im->fields_cap * 2 : 32;
		im->fstart = realloc(im->fstart, im->fields_cap * sizeof *im->fstart);
		im->flen = realloc(im->flen, im->fields_cap * sizeof *im->flen);
		if (!im->fstart || !im->flen)
			abort();
	}
	if (len)
		memcpy(im->rec + im->rec_len, data, len);
	im->rec[im->rec_len + len] = '\0';
	im->fstart[im->n_fields] = im->rec_len;
	im->flen[im->n_fields++] = len;
	im->rec_len += len + 1;
}

static void cb_record(int term, void *ctx)
{
	(void)term;
	on_record(ctx);
}

/* ---- driver ----------------------------------------------------------- */

/* End of the physical line starting at pos: after LF, CRLF or a lone CR. */
static size_t line_end(const char *buf, size_t len, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);
	size_t end = nl ? (size_t)(nl - buf) + 1 : len;
	const char *cr = memchr(buf + pos, '\r', end - pos);
	if (cr && (size_t)(cr - buf) + 1 < end - (nl != NULL))
		return (size_t)(cr - buf) + 1; /* a lone CR ends this line */
	return end;
}

static void parser_reset(struct csv_parser *p, importer *im)
{
	csv_free(p);
	csv_init(p, CSV_STRICT);
	im->n_fields = 0;
	im->rec_len = 0;
}

static void parse_lines(importer *im, struct csv_parser *p, const char *buf, size_t len,
			size_t pos)
{
	while (pos < len) {
		size_t end = line_end(buf, len, pos);
		if (p->pstate == CSV_ROW_NOT_BEGUN)
			im->rec_line = im->line;
		size_t n = csv_parse(p, buf + pos, end - pos, cb_field, cb_record, im);
		if (n != end - pos) {
			add_error(im, arena_printf(im->a, "line %zu: malformed quotes; a field that "
						   "contains a quote must be enclosed in quotes, "
						   "with the quote doubled (\"\"), and nothing may "
						   "follow the closing quote", im->line));
			parser_reset(p, im);
		}
		pos = end;
		im->line++;
	}
}

static void parse(importer *im, const char *buf, size_t len)
{
	struct csv_parser p;
	size_t pos = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0)) {
		add_error(im, "line 1: the file is UTF-16; save it as CSV UTF-8");
		return;
	}
	if (csv_init(&p, CSV_STRICT) != 0)
		abort();
	im->line = 1;
	im->rec_line = 1;
	parse_lines(im, &p, buf, len, pos);
	if (p.pstate == CSV_FIELD_BEGUN && p.quoted) {
		add_error(im, arena_printf(im->a, "line %zu: a quoted field that starts here is "
					   "never closed; add the missing quote (\")",
					   im->rec_line));
		im->n_fields = 0;
	} else {
		csv_fini(&p, cb_field, cb_record, im);
	}
	csv_free(&p);
}

/* Upper bound on the records in buf: one more than its CR and LF bytes. */
static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 1;
	const char *end = buf + len;
	for (const char *p = buf; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	for (const char *p = buf; (p = memchr(p, '\r', (size_t)(end - p))); p++)
		n++;
	return n;
}

static unsigned person_columns(const importer *im)
{
	static const struct { target t; unsigned bit; } map[] = {
		{T_NAME, CSV_PERSON_NAME},           {T_FIRST, CSV_PERSON_NAME},
		{T_TITLE, CSV_PERSON_JOB_TITLE},     {T_DEPARTMENT, CSV_PERSON_DEPARTMENT},
		{T_LOCATION, CSV_PERSON_LOCATION},   {T_TIMEZONE, CSV_PERSON_TIMEZONE},
		{T_LANGUAGES, CSV_PERSON_LANGUAGES}, {T_SENIORITY, CSV_PERSON_SENIORITY},
		{T_MANAGER, CSV_PERSON_MANAGER},     {T_HIRE, CSV_PERSON_HIRE_DATE},
		{T_LEFT_DATE, CSV_PERSON_LEFT_DATE}, {T_OPT_IN, CSV_PERSON_OPT_IN},
		{T_GENDER, CSV_PERSON_DEMOGRAPHICS}, {T_AGE_BAND, CSV_PERSON_DEMOGRAPHICS},
		{T_ETHNICITY, CSV_PERSON_DEMOGRAPHICS},
	};
	unsigned mask = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (im->target_col[map[i].t] >= 0)
			mask |= map[i].bit;
	for (size_t c = 0; c < im->n_cols; c++)
		if (im->col_target && im->col_target[c] == T_DEMO)
			mask |= CSV_PERSON_DEMOGRAPHICS;
	return mask;
}

static int run(mt_arena *a, const char *buf, size_t len, int members,
	       const mt_questionnaire *q, mt_csv_result *out)
{
	importer im = {0};
	memset(out, 0, sizeof *out);
	im.a = a;
	im.res = out;
	im.members = members;
	im.q = q;
	size_t rows = count_lines(buf, len);
	if (members)
		out->members = arena_calloc(a, rows, sizeof *out->members);
	else
		out->people = arena_calloc(a, rows, sizeof *out->people);
	out->lines = arena_calloc(a, rows, sizeof *out->lines);
	seen_reserve(&im, rows);
	parse(&im, buf, len);
	if (!members)
		out->person_columns = person_columns(&im);
	if (!im.have_header && !out->n_errors)
		add_error(&im, "line 1: the file is empty; expected a header line with column "
			       "names");
	else if (im.have_header && !out->n_people && !out->n_members)
		add_warning(&im, "the file has a header but no data rows");
	free(im.rec);
	free(im.fstart);
	free(im.flen);
	free(im.seen);
	sb_release(&im.scratch);
	return out->n_errors ? -1 : 0;
}

int csvimport_people(mt_arena *a, const char *buf, size_t len, mt_csv_result *out)
{
	return run(a, buf, len, 0, NULL, out);
}

int csvimport_members(mt_arena *a, const char *buf, size_t len, const mt_questionnaire *q,
		      mt_csv_result *out)
{
	return run(a, buf, len, 1, q, out);
}

int csvimport_error(const mt_csv_result *r, mt_error *err)
{
	if (!r->n_errors)
		return 0;
	const char *first = r->errors[0];
	const char *colon = strstr(first, ": ");
	char field[96];
	size_t n = colon ? (size_t)(colon - first) : 0;
	if (n >= sizeof field)
		n = sizeof field - 1;
	memcpy(field, first, n);
	field[n] = '\0';
	if (r->n_errors == 1)
		return mt_fail(err, 422, "invalid_csv", field,
			       "1 problem in the CSV file; nothing was imported: %s", first);
	return mt_fail(err, 422, "invalid_csv", field,
		       "%zu problems in the CSV file; nothing was imported. First: %s",
		       r->n_errors, first);
}
