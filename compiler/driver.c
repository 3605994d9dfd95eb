/*
 * driver.c - the compile-only subcommands: check, schedule, graph, and the
 * option handling they share.
 */
#include "driver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "ast.h"
#include "pcn/schedule.h"
#include "report.h"

int pcn_driver_common_opt(PcnCommonOpts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (!strcmp(a, "-I") || !strncmp(a, "-I", 2)) {
    const char *dir = a[2] ? a + 2 : (*i + 1 < argc ? argv[++*i] : NULL);
    if (!dir) {
      fprintf(stderr, "pcnc: -I needs a directory\n");
      return -1;
    }
    if (o->nincludes == (int)(sizeof o->includes / sizeof o->includes[0])) {
      fprintf(stderr, "pcnc: too many -I directories\n");
      return -1;
    }
    o->includes[o->nincludes++] = dir;
    return 1;
  }
  if (!strcmp(a, "--model")) {
    if (*i + 1 >= argc) {
      fprintf(stderr, "pcnc: --model needs a model name\n");
      return -1;
    }
    o->model = argv[++*i];
    return 1;
  }
  if (!strncmp(a, "--color", 7)) {
    const char *v = a[7] == '=' ? a + 8 : "always";
    if (!strcmp(v, "always")) o->color = 1;
    else if (!strcmp(v, "never")) o->color = 0;
    else if (!strcmp(v, "auto")) o->color = -1;
    else {
      fprintf(stderr, "pcnc: --color takes always, never or auto\n");
      return -1;
    }
    return 1;
  }
  if (a[0] == '-' && a[1]) return 0;
  if (o->file) {
    fprintf(stderr, "pcnc: more than one input file ('%s' and '%s')\n",
            o->file, a);
    return -1;
  }
  o->file = a;
  return 1;
}

int pcn_driver_compile(PcnSession *s, const PcnCommonOpts *o) {
  pcn_arena_init(&s->arena);
  pcn_diag_init(&s->diag);
  s->model = -1;
  PcnCompileOptions copts = {0};
  copts.include_dirs = (const char **)o->includes;
  copts.ninclude_dirs = o->nincludes;
  s->comp = pcn_compile_file(&s->arena, &s->diag, o->file, &copts);
  int unreadable = s->comp == NULL && s->diag.nerrors > 0;
  if (s->comp && s->diag.nerrors == 0) {
    if (o->model) {
      s->model = pcn_compilation_find_model(s->comp, o->model);
      if (s->model < 0)
        pcn_diag_error(&s->diag, pcn_no_span, "no model named '%s' in '%s'",
                       o->model, o->file);
    } else if (s->comp->nmodels > 0) {
      s->model = 0;
    } else {
      pcn_diag_error(&s->diag, pcn_no_span, "'%s' defines no model", o->file);
    }
  }
  pcn_diag_print(&s->diag, stderr, o->color);
  if (unreadable) return 2;
  return s->diag.nerrors ? 1 : 0;
}

void pcn_driver_session_free(PcnSession *s) {
  pcn_diag_free(&s->diag);
  pcn_arena_free(&s->arena);
}

/* Reads the item count from an IDX file header (magic, then big-endian
 * dimension sizes; the first dimension is the count). */
static long long idx_count(const char *path) {
  gzFile f = gzopen(path, "rb");
  if (!f) return -1;
  unsigned char h[8];
  int got = gzread(f, h, sizeof h);
  gzclose(f);
  if (got != (int)sizeof h || h[0] || h[1]) return -1;
  return ((long long)h[4] << 24) | ((long long)h[5] << 16) |
         ((long long)h[6] << 8) | h[7];
}

long long pcn_driver_train_samples(const PcnCompilation *c, int train,
                                   const char *data_dir) {
  const PcnDataset *ds = &c->datasets[c->trains[train].dataset];
  switch (ds->format) {
  case PCN_DATA_SYNTHETIC:
    return ds->train_samples;
  case PCN_DATA_IDX: {
    const char *dir = data_dir ? data_dir : getenv("PCNC_DATA_DIR");
    if (!dir || !*dir) dir = ds->dir;
    const char *file = ds->train_files[1] ? ds->train_files[1] : ds->train_files[0];
    if (!dir || !file) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return idx_count(path);
  }
  case PCN_DATA_CSV:
    return -1;
  }
  return -1;
}

static int find_block(const PcnCompilation *c, int model, bool train) {
  int n = train ? c->ntrains : c->nevals;
  for (int i = 0; i < n; i++)
    if ((train ? c->trains[i].model : c->evals[i].model) == model) return i;
  return -1;
}

/* ---- check ----------------------------------------------------------- */

static void check_usage(FILE *out) {
  fputs("usage: pcnc check FILE [options]\n"
        "\n"
        "Parse and check FILE; print a summary of each model's graph: cycles\n"
        "with their paths, roots and their clamps, Proposition 3.2 verdicts\n"
        "(may the network be forward-initialized?), the initializers each\n"
        "node may use and how evaluation predicts.\n"
        "\n"
        "options:\n"
        "  -I DIR          add DIR to the import search path\n"
        "  --model NAME    report only model NAME\n"
        "  --quiet, -q     print diagnostics only\n"
        "  --dump-ast      print the syntax tree of FILE\n"
        "  --color[=WHEN]  color diagnostics: always, never, auto (default)\n"
        "\n"
        "exit status: 0 no errors, 1 errors in the program, 2 usage error\n",
        out);
}

int pcn_cmd_check(int argc, char **argv) {
  PcnCommonOpts o = {.color = -1};
  bool quiet = false, dump_ast = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      check_usage(stdout);
      return 0;
    }
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      quiet = true;
      continue;
    }
    if (!strcmp(a, "--dump-ast")) {
      dump_ast = true;
      continue;
    }
    int r = pcn_driver_common_opt(&o, argc, argv, &i);
    if (r < 0) return 2;
    if (r == 0) {
      fprintf(stderr, "pcnc check: unknown option '%s'\n", a);
      check_usage(stderr);
      return 2;
    }
  }
  if (!o.file) {
    fprintf(stderr, "pcnc check: no input file\n");
    check_usage(stderr);
    return 2;
  }
  if (dump_ast) {
    PcnArena arena;
    PcnDiag diag;
    pcn_arena_init(&arena);
    pcn_diag_init(&diag);
    const PcnSource *src = pcn_diag_load_file(&diag, o.file);
    int status = 2;
    if (!src) {
      fprintf(stderr, "pcnc: cannot read '%s': %s\n", o.file, strerror(errno));
    } else {
      PcnProgram *prog = pcn_parse(&arena, &diag, src, NULL);
      if (prog) pcn_program_dump(prog, stdout);
      pcn_diag_print(&diag, stderr, o.color);
      status = diag.nerrors ? 1 : 0;
    }
    pcn_diag_free(&diag);
    pcn_arena_free(&arena);
    return status;
  }
  PcnSession s;
  int status = pcn_driver_compile(&s, &o);
  if (status == 0 && !quiet) {
    for (int m = 0; m < s.comp->nmodels; m++)
      if (!o.model || m == s.model) pcn_report_check(stdout, s.comp, m);
  }
  pcn_driver_session_free(&s);
  return status;
}

/* ---- schedule -------------------------------------------------------- */

static void schedule_usage(FILE *out) {
  fputs("usage: pcnc schedule FILE [options]\n"
        "\n"
        "Print the Schedule IR of a model: the ordered stages of one training\n"
        "step (initialization, inference step, learning) and of evaluation,\n"
        "the ops of each stage (which may run in parallel), the critical\n"
        "path, and sequential matrix multiplications (SMMs) per weight update\n"
        "and per epoch, counted as in docs/smm.md, and the matrix products the\n"
        "JIT proves unnecessary in one training batch (zero operands, unchanged\n"
        "inputs) with the fraction of GEMM FLOPs each step keeps.\n"
        "\n"
        "options:\n"
        "  --json          machine-readable output (keys smm_per_update,\n"
        "                  smm_per_epoch, stages, skips, ...)\n"
        "  --no-skips      leave out the products proven unnecessary\n"
        "  --model NAME    the model to schedule (default: the first)\n"
        "  --samples N     training samples per epoch (default: read from\n"
        "                  the dataset's files)\n"
        "  --data-dir DIR  where the dataset's files are\n"
        "  -I DIR          add DIR to the import search path\n"
        "  --color[=WHEN]  color diagnostics: always, never, auto\n",
        out);
}

/* Builds the schedule of the session's model with its train/eval blocks. */
static PcnSchedule *build_schedule(PcnSession *s, long long samples,
                                   const char *data_dir, int *batch) {
  const PcnCompilation *c = s->comp;
  int ti = find_block(c, s->model, true), ei = find_block(c, s->model, false);
  const PcnTrainConfig *train = ti >= 0 ? &c->trains[ti] : NULL;
  const PcnEvalConfig *eval = ei >= 0 ? &c->evals[ei] : NULL;
  *batch = train ? train->batch : 0;
  if (samples < 0 && ti >= 0) samples = pcn_driver_train_samples(c, ti, data_dir);
  if (samples < 0) samples = 0;
  return pcn_schedule_build(&s->arena, c->models[s->model],
                            pcn_compilation_analysis(c, s->model), train, eval,
                            samples);
}

int pcn_cmd_schedule(int argc, char **argv) {
  PcnCommonOpts o = {.color = -1};
  bool json = false;
  bool no_skips = false;
  long long samples = -1;
  const char *data_dir = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      schedule_usage(stdout);
      return 0;
    }
    if (!strcmp(a, "--json")) {
      json = true;
      continue;
    }
    if (!strcmp(a, "--no-skips")) {
      no_skips = true;
      continue;
    }
    if (!strcmp(a, "--samples") || !strcmp(a, "--data-dir")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "pcnc schedule: %s needs a value\n", a);
        return 2;
      }
      if (a[2] == 's') {
        char *end;
        samples = strtoll(argv[++i], &end, 10);
        if (*end || samples < 0) {
          fprintf(stderr, "pcnc schedule: --samples needs a count, not '%s'\n",
                  argv[i]);
          return 2;
        }
      } else {
        data_dir = argv[++i];
      }
      continue;
    }
    int r = pcn_driver_common_opt(&o, argc, argv, &i);
    if (r < 0) return 2;
    if (r == 0) {
      fprintf(stderr, "pcnc schedule: unknown option '%s'\n", a);
      schedule_usage(stderr);
      return 2;
    }
  }
  if (!o.file) {
    fprintf(stderr, "pcnc schedule: no input file\n");
    schedule_usage(stderr);
    return 2;
  }
  PcnSession s;
  int status = pcn_driver_compile(&s, &o);
  if (status == 0) {
    int batch = 0;
    PcnSchedule *sch = build_schedule(&s, samples, data_dir, &batch);
    PcnScheduleReportOptions ro = {.batch = batch, .no_skips = no_skips};
    if (!sch) {
      fprintf(stderr, "pcnc: out of memory building the schedule\n");
      status = 1;
    } else if (json) {
      pcn_report_schedule_json_opts(stdout, sch, &ro);
    } else {
      pcn_report_schedule_text_opts(stdout, sch, &ro);
    }
  }
  pcn_driver_session_free(&s);
  return status;
}

/* ---- graph ----------------------------------------------------------- */

static void graph_usage(FILE *out) {
  fputs("usage: pcnc graph FILE [options]\n"
        "\n"
        "Write the model's graph in Graphviz dot: clamped nodes filled and\n"
        "labelled with what they are clamped to, each node's size,\n"
        "activation and initializer, cycle edges in red.\n"
        "Render it with: pcnc graph model.pcn | dot -Tsvg > model.svg\n"
        "\n"
        "options:\n"
        "  -o FILE         write to FILE instead of standard output\n"
        "  --model NAME    the model to draw (default: the first)\n"
        "  -I DIR          add DIR to the import search path\n"
        "  --color[=WHEN]  color diagnostics: always, never, auto\n",
        out);
}

int pcn_cmd_graph(int argc, char **argv) {
  PcnCommonOpts o = {.color = -1};
  const char *out_path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      graph_usage(stdout);
      return 0;
    }
    if (!strcmp(a, "-o")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "pcnc graph: -o needs a file name\n");
        return 2;
      }
      out_path = argv[++i];
      continue;
    }
    int r = pcn_driver_common_opt(&o, argc, argv, &i);
    if (r < 0) return 2;
    if (r == 0) {
      fprintf(stderr, "pcnc graph: unknown option '%s'\n", a);
      graph_usage(stderr);
      return 2;
    }
  }
  if (!o.file) {
    fprintf(stderr, "pcnc graph: no input file\n");
    graph_usage(stderr);
    return 2;
  }
  PcnSession s;
  int status = pcn_driver_compile(&s, &o);
  if (status == 0) {
    FILE *out = stdout;
    if (out_path && !(out = fopen(out_path, "w"))) {
      fprintf(stderr, "pcnc graph: cannot write '%s': %s\n", out_path,
              strerror(errno));
      status = 2;
    } else {
      pcn_report_dot(out, s.comp->models[s.model],
                     pcn_compilation_analysis(s.comp, s.model));
      if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "pcnc graph: error writing '%s'\n", out_path);
        status = 2;
      }
    }
  }
  pcn_driver_session_free(&s);
  return status;
}

const PcnCommand pcn_commands[] = {
    {"check", pcn_cmd_check},
    {"schedule", pcn_cmd_schedule},
    {"graph", pcn_cmd_graph},
    {"run", pcn_cmd_run},
    {"compile", pcn_cmd_compile},
    {"sweep", pcn_cmd_sweep},
    {"report", pcn_cmd_report},
    {NULL, NULL},
};

double pcn_driver_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
