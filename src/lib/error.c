/* error.c - see error.h. */
#include "error.h"

#include <stdio.h>
#include <string.h>

void mt_error_clear(mt_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

int mt_vfail(mt_error *err, int status, const char *code, const char *field,
	     const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->status = status;
	snprintf(err->code, sizeof(err->code), "%s", code ? code : "error");
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return -1;
}

int mt_fail(mt_error *err, int status, const char *code, const char *field,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mt_vfail(err, status, code, field, fmt, ap);
	va_end(ap);
	return -1;
}
