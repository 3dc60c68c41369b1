/*
 * bench_import.c - CSV import of 100,000 people (issue 2: under 2 s).
 *
 * Generates the large organisation with the demo generator, writes it as an
 * HR-style CSV (with a BOM, CRLF and quoted fields), then times parsing
 * and writing into a fresh SQLite file, in-process, through the same
 * functions `mentortrack import people` uses.  With an output path it also
 * keeps the CSV so bench/run.sh can time the CLI end to end.
 *
 * usage: bench_import [N_PEOPLE] [CSV_OUT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "domain/csvimport.h"
#include "domain/demogen.h"
#include "domain/validate.h"
#include "lib/secret.h"
#include "lib/strbuf.h"
#include "store/import.h"
#include "store/migrate.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void cell(strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; s && *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

static void write_csv(const mt_person *p, size_t n, strbuf *sb)
{
	sb_adds(sb, "\xEF\xBB\xBF" "Email,Full Name,Job Title,Department,Office,Level,Manager,"
		    "Hire Date\r\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "%s,", p[i].email);
		cell(sb, p[i].name);
		sb_addc(sb, ',');
		cell(sb, p[i].job_title);
		sb_addf(sb, ",%s,%s,%d,%s,%s\r\n", p[i].department, p[i].location, p[i].seniority,
			p[i].manager_email ? p[i].manager_email : "",
			p[i].hire_date ? p[i].hire_date : "");
	}
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atol(argv[1]) : 100000;
	const char *keep = argc > 2 ? argv[2] : NULL;
	mt_arena a;
	arena_init(&a);
	mt_error err;
	mt_error_clear(&err);
	mt_person *people;
	size_t count;
	demogen_org(&a, 7, n, validate_ymd_to_days(2026, 11, 1), &people, &count);
	strbuf csv = STRBUF_INIT;
	write_csv(people, count, &csv);
	if (keep) {
		FILE *f = fopen(keep, "wb");
		if (!f || fwrite(csv.buf, 1, csv.len, f) != csv.len) {
			perror(keep);
			return 1;
		}
		fclose(f);
	}
	char path[] = "/tmp/mt-bench-import-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	secret_init();
	db *d = db_open(path, &err);
	if (!d || store_migrate(d, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	mt_arena parse_arena;
	arena_init(&parse_arena);
	mt_csv_result rows;
	double t0 = now_ms();
	if (csvimport_people(&parse_arena, csv.buf, csv.len, &rows) < 0) {
		fprintf(stderr, "parse failed: %s\n", rows.n_errors ? rows.errors[0] : "?");
		return 1;
	}
	double t1 = now_ms();
	import_summary sum;
	mt_actor who = {.name = "bench"};
	if (import_people(d, &who, &rows, false, &sum, &err) < 0) {
		fprintf(stderr, "import failed: %s\n%s", err.message, sb_str(&sum.problems));
		return 1;
	}
	double t2 = now_ms();
	/* Re-import: every row is an update, nothing duplicates. */
	if (import_people(d, &who, &rows, false, &sum, &err) < 0 || sum.updated != count) {
		fprintf(stderr, "re-import failed: %s\n", err.message);
		return 1;
	}
	double t3 = now_ms();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("people=%zu csv_bytes=%zu parse_ms=%.0f write_ms=%.0f import_ms=%.0f "
	       "reimport_ms=%.0f peak_rss_mb=%.0f\n",
	       count, csv.len, t1 - t0, t2 - t1, t2 - t0, t3 - t2, (double)ru.ru_maxrss / 1024.0);
	db_close(d);
	unlink(path);
	char wal[64];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	sb_release(&sum.problems);
	sb_release(&csv);
	arena_free(&parse_arena);
	arena_free(&a);
	return 0;
}
