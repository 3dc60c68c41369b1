/*
 * server.c - libmicrohttpd glue: body collection with a size limit, the
 * per-thread database connection, dispatch through the route table and the
 * one error shape.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/alert_worker.h"
#include "http/kpi_refresher.h"
#include "http/auth.h"
#include "http/router.h"
#include "http/web.h"
#include "lib/log.h"
#include "lib/strbuf.h"

typedef struct conn_ctx {
	mt_req req;
	strbuf body;
	struct timespec started;
} conn_ctx;

static uint64_t micros_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (uint64_t)(t1.tv_sec - t0->tv_sec) * 1000000u +
	       (uint64_t)((t1.tv_nsec - t0->tv_nsec) / 1000);
}

static void close_db(void *p)
{
	db_close(p);
}

static db *thread_db(mt_server *s, mt_error *err)
{
	db *d = pthread_getspecific(s->db_key);
	if (d)
		return d;
	d = db_open(s->cfg->db_path, err);
	if (d)
		pthread_setspecific(s->db_key, d);
	return d;
}

static json_t *error_json(const mt_error *e)
{
	return json_pack("{s:{s:s, s:s, s:o}}", "error", "code", e->code, "message", e->message,
			 "field", e->field[0] ? json_string(e->field) : json_null());
}

static void add_common_headers(struct MHD_Response *resp, const mt_req *r)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	/* The UI has no inline script or style, so the policy can be strict. */
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; "
				"img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "Cache-Control",
				r->cache_control ? r->cache_control : "no-store");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, mt_req *r)
{
	struct MHD_Response *resp;
	if (r->raw) {
		resp = MHD_create_response_from_buffer(r->raw_len, (void *)r->raw,
						       MHD_RESPMEM_MUST_COPY);
		MHD_add_response_header(resp, "Content-Type",
					r->content_type ? r->content_type : "text/plain");
	} else if (r->json) {
		char *text = json_dumps(r->json, JSON_COMPACT);
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(resp, "Content-Type", "application/json");
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	add_common_headers(resp, r);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void fail_reply(mt_req *r, const mt_error *e)
{
	int status = e->status ? e->status : 500;
	if (status >= 500)
		log_error("%s %s: %s", r->method, r->path, e->message);
	r->raw = NULL;
	req_reply(r, status, error_json(e));
}

/* Route, authenticate, authorise and run the handler. */
static int dispatch(mt_server *s, mt_req *r, mt_error *err)
{
	int idx = router_match(r, err);
	if (idx < 0)
		return -2;
	const mt_route *route = &mt_routes[idx];
	r->status = 200;
	if (r->body_too_large) {
		mt_fail(err, 413, "too_large", "",
			"request body is larger than the limit of %zu bytes", s->cfg->body_limit);
		return idx;
	}
	if (!(r->db = thread_db(s, err)))
		return idx;
	if (auth_identify(r, err) < 0 || auth_check_csrf(r, err) < 0 ||
	    router_authorize(r, route, err) < 0 || route->handler(r, err) < 0)
		return idx;
	mt_error_clear(err);
	return idx;
}

static enum MHD_Result finish(mt_server *s, struct MHD_Connection *conn, conn_ctx *c)
{
	mt_req *r = &c->req;
	mt_error err;
	mt_error_clear(&err);
	r->body = c->body.buf;
	r->body_len = c->body.len;
	int idx = dispatch(s, r, &err);
	if (idx == -2 && err.status == 404 && web_serve(r) == 0) {
		idx = -1;
		mt_error_clear(&err);
	}
	if (err.status)
		fail_reply(r, &err);
	enum MHD_Result ret = send_reply(conn, r);
	metrics_record(&s->metrics, idx >= 0 ? idx : idx == -1 ? -1 : -2, r->status,
		       micros_since(&c->started));
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	mt_server *s = cls;
	conn_ctx *c = *con_cls;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &c->started);
		arena_init(&c->req.arena);
		c->req.cfg = s->cfg;
		c->req.conn = conn;
		c->req.metrics = &s->metrics;
		c->req.method = arena_strdup(&c->req.arena, method);
		c->req.path = arena_strdup(&c->req.arena, url);
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Keep reading past the limit (discarding) so we can answer 413. */
		if (c->body.len + *upload_size > s->cfg->body_limit)
			c->req.body_too_large = true;
		else
			sb_add(&c->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return finish(s, conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	conn_ctx *c = *con_cls;
	if (!c)
		return;
	json_decref(c->req.json);
	sb_release(&c->body);
	arena_free(&c->req.arena);
	free(c);
	*con_cls = NULL;
}

int server_start(mt_server *s, const mt_config *cfg, mt_error *err)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	if (pthread_key_create(&s->db_key, close_db) != 0 ||
	    metrics_init(&s->metrics, mt_routes_count) < 0)
		return mt_internal(err, "cannot initialise the server");
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1)
		return mt_invalid(err, "listen", "listen address %s is not an IPv4 address",
				  cfg->host);
	s->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
		(uint16_t)cfg->port, NULL, NULL, on_request, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_END);
	if (!s->daemon)
		return mt_fail(err, 400, "listen", "listen",
			       "cannot listen on %s:%d (address in use or not allowed)", cfg->host,
			       cfg->port);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon,
							       MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->port;
	/* The interval health check (issue 5): its own thread and connection. */
	if (alert_worker_start(&s->alerts, cfg, err) < 0 ||
	    kpi_refresher_start(&s->kpis, cfg, err) < 0) {
		alert_worker_stop(s->alerts);
		s->alerts = NULL;
		MHD_stop_daemon(s->daemon);
		s->daemon = NULL;
		return -1;
	}
	return 0;
}

void server_stop(mt_server *s)
{
	kpi_refresher_stop(s->kpis);
	s->kpis = NULL;
	alert_worker_stop(s->alerts);
	s->alerts = NULL;
	if (s->daemon) {
		/* Stop accepting; MHD_stop_daemon then lets in-flight requests finish
		 * and joins the workers, whose key destructors close their databases. */
		MHD_quiesce_daemon(s->daemon);
		MHD_stop_daemon(s->daemon);
		s->daemon = NULL;
	}
	pthread_key_delete(s->db_key);
	metrics_free(&s->metrics);
}

void server_block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int server_wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	return sig;
}
