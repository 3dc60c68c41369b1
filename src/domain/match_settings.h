/*
 * match_settings.h - a program's matching settings, read from the
 * "matching" object of the program's settings JSON:
 *
 *   {"matching": {"weights": {"skills": 35, "goal_areas": 15, "seniority": 15,
 *                             "department": 10, "location": 10, "language": 5,
 *                             "wish": 10},
 *                 "seniority_gap": 2, "department_pref": "different",
 *                 "min_score": 20, "mentors_per_mentee": 1,
 *                 "recommendations": 5}}
 *
 * Every key is optional; absent keys keep the defaults of score.h.
 */
#ifndef MT_MATCH_SETTINGS_H
#define MT_MATCH_SETTINGS_H

#include "domain/score.h"
#include "lib/error.h"

typedef struct match_settings {
	score_weights weights;
	int mentors_per_mentee;  /* k, 1..5 */
	int recommendations;     /* top-N shown to a mentee, 1..50 */
} match_settings;

/* Parse settings JSON text (NULL or "" gives the defaults).  -1 with err
 * naming the field, e.g. "settings.matching.weights.skills". */
int match_settings_parse(const char *settings_json, match_settings *out, mt_error *err);

#endif
