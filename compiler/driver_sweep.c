/* driver_sweep.c - `pcnc sweep FILE [options]` (in progress). */
#include <stdio.h>

#include "driver.h"

int pcn_cmd_sweep(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "pcnc sweep: not implemented yet\n");
  return 2;
}
