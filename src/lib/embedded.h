/*
 * embedded.h - files compiled into the binary by scripts/embed.py
 * (SQL migrations and the web UI), so one binary carries everything.
 */
#ifndef MT_EMBEDDED_H
#define MT_EMBEDDED_H

#include <stddef.h>

typedef struct mt_embedded_file {
	const char *name;          /* path relative to its root, '/'-separated */
	const unsigned char *data; /* NUL-terminated for convenience */
	size_t size;
} mt_embedded_file;

/* Tables end with a {NULL, NULL, 0} entry. */
extern const mt_embedded_file mt_migrations[];
extern const mt_embedded_file mt_web_assets[];

/* Look a name up in a table; NULL if absent. */
const mt_embedded_file *embedded_find(const mt_embedded_file *table, const char *name);

#endif
