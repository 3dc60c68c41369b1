/*
 * error.h - errors are values.
 *
 * One error type carries everything a user needs to fix a problem: the HTTP
 * status it maps to, a stable machine code, the field (or CSV line/column) it
 * is about and a message.  Functions that can fail take an `mt_error *` as
 * their last argument, fill it and return -1 (or NULL).  The CLI prints the
 * message and exits 1; the API answers {"error": {"code","message","field"}}.
 */
#ifndef MT_ERROR_H
#define MT_ERROR_H

#include <stdarg.h>

typedef struct mt_error {
	int status;         /* HTTP status: 400, 401, 403, 404, 409, 413, 422, 500 */
	char code[32];      /* stable code: "invalid", "not_found", "conflict", ... */
	char field[96];     /* field name, "line 3, column email", or "" */
	char message[1024]; /* sentence for the user; truncated if longer */
} mt_error;

/* Fill `err` (if not NULL) and return -1, so callers can `return mt_fail(...)`. */
int mt_fail(mt_error *err, int status, const char *code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int mt_vfail(mt_error *err, int status, const char *code, const char *field,
	     const char *fmt, va_list ap);

/* Shorthands for the common statuses. */
#define mt_invalid(err, field, ...) mt_fail((err), 422, "invalid", (field), __VA_ARGS__)
#define mt_bad_request(err, field, ...) mt_fail((err), 400, "bad_request", (field), __VA_ARGS__)
#define mt_not_found(err, ...) mt_fail((err), 404, "not_found", "", __VA_ARGS__)
#define mt_conflict(err, field, ...) mt_fail((err), 409, "conflict", (field), __VA_ARGS__)
#define mt_forbidden(err, ...) mt_fail((err), 403, "forbidden", "", __VA_ARGS__)
#define mt_internal(err, ...) mt_fail((err), 500, "internal", "", __VA_ARGS__)

/* Reset to "no error". */
void mt_error_clear(mt_error *err);

#endif
