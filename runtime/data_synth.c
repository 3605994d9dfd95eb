/* data_synth.c - small generated datasets for tests and examples.
 *
 * Determinism: one PcnRng on PCN_STREAM_SYNTHETIC seeded with the user's
 * seed first draws the generator's shape (blob centres), then two seeds,
 * one per part. Each part's samples come from its own generator, so the
 * train and test parts share a distribution but not samples, and the
 * number of train samples does not change the test samples.
 *
 * Labels cycle 0, 1, ..., C-1, 0, ... so every class has n/C samples
 * (+1 for the first n mod C): balanced data suits stream-aligned batches. */
#include "pcn/data.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcn/rng.h"

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

#define TWO_PI 6.283185307179586

/* Blobs: K centres uniform in [-1, 1]^d; the noise std is a sixth of the
 * smallest distance between two centres, so the midpoint between any two
 * clusters is 3 standard deviations from each and the classes separate. */
static int gen_blobs(PcnRng *shape, PcnDataPart part, int n, int d, int k,
                     float *x, int *y, char *err, size_t errlen) {
  double *centres = malloc(sizeof(double) * (size_t)k * (size_t)d);
  if (!centres) {
    seterr(err, errlen, "synthetic:blobs: out of memory");
    return -1;
  }
  for (long long i = 0; i < (long long)k * d; i++)
    centres[i] = 2.0 * pcn_rng_uniform(shape) - 1.0;
  double dmin = INFINITY;
  for (int a = 0; a < k; a++)
    for (int b = a + 1; b < k; b++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double t = centres[(size_t)a * d + j] - centres[(size_t)b * d + j];
        s += t * t;
      }
      if (sqrt(s) < dmin) dmin = sqrt(s);
    }
  double sigma = isfinite(dmin) ? dmin / 6.0 : 0.1;
  uint64_t part_seed[2] = {pcn_rng_next(shape), pcn_rng_next(shape)};
  PcnRng r;
  pcn_rng_init(&r, part_seed[part], PCN_STREAM_SYNTHETIC);
  for (int i = 0; i < n; i++) {
    int c = i % k;
    if (y) y[i] = c;
    for (int j = 0; j < d; j++)
      x[(size_t)i * d + j] =
          (float)(centres[(size_t)c * d + j] + sigma * pcn_rng_normal(&r));
  }
  free(centres);
  return 0;
}

/* XOR: class 0 around (s, s), class 1 around (s, -s), s = +-1 at random;
 * std 0.25 keeps the four clusters apart (4 std to the axes). */
static void gen_xor(PcnRng *r, int n, int d, float *x, int *y) {
  for (int i = 0; i < n; i++) {
    int c = i % 2;
    double s = pcn_rng_below(r, 2) ? 1.0 : -1.0;
    float *row = x + (size_t)i * d;
    row[0] = (float)(s + 0.25 * pcn_rng_normal(r));
    row[1] = (float)((c ? -s : s) + 0.25 * pcn_rng_normal(r));
    for (int j = 2; j < d; j++) row[j] = (float)(0.25 * pcn_rng_normal(r));
    y[i] = c;
  }
}

/* Spiral: arm c is the curve r = t, angle = 2 pi c / C + 1.5 pi t for t in
 * [0, 1], with a little angular and radial noise. */
static void gen_spiral(PcnRng *r, int n, int d, int classes, float *x,
                       int *y) {
  for (int i = 0; i < n; i++) {
    int c = i % classes;
    double t = pcn_rng_uniform(r);
    double ang = TWO_PI * c / classes + 0.75 * TWO_PI * t +
                 0.08 * pcn_rng_normal(r);
    double rad = t + 0.02 * pcn_rng_normal(r);
    float *row = x + (size_t)i * d;
    row[0] = (float)(rad * cos(ang));
    row[1] = (float)(rad * sin(ang));
    for (int j = 2; j < d; j++) row[j] = (float)(0.1 * pcn_rng_normal(r));
    y[i] = c;
  }
}

int pcn_data_synthesize(const char *generator, int n, int d, int classes,
                        uint64_t seed, PcnDataPart part, PcnDataSplit *out,
                        char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  const char *g = generator ? generator : "(none)";
  bool blobs = strcmp(g, "blobs") == 0, xor = strcmp(g, "xor") == 0,
       spiral = strcmp(g, "spiral") == 0;
  if (!blobs && !xor && !spiral) {
    seterr(err, errlen,
           "synthetic:%s: unknown generator (known: blobs, xor, spiral)", g);
    return -1;
  }
  if (n < 1 || d < 1) {
    seterr(err, errlen,
           "synthetic:%s: needs at least 1 sample and 1 feature (got %d "
           "samples, %d features)",
           g, n, d);
    return -1;
  }
  if ((long long)n * d > PCN_IDX_MAX_BYTES) {
    seterr(err, errlen, "synthetic:%s: %d samples x %d features is too large",
           g, n, d);
    return -1;
  }
  if (classes < 0 || classes > 65536) {
    seterr(err, errlen, "synthetic:%s: bad number of classes %d", g, classes);
    return -1;
  }
  if (xor && (classes != 2 || d < 2)) {
    seterr(err, errlen,
           "synthetic:xor: needs classes 2 and at least 2 features (got %d "
           "classes, %d features)",
           classes, d);
    return -1;
  }
  if (spiral && (classes < 2 || d < 2)) {
    seterr(err, errlen,
           "synthetic:spiral: needs at least 2 classes and 2 features (got "
           "%d classes, %d features)",
           classes, d);
    return -1;
  }

  char name[64];
  snprintf(name, sizeof name, "synthetic:%s:%s", g,
           part == PCN_PART_TRAIN ? "train" : "test");
  out->name = strdup(name);
  out->x = malloc(sizeof(float) * (size_t)n * (size_t)d);
  if (classes > 0) out->y = malloc(sizeof(int) * (size_t)n);
  if (!out->name || !out->x || (classes > 0 && !out->y)) {
    seterr(err, errlen, "synthetic:%s: out of memory", g);
    pcn_data_free(out);
    return -1;
  }

  PcnRng shape;
  pcn_rng_init(&shape, seed, PCN_STREAM_SYNTHETIC);
  int rc = 0;
  if (blobs) {
    rc = gen_blobs(&shape, part, n, d, classes > 0 ? classes : 4, out->x,
                   out->y, err, errlen);
  } else {
    uint64_t ps[2] = {pcn_rng_next(&shape), pcn_rng_next(&shape)};
    PcnRng r;
    pcn_rng_init(&r, ps[part], PCN_STREAM_SYNTHETIC);
    if (xor)
      gen_xor(&r, n, d, out->x, out->y);
    else
      gen_spiral(&r, n, d, classes, out->x, out->y);
  }
  if (rc != 0) {
    pcn_data_free(out);
    return -1;
  }
  out->n = n;
  out->d = d;
  out->classes = classes;
  return 0;
}
