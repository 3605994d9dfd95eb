/* optim.c - SGD, Adam, AdamW (pcn/optim.h). */
#include "pcn/optim.h"

#include <math.h>

PcnOptimizer pcn_optimizer_default(PcnOptKind kind) {
  PcnOptimizer o = {0};
  o.kind = kind;
  o.lr = 1e-3f;
  o.beta1 = 0.9f;
  o.beta2 = 0.999f;
  o.eps = 1e-8f;
  o.weight_decay = kind == PCN_OPT_ADAMW ? 1e-2f : 0.0f;
  return o;
}

int pcn_optim_needs_m(const PcnOptimizer *o) {
  return o->kind != PCN_OPT_SGD || o->momentum != 0.0f;
}

int pcn_optim_needs_v(const PcnOptimizer *o) { return o->kind != PCN_OPT_SGD; }

const char *pcn_optim_name(PcnOptKind kind) {
  switch (kind) {
  case PCN_OPT_SGD: return "sgd";
  case PCN_OPT_ADAM: return "adam";
  case PCN_OPT_ADAMW: return "adamw";
  }
  return "?";
}

/* The loops are elementwise and memory-bound (AdamW reads and writes
 * 28 bytes per parameter); an AVX2 clone, chosen at load time, does them
 * 8 wide. -std=c11 keeps FP contraction off and AVX2 implies no FMA, so
 * every clone rounds exactly as the scalar code does. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define PCN_OPTIM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PCN_OPTIM_CLONES
#endif

PCN_OPTIM_CLONES
static void sgd_step(const PcnOptimizer *o, float *p, const float *grad,
                     float *m, size_t count) {
  const float lr = o->lr, wd = o->weight_decay, mom = o->momentum;
  for (size_t i = 0; i < count; i++) {
    float g = grad[i] + wd * p[i];
    if (mom != 0.0f) {
      /* PyTorch (dampening 0): buf = mom * buf + g; with buf = 0 at the
       * start this gives buf = g on the first step, as torch does. */
      m[i] = mom * m[i] + g;
      g = m[i];
    }
    p[i] -= lr * g;
  }
}

PCN_OPTIM_CLONES
static void adam_step(const PcnOptimizer *o, float *p, const float *grad,
                      float *m, float *v, size_t count, int64_t t) {
  const float b1 = o->beta1, b2 = o->beta2, eps = o->eps, lr = o->lr;
  /* Bias corrections in double: for b2 = 0.999 and small t, 1 - b2^t is
   * a small difference that float would round visibly. */
  const double bc1 = 1.0 - pow((double)b1, (double)t);
  const double bc2 = 1.0 - pow((double)b2, (double)t);
  const float step = (float)(lr / bc1);
  const float inv_sqrt_bc2 = (float)(1.0 / sqrt(bc2));
  const bool decoupled = o->kind == PCN_OPT_ADAMW;
  const float l2 = decoupled ? 0.0f : o->weight_decay;
  const float decay = decoupled ? 1.0f - lr * o->weight_decay : 1.0f;
  for (size_t i = 0; i < count; i++) {
    float g = grad[i] + l2 * p[i];
    p[i] *= decay;
    m[i] = b1 * m[i] + (1.0f - b1) * g;
    v[i] = b2 * v[i] + (1.0f - b2) * g * g;
    /* torch: denom = sqrt(v) / sqrt(bc2) + eps; p -= lr/bc1 * m / denom */
    float denom = sqrtf(v[i]) * inv_sqrt_bc2 + eps;
    p[i] -= step * m[i] / denom;
  }
}

void pcn_optim_step(const PcnOptimizer *o, float *param, const float *grad,
                    float *m, float *v, size_t count, int64_t t) {
  if (t < 1) t = 1;
  if (o->kind == PCN_OPT_SGD)
    sgd_step(o, param, grad, m, count);
  else
    adam_step(o, param, grad, m, v, count, t);
}
