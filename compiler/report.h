/*
 * report.h - human and machine readable reports of the compiler's analyses,
 * used by the `pcnc check`, `pcnc schedule` and `pcnc graph` subcommands.
 *
 *     pcn_report_check(stdout, c, 0);            // pcnc check
 *     PcnSchedule *s = pcn_schedule_build(...);
 *     pcn_report_schedule_text(stdout, s);       // pcnc schedule
 *     pcn_report_schedule_json(stdout, s);       // pcnc schedule --json
 *     pcn_report_dot(stdout, g, an);             // pcnc graph
 *
 * Printers only read; they never fail except on I/O (the stream's error
 * flag is left for the caller to check).
 */
#ifndef PCN_REPORT_H
#define PCN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "pcn/analysis.h"
#include "pcn/graph.h"
#include "pcn/schedule.h"

/* Graph analysis and Proposition 3.2 verdicts of c->models[model]. */
void pcn_report_check(FILE *out, const PcnCompilation *c, int model);

/* Programs, stages, ops, SMM per stage, critical path, SMM totals, and the
 * products the JIT proves unnecessary in one training batch (below). */
void pcn_report_schedule_text(FILE *out, const PcnSchedule *s);

/* The same as one JSON object (keys listed in docs/smm.md). */
void pcn_report_schedule_json(FILE *out, const PcnSchedule *s);

/* Options of the schedule printers (NULL = the defaults: all zero). */
typedef struct PcnScheduleReportOptions {
  /* Rows of a training batch, for the GEMM FLOPs (2 m n k) behind the
   * kept fractions; <= 0: 1. Every product of a PC schedule has exactly
   * one batch dimension, so the fractions do not depend on it. */
  int batch;
  /* Leave out "products proven unnecessary" (text) / "skips" (JSON). */
  bool no_skips;
} PcnScheduleReportOptions;

void pcn_report_schedule_text_opts(FILE *out, const PcnSchedule *s,
                                   const PcnScheduleReportOptions *o);
void pcn_report_schedule_json_opts(FILE *out, const PcnSchedule *s,
                                   const PcnScheduleReportOptions *o);

/* "Products proven unnecessary" (docs/smm.md): what the JIT's step
 * specialization (pcn_cg_plan_steps, codegen.h) leaves out of one
 * training batch: TRAIN_INIT (run in full), each of the T inference steps
 * (the first PCN_CG_MAX_VARIANTS have specialized variants) and
 * TRAIN_LEARN. Per run of a program: the GEMMs kept and skipped, why each
 * skipped GEMM is unnecessary, and the fraction of GEMM FLOPs kept. Which
 * ops are skipped comes from the plan the JIT compiles (so this is what
 * the JIT does, unless PCN_JIT_NOSKIP=1); the reasons are retraced here
 * from that plan. The SMM counts are not affected: they are the paper's. */
typedef enum PcnSkipWhy {
  PCN_SKIP_ZERO_OPERAND, /* an operand is all zero and the product is
                            accumulated (beta = 1): it adds nothing */
  PCN_SKIP_UNCHANGED,    /* C already holds this product: neither operand
                            was written since it was computed */
  PCN_SKIP_PROVED        /* skipped by the plan for a reason the retrace
                            does not reconstruct (C's value proved
                            unchanged by value numbering) */
} PcnSkipWhy;

typedef struct PcnSkippedGemm {
  int stage, op;    /* 0-based indices into the program */
  PcnSkipWhy why;
  char reason[200]; /* one line, e.g. "g.h2 is all zero (...)" */
} PcnSkippedGemm;

typedef struct PcnSkipRun {
  PcnProgramKind prog; /* TRAIN_INIT, TRAIN_STEP or TRAIN_LEARN */
  int step;            /* TRAIN_STEP: t (0-based); -1 otherwise */
  bool specialized;    /* the JIT runs a specialized variant of it */
  int gemms, gemms_kept;     /* fallback GEMMs of TRAIN_INIT not included */
  double flops, flops_kept;  /* of those GEMMs, 2 m n k each */
  int other_skipped;         /* non-GEMM ops skipped */
  PcnSkippedGemm *skipped;   /* [gemms - gemms_kept], in program order */
} PcnSkipRun;

typedef struct PcnSkipReport {
  int T;             /* inference steps (the schedule's smm.T) */
  int specialized_T; /* steps with a specialized variant: min(T, 32) */
  int nruns;         /* 1 + T + 1: TRAIN_INIT, the steps, TRAIN_LEARN */
  PcnSkipRun *runs;
  double flops, flops_kept; /* over the whole batch */
} PcnSkipReport;

/* 0, or -1 when out of memory (*r is then empty). batch as above. */
int pcn_skip_report_build(const PcnSchedule *s, int batch, PcnSkipReport *r);
void pcn_skip_report_free(PcnSkipReport *r);

/* Graphviz dot: clamps, initializers, cycles in red, forward-illegal nodes. */
void pcn_report_dot(FILE *out, const PcnGraph *g, const PcnAnalysis *an);

/* Name of a forward-legality reason, e.g. "free root". */
const char *pcn_fw_reason_name(PcnFwReason r);

#endif
