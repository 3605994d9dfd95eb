/*
 * arena.h - bump allocation for one compilation.
 *
 * The AST, the Graph IR and the Schedule IR of one compilation live in one
 * arena and are freed together. Allocation failure is reported by a NULL
 * return and a sticky `failed` flag, so tests can exercise it with a limit.
 */
#ifndef PCN_ARENA_H
#define PCN_ARENA_H

#include <stddef.h>

typedef struct PcnArenaBlock PcnArenaBlock;

typedef struct PcnArena {
  PcnArenaBlock *head; /* newest block first */
  size_t used_total;   /* bytes handed out, for tests and statistics */
  size_t limit;        /* 0 = unlimited; otherwise allocations past it fail */
  int failed;          /* set once any allocation failed */
} PcnArena;

void pcn_arena_init(PcnArena *a);
void pcn_arena_free(PcnArena *a);
/* Zero-filled, aligned to 16 bytes. NULL on failure. */
void *pcn_arena_alloc(PcnArena *a, size_t size);
/* Checked n * size (NULL on overflow). */
void *pcn_arena_array(PcnArena *a, size_t n, size_t size);
char *pcn_arena_strdup(PcnArena *a, const char *s);
char *pcn_arena_strndup(PcnArena *a, const char *s, size_t n);
char *pcn_arena_printf(PcnArena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
