/*
 * sema_model.c - `model NAME { ... }` -> PcnGraph.
 *
 * Items are processed in order in a model scope (params are sequential),
 * for-loops expand in place with one fresh scope per iteration, and names
 * that refer to other items (edge endpoints, memory(M), query nodes) are
 * collected and resolved once the whole model is known, so an edge may be
 * written before the nodes it connects.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema_internal.h"

typedef struct PendingEdge {
  const char *src, *dst;
  PcnSpan src_span, dst_span, span;
} PendingEdge;

typedef struct PendingQuery {
  int memory;
  const char *name;
  PcnSpan span;
} PendingQuery;

typedef struct ModelBuild {
  Sema *s;
  PcnGraph *g;
  int cap_nodes, cap_edges, cap_mems;
  SemaMap nodes, mems;      /* name -> index */
  PendingEdge *pe;
  int npe, cap_pe;
  const char **init_mem;    /* [node] memory named by init memory(M) */
  int cap_init_mem;
  PendingQuery *pq;
  int npq, cap_pq;
  int unresolved; /* names that failed to resolve: silences the warnings
                     (isolated node, unused memory) they would cause */
} ModelBuild;

static void items(ModelBuild *mb, SemaScope *sc, const PcnAstList *list);

static const char *const known_inits =
    "zero, random, random(mean, std), null, forward, average, memory(M)";

/* ---- initializers ----------------------------------------------------- */

/* random(mean, std) arguments: positional or named, each at most once. */
static bool random_args(ModelBuild *mb, SemaScope *sc, const PcnAst *call,
                        PcnInit *init) {
  Sema *s = mb->s;
  const char *names[2] = {"mean", "std"};
  bool seen[2] = {false, false};
  double val[2] = {0, 1};
  bool ok = true, named = false;
  for (int i = 0; i < call->items.n; i++) {
    const PcnAst *arg = call->items.v[i];
    if (!arg) return false;
    int k;
    const PcnAst *v = arg;
    if (arg->kind == PCN_AST_NAMED) {
      named = true;
      v = arg->lhs;
      for (k = 0; k < 2 && strcmp(arg->name, names[k]); k++) {}
      if (k == 2) {
        pcn_diag_error(s->d, arg->name_span,
                       "unknown argument '%s' of random (known: mean, std)",
                       arg->name);
        ok = false;
        continue;
      }
    } else {
      if (named || i >= 2) {
        pcn_diag_error(s->d, arg->span,
                       i >= 2 ? "random takes at most 2 arguments (mean, std)"
                              : "positional argument after a named one");
        ok = false;
        continue;
      }
      k = i;
    }
    if (seen[k]) {
      pcn_diag_error(s->d, arg->span, "argument '%s' given twice", names[k]);
      ok = false;
      continue;
    }
    seen[k] = true;
    if (k == 0) {
      SemaVal x = sema_eval(s, sc, v);
      if (!x.ok) ok = false;
      val[0] = x.r;
    } else if (!sema_real(s, sc, v, "std", 0, true, INFINITY, false, "[0, inf)",
                          &val[1])) {
      ok = false;
    }
  }
  init->mean = (float)val[0];
  init->std = (float)val[1];
  return ok;
}

static void parse_init(ModelBuild *mb, SemaScope *sc, int node,
                       const PcnAst *v) {
  Sema *s = mb->s;
  PcnInit *init = &mb->g->nodes[node].init;
  init->span = v->span;
  init->memory = -1;
  const char *name = NULL;
  if (v->kind == PCN_AST_NAME && !v->lhs) name = v->name;
  if (v->kind == PCN_AST_CALL) name = v->name;
  static const struct {
    const char *name;
    PcnInitKind kind;
  } simple[] = {{"zero", PCN_INIT_ZERO},       {"random", PCN_INIT_RANDOM},
                {"null", PCN_INIT_NULL},       {"forward", PCN_INIT_FORWARD},
                {"average", PCN_INIT_AVERAGE}, {"memory", PCN_INIT_MEMORY}};
  int k = -1;
  for (int i = 0; name && i < 6; i++)
    if (strcmp(simple[i].name, name) == 0) k = i;
  if (k < 0) {
    if (name)
      pcn_diag_error(s->d, v->span, "unknown initializer '%s' (known: %s)",
                     name, known_inits);
    else
      pcn_diag_error(s->d, v->span, "expected an initializer (known: %s)",
                     known_inits);
    return;
  }
  init->kind = simple[k].kind;
  init->mean = 0;
  init->std = 1; /* `random` alone is random(0, 1) */
  if (init->kind == PCN_INIT_RANDOM) {
    if (v->kind == PCN_AST_CALL) random_args(mb, sc, v, init);
    return;
  }
  if (init->kind == PCN_INIT_MEMORY) {
    const PcnAst *arg = v->kind == PCN_AST_CALL && v->items.n == 1
                            ? v->items.v[0]
                            : NULL;
    const char *mem = sema_ident(arg);
    if (!mem) {
      pcn_diag_error(s->d, arg ? arg->span : v->span,
                     "memory initializer needs one memory name: memory(M)");
      init->kind = PCN_INIT_ZERO;
      return;
    }
    mb->init_mem[node] = mem;
    init->span = arg->span; /* resolution errors point at M */
    return;
  }
  if (v->kind == PCN_AST_CALL)
    pcn_diag_error(s->d, v->span, "initializer '%s' takes no arguments", name);
}

/* ---- nodes ------------------------------------------------------------ */

static int add_node(ModelBuild *mb, const char *name, PcnSpan span) {
  PcnGraph *g = mb->g;
  Sema *s = mb->s;
  int prev = sema_map_get_str(&mb->nodes, name);
  if (prev >= 0) {
    int id = pcn_diag_error(s->d, span, "duplicate node '%s'", name);
    pcn_diag_note(s->d, id, g->nodes[prev].span, "'%s' was first defined here",
                  name);
    return -1;
  }
  int cap = mb->cap_nodes;
  PcnNode *nodes = sema_grow(s, g->nodes, g->nnodes, &cap, sizeof *nodes);
  int cap2 = mb->cap_init_mem;
  const char **im =
      sema_grow(s, (void *)mb->init_mem, g->nnodes, &cap2, sizeof *im);
  if (!nodes || !im) return -1;
  g->nodes = nodes;
  mb->cap_nodes = cap;
  mb->init_mem = im;
  mb->cap_init_mem = cap2;
  int i = g->nnodes++;
  PcnNode *n = &g->nodes[i];
  memset(n, 0, sizeof *n);
  n->name = name;
  n->span = span;
  n->size = 1;
  n->act = PCN_ACT_IDENTITY;
  n->init.kind = PCN_INIT_ZERO;
  n->init.memory = -1;
  n->init.span = span;
  mb->init_mem[i] = NULL;
  sema_map_put_str(&mb->nodes, name, i);
  return i;
}

static void node_dims(ModelBuild *mb, SemaScope *sc, const PcnAst *it,
                      PcnNode *n) {
  Sema *s = mb->s;
  int64_t size = 1;
  bool ok = true, big = false;
  if (it->items.n == 0) {
    pcn_diag_error(s->d, n->span, "node '%s' needs at least one dimension",
                   n->name);
    return;
  }
  for (int i = 0; i < it->items.n; i++) {
    const PcnAst *e = it->items.v[i];
    int64_t dim;
    if (i == 4) {
      pcn_diag_error(s->d, e ? e->span : it->span,
                     "a node has at most 4 dimensions");
      ok = false;
      break;
    }
    if (!sema_int(s, sc, e, "node dimension", 1, PCN_MAX_NODE_SIZE, &dim)) {
      ok = false;
      continue;
    }
    n->dims[n->ndims++] = (int)dim;
    size *= dim;
    if (size > PCN_MAX_NODE_SIZE) big = true, size = PCN_MAX_NODE_SIZE + 1LL;
  }
  if (!ok) {
    n->ndims = 1, n->dims[0] = 1;
    return;
  }
  if (big) {
    PcnSpan sp = pcn_span_join(it->items.v[0]->span,
                               it->items.v[it->items.n - 1]->span);
    double full = 1;
    for (int i = 0; i < n->ndims; i++) full *= n->dims[i];
    pcn_diag_error(s->d, sp,
                   "node '%s' has %.0f elements, more than the limit of %d",
                   n->name, full, PCN_MAX_NODE_SIZE);
    return;
  }
  n->size = (int)size;
}

static void node_clamp(ModelBuild *mb, const PcnAst *attr, PcnNode *n) {
  Sema *s = mb->s;
  const PcnAstList *v = &attr->items;
  const char *src = v->n > 0 ? sema_ident(v->v[0]) : NULL;
  if (!src || (strcmp(src, "image") && strcmp(src, "label"))) {
    pcn_diag_error(s->d, v->n > 0 ? v->v[0]->span : attr->span,
                   "clamp needs 'image' or 'label'");
    return;
  }
  bool train = true, eval = true;
  if (v->n > 1) {
    const char *ph = sema_ident(v->v[1]);
    if (ph && !strcmp(ph, "train"))
      eval = false;
    else if (ph && !strcmp(ph, "eval"))
      train = false;
    else {
      pcn_diag_error(s->d, v->v[1]->span,
                     "clamp phase must be 'train' or 'eval' (both when "
                     "omitted)");
      return;
    }
  }
  if (v->n > 2) {
    pcn_diag_error(s->d, v->v[2]->span, "clamp takes at most a source and a "
                                        "phase");
    return;
  }
  n->clamp = src[0] == 'i' ? PCN_CLAMP_IMAGE : PCN_CLAMP_LABEL;
  n->clamp_train = train;
  n->clamp_eval = eval;
}

static void node_item(ModelBuild *mb, SemaScope *sc, const PcnAst *it) {
  Sema *s = mb->s;
  const char *name = sema_build_name(s, sc, it->lhs);
  if (!name) return;
  int idx = add_node(mb, name, it->lhs->span);
  if (idx < 0) return;
  PcnNode *n = &mb->g->nodes[idx];
  /* Roles fix the default clamp; an explicit clamp attribute overrides it
   * (e.g. `target y[10] clamp label;` observes the label in evaluation). */
  if (it->role == PCN_ROLE_INPUT) {
    n->clamp = PCN_CLAMP_IMAGE;
    n->clamp_train = n->clamp_eval = true;
  } else if (it->role == PCN_ROLE_TARGET) {
    n->clamp = PCN_CLAMP_LABEL;
    n->clamp_train = true;
  }
  node_dims(mb, sc, it, n);
  const PcnAst *first[3] = {NULL, NULL, NULL};
  const char *attr_names[3] = {"act", "init", "clamp"};
  for (int i = 0; i < it->attrs.n; i++) {
    const PcnAst *a = it->attrs.v[i];
    if (!a || !a->name) continue;
    int k;
    for (k = 0; k < 3 && strcmp(a->name, attr_names[k]); k++) {}
    if (k == 3) {
      pcn_diag_error(s->d, a->name_span, "unknown node attribute '%s'",
                     a->name);
      continue;
    }
    if (first[k]) {
      int id = pcn_diag_error(s->d, a->name_span,
                              "'%s' given twice for node '%s'", a->name, name);
      pcn_diag_note(s->d, id, first[k]->name_span, "first given here");
      continue;
    }
    first[k] = a;
    n = &mb->g->nodes[idx];
    if (k == 0) {
      const char *act = a->items.n == 1 ? sema_ident(a->items.v[0]) : NULL;
      int code = act ? pcn_activation_from_name(act) : -1;
      if (code < 0) {
        PcnSpan sp = a->items.n > 0 ? a->items.v[0]->span : a->span;
        pcn_diag_error(s->d, sp,
                       "unknown activation%s%s%s (known: identity, relu, "
                       "leaky_relu, tanh, sigmoid, gelu, elu)",
                       act ? " '" : "", act ? act : "", act ? "'" : "");
      } else {
        n->act = (PcnActivation)code;
      }
    } else if (k == 1) {
      if (a->items.n != 1) {
        pcn_diag_error(s->d, a->items.n ? a->items.v[1]->span : a->span,
                       "init takes one initializer (known: %s)", known_inits);
        continue;
      }
      parse_init(mb, sc, idx, a->items.v[0]);
    } else {
      node_clamp(mb, a, n);
    }
  }
  n = &mb->g->nodes[idx];
  if (first[1] && n->clamp_train && n->clamp_eval)
    pcn_diag_warning(s->d, first[1]->items.n ? first[1]->items.v[0]->span
                                             : first[1]->span,
                     "initializer of a clamped node is never used");
}

/* ---- edges ------------------------------------------------------------ */

static void edge_item(ModelBuild *mb, SemaScope *sc, const PcnAst *it) {
  Sema *s = mb->s;
  const PcnAst *t = it->lhs;
  if (t) {
    const char *tn = t->name;
    if (!tn || strcmp(tn, "dense") ||
        (t->kind != PCN_AST_NAME && t->kind != PCN_AST_CALL) ||
        (t->kind == PCN_AST_NAME && t->lhs) ||
        (t->kind == PCN_AST_CALL && t->items.n)) {
      /* The edges are still recorded (as dense) so that the nodes do not
       * also get "isolated" warnings; the error fails the compilation. */
      pcn_diag_error(s->d, t->span,
                     "unknown transform%s%s%s: only 'dense' is supported",
                     tn ? " '" : "", tn ? tn : "", tn ? "'" : "");
    }
  }
  const char *prev = NULL;
  PcnSpan prev_span = pcn_no_span;
  for (int i = 0; i < it->items.n; i++) {
    const PcnAst *e = it->items.v[i];
    const char *name = sema_build_name(s, sc, e);
    if (name && prev) {
      int cap = mb->cap_pe;
      PendingEdge *pe = sema_grow(s, mb->pe, mb->npe, &cap, sizeof *pe);
      if (!pe) return;
      mb->pe = pe;
      mb->cap_pe = cap;
      PendingEdge *p = &mb->pe[mb->npe++];
      p->src = prev;
      p->dst = name;
      p->src_span = prev_span;
      p->dst_span = e->span;
      p->span = pcn_span_join(prev_span, e->span);
    }
    prev = name;
    prev_span = e ? e->span : pcn_no_span;
  }
}

/* ---- memories --------------------------------------------------------- */

static void memory_item(ModelBuild *mb, SemaScope *sc, const PcnAst *it) {
  Sema *s = mb->s;
  PcnGraph *g = mb->g;
  if (!it->name) return;
  int prev = sema_map_get_str(&mb->mems, it->name);
  if (prev >= 0) {
    int id = pcn_diag_error(s->d, it->name_span, "duplicate memory '%s'",
                            it->name);
    pcn_diag_note(s->d, id, g->memories[prev].span,
                  "'%s' was first defined here", it->name);
    return;
  }
  int cap = mb->cap_mems;
  PcnMemory *ms = sema_grow(s, g->memories, g->nmemories, &cap, sizeof *ms);
  if (!ms) return;
  g->memories = ms;
  mb->cap_mems = cap;
  int mi = g->nmemories++;
  PcnMemory *m = &g->memories[mi];
  memset(m, 0, sizeof *m);
  m->name = it->name;
  m->span = it->name_span;
  /* Defaults: the paper's Appendix setting (p = 24, a = 16, e = 128) and a
   * plain softmax (delta = 1); only the query must be written. */
  m->patterns = 24;
  m->heads = 16;
  m->embed = 128;
  m->delta = 1.0f;
  sema_map_put_str(&mb->mems, it->name, mi);

  static const char *const keys[] = {"patterns", "heads", "embed", "delta",
                                     "query"};
  const PcnAst *seen[5] = {0};
  PcnSpan heads_span = it->name_span, embed_span = it->name_span;
  for (int i = 0; i < it->items.n; i++) {
    const PcnAst *st = it->items.v[i];
    if (!st || !st->name) continue;
    int k;
    for (k = 0; k < 5 && strcmp(st->name, keys[k]); k++) {}
    if (k == 5) {
      pcn_diag_error(s->d, st->name_span,
                     "unknown memory setting '%s' (known: patterns, heads, "
                     "embed, delta, query)",
                     st->name);
      continue;
    }
    if (seen[k]) {
      int id = pcn_diag_error(s->d, st->name_span, "'%s' given twice",
                              st->name);
      pcn_diag_note(s->d, id, seen[k]->name_span, "first given here");
      continue;
    }
    seen[k] = st;
    m = &g->memories[mi];
    if (k < 4 && st->items.n != 1) {
      pcn_diag_error(s->d, st->items.n ? st->items.v[1]->span : st->name_span,
                     "'%s' takes one value", st->name);
      continue;
    }
    int64_t v;
    double r;
    const PcnAst *val = k < 4 ? st->items.v[0] : NULL;
    switch (k) {
    case 0:
      if (sema_int(s, sc, val, "patterns", 1, 1 << 20, &v)) m->patterns = (int)v;
      break;
    case 1:
      if (sema_int(s, sc, val, "heads", 1, 1 << 20, &v)) m->heads = (int)v;
      heads_span = val->span;
      break;
    case 2:
      if (sema_int(s, sc, val, "embed", 1, 1 << 24, &v)) m->embed = (int)v;
      embed_span = val->span;
      break;
    case 3:
      if (sema_real(s, sc, val, "delta", 0, false, 1e30, true, "(0, 1e30]",
                    &r))
        m->delta = (float)r;
      break;
    default:
      if (st->items.n == 0)
        pcn_diag_error(s->d, st->name_span, "query needs at least one node");
      for (int j = 0; j < st->items.n; j++) {
        const char *qn = sema_build_name(s, sc, st->items.v[j]);
        if (!qn) continue;
        int qc = mb->cap_pq;
        PendingQuery *pq = sema_grow(s, mb->pq, mb->npq, &qc, sizeof *pq);
        if (!pq) return;
        mb->pq = pq;
        mb->cap_pq = qc;
        mb->pq[mb->npq++] = (PendingQuery){mi, qn, st->items.v[j]->span};
      }
    }
  }
  m = &g->memories[mi];
  if (!seen[4])
    pcn_diag_error(s->d, it->name_span,
                   "memory '%s' needs a query: query NODE...;", it->name);
  if (m->embed % m->heads != 0) {
    int id = pcn_diag_error(s->d, embed_span,
                            "embed %d is not divisible by heads %d", m->embed,
                            m->heads);
    pcn_diag_note(s->d, id, heads_span, "heads set here");
  }
}

/* ---- for-loops -------------------------------------------------------- */

static void for_item(ModelBuild *mb, SemaScope *sc, const PcnAst *it) {
  Sema *s = mb->s;
  if (s->expand_capped || !it->name) return;
  int64_t lo, hi;
  bool ok = sema_int(s, sc, it->lhs, "loop bound", -SEMA_INT_MAX,
                     SEMA_INT_MAX, &lo);
  ok = sema_int(s, sc, it->rhs, "loop bound", -SEMA_INT_MAX, SEMA_INT_MAX,
                &hi) && ok;
  if (!ok || hi < lo) return; /* an empty range expands to nothing */
  /* Each iteration costs its non-loop items (at least 1), nested loops
   * count their own iterations as they expand. */
  int64_t per = 0;
  for (int i = 0; i < it->items.n; i++)
    if (it->items.v[i] && it->items.v[i]->kind != PCN_AST_FOR) per++;
  if (per == 0) per = 1;
  double total = ((double)hi - (double)lo + 1) * (double)per;
  if ((double)s->expanded + total > (double)SEMA_MAX_EXPANDED) {
    s->expand_capped = true;
    pcn_diag_error(s->d, pcn_span_join(it->lhs->span, it->rhs->span),
                   "for-loops expand to more than %lld items in total "
                   "(this loop alone: %.0f)",
                   SEMA_MAX_EXPANDED, total);
    return;
  }
  s->expanded += (int64_t)total;
  for (int64_t i = lo; i <= hi && !s->expand_capped; i++) {
    SemaBind var = {.name = it->name, .span = it->name_span, .next = NULL};
    var.val = (SemaVal){.ok = true, .is_int = true, .i = i, .r = (double)i};
    SemaScope body = {.parent = sc, .binds = &var, .decls = &it->items};
    items(mb, &body, &it->items);
  }
}

static void items(ModelBuild *mb, SemaScope *sc, const PcnAstList *list) {
  for (int i = 0; i < list->n; i++) {
    const PcnAst *it = list->v[i];
    if (!it) continue;
    switch (it->kind) {
    case PCN_AST_PARAM: sema_define(mb->s, sc, it); break;
    case PCN_AST_NODE: node_item(mb, sc, it); break;
    case PCN_AST_EDGE: edge_item(mb, sc, it); break;
    case PCN_AST_MEMORY: memory_item(mb, sc, it); break;
    case PCN_AST_FOR: for_item(mb, sc, it); break;
    default:
      pcn_diag_error(mb->s->d, it->span, "a %s cannot appear inside a model",
                     pcn_ast_kind_name(it->kind));
    }
  }
}

/* ---- resolution ------------------------------------------------------- */

/* Reports `name` as undefined, suggesting the closest declared name. */
static void undefined(ModelBuild *mb, PcnSpan span, const char *what,
                      const char *name, bool nodes) {
  Sema *s = mb->s;
  mb->unresolved++;
  int id = pcn_diag_error(s->d, span, "undefined %s '%s'", what, name);
  if (s->suggestions++ > 32) return; /* each search is O(names) */
  int cap = (int)strlen(name) / 3;
  if (cap < 1) cap = 1;
  int best = -1, bestd = cap + 1;
  int n = nodes ? mb->g->nnodes : mb->g->nmemories;
  for (int i = 0; i < n; i++) {
    const char *cand = nodes ? mb->g->nodes[i].name : mb->g->memories[i].name;
    /* On a tie the later name wins: for an off-by-one in a loop
     * (h4 after h1..h3) the last one built is the likely intent. */
    int dist = sema_edit_distance(name, cand, cap);
    if (dist <= bestd && dist <= cap) bestd = dist, best = i;
  }
  if (best >= 0)
    pcn_diag_note(s->d, id,
                  nodes ? mb->g->nodes[best].span : mb->g->memories[best].span,
                  "did you mean '%s'?",
                  nodes ? mb->g->nodes[best].name : mb->g->memories[best].name);
}

static void resolve_edges(ModelBuild *mb) {
  Sema *s = mb->s;
  PcnGraph *g = mb->g;
  SemaMap seen;
  sema_map_init(&seen, true);
  for (int i = 0; i < mb->npe; i++) {
    const PendingEdge *p = &mb->pe[i];
    int a = sema_map_get_str(&mb->nodes, p->src);
    int b = sema_map_get_str(&mb->nodes, p->dst);
    /* In a chain a middle name is both the dst of one edge and the src of
     * the next (the same string): report it once, as the dst. */
    bool chained = i > 0 && mb->pe[i - 1].dst == p->src;
    if (a < 0 && !chained) undefined(mb, p->src_span, "node", p->src, true);
    if (b < 0) undefined(mb, p->dst_span, "node", p->dst, true);
    if (a < 0 || b < 0) continue;
    uint64_t key = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
    int first = sema_map_put_int(&seen, key, g->nedges);
    if (first >= 0) {
      int id = pcn_diag_error(s->d, p->span, "duplicate edge '%s -> %s'",
                              p->src, p->dst);
      pcn_diag_note(s->d, id, g->edges[first].span, "first defined here");
      continue;
    }
    int cap = mb->cap_edges;
    PcnEdge *es = sema_grow(s, g->edges, g->nedges, &cap, sizeof *es);
    if (!es) break;
    g->edges = es;
    mb->cap_edges = cap;
    g->edges[g->nedges++] = (PcnEdge){a, b, PCN_EDGE_DENSE, p->span};
  }
  sema_map_free(&seen);
}

static void link_edges(Sema *s, PcnGraph *g) {
  for (int e = 0; e < g->nedges; e++) {
    g->nodes[g->edges[e].src].nout++;
    g->nodes[g->edges[e].dst].nin++;
  }
  for (int i = 0; i < g->nnodes; i++) {
    PcnNode *n = &g->nodes[i];
    n->in_edges = pcn_arena_array(s->a, (size_t)n->nin + 1, sizeof(int));
    n->out_edges = pcn_arena_array(s->a, (size_t)n->nout + 1, sizeof(int));
    n->bias = n->nin > 0;
    n->nin = n->nout = 0;
  }
  for (int e = 0; e < g->nedges; e++) {
    PcnNode *src = &g->nodes[g->edges[e].src], *dst = &g->nodes[g->edges[e].dst];
    if (src->out_edges) src->out_edges[src->nout++] = e;
    if (dst->in_edges) dst->in_edges[dst->nin++] = e;
  }
}

static void check_weights(Sema *s, PcnGraph *g) {
  int64_t total = 0;
  for (int e = 0; e < g->nedges; e++) {
    const PcnEdge *ed = &g->edges[e];
    int64_t w = (int64_t)g->nodes[ed->src].size * g->nodes[ed->dst].size;
    if (w > PCN_MAX_EDGE_PARAMS) {
      pcn_diag_error(s->d, ed->span,
                     "edge '%s -> %s' has %" PRId64
                     " weights (%d x %d), more than the limit of %lld",
                     g->nodes[ed->src].name, g->nodes[ed->dst].name, w,
                     g->nodes[ed->src].size, g->nodes[ed->dst].size,
                     PCN_MAX_EDGE_PARAMS);
      continue;
    }
    total += w;
  }
  if (total > PCN_MAX_MODEL_PARAMS)
    pcn_diag_error(s->d, g->span,
                   "model '%s' has %" PRId64
                   " weights in total, more than the limit of %lld",
                   g->name, total, PCN_MAX_MODEL_PARAMS);
}

static void resolve_memories(ModelBuild *mb) {
  Sema *s = mb->s;
  PcnGraph *g = mb->g;
  int *ntargets = calloc((size_t)g->nmemories + 1, sizeof *ntargets);
  int *nquery = calloc((size_t)g->nmemories + 1, sizeof *nquery);
  if (!ntargets || !nquery) goto out;
  for (int i = 0; i < g->nnodes; i++) {
    if (!mb->init_mem[i]) continue;
    int m = sema_map_get_str(&mb->mems, mb->init_mem[i]);
    if (m < 0) {
      undefined(mb, g->nodes[i].init.span, "memory", mb->init_mem[i], false);
      g->nodes[i].init.kind = PCN_INIT_ZERO;
      continue;
    }
    g->nodes[i].init.memory = m;
    ntargets[m]++;
  }
  for (int q = 0; q < mb->npq; q++) nquery[mb->pq[q].memory]++;
  for (int m = 0; m < g->nmemories; m++) {
    g->memories[m].targets =
        pcn_arena_array(s->a, (size_t)ntargets[m] + 1, sizeof(int));
    g->memories[m].query =
        pcn_arena_array(s->a, (size_t)nquery[m] + 1, sizeof(int));
    if (ntargets[m] == 0 && !mb->unresolved)
      pcn_diag_warning(s->d, g->memories[m].span,
                       "memory '%s' is not used by any node (init memory(%s))",
                       g->memories[m].name, g->memories[m].name);
  }
  for (int i = 0; i < g->nnodes; i++) {
    int m = g->nodes[i].init.kind == PCN_INIT_MEMORY ? g->nodes[i].init.memory
                                                     : -1;
    PcnMemory *mem = m >= 0 ? &g->memories[m] : NULL;
    if (mem && mem->targets) mem->targets[mem->ntargets++] = i;
  }
  for (int q = 0; q < mb->npq; q++) {
    const PendingQuery *p = &mb->pq[q];
    int n = sema_map_get_str(&mb->nodes, p->name);
    if (n < 0) {
      undefined(mb, p->span, "node", p->name, true);
      continue;
    }
    PcnMemory *mem = &g->memories[p->memory];
    bool dup = false;
    for (int j = 0; j < mem->nquery; j++) dup |= mem->query[j] == n;
    if (dup) {
      pcn_diag_error(s->d, p->span, "node '%s' is named twice in the query",
                     p->name);
      continue;
    }
    if (mem->query) mem->query[mem->nquery++] = n;
  }
out:
  free(ntargets);
  free(nquery);
}

void sema_model(Sema *s, const PcnAst *m) {
  PcnCompilation *c = s->c;
  if (!m->name) return;
  int prev = pcn_compilation_find_model(c, m->name);
  if (prev >= 0) {
    int id = pcn_diag_error(s->d, m->name_span, "duplicate model '%s'",
                            m->name);
    pcn_diag_note(s->d, id, c->models[prev]->span,
                  "'%s' was first defined here", m->name);
    return;
  }
  int cap = s->cap_models;
  PcnGraph **ms = sema_grow(s, c->models, c->nmodels, &cap, sizeof *ms);
  PcnGraph *g = pcn_arena_alloc(s->a, sizeof *g);
  if (!ms || !g) return;
  c->models = ms;
  s->cap_models = cap;
  g->name = m->name;
  g->span = m->name_span;

  ModelBuild mb = {.s = s, .g = g};
  sema_map_init(&mb.nodes, false);
  sema_map_init(&mb.mems, false);
  SemaScope sc = {.parent = &s->global, .decls = &m->items};
  items(&mb, &sc, &m->items);
  resolve_edges(&mb);
  resolve_memories(&mb);
  link_edges(s, g);
  check_weights(s, g);
  if (g->nnodes == 0)
    pcn_diag_warning(s->d, g->span, "model '%s' has no nodes", g->name);
  for (int i = 0; i < g->nnodes && !mb.unresolved; i++)
    if (g->nodes[i].nin + g->nodes[i].nout == 0)
      pcn_diag_warning(s->d, g->nodes[i].span,
                       "node '%s' is isolated: it has no edges",
                       g->nodes[i].name);
  sema_map_free(&mb.nodes);
  sema_map_free(&mb.mems);
  /* Registered last, so a model's own errors do not see a half-built
   * graph through pcn_compilation_find_model. */
  c->models[c->nmodels++] = g;
}
