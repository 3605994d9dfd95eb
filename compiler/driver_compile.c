/* driver_compile.c - `pcnc compile FILE -o model.o`: the model's Schedule
 * IR compiled ahead of time to an object file plus a C header, so a C
 * program can run the model with OpenBLAS and libm only
 * (examples/embed/main.c).
 *
 * Exit status: 0 success, 1 errors in the program or in code generation,
 * 2 usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "driver.h"
#include "pcn/schedule.h"

static void compile_usage(FILE *out) {
  fputs("usage: pcnc compile FILE [options]\n"
        "\n"
        "Compile the model to native code ahead of time: an object file with\n"
        "one function per program of its schedule (train_init, train_step,\n"
        "train_learn, eval_init, eval_step, eval_readout) and a C header that\n"
        "declares them, the state struct and the buffer table. Link the object\n"
        "with -lopenblas -lm; see examples/embed/main.c.\n"
        "\n"
        "options:\n"
        "  -o FILE           object file (default: MODEL.o)\n"
        "  --header FILE     C header (default: the object file with .h)\n"
        "  --prefix P        prefix of the entry points (default: MODEL_)\n"
        "  --emit-llvm FILE  also write the LLVM IR, before and after\n"
        "                    optimization\n"
        "  --model NAME      the model to compile (default: the first)\n"
        "  -I DIR            add DIR to the import search path\n"
        "  --color[=WHEN]    color diagnostics: always, never, auto\n",
        out);
}

/* path with its extension (after the last '/') replaced by ext. */
static char *with_ext(const char *path, const char *ext) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(path, '.');
  size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
  char *out = malloc(stem + strlen(ext) + 1);
  if (!out) return NULL;
  memcpy(out, path, stem);
  strcpy(out + stem, ext);
  return out;
}

static int find_block(const PcnCompilation *c, int model, bool train) {
  int n = train ? c->ntrains : c->nevals;
  for (int i = 0; i < n; i++)
    if ((train ? c->trains[i].model : c->evals[i].model) == model) return i;
  return -1;
}

int pcn_cmd_compile(int argc, char **argv) {
  PcnCommonOpts o = {.color = -1};
  const char *obj = NULL, *header = NULL, *prefix = NULL, *ll = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      compile_usage(stdout);
      return 0;
    }
    const char **slot = !strcmp(a, "-o")            ? &obj
                        : !strcmp(a, "--header")    ? &header
                        : !strcmp(a, "--prefix")    ? &prefix
                        : !strcmp(a, "--emit-llvm") ? &ll
                                                    : NULL;
    if (slot) {
      if (i + 1 >= argc) {
        fprintf(stderr, "pcnc compile: %s needs an argument\n", a);
        return 2;
      }
      *slot = argv[++i];
      continue;
    }
    int r = pcn_driver_common_opt(&o, argc, argv, &i);
    if (r < 0) return 2;
    if (r == 0) {
      fprintf(stderr, "pcnc compile: unknown option '%s'\n", a);
      compile_usage(stderr);
      return 2;
    }
  }
  if (!o.file) {
    fprintf(stderr, "pcnc compile: no input file\n");
    compile_usage(stderr);
    return 2;
  }
  PcnSession s;
  int status = pcn_driver_compile(&s, &o);
  if (status) {
    pcn_driver_session_free(&s);
    return status;
  }
  const PcnCompilation *c = s.comp;
  const PcnGraph *g = c->models[s.model];
  int ti = find_block(c, s.model, true), ei = find_block(c, s.model, false);
  PcnSchedule *sched =
      pcn_schedule_build(&s.arena, g, pcn_compilation_analysis(c, s.model),
                         ti >= 0 ? &c->trains[ti] : NULL, ei >= 0 ? &c->evals[ei] : NULL, 0);
  char *obj_owned = NULL, *hdr_owned = NULL, *pre_owned = NULL;
  char err[512] = "";
  status = 1;
  if (!sched) {
    snprintf(err, sizeof err, "out of memory building the schedule");
    goto done;
  }
  if (!obj) obj = obj_owned = with_ext(g->name, ".o");
  if (!header && obj) header = hdr_owned = with_ext(obj, ".h");
  if (!prefix) {
    pre_owned = malloc(strlen(g->name) + 2);
    if (pre_owned) sprintf(pre_owned, "%s_", g->name);
    prefix = pre_owned;
  }
  if (!obj || !header || !prefix) {
    snprintf(err, sizeof err, "out of memory");
    goto done;
  }
  if (ll && pcn_jit_emit_llvm(sched, ll, err, sizeof err)) goto done;
  if (pcn_jit_emit_object(sched, obj, header, prefix, err, sizeof err)) goto done;
  status = 0;
done:
  if (status) fprintf(stderr, "pcnc compile: %s\n", err);
  free(obj_owned);
  free(hdr_owned);
  free(pre_owned);
  pcn_driver_session_free(&s);
  return status;
}
