/* test_numerics.c - activations (values, derivatives, safety) and the
 * optimizers (hand-computed steps). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "pcn/activations.h"
#include "pcn/optim.h"
#include "testutil.h"

/* Double-precision definitions, written independently of the runtime's
 * float code, as the reference. */
static double act_d(PcnActivation a, double x) {
  switch (a) {
  case PCN_ACT_IDENTITY: return x;
  case PCN_ACT_RELU: return x > 0 ? x : 0;
  case PCN_ACT_LEAKY_RELU: return x > 0 ? x : 0.01 * x;
  case PCN_ACT_TANH: return tanh(x);
  case PCN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
  case PCN_ACT_GELU: return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
  case PCN_ACT_ELU: return x > 0 ? x : exp(x) - 1.0;
  default: return NAN;
  }
}

/* Points in [-6, 6] that avoid the kink at 0 of relu, leaky relu and elu,
 * where a central difference straddles two branches. */
static int sample_points(double *xs) {
  int n = 0;
  for (int i = -60; i <= 60; i++) {
    double x = i * 0.1 + 0.013;
    xs[n++] = x;
  }
  return n;
}

static void test_values_match_double(void) {
  double xs[200];
  int n = sample_points(xs);
  for (int a = 0; a < PCN_ACT_COUNT; a++)
    for (int i = 0; i < n; i++) {
      double want = act_d(a, xs[i]);
      double got = pcn_act_value(a, (float)xs[i]);
      CU_ASSERT_DOUBLE_EQUAL(got, want, 1e-5 + 1e-5 * fabs(want));
    }
}

/* The derivative must agree with the central difference of the double
 * definition with step 1e-5 (truncation error ~1e-10 * f''', rounding
 * ~1e-16/1e-5), so the difference is dominated by float rounding of
 * the runtime's result: 1e-5 absolute plus relative is tight. */
static void test_derivatives_vs_finite_differences(void) {
  double xs[200];
  int n = sample_points(xs);
  const double h = 1e-5;
  for (int a = 0; a < PCN_ACT_COUNT; a++)
    for (int i = 0; i < n; i++) {
      double x = (double)(float)xs[i]; /* the point the float code sees */
      double fd = (act_d(a, x + h) - act_d(a, x - h)) / (2 * h);
      double got = pcn_act_derivative(a, (float)x);
      if (fabs(got - fd) > 1e-5 + 1e-4 * fabs(fd))
        fprintf(stderr, "act %d at %g: derivative %g, finite difference %g\n", a, x, got, fd);
      CU_ASSERT(fabs(got - fd) <= 1e-5 + 1e-4 * fabs(fd));
    }
}

static void test_array_forms_match_scalar(void) {
  float x[64], y[64], d[64];
  for (int i = 0; i < 64; i++) x[i] = -8.0f + 0.25f * i + 0.01f;
  for (int a = 0; a < PCN_ACT_COUNT; a++) {
    pcn_act_forward(a, x, y, 64);
    pcn_act_deriv(a, x, d, 64);
    for (int i = 0; i < 64; i++) {
      CU_ASSERT_EQUAL(y[i], pcn_act_value(a, x[i]));
      CU_ASSERT_EQUAL(d[i], pcn_act_derivative(a, x[i]));
    }
    /* In place (x and y alias) is allowed. */
    float z[64];
    memcpy(z, x, sizeof z);
    pcn_act_forward(a, z, z, 64);
    CU_ASSERT(memcmp(z, y, sizeof z) == 0);
  }
}

static void test_kinks_and_constants(void) {
  CU_ASSERT_EQUAL(pcn_act_derivative(PCN_ACT_RELU, 0.0f), 0.0f);
  CU_ASSERT_EQUAL(pcn_act_derivative(PCN_ACT_RELU, 1e-30f), 1.0f);
  CU_ASSERT_EQUAL(pcn_act_value(PCN_ACT_LEAKY_RELU, -2.0f), -0.02f);
  CU_ASSERT_EQUAL(pcn_act_derivative(PCN_ACT_LEAKY_RELU, -2.0f), 0.01f);
  CU_ASSERT_DOUBLE_EQUAL(pcn_act_value(PCN_ACT_ELU, -1.0f), exp(-1.0) - 1.0, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(pcn_act_derivative(PCN_ACT_ELU, 0.0f), 1.0, 1e-7);
  /* gelu(1) = Phi(1) = 0.8413447460685429 */
  CU_ASSERT_DOUBLE_EQUAL(pcn_act_value(PCN_ACT_GELU, 1.0f), 0.8413447460685429, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(pcn_act_value(PCN_ACT_SIGMOID, 0.0f), 0.5, 0);
  CU_ASSERT_DOUBLE_EQUAL(pcn_act_derivative(PCN_ACT_SIGMOID, 0.0f), 0.25, 1e-7);
}

/* No NaN or infinity from any activation at extreme (finite) inputs. */
static void test_extreme_inputs_are_safe(void) {
  const float xs[] = {-FLT_MAX, -1e30f, -1e4f, -104.0f, -89.0f, -88.7f, -20.0f,
                      20.0f,    88.7f,  89.0f, 104.0f,  1e4f,   1e30f};
  for (int a = 0; a < PCN_ACT_COUNT; a++)
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
      float v = pcn_act_value(a, xs[i]), d = pcn_act_derivative(a, xs[i]);
      CU_ASSERT(!isnan(v));
      CU_ASSERT(isfinite(d));
      CU_ASSERT(d >= 0.0f); /* every activation here is monotone */
      if (a == PCN_ACT_SIGMOID) CU_ASSERT(v >= 0.0f && v <= 1.0f);
      if (a == PCN_ACT_TANH) CU_ASSERT(v >= -1.0f && v <= 1.0f);
      if (a == PCN_ACT_ELU && xs[i] < 0) CU_ASSERT(v >= -1.0f);
    }
  CU_ASSERT_EQUAL(pcn_act_value(PCN_ACT_SIGMOID, -1e4f), 0.0f);
  CU_ASSERT_EQUAL(pcn_act_value(PCN_ACT_SIGMOID, 1e4f), 1.0f);
  CU_ASSERT_EQUAL(pcn_act_derivative(PCN_ACT_GELU, -1e4f), 0.0f);
  CU_ASSERT_EQUAL(pcn_act_derivative(PCN_ACT_GELU, 1e4f), 1.0f);
}

/* ---- optimizers: numbers worked out by hand (and in Python with the
 * torch.optim formulas), not with the code under test. -------------- */

static void test_sgd_plain_and_momentum(void) {
  PcnOptimizer o = pcn_optimizer_default(PCN_OPT_SGD);
  o.lr = 0.1f;
  float p = 1.0f, g = 0.5f;
  pcn_optim_step(&o, &p, &g, NULL, NULL, 1, 1);
  CU_ASSERT_DOUBLE_EQUAL(p, 0.95, 1e-7);
  CU_ASSERT_FALSE(pcn_optim_needs_m(&o));

  o.momentum = 0.9f;
  CU_ASSERT_TRUE(pcn_optim_needs_m(&o));
  float m = 0.0f;
  p = 1.0f;
  pcn_optim_step(&o, &p, &g, &m, NULL, 1, 1); /* m = 0.5, p = 0.95 */
  CU_ASSERT_DOUBLE_EQUAL(m, 0.5, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(p, 0.95, 1e-7);
  pcn_optim_step(&o, &p, &g, &m, NULL, 1, 2); /* m = 0.95, p = 0.855 */
  CU_ASSERT_DOUBLE_EQUAL(m, 0.95, 1e-7);
  CU_ASSERT_DOUBLE_EQUAL(p, 0.855, 1e-6);

  /* L2 weight decay adds wd * p to the gradient: g = 0.5 + 0.1 = 0.6. */
  o.momentum = 0.0f;
  o.weight_decay = 0.1f;
  p = 1.0f;
  pcn_optim_step(&o, &p, &g, NULL, NULL, 1, 1);
  CU_ASSERT_DOUBLE_EQUAL(p, 0.94, 1e-7);
}

static void adam_two_steps(PcnOptKind kind, float wd, double want1, double want2) {
  PcnOptimizer o = pcn_optimizer_default(kind);
  o.lr = 0.1f;
  o.weight_decay = wd;
  float p = 1.0f, m = 0.0f, v = 0.0f;
  float g1 = 0.5f, g2 = -0.25f;
  pcn_optim_step(&o, &p, &g1, &m, &v, 1, 1);
  CU_ASSERT_DOUBLE_EQUAL(p, want1, 2e-6);
  pcn_optim_step(&o, &p, &g2, &m, &v, 1, 2);
  CU_ASSERT_DOUBLE_EQUAL(p, want2, 2e-6);
}

static void test_adam_two_steps(void) {
  /* Step 1: m = 0.05, v = 2.5e-4, mhat = 0.5, vhat = 0.25 -> p -= 0.1.
   * Step 2: m = 0.02, v = 3.1225e-4, mhat = 0.02/0.19, vhat =
   * 3.1225e-4/0.001999 -> p = 0.873366... */
  adam_two_steps(PCN_OPT_ADAM, 0.0f, 0.9, 0.8733662987078463);
}

static void test_adamw_two_steps(void) {
  /* Decoupled: p *= 1 - lr*wd = 0.99 before each Adam step (whose moments
   * see the raw gradient): 0.99 - 0.1 = 0.89; 0.89*0.99 - 0.026634 */
  adam_two_steps(PCN_OPT_ADAMW, 0.1f, 0.89, 0.8544662986878463);
}

static void test_adam_l2_two_steps(void) {
  /* Coupled L2: g += wd * p before the moments. */
  adam_two_steps(PCN_OPT_ADAM, 0.1f, 0.9, 0.8544413674617625);
}

static void test_adam_many_params(void) {
  /* Elementwise: each parameter moves by lr on the first step, whatever
   * its gradient's scale (the Adam normalization). */
  PcnOptimizer o = pcn_optimizer_default(PCN_OPT_ADAM);
  o.lr = 0.01f;
  float p[5] = {0, 0, 0, 0, 0}, g[5] = {1e-3f, -2.0f, 30.0f, -4e-2f, 0.0f};
  float m[5] = {0}, v[5] = {0};
  pcn_optim_step(&o, p, g, m, v, 5, 1);
  for (int i = 0; i < 4; i++) CU_ASSERT_DOUBLE_EQUAL(p[i], g[i] > 0 ? -0.01 : 0.01, 1e-5);
  CU_ASSERT_EQUAL(p[4], 0.0f);
}

int main(void) {
  static const PcnTestCase activations[] = {
      {"values match the double definitions", test_values_match_double},
      {"derivatives match central finite differences", test_derivatives_vs_finite_differences},
      {"array forms match the scalar ones", test_array_forms_match_scalar},
      {"kinks and known constants", test_kinks_and_constants},
      {"extreme inputs give no NaN", test_extreme_inputs_are_safe},
      {NULL, NULL}};
  static const PcnTestCase optim[] = {
      {"sgd plain, momentum, L2", test_sgd_plain_and_momentum},
      {"adam two steps", test_adam_two_steps},
      {"adamw two steps", test_adamw_two_steps},
      {"adam with L2 two steps", test_adam_l2_two_steps},
      {"adam is elementwise and scale-free", test_adam_many_params},
      {NULL, NULL}};
  if (pcn_test_add_suite("activations", activations) || pcn_test_add_suite("optim", optim))
    return 1;
  return pcn_test_main();
}
