/* init.c - the built-in node initializers: zero, random, null, forward
 * (pcn/exec.h, "Initializers"). `average` and `memory` plug in through
 * PcnPlanConfig.initializers in a later issue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "pcn/memory.h"

/* ---- zero ---------------------------------------------------------------- */

static void zero_init(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                      int cols) {
  (void)p, (void)state, (void)phase, (void)node;
  memset(h, 0, (size_t)n * cols * sizeof(float));
}

static const PcnInitializer init_zero = {"zero", PCN_INIT_ZERO, NULL, NULL, NULL, zero_init, NULL,
                                         NULL,   NULL};

/* ---- random(mean, std) ------------------------------------------------------
 * Draws from the plan's PCN_STREAM_NODE_INIT stream, so weight init and
 * shuffling see the same numbers whether or not a model uses random init. */

static void random_init(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                        int cols) {
  (void)state, (void)phase;
  const PcnInit *in = &p->g->nodes[node].init;
  /* A node that is random only by substitution (not declared so) has no
   * parameters of its own: use the standard normal. */
  double mean = in->kind == PCN_INIT_RANDOM ? in->mean : 0.0;
  double std = in->kind == PCN_INIT_RANDOM ? in->std : 1.0;
  PcnRng *r = pcn_plan_init_rng(p);
  for (size_t i = 0; i < (size_t)n * cols; i++) h[i] = (float)(mean + std * pcn_rng_normal(r));
}

/* Checkpoint section: "rng", the 4 words of the plan's node-init stream,
 * so a resumed run draws what the uninterrupted one would have. */
static void random_save_state(PcnPlan *p, void *state, PcnStateWriter *w) {
  (void)state;
  const PcnRng *r = pcn_plan_init_rng(p);
  int64_t words[4];
  for (int i = 0; i < 4; i++) words[i] = (int64_t)r->s[i];
  pcn_state_write_ints(w, "rng", 4, words);
}

static int random_load_state(PcnPlan *p, void *state, PcnStateReader *r, char *err,
                             size_t errlen) {
  (void)state;
  int64_t words[4] = {0, 0, 0, 0};
  if (pcn_state_read_ints(r, "rng", 4, words)) return -1;
  if (!words[0] && !words[1] && !words[2] && !words[3]) { /* xoshiro's fixed point */
    snprintf(err, errlen, "state 'rng' is all zero");
    return -1;
  }
  if (pcn_state_reader_checking(r)) return 0;
  PcnRng *rng = pcn_plan_init_rng(p);
  for (int i = 0; i < 4; i++) rng->s[i] = (uint64_t)words[i];
  return 0;
}

static const PcnInitializer init_random = {"random", PCN_INIT_RANDOM,   NULL,
                                           NULL,     NULL,              random_init,
                                           NULL,     random_save_state, random_load_state};

/* ---- null: h^(0,b+1) = h^(T,b) -------------------------------------------
 * The state keeps a private copy of h^(T) per phase and node, saved by
 * end_batch: H itself is shared by training and evaluation, so an
 * evaluation between two training batches would otherwise hand the next
 * training batch the evaluation's state. Without a saved copy (the first
 * batch) the node starts at zero; if the caller never calls end_batch,
 * H is kept as it is. */

typedef struct NullState {
  int nnodes;
  int *nodes[PCN_PHASE_COUNT]; /* nodes with a NULL INIT op in the phase */
  int count[PCN_PHASE_COUNT];
  float **saved[PCN_PHASE_COUNT]; /* [nnodes] max_batch x size, or NULL */
  int *saved_rows[PCN_PHASE_COUNT]; /* [nnodes] rows saved, 0 = none */
  char *seen[PCN_PHASE_COUNT];      /* [nnodes] initialized once already */
} NullState;

static void null_detach(void *state) {
  NullState *st = state;
  if (!st) return;
  for (int ph = 0; ph < PCN_PHASE_COUNT; ph++) {
    if (st->saved[ph])
      for (int v = 0; v < st->nnodes; v++) free(st->saved[ph][v]);
    free(st->saved[ph]);
    free(st->saved_rows[ph]);
    free(st->seen[ph]);
    free(st->nodes[ph]);
  }
  free(st);
}

static int null_attach(PcnPlan *p, void **state, char *err, size_t errlen) {
  const PcnSchedule *s = p->s;
  int nn = p->g->nnodes;
  NullState *st = calloc(1, sizeof *st);
  if (!st) goto oom;
  st->nnodes = nn;
  for (int ph = 0; ph < PCN_PHASE_COUNT; ph++) {
    st->saved[ph] = calloc((size_t)nn + 1, sizeof(float *));
    st->saved_rows[ph] = calloc((size_t)nn + 1, sizeof(int));
    st->seen[ph] = calloc((size_t)nn + 1, 1);
    st->nodes[ph] = calloc((size_t)nn + 1, sizeof(int));
    if (!st->saved[ph] || !st->saved_rows[ph] || !st->seen[ph] || !st->nodes[ph]) goto oom;
  }
  for (int pk = 0; pk < PCN_PROG_COUNT; pk++) {
    int ph = pcn_program_phase(pk);
    const PcnPhaseProgram *pr = &s->programs[pk];
    for (int si = 0; si < pr->nstages; si++)
      for (int oi = 0; oi < pr->stages[si].nops; oi++) {
        const PcnOp *op = &pr->stages[si].ops[oi];
        if (op->kind != PCN_OP_INIT || op->init != PCN_INIT_NULL || st->saved[ph][op->node])
          continue;
        size_t count = (size_t)p->cfg.max_batch * p->g->nodes[op->node].size;
        st->saved[ph][op->node] = calloc(count, sizeof(float));
        if (!st->saved[ph][op->node]) goto oom;
        st->nodes[ph][st->count[ph]++] = op->node;
      }
  }
  *state = st;
  return 0;
oom:
  null_detach(st);
  snprintf(err, errlen, "out of memory for the state of initializer 'null'");
  return -1;
}

static void null_init(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                      int cols) {
  (void)p;
  NullState *st = state;
  size_t row = (size_t)cols * sizeof(float);
  if (!st->seen[phase][node]) {
    st->seen[phase][node] = 1;
    memset(h, 0, (size_t)n * row);
    return;
  }
  int have = st->saved_rows[phase][node];
  if (have == 0) return; /* no end_batch: keep H */
  int keep = have < n ? have : n;
  memcpy(h, st->saved[phase][node], (size_t)keep * row);
  /* Rows the previous (smaller) batch did not have start at zero. */
  if (keep < n) memset(h + (size_t)keep * cols, 0, (size_t)(n - keep) * row);
}

static void null_end_batch(PcnPlan *p, void *state, PcnPhase phase, int n, const int *labels) {
  (void)labels;
  NullState *st = state;
  for (int i = 0; i < st->count[phase]; i++) {
    int v = st->nodes[phase][i];
    const float *h = pcn_plan_node_buffer(p, PCN_BUF_H, v);
    memcpy(st->saved[phase][v], h, (size_t)n * p->g->nodes[v].size * sizeof(float));
    st->saved_rows[phase][v] = n;
  }
}

/* Checkpoint section, per phase ("train", "eval") and node with a NULL
 * INIT op: "PHASE.NODE.seen" (initialized once already) and, when a state
 * was saved, "PHASE.NODE" with the saved rows (at most the plan's batch,
 * so a resumed run may use another batch size). */
static const char *const phase_names[PCN_PHASE_COUNT] = {"train", "eval"};

static void null_save_state(PcnPlan *p, void *state, PcnStateWriter *w) {
  NullState *st = state;
  char name[300];
  for (int ph = 0; ph < PCN_PHASE_COUNT; ph++)
    for (int i = 0; i < st->count[ph]; i++) {
      int v = st->nodes[ph][i];
      const char *nm = p->g->nodes[v].name;
      snprintf(name, sizeof name, "%s.%s.seen", phase_names[ph], nm);
      pcn_state_write_int(w, name, st->seen[ph][v]);
      if (st->saved_rows[ph][v] == 0) continue;
      snprintf(name, sizeof name, "%s.%s", phase_names[ph], nm);
      pcn_state_write_floats(w, name, st->saved_rows[ph][v], p->g->nodes[v].size,
                             st->saved[ph][v]);
    }
}

static int null_load_state(PcnPlan *p, void *state, PcnStateReader *r, char *err,
                           size_t errlen) {
  NullState *st = state;
  char name[300];
  for (int ph = 0; ph < PCN_PHASE_COUNT; ph++)
    for (int i = 0; i < st->count[ph]; i++) {
      int v = st->nodes[ph][i], size = p->g->nodes[v].size;
      const char *nm = p->g->nodes[v].name;
      int64_t seen = 0;
      snprintf(name, sizeof name, "%s.%s.seen", phase_names[ph], nm);
      if (pcn_state_read_int(r, name, &seen)) return -1;
      snprintf(name, sizeof name, "%s.%s", phase_names[ph], nm);
      int rows = 0, cols = 0;
      if (pcn_state_record_shape(r, name, &rows, &cols) == 0) {
        if (rows < 1 || rows > p->cfg.max_batch) {
          snprintf(err, errlen, "state '%s' has %d rows, the batch holds at most %d", name,
                   rows, p->cfg.max_batch);
          return -1;
        }
        if (pcn_state_read_floats(r, name, rows, size, st->saved[ph][v])) return -1;
      }
      if (pcn_state_reader_checking(r)) continue;
      st->seen[ph][v] = seen != 0;
      st->saved_rows[ph][v] = rows;
    }
  return 0;
}

static const PcnInitializer init_null = {"null",          PCN_INIT_NULL,  null_attach,
                                         null_detach,     NULL,           null_init,
                                         null_end_batch,  null_save_state, null_load_state};

/* ---- forward -----------------------------------------------------------------
 * The schedule's FORWARD_SET sweep computes h = mu in topological order;
 * the INIT op only marks the node. */

static void forward_init(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                         int cols) {
  (void)p, (void)state, (void)phase, (void)node, (void)h, (void)n, (void)cols;
}

static const PcnInitializer init_forward = {"forward", PCN_INIT_FORWARD, NULL, NULL,
                                            NULL,      forward_init,     NULL,
                                            NULL,      NULL};

const PcnInitializer *pcn_initializer_builtin(PcnInitKind kind) {
  switch (kind) {
  case PCN_INIT_ZERO: return &init_zero;
  case PCN_INIT_RANDOM: return &init_random;
  case PCN_INIT_NULL: return &init_null;
  case PCN_INIT_FORWARD: return &init_forward;
  case PCN_INIT_MEMORY: return pcn_initializer_memory(); /* init_memory.c */
  default: return NULL; /* average: plugged in through PcnPlanConfig */
  }
}
