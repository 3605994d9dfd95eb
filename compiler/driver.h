/*
 * driver.h - the pcnc subcommands (compiler/driver*.c).
 */
#ifndef PCN_DRIVER_H
#define PCN_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

#include "compile.h"
#include "pcn/arena.h"
#include "pcn/diag.h"

typedef struct PcnCommand {
  const char *name;
  int (*fn)(int argc, char **argv); /* argv[0] is the command name */
} PcnCommand;

extern const PcnCommand pcn_commands[];

/* Options every command that compiles a file shares. */
typedef struct PcnCommonOpts {
  const char *file;
  const char *model;      /* --model NAME, or NULL for the only/first one */
  const char *includes[64];
  int nincludes;
  int color;              /* -1 auto, 0 never, 1 always */
} PcnCommonOpts;

/* Tries to consume a shared option at argv[*i]; returns 1 when consumed,
 * 0 when not a shared option, -1 on a usage error (message printed). */
int pcn_driver_common_opt(PcnCommonOpts *o, int argc, char **argv, int *i);

/* One compilation: arena, diagnostics and the result. */
typedef struct PcnSession {
  PcnArena arena;
  PcnDiag diag;
  PcnCompilation *comp;
  int model; /* index of the selected model, -1 when none */
} PcnSession;

/* Compiles o->file and selects the model. Prints diagnostics. Returns the
 * exit status (0 ok, 1 program errors, 2 unreadable file). */
int pcn_driver_compile(PcnSession *s, const PcnCommonOpts *o);
void pcn_driver_session_free(PcnSession *s);

/* Number of samples in the training split of the model's train block,
 * read cheaply from the data's headers; -1 when unknown. */
long long pcn_driver_train_samples(const PcnCompilation *c, int train,
                                   const char *data_dir);

/* Seconds on the monotonic clock (for the subcommands' timings). */
double pcn_driver_seconds(void);

int pcn_cmd_check(int argc, char **argv);
int pcn_cmd_schedule(int argc, char **argv);
int pcn_cmd_graph(int argc, char **argv);
int pcn_cmd_run(int argc, char **argv);
int pcn_cmd_compile(int argc, char **argv);
int pcn_cmd_sweep(int argc, char **argv);
int pcn_cmd_report(int argc, char **argv);

/* ---- experiments: the report over JSONL logs (driver_report.c) ---- */

#define PCN_REPORT_MAX_REL 16

typedef struct PcnExperimentOptions {
  double rel[PCN_REPORT_MAX_REL]; /* relative errors, 0.005 = 0.5% */
  int nrel;
  bool csv;                        /* the table as CSV */
  const char *svg;                 /* curves to this file, or NULL */
  bool truncate;                   /* cut each curve at its best point */
  /* Instead of the table: per run, the best test metric over epochs at
   * each evaluation step count of the logs' "test_loss_at_T" (or
   * "test_accuracy_at_T", pcnc run --eval-T), with its epoch. */
  bool by_eval_T;
} PcnExperimentOptions;

/* Defaults: relative errors 0.5%, 1%, 2%, 5%; text table; no plot. */
void pcn_experiment_options_default(PcnExperimentOptions *o);

/* Reads the logs, groups runs that differ only in the seed and prints the
 * table to out (docs/experiments.md). Problems with single logs go to
 * errf and the rest are still reported. Returns 0, or 1 when a log could
 * not be used or no run had a test metric. */
int pcn_experiment_report(FILE *out, FILE *errf, const char *const *logs,
                          int nlogs, const PcnExperimentOptions *o);

/* Index of the first point of a curve that reaches target (>= when higher
 * is better, <= otherwise), or -1. Non-finite points never reach. */
int pcn_experiment_first_reach(const double *metric, int n, double target,
                               bool higher_better);

#endif
