/*
 * handlers.h - every route handler, one file per resource (h_<resource>.c).
 * Handlers run after the dispatcher has authenticated and authorised the
 * request (see routes.c); they validate input, call the store inside a
 * transaction with an audit row, and set the reply.
 */
#ifndef MT_HANDLERS_H
#define MT_HANDLERS_H

#include "http/request.h"

/* h_system.c */
int h_healthz(mt_req *r, mt_error *err);
int h_metrics(mt_req *r, mt_error *err);
int h_openapi(mt_req *r, mt_error *err);

/* h_auth.c */
int h_login(mt_req *r, mt_error *err);
int h_logout(mt_req *r, mt_error *err);
int h_me(mt_req *r, mt_error *err);
int h_tokens_list(mt_req *r, mt_error *err);
int h_tokens_create(mt_req *r, mt_error *err);
int h_tokens_delete(mt_req *r, mt_error *err);

/* h_users.c */
int h_users_list(mt_req *r, mt_error *err);
int h_users_create(mt_req *r, mt_error *err);
int h_users_get(mt_req *r, mt_error *err);
int h_users_update(mt_req *r, mt_error *err);

/* h_programs.c */
int h_programs_list(mt_req *r, mt_error *err);
int h_programs_create(mt_req *r, mt_error *err);
int h_programs_get(mt_req *r, mt_error *err);
int h_programs_update(mt_req *r, mt_error *err);
int h_programs_summary(mt_req *r, mt_error *err);
int h_programs_add_manager(mt_req *r, mt_error *err);

/* h_departments.c */
int h_departments_list(mt_req *r, mt_error *err);

/* h_people.c */
int h_people_list(mt_req *r, mt_error *err);
int h_people_create(mt_req *r, mt_error *err);
int h_people_get(mt_req *r, mt_error *err);
int h_people_update(mt_req *r, mt_error *err);
int h_people_import(mt_req *r, mt_error *err);

/* h_memberships.c */
int h_memberships_list(mt_req *r, mt_error *err);
int h_memberships_create(mt_req *r, mt_error *err);
int h_memberships_get(mt_req *r, mt_error *err);
int h_memberships_update(mt_req *r, mt_error *err);
int h_memberships_import(mt_req *r, mt_error *err);
int h_programs_register(mt_req *r, mt_error *err);
int h_skills_list(mt_req *r, mt_error *err);
int h_skills_create(mt_req *r, mt_error *err);

/* h_audit.c */
int h_audit_list(mt_req *r, mt_error *err);

/* h_pairs.c (matching and pairs, issue 3) */
int h_pairs_list(mt_req *r, mt_error *err);
int h_pairs_create(mt_req *r, mt_error *err);
int h_pairs_get(mt_req *r, mt_error *err);
int h_pairs_update(mt_req *r, mt_error *err);
int h_pairs_match(mt_req *r, mt_error *err);
int h_pairs_export(mt_req *r, mt_error *err);
int h_pairs_approve_all(mt_req *r, mt_error *err);
int h_pairs_recommendations(mt_req *r, mt_error *err);
int h_pairs_request(mt_req *r, mt_error *err);
int h_pairs_exclude(mt_req *r, mt_error *err);
int h_pairs_preferences(mt_req *r, mt_error *err);
int h_pairs_approve(mt_req *r, mt_error *err);
int h_pairs_decline(mt_req *r, mt_error *err);
int h_pairs_complete(mt_req *r, mt_error *err);
int h_pairs_end(mt_req *r, mt_error *err);

/* h_sessions.c, h_goals.c, h_assessments.c (issue 4) */
int h_sessions_list(mt_req *r, mt_error *err);
int h_sessions_create(mt_req *r, mt_error *err);
int h_sessions_get(mt_req *r, mt_error *err);
int h_sessions_update(mt_req *r, mt_error *err);
int h_program_sessions_list(mt_req *r, mt_error *err);
int h_ratings_list(mt_req *r, mt_error *err);
int h_ratings_create(mt_req *r, mt_error *err);
int h_ratings_get(mt_req *r, mt_error *err);
int h_ratings_update(mt_req *r, mt_error *err);
int h_pair_ratings_list(mt_req *r, mt_error *err);
int h_program_ratings_list(mt_req *r, mt_error *err);
int h_checkins_list(mt_req *r, mt_error *err);
int h_checkins_create(mt_req *r, mt_error *err);
int h_checkins_due(mt_req *r, mt_error *err);
int h_people_sessions_ics(mt_req *r, mt_error *err);
int h_goals_list(mt_req *r, mt_error *err);
int h_goals_create(mt_req *r, mt_error *err);
int h_goals_get(mt_req *r, mt_error *err);
int h_goals_update(mt_req *r, mt_error *err);
int h_milestones_create(mt_req *r, mt_error *err);
int h_milestones_update(mt_req *r, mt_error *err);
int h_pair_goals_list(mt_req *r, mt_error *err);
int h_pair_goals_get(mt_req *r, mt_error *err);
int h_goal_comments_create(mt_req *r, mt_error *err);
int h_assessments_list(mt_req *r, mt_error *err);
int h_assessments_create(mt_req *r, mt_error *err);
int h_assessments_due(mt_req *r, mt_error *err);

/* h_alerts.c (health monitor and alerts, issue 5) */
int h_alerts_list(mt_req *r, mt_error *err);
int h_alerts_summary(mt_req *r, mt_error *err);
int h_alerts_check(mt_req *r, mt_error *err);
int h_alerts_deliveries(mt_req *r, mt_error *err);
int h_alerts_get(mt_req *r, mt_error *err);
int h_alerts_acknowledge(mt_req *r, mt_error *err);
int h_alerts_resolve(mt_req *r, mt_error *err);

/* h_exports.c (exports, issue 5) */
int h_exports_get(mt_req *r, mt_error *err);

/* h_kpis.c (KPIs, issue 5) */
int h_program_metrics(mt_req *r, mt_error *err);
int h_program_metric(mt_req *r, mt_error *err);

#endif
