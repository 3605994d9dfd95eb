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

#include <stdio.h>

#include "pcn/analysis.h"
#include "pcn/graph.h"
#include "pcn/schedule.h"

/* Graph analysis and Proposition 3.2 verdicts of c->models[model]. */
void pcn_report_check(FILE *out, const PcnCompilation *c, int model);

/* Programs, stages, ops, SMM per stage, critical path and SMM totals. */
void pcn_report_schedule_text(FILE *out, const PcnSchedule *s);

/* The same as one JSON object (keys listed in docs/smm.md). */
void pcn_report_schedule_json(FILE *out, const PcnSchedule *s);

/* Graphviz dot: clamps, initializers, cycles in red, forward-illegal nodes. */
void pcn_report_dot(FILE *out, const PcnGraph *g, const PcnAnalysis *an);

/* Name of a forward-legality reason, e.g. "free root". */
const char *pcn_fw_reason_name(PcnFwReason r);

#endif
