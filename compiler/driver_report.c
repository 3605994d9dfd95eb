/*
 * driver_report.c - `pcnc report LOG... [options]`: the table (and plot)
 * of the paper's evaluation from `pcnc run --log` files.
 *
 * A run is one log. Runs whose settings differ only in the seed form a
 * group; the settings come from the log's name when it was written by
 * `pcnc sweep` (T=5_alpha=0.1_seed=0.jsonl), else from the log's own
 * fields (T, batch, seed). Per group the table gives, as the paper's
 * Appendix C.1 picks its numbers, the best of the curve averaged over the
 * seeds (with the std over seeds at that epoch), its epoch and SMMs, and
 * for each relative error E the SMMs a run needs to first reach
 * best_overall * (1 - E), best_overall being the best group's (Fig. 6
 * right), averaged over the seeds. docs/experiments.md has the details.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "jsonl.h"
#include "svg.h"

/* The --set keys of `pcnc run` and the graph-level keys of the sweep: a
 * value may contain '_' (act=leaky_relu) and so may a key (eval_T), so the
 * name is split at "_KEY=" where KEY is known (or has no '_'). */
static const char *const known_keys[] = {
    "eval_T", "fraction", "momentum", "epochs", "alpha", "batch",
    "beta",   "seed",     "act",      "T",      "m"};
#define NKNOWN ((int)(sizeof known_keys / sizeof known_keys[0]))

typedef struct Run {
  const char *path;
  char *group;     /* group label (settings without the seed) */
  long long seed;
  bool has_seed;
  int n;           /* usable epochs */
  int *epoch;
  double *metric;  /* test accuracy (percent) or test loss */
  double *smm;     /* cumulative SMMs */
} Run;

typedef struct Group {
  const char *label;
  Run **runs;
  int nruns;
  int len;         /* epochs common to all runs */
  bool has_best;
  double best, std, best_smm;
  int best_epoch;
} Group;

void pcn_experiment_options_default(PcnExperimentOptions *o) {
  memset(o, 0, sizeof *o);
  static const double def[] = {0.005, 0.01, 0.02, 0.05};
  for (int i = 0; i < 4; i++) o->rel[i] = def[i];
  o->nrel = 4;
}

int pcn_experiment_first_reach(const double *metric, int n, double target,
                               bool higher_better) {
  for (int i = 0; i < n; i++) {
    if (!isfinite(metric[i])) continue;
    if (higher_better ? metric[i] >= target : metric[i] <= target) return i;
  }
  return -1;
}

/* ---- names -------------------------------------------------------------- */

/* Does s start with "KEY=" for a key that may begin a setting? */
static size_t key_at(const char *s) {
  for (int k = 0; k < NKNOWN; k++) {
    size_t n = strlen(known_keys[k]);
    if (strncmp(s, known_keys[k], n) == 0 && s[n] == '=') return n;
  }
  const char *eq = strchr(s, '=');
  if (!eq || eq == s) return 0;
  for (const char *c = s; c < eq; c++)
    if (*c == '_') return 0;
  return (size_t)(eq - s);
}

/* Builds the group label of a sweep name: its settings without seed=,
 * joined with '_'. Returns false when the name holds no settings. */
static bool name_group(const char *name, char *label, size_t cap,
                       long long *seed, bool *has_seed) {
  size_t klen = key_at(name);
  if (klen == 0) return false;
  label[0] = '\0';
  const char *s = name;
  while (*s) {
    klen = key_at(s);
    const char *val = s + klen + 1, *e = val;
    while (*e && !(e[0] == '_' && key_at(e + 1) > 0)) e++;
    if (klen == 4 && strncmp(s, "seed", 4) == 0) {
      char *end;
      long long v = strtoll(val, &end, 10);
      if (end == e) {
        *seed = v;
        *has_seed = true;
      }
    } else {
      size_t used = strlen(label);
      snprintf(label + used, cap - used, "%s%.*s", used ? "_" : "",
               (int)(e - s), s);
    }
    s = *e ? e + 1 : e;
  }
  return true;
}

/* "dir/T=5_seed=0.jsonl" -> "T=5_seed=0" */
static void stem_of(const char *path, char *out, size_t cap) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strlen(b);
  if (n > 6 && strcmp(b + n - 6, ".jsonl") == 0) n -= 6;
  snprintf(out, cap, "%.*s", (int)n, b);
}

static void dir_of(const char *path, char *out, size_t cap) {
  const char *b = strrchr(path, '/');
  if (!b) snprintf(out, cap, ".");
  else snprintf(out, cap, "%.*s", (int)(b - path), path);
}

/* Orders labels as people read them: digit runs compare by value, so
 * T=3 comes before T=10. */
static int natural_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
      char *ea, *eb;
      double va = strtod(a, &ea), vb = strtod(b, &eb);
      if (va != vb) return va < vb ? -1 : 1;
      a = ea, b = eb;
      continue;
    }
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++, b++;
  }
  return *a ? 1 : *b ? -1 : 0;
}

static int group_cmp(const void *x, const void *y) {
  const Group *a = x, *b = y;
  return natural_cmp(a->label, b->label);
}

static int run_cmp(const void *x, const void *y) {
  const Run *a = *(Run *const *)x, *b = *(Run *const *)y;
  if (a->has_seed != b->has_seed) return a->has_seed ? -1 : 1;
  if (a->seed != b->seed) return a->seed < b->seed ? -1 : 1;
  return strcmp(a->path, b->path);
}

/* ---- reading ------------------------------------------------------------ */

enum { METRIC_NONE, METRIC_ACC, METRIC_LOSS };

/* Reads the log at path into *log; returns the metric kind of its first
 * record with acc_key or loss_key (METRIC_NONE: neither), or -1 (said on
 * errf) when unreadable. */
static int read_log(const char *path, PcnJsonl *log, const char *acc_key, const char *loss_key,
                    FILE *errf) {
  char err[512];
  if (pcn_jsonl_read(path, log, errf, err, sizeof err) != 0) {
    fprintf(errf, "pcnc report: %s\n", err);
    return -1;
  }
  int kind = METRIC_NONE;
  for (int i = 0; i < log->n && kind == METRIC_NONE; i++) {
    if (pcn_json_get(&log->objs[i], acc_key)) kind = METRIC_ACC;
    else if (pcn_json_get(&log->objs[i], loss_key)) kind = METRIC_LOSS;
  }
  return kind;
}

/* Loads one log into r. Returns its metric kind, or -1 when unreadable. */
static int load_run(Run *r, const char *path, bool with_dir, FILE *errf) {
  memset(r, 0, sizeof *r);
  r->path = path;
  PcnJsonl log;
  int kind = read_log(path, &log, "test_accuracy", "test_loss", errf);
  if (kind < 0) return -1;
  r->epoch = malloc(sizeof *r->epoch * (size_t)(log.n + 1));
  r->metric = malloc(sizeof *r->metric * (size_t)(log.n + 1));
  r->smm = malloc(sizeof *r->smm * (size_t)(log.n + 1));
  if (!r->epoch || !r->metric || !r->smm) {
    fprintf(errf, "pcnc report: out of memory\n");
    pcn_jsonl_free(&log);
    return -1;
  }
  const char *mkey = kind == METRIC_ACC ? "test_accuracy" : "test_loss";
  double T = NAN, batch = NAN, seed = NAN;
  for (int i = 0; i < log.n; i++) {
    const PcnJsonObject *o = &log.objs[i];
    bool interrupted = false;
    double ep, m, smm;
    pcn_json_bool(o, "interrupted", &interrupted);
    if (isnan(T)) pcn_json_number(o, "T", &T);
    if (isnan(batch)) pcn_json_number(o, "batch", &batch);
    if (isnan(seed)) pcn_json_number(o, "seed", &seed);
    /* A partial epoch (Ctrl-C) is not comparable with whole ones. */
    if (interrupted || kind == METRIC_NONE) continue;
    if (!pcn_json_number(o, "epoch", &ep) || !pcn_json_number(o, "smm", &smm)) {
      fprintf(errf, "%s:%d: no epoch or smm: line ignored\n", path,
              log.lines[i]);
      continue;
    }
    /* null (a diverged metric) stays in the curve as NaN: it never
     * reaches a target and is never the best. */
    if (!pcn_json_number(o, mkey, &m)) m = NAN;
    r->epoch[r->n] = (int)ep;
    r->metric[r->n] = m;
    r->smm[r->n] = smm;
    r->n++;
  }
  pcn_jsonl_free(&log);

  char stem[512], label[1024], dir[512];
  stem_of(path, stem, sizeof stem);
  if (!name_group(stem, label, sizeof label, &r->seed, &r->has_seed)) {
    /* Not a sweep name: the settings the log itself records. */
    if (!isnan(T) && !isnan(batch))
      snprintf(label, sizeof label, "T=%.0f_batch=%.0f", T, batch);
    else
      snprintf(label, sizeof label, "%s", stem);
  }
  if (!r->has_seed && !isnan(seed)) {
    r->seed = (long long)seed;
    r->has_seed = true;
  }
  if (with_dir) {
    dir_of(path, dir, sizeof dir);
    char full[1600];
    snprintf(full, sizeof full, "%s/%s", dir, label[0] ? label : "(default)");
    r->group = strdup(full);
  } else {
    r->group = strdup(label[0] ? label : "(default)");
  }
  return kind;
}

static void run_free(Run *r) {
  free(r->group);
  free(r->epoch);
  free(r->metric);
  free(r->smm);
}

/* The seed-averaged curve of a group and its best point. */
static void group_stats(Group *g, bool higher) {
  g->len = g->runs[0]->n;
  for (int i = 1; i < g->nruns; i++)
    if (g->runs[i]->n < g->len) g->len = g->runs[i]->n;
  g->has_best = false;
  for (int k = 0; k < g->len; k++) {
    double sum = 0;
    for (int i = 0; i < g->nruns; i++) sum += g->runs[i]->metric[k];
    double mean = sum / g->nruns;
    if (!isfinite(mean)) continue;
    if (!g->has_best || (higher ? mean > g->best : mean < g->best)) {
      g->has_best = true;
      g->best = mean;
      g->best_epoch = g->runs[0]->epoch[k];
      double ss = 0, smm = 0;
      for (int i = 0; i < g->nruns; i++) {
        double d = g->runs[i]->metric[k] - mean;
        ss += d * d;
        smm += g->runs[i]->smm[k];
      }
      /* Sample std (n - 1): 3 seeds, as in the paper. */
      g->std = g->nruns > 1 ? sqrt(ss / (g->nruns - 1)) : 0;
      g->best_smm = smm / g->nruns;
    }
  }
}

/* ---- printing ----------------------------------------------------------- */

static void fmt_smm(char *buf, size_t n, double v) {
  if (v < 1e6) snprintf(buf, n, "%.0f", v);
  else snprintf(buf, n, "%.3g", v);
}

/* Display width of UTF-8 text (the table has a '±'). */
static int width_of(const char *s) {
  int w = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) w++;
  return w;
}

static void put_cell(FILE *out, const char *s, int width, bool left) {
  int pad = width - width_of(s);
  if (!left)
    for (int i = 0; i < pad; i++) fputc(' ', out);
  fputs(s, out);
  if (left)
    for (int i = 0; i < pad; i++) fputc(' ', out);
}

/* SMMs to reach target for each run of g: mean over the runs that reach
 * it, and how many do. */
static int group_reach(const Group *g, double target, bool higher,
                       double *mean) {
  int k = 0;
  double sum = 0;
  for (int i = 0; i < g->nruns; i++) {
    const Run *r = g->runs[i];
    int at = pcn_experiment_first_reach(r->metric, r->n, target, higher);
    if (at >= 0) {
      sum += r->smm[at];
      k++;
    }
  }
  *mean = k ? sum / k : NAN;
  return k;
}

#define CELL 160
#define NCOLS (6 + PCN_REPORT_MAX_REL)

static void print_table(FILE *out, Group *gs, int ng, bool higher,
                        double overall, const char *overall_label,
                        const PcnExperimentOptions *o) {
  const char *mname = higher ? "test accuracy (%)" : "test loss (mse)";
  char cells[NCOLS][CELL];
  int width[NCOLS] = {0};
  int ncols = 6 + o->nrel;
  /* Two passes: widths, then text. Row -1 is the header. */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      /* as the table's cells: accuracy in %.2f, a loss in %.5f */
      fprintf(out, higher ? "metric: %s; best overall %.2f (%s)\n"
                          : "metric: %s; best overall %.5f (%s)\n",
              mname, overall, overall_label);
      fprintf(out, "SMMs@E: training SMMs to first reach %s best overall x "
                   "(1 %s E), mean over the seeds that reach it\n",
              higher ? ">=" : "<=", higher ? "-" : "+");
    }
    for (int row = -1; row < ng; row++) {
      if (row < 0) {
        snprintf(cells[0], CELL, "group");
        snprintf(cells[1], CELL, "n");
        snprintf(cells[2], CELL, "best (mean ± std)");
        snprintf(cells[3], CELL, "epoch");
        snprintf(cells[4], CELL, "SMMs");
        snprintf(cells[5], CELL, "%s", "");
        for (int e = 0; e < o->nrel; e++)
          snprintf(cells[6 + e], CELL, "SMMs@%g%%", o->rel[e] * 100);
      } else {
        const Group *g = &gs[row];
        snprintf(cells[0], CELL, "%.159s", g->label);
        snprintf(cells[1], CELL, "%d", g->nruns);
        if (g->has_best) {
          snprintf(cells[2], CELL, higher ? "%.2f ± %.2f" : "%.5f ± %.5f",
                   g->best, g->std);
          snprintf(cells[3], CELL, "%d", g->best_epoch);
          fmt_smm(cells[4], CELL, g->best_smm);
        } else {
          snprintf(cells[2], CELL, "-");
          snprintf(cells[3], CELL, "-");
          snprintf(cells[4], CELL, "-");
        }
        cells[5][0] = '\0';
        for (int e = 0; e < o->nrel; e++) {
          double target = higher ? overall * (1 - o->rel[e])
                                 : overall * (1 + o->rel[e]);
          double mean;
          int k = group_reach(g, target, higher, &mean);
          if (k == 0) {
            snprintf(cells[6 + e], CELL, "-");
          } else {
            char v[32];
            fmt_smm(v, sizeof v, mean);
            if (k < g->nruns)
              snprintf(cells[6 + e], CELL, "%s (%d/%d)", v, k, g->nruns);
            else
              snprintf(cells[6 + e], CELL, "%s", v);
          }
        }
      }
      for (int c = 0; c < ncols; c++) {
        if (c == 5) continue; /* a spacer before the SMMs@E columns */
        if (pass == 0) {
          int w = width_of(cells[c]);
          if (w > width[c]) width[c] = w;
        } else {
          if (c > 0) fputs("  ", out);
          put_cell(out, cells[c], width[c], c == 0);
        }
      }
      if (pass == 1) fputc('\n', out);
    }
  }
}

static void csv_str(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void print_csv(FILE *out, Group *gs, int ng, bool higher,
                      double overall, const PcnExperimentOptions *o) {
  fputs("group,n,metric,best_mean,best_std,best_epoch,best_smm", out);
  for (int e = 0; e < o->nrel; e++)
    fprintf(out, ",smm_at_%g%%,reached_%g%%", o->rel[e] * 100,
            o->rel[e] * 100);
  fputc('\n', out);
  for (int i = 0; i < ng; i++) {
    const Group *g = &gs[i];
    csv_str(out, g->label);
    fprintf(out, ",%d,%s", g->nruns, higher ? "test_accuracy" : "test_loss");
    if (g->has_best)
      fprintf(out, ",%.6g,%.6g,%d,%.0f", g->best, g->std, g->best_epoch,
              g->best_smm);
    else
      fputs(",,,,", out);
    for (int e = 0; e < o->nrel; e++) {
      double target =
          higher ? overall * (1 - o->rel[e]) : overall * (1 + o->rel[e]);
      double mean;
      int k = group_reach(g, target, higher, &mean);
      if (k) fprintf(out, ",%.0f,%d", mean, k);
      else fprintf(out, ",,0");
    }
    fputc('\n', out);
  }
}

static int write_svg(const char *path, Group *gs, int ng, bool higher,
                     bool truncate, FILE *errf) {
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(errf, "pcnc report: cannot write '%s': %s\n", path,
            strerror(errno));
    return 1;
  }
  int nseries = 0;
  for (int i = 0; i < ng; i++) nseries += gs[i].nruns;
  PcnSvgSeries *s = calloc((size_t)nseries + 1, sizeof *s);
  const char **labels = calloc((size_t)ng + 1, sizeof *labels);
  int rc = 0;
  if (!s || !labels) {
    fprintf(errf, "pcnc report: out of memory\n");
    rc = 1;
  } else {
    int k = 0;
    for (int i = 0; i < ng; i++) {
      labels[i] = gs[i].label;
      for (int j = 0; j < gs[i].nruns; j++, k++) {
        s[k].x = gs[i].runs[j]->smm;
        s[k].y = gs[i].runs[j]->metric;
        const Run *r = gs[i].runs[j];
        s[k].n = r->n;
        if (truncate) {
          /* Fig. 6 (left) ends each curve at its best point. */
          int best = -1;
          for (int e = 0; e < r->n; e++)
            if (isfinite(r->metric[e]) &&
                (best < 0 || (higher ? r->metric[e] > r->metric[best]
                                     : r->metric[e] < r->metric[best])))
              best = e;
          s[k].n = best + 1;
        }
        s[k].group = i;
      }
    }
    PcnSvgPlot p = {higher ? "Test accuracy against training SMMs"
                           : "Test loss against training SMMs",
                    "cumulative training SMMs",
                    higher ? "test accuracy (%)" : "test loss (mse)", labels,
                    ng};
    if (pcn_svg_write(f, &p, s, nseries) != 0) rc = 1;
  }
  if (fclose(f) != 0) rc = 1;
  if (rc) fprintf(errf, "pcnc report: error writing '%s'\n", path);
  free(s);
  free(labels);
  return rc;
}

/* ---- --by-eval-T ------------------------------------------------------- */

/* Most distinct evaluation step counts over all logs (columns). */
#define MAX_AT_T 64

typedef struct AtTRun {
  char *name;      /* the log's stem, with its directory when needed */
  double T;        /* the log's "T" (training steps), NaN if none */
  double best[MAX_AT_T];
  int epoch[MAX_AT_T]; /* of best; 0: no finite value at that column */
} AtTRun;

static int at_run_cmp(const void *x, const void *y) {
  const AtTRun *a = x, *b = y;
  return natural_cmp(a->name, b->name);
}

/* Column of step count T in cols (kept ascending), added when new; -1
 * when there are MAX_AT_T already. */
static int at_column(int *cols, int *ncols, int T, AtTRun *runs, int nruns) {
  int k = 0;
  while (k < *ncols && cols[k] < T) k++;
  if (k < *ncols && cols[k] == T) return k;
  if (*ncols == MAX_AT_T) return -1;
  /* Shift the columns (and every run's cells) right of k. */
  for (int j = *ncols; j > k; j--) cols[j] = cols[j - 1];
  for (int r = 0; r < nruns; r++)
    for (int j = *ncols; j > k; j--) {
      runs[r].best[j] = runs[r].best[j - 1];
      runs[r].epoch[j] = runs[r].epoch[j - 1];
    }
  for (int r = 0; r < nruns; r++) runs[r].epoch[k] = 0;
  cols[k] = T;
  (*ncols)++;
  return k;
}

/* Reads one log's "test_*_at_T" objects into runs[r]. Returns its metric
 * kind (METRIC_NONE when it has none), or -1 when unreadable. */
static int load_at_T(AtTRun *runs, int r, int *cols, int *ncols,
                     const char *path, bool with_dir, FILE *errf) {
  AtTRun *run = &runs[r];
  memset(run, 0, sizeof *run);
  run->T = NAN;
  PcnJsonl log;
  int kind = read_log(path, &log, "test_accuracy_at_T", "test_loss_at_T", errf);
  if (kind < 0) return -1;
  bool higher = kind == METRIC_ACC;
  bool warned = false;
  for (int i = 0; i < log.n; i++) {
    const PcnJsonObject *o = &log.objs[i];
    bool interrupted = false;
    double ep;
    if (isnan(run->T)) pcn_json_number(o, "T", &run->T);
    pcn_json_bool(o, "interrupted", &interrupted);
    if (interrupted || kind == METRIC_NONE) continue;
    const PcnJsonValue *at = pcn_json_get(
        o, higher ? "test_accuracy_at_T" : "test_loss_at_T");
    if (!at || at->type != PCN_JSON_OBJECT) continue;
    if (!pcn_json_number(o, "epoch", &ep)) continue;
    for (int k = 0; k < at->obj.n; k++) {
      char *end;
      long T = strtol(at->obj.keys[k], &end, 10);
      const PcnJsonValue *v = &at->obj.values[k];
      if (*end || end == at->obj.keys[k] || T < 1) continue;
      /* null: not finite at that epoch, never the best. */
      if (v->type != PCN_JSON_NUMBER || !isfinite(v->num)) continue;
      int c = at_column(cols, ncols, (int)T, runs, r + 1);
      if (c < 0) {
        if (!warned)
          fprintf(errf, "pcnc report: %s: more than %d step counts in all: "
                  "T_eval=%ld left out\n", path, MAX_AT_T, T);
        warned = true;
        continue;
      }
      if (run->epoch[c] == 0 ||
          (higher ? v->num > run->best[c] : v->num < run->best[c])) {
        run->best[c] = v->num;
        run->epoch[c] = (int)ep;
      }
    }
  }
  pcn_jsonl_free(&log);
  char stem[512], dir[512];
  stem_of(path, stem, sizeof stem);
  if (with_dir) {
    dir_of(path, dir, sizeof dir);
    size_t len = strlen(dir) + strlen(stem) + 2;
    run->name = malloc(len);
    if (run->name) snprintf(run->name, len, "%s/%s", dir, stem);
  } else {
    run->name = strdup(stem);
  }
  if (!run->name) {
    fprintf(errf, "pcnc report: out of memory\n");
    return -1;
  }
  return kind;
}

static void print_by_eval_T(FILE *out, const AtTRun *runs, int nruns,
                            const int *cols, int ncols, bool higher,
                            bool csv) {
  if (csv) {
    fputs("run,T_train,metric", out);
    for (int c = 0; c < ncols; c++)
      fprintf(out, ",best_at_T%d,epoch_at_T%d", cols[c], cols[c]);
    fputc('\n', out);
    for (int r = 0; r < nruns; r++) {
      csv_str(out, runs[r].name);
      if (isnan(runs[r].T)) fputc(',', out);
      else fprintf(out, ",%.0f", runs[r].T);
      fputs(higher ? ",test_accuracy" : ",test_loss", out);
      for (int c = 0; c < ncols; c++)
        if (runs[r].epoch[c] > 0)
          fprintf(out, ",%.6g,%d", runs[r].best[c], runs[r].epoch[c]);
        else
          fputs(",,", out);
      fputc('\n', out);
    }
    return;
  }
  int ncells = 2 + ncols;
  int width[2 + MAX_AT_T] = {0};
  char cell[CELL];
  fprintf(out, "metric: %s, best over epochs at each evaluation step count "
               "T_eval (epoch in parentheses)\n",
          higher ? "test accuracy (%)" : "test loss (mse)");
  for (int pass = 0; pass < 2; pass++)
    for (int row = -1; row < nruns; row++) {
      for (int c = 0; c < ncells; c++) {
        if (row < 0) {
          if (c == 0) snprintf(cell, CELL, "run");
          else if (c == 1) snprintf(cell, CELL, "T_train");
          else snprintf(cell, CELL, "T_eval=%d", cols[c - 2]);
        } else {
          const AtTRun *r = &runs[row];
          if (c == 0) snprintf(cell, CELL, "%.159s", r->name);
          else if (c == 1 && isnan(r->T)) snprintf(cell, CELL, "-");
          else if (c == 1) snprintf(cell, CELL, "%.0f", r->T);
          else if (r->epoch[c - 2] == 0) snprintf(cell, CELL, "-");
          else
            snprintf(cell, CELL, higher ? "%.2f (%d)" : "%.5f (%d)",
                     r->best[c - 2], r->epoch[c - 2]);
        }
        if (pass == 0) {
          int w = width_of(cell);
          if (w > width[c]) width[c] = w;
        } else {
          if (c > 0) fputs("  ", out);
          put_cell(out, cell, width[c], c == 0);
        }
      }
      if (pass == 1) fputc('\n', out);
    }
}

static int report_by_eval_T(FILE *out, FILE *errf, const char *const *logs,
                            int nlogs, bool with_dir,
                            const PcnExperimentOptions *o) {
  AtTRun *runs = calloc((size_t)nlogs + 1, sizeof *runs);
  if (!runs) {
    fprintf(errf, "pcnc report: out of memory\n");
    return 1;
  }
  int cols[MAX_AT_T], ncols = 0, nruns = 0, kind = METRIC_NONE, status = 0;
  for (int i = 0; i < nlogs; i++) {
    int k = load_at_T(runs, nruns, cols, &ncols, logs[i], with_dir, errf);
    if (k < 0) {
      free(runs[nruns].name);
      status = 1;
      continue;
    }
    if (k == METRIC_NONE) {
      fprintf(errf, "pcnc report: %s: no test_loss_at_T or "
                    "test_accuracy_at_T (run without --eval-T)\n", logs[i]);
    } else if (kind != METRIC_NONE && k != kind) {
      fprintf(errf, "pcnc report: %s: logs %s, the others %s: not "
                    "comparable (skipped)\n",
              logs[i], k == METRIC_ACC ? "test_accuracy_at_T" : "test_loss_at_T",
              kind == METRIC_ACC ? "test_accuracy_at_T" : "test_loss_at_T");
      /* Its cells may have added columns: they stay, empty for the rest. */
      free(runs[nruns].name);
      status = 1;
      continue;
    } else {
      kind = k;
    }
    nruns++;
  }
  if (kind == METRIC_NONE) {
    fprintf(errf, "pcnc report: no log has test_loss_at_T or "
                  "test_accuracy_at_T (pcnc run --eval-T LIST writes them)\n");
    status = 1;
  } else {
    qsort(runs, (size_t)nruns, sizeof *runs, at_run_cmp);
    /* Drop the columns no kept run has a value in (a skipped log's). */
    int kept = 0;
    for (int c = 0; c < ncols; c++) {
      bool any = false;
      for (int r = 0; r < nruns; r++) any = any || runs[r].epoch[c] > 0;
      if (!any) continue;
      cols[kept] = cols[c];
      for (int r = 0; r < nruns; r++) {
        runs[r].best[kept] = runs[r].best[c];
        runs[r].epoch[kept] = runs[r].epoch[c];
      }
      kept++;
    }
    ncols = kept;
    print_by_eval_T(out, runs, nruns, cols, ncols, kind == METRIC_ACC, o->csv);
  }
  for (int i = 0; i < nruns; i++) free(runs[i].name);
  free(runs);
  return status;
}

int pcn_experiment_report(FILE *out, FILE *errf, const char *const *logs,
                          int nlogs, const PcnExperimentOptions *o) {
  int status = 0;
  /* The directory is part of a group only when logs come from several
   * directories (two sweeps of different models use the same names). */
  bool with_dir = false;
  char d0[512], d[512];
  for (int i = 0; i < nlogs; i++) {
    dir_of(logs[i], i ? d : d0, sizeof d);
    if (i && strcmp(d, d0) != 0) with_dir = true;
  }
  if (o->by_eval_T)
    return report_by_eval_T(out, errf, logs, nlogs, with_dir, o);
  Run *runs = calloc((size_t)nlogs + 1, sizeof *runs);
  Group *gs = calloc((size_t)nlogs + 1, sizeof *gs);
  Run **slots = calloc((size_t)nlogs + 1, sizeof *slots);
  if (!runs || !gs || !slots) {
    fprintf(errf, "pcnc report: out of memory\n");
    free(runs), free(gs), free(slots);
    return 1;
  }
  int nruns = 0, kind = METRIC_NONE;
  for (int i = 0; i < nlogs; i++) {
    Run *r = &runs[nruns];
    int k = load_run(r, logs[i], with_dir, errf);
    if (k < 0) {
      status = 1;
      continue;
    }
    if (k == METRIC_NONE || r->n == 0) {
      fprintf(errf, "pcnc report: %s: no evaluated epoch (skipped)\n",
              logs[i]);
      run_free(r);
      continue;
    }
    if (kind != METRIC_NONE && k != kind) {
      fprintf(errf, "pcnc report: %s: logs %s, the others %s: not "
                    "comparable (skipped)\n",
              logs[i], k == METRIC_ACC ? "test_accuracy" : "test_loss",
              kind == METRIC_ACC ? "test_accuracy" : "test_loss");
      run_free(r);
      status = 1;
      continue;
    }
    kind = k;
    nruns++;
  }
  if (nruns == 0) {
    fprintf(errf, "pcnc report: no run with a test metric\n");
    free(runs), free(gs), free(slots);
    return 1;
  }
  bool higher = kind == METRIC_ACC;
  /* Group: runs sharing a label; slots keeps each group's runs adjacent. */
  int ng = 0;
  for (int i = 0; i < nruns; i++) {
    int g = 0;
    while (g < ng && strcmp(gs[g].label, runs[i].group) != 0) g++;
    if (g == ng) gs[ng++].label = runs[i].group;
    gs[g].nruns++;
  }
  qsort(gs, (size_t)ng, sizeof *gs, group_cmp);
  int at = 0;
  for (int g = 0; g < ng; g++) {
    gs[g].runs = slots + at;
    int k = 0;
    for (int i = 0; i < nruns; i++)
      if (strcmp(runs[i].group, gs[g].label) == 0) gs[g].runs[k++] = &runs[i];
    at += k;
    qsort(gs[g].runs, (size_t)k, sizeof *gs[g].runs, run_cmp);
    group_stats(&gs[g], higher);
  }
  double overall = NAN;
  const char *overall_label = "-";
  for (int g = 0; g < ng; g++)
    if (gs[g].has_best &&
        (isnan(overall) || (higher ? gs[g].best > overall : gs[g].best < overall))) {
      overall = gs[g].best;
      overall_label = gs[g].label;
    }
  if (o->csv) print_csv(out, gs, ng, higher, overall, o);
  else print_table(out, gs, ng, higher, overall, overall_label, o);
  if (o->svg && write_svg(o->svg, gs, ng, higher, o->truncate, errf) != 0) status = 1;
  for (int i = 0; i < nruns; i++) run_free(&runs[i]);
  free(runs), free(gs), free(slots);
  return status;
}

/* ---- the command -------------------------------------------------------- */

static void usage(FILE *f) {
  fputs(
      "usage: pcnc report LOG... [options]\n"
      "\n"
      "Summarize JSON Lines logs of `pcnc run --log` (or a sweep's\n"
      "directory): runs that differ only in the seed form a group; per\n"
      "group the best test accuracy of the seed-averaged curve (or the\n"
      "lowest test loss) with its std over seeds, its epoch and SMMs, and\n"
      "the SMMs needed to first reach each relative error of the best\n"
      "overall (paper, Fig. 6 right). See docs/experiments.md.\n"
      "\n"
      "  --rel-error E   a relative error, 0.01 or 1% (repeatable;\n"
      "                  default 0.5%, 1%, 2%, 5%)\n"
      "  --csv           print the table as CSV\n"
      "  --svg FILE      plot the curves (metric against cumulative SMMs,\n"
      "                  one line per run, one color per group)\n"
      "  --truncate      end each plotted curve at its best point (Fig. 6)\n"
      "  --by-eval-T     instead of the table: one row per run (log) with\n"
      "                  its training T and, per evaluation step count in\n"
      "                  the logs' test_loss_at_T (pcnc run --eval-T), the\n"
      "                  best test loss over epochs (highest accuracy for\n"
      "                  test_accuracy_at_T) and its epoch; columns are all\n"
      "                  the step counts seen. With --csv: as CSV. Not with\n"
      "                  --svg, --truncate or --rel-error\n"
      "  --help          this text\n"
      "\n"
      "A directory argument stands for the *.jsonl files in it.\n"
      "exit status: 0 ok, 1 a log could not be used, 2 usage error\n",
      f);
}

/* "0.01" or "1%" -> 0.01, in (0, 1). */
static bool parse_rel(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno) return false;
  if (*end == '%') {
    v /= 100;
    end++;
  }
  if (*end || !(v > 0) || v >= 1) return false;
  *out = v;
  return true;
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(char ***list, int *n, int *cap, char *s) {
  if (!s) return -1;
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 64;
    char **l = realloc(*list, (size_t)ncap * sizeof *l);
    if (!l) {
      free(s);
      return -1;
    }
    *list = l;
    *cap = ncap;
  }
  (*list)[(*n)++] = s;
  return 0;
}

/* Appends the *.jsonl files of dir (sorted) to the list. */
static int add_dir(const char *dir, char ***list, int *n, int *cap) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  int first = *n;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len <= 6 || strcmp(e->d_name + len - 6, ".jsonl") != 0) continue;
    size_t plen = strlen(dir) + len + 2;
    char *p = malloc(plen);
    if (p) snprintf(p, plen, "%s/%s", dir, e->d_name);
    if (push(list, n, cap, p) != 0) {
      closedir(d);
      return -1;
    }
  }
  closedir(d);
  qsort(*list + first, (size_t)(*n - first), sizeof **list, str_cmp);
  return 0;
}

int pcn_cmd_report(int argc, char **argv) {
  PcnExperimentOptions o;
  pcn_experiment_options_default(&o);
  bool rel_given = false;
  char **logs = NULL;
  int nlogs = 0, cap = 0, status = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      status = 0;
      goto out;
    }
    if (!strcmp(a, "--csv")) {
      o.csv = true;
      continue;
    }
    if (!strcmp(a, "--truncate")) {
      o.truncate = true;
      continue;
    }
    if (!strcmp(a, "--by-eval-T")) {
      o.by_eval_T = true;
      continue;
    }
    if (!strcmp(a, "--rel-error") || !strncmp(a, "--rel-error=", 12) ||
        !strcmp(a, "--svg") || !strncmp(a, "--svg=", 6)) {
      bool rel = a[2] == 'r';
      const char *eq = strchr(a, '=');
      const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) {
        fprintf(stderr, "pcnc report: %s needs a value\n", a);
        goto out;
      }
      if (!rel) {
        o.svg = v;
        continue;
      }
      double e;
      if (!parse_rel(v, &e)) {
        fprintf(stderr, "pcnc report: --rel-error needs a fraction in (0, 1) "
                        "or a percentage, not '%s'\n", v);
        goto out;
      }
      if (!rel_given) o.nrel = 0;
      rel_given = true;
      if (o.nrel == PCN_REPORT_MAX_REL) {
        fprintf(stderr, "pcnc report: at most %d --rel-error values\n",
                PCN_REPORT_MAX_REL);
        goto out;
      }
      o.rel[o.nrel++] = e;
      continue;
    }
    if (a[0] == '-' && a[1]) {
      fprintf(stderr, "pcnc report: unknown option '%s'\n", a);
      usage(stderr);
      goto out;
    }
    DIR *d = opendir(a);
    if (d) {
      closedir(d);
      if (add_dir(a, &logs, &nlogs, &cap) != 0) {
        fprintf(stderr, "pcnc report: cannot list '%s'\n", a);
        status = 1;
        goto out;
      }
    } else if (push(&logs, &nlogs, &cap, strdup(a)) != 0) {
      fprintf(stderr, "pcnc report: out of memory\n");
      status = 1;
      goto out;
    }
  }
  if (o.by_eval_T && (o.svg || o.truncate || rel_given)) {
    fprintf(stderr, "pcnc report: --by-eval-T prints its own table: --svg, "
                    "--truncate and --rel-error do not apply\n");
    goto out;
  }
  if (nlogs == 0) {
    fprintf(stderr, "pcnc report: no log files\n");
    usage(stderr);
    goto out;
  }
  status = pcn_experiment_report(stdout, stderr, (const char *const *)logs,
                                 nlogs, &o);
out:
  for (int i = 0; i < nlogs; i++) free(logs[i]);
  free(logs);
  return status;
}
