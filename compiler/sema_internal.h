/*
 * sema_internal.h - shared state of semantic analysis (compiler/sema*.c).
 *
 * Not a public header: the contract with the rest of pcnc is compile.h and
 * graph.h. The split is by phase of sema:
 *   sema.c        front door: load, parse, imports, order, graph analysis
 *   sema_const.c  scopes, params, constant expressions, name@index, maps
 *   sema_model.c  model items -> PcnGraph (nodes, edges, memories, for)
 *   sema_blocks.c dataset / train / evaluate settings and the checks that
 *                 connect a model to its data
 */
#ifndef PCN_SEMA_INTERNAL_H
#define PCN_SEMA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "compile.h"

/* Integers are exact up to 2^53 (the range a double holds exactly), so a
 * constant can travel as a double while remembering it was an integer. */
#define SEMA_INT_MAX 9007199254740992LL /* 2^53 */

/* Cap on items produced by for-loop expansion in one compilation. */
#define SEMA_MAX_EXPANDED 1000000LL

typedef struct SemaVal {
  bool ok;     /* false after an error (already reported) */
  bool is_int; /* integer arithmetic applies */
  int64_t i;   /* the value when is_int */
  double r;    /* the value as a real (always set) */
} SemaVal;

/* A param binding. Scopes are persistent linked lists: a new binding is
 * pushed at the head, so a saved head pointer is a snapshot of the scope at
 * that point (train/evaluate blocks are checked after all models but see
 * only the params defined before them). */
typedef struct SemaBind {
  const char *name;
  SemaVal val;
  PcnSpan span;
  struct SemaBind *next;
} SemaBind;

typedef struct SemaScope {
  struct SemaScope *parent;
  SemaBind *binds;
  /* Params declared anywhere in this scope, so "used before definition"
   * can be told apart from "undefined" (may be NULL). */
  const PcnAstList *decls;
  const PcnAstList *more_decls; /* the global scope has one list per file */
  int nmore;
} SemaScope;

/* Open-addressing map from string or integer keys to an int. */
typedef struct SemaMap {
  const char **skeys;
  uint64_t *ikeys;
  int *vals;
  size_t cap, n;
  bool ints; /* keys are integers (ikeys) rather than strings */
} SemaMap;

/* Side information kept next to the IR for diagnostics in later checks. */
typedef struct SemaDatasetInfo {
  PcnSpan features_span, classes_span; /* the values (or the name) */
  bool has_test;
} SemaDatasetInfo;

typedef struct SemaTrainInfo {
  bool batch_explicit;
  PcnSpan batch_span, sampling_span, data_span, method_span;
} SemaTrainInfo;

typedef struct SemaEvalInfo {
  PcnSpan data_span, steps_span;
  bool steps_explicit;
} SemaEvalInfo;

typedef struct Sema {
  PcnArena *a;
  PcnDiag *d;
  const PcnCompileOptions *opts;
  PcnCompilation *c;
  SemaScope global;
  int64_t expanded;   /* for-loop items expanded so far */
  bool expand_capped; /* the cap error was reported */
  int suggestions;    /* "did you mean" searches done (bounded) */
  int cap_models, cap_datasets, cap_trains, cap_evals;
  SemaDatasetInfo *dinfo; /* parallel to c->datasets */
  SemaTrainInfo *tinfo;   /* parallel to c->trains */
  SemaEvalInfo *einfo;    /* parallel to c->evals */
  PcnSpan *model_name_spans; /* first definition, for duplicates */
} Sema;

/* ---- sema_const.c ---- */
SemaVal sema_eval(Sema *s, SemaScope *sc, const PcnAst *e);
/* Evaluates e and requires an integer in [lo, hi]; `what` names the value
 * in messages ("node dimension"). Returns false after reporting. */
bool sema_int(Sema *s, SemaScope *sc, const PcnAst *e, const char *what,
              int64_t lo, int64_t hi, int64_t *out);
/* A real (integers accepted) with lo < x (or <= when lo_incl) and x <= hi
 * (or < when !hi_incl). `range` is the range as the user reads it. */
bool sema_real(Sema *s, SemaScope *sc, const PcnAst *e, const char *what,
               double lo, bool lo_incl, double hi, bool hi_incl,
               const char *range, double *out);
/* NAME or NAME@index -> the built name (arena); NULL after an error. */
const char *sema_build_name(Sema *s, SemaScope *sc, const PcnAst *e);
/* A bare identifier value (NAME without @), else NULL. */
const char *sema_ident(const PcnAst *e);
void sema_define(Sema *s, SemaScope *sc, const PcnAst *param);
int sema_edit_distance(const char *a, const char *b, int cap);

void sema_map_init(SemaMap *m, bool int_keys);
void sema_map_free(SemaMap *m);
/* Returns the existing value, or inserts v and returns -1. */
int sema_map_put_str(SemaMap *m, const char *k, int v);
int sema_map_get_str(const SemaMap *m, const char *k);
int sema_map_put_int(SemaMap *m, uint64_t k, int v);

/* Growable arena array: doubles capacity, copying (old copies stay in the
 * arena until the compilation is freed, at most as much again). */
void *sema_grow(Sema *s, void *arr, int n, int *cap, size_t elem);

/* ---- sema_model.c ---- */
void sema_model(Sema *s, const PcnAst *m);

/* ---- sema_blocks.c ---- */
void sema_dataset(Sema *s, SemaScope *sc, const PcnAst *ds);
void sema_train(Sema *s, SemaScope *sc, const PcnAst *t);
void sema_evaluate(Sema *s, SemaScope *sc, const PcnAst *e);
/* Checks that need both a model and its train/evaluate blocks (input and
 * target sizes, average/null initializers). */
void sema_connect(Sema *s);
int sema_find_dataset(const PcnCompilation *c, const char *name);

#endif
