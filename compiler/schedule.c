/*
 * schedule.c - the scheduler: Graph IR + analysis -> Schedule IR
 * (pcn/schedule.h) and the SMM counts of docs/smm.md.
 *
 * Stages and ops are collected in malloc'd growable vectors and copied into
 * the arena when a stage or program is finished, so the finished schedule
 * is one arena object like the rest of the compilation.
 */
#include "pcn/schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Builder {
  PcnArena *a;
  const PcnGraph *g;
  const PcnAnalysis *an;
  PcnSchedule *s;
  PcnOp *ops; /* the open stage */
  int nops, cap_ops;
  PcnStage *stages; /* the open program */
  int nstages, cap_stages;
  bool fail;
  bool fallback; /* stages closed now are fallback stages (schedule.h) */
} Builder;

static const char *const op_names[PCN_OP_KIND_COUNT] = {
    "gemm", "load_clamp", "init", "forward_set", "predict",
    "zero", "update_h", "bias_grad", "opt_step", "readout", "gate"};
static const char *const prog_names[PCN_PROG_COUNT] = {
    "train_init", "train_step", "train_learn",
    "eval_init", "eval_step", "eval_readout"};

const char *pcn_op_kind_name(PcnOpKind k) {
  return (unsigned)k < PCN_OP_KIND_COUNT ? op_names[k] : "?";
}

const char *pcn_program_name(PcnProgramKind k) {
  return (unsigned)k < PCN_PROG_COUNT ? prog_names[k] : "?";
}

int64_t pcn_sched_used_samples(int64_t samples, float fraction) {
  if (samples <= 0) return 0;
  int64_t used = (int64_t)llround((double)samples * (double)fraction);
  if (used < 1) used = 1;
  if (used > samples) used = samples;
  return used;
}

static PcnOp op_new(PcnOpKind k) {
  PcnOp o;
  memset(&o, 0, sizeof o);
  o.kind = k;
  o.node = o.edge = -1;
  o.a = o.b = o.c = -1;
  o.h = o.pa = o.mu = o.e = o.g = o.dh = o.vel = o.bias = -1;
  o.dst = o.param = o.grad = o.src = -1;
  return o;
}

static void emit(Builder *b, PcnOp o) {
  if (b->fail) return;
  if (b->nops == b->cap_ops) {
    int cap = b->cap_ops ? 2 * b->cap_ops : 16;
    PcnOp *p = realloc(b->ops, (size_t)cap * sizeof *p);
    if (!p) {
      b->fail = true;
      return;
    }
    b->ops = p;
    b->cap_ops = cap;
  }
  b->ops[b->nops++] = o;
}

/* Closes the open stage under `label`; empty stages are dropped. */
static void stage_end(Builder *b, const char *label, bool counted) {
  if (b->fail || b->nops == 0) {
    b->nops = 0;
    return;
  }
  if (b->nstages == b->cap_stages) {
    int cap = b->cap_stages ? 2 * b->cap_stages : 8;
    PcnStage *p = realloc(b->stages, (size_t)cap * sizeof *p);
    if (!p) {
      b->fail = true;
      return;
    }
    b->stages = p;
    b->cap_stages = cap;
  }
  PcnStage *st = &b->stages[b->nstages];
  memset(st, 0, sizeof *st);
  st->label = pcn_arena_strdup(b->a, label);
  st->ops = pcn_arena_array(b->a, (size_t)b->nops, sizeof(PcnOp));
  if (!st->label || !st->ops) {
    b->fail = true;
    return;
  }
  memcpy(st->ops, b->ops, (size_t)b->nops * sizeof(PcnOp));
  st->nops = b->nops;
  for (int i = 0; i < b->nops; i++) {
    if (b->ops[i].kind == PCN_OP_GEMM) st->has_gemm = true;
    st->ops[i].fallback = b->fallback;
  }
  st->fallback = b->fallback;
  /* A fallback sweep runs only on the first batch (and for classes not
   * seen yet): not part of the per-update cost (docs/smm.md). */
  st->smm = st->has_gemm && counted && !b->fallback ? 1 : 0;
  b->nstages++;
  b->nops = 0;
}

static void program_end(Builder *b, PcnProgramKind k) {
  PcnPhaseProgram *p = &b->s->programs[k];
  p->kind = k;
  p->nstages = 0;
  p->stages = NULL;
  if (!b->fail && b->nstages > 0) {
    p->stages = pcn_arena_array(b->a, (size_t)b->nstages, sizeof(PcnStage));
    if (!p->stages) b->fail = true;
    else {
      memcpy(p->stages, b->stages, (size_t)b->nstages * sizeof(PcnStage));
      p->nstages = b->nstages;
    }
  }
  b->nstages = 0;
}

/* ---- buffers ------------------------------------------------------ */

static const char *const buf_prefix[PCN_BUF_KIND_COUNT] = {
    "h", "a", "mu", "e", "g", "dh", "vel", "W", "b", "dW", "db"};

static int add_buffer(Builder *b, PcnBufKind k, int node, int edge, bool batch,
                      int rows, int cols) {
  PcnSchedule *s = b->s;
  const PcnGraph *g = b->g;
  PcnBuffer *buf = &s->buffers[s->nbuffers];
  buf->kind = k;
  buf->node = node;
  buf->edge = edge;
  buf->batch_rows = batch;
  buf->rows = batch ? 0 : rows;
  buf->cols = cols;
  if (edge >= 0)
    buf->name = pcn_arena_printf(b->a, "%s.%s->%s", buf_prefix[k],
                                 g->nodes[g->edges[edge].src].name,
                                 g->nodes[g->edges[edge].dst].name);
  else
    buf->name = pcn_arena_printf(b->a, "%s.%s", buf_prefix[k], g->nodes[node].name);
  if (!buf->name) b->fail = true;
  int idx = s->nbuffers++;
  s->buf_of[k][edge >= 0 ? edge : node] = idx;
  return idx;
}

static bool free_somewhere(const PcnNode *v) { return !v->clamp_train || !v->clamp_eval; }

static bool make_buffers(Builder *b, bool momentum) {
  const PcnGraph *g = b->g;
  PcnSchedule *s = b->s;
  size_t cap = (size_t)g->nnodes * 9 + (size_t)g->nedges * 2 + 1;
  s->buffers = pcn_arena_array(b->a, cap, sizeof(PcnBuffer));
  if (!s->buffers) return false;
  for (int k = 0; k < PCN_BUF_KIND_COUNT; k++) {
    bool per_edge = k == PCN_BUF_W || k == PCN_BUF_DW;
    int n = per_edge ? g->nedges : g->nnodes;
    s->buf_of[k] = pcn_arena_array(b->a, (size_t)n + 1, sizeof(int));
    if (!s->buf_of[k]) return false;
    for (int i = 0; i < n; i++) s->buf_of[k][i] = -1;
  }
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    int sz = nd->size;
    add_buffer(b, PCN_BUF_H, v, -1, true, 0, sz);
    if (nd->nin > 0) {
      add_buffer(b, PCN_BUF_A, v, -1, true, 0, sz);
      add_buffer(b, PCN_BUF_MU, v, -1, true, 0, sz);
      add_buffer(b, PCN_BUF_E, v, -1, true, 0, sz);
      add_buffer(b, PCN_BUF_G, v, -1, true, 0, sz);
    }
    if (free_somewhere(nd)) {
      add_buffer(b, PCN_BUF_DH, v, -1, true, 0, sz);
      if (momentum) add_buffer(b, PCN_BUF_VEL, v, -1, true, 0, sz);
    }
    if (nd->nin > 0) {
      add_buffer(b, PCN_BUF_B, v, -1, false, 1, sz);
      add_buffer(b, PCN_BUF_DB, v, -1, false, 1, sz);
    }
  }
  for (int e = 0; e < g->nedges; e++) {
    int su = g->nodes[g->edges[e].src].size, sv = g->nodes[g->edges[e].dst].size;
    add_buffer(b, PCN_BUF_W, -1, e, false, su, sv);
    add_buffer(b, PCN_BUF_DW, -1, e, false, su, sv);
  }
  return !b->fail;
}

static int buf(const Builder *b, PcnBufKind k, int i) { return b->s->buf_of[k][i]; }

/* ---- ops ------------------------------------------------------------ */

/* A_v = sum over in-edges of H_u W_uv (beta 0 on the first edge). */
static void emit_predictions_of(Builder *b, int v) {
  const PcnNode *nd = &b->g->nodes[v];
  for (int j = 0; j < nd->nin; j++) {
    int e = nd->in_edges[j];
    int u = b->g->edges[e].src;
    PcnOp o = op_new(PCN_OP_GEMM);
    o.node = v;
    o.edge = e;
    o.a = buf(b, PCN_BUF_H, u);
    o.b = buf(b, PCN_BUF_W, e);
    o.c = buf(b, PCN_BUF_A, v);
    o.m = -1;
    o.k = b->g->nodes[u].size;
    o.n = nd->size;
    o.alpha = 1.0f;
    o.beta = j == 0 ? 0.0f : 1.0f;
    emit(b, o);
  }
}

static void emit_predict(Builder *b, int v, bool with_dh) {
  PcnOp o = op_new(PCN_OP_PREDICT);
  o.node = v;
  o.h = buf(b, PCN_BUF_H, v);
  o.pa = buf(b, PCN_BUF_A, v);
  o.mu = buf(b, PCN_BUF_MU, v);
  o.e = buf(b, PCN_BUF_E, v);
  o.g = buf(b, PCN_BUF_G, v);
  o.bias = buf(b, PCN_BUF_B, v);
  o.dh = with_dh ? buf(b, PCN_BUF_DH, v) : -1;
  emit(b, o);
}

static void emit_forward_set(Builder *b, int v) {
  PcnOp o = op_new(PCN_OP_FORWARD_SET);
  o.node = v;
  o.h = buf(b, PCN_BUF_H, v);
  o.pa = buf(b, PCN_BUF_A, v);
  o.bias = buf(b, PCN_BUF_B, v);
  emit(b, o);
}

/* Sweep over nodes with depth[v] in 1..maxd: per level a stage of GEMMs
 * and a stage of FORWARD_SET. `bydepth` buckets nodes by depth so the
 * sweep stays linear even for deep chains. */
static void emit_sweep(Builder *b, const int *depth, int maxd, const char *what,
                       bool counted) {
  int n = b->g->nnodes;
  if (maxd <= 0) return;
  int *start = calloc((size_t)maxd + 2, sizeof(int));
  int *bydepth = malloc(((size_t)n + 1) * sizeof(int));
  if (!start || !bydepth) {
    free(start);
    free(bydepth);
    b->fail = true;
    return;
  }
  for (int v = 0; v < n; v++)
    if (depth[v] > 0) start[depth[v]]++;
  for (int d = 1; d <= maxd + 1; d++) start[d] += start[d - 1];
  /* start[d-1] .. start[d]-1 after the shift below hold depth d */
  for (int d = maxd + 1; d >= 1; d--) start[d] = start[d - 1];
  start[0] = 0;
  for (int v = 0; v < n; v++)
    if (depth[v] > 0) bydepth[start[depth[v]]++] = v;
  /* now start[d] is the end of depth d; the beginning is start[d-1] */
  char label[96];
  for (int d = 1; d <= maxd; d++) {
    int lo = start[d - 1], hi = start[d];
    for (int i = lo; i < hi; i++) emit_predictions_of(b, bydepth[i]);
    snprintf(label, sizeof label, "%s depth %d: predictions", what, d);
    stage_end(b, label, counted);
    for (int i = lo; i < hi; i++) emit_forward_set(b, bydepth[i]);
    snprintf(label, sizeof label, "%s depth %d: h = mu", what, d);
    stage_end(b, label, counted);
  }
  free(start);
  free(bydepth);
}

/* An `average` node of the training phase whose forward fallback (first
 * batch, classes without a mean) is legal: it gets fallback stages. */
static bool avg_fallback(const Builder *b, int v) {
  const PcnNode *nd = &b->g->nodes[v];
  return !pcn_node_clamped(nd, PCN_PHASE_TRAIN) && nd->nin > 0 &&
         pcn_effective_init(b->g, b->an, v, PCN_PHASE_TRAIN) == PCN_INIT_AVERAGE &&
         b->an->phase[PCN_PHASE_TRAIN].declared[v] == PCN_FW_OK;
}

/* depth[v] = 1 + max depth of v's parents for nodes in `in`, 0 elsewhere.
 * The set must be acyclic (analysis proves it for forward + average
 * nodes); a cyclic SCC of the whole graph may still contain members of
 * the set in any order, so this relaxes to a fixpoint instead of trusting
 * one pass over an->topo (usually one or two passes). Returns the max. */
static int set_depths(const Builder *b, const unsigned char *in, int *depth) {
  const PcnGraph *g = b->g;
  int n = g->nnodes, maxd = 0;
  for (int v = 0; v < n; v++) depth[v] = in[v] ? 1 : 0;
  for (int pass = 0; pass <= n; pass++) {
    bool changed = false;
    for (int i = 0; i < n; i++) {
      int v = b->an->topo[i];
      if (!in[v]) continue;
      const PcnNode *nd = &g->nodes[v];
      int d = 0;
      for (int j = 0; j < nd->nin; j++) {
        int u = g->edges[nd->in_edges[j]].src;
        if (u != v && depth[u] > d) d = depth[u];
      }
      if (d + 1 != depth[v] && d + 1 <= n) depth[v] = d + 1, changed = true;
    }
    if (!changed) break;
  }
  for (int v = 0; v < n; v++)
    if (depth[v] > maxd) maxd = depth[v];
  return maxd;
}

static void emit_init_op(Builder *b, int v, PcnPhase p) {
  PcnOp o = op_new(PCN_OP_INIT);
  o.node = v;
  o.h = buf(b, PCN_BUF_H, v);
  o.init = pcn_effective_init(b->g, b->an, v, p);
  if (o.init == PCN_INIT_FORWARD) o.init = PCN_INIT_ZERO; /* illegal forward */
  emit(b, o);
}

/* TRAIN_INIT with `average` nodes that may fall back to forward: one sweep
 * over forward + such average nodes by their joint depth; per level the
 * forward nodes' stages (counted as usual), the average nodes' fallback
 * stages, then the INIT of the level's average nodes, which keeps the
 * fallback rows and writes the class means into the others. Forward nodes
 * below an average node thus see its initial value, mean or fallback. */
static void emit_train_init_avg(Builder *b) {
  const PcnGraph *g = b->g;
  const PcnPhaseVerdict *pv = &b->an->phase[PCN_PHASE_TRAIN];
  int n = g->nnodes;
  unsigned char *in = calloc((size_t)n + 1, 1);
  int *depth = calloc((size_t)n + 1, sizeof(int));
  if (!in || !depth) {
    b->fail = true;
    goto done;
  }
  for (int v = 0; v < n; v++) {
    const PcnNode *nd = &g->nodes[v];
    bool fb = avg_fallback(b, v);
    in[v] = pv->fw_depth[v] > 0 || fb;
    if (pcn_node_clamped(nd, PCN_PHASE_TRAIN)) {
      PcnOp o = op_new(PCN_OP_LOAD_CLAMP);
      o.node = v;
      o.h = buf(b, PCN_BUF_H, v);
      emit(b, o);
    } else if (pv->fw_depth[v] == 0 && !fb) {
      emit_init_op(b, v, PCN_PHASE_TRAIN);
    }
  }
  stage_end(b, "load clamps, initialize", true);
  int maxd = set_depths(b, in, depth);
  char label[96];
  for (int d = 1; d <= maxd; d++) {
    for (int pass = 0; pass < 2; pass++) { /* 0: forward nodes, 1: fallback */
      b->fallback = pass == 1;
      for (int v = 0; v < n; v++)
        if (depth[v] == d && (pv->fw_depth[v] > 0) == (pass == 0)) emit_predictions_of(b, v);
      snprintf(label, sizeof label, "%s depth %d: predictions",
               pass ? "average fallback" : "forward sweep", d);
      stage_end(b, label, true);
    }
    for (int pass = 0; pass < 2; pass++) {
      b->fallback = pass == 1;
      for (int v = 0; v < n; v++)
        if (depth[v] == d && (pv->fw_depth[v] > 0) == (pass == 0)) emit_forward_set(b, v);
      snprintf(label, sizeof label, "%s depth %d: h = mu",
               pass ? "average fallback" : "forward sweep", d);
      stage_end(b, label, true);
    }
    b->fallback = false;
    for (int v = 0; v < n; v++)
      if (depth[v] == d && pv->fw_depth[v] == 0) emit_init_op(b, v, PCN_PHASE_TRAIN);
    snprintf(label, sizeof label, "depth %d: average = class means of h(T) (Eq. 7)", d);
    stage_end(b, label, true);
  }
done:
  b->fallback = false;
  free(in);
  free(depth);
}

static void emit_init_program(Builder *b, PcnPhase p) {
  const PcnGraph *g = b->g;
  const PcnPhaseVerdict *pv = &b->an->phase[p];
  if (p == PCN_PHASE_TRAIN)
    for (int v = 0; v < g->nnodes; v++)
      if (avg_fallback(b, v)) {
        emit_train_init_avg(b);
        return;
      }
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    if (pcn_node_clamped(nd, p)) {
      PcnOp o = op_new(PCN_OP_LOAD_CLAMP);
      o.node = v;
      o.h = buf(b, PCN_BUF_H, v);
      emit(b, o);
    } else if (pv->fw_depth[v] == 0) {
      PcnOp o = op_new(PCN_OP_INIT);
      o.node = v;
      o.h = buf(b, PCN_BUF_H, v);
      o.init = pcn_effective_init(g, b->an, v, p);
      if (o.init == PCN_INIT_FORWARD) o.init = PCN_INIT_ZERO; /* illegal forward */
      emit(b, o);
    }
  }
  stage_end(b, "load clamps, initialize", true);
  emit_sweep(b, pv->fw_depth, pv->fw_max_depth, "forward sweep", true);
}

/* One inference step (or, with learn, the errors at h^(T)). */
static void emit_predict_and_errors(Builder *b, PcnPhase p, bool learn) {
  const PcnGraph *g = b->g;
  bool counted = !learn;
  for (int v = 0; v < g->nnodes; v++)
    if (g->nodes[v].nin > 0) emit_predictions_of(b, v);
  stage_end(b, learn ? "predict at h(T)" : "predict", counted);
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    bool fr = !pcn_node_clamped(nd, p);
    if (nd->nin > 0) {
      emit_predict(b, v, fr && !learn);
    } else if (fr && !learn) {
      PcnOp o = op_new(PCN_OP_ZERO);
      o.node = v;
      o.dst = buf(b, PCN_BUF_DH, v);
      emit(b, o);
    }
  }
  stage_end(b, learn ? "errors at h(T)" : "errors", counted);
}

static void emit_step_program(Builder *b, PcnPhase p, bool momentum) {
  const PcnGraph *g = b->g;
  emit_predict_and_errors(b, p, false);
  for (int e = 0; e < g->nedges; e++) {
    int u = g->edges[e].src, v = g->edges[e].dst;
    if (pcn_node_clamped(&g->nodes[u], p)) continue;
    PcnOp o = op_new(PCN_OP_GEMM);
    o.node = u;
    o.edge = e;
    o.a = buf(b, PCN_BUF_G, v);
    o.b = buf(b, PCN_BUF_W, e);
    o.trans_b = true;
    o.c = buf(b, PCN_BUF_DH, u);
    o.m = -1;
    o.k = g->nodes[v].size;
    o.n = g->nodes[u].size;
    o.alpha = -1.0f;
    o.beta = 1.0f;
    emit(b, o);
  }
  stage_end(b, "error products", true);
  for (int v = 0; v < g->nnodes; v++) {
    if (pcn_node_clamped(&g->nodes[v], p)) continue;
    PcnOp o = op_new(PCN_OP_UPDATE_H);
    o.node = v;
    o.h = buf(b, PCN_BUF_H, v);
    o.dh = buf(b, PCN_BUF_DH, v);
    o.vel = momentum ? buf(b, PCN_BUF_VEL, v) : -1;
    emit(b, o);
  }
  stage_end(b, "update", true);
}

static void emit_optimizer_stage(Builder *b);

/* DW_uv = -(1/n) H_u^T G_v: the batch-mean weight gradient of edge e, the
 * same for PC (G at h^(T)) and BP (G = dL/dh * act'). */
static void emit_weight_grad(Builder *b, int e) {
  const PcnGraph *g = b->g;
  int u = g->edges[e].src, v = g->edges[e].dst;
    PcnOp o = op_new(PCN_OP_GEMM);
    o.node = v;
    o.edge = e;
    o.a = buf(b, PCN_BUF_H, u);
    o.trans_a = true;
    o.b = buf(b, PCN_BUF_G, v);
    o.c = buf(b, PCN_BUF_DW, e);
    o.m = g->nodes[u].size;
    o.n = g->nodes[v].size;
    o.k = -1;
    o.alpha = -1.0f;
    o.alpha_over_batch = true;
    o.beta = 0.0f;
    emit(b, o);
}

static void emit_learn_program(Builder *b) {
  const PcnGraph *g = b->g;
  emit_predict_and_errors(b, PCN_PHASE_TRAIN, true);
  for (int e = 0; e < g->nedges; e++) emit_weight_grad(b, e);
  for (int v = 0; v < g->nnodes; v++) {
    if (g->nodes[v].nin == 0) continue;
    PcnOp o = op_new(PCN_OP_BIAS_GRAD);
    o.node = v;
    o.g = buf(b, PCN_BUF_G, v);
    o.dst = o.grad = buf(b, PCN_BUF_DB, v);
    emit(b, o);
  }
  stage_end(b, "weight gradients", false);
  emit_optimizer_stage(b);
}

/* One optimizer step on every W and b (shared by PC and BP). */
static void emit_optimizer_stage(Builder *b) {
  const PcnGraph *g = b->g;
  for (int e = 0; e < g->nedges; e++) {
    PcnOp o = op_new(PCN_OP_OPT_STEP);
    o.edge = e;
    o.param = buf(b, PCN_BUF_W, e);
    o.grad = buf(b, PCN_BUF_DW, e);
    emit(b, o);
  }
  for (int v = 0; v < g->nnodes; v++) {
    if (g->nodes[v].nin == 0) continue;
    PcnOp o = op_new(PCN_OP_OPT_STEP);
    o.node = v;
    o.param = buf(b, PCN_BUF_B, v);
    o.grad = buf(b, PCN_BUF_DB, v);
    emit(b, o);
  }
  stage_end(b, "optimizer", false);
}

/* ---- backpropagation (method bp; schedule.h) ------------------------ */

/* A node whose G the BP programs compute: swept hidden nodes and clamped
 * nodes with parents (the outputs of the loss). */
static bool bp_has_delta(const Builder *b, const int *depth, int v) {
  const PcnNode *nd = &b->g->nodes[v];
  return depth[v] > 0 || (nd->nin > 0 && pcn_node_clamped(nd, PCN_PHASE_TRAIN));
}

/* TRAIN_INIT, TRAIN_STEP (empty) and TRAIN_LEARN of backprop. Free nodes
 * whose forward value is determined by data (strict verdict OK) are swept;
 * any other free node (only possible in a model the compiler refuses for
 * bp) keeps its initializer and gets no gradient through it. */
static void emit_bp_programs(Builder *b) {
  const PcnGraph *g = b->g;
  const PcnPhaseVerdict *pv = &b->an->phase[PCN_PHASE_TRAIN];
  int n = g->nnodes;
  unsigned char *in = calloc((size_t)n + 1, 1);
  int *depth = calloc((size_t)n + 1, sizeof(int));
  if (!in || !depth) {
    b->fail = true;
    goto done;
  }
  for (int v = 0; v < n; v++) {
    const PcnNode *nd = &g->nodes[v];
    in[v] = !pcn_node_clamped(nd, PCN_PHASE_TRAIN) && nd->nin > 0 && pv->strict[v] == PCN_FW_OK;
    if (pcn_node_clamped(nd, PCN_PHASE_TRAIN)) {
      PcnOp o = op_new(PCN_OP_LOAD_CLAMP);
      o.node = v;
      o.h = buf(b, PCN_BUF_H, v);
      emit(b, o);
    } else if (!in[v]) {
      emit_init_op(b, v, PCN_PHASE_TRAIN);
    }
  }
  stage_end(b, "load clamps, initialize", true);
  int maxd = set_depths(b, in, depth);
  emit_sweep(b, depth, maxd, "forward pass", true);
  /* The outputs: their prediction and the loss 1/2 ||y - mu||^2. */
  for (int v = 0; v < n; v++)
    if (depth[v] == 0 && bp_has_delta(b, depth, v)) emit_predictions_of(b, v);
  stage_end(b, "forward pass: output predictions", true);
  for (int v = 0; v < n; v++)
    if (depth[v] == 0 && bp_has_delta(b, depth, v)) emit_predict(b, v, false);
  stage_end(b, "output error (loss = energy of the output)", true);
  program_end(b, PCN_PROG_TRAIN_INIT);

  program_end(b, PCN_PROG_TRAIN_STEP); /* T is ignored */

  char label[96];
  for (int d = maxd; d >= 1; d--) {
    for (int u = 0; u < n; u++) {
      if (depth[u] != d) continue;
      const PcnNode *nd = &g->nodes[u];
      int first = 1;
      for (int j = 0; j < nd->nout; j++) {
        int e = nd->out_edges[j];
        int v = g->edges[e].dst;
        if (!bp_has_delta(b, depth, v)) continue;
        PcnOp o = op_new(PCN_OP_GEMM);
        o.node = u;
        o.edge = e;
        o.a = buf(b, PCN_BUF_G, v);
        o.b = buf(b, PCN_BUF_W, e);
        o.trans_b = true;
        o.c = buf(b, PCN_BUF_DH, u);
        o.m = -1;
        o.k = g->nodes[v].size;
        o.n = nd->size;
        o.alpha = 1.0f;
        o.beta = first ? 0.0f : 1.0f;
        first = 0;
        emit(b, o);
      }
      if (first) { /* no child carries a delta: dL/dh_u = 0 */
        PcnOp o = op_new(PCN_OP_ZERO);
        o.node = u;
        o.dst = buf(b, PCN_BUF_DH, u);
        emit(b, o);
      }
    }
    snprintf(label, sizeof label, "backward depth %d: dL/dh = sum G W^T", d);
    stage_end(b, label, true);
    for (int u = 0; u < n; u++) {
      if (depth[u] != d) continue;
      PcnOp o = op_new(PCN_OP_GATE);
      o.node = u;
      o.g = buf(b, PCN_BUF_G, u);
      o.dh = buf(b, PCN_BUF_DH, u);
      o.pa = buf(b, PCN_BUF_A, u);
      emit(b, o);
    }
    snprintf(label, sizeof label, "backward depth %d: G = dL/dh * act'(a)", d);
    stage_end(b, label, true);
  }
  for (int e = 0; e < g->nedges; e++) {
    if (!bp_has_delta(b, depth, g->edges[e].dst)) continue;
    emit_weight_grad(b, e);
  }
  for (int v = 0; v < n; v++) {
    if (!bp_has_delta(b, depth, v)) continue;
    PcnOp o = op_new(PCN_OP_BIAS_GRAD);
    o.node = v;
    o.g = buf(b, PCN_BUF_G, v);
    o.dst = o.grad = buf(b, PCN_BUF_DB, v);
    emit(b, o);
  }
  stage_end(b, "weight gradients", false);
  emit_optimizer_stage(b);
  program_end(b, PCN_PROG_TRAIN_LEARN);
done:
  free(in);
  free(depth);
}

static void emit_readout_op(Builder *b, int v, PcnBufKind k) {
  if (v < 0) return;
  PcnOp o = op_new(PCN_OP_READOUT);
  o.node = v;
  o.src = buf(b, k, v);
  emit(b, o);
}

/* Generative readout: forward the inferred latent to the clamped image
 * node r. Its free ancestors with parents are recomputed level by level
 * when they are acyclic; otherwise one prediction from the current state.
 * Returns the number of GEMM stages. */
static int emit_generative_readout(Builder *b, int r) {
  const PcnGraph *g = b->g;
  const PcnAnalysis *an = b->an;
  int n = g->nnodes;
  int *depth = calloc((size_t)n + 1, sizeof(int));
  int *stack = malloc(((size_t)n + 1) * sizeof(int));
  unsigned char *anc = calloc((size_t)n + 1, 1);
  int maxd = 0;
  if (!depth || !stack || !anc) {
    b->fail = true;
    goto done;
  }
  /* Free ancestors of r reached through free nodes. */
  int sp = 0;
  bool cyclic = an->on_cycle[r];
  stack[sp++] = r;
  while (sp > 0) {
    int v = stack[--sp];
    const PcnNode *nd = &g->nodes[v];
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (anc[u] || u == r || g->nodes[u].clamp_eval || g->nodes[u].nin == 0) continue;
      anc[u] = 1;
      if (an->on_cycle[u]) cyclic = true;
      stack[sp++] = u;
    }
  }
  if (!cyclic) {
    for (int i = 0; i < n; i++) {
      int v = an->topo[i];
      if (!anc[v]) continue;
      const PcnNode *nd = &g->nodes[v];
      int d = 0;
      for (int j = 0; j < nd->nin; j++) {
        int u = g->edges[nd->in_edges[j]].src;
        if (depth[u] > d) d = depth[u];
      }
      depth[v] = d + 1;
      if (d + 1 > maxd) maxd = d + 1;
    }
    emit_sweep(b, depth, maxd, "readout forward", true);
  } else {
    maxd = 0;
  }
  emit_predictions_of(b, r);
  stage_end(b, "readout: predict the output", true);
  emit_predict(b, r, false);
  emit_readout_op(b, r, PCN_BUF_MU);
  stage_end(b, "readout: mu of the output", true);
done:
  free(depth);
  free(stack);
  free(anc);
  return maxd + 1;
}

/* ---- SMM counting (docs/smm.md) ------------------------------------ */

/* Length of the forward sweep including its frontier: nodes with parents
 * not computed by the sweep but with a parent that is, whose t = 0
 * prediction the sweep yields. fdepth gets their depths. */
static int sweep_length(const PcnGraph *g, const PcnPhaseVerdict *pv, int *fdepth) {
  int best = pv->fw_max_depth;
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    fdepth[v] = pv->fw_depth[v];
    if (pv->fw_depth[v] > 0 || nd->nin == 0) continue;
    int d = 0;
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (pv->fw_depth[u] > d) d = pv->fw_depth[u];
    }
    if (d > 0) {
      fdepth[v] = d + 1;
      if (d + 1 > best) best = d + 1;
    }
  }
  return best;
}

/* Walks back from the node of largest depth along parents of depth one
 * less; the chain starts at a node known before the sweep. */
static void critical_chain(Builder *b, const int *depth, int len, bool prefer_clamped) {
  const PcnGraph *g = b->g;
  PcnSchedule *s = b->s;
  int end = -1;
  for (int v = 0; v < g->nnodes && end < 0; v++)
    if (depth[v] == len) end = v;
  if (end < 0 || len <= 0) return;
  s->critical_path = pcn_arena_array(b->a, (size_t)len + 1, sizeof(int));
  if (!s->critical_path) {
    b->fail = true;
    return;
  }
  int cur = end, d = len, k = len;
  s->critical_path[k--] = cur;
  while (d > 0 && k >= 0) {
    const PcnNode *nd = &g->nodes[cur];
    int pick = -1;
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (depth[u] != d - 1) continue;
      if (pick < 0 || (prefer_clamped && g->nodes[u].clamp_train && !g->nodes[pick].clamp_train))
        pick = u;
    }
    if (pick < 0) break; /* cannot happen: depth = 1 + max parent depth */
    s->critical_path[k--] = pick;
    cur = pick;
    d--;
  }
  s->ncritical = len - k;
  if (k >= 0) /* defensive: shift a partial chain to the front */
    memmove(s->critical_path, s->critical_path + k + 1, (size_t)s->ncritical * sizeof(int));
}

static void count_smms(Builder *b, const PcnTrainConfig *train,
                       const PcnEvalConfig *eval, int64_t train_samples) {
  const PcnGraph *g = b->g;
  const PcnAnalysis *an = b->an;
  PcnSchedule *s = b->s;
  PcnSmmCounts *c = &s->smm;
  int *fdepth = malloc(((size_t)g->nnodes + 1) * sizeof(int));
  if (!fdepth) {
    b->fail = true;
    return;
  }
  c->init = sweep_length(g, &an->phase[PCN_PHASE_TRAIN], fdepth);
  c->per_step = 2;
  c->T = train ? train->T : 1;
  int L = 0;
  if (an->is_dag)
    for (int v = 0; v < g->nnodes; v++)
      if (an->level[v] > L) L = an->level[v];
  c->bp_per_update = L > 0 ? 2 * L - 1 : 0;
  bool bp = train && train->method == PCN_METHOD_BP;
  c->per_update = bp ? c->bp_per_update : c->init + (int64_t)c->per_step * c->T;

  c->batches_per_epoch = 1;
  if (train && train->batch > 0) {
    int64_t used = pcn_sched_used_samples(train_samples, train->fraction);
    bool drops_last = false;
    for (int v = 0; v < g->nnodes; v++)
      if (!g->nodes[v].clamp_train && g->nodes[v].init.kind == PCN_INIT_NULL)
        drops_last = true;
    c->batches_per_epoch = drops_last ? used / train->batch
                                      : (used + train->batch - 1) / train->batch;
  }
  c->per_epoch = c->per_update * c->batches_per_epoch;

  if (bp) {
    critical_chain(b, an->level, L, false);
  } else if (c->init > 0) {
    critical_chain(b, fdepth, c->init, true);
  }

  const PcnPhaseVerdict *ev = &an->phase[PCN_PHASE_EVAL];
  if (s->eval_mode == PCN_EVAL_FORWARD) {
    c->eval_init = ev->fw_max_depth;
    c->eval_T = 0;
  } else {
    c->eval_init = sweep_length(g, ev, fdepth);
    c->eval_T = eval ? eval->T : 1;
  }
  c->eval_per_batch = c->eval_init + 2 * (int64_t)c->eval_T;
  free(fdepth);
}

/* ---- the schedule ----------------------------------------------------- */

static int find_readout(const PcnGraph *g, const PcnAnalysis *an, PcnEvalMode mode,
                        bool *generative) {
  *generative = false;
  if (mode == PCN_EVAL_INFERENCE)
    for (int v = 0; v < g->nnodes; v++) {
      const PcnNode *nd = &g->nodes[v];
      if (nd->clamp == PCN_CLAMP_IMAGE && nd->clamp_eval && nd->nin > 0) {
        *generative = true;
        return v;
      }
    }
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    if (nd->clamp == PCN_CLAMP_LABEL && nd->clamp_train) return v;
  }
  /* No label: the last free node in topological order. */
  for (int i = g->nnodes - 1; i >= 0; i--)
    if (!g->nodes[an->topo[i]].clamp_eval) return an->topo[i];
  return -1;
}

PcnSchedule *pcn_schedule_build(PcnArena *a, const PcnGraph *g,
                                const PcnAnalysis *an,
                                const PcnTrainConfig *train,
                                const PcnEvalConfig *eval,
                                int64_t train_samples) {
  PcnSchedule *s = pcn_arena_alloc(a, sizeof *s);
  if (!s) return NULL;
  s->graph = g;
  s->analysis = an;
  s->eval_mode = an->phase[PCN_PHASE_EVAL].eval_mode;
  Builder b = {.a = a, .g = g, .an = an, .s = s};
  bool train_mom = train && train->inference.momentum > 0.0f;
  bool eval_mom = eval && eval->inference.momentum > 0.0f;
  if (!make_buffers(&b, train_mom || eval_mom)) return NULL;

  if (train && train->method == PCN_METHOD_BP && an->is_dag) {
    emit_bp_programs(&b);
  } else {
    emit_init_program(&b, PCN_PHASE_TRAIN);
    program_end(&b, PCN_PROG_TRAIN_INIT);
    emit_step_program(&b, PCN_PHASE_TRAIN, train_mom);
    program_end(&b, PCN_PROG_TRAIN_STEP);
    emit_learn_program(&b);
    program_end(&b, PCN_PROG_TRAIN_LEARN);
  }

  emit_init_program(&b, PCN_PHASE_EVAL);
  program_end(&b, PCN_PROG_EVAL_INIT);
  if (s->eval_mode == PCN_EVAL_INFERENCE) emit_step_program(&b, PCN_PHASE_EVAL, eval_mom);
  program_end(&b, PCN_PROG_EVAL_STEP);
  bool generative = false;
  s->readout_node = find_readout(g, an, s->eval_mode, &generative);
  if (generative) {
    s->smm.eval_readout = emit_generative_readout(&b, s->readout_node);
  } else {
    emit_readout_op(&b, s->readout_node, PCN_BUF_H);
    stage_end(&b, "readout", true);
  }
  program_end(&b, PCN_PROG_EVAL_READOUT);

  count_smms(&b, train, eval, train_samples);
  free(b.ops);
  free(b.stages);
  return b.fail ? NULL : s;
}
