/* test_analysis.c - graph analysis: SCCs, cycles, levels, Proposition 3.2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pcn/analysis.h"
#include "testgraph.h"
#include "testutil.h"

static bool has_edge(const PcnGraph *g, int u, int v) {
  const PcnNode *nd = &g->nodes[u];
  for (int i = 0; i < nd->nout; i++)
    if (g->edges[nd->out_edges[i]].dst == v) return true;
  return false;
}

static unsigned rng_state = 12345u;
static unsigned rnd(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (rng_state >> 8) & 0xffffffu;
}

/* A cycle is real: consecutive pairs (and the closing pair) are edges, no
 * node repeats, all nodes in one SCC. */
static void check_cycle_real(const PcnGraph *g, const PcnAnalysis *an, const PcnCycle *c) {
  CU_ASSERT_FATAL(c->len >= 1);
  unsigned char *seen = calloc((size_t)g->nnodes, 1);
  int bad = 0;
  for (int i = 0; i < c->len; i++) {
    int u = c->path[i], v = c->path[(i + 1) % c->len];
    if (!has_edge(g, u, v) || an->scc[u] != an->scc[c->path[0]] || seen[u]) bad++;
    seen[u] = 1;
  }
  CU_ASSERT_EQUAL(bad, 0);
  free(seen);
}

/* Structural invariants every analysis must satisfy. */
static void check_structure(const PcnGraph *g, const PcnAnalysis *an) {
  int n = g->nnodes;
  int *pos = malloc((size_t)n * sizeof(int));
  for (int i = 0; i < n; i++) pos[i] = -1;
  for (int i = 0; i < n; i++) pos[an->topo[i]] = i;
  for (int i = 0; i < n; i++) CU_ASSERT(pos[i] >= 0);
  for (int e = 0; e < g->nedges; e++) {
    int u = g->edges[e].src, v = g->edges[e].dst;
    CU_ASSERT(an->scc[u] <= an->scc[v]);
    if (an->scc[u] != an->scc[v]) {
      CU_ASSERT(pos[u] < pos[v]);
      CU_ASSERT(an->scc_level[an->scc[u]] < an->scc_level[an->scc[v]]);
    }
  }
  for (int i = 1; i < n; i++) CU_ASSERT(an->scc[an->topo[i - 1]] <= an->scc[an->topo[i]]);
  for (int k = 0; k < an->ncycles; k++) check_cycle_real(g, an, &an->cycles[k]);
  for (int v = 0; v < n; v++)
    if (an->on_cycle[v]) {
      CU_ASSERT(an->cycle_of[v] >= 0 &&
                an->scc[an->cycles[an->cycle_of[v]].path[0]] == an->scc[v]);
    } else {
      CU_ASSERT(an->cycle_of[v] == -1);
    }
  CU_ASSERT(an->is_dag == (an->ncycles == 0));
  free(pos);
}

/* ---- tests ----------------------------------------------------------- */

static void test_random_dags(void) {
  for (int trial = 0; trial < 30; trial++) {
    int n = 5 + (int)(rnd() % 60);
    int *perm = malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = (int)(rnd() % (unsigned)(i + 1)), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    TGraph t;
    tg_init_n(&t, n);
    for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
        if (rnd() % 100 < 10) tg_edge(&t, perm[i], perm[j]);
    PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
    CU_ASSERT_FATAL(an != NULL);
    CU_ASSERT(an->is_dag);
    CU_ASSERT(an->ncycles == 0);
    CU_ASSERT(an->nsccs == n);
    check_structure(&t.g, an);
    int nroots = 0;
    for (int v = 0; v < n; v++) {
      const PcnNode *nd = &t.g.nodes[v];
      int want = 0;
      for (int j = 0; j < nd->nin; j++) {
        int l = an->level[t.g.edges[nd->in_edges[j]].src] + 1;
        if (l > want) want = l;
      }
      CU_ASSERT(an->level[v] == want);
      CU_ASSERT(an->scc_level[an->scc[v]] == want);
      if (nd->nin == 0) {
        CU_ASSERT(an->roots[nroots] == v);
        nroots++;
      }
    }
    CU_ASSERT(an->nroots == nroots);
    tg_free(&t);
    free(perm);
  }
}

static void test_planted_cycles(void) {
  for (int trial = 0; trial < 30; trial++) {
    int n = 8 + (int)(rnd() % 50);
    TGraph t;
    tg_init_n(&t, n);
    for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
        if (rnd() % 100 < 8) tg_edge(&t, i, j);
    /* plant a cycle through k distinct random nodes */
    int k = 2 + (int)(rnd() % 5), planted[8], m = 0;
    while (m < k) {
      int v = (int)(rnd() % (unsigned)n), dup = 0;
      for (int i = 0; i < m; i++) dup |= planted[i] == v;
      if (!dup) planted[m++] = v;
    }
    for (int i = 0; i < k; i++) tg_edge(&t, planted[i], planted[(i + 1) % k]);
    PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
    CU_ASSERT_FATAL(an != NULL);
    CU_ASSERT(!an->is_dag);
    CU_ASSERT(an->ncycles >= 1);
    for (int i = 0; i < k; i++) {
      CU_ASSERT(an->scc[planted[i]] == an->scc[planted[0]]);
      CU_ASSERT(an->on_cycle[planted[i]]);
      CU_ASSERT(an->level[planted[i]] == -1);
    }
    check_structure(&t.g, an);
    tg_free(&t);
  }
}

static void test_self_loop(void) {
  TGraph t;
  tg_init_n(&t, 3);
  tg_edge(&t, 0, 1);
  tg_edge(&t, 1, 1);
  tg_edge(&t, 1, 2);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  CU_ASSERT(!an->is_dag);
  CU_ASSERT_EQUAL(an->ncycles, 1);
  CU_ASSERT_EQUAL(an->cycles[0].len, 1);
  CU_ASSERT_EQUAL(an->cycles[0].path[0], 1);
  CU_ASSERT(an->on_cycle[1] && !an->on_cycle[0] && !an->on_cycle[2]);
  CU_ASSERT_EQUAL(an->level[0], 0);
  CU_ASSERT_EQUAL(an->level[1], -1);
  CU_ASSERT_EQUAL(an->level[2], -1);
  CU_ASSERT_EQUAL(an->nsccs, 3);
  const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_TRAIN];
  CU_ASSERT(!pv->whole_forward_legal);
  CU_ASSERT_EQUAL(pv->whole_reason, PCN_FW_CYCLE);
  CU_ASSERT_EQUAL(pv->strict[2], PCN_FW_CYCLE);
  CU_ASSERT_EQUAL(pv->strict_cycle[2], 0);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_INFERENCE);
  check_structure(&t.g, an);
  tg_free(&t);
}

/* Fig. 9 (top): 0->1, 1->2, 1->3, 2->4, 3->4, 0->4, 4->5; input on 0. */
static void fig9_top(TGraph *t) {
  tg_init_n(t, 6);
  int e[][2] = {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}, {0, 4}, {4, 5}};
  for (int i = 0; i < 7; i++) tg_edge(t, e[i][0], e[i][1]);
}

static void test_fig9_top(void) {
  TGraph t;
  fig9_top(&t);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 5, PCN_CLAMP_LABEL, true, false);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  CU_ASSERT(an->is_dag);
  for (int p = 0; p < PCN_PHASE_COUNT; p++) {
    const PcnPhaseVerdict *pv = &an->phase[p];
    CU_ASSERT(pv->whole_forward_legal);
    CU_ASSERT_EQUAL(pv->whole_reason, PCN_FW_OK);
    for (int v = 1; v < 5; v++) CU_ASSERT_EQUAL(pv->strict[v], PCN_FW_OK);
    CU_ASSERT_EQUAL(pv->strict[0], PCN_FW_CLAMPED);
  }
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].strict[5], PCN_FW_CLAMPED);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].strict[5], PCN_FW_OK);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_FORWARD);
  CU_ASSERT_EQUAL(an->level[4], 3);
  CU_ASSERT_EQUAL(an->level[5], 4);
  /* evaluation by forward pass: every free node uses forward */
  for (int v = 1; v < 6; v++)
    CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, v, PCN_PHASE_EVAL), PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, 3, PCN_PHASE_TRAIN), PCN_INIT_ZERO);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].fw_depth[5], 4);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].fw_max_depth, 4);
  tg_free(&t);

  /* Appendix B: the input mapped to node 1 leaves root 0 free. */
  fig9_top(&t);
  tg_clamp(&t, 1, PCN_CLAMP_IMAGE, true, true);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_TRAIN];
  CU_ASSERT(!pv->whole_forward_legal);
  CU_ASSERT_EQUAL(pv->whole_reason, PCN_FW_FREE_ROOT);
  CU_ASSERT_EQUAL(pv->whole_root, 0);
  CU_ASSERT_EQUAL(pv->strict[0], PCN_FW_NO_PARENTS);
  CU_ASSERT_EQUAL(pv->strict[2], PCN_FW_OK);  /* f(h_1): data */
  CU_ASSERT_EQUAL(pv->strict[4], PCN_FW_FREE_ROOT);
  CU_ASSERT_EQUAL(pv->strict_root[4], 0);
  CU_ASSERT_EQUAL(pv->strict[5], PCN_FW_FREE_ROOT);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_INFERENCE);
  tg_free(&t);
}

/* Fig. 9 (bottom): the loop 1 -> 2 -> 3 -> 1. */
static void test_fig9_bottom(void) {
  TGraph t;
  tg_init_n(&t, 6);
  int e[][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 1}, {0, 4}, {2, 4}, {4, 5}};
  for (int i = 0; i < 7; i++) tg_edge(&t, e[i][0], e[i][1]);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  CU_ASSERT(!an->is_dag);
  CU_ASSERT_EQUAL(an->ncycles, 1);
  CU_ASSERT_EQUAL(an->cycles[0].len, 3);
  CU_ASSERT_EQUAL(an->cycles[0].path[0], 1);
  CU_ASSERT_EQUAL(an->cycles[0].path[1], 2);
  CU_ASSERT_EQUAL(an->cycles[0].path[2], 3);
  const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_TRAIN];
  CU_ASSERT(!pv->whole_forward_legal);
  CU_ASSERT_EQUAL(pv->whole_reason, PCN_FW_CYCLE);
  CU_ASSERT_EQUAL(pv->whole_cycle, 0);
  CU_ASSERT_EQUAL(pv->strict[1], PCN_FW_CYCLE);
  CU_ASSERT_EQUAL(pv->strict[5], PCN_FW_CYCLE); /* downstream of the loop */
  CU_ASSERT_EQUAL(pv->strict_cycle[5], 0);
  CU_ASSERT_EQUAL(an->level[5], -1);
  check_structure(&t.g, an);
  tg_free(&t);
}

static void test_generative_and_inputs(void) {
  /* decoder z -> h1 -> h2 -> x, image clamped at the output */
  TGraph t;
  tg_init_n(&t, 4);
  tg_edge(&t, 0, 1);
  tg_edge(&t, 1, 2);
  tg_edge(&t, 2, 3);
  tg_clamp(&t, 3, PCN_CLAMP_IMAGE, true, true);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  for (int p = 0; p < PCN_PHASE_COUNT; p++) {
    const PcnPhaseVerdict *pv = &an->phase[p];
    CU_ASSERT(!pv->whole_forward_legal);
    CU_ASSERT_EQUAL(pv->whole_reason, PCN_FW_FREE_ROOT);
    CU_ASSERT_EQUAL(pv->whole_root, 0);
    CU_ASSERT_EQUAL(pv->strict[0], PCN_FW_NO_PARENTS);
    CU_ASSERT_EQUAL(pv->strict[2], PCN_FW_FREE_ROOT);
    CU_ASSERT_EQUAL(pv->strict_root[2], 0);
  }
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_INFERENCE);
  tg_free(&t);

  /* two inputs x1, x2 -> h -> y; x2 observed only in training */
  tg_init_n(&t, 4);
  tg_edge(&t, 0, 2);
  tg_edge(&t, 1, 2);
  tg_edge(&t, 2, 3);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 1, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 3, PCN_CLAMP_LABEL, true, false);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT(an->phase[PCN_PHASE_TRAIN].whole_forward_legal);
  CU_ASSERT(an->phase[PCN_PHASE_EVAL].whole_forward_legal);
  CU_ASSERT_EQUAL(an->nroots, 2);
  t.g.nodes[1].clamp_eval = false;
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT(an->phase[PCN_PHASE_TRAIN].whole_forward_legal);
  CU_ASSERT(!an->phase[PCN_PHASE_EVAL].whole_forward_legal);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].whole_root, 1);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].strict[3], PCN_FW_FREE_ROOT);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_INFERENCE);
  tg_free(&t);
}

/* pcn_first_move_steps: errors travel one edge per Jacobi step from
 * where they are nonzero at t = 0. */
static void test_first_move_steps(void) {
  /* The paper's decoder: z -> h1 -> h2 -> h3 -> img, img clamped, the h's
   * forward from z: only img's error is nonzero at t = 0. */
  TGraph t;
  tg_init_n(&t, 5);
  for (int v = 0; v < 4; v++) tg_edge(&t, v, v + 1);
  for (int v = 1; v <= 3; v++) tg_set_init(&t, v, PCN_INIT_FORWARD);
  tg_clamp(&t, 4, PCN_CLAMP_IMAGE, true, true);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  int step[5];
  CU_ASSERT_EQUAL_FATAL(pcn_first_move_steps(&t.g, an, PCN_PHASE_TRAIN, step), 0);
  static const int want_fw[5] = {4, 3, 2, 1, -1};
  for (int v = 0; v < 5; v++) CU_ASSERT_EQUAL(step[v], want_fw[v]);
  /* Zero-initialized h's have errors of their own: everything moves at
   * once (z too: h1's error is its child's). */
  for (int v = 1; v <= 3; v++) tg_set_init(&t, v, PCN_INIT_ZERO);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_EQUAL_FATAL(pcn_first_move_steps(&t.g, an, PCN_PHASE_TRAIN, step), 0);
  for (int v = 0; v < 4; v++) CU_ASSERT_EQUAL(step[v], 1);
  CU_ASSERT_EQUAL(step[4], -1);
  tg_free(&t);

  /* A classifier x -> h1 -> h2 -> y, forward init: in training the label's
   * error reaches h2 at step 1 and h1 at step 2; in evaluation (y free,
   * forward) no error exists anywhere and nothing moves. */
  tg_init_n(&t, 4);
  for (int v = 0; v < 3; v++) tg_edge(&t, v, v + 1);
  for (int v = 1; v <= 3; v++) tg_set_init(&t, v, PCN_INIT_FORWARD);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 3, PCN_CLAMP_LABEL, true, false);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_EQUAL_FATAL(pcn_first_move_steps(&t.g, an, PCN_PHASE_TRAIN, step), 0);
  static const int want_train[4] = {-1, 2, 1, -1};
  for (int v = 0; v < 4; v++) CU_ASSERT_EQUAL(step[v], want_train[v]);
  CU_ASSERT_EQUAL_FATAL(pcn_first_move_steps(&t.g, an, PCN_PHASE_EVAL, step), 0);
  for (int v = 0; v < 4; v++) CU_ASSERT_EQUAL(step[v], -1);
  tg_free(&t);
}

static void test_declared_forward(void) {
  /* x -> h1 -> h2 -> h3 -> h1, h3 -> y; h1..h3 forward: a forward cycle */
  TGraph t;
  tg_init_n(&t, 5);
  tg_edge(&t, 0, 1);
  tg_edge(&t, 1, 2);
  tg_edge(&t, 2, 3);
  tg_edge(&t, 3, 1);
  tg_edge(&t, 3, 4);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  tg_clamp(&t, 4, PCN_CLAMP_LABEL, true, false);
  for (int v = 1; v <= 3; v++) tg_set_init(&t, v, PCN_INIT_FORWARD);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  const PcnPhaseVerdict *pv = &an->phase[PCN_PHASE_TRAIN];
  CU_ASSERT_EQUAL(pv->nfw_cycles, 1);
  CU_ASSERT_EQUAL(pv->fw_cycles[0].len, 3);
  for (int v = 1; v <= 3; v++) {
    CU_ASSERT_EQUAL(pv->declared[v], PCN_FW_CYCLE);
    CU_ASSERT_EQUAL(pv->declared_cycle[v], 0);
    CU_ASSERT_EQUAL(pv->fw_depth[v], 0);
  }
  CU_ASSERT_EQUAL(pv->declared[0], PCN_FW_OK);
  CU_ASSERT_EQUAL(pv->fw_max_depth, 0);

  /* h3 initialized otherwise breaks the forward cycle */
  tg_set_init(&t, 3, PCN_INIT_ZERO);
  an = pcn_analyze(&t.arena, &t.g);
  pv = &an->phase[PCN_PHASE_TRAIN];
  CU_ASSERT_EQUAL(pv->nfw_cycles, 0);
  CU_ASSERT_EQUAL(pv->declared[1], PCN_FW_OK);
  CU_ASSERT_EQUAL(pv->declared[2], PCN_FW_OK);
  CU_ASSERT_EQUAL(pv->fw_depth[1], 1);
  CU_ASSERT_EQUAL(pv->fw_depth[2], 2);
  CU_ASSERT_EQUAL(pv->fw_max_depth, 2);

  /* average in evaluation (inference mode: the model is cyclic) falls back
   * to forward where legal, else zero */
  tg_set_init(&t, 3, PCN_INIT_AVERAGE);
  tg_set_init(&t, 4, PCN_INIT_AVERAGE);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].eval_mode, PCN_EVAL_INFERENCE);
  CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, 3, PCN_PHASE_EVAL), PCN_INIT_ZERO);
  CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, 4, PCN_PHASE_EVAL), PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, 3, PCN_PHASE_TRAIN), PCN_INIT_AVERAGE);
  CU_ASSERT_EQUAL(pcn_effective_init(&t.g, an, 1, PCN_PHASE_EVAL), PCN_INIT_FORWARD);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_EVAL].fw_depth[4], 1); /* parent h3 is known (zero) */
  tg_free(&t);

  /* forward on a root */
  tg_init_n(&t, 2);
  tg_edge(&t, 0, 1);
  tg_clamp(&t, 1, PCN_CLAMP_IMAGE, true, true);
  tg_set_init(&t, 0, PCN_INIT_FORWARD);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].declared[0], PCN_FW_NO_PARENTS);
  tg_free(&t);
}

/* Brute force on small random graphs: reachability by closure. */
static void test_random_brute_force(void) {
  enum { N = 10 };
  for (int trial = 0; trial < 300; trial++) {
    int n = 2 + (int)(rnd() % (N - 1));
    TGraph t;
    tg_init_n(&t, n);
    bool adj[N][N] = {{false}};
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++)
        if (rnd() % 100 < (trial % 2 ? 12u : 25u) && (trial % 3 || i < j)) {
          adj[i][j] = true;
          tg_edge(&t, i, j);
        }
    for (int v = 0; v < n; v++) {
      unsigned r = rnd() % 4;
      tg_clamp(&t, v, r ? PCN_CLAMP_NONE : PCN_CLAMP_IMAGE, r == 0, r == 0 || r == 1);
    }
    PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
    CU_ASSERT_FATAL(an != NULL);
    check_structure(&t.g, an);
    /* reach[i][j]: path of >= 1 edge from i to j */
    bool reach[N][N];
    memcpy(reach, adj, sizeof reach);
    for (int k = 0; k < n; k++)
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
          if (reach[i][k] && reach[k][j]) reach[i][j] = true;
    bool dag = true;
    for (int i = 0; i < n; i++) {
      if (reach[i][i]) dag = false;
      CU_ASSERT_EQUAL(an->on_cycle[i], reach[i][i]);
      for (int j = 0; j < n; j++)
        CU_ASSERT_EQUAL(an->scc[i] == an->scc[j], i == j || (reach[i][j] && reach[j][i]));
    }
    CU_ASSERT_EQUAL(an->is_dag, dag);
    for (int p = 0; p < PCN_PHASE_COUNT; p++) {
      const PcnPhaseVerdict *pv = &an->phase[p];
      bool clamped[N], root[N];
      for (int v = 0; v < n; v++) {
        clamped[v] = pcn_node_clamped(&t.g.nodes[v], (PcnPhase)p);
        root[v] = t.g.nodes[v].nin == 0;
      }
      bool whole = dag;
      for (int v = 0; v < n; v++)
        if (root[v] && !clamped[v]) whole = false;
      CU_ASSERT_EQUAL(pv->whole_forward_legal, whole);
      /* free-path reachability: paths whose nodes before v are all free */
      bool freach[N][N] = {{false}};
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) freach[i][j] = adj[i][j] && !clamped[i];
      for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
          for (int j = 0; j < n; j++)
            if (freach[i][k] && freach[k][j]) freach[i][j] = true;
      for (int v = 0; v < n; v++) {
        bool cyc = reach[v][v], froot = false;
        for (int u = 0; u < n; u++) {
          if (reach[u][v] && reach[u][u]) cyc = true;
          if (freach[u][v] && root[u]) froot = true;
        }
        PcnFwReason want = clamped[v] ? PCN_FW_CLAMPED
                           : cyc      ? PCN_FW_CYCLE
                           : root[v]  ? PCN_FW_NO_PARENTS
                           : froot    ? PCN_FW_FREE_ROOT
                                      : PCN_FW_OK;
        CU_ASSERT_EQUAL(pv->strict[v], want);
        if (want == PCN_FW_CYCLE) {
          int k = pv->strict_cycle[v];
          CU_ASSERT_FATAL(k >= 0 && k < an->ncycles);
          int c0 = an->cycles[k].path[0];
          CU_ASSERT(c0 == v || reach[c0][v]);
        }
        if (want == PCN_FW_FREE_ROOT) {
          int r = pv->strict_root[v];
          CU_ASSERT(r >= 0 && root[r] && !clamped[r] && freach[r][v]);
        }
      }
    }
    tg_free(&t);
  }
}

static void test_large_graph(void) {
  enum { N = 100000, E = 300000 };
  TGraph t;
  tg_init_n(&t, N);
  tg_reserve_edges(&t, E + N + 8);
  /* a long chain (deep for a recursive DFS) with random extra edges, and a
   * back edge making a 1000-node cycle in the middle */
  for (int i = 0; i + 1 < N; i++) tg_edge(&t, i, i + 1);
  while (t.g.nedges < E) {
    int u = (int)(rnd() % N), v = (int)(rnd() % N);
    if (u < v) tg_edge(&t, u, v);
  }
  tg_edge(&t, 50999, 50000);
  tg_clamp(&t, 0, PCN_CLAMP_IMAGE, true, true);
  PcnAnalysis *an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  CU_ASSERT(!an->is_dag);
  CU_ASSERT_EQUAL(an->ncycles, 1);
  CU_ASSERT_EQUAL(an->nsccs, N - 999);
  CU_ASSERT(an->scc[50000] == an->scc[50999] && an->scc[50000] != an->scc[49999]);
  check_cycle_real(&t.g, an, &an->cycles[0]);
  CU_ASSERT_EQUAL(an->level[49999], 49999);
  CU_ASSERT_EQUAL(an->level[60000], -1);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].strict[49999], PCN_FW_OK);
  CU_ASSERT_EQUAL(an->phase[PCN_PHASE_TRAIN].strict[99999], PCN_FW_CYCLE);
  int bad = 0;
  for (int e = 0; e < t.g.nedges; e++)
    if (an->scc[t.g.edges[e].src] > an->scc[t.g.edges[e].dst]) bad++;
  CU_ASSERT_EQUAL(bad, 0);
  tg_free(&t);

  /* one 100,000-node cycle: the BFS path covers it all */
  tg_init_n(&t, N);
  for (int i = 0; i < N; i++) tg_edge(&t, i, (i + 1) % N);
  an = pcn_analyze(&t.arena, &t.g);
  CU_ASSERT_FATAL(an != NULL);
  CU_ASSERT_EQUAL(an->nsccs, 1);
  CU_ASSERT_EQUAL(an->cycles[0].len, N);
  check_cycle_real(&t.g, an, &an->cycles[0]);
  tg_free(&t);
}

static void test_out_of_memory(void) {
  TGraph t;
  fig9_top(&t);
  PcnArena small;
  pcn_arena_init(&small);
  small.limit = 64;
  CU_ASSERT(pcn_analyze(&small, &t.g) == NULL);
  pcn_arena_free(&small);
  tg_free(&t);
}


/* pcn_check_model through the front door: the messages users see. */
static int count_errors_with(const char *src, const char *msg, int *nnotes) {
  PcnArena a;
  PcnDiag d;
  pcn_arena_init(&a);
  pcn_diag_init(&d);
  PcnCompileOptions opts = {0};
  pcn_compile_string(&a, &d, "t.pcn", src, &opts);
  int n = 0;
  for (int i = 0; i < d.nitems; i++)
    if (d.items[i].sev == PCN_SEV_ERROR && strstr(d.items[i].msg, msg)) {
      n++;
      if (nnotes) *nnotes = d.items[i].nnotes;
    }
  if (n == 0) pcn_diag_print(&d, stderr, 0);
  pcn_diag_free(&d);
  pcn_arena_free(&a);
  return n;
}

static void test_check_model(void) {
  int notes = 0;
  CU_ASSERT_EQUAL(count_errors_with("model m {\n"
                                    "  input x[4];\n"
                                    "  node h1[4] init forward;\n"
                                    "  node h2[4] init forward;\n"
                                    "  node h3[4] init forward;\n"
                                    "  target y[2];\n"
                                    "  x -> h1 -> h2 -> h3 -> h1;\n"
                                    "  h3 -> y;\n"
                                    "}\n",
                                    "h1 -> h2 -> h3 -> h1", &notes),
                  1);
  CU_ASSERT_EQUAL(notes, 3);
  CU_ASSERT_EQUAL(count_errors_with("model m {\n"
                                    "  node z[4] init forward;\n"
                                    "  input x[4];\n"
                                    "  z -> x;\n"
                                    "}\n",
                                    "it has no parents", NULL),
                  1);
  /* a legal hybrid: no errors at all */
  CU_ASSERT_EQUAL(count_errors_with("model m {\n"
                                    "  input x[4];\n"
                                    "  node h1[4] init forward;\n"
                                    "  node h2[4] init zero;\n"
                                    "  target y[2];\n"
                                    "  x -> h1 -> h2 -> y;\n"
                                    "  h2 -> h1;\n"
                                    "}\n",
                                    "", NULL),
                  0);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"random DAGs", test_random_dags},
      {"planted cycles", test_planted_cycles},
      {"self-loop", test_self_loop},
      {"Fig. 9 top and Appendix B", test_fig9_top},
      {"Fig. 9 bottom", test_fig9_bottom},
      {"generative decoder, two inputs", test_generative_and_inputs},
      {"declared forward verdicts", test_declared_forward},
      {"first inference step that moves each node", test_first_move_steps},
      {"random graphs vs brute force", test_random_brute_force},
      {"100,000 nodes", test_large_graph},
      {"out of memory", test_out_of_memory},
      {"pcn_check_model diagnostics", test_check_model},
      {NULL, NULL}};
  if (pcn_test_add_suite("analysis", cases)) return 1;
  return pcn_test_main();
}
