/* log.c - see log.h.  One fprintf per line so threads do not interleave. */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "lib/timeutil.h"

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char when[32], msg[2048];
	time_format_iso(time(NULL), when, sizeof(when));
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s %s %s\n", when, level, msg);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}
