/* data.c - the dataset object, loading by dataset declaration, training
 * fractions, batch samplers and gathering (see include/pcn/data.h). */
#include "pcn/data.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcn/rng.h"

#ifndef PCNC_DEFAULT_DATA_DIR
#define PCNC_DEFAULT_DATA_DIR "/usr/share/datasets/fashion-mnist"
#endif

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

void pcn_data_free(PcnDataSplit *s) {
  if (!s) return;
  free(s->name);
  free(s->x);
  free(s->y);
  memset(s, 0, sizeof *s);
}

/* ---- loading by declaration ------------------------------------------ */

/* dir/file, or file alone when it is absolute or there is no dir. */
static int join_path(const char *dir, const char *file, char *buf,
                     size_t len) {
  int k = (file[0] == '/' || !dir || !dir[0])
              ? snprintf(buf, len, "%s", file)
              : snprintf(buf, len, "%s%s%s", dir,
                         dir[strlen(dir) - 1] == '/' ? "" : "/", file);
  return k >= 0 && (size_t)k < len ? 0 : -1;
}

int pcn_data_load(const PcnDataset *ds, PcnDataPart part, const char *data_dir,
                  uint64_t seed, PcnDataSplit *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  const char *dname = ds->name ? ds->name : "(unnamed)";
  const char *pname = part == PCN_PART_TRAIN ? "train" : "test";
  const char *const *files =
      part == PCN_PART_TRAIN ? ds->train_files : ds->test_files;
  const char *dir = data_dir ? data_dir : ds->dir;
  char p0[4096], p1[4096];
  int rc;

  switch (ds->format) {
  case PCN_DATA_SYNTHETIC: {
    int n = part == PCN_PART_TRAIN ? ds->train_samples : ds->test_samples;
    return pcn_data_synthesize(ds->generator, n, ds->features, ds->classes,
                               seed, part, out, err, errlen);
  }
  case PCN_DATA_IDX:
    if (!dir) dir = PCNC_DEFAULT_DATA_DIR;
    if (!files[0]) {
      seterr(err, errlen, "dataset '%s': no %s files declared", dname, pname);
      return -1;
    }
    if (join_path(dir, files[0], p0, sizeof p0) ||
        (files[1] && join_path(dir, files[1], p1, sizeof p1))) {
      seterr(err, errlen, "dataset '%s': path too long: %s/%s", dname, dir,
             files[0]);
      return -1;
    }
    if (ds->classes > 0 && !files[1]) {
      seterr(err, errlen,
             "dataset '%s': declares %d classes but no %s labels file", dname,
             ds->classes, pname);
      return -1;
    }
    /* classes == 0 declares the data unlabelled: a labels file, if one is
     * named, is not read. */
    rc = pcn_data_load_idx(p0, files[1] && ds->classes > 0 ? p1 : NULL,
                           ds->classes, out, err, errlen);
    if (rc != 0) return rc;
    if (ds->features > 0 && out->d != ds->features) {
      seterr(err, errlen,
             "%s: images are %dx%d = %d features but dataset '%s' declares "
             "%d",
             p0, out->image_h, out->image_w, out->d, dname, ds->features);
      pcn_data_free(out);
      return -1;
    }
    if (ds->image_h > 0 &&
        (out->image_h != ds->image_h || out->image_w != ds->image_w)) {
      seterr(err, errlen,
             "%s: images are %dx%d but dataset '%s' declares %dx%d", p0,
             out->image_h, out->image_w, dname, ds->image_h, ds->image_w);
      pcn_data_free(out);
      return -1;
    }
    return 0;
  case PCN_DATA_CSV:
    if (!files[0]) {
      seterr(err, errlen, "dataset '%s': no %s file declared", dname, pname);
      return -1;
    }
    if (join_path(dir, files[0], p0, sizeof p0)) {
      seterr(err, errlen, "dataset '%s': path too long: %s/%s", dname, dir,
             files[0]);
      return -1;
    }
    rc = pcn_data_load_csv(p0, ds->features, ds->classes, ds->label_column,
                           out, err, errlen);
    if (rc == 0 && ds->image_h > 0 && ds->image_h * ds->image_w == out->d) {
      out->image_h = ds->image_h;
      out->image_w = ds->image_w;
    }
    return rc;
  }
  seterr(err, errlen, "dataset '%s': unknown format %d", dname,
         (int)ds->format);
  return -1;
}

/* ---- training fraction ----------------------------------------------- */

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* round(f * count), at least 1 when count > 0. */
static int keep_count(double f, int count) {
  if (count == 0) return 0;
  long k = lround(f * count);
  if (k < 1) k = 1;
  if (k > count) k = count;
  return (int)k;
}

int pcn_data_fraction(const PcnDataSplit *s, double fraction, uint64_t seed,
                      int **rows, int *nrows, char *err, size_t errlen) {
  *rows = NULL;
  *nrows = 0;
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    seterr(err, errlen, "%s: training fraction %g is not in (0, 1]",
           s->name ? s->name : "data", fraction);
    return -1;
  }
  if (s->n < 1) {
    seterr(err, errlen, "%s: no samples", s->name ? s->name : "data");
    return -1;
  }
  int *all = malloc(sizeof(int) * (size_t)s->n);
  int *keep = malloc(sizeof(int) * (size_t)s->n);
  if (!all || !keep) {
    free(all);
    free(keep);
    seterr(err, errlen, "out of memory");
    return -1;
  }
  PcnRng r;
  pcn_rng_init(&r, seed, PCN_STREAM_SPLIT);
  int nk = 0;
  if (!s->y || s->classes < 1) {
    for (int i = 0; i < s->n; i++) all[i] = i;
    pcn_rng_shuffle_int(&r, all, s->n);
    nk = keep_count(fraction, s->n);
    memcpy(keep, all, sizeof(int) * (size_t)nk);
  } else {
    /* Group rows by class (stable), then shuffle and cut each group; the
     * classes are visited in order so the draw depends only on the seed. */
    for (int c = 0; c < s->classes; c++) {
      int cnt = 0;
      for (int i = 0; i < s->n; i++)
        if (s->y[i] == c) all[cnt++] = i;
      pcn_rng_shuffle_int(&r, all, cnt);
      int k = keep_count(fraction, cnt);
      memcpy(keep + nk, all, sizeof(int) * (size_t)k);
      nk += k;
    }
  }
  free(all);
  qsort(keep, (size_t)nk, sizeof(int), cmp_int);
  *rows = keep;
  *nrows = nk;
  return 0;
}

/* ---- samplers -------------------------------------------------------- */

struct PcnSampler {
  const PcnDataSplit *s;
  PcnSamplerKind kind;
  int batch;
  bool drop_last;
  uint64_t seed;
  int *rows, nrows; /* the row set as given (SEQUENTIAL order) */
  int *order;       /* this epoch's order (SHUFFLED), or per-class streams
                       (ALIGNED: class c at order[cls_start[c]..]) */
  int pos;          /* SEQUENTIAL/SHUFFLED: next position in order */
  int bi;           /* batch index within the epoch */
  int nbatches, unused;
  bool started;
  /* ALIGNED only */
  int C;
  int *cls_start, *cls_count, *cls_pos;
  int *cls_base; /* rows grouped by class, in the given order */
  int *buf;      /* the current batch [batch] */
};

/* Rows class c takes in batch b of an aligned epoch (see data.h). */
static int aligned_quota(const PcnSampler *m, int b, int c) {
  int q = m->batch / m->C, r = m->batch % m->C;
  if (r == 0) return q;
  int start = (int)(((long long)b * r) % m->C);
  return q + (((c - start) % m->C + m->C) % m->C < r);
}

void pcn_sampler_free(PcnSampler *m) {
  if (!m) return;
  free(m->rows);
  free(m->order);
  free(m->cls_start);
  free(m->cls_count);
  free(m->cls_pos);
  free(m->cls_base);
  free(m->buf);
  free(m);
}

static int setup_aligned(PcnSampler *m, char *err, size_t errlen) {
  const PcnDataSplit *s = m->s;
  const char *name = s->name ? s->name : "data";
  if (!s->y || s->classes < 1) {
    seterr(err, errlen, "%s: stream-aligned batches need labelled data",
           name);
    return -1;
  }
  m->C = s->classes;
  if (m->batch < m->C) {
    seterr(err, errlen,
           "%s: stream-aligned batch %d is smaller than the %d classes (each "
           "batch needs every class)",
           name, m->batch, m->C);
    return -1;
  }
  m->cls_start = calloc((size_t)m->C, sizeof(int));
  m->cls_count = calloc((size_t)m->C, sizeof(int));
  m->cls_pos = calloc((size_t)m->C, sizeof(int));
  m->cls_base = malloc(sizeof(int) * (size_t)m->nrows);
  m->buf = malloc(sizeof(int) * (size_t)m->batch);
  if (!m->cls_start || !m->cls_count || !m->cls_pos || !m->cls_base ||
      !m->buf) {
    seterr(err, errlen, "out of memory");
    return -1;
  }
  for (int i = 0; i < m->nrows; i++) {
    int c = s->y[m->rows[i]];
    /* Loaders guarantee the range; a split built by hand might not. */
    if (c < 0 || c >= m->C) {
      seterr(err, errlen, "%s: label %d of row %d is outside [0, %d)", name,
             c, m->rows[i], m->C);
      return -1;
    }
    m->cls_count[c]++;
  }
  for (int c = 1; c < m->C; c++)
    m->cls_start[c] = m->cls_start[c - 1] + m->cls_count[c - 1];
  for (int c = 0; c < m->C; c++) m->cls_pos[c] = m->cls_start[c];
  for (int i = 0; i < m->nrows; i++) {
    int c = s->y[m->rows[i]];
    m->cls_base[m->cls_pos[c]++] = m->rows[i];
  }
  for (int c = 0; c < m->C; c++) {
    if (m->cls_count[c] == 0) {
      seterr(err, errlen,
             "%s: class %d has no samples; stream-aligned batches need every "
             "class",
             name, c);
      return -1;
    }
  }
  /* The number of batches depends only on the class counts, not on the
   * shuffle: walk the quotas until a stream cannot fill its share. */
  for (int c = 0; c < m->C; c++) m->cls_pos[c] = 0;
  int nb = 0, used = 0;
  for (;;) {
    bool ok = true;
    for (int c = 0; c < m->C && ok; c++)
      ok = m->cls_pos[c] + aligned_quota(m, nb, c) <= m->cls_count[c];
    if (!ok) break;
    for (int c = 0; c < m->C; c++) m->cls_pos[c] += aligned_quota(m, nb, c);
    used += m->batch;
    nb++;
  }
  if (nb == 0) {
    int worst = 0;
    for (int c = 1; c < m->C; c++)
      if (m->cls_count[c] - aligned_quota(m, 0, c) <
          m->cls_count[worst] - aligned_quota(m, 0, worst))
        worst = c;
    seterr(err, errlen,
           "%s: class %d has %d samples, fewer than its share %d of one "
           "stream-aligned batch of %d",
           name, worst, m->cls_count[worst], aligned_quota(m, 0, worst),
           m->batch);
    return -1;
  }
  m->nbatches = nb;
  m->unused = m->nrows - used;
  return 0;
}

PcnSampler *pcn_sampler_new(const PcnDataSplit *s, const int *rows, int nrows,
                            PcnSamplerKind kind, int batch, bool drop_last,
                            uint64_t seed, char *err, size_t errlen) {
  const char *name = s->name ? s->name : "data";
  if (!rows) nrows = s->n;
  if (batch < 1) {
    seterr(err, errlen, "%s: batch size %d must be at least 1", name, batch);
    return NULL;
  }
  if (nrows < 1) {
    seterr(err, errlen, "%s: no samples to draw batches from", name);
    return NULL;
  }
  PcnSampler *m = calloc(1, sizeof *m);
  if (!m) {
    seterr(err, errlen, "out of memory");
    return NULL;
  }
  m->s = s;
  m->kind = kind;
  m->batch = batch;
  m->drop_last = drop_last;
  m->seed = seed;
  m->nrows = nrows;
  m->rows = malloc(sizeof(int) * (size_t)nrows);
  m->order = malloc(sizeof(int) * (size_t)nrows);
  if (!m->rows || !m->order) {
    seterr(err, errlen, "out of memory");
    goto fail;
  }
  for (int i = 0; i < nrows; i++) {
    int r = rows ? rows[i] : i;
    if (r < 0 || r >= s->n) {
      seterr(err, errlen, "%s: row index %d is outside the %d samples", name,
             r, s->n);
      goto fail;
    }
    m->rows[i] = r;
  }
  if (kind == PCN_SAMPLER_ALIGNED) {
    if (setup_aligned(m, err, errlen) != 0) goto fail;
  } else {
    m->nbatches = drop_last ? nrows / batch : (nrows + batch - 1) / batch;
    m->unused = drop_last ? nrows % batch : 0;
    if (m->nbatches == 0) {
      seterr(err, errlen,
             "%s: batch %d is larger than the %d samples and dropping the "
             "last partial batch leaves none",
             name, batch, nrows);
      goto fail;
    }
  }
  return m;
fail:
  pcn_sampler_free(m);
  return NULL;
}

void pcn_sampler_begin_epoch(PcnSampler *m, int epoch) {
  PcnRng r;
  pcn_rng_init(&r, m->seed + (uint64_t)epoch, PCN_STREAM_SHUFFLE);
  switch (m->kind) {
  case PCN_SAMPLER_SEQUENTIAL:
    memcpy(m->order, m->rows, sizeof(int) * (size_t)m->nrows);
    break;
  case PCN_SAMPLER_SHUFFLED:
    memcpy(m->order, m->rows, sizeof(int) * (size_t)m->nrows);
    pcn_rng_shuffle_int(&r, m->order, m->nrows);
    break;
  case PCN_SAMPLER_ALIGNED:
    memcpy(m->order, m->cls_base, sizeof(int) * (size_t)m->nrows);
    for (int c = 0; c < m->C; c++) {
      pcn_rng_shuffle_int(&r, m->order + m->cls_start[c], m->cls_count[c]);
      m->cls_pos[c] = 0;
    }
    break;
  }
  m->pos = 0;
  m->bi = 0;
  m->started = true;
}

int pcn_sampler_next(PcnSampler *m, const int **rows) {
  *rows = NULL;
  if (!m->started) pcn_sampler_begin_epoch(m, 0);
  if (m->bi >= m->nbatches) return 0;
  if (m->kind == PCN_SAMPLER_ALIGNED) {
    int k = 0;
    for (int c = 0; c < m->C; c++) {
      int q = aligned_quota(m, m->bi, c);
      memcpy(m->buf + k, m->order + m->cls_start[c] + m->cls_pos[c],
             sizeof(int) * (size_t)q);
      m->cls_pos[c] += q;
      k += q;
    }
    m->bi++;
    *rows = m->buf;
    return k;
  }
  int n = m->nrows - m->pos < m->batch ? m->nrows - m->pos : m->batch;
  *rows = m->order + m->pos;
  m->pos += n;
  m->bi++;
  return n;
}

int pcn_sampler_batches(const PcnSampler *m) { return m->nbatches; }
int pcn_sampler_unused(const PcnSampler *m) { return m->unused; }

/* ---- gathering ------------------------------------------------------- */

int pcn_data_gather(const PcnDataSplit *s, const int *rows, int n, float *x,
                    float *onehot, int *labels) {
  for (int i = 0; i < n; i++)
    if (rows[i] < 0 || rows[i] >= s->n) return -1;
  size_t d = (size_t)s->d;
  if (x)
    for (int i = 0; i < n; i++)
      memcpy(x + (size_t)i * d, s->x + (size_t)rows[i] * d,
             sizeof(float) * d);
  if (onehot && s->classes > 0) {
    size_t C = (size_t)s->classes;
    memset(onehot, 0, sizeof(float) * C * (size_t)n);
    if (s->y)
      for (int i = 0; i < n; i++) onehot[(size_t)i * C + s->y[rows[i]]] = 1.0f;
  }
  if (labels)
    for (int i = 0; i < n; i++) labels[i] = s->y ? s->y[rows[i]] : -1;
  return 0;
}
