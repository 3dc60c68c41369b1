/*
 * auth.h - who is asking: session cookies, bearer tokens and CSRF.
 */
#ifndef MT_AUTH_H
#define MT_AUTH_H

#include "http/request.h"

#define AUTH_COOKIE "mt_session"

/* Identify the user from the Authorization header or the session cookie.
 * Anonymous is not an error (r->authed stays false); a bad bearer token is
 * a 401. */
int auth_identify(mt_req *r, mt_error *err);
/* Cookie-authenticated writes must echo the session's CSRF token in the
 * X-CSRF-Token header; 403 otherwise. */
int auth_check_csrf(mt_req *r, mt_error *err);

#endif
