/* test_bp.c - the backprop baseline (method bp) expressed in the Schedule
 * IR: its gradients against central finite differences of the output
 * loss 1/2 ||y - mu_y||^2 (batch mean) computed by the test in double,
 * its SMM count (2L - 1), the JIT against the reference, and the limit in
 * which PC with forward initialization approaches BP (Whittington and
 * Bogacz 2017, the paper's [48]): a small output error and inference run
 * to equilibrium give PC weight gradients aligned with BP's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "pcn/analysis.h"
#include "pcn/arena.h"
#include "pcn/exec.h"
#include "pcn/optim.h"
#include "pcn/rng.h"
#include "pcn/schedule.h"
#include "testgraph.h"
#include "testutil.h"

#define MAXN 6
#define MAXE 8
#define NB 5

enum { X, H1, H2, Y };

/* x[4] -> h1[5] -> h2[4] -> y[3], with skips x -> h2 and h1 -> y: several
 * parents per node and children at different depths. L = 3. Every node
 * forward, no bias on the root x. */
static void model(TGraph *t, PcnActivation a1, PcnActivation a2, PcnActivation ay) {
  tg_init(t, "bp");
  tg_node(t, "x", 4, PCN_ACT_IDENTITY, TG_INPUT, PCN_INIT_FORWARD);
  tg_node(t, "h1", 5, a1, TG_FREE, PCN_INIT_FORWARD);
  tg_node(t, "h2", 4, a2, TG_FREE, PCN_INIT_FORWARD);
  tg_node(t, "y", 3, ay, TG_TARGET, PCN_INIT_FORWARD);
  tg_edge(t, X, H1), tg_edge(t, H1, H2), tg_edge(t, H2, Y);
  tg_edge(t, X, H2), tg_edge(t, H1, Y);
  t->g.nodes[X].bias = false;
}

typedef TRun Run;

static int run_open(Run *r, TGraph *t, PcnMethod method, int T, PcnOptimizer learning,
                    const PcnBackend *be) {
  PcnTrainConfig tc;
  memset(&tc, 0, sizeof tc);
  tc.fraction = 1.0f;
  tc.batch = NB;
  tc.epochs = 1;
  tc.T = T;
  tc.inference.kind = PCN_OPT_SGD;
  tc.inference.lr = 0.1f;
  tc.learning = learning;
  tc.method = method;
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = NB;
  cfg.train_inference = tc.inference;
  cfg.learning = learning;
  cfg.seed = 9;
  cfg.backend = be;
  int rc = trun_open(r, &t->g, &tc, NULL, 100, &cfg);
  if (rc) printf("\n  plan: %s\n", r->err);
  return rc;
}

static PcnOptimizer frozen(void) {
  PcnOptimizer o = pcn_optimizer_default(PCN_OPT_SGD);
  o.lr = 0.0f; /* gradients are formed, parameters stay */
  return o;
}

static float xs[NB * 4], ys[NB * 3];

static void data(PcnRng *r) {
  for (int i = 0; i < NB * 4; i++) xs[i] = (float)(2 * pcn_rng_uniform(r) - 1);
  for (int i = 0; i < NB * 3; i++) ys[i] = (float)pcn_rng_uniform(r);
}

/* ---- the loss in double, from the plan's parameters ----------------------- */

static double act_d(PcnActivation a, double x) {
  switch (a) {
  case PCN_ACT_TANH: return tanh(x);
  case PCN_ACT_SIGMOID: return 1 / (1 + exp(-x));
  case PCN_ACT_GELU: return 0.5 * x * (1 + erf(x / sqrt(2.0)));
  case PCN_ACT_ELU: return x > 0 ? x : expm1(x);
  default: return x;
  }
}

/* Parameters copied to double so one entry can be nudged. */
typedef struct Params {
  double *w[MAXE], *b[MAXN];
} Params;

static double loss(const TGraph *t, const Params *P) {
  double total = 0;
  for (int i = 0; i < NB; i++) {
    double h[MAXN][8];
    for (int j = 0; j < 4; j++) h[X][j] = xs[i * 4 + j];
    for (int v = H1; v <= Y; v++) { /* nodes are in topological order */
      const PcnNode *nd = &t->g.nodes[v];
      for (int j = 0; j < nd->size; j++) {
        double a = P->b[v][j];
        for (int k = 0; k < nd->nin; k++) {
          int e = nd->in_edges[k], u = t->g.edges[e].src;
          for (int q = 0; q < t->g.nodes[u].size; q++) a += h[u][q] * P->w[e][q * nd->size + j];
        }
        h[v][j] = act_d(nd->act, a);
      }
    }
    for (int j = 0; j < 3; j++) {
      double e = ys[i * 3 + j] - h[Y][j];
      total += 0.5 * e * e;
    }
  }
  return total / NB;
}

static void one_batch(Run *r, PcnMethod m, int T) {
  pcn_plan_set_clamp(r->p, X, xs, NB);
  pcn_plan_set_clamp(r->p, Y, ys, NB);
  CU_ASSERT_EQUAL(pcn_plan_begin_batch(r->p, PCN_PHASE_TRAIN, NB, NULL), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_INIT, NB), 0);
  for (int t = 0; m == PCN_METHOD_PC && t < T; t++)
    CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_STEP, NB), 0);
  CU_ASSERT_EQUAL(pcn_plan_end_batch(r->p, PCN_PHASE_TRAIN, NB, NULL), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(r->p, PCN_PROG_TRAIN_LEARN, NB), 0);
}

static void test_finite_differences(void) {
  static const PcnActivation acts[3][3] = {{PCN_ACT_TANH, PCN_ACT_SIGMOID, PCN_ACT_IDENTITY},
                                           {PCN_ACT_GELU, PCN_ACT_TANH, PCN_ACT_SIGMOID},
                                           {PCN_ACT_ELU, PCN_ACT_GELU, PCN_ACT_TANH}};
  PcnRng rng;
  pcn_rng_init(&rng, 21, 0);
  for (int k = 0; k < 3; k++) {
    TGraph t;
    model(&t, acts[k][0], acts[k][1], acts[k][2]);
    Run r;
    CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, PCN_METHOD_BP, 7, frozen(), NULL), 0);
    data(&rng);
    one_batch(&r, PCN_METHOD_BP, 0);
    Params P;
    for (int e = 0; e < t.g.nedges; e++) {
      int sz = t.g.nodes[t.g.edges[e].src].size * t.g.nodes[t.g.edges[e].dst].size;
      P.w[e] = malloc(sizeof(double) * sz);
      const float *w = pcn_plan_edge_buffer(r.p, PCN_BUF_W, e);
      for (int i = 0; i < sz; i++) P.w[e][i] = w[i];
    }
    for (int v = 0; v < t.g.nnodes; v++) {
      P.b[v] = calloc(8, sizeof(double));
      const float *b = pcn_plan_node_buffer(r.p, PCN_BUF_B, v);
      for (int i = 0; b && i < t.g.nodes[v].size; i++) P.b[v][i] = b[i];
    }
    /* the loss itself: energy of y after TRAIN_INIT, summed over rows */
    double L = loss(&t, &P);
    CU_ASSERT(fabs(pcn_plan_node_energy(r.p, Y) / NB - L) < 1e-5 * (1 + L));
    const double eps = 1e-6;
    double worst = 0, scale = 0;
    for (int e = 0; e < t.g.nedges; e++) {
      int sz = t.g.nodes[t.g.edges[e].src].size * t.g.nodes[t.g.edges[e].dst].size;
      const float *dw = pcn_plan_edge_buffer(r.p, PCN_BUF_DW, e);
      for (int i = 0; i < sz; i++) {
        double keep = P.w[e][i];
        P.w[e][i] = keep + eps;
        double lp = loss(&t, &P);
        P.w[e][i] = keep - eps;
        double lm = loss(&t, &P);
        P.w[e][i] = keep;
        double fd = (lp - lm) / (2 * eps);
        worst = fmax(worst, fabs(fd - dw[i]));
        scale = fmax(scale, fabs(fd));
      }
    }
    for (int v = H1; v <= Y; v++) {
      const float *db = pcn_plan_node_buffer(r.p, PCN_BUF_DB, v);
      for (int i = 0; i < t.g.nodes[v].size; i++) {
        double keep = P.b[v][i];
        P.b[v][i] = keep + eps;
        double lp = loss(&t, &P);
        P.b[v][i] = keep - eps;
        double lm = loss(&t, &P);
        P.b[v][i] = keep;
        double fd = (lp - lm) / (2 * eps);
        worst = fmax(worst, fabs(fd - db[i]));
        scale = fmax(scale, fabs(fd));
      }
    }
    printf("\n  activations %d: |BP - FD| = %.3g (gradient scale %.3g)", k, worst, scale);
    CU_ASSERT(scale > 1e-3);
    CU_ASSERT(worst < 1e-4 * scale + 1e-7);
    for (int e = 0; e < t.g.nedges; e++) free(P.w[e]);
    for (int v = 0; v < t.g.nnodes; v++) free(P.b[v]);
    trun_close(&r);
    tg_free(&t);
  }
  printf("\n");
}

/* 2L - 1 per update, in the schedule and as the runtime counts it; T is
 * ignored, the step program is empty. */
static void test_smm(void) {
  TGraph t;
  model(&t, PCN_ACT_TANH, PCN_ACT_TANH, PCN_ACT_IDENTITY);
  Run r;
  PcnOptimizer adamw = pcn_optimizer_default(PCN_OPT_ADAMW);
  adamw.lr = 3e-2f;
  CU_ASSERT_EQUAL_FATAL(run_open(&r, &t, PCN_METHOD_BP, 7, adamw, NULL), 0);
  CU_ASSERT_EQUAL(r.s->smm.per_update, 5);
  CU_ASSERT_EQUAL(r.s->programs[PCN_PROG_TRAIN_STEP].nstages, 0);
  PcnRng rng;
  pcn_rng_init(&rng, 1, 0);
  data(&rng);
  int64_t s0 = pcn_plan_smm_count(r.p);
  one_batch(&r, PCN_METHOD_BP, 0);
  CU_ASSERT_EQUAL(pcn_plan_smm_count(r.p) - s0, 5);
  /* learning lowers the loss on a fixed batch */
  double before = pcn_plan_node_energy(r.p, Y);
  for (int i = 0; i < 50; i++) one_batch(&r, PCN_METHOD_BP, 0);
  CU_ASSERT(pcn_plan_node_energy(r.p, Y) < 0.5 * before);
  trun_close(&r);
  tg_free(&t);
}

static int compare(PcnPlan *a, PcnPlan *b, const char *where) {
  const PcnSchedule *s = pcn_plan_schedule(a);
  for (int k = 0; k < s->nbuffers; k++) {
    if (pcn_test_jit_scratch(s, k)) continue; /* testutil.h */
    const PcnBuffer *B = &s->buffers[k];
    size_t count = (size_t)(B->batch_rows ? NB : B->rows) * B->cols;
    const float *x = pcn_plan_buffer(a, k), *y = pcn_plan_buffer(b, k);
    double scale = 0;
    for (size_t i = 0; i < count; i++) scale = fmax(scale, fabs(x[i]));
    for (size_t i = 0; i < count; i++)
      if (isnan(x[i]) != isnan(y[i]) || fabs((double)x[i] - y[i]) > 1e-5 * (scale + fabs(x[i]))) {
        printf("\n  %s: %s[%zu]: reference %.9g, jit %.9g\n", where, B->name, i, (double)x[i],
               (double)y[i]);
        return -1;
      }
  }
  return 0;
}

static void test_jit_differential(void) {
  TGraph t;
  model(&t, PCN_ACT_GELU, PCN_ACT_ELU, PCN_ACT_SIGMOID);
  Run ref, jit;
  PcnOptimizer adamw = pcn_optimizer_default(PCN_OPT_ADAMW);
  adamw.lr = 1e-2f;
  CU_ASSERT_EQUAL_FATAL(run_open(&ref, &t, PCN_METHOD_BP, 3, adamw, NULL), 0);
  CU_ASSERT_EQUAL_FATAL(run_open(&jit, &t, PCN_METHOD_BP, 3, adamw, pcn_backend_jit()), 0);
  PcnRng rng;
  pcn_rng_init(&rng, 2, 0);
  int rc = 0;
  for (int b = 0; b < 4 && !rc; b++) {
    data(&rng);
    Run *both[2] = {&ref, &jit};
    for (int k = 0; k < 2; k++) {
      pcn_plan_set_clamp(both[k]->p, X, xs, NB);
      pcn_plan_set_clamp(both[k]->p, Y, ys, NB);
      pcn_plan_begin_batch(both[k]->p, PCN_PHASE_TRAIN, NB, NULL);
    }
    static const PcnProgramKind seq[2] = {PCN_PROG_TRAIN_INIT, PCN_PROG_TRAIN_LEARN};
    for (int q = 0; q < 2 && !rc; q++) {
      CU_ASSERT_EQUAL(pcn_exec_run(ref.p, seq[q], NB), 0);
      CU_ASSERT_EQUAL(pcn_exec_run(jit.p, seq[q], NB), 0);
      char where[64];
      snprintf(where, sizeof where, "batch %d after %s", b, pcn_program_name(seq[q]));
      rc = compare(ref.p, jit.p, where);
    }
  }
  CU_ASSERT_EQUAL(rc, 0);
  trun_close(&ref);
  trun_close(&jit);
  tg_free(&t);
}

/* PC with forward initialization against BP on the same weights and data.
 * At t = 0 the energy is the output loss (Sec. 3), so with T = 0 the
 * gradients of the edges into the output are BP's exactly and the hidden
 * ones are zero. With a target a small nudge away from the prediction and
 * inference run to equilibrium, every edge's PC gradient points along
 * BP's; plain PC keeps an O(1) share of the energy in hidden layers even
 * for small errors, so the directions agree closely (cosine > 0.95 here)
 * but not exactly. */
static void test_pc_limit(void) {
  TGraph t;
  model(&t, PCN_ACT_TANH, PCN_ACT_TANH, PCN_ACT_IDENTITY);
  Run bp, pc;
  CU_ASSERT_EQUAL_FATAL(run_open(&bp, &t, PCN_METHOD_BP, 0, frozen(), NULL), 0);
  CU_ASSERT_EQUAL_FATAL(run_open(&pc, &t, PCN_METHOD_PC, 400, frozen(), NULL), 0);
  PcnRng rng;
  pcn_rng_init(&rng, 3, 0);
  data(&rng);
  /* y = forward prediction + 1e-3 * noise: tiny output error */
  pcn_plan_set_clamp(bp.p, X, xs, NB);
  pcn_plan_set_clamp(bp.p, Y, ys, NB);
  pcn_exec_run(bp.p, PCN_PROG_TRAIN_INIT, NB);
  const float *mu = pcn_plan_node_buffer(bp.p, PCN_BUF_MU, Y);
  for (int i = 0; i < NB * 3; i++) ys[i] = mu[i] + 1e-3f * (float)(2 * pcn_rng_uniform(&rng) - 1);
  one_batch(&bp, PCN_METHOD_BP, 0);
  one_batch(&pc, PCN_METHOD_PC, 400);
  double worst = 1;
  for (int e = 0; e < t.g.nedges; e++) {
    int sz = t.g.nodes[t.g.edges[e].src].size * t.g.nodes[t.g.edges[e].dst].size;
    const float *a = pcn_plan_edge_buffer(bp.p, PCN_BUF_DW, e);
    const float *b = pcn_plan_edge_buffer(pc.p, PCN_BUF_DW, e);
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < sz; i++) ab += (double)a[i] * b[i], aa += (double)a[i] * a[i], bb += (double)b[i] * b[i];
    double cosine = ab / sqrt(aa * bb + 1e-300);
    worst = fmin(worst, cosine);
  }
  printf("\n  PC (forward init, T = 400, small error) vs BP: worst cosine %.5f\n", worst);
  CU_ASSERT(worst > 0.95);
  trun_close(&pc);

  /* T = 0: the output edges get exactly BP's gradient */
  CU_ASSERT_EQUAL_FATAL(run_open(&pc, &t, PCN_METHOD_PC, 0, frozen(), NULL), 0);
  one_batch(&pc, PCN_METHOD_PC, 0);
  for (int e = 0; e < t.g.nedges; e++) {
    int sz = t.g.nodes[t.g.edges[e].src].size * t.g.nodes[t.g.edges[e].dst].size;
    const float *a = pcn_plan_edge_buffer(bp.p, PCN_BUF_DW, e);
    const float *b = pcn_plan_edge_buffer(pc.p, PCN_BUF_DW, e);
    double d = 0, nb = 0;
    for (int i = 0; i < sz; i++) d = fmax(d, fabs((double)a[i] - b[i])), nb = fmax(nb, fabs(b[i]));
    if (t.g.edges[e].dst == Y) {
      CU_ASSERT(d <= 1e-6 * (1 + nb));
    } else {
      CU_ASSERT(nb == 0.0);
    }
  }
  trun_close(&bp);
  trun_close(&pc);
  tg_free(&t);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"BP gradients = finite differences of the output loss", test_finite_differences},
      {"SMMs 2L - 1, empty step program, loss decreases", test_smm},
      {"JIT vs reference", test_jit_differential},
      {"PC with forward init vs BP: T = 0 exact on the output, equilibrium aligned",
       test_pc_limit},
      {NULL, NULL}};
  if (pcn_test_add_suite("bp", cases)) return 1;
  return pcn_test_main();
}
