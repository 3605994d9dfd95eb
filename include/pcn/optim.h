/*
 * pcn/optim.h - parameter optimizers (SGD with momentum, Adam, AdamW) on
 * float32 arrays, with the conventions of PyTorch's torch.optim so that
 * the paper's settings (Appendix C: AdamW for weights) mean the same here.
 *
 *     PcnOptimizer o = pcn_optimizer_default(PCN_OPT_ADAMW);
 *     o.lr = 3e-4f;
 *     float *m = calloc(count, 4), *v = calloc(count, 4);   // zeroed moments
 *     for (int64_t t = 1; ...; t++)
 *       pcn_optim_step(&o, w, grad, m, v, count, t);        // w -= ...
 *
 * `grad` is dLoss/dparam; the step subtracts. Updates (g = grad):
 *   SGD:   g += wd * p;  m = momentum * m + g (when momentum != 0, else m
 *          unused and may be NULL);  p -= lr * (momentum ? m : g)
 *   Adam:  g += wd * p (L2, coupled);  m = b1 m + (1-b1) g;
 *          v = b2 v + (1-b2) g^2;  p -= lr * (m / (1-b1^t)) /
 *          (sqrt(v / (1-b2^t)) + eps)
 *   AdamW: p *= 1 - lr * wd (decoupled decay, before the Adam step),
 *          then Adam without the L2 term.
 * t counts steps from 1 (bias correction); m and v start at zero.
 */
#ifndef PCN_OPTIM_H
#define PCN_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

/* PyTorch's defaults: lr 1e-3, momentum 0, betas (0.9, 0.999), eps 1e-8,
 * weight decay 0 (AdamW: 1e-2). */
PcnOptimizer pcn_optimizer_default(PcnOptKind kind);

/* Does the optimizer need the first / second moment buffer? */
int pcn_optim_needs_m(const PcnOptimizer *o);
int pcn_optim_needs_v(const PcnOptimizer *o);

/* One step on `count` parameters. m, v: moment buffers (see needs_*),
 * zero before the first step; t >= 1 is this step's number. */
void pcn_optim_step(const PcnOptimizer *o, float *param, const float *grad,
                    float *m, float *v, size_t count, int64_t t);

/* The name as the language writes it ("sgd", "adam", "adamw"). */
const char *pcn_optim_name(PcnOptKind kind);

#endif
