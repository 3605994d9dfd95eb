/*
 * sema_const.c - params, scopes and constant expressions.
 *
 *   param NAME = expr;     expr = term {(+|-) term}, term = unary {(*|/|%) unary}
 *
 * Integer arithmetic stays integer and exact: results beyond 2^53 (where a
 * double stops counting every integer) are errors, and `/` on integers
 * must divide exactly (docs/spec.md, "Imports and params"). Anything mixing
 * a real is real; a real that overflows is an error too.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema_internal.h"

static SemaVal bad(void) {
  SemaVal v = {0};
  return v;
}

static SemaVal mk_int(int64_t i) {
  SemaVal v = {.ok = true, .is_int = true, .i = i, .r = (double)i};
  return v;
}

static SemaVal mk_real(double r) {
  SemaVal v = {.ok = true, .is_int = false, .i = 0, .r = r};
  return v;
}

static const SemaBind *lookup(const SemaScope *sc, const char *name) {
  for (; sc; sc = sc->parent)
    for (const SemaBind *b = sc->binds; b; b = b->next)
      if (strcmp(b->name, name) == 0) return b;
  return NULL;
}

/* A param of this name declared later in an enclosing scope, if any. */
static const PcnAst *later_decl(const SemaScope *sc, const char *name) {
  for (; sc; sc = sc->parent) {
    if (sc->decls) {
      for (int i = 0; i < sc->decls->n; i++) {
        const PcnAst *p = sc->decls->v[i];
        if (p && p->kind == PCN_AST_PARAM && p->name && !strcmp(p->name, name))
          return p;
      }
    }
    for (int k = 0; k < sc->nmore; k++) {
      const PcnAstList *l = &sc->more_decls[k];
      for (int i = 0; i < l->n; i++) {
        const PcnAst *p = l->v[i];
        if (p && p->kind == PCN_AST_PARAM && p->name && !strcmp(p->name, name))
          return p;
      }
    }
  }
  return NULL;
}

static bool int_in_range(double r) {
  return r >= -(double)SEMA_INT_MAX && r <= (double)SEMA_INT_MAX;
}

static SemaVal eval_name(Sema *s, SemaScope *sc, const PcnAst *e) {
  const char *name = sema_build_name(s, sc, e);
  if (!name) return bad();
  const SemaBind *b = lookup(sc, name);
  if (b) return b->val;
  const PcnAst *later = later_decl(sc, name);
  if (later) {
    int id = pcn_diag_error(s->d, e->span, "'%s' is used before its definition",
                            name);
    pcn_diag_note(s->d, id, later->name_span, "'%s' is defined here", name);
  } else {
    pcn_diag_error(s->d, e->span, "undefined name '%s'", name);
  }
  return bad();
}

static SemaVal eval_binop(Sema *s, const PcnAst *e, SemaVal l, SemaVal r) {
  char op = e->op;
  if ((op == '/' || op == '%') && r.r == 0) {
    pcn_diag_error(s->d, e->span, "division by zero");
    return bad();
  }
  if (l.is_int && r.is_int) {
    /* |operands| <= 2^53, so + - fit in int64 and * is checked in double
     * first (a product beyond 2^63 would be undefined in int64). */
    int64_t x = l.i, y = r.i, z = 0;
    switch (op) {
    case '+': z = x + y; break;
    case '-': z = x - y; break;
    case '*':
      if (fabs((double)x * (double)y) > (double)SEMA_INT_MAX) {
        pcn_diag_error(s->d, e->span,
                       "integer overflow: %" PRId64 " * %" PRId64
                       " is beyond 2^53",
                       x, y);
        return bad();
      }
      z = x * y;
      break;
    case '/':
      if (x % y != 0) {
        pcn_diag_error(s->d, e->span,
                       "not an integer: %" PRId64 " / %" PRId64
                       " does not divide exactly (write %" PRId64
                       ".0 / %" PRId64 " for a real)",
                       x, y, x, y);
        return bad();
      }
      z = x / y;
      break;
    case '%': z = x % y; break;
    default:
      pcn_diag_error(s->d, e->span, "unknown operator '%c'", op);
      return bad();
    }
    if (z > SEMA_INT_MAX || z < -SEMA_INT_MAX) {
      pcn_diag_error(s->d, e->span, "integer overflow: result is beyond 2^53");
      return bad();
    }
    return mk_int(z);
  }
  double x = l.r, y = r.r, z = 0;
  switch (op) {
  case '+': z = x + y; break;
  case '-': z = x - y; break;
  case '*': z = x * y; break;
  case '/': z = x / y; break;
  case '%': z = fmod(x, y); break;
  default:
    pcn_diag_error(s->d, e->span, "unknown operator '%c'", op);
    return bad();
  }
  if (!isfinite(z)) {
    pcn_diag_error(s->d, e->span, "real overflow: the result is not finite");
    return bad();
  }
  return mk_real(z);
}

SemaVal sema_eval(Sema *s, SemaScope *sc, const PcnAst *e) {
  if (!e) return bad(); /* the parser already reported it */
  switch (e->kind) {
  case PCN_AST_NUM:
    if (e->is_int) {
      if (!int_in_range(e->num)) {
        pcn_diag_error(s->d, e->span, "integer literal is beyond 2^53");
        return bad();
      }
      return mk_int((int64_t)e->num);
    }
    return mk_real(e->num);
  case PCN_AST_NAME:
    return eval_name(s, sc, e);
  case PCN_AST_NEG: {
    SemaVal v = sema_eval(s, sc, e->lhs);
    if (!v.ok) return v;
    return v.is_int ? mk_int(-v.i) : mk_real(-v.r);
  }
  case PCN_AST_BINOP: {
    SemaVal l = sema_eval(s, sc, e->lhs);
    SemaVal r = sema_eval(s, sc, e->rhs);
    if (!l.ok || !r.ok) return bad();
    return eval_binop(s, e, l, r);
  }
  case PCN_AST_STR:
    pcn_diag_error(s->d, e->span, "expected a number, found a string");
    return bad();
  case PCN_AST_DOT:
    pcn_diag_error(s->d, e->span, "expected a number, found '%s.%s'",
                   e->lhs && e->lhs->name ? e->lhs->name : "?",
                   e->name ? e->name : "?");
    return bad();
  case PCN_AST_CALL:
    pcn_diag_error(s->d, e->span, "expected a number, found a call of '%s'",
                   e->name ? e->name : "?");
    return bad();
  default:
    pcn_diag_error(s->d, e->span, "expected a number");
    return bad();
  }
}

bool sema_int(Sema *s, SemaScope *sc, const PcnAst *e, const char *what,
              int64_t lo, int64_t hi, int64_t *out) {
  SemaVal v = sema_eval(s, sc, e);
  if (!v.ok) return false;
  if (!v.is_int) {
    pcn_diag_error(s->d, e->span, "%s must be an integer, not the real %g",
                   what, v.r);
    return false;
  }
  if (v.i < lo || v.i > hi) {
    pcn_diag_error(s->d, e->span,
                   "%s %" PRId64 " is out of range %" PRId64 "..%" PRId64, what,
                   v.i, lo, hi);
    return false;
  }
  *out = v.i;
  return true;
}

bool sema_real(Sema *s, SemaScope *sc, const PcnAst *e, const char *what,
               double lo, bool lo_incl, double hi, bool hi_incl,
               const char *range, double *out) {
  SemaVal v = sema_eval(s, sc, e);
  if (!v.ok) return false;
  double x = v.r;
  bool ok = (lo_incl ? x >= lo : x > lo) && (hi_incl ? x <= hi : x < hi);
  if (!ok) {
    pcn_diag_error(s->d, e->span, "%s %g is out of range %s", what, x, range);
    return false;
  }
  *out = x;
  return true;
}

const char *sema_ident(const PcnAst *e) {
  if (e && e->kind == PCN_AST_NAME && !e->lhs && e->name) return e->name;
  return NULL;
}

const char *sema_build_name(Sema *s, SemaScope *sc, const PcnAst *e) {
  if (!e || e->kind != PCN_AST_NAME || !e->name) {
    if (e) pcn_diag_error(s->d, e->span, "expected a name");
    return NULL;
  }
  if (!e->lhs) return e->name;
  SemaVal v = sema_eval(s, sc, e->lhs);
  if (!v.ok) return NULL;
  if (!v.is_int || v.i < 0) {
    /* A negative or real index would not give an identifier. */
    if (v.is_int)
      pcn_diag_error(s->d, e->lhs->span,
                     "name index must be a non-negative integer, not %" PRId64,
                     v.i);
    else
      pcn_diag_error(s->d, e->lhs->span,
                     "name index must be a non-negative integer, not the real "
                     "%g",
                     v.r);
    return NULL;
  }
  return pcn_arena_printf(s->a, "%s%" PRId64, e->name, v.i);
}

void sema_define(Sema *s, SemaScope *sc, const PcnAst *p) {
  if (!p->name) return;
  for (const SemaBind *b = sc->binds; b; b = b->next) {
    if (strcmp(b->name, p->name) == 0) {
      int id = pcn_diag_error(s->d, p->name_span, "redefinition of param '%s'",
                              p->name);
      pcn_diag_note(s->d, id, b->span, "'%s' was first defined here", p->name);
      return;
    }
  }
  SemaVal v = sema_eval(s, sc, p->lhs);
  SemaBind *b = pcn_arena_alloc(s->a, sizeof *b);
  if (!b) return;
  b->name = p->name;
  /* A failed value still binds (as not ok) so later uses do not cascade
   * into "undefined name" errors. */
  b->val = v;
  b->span = p->name_span;
  b->next = sc->binds;
  sc->binds = b;
}

/* Levenshtein distance, giving up (returning cap + 1) early when every
 * entry of a row exceeds cap: suggestions only care about close names. */
int sema_edit_distance(const char *a, const char *b, int cap) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 255 || lb > 255) return cap + 1;
  if ((la > lb ? la - lb : lb - la) > (size_t)cap) return cap + 1;
  int row[257];
  for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0], best;
    row[0] = (int)i;
    best = row[0];
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j];
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = diag + cost;
      if (up + 1 < v) v = up + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      row[j] = v;
      diag = up;
      if (v < best) best = v;
    }
    if (best > cap) return cap + 1;
  }
  return row[lb];
}

/* ---- maps ------------------------------------------------------------ */

static uint64_t hash_str(const char *k) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *k; k++) h = (h ^ (unsigned char)*k) * 1099511628211ULL;
  return h;
}

static uint64_t hash_int(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

void sema_map_init(SemaMap *m, bool int_keys) {
  memset(m, 0, sizeof *m);
  m->ints = int_keys;
}

void sema_map_free(SemaMap *m) {
  bool ints = m->ints;
  free(m->skeys);
  free(m->ikeys);
  free(m->vals);
  memset(m, 0, sizeof *m);
  m->ints = ints;
}

static bool map_grow(SemaMap *m) {
  size_t ncap = m->cap ? m->cap * 2 : 64;
  bool ints = m->ints;
  const char **sk = ints ? NULL : calloc(ncap, sizeof *sk);
  uint64_t *ik = ints ? calloc(ncap, sizeof *ik) : NULL;
  int *vals = malloc(ncap * sizeof *vals);
  if ((!ints && !sk) || (ints && !ik) || !vals) {
    free(sk);
    free(ik);
    free(vals);
    return false;
  }
  for (size_t i = 0; i < ncap; i++) vals[i] = -1;
  for (size_t i = 0; i < m->cap; i++) {
    if (m->vals[i] < 0) continue;
    uint64_t h = ints ? hash_int(m->ikeys[i]) : hash_str(m->skeys[i]);
    size_t j = h & (ncap - 1);
    while (vals[j] >= 0) j = (j + 1) & (ncap - 1);
    if (ints)
      ik[j] = m->ikeys[i];
    else
      sk[j] = m->skeys[i];
    vals[j] = m->vals[i];
  }
  free(m->skeys);
  free(m->ikeys);
  free(m->vals);
  m->skeys = sk;
  m->ikeys = ik;
  m->vals = vals;
  m->cap = ncap;
  return true;
}

int sema_map_put_str(SemaMap *m, const char *k, int v) {
  if ((m->n + 1) * 2 > m->cap && !map_grow(m)) return -1;
  size_t j = hash_str(k) & (m->cap - 1);
  while (m->vals[j] >= 0) {
    if (strcmp(m->skeys[j], k) == 0) return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  m->skeys[j] = k;
  m->vals[j] = v;
  m->n++;
  return -1;
}

int sema_map_get_str(const SemaMap *m, const char *k) {
  if (!m->cap) return -1;
  size_t j = hash_str(k) & (m->cap - 1);
  while (m->vals[j] >= 0) {
    if (strcmp(m->skeys[j], k) == 0) return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  return -1;
}

int sema_map_put_int(SemaMap *m, uint64_t k, int v) {
  if ((m->n + 1) * 2 > m->cap && !map_grow(m)) return -1;
  size_t j = hash_int(k) & (m->cap - 1);
  while (m->vals[j] >= 0) {
    if (m->ikeys[j] == k) return m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  m->ikeys[j] = k;
  m->vals[j] = v;
  m->n++;
  return -1;
}

void *sema_grow(Sema *s, void *arr, int n, int *cap, size_t elem) {
  if (n < *cap) return arr;
  int ncap = *cap ? *cap * 2 : 8;
  void *na = pcn_arena_array(s->a, (size_t)ncap, elem);
  if (!na) return NULL;
  if (n) memcpy(na, arr, (size_t)n * elem);
  *cap = ncap;
  return na;
}
