/* test_lang.c - scanner, parser, AST dump and syntax-error recovery. */
#include "ast.h"
#include "testutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One parse of an in-memory text, with its dump and rendered messages. */
typedef struct Parsed {
  PcnDiag d;
  PcnArena a;
  PcnProgram *prog;
  int nerrors;
  char *dump; /* pcn_program_dump output */
  char *msgs; /* pcn_diag_print output, no color */
} Parsed;

static char *capture_dump(const PcnProgram *p) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  pcn_program_dump(p, f);
  fclose(f);
  return buf;
}

static void parse_n(Parsed *r, const char *text, size_t len) {
  pcn_diag_init(&r->d);
  pcn_arena_init(&r->a);
  const PcnSource *s = pcn_diag_add_source(&r->d, "t.pcn", text, len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(s);
  r->prog = pcn_parse(&r->a, &r->d, s, &r->nerrors);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r->prog);
  r->dump = capture_dump(r->prog);
  size_t n = 0;
  FILE *f = open_memstream(&r->msgs, &n);
  pcn_diag_print(&r->d, f, 0);
  fclose(f);
  /* The count returned and the sink agree on a fresh sink. */
  CU_ASSERT_EQUAL(r->nerrors, r->d.nerrors);
}

static void parse(Parsed *r, const char *text) { parse_n(r, text, strlen(text)); }

static void done(Parsed *r) {
  free(r->dump);
  free(r->msgs);
  pcn_arena_free(&r->a);
  pcn_diag_free(&r->d);
}

/* Parses text, expects no error and the given dump. */
static void check_dump(const char *text, const char *expected) {
  Parsed r;
  parse(&r, text);
  CU_ASSERT_EQUAL(r.nerrors, 0);
  CU_ASSERT_STRING_EQUAL(r.dump, expected);
  if (r.nerrors || strcmp(r.dump, expected) != 0)
    fprintf(stderr, "\n--- got:\n%s%s--- expected:\n%s", r.dump, r.msgs,
            expected);
  done(&r);
}

/* Parses text, expects exactly nerr errors, the first one containing msg. */
static void check_error(const char *text, int nerr, const char *msg) {
  Parsed r;
  parse(&r, text);
  CU_ASSERT_EQUAL(r.nerrors, nerr);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.msgs, msg));
  if (r.nerrors != nerr || !strstr(r.msgs, msg))
    fprintf(stderr, "\n--- messages for %s:\n%s", text, r.msgs);
  done(&r);
}

static const char *sample =
    "import \"std/datasets.pcn\";\n"
    "param width = 512;\n"
    "param depth = 3;\n"
    "dataset blobs { format synthetic; generator blobs; features 16; "
    "classes 4; samples 2000 500; }\n"
    "model classifier {\n"
    "  input  x[784];\n"
    "  target y[10];\n"
    "  node h1[width] act gelu init forward;\n"
    "  node h2[width * 2] act gelu init random(mean=0, std=0.1);\n"
    "  node h3[width, 1] act tanh init memory(M) clamp image eval;\n"
    "  x -> h1 -> h2 : dense;\n"
    "  h2 -> h3; h3 -> y;\n"
    "  memory M { patterns 24; heads 16; embed 128; delta 200.0; query x; }\n"
    "  for i in 1 .. depth { node z@i[8]; h3 -> z@i; z@(i) -> y; }\n"
    "}\n"
    "train classifier {\n"
    "  data fashion_mnist.train fraction 0.5;\n"
    "  batch 200 aligned;\n"
    "  epochs 16;\n"
    "  inference steps 5 sgd(lr=0.1, momentum=0.0);\n"
    "  learning adamw(3e-4, weight_decay=1e-4);\n"
    "  seed -1;\n"
    "}\n"
    "evaluate classifier { data fashion_mnist.test; metric accuracy; }\n";

static void test_sample_program(void) {
  check_dump(sample,
             "(import \"std/datasets.pcn\")\n"
             "(param width 512)\n"
             "(param depth 3)\n"
             "(dataset blobs\n"
             "  (format synthetic)\n"
             "  (generator blobs)\n"
             "  (features 16)\n"
             "  (classes 4)\n"
             "  (samples 2000 500))\n"
             "(model classifier\n"
             "  (node input x (dims 784))\n"
             "  (node target y (dims 10))\n"
             "  (node node h1 (dims width) (act gelu) (init forward))\n"
             "  (node node h2 (dims (* width 2)) (act gelu) "
             "(init (call random (= mean 0) (= std 0.1))))\n"
             "  (node node h3 (dims width 1) (act tanh) (init (call memory M)) "
             "(clamp image eval))\n"
             "  (edge x h1 h2 : dense)\n"
             "  (edge h2 h3)\n"
             "  (edge h3 y)\n"
             "  (memory M\n"
             "    (patterns 24)\n"
             "    (heads 16)\n"
             "    (embed 128)\n"
             "    (delta 200.0)\n"
             "    (query x))\n"
             "  (for i 1 depth\n"
             "    (node node (@ z i) (dims 8))\n"
             "    (edge h3 (@ z i))\n"
             "    (edge (@ z i) y)))\n"
             "(train classifier\n"
             "  (data (. fashion_mnist train) fraction 0.5)\n"
             "  (batch 200 aligned)\n"
             "  (epochs 16)\n"
             "  (inference steps 5 (call sgd (= lr 0.1) (= momentum 0.0)))\n"
             "  (learning (call adamw 0.0003 (= weight_decay 0.0001)))\n"
             "  (seed (neg 1)))\n"
             "(evaluate classifier\n"
             "  (data (. fashion_mnist test))\n"
             "  (metric accuracy))\n");
}

static void test_numbers_and_ranges(void) {
  /* `1..3` must lex as 1 .. 3, not as the real "1." followed by ".3". */
  check_dump("model m { for i in 1..3 { } for j in .5 .. 2. { } }",
             "(model m\n  (for i 1 3)\n  (for j 0.5 2.0))\n");
  check_dump("param a = 3e-4; param b = 1E3; param c = 007; param d = 1.5e+2;",
             "(param a 0.0003)\n(param b 1000.0)\n(param c 7)\n"
             "(param d 150.0)\n");
  check_dump("param big = 9007199254740992;",
             "(param big 9007199254740992)\n");
  check_error("param big = 9007199254740993;", 1,
              "integer literal too large");
  check_error("param r = 1e400;", 1, "number out of range");
}

static void test_expressions(void) {
  check_dump("param p = 1 + 2 * 3 - -4 % (5 / x@2);",
             "(param p (- (+ 1 (* 2 3)) (% (neg 4) (/ 5 (@ x 2)))))\n");
  check_dump("param q = a@b@c;", "(param q (@ a (@ b c)))\n");
}

static void test_settings_and_calls(void) {
  check_dump("dataset d { train \"a.gz\" \"b\\\"c\\n\"; test \"t\"; image 28 28; }",
             "(dataset d\n  (train \"a.gz\" \"b\\\"c\\n\")\n  (test \"t\")\n"
             "  (image 28 28))\n");
  /* a space before '(' still makes a call; a parenthesized value needs a
   * value before it that is not an identifier */
  check_dump("train m { epochs (2 * 8); x f (1) -(2) 3 D@i.train; o g(); "
             "p h(a=D.test, \"s\", k(1), -x); }",
             "(train m\n  (epochs (* 2 8))\n"
             "  (x (call f 1) (neg 2) 3 (. (@ D i) train))\n"
             "  (o (call g))\n"
             "  (p (call h (= a (. D test)) \"s\" (call k 1) (neg x))))\n");
  /* comments of both kinds */
  check_dump("# c1\nparam a = 1; // c2\n", "(param a 1)\n");
}

static void test_model_items(void) {
  check_dump("model m { param k = 2; node a[k] clamp label train; "
             "target t[1] init -1 clamp image; a -> a : conv(3); }",
             "(model m\n  (param k 2)\n"
             "  (node node a (dims k) (clamp label train))\n"
             "  (node target t (dims 1) (init (neg 1)) (clamp image))\n"
             "  (edge a a : (call conv 3)))\n");
  check_dump("model m { for i in 1 .. n - 1 { for j in i .. 2 { a@i -> b@(j+1); } } }",
             "(model m\n  (for i 1 (- n 1)\n    (for j i 2\n"
             "      (edge (@ a i) (@ b (+ j 1))))))\n");
  check_dump("", "");
}

/* Spans: lines and byte columns, 1-based, inclusive end. */
static void test_spans(void) {
  Parsed r;
  parse(&r, "param width = 512;\nmodel m {\n\tnode h1[width];\n}\n");
  CU_ASSERT_EQUAL_FATAL(r.nerrors, 0);
  CU_ASSERT_EQUAL_FATAL(r.prog->items.n, 2);
  const PcnAst *p = r.prog->items.v[0];
  CU_ASSERT_EQUAL(p->kind, PCN_AST_PARAM);
  CU_ASSERT_STRING_EQUAL(p->name, "width");
  CU_ASSERT_EQUAL(p->span.src, r.prog->src);
  CU_ASSERT(p->span.line == 1 && p->span.col == 1 && p->span.end_line == 1 &&
            p->span.end_col == 18);
  CU_ASSERT(p->name_span.col == 7 && p->name_span.end_col == 11);
  CU_ASSERT(p->lhs->kind == PCN_AST_NUM && p->lhs->is_int && p->lhs->num == 512);
  CU_ASSERT(p->lhs->span.col == 15 && p->lhs->span.end_col == 17);
  const PcnAst *m = r.prog->items.v[1];
  CU_ASSERT(m->span.line == 2 && m->span.end_line == 4 && m->span.end_col == 1);
  CU_ASSERT(m->name_span.line == 2 && m->name_span.col == 7);
  CU_ASSERT_EQUAL_FATAL(m->items.n, 1);
  const PcnAst *n = m->items.v[0];
  CU_ASSERT_EQUAL(n->kind, PCN_AST_NODE);
  CU_ASSERT_EQUAL(n->role, PCN_ROLE_NODE);
  CU_ASSERT_STRING_EQUAL(n->lhs->name, "h1");
  /* the tab counts as one byte */
  CU_ASSERT(n->span.line == 3 && n->span.col == 2 && n->span.end_col == 16);
  CU_ASSERT(n->name_span.col == 7 && n->name_span.end_col == 8);
  CU_ASSERT(n->items.n == 1 && n->items.v[0]->span.col == 10 &&
            n->items.v[0]->span.end_col == 14);
  done(&r);
}

static void test_syntax_error_messages(void) {
  check_error("param x = ;", 1,
              "t.pcn:1:11: error: unexpected ';', expecting '(' or '-' or "
              "identifier or number");
  check_error("model m { node a[3] b; }", 1,
              "unexpected identifier, expecting 'act' or 'init' or 'clamp' or ';'");
  check_error("model m { a -> b }", 1, "unexpected '}', expecting ';'");
}

static void test_recovery_three_errors(void) {
  Parsed r;
  parse(&r, "param = 1;\n"
            "model m {\n"
            "  node a[3] act;\n"
            "  node b[2];\n"
            "  a -> b -> ;\n"
            "  b -> a;\n"
            "}\n"
            "train m { epochs 16; }\n");
  CU_ASSERT_EQUAL(r.nerrors, 3);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.msgs, "t.pcn:1:7: error:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(r.msgs, "t.pcn:3:16: error:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(r.msgs, "t.pcn:5:13: error:"));
  /* what is around the errors is still there */
  CU_ASSERT_STRING_EQUAL(r.dump, "(model m\n  (node node b (dims 2))\n"
                                 "  (edge b a))\n(train m\n  (epochs 16))\n");
  done(&r);
  /* errors inside a settings block do not eat the block's '}' */
  Parsed s;
  parse(&s, "train m { epochs 16 }\nevaluate m { data = x; metric mse; }\n");
  CU_ASSERT_EQUAL(s.nerrors, 2);
  CU_ASSERT_STRING_EQUAL(s.dump, "(train m)\n(evaluate m\n  (metric mse))\n");
  done(&s);
  /* a broken block header skips the whole block, not just to its first ';' */
  Parsed h;
  parse(&h, "model { node x[3]; a -> b; }\nparam p = 1;\n");
  CU_ASSERT_EQUAL(h.nerrors, 1);
  CU_ASSERT_STRING_EQUAL(h.dump, "(param p 1)\n");
  done(&h);
}

static void test_unclosed_block(void) {
  Parsed r;
  parse(&r, "model classifier {\n  node a[3];\n  for i in 1..3 {\n    a -> a;\n  }\n");
  CU_ASSERT_EQUAL(r.nerrors, 1);
  CU_ASSERT_STRING_EQUAL(r.msgs,
                         "t.pcn:5:4: error: expected '}' before end of file\n"
                         "    5 |   }\n"
                         "      |    ^\n"
                         "t.pcn:1:18: note: to close 'model classifier' "
                         "opened here\n"
                         "    1 | model classifier {\n"
                         "      |                  ^\n");
  /* what was parsed inside is kept */
  done(&r);
  check_error("dataset d { format idx;", 1, "to close 'dataset d' opened here");
  check_error("model m { node a[3] act", 1, "expected '}' before end of file");
}

static void test_lexical_errors(void) {
  check_error("param s = \"abc;\nparam t = 1;", 1,
              "t.pcn:1:11: error: unterminated string");
  check_error("param s = \"a\\qb\";", 2, "unknown escape sequence '\\q'");
  check_error("model m { $ }", 1, "unexpected character '$'");
  check_error("model m { \x01\x02\xff }", 1,
              "stray bytes in program (3, starting with 0x01)");
  check_error("model m { \x80 }", 1, "stray byte 0x80 in program");
  Parsed r;
  parse_n(&r, "param a\0 = 1;", 13);
  CU_ASSERT_EQUAL(r.nerrors, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.msgs, "stray byte 0x00 in program"));
  CU_ASSERT_STRING_EQUAL(r.dump, "(param a 1)\n");
  done(&r);
  Parsed z;
  parse_n(&z, "dataset d { dir \"a\0\0b\"; }", 25);
  CU_ASSERT_EQUAL(z.nerrors, 1); /* one per string, not one per byte */
  CU_ASSERT_PTR_NOT_NULL(strstr(z.msgs, "t.pcn:1:19: error: NUL byte in string"));
  done(&z);
  char id[400];
  memset(id, 'q', 300);
  strcpy(id + 300, " = 1;");
  char text[420] = "param ";
  strcat(text, id);
  check_error(text, 1, "identifier too long (300 bytes, at most 255)");
}

static void test_error_cap_stops(void) {
  /* A flood of bad bytes: the sink saturates and the parser stops. */
  size_t n = 20000;
  char *junk = malloc(n + 1);
  for (size_t i = 0; i < n; i++) junk[i] = (i % 2) ? ' ' : '$';
  junk[n] = '\0';
  Parsed r;
  parse(&r, junk);
  CU_ASSERT_EQUAL(r.d.nerrors, 51);
  CU_ASSERT_STRING_EQUAL(r.d.items[r.d.nitems - 1].msg,
                         "too many errors, stopping");
  done(&r);
  free(junk);
}

static char *repeat(const char *pre, const char *unit, int n, const char *post) {
  size_t lu = strlen(unit), lp = strlen(pre), lq = strlen(post);
  char *s = malloc(lp + lu * (size_t)n + lq + 1);
  memcpy(s, pre, lp);
  for (int i = 0; i < n; i++) memcpy(s + lp + lu * (size_t)i, unit, lu);
  memcpy(s + lp + lu * (size_t)n, post, lq + 1);
  return s;
}

static void test_deep_nesting(void) {
  /* Long left-associative chains would make a deep tree: capped. */
  char *chain = repeat("param p = 1", " + 1", 5000, ";");
  check_error(chain, 1, "expression nested too deeply");
  free(chain);
  char *neg = repeat("param p = ", "-", 1000, "1;");
  check_error(neg, 1, "expression nested too deeply");
  free(neg);
  /* Parentheses add no depth to the tree but fill the parser stack. */
  char *parens = repeat("param p = ", "(", 100000, "1;");
  Parsed r;
  parse(&r, parens);
  CU_ASSERT(r.nerrors >= 1);
  done(&r);
  free(parens);
  char *calls = repeat("train m { x ", "f(", 300, "");
  char *closed = repeat(calls, ")", 300, "; }");
  check_error(closed, 1, "expression nested too deeply");
  free(closed);
  free(calls);
  char *fors = repeat("model m { ", "for i in 1..2 { ", 300, "");
  check_error(fors, 1, "blocks nested too deeply");
  free(fors);
  /* Within the limits all is fine. */
  char *ok = repeat("param p = ", "-", 200, "1;");
  Parsed q;
  parse(&q, ok);
  CU_ASSERT_EQUAL(q.nerrors, 0);
  done(&q);
  free(ok);
}

/* xorshift: deterministic pseudo-random bytes for the fuzz test. */
static uint64_t fuzz_state = 88172645463325252ull;
static uint64_t rnd(void) {
  fuzz_state ^= fuzz_state << 13;
  fuzz_state ^= fuzz_state >> 7;
  fuzz_state ^= fuzz_state << 17;
  return fuzz_state;
}

static void fuzz_one(const char *text, size_t len, int *failures) {
  PcnDiag d;
  PcnArena a;
  pcn_diag_init(&d);
  pcn_arena_init(&a);
  const PcnSource *s = pcn_diag_add_source(&d, "f.pcn", text, len);
  int nerr = -1;
  PcnProgram *p = pcn_parse(&a, &d, s, &nerr);
  if (!p || nerr != d.nerrors || nerr < 0) (*failures)++;
  /* every recorded error has a location inside the file or none */
  for (int i = 0; i < d.nitems; i++) {
    PcnSpan sp = d.items[i].span;
    if (sp.src && (sp.line < 1 || sp.col < 1)) (*failures)++;
  }
  FILE *f = fopen("/dev/null", "w");
  if (f) {
    pcn_program_dump(p, f);
    pcn_diag_print(&d, f, 1);
    fclose(f);
  }
  pcn_arena_free(&a);
  pcn_diag_free(&d);
}

static void test_fuzz(void) {
  int failures = 0;
  size_t base = strlen(sample);
  char *buf = malloc(base + 64);
  /* random bytes, biased towards the language's own characters */
  static const char alphabet[] = "{}[]();,=->:..@+-*/%\"#\\ \n\t0123456789"
                                 "abcxyz_eE.modelnodeforin";
  for (int it = 0; it < 2000; it++) {
    size_t len = rnd() % 64;
    for (size_t i = 0; i < len; i++) {
      uint64_t r = rnd();
      buf[i] = (r & 1) ? (char)(r >> 8) : alphabet[(r >> 8) % (sizeof alphabet - 1)];
    }
    fuzz_one(buf, len, &failures);
  }
  /* mutations of a valid program */
  for (int it = 0; it < 1500; it++) {
    memcpy(buf, sample, base);
    size_t len = base;
    int edits = 1 + (int)(rnd() % 4);
    for (int e = 0; e < edits; e++) {
      size_t at = rnd() % len;
      switch (rnd() % 3) {
      case 0: buf[at] = (char)rnd(); break;                 /* replace */
      case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
      default: len = at; break;                              /* truncate */
      }
      if (len == 0) break;
    }
    fuzz_one(buf, len, &failures);
  }
  CU_ASSERT_EQUAL(failures, 0);
  free(buf);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"sample program", test_sample_program},
      {"numbers and ranges", test_numbers_and_ranges},
      {"expressions", test_expressions},
      {"settings and calls", test_settings_and_calls},
      {"model items", test_model_items},
      {"spans", test_spans},
      {"syntax error messages", test_syntax_error_messages},
      {"recovery: three errors", test_recovery_three_errors},
      {"unclosed block", test_unclosed_block},
      {"lexical errors", test_lexical_errors},
      {"error cap stops the parse", test_error_cap_stops},
      {"deep nesting", test_deep_nesting},
      {"fuzz", test_fuzz},
      {NULL, NULL}};
  if (pcn_test_add_suite("lang", cases)) return 1;
  return pcn_test_main();
}
