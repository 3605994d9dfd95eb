/*
 * codegen.h - the LLVM backend: Schedule IR -> one LLVM module -> native
 * code (JIT in-process, or an object file for embedding).
 *
 * Each program of a schedule (TRAIN_INIT ... EVAL_READOUT) becomes one
 * function
 *
 *     int32_t <prefix><program>(PcnJitState *st, int32_t n);
 *
 * that runs every stage of the program on the first n rows and returns 0,
 * or the nonzero status of a runtime helper that failed. Shapes, strides,
 * activations and GEMM flags are constants in the code; the batch rows n
 * and the inference step size and momentum (from the state) are runtime
 * values. Elementwise ops are loops in IR (activations included, as
 * vectorizable approximations; with exact_math erff, expf, expm1f and
 * tanhf are called from libm); GEMMs call cblas_sgemm.
 * Ops with runtime state (INIT, OPT_STEP, READOUT) call the helper
 * pcn_rt_jit_op(), which runs the reference semantics (pcn_exec_op). The
 * helper is declared extern_weak: an embedding program that does not link
 * the pcn runtime resolves it to NULL, and the generated code then falls
 * back to what needs no runtime (zero/forward/null INIT, READOUT) or
 * returns -1 (OPT_STEP, random INIT).
 *
 * Tutorial (JIT):
 *     cfg.backend = pcn_backend_jit();
 *     PcnPlan *p = pcn_plan_create(sched, &cfg, err, sizeof err);
 *     ... pcn_exec_run(p, PCN_PROG_TRAIN_STEP, n) runs native code.
 *
 * Tutorial (ahead of time, what `pcnc compile` does):
 *     pcn_jit_emit_object(sched, "model.o", "model.h", "pcn_model_", err, n);
 */
#ifndef PCN_CODEGEN_H
#define PCN_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "pcn/exec.h"
#include "pcn/schedule.h"

/* The state every generated function receives. The LLVM struct type that
 * codegen.c builds must match this layout field for field (checked by a
 * unit test through the data layout). */
typedef struct PcnJitState {
  float **buf;       /* [nbuffers] base of each buffer, by schedule index */
  double *energy;    /* [nnodes] 1/2 sum e^2 of the last PREDICT */
  void *plan;        /* PcnPlan * for pcn_rt_jit_op(); NULL when embedded */
  float alpha[2];    /* inference step size: [0] training, [1] evaluation */
  float momentum[2]; /* inference momentum, same indexing */
} PcnJitState;

typedef int32_t (*PcnJitEntry)(PcnJitState *st, int32_t n);

/* How each op of a program is emitted in a specialized variant. */
enum {
  PCN_CG_FULL,   /* as the reference */
  PCN_CG_SKIP,   /* not emitted: its outputs already hold its results */
  PCN_CG_NOBIAS, /* PREDICT/FORWARD_SET on an A that already holds a + b */
  PCN_CG_ZERO_E  /* PREDICT with an error proved zero: mu = h, e = g = 0 */
};

/* Specialized training steps (codegen.c, "step specialization"): for the
 * t-th TRAIN_STEP after TRAIN_INIT (t < T) and for TRAIN_LEARN after
 * exactly T steps, the mode of every op of the program (stage order). */
#define PCN_CG_MAX_VARIANTS 32
typedef struct PcnCgStepPlan {
  int T;               /* variants pcn_train_step_t0 .. t(T-1) */
  int nstep_ops, nlearn_ops;
  uint8_t *step_modes; /* [T][nstep_ops] */
  uint8_t *step_zero_e;/* [T][nstep_ops]: 1 for a PREDICT whose error is
                          proved zero in that step (whatever its mode) */
  uint8_t *learn_modes;/* [nlearn_ops] */
  int *step_skipped;   /* [T] ops skipped in each step variant */
  int learn_skipped;
} PcnCgStepPlan;

/* Finds the redundant ops of one training batch with T steps (at most
 * PCN_CG_MAX_VARIANTS are specialized). 0, or -1 when out of memory. */
int pcn_cg_plan_steps(const PcnSchedule *s, int T, PcnCgStepPlan *out);
void pcn_cg_step_plan_free(PcnCgStepPlan *p);

typedef struct PcnCgOptions {
  const char *prefix; /* entry point prefix; NULL = "pcn_" */
  bool use_skippable; /* leave out ops marked PcnOp.skippable */
  /* Also emit <prefix>train_step_t<t> and <prefix>train_learn_T from
   * this plan (NULL: only the six general functions). */
  const PcnCgStepPlan *steps;
  /* Split the rows of PREDICT/FORWARD_SET with a costly activation
   * (gelu, tanh, sigmoid, elu) over threads through pcn_rt_rows(). */
  bool parallel_rows;
  /* Call pcn_rt_sgemm (rows of C split over two single-threaded sgemm
   * calls; the caller keeps OpenBLAS at one thread) instead of
   * cblas_sgemm. JIT only (not weak). */
  bool own_gemm_threads;
  /* Call pcn_rt_sgemm_1t (OpenBLAS at one thread for the call) for
   * products with a side of at most PCN_CG_SKINNY (a constant m, n or k:
   * the 10-wide output layer), which ran 1.6-2.4x slower on two threads
   * than on one (bench/README.md). JIT only (not weak). */
  bool skinny_1t;
  /* Activations through libm (erff, expf, expm1f, tanhf) and energies
   * summed in the reference's order: bit-identical to the reference, but
   * the fused loops stay scalar. Default (false): vectorizable
   * approximations (codegen.c, "vectorizable math"), within ~1e-7 of
   * libm, and energies as eight partial sums. */
  bool exact_math;
  /* Fold updates without momentum into the ops that make dh (codegen.c,
   * "folded updates"): fewer passes over h and dh, different rounding
   * from the reference. Ignored with exact_math. */
  bool fold_update;
  /* PREDICTs skip storing mu where no op of any program reads it (only
   * READOUT does): one store stream less per node and step. The buffer
   * then holds stale values, which only a caller reading it directly
   * would see. Ignored with exact_math (which keeps every buffer). */
  bool elide_dead_mu;
  /* Skip LLVMVerifyModule (the caller verifies, or trusts the builder). */
  bool no_verify;
  /* Kernels (codegen.c, "kernels") with external linkage, so modules
   * built separately (pcn_cg_build_part) can call them. */
  bool kernels_external;
} PcnCgOptions;

/* How emitted code calls a product: cblas_sgemm as OpenBLAS is set,
 * pcn_rt_sgemm (split over the pool), or pcn_rt_sgemm_1t. bench_jit
 * issues its bare product loops the same way. */
typedef enum { PCN_CG_GEMM_BLAS, PCN_CG_GEMM_SPLIT, PCN_CG_GEMM_1T } PcnCgGemmCall;
PcnCgGemmCall pcn_cg_gemm_call(const PcnCgOptions *o, const PcnOp *op);

/* The row splitter generated code calls (jit.c): runs fn(st, r0, r1) on
 * disjoint row ranges covering [0, n) on up to PCN_RT_THREADS threads
 * (the caller's included) and returns the results added in row order.
 * `cols` sizes the work: small ones run on the calling thread. */
#define PCN_RT_THREADS 2
double pcn_rt_rows(double (*fn)(PcnJitState *, int64_t, int64_t), PcnJitState *st, int64_t n,
                   int64_t cols);
void pcn_rt_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *A,
                  int lda, const float *B, int ldb, float beta, float *C, int ldc);

/* cblas_sgemm with OpenBLAS set to one thread for the call (restored
 * after; process-wide, so a concurrent caller may run single-threaded
 * meanwhile, which changes its speed only). */
#define PCN_CG_SKINNY 32
void pcn_rt_sgemm_1t(int order, int ta, int tb, int m, int n, int k, float alpha,
                     const float *A, int lda, const float *B, int ldb, float beta, float *C,
                     int ldc);

/* The helper generated code calls for delegated ops: runs op `op` of
 * stage `stage` of program `prog` of st->plan with pcn_exec_op(). */
int32_t pcn_rt_jit_op(PcnJitState *st, int32_t prog, int32_t stage, int32_t op,
                      int32_t n);

/* Program names as they appear in symbol names: "train_init", ... */
const char *pcn_cg_program_symbol(PcnProgramKind k);

/* Builds the (unoptimized, verified) module for s in ctx. NULL with a
 * message in err on failure; the caller disposes the module. */
LLVMModuleRef pcn_cg_build_module(LLVMContextRef ctx, const PcnSchedule *s,
                                  const PcnCgOptions *o, char *err,
                                  size_t errlen);

/* The entry functions the options produce: the six programs, then with
 * `steps` train_step_t0 .. t(T-1) and train_learn_T (indices PCN_PROG_COUNT
 * + t and PCN_PROG_COUNT + T), and the name of function k. */
int pcn_cg_nfunctions(const PcnCgOptions *o);
void pcn_cg_function_name(const PcnCgOptions *o, int k, char *out, size_t n);

/* The same code split into modules for lazy JIT compilation: entry
 * function k goes to mods[group[k]] (group[k] < ngroups; a group without
 * functions stays NULL) with its row functions, declaring the kernels it
 * calls; *kernels defines every kernel (external linkage). All modules in
 * ctx, verified unless o->no_verify. 0, or -1 with a message (nothing to
 * dispose). */
int pcn_cg_build_split(LLVMContextRef ctx, const PcnSchedule *s, const PcnCgOptions *o,
                       const int *group, int ngroups, LLVMModuleRef *mods,
                       LLVMModuleRef *kernels, char *err, size_t errlen);

/* A module with one function
 *     void pcn_act_probe(const float *x, float *y, float *d, int64_t n)
 * writing y[i] = act(x[i]), d[i] = act'(x[i]) with the code PREDICT uses
 * (approximations unless `exact`): for tests of the math. With act
 * PCN_ACT_COUNT and !exact: y = erf(x), d = exp(min(x, 0)). */
LLVMModuleRef pcn_cg_build_act_module(LLVMContextRef ctx, PcnActivation act, bool exact);

/* A target machine for the host CPU (name and features), for the JIT
 * (`for_object` false) or for position-independent object files. NULL with
 * a message on failure. Needs pcn_cg_init_native() first. */
LLVMTargetMachineRef pcn_cg_host_machine(bool for_object, char *err,
                                         size_t errlen);
/* The same at another code generation level (the JIT compiles entry
 * functions at LLVMCodeGenLevelNone: fast instruction selection). */
LLVMTargetMachineRef pcn_cg_host_machine_at(bool for_object, LLVMCodeGenOptLevel level,
                                            char *err, size_t errlen);

/* Initializes LLVM's native target once (thread-safe enough for the
 * driver and tests: idempotent). 0 or -1. */
int pcn_cg_init_native(char *err, size_t errlen);

/* Gives m tm's triple and data layout (before optimizing or emitting). */
void pcn_cg_set_target(LLVMModuleRef m, LLVMTargetMachineRef tm);

/* Runs "default<O3>" with the given target machine (sets the module's
 * triple and data layout from tm first). 0 or -1 with a message. */
int pcn_cg_optimize(LLVMModuleRef m, LLVMTargetMachineRef tm, char *err,
                    size_t errlen);
/* The same with another pipeline ("default<O1>", ...). */
int pcn_cg_optimize_with(LLVMModuleRef m, LLVMTargetMachineRef tm, const char *pipeline,
                         char *err, size_t errlen);

/* The JIT's pipeline for entry-function modules (kernels get O3): none.
 * They are straight-line calls into kernels and BLAS; default<O1> cost
 * ~25 ms more CPU and measured no faster (PCN_JIT_ENTRY_OPT=default<O1>). */
#define PCN_JIT_ENTRY_PIPELINE NULL

/* The JIT's pipeline for kernels: the passes our loop nests need (SROA
 * for the accumulators, cleanup, LICM, rotation and induction variables,
 * the loop vectorizer, cleanup) instead of default<O3>: on the paper's
 * model 14 ms instead of 35 ms of optimization and 37 ms instead of 43 ms
 * of machine code (CPU, kernels of a training batch), kernels as fast
 * (perf samples within noise). PCN_JIT_KERNEL_OPT=default<O3> compares. */
#define PCN_JIT_KERNEL_PIPELINE                                                               \
  "function(sroa,early-cse,instcombine,simplifycfg,loop-mssa(licm),loop(loop-rotate,indvars),"  \
  "loop-vectorize,instcombine,simplifycfg)"

/* ---- jit.c ---------------------------------------------------------- */

/* The JIT backend: prepare() compiles the plan's schedule with ORC LLJIT,
 * run() calls the compiled entry point. */
const PcnBackend *pcn_backend_jit(void);

/* Seconds the most recent prepare() of this thread's process spent in
 * codegen, optimization and JIT materialization. */
double pcn_jit_last_compile_seconds(void);
/* Jobs handed to the JIT's pool worker so far, and the products among
 * them (process-wide; for tests). */
unsigned long pcn_jit_pool_handoffs(void);
unsigned long pcn_jit_split_products(void);

/* Where that time went, per phase (seconds, this thread's last prepare). */
typedef struct PcnJitTimes {
  double setup;       /* LLJIT, runtime symbols, target machine, step plan */
  double codegen;     /* building the IR */
  double verify;      /* LLVMVerifyModule */
  double optimize;    /* the pass pipelines (summed over threads) */
  double kernels;     /* the training batch's kernels: O3 and machine code,
                       * two halves on two threads (wall) */
  double kernels_cpu; /* the same, CPU time summed over both threads */
  double kernels_opt_cpu; /* of which in the pass pipeline */
  double entries;     /* the training batch's entry functions to machine
                       * code (-O0; part of `kernels`, after the caller's half) */
  double materialize; /* ORC: lookups, linking */
  double total;       /* all of prepare() */
  double cpu;         /* CPU time of the thread in prepare() (less noisy under load) */
  /* Compiled later, on first use (evaluation, the general step/learn):
   * seconds in all, and in the pass pipelines. Not part of total. */
  double lazy, lazy_optimize;
} PcnJitTimes;
void pcn_jit_last_times(PcnJitTimes *out);

/* Compiles pcn_cg_build_act_module(act, exact) (optimized for the host)
 * and runs it on x[0..n): y = act(x), d = act'(x). 0 or -1 with a
 * message. */
int pcn_jit_act_probe(PcnActivation act, bool exact, const float *x, float *y, float *d,
                      size_t n, char *err, size_t errlen);

/* Writes the module of s to `path` as LLVM IR text: unoptimized, then
 * (after a marker comment line) optimized for the host. For
 * `pcnc run --emit-llvm FILE`. 0 or -1 with a message. */
/* The options the JIT compiles s with (jit.c: the PCN_JIT_* environment
 * switches applied), step variants planned into *plan (free it with
 * pcn_cg_step_plan_free). 0, or -1 when out of memory. */
int pcn_jit_options(const PcnSchedule *s, PcnCgStepPlan *plan, PcnCgOptions *o);

int pcn_jit_emit_llvm(const PcnSchedule *s, const char *path, char *err,
                      size_t errlen);

/* Ahead-of-time: writes an object file with the entry points
 * <prefix><program> and a C header declaring them, PcnJitState and the
 * buffer table (header_path may be NULL). 0 or -1 with a message. */
int pcn_jit_emit_object(const PcnSchedule *s, const char *obj_path,
                        const char *header_path, const char *prefix,
                        char *err, size_t errlen);

/* ---- driver_compile.c ------------------------------------------------ */

/* `pcnc compile FILE -o model.o [--header model.h] [--prefix P]
 * [--emit-llvm FILE]`; argv[0] is "compile". Exit status. */
int pcn_cmd_compile(int argc, char **argv);

#endif
