/*
 * pcn/analysis.h - graph analysis of a PcnGraph: cycles, roots, levels and
 * the forward-initialization verdicts of Proposition 3.2.
 *
 * Proposition 3.2 (paper, Sec. 3.1): whole-network forward initialization
 * is possible only on a DAG whose roots are all clamped. pcn_analyze()
 * proves or refutes this for each phase (training, evaluation) and gives,
 * for every node, whether `init forward` is legal and why not:
 *
 *   - the node lies on a cycle of forward-initialized nodes (the concrete
 *     node path is given), or
 *   - the node has no parents (a root cannot be predicted), or
 *   - (strict verdict only) it depends on a free root, i.e. an unclamped
 *     ancestor with no parents, so its forward value is not determined by
 *     data.
 *
 * The verdicts are phase-dependent because clamping is: a `target` node is
 * clamped in training and free in evaluation.
 *
 * All arrays are allocated in the arena passed to pcn_analyze().
 */
#ifndef PCN_ANALYSIS_H
#define PCN_ANALYSIS_H

#include <stdbool.h>

#include "arena.h"
#include "graph.h"

typedef enum PcnPhase { PCN_PHASE_TRAIN, PCN_PHASE_EVAL, PCN_PHASE_COUNT } PcnPhase;

/* How evaluation predicts (DESIGN.md, "Evaluation"). */
typedef enum PcnEvalMode {
  PCN_EVAL_FORWARD,   /* DAG with clamped roots: one forward pass, F = 0 */
  PCN_EVAL_INFERENCE  /* cyclic or generative: T_eval inference steps */
} PcnEvalMode;

/* A directed cycle: path[0] -> path[1] -> ... -> path[len-1] -> path[0].
 * Every consecutive pair (and the closing pair) is an edge of the graph. */
typedef struct PcnCycle {
  int *path;
  int len;
} PcnCycle;

/* Why `init forward` is not legal for a node. */
typedef enum PcnFwReason {
  PCN_FW_OK,
  PCN_FW_CLAMPED,    /* clamped in this phase: needs no initializer */
  PCN_FW_NO_PARENTS, /* a root: nothing to predict it from */
  PCN_FW_CYCLE,      /* on (or downstream of) a cycle: see fw_cycle */
  PCN_FW_FREE_ROOT   /* depends on a free root: see fw_root */
} PcnFwReason;

typedef struct PcnPhaseVerdict {
  /* Proposition 3.2 for the whole network in this phase. */
  bool whole_forward_legal;
  PcnFwReason whole_reason; /* first obstacle found */
  int whole_cycle;          /* index into cycles, or -1 */
  int whole_root;           /* the free root, or -1 */

  /* Strict per-node verdict: forward-initializing this node from data is
   * possible (all its ancestors acyclic and every root ancestor clamped).
   * Cyclic ancestors are taken in the whole graph (Proposition 3.2 per
   * node, conservative when a cycle passes through a clamped node); free
   * roots count only when reached through free nodes, since a clamped node
   * is data whatever lies above it. A free root itself gets NO_PARENTS
   * with strict_root = itself. strict_cycle indexes `cycles`. */
  PcnFwReason *strict;      /* [nnodes] */
  int *strict_cycle;        /* [nnodes] cycle index when CYCLE, else -1 */
  int *strict_root;         /* [nnodes] free root when FREE_ROOT, else -1 */

  /* The model as written: the nodes whose initializer in this phase is
   * forward, with the obstacle when the declaration is illegal (a cycle
   * among forward nodes, or a root declared forward). */
  PcnFwReason *declared;    /* [nnodes] OK for legal forward nodes and for
                               nodes not initialized by forward */
  int *declared_cycle;      /* [nnodes] index into fw_cycles when CYCLE,
                               else -1 */
  /* One concrete cycle per cyclic SCC of the subgraph induced by the nodes
   * whose initializer in this phase is forward (the error `pcnc check`
   * reports). A cycle here never passes through a non-forward node. */
  PcnCycle *fw_cycles;
  int nfw_cycles;
  /* `average` nodes (free in this phase) also get a verdict in `declared`:
   * whether their forward fallback (first training batch, evaluation in
   * inference mode) is legal: OK, NO_PARENTS, or CYCLE (on a cycle of the
   * subgraph induced by forward and average nodes; declared_cycle -1). */

  /* Forward sweep depth in matrix products for nodes computed by the
   * sweep (0 for nodes known before it), used for SMM counting: a legal
   * forward node gets 1 + the largest fw_depth of its parents. */
  int *fw_depth;            /* [nnodes] */
  int fw_max_depth;         /* max of fw_depth (0: no forward sweep) */
  PcnEvalMode eval_mode;    /* meaningful for PCN_PHASE_EVAL */
} PcnPhaseVerdict;

typedef struct PcnAnalysis {
  int nnodes;
  int *scc;        /* [nnodes] strongly connected component id */
  int nsccs;
  bool *on_cycle;  /* [nnodes] in an SCC of size > 1 or with a self-loop */
  PcnCycle *cycles; /* one concrete cycle per cyclic SCC */
  int ncycles;
  int *cycle_of;   /* [nnodes] index into cycles for nodes on a cycle, else -1 */
  bool is_dag;
  int *roots;      /* nodes with no parents, ascending */
  int nroots;
  /* Topological level: for nodes not on a cycle and with no cyclic
   * ancestor, the longest path (in edges) from a root; -1 otherwise.
   * Levels of the condensation are in scc_level. */
  int *level;      /* [nnodes] */
  int *scc_level;  /* [nsccs] longest path in the condensation DAG */
  int *topo;       /* [nnodes] a topological order of the condensation,
                      members of one SCC adjacent */
  PcnPhaseVerdict phase[PCN_PHASE_COUNT];
} PcnAnalysis;

/* Analyzes g. Never fails for a well-formed graph; returns NULL only when
 * the arena is out of memory. Runs in O(nodes + edges). */
PcnAnalysis *pcn_analyze(PcnArena *a, const PcnGraph *g);

/* The initializer a node actually uses in a phase (evaluation replaces
 * `average` and training-only choices as docs/language.md describes). */
PcnInitKind pcn_effective_init(const PcnGraph *g, const PcnAnalysis *an,
                               int node, PcnPhase phase);

/* For each node, the first inference step (1-based) at which its state
 * can change in phase p, under the schedule's simultaneous (Jacobi)
 * updates from the phase's initial state; -1 for clamped nodes and nodes
 * no error reaches. At t = 0 the error is nonzero at every node with
 * parents that is clamped or not forward-initialized (a forward node has
 * h = mu exactly); a free node moves at step t when its own error or a
 * child's was nonzero after step t - 1, and moving makes its own and its
 * children's errors nonzero. So errors travel one edge per step: on the
 * paper's decoder (z -> h1 -> h2 -> h3 -> img, img clamped, the h's
 * forward from z) z first moves at step 4. step: [nnodes]. Returns 0, or
 * -1 when out of memory (step untouched). */
int pcn_first_move_steps(const PcnGraph *g, const PcnAnalysis *an, PcnPhase p, int *step);

/* Is node v clamped in phase p? */
bool pcn_node_clamped(const PcnNode *v, PcnPhase p);

#endif
