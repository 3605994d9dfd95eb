#include "pcn/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct PcnArenaBlock {
  PcnArenaBlock *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
};

enum { PCN_ARENA_BLOCK = 64 * 1024 };

void pcn_arena_init(PcnArena *a) { memset(a, 0, sizeof *a); }

void pcn_arena_free(PcnArena *a) {
  PcnArenaBlock *b = a->head;
  while (b) {
    PcnArenaBlock *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->used_total = 0;
}

void *pcn_arena_alloc(PcnArena *a, size_t size) {
  size_t need = (size + 15) & ~(size_t)15;
  if (need < size || (a->limit && a->used_total + need > a->limit)) {
    a->failed = 1;
    return NULL;
  }
  PcnArenaBlock *b = a->head;
  if (!b || b->size - b->used < need) {
    /* Large requests get a block of their own so small ones keep packing. */
    size_t bsize = need > PCN_ARENA_BLOCK / 4 ? need : PCN_ARENA_BLOCK;
    PcnArenaBlock *nb = malloc(sizeof *nb + bsize);
    if (!nb) {
      a->failed = 1;
      return NULL;
    }
    nb->size = bsize;
    nb->used = 0;
    if (b && bsize == need) { /* keep the partly used block at the head */
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += need;
  a->used_total += need;
  memset(p, 0, size);
  return p;
}

void *pcn_arena_array(PcnArena *a, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) {
    a->failed = 1;
    return NULL;
  }
  return pcn_arena_alloc(a, n * size);
}

char *pcn_arena_strndup(PcnArena *a, const char *s, size_t n) {
  char *p = pcn_arena_alloc(a, n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

char *pcn_arena_strdup(PcnArena *a, const char *s) {
  return pcn_arena_strndup(a, s, strlen(s));
}

char *pcn_arena_printf(PcnArena *a, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = n < 0 ? NULL : pcn_arena_alloc(a, (size_t)n + 1);
  if (p) vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}
