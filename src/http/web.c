/* web.c - see web.h. */
#include "http/web.h"

#include <stdio.h>
#include <string.h>

#include "lib/embedded.h"

#define CHARTJS_DIR "/usr/share/javascript/chart.js/"

static const char *mime_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
		{".yaml", "application/yaml"}, {".json", "application/json"},
	};
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int serve_chartjs(mt_req *r, const char *file)
{
	if (strchr(file, '/') || strstr(file, ".."))
		return -1;
	char path[512];
	snprintf(path, sizeof(path), CHARTJS_DIR "%s", file);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	r->raw = arena_strndup(&r->arena, sb_str(&sb), sb.len);
	r->raw_len = sb.len;
	sb_release(&sb);
	r->content_type = "text/javascript; charset=utf-8";
	r->cache_control = "public, max-age=86400";
	r->status = 200;
	return 0;
}

int web_serve(mt_req *r)
{
	if (strcmp(r->method, "GET") != 0 || strncmp(r->path, "/api/", 5) == 0)
		return -1;
	if (strncmp(r->path, "/vendor/chart.js/", 17) == 0)
		return serve_chartjs(r, r->path + 17);
	const char *name = r->path[1] ? r->path + 1 : "index.html";
	const mt_embedded_file *f = embedded_find(mt_web_assets, name);
	if (!f)
		return -1;
	r->raw = (const char *)f->data;
	r->raw_len = f->size;
	r->content_type = mime_type(name);
	r->cache_control = "no-cache";
	r->status = 200;
	return 0;
}
