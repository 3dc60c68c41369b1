/* h_audit.c - reading the audit log (admins). */
#include "http/handlers.h"

#include "http/list_filter.h"

static const list_filter audit_filters[] = {
	LIST_TEXT("entity", "a.entity = $?"), LIST_TEXT("action", "a.action = $?"),
	LIST_TEXT("actor", "a.actor = $?"), LIST_TEXT("since", "a.at >= $?"),
	LIST_INT("entity_id", "a.entity_id = $?", 1, 0x7fffffff), LIST_END,
};

int h_audit_list(mt_req *r, mt_error *err)
{
	return list_filter_serve(r, audit_filters, store_audit_list, err);
}
