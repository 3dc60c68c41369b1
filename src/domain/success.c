/* success.c - see success.h. */
#include "domain/success.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

void success_criteria_default(success_criteria *c)
{
	c->min_mean_rating_centi = 400;
	c->min_sessions = SUCCESS_MIN_SESSIONS_DEFAULT;
}

static int read_rating(json_t *s, success_criteria *out, mt_error *err)
{
	json_t *v = json_object_get(s, "min_mean_rating");
	if (!v)
		return 0;
	double x = json_is_number(v) ? json_number_value(v) : -1;
	double centi = x * 100.0;
	if (x < 1 || x > 5 || fabs(centi - round(centi)) > 1e-6)
		return mt_invalid(err, "settings.success.min_mean_rating",
				  "settings.success.min_mean_rating must be a number from 1 to 5 "
				  "with at most two decimals");
	out->min_mean_rating_centi = (int)round(centi);
	return 0;
}

static int read_sessions(json_t *s, success_criteria *out, mt_error *err)
{
	json_t *v = json_object_get(s, "min_sessions");
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > SUCCESS_MIN_SESSIONS_MAX)
		return mt_invalid(err, "settings.success.min_sessions",
				  "settings.success.min_sessions must be a whole number from 0 to %d",
				  SUCCESS_MIN_SESSIONS_MAX);
	out->min_sessions = (int)json_integer_value(v);
	return 0;
}

int success_criteria_parse(const char *settings_json, success_criteria *out, mt_error *err)
{
	success_criteria_default(out);
	if (!settings_json || !*settings_json)
		return 0;
	json_t *root = json_loads(settings_json, 0, NULL);
	int rc = 0;
	json_t *s = json_is_object(root) ? json_object_get(root, "success") : NULL;
	const char *key;
	json_t *v;
	if (!json_is_object(root)) {
		rc = mt_invalid(err, "settings", "settings must be a JSON object");
		goto out;
	}
	if (!s)
		goto out;
	if (!json_is_object(s)) {
		rc = mt_invalid(err, "settings.success", "settings.success must be an object");
		goto out;
	}
	json_object_foreach(s, key, v) {
		if (strcmp(key, "min_mean_rating") && strcmp(key, "min_sessions")) {
			rc = mt_invalid(err, "settings.success",
					"settings.success: unknown key \"%s\"; use min_mean_rating or "
					"min_sessions", key);
			goto out;
		}
	}
	rc = read_rating(s, out, err) < 0 || read_sessions(s, out, err) < 0 ? -1 : 0;
out:
	json_decref(root);
	return rc;
}

static bool side_met(int64_t n, int64_t sum, int centi)
{
	/* mean >= min  <=>  sum * 100 >= min_centi * n, with n > 0. */
	return n > 0 && sum * 100 >= (int64_t)centi * n;
}

bool success_pair_met(const success_criteria *c, const success_tally *t)
{
	return t->held_sessions >= c->min_sessions &&
	       side_met(t->mentor_ratings, t->mentor_score_sum, c->min_mean_rating_centi) &&
	       side_met(t->mentee_ratings, t->mentee_score_sum, c->min_mean_rating_centi);
}

void success_tally_session(success_tally *t)
{
	t->held_sessions++;
}

void success_tally_rating(success_tally *t, bool by_mentor, int score)
{
	if (by_mentor) {
		t->mentor_ratings++;
		t->mentor_score_sum += score;
	} else {
		t->mentee_ratings++;
		t->mentee_score_sum += score;
	}
}
