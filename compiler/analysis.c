/*
 * analysis.c - graph analysis of a PcnGraph (pcn/analysis.h).
 *
 * Everything here is linear in nodes + edges: SCCs by an iterative Tarjan
 * (no recursion, so 100,000-node chains do not overflow the C stack), one
 * concrete cycle per cyclic SCC by a BFS restricted to the SCC, and all
 * per-node verdicts by one pass over a topological order.
 *
 * The same SCC routine runs on node-induced subgraphs (a mask): the whole
 * graph, the nodes initialized by forward, and forward + average nodes.
 * Results live in the caller's arena; temporaries are malloc'd and freed.
 */
#include "pcn/analysis.h"

#include <stdlib.h>
#include <string.h>

/* SCCs of the subgraph induced by `mask` (NULL = every node). */
typedef struct Sub {
  int *comp;          /* [n] component id in topological order, -1 outside */
  int ncomp;
  int *order;         /* nodes of the mask, components in topological order,
                         members of one component adjacent */
  int norder;
  PcnCycle *cycles;   /* one per cyclic component */
  int ncycles;
  int *cycle_of_comp; /* [ncomp] index into cycles, or -1 */
} Sub;

static bool in_mask(const unsigned char *mask, int v) { return !mask || mask[v]; }

static bool has_self_loop(const PcnGraph *g, int v) {
  const PcnNode *nd = &g->nodes[v];
  for (int i = 0; i < nd->nout; i++)
    if (g->edges[nd->out_edges[i]].dst == v) return true;
  return false;
}

/* Finds a shortest cycle through s inside component c by BFS; writes the
 * path into the arena. `parent` and `stamp` are scratch arrays of size n
 * shared across calls (stamp marks nodes visited by this BFS). */
static bool extract_cycle(PcnArena *a, const PcnGraph *g, const int *comp, int c,
                          int s, int *parent, int *stamp, int *queue,
                          PcnCycle *out) {
  int head = 0, tail = 0, found = -1;
  queue[tail++] = s;
  stamp[s] = c + 1;
  parent[s] = -1;
  while (head < tail && found < 0) {
    int u = queue[head++];
    const PcnNode *nd = &g->nodes[u];
    for (int i = 0; i < nd->nout; i++) {
      int w = g->edges[nd->out_edges[i]].dst;
      if (comp[w] != c) continue;
      if (w == s) {
        found = u;
        break;
      }
      if (stamp[w] == c + 1) continue;
      stamp[w] = c + 1;
      parent[w] = u;
      queue[tail++] = w;
    }
  }
  if (found < 0) return false; /* cannot happen in a cyclic component */
  int len = 1;
  for (int v = found; v != s; v = parent[v]) len++;
  out->path = pcn_arena_array(a, (size_t)len, sizeof(int));
  if (!out->path) return false;
  out->len = len;
  int i = len - 1;
  for (int v = found; v != s; v = parent[v]) out->path[i--] = v;
  out->path[0] = s;
  return true;
}

/* Iterative Tarjan on the mask. Returns false when out of memory. */
static bool scc_sub(PcnArena *a, const PcnGraph *g, const unsigned char *mask,
                    Sub *r) {
  int n = g->nnodes;
  memset(r, 0, sizeof *r);
  r->comp = pcn_arena_array(a, (size_t)n + 1, sizeof(int));
  r->order = pcn_arena_array(a, (size_t)n + 1, sizeof(int));
  int *idx = malloc(((size_t)n + 1) * sizeof(int));
  int *low = malloc(((size_t)n + 1) * sizeof(int));
  int *it = malloc(((size_t)n + 1) * sizeof(int));
  int *stk = malloc(((size_t)n + 1) * sizeof(int));
  int *cs = malloc(((size_t)n + 1) * sizeof(int));
  unsigned char *onstk = calloc((size_t)n + 1, 1);
  bool ok = r->comp && r->order && idx && low && it && stk && cs && onstk;
  if (!ok) goto done;

  for (int v = 0; v < n; v++) {
    idx[v] = -1;
    r->comp[v] = -1;
  }
  int counter = 0, sp = 0, ncomp = 0;
  for (int s = 0; s < n; s++) {
    if (!in_mask(mask, s) || idx[s] >= 0) continue;
    int csp = 0;
    idx[s] = low[s] = counter++;
    it[s] = 0;
    stk[sp++] = s;
    onstk[s] = 1;
    cs[csp++] = s;
    while (csp > 0) {
      int v = cs[csp - 1];
      const PcnNode *nd = &g->nodes[v];
      if (it[v] < nd->nout) {
        int w = g->edges[nd->out_edges[it[v]++]].dst;
        if (!in_mask(mask, w)) continue;
        if (idx[w] < 0) {
          idx[w] = low[w] = counter++;
          it[w] = 0;
          stk[sp++] = w;
          onstk[w] = 1;
          cs[csp++] = w;
        } else if (onstk[w] && idx[w] < low[v]) {
          low[v] = idx[w];
        }
        continue;
      }
      csp--;
      if (csp > 0) {
        int u = cs[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] == idx[v]) {
        int w;
        do {
          w = stk[--sp];
          onstk[w] = 0;
          r->comp[w] = ncomp;
        } while (w != v);
        ncomp++;
      }
    }
  }
  /* Tarjan completes sinks first; flip so ids follow a topological order. */
  int *start = calloc((size_t)ncomp + 2, sizeof(int));
  if (!start) {
    ok = false;
    goto done;
  }
  for (int v = 0; v < n; v++)
    if (r->comp[v] >= 0) {
      r->comp[v] = ncomp - 1 - r->comp[v];
      start[r->comp[v] + 1]++;
    }
  for (int c = 0; c < ncomp; c++) start[c + 1] += start[c];
  r->norder = start[ncomp];
  for (int v = 0; v < n; v++)
    if (r->comp[v] >= 0) r->order[start[r->comp[v]]++] = v;
  r->ncomp = ncomp;

  /* Cyclic components and one cycle each (from the smallest member, so
   * results are deterministic). */
  r->cycle_of_comp = pcn_arena_array(a, (size_t)ncomp + 1, sizeof(int));
  int *first = start; /* reuse: first[c] = smallest member of c */
  int *size = calloc((size_t)ncomp + 1, sizeof(int));
  if (!r->cycle_of_comp || !size) {
    free(size);
    free(start);
    ok = false;
    goto done;
  }
  for (int c = 0; c < ncomp; c++) first[c] = -1;
  for (int v = 0; v < n; v++) {
    int c = r->comp[v];
    if (c < 0) continue;
    size[c]++;
    if (first[c] < 0) first[c] = v;
  }
  int ncyc = 0;
  for (int c = 0; c < ncomp; c++) {
    r->cycle_of_comp[c] = -1;
    if (size[c] > 1 || has_self_loop(g, first[c])) r->cycle_of_comp[c] = ncyc++;
  }
  r->ncycles = ncyc;
  r->cycles = pcn_arena_array(a, (size_t)ncyc + 1, sizeof(PcnCycle));
  if (!r->cycles) ok = false;
  /* idx, low, stk are free for reuse as BFS scratch (stamp must start 0). */
  for (int v = 0; ok && v < n; v++) idx[v] = 0;
  for (int c = 0; ok && c < ncomp; c++) {
    int k = r->cycle_of_comp[c];
    if (k < 0) continue;
    if (!extract_cycle(a, g, r->comp, c, first[c], low, idx, stk, &r->cycles[k]))
      ok = false;
  }
  free(size);
  free(start);
done:
  free(idx);
  free(low);
  free(it);
  free(stk);
  free(cs);
  free(onstk);
  return ok;
}

bool pcn_node_clamped(const PcnNode *v, PcnPhase p) {
  return p == PCN_PHASE_TRAIN ? v->clamp_train : v->clamp_eval;
}

PcnInitKind pcn_effective_init(const PcnGraph *g, const PcnAnalysis *an,
                               int node, PcnPhase phase) {
  const PcnNode *v = &g->nodes[node];
  PcnInitKind k = v->init.kind;
  if (phase == PCN_PHASE_TRAIN || !an) return k;
  const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_EVAL];
  /* A forward pass evaluates the whole model: every free node is forward. */
  if (pv->eval_mode == PCN_EVAL_FORWARD && !v->clamp_eval) return PCN_INIT_FORWARD;
  /* Labels are unknown at evaluation, so class-wise averages cannot be
   * formed: `average` falls back to forward where legal, else zero. */
  if (k == PCN_INIT_AVERAGE)
    return pv->declared[node] == PCN_FW_OK ? PCN_INIT_FORWARD : PCN_INIT_ZERO;
  return k;
}

int pcn_first_move_steps(const PcnGraph *g, const PcnAnalysis *an, PcnPhase p, int *step) {
  int n = g->nnodes;
  bool *err = calloc((size_t)n + 1, sizeof *err);
  int *moved = malloc(((size_t)n + 1) * sizeof *moved);
  if (!err || !moved) {
    free(err), free(moved);
    return -1;
  }
  const PcnPhaseVerdict *pv = &an->phase[p];
  for (int v = 0; v < n; v++) {
    const PcnNode *nd = &g->nodes[v];
    bool free_node = !pcn_node_clamped(nd, p);
    bool forward = free_node && pcn_effective_init(g, an, v, p) == PCN_INIT_FORWARD &&
                   pv->fw_depth && pv->fw_depth[v] > 0;
    err[v] = nd->nin > 0 && !forward;
    step[v] = -1;
  }
  /* Each step adds at least one node or ends: at most n steps. */
  for (int t = 1; t <= n; t++) {
    int nmoved = 0;
    for (int u = 0; u < n; u++) {
      const PcnNode *nd = &g->nodes[u];
      if (step[u] >= 0 || pcn_node_clamped(nd, p)) continue;
      bool moves = err[u];
      for (int j = 0; j < nd->nout && !moves; j++) moves = err[g->edges[nd->out_edges[j]].dst];
      if (moves) step[u] = t, moved[nmoved++] = u;
    }
    if (nmoved == 0) break;
    for (int i = 0; i < nmoved; i++) {
      const PcnNode *nd = &g->nodes[moved[i]];
      if (nd->nin > 0) err[moved[i]] = true;
      for (int j = 0; j < nd->nout; j++) err[g->edges[nd->out_edges[j]].dst] = true;
    }
  }
  free(err), free(moved);
  return 0;
}

/* Whole-network verdict (Proposition 3.2) for phase p. */
static void whole_verdict(const PcnGraph *g, const PcnAnalysis *an, PcnPhase p,
                          PcnPhaseVerdict *pv) {
  pv->whole_forward_legal = true;
  pv->whole_reason = PCN_FW_OK;
  pv->whole_cycle = -1;
  pv->whole_root = -1;
  if (!an->is_dag) {
    pv->whole_forward_legal = false;
    pv->whole_reason = PCN_FW_CYCLE;
    pv->whole_cycle = 0;
    return;
  }
  for (int i = 0; i < an->nroots; i++) {
    if (!pcn_node_clamped(&g->nodes[an->roots[i]], p)) {
      pv->whole_forward_legal = false;
      pv->whole_reason = PCN_FW_FREE_ROOT;
      pv->whole_root = an->roots[i];
      return;
    }
  }
}

/* Strict per-node verdict: propagate "first cyclic ancestor" and "first free
 * root ancestor" along the topological order of the condensation. Members
 * of a cyclic SCC are CYCLE themselves, so no fixpoint is needed. Free
 * roots propagate only through free nodes (Appendix B: with the input on
 * node 1, node 2 = f(h_1) is still forward-computable, node 4 is not). */
static void strict_verdict(const PcnGraph *g, const PcnAnalysis *an, PcnPhase p,
                           PcnPhaseVerdict *pv, int *cyc, int *froot) {
  /* Members of one SCC are adjacent in topo but not ordered among
   * themselves, so a node may read a same-SCC parent not yet visited:
   * start everyone at "none". */
  for (int v = 0; v < g->nnodes; v++) cyc[v] = froot[v] = -1;
  for (int i = 0; i < g->nnodes; i++) {
    int v = an->topo[i];
    const PcnNode *nd = &g->nodes[v];
    cyc[v] = an->on_cycle[v] ? an->cycle_of[v] : -1;
    froot[v] = (nd->nin == 0 && !pcn_node_clamped(nd, p)) ? v : -1;
    for (int j = 0; j < nd->nin && (cyc[v] < 0 || froot[v] < 0); j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (u == v) continue;
      if (cyc[v] < 0 && cyc[u] >= 0) cyc[v] = cyc[u];
      /* A clamped parent is data: what lies above it does not matter. */
      if (froot[v] < 0 && froot[u] >= 0 && !pcn_node_clamped(&g->nodes[u], p))
        froot[v] = froot[u];
    }
  }
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    pv->strict_cycle[v] = -1;
    pv->strict_root[v] = -1;
    if (pcn_node_clamped(nd, p)) {
      pv->strict[v] = PCN_FW_CLAMPED;
    } else if (cyc[v] >= 0) {
      pv->strict[v] = PCN_FW_CYCLE;
      pv->strict_cycle[v] = cyc[v];
    } else if (nd->nin == 0) {
      pv->strict[v] = PCN_FW_NO_PARENTS;
      pv->strict_root[v] = v;
    } else if (froot[v] >= 0) {
      pv->strict[v] = PCN_FW_FREE_ROOT;
      pv->strict_root[v] = froot[v];
    } else {
      pv->strict[v] = PCN_FW_OK;
    }
  }
}

/* Declared verdicts, average fallbacks and forward depths for phase p. */
static bool declared_verdict(PcnArena *a, const PcnGraph *g, PcnPhase p,
                             PcnPhaseVerdict *pv, unsigned char *mask) {
  int n = g->nnodes;
  bool all_forward = p == PCN_PHASE_EVAL && pv->eval_mode == PCN_EVAL_FORWARD;
  bool any_avg = false;
  for (int v = 0; v < n; v++) {
    const PcnNode *nd = &g->nodes[v];
    bool free_node = !pcn_node_clamped(nd, p);
    mask[v] = free_node && (all_forward || nd->init.kind == PCN_INIT_FORWARD);
    if (free_node && !mask[v] && nd->init.kind == PCN_INIT_AVERAGE) any_avg = true;
    pv->declared[v] = PCN_FW_OK;
    pv->declared_cycle[v] = -1;
  }
  Sub s;
  if (!scc_sub(a, g, mask, &s)) return false;
  pv->fw_cycles = s.cycles;
  pv->nfw_cycles = s.ncycles;
  for (int v = 0; v < n; v++) {
    if (!mask[v]) continue;
    int k = s.cycle_of_comp[s.comp[v]];
    if (g->nodes[v].nin == 0) {
      pv->declared[v] = PCN_FW_NO_PARENTS;
    } else if (k >= 0) {
      pv->declared[v] = PCN_FW_CYCLE;
      pv->declared_cycle[v] = k;
    }
  }

  /* `average` fallback: conservative, judged on forward + average nodes
   * together, so that the forward set after fallback is acyclic whatever
   * the other average nodes decide. */
  if (any_avg) {
    for (int v = 0; v < n; v++) {
      const PcnNode *nd = &g->nodes[v];
      if (!mask[v] && !pcn_node_clamped(nd, p) && nd->init.kind == PCN_INIT_AVERAGE)
        mask[v] = 2;
    }
    Sub s2;
    if (!scc_sub(a, g, mask, &s2)) return false;
    for (int v = 0; v < n; v++) {
      if (mask[v] != 2) continue;
      if (g->nodes[v].nin == 0)
        pv->declared[v] = PCN_FW_NO_PARENTS;
      else if (s2.cycle_of_comp[s2.comp[v]] >= 0)
        pv->declared[v] = PCN_FW_CYCLE;
    }
  }

  /* Forward depth over the nodes the sweep of this phase computes: legal
   * forward nodes, plus legal average fallbacks in evaluation. This set is
   * acyclic (see above), so its SCC order is a topological order. */
  for (int v = 0; v < n; v++) {
    bool legal = pv->declared[v] == PCN_FW_OK;
    if (mask[v] == 2) mask[v] = p == PCN_PHASE_EVAL && legal;
    else if (mask[v]) mask[v] = legal;
  }
  Sub s3;
  if (!scc_sub(a, g, mask, &s3)) return false;
  pv->fw_max_depth = 0;
  for (int i = 0; i < s3.norder; i++) {
    int v = s3.order[i];
    const PcnNode *nd = &g->nodes[v];
    int d = 0;
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (pv->fw_depth[u] > d) d = pv->fw_depth[u];
    }
    pv->fw_depth[v] = d + 1;
    if (d + 1 > pv->fw_max_depth) pv->fw_max_depth = d + 1;
  }
  return true;
}

PcnAnalysis *pcn_analyze(PcnArena *a, const PcnGraph *g) {
  int n = g->nnodes;
  PcnAnalysis *an = pcn_arena_alloc(a, sizeof *an);
  if (!an) return NULL;
  an->nnodes = n;
  size_t nn = (size_t)n + 1;

  Sub s;
  if (!scc_sub(a, g, NULL, &s)) return NULL;
  an->scc = s.comp;
  an->nsccs = s.ncomp;
  an->topo = s.order;
  an->cycles = s.cycles;
  an->ncycles = s.ncycles;
  an->is_dag = s.ncycles == 0;
  an->on_cycle = pcn_arena_array(a, nn, sizeof(bool));
  an->cycle_of = pcn_arena_array(a, nn, sizeof(int));
  an->level = pcn_arena_array(a, nn, sizeof(int));
  an->scc_level = pcn_arena_array(a, (size_t)s.ncomp + 1, sizeof(int));
  if (!an->on_cycle || !an->cycle_of || !an->level || !an->scc_level) return NULL;

  int nroots = 0;
  for (int v = 0; v < n; v++) {
    int k = s.cycle_of_comp[s.comp[v]];
    an->on_cycle[v] = k >= 0;
    an->cycle_of[v] = k;
    if (g->nodes[v].nin == 0) nroots++;
  }
  an->roots = pcn_arena_array(a, (size_t)nroots + 1, sizeof(int));
  if (!an->roots) return NULL;
  for (int v = 0; v < n; v++)
    if (g->nodes[v].nin == 0) an->roots[an->nroots++] = v;

  /* Levels: longest path from a root, for nodes with no cyclic
   * ancestor-or-self; and the condensation's own longest paths. */
  for (int i = 0; i < n; i++) {
    int v = an->topo[i];
    const PcnNode *nd = &g->nodes[v];
    int c = an->scc[v];
    int lv = an->on_cycle[v] ? -1 : 0;
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      int cu = an->scc[u];
      if (cu != c && an->scc_level[cu] + 1 > an->scc_level[c])
        an->scc_level[c] = an->scc_level[cu] + 1;
      if (lv < 0) continue;
      if (an->level[u] < 0) lv = -1;
      else if (an->level[u] + 1 > lv) lv = an->level[u] + 1;
    }
    an->level[v] = lv;
  }

  int *cyc = malloc(nn * sizeof(int));
  int *froot = malloc(nn * sizeof(int));
  unsigned char *mask = malloc(nn);
  bool ok = cyc && froot && mask;
  /* Evaluation first: its eval mode decides its effective initializers. */
  for (int pi = PCN_PHASE_COUNT - 1; ok && pi >= 0; pi--) {
    PcnPhase p = (PcnPhase)pi;
    PcnPhaseVerdict *pv = &an->phase[p];
    pv->strict = pcn_arena_array(a, nn, sizeof(PcnFwReason));
    pv->strict_cycle = pcn_arena_array(a, nn, sizeof(int));
    pv->strict_root = pcn_arena_array(a, nn, sizeof(int));
    pv->declared = pcn_arena_array(a, nn, sizeof(PcnFwReason));
    pv->declared_cycle = pcn_arena_array(a, nn, sizeof(int));
    pv->fw_depth = pcn_arena_array(a, nn, sizeof(int));
    if (!pv->strict || !pv->strict_cycle || !pv->strict_root || !pv->declared ||
        !pv->declared_cycle || !pv->fw_depth) {
      ok = false;
      break;
    }
    whole_verdict(g, an, p, pv);
    pv->eval_mode = an->phase[PCN_PHASE_EVAL].whole_forward_legal
                        ? PCN_EVAL_FORWARD
                        : PCN_EVAL_INFERENCE;
    strict_verdict(g, an, p, pv, cyc, froot);
    ok = declared_verdict(a, g, p, pv, mask);
  }
  free(cyc);
  free(froot);
  free(mask);
  return ok ? an : NULL;
}
