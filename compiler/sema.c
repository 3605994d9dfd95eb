/*
 * sema.c - the compiler's front door (compile.h): load and parse a file and
 * its imports, run semantic analysis in source order, then graph analysis.
 *
 * Order of work (each step only when the previous left no errors where
 * that matters):
 *   1. load + parse the main file and, depth first, every import (each
 *      file once, by real path; a cycle is an error with notes);
 *   2. if any file had syntax errors, stop: sema on a recovered tree mostly
 *      repeats the parser's errors as "undefined node" noise;
 *   3. sema over the files with imports first, items in source order:
 *      params are sequential, datasets and models are checked in place,
 *      train/evaluate blocks are checked after all models (so they may
 *      name a model defined later) with the params visible where they stand;
 *   4. checks that connect models to data (sema_connect);
 *   5. with no errors: pcn_analyze() per model, then pcn_check_model()
 *      (compiler/verdict.c) for the checks that need the analysis.
 */
/* realpath() is XSI in glibc's eyes; the build defines only POSIX. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sema_internal.h"

#ifndef PCNC_STDLIB_DIR
#define PCNC_STDLIB_DIR "stdlib"
#endif

typedef struct SemaFile {
  const PcnSource *src;
  PcnProgram *prog;
  char *key;          /* real path (malloc), or NULL for a string source */
  bool open;          /* on the import stack: being loaded */
  const PcnAst *via;  /* the import that loaded it (NULL for the main file) */
  int parent;         /* index of the importing file, -1 for the main file */
} SemaFile;

typedef struct Loader {
  Sema *s;
  SemaFile *files;
  int nfiles, cap;
  int *order; /* files in dependency order: imports before importers */
  int norder;
} Loader;

static const PcnCompileOptions no_options;

static char *join_path(const char *dir, const char *rel) {
  size_t n = strlen(dir) + strlen(rel) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, rel);
  return p;
}

/* The directory part of a path ("." when it has none). */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  char *d = malloc((size_t)(slash - path) + 1);
  if (d) {
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = 0;
  }
  return d;
}

/* Tries dir/rel; on success returns the malloc'ed path. Appends the
 * candidate to `tried` (for the "searched" note). */
static char *try_dir(const char *dir, const char *rel, char *tried,
                     size_t tried_cap) {
  if (!dir || !*dir) return NULL;
  char *p = join_path(dir, rel);
  if (!p) return NULL;
  if (access(p, R_OK) == 0) return p;
  size_t len = strlen(tried);
  if (len + strlen(p) + 3 < tried_cap)
    snprintf(tried + len, tried_cap - len, "%s%s", len ? ", " : "", p);
  free(p);
  return NULL;
}

/* Tries every entry of a colon-separated path list. */
static char *try_pathlist(const char *list, const char *rel, char *tried,
                          size_t tried_cap) {
  if (!list) return NULL;
  char *copy = strdup(list);
  char *found = NULL;
  for (char *save = NULL, *tok = copy ? strtok_r(copy, ":", &save) : NULL;
       tok && !found; tok = strtok_r(NULL, ":", &save))
    found = try_dir(tok, rel, tried, tried_cap);
  free(copy);
  return found;
}

/* docs/spec.md, "Imports and params": `std/X` is looked up as X in -I
 * dirs, $PCNC_PATH, then the stdlib dir (each dir acts as a stdlib root);
 * other relative paths in the importing file's directory, -I, $PCNC_PATH. */
static char *resolve_import(Loader *L, const char *path, const char *from,
                            char *tried, size_t tried_cap) {
  const PcnCompileOptions *o = L->s->opts;
  const char *env = getenv("PCNC_PATH");
  tried[0] = 0;
  if (path[0] == '/') {
    if (access(path, R_OK) == 0) return strdup(path);
    snprintf(tried, tried_cap, "%s", path);
    return NULL;
  }
  char *found = NULL;
  if (strncmp(path, "std/", 4) == 0) {
    const char *rel = path + 4;
    for (int i = 0; i < o->ninclude_dirs && !found; i++)
      found = try_dir(o->include_dirs[i], rel, tried, tried_cap);
    if (!found) found = try_pathlist(env, rel, tried, tried_cap);
    if (!found)
      found = try_dir(o->stdlib_dir ? o->stdlib_dir : PCNC_STDLIB_DIR, rel,
                      tried, tried_cap);
    return found;
  }
  char *dir = dir_of(from);
  if (dir) found = try_dir(dir, path, tried, tried_cap);
  free(dir);
  for (int i = 0; i < o->ninclude_dirs && !found; i++)
    found = try_dir(o->include_dirs[i], path, tried, tried_cap);
  if (!found) found = try_pathlist(env, path, tried, tried_cap);
  return found;
}

static int add_file(Loader *L, const PcnSource *src, char *key,
                    const PcnAst *via, int parent) {
  if (L->nfiles == L->cap) {
    int ncap = L->cap ? L->cap * 2 : 8;
    SemaFile *f = realloc(L->files, (size_t)ncap * sizeof *f);
    int *o = realloc(L->order, (size_t)ncap * sizeof *o);
    if (f) L->files = f;
    if (o) L->order = o;
    if (!f || !o) return -1;
    L->cap = ncap;
  }
  int i = L->nfiles++;
  L->files[i] = (SemaFile){src, NULL, key, true, via, parent};
  return i;
}

static void load(Loader *L, int fi);

static void import_item(Loader *L, int fi, const PcnAst *it) {
  Sema *s = L->s;
  if (!it->str) return;
  char tried[1024];
  char *path = resolve_import(L, it->str, L->files[fi].src->path, tried,
                              sizeof tried);
  if (!path) {
    int id = pcn_diag_error(s->d, it->span, "cannot find import '%s'",
                            it->str);
    if (tried[0]) pcn_diag_note(s->d, id, pcn_no_span, "searched: %s", tried);
    return;
  }
  char *key = realpath(path, NULL);
  if (!key) key = strdup(path);
  for (int j = 0; key && j < L->nfiles; j++) {
    if (!L->files[j].key || strcmp(L->files[j].key, key)) continue;
    free(key);
    free(path);
    if (!L->files[j].open) return; /* imported before: read once */
    /* A cycle: j is on the stack; walk up from fi to j. */
    char chain[1024];
    size_t len = 0;
    int stack[256], n = 0;
    for (int k = fi; k >= 0 && n < 256; k = L->files[k].parent) {
      stack[n++] = k;
      if (k == j) break;
    }
    chain[0] = 0;
    for (int k = n - 1; k >= 0 && len < sizeof chain - 8; k--)
      len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ",
                              L->files[stack[k]].src->path);
    snprintf(chain + len, sizeof chain - len, "%s", L->files[j].src->path);
    int id = pcn_diag_error(s->d, it->span, "import cycle: %s", chain);
    for (int k = n - 2; k >= 0; k--) {
      const SemaFile *f = &L->files[stack[k]];
      if (f->via)
        pcn_diag_note(s->d, id, f->via->span, "'%s' is imported here",
                      f->src->path);
    }
    return;
  }
  /* Only regular files: a device or FIFO (import "/dev/zero",
   * "/dev/stdin") would be read forever or block. */
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    pcn_diag_error(s->d, it->span, "cannot import '%s': not a regular file",
                   path);
    free(key);
    free(path);
    return;
  }
  const PcnSource *src = pcn_diag_load_file(s->d, path);
  if (!src) {
    pcn_diag_error(s->d, it->span, "cannot read '%s': %s", path,
                   strerror(errno));
    free(key);
    free(path);
    return;
  }
  free(path);
  int ni = add_file(L, src, key, it, fi);
  if (ni < 0) {
    free(key);
    return;
  }
  load(L, ni);
}

static void load(Loader *L, int fi) {
  Sema *s = L->s;
  PcnProgram *prog = pcn_parse(s->a, s->d, L->files[fi].src, NULL);
  L->files[fi].prog = prog;
  if (prog) {
    for (int i = 0; i < prog->items.n; i++) {
      const PcnAst *it = prog->items.v[i];
      if (it && it->kind == PCN_AST_IMPORT) import_item(L, fi, it);
    }
  }
  L->files[fi].open = false;
  L->order[L->norder++] = fi;
}

/* A train/evaluate block waiting for all models, with the global params
 * visible at its position. */
typedef struct Deferred {
  const PcnAst *block;
  SemaBind *binds;
} Deferred;

static void run_sema(Sema *s, Loader *L) {
  PcnAstList *decls = pcn_arena_array(s->a, (size_t)L->norder + 1,
                                      sizeof *decls);
  if (!decls) return;
  for (int k = 0; k < L->norder; k++) {
    const PcnProgram *p = L->files[L->order[k]].prog;
    if (p) decls[k] = p->items;
  }
  s->global.more_decls = decls;
  s->global.nmore = L->norder;

  Deferred *def = NULL;
  int ndef = 0, capdef = 0;
  for (int k = 0; k < L->norder; k++) {
    const PcnProgram *p = L->files[L->order[k]].prog;
    for (int i = 0; p && i < p->items.n; i++) {
      const PcnAst *it = p->items.v[i];
      if (!it) continue;
      switch (it->kind) {
      case PCN_AST_IMPORT: break;
      case PCN_AST_PARAM: sema_define(s, &s->global, it); break;
      case PCN_AST_DATASET: sema_dataset(s, &s->global, it); break;
      case PCN_AST_MODEL: sema_model(s, it); break;
      case PCN_AST_TRAIN:
      case PCN_AST_EVALUATE:
        if (ndef == capdef) {
          capdef = capdef ? capdef * 2 : 8;
          Deferred *nd = realloc(def, (size_t)capdef * sizeof *nd);
          if (!nd) goto out;
          def = nd;
        }
        def[ndef++] = (Deferred){it, s->global.binds};
        break;
      default:
        pcn_diag_error(s->d, it->span, "a %s cannot appear at the top level",
                       pcn_ast_kind_name(it->kind));
      }
    }
  }
  for (int i = 0; i < ndef; i++) {
    SemaScope snap = s->global;
    snap.binds = def[i].binds;
    if (def[i].block->kind == PCN_AST_TRAIN)
      sema_train(s, &snap, def[i].block);
    else
      sema_evaluate(s, &snap, def[i].block);
  }
  sema_connect(s);
out:
  free(def);
}

static void analyze(Sema *s) {
  PcnCompilation *c = s->c;
  c->analyses = pcn_arena_array(s->a, (size_t)c->nmodels + 1,
                                sizeof *c->analyses);
  if (!c->analyses) return;
  for (int i = 0; i < c->nmodels; i++)
    c->analyses[i] = pcn_analyze(s->a, c->models[i]);
  /* Forward legality, memory queries, method bp on a cycle, evaluation by
   * inference with 0 steps: compiler/verdict.c. */
  for (int i = 0; i < c->nmodels; i++)
    if (c->analyses[i]) pcn_check_model(s->d, c, i);
}

static PcnCompilation *compile(PcnArena *a, PcnDiag *d, const PcnSource *src,
                               char *key, const PcnCompileOptions *opts) {
  Sema s;
  memset(&s, 0, sizeof s);
  s.a = a;
  s.d = d;
  s.opts = opts ? opts : &no_options;
  s.c = pcn_arena_alloc(a, sizeof *s.c);
  if (!s.c) {
    free(key);
    return NULL;
  }
  Loader L = {.s = &s};
  int errors_before = d->nerrors;
  int fi = add_file(&L, src, key, NULL, -1);
  if (fi < 0) {
    free(key);
    return s.c;
  }
  load(&L, fi);
  bool parse_ok = d->nerrors == errors_before;
  if (parse_ok) run_sema(&s, &L);
  if (d->nerrors == errors_before) analyze(&s);
  for (int i = 0; i < L.nfiles; i++) free(L.files[i].key);
  free(L.files);
  free(L.order);
  return s.c;
}

PcnCompilation *pcn_compile_file(PcnArena *a, PcnDiag *d, const char *path,
                                 const PcnCompileOptions *opts) {
  const PcnSource *src = pcn_diag_load_file(d, path);
  if (!src) {
    pcn_diag_error(d, pcn_no_span, "cannot read '%s': %s", path,
                   strerror(errno));
    return NULL;
  }
  return compile(a, d, src, realpath(path, NULL), opts);
}

PcnCompilation *pcn_compile_string(PcnArena *a, PcnDiag *d, const char *name,
                                   const char *text,
                                   const PcnCompileOptions *opts) {
  const PcnSource *src = pcn_diag_add_source(d, name, text, strlen(text));
  if (!src) return NULL;
  return compile(a, d, src, NULL, opts);
}

const PcnAnalysis *pcn_compilation_analysis(const PcnCompilation *c, int i) {
  if (!c || !c->analyses || i < 0 || i >= c->nmodels) return NULL;
  return c->analyses[i];
}

int pcn_compilation_find_model(const PcnCompilation *c, const char *name) {
  if (!c || !name) return -1;
  for (int i = 0; i < c->nmodels; i++)
    if (strcmp(c->models[i]->name, name) == 0) return i;
  return -1;
}
