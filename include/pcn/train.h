/*
 * pcn/train.h - the training loop: epochs of batches, evaluation, logs,
 * checkpoints. Usable from C without the compiler.
 *
 * A trainer ties a compiled model (graph, analysis, schedule) and its
 * train/evaluate settings to data and a plan. It loads the train and test
 * splits, keeps the train block's fraction (stratified), builds the batch
 * sampler (shuffled or stream-aligned; the last partial batch is dropped
 * when a node uses `init null`), creates the plan with the chosen backend
 * and, when asked, restores a checkpoint. Then every epoch runs, per batch,
 *
 *     clamps (inputs <- features, label nodes <- one-hot)
 *     begin_batch, TRAIN_INIT, TRAIN_STEP x T, end_batch, TRAIN_LEARN
 *
 * and after the epoch evaluates on the whole test split (EVAL_INIT,
 * EVAL_STEP x T_eval in inference mode only, EVAL_READOUT). The batch loop
 * allocates nothing: every buffer exists before the first epoch.
 *
 * Tutorial:
 *
 *     PcnTrainSpec spec = { g, an, sched, &comp->trains[0], &comp->evals[0],
 *                           &comp->datasets[ti], &comp->datasets[ei], NULL };
 *     PcnTrainOptions opt = pcn_train_options_default();
 *     opt.out = stdout;                 // one line per epoch
 *     opt.log_path = "run.jsonl";       // one JSON object per epoch
 *     opt.save_path = "m.ckpt";         // checkpoint after every epoch
 *     char err[512];
 *     PcnTrainer *t = pcn_trainer_new(&spec, &opt, err, sizeof err);
 *     if (!t) { fprintf(stderr, "%s\n", err); return 1; }
 *     PcnTrainResult r;
 *     int rc = pcn_trainer_run(t, &r, err, sizeof err);
 *     pcn_trainer_free(t);
 *
 * Epochs. A fresh run trains epochs 1..E (E = train->epochs). After a
 * checkpoint of epoch k is loaded, it trains E more epochs, numbered
 * k+1..k+E, and the samplers see the same epoch numbers an uninterrupted
 * run would: training 2 epochs, saving, then loading and training 1 more
 * gives the same model as training 3 (for initializers without state
 * across batches: zero, random, forward).
 *
 * Stopping. When *opt.stop becomes nonzero (a SIGINT handler sets it), the
 * current batch finishes, the partial epoch is evaluated, printed, logged
 * with "interrupted": true and checkpointed, and run returns 0 with
 * result.interrupted set.
 *
 * Divergence. A NaN or Inf in any node's energy (or in a parameter after
 * an epoch) stops training: run returns -1 with a message naming the
 * epoch, the batch and the node, result.diverged set, and the checkpoint
 * of the last good epoch untouched. So does a finite blow-up: a batch
 * whose mean energy exceeds PCN_BLOWUP_FACTOR times the lowest smoothed
 * batch energy of the run so far (PcnBlowupGuard below).
 *
 * Determinism: the same seed on the same machine gives the same log apart
 * from the timings (every random choice draws from rng.h streams).
 *
 * Functions that can fail return 0 (or a pointer) on success and -1 (or
 * NULL) with a one-line message in err. The only output is what the
 * options ask for (opt.out, the log file, the progress bar on stderr).
 */
#ifndef PCN_TRAIN_H
#define PCN_TRAIN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis.h"
#include "exec.h"
#include "graph.h"
#include "schedule.h"

/* What to train: all pointers must outlive the trainer. */
typedef struct PcnTrainSpec {
  const PcnGraph *graph;
  const PcnAnalysis *analysis;
  const PcnSchedule *schedule;     /* built with `train` and `eval` */
  const PcnTrainConfig *train;
  const PcnEvalConfig *eval;       /* NULL: no evaluation */
  const PcnDataset *train_data;    /* its train split is trained on */
  const PcnDataset *eval_data;     /* its test split; NULL = train_data */
  const char *data_dir;            /* NULL: each dataset's own dir */
} PcnTrainSpec;

/* One epoch's numbers, as printed and logged. */
typedef struct PcnEpochStats {
  int epoch;                /* 1-based; continues after a loaded checkpoint */
  int last_epoch;           /* the run's final epoch number */
  int batches;              /* batches trained in this epoch */
  double train_energy;      /* mean over batches of the batch-mean F(h^T) */
  const double *node_energy;/* [nnodes] the same per node (valid until the
                               next epoch) */
  const double *memory_loss;/* [nmemories] Eq. 9's loss, mean over the
                               epoch's batches; NaN for an unused memory */
  bool evaluated;           /* false when the spec has no eval block */
  bool classification;      /* metric accuracy: test_accuracy is set */
  double test_accuracy;     /* percent of test samples predicted right */
  double test_loss;         /* mse per element (metric mse) */
  /* Extra evaluations at other inference step counts (options.eval_T):
   * test_at_T[i] is the metric (accuracy or loss, as above) with
   * eval_T[i] steps; n_eval_T is 0 without them or without evaluation. */
  int n_eval_T;
  const int *eval_T;
  const double *test_at_T;
  int64_t smm;              /* cumulative SMMs of this run's training */
  double seconds;           /* cumulative training time, evaluation excluded */
  bool interrupted;         /* the epoch was cut short by *stop */
} PcnEpochStats;

typedef struct PcnTrainOptions {
  const PcnBackend *backend;       /* NULL = pcn_backend_ref */
  /* Initializers that are not built in (average, memory), by kind. */
  const PcnInitializer *initializers[PCN_INIT_COUNT];
  FILE *out;                       /* epoch lines; NULL = none */
  int progress;                    /* progress bar on stderr: -1 when stderr
                                      is a terminal, 0 never, 1 always */
  const char *log_path;            /* JSON Lines log (truncated, or appended
                                      to when resuming); NULL = none */
  const char *save_path;           /* checkpoint after every epoch */
  const char *load_path;           /* checkpoint to start from */
  volatile sig_atomic_t *stop;     /* stop request (may be NULL) */
  /* After each epoch's evaluation, evaluate the test split again once per
   * value here (inference steps; 1..PCN_MAX_EVAL_T values, each >= 1, no
   * duplicates) and log them as "test_loss_at_T" (or
   * "test_accuracy_at_T"). Only for a model evaluated by inference, and
   * not when evaluation carries state from batch to batch (init null);
   * see pcn_eval_T_supported. The main evaluation, at eval->T, is
   * unchanged: it runs first, and the node-init random stream is put back
   * after the extra ones (pcn_trainer_evaluate_T). */
  const int *eval_T;
  int n_eval_T;
  /* Called after each epoch (may be NULL). */
  void (*on_epoch)(const PcnEpochStats *st, void *user);
  void *user;
} PcnTrainOptions;

/* Most extra evaluation step counts (PcnTrainOptions.eval_T). */
#define PCN_MAX_EVAL_T 8

typedef struct PcnTrainResult {
  int epochs_done;          /* epochs trained by this run (partial counts) */
  PcnEpochStats last;       /* the last epoch's numbers (node_energy NULL) */
  bool interrupted;
  bool diverged;
} PcnTrainResult;

/* Sizes the trainer settled on, for a run's header. */
typedef struct PcnTrainInfo {
  int train_rows;           /* training samples used (after the fraction) */
  int train_total;          /* rows of the training split */
  int test_rows;            /* rows of the test split (0 without eval) */
  int batches_per_epoch;
  int unused_per_epoch;     /* rows a sampler skips each epoch */
  int start_epoch;          /* epoch of the loaded checkpoint, else 0 */
  bool drop_last;
  double data_seconds;      /* pcn_trainer_new: loading both splits */
  double plan_seconds;      /* pcn_trainer_new: the plan (backend prepare) */
} PcnTrainInfo;

/* Finite blow-up detection. Inference or learning can run away without
 * ever producing a NaN: a PC-I_avg run at T = 3 went from a mean energy of
 * 2e-4 to 4e10 within one epoch and then sat at chance accuracy with finite
 * numbers. The guard smooths the batch energies (exponential average over
 * about PCN_BLOWUP_WINDOW batches), remembers the lowest smoothed level
 * (floored at PCN_BLOWUP_FLOOR, so an exactly fitted model is not flagged
 * for a tiny rise), and flags a batch whose energy exceeds
 * PCN_BLOWUP_FACTOR times that level, once PCN_BLOWUP_WINDOW batches have
 * set it. Normal training noise stays orders of magnitude below the
 * factor (batch energies vary by well under 1e3x within a run). */
#define PCN_BLOWUP_FACTOR 1e5
#define PCN_BLOWUP_FLOOR 1e-6
#define PCN_BLOWUP_WINDOW 10

typedef struct PcnBlowupGuard {
  double smooth;            /* exponential average of batch energies */
  double lowest;            /* lowest smoothed level after the warm-up */
  int batches;              /* batches seen */
} PcnBlowupGuard;

void pcn_blowup_guard_init(PcnBlowupGuard *g);
/* Feeds one batch's mean energy (finite); true when it is a blow-up. */
bool pcn_blowup_guard_check(PcnBlowupGuard *g, double energy);
/* The level a blow-up was measured against (valid after a true check). */
double pcn_blowup_guard_level(const PcnBlowupGuard *g);

typedef struct PcnTrainer PcnTrainer;

PcnTrainOptions pcn_train_options_default(void);

PcnTrainer *pcn_trainer_new(const PcnTrainSpec *spec,
                            const PcnTrainOptions *opt, char *err,
                            size_t errlen);
void pcn_trainer_free(PcnTrainer *t);

void pcn_trainer_info(const PcnTrainer *t, PcnTrainInfo *info);
PcnPlan *pcn_trainer_plan(PcnTrainer *t);

/* Trains every epoch (see the top of this file). 0 on success (also when
 * interrupted), -1 on a data, training or I/O error or divergence. */
int pcn_trainer_run(PcnTrainer *t, PcnTrainResult *res, char *err,
                    size_t errlen);

/* Evaluates the current parameters on the test split. *accuracy (percent,
 * classification only) and *loss (mse per element) may be NULL. */
int pcn_trainer_evaluate(PcnTrainer *t, double *accuracy, double *loss,
                         char *err, size_t errlen);

/* Evaluates like pcn_trainer_evaluate but with T inference steps (>= 1)
 * instead of the evaluate block's. Nodes with `init random` draw the same
 * h^(0) as in the last pcn_trainer_evaluate (so T = eval->T repeats its
 * result exactly), and the node-init random stream is left as it was
 * found. The model must pass pcn_eval_T_supported. */
int pcn_trainer_evaluate_T(PcnTrainer *t, int T, double *accuracy,
                           double *loss, char *err, size_t errlen);

/* Can evaluation run at other step counts (PcnTrainOptions.eval_T)? 0 when
 * it can; -1 with the reason in err when the schedule has no evaluation,
 * evaluates by one forward pass (T does not enter it), or initializes a
 * node with `null` in evaluation (each test batch starts from the last
 * one's h^(T), so an extra pass would change the next main one). */
int pcn_eval_T_supported(const PcnGraph *g, const PcnSchedule *s,
                         const PcnEvalConfig *eval, char *err, size_t errlen);

/* Parses a command line's list of evaluation step counts ("3,5,10,20")
 * into out (room for PCN_MAX_EVAL_T), ascending. Returns the count, or -1
 * with a message in err (not integers in [1, PCN_MAX_STEPS], more than
 * PCN_MAX_EVAL_T of them, or one given twice). */
int pcn_eval_T_parse(const char *list, int *out, char *err, size_t errlen);

/* Runs the first n test samples (at most the test split and the largest
 * batch) through evaluation and copies the image data the readout is
 * compared with into data and the readout into pred (n rows of *cols
 * floats each; room for n * features). The readout node must be clamped
 * to the image (a reconstruction). Returns the rows done, or -1. */
int pcn_trainer_reconstruct(PcnTrainer *t, int n, float *data, float *pred,
                            int *cols, char *err, size_t errlen);

/* BLAS threads for the whole process (OpenBLAS); n >= 1. */
void pcn_train_set_threads(int n);

#endif
