/*
 * jsonl.c - the JSON Lines log reader (see jsonl.h).
 *
 * A recursive-descent parser over one line; the nesting depth is capped at
 * one inner object, which is all the logs ever hold and keeps a hostile
 * line from recursing deeply.
 */
#include "jsonl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
  const char *s, *end, *start;
  char *err;
  size_t errlen;
  bool failed;
} Parser;

static void fail(Parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first error only: later ones are consequences. */
static void fail(Parser *p, const char *fmt, ...) {
  if (p->failed) return;
  p->failed = true;
  if (!p->err || p->errlen == 0) return;
  int n = snprintf(p->err, p->errlen, "col %d: ", (int)(p->s - p->start) + 1);
  if (n < 0 || (size_t)n >= p->errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

static void skip_ws(Parser *p) {
  while (p->s < p->end &&
         (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' || *p->s == '\n'))
    p->s++;
}

static const char *describe(Parser *p) {
  if (p->s >= p->end) return "end of line";
  return "unexpected character";
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Appends code point cp as UTF-8. */
static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static bool read_hex4(Parser *p, unsigned *out) {
  if (p->end - p->s < 4) {
    fail(p, "truncated \\u escape");
    return false;
  }
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(p->s[i]);
    if (h < 0) {
      fail(p, "bad \\u escape");
      return false;
    }
    v = v * 16 + (unsigned)h;
  }
  p->s += 4;
  *out = v;
  return true;
}

/* string: '"' chars '"'. The decoded text is never longer than the source
 * (every escape shrinks or keeps its length), so one allocation fits. */
static char *parse_string(Parser *p) {
  if (p->s >= p->end || *p->s != '"') {
    fail(p, "expected a string (%s)", describe(p));
    return NULL;
  }
  p->s++;
  char *out = malloc((size_t)(p->end - p->s) + 1);
  if (!out) {
    fail(p, "out of memory");
    return NULL;
  }
  size_t n = 0;
  for (;;) {
    if (p->s >= p->end) {
      fail(p, "unterminated string");
      break;
    }
    unsigned char c = (unsigned char)*p->s;
    if (c == '"') {
      p->s++;
      out[n] = '\0';
      return out;
    }
    if (c < 0x20) {
      fail(p, "control character in a string");
      break;
    }
    if (c != '\\') {
      out[n++] = (char)c;
      p->s++;
      continue;
    }
    p->s++;
    if (p->s >= p->end) {
      fail(p, "unterminated string");
      break;
    }
    char e = *p->s++;
    const char *simple = strchr("\"\\/bfnrt", e);
    if (e && simple) {
      static const char map[] = "\"\\/\b\f\n\r\t";
      out[n++] = map[simple - "\"\\/bfnrt"];
      continue;
    }
    if (e != 'u') {
      p->s--;
      fail(p, "bad escape '\\%c'", e);
      break;
    }
    unsigned cp;
    if (!read_hex4(p, &cp)) break;
    if (cp >= 0xD800 && cp < 0xDC00) {
      /* A surrogate pair: the low half must follow. */
      unsigned lo;
      if (p->end - p->s < 2 || p->s[0] != '\\' || p->s[1] != 'u') {
        fail(p, "lone surrogate in \\u escape");
        break;
      }
      p->s += 2;
      if (!read_hex4(p, &lo)) break;
      if (lo < 0xDC00 || lo > 0xDFFF) {
        fail(p, "bad surrogate pair in \\u escape");
        break;
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    n += put_utf8(out + n, cp);
  }
  free(out);
  return NULL;
}

/* number: JSON's grammar, checked by hand, then converted by strtod. */
static bool parse_number(Parser *p, double *out) {
  const char *b = p->s, *q = p->s;
  if (q < p->end && *q == '-') q++;
  if (q >= p->end || *q < '0' || *q > '9') {
    fail(p, "bad number");
    return false;
  }
  if (*q == '0') {
    q++;
  } else {
    while (q < p->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < p->end && *q == '.') {
    q++;
    if (q >= p->end || *q < '0' || *q > '9') {
      p->s = q;
      fail(p, "bad number: digits must follow '.'");
      return false;
    }
    while (q < p->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < p->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < p->end && (*q == '+' || *q == '-')) q++;
    if (q >= p->end || *q < '0' || *q > '9') {
      p->s = q;
      fail(p, "bad number: digits must follow the exponent");
      return false;
    }
    while (q < p->end && *q >= '0' && *q <= '9') q++;
  }
  char buf[64];
  size_t len = (size_t)(q - b);
  if (len >= sizeof buf) {
    fail(p, "number too long");
    return false;
  }
  memcpy(buf, b, len);
  buf[len] = '\0';
  *out = strtod(buf, NULL); /* overflow gives +-HUGE_VAL: kept as Inf */
  p->s = q;
  return true;
}

static bool match_word(Parser *p, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(p->end - p->s) >= n && memcmp(p->s, w, n) == 0) {
    p->s += n;
    return true;
  }
  return false;
}

static bool parse_object(Parser *p, PcnJsonObject *o, int depth);

/* value: string | number | true | false | null | object (depth-limited) */
static bool parse_value(Parser *p, PcnJsonValue *v, int depth) {
  memset(v, 0, sizeof *v);
  skip_ws(p);
  if (p->s >= p->end) {
    fail(p, "expected a value (end of line)");
    return false;
  }
  char c = *p->s;
  if (c == '"') {
    v->type = PCN_JSON_STRING;
    v->str = parse_string(p);
    return v->str != NULL;
  }
  if (c == '{') {
    if (depth >= 1) {
      fail(p, "objects nested more than one level are not supported");
      return false;
    }
    v->type = PCN_JSON_OBJECT;
    return parse_object(p, &v->obj, depth + 1);
  }
  if (c == '[') {
    fail(p, "arrays are not supported in logs");
    return false;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    v->type = PCN_JSON_NUMBER;
    return parse_number(p, &v->num);
  }
  if (match_word(p, "true")) {
    v->type = PCN_JSON_BOOL;
    v->b = true;
    return true;
  }
  if (match_word(p, "false")) {
    v->type = PCN_JSON_BOOL;
    return true;
  }
  if (match_word(p, "null")) {
    v->type = PCN_JSON_NULL;
    return true;
  }
  fail(p, "expected a value");
  return false;
}

static void value_free(PcnJsonValue *v) {
  if (v->type == PCN_JSON_STRING) free(v->str);
  if (v->type == PCN_JSON_OBJECT) pcn_json_object_free(&v->obj);
}

/* object: '{' [ string ':' value { ',' string ':' value } ] '}' */
static bool parse_object(Parser *p, PcnJsonObject *o, int depth) {
  memset(o, 0, sizeof *o);
  skip_ws(p);
  if (p->s >= p->end || *p->s != '{') {
    fail(p, "expected '{' (%s)", describe(p));
    return false;
  }
  p->s++;
  skip_ws(p);
  if (p->s < p->end && *p->s == '}') {
    p->s++;
    return true;
  }
  int cap = 0;
  for (;;) {
    skip_ws(p);
    char *key = parse_string(p);
    if (!key) return false;
    skip_ws(p);
    if (p->s >= p->end || *p->s != ':') {
      free(key);
      fail(p, "expected ':' after a key (%s)", describe(p));
      return false;
    }
    p->s++;
    if (o->n == cap) {
      int ncap = cap ? cap * 2 : 16;
      char **k = realloc(o->keys, (size_t)ncap * sizeof *k);
      if (k) o->keys = k;
      PcnJsonValue *vs = k ? realloc(o->values, (size_t)ncap * sizeof *vs) : NULL;
      if (vs) o->values = vs;
      if (!k || !vs) {
        free(key);
        fail(p, "out of memory");
        return false;
      }
      cap = ncap;
    }
    o->keys[o->n] = key;
    /* Counted before parsing so that a failed value is freed with the
     * object (parse_value leaves it in a freeable state). */
    bool ok = parse_value(p, &o->values[o->n], depth);
    o->n++;
    if (!ok) return false;
    skip_ws(p);
    if (p->s < p->end && *p->s == ',') {
      p->s++;
      continue;
    }
    if (p->s < p->end && *p->s == '}') {
      p->s++;
      return true;
    }
    fail(p, "expected ',' or '}' (%s)", describe(p));
    return false;
  }
}

int pcn_json_parse(const char *text, size_t len, PcnJsonObject *out, char *err,
                   size_t errlen) {
  Parser p = {text, text + len, text, err, errlen, false};
  if (err && errlen) err[0] = '\0';
  bool ok = parse_object(&p, out, 0);
  if (ok) {
    skip_ws(&p);
    if (p.s < p.end) {
      fail(&p, "text after the object");
      ok = false;
    }
  }
  if (!ok) {
    pcn_json_object_free(out);
    return -1;
  }
  return 0;
}

void pcn_json_object_free(PcnJsonObject *o) {
  for (int i = 0; i < o->n; i++) {
    free(o->keys[i]);
    value_free(&o->values[i]);
  }
  free(o->keys);
  free(o->values);
  memset(o, 0, sizeof *o);
}

const PcnJsonValue *pcn_json_get(const PcnJsonObject *o, const char *key) {
  for (int i = 0; i < o->n; i++)
    if (strcmp(o->keys[i], key) == 0) return &o->values[i];
  return NULL;
}

bool pcn_json_number(const PcnJsonObject *o, const char *key, double *out) {
  const PcnJsonValue *v = pcn_json_get(o, key);
  if (!v || v->type != PCN_JSON_NUMBER) return false;
  *out = v->num;
  return true;
}

const char *pcn_json_string(const PcnJsonObject *o, const char *key) {
  const PcnJsonValue *v = pcn_json_get(o, key);
  return v && v->type == PCN_JSON_STRING ? v->str : NULL;
}

bool pcn_json_bool(const PcnJsonObject *o, const char *key, bool *out) {
  const PcnJsonValue *v = pcn_json_get(o, key);
  if (!v || v->type != PCN_JSON_BOOL) return false;
  *out = v->b;
  return true;
}

/* ---- files ------------------------------------------------------------ */

int pcn_jsonl_read(const char *path, PcnJsonl *out, FILE *warn, char *err,
                   size_t errlen) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int lineno = 0, ocap = 0;
  int rc = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    size_t n = (size_t)len;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k == n) continue; /* blank */
    if (memchr(line, '\0', n)) {
      out->nbad++;
      if (warn)
        fprintf(warn, "%s:%d: malformed line skipped: NUL byte\n", path,
                lineno);
      continue;
    }
    if (out->n == ocap) {
      int ncap = ocap ? ocap * 2 : 32;
      PcnJsonObject *o = realloc(out->objs, (size_t)ncap * sizeof *o);
      if (o) out->objs = o;
      int *l = o ? realloc(out->lines, (size_t)ncap * sizeof *l) : NULL;
      if (l) out->lines = l;
      if (!o || !l) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = -1;
        break;
      }
      ocap = ncap;
    }
    char perr[160];
    if (pcn_json_parse(line, n, &out->objs[out->n], perr, sizeof perr) != 0) {
      out->nbad++;
      /* perr starts with "col N: " : turn it into path:line:col: */
      if (warn) {
        int col = 0;
        const char *msg = perr;
        if (sscanf(perr, "col %d:", &col) == 1) {
          const char *c = strchr(perr, ':');
          msg = c ? c + 2 : perr;
        }
        fprintf(warn, "%s:%d:%d: malformed line skipped: %s\n", path, lineno,
                col, msg);
      }
      continue;
    }
    out->lines[out->n++] = lineno;
  }
  if (rc == 0 && ferror(f)) {
    snprintf(err, errlen, "%s: read error", path);
    rc = -1;
  }
  free(line);
  fclose(f);
  if (rc != 0) pcn_jsonl_free(out);
  return rc;
}

void pcn_jsonl_free(PcnJsonl *l) {
  for (int i = 0; i < l->n; i++) pcn_json_object_free(&l->objs[i]);
  free(l->objs);
  free(l->lines);
  memset(l, 0, sizeof *l);
}
