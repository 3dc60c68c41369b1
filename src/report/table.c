/*
 * table.c - the tabular model (see table.h) and its two sources: the raw
 * datasets of the store and the KPI engine's JSON.
 *
 * Rows grow by doubling inside the arena; the copies left behind are at
 * most the size of the final array, a fair price for never calling free().
 */
#include "report/table.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "store/store_export.h"

report_table *report_table_new(mt_arena *a, const char *name)
{
	report_table *t = arena_alloc(a, sizeof(*t));
	t->arena = a;
	t->name = arena_strdup(a, name ? name : "");
	return t;
}

size_t report_table_add_column(report_table *t, const char *name, report_type type)
{
	assert(t->nrows == 0);
	if (t->ncols == t->cap_cols) {
		size_t cap = t->cap_cols ? t->cap_cols * 2 : 8;
		t->cols = arena_realloc(t->arena, t->cols, t->cap_cols * sizeof(*t->cols),
					cap * sizeof(*t->cols));
		t->cap_cols = cap;
	}
	t->cols[t->ncols] = (report_column){arena_strdup(t->arena, name), type};
	return t->ncols++;
}

report_cell *report_table_add_row(report_table *t)
{
	/* A table without columns still gets storage, so `row` is never NULL. */
	size_t width = t->ncols ? t->ncols : 1;
	if (t->nrows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
		t->cells = arena_realloc(t->arena, t->cells, t->cap_rows * width * sizeof(*t->cells),
					 cap * width * sizeof(*t->cells));
		t->cap_rows = cap;
	}
	report_cell *row = t->cells + t->nrows * t->ncols;
	memset(row, 0, t->ncols * sizeof(*row));
	t->nrows++;
	return row;
}

const report_cell *report_table_cell(const report_table *t, size_t row, size_t col)
{
	assert(row < t->nrows && col < t->ncols);
	return &t->cells[row * t->ncols + col];
}

void report_cell_null(report_cell *c)
{
	memset(c, 0, sizeof(*c));
}

void report_cell_int(report_cell *c, int64_t v)
{
	c->type = REPORT_INTEGER;
	c->i = v;
}

void report_cell_real(report_cell *c, double v)
{
	c->type = REPORT_REAL;
	c->r = v;
}

void report_cell_text(report_table *t, report_cell *c, report_type type, const char *s)
{
	if (!s) {
		report_cell_null(c);
		return;
	}
	c->type = type;
	c->s = arena_strdup(t->arena, s);
}

void report_book_init(report_book *b, mt_arena *a)
{
	memset(b, 0, sizeof(*b));
	b->arena = a;
}

void report_book_add(report_book *b, report_table *t)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		b->tables = arena_realloc(b->arena, b->tables, b->cap * sizeof(*b->tables),
					  cap * sizeof(*b->tables));
		b->cap = cap;
	}
	b->tables[b->n++] = t;
}

/* ---- dates ---------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool date_prefix(const char *s)
{
	return digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2);
}

bool report_is_date(const char *s)
{
	return s && strlen(s) == 10 && date_prefix(s);
}

bool report_is_timestamp(const char *s)
{
	return s && strlen(s) == 20 && date_prefix(s) && s[10] == 'T' &&
	       digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2) && s[16] == ':' &&
	       digits(s + 17, 2) && s[19] == 'Z';
}

/* ---- raw datasets ---------------------------------------------------------- */

bool report_is_dataset(const char *name)
{
	for (const char *const *d = store_export_datasets; *d; d++)
		if (name && strcmp(*d, name) == 0)
			return true;
	return false;
}

static report_type from_store_type(store_export_type type)
{
	switch (type) {
	case EXPORT_INTEGER: return REPORT_INTEGER;
	case EXPORT_REAL: return REPORT_REAL;
	case EXPORT_DATE: return REPORT_DATE;
	case EXPORT_TIMESTAMP: return REPORT_TIMESTAMP;
	case EXPORT_TEXT: break;
	}
	return REPORT_TEXT;
}

static int add_store_row(void *ctx, const store_export_value *values, size_t ncols,
			 mt_error *err)
{
	(void)err;
	report_table *t = ctx;
	assert(ncols == t->ncols);
	report_cell *row = report_table_add_row(t);
	for (size_t c = 0; c < ncols; c++) {
		const store_export_value *v = &values[c];
		if (v->null)
			continue;
		switch (t->cols[c].type) {
		case REPORT_INTEGER: report_cell_int(&row[c], v->i); break;
		case REPORT_REAL: report_cell_real(&row[c], v->r); break;
		default: report_cell_text(t, &row[c], t->cols[c].type, v->text); break;
		}
	}
	return 0;
}

report_table *report_dataset_table(db *d, mt_arena *a, int64_t program_id, const char *dataset,
				   mt_error *err)
{
	size_t ncols;
	const store_export_column *cols = store_export_columns(dataset, &ncols);
	if (!cols) {
		mt_not_found(err, "no dataset named \"%s\"", dataset ? dataset : "");
		return NULL;
	}
	report_table *t = report_table_new(a, dataset);
	for (size_t c = 0; c < ncols; c++)
		report_table_add_column(t, cols[c].name, from_store_type(cols[c].type));
	if (store_export_rows(d, program_id, dataset, add_store_row, t, err) < 0)
		return NULL;
	return t;
}

/* ---- KPI JSON ---------------------------------------------------------------- */

void report_cell_from_json(report_table *t, report_cell *c, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER: report_cell_int(c, json_integer_value(v)); return;
	case JSON_REAL: report_cell_real(c, json_real_value(v)); return;
	case JSON_TRUE: report_cell_text(t, c, REPORT_TEXT, "true"); return;
	case JSON_FALSE: report_cell_text(t, c, REPORT_TEXT, "false"); return;
	case JSON_NULL: report_cell_null(c); return;
	case JSON_STRING: {
		const char *s = json_string_value(v);
		report_type type = report_is_date(s)	  ? REPORT_DATE
				   : report_is_timestamp(s) ? REPORT_TIMESTAMP
							    : REPORT_TEXT;
		report_cell_text(t, c, type, s);
		return;
	}
	case JSON_OBJECT:
	case JSON_ARRAY: {
		char *text = json_dumps(v, JSON_COMPACT);
		report_cell_text(t, c, REPORT_TEXT, text);
		free(text);
		return;
	}
	}
}

static bool is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static const char *join_path(mt_arena *a, const char *prefix, const char *key)
{
	return *prefix ? arena_printf(a, "%s.%s", prefix, key) : arena_strdup(a, key);
}

/* The declared type of a column given the cell types seen in it. */
static report_type merge_type(report_type have, report_type cell)
{
	if (cell == REPORT_NULL || have == cell)
		return have;
	if (have == REPORT_NULL)
		return cell;
	if ((have == REPORT_INTEGER && cell == REPORT_REAL) ||
	    (have == REPORT_REAL && cell == REPORT_INTEGER))
		return REPORT_REAL;
	return REPORT_TEXT;
}

/* Collect the flattened keys of an object (nested objects with dots). */
static void collect_keys(mt_arena *a, const json_t *obj, const char *prefix, const char ***keys,
			 size_t *n, size_t *cap)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		const char *path = join_path(a, prefix, key);
		if (json_is_object(v) && json_object_size(v) > 0) {
			collect_keys(a, v, path, keys, n, cap);
			continue;
		}
		bool seen = false;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = strcmp((*keys)[i], path) == 0;
		if (seen)
			continue;
		if (*n == *cap) {
			size_t grow = *cap ? *cap * 2 : 8;
			*keys = arena_realloc(a, *keys, *cap * sizeof(**keys), grow * sizeof(**keys));
			*cap = grow;
		}
		(*keys)[(*n)++] = path;
	}
}

/* The value at a dotted path made by collect_keys, or NULL. */
static const json_t *at_path(const json_t *obj, const char *path)
{
	const json_t *v = json_object_get(obj, path);
	if (v)
		return v;
	const char *dot = strchr(path, '.');
	while (dot) {
		size_t len = (size_t)(dot - path);
		const json_t *inner = json_object_getn(obj, path, len);
		if (json_is_object(inner)) {
			const json_t *found = at_path(inner, dot + 1);
			if (found)
				return found;
		}
		dot = strchr(dot + 1, '.');
	}
	return NULL;
}

static void add_array_table(report_book *book, const char *name, const json_t *arr)
{
	mt_arena *a = book->arena;
	report_table *t = report_table_new(a, name);
	size_t i;
	json_t *item;
	bool objects = json_array_size(arr) > 0;
	json_array_foreach((json_t *)arr, i, item)
		objects = objects && json_is_object(item);
	if (!objects) {
		report_table_add_column(t, "value", REPORT_NULL);
		json_array_foreach((json_t *)arr, i, item) {
			report_cell *row = report_table_add_row(t);
			report_cell_from_json(t, &row[0], item);
			t->cols[0].type = merge_type(t->cols[0].type, row[0].type);
		}
	} else {
		const char **keys = NULL;
		size_t n = 0, cap = 0;
		json_array_foreach((json_t *)arr, i, item)
			collect_keys(a, item, "", &keys, &n, &cap);
		for (size_t k = 0; k < n; k++)
			report_table_add_column(t, keys[k], REPORT_NULL);
		json_array_foreach((json_t *)arr, i, item) {
			report_cell *row = report_table_add_row(t);
			for (size_t k = 0; k < n; k++) {
				const json_t *v = at_path(item, keys[k]);
				if (v)
					report_cell_from_json(t, &row[k], v);
				t->cols[k].type = merge_type(t->cols[k].type, row[k].type);
			}
		}
	}
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].type == REPORT_NULL)
			t->cols[c].type = REPORT_TEXT;
	report_book_add(book, t);
}

/* Walk one KPI's object: scalars into `figures`, arrays into their own tables. */
static void walk_kpi(report_book *book, report_table *figures, const char *kpi, const char *prefix,
		     const json_t *obj)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		const char *path = join_path(book->arena, prefix, key);
		if (json_is_array(v)) {
			add_array_table(book, arena_printf(book->arena, "%s %s", kpi, path), v);
		} else if (json_is_object(v) && json_object_size(v) > 0) {
			walk_kpi(book, figures, kpi, path, v);
		} else {
			report_cell *row = report_table_add_row(figures);
			report_cell_text(figures, &row[0], REPORT_TEXT, path);
			if (is_scalar(v))
				report_cell_from_json(figures, &row[1], v);
		}
	}
}

int report_tables_from_kpis(report_book *book, const json_t *kpis, mt_error *err)
{
	if (!json_is_object(kpis))
		return mt_internal(err, "KPI figures are not an object");
	const char *kpi;
	json_t *v;
	json_object_foreach((json_t *)kpis, kpi, v) {
		if (!json_is_object(v))
			return mt_internal(err, "KPI %s is not an object", kpi);
		report_table *figures = report_table_new(book->arena, kpi);
		report_table_add_column(figures, "figure", REPORT_TEXT);
		report_table_add_column(figures, "value", REPORT_TEXT);
		/* The figures table goes first, before the KPI's arrays. */
		report_book_add(book, figures);
		walk_kpi(book, figures, kpi, "", v);
	}
	return 0;
}
