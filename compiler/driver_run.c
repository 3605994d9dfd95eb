/* driver_run.c - `pcnc run FILE [options]`: compile the model, apply the
 * command line's overrides to its train/evaluate blocks, build the
 * schedule, then train and evaluate with runtime/train.c.
 *
 * Exit status: 0 success (also after Ctrl-C: the partial epoch is logged
 * and saved), 1 errors in the program, the data or training (divergence),
 * 2 usage errors. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen.h"
#include "driver.h"
#include "overrides.h"
#include "pcn/png.h"
#include "pcn/schedule.h"
#include "pcn/train.h"

/* Same bound as sema's integer settings (exact in a double). */
#define RUN_INT_MAX 9007199254740992LL /* 2^53 */

static void usage(FILE *f) {
  fputs(
      "usage: pcnc run FILE [options]\n"
      "Trains the model's train block and evaluates it after every epoch.\n"
      "\n"
      "  --model NAME        the model to run (default: the only/first one)\n"
      "  -I DIR              search DIR for imports\n"
      "  --epochs N          epochs to train (after --load: N more epochs)\n"
      "  --set KEY=VALUE     override a setting (repeatable); keys:\n"
      "                      T, alpha, beta, batch, fraction, seed, epochs,\n"
      "                      eval_T, eval_alpha, momentum, method=pc|bp,\n"
      "                      sampling=aligned|shuffled; act=NAME (activation of every\n"
      "                      free hidden node), m=K (first K free hidden\n"
      "                      nodes forward, the rest average; aligned batches)\n"
      "  --seed N            same as --set seed=N\n"
      "  --log FILE          JSON Lines log, one object per epoch\n"
      "  --save FILE         checkpoint after every epoch\n"
      "  --load FILE         start from a checkpoint\n"
      "  --eval-only         with --load: evaluate the loaded model once\n"
      "                      (e.g. at another --set eval_T), train nothing\n"
      "  --eval-T LIST       after each epoch's evaluation, evaluate the\n"
      "                      test set again at each of these inference step\n"
      "                      counts (e.g. 3,5,10,20: integers >= 1, at most\n"
      "                      8, no duplicates) and log them as\n"
      "                      \"test_loss_at_T\":{\"3\":...} (test_accuracy_at_T\n"
      "                      for metric accuracy); test_loss stays the\n"
      "                      evaluation at eval_T. Models evaluated by\n"
      "                      inference only. With --eval-only: a line per T\n"
      "  --save-images FILE  after training, a PNG of the first 16 test\n"
      "                      images beside their reconstructions\n"
      "  --data-dir DIR      where the data files are (else $PCNC_DATA_DIR,\n"
      "                      else the dataset's dir)\n"
      "  --backend NAME      executor: jit (LLVM, the default) or reference\n"
      "                      (the plain C interpreter the JIT is tested against)\n"
      "  --emit-llvm FILE    write the JIT's LLVM module (before and after\n"
      "                      optimization) to FILE\n"
      "  --threads N         OpenBLAS threads (default: one per core); the JIT\n"
      "                      runs on one thread at 1, splits its work over two\n"
      "                      at 2, and gives large products to OpenBLAS above\n"
      "  --quiet             print nothing but errors\n"
      "  --help              this text\n"
      "\n"
      "Ctrl-C stops after the current batch (logging and saving the partial\n"
      "epoch); a second Ctrl-C aborts at once.\n",
      f);
}

static int usage_error(const char *fmt, const char *arg) {
  fputs("pcnc run: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(see pcnc run --help)\n", stderr);
  return 2;
}

/* Parses a whole string as an integer in [lo, hi]. */
static bool parse_int(const char *s, long long lo, long long hi,
                      long long *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

/* Parses a whole string as a finite real. */
static bool parse_real(const char *s, double *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !isfinite(v)) return false;
  *out = v;
  return true;
}

/* The command line's overrides, kept until the blocks are known. */
typedef struct Overrides {
  const char *key[64];
  const char *value[64];
  int n;
} Overrides;

static const char *const override_keys = pcn_override_keys_text;

/* Applies one KEY=VALUE with the compiler's ranges. Returns 0 or prints a
 * usage error and returns 2. */
static int apply_override(const char *key, const char *val, PcnTrainConfig *tc,
                          PcnEvalConfig *ec, bool eval_batch_follows) {
  long long iv;
  double rv;
#define BAD_VALUE(range)                                                      \
  do {                                                                        \
    fprintf(stderr, "pcnc run: --set %s=%s: expected %s\n", key, val, range); \
    return 2;                                                                 \
  } while (0)
  if (strcmp(key, "T") == 0) {
    if (!parse_int(val, 0, PCN_MAX_STEPS, &iv))
      BAD_VALUE("an integer in [0, 100000]");
    tc->T = (int)iv;
  } else if (strcmp(key, "eval_T") == 0) {
    if (!parse_int(val, 0, PCN_MAX_STEPS, &iv))
      BAD_VALUE("an integer in [0, 100000]");
    if (!ec) BAD_VALUE("an evaluate block (the model has none)");
    ec->T = (int)iv;
  } else if (strcmp(key, "batch") == 0) {
    if (!parse_int(val, 1, PCN_MAX_BATCH, &iv))
      BAD_VALUE("an integer in [1, 65536]");
    tc->batch = (int)iv;
    if (ec && eval_batch_follows) ec->batch = (int)iv;
  } else if (strcmp(key, "epochs") == 0) {
    if (!parse_int(val, 1, PCN_MAX_EPOCHS, &iv))
      BAD_VALUE("an integer in [1, 100000]");
    tc->epochs = (int)iv;
  } else if (strcmp(key, "seed") == 0) {
    if (!parse_int(val, -RUN_INT_MAX, RUN_INT_MAX, &iv))
      BAD_VALUE("an integer");
    tc->seed = (uint64_t)iv;
  } else if (strcmp(key, "alpha") == 0) {
    if (!parse_real(val, &rv) || rv <= 0) BAD_VALUE("a real in (0, inf)");
    tc->inference.lr = (float)rv;
  } else if (strcmp(key, "beta") == 0) {
    if (!parse_real(val, &rv) || rv <= 0) BAD_VALUE("a real in (0, inf)");
    tc->learning.lr = (float)rv;
  } else if (strcmp(key, "fraction") == 0) {
    if (!parse_real(val, &rv) || rv <= 0 || rv > 1)
      BAD_VALUE("a real in (0, 1]");
    tc->fraction = (float)rv;
  } else if (strcmp(key, "momentum") == 0) {
    if (!parse_real(val, &rv) || rv < 0 || rv >= 1)
      BAD_VALUE("a real in [0, 1)");
    tc->inference.momentum = (float)rv;
  } else if (strcmp(key, "eval_alpha") == 0) {
    if (!parse_real(val, &rv) || rv <= 0) BAD_VALUE("a real in (0, inf)");
    if (!ec) BAD_VALUE("an evaluate block (the model has none)");
    ec->inference.lr = (float)rv;
  } else if (strcmp(key, "method") == 0) {
    if (strcmp(val, "pc") == 0) tc->method = PCN_METHOD_PC;
    else if (strcmp(val, "bp") == 0) tc->method = PCN_METHOD_BP;
    else BAD_VALUE("pc or bp");
  } else if (strcmp(key, "sampling") == 0) {
    if (strcmp(val, "shuffled") == 0) tc->sampling = PCN_SAMPLE_SHUFFLED;
    else if (strcmp(val, "aligned") == 0) tc->sampling = PCN_SAMPLE_ALIGNED;
    else BAD_VALUE("aligned or shuffled");
  } else {
    fprintf(stderr, "pcnc run: unknown --set key '%s' (keys: %s)\n", key,
            override_keys);
    return 2;
  }
#undef BAD_VALUE
  return 0;
}

/* Ctrl-C: ask the loop to stop after the current batch. SA_RESETHAND
 * restores the default action, so a second Ctrl-C kills the process. */
static volatile sig_atomic_t run_stop;

static void on_sigint(int sig) {
  (void)sig;
  run_stop = 1;
  static const char msg[] =
      "\npcnc run: stopping after this batch (Ctrl-C again to abort)\n";
  ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)w;
}

static long long count_params(const PcnGraph *g) {
  long long n = 0;
  for (int e = 0; e < g->nedges; e++)
    n += (long long)g->nodes[g->edges[e].src].size *
         g->nodes[g->edges[e].dst].size;
  for (int v = 0; v < g->nnodes; v++)
    if (g->nodes[v].nin > 0) n += g->nodes[v].size;
  return n;
}

static void print_header(const char *file, const PcnGraph *g,
                         const PcnDataset *ds, const PcnTrainConfig *tc,
                         const PcnEvalConfig *ec, const PcnSchedule *s,
                         const PcnTrainInfo *info, const char *backend,
                         bool eval_only) {
  printf("model %s (%s): %d nodes, %d edges, %lld parameters\n", g->name, file,
         g->nnodes, g->nedges, count_params(g));
  printf("  nodes");
  for (int v = 0; v < g->nnodes; v++)
    printf(" %s[%d]", g->nodes[v].name, g->nodes[v].size);
  printf("\n");
  printf("data %s: %d train samples", ds->name, info->train_total);
  if (info->train_rows != info->train_total)
    printf(" (fraction %g: %d used)", tc->fraction, info->train_rows);
  if (ec) printf(", %d test samples", info->test_rows);
  printf("\n");
  printf("train: T %d, batch %d %s, %d batches/epoch", tc->T, tc->batch,
         tc->sampling == PCN_SAMPLE_ALIGNED ? "aligned" : "shuffled",
         info->batches_per_epoch);
  if (info->unused_per_epoch > 0)
    printf(" (%d samples unused per epoch)", info->unused_per_epoch);
  printf(", alpha %g, beta %g, seed %lld\n", tc->inference.lr, tc->learning.lr,
         (long long)tc->seed);
  printf("SMMs per update %lld (init %d + %d x T=%d)\n",
         (long long)s->smm.per_update, s->smm.init, s->smm.per_step, tc->T);
  if (ec) {
    if (s->eval_mode == PCN_EVAL_FORWARD)
      printf("evaluation: forward pass, metric %s\n",
             ec->metric == PCN_METRIC_ACCURACY ? "accuracy" : "mse");
    else
      printf("evaluation: inference, %d steps, metric %s\n", ec->T,
             ec->metric == PCN_METRIC_ACCURACY ? "accuracy" : "mse");
  } else {
    printf("evaluation: none (no evaluate block)\n");
  }
  if (eval_only) {
    printf("evaluating the model of epoch %d (--eval-only), backend %s\n",
           info->start_epoch, backend);
  } else {
    if (info->start_epoch > 0)
      printf("resuming after epoch %d\n", info->start_epoch);
    printf("backend %s, %d epoch%s\n", backend, tc->epochs,
           tc->epochs == 1 ? "" : "s");
  }
  fflush(stdout);
}

/* --save-images: the first test images beside their reconstructions, 8
 * pairs a row (paper Fig. 8), shaped by the dataset's image size (a
 * square when the dataset gives none, else one row of pixels). */
static int save_images(PcnTrainer *t, const PcnDataset *ds, const char *path) {
  enum { COUNT = 16 };
  int d = ds->features > 0 ? ds->features : 1;
  float *data = malloc(sizeof(float) * COUNT * (size_t)d);
  float *pred = malloc(sizeof(float) * COUNT * (size_t)d);
  char err[512];
  int rc = -1, cols = 0;
  if (!data || !pred) {
    snprintf(err, sizeof err, "out of memory");
    goto done;
  }
  int n = pcn_trainer_reconstruct(t, COUNT, data, pred, &cols, err, sizeof err);
  if (n < 1) goto done;
  int ih = ds->image_h, iw = ds->image_w;
  if (ih <= 0 || iw <= 0 || ih * iw != cols) {
    int side = (int)lround(sqrt((double)cols));
    ih = side * side == cols ? side : 1;
    iw = side * side == cols ? side : cols;
  }
  rc = pcn_png_write_pairs(path, data, pred, n, ih, iw, 8, err, sizeof err);
done:
  if (rc != 0) fprintf(stderr, "pcnc run: --save-images: %s\n", err);
  free(data);
  free(pred);
  return rc;
}

/* One --eval-only result line; T > 0 names the evaluation's steps. */
static void print_loaded(const PcnEvalConfig *ec, int epoch, double acc,
                         double loss, int T) {
  if (ec->metric == PCN_METRIC_ACCURACY)
    printf("epoch %d (loaded): test accuracy %.2f%%", epoch, acc);
  else
    printf("epoch %d (loaded): test mse %.9g", epoch, loss);
  if (T > 0) printf(" (eval_T %d)", T);
  printf("\n");
}

int pcn_cmd_run(int argc, char **argv) {
  double t_start = pcn_driver_seconds();
  PcnCommonOpts co;
  memset(&co, 0, sizeof co);
  co.color = -1;
  Overrides ov = {.n = 0};
  const char *log_path = NULL, *save_path = NULL, *load_path = NULL;
  const char *data_dir = NULL, *backend_name = "jit";
  const char *emit_llvm = NULL;
  const char *images_path = NULL;
  int threads = 0;
  int eval_T[PCN_MAX_EVAL_T], n_eval_T = 0;
  bool quiet = false;
  bool eval_only = false;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int r = pcn_driver_common_opt(&co, argc, argv, &i);
    if (r < 0) return 2;
    if (r > 0) continue;
    /* Options with a value: --opt VALUE or --opt=VALUE. */
    const char *val = NULL;
    const char *names[] = {"--epochs", "--set",      "--seed",    "--log",
                           "--save",   "--load",     "--data-dir", "--backend",
                           "--threads", "--save-images", "--emit-llvm",
                           "--eval-T"};
    const char *name = NULL;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
      size_t len = strlen(names[k]);
      if (strncmp(a, names[k], len) == 0 && (a[len] == '\0' || a[len] == '=')) {
        name = names[k];
        if (a[len] == '=') {
          val = a + len + 1;
        } else {
          if (i + 1 >= argc) return usage_error("%s needs a value", a);
          val = argv[++i];
        }
        break;
      }
    }
    if (name) {
      if (strcmp(name, "--epochs") == 0 || strcmp(name, "--seed") == 0) {
        if (ov.n >= 64) return usage_error("too many overrides%s", "");
        ov.key[ov.n] = name + 2;
        ov.value[ov.n++] = val;
      } else if (strcmp(name, "--set") == 0) {
        const char *eq = strchr(val, '=');
        if (!eq || eq == val)
          return usage_error("--set needs KEY=VALUE, got '%s'", val);
        if (ov.n >= 64) return usage_error("too many overrides%s", "");
        /* The key lives in argv; cut it at '=' in a copy that stays alive
         * until the overrides are applied. */
        static char keys[64][32];
        size_t klen = (size_t)(eq - val);
        if (klen >= sizeof keys[0]) klen = sizeof keys[0] - 1;
        memcpy(keys[ov.n], val, klen);
        keys[ov.n][klen] = '\0';
        ov.key[ov.n] = keys[ov.n];
        ov.value[ov.n++] = eq + 1;
      } else if (strcmp(name, "--log") == 0) {
        log_path = val;
      } else if (strcmp(name, "--save-images") == 0) {
        images_path = val;
      } else if (strcmp(name, "--save") == 0) {
        save_path = val;
      } else if (strcmp(name, "--load") == 0) {
        load_path = val;
      } else if (strcmp(name, "--data-dir") == 0) {
        data_dir = val;
      } else if (strcmp(name, "--backend") == 0) {
        if (strcmp(val, "reference") != 0 && strcmp(val, "jit") != 0)
          return usage_error("unknown backend '%s' (known: jit, reference)",
                             val);
        backend_name = val;
      } else if (strcmp(name, "--emit-llvm") == 0) {
        emit_llvm = val;
      } else if (strcmp(name, "--eval-T") == 0) {
        char perr[256];
        n_eval_T = pcn_eval_T_parse(val, eval_T, perr, sizeof perr);
        if (n_eval_T < 0) return usage_error("--eval-T: %s", perr);
      } else if (strcmp(name, "--threads") == 0) {
        long long t;
        if (!parse_int(val, 1, 1024, &t))
          return usage_error("--threads needs an integer in [1, 1024], got "
                             "'%s'", val);
        threads = (int)t;
      }
      continue;
    }
    if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = true;
    } else if (strcmp(a, "--eval-only") == 0) {
      eval_only = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (a[0] == '-' && a[1] != '\0') {
      return usage_error("unknown option '%s'", a);
    } else if (!co.file) {
      co.file = a;
    } else {
      return usage_error("more than one input file ('%s')", a);
    }
  }
  if (!co.file) return usage_error("no input file%s", "");
  if (eval_only && !load_path)
    return usage_error("--eval-only needs --load FILE (a trained model)%s", "");
  if (eval_only && (save_path || log_path))
    return usage_error("--eval-only trains nothing: --save and --log do not "
                       "apply%s", "");
  for (int k = 0; k < ov.n; k++) {
    /* Reject unknown keys before compiling: a usage error is a usage
     * error, whatever the file holds. */
    if (!pcn_override_is_key(ov.key[k])) { /* overrides.c owns the list */
      fprintf(stderr, "pcnc run: unknown --set key '%s' (keys: %s)\n",
              ov.key[k], override_keys);
      return 2;
    }
  }
  if (!data_dir) {
    const char *env = getenv("PCNC_DATA_DIR");
    if (env && *env) data_dir = env;
  }

  PcnSession sess;
  memset(&sess, 0, sizeof sess);
  int rc = pcn_driver_compile(&sess, &co);
  if (rc != 0) {
    pcn_driver_session_free(&sess);
    return rc;
  }
  PcnCompilation *c = sess.comp;
  int mi = sess.model;
  PcnTrainer *trainer = NULL;
  rc = 1;
  if (mi < 0) {
    fprintf(stderr, "pcnc run: %s: no model to run\n", co.file);
    goto out;
  }
  const PcnGraph *g = c->models[mi];
  int ti = -1, ei = -1;
  for (int k = 0; k < c->ntrains; k++)
    if (c->trains[k].model == mi) ti = k;
  for (int k = 0; k < c->nevals; k++)
    if (c->evals[k].model == mi) ei = k;
  if (ti < 0) {
    fprintf(stderr, "pcnc run: %s: model '%s' has no train block\n", co.file,
            g->name);
    goto out;
  }
  /* Copies: the overrides must not change the compilation. */
  PcnTrainConfig tc = c->trains[ti];
  PcnEvalConfig ecv, *ec = NULL;
  if (ei >= 0) {
    ecv = c->evals[ei];
    ec = &ecv;
  }
  /* The evaluate block's batch defaults to the train block's: keep that
   * link when --set batch changes the latter. */
  bool eval_batch_follows = ec && ec->batch == tc.batch;
  for (int k = 0; k < ov.n; k++)
    if (!pcn_override_is_graph_key(ov.key[k]) &&
        apply_override(ov.key[k], ov.value[k], &tc, ec, eval_batch_follows)) {
      rc = 2;
      goto out;
    }
  const PcnDataset *tds = &c->datasets[tc.dataset];
  const PcnDataset *eds = ec ? &c->datasets[ec->dataset] : NULL;
  if (tc.sampling == PCN_SAMPLE_ALIGNED && tds->classes > 0 &&
      tc.batch % tds->classes != 0) {
    fprintf(stderr, "pcnc run: batch %d is not a multiple of the %d classes "
            "of '%s' (aligned batches hold n/C samples of each class)\n",
            tc.batch, tds->classes, tds->name);
    rc = 2;
    goto out;
  }
  /* act= and m= rewrite the graph and redo its analysis (overrides.c). */
  int orc = pcn_override_apply_all(&sess.arena, c, mi, &tc, ov.key,
                                   ov.value, ov.n, stderr, co.color);
  if (orc != 0) {
    rc = orc;
    goto out;
  }
  const PcnAnalysis *an = pcn_compilation_analysis(c, mi);
  /* The compiler warned about memories with the file's T and method. */
  if (tc.T != c->trains[ti].T || tc.method != c->trains[ti].method) {
    char msg[400];
    for (int v = -1; (v = pcn_memory_reach_problem(g, an, &tc, v + 1, msg, sizeof msg)) >= 0;)
      fprintf(stderr, "pcnc run: warning: %s\n", msg);
  }
  /* The compiler checked the file's own method and sampling; repeat the
   * checks that an override can break. */
  if (tc.method == PCN_METHOD_BP && !an->is_dag) {
    fprintf(stderr, "pcnc run: method bp needs an acyclic model, and '%s' "
            "has a cycle\n", g->name);
    rc = 2;
    goto out;
  }
  for (int v = 0; v < g->nnodes; v++)
    if (g->nodes[v].init.kind == PCN_INIT_AVERAGE &&
        tc.sampling != PCN_SAMPLE_ALIGNED) {
      fprintf(stderr, "pcnc run: node '%s' uses init average, which needs "
              "aligned batches (sampling=aligned)\n", g->nodes[v].name);
      rc = 2;
      goto out;
    }
  if (ec && an->phase[PCN_PHASE_EVAL].eval_mode == PCN_EVAL_INFERENCE &&
      ec->T < 1) {
    fprintf(stderr, "pcnc run: model '%s' is evaluated by inference, so "
            "eval_T must be at least 1\n", g->name);
    rc = 2;
    goto out;
  }

  long long nsamples = pcn_driver_train_samples(c, ti, data_dir);
  PcnSchedule *s = pcn_schedule_build(&sess.arena, g, an, &tc, ec,
                                      nsamples > 0 ? nsamples : 0);
  if (!s) {
    fprintf(stderr, "pcnc run: out of memory building the schedule\n");
    goto out;
  }
  char err[1024];
  if (n_eval_T > 0 && pcn_eval_T_supported(g, s, ec, err, sizeof err) != 0) {
    fprintf(stderr, "pcnc run: --eval-T: %s\n", err);
    rc = 2;
    goto out;
  }
  if (threads > 0) pcn_train_set_threads(threads);
  if (emit_llvm && pcn_jit_emit_llvm(s, emit_llvm, err, sizeof err) != 0) {
    fprintf(stderr, "pcnc run: %s\n", err);
    goto out;
  }

  PcnTrainSpec spec = {g, an, s, &tc, ec, tds, eds, data_dir};
  PcnTrainOptions opt = pcn_train_options_default();
  opt.out = quiet ? NULL : stdout;
  opt.progress = quiet ? 0 : -1;
  opt.log_path = log_path;
  opt.save_path = save_path;
  opt.load_path = load_path;
  opt.stop = &run_stop;
  opt.eval_T = eval_T;
  opt.n_eval_T = n_eval_T;
  bool use_jit = strcmp(backend_name, "jit") == 0;
  opt.backend = use_jit ? pcn_backend_jit() : &pcn_backend_ref;
  trainer = pcn_trainer_new(&spec, &opt, err, sizeof err);
  if (!trainer) {
    fprintf(stderr, "pcnc run: %s\n", err);
    goto out;
  }
  PcnTrainInfo info;
  pcn_trainer_info(trainer, &info);
  if (!quiet) {
    print_header(co.file, g, tds, &tc, ec, s, &info, backend_name, eval_only);
    if (n_eval_T > 0) {
      printf("evaluation also at eval_T");
      for (int i = 0; i < n_eval_T; i++)
        printf("%s %d", i ? "," : "", eval_T[i]);
      printf(" (--eval-T, alpha %g)\n", ec->inference.lr);
    }
    /* The first batch starts now: what came before, by stage. */
    double ready = pcn_driver_seconds() - t_start;
    double compile = ready - info.data_seconds - info.plan_seconds;
    printf("ready in %.3f s: parse, check, schedule, setup %.3f s, data %.3f s, plan %.3f s",
           ready, compile, info.data_seconds, info.plan_seconds);
    if (use_jit) printf(" (of which JIT %.3f s)", pcn_jit_last_compile_seconds());
    printf("\n");
  }

  if (eval_only) {
    if (!ec) {
      fprintf(stderr, "pcnc run: --eval-only: model '%s' has no evaluate "
              "block\n", g->name);
      goto out;
    }
    double acc = 0.0, loss = 0.0;
    if (pcn_trainer_evaluate(trainer, &acc, &loss, err, sizeof err) != 0) {
      fprintf(stderr, "pcnc run: %s\n", err);
      goto out;
    }
    /* The result is the point of the command: printed even with --quiet.
     * An accuracy by a forward pass has no eval_T to name. */
    print_loaded(ec, info.start_epoch, acc, loss,
                 ec->metric == PCN_METRIC_ACCURACY ? 0 : ec->T);
    /* --eval-T: the same at each listed step count (ascending). */
    for (int i = 0; i < n_eval_T; i++) {
      if (pcn_trainer_evaluate_T(trainer, eval_T[i], &acc, &loss, err,
                                 sizeof err) != 0) {
        fprintf(stderr, "pcnc run: %s\n", err);
        goto out;
      }
      print_loaded(ec, info.start_epoch, acc, loss, eval_T[i]);
    }
    if (images_path) {
      if (save_images(trainer, eds ? eds : tds, images_path) != 0) goto out;
      if (!quiet) printf("images: %s\n", images_path);
    }
    rc = 0;
    goto out;
  }

  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sa.sa_flags = (int)SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  run_stop = 0;
  sigaction(SIGINT, &sa, &old);
  PcnTrainResult res;
  int trc = pcn_trainer_run(trainer, &res, err, sizeof err);
  sigaction(SIGINT, &old, NULL);
  if (trc != 0) {
    fprintf(stderr, "pcnc run: %s\n", err);
    if (res.diverged && save_path && res.epochs_done + info.start_epoch > 0)
      fprintf(stderr, "pcnc run: '%s' keeps the model of epoch %d\n",
              save_path, info.start_epoch + res.epochs_done);
    goto out;
  }
  if (res.interrupted && !quiet) {
    if (res.epochs_done > 0 && save_path)
      printf("interrupted: epoch %d stopped after %d batches; saved to %s\n",
             res.last.epoch, res.last.batches, save_path);
    else
      printf("interrupted\n");
  }
  if (images_path) {
    if (save_images(trainer, eds ? eds : tds, images_path) != 0) goto out;
    if (!quiet) printf("images: %s\n", images_path);
  }
  rc = 0;
out:
  pcn_trainer_free(trainer);
  pcn_driver_session_free(&sess);
  return rc;
}
