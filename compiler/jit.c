/* jit.c - the JIT backend (ORC LLJIT through the LLVM 14 C API) and the
 * ahead-of-time outputs (object file, C header, IR text). codegen.h.
 *
 * prepare(): build the code as separate modules (codegen.c,
 * pcn_cg_build_split: the kernels; what a training batch runs; evaluation;
 * the general step and learn), verify, hand them to a fresh LLJIT whose
 * main dylib holds every runtime symbol the code may call (registered by
 * address: Debian links with --as-needed, so a search of the process can
 * miss cblas_sgemm); compile the kernels of a training batch
 * (PCN_JIT_KERNEL_PIPELINE, two halves on two threads) and its entry functions (not optimized, -O0
 * code generation) to object files ourselves, add those, and look up the
 * batch's entry points: ORC links them, and errors surface. The other
 * modules are optimized, compiled and added on first use in jit_run()
 * (jit_unit_add).
 * Switches for measurement: PCN_JIT_EAGER=1 (compile everything in
 * prepare), PCN_JIT_SPLIT=each (one module per entry function),
 * PCN_JIT_ENTRY_OPT / PCN_JIT_KERNEL_OPT (pipelines, "none" for entries). */
#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/OrcEE.h>
#include <llvm-c/ExecutionEngine.h>

#include "codegen.h"
#include "pcn/optim.h"

#define CBLAS_TRANS_CODE 112 /* CblasTrans */

static void jit_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void jit_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* Consumes e; writes "what: message". Returns -1 for tail calls. */
static int orc_err(LLVMErrorRef e, const char *what, char *err, size_t errlen) {
  char *msg = LLVMGetErrorMessage(e);
  jit_err(err, errlen, "jit: %s: %s", what, msg);
  LLVMDisposeErrorMessage(msg);
  return -1;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the runtime helper and the symbol table ---------------------------- */

static int opt_step_split(PcnPlan *p, const PcnSchedule *s, const PcnOp *op);

/* OpenBLAS's thread count as jit_run's caller left it, while generated
 * code runs on this thread (0 otherwise). It decides the rest: at 1
 * nothing goes to the pool (pcnc run --threads 1); at the pool's two,
 * products are split over the pool with OpenBLAS at one; above, large
 * products go to OpenBLAS's threads (a bigger machine). */
static _Thread_local int caller_threads;

int32_t pcn_rt_jit_op(PcnJitState *st, int32_t prog, int32_t stage, int32_t op, int32_t n) {
  PcnPlan *p = st->plan;
  if (!p) return -1;
  const PcnSchedule *s = pcn_plan_schedule(p);
  if ((unsigned)prog >= PCN_PROG_COUNT || stage < 0 || stage >= s->programs[prog].nstages ||
      op < 0 || op >= s->programs[prog].stages[stage].nops) {
    pcn_plan_set_error(p, "jit: no op %d of stage %d of program %d", op, stage, prog);
    return -1;
  }
  const PcnOp *o = &s->programs[prog].stages[stage].ops[op];
  if (o->kind == PCN_OP_OPT_STEP && !o->fallback && opt_step_split(p, s, o) == 0) return 0;
  /* Runtime ops (memories, GATE) run with the caller's OpenBLAS threads,
   * as under the reference executor: OpenBLAS rounds some products
   * differently at one thread and at two, and a memory computes its
   * retrieval here but its Eq. 9 gradient after the batch, outside
   * generated code. Mixed, the gradient of a near-zero loss (4e-10 on
   * fmnist_decoder_mem) became rounding noise 50 times its size, which
   * AdamW turned into full steps: the example's energy after one epoch
   * on a fifth of the data rose by 1.6-5.5% against the reference's. */
  int inside = openblas_get_num_threads();
  bool restore = caller_threads > 0 && inside != caller_threads;
  if (restore) openblas_set_num_threads(caller_threads);
  int rc = pcn_exec_op(p, (PcnProgramKind)prog, o, n);
  if (restore) openblas_set_num_threads(inside);
  return rc;
}

/* ---- a two-thread pool for generated code ------------------------------ *
 * One persistent worker (PCN_RT_THREADS = 2: the caller plus one), woken
 * per job through a condition variable; a job costs a few microseconds
 * against milliseconds of libm or BLAS work. Calls from several threads
 * at once are serialized by `busy` (trylock: the loser runs the whole job
 * itself). pcn_rt_rows() splits elementwise rows; pcn_rt_sgemm() splits
 * the rows of C over two single-threaded sgemm calls: by default the JIT
 * owns the cores, with OpenBLAS at one thread while generated code runs
 * (jit_run), so no third thread spins beside ours. Measured against
 * OpenBLAS's two threads (PCN_JIT_THREADS=seq), the split products are
 * as fast when OpenBLAS is at its best and do not share its slow mode
 * (bench/README.md, "Session 4: products on the pool"). */
typedef double (*RowsFn)(PcnJitState *, int64_t, int64_t);
typedef void (*JobFn)(void *arg);

/* Handoffs come in bursts (the rows of a stage's nodes one after the
 * other, then the optimizer's halves), and a futex wake of a sleeping
 * worker costs tens of microseconds on a VM whose idle vCPU halts. So
 * both sides spin briefly (about POOL_SPIN_NS) on the generation counters
 * before they sleep: the worker after a job, catching the next job of the
 * burst; the caller while the worker finishes its half. Both spin with
 * sched_yield, so a spinner gives its core to whatever else is runnable
 * there: OpenBLAS's thread when a product starts, or the other side of
 * the pool when the scheduler put both on one core. With pause instead,
 * bench_jit ran in two modes, batch medians 17.2-17.3 or 18.7-18.8 ms
 * (products 91% or 82% of the time); with yield the 82% mode was gone in
 * 3 of 4 runs. PCN_JIT_POOL_SPIN=0 turns spinning off. */
#define POOL_SPIN_NS 30000

static struct {
  pthread_mutex_t mu;
  pthread_cond_t wake, done;
  pthread_mutex_t busy;
  _Atomic uint64_t job, finished; /* generation counters */
  JobFn fn;
  void *arg;
  bool worker_sleeps, caller_sleeps; /* under mu */
  int ok;   /* worker running */
  int spin; /* spin before sleeping (PCN_JIT_POOL_SPIN) */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
          PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL, NULL, false, false, 0, 1};
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static _Atomic unsigned long pool_handoffs, split_products;

unsigned long pcn_jit_pool_handoffs(void) { return atomic_load(&pool_handoffs); }
unsigned long pcn_jit_split_products(void) { return atomic_load(&split_products); }

/* Spins, yielding, until *x differs from v (equals v when want_eq), for
 * about POOL_SPIN_NS; true when it happened. */
static bool spin_until(_Atomic uint64_t *x, uint64_t v, bool want_eq) {
  if (!pool.spin) return false;
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0;; i++) {
    uint64_t cur = atomic_load_explicit(x, memory_order_acquire);
    if (want_eq ? cur == v : cur != v) return true;
    sched_yield();
    if ((i & 7) == 7) {
      clock_gettime(CLOCK_MONOTONIC, &t);
      if ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) > POOL_SPIN_NS)
        return false;
    }
  }
}

static void *pool_worker(void *unused) {
  (void)unused;
  uint64_t seen = 0;
  for (;;) {
    if (!spin_until(&pool.job, seen, false)) {
      pthread_mutex_lock(&pool.mu);
      pool.worker_sleeps = true;
      while (atomic_load(&pool.job) == seen) pthread_cond_wait(&pool.wake, &pool.mu);
      pool.worker_sleeps = false;
      pthread_mutex_unlock(&pool.mu);
    }
    seen = atomic_load_explicit(&pool.job, memory_order_acquire);
    pool.fn(pool.arg);
    atomic_store_explicit(&pool.finished, seen, memory_order_release);
    pthread_mutex_lock(&pool.mu);
    if (pool.caller_sleeps) pthread_cond_signal(&pool.done);
    pthread_mutex_unlock(&pool.mu);
  }
  return NULL;
}

static void pool_start(void) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 2) return;
  const char *spin = getenv("PCN_JIT_POOL_SPIN");
  pool.spin = !(spin && spin[0] == '0');
  pthread_t t;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&t, &at, pool_worker, NULL) == 0) pool.ok = 1;
  pthread_attr_destroy(&at);
}

/* Runs mine(a) here and theirs(b) on the worker, both to completion.
 * Returns 0, or -1 when the pool is unavailable (nothing ran). The job
 * is published by the release store of `job` (fn and arg before it);
 * the mutex only guards the sleep flags, so a wake is never lost: each
 * side sets its flag and rechecks the counter under mu before waiting. */
static int pool_pair(JobFn mine, void *a, JobFn theirs, void *b) {
  if (caller_threads == 1) return -1;
  pthread_once(&pool_once, pool_start);
  if (!pool.ok || pthread_mutex_trylock(&pool.busy) != 0) return -1;
  pool.fn = theirs, pool.arg = b;
  atomic_fetch_add_explicit(&pool_handoffs, 1, memory_order_relaxed);
  uint64_t job = atomic_load_explicit(&pool.job, memory_order_relaxed) + 1;
  atomic_store_explicit(&pool.job, job, memory_order_release);
  pthread_mutex_lock(&pool.mu);
  if (pool.worker_sleeps) pthread_cond_signal(&pool.wake);
  pthread_mutex_unlock(&pool.mu);
  mine(a);
  if (!spin_until(&pool.finished, job, true)) {
    pthread_mutex_lock(&pool.mu);
    pool.caller_sleeps = true;
    while (atomic_load(&pool.finished) != job) pthread_cond_wait(&pool.done, &pool.mu);
    pool.caller_sleeps = false;
    pthread_mutex_unlock(&pool.mu);
  }
  pthread_mutex_unlock(&pool.busy);
  return 0;
}

typedef struct RowsJob {
  RowsFn fn;
  PcnJitState *st;
  int64_t r0, r1;
  double result;
} RowsJob;

static void rows_job(void *arg) {
  RowsJob *j = arg;
  j->result = j->fn(j->st, j->r0, j->r1);
}

double pcn_rt_rows(RowsFn fn, PcnJitState *st, int64_t n, int64_t cols) {
  /* Below ~16k elements the handoff costs more than it saves. */
  if (n < 2 || n * cols < 16384) return fn(st, 0, n);
  RowsJob a = {fn, st, 0, n / 2, 0}, b = {fn, st, n / 2, n, 0};
  if (pool_pair(rows_job, &a, rows_job, &b)) return fn(st, 0, n);
  return a.result + b.result; /* in row order */
}

/* OPT_STEP of a large parameter (what exec_ref.c's opt_step does, through
 * the plan's accessors) split in two halves over the pool. The update is
 * elementwise, so the halves give the same numbers as one call; AdamW's
 * loop is memory-bound (28 bytes per parameter) and one core does not
 * saturate the bus. -1: not split (small, or the pool is busy), the
 * caller runs the op itself. */
typedef struct OptJob {
  const PcnOptimizer *o;
  float *p, *m, *v;
  const float *g;
  size_t count;
  int64_t t;
} OptJob;

static void opt_job(void *arg) {
  OptJob *j = arg;
  pcn_optim_step(j->o, j->p, j->g, j->m, j->v, j->count, j->t);
}

static int opt_step_split(PcnPlan *p, const PcnSchedule *s, const PcnOp *op) {
  const PcnBuffer *P = &s->buffers[op->param];
  size_t count = (size_t)P->rows * P->cols;
  if (count < ((size_t)1 << 16)) return -1;
  int64_t t = pcn_plan_learn_steps(p);
  OptJob a = {&pcn_plan_config(p)->learning, pcn_plan_buffer(p, op->param),
              pcn_plan_moment(p, op->param, 1), pcn_plan_moment(p, op->param, 2),
              pcn_plan_buffer(p, op->grad), count, t > 0 ? t : 1};
  OptJob b = a;
  size_t h = (count / 2) & ~(size_t)63; /* halves on cache lines */
  a.count = h;
  b.count = count - h;
  b.p += h;
  b.g += h;
  if (b.m) b.m += h;
  if (b.v) b.v += h;
  return pool_pair(opt_job, &a, opt_job, &b) ? -1 : 0;
}

typedef struct GemmJob {
  int ta, tb, m, n, k;
  float alpha, beta;
  const float *A, *B;
  float *C;
  int lda, ldb, ldc;
} GemmJob;

static void gemm_job(void *arg) {
  GemmJob *g = arg;
  cblas_sgemm(CblasRowMajor, g->ta == CBLAS_TRANS_CODE ? CblasTrans : CblasNoTrans,
              g->tb == CBLAS_TRANS_CODE ? CblasTrans : CblasNoTrans, g->m, g->n, g->k, g->alpha,
              g->A, g->lda, g->B, g->ldb, g->beta, g->C, g->ldc);
}

/* cblas_sgemm's ABI (enums as int). Row-major only, which is all codegen
 * emits. Splitting C's rows gives each half exactly the dot products the
 * whole call computes, so results match a single call up to the BLAS
 * kernel's own blocking. */
void pcn_rt_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *A,
                  int lda, const float *B, int ldb, float beta, float *C, int ldc) {
  (void)order;
  GemmJob whole = {ta, tb, m, n, k, alpha, beta, A, B, C, lda, ldb, ldc};
  bool small = m < 16 || (double)m * n * k < 2e6;
  if (caller_threads > PCN_RT_THREADS) { /* OpenBLAS has more threads */
    if (small) pcn_rt_sgemm_1t(order, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    else gemm_job(&whole);
    return;
  }
  if (small) {
    gemm_job(&whole);
    return;
  }
  int h = m / 2;
  GemmJob a = whole, b = whole;
  a.m = h;
  b.m = m - h;
  /* A's rows are C's rows; transposed, they are A's columns. */
  b.A = ta == CBLAS_TRANS_CODE ? A + h : A + (size_t)h * lda;
  b.C = C + (size_t)h * ldc;
  if (pool_pair(gemm_job, &a, gemm_job, &b)) gemm_job(&whole);
  else atomic_fetch_add_explicit(&split_products, 1, memory_order_relaxed);
}

void pcn_rt_sgemm_1t(int order, int ta, int tb, int m, int n, int k, float alpha,
                     const float *A, int lda, const float *B, int ldb, float beta, float *C,
                     int ldc) {
  (void)order;
  int old = openblas_get_num_threads();
  if (old > 1) openblas_set_num_threads(1);
  cblas_sgemm(CblasRowMajor, ta == CBLAS_TRANS_CODE ? CblasTrans : CblasNoTrans,
              tb == CBLAS_TRANS_CODE ? CblasTrans : CblasNoTrans, m, n, k, alpha, A, lda, B, ldb,
              beta, C, ldc);
  if (old > 1) openblas_set_num_threads(old);
}

/* Every C symbol generated code may call. Adding a call in codegen.c
 * means adding its row here, or the entry lookup fails. */
typedef struct RtSymbol {
  const char *name;
  void (*addr)(void);
} RtSymbol;

static const RtSymbol rt_symbols[] = {
    {"cblas_sgemm", (void (*)(void))cblas_sgemm},
    {"erff", (void (*)(void))erff},
    {"expf", (void (*)(void))expf},
    {"expm1f", (void (*)(void))expm1f},
    {"tanhf", (void (*)(void))tanhf},
    {"pcn_rt_jit_op", (void (*)(void))pcn_rt_jit_op},
    {"pcn_rt_rows", (void (*)(void))pcn_rt_rows},
    {"pcn_rt_sgemm", (void (*)(void))pcn_rt_sgemm},
    {"pcn_rt_sgemm_1t", (void (*)(void))pcn_rt_sgemm_1t},
    /* The optimizer turns zeroing and copying loops into these. */
    {"memset", (void (*)(void))memset},
    {"memcpy", (void (*)(void))memcpy},
    {"memmove", (void (*)(void))memmove},
};
#define NRT_SYMBOLS (sizeof rt_symbols / sizeof rt_symbols[0])

/* ---- JIT state ---------------------------------------------------------- */

#define JIT_MAX_FUNCS (PCN_PROG_COUNT + PCN_CG_MAX_VARIANTS + 1)
#define JIT_MAX_UNITS (JIT_MAX_FUNCS + 1)

/* A module compiled on first use: optimized with `pipeline` (NULL: not
 * at all), compiled to an object file (kernels with the host machine at
 * -O3, entry functions, straight-line calls into kernels and BLAS, at -O0
 * with fast instruction selection) and added to the LLJIT as that object;
 * `dep` (-1: none) is added first. */
typedef struct JitUnit {
  LLVMModuleRef mod; /* NULL when empty or added */
  const char *pipeline;
  int dep;
  bool added;
  bool entries; /* entry functions: machine code at -O0 (fast isel) */
} JitUnit;

typedef struct JitState {
  LLVMOrcLLJITRef jit;
  /* Entry points by pcn_cg_function_name() index: the six programs, then
   * (specialized) step t at PCN_PROG_COUNT + t, learn after T steps at
   * PCN_PROG_COUNT + T. NULL until looked up (compiled) on first use. */
  PcnJitEntry fn[JIT_MAX_FUNCS];
  int nfuncs;
  bool specialized;
  PcnCgOptions opts;
  /* Specialized training steps (codegen.h). */
  PcnCgStepPlan plan;
  int k;      /* steps run since TRAIN_INIT, -1 when the sequence broke */
  int n_init; /* rows of that TRAIN_INIT */
  PcnJitState st;
  char *err_slot; /* ORC reporter target (the plan's error is set later) */
  /* Code not compiled yet (jit_unit_add): modules in `tsc`, optimized by
   * us and handed to ORC on first use of an entry point they define. */
  LLVMOrcThreadSafeContextRef tsc;
  JitUnit units[JIT_MAX_UNITS];
  int nunits;
  int unit_of[JIT_MAX_FUNCS]; /* entry function -> its unit */
  LLVMTargetMachineRef tm;      /* host, -O3 code generation */
  LLVMTargetMachineRef tm_fast; /* host, -O0 (entry functions) */
  const char *entry_pipeline; /* NULL: entry modules are not optimized */
  double opt_seconds;         /* time in the pipelines so far (all threads) */
  bool hot_unit[JIT_MAX_UNITS]; /* compiled in prepare() */
  char after_err[512];
} JitState;

static _Thread_local double last_compile_seconds;
static _Thread_local PcnJitTimes last_times;

double pcn_jit_last_compile_seconds(void) { return last_compile_seconds; }
void pcn_jit_last_times(PcnJitTimes *out) { *out = last_times; }

/* ORC reports errors of asynchronous materialization here instead of
 * printing them; the lookup that triggered them fails too, and its
 * message goes to the caller. */
static void orc_reporter(void *ctx, LLVMErrorRef e) {
  char *slot = ctx;
  char *msg = LLVMGetErrorMessage(e);
  if (slot) snprintf(slot, 256, "%s", msg);
  LLVMDisposeErrorMessage(msg);
}

static int define_runtime_symbols(LLVMOrcLLJITRef jit, char *err, size_t errlen) {
  LLVMJITCSymbolMapPair pairs[NRT_SYMBOLS];
  for (size_t i = 0; i < NRT_SYMBOLS; i++) {
    pairs[i].Name = LLVMOrcLLJITMangleAndIntern(jit, rt_symbols[i].name);
    pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)rt_symbols[i].addr;
    pairs[i].Sym.Flags.GenericFlags =
        LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
    pairs[i].Sym.Flags.TargetFlags = 0;
  }
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, NRT_SYMBOLS);
  LLVMErrorRef e = LLVMOrcJITDylibDefine(LLVMOrcLLJITGetMainJITDylib(jit), mu);
  if (e) {
    LLVMOrcDisposeMaterializationUnit(mu);
    return orc_err(e, "defining runtime symbols", err, errlen);
  }
  return 0;
}

static void jit_state_free(JitState *js) {
  if (!js) return;
  if (js->jit) {
    LLVMErrorRef e = LLVMOrcDisposeLLJIT(js->jit);
    if (e) LLVMConsumeError(e);
  }
  for (int u = 0; u < js->nunits; u++)
    if (js->units[u].mod) LLVMDisposeModule(js->units[u].mod);
  if (js->tsc) LLVMOrcDisposeThreadSafeContext(js->tsc);
  if (js->tm) LLVMDisposeTargetMachine(js->tm);
  if (js->tm_fast) LLVMDisposeTargetMachine(js->tm_fast);
  pcn_cg_step_plan_free(&js->plan);
  free(js->st.buf);
  free(js->err_slot);
  free(js);
}

/* The options the JIT compiles with; the environment can turn parts off
 * for measurements (and as escape hatches):
 *   PCN_JIT_NOSKIP=1    no step specialization (every op every step)
 *   PCN_JIT_SERIAL=1    elementwise rows on the calling thread only
 *   PCN_JIT_THREADS=own the default, spelled out: GEMMs split over our
 *                       two threads, OpenBLAS at one thread while
 *                       generated code runs (jit_run)
 *   PCN_JIT_THREADS=seq GEMMs one after the other on OpenBLAS's threads,
 *                       skinny ones (a side <= PCN_CG_SKINNY) on one
 *   PCN_JIT_THREADS=blas every GEMM on OpenBLAS's threads
 *   PCN_JIT_EXACT=1     activations through libm and energies in the
 *                       reference's order: bit-identical, not vectorized
 *   PCN_JIT_NOFOLD=1    no folded updates (codegen.c): dh written and
 *                       applied in a pass of its own, as the reference,
 *                       and every PREDICT stores mu (elide_dead_mu off) */
int pcn_jit_options(const PcnSchedule *s, PcnCgStepPlan *plan, PcnCgOptions *o) {
  const char *noskip = getenv("PCN_JIT_NOSKIP");
  const char *serial = getenv("PCN_JIT_SERIAL");
  const char *threads = getenv("PCN_JIT_THREADS");
  const char *exact = getenv("PCN_JIT_EXACT");
  const char *nofold = getenv("PCN_JIT_NOFOLD");
  bool specialize = !(noskip && noskip[0] == '1');
  memset(o, 0, sizeof *o);
  o->prefix = "pcn_";
  o->parallel_rows = !(serial && serial[0] == '1');
  o->exact_math = exact && exact[0] == '1';
  /* Products split over our pool by default; PCN_JIT_THREADS=seq or
   * =blas leave them to OpenBLAS's threads (blas: every product through
   * cblas_sgemm as set). */
  bool blas_threads = threads && (strcmp(threads, "seq") == 0 || strcmp(threads, "blas") == 0);
  o->own_gemm_threads = !blas_threads && !o->exact_math;
  o->fold_update = o->elide_dead_mu = !(nofold && nofold[0] == '1');
  /* Exact mode promises the reference's numbers bit for bit, so its
   * products are the reference's calls: OpenBLAS at one thread rounds
   * some shapes differently from its two threads (measured: the
   * 4x512x784 product of fmnist_fw). */
  o->skinny_1t = !(threads && strcmp(threads, "blas") == 0) && !o->exact_math &&
                 !o->own_gemm_threads;
  if (specialize) {
    if (pcn_cg_plan_steps(s, s->smm.T, plan)) return -1;
    o->steps = plan;
  }
  return 0;
}

/* Compiles m (consumed) to an object with tm and adds it to the LLJIT. */
static int add_object(JitState *js, LLVMModuleRef m, LLVMTargetMachineRef tm, char *err,
                      size_t errlen) {
  pcn_cg_set_target(m, tm);
  char *msg = NULL;
  LLVMMemoryBufferRef obj = NULL;
  LLVMBool bad = LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, &obj);
  LLVMDisposeModule(m);
  if (bad) {
    jit_err(err, errlen, "jit: code generation: %s", msg ? msg : "?");
    LLVMDisposeMessage(msg);
    return -1;
  }
  LLVMDisposeMessage(msg);
  LLVMErrorRef e = LLVMOrcLLJITAddObjectFile(js->jit, LLVMOrcLLJITGetMainJITDylib(js->jit), obj);
  if (e) return orc_err(e, "adding an object", err, errlen);
  return 0;
}

/* Optimizes unit u's module ourselves (when it has a pipeline) and adds
 * it to the LLJIT, after its dependency. Replaces ORC's IR transform
 * layer, whose C binding in LLVM 14 (LLVMOrcIRTransformLayerSetTransform)
 * leaks a 24-byte ThreadSafeModule shell per module it transforms. */
static int jit_unit_add(JitState *js, int u, char *err, size_t errlen) {
  JitUnit *un = &js->units[u];
  if (un->added) return 0;
  un->added = true; /* a failure below is final for this plan */
  if (un->dep >= 0 && jit_unit_add(js, un->dep, err, errlen)) return -1;
  if (!un->mod) return 0;
  LLVMModuleRef m = un->mod;
  un->mod = NULL;
  if (un->pipeline) {
    double t = now_seconds();
    int rc = pcn_cg_optimize_with(m, js->tm, un->pipeline, err, errlen);
    js->opt_seconds += now_seconds() - t;
    if (rc) {
      LLVMDisposeModule(m);
      return -1;
    }
  }
  return add_object(js, m, un->entries ? js->tm_fast : js->tm, err, errlen);
}

/* Entry point k, compiled now if it was not yet (its unit is optimized
 * and added, then ORC selects instructions and links on the lookup).
 * NULL with a message. */
static PcnJitEntry jit_entry(JitState *js, int k, char *err, size_t errlen) {
  if (js->fn[k]) return js->fn[k];
  if (jit_unit_add(js, js->unit_of[k], err, errlen)) return NULL;
  char name[64];
  pcn_cg_function_name(&js->opts, k, name, sizeof name);
  LLVMOrcExecutorAddress addr = 0;
  LLVMErrorRef e = LLVMOrcLLJITLookup(js->jit, &addr, name);
  if (e) {
    char what[400];
    snprintf(what, sizeof what, "looking up %s%s%s", name, js->err_slot[0] ? ": " : "",
             js->err_slot);
    orc_err(e, what, err, errlen);
    return NULL;
  }
  if (!addr) {
    jit_err(err, errlen, "jit: %s resolved to address 0", name);
    return NULL;
  }
  return js->fn[k] = (PcnJitEntry)(uintptr_t)addr;
}

/* PCN_JIT_PERF=1: RuntimeDyld object layer with LLVM's perf listener,
 * which writes /tmp/perf-<pid>.map so `perf report` names the generated
 * functions and kernels (a measuring aid; off by default). */
static LLVMOrcObjectLayerRef perf_object_layer(void *ctx, LLVMOrcExecutionSessionRef es,
                                               const char *triple) {
  (void)ctx, (void)triple;
  LLVMOrcObjectLayerRef l = LLVMOrcCreateRTDyldObjectLinkingLayerWithSectionMemoryManager(es);
  LLVMJITEventListenerRef perf = LLVMCreatePerfJITEventListener();
  if (perf) LLVMOrcRTDyldObjectLinkingLayerRegisterJITEventListener(l, perf);
  return l;
}

/* ---- the kernels a training batch needs, on two threads ----------------
 *
 * Almost all of prepare() is optimization and instruction selection of the kernels
 * (the activation's vector code). They are independent functions, so
 * prepare() splits them into two halves of about equal size (LLVM
 * instructions) and compiles each half to an object file on its own
 * thread, in its own LLVMContext (the half for the pool's worker is a
 * copy through bitcode) with its own target machine; the objects go to
 * the LLJIT as they are. */

typedef struct KernelHalf {
  /* in: the module (caller's half), or bitcode to read into a context of
   * our own (worker's half), and the names of the functions to keep */
  LLVMModuleRef mod;
  LLVMMemoryBufferRef bitcode;
  char **keep;
  int nkeep;
  LLVMTargetMachineRef tm; /* NULL: create one */
  const char *pipeline;
  /* run on the same thread after the half (the caller's: the hot entry
   * units), with its status in after_rc */
  int (*after)(void *arg);
  void *after_arg;
  int after_rc;
  /* out */
  LLVMMemoryBufferRef obj;
  double opt_seconds, opt_cpu, cpu;
  int rc;
  char err[256];
} KernelHalf;

static bool kept(const KernelHalf *h, const char *name, size_t len) {
  for (int i = 0; i < h->nkeep; i++)
    if (strlen(h->keep[i]) == len && memcmp(h->keep[i], name, len) == 0) return true;
  return false;
}

static void kernel_half_job(void *arg) {
  KernelHalf *h = arg;
  double c0 = cpu_seconds();
  LLVMContextRef ctx = NULL;
  LLVMModuleRef m = h->mod;
  LLVMTargetMachineRef tm = h->tm;
  h->rc = -1;
  if (!m) {
    ctx = LLVMContextCreate();
    if (LLVMParseBitcodeInContext2(ctx, h->bitcode, &m)) {
      snprintf(h->err, sizeof h->err, "jit: cannot read the kernels' bitcode");
      LLVMContextDispose(ctx);
      h->cpu = cpu_seconds() - c0;
      return;
    }
  }
  /* Keep this half's definitions; the other half's go (kernels never
   * call each other). */
  for (LLVMValueRef f = LLVMGetFirstFunction(m), next; f; f = next) {
    next = LLVMGetNextFunction(f);
    size_t len = 0;
    const char *name = LLVMGetValueName2(f, &len);
    if (!LLVMIsDeclaration(f) && !kept(h, name, len)) LLVMDeleteFunction(f);
  }
  if (!tm) tm = pcn_cg_host_machine(false, h->err, sizeof h->err);
  char *msg = NULL;
  if (tm) {
    double t = now_seconds(), c = cpu_seconds();
    int rc = pcn_cg_optimize_with(m, tm, h->pipeline, h->err, sizeof h->err);
    h->opt_seconds = now_seconds() - t;
    h->opt_cpu = cpu_seconds() - c;
    if (rc == 0) {
      if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, &h->obj)) {
        snprintf(h->err, sizeof h->err, "jit: code generation for the kernels: %s",
                 msg ? msg : "?");
        h->obj = NULL;
      } else {
        h->rc = 0;
      }
      LLVMDisposeMessage(msg);
    }
  }
  if (tm && tm != h->tm) LLVMDisposeTargetMachine(tm);
  LLVMDisposeModule(m);
  if (ctx) LLVMContextDispose(ctx);
  h->cpu = cpu_seconds() - c0;
  if (h->after) h->after_rc = h->after(h->after_arg);
}

static size_t function_size(LLVMValueRef f) {
  size_t n = 0;
  for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb; bb = LLVMGetNextBasicBlock(bb))
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) n++;
  return n;
}

/* compile_kernels' `after` in prepare(): the hot entry units. */
static int add_hot_units(void *arg) {
  JitState *js = arg;
  double t = now_seconds();
  for (int u = 0; u < js->nunits; u++)
    if (js->hot_unit[u] && jit_unit_add(js, u, js->after_err, sizeof js->after_err)) return -1;
  last_times.entries += now_seconds() - t;
  return 0;
}

/* Compiles the kernels module km (consumed) to objects, two halves on two
 * threads when the pool has a worker, and adds them to the LLJIT. */
static int compile_kernels(JitState *js, LLVMModuleRef km, const char *pipeline,
                           int (*after)(void *), void *after_arg, size_t after_size, char *err,
                           size_t errlen) {
  PcnJitTimes *tt = &last_times;
  double t0 = now_seconds();
  int nf = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(km); f; f = LLVMGetNextFunction(f))
    if (!LLVMIsDeclaration(f)) nf++;
  char **names = calloc((size_t)nf + 1, sizeof *names);
  size_t *size = calloc((size_t)nf + 1, sizeof *size);
  int *side = calloc((size_t)nf + 1, sizeof *side);
  char **keep0 = calloc((size_t)nf + 1, sizeof *keep0), **keep1 = calloc((size_t)nf + 1, sizeof *keep1);
  int rc = -1;
  KernelHalf h[2];
  memset(h, 0, sizeof h);
  if (!names || !size || !side || !keep0 || !keep1) {
    jit_err(err, errlen, "jit: out of memory");
    LLVMDisposeModule(km);
    goto done;
  }
  int k = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(km); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    size_t len = 0;
    const char *name = LLVMGetValueName2(f, &len);
    names[k] = strndup(name, len);
    size[k] = function_size(f);
    if (!names[k]) {
      jit_err(err, errlen, "jit: out of memory");
      LLVMDisposeModule(km);
      goto done;
    }
    k++;
  }
  /* Largest first, each to the lighter half; the caller's half starts
   * with the work it does after the kernels (after_size). */
  size_t load[2] = {after_size, 0};
  for (int placed = 0; placed < nf; placed++) {
    int best = -1;
    for (int i = 0; i < nf; i++)
      if (side[i] == 0 && (best < 0 || size[i] > size[best])) best = i;
    int to = load[0] <= load[1] ? 0 : 1;
    side[best] = to + 1;
    load[to] += size[best];
    if (to == 0) keep0[h[0].nkeep++] = names[best];
    else keep1[h[1].nkeep++] = names[best];
  }
  h[0].keep = keep0, h[1].keep = keep1;
  h[0].pipeline = h[1].pipeline = pipeline;
  h[0].after = after, h[0].after_arg = after_arg;
  h[0].tm = js->tm;
  const char *serial = getenv("PCN_JIT_SERIAL");
  /* One thread when asked (PCN_JIT_SERIAL, or OpenBLAS set to one:
   * pcnc run --threads 1). */
  bool two = h[1].nkeep > 0 && !(serial && serial[0] == '1') && openblas_get_num_threads() > 1;
  if (two) {
    h[1].bitcode = LLVMWriteBitcodeToMemoryBuffer(km);
    if (!h[1].bitcode) two = false;
  }
  if (!two) {
    /* One half with everything. */
    for (int i = 0; i < h[1].nkeep; i++) keep0[h[0].nkeep++] = keep1[i];
    h[1].nkeep = 0;
  }
  h[0].mod = km;
  if (!two || pool_pair(kernel_half_job, &h[0], kernel_half_job, &h[1])) {
    kernel_half_job(&h[0]);
    if (two) kernel_half_job(&h[1]);
  }
  if (h[1].bitcode) LLVMDisposeMemoryBuffer(h[1].bitcode);
  rc = 0;
  for (int i = 0; i < 2 && rc == 0; i++)
    if (h[i].nkeep > 0 && h[i].rc) {
      jit_err(err, errlen, "%s", h[i].err);
      rc = -1;
    }
  if (rc == 0 && h[0].after_rc) {
    jit_err(err, errlen, "%s", js->after_err);
    rc = -1;
  }
  for (int i = 0; i < 2; i++) {
    js->opt_seconds += h[i].opt_seconds;
    tt->kernels_cpu += h[i].cpu;
    tt->kernels_opt_cpu += h[i].opt_cpu;
    if (!h[i].obj) continue;
    LLVMErrorRef e =
        rc ? NULL : LLVMOrcLLJITAddObjectFile(js->jit, LLVMOrcLLJITGetMainJITDylib(js->jit), h[i].obj);
    if (rc) LLVMDisposeMemoryBuffer(h[i].obj);
    if (e) rc = orc_err(e, "adding the kernels", err, errlen);
  }
done:
  for (int i = 0; names && i < nf; i++) free(names[i]);
  free(names), free(size), free(side), free(keep0), free(keep1);
  tt->kernels += now_seconds() - t0;
  return rc;
}

/* Builds s into a new JIT. Modules: the kernels a training batch calls
 * (compiled now, compile_kernels), the other kernels (evaluation, the
 * general step and learn: compiled with their first user), and the
 * entry functions in groups (what a training batch runs; evaluation; the
 * general step and learn). The training batch's entry points are looked
 * up now; the rest compile on first use, in jit_run(). */
static int jit_compile(JitState *js, const PcnSchedule *s, char *err, size_t errlen) {
  PcnJitTimes *tt = &last_times;
  double t = now_seconds();
  if (pcn_cg_init_native(err, errlen)) return -1;
  LLVMOrcLLJITBuilderRef jb = NULL;
  const char *perf = getenv("PCN_JIT_PERF");
  if (perf && perf[0] == '1') {
    jb = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetObjectLinkingLayerCreator(jb, perf_object_layer, NULL);
  }
  LLVMErrorRef e = LLVMOrcCreateLLJIT(&js->jit, jb);
  if (e) {
    js->jit = NULL;
    return orc_err(e, "creating LLJIT", err, errlen);
  }
  LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(js->jit), orc_reporter,
                                          js->err_slot);
  if (define_runtime_symbols(js->jit, err, errlen)) return -1;
  js->tm = pcn_cg_host_machine(false, err, errlen);
  if (!js->tm) return -1;
  js->tm_fast = pcn_cg_host_machine_at(false, LLVMCodeGenLevelNone, err, errlen);
  if (!js->tm_fast) return -1;
  const char *entry_opt = getenv("PCN_JIT_ENTRY_OPT");
  js->entry_pipeline = entry_opt && *entry_opt ? (strcmp(entry_opt, "none") ? entry_opt : NULL)
                                               : PCN_JIT_ENTRY_PIPELINE;
  const char *kp = getenv("PCN_JIT_KERNEL_OPT");
  const char *kernel_pipeline = kp && *kp ? kp : PCN_JIT_KERNEL_PIPELINE;

  if (pcn_jit_options(s, &js->plan, &js->opts)) {
    jit_err(err, errlen, "jit: out of memory");
    return -1;
  }
  js->specialized = js->opts.steps != NULL;
  js->nfuncs = pcn_cg_nfunctions(&js->opts);
  js->opts.no_verify = true;
  double t1 = now_seconds();
  tt->setup += t1 - t, t = t1;

  js->tsc = LLVMOrcCreateNewThreadSafeContext();
  LLVMContextRef ctx = LLVMOrcThreadSafeContextGetContext(js->tsc);
  /* Entry groups: what a training batch runs (0), evaluation (1), the
   * general step and learn (2, only when a batch leaves the specialized
   * sequence). PCN_JIT_SPLIT=each: one group per function. PCN_JIT_EAGER=1:
   * everything now. */
  int group[JIT_MAX_FUNCS];
  bool hot_fn[JIT_MAX_FUNCS];
  const char *split = getenv("PCN_JIT_SPLIT");
  const char *eager = getenv("PCN_JIT_EAGER");
  bool each = split && strcmp(split, "each") == 0;
  bool all_now = eager && eager[0] == '1';
  for (int k = 0; k < js->nfuncs; k++) {
    bool hot = k == PCN_PROG_TRAIN_INIT || k >= PCN_PROG_COUNT ||
               (!js->specialized && k < PCN_PROG_EVAL_INIT);
    bool eval = k >= PCN_PROG_EVAL_INIT && k < PCN_PROG_COUNT;
    group[k] = each ? k : hot ? 0 : eval ? 1 : 2;
    hot_fn[k] = hot || all_now;
  }
  int ngroups = each ? js->nfuncs : 3;
  LLVMModuleRef mods[JIT_MAX_FUNCS], km = NULL;
  if (pcn_cg_build_split(ctx, s, &js->opts, group, ngroups, mods, &km, err, errlen)) return -1;
  t1 = now_seconds();
  tt->codegen += t1 - t, t = t1;
  /* Units: 0 the kernels compiled now, 1 the other kernels, 2 + g group g. */
  js->nunits = 2 + ngroups;
  js->units[0] = (JitUnit){NULL, NULL, -1, true, false};
  js->units[1] = (JitUnit){NULL, kernel_pipeline, -1, false, false};
  bool hot_group[JIT_MAX_FUNCS];
  memset(hot_group, 0, sizeof hot_group);
  for (int k = 0; k < js->nfuncs; k++)
    if (hot_fn[k]) hot_group[group[k]] = true;
  /* A hot group's kernels are all in the objects compile_kernels adds. */
  for (int g = 0; g < ngroups; g++)
    js->units[2 + g] = (JitUnit){mods[g], js->entry_pipeline, hot_group[g] ? -1 : 1, false, true};
  for (int k = 0; k < js->nfuncs; k++) js->unit_of[k] = 2 + group[k];
  int rc = 0;
  for (int u = 0; u < js->nunits && !rc; u++) {
    LLVMModuleRef m = u == 0 ? km : js->units[u].mod;
    char *vmsg = NULL;
    if (m && LLVMVerifyModule(m, LLVMReturnStatusAction, &vmsg)) {
      jit_err(err, errlen, "codegen: invalid module: %s", vmsg ? vmsg : "?");
      rc = -1;
    }
    LLVMDisposeMessage(vmsg);
  }
  if (rc) {
    LLVMDisposeModule(km);
    return -1;
  }
  /* The kernels the hot groups call (declared in their modules) stay in
   * km; the others move to unit 1 (a copy of km through bitcode, minus
   * the hot ones). */
  LLVMMemoryBufferRef kbc = LLVMWriteBitcodeToMemoryBuffer(km);
  LLVMModuleRef cold = NULL;
  if (!kbc || LLVMParseBitcodeInContext2(ctx, kbc, &cold)) {
    if (kbc) LLVMDisposeMemoryBuffer(kbc);
    LLVMDisposeModule(km);
    jit_err(err, errlen, "jit: cannot copy the kernels module");
    return -1;
  }
  LLVMDisposeMemoryBuffer(kbc);
  int ncold = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(km), next; f; f = next) {
    next = LLVMGetNextFunction(f);
    if (LLVMIsDeclaration(f)) continue;
    size_t len = 0;
    const char *name = LLVMGetValueName2(f, &len);
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int)len, name);
    bool hot = false;
    for (int g = 0; g < ngroups && !hot; g++)
      if (hot_group[g] && mods[g] && LLVMGetNamedFunction(mods[g], nm)) hot = true;
    LLVMValueRef fc = LLVMGetNamedFunction(cold, nm);
    if (hot) {
      if (fc) LLVMDeleteFunction(fc);
    } else {
      LLVMDeleteFunction(f);
      ncold++;
    }
  }
  if (ncold) js->units[1].mod = cold;
  else LLVMDisposeModule(cold);
  t1 = now_seconds();
  tt->verify += t1 - t, t = t1;

  /* The hot entry groups compile on the caller's thread after its half
   * of the kernels (cheap: -O0), sized like a tenth of their
   * instructions in kernel work. */
  size_t hot_size = 0;
  for (int g = 0; g < ngroups; g++)
    if (hot_group[g] && mods[g]) {
      js->hot_unit[2 + g] = true;
      for (LLVMValueRef f = LLVMGetFirstFunction(mods[g]); f; f = LLVMGetNextFunction(f))
        hot_size += function_size(f) / 10;
    }
  js->opt_seconds = 0;
  if (compile_kernels(js, km, kernel_pipeline, add_hot_units, js, hot_size, err, errlen))
    return -1;
  t = now_seconds();
  for (int k = 0; k < js->nfuncs; k++)
    if (hot_fn[k] && !jit_entry(js, k, err, errlen)) return -1;
  t1 = now_seconds();
  tt->optimize += js->opt_seconds;
  tt->materialize += t1 - t;
  return 0;
}

static int jit_prepare(PcnPlan *p, void **state, char *err, size_t errlen) {
  double t0 = now_seconds(), c0 = cpu_seconds();
  memset(&last_times, 0, sizeof last_times);
  const PcnSchedule *s = pcn_plan_schedule(p);
  JitState *js = calloc(1, sizeof *js);
  if (!js) {
    jit_err(err, errlen, "jit: out of memory");
    return -1;
  }
  js->err_slot = calloc(1, 256);
  js->st.buf = calloc((size_t)(s->nbuffers > 0 ? s->nbuffers : 1), sizeof *js->st.buf);
  if (!js->err_slot || !js->st.buf) {
    jit_state_free(js);
    jit_err(err, errlen, "jit: out of memory");
    return -1;
  }
  for (int b = 0; b < s->nbuffers; b++) js->st.buf[b] = pcn_plan_buffer(p, b);
  js->st.energy = pcn_plan_energies(p);
  js->st.plan = p;
  js->k = -1;
  const PcnPlanConfig *cfg = pcn_plan_config(p);
  js->st.alpha[0] = cfg->train_inference.lr;
  js->st.alpha[1] = cfg->eval_inference.lr;
  js->st.momentum[0] = cfg->train_inference.momentum;
  js->st.momentum[1] = cfg->eval_inference.momentum;
  if (jit_compile(js, s, err, errlen)) {
    jit_state_free(js);
    return -1;
  }
  *state = js;
  last_compile_seconds = now_seconds() - t0;
  last_times.total = last_compile_seconds;
  last_times.cpu = cpu_seconds() - c0;
  return 0;
}

static int jit_run(PcnPlan *p, void *state, PcnProgramKind prog, int n) {
  JitState *js = state;
  /* The specialized variants are valid only in the sequence they were
   * derived for: TRAIN_INIT, then steps 0, 1, ... on the same rows, then
   * TRAIN_LEARN after exactly T of them, with nothing else writing the
   * plan's buffers in between (clamps are set before TRAIN_INIT). */
  int k = (int)prog;
  int T = js->specialized ? js->plan.T : -1;
  switch (prog) {
  case PCN_PROG_TRAIN_INIT:
    js->k = 0;
    js->n_init = n;
    break;
  case PCN_PROG_TRAIN_STEP:
    if (js->k >= 0 && n != js->n_init) js->k = -1;
    if (js->k >= 0 && js->k < T) k = PCN_PROG_COUNT + js->k;
    if (js->k >= 0) js->k++;
    break;
  case PCN_PROG_TRAIN_LEARN:
    if (T >= 0 && js->k == T && n == js->n_init) k = PCN_PROG_COUNT + T;
    js->k = -1;
    break;
  default: js->k = -1; break;
  }
  PcnJitEntry fn = js->fn[k];
  if (!fn) {
    /* First use: compile it now (lazy; counted in pcn_jit_last_times). */
    char err[512];
    double t = now_seconds(), opt0 = js->opt_seconds;
    fn = jit_entry(js, k, err, sizeof err);
    double dt = now_seconds() - t;
    last_times.lazy += dt;
    last_times.lazy_optimize += js->opt_seconds - opt0;
    if (!fn) {
      pcn_plan_set_error(p, "%s", err);
      return -1;
    }
  }
  /* Our pool splits the products (own_gemm_threads): OpenBLAS runs one
   * thread while generated code runs, so its spinning workers do not
   * compete with ours, and the caller's setting comes back after
   * (caller_threads says what else follows from that setting). */
  int outer = openblas_get_num_threads();
  bool own = js->opts.own_gemm_threads && outer > 1 && outer <= PCN_RT_THREADS;
  if (own) openblas_set_num_threads(1);
  caller_threads = outer;
  int32_t rc = fn(&js->st, n);
  caller_threads = 0;
  if (own) openblas_set_num_threads(outer);
  if (rc != 0) {
    /* A failing helper already set the plan's error (pcn_exec_op). */
    if (!pcn_plan_error(p)[0])
      pcn_plan_set_error(p, "jit: %s failed (%d)", pcn_cg_program_symbol(prog), (int)rc);
    return -1;
  }
  return 0;
}

static void jit_release(void *state) { jit_state_free(state); }

static const PcnBackend jit_backend = {"jit", jit_prepare, jit_run, jit_release};

const PcnBackend *pcn_backend_jit(void) { return &jit_backend; }

/* ---- ahead-of-time outputs ---------------------------------------------- */

int pcn_jit_emit_llvm(const PcnSchedule *s, const char *path, char *err, size_t errlen) {
  if (pcn_cg_init_native(err, errlen)) return -1;
  /* The module the JIT would compile, variants included. */
  PcnCgStepPlan plan;
  PcnCgOptions o;
  memset(&plan, 0, sizeof plan);
  if (pcn_jit_options(s, &plan, &o)) {
    jit_err(err, errlen, "jit: out of memory");
    return -1;
  }
  LLVMContextRef ctx = LLVMContextCreate();
  LLVMModuleRef m = pcn_cg_build_module(ctx, s, &o, err, errlen);
  pcn_cg_step_plan_free(&plan);
  if (!m) {
    LLVMContextDispose(ctx);
    return -1;
  }
  int rc = -1;
  char *before = LLVMPrintModuleToString(m);
  LLVMTargetMachineRef tm = pcn_cg_host_machine(false, err, errlen);
  if (tm && pcn_cg_optimize(m, tm, err, errlen) == 0) {
    char *after = LLVMPrintModuleToString(m);
    FILE *f = fopen(path, "w");
    if (!f) {
      jit_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
    } else {
      fprintf(f, "; ---- %s: before optimization ----\n%s\n", s->graph->name, before);
      fprintf(f, "; ---- %s: after default<O3> for the host ----\n%s", s->graph->name, after);
      rc = fclose(f) == 0 ? 0 : -1;
      if (rc) jit_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
    }
    LLVMDisposeMessage(after);
  }
  if (tm) LLVMDisposeTargetMachine(tm);
  LLVMDisposeMessage(before);
  LLVMDisposeModule(m);
  LLVMContextDispose(ctx);
  return rc;
}

int pcn_jit_act_probe(PcnActivation act, bool exact, const float *x, float *y, float *d,
                      size_t n, char *err, size_t errlen) {
  if (pcn_cg_init_native(err, errlen)) return -1;
  LLVMOrcLLJITRef jit = NULL;
  LLVMErrorRef e = LLVMOrcCreateLLJIT(&jit, NULL);
  if (e) return orc_err(e, "creating LLJIT", err, errlen);
  int rc = define_runtime_symbols(jit, err, errlen);
  LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
  LLVMModuleRef m = pcn_cg_build_act_module(LLVMOrcThreadSafeContextGetContext(tsc), act, exact);
  LLVMTargetMachineRef tm = rc ? NULL : pcn_cg_host_machine(false, err, errlen);
  if (!tm || pcn_cg_optimize(m, tm, err, errlen)) rc = -1;
  if (tm) LLVMDisposeTargetMachine(tm);
  if (rc) {
    LLVMDisposeModule(m);
    LLVMOrcDisposeThreadSafeContext(tsc);
  } else {
    LLVMSetDataLayout(m, LLVMOrcLLJITGetDataLayoutStr(jit));
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(m, tsc);
    LLVMOrcDisposeThreadSafeContext(tsc);
    e = LLVMOrcLLJITAddLLVMIRModule(jit, LLVMOrcLLJITGetMainJITDylib(jit), tsm);
    LLVMOrcExecutorAddress addr = 0;
    if (e) {
      LLVMOrcDisposeThreadSafeModule(tsm);
      rc = orc_err(e, "adding the probe", err, errlen);
    } else if ((e = LLVMOrcLLJITLookup(jit, &addr, "pcn_act_probe"))) {
      rc = orc_err(e, "looking up pcn_act_probe", err, errlen);
    } else {
      void (*fn)(const float *, float *, float *, int64_t) =
          (void (*)(const float *, float *, float *, int64_t))(uintptr_t)addr;
      fn(x, y, d, (int64_t)n);
    }
  }
  e = LLVMOrcDisposeLLJIT(jit);
  if (e) LLVMConsumeError(e);
  return rc;
}

/* "W.x->h1" -> "W_X_TO_H1": a C identifier for an enum constant. */
static void c_ident(char *out, size_t n, const char *prefix, const char *name) {
  size_t k = (size_t)snprintf(out, n, "%s", prefix);
  for (const char *q = name; *q && k + 5 < n; q++) {
    if (q[0] == '-' && q[1] == '>') {
      memcpy(out + k, "_TO_", 4);
      k += 4;
      q++;
    } else if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')) {
      out[k++] = (char)(*q >= 'a' && *q <= 'z' ? *q - 'a' + 'A' : *q);
    } else {
      out[k++] = '_';
    }
  }
  out[k] = 0;
}

static int write_header(const PcnSchedule *s, const char *path, const char *prefix, char *err,
                        size_t errlen) {
  FILE *f = fopen(path, "w");
  if (!f) {
    jit_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  char up[128];
  c_ident(up, sizeof up, "", prefix);
  const PcnGraph *g = s->graph;
  fprintf(f,
          "/* Generated by pcnc compile: model '%s'. Do not edit.\n"
          " *\n"
          " * Link the object file with -lopenblas -lm. Every entry point runs one\n"
          " * program of the schedule on the first n rows of the batch buffers and\n"
          " * returns 0, or -1 for an op that needs the pcn runtime (optimizer\n"
          " * steps, random initialization), which this object does not contain.\n"
          " * Buffers are float32 row-major; batch buffers have max_batch rows\n"
          " * (your choice) of `cols` floats, the others rows x cols. Fill\n"
          " * st.buf[i] for every i < %sNBUFFERS, st.energy with %sNNODES doubles.\n"
          " * Weights: A_v = sum_u H_u W_uv + b_v, W_uv stored [size(u) x size(v)].\n"
          " */\n",
          g->name, up, up);
  fprintf(f, "#ifndef %sH\n#define %sH\n\n#include <stdint.h>\n\n", up, up);
  fprintf(f,
          "#ifndef PCN_JIT_STATE_DEFINED\n#define PCN_JIT_STATE_DEFINED\n"
          "typedef struct PcnJitState {\n"
          "  float **buf;       /* [NBUFFERS] base of each buffer */\n"
          "  double *energy;    /* [NNODES] 1/2 sum e^2 of the last prediction */\n"
          "  void *plan;        /* NULL outside the pcn runtime */\n"
          "  float alpha[2];    /* inference step size: [0] training, [1] evaluation */\n"
          "  float momentum[2]; /* inference momentum, same indexing */\n"
          "} PcnJitState;\n#endif\n\n");
  fprintf(f, "enum {\n  %sNBUFFERS = %d,\n  %sNNODES = %d,\n", up, s->nbuffers, up, g->nnodes);
  for (int v = 0; v < g->nnodes; v++) {
    char id[300];
    c_ident(id, sizeof id, "NODE_", g->nodes[v].name);
    fprintf(f, "  %s%s = %d, /* size %d */\n", up, id, v, g->nodes[v].size);
  }
  fprintf(f, "  %sREADOUT_BUF = %d, /* the prediction EVAL_READOUT names */\n", up,
          s->readout_node >= 0 && s->buf_of[PCN_BUF_H] ? s->buf_of[PCN_BUF_H][s->readout_node] : -1);
  fprintf(f, "};\n\n/* Buffers by index: name [rows x cols] (batch = n rows). */\nenum {\n");
  for (int b = 0; b < s->nbuffers; b++) {
    const PcnBuffer *B = &s->buffers[b];
    char id[300];
    c_ident(id, sizeof id, "BUF_", B->name);
    if (B->batch_rows)
      fprintf(f, "  %s%s = %d, /* %s [batch x %d] */\n", up, id, b, B->name, B->cols);
    else
      fprintf(f, "  %s%s = %d, /* %s [%d x %d] */\n", up, id, b, B->name, B->rows, B->cols);
  }
  fprintf(f, "};\n\n/* Rows (-1 = batch) and columns of each buffer. */\n");
  fprintf(f, "static const int %sbuf_rows[%d] = {", prefix, s->nbuffers > 0 ? s->nbuffers : 1);
  for (int b = 0; b < s->nbuffers; b++)
    fprintf(f, "%s%d", b ? ", " : "", s->buffers[b].batch_rows ? -1 : s->buffers[b].rows);
  fprintf(f, "};\nstatic const int %sbuf_cols[%d] = {", prefix, s->nbuffers > 0 ? s->nbuffers : 1);
  for (int b = 0; b < s->nbuffers; b++) fprintf(f, "%s%d", b ? ", " : "", s->buffers[b].cols);
  fprintf(f, "};\n\n");
  fprintf(f, "/* Training: train_init, train_step (T times), train_learn.\n"
             " * Evaluation: eval_init, eval_step (T_eval times), eval_readout;\n"
             " * the prediction is in buffer %d (%s). */\n",
          s->readout_node >= 0 && s->buf_of[PCN_BUF_H] ? s->buf_of[PCN_BUF_H][s->readout_node] : -1,
          s->readout_node >= 0 ? g->nodes[s->readout_node].name : "none");
  for (int p = 0; p < PCN_PROG_COUNT; p++)
    fprintf(f, "int32_t %s%s(PcnJitState *st, int32_t n);\n", prefix,
            pcn_cg_program_symbol((PcnProgramKind)p));
  fprintf(f, "\n#endif\n");
  if (fclose(f)) {
    jit_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int pcn_jit_emit_object(const PcnSchedule *s, const char *obj_path, const char *header_path,
                        const char *prefix, char *err, size_t errlen) {
  if (!prefix) prefix = "pcn_";
  if (pcn_cg_init_native(err, errlen)) return -1;
  LLVMContextRef ctx = LLVMContextCreate();
  PcnCgOptions o = {.prefix = prefix, .use_skippable = false};
  LLVMModuleRef m = pcn_cg_build_module(ctx, s, &o, err, errlen);
  if (!m) {
    LLVMContextDispose(ctx);
    return -1;
  }
  int rc = -1;
  LLVMTargetMachineRef tm = pcn_cg_host_machine(true, err, errlen);
  if (tm && pcn_cg_optimize(m, tm, err, errlen) == 0) {
    char *msg = NULL;
    /* The API takes a non-const path. */
    char *path = strdup(obj_path);
    if (!path) {
      jit_err(err, errlen, "out of memory");
    } else if (LLVMTargetMachineEmitToFile(tm, m, path, LLVMObjectFile, &msg)) {
      jit_err(err, errlen, "cannot write %s: %s", obj_path, msg ? msg : "?");
      LLVMDisposeMessage(msg);
    } else {
      rc = 0;
    }
    free(path);
  }
  if (tm) LLVMDisposeTargetMachine(tm);
  LLVMDisposeModule(m);
  LLVMContextDispose(ctx);
  if (rc == 0 && header_path) rc = write_header(s, header_path, prefix, err, errlen);
  return rc;
}
