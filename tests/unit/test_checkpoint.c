/* test_checkpoint.c - checkpoints round-trip exactly, and every kind of
 * wrong file (other shapes, other names, other model, truncated, flipped
 * byte, not a checkpoint, newer version) is refused with a message that
 * names the difference, leaving the plan untouched. Format version 2
 * carries the stateful initializers' state (average, memory, null): a run
 * resumed from a checkpoint trains bit for bit like an uninterrupted one,
 * a version-1 file still loads, and initializer state of another shape is
 * refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "compile.h"
#include "pcn/checkpoint.h"
#include "pcn/exec.h"
#include "pcn/memory.h"
#include "pcn/schedule.h"
#include "pcn/train.h"
#include "testgraph.h"
#include "testutil.h"

typedef struct Model {
  PcnArena arena;
  PcnDiag diag;
  PcnSchedule *sched;
  PcnPlan *plan;
} Model;

/* A 3-node chain x -> h1 -> y with widths given by the caller, names
 * given by the caller, trained by AdamW (so the plan has moments). */
static int build(Model *m, const char *model, const char *hidden, int width,
                 uint64_t seed) {
  char src[1024];
  snprintf(src, sizeof src,
           "dataset d { format synthetic; generator blobs; features 6;\n"
           "  classes 3; samples 30 30; }\n"
           "model %s { input x[6]; target y[3];\n"
           "  node %s[%d] act tanh init forward; x -> %s -> y; }\n"
           "train %s { data d.train; batch 5; epochs 1; seed %llu; }\n"
           "evaluate %s { data d.test; }\n",
           model, hidden, width, hidden, model, (unsigned long long)seed,
           model);
  memset(m, 0, sizeof *m);
  pcn_arena_init(&m->arena);
  pcn_diag_init(&m->diag);
  PcnCompileOptions opts = {0};
  PcnCompilation *c =
      pcn_compile_string(&m->arena, &m->diag, "ckpt.pcn", src, &opts);
  if (!c || m->diag.nerrors) {
    pcn_diag_print(&m->diag, stderr, 0);
    return -1;
  }
  const PcnGraph *g = c->models[0];
  m->sched = pcn_schedule_build(&m->arena, g, pcn_compilation_analysis(c, 0),
                                &c->trains[0], &c->evals[0], 30);
  if (!m->sched) return -1;
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = 5;
  cfg.learning = c->trains[0].learning;
  cfg.seed = seed;
  char err[256];
  m->plan = pcn_plan_create(m->sched, &cfg, err, sizeof err);
  if (!m->plan) fprintf(stderr, "%s\n", err);
  return m->plan ? 0 : -1;
}

static void destroy(Model *m) {
  pcn_plan_destroy(m->plan);
  pcn_diag_free(&m->diag);
  pcn_arena_free(&m->arena);
}

/* Fills every parameter and moment with distinct values, so a round trip
 * that swaps or drops anything shows. */
static void scribble(PcnPlan *p) {
  const PcnSchedule *s = pcn_plan_schedule(p);
  float k = 0.5f;
  for (int i = 0; i < pcn_plan_nparams(p); i++) {
    int b = pcn_plan_param_buffer(p, i);
    size_t n = (size_t)s->buffers[b].rows * (size_t)s->buffers[b].cols;
    float *x = pcn_plan_buffer(p, b);
    float *m1 = pcn_plan_moment(p, b, 1), *m2 = pcn_plan_moment(p, b, 2);
    for (size_t j = 0; j < n; j++) {
      x[j] = k;
      if (m1) m1[j] = -k;
      if (m2) m2[j] = k * k;
      k += 0.25f;
    }
  }
  pcn_plan_set_learn_steps(p, 1234);
}

/* 1 when every parameter and moment of a and b is bitwise equal. */
static int same_params(PcnPlan *a, PcnPlan *b) {
  const PcnSchedule *s = pcn_plan_schedule(a);
  if (pcn_plan_nparams(a) != pcn_plan_nparams(b)) return 0;
  for (int i = 0; i < pcn_plan_nparams(a); i++) {
    int ba = pcn_plan_param_buffer(a, i), bb = pcn_plan_param_buffer(b, i);
    size_t n = (size_t)s->buffers[ba].rows * (size_t)s->buffers[ba].cols;
    if (memcmp(pcn_plan_buffer(a, ba), pcn_plan_buffer(b, bb), n * 4)) return 0;
    for (int w = 1; w <= 2; w++) {
      float *ma = pcn_plan_moment(a, ba, w), *mb = pcn_plan_moment(b, bb, w);
      if (!ma != !mb || (ma && memcmp(ma, mb, n * 4))) return 0;
    }
  }
  return pcn_plan_learn_steps(a) == pcn_plan_learn_steps(b);
}

static const char *tmp_path(const char *name) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", pcn_test_tmpdir(), name);
  return buf[k];
}

static void test_round_trip(void) {
  Model a, b;
  CU_ASSERT_FATAL(build(&a, "m", "h1", 7, 1) == 0);
  CU_ASSERT_FATAL(build(&b, "m", "h1", 7, 2) == 0); /* other weights */
  scribble(a.plan);
  CU_ASSERT(!same_params(a.plan, b.plan));
  const char *path = tmp_path("rt.ckpt");
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, path, "m", 5, err,
                                            sizeof err), 0);
  /* No temporary file is left behind. */
  char tmp[600];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "rb");
  CU_ASSERT_PTR_NULL(f);
  if (f) fclose(f);
  int epoch = -1;
  int rc = pcn_checkpoint_load(b.plan, path, "m", &epoch, err, sizeof err);
  if (rc) fprintf(stderr, "%s\n", err);
  CU_ASSERT_EQUAL(rc, 0);
  CU_ASSERT_EQUAL(epoch, 5);
  CU_ASSERT(same_params(a.plan, b.plan));
  destroy(&a);
  destroy(&b);
}

/* Saves a checkpoint of one model and tries to load it into another:
 * must fail with a message containing `want`, leaving the plan as it was. */
static void expect_refusal(const char *m1, const char *h1, int w1,
                           const char *m2, const char *h2, int w2,
                           const char *want) {
  Model a, b, b0;
  CU_ASSERT_FATAL(build(&a, m1, h1, w1, 1) == 0);
  CU_ASSERT_FATAL(build(&b, m2, h2, w2, 2) == 0);
  CU_ASSERT_FATAL(build(&b0, m2, h2, w2, 2) == 0); /* b's pristine twin */
  const char *path = tmp_path("mismatch.ckpt");
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, path, m1, 1, err,
                                            sizeof err), 0);
  CU_ASSERT_EQUAL(pcn_checkpoint_load(b.plan, path, m2, NULL, err, sizeof err),
                  -1);
  if (!strstr(err, want)) fprintf(stderr, "\n got: %s\nwant: %s\n", err, want);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
  CU_ASSERT(same_params(b.plan, b0.plan));
  destroy(&a);
  destroy(&b);
  destroy(&b0);
}

static void test_shape_mismatch(void) {
  expect_refusal("m", "h1", 7, "m", "h1", 8,
                 "has edge 'x->h1' of 6x7, the model has 6x8");
}

static void test_name_mismatch(void) {
  expect_refusal("m", "h1", 7, "m", "h2", 7,
                 "has edge 'x->h1' where the model has edge 'x->h2'");
}

static void test_model_mismatch(void) {
  expect_refusal("m", "h1", 7, "other", "h1", 7,
                 "is of model 'm', not 'other'");
}

/* Writes a copy of `src` changed by `edit` to `dst`. */
static long copy_edit(const char *src, const char *dst,
                      void (*edit)(unsigned char *b, long *n)) {
  FILE *f = fopen(src, "rb");
  if (!f) return -1;
  unsigned char *b = malloc(1 << 20);
  long n = (long)fread(b, 1, 1 << 20, f);
  fclose(f);
  edit(b, &n);
  f = fopen(dst, "wb");
  fwrite(b, 1, (size_t)n, f);
  fclose(f);
  free(b);
  return n;
}

static void cut_half(unsigned char *b, long *n) {
  (void)b;
  *n /= 2;
}
static void cut_to_5(unsigned char *b, long *n) {
  (void)b;
  *n = 5;
}
static void drop_crc_byte(unsigned char *b, long *n) {
  (void)b;
  *n -= 1;
}
static void flip_middle(unsigned char *b, long *n) { b[*n / 2] ^= 0x10; }
static void flip_name(unsigned char *b, long *n) {
  (void)n;
  b[20 + 4] ^= 0x01; /* first byte of the model name */
}
static void bump_version(unsigned char *b, long *n) {
  (void)n;
  b[8] = 99;
}
static void not_ckpt(unsigned char *b, long *n) {
  memcpy(b, "GARBAGE!", 8);
  (void)n;
}
static void add_trailing(unsigned char *b, long *n) {
  b[(*n)++] = 0;
}

static void test_corrupt_files(void) {
  static const struct {
    void (*edit)(unsigned char *, long *);
    const char *want;
  } cases[] = {
      {cut_half, "is truncated"},
      {cut_to_5, "not a pcnc checkpoint"},
      {drop_crc_byte, "is truncated"},
      {flip_middle, "CRC mismatch"},
      {flip_name, "CRC mismatch"},
      {bump_version, "format version 99"},
      {not_ckpt, "not a pcnc checkpoint"},
      {add_trailing, "is corrupt"},
  };
  Model a, b, b0;
  CU_ASSERT_FATAL(build(&a, "m", "h1", 7, 1) == 0);
  CU_ASSERT_FATAL(build(&b, "m", "h1", 7, 2) == 0);
  CU_ASSERT_FATAL(build(&b0, "m", "h1", 7, 2) == 0);
  const char *good = tmp_path("good.ckpt");
  const char *bad = tmp_path("bad.ckpt");
  char err[512];
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, good, "m", 1, err,
                                            sizeof err), 0);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CU_ASSERT_FATAL(copy_edit(good, bad, cases[i].edit) >= 0);
    err[0] = '\0';
    CU_ASSERT_EQUAL(pcn_checkpoint_load(b.plan, bad, "m", NULL, err,
                                        sizeof err), -1);
    if (!strstr(err, cases[i].want))
      fprintf(stderr, "\ncase %zu got: %s\n", i, err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].want));
    CU_ASSERT(same_params(b.plan, b0.plan));
  }
  /* A missing file. */
  CU_ASSERT_EQUAL(pcn_checkpoint_load(b.plan, tmp_path("none.ckpt"), "m",
                                      NULL, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "none.ckpt"));
  /* An unwritable destination. */
  CU_ASSERT_EQUAL(pcn_checkpoint_save(a.plan, "/nonexistent-dir/x.ckpt", "m",
                                      1, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-dir/x.ckpt"));
  destroy(&a);
  destroy(&b);
  destroy(&b0);
}

/* Every single-byte truncation point is refused cleanly (no crash). */
static void test_every_truncation(void) {
  Model a;
  CU_ASSERT_FATAL(build(&a, "m", "h1", 3, 1) == 0);
  const char *good = tmp_path("small.ckpt");
  const char *bad = tmp_path("small_cut.ckpt");
  char err[512];
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, good, "m", 1, err,
                                            sizeof err), 0);
  FILE *f = fopen(good, "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  unsigned char buf[65536];
  long n = (long)fread(buf, 1, sizeof buf, f);
  fclose(f);
  int refused = 0;
  for (long cut = 0; cut < n; cut++) {
    f = fopen(bad, "wb");
    fwrite(buf, 1, (size_t)cut, f);
    fclose(f);
    refused += pcn_checkpoint_load(a.plan, bad, "m", NULL, err, sizeof err) ==
               -1;
  }
  CU_ASSERT_EQUAL(refused, n);
  destroy(&a);
}

/* ---- version 1 ---------------------------------------------------------- */

/* A version-1 checkpoint written by pcnc before version 2 existed (commit
 * d9a225d): model "m" = build(.., "m", "h1", 2, 1) after scribble(),
 * epoch 5. */
static const unsigned char v1_file[] =
    "\x50\x43\x4e\x43\x4b\x50\x54\x00\x01\x00\x00\x00\x8e\x01\x00\x00"
    "\x00\x00\x00\x00\x01\x00\x00\x00\x6d\x05\x00\x00\x00\xd2\x04\x00"
    "\x00\x00\x00\x00\x00\x03\x00\x00\x00\x01\x00\x00\x00\x78\x06\x00"
    "\x00\x00\x01\x00\x00\x00\x79\x03\x00\x00\x00\x02\x00\x00\x00\x68"
    "\x31\x02\x00\x00\x00\x04\x00\x00\x00\x00\x05\x00\x00\x00\x78\x2d"
    "\x3e\x68\x31\x06\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x3f\x00"
    "\x00\x40\x3f\x00\x00\x80\x3f\x00\x00\xa0\x3f\x00\x00\xc0\x3f\x00"
    "\x00\xe0\x3f\x00\x00\x00\x40\x00\x00\x10\x40\x00\x00\x20\x40\x00"
    "\x00\x30\x40\x00\x00\x40\x40\x00\x00\x50\x40\x02\x00\x00\x00\xbf"
    "\x00\x00\x40\xbf\x00\x00\x80\xbf\x00\x00\xa0\xbf\x00\x00\xc0\xbf"
    "\x00\x00\xe0\xbf\x00\x00\x00\xc0\x00\x00\x10\xc0\x00\x00\x20\xc0"
    "\x00\x00\x30\xc0\x00\x00\x40\xc0\x00\x00\x50\xc0\x00\x00\x80\x3e"
    "\x00\x00\x10\x3f\x00\x00\x80\x3f\x00\x00\xc8\x3f\x00\x00\x10\x40"
    "\x00\x00\x44\x40\x00\x00\x80\x40\x00\x00\xa2\x40\x00\x00\xc8\x40"
    "\x00\x00\xf2\x40\x00\x00\x10\x41\x00\x00\x29\x41\x00\x05\x00\x00"
    "\x00\x68\x31\x2d\x3e\x79\x02\x00\x00\x00\x03\x00\x00\x00\x00\x00"
    "\x60\x40\x00\x00\x70\x40\x00\x00\x80\x40\x00\x00\x88\x40\x00\x00"
    "\x90\x40\x00\x00\x98\x40\x02\x00\x00\x60\xc0\x00\x00\x70\xc0\x00"
    "\x00\x80\xc0\x00\x00\x88\xc0\x00\x00\x90\xc0\x00\x00\x98\xc0\x00"
    "\x00\x44\x41\x00\x00\x61\x41\x00\x00\x80\x41\x00\x80\x90\x41\x00"
    "\x00\xa2\x41\x00\x80\xb4\x41\x01\x01\x00\x00\x00\x79\x01\x00\x00"
    "\x00\x03\x00\x00\x00\x00\x00\xa0\x40\x00\x00\xa8\x40\x00\x00\xb0"
    "\x40\x02\x00\x00\xa0\xc0\x00\x00\xa8\xc0\x00\x00\xb0\xc0\x00\x00"
    "\xc8\x41\x00\x80\xdc\x41\x00\x00\xf2\x41\x01\x02\x00\x00\x00\x68"
    "\x31\x01\x00\x00\x00\x02\x00\x00\x00\x00\x00\xb8\x40\x00\x00\xc0"
    "\x40\x02\x00\x00\xb8\xc0\x00\x00\xc0\xc0\x00\x40\x04\x42\x00\x00"
    "\x10\x42\x63\xbe\xcc\x17";

static void test_reads_version_1(void) {
  const char *path = tmp_path("v1.ckpt");
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(fwrite(v1_file, 1, sizeof v1_file - 1, f), sizeof v1_file - 1);
  fclose(f);
  CU_ASSERT_EQUAL(v1_file[8], 1); /* really version 1 */
  Model a, b;
  CU_ASSERT_FATAL(build(&a, "m", "h1", 2, 1) == 0);
  CU_ASSERT_FATAL(build(&b, "m", "h1", 2, 2) == 0);
  scribble(a.plan);
  CU_ASSERT(!same_params(a.plan, b.plan));
  char err[512] = "";
  int epoch = -1;
  int rc = pcn_checkpoint_load(b.plan, path, "m", &epoch, err, sizeof err);
  if (rc) fprintf(stderr, "%s\n", err);
  CU_ASSERT_EQUAL(rc, 0);
  CU_ASSERT_EQUAL(epoch, 5);
  CU_ASSERT(same_params(a.plan, b.plan));
  /* What this pcnc writes is version 2. */
  const char *path2 = tmp_path("v2.ckpt");
  CU_ASSERT_EQUAL(pcn_checkpoint_save(b.plan, path2, "m", 5, err, sizeof err), 0);
  f = fopen(path2, "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  unsigned char hdr[12];
  CU_ASSERT_EQUAL(fread(hdr, 1, 12, f), 12);
  fclose(f);
  CU_ASSERT_EQUAL(hdr[8], PCN_CKPT_VERSION);
  CU_ASSERT_EQUAL(PCN_CKPT_VERSION, 2);
  destroy(&a);
  destroy(&b);
}

/* ---- initializer state: resuming a training run ----------------------- */

/* 4 blobs in 8 dimensions, 800 training samples in batches of 32 (25 per
 * epoch, the last one short unless `init null` drops it). */
#define BLOBS_DATA                                                         \
  "dataset blobs8 { format synthetic; generator blobs; features 8;\n"      \
  "  classes 4; samples 800 400; }\n"
#define TRAIN_EVAL(EPOCHS, SAMPLING)                                       \
  "train m { data blobs8.train; batch 32 " SAMPLING "; epochs " EPOCHS ";\n" \
  "  inference steps 3 sgd(lr=0.1); learning adamw(lr=3e-3); seed 7; }\n"  \
  "evaluate m { data blobs8.test; metric accuracy; }\n"

/* Hybrid Eq. 10: h1 forward, h2 average (class means of h^(T)). */
#define AVG_MODEL(EPOCHS)                                                  \
  BLOBS_DATA                                                               \
  "model m { input x[8]; target y[4];\n"                                   \
  "  node h1[16] act tanh init forward; node h2[12] act tanh init average;\n" \
  "  x -> h1 -> h2 -> y; }\n" TRAIN_EVAL(EPOCHS, "aligned")

/* A hidden node initialized from a Hopfield memory queried by x. */
#define MEM_MODEL(EPOCHS, PATTERNS)                                        \
  BLOBS_DATA                                                               \
  "model m { input x[8]; target y[4];\n"                                   \
  "  node h[16] act tanh init memory(M); x -> h -> y;\n"                   \
  "  memory M { patterns " PATTERNS "; heads 2; embed 6; delta 2;\n"      \
  "    query x; } }\n" TRAIN_EVAL(EPOCHS, "")

/* h^(0,b+1) = h^(T,b), across epochs and separately in evaluation. */
#define NULL_MODEL(EPOCHS)                                                 \
  BLOBS_DATA                                                               \
  "model m { input x[8]; target y[4];\n"                                   \
  "  node h[16] act tanh init null; x -> h -> y; }\n" TRAIN_EVAL(EPOCHS, "")

/* h^(0) drawn from the plan's node-init stream every batch. */
#define RANDOM_MODEL(EPOCHS)                                               \
  BLOBS_DATA                                                               \
  "model m { input x[8]; target y[4];\n"                                   \
  "  node h[16] act tanh init random(0, 0.5); x -> h -> y; }\n"            \
  TRAIN_EVAL(EPOCHS, "")

typedef TSpec Run;

static int run_setup(Run *u, const char *src) { return tspec_open(u, "resume.pcn", src); }
static void run_teardown(Run *u) { tspec_close(u); }

typedef struct Epochs {
  int n;
  double energy[8], acc[8];
} Epochs;

static void on_epoch(const PcnEpochStats *st, void *user) {
  Epochs *e = user;
  if (e->n < 8) {
    e->energy[e->n] = st->train_energy;
    e->acc[e->n] = st->test_accuracy;
    e->n++;
  }
}

/* Trains the model of src, loading `load` and saving to `save` (either
 * may be NULL); `init` overrides one initializer when not NULL. */
static int train(const char *src, const char *load, const char *save,
                 PcnInitKind kind, const PcnInitializer *init, Epochs *rec) {
  Run u;
  if (run_setup(&u, src) != 0) {
    run_teardown(&u);
    return -1;
  }
  PcnTrainOptions opt = pcn_train_options_default();
  opt.load_path = load;
  opt.save_path = save;
  opt.progress = 0;
  opt.on_epoch = on_epoch;
  opt.user = rec;
  if (init) opt.initializers[kind] = init;
  char err[512] = "";
  PcnTrainer *t = pcn_trainer_new(&u.spec, &opt, err, sizeof err);
  int rc = t ? pcn_trainer_run(t, NULL, err, sizeof err) : -1;
  if (rc) fprintf(stderr, "\n  %s\n", err);
  pcn_trainer_free(t);
  run_teardown(&u);
  return rc;
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

/* 1 when the two files are byte for byte equal. */
static int same_file(const char *a, const char *b) {
  long na = -1, nb = -2;
  unsigned char *x = slurp(a, &na), *y = slurp(b, &nb);
  int same = x && y && na == nb && memcmp(x, y, (size_t)na) == 0;
  free(x);
  free(y);
  return same;
}

/* 3 epochs straight == 2 epochs, save, load, 1 epoch: the third epoch's
 * energy and accuracy, and the final checkpoint (weights, moments, steps
 * and the initializer's state) bit for bit. Then the same resume with the
 * initializer's state left out of the load (a copy of it without the
 * hooks: what version 1 did) must differ, so the check has teeth. */
static void resume_case(const char *src3, const char *src2, const char *src1,
                        PcnInitKind kind, const PcnInitializer *builtin,
                        const char *tag) {
  char straight[600], part[600], resumed[600];
  snprintf(straight, sizeof straight, "%s/%s_straight.ckpt", pcn_test_tmpdir(), tag);
  snprintf(part, sizeof part, "%s/%s_part.ckpt", pcn_test_tmpdir(), tag);
  snprintf(resumed, sizeof resumed, "%s/%s_resumed.ckpt", pcn_test_tmpdir(), tag);
  Epochs a = {0}, b = {0}, c = {0}, d = {0};
  CU_ASSERT_EQUAL_FATAL(train(src3, NULL, straight, kind, NULL, &a), 0);
  CU_ASSERT_EQUAL_FATAL(train(src2, NULL, part, kind, NULL, &b), 0);
  CU_ASSERT_EQUAL_FATAL(train(src1, part, resumed, kind, NULL, &c), 0);
  CU_ASSERT_EQUAL_FATAL(a.n, 3);
  CU_ASSERT_EQUAL_FATAL(b.n, 2);
  CU_ASSERT_EQUAL_FATAL(c.n, 1);
  CU_ASSERT(b.energy[1] == a.energy[1]);
  CU_ASSERT(c.energy[0] == a.energy[2]);
  CU_ASSERT(c.acc[0] == a.acc[2]);
  CU_ASSERT(same_file(straight, resumed));
  if (c.energy[0] != a.energy[2])
    fprintf(stderr, "\n  %s: resumed epoch 3 energy %.17g, straight %.17g\n", tag,
            c.energy[0], a.energy[2]);

  PcnInitializer stateless = *builtin;
  stateless.save_state = NULL;
  stateless.load_state = NULL;
  CU_ASSERT_EQUAL_FATAL(train(src1, part, resumed, kind, &stateless, &d), 0);
  CU_ASSERT_EQUAL_FATAL(d.n, 1);
  CU_ASSERT(d.energy[0] != a.energy[2]);
  CU_ASSERT(!same_file(straight, resumed));
}

static void test_resume_average(void) {
  resume_case(AVG_MODEL("3"), AVG_MODEL("2"), AVG_MODEL("1"), PCN_INIT_AVERAGE,
              pcn_initializer_average(), "avg");
}

static void test_resume_memory(void) {
  resume_case(MEM_MODEL("3", "8"), MEM_MODEL("2", "8"), MEM_MODEL("1", "8"),
              PCN_INIT_MEMORY, pcn_initializer_memory(), "mem");
}

static void test_resume_null(void) {
  resume_case(NULL_MODEL("3"), NULL_MODEL("2"), NULL_MODEL("1"), PCN_INIT_NULL,
              pcn_initializer_builtin(PCN_INIT_NULL), "null");
}

static void test_resume_random(void) {
  resume_case(RANDOM_MODEL("3"), RANDOM_MODEL("2"), RANDOM_MODEL("1"), PCN_INIT_RANDOM,
              pcn_initializer_builtin(PCN_INIT_RANDOM), "random");
}

/* A plan of the model in src (max_batch rows), for plan-level checks. */
static int build_src(Model *m, const char *src, int max_batch) {
  memset(m, 0, sizeof *m);
  pcn_arena_init(&m->arena);
  pcn_diag_init(&m->diag);
  PcnCompilation *c = tg_compile(&m->arena, &m->diag, "state.pcn", src);
  if (!c) return -1;
  const PcnGraph *g = c->models[0];
  m->sched = pcn_schedule_build(&m->arena, g, pcn_compilation_analysis(c, 0),
                                &c->trains[0], &c->evals[0], 800);
  if (!m->sched) return -1;
  PcnPlanConfig cfg = pcn_plan_config_default();
  cfg.max_batch = max_batch;
  cfg.learning = c->trains[0].learning;
  cfg.seed = 3;
  cfg.initializers[PCN_INIT_AVERAGE] = pcn_initializer_average();
  char err[256];
  m->plan = pcn_plan_create(m->sched, &cfg, err, sizeof err);
  if (!m->plan) fprintf(stderr, "%s\n", err);
  return m->plan ? 0 : -1;
}

/* Memory parameters of plan m, copied (caller frees). */
static float *memory_copy(PcnPlan *p, size_t *count) {
  const float *x = pcn_hopfield_params(pcn_plan_memory(p, 0), count);
  float *c = malloc(*count * sizeof *c);
  if (c) memcpy(c, x, *count * sizeof *c);
  return c;
}

/* A checkpoint whose memory has another number of patterns (K and V of
 * another shape, same weights) is refused with the array and both shapes,
 * leaving weights and memory as they were; so is one whose average means
 * are of another width (a node renamed would fail on the weights first). */
static void test_state_shape_mismatch(void) {
  Model a, b;
  CU_ASSERT_FATAL(build_src(&a, MEM_MODEL("1", "8"), 32) == 0);
  CU_ASSERT_FATAL(build_src(&b, MEM_MODEL("1", "6"), 32) == 0);
  const char *path = tmp_path("mem8.ckpt");
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, path, "m", 1, err, sizeof err), 0);
  size_t n0, n1;
  float *before = memory_copy(b.plan, &n0);
  scribble(b.plan);
  Model b0;
  CU_ASSERT_FATAL(build_src(&b0, MEM_MODEL("1", "6"), 32) == 0);
  scribble(b0.plan);
  CU_ASSERT_EQUAL(pcn_checkpoint_load(b.plan, path, "m", NULL, err, sizeof err), -1);
  const char *want = "has memory state 'M.K' of 8x6, the model has 6x6";
  if (!strstr(err, want)) fprintf(stderr, "\n got: %s\nwant: %s\n", err, want);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
  CU_ASSERT(same_params(b.plan, b0.plan));
  float *after = memory_copy(b.plan, &n1);
  CU_ASSERT_FATAL(before && after && n0 == n1);
  CU_ASSERT(memcmp(before, after, n0 * sizeof *before) == 0);
  free(before);
  free(after);
  destroy(&a);
  destroy(&b);
  destroy(&b0);
}

/* Round trip of a memory plan's state at the plan level, every
 * truncation of such a file is refused, and a section of an initializer
 * the model does not use is skipped (the weights decide the match). */
static void test_memory_state_round_trip(void) {
  Model a, b;
  CU_ASSERT_FATAL(build_src(&a, MEM_MODEL("1", "8"), 4) == 0);
  CU_ASSERT_FATAL(build_src(&b, MEM_MODEL("1", "8"), 4) == 0);
  /* One training batch: V initialized, one Adam step on M. */
  const PcnGraph *g = pcn_plan_schedule(a.plan)->graph;
  float X[4 * 8], Y[4 * 4] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  for (int i = 0; i < 32; i++) X[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
  int x = -1, y = -1;
  for (int v = 0; v < g->nnodes; v++) {
    if (strcmp(g->nodes[v].name, "x") == 0) x = v;
    if (strcmp(g->nodes[v].name, "y") == 0) y = v;
  }
  CU_ASSERT_FATAL(x >= 0 && y >= 0);
  pcn_plan_set_clamp(a.plan, x, X, 4);
  pcn_plan_set_clamp(a.plan, y, Y, 4);
  CU_ASSERT_EQUAL_FATAL(pcn_plan_begin_batch(a.plan, PCN_PHASE_TRAIN, 4, NULL), 0);
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(a.plan, PCN_PROG_TRAIN_INIT, 4), 0);
  CU_ASSERT_EQUAL_FATAL(pcn_plan_end_batch(a.plan, PCN_PHASE_TRAIN, 4, NULL), 0);
  CU_ASSERT_EQUAL_FATAL(pcn_exec_run(a.plan, PCN_PROG_TRAIN_LEARN, 4), 0);
  const char *path = tmp_path("memrt.ckpt");
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, path, "m", 1, err, sizeof err), 0);
  size_t na, nb;
  float *ma = memory_copy(a.plan, &na), *mb = memory_copy(b.plan, &nb);
  CU_ASSERT_FATAL(ma && mb && na == nb);
  CU_ASSERT(memcmp(ma, mb, na * sizeof *ma) != 0);
  free(mb);
  int rc = pcn_checkpoint_load(b.plan, path, "m", NULL, err, sizeof err);
  if (rc) fprintf(stderr, "\n  %s\n", err);
  CU_ASSERT_EQUAL(rc, 0);
  mb = memory_copy(b.plan, &nb);
  CU_ASSERT(mb && memcmp(ma, mb, na * sizeof *ma) == 0);
  CU_ASSERT(same_params(a.plan, b.plan));
  /* The same next batch in both plans gives the same state: V is not
   * re-initialized, the step counter and moments continue. */
  for (int k = 0; k < 2; k++) {
    Model *m = k ? &b : &a;
    pcn_plan_set_clamp(m->plan, x, X, 4);
    pcn_plan_set_clamp(m->plan, y, Y, 4);
    CU_ASSERT_EQUAL(pcn_plan_begin_batch(m->plan, PCN_PHASE_TRAIN, 4, NULL), 0);
    CU_ASSERT_EQUAL(pcn_exec_run(m->plan, PCN_PROG_TRAIN_INIT, 4), 0);
    CU_ASSERT_EQUAL(pcn_plan_end_batch(m->plan, PCN_PHASE_TRAIN, 4, NULL), 0);
  }
  free(ma);
  free(mb);
  ma = memory_copy(a.plan, &na);
  mb = memory_copy(b.plan, &nb);
  CU_ASSERT(ma && mb && memcmp(ma, mb, na * sizeof *ma) == 0);
  free(ma);
  free(mb);

  /* Every truncation is refused. */
  long n;
  unsigned char *buf = slurp(path, &n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
  const char *cut = tmp_path("memrt_cut.ckpt");
  int refused = 0;
  for (long k = 0; k < n; k++) {
    FILE *f = fopen(cut, "wb");
    fwrite(buf, 1, (size_t)k, f);
    fclose(f);
    refused += pcn_checkpoint_load(b.plan, cut, "m", NULL, err, sizeof err) == -1;
  }
  free(buf);
  CU_ASSERT_EQUAL(refused, n);
  destroy(&a);
  destroy(&b);
}

/* Rewrites the CRC of a checkpoint held in memory (after a patch). */
static void fix_crc(unsigned char *buf, long n) {
  uLong crc = crc32(crc32(0L, Z_NULL, 0), buf + 20, (uInt)(n - 24));
  for (int i = 0; i < 4; i++) buf[n - 4 + i] = (unsigned char)(crc >> (8 * i));
}

/* Writes buf with `bytes` at offset `at` (little-endian), the CRC fixed,
 * and expects the load to be refused with `want`, the plan untouched. */
static void expect_patch_refused(Model *m, const unsigned char *orig, long n,
                                 long at, uint64_t value, int bytes,
                                 const char *want) {
  unsigned char *buf = malloc((size_t)n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
  memcpy(buf, orig, (size_t)n);
  for (int i = 0; i < bytes; i++) buf[at + i] = (unsigned char)(value >> (8 * i));
  fix_crc(buf, n);
  const char *path = tmp_path("counters_patched.ckpt");
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(fwrite(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  free(buf);
  int64_t steps = pcn_plan_learn_steps(m->plan);
  char err[512] = "";
  int epoch = -1;
  CU_ASSERT_EQUAL(pcn_checkpoint_load(m->plan, path, "m", &epoch, err, sizeof err), -1);
  CU_ASSERT_EQUAL(epoch, -1);
  CU_ASSERT_EQUAL(pcn_plan_learn_steps(m->plan), steps);
  if (!strstr(err, want)) fprintf(stderr, "\n  got '%s', want '%s'\n", err, want);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
}

/* Found with tests/fuzz/fuzz_checkpoint.c (crafted inputs): an epoch, optimizer step count or
 * memory step count near the top of its type loaded (the CRC matched), and
 * the resumed run overflowed it (epoch + 1, steps + 1: undefined behaviour).
 * Such counters are refused as corrupt; the largest allowed still loads. */
static void test_counters_out_of_range(void) {
  Model a;
  CU_ASSERT_FATAL(build_src(&a, MEM_MODEL("1", "8"), 4) == 0);
  const char *path = tmp_path("counters.ckpt");
  char err[512] = "";
  CU_ASSERT_EQUAL_FATAL(pcn_checkpoint_save(a.plan, path, "m", 3, err, sizeof err), 0);
  long n;
  unsigned char *buf = slurp(path, &n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
  /* header 20 bytes, str "m" (4 + 1), u32 epoch, u64 learn_steps */
  const long epoch_at = 25, steps_at = 29;
  CU_ASSERT_EQUAL_FATAL(buf[epoch_at], 3);
  expect_patch_refused(&a, buf, n, epoch_at, 0x7fffffffu, 4,
                       "is corrupt (epoch 2147483647 is out of range)");
  expect_patch_refused(&a, buf, n, epoch_at, 0xffffffffu, 4,
                       "is corrupt (epoch 4294967295 is out of range)");
  expect_patch_refused(&a, buf, n, steps_at, (uint64_t)INT64_MAX, 8,
                       "is corrupt (optimizer step count 9223372036854775807 "
                       "is out of range)");
  /* "M.steps": name, then u32 rows, u32 cols, then the i64. */
  long mat = -1;
  for (long k = 0; k + 7 <= n && mat < 0; k++)
    if (memcmp(buf + k, "M.steps", 7) == 0) mat = k + 7 + 8;
  CU_ASSERT_FATAL(mat > 0 && mat + 8 <= n);
  expect_patch_refused(&a, buf, n, mat, (uint64_t)INT64_MAX, 8,
                       "memory 'M' has step count 9223372036854775807, out of range");
  /* The limits themselves load. */
  unsigned char *ok = malloc((size_t)n);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
  memcpy(ok, buf, (size_t)n);
  for (int i = 0; i < 4; i++)
    ok[epoch_at + i] = (unsigned char)((uint32_t)PCN_CKPT_MAX_EPOCH >> (8 * i));
  for (int i = 0; i < 8; i++)
    ok[steps_at + i] = (unsigned char)((uint64_t)PCN_CKPT_MAX_STEPS >> (8 * i));
  fix_crc(ok, n);
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(fwrite(ok, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  int epoch = -1;
  int rc = pcn_checkpoint_load(a.plan, path, "m", &epoch, err, sizeof err);
  if (rc) fprintf(stderr, "\n  %s\n", err);
  CU_ASSERT_EQUAL(rc, 0);
  CU_ASSERT_EQUAL(epoch, PCN_CKPT_MAX_EPOCH);
  CU_ASSERT_EQUAL(pcn_plan_learn_steps(a.plan), PCN_CKPT_MAX_STEPS);
  free(ok);
  free(buf);
  destroy(&a);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"round trip", test_round_trip},
      {"shape mismatch", test_shape_mismatch},
      {"name mismatch", test_name_mismatch},
      {"model mismatch", test_model_mismatch},
      {"corrupt files", test_corrupt_files},
      {"every truncation", test_every_truncation},
      {"reads version 1", test_reads_version_1},
      {"memory state: round trip, not re-initialized, truncations",
       test_memory_state_round_trip},
      {"epoch and step counters out of range are refused",
       test_counters_out_of_range},
      {"initializer state of another shape is refused", test_state_shape_mismatch},
      {"resume = straight run: init average", test_resume_average},
      {"resume = straight run: init memory(M)", test_resume_memory},
      {"resume = straight run: init null", test_resume_null},
      {"resume = straight run: init random", test_resume_random},
      {NULL, NULL}};
  if (pcn_test_add_suite("checkpoint", cases)) return 1;
  return pcn_test_main();
}
