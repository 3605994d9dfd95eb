/*
 * compile.h - from a .pcn file to checked IR: the compiler's front door.
 *
 *     PcnArena arena; PcnDiag diag;
 *     pcn_arena_init(&arena); pcn_diag_init(&diag);
 *     PcnCompileOptions opts = {0};
 *     PcnCompilation *c = pcn_compile_file(&arena, &diag, "model.pcn", &opts);
 *     pcn_diag_print(&diag, stderr, -1);
 *     if (diag.nerrors == 0) { ... c->models[0] ... }
 *
 * pcn_compile_file parses the file and its imports, runs semantic analysis
 * (names, constants, for-loops, shapes, clamps, memories, train and
 * evaluate blocks) and builds the Graph IR. It then runs graph analysis on
 * every model and reports the checks that need it (forward-initialization
 * legality, evaluation mode, memory queries). The returned compilation is
 * usable only when diag->nerrors == 0.
 */
#ifndef PCN_COMPILE_H
#define PCN_COMPILE_H

#include "pcn/analysis.h"
#include "pcn/arena.h"
#include "pcn/diag.h"
#include "pcn/graph.h"

typedef struct PcnCompileOptions {
  const char **include_dirs; /* -I DIR, searched before $PCNC_PATH */
  int ninclude_dirs;
  const char *stdlib_dir;    /* NULL = the built-in default */
} PcnCompileOptions;

/* Returns NULL only when the file cannot be read (an error is recorded
 * with the path and the reason) or memory runs out. */
PcnCompilation *pcn_compile_file(PcnArena *a, PcnDiag *d, const char *path,
                                 const PcnCompileOptions *opts);

/* The same from a string (tests); `name` is used in diagnostics. */
PcnCompilation *pcn_compile_string(PcnArena *a, PcnDiag *d, const char *name,
                                   const char *text,
                                   const PcnCompileOptions *opts);

/* Graph analysis results of models[i], computed during compilation. */
const PcnAnalysis *pcn_compilation_analysis(const PcnCompilation *c, int i);

/* Reports the checks of models[model] that need graph analysis (forward
 * on a root, cycles among forward nodes with the path, memory queries not
 * clamped where used, `method bp` on a cyclic model, evaluation by
 * inference with 0 steps). Needs c->analyses[model]. (compiler/verdict.c) */
void pcn_check_model(PcnDiag *d, const PcnCompilation *c, int model);

/* The first node at index >= from that `init memory` sets but that no
 * inference error reaches within tc's T training steps (its memory then
 * never learns: Eq. 9's loss is 0), with the warning in msg; -1 when
 * there is none. pcn_check_model warns with the file's T; pcnc run again
 * when --set changes T. */
int pcn_memory_reach_problem(const PcnGraph *g, const PcnAnalysis *an,
                             const PcnTrainConfig *tc, int from, char *msg, size_t n);

/* Index of the model called `name`, or -1. */
int pcn_compilation_find_model(const PcnCompilation *c, const char *name);

#endif
