/* test_report.c - the experiment tools' pieces: the JSON Lines reader
 * (valid and malformed input), the `pcnc report` table against golden
 * files, SMMs to reach a relative error on hand-made curves, and the SVG
 * writer's output (well-formed, one polyline per run). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "jsonl.h"
#include "overrides.h"
#include "svg.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------ */

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

/* The file at path holds exactly want; otherwise both are printed and
 * `what` fails. */
static void expect_file(const char *path, const char *want, const char *what) {
  char *got = slurp(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(got);
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "\n--- want\n%s--- got\n%s", want, got);
    CU_assertImplementation(CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
  }
  free(got);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(text, f);
  fclose(f);
}

static int parse(const char *text, PcnJsonObject *o, char *err, size_t n) {
  return pcn_json_parse(text, strlen(text), o, err, n);
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* ---- JSON reader -------------------------------------------------------- */

static void test_json_valid(void) {
  PcnJsonObject o;
  char err[128];
  const char *line =
      "{\"epoch\":3,\"train_energy\":1.5e-2,\"test_accuracy\":null,"
      "\"neg\":-0.25,\"name\":\"a\\\"b\\\\c\\u00e9\\n\","
      "\"node_energy\":{\"h1\":0.5,\"y\":2},\"ok\":true,\"bad\":false,"
      "\"empty\":{}}  ";
  CU_ASSERT_EQUAL_FATAL(parse(line, &o, err, sizeof err), 0);
  double v;
  CU_ASSERT_TRUE(pcn_json_number(&o, "epoch", &v) && v == 3);
  CU_ASSERT_TRUE(pcn_json_number(&o, "train_energy", &v) && v == 1.5e-2);
  CU_ASSERT_TRUE(pcn_json_number(&o, "neg", &v) && v == -0.25);
  /* null is not a number: a diverged metric is never mistaken for 0. */
  CU_ASSERT_FALSE(pcn_json_number(&o, "test_accuracy", &v));
  CU_ASSERT_EQUAL(pcn_json_get(&o, "test_accuracy")->type, PCN_JSON_NULL);
  CU_ASSERT_STRING_EQUAL(pcn_json_string(&o, "name"), "a\"b\\c\xc3\xa9\n");
  const PcnJsonValue *ne = pcn_json_get(&o, "node_energy");
  CU_ASSERT_TRUE_FATAL(ne && ne->type == PCN_JSON_OBJECT);
  CU_ASSERT_EQUAL(ne->obj.n, 2);
  CU_ASSERT_TRUE(pcn_json_number(&ne->obj, "y", &v) && v == 2);
  bool b = false;
  CU_ASSERT_TRUE(pcn_json_bool(&o, "ok", &b) && b);
  CU_ASSERT_TRUE(pcn_json_bool(&o, "bad", &b) && !b);
  CU_ASSERT_EQUAL(pcn_json_get(&o, "empty")->obj.n, 0);
  CU_ASSERT_PTR_NULL(pcn_json_get(&o, "missing"));
  pcn_json_object_free(&o);

  CU_ASSERT_EQUAL(parse("{}", &o, err, sizeof err), 0);
  CU_ASSERT_EQUAL(o.n, 0);
  pcn_json_object_free(&o);
}

static void test_json_malformed(void) {
  static const struct {
    const char *text, *msg;
  } cases[] = {
      {"", "col 1: expected '{'"},
      {"[1,2]", "col 1: expected '{'"},
      {"{\"a\":1", "col 7: expected ',' or '}'"},
      {"{\"a\":1,}", "col 8: expected a string"},
      {"{\"a\" 1}", "col 6: expected ':'"},
      {"{\"a\":[1]}", "col 6: arrays are not supported"},
      {"{\"a\":{\"b\":{\"c\":1}}}", "col 11: objects nested more than one"},
      {"{\"a\":tru}", "col 6: expected a value"},
      {"{\"a\":01}", "col 7: expected ',' or '}'"},
      {"{\"a\":1.}", "col 8: bad number: digits must follow '.'"},
      {"{\"a\":1e}", "col 8: bad number: digits must follow the exponent"},
      {"{\"a\":-}", "col 6: bad number"},
      {"{\"a\":\"x", "col 8: unterminated string"},
      {"{\"a\":\"\\q\"}", "col 8: bad escape '\\q'"},
      {"{\"a\":\"\\u12", "col 9: truncated \\u escape"},
      {"{\"a\":\"\\u12x4\"}", "col 9: bad \\u escape"},
      {"{\"a\":\"\\ud800\"}", "col 13: lone surrogate"},
      {"{\"a\":\"tab\there\"}", "col 10: control character"},
      {"{\"a\":1} x", "col 9: text after the object"},
      {"{\"epoch\":5,\"train_energy\":0.1,\"test_acc", "col 40: unterminated"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    PcnJsonObject o;
    char err[128] = "";
    int rc = parse(cases[i].text, &o, err, sizeof err);
    CU_ASSERT_EQUAL(rc, -1);
    if (strncmp(err, cases[i].msg, strlen(cases[i].msg)) != 0) {
      fprintf(stderr, "\n  '%s': got '%s', want '%s...'\n", cases[i].text,
              err, cases[i].msg);
      CU_FAIL("wrong message");
    }
    /* A failed parse leaves nothing to free. */
    CU_ASSERT_EQUAL(o.n, 0);
    CU_ASSERT_PTR_NULL(o.keys);
  }
}

static void test_jsonl_file(void) {
  char path[512], wpath[512];
  snprintf(path, sizeof path, "%s/mixed.jsonl", pcn_test_tmpdir());
  snprintf(wpath, sizeof wpath, "%s/mixed.warn", pcn_test_tmpdir());
  write_file(path, "{\"epoch\":1}\n"
                   "\n"
                   "{\"epoch\":2,}\n"
                   "   \r\n"
                   "{\"epoch\":3}\r\n"
                   "{\"epoch\":4,\"x\":\"cut");
  FILE *warn = fopen(wpath, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(warn);
  PcnJsonl l;
  char err[256];
  CU_ASSERT_EQUAL_FATAL(pcn_jsonl_read(path, &l, warn, err, sizeof err), 0);
  fclose(warn);
  CU_ASSERT_EQUAL(l.n, 2);
  CU_ASSERT_EQUAL(l.nbad, 2);
  double v;
  CU_ASSERT_TRUE(l.n == 2 && pcn_json_number(&l.objs[1], "epoch", &v) &&
                 v == 3);
  CU_ASSERT_TRUE(l.n == 2 && l.lines[0] == 1 && l.lines[1] == 5);
  pcn_jsonl_free(&l);
  char *w = slurp(wpath);
  CU_ASSERT_PTR_NOT_NULL_FATAL(w);
  char want[600];
  snprintf(want, sizeof want, "%s:3:12: malformed line skipped: expected a "
           "string", path);
  CU_ASSERT_PTR_NOT_NULL(strstr(w, want));
  snprintf(want, sizeof want, "%s:6:", path);
  CU_ASSERT_PTR_NOT_NULL(strstr(w, want));
  CU_ASSERT_EQUAL(count(w, "\n"), 2);
  free(w);

  snprintf(path, sizeof path, "%s/does-not-exist.jsonl", pcn_test_tmpdir());
  CU_ASSERT_EQUAL(pcn_jsonl_read(path, &l, NULL, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot read"));
}

/* ---- the report --------------------------------------------------------- */

static const char *const fixed_logs[] = {
    "T=3_alpha=0.1_seed=0.jsonl", "T=3_alpha=0.1_seed=1.jsonl",
    "T=5_alpha=0.1_seed=0.jsonl", "T=5_alpha=0.1_seed=1.jsonl",
    "T=5_alpha=0.1_seed=2.jsonl", "act=leaky_relu_eval_T=3_seed=0.jsonl"};
#define NFIXED 6

/* Runs pcn_experiment_report with o over tests/report/DIR/names[k] for k
 * = order[i] (order NULL: as given); returns its status and the texts it
 * wrote to its output and error streams (NULL when a file failed). */
static int run_report(const char *dir, const char *const *names, int n, const int *order,
                      const PcnExperimentOptions *o, char **text, char **warn) {
  char paths[8][512];
  const char *logs[8];
  *text = *warn = NULL;
  if (n > 8) return -1;
  for (int i = 0; i < n; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/tests/report/%s/%s", pcn_test_source_dir(), dir,
             names[order ? order[i] : i]);
    logs[i] = paths[i];
  }
  char out[512], errp[512];
  snprintf(out, sizeof out, "%s/report.out", pcn_test_tmpdir());
  snprintf(errp, sizeof errp, "%s/report.err", pcn_test_tmpdir());
  FILE *f = fopen(out, "w"), *e = fopen(errp, "w");
  CU_ASSERT_PTR_NOT_NULL(f);
  CU_ASSERT_PTR_NOT_NULL(e);
  if (!f || !e) {
    if (f) fclose(f);
    if (e) fclose(e);
    return -1;
  }
  int rc = pcn_experiment_report(f, e, logs, n, o);
  fclose(f);
  fclose(e);
  *text = slurp(out);
  *warn = slurp(errp);
  return rc;
}

/* Runs the report over the fixed logs (in the order given by perm) and
 * returns its output. */
static char *report_text(bool csv, const int *perm, const char *svg,
                         bool truncate) {
  PcnExperimentOptions o;
  pcn_experiment_options_default(&o);
  o.csv = csv;
  o.svg = svg;
  o.truncate = truncate;
  char *text, *warn;
  CU_ASSERT_EQUAL(run_report("logs", fixed_logs, NFIXED, perm, &o, &text, &warn), 0);
  /* The truncated last line of one log is reported with file:line. */
  CU_ASSERT_PTR_NOT_NULL(warn && strstr(warn, "T=5_alpha=0.1_seed=2.jsonl:5:"));
  free(warn);
  return text;
}

static void expect_golden(const char *got, const char *golden) {
  char path[512];
  snprintf(path, sizeof path, "%s/tests/report/%s", pcn_test_source_dir(),
           golden);
  char *want = slurp(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(want);
  CU_ASSERT_PTR_NOT_NULL_FATAL(got);
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "\n--- want (%s)\n%s--- got\n%s", golden, want, got);
    CU_FAIL("report differs from the golden file");
  }
  free(want);
}

static void test_report_golden(void) {
  char *t = report_text(false, NULL, NULL, false);
  expect_golden(t, "expected.txt");
  free(t);
  char *c = report_text(true, NULL, NULL, false);
  expect_golden(c, "expected.csv");
  free(c);
  /* Deterministic: the order of the files does not matter. */
  static const int rev[NFIXED] = {5, 4, 3, 2, 1, 0};
  char *r = report_text(false, rev, NULL, false);
  expect_golden(r, "expected.txt");
  free(r);
}

static void test_first_reach(void) {
  /* Accuracy climbs, dips, recovers: the first crossing counts. */
  const double acc[] = {50, 70, NAN, 85, 80, 90};
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(acc, 6, 70, true), 1);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(acc, 6, 80, true), 3);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(acc, 6, 90, true), 5);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(acc, 6, 90.01, true), -1);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(acc, 0, 0, true), -1);
  /* Loss: lower is better; NaN never reaches. */
  const double loss[] = {0.5, NAN, 0.2, 0.1};
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(loss, 4, 0.3, false), 2);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(loss, 4, 0.1, false), 3);
  CU_ASSERT_EQUAL(pcn_experiment_first_reach(loss, 4, 0.05, false), -1);
}

/* Two loss logs: lower is better, targets are best x (1 + E). */
static void test_report_loss(void) {
  char a[512], b[512], out[512];
  snprintf(a, sizeof a, "%s/T=2_seed=0.jsonl", pcn_test_tmpdir());
  snprintf(b, sizeof b, "%s/T=4_seed=0.jsonl", pcn_test_tmpdir());
  snprintf(out, sizeof out, "%s/loss.csv", pcn_test_tmpdir());
  write_file(a, "{\"epoch\":1,\"test_loss\":0.5,\"smm\":10}\n"
                "{\"epoch\":2,\"test_loss\":0.2,\"smm\":20}\n"
                "{\"epoch\":3,\"test_loss\":0.101,\"smm\":30}\n");
  write_file(b, "{\"epoch\":1,\"test_loss\":0.3,\"smm\":40}\n"
                "{\"epoch\":2,\"test_loss\":0.1,\"smm\":80}\n"
                "{\"epoch\":3,\"test_loss\":null,\"smm\":120}\n");
  const char *logs[] = {a, b};
  PcnExperimentOptions o;
  pcn_experiment_options_default(&o);
  o.csv = true;
  o.nrel = 2;
  o.rel[0] = 0.02; /* <= 0.102: T=2 at 30, T=4 at 80 */
  o.rel[1] = 0.5;  /* <= 0.15: T=2 at 30 (0.2 is above), T=4 at 80 */
  FILE *f = fopen(out, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(pcn_experiment_report(f, stderr, logs, 2, &o), 0);
  fclose(f);
  expect_file(out,
      "group,n,metric,best_mean,best_std,best_epoch,best_smm,smm_at_2%,"
      "reached_2%,smm_at_50%,reached_50%\n"
      "\"T=2\",1,test_loss,0.101,0,3,30,30,1,30,1\n"
      "\"T=4\",1,test_loss,0.1,0,2,80,80,1,80,1\n",
      "loss report");
}

/* ---- --by-eval-T --------------------------------------------------------- */

/* The by-eval-T table of the logs in tests/report/eval_T, in the order
 * given; the warnings go to *warn. */
static char *eval_T_text(bool csv, bool reverse, char **warn) {
  static const char *const names[] = {"T=3_seed=0.jsonl", "T=10_seed=0.jsonl",
                                      "plain.jsonl"};
  static const int backwards[] = {2, 1, 0};
  PcnExperimentOptions o;
  pcn_experiment_options_default(&o);
  o.csv = csv;
  o.by_eval_T = true;
  char *text;
  CU_ASSERT_EQUAL(run_report("eval_T", names, 3, reverse ? backwards : NULL, &o, &text, warn),
                  0);
  return text;
}

static void test_report_eval_T_golden(void) {
  for (int k = 0; k < 3; k++) {
    char *warn = NULL;
    char *t = eval_T_text(k == 1, k == 2, &warn);
    expect_golden(t, k == 1 ? "expected_eval_T.csv" : "expected_eval_T.txt");
    CU_ASSERT_PTR_NOT_NULL(warn && strstr(warn, "T=10_seed=0.jsonl:3:"));
    CU_ASSERT_PTR_NOT_NULL(warn && strstr(warn, "plain.jsonl: no "
                                                "test_loss_at_T"));
    free(t);
    free(warn);
  }
}

/* Accuracy: the highest is the best; a loss log beside it is skipped
 * (status 1) and its step counts add no column; no log with the field at
 * all is an error. */
static void test_report_eval_T_accuracy(void) {
  char a[512], b[512], c[512], out[512];
  snprintf(a, sizeof a, "%s/acc_at_T.jsonl", pcn_test_tmpdir());
  snprintf(b, sizeof b, "%s/loss_at_T.jsonl", pcn_test_tmpdir());
  snprintf(c, sizeof c, "%s/none_at_T.jsonl", pcn_test_tmpdir());
  snprintf(out, sizeof out, "%s/acc_at_T.out", pcn_test_tmpdir());
  write_file(a, "{\"epoch\":1,\"test_accuracy\":80,\"test_accuracy_at_T\":"
                "{\"2\":70,\"8\":81},\"smm\":1,\"T\":4}\n"
                "{\"epoch\":2,\"test_accuracy\":85,\"test_accuracy_at_T\":"
                "{\"2\":75.5,\"8\":80},\"smm\":2,\"T\":4}\n");
  write_file(b, "{\"epoch\":1,\"test_loss\":0.1,\"test_loss_at_T\":"
                "{\"3\":0.1},\"smm\":1,\"T\":3}\n");
  write_file(c, "{\"epoch\":1,\"test_loss\":0.1,\"smm\":1,\"T\":3}\n");
  const char *logs[] = {a, b};
  PcnExperimentOptions o;
  pcn_experiment_options_default(&o);
  o.by_eval_T = true;
  FILE *f = fopen(out, "w"), *null = fopen("/dev/null", "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_PTR_NOT_NULL_FATAL(null);
  CU_ASSERT_EQUAL(pcn_experiment_report(f, null, logs, 2, &o), 1);
  fclose(f);
  expect_file(out,
      "metric: test accuracy (%), best over epochs at each evaluation step "
      "count T_eval (epoch in parentheses)\n"
      "run       T_train   T_eval=2   T_eval=8\n"
      "acc_at_T        4  75.50 (2)  81.00 (1)\n",
      "accuracy by-eval-T table");
  const char *none[] = {c};
  f = fopen(out, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(pcn_experiment_report(f, null, none, 1, &o), 1);
  fclose(f);
  fclose(null);
}

/* ---- SVG ---------------------------------------------------------------- */

/* Checks that every element is closed in order (a small XML well-
 * formedness check: tags, self-closing tags, the declaration). Returns
 * the number of elements, or -1. */
static int xml_check(const char *s) {
  char stack[64][32];
  int depth = 0, elements = 0;
  bool root_seen = false;
  for (const char *p = s; (p = strchr(p, '<'));) {
    const char *end = strchr(p, '>');
    if (!end) return -1;
    if (p[1] == '?') {
      if (p != s) return -1; /* the declaration comes first */
      p = end + 1;
      continue;
    }
    bool closing = p[1] == '/', self = end[-1] == '/';
    const char *n = p + 1 + closing;
    size_t len = strcspn(n, " />\n");
    if (len == 0 || len >= 32) return -1;
    if (closing) {
      if (depth == 0 || strncmp(stack[depth - 1], n, len) != 0 ||
          stack[depth - 1][len])
        return -1;
      depth--;
    } else {
      if (depth == 0 && root_seen) return -1; /* one root element */
      root_seen = true;
      elements++;
      if (!self) {
        if (depth == 64) return -1;
        memcpy(stack[depth], n, len);
        stack[depth++][len] = '\0';
      }
    }
    /* Attribute values must not hold raw '<' or '&' (escaped text). */
    for (const char *q = p + 1; q < end; q++)
      if (*q == '<') return -1;
    p = end + 1;
  }
  return depth == 0 && root_seen ? elements : -1;
}

static void test_svg_writer(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/plot.svg", pcn_test_tmpdir());
  const double x0[] = {0, 100, 200}, y0[] = {10, 50, 80};
  const double x1[] = {0, 150, NAN, 300}, y1[] = {20, 40, 60, 90};
  const double x2[] = {50}, y2[] = {55};
  PcnSvgSeries s[3] = {{x0, y0, 3, 0}, {x1, y1, 4, 1}, {x2, y2, 1, 1}};
  const char *groups[] = {"T=3 <a&b>", "T=5 \"q\""};
  PcnSvgPlot p = {"title & more", "SMMs", "accuracy", groups, 2};
  FILE *f = fopen(path, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  CU_ASSERT_EQUAL(pcn_svg_write(f, &p, s, 3), 0);
  fclose(f);
  char *svg = slurp(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
  CU_ASSERT_TRUE(xml_check(svg) > 0);
  CU_ASSERT_EQUAL(count(svg, "<polyline"), 3);
  CU_ASSERT_EQUAL(count(svg, "<svg"), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(svg, "T=3 &lt;a&amp;b&gt;"));
  CU_ASSERT_PTR_NOT_NULL(strstr(svg, "T=5 &quot;q&quot;"));
  CU_ASSERT_PTR_NULL(strstr(svg, "nan"));
  /* Series 1 skips its NaN point: 3 of its 4 points are drawn. */
  const char *pl = strstr(svg, "<polyline");
  pl = pl ? strstr(pl + 1, "<polyline") : NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
  const char *pts = strstr(pl, "points=\"");
  const char *pend = pts ? strchr(pts + 8, '"') : NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(pend);
  int commas = 0;
  for (const char *c = pts; c < pend; c++) commas += *c == ',';
  CU_ASSERT_EQUAL(commas, 3);
  free(svg);

  /* Nice steps: 1, 2 or 5 times a power of ten. */
  CU_ASSERT_DOUBLE_EQUAL(pcn_svg_nice_step(100, 5), 20, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(pcn_svg_nice_step(1e6, 6), 2e5, 1e-3);
  CU_ASSERT_DOUBLE_EQUAL(pcn_svg_nice_step(0.7, 6), 0.1, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL(pcn_svg_nice_step(0, 6), 1, 0);
}

/* The report's plot: one polyline per run, a legend entry per group. */
static void test_report_svg(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/report.svg", pcn_test_tmpdir());
  char *t = report_text(false, NULL, path, false);
  free(t);
  char *svg = slurp(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
  CU_ASSERT_TRUE(xml_check(svg) > 0);
  CU_ASSERT_EQUAL(count(svg, "<polyline"), NFIXED);
  CU_ASSERT_EQUAL(count(svg, ">T=3_alpha=0.1</text>"), 1);
  CU_ASSERT_EQUAL(count(svg, ">T=5_alpha=0.1</text>"), 1);
  /* One point per epoch: 4 + 4 (the interrupted epoch left out) + 3 x 4
   * + 2 (the truncated line left out). */
  CU_ASSERT_EQUAL(count(svg, ","), 22);
  CU_ASSERT_EQUAL(count(svg, ">act=leaky_relu_eval_T=3</text>"), 1);
  free(svg);

  /* --truncate: each curve ends at its best epoch (3, 3, 4, 3, 4, 2). */
  t = report_text(false, NULL, path, true);
  free(t);
  svg = slurp(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
  CU_ASSERT_EQUAL(count(svg, "<polyline"), NFIXED);
  CU_ASSERT_EQUAL(count(svg, ","), 19);
  free(svg);
}

/* ---- graph-level overrides (overrides.c) -------------------------------- */

static const char *const chain_src =
    "import \"std/datasets.pcn\";\n"
    "model mm {\n"
    "  input x[16]; target y[4];\n"
    "  node h1[8] act tanh init forward;\n"
    "  node h2[8] act tanh init forward;\n"
    "  node h3[8] act tanh init forward;\n"
    "  x -> h1 -> h2 -> h3 -> y;\n"
    "}\n"
    "train mm { data blobs.train; batch 40 %s; epochs 1;\n"
    "  inference steps 3 sgd(lr=0.1); learning adamw(lr=1e-3); }\n"
    "evaluate mm { data blobs.test; metric accuracy; }\n";

typedef struct Compiled {
  PcnArena arena;
  PcnDiag diag;
  PcnCompilation *c;
  PcnGraph *g;
} Compiled;

static bool compile_chain(Compiled *k, bool aligned) {
  char src[1024];
  snprintf(src, sizeof src, chain_src, aligned ? "aligned" : "");
  pcn_arena_init(&k->arena);
  pcn_diag_init(&k->diag);
  k->c = pcn_compile_string(&k->arena, &k->diag, "chain.pcn", src, NULL);
  if (!k->c || k->diag.nerrors) {
    pcn_diag_print(&k->diag, stderr, 0);
    return false;
  }
  k->g = k->c->models[0];
  return true;
}

static void compiled_free(Compiled *k) {
  pcn_diag_free(&k->diag);
  pcn_arena_free(&k->arena);
}

static int node_index(const PcnGraph *g, const char *name) {
  for (int i = 0; i < g->nnodes; i++)
    if (!strcmp(g->nodes[i].name, name)) return i;
  return -1;
}

static int apply(Compiled *k, const char *key, const char *val, char *err,
                 size_t n) {
  return pcn_override_graph(k->g, pcn_compilation_analysis(k->c, 0),
                            &k->c->trains[0],
                            k->c->datasets[k->c->trains[0].dataset].classes,
                            key, val, err, n);
}

static void test_override_keys(void) {
  CU_ASSERT_TRUE(pcn_override_is_run_key("eval_T"));
  CU_ASSERT_FALSE(pcn_override_is_run_key("act"));
  CU_ASSERT_TRUE(pcn_override_is_graph_key("act"));
  CU_ASSERT_TRUE(pcn_override_is_graph_key("m"));
  CU_ASSERT_TRUE(pcn_override_is_key("momentum"));
  CU_ASSERT_FALSE(pcn_override_is_key("M"));
  CU_ASSERT_FALSE(pcn_override_is_key(""));
}

static void test_override_act(void) {
  Compiled k;
  CU_ASSERT_TRUE_FATAL(compile_chain(&k, false));
  int y = node_index(k.g, "y");
  PcnActivation yact = k.g->nodes[y].act;
  char err[256];
  CU_ASSERT_EQUAL(apply(&k, "act", "gelu", err, sizeof err), 0);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h1")].act, PCN_ACT_GELU);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h3")].act, PCN_ACT_GELU);
  /* The target is clamped in training: not a free hidden node. */
  CU_ASSERT_EQUAL(k.g->nodes[y].act, yact);
  CU_ASSERT_EQUAL(apply(&k, "act", "swish", err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown activation"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "leaky_relu"));
  compiled_free(&k);
}

static void test_override_m(void) {
  Compiled k;
  CU_ASSERT_TRUE_FATAL(compile_chain(&k, true));
  char err[256];
  CU_ASSERT_EQUAL(apply(&k, "m", "2", err, sizeof err), 0);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h1")].init.kind,
                  PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h2")].init.kind,
                  PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h3")].init.kind,
                  PCN_INIT_AVERAGE);
  /* The re-analysis sees the new initializers: the forward sweep is now
   * x -> h1 -> h2 (depth 2) instead of reaching h3. */
  const PcnAnalysis *old = pcn_compilation_analysis(k.c, 0);
  CU_ASSERT_EQUAL(pcn_override_graph_finish(&k.arena, &k.diag, k.c, 0), 0);
  const PcnAnalysis *an = pcn_compilation_analysis(k.c, 0);
  CU_ASSERT_PTR_NOT_EQUAL(an, old);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].fw_depth[node_index(k.g, "h2")],
                  2);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].fw_depth[node_index(k.g, "h3")],
                  0);
  CU_ASSERT_EQUAL(apply(&k, "m", "0", err, sizeof err), 0);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h1")].init.kind,
                  PCN_INIT_AVERAGE);
  CU_ASSERT_EQUAL(apply(&k, "m", "4", err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "only 3 free hidden nodes"));
  CU_ASSERT_EQUAL(apply(&k, "m", "-1", err, sizeof err), -1);
  CU_ASSERT_EQUAL(apply(&k, "m", "two", err, sizeof err), -1);
  compiled_free(&k);

  /* Shuffled batches: Eq. 10 has no class streams to average. */
  CU_ASSERT_TRUE_FATAL(compile_chain(&k, false));
  CU_ASSERT_EQUAL(apply(&k, "m", "1", err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "stream-aligned"));
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h3")].init.kind,
                  PCN_INIT_FORWARD);
  compiled_free(&k);
}

/* What pcnc run calls: graph keys only, then the re-analysis. */
static void test_override_apply_all(void) {
  Compiled k;
  CU_ASSERT_TRUE_FATAL(compile_chain(&k, true));
  const char *keys[] = {"T", "act", "m"}, *vals[] = {"junk", "relu", "1"};
  CU_ASSERT_EQUAL(pcn_override_apply_all(&k.arena, k.c, 0, &k.c->trains[0],
                                         keys, vals, 3, stderr, 0),
                  0);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h2")].act, PCN_ACT_RELU);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h1")].init.kind,
                  PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(k.g->nodes[node_index(k.g, "h2")].init.kind,
                  PCN_INIT_AVERAGE);
  const char *bad[] = {"9"};
  const char *mkey[] = {"m"};
  FILE *devnull = fopen("/dev/null", "w");
  CU_ASSERT_EQUAL(pcn_override_apply_all(&k.arena, k.c, 0, &k.c->trains[0],
                                         mkey, bad, 1, devnull, 0),
                  2);
  fclose(devnull);
  compiled_free(&k);
}

int main(void) {
  static const PcnTestCase json[] = {
      {"valid objects", test_json_valid},
      {"malformed objects name the column", test_json_malformed},
      {"files skip malformed lines with file:line:col", test_jsonl_file},
      {NULL, NULL}};
  static const PcnTestCase report[] = {
      {"table and CSV equal the golden files", test_report_golden},
      {"SMMs to reach a target on hand-made curves", test_first_reach},
      {"loss logs: lower is better", test_report_loss},
      {"--by-eval-T table and CSV equal the golden files",
       test_report_eval_T_golden},
      {"--by-eval-T: accuracy, mixed metrics, no data",
       test_report_eval_T_accuracy},
      {"report --svg: a polyline per run", test_report_svg},
      {NULL, NULL}};
  static const PcnTestCase ov[] = {
      {"known keys", test_override_keys},
      {"act= on free hidden nodes", test_override_act},
      {"m= hybrid initialization", test_override_m},
      {"apply_all for pcnc run", test_override_apply_all},
      {NULL, NULL}};
  static const PcnTestCase svg[] = {{"well-formed plot", test_svg_writer},
                                    {NULL, NULL}};
  if (pcn_test_add_suite("jsonl", json) || pcn_test_add_suite("report", report) ||
      pcn_test_add_suite("svg", svg) ||
      pcn_test_add_suite("overrides", ov))
    return 1;
  return pcn_test_main();
}
