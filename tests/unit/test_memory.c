/* test_memory.c - Hopfield layers (Eq. 8, 9) and the memory(M) initializer:
 * retrieval against a direct computation, hand-written gradients against
 * finite differences of Eq. 9's loss, the pseudo-inverse rule, and the
 * initializer inside plans (classification and generative models). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pcn/exec.h"
#include "pcn/memory.h"
#include "pcn/optim.h"
#include "pcn/rng.h"
#include "pcn/schedule.h"
#include "testgraph.h"
#include "testutil.h"

static void fill(PcnRng *r, float *x, size_t n, double scale) {
  for (size_t i = 0; i < n; i++) x[i] = (float)(scale * pcn_rng_normal(r));
}

static PcnHopfield *make(int in, int out, int p, int a, int e, float delta, int batch) {
  char err[256];
  PcnHopfield *m = pcn_hopfield_new(in, out, p, a, e, delta, 7, 0, batch, err, sizeof err);
  if (!m) printf("\n  %s\n", err);
  return m;
}

/* Eq. 8 per sample in double, straight from the definition: head h uses
 * columns [h*e/a, (h+1)*e/a) of q and K and its chunk of V's columns. */
static void direct(PcnHopfield *m, const float *o, int in, int out, int p, int a, int e,
                   double delta, double *r) {
  int rq, cq;
  const float *Q = pcn_hopfield_param(m, PCN_HOP_Q, &rq, &cq);
  const float *b = pcn_hopfield_param(m, PCN_HOP_B, NULL, NULL);
  const float *K = pcn_hopfield_param(m, PCN_HOP_K, NULL, NULL);
  const float *V = pcn_hopfield_param(m, PCN_HOP_V, NULL, NULL);
  double q[256], w[64];
  for (int j = 0; j < e; j++) {
    q[j] = b[j];
    for (int i = 0; i < in; i++) q[j] += (double)o[i] * Q[i * e + j];
  }
  int eh = e / a;
  for (int h = 0; h < a; h++) {
    double mx = -INFINITY, sum = 0;
    for (int k = 0; k < p; k++) {
      double s = 0;
      for (int j = h * eh; j < (h + 1) * eh; j++) s += q[j] * K[k * e + j];
      w[k] = delta * s;
      if (w[k] > mx) mx = w[k];
    }
    for (int k = 0; k < p; k++) sum += (w[k] = exp(w[k] - mx));
    int c0, c1;
    pcn_hopfield_head_cols(m, h, &c0, &c1);
    for (int c = c0; c < c1; c++) {
      r[c] = 0;
      for (int k = 0; k < p; k++) r[c] += w[k] / sum * V[k * out + c];
    }
  }
}

static void test_retrieval_matches_direct(void) {
  /* (in, out, p, a, e, delta): one head = Eq. 8 itself; several heads
   * with uneven column chunks (7 columns over 3 heads); more heads than
   * columns (a head retrieves nothing). */
  const int cfgs[][5] = {{5, 7, 4, 1, 6}, {5, 7, 4, 3, 6}, {3, 2, 5, 4, 8}};
  const double deltas[] = {1.0, 3.0, 200.0};
  PcnRng r;
  pcn_rng_init(&r, 1, 77);
  for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++)
    for (int di = 0; di < 3; di++) {
      int in = cfgs[ci][0], out = cfgs[ci][1], p = cfgs[ci][2], a = cfgs[ci][3],
          e = cfgs[ci][4];
      const int n = 6;
      PcnHopfield *m = make(in, out, p, a, e, (float)deltas[di], n);
      CU_ASSERT_PTR_NOT_NULL_FATAL(m);
      int c0, c1, total = 0;
      for (int h = 0; h < a; h++) {
        pcn_hopfield_head_cols(m, h, &c0, &c1);
        CU_ASSERT(c1 - c0 == out / a || c1 - c0 == out / a + 1);
        CU_ASSERT_EQUAL(c0, total);
        total = c1;
      }
      CU_ASSERT_EQUAL(total, out);
      fill(&r, pcn_hopfield_param(m, PCN_HOP_V, NULL, NULL), (size_t)p * out, 1.0);
      float O[6 * 5], R[6 * 7];
      fill(&r, O, (size_t)n * in, 1.0);
      CU_ASSERT_EQUAL(pcn_hopfield_retrieve(m, O, n, R), 0);
      double worst = 0, want[8];
      for (int i = 0; i < n; i++) {
        direct(m, O + i * in, in, out, p, a, e, deltas[di], want);
        for (int c = 0; c < out; c++) {
          double d = fabs(want[c] - R[i * out + c]);
          if (d > worst) worst = d;
        }
      }
      CU_ASSERT(worst < 1e-4);
      /* Rows of each head's attention sum to 1. */
      for (int h = 0; h < a; h++) {
        const float *A = pcn_hopfield_attention(m, h);
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int k = 0; k < p; k++) s += A[i * p + k];
          CU_ASSERT_DOUBLE_EQUAL(s, 1.0, 1e-5);
        }
      }
      pcn_hopfield_free(m);
    }
  /* Bad shapes are refused with a message. */
  char err[256] = "";
  CU_ASSERT_PTR_NULL(pcn_hopfield_new(4, 4, 3, 3, 8, 1.0f, 0, 0, 2, err, sizeof err));
  CU_ASSERT(strstr(err, "multiple of heads") != NULL);
}

static void test_gradients_match_finite_differences(void) {
  const int in = 4, out = 5, p = 3, a = 2, e = 4, n = 5;
  PcnHopfield *m = make(in, out, p, a, e, 1.5f, n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  PcnRng r;
  pcn_rng_init(&r, 2, 77);
  fill(&r, pcn_hopfield_param(m, PCN_HOP_V, NULL, NULL), (size_t)p * out, 1.0);
  /* Larger keys than the default so the softmax is far from uniform. */
  fill(&r, pcn_hopfield_param(m, PCN_HOP_K, NULL, NULL), (size_t)p * e, 1.0);
  float O[5 * 4], H[5 * 5];
  fill(&r, O, sizeof O / sizeof O[0], 1.0);
  fill(&r, H, sizeof H / sizeof H[0], 1.0);
  double L = pcn_hopfield_grad(m, O, H, n);
  CU_ASSERT(L > 0);
  CU_ASSERT_DOUBLE_EQUAL(L, pcn_hopfield_loss(m, O, H, n), 1e-6);
  const char *names[] = {"Q", "b", "K", "V"};
  for (int w = 0; w < PCN_HOP_PARAM_COUNT; w++) {
    int rows, cols;
    float *x = pcn_hopfield_param(m, (PcnHopfieldParam)w, &rows, &cols);
    const float *gr = pcn_hopfield_grad_of(m, (PcnHopfieldParam)w);
    double worst = 0, gmax = 0;
    for (int i = 0; i < rows * cols; i++) {
      const float h = 1e-2f, x0 = x[i];
      x[i] = x0 + h;
      double lp = pcn_hopfield_loss(m, O, H, n);
      x[i] = x0 - h;
      double lm = pcn_hopfield_loss(m, O, H, n);
      x[i] = x0;
      double fd = (lp - lm) / (2.0 * h);
      double d = fabs(fd - gr[i]) / (1e-2 + fabs(fd));
      if (d > worst) worst = d;
      if (fabs(gr[i]) > gmax) gmax = fabs(gr[i]);
    }
    if (worst >= 2e-2) printf("\n  d%s: worst relative difference %g", names[w], worst);
    CU_ASSERT(worst < 2e-2);
    CU_ASSERT(gmax > 1e-3); /* the check is not vacuous */
  }
  /* A step along the gradient lowers the loss. */
  PcnOptimizer sgd = pcn_optimizer_default(PCN_OPT_SGD);
  sgd.lr = 1e-2f;
  pcn_hopfield_step(m, &sgd);
  CU_ASSERT(pcn_hopfield_loss(m, O, H, n) < L);
  pcn_hopfield_free(m);
}

/* V = A^+ H0 per head: the least-squares normal equations hold
 * (A^T (A V - H0) = 0), and with fewer rows than patterns the retrieval
 * reproduces H0 exactly. */
static void test_pseudo_inverse_init(void) {
  PcnRng r;
  pcn_rng_init(&r, 3, 77);
  const int in = 6, out = 6, p = 5, a = 2, e = 4;
  const int rows_cases[2] = {12, 3}; /* overdetermined, underdetermined */
  for (int rc = 0; rc < 2; rc++) {
    int n = rows_cases[rc];
    PcnHopfield *m = make(in, out, p, a, e, 1.0f, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    fill(&r, pcn_hopfield_param(m, PCN_HOP_K, NULL, NULL), (size_t)p * e, 1.0);
    float O[12 * 6], H0[12 * 6], R[12 * 6];
    fill(&r, O, (size_t)n * in, 1.0);
    fill(&r, H0, (size_t)n * out, 1.0);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(pcn_hopfield_init_values(m, O, H0, n, err, sizeof err), 0);
    CU_ASSERT_EQUAL(pcn_hopfield_retrieve(m, O, n, R), 0);
    for (int h = 0; h < a; h++) {
      const float *A = pcn_hopfield_attention(m, h);
      int c0, c1;
      pcn_hopfield_head_cols(m, h, &c0, &c1);
      double worst = 0, scale = 0;
      for (int k = 0; k < p; k++)
        for (int c = c0; c < c1; c++) {
          double g = 0, s = 0;
          for (int i = 0; i < n; i++) {
            g += (double)A[i * p + k] * (R[i * out + c] - H0[i * out + c]);
            s += (double)A[i * p + k] * H0[i * out + c];
          }
          if (fabs(g) > worst) worst = fabs(g);
          if (fabs(s) > scale) scale = fabs(s);
        }
      CU_ASSERT(worst < 1e-4 * (1 + scale));
    }
    if (n < p) {
      double worst = 0;
      for (int i = 0; i < n * out; i++)
        if (fabs(R[i] - H0[i]) > worst) worst = fabs(R[i] - H0[i]);
      CU_ASSERT(worst < 1e-4);
    } else {
      /* Overdetermined: a residual remains, but no other V does better
       * (perturbing V raises the loss). */
      double L = pcn_hopfield_loss(m, O, H0, n);
      CU_ASSERT(L > 1e-3);
      float *V = pcn_hopfield_param(m, PCN_HOP_V, NULL, NULL);
      for (int i = 0; i < p * out; i += 3) {
        V[i] += 0.05f;
        CU_ASSERT(pcn_hopfield_loss(m, O, H0, n) > L);
        V[i] -= 0.05f;
      }
    }
    pcn_hopfield_free(m);
  }
}

/* ---- the initializer inside plans ---------------------------------------- */

typedef struct Model {
  PcnArena arena;
  PcnDiag diag;
  PcnCompilation *c;
  PcnSchedule *s;
  PcnPlan *p;
} Model;

static int model_new(Model *m, const char *src, int batch) {
  memset(m, 0, sizeof *m);
  pcn_arena_init(&m->arena);
  pcn_diag_init(&m->diag);
  m->c = tg_compile(&m->arena, &m->diag, "mem.pcn", src);
  if (!m->c) return -1;
  const PcnTrainConfig *tc = m->c->ntrains ? &m->c->trains[0] : NULL;
  const PcnEvalConfig *ec = m->c->nevals ? &m->c->evals[0] : NULL;
  m->s = pcn_schedule_build(&m->arena, m->c->models[0], pcn_compilation_analysis(m->c, 0), tc,
                            ec, 100);
  if (!m->s) return -1;
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = batch;
  if (tc) cfg.learning = tc->learning, cfg.train_inference = tc->inference;
  char err[256];
  m->p = pcn_plan_create(m->s, &cfg, err, sizeof err);
  if (!m->p) printf("\n  %s\n", err);
  return m->p ? 0 : -1;
}

static void model_free(Model *m) {
  pcn_plan_destroy(m->p);
  pcn_diag_free(&m->diag);
  pcn_arena_free(&m->arena);
}

static int node_index(const PcnGraph *g, const char *name) {
  for (int i = 0; i < g->nnodes; i++)
    if (strcmp(g->nodes[i].name, name) == 0) return i;
  return -1;
}

/* Classifier: x -> h (memory, query x) -> y. With more patterns than
 * batch rows the pseudo-inverse rule makes the first batch's h^(0) equal
 * the forward initialization act(x W + b); Eq. 9 then trains M towards
 * h^(T), and evaluation does not train it. */
static void test_classifier_memory_init(void) {
  const char *src =
      "model c { input x[6]; target y[3];\n"
      "  node h[5] act tanh init memory(M); x -> h -> y;\n"
      "  memory M { patterns 8; heads 1; embed 4; delta 1; query x; } }\n"
      "dataset d { format synthetic; generator blobs; features 6; classes 3; samples 30 30; }\n"
      "train c { data d.train; batch 4; epochs 1; inference steps 3 sgd(lr=0.1);\n"
      "  learning adam(lr=0.01); }\n"
      "evaluate c { data d.test; }\n";
  Model m;
  CU_ASSERT_EQUAL_FATAL(model_new(&m, src, 4), 0);
  const PcnGraph *g = m.c->models[0];
  int x = node_index(g, "x"), h = node_index(g, "h"), y = node_index(g, "y");
  PcnRng r;
  pcn_rng_init(&r, 4, 77);
  float X[4 * 6], Y[4 * 3] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
  fill(&r, X, 24, 1.0);
  pcn_plan_set_clamp(m.p, x, X, 4);
  pcn_plan_set_clamp(m.p, y, Y, 4);
  PcnHopfield *hf = pcn_plan_memory(m.p, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(hf);
  CU_ASSERT(isnan(pcn_plan_memory_loss(m.p, 0)));
  pcn_plan_begin_batch(m.p, PCN_PHASE_TRAIN, 4, NULL);
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, 4), 0);
  const float *H = pcn_plan_node_buffer(m.p, PCN_BUF_H, h);
  const float *W = pcn_plan_edge_buffer(m.p, PCN_BUF_W, g->nodes[h].in_edges[0]);
  const float *B = pcn_plan_node_buffer(m.p, PCN_BUF_B, h);
  double worst = 0, size = 0;
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 5; j++) {
      double a = B[j];
      for (int k = 0; k < 6; k++) a += (double)X[i * 6 + k] * W[k * 5 + j];
      double fw = tanh(a);
      if (fabs(fw - H[i * 5 + j]) > worst) worst = fabs(fw - H[i * 5 + j]);
      size += fabs(fw);
    }
  CU_ASSERT(worst < 1e-4);
  CU_ASSERT(size > 0.1);
  /* Training on the same batch: M's loss against h^(T) falls. */
  double first = NAN, last = NAN;
  for (int it = 0; it < 30; it++) {
    if (it > 0) {
      pcn_plan_begin_batch(m.p, PCN_PHASE_TRAIN, 4, NULL);
      pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, 4);
    }
    for (int t = 0; t < 3; t++) pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, 4);
    pcn_plan_end_batch(m.p, PCN_PHASE_TRAIN, 4, NULL);
    pcn_exec_run(m.p, PCN_PROG_TRAIN_LEARN, 4);
    if (it == 0) first = pcn_plan_memory_loss(m.p, 0);
    last = pcn_plan_memory_loss(m.p, 0);
  }
  CU_ASSERT(first > 0);
  CU_ASSERT(last < 0.5 * first);
  /* Evaluation retrieves but never learns. */
  size_t count;
  const float *params = pcn_hopfield_params(hf, &count);
  float *before = malloc(count * sizeof(float));
  memcpy(before, params, count * sizeof(float));
  pcn_plan_begin_batch(m.p, PCN_PHASE_EVAL, 4, NULL);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_EVAL_INIT, 4), 0);
  pcn_plan_end_batch(m.p, PCN_PHASE_EVAL, 4, NULL);
  CU_ASSERT(memcmp(before, params, count * sizeof(float)) == 0);
  free(before);
  model_free(&m);
}

/* Generative: the latent root z is free, so forward from data is
 * impossible and h_init is a N(0, 1) draw: with fewer rows than patterns
 * the first batch's z^(0) reproduces it (distinct, unit-scale rows);
 * Eq. 9 then trains M on z^(T), and evaluation retrieves z from the
 * clamped image. */
static void test_generative_memory_init(void) {
  const char *src =
      "model d { node z[4] init memory(M); node h[6] act tanh init forward;\n"
      "  node img[8] act sigmoid clamp image; z -> h -> img;\n"
      "  memory M { patterns 6; heads 2; embed 4; delta 20; query img; } }\n"
      "dataset s { format synthetic; generator blobs; features 8; classes 2; samples 20 20; }\n"
      "train d { data s.train; batch 5; epochs 1; inference steps 5 sgd(lr=0.2);\n"
      "  learning adam(lr=0.05); }\n"
      "evaluate d { data s.test; metric mse; inference steps 3 sgd(lr=0.1); }\n";
  Model m;
  CU_ASSERT_EQUAL_FATAL(model_new(&m, src, 5), 0);
  const PcnGraph *g = m.c->models[0];
  int z = node_index(g, "z"), img = node_index(g, "img");
  PcnRng r;
  pcn_rng_init(&r, 5, 77);
  float X[5 * 8];
  for (int i = 0; i < 40; i++) X[i] = (float)pcn_rng_uniform(&r);
  pcn_plan_set_clamp(m.p, img, X, 5);
  pcn_plan_begin_batch(m.p, PCN_PHASE_TRAIN, 5, NULL);
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, 5), 0);
  const float *Z = pcn_plan_node_buffer(m.p, PCN_BUF_H, z);
  double zsq = 0, rowdiff = 0;
  for (int i = 0; i < 20; i++) zsq += (double)Z[i] * Z[i];
  for (int c = 0; c < 4; c++) rowdiff += fabs(Z[c] - Z[4 + c]);
  CU_ASSERT(zsq / 20 > 0.2 && zsq / 20 < 5.0); /* unit-variance draws */
  CU_ASSERT(rowdiff > 0.1);
  for (int it = 0; it < 5; it++) {
    if (it > 0) {
      pcn_plan_begin_batch(m.p, PCN_PHASE_TRAIN, 5, NULL);
      pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, 5);
    }
    for (int t = 0; t < 5; t++) pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, 5);
    pcn_plan_end_batch(m.p, PCN_PHASE_TRAIN, 5, NULL);
    pcn_exec_run(m.p, PCN_PROG_TRAIN_LEARN, 5);
  }
  CU_ASSERT(pcn_plan_memory_loss(m.p, 0) > 0);
  pcn_plan_begin_batch(m.p, PCN_PHASE_EVAL, 5, NULL);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_EVAL_INIT, 5), 0);
  double zmax = 0;
  for (int i = 0; i < 20; i++) zmax = fmax(zmax, fabs(Z[i]));
  CU_ASSERT(zmax > 1e-2);
  /* The readout is the image predicted from the latent. */
  for (int t = 0; t < 3; t++) pcn_exec_run(m.p, PCN_PROG_EVAL_STEP, 5);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_EVAL_READOUT, 5), 0);
  int cols = 0;
  CU_ASSERT_PTR_NOT_NULL(pcn_plan_readout(m.p, &cols));
  CU_ASSERT_EQUAL(cols, 8);
  model_free(&m);
}

int main(void) {
  static const PcnTestCase hopfield[] = {
      {"retrieval equals Eq. 8 computed directly (1 and several heads)",
       test_retrieval_matches_direct},
      {"dQ, db, dK, dV equal finite differences of Eq. 9", test_gradients_match_finite_differences},
      {"pseudo-inverse rule: least squares, exact when n < p", test_pseudo_inverse_init},
      {NULL, NULL}};
  static const PcnTestCase plans[] = {
      {"classifier: first batch reproduces forward init, M learns, eval does not",
       test_classifier_memory_init},
      {"generative: random h_init, M learns, latent retrieved in evaluation",
       test_generative_memory_init},
      {NULL, NULL}};
  if (pcn_test_add_suite("hopfield", hopfield) || pcn_test_add_suite("memory plans", plans))
    return 1;
  return pcn_test_main();
}
