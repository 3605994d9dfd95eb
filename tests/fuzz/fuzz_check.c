/*
 * fuzz_check.c - libFuzzer harness for the whole front end and checker (not
 * built by CMake): what `pcnc check`, `pcnc schedule` and `pcnc graph` do on
 * a file. The input is written to a file (so NUL bytes, imports relative to
 * it and the realpath logic behave as in pcnc), compiled with
 * pcn_compile_file (parse, imports, sema, graph analysis, the verdicts of
 * pcn_check_model), and when that gives no error every model is reported
 * (check), scheduled with its train/evaluate blocks (pcn_schedule_build)
 * and printed as text, JSON (with the JIT's skip plan) and dot; then a
 * plan of the schedule runs one training and one evaluation batch on the
 * reference executor without data (run_plan), as `pcnc run` would.
 *
 * Every input must end in diagnostics or a report: no crash, hang, leak or
 * sanitizer report. Build (libraries from a clang build with
 * -fsanitize=address,undefined,fuzzer-no-link, see tests/fuzz/README.md):
 *
 *   B=build-fz-clang
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *     -Iinclude -Ilang -Icompiler -I$B/lang tests/fuzz/fuzz_check.c \
 *     $B/compiler/libpcn_compiler.a $B/lang/libpcn_lang.a \
 *     $B/runtime/libpcn_runtime.a -L/usr/lib/llvm-14/lib -lLLVM-14 \
 *     -llapacke -lopenblas -lz -lpng -lpthread -lm -o /tmp/fuzz_check
 *   mkdir -p /tmp/corpus_check && find examples stdlib tests/diagnostics \
 *     -name '*.pcn' -exec cp {} /tmp/corpus_check/ ';'
 *   nice -n 19 /tmp/fuzz_check -max_total_time=600 -max_len=8192 \
 *     -timeout=10 /tmp/corpus_check
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "pcn/exec.h"
#include "pcn/memory.h"
#include "pcn/schedule.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[512];
static FILE *devnull;

static int find_block(const PcnCompilation *c, int model, int train) {
  int n = train ? c->ntrains : c->nevals;
  for (int i = 0; i < n; i++)
    if ((train ? c->trains[i].model : c->evals[i].model) == model) return i;
  return -1;
}

/* What `pcnc run` does with the schedule, without data (clamps stay
 * zero): a plan on the reference backend (at most 64 MiB, a batch of at
 * most 8 rows), one training batch with at most 3 inference steps, one
 * evaluation batch. A plan refused with a message is fine. */
static void run_plan(const PcnSchedule *s, const PcnTrainConfig *tc,
                     const PcnEvalConfig *ec) {
  PcnPlanConfig cfg = pcn_plan_config_default();
  int n = tc && tc->batch < 8 ? tc->batch : 8;
  if (n < 1) n = 1;
  cfg.max_batch = n;
  cfg.max_bytes = (size_t)64 << 20;
  if (tc) {
    cfg.train_inference = tc->inference;
    cfg.learning = tc->learning;
    cfg.seed = tc->seed;
  }
  if (ec) cfg.eval_inference = ec->inference;
  cfg.initializers[PCN_INIT_AVERAGE] = pcn_initializer_average();
  cfg.initializers[PCN_INIT_MEMORY] = pcn_initializer_memory();
  char err[512] = "";
  PcnPlan *p = pcn_plan_create(s, &cfg, err, sizeof err);
  if (!p) {
    if (!err[0]) abort();
    return;
  }
  int T = tc ? tc->T : 1, Te = ec ? ec->T : 1;
  if (T > 3) T = 3;
  if (Te > 3) Te = 3;
  if (pcn_plan_begin_batch(p, PCN_PHASE_TRAIN, n, NULL) == 0 &&
      pcn_exec_run(p, PCN_PROG_TRAIN_INIT, n) == 0) {
    for (int k = 0; k < T; k++) pcn_exec_run(p, PCN_PROG_TRAIN_STEP, n);
    if (pcn_plan_end_batch(p, PCN_PHASE_TRAIN, n, NULL) == 0)
      pcn_exec_run(p, PCN_PROG_TRAIN_LEARN, n);
  }
  if (pcn_plan_begin_batch(p, PCN_PHASE_EVAL, n, NULL) == 0 &&
      pcn_exec_run(p, PCN_PROG_EVAL_INIT, n) == 0) {
    for (int k = 0; k < Te; k++) pcn_exec_run(p, PCN_PROG_EVAL_STEP, n);
    if (pcn_plan_end_batch(p, PCN_PHASE_EVAL, n, NULL) == 0)
      pcn_exec_run(p, PCN_PROG_EVAL_READOUT, n);
  }
  pcn_plan_destroy(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0]) {
    char dir[] = "/tmp/fuzz_check.XXXXXX";
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/fuzz.pcn", dir);
    devnull = fopen("/dev/null", "w");
    if (!devnull) abort();
  }
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  fclose(f);

  PcnArena a;
  PcnDiag d;
  pcn_arena_init(&a);
  pcn_diag_init(&d);
  PcnCompileOptions opts = {0};
  PcnCompilation *c = pcn_compile_file(&a, &d, path, &opts);
  if (!c && d.nerrors == 0) abort(); /* NULL only with an error (or OOM) */
  if (c && d.nerrors == 0) {
    for (int m = 0; m < c->nmodels; m++) {
      pcn_report_check(devnull, c, m);
      const PcnAnalysis *an = pcn_compilation_analysis(c, m);
      pcn_report_dot(devnull, c->models[m], an);
      int ti = find_block(c, m, 1), ei = find_block(c, m, 0);
      const PcnTrainConfig *tc = ti >= 0 ? &c->trains[ti] : NULL;
      PcnSchedule *s = pcn_schedule_build(&a, c->models[m], an, tc,
                                          ei >= 0 ? &c->evals[ei] : NULL,
                                          60000);
      if (!s) abort(); /* only out of memory */
      PcnScheduleReportOptions ro = {.batch = tc ? tc->batch : 0};
      pcn_report_schedule_text_opts(devnull, s, &ro);
      pcn_report_schedule_json_opts(devnull, s, &ro);
      run_plan(s, tc, ei >= 0 ? &c->evals[ei] : NULL);
    }
  }
  pcn_diag_print(&d, devnull, 1);
  pcn_diag_free(&d);
  pcn_arena_free(&a);
  return 0;
}
