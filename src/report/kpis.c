/*
 * kpis.c - the KPI figures behind dataset=kpis: the program's snapshot,
 * the export's range and filters, and kpi_compute() (the one definition
 * of every KPI, shared with the API and the dashboard).
 *
 * The snapshot is loaded for this export rather than taken from the
 * server's cache: exports are rare, the CLI has no cache, and a loaded
 * snapshot needs no release protocol.
 */
#include <string.h>
#include <time.h>

#include "domain/validate.h"
#include "lib/timeutil.h"
#include "report/export.h"
#include "store/snapshot.h"

static int parse_day(const char *field, const char *s, int32_t *day, mt_error *err)
{
	if (!s || !*s)
		return 0;
	if (validate_date_parse(s, day) < 0)
		return mt_bad_request(err, field, "%s must be a date YYYY-MM-DD, not \"%s\"", field, s);
	return 0;
}

json_t *report_kpis_compute(db *d, int64_t program_id, const report_kpi_options *o,
			    mt_error *err)
{
	int interval = KPI_WEEK;
	if (o->interval && !strcmp(o->interval, "month"))
		interval = KPI_MONTH;
	else if (o->interval && strcmp(o->interval, "week")) {
		mt_bad_request(err, "interval", "interval must be week or month");
		return NULL;
	}
	tzday tz;
	memset(&tz, 0, sizeof(tz));
	snapshot_version version;
	kpi_snapshot *s = snapshot_load(d, program_id, &tz, &version, err);
	if (!s)
		return NULL;
	json_t *out = NULL;
	int32_t to = tzday_day(&tz, (int64_t)time_now()), from = KPI_NO_DAY;
	if (parse_day("to", o->to, &to, err) < 0 || parse_day("from", o->from, &from, err) < 0)
		goto out;
	/* The same defaults as GET /programs/{id}/metrics (h_kpis.c), so an
	 * export without a range shows the dashboard's figures. */
	if (from == KPI_NO_DAY) {
		from = s->program_start != KPI_NO_DAY ? s->program_start
						      : kpi_snapshot_first_day(s);
		if (from == KPI_NO_DAY || from > to)
			from = to;
	}
	kpi_filter f;
	kpi_filter_init(&f, from, to);
	f.interval = interval;
	f.personal = o->personal;
	if (o->department && *o->department) {
		f.department = kpi_string_find(s, o->department);
		if (f.department == KPI_NO_STR)
			f.department = KPI_DEPT_NOBODY;
	}
	out = kpi_compute(s, &f, err);
out:
	kpi_snapshot_free(s);
	tzday_release(&tz);
	return out;
}
