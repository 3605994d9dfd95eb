/* data_idx.c - MNIST-format IDX files (gzip or raw) into a PcnDataSplit.
 *
 * IDX layout: a 4-byte magic (0, 0, type code, number of dimensions), one
 * big-endian uint32 per dimension, then the payload. We accept only the
 * two shapes MNIST-like datasets use: uint8 images (0x00000803) and uint8
 * labels (0x00000801). zlib's gzread reads raw files transparently, so one
 * code path serves both. */
#include "pcn/data.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* Reads up to len bytes; returns the count read, or -1 on a zlib error
 * (message in err). gzread takes an unsigned int, so loop in chunks. */
static long long read_fully(gzFile f, const char *path, uint8_t *buf,
                            long long len, char *err, size_t errlen) {
  long long got = 0;
  while (got < len) {
    long long want = len - got;
    if (want > (1 << 30)) want = 1 << 30;
    int r = gzread(f, buf + got, (unsigned)want);
    if (r < 0) {
      int code;
      const char *msg = gzerror(f, &code);
      seterr(err, errlen, "%s: read error: %s", path,
             code == Z_ERRNO ? strerror(errno) : msg);
      return -1;
    }
    if (r == 0) break;
    got += r;
  }
  return got;
}

/* Opens an IDX file and checks its header; fills dims[0..ndims). */
static gzFile open_idx(const char *path, int want_ndims, const char *what,
                       uint32_t *dims, char *err, size_t errlen) {
  gzFile f = gzopen(path, "rb");
  if (!f) {
    seterr(err, errlen, "%s: cannot open: %s", path,
           errno ? strerror(errno) : "out of memory");
    return NULL;
  }
  long long hdr_len = 4 + 4LL * want_ndims;
  uint8_t hdr[4 + 4 * 3];
  long long got = read_fully(f, path, hdr, 4, err, errlen);
  if (got < 0) goto fail;
  if (got < 4) {
    seterr(err, errlen,
           "%s: truncated header: expected %lld bytes, got %lld", path,
           hdr_len, got);
    goto fail;
  }
  uint32_t magic = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
                   (uint32_t)hdr[2] << 8 | hdr[3];
  uint32_t want_magic = 0x800u | (uint32_t)want_ndims;
  if (hdr[0] != 0 || hdr[1] != 0) {
    seterr(err, errlen,
           "%s: not an IDX file: bad magic 0x%08X (expected 0x%08X for %s)",
           path, magic, want_magic, what);
    goto fail;
  }
  if (hdr[2] != 0x08) {
    seterr(err, errlen,
           "%s: unsupported IDX type code 0x%02X (only 0x08, unsigned byte, "
           "is supported; magic 0x%08X)",
           path, hdr[2], magic);
    goto fail;
  }
  if (hdr[3] != want_ndims) {
    seterr(err, errlen,
           "%s: expected %d dimension%s for %s, got %d (magic 0x%08X, "
           "expected 0x%08X)",
           path, want_ndims, want_ndims == 1 ? "" : "s", what, hdr[3], magic,
           want_magic);
    goto fail;
  }
  got = read_fully(f, path, hdr + 4, 4LL * want_ndims, err, errlen);
  if (got < 0) goto fail;
  if (got < 4LL * want_ndims) {
    seterr(err, errlen,
           "%s: truncated header: expected %lld bytes, got %lld", path,
           hdr_len, 4 + got);
    goto fail;
  }
  long long total = 1;
  for (int i = 0; i < want_ndims; i++) {
    const uint8_t *p = hdr + 4 + 4 * i;
    dims[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
              (uint32_t)p[2] << 8 | p[3];
    if (dims[i] == 0) {
      seterr(err, errlen, "%s: dimension %d of the header is zero", path,
             i + 1);
      goto fail;
    }
    total *= dims[i]; /* each factor < 2^32 and checked below: no overflow */
    if (total > PCN_IDX_MAX_BYTES) {
      seterr(err, errlen,
             "%s: header declares more than %lld bytes of %s (dimension %d "
             "is %u); refusing an absurd size",
             path, (long long)PCN_IDX_MAX_BYTES, what, i + 1, dims[i]);
      goto fail;
    }
  }
  return f;
fail:
  gzclose(f);
  return NULL;
}

/* Reads exactly len payload bytes and checks nothing follows them. */
static uint8_t *read_payload(gzFile f, const char *path, long long len,
                             const char *what, char *err, size_t errlen) {
  uint8_t *buf = malloc((size_t)len + 1);
  if (!buf) {
    seterr(err, errlen, "%s: out of memory for %lld bytes of %s", path, len,
           what);
    return NULL;
  }
  /* Ask for one byte more than declared: getting it means trailing data. */
  long long got = read_fully(f, path, buf, len + 1, err, errlen);
  if (got < 0) goto fail;
  if (got < len) {
    seterr(err, errlen, "%s: truncated: expected %lld bytes of %s, got %lld",
           path, len, what, got);
    goto fail;
  }
  if (got > len) {
    seterr(err, errlen,
           "%s: trailing garbage after the %lld bytes of %s the header "
           "declares",
           path, len, what);
    goto fail;
  }
  return buf;
fail:
  free(buf);
  return NULL;
}

int pcn_idx_read_images(const char *path, int *n, int *h, int *w,
                        uint8_t **pixels, char *err, size_t errlen) {
  uint32_t dims[3];
  gzFile f = open_idx(path, 3, "images", dims, err, errlen);
  if (!f) return -1;
  long long len = (long long)dims[0] * dims[1] * dims[2];
  uint8_t *buf = read_payload(f, path, len, "pixels", err, errlen);
  gzclose(f);
  if (!buf) return -1;
  *n = (int)dims[0];
  *h = (int)dims[1];
  *w = (int)dims[2];
  *pixels = buf;
  return 0;
}

int pcn_idx_read_labels(const char *path, int *n, uint8_t **labels, char *err,
                        size_t errlen) {
  uint32_t dims[1];
  gzFile f = open_idx(path, 1, "labels", dims, err, errlen);
  if (!f) return -1;
  uint8_t *buf = read_payload(f, path, dims[0], "labels", err, errlen);
  gzclose(f);
  if (!buf) return -1;
  *n = (int)dims[0];
  *labels = buf;
  return 0;
}

int pcn_data_load_idx(const char *images_path, const char *labels_path,
                      int classes, PcnDataSplit *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  int n, h, w, nl = 0;
  uint8_t *px = NULL, *lab = NULL;
  if (pcn_idx_read_images(images_path, &n, &h, &w, &px, err, errlen) != 0)
    return -1;
  if (labels_path) {
    if (pcn_idx_read_labels(labels_path, &nl, &lab, err, errlen) != 0)
      goto fail;
    if (nl != n) {
      seterr(err, errlen, "%s: %d images but %d labels in %s", images_path, n,
             nl, labels_path);
      goto fail;
    }
    int maxlab = 0;
    for (int i = 0; i < n; i++) {
      if (classes > 0 && lab[i] >= classes) {
        seterr(err, errlen,
               "%s: label %d of sample %d is out of range for %d classes",
               labels_path, lab[i], i, classes);
        goto fail;
      }
      if (lab[i] > maxlab) maxlab = lab[i];
    }
    if (classes == 0) classes = maxlab + 1;
  } else {
    classes = 0;
  }

  long long d = (long long)h * w;
  out->x = malloc(sizeof(float) * (size_t)(n * d));
  out->name = strdup(images_path);
  if (!out->x || !out->name || (lab && !(out->y = malloc(sizeof(int) * n)))) {
    seterr(err, errlen, "%s: out of memory", images_path);
    goto fail;
  }
  /* Multiply by the reciprocal would round differently from x / 255 for
   * some bytes; divide so a stored pixel p is exactly (float)p / 255. */
  for (long long i = 0; i < n * d; i++) out->x[i] = (float)px[i] / 255.0f;
  if (lab)
    for (int i = 0; i < n; i++) out->y[i] = lab[i];
  out->n = n;
  out->d = (int)d;
  out->classes = lab ? classes : 0;
  out->image_h = h;
  out->image_w = w;
  free(px);
  free(lab);
  return 0;
fail:
  free(px);
  free(lab);
  pcn_data_free(out);
  return -1;
}
