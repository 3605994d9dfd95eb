#include "testgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    perror("realloc");
    abort();
  }
  return p;
}

void tg_init(TGraph *t, const char *name) {
  memset(t, 0, sizeof *t);
  pcn_arena_init(&t->arena);
  t->g.name = name;
}

/* A zeroed node with a name, a size and a bias. */
static int add_node(TGraph *t, const char *name, int size) {
  PcnGraph *g = &t->g;
  if (g->nnodes == t->cap_nodes) {
    t->cap_nodes = t->cap_nodes ? 2 * t->cap_nodes : 8;
    g->nodes = xrealloc(g->nodes, (size_t)t->cap_nodes * sizeof(PcnNode));
  }
  int v = g->nnodes++;
  PcnNode *nd = &g->nodes[v];
  memset(nd, 0, sizeof *nd);
  nd->name = name ? pcn_arena_strdup(&t->arena, name) : pcn_arena_printf(&t->arena, "n%d", v);
  nd->size = size;
  nd->bias = true;
  return v;
}

void tg_init_n(TGraph *t, int n) {
  tg_init(t, "m");
  t->cap_nodes = n;
  t->g.nodes = xrealloc(NULL, (size_t)n * sizeof(PcnNode));
  for (int i = 0; i < n; i++) add_node(t, NULL, 4);
}

int tg_node(TGraph *t, const char *name, int size, PcnActivation act, int clamp,
            PcnInitKind init) {
  int v = add_node(t, name, size);
  PcnNode *nd = &t->g.nodes[v];
  nd->ndims = 1;
  nd->dims[0] = size;
  nd->act = act;
  nd->init.kind = init;
  nd->clamp = clamp == TG_INPUT ? PCN_CLAMP_IMAGE : clamp == TG_TARGET ? PCN_CLAMP_LABEL : PCN_CLAMP_NONE;
  nd->clamp_train = clamp != TG_FREE;
  nd->clamp_eval = clamp == TG_INPUT;
  return v;
}

/* Appends e to list[0..*n), whose capacity is the next power of two. */
static void push(int **list, int *n, int e) {
  if ((*n & (*n - 1)) == 0) *list = xrealloc(*list, (size_t)(*n ? 2 * *n : 1) * sizeof(int));
  (*list)[(*n)++] = e;
}

void tg_reserve_edges(TGraph *t, int n) {
  if (n <= t->cap_edges) return;
  t->cap_edges = n;
  t->g.edges = xrealloc(t->g.edges, (size_t)n * sizeof(PcnEdge));
}

int tg_edge(TGraph *t, int u, int v) {
  PcnGraph *g = &t->g;
  if (g->nedges == t->cap_edges) tg_reserve_edges(t, t->cap_edges ? 2 * t->cap_edges : 16);
  int e = g->nedges++;
  PcnEdge *ed = &g->edges[e];
  memset(ed, 0, sizeof *ed);
  ed->src = u;
  ed->dst = v;
  ed->kind = PCN_EDGE_DENSE;
  push(&g->nodes[u].out_edges, &g->nodes[u].nout, e);
  push(&g->nodes[v].in_edges, &g->nodes[v].nin, e);
  return e;
}

void tg_clamp(TGraph *t, int v, PcnClampSource src, bool train, bool eval) {
  t->g.nodes[v].clamp = src;
  t->g.nodes[v].clamp_train = train;
  t->g.nodes[v].clamp_eval = eval;
}

void tg_set_init(TGraph *t, int v, PcnInitKind k) { t->g.nodes[v].init.kind = k; }

void tg_copy(TGraph *dst, const TGraph *src) {
  tg_init(dst, src->g.name);
  for (int v = 0; v < src->g.nnodes; v++) {
    const PcnNode *s = &src->g.nodes[v];
    int w = add_node(dst, s->name, s->size);
    PcnNode *d = &dst->g.nodes[w];
    const char *name = d->name;
    *d = *s;
    d->name = name;
    d->in_edges = d->out_edges = NULL;
    d->nin = d->nout = 0;
  }
  for (int e = 0; e < src->g.nedges; e++) {
    int f = tg_edge(dst, src->g.edges[e].src, src->g.edges[e].dst);
    dst->g.edges[f] = src->g.edges[e];
  }
}

void tg_free(TGraph *t) {
  for (int v = 0; v < t->g.nnodes; v++) {
    free(t->g.nodes[v].in_edges);
    free(t->g.nodes[v].out_edges);
  }
  free(t->g.nodes);
  free(t->g.edges);
  pcn_arena_free(&t->arena);
  memset(t, 0, sizeof *t);
}

int trun_open(TRun *r, const PcnGraph *g, const PcnTrainConfig *tc, const PcnEvalConfig *ec,
              int64_t samples, const PcnPlanConfig *cfg) {
  memset(r, 0, sizeof *r);
  pcn_arena_init(&r->arena);
  r->an = pcn_analyze(&r->arena, g);
  if (!r->an) {
    snprintf(r->err, sizeof r->err, "pcn_analyze failed");
    return -1;
  }
  r->s = pcn_schedule_build(&r->arena, g, r->an, tc, ec, samples);
  if (!r->s) {
    snprintf(r->err, sizeof r->err, "pcn_schedule_build failed");
    return -1;
  }
  r->p = pcn_plan_create(r->s, cfg, r->err, sizeof r->err);
  return r->p ? 0 : -1;
}

void trun_close(TRun *r) {
  pcn_plan_destroy(r->p);
  r->p = NULL;
  pcn_arena_free(&r->arena);
}

PcnCompilation *tg_compile(PcnArena *arena, PcnDiag *diag, const char *file, const char *src) {
  PcnCompileOptions opts = {0};
  PcnCompilation *c = pcn_compile_string(arena, diag, file, src, &opts);
  if (!c || diag->nerrors > 0) {
    pcn_diag_print(diag, stderr, 0);
    return NULL;
  }
  return c;
}

int tspec_open(TSpec *u, const char *file, const char *src) {
  memset(u, 0, sizeof *u);
  pcn_arena_init(&u->arena);
  pcn_diag_init(&u->diag);
  u->c = tg_compile(&u->arena, &u->diag, file, src);
  if (!u->c) return -1;
  const PcnCompilation *c = u->c;
  if (c->ntrains < 1 || c->nevals < 1) return -1;
  u->train = c->trains[0];
  const PcnGraph *g = c->models[u->train.model];
  const PcnAnalysis *an = pcn_compilation_analysis(c, u->train.model);
  const PcnDataset *ds = &c->datasets[u->train.dataset];
  PcnSchedule *s = pcn_schedule_build(&u->arena, g, an, &u->train, &c->evals[0],
                                      ds->train_samples);
  if (!s) return -1;
  u->spec = (PcnTrainSpec){g,  an, s, &u->train, &c->evals[0], ds,
                           &c->datasets[c->evals[0].dataset], NULL};
  return 0;
}

void tspec_close(TSpec *u) {
  pcn_diag_free(&u->diag);
  pcn_arena_free(&u->arena);
}
