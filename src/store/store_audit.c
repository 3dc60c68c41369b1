/*
 * store_audit.c - the audit log: who changed what, when, before and after.
 * Written in the same transaction as the change it describes.
 */
#include "store/store.h"

#include <stdlib.h>

#include "lib/timeutil.h"

int store_audit(db *d, const mt_actor *who, const char *action, const char *entity,
		int64_t entity_id, json_t *before, json_t *after, mt_error *err)
{
	char now[32];
	time_now_iso(now, sizeof(now));
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = -1;
	db_stmt *st = db_prepare(d, "INSERT INTO audit_log (at, user_id, actor, action, entity, "
				    "entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
				 err);
	if (!st)
		goto out;
	db_bind_text(st, 1, now);
	db_bind_opt_int(st, 2, who && who->user_id > 0, who ? who->user_id : 0);
	db_bind_text(st, 3, who && who->name ? who->name : "system");
	db_bind_text(st, 4, action);
	db_bind_text(st, 5, entity);
	db_bind_opt_int(st, 6, entity_id > 0, entity_id);
	db_bind_text(st, 7, b);
	db_bind_text(st, 8, a);
	rc = db_step_done(st, err);
out:
	free(b);
	free(a);
	return rc;
}

json_t *store_audit_list(db *d, query *q, const char *sort, int64_t limit, int64_t offset,
			 mt_error *err)
{
	static const query_sort sorts[] = {
		{"id", "a.id"}, {"at", "a.at"}, {"actor", "a.actor"},
		{"entity", "a.entity"}, {"action", "a.action"}, {NULL, NULL},
	};
	/* Default newest first: the first entry's expr with DESC. */
	return query_page(d, "a.id, a.at, a.user_id, a.actor, a.action, a.entity, a.entity_id, "
			     "a.before AS before_json, a.after AS after_json",
			  "audit_log a", q, sorts, sort ? sort : "-id", limit, offset, err);
}
