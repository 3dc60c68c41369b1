/* model.c - constant tables for model.h. */
#include "domain/model.h"

const char *const mt_goal_category_names[MT_GOAL_CATEGORY_COUNT] = {
	"new_skill", "promotion", "performance", "engagement", "certification", "other",
};
