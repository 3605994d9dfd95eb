/* test_checkpoint.c - checkpoints round-trip exactly, and every kind of
 * wrong file (other shapes, other names, other model, truncated, flipped
 * byte, not a checkpoint, newer version) is refused with a message that
 * names the difference, leaving the plan untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pcn/checkpoint.h"
#include "pcn/exec.h"
#include "pcn/schedule.h"
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

int main(void) {
  static const PcnTestCase cases[] = {
      {"round trip", test_round_trip},
      {"shape mismatch", test_shape_mismatch},
      {"name mismatch", test_name_mismatch},
      {"model mismatch", test_model_mismatch},
      {"corrupt files", test_corrupt_files},
      {"every truncation", test_every_truncation},
      {NULL, NULL}};
  if (pcn_test_add_suite("checkpoint", cases)) return 1;
  return pcn_test_main();
}
