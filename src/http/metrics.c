/* metrics.c - see metrics.h. */
#include "http/metrics.h"

#include <stdlib.h>

#include "http/router.h"
#include "store/snapshot.h"

static const int statuses[METRICS_STATUSES - 1] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503, 501,
};
static const double bucket_limits[METRICS_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
};

int metrics_init(mt_metrics *m, int nroutes)
{
	m->nroutes = nroutes;
	m->counts = calloc((size_t)(nroutes + 2) * METRICS_STATUSES, sizeof(*m->counts));
	for (int i = 0; i <= METRICS_BUCKETS; i++)
		atomic_init(&m->buckets[i], 0);
	atomic_init(&m->sum_micros, 0);
	atomic_init(&m->total, 0);
	return m->counts ? 0 : -1;
}

void metrics_free(mt_metrics *m)
{
	free(m->counts);
	m->counts = NULL;
}

static int status_slot(int status)
{
	for (int i = 0; i < METRICS_STATUSES - 1; i++)
		if (statuses[i] == status)
			return i;
	return METRICS_STATUSES - 1; /* other */
}

void metrics_record(mt_metrics *m, int route, int status, uint64_t micros)
{
	int slot = route >= 0 ? route : m->nroutes + (route == -1 ? 0 : 1);
	atomic_fetch_add(&m->counts[slot * METRICS_STATUSES + status_slot(status)], 1);
	int b = 0;
	while (b < METRICS_BUCKETS && (double)micros / 1e6 > bucket_limits[b])
		b++;
	atomic_fetch_add(&m->buckets[b], 1);
	atomic_fetch_add(&m->sum_micros, micros);
	atomic_fetch_add(&m->total, 1);
}

static void render_counts(const mt_metrics *m, strbuf *sb)
{
	sb_adds(sb, "# HELP mentortrack_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE mentortrack_http_requests_total counter\n");
	for (int r = 0; r < m->nroutes + 2; r++) {
		for (int s = 0; s < METRICS_STATUSES; s++) {
			uint64_t n = atomic_load(&m->counts[r * METRICS_STATUSES + s]);
			if (!n)
				continue;
			const char *method = r < m->nroutes ? mt_routes[r].method : "GET";
			const char *route = r < m->nroutes ? mt_routes[r].pattern
					    : r == m->nroutes ? "static" : "unmatched";
			if (s < METRICS_STATUSES - 1)
				sb_addf(sb, "mentortrack_http_requests_total{method=\"%s\",route=\"%s\","
					    "status=\"%d\"} %llu\n", method, route, statuses[s],
					(unsigned long long)n);
			else
				sb_addf(sb, "mentortrack_http_requests_total{method=\"%s\",route=\"%s\","
					    "status=\"other\"} %llu\n", method, route,
					(unsigned long long)n);
		}
	}
}

/* The KPI snapshot cache: how often a request found its program's snapshot
 * current, waited for another's load, or caused one. */
static void render_snapshots(strbuf *sb)
{
	snapshot_cache_stats st;
	snapshot_cache_stats_read(snapshot_cache_shared(), &st);
	sb_adds(sb, "# HELP mentortrack_kpi_snapshot_requests_total KPI snapshot requests by "
		    "outcome (hit: current; wait: joined a load in flight).\n"
		    "# TYPE mentortrack_kpi_snapshot_requests_total counter\n");
	sb_addf(sb, "mentortrack_kpi_snapshot_requests_total{outcome=\"hit\"} %llu\n",
		(unsigned long long)st.hits);
	sb_addf(sb, "mentortrack_kpi_snapshot_requests_total{outcome=\"wait\"} %llu\n",
		(unsigned long long)st.waits);
	sb_adds(sb, "# HELP mentortrack_kpi_snapshot_loads_total KPI snapshots loaded "
		    "(by requests and the background refresher).\n"
		    "# TYPE mentortrack_kpi_snapshot_loads_total counter\n");
	sb_addf(sb, "mentortrack_kpi_snapshot_loads_total %llu\n", (unsigned long long)st.loads);
	sb_addf(sb, "mentortrack_kpi_snapshot_load_failures_total %llu\n",
		(unsigned long long)st.failures);
	sb_addf(sb, "mentortrack_kpi_snapshot_load_seconds_total %.6f\n", st.load_seconds);
	sb_addf(sb, "mentortrack_kpi_snapshots_cached %d\n", st.cached);
}

void metrics_render(const mt_metrics *m, strbuf *sb)
{
	render_counts(m, sb);
	render_snapshots(sb);
	sb_adds(sb, "# HELP mentortrack_http_request_duration_seconds Request latency.\n"
		    "# TYPE mentortrack_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int b = 0; b < METRICS_BUCKETS; b++) {
		cumulative += atomic_load(&m->buckets[b]);
		sb_addf(sb, "mentortrack_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			bucket_limits[b], (unsigned long long)cumulative);
	}
	cumulative += atomic_load(&m->buckets[METRICS_BUCKETS]);
	sb_addf(sb, "mentortrack_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		(unsigned long long)cumulative);
	sb_addf(sb, "mentortrack_http_request_duration_seconds_sum %.6f\n",
		(double)atomic_load(&m->sum_micros) / 1e6);
	sb_addf(sb, "mentortrack_http_request_duration_seconds_count %llu\n",
		(unsigned long long)atomic_load(&m->total));
}
