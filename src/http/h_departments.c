/* h_departments.c - the departments people belong to, for filters. */
#include "http/handlers.h"

int h_departments_list(mt_req *r, mt_error *err)
{
	int64_t limit, offset;
	if (req_page(r, &limit, &offset, err) < 0)
		return -1;
	query q;
	query_init(&q);
	const char *v;
	if ((v = req_query(r, "q")))
		query_and_text(&q, "dp.name LIKE $?", arena_printf(&r->arena, "%%%s%%", v));
	json_t *page = store_department_list(r->db, &q, req_query(r, "sort"), limit, offset, err);
	query_release(&q);
	return page ? req_reply(r, 200, page) : -1;
}
