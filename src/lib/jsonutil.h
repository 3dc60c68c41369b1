/*
 * jsonutil.h - reading validated fields out of JSON request bodies.
 *
 * Each getter fails with a 422 naming the field when the value has the wrong
 * type or range, and distinguishes "absent" (returns 0, *present = false)
 * from "present" so PATCH-style updates can leave fields alone.
 */
#ifndef MT_JSONUTIL_H
#define MT_JSONUTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"

/* String field.  `*out` borrows from `obj`.  JSON null counts as absent
 * unless required.  An empty string fails when required. */
int json_get_str(json_t *obj, const char *key, bool required, const char **out,
		 bool *present, mt_error *err);
/* Integer field within [min, max]. */
int json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
		 int64_t *out, bool *present, mt_error *err);
int json_get_bool(json_t *obj, const char *key, bool *out, bool *present, mt_error *err);
/* Reject keys not in the NULL-terminated `allowed` list (catches typos). */
int json_check_keys(json_t *obj, const char *const *allowed, mt_error *err);
/* Parse a request body that must be a JSON object (400 otherwise). */
json_t *json_parse_object(const char *body, size_t len, mt_error *err);
/* json_string or json_null for NULL. */
json_t *json_str_or_null(const char *s);

#endif
