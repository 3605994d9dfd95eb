/* codegen.c - lowering of the Schedule IR to one LLVM module (codegen.h).
 *
 * One function per program; inside, stages in order and ops in stage
 * order, as the reference executor runs them. No fast-math flags are
 * set, so every float operation keeps its order and rounding; the
 * numerical differences from the reference are the activation
 * approximations and the energies' partial sums ("vectorizable math"),
 * and none in exact mode (PcnCgOptions.exact_math).
 *
 * Loops are built with an index phi per loop; reductions (energies, bias
 * gradients) accumulate through one double alloca in the entry block,
 * which mem2reg turns into a phi. */
#include "codegen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
  LLVMModuleRef kmod; /* where kernels go: NULL = mod (split builds: its own) */
  LLVMBuilderRef b;
  const PcnSchedule *s;
  const PcnCgOptions *o;
  /* types */
  LLVMTypeRef i32, i64, f32, f64, pf32, ppf32, pf64, pi8, state_ty, pstate;
  LLVMTypeRef unary_ty;  /* float (float) */
  LLVMTypeRef sgemm_ty;  /* cblas_sgemm */
  LLVMTypeRef helper_ty; /* pcn_rt_jit_op */
  LLVMTypeRef rows_ty;   /* double (PcnJitState *, i64 r0, i64 r1) */
  LLVMTypeRef rowsrt_ty; /* pcn_rt_rows */
  int nrows_fn;          /* outlined row functions so far */
  /* external functions */
  LLVMValueRef f_erff, f_expf, f_expm1f, f_tanhf, f_sgemm, f_helper, f_rows;
  LLVMValueRef f_rtgemm; /* pcn_rt_sgemm (same type as cblas_sgemm) */
  LLVMValueRef f_gemm1t; /* pcn_rt_sgemm_1t (same type) */
  /* vectorizable math (not exact): intrinsics the approximations use */
  bool fast;
  LLVMValueRef f_fma, f_rint, f_fabs, f_copysign;
  LLVMTypeRef fma_ty;
  /* Scoped alias metadata: one scope per buffer (distinct buffers never
   * overlap: the plan carves them from one allocation). */
  unsigned md_scope, md_noalias;
  LLVMValueRef *scope_of, *noalias_of; /* [nbuffers] metadata as values */
  /* per function: the buffer base pointers loaded so far, for metadata */
  LLVMValueRef base_val[2048];
  int base_buf[2048], nbase;
  /* per function */
  LLVMValueRef fn, st, n32, n64, bufs, acc;
  PcnProgramKind prog;
  /* folded updates (fold_update): per program, the FOLD_* role of each
   * op (stage order) and, for producers and products, the h they now
   * write; NULL when nothing folds */
  uint8_t *fold_role[PCN_PROG_COUNT];
  int *fold_h[PCN_PROG_COUNT];
  /* [nbuffers], over all programs (scan_reads): read by some op (or a
   * READOUT), and read by some op other than an update (dh) */
  bool *read_any, *read_not_by_update;
} Cg;

static int program_nops(const PcnSchedule *s, PcnProgramKind prog);

/* Roles in a folded update (see "folded updates" below). */
enum { FOLD_NONE, FOLD_PRODUCER, FOLD_ACCUM, FOLD_UPDATE };

static LLVMValueRef ci32(Cg *c, long long v) { return LLVMConstInt(c->i32, (unsigned long long)v, 1); }
static LLVMValueRef ci64(Cg *c, long long v) { return LLVMConstInt(c->i64, (unsigned long long)v, 1); }
static LLVMValueRef cf32(Cg *c, float v) { return LLVMConstReal(c->f32, v); }

static LLVMValueRef declare(Cg *c, const char *name, LLVMTypeRef ty) {
  LLVMValueRef f = LLVMGetNamedFunction(c->mod, name);
  if (f) return f;
  f = LLVMAddFunction(c->mod, name, ty);
  LLVMSetLinkage(f, LLVMExternalLinkage);
  return f;
}

/* The externals generated code calls, declared in c->mod (again after a
 * switch of modules: get-or-insert). */
static void declare_externals(Cg *c) {
  c->f_erff = declare(c, "erff", c->unary_ty);
  c->f_expf = declare(c, "expf", c->unary_ty);
  c->f_expm1f = declare(c, "expm1f", c->unary_ty);
  c->f_tanhf = declare(c, "tanhf", c->unary_ty);
  c->f_sgemm = declare(c, "cblas_sgemm", c->sgemm_ty);
  if (c->o && c->o->own_gemm_threads) c->f_rtgemm = declare(c, "pcn_rt_sgemm", c->sgemm_ty);
  if (c->o && c->o->skinny_1t) c->f_gemm1t = declare(c, "pcn_rt_sgemm_1t", c->sgemm_ty);
  c->f_helper = declare(c, "pcn_rt_jit_op", c->helper_ty);
  /* Weak: an embedding program without the pcn runtime links fine and
   * sees NULL here (codegen.h). */
  LLVMSetLinkage(c->f_helper, LLVMExternalWeakLinkage);
  if (c->fast) {
    LLVMTypeRef ov[] = {c->f32};
    const char *names[] = {"llvm.fma", "llvm.rint", "llvm.fabs", "llvm.copysign"};
    LLVMValueRef *fns[] = {&c->f_fma, &c->f_rint, &c->f_fabs, &c->f_copysign};
    for (int i = 0; i < 4; i++) {
      unsigned id = LLVMLookupIntrinsicID(names[i], strlen(names[i]));
      *fns[i] = LLVMGetIntrinsicDeclaration(c->mod, id, ov, 1);
    }
  }
  c->f_rows = declare(c, "pcn_rt_rows", c->rowsrt_ty);
  LLVMSetLinkage(c->f_rows, LLVMExternalWeakLinkage);
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
  /* PcnJitState (codegen.h), field for field; one named type per context
   * (split builds put several modules in one context). */
  c->state_ty = LLVMGetTypeByName2(x, "PcnJitState");
  if (!c->state_ty) {
    c->state_ty = LLVMStructCreateNamed(x, "PcnJitState");
    LLVMTypeRef pair = LLVMArrayType(c->f32, 2);
    LLVMTypeRef fields[] = {c->ppf32, c->pf64, c->pi8, pair, pair};
    LLVMStructSetBody(c->state_ty, fields, 5, 0);
  }
  c->pstate = LLVMPointerType(c->state_ty, 0);

  LLVMTypeRef f1[] = {c->f32};
  c->unary_ty = LLVMFunctionType(c->f32, f1, 1, 0);
  LLVMTypeRef g[] = {c->i32, c->i32, c->i32, c->i32,  c->i32, c->i32, c->f32,
                     c->pf32, c->i32, c->pf32, c->i32, c->f32, c->pf32, c->i32};
  c->sgemm_ty = LLVMFunctionType(LLVMVoidTypeInContext(x), g, 14, 0);
  LLVMTypeRef h[] = {c->pstate, c->i32, c->i32, c->i32, c->i32};
  c->helper_ty = LLVMFunctionType(c->i32, h, 5, 0);
  c->fast = !(c->o && c->o->exact_math);
  LLVMTypeRef f3[] = {c->f32, c->f32, c->f32};
  c->fma_ty = LLVMFunctionType(c->f32, f3, 3, 0);
  LLVMTypeRef r[] = {c->pstate, c->i64, c->i64};
  c->rows_ty = LLVMFunctionType(c->f64, r, 3, 0);
  LLVMTypeRef rr[] = {LLVMPointerType(c->rows_ty, 0), c->pstate, c->i64, c->i64};
  c->rowsrt_ty = LLVMFunctionType(c->f64, rr, 4, 0);
  if (c->mod) declare_externals(c);
}

static LLVMValueRef call1(Cg *c, LLVMValueRef fn, LLVMValueRef x, const char *name) {
  return LLVMBuildCall2(c->b, c->unary_ty, fn, &x, 1, name);
}

/* ---- buffers and loops ------------------------------------------------ */

/* Alias scopes: domain "pcn.buffers", scope "pcn.buf<i>" per buffer;
 * an access to buffer i carries !alias.scope {i} and !noalias {every
 * other buffer}, so the vectorizer needs no runtime overlap checks
 * between the buffers of a fused loop. Buffers are disjoint slices of
 * the plan's one allocation (runtime/plan.c), and an embedding program
 * must give distinct buffers distinct memory too (the header says so). */
/* Function attributes of every generated function: on AVX-512 hosts
 * LLVM prefers 256-bit vectors unless told otherwise. */
static void fn_attrs(Cg *c, LLVMValueRef fn) {
  const char *w = getenv("PCN_JIT_VECTOR_WIDTH");
  if (c->fast && w && *w) LLVMAddTargetDependentFunctionAttr(fn, "prefer-vector-width", w);
}

static void build_alias_scopes(Cg *c) {
  int nb = c->s->nbuffers;
  c->md_scope = LLVMGetMDKindIDInContext(c->ctx, "alias.scope", 11);
  c->md_noalias = LLVMGetMDKindIDInContext(c->ctx, "noalias", 7);
  c->scope_of = calloc((size_t)nb + 1, sizeof *c->scope_of);
  c->noalias_of = calloc((size_t)nb + 1, sizeof *c->noalias_of);
  LLVMMetadataRef *scopes = calloc((size_t)nb + 1, sizeof *scopes);
  LLVMMetadataRef *others = calloc((size_t)nb + 1, sizeof *others);
  if (!c->scope_of || !c->noalias_of || !scopes || !others) {
    free(c->scope_of), free(c->noalias_of);
    c->scope_of = c->noalias_of = NULL; /* no metadata: still correct */
    free(scopes), free(others);
    return;
  }
  LLVMMetadataRef dname = LLVMMDStringInContext2(c->ctx, "pcn.buffers", 11);
  LLVMMetadataRef domain = LLVMMDNodeInContext2(c->ctx, &dname, 1);
  for (int i = 0; i < nb; i++) {
    char name[32];
    int len = snprintf(name, sizeof name, "pcn.buf%d", i);
    LLVMMetadataRef parts[] = {LLVMMDStringInContext2(c->ctx, name, (size_t)len), domain};
    scopes[i] = LLVMMDNodeInContext2(c->ctx, parts, 2);
  }
  for (int i = 0; i < nb; i++) {
    c->scope_of[i] = LLVMMetadataAsValue(c->ctx, LLVMMDNodeInContext2(c->ctx, &scopes[i], 1));
    int k = 0;
    for (int j = 0; j < nb; j++)
      if (j != i) others[k++] = scopes[j];
    c->noalias_of[i] = LLVMMetadataAsValue(c->ctx, LLVMMDNodeInContext2(c->ctx, others, (size_t)k));
  }
  free(scopes);
  free(others);
}

static LLVMValueRef buffer(Cg *c, int idx) {
  const char *name = c->s->buffers[idx].name;
  LLVMValueRef i = ci64(c, idx);
  LLVMValueRef slot = LLVMBuildInBoundsGEP2(c->b, c->pf32, c->bufs, &i, 1, "");
  LLVMValueRef base = LLVMBuildLoad2(c->b, c->pf32, slot, name);
  if (c->nbase < (int)(sizeof c->base_val / sizeof c->base_val[0])) {
    c->base_val[c->nbase] = base;
    c->base_buf[c->nbase++] = idx;
  }
  return base;
}

/* Tags a load or store through `base` with its buffer's scopes. */
static void tag_access(Cg *c, LLVMValueRef inst, LLVMValueRef base) {
  if (!c->scope_of) return;
  for (int k = c->nbase - 1; k >= 0; k--)
    if (c->base_val[k] == base) {
      LLVMSetMetadata(inst, c->md_scope, c->scope_of[c->base_buf[k]]);
      LLVMSetMetadata(inst, c->md_noalias, c->noalias_of[c->base_buf[k]]);
      return;
    }
}

static LLVMValueRef elem_ptr(Cg *c, LLVMValueRef base, LLVMValueRef i) {
  return LLVMBuildInBoundsGEP2(c->b, c->f32, base, &i, 1, "");
}
static LLVMValueRef load_at(Cg *c, LLVMValueRef base, LLVMValueRef i, const char *name) {
  LLVMValueRef v = LLVMBuildLoad2(c->b, c->f32, elem_ptr(c, base, i), name);
  tag_access(c, v, base);
  return v;
}
static void store_at(Cg *c, LLVMValueRef v, LLVMValueRef base, LLVMValueRef i) {
  tag_access(c, LLVMBuildStore(c->b, v, elem_ptr(c, base, i)), base);
}

typedef struct Loop {
  LLVMBasicBlockRef head, exit;
  LLVMValueRef i; /* i64 index, 0 .. count-1 */
} Loop;

/* for (i = 0; i < count; i++) { <body built by the caller> } */
static Loop loop_from(Cg *c, LLVMValueRef start, LLVMValueRef end, const char *name);

/* for (i = 0; i < count; i++) { <body built by the caller> } */
static Loop loop_open(Cg *c, LLVMValueRef count, const char *name) {
  return loop_from(c, ci64(c, 0), count, name);
}

/* for (i = start; i < end; i++) */
static Loop loop_from(Cg *c, LLVMValueRef start, LLVMValueRef count, const char *name) {
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
  LLVMAddIncoming(l.i, &start, &pre, 1);
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


/* ---- vectorizable math ----------------------------------------------------
 *
 * The exact mode (PcnCgOptions.exact_math) calls erff, expf, expm1f and
 * tanhf from libm like runtime/activations.c, which keeps the JIT equal to
 * the reference bit for bit but stops the loop vectorizer (a call per
 * element). By default the activations use the approximations below,
 * built from operations the vectorizer widens (fma, rint, fabs, copysign,
 * integer shifts, selects; no calls):
 *
 *   exp(x), expm1(x) for x <= 0: x = k ln2 + r, |r| <= ln2/2 (Cody-Waite
 *     split of ln2, each step an fma); expm1(r) = r P(r) with P the Taylor
 *     polynomial of degree 6 (truncation r^8/8! <= 5e-9 relative);
 *     2^k from the exponent bits; exp = 2^k (1 + q) = fma(2^k, q, 2^k),
 *     expm1 = fma(2^k, q, 2^k - 1). Below -87 exp is 0 and expm1 -1 (the
 *     libm results there are < 1.7e-38 away).
 *   erf(z): |z| < 1: z S(z^2), S of degree 6 (Chebyshev interpolant of
 *     erf(z)/z, 1.3e-9 relative); 1 <= |z| <= 4: sign(z) (1 - exp(-z^2)
 *     R(1/|z|)), R of degree 10 interpolating erfc(a) exp(a^2) in 1/a on
 *     [1/4, 1] (5e-9 relative); beyond 4, erf is 1 in float32.
 *   tanh(x) = sign(x) m / (2 - m), m = -expm1(-2|x|) (no cancellation
 *     near 0); sigmoid and elu as in the reference with exp/expm1 above.
 *
 * The unit test sweeps every activation and derivative densely against
 * libm (test_codegen.c, "approximations against libm"); measured there:
 * erf within 1.2e-7 relative (2 ulp) of erff, every activation within a
 * few 1e-7 of its libm value relative to max(|value|, 1e-3)... (see the
 * test for the exact bounds it asserts). */

static LLVMValueRef fma3(Cg *c, LLVMValueRef a, LLVMValueRef b, LLVMValueRef d) {
  LLVMValueRef args[] = {a, b, d};
  return LLVMBuildCall2(c->b, c->fma_ty, c->f_fma, args, 3, "");
}
static LLVMValueRef intr1(Cg *c, LLVMValueRef fn, LLVMValueRef x, const char *name) {
  return LLVMBuildCall2(c->b, c->unary_ty, fn, &x, 1, name);
}
static LLVMValueRef copysign2(Cg *c, LLVMValueRef mag, LLVMValueRef sgn) {
  LLVMTypeRef f2[] = {c->f32, c->f32};
  LLVMValueRef args[] = {mag, sgn};
  return LLVMBuildCall2(c->b, LLVMFunctionType(c->f32, f2, 2, 0), c->f_copysign, args, 2, "");
}
/* sum_i coef[i] x^i by Horner with fma. */
static LLVMValueRef horner(Cg *c, LLVMValueRef x, const float *coef, int n) {
  LLVMValueRef p = cf32(c, coef[n - 1]);
  for (int i = n - 2; i >= 0; i--) p = fma3(c, p, x, cf32(c, coef[i]));
  return p;
}

/* exp(x) and/or expm1(x) for x <= 0 (either out pointer may be NULL). */
static void exp_neg(Cg *c, LLVMValueRef x, LLVMValueRef *exp_out, LLVMValueRef *expm1_out) {
  static const float taylor[] = {1.0f,          1.0f / 2,      1.0f / 6,    1.0f / 24,
                                 1.0f / 120,    1.0f / 720,    1.0f / 5040};
  LLVMBuilderRef b = c->b;
  LLVMValueRef lo = cf32(c, -87.0f);
  LLVMValueRef under = LLVMBuildFCmp(b, LLVMRealOLT, x, lo, "under");
  LLVMValueRef xc = LLVMBuildSelect(b, under, lo, x, "");
  LLVMValueRef k = intr1(c, c->f_rint, LLVMBuildFMul(b, xc, cf32(c, 1.44269504088896341f), ""), "k");
  LLVMValueRef r = fma3(c, k, cf32(c, -0.693359375f), xc);
  r = fma3(c, k, cf32(c, 2.12194440e-4f), r);
  LLVMValueRef q = LLVMBuildFMul(b, r, horner(c, r, taylor, 7), "q"); /* expm1(r) */
  LLVMValueRef ki = LLVMBuildFPToSI(b, k, c->i32, "");
  LLVMValueRef bits = LLVMBuildShl(b, LLVMBuildAdd(b, ki, ci32(c, 127), ""), ci32(c, 23), "");
  LLVMValueRef s = LLVMBuildBitCast(b, bits, c->f32, "pow2k");
  if (exp_out)
    *exp_out = LLVMBuildSelect(b, under, cf32(c, 0.0f), fma3(c, s, q, s), "exp");
  if (expm1_out)
    *expm1_out = LLVMBuildSelect(b, under, cf32(c, -1.0f),
                                 fma3(c, s, q, LLVMBuildFSub(b, s, cf32(c, 1.0f), "")), "expm1");
}

static LLVMValueRef exp_neg1(Cg *c, LLVMValueRef x) {
  LLVMValueRef e;
  exp_neg(c, x, &e, NULL);
  return e;
}

/* erf(z); `ez2`, when not NULL, is exp(-z^2) computed by the caller (gelu
 * shares it with its derivative); used only where 1 <= |z| <= 4. */
static LLVMValueRef erf_approx(Cg *c, LLVMValueRef z, LLVMValueRef ez2) {
  static const float small[] = {1.128379166e+00f, -3.761262667e-01f, 1.128359472e-01f,
                                -2.685421201e-02f, 5.189087423e-03f, -8.016864287e-04f,
                                7.875875063e-05f};
  static const float tail[] = {4.153312484e-05f, 5.634051381e-01f,  5.787595838e-03f,
                               -2.992877677e-01f, -2.345957953e-02f, 8.001067331e-01f,
                               -1.378094806e+00f, 1.280535405e+00f,  -7.201687850e-01f,
                               2.316103180e-01f,  -3.289220854e-02f};
  LLVMBuilderRef b = c->b;
  LLVMValueRef a = intr1(c, c->f_fabs, z, "az");
  LLVMValueRef in_small = LLVMBuildFCmp(b, LLVMRealOLT, a, cf32(c, 1.0f), "");
  LLVMValueRef es = LLVMBuildFMul(b, z, horner(c, LLVMBuildFMul(b, z, z, ""), small, 7), "");
  /* The tail on a clamped to [1, 4] (both selects are vector blends). */
  LLVMValueRef ac = LLVMBuildSelect(b, in_small, cf32(c, 1.0f), a, "");
  LLVMValueRef big = LLVMBuildFCmp(b, LLVMRealOGT, ac, cf32(c, 4.0f), "");
  ac = LLVMBuildSelect(b, big, cf32(c, 4.0f), ac, "");
  LLVMValueRef t = LLVMBuildFDiv(b, cf32(c, 1.0f), ac, "");
  LLVMValueRef u = ez2 ? ez2 : exp_neg1(c, LLVMBuildFNeg(b, LLVMBuildFMul(b, ac, ac, ""), ""));
  LLVMValueRef et = LLVMBuildFSub(b, cf32(c, 1.0f), LLVMBuildFMul(b, u, horner(c, t, tail, 11), ""), "");
  et = LLVMBuildSelect(b, big, cf32(c, 1.0f), et, "");
  return LLVMBuildSelect(b, in_small, es, copysign2(c, et, z), "erf");
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
    LLVMValueRef t;
    if (c->fast) {
      LLVMValueRef m;
      LLVMValueRef ax = intr1(c, c->f_fabs, x, "ax");
      exp_neg(c, LLVMBuildFMul(b, cf32(c, -2.0f), ax, ""), NULL, &m);
      m = LLVMBuildFNeg(b, m, ""); /* 1 - exp(-2|x|), in [0, 1] */
      t = copysign2(c, LLVMBuildFDiv(b, m, LLVMBuildFSub(b, cf32(c, 2.0f), m, ""), ""), x);
    } else {
      t = call1(c, c->f_tanhf, x, "t");
    }
    if (d) *d = LLVMBuildFSub(b, one, LLVMBuildFMul(b, t, t, ""), "d");
    return t;
  }
  case PCN_ACT_SIGMOID: {
    /* Two-sided form: both branches of the reference evaluate
     * expf(-|x|), so one call serves both. */
    LLVMValueRef nonneg = LLVMBuildFCmp(b, LLVMRealOGE, x, zero, "nonneg");
    LLVMValueRef negx = LLVMBuildFNeg(b, x, "");
    LLVMValueRef arg = LLVMBuildSelect(b, nonneg, negx, x, "");
    LLVMValueRef z = c->fast ? exp_neg1(c, arg) : call1(c, c->f_expf, arg, "z");
    LLVMValueRef den = LLVMBuildFAdd(b, one, z, "");
    LLVMValueRef s = LLVMBuildSelect(b, nonneg, LLVMBuildFDiv(b, one, den, ""),
                                     LLVMBuildFDiv(b, z, den, ""), "mu");
    if (d) *d = LLVMBuildFMul(b, s, LLVMBuildFSub(b, one, s, ""), "d");
    return s;
  }
  case PCN_ACT_GELU: {
    LLVMValueRef z = LLVMBuildFMul(b, x, cf32(c, INV_SQRT2), "");
    /* exp(-x^2/2) = exp(-z^2): one evaluation serves the derivative's
     * density and erf's tail (fast mode; the argument is the reference's
     * -0.5 x x, which differs from -z z by rounding only: < 1e-8
     * absolute in erf, where the tail's factor erfc(|z|) <= 0.16). */
    LLVMValueRef arg = LLVMBuildFMul(b, LLVMBuildFMul(b, cf32(c, -0.5f), x, ""), x, "");
    LLVMValueRef ex = c->fast ? exp_neg1(c, arg) : NULL;
    LLVMValueRef erf = c->fast ? erf_approx(c, z, ex) : call1(c, c->f_erff, z, "erf");
    LLVMValueRef onep = LLVMBuildFAdd(b, one, erf, "");
    if (d) {
      LLVMValueRef cdf = LLVMBuildFMul(b, cf32(c, 0.5f), onep, "cdf");
      if (!c->fast) ex = call1(c, c->f_expf, arg, "");
      LLVMValueRef pdf = LLVMBuildFMul(b, cf32(c, INV_SQRT_2PI), ex, "pdf");
      *d = LLVMBuildFAdd(b, cdf, LLVMBuildFMul(b, x, pdf, ""), "d");
    }
    return LLVMBuildFMul(b, LLVMBuildFMul(b, cf32(c, 0.5f), x, ""), onep, "mu");
  }
  case PCN_ACT_ELU: {
    LLVMValueRef pos = LLVMBuildFCmp(b, LLVMRealOGT, x, zero, "pos");
    /* The calls run for every x (their results are selected away for
     * x > 0): expm1f and expf of a large x give inf, never a trap. */
    if (c->fast) {
      /* On min(x, 0): the x > 0 lanes are selected away anyway. */
      LLVMValueRef ex, em;
      exp_neg(c, LLVMBuildSelect(b, pos, zero, x, ""), d ? &ex : NULL, &em);
      if (d) *d = LLVMBuildSelect(b, pos, one, ex, "d");
      return LLVMBuildSelect(b, pos, x, em, "mu");
    }
    if (d) *d = LLVMBuildSelect(b, pos, one, call1(c, c->f_expf, x, ""), "d");
    return LLVMBuildSelect(b, pos, x, call1(c, c->f_expm1f, x, ""), "mu");
  }
  }
  return x;
}

/* ---- ops --------------------------------------------------------------- */

/* A side of at most PCN_CG_SKINNY that is a constant (not the batch). */
static bool gemm_is_skinny(const PcnOp *op) {
  return (op->m >= 0 && op->m <= PCN_CG_SKINNY) || (op->n >= 0 && op->n <= PCN_CG_SKINNY) ||
         (op->k >= 0 && op->k <= PCN_CG_SKINNY);
}

PcnCgGemmCall pcn_cg_gemm_call(const PcnCgOptions *o, const PcnOp *op) {
  if (o && o->own_gemm_threads) return PCN_CG_GEMM_SPLIT;
  if (o && o->skinny_1t && gemm_is_skinny(op)) return PCN_CG_GEMM_1T;
  return PCN_CG_GEMM_BLAS;
}

static LLVMValueRef phase_param(Cg *c, unsigned field, const char *name);

/* A product's C buffer and alpha as emitted: a product folded into an
 * update (FOLD_ACCUM of op k) accumulates -alpha_phase * alpha g W^T into
 * h instead of dh. */
static int gemm_target(Cg *c, const PcnOp *op, int k, LLVMValueRef *alpha) {
  *alpha = cf32(c, op->alpha);
  if (op->alpha_over_batch)
    *alpha = LLVMBuildFDiv(c->b, *alpha, LLVMBuildSIToFP(c->b, c->n32, c->f32, ""), "alpha");
  const uint8_t *role = c->fold_role[c->prog];
  if (k < 0 || !role || role[k] != FOLD_ACCUM) return op->c;
  LLVMValueRef step = phase_param(c, 3, "alpha");
  *alpha = LLVMBuildFMul(c->b, step, cf32(c, -op->alpha), "alpha.h");
  return c->fold_h[c->prog][k];
}

static void emit_gemm(Cg *c, const PcnOp *op, int k) {
  LLVMValueRef alpha;
  int cb = gemm_target(c, op, k, &alpha);
  const PcnBuffer *A = &c->s->buffers[op->a], *B = &c->s->buffers[op->b],
                  *C = &c->s->buffers[cb];
  LLVMValueRef m = op->m < 0 ? c->n32 : ci32(c, op->m);
  LLVMValueRef nn = op->n < 0 ? c->n32 : ci32(c, op->n);
  LLVMValueRef kk = op->k < 0 ? c->n32 : ci32(c, op->k);
  LLVMValueRef args[] = {ci32(c, CBLAS_ROW_MAJOR),
                         ci32(c, op->trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS),
                         ci32(c, op->trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS),
                         m, nn, kk, alpha,
                         buffer(c, op->a), ci32(c, A->cols),
                         buffer(c, op->b), ci32(c, B->cols),
                         cf32(c, op->beta),
                         buffer(c, cb), ci32(c, C->cols)};
  PcnCgGemmCall how = pcn_cg_gemm_call(c->o, op);
  LLVMValueRef callee = how == PCN_CG_GEMM_SPLIT ? c->f_rtgemm
                        : how == PCN_CG_GEMM_1T  ? c->f_gemm1t
                                                 : c->f_sgemm;
  LLVMBuildCall2(c->b, c->sgemm_ty, callee, args, 14, "");
}

/* sum (double) x[i]^2 over lo <= i < hi of buffer X: eight partial sums
 * in a <8 x double> (lane l takes i = lo + l mod 8), added in lane order at
 * the end, then the scalar tail. A fixed order, so the result does not
 * depend on the optimizer; it differs from the reference's single running
 * sum by rounding only (~1e-16 relative). */
static LLVMValueRef emit_sumsq(Cg *c, LLVMValueRef X, LLVMValueRef lo, LLVMValueRef hi) {
  LLVMBuilderRef b = c->b;
  LLVMTypeRef vf = LLVMVectorType(c->f32, 8), vd = LLVMVectorType(c->f64, 8);
  LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(c->fn), here = LLVMGetInsertBlock(b);
  LLVMValueRef first = LLVMGetFirstInstruction(entry);
  if (first) LLVMPositionBuilderBefore(b, first);
  else LLVMPositionBuilderAtEnd(b, entry);
  LLVMValueRef vacc = LLVMBuildAlloca(b, vd, "vacc");
  LLVMPositionBuilderAtEnd(b, here);
  LLVMBuildStore(b, LLVMConstNull(vd), vacc);
  LLVMValueRef nchunks = LLVMBuildAShr(b, LLVMBuildNSWSub(b, hi, lo, ""), ci64(c, 3), "chunks");
  Loop l = loop_open(c, nchunks, "ss.v");
  LLVMValueRef i = LLVMBuildNSWAdd(b, lo, LLVMBuildShl(b, l.i, ci64(c, 3), ""), "");
  LLVMValueRef pv = LLVMBuildBitCast(b, elem_ptr(c, X, i), LLVMPointerType(vf, 0), "");
  LLVMValueRef x = LLVMBuildLoad2(b, vf, pv, "x8");
  LLVMSetAlignment(x, 4);
  tag_access(c, x, X);
  LLVMValueRef xd = LLVMBuildFPExt(b, x, vd, "");
  LLVMValueRef acc = LLVMBuildLoad2(b, vd, vacc, "");
  LLVMBuildStore(b, LLVMBuildFAdd(b, acc, LLVMBuildFMul(b, xd, xd, ""), ""), vacc);
  loop_close(c, &l);
  LLVMValueRef v = LLVMBuildLoad2(b, vd, vacc, "");
  LLVMValueRef sum = LLVMBuildExtractElement(b, v, ci32(c, 0), "");
  for (int k = 1; k < 8; k++)
    sum = LLVMBuildFAdd(b, sum, LLVMBuildExtractElement(b, v, ci32(c, k), ""), "");
  LLVMBuildStore(b, sum, c->acc);
  LLVMValueRef tail0 = LLVMBuildNSWAdd(b, lo, LLVMBuildShl(b, nchunks, ci64(c, 3), ""), "");
  Loop t = loop_from(c, tail0, hi, "ss.t");
  LLVMValueRef e = LLVMBuildFPExt(b, load_at(c, X, t.i, "e"), c->f64, "");
  LLVMValueRef a = LLVMBuildLoad2(b, c->f64, c->acc, "");
  LLVMBuildStore(b, LLVMBuildFAdd(b, a, LLVMBuildFMul(b, e, e, ""), ""), c->acc);
  loop_close(c, &t);
  return LLVMBuildLoad2(b, c->f64, c->acc, "sumsq");
}

/* ---- kernels: one noinline function per distinct loop -------------------
 *
 * The loops of the elementwise ops (PREDICT, FORWARD_SET, UPDATE_H,
 * BIAS_GRAD) are emitted once per distinct flavour (activation, columns,
 * bias, dh) as noinline functions, "kernels", with noalias pointer
 * parameters, and the programs call them. The paper's model has ~40 such
 * ops over its six programs and six step variants but a handful of
 * distinct kernels, so the optimizer and the instruction selector see each
 * activation's vector code a few times instead of forty (the JIT's compile
 * time was almost all that). One call per op costs nothing against a loop
 * over n x cols elements. noalias is what the scoped metadata says for the
 * buffers (disjoint slices of the plan's allocation); when one buffer
 * fills two roles of an op the kernel is emitted without it. ZERO and the
 * zero-error PREDICT are llvm.memset / llvm.memcpy. Kernels are internal
 * unless PcnCgOptions.kernels_external (the JIT's split modules). */

typedef struct Saved {
  LLVMModuleRef mod;
  LLVMBasicBlockRef bb;
  LLVMValueRef fn, st, bufs, acc;
} Saved;

static void add_attr(Cg *c, LLVMValueRef fn, unsigned idx, const char *name) {
  unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
  LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(c->ctx, kind, 0));
}

/* The kernel `name`, or NULL after creating it with type fty and
 * positioning the builder in its entry block (the caller builds the body,
 * then calls kernel_end with the new function in *made). The first `nptr`
 * parameters are pointers, noalias when alias_ok. */
/* The callee for kernel definition k in the current module: k itself, or
 * its declaration when kernels live in a module of their own. */
static LLVMValueRef kernel_callee(Cg *c, LLVMValueRef k) {
  if (!c->kmod || c->kmod == c->mod) return k;
  size_t len = 0;
  const char *name = LLVMGetValueName2(k, &len);
  return declare(c, name, LLVMGlobalGetValueType(k));
}

static LLVMValueRef kernel_begin(Cg *c, const char *name, LLVMTypeRef fty, unsigned nptr,
                                 bool alias_ok, Saved *sv, LLVMValueRef *made) {
  LLVMModuleRef km = c->kmod ? c->kmod : c->mod;
  LLVMValueRef fn = LLVMGetNamedFunction(km, name);
  *made = NULL;
  if (fn) return kernel_callee(c, fn);
  sv->mod = c->mod;
  if (km != c->mod) {
    c->mod = km;
    declare_externals(c);
  }
  fn = LLVMAddFunction(c->mod, name, fty);
  LLVMSetLinkage(fn, c->o && c->o->kernels_external ? LLVMExternalLinkage : LLVMInternalLinkage);
  add_attr(c, fn, LLVMAttributeFunctionIndex, "noinline");
  add_attr(c, fn, LLVMAttributeFunctionIndex, "nounwind");
  if (alias_ok)
    for (unsigned i = 0; i < nptr; i++) add_attr(c, fn, i + 1, "noalias");
  fn_attrs(c, fn);
  sv->bb = LLVMGetInsertBlock(c->b);
  sv->fn = c->fn, sv->st = c->st, sv->bufs = c->bufs, sv->acc = c->acc;
  c->fn = fn, c->st = NULL, c->bufs = NULL;
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
  c->acc = LLVMBuildAlloca(c->b, c->f64, "acc");
  *made = fn;
  return NULL;
}

static LLVMValueRef kernel_end(Cg *c, const Saved *sv, LLVMValueRef fn) {
  c->fn = sv->fn, c->st = sv->st, c->bufs = sv->bufs, c->acc = sv->acc;
  if (c->mod != sv->mod) {
    c->mod = sv->mod;
    declare_externals(c);
  }
  LLVMPositionBuilderAtEnd(c->b, sv->bb);
  return kernel_callee(c, fn);
}

/* A kernel name: prefix + "k." + what (unique per module, and per JIT
 * dylib when external). */
static void kernel_name(Cg *c, char *out, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void kernel_name(Cg *c, char *out, size_t n, const char *fmt, ...) {
  const char *prefix = c->o && c->o->prefix ? c->o->prefix : "pcn_";
  int k = snprintf(out, n, "%sk.", prefix);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out + k, n - (size_t)k, fmt, ap);
  va_end(ap);
}

/* Do the buffers (-1 = none) all differ? */
static bool distinct(const int *idx, int k) {
  for (int i = 0; i < k; i++)
    for (int j = 0; j < i; j++)
      if (idx[i] >= 0 && idx[i] == idx[j]) return false;
  return true;
}

/* A prediction buffer nothing reads (only READOUT ever does, in
 * evaluation): with elide_dead_mu its PREDICTs do not store it. */
static bool mu_dead(Cg *c, int mu) {
  return c->o && c->o->elide_dead_mu && !c->o->exact_math && mu >= 0 && c->read_any &&
         !c->read_any[mu];
}

enum { KP_A, KP_BIAS, KP_H, KP_MU, KP_E, KP_G, KP_DH, KP_N };

/* FORWARD_SET and PREDICT share the walk over rows and columns (the bias
 * needs the column); `predict` selects the error part. P[KP_*] are the
 * base pointers (BIAS, DH NULL when absent); rows [0, rows). Returns the
 * energy sum (double) for PREDICT, NULL for FORWARD_SET. */
static LLVMValueRef node_body(Cg *c, PcnActivation act, int cols, bool predict,
                              const LLVMValueRef *P, LLVMValueRef rows, LLVMValueRef hstep) {
  LLVMValueRef A = P[KP_A], H = P[KP_H], bias = P[KP_BIAS];
  LLVMValueRef MU = P[KP_MU], E = P[KP_E], G = P[KP_G], DH = P[KP_DH];
  if (predict) LLVMBuildStore(c->b, LLVMConstReal(c->f64, 0.0), c->acc);
  Loop r = loop_open(c, rows, predict ? "pr.r" : "fs.r");
  LLVMValueRef row = LLVMBuildNSWMul(c->b, r.i, ci64(c, cols), "row");
  Loop j = loop_open(c, ci64(c, cols), predict ? "pr.j" : "fs.j");
  LLVMValueRef i = LLVMBuildNSWAdd(c->b, row, j.i, "i");
  LLVMValueRef a = load_at(c, A, i, "a");
  if (bias) {
    a = LLVMBuildFAdd(c->b, a, load_at(c, bias, j.i, "bias"), "a");
    store_at(c, a, A, i);
  }
  if (!predict) {
    store_at(c, act_emit(c, act, a, NULL), H, i);
  } else {
    LLVMValueRef d;
    LLVMValueRef mu = act_emit(c, act, a, &d);
    if (MU) store_at(c, mu, MU, i);
    LLVMValueRef h = load_at(c, H, i, "h");
    LLVMValueRef e = LLVMBuildFSub(c->b, h, mu, "e");
    store_at(c, e, E, i);
    store_at(c, LLVMBuildFMul(c->b, d, e, "g"), G, i);
    if (DH) store_at(c, e, DH, i);
    /* folded update: the step's own-error part, h - alpha e */
    if (hstep) store_at(c, LLVMBuildFSub(c->b, h, LLVMBuildFMul(c->b, hstep, e, ""), "h.new"), H, i);
    if (!c->fast) {
      /* energy += (double)e * e, as the reference sums it */
      LLVMValueRef ed = LLVMBuildFPExt(c->b, e, c->f64, "");
      LLVMValueRef acc = LLVMBuildLoad2(c->b, c->f64, c->acc, "acc");
      LLVMBuildStore(c->b, LLVMBuildFAdd(c->b, acc, LLVMBuildFMul(c->b, ed, ed, ""), ""), c->acc);
    }
  }
  loop_close(c, &j);
  loop_close(c, &r);
  if (!predict) return NULL;
  if (!c->fast) return LLVMBuildLoad2(c->b, c->f64, c->acc, "energy");
  /* The energy as a separate pass over E: a strict double reduction in
   * the fused loop keeps the vectorizer out of the whole loop, and a
   * double sum per column in a stack array (tried) makes it pick 4 lanes
   * for the whole loop (the widest type decides), which measured 1.5x
   * slower than this second pass over E. */
  return emit_sumsq(c, E, ci64(c, 0), LLVMBuildNSWMul(c->b, rows, ci64(c, cols), ""));
}

/* double <prefix>k.{predict,fwd}.a<act>.c<cols>[.b][.dh|.hu][.alias](A,
 * bias, H, MU, E, G, DH, rows[, alpha]): node_body on rows [0, rows) of
 * the pointers. `.hu` (a folded update) takes the step size and writes
 * h - alpha e into H instead of e into DH. */
static LLVMValueRef node_kernel(Cg *c, PcnActivation act, int cols, bool predict, bool has_bias,
                                bool has_mu, bool has_dh, bool hupd, bool alias_ok) {
  char name[128];
  kernel_name(c, name, sizeof name, "%s.a%d.c%d%s%s%s%s", predict ? "predict" : "fwd",
              (int)act, cols, has_bias ? ".b" : "", hupd ? ".hu" : has_dh ? ".dh" : "",
              predict && !has_mu ? ".nomu" : "", alias_ok ? "" : ".alias");
  LLVMTypeRef ps[KP_N + 2];
  for (int k = 0; k < KP_N; k++) ps[k] = c->pf32;
  ps[KP_N] = c->i64;
  ps[KP_N + 1] = c->f32;
  Saved sv;
  LLVMValueRef made;
  LLVMValueRef fn = kernel_begin(c, name, LLVMFunctionType(c->f64, ps, KP_N + 1 + hupd, 0),
                                 KP_N, alias_ok, &sv, &made);
  if (fn) return fn;
  LLVMValueRef P[KP_N];
  for (int k = 0; k < KP_N; k++) P[k] = LLVMGetParam(made, (unsigned)k);
  if (!has_bias) P[KP_BIAS] = NULL;
  if (!has_mu) P[KP_MU] = NULL;
  if (!has_dh) P[KP_DH] = NULL; /* also for .hu: the caller passes no dh */
  if (!predict) P[KP_MU] = P[KP_E] = P[KP_G] = P[KP_DH] = NULL;
  LLVMValueRef sum = node_body(c, act, cols, predict, P, LLVMGetParam(made, KP_N),
                               hupd ? LLVMGetParam(made, KP_N + 1) : NULL);
  LLVMBuildRet(c->b, sum ? sum : LLVMConstReal(c->f64, 0.0));
  return kernel_end(c, &sv, made);
}

/* Activations that call libm per element: worth splitting over cores. */
static bool act_is_costly(PcnActivation a) {
  return a == PCN_ACT_GELU || a == PCN_ACT_TANH || a == PCN_ACT_SIGMOID || a == PCN_ACT_ELU;
}

/* The kernel call of a node op on rows [r0, r1): base pointers from the
 * current function's buffer table, offset by r0 rows. */
static LLVMValueRef call_node_kernel(Cg *c, LLVMValueRef kfn, const int *idx, int cols,
                                     LLVMValueRef r0, LLVMValueRef r1, bool hupd) {
  LLVMValueRef args[KP_N + 2];
  LLVMValueRef off = r0 ? LLVMBuildNSWMul(c->b, r0, ci64(c, cols), "off") : NULL;
  for (int k = 0; k < KP_N; k++) {
    if (idx[k] < 0) {
      args[k] = LLVMConstPointerNull(c->pf32);
      continue;
    }
    LLVMValueRef base = buffer(c, idx[k]);
    /* the bias is per column: never offset */
    args[k] = off && k != KP_BIAS ? elem_ptr(c, base, off) : base;
  }
  args[KP_N] = r0 ? LLVMBuildNSWSub(c->b, r1, r0, "rows") : r1;
  if (hupd) args[KP_N + 1] = phase_param(c, 3, "alpha");
  LLVMTypeRef fty = LLVMGlobalGetValueType(kfn);
  return LLVMBuildCall2(c->b, fty, kfn, args, KP_N + 1 + hupd, "");
}

static void emit_node_op(Cg *c, const PcnOp *op, bool predict, bool nobias, bool hupd) {
  const PcnNode *nd = &c->s->graph->nodes[op->node];
  int cols = nd->size;
  /* nobias: A already holds a + b (the products into A were skipped
   * because they would recompute the same a; see the step analysis). */
  int idx[KP_N] = {op->pa, op->bias >= 0 && !nobias ? op->bias : -1, op->h, -1, -1, -1, -1};
  if (predict) {
    idx[KP_MU] = op->mu, idx[KP_E] = op->e, idx[KP_G] = op->g;
    idx[KP_DH] = op->dh >= 0 ? op->dh : -1;
  }
  if (hupd) idx[KP_DH] = -1;
  if (predict && mu_dead(c, op->mu)) idx[KP_MU] = -1;
  LLVMValueRef kfn = node_kernel(c, nd->act, cols, predict, idx[KP_BIAS] >= 0,
                                 !predict || idx[KP_MU] >= 0, idx[KP_DH] >= 0, hupd,
                                 distinct(idx, KP_N));
  LLVMValueRef sum;
  if (!c->o || !c->o->parallel_rows || !act_is_costly(nd->act)) {
    sum = call_node_kernel(c, kfn, idx, cols, NULL, c->n64, hupd);
  } else {
    /* A row function double <fn>.rows<k>(st, r0, r1) calling the kernel
     * on its rows, and pcn_rt_rows() splits the rows over threads; it
     * returns the energy partial sums added in row order. Without the
     * runtime (embedded, weak symbol NULL) call the row function on all
     * rows. */
    LLVMBasicBlockRef here = LLVMGetInsertBlock(c->b);
    LLVMValueRef outer_fn = c->fn, outer_st = c->st, outer_bufs = c->bufs, outer_acc = c->acc;
    char name[300];
    size_t len = 0;
    const char *fname = LLVMGetValueName2(outer_fn, &len);
    snprintf(name, sizeof name, "%.*s.rows%d", (int)len, fname, c->nrows_fn++);
    LLVMValueRef fn = LLVMAddFunction(c->mod, name, c->rows_ty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    fn_attrs(c, fn);
    c->fn = fn;
    c->st = LLVMGetParam(fn, 0);
    LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, fn, "entry"));
    c->acc = LLVMBuildAlloca(c->b, c->f64, "acc");
    LLVMValueRef bp = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 0, "");
    c->bufs = LLVMBuildLoad2(c->b, c->ppf32, bp, "bufs");
    LLVMBuildRet(c->b, call_node_kernel(c, kfn, idx, cols, LLVMGetParam(fn, 1),
                                        LLVMGetParam(fn, 2), hupd));
    c->fn = outer_fn, c->st = outer_st, c->bufs = outer_bufs, c->acc = outer_acc;
    LLVMPositionBuilderAtEnd(c->b, here);

    LLVMBasicBlockRef par = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rows.par");
    LLVMBasicBlockRef seq = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rows.seq");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "rows.done");
    LLVMBuildCondBr(c->b, LLVMBuildIsNotNull(c->b, c->f_rows, ""), par, seq);
    LLVMPositionBuilderAtEnd(c->b, par);
    LLVMValueRef pargs[] = {fn, c->st, c->n64, ci64(c, nd->size)};
    LLVMValueRef s1 = LLVMBuildCall2(c->b, c->rowsrt_ty, c->f_rows, pargs, 4, "");
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, seq);
    LLVMValueRef sargs[] = {c->st, ci64(c, 0), c->n64};
    LLVMValueRef s2 = LLVMBuildCall2(c->b, c->rows_ty, fn, sargs, 3, "");
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, done);
    sum = LLVMBuildPhi(c->b, c->f64, "energy");
    LLVMValueRef vals[] = {s1, s2};
    LLVMBasicBlockRef bbs[] = {par, seq};
    LLVMAddIncoming(sum, vals, bbs, 2);
  }
  if (predict) {
    LLVMValueRef half = LLVMBuildFMul(c->b, LLVMConstReal(c->f64, 0.5), sum, "");
    LLVMValueRef ep = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 1, "");
    LLVMValueRef energies = LLVMBuildLoad2(c->b, c->pf64, ep, "energies");
    LLVMValueRef node = ci64(c, op->node);
    LLVMBuildStore(c->b, half, LLVMBuildInBoundsGEP2(c->b, c->f64, energies, &node, 1, ""));
  }
}

/* Bytes of buffer b in this call (n rows for batch buffers). */
static LLVMValueRef buffer_bytes(Cg *c, int b) {
  LLVMValueRef rows = c->s->buffers[b].batch_rows ? c->n64 : ci64(c, c->s->buffers[b].rows);
  return LLVMBuildNSWMul(c->b, rows, ci64(c, 4LL * c->s->buffers[b].cols), "bytes");
}

static void zero_bytes(Cg *c, LLVMValueRef p, LLVMValueRef bytes) {
  LLVMBuildMemSet(c->b, p, LLVMConstInt(LLVMInt8TypeInContext(c->ctx), 0, 0), bytes, 4);
}

/* PREDICT whose error the step analysis proved exactly zero (h carries
 * the number of act(a + b) and A already holds a + b, as right after the
 * forward sweep): mu = h, e = g = dh = 0, energy 0, without evaluating the
 * activation. Equal to the full op as numbers; g may be +0 where the full
 * op gives -0 (0 * a negative derivative), which no later op tells apart. */
static void emit_predict_zero_e(Cg *c, const PcnOp *op, bool folded) {
  LLVMValueRef bytes = LLVMBuildNSWMul(c->b, c->n64,
                                       ci64(c, 4LL * c->s->graph->nodes[op->node].size), "bytes");
  if (!mu_dead(c, op->mu)) LLVMBuildMemCpy(c->b, buffer(c, op->mu), 4, buffer(c, op->h), 4, bytes);
  zero_bytes(c, buffer(c, op->e), bytes);
  zero_bytes(c, buffer(c, op->g), bytes);
  if (op->dh >= 0 && !folded) zero_bytes(c, buffer(c, op->dh), bytes);
  LLVMValueRef ep = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 1, "");
  LLVMValueRef energies = LLVMBuildLoad2(c->b, c->pf64, ep, "energies");
  LLVMValueRef node = ci64(c, op->node);
  LLVMBuildStore(c->b, LLVMConstReal(c->f64, 0.0),
                 LLVMBuildInBoundsGEP2(c->b, c->f64, energies, &node, 1, ""));
}

static void emit_zero(Cg *c, const PcnOp *op) {
  zero_bytes(c, buffer(c, op->dst), buffer_bytes(c, op->dst));
}

/* Alpha or momentum of this program's phase from the state. */
static LLVMValueRef phase_param(Cg *c, unsigned field, const char *name) {
  int phase = pcn_program_phase(c->prog) == PCN_PHASE_TRAIN ? 0 : 1;
  LLVMValueRef idx[] = {ci32(c, 0), ci32(c, (long long)field), ci32(c, phase)};
  LLVMValueRef p = LLVMBuildInBoundsGEP2(c->b, c->state_ty, c->st, idx, 3, "");
  return LLVMBuildLoad2(c->b, c->f32, p, name);
}

/* void <prefix>k.upd[m][.alias](H, DH, [V,] count, alpha[, momentum]):
 * h -= alpha dh, or v = momentum v + dh, h -= alpha v. */
static LLVMValueRef update_kernel(Cg *c, bool mom, bool alias_ok) {
  char name[64];
  kernel_name(c, name, sizeof name, "upd%s%s", mom ? "m" : "", alias_ok ? "" : ".alias");
  LLVMTypeRef ps[] = {c->pf32, c->pf32, c->pf32, c->i64, c->f32, c->f32};
  LLVMTypeRef ps_plain[] = {c->pf32, c->pf32, c->i64, c->f32};
  LLVMTypeRef fty = mom ? LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), ps, 6, 0)
                        : LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), ps_plain, 4, 0);
  Saved sv;
  LLVMValueRef made;
  LLVMValueRef fn = kernel_begin(c, name, fty, mom ? 3 : 2, alias_ok, &sv, &made);
  if (fn) return fn;
  LLVMValueRef H = LLVMGetParam(made, 0), DH = LLVMGetParam(made, 1);
  unsigned k = mom ? 3 : 2;
  LLVMValueRef count = LLVMGetParam(made, k), alpha = LLVMGetParam(made, k + 1);
  if (mom) {
    LLVMValueRef V = LLVMGetParam(made, 2), m = LLVMGetParam(made, 5);
    Loop l = loop_open(c, count, "updm");
    LLVMValueRef v = LLVMBuildFAdd(c->b, LLVMBuildFMul(c->b, m, load_at(c, V, l.i, "vel"), ""),
                                   load_at(c, DH, l.i, "dh"), "v");
    store_at(c, v, V, l.i);
    LLVMValueRef h = load_at(c, H, l.i, "h");
    store_at(c, LLVMBuildFSub(c->b, h, LLVMBuildFMul(c->b, alpha, v, ""), ""), H, l.i);
    loop_close(c, &l);
  } else {
    Loop l = loop_open(c, count, "upd");
    LLVMValueRef h = load_at(c, H, l.i, "h");
    LLVMValueRef dh = load_at(c, DH, l.i, "dh");
    store_at(c, LLVMBuildFSub(c->b, h, LLVMBuildFMul(c->b, alpha, dh, ""), ""), H, l.i);
    loop_close(c, &l);
  }
  LLVMBuildRetVoid(c->b);
  return kernel_end(c, &sv, made);
}

static void emit_update_h(Cg *c, const PcnOp *op) {
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
    int idx[] = {op->h, op->dh, op->vel};
    LLVMValueRef k = update_kernel(c, true, distinct(idx, 3));
    LLVMValueRef args[] = {buffer(c, op->h), buffer(c, op->dh), buffer(c, op->vel), count, alpha,
                           mom};
    LLVMBuildCall2(c->b, LLVMGlobalGetValueType(k), k, args, 6, "");
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, plain);
  }
  int idx[] = {op->h, op->dh};
  LLVMValueRef k = update_kernel(c, false, distinct(idx, 2));
  LLVMValueRef args[] = {buffer(c, op->h), buffer(c, op->dh), count, alpha};
  LLVMBuildCall2(c->b, LLVMGlobalGetValueType(k), k, args, 4, "");
  if (done) {
    LLVMBuildBr(c->b, done);
    LLVMPositionBuilderAtEnd(c->b, done);
  }
}

/* void <prefix>k.bg.c<cols>[.alias](G, DB, rows): db[j] = -(sum over rows
 * of g[r][j], in double) / rows. G is walked row by row (contiguous, so
 * the inner loop vectorizes) into a stack array of double column sums,
 * BG_CHUNK columns at a time; each column is still summed from 0.0 over
 * r = 0, 1, ... in order, the same additions as a column walk. DB is
 * written only after a chunk's rows are all read (as the column walk
 * wrote db[j] after column j). */
enum { BG_CHUNK = 1024 };
static LLVMValueRef bias_grad_kernel(Cg *c, int cols, bool alias_ok) {
  char name[64];
  kernel_name(c, name, sizeof name, "bg.c%d%s", cols, alias_ok ? "" : ".alias");
  LLVMTypeRef ps[] = {c->pf32, c->pf32, c->i64};
  Saved sv;
  LLVMValueRef made;
  LLVMValueRef fn = kernel_begin(c, name, LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), ps, 3, 0),
                                 2, alias_ok, &sv, &made);
  if (fn) return fn;
  LLVMValueRef G = LLVMGetParam(made, 0), DB = LLVMGetParam(made, 1), rows = LLVMGetParam(made, 2);
  int chunk = cols < 1 ? 1 : cols < BG_CHUNK ? cols : BG_CHUNK;
  LLVMTypeRef acc_ty = LLVMArrayType(c->f64, (unsigned)chunk);
  LLVMValueRef sums = LLVMBuildAlloca(c->b, acc_ty, "sums");
  LLVMValueRef nd = LLVMBuildSIToFP(c->b, rows, c->f64, "nd");
  int nchunks = cols > 0 ? (cols + chunk - 1) / chunk : 0;
  Loop k = loop_open(c, ci64(c, nchunks), "bg.k");
  LLVMValueRef j0 = LLVMBuildNSWMul(c->b, k.i, ci64(c, chunk), "j0");
  LLVMValueRef left = LLVMBuildNSWSub(c->b, ci64(c, cols), j0, "");
  LLVMValueRef jn = LLVMBuildSelect(c->b, LLVMBuildICmp(c->b, LLVMIntSLT, left, ci64(c, chunk), ""),
                                    left, ci64(c, chunk), "jn");
#define SUM_AT(jj) LLVMBuildInBoundsGEP2(c->b, acc_ty, sums, (LLVMValueRef[]){ci64(c, 0), (jj)}, 2, "")
  Loop z = loop_open(c, jn, "bg.z");
  LLVMBuildStore(c->b, LLVMConstReal(c->f64, 0.0), SUM_AT(z.i));
  loop_close(c, &z);
  Loop r = loop_open(c, rows, "bg.r");
  LLVMValueRef row = LLVMBuildNSWAdd(c->b, LLVMBuildNSWMul(c->b, r.i, ci64(c, cols), ""), j0, "row");
  Loop j = loop_open(c, jn, "bg.j");
  LLVMValueRef g = LLVMBuildFPExt(c->b, load_at(c, G, LLVMBuildNSWAdd(c->b, row, j.i, "i"), "g"),
                                  c->f64, "");
  LLVMValueRef sp = SUM_AT(j.i);
  LLVMValueRef acc = LLVMBuildLoad2(c->b, c->f64, sp, "acc");
  LLVMBuildStore(c->b, LLVMBuildFAdd(c->b, acc, g, ""), sp);
  loop_close(c, &j);
  loop_close(c, &r);
  Loop w = loop_open(c, jn, "bg.w");
  LLVMValueRef sum = LLVMBuildLoad2(c->b, c->f64, SUM_AT(w.i), "sum");
  LLVMValueRef mean = LLVMBuildFDiv(c->b, LLVMBuildFNeg(c->b, sum, ""), nd, "");
  store_at(c, LLVMBuildFPTrunc(c->b, mean, c->f32, "db"), DB, LLVMBuildNSWAdd(c->b, j0, w.i, ""));
  loop_close(c, &w);
#undef SUM_AT
  loop_close(c, &k);
  LLVMBuildRetVoid(c->b);
  return kernel_end(c, &sv, made);
}

static void emit_bias_grad(Cg *c, const PcnOp *op) {
  int cols = c->s->buffers[op->g].cols;
  int out = op->grad >= 0 ? op->grad : op->dst;
  int idx[] = {op->g, out};
  LLVMValueRef k = bias_grad_kernel(c, cols, distinct(idx, 2));
  LLVMValueRef args[] = {buffer(c, op->g), buffer(c, out), c->n64};
  LLVMBuildCall2(c->b, LLVMGlobalGetValueType(k), k, args, 3, "");
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

/* Emits program `prog` as function `name`; modes[k] (NULL = all FULL)
 * says for the k-th op of the program, in stage order, whether to emit
 * it, skip it or emit it without the bias add. */
static void emit_program(Cg *c, PcnProgramKind prog, const char *name, const uint8_t *modes) {
  LLVMTypeRef params[] = {c->pstate, c->i32};
  LLVMTypeRef fty = LLVMFunctionType(c->i32, params, 2, 0);
  c->fn = LLVMAddFunction(c->mod, name, fty);
  fn_attrs(c, c->fn);
  c->prog = prog;
  c->st = LLVMGetParam(c->fn, 0);
  c->n32 = LLVMGetParam(c->fn, 1);
  LLVMSetValueName2(c->st, "st", 2);
  LLVMSetValueName2(c->n32, "n", 1);
  LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, c->fn, "entry"));
  c->acc = LLVMBuildAlloca(c->b, c->f64, "acc");
  c->nbase = 0;
  c->n64 = LLVMBuildSExt(c->b, c->n32, c->i64, "n64");
  LLVMValueRef bp = LLVMBuildStructGEP2(c->b, c->state_ty, c->st, 0, "");
  c->bufs = LLVMBuildLoad2(c->b, c->ppf32, bp, "bufs");

  const PcnPhaseProgram *pr = &c->s->programs[prog];
  int k = 0;
  for (int si = 0; si < pr->nstages; si++) {
    const PcnStage *stg = &pr->stages[si];
    for (int oi = 0; oi < stg->nops; oi++, k++) {
      const PcnOp *op = &stg->ops[oi];
      int mode = modes ? modes[k] : PCN_CG_FULL;
      if (mode == PCN_CG_SKIP) continue;
      if (c->o && c->o->use_skippable && op->skippable) continue;
      bool nobias = mode == PCN_CG_NOBIAS;
      int role = c->fold_role[prog] ? c->fold_role[prog][k] : FOLD_NONE;
      /* Folded updates: the update and a ZERO producer are gone. */
      if (role == FOLD_UPDATE || (role == FOLD_PRODUCER && op->kind == PCN_OP_ZERO)) continue;
      /* The average fallback sweep runs only when the runtime says so
       * (schedule.h, "Fallback stages"), so its ops go to the runtime,
       * which checks pcn_plan_fallback_active(). */
      if (op->fallback) {
        emit_delegate(c, op, si, oi);
        continue;
      }
      switch (op->kind) {
      case PCN_OP_GEMM: emit_gemm(c, op, k); break;
      case PCN_OP_LOAD_CLAMP: break; /* the caller filled H */
      case PCN_OP_FORWARD_SET: emit_node_op(c, op, false, nobias, false); break;
      case PCN_OP_PREDICT:
        if (mode == PCN_CG_ZERO_E) emit_predict_zero_e(c, op, role == FOLD_PRODUCER);
        else emit_node_op(c, op, true, nobias, role == FOLD_PRODUCER);
        break;
      case PCN_OP_ZERO: emit_zero(c, op); break;
      case PCN_OP_UPDATE_H: emit_update_h(c, op); break;
      case PCN_OP_BIAS_GRAD: emit_bias_grad(c, op); break;
      /* INIT, OPT_STEP, READOUT, and any op this backend does not know
       * yet: the runtime runs the reference semantics. */
      default: emit_delegate(c, op, si, oi); break;
      }
    }
  }
  LLVMBuildRet(c->b, ci32(c, 0));
}

/* ---- step specialization: which ops are provably redundant ------------ *
 *
 * With forward initialization the hidden errors are exactly zero after
 * TRAIN_INIT and the error front moves one layer per inference step, so a
 * step recomputes many products whose inputs have not changed, or
 * accumulates products of an all-zero gated error. We find these by
 * symbolic execution of one training batch (TRAIN_INIT, T x TRAIN_STEP,
 * TRAIN_LEARN) with value numbering: every buffer holds a value number;
 * an op's result is the number of (what it computes, its inputs'
 * numbers), hash-consed, so equal numbers mean bit-identical contents
 * (the same float operations on the same inputs). ZERO is a number of its
 * own: e = h - mu is exactly 0 when h and mu have one number, and so are
 * g = e * act'(a) and dh = e. An op is skipped when every buffer it would
 * write already holds the number it would write; a product of a ZERO
 * operand accumulated with beta = 1 is skipped on its own. The products
 * into one A buffer are a unit: when they would recompute A's number, A
 * still holds a + b from the last PREDICT, so that PREDICT's successor
 * runs without the bias add (PCN_CG_NOBIAS).
 *
 * Everything is unknown (fresh numbers) at the start of a batch, except
 * what pcn_exec_run() resets at INIT: energies and velocities are zero.
 * The backend runs variant t only as the t-th step after TRAIN_INIT, and
 * the specialized TRAIN_LEARN only after exactly T steps; any other
 * sequence runs the general functions, which compute every op. */

enum { VN_ZERO = 1 };
enum { T_GEMM = 1, T_BIAS, T_ACT, T_SUB, T_GATE, T_UPD, T_VEL, T_BG };

typedef struct VnEntry {
  uint32_t tag, a, b, c, d, id;
} VnEntry;

typedef struct Sim {
  const PcnSchedule *s;
  uint32_t *val;     /* [nbuffers] value number */
  bool *biased;      /* [nbuffers] A buffers: holds pre + bias */
  uint32_t *energy;  /* [nnodes] value number of E behind the energy */
  VnEntry *memo;
  size_t nmemo, capmemo;
  uint32_t next;
  bool oom;
} Sim;

static uint32_t vn_fresh(Sim *m) { return m->next++; }

static uint32_t vn(Sim *m, uint32_t tag, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  for (size_t i = 0; i < m->nmemo; i++) {
    const VnEntry *e = &m->memo[i];
    if (e->tag == tag && e->a == a && e->b == b && e->c == c && e->d == d) return e->id;
  }
  if (m->nmemo == m->capmemo) {
    size_t cap = m->capmemo ? 2 * m->capmemo : 256;
    VnEntry *nm = realloc(m->memo, cap * sizeof *nm);
    if (!nm) {
      m->oom = true;
      return vn_fresh(m);
    }
    m->memo = nm, m->capmemo = cap;
  }
  VnEntry e = {tag, a, b, c, d, vn_fresh(m)};
  m->memo[m->nmemo++] = e;
  return e.id;
}

/* A number for the GEMM's constants (flags, alpha, beta, operands). */
static uint32_t gemm_key(const PcnOp *op) {
  uint32_t bits;
  float alpha = op->alpha;
  memcpy(&bits, &alpha, sizeof bits);
  return bits ^ ((uint32_t)op->a * 2654435761u) ^ ((uint32_t)op->b * 40503u) ^
         ((uint32_t)op->trans_a << 29) ^ ((uint32_t)op->trans_b << 30) ^
         ((uint32_t)op->alpha_over_batch << 31);
}

/* The number of a + b, what a PREDICT / FORWARD_SET applies its
 * activation to. A's own number stays that of a (the products); whether
 * A holds a or a + b right now is `biased`, which decides only whether
 * the op adds the bias. */
static uint32_t post_bias(Sim *m, const PcnOp *op) {
  uint32_t pre = m->val[op->pa];
  if (op->bias < 0) return pre;
  return vn(m, T_BIAS, pre, m->val[op->bias], 0, 0);
}

/* Symbolically runs program `prog`, writing each op's mode (may be NULL).
 * Returns the number of ops skipped. */
static int sim_program(Sim *m, PcnProgramKind prog, uint8_t *modes, uint8_t *zero_e) {
  const PcnSchedule *s = m->s;
  const PcnPhaseProgram *pr = &s->programs[prog];
  int skipped = 0, k0 = 0;
  if (prog == PCN_PROG_TRAIN_INIT || prog == PCN_PROG_EVAL_INIT) {
    /* pcn_exec_run() zeroes energies and velocities. */
    for (int v = 0; v < s->graph->nnodes; v++) m->energy[v] = VN_ZERO;
    for (int b = 0; b < s->nbuffers; b++)
      if (s->buffers[b].kind == PCN_BUF_VEL) m->val[b] = VN_ZERO;
  }
  for (int si = 0; si < pr->nstages; si++) {
    const PcnStage *stg = &pr->stages[si];
    uint8_t *md = modes ? modes + k0 : NULL;
    if (stg->fallback) {
      /* Runs or not depending on the batch's labels: what it writes is
       * unknown afterwards, and A no longer holds a known a + b. */
      for (int oi = 0; oi < stg->nops; oi++) {
        const PcnOp *op = &stg->ops[oi];
        int w[2] = {op->kind == PCN_OP_GEMM ? op->c : op->pa,
                    op->kind == PCN_OP_FORWARD_SET ? op->h : -1};
        for (int x = 0; x < 2; x++)
          if (w[x] >= 0) m->val[w[x]] = vn_fresh(m), m->biased[w[x]] = false;
        if (md) md[oi] = PCN_CG_FULL;
      }
      k0 += stg->nops;
      continue;
    }
    /* GEMM groups by output buffer, in order of first appearance. */
    for (int oi = 0; oi < stg->nops; oi++) {
      const PcnOp *op = &stg->ops[oi];
      if (op->kind != PCN_OP_GEMM) continue;
      bool first = true;
      for (int pj = 0; pj < oi; pj++)
        if (stg->ops[pj].kind == PCN_OP_GEMM && stg->ops[pj].c == op->c) first = false;
      if (!first) continue;
      uint32_t x = 0;
      int nin = 0;
      for (int oj = oi; oj < stg->nops; oj++) {
        const PcnOp *g = &stg->ops[oj];
        if (g->kind != PCN_OP_GEMM || g->c != op->c) continue;
        bool zero = m->val[g->a] == VN_ZERO || m->val[g->b] == VN_ZERO;
        uint32_t prev = g->beta == 0.0f ? 0 : (nin ? x : m->val[g->c]);
        if (g->beta != 0.0f && g->beta != 1.0f) zero = false;
        if (zero && g->beta == 1.0f) {
          x = prev; /* C + 0 * ... = C exactly */
          if (md) md[oj] = PCN_CG_SKIP;
        } else if (zero && g->beta == 0.0f) {
          x = VN_ZERO;
          if (md) md[oj] = PCN_CG_FULL;
        } else {
          x = vn(m, T_GEMM, gemm_key(g), m->val[g->a], m->val[g->b], prev);
          if (md) md[oj] = PCN_CG_FULL;
        }
        nin++;
      }
      if (x == m->val[op->c]) {
        /* The unit recomputes what C holds (before any bias add). */
        for (int oj = oi; oj < stg->nops; oj++)
          if (stg->ops[oj].kind == PCN_OP_GEMM && stg->ops[oj].c == op->c && md)
            md[oj] = PCN_CG_SKIP;
      } else {
        m->val[op->c] = x;
        m->biased[op->c] = false;
      }
    }
    for (int oi = 0; oi < stg->nops; oi++) {
      const PcnOp *op = &stg->ops[oi];
      uint8_t mode = PCN_CG_FULL;
      switch (op->kind) {
      case PCN_OP_GEMM: mode = md ? md[oi] : PCN_CG_FULL; break;
      case PCN_OP_LOAD_CLAMP:
      case PCN_OP_INIT: m->val[op->h] = vn_fresh(m); break;
      case PCN_OP_FORWARD_SET: {
        uint32_t pa = post_bias(m, op);
        uint32_t h = vn(m, T_ACT, pa, (uint32_t)s->graph->nodes[op->node].act, 0, 0);
        bool has_bias = op->bias >= 0;
        if ((!has_bias || m->biased[op->pa]) && m->val[op->h] == h) {
          mode = PCN_CG_SKIP;
        } else {
          mode = has_bias && m->biased[op->pa] ? PCN_CG_NOBIAS : PCN_CG_FULL;
          m->val[op->h] = h;
        }
        if (has_bias) m->biased[op->pa] = true;
        break;
      }
      case PCN_OP_PREDICT: {
        uint32_t pa = post_bias(m, op);
        uint32_t mu = vn(m, T_ACT, pa, (uint32_t)s->graph->nodes[op->node].act, 0, 0);
        uint32_t e = m->val[op->h] == mu ? VN_ZERO : vn(m, T_SUB, m->val[op->h], mu, 0, 0);
        uint32_t g = e == VN_ZERO ? VN_ZERO : vn(m, T_GATE, e, pa, 0, 0);
        bool has_bias = op->bias >= 0;
        bool same = (!has_bias || m->biased[op->pa]) && m->val[op->mu] == mu &&
                    m->val[op->e] == e && m->val[op->g] == g &&
                    (op->dh < 0 || m->val[op->dh] == e) && m->energy[op->node] == e;
        if (same) {
          mode = PCN_CG_SKIP;
        } else {
          bool a_final = !has_bias || m->biased[op->pa];
          mode = e == VN_ZERO && a_final ? PCN_CG_ZERO_E
                 : has_bias && m->biased[op->pa] ? PCN_CG_NOBIAS
                                                  : PCN_CG_FULL;
          m->val[op->mu] = mu, m->val[op->e] = e, m->val[op->g] = g;
          if (op->dh >= 0) m->val[op->dh] = e;
          m->energy[op->node] = e;
        }
        if (has_bias) m->biased[op->pa] = true;
        if (zero_e) zero_e[k0 + oi] = e == VN_ZERO;
        break;
      }
      case PCN_OP_ZERO:
        if (m->val[op->dst] == VN_ZERO) mode = PCN_CG_SKIP;
        m->val[op->dst] = VN_ZERO;
        break;
      case PCN_OP_UPDATE_H:
        if (m->val[op->dh] == VN_ZERO && (op->vel < 0 || m->val[op->vel] == VN_ZERO)) {
          mode = PCN_CG_SKIP;
        } else {
          uint32_t vel = op->vel >= 0 ? m->val[op->vel] : 0;
          m->val[op->h] = vn(m, T_UPD, m->val[op->h], m->val[op->dh], vel, 0);
          if (op->vel >= 0) m->val[op->vel] = vn(m, T_VEL, vel, m->val[op->dh], 0, 0);
        }
        break;
      case PCN_OP_BIAS_GRAD: {
        int out = op->grad >= 0 ? op->grad : op->dst;
        m->val[out] = vn(m, T_BG, m->val[op->g], 0, 0, 0);
        break;
      }
      case PCN_OP_OPT_STEP:
        m->val[op->param] = vn_fresh(m);
        break;
      case PCN_OP_READOUT: break;
      default:
        /* An op the analysis does not know may write anything: forget
         * every value, so nothing after it is skipped on old knowledge
         * (A buffers then get their products and bias again, which is
         * the reference behaviour). */
        for (int b = 0; b < s->nbuffers; b++) {
          m->val[b] = vn_fresh(m);
          m->biased[b] = false;
        }
        for (int v = 0; v < s->graph->nnodes; v++) m->energy[v] = vn_fresh(m);
        break;
      }
      if (md) md[oi] = mode;
      if (mode == PCN_CG_SKIP) skipped++;
    }
    k0 += stg->nops;
  }
  return skipped;
}

static int program_nops(const PcnSchedule *s, PcnProgramKind prog) {
  int n = 0;
  for (int si = 0; si < s->programs[prog].nstages; si++) n += s->programs[prog].stages[si].nops;
  return n;
}

int pcn_cg_plan_steps(const PcnSchedule *s, int T, PcnCgStepPlan *out) {
  memset(out, 0, sizeof *out);
  if (T < 0) T = 0;
  if (T > PCN_CG_MAX_VARIANTS) T = PCN_CG_MAX_VARIANTS;
  Sim m;
  memset(&m, 0, sizeof m);
  m.s = s;
  m.next = VN_ZERO + 1;
  m.val = calloc((size_t)s->nbuffers + 1, sizeof *m.val);
  m.biased = calloc((size_t)s->nbuffers + 1, sizeof *m.biased);
  m.energy = calloc((size_t)s->graph->nnodes + 1, sizeof *m.energy);
  int nstep = program_nops(s, PCN_PROG_TRAIN_STEP), nlearn = program_nops(s, PCN_PROG_TRAIN_LEARN);
  out->step_modes = calloc((size_t)T * (size_t)nstep + 1, 1);
  out->step_zero_e = calloc((size_t)T * (size_t)nstep + 1, 1);
  out->learn_modes = calloc((size_t)nlearn + 1, 1);
  out->step_skipped = calloc((size_t)T + 1, sizeof *out->step_skipped);
  if (!m.val || !m.biased || !m.energy || !out->step_modes || !out->step_zero_e ||
      !out->learn_modes ||
      !out->step_skipped) {
    m.oom = true;
  } else {
    /* Unknown state at the start of a batch. */
    for (int b = 0; b < s->nbuffers; b++) m.val[b] = vn_fresh(&m);
    sim_program(&m, PCN_PROG_TRAIN_INIT, NULL, NULL);
    for (int t = 0; t < T; t++)
      out->step_skipped[t] = sim_program(&m, PCN_PROG_TRAIN_STEP,
                                         out->step_modes + (size_t)t * nstep,
                                         out->step_zero_e + (size_t)t * nstep);
    out->learn_skipped = sim_program(&m, PCN_PROG_TRAIN_LEARN, out->learn_modes, NULL);
    out->T = T;
    out->nstep_ops = nstep;
    out->nlearn_ops = nlearn;
  }
  free(m.val);
  free(m.biased);
  free(m.energy);
  free(m.memo);
  if (m.oom) {
    pcn_cg_step_plan_free(out);
    return -1;
  }
  return 0;
}

void pcn_cg_step_plan_free(PcnCgStepPlan *p) {
  free(p->step_modes);
  free(p->step_zero_e);
  free(p->learn_modes);
  free(p->step_skipped);
  memset(p, 0, sizeof *p);
}

int pcn_cg_nfunctions(const PcnCgOptions *o) {
  return PCN_PROG_COUNT + (o && o->steps ? o->steps->T + 1 : 0);
}

void pcn_cg_function_name(const PcnCgOptions *o, int k, char *out, size_t n) {
  const char *prefix = o && o->prefix ? o->prefix : "pcn_";
  int T = o && o->steps ? o->steps->T : 0;
  if (k < PCN_PROG_COUNT)
    snprintf(out, n, "%s%s", prefix, pcn_cg_program_symbol((PcnProgramKind)k));
  else if (k - PCN_PROG_COUNT < T)
    snprintf(out, n, "%strain_step_t%d", prefix, k - PCN_PROG_COUNT);
  else
    snprintf(out, n, "%strain_learn_T", prefix);
}

/* ---- folded updates ------------------------------------------------------ *
 * An update without momentum, h -= alpha dh, where dh is written by one
 * producer (PREDICT: dh = e, or ZERO) and then accumulated by the error
 * products (dh += a g W^T, beta 1), folds into those ops: the PREDICT
 * writes h - alpha e into h, the products accumulate -alpha a g W^T into
 * h, and dh and the update's pass over h and dh disappear (4.7% of a
 * bench_jit batch, measured with perf). Legal when nothing else touches h
 * or dh between the producer and the update, no op of any program reads
 * dh except updates and these products (so dh carries nothing from one
 * program to the next), and, in the specialized steps, every variant
 * either runs the PREDICT producer or skips the whole update. Rounding
 * differs from the reference's h - alpha (e + a g W^T), so exact_math
 * leaves it off. */

/* Fills c->read_any and c->read_not_by_update (left NULL when out of
 * memory: then nothing folds and every mu is stored). */
static void scan_reads(Cg *c) {
  const PcnSchedule *s = c->s;
  bool *any = calloc((size_t)s->nbuffers + 1, sizeof *any);
  bool *other = calloc((size_t)s->nbuffers + 1, sizeof *other);
  if (!any || !other) {
    free(any), free(other);
    return;
  }
  for (int p = 0; p < PCN_PROG_COUNT; p++)
    for (int si = 0; si < s->programs[p].nstages; si++)
      for (int oi = 0; oi < s->programs[p].stages[si].nops; oi++) {
        const PcnOp *op = &s->programs[p].stages[si].ops[oi];
        if (op->kind == PCN_OP_READOUT && op->src >= 0) any[op->src] = true;
        PcnOpAccess x = pcn_op_access(op);
        for (int i = 0; i < x.nr; i++) {
          any[x.r[i]] = true;
          if (op->kind != PCN_OP_UPDATE_H) other[x.r[i]] = true;
        }
      }
  c->read_any = any;
  c->read_not_by_update = other;
}

/* Is op an error product that can accumulate into h instead of d? */
static bool accumulates(const PcnOp *op, int d) {
  return op->kind == PCN_OP_GEMM && op->c == d && op->beta == 1.0f && !op->fallback &&
         !op->alpha_over_batch;
}

/* Do the step variants of sp allow folding the update u with producer p
 * and its products acc[0..nacc)? */
static bool fold_fits_variants(const PcnCgStepPlan *sp, const PcnOp *const *ops, int p, int u,
                               const int *acc, int nacc) {
  for (int t = 0; sp && t < sp->T; t++) {
    const uint8_t *md = sp->step_modes + (size_t)t * sp->nstep_ops;
    const uint8_t *ze = sp->step_zero_e + (size_t)t * sp->nstep_ops;
    bool predict = ops[p]->kind == PCN_OP_PREDICT;
    if (md[u] != PCN_CG_SKIP) {
      /* the update runs: a skipped PREDICT producer leaves its e in dh
       * from the last step, which folding drops, unless that e is zero */
      if (predict && md[p] == PCN_CG_SKIP && !ze[p]) return false;
      continue;
    }
    /* the update is skipped (dh proved zero): so must be its parts */
    if (predict && md[p] != PCN_CG_SKIP && md[p] != PCN_CG_ZERO_E) return false;
    for (int i = 0; i < nacc; i++)
      if (md[acc[i]] != PCN_CG_SKIP) return false;
  }
  return true;
}

/* Fills c->fold_role[prog] / c->fold_h[prog] (left NULL when nothing
 * folds or out of memory: then nothing is folded, which is correct).
 * Linear in the program's size: each buffer's list of the ops that touch
 * it (in program order) is built once, and a candidate looks only at the
 * lists of its h and dh, whose lengths are the node's degree. */
static void plan_fold(Cg *c, PcnProgramKind prog) {
  const PcnSchedule *s = c->s;
  int nops = program_nops(s, prog), nb = s->nbuffers;
  if (nops == 0 || !c->read_not_by_update) return;
  const PcnOp **ops = malloc((size_t)nops * sizeof *ops);
  uint8_t *role = calloc((size_t)nops, 1);
  int *target = malloc((size_t)nops * sizeof *target);
  int *start = calloc((size_t)nb + 2, sizeof *start);
  int *fill = calloc((size_t)nb + 1, sizeof *fill);
  int *list = NULL, *acc = NULL;
  if (!ops || !role || !target || !start || !fill) goto fail;
  int k = 0;
  for (int si = 0; si < s->programs[prog].nstages; si++)
    for (int oi = 0; oi < s->programs[prog].stages[si].nops; oi++)
      ops[k++] = &s->programs[prog].stages[si].ops[oi];
  /* touch lists: start[b] .. start[b + 1] in list, op indices ascending */
  for (int pass = 0; pass < 2; pass++) {
    for (k = 0; k < nops; k++) {
      PcnOpAccess x = pcn_op_access(ops[k]);
      int bs[12], n = 0;
      for (int i = 0; i < x.nr; i++) bs[n++] = x.r[i];
      for (int i = 0; i < x.nw; i++) bs[n++] = x.w[i];
      for (int i = 0; i < n; i++) {
        bool dup = false;
        for (int j = 0; j < i; j++) dup = dup || bs[j] == bs[i];
        if (dup) continue;
        if (pass == 0) start[bs[i] + 1]++;
        else list[start[bs[i]] + fill[bs[i]]++] = k;
      }
    }
    if (pass == 0) {
      for (int b = 0; b < nb; b++) start[b + 1] += start[b];
      list = malloc(((size_t)start[nb] + 1) * sizeof *list);
      acc = malloc(((size_t)start[nb] + 1) * sizeof *acc);
      if (!list || !acc) goto fail;
    }
  }
  const PcnCgStepPlan *sp = prog == PCN_PROG_TRAIN_STEP && c->o ? c->o->steps : NULL;
  bool any = false;
  for (int u = 0; u < nops; u++) {
    const PcnOp *U = ops[u];
    if (U->kind != PCN_OP_UPDATE_H || U->vel >= 0 || U->fallback || U->dh < 0) continue;
    int d = U->dh, h = U->h, p = -1, nacc = 0;
    bool ok = !c->read_not_by_update[d];
    /* back from u through dh's list: error products, then the producer */
    int i = start[d + 1] - 1;
    while (i >= start[d] && list[i] >= u) i--;
    for (; ok && i >= start[d]; i--) {
      const PcnOp *o = ops[list[i]];
      if (o->kind == PCN_OP_GEMM && o->c == d) {
        ok = accumulates(o, d);
        acc[nacc++] = list[i];
      } else {
        p = list[i];
        break;
      }
    }
    if (!ok || p < 0) continue;
    const PcnOp *P = ops[p];
    if (P->fallback || !((P->kind == PCN_OP_PREDICT && P->dh == d && P->h == h) ||
                         (P->kind == PCN_OP_ZERO && P->dst == d)))
      continue;
    /* nothing between the producer and the update touches h */
    for (int j = start[h]; j < start[h + 1] && ok; j++) ok = list[j] <= p || list[j] >= u;
    if (!ok || !fold_fits_variants(sp, ops, p, u, acc, nacc)) continue;
    role[p] = FOLD_PRODUCER, role[u] = FOLD_UPDATE;
    target[p] = target[u] = h;
    for (int j = 0; j < nacc; j++) role[acc[j]] = FOLD_ACCUM, target[acc[j]] = h;
    any = true;
  }
  free(ops), free(start), free(fill), free(list), free(acc);
  if (!any) {
    free(role), free(target);
    return;
  }
  c->fold_role[prog] = role;
  c->fold_h[prog] = target;
  return;
fail:
  free(ops), free(role), free(target), free(start), free(fill), free(list), free(acc);
}

/* Emits entry function k (pcn_cg_function_name) into c->mod. */
static void emit_function(Cg *c, int k) {
  char name[256];
  pcn_cg_function_name(c->o, k, name, sizeof name);
  const PcnCgStepPlan *sp = c->o ? c->o->steps : NULL;
  if (k < PCN_PROG_COUNT)
    emit_program(c, (PcnProgramKind)k, name, NULL);
  else if (k - PCN_PROG_COUNT < sp->T)
    emit_program(c, PCN_PROG_TRAIN_STEP, name,
                 sp->step_modes + (size_t)(k - PCN_PROG_COUNT) * sp->nstep_ops);
  else
    emit_program(c, PCN_PROG_TRAIN_LEARN, name, sp->learn_modes);
}

static void cg_begin(Cg *c, LLVMContextRef ctx, const PcnSchedule *s, const PcnCgOptions *o,
                     LLVMModuleRef mod) {
  memset(c, 0, sizeof *c);
  c->ctx = ctx;
  c->s = s;
  c->o = o;
  c->mod = mod;
  c->b = LLVMCreateBuilderInContext(ctx);
  build_types(c);
  build_alias_scopes(c);
  if (o && (o->fold_update || o->elide_dead_mu)) scan_reads(c);
  if (o && o->fold_update && !o->exact_math) {
    plan_fold(c, PCN_PROG_TRAIN_STEP);
    plan_fold(c, PCN_PROG_EVAL_STEP);
  }
}

static void cg_end(Cg *c) {
  LLVMDisposeBuilder(c->b);
  for (int p = 0; p < PCN_PROG_COUNT; p++) free(c->fold_role[p]), free(c->fold_h[p]);
  free(c->read_any), free(c->read_not_by_update);
  free(c->scope_of);
  free(c->noalias_of);
}

static const char *model_name(const PcnSchedule *s) {
  return s->graph && s->graph->name ? s->graph->name : "model";
}

LLVMModuleRef pcn_cg_build_module(LLVMContextRef ctx, const PcnSchedule *s,
                                  const PcnCgOptions *o, char *err, size_t errlen) {
  Cg c;
  const char *model = model_name(s);
  cg_begin(&c, ctx, s, o, LLVMModuleCreateWithNameInContext(model, ctx));
  int nf = pcn_cg_nfunctions(o);
  for (int k = 0; k < nf; k++) emit_function(&c, k);
  cg_end(&c);

  char *msg = NULL;
  if (o && o->no_verify) return c.mod;
  if (LLVMVerifyModule(c.mod, LLVMReturnStatusAction, &msg)) {
    cg_err(err, errlen, "codegen: invalid module for '%s': %s", model, msg ? msg : "?");
    LLVMDisposeMessage(msg);
    LLVMDisposeModule(c.mod);
    return NULL;
  }
  LLVMDisposeMessage(msg);
  return c.mod;
}

int pcn_cg_build_split(LLVMContextRef ctx, const PcnSchedule *s, const PcnCgOptions *o,
                       const int *group, int ngroups, LLVMModuleRef *mods,
                       LLVMModuleRef *kernels, char *err, size_t errlen) {
  PcnCgOptions oo = *o;
  oo.kernels_external = true;
  Cg c;
  const char *model = model_name(s);
  char name[300];
  snprintf(name, sizeof name, "%s.kernels", model);
  LLVMModuleRef km = LLVMModuleCreateWithNameInContext(name, ctx);
  int nf = pcn_cg_nfunctions(&oo);
  for (int g = 0; g < ngroups; g++) mods[g] = NULL;
  cg_begin(&c, ctx, s, &oo, NULL);
  c.kmod = km;
  for (int k = 0; k < nf; k++) {
    int g = group[k];
    if (!mods[g]) {
      snprintf(name, sizeof name, "%s.part%d", model, g);
      mods[g] = LLVMModuleCreateWithNameInContext(name, ctx);
    }
    c.mod = mods[g];
    declare_externals(&c);
    emit_function(&c, k);
  }
  cg_end(&c);
  *kernels = km;
  if (oo.no_verify) return 0;
  for (int g = -1; g < ngroups; g++) {
    char *msg = NULL;
    LLVMModuleRef m = g < 0 ? km : mods[g];
    if (m && LLVMVerifyModule(m, LLVMReturnStatusAction, &msg)) {
      cg_err(err, errlen, "codegen: invalid module for '%s': %s", model, msg ? msg : "?");
      LLVMDisposeMessage(msg);
      for (int j = 0; j < ngroups; j++)
        if (mods[j]) LLVMDisposeModule(mods[j]);
      LLVMDisposeModule(km);
      return -1;
    }
    LLVMDisposeMessage(msg);
  }
  return 0;
}

LLVMModuleRef pcn_cg_build_act_module(LLVMContextRef ctx, PcnActivation act, bool exact) {
  PcnCgOptions o;
  memset(&o, 0, sizeof o);
  o.exact_math = exact;
  Cg c;
  memset(&c, 0, sizeof c);
  c.ctx = ctx;
  c.o = &o;
  c.mod = LLVMModuleCreateWithNameInContext("pcn_act_probe", ctx);
  c.b = LLVMCreateBuilderInContext(ctx);
  build_types(&c);
  LLVMTypeRef params[] = {c.pf32, c.pf32, c.pf32, c.i64};
  c.fn = LLVMAddFunction(c.mod, "pcn_act_probe",
                         LLVMFunctionType(LLVMVoidTypeInContext(ctx), params, 4, 0));
  LLVMPositionBuilderAtEnd(c.b, LLVMAppendBasicBlockInContext(ctx, c.fn, "entry"));
  LLVMValueRef X = LLVMGetParam(c.fn, 0), Y = LLVMGetParam(c.fn, 1), D = LLVMGetParam(c.fn, 2);
  Loop l = loop_open(&c, LLVMGetParam(c.fn, 3), "i");
  LLVMValueRef d, x = load_at(&c, X, l.i, "x"), y;
  if (act == PCN_ACT_COUNT && !exact) {
    /* The building blocks themselves: erf(x), exp(min(x, 0)). */
    y = erf_approx(&c, x, NULL);
    LLVMValueRef neg = LLVMBuildFCmp(c.b, LLVMRealOLT, x, cf32(&c, 0.0f), "");
    d = exp_neg1(&c, LLVMBuildSelect(c.b, neg, x, cf32(&c, 0.0f), ""));
  } else {
    y = act_emit(&c, act, x, &d);
  }
  store_at(&c, y, Y, l.i);
  store_at(&c, d, D, l.i);
  loop_close(&c, &l);
  LLVMBuildRetVoid(c.b);
  LLVMDisposeBuilder(c.b);
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
  return pcn_cg_host_machine_at(for_object, LLVMCodeGenLevelAggressive, err, errlen);
}

LLVMTargetMachineRef pcn_cg_host_machine_at(bool for_object, LLVMCodeGenOptLevel level,
                                            char *err, size_t errlen) {
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
      t, triple, cpu, feat, level,
      for_object ? LLVMRelocPIC : LLVMRelocDefault,
      for_object ? LLVMCodeModelDefault : LLVMCodeModelJITDefault);
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  LLVMDisposeMessage(triple);
  if (!tm) cg_err(err, errlen, "codegen: cannot create a target machine for the host");
  return tm;
}

void pcn_cg_set_target(LLVMModuleRef m, LLVMTargetMachineRef tm) {
  char *triple = LLVMGetTargetMachineTriple(tm);
  LLVMSetTarget(m, triple);
  LLVMDisposeMessage(triple);
  LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
  char *dl = LLVMCopyStringRepOfTargetData(td);
  LLVMSetDataLayout(m, dl);
  LLVMDisposeMessage(dl);
  LLVMDisposeTargetData(td);
}

int pcn_cg_optimize(LLVMModuleRef m, LLVMTargetMachineRef tm, char *err, size_t errlen) {
  return pcn_cg_optimize_with(m, tm, "default<O3>", err, errlen);
}

int pcn_cg_optimize_with(LLVMModuleRef m, LLVMTargetMachineRef tm, const char *pipeline,
                         char *err, size_t errlen) {
  pcn_cg_set_target(m, tm);

  LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
  LLVMPassBuilderOptionsSetLoopVectorization(opts, 1);
  LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
  LLVMPassBuilderOptionsSetLoopUnrolling(opts, 1);
  LLVMErrorRef e = LLVMRunPasses(m, pipeline, tm, opts);
  LLVMDisposePassBuilderOptions(opts);
  if (e) {
    char *msg = LLVMGetErrorMessage(e);
    cg_err(err, errlen, "codegen: optimization failed: %s", msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
  }
  return 0;
}
