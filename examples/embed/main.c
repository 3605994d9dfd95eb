/* main.c - a C program that runs a model compiled ahead of time by
 * `pcnc compile`, without LLVM or the pcn runtime: it links the object
 * file with OpenBLAS and libm only.
 *
 *     pcnc compile examples/embed/tiny.pcn -o tiny.o --header model.h --prefix tiny_
 *     cc -I. examples/embed/main.c tiny.o -lopenblas -lm -o embed && ./embed
 *
 * The model (tiny.pcn) is x[2] -> h[3] (tanh) -> y[2] with forward
 * initialization, so evaluation is one forward pass. We set fixed weights
 * and two input rows, run the evaluation programs, and print y next to
 * the same forward pass computed here in double. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

#define MAX_BATCH 4

static const float W1[2][3] = {{1, 0, -1}, {0.5f, 1, 2}}; /* W.x->h */
static const float B1[3] = {0, 0.1f, -0.2f};              /* b.h */
static const float W2[3][2] = {{1, -1}, {2, 0}, {0, 1}};  /* W.h->y */
static const float B2[2] = {0.5f, -0.5f};                 /* b.y */
static const float X[2][2] = {{1, 2}, {-1, 0.5f}};

static void copy(float *dst, const float *src, int count) {
  for (int i = 0; i < count; i++) dst[i] = src[i];
}

int main(void) {
  float *buf[TINY_NBUFFERS];
  double energy[TINY_NNODES];
  /* One allocation per buffer: batch buffers get MAX_BATCH rows. */
  for (int i = 0; i < TINY_NBUFFERS; i++) {
    int rows = tiny_buf_rows[i] < 0 ? MAX_BATCH : tiny_buf_rows[i];
    buf[i] = calloc((size_t)rows * (size_t)tiny_buf_cols[i], sizeof(float));
    if (!buf[i]) return 2;
  }
  copy(buf[TINY_BUF_W_X_TO_H], &W1[0][0], 6);
  copy(buf[TINY_BUF_B_H], B1, 3);
  copy(buf[TINY_BUF_W_H_TO_Y], &W2[0][0], 6);
  copy(buf[TINY_BUF_B_Y], B2, 2);
  int n = 2;
  copy(buf[TINY_BUF_H_X], &X[0][0], n * 2);

  PcnJitState st = {buf, energy, NULL, {0.1f, 0.1f}, {0, 0}};
  if (tiny_eval_init(&st, n) || tiny_eval_readout(&st, n)) {
    fprintf(stderr, "embed: the model needs the pcn runtime\n");
    return 1;
  }
  int ok = 1;
  const float *y = buf[TINY_READOUT_BUF];
  for (int r = 0; r < n; r++) {
    double h[3], want[2];
    for (int v = 0; v < 3; v++)
      h[v] = tanh((double)X[r][0] * W1[0][v] + (double)X[r][1] * W1[1][v] + B1[v]);
    for (int v = 0; v < 2; v++) {
      want[v] = h[0] * W2[0][v] + h[1] * W2[1][v] + h[2] * W2[2][v] + B2[v];
      if (fabs(want[v] - y[r * 2 + v]) > 1e-5) ok = 0;
    }
    printf("y[%d] = %.6f %.6f (expected %.6f %.6f)\n", r, y[r * 2], y[r * 2 + 1], want[0],
           want[1]);
  }
  printf("%s\n", ok ? "ok" : "MISMATCH");
  for (int i = 0; i < TINY_NBUFFERS; i++) free(buf[i]);
  return ok ? 0 : 1;
}
