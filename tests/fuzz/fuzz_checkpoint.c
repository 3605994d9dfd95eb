/*
 * fuzz_checkpoint.c - libFuzzer harness for the checkpoint loader (not built
 * by CMake): what `pcnc run --load FILE` does with a file. A small model
 * that uses every initializer with checkpointed state (memory, average,
 * null, random) is compiled once; each input is written to a file, loaded
 * by a fresh trainer (pcn_trainer_new with load_path, i.e.
 * pcn_checkpoint_load into a new plan) and, when the load succeeds, the
 * model trains one epoch from the loaded state and saves a checkpoint, so
 * what the loader let through is used as a resumed run would use it.
 *
 * The first input byte is a mode: when it is odd, the harness rewrites the
 * payload length and the CRC of the rest before loading (otherwise almost
 * every mutation stops at "CRC mismatch"); when even, the rest is loaded as
 * it is. Every input must load or be refused with a message: no crash,
 * hang, leak or sanitizer report.
 *
 * Build (libraries from a clang build with
 * -fsanitize=address,undefined,fuzzer-no-link, see tests/fuzz/README.md):
 *
 *   B=build-fz-clang
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *     -Iinclude -Ilang -Icompiler -Iruntime -I$B/lang \
 *     tests/fuzz/fuzz_checkpoint.c $B/compiler/libpcn_compiler.a \
 *     $B/lang/libpcn_lang.a $B/runtime/libpcn_runtime.a \
 *     -L/usr/lib/llvm-14/lib -lLLVM-14 -llapacke -lopenblas -lz -lpng \
 *     -lpthread -lm -o /tmp/fuzz_checkpoint
 *   mkdir -p /tmp/corpus_ckpt
 *   PCN_FUZZ_SEED_DIR=/tmp/corpus_ckpt /tmp/fuzz_checkpoint -runs=0  # seeds
 *   nice -n 19 /tmp/fuzz_checkpoint -max_total_time=600 -timeout=10 \
 *     /tmp/corpus_ckpt
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "compile.h"
#include "pcn/checkpoint.h"
#include "pcn/memory.h"
#include "pcn/schedule.h"
#include "pcn/train.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char model_src[] =
    "dataset d { format synthetic; generator blobs; features 4;\n"
    "  classes 2; samples 8 4; }\n"
    "model m { input x[4]; target y[2];\n"
    "  node h1[5] act tanh init memory(M);\n"
    "  node h2[3] act tanh init average;\n"
    "  node h3[3] act tanh init null;\n"
    "  node h4[2] act tanh init random(0, 0.5);\n"
    "  x -> h1 -> h2 -> y; x -> h3 -> y; x -> h4 -> y;\n"
    "  memory M { patterns 4; heads 2; embed 4; delta 2; query x; } }\n"
    "train m { data d.train; batch 4 aligned; epochs 1;\n"
    "  inference steps 2 sgd(lr=0.1); learning adamw(lr=1e-3); seed 3; }\n"
    "evaluate m { data d.test; metric accuracy; }\n";

static PcnArena arena;
static PcnDiag diag;
static PcnTrainSpec spec;
static char dir[64], in_path[128], out_path[128];

/* Runs one trainer; load/save may be NULL. 0 when it trained. */
static int run(const char *load, const char *save, char *err, size_t errlen) {
  PcnTrainOptions opt = pcn_train_options_default();
  opt.load_path = load;
  opt.save_path = save;
  opt.progress = 0;
  opt.initializers[PCN_INIT_MEMORY] = pcn_initializer_memory();
  PcnTrainer *t = pcn_trainer_new(&spec, &opt, err, errlen);
  int rc = t ? pcn_trainer_run(t, NULL, err, errlen) : -1;
  pcn_trainer_free(t);
  return rc;
}

static void write_file(const char *path, const uint8_t *a, size_t na,
                       const uint8_t *b, size_t nb) {
  FILE *f = fopen(path, "wb");
  if (!f || (na && fwrite(a, 1, na, f) != na) ||
      (nb && fwrite(b, 1, nb, f) != nb) || fclose(f) != 0)
    abort();
}

/* Writes the seeds: a checkpoint after two epochs, once as it is (mode 0)
 * and once to be fixed up (mode 1). */
static void write_seeds(const char *seed_dir) {
  char err[512] = "";
  if (run(NULL, in_path, err, sizeof err) || run(in_path, in_path, err, sizeof err)) {
    fprintf(stderr, "fuzz_checkpoint: seed run failed: %s\n", err);
    abort();
  }
  FILE *f = fopen(in_path, "rb");
  if (!f) abort();
  static uint8_t buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  for (uint8_t mode = 0; mode < 2; mode++) {
    char p[600];
    snprintf(p, sizeof p, "%s/seed_mode%u.ckpt", seed_dir, mode);
    write_file(p, &mode, 1, buf, n);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  pcn_arena_init(&arena);
  pcn_diag_init(&diag);
  PcnCompileOptions opts = {0};
  PcnCompilation *c = pcn_compile_string(&arena, &diag, "ckpt.pcn", model_src, &opts);
  if (!c || diag.nerrors) {
    pcn_diag_print(&diag, stderr, 0);
    abort();
  }
  const PcnTrainConfig *tc = &c->trains[0];
  const PcnDataset *ds = &c->datasets[tc->dataset];
  PcnSchedule *s = pcn_schedule_build(&arena, c->models[0], pcn_compilation_analysis(c, 0),
                                      tc, &c->evals[0], ds->train_samples);
  if (!s) abort();
  spec = (PcnTrainSpec){c->models[0], pcn_compilation_analysis(c, 0), s, tc, &c->evals[0],
                        ds, &c->datasets[c->evals[0].dataset], NULL};
  snprintf(dir, sizeof dir, "/tmp/fuzz_ckpt.XXXXXX");
  if (!mkdtemp(dir)) abort();
  snprintf(in_path, sizeof in_path, "%s/in.ckpt", dir);
  snprintf(out_path, sizeof out_path, "%s/out.ckpt", dir);
  const char *seed_dir = getenv("PCN_FUZZ_SEED_DIR");
  if (seed_dir) write_seeds(seed_dir);
  return 0;
}

static void put_le32(uint8_t *b, uint32_t v) {
  for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t mode = data[0];
  size_t n = size - 1;
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf) abort();
  memcpy(buf, data + 1, n);
  /* magic 8, version 4, payload length 8, payload, crc 4 */
  if ((mode & 1) && n >= 24) {
    uint64_t payload = n - 24;
    put_le32(buf + 12, (uint32_t)payload);
    put_le32(buf + 16, (uint32_t)(payload >> 32));
    put_le32(buf + n - 4, (uint32_t)crc32(crc32(0L, Z_NULL, 0), buf + 20, (uInt)payload));
  }
  write_file(in_path, buf, n, NULL, 0);
  free(buf);
  char err[512] = "";
  int rc = run(in_path, out_path, err, sizeof err);
  if (getenv("PCN_FUZZ_VERBOSE"))
    fprintf(stderr, "%s\n", rc ? err : "loaded and trained");
  if (rc != 0 && !err[0]) abort(); /* every refusal has a message */
  return 0;
}
