/* test_train.c - the training loop end to end on small synthetic problems:
 * it learns, it is deterministic, it stops on divergence without touching
 * the last good checkpoint, it honours a stop request, resuming from a
 * checkpoint continues the same run, extra evaluations at other step
 * counts (--eval-T) change nothing else. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile.h"
#include "pcn/checkpoint.h"
#include "pcn/schedule.h"
#include "pcn/train.h"
#include "testgraph.h"
#include "testutil.h"

/* 4 well separated gaussian clusters in 8 dimensions; a 8-16-4 PC
 * classifier with forward initialization. */
#define BLOBS_MODEL(EPOCHS, ALPHA, BETA)                                     \
  "dataset blobs8 { format synthetic; generator blobs; features 8;\n"        \
  "  classes 4; samples 800 400; }\n"                                        \
  "model m { input x[8]; target y[4];\n"                                     \
  "  node h[16] act tanh init forward; x -> h -> y; }\n"                     \
  "train m { data blobs8.train; batch 32; epochs " EPOCHS ";\n"              \
  "  inference steps 3 sgd(lr=" ALPHA "); learning adamw(lr=" BETA ");\n"    \
  "  seed 7; }\n"                                                            \
  "evaluate m { data blobs8.test; metric accuracy; }\n"

typedef TSpec Setup;

static int setup(Setup *u, const char *src) { return tspec_open(u, "test.pcn", src); }
static void teardown(Setup *u) { tspec_close(u); }

/* Records every epoch's numbers through the on_epoch hook. */
typedef struct Record {
  int n;
  double energy[16], acc[16];
  long long smm[16];
} Record;

static void record_epoch(const PcnEpochStats *st, void *user) {
  Record *r = user;
  if (r->n < 16) {
    r->energy[r->n] = st->train_energy;
    r->acc[r->n] = st->test_accuracy;
    r->smm[r->n] = st->smm;
    r->n++;
  }
}

static double initial_accuracy = -1;

static int run(Setup *u, PcnTrainOptions *opt, Record *rec,
               PcnTrainResult *res, char *err, size_t errlen) {
  opt->on_epoch = record_epoch;
  opt->user = rec;
  opt->progress = 0;
  PcnTrainer *t = pcn_trainer_new(&u->spec, opt, err, errlen);
  if (!t) return -2;
  pcn_trainer_evaluate(t, &initial_accuracy, NULL, err, errlen);
  int rc = pcn_trainer_run(t, res, err, errlen);
  pcn_trainer_free(t);
  return rc;
}

static void test_learns_blobs(void) {
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("3", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  Record rec = {0};
  PcnTrainResult res;
  char err[512] = "";
  int rc = run(&u, &opt, &rec, &res, err, sizeof err);
  if (rc != 0) fprintf(stderr, "error: %s\n", err);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(res.epochs_done, 3);
  CU_ASSERT_EQUAL(rec.n, 3);
  CU_ASSERT(res.last.classification);
  fprintf(stderr, "[accuracy %.2f%% -> %.2f%%] ", initial_accuracy,
          res.last.test_accuracy);
  CU_ASSERT(initial_accuracy < 60.0); /* it did learn */
  CU_ASSERT(res.last.test_accuracy >= 95.0);
  /* 800 samples in batches of 32 = 25 batches, per_update SMMs each. */
  CU_ASSERT_EQUAL(rec.smm[0], 25 * u.spec.schedule->smm.per_update);
  CU_ASSERT_EQUAL(rec.smm[2], 3 * rec.smm[0]);
  /* Learning lowers the energy left after inference. */
  CU_ASSERT(rec.energy[2] < rec.energy[0]);
  teardown(&u);
}

static void test_deterministic(void) {
  Record a = {0}, b = {0};
  for (int k = 0; k < 2; k++) {
    Setup u;
    CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("2", "0.1", "3e-3")) == 0);
    PcnTrainOptions opt = pcn_train_options_default();
    PcnTrainResult res;
    char err[512];
    CU_ASSERT_EQUAL(run(&u, &opt, k ? &b : &a, &res, err, sizeof err), 0);
    teardown(&u);
  }
  CU_ASSERT_EQUAL_FATAL(a.n, 2);
  CU_ASSERT_EQUAL_FATAL(b.n, 2);
  for (int e = 0; e < 2; e++) {
    CU_ASSERT(a.energy[e] == b.energy[e]);
    CU_ASSERT(a.acc[e] == b.acc[e]);
  }
  /* A different seed gives a different run. */
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("2", "0.1", "3e-3")) == 0);
  u.train.seed = 8;
  PcnTrainOptions opt = pcn_train_options_default();
  Record c = {0};
  PcnTrainResult res;
  char err[512];
  CU_ASSERT_EQUAL(run(&u, &opt, &c, &res, err, sizeof err), 0);
  CU_ASSERT(c.energy[0] != a.energy[0]);
  teardown(&u);
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static unsigned char *slurp(const char *path, long *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *n = ftell(f);
  rewind(f);
  unsigned char *b = malloc((size_t)*n + 1);
  if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  return b;
}

static void test_divergence_keeps_checkpoint(void) {
  char ckpt[512];
  snprintf(ckpt, sizeof ckpt, "%s/div.ckpt", pcn_test_tmpdir());
  remove(ckpt);
  /* A sane first run leaves a checkpoint of epoch 1. */
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("1", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  opt.save_path = ckpt;
  Record rec = {0};
  PcnTrainResult res;
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(run(&u, &opt, &rec, &res, err, sizeof err), 0);
  long n0;
  unsigned char *before = slurp(ckpt, &n0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(before);
  teardown(&u);

  /* Resume it with an absurd alpha: inference explodes within a batch. */
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("3", "1e30", "3e-3")) == 0);
  opt = pcn_train_options_default();
  opt.save_path = ckpt;
  opt.load_path = ckpt;
  Record rec2 = {0};
  int rc = run(&u, &opt, &rec2, &res, err, sizeof err);
  CU_ASSERT_EQUAL(rc, -1);
  CU_ASSERT(res.diverged);
  CU_ASSERT_EQUAL(rec2.n, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "diverged: energy of node '"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "at epoch 2, batch "));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "lower the learning rates"));
  long n1;
  unsigned char *after = slurp(ckpt, &n1);
  CU_ASSERT_PTR_NOT_NULL_FATAL(after);
  CU_ASSERT_EQUAL(n0, n1);
  CU_ASSERT(n0 == n1 && memcmp(before, after, (size_t)n0) == 0);
  free(before);
  free(after);
  teardown(&u);
}

/* Stops from inside the batch loop, as a SIGINT handler would: a backend
 * that delegates to the reference one and raises the flag after the third
 * learning step. */
static volatile sig_atomic_t stop_flag;
static int learn_runs;

static int stopping_prepare(PcnPlan *p, void **state, char *err,
                            size_t errlen) {
  return pcn_backend_ref.prepare ? pcn_backend_ref.prepare(p, state, err, errlen)
                                 : 0;
}

static int stopping_run(PcnPlan *p, void *state, PcnProgramKind prog, int n) {
  int rc = pcn_backend_ref.run(p, state, prog, n);
  if (prog == PCN_PROG_TRAIN_LEARN && ++learn_runs == 3) stop_flag = 1;
  return rc;
}

static void stopping_release(void *state) {
  if (pcn_backend_ref.release) pcn_backend_ref.release(state);
}

static const PcnBackend stopping_backend = {"stopping", stopping_prepare,
                                            stopping_run, stopping_release};

static void test_stop_request(void) {
  char ckpt[512], log[512];
  snprintf(ckpt, sizeof ckpt, "%s/stop.ckpt", pcn_test_tmpdir());
  snprintf(log, sizeof log, "%s/stop.jsonl", pcn_test_tmpdir());
  remove(ckpt);
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("3", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  opt.save_path = ckpt;
  opt.log_path = log;
  opt.stop = &stop_flag;
  opt.backend = &stopping_backend;
  stop_flag = 0;
  learn_runs = 0;
  Record rec = {0};
  PcnTrainResult res;
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(run(&u, &opt, &rec, &res, err, sizeof err), 0);
  CU_ASSERT(res.interrupted);
  CU_ASSERT_EQUAL(res.epochs_done, 1);
  CU_ASSERT_EQUAL(res.last.batches, 3);
  CU_ASSERT(res.last.interrupted);
  CU_ASSERT_EQUAL(learn_runs, 3);
  /* The partial epoch is logged, marked, and checkpointed. */
  long n;
  unsigned char *text = slurp(log, &n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(text);
  text[n] = '\0';
  CU_ASSERT_PTR_NOT_NULL(strstr((char *)text, "\"interrupted\":true"));
  CU_ASSERT_PTR_NOT_NULL(strstr((char *)text, "\"epoch\":1,"));
  free(text);
  CU_ASSERT(file_size(ckpt) > 0);

  /* A request made before the run starts trains nothing. */
  stop_flag = 1;
  Record rec2 = {0};
  opt.save_path = NULL;
  opt.log_path = NULL;
  CU_ASSERT_EQUAL(run(&u, &opt, &rec2, &res, err, sizeof err), 0);
  CU_ASSERT(res.interrupted);
  CU_ASSERT_EQUAL(res.epochs_done, 0);
  CU_ASSERT_EQUAL(rec2.n, 0);
  stop_flag = 0;
  teardown(&u);
}

/* The blow-up guard on fixed energy sequences: noise and a slow decline
 * pass, a jump of more than PCN_BLOWUP_FACTOR over the lowest smoothed
 * level is flagged, nothing is flagged during the warm-up. */
static void test_blowup_guard(void) {
  PcnBlowupGuard g;
  pcn_blowup_guard_init(&g);
  /* A first batch far above anything later is the warm-up, not a blow-up. */
  CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 50.0));
  for (int i = 1; i < 200; i++) {
    double e = 1e-3 * pow(0.98, i) * (i % 7 == 0 ? 300.0 : 1.0);
    CU_ASSERT_FALSE_FATAL(pcn_blowup_guard_check(&g, e));
  }
  double level = pcn_blowup_guard_level(&g);
  CU_ASSERT(level < 1e-3 && level > 1e-6); /* the spikes raise it */
  CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 0.5 * PCN_BLOWUP_FACTOR * level));
  CU_ASSERT_TRUE(pcn_blowup_guard_check(&g, 2.0 * PCN_BLOWUP_FACTOR * level));

  /* Energies at exactly zero: the floor keeps a tiny rise from counting. */
  pcn_blowup_guard_init(&g);
  for (int i = 0; i < 50; i++) CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 0.0));
  CU_ASSERT_DOUBLE_EQUAL(pcn_blowup_guard_level(&g), PCN_BLOWUP_FLOOR, 0.0);
  CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 1e-3));
  CU_ASSERT_TRUE(pcn_blowup_guard_check(&g, 1.0));

  /* A jump inside the warm-up window is not judged. */
  pcn_blowup_guard_init(&g);
  for (int i = 0; i < PCN_BLOWUP_WINDOW - 1; i++)
    CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 1e-3));
  CU_ASSERT_FALSE(pcn_blowup_guard_check(&g, 1e9));
}

/* A backend that multiplies every weight by 1e4 after the 30th learning
 * step (epoch 2 of blobs8, 25 batches per epoch): the energy becomes huge
 * but stays finite, which the NaN check alone would never stop. */
static int blowup_learns;

static int blowup_run(PcnPlan *p, void *state, PcnProgramKind prog, int n) {
  int rc = pcn_backend_ref.run(p, state, prog, n);
  if (prog == PCN_PROG_TRAIN_LEARN && ++blowup_learns == 30) {
    const PcnSchedule *s = pcn_plan_schedule(p);
    for (int i = 0; i < pcn_plan_nparams(p); i++) {
      int b = pcn_plan_param_buffer(p, i);
      float *x = pcn_plan_buffer(p, b);
      size_t count = (size_t)s->buffers[b].rows * (size_t)s->buffers[b].cols;
      for (size_t k = 0; k < count; k++) x[k] *= 1e4f;
    }
  }
  return rc;
}

static const PcnBackend blowup_backend = {"blowup", stopping_prepare,
                                          blowup_run, stopping_release};

static void test_finite_blowup_stops(void) {
  char ckpt[512];
  snprintf(ckpt, sizeof ckpt, "%s/blowup.ckpt", pcn_test_tmpdir());
  remove(ckpt);
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("4", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  opt.backend = &blowup_backend;
  opt.save_path = ckpt;
  blowup_learns = 0;
  Record rec = {0};
  PcnTrainResult res;
  char err[512] = "";
  int rc = run(&u, &opt, &rec, &res, err, sizeof err);
  CU_ASSERT_EQUAL(rc, -1);
  CU_ASSERT(res.diverged);
  CU_ASSERT_EQUAL(res.epochs_done, 1);
  CU_ASSERT_EQUAL(rec.n, 1); /* epoch 1 was logged, epoch 2 was not */
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "diverged: mean energy jumped to "));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "at epoch 2, batch 6,"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "lower the learning rates"));
  /* The checkpoint of epoch 1 stays. */
  CU_ASSERT(file_size(ckpt) > 0);
  teardown(&u);
}

/* Training 2 epochs, saving, loading and training 1 more gives the same
 * model as training 3 epochs straight. */
static void test_resume_matches_straight_run(void) {
  char ckpt[512];
  snprintf(ckpt, sizeof ckpt, "%s/resume.ckpt", pcn_test_tmpdir());
  remove(ckpt);
  Record straight = {0}, part = {0}, rest = {0};
  PcnTrainResult res;
  char err[512] = "";
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("3", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  CU_ASSERT_EQUAL_FATAL(run(&u, &opt, &straight, &res, err, sizeof err), 0);
  teardown(&u);

  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("2", "0.1", "3e-3")) == 0);
  opt = pcn_train_options_default();
  opt.save_path = ckpt;
  CU_ASSERT_EQUAL_FATAL(run(&u, &opt, &part, &res, err, sizeof err), 0);
  teardown(&u);
  CU_ASSERT(file_size(ckpt) > 0);

  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("1", "0.1", "3e-3")) == 0);
  opt = pcn_train_options_default();
  opt.load_path = ckpt;
  int rc = run(&u, &opt, &rest, &res, err, sizeof err);
  if (rc) fprintf(stderr, "error: %s\n", err);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(res.last.epoch, 3);
  CU_ASSERT_EQUAL_FATAL(rest.n, 1);
  CU_ASSERT(rest.energy[0] == straight.energy[2]);
  CU_ASSERT(rest.acc[0] == straight.acc[2]);
  teardown(&u);
}

static void test_bad_data_shape(void) {
  Setup u;
  /* The compiler rejects a model that does not fit its data, so hand the
   * trainer another dataset than the train block names, as a C user of
   * the runtime could. */
  const char *src =
      "dataset b { format synthetic; generator blobs; features 8;\n"
      "  classes 4; samples 100 40; }\n"
      "dataset six { format synthetic; generator blobs; features 6;\n"
      "  classes 4; samples 100 40; }\n"
      "model m { input x[8]; target y[4]; node h[4] init forward;\n"
      "  x -> h -> y; }\n"
      "train m { data b.train; batch 10; epochs 1; }\n"
      "evaluate m { data b.test; }\n";
  CU_ASSERT_FATAL(setup(&u, src) == 0);
  const PcnDataset *six = NULL;
  for (int i = 0; i < u.c->ndatasets; i++)
    if (strcmp(u.c->datasets[i].name, "six") == 0) six = &u.c->datasets[i];
  CU_ASSERT_PTR_NOT_NULL_FATAL(six);
  u.spec.train_data = six;
  char err[512] = "";
  PcnTrainOptions opt = pcn_train_options_default();
  PcnTrainer *t = pcn_trainer_new(&u.spec, &opt, err, sizeof err);
  CU_ASSERT_PTR_NULL(t);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "node 'x' has 8 elements but dataset "
                                     "'six' has 6 features"));
  pcn_trainer_free(t);
  teardown(&u);
}

/* --eval-T lists: ascending, integers in [1, PCN_MAX_STEPS], at most
 * PCN_MAX_EVAL_T, no duplicates. */
static void test_eval_T_parse(void) {
  int v[PCN_MAX_EVAL_T];
  char err[256];
  CU_ASSERT_EQUAL(pcn_eval_T_parse("20,3,10,5", v, err, sizeof err), 4);
  CU_ASSERT(v[0] == 3 && v[1] == 5 && v[2] == 10 && v[3] == 20);
  CU_ASSERT_EQUAL(pcn_eval_T_parse("1", v, err, sizeof err), 1);
  CU_ASSERT_EQUAL(pcn_eval_T_parse("1,2,3,4,5,6,7,8", v, err, sizeof err), 8);
  static const struct {
    const char *list, *msg;
  } bad[] = {{"", "expected integers >= 1 separated by commas"},
             {"3,,5", "expected integers"},
             {"3,", "expected integers"},
             {"0", "'0' is not an integer in [1, 100000]"},
             {"-2", "is not an integer"},
             {"+2", "is not an integer"},
             {" 2", "is not an integer"},
             {"2x", "is not an integer"},
             {"100001", "is not an integer"},
             {"1,2,3,4,5,6,7,8,9", "at most 8 values"},
             {"5,3,5", "5 is given twice"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    CU_ASSERT_EQUAL(pcn_eval_T_parse(bad[i].list, v, err, sizeof err), -1);
    if (!strstr(err, bad[i].msg)) {
      fprintf(stderr, "\n  '%s': got '%s', want '...%s...'\n", bad[i].list,
              err, bad[i].msg);
      CU_FAIL("wrong message");
    }
  }
}

/* A generative model evaluated by inference whose latent starts from
 * `random`: the extra evaluations draw from the node-init stream that
 * training shares. */
#define GEN_RANDOM_MODEL                                                     \
  "dataset blobs8 { format synthetic; generator blobs; features 8;\n"        \
  "  classes 4; samples 320 96; }\n"                                         \
  "model g { node z[4] init random(0, 0.5); node h[8] act tanh init forward;\n" \
  "  node x[8] clamp image; z -> h -> x; }\n"                                \
  "train g { data blobs8.train; batch 32; epochs 2;\n"                       \
  "  inference steps 3 sgd(lr=0.1); learning adam(lr=0.01); seed 5; }\n"     \
  "evaluate g { data blobs8.test; metric mse;\n"                             \
  "  inference steps 3 sgd(lr=0.1); }\n"

typedef struct AtTRecord {
  int n, nT;
  double energy[4], loss[4], at[4][PCN_MAX_EVAL_T];
  int T[PCN_MAX_EVAL_T];
} AtTRecord;

static void record_at_T(const PcnEpochStats *st, void *user) {
  AtTRecord *r = user;
  if (r->n >= 4) return;
  r->energy[r->n] = st->train_energy;
  r->loss[r->n] = st->test_loss;
  r->nT = st->n_eval_T;
  for (int i = 0; i < st->n_eval_T; i++) {
    r->T[i] = st->eval_T[i];
    r->at[r->n][i] = st->test_at_T[i];
  }
  r->n++;
}

static int run_at_T(const int *T, int nT, AtTRecord *rec, char *err,
                    size_t errlen) {
  Setup u;
  if (setup(&u, GEN_RANDOM_MODEL) != 0) return -3;
  PcnTrainOptions opt = pcn_train_options_default();
  opt.progress = 0;
  opt.on_epoch = record_at_T;
  opt.user = rec;
  opt.eval_T = T;
  opt.n_eval_T = nT;
  PcnTrainer *t = pcn_trainer_new(&u.spec, &opt, err, errlen);
  int rc = t ? pcn_trainer_run(t, NULL, err, errlen) : -2;
  pcn_trainer_free(t);
  teardown(&u);
  return rc;
}

static void test_eval_T_extra(void) {
  char err[512] = "";
  AtTRecord plain = {0}, extra = {0};
  CU_ASSERT_EQUAL_FATAL(run_at_T(NULL, 0, &plain, err, sizeof err), 0);
  const int T[] = {4, 3, 1}; /* 3 is the evaluate block's T */
  int rc = run_at_T(T, 3, &extra, err, sizeof err);
  if (rc != 0) fprintf(stderr, "error: %s\n", err);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(plain.nT, 0);
  CU_ASSERT_EQUAL_FATAL(extra.n, 2);
  CU_ASSERT_EQUAL_FATAL(extra.nT, 3);
  CU_ASSERT(extra.T[0] == 1 && extra.T[1] == 3 && extra.T[2] == 4);
  for (int e = 0; e < 2; e++) {
    /* Training and the main evaluation are exactly those of a run
     * without the extra passes (the random stream was put back). */
    CU_ASSERT_EQUAL(extra.energy[e], plain.energy[e]);
    CU_ASSERT_EQUAL(extra.loss[e], plain.loss[e]);
    /* At the main T: the same computation, the same number. */
    CU_ASSERT_EQUAL(extra.at[e][1], extra.loss[e]);
    for (int i = 0; i < 3; i++) CU_ASSERT(isfinite(extra.at[e][i]));
    /* Different T, different reconstructions. */
    CU_ASSERT(extra.at[e][0] != extra.at[e][2]);
  }
}

/* A classifier evaluated by one forward pass has no steps to vary. */
static void test_eval_T_forward_refused(void) {
  Setup u;
  CU_ASSERT_FATAL(setup(&u, BLOBS_MODEL("1", "0.1", "3e-3")) == 0);
  PcnTrainOptions opt = pcn_train_options_default();
  const int T[] = {2};
  opt.eval_T = T;
  opt.n_eval_T = 1;
  char err[512] = "";
  PcnTrainer *t = pcn_trainer_new(&u.spec, &opt, err, sizeof err);
  CU_ASSERT_PTR_NULL(t);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "evaluated by a single forward pass"));
  pcn_trainer_free(t);
  teardown(&u);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"learns blobs to >= 95%", test_learns_blobs},
      {"same seed, same run", test_deterministic},
      {"divergence keeps the last checkpoint", test_divergence_keeps_checkpoint},
      {"stop request", test_stop_request},
      {"blow-up guard", test_blowup_guard},
      {"finite blow-up stops training", test_finite_blowup_stops},
      {"resume = straight run", test_resume_matches_straight_run},
      {"data shape mismatch", test_bad_data_shape},
      {"--eval-T lists", test_eval_T_parse},
      {"extra evaluations leave the run unchanged", test_eval_T_extra},
      {"no extra evaluations for a forward-pass model",
       test_eval_T_forward_refused},
      {NULL, NULL}};
  if (pcn_test_add_suite("train", cases)) return 1;
  return pcn_test_main();
}
