/* test_average.c - the stream-aligned average initializer (Eq. 7, hybrid
 * Eq. 10, Algorithm 1) against a direct computation of the equations.
 *
 * The model is a small hybrid chain x -> h1 (forward) -> h2 (average) ->
 * h3 (average) -> y (label), so h1 is the Eq. 10 case l <= m and h2, h3
 * the case l > m. The test runs batches with known labels and checks
 * h^(0,b+1) against class means of h^(T,b) that it computes itself from
 * the state it read right after the last inference step (before
 * learning), the forward fallback against a forward pass it computes in
 * double, the zero fallback, classes missing from a batch, the schedule's
 * SMM counts, and the JIT against the reference with labels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "pcn/activations.h"
#include "pcn/analysis.h"
#include "pcn/arena.h"
#include "pcn/exec.h"
#include "pcn/optim.h"
#include "pcn/rng.h"
#include "pcn/schedule.h"
#include "testgraph.h"
#include "testutil.h"

#define MAXN 8
#define NB 8 /* rows per batch */

enum { X, H1, H2, H3, Y };
#define C 3 /* classes = size of y */

/* x[4] -> h1[5] forward -> h2[6] average -> h3[5] average -> y[3]; no
 * bias on the root x. */
static void hybrid(TGraph *t, PcnInitKind h1, PcnInitKind h23) {
  tg_init(t, "avg");
  tg_node(t, "x", 4, PCN_ACT_IDENTITY, TG_INPUT, PCN_INIT_ZERO);
  tg_node(t, "h1", 5, PCN_ACT_TANH, TG_FREE, h1);
  tg_node(t, "h2", 6, PCN_ACT_GELU, TG_FREE, h23);
  tg_node(t, "h3", 5, PCN_ACT_SIGMOID, TG_FREE, h23);
  tg_node(t, "y", C, PCN_ACT_IDENTITY, TG_TARGET, PCN_INIT_ZERO);
  tg_edge(t, X, H1), tg_edge(t, H1, H2), tg_edge(t, H2, H3), tg_edge(t, H3, Y);
  t->g.nodes[X].bias = false;
}

typedef TRun Run;

static int run_open(Run *r, TGraph *t, int T, const PcnBackend *be) {
  PcnTrainConfig tc;
  memset(&tc, 0, sizeof tc);
  tc.fraction = 1.0f;
  tc.batch = NB;
  tc.epochs = 1;
  tc.T = T;
  tc.inference.kind = PCN_OPT_SGD;
  tc.inference.lr = 0.2f;
  tc.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
  tc.learning.lr = 1e-2f;
  tc.method = PCN_METHOD_PC;
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = NB;
  cfg.train_inference = tc.inference;
  cfg.learning = tc.learning;
  cfg.seed = 5;
  cfg.backend = be;
  cfg.initializers[PCN_INIT_AVERAGE] = pcn_initializer_average();
  int rc = trun_open(r, &t->g, &tc, NULL, 100, &cfg);
  if (rc) printf("\n  plan: %s\n", r->err);
  return rc;
}

/* Inputs drawn per batch; y one-hot of the labels. */
static void clamps(Run *r, const int *labels, int n, PcnRng *rng) {
  float x[NB * 4], y[NB * C];
  for (int i = 0; i < n * 4; i++) x[i] = (float)(2 * pcn_rng_uniform(rng) - 1);
  memset(y, 0, sizeof y);
  for (int i = 0; i < n; i++) y[i * C + labels[i]] = 1.0f;
  pcn_plan_set_clamp(r->p, X, x, n);
  pcn_plan_set_clamp(r->p, Y, y, n);
}

static double h_at(Run *r, int v, int i, int j) {
  return pcn_plan_node_buffer(r->p, PCN_BUF_H, v)[(size_t)i * r->s->graph->nodes[v].size + j];
}

/* mu_v of row i from the current H of its single parent u, in double
 * (the test's own forward step: act(h_u W + b)). */
static void forward_row(Run *r, int v, int i, double *out) {
  const PcnGraph *g = r->s->graph;
  int e = g->nodes[v].in_edges[0], u = g->edges[e].src;
  int su = g->nodes[u].size, sv = g->nodes[v].size;
  const float *W = pcn_plan_edge_buffer(r->p, PCN_BUF_W, e);
  const float *B = pcn_plan_node_buffer(r->p, PCN_BUF_B, v);
  for (int j = 0; j < sv; j++) {
    double a = B[j];
    for (int k = 0; k < su; k++) a += h_at(r, u, i, k) * W[(size_t)k * sv + j];
    float af = (float)a, mu;
    pcn_act_forward(g->nodes[v].act, &af, &mu, 1);
    out[j] = mu;
  }
}

/* One training batch; copies h^(T) of every node (read after the last
 * step, before TRAIN_LEARN) into hT[v][row * size + j]. */
static void batch(Run *r, const int *labels, int n, int T, PcnRng *rng, float hT[][NB * 8]) {
  clamps(r, labels, n, rng);
  CU_ASSERT_EQUAL(pcn_plan_begin_batch(r->p, PCN_PHASE_TRAIN, n, labels), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_INIT, n), 0);
  for (int t = 0; t < T; t++) CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_STEP, n), 0);
  CU_ASSERT_EQUAL(pcn_plan_end_batch(r->p, PCN_PHASE_TRAIN, n, labels), 0);
  if (hT)
    for (int v = 0; v < r->s->graph->nnodes; v++)
      memcpy(hT[v], pcn_plan_node_buffer(r->p, PCN_BUF_H, v),
             (size_t)n * r->s->graph->nodes[v].size * sizeof(float));
  CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_LEARN, n), 0);
}

/* Checks h^(0) of node v in the current batch: rows whose class has a
 * mean in `mean` (C x size, have[c]) equal it, the others equal `other`
 * (NULL: the test's forward step). Returns the largest deviation. */
static double check_rows(Run *r, int v, const int *labels, int n, const double *mean,
                         const bool *have, const double *other) {
  int sz = r->s->graph->nodes[v].size;
  double worst = 0, mu[8];
  for (int i = 0; i < n; i++) {
    const double *want;
    if (have[labels[i]]) {
      want = mean + (size_t)labels[i] * sz;
    } else if (other) {
      want = other;
    } else {
      forward_row(r, v, i, mu);
      want = mu;
    }
    for (int j = 0; j < sz; j++) worst = fmax(worst, fabs(h_at(r, v, i, j) - want[j]));
  }
  return worst;
}

/* Eq. 7 computed by the test: C/n sum over rows of class c = the mean
 * over the n/C rows of that class in an aligned batch. */
static void class_means(const float *hT, const int *labels, int n, int sz, double *mean,
                        bool *have) {
  int cnt[C] = {0};
  double sum[C * 8];
  memset(sum, 0, sizeof sum);
  for (int i = 0; i < n; i++) {
    cnt[labels[i]]++;
    for (int j = 0; j < sz; j++) sum[labels[i] * sz + j] += hT[i * sz + j];
  }
  for (int c = 0; c < C; c++) {
    if (!cnt[c]) continue; /* absent: keep the old mean */
    have[c] = true;
    for (int j = 0; j < sz; j++) mean[c * sz + j] = sum[c * sz + j] / cnt[c];
  }
}

static float hT[MAXN][NB * 8];

/* Eq. 7/10 on aligned batches: batch b+1 starts at class means of h^(T,b)
 * for h2 and h3 and at the forward prediction for h1. */
static void test_equation_7(void) {
  TGraph t;
  hybrid(&t, PCN_INIT_FORWARD, PCN_INIT_AVERAGE);
  Run r;
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, 4, NULL), 0);
  PcnRng rng;
  pcn_rng_init(&rng, 3, 0);
  /* aligned batches: the rows of each class in a fixed stream order,
   * shuffled differently per batch so that row i is not "the same" row */
  static const int lab[3][NB] = {{0, 1, 2, 0, 1, 2, 0, 1},
                                 {2, 2, 1, 0, 0, 1, 1, 0},
                                 {1, 0, 2, 2, 0, 1, 2, 0}};
  double mean2[C * 8], mean3[C * 8];
  bool have[C] = {false, false, false}, none[C] = {false, false, false};
  double worst = 0;
  for (int b = 0; b < 3; b++) {
    clamps(&r, lab[b], NB, &rng);
    CU_ASSERT_EQUAL(pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, lab[b]), 0);
    CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_INIT, NB), 0);
    /* h1 is forward in every batch (Eq. 10, l <= m) */
    worst = fmax(worst, check_rows(&r, H1, lab[b], NB, NULL, none, NULL));
    if (b == 0) {
      /* first batch: no means, forward fallback all the way down */
      worst = fmax(worst, check_rows(&r, H2, lab[b], NB, NULL, none, NULL));
      worst = fmax(worst, check_rows(&r, H3, lab[b], NB, NULL, none, NULL));
    } else {
      worst = fmax(worst, check_rows(&r, H2, lab[b], NB, mean2, have, NULL));
      worst = fmax(worst, check_rows(&r, H3, lab[b], NB, mean3, have, NULL));
    }
    for (int s = 0; s < 4; s++) CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_STEP, NB), 0);
    CU_ASSERT_EQUAL(pcn_plan_end_batch(r.p, PCN_PHASE_TRAIN, NB, lab[b]), 0);
    /* h^(T,b): after the last step, before learning */
    for (int v = 0; v < MAXN && v < t.g.nnodes; v++)
      memcpy(hT[v], pcn_plan_node_buffer(r.p, PCN_BUF_H, v),
             (size_t)NB * t.g.nodes[v].size * sizeof(float));
    class_means(hT[H2], lab[b], NB, t.g.nodes[H2].size, mean2, have);
    class_means(hT[H3], lab[b], NB, t.g.nodes[H3].size, mean3, have);
    CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_LEARN, NB), 0);
  }
  printf("\n  Eq. 7/10: largest deviation from the direct computation %.3g\n", worst);
  CU_ASSERT(worst < 1e-5);
  /* The means are not the forward values (otherwise the test proves
   * nothing): h^(T) moved away from mu during inference. */
  double mu[8], diff = 0;
  forward_row(&r, H3, 0, mu);
  for (int j = 0; j < t.g.nodes[H3].size; j++) diff = fmax(diff, fabs(h_at(&r, H3, 0, j) - mu[j]));
  CU_ASSERT(diff > 1e-4);
  trun_close(&r);
  tg_free(&t);
}

/* A class seen in no batch yet falls back to forward (per row), a class
 * absent from the last batch keeps the mean of the batch that had it. */
static void test_missing_classes(void) {
  TGraph t;
  hybrid(&t, PCN_INIT_FORWARD, PCN_INIT_AVERAGE);
  Run r;
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, 3, NULL), 0);
  PcnRng rng;
  pcn_rng_init(&rng, 4, 0);
  static const int only0[NB] = {0, 0, 0, 0, 0, 0, 0, 0};
  static const int only1[NB] = {1, 1, 1, 1, 1, 1, 1, 1};
  static const int mixed[NB] = {0, 1, 2, 0, 1, 2, 1, 0};
  double mean2[C * 8], mean3[C * 8];
  bool have[C] = {false, false, false};
  batch(&r, only0, NB, 3, &rng, hT);
  class_means(hT[H2], only0, NB, t.g.nodes[H2].size, mean2, have);
  class_means(hT[H3], only0, NB, t.g.nodes[H3].size, mean3, have);
  batch(&r, only1, NB, 3, &rng, hT); /* class 1: forward fallback */
  class_means(hT[H2], only1, NB, t.g.nodes[H2].size, mean2, have);
  class_means(hT[H3], only1, NB, t.g.nodes[H3].size, mean3, have);
  CU_ASSERT(have[0] && have[1] && !have[2]);
  /* class 0 from batch 0 (absent from batch 1), class 1 from batch 1,
   * class 2 never seen: forward fallback on its rows only */
  clamps(&r, mixed, NB, &rng);
  pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, mixed);
  CU_ASSERT(pcn_plan_fallback_active(r.p, PCN_PHASE_TRAIN));
  CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_INIT, NB), 0);
  double w2 = check_rows(&r, H2, mixed, NB, mean2, have, NULL);
  double w3 = check_rows(&r, H3, mixed, NB, mean3, have, NULL);
  CU_ASSERT(w2 < 1e-5);
  CU_ASSERT(w3 < 1e-5);
  /* no labels: every row falls back */
  pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, NULL);
  CU_ASSERT(pcn_plan_fallback_active(r.p, PCN_PHASE_TRAIN));
  /* all classes known: the fallback sweep does not run, so A of h2 keeps
   * a sentinel (no product is spent on average nodes) */
  static const int two[NB] = {0, 1, 0, 1, 0, 1, 0, 1};
  pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, two);
  CU_ASSERT(!pcn_plan_fallback_active(r.p, PCN_PHASE_TRAIN));
  float *a2 = pcn_plan_node_buffer(r.p, PCN_BUF_A, H2);
  a2[0] = 12345.0f;
  CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_INIT, NB), 0);
  CU_ASSERT_EQUAL(a2[0], 12345.0f);
  CU_ASSERT(check_rows(&r, H2, two, NB, mean2, have, NULL) < 1e-6);
  /* evaluation never averages (labels unknown) */
  CU_ASSERT(!pcn_plan_fallback_active(r.p, PCN_PHASE_EVAL));
  trun_close(&r);
  tg_free(&t);
}

/* Where forward is illegal (a cycle through average nodes) the fallback
 * is zero; with a mean, the mean. */
static void test_zero_fallback(void) {
  TGraph t;
  hybrid(&t, PCN_INIT_FORWARD, PCN_INIT_AVERAGE);
  tg_edge(&t, H3, H2); /* h2 <-> h3: forward cannot order them */
  Run r;
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, 2, NULL), 0);
  CU_ASSERT_NOT_EQUAL(r.an->phase[PCN_PHASE_TRAIN].declared[H2], PCN_FW_OK);
  PcnRng rng;
  pcn_rng_init(&rng, 5, 0);
  static const int lab[NB] = {0, 1, 0, 1, 0, 1, 0, 1};
  static const int lab2[NB] = {2, 1, 0, 2, 1, 0, 2, 1};
  double zero[8] = {0}, mean2[C * 8];
  bool none[C] = {false, false, false}, have[C] = {false, false, false};
  clamps(&r, lab, NB, &rng);
  pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, lab);
  CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_INIT, NB), 0);
  CU_ASSERT(check_rows(&r, H2, lab, NB, NULL, none, zero) == 0.0);
  CU_ASSERT(check_rows(&r, H3, lab, NB, NULL, none, zero) == 0.0);
  for (int s = 0; s < 2; s++) pcn_exec_run(r.p, PCN_PROG_TRAIN_STEP, NB);
  pcn_plan_end_batch(r.p, PCN_PHASE_TRAIN, NB, lab);
  class_means(pcn_plan_node_buffer(r.p, PCN_BUF_H, H2), lab, NB, t.g.nodes[H2].size, mean2, have);
  pcn_exec_run(r.p, PCN_PROG_TRAIN_LEARN, NB);
  clamps(&r, lab2, NB, &rng);
  pcn_plan_begin_batch(r.p, PCN_PHASE_TRAIN, NB, lab2);
  CU_ASSERT_EQUAL(pcn_exec_run(r.p, PCN_PROG_TRAIN_INIT, NB), 0);
  CU_ASSERT(check_rows(&r, H2, lab2, NB, mean2, have, zero) < 1e-6);
  trun_close(&r);
  tg_free(&t);
}

/* Average adds no SMM (Sec. 4.1): a hybrid chain with m forward nodes has
 * init = m + 1, the fallback stages are marked and not counted, and the
 * runtime's count is the same for a fallback batch and a mean batch. */
static void test_smm(void) {
  TGraph t;
  hybrid(&t, PCN_INIT_FORWARD, PCN_INIT_AVERAGE);
  Run r;
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, 3, NULL), 0);
  CU_ASSERT_EQUAL(r.s->smm.init, 2); /* m = 1: h1 swept, frontier h2 */
  CU_ASSERT_EQUAL(r.s->smm.per_update, 2 + 2 * 3);
  const PcnPhaseProgram *pi = &r.s->programs[PCN_PROG_TRAIN_INIT];
  int fb_gemm = 0, counted = 0;
  for (int i = 0; i < pi->nstages; i++) {
    const PcnStage *st = &pi->stages[i];
    for (int j = 0; j < st->nops; j++) CU_ASSERT_EQUAL(st->ops[j].fallback, st->fallback);
    if (st->fallback && st->has_gemm) fb_gemm++;
    if (st->fallback) CU_ASSERT_EQUAL(st->smm, 0);
    counted += st->smm;
  }
  CU_ASSERT_EQUAL(fb_gemm, 2); /* h2 and h3 */
  CU_ASSERT_EQUAL(counted, 1);
  PcnRng rng;
  pcn_rng_init(&rng, 6, 0);
  static const int lab[NB] = {0, 1, 2, 0, 1, 2, 0, 1};
  int64_t s0 = pcn_plan_smm_count(r.p);
  batch(&r, lab, NB, 3, &rng, NULL); /* fallback */
  int64_t s1 = pcn_plan_smm_count(r.p);
  batch(&r, lab, NB, 3, &rng, NULL); /* means */
  int64_t s2 = pcn_plan_smm_count(r.p);
  CU_ASSERT_EQUAL(s1 - s0, s2 - s1);
  CU_ASSERT_EQUAL(s2 - s1, 1 + 2 * 3);
  trun_close(&r);
  tg_free(&t);
  /* all hidden average: Eq. 5, 2T */
  hybrid(&t, PCN_INIT_AVERAGE, PCN_INIT_AVERAGE);
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, 3, NULL), 0);
  CU_ASSERT_EQUAL(r.s->smm.init, 0);
  CU_ASSERT_EQUAL(r.s->smm.per_update, 6);
  trun_close(&r);
  tg_free(&t);
}

/* ---- JIT against the reference, with labels ------------------------------ */

/* Tolerance: the JIT's vectorized activations differ from libm by about
 * 3e-7 relative (compiler/codegen.h), so a prediction moves by ~3e-7 of the
 * state scale S, and errors e = h - mu, which are differences of numbers of
 * size S, can be ~1e-8 where the reference computes exactly 0. Hence a
 * relative bound per buffer plus an absolute floor of 1e-6 S. */
static int compare(PcnPlan *a, PcnPlan *b, int n, const char *where) {
  const PcnSchedule *s = pcn_plan_schedule(a);
  double S = 0;
  for (int k = 0; k < s->nbuffers; k++) {
    const PcnBuffer *B = &s->buffers[k];
    if (B->kind != PCN_BUF_H) continue;
    const float *x = pcn_plan_buffer(a, k);
    for (size_t i = 0; i < (size_t)n * B->cols; i++) S = fmax(S, fabs(x[i]));
  }
  for (int k = 0; k < s->nbuffers; k++) {
    const PcnBuffer *B = &s->buffers[k];
    if (pcn_test_jit_scratch(s, k)) continue; /* testutil.h */
    size_t count = (size_t)(B->batch_rows ? n : B->rows) * B->cols;
    const float *x = pcn_plan_buffer(a, k), *y = pcn_plan_buffer(b, k);
    double scale = 0;
    for (size_t i = 0; i < count; i++) scale = fmax(scale, fabs(x[i]));
    for (size_t i = 0; i < count; i++)
      if (isnan(x[i]) != isnan(y[i]) ||
          fabs((double)x[i] - y[i]) > 1e-5 * (scale + fabs(x[i])) + 1e-6 * S) {
        printf("\n  %s: %s[%zu]: reference %.9g, jit %.9g\n", where, B->name, i, (double)x[i],
               (double)y[i]);
        return -1;
      }
  }
  for (int v = 0; v < s->graph->nnodes; v++) {
    double x = pcn_plan_node_energy(a, v), y = pcn_plan_node_energy(b, v);
    if (fabs(x - y) > 1e-4 * fabs(x) + 1e-12) {
      printf("\n  %s: energy of %s: %.12g vs %.12g\n", where, s->graph->nodes[v].name, x, y);
      return -1;
    }
  }
  return 0;
}

static void test_jit_differential(void) {
  static const PcnInitKind first[] = {PCN_INIT_FORWARD, PCN_INIT_AVERAGE};
  for (int variant = 0; variant < 2; variant++) {
    TGraph t;
    hybrid(&t, first[variant], PCN_INIT_AVERAGE);
    Run ref, jit;
    CU_ASSERT_EQUAL_FATAL(run_open(&ref, &t, 3, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(run_open(&jit, &t, 3, pcn_backend_jit()), 0);
    PcnRng r1, r2;
    pcn_rng_init(&r1, 8, 0);
    pcn_rng_init(&r2, 8, 0);
    /* fallback, means, a class missing, a short last batch, no labels */
    static const int lab[5][NB] = {{0, 1, 2, 0, 1, 2, 0, 1},
                                   {2, 1, 0, 2, 1, 0, 2, 1},
                                   {0, 0, 1, 1, 0, 0, 1, 1},
                                   {1, 2, 0, 1, 2, 0, 1, 2},
                                   {2, 0, 1, 2, 0, 1, 2, 0}};
    int rc = 0;
    for (int b = 0; b < 5 && !rc; b++) {
      int n = b == 3 ? 5 : NB;
      const int *l = b == 4 ? NULL : lab[b];
      static const int dummy[NB] = {0};
      clamps(&ref, l ? l : dummy, n, &r1);
      clamps(&jit, l ? l : dummy, n, &r2);
      pcn_plan_begin_batch(ref.p, PCN_PHASE_TRAIN, n, l);
      pcn_plan_begin_batch(jit.p, PCN_PHASE_TRAIN, n, l);
      PcnProgramKind seq[6] = {PCN_PROG_TRAIN_INIT, PCN_PROG_TRAIN_STEP, PCN_PROG_TRAIN_STEP,
                               PCN_PROG_TRAIN_STEP, -1, PCN_PROG_TRAIN_LEARN};
      for (int k = 0; k < 6 && !rc; k++) {
        if ((int)seq[k] < 0) {
          pcn_plan_end_batch(ref.p, PCN_PHASE_TRAIN, n, l);
          pcn_plan_end_batch(jit.p, PCN_PHASE_TRAIN, n, l);
          continue;
        }
        CU_ASSERT_EQUAL(pcn_exec_run(ref.p, seq[k], n), 0);
        CU_ASSERT_EQUAL(pcn_exec_run(jit.p, seq[k], n), 0);
        char where[96];
        snprintf(where, sizeof where, "variant %d batch %d after %s", variant, b,
                 pcn_program_name(seq[k]));
        rc = compare(ref.p, jit.p, n, where);
      }
    }
    CU_ASSERT_EQUAL(rc, 0);
    trun_close(&ref);
    trun_close(&jit);
    tg_free(&t);
  }
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"Eq. 7/10: h(0,b+1) = class means of h(T,b), forward on l <= m", test_equation_7},
      {"first batch, unseen and missing classes, no labels", test_missing_classes},
      {"zero fallback where forward is illegal", test_zero_fallback},
      {"SMMs: average adds none, fallback not counted", test_smm},
      {"JIT vs reference with labels", test_jit_differential},
      {NULL, NULL}};
  if (pcn_test_add_suite("average", cases)) return 1;
  return pcn_test_main();
}
