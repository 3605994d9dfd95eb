/*
 * pcn/graph.h - the Graph IR: a checked PCN model, ready for analysis.
 *
 * Semantic analysis (compiler/sema.c) turns a parsed .pcn program into one
 * PcnGraph per model, plus the datasets and the train/evaluate settings that
 * refer to it. Everything here is resolved: names are indices, shapes are
 * integers, hyperparameters are numbers. Later stages (graph analysis,
 * scheduler, backends, runtime) read only this structure, never the AST.
 *
 * Semantics (DESIGN.md, paper Eq. 1-4): for every node v with parents,
 *     a_v  = sum_{edges u->v} h_u W_uv + b_v      (row-vector convention)
 *     mu_v = act_v(a_v),  e_v = h_v - mu_v,  F = 1/2 sum_v ||e_v||^2
 * W_uv is stored row-major with shape [size(u) x size(v)], so a batch
 * computes A_v = H_u * W_uv with H_u of shape [batch x size(u)].
 *
 * Tutorial:
 *     PcnCompilation *c = ...;               // from pcn_compile_file()
 *     const PcnGraph *g = c->models[0];
 *     for (int i = 0; i < g->nnodes; i++)
 *       printf("%s[%d]\n", g->nodes[i].name, g->nodes[i].size);
 */
#ifndef PCN_GRAPH_H
#define PCN_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

/* Upper bounds that turn typos into errors instead of terabyte requests. */
#define PCN_MAX_NODE_SIZE (1 << 24)       /* elements in one node */
#define PCN_MAX_EDGE_PARAMS (1LL << 28)   /* weights in one edge (1 GiB f32) */
#define PCN_MAX_MODEL_PARAMS (1LL << 30)  /* weights in one model (4 GiB) */
#define PCN_MAX_BATCH 65536
#define PCN_MAX_STEPS 100000              /* inference steps T */
#define PCN_MAX_EPOCHS 100000

typedef enum PcnActivation {
  PCN_ACT_IDENTITY,
  PCN_ACT_RELU,
  PCN_ACT_LEAKY_RELU, /* slope 0.01 for x < 0 */
  PCN_ACT_TANH,
  PCN_ACT_SIGMOID,
  PCN_ACT_GELU,       /* exact: x * Phi(x) with erf */
  PCN_ACT_ELU,        /* alpha 1 */
  PCN_ACT_COUNT
} PcnActivation;

typedef enum PcnInitKind {
  PCN_INIT_ZERO,    /* h = 0 */
  PCN_INIT_RANDOM,  /* h ~ N(mean, std^2), from the run's seed */
  PCN_INIT_NULL,    /* h^(0,b+1) = h^(T,b); zero on the first batch */
  PCN_INIT_FORWARD, /* h = mu in topological order (Def. 3.1) */
  PCN_INIT_AVERAGE, /* Eq. 7 / Eq. 10: class-wise mean of h^(T) of the
                       previous batch (stream-aligned batches) */
  PCN_INIT_MEMORY,  /* Eq. 8: Hopfield retrieval from memory `memory` */
  PCN_INIT_COUNT
} PcnInitKind;

typedef struct PcnInit {
  PcnInitKind kind;
  float mean, std; /* RANDOM */
  int memory;      /* MEMORY: index into PcnGraph.memories */
  PcnSpan span;
} PcnInit;

/* What a clamped node is fixed to. */
typedef enum PcnClampSource {
  PCN_CLAMP_NONE,  /* free */
  PCN_CLAMP_IMAGE, /* the sample's features (pixels scaled to [0,1]) */
  PCN_CLAMP_LABEL  /* the sample's label, one-hot */
} PcnClampSource;

typedef struct PcnNode {
  const char *name;
  PcnSpan span;
  int size;               /* elements per sample (product of dims) */
  int ndims, dims[4];     /* declared shape; dense edges use `size` */
  PcnActivation act;
  bool bias;              /* b_v exists (nodes with parents; default on) */
  PcnInit init;           /* meaningful for nodes that are free in a phase */
  PcnClampSource clamp;
  bool clamp_train;       /* fixed to data during training */
  bool clamp_eval;        /* fixed to data during evaluation */
  int *in_edges, nin;     /* edge indices with dst == this node */
  int *out_edges, nout;   /* edge indices with src == this node */
} PcnNode;

typedef enum PcnEdgeKind { PCN_EDGE_DENSE } PcnEdgeKind;

typedef struct PcnEdge {
  int src, dst; /* node indices; src predicts dst */
  PcnEdgeKind kind;
  PcnSpan span;
} PcnEdge;

/* A modern Hopfield layer used by `init memory(M)` (Eq. 8, 9). */
typedef struct PcnMemory {
  const char *name;
  PcnSpan span;
  int patterns;        /* p: stored patterns (rows of K and V) */
  int heads;           /* a: attention heads */
  int embed;           /* e: embedding size of query/key, split over heads */
  float delta;         /* inverse temperature */
  int *query, nquery;  /* observed node indices concatenated into o */
  int *targets, ntargets; /* nodes with init memory(this) */
} PcnMemory;

typedef struct PcnGraph {
  const char *name;
  PcnSpan span;
  PcnNode *nodes;
  int nnodes;
  PcnEdge *edges;
  int nedges;
  PcnMemory *memories;
  int nmemories;
} PcnGraph;

/* ---- data, training and evaluation settings ------------------------- */

typedef enum PcnDataFormat {
  PCN_DATA_IDX,       /* MNIST-format IDX files, gzip or raw */
  PCN_DATA_CSV,       /* features columns plus one label column */
  PCN_DATA_SYNTHETIC  /* generated in-process from the seed */
} PcnDataFormat;

typedef struct PcnDataset {
  const char *name;
  PcnSpan span;
  PcnDataFormat format;
  const char *dir;               /* IDX/CSV: default directory */
  const char *train_files[2];    /* IDX: images, labels; CSV: [0] = file */
  const char *test_files[2];
  int label_column;              /* CSV: 0-based column of the label (-1 = last) */
  int features;                  /* per sample */
  int classes;                   /* C (0 = no labels) */
  int image_h, image_w;          /* for pictures; 0 when not an image */
  int train_samples, test_samples; /* SYNTHETIC only */
  const char *generator;         /* SYNTHETIC: "blobs", ... */
} PcnDataset;

typedef enum PcnOptKind { PCN_OPT_SGD, PCN_OPT_ADAM, PCN_OPT_ADAMW } PcnOptKind;

typedef struct PcnOptimizer {
  PcnOptKind kind;
  float lr;
  float momentum;          /* SGD */
  float beta1, beta2, eps; /* Adam/AdamW */
  float weight_decay;      /* AdamW decoupled, Adam/SGD L2 */
} PcnOptimizer;

typedef enum PcnSampling {
  PCN_SAMPLE_SHUFFLED, /* uniform shuffle each epoch */
  PCN_SAMPLE_ALIGNED   /* stream-aligned: n/C samples of each class */
} PcnSampling;

typedef enum PcnMethod { PCN_METHOD_PC, PCN_METHOD_BP } PcnMethod;

typedef struct PcnTrainConfig {
  int model;            /* index into PcnCompilation.models */
  PcnSpan span;
  int dataset;          /* index into PcnCompilation.datasets */
  float fraction;       /* of the training split, (0, 1] */
  int batch;            /* n */
  PcnSampling sampling;
  int epochs;
  int T;                /* inference steps per batch */
  PcnOptimizer inference; /* alpha = inference.lr (SGD, optional momentum) */
  PcnOptimizer learning;  /* beta = learning.lr */
  uint64_t seed;
  PcnMethod method;
  PcnSpan method_span;  /* where `method` was written (the block's name when not) */
} PcnTrainConfig;

typedef enum PcnMetric { PCN_METRIC_ACCURACY, PCN_METRIC_MSE } PcnMetric;

typedef struct PcnEvalConfig {
  int model;
  PcnSpan span;
  int dataset;          /* uses the dataset's test split */
  PcnMetric metric;
  int T;                /* inference steps when evaluation needs inference */
  PcnOptimizer inference;
  int batch;            /* evaluation batch size */
  PcnSpan steps_span;   /* where T was written (the block's name when not) */
} PcnEvalConfig;

/* The result of compiling one file: all models, datasets and blocks. */
typedef struct PcnCompilation {
  PcnGraph **models;
  int nmodels;
  PcnDataset *datasets;
  int ndatasets;
  PcnTrainConfig *trains; /* at most one per model */
  int ntrains;
  PcnEvalConfig *evals;   /* at most one per model */
  int nevals;
  struct PcnAnalysis **analyses; /* [nmodels] graph analysis of each model */
} PcnCompilation;

const char *pcn_activation_name(PcnActivation a);
const char *pcn_init_name(PcnInitKind k);
/* Returns -1 when the name is unknown. */
int pcn_activation_from_name(const char *name);

#endif
