/*
 * bench_kpi.c - all KPIs of one large program (issue 5): 100,000 people,
 * 40,000 pairs, about 1,000,000 sessions, as written by bench_activity.
 *
 * Measures, on the same database and in the same run:
 *  - cold: a fresh cache, snapshot load (src/store/snapshot.c: the big
 *    tables in rowid chunks on two threads) + compute;
 *  - warm: the cache already holds the current version, so a request is
 *    the version check + kpi_compute (what GET .../metrics costs);
 *  - the `sqlite3` shell doing one full scan of the sessions table
 *    (SELECT COUNT(*), SUM(minutes) FROM sessions WHERE status='completed'),
 *    the reference cost the KPI target is measured against.
 * Each figure is the median of its runs; the ratio warm / scan is printed.
 *
 * usage: bench_kpi DB_PATH [PROGRAM_ID] [WARM_RUNS] [COLD_RUNS]
 *   (make the database first: build/bench/bench_activity DB_PATH)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "domain/kpi.h"
#include "store/snapshot.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of the whole process (every thread), user + system. */
static double cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One request's worth: cache get + compute over the whole history. */
static int one_request(snapshot_cache *c, db *d, int64_t program, bool *warm, size_t *bytes,
		       mt_error *err)
{
	snapshot_ref *ref = snapshot_cache_get(c, d, program, warm, err);
	if (!ref)
		return -1;
	int32_t first = kpi_snapshot_first_day(ref->snapshot);
	kpi_filter f;
	kpi_filter_init(&f, first, first + 1200);
	json_t *out = kpi_compute(ref->snapshot, &f, err);
	if (bytes && out) {
		char *text = json_dumps(out, JSON_COMPACT);
		*bytes = strlen(text);
		free(text);
	}
	int rc = out ? 0 : -1;
	json_decref(out);
	snapshot_cache_release(c, ref);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DB_PATH [PROGRAM_ID] [WARM_RUNS] [COLD_RUNS]\n", argv[0]);
		return 2;
	}
	const char *path = argv[1];
	int64_t program = argc > 2 ? atoll(argv[2]) : 0;
	int warm_runs = argc > 3 ? atoi(argv[3]) : 21, cold_runs = argc > 4 ? atoi(argv[4]) : 5;
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "%s: no database; make it with build/bench/bench_activity %s\n", path,
			path);
		return 2;
	}
	mt_error err;
	db *d = db_open(path, &err);
	if (!d) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	if (!program && db_query_int(d, "SELECT program_id FROM sessions GROUP BY program_id "
				       "ORDER BY COUNT(*) DESC LIMIT 1", &program, 0, &err) < 0)
		goto fail;
	int64_t n_sessions = 0, n_people = 0, n_pairs = 0;
	db_query_int(d, "SELECT COUNT(*) FROM sessions", &n_sessions, 0, &err);
	db_query_int(d, "SELECT COUNT(*) FROM people", &n_people, 0, &err);
	db_query_int(d, "SELECT COUNT(*) FROM pairs", &n_pairs, 0, &err);
	printf("database %s: %lld people, %lld pairs, %lld sessions; program %lld\n", path,
	       (long long)n_people, (long long)n_pairs, (long long)n_sessions, (long long)program);

	/* Cold: a new cache each time. */
	double *cold = calloc((size_t)cold_runs, sizeof(double));
	double *load = calloc((size_t)cold_runs, sizeof(double));
	/* CPU per load: the work done, whatever else the machine is running
	 * (wall time on a shared 2-core VM moves with the neighbours' load). */
	double *load_cpu = calloc((size_t)cold_runs, sizeof(double));
	size_t bytes = 0, snap_bytes = 0;
	for (int i = 0; i < cold_runs; i++) {
		snapshot_cache *c = snapshot_cache_new(1);
		bool warm;
		double t0 = now_ms(), c0 = cpu_ms();
		tzday tz;
		snapshot_version v;
		kpi_snapshot *s = snapshot_load(d, program, &tz, &v, &err);
		double t1 = now_ms();
		load_cpu[i] = cpu_ms() - c0;
		if (!s)
			goto fail;
		snap_bytes = s->bytes;
		kpi_snapshot_free(s);
		tzday_release(&tz);
		load[i] = t1 - t0;
		t0 = now_ms();
		if (one_request(c, d, program, &warm, &bytes, &err) < 0)
			goto fail;
		cold[i] = now_ms() - t0;
		snapshot_cache_free(c);
	}
	/* Warm: one cache, loaded once. */
	snapshot_cache *c = snapshot_cache_new(4);
	bool warm;
	if (one_request(c, d, program, &warm, NULL, &err) < 0)
		goto fail;
	double *hot = calloc((size_t)warm_runs, sizeof(double));
	for (int i = 0; i < warm_runs; i++) {
		double t0 = now_ms();
		if (one_request(c, d, program, &warm, NULL, &err) < 0 || !warm)
			goto fail;
		hot[i] = now_ms() - t0;
	}
	snapshot_cache_free(c);

	/* The sqlite3 shell's full scan, same file, same run. */
	enum { SCAN_RUNS = 5 };
	double scan[SCAN_RUNS];
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' \"SELECT COUNT(*), SUM(minutes) FROM sessions WHERE "
		 "status='completed'\" > /dev/null", path);
	for (int i = 0; i < SCAN_RUNS; i++) {
		double t0 = now_ms();
		if (system(cmd) != 0) {
			fprintf(stderr, "the sqlite3 shell failed: %s\n", cmd);
			return 1;
		}
		scan[i] = now_ms() - t0;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double w = median(hot, warm_runs), k = median(cold, cold_runs), s = median(scan, SCAN_RUNS);
	double l = median(load, cold_runs);
	printf("snapshot load only: median %.1f ms, min %.1f, max %.1f (%d runs); snapshot %.1f MB\n",
	       l, load[0], load[cold_runs - 1], cold_runs, (double)snap_bytes / 1e6);
	printf("snapshot load CPU (all threads): median %.1f ms\n", median(load_cpu, cold_runs));
	printf("cold (load + all KPIs): median %.1f ms, min %.1f, max %.1f (%d runs)\n", k, cold[0],
	       cold[cold_runs - 1], cold_runs);
	printf("warm (version check + all KPIs): median %.2f ms, min %.2f, max %.2f (%d runs)\n", w,
	       hot[0], hot[warm_runs - 1], warm_runs);
	printf("sqlite3 shell full scan of sessions: median %.1f ms (%d runs)\n", s, SCAN_RUNS);
	printf("ratio warm / scan: %.3f; cold / scan: %.2f\n", w / s, k / s);
	printf("response JSON %zu bytes; peak RSS %ld MB\n", bytes, ru.ru_maxrss / 1024);
	free(cold);
	free(load);
	free(load_cpu);
	free(hot);
	db_close(d);
	return w < 100 && k < 1000 ? 0 : 3;
fail:
	fprintf(stderr, "bench_kpi: %s\n", err.message);
	return 1;
}
