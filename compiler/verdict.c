/*
 * verdict.c - diagnostics that need graph analysis (pcn_check_model) and
 * the `pcnc check` report (pcn_report_check).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "report.h"

static const char *const phase_names[PCN_PHASE_COUNT] = {"training", "evaluation"};

/* A growable string for messages built from cycle paths. */
typedef struct Str {
  char *p;
  size_t len, cap;
} Str;

static void str_add(Str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void str_add(Str *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (s->len + (size_t)n + 1 > s->cap) {
    size_t cap = (s->cap ? s->cap * 2 : 128) + (size_t)n;
    char *p = realloc(s->p, cap);
    if (!p) return;
    s->p = p;
    s->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
  va_end(ap);
  s->len += (size_t)n;
}

static const char *str_get(const Str *s) { return s->p ? s->p : ""; }

/* "h1 -> h2 -> h3 -> h1" */
static void cycle_text(Str *s, const PcnGraph *g, const PcnCycle *c) {
  for (int i = 0; i < c->len; i++) str_add(s, "%s -> ", g->nodes[c->path[i]].name);
  str_add(s, "%s", g->nodes[c->path[0]].name);
}

static int find_edge(const PcnGraph *g, int u, int v) {
  const PcnNode *nd = &g->nodes[u];
  for (int i = 0; i < nd->nout; i++)
    if (g->edges[nd->out_edges[i]].dst == v) return nd->out_edges[i];
  return -1;
}

static PcnSpan init_span(const PcnNode *nd) {
  return nd->init.span.src ? nd->init.span : nd->span;
}

static void note_cycle_edges(PcnDiag *d, int idx, const PcnGraph *g, const PcnCycle *c) {
  for (int i = 0; i < c->len; i++) {
    int u = c->path[i], v = c->path[(i + 1) % c->len];
    int e = find_edge(g, u, v);
    PcnSpan sp = e >= 0 && g->edges[e].span.src ? g->edges[e].span : g->nodes[u].span;
    pcn_diag_note(d, idx, sp, "edge %s -> %s of the cycle", g->nodes[u].name,
                  g->nodes[v].name);
  }
}

int pcn_memory_reach_problem(const PcnGraph *g, const PcnAnalysis *an,
                             const PcnTrainConfig *tc, int from, char *msg, size_t n) {
  if (g->nmemories == 0 || tc->method != PCN_METHOD_PC) return -1;
  int *step = malloc(((size_t)g->nnodes + 1) * sizeof *step);
  if (!step || pcn_first_move_steps(g, an, PCN_PHASE_TRAIN, step) != 0) {
    free(step);
    return -1;
  }
  int found = -1;
  for (int v = from < 0 ? 0 : from; v < g->nnodes && found < 0; v++) {
    const PcnNode *nd = &g->nodes[v];
    if (nd->init.kind != PCN_INIT_MEMORY || nd->clamp_train) continue;
    if (step[v] >= 0 && step[v] <= tc->T) continue;
    const char *mem = nd->init.memory >= 0 ? g->memories[nd->init.memory].name : "?";
    if (step[v] < 0)
      snprintf(msg, n, "no inference error ever reaches '%s', so memory '%s' never learns "
               "(Eq. 9's loss is 0)", nd->name, mem);
    else
      snprintf(msg, n, "'%s' first moves at inference step %d (errors travel one edge per "
               "step), but training has T = %d: it keeps its retrieved value, Eq. 9's "
               "loss is 0 and memory '%s' does not learn", nd->name, step[v], tc->T, mem);
    found = v;
  }
  free(step);
  return found;
}

/* A memory learns from h^(T) - h^(0) of its targets (Eq. 9): warn where
 * a train block's T is too short for any error to reach a target. */
static void check_memory_reach(PcnDiag *d, const PcnCompilation *c, int model) {
  const PcnGraph *g = c->models[model];
  for (int t = 0; t < c->ntrains; t++) {
    const PcnTrainConfig *tc = &c->trains[t];
    if (tc->model != model) continue;
    char msg[400];
    for (int v = -1; (v = pcn_memory_reach_problem(g, c->analyses[model], tc, v + 1, msg,
                                                   sizeof msg)) >= 0;) {
      int idx = pcn_diag_warning(d, init_span(&g->nodes[v]), "%s", msg);
      pcn_diag_note(d, idx, tc->span, "the train block of '%s' is here", g->name);
    }
  }
}

void pcn_check_model(PcnDiag *d, const PcnCompilation *c, int model) {
  if (!c || model < 0 || model >= c->nmodels || !c->analyses) return;
  const PcnGraph *g = c->models[model];
  const PcnAnalysis *an = c->analyses[model];
  if (!g || !an) return;
  unsigned char *reported = calloc((size_t)g->nnodes + 1, 1);
  if (!reported) return;

  /* `init forward` on a root, then cycles among forward nodes. */
  for (int p = 0; p < PCN_PHASE_COUNT; p++) {
    const PcnPhaseVerdict *pv = &an->phase[p];
    for (int v = 0; v < g->nnodes; v++) {
      const PcnNode *nd = &g->nodes[v];
      if (nd->init.kind != PCN_INIT_FORWARD || reported[v]) continue;
      if (pv->declared[v] == PCN_FW_NO_PARENTS) {
        pcn_diag_error(d, init_span(nd),
                       "node '%s' cannot be initialized by forward: it has no parents "
                       "(a root has nothing to predict it from)",
                       nd->name);
        reported[v] = 1;
      }
    }
    for (int k = 0; k < pv->nfw_cycles; k++) {
      const PcnCycle *cy = &pv->fw_cycles[k];
      bool seen = false;
      for (int i = 0; i < cy->len; i++) seen |= reported[cy->path[i]] != 0;
      if (seen) continue;
      Str s = {0};
      cycle_text(&s, g, cy);
      const PcnNode *first = &g->nodes[cy->path[0]];
      int idx = pcn_diag_error(d, init_span(first),
                               "nodes initialized by forward form a cycle in %s: %s "
                               "(forward initialization needs an acyclic order)",
                               phase_names[p], str_get(&s));
      note_cycle_edges(d, idx, g, cy);
      free(s.p);
      for (int i = 0; i < cy->len; i++) reported[cy->path[i]] = 1;
    }
  }

  /* Memories: every query node must be observed wherever a node initialized
   * from the memory is free and actually uses it. */
  for (int m = 0; m < g->nmemories; m++) {
    const PcnMemory *mem = &g->memories[m];
    for (int p = 0; p < PCN_PHASE_COUNT; p++) {
      int user = -1;
      for (int v = 0; v < g->nnodes && user < 0; v++) {
        const PcnNode *nd = &g->nodes[v];
        if (nd->init.kind == PCN_INIT_MEMORY && nd->init.memory == m &&
            !pcn_node_clamped(nd, (PcnPhase)p) &&
            pcn_effective_init(g, an, v, (PcnPhase)p) == PCN_INIT_MEMORY)
          user = v;
      }
      if (user < 0) continue;
      for (int i = 0; i < mem->nquery; i++) {
        const PcnNode *q = &g->nodes[mem->query[i]];
        if (pcn_node_clamped(q, (PcnPhase)p)) continue;
        int idx = pcn_diag_error(d, mem->span,
                                 "memory '%s' queries node '%s', which is not clamped in "
                                 "%s, where node '%s' is initialized from it",
                                 mem->name, q->name, phase_names[p], g->nodes[user].name);
        pcn_diag_note(d, idx, q->span, "'%s' declared here", q->name);
        pcn_diag_note(d, idx, init_span(&g->nodes[user]), "'%s' uses memory '%s' here",
                      g->nodes[user].name, mem->name);
      }
    }
  }

  /* Backprop baseline needs a DAG; evaluation by inference needs steps. */
  for (int i = 0; i < c->ntrains; i++) {
    const PcnTrainConfig *t = &c->trains[i];
    if (t->model != model || t->method != PCN_METHOD_BP || an->is_dag) continue;
    Str s = {0};
    cycle_text(&s, g, &an->cycles[0]);
    int idx = pcn_diag_error(d, t->method_span.src ? t->method_span : t->span,
                             "method bp needs an acyclic model, but '%s' has the cycle %s",
                             g->name, str_get(&s));
    note_cycle_edges(d, idx, g, &an->cycles[0]);
    free(s.p);
  }
  for (int i = 0; i < c->nevals; i++) {
    const PcnEvalConfig *e = &c->evals[i];
    if (e->model != model || an->phase[PCN_PHASE_EVAL].eval_mode != PCN_EVAL_INFERENCE ||
        e->T > 0)
      continue;
    const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_EVAL];
    Str s = {0};
    if (pv->whole_reason == PCN_FW_CYCLE && pv->whole_cycle >= 0) {
      str_add(&s, "it has the cycle ");
      cycle_text(&s, g, &an->cycles[pv->whole_cycle]);
    } else if (pv->whole_root >= 0) {
      str_add(&s, "root '%s' is not clamped in evaluation", g->nodes[pv->whole_root].name);
    }
    pcn_diag_error(d, e->steps_span.src ? e->steps_span : e->span,
                   "model '%s' is evaluated by inference (%s), but the evaluation has 0 "
                   "inference steps",
                   g->name, str_get(&s));
    free(s.p);
  }
  check_memory_reach(d, c, model);
  free(reported);
}

/* ---- pcnc check ---------------------------------------------------- */

static const char *const init_names[PCN_INIT_COUNT] = {
    "zero", "random", "null", "forward", "average", "memory"};

static void print_reason(FILE *out, const PcnGraph *g, const PcnAnalysis *an,
                         PcnFwReason r, int cycle, int root) {
  switch (r) {
  case PCN_FW_OK: fputs("legal", out); break;
  case PCN_FW_CLAMPED: fputs("clamped", out); break;
  case PCN_FW_NO_PARENTS: fputs("illegal: a root, nothing predicts it", out); break;
  case PCN_FW_CYCLE:
    fputs("illegal: on or below the cycle", out);
    if (cycle >= 0) {
      Str s = {0};
      cycle_text(&s, g, &an->cycles[cycle]);
      fprintf(out, " %s", str_get(&s));
      free(s.p);
    }
    break;
  case PCN_FW_FREE_ROOT:
    fprintf(out, "illegal: depends on the free root '%s'",
            root >= 0 ? g->nodes[root].name : "?");
    break;
  }
}

void pcn_report_check(FILE *out, const PcnCompilation *c, int model) {
  if (!c || model < 0 || model >= c->nmodels || !c->analyses) return;
  const PcnGraph *g = c->models[model];
  const PcnAnalysis *an = c->analyses[model];
  if (!g || !an) return;
  fprintf(out, "model %s: %d node%s, %d edge%s\n", g->name, g->nnodes,
          g->nnodes == 1 ? "" : "s", g->nedges, g->nedges == 1 ? "" : "s");
  for (int e = 0; e < g->nedges; e++)
    fprintf(out, "  edge %s -> %s\n", g->nodes[g->edges[e].src].name,
            g->nodes[g->edges[e].dst].name);
  if (an->is_dag) {
    fputs("cycles: none (the model is a DAG)\n", out);
  } else {
    fprintf(out, "cycles: %d\n", an->ncycles);
    for (int k = 0; k < an->ncycles; k++) {
      Str s = {0};
      cycle_text(&s, g, &an->cycles[k]);
      fprintf(out, "  %s\n", str_get(&s));
      free(s.p);
    }
  }
  fputs("roots:", out);
  if (an->nroots == 0) fputs(" none", out);
  fputc('\n', out);
  for (int i = 0; i < an->nroots; i++) {
    const PcnNode *r = &g->nodes[an->roots[i]];
    fprintf(out, "  %s: %s in training, %s in evaluation\n", r->name,
            r->clamp_train ? "clamped" : "free", r->clamp_eval ? "clamped" : "free");
  }
  for (int p = 0; p < PCN_PHASE_COUNT; p++) {
    const PcnPhaseVerdict *pv = &an->phase[p];
    fprintf(out, "whole-network forward initialization in %s (Proposition 3.2): ",
            phase_names[p]);
    if (pv->whole_forward_legal) {
      fputs("legal (a DAG whose roots are all clamped)\n", out);
    } else if (pv->whole_reason == PCN_FW_CYCLE) {
      Str s = {0};
      cycle_text(&s, g, &an->cycles[pv->whole_cycle >= 0 ? pv->whole_cycle : 0]);
      fprintf(out, "illegal: the model has the cycle %s\n", str_get(&s));
      free(s.p);
    } else {
      fprintf(out, "illegal: root '%s' is not clamped\n",
              pv->whole_root >= 0 ? g->nodes[pv->whole_root].name : "?");
    }
  }
  for (int p = 0; p < PCN_PHASE_COUNT; p++) {
    const PcnPhaseVerdict *pv = &an->phase[p];
    fprintf(out, "forward from data, per node, in %s:\n", phase_names[p]);
    for (int v = 0; v < g->nnodes; v++) {
      fprintf(out, "  %s: ", g->nodes[v].name);
      print_reason(out, g, an, pv->strict[v], pv->strict_cycle[v], pv->strict_root[v]);
      fputc('\n', out);
    }
  }
  fprintf(out, "evaluation: %s\n",
          an->phase[PCN_PHASE_EVAL].eval_mode == PCN_EVAL_FORWARD
              ? "forward pass (F = 0 after one sweep)"
              : "iterative inference on the free nodes");
  fputs("initializers each node may use (training / evaluation):\n", out);
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    fprintf(out, "  %s (declared %s):", nd->name,
            (unsigned)nd->init.kind < PCN_INIT_COUNT ? init_names[nd->init.kind] : "?");
    for (int p = 0; p < PCN_PHASE_COUNT; p++) {
      const PcnPhaseVerdict *pv = &an->phase[p];
      fputs(p ? " / " : " ", out);
      if (pcn_node_clamped(nd, (PcnPhase)p)) {
        fputs("clamped", out);
        continue;
      }
      /* zero, random and null need nothing; forward needs parents outside a
       * forward cycle; average needs labels (training only, else it falls
       * back); memory needs a declared memory. */
      fputs("zero random null", out);
      bool fw_ok = nd->nin > 0 && !(nd->init.kind == PCN_INIT_FORWARD &&
                                    pv->declared[v] != PCN_FW_OK);
      if (fw_ok) fputs(" forward", out);
      if (p == PCN_PHASE_TRAIN) fputs(" average", out);
      if (g->nmemories > 0) fputs(" memory", out);
      fprintf(out, " -> uses %s",
              init_names[pcn_effective_init(g, an, v, (PcnPhase)p)]);
    }
    fputc('\n', out);
  }
}
