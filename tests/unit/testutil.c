#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pcn_test_add_suite(const char *name, const PcnTestCase *cases) {
  if (CU_get_registry() == NULL && CU_initialize_registry() != CUE_SUCCESS)
    return CU_get_error();
  CU_pSuite s = CU_add_suite(name, NULL, NULL);
  if (!s) return CU_get_error();
  for (const PcnTestCase *c = cases; c->name; c++)
    if (!CU_add_test(s, c->name, c->fn)) return CU_get_error();
  return 0;
}

int pcn_test_main(void) {
  if (CU_get_registry() == NULL) return 1;
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
  unsigned run = CU_get_number_of_tests_run();
  CU_cleanup_registry();
  if (run == 0) {
    fprintf(stderr, "no tests were run\n");
    return 1;
  }
  return failed ? 1 : 0;
}

const char *pcn_test_source_dir(void) { return PCNC_SOURCE_DIR; }

const char *pcn_test_tmpdir(void) {
  static char dir[256];
  if (!dir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pcnc-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(dir)) {
      perror("mkdtemp");
      abort();
    }
  }
  return dir;
}

bool pcn_test_jit_scratch(const PcnSchedule *s, int b) {
  PcnBufKind kind = s->buffers[b].kind;
  if (kind == PCN_BUF_DH) return true;
  if (kind != PCN_BUF_MU) return false;
  for (int p = 0; p < PCN_PROG_COUNT; p++)
    for (int si = 0; si < s->programs[p].nstages; si++)
      for (int oi = 0; oi < s->programs[p].stages[si].nops; oi++)
        if (s->programs[p].stages[si].ops[oi].kind == PCN_OP_READOUT &&
            s->programs[p].stages[si].ops[oi].src == b)
          return false;
  return true;
}
