/*
 * role.h - account roles and their bit masks for the access table.
 */
#ifndef MT_ROLE_H
#define MT_ROLE_H

typedef enum mt_user_role {
	ROLE_ADMIN = 1 << 0,
	ROLE_MANAGER = 1 << 1,
	ROLE_MENTOR = 1 << 2,
	ROLE_MENTEE = 1 << 3,
	ROLE_VIEWER = 1 << 4,
} mt_user_role;

#define ROLES_ANY (ROLE_ADMIN | ROLE_MANAGER | ROLE_MENTOR | ROLE_MENTEE | ROLE_VIEWER)
#define ROLES_STAFF (ROLE_ADMIN | ROLE_MANAGER)
#define ROLES_PARTICIPANT (ROLE_MENTOR | ROLE_MENTEE)

/* "admin" -> ROLE_ADMIN; 0 if unknown. */
int role_from_name(const char *name);
/* ROLE_ADMIN -> "admin"; "unknown" otherwise. */
const char *role_name(int role);

#endif
