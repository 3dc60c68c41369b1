/* test_kpi.c - the KPI engine (domain/kpi.c) on hand-built snapshots whose
 * expected figures are worked out by hand in the comments; the small-group
 * folding, medians, ISO weeks and the time-zone day cut (domain/tzday.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/kpi.h"
#include "domain/tzday.h"
#include "domain/validate.h"

static int32_t D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(validate_date_parse(s, &d), 0);
	return d;
}

/* ---- building fixtures ------------------------------------------------------ */

static mt_error err;

static int32_t person(kpi_snapshot *s, int64_t id, const char *name, const char *dept)
{
	kpi_person p = {.id = id, .name = kpi_intern(s, name), .job_title = KPI_NO_STR,
			.department = kpi_intern(s, dept), .location = KPI_NO_STR,
			.hire = KPI_NO_DAY, .left = KPI_NO_DAY};
	int32_t i = kpi_add_person(s, &p, &err);
	assert_true(i >= 0);
	return i;
}

static int32_t member(kpi_snapshot *s, int64_t id, int32_t person, int role, int capacity,
		      const char *joined, const char *left)
{
	kpi_membership m = {.id = id, .person = person, .role = (uint8_t)role,
			    .status = KPI_MS_ACTIVE, .capacity = (int16_t)capacity,
			    .joined = D(joined), .left = left ? D(left) : KPI_NO_DAY};
	int32_t i = kpi_add_membership(s, &m, &err);
	assert_true(i >= 0);
	return i;
}

static int32_t pair(kpi_snapshot *s, int64_t id, int32_t mentor_ms, int32_t mentee_ms,
		    int status, const char *proposed, const char *started, const char *ended)
{
	const kpi_membership *ms = KPI_ROWS(s, memberships, kpi_membership);
	kpi_pair p = {.id = id, .mentor_ms = mentor_ms, .mentee_ms = mentee_ms,
		      .mentor = ms[mentor_ms].person, .mentee = ms[mentee_ms].person,
		      .status = (uint8_t)status, .proposed = D(proposed),
		      .started = started ? D(started) : KPI_NO_DAY,
		      .ended = ended ? D(ended) : KPI_NO_DAY};
	int32_t i = kpi_add_pair(s, &p, &err);
	assert_true(i >= 0);
	return i;
}

static int32_t session(kpi_snapshot *s, int64_t id, int32_t pair, const char *day, int minutes,
		       int kind, int status)
{
	kpi_session x = {.pair = pair, .day = D(day), .minutes = (int16_t)minutes,
			 .kind = (uint8_t)kind, .status = (uint8_t)status};
	int32_t i = kpi_add_session(s, id, &x, &err);
	assert_true(i >= 0);
	return i;
}

static void held(kpi_snapshot *s, int64_t id, int32_t pair, const char *day, int minutes)
{
	session(s, id, pair, day, minutes, KPI_SESSION_REGULAR, KPI_SESSION_COMPLETED);
}

static void rating(kpi_snapshot *s, int64_t id, int32_t session, int side, int score,
		   const char *comment)
{
	const kpi_session *x = &KPI_ROWS(s, sessions, kpi_session)[session];
	const kpi_pair *p = &KPI_ROWS(s, pairs, kpi_pair)[x->pair];
	kpi_rating r = {.id = id, .session = session,
			.rater = side == KPI_MENTOR ? p->mentor : p->mentee, .side = (uint8_t)side,
			.score = (uint8_t)score, .comment = kpi_intern(s, comment)};
	assert_true(kpi_add_rating(s, &r, &err) >= 0);
}

static json_t *compute(const kpi_snapshot *s, const char *from, const char *to)
{
	kpi_filter f;
	kpi_filter_init(&f, D(from), D(to));
	json_t *out = kpi_compute(s, &f, &err);
	assert_non_null(out);
	return out;
}

/* ---- reading results: "P1.active", "S1.per_month.1.count" ------------------------ */

static json_t *J(json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
		if (json_is_array(o))
			o = json_array_get(o, (size_t)atoi(tok));
		else
			o = json_object_get(o, tok);
		if (!o)
			fail_msg("no %s in the result (at %s)", path, tok);
	}
	return o;
}

static long long Ji(json_t *o, const char *path)
{
	json_t *v = J(o, path);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return json_integer_value(v);
}

static double Jd(json_t *o, const char *path)
{
	json_t *v = J(o, path);
	if (!json_is_number(v))
		fail_msg("%s is not a number", path);
	return json_number_value(v);
}

static void assert_null_at(json_t *o, const char *path)
{
	if (!json_is_null(J(o, path)))
		fail_msg("%s should be null", path);
}

static void assert_ratio(json_t *o, const char *path, long long num, long long den)
{
	char p[128];
	snprintf(p, sizeof(p), "%s.numerator", path);
	assert_int_equal(Ji(o, p), num);
	snprintf(p, sizeof(p), "%s.denominator", path);
	assert_int_equal(Ji(o, p), den);
	snprintf(p, sizeof(p), "%s.value", path);
	if (den)
		assert_float_equal(Jd(o, p), (double)num / (double)den, 1e-12);
	else
		assert_null_at(o, p);
}

/* ---- building blocks ----------------------------------------------------------- */

static void test_median(void **state)
{
	(void)state;
	int32_t odd[] = {9, 1, 5};
	assert_float_equal(kpi_median_i32(odd, 3), 5.0, 0);
	int32_t even[] = {10, 1, 4, 7};
	assert_float_equal(kpi_median_i32(even, 4), 5.5, 0); /* (4 + 7) / 2 */
	int32_t two[] = {3, 4};
	assert_float_equal(kpi_median_i32(two, 2), 3.5, 0);
	int32_t one[] = {-2};
	assert_float_equal(kpi_median_i32(one, 1), -2.0, 0);
	int32_t dup[] = {5, 5, 5, 1, 5, 9};
	assert_float_equal(kpi_median_i32(dup, 6), 5.0, 0);
	/* Quickselect against a sort, on many shapes (duplicates, runs). */
	uint32_t seed = 7;
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)(round % 37);
		int32_t v[40], sorted[40];
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			v[i] = (int32_t)((seed >> 16) % (round % 3 ? 10u : 1000u)) - 3;
			sorted[i] = v[i];
		}
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				int32_t t = sorted[j];
				sorted[j] = sorted[j - 1];
				sorted[j - 1] = t;
			}
		double expect = n % 2 ? sorted[n / 2]
				      : ((double)sorted[n / 2 - 1] + (double)sorted[n / 2]) / 2;
		assert_float_equal(kpi_median_i32(v, n), expect, 0);
	}
}

static void fold(kpi_group *g, size_t n, const char *expect_groups, int64_t expect_other,
		 bool expect_suppressed)
{
	bool suppressed;
	int64_t other = kpi_fold_groups(g, &n, &suppressed);
	char got[256] = "";
	for (size_t i = 0; i < n; i++) {
		char part[64];
		snprintf(part, sizeof(part), "%s%s:%lld", i ? " " : "", g[i].name,
			 (long long)g[i].count);
		strcat(got, part);
	}
	assert_string_equal(got, expect_groups);
	assert_int_equal(other, expect_other);
	assert_int_equal(suppressed, expect_suppressed);
}

static void test_fold_groups(void **state)
{
	(void)state;
	/* Nothing small: kept, biggest first, ties by name. */
	fold((kpi_group[]){{"b", 5}, {"a", 7}, {"c", 5}}, 3, "a:7 b:5 c:5", 0, false);
	/* 2 + 2 = 4 in other (1-4): the smallest remaining (b:6) folds in: 10. */
	fold((kpi_group[]){{"a", 10}, {"b", 6}, {"c", 2}, {"d", 2}}, 4, "a:10", 10, false);
	/* other 3; a and b tie at 5: a (alphabetically first) folds in. */
	fold((kpi_group[]){{"b", 5}, {"a", 5}, {"c", 3}}, 3, "b:5", 8, false);
	/* other 2 + 3 = 5 is not small: stop. */
	fold((kpi_group[]){{"a", 6}, {"b", 2}, {"c", 3}}, 3, "a:6", 5, false);
	/* other 4 takes the only remaining group: everything is "other". */
	fold((kpi_group[]){{"a", 10}, {"b", 3}, {"c", 1}}, 3, "", 14, false);
	/* Folding repeats while other stays small: 1 + 1 (a) = 2, + 1?  No:
	 * groups of 1-4 fold at once (other 3), then the smallest (e:5) -> 8. */
	fold((kpi_group[]){{"a", 1}, {"b", 1}, {"c", 1}, {"e", 5}, {"f", 9}}, 5, "f:9", 8, false);
	/* Population under 5: no breakdown. */
	fold((kpi_group[]){{"a", 3}, {"b", 1}}, 2, "", 0, true);
	fold((kpi_group[]){{"a", 0}}, 1, "", 0, true);
	/* Exactly 5 in one group. */
	fold((kpi_group[]){{"a", 5}, {"z", 0}}, 2, "a:5", 0, false);
}

static void test_iso_week(void **state)
{
	(void)state;
	int y, w;
	assert_int_equal(kpi_iso_week(D("2021-01-03"), &y, &w), D("2020-12-28"));
	assert_int_equal(y, 2020);
	assert_int_equal(w, 53);
	assert_int_equal(kpi_iso_week(D("2024-12-30"), &y, &w), D("2024-12-30"));
	assert_int_equal(y, 2025);
	assert_int_equal(w, 1);
	assert_int_equal(kpi_iso_week(D("2025-03-16"), &y, &w), D("2025-03-10"));
	assert_int_equal(w, 11);
	assert_int_equal(kpi_iso_week(D("1969-12-31"), &y, &w), D("1969-12-29"));
	assert_int_equal(kpi_month_start(D("2024-02-29")), D("2024-02-01"));
}

static void test_tzday(void **state)
{
	(void)state;
	tzday tz;
	int64_t t;
	assert_int_equal(tzday_parse_timestamp("2025-03-09T20:00:00Z", &t), 0);
	assert_int_equal(tzday_parse_fixed("UTC", &tz), 0);
	assert_int_equal(tzday_day(&tz, t), D("2025-03-09"));
	assert_int_equal(tzday_parse_fixed("+05:30", &tz), 0);
	assert_int_equal(tz.fixed_offset, 19800);
	assert_int_equal(tzday_day(&tz, t), D("2025-03-10")); /* 01:30 local */
	assert_int_equal(tzday_parse_timestamp("2025-03-10T03:00:00Z", &t), 0);
	assert_int_equal(tzday_parse_fixed("-0400", &tz), 0);
	assert_int_equal(tzday_day(&tz, t), D("2025-03-09")); /* 23:00 local */
	assert_int_equal(tzday_parse_fixed("-04", &tz), 0);
	assert_int_equal(tzday_day(&tz, t), D("2025-03-09"));
	assert_int_equal(tzday_parse_fixed("Europe/Paris", &tz), -1);
	assert_int_equal(tzday_parse_fixed("+15:00", &tz), -1);
	assert_int_equal(tzday_parse_fixed("+1:00", &tz), -1);
	assert_int_equal(tzday_parse_timestamp("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	tzday_parse_fixed("UTC", &tz);
	assert_int_equal(tzday_day(&tz, t), -1);
	assert_int_equal(tzday_parse_timestamp("2025-02-30T00:00:00Z", &t), -1);

	/* A TZif file with one transition: +01:00 before, +02:00 from
	 * 2025-03-30T01:00:00Z (a version-1 file: 32-bit times). */
	unsigned char f[44 + 4 + 1 + 12 + 8];
	memset(f, 0, sizeof(f));
	memcpy(f, "TZif", 4);
	f[35] = 1;  /* timecnt */
	f[39] = 2;  /* typecnt */
	f[43] = 8;  /* charcnt */
	int64_t at = (int64_t)D("2025-03-30") * 86400 + 3600;
	for (int i = 0; i < 4; i++)
		f[44 + i] = (unsigned char)(at >> (24 - 8 * i));
	f[48] = 1;  /* transition 0 -> type 1 */
	unsigned char *types = f + 49;
	types[2] = 0x0e; types[3] = 0x10;              /* 3600 */
	types[6 + 2] = 0x1c; types[6 + 3] = 0x20; types[6 + 4] = 1; /* 7200, dst */
	assert_int_equal(tzday_parse_tzif(f, sizeof(f), &tz, "timezone", &err), 0);
	assert_int_equal(tzday_day(&tz, at - 1), D("2025-03-30")); /* 01:59:59 +1 */
	assert_int_equal(tzday_parse_timestamp("2025-03-29T23:30:00Z", &t), 0);
	assert_int_equal(tzday_day(&tz, t), D("2025-03-30")); /* 00:30 at +1 */
	assert_int_equal(tzday_parse_timestamp("2025-06-30T22:30:00Z", &t), 0);
	assert_int_equal(tzday_day(&tz, t), D("2025-07-01")); /* 00:30 at +2 */
	tzday_release(&tz);
	assert_int_equal(tzday_parse_tzif(f, 20, &tz, "timezone", &err), -1);
	assert_string_equal(err.field, "timezone");
}

/* ---- whole snapshots ----------------------------------------------------------------- */

static void test_empty_program(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	json_t *k = compute(s, "2025-01-01", "2025-03-31");
	assert_int_equal(json_object_size(k), KPI_COUNT);
	assert_int_equal(Ji(k, "R1.persons"), 0);
	assert_int_equal(Ji(k, "R1.new_registrations.total"), 0);
	/* 2025-01-01 is in 2025-W01, 2025-03-31 in W14. */
	assert_int_equal(json_array_size(J(k, "R1.new_registrations.per_week")), 14);
	assert_string_equal(json_string_value(J(k, "R1.new_registrations.per_week.0.week")),
			    "2025-W01");
	assert_ratio(k, "R2.utilisation", 0, 0);
	assert_true(json_is_true(J(k, "R3.suppressed")));
	assert_int_equal(Ji(k, "P1.total"), 0);
	assert_null_at(k, "P2.median_days");
	assert_null_at(k, "P2.mean_days.mean");
	assert_ratio(k, "P4.mentees", 0, 0);
	assert_ratio(k, "P5.share_of_headcount", 0, 0);
	assert_ratio(k, "P6.held_intro", 0, 0);
	assert_null_at(k, "P6.median_days_to_intro");
	assert_null_at(k, "P7.mentors.mean");
	assert_int_equal(Ji(k, "S1.held"), 0);
	assert_int_equal(json_array_size(J(k, "S1.per_month")), 3);
	assert_ratio(k, "S1.per_pair.mean", 0, 0);
	assert_null_at(k, "S2.by_mentees.mean");
	assert_int_equal(Ji(k, "S3.total"), 0);
	assert_float_equal(Jd(k, "S4.hours"), 0, 0);
	assert_int_equal(json_array_size(J(k, "S5.top")), 0);
	assert_ratio(k, "S6.sessions_per_mentor", 0, 0);
	assert_ratio(k, "G4.overall", 0, 0);
	assert_ratio(k, "H1.success_rate", 0, 0);
	assert_int_equal(Ji(k, "H1.open_alerts"), 0);
	assert_string_equal(json_string_value(J(k, "H1.definition")), kpi_definition(KPI_H1));
	json_decref(k);

	/* from after to is the caller's mistake, named. */
	kpi_filter f;
	kpi_filter_init(&f, D("2025-02-01"), D("2025-01-01"));
	assert_null(kpi_compute(s, &f, &err));
	assert_int_equal(err.status, 422);
	assert_string_equal(err.field, "from");
	kpi_snapshot_free(s);
}

/*
 * One pair: mentor Ann (capacity 2), mentee Bob, matched 2025-01-10.
 * Sessions: intro 01-15 (60 min, completed), regular 02-03 (30, completed),
 * 02-10 cancelled, 03-20 scheduled (after T).  Range 2025-01-01..02-28.
 */
static void test_single_pair(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	int32_t ann = person(s, 1, "Ann", "Sales"), bob = person(s, 2, "Bob", "IT");
	int32_t m_ann = member(s, 10, ann, KPI_MENTOR, 2, "2024-12-01", NULL);
	int32_t m_bob = member(s, 11, bob, KPI_MENTEE, 0, "2025-01-06", NULL);
	int32_t p = pair(s, 100, m_ann, m_bob, KPI_PAIR_ACTIVE, "2025-01-10", "2025-01-10", NULL);
	kpi_intern(s, "skill"); /* not needed, but ids need not be dense */
	assert_int_equal(kpi_add_pair_reason(s, kpi_intern(s, "skill"), &err), 0);
	assert_int_equal(kpi_add_pair_reason(s, kpi_intern(s, "skill"), &err), 0);
	assert_int_equal(kpi_add_pair_reason(s, kpi_intern(s, "department"), &err), 0);
	int32_t s1 = session(s, 1000, p, "2025-01-15", 60, KPI_SESSION_INTRO, KPI_SESSION_COMPLETED);
	int32_t s2 = session(s, 1001, p, "2025-02-03", 30, KPI_SESSION_REGULAR,
			     KPI_SESSION_COMPLETED);
	session(s, 1002, p, "2025-02-10", 30, KPI_SESSION_REGULAR, KPI_SESSION_CANCELLED);
	session(s, 1003, p, "2025-03-20", 30, KPI_SESSION_REGULAR, KPI_SESSION_SCHEDULED);
	rating(s, 1, s1, KPI_MENTEE, 5, "great start");
	rating(s, 2, s1, KPI_MENTOR, 4, NULL);
	rating(s, 3, s2, KPI_MENTEE, 2, "too short");
	kpi_checkin c = {.pair = p, .day = D("2025-02-01"), .side = KPI_MENTEE, .score = 4};
	assert_true(kpi_add_checkin(s, &c, &err) >= 0);
	c.day = D("2025-03-01"); /* after T */
	assert_true(kpi_add_checkin(s, &c, &err) >= 0);

	json_t *k = compute(s, "2025-01-01", "2025-02-28");
	assert_int_equal(Ji(k, "R1.mentors"), 1);
	assert_int_equal(Ji(k, "R1.mentees"), 1);
	assert_int_equal(Ji(k, "R1.persons"), 2);
	/* Bob joined 2025-01-06 (Monday of W02); Ann before the range. */
	assert_int_equal(Ji(k, "R1.new_registrations.total"), 1);
	assert_int_equal(Ji(k, "R1.new_registrations.per_week.1.count"), 1);
	assert_string_equal(json_string_value(J(k, "R1.new_registrations.per_week.1.start")),
			    "2025-01-06");
	assert_int_equal(Ji(k, "R2.capacity"), 2);
	assert_int_equal(Ji(k, "R2.seats_in_use"), 1);
	assert_ratio(k, "R2.utilisation", 1, 2);
	assert_int_equal(Ji(k, "R2.mentors_at_or_over_capacity"), 0);
	assert_int_equal(Ji(k, "P1.active"), 1);
	assert_int_equal(Ji(k, "P1.total"), 1);
	/* 2025-01-10 .. 2025-02-28 = 49 days. */
	assert_float_equal(Jd(k, "P2.median_days"), 49, 0);
	assert_float_equal(Jd(k, "P2.mean_days.mean"), 49, 0);
	/* "skill" once per pair. */
	assert_string_equal(json_string_value(J(k, "P3.reasons.0.reason")), "department");
	assert_int_equal(Ji(k, "P3.reasons.0.count"), 1);
	assert_int_equal(Ji(k, "P3.reasons.1.count"), 1);
	assert_ratio(k, "P4.mentees", 1, 1);
	assert_ratio(k, "P4.mentors", 1, 1);
	assert_int_equal(Ji(k, "P4.unpaired_count"), 0);
	assert_int_equal(Ji(k, "P5.started_before_range"), 0);
	assert_int_equal(Ji(k, "P5.new_in_range"), 1);
	assert_ratio(k, "P5.share_of_headcount", 2, 2);
	assert_ratio(k, "P6.held_intro", 1, 1);
	assert_float_equal(Jd(k, "P6.median_days_to_intro"), 5, 0);
	assert_int_equal(Ji(k, "P7.mentees.count"), 1);
	assert_float_equal(Jd(k, "P7.mentees.mean"), 4, 0);
	assert_int_equal(Ji(k, "S1.held"), 2);
	assert_int_equal(Ji(k, "S1.per_month.0.count"), 1);
	assert_int_equal(Ji(k, "S1.per_month.1.count"), 1);
	assert_string_equal(json_string_value(J(k, "S1.per_month.1.month")), "2025-02");
	assert_int_equal(Ji(k, "S1.not_held.cancelled"), 1);
	assert_int_equal(Ji(k, "S1.not_held.scheduled"), 0);
	assert_ratio(k, "S1.per_pair.mean", 2, 1);
	assert_float_equal(Jd(k, "S2.by_mentees.mean"), 3.5, 0);
	assert_float_equal(Jd(k, "S2.by_mentors.mean"), 4, 0);
	assert_int_equal(Ji(k, "S3.total"), 2);
	assert_string_equal(json_string_value(J(k, "S3.comments.0.comment")), "too short");
	assert_string_equal(json_string_value(J(k, "S3.comments.1.comment")), "great start");
	assert_int_equal(Ji(k, "S4.minutes"), 90);
	assert_float_equal(Jd(k, "S4.hours"), 1.5, 0);
	assert_float_equal(Jd(k, "S4.per_month.1.hours"), 0.5, 0);
	/* Both 90 minutes: a tie at rank 1, Ann (id 1) first. */
	assert_int_equal(Ji(k, "S5.top.0.rank"), 1);
	assert_int_equal(Ji(k, "S5.top.1.rank"), 1);
	assert_int_equal(Ji(k, "S5.top.0.person_id"), 1);
	assert_int_equal(Ji(k, "S6.mentors"), 1);
	assert_ratio(k, "S6.sessions_per_mentor", 2, 1);
	assert_ratio(k, "S6.mean_session_minutes", 90, 2);
	assert_int_equal(Ji(k, "S6.distribution.1.mentors"), 1); /* bucket "2" */
	json_decref(k);

	/* A viewer's report has no personal parts. */
	kpi_filter f;
	kpi_filter_init(&f, D("2025-01-01"), D("2025-02-28"));
	f.personal = false;
	k = kpi_compute(s, &f, &err);
	assert_null(json_object_get(J(k, "S3"), "comments"));
	assert_null(json_object_get(J(k, "S5"), "top"));
	assert_null(json_object_get(J(k, "P4"), "unpaired"));
	assert_int_equal(Ji(k, "S3.total"), 2);
	json_decref(k);

	/* Only some KPIs, and the S3 side filter. */
	f.personal = true;
	f.kpis = 1u << KPI_S3;
	f.feedback_side = KPI_MENTOR;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(json_object_size(k), 1);
	assert_int_equal(Ji(k, "S3.total"), 0);
	json_decref(k);
	/* Only the newest comment; the total still counts both. */
	f.feedback_side = -1;
	f.list_limit = 1;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(Ji(k, "S3.total"), 2);
	assert_int_equal(json_array_size(J(k, "S3.comments")), 1);
	assert_string_equal(json_string_value(J(k, "S3.comments.0.comment")), "too short");
	json_decref(k);
	kpi_snapshot_free(s);
}

/*
 * Pairs crossing the range's edges; range 2025-02-01..02-28 (T = 02-28).
 *   A  M1-E1  started 01-05, still active            -> active, 54 days
 *   B  M2-E2  started 01-02, completed on T (02-28)   -> completed, 57 days
 *   C  M1-E3  started 2024-12-01, ended early 01-20   -> before the range: not in P1
 *   D  M3-E4  proposed 02-10                          -> proposed
 *   E  M3-E5  proposed 01-05, declined 02-05          -> declined
 *   F  M3-E6  proposed 03-05 (after T)                -> absent
 *   G  M2-E6  proposed 02-20, started 03-01 (after T) -> proposed at T
 */
static void test_range_edges(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	int32_t pm[3], pe[6], mm[3], me[6];
	const char *mentor_names[] = {"M1", "M2", "M3"};
	const char *mentee_names[] = {"E1", "E2", "E3", "E4", "E5", "E6"};
	for (int i = 0; i < 3; i++)
		pm[i] = person(s, 1 + i, mentor_names[i], "Sales");
	for (int i = 0; i < 6; i++)
		pe[i] = person(s, 10 + i, mentee_names[i], "IT");
	for (int i = 0; i < 3; i++)
		mm[i] = member(s, 100 + i, pm[i], KPI_MENTOR, 1, "2024-11-01", NULL);
	for (int i = 0; i < 6; i++)
		me[i] = member(s, 200 + i, pe[i], KPI_MENTEE, 0, "2024-11-15", NULL);
	int32_t a = pair(s, 1, mm[0], me[0], KPI_PAIR_ACTIVE, "2025-01-05", "2025-01-05", NULL);
	int32_t b = pair(s, 2, mm[1], me[1], KPI_PAIR_COMPLETED, "2025-01-02", "2025-01-02",
			 "2025-02-28");
	int32_t c = pair(s, 3, mm[0], me[2], KPI_PAIR_ENDED, "2024-12-01", "2024-12-01",
			 "2025-01-20");
	pair(s, 4, mm[2], me[3], KPI_PAIR_PROPOSED, "2025-02-10", NULL, NULL);
	pair(s, 5, mm[2], me[4], KPI_PAIR_DECLINED, "2025-01-05", NULL, "2025-02-05");
	pair(s, 6, mm[2], me[5], KPI_PAIR_PROPOSED, "2025-03-05", NULL, NULL);
	pair(s, 7, mm[1], me[5], KPI_PAIR_ACTIVE, "2025-02-20", "2025-03-01", NULL);
	/* B: two held sessions, rated mentor 5, 4 and mentee 4, 3 (mean 3.5). */
	held(s, 1, b, "2025-01-10", 60);
	held(s, 2, b, "2025-02-27", 60);
	rating(s, 1, 0, KPI_MENTOR, 5, NULL);
	rating(s, 2, 0, KPI_MENTEE, 4, NULL);
	rating(s, 3, 1, KPI_MENTOR, 4, NULL);
	rating(s, 4, 1, KPI_MENTEE, 3, NULL);
	/* A: an intro on 02-01 (27 days after its start), C: one in December. */
	session(s, 3, a, "2025-02-01", 45, KPI_SESSION_INTRO, KPI_SESSION_COMPLETED);
	session(s, 4, c, "2024-12-05", 45, KPI_SESSION_INTRO, KPI_SESSION_COMPLETED);
	s->success_min_sessions = 2;

	json_t *k = compute(s, "2025-02-01", "2025-02-28");
	assert_int_equal(Ji(k, "P1.proposed"), 2);
	assert_int_equal(Ji(k, "P1.active"), 1);
	assert_int_equal(Ji(k, "P1.completed"), 1);
	assert_int_equal(Ji(k, "P1.ended_early"), 0);
	assert_int_equal(Ji(k, "P1.declined"), 1);
	assert_int_equal(Ji(k, "P1.total"), 5);
	/* Started P1 pairs A (54) and B (57): an even count. */
	assert_int_equal(Ji(k, "P2.pairs"), 2);
	assert_float_equal(Jd(k, "P2.median_days"), 55.5, 0);
	assert_float_equal(Jd(k, "P2.mean_days.mean"), 55.5, 0);
	/* Seats at T: only A (B ended on T, G starts after T). */
	assert_int_equal(Ji(k, "R2.seats_in_use"), 1);
	assert_int_equal(Ji(k, "R2.capacity"), 3);
	assert_int_equal(Ji(k, "R2.mentors_at_or_over_capacity"), 1);
	/* Paired at T: E1 only among mentees; M1 among mentors. */
	assert_ratio(k, "P4.mentees", 1, 6);
	assert_ratio(k, "P4.mentors", 1, 3);
	/* Waiting, longest first (ties by person id): M3 since joining
	 * 2024-11-01 (119 days; a proposal or a declined pair does not count),
	 * E4..E6 since joining 2024-11-15 (105), E3 since C ended 01-20 (39),
	 * M2 and E2 since B ended on T (0). */
	assert_int_equal(Ji(k, "P4.unpaired_count"), 7);
	long long expect[7][2] = {{3, 119}, {13, 105}, {14, 105}, {15, 105}, {12, 39}, {2, 0},
				  {11, 0}};
	for (int i = 0; i < 7; i++) {
		char path[64];
		snprintf(path, sizeof(path), "P4.unpaired.%d.person_id", i);
		assert_int_equal(Ji(k, path), expect[i][0]);
		snprintf(path, sizeof(path), "P4.unpaired.%d.days_waiting", i);
		assert_int_equal(Ji(k, path), expect[i][1]);
	}
	/* H1: B completed in the range with 2 sessions (>= 2) but its mentee
	 * side averages 3.5 < 4: not successful; C ended before the range. */
	assert_ratio(k, "H1.success_rate", 0, 1);
	/* P6: A is the only pair active at T; intro 27 days after its start. */
	assert_ratio(k, "P6.held_intro", 1, 1);
	assert_float_equal(Jd(k, "P6.median_days_to_intro"), 27, 0);
	/* S1: B on 02-27 and A's intro on 02-01; per started P1 pair 1 and 1. */
	assert_int_equal(Ji(k, "S1.held"), 2);
	assert_ratio(k, "S1.per_pair.mean", 2, 2);
	assert_float_equal(Jd(k, "S1.per_pair.median"), 1, 0);
	/* P5: nothing started in February; A, B and C before it. */
	assert_int_equal(Ji(k, "P5.new_in_range"), 0);
	assert_int_equal(Ji(k, "P5.started_before_range"), 3);
	assert_int_equal(Ji(k, "P5.series.0.cumulative"), 3);
	assert_string_equal(json_string_value(J(k, "P5.series.0.period")), "2025-W05");
	/* S5: M2 and E2 60 minutes (rank 1, 1), M1 and E1 45 (rank 3, 3). */
	long long ranks[4][2] = {{2, 1}, {11, 1}, {1, 3}, {10, 3}};
	for (int i = 0; i < 4; i++) {
		char path[64];
		snprintf(path, sizeof(path), "S5.top.%d.person_id", i);
		assert_int_equal(Ji(k, path), ranks[i][0]);
		snprintf(path, sizeof(path), "S5.top.%d.rank", i);
		assert_int_equal(Ji(k, path), ranks[i][1]);
	}
	json_decref(k);

	/* One day later (T = 03-01): G has started, B is gone from the active
	 * set, and the P1 range now starts after C, D and E's dates. */
	k = compute(s, "2025-03-01", "2025-03-01");
	assert_int_equal(Ji(k, "P1.active"), 2);     /* A and G */
	assert_int_equal(Ji(k, "P1.proposed"), 1);   /* D (F is proposed 03-05) */
	assert_int_equal(Ji(k, "P1.completed"), 0);  /* B ended 02-28 < from */
	assert_int_equal(Ji(k, "P1.declined"), 0);
	assert_int_equal(Ji(k, "P5.new_in_range"), 1);
	assert_int_equal(Ji(k, "P5.cumulative"), 4);
	json_decref(k);
	kpi_snapshot_free(s);
}

/* S5's competition ranking: 120, 90, 90, 60, 60 minutes -> 1, 2, 2, 4, 4. */
static void test_top_participants_ties(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	int32_t m1 = person(s, 1, "M1", "D"), m2 = person(s, 2, "M2", "D");
	int32_t e1 = person(s, 3, "E1", "D"), e2 = person(s, 4, "E2", "D"),
		e3 = person(s, 5, "E3", "D");
	int32_t mm1 = member(s, 1, m1, KPI_MENTOR, 2, "2025-01-01", NULL);
	int32_t mm2 = member(s, 2, m2, KPI_MENTOR, 1, "2025-01-01", NULL);
	int32_t me1 = member(s, 3, e1, KPI_MENTEE, 0, "2025-01-01", NULL);
	int32_t me2 = member(s, 4, e2, KPI_MENTEE, 0, "2025-01-01", NULL);
	int32_t me3 = member(s, 5, e3, KPI_MENTEE, 0, "2025-01-01", NULL);
	int32_t x = pair(s, 1, mm1, me1, KPI_PAIR_ACTIVE, "2025-01-02", "2025-01-02", NULL);
	int32_t y = pair(s, 2, mm1, me2, KPI_PAIR_ACTIVE, "2025-01-02", "2025-01-02", NULL);
	int32_t z = pair(s, 3, mm2, me3, KPI_PAIR_ACTIVE, "2025-01-02", "2025-01-02", NULL);
	held(s, 1, x, "2025-01-10", 60);
	held(s, 2, y, "2025-01-11", 60);
	held(s, 3, z, "2025-01-12", 90);
	session(s, 4, z, "2025-01-13", 90, KPI_SESSION_REGULAR, KPI_SESSION_NO_SHOW);
	json_t *k = compute(s, "2025-01-01", "2025-01-31");
	long long expect[5][3] = {{1, 1, 120}, {2, 2, 90}, {5, 2, 90}, {3, 4, 60}, {4, 4, 60}};
	for (int i = 0; i < 5; i++) {
		char path[64];
		snprintf(path, sizeof(path), "S5.top.%d.person_id", i);
		assert_int_equal(Ji(k, path), expect[i][0]);
		snprintf(path, sizeof(path), "S5.top.%d.rank", i);
		assert_int_equal(Ji(k, path), expect[i][1]);
		snprintf(path, sizeof(path), "S5.top.%d.minutes", i);
		assert_int_equal(Ji(k, path), expect[i][2]);
	}
	assert_int_equal(Ji(k, "S5.participants"), 5);
	/* S6: M1 2 sessions, M2 1: mean 3 / 2, median 1.5; 210 minutes / 3. */
	assert_ratio(k, "S6.sessions_per_mentor", 3, 2);
	assert_float_equal(Jd(k, "S6.median_sessions_per_mentor"), 1.5, 0);
	assert_ratio(k, "S6.mean_session_minutes", 210, 3);
	assert_int_equal(Ji(k, "S1.not_held.no_show"), 1);
	/* R2: capacity 3, seats 3: both mentors at capacity. */
	assert_ratio(k, "R2.utilisation", 3, 3);
	assert_int_equal(Ji(k, "R2.mentors_at_or_over_capacity"), 2);
	json_decref(k);

	/* Top 2 only. */
	kpi_filter f;
	kpi_filter_init(&f, D("2025-01-01"), D("2025-01-31"));
	f.top_limit = 2;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(json_array_size(J(k, "S5.top")), 2);
	json_decref(k);
	kpi_snapshot_free(s);
}

/*
 * Department filter and R3's breakdowns.  Sales: 6 mentors; IT: 3 mentees;
 * HR: 1 mentee.  Pairs: Sales mentor 1 with IT mentee A (held 60 min),
 * Sales mentor 2 with HR mentee (held 30 min).
 */
static void test_department_and_breakdown(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	int32_t key_level = kpi_intern(s, "level"), key_team = kpi_intern(s, "team");
	int32_t ms[10];
	const char *depts[10] = {"Sales", "Sales", "Sales", "Sales", "Sales", "Sales",
				 "IT", "IT", "IT", "HR"};
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof(name), "P%d", i);
		int32_t p = person(s, i + 1, name, depts[i]);
		kpi_person *row = &KPI_ROWS(s, people, kpi_person)[p];
		row->seniority = i < 6 ? 5 : 2;
		row->location = kpi_intern(s, i < 3 ? "Paris" : i < 8 ? "Lyon" : "Nice");
		assert_int_equal(kpi_add_person_attr(s, key_level, kpi_intern(s, i % 2 ? "odd" : "even"),
						     &err), 0);
	}
	for (int i = 0; i < 10; i++) {
		ms[i] = member(s, i + 1, i, i < 6 ? KPI_MENTOR : KPI_MENTEE, 1, "2025-01-01", NULL);
		if (i < 7)
			assert_int_equal(kpi_add_membership_attr(s, key_team, kpi_intern(s, "blue"),
								 &err), 0);
	}
	int32_t a = pair(s, 1, ms[0], ms[6], KPI_PAIR_ACTIVE, "2025-01-05", "2025-01-05", NULL);
	int32_t b = pair(s, 2, ms[1], ms[9], KPI_PAIR_ACTIVE, "2025-01-05", "2025-01-05", NULL);
	held(s, 1, a, "2025-01-10", 60);
	held(s, 2, b, "2025-01-11", 30);
	kpi_alert al = {.rule = KPI_ALERT_STALLED, .raised = D("2025-01-20"),
			.resolved = KPI_NO_DAY, .pair = b, .person = -1};
	assert_true(kpi_add_alert(s, &al, &err) >= 0);
	al = (kpi_alert){.rule = KPI_ALERT_WAITING, .raised = D("2025-01-02"),
			 .resolved = D("2025-01-31"), .pair = -1, .person = 7};
	assert_true(kpi_add_alert(s, &al, &err) >= 0);   /* resolved on T: not open */
	al.resolved = D("2025-02-01");
	assert_true(kpi_add_alert(s, &al, &err) >= 0);   /* open at T */
	al.raised = D("2025-02-01");
	assert_true(kpi_add_alert(s, &al, &err) >= 0);   /* raised after T */

	json_t *k = compute(s, "2025-01-01", "2025-01-31");
	assert_int_equal(Ji(k, "R3.persons"), 10);
	/* department: Sales 6; IT 3 and HR 1 fold into other (4); other is
	 * small, so the smallest remaining group (Sales) folds in: other 10. */
	assert_int_equal(json_array_size(J(k, "R3.fields.department.groups")), 1);
	assert_string_equal(json_string_value(J(k, "R3.fields.department.groups.0.value")),
			    "other");
	assert_int_equal(Ji(k, "R3.fields.department.groups.0.count"), 10);
	/* location: Lyon 5, Paris 3 and Nice 2 -> other 5: kept. */
	assert_string_equal(json_string_value(J(k, "R3.fields.location.groups.0.value")), "Lyon");
	assert_int_equal(Ji(k, "R3.fields.location.groups.0.count"), 5);
	assert_int_equal(Ji(k, "R3.fields.location.groups.1.count"), 5);
	/* seniority: "5" 6, "2" 4 -> other 4 -> "5" folds too. */
	assert_int_equal(Ji(k, "R3.fields.seniority.groups.0.count"), 10);
	/* demographics.level: even 5, odd 5. */
	/* (Field names hold dots: read them from the "fields" object.) */
	json_t *level = json_object_get(J(k, "R3.fields"), "demographics.level");
	assert_string_equal(json_string_value(J(level, "groups.0.value")), "even");
	/* answers.team: blue 7, (none) 3 -> other 3 -> blue folds in. */
	json_t *team = json_object_get(J(k, "R3.fields"), "answers.team");
	assert_int_equal(Ji(team, "groups.0.count"), 10);
	assert_string_equal(json_string_value(J(team, "groups.0.value")), "other");
	assert_int_equal(Ji(k, "H1.open_alerts"), 2);
	assert_int_equal(Ji(k, "H1.open_by_rule.stalled_pair"), 1);
	assert_int_equal(Ji(k, "H1.open_by_rule.waiting_too_long"), 1);
	assert_int_equal(Ji(k, "S4.minutes"), 90);
	json_decref(k);

	/* Department IT: people figures keep IT people (3 mentees); pairs with
	 * either member in IT (pair a); sessions follow their pair. */
	kpi_filter f;
	kpi_filter_init(&f, D("2025-01-01"), D("2025-01-31"));
	f.department = kpi_string_find(s, "IT");
	const char *fields[] = {"location"};
	f.breakdown = fields;
	f.n_breakdown = 1;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(Ji(k, "R1.mentees"), 3);
	assert_int_equal(Ji(k, "R1.mentors"), 0);
	assert_true(json_is_true(J(k, "R3.suppressed")));
	assert_int_equal(json_object_size(J(k, "R3.fields")), 1);
	assert_true(json_is_true(J(k, "R3.fields.location.suppressed")));
	assert_int_equal(Ji(k, "P1.active"), 1);
	assert_int_equal(Ji(k, "S1.held"), 1);
	assert_int_equal(Ji(k, "S4.minutes"), 60);
	assert_ratio(k, "P4.mentees", 1, 3);
	assert_ratio(k, "P5.share_of_headcount", 3, 3);
	/* S5 ranks IT people only: the Sales mentor of pair a is left out. */
	assert_int_equal(Ji(k, "S5.participants"), 1);
	assert_int_equal(Ji(k, "S5.top.0.person_id"), 7);
	/* The alerts: the stalled pair b has no IT member; the waiting alert's
	 * person (index 7, IT) is open. */
	assert_int_equal(Ji(k, "H1.open_alerts"), 1);
	json_decref(k);

	f.department = KPI_DEPT_NOBODY;
	f.breakdown = NULL;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(Ji(k, "R1.persons"), 0);
	assert_int_equal(Ji(k, "S1.held"), 0);
	json_decref(k);
	kpi_snapshot_free(s);
}

/*
 * Goals, assessments, topics, check-ins, skills and H1's success rate.
 * Range 2025-01-01..2025-06-30.
 */
static void test_goals_and_success(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	s->success_min_mean_rating = 4;
	s->success_min_sessions = 2;
	int32_t m = person(s, 1, "Mia", "D"), e = person(s, 2, "Max", "D"),
		e2 = person(s, 3, "Nils", "D");
	int32_t sql = kpi_intern(s, "SQL"), go = kpi_intern(s, "Go");
	int32_t mm = member(s, 1, m, KPI_MENTOR, 2, "2024-12-01", NULL);
	kpi_add_membership_skill(s, sql, 5, &err);
	kpi_add_membership_skill(s, go, 4, &err);
	int32_t me = member(s, 2, e, KPI_MENTEE, 0, "2024-12-01", NULL);
	kpi_add_membership_skill(s, sql, 2, &err);
	int32_t me2 = member(s, 3, e2, KPI_MENTEE, 0, "2024-12-01", NULL);
	kpi_add_membership_skill(s, sql, 3, &err);
	kpi_add_membership_skill(s, go, 1, &err);
	/* Pair 1 completed 03-31 with 2 sessions rated 4/5 and 5/4: success.
	 * Pair 2 ended early 04-30 with 2 sessions, mentor never rated: fails. */
	int32_t p1 = pair(s, 1, mm, me, KPI_PAIR_COMPLETED, "2025-01-01", "2025-01-01",
			  "2025-03-31");
	int32_t p2 = pair(s, 2, mm, me2, KPI_PAIR_ENDED, "2025-01-01", "2025-01-01", "2025-04-30");
	held(s, 1, p1, "2025-01-10", 60);
	held(s, 2, p1, "2025-02-10", 60);
	held(s, 3, p2, "2025-01-12", 60);
	held(s, 4, p2, "2025-02-12", 60);
	rating(s, 1, 0, KPI_MENTOR, 4, NULL);
	rating(s, 2, 0, KPI_MENTEE, 5, NULL);
	rating(s, 3, 1, KPI_MENTOR, 5, NULL);
	rating(s, 4, 1, KPI_MENTEE, 4, NULL);
	rating(s, 5, 2, KPI_MENTEE, 5, NULL);
	/* Goals: Max promotion achieved 03-01, new_skill dropped; Nils
	 * new_skill achieved 07-15 (after T), certification set after T. */
	kpi_goal g = {.id = 1, .membership = me, .person = e, .pair = p1,
		      .category = 1, .status = KPI_GOAL_ACHIEVED, .set_on = D("2025-01-05"),
		      .achieved_on = D("2025-03-01")};
	int32_t g1 = kpi_add_goal(s, &g, &err);
	g = (kpi_goal){.id = 2, .membership = me, .person = e, .pair = -1, .category = 0,
		       .status = KPI_GOAL_DROPPED, .set_on = D("2025-01-05"),
		       .achieved_on = KPI_NO_DAY};
	kpi_add_goal(s, &g, &err);
	g = (kpi_goal){.id = 3, .membership = me2, .person = e2, .pair = p2, .category = 0,
		       .status = KPI_GOAL_ACHIEVED, .set_on = D("2025-01-05"),
		       .achieved_on = D("2025-07-15")};
	int32_t g3 = kpi_add_goal(s, &g, &err);
	g = (kpi_goal){.id = 4, .membership = me2, .person = e2, .pair = p2, .category = 4,
		       .status = KPI_GOAL_NOT_STARTED, .set_on = D("2025-07-01"),
		       .achieved_on = KPI_NO_DAY};
	kpi_add_goal(s, &g, &err);
	/* Topics: session 0 served SQL and goals g1 + g3's category twice? One
	 * session, two goals of one category count once. */
	kpi_topic t = {.session = 0, .skill = sql, .goal = -1};
	assert_true(kpi_add_topic(s, &t, &err) >= 0);
	t = (kpi_topic){.session = 0, .skill = KPI_NO_STR, .goal = g1};
	assert_true(kpi_add_topic(s, &t, &err) >= 0);
	t = (kpi_topic){.session = 1, .skill = sql, .goal = -1};
	assert_true(kpi_add_topic(s, &t, &err) >= 0);
	t = (kpi_topic){.session = 2, .skill = KPI_NO_STR, .goal = g3};
	assert_true(kpi_add_topic(s, &t, &err) >= 0);
	t.session = 1; /* out of order */
	assert_int_equal(kpi_add_topic(s, &t, &err), -1);
	/* Assessments (self): p1 SQL start 2 (01-02) and 3 (01-20: not the
	 * earliest), end 3 (03-01) and 4 (03-30: the latest) -> change +2;
	 * p2 SQL start 3, no end; p2 goal g3 start 2, end 2 -> change 0;
	 * a mentor's view and an end after T are ignored. */
	kpi_assessment as[] = {
		{1, p1, KPI_MENTEE, KPI_PHASE_START, 2, sql, -1, D("2025-01-02")},
		{2, p1, KPI_MENTEE, KPI_PHASE_START, 3, sql, -1, D("2025-01-20")},
		{3, p1, KPI_MENTEE, KPI_PHASE_END, 3, sql, -1, D("2025-03-01")},
		{4, p1, KPI_MENTEE, KPI_PHASE_END, 4, sql, -1, D("2025-03-30")},
		{5, p2, KPI_MENTEE, KPI_PHASE_START, 3, sql, -1, D("2025-01-03")},
		{6, p2, KPI_MENTEE, KPI_PHASE_START, 2, KPI_NO_STR, g3, D("2025-01-03")},
		{7, p2, KPI_MENTEE, KPI_PHASE_END, 2, KPI_NO_STR, g3, D("2025-04-30")},
		{8, p2, KPI_MENTOR, KPI_PHASE_END, 5, sql, -1, D("2025-04-30")},
		{9, p2, KPI_MENTEE, KPI_PHASE_END, 5, sql, -1, D("2025-07-30")},
	};
	for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++)
		assert_true(kpi_add_assessment(s, &as[i], &err) >= 0);
	kpi_checkin ci[] = {{p1, D("2025-02-01"), KPI_MENTOR, 5}, {p1, D("2025-02-01"), KPI_MENTEE, 4},
			    {p2, D("2025-02-02"), KPI_MENTEE, 1}, {p2, D("2024-12-31"), KPI_MENTOR, 1}};
	for (size_t i = 0; i < 4; i++)
		assert_true(kpi_add_checkin(s, &ci[i], &err) >= 0);

	json_t *k = compute(s, "2025-01-01", "2025-06-30");
	/* H1: both pairs ended in the range; p1 meets the criteria. */
	assert_ratio(k, "H1.success_rate", 1, 2);
	/* G1: wanted SQL by 2 mentees (levels 2, 3), Go by 1; offered 2. */
	assert_string_equal(json_string_value(J(k, "G1.skills_wanted.0.skill")), "SQL");
	assert_int_equal(Ji(k, "G1.skills_wanted.0.count"), 2);
	assert_float_equal(Jd(k, "G1.skills_wanted.0.mean_level.mean"), 2.5, 0);
	assert_int_equal(json_array_size(J(k, "G1.skills_offered")), 2);
	assert_int_equal(Ji(k, "G1.goals.total"), 3);
	assert_int_equal(Ji(k, "G1.goals.by_category.new_skill"), 2);
	/* G4: 1 of 3 achieved by T (the dropped one stays in). */
	assert_ratio(k, "G4.overall", 1, 3);
	assert_ratio(k, "G4.by_category.new_skill", 0, 2);
	assert_ratio(k, "G4.by_category.promotion", 1, 1);
	assert_ratio(k, "G4.by_category.certification", 0, 0);
	/* G2 SQL: starts 2 (p1) and 3 (p2): mean 2.5; with both: p1 +2. */
	assert_float_equal(Jd(k, "G2.skills.0.mean_start.mean"), 2.5, 0);
	assert_float_equal(Jd(k, "G2.skills.0.mean_change.mean"), 2, 0);
	assert_ratio(k, "G2.skills.0.improved", 1, 1);
	assert_string_equal(json_string_value(J(k, "G2.goal_categories.0.category")), "new_skill");
	assert_ratio(k, "G2.goal_categories.0.improved", 0, 1);
	assert_float_equal(Jd(k, "G2.overall.mean_start.mean"), 7.0 / 3.0, 1e-12);
	assert_ratio(k, "G2.overall.improved", 1, 2);
	/* G3: SQL in sessions 0 and 1; goal categories promotion (s0) and
	 * new_skill (s2). */
	assert_int_equal(Ji(k, "G3.skills.0.sessions"), 2);
	assert_int_equal(Ji(k, "G3.goal_categories.promotion"), 1);
	assert_int_equal(Ji(k, "G3.goal_categories.new_skill"), 1);
	/* P7: mentors 5 (the December one is before the range); mentees 4, 1. */
	assert_float_equal(Jd(k, "P7.mentors.mean"), 5, 0);
	assert_float_equal(Jd(k, "P7.mentees.mean"), 2.5, 0);
	/* P1 at T: both ended in the range. */
	assert_int_equal(Ji(k, "P1.completed"), 1);
	assert_int_equal(Ji(k, "P1.ended_early"), 1);
	/* P2: 89 and 119 days. */
	assert_float_equal(Jd(k, "P2.median_days"), 104, 0);
	/* P5 by month: both started 2025-01-01; six months. */
	json_decref(k);
	kpi_filter f;
	kpi_filter_init(&f, D("2025-01-01"), D("2025-06-30"));
	f.interval = KPI_MONTH;
	k = kpi_compute(s, &f, &err);
	assert_int_equal(json_array_size(J(k, "P5.series")), 6);
	assert_string_equal(json_string_value(J(k, "P5.series.0.period")), "2025-01");
	assert_int_equal(Ji(k, "P5.series.0.new"), 2);
	assert_int_equal(Ji(k, "P5.series.5.cumulative"), 2);
	json_decref(k);
	/* The precomputed G2 order gives the same figures. */
	kpi_filter_init(&f, D("2025-01-01"), D("2025-06-30"));
	json_t *plain = kpi_compute(s, &f, &err);
	kpi_snapshot_finish(s);
	k = kpi_compute(s, &f, &err);
	assert_true(json_equal(J(k, "G2"), J(plain, "G2")));
	assert_float_equal(Jd(k, "G2.skills.0.mean_change.mean"), 2, 0);
	json_decref(plain);
	json_decref(k);
	kpi_snapshot_free(s);
}

/* Membership state comes from dates; pending never counts; headcount. */
static void test_membership_state(void **state)
{
	(void)state;
	kpi_snapshot *s = kpi_snapshot_new(1);
	int32_t p[5];
	for (int i = 0; i < 5; i++)
		p[i] = person(s, i + 1, "x", "D");
	KPI_ROWS(s, people, kpi_person)[3].hire = D("2025-02-01");  /* hired after T */
	KPI_ROWS(s, people, kpi_person)[4].left = D("2025-01-31");  /* left on T */
	member(s, 1, p[0], KPI_MENTEE, 0, "2025-01-01", NULL);
	member(s, 2, p[1], KPI_MENTEE, 0, "2025-01-01", "2025-01-31"); /* left on T */
	member(s, 3, p[2], KPI_MENTEE, 0, "2025-02-01", NULL);         /* joins after T */
	int32_t pend = member(s, 4, p[0], KPI_MENTOR, 3, "2025-01-05", NULL);
	KPI_ROWS(s, memberships, kpi_membership)[pend].status = KPI_MS_PENDING;
	json_t *k = compute(s, "2025-01-01", "2025-01-31");
	assert_int_equal(Ji(k, "R1.mentees"), 1);
	assert_int_equal(Ji(k, "R1.mentors"), 0);
	assert_int_equal(Ji(k, "R2.capacity"), 0);
	assert_int_equal(Ji(k, "R1.new_registrations.total"), 3); /* any status */
	/* Employees at T: persons 1, 2, 3 (4 hired later, 5 left on T). */
	assert_ratio(k, "P5.share_of_headcount", 1, 3);
	json_decref(k);

	/* Builder errors: ids out of order, bad references. */
	kpi_person dup = {.id = 2, .name = KPI_NO_STR};
	assert_int_equal(kpi_add_person(s, &dup, &err), -1);
	assert_int_equal(err.status, 500);
	kpi_session bad = {.pair = 9};
	assert_int_equal(kpi_add_session(s, 1, &bad, &err), -1);
	assert_int_equal(kpi_find_person(s, 4), 3);
	assert_int_equal(kpi_find_person(s, 9), -1);
	assert_int_equal(kpi_find_membership(s, 3), 2);
	assert_int_equal(kpi_id_parse("p4"), KPI_P4);
	assert_int_equal(kpi_id_parse("X9"), -1);
	assert_int_equal(kpi_parse_pair_status("ended"), KPI_PAIR_ENDED);
	assert_int_equal(kpi_parse_goal_category("certification"), 4);
	kpi_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_fold_groups),
		cmocka_unit_test(test_iso_week),
		cmocka_unit_test(test_tzday),
		cmocka_unit_test(test_empty_program),
		cmocka_unit_test(test_single_pair),
		cmocka_unit_test(test_range_edges),
		cmocka_unit_test(test_top_participants_ties),
		cmocka_unit_test(test_department_and_breakdown),
		cmocka_unit_test(test_goals_and_success),
		cmocka_unit_test(test_membership_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
