/* activations.c - activations and their derivatives (pcn/activations.h). */
#include "pcn/activations.h"

#include <math.h>

/* 1/sqrt(2) and 1/sqrt(2 pi), for the exact gelu. */
#define INV_SQRT2 0.70710678118654752440f
#define INV_SQRT_2PI 0.39894228040143267794f

/* The two-sided form keeps exp()'s argument <= 0, so neither branch
 * overflows: for x = -1000 the naive 1/(1+exp(1000)) would compute inf
 * (harmless here) but its derivative s*(1-s) from exp(x)/(1+exp(x))^2
 * would give inf/inf = NaN. */
static float sigmoid(float x) {
  if (x >= 0.0f) {
    float z = expf(-x);
    return 1.0f / (1.0f + z);
  }
  float z = expf(x);
  return z / (1.0f + z);
}

float pcn_act_value(PcnActivation act, float x) {
  switch (act) {
  case PCN_ACT_IDENTITY: return x;
  case PCN_ACT_RELU: return x > 0.0f ? x : 0.0f;
  case PCN_ACT_LEAKY_RELU: return x > 0.0f ? x : PCN_LEAKY_RELU_SLOPE * x;
  case PCN_ACT_TANH: return tanhf(x);
  case PCN_ACT_SIGMOID: return sigmoid(x);
  case PCN_ACT_GELU: return 0.5f * x * (1.0f + erff(x * INV_SQRT2));
  /* expm1f is accurate near 0 and bounded below by -1, never overflows
   * because it is only evaluated for x <= 0. */
  case PCN_ACT_ELU: return x > 0.0f ? x : expm1f(x);
  case PCN_ACT_COUNT: break;
  }
  return x;
}

float pcn_act_derivative(PcnActivation act, float x) {
  switch (act) {
  case PCN_ACT_IDENTITY: return 1.0f;
  case PCN_ACT_RELU: return x > 0.0f ? 1.0f : 0.0f;
  case PCN_ACT_LEAKY_RELU: return x > 0.0f ? 1.0f : PCN_LEAKY_RELU_SLOPE;
  case PCN_ACT_TANH: {
    float t = tanhf(x);
    return 1.0f - t * t;
  }
  case PCN_ACT_SIGMOID: {
    float s = sigmoid(x);
    return s * (1.0f - s);
  }
  case PCN_ACT_GELU: {
    /* d/dx x Phi(x) = Phi(x) + x phi(x); expf(-x^2/2) underflows to 0
     * for large |x|, which is the right limit. */
    float cdf = 0.5f * (1.0f + erff(x * INV_SQRT2));
    float pdf = INV_SQRT_2PI * expf(-0.5f * x * x);
    return cdf + x * pdf;
  }
  case PCN_ACT_ELU: return x > 0.0f ? 1.0f : expf(x);
  case PCN_ACT_COUNT: break;
  }
  return 1.0f;
}

/* The switch is hoisted out of the loops so each one is a plain loop the
 * compiler can vectorize. */
void pcn_act_forward(PcnActivation act, const float *x, float *y, size_t count) {
  switch (act) {
  case PCN_ACT_IDENTITY:
    for (size_t i = 0; i < count; i++) y[i] = x[i];
    return;
  case PCN_ACT_RELU:
    for (size_t i = 0; i < count; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return;
  default:
    for (size_t i = 0; i < count; i++) y[i] = pcn_act_value(act, x[i]);
    return;
  }
}

void pcn_act_deriv(PcnActivation act, const float *x, float *d, size_t count) {
  switch (act) {
  case PCN_ACT_IDENTITY:
    for (size_t i = 0; i < count; i++) d[i] = 1.0f;
    return;
  case PCN_ACT_RELU:
    for (size_t i = 0; i < count; i++) d[i] = x[i] > 0.0f ? 1.0f : 0.0f;
    return;
  default:
    for (size_t i = 0; i < count; i++) d[i] = pcn_act_derivative(act, x[i]);
    return;
  }
}
