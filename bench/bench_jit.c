/* bench_jit.c - JIT vs reference executor on the paper's model
 * (784-512-512-512-512-10, gelu, forward initialization, batch 200,
 * T = 5, AdamW), run by hand:
 *
 *     nice build/bench/bench_jit [--batches N] [--ref-batches N] [--jit-only]
 *                                [--ab VAR=VALUE]
 *
 * Prints seconds per training epoch (300 batches, extrapolated from the
 * batches run) for both backends, the time of the same matrix products
 * issued as a bare cblas_sgemm loop (the floor any backend has to pay),
 * the fraction of JIT time that is matrix products, and the time from
 * start to the end of the first batch (schedule, plan, compile, JIT). The
 * data are random (the speed does not depend on the values). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "codegen.h"
#include "pcn/analysis.h"
#include "pcn/exec.h"
#include "pcn/optim.h"
#include "pcn/rng.h"
#include "pcn/schedule.h"

#define BATCH 200
#define T_STEPS 5
#define EPOCH_BATCHES 300
#define NNODES 6

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct Model {
  PcnGraph g;
  PcnNode nodes[NNODES];
  PcnEdge edges[NNODES - 1];
  int in[NNODES][1], out[NNODES][1];
} Model;

static void build_model(Model *m) {
  static const int sizes[NNODES] = {784, 512, 512, 512, 512, 10};
  static const char *const names[NNODES] = {"x", "h1", "h2", "h3", "h4", "y"};
  memset(m, 0, sizeof *m);
  m->g.name = "fmnist_fw";
  m->g.nodes = m->nodes;
  m->g.edges = m->edges;
  m->g.nnodes = NNODES;
  m->g.nedges = NNODES - 1;
  for (int v = 0; v < NNODES; v++) {
    PcnNode *nd = &m->nodes[v];
    nd->name = names[v];
    nd->size = sizes[v];
    nd->ndims = 1;
    nd->dims[0] = sizes[v];
    nd->act = v == 0 ? PCN_ACT_IDENTITY : PCN_ACT_GELU;
    nd->bias = v > 0;
    nd->init.kind = v == 0 ? PCN_INIT_ZERO : PCN_INIT_FORWARD;
    nd->clamp = v == 0 ? PCN_CLAMP_IMAGE : v == NNODES - 1 ? PCN_CLAMP_LABEL : PCN_CLAMP_NONE;
    nd->clamp_train = v == 0 || v == NNODES - 1;
    nd->clamp_eval = v == 0;
    nd->in_edges = m->in[v];
    nd->out_edges = m->out[v];
  }
  for (int e = 0; e < NNODES - 1; e++) {
    m->edges[e].src = e;
    m->edges[e].dst = e + 1;
    m->nodes[e].out_edges[m->nodes[e].nout++] = e;
    m->nodes[e + 1].in_edges[m->nodes[e + 1].nin++] = e;
  }
}

static void train_batch(PcnPlan *p, int n) {
  pcn_plan_begin_batch(p, PCN_PHASE_TRAIN, n, NULL);
  pcn_exec_run(p, PCN_PROG_TRAIN_INIT, n);
  for (int t = 0; t < T_STEPS; t++) pcn_exec_run(p, PCN_PROG_TRAIN_STEP, n);
  pcn_plan_end_batch(p, PCN_PHASE_TRAIN, n, NULL);
  pcn_exec_run(p, PCN_PROG_TRAIN_LEARN, n);
}

/* The GEMMs one training batch issues, as a bare loop on p's buffers:
 * all of them (sp NULL), or those the JIT's step variants keep; each
 * called as the JIT calls it under options o (pcn_cg_gemm_call), or
 * plain cblas_sgemm on OpenBLAS's threads as set (o NULL). */
static void gemm_only_batch(PcnPlan *p, const PcnSchedule *s, int n, const PcnCgStepPlan *sp,
                            const PcnCgOptions *o) {
  static const PcnProgramKind progs[] = {PCN_PROG_TRAIN_INIT, PCN_PROG_TRAIN_STEP,
                                         PCN_PROG_TRAIN_LEARN};
  for (int pi = 0; pi < 3; pi++) {
    int reps = progs[pi] == PCN_PROG_TRAIN_STEP ? T_STEPS : 1;
    const PcnPhaseProgram *pr = &s->programs[progs[pi]];
    for (int r = 0; r < reps; r++) {
      const uint8_t *md = NULL;
      if (sp && progs[pi] == PCN_PROG_TRAIN_STEP && r < sp->T)
        md = sp->step_modes + (size_t)r * sp->nstep_ops;
      if (sp && progs[pi] == PCN_PROG_TRAIN_LEARN) md = sp->learn_modes;
      int k = 0;
      for (int si = 0; si < pr->nstages; si++)
        for (int oi = 0; oi < pr->stages[si].nops; oi++, k++) {
          const PcnOp *op = &pr->stages[si].ops[oi];
          if (op->kind != PCN_OP_GEMM || (md && md[k] == PCN_CG_SKIP)) continue;
          int m = op->m < 0 ? n : op->m, nn = op->n < 0 ? n : op->n, kk = op->k < 0 ? n : op->k;
          PcnCgGemmCall how = o ? pcn_cg_gemm_call(o, op) : PCN_CG_GEMM_BLAS;
          void (*call)(int, int, int, int, int, int, float, const float *, int, const float *,
                       int, float, float *, int) = how == PCN_CG_GEMM_SPLIT ? pcn_rt_sgemm
                                                   : how == PCN_CG_GEMM_1T  ? pcn_rt_sgemm_1t
                                                                            : NULL;
          if (call)
            call(CblasRowMajor, op->trans_a ? CblasTrans : CblasNoTrans,
                 op->trans_b ? CblasTrans : CblasNoTrans, m, nn, kk, op->alpha,
                 pcn_plan_buffer(p, op->a), s->buffers[op->a].cols, pcn_plan_buffer(p, op->b),
                 s->buffers[op->b].cols, op->beta, pcn_plan_buffer(p, op->c),
                 s->buffers[op->c].cols);
          else
            cblas_sgemm(CblasRowMajor, op->trans_a ? CblasTrans : CblasNoTrans,
                        op->trans_b ? CblasTrans : CblasNoTrans, m, nn, kk, op->alpha,
                        pcn_plan_buffer(p, op->a), s->buffers[op->a].cols,
                        pcn_plan_buffer(p, op->b), s->buffers[op->b].cols, op->beta,
                        pcn_plan_buffer(p, op->c), s->buffers[op->c].cols);
        }
    }
  }
}

static double mean(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  return n > 0 ? s / n : 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The q-quantile (0.5: median; sorts a copy; nearest rank below). */
static double quantile(const double *v, int n, double q) {
  if (n <= 0) return 0;
  double *w = malloc((size_t)n * sizeof *w);
  if (!w) return mean(v, n);
  memcpy(w, v, (size_t)n * sizeof *w);
  qsort(w, (size_t)n, sizeof *w, cmp_double);
  double m = q == 0.5 && n % 2 == 0 ? 0.5 * (w[n / 2 - 1] + w[n / 2]) : w[(int)(q * (n - 1))];
  free(w);
  return m;
}

static double median(const double *v, int n) { return quantile(v, n, 0.5); }

static PcnPlan *make_plan(const PcnSchedule *s, const PcnBackend *be) {
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = BATCH;
  cfg.train_inference.lr = 0.1f;
  cfg.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
  cfg.learning.lr = 3e-4f;
  cfg.backend = be;
  char err[256];
  PcnPlan *p = pcn_plan_create(s, &cfg, err, sizeof err);
  if (!p) fprintf(stderr, "bench_jit: %s\n", err);
  return p;
}

static void set_data(PcnPlan *p, const float *x, const float *y) {
  pcn_plan_set_clamp(p, 0, x, BATCH);
  pcn_plan_set_clamp(p, NNODES - 1, y, BATCH);
}

int main(int argc, char **argv) {
  int batches = 30, ref_batches = 10;
  bool jit_only = false;
  const char *ab_env = NULL; /* --ab VAR=VALUE: a second JIT built with it */
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--jit-only")) jit_only = true;
    else if (i + 1 < argc && !strcmp(argv[i], "--ab")) ab_env = argv[++i];
    else if (i + 1 < argc && !strcmp(argv[i], "--batches")) batches = atoi(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--ref-batches")) ref_batches = atoi(argv[++i]);
  }
  if (batches < 2) batches = 2;
  if (ref_batches < 1) ref_batches = 1;
  double t_start = now();
  Model m;
  build_model(&m);
  PcnArena arena;
  pcn_arena_init(&arena);
  PcnAnalysis *an = pcn_analyze(&arena, &m.g);
  PcnTrainConfig tc;
  memset(&tc, 0, sizeof tc);
  tc.fraction = 1.0f;
  tc.batch = BATCH;
  tc.epochs = 1;
  tc.T = T_STEPS;
  tc.inference = pcn_optimizer_default(PCN_OPT_SGD);
  tc.inference.lr = 0.1f;
  tc.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
  tc.method = PCN_METHOD_PC;
  PcnSchedule *s = an ? pcn_schedule_build(&arena, &m.g, an, &tc, NULL, BATCH * EPOCH_BATCHES)
                      : NULL;
  if (!s) return 1;

  /* What the step specialization skips (codegen.c). */
  PcnCgStepPlan sp;
  if (pcn_cg_plan_steps(s, T_STEPS, &sp)) return 1;
  {
    for (int t = 0; t <= sp.T; t++) {
      PcnProgramKind prog = t < sp.T ? PCN_PROG_TRAIN_STEP : PCN_PROG_TRAIN_LEARN;
      const uint8_t *md = t < sp.T ? sp.step_modes + (size_t)t * sp.nstep_ops : sp.learn_modes;
      double all = 0, kept = 0;
      int k = 0, skipped = 0;
      const PcnPhaseProgram *pr = &s->programs[prog];
      for (int si = 0; si < pr->nstages; si++)
        for (int oi = 0; oi < pr->stages[si].nops; oi++, k++) {
          const PcnOp *op = &pr->stages[si].ops[oi];
          if (md[k] == PCN_CG_SKIP) skipped++;
          if (op->kind != PCN_OP_GEMM) continue;
          double f = (double)(op->m < 0 ? BATCH : op->m) * (op->n < 0 ? BATCH : op->n) *
                     (op->k < 0 ? BATCH : op->k);
          all += f;
          if (md[k] != PCN_CG_SKIP) kept += f;
        }
      printf("%s%s%d: %d of %d ops skipped, GEMM work kept %.0f%%\n",
             t < sp.T ? "train_step t=" : "train_learn after T=", "", t, skipped, k,
             100.0 * kept / all);
    }
  }

  float *x = malloc(sizeof(float) * BATCH * 784), *y = calloc(BATCH * 10, sizeof(float));
  PcnRng r;
  pcn_rng_init(&r, 1, 1);
  for (int i = 0; i < BATCH * 784; i++) x[i] = (float)pcn_rng_uniform(&r);
  for (int i = 0; i < BATCH; i++) y[i * 10 + (int)pcn_rng_below(&r, 10)] = 1.0f;

  double t_plan = now();
  PcnPlan *jit = make_plan(s, pcn_backend_jit());
  double t_batch = now();
  if (!jit) return 1;
  double compile = pcn_jit_last_compile_seconds();
  PcnJitTimes jt;
  pcn_jit_last_times(&jt);
  set_data(jit, x, y);
  train_batch(jit, BATCH);
  double first = now() - t_start;
  /* --ab VAR=VALUE: the same model compiled with VAR=VALUE in the
   * environment (the JIT reads its switches at compile time), its
   * batches interleaved with the default JIT's (A, B, A, B, ...), so a
   * machine whose speed drifts within a minute still compares the two. */
  PcnPlan *jit_b = NULL;
  if (ab_env) {
    char *eq = strchr(ab_env, '=');
    if (!eq) {
      fprintf(stderr, "bench_jit: --ab wants VAR=VALUE\n");
      return 2;
    }
    char var[128];
    snprintf(var, sizeof var, "%.*s", (int)(eq - ab_env), ab_env);
    setenv(var, eq + 1, 1);
    jit_b = make_plan(s, pcn_backend_jit());
    unsetenv(var);
    if (!jit_b) return 1;
    set_data(jit_b, x, y);
    train_batch(jit_b, BATCH);
    int nt = batches - 1;
    double *ta = calloc((size_t)nt, sizeof *ta), *tb = calloc((size_t)nt, sizeof *tb);
    if (!ta || !tb) return 1;
    for (int b = 0; b < nt; b++) {
      double t0 = now();
      train_batch(jit, BATCH);
      ta[b] = now() - t0;
      t0 = now();
      train_batch(jit_b, BATCH);
      tb[b] = now() - t0;
    }
    printf("A (default):   %.2f ms/batch, median %.2f, 10th percentile %.2f\n",
           1e3 * mean(ta, nt), 1e3 * median(ta, nt), 1e3 * quantile(ta, nt, 0.1));
    printf("B (%s): %.2f ms/batch, median %.2f, 10th percentile %.2f\n", ab_env,
           1e3 * mean(tb, nt), 1e3 * median(tb, nt), 1e3 * quantile(tb, nt, 0.1));
    free(ta), free(tb);
    pcn_plan_destroy(jit_b);
    pcn_cg_step_plan_free(&sp);
    pcn_plan_destroy(jit);
    free(x), free(y);
    pcn_arena_free(&arena);
    return 0;
  }
  /* JIT batches, then (unless --jit-only) the two bare product loops
   * issued as the JIT issues them (pcn_cg_gemm_call: by default split
   * over the pool with OpenBLAS at one thread, as in jit_run), one batch
   * each in turn with the JIT batches (jit, kept, all, jit, ...), so a
   * background load hits all three alike; each batch timed alone. */
  PcnCgStepPlan jp = {0};
  PcnCgOptions jo;
  if (pcn_jit_options(s, &jp, &jo)) return 1;
  int blas_threads = openblas_get_num_threads();
  int nt = batches - 1;
  double *tj = calloc((size_t)nt, sizeof *tj), *tk = calloc((size_t)nt, sizeof *tk),
         *ta = calloc((size_t)nt, sizeof *ta), *tb = calloc((size_t)nt, sizeof *tb);
  if (!tj || !tk || !ta || !tb) return 1;
  const PcnCgStepPlan *kept_plan = jo.steps ? &sp : NULL;
  double t0;
  for (int b = 0; b < nt; b++) {
    t0 = now();
    train_batch(jit, BATCH);
    tj[b] = now() - t0;
    if (jit_only) continue;
    if (jo.own_gemm_threads) openblas_set_num_threads(1);
    t0 = now();
    gemm_only_batch(jit, s, BATCH, kept_plan, &jo);
    tk[b] = now() - t0;
    t0 = now();
    gemm_only_batch(jit, s, BATCH, NULL, &jo);
    ta[b] = now() - t0;
    if (jo.own_gemm_threads) openblas_set_num_threads(blas_threads);
  }
  double jit_batch = mean(tj, nt), jit_med = median(tj, nt);
  /* Evaluation compiles on first use: time one evaluation batch. */
  t0 = now();
  pcn_plan_begin_batch(jit, PCN_PHASE_EVAL, BATCH, NULL);
  pcn_exec_run(jit, PCN_PROG_EVAL_INIT, BATCH);
  pcn_exec_run(jit, PCN_PROG_EVAL_READOUT, BATCH);
  double first_eval = now() - t0;
  pcn_jit_last_times(&jt);
  if (jit_only) {
    /* For profiles of the JIT alone (perf): no sgemm loops, no reference. */
    printf("JIT compile %.3f s, start to end of first batch %.3f s, JIT %.2f ms/batch "
           "(median %.2f)\n",
           compile, first, 1e3 * jit_batch, 1e3 * jit_med);
    pcn_cg_step_plan_free(&sp);
    pcn_cg_step_plan_free(&jp);
    pcn_plan_destroy(jit);
    free(tj), free(tk), free(ta), free(tb);
    free(x);
    free(y);
    pcn_arena_free(&arena);
    return 0;
  }
  /* The kept products as plain cblas_sgemm calls on OpenBLAS's own
   * threads, in a block of their own: interleaved, OpenBLAS's workers
   * would still spin (about 0.1 s after each product) beside the JIT's
   * pool and slow its batches. */
  for (int b = 0; b < nt; b++) {
    t0 = now();
    gemm_only_batch(jit, s, BATCH, kept_plan, NULL);
    tb[b] = now() - t0;
  }

  double gemm_batch = mean(ta, nt), kept_batch = mean(tk, nt);
  double gemm_med = median(ta, nt), kept_med = median(tk, nt);
  double plain_med = median(tb, nt);

  PcnPlan *ref = make_plan(s, &pcn_backend_ref);
  if (!ref) return 1;
  set_data(ref, x, y);
  train_batch(ref, BATCH);
  t0 = now();
  for (int b = 0; b < ref_batches; b++) train_batch(ref, BATCH);
  double ref_batch = (now() - t0) / ref_batches;

  const char *issued = jo.own_gemm_threads ? "split over the JIT's two threads"
                       : jo.skinny_1t      ? "OpenBLAS threads, skinny on one"
                                           : "OpenBLAS threads";
  printf("model 784-512-512-512-512-10 gelu, forward init, batch %d, T %d, AdamW\n", BATCH,
         T_STEPS);
  printf("JIT compile (prepare):                    %.3f s\n", compile);
  printf("  setup %.1f ms, codegen %.1f ms, verify + split %.1f ms, kernels %.1f ms "
         "(passes + machine code on two threads; CPU %.1f ms, of which optimize %.1f ms), "
         "entries %.1f ms (in kernels), link %.1f ms; thread CPU %.1f ms\n",
         1e3 * jt.setup, 1e3 * jt.codegen, 1e3 * jt.verify, 1e3 * jt.kernels,
         1e3 * jt.kernels_cpu, 1e3 * jt.kernels_opt_cpu, 1e3 * jt.entries,
         1e3 * jt.materialize, 1e3 * jt.cpu);
  printf("start to end of first batch (JIT):        %.3f s\n", first);
  printf("  of which schedule %.1f ms, plan + prepare %.1f ms, first batch %.1f ms\n",
         1e3 * (t_plan - t_start), 1e3 * (t_batch - t_plan), 1e3 * (first - (t_batch - t_start)));
  printf("first evaluation batch (JIT, compiles eval_init, eval_readout): %.1f ms "
         "(lazy compile %.1f ms, optimize %.1f ms)\n",
         1e3 * first_eval, 1e3 * jt.lazy, 1e3 * jt.lazy_optimize);
  printf("JIT:        %.2f ms/batch  %.2f s/epoch (%d batches timed; median %.2f ms)\n",
         1e3 * jit_batch, jit_batch * EPOCH_BATCHES, nt, 1e3 * jit_med);
  printf("reference:  %.2f ms/batch  %.2f s/epoch (%d batches timed)\n", 1e3 * ref_batch,
         ref_batch * EPOCH_BATCHES, ref_batches);
  printf("sgemm loops, products issued as the JIT issues them (%s):\n", issued);
  printf("  all products of the schedule: %.2f ms/batch  %.2f s/epoch (median %.2f)\n",
         1e3 * gemm_batch, gemm_batch * EPOCH_BATCHES, 1e3 * gemm_med);
  printf("  products the JIT keeps:       %.2f ms/batch  %.2f s/epoch (median %.2f)\n",
         1e3 * kept_batch, kept_batch * EPOCH_BATCHES, 1e3 * kept_med);
  printf("sgemm loop, products the JIT keeps, plain cblas_sgemm on OpenBLAS's %d threads "
         "(a block after the JIT's): median %.2f ms/batch\n",
         blas_threads, 1e3 * plain_med);
  printf("matrix products: %.1f%% of JIT time (its own products, as issued; medians %.1f%%), "
         "%.1f%% of reference time\n",
         100.0 * kept_batch / jit_batch, 100.0 * kept_med / jit_med,
         100.0 * gemm_batch / ref_batch);
  printf("  against the plain OpenBLAS loop: %.1f%% (medians)\n", 100.0 * plain_med / jit_med);
  /* Each JIT batch against the kept-products loop run right after it:
   * the machine's speed drifts (a neighbour's load comes and goes within
   * seconds here), and a pair taken 20 ms apart sees the same machine. */
  double *ratio = calloc((size_t)nt, sizeof *ratio);
  if (ratio) {
    for (int b = 0; b < nt; b++) ratio[b] = tk[b] / tj[b];
    printf("per-batch pairs (JIT batch, then the kept-products loop): products %.1f%% of JIT "
           "time (median; quartiles %.1f%%-%.1f%%)\n",
           100.0 * median(ratio, nt), 100.0 * quantile(ratio, nt, 0.25),
           100.0 * quantile(ratio, nt, 0.75));
    free(ratio);
  }
  /* The fastest tenth of the batches: the least disturbed by a load. */
  double jit_p10 = quantile(tj, nt, 0.1), kept_p10 = quantile(tk, nt, 0.1);
  printf("10th percentiles: JIT %.2f ms, sgemm loop (kept) %.2f ms: products %.1f%%\n",
         1e3 * jit_p10, 1e3 * kept_p10, 100.0 * kept_p10 / jit_p10);
  free(tb);
  pcn_cg_step_plan_free(&jp);
  free(tj), free(tk), free(ta);
  pcn_cg_step_plan_free(&sp);
  pcn_plan_destroy(jit);
  pcn_plan_destroy(ref);
  free(x);
  free(y);
  pcn_arena_free(&arena);
  return 0;
}
