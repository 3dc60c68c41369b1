/* pair.c - see pair.h. */
#include "domain/pair.h"

#include <string.h>

static const char *const status_names[PAIR_STATUS_COUNT] = {
	"proposed", "active", "completed", "declined", "ended",
};

const char *pair_status_name(pair_status s)
{
	return (unsigned)s < PAIR_STATUS_COUNT ? status_names[s] : "unknown";
}

int pair_status_from_name(const char *name)
{
	for (int i = 0; name && i < PAIR_STATUS_COUNT; i++)
		if (strcmp(status_names[i], name) == 0)
			return i;
	return -1;
}

const char *pair_action_name(pair_action a)
{
	switch (a) {
	case PAIR_APPROVE: return "approve";
	case PAIR_DECLINE: return "decline";
	case PAIR_COMPLETE: return "complete";
	case PAIR_END: return "end";
	}
	return "unknown";
}

bool pair_status_terminal(pair_status s)
{
	return s == PAIR_COMPLETED || s == PAIR_DECLINED || s == PAIR_ENDED;
}

int pair_transition(pair_status from, pair_action action, const char *reason, mt_error *err)
{
	pair_status need = action == PAIR_APPROVE || action == PAIR_DECLINE ? PAIR_PROPOSED
									     : PAIR_ACTIVE;
	if (from != need)
		return mt_conflict(err, "status", "cannot %s a pair that is %s; only a %s pair can "
						  "be %s", pair_action_name(action),
				   pair_status_name(from), pair_status_name(need),
				   action == PAIR_APPROVE ? "approved"
				   : action == PAIR_DECLINE ? "declined"
				   : action == PAIR_COMPLETE ? "completed" : "ended");
	if (action == PAIR_END) {
		bool blank = true;
		for (const char *p = reason; p && *p; p++)
			if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				blank = false;
		if (blank)
			return mt_invalid(err, "reason", "ending a pair early needs a reason");
	}
	switch (action) {
	case PAIR_APPROVE: return PAIR_ACTIVE;
	case PAIR_DECLINE: return PAIR_DECLINED;
	case PAIR_COMPLETE: return PAIR_COMPLETED;
	case PAIR_END: return PAIR_ENDED;
	}
	return mt_internal(err, "unknown pair action");
}
