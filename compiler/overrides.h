/*
 * overrides.h - the KEY=VALUE settings a command line may change, and the
 * graph-level ones that rewrite a model before it is scheduled.
 *
 * `pcnc run --set` changes the train/evaluate blocks (T, alpha, beta,
 * batch, fraction, seed, epochs, eval_T, momentum: driver_run.c). Two keys
 * change the graph itself, for the paper's hyperparameter searches
 * (Appendix C.1):
 *
 *   act=NAME  the activation of every free hidden node: a node with
 *             parents that is not clamped in training;
 *   m=K       hybrid initialization (Eq. 10): the first K free hidden
 *             nodes in topological order use `forward`, the others
 *             `average`. Needs stream-aligned batches and labels.
 *
 * A graph-level override changes initializers, so the analysis and its
 * checks must be redone before scheduling: pcn_override_graph_finish().
 *
 *     for each KEY=VALUE:
 *       if (pcn_override_is_graph_key(key) &&
 *           pcn_override_graph(g, an, tc, classes, key, val, err, n) != 0)
 *         ... usage error: err ...
 *     if (any graph key) {
 *       if (pcn_override_graph_finish(arena, diag, comp, model) != 0) ...
 *       an = pcn_compilation_analysis(comp, model);
 *     }
 */
#ifndef PCN_OVERRIDES_H
#define PCN_OVERRIDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compile.h"
#include "pcn/arena.h"
#include "pcn/diag.h"
#include "pcn/graph.h"

/* "T, alpha, ..., momentum, act, m": for messages. */
extern const char pcn_override_keys_text[];

bool pcn_override_is_run_key(const char *key);   /* train/eval settings */
bool pcn_override_is_graph_key(const char *key); /* act, m */
bool pcn_override_is_key(const char *key);       /* either */

/* Applies a graph-level override to g (whose analysis is an and training
 * block tc; classes is the training data's class count). Returns 0, or -1
 * with a one-line message in err. */
int pcn_override_graph(PcnGraph *g, const PcnAnalysis *an,
                       const PcnTrainConfig *tc, int classes, const char *key,
                       const char *val, char *err, size_t errlen);

/* Redoes the graph analysis of c->models[model] after overrides and the
 * checks that depend on it (pcn_check_model). Errors go to d; returns the
 * number of errors. */
int pcn_override_graph_finish(PcnArena *a, PcnDiag *d, PcnCompilation *c,
                              int model);

/* For `pcnc run`: applies the graph-level keys among keys/vals (run keys
 * are skipped) to c->models[model] with training block tc (after its own
 * overrides), then redoes the analysis and checks. Messages go to errf.
 * Returns 0, 2 for a bad value (usage error) or 1 when the changed model
 * fails its checks. */
int pcn_override_apply_all(PcnArena *a, PcnCompilation *c, int model,
                           const PcnTrainConfig *tc, const char *const *keys,
                           const char *const *vals, int n, FILE *errf,
                           int color);

#endif
