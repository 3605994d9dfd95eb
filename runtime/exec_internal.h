/* exec_internal.h - the plan's insides, shared by plan.c, exec_ref.c and
 * init.c only. Everyone else uses the accessors of pcn/exec.h. */
#ifndef PCN_EXEC_INTERNAL_H
#define PCN_EXEC_INTERNAL_H

#include <stdbool.h>

#include "pcn/exec.h"

struct PcnPlan {
  const PcnSchedule *s;
  const PcnGraph *g;
  PcnPlanConfig cfg;
  const PcnBackend *backend;
  void *backend_state;

  void *block;        /* every buffer and moment, one 64-byte aligned block */
  size_t block_bytes;
  float **buf;        /* [nbuffers] */
  float **m, **v;     /* [nbuffers] optimizer moments of W and B, or NULL */
  int *params;        /* buffer indices of W (edge order) then B (node order) */
  int nparams;

  double *energy;     /* [nnodes] 1/2 sum e^2 over the batch, last PREDICT */
  int n_last;         /* rows of the last run */
  int64_t learn_steps;
  int64_t smm;
  int readout_buf;    /* set by READOUT, -1 before */

  PcnRng init_rng;    /* PCN_STREAM_NODE_INIT */
  const PcnInitializer *inits[PCN_INIT_COUNT]; /* used kinds only */
  void *init_state[PCN_INIT_COUNT];
  bool init_attached[PCN_INIT_COUNT];

  char err[256];
};

/* Rows of buffer b for the current batch n. */
static inline int pcn_plan_rows(const PcnPlan *p, int b, int n) {
  return p->s->buffers[b].batch_rows ? n : p->s->buffers[b].rows;
}

/* The output buffer of BIAS_GRAD: schedule.h names it `db`, which PcnOp
 * has no field for; it is `grad` (the gradient field, as in OPT_STEP),
 * or `dst` as a fallback. */
static inline int pcn_bias_grad_out(const PcnOp *op) {
  return op->grad >= 0 ? op->grad : op->dst;
}

#endif
