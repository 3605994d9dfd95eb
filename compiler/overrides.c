/*
 * overrides.c - command-line keys and the graph-level overrides act= and
 * m= (see overrides.h).
 */
#include "overrides.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcn/analysis.h"

static const char *const run_keys[] = {
    "T",      "alpha",  "beta",     "batch",      "fraction", "seed",
    "epochs", "eval_T", "momentum", "eval_alpha", "method",   "sampling"};
static const char *const graph_keys[] = {"act", "m"};

const char pcn_override_keys_text[] =
    "T, alpha, beta, batch, fraction, seed, epochs, eval_T, momentum, "
    "eval_alpha, method, sampling, act, m";

static bool in(const char *key, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(key, list[i]) == 0) return true;
  return false;
}

bool pcn_override_is_run_key(const char *key) {
  return in(key, run_keys, sizeof run_keys / sizeof run_keys[0]);
}

bool pcn_override_is_graph_key(const char *key) {
  return in(key, graph_keys, sizeof graph_keys / sizeof graph_keys[0]);
}

bool pcn_override_is_key(const char *key) {
  return pcn_override_is_run_key(key) || pcn_override_is_graph_key(key);
}

/* Free hidden: predicted by parents and not fixed to data in training. */
static bool free_hidden(const PcnNode *v) {
  return v->nin > 0 && !v->clamp_train;
}

static int set_act(PcnGraph *g, const char *val, char *err, size_t errlen) {
  int a = pcn_activation_from_name(val);
  if (a < 0) {
    char names[256] = "";
    for (int k = 0; k < PCN_ACT_COUNT; k++) {
      size_t used = strlen(names);
      snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
               pcn_activation_name((PcnActivation)k));
    }
    snprintf(err, errlen, "act=%s: unknown activation (known: %s)", val,
             names);
    return -1;
  }
  int n = 0;
  for (int i = 0; i < g->nnodes; i++)
    if (free_hidden(&g->nodes[i])) {
      g->nodes[i].act = (PcnActivation)a;
      n++;
    }
  if (n == 0) {
    snprintf(err, errlen, "act=%s: model '%s' has no free hidden node", val,
             g->name);
    return -1;
  }
  return 0;
}

static int set_m(PcnGraph *g, const PcnAnalysis *an, const PcnTrainConfig *tc,
                 int classes, const char *val, char *err, size_t errlen) {
  char *end;
  errno = 0;
  long k = strtol(val, &end, 10);
  if (!*val || *end || errno || k < 0) {
    snprintf(err, errlen, "m=%s: expected a count of nodes (0 or more)", val);
    return -1;
  }
  /* Eq. 10 averages over the classes of stream-aligned batches: without
   * them the average initializer has nothing to average. */
  if (tc->sampling != PCN_SAMPLE_ALIGNED) {
    snprintf(err, errlen, "m=%s: hybrid initialization needs stream-aligned "
             "batches (write `batch N aligned` in the train block)", val);
    return -1;
  }
  if (classes <= 0) {
    snprintf(err, errlen, "m=%s: hybrid initialization needs labels, and "
             "the training data has none", val);
    return -1;
  }
  /* "The first K in topological order" is defined only on a DAG, and
   * forward initialization is illegal on cycles anyway (Prop. 3.2). */
  if (!an->is_dag) {
    snprintf(err, errlen, "m=%s: model '%s' has a cycle, so its nodes have "
             "no topological order for forward initialization", val,
             g->name);
    return -1;
  }
  int nfree = 0;
  for (int i = 0; i < g->nnodes; i++) nfree += free_hidden(&g->nodes[i]);
  if (k > nfree) {
    snprintf(err, errlen, "m=%s: model '%s' has only %d free hidden nodes",
             val, g->name, nfree);
    return -1;
  }
  /* an->topo orders the condensation; on a DAG that is the nodes. Ties
   * within a level keep topo's (declaration) order. */
  int seen = 0;
  for (int t = 0; t < an->nnodes; t++) {
    PcnNode *v = &g->nodes[an->topo[t]];
    if (!free_hidden(v)) continue;
    v->init.kind = seen < k ? PCN_INIT_FORWARD : PCN_INIT_AVERAGE;
    seen++;
  }
  return 0;
}

int pcn_override_graph(PcnGraph *g, const PcnAnalysis *an,
                       const PcnTrainConfig *tc, int classes, const char *key,
                       const char *val, char *err, size_t errlen) {
  if (strcmp(key, "act") == 0) return set_act(g, val, err, errlen);
  if (strcmp(key, "m") == 0)
    return set_m(g, an, tc, classes, val, err, errlen);
  snprintf(err, errlen, "'%s' is not a graph-level key (act, m)", key);
  return -1;
}

int pcn_override_graph_finish(PcnArena *a, PcnDiag *d, PcnCompilation *c,
                              int model) {
  PcnAnalysis *an = pcn_analyze(a, c->models[model]);
  if (!an) {
    pcn_diag_error(d, pcn_no_span, "out of memory analyzing '%s'",
                   c->models[model]->name);
    return d->nerrors;
  }
  c->analyses[model] = an;
  int before = d->nerrors;
  pcn_check_model(d, c, model);
  return d->nerrors - before;
}

int pcn_override_apply_all(PcnArena *a, PcnCompilation *c, int model,
                           const PcnTrainConfig *tc, const char *const *keys,
                           const char *const *vals, int n, FILE *errf,
                           int color) {
  const PcnDataset *ds = &c->datasets[tc->dataset];
  bool changed = false;
  for (int k = 0; k < n; k++) {
    if (!pcn_override_is_graph_key(keys[k])) continue;
    char err[512];
    if (pcn_override_graph(c->models[model],
                           pcn_compilation_analysis(c, model), tc, ds->classes,
                           keys[k], vals[k], err, sizeof err) != 0) {
      fprintf(errf, "pcnc run: --set %s\n", err);
      return 2;
    }
    changed = true;
  }
  if (!changed) return 0;
  /* A diagnostics sink of its own: the compilation's was printed already.
   * Spans point at sources that the compilation's sink keeps alive. */
  PcnDiag d;
  pcn_diag_init(&d);
  int nerr = pcn_override_graph_finish(a, &d, c, model);
  pcn_diag_print(&d, errf, color);
  pcn_diag_free(&d);
  return nerr ? 1 : 0;
}
