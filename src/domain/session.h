/*
 * session.h - the rules of a pair's sessions, their ratings and the
 * match-satisfaction check-ins.
 *
 * Why a module of its own: the API, the CLI and the demo generator must agree
 * on what a session may become (a scheduled session is held, cancelled or
 * missed; a cancelled one can be put back on the calendar), on who may rate
 * it (the two people of the pair, once it was held), on when the next
 * check-in is due and on who may read a feedback comment.  All of it is pure:
 * the caller passes the current time.
 *
 *   scheduled --> completed | cancelled | no_show
 *   cancelled --> scheduled            (rescheduled)
 *   no_show   --> completed            (it was held after all)
 *   completed --> (final: its ratings refer to it)
 */
#ifndef MT_SESSION_H
#define MT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/error.h"

typedef enum session_status {
	SESSION_SCHEDULED = 0,
	SESSION_COMPLETED,
	SESSION_CANCELLED,
	SESSION_NO_SHOW,
	SESSION_STATUS_COUNT
} session_status;

typedef enum session_kind { SESSION_INTRO = 0, SESSION_REGULAR, SESSION_KIND_COUNT } session_kind;

/* The side of a pair a person is on. */
typedef enum pair_side { SIDE_MENTOR = 0, SIDE_MENTEE, SIDE_COUNT } pair_side;

/* What someone wants to do with a pair's activity; the pair's status
 * decides whether it is allowed (session_pair_allows). */
typedef enum activity_kind {
	ACTIVITY_LOG_SESSION,  /* create or change a session: active pairs */
	ACTIVITY_RATE,         /* rate a held session: any pair that started */
	ACTIVITY_CHECKIN,      /* match-satisfaction answer: active pairs */
	ACTIVITY_ASSESS,       /* start or mid self-assessment: any pair that started */
	ACTIVITY_ASSESS_END,   /* end self-assessment: completed or ended pairs */
} activity_kind;

enum { SESSION_MINUTES_MAX = 600, CHECKIN_INTERVAL_DEFAULT = 30, CHECKIN_INTERVAL_MAX = 365,
       SCORE_MIN = 1, SCORE_MAX = 5 };

/* Canonical names (static storage): "scheduled", "completed", "cancelled",
 * "no_show"; "intro", "regular"; "mentor", "mentee". */
const char *session_status_name(session_status s);
const char *session_kind_name(session_kind k);
const char *pair_side_name(pair_side s);
/* Parse a name given by a user; 422 naming `field` and listing the choices. */
int session_parse_status(const char *field, const char *s, session_status *out, mt_error *err);
int session_parse_kind(const char *field, const char *s, session_kind *out, mt_error *err);
int pair_side_parse(const char *field, const char *s, pair_side *out, mt_error *err);

/*
 * Parses a UTC date and time "YYYY-MM-DDTHH:MM[:SS]Z" (a space may replace
 * the T).  *epoch gets seconds since 1970-01-01T00:00:00Z and *canonical
 * (may be NULL) the stored form "YYYY-MM-DDTHH:MM:SSZ" in the arena.  422
 * naming `field`: `held_at: "next tuesday" is not a date and time; use
 * 2025-03-10T14:00:00Z (UTC)`.
 */
int session_parse_time(mt_arena *a, const char *field, const char *s, const char **canonical,
		       int64_t *epoch, mt_error *err);
/* Formats epoch seconds as "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes). */
void session_format_time(int64_t epoch, char out[21]);

/* 0 when `from` may become `to` (or they are equal); else 409 field "status"
 * naming both states. */
int session_transition(session_status from, session_status to, mt_error *err);

/*
 * Checks a session's time against its pair and the clock: not before the
 * day the pair started (422 "held_at"), and a completed or missed session
 * cannot lie in the future (422 "status").  pair_started is a day number.
 */
int session_check_time(session_status status, int64_t held_at, int32_t pair_started,
		       int64_t now, mt_error *err);

/* Whether a pair in `pair_status` ("proposed", "active", ...) accepts the
 * activity; 409 explaining why not. */
int session_pair_allows(const char *pair_status, activity_kind what, mt_error *err);

/* Who may rate a session: one of the pair's two people (403 otherwise,
 * including managers), and only a completed session (409). */
int rating_check_rater(bool rater_in_pair, session_status session, mt_error *err);
/* A score 1..5 given as an integer; 422 naming `field`. */
int session_score_check(const char *field, int64_t score, mt_error *err);

/*
 * Whether the viewer may read a feedback comment (rating or check-in):
 * program managers always, its author always, the other person of the pair
 * only when the program shares feedback; nobody else.
 */
bool feedback_comment_visible(bool viewer_is_manager, int64_t viewer_person,
			      int64_t author_person, bool share_feedback);

/*
 * Check-in rhythm: the first answer is due as soon as the pair is active,
 * each later one `interval_days` after the previous answer.  Returns true
 * when an answer is due on `today`; *due_on gets the day it is (or was)
 * due.  Days are day numbers; has_last false means no answer yet.
 */
bool checkin_due(int32_t pair_started, bool has_last, int32_t last_answered, int interval_days,
		 int32_t today, int32_t *due_on);

#endif
