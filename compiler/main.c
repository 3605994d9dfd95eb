/*
 * pcnc - the command-line driver.
 *
 * Dispatches to one subcommand; each parses its own options, runs the
 * pipeline as far as it needs (lang -> sema -> analysis -> schedule ->
 * backend/runtime) and turns the diagnostics into an exit status:
 * 0 success, 1 errors in the program (or a failed run), 2 usage errors.
 */
#include <stdio.h>
#include <string.h>

#include "driver.h"

static void usage(FILE *out) {
  fputs(
      "usage: pcnc [--version] [--help] COMMAND [ARGS]\n"
      "\n"
      "Compile, analyze and train predictive coding networks written in .pcn.\n"
      "\n"
      "commands:\n"
      "  check FILE      parse and check a model; report cycles, roots,\n"
      "                  Proposition 3.2 verdicts and the evaluation mode\n"
      "  schedule FILE   parallel update stages and SMM counts (--json)\n"
      "  graph FILE      the model graph in Graphviz dot\n"
      "  run FILE        train and evaluate a model on its data\n"
      "  compile FILE    write a model's step functions as an object file\n"
      "                  and a C header (no LLVM needed to link them)\n"
      "  sweep FILE      run a grid of settings over a model, resumable\n"
      "  report LOG...   tables and SVG curves from pcnc run logs\n"
      "\n"
      "Run 'pcnc COMMAND --help' for the options of a command.\n"
      "Environment: PCNC_PATH (import search path), PCNC_DATA_DIR (data\n"
      "directory), NO_COLOR (disable colored diagnostics).\n",
      out);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("pcnc %s\n", PCNC_VERSION);
    return 0;
  }
  for (const PcnCommand *c = pcn_commands; c->name; c++)
    if (!strcmp(cmd, c->name)) return c->fn(argc - 1, argv + 1);
  fprintf(stderr, "pcnc: unknown command '%s'\n", cmd);
  usage(stderr);
  return 2;
}
