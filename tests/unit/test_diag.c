/* test_diag.c - the diagnostic sink: recording, capping and rendering. */
#include "pcn/diag.h"
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Renders d into a malloc'd string (caller frees). */
__attribute__((noinline)) static char *render(const PcnDiag *d, int color) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  pcn_diag_print(d, f, color);
  fclose(f);
  return buf;
}

static PcnSpan span(const PcnSource *s, int line, int col, int end_col) {
  PcnSpan sp = {s, line, col, line, end_col};
  return sp;
}

static void test_caret_under_span(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  const char *text = "model m {\n    h8 -> h9;\n}\n";
  const PcnSource *s = pcn_diag_add_source(&d, "m.pcn", text, strlen(text));
  CU_ASSERT_PTR_NOT_NULL_FATAL(s);
  int idx = pcn_diag_error(&d, span(s, 2, 11, 12), "undefined node '%s'", "h9");
  CU_ASSERT_EQUAL(idx, 0);
  CU_ASSERT_EQUAL(d.nerrors, 1);
  char *out = render(&d, 0);
  CU_ASSERT_STRING_EQUAL(out, "m.pcn:2:11: error: undefined node 'h9'\n"
                              "    2 |     h8 -> h9;\n"
                              "      |           ^~\n");
  free(out);
  pcn_diag_free(&d);
}

static void test_notes_and_warning(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  const char *text = "node a[3];\nnode a[4];\n";
  const PcnSource *s = pcn_diag_add_source(&d, "n.pcn", text, strlen(text));
  int idx = pcn_diag_error(&d, span(s, 2, 6, 6), "redefinition of 'a'");
  pcn_diag_note(&d, idx, span(s, 1, 6, 6), "first defined here");
  pcn_diag_note(&d, -1, span(s, 1, 1, 1), "ignored"); /* no crash, no-op */
  pcn_diag_warning(&d, span(s, 1, 1, 4), "unused");
  CU_ASSERT_EQUAL(d.nerrors, 1);
  CU_ASSERT_EQUAL(d.nwarnings, 1);
  CU_ASSERT_EQUAL(d.items[0].nnotes, 1);
  char *out = render(&d, 0);
  CU_ASSERT_STRING_EQUAL(out, "n.pcn:2:6: error: redefinition of 'a'\n"
                              "    2 | node a[4];\n"
                              "      |      ^\n"
                              "n.pcn:1:6: note: first defined here\n"
                              "    1 | node a[3];\n"
                              "      |      ^\n"
                              "n.pcn:1:1: warning: unused\n"
                              "    1 | node a[3];\n"
                              "      | ^~~~\n");
  free(out);
  pcn_diag_free(&d);
}

static void test_color_only_when_asked(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  const PcnSource *s = pcn_diag_add_source(&d, "c.pcn", "x;\n", 3);
  pcn_diag_error(&d, span(s, 1, 1, 1), "bad");
  pcn_diag_warning(&d, span(s, 1, 1, 1), "meh");
  char *plain = render(&d, 0);
  CU_ASSERT_PTR_NULL(strchr(plain, '\033'));
  /* auto: a memory stream is not a terminal */
  char *autoc = render(&d, -1);
  CU_ASSERT_PTR_NULL(strchr(autoc, '\033'));
  char *colored = render(&d, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(colored, "\033[1;31merror:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(colored, "\033[1;35mwarning:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(colored, "\033[1m"));
  free(plain);
  free(autoc);
  free(colored);
  pcn_diag_free(&d);
}

static void test_tabs_and_unprintable(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  /* tab then "ab", a control byte, then "cd": the caret must sit under
   * 'c' after the tab is expanded to 8 columns. */
  const char text[] = "\tab\001cd\n";
  const PcnSource *s = pcn_diag_add_source(&d, "t.pcn", text, sizeof text - 1);
  pcn_diag_error(&d, span(s, 1, 5, 6), "here");
  char *out = render(&d, 0);
  CU_ASSERT_STRING_EQUAL(out, "t.pcn:1:5: error: here\n"
                              "    1 |         ab?cd\n"
                              "      |            ^~\n");
  free(out);
  pcn_diag_free(&d);
}

static void test_long_line_truncated(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  char text[1002];
  memset(text, 'a', 1000);
  memcpy(text + 700, "XYZ", 3);
  text[1000] = '\n';
  text[1001] = '\0';
  const PcnSource *s = pcn_diag_add_source(&d, "l.pcn", text, 1001);
  pcn_diag_error(&d, span(s, 1, 701, 703), "long");
  char *out = render(&d, 0);
  /* lines: message, echo, caret */
  char *echo = strchr(out, '\n') + 1;
  char *caret = strchr(echo, '\n') + 1;
  size_t echo_len = (size_t)(caret - echo);
  CU_ASSERT(echo_len < 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(echo, "...aaa"));
  /* The caret column equals the column of 'X' in the echoed line. */
  char *x = strchr(echo, 'X');
  char *hat = strchr(caret, '^');
  CU_ASSERT_PTR_NOT_NULL_FATAL(x);
  CU_ASSERT_PTR_NOT_NULL_FATAL(hat);
  CU_ASSERT_EQUAL(x - echo, hat - caret);
  CU_ASSERT_EQUAL(strncmp(hat, "^~~\n", 4), 0);
  free(out);
  pcn_diag_free(&d);
}

static void test_error_cap(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  CU_ASSERT_EQUAL(d.max_errors, 50);
  d.max_errors = 3;
  for (int i = 0; i < 10; i++) pcn_diag_error(&d, pcn_no_span, "e%d", i);
  CU_ASSERT_EQUAL(d.nerrors, 4);
  CU_ASSERT_EQUAL(d.nitems, 4);
  CU_ASSERT_STRING_EQUAL(d.items[3].msg, "too many errors, stopping");
  /* warnings are not capped */
  CU_ASSERT(pcn_diag_warning(&d, pcn_no_span, "w") >= 0);
  char *out = render(&d, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(out, "pcnc: error: e0\n"));
  free(out);
  pcn_diag_free(&d);
}

static void test_load_file(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  errno = 0;
  const PcnSource *s = pcn_diag_load_file(&d, "/nonexistent/dir/x.pcn");
  CU_ASSERT_PTR_NULL(s);
  CU_ASSERT_EQUAL(errno, ENOENT);
  CU_ASSERT_EQUAL(d.nsources, 0);
  CU_ASSERT_EQUAL(d.nitems, 0);
  /* a directory is not a readable source either */
  CU_ASSERT_PTR_NULL(pcn_diag_load_file(&d, "/"));

  char path[512];
  snprintf(path, sizeof path, "%s/diag_load.pcn", pcn_test_tmpdir());
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fwrite("ab\0cd", 1, 5, f);
  fclose(f);
  s = pcn_diag_load_file(&d, path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(s);
  CU_ASSERT_EQUAL(s->len, 5);
  CU_ASSERT_EQUAL(memcmp(s->text, "ab\0cd", 6), 0); /* NUL-terminated */
  CU_ASSERT_STRING_EQUAL(s->path, path);
  /* A file that never ends (pcnc check /dev/zero) stops at the size limit
   * instead of growing the buffer until memory runs out. */
  int nsources = d.nsources;
  errno = 0;
  CU_ASSERT_PTR_NULL(pcn_diag_load_file(&d, "/dev/zero"));
  CU_ASSERT_EQUAL(errno, EFBIG);
  CU_ASSERT_EQUAL(d.nsources, nsources);
  pcn_diag_free(&d);
}

static void test_span_join(void) {
  PcnSource src = {"s", "", 0};
  PcnSpan a = {&src, 2, 5, 2, 7}, b = {&src, 4, 1, 4, 3};
  PcnSpan j = pcn_span_join(a, b);
  CU_ASSERT_EQUAL(j.line, 2);
  CU_ASSERT_EQUAL(j.col, 5);
  CU_ASSERT_EQUAL(j.end_line, 4);
  CU_ASSERT_EQUAL(j.end_col, 3);
  j = pcn_span_join(pcn_no_span, b);
  CU_ASSERT_EQUAL(j.line, 4);
}

static void test_multiline_and_eof_spans(void) {
  PcnDiag d;
  pcn_diag_init(&d);
  const char *text = "abc\ndef";
  const PcnSource *s = pcn_diag_add_source(&d, "m.pcn", text, strlen(text));
  PcnSpan multi = {s, 1, 2, 2, 1};
  pcn_diag_error(&d, multi, "multi");
  pcn_diag_error(&d, span(s, 2, 4, 3), "empty at end");
  pcn_diag_error(&d, span(s, 9, 1, 1), "no such line");
  char *out = render(&d, 0);
  CU_ASSERT_STRING_EQUAL(out, "m.pcn:1:2: error: multi\n"
                              "    1 | abc\n"
                              "      |  ^~\n"
                              "m.pcn:2:4: error: empty at end\n"
                              "    2 | def\n"
                              "      |    ^\n"
                              "m.pcn:9:1: error: no such line\n");
  free(out);
  pcn_diag_free(&d);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"caret under span", test_caret_under_span},
      {"notes and warning", test_notes_and_warning},
      {"color only when asked", test_color_only_when_asked},
      {"tabs and unprintable bytes", test_tabs_and_unprintable},
      {"long line truncated", test_long_line_truncated},
      {"error cap", test_error_cap},
      {"load file", test_load_file},
      {"span join", test_span_join},
      {"multi-line and end spans", test_multiline_and_eof_spans},
      {NULL, NULL}};
  if (pcn_test_add_suite("diag", cases)) return 1;
  return pcn_test_main();
}
