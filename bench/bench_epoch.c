/* bench_epoch.c - seconds per training epoch of the paper's Fashion-MNIST
 * model (examples/fmnist_fw.pcn: 784-512-512-512-512-10, batch 200, T from
 * the file) with the reference executor, the GEMM FLOPs the schedule does
 * in that epoch, the GFLOP/s achieved, and beside it the GFLOP/s of a
 * plain cblas_sgemm loop over exactly the same sequence of matrix shapes:
 * the gap is what the executor spends outside BLAS (elementwise ops,
 * activations, optimizer steps, data gathering).
 *
 *     bench_epoch [MODEL.pcn] [--fraction F] [--threads N] [--data-dir DIR]
 *
 * See bench/README.md. */
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "pcn/schedule.h"
#include "pcn/train.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int dim(int d, int n) { return d < 0 ? n : d; }

/* FLOPs of one run of a program on n rows: 2 m n k per GEMM. */
static double program_flops(const PcnSchedule *s, PcnProgramKind k, int n) {
  double f = 0;
  const PcnPhaseProgram *p = &s->programs[k];
  for (int i = 0; i < p->nstages; i++)
    for (int j = 0; j < p->stages[i].nops; j++) {
      const PcnOp *op = &p->stages[i].ops[j];
      if (op->kind == PCN_OP_GEMM)
        f += 2.0 * dim(op->m, n) * dim(op->n, n) * dim(op->k, n);
    }
  return f;
}

/* Scratch operands for the plain loop, big enough for every GEMM. */
static float *sa, *sb, *sc;

static void program_sgemm(const PcnSchedule *s, PcnProgramKind k, int n) {
  const PcnPhaseProgram *p = &s->programs[k];
  for (int i = 0; i < p->nstages; i++)
    for (int j = 0; j < p->stages[i].nops; j++) {
      const PcnOp *op = &p->stages[i].ops[j];
      if (op->kind != PCN_OP_GEMM) continue;
      int m = dim(op->m, n), nn = dim(op->n, n), kk = dim(op->k, n);
      float alpha = op->alpha_over_batch ? op->alpha / (float)n : op->alpha;
      cblas_sgemm(CblasRowMajor, op->trans_a ? CblasTrans : CblasNoTrans,
                  op->trans_b ? CblasTrans : CblasNoTrans, m, nn, kk, alpha,
                  sa, op->trans_a ? m : kk, sb, op->trans_b ? kk : nn,
                  op->beta, sc, nn);
    }
}

static size_t max_operand(const PcnSchedule *s, int n) {
  size_t mx = 1;
  for (int k = 0; k < PCN_PROG_COUNT; k++) {
    const PcnPhaseProgram *p = &s->programs[k];
    for (int i = 0; i < p->nstages; i++)
      for (int j = 0; j < p->stages[i].nops; j++) {
        const PcnOp *op = &p->stages[i].ops[j];
        if (op->kind != PCN_OP_GEMM) continue;
        size_t m = (size_t)dim(op->m, n), nn = (size_t)dim(op->n, n),
               kk = (size_t)dim(op->k, n);
        if (m * kk > mx) mx = m * kk;
        if (kk * nn > mx) mx = kk * nn;
        if (m * nn > mx) mx = m * nn;
      }
  }
  return mx;
}

int main(int argc, char **argv) {
  const char *path = "examples/fmnist_fw.pcn";
  const char *data_dir = NULL;
  double fraction = 1.0;
  int threads = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fraction") && i + 1 < argc)
      fraction = atof(argv[++i]);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
      data_dir = argv[++i];
    else if (argv[i][0] != '-')
      path = argv[i];
    else {
      fprintf(stderr, "usage: bench_epoch [MODEL.pcn] [--fraction F] "
              "[--threads N] [--data-dir DIR]\n");
      return 2;
    }
  }
  if (threads > 0) pcn_train_set_threads(threads);

  PcnArena arena;
  PcnDiag diag;
  pcn_arena_init(&arena);
  pcn_diag_init(&diag);
  PcnCompileOptions copts = {0};
  PcnCompilation *c = pcn_compile_file(&arena, &diag, path, &copts);
  pcn_diag_print(&diag, stderr, 0);
  if (!c || diag.nerrors || c->ntrains < 1) {
    fprintf(stderr, "bench_epoch: %s: cannot compile a train block\n", path);
    return 1;
  }
  PcnTrainConfig tc = c->trains[0];
  tc.epochs = 1;
  tc.fraction = (float)fraction;
  const PcnGraph *g = c->models[tc.model];
  const PcnAnalysis *an = pcn_compilation_analysis(c, tc.model);
  const PcnDataset *ds = &c->datasets[tc.dataset];
  PcnSchedule *s = pcn_schedule_build(&arena, g, an, &tc, NULL, 60000);
  if (!s) return 1;

  /* No evaluate block: the epoch's time is training only. */
  PcnTrainSpec spec = {g, an, s, &tc, NULL, ds, NULL, data_dir};
  PcnTrainOptions opt = pcn_train_options_default();
  opt.progress = 0;
  char err[512];
  PcnTrainer *t = pcn_trainer_new(&spec, &opt, err, sizeof err);
  if (!t) {
    fprintf(stderr, "bench_epoch: %s\n", err);
    return 1;
  }
  PcnTrainInfo info;
  pcn_trainer_info(t, &info);
  int nb = tc.batch;
  int full = info.train_rows / nb;
  int rest = info.drop_last ? 0 : info.train_rows % nb;

  printf("bench_epoch: model %s, %d samples, batch %d, T %d, %d batches, "
         "backend reference, BLAS threads %d\n",
         g->name, info.train_rows, nb, tc.T, info.batches_per_epoch,
         openblas_get_num_threads());
  PcnTrainResult res;
  if (pcn_trainer_run(t, &res, err, sizeof err) != 0) {
    fprintf(stderr, "bench_epoch: %s\n", err);
    return 1;
  }
  double secs = res.last.seconds;

  /* The epoch's GEMM work, per batch: INIT, T x STEP, LEARN. */
  double flops = 0;
  int sizes[2] = {nb, rest}, counts[2] = {full, rest > 0};
  for (int k = 0; k < 2; k++) {
    int n = sizes[k];
    double per = program_flops(s, PCN_PROG_TRAIN_INIT, n) +
                 tc.T * program_flops(s, PCN_PROG_TRAIN_STEP, n) +
                 program_flops(s, PCN_PROG_TRAIN_LEARN, n);
    flops += per * counts[k];
  }
  printf("epoch:        %8.2f s  (%.2f ms/batch), train energy %.4f\n", secs,
         1e3 * secs / info.batches_per_epoch, res.last.train_energy);
  printf("GEMM work:    %8.3e FLOPs -> %6.1f GFLOP/s achieved\n", flops,
         flops / secs * 1e-9);

  /* The same GEMM shapes in the same order, nothing else. */
  size_t mx = max_operand(s, nb);
  sa = malloc(mx * sizeof(float));
  sb = malloc(mx * sizeof(float));
  sc = malloc(mx * sizeof(float));
  for (size_t i = 0; i < mx; i++) {
    sa[i] = (float)((i * 7919) % 101) / 1010.0f;
    sb[i] = (float)((i * 104729) % 97) / 970.0f;
    sc[i] = 0.0f;
  }
  double t0 = now();
  for (int k = 0; k < 2; k++)
    for (int b = 0; b < counts[k]; b++) {
      int n = sizes[k];
      program_sgemm(s, PCN_PROG_TRAIN_INIT, n);
      for (int st = 0; st < tc.T; st++)
        program_sgemm(s, PCN_PROG_TRAIN_STEP, n);
      program_sgemm(s, PCN_PROG_TRAIN_LEARN, n);
    }
  double plain = now() - t0;
  printf("plain sgemm:  %8.2f s  same shapes  -> %6.1f GFLOP/s\n", plain,
         flops / plain * 1e-9);
  printf("executor reaches %.0f%% of the plain GEMM rate; %.2f s of the epoch "
         "is outside GEMMs\n",
         100.0 * plain / secs, secs - plain);
  free(sa);
  free(sb);
  free(sc);
  pcn_trainer_free(t);
  pcn_diag_free(&diag);
  pcn_arena_free(&arena);
  return 0;
}
