/*
 * strbuf.h - growable string buffer (after git's strbuf).
 *
 * The buffer owns `buf`, which is always NUL-terminated once anything was
 * added.  Release with sb_release(); take ownership with sb_detach().
 */
#ifndef MT_STRBUF_H
#define MT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void sb_grow(strbuf *sb, size_t extra);
void sb_add(strbuf *sb, const void *data, size_t len);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
void sb_reset(strbuf *sb);
/* Returns the string ("" if empty); the caller owns it and must free() it. */
char *sb_detach(strbuf *sb);
void sb_release(strbuf *sb);
/* Current contents, "" when empty; valid until the next change. */
const char *sb_str(const strbuf *sb);

#endif
