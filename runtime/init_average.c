/* init_average.c - stream-aligned average initialization, PC-I_avg
 * (paper Sec. 4.1, Eq. 7; hybrid with forward, Eq. 10; Algorithm 1).
 *
 *     h_{l,i}^(0,b+1) = C/n * sum over {j in batch b : y_j = y_i} h_{l,j}^(T,b)
 *
 * for every node declared `init average`; nodes declared `forward` are set
 * by the schedule's sweep (Eq. 10, first case). How pcnc reads the paper
 * (docs/initializers.md):
 *
 * - When. end_batch runs after the T-th inference step and before
 *   TRAIN_LEARN (pcn/exec.h), so the means are of h^(T,b), the converged
 *   state the weight update of batch b uses: Algorithm 1 takes the state
 *   after its inference loop, before learning.
 * - Which rows. C/n * sum over the n/C rows of one class in an aligned
 *   batch is the class mean; we divide by the count of rows actually seen,
 *   which is the same for aligned batches and stays a mean when the last
 *   batch of an epoch is short.
 * - Missing classes. A class absent from batch b keeps the mean of the
 *   last batch that had it: the stream of that class continues where it
 *   stopped. Means survive epoch boundaries and evaluation (evaluation
 *   never calls end_batch with the training phase).
 * - No mean yet (first batch, a class never seen, labels unknown): the row
 *   keeps the forward value the schedule's fallback sweep computed, or
 *   zero when the node has no legal forward fallback (docs/language.md).
 *   needs_fallback() tells executors whether that sweep must run at all.
 * - Evaluation never reaches here: pcn_effective_init() replaces `average`
 *   by forward (or zero) outside training, since labels are unknown.
 *
 * Means are kept in double sums per batch and stored as float, one row of
 * size(node) per class. The number of classes C is the size of the
 * label-clamped node (the one-hot target); labels outside [0, C) are
 * treated as unseen classes. Nothing is allocated after attach. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"

typedef struct AvgState {
  int nnodes;
  int classes;        /* C: 0 when the model has no label node */
  int max_batch;
  int *nodes;         /* nodes with an average INIT op in TRAIN_INIT */
  int count;
  bool *has_fallback; /* [nnodes] the schedule sweeps a forward fallback */
  float **mean;       /* [nnodes] C x size, or NULL */
  bool *have;         /* [C] a mean is stored for the class */
  double *sum;        /* C x max size, scratch of end_batch */
  int *rows_of;       /* [C] rows of the class in the batch, scratch */
  int *labels;        /* [max_batch] labels of the current training batch */
  bool labelled;      /* labels were given to begin_batch */
  bool fallback;      /* some row of the current batch has no mean */
  int64_t *seen;      /* [C] `have` as checkpoint integers, scratch */
} AvgState;

static void avg_detach(void *state) {
  AvgState *st = state;
  if (!st) return;
  if (st->mean)
    for (int v = 0; v < st->nnodes; v++) free(st->mean[v]);
  free(st->mean);
  free(st->nodes);
  free(st->has_fallback);
  free(st->have);
  free(st->sum);
  free(st->rows_of);
  free(st->labels);
  free(st->seen);
  free(st);
}

static int avg_attach(PcnPlan *p, void **state, char *err, size_t errlen) {
  const PcnSchedule *s = p->s;
  const PcnGraph *g = p->g;
  int nn = g->nnodes;
  AvgState *st = calloc(1, sizeof *st);
  if (!st) goto oom;
  st->nnodes = nn;
  st->max_batch = p->cfg.max_batch;
  for (int v = 0; v < nn; v++)
    if (g->nodes[v].clamp == PCN_CLAMP_LABEL && g->nodes[v].size > st->classes)
      st->classes = g->nodes[v].size;
  st->nodes = calloc((size_t)nn + 1, sizeof(int));
  st->has_fallback = calloc((size_t)nn + 1, sizeof(bool));
  st->mean = calloc((size_t)nn + 1, sizeof(float *));
  st->have = calloc((size_t)st->classes + 1, sizeof(bool));
  st->rows_of = calloc((size_t)st->classes + 1, sizeof(int));
  st->labels = calloc((size_t)st->max_batch + 1, sizeof(int));
  st->seen = calloc((size_t)st->classes + 1, sizeof(int64_t));
  if (!st->nodes || !st->has_fallback || !st->mean || !st->have || !st->rows_of || !st->labels ||
      !st->seen)
    goto oom;
  /* Only training programs can hold average INIT ops (evaluation uses
   * forward); the fallback sweep is whatever FORWARD_SET the schedule
   * marked as fallback. */
  int maxsize = 1;
  const PcnPhaseProgram *pr = &s->programs[PCN_PROG_TRAIN_INIT];
  for (int si = 0; si < pr->nstages; si++)
    for (int oi = 0; oi < pr->stages[si].nops; oi++) {
      const PcnOp *op = &pr->stages[si].ops[oi];
      if (op->kind == PCN_OP_FORWARD_SET && op->fallback) st->has_fallback[op->node] = true;
      if (op->kind != PCN_OP_INIT || op->init != PCN_INIT_AVERAGE || st->mean[op->node]) continue;
      int size = g->nodes[op->node].size;
      st->mean[op->node] = calloc((size_t)(st->classes ? st->classes : 1) * size, sizeof(float));
      if (!st->mean[op->node]) goto oom;
      st->nodes[st->count++] = op->node;
      if (size > maxsize) maxsize = size;
    }
  st->sum = calloc((size_t)(st->classes ? st->classes : 1) * maxsize, sizeof(double));
  if (!st->sum) goto oom;
  st->fallback = true; /* nothing stored yet */
  *state = st;
  return 0;
oom:
  avg_detach(st);
  snprintf(err, errlen, "out of memory for the state of initializer 'average'");
  return -1;
}

static bool row_has_mean(const AvgState *st, int i) {
  if (!st->labelled) return false;
  int c = st->labels[i];
  return c >= 0 && c < st->classes && st->have[c];
}

static void avg_begin_batch(PcnPlan *p, void *state, PcnPhase phase, int n, const int *labels) {
  (void)p;
  AvgState *st = state;
  if (phase != PCN_PHASE_TRAIN) return;
  st->labelled = labels != NULL;
  if (labels) memcpy(st->labels, labels, (size_t)n * sizeof(int));
  st->fallback = false;
  for (int i = 0; i < n && !st->fallback; i++)
    if (!row_has_mean(st, i)) st->fallback = true;
}


static void avg_init_node(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                          int cols) {
  (void)p;
  AvgState *st = state;
  size_t row = (size_t)cols * sizeof(float);
  for (int i = 0; i < n; i++) {
    float *hi = h + (size_t)i * cols;
    if (phase == PCN_PHASE_TRAIN && st->mean[node] && row_has_mean(st, i))
      memcpy(hi, st->mean[node] + (size_t)st->labels[i] * cols, row);
    else if (!st->has_fallback[node])
      memset(hi, 0, row); /* no forward fallback: zero (docs/language.md) */
    /* else: the fallback sweep already wrote mu into this row */
  }
}

static void avg_end_batch(PcnPlan *p, void *state, PcnPhase phase, int n, const int *labels) {
  AvgState *st = state;
  if (phase != PCN_PHASE_TRAIN || !labels || st->classes == 0) return;
  int C = st->classes;
  memset(st->rows_of, 0, (size_t)C * sizeof(int));
  for (int i = 0; i < n; i++)
    if (labels[i] >= 0 && labels[i] < C) st->rows_of[labels[i]]++;
  for (int k = 0; k < st->count; k++) {
    int v = st->nodes[k];
    int cols = p->g->nodes[v].size;
    const float *h = pcn_plan_node_buffer(p, PCN_BUF_H, v); /* h^(T,b) */
    memset(st->sum, 0, (size_t)C * cols * sizeof(double));
    for (int i = 0; i < n; i++) {
      int c = labels[i];
      if (c < 0 || c >= C) continue;
      double *sc = st->sum + (size_t)c * cols;
      const float *hi = h + (size_t)i * cols;
      for (int j = 0; j < cols; j++) sc[j] += hi[j];
    }
    for (int c = 0; c < C; c++) {
      if (st->rows_of[c] == 0) continue; /* absent class: keep its mean */
      float *mc = st->mean[v] + (size_t)c * cols;
      const double *sc = st->sum + (size_t)c * cols;
      for (int j = 0; j < cols; j++) mc[j] = (float)(sc[j] / st->rows_of[c]);
    }
  }
  for (int c = 0; c < C; c++)
    if (st->rows_of[c] > 0) st->have[c] = true;
}

/* Checkpoint section: "seen" (C ints, the per-class `have` flags) and
 * "mean.NODE" (C x size(NODE)) for every average node. Everything else is
 * per batch and rebuilt by begin_batch. */
static void avg_save_state(PcnPlan *p, void *state, PcnStateWriter *w) {
  AvgState *st = state;
  int C = st->classes;
  for (int c = 0; c < C; c++) st->seen[c] = st->have[c];
  pcn_state_write_ints(w, "seen", C, st->seen);
  char name[300];
  for (int k = 0; k < st->count; k++) {
    int v = st->nodes[k];
    snprintf(name, sizeof name, "mean.%s", p->g->nodes[v].name);
    pcn_state_write_floats(w, name, C, p->g->nodes[v].size, st->mean[v]);
  }
}

static int avg_load_state(PcnPlan *p, void *state, PcnStateReader *r, char *err,
                          size_t errlen) {
  AvgState *st = state;
  (void)err, (void)errlen; /* every mismatch is a name or shape */
  int C = st->classes;
  int rc = pcn_state_read_ints(r, "seen", C, st->seen);
  if (rc == 0 && !pcn_state_reader_checking(r))
    for (int c = 0; c < C; c++) st->have[c] = st->seen[c] != 0;
  char name[300];
  for (int k = 0; k < st->count && rc == 0; k++) {
    int v = st->nodes[k];
    snprintf(name, sizeof name, "mean.%s", p->g->nodes[v].name);
    rc = pcn_state_read_floats(r, name, C, p->g->nodes[v].size, st->mean[v]);
  }
  return rc;
}

static const PcnInitializer init_average = {
    "average",     PCN_INIT_AVERAGE, avg_attach,     avg_detach,    avg_begin_batch,
    avg_init_node, avg_end_batch,    avg_save_state, avg_load_state};

const PcnInitializer *pcn_initializer_average(void) { return &init_average; }

/* Lives here because only this file knows AvgState; plan-wide because
 * fallback ops belong to the schedule, not to one initializer's INIT. */
bool pcn_plan_fallback_active(PcnPlan *p, PcnPhase phase) {
  const PcnInitializer *in = p->inits[PCN_INIT_AVERAGE];
  if (in != &init_average || !p->init_attached[PCN_INIT_AVERAGE]) return true;
  const AvgState *st = p->init_state[PCN_INIT_AVERAGE];
  return phase == PCN_PHASE_TRAIN && st->fallback;
}
