/* goal.c - see goal.h. */
#include "domain/goal.h"

#include <string.h>

#include "domain/validate.h"

static const char *const status_names[GOAL_STATUS_COUNT] = {"not_started", "in_progress",
							    "achieved", "dropped"};
static const char *const phase_names[PHASE_COUNT] = {"start", "mid", "end"};

const char *goal_status_name(goal_status s)
{
	return (unsigned)s < GOAL_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *assessment_phase_name(assessment_phase p)
{
	return (unsigned)p < PHASE_COUNT ? phase_names[p] : "unknown";
}

int goal_parse_status(const char *field, const char *s, goal_status *out, mt_error *err)
{
	for (int i = 0; s && i < GOAL_STATUS_COUNT; i++)
		if (strcmp(status_names[i], s) == 0) {
			*out = (goal_status)i;
			return 0;
		}
	return mt_invalid(err, field, "%s must be not_started, in_progress, achieved or dropped",
			  field);
}

int assessment_parse_phase(const char *field, const char *s, assessment_phase *out,
			   mt_error *err)
{
	for (int i = 0; s && i < PHASE_COUNT; i++)
		if (strcmp(phase_names[i], s) == 0) {
			*out = (assessment_phase)i;
			return 0;
		}
	return mt_invalid(err, field, "%s must be start, mid or end", field);
}

int goal_apply_status(goal_status status, int32_t given_achieved_on, int32_t set_on,
		      int32_t today, int32_t *achieved_on, mt_error *err)
{
	if (status != GOAL_ACHIEVED) {
		if (given_achieved_on >= 0)
			return mt_invalid(err, "achieved_on", "achieved_on: only an achieved goal has "
					  "an achieved date; set status to achieved");
		*achieved_on = -1;
		return 0;
	}
	int32_t day = given_achieved_on >= 0 ? given_achieved_on : today;
	if (day > today)
		return mt_invalid(err, "achieved_on", "achieved_on: cannot be in the future");
	if (day < set_on) {
		char buf[11];
		validate_date_format(set_on, buf);
		return mt_invalid(err, "achieved_on", "achieved_on: cannot be before the goal was "
				  "set (%s)", buf);
	}
	*achieved_on = day;
	return 0;
}

int goal_check_target(const char *field, int32_t target, int32_t set_on, mt_error *err)
{
	if (target < set_on) {
		char buf[11];
		validate_date_format(set_on, buf);
		return mt_invalid(err, field, "%s: cannot be before the goal was set (%s)", field,
				  buf);
	}
	return 0;
}

size_t assessment_due(const char *pair_status, const assessment_subject *subjects, size_t n,
		      assessment_due_item *out)
{
	bool active = strcmp(pair_status, "active") == 0;
	bool over = strcmp(pair_status, "completed") == 0 || strcmp(pair_status, "ended") == 0;
	size_t k = 0;
	if (!active && !over)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!subjects[i].has_start)
			out[k++] = (assessment_due_item){subjects[i].skill_id, subjects[i].goal_id,
							 PHASE_START};
	if (over)
		for (size_t i = 0; i < n; i++)
			if (!subjects[i].has_end)
				out[k++] = (assessment_due_item){subjects[i].skill_id,
								 subjects[i].goal_id, PHASE_END};
	return k;
}
