/* exec_ref.c - the reference executor of the Schedule IR (pcn/exec.h).
 *
 * Plain loops over rows and columns, cblas_sgemm for the products, one op
 * at a time in the order the schedule lists them. It is meant to be
 * obviously right rather than fast: the LLVM backend is tested against
 * it. Every buffer index and shape was checked by pcn_plan_create(). */
#include <cblas.h>
#include <string.h>

#include "exec_internal.h"
#include "pcn/activations.h"
#include "pcn/optim.h"

static int gemm(PcnPlan *p, const PcnOp *op, int n) {
  const PcnBuffer *A = &p->s->buffers[op->a], *B = &p->s->buffers[op->b],
                  *C = &p->s->buffers[op->c];
  int m = op->m < 0 ? n : op->m, nn = op->n < 0 ? n : op->n, k = op->k < 0 ? n : op->k;
  float alpha = op->alpha;
  if (op->alpha_over_batch) alpha /= (float)n;
  /* Row-major buffers: the leading dimension of each is its column count
   * (batch buffers are allocated for max_batch rows, but rows are
   * contiguous, so the first n rows are a dense n x cols matrix). */
  cblas_sgemm(CblasRowMajor, op->trans_a ? CblasTrans : CblasNoTrans,
              op->trans_b ? CblasTrans : CblasNoTrans, m, nn, k, alpha, p->buf[op->a], A->cols,
              p->buf[op->b], B->cols, op->beta, p->buf[op->c], C->cols);
  return 0;
}

static void add_bias(float *a, const float *bias, int n, int cols) {
  if (!bias) return;
  for (int r = 0; r < n; r++)
    for (int j = 0; j < cols; j++) a[(size_t)r * cols + j] += bias[j];
}

static void forward_set(PcnPlan *p, const PcnOp *op, int n) {
  int cols = p->g->nodes[op->node].size;
  float *a = p->buf[op->pa], *h = p->buf[op->h];
  add_bias(a, op->bias >= 0 ? p->buf[op->bias] : NULL, n, cols);
  pcn_act_forward(p->g->nodes[op->node].act, a, h, (size_t)n * cols);
}

static void predict(PcnPlan *p, const PcnOp *op, int n) {
  const PcnNode *nd = &p->g->nodes[op->node];
  int cols = nd->size;
  size_t count = (size_t)n * cols;
  float *a = p->buf[op->pa], *h = p->buf[op->h], *mu = p->buf[op->mu], *e = p->buf[op->e],
        *g = p->buf[op->g];
  add_bias(a, op->bias >= 0 ? p->buf[op->bias] : NULL, n, cols);
  pcn_act_forward(nd->act, a, mu, count);
  /* g holds act'(a) first, then e * act'(a). */
  pcn_act_deriv(nd->act, a, g, count);
  double energy = 0;
  for (size_t i = 0; i < count; i++) {
    e[i] = h[i] - mu[i];
    g[i] *= e[i];
    energy += (double)e[i] * e[i];
  }
  p->energy[op->node] = 0.5 * energy;
  if (op->dh >= 0) memcpy(p->buf[op->dh], e, count * sizeof(float));
}

static void zero(PcnPlan *p, const PcnOp *op, int n) {
  const PcnBuffer *b = &p->s->buffers[op->dst];
  memset(p->buf[op->dst], 0, (size_t)pcn_plan_rows(p, op->dst, n) * b->cols * sizeof(float));
}

static void update_h(PcnPlan *p, PcnProgramKind prog, const PcnOp *op, int n) {
  const PcnOptimizer *inf = pcn_program_phase(prog) == PCN_PHASE_TRAIN
                                ? &p->cfg.train_inference
                                : &p->cfg.eval_inference;
  size_t count = (size_t)n * p->s->buffers[op->h].cols;
  float *h = p->buf[op->h];
  const float *dh = p->buf[op->dh];
  const float alpha = inf->lr;
  if (op->vel >= 0 && inf->momentum != 0.0f) {
    float *vel = p->buf[op->vel];
    for (size_t i = 0; i < count; i++) {
      vel[i] = inf->momentum * vel[i] + dh[i];
      h[i] -= alpha * vel[i];
    }
  } else {
    for (size_t i = 0; i < count; i++) h[i] -= alpha * dh[i];
  }
}

static void bias_grad(PcnPlan *p, const PcnOp *op, int n) {
  int cols = p->s->buffers[op->g].cols;
  const float *g = p->buf[op->g];
  float *db = p->buf[pcn_bias_grad_out(op)];
  /* dF/db = -sum_rows G, averaged over the batch; summed in double so a
   * large batch does not lose the small rows. */
  for (int j = 0; j < cols; j++) {
    double sum = 0;
    for (int r = 0; r < n; r++) sum += g[(size_t)r * cols + j];
    db[j] = (float)(-sum / n);
  }
}

static void opt_step(PcnPlan *p, const PcnOp *op) {
  const PcnBuffer *P = &p->s->buffers[op->param];
  size_t count = (size_t)P->rows * P->cols;
  int64_t t = p->learn_steps > 0 ? p->learn_steps : 1;
  pcn_optim_step(&p->cfg.learning, p->buf[op->param], p->buf[op->grad], p->m[op->param],
                 p->v[op->param], count, t);
}

static int init_op(PcnPlan *p, PcnProgramKind prog, const PcnOp *op, int n) {
  /* forward: the FORWARD_SET sweep of the same program computes h. */
  if (op->init == PCN_INIT_FORWARD && !p->cfg.initializers[PCN_INIT_FORWARD]) return 0;
  const PcnInitializer *in = p->inits[op->init];
  if (!in || !in->init_node) {
    pcn_plan_set_error(p, "no initializer for INIT of node %d", op->node);
    return -1;
  }
  in->init_node(p, p->init_state[op->init], pcn_program_phase(prog), op->node, p->buf[op->h], n,
                p->g->nodes[op->node].size);
  return 0;
}

/* G = DH * act'(A), the backpropagated delta (method bp). */
static void gate(PcnPlan *p, const PcnOp *op, int n) {
  const PcnNode *nd = &p->g->nodes[op->node];
  size_t count = (size_t)n * nd->size;
  float *g = p->buf[op->g];
  const float *dh = p->buf[op->dh];
  pcn_act_deriv(nd->act, p->buf[op->pa], g, count);
  for (size_t i = 0; i < count; i++) g[i] *= dh[i];
}

int pcn_exec_op(PcnPlan *p, PcnProgramKind prog, const PcnOp *op, int n) {
  /* The average fallback sweep runs only for batches with rows that have
   * no class mean (schedule.h, "Fallback stages"). */
  if (op->fallback && !pcn_plan_fallback_active(p, pcn_program_phase(prog))) return 0;
  switch (op->kind) {
  case PCN_OP_GEMM: return gemm(p, op, n);
  case PCN_OP_LOAD_CLAMP: return 0; /* the caller filled H (pcn_plan_set_clamp) */
  case PCN_OP_INIT: return init_op(p, prog, op, n);
  case PCN_OP_FORWARD_SET: forward_set(p, op, n); return 0;
  case PCN_OP_PREDICT: predict(p, op, n); return 0;
  case PCN_OP_ZERO: zero(p, op, n); return 0;
  case PCN_OP_UPDATE_H: update_h(p, prog, op, n); return 0;
  case PCN_OP_BIAS_GRAD: bias_grad(p, op, n); return 0;
  case PCN_OP_OPT_STEP: opt_step(p, op); return 0;
  case PCN_OP_READOUT: p->readout_buf = op->src; return 0;
  case PCN_OP_GATE: gate(p, op, n); return 0;
  case PCN_OP_KIND_COUNT: break;
  }
  pcn_plan_set_error(p, "unknown op kind %d", (int)op->kind);
  return -1;
}

static int ref_run(PcnPlan *p, void *state, PcnProgramKind prog, int n) {
  (void)state;
  const PcnPhaseProgram *pr = &p->s->programs[prog];
  for (int si = 0; si < pr->nstages; si++) {
    const PcnStage *st = &pr->stages[si];
    for (int oi = 0; oi < st->nops; oi++)
      if (pcn_exec_op(p, prog, &st->ops[oi], n)) return -1;
  }
  return 0;
}

const PcnBackend pcn_backend_ref = {"reference", NULL, ref_run, NULL};

/* The bookkeeping every backend shares, so that a backend's run() only
 * has to compute the ops. */
int pcn_exec_run(PcnPlan *p, PcnProgramKind prog, int n) {
  if ((unsigned)prog >= PCN_PROG_COUNT) {
    pcn_plan_set_error(p, "unknown program %d", (int)prog);
    return -1;
  }
  if (n < 1 || n > p->cfg.max_batch) {
    pcn_plan_set_error(p, "batch of %d rows is out of range [1, %d]", n, p->cfg.max_batch);
    return -1;
  }
  const PcnSchedule *s = p->s;
  if (prog == PCN_PROG_TRAIN_INIT || prog == PCN_PROG_EVAL_INIT) {
    /* A new batch starts from rest: inference momentum of the previous
     * batch belongs to other samples. */
    for (int b = 0; b < s->nbuffers; b++)
      if (s->buffers[b].kind == PCN_BUF_VEL)
        memset(p->buf[b], 0, (size_t)p->cfg.max_batch * s->buffers[b].cols * sizeof(float));
    memset(p->energy, 0, (size_t)p->g->nnodes * sizeof *p->energy);
    if (prog == PCN_PROG_EVAL_INIT) p->readout_buf = -1;
  }
  if (prog == PCN_PROG_TRAIN_LEARN) p->learn_steps++;
  p->n_last = n;
  const PcnPhaseProgram *pr = &s->programs[prog];
  for (int si = 0; si < pr->nstages; si++) p->smm += pr->stages[si].smm;
  return p->backend->run(p, p->backend_state, prog, n);
}
