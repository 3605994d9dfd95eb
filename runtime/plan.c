/* plan.c - plan creation: checks, buffer allocation, parameter init
 * (pcn/exec.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "pcn/optim.h"

#define ALIGN 64

/* Names as the language writes them; kept local because the graph's own
 * name table lives in the compiler library. */
static const char *init_kind_name(PcnInitKind k) {
  static const char *names[PCN_INIT_COUNT] = {"zero",    "random",  "null",
                                              "forward", "average", "memory"};
  return (unsigned)k < PCN_INIT_COUNT ? names[k] : "?";
}

PcnPlanConfig pcn_plan_config_default(void) {
  PcnPlanConfig c;
  memset(&c, 0, sizeof c);
  c.max_batch = 1;
  c.train_inference.kind = PCN_OPT_SGD;
  c.train_inference.lr = 0.1f;
  c.eval_inference = c.train_inference;
  c.learning = pcn_optimizer_default(PCN_OPT_ADAMW);
  return c;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

void pcn_plan_set_error(PcnPlan *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, sizeof p->err, fmt, ap);
  va_end(ap);
}

PcnPhase pcn_program_phase(PcnProgramKind prog) {
  return prog <= PCN_PROG_TRAIN_LEARN ? PCN_PHASE_TRAIN : PCN_PHASE_EVAL;
}

/* ---- schedule checks ----------------------------------------------------
 * The reference executor is the ground truth, so it trusts nothing: every
 * buffer index, shape and kind an op uses is checked once here, and the
 * run loop can then index without checks. */

typedef struct Checker {
  const PcnSchedule *s;
  char *err;
  size_t errlen;
  const char *where; /* "program TRAIN_STEP, stage 3 (label)" */
} Checker;

static const char *prog_label(PcnProgramKind k) {
  static const char *names[PCN_PROG_COUNT] = {
      "TRAIN_INIT", "TRAIN_STEP", "TRAIN_LEARN",
      "EVAL_INIT",  "EVAL_STEP",  "EVAL_READOUT"};
  return (unsigned)k < PCN_PROG_COUNT ? names[k] : "?";
}

/* rows of a buffer symbolically: -1 = the batch */
static int sym_rows(const PcnBuffer *b) { return b->batch_rows ? -1 : b->rows; }

static int check_buf(Checker *c, const char *field, int idx, int kind,
                     bool batch, int cols) {
  if (idx < 0 || idx >= c->s->nbuffers) {
    set_err(c->err, c->errlen, "%s: %s buffer index %d out of range [0, %d)",
            c->where, field, idx, c->s->nbuffers);
    return -1;
  }
  const PcnBuffer *b = &c->s->buffers[idx];
  if (kind >= 0 && (int)b->kind != kind) {
    set_err(c->err, c->errlen, "%s: %s buffer '%s' has the wrong kind (%d, expected %d)",
            c->where, field, b->name ? b->name : "?", (int)b->kind, kind);
    return -1;
  }
  if (b->batch_rows != batch || (cols >= 0 && b->cols != cols)) {
    set_err(c->err, c->errlen, "%s: %s buffer '%s' has shape [%s x %d], expected [%s x %d]",
            c->where, field, b->name ? b->name : "?",
            b->batch_rows ? "batch" : "fixed", b->cols, batch ? "batch" : "fixed", cols);
    return -1;
  }
  return 0;
}

static int node_size(const Checker *c, int node) {
  return c->s->graph->nodes[node].size;
}

static int check_node(Checker *c, int node) {
  if (node < 0 || node >= c->s->graph->nnodes) {
    set_err(c->err, c->errlen, "%s: node index %d out of range", c->where, node);
    return -1;
  }
  return 0;
}

static int check_gemm(Checker *c, const PcnOp *op) {
  const int nb = c->s->nbuffers;
  if (op->a < 0 || op->a >= nb || op->b < 0 || op->b >= nb || op->c < 0 || op->c >= nb) {
    set_err(c->err, c->errlen, "%s: GEMM buffer index out of range", c->where);
    return -1;
  }
  const PcnBuffer *A = &c->s->buffers[op->a], *B = &c->s->buffers[op->b],
                  *C = &c->s->buffers[op->c];
  /* op(A) is m x k, op(B) is k x n, C is m x n; -1 stands for the batch
   * on both sides, so the comparison is symbolic. */
  int ar = op->trans_a ? A->cols : sym_rows(A), ac = op->trans_a ? sym_rows(A) : A->cols;
  int br = op->trans_b ? B->cols : sym_rows(B), bc = op->trans_b ? sym_rows(B) : B->cols;
  if (ar != op->m || ac != op->k || br != op->k || bc != op->n || sym_rows(C) != op->m ||
      C->cols != op->n) {
    set_err(c->err, c->errlen,
            "%s: GEMM %s = %s%s x %s%s: shapes do not match m=%d n=%d k=%d (-1 = batch)",
            c->where, C->name ? C->name : "?", A->name ? A->name : "?", op->trans_a ? "^T" : "",
            B->name ? B->name : "?", op->trans_b ? "^T" : "", op->m, op->n, op->k);
    return -1;
  }
  return 0;
}

static void acc_r(PcnOpAccess *x, int b) { if (b >= 0) x->r[x->nr++] = b; }
static void acc_w(PcnOpAccess *x, int b) { if (b >= 0) x->w[x->nw++] = b; }

PcnOpAccess pcn_op_access(const PcnOp *op) {
  PcnOpAccess x = {{0}, 0, {0}, 0};
  switch (op->kind) {
  case PCN_OP_GEMM: acc_r(&x, op->a); acc_r(&x, op->b); acc_w(&x, op->c); break;
  case PCN_OP_LOAD_CLAMP: acc_r(&x, op->h); break;
  case PCN_OP_INIT: acc_w(&x, op->h); break;
  case PCN_OP_FORWARD_SET: acc_r(&x, op->bias); acc_w(&x, op->pa); acc_w(&x, op->h); break;
  case PCN_OP_PREDICT:
    acc_r(&x, op->h); acc_r(&x, op->bias); acc_w(&x, op->pa); acc_w(&x, op->mu);
    acc_w(&x, op->e); acc_w(&x, op->g); acc_w(&x, op->dh);
    break;
  case PCN_OP_ZERO: acc_w(&x, op->dst); break;
  case PCN_OP_UPDATE_H: acc_r(&x, op->dh); acc_w(&x, op->h); acc_w(&x, op->vel); break;
  case PCN_OP_BIAS_GRAD: acc_r(&x, op->g); acc_w(&x, pcn_bias_grad_out(op)); break;
  case PCN_OP_OPT_STEP: acc_r(&x, op->grad); acc_w(&x, op->param); break;
  /* READOUT only names the buffer the caller reads after the program. */
  case PCN_OP_READOUT: break;
  case PCN_OP_GATE: acc_r(&x, op->dh); acc_r(&x, op->pa); acc_w(&x, op->g); break;
  case PCN_OP_KIND_COUNT: break;
  }
  return x;
}

static int check_op(Checker *c, PcnProgramKind prog, const PcnOp *op,
                    const PcnPlanConfig *cfg) {
  const PcnGraph *g = c->s->graph;
  switch (op->kind) {
  case PCN_OP_GEMM: return check_gemm(c, op);
  case PCN_OP_LOAD_CLAMP:
  case PCN_OP_INIT:
    if (check_node(c, op->node)) return -1;
    return check_buf(c, "h", op->h, PCN_BUF_H, true, node_size(c, op->node));
  case PCN_OP_FORWARD_SET:
  case PCN_OP_PREDICT: {
    if (check_node(c, op->node)) return -1;
    int sz = node_size(c, op->node);
    if (check_buf(c, "h", op->h, PCN_BUF_H, true, sz) ||
        check_buf(c, "a", op->pa, PCN_BUF_A, true, sz))
      return -1;
    if (op->bias >= 0 && check_buf(c, "bias", op->bias, PCN_BUF_B, false, sz)) return -1;
    if (op->bias >= 0 && c->s->buffers[op->bias].rows != 1) {
      set_err(c->err, c->errlen, "%s: bias buffer must have one row", c->where);
      return -1;
    }
    if (op->kind == PCN_OP_FORWARD_SET) return 0;
    if (check_buf(c, "mu", op->mu, PCN_BUF_MU, true, sz) ||
        check_buf(c, "e", op->e, PCN_BUF_E, true, sz) ||
        check_buf(c, "g", op->g, PCN_BUF_G, true, sz))
      return -1;
    if (op->dh >= 0 && check_buf(c, "dh", op->dh, PCN_BUF_DH, true, sz)) return -1;
    if ((unsigned)g->nodes[op->node].act >= PCN_ACT_COUNT) {
      set_err(c->err, c->errlen, "%s: node '%s' has an unknown activation", c->where,
              g->nodes[op->node].name);
      return -1;
    }
    return 0;
  }
  case PCN_OP_ZERO:
    return check_buf(c, "dst", op->dst, -1,
                     op->dst >= 0 && op->dst < c->s->nbuffers && c->s->buffers[op->dst].batch_rows,
                     -1);
  case PCN_OP_UPDATE_H: {
    if (check_buf(c, "h", op->h, PCN_BUF_H, true, -1)) return -1;
    int sz = c->s->buffers[op->h].cols;
    if (check_buf(c, "dh", op->dh, PCN_BUF_DH, true, sz)) return -1;
    if (op->vel >= 0 && check_buf(c, "vel", op->vel, PCN_BUF_VEL, true, sz)) return -1;
    const PcnOptimizer *inf =
        pcn_program_phase(prog) == PCN_PHASE_TRAIN ? &cfg->train_inference : &cfg->eval_inference;
    if (inf->momentum != 0.0f && op->vel < 0) {
      set_err(c->err, c->errlen,
              "%s: inference momentum %g needs velocity buffers, but the schedule has none "
              "(build the schedule with the same inference settings)",
              c->where, (double)inf->momentum);
      return -1;
    }
    return 0;
  }
  case PCN_OP_BIAS_GRAD: {
    if (check_buf(c, "g", op->g, PCN_BUF_G, true, -1)) return -1;
    int sz = c->s->buffers[op->g].cols;
    return check_buf(c, "db", pcn_bias_grad_out(op), PCN_BUF_DB, false, sz);
  }
  case PCN_OP_OPT_STEP: {
    if (check_buf(c, "param", op->param, -1, false, -1)) return -1;
    const PcnBuffer *P = &c->s->buffers[op->param];
    if (P->kind != PCN_BUF_W && P->kind != PCN_BUF_B) {
      set_err(c->err, c->errlen, "%s: OPT_STEP on '%s', which is not a W or B buffer",
              c->where, P->name ? P->name : "?");
      return -1;
    }
    if (check_buf(c, "grad", op->grad, P->kind == PCN_BUF_W ? PCN_BUF_DW : PCN_BUF_DB, false,
                  P->cols))
      return -1;
    if (c->s->buffers[op->grad].rows != P->rows) {
      set_err(c->err, c->errlen, "%s: gradient of '%s' has a different shape", c->where,
              P->name ? P->name : "?");
      return -1;
    }
    return 0;
  }
  case PCN_OP_READOUT: return check_buf(c, "src", op->src, -1, true, -1);
  case PCN_OP_GATE: {
    if (check_node(c, op->node)) return -1;
    int sz = node_size(c, op->node);
    if (check_buf(c, "g", op->g, PCN_BUF_G, true, sz) ||
        check_buf(c, "dh", op->dh, PCN_BUF_DH, true, sz) ||
        check_buf(c, "a", op->pa, PCN_BUF_A, true, sz))
      return -1;
    if ((unsigned)g->nodes[op->node].act >= PCN_ACT_COUNT) {
      set_err(c->err, c->errlen, "%s: node '%s' has an unknown activation", c->where,
              g->nodes[op->node].name);
      return -1;
    }
    return 0;
  }
  case PCN_OP_KIND_COUNT: break;
  }
  set_err(c->err, c->errlen, "%s: unknown op kind %d", c->where, (int)op->kind);
  return -1;
}

/* Ops of one stage may run in parallel: no op may read or write what
 * another op of the stage writes, except GEMMs accumulating into the same
 * C (schedule.h: those are serialized). A violation would make the
 * result depend on the backend's order, so it is a schedule bug. */
static int check_hazards(Checker *c, const PcnStage *st) {
  for (int i = 0; i < st->nops; i++) {
    PcnOpAccess xi = pcn_op_access(&st->ops[i]);
    for (int j = 0; j < st->nops; j++) {
      if (i == j) continue;
      PcnOpAccess xj = pcn_op_access(&st->ops[j]);
      for (int w = 0; w < xi.nw; w++) {
        int b = xi.w[w];
        bool gemm_acc = st->ops[i].kind == PCN_OP_GEMM && st->ops[j].kind == PCN_OP_GEMM &&
                        st->ops[j].c == b;
        if (gemm_acc) continue;
        bool clash = false;
        for (int r = 0; r < xj.nr; r++) clash |= xj.r[r] == b;
        for (int w2 = 0; w2 < xj.nw; w2++) clash |= xj.w[w2] == b;
        if (clash) {
          const char *name = c->s->buffers[b].name;
          set_err(c->err, c->errlen,
                  "%s: ops %d (%d) and %d (%d) of one stage both touch '%s', which op %d writes",
                  c->where, i, (int)st->ops[i].kind, j, (int)st->ops[j].kind,
                  name ? name : "?", i);
          return -1;
        }
      }
    }
  }
  return 0;
}

static int check_schedule(const PcnSchedule *s, const PcnPlanConfig *cfg, char *err,
                          size_t errlen) {
  char where[160];
  Checker c = {s, err, errlen, where};
  if (!s->graph || s->nbuffers < 0) {
    set_err(err, errlen, "schedule has no graph");
    return -1;
  }
  for (int i = 0; i < s->nbuffers; i++) {
    const PcnBuffer *b = &s->buffers[i];
    if (b->cols <= 0 || (!b->batch_rows && b->rows <= 0)) {
      set_err(err, errlen, "buffer '%s' has an empty shape [%d x %d]", b->name ? b->name : "?",
              b->batch_rows ? -1 : b->rows, b->cols);
      return -1;
    }
  }
  for (int pk = 0; pk < PCN_PROG_COUNT; pk++) {
    const PcnPhaseProgram *pr = &s->programs[pk];
    for (int si = 0; si < pr->nstages; si++) {
      const PcnStage *st = &pr->stages[si];
      snprintf(where, sizeof where, "program %s, stage %d (%s)", prog_label(pk), si,
               st->label ? st->label : "");
      for (int oi = 0; oi < st->nops; oi++)
        if (check_op(&c, pk, &st->ops[oi], cfg)) return -1;
      if (check_hazards(&c, st)) return -1;
    }
  }
  return 0;
}

static int check_config(const PcnPlanConfig *cfg, char *err, size_t errlen) {
  if (cfg->max_batch < 1 || cfg->max_batch > PCN_MAX_BATCH) {
    set_err(err, errlen, "batch size %d is out of range [1, %d]", cfg->max_batch, PCN_MAX_BATCH);
    return -1;
  }
  const PcnOptimizer *inf[2] = {&cfg->train_inference, &cfg->eval_inference};
  for (int i = 0; i < 2; i++)
    if (!isfinite(inf[i]->lr) || !isfinite(inf[i]->momentum) || inf[i]->momentum < 0.0f ||
        inf[i]->momentum >= 1.0f) {
      set_err(err, errlen, "%s inference: step size %g and momentum %g must be finite, "
              "momentum in [0, 1)", i ? "evaluation" : "training", (double)inf[i]->lr,
              (double)inf[i]->momentum);
      return -1;
    }
  const PcnOptimizer *o = &cfg->learning;
  if (!isfinite(o->lr) || o->lr < 0.0f || !isfinite(o->weight_decay)) {
    set_err(err, errlen, "learning rate %g must be finite and >= 0", (double)o->lr);
    return -1;
  }
  if (o->kind != PCN_OPT_SGD &&
      (!(o->beta1 >= 0.0f && o->beta1 < 1.0f) || !(o->beta2 >= 0.0f && o->beta2 < 1.0f) ||
       !(o->eps >= 0.0f))) {
    set_err(err, errlen, "%s needs 0 <= beta1, beta2 < 1 and eps >= 0 (got %g, %g, %g)",
            pcn_optim_name(o->kind), (double)o->beta1, (double)o->beta2, (double)o->eps);
    return -1;
  }
  return 0;
}

/* ---- allocation ----------------------------------------------------------- */

static size_t round_up(size_t x) { return (x + ALIGN - 1) / ALIGN * ALIGN; }

/* Bytes of one buffer, in double first so that absurd shapes are
 * reported instead of wrapping around. */
static double buffer_bytes_d(const PcnBuffer *b, int max_batch) {
  double rows = b->batch_rows ? (double)max_batch : (double)b->rows;
  return rows * (double)b->cols * sizeof(float);
}

static bool is_param(const PcnBuffer *b) {
  return b->kind == PCN_BUF_W || b->kind == PCN_BUF_B;
}

/* Kaiming uniform as nn.Linear's reset_parameters: kaiming_uniform_ with
 * a = sqrt(5) gives bound = gain * sqrt(3 / fan_in) with gain =
 * sqrt(2 / (1 + 5)), i.e. 1 / sqrt(fan_in); the bias uses the same
 * bound. A node with several parents sums their products before one
 * activation, like one Linear over the concatenated parents, so its
 * fan-in is the sum of the parents' sizes. */
static void init_params(PcnPlan *p) {
  const PcnGraph *g = p->g;
  const PcnSchedule *s = p->s;
  PcnRng rng;
  pcn_rng_init(&rng, p->cfg.seed, PCN_STREAM_WEIGHTS);
  for (int e = 0; e < g->nedges; e++) {
    int b = s->buf_of[PCN_BUF_W] ? s->buf_of[PCN_BUF_W][e] : -1;
    if (b < 0) continue;
    const PcnNode *dst = &g->nodes[g->edges[e].dst];
    double fan_in = 0;
    for (int i = 0; i < dst->nin; i++) fan_in += g->nodes[g->edges[dst->in_edges[i]].src].size;
    float bound = fan_in > 0 ? (float)(1.0 / sqrt(fan_in)) : 0.0f;
    size_t count = (size_t)s->buffers[b].rows * (size_t)s->buffers[b].cols;
    float *w = p->buf[b];
    for (size_t i = 0; i < count; i++)
      w[i] = (float)((2.0 * pcn_rng_uniform(&rng) - 1.0) * bound);
  }
  for (int v = 0; v < g->nnodes; v++) {
    int b = s->buf_of[PCN_BUF_B] ? s->buf_of[PCN_BUF_B][v] : -1;
    if (b < 0) continue;
    const PcnNode *nd = &g->nodes[v];
    double fan_in = 0;
    for (int i = 0; i < nd->nin; i++) fan_in += g->nodes[g->edges[nd->in_edges[i]].src].size;
    float bound = fan_in > 0 ? (float)(1.0 / sqrt(fan_in)) : 0.0f;
    size_t count = (size_t)s->buffers[b].rows * (size_t)s->buffers[b].cols;
    for (size_t i = 0; i < count; i++)
      p->buf[b][i] = (float)((2.0 * pcn_rng_uniform(&rng) - 1.0) * bound);
  }
}

/* Which initializer kinds INIT ops use, and the initializer for each. */
static int resolve_initializers(PcnPlan *p, char *err, size_t errlen) {
  for (int pk = 0; pk < PCN_PROG_COUNT; pk++) {
    const PcnPhaseProgram *pr = &p->s->programs[pk];
    for (int si = 0; si < pr->nstages; si++)
      for (int oi = 0; oi < pr->stages[si].nops; oi++) {
        const PcnOp *op = &pr->stages[si].ops[oi];
        if (op->kind != PCN_OP_INIT) continue;
        if ((unsigned)op->init >= PCN_INIT_COUNT) {
          set_err(err, errlen, "INIT op of node %d has an unknown initializer %d", op->node,
                  (int)op->init);
          return -1;
        }
        if (p->inits[op->init]) continue;
        const PcnInitializer *in = p->cfg.initializers[op->init];
        if (!in) in = pcn_initializer_builtin(op->init);
        if (!in) {
          set_err(err, errlen,
                  "no initializer '%s' in the plan config (set "
                  "cfg.initializers[] as include/pcn/exec.h shows)",
                  init_kind_name(op->init));
          return -1;
        }
        p->inits[op->init] = in;
      }
  }
  return 0;
}

static void *xcalloc(size_t n, size_t size) { return n ? calloc(n, size) : calloc(1, 1); }

PcnPlan *pcn_plan_create(const PcnSchedule *s, const PcnPlanConfig *cfg, char *err,
                         size_t errlen) {
  set_err(err, errlen, "no error");
  if (!s || !cfg) {
    set_err(err, errlen, "pcn_plan_create: no schedule or configuration");
    return NULL;
  }
  if (check_config(cfg, err, errlen) || check_schedule(s, cfg, err, errlen)) return NULL;

  const PcnOptimizer *lo = &cfg->learning;
  const int needs_m = pcn_optim_needs_m(lo), needs_v = pcn_optim_needs_v(lo);
  const size_t max_bytes = cfg->max_bytes ? cfg->max_bytes : PCN_PLAN_MAX_BYTES;

  /* Total size first, in double, before anything is allocated. */
  double total = 0;
  for (int i = 0; i < s->nbuffers; i++) {
    double bytes = buffer_bytes_d(&s->buffers[i], cfg->max_batch);
    int copies = 1 + (is_param(&s->buffers[i]) ? needs_m + needs_v : 0);
    total += copies * (bytes + ALIGN);
  }
  if (total > (double)max_bytes) {
    set_err(err, errlen,
            "the plan needs %.2f GiB of buffers for batch %d (limit %.2f GiB): reduce the "
            "batch size or the node sizes",
            total / (1 << 30), cfg->max_batch, (double)max_bytes / (1 << 30));
    return NULL;
  }

  PcnPlan *p = calloc(1, sizeof *p);
  if (!p) {
    set_err(err, errlen, "out of memory");
    return NULL;
  }
  p->s = s;
  p->g = s->graph;
  p->cfg = *cfg;
  p->backend = cfg->backend ? cfg->backend : &pcn_backend_ref;
  p->readout_buf = -1;
  pcn_rng_init(&p->init_rng, cfg->seed, PCN_STREAM_NODE_INIT);
  if (resolve_initializers(p, err, errlen)) {
    free(p);
    return NULL;
  }

  size_t nb = (size_t)s->nbuffers;
  p->buf = xcalloc(nb, sizeof *p->buf);
  p->m = xcalloc(nb, sizeof *p->m);
  p->v = xcalloc(nb, sizeof *p->v);
  p->params = xcalloc(nb, sizeof *p->params);
  p->energy = xcalloc((size_t)p->g->nnodes, sizeof *p->energy);
  size_t bytes = 0;
  for (size_t i = 0; i < nb; i++) {
    size_t b = round_up((size_t)buffer_bytes_d(&s->buffers[i], cfg->max_batch));
    int copies = 1 + (is_param(&s->buffers[i]) ? needs_m + needs_v : 0);
    bytes += (size_t)copies * b;
  }
  p->block_bytes = bytes;
  p->block = aligned_alloc(ALIGN, bytes ? bytes : ALIGN);
  if (!p->buf || !p->m || !p->v || !p->params || !p->energy || !p->block) {
    set_err(err, errlen, "out of memory allocating %zu bytes of buffers", bytes);
    pcn_plan_destroy(p);
    return NULL;
  }
  /* Zero everything: H of nodes that no initializer touches, gradients
   * before the first learn step and moments must start at 0. */
  memset(p->block, 0, bytes);
  char *at = p->block;
  for (size_t i = 0; i < nb; i++) {
    size_t b = round_up((size_t)buffer_bytes_d(&s->buffers[i], cfg->max_batch));
    p->buf[i] = (float *)at;
    at += b;
    if (!is_param(&s->buffers[i])) continue;
    if (needs_m) p->m[i] = (float *)at, at += b;
    if (needs_v) p->v[i] = (float *)at, at += b;
  }
  /* Parameters in a stable order for checkpoints: W by edge, then B by
   * node. */
  for (int e = 0; e < p->g->nedges; e++) {
    int b = s->buf_of[PCN_BUF_W] ? s->buf_of[PCN_BUF_W][e] : -1;
    if (b >= 0) p->params[p->nparams++] = b;
  }
  for (int v = 0; v < p->g->nnodes; v++) {
    int b = s->buf_of[PCN_BUF_B] ? s->buf_of[PCN_BUF_B][v] : -1;
    if (b >= 0) p->params[p->nparams++] = b;
  }
  init_params(p);

  for (int k = 0; k < PCN_INIT_COUNT; k++) {
    const PcnInitializer *in = p->inits[k];
    if (!in || !in->attach) continue;
    if (in->attach(p, &p->init_state[k], err, errlen)) {
      pcn_plan_destroy(p);
      return NULL;
    }
    p->init_attached[k] = true;
  }
  if (p->backend->prepare && p->backend->prepare(p, &p->backend_state, err, errlen)) {
    pcn_plan_destroy(p);
    return NULL;
  }
  return p;
}

void pcn_plan_destroy(PcnPlan *p) {
  if (!p) return;
  if (p->backend && p->backend->release) p->backend->release(p->backend_state);
  for (int k = 0; k < PCN_INIT_COUNT; k++)
    if (p->init_attached[k] && p->inits[k]->detach) p->inits[k]->detach(p->init_state[k]);
  free(p->block);
  free(p->buf);
  free(p->m);
  free(p->v);
  free(p->params);
  free(p->energy);
  free(p);
}

/* ---- accessors -------------------------------------------------------- */

const PcnSchedule *pcn_plan_schedule(const PcnPlan *p) { return p->s; }
const PcnPlanConfig *pcn_plan_config(const PcnPlan *p) { return &p->cfg; }
const char *pcn_plan_error(const PcnPlan *p) { return p->err; }

float *pcn_plan_buffer(PcnPlan *p, int buf) {
  return buf >= 0 && buf < p->s->nbuffers ? p->buf[buf] : NULL;
}

float *pcn_plan_node_buffer(PcnPlan *p, PcnBufKind kind, int node) {
  if ((unsigned)kind >= PCN_BUF_KIND_COUNT || kind == PCN_BUF_W || kind == PCN_BUF_DW)
    return NULL;
  if (node < 0 || node >= p->g->nnodes || !p->s->buf_of[kind]) return NULL;
  return pcn_plan_buffer(p, p->s->buf_of[kind][node]);
}

float *pcn_plan_edge_buffer(PcnPlan *p, PcnBufKind kind, int edge) {
  if (kind != PCN_BUF_W && kind != PCN_BUF_DW) return NULL;
  if (edge < 0 || edge >= p->g->nedges || !p->s->buf_of[kind]) return NULL;
  return pcn_plan_buffer(p, p->s->buf_of[kind][edge]);
}

int pcn_plan_find_buffer(const PcnPlan *p, const char *name) {
  for (int i = 0; i < p->s->nbuffers; i++)
    if (p->s->buffers[i].name && strcmp(p->s->buffers[i].name, name) == 0) return i;
  return -1;
}

int pcn_plan_max_batch(const PcnPlan *p) { return p->cfg.max_batch; }
int pcn_plan_batch_rows(const PcnPlan *p) { return p->n_last; }

int pcn_plan_set_clamp(PcnPlan *p, int node, const float *rows, int n) {
  float *h = pcn_plan_node_buffer(p, PCN_BUF_H, node);
  if (!h) {
    pcn_plan_set_error(p, "node %d has no state buffer to clamp", node);
    return -1;
  }
  if (n < 1 || n > p->cfg.max_batch) {
    pcn_plan_set_error(p, "batch of %d rows is out of range [1, %d]", n, p->cfg.max_batch);
    return -1;
  }
  memcpy(h, rows, (size_t)n * (size_t)p->g->nodes[node].size * sizeof(float));
  return 0;
}

int pcn_plan_nparams(const PcnPlan *p) { return p->nparams; }
int pcn_plan_param_buffer(const PcnPlan *p, int i) {
  return i >= 0 && i < p->nparams ? p->params[i] : -1;
}

float *pcn_plan_moment(PcnPlan *p, int buf, int which) {
  if (buf < 0 || buf >= p->s->nbuffers) return NULL;
  return which == 1 ? p->m[buf] : which == 2 ? p->v[buf] : NULL;
}

int64_t pcn_plan_learn_steps(const PcnPlan *p) { return p->learn_steps; }
void pcn_plan_set_learn_steps(PcnPlan *p, int64_t t) { p->learn_steps = t < 0 ? 0 : t; }

double pcn_plan_node_energy(const PcnPlan *p, int node) {
  return node >= 0 && node < p->g->nnodes ? p->energy[node] : 0.0;
}

double pcn_plan_energy(const PcnPlan *p) {
  double f = 0;
  for (int v = 0; v < p->g->nnodes; v++) f += p->energy[v];
  return f;
}

double pcn_plan_energy_mean(const PcnPlan *p) {
  return p->n_last > 0 ? pcn_plan_energy(p) / p->n_last : 0.0;
}

double *pcn_plan_energies(PcnPlan *p) { return p->energy; }

int64_t pcn_plan_smm_count(const PcnPlan *p) { return p->smm; }

const float *pcn_plan_readout(const PcnPlan *p, int *cols) {
  if (p->readout_buf < 0) return NULL;
  if (cols) *cols = p->s->buffers[p->readout_buf].cols;
  return p->buf[p->readout_buf];
}

PcnRng *pcn_plan_init_rng(PcnPlan *p) { return &p->init_rng; }

int pcn_plan_begin_batch(PcnPlan *p, PcnPhase phase, int n, const int *labels) {
  if (n < 1 || n > p->cfg.max_batch) {
    pcn_plan_set_error(p, "batch of %d rows is out of range [1, %d]", n, p->cfg.max_batch);
    return -1;
  }
  for (int k = 0; k < PCN_INIT_COUNT; k++)
    if (p->inits[k] && p->inits[k]->begin_batch)
      p->inits[k]->begin_batch(p, p->init_state[k], phase, n, labels);
  return 0;
}

int pcn_plan_end_batch(PcnPlan *p, PcnPhase phase, int n, const int *labels) {
  if (n < 1 || n > p->cfg.max_batch) {
    pcn_plan_set_error(p, "batch of %d rows is out of range [1, %d]", n, p->cfg.max_batch);
    return -1;
  }
  for (int k = 0; k < PCN_INIT_COUNT; k++)
    if (p->inits[k] && p->inits[k]->end_batch)
      p->inits[k]->end_batch(p, p->init_state[k], phase, n, labels);
  return 0;
}
