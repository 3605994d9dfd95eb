/* testgraph.h - Graph IR (PcnGraph) built by hand for the unit tests, and
 * the way from such a graph to its analysis, schedule and plan.
 *
 *     TGraph t;
 *     tg_init(&t, "m");
 *     int x = tg_node(&t, "x", 4, PCN_ACT_IDENTITY, TG_INPUT, PCN_INIT_ZERO);
 *     int y = tg_node(&t, "y", 3, PCN_ACT_SIGMOID, TG_TARGET, PCN_INIT_FORWARD);
 *     tg_edge(&t, x, y);           // in_edges/out_edges are kept up to date
 *     ... use t.g ...
 *     tg_free(&t);
 */
#ifndef PCN_TESTGRAPH_H
#define PCN_TESTGRAPH_H

#include <stdint.h>

#include "compile.h"
#include "pcn/analysis.h"
#include "pcn/arena.h"
#include "pcn/exec.h"
#include "pcn/graph.h"
#include "pcn/schedule.h"
#include "pcn/train.h"

typedef struct TGraph {
  PcnGraph g;
  PcnArena arena; /* node names; tests may allocate their analysis here */
  int cap_nodes, cap_edges;
} TGraph;

/* tg_node's clamp codes. */
enum {
  TG_FREE = 0,  /* not clamped */
  TG_INPUT = 1, /* image, clamped in training and evaluation */
  TG_TARGET = 2 /* label, clamped in training only */
};

/* An empty graph called `name` (a string that outlives the graph). */
void tg_init(TGraph *t, const char *name);
/* A graph "m" of n bare nodes n0 .. n(n-1): size 4, bias, and nothing
 * else (identity, init zero, free, no declared dims). */
void tg_init_n(TGraph *t, int n);
/* Adds a node of `size` elements (dims [size]) with a bias, activation
 * act, initializer init and clamp code TG_*; name NULL means "n<index>".
 * Returns its index. */
int tg_node(TGraph *t, const char *name, int size, PcnActivation act, int clamp,
            PcnInitKind init);
/* Adds the dense edge u -> v (to the end of u's out_edges and v's
 * in_edges); returns its index. */
int tg_edge(TGraph *t, int u, int v);
/* Room for n edges in all, so that adding them does not reallocate. */
void tg_reserve_edges(TGraph *t, int n);
void tg_clamp(TGraph *t, int v, PcnClampSource src, bool train, bool eval);
void tg_set_init(TGraph *t, int v, PcnInitKind k);
/* dst = a copy of src that shares nothing with it. */
void tg_copy(TGraph *dst, const TGraph *src);
void tg_free(TGraph *t);

/* ---- analysis, schedule and plan of a graph ------------------------------ */

typedef struct TRun {
  PcnArena arena; /* an and s */
  PcnAnalysis *an;
  PcnSchedule *s;
  PcnPlan *p;
  char err[256];
} TRun;

/* Analyzes g, builds its schedule for (tc, ec, samples) and a plan with
 * cfg. 0, or -1 with r->err set. Call trun_close either way. */
int trun_open(TRun *r, const PcnGraph *g, const PcnTrainConfig *tc, const PcnEvalConfig *ec,
              int64_t samples, const PcnPlanConfig *cfg);
void trun_close(TRun *r);

/* ---- compiled sources ---------------------------------------------------- */

/* Compiles src (called `file` in messages) into arena, diagnostics into
 * diag (both initialized by the caller); on errors prints them to stderr
 * and returns NULL. */
PcnCompilation *tg_compile(PcnArena *arena, PcnDiag *diag, const char *file, const char *src);

/* A source compiled up to a trainer's spec: its first train block (copied
 * into `train`, which a test may change before making the trainer), the
 * model's analysis and schedule, and its first evaluate block. */
typedef struct TSpec {
  PcnArena arena;
  PcnDiag diag;
  PcnCompilation *c;
  PcnTrainConfig train;
  PcnTrainSpec spec;
} TSpec;

/* 0, or -1 (compile errors printed; no train or evaluate block; no
 * schedule). Call tspec_close either way. */
int tspec_open(TSpec *u, const char *file, const char *src);
void tspec_close(TSpec *u);

#endif
