/*
 * pcn/activations.h - the activation functions of pcnc and their
 * derivatives, on float32 arrays.
 *
 *     float a[4] = {-2, -0.5f, 0.5f, 2}, mu[4], d[4];
 *     pcn_act_forward(PCN_ACT_GELU, a, mu, 4);   // mu = gelu(a)
 *     pcn_act_deriv(PCN_ACT_GELU, a, d, 4);      // d = gelu'(a)
 *
 * Every function is defined for every finite float: sigmoid, tanh and elu
 * never evaluate exp() of a large positive argument, so no overflow turns
 * into NaN. Derivatives are taken at the pre-activation x (not at the
 * output), which is what the PREDICT op needs (G = E * act'(A)).
 *
 * The definitions (graph.h): identity; relu (derivative 0 at x = 0);
 * leaky_relu with slope 0.01 for x < 0; tanh; sigmoid; gelu exact
 * x * Phi(x) with Phi the standard normal CDF via erf; elu with alpha 1.
 */
#ifndef PCN_ACTIVATIONS_H
#define PCN_ACTIVATIONS_H

#include <stddef.h>

#include "graph.h"

#define PCN_LEAKY_RELU_SLOPE 0.01f

/* One value (for backends that inline loops and for tests). */
float pcn_act_value(PcnActivation act, float x);
float pcn_act_derivative(PcnActivation act, float x);

/* y[i] = act(x[i]) for i < count; x and y may alias. */
void pcn_act_forward(PcnActivation act, const float *x, float *y, size_t count);
/* d[i] = act'(x[i]) for i < count; x and d may alias. */
void pcn_act_deriv(PcnActivation act, const float *x, float *d, size_t count);

#endif
