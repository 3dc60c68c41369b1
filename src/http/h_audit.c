/* h_audit.c - reading the audit log (admins). */
#include "http/handlers.h"

#include <stdio.h>

#include "domain/validate.h"

int h_audit_list(mt_req *r, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	query q;
	query_init(&q);
	const char *v;
	if ((v = req_query(r, "entity")))
		query_and_text(&q, "a.entity = $?", v);
	if ((v = req_query(r, "action")))
		query_and_text(&q, "a.action = $?", v);
	if ((v = req_query(r, "actor")))
		query_and_text(&q, "a.actor = $?", v);
	if ((v = req_query(r, "since")))
		query_and_text(&q, "a.at >= $?", v);
	if ((v = req_query(r, "entity_id"))) {
		long id;
		if (validate_int("entity_id", v, 1, 0x7fffffff, &id, err) < 0) {
			err->status = 400;
			snprintf(err->code, sizeof(err->code), "bad_request");
			query_release(&q);
			return -1;
		}
		query_and_int(&q, "a.entity_id = $?", id);
	}
	json_t *page = store_audit_list(r->db, &q, req_query(r, "sort"), limit, offset, err);
	query_release(&q);
	return page ? req_reply(r, 200, page) : -1;
}
