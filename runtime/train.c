/* train.c - the training loop (pcn/train.h): data, plan, epochs of batches,
 * evaluation, epoch lines, JSON Lines log, checkpoints, divergence. */
#include "pcn/train.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pcn/checkpoint.h"
#include "pcn/data.h"
#include "pcn/memory.h"

struct PcnTrainer {
  PcnTrainSpec spec;
  PcnTrainOptions opt;
  const PcnDataset *eval_ds;
  PcnDataSplit train, test;     /* test is empty without an eval block */
  int *rows, nrows;             /* training rows kept by the fraction */
  double data_seconds, plan_seconds; /* in pcn_trainer_new (PcnTrainInfo) */
  PcnSampler *smp;              /* training batches */
  PcnSampler *eval_smp;         /* sequential test batches, or NULL */
  PcnPlan *plan;
  int max_batch;
  bool drop_last;
  int start_epoch;              /* epoch stored in a loaded checkpoint */
  /* Gather buffers, max_batch rows each: allocated once, so the batch
   * loop never allocates. */
  float *x, *onehot;
  int *labels;
  /* Clamped nodes per phase, with what they are clamped to. */
  int *clamp_nodes[PCN_PHASE_COUNT];
  int nclamp[PCN_PHASE_COUNT];
  /* Epoch accumulators: sum over batches of per-sample energies. */
  double *node_sum;             /* [nnodes] */
  double *node_mean;            /* [nnodes] what PcnEpochStats points to */
  /* Eq. 9 loss per memory: sum over the epoch's batches, and its mean. */
  double *mem_sum, *mem_mean;   /* [nmemories] */
  int *mem_batches;             /* [nmemories] batches with a loss */
  /* Extra evaluations (PcnTrainOptions.eval_T), sorted ascending. */
  int eval_T[PCN_MAX_EVAL_T];
  int n_eval_T;
  double test_at_T[PCN_MAX_EVAL_T];
  /* The node-init random stream as the last pcn_trainer_evaluate found
   * it: pcn_trainer_evaluate_T starts from it. */
  PcnRng eval_rng0;
  bool have_eval_rng0;
  FILE *log;
  bool progress;
  double progress_last;         /* time of the last progress redraw */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

PcnTrainOptions pcn_train_options_default(void) {
  PcnTrainOptions o;
  memset(&o, 0, sizeof o);
  o.progress = -1;
  return o;
}

void pcn_train_set_threads(int n) {
  if (n >= 1) openblas_set_num_threads(n);
}

void pcn_trainer_free(PcnTrainer *t) {
  if (!t) return;
  pcn_plan_destroy(t->plan);
  pcn_sampler_free(t->smp);
  pcn_sampler_free(t->eval_smp);
  pcn_data_free(&t->train);
  pcn_data_free(&t->test);
  free(t->rows);
  free(t->x);
  free(t->onehot);
  free(t->labels);
  for (int ph = 0; ph < PCN_PHASE_COUNT; ph++) free(t->clamp_nodes[ph]);
  free(t->node_sum);
  free(t->node_mean);
  free(t->mem_sum);
  free(t->mem_mean);
  free(t->mem_batches);
  if (t->log) fclose(t->log);
  free(t);
}

/* Collects the nodes clamped in `phase` and checks that the data can fill
 * them: an image node needs exactly the split's feature count, a label
 * node the class count. */
static int collect_clamps(PcnTrainer *t, PcnPhase phase,
                          const PcnDataSplit *split, const PcnDataset *ds,
                          char *err, size_t errlen) {
  const PcnGraph *g = t->spec.graph;
  t->clamp_nodes[phase] = malloc(sizeof(int) * (size_t)(g->nnodes + 1));
  if (!t->clamp_nodes[phase]) {
    set_err(err, errlen, "out of memory");
    return -1;
  }
  for (int i = 0; i < g->nnodes; i++) {
    const PcnNode *v = &g->nodes[i];
    if (!pcn_node_clamped(v, phase) || v->clamp == PCN_CLAMP_NONE) continue;
    if (v->clamp == PCN_CLAMP_IMAGE && v->size != split->d) {
      set_err(err, errlen, "node '%s' has %d elements but dataset '%s' has %d "
              "features per sample", v->name, v->size, ds->name, split->d);
      return -1;
    }
    if (v->clamp == PCN_CLAMP_LABEL) {
      if (split->classes == 0 || !split->y) {
        set_err(err, errlen, "node '%s' is clamped to the label but dataset "
                "'%s' has no labels", v->name, ds->name);
        return -1;
      }
      if (v->size != split->classes) {
        set_err(err, errlen, "node '%s' has %d elements but dataset '%s' has "
                "%d classes", v->name, v->size, ds->name, split->classes);
        return -1;
      }
    }
    t->clamp_nodes[phase][t->nclamp[phase]++] = i;
  }
  return 0;
}

/* Inserts v into the ascending list (*n entries); -1 when v is there. */
static int eval_T_insert(int *list, int *n, int v) {
  int k = *n;
  while (k > 0 && list[k - 1] > v) k--;
  if (k > 0 && list[k - 1] == v) return -1;
  memmove(list + k + 1, list + k, (size_t)(*n - k) * sizeof *list);
  list[k] = v;
  (*n)++;
  return 0;
}

PcnTrainer *pcn_trainer_new(const PcnTrainSpec *spec,
                            const PcnTrainOptions *opt, char *err,
                            size_t errlen) {
  if (!spec || !spec->graph || !spec->analysis || !spec->schedule ||
      !spec->train || !spec->train_data) {
    set_err(err, errlen, "pcn_trainer_new: incomplete training spec");
    return NULL;
  }
  PcnTrainer *t = calloc(1, sizeof *t);
  if (!t) {
    set_err(err, errlen, "out of memory");
    return NULL;
  }
  t->spec = *spec;
  t->opt = opt ? *opt : pcn_train_options_default();
  const PcnGraph *g = spec->graph;
  const PcnTrainConfig *tc = spec->train;
  const PcnEvalConfig *ec = spec->eval;
  t->eval_ds = spec->eval_data ? spec->eval_data : spec->train_data;

  /* Extra evaluation step counts: checked, then kept sorted. */
  if (t->opt.n_eval_T > 0) {
    if (t->opt.n_eval_T > PCN_MAX_EVAL_T || !t->opt.eval_T) {
      set_err(err, errlen, "at most %d extra evaluation step counts",
              PCN_MAX_EVAL_T);
      goto fail;
    }
    if (pcn_eval_T_supported(g, spec->schedule, ec, err, errlen) != 0)
      goto fail;
    for (int i = 0; i < t->opt.n_eval_T; i++) {
      int v = t->opt.eval_T[i];
      if (v < 1 || v > PCN_MAX_STEPS) {
        set_err(err, errlen, "evaluation step count %d is not in [1, %d]", v,
                PCN_MAX_STEPS);
        goto fail;
      }
      if (eval_T_insert(t->eval_T, &t->n_eval_T, v) != 0) {
        set_err(err, errlen, "evaluation step count %d is given twice", v);
        goto fail;
      }
    }
  }
  t->opt.eval_T = NULL; /* the caller's array need not outlive the call */
  t->opt.n_eval_T = 0;

  /* Data. Both splits use the train block's seed, which synthetic sets
   * need to draw train and test from one distribution. */
  double t0 = now_seconds();
  if (pcn_data_load(spec->train_data, PCN_PART_TRAIN, spec->data_dir,
                    tc->seed, &t->train, err, errlen) != 0)
    goto fail;
  if (ec && pcn_data_load(t->eval_ds, PCN_PART_TEST, spec->data_dir, tc->seed,
                          &t->test, err, errlen) != 0)
    goto fail;
  t->data_seconds = now_seconds() - t0;
  if (collect_clamps(t, PCN_PHASE_TRAIN, &t->train, spec->train_data, err,
                     errlen) != 0)
    goto fail;
  if (ec && collect_clamps(t, PCN_PHASE_EVAL, &t->test, t->eval_ds, err,
                           errlen) != 0)
    goto fail;
  if (ec && ec->metric == PCN_METRIC_ACCURACY && !t->test.y) {
    set_err(err, errlen, "metric accuracy needs labels, but the test split of "
            "'%s' has none", t->eval_ds->name);
    goto fail;
  }
  if (ec && ec->metric == PCN_METRIC_MSE) {
    const PcnNode *r = &g->nodes[spec->schedule->readout_node];
    if (r->clamp == PCN_CLAMP_NONE) {
      set_err(err, errlen, "metric mse compares node '%s' with data, but it is "
              "not clamped to any data field", r->name);
      goto fail;
    }
  }

  if (pcn_data_fraction(&t->train, tc->fraction, tc->seed, &t->rows,
                        &t->nrows, err, errlen) != 0)
    goto fail;

  /* `init null` carries each row's state to the same row of the next
   * batch: a smaller last batch would leave rows without one. */
  for (int i = 0; i < g->nnodes; i++)
    if (!pcn_node_clamped(&g->nodes[i], PCN_PHASE_TRAIN) &&
        pcn_effective_init(g, spec->analysis, i, PCN_PHASE_TRAIN) ==
            PCN_INIT_NULL)
      t->drop_last = true;
  t->smp = pcn_sampler_new(&t->train, t->rows, t->nrows,
                           tc->sampling == PCN_SAMPLE_ALIGNED
                               ? PCN_SAMPLER_ALIGNED
                               : PCN_SAMPLER_SHUFFLED,
                           tc->batch, t->drop_last, tc->seed, err, errlen);
  if (!t->smp) goto fail;
  if (pcn_sampler_batches(t->smp) < 1) {
    set_err(err, errlen, "no full batch of %d among the %d training samples",
            tc->batch, t->nrows);
    goto fail;
  }
  t->max_batch = tc->batch;
  if (ec) {
    int eb = ec->batch > 0 ? ec->batch : tc->batch;
    t->eval_smp = pcn_sampler_new(&t->test, NULL, 0, PCN_SAMPLER_SEQUENTIAL,
                                  eb, false, tc->seed, err, errlen);
    if (!t->eval_smp) goto fail;
    if (eb > t->max_batch) t->max_batch = eb;
  }

  PcnPlanConfig pc = pcn_plan_config_default();
  pc.max_batch = t->max_batch;
  pc.train_inference = tc->inference;
  if (ec) pc.eval_inference = ec->inference;
  pc.learning = tc->learning;
  pc.seed = tc->seed;
  pc.backend = t->opt.backend;
  for (int k = 0; k < PCN_INIT_COUNT; k++)
    pc.initializers[k] = t->opt.initializers[k];
  /* `average` (Eq. 7/10) is part of the runtime; a caller may still plug
   * in its own. */
  if (!pc.initializers[PCN_INIT_AVERAGE])
    pc.initializers[PCN_INIT_AVERAGE] = pcn_initializer_average();
  t0 = now_seconds();
  t->plan = pcn_plan_create(spec->schedule, &pc, err, errlen);
  t->plan_seconds = now_seconds() - t0;
  if (!t->plan) goto fail;
  if (t->opt.load_path &&
      pcn_checkpoint_load(t->plan, t->opt.load_path, g->name, &t->start_epoch,
                          err, errlen) != 0)
    goto fail;

  int d = t->train.d > t->test.d ? t->train.d : t->test.d;
  int c = t->train.classes > t->test.classes ? t->train.classes
                                             : t->test.classes;
  t->x = malloc(sizeof(float) * (size_t)t->max_batch * (size_t)(d > 0 ? d : 1));
  t->onehot =
      malloc(sizeof(float) * (size_t)t->max_batch * (size_t)(c > 0 ? c : 1));
  t->labels = malloc(sizeof(int) * (size_t)t->max_batch);
  t->node_sum = calloc((size_t)g->nnodes + 1, sizeof(double));
  t->node_mean = calloc((size_t)g->nnodes + 1, sizeof(double));
  t->mem_sum = calloc((size_t)g->nmemories + 1, sizeof(double));
  t->mem_mean = calloc((size_t)g->nmemories + 1, sizeof(double));
  t->mem_batches = calloc((size_t)g->nmemories + 1, sizeof(int));
  if (!t->x || !t->onehot || !t->labels || !t->node_sum || !t->node_mean ||
      !t->mem_sum || !t->mem_mean || !t->mem_batches) {
    set_err(err, errlen, "out of memory");
    goto fail;
  }

  if (t->opt.log_path) {
    /* Resuming appends, so one file tells the whole story of a model. */
    t->log = fopen(t->opt.log_path, t->opt.load_path ? "a" : "w");
    if (!t->log) {
      set_err(err, errlen, "%s: cannot write the log: %s", t->opt.log_path,
              strerror(errno));
      goto fail;
    }
  }
  t->progress = t->opt.progress < 0 ? isatty(STDERR_FILENO) != 0
                                    : t->opt.progress > 0;
  return t;
fail:
  pcn_trainer_free(t);
  return NULL;
}

void pcn_trainer_info(const PcnTrainer *t, PcnTrainInfo *info) {
  memset(info, 0, sizeof *info);
  info->train_rows = t->nrows;
  info->train_total = t->train.n;
  info->test_rows = t->eval_smp ? t->test.n : 0;
  info->batches_per_epoch = pcn_sampler_batches(t->smp);
  info->unused_per_epoch = pcn_sampler_unused(t->smp);
  info->start_epoch = t->start_epoch;
  info->drop_last = t->drop_last;
  info->data_seconds = t->data_seconds;
  info->plan_seconds = t->plan_seconds;
}

PcnPlan *pcn_trainer_plan(PcnTrainer *t) { return t->plan; }

/* Fills the H buffers of the nodes clamped in `phase` from the gathered
 * rows. */
static int set_clamps(PcnTrainer *t, PcnPhase phase, int n) {
  const PcnGraph *g = t->spec.graph;
  for (int k = 0; k < t->nclamp[phase]; k++) {
    int v = t->clamp_nodes[phase][k];
    const float *src = g->nodes[v].clamp == PCN_CLAMP_IMAGE ? t->x : t->onehot;
    if (pcn_plan_set_clamp(t->plan, v, src, n) != 0) return -1;
  }
  return 0;
}

static int plan_fail(PcnTrainer *t, char *err, size_t errlen) {
  set_err(err, errlen, "%s", pcn_plan_error(t->plan));
  return -1;
}

/* One evaluation batch of n rows already gathered: clamps, EVAL_INIT,
 * `steps` EVAL_STEPs (0 in forward mode), EVAL_READOUT. No labels reach the
 * initializers: evaluation must not see them. 0, or -1 with the plan's
 * error set (report it with plan_fail). */
static int eval_batch(PcnTrainer *t, int n, int steps) {
  PcnPlan *p = t->plan;
  if (set_clamps(t, PCN_PHASE_EVAL, n) != 0 ||
      pcn_plan_begin_batch(p, PCN_PHASE_EVAL, n, NULL) != 0 ||
      pcn_exec_run(p, PCN_PROG_EVAL_INIT, n) != 0)
    return -1;
  for (int k = 0; k < steps; k++)
    if (pcn_exec_run(p, PCN_PROG_EVAL_STEP, n) != 0) return -1;
  if (pcn_plan_end_batch(p, PCN_PHASE_EVAL, n, NULL) != 0 ||
      pcn_exec_run(p, PCN_PROG_EVAL_READOUT, n) != 0)
    return -1;
  return 0;
}

/* One training batch: clamps, initialization, T inference steps, learning. */
static int train_batch(PcnTrainer *t, const int *idx, int n, char *err,
                       size_t errlen) {
  const PcnTrainConfig *tc = t->spec.train;
  bool labelled = t->train.y != NULL;
  if (pcn_data_gather(&t->train, idx, n, t->x, labelled ? t->onehot : NULL,
                      t->labels) != 0) {
    set_err(err, errlen, "batch row outside the training split");
    return -1;
  }
  if (set_clamps(t, PCN_PHASE_TRAIN, n) != 0) return plan_fail(t, err, errlen);
  const int *lab = labelled ? t->labels : NULL;
  PcnPlan *p = t->plan;
  if (pcn_plan_begin_batch(p, PCN_PHASE_TRAIN, n, lab) != 0 ||
      pcn_exec_run(p, PCN_PROG_TRAIN_INIT, n) != 0)
    return plan_fail(t, err, errlen);
  /* Backprop schedules do all their work in INIT and LEARN. */
  int steps = tc->method == PCN_METHOD_PC ? tc->T : 0;
  for (int s = 0; s < steps; s++)
    if (pcn_exec_run(p, PCN_PROG_TRAIN_STEP, n) != 0)
      return plan_fail(t, err, errlen);
  if (pcn_plan_end_batch(p, PCN_PHASE_TRAIN, n, lab) != 0 ||
      pcn_exec_run(p, PCN_PROG_TRAIN_LEARN, n) != 0)
    return plan_fail(t, err, errlen);
  return 0;
}

/* One pass over the test split with `steps` inference steps (0 for a
 * forward-pass evaluation). */
static int evaluate_steps(PcnTrainer *t, int steps, double *accuracy,
                          double *loss, char *err, size_t errlen) {
  const PcnEvalConfig *ec = t->spec.eval;
  const PcnSchedule *s = t->spec.schedule;
  if (!ec || !t->eval_smp) {
    set_err(err, errlen, "the model has no evaluate block");
    return -1;
  }
  PcnPlan *p = t->plan;
  const PcnNode *rnode = &t->spec.graph->nodes[s->readout_node];
  bool labelled = t->test.y != NULL;
  int64_t correct = 0, seen = 0;
  double sq = 0.0;
  int64_t elems = 0;
  const int *idx;
  int n;
  pcn_sampler_begin_epoch(t->eval_smp, 0);
  while ((n = pcn_sampler_next(t->eval_smp, &idx)) > 0) {
    if (pcn_data_gather(&t->test, idx, n, t->x, labelled ? t->onehot : NULL,
                        t->labels) != 0) {
      set_err(err, errlen, "batch row outside the test split");
      return -1;
    }
    if (eval_batch(t, n, steps) != 0) return plan_fail(t, err, errlen);
    int cols = 0;
    const float *out = pcn_plan_readout(p, &cols);
    if (!out) {
      set_err(err, errlen, "EVAL_READOUT produced no prediction");
      return -1;
    }
    if (ec->metric == PCN_METRIC_ACCURACY) {
      for (int i = 0; i < n; i++) {
        const float *row = out + (size_t)i * (size_t)cols;
        int best = 0;
        for (int j = 1; j < cols; j++)
          if (row[j] > row[best]) best = j;
        correct += best == t->labels[i];
      }
      seen += n;
    } else {
      /* Reconstruction (or any mse): compare with the data field the
       * readout node is tied to. */
      const float *target =
          rnode->clamp == PCN_CLAMP_IMAGE ? t->x : t->onehot;
      int tcols = rnode->clamp == PCN_CLAMP_IMAGE ? t->test.d : t->test.classes;
      if (tcols != cols) {
        set_err(err, errlen, "readout of node '%s' has %d columns, the data "
                "has %d", rnode->name, cols, tcols);
        return -1;
      }
      for (size_t i = 0; i < (size_t)n * (size_t)cols; i++) {
        double dlt = (double)out[i] - (double)target[i];
        sq += dlt * dlt;
      }
      elems += (int64_t)n * cols;
    }
  }
  if (accuracy)
    *accuracy = seen > 0 ? 100.0 * (double)correct / (double)seen : NAN;
  if (loss) *loss = elems > 0 ? sq / (double)elems : NAN;
  return 0;
}

int pcn_trainer_evaluate(PcnTrainer *t, double *accuracy, double *loss,
                         char *err, size_t errlen) {
  const PcnEvalConfig *ec = t->spec.eval;
  int steps = ec && t->spec.schedule->eval_mode == PCN_EVAL_INFERENCE ? ec->T
                                                                      : 0;
  t->eval_rng0 = *pcn_plan_init_rng(t->plan);
  t->have_eval_rng0 = true;
  return evaluate_steps(t, steps, accuracy, loss, err, errlen);
}

int pcn_eval_T_supported(const PcnGraph *g, const PcnSchedule *s,
                         const PcnEvalConfig *eval, char *err,
                         size_t errlen) {
  if (!eval) {
    set_err(err, errlen, "model '%s' has no evaluate block", g->name);
    return -1;
  }
  if (s->eval_mode != PCN_EVAL_INFERENCE) {
    set_err(err, errlen, "model '%s' is evaluated by a single forward pass "
            "(forward initialization from its clamped inputs, no inference "
            "steps), so the number of evaluation steps does not change its "
            "evaluation", g->name);
    return -1;
  }
  const PcnPhaseProgram *pr = &s->programs[PCN_PROG_EVAL_INIT];
  for (int si = 0; si < pr->nstages; si++)
    for (int oi = 0; oi < pr->stages[si].nops; oi++) {
      const PcnOp *op = &pr->stages[si].ops[oi];
      if (op->kind == PCN_OP_INIT && op->init == PCN_INIT_NULL) {
        set_err(err, errlen, "node '%s' uses init null in evaluation: each "
                "test batch starts from the previous one's h^(T), so extra "
                "passes at other step counts would change the main one",
                g->nodes[op->node].name);
        return -1;
      }
    }
  return 0;
}

int pcn_eval_T_parse(const char *list, int *out, char *err, size_t errlen) {
  int n = 0;
  const char *s = list ? list : "";
  for (;;) {
    const char *e = strchr(s, ',');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    char item[24], *end;
    if (len == 0 || len >= sizeof item) {
      set_err(err, errlen, "'%s': expected integers >= 1 separated by "
              "commas, e.g. 3,5,10,20", list ? list : "");
      return -1;
    }
    memcpy(item, s, len);
    item[len] = '\0';
    errno = 0;
    long v = strtol(item, &end, 10);
    if (errno || *end || item[0] < '0' || item[0] > '9' || v < 1 ||
        v > PCN_MAX_STEPS) {
      set_err(err, errlen, "'%s': '%s' is not an integer in [1, %d]", list,
              item, PCN_MAX_STEPS);
      return -1;
    }
    if (n == PCN_MAX_EVAL_T) {
      set_err(err, errlen, "'%s': at most %d values", list, PCN_MAX_EVAL_T);
      return -1;
    }
    if (eval_T_insert(out, &n, (int)v) != 0) {
      set_err(err, errlen, "'%s': %ld is given twice", list, v);
      return -1;
    }
    if (!e) break;
    s = e + 1;
  }
  return n;
}

int pcn_trainer_evaluate_T(PcnTrainer *t, int T, double *accuracy,
                           double *loss, char *err, size_t errlen) {
  if (pcn_eval_T_supported(t->spec.graph, t->spec.schedule, t->spec.eval,
                           err, errlen) != 0)
    return -1;
  if (T < 1) {
    set_err(err, errlen, "evaluation steps must be at least 1, not %d", T);
    return -1;
  }
  /* `random` initializers draw from the plan's node-init stream, which
   * training shares. Start from where the last main evaluation started,
   * so every step count sees the same h^(0) draws (and the main T gives
   * the main result), then put the stream back so the extra pass changes
   * nothing that follows it. */
  PcnRng *rng = pcn_plan_init_rng(t->plan);
  PcnRng saved = *rng;
  if (t->have_eval_rng0) *rng = t->eval_rng0;
  int rc = evaluate_steps(t, T, accuracy, loss, err, errlen);
  *rng = saved;
  return rc;
}

/* The first n test samples through evaluation, for pictures: the data
 * the readout node is compared with, and the readout (the reconstruction
 * of a generative model). Same programs as pcn_trainer_evaluate. */
int pcn_trainer_reconstruct(PcnTrainer *t, int n, float *data, float *pred,
                            int *cols, char *err, size_t errlen) {
  const PcnEvalConfig *ec = t->spec.eval;
  const PcnSchedule *s = t->spec.schedule;
  if (!ec || !t->eval_smp) {
    set_err(err, errlen, "the model has no evaluate block");
    return -1;
  }
  if (n > t->test.n) n = t->test.n;
  if (n > t->max_batch) n = t->max_batch;
  if (n < 1) {
    set_err(err, errlen, "the test split is empty");
    return -1;
  }
  const PcnNode *rnode = &t->spec.graph->nodes[s->readout_node];
  if (rnode->clamp != PCN_CLAMP_IMAGE) {
    set_err(err, errlen, "node '%s' (the readout) is not an image", rnode->name);
    return -1;
  }
  int *idx = malloc(sizeof(int) * (size_t)n);
  if (!idx) {
    set_err(err, errlen, "out of memory");
    return -1;
  }
  for (int i = 0; i < n; i++) idx[i] = i;
  bool labelled = t->test.y != NULL;
  int grc = pcn_data_gather(&t->test, idx, n, t->x,
                            labelled ? t->onehot : NULL, t->labels);
  free(idx);
  if (grc != 0) {
    set_err(err, errlen, "batch row outside the test split");
    return -1;
  }
  PcnPlan *p = t->plan;
  int steps = s->eval_mode == PCN_EVAL_INFERENCE ? ec->T : 0;
  if (eval_batch(t, n, steps) != 0) return plan_fail(t, err, errlen);
  int oc = 0;
  const float *out = pcn_plan_readout(p, &oc);
  if (!out || oc != t->test.d) {
    set_err(err, errlen, "the readout does not match the images");
    return -1;
  }
  memcpy(data, t->x, sizeof(float) * (size_t)n * (size_t)oc);
  memcpy(pred, out, sizeof(float) * (size_t)n * (size_t)oc);
  *cols = oc;
  return n;
}

/* ---- output ---------------------------------------------------------- */

static int digits(int v) {
  int d = 1;
  while (v >= 10) {
    v /= 10;
    d++;
  }
  return d;
}

static void print_epoch(FILE *f, const PcnEpochStats *st) {
  fprintf(f, "epoch %*d/%d  train_energy %.4f", digits(st->last_epoch),
          st->epoch, st->last_epoch, st->train_energy);
  if (!st->evaluated)
    ;
  else if (st->classification)
    fprintf(f, "  test_accuracy %.2f%%", st->test_accuracy);
  else
    fprintf(f, "  test_mse %.5f", st->test_loss);
  for (int i = 0; i < st->n_eval_T; i++) {
    if (i == 0) fputs(st->classification ? "  acc@T" : "  mse@T", f);
    if (st->classification)
      fprintf(f, " %d:%.2f%%", st->eval_T[i], st->test_at_T[i]);
    else
      fprintf(f, " %d:%.5f", st->eval_T[i], st->test_at_T[i]);
  }
  fprintf(f, "  smm %.2e  %.1fs%s\n", (double)st->smm, st->seconds,
          st->interrupted ? "  (interrupted)" : "");
  fflush(f);
}

/* JSON numbers cannot be NaN or Inf: those become null. */
static void json_num(FILE *f, double v) {
  if (isfinite(v))
    fprintf(f, "%.9g", v);
  else
    fputs("null", f);
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static int log_epoch(PcnTrainer *t, const PcnEpochStats *st, char *err,
                     size_t errlen) {
  FILE *f = t->log;
  const PcnGraph *g = t->spec.graph;
  const PcnTrainConfig *tc = t->spec.train;
  fprintf(f, "{\"epoch\":%d,\"train_energy\":", st->epoch);
  json_num(f, st->train_energy);
  if (st->evaluated) {
    fputs(st->classification ? ",\"test_accuracy\":" : ",\"test_loss\":", f);
    json_num(f, st->classification ? st->test_accuracy : st->test_loss);
    /* {"3":0.037,"5":0.036}: the metric at each extra step count. */
    for (int i = 0; i < st->n_eval_T; i++) {
      if (i == 0)
        fputs(st->classification ? ",\"test_accuracy_at_T\":{"
                                 : ",\"test_loss_at_T\":{", f);
      fprintf(f, "%s\"%d\":", i ? "," : "", st->eval_T[i]);
      json_num(f, st->test_at_T[i]);
      if (i == st->n_eval_T - 1) fputc('}', f);
    }
  }
  fprintf(f, ",\"smm\":%lld,\"seconds\":", (long long)st->smm);
  json_num(f, st->seconds);
  fputs(",\"node_energy\":{", f);
  bool first = true;
  for (int i = 0; i < g->nnodes; i++) {
    if (g->nodes[i].nin == 0) continue; /* roots have no energy term */
    if (!first) fputc(',', f);
    first = false;
    json_str(f, g->nodes[i].name);
    fputc(':', f);
    json_num(f, st->node_energy[i]);
  }
  fputc('}', f);
  /* Eq. 9's loss (mean over the epoch's batches) of each memory in use:
   * 0 means h^(T) == h^(0) on the memory's targets, so it learned nothing. */
  first = true;
  for (int m = 0; m < g->nmemories; m++) {
    if (!isfinite(st->memory_loss[m])) continue;
    fputs(first ? ",\"memory_loss\":{" : ",", f);
    first = false;
    json_str(f, g->memories[m].name);
    fputc(':', f);
    json_num(f, st->memory_loss[m]);
  }
  if (!first) fputc('}', f);
  fprintf(f, ",\"T\":%d,\"batch\":%d,\"seed\":%llu,\"interrupted\":%s}\n",
          tc->T, tc->batch, (unsigned long long)tc->seed,
          st->interrupted ? "true" : "false");
  if (fflush(f) != 0 || ferror(f)) {
    set_err(err, errlen, "%s: error writing the log", t->opt.log_path);
    return -1;
  }
  return 0;
}

/* A one-line bar on stderr, redrawn at most 10 times a second. */
static void progress(PcnTrainer *t, int epoch, int last, int done, int total,
                     double energy) {
  double now = now_seconds();
  if (done < total && now - t->progress_last < 0.1) return;
  t->progress_last = now;
  char bar[31];
  int fill = total > 0 ? (int)((long long)done * 30 / total) : 30;
  for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
  bar[30] = '\0';
  fprintf(stderr, "\r\033[Kepoch %d/%d [%s] %d/%d  F %.4f", epoch, last, bar,
          done, total, energy);
  fflush(stderr);
}

static void progress_clear(PcnTrainer *t) {
  if (!t->progress) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
}

/* ---- the loop -------------------------------------------------------- */

static bool stop_requested(const PcnTrainer *t) {
  return t->opt.stop && *t->opt.stop;
}

/* The first node whose energy is not finite, or -1. */
static int nonfinite_node(const PcnTrainer *t) {
  const PcnGraph *g = t->spec.graph;
  for (int i = 0; i < g->nnodes; i++)
    if (!isfinite(pcn_plan_node_energy(t->plan, i))) return i;
  return -1;
}

/* The first parameter buffer holding a NaN or Inf, or -1. Energies catch
 * divergence within a batch; this catches the last optimizer step of an
 * epoch, whose effect no energy has seen yet, before it is checkpointed. */
static int nonfinite_param(PcnTrainer *t) {
  const PcnSchedule *s = t->spec.schedule;
  int np = pcn_plan_nparams(t->plan);
  for (int i = 0; i < np; i++) {
    int b = pcn_plan_param_buffer(t->plan, i);
    const float *x = pcn_plan_buffer(t->plan, b);
    size_t count = (size_t)s->buffers[b].rows * (size_t)s->buffers[b].cols;
    for (size_t k = 0; k < count; k++)
      if (!isfinite(x[k])) return b;
  }
  return -1;
}

void pcn_blowup_guard_init(PcnBlowupGuard *g) {
  g->smooth = 0.0;
  g->lowest = INFINITY;
  g->batches = 0;
}

double pcn_blowup_guard_level(const PcnBlowupGuard *g) {
  return g->lowest > PCN_BLOWUP_FLOOR ? g->lowest : PCN_BLOWUP_FLOOR;
}

bool pcn_blowup_guard_check(PcnBlowupGuard *g, double energy) {
  if (g->batches >= PCN_BLOWUP_WINDOW &&
      energy > PCN_BLOWUP_FACTOR * pcn_blowup_guard_level(g))
    return true;
  const double keep = 1.0 - 1.0 / PCN_BLOWUP_WINDOW;
  g->smooth = g->batches == 0 ? energy : keep * g->smooth + (1.0 - keep) * energy;
  g->batches++;
  if (g->batches >= PCN_BLOWUP_WINDOW && g->smooth < g->lowest)
    g->lowest = g->smooth;
  return false;
}

int pcn_trainer_run(PcnTrainer *t, PcnTrainResult *res, char *err,
                    size_t errlen) {
  PcnTrainResult dummy;
  if (!res) res = &dummy;
  memset(res, 0, sizeof *res);
  const PcnGraph *g = t->spec.graph;
  const PcnTrainConfig *tc = t->spec.train;
  const PcnEvalConfig *ec = t->spec.eval;
  int64_t smm_per_batch = t->spec.schedule->smm.per_update;
  int first = t->start_epoch + 1, last = t->start_epoch + tc->epochs;
  int total_batches = pcn_sampler_batches(t->smp);
  int64_t smm = 0;
  double seconds = 0.0;
  /* Not checkpointed: after --load it warms up again. */
  PcnBlowupGuard guard;
  pcn_blowup_guard_init(&guard);

  for (int epoch = first; epoch <= last; epoch++) {
    if (stop_requested(t)) {
      res->interrupted = true;
      break;
    }
    memset(t->node_sum, 0, sizeof(double) * (size_t)g->nnodes);
    memset(t->mem_sum, 0, sizeof(double) * (size_t)g->nmemories);
    memset(t->mem_batches, 0, sizeof(int) * (size_t)g->nmemories);
    double energy_sum = 0.0;
    int batches = 0;
    bool interrupted = false;
    /* The sampler's epoch is 0-based and continues across a resume, so a
     * resumed run shuffles like an uninterrupted one. */
    pcn_sampler_begin_epoch(t->smp, epoch - 1);
    t->progress_last = 0.0;
    double t0 = now_seconds();
    const int *idx;
    int n;
    while ((n = pcn_sampler_next(t->smp, &idx)) > 0) {
      if (train_batch(t, idx, n, err, errlen) != 0) {
        progress_clear(t);
        return -1;
      }
      batches++;
      int bad = nonfinite_node(t);
      if (bad >= 0) {
        progress_clear(t);
        double e = pcn_plan_node_energy(t->plan, bad);
        set_err(err, errlen, "diverged: energy of node '%s' is %s at epoch %d, "
                "batch %d; lower the learning rates (alpha, beta)",
                g->nodes[bad].name, isnan(e) ? "NaN" : "Inf", epoch, batches);
        res->diverged = true;
        res->epochs_done = epoch - first;
        return -1;
      }
      double batch_energy = pcn_plan_energy_mean(t->plan);
      if (pcn_blowup_guard_check(&guard, batch_energy)) {
        progress_clear(t);
        set_err(err, errlen, "diverged: mean energy jumped to %.3g at epoch "
                "%d, batch %d, over %.0e times its lowest level in this run "
                "(%.3g); lower the learning rates (alpha, beta)",
                batch_energy, epoch, batches, PCN_BLOWUP_FACTOR,
                pcn_blowup_guard_level(&guard));
        res->diverged = true;
        res->epochs_done = epoch - first;
        return -1;
      }
      double inv_n = 1.0 / n;
      for (int i = 0; i < g->nnodes; i++)
        t->node_sum[i] += pcn_plan_node_energy(t->plan, i) * inv_n;
      for (int m = 0; m < g->nmemories; m++) {
        double l = pcn_plan_memory_loss(t->plan, m);
        if (isfinite(l)) {
          t->mem_sum[m] += l;
          t->mem_batches[m]++;
        }
      }
      energy_sum += batch_energy;
      smm += smm_per_batch;
      if (t->progress)
        progress(t, epoch, last, batches, total_batches,
                 energy_sum / batches);
      if (stop_requested(t)) {
        interrupted = true;
        break;
      }
    }
    seconds += now_seconds() - t0;
    progress_clear(t);

    int badp = nonfinite_param(t);
    if (badp >= 0) {
      set_err(err, errlen, "diverged: parameter '%s' is not finite after "
              "epoch %d, batch %d; lower the learning rates (alpha, beta)",
              t->spec.schedule->buffers[badp].name, epoch, batches);
      res->diverged = true;
      res->epochs_done = epoch - first;
      return -1;
    }

    PcnEpochStats st;
    memset(&st, 0, sizeof st);
    st.epoch = epoch;
    st.last_epoch = last;
    st.batches = batches;
    st.train_energy = batches > 0 ? energy_sum / batches : 0.0;
    for (int i = 0; i < g->nnodes; i++)
      t->node_mean[i] = batches > 0 ? t->node_sum[i] / batches : 0.0;
    st.node_energy = t->node_mean;
    for (int m = 0; m < g->nmemories; m++)
      t->mem_mean[m] = t->mem_batches[m] > 0
                           ? t->mem_sum[m] / t->mem_batches[m] : NAN;
    st.memory_loss = t->mem_mean;
    st.smm = smm;
    st.seconds = seconds;
    st.interrupted = interrupted;
    if (ec) {
      st.evaluated = true;
      st.classification = ec->metric == PCN_METRIC_ACCURACY;
      if (pcn_trainer_evaluate(t, &st.test_accuracy, &st.test_loss, err,
                               errlen) != 0)
        return -1;
      /* The extra step counts, after the main pass (which they leave as
       * it would be without them). */
      for (int i = 0; i < t->n_eval_T; i++) {
        double acc = NAN, loss = NAN;
        if (pcn_trainer_evaluate_T(t, t->eval_T[i], &acc, &loss, err,
                                   errlen) != 0)
          return -1;
        t->test_at_T[i] = st.classification ? acc : loss;
      }
      st.n_eval_T = t->n_eval_T;
      st.eval_T = t->eval_T;
      st.test_at_T = t->test_at_T;
    }
    if (t->opt.out) print_epoch(t->opt.out, &st);
    if (t->log && log_epoch(t, &st, err, errlen) != 0) return -1;
    if (t->opt.save_path &&
        pcn_checkpoint_save(t->plan, t->opt.save_path, g->name, epoch, err,
                            errlen) != 0)
      return -1;
    if (t->opt.on_epoch) t->opt.on_epoch(&st, t->opt.user);
    res->epochs_done++;
    res->last = st;
    res->last.node_energy = NULL;
    res->last.memory_loss = NULL;
    if (interrupted) {
      res->interrupted = true;
      break;
    }
  }
  return 0;
}
