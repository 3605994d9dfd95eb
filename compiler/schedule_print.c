/*
 * schedule_print.c - `pcnc schedule` (text and --json) and `pcnc graph`
 * (Graphviz dot) printers.
 */
#include <stdio.h>
#include <string.h>

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

void pcn_report_schedule_text(FILE *out, const PcnSchedule *s) {
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

void pcn_report_schedule_json(FILE *out, const PcnSchedule *s) {
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
  fputs("\n  ]\n}\n", out);
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
