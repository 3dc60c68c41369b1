/*
 * questionnaire.c - see questionnaire.h.
 *
 * Definitions are checked strictly (unknown properties refused) because a
 * typo such as "requried" would otherwise silently make a field optional.
 * Messages name the element both by index and by key, so the program
 * manager can find it in a long list.
 */
#include "domain/questionnaire.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

static const char *const type_names[] = {"text", "choice", "multi", "number"};

const char *questionnaire_type_name(mt_qtype type)
{
	return (unsigned)type < 4 ? type_names[type] : "?";
}

/* Lower-case s without spaces, '_' and '-' into buf; false if too long. */
static bool squash(const char *s, char *buf, size_t n)
{
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '_' || c == '-')
			continue;
		if (o + 1 >= n)
			return false;
		buf[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	buf[o] = '\0';
	return true;
}

static bool squash_equal(const char *x, const char *y)
{
	char bx[256], by[256];
	return squash(x, bx, sizeof bx) && squash(y, by, sizeof by) && strcmp(bx, by) == 0;
}

/* ---- definitions ------------------------------------------------------ */

/* Context for messages about element i of the definitions array. */
typedef struct def_ctx {
	size_t index;
	const char *key; /* NULL until known */
	mt_error *err;
} def_ctx;

static int def_fail(const def_ctx *c, const char *prop, const char *fmt, const char *detail)
{
	char field[96], where[160], msg[512];
	if (prop)
		snprintf(field, sizeof field, "questionnaire[%zu].%s", c->index, prop);
	else
		snprintf(field, sizeof field, "questionnaire[%zu]", c->index);
	if (c->key)
		snprintf(where, sizeof where, "questionnaire[%zu] (%s)", c->index, c->key);
	else
		snprintf(where, sizeof where, "questionnaire[%zu]", c->index);
	snprintf(msg, sizeof msg, fmt, detail ? detail : "");
	return mt_invalid(c->err, field, "%s: %s", where, msg);
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 64 || !(k[0] >= 'a' && k[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return false;
	return true;
}

static int def_string(mt_arena *a, const def_ctx *c, const json_t *obj, const char *prop,
		      bool required, const char **out)
{
	const json_t *v = json_object_get(obj, prop);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return def_fail(c, prop, "%s is missing", prop);
		return 0;
	}
	if (!json_is_string(v) || validate_is_blank(json_string_value(v)))
		return def_fail(c, prop, "%s must be a non-empty string", prop);
	*out = validate_oneline(a, json_string_value(v));
	return 0;
}

static int def_options(mt_arena *a, const def_ctx *c, const json_t *obj, mt_qfield *f)
{
	const json_t *opts = json_object_get(obj, "options");
	bool wants = f->type == MT_Q_CHOICE || f->type == MT_Q_MULTI;
	if (!wants) {
		if (opts)
			return def_fail(c, "options", "options are only for choice and multi fields, "
					"not %s", type_names[f->type]);
		return 0;
	}
	if (!json_is_array(opts) || json_array_size(opts) == 0)
		return def_fail(c, "options", "options must be a non-empty array of strings for a "
				"%s field", type_names[f->type]);
	size_t n = json_array_size(opts);
	const char **list = arena_calloc(a, n, sizeof *list);
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(opts, i);
		if (!json_is_string(o) || validate_is_blank(json_string_value(o)))
			return def_fail(c, "options", "options must be a non-empty array of strings "
					"for a %s field", type_names[f->type]);
		list[i] = validate_oneline(a, json_string_value(o));
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(list[j], list[i]) == 0)
				return def_fail(c, "options", "option \"%s\" appears twice", list[i]);
	}
	f->options = list;
	f->n_options = n;
	return 0;
}

static int def_bound(const def_ctx *c, const json_t *obj, const char *prop, mt_qfield *f,
		     bool *has, double *val)
{
	const json_t *v = json_object_get(obj, prop);
	if (!v || json_is_null(v))
		return 0;
	if (f->type != MT_Q_NUMBER)
		return def_fail(c, prop, "%s is only for number fields", prop);
	if (!json_is_number(v))
		return def_fail(c, prop, "%s must be a number", prop);
	*has = true;
	*val = json_number_value(v);
	return 0;
}

static int def_unknown_props(const def_ctx *c, const json_t *obj)
{
	static const char *const known[] = {"key", "label", "type", "required", "options",
					    "min", "max", "help"};
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		bool found = false;
		for (size_t i = 0; i < sizeof known / sizeof *known; i++)
			found |= strcmp(k, known[i]) == 0;
		if (!found)
			return def_fail(c, NULL, "unknown property \"%s\"; allowed: key, label, "
					"type, required, options, min, max, help", k);
	}
	return 0;
}

static int def_type(const def_ctx *c, const json_t *obj, mt_qtype *out)
{
	const json_t *t = json_object_get(obj, "type");
	if (!t)
		return def_fail(c, "type", "%s is missing; use text, choice, multi or number",
				"type");
	for (int i = 0; json_is_string(t) && i < 4; i++) {
		if (strcmp(json_string_value(t), type_names[i]) == 0) {
			*out = (mt_qtype)i;
			return 0;
		}
	}
	return def_fail(c, "type", "type must be text, choice, multi or number, not %s",
			json_is_string(t) ? json_string_value(t) : "a non-string");
}

static int def_field(mt_arena *a, def_ctx *c, const json_t *obj, mt_qfield *f)
{
	if (!json_is_object(obj))
		return def_fail(c, NULL, "must be an object with key, label and type%s", "");
	if (def_string(a, c, obj, "key", true, &f->key) < 0)
		return -1;
	if (!key_ok(f->key))
		return def_fail(c, "key", "key \"%s\" must be lower-case letters, digits and _, "
				"starting with a letter (at most 64)", f->key);
	c->key = f->key;
	if (def_unknown_props(c, obj) < 0 || def_string(a, c, obj, "label", true, &f->label) < 0 ||
	    def_string(a, c, obj, "help", false, &f->help) < 0 || def_type(c, obj, &f->type) < 0)
		return -1;
	const json_t *req = json_object_get(obj, "required");
	if (req && !json_is_boolean(req))
		return def_fail(c, "required", "%s must be true or false", "required");
	f->required = json_is_true(req);
	if (def_options(a, c, obj, f) < 0 ||
	    def_bound(c, obj, "min", f, &f->has_min, &f->min) < 0 ||
	    def_bound(c, obj, "max", f, &f->has_max, &f->max) < 0)
		return -1;
	if (f->has_min && f->has_max && f->min > f->max)
		return def_fail(c, "min", "min must not be greater than max%s", "");
	return 0;
}

/* Keys and (squashed) labels must be distinct across fields. */
static int def_distinct(const def_ctx *c, const mt_qfield *fields, size_t i)
{
	for (size_t j = 0; j < i; j++) {
		if (strcmp(fields[j].key, fields[i].key) == 0)
			return def_fail(c, "key", "key \"%s\" is used by an earlier field",
					fields[i].key);
		if (squash_equal(fields[j].label, fields[i].label))
			return def_fail(c, "label", "label \"%s\" is used by an earlier field",
					fields[i].label);
	}
	return 0;
}

int questionnaire_parse_json(mt_arena *a, const json_t *defs, mt_questionnaire *out,
			     mt_error *err)
{
	if (!defs || json_is_null(defs)) {
		out->fields = NULL;
		out->n_fields = 0;
		return 0;
	}
	if (!json_is_array(defs))
		return mt_invalid(err, "questionnaire",
				  "questionnaire: must be an array of field definitions");
	size_t n = json_array_size(defs);
	if (n > QUESTIONNAIRE_MAX_FIELDS)
		return mt_invalid(err, "questionnaire",
				  "questionnaire: has %zu fields; use at most %d", n,
				  QUESTIONNAIRE_MAX_FIELDS);
	mt_qfield *fields = arena_calloc(a, n ? n : 1, sizeof *fields);
	for (size_t i = 0; i < n; i++) {
		def_ctx c = {i, NULL, err};
		if (def_field(a, &c, json_array_get(defs, i), &fields[i]) < 0 ||
		    def_distinct(&c, fields, i) < 0)
			return -1;
	}
	out->fields = fields;
	out->n_fields = n;
	return 0;
}

int questionnaire_parse(mt_arena *a, const char *json_text, mt_questionnaire *out,
			mt_error *err)
{
	if (validate_is_blank(json_text))
		return questionnaire_parse_json(a, NULL, out, err);
	json_error_t je;
	json_t *defs = json_loads(json_text, JSON_REJECT_DUPLICATES, &je);
	if (!defs)
		return mt_invalid(err, "questionnaire",
				  "questionnaire: not valid JSON (line %d, column %d: %s)", je.line,
				  je.column, je.text);
	int rc = questionnaire_parse_json(a, defs, out, err);
	json_decref(defs);
	return rc;
}

const mt_qfield *questionnaire_field(const mt_questionnaire *q, const char *key)
{
	for (size_t i = 0; q && i < q->n_fields; i++)
		if (strcmp(q->fields[i].key, key) == 0)
			return &q->fields[i];
	return NULL;
}

const mt_qfield *questionnaire_match_column(const mt_questionnaire *q, const char *header)
{
	char h[256], k[256];
	if (!q || !squash(header, h, sizeof h) || !h[0])
		return NULL;
	for (size_t i = 0; i < q->n_fields; i++) {
		if ((squash(q->fields[i].key, k, sizeof k) && strcmp(h, k) == 0) ||
		    (squash(q->fields[i].label, k, sizeof k) && strcmp(h, k) == 0))
			return &q->fields[i];
	}
	return NULL;
}

/* ---- answers ---------------------------------------------------------- */

static const char *option_find(const mt_qfield *f, const char *s, bool fold_case)
{
	for (size_t i = 0; i < f->n_options; i++)
		if (fold_case ? strcasecmp(f->options[i], s) == 0 : strcmp(f->options[i], s) == 0)
			return f->options[i];
	return NULL;
}

/* "a, b or c" for messages, truncated politely. */
static void options_list(const mt_qfield *f, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f->n_options && o + 1 < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == f->n_options ? " or " : ", ";
		int w = snprintf(buf + o, n - o, "%s%s", sep, f->options[i]);
		if (w < 0 || (size_t)w >= n - o) {
			snprintf(buf + (o < n - 4 ? o : n - 4), 4, "...");
			return;
		}
		o += (size_t)w;
	}
}

static void range_text(const mt_qfield *f, char *buf, size_t n)
{
	if (f->has_min && f->has_max)
		snprintf(buf, n, "a number from %g to %g", f->min, f->max);
	else if (f->has_min)
		snprintf(buf, n, "a number of at least %g", f->min);
	else if (f->has_max)
		snprintf(buf, n, "a number of at most %g", f->max);
	else
		snprintf(buf, n, "a number");
}

static int check_number(const mt_qfield *f, const char *name, const json_t *v, mt_error *err)
{
	char want[96];
	range_text(f, want, sizeof want);
	if (!json_is_number(v))
		return mt_invalid(err, name, "%s: must be %s", name, want);
	double d = json_number_value(v);
	if ((f->has_min && d < f->min) || (f->has_max && d > f->max))
		return mt_invalid(err, name, "%s: %g is out of range; use %s", name, d, want);
	return 0;
}

static int check_choice(const mt_qfield *f, const char *name, const json_t *v, mt_error *err)
{
	char opts[512], ex[96];
	options_list(f, opts, sizeof opts);
	if (!json_is_string(v))
		return mt_invalid(err, name, "%s: must be one of %s", name, opts);
	if (!option_find(f, json_string_value(v), false))
		return mt_invalid(err, name, "%s: %s is not an option; use %s", name,
				  validate_excerpt(json_string_value(v), ex, sizeof ex), opts);
	return 0;
}

static int check_multi(const mt_qfield *f, const char *name, const json_t *v, bool required,
		       mt_error *err)
{
	char opts[512], ex[96];
	options_list(f, opts, sizeof opts);
	if (!json_is_array(v))
		return mt_invalid(err, name, "%s: must be a list of options from %s", name, opts);
	if (required && json_array_size(v) == 0)
		return mt_invalid(err, name, "%s: is required; choose at least one of %s", name,
				  opts);
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);
		if (!json_is_string(e))
			return mt_invalid(err, name, "%s: must be a list of options from %s", name,
					  opts);
		if (!option_find(f, json_string_value(e), false))
			return mt_invalid(err, name, "%s: %s is not an option; use %s", name,
					  validate_excerpt(json_string_value(e), ex, sizeof ex),
					  opts);
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(v, j), (json_t *)e))
				return mt_invalid(err, name, "%s: %s is listed twice", name,
						  validate_excerpt(json_string_value(e), ex,
								   sizeof ex));
	}
	return 0;
}

static int check_text(const mt_qfield *f, const char *name, const json_t *v, mt_error *err)
{
	if (!json_is_string(v))
		return mt_invalid(err, name, "%s: must be text", name);
	const char *s = json_string_value(v);
	if (f->required && validate_is_blank(s))
		return mt_invalid(err, name, "%s: is empty; this question is required", name);
	if (strlen(s) > QUESTIONNAIRE_TEXT_MAX)
		return mt_invalid(err, name, "%s: is too long (%zu bytes); use at most %d", name,
				  strlen(s), QUESTIONNAIRE_TEXT_MAX);
	return 0;
}

static int check_value(const mt_qfield *f, const char *name, const json_t *v, mt_error *err)
{
	switch (f->type) {
	case MT_Q_TEXT:
		return check_text(f, name, v, err);
	case MT_Q_CHOICE:
		return check_choice(f, name, v, err);
	case MT_Q_MULTI:
		return check_multi(f, name, v, f->required, err);
	case MT_Q_NUMBER:
		return check_number(f, name, v, err);
	}
	return mt_internal(err, "questionnaire: unknown field type");
}

int questionnaire_check_answers(const mt_questionnaire *q, const json_t *answers, bool partial,
				mt_error *err)
{
	char name[96];
	if (!json_is_object(answers))
		return mt_invalid(err, "answers", "answers: must be an object keyed by field key");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)answers, k, v) {
		snprintf(name, sizeof name, "answers.%s", k);
		if (!questionnaire_field(q, k))
			return mt_invalid(err, name,
					  "%s: is not a field of this program's questionnaire", name);
	}
	for (size_t i = 0; q && i < q->n_fields; i++) {
		const mt_qfield *f = &q->fields[i];
		snprintf(name, sizeof name, "answers.%s", f->key);
		v = json_object_get(answers, f->key);
		if (!v || json_is_null(v)) {
			if (f->required && !partial)
				return mt_invalid(err, name, "%s: is required (%s)", name, f->label);
			continue;
		}
		if (check_value(f, name, v, err) < 0)
			return -1;
	}
	return 0;
}

int questionnaire_check_answers_text(const mt_questionnaire *q, const char *json_text,
				     bool partial, mt_error *err)
{
	json_error_t je;
	json_t *answers = validate_is_blank(json_text)
				  ? json_object()
				  : json_loads(json_text, JSON_REJECT_DUPLICATES, &je);
	if (!answers)
		return mt_invalid(err, "answers", "answers: not valid JSON (line %d, column %d: %s)",
				  je.line, je.column, je.text);
	int rc = questionnaire_check_answers(q, answers, partial, err);
	json_decref(answers);
	return rc;
}

/* ---- CSV cells -------------------------------------------------------- */

static int cell_number(const mt_qfield *f, const char *name, const char *cell, json_t **out,
		       mt_error *err)
{
	char buf[64], ex[96], want[96];
	size_t n = 0;
	const char *p = cell;
	while (*p == ' ' || *p == '\t')
		p++;
	while (p[n] && n + 1 < sizeof buf)
		n++;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	memcpy(buf, p, n);
	buf[n] = '\0';
	char *end;
	double d = strtod(buf, &end);
	bool ok = n > 0 && *end == '\0' && isfinite(d) && strspn(buf, "+-.0123456789eE") == n;
	if (!ok) {
		range_text(f, want, sizeof want);
		return mt_invalid(err, name, "%s: %s is not a number; use %s", name,
				  validate_excerpt(cell, ex, sizeof ex), want);
	}
	json_t *v = (d == floor(d) && fabs(d) < 9e15) ? json_integer((json_int_t)d) : json_real(d);
	if (check_number(f, name, v, err) < 0) {
		json_decref(v);
		return -1;
	}
	*out = v;
	return 0;
}

static int cell_choice(const mt_qfield *f, const char *name, const char *item, json_t **out,
		       mt_error *err)
{
	char opts[512], ex[96];
	const char *o = option_find(f, item, true);
	if (!o) {
		options_list(f, opts, sizeof opts);
		return mt_invalid(err, name, "%s: %s is not an option; use %s", name,
				  validate_excerpt(item, ex, sizeof ex), opts);
	}
	*out = json_string(o);
	return 0;
}

static int cell_multi(const mt_qfield *f, const char *name, const char *cell, json_t **out,
		      mt_error *err)
{
	mt_arena scratch;
	arena_init(&scratch);
	json_t *arr = json_array();
	int rc = 0;
	const char *p = cell;
	while (*p && rc == 0) {
		size_t n = strcspn(p, ";");
		char *item = validate_trim(&scratch, arena_strndup(&scratch, p, n));
		json_t *v = NULL;
		if (item[0] && (rc = cell_choice(f, name, item, &v, err)) == 0) {
			bool dup = false;
			for (size_t i = 0; i < json_array_size(arr); i++)
				dup |= json_equal(json_array_get(arr, i), v);
			if (!dup)
				json_array_append(arr, v);
			json_decref(v);
		}
		p += n + (p[n] != '\0');
	}
	arena_free(&scratch);
	if (rc == 0 && f->required && json_array_size(arr) == 0)
		rc = mt_invalid(err, name, "%s: is empty; this question is required", name);
	if (rc < 0) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

int questionnaire_cell_value(const mt_qfield *f, const char *cell, const char *name,
			     json_t **out, mt_error *err)
{
	char dflt[96];
	if (!name) {
		snprintf(dflt, sizeof dflt, "answers.%s", f->key);
		name = dflt;
	}
	*out = NULL;
	if (validate_is_blank(cell)) {
		if (f->required)
			return mt_invalid(err, name, "%s: is empty; this question is required", name);
		return 0;
	}
	if (validate_utf8(name, cell, strlen(cell), err) < 0)
		return -1;
	switch (f->type) {
	case MT_Q_TEXT: {
		mt_arena scratch;
		arena_init(&scratch);
		json_t *v = json_string(validate_trim(&scratch, cell));
		arena_free(&scratch);
		if (check_text(f, name, v, err) < 0) {
			json_decref(v);
			return -1;
		}
		*out = v;
		return 0;
	}
	case MT_Q_CHOICE: {
		mt_arena scratch;
		arena_init(&scratch);
		int rc = cell_choice(f, name, validate_trim(&scratch, cell), out, err);
		arena_free(&scratch);
		return rc;
	}
	case MT_Q_MULTI:
		return cell_multi(f, name, cell, out, err);
	case MT_Q_NUMBER:
		return cell_number(f, name, cell, out, err);
	}
	return mt_internal(err, "questionnaire: unknown field type");
}

const char *questionnaire_json_text(mt_arena *a, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (!s)
		abort(); /* only fails on allocation failure: same policy as the arena */
	const char *copy = arena_strdup(a, s);
	free(s);
	return copy;
}

int questionnaire_answers_from_cells(mt_arena *a, const mt_questionnaire *q,
				     const char *const *cells, const char *const *names,
				     const char **out_json, mt_error *err)
{
	json_t *answers = json_object();
	for (size_t i = 0; q && i < q->n_fields; i++) {
		json_t *v;
		if (!cells[i])
			continue;
		if (questionnaire_cell_value(&q->fields[i], cells[i], names ? names[i] : NULL, &v,
					     err) < 0) {
			json_decref(answers);
			return -1;
		}
		if (v)
			json_object_set_new(answers, q->fields[i].key, v);
	}
	*out_json = json_object_size(answers) ? questionnaire_json_text(a, answers) : NULL;
	json_decref(answers);
	return 0;
}
