/*
 * pcn/memory.h - modern Hopfield layers (Eq. 8, 9) and the `memory(M)`
 * initializer (PC-I_mem, Sec. 4.2). docs/memory.md explains the maths.
 *
 * A PcnHopfield maps a batch of observations O [n x in] to retrievals
 * R [n x out]:
 *
 *     S   = O Q + b                         Q [in x e], b [1 x e]
 *     A_h = softmax(delta S_h K_h^T)        per head h: S_h, K_h are the
 *                                           e/a columns of head h, K [p x e]
 *     R[:, C_h] = A_h V[:, C_h]             V [p x out]; C_h = the columns
 *                                           of R owned by head h
 *
 * Heads combine by concatenation: the `out` columns of R (and V) are split
 * into `a` contiguous chunks C_0..C_{a-1} (sizes differ by at most one),
 * and head h retrieves only its chunk, with its own attention weights A_h.
 * With a = 1 this is exactly Eq. 8.
 *
 * The loss of Eq. 9, as trained here, is the batch mean
 *     L = (1/n) sum_i ||R_i - H_i||^2
 * and pcn_hopfield_grad() computes dL/dQ, dL/db, dL/dK, dL/dV by hand.
 *
 * Standalone use (no plan, no compiler):
 *
 *     PcnHopfield *m = pcn_hopfield_new(784, 64, 24, 16, 128, 200.0f,
 *                                       seed, 200, err, sizeof err);
 *     pcn_hopfield_init_values(m, O, H0, n, err, sizeof err); // V = A^+ H0
 *     pcn_hopfield_retrieve(m, O, n, R);                      // Eq. 8
 *     double L = pcn_hopfield_grad(m, O, HT, n);              // Eq. 9
 *     pcn_hopfield_step(m, &opt);                             // optimizer
 *     pcn_hopfield_free(m);
 *
 * Nothing here prints or exits; errors come back as -1 / NULL with a
 * message in err.
 */
#ifndef PCN_MEMORY_H
#define PCN_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "exec.h"
#include "graph.h"

typedef struct PcnHopfield PcnHopfield;

typedef enum PcnHopfieldParam {
  PCN_HOP_Q, /* [in x e] */
  PCN_HOP_B, /* [1 x e] */
  PCN_HOP_K, /* [p x e] */
  PCN_HOP_V, /* [p x out] */
  PCN_HOP_PARAM_COUNT
} PcnHopfieldParam;

/* Q, b, K drawn from the seed's PCN_STREAM_MEMORY stream (`stream_index`
 * separates several memories of one model), uniform in +-1/sqrt(fan_in)
 * like nn.Linear (fan_in = in for Q and b, e/a for K); V = 0 until
 * pcn_hopfield_init_values(). embed must be a multiple of heads. */
PcnHopfield *pcn_hopfield_new(int in, int out, int patterns, int heads, int embed,
                              float delta, uint64_t seed, int stream_index, int max_batch,
                              char *err, size_t errlen);
void pcn_hopfield_free(PcnHopfield *m);

/* A parameter or its gradient (from the last pcn_hopfield_grad()), row
 * major; rows and cols may be NULL. */
float *pcn_hopfield_param(PcnHopfield *m, PcnHopfieldParam which, int *rows, int *cols);
float *pcn_hopfield_grad_of(PcnHopfield *m, PcnHopfieldParam which);
/* All parameters in one array (Q, b, K, V in that order) and their count,
 * e.g. for checkpoints or divergence checks. */
float *pcn_hopfield_params(PcnHopfield *m, size_t *count);

/* First and one-past-last column of R owned by head h. */
void pcn_hopfield_head_cols(const PcnHopfield *m, int h, int *c0, int *c1);

/* R [n x out] (row stride out) = Eq. 8 for the rows of O [n x in]. */
int pcn_hopfield_retrieve(PcnHopfield *m, const float *O, int n, float *R);

/* The attention weights A_h [n x p] of the last retrieve/grad/init call. */
const float *pcn_hopfield_attention(const PcnHopfield *m, int head);

/* Batch-mean loss of Eq. 9 for targets H [n x out]; no gradients. */
double pcn_hopfield_loss(PcnHopfield *m, const float *O, const float *H, int n);
/* The same loss, and its gradients w.r.t. Q, b, K, V (pcn_hopfield_grad_of). */
double pcn_hopfield_grad(PcnHopfield *m, const float *O, const float *H, int n);

/* One step of optimizer `o` on every parameter with the last gradients
 * (its own moments and step counter). */
void pcn_hopfield_step(PcnHopfield *m, const PcnOptimizer *o);

/* The pseudo-inverse rule: per head, V[:, C_h] = A_h^+ H0[:, C_h] with A_h
 * from O, i.e. the minimum-norm least-squares solution of A_h X = H0
 * (LAPACKE_sgelsd; singular values below 1e-3 of the largest count as 0).
 * 0, or -1 with a message. */
int pcn_hopfield_init_values(PcnHopfield *m, const float *O, const float *H0, int n,
                             char *err, size_t errlen);

/* ---- the `memory(M)` initializer of a plan ------------------------------ */

/* What INIT ops of kind PCN_INIT_MEMORY call. pcn_initializer_builtin()
 * returns it, so plans get it without configuration. Per batch: the
 * targets of M start at the retrieval of M's query nodes; on the first
 * training batch V is first set by the pseudo-inverse rule from the
 * targets' forward values (zero where forward from data is impossible);
 * after each training batch's inference (end_batch) M takes one step on
 * Eq. 9 with the train block's learning optimizer. Evaluation never
 * trains M. */
const PcnInitializer *pcn_initializer_memory(void);

/* The Hopfield layer of memory `mem` (index into PcnGraph.memories) in a
 * plan, NULL when the plan has none (no node initialized from it). */
PcnHopfield *pcn_plan_memory(PcnPlan *p, int mem);
/* Eq. 9's batch-mean loss of memory `mem` at the last training batch
 * (before its step), or NaN. */
double pcn_plan_memory_loss(PcnPlan *p, int mem);

#endif
