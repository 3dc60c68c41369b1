/* jsonutil.c - see jsonutil.h. */
#include "lib/jsonutil.h"

#include <string.h>

int json_get_str(json_t *obj, const char *key, bool required, const char **out,
		 bool *present, mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v)) {
		if (required)
			return mt_invalid(err, key, "%s is required", key);
		return 0;
	}
	if (!json_is_string(v))
		return mt_invalid(err, key, "%s must be a string", key);
	if (required && json_string_length(v) == 0)
		return mt_invalid(err, key, "%s must not be empty", key);
	*out = json_string_value(v);
	if (present)
		*present = true;
	return 0;
}

int json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out, bool *present, mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v)) {
		if (required)
			return mt_invalid(err, key, "%s is required", key);
		return 0;
	}
	if (!json_is_integer(v))
		return mt_invalid(err, key, "%s must be an integer", key);
	json_int_t n = json_integer_value(v);
	if (n < min || n > max)
		return mt_invalid(err, key, "%s must be between %lld and %lld, got %lld", key,
				  (long long)min, (long long)max, (long long)n);
	*out = n;
	if (present)
		*present = true;
	return 0;
}

int json_get_bool(json_t *obj, const char *key, bool *out, bool *present, mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return mt_invalid(err, key, "%s must be true or false", key);
	*out = json_is_true(v);
	if (present)
		*present = true;
	return 0;
}

int json_check_keys(json_t *obj, const char *const *allowed, mt_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = true;
		if (!ok)
			return mt_invalid(err, key, "unknown field %s", key);
	}
	return 0;
}

json_t *json_parse_object(const char *body, size_t len, mt_error *err)
{
	json_error_t jerr;
	if (!body || len == 0) {
		mt_bad_request(err, "", "request body must be a JSON object");
		return NULL;
	}
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		mt_bad_request(err, "", "request body is not valid JSON: %s at line %d column %d",
			       jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		mt_bad_request(err, "", "request body must be a JSON object");
		return NULL;
	}
	return root;
}

json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}
