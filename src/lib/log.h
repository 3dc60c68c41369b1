/* log.h - one-line timestamped logs to stderr. */
#ifndef MT_LOG_H
#define MT_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
