/* arena.c - see arena.h.  Blocks are a singly linked list, newest first. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mt_arena_block {
	mt_arena_block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

enum { ARENA_DEFAULT_BLOCK = 16 * 1024, ARENA_ALIGN = 16 };

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("mentortrack: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(mt_arena *a)
{
	a->head = NULL;
	a->block_size = ARENA_DEFAULT_BLOCK;
}

void arena_free(mt_arena *a)
{
	mt_arena_block *b = a->head;
	while (b) {
		mt_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

void *arena_alloc(mt_arena *a, size_t size)
{
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < size)
		abort();
	mt_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t cap = need > a->block_size ? need : a->block_size;
		b = xmalloc(sizeof(*b) + cap);
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		/* Grow blocks geometrically so big requests stay cheap. */
		if (a->block_size < 4 * 1024 * 1024)
			a->block_size *= 2;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, size);
	return p;
}

void *arena_calloc(mt_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		abort();
	return arena_alloc(a, n * size);
}

void *arena_realloc(mt_arena *a, void *old, size_t old_size, size_t new_size)
{
	void *p = arena_alloc(a, new_size);
	if (old && old_size)
		memcpy(p, old, old_size < new_size ? old_size : new_size);
	return p;
}

char *arena_strndup(mt_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(mt_arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(mt_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(mt_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
