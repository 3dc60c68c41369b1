/* config.c - see config.h. */
#include "lib/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/strbuf.h"

void config_defaults(mt_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->host, sizeof(c->host), "127.0.0.1");
	c->port = 8080;
	snprintf(c->db_path, sizeof(c->db_path), "mentortrack.db");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = cores > 0 ? (int)cores : 2;
	c->body_limit = 16u * 1024 * 1024;
	c->session_hours = 12;
	c->login_max_failures = 5;
	c->login_lock_seconds = 300;
	c->alerts_interval = 300;
	c->kpi_refresh = 2;
}

static int parse_int(const char *key, const char *value, long min, long max, long *out,
		     mt_error *err)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max)
		return mt_invalid(err, key, "%s must be a number between %ld and %ld, got \"%s\"",
				  key, min, max, value);
	*out = v;
	return 0;
}

static int set_listen(mt_config *c, const char *value, mt_error *err)
{
	const char *colon = strrchr(value, ':');
	long port;
	if (!colon || colon == value || (size_t)(colon - value) >= sizeof(c->host))
		return mt_invalid(err, "listen", "listen must be HOST:PORT, got \"%s\"", value);
	if (parse_int("listen port", colon + 1, 0, 65535, &port, err) < 0)
		return -1;
	snprintf(c->host, sizeof(c->host), "%.*s", (int)(colon - value), value);
	c->port = (int)port;
	return 0;
}

static int set_bool(const char *key, const char *value, bool *out, mt_error *err)
{
	if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes"))
		*out = true;
	else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no"))
		*out = false;
	else
		return mt_invalid(err, key, "%s must be true or false, got \"%s\"", key, value);
	return 0;
}

int config_set(mt_config *c, const char *key, const char *value, mt_error *err)
{
	long v;
	if (!strcmp(key, "listen"))
		return set_listen(c, value, err);
	if (!strcmp(key, "db")) {
		if (strlen(value) >= sizeof(c->db_path))
			return mt_invalid(err, key, "db path is too long");
		snprintf(c->db_path, sizeof(c->db_path), "%s", value);
		return 0;
	}
	if (!strcmp(key, "threads")) {
		if (parse_int(key, value, 1, 256, &v, err) < 0)
			return -1;
		c->threads = (int)v;
		return 0;
	}
	if (!strcmp(key, "body_limit")) {
		if (parse_int(key, value, 1024, 1024L * 1024 * 1024, &v, err) < 0)
			return -1;
		c->body_limit = (size_t)v;
		return 0;
	}
	if (!strcmp(key, "secure_cookies"))
		return set_bool(key, value, &c->secure_cookies, err);
	if (!strcmp(key, "session_hours")) {
		if (parse_int(key, value, 1, 24 * 365, &v, err) < 0)
			return -1;
		c->session_hours = (int)v;
		return 0;
	}
	if (!strcmp(key, "login_max_failures")) {
		if (parse_int(key, value, 1, 1000, &v, err) < 0)
			return -1;
		c->login_max_failures = (int)v;
		return 0;
	}
	if (!strcmp(key, "login_lock_seconds")) {
		if (parse_int(key, value, 1, 86400, &v, err) < 0)
			return -1;
		c->login_lock_seconds = (int)v;
		return 0;
	}
	if (!strcmp(key, "alerts_interval")) {
		if (parse_int(key, value, 0, 604800, &v, err) < 0)
			return -1;
		c->alerts_interval = (int)v;
		return 0;
	}
	if (!strcmp(key, "kpi_refresh")) {
		if (parse_int(key, value, 0, 3600, &v, err) < 0)
			return -1;
		c->kpi_refresh = (int)v;
		return 0;
	}
	return mt_invalid(err, key, "unknown setting \"%s\" (known: listen, db, threads, "
				    "body_limit, secure_cookies, session_hours, login_max_failures, "
				    "login_lock_seconds, alerts_interval, kpi_refresh)", key);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_load_file(mt_config *c, const char *path, mt_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return mt_invalid(err, "config", "cannot read config file %s: %s", path,
				  strerror(errno));
	char line[2048];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = mt_invalid(err, "config", "%s line %d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		mt_error inner;
		mt_error_clear(&inner);
		if (config_set(c, trim(s), trim(eq + 1), &inner) < 0) {
			rc = mt_invalid(err, "config", "%s line %d: %s", path, lineno, inner.message);
			break;
		}
	}
	fclose(f);
	return rc;
}

int config_load_env(mt_config *c, mt_error *err)
{
	static const struct { const char *env, *key; } map[] = {
		{"MENTORTRACK_LISTEN", "listen"},
		{"MENTORTRACK_DB", "db"},
		{"MENTORTRACK_THREADS", "threads"},
		{"MENTORTRACK_BODY_LIMIT", "body_limit"},
		{"MENTORTRACK_SECURE_COOKIES", "secure_cookies"},
		{"MENTORTRACK_SESSION_HOURS", "session_hours"},
		{"MENTORTRACK_LOGIN_MAX_FAILURES", "login_max_failures"},
		{"MENTORTRACK_LOGIN_LOCK_SECONDS", "login_lock_seconds"},
		{"MENTORTRACK_ALERTS_INTERVAL", "alerts_interval"},
		{"MENTORTRACK_KPI_REFRESH", "kpi_refresh"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *v = getenv(map[i].env);
		if (v && *v && config_set(c, map[i].key, v, err) < 0)
			return -1;
	}
	return 0;
}
