/*
 * pcn/schedule.h - the Schedule IR: the contract between the compiler and
 * every backend (the reference executor in runtime/, the LLVM JIT).
 *
 * A schedule is a set of programs, one per phase of training and
 * evaluation. A program is an ordered list of stages; a stage is a set of
 * ops over named buffers that may run in parallel, with one exception:
 * GEMMs of one stage that accumulate into the same output buffer
 * (beta = 1) must be serialized by the executor.
 *
 * Training one batch runs
 *     TRAIN_INIT, then TRAIN_STEP T times, then TRAIN_LEARN
 * and evaluating one batch runs
 *     EVAL_INIT, then EVAL_STEP T_eval times (0 in forward mode), then
 *     EVAL_READOUT.
 * T is a runtime value: a step program is written once and repeated.
 *
 * Buffers are float32, row-major. A buffer whose `batch_rows` is true has
 * one row per sample: the executor allocates it for the largest batch and
 * runs every op on the current batch's n rows (so the last, smaller batch
 * of an epoch works unchanged). Other buffers (weights, biases, their
 * gradients) have fixed shapes.
 *
 * Op semantics (n = current batch rows; all loops over the batch rows):
 *   GEMM          C = alpha * op(A) * op(B) + beta * C; op = transpose when
 *                 trans_a / trans_b; the shapes m, n, k are given with
 *                 rows of -1 meaning "n (the batch)". alpha_over_batch
 *                 multiplies alpha by 1/n (batch-mean gradients).
 *   LOAD_CLAMP    H[node] = the batch's data field for that node
 *                 (the runtime fills it before the program runs; listed so
 *                 the schedule is complete and backends can check it).
 *   INIT          H[node] = the node's initializer (`init` field): zero,
 *                 random, null (keep H as is), average, memory. Forward
 *                 nodes are set by the sweep's stages instead, never by INIT
 *                 (an illegal forward declaration, already an error, gets
 *                 zero). `average` rows without a stored class mean keep
 *                 what the fallback sweep put in H (see "Fallback stages"),
 *                 or get zero when the node has no fallback sweep.
 *   FORWARD_SET   A[node] += bias; H[node] = act(A[node]).
 *   PREDICT       A[node] += bias; MU = act(A); E = H - MU;
 *                 G = E * act'(A); energy[node] = 1/2 sum E^2;
 *                 and, when the node is free, DH = E.
 *   ZERO          buf = 0 (DH of free roots before the error products).
 *   UPDATE_H      h <- h - alpha * DH (with momentum: vel = m vel + DH,
 *                 h <- h - alpha vel), alpha and momentum from the phase.
 *   BIAS_GRAD     dB[node] = -(1/n) * sum over rows of G[node].
 *   OPT_STEP      one optimizer step on a parameter buffer with its
 *                 gradient buffer (the learning optimizer of the train
 *                 block; moment buffers belong to the executor).
 *   READOUT       EVAL_READOUT: the prediction to compare with the data:
 *                 `buf` is H of the target (classification) or MU of the
 *                 clamped output (reconstruction).
 *   GATE          G[node] = DH[node] * act'(A[node]) (A holds a + b, as
 *                 FORWARD_SET left it): the backpropagated delta of a
 *                 hidden node (method bp, below).
 *
 * Fallback stages (`average`, Eq. 7 and 10). An `average` node starts at
 * the mean of h^(T) over the previous batch's rows of the same class; on
 * the first batch, and for rows whose class has no stored mean yet, it
 * falls back to forward where analysis phase[TRAIN].declared[v] is OK.
 * TRAIN_INIT therefore holds, for those nodes, a forward sweep whose
 * stages (and ops) are marked `fallback`: GEMMs into A and FORWARD_SET,
 * level by level over forward + average nodes, each level followed by a
 * stage with the INIT ops of its average nodes. An executor runs a
 * fallback op only when pcn_plan_fallback_active() says some row of this
 * batch needs it (the initializer decides in begin_batch); it then runs
 * on all n rows, and the INIT that follows overwrites the rows that have
 * a mean. So a batch whose classes all have means costs no product for
 * its average nodes, and the fallback stages have smm = 0: they are the
 * first batch's price, not the per-update cost (Eq. 7 adds no SMM). The
 * stages of one level are never mixed: a stage is all fallback or none.
 *
 * Backpropagation (`method bp`, the BP column of Table 1). The same
 * programs express it: TRAIN_INIT loads the clamps and runs a forward
 * sweep of every free node, then predicts every clamped node with parents
 * (PREDICT without dh: G = (y - mu) act'(a), energy = 1/2 ||y - mu||^2,
 * the output loss). TRAIN_STEP is empty (T is ignored). TRAIN_LEARN runs
 * the backward pass from the deepest level up: per level a stage of GEMMs
 * DH_u = sum over children v of G_v W_uv^T (ZERO when u has no child),
 * then GATE; then the weight gradients dW = -(1/n) H_u^T G_v and bias
 * gradients of every predicted node, and the optimizer, exactly as for
 * PC. With h = mu on hidden nodes these are the gradients of the output
 * loss, i.e. backprop. Per update: L forward + (L - 1) backward GEMM
 * stages (the input's gradient is not formed), 2L - 1 SMMs.
 *
 * Sequential matrix multiplications (SMMs): a stage that contains a GEMM
 * counts one SMM. See docs/smm.md for how the totals below reproduce the
 * paper's Eq. 5 and 6.
 */
#ifndef PCN_SCHEDULE_H
#define PCN_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "arena.h"
#include "graph.h"

typedef enum PcnBufKind {
  PCN_BUF_H,      /* node state h            [batch x size] */
  PCN_BUF_A,      /* pre-activation a        [batch x size] */
  PCN_BUF_MU,     /* prediction mu           [batch x size] */
  PCN_BUF_E,      /* error e = h - mu        [batch x size] */
  PCN_BUF_G,      /* gated error e*act'(a)   [batch x size] */
  PCN_BUF_DH,     /* dF/dh                   [batch x size] */
  PCN_BUF_VEL,    /* inference momentum      [batch x size] */
  PCN_BUF_W,      /* edge weight W_uv        [size(u) x size(v)] */
  PCN_BUF_B,      /* node bias b_v           [1 x size] */
  PCN_BUF_DW,     /* dF/dW_uv                [size(u) x size(v)] */
  PCN_BUF_DB,     /* dF/db_v                 [1 x size] */
  PCN_BUF_KIND_COUNT
} PcnBufKind;

typedef struct PcnBuffer {
  const char *name;  /* e.g. "h.h1", "W.x->h1" */
  PcnBufKind kind;
  int node;          /* owning node, or -1 */
  int edge;          /* owning edge (W, DW), or -1 */
  bool batch_rows;   /* rows = current batch size */
  int rows;          /* fixed rows (when !batch_rows) */
  int cols;
} PcnBuffer;

typedef enum PcnOpKind {
  PCN_OP_GEMM,
  PCN_OP_LOAD_CLAMP,
  PCN_OP_INIT,
  PCN_OP_FORWARD_SET,
  PCN_OP_PREDICT,
  PCN_OP_ZERO,
  PCN_OP_UPDATE_H,
  PCN_OP_BIAS_GRAD,
  PCN_OP_OPT_STEP,
  PCN_OP_READOUT,
  PCN_OP_GATE,
  PCN_OP_KIND_COUNT
} PcnOpKind;

typedef struct PcnOp {
  PcnOpKind kind;
  int node;   /* node the op concerns, or -1 */
  int edge;   /* edge the op concerns (GEMM, OPT_STEP of W), or -1 */
  /* GEMM: c = alpha op(a) op(b) + beta c, with m x k times k x n. */
  int a, b, c;        /* buffer indices */
  bool trans_a, trans_b;
  int m, n, k;        /* -1 = current batch rows */
  float alpha, beta;
  bool alpha_over_batch;
  /* Elementwise ops name their buffers here (-1 when unused; `bias` is the
   * B buffer of PREDICT and FORWARD_SET, -1 when the node has none):
   *   PREDICT: h, a, mu, e, g, dh (dh = -1 for clamped nodes)
   *   FORWARD_SET: h, a   INIT/LOAD_CLAMP: h   ZERO: dst
   *   UPDATE_H: h, dh, vel (vel = -1 without momentum)
   *   BIAS_GRAD: g, db     OPT_STEP: param, grad    READOUT: src
   *   GATE: g (written), dh, pa (read) */
  int h, pa, mu, e, g, dh, vel, bias, dst, param, grad, src;
  PcnInitKind init;   /* INIT: which initializer */
  bool skippable;     /* set by optimizing backends' analyses: the result
                         is provably unchanged or zero (issue 4) */
  bool fallback;      /* runs only when pcn_plan_fallback_active() (see
                         "Fallback stages" above) */
} PcnOp;

/* The buffers one op reads and writes (a GEMM's C counts as written,
 * also when beta accumulates). Used by the plan's in-stage hazard check
 * and by the backend's rewrites (runtime/plan.c). */
typedef struct PcnOpAccess {
  int r[6], nr;
  int w[6], nw;
} PcnOpAccess;
PcnOpAccess pcn_op_access(const PcnOp *op);

typedef struct PcnStage {
  const char *label;  /* what the stage computes, for `pcnc schedule` */
  PcnOp *ops;
  int nops;
  bool has_gemm;      /* contains a GEMM */
  int smm;            /* SMMs this stage adds to the paper's count: 1 for a
                         stage with GEMMs, except in TRAIN_LEARN, whose
                         predictions at h^(T) and weight-gradient products
                         the paper does not count (docs/smm.md) */
  bool fallback;      /* every op is a fallback op; smm = 0 */
} PcnStage;

typedef enum PcnProgramKind {
  PCN_PROG_TRAIN_INIT,
  PCN_PROG_TRAIN_STEP,
  PCN_PROG_TRAIN_LEARN,
  PCN_PROG_EVAL_INIT,
  PCN_PROG_EVAL_STEP,
  PCN_PROG_EVAL_READOUT,
  PCN_PROG_COUNT
} PcnProgramKind;

typedef struct PcnPhaseProgram {
  PcnProgramKind kind;
  PcnStage *stages;
  int nstages;
} PcnPhaseProgram;

/* SMM totals (docs/smm.md). */
typedef struct PcnSmmCounts {
  int init;        /* forward sweep of TRAIN_INIT (0 without forward) */
  int per_step;    /* 2 for PC */
  int T;           /* inference steps from the train block */
  int64_t per_update;  /* init + per_step * T  (PC), 2L - 1 (BP) */
  int64_t batches_per_epoch;
  int64_t per_epoch;   /* per_update * batches_per_epoch */
  int eval_init;   /* forward pass of evaluation */
  int eval_T;
  int64_t eval_per_batch; /* eval_init + 2 * eval_T */
  int eval_readout;       /* GEMM stages of EVAL_READOUT (the forward pass
                             from the inferred latent of a generative model;
                             0 for classification), not in eval_per_batch */
  int bp_per_update;      /* 2L - 1 where L = longest path in edges (DAGs) */
} PcnSmmCounts;

typedef struct PcnSchedule {
  const PcnGraph *graph;
  const PcnAnalysis *analysis;
  PcnBuffer *buffers;
  int nbuffers;
  int *buf_of[PCN_BUF_KIND_COUNT]; /* [nnodes] or [nedges]: buffer index or -1 */
  PcnPhaseProgram programs[PCN_PROG_COUNT];
  PcnEvalMode eval_mode;
  int readout_node;       /* node whose READOUT is compared with data */
  PcnSmmCounts smm;
  /* The critical path of one training update: the chain of matrix
   * products that determines smm.per_update, as node indices in order. */
  int *critical_path;
  int ncritical;
} PcnSchedule;

/* Builds the schedule of g for the given train/eval settings (either may
 * be NULL: defaults T = 1, batch 1, 1 batch per epoch). NULL when out of
 * memory. */
PcnSchedule *pcn_schedule_build(PcnArena *a, const PcnGraph *g,
                                const PcnAnalysis *an,
                                const PcnTrainConfig *train,
                                const PcnEvalConfig *eval,
                                int64_t train_samples);

/* Samples of the training split one epoch uses: round(samples * fraction),
 * at least 1 (when samples > 0). The runtime must use the same rule. */
int64_t pcn_sched_used_samples(int64_t samples, float fraction);

const char *pcn_op_kind_name(PcnOpKind k);
const char *pcn_program_name(PcnProgramKind k);

#endif
