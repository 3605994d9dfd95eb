/*
 * ast.c - AST construction helpers and the S-expression dump.
 *
 * Dump format (one S-expression per node; used by tests and
 * `pcnc check --dump-ast`). Blocks put each child on its own line, indented
 * two spaces per level; everything else stays on one line:
 *
 *   (import "std/datasets.pcn")
 *   (param width 512)
 *   (dataset NAME SETTING...)        (model NAME ITEM...)
 *   (train MODEL SETTING...)         (evaluate MODEL SETTING...)
 *   (memory NAME SETTING...)         (for VAR LO HI ITEM...)
 *   SETTING:  (KEY VALUE...)         e.g. (batch 200 aligned)
 *   NODE:     (node ROLE NAME (dims EXPR...) ATTR...)
 *             ROLE is node/input/target; e.g. (node input x (dims 784))
 *   ATTR:     (act gelu) (init forward) (clamp image eval)
 *   EDGE:     (edge A B C) or (edge A B C : TRANSFORM)
 *   NAME:     x, or (@ x INDEX) for x@INDEX
 *   DOT:      (. D train) for D.train
 *   CALL:     (call f ARG...), a named argument as (= name VALUE)
 *   NUM:      integers as written (512); reals with the shortest digits that
 *             read back exactly, always with '.', 'e', 'inf' or 'nan'
 *             (200.0, 0.0003, 1e+300)
 *   STR:      "text" with \" \\ \n \t and \xNN for other unprintables
 *   BINOP:    (+ a b) (- a b) (* a b) (/ a b) (% a b);  NEG: (neg x)
 * A NULL child (possible after error recovery) prints as `?`.
 */
#include "ast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

PcnAst *pcn_ast_new(PcnArena *a, PcnAstKind kind, PcnSpan span) {
  PcnAst *n = pcn_arena_alloc(a, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->span = span;
  n->name_span = span;
  return n;
}

void pcn_ast_push(PcnArena *a, PcnAstList *list, PcnAst *item) {
  if (list->n == list->cap) {
    int cap = list->cap ? 2 * list->cap : 4;
    PcnAst **v = pcn_arena_array(a, (size_t)cap, sizeof *v);
    if (!v) return; /* the arena's failed flag tells the caller */
    if (list->n) memcpy(v, list->v, (size_t)list->n * sizeof *v);
    list->v = v;
    list->cap = cap;
  }
  list->v[list->n++] = item;
}

const char *pcn_ast_kind_name(PcnAstKind kind) {
  switch (kind) {
  case PCN_AST_IMPORT: return "import";
  case PCN_AST_PARAM: return "param";
  case PCN_AST_DATASET: return "dataset";
  case PCN_AST_MODEL: return "model";
  case PCN_AST_TRAIN: return "train";
  case PCN_AST_EVALUATE: return "evaluate";
  case PCN_AST_NODE: return "node";
  case PCN_AST_EDGE: return "edge";
  case PCN_AST_MEMORY: return "memory";
  case PCN_AST_FOR: return "for";
  case PCN_AST_SETTING: return "setting";
  case PCN_AST_ATTR: return "attr";
  case PCN_AST_NAMED: return "named";
  case PCN_AST_NUM: return "num";
  case PCN_AST_STR: return "str";
  case PCN_AST_NAME: return "name";
  case PCN_AST_DOT: return "dot";
  case PCN_AST_CALL: return "call";
  case PCN_AST_BINOP: return "binop";
  case PCN_AST_NEG: return "neg";
  }
  return "?";
}

static void dump_num(const PcnAst *n, FILE *out) {
  if (n->is_int) {
    fprintf(out, "%.0f", n->num);
    return;
  }
  char buf[64];
  int prec = 1;
  for (; prec < 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, n->num);
    if (strtod(buf, NULL) == n->num) break;
  }
  /* Print every integer digit rather than 2e+02 for 200.0. */
  double m = fabs(n->num);
  if (m >= 1 && m < 1e17) {
    int digits = (int)floor(log10(m)) + 1;
    if (digits > prec) prec = digits;
  }
  snprintf(buf, sizeof buf, "%.*g", prec, n->num);
  /* Keep reals distinguishable from integers in the dump. */
  if (!strpbrk(buf, ".eEin")) strcat(buf, ".0");
  fputs(buf, out);
}

static void dump_str(const char *s, FILE *out) {
  fputc('"', out);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", out);
    else if (c == '\t')
      fputs("\\t", out);
    else if (c < 0x20 || c >= 0x7f)
      fprintf(out, "\\x%02x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void dump(const PcnAst *n, FILE *out, int indent);

static void dump_list(const PcnAstList *l, FILE *out, int indent) {
  for (int i = 0; i < l->n; i++) {
    fputc(' ', out);
    dump(l->v[i], out, indent);
  }
}

/* Children of a block, one per line. */
static void dump_block(const PcnAstList *l, FILE *out, int indent) {
  for (int i = 0; i < l->n; i++) {
    fprintf(out, "\n%*s", indent + 2, "");
    dump(l->v[i], out, indent + 2);
  }
}

static const char *str_or(const char *s) { return s ? s : "?"; }

static void dump(const PcnAst *n, FILE *out, int indent) {
  if (!n) {
    fputc('?', out);
    return;
  }
  switch (n->kind) {
  case PCN_AST_IMPORT:
    fputs("(import ", out);
    dump_str(n->str, out);
    fputc(')', out);
    break;
  case PCN_AST_PARAM:
    fprintf(out, "(param %s ", str_or(n->name));
    dump(n->lhs, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_DATASET:
  case PCN_AST_MODEL:
  case PCN_AST_TRAIN:
  case PCN_AST_EVALUATE:
  case PCN_AST_MEMORY:
    fprintf(out, "(%s %s", pcn_ast_kind_name(n->kind), str_or(n->name));
    dump_block(&n->items, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_FOR:
    fprintf(out, "(for %s ", str_or(n->name));
    dump(n->lhs, out, indent);
    fputc(' ', out);
    dump(n->rhs, out, indent);
    dump_block(&n->items, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_NODE: {
    static const char *roles[] = {"node", "input", "target"};
    unsigned r = (unsigned)n->role;
    fprintf(out, "(node %s ", r < 3 ? roles[r] : "?");
    dump(n->lhs, out, indent);
    fputs(" (dims", out);
    dump_list(&n->items, out, indent);
    fputc(')', out);
    dump_list(&n->attrs, out, indent);
    fputc(')', out);
    break;
  }
  case PCN_AST_EDGE:
    fputs("(edge", out);
    dump_list(&n->items, out, indent);
    if (n->lhs) {
      fputs(" : ", out);
      dump(n->lhs, out, indent);
    }
    fputc(')', out);
    break;
  case PCN_AST_SETTING:
  case PCN_AST_ATTR:
    fprintf(out, "(%s", str_or(n->name));
    dump_list(&n->items, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_NAMED:
    fprintf(out, "(= %s ", str_or(n->name));
    dump(n->lhs, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_NUM:
    dump_num(n, out);
    break;
  case PCN_AST_STR:
    dump_str(n->str, out);
    break;
  case PCN_AST_NAME:
    if (n->lhs) {
      fprintf(out, "(@ %s ", str_or(n->name));
      dump(n->lhs, out, indent);
      fputc(')', out);
    } else {
      fputs(str_or(n->name), out);
    }
    break;
  case PCN_AST_DOT:
    fputs("(. ", out);
    dump(n->lhs, out, indent);
    fprintf(out, " %s)", str_or(n->name));
    break;
  case PCN_AST_CALL:
    fprintf(out, "(call %s", str_or(n->name));
    dump_list(&n->items, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_BINOP:
    fprintf(out, "(%c ", n->op ? n->op : '?');
    dump(n->lhs, out, indent);
    fputc(' ', out);
    dump(n->rhs, out, indent);
    fputc(')', out);
    break;
  case PCN_AST_NEG:
    fputs("(neg ", out);
    dump(n->lhs, out, indent);
    fputc(')', out);
    break;
  }
}

void pcn_ast_dump(const PcnAst *node, FILE *out) { dump(node, out, 0); }

void pcn_program_dump(const PcnProgram *prog, FILE *out) {
  if (!prog) return;
  for (int i = 0; i < prog->items.n; i++) {
    dump(prog->items.v[i], out, 0);
    fputc('\n', out);
  }
}
