/*
 * schedule_print.c - `pcnc schedule` (text and --json) and `pcnc graph`
 * (Graphviz dot) printers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "report.h"

static const char *const init_names[PCN_INIT_COUNT] = {
    "zero", "random", "null", "forward", "average", "memory"};
static const char *const act_names[PCN_ACT_COUNT] = {
    "identity", "relu", "leaky_relu", "tanh", "sigmoid", "gelu", "elu"};

static const char *init_name(PcnInitKind k) {
  return (unsigned)k < PCN_INIT_COUNT ? init_names[k] : "?";
}
static const char *act_name(PcnActivation k) {
  return (unsigned)k < PCN_ACT_COUNT ? act_names[k] : "?";
}

const char *pcn_fw_reason_name(PcnFwReason r) {
  switch (r) {
  case PCN_FW_OK: return "ok";
  case PCN_FW_CLAMPED: return "clamped";
  case PCN_FW_NO_PARENTS: return "no parents";
  case PCN_FW_CYCLE: return "cycle";
  case PCN_FW_FREE_ROOT: return "free root";
  }
  return "?";
}

static const char *bufname(const PcnSchedule *s, int i) {
  return i >= 0 && i < s->nbuffers ? s->buffers[i].name : "-";
}

static void print_dim(FILE *out, int d) {
  if (d < 0) fputs("batch", out);
  else fprintf(out, "%d", d);
}

/* One op as a line of text, e.g. "gemm a.h2 = h.h1 x W.h1->h2 [batch x 512 x 512]". */
static void print_op(FILE *out, const PcnSchedule *s, const PcnOp *o) {
  const PcnGraph *g = s->graph;
  const char *node = o->node >= 0 ? g->nodes[o->node].name : "-";
  switch (o->kind) {
  case PCN_OP_GEMM:
    fprintf(out, "gemm %s = ", bufname(s, o->c));
    if (o->alpha != 1.0f || o->alpha_over_batch)
      fprintf(out, "%g%s * ", (double)o->alpha, o->alpha_over_batch ? "/n" : "");
    fprintf(out, "%s%s x %s%s", bufname(s, o->a), o->trans_a ? "^T" : "",
            bufname(s, o->b), o->trans_b ? "^T" : "");
    if (o->beta != 0.0f) fprintf(out, " + %g * %s", (double)o->beta, bufname(s, o->c));
    fputs(" [", out);
    print_dim(out, o->m);
    fputs(" x ", out);
    print_dim(out, o->k);
    fputs(" x ", out);
    print_dim(out, o->n);
    fputc(']', out);
    break;
  case PCN_OP_LOAD_CLAMP: fprintf(out, "load_clamp %s", bufname(s, o->h)); break;
  case PCN_OP_INIT: fprintf(out, "init %s = %s", bufname(s, o->h), init_name(o->init)); break;
  case PCN_OP_FORWARD_SET:
    fprintf(out, "forward_set %s = act(%s + %s)", bufname(s, o->h), bufname(s, o->pa),
            bufname(s, o->bias));
    break;
  case PCN_OP_PREDICT:
    fprintf(out, "predict %s: mu = act(%s + %s), e = %s - mu", node, bufname(s, o->pa),
            bufname(s, o->bias), bufname(s, o->h));
    if (o->dh >= 0) fprintf(out, ", %s = e", bufname(s, o->dh));
    break;
  case PCN_OP_ZERO: fprintf(out, "zero %s", bufname(s, o->dst)); break;
  case PCN_OP_UPDATE_H:
    fprintf(out, "update_h %s -= alpha * %s", bufname(s, o->h), bufname(s, o->dh));
    if (o->vel >= 0) fprintf(out, " (momentum %s)", bufname(s, o->vel));
    break;
  case PCN_OP_BIAS_GRAD:
    fprintf(out, "bias_grad %s = -mean(%s)", bufname(s, o->grad), bufname(s, o->g));
    break;
  case PCN_OP_OPT_STEP:
    fprintf(out, "opt_step %s with %s", bufname(s, o->param), bufname(s, o->grad));
    break;
  case PCN_OP_READOUT: fprintf(out, "readout %s", bufname(s, o->src)); break;
  default: fprintf(out, "%s", pcn_op_kind_name(o->kind)); break;
  }
  if (o->skippable) fputs(" (skippable)", out);
}


/* ---- products proven unnecessary (the JIT's step specialization) --- *
 *
 * Which ops are skipped comes from pcn_cg_plan_steps(), the plan the JIT
 * compiles its step variants from. The plan records modes, not reasons,
 * so the reasons are retraced here by following one batch with the
 * plan's modes: per buffer, whether it is known all zero (and since when)
 * and a stamp of its last write. A skipped product is explained as
 *   - a zero operand accumulated with beta = 1 (adds nothing), or
 *   - unchanged: neither operand was written since C was last computed,
 * and as "proved" (value numbering) when neither retrace applies. The
 * retrace never decides what is skipped. */

enum { ZS_NONE, ZS_PREDICT, ZS_ZERO_OP, ZS_GEMM, ZS_RESET };

typedef struct Trace {
  const PcnSchedule *s;
  int T;
  bool *zero;  /* [nbuffers] known all zero */
  int *zsrc;   /* ZS_*: what made it zero */
  int *znode;  /* node of the PREDICT that made it zero */
  int *zrun;   /* run in which it became zero */
  long *stamp; /* [nbuffers] clock of the last write (0: before the batch) */
  int *wrun;   /* run of the last write, -1 before the batch */
  long clock;
} Trace;

static int run_label(char *out, size_t n, int run, int T) {
  if (run < 0) return snprintf(out, n, "before the batch");
  if (run == 0) return snprintf(out, n, "train_init");
  if (run <= T) return snprintf(out, n, "step %d", run - 1);
  return snprintf(out, n, "train_learn");
}

static void tr_write(Trace *tr, int b, int run) {
  if (b < 0 || b >= tr->s->nbuffers) return;
  tr->zero[b] = false;
  tr->stamp[b] = ++tr->clock;
  tr->wrun[b] = run;
}

static void tr_zero(Trace *tr, int b, int run, int src, int node) {
  if (b < 0 || b >= tr->s->nbuffers) return;
  tr_write(tr, b, run);
  tr->zero[b] = true;
  tr->zsrc[b] = src;
  tr->znode[b] = node;
  tr->zrun[b] = run;
}

static double gemm_flops(const PcnOp *op, int batch) {
  double m = op->m < 0 ? batch : op->m, n = op->n < 0 ? batch : op->n,
         k = op->k < 0 ? batch : op->k;
  return 2.0 * m * n * k;
}

static void zero_reason(const Trace *tr, int b, char *out, size_t n) {
  const PcnSchedule *s = tr->s;
  char when[32];
  run_label(when, sizeof when, tr->zrun[b], tr->T);
  switch (tr->zsrc[b]) {
  case ZS_PREDICT: {
    const char *node = tr->znode[b] >= 0 ? s->graph->nodes[tr->znode[b]].name : "?";
    snprintf(out, n, "%s is all zero: %s equals its prediction (error exactly 0 since %s)", bufname(s, b), node, when);
    break;
  }
  case ZS_ZERO_OP: snprintf(out, n, "%s is all zero (zeroed in %s)", bufname(s, b), when); break;
  case ZS_GEMM:
    snprintf(out, n, "%s is all zero (a product of a zero operand in %s)", bufname(s, b), when);
    break;
  default: snprintf(out, n, "%s is all zero (reset in %s)", bufname(s, b), when); break;
  }
}

/* Follows one run of `prog` with the plan's modes (NULL: every op runs). */
static int trace_run(Trace *tr, PcnSkipRun *r, int run, const uint8_t *modes, int batch) {
  const PcnSchedule *s = tr->s;
  const PcnPhaseProgram *pr = &s->programs[r->prog];
  int nskip = 0, cap = 0;
  for (int si = 0; si < pr->nstages; si++)
    for (int oi = 0; oi < pr->stages[si].nops; oi++)
      if (pr->stages[si].ops[oi].kind == PCN_OP_GEMM) cap++;
  r->skipped = calloc((size_t)cap + 1, sizeof *r->skipped);
  if (!r->skipped) return -1;
  if (r->prog == PCN_PROG_TRAIN_INIT)
    for (int b = 0; b < s->nbuffers; b++)
      if (s->buffers[b].kind == PCN_BUF_VEL) tr_zero(tr, b, run, ZS_RESET, -1);
  int k = 0;
  for (int si = 0; si < pr->nstages; si++) {
    const PcnStage *st = &pr->stages[si];
    for (int oi = 0; oi < st->nops; oi++, k++) {
      const PcnOp *op = &st->ops[oi];
      uint8_t mode = modes ? modes[k] : PCN_CG_FULL;
      if (st->fallback || op->fallback) {
        /* Runs on the batches that need it: afterwards unknown. */
        tr_write(tr, op->kind == PCN_OP_GEMM ? op->c : op->pa, run);
        if (op->kind == PCN_OP_FORWARD_SET) tr_write(tr, op->h, run);
        continue;
      }
      if (op->kind != PCN_OP_GEMM) {
        if (mode == PCN_CG_SKIP) {
          r->other_skipped++;
          continue;
        }
      }
      switch (op->kind) {
      case PCN_OP_GEMM: {
        double f = gemm_flops(op, batch);
        r->gemms++;
        r->flops += f;
        bool za = op->a >= 0 && tr->zero[op->a], zb = op->b >= 0 && tr->zero[op->b];
        if (mode == PCN_CG_SKIP) {
          PcnSkippedGemm *g = &r->skipped[nskip++];
          g->stage = si, g->op = oi;
          if (op->beta == 1.0f && (za || zb)) {
            g->why = PCN_SKIP_ZERO_OPERAND;
            zero_reason(tr, za ? op->a : op->b, g->reason, sizeof g->reason);
          } else if (tr->stamp[op->a] < tr->stamp[op->c] && tr->stamp[op->b] < tr->stamp[op->c]) {
            char when[32];
            run_label(when, sizeof when, tr->wrun[op->c], tr->T);
            g->why = PCN_SKIP_UNCHANGED;
            snprintf(g->reason, sizeof g->reason,
                     "inputs unchanged: %s and %s not written since %s was computed in %s",
                     bufname(s, op->a), bufname(s, op->b), bufname(s, op->c), when);
          } else {
            g->why = PCN_SKIP_PROVED;
            snprintf(g->reason, sizeof g->reason,
                     "value numbering proves %s already holds what this product would give",
                     bufname(s, op->c));
          }
          break;
        }
        r->gemms_kept++;
        r->flops_kept += f;
        if (za || zb) {
          if (op->beta == 0.0f) tr_zero(tr, op->c, run, ZS_GEMM, -1);
          /* beta = 1: C keeps its value (and its zero flag) */
          else if (op->beta != 1.0f) tr_write(tr, op->c, run);
        } else {
          tr_write(tr, op->c, run);
        }
        break;
      }
      case PCN_OP_PREDICT:
        tr_write(tr, op->mu, run);
        if (mode == PCN_CG_ZERO_E) {
          tr_zero(tr, op->e, run, ZS_PREDICT, op->node);
          tr_zero(tr, op->g, run, ZS_PREDICT, op->node);
          tr_zero(tr, op->dh, run, ZS_PREDICT, op->node);
        } else {
          tr_write(tr, op->e, run);
          tr_write(tr, op->g, run);
          tr_write(tr, op->dh, run);
        }
        break;
      case PCN_OP_FORWARD_SET:
      case PCN_OP_LOAD_CLAMP:
      case PCN_OP_INIT: tr_write(tr, op->h, run); break;
      case PCN_OP_ZERO: tr_zero(tr, op->dst, run, ZS_ZERO_OP, -1); break;
      case PCN_OP_UPDATE_H:
        tr_write(tr, op->h, run);
        tr_write(tr, op->vel, run);
        break;
      case PCN_OP_BIAS_GRAD: tr_write(tr, op->grad >= 0 ? op->grad : op->dst, run); break;
      case PCN_OP_OPT_STEP: tr_write(tr, op->param, run); break;
      case PCN_OP_READOUT: break;
      default:
        for (int b = 0; b < s->nbuffers; b++) tr_write(tr, b, run);
        break;
      }
    }
  }
  return 0;
}

void pcn_skip_report_free(PcnSkipReport *r) {
  if (r->runs)
    for (int i = 0; i < r->nruns; i++) free(r->runs[i].skipped);
  free(r->runs);
  memset(r, 0, sizeof *r);
}

int pcn_skip_report_build(const PcnSchedule *s, int batch, PcnSkipReport *r) {
  memset(r, 0, sizeof *r);
  if (batch <= 0) batch = 1;
  int T = s->smm.T < 0 ? 0 : s->smm.T;
  PcnCgStepPlan plan;
  if (pcn_cg_plan_steps(s, T, &plan)) return -1;
  size_t nb = (size_t)s->nbuffers + 1;
  Trace tr = {.s = s, .T = T};
  tr.zero = calloc(nb, sizeof *tr.zero);
  tr.zsrc = calloc(nb, sizeof *tr.zsrc);
  tr.znode = calloc(nb, sizeof *tr.znode);
  tr.zrun = calloc(nb, sizeof *tr.zrun);
  tr.stamp = calloc(nb, sizeof *tr.stamp);
  tr.wrun = calloc(nb, sizeof *tr.wrun);
  r->runs = calloc((size_t)T + 2, sizeof *r->runs);
  int rc = tr.zero && tr.zsrc && tr.znode && tr.zrun && tr.stamp && tr.wrun && r->runs ? 0 : -1;
  if (rc == 0) {
    for (int b = 0; b < s->nbuffers; b++) tr.wrun[b] = -1;
    r->T = T;
    r->specialized_T = plan.T;
    r->nruns = T + 2;
    for (int run = 0; run < T + 2 && rc == 0; run++) {
      PcnSkipRun *x = &r->runs[run];
      const uint8_t *modes = NULL;
      x->step = -1;
      if (run == 0) {
        x->prog = PCN_PROG_TRAIN_INIT; /* the JIT runs the general train_init */
      } else if (run <= T) {
        x->prog = PCN_PROG_TRAIN_STEP;
        x->step = run - 1;
        /* jit_run(): variant t for the t-th step after TRAIN_INIT */
        if (x->step < plan.T) modes = plan.step_modes + (size_t)x->step * (size_t)plan.nstep_ops;
      } else {
        x->prog = PCN_PROG_TRAIN_LEARN;
        /* the specialized learn only after exactly plan.T steps */
        if (plan.T == T) modes = plan.learn_modes;
      }
      x->specialized = modes != NULL;
      rc = trace_run(&tr, x, run, modes, batch);
      r->flops += x->flops;
      r->flops_kept += x->flops_kept;
    }
  }
  free(tr.zero);
  free(tr.zsrc);
  free(tr.znode);
  free(tr.zrun);
  free(tr.stamp);
  free(tr.wrun);
  pcn_cg_step_plan_free(&plan);
  if (rc) pcn_skip_report_free(r);
  return rc;
}

static double kept_fraction(double kept, double all) { return all > 0 ? kept / all : 1.0; }

/* The text section: one line per run (consecutive steps that skip
 * nothing share one line), one line per skipped product. */
static void print_skips_text(FILE *out, const PcnSchedule *s, int batch) {
  PcnSkipReport r;
  fputs("\nproducts proven unnecessary (what the JIT skips in one training batch; "
        "docs/smm.md):\n", out);
  if (pcn_skip_report_build(s, batch, &r)) {
    fputs("  (out of memory)\n", out);
    return;
  }
  for (int i = 0; i < r.nruns; i++) {
    const PcnSkipRun *x = &r.runs[i];
    int kept = x->gemms_kept;
    double pct = 100.0 * kept_fraction(x->flops_kept, x->flops);
    if (x->prog == PCN_PROG_TRAIN_STEP) {
      int j = i;
      if (kept == x->gemms && x->other_skipped == 0)
        while (j + 1 < r.nruns && r.runs[j + 1].prog == PCN_PROG_TRAIN_STEP &&
               r.runs[j + 1].gemms_kept == r.runs[j + 1].gemms &&
               r.runs[j + 1].other_skipped == 0 &&
               r.runs[j + 1].specialized == x->specialized)
          j++;
      if (j > i) fprintf(out, "  steps %d-%d:", x->step, r.runs[j].step);
      else fprintf(out, "  step %d:", x->step);
      if (x->gemms == 0) {
        fputs(" no GEMMs", out);
      } else {
        fprintf(out, " %.1f%% of GEMM FLOPs kept, %d of %d GEMMs", pct, kept, x->gemms);
        if (x->other_skipped)
          fprintf(out, "; %d other op%s skipped", x->other_skipped,
                  x->other_skipped == 1 ? "" : "s");
      }
      if (!x->specialized)
        fprintf(out, " (general train_step: the JIT specializes the first %d steps)",
                r.specialized_T);
      fputc('\n', out);
      i = j;
    } else {
      fprintf(out, "  %s:", pcn_program_name(x->prog));
      if (x->gemms == 0) fputs(" no GEMMs", out);
      else fprintf(out, " %.1f%% of GEMM FLOPs kept, %d of %d GEMMs", pct, kept, x->gemms);
      if (x->other_skipped)
        fprintf(out, "; %d other op%s skipped", x->other_skipped, x->other_skipped == 1 ? "" : "s");
      if (x->prog == PCN_PROG_TRAIN_INIT) fputs(" (run in full)", out);
      else if (!x->specialized) fputs(" (general train_learn: more steps than specialized)", out);
      fputc('\n', out);
    }
    const PcnPhaseProgram *pr = &s->programs[x->prog];
    for (int k = 0; k < x->gemms - kept; k++) {
      const PcnSkippedGemm *g = &x->skipped[k];
      fprintf(out, "    skip %d.%d ", g->stage + 1, g->op + 1);
      print_op(out, s, &pr->stages[g->stage].ops[g->op]);
      fprintf(out, " -- %s\n", g->reason);
    }
  }
  fprintf(out, "  one batch: %.1f%% of GEMM FLOPs kept (%.4g of %.4g at batch %d); "
               "SMM per update stays %lld (the paper's count)\n",
          100.0 * kept_fraction(r.flops_kept, r.flops), r.flops_kept, r.flops,
          batch > 0 ? batch : 1, (long long)s->smm.per_update);
  pcn_skip_report_free(&r);
}

void pcn_report_schedule_text(FILE *out, const PcnSchedule *s) {
  pcn_report_schedule_text_opts(out, s, NULL);
}

void pcn_report_schedule_text_opts(FILE *out, const PcnSchedule *s,
                                   const PcnScheduleReportOptions *o) {
  const PcnGraph *g = s->graph;
  const PcnSmmCounts *c = &s->smm;
  fprintf(out, "schedule of model '%s': %d buffers, evaluation by %s\n", g->name,
          s->nbuffers, s->eval_mode == PCN_EVAL_FORWARD ? "forward pass" : "inference");
  for (int p = 0; p < PCN_PROG_COUNT; p++) {
    const PcnPhaseProgram *pr = &s->programs[p];
    int smm = 0;
    for (int i = 0; i < pr->nstages; i++) smm += pr->stages[i].smm;
    fprintf(out, "\n%s: %d stage%s, %d SMM%s%s\n", pcn_program_name((PcnProgramKind)p),
            pr->nstages, pr->nstages == 1 ? "" : "s", smm, smm == 1 ? "" : "s",
            p == PCN_PROG_TRAIN_STEP || p == PCN_PROG_EVAL_STEP ? " per step" : "");
    if (p == PCN_PROG_TRAIN_INIT && smm != c->init)
      fprintf(out, "  (counted as init = %d: the sweep also yields the t = 0 prediction "
                   "of its frontier, which the first step's predict stage recomputes; "
                   "docs/smm.md)\n", c->init);
    for (int i = 0; i < pr->nstages; i++) {
      const PcnStage *st = &pr->stages[i];
      fprintf(out, "  stage %d: %s (SMM %d%s)\n", i + 1, st->label, st->smm,
              st->has_gemm && !st->smm ? ", not counted" : "");
      for (int j = 0; j < st->nops; j++) {
        fputs("    ", out);
        print_op(out, s, &st->ops[j]);
        fputc('\n', out);
      }
    }
  }
  fputs("\ncritical path:", out);
  if (s->ncritical == 0) fputs(" (none: no forward sweep; each step is predictions then error products)", out);
  for (int i = 0; i < s->ncritical; i++)
    fprintf(out, "%s%s", i ? " -> " : " ", g->nodes[s->critical_path[i]].name);
  fputc('\n', out);
  fprintf(out, "SMM per update: %lld = init %d (forward sweep incl. its frontier) + %d x T %d",
          (long long)c->per_update, c->init, c->per_step, c->T);
  fprintf(out, "\nSMM per update with backprop: %d (2L - 1)\n", c->bp_per_update);
  fprintf(out, "batches per epoch: %lld, SMM per epoch: %lld\n",
          (long long)c->batches_per_epoch, (long long)c->per_epoch);
  fprintf(out, "evaluation: init %d + 2 x T_eval %d = %lld SMM per batch", c->eval_init,
          c->eval_T, (long long)c->eval_per_batch);
  if (c->eval_readout) fprintf(out, " (+ %d for the readout)", c->eval_readout);
  fputc('\n', out);
  if (!(o && o->no_skips)) print_skips_text(out, s, o ? o->batch : 0);
}

/* ---- JSON --------------------------------------------------------- */

static void json_str(FILE *out, const char *str) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)(str ? str : ""); *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    default:
      if (*p < 0x20) fprintf(out, "\\u%04x", *p);
      else fputc(*p, out);
    }
  }
  fputc('"', out);
}

static void json_op(FILE *out, const PcnSchedule *s, const PcnOp *o) {
  /* Render the text form into a buffer so JSON and text agree. */
  char line[512];
  FILE *mem = fmemopen(line, sizeof line, "w");
  if (mem) {
    print_op(mem, s, o);
    fclose(mem); /* fmemopen NUL-terminates within the buffer */
    line[sizeof line - 1] = 0;
  } else {
    snprintf(line, sizeof line, "%s", pcn_op_kind_name(o->kind));
  }
  fputs("{\"kind\": ", out);
  json_str(out, pcn_op_kind_name(o->kind));
  fputs(", \"node\": ", out);
  if (o->node >= 0) json_str(out, s->graph->nodes[o->node].name);
  else fputs("null", out);
  fputs(", \"text\": ", out);
  json_str(out, line);
  fputc('}', out);
}

static const char *skip_why_name(PcnSkipWhy w) {
  switch (w) {
  case PCN_SKIP_ZERO_OPERAND: return "zero_operand";
  case PCN_SKIP_UNCHANGED: return "unchanged";
  case PCN_SKIP_PROVED: return "proved";
  }
  return "?";
}

/* ",\n  \"skips\": {...}": the text section's content, every step listed. */
static void json_skips(FILE *out, const PcnSchedule *s, int batch) {
  PcnSkipReport r;
  fputs(",\n  \"skips\": ", out);
  if (pcn_skip_report_build(s, batch, &r)) {
    fputs("null", out);
    return;
  }
  fprintf(out, "{\"T\": %d, \"specialized_steps\": %d, \"batch\": %d, "
               "\"flops\": %.17g, \"flops_kept\": %.17g, \"flops_kept_fraction\": %.6f, "
               "\"steps\": [",
          r.T, r.specialized_T, batch > 0 ? batch : 1, r.flops, r.flops_kept,
          kept_fraction(r.flops_kept, r.flops));
  for (int i = 0; i < r.nruns; i++) {
    const PcnSkipRun *x = &r.runs[i];
    fputs(i ? ",\n    {" : "\n    {", out);
    fputs("\"program\": ", out);
    json_str(out, pcn_program_name(x->prog));
    if (x->step >= 0) fprintf(out, ", \"step\": %d", x->step);
    else fputs(", \"step\": null", out);
    fprintf(out, ", \"specialized\": %s, \"gemms\": %d, \"gemms_kept\": %d, "
                 "\"flops\": %.17g, \"flops_kept\": %.17g, \"flops_kept_fraction\": %.6f, "
                 "\"other_ops_skipped\": %d, \"skipped\": [",
            x->specialized ? "true" : "false", x->gemms, x->gemms_kept, x->flops,
            x->flops_kept, kept_fraction(x->flops_kept, x->flops), x->other_skipped);
    const PcnPhaseProgram *pr = &s->programs[x->prog];
    for (int k = 0; k < x->gemms - x->gemms_kept; k++) {
      const PcnSkippedGemm *g = &x->skipped[k];
      fprintf(out, "%s{\"stage\": %d, \"op\": %d, \"id\": \"%d.%d\", \"why\": \"%s\", \"reason\": ",
              k ? ",\n      " : "\n      ", g->stage + 1, g->op + 1, g->stage + 1, g->op + 1,
              skip_why_name(g->why));
      json_str(out, g->reason);
      fputs(", \"op_text\": ", out);
      const PcnOp *op = &pr->stages[g->stage].ops[g->op];
      char line[512];
      FILE *mem = fmemopen(line, sizeof line, "w");
      if (mem) {
        print_op(mem, s, op);
        fclose(mem);
        line[sizeof line - 1] = 0;
      } else {
        snprintf(line, sizeof line, "%s", pcn_op_kind_name(op->kind));
      }
      json_str(out, line);
      fputc('}', out);
    }
    fputs("]}", out);
  }
  fputs("\n  ]}", out);
  pcn_skip_report_free(&r);
}

void pcn_report_schedule_json(FILE *out, const PcnSchedule *s) {
  pcn_report_schedule_json_opts(out, s, NULL);
}

void pcn_report_schedule_json_opts(FILE *out, const PcnSchedule *s,
                                   const PcnScheduleReportOptions *o) {
  const PcnGraph *g = s->graph;
  const PcnSmmCounts *c = &s->smm;
  fputs("{\n  \"model\": ", out);
  json_str(out, g->name);
  fprintf(out, ",\n  \"eval_mode\": \"%s\"",
          s->eval_mode == PCN_EVAL_FORWARD ? "forward" : "inference");
  fprintf(out, ",\n  \"smm_per_update\": %lld", (long long)c->per_update);
  fprintf(out, ",\n  \"smm_per_epoch\": %lld", (long long)c->per_epoch);
  fprintf(out, ",\n  \"smm_init\": %d", c->init);
  fprintf(out, ",\n  \"smm_per_step\": %d", c->per_step);
  fprintf(out, ",\n  \"T\": %d", c->T);
  fprintf(out, ",\n  \"batches_per_epoch\": %lld", (long long)c->batches_per_epoch);
  fprintf(out, ",\n  \"smm_bp_per_update\": %d", c->bp_per_update);
  fprintf(out, ",\n  \"smm_eval_init\": %d", c->eval_init);
  fprintf(out, ",\n  \"eval_T\": %d", c->eval_T);
  fprintf(out, ",\n  \"smm_eval_per_batch\": %lld", (long long)c->eval_per_batch);
  fprintf(out, ",\n  \"smm_eval_readout\": %d", c->eval_readout);
  fputs(",\n  \"readout\": ", out);
  if (s->readout_node >= 0) json_str(out, g->nodes[s->readout_node].name);
  else fputs("null", out);
  fputs(",\n  \"critical_path\": [", out);
  for (int i = 0; i < s->ncritical; i++) {
    if (i) fputs(", ", out);
    json_str(out, g->nodes[s->critical_path[i]].name);
  }
  fputs("],\n  \"stages\": [", out);
  bool first = true;
  for (int p = 0; p < PCN_PROG_COUNT; p++) {
    const PcnPhaseProgram *pr = &s->programs[p];
    for (int i = 0; i < pr->nstages; i++) {
      const PcnStage *st = &pr->stages[i];
      fputs(first ? "\n    {" : ",\n    {", out);
      first = false;
      fputs("\"program\": ", out);
      json_str(out, pcn_program_name((PcnProgramKind)p));
      fputs(", \"label\": ", out);
      json_str(out, st->label);
      fprintf(out, ", \"smm\": %d, \"ops\": [", st->smm);
      for (int j = 0; j < st->nops; j++) {
        fputs(j ? ",\n      " : "\n      ", out);
        json_op(out, s, &st->ops[j]);
      }
      fputs("]}", out);
    }
  }
  fputs("\n  ],\n  \"buffers\": [", out);
  for (int i = 0; i < s->nbuffers; i++) {
    const PcnBuffer *b = &s->buffers[i];
    fputs(i ? ",\n    {" : "\n    {", out);
    fputs("\"name\": ", out);
    json_str(out, b->name);
    if (b->batch_rows) fprintf(out, ", \"rows\": \"batch\", \"cols\": %d}", b->cols);
    else fprintf(out, ", \"rows\": %d, \"cols\": %d}", b->rows, b->cols);
  }
  fputs("\n  ]", out);
  if (!(o && o->no_skips)) json_skips(out, s, o ? o->batch : 0);
  fputs("\n}\n", out);
}

/* ---- Graphviz ------------------------------------------------------ */

static void dot_str(FILE *out, const char *str) {
  fputc('"', out);
  for (const char *p = str ? str : ""; *p; p++) {
    if (*p == '"' || *p == '\\') fputc('\\', out);
    if (*p == '\n') fputs("\\n", out);
    else fputc(*p, out);
  }
  fputc('"', out);
}

static bool edge_on_cycle(const PcnAnalysis *an, int u, int v) {
  if (!an || !an->on_cycle[u] || an->scc[u] != an->scc[v]) return false;
  /* Inside one cyclic SCC every edge lies on some directed cycle. */
  return true;
}

static bool edge_in_reported_cycle(const PcnAnalysis *an, int u, int v) {
  if (!an || an->cycle_of[u] < 0) return false;
  const PcnCycle *c = &an->cycles[an->cycle_of[u]];
  for (int i = 0; i < c->len; i++)
    if (c->path[i] == u && c->path[(i + 1) % c->len] == v) return true;
  return false;
}

void pcn_report_dot(FILE *out, const PcnGraph *g, const PcnAnalysis *an) {
  char label[512];
  fputs("digraph ", out);
  dot_str(out, g->name);
  fputs(" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", out);
  for (int v = 0; v < g->nnodes; v++) {
    const PcnNode *nd = &g->nodes[v];
    const char *clamp = nd->clamp == PCN_CLAMP_LABEL ? "label" : "image";
    char where[64] = "";
    if (nd->clamp_train && nd->clamp_eval) snprintf(where, sizeof where, "clamp %s", clamp);
    else if (nd->clamp_train) snprintf(where, sizeof where, "clamp %s (train)", clamp);
    else if (nd->clamp_eval) snprintf(where, sizeof where, "clamp %s (eval)", clamp);
    bool illegal = false;
    const char *why = "";
    if (an)
      for (int p = 0; p < PCN_PHASE_COUNT && !illegal; p++) {
        const PcnPhaseVerdict *pv = &an->phase[p];
        if (pcn_node_clamped(nd, (PcnPhase)p)) continue;
        if (nd->init.kind == PCN_INIT_FORWARD && pv->declared[v] != PCN_FW_OK) {
          illegal = true;
          why = pcn_fw_reason_name(pv->declared[v]);
        }
      }
    bool always = nd->clamp_train && nd->clamp_eval;
    snprintf(label, sizeof label, "%s\n[%d] %s%s%s%s%s%s%s", nd->name, nd->size,
             act_name(nd->act), always ? "" : "\ninit ",
             always ? "" : init_name(nd->init.kind), where[0] ? "\n" : "", where,
             illegal ? "\nforward illegal: " : "", why);
    fprintf(out, "  n%d [label=", v);
    dot_str(out, label);
    if (where[0]) fputs(", style=filled, fillcolor=\"#cfe2f3\"", out);
    if (illegal) fputs(", color=red, penwidth=2, fontcolor=red", out);
    fputs("];\n", out);
  }
  for (int e = 0; e < g->nedges; e++) {
    int u = g->edges[e].src, v = g->edges[e].dst;
    fprintf(out, "  n%d -> n%d", u, v);
    if (edge_in_reported_cycle(an, u, v)) fputs(" [color=red, penwidth=2.5, style=bold]", out);
    else if (edge_on_cycle(an, u, v)) fputs(" [color=red, style=bold]", out);
    fputs(";\n", out);
  }
  fputs("}\n", out);
}
