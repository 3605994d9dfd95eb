/* init_memory.c - modern Hopfield layers (Eq. 8, 9) and the `memory(M)`
 * initializer (pcn/memory.h, docs/memory.md). */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "pcn/activations.h"
#include "pcn/checkpoint.h"
#include "pcn/memory.h"
#include "pcn/optim.h"

/* Singular values below this fraction of the largest are treated as zero
 * by the pseudo-inverse: with a sharp softmax (delta = 200) a pattern no
 * sample attends to has a column of A around 1e-20, and with a soft one
 * (small delta) the rows of A are nearly equal; inverting such directions
 * puts huge values in V (|V| up to |h_init| / (rcond sigma_max)), which
 * the next batch, after Q and K moved a little, retrieves: latents of
 * hundreds that saturate the network. 1e-3 keeps V within a thousand
 * times h_init's scale. */
#define PINV_RCOND 1e-3f

struct PcnHopfield {
  int in, out, p, a, e, eh;
  float delta;
  int max_batch;
  float *params, *grads, *m1, *m2; /* Q, b, K, V contiguous (each array) */
  size_t nparams;
  size_t off[PCN_HOP_PARAM_COUNT];
  int64_t steps;
  int *col0; /* [a + 1] column chunk of each head */
  /* scratch for a batch of max_batch rows */
  float *S;  /* [n x e]  O Q + b */
  float *A;  /* [a][n x p] attention per head (stride max_batch * p) */
  float *R;  /* [n x out] */
  float *dR; /* [n x out] */
  float *dS; /* [n x e] */
  float *dA; /* [n x p] */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static float *P(PcnHopfield *m, PcnHopfieldParam w) { return m->params + m->off[w]; }
static float *G(PcnHopfield *m, PcnHopfieldParam w) { return m->grads + m->off[w]; }
static float *Ah(const PcnHopfield *m, int h) {
  return m->A + (size_t)h * m->max_batch * m->p;
}

void pcn_hopfield_free(PcnHopfield *m) {
  if (!m) return;
  free(m->params);
  free(m->grads);
  free(m->m1);
  free(m->m2);
  free(m->col0);
  free(m->S);
  free(m->A);
  free(m->R);
  free(m->dR);
  free(m->dS);
  free(m->dA);
  free(m);
}

PcnHopfield *pcn_hopfield_new(int in, int out, int patterns, int heads, int embed,
                              float delta, uint64_t seed, int stream_index, int max_batch,
                              char *err, size_t errlen) {
  if (in < 1 || out < 1 || patterns < 1 || heads < 1 || embed < 1 || max_batch < 1 ||
      embed % heads != 0 || !(delta > 0.0f) || !isfinite(delta)) {
    set_err(err, errlen, "Hopfield layer: bad shape (in %d, out %d, patterns %d, heads %d, "
            "embed %d, delta %g, batch %d): all >= 1, embed a multiple of heads, delta > 0",
            in, out, patterns, heads, embed, (double)delta, max_batch);
    return NULL;
  }
  PcnHopfield *m = calloc(1, sizeof *m);
  if (!m) goto oom;
  m->in = in, m->out = out, m->p = patterns, m->a = heads, m->e = embed;
  m->eh = embed / heads;
  m->delta = delta;
  m->max_batch = max_batch;
  size_t sizes[PCN_HOP_PARAM_COUNT] = {(size_t)in * embed, (size_t)embed,
                                       (size_t)patterns * embed, (size_t)patterns * out};
  for (int w = 0; w < PCN_HOP_PARAM_COUNT; w++) {
    m->off[w] = m->nparams;
    m->nparams += sizes[w];
  }
  size_t B = (size_t)max_batch;
  m->params = calloc(m->nparams, sizeof(float));
  m->grads = calloc(m->nparams, sizeof(float));
  m->m1 = calloc(m->nparams, sizeof(float));
  m->m2 = calloc(m->nparams, sizeof(float));
  m->col0 = calloc((size_t)heads + 1, sizeof(int));
  m->S = calloc(B * embed, sizeof(float));
  m->A = calloc((size_t)heads * B * patterns, sizeof(float));
  m->R = calloc(B * out, sizeof(float));
  m->dR = calloc(B * out, sizeof(float));
  m->dS = calloc(B * embed, sizeof(float));
  m->dA = calloc(B * patterns, sizeof(float));
  if (!m->params || !m->grads || !m->m1 || !m->m2 || !m->col0 || !m->S || !m->A || !m->R ||
      !m->dR || !m->dS || !m->dA)
    goto oom;
  /* Column chunks: the first out % heads heads get one extra column. */
  for (int h = 0; h < heads; h++)
    m->col0[h + 1] = m->col0[h] + out / heads + (h < out % heads ? 1 : 0);

  PcnRng r;
  pcn_rng_init(&r, seed, (uint64_t)PCN_STREAM_MEMORY + ((uint64_t)stream_index << 32));
  double bq = 1.0 / sqrt((double)in), bk = 1.0 / sqrt((double)m->eh);
  for (size_t i = 0; i < sizes[PCN_HOP_Q]; i++)
    P(m, PCN_HOP_Q)[i] = (float)((2.0 * pcn_rng_uniform(&r) - 1.0) * bq);
  for (size_t i = 0; i < sizes[PCN_HOP_B]; i++)
    P(m, PCN_HOP_B)[i] = (float)((2.0 * pcn_rng_uniform(&r) - 1.0) * bq);
  for (size_t i = 0; i < sizes[PCN_HOP_K]; i++)
    P(m, PCN_HOP_K)[i] = (float)((2.0 * pcn_rng_uniform(&r) - 1.0) * bk);
  return m;
oom:
  pcn_hopfield_free(m);
  set_err(err, errlen, "out of memory for a Hopfield layer (%d patterns, %d x %d)", patterns,
          in, out);
  return NULL;
}

float *pcn_hopfield_param(PcnHopfield *m, PcnHopfieldParam which, int *rows, int *cols) {
  if ((unsigned)which >= PCN_HOP_PARAM_COUNT) return NULL;
  int r[PCN_HOP_PARAM_COUNT] = {m->in, 1, m->p, m->p};
  int c[PCN_HOP_PARAM_COUNT] = {m->e, m->e, m->e, m->out};
  if (rows) *rows = r[which];
  if (cols) *cols = c[which];
  return P(m, which);
}

float *pcn_hopfield_grad_of(PcnHopfield *m, PcnHopfieldParam which) {
  return (unsigned)which < PCN_HOP_PARAM_COUNT ? G(m, which) : NULL;
}

float *pcn_hopfield_params(PcnHopfield *m, size_t *count) {
  if (count) *count = m->nparams;
  return m->params;
}

void pcn_hopfield_head_cols(const PcnHopfield *m, int h, int *c0, int *c1) {
  *c0 = m->col0[h];
  *c1 = m->col0[h + 1];
}

const float *pcn_hopfield_attention(const PcnHopfield *m, int head) {
  return head >= 0 && head < m->a ? Ah(m, head) : NULL;
}

/* S = O Q + b; per head A_h = softmax(delta S_h K_h^T) row by row. */
static void attention(PcnHopfield *m, const float *O, int n) {
  const int e = m->e, p = m->p, eh = m->eh;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, e, m->in, 1.0f, O, m->in,
              P(m, PCN_HOP_Q), e, 0.0f, m->S, e);
  const float *b = P(m, PCN_HOP_B);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < e; j++) m->S[(size_t)i * e + j] += b[j];
  for (int h = 0; h < m->a; h++) {
    float *A = Ah(m, h);
    /* Head h's slices are column blocks of S and K (leading dimension e). */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, p, eh, m->delta,
                m->S + (size_t)h * eh, e, P(m, PCN_HOP_K) + (size_t)h * eh, e, 0.0f, A, p);
    for (int i = 0; i < n; i++) {
      float *row = A + (size_t)i * p;
      float mx = row[0];
      for (int k = 1; k < p; k++) mx = row[k] > mx ? row[k] : mx;
      double sum = 0;
      for (int k = 0; k < p; k++) {
        row[k] = expf(row[k] - mx);
        sum += row[k];
      }
      float inv = (float)(1.0 / sum);
      for (int k = 0; k < p; k++) row[k] *= inv;
    }
  }
}

/* R[:, C_h] = A_h V[:, C_h] for every head. */
static void values(PcnHopfield *m, int n, float *R) {
  for (int h = 0; h < m->a; h++) {
    int c0 = m->col0[h], w = m->col0[h + 1] - c0;
    if (w == 0) continue;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, w, m->p, 1.0f, Ah(m, h), m->p,
                P(m, PCN_HOP_V) + c0, m->out, 0.0f, R + c0, m->out);
  }
}

int pcn_hopfield_retrieve(PcnHopfield *m, const float *O, int n, float *R) {
  if (n < 1 || n > m->max_batch) return -1;
  attention(m, O, n);
  values(m, n, R);
  return 0;
}

double pcn_hopfield_loss(PcnHopfield *m, const float *O, const float *H, int n) {
  if (n < 1 || n > m->max_batch) return NAN;
  attention(m, O, n);
  values(m, n, m->R);
  double sq = 0;
  for (size_t i = 0; i < (size_t)n * m->out; i++) {
    double d = (double)m->R[i] - H[i];
    sq += d * d;
  }
  return sq / n;
}

double pcn_hopfield_grad(PcnHopfield *m, const float *O, const float *H, int n) {
  if (n < 1 || n > m->max_batch) return NAN;
  const int e = m->e, p = m->p, eh = m->eh, out = m->out;
  attention(m, O, n);
  values(m, n, m->R);
  double sq = 0;
  const float scale = 2.0f / (float)n;
  for (size_t i = 0; i < (size_t)n * out; i++) {
    float d = m->R[i] - H[i];
    sq += (double)d * d;
    m->dR[i] = scale * d;
  }
  for (int h = 0; h < m->a; h++) {
    int c0 = m->col0[h], w = m->col0[h + 1] - c0;
    const float *A = Ah(m, h);
    float *dK = G(m, PCN_HOP_K) + (size_t)h * eh;
    float *dSh = m->dS + (size_t)h * eh;
    if (w == 0) {
      /* A head with no columns retrieves nothing: its keys get no gradient. */
      for (int k = 0; k < p; k++) memset(dK + (size_t)k * e, 0, (size_t)eh * sizeof(float));
      for (int i = 0; i < n; i++) memset(dSh + (size_t)i * e, 0, (size_t)eh * sizeof(float));
      continue;
    }
    /* dV[:, C_h] = A_h^T dR[:, C_h] */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, w, n, 1.0f, A, p, m->dR + c0, out,
                0.0f, G(m, PCN_HOP_V) + c0, out);
    /* dA = dR[:, C_h] V[:, C_h]^T */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, p, w, 1.0f, m->dR + c0, out,
                P(m, PCN_HOP_V) + c0, out, 0.0f, m->dA, p);
    /* Softmax backward, times delta: dlogits = delta A (dA - <dA, A>). */
    for (int i = 0; i < n; i++) {
      float *da = m->dA + (size_t)i * p;
      const float *a = A + (size_t)i * p;
      double dot = 0;
      for (int k = 0; k < p; k++) dot += (double)da[k] * a[k];
      for (int k = 0; k < p; k++) da[k] = m->delta * a[k] * (da[k] - (float)dot);
    }
    /* dS_h = dlogits K_h;  dK_h = dlogits^T S_h */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, eh, p, 1.0f, m->dA, p,
                P(m, PCN_HOP_K) + (size_t)h * eh, e, 0.0f, dSh, e);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, eh, n, 1.0f, m->dA, p,
                m->S + (size_t)h * eh, e, 0.0f, dK, e);
  }
  /* dQ = O^T dS;  db = column sums of dS */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m->in, e, n, 1.0f, O, m->in, m->dS, e,
              0.0f, G(m, PCN_HOP_Q), e);
  float *db = G(m, PCN_HOP_B);
  for (int j = 0; j < e; j++) {
    double s = 0;
    for (int i = 0; i < n; i++) s += m->dS[(size_t)i * e + j];
    db[j] = (float)s;
  }
  return sq / n;
}

void pcn_hopfield_step(PcnHopfield *m, const PcnOptimizer *o) {
  m->steps++;
  /* Every optimizer of optim.h is elementwise, so one call over the
   * concatenated parameters equals one per matrix. */
  pcn_optim_step(o, m->params, m->grads, pcn_optim_needs_m(o) ? m->m1 : NULL,
                 pcn_optim_needs_v(o) ? m->m2 : NULL, m->nparams, m->steps);
}

int pcn_hopfield_init_values(PcnHopfield *m, const float *O, const float *H0, int n,
                             char *err, size_t errlen) {
  if (n < 1 || n > m->max_batch) {
    set_err(err, errlen, "Hopfield init: batch of %d rows out of range", n);
    return -1;
  }
  attention(m, O, n);
  const int p = m->p;
  int rows = n > p ? n : p, wmax = 0;
  for (int h = 0; h < m->a; h++)
    if (m->col0[h + 1] - m->col0[h] > wmax) wmax = m->col0[h + 1] - m->col0[h];
  if (wmax == 0) return 0;
  float *Acopy = malloc(sizeof(float) * (size_t)n * p);
  float *B = malloc(sizeof(float) * (size_t)rows * wmax);
  float *sv = malloc(sizeof(float) * (size_t)(n < p ? n : p));
  if (!Acopy || !B || !sv) {
    free(Acopy), free(B), free(sv);
    set_err(err, errlen, "out of memory for the pseudo-inverse of a Hopfield layer");
    return -1;
  }
  int rc = 0;
  float *V = P(m, PCN_HOP_V);
  for (int h = 0; h < m->a && rc == 0; h++) {
    int c0 = m->col0[h], w = m->col0[h + 1] - c0;
    if (w == 0) continue;
    /* sgelsd overwrites A and B: solve on copies. B holds max(n, p) rows
     * so the p-row solution fits when the system is underdetermined. */
    memcpy(Acopy, Ah(m, h), sizeof(float) * (size_t)n * p);
    memset(B, 0, sizeof(float) * (size_t)rows * w);
    for (int i = 0; i < n; i++)
      memcpy(B + (size_t)i * w, H0 + (size_t)i * m->out + c0, sizeof(float) * (size_t)w);
    lapack_int rank = 0;
    lapack_int info = LAPACKE_sgelsd(LAPACK_ROW_MAJOR, n, p, w, Acopy, p, B, w, sv,
                                     PINV_RCOND, &rank);
    if (info != 0) {
      set_err(err, errlen, "pseudo-inverse of head %d failed (LAPACKE_sgelsd info %d)", h,
              (int)info);
      rc = -1;
      break;
    }
    for (int k = 0; k < p; k++)
      memcpy(V + (size_t)k * m->out + c0, B + (size_t)k * w, sizeof(float) * (size_t)w);
  }
  free(Acopy), free(B), free(sv);
  return rc;
}

/* ---- the plan initializer ---------------------------------------------------- */

typedef struct MemSlot {
  PcnHopfield *hf; /* NULL when no node initializes from this memory */
  int in, out;
  float *O, *H;    /* [max_batch x in], [max_batch x out] gather buffers */
  int *toff;       /* [ntargets] column offset of each target in R */
  bool v_ready;    /* V set by the pseudo-inverse rule */
  double last_loss;
} MemSlot;

typedef struct MemState {
  int nmem;
  MemSlot *slot;
  int *mem_of;   /* [nnodes] memory a node initializes from, or -1 */
  int *off_of;   /* [nnodes] its column offset in that memory's R */
} MemState;

static void mem_detach(void *state) {
  MemState *st = state;
  if (!st) return;
  for (int i = 0; i < st->nmem; i++) {
    pcn_hopfield_free(st->slot[i].hf);
    free(st->slot[i].O);
    free(st->slot[i].H);
    free(st->slot[i].toff);
  }
  free(st->slot);
  free(st->mem_of);
  free(st->off_of);
  free(st);
}

static int mem_attach(PcnPlan *p, void **state, char *err, size_t errlen) {
  const PcnGraph *g = p->g;
  MemState *st = calloc(1, sizeof *st);
  if (!st) goto oom;
  st->nmem = g->nmemories;
  st->slot = calloc((size_t)g->nmemories + 1, sizeof *st->slot);
  st->mem_of = malloc(((size_t)g->nnodes + 1) * sizeof(int));
  st->off_of = calloc((size_t)g->nnodes + 1, sizeof(int));
  if (!st->slot || !st->mem_of || !st->off_of) goto oom;
  for (int v = 0; v < g->nnodes; v++) st->mem_of[v] = -1;
  for (int mi = 0; mi < g->nmemories; mi++) {
    const PcnMemory *M = &g->memories[mi];
    MemSlot *sl = &st->slot[mi];
    sl->last_loss = NAN;
    if (M->ntargets == 0) continue;
    for (int q = 0; q < M->nquery; q++) sl->in += g->nodes[M->query[q]].size;
    sl->toff = calloc((size_t)M->ntargets, sizeof(int));
    if (!sl->toff) goto oom;
    for (int t = 0; t < M->ntargets; t++) {
      sl->toff[t] = sl->out;
      st->mem_of[M->targets[t]] = mi;
      st->off_of[M->targets[t]] = sl->out;
      sl->out += g->nodes[M->targets[t]].size;
    }
    sl->hf = pcn_hopfield_new(sl->in, sl->out, M->patterns, M->heads, M->embed, M->delta,
                              p->cfg.seed, mi, p->cfg.max_batch, err, errlen);
    if (!sl->hf) {
      mem_detach(st);
      return -1;
    }
    sl->O = malloc(sizeof(float) * (size_t)p->cfg.max_batch * sl->in);
    sl->H = malloc(sizeof(float) * (size_t)p->cfg.max_batch * sl->out);
    if (!sl->O || !sl->H) goto oom;
  }
  *state = st;
  return 0;
oom:
  mem_detach(st);
  snprintf(err, errlen, "out of memory for the state of initializer 'memory'");
  return -1;
}

/* o_i: the query nodes' current H rows, concatenated. */
static void gather_query(PcnPlan *p, const PcnMemory *M, MemSlot *sl, int n) {
  int c0 = 0;
  for (int q = 0; q < M->nquery; q++) {
    int v = M->query[q], sz = p->g->nodes[v].size;
    const float *h = pcn_plan_node_buffer(p, PCN_BUF_H, v);
    for (int i = 0; i < n; i++)
      memcpy(sl->O + (size_t)i * sl->in + c0, h + (size_t)i * sz, sizeof(float) * (size_t)sz);
    c0 += sz;
  }
}

/* h_init of the pseudo-inverse rule for each target of M on this batch,
 * into sl->H: the value I_fw would give it (the forward pass from the
 * clamped nodes through the target's ancestors) when analysis says that
 * is possible (strict verdict OK); otherwise (a free root like a
 * generative model's latent, or a node below a cycle or a free root) a
 * draw from N(0, 1), i.e. I_N. Not zero: V = A^+ 0 = 0 would make the
 * memory retrieve 0, exactly I_0, and when T is shorter than the forward
 * chain below the target (T = 3 on the 4-layer decoder: the error needs
 * 4 steps to reach z) h^(T) = h^(0), Eq. 9's loss is 0 and M would stay
 * at I_0 for ever. Random values give each stored pattern its own latent,
 * so the retrieval is an image-dependent code from the first batch on.
 * Runs once per memory, so it allocates its scratch here and reports
 * failure instead of touching H. */
static int forward_values(PcnPlan *p, int mi, const PcnMemory *M, MemSlot *sl, int n,
                          char *err, size_t errlen) {
  const PcnGraph *g = p->g;
  const PcnPhaseVerdict *pv = &p->s->analysis->phase[PCN_PHASE_TRAIN];
  int nn = g->nnodes;
  float **val = calloc((size_t)nn + 1, sizeof(float *));
  char *need = calloc((size_t)nn + 1, 1);
  int *stack = malloc(((size_t)nn + 1) * sizeof(int));
  int rc = -1;
  if (!val || !need || !stack) goto done;
  /* Free ancestors (through free nodes) of the targets that forward can
   * reach from data. */
  int sp = 0;
  for (int t = 0; t < M->ntargets; t++) {
    int v = M->targets[t];
    if (pv->strict[v] == PCN_FW_OK && !need[v]) need[v] = 1, stack[sp++] = v;
  }
  while (sp > 0) {
    const PcnNode *nd = &g->nodes[stack[--sp]];
    for (int j = 0; j < nd->nin; j++) {
      int u = g->edges[nd->in_edges[j]].src;
      if (need[u] || pcn_node_clamped(&g->nodes[u], PCN_PHASE_TRAIN)) continue;
      need[u] = 1;
      stack[sp++] = u;
    }
  }
  for (int v = 0; v < nn; v++)
    if (need[v] && !(val[v] = malloc(sizeof(float) * (size_t)n * g->nodes[v].size))) goto done;
  for (int i = 0; i < nn; i++) {
    int v = p->s->analysis->topo[i];
    if (!need[v]) continue;
    const PcnNode *nd = &g->nodes[v];
    int sz = nd->size;
    for (int j = 0; j < nd->nin; j++) {
      int e = nd->in_edges[j], u = g->edges[e].src;
      const float *hu = need[u] ? val[u] : pcn_plan_node_buffer(p, PCN_BUF_H, u);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, sz, g->nodes[u].size, 1.0f,
                  hu, g->nodes[u].size, pcn_plan_edge_buffer(p, PCN_BUF_W, e), sz,
                  j == 0 ? 0.0f : 1.0f, val[v], sz);
    }
    const float *b = pcn_plan_node_buffer(p, PCN_BUF_B, v);
    if (b)
      for (int r = 0; r < n; r++)
        for (int c = 0; c < sz; c++) val[v][(size_t)r * sz + c] += b[c];
    pcn_act_forward(nd->act, val[v], val[v], (size_t)n * sz);
  }
  /* Its own stream (not Q/K's, not the nodes' random init), so that
   * adding a target does not shift other numbers of the run. */
  PcnRng rng;
  pcn_rng_init(&rng, p->cfg.seed,
               (uint64_t)PCN_STREAM_MEMORY + ((uint64_t)mi << 32) + (1ULL << 31));
  for (int t = 0; t < M->ntargets; t++) {
    int v = M->targets[t], sz = g->nodes[v].size;
    for (int r = 0; r < n; r++) {
      float *dst = sl->H + (size_t)r * sl->out + sl->toff[t];
      if (need[v]) memcpy(dst, val[v] + (size_t)r * sz, sizeof(float) * (size_t)sz);
      else
        for (int c = 0; c < sz; c++) dst[c] = (float)pcn_rng_normal(&rng);
    }
  }
  rc = 0;
done:
  if (rc) snprintf(err, errlen, "out of memory for the forward values of memory '%s'", M->name);
  if (val)
    for (int v = 0; v < nn; v++) free(val[v]);
  free(val);
  free(need);
  free(stack);
  return rc;
}

static void mem_init_node(PcnPlan *p, void *state, PcnPhase phase, int node, float *h, int n,
                          int cols) {
  MemState *st = state;
  int mi = st->mem_of[node];
  if (mi < 0 || !st->slot[mi].hf) { /* not a target: cannot happen for a checked graph */
    memset(h, 0, sizeof(float) * (size_t)n * cols);
    return;
  }
  const PcnMemory *M = &p->g->memories[mi];
  MemSlot *sl = &st->slot[mi];
  gather_query(p, M, sl, n);
  if (phase == PCN_PHASE_TRAIN && !sl->v_ready) {
    /* The pseudo-inverse rule, once, on the first training batch. On a
     * failure (out of memory, LAPACK) V stays zero, which is I_0, and
     * the reason is kept as the plan's error message. */
    char err[256];
    sl->v_ready = true;
    if (forward_values(p, mi, M, sl, n, err, sizeof err) != 0 ||
        pcn_hopfield_init_values(sl->hf, sl->O, sl->H, n, err, sizeof err) != 0)
      pcn_plan_set_error(p, "memory '%s': %s", M->name, err);
  }
  pcn_hopfield_retrieve(sl->hf, sl->O, n, sl->H);
  int off = st->off_of[node];
  for (int r = 0; r < n; r++)
    memcpy(h + (size_t)r * cols, sl->H + (size_t)r * sl->out + off, sizeof(float) * (size_t)cols);
}

/* Eq. 9 after inference: H of the targets is h^(T). */
static void mem_end_batch(PcnPlan *p, void *state, PcnPhase phase, int n, const int *labels) {
  (void)labels;
  MemState *st = state;
  if (phase != PCN_PHASE_TRAIN) return; /* never learn from test data */
  for (int mi = 0; mi < st->nmem; mi++) {
    MemSlot *sl = &st->slot[mi];
    if (!sl->hf || !sl->v_ready) continue;
    const PcnMemory *M = &p->g->memories[mi];
    gather_query(p, M, sl, n);
    for (int t = 0; t < M->ntargets; t++) {
      int v = M->targets[t], sz = p->g->nodes[v].size;
      const float *h = pcn_plan_node_buffer(p, PCN_BUF_H, v);
      for (int r = 0; r < n; r++)
        memcpy(sl->H + (size_t)r * sl->out + sl->toff[t], h + (size_t)r * sz,
               sizeof(float) * (size_t)sz);
    }
    sl->last_loss = pcn_hopfield_grad(sl->hf, sl->O, sl->H, n);
    pcn_hopfield_step(sl->hf, &p->cfg.learning);
  }
}

/* Checkpoint section, per memory M with targets: "M.Q", "M.b", "M.K",
 * "M.V" with their shapes, the optimizer's moments "M.Q.m", "M.Q.v", ...
 * (the same shapes), "M.steps" (its step counter) and "M.initialized"
 * (V set by the pseudo-inverse rule, which must not run again). The
 * gradients and the scratch are per batch; last_loss is diagnostic. */
static const char *const hop_names[PCN_HOP_PARAM_COUNT] = {"Q", "b", "K", "V"};

static void mem_save_state(PcnPlan *p, void *state, PcnStateWriter *w) {
  MemState *st = state;
  char name[300];
  for (int mi = 0; mi < st->nmem; mi++) {
    MemSlot *sl = &st->slot[mi];
    if (!sl->hf) continue;
    const char *M = p->g->memories[mi].name;
    PcnHopfield *hf = sl->hf;
    for (int k = 0; k < PCN_HOP_PARAM_COUNT; k++) {
      int rows, cols;
      const float *x = pcn_hopfield_param(hf, k, &rows, &cols);
      snprintf(name, sizeof name, "%s.%s", M, hop_names[k]);
      pcn_state_write_floats(w, name, rows, cols, x);
      snprintf(name, sizeof name, "%s.%s.m", M, hop_names[k]);
      pcn_state_write_floats(w, name, rows, cols, hf->m1 + hf->off[k]);
      snprintf(name, sizeof name, "%s.%s.v", M, hop_names[k]);
      pcn_state_write_floats(w, name, rows, cols, hf->m2 + hf->off[k]);
    }
    snprintf(name, sizeof name, "%s.steps", M);
    pcn_state_write_int(w, name, hf->steps);
    snprintf(name, sizeof name, "%s.initialized", M);
    pcn_state_write_int(w, name, sl->v_ready ? 1 : 0);
  }
}

static int mem_load_state(PcnPlan *p, void *state, PcnStateReader *r, char *err,
                          size_t errlen) {
  MemState *st = state;
  char name[300];
  for (int mi = 0; mi < st->nmem; mi++) {
    MemSlot *sl = &st->slot[mi];
    if (!sl->hf) continue;
    const char *M = p->g->memories[mi].name;
    PcnHopfield *hf = sl->hf;
    for (int k = 0; k < PCN_HOP_PARAM_COUNT; k++) {
      int rows, cols;
      float *x = pcn_hopfield_param(hf, k, &rows, &cols);
      snprintf(name, sizeof name, "%s.%s", M, hop_names[k]);
      if (pcn_state_read_floats(r, name, rows, cols, x)) return -1;
      snprintf(name, sizeof name, "%s.%s.m", M, hop_names[k]);
      if (pcn_state_read_floats(r, name, rows, cols, hf->m1 + hf->off[k])) return -1;
      snprintf(name, sizeof name, "%s.%s.v", M, hop_names[k]);
      if (pcn_state_read_floats(r, name, rows, cols, hf->m2 + hf->off[k])) return -1;
    }
    int64_t steps = 0, ready = 0;
    snprintf(name, sizeof name, "%s.steps", M);
    if (pcn_state_read_int(r, name, &steps)) return -1;
    snprintf(name, sizeof name, "%s.initialized", M);
    if (pcn_state_read_int(r, name, &ready)) return -1;
    if (steps < 0) { /* integers are read in the checking pass too */
      snprintf(err, errlen, "memory '%s' has a negative step count", M);
      return -1;
    }
    if (steps > PCN_CKPT_MAX_STEPS) { /* steps++ would overflow */
      snprintf(err, errlen, "memory '%s' has step count %lld, out of range", M,
               (long long)steps);
      return -1;
    }
    if (pcn_state_reader_checking(r)) continue;
    hf->steps = steps;
    sl->v_ready = ready != 0;
  }
  return 0;
}

static const PcnInitializer init_memory = {
    "memory",      PCN_INIT_MEMORY, mem_attach,     mem_detach,    NULL,
    mem_init_node, mem_end_batch,   mem_save_state, mem_load_state};

const PcnInitializer *pcn_initializer_memory(void) { return &init_memory; }

static MemState *plan_state(PcnPlan *p) {
  if (p->inits[PCN_INIT_MEMORY] != &init_memory || !p->init_attached[PCN_INIT_MEMORY])
    return NULL;
  return p->init_state[PCN_INIT_MEMORY];
}

PcnHopfield *pcn_plan_memory(PcnPlan *p, int mem) {
  MemState *st = plan_state(p);
  return st && mem >= 0 && mem < st->nmem ? st->slot[mem].hf : NULL;
}

double pcn_plan_memory_loss(PcnPlan *p, int mem) {
  MemState *st = plan_state(p);
  return st && mem >= 0 && mem < st->nmem ? st->slot[mem].last_loss : NAN;
}
