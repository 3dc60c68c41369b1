/*
 * store_export.c - the raw datasets of a program for the exports: one
 * query per table, each with its declared columns (see store_export.h).
 *
 * The SQL selects exactly the declared columns in the declared order; a
 * static assertion-like check at run time (the column count) catches a
 * query and its column list drifting apart.  Names are joined in so a
 * spreadsheet reader does not need a second sheet to know who "person 42"
 * is.
 */
#include "store/store_export.h"

#include <string.h>

#define T EXPORT_TEXT
#define I EXPORT_INTEGER
#define D EXPORT_DATE
#define TS EXPORT_TIMESTAMP

static const store_export_column participants_cols[] = {
	{"id", I}, {"person_id", I}, {"person_name", T}, {"person_email", T},
	{"job_title", T}, {"department", T}, {"location", T}, {"seniority", I},
	{"role", T}, {"status", T}, {"capacity", I}, {"goals", T},
	{"years_experience", I}, {"joined_on", D}, {"left_on", D}, {"answers", T},
};
static const char participants_sql[] =
	"SELECT ms.id, ms.person_id, pe.name, pe.email, pe.job_title, pe.department, "
	"pe.location, pe.seniority, ms.role, ms.status, ms.capacity, ms.goals, "
	"ms.years_experience, ms.joined_on, ms.left_on, ms.answers "
	"FROM memberships ms JOIN people pe ON pe.id = ms.person_id "
	"WHERE ms.program_id = $1 ORDER BY ms.id";

static const store_export_column pairs_cols[] = {
	{"id", I}, {"mentor_membership_id", I}, {"mentee_membership_id", I},
	{"mentor_person_id", I}, {"mentor_name", T}, {"mentee_person_id", I},
	{"mentee_name", T}, {"status", T}, {"source", T}, {"score", I}, {"locked", I},
	{"proposed_on", D}, {"started_on", D}, {"ended_on", D}, {"end_reason", T},
	{"reasons", T},
};
static const char pairs_sql[] =
	"SELECT pr.id, pr.mentor_membership_id, pr.mentee_membership_id, pr.mentor_person_id, "
	"mo.name, pr.mentee_person_id, me.name, pr.status, pr.source, pr.score, pr.locked, "
	"pr.proposed_on, pr.started_on, pr.ended_on, pr.end_reason, pr.reasons "
	"FROM pairs pr JOIN people mo ON mo.id = pr.mentor_person_id "
	"JOIN people me ON me.id = pr.mentee_person_id "
	"WHERE pr.program_id = $1 ORDER BY pr.id";

static const store_export_column sessions_cols[] = {
	{"id", I}, {"pair_id", I}, {"mentor_person_id", I}, {"mentor_name", T},
	{"mentee_person_id", I}, {"mentee_name", T}, {"held_at", TS}, {"minutes", I},
	{"kind", T}, {"status", T}, {"notes", T}, {"ratings", I}, {"created_at", TS},
	{"updated_at", TS},
};
static const char sessions_sql[] =
	"SELECT s.id, s.pair_id, p.mentor_person_id, mo.name, p.mentee_person_id, me.name, "
	"s.held_at, s.minutes, s.kind, s.status, s.notes, "
	"(SELECT COUNT(*) FROM ratings ra WHERE ra.session_id = s.id), s.created_at, s.updated_at "
	"FROM sessions s JOIN pairs p ON p.id = s.pair_id "
	"JOIN people mo ON mo.id = p.mentor_person_id "
	"JOIN people me ON me.id = p.mentee_person_id "
	"WHERE s.program_id = $1 ORDER BY s.id";

static const store_export_column ratings_cols[] = {
	{"id", I}, {"session_id", I}, {"pair_id", I}, {"session_held_at", TS},
	{"rater_person_id", I}, {"rater_name", T}, {"side", T}, {"score", I},
	{"comment", T}, {"created_at", TS}, {"updated_at", TS},
};
static const char ratings_sql[] =
	"SELECT ra.id, ra.session_id, ra.pair_id, s.held_at, ra.rater_person_id, pe.name, "
	"ra.side, ra.score, ra.comment, ra.created_at, ra.updated_at "
	"FROM ratings ra JOIN sessions s ON s.id = ra.session_id "
	"JOIN people pe ON pe.id = ra.rater_person_id "
	"WHERE ra.program_id = $1 ORDER BY ra.id";

static const store_export_column goals_cols[] = {
	{"id", I}, {"membership_id", I}, {"person_id", I}, {"person_name", T},
	{"pair_id", I}, {"category", T}, {"description", T}, {"skill_id", I},
	{"skill", T}, {"target_date", D}, {"status", T}, {"achieved_on", D},
	{"set_on", D}, {"created_at", TS}, {"updated_at", TS},
};
static const char goals_sql[] =
	"SELECT g.id, g.membership_id, g.person_id, pe.name, g.pair_id, g.category, "
	"g.description, g.skill_id, k.name, g.target_date, g.status, g.achieved_on, g.set_on, "
	"g.created_at, g.updated_at "
	"FROM goals g JOIN people pe ON pe.id = g.person_id "
	"LEFT JOIN skills k ON k.id = g.skill_id "
	"WHERE g.program_id = $1 ORDER BY g.id";

static const store_export_column assessments_cols[] = {
	{"id", I}, {"pair_id", I}, {"person_id", I}, {"person_name", T},
	{"assessor", T}, {"skill_id", I}, {"goal_id", I}, {"subject", T},
	{"phase", T}, {"score", I}, {"assessed_on", D}, {"created_at", TS},
};
static const char assessments_sql[] =
	"SELECT a.id, a.pair_id, a.person_id, pe.name, a.assessor, a.skill_id, a.goal_id, "
	"COALESCE(k.name, g.description), a.phase, a.score, a.assessed_on, a.created_at "
	"FROM assessments a JOIN people pe ON pe.id = a.person_id "
	"LEFT JOIN skills k ON k.id = a.skill_id "
	"LEFT JOIN goals g ON g.id = a.goal_id "
	"WHERE a.program_id = $1 ORDER BY a.id";

static const store_export_column alerts_cols[] = {
	{"id", I}, {"rule", T}, {"subject_kind", T}, {"subject_id", I},
	{"person_id", I}, {"person_name", T}, {"pair_id", I}, {"status", T},
	{"message", T}, {"details", T}, {"raised_at", TS}, {"acknowledged_at", TS},
	{"resolved_at", TS}, {"resolution", T}, {"note", T},
};
static const char alerts_sql[] =
	"SELECT al.id, al.rule, al.subject_kind, al.subject_id, al.person_id, pe.name, "
	"al.pair_id, al.status, al.message, al.details, al.raised_at, al.acknowledged_at, "
	"al.resolved_at, al.resolution, al.note "
	"FROM alerts al LEFT JOIN people pe ON pe.id = al.person_id "
	"WHERE al.program_id = $1 ORDER BY al.id";

#undef T
#undef I
#undef D
#undef TS

#define DATASET(name) {#name, name##_cols, sizeof(name##_cols) / sizeof(name##_cols[0]), name##_sql}

static const struct dataset {
	const char *name;
	const store_export_column *cols;
	size_t ncols;
	const char *sql;
} datasets[] = {
	DATASET(participants), DATASET(pairs), DATASET(sessions), DATASET(ratings),
	DATASET(goals), DATASET(assessments), DATASET(alerts),
};

const char *const store_export_datasets[] = {
	"participants", "pairs", "sessions", "ratings", "goals", "assessments", "alerts", NULL,
};

static const struct dataset *find(const char *name)
{
	for (size_t i = 0; i < sizeof(datasets) / sizeof(datasets[0]); i++)
		if (name && strcmp(datasets[i].name, name) == 0)
			return &datasets[i];
	return NULL;
}

const store_export_column *store_export_columns(const char *dataset, size_t *ncols)
{
	const struct dataset *ds = find(dataset);
	*ncols = ds ? ds->ncols : 0;
	return ds ? ds->cols : NULL;
}

int store_export_rows(db *d, int64_t program_id, const char *dataset, store_export_row_fn fn,
		      void *ctx, mt_error *err)
{
	const struct dataset *ds = find(dataset);
	if (!ds)
		return mt_not_found(err, "no dataset named \"%s\"", dataset ? dataset : "");
	db_stmt *st = db_prepare(d, ds->sql, err);
	if (!st)
		return -1;
	store_export_value values[32];
	if ((size_t)db_column_count(st) != ds->ncols || ds->ncols > 32) {
		db_finalize(st);
		return mt_internal(err, "dataset %s: query and columns disagree", ds->name);
	}
	db_bind_int(st, 1, program_id);
	int rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		for (size_t c = 0; c < ds->ncols; c++) {
			store_export_value *v = &values[c];
			memset(v, 0, sizeof(*v));
			v->null = db_col_null(st, (int)c);
			if (v->null)
				continue;
			switch (ds->cols[c].type) {
			case EXPORT_INTEGER: v->i = db_col_int(st, (int)c); break;
			case EXPORT_REAL: v->r = db_col_double(st, (int)c); break;
			default: v->text = db_col_text(st, (int)c); break;
			}
		}
		if (fn(ctx, values, ds->ncols, err) < 0) {
			rc = -1;
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}
