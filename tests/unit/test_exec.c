/* test_exec.c - plans and the reference executor, against the definition
 * of F (DESIGN.md, "Semantics") evaluated independently in double.
 *
 * Gradient checks: the executor runs in float32, the finite differences
 * are taken of F computed in double from the same (float) values with a
 * step of 1e-6, so the reference itself is accurate to ~1e-9 and the
 * comparison measures the float32 executor. Its error is float rounding
 * (~6e-8 relative) of sums whose terms are as large as the largest
 * gradient entry, not as large as the (possibly cancelled) entry being
 * checked; hence a tolerance of 1e-2 relative to the entry plus 1e-4
 * relative to the largest entry of the same buffer. A sign error, a
 * missing term, a transposed W or a missing 1/n all miss it by far. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pcn/activations.h"
#include "pcn/analysis.h"
#include "pcn/arena.h"
#include "pcn/exec.h"
#include "pcn/optim.h"
#include "pcn/rng.h"
#include "pcn/schedule.h"
#include "testgraph.h"
#include "testutil.h"

/* ---- small graphs built directly as Graph IR ---------------------------- */

#define MAXN 8  /* nodes and edges of the largest graph here */
#define MAXE 16

/* Nodes n0, n1, ... with a bias; a random initializer draws N(0, 1).
 * clamp: TG_FREE (0), TG_INPUT (1) or TG_TARGET (2). */
static int add_node(TGraph *t, int size, PcnActivation act, int clamp, PcnInitKind init) {
  int v = tg_node(t, NULL, size, act, clamp, init);
  t->g.nodes[v].init.std = 1.0f;
  return v;
}

enum { TOPO_CHAIN, TOPO_SKIP, TOPO_TWO_INPUTS, TOPO_CYCLE, TOPO_GENERATIVE, TOPO_COUNT };
static const char *topo_name[TOPO_COUNT] = {"chain", "skip", "two inputs", "cycle",
                                           "generative"};

/* Topologies with random sizes 2..5; act < 0 gives each node its own. */
static void build_topology(TGraph *t, int topo, int act, PcnInitKind hidden, PcnRng *r) {
  tg_init(t, "test");
#define SZ() (2 + (int)pcn_rng_below(r, 4))
#define ACT(i) (act >= 0 ? (PcnActivation)act : (PcnActivation)(((i) + topo) % PCN_ACT_COUNT))
  switch (topo) {
  case TOPO_CHAIN: {
    int x = add_node(t, SZ(), ACT(0), 1, PCN_INIT_ZERO);
    int h1 = add_node(t, SZ(), ACT(1), 0, hidden);
    int h2 = add_node(t, SZ(), ACT(2), 0, hidden);
    int y = add_node(t, SZ(), ACT(3), 2, hidden);
    tg_edge(t, x, h1), tg_edge(t, h1, h2), tg_edge(t, h2, y);
    break;
  }
  case TOPO_SKIP: {
    int x = add_node(t, SZ(), ACT(0), 1, PCN_INIT_ZERO);
    int h1 = add_node(t, SZ(), ACT(1), 0, hidden);
    int h2 = add_node(t, SZ(), ACT(2), 0, hidden);
    int y = add_node(t, SZ(), ACT(3), 2, hidden);
    tg_edge(t, x, h1), tg_edge(t, h1, h2), tg_edge(t, h2, y);
    tg_edge(t, x, h2), tg_edge(t, h1, y);
    break;
  }
  case TOPO_TWO_INPUTS: {
    int x1 = add_node(t, SZ(), ACT(0), 1, PCN_INIT_ZERO);
    int x2 = add_node(t, SZ(), ACT(1), 1, PCN_INIT_ZERO);
    int h1 = add_node(t, SZ(), ACT(2), 0, hidden);
    int y = add_node(t, SZ(), ACT(3), 2, hidden);
    tg_edge(t, x1, h1), tg_edge(t, x2, h1), tg_edge(t, h1, y), tg_edge(t, x2, y);
    break;
  }
  case TOPO_CYCLE: { /* x -> h1 <-> h2 -> y, with a self-loop on h2 */
    int x = add_node(t, SZ(), ACT(0), 1, PCN_INIT_ZERO);
    int h1 = add_node(t, SZ(), ACT(1), 0, PCN_INIT_ZERO);
    int h2 = add_node(t, SZ(), ACT(2), 0, PCN_INIT_ZERO);
    int y = add_node(t, SZ(), ACT(3), 2, PCN_INIT_ZERO);
    tg_edge(t, x, h1), tg_edge(t, h1, h2), tg_edge(t, h2, h1), tg_edge(t, h2, h2);
    tg_edge(t, h2, y);
    break;
  }
  case TOPO_GENERATIVE: { /* free latent root z -> h1 -> image */
    int z = add_node(t, SZ(), ACT(0), 0, PCN_INIT_ZERO);
    int h1 = add_node(t, SZ(), ACT(1), 0, PCN_INIT_ZERO);
    int img = add_node(t, SZ(), ACT(2), 1, PCN_INIT_ZERO);
    tg_edge(t, z, h1), tg_edge(t, h1, img);
    break;
  }
  }
#undef SZ
#undef ACT
}

/* A compiled test model: graph, analysis, schedule, plan. */
typedef struct Model {
  TGraph t;
  PcnArena arena;
  PcnSchedule *s;
  PcnPlan *p;
  char err[256];
} Model;

static PcnTrainConfig train_config(float alpha, float momentum) {
  PcnTrainConfig tc;
  memset(&tc, 0, sizeof tc);
  tc.fraction = 1.0f;
  tc.batch = 4;
  tc.epochs = 1;
  tc.T = 1;
  tc.inference.kind = PCN_OPT_SGD;
  tc.inference.lr = alpha;
  tc.inference.momentum = momentum;
  tc.learning = pcn_optimizer_default(PCN_OPT_SGD);
  tc.method = PCN_METHOD_PC;
  return tc;
}

/* Builds schedule and plan for m->t; returns 0 or -1 (err set). */
static int model_plan(Model *m, PcnPlanConfig *cfg) {
  pcn_arena_init(&m->arena);
  PcnAnalysis *an = pcn_analyze(&m->arena, &m->t.g);
  if (!an) return -1;
  PcnTrainConfig tc = train_config(cfg->train_inference.lr, cfg->train_inference.momentum);
  m->s = pcn_schedule_build(&m->arena, &m->t.g, an, &tc, NULL, 0);
  if (!m->s) {
    snprintf(m->err, sizeof m->err, "pcn_schedule_build failed");
    return -1;
  }
  m->p = pcn_plan_create(m->s, cfg, m->err, sizeof m->err);
  return m->p ? 0 : -1;
}

/* Frees the plan and schedule; the graph stays. */
static void model_unplan(Model *m) {
  pcn_plan_destroy(m->p);
  m->p = NULL;
  pcn_arena_free(&m->arena);
}

static void model_free(Model *m) {
  model_unplan(m);
  tg_free(&m->t);
}

/* Gradient-check configuration: no movement of h (alpha 0) and none of W
 * (SGD with lr 0), so DH, DW, DB stay in their buffers at the state the
 * test set. */
static PcnPlanConfig frozen_config(uint64_t seed) {
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = 4;
  cfg.train_inference.lr = 0.0f;
  cfg.eval_inference.lr = 0.0f;
  cfg.learning = pcn_optimizer_default(PCN_OPT_SGD);
  cfg.learning.lr = 0.0f;
  cfg.seed = seed;
  return cfg;
}

/* ---- F in double, from the definition ----------------------------------- */

static double act_d(PcnActivation a, double x) {
  switch (a) {
  case PCN_ACT_IDENTITY: return x;
  case PCN_ACT_RELU: return x > 0 ? x : 0;
  case PCN_ACT_LEAKY_RELU: return x > 0 ? x : 0.01 * x;
  case PCN_ACT_TANH: return tanh(x);
  case PCN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
  case PCN_ACT_GELU: return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
  case PCN_ACT_ELU: return x > 0 ? x : exp(x) - 1.0;
  default: return NAN;
  }
}

/* The model's state in double: H[v] (n x size), W[e], B[v]. */
typedef struct DState {
  int n;
  double *H[MAXN], *W[MAXE], *B[MAXN];
} DState;

static double *to_double(const float *x, size_t count) {
  double *d = malloc((count ? count : 1) * sizeof *d);
  for (size_t i = 0; i < count; i++) d[i] = x[i];
  return d;
}

static void dstate_load(DState *d, Model *m, int n) {
  const PcnGraph *g = &m->t.g;
  d->n = n;
  for (int v = 0; v < g->nnodes; v++) {
    d->H[v] = to_double(pcn_plan_node_buffer(m->p, PCN_BUF_H, v), (size_t)n * g->nodes[v].size);
    float *b = pcn_plan_node_buffer(m->p, PCN_BUF_B, v);
    d->B[v] = b ? to_double(b, (size_t)g->nodes[v].size) : NULL;
  }
  for (int e = 0; e < g->nedges; e++) {
    const PcnEdge *ed = &g->edges[e];
    d->W[e] = to_double(pcn_plan_edge_buffer(m->p, PCN_BUF_W, e),
                        (size_t)g->nodes[ed->src].size * g->nodes[ed->dst].size);
  }
}

static void dstate_free(DState *d, const PcnGraph *g) {
  for (int v = 0; v < g->nnodes; v++) free(d->H[v]), free(d->B[v]);
  for (int e = 0; e < g->nedges; e++) free(d->W[e]);
}

/* F = 1/2 sum over nodes with parents, over the batch rows, of
 * ||h_v - act_v(sum_u h_u W_uv + b_v)||^2. If mu_out is given, it
 * receives mu of node mu_node (n x size). */
static double energy_d(const PcnGraph *g, const DState *d, int mu_node, double *mu_out) {
  double F = 0;
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    if (nd->nin == 0) continue;
    for (int r = 0; r < d->n; r++)
      for (int j = 0; j < nd->size; j++) {
        double a = d->B[v] ? d->B[v][j] : 0.0;
        for (int k = 0; k < nd->nin; k++) {
          int e = nd->in_edges[k], u = g->edges[e].src, su = g->nodes[u].size;
          for (int i = 0; i < su; i++) a += d->H[u][r * su + i] * d->W[e][i * nd->size + j];
        }
        double mu = act_d(nd->act, a);
        if (v == mu_node && mu_out) mu_out[r * nd->size + j] = mu;
        double err = d->H[v][r * nd->size + j] - mu;
        F += 0.5 * err * err;
      }
  }
  return F;
}

static double central_diff(const PcnGraph *g, DState *d, double *x, double scale) {
  const double h = 1e-6;
  double x0 = *x;
  *x = x0 + h;
  double fp = energy_d(g, d, -1, NULL);
  *x = x0 - h;
  double fm = energy_d(g, d, -1, NULL);
  *x = x0;
  return (fp - fm) / (2 * h) * scale;
}

/* Compares got[i] with want[i]; see the file comment for the tolerance.
 * Returns the number of mismatches (printed). */
static int compare(const char *what, const float *got, const double *want, int count) {
  double scale = 0;
  for (int i = 0; i < count; i++) scale = fmax(scale, fabs(want[i]));
  int bad = 0;
  for (int i = 0; i < count; i++) {
    double tol = 1e-2 * fabs(want[i]) + 1e-4 * scale + 1e-6;
    if (fabs(got[i] - want[i]) > tol) {
      if (bad++ < 3) fprintf(stderr, "  %s[%d]: got %.7g, want %.7g\n", what, i, got[i], want[i]);
    }
  }
  return bad;
}

static void fill_uniform(float *x, size_t count, PcnRng *r, double lo, double hi) {
  for (size_t i = 0; i < count; i++) x[i] = (float)(lo + (hi - lo) * pcn_rng_uniform(r));
}

/* (a) DH of TRAIN_STEP = dF/dh of every free node, (b) DW, DB of
 * TRAIN_LEARN = (1/n) dF/dW, (1/n) dF/db, on one graph. Returns the
 * number of mismatching entries and checks that gradients are not all
 * trivially zero. */
static int gradient_check(int topo, int act, uint64_t seed) {
  Model m;
  memset(&m, 0, sizeof m);
  PcnRng r;
  pcn_rng_init(&r, seed, 99);
  build_topology(&m.t, topo, act, PCN_INIT_ZERO, &r);
  PcnPlanConfig cfg = frozen_config(seed);
  if (model_plan(&m, &cfg)) {
    fprintf(stderr, "%s: %s\n", topo_name[topo], m.err);
    model_free(&m);
    return 1000;
  }
  const PcnGraph *g = &m.t.g;
  const int n = 3; /* fewer rows than max_batch: the executor must use n */
  /* A state away from equilibrium, so every gradient is nonzero; biases
   * too, since Kaiming biases are small. */
  for (int v = 0; v < g->nnodes; v++) {
    fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, v), (size_t)n * g->nodes[v].size, &r,
                 -1.5, 1.5);
    float *b = pcn_plan_node_buffer(m.p, PCN_BUF_B, v);
    if (b) fill_uniform(b, (size_t)g->nodes[v].size, &r, -0.5, 0.5);
  }
  int bad = 0;
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_LEARN, n), 0);
  DState d;
  dstate_load(&d, &m, n);
  double F = energy_d(g, &d, -1, NULL);
  /* The executor's energy is F at the same state (LEARN predicts at h). */
  CU_ASSERT(fabs(pcn_plan_energy(m.p) - F) <= 1e-4 * F + 1e-6);
  double gmax = 0;
  char what[64];
  for (int v = 0; v < g->nnodes; v++) {
    if (m.t.g.nodes[v].clamp_train) continue;
    int cnt = n * g->nodes[v].size;
    double *want = malloc(cnt * sizeof *want);
    for (int i = 0; i < cnt; i++) want[i] = central_diff(g, &d, &d.H[v][i], 1.0);
    for (int i = 0; i < cnt; i++) gmax = fmax(gmax, fabs(want[i]));
    snprintf(what, sizeof what, "%s act %d dH.n%d", topo_name[topo], act, v);
    bad += compare(what, pcn_plan_node_buffer(m.p, PCN_BUF_DH, v), want, cnt);
    free(want);
  }
  for (int e = 0; e < g->nedges; e++) {
    int cnt = g->nodes[g->edges[e].src].size * g->nodes[g->edges[e].dst].size;
    double *want = malloc(cnt * sizeof *want);
    for (int i = 0; i < cnt; i++) want[i] = central_diff(g, &d, &d.W[e][i], 1.0 / n);
    snprintf(what, sizeof what, "%s act %d dW.e%d", topo_name[topo], act, e);
    bad += compare(what, pcn_plan_edge_buffer(m.p, PCN_BUF_DW, e), want, cnt);
    free(want);
  }
  for (int v = 0; v < g->nnodes; v++) {
    if (!d.B[v]) continue;
    int cnt = g->nodes[v].size;
    double *want = malloc(cnt * sizeof *want);
    for (int i = 0; i < cnt; i++) want[i] = central_diff(g, &d, &d.B[v][i], 1.0 / n);
    snprintf(what, sizeof what, "%s act %d dB.n%d", topo_name[topo], act, v);
    bad += compare(what, pcn_plan_node_buffer(m.p, PCN_BUF_DB, v), want, cnt);
    free(want);
  }
  CU_ASSERT(gmax > 1e-3);
  dstate_free(&d, g);
  model_free(&m);
  return bad;
}

static void test_gradients_every_activation(void) {
  for (int topo = 0; topo < TOPO_COUNT; topo++)
    for (int act = -1; act < PCN_ACT_COUNT; act++) {
      int bad = gradient_check(topo, act, 1000 + 17 * topo + act);
      if (bad) fprintf(stderr, "%s, activation %d: %d mismatches\n", topo_name[topo], act, bad);
      CU_ASSERT_EQUAL(bad, 0);
    }
}

/* (c) Small-alpha inference descends F monotonically. */
static void test_energy_falls_monotonically(void) {
  for (int topo = 0; topo < TOPO_COUNT; topo++)
    for (int act = 0; act < PCN_ACT_COUNT; act++) {
      Model m;
      memset(&m, 0, sizeof m);
      PcnRng r;
      pcn_rng_init(&r, 7 + topo * 31 + act, 98);
      build_topology(&m.t, topo, act, PCN_INIT_RANDOM, &r);
      PcnPlanConfig cfg = frozen_config(5 + act);
      cfg.train_inference.lr = 0.05f;
      if (model_plan(&m, &cfg)) {
        fprintf(stderr, "%s\n", m.err);
        CU_FAIL("plan");
        model_free(&m);
        continue;
      }
      const PcnGraph *g = &m.t.g;
      int n = 4;
      for (int v = 0; v < g->nnodes; v++)
        if (m.t.g.nodes[v].clamp_train)
          fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, v), (size_t)n * g->nodes[v].size,
                       &r, 0.0, 1.0);
      CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
      /* Free roots of the cycle/generative graphs start random too. */
      double prev = INFINITY, first = 0;
      int rises = 0;
      for (int t = 0; t < 40; t++) {
        CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
        double F = pcn_plan_energy(m.p); /* F at h^(t), before the update */
        if (t == 0) first = F;
        if (F > prev * (1 + 1e-6) + 1e-7) rises++;
        prev = F;
      }
      CU_ASSERT_EQUAL(rises, 0);
      CU_ASSERT(prev < first); /* and it does fall */
      if (rises) fprintf(stderr, "%s act %d: energy rose %d times\n", topo_name[topo], act, rises);
      model_free(&m);
    }
}

/* (d) Forward initialization of a DAG with clamped roots: every hidden
 * error is zero at t = 0 and F = 1/2 ||y - mu_y||^2. */
static void test_forward_init_zero_hidden_errors(void) {
  for (int topo = TOPO_CHAIN; topo <= TOPO_TWO_INPUTS; topo++)
    for (int act = 0; act < PCN_ACT_COUNT; act++) {
      Model m;
      memset(&m, 0, sizeof m);
      PcnRng r;
      pcn_rng_init(&r, 11 + act, 97);
      build_topology(&m.t, topo, act, PCN_INIT_FORWARD, &r);
      PcnPlanConfig cfg = frozen_config(3 + act);
      if (model_plan(&m, &cfg)) {
        fprintf(stderr, "%s\n", m.err);
        CU_FAIL("plan");
        model_free(&m);
        continue;
      }
      const PcnGraph *g = &m.t.g;
      int n = 4, y = g->nnodes - 1;
      for (int v = 0; v < g->nnodes; v++)
        if (m.t.g.nodes[v].clamp_train)
          CU_ASSERT_EQUAL(pcn_plan_set_clamp(m.p, v, (float[64]){0}, n), 0);
      for (int v = 0; v < g->nnodes; v++)
        if (m.t.g.nodes[v].clamp_train)
          fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, v), (size_t)n * g->nodes[v].size,
                       &r, 0.0, 1.0);
      CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
      CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
      for (int v = 0; v < g->nnodes; v++)
        if (v != y && g->nodes[v].nin > 0) CU_ASSERT_EQUAL(pcn_plan_node_energy(m.p, v), 0.0);
      DState d;
      dstate_load(&d, &m, n);
      /* mu_y from the double forward pass of the clamped inputs. */
      double mu[64], want = 0;
      (void)energy_d(g, &d, y, mu);
      /* hidden h = mu exactly, so F comes from y alone */
      for (int i = 0; i < n * g->nodes[y].size; i++) want += 0.5 * pow(d.H[y][i] - mu[i], 2);
      CU_ASSERT(fabs(pcn_plan_energy(m.p) - want) <= 1e-4 * want + 1e-6);
      CU_ASSERT(fabs(energy_d(g, &d, -1, NULL) - want) <= 1e-4 * want + 1e-6);
      dstate_free(&d, g);
      model_free(&m);
    }
}

/* ---- plans --------------------------------------------------------------- */

static void chain_model(Model *m, PcnInitKind hidden, int size) {
  memset(m, 0, sizeof *m);
  tg_init(&m->t, "test");
  int x = add_node(&m->t, size, PCN_ACT_IDENTITY, 1, PCN_INIT_ZERO);
  int h = add_node(&m->t, size, PCN_ACT_TANH, 0, hidden);
  int y = add_node(&m->t, 3, PCN_ACT_SIGMOID, 2, hidden);
  tg_edge(&m->t, x, h);
  tg_edge(&m->t, h, y);
}

static void test_kaiming_uniform_init(void) {
  Model m;
  memset(&m, 0, sizeof m);
  tg_init(&m.t, "test");
  int x1 = add_node(&m.t, 300, PCN_ACT_IDENTITY, 1, PCN_INIT_ZERO);
  int x2 = add_node(&m.t, 100, PCN_ACT_IDENTITY, 1, PCN_INIT_ZERO);
  int h = add_node(&m.t, 50, PCN_ACT_RELU, 0, PCN_INIT_ZERO);
  tg_edge(&m.t, x1, h);
  tg_edge(&m.t, x2, h);
  PcnPlanConfig cfg = frozen_config(42);
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  /* fan_in = 300 + 100: bound 1/20 for both W and the bias */
  const double bound = 1.0 / sqrt(400.0);
  for (int e = 0; e < 2; e++) {
    const float *w = pcn_plan_edge_buffer(m.p, PCN_BUF_W, e);
    int cnt = m.t.g.nodes[m.t.g.edges[e].src].size * 50;
    double sum = 0, sq = 0, mx = 0;
    for (int i = 0; i < cnt; i++) sum += w[i], sq += (double)w[i] * w[i], mx = fmax(mx, fabs(w[i]));
    CU_ASSERT(mx <= bound);
    CU_ASSERT(mx > 0.95 * bound);
    /* uniform(-b, b): mean 0, variance b^2/3 */
    CU_ASSERT(fabs(sum / cnt) < 0.05 * bound);
    CU_ASSERT(fabs(sq / cnt / (bound * bound / 3) - 1) < 0.1);
  }
  const float *b = pcn_plan_node_buffer(m.p, PCN_BUF_B, h);
  double bm = 0;
  for (int i = 0; i < 50; i++) bm = fmax(bm, fabs(b[i]));
  CU_ASSERT(bm <= bound && bm > 0.5 * bound);
  /* Same seed, same weights; another seed, others. */
  Model m2;
  tg_copy(&m2.t, &m.t);
  CU_ASSERT_EQUAL_FATAL(model_plan(&m2, &cfg), 0);
  CU_ASSERT(memcmp(pcn_plan_edge_buffer(m.p, PCN_BUF_W, 0), pcn_plan_edge_buffer(m2.p, PCN_BUF_W, 0),
                   300 * 50 * sizeof(float)) == 0);
  model_unplan(&m2);
  cfg.seed = 43;
  CU_ASSERT_EQUAL_FATAL(model_plan(&m2, &cfg), 0);
  CU_ASSERT(memcmp(pcn_plan_edge_buffer(m.p, PCN_BUF_W, 0), pcn_plan_edge_buffer(m2.p, PCN_BUF_W, 0),
                   300 * 50 * sizeof(float)) != 0);
  /* Buffers are 64-byte aligned. */
  for (int i = 0; i < m.s->nbuffers; i++) CU_ASSERT(((uintptr_t)pcn_plan_buffer(m.p, i) & 63) == 0);
  /* Parameters: W by edge, then B by node, with names. */
  CU_ASSERT_EQUAL(pcn_plan_nparams(m.p), 3);
  CU_ASSERT_EQUAL(pcn_plan_param_buffer(m.p, 0), m.s->buf_of[PCN_BUF_W][0]);
  CU_ASSERT_EQUAL(pcn_plan_param_buffer(m.p, 2), m.s->buf_of[PCN_BUF_B][h]);
  CU_ASSERT_EQUAL(pcn_plan_find_buffer(m.p, m.s->buffers[pcn_plan_param_buffer(m.p, 1)].name),
                  pcn_plan_param_buffer(m.p, 1));
  model_free(&m2);
  model_free(&m);
}

static void test_plan_errors(void) {
  Model m;
  chain_model(&m, PCN_INIT_AVERAGE, 4);
  PcnPlanConfig cfg = frozen_config(1);
  CU_ASSERT_NOT_EQUAL(model_plan(&m, &cfg), 0);
  CU_ASSERT_STRING_EQUAL(m.err, "no initializer 'average' in the plan config (set "
                                "cfg.initializers[] as include/pcn/exec.h shows)");
  model_free(&m);

  chain_model(&m, PCN_INIT_ZERO, 1 << 20);
  cfg.max_batch = 4096; /* 2^20 x 4096 floats per batch buffer: 16 GiB each */
  CU_ASSERT_NOT_EQUAL(model_plan(&m, &cfg), 0);
  CU_ASSERT(strstr(m.err, "GiB") != NULL);
  model_free(&m);

  chain_model(&m, PCN_INIT_ZERO, 4);
  cfg.max_batch = 4;
  cfg.max_bytes = 1024; /* a tiny budget trips the same check */
  CU_ASSERT_NOT_EQUAL(model_plan(&m, &cfg), 0);
  CU_ASSERT(strstr(m.err, "GiB") != NULL);
  model_free(&m);

  chain_model(&m, PCN_INIT_ZERO, 4);
  cfg = frozen_config(1);
  cfg.max_batch = 0;
  CU_ASSERT_NOT_EQUAL(model_plan(&m, &cfg), 0);
  CU_ASSERT(strstr(m.err, "batch size") != NULL);
  model_free(&m);

  /* Running with more rows than planned is an error, not an overflow. */
  chain_model(&m, PCN_INIT_ZERO, 4);
  cfg = frozen_config(1);
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, 5), -1);
  CU_ASSERT(strstr(pcn_plan_error(m.p), "out of range") != NULL);
  CU_ASSERT_EQUAL(pcn_plan_set_clamp(m.p, 0, (float[32]){0}, 5), -1);
  model_free(&m);
}

static void test_update_with_momentum(void) {
  Model m;
  chain_model(&m, PCN_INIT_ZERO, 3);
  PcnPlanConfig cfg = frozen_config(2);
  cfg.train_inference.lr = 0.1f;
  cfg.train_inference.momentum = 0.5f;
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  int n = 2, h = 1, cnt = n * 3;
  PcnRng r;
  pcn_rng_init(&r, 5, 5);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 0), cnt, &r, 0, 1);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 2), cnt, &r, 0, 1);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
  float *H = pcn_plan_node_buffer(m.p, PCN_BUF_H, h), *DH = pcn_plan_node_buffer(m.p, PCN_BUF_DH, h);
  float h0[6], dh0[6], dh1[6];
  memcpy(h0, H, sizeof h0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
  memcpy(dh0, DH, sizeof dh0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
  memcpy(dh1, DH, sizeof dh1);
  for (int i = 0; i < cnt; i++) {
    /* vel1 = dh0, vel2 = 0.5 dh0 + dh1 */
    double want = h0[i] - 0.1 * dh0[i] - 0.1 * (0.5 * dh0[i] + dh1[i]);
    CU_ASSERT_DOUBLE_EQUAL(H[i], want, 1e-6);
  }
  CU_ASSERT(fabs(dh0[0]) > 1e-4);
  /* A new batch starts from rest (velocity zeroed by TRAIN_INIT). */
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
  const float *vel = pcn_plan_node_buffer(m.p, PCN_BUF_VEL, h);
  CU_ASSERT_PTR_NOT_NULL_FATAL(vel);
  for (int i = 0; i < cnt; i++) CU_ASSERT_EQUAL(vel[i], 0.0f);
  model_free(&m);

  /* Momentum without velocity buffers is refused. */
  chain_model(&m, PCN_INIT_ZERO, 3);
  pcn_arena_init(&m.arena);
  PcnAnalysis *an = pcn_analyze(&m.arena, &m.t.g);
  PcnTrainConfig tc = train_config(0.1f, 0.0f);
  m.s = pcn_schedule_build(&m.arena, &m.t.g, an, &tc, NULL, 0);
  m.p = pcn_plan_create(m.s, &cfg, m.err, sizeof m.err);
  CU_ASSERT_PTR_NULL(m.p);
  CU_ASSERT(strstr(m.err, "momentum") != NULL);
  model_free(&m);
}

/* TRAIN_LEARN with AdamW moves W by the optimizer step of DW and counts
 * steps; the energy falls over a few training batches. */
static void test_learning_step(void) {
  Model m;
  chain_model(&m, PCN_INIT_FORWARD, 4);
  PcnPlanConfig cfg = frozen_config(9);
  cfg.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
  cfg.learning.lr = 0.01f;
  cfg.train_inference.lr = 0.1f;
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  int n = 4;
  PcnRng r;
  pcn_rng_init(&r, 1, 1);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 0), n * 4, &r, 0, 1);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 2), n * 3, &r, 0, 1);
  float w0[16], dw[16], m1[16], v1[16];
  memcpy(w0, pcn_plan_edge_buffer(m.p, PCN_BUF_W, 0), sizeof w0);
  double F0 = 0, F = 0;
  for (int b = 0; b < 30; b++) {
    CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
    for (int t = 0; t < 3; t++) CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n), 0);
    CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_LEARN, n), 0);
    F = pcn_plan_energy_mean(m.p);
    if (b == 0) {
      memcpy(dw, pcn_plan_edge_buffer(m.p, PCN_BUF_DW, 0), sizeof dw);
      /* first AdamW step: w*(1 - lr wd) - lr * sign(dw) (|m/sqrt v| = 1) */
      const float *w1 = pcn_plan_edge_buffer(m.p, PCN_BUF_W, 0);
      for (int i = 0; i < 16; i++) {
        double want = w0[i] * (1 - 0.01 * 0.01) - (dw[i] > 0 ? 0.01 : dw[i] < 0 ? -0.01 : 0);
        CU_ASSERT_DOUBLE_EQUAL(w1[i], want, 1e-5);
      }
      memcpy(m1, pcn_plan_moment(m.p, pcn_plan_param_buffer(m.p, 0), 1), sizeof m1);
      memcpy(v1, pcn_plan_moment(m.p, pcn_plan_param_buffer(m.p, 0), 2), sizeof v1);
      for (int i = 0; i < 16; i++) {
        CU_ASSERT_DOUBLE_EQUAL(m1[i], 0.1 * dw[i], 1e-7);
        CU_ASSERT_DOUBLE_EQUAL(v1[i], 0.001 * dw[i] * dw[i], 1e-9);
      }
      F0 = F;
    }
  }
  CU_ASSERT_EQUAL(pcn_plan_learn_steps(m.p), 30);
  CU_ASSERT(F < 0.9 * F0);
  CU_ASSERT_EQUAL(pcn_plan_batch_rows(m.p), n);
  CU_ASSERT_DOUBLE_EQUAL(pcn_plan_energy_mean(m.p) * n, pcn_plan_energy(m.p), 1e-9);
  /* SMMs: the sum of PcnStage.smm of the stages run: one sweep stage and
   * 2 per step. (smm.per_update also counts the sweep's frontier, y's
   * first prediction, which the runtime does in TRAIN_STEP's first
   * predict stage; see docs/smm.md.) */
  int64_t per_update = 0;
  const int runs[3] = {1, 3, 1};
  for (int k = 0; k < 3; k++)
    for (int s = 0; s < m.s->programs[k].nstages; s++)
      per_update += runs[k] * m.s->programs[k].stages[s].smm;
  CU_ASSERT_EQUAL(per_update, 1 + 2 * 3);
  CU_ASSERT_EQUAL(pcn_plan_smm_count(m.p), 30 * per_update);
  model_free(&m);
}

static void test_null_and_random_init(void) {
  Model m;
  chain_model(&m, PCN_INIT_NULL, 3);
  PcnPlanConfig cfg = frozen_config(4);
  cfg.train_inference.lr = 0.2f;
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  int n = 2, h = 1;
  PcnRng r;
  pcn_rng_init(&r, 3, 3);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 0), n * 3, &r, 0, 1);
  fill_uniform(pcn_plan_node_buffer(m.p, PCN_BUF_H, 2), n * 3, &r, 0, 1);
  float *H = pcn_plan_node_buffer(m.p, PCN_BUF_H, h);
  H[0] = 7.0f; /* garbage the first batch must not see */
  CU_ASSERT_EQUAL(pcn_plan_begin_batch(m.p, PCN_PHASE_TRAIN, n, NULL), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
  for (int i = 0; i < n * 3; i++) CU_ASSERT_EQUAL(H[i], 0.0f);
  for (int t = 0; t < 3; t++) pcn_exec_run(m.p, PCN_PROG_TRAIN_STEP, n);
  CU_ASSERT_EQUAL(pcn_plan_end_batch(m.p, PCN_PHASE_TRAIN, n, NULL), 0);
  float hT[6];
  memcpy(hT, H, sizeof hT);
  CU_ASSERT(fabs(hT[0]) > 1e-5);
  /* An evaluation in between overwrites H; the next training batch still
   * starts from the training batch's h^(T). */
  memset(H, 0, sizeof hT);
  pcn_exec_run(m.p, PCN_PROG_EVAL_INIT, n);
  memset(H, 0x3f, sizeof hT);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, n), 0);
  CU_ASSERT(memcmp(H, hT, sizeof hT) == 0);
  model_free(&m);

  /* random(mean, std) from the node-init stream */
  memset(&m, 0, sizeof m);
  tg_init(&m.t, "test");
  int x = add_node(&m.t, 4, PCN_ACT_IDENTITY, 1, PCN_INIT_ZERO);
  int hr = add_node(&m.t, 500, PCN_ACT_TANH, 0, PCN_INIT_RANDOM);
  m.t.g.nodes[hr].init.mean = 2.0f;
  m.t.g.nodes[hr].init.std = 0.5f;
  tg_edge(&m.t, x, hr);
  cfg = frozen_config(8);
  cfg.max_batch = 8;
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_TRAIN_INIT, 8), 0);
  const float *hv = pcn_plan_node_buffer(m.p, PCN_BUF_H, hr);
  double s = 0, sq = 0;
  for (int i = 0; i < 4000; i++) s += hv[i], sq += (double)hv[i] * hv[i];
  double mean = s / 4000, sd = sqrt(sq / 4000 - mean * mean);
  CU_ASSERT(fabs(mean - 2.0) < 0.05);
  CU_ASSERT(fabs(sd - 0.5) < 0.05);
  model_free(&m);
}

/* Evaluation of a DAG with clamped roots is a forward pass: READOUT gives
 * H of the target, equal to mu computed in double. */
static void test_eval_forward_readout(void) {
  Model m;
  chain_model(&m, PCN_INIT_ZERO, 5);
  PcnPlanConfig cfg = frozen_config(6);
  CU_ASSERT_EQUAL_FATAL(model_plan(&m, &cfg), 0);
  int n = 3;
  PcnRng r;
  pcn_rng_init(&r, 6, 6);
  float xin[15];
  fill_uniform(xin, 15, &r, 0, 1);
  CU_ASSERT_EQUAL(pcn_plan_set_clamp(m.p, 0, xin, n), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_EVAL_INIT, n), 0);
  CU_ASSERT_EQUAL(pcn_exec_run(m.p, PCN_PROG_EVAL_READOUT, n), 0);
  int cols = 0;
  const float *out = pcn_plan_readout(m.p, &cols);
  CU_ASSERT_PTR_NOT_NULL_FATAL(out);
  CU_ASSERT_EQUAL(cols, 3);
  DState d;
  dstate_load(&d, &m, n);
  double mu_h[15], mu_y[9];
  /* h = act(x W + b), then y = act(h W + b), evaluated in double. */
  (void)energy_d(&m.t.g, &d, 1, mu_h);
  for (int i = 0; i < 15; i++) d.H[1][i] = mu_h[i];
  (void)energy_d(&m.t.g, &d, 2, mu_y);
  for (int i = 0; i < 9; i++) CU_ASSERT_DOUBLE_EQUAL(out[i], mu_y[i], 1e-5);
  dstate_free(&d, &m.t.g);
  model_free(&m);
}

/* A backend that counts runs and delegates every op to pcn_exec_op. */
static int counted_runs;
static int counting_run(PcnPlan *p, void *state, PcnProgramKind prog, int n) {
  (void)state;
  counted_runs++;
  const PcnPhaseProgram *pr = &pcn_plan_schedule(p)->programs[prog];
  for (int s = 0; s < pr->nstages; s++)
    for (int o = 0; o < pr->stages[s].nops; o++)
      if (pcn_exec_op(p, prog, &pr->stages[s].ops[o], n)) return -1;
  return 0;
}

static void test_custom_backend(void) {
  static const PcnBackend counting = {"counting", NULL, counting_run, NULL};
  Model a, b;
  chain_model(&a, PCN_INIT_FORWARD, 4);
  chain_model(&b, PCN_INIT_FORWARD, 4);
  PcnPlanConfig cfg = frozen_config(12);
  cfg.train_inference.lr = 0.1f;
  cfg.learning.lr = 0.05f;
  CU_ASSERT_EQUAL_FATAL(model_plan(&a, &cfg), 0);
  cfg.backend = &counting;
  CU_ASSERT_EQUAL_FATAL(model_plan(&b, &cfg), 0);
  float x[16], y[12];
  PcnRng r;
  pcn_rng_init(&r, 2, 2);
  fill_uniform(x, 16, &r, 0, 1);
  fill_uniform(y, 12, &r, 0, 1);
  Model *ms[2] = {&a, &b};
  for (int i = 0; i < 2; i++) {
    pcn_plan_set_clamp(ms[i]->p, 0, x, 4);
    pcn_plan_set_clamp(ms[i]->p, 2, y, 4);
    pcn_exec_run(ms[i]->p, PCN_PROG_TRAIN_INIT, 4);
    pcn_exec_run(ms[i]->p, PCN_PROG_TRAIN_STEP, 4);
    pcn_exec_run(ms[i]->p, PCN_PROG_TRAIN_LEARN, 4);
  }
  CU_ASSERT_EQUAL(counted_runs, 3);
  CU_ASSERT(memcmp(pcn_plan_edge_buffer(a.p, PCN_BUF_W, 1), pcn_plan_edge_buffer(b.p, PCN_BUF_W, 1),
                   12 * sizeof(float)) == 0);
  CU_ASSERT_EQUAL(pcn_plan_energy(a.p), pcn_plan_energy(b.p));
  model_free(&a);
  model_free(&b);
}

int main(void) {
  static const PcnTestCase gradients[] = {
      {"DH, DW, DB equal finite differences of F (all topologies, activations)",
       test_gradients_every_activation},
      {"energy falls monotonically for small alpha", test_energy_falls_monotonically},
      {"forward init: zero hidden errors, F from the output", test_forward_init_zero_hidden_errors},
      {NULL, NULL}};
  static const PcnTestCase plans[] = {
      {"Kaiming uniform init, seeds, alignment, params", test_kaiming_uniform_init},
      {"plan errors", test_plan_errors},
      {"inference momentum", test_update_with_momentum},
      {"learning with AdamW", test_learning_step},
      {"null and random initializers", test_null_and_random_init},
      {"evaluation forward readout", test_eval_forward_readout},
      {"a custom backend through pcn_exec_op", test_custom_backend},
      {NULL, NULL}};
  if (pcn_test_add_suite("gradients", gradients) || pcn_test_add_suite("plans", plans)) return 1;
  return pcn_test_main();
}
