/*
 * arena.h - region allocator.
 *
 * A request (or a CLI command, or an import) allocates everything it needs
 * from one arena and frees it in one go, so handlers never juggle free().
 * Allocation failure aborts: a server that cannot get a few kilobytes is
 * beyond recovery, and it keeps every caller free of NULL checks.
 */
#ifndef MT_ARENA_H
#define MT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct mt_arena_block mt_arena_block;

typedef struct mt_arena {
	mt_arena_block *head;
	size_t block_size;
} mt_arena;

/* Initialise an empty arena; no memory is taken until the first alloc. */
void arena_init(mt_arena *a);
/* Free every block; the arena can be reused after arena_init. */
void arena_free(mt_arena *a);

/* Zeroed, 16-byte aligned memory owned by the arena. */
void *arena_alloc(mt_arena *a, size_t size);
/* Array of n zeroed elements; aborts on overflow. */
void *arena_calloc(mt_arena *a, size_t n, size_t size);
/* Grow an arena array (copying), returns new pointer. Old memory stays in the arena. */
void *arena_realloc(mt_arena *a, void *old, size_t old_size, size_t new_size);
/* Copies of strings; NULL in gives NULL out. */
char *arena_strdup(mt_arena *a, const char *s);
char *arena_strndup(mt_arena *a, const char *s, size_t n);
char *arena_printf(mt_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(mt_arena *a, const char *fmt, va_list ap);

#endif
