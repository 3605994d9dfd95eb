/*
 * ast.h - the syntax tree of a .pcn program.
 *
 * The parser builds one PcnAst per construct, every node carrying the span
 * it came from. The tree is deliberately close to the surface syntax: the
 * blocks `dataset`, `train`, `evaluate` and `memory` hold generic settings
 * (`key value value ...;`) that semantic analysis (compiler/sema.c)
 * interprets and checks, so the grammar stays small and a misspelt key gets
 * a precise error from sema instead of a parse error.
 *
 * All nodes and strings live in one arena (PcnArena) freed at once.
 * See docs/language.md for the grammar this tree mirrors.
 */
#ifndef PCN_AST_H
#define PCN_AST_H

#include "pcn/arena.h"
#include "pcn/diag.h"

typedef enum PcnAstKind {
  /* top-level items */
  PCN_AST_IMPORT,   /* import "path";           str = path */
  PCN_AST_PARAM,    /* param NAME = expr;       name, lhs = value */
  PCN_AST_DATASET,  /* dataset NAME { settings } name, items = SETTINGs */
  PCN_AST_MODEL,    /* model NAME { model items } name, items */
  PCN_AST_TRAIN,    /* train MODEL { settings }  name = model name, items */
  PCN_AST_EVALUATE, /* evaluate MODEL { settings } name = model name, items */

  /* model items */
  PCN_AST_NODE,   /* ROLE NAME[dims] attrs;   role, lhs = NAME, items = dims
                     (exprs), attrs = ATTRs */
  PCN_AST_EDGE,   /* a -> b -> c : transform; items = NAMEs (>= 2),
                     lhs = transform (IDENT or CALL) or NULL for default */
  PCN_AST_MEMORY, /* memory NAME { settings } name, items = SETTINGs */
  PCN_AST_FOR,    /* for VAR in lo .. hi { model items }
                     name = VAR, lhs = lo, rhs = hi, items = body */

  /* generic pieces */
  PCN_AST_SETTING, /* key value* ;   name = key, items = values */
  PCN_AST_ATTR,    /* node attribute: act IDENT | init VALUE | clamp IDENT
                      [IDENT]; name = "act"/"init"/"clamp", items = values */
  PCN_AST_NAMED,   /* name = value inside call args; name, lhs = value */

  /* values and expressions */
  PCN_AST_NUM,   /* num; is_int when written without '.', 'e' */
  PCN_AST_STR,   /* str (escapes resolved) */
  PCN_AST_NAME,  /* NAME or NAME@index: name, lhs = index expr or NULL */
  PCN_AST_DOT,   /* a.b (dataset split): lhs = NAME, name = member */
  PCN_AST_CALL,  /* f(args): name = callee, items = args (values or NAMED) */
  PCN_AST_BINOP, /* lhs op rhs, op one of + - * / % */
  PCN_AST_NEG    /* -lhs */
} PcnAstKind;

/* Which keyword declared a node. */
typedef enum PcnNodeRole {
  PCN_ROLE_NODE,   /* node   x[...] : free unless a clamp attr says so */
  PCN_ROLE_INPUT,  /* input  x[...] : clamped to the data's image/features
                      in training and evaluation */
  PCN_ROLE_TARGET  /* target y[...] : clamped to the one-hot label in
                      training, predicted in evaluation */
} PcnNodeRole;

typedef struct PcnAst PcnAst;

/* A growable list of child pointers (arena-allocated). */
typedef struct PcnAstList {
  PcnAst **v;
  int n, cap;
} PcnAstList;

struct PcnAst {
  PcnAstKind kind;
  PcnSpan span;      /* the whole construct */
  PcnSpan name_span; /* just the name/key token, when there is one */
  const char *name;  /* see the kind comments above */
  const char *str;   /* STR and IMPORT text */
  double num;        /* NUM value */
  int is_int;        /* NUM written as an integer literal */
  char op;           /* BINOP operator */
  PcnNodeRole role;  /* NODE */
  PcnAst *lhs, *rhs; /* see the kind comments above */
  PcnAstList items;  /* see the kind comments above */
  PcnAstList attrs;  /* NODE attributes */
};

/* A whole file: its top-level items in source order. */
typedef struct PcnProgram {
  const PcnSource *src;
  PcnAstList items;
} PcnProgram;

PcnAst *pcn_ast_new(PcnArena *a, PcnAstKind kind, PcnSpan span);
void pcn_ast_push(PcnArena *a, PcnAstList *list, PcnAst *item);
const char *pcn_ast_kind_name(PcnAstKind kind);

/* Writes the tree as an S-expression (used by the parser tests and
 * `pcnc check --dump-ast`). */
void pcn_ast_dump(const PcnAst *node, FILE *out);
void pcn_program_dump(const PcnProgram *prog, FILE *out);

/* Parses one source file. Syntax errors go to d; the returned program holds
 * whatever could be recovered (never NULL unless out of memory). Returns
 * the number of syntax errors through *nerrors when non-NULL. */
PcnProgram *pcn_parse(PcnArena *a, PcnDiag *d, const PcnSource *src,
                      int *nerrors);

#endif
