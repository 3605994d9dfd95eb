/*
 * pcn/exec.h - plans and executors of the Schedule IR.
 *
 * A plan is a schedule made ready to run (the ggml pattern: build once,
 * plan once, compute many times). pcn_plan_create() allocates every buffer
 * of the schedule once (64-byte aligned, batch buffers for the largest
 * batch), the optimizer moments of every W and b, initializes W and b like
 * PyTorch's nn.Linear, and attaches the node initializers. Running a
 * program never allocates.
 *
 * Tutorial (train one batch of n samples, then read the energy):
 *
 *     PcnPlanConfig cfg = pcn_plan_config_default();
 *     cfg.max_batch = 200;
 *     cfg.train_inference.lr = 0.1f;              // alpha
 *     cfg.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
 *     cfg.seed = 0;
 *     char err[256];
 *     PcnPlan *p = pcn_plan_create(sched, &cfg, err, sizeof err);
 *     if (!p) { fprintf(stderr, "%s\n", err); ... }
 *
 *     pcn_plan_set_clamp(p, x_node, images, n);   // H of clamped nodes
 *     pcn_plan_set_clamp(p, y_node, onehots, n);
 *     pcn_plan_begin_batch(p, PCN_PHASE_TRAIN, n, labels);
 *     pcn_exec_run(p, PCN_PROG_TRAIN_INIT, n);
 *     for (int t = 0; t < T; t++) pcn_exec_run(p, PCN_PROG_TRAIN_STEP, n);
 *     pcn_plan_end_batch(p, PCN_PHASE_TRAIN, n, labels);   // sees h^(T)
 *     pcn_exec_run(p, PCN_PROG_TRAIN_LEARN, n);
 *     printf("F = %g\n", pcn_plan_energy_mean(p));
 *     pcn_plan_destroy(p);
 *
 * Evaluation is the same with EVAL_INIT, EVAL_STEP (T_eval times, 0 in
 * forward mode) and EVAL_READOUT, then pcn_plan_readout().
 *
 * Conventions. Buffers are addressed by their schedule index
 * (PcnSchedule.buffers, buf_of[kind][node or edge]). DW and DB hold
 * dF/dW and dF/db averaged over the batch; OPT_STEP subtracts. Energies
 * are 1/2 sum e^2 summed over the batch rows, per node, as computed by the
 * most recent PREDICT of that node (they are reset to 0 by the INIT
 * programs); pcn_plan_energy_mean() divides by the batch rows.
 *
 * Backends. pcn_exec_run() does the bookkeeping that every backend shares
 * (checks n, counts learning steps and SMMs, zeroes inference velocities
 * and energies at INIT) and then calls the plan's backend. The reference
 * backend (pcn_backend_ref) interprets the ops with plain loops and
 * cblas_sgemm: it is the ground truth others are tested against. Another
 * backend (the LLVM JIT) supplies a PcnBackend; it may compile in
 * prepare(), and it may call pcn_exec_op() for ops it does not compile
 * (INIT, OPT_STEP), which gives exactly the reference semantics.
 *
 * Initializers. INIT ops call the node's PcnInitializer, chosen by the
 * op's `init` kind. zero, random, null and memory are built in; FORWARD is
 * done by the schedule's FORWARD_SET sweep, so its INIT op does nothing.
 * `average` plugs in through PcnPlanConfig.initializers
 * (pcn_initializer_average(); the trainer does this); without it,
 * pcn_plan_create() fails ("no initializer 'average' in the plan config
 * ..."). begin_batch/end_batch receive the batch labels (class indices,
 * may be NULL) and end_batch runs after inference, when H holds h^(T).
 *
 * Checks. pcn_plan_create() trusts nothing in the schedule: every op's
 * buffer indices, kinds and shapes (GEMM dimensions symbolically, -1 =
 * batch) are checked, and so is the stage contract: no op of a stage may
 * touch a buffer another op of the same stage writes (except GEMMs
 * accumulating into one C). A violation is reported with the program,
 * stage and buffer. The reference backend ignores PcnOp.skippable: the
 * ground truth runs every op. BIAS_GRAD writes its `grad` buffer (`dst`
 * when grad is -1).
 *
 * Errors. Functions returning int return 0 on success and -1 on failure,
 * with the message in pcn_plan_error(). Nothing here calls exit().
 */
#ifndef PCN_EXEC_H
#define PCN_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "graph.h"
#include "rng.h"
#include "schedule.h"

typedef struct PcnPlan PcnPlan;

/* ---- backends ---------------------------------------------------------- */

typedef struct PcnBackend {
  const char *name;
  /* Optional (NULL = nothing to do): called once at the end of
   * pcn_plan_create(), when every buffer exists and parameters are
   * initialized. Store per-plan state in *state. Return 0 or -1 with a
   * message in err. */
  int (*prepare)(PcnPlan *p, void **state, char *err, size_t errlen);
  /* Runs every stage of program `prog` on the first n rows (1 <= n <=
   * max_batch, already checked). Return 0, or -1 after
   * pcn_plan_set_error(). */
  int (*run)(PcnPlan *p, void *state, PcnProgramKind prog, int n);
  /* Optional: frees what prepare() made. */
  void (*release)(void *state);
} PcnBackend;

/* The reference interpreter (runtime/exec_ref.c). */
extern const PcnBackend pcn_backend_ref;

/* ---- initializers ------------------------------------------------------ */

/* Checkpoint sections of initializer state (see save_state below). */
typedef struct PcnStateWriter PcnStateWriter;
typedef struct PcnStateReader PcnStateReader;

typedef struct PcnInitializer {
  const char *name; /* as the language writes it: "zero", "random", ... */
  PcnInitKind kind;
  /* Optional: per-plan state (class means, a Hopfield memory...), made
   * after parameters are initialized. 0 or -1 with a message in err. */
  int (*attach)(PcnPlan *p, void **state, char *err, size_t errlen);
  void (*detach)(void *state);
  /* Optional: before INIT runs; labels[n] (class indices) or NULL. */
  void (*begin_batch)(PcnPlan *p, void *state, PcnPhase phase, int n,
                      const int *labels);
  /* Sets h (n rows of `cols` floats, row stride `cols`) for `node`. */
  void (*init_node)(PcnPlan *p, void *state, PcnPhase phase, int node,
                    float *h, int n, int cols);
  /* Optional: after the last inference step (H holds h^(T)), before
   * learning; labels as in begin_batch. */
  void (*end_batch)(PcnPlan *p, void *state, PcnPhase phase, int n,
                    const int *labels);
  /* Optional (both or neither): the state a resumed run needs to continue
   * exactly like an uninterrupted one, kept in its own section of a
   * checkpoint (pcn/checkpoint.h, "Initializer state"). save_state writes
   * named records with pcn_state_write_*(); it may be called more than
   * once per save and must write the same records each time.
   * load_state is called twice per load: first with a checking reader
   * (pcn_state_reader_checking() true), on which the pcn_state_read_*()
   * functions validate name and shape but copy nothing, and the hook must
   * not change its state; then, when every part of the file checked out,
   * with one that copies. Return 0, or -1 on a mismatch: the read
   * functions leave their own message ("... has memory state 'M.Q' of
   * 6x4, the model has 6x8"), other mismatches go in err. An initializer
   * whose section the file lacks (a version-1 checkpoint, one saved
   * before the node used it) keeps its fresh state. */
  void (*save_state)(PcnPlan *p, void *state, PcnStateWriter *w);
  int (*load_state)(PcnPlan *p, void *state, PcnStateReader *r, char *err,
                    size_t errlen);
} PcnInitializer;

/* Records of an initializer's checkpoint section (runtime/checkpoint.c).
 * Names are unique within the section (at most 255 bytes). Floats are
 * rows x cols row major; ints are int64 arrays (flags, counters). */
void pcn_state_write_floats(PcnStateWriter *w, const char *name, int rows,
                            int cols, const float *x);
void pcn_state_write_ints(PcnStateWriter *w, const char *name, int count,
                          const int64_t *x);
void pcn_state_write_int(PcnStateWriter *w, const char *name, int64_t v);
/* 0, or -1 when the record is missing or of another type or shape (the
 * reader keeps the message). A checking reader does not write the dst of
 * pcn_state_read_floats (the initializer's state itself); integers are
 * written in both passes, so read them into locals or scratch and check
 * their values in the checking pass. */
int pcn_state_read_floats(PcnStateReader *r, const char *name, int rows,
                          int cols, float *dst);
int pcn_state_read_ints(PcnStateReader *r, const char *name, int count,
                        int64_t *dst);
int pcn_state_read_int(PcnStateReader *r, const char *name, int64_t *dst);
bool pcn_state_reader_checking(const PcnStateReader *r);
/* The shape of float record `name`, for state whose row count varies
 * (e.g. rows of the last batch): 0, or -1 when there is none (no message:
 * an optional record). */
int pcn_state_record_shape(PcnStateReader *r, const char *name, int *rows,
                           int *cols);

/* The built-in initializer of a kind, or NULL (average, memory). */
const PcnInitializer *pcn_initializer_builtin(PcnInitKind kind);

/* Stream-aligned average initialization (Eq. 7, 10; runtime/init_average.c,
 * docs/initializers.md). Plug it in with
 *     cfg.initializers[PCN_INIT_AVERAGE] = pcn_initializer_average();
 * (the trainer does). Class means are per plan, taken at end_batch from
 * h^(T) of the training phase; rows of classes without a mean (the first
 * batch, labels NULL) keep the forward fallback, or zero. */
const PcnInitializer *pcn_initializer_average(void);

/* ---- plans ------------------------------------------------------------- */

typedef struct PcnPlanConfig {
  int max_batch;                 /* rows of batch buffers, 1..PCN_MAX_BATCH */
  PcnOptimizer train_inference;  /* alpha = lr, momentum (kind ignored) */
  PcnOptimizer eval_inference;   /* the same for EVAL_STEP */
  PcnOptimizer learning;         /* OPT_STEP on every W and b */
  uint64_t seed;                 /* weights: PCN_STREAM_WEIGHTS; random
                                    init: PCN_STREAM_NODE_INIT */
  const PcnBackend *backend;     /* NULL = pcn_backend_ref */
  /* Overrides of the built-in initializers, by kind (NULL = built-in). */
  const PcnInitializer *initializers[PCN_INIT_COUNT];
  size_t max_bytes;              /* refuse plans bigger than this
                                    (0 = PCN_PLAN_MAX_BYTES) */
} PcnPlanConfig;

#define PCN_PLAN_MAX_BYTES ((size_t)16 << 30) /* 16 GiB */

/* max_batch 1, alpha 0.1 without momentum, AdamW defaults, seed 0. */
PcnPlanConfig pcn_plan_config_default(void);

/* NULL on error, with the reason in err. The schedule (and its graph and
 * analysis) must outlive the plan. */
PcnPlan *pcn_plan_create(const PcnSchedule *s, const PcnPlanConfig *cfg,
                         char *err, size_t errlen);
void pcn_plan_destroy(PcnPlan *p);

const PcnSchedule *pcn_plan_schedule(const PcnPlan *p);
const PcnPlanConfig *pcn_plan_config(const PcnPlan *p);
const char *pcn_plan_error(const PcnPlan *p);
void pcn_plan_set_error(PcnPlan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Buffers by schedule index. Batch buffers have max_batch rows allocated
 * (row stride = cols); others rows x cols. */
float *pcn_plan_buffer(PcnPlan *p, int buf);
/* Buffer of a node (H, A, MU, E, G, DH, VEL, B, DB) or edge (W, DW) of the
 * given kind, or NULL when the schedule has none. */
float *pcn_plan_node_buffer(PcnPlan *p, PcnBufKind kind, int node);
float *pcn_plan_edge_buffer(PcnPlan *p, PcnBufKind kind, int edge);
/* Index of the buffer called `name` ("W.x->h1"), or -1. */
int pcn_plan_find_buffer(const PcnPlan *p, const char *name);
int pcn_plan_max_batch(const PcnPlan *p);
/* Rows of the last batch run (0 before the first run). */
int pcn_plan_batch_rows(const PcnPlan *p);

/* Copies n rows of size(node) floats into H[node]. -1 when the node has
 * no H buffer or n is out of range. */
int pcn_plan_set_clamp(PcnPlan *p, int node, const float *rows, int n);

/* Parameters for checkpoints: the W and b buffers, edges in index order,
 * then biases in node order. Names and shapes: schedule->buffers[idx]. */
int pcn_plan_nparams(const PcnPlan *p);
int pcn_plan_param_buffer(const PcnPlan *p, int i);
/* The optimizer moments of a parameter buffer (NULL when the optimizer
 * has none), for checkpoints that resume training. */
float *pcn_plan_moment(PcnPlan *p, int buf, int which /* 1 = m, 2 = v */);
/* Learning steps taken (the t of Adam's bias correction); settable when
 * resuming from a checkpoint. */
int64_t pcn_plan_learn_steps(const PcnPlan *p);
void pcn_plan_set_learn_steps(PcnPlan *p, int64_t t);

/* Energies of the last PREDICT per node (summed over the batch rows). */
double pcn_plan_node_energy(const PcnPlan *p, int node);
double pcn_plan_energy(const PcnPlan *p);      /* sum over nodes */
double pcn_plan_energy_mean(const PcnPlan *p); /* divided by batch rows */
/* The per-node energy array itself ([nnodes] doubles, owned by the plan,
 * valid until pcn_plan_destroy): for backends whose generated code writes
 * the energies directly (the JIT's PcnJitState.energy). */
double *pcn_plan_energies(PcnPlan *p);
/* Sequential matrix multiplications run so far (the PcnStage.smm of every
 * stage run: the paper's count, docs/smm.md). */
int64_t pcn_plan_smm_count(const PcnPlan *p);

/* What EVAL_READOUT marked as the prediction: n rows, *cols floats each
 * (row stride *cols). NULL before EVAL_READOUT ran. */
const float *pcn_plan_readout(const PcnPlan *p, int *cols);

/* Per-plan random stream of node initializers (PCN_STREAM_NODE_INIT). */
PcnRng *pcn_plan_init_rng(PcnPlan *p);

/* ---- running ----------------------------------------------------------- */

/* Initializer hooks around a batch (see the tutorial). */
int pcn_plan_begin_batch(PcnPlan *p, PcnPhase phase, int n, const int *labels);
int pcn_plan_end_batch(PcnPlan *p, PcnPhase phase, int n, const int *labels);

/* Whether fallback ops (PcnOp.fallback) run in this batch of `phase`:
 * asked by every backend before a fallback op. The built-in `average`
 * decides in begin_batch (some row's class has no mean yet); with another
 * `average` initializer plugged in, fallback ops always run and its
 * init_node sees their values. Defined in runtime/init_average.c. */
bool pcn_plan_fallback_active(PcnPlan *p, PcnPhase phase);

/* Runs program `prog` on the first n rows with the plan's backend. */
int pcn_exec_run(PcnPlan *p, PcnProgramKind prog, int n);

/* The reference semantics of one op (schedule.h) on n rows, as the
 * reference backend runs it; `prog` tells the phase (alpha, momentum,
 * initializer phase). For backends that leave some ops to the runtime. */
int pcn_exec_op(PcnPlan *p, PcnProgramKind prog, const PcnOp *op, int n);

/* The phase a program belongs to. */
PcnPhase pcn_program_phase(PcnProgramKind prog);

#endif
