/* h_departments.c - the departments people belong to, for filters. */
#include "http/handlers.h"
#include "http/list_filter.h"

int h_departments_list(mt_req *r, mt_error *err)
{
	static const list_filter filters[] = {
		LIST_LIKE("q", "dp.name LIKE $?"),
		LIST_END,
	};
	return list_filter_serve(r, filters, store_department_list, err);
}
