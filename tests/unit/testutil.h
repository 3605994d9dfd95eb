/* testutil.h - shared helpers for the CUnit test executables. */
#ifndef PCN_TESTUTIL_H
#define PCN_TESTUTIL_H

#include <stdbool.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "pcn/schedule.h"

typedef struct PcnTestCase {
  const char *name;
  void (*fn)(void);
} PcnTestCase;

/* Registers one suite per call; returns 0 or a CUnit error. */
int pcn_test_add_suite(const char *name, const PcnTestCase *cases);
/* Runs all registered suites verbosely; returns the process exit status
 * (nonzero when any assertion failed) and cleans up the registry. */
int pcn_test_main(void);

/* Paths into the source tree (for golden files and examples). */
const char *pcn_test_source_dir(void);
/* A fresh temporary directory for this test process (removed at exit is
 * not attempted: tests write only small files). */
const char *pcn_test_tmpdir(void);

/* Buffers the default JIT does not keep up to date, which differential
 * tests against the reference skip: dh (folded into the updates) and a
 * mu no READOUT reads (codegen.h: fold_update, elide_dead_mu). */
bool pcn_test_jit_scratch(const PcnSchedule *s, int b);

#endif
