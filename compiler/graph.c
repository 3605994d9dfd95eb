/*
 * graph.c - names of Graph IR enumerations, shared by sema (parsing the
 * surface names), the driver (printing) and the backends (logging).
 * The tables are indexed by the enum values, so adding an activation means
 * one line here and one in graph.h.
 */
#include <string.h>

#include "pcn/graph.h"

static const char *const act_names[PCN_ACT_COUNT] = {
    [PCN_ACT_IDENTITY] = "identity", [PCN_ACT_RELU] = "relu",
    [PCN_ACT_LEAKY_RELU] = "leaky_relu", [PCN_ACT_TANH] = "tanh",
    [PCN_ACT_SIGMOID] = "sigmoid", [PCN_ACT_GELU] = "gelu",
    [PCN_ACT_ELU] = "elu",
};

static const char *const init_names[PCN_INIT_COUNT] = {
    [PCN_INIT_ZERO] = "zero",       [PCN_INIT_RANDOM] = "random",
    [PCN_INIT_NULL] = "null",       [PCN_INIT_FORWARD] = "forward",
    [PCN_INIT_AVERAGE] = "average", [PCN_INIT_MEMORY] = "memory",
};

const char *pcn_activation_name(PcnActivation a) {
  if ((int)a < 0 || a >= PCN_ACT_COUNT) return "?";
  return act_names[a];
}

const char *pcn_init_name(PcnInitKind k) {
  if ((int)k < 0 || k >= PCN_INIT_COUNT) return "?";
  return init_names[k];
}

int pcn_activation_from_name(const char *name) {
  if (!name) return -1;
  for (int i = 0; i < PCN_ACT_COUNT; i++)
    if (strcmp(act_names[i], name) == 0) return i;
  return -1;
}
