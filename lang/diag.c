/*
 * diag.c - source files and the diagnostic sink.
 *
 * Diagnostics are recorded, not printed, so every phase can keep going and
 * the driver decides when and where to print them. Rendering follows the
 * compiler convention documented in include/pcn/diag.h: a location line,
 * the source line with a gutter, a caret/tilde underline, then the notes.
 * The echoed line is made safe for a terminal (tabs expanded, control and
 * non-ASCII bytes shown as '?') and long lines are cut around the span, so
 * a binary or minified input cannot garble the output.
 */
#include "pcn/diag.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const PcnSpan pcn_no_span = {NULL, 0, 0, 0, 0};

#define PCN_DIAG_DEFAULT_MAX_ERRORS 50
#define PCN_TAB_STOP 8
/* Echoed lines wider than this are cut to a window around the span. */
#define PCN_MAX_ECHO 120
/* Columns of context kept before the span when a line is cut. */
#define PCN_ECHO_LEAD 40

void pcn_diag_init(PcnDiag *d) {
  memset(d, 0, sizeof *d);
  d->max_errors = PCN_DIAG_DEFAULT_MAX_ERRORS;
}

void pcn_diag_free(PcnDiag *d) {
  for (int i = 0; i < d->nsources; i++) {
    free(d->sources[i]->path);
    free(d->sources[i]->text);
    free(d->sources[i]);
  }
  free(d->sources);
  for (int i = 0; i < d->nitems; i++) {
    PcnDiagnostic *it = &d->items[i];
    free(it->msg);
    for (int j = 0; j < it->nnotes; j++) free(it->notes[j].msg);
    free(it->notes);
  }
  free(d->items);
  memset(d, 0, sizeof *d);
}

/* Takes ownership of text (malloc'd, NUL-terminated at len). */
static const PcnSource *add_owned(PcnDiag *d, const char *path, char *text,
                                  size_t len) {
  PcnSource *s = calloc(1, sizeof *s);
  char *p = strdup(path ? path : "<input>");
  if (!s || !p) goto fail;
  if (d->nsources == d->cap_sources) {
    int cap = d->cap_sources ? 2 * d->cap_sources : 4;
    PcnSource **v = realloc(d->sources, (size_t)cap * sizeof *v);
    if (!v) goto fail;
    d->sources = v;
    d->cap_sources = cap;
  }
  s->path = p;
  s->text = text;
  s->len = len;
  d->sources[d->nsources++] = s;
  return s;
fail:
  free(s);
  free(p);
  free(text);
  errno = ENOMEM;
  return NULL;
}

const PcnSource *pcn_diag_add_source(PcnDiag *d, const char *path,
                                     const char *text, size_t len) {
  char *copy = malloc(len + 1);
  if (!copy) {
    errno = ENOMEM;
    return NULL;
  }
  if (len) memcpy(copy, text, len);
  copy[len] = '\0';
  return add_owned(d, path, copy, len);
}

const PcnSource *pcn_diag_load_file(PcnDiag *d, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  /* Read in chunks rather than trusting a size from fseek: pipes and
   * /proc files have none. */
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  if (!buf) {
    fclose(f);
    errno = ENOMEM;
    return NULL;
  }
  for (;;) {
    if (cap - len < 2) {
      if (cap >= PCN_SOURCE_MAX_BYTES) { /* e.g. /dev/zero: never ends */
        free(buf);
        fclose(f);
        errno = EFBIG;
        return NULL;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        fclose(f);
        errno = ENOMEM;
        return NULL;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    int e = errno ? errno : EIO; /* e.g. EISDIR for a directory */
    free(buf);
    fclose(f);
    errno = e;
    return NULL;
  }
  fclose(f);
  buf[len] = '\0';
  return add_owned(d, path, buf, len);
}

static char *vformat(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return strdup(fmt);
  char *s = malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

static int record(PcnDiag *d, PcnSeverity sev, PcnSpan span, char *msg) {
  if (!msg) return -1;
  if (d->nitems == d->cap_items) {
    int cap = d->cap_items ? 2 * d->cap_items : 16;
    PcnDiagnostic *v = realloc(d->items, (size_t)cap * sizeof *v);
    if (!v) {
      free(msg);
      return -1;
    }
    d->items = v;
    d->cap_items = cap;
  }
  PcnDiagnostic *it = &d->items[d->nitems];
  memset(it, 0, sizeof *it);
  it->sev = sev;
  it->span = span;
  it->msg = msg;
  if (sev == PCN_SEV_ERROR) d->nerrors++;
  if (sev == PCN_SEV_WARNING) d->nwarnings++;
  return d->nitems++;
}

int pcn_diag_vemit(PcnDiag *d, PcnSeverity sev, PcnSpan span, const char *fmt,
                   va_list ap) {
  if (sev == PCN_SEV_ERROR && d->max_errors > 0 &&
      d->nerrors >= d->max_errors) {
    /* One closing error marks the cut; nerrors then stays at max + 1 so
     * callers can tell the sink is saturated. */
    if (d->nerrors == d->max_errors)
      record(d, PCN_SEV_ERROR, span, strdup("too many errors, stopping"));
    return -1;
  }
  return record(d, sev, span, vformat(fmt, ap));
}

int pcn_diag_error(PcnDiag *d, PcnSpan span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int idx = pcn_diag_vemit(d, PCN_SEV_ERROR, span, fmt, ap);
  va_end(ap);
  return idx;
}

int pcn_diag_warning(PcnDiag *d, PcnSpan span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int idx = pcn_diag_vemit(d, PCN_SEV_WARNING, span, fmt, ap);
  va_end(ap);
  return idx;
}

void pcn_diag_note(PcnDiag *d, int idx, PcnSpan span, const char *fmt, ...) {
  if (idx < 0 || idx >= d->nitems) return;
  PcnDiagnostic *it = &d->items[idx];
  PcnDiagNote *v = realloc(it->notes, (size_t)(it->nnotes + 1) * sizeof *v);
  if (!v) return;
  it->notes = v;
  va_list ap;
  va_start(ap, fmt);
  char *msg = vformat(fmt, ap);
  va_end(ap);
  if (!msg) return;
  it->notes[it->nnotes].span = span;
  it->notes[it->nnotes].msg = msg;
  it->nnotes++;
}

PcnSpan pcn_span_join(PcnSpan a, PcnSpan b) {
  if (!a.src) return b;
  if (!b.src || a.src != b.src) return a;
  PcnSpan r = a;
  if (b.line < a.line || (b.line == a.line && b.col < a.col)) {
    r.line = b.line;
    r.col = b.col;
  }
  if (b.end_line > a.end_line ||
      (b.end_line == a.end_line && b.end_col > a.end_col)) {
    r.end_line = b.end_line;
    r.end_col = b.end_col;
  }
  return r;
}

/* ---- rendering ---- */

typedef struct Style {
  const char *bold, *sev, *reset;
} Style;

static const char *sev_name(PcnSeverity s) {
  return s == PCN_SEV_ERROR ? "error" : s == PCN_SEV_WARNING ? "warning" : "note";
}

static const char *sev_color(PcnSeverity s) {
  return s == PCN_SEV_ERROR     ? "\033[1;31m"
         : s == PCN_SEV_WARNING ? "\033[1;35m"
                                : "\033[1;36m";
}

/* Finds line `line` (1-based) of src; returns its start and sets *len to
 * its length without the newline. NULL when the line does not exist. */
static const char *find_line(const PcnSource *src, int line, size_t *len) {
  const char *p = src->text, *end = src->text + src->len;
  for (int l = 1; l < line; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return NULL;
    p = nl + 1;
  }
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
  if (n && p[n - 1] == '\r') n--; /* CRLF files */
  *len = n;
  return p;
}

/* Display column (0-based) of byte offset `off` in a line, with tabs
 * expanded to PCN_TAB_STOP and every other byte one column wide. */
static size_t display_col(const char *line, size_t len, size_t off) {
  size_t c = 0;
  for (size_t i = 0; i < off; i++) {
    if (i < len && line[i] == '\t')
      c = (c / PCN_TAB_STOP + 1) * PCN_TAB_STOP;
    else
      c++;
  }
  return c;
}

/* Writes the display columns [from, to) of the line, tabs expanded and
 * unsafe bytes replaced. */
static void echo_line(FILE *out, const char *line, size_t len, size_t from,
                      size_t to) {
  size_t c = 0;
  for (size_t i = 0; i < len && c < to; i++) {
    unsigned char ch = (unsigned char)line[i];
    if (ch == '\t') {
      size_t next = (c / PCN_TAB_STOP + 1) * PCN_TAB_STOP;
      for (; c < next && c < to; c++)
        if (c >= from) fputc(' ', out);
      continue;
    }
    if (c >= from) fputc(ch >= 0x20 && ch < 0x7f ? (int)ch : '?', out);
    c++;
  }
}

static void print_snippet(FILE *out, PcnSeverity sev, PcnSpan sp,
                          const Style *st) {
  size_t len = 0;
  const char *line = find_line(sp.src, sp.line, &len);
  if (!line) return;
  size_t start = sp.col > 0 ? (size_t)sp.col - 1 : 0;
  size_t stop; /* one past the last underlined byte */
  if (sp.end_line > sp.line)
    stop = len > start ? len : start + 1; /* multi-line: to end of line */
  else if (sp.end_col >= sp.col)
    stop = (size_t)sp.end_col;
  else
    stop = start + 1; /* empty span: a lone caret */
  size_t dc0 = display_col(line, len, start);
  size_t dc1 = display_col(line, len, stop);
  if (dc1 <= dc0) dc1 = dc0 + 1;
  size_t width = display_col(line, len, len);

  /* Cut long lines to a window that starts a little before the span. */
  size_t from = 0, to = width;
  if (width > PCN_MAX_ECHO) {
    from = dc0 > PCN_ECHO_LEAD ? dc0 - PCN_ECHO_LEAD : 0;
    to = from + PCN_MAX_ECHO;
    if (to > width) to = width;
    if (dc1 > to) dc1 = to > dc0 ? to : dc0 + 1;
  }
  const char *pre = from > 0 ? "..." : "";
  const char *post = to < width ? "..." : "";

  char num[32];
  int w = snprintf(num, sizeof num, "%4d", sp.line);
  fprintf(out, " %s | %s", num, pre);
  echo_line(out, line, len, from, to);
  fprintf(out, "%s\n", post);
  fprintf(out, " %*s | %s", w, "", pre[0] ? "   " : "");
  for (size_t c = from; c < dc0; c++) fputc(' ', out);
  fputs(st->sev, out);
  fputc('^', out);
  for (size_t c = dc0 + 1; c < dc1; c++) fputc('~', out);
  fprintf(out, "%s\n", st->reset);
  (void)sev;
}

static void print_one(FILE *out, PcnSeverity sev, PcnSpan sp, const char *msg,
                      int color) {
  Style st = {"", "", ""};
  if (color) {
    st.bold = "\033[1m";
    st.sev = sev_color(sev);
    st.reset = "\033[0m";
  }
  fputs(st.bold, out);
  if (sp.src) {
    fprintf(out, "%s:%d:%d: ", sp.src->path, sp.line, sp.col);
  } else {
    fputs("pcnc: ", out);
  }
  fprintf(out, "%s%s:%s%s %s%s\n", st.sev, sev_name(sev), st.reset, st.bold,
          msg, st.reset);
  if (sp.src && sp.line > 0) print_snippet(out, sev, sp, &st);
}

void pcn_diag_print(const PcnDiag *d, FILE *out, int color) {
  if (color < 0) {
    const char *nc = getenv("NO_COLOR");
    color = isatty(fileno(out)) && !(nc && nc[0]);
  }
  for (int i = 0; i < d->nitems; i++) {
    const PcnDiagnostic *it = &d->items[i];
    print_one(out, it->sev, it->span, it->msg, color);
    for (int j = 0; j < it->nnotes; j++)
      print_one(out, PCN_SEV_NOTE, it->notes[j].span, it->notes[j].msg, color);
  }
}
