/* query.c - see query.h. */
#include "store/query.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void query_init(query *q)
{
	memset(q, 0, sizeof(*q));
}

void query_release(query *q)
{
	sb_release(&q->where);
}

/* Replace each "$?" in fragment with the next parameter number. */
static void append_fragment(query *q, const char *fragment, int add)
{
	sb_adds(&q->where, " AND ");
	for (const char *p = fragment; *p; p++) {
		if (p[0] == '$' && p[1] == '?') {
			sb_addf(&q->where, "$%d", q->nparams + 1);
			p++;
			continue;
		}
		sb_addc(&q->where, *p);
	}
	q->nparams += add;
}

void query_and_text(query *q, const char *fragment, const char *value)
{
	if (q->nparams >= QUERY_MAX_PARAMS)
		return;
	q->params[q->nparams] = (query_param){.is_text = 1, .s = value};
	append_fragment(q, fragment, 1);
}

void query_and_int(query *q, const char *fragment, int64_t value)
{
	if (q->nparams >= QUERY_MAX_PARAMS)
		return;
	q->params[q->nparams] = (query_param){.is_text = 0, .i = value};
	append_fragment(q, fragment, 1);
}

void query_and(query *q, const char *fragment)
{
	append_fragment(q, fragment, 0);
}

const char *const query_sides[] = {"mentor", "mentee", NULL};
const char *const query_member_statuses[] = {"pending", "active", "paused", "left", NULL};
const char *const query_session_statuses[] = {"scheduled", "completed", "cancelled", "no_show",
					      NULL};
const char *const query_session_kinds[] = {"intro", "regular", NULL};
const char *const query_goal_statuses[] = {"not_started", "in_progress", "achieved", "dropped",
					   NULL};
const char *const query_goal_categories[] = {"new_skill", "promotion", "performance",
					     "engagement", "certification", "other", NULL};
const char *const query_phases[] = {"start", "mid", "end", NULL};
const char *const query_pair_sources[] = {"solver", "request", "manual", NULL};
const char *const query_program_statuses[] = {"draft", "open", "running", "closed", "archived",
					      NULL};

void query_and_enum(query *q, const char *fragment, const char *key, const char *value,
		    const char *const *allowed)
{
	if (!value)
		return;
	for (const char *const *a = allowed; *a; a++)
		if (strcmp(*a, value) == 0) {
			query_and_text(q, fragment, value);
			return;
		}
	if (q->bad_key)
		return;
	strbuf list = STRBUF_INIT;
	for (const char *const *a = allowed; *a; a++)
		sb_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
	q->bad_key = key;
	snprintf(q->bad_msg, sizeof(q->bad_msg), "%s must be one of %s", key, sb_str(&list));
	sb_release(&list);
}

static void bind_all(db_stmt *st, const query *q)
{
	for (int i = 0; i < q->nparams; i++) {
		if (q->params[i].is_text)
			db_bind_text(st, i + 1, q->params[i].s);
		else
			db_bind_int(st, i + 1, q->params[i].i);
	}
}

static json_t *column_value(db_stmt *st, int col, const char *name, size_t len)
{
	if (db_col_null(st, col))
		return json_null();
	if (len > 5 && strcmp(name + len - 5, "_json") == 0) {
		json_t *v = json_loads(db_col_text(st, col), 0, NULL);
		return v ? v : json_null();
	}
	/* Column names ending in "_bool" become booleans; others keep SQL types. */
	if (len > 5 && strcmp(name + len - 5, "_bool") == 0)
		return json_boolean(db_col_int(st, col) != 0);
	return NULL; /* plain column: the caller converts by SQL type */
}

static json_t *row_object(db_stmt *st)
{
	json_t *obj = json_object();
	int n = db_column_count(st);
	for (int c = 0; c < n; c++) {
		const char *name = db_col_name(st, c);
		size_t len = strlen(name);
		json_t *v = column_value(st, c, name, len);
		if (!v)
			v = db_col_is_int(st, c) ? json_integer(db_col_int(st, c))
			    : db_col_is_real(st, c) ? json_real(db_col_double(st, c))
			    : json_string(db_col_text(st, c));
		bool suffixed = len > 5 && (strcmp(name + len - 5, "_json") == 0 ||
					    strcmp(name + len - 5, "_bool") == 0);
		if (suffixed) {
			char key[128];
			snprintf(key, sizeof(key), "%.*s", (int)(len - 5), name);
			json_object_set_new(obj, key, v);
		} else {
			json_object_set_new(obj, name, v);
		}
	}
	return obj;
}

json_t *query_rows(db_stmt *st, mt_error *err)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW)
		json_array_append_new(arr, row_object(st));
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *query_one(db_stmt *st, const char *what, mt_error *err)
{
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		return row_object(st);
	if (rc == DB_DONE)
		mt_not_found(err, "%s not found", what);
	return NULL;
}

json_t *query_by_id(db *d, const char *sql, int64_t id, const char *what, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *o = query_one(st, what, err);
	db_finalize(st);
	return o;
}

json_t *query_rows_by_id(db *d, const char *sql, int64_t id, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	json_t *rows = query_rows(st, err);
	db_finalize(st);
	return rows;
}

db_stmt *query_step_by_id(db *d, const char *sql, int64_t id, const char *what,
			  mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	if (rc == DB_ROW)
		return st;
	if (rc == DB_DONE)
		mt_not_found(err, "%s %lld not found", what, (long long)id);
	db_finalize(st);
	return NULL;
}

int query_ints_by_id(db *d, const char *sql, int64_t id, int n, int64_t *out, mt_error *err)
{
	db_stmt *st = db_prepare(d, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, err);
	for (int i = 0; rc == DB_ROW && i < n; i++)
		out[i] = db_col_int(st, i);
	db_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW ? 0 : 1;
}

static const char *sort_expr(const query_sort *sorts, const char *sort, bool *desc,
			     mt_error *err)
{
	*desc = false;
	if (!sort || !*sort)
		return sorts[0].expr;
	if (*sort == '-') {
		*desc = true;
		sort++;
	}
	for (const query_sort *s = sorts; s->name; s++)
		if (strcmp(s->name, sort) == 0)
			return s->expr;
	strbuf names = STRBUF_INIT;
	for (const query_sort *s = sorts; s->name; s++)
		sb_addf(&names, "%s%s", s == sorts ? "" : ", ", s->name);
	mt_bad_request(err, "sort", "cannot sort by \"%s\"; use one of: %s (prefix - for descending)",
		       sort, sb_str(&names));
	sb_release(&names);
	return NULL;
}

json_t *query_page(db *d, const char *columns, const char *from, query *q,
		   const query_sort *sorts, const char *sort, int64_t limit, int64_t offset,
		   mt_error *err)
{
	bool desc;
	if (q->bad_key) {
		mt_bad_request(err, q->bad_key, "%s", q->bad_msg);
		return NULL;
	}
	const char *order = sort_expr(sorts, sort, &desc, err);
	if (!order)
		return NULL;
	strbuf sql = STRBUF_INIT;
	json_t *page = NULL, *items = NULL;
	int64_t total = 0;

	sb_addf(&sql, "SELECT COUNT(*) FROM %s WHERE 1=1%s", from, sb_str(&q->where));
	db_stmt *st = db_prepare(d, sql.buf, err);
	if (!st)
		goto out;
	bind_all(st, q);
	if (db_step(st, err) == DB_ROW)
		total = db_col_int(st, 0);
	db_finalize(st);

	sb_reset(&sql);
	/* The id tie-break keeps pages stable when the sort key repeats. */
	sb_addf(&sql, "SELECT %s FROM %s WHERE 1=1%s ORDER BY %s %s, 1 %s LIMIT %lld OFFSET %lld",
		columns, from, sb_str(&q->where), order, desc ? "DESC" : "ASC",
		desc ? "DESC" : "ASC", (long long)limit, (long long)offset);
	st = db_prepare(d, sql.buf, err);
	if (!st)
		goto out;
	bind_all(st, q);
	items = query_rows(st, err);
	db_finalize(st);
	if (!items)
		goto out;
	page = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
			 "limit", (json_int_t)limit, "offset", (json_int_t)offset);
out:
	sb_release(&sql);
	return page;
}
