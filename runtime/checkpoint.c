/* checkpoint.c - versioned binary checkpoints of a plan's parameters.
 * The format is documented in pcn/checkpoint.h. */
#include "pcn/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "exec_internal.h"
#include "pcn/schedule.h"

#define MAGIC_LEN 8
#define HEADER_LEN (MAGIC_LEN + 4 + 8) /* magic, version, payload length */

/* Record types of an initializer's state section. */
enum { REC_END = 0, REC_F32 = 1, REC_I64 = 2 };

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- writing ------------------------------------------------------------ */

/* A sink that either counts bytes (f == NULL) or writes them, keeping the
 * CRC of everything written, so the payload is serialized by one function
 * twice: once to learn its length, once for real. */
typedef struct Writer {
  FILE *f;
  uint64_t bytes;
  uLong crc;
  bool failed;
} Writer;

static void w_bytes(Writer *w, const void *data, size_t n) {
  if (n == 0) return;
  w->bytes += n;
  if (!w->f || w->failed) return;
  if (fwrite(data, 1, n, w->f) != n) w->failed = true;
  /* zlib's crc32 takes uInt lengths: feed large buffers in pieces. */
  const unsigned char *p = data;
  while (n > 0) {
    uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
    w->crc = crc32(w->crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
}

static void w_u8(Writer *w, unsigned v) {
  unsigned char b = (unsigned char)v;
  w_bytes(w, &b, 1);
}

static void w_u32(Writer *w, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                        (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
  w_bytes(w, b, 4);
}

static void w_u64(Writer *w, uint64_t v) {
  w_u32(w, (uint32_t)v);
  w_u32(w, (uint32_t)(v >> 32));
}

static void w_str(Writer *w, const char *s) {
  size_t n = strlen(s);
  w_u32(w, (uint32_t)n);
  w_bytes(w, s, n);
}

/* Floats go out little-endian whatever the host is; converting in chunks
 * keeps the number of fwrite calls small for big matrices. */
static void w_floats(Writer *w, const float *x, size_t n) {
  unsigned char buf[4096];
  size_t fill = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], 4);
    buf[fill++] = (unsigned char)u;
    buf[fill++] = (unsigned char)(u >> 8);
    buf[fill++] = (unsigned char)(u >> 16);
    buf[fill++] = (unsigned char)(u >> 24);
    if (fill == sizeof buf) {
      w_bytes(w, buf, fill);
      fill = 0;
    }
  }
  w_bytes(w, buf, fill);
}

/* ---- initializer state: writing ------------------------------------------ */

struct PcnStateWriter {
  Writer *w;
};

void pcn_state_write_floats(PcnStateWriter *sw, const char *name, int rows,
                            int cols, const float *x) {
  w_u8(sw->w, REC_F32);
  w_str(sw->w, name);
  w_u32(sw->w, (uint32_t)rows);
  w_u32(sw->w, (uint32_t)cols);
  w_floats(sw->w, x, (size_t)rows * (size_t)cols);
}

void pcn_state_write_ints(PcnStateWriter *sw, const char *name, int count,
                          const int64_t *x) {
  w_u8(sw->w, REC_I64);
  w_str(sw->w, name);
  w_u32(sw->w, 1);
  w_u32(sw->w, (uint32_t)count);
  for (int i = 0; i < count; i++) w_u64(sw->w, (uint64_t)x[i]);
}

void pcn_state_write_int(PcnStateWriter *sw, const char *name, int64_t v) {
  pcn_state_write_ints(sw, name, 1, &v);
}

/* The initializers whose state goes into a checkpoint, in kind order. */
static bool saves_state(const PcnPlan *p, int k) {
  return p->inits[k] && p->inits[k]->save_state && p->inits[k]->load_state;
}

/* The name a parameter is stored under: "src->dst" for an edge's W, the
 * node's name for its bias. */
static void param_name(const PcnGraph *g, const PcnBuffer *b, char *out,
                       size_t outlen) {
  if (b->kind == PCN_BUF_W)
    snprintf(out, outlen, "%s->%s", g->nodes[g->edges[b->edge].src].name,
             g->nodes[g->edges[b->edge].dst].name);
  else
    snprintf(out, outlen, "%s", g->nodes[b->node].name);
}

static void write_payload(Writer *w, PcnPlan *p, const char *model,
                          int epoch) {
  const PcnSchedule *s = pcn_plan_schedule(p);
  const PcnGraph *g = s->graph;
  w_str(w, model);
  w_u32(w, (uint32_t)epoch);
  w_u64(w, (uint64_t)pcn_plan_learn_steps(p));
  w_u32(w, (uint32_t)g->nnodes);
  for (int i = 0; i < g->nnodes; i++) {
    w_str(w, g->nodes[i].name);
    w_u32(w, (uint32_t)g->nodes[i].size);
  }
  int np = pcn_plan_nparams(p);
  w_u32(w, (uint32_t)np);
  for (int i = 0; i < np; i++) {
    int bi = pcn_plan_param_buffer(p, i);
    const PcnBuffer *b = &s->buffers[bi];
    char name[600];
    param_name(g, b, name, sizeof name);
    size_t count = (size_t)b->rows * (size_t)b->cols;
    w_u8(w, b->kind == PCN_BUF_W ? 0 : 1);
    w_str(w, name);
    w_u32(w, (uint32_t)b->rows);
    w_u32(w, (uint32_t)b->cols);
    w_floats(w, pcn_plan_buffer(p, bi), count);
    float *m = pcn_plan_moment(p, bi, 1), *v = pcn_plan_moment(p, bi, 2);
    if (m && v) {
      w_u8(w, 2);
      w_floats(w, m, count);
      w_floats(w, v, count);
    } else {
      w_u8(w, 0);
    }
  }
  uint32_t nsec = 0;
  for (int k = 0; k < PCN_INIT_COUNT; k++) nsec += saves_state(p, k);
  w_u32(w, nsec);
  for (int k = 0; k < PCN_INIT_COUNT; k++) {
    if (!saves_state(p, k)) continue;
    PcnStateWriter sw = {w};
    w_str(w, p->inits[k]->name);
    p->inits[k]->save_state(p, p->init_state[k], &sw);
    w_u8(w, REC_END);
  }
}

int pcn_checkpoint_save(PcnPlan *p, const char *path, const char *model,
                        int epoch, char *err, size_t errlen) {
  Writer count = {0};
  write_payload(&count, p, model, epoch);

  size_t tlen = strlen(path) + 5;
  char *tmp = malloc(tlen);
  if (!tmp) {
    set_err(err, errlen, "%s: out of memory", path);
    return -1;
  }
  snprintf(tmp, tlen, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    set_err(err, errlen, "%s: cannot write checkpoint: %s", tmp,
            strerror(errno));
    free(tmp);
    return -1;
  }
  /* The header is outside the CRC: magic, version and length are checked
   * on their own, so a wrong file type gets its own message. */
  Writer hdr = {.f = f};
  w_bytes(&hdr, PCN_CKPT_MAGIC, MAGIC_LEN); /* includes the NUL */
  w_u32(&hdr, PCN_CKPT_VERSION);
  w_u64(&hdr, count.bytes);
  Writer w = {.f = f, .crc = crc32(0L, Z_NULL, 0)};
  write_payload(&w, p, model, epoch);
  Writer tail = {.f = f};
  w_u32(&tail, (uint32_t)w.crc);

  int saved_errno = 0;
  bool ok = !hdr.failed && !w.failed && !tail.failed && w.bytes == count.bytes;
  if (ok && fflush(f) != 0) ok = false;
  /* fsync before rename: otherwise a crash can leave the new name pointing
   * at a file whose data never reached the disk. */
  if (ok && fsync(fileno(f)) != 0) ok = false;
  if (!ok) saved_errno = errno;
  if (fclose(f) != 0 && ok) {
    ok = false;
    saved_errno = errno;
  }
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    saved_errno = errno;
  }
  if (!ok) {
    set_err(err, errlen, "%s: cannot write checkpoint: %s", path,
            saved_errno ? strerror(saved_errno) : "write failed");
    remove(tmp);
    free(tmp);
    return -1;
  }
  free(tmp);
  /* Make the rename itself durable; failure here is not worth an error
   * (some filesystems refuse fsync on directories). */
  char *dir = strdup(path);
  if (dir) {
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
      *(slash == dir ? slash + 1 : slash) = '\0';
      d = dir;
    }
    int fd = open(d, O_RDONLY);
    if (fd >= 0) {
      (void)fsync(fd);
      close(fd);
    }
    free(dir);
  }
  return 0;
}

/* ---- reading ------------------------------------------------------------ */

/* A bounds-checked cursor over the payload. Any read past the end sets
 * `bad` and returns zeros, so parsing code checks once per record. */
typedef struct Reader {
  const unsigned char *p;
  size_t len, pos;
  bool bad;
} Reader;

static const unsigned char *r_take(Reader *r, size_t n) {
  if (r->bad || n > r->len - r->pos) {
    r->bad = true;
    return NULL;
  }
  const unsigned char *q = r->p + r->pos;
  r->pos += n;
  return q;
}

static uint32_t le32(const unsigned char *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
}

static uint32_t r_u32(Reader *r) {
  const unsigned char *b = r_take(r, 4);
  return b ? le32(b) : 0;
}

static uint64_t r_u64(Reader *r) {
  uint64_t lo = r_u32(r);
  uint64_t hi = r_u32(r);
  return lo | hi << 32;
}

static unsigned r_u8(Reader *r) {
  const unsigned char *b = r_take(r, 1);
  return b ? b[0] : 0;
}

/* A string as (pointer, length): names in the file are not terminated. */
typedef struct Str {
  const char *s;
  uint32_t n;
} Str;

static Str r_str(Reader *r) {
  Str out = {"", 0};
  uint32_t n = r_u32(r);
  const unsigned char *b = r_take(r, n);
  if (b) {
    out.s = (const char *)b;
    out.n = n;
  }
  return out;
}

static bool str_eq(Str a, const char *b) {
  return strlen(b) == a.n && memcmp(a.s, b, a.n) == 0;
}

static void r_floats(const unsigned char *src, float *dst, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t u = le32(src + 4 * i);
    memcpy(&dst[i], &u, 4);
  }
}

/* ---- initializer state: reading ------------------------------------------ */

/* One record of a state section, located by the validation pass. */
typedef struct Rec {
  unsigned type; /* REC_F32 or REC_I64 */
  Str name;
  uint32_t rows, cols;
  const unsigned char *data;
  bool used;     /* asked for by the initializer's checking pass */
} Rec;

typedef struct Section {
  Str init;      /* the initializer's name */
  Rec *recs;
  int nrecs;
  int kind;      /* the plan's initializer of that name, or -1 */
} Section;

typedef struct Sections {
  Section *sec;
  int n;
} Sections;

static void sections_free(Sections *ss) {
  for (int i = 0; i < ss->n; i++) free(ss->sec[i].recs);
  free(ss->sec);
  ss->sec = NULL;
  ss->n = 0;
}

static bool str_same(Str a, Str b) {
  return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

/* Parses the state sections (format version 2) into ss. -1 on anything
 * inconsistent (the CRC matched, so that is not our file). */
static int parse_sections(Reader *r, Sections *ss) {
  uint32_t nsec = r_u32(r);
  if (r->bad || nsec > PCN_INIT_COUNT * 16u) return -1;
  ss->sec = calloc((size_t)nsec + 1, sizeof *ss->sec);
  if (!ss->sec) return -1;
  for (uint32_t i = 0; i < nsec; i++) {
    Section *sc = &ss->sec[ss->n++];
    sc->init = r_str(r);
    sc->kind = -1;
    if (r->bad) return -1;
    for (uint32_t j = 0; j < i; j++)
      if (str_same(ss->sec[j].init, sc->init)) return -1;
    int cap = 0;
    for (;;) {
      unsigned type = r_u8(r);
      if (r->bad) return -1;
      if (type == REC_END) break;
      if (type != REC_F32 && type != REC_I64) return -1;
      Rec rec = {type, r_str(r), 0, 0, NULL, false};
      rec.rows = r_u32(r);
      rec.cols = r_u32(r);
      if (r->bad) return -1;
      uint64_t count = (uint64_t)rec.rows * rec.cols;
      if (count > r->len) return -1; /* also keeps the product below */
      rec.data = r_take(r, (size_t)count * (type == REC_F32 ? 4u : 8u));
      if (r->bad) return -1;
      for (int k = 0; k < sc->nrecs; k++)
        if (str_same(sc->recs[k].name, rec.name)) return -1;
      if (sc->nrecs == cap) {
        cap = cap ? 2 * cap : 8;
        Rec *g = realloc(sc->recs, (size_t)cap * sizeof *g);
        if (!g) return -1;
        sc->recs = g;
      }
      sc->recs[sc->nrecs++] = rec;
    }
  }
  return 0;
}

struct PcnStateReader {
  const char *path;
  const char *init;  /* initializer name, for messages */
  Section *sec;
  bool checking;
  char msg[512];
};

bool pcn_state_reader_checking(const PcnStateReader *r) { return r->checking; }

static Rec *find_rec(PcnStateReader *r, const char *name, unsigned type,
                     uint32_t rows, uint32_t cols) {
  Rec *rec = NULL;
  for (int i = 0; i < r->sec->nrecs && !rec; i++)
    if (str_eq(r->sec->recs[i].name, name)) rec = &r->sec->recs[i];
  const char *tn = type == REC_F32 ? "float" : "integer";
  if (!rec) {
    set_err(r->msg, sizeof r->msg, "checkpoint '%s' has no %s state '%s' "
            "(%ux%u %s)", r->path, r->init, name, rows, cols, tn);
    return NULL;
  }
  if (rec->type != type) {
    set_err(r->msg, sizeof r->msg, "checkpoint '%s' has %s state '%s' of "
            "%s type, the model has %s", r->path, r->init, name,
            rec->type == REC_F32 ? "float" : "integer", tn);
    return NULL;
  }
  if (rec->rows != rows || rec->cols != cols) {
    set_err(r->msg, sizeof r->msg, "checkpoint '%s' has %s state '%s' of "
            "%ux%u, the model has %ux%u", r->path, r->init, name, rec->rows,
            rec->cols, rows, cols);
    return NULL;
  }
  rec->used = true;
  return rec;
}

int pcn_state_record_shape(PcnStateReader *r, const char *name, int *rows,
                           int *cols) {
  for (int i = 0; i < r->sec->nrecs; i++) {
    const Rec *rec = &r->sec->recs[i];
    if (rec->type != REC_F32 || !str_eq(rec->name, name)) continue;
    if (rec->rows > INT32_MAX || rec->cols > INT32_MAX) return -1;
    *rows = (int)rec->rows;
    *cols = (int)rec->cols;
    return 0;
  }
  return -1;
}

int pcn_state_read_floats(PcnStateReader *r, const char *name, int rows,
                          int cols, float *dst) {
  Rec *rec = find_rec(r, name, REC_F32, (uint32_t)rows, (uint32_t)cols);
  if (!rec) return -1;
  if (!r->checking) r_floats(rec->data, dst, (size_t)rows * (size_t)cols);
  return 0;
}

int pcn_state_read_ints(PcnStateReader *r, const char *name, int count,
                        int64_t *dst) {
  Rec *rec = find_rec(r, name, REC_I64, 1, (uint32_t)count);
  if (!rec) return -1;
  /* Integers are copied in the checking pass too: hooks read them into
   * locals or scratch and may validate their values there. */
  for (int i = 0; i < count; i++)
      dst[i] = (int64_t)((uint64_t)le32(rec->data + 8 * i) |
                         (uint64_t)le32(rec->data + 8 * i + 4) << 32);
  return 0;
}

int pcn_state_read_int(PcnStateReader *r, const char *name, int64_t *dst) {
  return pcn_state_read_ints(r, name, 1, dst);
}

/* The checking pass of every initializer whose section the file has. */
static int check_sections(PcnPlan *p, const char *path, Sections *ss,
                          char *err, size_t errlen) {
  for (int i = 0; i < ss->n; i++) {
    Section *sc = &ss->sec[i];
    for (int k = 0; k < PCN_INIT_COUNT && sc->kind < 0; k++)
      if (saves_state(p, k) && str_eq(sc->init, p->inits[k]->name)) sc->kind = k;
    /* A section of an initializer the model does not use (any more) is
     * skipped, as a missing one is: the parameters decide the match. */
    if (sc->kind < 0) continue;
    const PcnInitializer *in = p->inits[sc->kind];
    PcnStateReader rd = {path, in->name, sc, true, ""};
    char herr[400] = "";
    if (in->load_state(p, p->init_state[sc->kind], &rd, herr, sizeof herr)) {
      if (rd.msg[0])
        set_err(err, errlen, "%s", rd.msg);
      else
        set_err(err, errlen, "checkpoint '%s': %s state: %s", path, in->name,
                herr[0] ? herr : "refused");
      return -1;
    }
    for (int j = 0; j < sc->nrecs; j++)
      if (!sc->recs[j].used) {
        set_err(err, errlen, "checkpoint '%s' has %s state '%.*s', which the "
                "model does not have", path, in->name,
                (int)sc->recs[j].name.n, sc->recs[j].name.s);
        return -1;
      }
  }
  return 0;
}

/* Reads the whole file; a checkpoint is at most a few GiB and loading it
 * twice over (validate, then copy) from memory keeps the plan untouched
 * when anything is wrong. */
static unsigned char *read_file(const char *path, size_t *len, char *err,
                                size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    set_err(err, errlen, "%s: cannot open checkpoint: %s", path,
            strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    set_err(err, errlen, "%s: not a regular file", path);
    fclose(f);
    return NULL;
  }
  size_t n = (size_t)st.st_size;
  unsigned char *buf = malloc(n ? n : 1);
  if (!buf) {
    set_err(err, errlen, "%s: out of memory reading %zu bytes", path, n);
    fclose(f);
    return NULL;
  }
  if (fread(buf, 1, n, f) != n) {
    set_err(err, errlen, "%s: read error: %s", path, strerror(errno));
    free(buf);
    fclose(f);
    return NULL;
  }
  fclose(f);
  *len = n;
  return buf;
}

/* Where each parameter's data sits in the file, found by the validation
 * pass and used by the copy pass. */
typedef struct ParamAt {
  const unsigned char *data;
  const unsigned char *m, *v; /* NULL when the file has no moments */
} ParamAt;

static int check_and_locate(PcnPlan *p, const char *path, const char *model,
                            uint32_t version, Reader *r, int *epoch,
                            uint64_t *steps, ParamAt *at, Sections *ss,
                            char *err, size_t errlen) {
  const PcnSchedule *s = pcn_plan_schedule(p);
  const PcnGraph *g = s->graph;
  Str name = r_str(r);
  if (r->bad) goto corrupt;
  if (!str_eq(name, model)) {
    set_err(err, errlen, "checkpoint '%s' is of model '%.*s', not '%s'", path,
            (int)name.n, name.s, model);
    return -1;
  }
  uint32_t ep = r_u32(r);
  *steps = r_u64(r);
  uint32_t nn = r_u32(r);
  if (r->bad) goto corrupt;
  /* Out of range, these would overflow a resumed run's counters. */
  if (ep > (uint32_t)PCN_CKPT_MAX_EPOCH) {
    set_err(err, errlen, "checkpoint '%s' is corrupt (epoch %u is out of "
            "range)", path, ep);
    return -1;
  }
  if (*steps > (uint64_t)PCN_CKPT_MAX_STEPS) {
    set_err(err, errlen, "checkpoint '%s' is corrupt (optimizer step count "
            "%llu is out of range)", path, (unsigned long long)*steps);
    return -1;
  }
  *epoch = (int)ep;
  /* Nodes are compared after the parameters: a changed width then shows
   * as the edge whose matrix changed ("edge 'h1->h2' of 512x256, the
   * model has 512x512"), which names the tensor the user will miss. */
  Reader nr = *r;
  for (uint32_t i = 0; i < nn && !r->bad; i++) {
    (void)r_str(r);
    (void)r_u32(r);
  }
  if (r->bad) goto corrupt;
  uint32_t np = r_u32(r);
  int mp = pcn_plan_nparams(p);
  if (r->bad) goto corrupt;
  for (uint32_t i = 0; i < np || i < (uint32_t)mp; i++) {
    char want[600];
    const PcnBuffer *b = NULL;
    if (i < (uint32_t)mp) {
      b = &s->buffers[pcn_plan_param_buffer(p, (int)i)];
      param_name(g, b, want, sizeof want);
    }
    if (i >= np) {
      set_err(err, errlen, "checkpoint '%s' has no %s '%s'", path,
              b->kind == PCN_BUF_W ? "edge" : "bias of node", want);
      return -1;
    }
    unsigned kind = r_u8(r);
    Str nm = r_str(r);
    uint32_t rows = r_u32(r), cols = r_u32(r);
    if (r->bad || kind > 1) goto corrupt;
    const char *what = kind == 0 ? "edge" : "bias of node";
    if (!b) {
      set_err(err, errlen, "checkpoint '%s' has %s '%.*s', which the model "
              "does not have", path, what, (int)nm.n, nm.s);
      return -1;
    }
    if ((kind == 0) != (b->kind == PCN_BUF_W) || !str_eq(nm, want)) {
      set_err(err, errlen, "checkpoint '%s' has %s '%.*s' where the model has "
              "%s '%s'", path, what, (int)nm.n, nm.s,
              b->kind == PCN_BUF_W ? "edge" : "bias of node", want);
      return -1;
    }
    if (rows != (uint32_t)b->rows || cols != (uint32_t)b->cols) {
      set_err(err, errlen, "checkpoint '%s' has %s '%s' of %ux%u, the model "
              "has %dx%d", path, what, want, rows, cols, b->rows, b->cols);
      return -1;
    }
    size_t bytes = (size_t)rows * cols * 4;
    at[i].data = r_take(r, bytes);
    unsigned nm_moments = r_u8(r);
    at[i].m = at[i].v = NULL;
    if (nm_moments == 2) {
      at[i].m = r_take(r, bytes);
      at[i].v = r_take(r, bytes);
    } else if (nm_moments != 0) {
      goto corrupt;
    }
    if (r->bad) goto corrupt;
  }
  /* Version 1 ends here; version 2 adds the initializers' sections. */
  if (version >= 2 && parse_sections(r, ss) != 0) goto corrupt;
  if (r->pos != r->len) goto corrupt;
  for (uint32_t i = 0; i < nn || i < (uint32_t)g->nnodes; i++) {
    if (i >= nn) {
      set_err(err, errlen,
              "checkpoint '%s' has no node '%s' (it has %u nodes, the model "
              "has %d)", path, g->nodes[i].name, nn, g->nnodes);
      return -1;
    }
    Str nm = r_str(&nr);
    uint32_t size = r_u32(&nr);
    if (nr.bad) goto corrupt;
    if (i >= (uint32_t)g->nnodes) {
      set_err(err, errlen,
              "checkpoint '%s' has node '%.*s', which the model does not have",
              path, (int)nm.n, nm.s);
      return -1;
    }
    const PcnNode *v = &g->nodes[i];
    if (!str_eq(nm, v->name)) {
      set_err(err, errlen,
              "checkpoint '%s' has node '%.*s' where the model has node '%s'",
              path, (int)nm.n, nm.s, v->name);
      return -1;
    }
    if (size != (uint32_t)v->size) {
      set_err(err, errlen,
              "checkpoint '%s' has node '%s' of size %u, the model has %d",
              path, v->name, size, v->size);
      return -1;
    }
  }
  return 0;
corrupt:
  /* The CRC matched, so this is a file written by something else that
   * claims our format, or a bug: either way, refuse it. */
  set_err(err, errlen, "checkpoint '%s' is corrupt (inconsistent contents)",
          path);
  return -1;
}

int pcn_checkpoint_load(PcnPlan *p, const char *path, const char *model,
                        int *epoch_out, char *err, size_t errlen) {
  size_t len;
  unsigned char *buf = read_file(path, &len, err, errlen);
  if (!buf) return -1;
  int rc = -1;
  ParamAt *at = NULL;
  Sections ss = {NULL, 0};
  if (len < MAGIC_LEN || memcmp(buf, PCN_CKPT_MAGIC, MAGIC_LEN) != 0) {
    set_err(err, errlen, "checkpoint '%s' is not a pcnc checkpoint (bad magic)",
            path);
    goto out;
  }
  if (len < HEADER_LEN) {
    set_err(err, errlen, "checkpoint '%s' is truncated (%zu bytes)", path, len);
    goto out;
  }
  uint32_t version = le32(buf + MAGIC_LEN);
  if (version < PCN_CKPT_VERSION_MIN || version > PCN_CKPT_VERSION) {
    set_err(err, errlen, "checkpoint '%s' has format version %u; this pcnc "
            "reads versions %u to %u", path, version, PCN_CKPT_VERSION_MIN,
            PCN_CKPT_VERSION);
    goto out;
  }
  uint64_t payload = (uint64_t)le32(buf + MAGIC_LEN + 4) |
                     (uint64_t)le32(buf + MAGIC_LEN + 8) << 32;
  /* payload <= len first, so the sum below cannot overflow. */
  if (payload > len || payload + HEADER_LEN + 4 > len) {
    set_err(err, errlen, "checkpoint '%s' is truncated (%zu bytes, expected "
            "%llu)", path, len, (unsigned long long)payload + HEADER_LEN + 4);
    goto out;
  }
  if (payload + HEADER_LEN + 4 < len) {
    set_err(err, errlen, "checkpoint '%s' is corrupt (%zu bytes, expected "
            "%llu)", path, len, (unsigned long long)payload + HEADER_LEN + 4);
    goto out;
  }
  const unsigned char *body = buf + HEADER_LEN;
  uLong crc = crc32(0L, Z_NULL, 0);
  for (uint64_t off = 0; off < payload;) {
    uInt chunk = payload - off > (1u << 30) ? (1u << 30) : (uInt)(payload - off);
    crc = crc32(crc, body + off, chunk);
    off += chunk;
  }
  if ((uint32_t)crc != le32(body + payload)) {
    set_err(err, errlen, "checkpoint '%s' is corrupt (CRC mismatch)", path);
    goto out;
  }

  int np = pcn_plan_nparams(p);
  at = calloc((size_t)(np > 0 ? np : 1), sizeof *at);
  if (!at) {
    set_err(err, errlen, "%s: out of memory", path);
    goto out;
  }
  Reader r = {body, (size_t)payload, 0, false};
  int epoch = 0;
  uint64_t steps = 0;
  if (check_and_locate(p, path, model, version, &r, &epoch, &steps, at, &ss,
                       err, errlen) ||
      check_sections(p, path, &ss, err, errlen))
    goto out;

  /* Everything matched: only now does the plan change. */
  const PcnSchedule *s = pcn_plan_schedule(p);
  for (int i = 0; i < np; i++) {
    int bi = pcn_plan_param_buffer(p, i);
    size_t count = (size_t)s->buffers[bi].rows * (size_t)s->buffers[bi].cols;
    r_floats(at[i].data, pcn_plan_buffer(p, bi), count);
    float *m = pcn_plan_moment(p, bi, 1), *v = pcn_plan_moment(p, bi, 2);
    if (m && v) {
      if (at[i].m) {
        r_floats(at[i].m, m, count);
        r_floats(at[i].v, v, count);
      } else {
        memset(m, 0, count * sizeof *m);
        memset(v, 0, count * sizeof *v);
      }
    }
  }
  pcn_plan_set_learn_steps(p, (int64_t)steps);
  for (int i = 0; i < ss.n; i++) {
    Section *sc = &ss.sec[i];
    if (sc->kind < 0) continue;
    const PcnInitializer *in = p->inits[sc->kind];
    PcnStateReader rd = {path, in->name, sc, false, ""};
    char herr[400] = "";
    /* Checked above with the same records: cannot fail. */
    (void)in->load_state(p, p->init_state[sc->kind], &rd, herr, sizeof herr);
  }
  if (epoch_out) *epoch_out = epoch;
  rc = 0;
out:
  sections_free(&ss);
  free(at);
  free(buf);
  return rc;
}
