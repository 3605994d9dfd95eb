/* codegen.c - lowering of the Schedule IR to one LLVM module (codegen.h).
 *
 * One function per program; inside, stages in order and ops in stage
 * order, exactly as the reference executor runs them, so that the only
 * numerical differences are the ones the optimizer introduces (none: no
 * fast-math flags are set, so every float operation keeps its order and
 * rounding; only the BLAS calls are shared with the reference).
 *
 * Loops are built with an index phi per loop; reductions (energies, bias
 * gradients) accumulate through one double alloca in the entry block,
 * which mem2reg turns into a phi. */
#include "codegen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "pcn/activations.h"

/* cblas.h enum values, fixed by the CBLAS standard. */
#define CBLAS_ROW_MAJOR 101
#define CBLAS_NO_TRANS 111
#define CBLAS_TRANS 112

/* The same constants as runtime/activations.c, so gelu rounds alike. */
#define INV_SQRT2 0.70710678118654752440f
#define INV_SQRT_2PI 0.39894228040143267794f

static void cg_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cg_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static const char *const prog_symbols[PCN_PROG_COUNT] = {
    "train_init", "train_step", "train_learn", "eval_init", "eval_step", "eval_readout"};

const char *pcn_cg_program_symbol(PcnProgramKind k) {
  return (unsigned)k < PCN_PROG_COUNT ? prog_symbols[k] : "unknown";
}

/* Everything one module build needs. */
typedef struct Cg {
  LLVMContextRef ctx;
  LLVMModuleRef mod;
  LLVMBuilderRef b;
  const PcnSchedule *s;
  const PcnCgOptions *o;
  /* types */
  LLVMTypeRef i32, i64, f32, f64, pf32, ppf32, pf64, pi8, state_ty, pstate;
  LLVMTypeRef unary_ty;  /* float (float) */
  LLVMTypeRef sgemm_ty;  /* cblas_sgemm */
  LLVMTypeRef helper_ty; /* pcn_rt_jit_op */
  /* external functions */
  LLVMValueRef f_erff, f_expf, f_expm1f, f_tanhf, f_sgemm, f_helper;
  /* per function */
  LLVMValueRef fn, st, n32, n64, bufs, acc;
  PcnProgramKind prog;
} Cg;

static LLVMValueRef ci32(Cg *c, long long v) { return LLVMConstInt(c->i32, (unsigned long long)v, 1); }
static LLVMValueRef ci64(Cg *c, long long v) { return LLVMConstInt(c->i64, (unsigned long long)v, 1); }
static LLVMValueRef cf32(Cg *c, float v) { return LLVMConstReal(c->f32, v); }

static LLVMValueRef declare(Cg *c, const char *name, LLVMTypeRef ty) {
  LLVMValueRef f = LLVMAddFunction(c->mod, name, ty);
  LLVMSetLinkage(f, LLVMExternalLinkage);
  return f;
}

static void build_types(Cg *c) {
  LLVMContextRef x = c->ctx;
  c->i32 = LLVMInt32TypeInContext(x);
  c->i64 = LLVMInt64TypeInContext(x);
  c->f32 = LLVMFloatTypeInContext(x);
  c->f64 = LLVMDoubleTypeInContext(x);
  c->pf32 = LLVMPointerType(c->f32, 0);
  c->ppf32 = LLVMPointerType(c->pf32, 0);
  c->pf64 = LLVMPointerType(c->f64, 0);
  c->pi8 = LLVMPointerType(LLVMInt8TypeInContext(x), 0);
  /* PcnJitState (codegen.h), field for field. */
  c->state_ty = LLVMStructCreateNamed(x, "PcnJitState");
  LLVMTypeRef pair = LLVMArrayType(c->f32, 2);
  LLVMTypeRef fields[] = {c->ppf32, c->pf64, c->pi8, pair, pair};
  LLVMStructSetBody(c->state_ty, fields, 5, 0);
  c->pstate = LLVMPointerType(c->state_ty, 0);

  LLVMTypeRef f1[] = {c->f32};
  c->unary_ty = LLVMFunctionType(c->f32, f1, 1, 0);
  c->f_erff = declare(c, "erff", c->unary_ty);
  c->f_expf = declare(c, "expf", c->unary_ty);
  c->f_expm1f = declare(c, "expm1f", c->unary_ty);
  c->f_tanhf = declare(c, "tanhf", c->unary_ty);

  LLVMTypeRef g[] = {c->i32, c->i32, c->i32, c->i32,  c->i32, c->i32, c->f32,
                     c->pf32, c->i32, c->pf32, c->i32, c->f32, c->pf32, c->i32};
  c->sgemm_ty = LLVMFunctionType(LLVMVoidTypeInContext(x), g, 14, 0);
  c->f_sgemm = declare(c, "cblas_sgemm", c->sgemm_ty);

  LLVMTypeRef h[] = {c->pstate, c->i32, c->i32, c->i32, c->i32};
  c->helper_ty = LLVMFunctionType(c->i32, h, 5, 0);
  c->f_helper = declare(c, "pcn_rt_jit_op", c->helper_ty);
  /* Weak: an embedding program without the pcn runtime links fine and
   * sees NULL here (codegen.h). */
  LLVMSetLinkage(c->f_helper, LLVMExternalWeakLinkage);
}

static LLVMValueRef call1(Cg *c, LLVMValueRef fn, LLVMValueRef x, const char *name) {
  return LLVMBuildCall2(c->b, c->unary_ty, fn, &x, 1, name);
}

/* ---- buffers and loops ------------------------------------------------ */

static LLVMValueRef buffer(Cg *c, int idx) {
  const char *name = c->s->buffers[idx].name;
  LLVMValueRef i = ci64(c, idx);
  LLVMValueRef slot = LLVMBuildInBoundsGEP2(c->b, c->pf32, c->bufs, &i, 1, "");
  return LLVMBuildLoad2(c->b, c->pf32, slot, name);
}

static LLVMValueRef elem_ptr(Cg *c, LLVMValueRef base, LLVMValueRef i) {
  return LLVMBuildInBoundsGEP2(c->b, c->f32, base, &i, 1, "");
}
static LLVMValueRef load_at(Cg *c, LLVMValueRef base, LLVMValueRef i, const char *name) {
  return LLVMBuildLoad2(c->b, c->f32, elem_ptr(c, base, i), name);
}
static void store_at(Cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef i) {
  LLVMBuildStore(c->b, v, elem_ptr(c, base, i));
}

typedef struct Loop {
  LLVMBasicBlockRef head, exit;
  LLVMValueRef i; /* i64 index, 0 .. count-1 */
} Loop;

/* for (i = 0; i < count; i++) { <body built by the caller> } */
static Loop loop_open(Cg *c, LLVMValueRef count, const char *name) {
  char buf[64];
  Loop l;
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(c->b);
  snprintf(buf, sizeof buf, "%s.head", name);
  l.head = LLVMAppendBasicBlockInContext(c->ctx, c->fn, buf);
  snprintf(buf, sizeof buf, "%s.body", name);
  LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(c->ctx, c->fn, buf);
  snprintf(buf, sizeof buf, "%s.end", name);
  l.exit = LLVMAppendBasicBlockInContext(c->ctx, c->fn, buf);
  LLVMBuildBr(c->b, l.head);
  LLVMPositionBuilderAtEnd(c->b, l.head);
  l.i = LLVMBuildPhi(c->b, c->i64, name);
  LLVMValueRef zero = ci64(c, 0);
  LLVMAddIncoming(l.i, &zero, &pre, 1);
  LLVMValueRef more = LLVMBuildICmp(c->b, LLVMIntSLT, l.i, count, "");
  LLVMBuildCondBr(c->b, more, body, l.exit);
  LLVMPositionBuilderAtEnd(c->b, body);
  return l;
}

static void loop_close(Cg *c, Loop *l) {
  LLVMValueRef next = LLVMBuildNSWAdd(c->b, l->i, ci64(c, 1), "");
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(c->b);
  LLVMAddIncoming(l->i, &next, &latch, 1);
  LLVMBuildBr(c->b, l->head);
  /* Keep the exit after the body in the block list, so printed IR reads
   * top to bottom like the loop nest. */
  LLVMMoveBasicBlockAfter(l->exit, latch);
  LLVMPositionBuilderAtEnd(c->b, l->exit);
}

/* Rows of buffer b for this call: n for batch buffers. */
static LLVMValueRef rows64(Cg *c, int b) {
  return c->s->buffers[b].batch_rows ? c->n64 : ci64(c, c->s->buffers[b].rows);
}

/* ---- activations (runtime/activations.c, operation for operation) ------ */

/* mu = act(x) and, when d is non-NULL, *d = act'(x). */
static LLVMValueRef act_emit(Cg *c, PcnActivation act, LLVMValueRef x, LLVMValueRef *d) {
  LLVMBuilderRef b = c->b;
  LLVMValueRef zero = cf32(c, 0.0f), one = cf32(c, 1.0f);
  switch (act) {
  case PCN_ACT_IDENTITY:
  case PCN_ACT_COUNT:
    if (d) *d = one;
    return x;
  case PCN_ACT_RELU: {
    LLVMValueRef pos = LLVMBuildFCmp(b, LLVMRealOGT, x, zero, "pos");
    if (d) *d = LLVMBuildSelect(b, pos, one, zero, "d");
    return LLVMBuildSelect(b, pos, x, zero, "mu");
  }
  case PCN_ACT_LEAKY_RELU: {
    LLVMValueRef pos = LLVMBuildFCmp(b, LLVMRealOGT, x, zero, "pos");
    LLVMValueRef slope = cf32(c, PCN_LEAKY_RELU_SLOPE);
    if (d) *d = LLVMBuildSelect(b, pos, one, slope, "d");
    return LLVMBuildSelect(b, pos, x, LLVMBuildFMul(b, slope, x, ""), "mu");
  }
  case PCN_ACT_TANH: {
    LLVMValueRef t = call1(c, c->f_tanhf, x, "t");
    if (d) *d = LLVMBuildFSub(b, one, LLVMBuildFMul(b, t, t, ""), "d");
    return t;
  }
  case PCN_ACT_SIGMOID: {
    /* Two-sided form: both branches of the reference evaluate
     * expf(-|x|), so one call serves both. */
    LLVMValueRef nonneg = LLVMBuildFCmp(b, LLVMRealOGE, x, zero, "nonneg");
    LLVMValueRef negx = LLVMBuildFNeg(b, x, "");
    LLVMValueRef z = call1(c, c->f_expf, LLVMBuildSelect(b, nonneg, negx, x, ""), "z");
    LLVMValueRef den = LLVMBuildFAdd(b, one, z, "");
    LLVMValueRef s = LLVMBuildSelect(b, nonneg, LLVMBuildFDiv(b, one, den, ""),
                                     LLVMBuildFDiv(b, z, den, ""), "mu");
    if (d) *d = LLVMBuildFMul(b, s, LLVMBuildFSub(b, one, s, ""), "d");
    return s;
  }
  case PCN_ACT_GELU: {
    LLVMValueRef erf = call1(c, c->f_erff, LLVMBuildFMul(b, x, cf32(c, INV_SQRT2), ""), "erf");
    LLVMValueRef onep = LLVMBuildFAdd(b, one, erf, "");
    if (d) {
      LLVMValueRef cdf = LLVMBuildFMul(b, cf32(c, 0.5f), onep, "cdf");
      LLVMValueRef arg = LLVMBuildFMul(b, LLVMBuildFMul(b, cf32(c, -0.5f), x, ""), x, "");
      LLVMValueRef pdf = LLVMBuildFMul(b, cf32(c, INV_SQRT_2PI), call1(c, c->f_expf, arg, ""), "pdf");
      *d = LLVMBuildFAdd(b, cdf, LLVMBuildFMul(b, x, pdf, ""), "d");
    }
    return LLVMBuildFMul(b, LLVMBuildFMul(b, cf32(c, 0.5f), x, ""), onep, "mu");
  }
  case PCN_ACT_ELU: {
    LLVMValueRef pos = LLVMBuildFCmp(b, LLVMRealOGT, x, zero, "pos");
    /* The calls run for every x (their results are selected away for
     * x > 0): expm1f and expf of a large x give inf, never a trap. */
    if (d) *d = LLVMBuildSelect(b, pos, one, call1(c, c->f_expf, x, ""), "d");
    return LLVMBuildSelect(b, pos, x, call1(c, c->f_expm1f, x, ""), "mu");
  }
  }
  return x;
}

/* ---- ops --------------------------------------------------------------- */

static void emit_gemm(Cg *c, const PcnOp *op) {
  const PcnBuffer *A = &c->s->buffers[op->a], *B = &c->s->buffers[op->b],
                  *C = &c->s->buffers[op->c];
  LLVMValueRef m = op->m < 0 ? c->n32 : ci32(c, op->m);
  LLVMValueRef nn = op->n < 0 ? c->n32 : ci32(c, op->n);
  LLVMValueRef k = op->k < 0 ? c->n32 : ci32(c, op->k);
  LLVMValueRef alpha = cf32(c, op->alpha);
  if (op->alpha_over_batch)
    alpha = LLVMBuildFDiv(c->b, alpha, LLVMBuildSIToFP(c->b, c->n32, c->f32, ""), "alpha");
  LLVMValueRef args[] = {ci32(c, CBLAS_ROW_MAJOR),
                         ci32(c, op->trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS),
                         ci32(c, op->trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS),
                         m, nn, k, alpha,
                         buffer(c, op->a), ci32(c, A->cols),
                         buffer(c, op->b), ci32(c, B->cols),
                         cf32(c, op->beta),
                         buffer(c, op->c), ci32(c, C->cols)};
  LLVMBuildCall2(c->b, c->sgemm_ty, c->f_sgemm, args, 14, "");
}

/* FORWARD_SET and PREDICT share the walk over rows and columns (the bias
 * needs the column); `predict` selects the error part. */
static void emit_node_op(Cg *c, const PcnOp *op, bool predict) {
  const PcnNode *nd = &c->s->graph->nodes[op->node];
  int cols = nd->size;
  LLVMValueRef A = buffer(c, op->pa), H = buffer(c, op->h);
  LLVMValueRef bias = op->bias >= 0 ? buffer(c, op->bias) : NULL;
  LLVMValueRef MU = NULL, E = NULL, G = NULL, DH = NULL;
  if (predict) {
    MU = buffer(c, op->mu), E = buffer(c, op->e), G = buffer(c, op->g);
    DH = op->dh >= 0 ? buffer(c, op->dh) : NULL;
    LLVMBuildStore(c->b, LLVMConstReal(c->f64, 0.0), c->acc);
  }
  Loop r = loop_open(c, c->n64, predict ? "pr.r" : "fs.r");
  LLVMValueRef row = LLVMBuildNSWMul(c->b, r.i, ci64(c, cols), "row");
  Loop j = loop_open(c, ci64(c, cols), predict ? "pr.j" : "fs.j");
  LLVMValueRef i = LLVMBuildNSWAdd(c->b, row, j.i, "i");
  LLVMValueRef a = load_at(c, A, i, "a");
  if (bias) {
    a = LLVMBuildFAdd(c->b, a, load_at(c, bias, j.i, "bias"), "a");
    store_at(c, a, A, i);
  }
  if (!predict) {
    store_at(c, act_emit(c, nd->act, a, NULL), H, i);
  } else {
    LLVMValueRef d;
    LLVMValueRef mu = act_emit(c, nd->act, a, &d);
    store_at(c, mu, MU, i);
    LLVMValueRef e = LLVMBuildFSub(c->b, load_at(c, H, i, "h"), mu, "e");
    store_at(c, e, E, i);
    store_at(c, LLVMBuildFMul(c->b, d, e, "g"), G, i);
    if (DH) store_at(c, e, DH, i);
    /* energy += (double)e * e, as the reference sums it */
    LLVMValueRef ed = LLVMBuildFPExt(c->b, e, c->f64, "");
    LLVMValueRef acc = LLVMBuildLoad2(c->b, c->f64, c->acc, "acc");
    LLVMBuildStore(c->b, LLVMBuildFAdd(c->b, acc, LLVMBuildFMul(c->b, ed, ed, ""), ""), c->acc);
  }
  loop_close(c, &j);
  loop_close(c, &r);
  if (predict) {
    LLVMValueRef sum = LLVMBuildLoad2(c->b, c->f64, c->acc, "energy");
    LLVMValueRef half = LLVMBuildFMul(c->b, LLVMConstReal(c->f64, 0.5), sum, "");
    LLVMValueRef ep = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 1, "");
    LLVMValueRef energies = LLVMBuildLoad2(c->b, c->pf64, ep, "energies");
    LLVMValueRef node = ci64(c, op->node);
    LLVMBuildStore(c->b, half, LLVMBuildInBoundsGEP2(c->b, c->f64, energies, &node, 1, ""));
  }
}

static void emit_zero(Cg *c, const PcnOp *op) {
  LLVMValueRef D = buffer(c, op->dst);
  LLVMValueRef count = LLVMBuildNSWMul(c->b, rows64(c, op->dst), ci64(c, c->s->buffers[op->dst].cols), "");
  Loop l = loop_open(c, count, "zero");
  store_at(c, cf32(c, 0.0f), D, l.i);
  loop_close(c, &l);
}

/* Alpha or momentum of this program's phase from the state. */
static LLVMValueRef phase_param(Cg *c, unsigned field, const char *name) {
  int phase = pcn_program_phase(c->prog) == PCN_PHASE_TRAIN ? 0 : 1;
  LLVMValueRef idx[] = {ci32(c, 0), ci32(c, (long long)field), ci32(c, phase)};
  LLVMValueRef p = LLVMBuildInBoundsGEP2(c->b, c->state_ty, c->st, idx, 3, "");
  return LLVMBuildLoad2(c->b, c->f32, p, name);
}

static void emit_update_h(Cg *c, const PcnOp *op) {
  LLVMValueRef H = buffer(c, op->h), DH = buffer(c, op->dh);
  LLVMValueRef count = LLVMBuildNSWMul(c->b, c->n64, ci64(c, c->s->buffers[op->h].cols), "count");
  LLVMValueRef alpha = phase_param(c, 3, "alpha");
  LLVMBasicBlockRef done = NULL;
  if (op->vel >= 0) {
    /* Momentum is a runtime value: 0 takes the plain update, as in the
     * reference. */
    LLVMValueRef mom = phase_param(c, 4, "momentum");
    LLVMValueRef on = LLVMBuildFCmp(c->b, LLVMRealUNE, mom, cf32(c, 0.0f), "");
    LLVMBasicBlockRef with = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "mom");
    LLVMBasicBlockRef plain = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "plain");
    done = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "upd.end");
    LLVMBuildCondBr(c->b, on, with, plain);
    LLVMPositionBuilderAtEnd(c->b, with);
    LLVMValueRef V = buffer(c, op->vel);
    Loop l = loop_open(c, count, "updm");
    LLVMValueRef v = LLVMBuildFAdd(c->b, LLVMBuildFMul(c->b, mom, load_at(c, V, l.i, "vel"), ""),
                                   load_at(c, DH, l.i, "dh"), "v");
    store_at(c, v, V, l.i);
    LLVMValueRef h = load_at(c, H, l.i, "h");
    store_at(c, LLVMBuildFSub(c->b, h, LLVMBuildFMul(c->b, alpha, v, ""), ""), H, l.i);
    loop_close(c, &l);
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, plain);
  }
  Loop l = loop_open(c, count, "upd");
  LLVMValueRef h = load_at(c, H, l.i, "h");
  LLVMValueRef dh = load_at(c, DH, l.i, "dh");
  store_at(c, LLVMBuildFSub(c->b, h, LLVMBuildFMul(c->b, alpha, dh, ""), ""), H, l.i);
  loop_close(c, &l);
  if (done) {
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, done);
  }
}

static void emit_bias_grad(Cg *c, const PcnOp *op) {
  int cols = c->s->buffers[op->g].cols;
  int out = op->grad >= 0 ? op->grad : op->dst;
  LLVMValueRef G = buffer(c, op->g), DB = buffer(c, out);
  LLVMValueRef nd = LLVMBuildSIToFP(c->b, c->n32, c->f64, "nd");
  Loop j = loop_open(c, ci64(c, cols), "bg.j");
  LLVMBuildStore(c->b, LLVMConstReal(c->f64, 0.0), c->acc);
  Loop r = loop_open(c, c->n64, "bg.r");
  LLVMValueRef i = LLVMBuildNSWAdd(c->b, LLVMBuildNSWMul(c->b, r.i, ci64(c, cols), ""), j.i, "i");
  LLVMValueRef g = LLVMBuildFPExt(c->b, load_at(c, G, i, "g"), c->f64, "");
  LLVMValueRef acc = LLVMBuildLoad2(c->b, c->f64, c->acc, "acc");
  LLVMBuildStore(c->b, LLVMBuildFAdd(c->b, acc, g, ""), c->acc);
  loop_close(c, &r);
  LLVMValueRef sum = LLVMBuildLoad2(c->b, c->f64, c->acc, "sum");
  LLVMValueRef mean = LLVMBuildFDiv(c->b, LLVMBuildFNeg(c->b, sum, ""), nd, "");
  store_at(c, LLVMBuildFPTrunc(c->b, mean, c->f32, "db"), DB, j.i);
  loop_close(c, &j);
}

/* Ops with runtime state go to pcn_rt_jit_op(); without it (embedded,
 * weak symbol NULL) do what needs no runtime, or fail with -1. */
static void emit_delegate(Cg *c, const PcnOp *op, int stage, int opi) {
  LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rt.call");
  LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rt.none");
  LLVMBasicBlockRef fail = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rt.fail");
  LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rt.cont");
  LLVMValueRef have = LLVMBuildIsNotNull(c->b, c->f_helper, "have_rt");
  LLVMBuildCondBr(c->b, have, call, none);

  LLVMPositionBuilderAtEnd(c->b, call);
  LLVMValueRef args[] = {c->st, ci32(c, c->prog), ci32(c, stage), ci32(c, opi), c->n32};
  LLVMValueRef rc = LLVMBuildCall2(c->b, c->helper_ty, c->f_helper, args, 5, "rc");
  LLVMValueRef ok = LLVMBuildICmp(c->b, LLVMIntEQ, rc, ci32(c, 0), "");
  LLVMBuildCondBr(c->b, ok, cont, fail);

  LLVMPositionBuilderAtEnd(c->b, fail);
  LLVMBuildRet(c->b, rc);

  LLVMPositionBuilderAtEnd(c->b, none);
  bool fallback = op->kind == PCN_OP_READOUT ||
                  (op->kind == PCN_OP_INIT &&
                   (op->init == PCN_INIT_ZERO || op->init == PCN_INIT_FORWARD ||
                    op->init == PCN_INIT_NULL));
  if (!fallback) {
    LLVMBuildRet(c->b, ci32(c, -1));
  } else {
    if (op->kind == PCN_OP_INIT && op->init == PCN_INIT_ZERO) {
      PcnOp z = *op;
      z.dst = op->h;
      emit_zero(c, &z);
    }
    LLVMBuildBr(c->b, cont);
  }
  LLVMPositionBuilderAtEnd(c->b, cont);
}

static void emit_program(Cg *c, PcnProgramKind prog) {
  char name[256];
  snprintf(name, sizeof name, "%s%s", c->o && c->o->prefix ? c->o->prefix : "pcn_",
           pcn_cg_program_symbol(prog));
  LLVMTypeRef params[] = {c->pstate, c->i32};
  LLVMTypeRef fty = LLVMFunctionType(c->i32, params, 2, 0);
  c->fn = LLVMAddFunction(c->mod, name, fty);
  c->prog = prog;
  c->st = LLVMGetParam(c->fn, 0);
  c->n32 = LLVMGetParam(c->fn, 1);
  LLVMSetValueName2(c->st, "st", 2);
  LLVMSetValueName2(c->n32, "n", 1);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, c->fn, "entry"));
  c->acc = LLVMBuildAlloca(c->b, c->f64, "acc");
  c->n64 = LLVMBuildSExt(c->b, c->n32, c->i64, "n64");
  LLVMValueRef bp = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 0, "");
  c->bufs = LLVMBuildLoad2(c->b, c->ppf32, bp, "bufs");

  const PcnPhaseProgram *pr = &c->s->programs[prog];
  for (int si = 0; si < pr->nstages; si++) {
    const PcnStage *stg = &pr->stages[si];
    for (int oi = 0; oi < stg->nops; oi++) {
      const PcnOp *op = &stg->ops[oi];
      if (c->o && c->o->use_skippable && op->skippable) continue;
      switch (op->kind) {
      case PCN_OP_GEMM: emit_gemm(c, op); break;
      case PCN_OP_LOAD_CLAMP: break; /* the caller filled H */
      case PCN_OP_FORWARD_SET: emit_node_op(c, op, false); break;
      case PCN_OP_PREDICT: emit_node_op(c, op, true); break;
      case PCN_OP_ZERO: emit_zero(c, op); break;
      case PCN_OP_UPDATE_H: emit_update_h(c, op); break;
      case PCN_OP_BIAS_GRAD: emit_bias_grad(c, op); break;
      case PCN_OP_INIT:
      case PCN_OP_OPT_STEP:
      case PCN_OP_READOUT:
      case PCN_OP_KIND_COUNT: emit_delegate(c, op, si, oi); break;
      }
    }
  }
  LLVMBuildRet(c->b, ci32(c, 0));
}

LLVMModuleRef pcn_cg_build_module(LLVMContextRef ctx, const PcnSchedule *s,
                                  const PcnCgOptions *o, char *err, size_t errlen) {
  Cg c;
  memset(&c, 0, sizeof c);
  c.ctx = ctx;
  c.s = s;
  c.o = o;
  const char *model = s->graph && s->graph->name ? s->graph->name : "model";
  c.mod = LLVMModuleCreateWithNameInContext(model, ctx);
  c.b = LLVMCreateBuilderInContext(ctx);
  build_types(&c);
  for (int p = 0; p < PCN_PROG_COUNT; p++) emit_program(&c, (PcnProgramKind)p);
  LLVMDisposeBuilder(c.b);

  char *msg = NULL;
  if (LLVMVerifyModule(c.mod, LLVMReturnStatusAction, &msg)) {
    cg_err(err, errlen, "codegen: invalid module for '%s': %s", model, msg ? msg : "?");
    LLVMDisposeMessage(msg);
    LLVMDisposeModule(c.mod);
    return NULL;
  }
  LLVMDisposeMessage(msg);
  return c.mod;
}

int pcn_cg_init_native(char *err, size_t errlen) {
  static int done = 0;
  if (done) return 0;
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter() ||
      LLVMInitializeNativeAsmParser()) {
    cg_err(err, errlen, "codegen: LLVM has no native target for this host");
    return -1;
  }
  done = 1;
  return 0;
}

LLVMTargetMachineRef pcn_cg_host_machine(bool for_object, char *err, size_t errlen) {
  char *triple = LLVMGetDefaultTargetTriple();
  char *msg = NULL;
  LLVMTargetRef t;
  if (LLVMGetTargetFromTriple(triple, &t, &msg)) {
    cg_err(err, errlen, "codegen: target %s: %s", triple, msg ? msg : "?");
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    return NULL;
  }
  /* The host's CPU and features: without them LLVM assumes a baseline
   * x86-64 and the loops get SSE2 only. */
  char *cpu = LLVMGetHostCPUName(), *feat = LLVMGetHostCPUFeatures();
  LLVMTargetMachineRef tm = LLVMCreateTargetMachine(
      t, triple, cpu, feat, LLVMCodeGenLevelAggressive,
      for_object ? LLVMRelocPIC : LLVMRelocDefault,
      for_object ? LLVMCodeModelDefault : LLVMCodeModelJITDefault);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  LLVMDisposeMessage(triple);
  if (!tm) cg_err(err, errlen, "codegen: cannot create a target machine for the host");
  return tm;
}

int pcn_cg_optimize(LLVMModuleRef m, LLVMTargetMachineRef tm, char *err, size_t errlen) {
  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMSetTarget(m, triple);
  LLVMDisposeMessage(triple);
  LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
  char *dl = LLVMCopyStringRepOfTargetData(td);
  LLVMSetDataLayout(m, dl);
  LLVMDisposeMessage(dl);
  LLVMDisposeTargetData(td);

  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
  LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
  LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
  LLVMErrorRef e = LLVMRunPasses(m, "default<O3>", tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (e) {
    char *msg = LLVMGetErrorMessage(e);
    cg_err(err, errlen, "codegen: optimization failed: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
  }
  return 0;
}
