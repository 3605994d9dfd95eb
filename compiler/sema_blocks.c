/*
 * sema_blocks.c - `dataset`, `train` and `evaluate` blocks.
 *
 * The grammar keeps these blocks generic (`key value...;`), so every key,
 * arity, type and range is checked here, each error pointing at the
 * offending value. Checks that need a model and its data together (input
 * and target sizes, `average` and `null` initializers) run in
 * sema_connect() once every block is known; those that need graph analysis
 * (method bp on a cycle, evaluation by inference with 0 steps, forward
 * legality, memory queries) are pcn_check_model()'s (compiler/verdict.c).
 *
 * Defaults where docs/spec.md is silent (documented in compiler/README.md):
 * batch 64, epochs 1, inference steps 20 (train and evaluate).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema_internal.h"

#define DEFAULT_BATCH 64
#define DEFAULT_EPOCHS 1
#define DEFAULT_STEPS 20

int sema_find_dataset(const PcnCompilation *c, const char *name) {
  for (int i = 0; i < c->ndatasets; i++)
    if (strcmp(c->datasets[i].name, name) == 0) return i;
  return -1;
}

/* Index of st's key in keys, reporting unknown keys (with the known ones)
 * and repeated keys (with a note at the first). -1 when to skip. */
static int setting_key(Sema *s, const PcnAst *st, const char *const *keys,
                       int nkeys, const char *block, const PcnAst **seen) {
  if (!st || st->kind != PCN_AST_SETTING || !st->name) return -1;
  for (int k = 0; k < nkeys; k++) {
    if (strcmp(keys[k], st->name)) continue;
    if (seen[k]) {
      int id = pcn_diag_error(s->d, st->name_span, "'%s' given twice",
                              st->name);
      pcn_diag_note(s->d, id, seen[k]->name_span, "first given here");
      return -1;
    }
    seen[k] = st;
    return k;
  }
  char known[256];
  size_t len = 0;
  known[0] = 0;
  for (int k = 0; k < nkeys; k++)
    len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                            k ? ", " : "", keys[k]);
  pcn_diag_error(s->d, st->name_span, "unknown %s setting '%s' (known: %s)",
                 block, st->name, known);
  return -1;
}

/* Requires lo..hi values. */
static bool arity(Sema *s, const PcnAst *st, int lo, int hi) {
  int n = st->items.n;
  if (n >= lo && n <= hi) return true;
  if (n > hi)
    pcn_diag_error(s->d, st->items.v[hi]->span, "too many values for '%s'",
                   st->name);
  else if (lo == hi)
    pcn_diag_error(s->d, st->name_span, "'%s' takes %d value%s", st->name, lo,
                   lo == 1 ? "" : "s");
  else
    pcn_diag_error(s->d, st->name_span, "'%s' takes %d to %d values",
                   st->name, lo, hi);
  return false;
}

/* An identifier value out of a fixed set; -1 after an error. */
static int choice(Sema *s, const PcnAst *v, const char *what,
                  const char *const *names, int n) {
  const char *id = sema_ident(v);
  for (int i = 0; id && i < n; i++)
    if (strcmp(id, names[i]) == 0) return i;
  char known[128];
  size_t len = 0;
  known[0] = 0;
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                            i ? ", " : "", names[i]);
  if (id)
    pcn_diag_error(s->d, v->span, "unknown %s '%s' (known: %s)", what, id,
                   known);
  else
    pcn_diag_error(s->d, v->span, "expected a %s (one of: %s)", what, known);
  return -1;
}

static const char *string_value(Sema *s, const PcnAst *v, const char *what) {
  if (v && v->kind == PCN_AST_STR && v->str) return v->str;
  pcn_diag_error(s->d, v->span, "%s must be a string", what);
  return NULL;
}

/* "did you mean" for model and dataset names (few, so a full scan). */
static void suggest(Sema *s, int id, const char *name, bool models) {
  const PcnCompilation *c = s->c;
  int n = models ? c->nmodels : c->ndatasets;
  int cap = (int)strlen(name) / 3, best = -1;
  if (cap < 1) cap = 1;
  int bestd = cap + 1;
  for (int i = 0; i < n; i++) {
    const char *cand = models ? c->models[i]->name : c->datasets[i].name;
    int dist = sema_edit_distance(name, cand, cap);
    if (dist < bestd) bestd = dist, best = i;
  }
  if (best >= 0)
    pcn_diag_note(s->d, id,
                  models ? c->models[best]->span : c->datasets[best].span,
                  "did you mean '%s'?",
                  models ? c->models[best]->name : c->datasets[best].name);
}

/* ---- datasets --------------------------------------------------------- */

enum {
  DS_FORMAT, DS_DIR, DS_TRAIN, DS_TEST, DS_LABEL, DS_FEATURES, DS_CLASSES,
  DS_IMAGE, DS_GENERATOR, DS_SAMPLES, DS_NKEYS
};
static const char *const ds_keys[DS_NKEYS] = {
    "format",   "dir",   "train", "test",      "label_column",
    "features", "classes", "image", "generator", "samples"};

void sema_dataset(Sema *s, SemaScope *sc, const PcnAst *ds) {
  PcnCompilation *c = s->c;
  if (!ds->name) return;
  int prev = sema_find_dataset(c, ds->name);
  if (prev >= 0) {
    int id = pcn_diag_error(s->d, ds->name_span, "duplicate dataset '%s'",
                            ds->name);
    pcn_diag_note(s->d, id, c->datasets[prev].span,
                  "'%s' was first defined here", ds->name);
    return;
  }
  PcnDataset D = {0};
  SemaDatasetInfo info = {0};
  D.name = ds->name;
  D.span = ds->name_span;
  D.label_column = -1;
  info.features_span = info.classes_span = ds->name_span;
  const PcnAst *seen[DS_NKEYS] = {0};
  bool format_ok = false;
  int64_t v, w;
  for (int i = 0; i < ds->items.n; i++) {
    const PcnAst *st = ds->items.v[i];
    int k = setting_key(s, st, ds_keys, DS_NKEYS, "dataset", seen);
    if (k < 0) continue;
    const PcnAstList *vals = &st->items;
    switch (k) {
    case DS_FORMAT: {
      static const char *const fmts[] = {"idx", "csv", "synthetic"};
      if (!arity(s, st, 1, 1)) break;
      int f = choice(s, vals->v[0], "dataset format", fmts, 3);
      if (f >= 0) D.format = (PcnDataFormat)f, format_ok = true;
      break;
    }
    case DS_DIR:
      if (arity(s, st, 1, 1)) D.dir = string_value(s, vals->v[0], "dir");
      break;
    case DS_TRAIN:
    case DS_TEST:
      if (!arity(s, st, 1, 2)) break;
      for (int j = 0; j < vals->n; j++) {
        const char *f = string_value(s, vals->v[j], "a data file name");
        if (k == DS_TRAIN)
          D.train_files[j] = f;
        else
          D.test_files[j] = f;
      }
      break;
    case DS_LABEL:
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "label_column", 0, PCN_MAX_NODE_SIZE,
                   &v))
        D.label_column = (int)v;
      break;
    case DS_FEATURES:
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "features", 1, PCN_MAX_NODE_SIZE, &v)) {
        D.features = (int)v;
        info.features_span = vals->v[0]->span;
      }
      break;
    case DS_CLASSES:
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "classes", 0, PCN_MAX_NODE_SIZE, &v)) {
        D.classes = (int)v;
        info.classes_span = vals->v[0]->span;
      }
      break;
    case DS_IMAGE:
      if (arity(s, st, 2, 2) &&
          sema_int(s, sc, vals->v[0], "image height", 1, PCN_MAX_NODE_SIZE,
                   &v) &&
          sema_int(s, sc, vals->v[1], "image width", 1, PCN_MAX_NODE_SIZE, &w))
        D.image_h = (int)v, D.image_w = (int)w;
      break;
    case DS_GENERATOR: {
      static const char *const gens[] = {"blobs", "xor", "spiral"};
      if (!arity(s, st, 1, 1)) break;
      int g = choice(s, vals->v[0], "generator", gens, 3);
      if (g >= 0) D.generator = gens[g];
      break;
    }
    case DS_SAMPLES:
      /* 10^8 samples of the smallest set is already gigabytes. */
      if (arity(s, st, 2, 2) &&
          sema_int(s, sc, vals->v[0], "train samples", 1, 100000000, &v) &&
          sema_int(s, sc, vals->v[1], "test samples", 0, 100000000, &w))
        D.train_samples = (int)v, D.test_samples = (int)w;
      break;
    }
  }

  /* Required settings and settings that do not fit the format. */
  if (!seen[DS_FORMAT])
    pcn_diag_error(s->d, ds->name_span,
                   "dataset '%s' needs a format (idx, csv or synthetic)",
                   ds->name);
  if (!seen[DS_FEATURES])
    pcn_diag_error(s->d, ds->name_span, "dataset '%s' needs 'features N'",
                   ds->name);
  if (format_ok && D.format == PCN_DATA_SYNTHETIC) {
    static const int file_keys[] = {DS_DIR, DS_TRAIN, DS_TEST, DS_LABEL};
    for (int j = 0; j < 4; j++)
      if (seen[file_keys[j]])
        pcn_diag_error(s->d, seen[file_keys[j]]->name_span,
                       "'%s' does not apply to a synthetic dataset",
                       ds_keys[file_keys[j]]);
    if (!seen[DS_GENERATOR])
      pcn_diag_error(s->d, ds->name_span,
                     "synthetic dataset '%s' needs 'generator blobs|xor|spiral'",
                     ds->name);
    if (!seen[DS_SAMPLES])
      pcn_diag_error(s->d, ds->name_span,
                     "synthetic dataset '%s' needs 'samples TRAIN TEST'",
                     ds->name);
    info.has_test = D.test_samples > 0;
  } else if (format_ok) {
    const char *fmt = D.format == PCN_DATA_IDX ? "idx" : "csv";
    int want = D.format == PCN_DATA_IDX ? 2 : 1;
    static const int synth_keys[] = {DS_GENERATOR, DS_SAMPLES};
    for (int j = 0; j < 2; j++)
      if (seen[synth_keys[j]])
        pcn_diag_error(s->d, seen[synth_keys[j]]->name_span,
                       "'%s' applies to synthetic datasets only",
                       ds_keys[synth_keys[j]]);
    if (D.format == PCN_DATA_IDX && seen[DS_LABEL])
      pcn_diag_error(s->d, seen[DS_LABEL]->name_span,
                     "'label_column' applies to csv datasets only");
    if (!seen[DS_TRAIN])
      pcn_diag_error(s->d, ds->name_span, "%s dataset '%s' needs 'train' %s",
                     fmt, ds->name,
                     want == 2 ? "IMAGES LABELS files" : "FILE");
    for (int k = DS_TRAIN; k <= DS_TEST; k++) {
      if (!seen[k] || seen[k]->items.n == want) continue;
      pcn_diag_error(s->d, seen[k]->name_span,
                     want == 2 ? "an idx dataset's '%s' takes two files "
                                 "(images labels)"
                               : "a csv dataset's '%s' takes one file",
                     ds_keys[k]);
    }
    info.has_test = seen[DS_TEST] != NULL;
    if (D.format == PCN_DATA_CSV && D.features &&
        D.label_column > D.features)
      pcn_diag_error(s->d, seen[DS_LABEL]->items.v[0]->span,
                     "label_column %d is beyond the %d columns of a row "
                     "(features + label)",
                     D.label_column, D.features + 1);
  }
  if (D.image_h && D.features &&
      (int64_t)D.image_h * D.image_w != D.features)
    pcn_diag_error(s->d, seen[DS_IMAGE]->name_span,
                   "image %d x %d has %" PRId64 " pixels but features is %d",
                   D.image_h, D.image_w, (int64_t)D.image_h * D.image_w,
                   D.features);

  int cap = s->cap_datasets;
  PcnDataset *arr = sema_grow(s, c->datasets, c->ndatasets, &cap, sizeof *arr);
  int cap2 = s->cap_datasets;
  SemaDatasetInfo *inf =
      sema_grow(s, s->dinfo, c->ndatasets, &cap2, sizeof *inf);
  if (!arr || !inf) return;
  c->datasets = arr;
  s->dinfo = inf;
  s->cap_datasets = cap;
  s->dinfo[c->ndatasets] = info;
  c->datasets[c->ndatasets++] = D;
}

/* ---- optimizers ------------------------------------------------------- */

enum { OA_LR, OA_MOMENTUM, OA_BETA1, OA_BETA2, OA_EPS, OA_WD, OA_N };
static const char *const opt_args[OA_N] = {"lr",    "momentum", "beta1",
                                           "beta2", "eps",      "weight_decay"};

static void opt_defaults(PcnOptimizer *o, PcnOptKind k) {
  memset(o, 0, sizeof *o);
  o->kind = k;
  if (k == PCN_OPT_SGD) {
    o->lr = 0.1f;
    return;
  }
  o->lr = 0.001f;
  o->beta1 = 0.9f;
  o->beta2 = 0.999f;
  o->eps = 1e-8f;
  o->weight_decay = k == PCN_OPT_ADAMW ? 0.01f : 0.0f;
}

/* OPT = sgd | sgd(0.1) | adamw(lr=3e-4, weight_decay=0.05) ... */
static bool optimizer(Sema *s, SemaScope *sc, const PcnAst *v,
                      PcnOptimizer *o, bool sgd_only) {
  static const char *const kinds[] = {"sgd", "adam", "adamw"};
  const char *name = v->kind == PCN_AST_CALL ? v->name : sema_ident(v);
  int k = -1;
  for (int i = 0; name && i < 3; i++)
    if (!strcmp(name, kinds[i])) k = i;
  if (k < 0 || (sgd_only && k != 0)) {
    if (sgd_only)
      pcn_diag_error(s->d, v->span,
                     "inference uses gradient descent on the states: the "
                     "optimizer must be sgd(lr, momentum)");
    else if (name)
      pcn_diag_error(s->d, v->span,
                     "unknown optimizer '%s' (known: sgd, adam, adamw)", name);
    else
      pcn_diag_error(s->d, v->span,
                     "expected an optimizer (known: sgd, adam, adamw)");
    return false;
  }
  opt_defaults(o, (PcnOptKind)k);
  if (v->kind != PCN_AST_CALL) return true;
  /* Arguments each kind accepts; lr is also the first positional one. */
  bool allowed[OA_N] = {true, k == 0, k != 0, k != 0, k != 0, true};
  bool seen[OA_N] = {false};
  bool ok = true;
  for (int i = 0; i < v->items.n; i++) {
    const PcnAst *arg = v->items.v[i], *val = arg;
    int a = OA_LR;
    if (!arg) return false;
    if (arg->kind == PCN_AST_NAMED) {
      val = arg->lhs;
      for (a = 0; a < OA_N && strcmp(arg->name, opt_args[a]); a++) {}
      if (a == OA_N || !allowed[a]) {
        pcn_diag_error(s->d, arg->name_span,
                       "unknown argument '%s' of %s (known: %s)", arg->name,
                       kinds[k],
                       k == 0 ? "lr, momentum, weight_decay"
                              : "lr, beta1, beta2, eps, weight_decay");
        ok = false;
        continue;
      }
    } else if (i > 0) {
      pcn_diag_error(s->d, arg->span,
                     "only lr may be given by position; name the others "
                     "(e.g. %s)",
                     k == 0 ? "momentum=0.9" : "beta1=0.9");
      ok = false;
      continue;
    }
    if (seen[a]) {
      pcn_diag_error(s->d, arg->span, "argument '%s' given twice",
                     opt_args[a]);
      ok = false;
      continue;
    }
    seen[a] = true;
    double x = 0;
    switch (a) {
    case OA_LR:
      ok &= sema_real(s, sc, val, "lr", 0, false, INFINITY, false, "(0, inf)",
                      &x);
      o->lr = (float)x;
      break;
    case OA_MOMENTUM:
      ok &= sema_real(s, sc, val, "momentum", 0, true, 1, false, "[0, 1)", &x);
      o->momentum = (float)x;
      break;
    case OA_BETA1:
    case OA_BETA2:
      ok &= sema_real(s, sc, val, opt_args[a], 0, true, 1, false, "[0, 1)",
                      &x);
      if (a == OA_BETA1)
        o->beta1 = (float)x;
      else
        o->beta2 = (float)x;
      break;
    case OA_EPS:
      ok &= sema_real(s, sc, val, "eps", 0, false, 1, true, "(0, 1]", &x);
      o->eps = (float)x;
      break;
    default:
      ok &= sema_real(s, sc, val, "weight_decay", 0, true, INFINITY, false,
                      "[0, inf)", &x);
      o->weight_decay = (float)x;
    }
  }
  return ok;
}

/* `KW value` among a setting's values at index i. The grammar reads
 * `steps (depth + 1)` as a call of `steps`, so a one-argument call named
 * KW counts as KW followed by its argument. Sets *val and returns the
 * number of values consumed (0 when v[i] is not KW). */
static int keyword_value(const PcnAstList *vals, int i, const char *kw,
                         const PcnAst **val) {
  if (i >= vals->n || !vals->v[i]) return 0;
  const PcnAst *v = vals->v[i];
  if (v->kind == PCN_AST_CALL && v->name && !strcmp(v->name, kw) &&
      v->items.n == 1 && v->items.v[0] &&
      v->items.v[0]->kind != PCN_AST_NAMED) {
    *val = v->items.v[0];
    return 1;
  }
  const char *id = sema_ident(v);
  if (!id || strcmp(id, kw)) return 0;
  *val = i + 1 < vals->n ? vals->v[i + 1] : NULL;
  return *val ? 2 : 0;
}

/* inference steps T [OPT] */
static void inference(Sema *s, SemaScope *sc, const PcnAst *st, int *T,
                      PcnOptimizer *o, PcnSpan *steps_span) {
  const PcnAstList *vals = &st->items;
  const PcnAst *tv = NULL;
  int used = keyword_value(vals, 0, "steps", &tv);
  if (!used) {
    pcn_diag_error(s->d, vals->n ? vals->v[0]->span : st->name_span,
                   "expected 'inference steps T [OPTIMIZER]'");
    return;
  }
  if (vals->n > used + 1) {
    pcn_diag_error(s->d, vals->v[used + 1]->span,
                   "too many values for 'inference' (expected 'inference "
                   "steps T [OPTIMIZER]')");
    return;
  }
  int64_t t;
  if (sema_int(s, sc, tv, "inference steps", 0, PCN_MAX_STEPS, &t)) {
    *T = (int)t;
    *steps_span = tv->span;
  }
  if (vals->n == used + 1) optimizer(s, sc, vals->v[used], o, true);
}

/* data D.split [fraction F]: the dataset index or -1. */
static int data_setting(Sema *s, SemaScope *sc, const PcnAst *st,
                        const char *split, float *fraction) {
  const PcnAstList *vals = &st->items;
  if (vals->n == 0) {
    pcn_diag_error(s->d, st->name_span, "'data' needs a dataset split: D.%s",
                   split);
    return -1;
  }
  const PcnAst *dv = vals->v[0];
  const char *dname = dv->kind == PCN_AST_DOT ? sema_ident(dv->lhs) : NULL;
  if (!dname) {
    pcn_diag_error(s->d, dv->span, "expected a dataset split: D.%s", split);
    return -1;
  }
  int ds = sema_find_dataset(s->c, dname);
  if (ds < 0) {
    int id = pcn_diag_error(s->d, dv->lhs->span, "undefined dataset '%s'",
                            dname);
    suggest(s, id, dname, false);
    return -1;
  }
  if (!dv->name || strcmp(dv->name, split)) {
    pcn_diag_error(s->d, dv->span,
                   "%s block reads the %s split: write '%s.%s'",
                   !strcmp(split, "train") ? "a train" : "an evaluate", split,
                   dname, split);
    return -1;
  }
  int i = 1;
  const PcnAst *fv = NULL;
  int used = fraction ? keyword_value(vals, 1, "fraction", &fv) : 0;
  if (used) {
    double f;
    if (sema_real(s, sc, fv, "fraction", 0, false, 1, true, "(0, 1]", &f))
      *fraction = (float)f;
    i += used;
  }
  if (i < vals->n)
    pcn_diag_error(s->d, vals->v[i]->span,
                   fraction ? "unexpected value after the data split "
                              "(only 'fraction F' may follow)"
                            : "unexpected value after the data split");
  return ds;
}

/* The model a train/evaluate block is for; -1 after an error. */
static int block_model(Sema *s, const PcnAst *b, const char *kind) {
  int m = b->name ? pcn_compilation_find_model(s->c, b->name) : -1;
  if (m < 0 && b->name) {
    int id = pcn_diag_error(s->d, b->name_span,
                            "%s block for unknown model '%s'", kind, b->name);
    suggest(s, id, b->name, true);
  }
  return m;
}

/* ---- train ------------------------------------------------------------ */

enum { TR_DATA, TR_BATCH, TR_EPOCHS, TR_INFERENCE, TR_LEARNING, TR_SEED,
       TR_METHOD, TR_NKEYS };
static const char *const tr_keys[TR_NKEYS] = {
    "data", "batch", "epochs", "inference", "learning", "seed", "method"};

void sema_train(Sema *s, SemaScope *sc, const PcnAst *t) {
  PcnCompilation *c = s->c;
  int model = block_model(s, t, "train");
  if (model < 0) return;
  for (int i = 0; i < c->ntrains; i++) {
    if (c->trains[i].model != model) continue;
    int id = pcn_diag_error(s->d, t->name_span,
                            "model '%s' already has a train block", t->name);
    pcn_diag_note(s->d, id, c->trains[i].span, "the first train block is here");
    return;
  }
  PcnTrainConfig T = {0};
  SemaTrainInfo info = {0};
  T.model = model;
  T.span = t->name_span;
  T.dataset = -1;
  T.fraction = 1.0f;
  T.batch = DEFAULT_BATCH;
  T.sampling = PCN_SAMPLE_SHUFFLED;
  T.epochs = DEFAULT_EPOCHS;
  T.T = DEFAULT_STEPS;
  opt_defaults(&T.inference, PCN_OPT_SGD);
  opt_defaults(&T.learning, PCN_OPT_ADAMW);
  T.method = PCN_METHOD_PC;
  info.batch_span = info.data_span = info.method_span = t->name_span;
  info.sampling_span = t->name_span;
  PcnSpan steps_span;
  const PcnAst *seen[TR_NKEYS] = {0};
  int64_t v;
  for (int i = 0; i < t->items.n; i++) {
    const PcnAst *st = t->items.v[i];
    int k = setting_key(s, st, tr_keys, TR_NKEYS, "train", seen);
    if (k < 0) continue;
    const PcnAstList *vals = &st->items;
    switch (k) {
    case TR_DATA:
      T.dataset = data_setting(s, sc, st, "train", &T.fraction);
      if (vals->n) info.data_span = vals->v[0]->span;
      break;
    case TR_BATCH:
      if (!arity(s, st, 1, 2)) break;
      if (sema_int(s, sc, vals->v[0], "batch", 1, PCN_MAX_BATCH, &v)) {
        T.batch = (int)v;
        info.batch_explicit = true;
        info.batch_span = info.sampling_span = vals->v[0]->span;
      }
      if (vals->n == 2) {
        static const char *const sm[] = {"shuffled", "aligned"};
        int m = choice(s, vals->v[1], "batch sampling", sm, 2);
        if (m >= 0) T.sampling = (PcnSampling)m;
        info.sampling_span = vals->v[1]->span;
      }
      break;
    case TR_EPOCHS:
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "epochs", 1, PCN_MAX_EPOCHS, &v))
        T.epochs = (int)v;
      break;
    case TR_INFERENCE:
      inference(s, sc, st, &T.T, &T.inference, &steps_span);
      break;
    case TR_LEARNING:
      if (arity(s, st, 1, 1)) optimizer(s, sc, vals->v[0], &T.learning, false);
      break;
    case TR_SEED:
      /* Any integer: negative seeds wrap to their two's complement, so
       * `seed -1` is a valid (if odd) seed, as docs/spec.md shows. */
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "seed", -SEMA_INT_MAX, SEMA_INT_MAX, &v))
        T.seed = (uint64_t)v;
      break;
    case TR_METHOD: {
      static const char *const ms[] = {"pc", "bp"};
      if (!arity(s, st, 1, 1)) break;
      int m = choice(s, vals->v[0], "method", ms, 2);
      if (m >= 0) T.method = (PcnMethod)m;
      info.method_span = vals->v[0]->span;
      break;
    }
    }
  }
  if (!seen[TR_DATA])
    pcn_diag_error(s->d, t->name_span,
                   "train block for '%s' needs 'data D.train'", t->name);
  if (T.dataset >= 0 && T.sampling == PCN_SAMPLE_ALIGNED) {
    const PcnDataset *D = &c->datasets[T.dataset];
    if (D->classes == 0) {
      int id = pcn_diag_error(s->d, info.sampling_span,
                              "aligned batches need labels, but dataset '%s' "
                              "has no classes",
                              D->name);
      pcn_diag_note(s->d, id, D->span, "'%s' is defined here", D->name);
    } else if (T.batch % D->classes) {
      /* Stream-aligned batches hold n/C samples of every class. */
      pcn_diag_error(s->d, info.batch_span,
                     "an aligned batch holds the same number of samples of "
                     "each class: %d is not a multiple of the %d classes of "
                     "'%s'",
                     T.batch, D->classes, D->name);
    }
  }
  int cap = s->cap_trains, cap2 = s->cap_trains;
  PcnTrainConfig *arr = sema_grow(s, c->trains, c->ntrains, &cap, sizeof *arr);
  SemaTrainInfo *inf = sema_grow(s, s->tinfo, c->ntrains, &cap2, sizeof *inf);
  if (!arr || !inf) return;
  c->trains = arr;
  s->tinfo = inf;
  s->cap_trains = cap;
  s->tinfo[c->ntrains] = info;
  T.method_span = info.method_span;
  c->trains[c->ntrains++] = T;
}

/* ---- evaluate --------------------------------------------------------- */

enum { EV_DATA, EV_METRIC, EV_INFERENCE, EV_BATCH, EV_NKEYS };
static const char *const ev_keys[EV_NKEYS] = {"data", "metric", "inference",
                                              "batch"};

void sema_evaluate(Sema *s, SemaScope *sc, const PcnAst *e) {
  PcnCompilation *c = s->c;
  int model = block_model(s, e, "evaluate");
  if (model < 0) return;
  for (int i = 0; i < c->nevals; i++) {
    if (c->evals[i].model != model) continue;
    int id = pcn_diag_error(s->d, e->name_span,
                            "model '%s' already has an evaluate block",
                            e->name);
    pcn_diag_note(s->d, id, c->evals[i].span,
                  "the first evaluate block is here");
    return;
  }
  PcnEvalConfig E = {0};
  SemaEvalInfo info = {0};
  E.model = model;
  E.span = e->name_span;
  E.dataset = -1;
  E.T = DEFAULT_STEPS;
  E.batch = 0; /* filled in sema_connect from the train block */
  opt_defaults(&E.inference, PCN_OPT_SGD);
  info.data_span = info.steps_span = e->name_span;
  const PcnAst *seen[EV_NKEYS] = {0};
  int metric = -1;
  PcnSpan metric_span = e->name_span;
  int64_t v;
  for (int i = 0; i < e->items.n; i++) {
    const PcnAst *st = e->items.v[i];
    int k = setting_key(s, st, ev_keys, EV_NKEYS, "evaluate", seen);
    if (k < 0) continue;
    const PcnAstList *vals = &st->items;
    switch (k) {
    case EV_DATA:
      E.dataset = data_setting(s, sc, st, "test", NULL);
      if (vals->n) info.data_span = vals->v[0]->span;
      break;
    case EV_METRIC: {
      static const char *const ms[] = {"accuracy", "mse"};
      if (!arity(s, st, 1, 1)) break;
      metric = choice(s, vals->v[0], "metric", ms, 2);
      metric_span = vals->v[0]->span;
      break;
    }
    case EV_INFERENCE:
      inference(s, sc, st, &E.T, &E.inference, &info.steps_span);
      info.steps_explicit = true;
      break;
    case EV_BATCH:
      if (arity(s, st, 1, 1) &&
          sema_int(s, sc, vals->v[0], "batch", 1, PCN_MAX_BATCH, &v))
        E.batch = (int)v;
      break;
    }
  }
  if (!seen[EV_DATA])
    pcn_diag_error(s->d, e->name_span,
                   "evaluate block for '%s' needs 'data D.test'", e->name);
  if (E.dataset >= 0) {
    const PcnDataset *D = &c->datasets[E.dataset];
    if (!s->dinfo[E.dataset].has_test) {
      int id = pcn_diag_error(s->d, info.data_span,
                              "dataset '%s' has no test split", D->name);
      pcn_diag_note(s->d, id, D->span, "'%s' is defined here", D->name);
    }
    if (metric < 0 && !seen[EV_METRIC])
      metric = D->classes > 0 ? PCN_METRIC_ACCURACY : PCN_METRIC_MSE;
    if (metric == PCN_METRIC_ACCURACY && D->classes == 0)
      pcn_diag_error(s->d, metric_span,
                     "accuracy needs labels, but dataset '%s' has no classes "
                     "(use metric mse)",
                     D->name);
  }
  E.metric = metric == PCN_METRIC_MSE ? PCN_METRIC_MSE : PCN_METRIC_ACCURACY;
  E.steps_span = info.steps_span;
  int cap = s->cap_evals, cap2 = s->cap_evals;
  PcnEvalConfig *arr = sema_grow(s, c->evals, c->nevals, &cap, sizeof *arr);
  SemaEvalInfo *inf = sema_grow(s, s->einfo, c->nevals, &cap2, sizeof *inf);
  if (!arr || !inf) return;
  c->evals = arr;
  s->einfo = inf;
  s->cap_evals = cap;
  s->einfo[c->nevals] = info;
  c->evals[c->nevals++] = E;
}

/* ---- model <-> data --------------------------------------------------- */

static void standalone_note(Sema *s, PcnSpan span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void standalone_note(Sema *s, PcnSpan span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pcn_diag_vemit(s->d, PCN_SEV_NOTE, span, fmt, ap);
  va_end(ap);
}

/* Clamped sizes against the dataset a block connects the model to. */
static void check_sizes(Sema *s, const PcnGraph *g, int ds, PcnSpan data_span) {
  const PcnDataset *D = &s->c->datasets[ds];
  const SemaDatasetInfo *info = &s->dinfo[ds];
  for (int i = 0; i < g->nnodes; i++) {
    const PcnNode *n = &g->nodes[i];
    if (n->clamp == PCN_CLAMP_IMAGE && D->features && n->size != D->features) {
      int id = pcn_diag_error(s->d, n->span,
                              "input '%s' has %d elements but dataset '%s' "
                              "has %d features",
                              n->name, n->size, D->name, D->features);
      pcn_diag_note(s->d, id, info->features_span, "features of '%s'",
                    D->name);
      pcn_diag_note(s->d, id, data_span, "'%s' reads '%s' here", g->name,
                    D->name);
    } else if (n->clamp == PCN_CLAMP_LABEL && D->classes == 0) {
      int id = pcn_diag_error(s->d, n->span,
                              "'%s' is clamped to the label, but dataset '%s' "
                              "has no classes",
                              n->name, D->name);
      pcn_diag_note(s->d, id, data_span, "'%s' reads '%s' here", g->name,
                    D->name);
    } else if (n->clamp == PCN_CLAMP_LABEL && n->size != D->classes) {
      int id = pcn_diag_error(s->d, n->span,
                              "target '%s' has %d elements but dataset '%s' "
                              "has %d classes",
                              n->name, n->size, D->name, D->classes);
      pcn_diag_note(s->d, id, info->classes_span, "classes of '%s'", D->name);
      pcn_diag_note(s->d, id, data_span, "'%s' reads '%s' here", g->name,
                    D->name);
    }
  }
}

/* Initializers that depend on how the model is trained. */
static void check_train_inits(Sema *s, const PcnGraph *g,
                              const PcnTrainConfig *T,
                              const SemaTrainInfo *info) {
  const PcnDataset *D = T->dataset >= 0 ? &s->c->datasets[T->dataset] : NULL;
  bool null_noted = false;
  for (int i = 0; i < g->nnodes; i++) {
    const PcnNode *n = &g->nodes[i];
    if (n->clamp_train) continue; /* no initializer used in training */
    if (n->init.kind == PCN_INIT_AVERAGE) {
      if (!info->batch_explicit || T->sampling != PCN_SAMPLE_ALIGNED) {
        int id = pcn_diag_error(s->d, n->init.span,
                                "init average needs stream-aligned batches: "
                                "write 'batch N aligned;' in the train block "
                                "of '%s'",
                                g->name);
        pcn_diag_note(s->d, id, info->sampling_span,
                      info->batch_explicit ? "batches are shuffled here"
                                           : "the train block is here");
      } else if (D && D->classes == 0) {
        /* Reported once by the aligned-batch check of the train block. */
      }
    } else if (n->init.kind == PCN_INIT_NULL) {
      if (!info->batch_explicit) {
        int id = pcn_diag_error(s->d, n->init.span,
                                "init null needs a fixed batch size: write "
                                "'batch N;' in the train block of '%s'",
                                g->name);
        pcn_diag_note(s->d, id, info->batch_span,
                      "training then drops the incomplete last batch of each "
                      "epoch, so every row has a previous state");
      } else if (!null_noted) {
        null_noted = true;
        standalone_note(s, n->init.span,
                        "init null: training drops the incomplete last batch "
                        "of each epoch (batch %d)",
                        T->batch);
      }
    }
  }
}

void sema_connect(Sema *s) {
  PcnCompilation *c = s->c;
  for (int t = 0; t < c->ntrains; t++) {
    const PcnTrainConfig *T = &c->trains[t];
    const PcnGraph *g = c->models[T->model];
    if (T->dataset >= 0) check_sizes(s, g, T->dataset, s->tinfo[t].data_span);
    check_train_inits(s, g, T, &s->tinfo[t]);
  }
  for (int e = 0; e < c->nevals; e++) {
    PcnEvalConfig *E = &c->evals[e];
    const PcnTrainConfig *T = NULL;
    for (int t = 0; t < c->ntrains; t++)
      if (c->trains[t].model == E->model) T = &c->trains[t];
    if (E->batch == 0) E->batch = T ? T->batch : DEFAULT_BATCH;
    /* The same pair was checked through the train block already. */
    if (E->dataset >= 0 && !(T && T->dataset == E->dataset))
      check_sizes(s, c->models[E->model], E->dataset, s->einfo[e].data_span);
  }
}
