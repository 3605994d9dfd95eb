/* test_schedule.c - Schedule IR, SMM counts (paper Eq. 5, 6), printers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "pcn/analysis.h"
#include "pcn/schedule.h"
#include "report.h"
#include "testgraph.h"
#include "testutil.h"

/* Chain x -> h1 -> ... -> h(L-1) -> y of L weight matrices; hidden
 * nodes 1..m forward, the rest `rest`. */
static void chain(TGraph *t, int L, int m, PcnInitKind rest) {
  tg_init_n(t, L + 1);
  for (int i = 0; i < L; i++) tg_edge(t, i, i + 1);
  tg_clamp(t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(t, L, PCN_CLAMP_LABEL, true, false);
  for (int i = 1; i < L; i++) tg_set_init(t, i, i <= m ? PCN_INIT_FORWARD : rest);
}

static PcnTrainConfig train_cfg(int T, int batch) {
  PcnTrainConfig tc;
  memset(&tc, 0, sizeof tc);
  tc.T = T;
  tc.batch = batch;
  tc.fraction = 1.0f;
  tc.method = PCN_METHOD_PC;
  return tc;
}

static PcnSchedule *build(TGraph *t, const PcnTrainConfig *tc, const PcnEvalConfig *ec,
                          int64_t samples) {
  PcnAnalysis *an = pcn_analyze(&t->arena, &t->g);
  CU_ASSERT_FATAL(an != NULL);
  PcnSchedule *s = pcn_schedule_build(&t->arena, &t->g, an, tc, ec, samples);
  CU_ASSERT_FATAL(s != NULL);
  return s;
}

static int stage_smm(const PcnPhaseProgram *p) {
  int n = 0;
  for (int i = 0; i < p->nstages; i++) n += p->stages[i].smm;
  return n;
}

static void test_smm_chains(void) {
  for (int L = 2; L <= 20; L++)
    for (int T = 1; T <= 20; T++) {
      PcnTrainConfig tc = train_cfg(T, 10);
      TGraph t;
      /* Eq. 5: no forward initialization, 2T */
      static const PcnInitKind others[] = {PCN_INIT_ZERO, PCN_INIT_RANDOM, PCN_INIT_NULL,
                                           PCN_INIT_AVERAGE};
      for (int k = 0; k < 4; k++) {
        chain(&t, L, 0, others[k]);
        PcnSchedule *s = build(&t, &tc, NULL, 100);
        CU_ASSERT_EQUAL(s->smm.init, 0);
        CU_ASSERT_EQUAL(s->smm.per_update, 2 * T);
        CU_ASSERT_EQUAL(s->smm.bp_per_update, 2 * L - 1);
        CU_ASSERT_EQUAL(stage_smm(&s->programs[PCN_PROG_TRAIN_STEP]), 2);
        CU_ASSERT_EQUAL(stage_smm(&s->programs[PCN_PROG_TRAIN_INIT]), 0);
        tg_free(&t);
      }
      /* Eq. 6: all hidden forward, 2T + L (= 3L at T = L) */
      chain(&t, L, L - 1, PCN_INIT_ZERO);
      PcnSchedule *s = build(&t, &tc, NULL, 100);
      CU_ASSERT_EQUAL(s->smm.init, L);
      CU_ASSERT_EQUAL(s->smm.per_update, 2 * T + L);
      if (T == L) CU_ASSERT_EQUAL(s->smm.per_update, 3 * L);
      /* the sweep's own GEMM stages: one per forward level */
      CU_ASSERT_EQUAL(stage_smm(&s->programs[PCN_PROG_TRAIN_INIT]), L - 1);
      CU_ASSERT_EQUAL_FATAL(s->ncritical, L + 1);
      for (int i = 0; i <= L; i++) CU_ASSERT_EQUAL(s->critical_path[i], i);
      /* evaluation: one forward pass of L products, no steps */
      CU_ASSERT_EQUAL(s->eval_mode, PCN_EVAL_FORWARD);
      CU_ASSERT_EQUAL(s->smm.eval_init, L);
      CU_ASSERT_EQUAL(s->smm.eval_T, 0);
      CU_ASSERT_EQUAL(s->smm.eval_per_batch, L);
      tg_free(&t);
      /* hybrid (Eq. 10): forward on the first m hidden, average after */
      for (int m = 1; m < L; m++) {
        chain(&t, L, m, PCN_INIT_AVERAGE);
        s = build(&t, &tc, NULL, 100);
        CU_ASSERT_EQUAL(s->smm.init, m + 1);
        CU_ASSERT_EQUAL(s->smm.per_update, 2 * T + m + 1);
        tg_free(&t);
      }
      /* backprop baseline */
      chain(&t, L, 0, PCN_INIT_ZERO);
      tc.method = PCN_METHOD_BP;
      s = build(&t, &tc, NULL, 100);
      CU_ASSERT_EQUAL(s->smm.per_update, 2 * L - 1);
      CU_ASSERT_EQUAL(s->ncritical, L + 1);
      tg_free(&t);
    }
}

static void test_batches(void) {
  TGraph t;
  PcnTrainConfig tc = train_cfg(5, 200);
  chain(&t, 4, 3, PCN_INIT_ZERO);
  PcnSchedule *s = build(&t, &tc, NULL, 60000);
  CU_ASSERT_EQUAL(s->smm.batches_per_epoch, 300);
  CU_ASSERT_EQUAL(s->smm.per_epoch, 300 * (4 + 10));
  s = build(&t, &tc, NULL, 1001);
  CU_ASSERT_EQUAL(s->smm.batches_per_epoch, 6); /* ceil */
  tc.fraction = 0.5f;
  s = build(&t, &tc, NULL, 60000);
  CU_ASSERT_EQUAL(s->smm.batches_per_epoch, 150);
  tg_free(&t);
  /* null drops the incomplete last batch */
  chain(&t, 4, 0, PCN_INIT_NULL);
  tc.fraction = 1.0f;
  s = build(&t, &tc, NULL, 1001);
  CU_ASSERT_EQUAL(s->smm.batches_per_epoch, 5);
  CU_ASSERT_EQUAL(s->smm.per_epoch, 5 * 10);
  /* defaults without settings: T = 1, one batch */
  s = build(&t, NULL, NULL, 0);
  CU_ASSERT_EQUAL(s->smm.T, 1);
  CU_ASSERT_EQUAL(s->smm.batches_per_epoch, 1);
  CU_ASSERT_EQUAL(s->smm.per_update, 2);
  tg_free(&t);
}

static const PcnOp *find_op(const PcnPhaseProgram *p, PcnOpKind k, int node, int *stage) {
  for (int i = 0; i < p->nstages; i++)
    for (int j = 0; j < p->stages[i].nops; j++) {
      const PcnOp *o = &p->stages[i].ops[j];
      if (o->kind == k && o->node == node) {
        if (stage) *stage = i;
        return o;
      }
    }
  return NULL;
}

static int count_ops(const PcnPhaseProgram *p, PcnOpKind k) {
  int n = 0;
  for (int i = 0; i < p->nstages; i++)
    for (int j = 0; j < p->stages[i].nops; j++) n += p->stages[i].ops[j].kind == k;
  return n;
}

static void test_program_structure(void) {
  /* x -> h1 -> h2 -> y plus a skip x -> h2; h1 forward, h2 zero */
  TGraph t;
  tg_init_n(&t, 4);
  tg_edge(&t, 0, 1);
  tg_edge(&t, 1, 2);
  tg_edge(&t, 2, 3);
  tg_edge(&t, 0, 2);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 3, PCN_CLAMP_LABEL, true, false);
  tg_set_init(&t, 1, PCN_INIT_FORWARD);
  t.g.nodes[1].size = 7;
  PcnTrainConfig tc = train_cfg(3, 8);
  tc.inference.momentum = 0.5f;
  PcnSchedule *s = build(&t, &tc, NULL, 80);
  const PcnGraph *g = &t.g;
  /* buffers */
  CU_ASSERT(s->buf_of[PCN_BUF_A][0] < 0 && s->buf_of[PCN_BUF_A][2] >= 0);
  CU_ASSERT(s->buf_of[PCN_BUF_DH][0] < 0 && s->buf_of[PCN_BUF_DH][3] >= 0);
  CU_ASSERT(s->buf_of[PCN_BUF_VEL][1] >= 0);
  CU_ASSERT(s->buf_of[PCN_BUF_B][1] >= 0 && s->buf_of[PCN_BUF_B][0] < 0);
  const PcnBuffer *w = &s->buffers[s->buf_of[PCN_BUF_W][1]];
  CU_ASSERT_STRING_EQUAL(w->name, "W.n1->n2");
  CU_ASSERT(!w->batch_rows && w->rows == 7 && w->cols == 4);
  CU_ASSERT(s->buffers[s->buf_of[PCN_BUF_H][1]].batch_rows);

  /* TRAIN_INIT: clamps and init, then the sweep of h1 */
  const PcnPhaseProgram *init = &s->programs[PCN_PROG_TRAIN_INIT];
  int st_clamp, st_init, st_set;
  CU_ASSERT_PTR_NOT_NULL(find_op(init, PCN_OP_LOAD_CLAMP, 0, &st_clamp));
  CU_ASSERT_PTR_NOT_NULL(find_op(init, PCN_OP_LOAD_CLAMP, 3, NULL));
  const PcnOp *io = find_op(init, PCN_OP_INIT, 2, &st_init);
  CU_ASSERT_FATAL(io != NULL);
  CU_ASSERT_EQUAL(io->init, PCN_INIT_ZERO);
  CU_ASSERT_PTR_NULL(find_op(init, PCN_OP_INIT, 1, NULL));
  CU_ASSERT_PTR_NOT_NULL(find_op(init, PCN_OP_FORWARD_SET, 1, &st_set));
  CU_ASSERT(st_set > st_clamp);
  CU_ASSERT_EQUAL(s->smm.init, 2); /* h1, then its frontier h2 */

  /* TRAIN_STEP: 4 stages; GEMMs into A for every in-edge, error products
   * for edges with a free source */
  const PcnPhaseProgram *step = &s->programs[PCN_PROG_TRAIN_STEP];
  CU_ASSERT_EQUAL_FATAL(step->nstages, 4);
  CU_ASSERT_EQUAL(step->stages[0].nops, 4);
  const PcnOp *g0 = &step->stages[0].ops[0];
  CU_ASSERT(g0->kind == PCN_OP_GEMM && g0->m == -1 && g0->beta == 0.0f && g0->alpha == 1.0f);
  int accum = 0;
  for (int j = 0; j < step->stages[0].nops; j++) accum += step->stages[0].ops[j].beta == 1.0f;
  CU_ASSERT_EQUAL(accum, 1); /* h2 has two parents */
  const PcnOp *pr = find_op(step, PCN_OP_PREDICT, 3, NULL);
  CU_ASSERT(pr && pr->dh == -1);
  pr = find_op(step, PCN_OP_PREDICT, 2, NULL);
  CU_ASSERT(pr && pr->dh == s->buf_of[PCN_BUF_DH][2]);
  CU_ASSERT_EQUAL(step->stages[2].nops, 2); /* h1->h2, h2->y */
  for (int j = 0; j < step->stages[2].nops; j++) {
    const PcnOp *o = &step->stages[2].ops[j];
    CU_ASSERT(o->trans_b && o->alpha == -1.0f && o->beta == 1.0f);
    CU_ASSERT_EQUAL(o->c, s->buf_of[PCN_BUF_DH][g->edges[o->edge].src]);
    CU_ASSERT_EQUAL(o->n, g->nodes[g->edges[o->edge].src].size);
  }
  CU_ASSERT_EQUAL(count_ops(step, PCN_OP_UPDATE_H), 2);
  const PcnOp *up = find_op(step, PCN_OP_UPDATE_H, 1, NULL);
  CU_ASSERT(up && up->vel == s->buf_of[PCN_BUF_VEL][1]);

  /* TRAIN_LEARN: DW = -(1/n) H^T G, one OPT_STEP per W and per B */
  const PcnPhaseProgram *learn = &s->programs[PCN_PROG_TRAIN_LEARN];
  CU_ASSERT_EQUAL(count_ops(learn, PCN_OP_OPT_STEP), 4 + 3);
  CU_ASSERT_EQUAL(count_ops(learn, PCN_OP_BIAS_GRAD), 3);
  CU_ASSERT_EQUAL(stage_smm(learn), 0);
  int dw = 0;
  for (int i = 0; i < learn->nstages; i++)
    for (int j = 0; j < learn->stages[i].nops; j++) {
      const PcnOp *o = &learn->stages[i].ops[j];
      if (o->kind == PCN_OP_GEMM && o->c == s->buf_of[PCN_BUF_DW][o->edge]) {
        dw++;
        CU_ASSERT(o->trans_a && o->alpha_over_batch && o->alpha == -1.0f && o->k == -1);
      }
    }
  CU_ASSERT_EQUAL(dw, 4);

  /* evaluation: a DAG with clamped input is one forward pass */
  CU_ASSERT_EQUAL(s->eval_mode, PCN_EVAL_FORWARD);
  CU_ASSERT_EQUAL(s->programs[PCN_PROG_EVAL_STEP].nstages, 0);
  CU_ASSERT_EQUAL(s->readout_node, 3);
  const PcnOp *ro = find_op(&s->programs[PCN_PROG_EVAL_READOUT], PCN_OP_READOUT, 3, NULL);
  CU_ASSERT(ro && ro->src == s->buf_of[PCN_BUF_H][3]);
  CU_ASSERT_PTR_NOT_NULL(find_op(&s->programs[PCN_PROG_EVAL_INIT], PCN_OP_FORWARD_SET, 3, NULL));
  CU_ASSERT_EQUAL(s->smm.eval_init, 3);
  tg_free(&t);
}

static void test_generative(void) {
  /* decoder z -> h1 -> h2 -> x, image clamped on x */
  TGraph t;
  tg_init_n(&t, 4);
  for (int i = 0; i < 3; i++) tg_edge(&t, i, i + 1);
  tg_clamp(&t, 3, PCN_CLAMP_IMAGE, true, true);
  tg_set_init(&t, 0, PCN_INIT_RANDOM);
  PcnTrainConfig tc = train_cfg(4, 10);
  PcnEvalConfig ec;
  memset(&ec, 0, sizeof ec);
  ec.T = 7;
  PcnSchedule *s = build(&t, &tc, &ec, 100);
  CU_ASSERT_EQUAL(s->eval_mode, PCN_EVAL_INFERENCE);
  CU_ASSERT_EQUAL(s->smm.per_update, 8);
  CU_ASSERT_EQUAL(s->smm.eval_T, 7);
  CU_ASSERT_EQUAL(s->smm.eval_per_batch, 14);
  CU_ASSERT_EQUAL(s->readout_node, 3);
  const PcnPhaseProgram *ro = &s->programs[PCN_PROG_EVAL_READOUT];
  const PcnOp *r = find_op(ro, PCN_OP_READOUT, 3, NULL);
  CU_ASSERT(r && r->src == s->buf_of[PCN_BUF_MU][3]);
  /* h1, h2 re-forwarded from the inferred latent, then mu of x */
  CU_ASSERT_PTR_NOT_NULL(find_op(ro, PCN_OP_FORWARD_SET, 1, NULL));
  CU_ASSERT_PTR_NOT_NULL(find_op(ro, PCN_OP_FORWARD_SET, 2, NULL));
  CU_ASSERT_PTR_NULL(find_op(ro, PCN_OP_FORWARD_SET, 3, NULL));
  CU_ASSERT_EQUAL(s->smm.eval_readout, 3);
  CU_ASSERT_EQUAL(stage_smm(ro), 3);
  /* the free root gets a zeroed dh before the error products */
  const PcnPhaseProgram *step = &s->programs[PCN_PROG_EVAL_STEP];
  const PcnOp *z = find_op(step, PCN_OP_ZERO, 0, NULL);
  CU_ASSERT(z && z->dst == s->buf_of[PCN_BUF_DH][0]);
  const PcnOp *in = find_op(&s->programs[PCN_PROG_TRAIN_INIT], PCN_OP_INIT, 0, NULL);
  CU_ASSERT(in && in->init == PCN_INIT_RANDOM);
  tg_free(&t);
}

/* A minimal JSON checker: balanced {} [] outside strings, valid escapes. */
static bool json_balanced(const char *s) {
  char stack[64];
  int sp = 0;
  bool in_str = false;
  for (const char *p = s; *p; p++) {
    if (in_str) {
      if (*p == '\\') {
        p++;
        if (!*p || !strchr("\"\\/bfnrtu", *p)) return false;
      } else if (*p == '"') {
        in_str = false;
      } else if ((unsigned char)*p < 0x20) {
        return false;
      }
      continue;
    }
    if (*p == '"') in_str = true;
    else if (*p == '{' || *p == '[') {
      if (sp == 64) return false;
      stack[sp++] = *p;
    } else if (*p == '}' || *p == ']') {
      if (sp == 0 || stack[--sp] != (*p == '}' ? '{' : '[')) return false;
    }
  }
  return sp == 0 && !in_str;
}

static char *capture(void (*fn)(FILE *, const void *), const void *arg) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fn(f, arg);
  fclose(f);
  return buf;
}

static void json_cb(FILE *f, const void *s) { pcn_report_schedule_json(f, s); }
static void text_cb(FILE *f, const void *s) { pcn_report_schedule_text(f, s); }

static void test_printers(void) {
  TGraph t;
  chain(&t, 3, 2, PCN_INIT_ZERO);
  t.g.nodes[1].name = "h\"quoted\\odd";
  PcnTrainConfig tc = train_cfg(3, 10);
  PcnSchedule *s = build(&t, &tc, NULL, 100);
  char *json = capture(json_cb, s);
  CU_ASSERT(json_balanced(json));
  static const char *keys[] = {"\"smm_per_update\": 9", "\"smm_per_epoch\": 90",
                               "\"smm_init\": 3", "\"smm_per_step\": 2", "\"T\": 3",
                               "\"batches_per_epoch\": 10", "\"stages\"",
                               "\"critical_path\"", "\"buffers\"", "\"program\"",
                               "\"label\"", "\"smm\"", "\"ops\"", "h\\\"quoted\\\\odd"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    CU_ASSERT_PTR_NOT_NULL(strstr(json, keys[i]));
  free(json);
  char *text = capture(text_cb, s);
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "gemm a.n2 = h.h\"quoted\\odd x W.h\"quoted\\odd->n2 [batch x 4 x 4]"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "SMM per update: 9"));
  free(text);

  /* dot: clamps filled, cycle edges red, quotes escaped */
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  char *dot = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&dot, &len);
  pcn_report_dot(f, &t.g, an);
  fclose(f);
  CU_ASSERT_PTR_NOT_NULL(strstr(dot, "digraph"));
  CU_ASSERT_PTR_NOT_NULL(strstr(dot, "fillcolor"));
  CU_ASSERT_PTR_NOT_NULL(strstr(dot, "h\\\"quoted\\\\odd"));
  CU_ASSERT_PTR_NULL(strstr(dot, "color=red"));
  free(dot);
  tg_free(&t);

  tg_init_n(&t, 3);
  tg_edge(&t, 0, 1);
  tg_edge(&t, 1, 2);
  tg_edge(&t, 2, 1);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_set_init(&t, 1, PCN_INIT_FORWARD);
  tg_set_init(&t, 2, PCN_INIT_FORWARD);
  an = pcn_analyze(&t.arena, &t.g);
  f = open_memstream(&dot, &len);
  pcn_report_dot(f, &t.g, an);
  fclose(f);
  CU_ASSERT_PTR_NOT_NULL(strstr(dot, "n1 -> n2 [color=red"));
  CU_ASSERT_PTR_NOT_NULL(strstr(dot, "forward illegal: cycle"));
  CU_ASSERT_PTR_NULL(strstr(dot, "n0 -> n1 [color=red"));
  free(dot);
  tg_free(&t);
}

/* GEMMs pcn_cg_plan_steps marks PCN_CG_SKIP in one run (NULL modes: 0). */
static int plan_gemm_skips(const PcnSchedule *s, PcnProgramKind prog, const uint8_t *md) {
  int k = 0, n = 0;
  const PcnPhaseProgram *pr = &s->programs[prog];
  for (int si = 0; si < pr->nstages; si++)
    for (int oi = 0; oi < pr->stages[si].nops; oi++, k++)
      if (md && pr->stages[si].ops[oi].kind == PCN_OP_GEMM && md[k] == PCN_CG_SKIP) n++;
  return n;
}

static const PcnOp *skipped_op(const PcnSchedule *s, const PcnSkipRun *r, int i) {
  return &s->programs[r->prog].stages[r->skipped[i].stage].ops[r->skipped[i].op];
}

static void print_skips_cb(FILE *f, const void *s) {
  PcnScheduleReportOptions o = {.batch = 10};
  pcn_report_schedule_text_opts(f, s, &o);
}
static void print_noskips_cb(FILE *f, const void *s) {
  PcnScheduleReportOptions o = {.batch = 10, .no_skips = true};
  pcn_report_schedule_text_opts(f, s, &o);
}

/* "Products proven unnecessary": the JIT's plan, with reasons, per run of
 * one training batch; the SMM counts stay the paper's. */
static void test_skips(void) {
  for (int L = 2; L <= 6; L++) {
    int T = L + 2;
    TGraph t;
    chain(&t, L, L - 1, PCN_INIT_ZERO); /* all hidden forward */
    PcnTrainConfig tc = train_cfg(T, 10);
    PcnSchedule *s = build(&t, &tc, NULL, 100);
    PcnSmmCounts before = s->smm;
    PcnSkipReport r;
    CU_ASSERT_FATAL(pcn_skip_report_build(s, 10, &r) == 0);
    CU_ASSERT_EQUAL(r.T, T);
    CU_ASSERT_EQUAL(r.specialized_T, T);
    CU_ASSERT_EQUAL_FATAL(r.nruns, T + 2);
    CU_ASSERT_EQUAL(r.runs[0].prog, PCN_PROG_TRAIN_INIT);
    CU_ASSERT_EQUAL(r.runs[0].gemms_kept, r.runs[0].gemms);
    CU_ASSERT_EQUAL(r.runs[T + 1].prog, PCN_PROG_TRAIN_LEARN);
    CU_ASSERT(r.runs[T + 1].specialized);

    /* The same skips as the plan the JIT compiles. */
    PcnCgStepPlan plan;
    CU_ASSERT_FATAL(pcn_cg_plan_steps(s, T, &plan) == 0);
    for (int i = 1; i <= T; i++) {
      const PcnSkipRun *x = &r.runs[i];
      CU_ASSERT(x->specialized);
      CU_ASSERT_EQUAL(x->step, i - 1);
      CU_ASSERT_EQUAL(x->gemms - x->gemms_kept,
                      plan_gemm_skips(s, PCN_PROG_TRAIN_STEP,
                                      plan.step_modes + (size_t)(i - 1) * plan.nstep_ops));
    }
    CU_ASSERT_EQUAL(r.runs[T + 1].gemms - r.runs[T + 1].gemms_kept,
                    plan_gemm_skips(s, PCN_PROG_TRAIN_LEARN, plan.learn_modes));
    pcn_cg_step_plan_free(&plan);

    /* Step 0: the error product of every hidden node with a hidden
     * parent (h2 .. h(L-1)) is skipped, its gated error being zero; the
     * output's error product is kept. Every skip has a retraced reason. */
    const PcnSkipRun *s0 = &r.runs[1];
    int zero_products = 0;
    for (int i = 0; i < s0->gemms - s0->gemms_kept; i++) {
      const PcnOp *op = skipped_op(s, s0, i);
      CU_ASSERT(s0->skipped[i].why != PCN_SKIP_PROVED);
      if (s0->skipped[i].why == PCN_SKIP_ZERO_OPERAND) {
        zero_products++;
        CU_ASSERT_EQUAL(s->buffers[op->a].kind, PCN_BUF_G);
        CU_ASSERT(op->node != L); /* not the output's error */
        CU_ASSERT_PTR_NOT_NULL(strstr(s0->skipped[i].reason, "is all zero"));
      } else {
        CU_ASSERT_EQUAL(s0->skipped[i].why, PCN_SKIP_UNCHANGED);
        CU_ASSERT_PTR_NOT_NULL(strstr(s0->skipped[i].reason, "train_init"));
      }
    }
    CU_ASSERT_EQUAL(zero_products, L - 2);
    /* ... and the hidden predictions recomputed from the sweep */
    CU_ASSERT_EQUAL(s0->gemms - s0->gemms_kept - zero_products, L - 1);

    /* The kept fraction never falls over the steps and rises overall. */
    for (int i = 2; i <= T; i++)
      CU_ASSERT(r.runs[i].flops_kept * r.runs[i - 1].flops >=
                r.runs[i - 1].flops_kept * r.runs[i].flops);
    if (L >= 3) CU_ASSERT(r.runs[T].flops_kept > r.runs[1].flops_kept);
    CU_ASSERT(r.flops_kept < r.flops);

    /* The SMM counts are the paper's, printed the same either way. */
    CU_ASSERT_EQUAL(s->smm.per_update, before.per_update);
    CU_ASSERT_EQUAL(s->smm.per_update, 2 * T + L);
    char *with = capture(print_skips_cb, s), *without = capture(print_noskips_cb, s);
    CU_ASSERT_PTR_NOT_NULL(strstr(with, "products proven unnecessary"));
    CU_ASSERT_PTR_NULL(strstr(without, "products proven unnecessary"));
    CU_ASSERT_EQUAL(strncmp(with, without, strlen(without)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(with, "  step 0: "));
    free(with);
    free(without);
    char *json = capture(json_cb, s);
    CU_ASSERT(json_balanced(json));
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"skips\": {"));
    if (L >= 3) CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"why\": \"zero_operand\""));
    free(json);
    pcn_skip_report_free(&r);
    tg_free(&t);
  }

  /* No forward initialization: INIT values are unknown to the analysis,
   * so step 0 skips nothing and nothing is zero; from step 1 on only the
   * products of the clamped input (h.x, W unchanged) are recomputations. */
  {
    TGraph t;
    chain(&t, 4, 0, PCN_INIT_ZERO);
    PcnTrainConfig tc = train_cfg(3, 10);
    PcnSchedule *s = build(&t, &tc, NULL, 100);
    PcnSkipReport r;
    CU_ASSERT_FATAL(pcn_skip_report_build(s, 10, &r) == 0);
    CU_ASSERT_EQUAL(r.runs[1].gemms_kept, r.runs[1].gemms);
    for (int i = 0; i < r.nruns; i++)
      for (int k = 0; k < r.runs[i].gemms - r.runs[i].gemms_kept; k++) {
        CU_ASSERT_EQUAL(r.runs[i].skipped[k].why, PCN_SKIP_UNCHANGED);
        CU_ASSERT_EQUAL(skipped_op(s, &r.runs[i], k)->a, s->buf_of[PCN_BUF_H][0]);
      }
    CU_ASSERT_EQUAL(r.runs[2].gemms - r.runs[2].gemms_kept, 1);
    CU_ASSERT_EQUAL(s->smm.per_update, 6);
    pcn_skip_report_free(&r);
    tg_free(&t);
  }

  /* More steps than the JIT specializes: the rest run in full, and so
   * does learning. */
  {
    TGraph t;
    chain(&t, 3, 2, PCN_INIT_ZERO);
    int T = PCN_CG_MAX_VARIANTS + 3;
    PcnTrainConfig tc = train_cfg(T, 10);
    PcnSchedule *s = build(&t, &tc, NULL, 100);
    PcnSkipReport r;
    CU_ASSERT_FATAL(pcn_skip_report_build(s, 10, &r) == 0);
    CU_ASSERT_EQUAL(r.specialized_T, PCN_CG_MAX_VARIANTS);
    CU_ASSERT_EQUAL_FATAL(r.nruns, T + 2);
    CU_ASSERT(r.runs[1].specialized);
    CU_ASSERT(r.runs[1].gemms_kept < r.runs[1].gemms);
    for (int i = PCN_CG_MAX_VARIANTS + 1; i <= T + 1; i++) {
      CU_ASSERT(!r.runs[i].specialized);
      CU_ASSERT_EQUAL(r.runs[i].gemms_kept, r.runs[i].gemms);
    }
    CU_ASSERT_EQUAL(s->smm.per_update, 2 * T + 3);
    pcn_skip_report_free(&r);
    tg_free(&t);
  }
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"SMM counts of chains (Eq. 5, 6, hybrid, BP)", test_smm_chains},
      {"batches per epoch", test_batches},
      {"program structure", test_program_structure},
      {"generative readout", test_generative},
      {"printers", test_printers},
      {"products proven unnecessary (pcn_cg_plan_steps)", test_skips},
      {NULL, NULL}};
  if (pcn_test_add_suite("schedule", cases)) return 1;
  return pcn_test_main();
}
