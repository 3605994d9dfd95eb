/*
 * fuzz_parse.c - libFuzzer harness for the front end (not built by CMake).
 *
 * Every input must parse to diagnostics or success: no crash, hang or leak,
 * and the error count returned must match the sink. Build and run:
 *
 *   B=build-lang  # any configured build dir (for the generated parser)
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *     -Iinclude -Ilang -I$B/lang tests/fuzz/fuzz_parse.c lang/*.c \
 *     $B/lang/scanner.c $B/lang/parser.c -lm -o /tmp/fuzz_parse
 *   /tmp/fuzz_parse -max_total_time=60 -max_len=4096 examples/
 */
#include "ast.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  PcnDiag d;
  PcnArena a;
  pcn_diag_init(&d);
  pcn_arena_init(&a);
  const PcnSource *s = pcn_diag_add_source(&d, "fuzz.pcn", (const char *)data, size);
  int nerr = -1;
  PcnProgram *p = pcn_parse(&a, &d, s, &nerr);
  if (!p || nerr != d.nerrors) abort();
  FILE *devnull = fopen("/dev/null", "w");
  if (devnull) {
    pcn_program_dump(p, devnull);
    pcn_diag_print(&d, devnull, 1);
    fclose(devnull);
  }
  pcn_arena_free(&a);
  pcn_diag_free(&d);
  return 0;
}
