/*
 * h_kpis.c - the KPI endpoints: GET /api/v1/programs/{id}/metrics (every
 * KPI, or ?kpi=R1,P4) and GET /api/v1/programs/{id}/metrics/{kpi} (one).
 *
 * The handler only reads and validates the query string, takes the
 * program's snapshot from the cache (store/snapshot.h) and hands both to
 * kpi_compute (domain/kpi.h), the one definition of every figure.  Access:
 * admins, managers of the program and viewers (ACCESS_PROGRAM_READER);
 * viewers (sees_all false) get the aggregates without the personal parts
 * (S3's comments, S5's names, P4's list of the unpaired).
 */
#include "http/handlers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/kpi.h"
#include "domain/validate.h"
#include "lib/timeutil.h"
#include "store/snapshot.h"

/* ?from= / ?to=: a 400 naming the field when not a date. */
static int query_day(mt_req *r, const char *key, int32_t *day, bool *present, mt_error *err)
{
	const char *v = req_query(r, key);
	*present = v != NULL;
	if (!v)
		return 0;
	if (validate_date(&r->arena, key, v, NULL, day, err) < 0) {
		err->status = 400;
		snprintf(err->code, sizeof(err->code), "bad_request");
		return -1;
	}
	return 0;
}

/* Split a comma list into arena strings. */
static const char **split_list(mt_req *r, const char *v, size_t *n)
{
	size_t cap = 1;
	for (const char *p = v; *p; p++)
		cap += *p == ',';
	const char **out = arena_calloc(&r->arena, cap, sizeof(char *));
	*n = 0;
	char *copy = arena_strdup(&r->arena, v), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *t = validate_trim(&r->arena, tok);
		if (*t)
			out[(*n)++] = t;
	}
	return out;
}

static int parse_kpis(mt_req *r, unsigned *mask, mt_error *err)
{
	const char *v = req_query(r, "kpi");
	*mask = KPI_ALL;
	if (!v)
		return 0;
	size_t n;
	const char **ids = split_list(r, v, &n);
	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		int id = kpi_id_parse(ids[i]);
		if (id < 0)
			return mt_bad_request(err, "kpi", "kpi: \"%s\" is not a KPI id; use R1-R3, "
					      "P1-P7, S1-S6, G1-G4 or H1", ids[i]);
		*mask |= 1u << id;
	}
	if (!*mask)
		return mt_bad_request(err, "kpi", "kpi: name at least one KPI id, e.g. kpi=R1,P4");
	return 0;
}

/* An optional bounded integer parameter into an int field. */
static int parse_int_param(mt_req *r, const char *key, long min, long max, int *out,
			   mt_error *err)
{
	long n;
	bool present;
	if (req_int(r, key, min, max, &n, &present, err) < 0)
		return -1;
	if (present)
		*out = (int)n;
	return 0;
}

/* Build the filter from the query string; the snapshot supplies defaults
 * (program start or earliest data -> today in the program's time zone). */
static int build_filter(mt_req *r, const snapshot_ref *ref, kpi_filter *f, mt_error *err)
{
	const kpi_snapshot *s = ref->snapshot;
	int32_t from = 0, to = 0;
	bool has_from, has_to;
	if (query_day(r, "from", &from, &has_from, err) < 0 ||
	    query_day(r, "to", &to, &has_to, err) < 0)
		return -1;
	if (!has_to)
		to = tzday_day(&ref->tz, (int64_t)time_now());
	if (!has_from) {
		from = s->program_start != KPI_NO_DAY ? s->program_start
						      : kpi_snapshot_first_day(s);
		if (from == KPI_NO_DAY || from > to)
			from = to;
	}
	if (from > to)
		return mt_invalid(err, "from", "from (%s) is after to (%s); the report's range "
				  "must start on or before its end", req_query(r, "from"),
				  has_to ? req_query(r, "to") : "today");
	kpi_filter_init(f, from, to);
	f->personal = r->sees_all;
	const char *v;
	if ((v = req_query(r, "department")) && *v) {
		int32_t id = kpi_string_find(s, v);
		f->department = id == KPI_NO_STR ? KPI_DEPT_NOBODY : id;
	}
	if ((v = req_query(r, "interval"))) {
		if (strcmp(v, "week") == 0)
			f->interval = KPI_WEEK;
		else if (strcmp(v, "month") == 0)
			f->interval = KPI_MONTH;
		else
			return mt_bad_request(err, "interval", "interval: use week or month");
	}
	if ((v = req_query(r, "breakdown")))
		f->breakdown = split_list(r, v, &f->n_breakdown);
	if ((v = req_query(r, "side"))) {
		if (strcmp(v, "mentor") == 0)
			f->feedback_side = KPI_MENTOR;
		else if (strcmp(v, "mentee") == 0)
			f->feedback_side = KPI_MENTEE;
		else
			return mt_bad_request(err, "side", "side: use mentor or mentee");
	}
	if (parse_int_param(r, "limit", 1, 10000, &f->list_limit, err) < 0 ||
	    parse_int_param(r, "top", 1, 1000, &f->top_limit, err) < 0)
		return -1;
	return 0;
}

static int reply_metrics(mt_req *r, unsigned mask, int single, mt_error *err)
{
	snapshot_cache *cache = snapshot_cache_shared();
	bool warm;
	snapshot_ref *ref = snapshot_cache_get(cache, r->db, r->ids[0], &warm, err);
	if (!ref)
		return -1;
	kpi_filter f;
	json_t *kpis = NULL;
	int rc = -1;
	if (build_filter(r, ref, &f, err) < 0)
		goto out;
	f.kpis = mask;
	if (!(kpis = kpi_compute(ref->snapshot, &f, err)))
		goto out;
	char from[11], to[11];
	validate_date_format(f.from, from);
	validate_date_format(f.to, to);
	const char *dept = req_query(r, "department");
	json_t *body = json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:b}", "program_id",
				 (json_int_t)r->ids[0], "from", from, "to", to, "department",
				 dept && *dept ? json_string(dept) : json_null(), "interval",
				 f.interval == KPI_MONTH ? "month" : "week", "data_version",
				 (json_int_t)ref->version.data_version, "personal", f.personal);
	if (single >= 0) {
		json_object_set_new(body, "kpi", json_string(kpi_id_name(single)));
		json_object_set(body, "metric", json_object_get(kpis, kpi_id_name(single)));
	} else {
		json_object_set(body, "metrics", kpis);
	}
	rc = req_reply(r, 200, body);
out:
	json_decref(kpis);
	snapshot_cache_release(cache, ref);
	return rc;
}

int h_program_metrics(mt_req *r, mt_error *err)
{
	unsigned mask;
	if (parse_kpis(r, &mask, err) < 0)
		return -1;
	return reply_metrics(r, mask, -1, err);
}

int h_program_metric(mt_req *r, mt_error *err)
{
	/* The KPI id is the path's last segment (the router matched {kpi}). */
	size_t len = strlen(r->path);
	while (len && r->path[len - 1] == '/')
		len--;
	const char *start = r->path + len;
	while (start > r->path && start[-1] != '/')
		start--;
	char *name = arena_strndup(&r->arena, start, (size_t)(r->path + len - start));
	int id = kpi_id_parse(name);
	if (id < 0)
		return mt_not_found(err, "no KPI %s: use R1-R3, P1-P7, S1-S6, G1-G4 or H1", name);
	return reply_metrics(r, 1u << id, id, err);
}
