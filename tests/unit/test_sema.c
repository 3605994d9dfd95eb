/*
 * test_sema.c - semantic analysis: .pcn text -> Graph IR, and every class
 * of semantic error with its message and exact line:col.
 *
 * Columns in the error tests are computed from the source line (the column
 * of the token the error must point at), so each test states *which* token
 * is blamed rather than a bare number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile.h"
#include "testutil.h"

static PcnArena A;
static PcnDiag D;
static bool live;

static void reset(void) {
  if (live) {
    pcn_diag_free(&D);
    pcn_arena_free(&A);
  }
  pcn_arena_init(&A);
  pcn_diag_init(&D);
  live = true;
}

static PcnCompilation *compile(const char *src) {
  reset();
  return pcn_compile_string(&A, &D, "t.pcn", src, NULL);
}

static void dump(void) { pcn_diag_print(&D, stderr, 0); }

/* Column (1-based) of the first `tok` in line `line` of src, or -1. */
static int col_of(const char *src, int line, const char *tok) {
  const char *p = src;
  for (int l = 1; l < line && p; l++) {
    p = strchr(p, '\n');
    if (p) p++;
  }
  if (!p) return -1;
  const char *end = strchr(p, '\n');
  size_t len = end ? (size_t)(end - p) : strlen(p);
  char buf[512];
  if (len >= sizeof buf) return -1;
  memcpy(buf, p, len);
  buf[len] = 0;
  const char *hit = strstr(buf, tok);
  return hit ? (int)(hit - buf) + 1 : -1;
}

/* Index of the first diagnostic of severity sev containing msg, or -1. */
static int find(PcnSeverity sev, const char *msg) {
  for (int i = 0; i < D.nitems; i++)
    if (D.items[i].sev == sev && strstr(D.items[i].msg, msg)) return i;
  return -1;
}

/* Compiles src and asserts an error containing msg at line:col of tok. */
static int expect_at(const char *src, PcnSeverity sev, const char *msg,
                     int line, const char *tok) {
  compile(src);
  int i = find(sev, msg);
  int col = col_of(src, line, tok);
  CU_ASSERT_TRUE(col > 0);
  if (i < 0 || D.items[i].span.line != line || D.items[i].span.col != col) {
    fprintf(stderr, "\nexpected '%s' at %d:%d; got:\n", msg, line, col);
    dump();
    CU_FAIL("diagnostic missing or misplaced");
    return -1;
  }
  if (sev == PCN_SEV_ERROR) CU_ASSERT_TRUE(D.nerrors >= 1);
  return i;
}

static int expect_error(const char *src, const char *msg, int line,
                        const char *tok) {
  return expect_at(src, PCN_SEV_ERROR, msg, line, tok);
}

/* Asserts diagnostic i has a note containing msg at line:col of tok. */
static void expect_note(const char *src, int i, const char *msg, int line,
                        const char *tok) {
  if (i < 0) return;
  int col = col_of(src, line, tok);
  for (int j = 0; j < D.items[i].nnotes; j++) {
    const PcnDiagNote *n = &D.items[i].notes[j];
    if (strstr(n->msg, msg) && n->span.line == line && n->span.col == col)
      return;
  }
  fprintf(stderr, "\nexpected note '%s' at %d:%d; got:\n", msg, line, col);
  dump();
  CU_FAIL("note missing or misplaced");
}

#define FM                                                                   \
  "dataset fm { format idx; dir \"/x\"; train \"a\" \"b\"; test \"c\" "      \
  "\"d\"; features 784; classes 10; image 28 28; }\n"

/* ---- a valid program ------------------------------------------------- */

static const char *classifier =
    FM
    "param width = 64 * 2;\n"
    "model clf {\n"
    "  input x[28, 28];\n"
    "  target y[10];\n"
    "  node h1[width] act gelu init forward;\n"
    "  node h2[width / 2] act tanh init random(0.5, std = 0.25);\n"
    "  node h3[width] act relu init average;\n"
    "  x -> h1 -> h2 -> h3 -> y : dense;\n"
    "  h1 -> h3;\n"
    "}\n"
    "train clf {\n"
    "  data fm.train fraction 0.5;\n"
    "  batch 200 aligned;\n"
    "  epochs (2 * 8);\n"
    "  inference steps (width / 32 + 1) sgd(0.05, momentum = 0.5);\n"
    "  learning adamw(lr = 3e-4, weight_decay = 0.05);\n"
    "  seed 7;\n"
    "}\n"
    "evaluate clf { data fm.test; inference steps 12; }\n";

static void test_classifier(void) {
  PcnCompilation *c = compile(classifier);
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  CU_ASSERT_EQUAL_FATAL(c->nmodels, 1);
  CU_ASSERT_EQUAL(pcn_compilation_find_model(c, "clf"), 0);
  CU_ASSERT_EQUAL(pcn_compilation_find_model(c, "nope"), -1);
  const PcnGraph *g = c->models[0];
  CU_ASSERT_STRING_EQUAL(g->name, "clf");
  CU_ASSERT_EQUAL_FATAL(g->nnodes, 5);
  const PcnNode *x = &g->nodes[0], *y = &g->nodes[1], *h1 = &g->nodes[2],
                *h2 = &g->nodes[3], *h3 = &g->nodes[4];
  CU_ASSERT_STRING_EQUAL(x->name, "x");
  CU_ASSERT_EQUAL(x->size, 784);
  CU_ASSERT_EQUAL(x->ndims, 2);
  CU_ASSERT_EQUAL(x->dims[1], 28);
  CU_ASSERT_EQUAL(x->clamp, PCN_CLAMP_IMAGE);
  CU_ASSERT_TRUE(x->clamp_train && x->clamp_eval);
  CU_ASSERT_FALSE(x->bias);
  CU_ASSERT_EQUAL(y->size, 10);
  CU_ASSERT_EQUAL(y->clamp, PCN_CLAMP_LABEL);
  CU_ASSERT_TRUE(y->clamp_train);
  CU_ASSERT_FALSE(y->clamp_eval);
  CU_ASSERT_TRUE(y->bias);
  CU_ASSERT_EQUAL(h1->size, 128);
  CU_ASSERT_EQUAL(h1->act, PCN_ACT_GELU);
  CU_ASSERT_EQUAL(h1->init.kind, PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(h1->clamp, PCN_CLAMP_NONE);
  CU_ASSERT_EQUAL(h2->size, 64);
  CU_ASSERT_EQUAL(h2->act, PCN_ACT_TANH);
  CU_ASSERT_EQUAL(h2->init.kind, PCN_INIT_RANDOM);
  CU_ASSERT_DOUBLE_EQUAL(h2->init.mean, 0.5, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(h2->init.std, 0.25, 1e-6);
  CU_ASSERT_EQUAL(h3->init.kind, PCN_INIT_AVERAGE);
  CU_ASSERT_EQUAL(h3->act, PCN_ACT_RELU);
  CU_ASSERT_EQUAL(x->act, PCN_ACT_IDENTITY);
  CU_ASSERT_EQUAL(x->init.kind, PCN_INIT_ZERO);

  /* Edges in source order, both directions linked. */
  CU_ASSERT_EQUAL_FATAL(g->nedges, 5);
  int want[5][2] = {{0, 2}, {2, 3}, {3, 4}, {4, 1}, {2, 4}};
  for (int e = 0; e < 5; e++) {
    CU_ASSERT_EQUAL(g->edges[e].src, want[e][0]);
    CU_ASSERT_EQUAL(g->edges[e].dst, want[e][1]);
    CU_ASSERT_EQUAL(g->edges[e].kind, PCN_EDGE_DENSE);
  }
  CU_ASSERT_EQUAL(h3->nin, 2);
  CU_ASSERT_EQUAL(h3->in_edges[0], 2);
  CU_ASSERT_EQUAL(h3->in_edges[1], 4);
  CU_ASSERT_EQUAL(h1->nout, 2);
  CU_ASSERT_EQUAL(h1->out_edges[0], 1);
  CU_ASSERT_EQUAL(h1->out_edges[1], 4);
  CU_ASSERT_EQUAL(x->nin, 0);
  CU_ASSERT_EQUAL(x->nout, 1);
  CU_ASSERT_EQUAL(y->nout, 0);

  CU_ASSERT_EQUAL_FATAL(c->ndatasets, 1);
  const PcnDataset *ds = &c->datasets[0];
  CU_ASSERT_EQUAL(ds->format, PCN_DATA_IDX);
  CU_ASSERT_STRING_EQUAL(ds->dir, "/x");
  CU_ASSERT_STRING_EQUAL(ds->train_files[1], "b");
  CU_ASSERT_STRING_EQUAL(ds->test_files[0], "c");
  CU_ASSERT_EQUAL(ds->features, 784);
  CU_ASSERT_EQUAL(ds->classes, 10);
  CU_ASSERT_EQUAL(ds->image_h, 28);
  CU_ASSERT_EQUAL(ds->label_column, -1);

  CU_ASSERT_EQUAL_FATAL(c->ntrains, 1);
  const PcnTrainConfig *t = &c->trains[0];
  CU_ASSERT_EQUAL(t->model, 0);
  CU_ASSERT_EQUAL(t->dataset, 0);
  CU_ASSERT_DOUBLE_EQUAL(t->fraction, 0.5, 1e-6);
  CU_ASSERT_EQUAL(t->batch, 200);
  CU_ASSERT_EQUAL(t->sampling, PCN_SAMPLE_ALIGNED);
  CU_ASSERT_EQUAL(t->epochs, 16);
  CU_ASSERT_EQUAL(t->T, 5);
  CU_ASSERT_EQUAL(t->inference.kind, PCN_OPT_SGD);
  CU_ASSERT_DOUBLE_EQUAL(t->inference.lr, 0.05, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(t->inference.momentum, 0.5, 1e-7);
  CU_ASSERT_EQUAL(t->learning.kind, PCN_OPT_ADAMW);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.lr, 3e-4, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.beta1, 0.9, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.beta2, 0.999, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.eps, 1e-8, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.weight_decay, 0.05, 1e-7);
  CU_ASSERT_EQUAL(t->seed, 7);
  CU_ASSERT_EQUAL(t->method, PCN_METHOD_PC);

  CU_ASSERT_EQUAL_FATAL(c->nevals, 1);
  const PcnEvalConfig *ev = &c->evals[0];
  CU_ASSERT_EQUAL(ev->model, 0);
  CU_ASSERT_EQUAL(ev->dataset, 0);
  CU_ASSERT_EQUAL(ev->metric, PCN_METRIC_ACCURACY);
  CU_ASSERT_EQUAL(ev->T, 12);
  CU_ASSERT_EQUAL(ev->batch, 200); /* inherited from the train block */

  /* Graph analysis ran and is reachable through the API. */
  CU_ASSERT_PTR_NOT_NULL(pcn_compilation_analysis(c, 0));
  CU_ASSERT_PTR_NULL(pcn_compilation_analysis(c, 1));
}

static void test_defaults(void) {
  PcnCompilation *c = compile(FM
                              "model m { input x[784]; target y[10]; x -> y; "
                              "}\n"
                              "train m { data fm.train; }\n"
                              "evaluate m { data fm.test; }\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  const PcnTrainConfig *t = &c->trains[0];
  CU_ASSERT_DOUBLE_EQUAL(t->fraction, 1.0, 0);
  CU_ASSERT_EQUAL(t->sampling, PCN_SAMPLE_SHUFFLED);
  CU_ASSERT_EQUAL(t->inference.kind, PCN_OPT_SGD);
  CU_ASSERT_DOUBLE_EQUAL(t->inference.lr, 0.1, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(t->inference.momentum, 0, 0);
  CU_ASSERT_EQUAL(t->learning.kind, PCN_OPT_ADAMW);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.lr, 0.001, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(t->learning.weight_decay, 0.01, 1e-9);
  CU_ASSERT_EQUAL(t->seed, 0);
  CU_ASSERT_EQUAL(t->method, PCN_METHOD_PC);
  CU_ASSERT_EQUAL(c->evals[0].metric, PCN_METRIC_ACCURACY);
  CU_ASSERT_EQUAL(c->evals[0].batch, t->batch);

  /* adam defaults differ from adamw only in weight decay; `sgd` alone. */
  c = compile(FM "model m { input x[784]; target y[10]; x -> y; }\n"
                 "train m { data fm.train; learning adam; inference steps 3 "
                 "sgd; }\n");
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  CU_ASSERT_EQUAL(c->trains[0].learning.kind, PCN_OPT_ADAM);
  CU_ASSERT_DOUBLE_EQUAL(c->trains[0].learning.weight_decay, 0, 0);
  CU_ASSERT_DOUBLE_EQUAL(c->trains[0].learning.beta2, 0.999, 1e-7);
  CU_ASSERT_EQUAL(c->trains[0].T, 3);
}

static void test_params_and_names(void) {
  PcnCompilation *c = compile(
      "param n = 3;\n"
      "param r = 7.0 / 2;\n"
      "param k = (n + 1) * 2 - 10 % 4;\n" /* 6 */
      "model m {\n"
      "  param n = 2;\n" /* shadows the global n */
      "  node a@n[k];\n"
      "  node a@(n + 1)[n];\n"
      "  a2 -> a3;\n"
      "}\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  const PcnGraph *g = c->models[0];
  CU_ASSERT_EQUAL_FATAL(g->nnodes, 2);
  CU_ASSERT_STRING_EQUAL(g->nodes[0].name, "a2");
  CU_ASSERT_EQUAL(g->nodes[0].size, 6);
  CU_ASSERT_STRING_EQUAL(g->nodes[1].name, "a3");
  CU_ASSERT_EQUAL(g->nodes[1].size, 2);
}

/* A deep chain written with loops: x, h1..h23, y = 25 nodes. */
static void test_for_chain(void) {
  PcnCompilation *c = compile(FM
                              "param depth = 23;\n"
                              "model deep {\n"
                              "  input x[784];\n"
                              "  target y[10];\n"
                              "  for i in 1 .. depth {\n"
                              "    node h@i[16] act relu init forward;\n"
                              "  }\n"
                              "  x -> h1;\n"
                              "  for i in 2 .. depth { h@(i - 1) -> h@i; }\n"
                              "  h@depth -> y;\n"
                              "  for i in 5 .. 4 { node never[1]; }\n"
                              "}\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  const PcnGraph *g = c->models[0];
  CU_ASSERT_EQUAL_FATAL(g->nnodes, 25);
  CU_ASSERT_EQUAL_FATAL(g->nedges, 24);
  for (int i = 2; i < 25; i++) {
    char want[8];
    snprintf(want, sizeof want, "h%d", i - 1);
    CU_ASSERT_STRING_EQUAL(g->nodes[i].name, want);
    CU_ASSERT_EQUAL(g->nodes[i].nin, 1);
    CU_ASSERT_EQUAL(g->nodes[i].nout, 1);
    CU_ASSERT_EQUAL(g->nodes[i].act, PCN_ACT_RELU);
  }
  /* The chain is connected in order: each h_i's parent is h_{i-1}. */
  for (int i = 3; i < 25; i++) {
    const PcnEdge *e = &g->edges[g->nodes[i].in_edges[0]];
    CU_ASSERT_EQUAL(e->src, i - 1);
  }
  CU_ASSERT_EQUAL(g->nodes[1].nin, 1);
  CU_ASSERT_EQUAL(g->edges[g->nodes[1].in_edges[0]].src, 24);
}

static void test_nested_for(void) {
  PcnCompilation *c = compile("model grid {\n"
                              "  for i in 1 .. 3 {\n"
                              "    for j in 1 .. 4 { node g@(i * 10 + j)[1]; }\n"
                              "  }\n"
                              "  for i in 1 .. 3 { for j in 2 .. 4 {\n"
                              "    g@(i * 10 + j - 1) -> g@(i * 10 + j);\n"
                              "  } }\n"
                              "}\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  CU_ASSERT_EQUAL(c->models[0]->nnodes, 12);
  CU_ASSERT_EQUAL(c->models[0]->nedges, 9);
  CU_ASSERT_STRING_EQUAL(c->models[0]->nodes[11].name, "g34");
}

static void test_memory_ir(void) {
  PcnCompilation *c = compile(FM
                              "model gen {\n"
                              "  input x[784];\n"
                              "  node z[32] init memory(M);\n"
                              "  node w[16] init memory(M);\n"
                              "  z -> w -> x;\n"
                              "  memory M { patterns 8; heads 4; embed 64; "
                              "delta 200.0; query x; }\n"
                              "}\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  const PcnGraph *g = c->models[0];
  CU_ASSERT_EQUAL_FATAL(g->nmemories, 1);
  const PcnMemory *m = &g->memories[0];
  CU_ASSERT_EQUAL(m->patterns, 8);
  CU_ASSERT_EQUAL(m->heads, 4);
  CU_ASSERT_EQUAL(m->embed, 64);
  CU_ASSERT_DOUBLE_EQUAL(m->delta, 200.0, 1e-4);
  CU_ASSERT_EQUAL_FATAL(m->nquery, 1);
  CU_ASSERT_EQUAL(m->query[0], 0);
  CU_ASSERT_EQUAL_FATAL(m->ntargets, 2);
  CU_ASSERT_EQUAL(m->targets[0], 1);
  CU_ASSERT_EQUAL(m->targets[1], 2);
  CU_ASSERT_EQUAL(g->nodes[1].init.kind, PCN_INIT_MEMORY);
  CU_ASSERT_EQUAL(g->nodes[1].init.memory, 0);
}

static void test_synthetic_csv(void) {
  PcnCompilation *c = compile(
      "dataset blobs { format synthetic; generator blobs; samples 200 50; "
      "features 2; classes 3; }\n"
      "dataset iris { format csv; train \"i.csv\"; test \"t.csv\"; "
      "features 4; classes 3; label_column 4; }\n");
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  CU_ASSERT_EQUAL(c->datasets[0].format, PCN_DATA_SYNTHETIC);
  CU_ASSERT_STRING_EQUAL(c->datasets[0].generator, "blobs");
  CU_ASSERT_EQUAL(c->datasets[0].train_samples, 200);
  CU_ASSERT_EQUAL(c->datasets[0].test_samples, 50);
  CU_ASSERT_EQUAL(c->datasets[1].format, PCN_DATA_CSV);
  CU_ASSERT_EQUAL(c->datasets[1].label_column, 4);
  CU_ASSERT_STRING_EQUAL(c->datasets[1].train_files[0], "i.csv");
}

static void test_warnings(void) {
  compile("model empty { }\n");
  CU_ASSERT_EQUAL(D.nerrors, 0);
  CU_ASSERT_TRUE(find(PCN_SEV_WARNING, "model 'empty' has no nodes") >= 0);
  const char *s = "model m {\n"
                  "  node a[1];\n"
                  "  node b[1];\n"
                  "  node lonely[1];\n"
                  "  a -> b;\n"
                  "}\n";
  expect_at(s, PCN_SEV_WARNING, "node 'lonely' is isolated", 4, "lonely");
  CU_ASSERT_EQUAL(D.nerrors, 0);
  s = "model m {\n"
      "  input x[1] init forward;\n"
      "  node h[1];\n"
      "  x -> h;\n"
      "}\n";
  expect_at(s, PCN_SEV_WARNING, "initializer of a clamped node is never used",
            2, "forward");
}

/* ---- errors: params and constants ------------------------------------ */

static void test_err_params(void) {
  const char *s = "param a = 1;\n"
                  "param a = 2;\n";
  int i = expect_error(s, "redefinition of param 'a'", 2, "a =");
  expect_note(s, i, "first defined here", 1, "a =");

  s = "param a = b + 1;\n"
      "param b = 2;\n";
  i = expect_error(s, "'b' is used before its definition", 1, "b +");
  expect_note(s, i, "defined here", 2, "b =");

  s = "param a = 1;\n"
      "param c = a * nope;\n";
  expect_error(s, "undefined name 'nope'", 2, "nope");

  s = "param a = 7 / 2;\n";
  expect_error(s, "not an integer", 1, "7 / 2");

  s = "param z = 0;\n"
      "param a = 3 / z;\n";
  expect_error(s, "division by zero", 2, "3 / z");

  s = "param big = 100000000 * 100000000;\n";
  expect_error(s, "integer overflow", 1, "100000000 *");

  s = "model m { node h[2.5]; }\n";
  expect_error(s, "node dimension must be an integer", 1, "2.5");

  s = "model m { node h@(0 - 1)[2]; }\n";
  expect_error(s, "name index must be a non-negative integer", 1, "0 - 1");
}

/* ---- errors: models --------------------------------------------------- */

static void test_err_undefined_node(void) {
  const char *s = "model m {\n"
                  "  node h8[2];\n"
                  "  input x[2];\n"
                  "  x -> h9;\n"
                  "}\n";
  int i = expect_error(s, "undefined node 'h9'", 4, "h9");
  expect_note(s, i, "did you mean 'h8'?", 2, "h8");
  /* Only once even in the middle of a chain. */
  s = "model m {\n"
      "  node a[1];\n"
      "  node b[1];\n"
      "  a -> zzz -> b;\n"
      "}\n";
  expect_error(s, "undefined node 'zzz'", 4, "zzz");
  CU_ASSERT_EQUAL(D.nerrors, 1);
  CU_ASSERT_EQUAL(D.nwarnings, 0); /* no "isolated" noise from the typo */
  /* Off by one in a loop: the last of equally close names is suggested. */
  s = "model m {\n"
      "  for i in 1 .. 3 { node h@i[1]; }\n"
      "  for i in 1 .. 3 { h@i -> h@(i + 1); }\n"
      "}\n";
  i = expect_error(s, "undefined node 'h4'", 3, "h@(i");
  expect_note(s, i, "did you mean 'h3'?", 2, "h@i");
}

static void test_err_duplicates(void) {
  const char *s = "model m {\n"
                  "  node a[1];\n"
                  "  node b[1];\n"
                  "  a -> b;\n"
                  "  a -> b;\n"
                  "}\n";
  int i = expect_error(s, "duplicate edge 'a -> b'", 5, "a -> b");
  expect_note(s, i, "first defined here", 4, "a -> b");

  s = "model m {\n"
      "  node a[1];\n"
      "  node a[2];\n"
      "}\n";
  i = expect_error(s, "duplicate node 'a'", 3, "a[");
  expect_note(s, i, "first defined here", 2, "a[");

  s = "model m { node a[1]; }\n"
      "model m { node b[1]; }\n";
  i = expect_error(s, "duplicate model 'm'", 2, "m {");
  expect_note(s, i, "first defined here", 1, "m {");

  s = FM "dataset fm { format csv; features 1; train \"x\"; }\n";
  i = expect_error(s, "duplicate dataset 'fm'", 2, "fm");
  expect_note(s, i, "first defined here", 1, "fm");

  s = "model m {\n"
      "  node a[1] act relu act tanh;\n"
      "}\n";
  expect_error(s, "'act' given twice", 2, "act tanh");
}

static void test_err_node_attrs(void) {
  const char *s = "model m {\n"
                  "  node h[4] act swish;\n"
                  "}\n";
  expect_error(s, "unknown activation 'swish' (known: identity, relu", 2,
               "swish");
  s = "model m {\n"
      "  node h[4] init magic;\n"
      "}\n";
  expect_error(s, "unknown initializer 'magic'", 2, "magic");
  s = "model m {\n"
      "  node h[4] init random(0, -1);\n"
      "}\n";
  expect_error(s, "std -1 is out of range [0, inf)", 2, "-1");
  s = "model m {\n"
      "  node h[4] init random(mean = 0, sigma = 1);\n"
      "}\n";
  expect_error(s, "unknown argument 'sigma' of random", 2, "sigma");
  s = "model m {\n"
      "  node h[4] clamp pixels;\n"
      "}\n";
  expect_error(s, "clamp needs 'image' or 'label'", 2, "pixels");
  s = "model m {\n"
      "  node h[0];\n"
      "}\n";
  expect_error(s, "node dimension 0 is out of range 1..16777216", 2, "0");
  s = "model m {\n"
      "  node a[1];\n"
      "  node b[1];\n"
      "  a -> b : conv2d;\n"
      "}\n";
  expect_error(s, "unknown transform 'conv2d': only 'dense'", 4, "conv2d");
}

static void test_err_absurd_sizes(void) {
  const char *s = "model m {\n"
                  "  node h[100000, 100000];\n"
                  "}\n";
  expect_error(s, "node 'h' has 10000000000 elements, more than the limit", 2,
               "100000,");
  s = "model m {\n"
      "  node a[16777216];\n"
      "  node b[100];\n"
      "  a -> b;\n"
      "}\n";
  expect_error(s, "edge 'a -> b' has 1677721600 weights", 4, "a -> b");
  /* Each edge at the edge limit (2^28), five of them pass 2^30. */
  s = "model huge {\n"
      "  node a[16384]; node b[16384]; node c[16384];\n"
      "  a -> b -> c -> a;\n"
      "  a -> c -> b -> a;\n"
      "}\n";
  expect_error(s, "model 'huge' has 1610612736 weights in total", 1, "huge");
  s = "model m {\n"
      "  for i in 1 .. 2000000 { node h@i[1]; }\n"
      "}\n";
  expect_error(s, "for-loops expand to more than 1000000 items", 2, "1 ..");
  s = "model m {\n"
      "  for i in 1 .. 2000 {\n"
      "    for j in 1 .. 1000 { node h@(i * 10000 + j)[1]; }\n"
      "  }\n"
      "}\n";
  expect_error(s, "for-loops expand to more than 1000000 items", 3, "1 ..");
  CU_ASSERT_EQUAL(D.nerrors, 1);
}

static void test_err_memory(void) {
  const char *s = "model m {\n"
                  "  input x[4];\n"
                  "  node h[4] init memory(Hop);\n"
                  "  x -> h;\n"
                  "  memory Hopf { query x; }\n"
                  "}\n";
  int i = expect_error(s, "undefined memory 'Hop'", 3, "Hop");
  expect_note(s, i, "did you mean 'Hopf'?", 5, "Hopf");
  s = "model m {\n"
      "  input x[4];\n"
      "  node h[4] init memory(M);\n"
      "  x -> h;\n"
      "  memory M { heads 3; embed 64; query x; }\n"
      "}\n";
  i = expect_error(s, "embed 64 is not divisible by heads 3", 5, "64");
  expect_note(s, i, "heads set here", 5, "3");
  s = "model m {\n"
      "  input x[4];\n"
      "  node h[4] init memory(M);\n"
      "  x -> h;\n"
      "  memory M { query x y; }\n"
      "}\n";
  expect_error(s, "undefined node 'y'", 5, "y;");
  s = "model m {\n"
      "  input x[4];\n"
      "  node h[4] init memory(M);\n"
      "  x -> h;\n"
      "  memory M { patterns 4; }\n"
      "}\n";
  expect_error(s, "memory 'M' needs a query", 5, "M {");
  s = "model m {\n"
      "  input x[4];\n"
      "  node h[4] init memory(M);\n"
      "  x -> h;\n"
      "  memory M { query x; temperature 3; }\n"
      "}\n";
  expect_error(s, "unknown memory setting 'temperature'", 5, "temperature");
}

/* ---- errors: datasets ------------------------------------------------- */

static void test_err_datasets(void) {
  const char *s = "dataset d {\n"
                  "  format idx; features 4; train \"a\" \"b\";\n"
                  "  colour red;\n"
                  "}\n";
  expect_error(s,
               "unknown dataset setting 'colour' (known: format, dir, train, "
               "test, label_column, features, classes, image, generator, "
               "samples)",
               3, "colour");
  s = "dataset d {\n"
      "  classes 3;\n"
      "}\n";
  expect_error(s, "dataset 'd' needs a format", 1, "d {");
  CU_ASSERT_TRUE(find(PCN_SEV_ERROR, "dataset 'd' needs 'features N'") >= 0);
  s = "dataset d {\n"
      "  format parquet; features 4;\n"
      "}\n";
  expect_error(s, "unknown dataset format 'parquet' (known: idx, csv, "
                  "synthetic)",
               2, "parquet");
  s = "dataset d {\n"
      "  format synthetic; features 2; samples 10 10; generator moons;\n"
      "}\n";
  expect_error(s, "unknown generator 'moons'", 2, "moons");
  s = "dataset d {\n"
      "  format idx; features (0 - 4); train \"a\" \"b\";\n"
      "}\n";
  expect_error(s, "features -4 is out of range", 2, "0 - 4");
  s = "dataset d {\n"
      "  format idx; features 784; train \"a\" \"b\"; image 28 27;\n"
      "}\n";
  expect_error(s, "image 28 x 27 has 756 pixels but features is 784", 2,
               "image");
  s = "dataset d {\n"
      "  format idx; features 4; train \"a\";\n"
      "}\n";
  expect_error(s, "an idx dataset's 'train' takes two files", 2, "train");
  s = "dataset d {\n"
      "  format synthetic; features 2; generator xor;\n"
      "}\n";
  expect_error(s, "synthetic dataset 'd' needs 'samples TRAIN TEST'", 1, "d {");
  s = "dataset d {\n"
      "  format csv; features 4; train 42;\n"
      "}\n";
  expect_error(s, "a data file name must be a string", 2, "42");
}

/* ---- errors: train / evaluate ---------------------------------------- */

#define MODEL "model m { input x[784]; target y[10]; x -> y; }\n"

static void test_err_train(void) {
  const char *s = FM MODEL "train nomodel { data fm.train; }\n";
  expect_error(s, "train block for unknown model 'nomodel'", 3, "nomodel");
  CU_ASSERT_EQUAL(D.items[0].nnotes, 0); /* nothing close to suggest */
  s = FM MODEL "train mm { data fm.train; }\n";
  int i = expect_error(s, "train block for unknown model 'mm'", 3, "mm");
  expect_note(s, i, "did you mean 'm'?", 2, "m {");
  s = FM MODEL "train m { data fn.train; }\n";
  i = expect_error(s, "undefined dataset 'fn'", 3, "fn");
  expect_note(s, i, "did you mean 'fm'?", 1, "fm");

  s = FM MODEL "train m { data fm.train; }\n"
               "train m { data fm.train; }\n";
  i = expect_error(s, "model 'm' already has a train block", 4, "m {");
  expect_note(s, i, "first train block", 3, "m {");

  s = FM MODEL "train m { data fm.train; batch 70000; }\n";
  expect_error(s, "batch 70000 is out of range 1..65536", 3, "70000");

  s = FM MODEL "train m { data fm.train fraction 1.5; }\n";
  expect_error(s, "fraction 1.5 is out of range (0, 1]", 3, "1.5");

  s = FM MODEL "train m { data nope.train; }\n";
  expect_error(s, "undefined dataset 'nope'", 3, "nope");

  s = FM MODEL "train m { data fm.test; }\n";
  expect_error(s, "a train block reads the train split: write 'fm.train'", 3,
               "fm.test");

  s = FM MODEL "train m { batch 10; }\n";
  expect_error(s, "train block for 'm' needs 'data D.train'", 3, "m {");

  s = FM MODEL "train m { data fm.train; learning rmsprop(0.1); }\n";
  expect_error(s, "unknown optimizer 'rmsprop' (known: sgd, adam, adamw)", 3,
               "rmsprop");

  s = FM MODEL "train m { data fm.train; learning sgd(lr = 0.1, beta1 = 0.9); "
               "}\n";
  expect_error(s, "unknown argument 'beta1' of sgd (known: lr, momentum", 3,
               "beta1");

  s = FM MODEL "train m { data fm.train; inference steps 5 sgd(momentum = "
               "1.5); }\n";
  expect_error(s, "momentum 1.5 is out of range [0, 1)", 3, "1.5");

  s = FM MODEL "train m { data fm.train; learning adam(0.1, beta2 = 1); }\n";
  expect_error(s, "beta2 1 is out of range [0, 1)", 3, "1)");

  s = FM MODEL "train m { data fm.train; epochs 0; }\n";
  expect_error(s, "epochs 0 is out of range 1..100000", 3, "0;");

  s = FM MODEL "train m { data fm.train; inference steps 200000; }\n";
  expect_error(s, "inference steps 200000 is out of range 0..100000", 3,
               "200000");

  s = FM MODEL "train m { data fm.train; method magic; }\n";
  expect_error(s, "unknown method 'magic' (known: pc, bp)", 3, "magic");

  s = FM MODEL "train m { data fm.train; speed 3; }\n";
  expect_error(s, "unknown train setting 'speed' (known: data, batch, epochs, "
                  "inference, learning, seed, method)",
               3, "speed");

  s = FM MODEL "train m { data fm.train; batch 64 aligned; }\n";
  expect_error(s, "64 is not a multiple of the 10 classes", 3, "64");
}

static void test_err_evaluate(void) {
  const char *s = FM MODEL "evaluate nomodel { data fm.test; }\n";
  expect_error(s, "evaluate block for unknown model 'nomodel'", 3, "nomodel");
  s = FM MODEL "evaluate m { data fm.train; }\n";
  expect_error(s, "an evaluate block reads the test split: write 'fm.test'", 3,
               "fm.train");
  s = "dataset u { format synthetic; generator blobs; samples 10 10; "
      "features 784; }\n" MODEL "evaluate m { data u.test; metric "
      "accuracy; }\n";
  expect_error(s, "accuracy needs labels, but dataset 'u' has no classes", 3,
               "accuracy;");
  s = FM MODEL "evaluate m { data fm.test; }\n"
               "evaluate m { data fm.test; }\n";
  int i = expect_error(s, "model 'm' already has an evaluate block", 4, "m {");
  expect_note(s, i, "first evaluate block", 3, "m {");
}

static void test_err_connect(void) {
  const char *s = FM "model m {\n"
                     "  input x[100];\n"
                     "  target y[10];\n"
                     "  x -> y;\n"
                     "}\n"
                     "train m { data fm.train; }\n";
  int i = expect_error(s, "input 'x' has 100 elements but dataset 'fm' has 784 "
                          "features",
                       3, "x[");
  expect_note(s, i, "features of 'fm'", 1, "784");
  expect_note(s, i, "reads 'fm' here", 7, "fm.train");

  s = FM "model m {\n"
         "  input x[784];\n"
         "  target y[3];\n"
         "  x -> y;\n"
         "}\n"
         "evaluate m { data fm.test; }\n";
  expect_error(s, "target 'y' has 3 elements but dataset 'fm' has 10 classes",
               4, "y[");

  s = FM "model m {\n"
         "  input x[784];\n"
         "  node h[8] init average;\n"
         "  target y[10];\n"
         "  x -> h -> y;\n"
         "}\n"
         "train m { data fm.train; batch 100; }\n";
  i = expect_error(s, "init average needs stream-aligned batches", 4,
                   "average");
  expect_note(s, i, "batches are shuffled here", 8, "100");

  s = FM "model m {\n"
         "  input x[784];\n"
         "  node h[8] init null;\n"
         "  target y[10];\n"
         "  x -> h -> y;\n"
         "}\n"
         "train m { data fm.train; }\n";
  i = expect_error(s, "init null needs a fixed batch size", 4, "null");
  expect_note(s, i, "drops the incomplete last batch", 8, "m {");

  /* With an explicit batch, null is fine and says what happens. */
  s = FM "model m {\n"
         "  input x[784];\n"
         "  node h[8] init null;\n"
         "  target y[10];\n"
         "  x -> h -> y;\n"
         "}\n"
         "train m { data fm.train; batch 32; }\n";
  expect_at(s, PCN_SEV_NOTE, "drops the incomplete last batch", 4, "null");
  CU_ASSERT_EQUAL(D.nerrors, 0);

  s = "dataset u { format synthetic; generator blobs; samples 10 10; "
      "features 784; }\n"
      "model m {\n"
      "  input x[784];\n"
      "  target y[10];\n"
      "  x -> y;\n"
      "}\n"
      "train m { data u.train; }\n";
  expect_error(s, "'y' is clamped to the label, but dataset 'u' has no classes",
               4, "y[");
}

static void test_err_bp_cycle(void) {
  const char *s = FM "model m {\n"
                     "  input x[784];\n"
                     "  node a[8]; node b[8];\n"
                     "  target y[10];\n"
                     "  x -> a -> b -> a;\n"
                     "  b -> y;\n"
                     "}\n"
                     "train m { data fm.train; method bp; }\n";
  /* Reported by pcn_check_model (compiler/verdict.c) after analysis. */
  expect_error(s, "method bp needs an acyclic model, but 'm' has the cycle", 9,
               "bp;");
  /* Evaluated by inference (a free root), with 0 steps. */
  s = FM "model gen {\n"
         "  node z[8];\n"
         "  input x[784];\n"
         "  z -> x;\n"
         "}\n"
         "evaluate gen { data fm.test; metric mse; inference steps 0; }\n";
  expect_error(s, "evaluated by inference", 7, "0;");
}

/* ---- imports ---------------------------------------------------------- */

static char *write_file(const char *dir, const char *name, const char *text) {
  static char path[4][512];
  static int k;
  char *p = path[k++ % 4];
  int len = snprintf(p, 512, "%s/%s", dir, name);
  CU_ASSERT_FATAL(len > 0 && len < 512);
  FILE *f = fopen(p, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(text, f);
  fclose(f);
  return p;
}

static void test_imports(void) {
  char base[512], inc[512];
  snprintf(base, sizeof base, "%s/imp", pcn_test_tmpdir());
  snprintf(inc, sizeof inc, "%s/inc", pcn_test_tmpdir());
  mkdir(base, 0700);
  mkdir(inc, 0700);
  write_file(inc, "mystd.pcn",
             "param classes = 10;\n"
             "dataset fm { format idx; train \"a\" \"b\"; test \"c\" \"d\"; "
             "features 784; classes classes; }\n");
  write_file(base, "blocks.pcn",
             "import \"std/mystd.pcn\";\n"
             "param width = classes * 4;\n");
  char *main_path = write_file(
      base, "main.pcn",
      "import \"blocks.pcn\";\n"
      "import \"std/mystd.pcn\";\n" /* second import: read once */
      "model m { input x[784]; node h[width]; target y[classes]; "
      "x -> h -> y; }\n"
      "train m { data fm.train; }\n");
  const char *dirs[] = {inc};
  PcnCompileOptions opts = {dirs, 1, NULL};
  reset();
  PcnCompilation *c = pcn_compile_file(&A, &D, main_path, &opts);
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL_FATAL(D.nerrors, 0);
  CU_ASSERT_EQUAL(c->ndatasets, 1);
  CU_ASSERT_EQUAL(c->models[0]->nodes[1].size, 40);

  /* Without -I the std/ import is not found: error at the import. */
  reset();
  c = pcn_compile_file(&A, &D, main_path, NULL);
  CU_ASSERT_TRUE(D.nerrors > 0);
  int i = find(PCN_SEV_ERROR, "cannot find import 'std/mystd.pcn'");
  CU_ASSERT_TRUE_FATAL(i >= 0);
  CU_ASSERT_EQUAL(D.items[i].span.line, 1);
  CU_ASSERT_EQUAL(D.items[i].span.col, 1);

  /* $PCNC_PATH is searched too. */
  setenv("PCNC_PATH", inc, 1);
  reset();
  c = pcn_compile_file(&A, &D, main_path, NULL);
  if (D.nerrors) dump();
  CU_ASSERT_EQUAL(D.nerrors, 0);
  unsetenv("PCNC_PATH");

  /* The built-in stdlib: stdlib_dir stands in for it here. */
  PcnCompileOptions std = {NULL, 0, inc};
  reset();
  c = pcn_compile_file(&A, &D, main_path, &std);
  CU_ASSERT_EQUAL(D.nerrors, 0);
}

static void test_import_cycle(void) {
  char base[512];
  snprintf(base, sizeof base, "%s/cyc", pcn_test_tmpdir());
  mkdir(base, 0700);
  write_file(base, "a.pcn", "import \"b.pcn\";\nparam a = 1;\n");
  write_file(base, "b.pcn", "param b = 2;\nimport \"c.pcn\";\n");
  write_file(base, "c.pcn", "\n\nimport \"a.pcn\";\n");
  char path[600];
  snprintf(path, sizeof path, "%s/a.pcn", base);
  reset();
  pcn_compile_file(&A, &D, path, NULL);
  int i = find(PCN_SEV_ERROR, "import cycle: ");
  CU_ASSERT_TRUE_FATAL(i >= 0);
  CU_ASSERT_TRUE(strstr(D.items[i].msg, "a.pcn -> ") != NULL);
  CU_ASSERT_TRUE(strstr(D.items[i].msg, "c.pcn -> ") != NULL);
  CU_ASSERT_EQUAL(D.items[i].span.line, 3); /* in c.pcn */
  CU_ASSERT_TRUE(strstr(D.items[i].span.src->path, "c.pcn") != NULL);
  CU_ASSERT_EQUAL(D.items[i].nnotes, 2); /* a imports b, b imports c */
  if (D.items[i].nnotes == 2) {
    CU_ASSERT_EQUAL(D.items[i].notes[0].span.line, 1); /* in a.pcn */
    CU_ASSERT_EQUAL(D.items[i].notes[1].span.line, 2); /* in b.pcn */
  }
}

static void test_missing_file(void) {
  reset();
  PcnCompilation *c = pcn_compile_file(&A, &D, "/nonexistent/x.pcn", NULL);
  CU_ASSERT_PTR_NULL(c);
  int i = find(PCN_SEV_ERROR,
               "cannot read '/nonexistent/x.pcn': No such file or directory");
  CU_ASSERT_TRUE_FATAL(i >= 0);
  CU_ASSERT_PTR_NULL(D.items[i].span.src);
}

static void test_names(void) {
  CU_ASSERT_STRING_EQUAL(pcn_activation_name(PCN_ACT_LEAKY_RELU),
                         "leaky_relu");
  CU_ASSERT_STRING_EQUAL(pcn_init_name(PCN_INIT_AVERAGE), "average");
  CU_ASSERT_EQUAL(pcn_activation_from_name("gelu"), PCN_ACT_GELU);
  CU_ASSERT_EQUAL(pcn_activation_from_name("swish"), -1);
  for (int a = 0; a < PCN_ACT_COUNT; a++)
    CU_ASSERT_EQUAL(pcn_activation_from_name(pcn_activation_name(a)), a);
}

int main(void) {
  static const PcnTestCase ir[] = {
      {"classifier", test_classifier},
      {"defaults", test_defaults},
      {"params_and_names", test_params_and_names},
      {"for_chain", test_for_chain},
      {"nested_for", test_nested_for},
      {"memory_ir", test_memory_ir},
      {"synthetic_csv", test_synthetic_csv},
      {"warnings", test_warnings},
      {"names", test_names},
      {NULL, NULL}};
  static const PcnTestCase errs[] = {
      {"params", test_err_params},
      {"undefined_node", test_err_undefined_node},
      {"duplicates", test_err_duplicates},
      {"node_attrs", test_err_node_attrs},
      {"absurd_sizes", test_err_absurd_sizes},
      {"memory", test_err_memory},
      {"datasets", test_err_datasets},
      {"train", test_err_train},
      {"evaluate", test_err_evaluate},
      {"connect", test_err_connect},
      {"bp_cycle", test_err_bp_cycle},
      {NULL, NULL}};
  static const PcnTestCase imp[] = {{"imports", test_imports},
                                    {"import_cycle", test_import_cycle},
                                    {"missing_file", test_missing_file},
                                    {NULL, NULL}};
  pcn_test_add_suite("sema_ir", ir);
  pcn_test_add_suite("sema_errors", errs);
  pcn_test_add_suite("sema_imports", imp);
  int rc = pcn_test_main();
  if (live) {
    pcn_diag_free(&D);
    pcn_arena_free(&A);
  }
  return rc;
}
