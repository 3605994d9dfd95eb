/* driver_run.c - `pcnc run`: compile, then train and evaluate.
 * (Being written; this placeholder keeps the command table linking.) */
#include <stdio.h>

#include "driver.h"

int pcn_cmd_run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "pcnc run: not implemented yet\n");
  return 1;
}
