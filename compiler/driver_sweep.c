/*
 * driver_sweep.c - `pcnc sweep FILE [options]`: run a model over a grid or
 * a list of settings and seeds, several runs at a time, resumably.
 *
 * Each run is a child `pcnc run FILE --set ... --log DIR/NAME.jsonl
 * --quiet` (this very binary, /proc/self/exe) with its output in
 * DIR/NAME.out. NAME spells the run's settings (T=5_alpha=0.1_seed=0), so
 * `pcnc report` can group runs that differ only in the seed. After a child
 * exits 0 with a log whose last epoch was not interrupted, the sweep writes
 * DIR/NAME.done: a restarted sweep skips those runs and redoes the others.
 *
 * Children get their own process group, so a terminal's Ctrl-C reaches
 * only the sweep, which stops launching and forwards one SIGINT to each
 * child (each stops after its current batch) and waits for them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "jsonl.h"
#include "overrides.h"
#include "pcn/train.h"

#define MAX_SET 32    /* settings per run */
#define MAX_GRID 16   /* --grid keys */
#define MAX_FIXED 64  /* --set */
#define MAX_JOBS 256

typedef struct Setting {
  char *key, *val;
} Setting;

typedef struct SweepRun {
  Setting set[MAX_SET];
  int nset;
  char name[512];
  pid_t pid;
  double started;
} SweepRun;

typedef struct Sweep {
  PcnCommonOpts co;
  const char *data_dir;
  Setting fixed[MAX_FIXED];
  int nfixed;
  Setting grid[MAX_GRID]; /* val: the comma-separated list */
  int ngrid;
  const char *list_path;
  const char *seeds;
  const char *out_dir;
  const char *eval_T;     /* --eval-T LIST, passed to every run */
  int jobs, max_runs;
  bool dry_run;
  SweepRun *runs;
  int nruns, cap;
} Sweep;

static void usage(FILE *f) {
  fputs(
      "usage: pcnc sweep FILE [options]\n"
      "\n"
      "Runs `pcnc run FILE` once per setting and seed, several at a time, and\n"
      "prints the `pcnc report` table of the results. A restarted sweep\n"
      "skips the runs that completed (DIR/NAME.done) and redoes the others.\n"
      "\n"
      "  --grid KEY=V1,V2,...  values of one key (repeatable: the cartesian\n"
      "                        product of all --grid keys)\n"
      "  --list FILE           one run per line: KEY=VALUE ... ('#' comments)\n"
      "  --seeds S1,S2,...     run every setting with each seed\n"
      "  --set KEY=VALUE       a setting fixed for all runs (repeatable)\n"
      "  --jobs N              runs at a time (default: the number of cores;\n"
      "                        when N > 1 each run gets OPENBLAS_NUM_THREADS=1)\n"
      "  --out DIR             where logs go (default: sweep-<model>)\n"
      "  --max-runs N          launch at most N runs, then stop (resume later)\n"
      "  --dry-run             print the runs and their commands, run nothing\n"
      "  --eval-T LIST         passed to every run: after each epoch also\n"
      "                        evaluate at these inference step counts (e.g.\n"
      "                        3,5,10,20; see pcnc run --help); the summary\n"
      "                        then adds the pcnc report --by-eval-T table\n"
      "  --model NAME, -I DIR, --data-dir DIR   passed on to pcnc run\n"
      "\n"
      "keys: T, alpha, beta, batch, fraction, seed, epochs, eval_T, momentum\n"
      "(as pcnc run --set), act=NAME (activation of every free hidden node),\n"
      "m=K (hybrid initialization: first K free hidden nodes forward, the\n"
      "others average; needs aligned batches).\n"
      "\n"
      "Ctrl-C stops launching, forwards SIGINT to the running children and\n"
      "waits for them. exit status: 0 all runs complete, 1 a run failed,\n"
      "2 usage error, 130 interrupted.\n",
      f);
}

static int usage_error(const char *fmt, const char *arg) {
  fputs("pcnc sweep: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(see pcnc sweep --help)\n", stderr);
  return 2;
}

/* Splits "KEY=VALUE" into a setting (copies); checks the key. */
static int parse_setting(const char *text, Setting *s, const char *where) {
  s->key = s->val = NULL; /* freeable whatever fails */
  const char *eq = strchr(text, '=');
  if (!eq || eq == text || !eq[1]) {
    fprintf(stderr, "pcnc sweep: %s: expected KEY=VALUE, got '%s'\n", where,
            text);
    return 2;
  }
  s->key = strndup(text, (size_t)(eq - text));
  s->val = strdup(eq + 1);
  int rc = 0;
  if (!s->key || !s->val) {
    fprintf(stderr, "pcnc sweep: out of memory\n");
    rc = 2;
  } else if (!pcn_override_is_key(s->key)) {
    fprintf(stderr, "pcnc sweep: %s: unknown key '%s' (keys: %s)\n", where,
            s->key, pcn_override_keys_text);
    rc = 2;
  }
  if (rc) { /* the caller keeps nothing of a failed setting */
    free(s->key), free(s->val);
    s->key = s->val = NULL;
  }
  return rc;
}

/* A file name from the settings: key=value joined by '_', with anything
 * a shell or file system might mind replaced by '-'. */
static void make_name(SweepRun *r) {
  size_t n = 0;
  r->name[0] = '\0';
  for (int i = 0; i < r->nset && n + 1 < sizeof r->name; i++) {
    int w = snprintf(r->name + n, sizeof r->name - n, "%s%s=%s", i ? "_" : "",
                     r->set[i].key, r->set[i].val);
    if (w < 0) break;
    n += (size_t)w;
    if (n >= sizeof r->name) n = sizeof r->name - 1;
  }
  for (char *c = r->name; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || strchr("._=+-", *c)))
      *c = '-';
  if (!r->name[0]) snprintf(r->name, sizeof r->name, "run");
}

static int add_run(Sweep *sw, const Setting *set, int nset) {
  if (sw->nruns == sw->cap) {
    int ncap = sw->cap ? sw->cap * 2 : 32;
    SweepRun *r = realloc(sw->runs, (size_t)ncap * sizeof *r);
    if (!r) return -1;
    sw->runs = r;
    sw->cap = ncap;
  }
  SweepRun *r = &sw->runs[sw->nruns++];
  memset(r, 0, sizeof *r);
  for (int i = 0; i < nset; i++) {
    r->set[i].key = strdup(set[i].key);
    r->set[i].val = strdup(set[i].val);
    r->nset = i + 1;
    if (!r->set[i].key || !r->set[i].val) return -1;
  }
  make_name(r);
  return 0;
}

/* Counts the comma-separated items of s (empty items are errors). */
static int count_items(const char *s) {
  int n = 1;
  for (const char *c = s; *c; c++) n += *c == ',';
  return n;
}

/* The i-th comma-separated item of s, copied. */
static char *item(const char *s, int i) {
  while (i-- > 0) s = strchr(s, ',') + 1;
  const char *e = strchr(s, ',');
  return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

static bool setting_given(const Sweep *sw, const char *key) {
  for (int i = 0; i < sw->nfixed; i++)
    if (!strcmp(sw->fixed[i].key, key)) return true;
  for (int i = 0; i < sw->ngrid; i++)
    if (!strcmp(sw->grid[i].key, key)) return true;
  return false;
}

/* Expands base (one --list line, or nothing) by the grid and the seeds. */
static int expand(Sweep *sw, const Setting *base, int nbase) {
  int nseeds = sw->seeds ? count_items(sw->seeds) : 0;
  int dims[MAX_GRID + 1], idx[MAX_GRID + 1] = {0};
  long total = 1;
  for (int g = 0; g < sw->ngrid; g++) {
    dims[g] = count_items(sw->grid[g].val);
    total *= dims[g];
  }
  dims[sw->ngrid] = nseeds ? nseeds : 1;
  total *= dims[sw->ngrid];
  if (nbase + sw->ngrid + 1 > MAX_SET) {
    fprintf(stderr, "pcnc sweep: too many settings per run\n");
    return 2;
  }
  for (int b = 0; b < nbase; b++)
    if (setting_given(sw, base[b].key) ||
        (nseeds && !strcmp(base[b].key, "seed"))) {
      fprintf(stderr, "pcnc sweep: key '%s' is both in a --list line and "
              "in --grid, --set or --seeds\n", base[b].key);
      return 2;
    }
  for (long t = 0; t < total; t++) {
    Setting set[MAX_SET];
    int n = 0;
    for (int b = 0; b < nbase; b++) set[n++] = base[b];
    for (int g = 0; g < sw->ngrid; g++) {
      set[n].key = sw->grid[g].key;
      set[n].val = item(sw->grid[g].val, idx[g]);
      if (!set[n].val) return 2;
      n++;
    }
    if (nseeds) {
      set[n].key = "seed";
      set[n].val = item(sw->seeds, idx[sw->ngrid]);
      if (!set[n].val) return 2;
      n++;
    }
    int ar = add_run(sw, set, n);
    for (int k = nbase; k < n; k++) free(set[k].val);
    if (ar != 0) {
      fprintf(stderr, "pcnc sweep: out of memory\n");
      return 2;
    }
    /* Odometer, last dimension (the seed) fastest. */
    for (int d = sw->ngrid; d >= 0; d--) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return 0;
}

static int read_list(Sweep *sw) {
  FILE *f = fopen(sw->list_path, "r");
  if (!f) {
    fprintf(stderr, "pcnc sweep: cannot read '%s': %s\n", sw->list_path,
            strerror(errno));
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  int lineno = 0, rc = 0, lines = 0;
  while (rc == 0 && getline(&line, &cap, f) >= 0) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    Setting base[MAX_SET];
    int n = 0;
    char where[600];
    snprintf(where, sizeof where, "%s:%d", sw->list_path, lineno);
    for (char *tok = strtok(line, " \t\r\n"); tok && rc == 0;
         tok = strtok(NULL, " \t\r\n")) {
      if (n == MAX_SET - MAX_GRID - 1) {
        fprintf(stderr, "pcnc sweep: %s: too many settings\n", where);
        rc = 2;
        break;
      }
      rc = parse_setting(tok, &base[n++], where);
    }
    if (rc == 0 && n > 0) {
      lines++;
      rc = expand(sw, base, n);
    }
    for (int k = 0; k < n; k++) free(base[k].key), free(base[k].val);
  }
  free(line);
  fclose(f);
  if (rc == 0 && lines == 0) {
    fprintf(stderr, "pcnc sweep: '%s' lists no run\n", sw->list_path);
    rc = 2;
  }
  return rc;
}

/* ---- files -------------------------------------------------------------- */

static void run_path(char *buf, size_t n, const Sweep *sw, const SweepRun *r,
                     const char *ext) {
  snprintf(buf, n, "%s/%s.%s", sw->out_dir, r->name, ext);
}

static bool is_complete(const Sweep *sw, const SweepRun *r) {
  char p[1200];
  run_path(p, sizeof p, sw, r, "done");
  return access(p, F_OK) == 0;
}

/* mkdir -p */
static int make_dirs(const char *path) {
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *c = buf + 1; *c; c++) {
    if (*c != '/') continue;
    *c = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *c = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
  return 0;
}

/* Did the run's log end with a whole (not interrupted) epoch? A child
 * stopped by Ctrl-C exits 0 after logging its partial epoch. */
static bool log_finished(const char *log) {
  PcnJsonl l;
  char err[256];
  if (pcn_jsonl_read(log, &l, NULL, err, sizeof err) != 0) return false;
  bool interrupted = true;
  if (l.n > 0) {
    interrupted = false;
    pcn_json_bool(&l.objs[l.n - 1], "interrupted", &interrupted);
  }
  pcn_jsonl_free(&l);
  return !interrupted;
}

/* Writes NAME.done atomically (a crash leaves no half-written marker). */
static int mark_done(const Sweep *sw, const SweepRun *r, double secs) {
  char p[1200], tmp[1300];
  run_path(p, sizeof p, sw, r, "done");
  snprintf(tmp, sizeof tmp, "%s.tmp", p);
  FILE *f = fopen(tmp, "w");
  if (!f) return -1;
  fprintf(f, "run %s\nseconds %.1f\nsettings", r->name, secs);
  for (int i = 0; i < r->nset; i++)
    fprintf(f, " %s=%s", r->set[i].key, r->set[i].val);
  fputc('\n', f);
  if (fclose(f) != 0) return -1;
  return rename(tmp, p);
}

/* ---- children ----------------------------------------------------------- */

static volatile sig_atomic_t sweep_stop;
static volatile pid_t sweep_children[MAX_JOBS];

/* Async-signal-safe: a flag, kill() and write() only. */
static void on_signal(int sig) {
  (void)sig;
  if (!sweep_stop) {
    static const char msg[] =
        "\npcnc sweep: stopping: no new runs; the running ones stop after "
        "their current batch\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
  }
  sweep_stop = 1;
  for (int i = 0; i < MAX_JOBS; i++)
    if (sweep_children[i] > 0) kill(sweep_children[i], SIGINT);
}

/* The argv of the child `pcnc run`; strings it allocates are freed with
 * the sweep (a handful per run). */
static char **child_argv(const Sweep *sw, const SweepRun *r, const char *self,
                         const char *log) {
  int cap = 16 + 2 * (sw->co.nincludes + sw->nfixed + r->nset);
  char **av = calloc((size_t)cap, sizeof *av);
  if (!av) return NULL;
  int n = 0;
  av[n++] = (char *)self;
  av[n++] = "run";
  av[n++] = (char *)sw->co.file;
  if (sw->co.model) {
    av[n++] = "--model";
    av[n++] = (char *)sw->co.model;
  }
  for (int i = 0; i < sw->co.nincludes; i++) {
    av[n++] = "-I";
    av[n++] = (char *)sw->co.includes[i];
  }
  if (sw->data_dir) {
    av[n++] = "--data-dir";
    av[n++] = (char *)sw->data_dir;
  }
  for (int pass = 0; pass < 2; pass++) {
    const Setting *s = pass ? r->set : sw->fixed;
    int ns = pass ? r->nset : sw->nfixed;
    for (int i = 0; i < ns; i++) {
      size_t len = strlen(s[i].key) + strlen(s[i].val) + 2;
      char *kv = malloc(len);
      if (!kv) return NULL;
      snprintf(kv, len, "%s=%s", s[i].key, s[i].val);
      av[n++] = "--set";
      av[n++] = kv;
    }
  }
  if (sw->eval_T) {
    av[n++] = "--eval-T";
    av[n++] = (char *)sw->eval_T;
  }
  av[n++] = "--log";
  av[n++] = (char *)log;
  av[n++] = "--quiet";
  av[n] = NULL;
  return av;
}

static void free_argv(const Sweep *sw, char **av) {
  if (!av) return;
  for (int i = 0; av[i]; i++)
    if (strcmp(av[i], "--set") == 0 && av[i + 1]) free(av[++i]);
  (void)sw;
  free(av);
}

static void print_command(FILE *f, char **av) {
  for (int i = 0; av[i]; i++) fprintf(f, "%s%s", i ? " " : "", av[i]);
  fputc('\n', f);
}

static pid_t launch(const Sweep *sw, SweepRun *r, const char *self) {
  char log[1200], out[1200];
  run_path(log, sizeof log, sw, r, "jsonl");
  run_path(out, sizeof out, sw, r, "out");
  char **av = child_argv(sw, r, self, log);
  if (!av) return -1;
  int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) {
    fprintf(stderr, "pcnc sweep: cannot write '%s': %s\n", out,
            strerror(errno));
    free_argv(sw, av);
    return -1;
  }
  fflush(NULL); /* no buffered output duplicated into the child */
  pid_t pid = fork();
  if (pid == 0) {
    /* Own process group: the terminal's Ctrl-C goes to the sweep only,
     * which forwards exactly one SIGINT (two would abort the child). */
    setpgid(0, 0);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    signal(SIGINT, SIG_DFL);
    if (sw->jobs > 1) setenv("OPENBLAS_NUM_THREADS", "1", 1);
    execv(self, av);
    fprintf(stderr, "pcnc sweep: cannot run '%s': %s\n", self,
            strerror(errno));
    _exit(127);
  }
  close(fd);
  free_argv(sw, av);
  if (pid < 0)
    fprintf(stderr, "pcnc sweep: fork: %s\n", strerror(errno));
  return pid;
}

static int execute(Sweep *sw, const char *self) {
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: waitpid returns on Ctrl-C */
  sweep_stop = 0;
  for (int i = 0; i < MAX_JOBS; i++) sweep_children[i] = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  int next = 0, running = 0, launched = 0, failed = 0, done = 0, skipped = 0;
  int total = sw->nruns;
  for (;;) {
    while (!sweep_stop && running < sw->jobs && next < total) {
      SweepRun *r = &sw->runs[next++];
      if (is_complete(sw, r)) {
        skipped++;
        printf("[%d/%d] %s: complete, skipped\n", next, total, r->name);
        continue;
      }
      if (sw->max_runs >= 0 && launched >= sw->max_runs) {
        next--;
        break;
      }
      r->pid = launch(sw, r, self);
      if (r->pid < 0) {
        failed++;
        continue;
      }
      r->started = pcn_driver_seconds();
      launched++;
      running++;
      for (int i = 0; i < MAX_JOBS; i++)
        if (sweep_children[i] == 0) {
          sweep_children[i] = r->pid;
          break;
        }
      /* A signal between fork and the table entry: forward it now. */
      if (sweep_stop) kill(r->pid, SIGINT);
      printf("[%d/%d] %s: started\n", next, total, r->name);
      fflush(stdout);
    }
    if (running == 0) break;
    int st;
    pid_t pid = waitpid(-1, &st, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "pcnc sweep: waitpid: %s\n", strerror(errno));
      break;
    }
    for (int i = 0; i < MAX_JOBS; i++)
      if (sweep_children[i] == pid) sweep_children[i] = 0;
    int k = 0;
    while (k < total && sw->runs[k].pid != pid) k++;
    if (k == total) continue;
    SweepRun *r = &sw->runs[k];
    r->pid = 0;
    running--;
    double secs = pcn_driver_seconds() - r->started;
    char log[1200], out[1200];
    run_path(log, sizeof log, sw, r, "jsonl");
    run_path(out, sizeof out, sw, r, "out");
    /* After a forwarded SIGINT a child may stop at an epoch boundary and
     * exit 0 with a log of whole epochs only: a run that ends while the
     * sweep is stopping is never marked complete (at worst it is redone). */
    if (!sweep_stop && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
        log_finished(log)) {
      if (mark_done(sw, r, secs) != 0) {
        fprintf(stderr, "pcnc sweep: %s: cannot write its .done file\n",
                r->name);
        failed++;
      } else {
        done++;
        printf("[%d/%d] %s: done in %.1fs\n", k + 1, total, r->name, secs);
      }
    } else if (sweep_stop && (WIFEXITED(st) ? WEXITSTATUS(st) == 0
                                            : WTERMSIG(st) == SIGINT)) {
      printf("[%d/%d] %s: interrupted (will be redone)\n", k + 1, total,
             r->name);
    } else {
      failed++;
      if (WIFEXITED(st))
        printf("[%d/%d] %s: FAILED (exit %d), see %s\n", k + 1, total,
               r->name, WEXITSTATUS(st), out);
      else
        printf("[%d/%d] %s: FAILED (signal %d), see %s\n", k + 1, total,
               r->name, WTERMSIG(st), out);
    }
    fflush(stdout);
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);

  int complete = 0;
  for (int i = 0; i < total; i++) complete += is_complete(sw, &sw->runs[i]);
  printf("\nsweep %s: %d runs, %d complete (%d now, %d before), %d failed",
         sw->out_dir, total, complete, done, skipped, failed);
  if (complete + failed < total)
    printf(", %d left: run the same command again to resume",
           total - complete - failed);
  printf("\n");
  if (complete > 0) {
    /* The summary covers every complete run, also earlier sessions'. */
    char **logs = calloc((size_t)complete, sizeof *logs);
    int n = 0;
    for (int i = 0; logs && i < total; i++) {
      if (!is_complete(sw, &sw->runs[i])) continue;
      char p[1200];
      run_path(p, sizeof p, sw, &sw->runs[i], "jsonl");
      logs[n] = strdup(p);
      if (logs[n]) n++;
    }
    printf("\n");
    PcnExperimentOptions o;
    pcn_experiment_options_default(&o);
    fflush(stdout);
    if (n > 0) pcn_experiment_report(stdout, stderr, (const char *const *)logs, n, &o);
    if (n > 0 && sw->eval_T) {
      printf("\n");
      o.by_eval_T = true;
      fflush(stdout);
      pcn_experiment_report(stdout, stderr, (const char *const *)logs, n, &o);
    }
    for (int i = 0; i < n; i++) free(logs[i]);
    free(logs);
  }
  if (failed) return 1;
  if (sweep_stop) return 130;
  return 0;
}

/* ---- the command -------------------------------------------------------- */

static long parse_count(const char *s, long lo, long hi) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < lo || v > hi) return -1;
  return v;
}

int pcn_cmd_sweep(int argc, char **argv) {
  Sweep sw;
  memset(&sw, 0, sizeof sw);
  sw.co.color = -1;
  sw.max_runs = -1;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  sw.jobs = ncpu > 0 ? (int)(ncpu < MAX_JOBS ? ncpu : MAX_JOBS) : 1;
  int rc = 2;
  char out_default[600];

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      rc = 0;
      goto out;
    }
    if (!strcmp(a, "--dry-run")) {
      sw.dry_run = true;
      continue;
    }
    static const char *const names[] = {"--grid", "--list",     "--seeds",
                                        "--set",  "--jobs",     "--out",
                                        "--max-runs", "--data-dir",
                                        "--eval-T"};
    const char *name = NULL, *val = NULL;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
      size_t len = strlen(names[k]);
      if (strncmp(a, names[k], len) == 0 && (a[len] == '\0' || a[len] == '=')) {
        name = names[k];
        if (a[len] == '=') {
          val = a + len + 1;
        } else if (i + 1 < argc) {
          val = argv[++i];
        } else {
          rc = usage_error("%s needs a value", a);
          goto out;
        }
        break;
      }
    }
    if (!name) {
      int r = pcn_driver_common_opt(&sw.co, argc, argv, &i);
      if (r < 0) goto out;
      if (r == 0) {
        rc = usage_error("unknown option '%s'", a);
        goto out;
      }
      continue;
    }
    if (!strcmp(name, "--grid") || !strcmp(name, "--set")) {
      bool grid = name[2] == 'g';
      if (grid ? sw.ngrid == MAX_GRID : sw.nfixed == MAX_FIXED) {
        rc = usage_error("too many %s options", name);
        goto out;
      }
      Setting s;
      if (parse_setting(val, &s, name) != 0) goto out;
      if (setting_given(&sw, s.key)) {
        fprintf(stderr, "pcnc sweep: key '%s' given twice\n", s.key);
        free(s.key), free(s.val);
        goto out;
      }
      if (grid) {
        if (strstr(s.val, ",,") || s.val[strlen(s.val) - 1] == ',') {
          fprintf(stderr, "pcnc sweep: --grid %s: empty value\n", val);
          free(s.key), free(s.val);
          goto out;
        }
        sw.grid[sw.ngrid++] = s;
      } else {
        sw.fixed[sw.nfixed++] = s;
      }
    } else if (!strcmp(name, "--list")) {
      sw.list_path = val;
    } else if (!strcmp(name, "--seeds")) {
      for (const char *c = val; *c; c++)
        if (!((*c >= '0' && *c <= '9') || *c == ',' || *c == '-')) {
          rc = usage_error("--seeds needs integers separated by commas, "
                           "not '%s'", val);
          goto out;
        }
      if (!*val || strstr(val, ",,") || val[strlen(val) - 1] == ',') {
        rc = usage_error("--seeds: empty seed in '%s'", val);
        goto out;
      }
      sw.seeds = val;
    } else if (!strcmp(name, "--jobs")) {
      long v = parse_count(val, 1, MAX_JOBS);
      if (v < 0) {
        rc = usage_error("--jobs needs an integer in [1, 256], not '%s'", val);
        goto out;
      }
      sw.jobs = (int)v;
    } else if (!strcmp(name, "--max-runs")) {
      long v = parse_count(val, 0, 1L << 30);
      if (v < 0) {
        rc = usage_error("--max-runs needs a count, not '%s'", val);
        goto out;
      }
      sw.max_runs = (int)v;
    } else if (!strcmp(name, "--out")) {
      sw.out_dir = val;
    } else if (!strcmp(name, "--data-dir")) {
      sw.data_dir = val;
    } else if (!strcmp(name, "--eval-T")) {
      /* Checked here once rather than by every run; whether the model
       * allows it, each run checks (exit 2). */
      int tmp[PCN_MAX_EVAL_T];
      char perr[256];
      if (pcn_eval_T_parse(val, tmp, perr, sizeof perr) < 0) {
        rc = usage_error("--eval-T: %s", perr);
        goto out;
      }
      sw.eval_T = val;
    }
  }
  if (!sw.co.file) {
    rc = usage_error("no input file%s", "");
    goto out;
  }
  if (sw.seeds && setting_given(&sw, "seed")) {
    rc = usage_error("--seeds and a seed setting: give one%s", "");
    goto out;
  }
  if (!sw.out_dir) {
    /* sweep-<model>: the model's name when given, else the file's stem. */
    const char *b = sw.co.model;
    size_t len;
    if (b) {
      len = strlen(b);
    } else {
      b = strrchr(sw.co.file, '/');
      b = b ? b + 1 : sw.co.file;
      len = strlen(b);
      if (len > 4 && strcmp(b + len - 4, ".pcn") == 0) len -= 4;
    }
    snprintf(out_default, sizeof out_default, "sweep-%.*s", (int)len, b);
    sw.out_dir = out_default;
  }
  if (access(sw.co.file, R_OK) != 0) {
    fprintf(stderr, "pcnc sweep: cannot read '%s': %s\n", sw.co.file,
            strerror(errno));
    rc = 2;
    goto out;
  }
  rc = sw.list_path ? read_list(&sw) : expand(&sw, NULL, 0);
  if (rc != 0) goto out;
  for (int i = 0; i < sw.nruns; i++)
    for (int j = 0; j < i; j++)
      if (!strcmp(sw.runs[i].name, sw.runs[j].name)) {
        fprintf(stderr, "pcnc sweep: two runs are both named '%s' (a "
                "repeated value or --list line)\n", sw.runs[i].name);
        rc = 2;
        goto out;
      }

  char self[4096];
  ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
  if (sl <= 0) {
    fprintf(stderr, "pcnc sweep: cannot find the pcnc binary "
            "(/proc/self/exe): %s\n", strerror(errno));
    rc = 1;
    goto out;
  }
  self[sl] = '\0';

  if (sw.dry_run) {
    for (int i = 0; i < sw.nruns; i++) {
      char log[1200];
      run_path(log, sizeof log, &sw, &sw.runs[i], "jsonl");
      char **av = child_argv(&sw, &sw.runs[i], "pcnc", log);
      printf("%s%s: ", sw.runs[i].name,
             is_complete(&sw, &sw.runs[i]) ? " (complete)" : "");
      if (av) print_command(stdout, av);
      free_argv(&sw, av);
    }
    printf("%d runs, %d at a time, in %s\n", sw.nruns, sw.jobs, sw.out_dir);
    rc = 0;
    goto out;
  }
  if (make_dirs(sw.out_dir) != 0) {
    fprintf(stderr, "pcnc sweep: cannot create '%s': %s\n", sw.out_dir,
            strerror(errno));
    rc = 1;
    goto out;
  }
  printf("sweep %s: %d runs of %s, %d at a time\n", sw.out_dir, sw.nruns,
         sw.co.file, sw.jobs);
  fflush(stdout);
  rc = execute(&sw, self);
out:
  for (int i = 0; i < sw.nruns; i++)
    for (int k = 0; k < sw.runs[i].nset; k++)
      free(sw.runs[i].set[k].key), free(sw.runs[i].set[k].val);
  free(sw.runs);
  for (int i = 0; i < sw.ngrid; i++) free(sw.grid[i].key), free(sw.grid[i].val);
  for (int i = 0; i < sw.nfixed; i++)
    free(sw.fixed[i].key), free(sw.fixed[i].val);
  return rc;
}
