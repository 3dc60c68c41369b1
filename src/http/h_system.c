/* h_system.c - health, metrics and the OpenAPI description. */
#include "http/handlers.h"

#include <string.h>

#include "http/metrics.h"
#include "lib/embedded.h"
#include "lib/strbuf.h"

int h_healthz(mt_req *r, mt_error *err)
{
	int64_t one;
	if (db_query_int(r->db, "SELECT 1", &one, 0, err) < 0)
		return -1;
	return req_reply(r, 200, json_pack("{s:s, s:s, s:s}", "status", "ok", "version",
					   MT_VERSION, "database", db_backend(r->db)));
}

int h_metrics(mt_req *r, mt_error *err)
{
	(void)err;
	strbuf sb = STRBUF_INIT;
	metrics_render(r->metrics, &sb);
	r->raw = arena_strndup(&r->arena, sb_str(&sb), sb.len);
	r->raw_len = sb.len;
	r->content_type = "text/plain; version=0.0.4";
	r->status = 200;
	sb_release(&sb);
	return 0;
}

int h_openapi(mt_req *r, mt_error *err)
{
	const mt_embedded_file *f = embedded_find(mt_web_assets, "openapi.yaml");
	if (!f)
		return mt_not_found(err, "the OpenAPI description is not built in");
	r->raw = (const char *)f->data;
	r->raw_len = f->size;
	r->content_type = "application/yaml";
	r->status = 200;
	return 0;
}
