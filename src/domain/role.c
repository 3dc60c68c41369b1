/* role.c - see role.h. */
#include "domain/role.h"

#include <string.h>

static const struct { int role; const char *name; } roles[] = {
	{ROLE_ADMIN, "admin"},   {ROLE_MANAGER, "manager"}, {ROLE_MENTOR, "mentor"},
	{ROLE_MENTEE, "mentee"}, {ROLE_VIEWER, "viewer"},
};

int role_from_name(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

const char *role_name(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "unknown";
}
