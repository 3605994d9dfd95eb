/* data_csv.c - numeric CSV files (gzip or raw) into a PcnDataSplit.
 *
 * Deliberately small: numbers separated by commas, no quoting. The whole
 * file is read into memory first (through gzread, so .csv.gz works too),
 * then parsed twice: once to count rows and columns, once to fill. */
#include "pcn/data.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* The file's bytes, NUL-terminated; NULL on error. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen) {
  gzFile f = gzopen(path, "rb");
  if (!f) {
    seterr(err, errlen, "%s: cannot open: %s", path,
           errno ? strerror(errno) : "out of memory");
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      seterr(err, errlen, "%s: out of memory", path);
      gzclose(f);
      return NULL;
    }
    if (cap - n < 4096) {
      if (cap > (size_t)PCN_IDX_MAX_BYTES * 4) {
        seterr(err, errlen, "%s: file larger than %lld bytes", path,
               (long long)PCN_IDX_MAX_BYTES * 4);
        free(buf);
        gzclose(f);
        return NULL;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb)
        free(buf);
      buf = nb;
      cap *= 2;
      continue;
    }
    int r = gzread(f, buf + n, (unsigned)(cap - n - 1));
    if (r < 0) {
      int code;
      const char *msg = gzerror(f, &code);
      seterr(err, errlen, "%s: read error: %s", path,
             code == Z_ERRNO ? strerror(errno) : msg);
      free(buf);
      gzclose(f);
      return NULL;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  gzclose(f);
  buf[n] = 0;
  *len = n;
  return buf;
}

/* One line: [p, end) without the newline (and without a trailing \r). */
typedef struct Line {
  const char *p, *end;
} Line;

static bool line_blank(Line l) {
  for (const char *q = l.p; q < l.end; q++)
    if (!isspace((unsigned char)*q))
      return false;
  return true;
}

static int count_fields(Line l) {
  int n = 1;
  for (const char *q = l.p; q < l.end; q++)
    n += *q == ',';
  return n;
}

/* Field i of a line: trimmed [*fb, *fe). Fields are walked in order by the
 * callers, so this takes a cursor instead of an index. */
static void next_field(const char **cur, const char *end, const char **fb,
                       const char **fe) {
  const char *q = *cur;
  while (q < end && *q != ',')
    q++;
  const char *b = *cur, *e = q;
  while (b < e && isspace((unsigned char)*b))
    b++;
  while (e > b && isspace((unsigned char)e[-1]))
    e--;
  *fb = b;
  *fe = e;
  *cur = q < end ? q + 1 : q;
}

/* Parses a whole field as a finite double. */
static bool parse_num(const char *b, const char *e, double *v) {
  if (b == e || e - b > 63)
    return false;
  char tmp[64];
  memcpy(tmp, b, (size_t)(e - b));
  tmp[e - b] = 0;
  char *stop;
  errno = 0;
  *v = strtod(tmp, &stop);
  return *stop == 0 && isfinite(*v);
}

static bool line_numeric(Line l) {
  const char *cur = l.p, *b, *e;
  int nf = count_fields(l);
  double v;
  for (int i = 0; i < nf; i++) {
    next_field(&cur, l.end, &b, &e);
    if (!parse_num(b, e, &v))
      return false;
  }
  return true;
}

/* Splits text into lines in place; returns the count (lines[] malloc'd). */
static int split_lines(const char *text, size_t len, Line **out) {
  int cap = 1024, n = 0;
  Line *v = malloc(sizeof(Line) * (size_t)cap);
  const char *p = text, *end = text + len;
  while (v && p < end) {
    const char *q = memchr(p, '\n', (size_t)(end - p));
    const char *le = q ? q : end;
    Line l = {p, le};
    if (l.end > l.p && l.end[-1] == '\r')
      l.end--;
    if (n == cap) {
      Line *nv = realloc(v, sizeof(Line) * (size_t)cap * 2);
      if (!nv) {
        free(v);
        v = NULL;
        break;
      }
      v = nv;
      cap *= 2;
    }
    v[n++] = l;
    p = q ? q + 1 : end;
  }
  *out = v;
  return v ? n : -1;
}

int pcn_data_load_csv(const char *path, int features, int classes,
                      int label_column, PcnDataSplit *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  size_t len;
  char *text = slurp(path, &len, err, errlen);
  if (!text)
    return -1;
  Line *lines = NULL;
  int nlines = split_lines(text, len, &lines);
  if (nlines < 0) {
    seterr(err, errlen, "%s: out of memory", path);
    free(text);
    return -1;
  }

  /* The first non-blank line fixes the column count; it is a header when
   * it is not all numbers. */
  int first = 0;
  while (first < nlines && line_blank(lines[first]))
    first++;
  if (first == nlines) {
    seterr(err, errlen, "%s: no data rows", path);
    goto fail;
  }
  int ncols = count_fields(lines[first]);
  bool header = !line_numeric(lines[first]);
  int start = header ? first + 1 : first;
  int labcol = -1;
  if (classes > 0) {
    labcol = label_column < 0 ? ncols - 1 : label_column;
    if (labcol >= ncols) {
      seterr(err, errlen,
             "%s:%d: label column %d does not exist (the file has %d "
             "columns)",
             path, first + 1, labcol, ncols);
      goto fail;
    }
  }
  int d = classes > 0 ? ncols - 1 : ncols;
  if (d < 1) {
    seterr(err, errlen, "%s:%d: no feature columns", path, first + 1);
    goto fail;
  }
  if (features > 0 && d != features) {
    seterr(err, errlen,
           "%s:%d: %d feature columns but the dataset declares %d features%s",
           path, first + 1, d, features,
           classes > 0 ? " (plus one label column)" : "");
    goto fail;
  }
  int n = 0;
  for (int i = start; i < nlines; i++)
    n += !line_blank(lines[i]);
  if (n == 0) {
    seterr(err, errlen, "%s: no data rows%s", path,
           header ? " after the header" : "");
    goto fail;
  }
  if ((long long)n * d > PCN_IDX_MAX_BYTES) {
    seterr(err, errlen, "%s: %d rows x %d features is too large", path, n, d);
    goto fail;
  }
  out->x = malloc(sizeof(float) * (size_t)n * (size_t)d);
  out->name = strdup(path);
  if (!out->x || !out->name ||
      (classes > 0 && !(out->y = malloc(sizeof(int) * (size_t)n)))) {
    seterr(err, errlen, "%s: out of memory", path);
    goto fail;
  }

  int row = 0;
  for (int i = start; i < nlines; i++) {
    Line l = lines[i];
    if (line_blank(l))
      continue;
    int lineno = i + 1;
    int nf = count_fields(l);
    if (nf != ncols) {
      seterr(err, errlen, "%s:%d: expected %d columns, got %d", path, lineno,
             ncols, nf);
      goto fail;
    }
    const char *cur = l.p, *b, *e;
    float *xr = out->x + (size_t)row * d;
    int k = 0;
    for (int c = 0; c < ncols; c++) {
      next_field(&cur, l.end, &b, &e);
      double v;
      if (!parse_num(b, e, &v)) {
        seterr(err, errlen,
               "%s:%d: column %d (0-based): '%.*s' is not a number", path,
               lineno, c, (int)(e - b > 40 ? 40 : e - b), b);
        goto fail;
      }
      if (c == labcol) {
        if (v != floor(v)) {
          seterr(err, errlen, "%s:%d: label '%.*s' is not an integer", path,
                 lineno, (int)(e - b > 40 ? 40 : e - b), b);
          goto fail;
        }
        if (v < 0 || v >= classes) {
          seterr(err, errlen,
                 "%s:%d: label %.0f is out of range [0, %d) for %d classes",
                 path, lineno, v, classes, classes);
          goto fail;
        }
        out->y[row] = (int)v;
      } else {
        xr[k++] = (float)v;
      }
    }
    row++;
  }
  out->n = n;
  out->d = d;
  out->classes = classes > 0 ? classes : 0;
  free(lines);
  free(text);
  return 0;
fail:
  free(lines);
  free(text);
  pcn_data_free(out);
  return -1;
}
