/* match_settings.c - see match_settings.h. */
#include "domain/match_settings.h"

#include <jansson.h>
#include <string.h>

static int read_int(json_t *obj, const char *key, const char *prefix, int min, int max, int *dst,
		    mt_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return mt_invalid(err, key, "%s%s must be a whole number from %d to %d", prefix, key,
				  min, max);
	*dst = (int)json_integer_value(v);
	return 0;
}

static int read_weights(json_t *w, score_weights *out, mt_error *err)
{
	static const char *const prefix = "settings.matching.weights.";
	if (!w)
		return 0;
	if (!json_is_object(w))
		return mt_invalid(err, "settings.matching.weights", "weights must be an object");
	struct { const char *key; int *dst; } fields[] = {
		{"skills", &out->skills},       {"goal_areas", &out->goal_areas},
		{"seniority", &out->seniority}, {"department", &out->department},
		{"location", &out->location},   {"language", &out->language},
		{"wish", &out->wish},
	};
	const char *key;
	json_t *v;
	json_object_foreach(w, key, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (!strcmp(fields[i].key, key))
				known = true;
		if (!known)
			return mt_invalid(err, "settings.matching.weights", "unknown weight \"%s\"", key);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (read_int(w, fields[i].key, prefix, 0, 100, fields[i].dst, err) < 0)
			return -1;
	return 0;
}

static int read_dept(json_t *m, score_weights *w, mt_error *err)
{
	json_t *v = json_object_get(m, "department_pref");
	if (!v)
		return 0;
	const char *s = json_string_value(v);
	if (s && !strcmp(s, "same"))
		w->department_pref = SCORE_DEPT_SAME;
	else if (s && !strcmp(s, "different"))
		w->department_pref = SCORE_DEPT_DIFFERENT;
	else if (s && !strcmp(s, "any"))
		w->department_pref = SCORE_DEPT_ANY;
	else
		return mt_invalid(err, "settings.matching.department_pref",
				  "department_pref must be \"same\", \"different\" or \"any\"");
	return 0;
}

int match_settings_parse(const char *settings_json, match_settings *out, mt_error *err)
{
	score_weights_default(&out->weights);
	out->mentors_per_mentee = 1;
	out->recommendations = 5;
	if (!settings_json || !*settings_json)
		return 0;
	json_t *root = json_loads(settings_json, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return mt_invalid(err, "settings", "settings must be a JSON object");
	}
	json_t *m = json_object_get(root, "matching");
	int rc = 0;
	if (m && !json_is_object(m))
		rc = mt_invalid(err, "settings.matching", "settings.matching must be an object");
	else if (m)
		rc = (read_weights(json_object_get(m, "weights"), &out->weights, err) < 0 ||
		      read_int(m, "seniority_gap", "settings.matching.", 1, 9,
			       &out->weights.seniority_gap, err) < 0 ||
		      read_int(m, "min_score", "settings.matching.", 0, 1000, &out->weights.min_score,
			       err) < 0 ||
		      read_int(m, "mentors_per_mentee", "settings.matching.", 1, 5,
			       &out->mentors_per_mentee, err) < 0 ||
		      read_int(m, "recommendations", "settings.matching.", 1, 50,
			       &out->recommendations, err) < 0 ||
		      read_dept(m, &out->weights, err) < 0)
			     ? -1
			     : score_weights_validate(&out->weights, err);
	json_decref(root);
	return rc;
}
