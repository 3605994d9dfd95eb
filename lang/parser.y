/*
 * parser.y - the grammar of .pcn programs (docs/spec.md, "Grammar").
 *
 * A pure LALR(1) parser with PcnSpan locations. Every action builds the
 * PcnAst documented in lang/ast.h. Recovery: a syntax error skips to the
 * next ';' (or the '}' closing the current block) at item, model-item and
 * setting level, so one run reports several errors. An unclosed '{' is
 * reported once, after the parse, from the scanner's stack of open braces
 * (lexical, so it stays right whatever recovery discarded).
 *
 * Nesting is bounded so later recursive passes (dump, sema) cannot blow the
 * C stack: expressions and values deeper than PCN_MAX_DEPTH, and blocks
 * deeper than PCN_MAX_BLOCKS, stop the parse with one error.
 */
%define api.pure full
%define api.prefix {pcnyy}
%define parse.error detailed
%define api.location.type {PcnSpan}
%locations
%expect 0

%code requires {
#include "ast.h"
#include "pcn/arena.h"
#include "pcn/diag.h"

#define PCN_MAX_DEPTH 256
#define PCN_MAX_BLOCKS 256
#define PCN_MAX_IDENT 255

/* One '{' still open, with what it opens (for the end-of-file note). */
typedef struct PcnOpenBlock {
  PcnSpan brace;
  const char *kw;   /* "model", "for", ... or NULL */
  const char *name; /* the name after the keyword, or NULL */
} PcnOpenBlock;

/* Everything the scanner and the parser share for one pcn_parse call. */
typedef struct PcnParseState {
  PcnArena *arena;
  PcnDiag *diag;
  const PcnSource *src;
  PcnProgram *prog;
  void *scanner;     /* the flex yyscan_t */
  int nerrors;       /* errors this parse reported (capped or not) */
  int line, col;     /* position of the next byte to scan */
  int at_eof;        /* the scanner has returned end of file */
  int quiet;         /* an unterminated string ate the line: drop the
                        syntax error that follows it (before ';' or '}') */
  int fatal;         /* stop: nesting limit or error cap reached */
  PcnSpan last_err;  /* to drop a repeated error at the same place */
  PcnOpenBlock blocks[PCN_MAX_BLOCKS];
  int nblocks;
  const char *pending_kw;   /* block keyword seen, '{' not yet */
  const char *pending_name; /* identifier after pending_kw */
  PcnSpan eof_span;
} PcnParseState;

/* An AST with the height of its subtree, to bound recursion later. */
typedef struct PcnEx {
  PcnAst *a;
  int depth;
} PcnEx;

/* Call arguments with the height of the deepest one. */
typedef struct PcnArgs {
  PcnAstList list;
  int depth;
} PcnArgs;

typedef struct PcnNumTok {
  double v;
  int is_int;
} PcnNumTok;

/* Spans: the first symbol's start to the last symbol's end; an empty rule
 * gets an empty span just after the previous symbol. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                       \
  do {                                                                    \
    if (N) {                                                              \
      (Cur) = YYRHSLOC(Rhs, 1);                                           \
      (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                         \
      (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                           \
    } else {                                                              \
      (Cur) = YYRHSLOC(Rhs, 0);                                           \
      (Cur).line = (Cur).end_line;                                        \
      (Cur).col = (Cur).end_col + 1;                                      \
    }                                                                     \
  } while (0)

/* Reports a parse error; returns its diagnostic index or -1. */
int pcn_parse_error(PcnParseState *st, PcnSpan span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
}

%param { PcnParseState *st }

%union {
  const char *str;
  PcnNumTok num;
  PcnArgs args;
  PcnAst *ast;
  PcnEx ex;
  PcnAstList list;
  int role;
}

%code {
#include <stdarg.h>
#include <string.h>
int pcnyylex(PCNYYSTYPE *lval, PCNYYLTYPE *lloc, PcnParseState *st);
static void pcnyyerror(PCNYYLTYPE *loc, PcnParseState *st, const char *msg);

static PcnAst *mk(PcnParseState *st, PcnAstKind k, PcnSpan sp) {
  return pcn_ast_new(st->arena, k, sp);
}
static void push(PcnParseState *st, PcnAstList *l, PcnAst *a) {
  if (a) pcn_ast_push(st->arena, l, a);
}
static int maxi(int a, int b) { return a > b ? a : b; }
/* Returns nonzero (and reports once) when an AST got too deep. */
static int too_deep(PcnParseState *st, int depth, PcnSpan sp) {
  if (depth <= PCN_MAX_DEPTH) return 0;
  pcn_parse_error(st, sp, "expression nested too deeply (more than %d levels)",
                  PCN_MAX_DEPTH);
  st->fatal = 1;
  return 1;
}
#define DEPTH_CHECK(d, sp) do { if (too_deep(st, (d), (sp))) YYABORT; } while (0)
static PcnEx binop(PcnParseState *st, PcnEx l, char op, PcnEx r, PcnSpan sp) {
  PcnAst *n = mk(st, PCN_AST_BINOP, sp);
  if (n) { n->op = op; n->lhs = l.a; n->rhs = r.a; }
  return (PcnEx){n, 1 + maxi(l.depth, r.depth)};
}
static PcnEx leaf(PcnAst *a) { return (PcnEx){a, 1}; }
static PcnAst *named(PcnParseState *st, PcnAstKind k, PcnSpan sp,
                     const char *name, PcnSpan name_sp) {
  PcnAst *n = mk(st, k, sp);
  if (n) { n->name = name; n->name_span = name_sp; }
  return n;
}
}

%token KW_IMPORT "'import'" KW_PARAM "'param'" KW_DATASET "'dataset'"
       KW_MODEL "'model'" KW_TRAIN "'train'" KW_EVALUATE "'evaluate'"
       KW_NODE "'node'" KW_INPUT "'input'" KW_TARGET "'target'"
       KW_MEMORY "'memory'" KW_FOR "'for'" KW_IN "'in'" KW_ACT "'act'"
       KW_INIT "'init'" KW_CLAMP "'clamp'"
%token LBRACE "'{'" RBRACE "'}'" LBRACK "'['" RBRACK "']'"
       LPAREN "'('" RPAREN "')'" SEMI "';'" COMMA "','" ASSIGN "'='"
       ARROW "'->'" COLON "':'" DOT "'.'" DOTDOT "'..'" AT "'@'"
       PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'" PERCENT "'%'"
%token <str> IDENT "identifier" STRING "string"
%token <num> NUMBER "number"

/* A bare identifier followed by '(' is a call, never a name followed by a
 * parenthesized value: prefer the shift. */
%precedence BARE_NAME
%precedence LPAREN

%type <ast> item import param dataset model train evaluate model_item node
%type <ast> edge memory for setting attr
%type <list> settings settings_block model_items model_block dims attrs
%type <list> values chain
%type <args> args args_opt
%type <ex> expr term unary primary name value atom call arg argval
%type <str> key member clamp_word kw_word
%type <role> role

%initial-action {
  @$.src = st->src;
  @$.line = @$.end_line = 1;
  @$.col = 1;
  @$.end_col = 0;
}

%%

program: %empty
       | program item { push(st, &st->prog->items, $2); }
       ;

item: import | param | dataset | model | train | evaluate
    /* Top-level items are never inside braces: while a '{' skipped by the
     * recovery is still open, keep skipping, so a broken block header does
     * not spill the block's body into the top level. */
    | error "';'" { if (st->nblocks > 0) YYERROR; $$ = NULL; yyerrok; }
    | error "'}'" { if (st->nblocks > 0) YYERROR; $$ = NULL; yyerrok; }
    ;

import: "'import'" STRING "';'" {
        $$ = mk(st, PCN_AST_IMPORT, @$);
        if ($$) $$->str = $2;
      }
      ;

param: "'param'" IDENT "'='" expr "';'" {
       $$ = named(st, PCN_AST_PARAM, @$, $2, @2);
       if ($$) $$->lhs = $4.a;
     }
     ;

dataset: "'dataset'" IDENT settings_block {
         $$ = named(st, PCN_AST_DATASET, @$, $2, @2);
         if ($$) $$->items = $3;
       }
       ;

model: "'model'" IDENT model_block {
       $$ = named(st, PCN_AST_MODEL, @$, $2, @2);
       if ($$) $$->items = $3;
     }
     ;

train: "'train'" IDENT settings_block {
       $$ = named(st, PCN_AST_TRAIN, @$, $2, @2);
       if ($$) $$->items = $3;
     }
     ;

evaluate: "'evaluate'" IDENT settings_block {
          $$ = named(st, PCN_AST_EVALUATE, @$, $2, @2);
          if ($$) $$->items = $3;
        }
        ;

/* ---- settings: key value* ; ---- */

settings_block: "'{'" settings "'}'" { $$ = $2; }
              | "'{'" settings error "'}'" { $$ = $2; yyerrok; }
              ;

settings: %empty { memset(&$$, 0, sizeof $$); }
        | settings setting { $$ = $1; push(st, &$$, $2); }
        ;

setting: key values "';'" {
         $$ = named(st, PCN_AST_SETTING, @$, $1, @1);
         if ($$) $$->items = $2;
       }
       | error "';'" { $$ = NULL; yyerrok; }
       ;

/* Setting keys and dotted members may be keywords: `train "a" "b";` in a
 * dataset, `data D.train;` in a train block. */
key: IDENT | kw_word ;
member: IDENT | kw_word ;

kw_word: "'import'" { $$ = "import"; } | "'param'" { $$ = "param"; }
       | "'dataset'" { $$ = "dataset"; } | "'model'" { $$ = "model"; }
       | "'train'" { $$ = "train"; } | "'evaluate'" { $$ = "evaluate"; }
       | "'node'" { $$ = "node"; } | "'input'" { $$ = "input"; }
       | "'target'" { $$ = "target"; } | "'memory'" { $$ = "memory"; }
       | "'for'" { $$ = "for"; } | "'in'" { $$ = "in"; } | "'act'" { $$ = "act"; }
       | "'init'" { $$ = "init"; } | "'clamp'" { $$ = "clamp"; }
       ;

values: %empty { memset(&$$, 0, sizeof $$); }
      | values value { $$ = $1; push(st, &$$, $2.a); }
      ;

/* ---- models ---- */

model_block: "'{'" model_items "'}'" { $$ = $2; }
           | "'{'" model_items error "'}'" { $$ = $2; yyerrok; }
           ;

model_items: %empty { memset(&$$, 0, sizeof $$); }
           | model_items model_item { $$ = $1; push(st, &$$, $2); }
           ;

model_item: node | edge | memory | for | param
          | error "';'" { $$ = NULL; yyerrok; }
          ;

node: role name "'['" dims "']'" attrs "';'" {
      $$ = mk(st, PCN_AST_NODE, @$);
      if ($$) {
        $$->role = (PcnNodeRole)$1;
        $$->lhs = $2.a;
        $$->name_span = @2;
        if ($2.a) $$->name = $2.a->name;
        $$->items = $4;
        $$->attrs = $6;
      }
    }
    ;

role: "'node'" { $$ = PCN_ROLE_NODE; }
    | "'input'" { $$ = PCN_ROLE_INPUT; }
    | "'target'" { $$ = PCN_ROLE_TARGET; }
    ;

dims: expr { memset(&$$, 0, sizeof $$); push(st, &$$, $1.a); }
    | dims "','" expr { $$ = $1; push(st, &$$, $3.a); }
    ;

attrs: %empty { memset(&$$, 0, sizeof $$); }
     | attrs attr { $$ = $1; push(st, &$$, $2); }
     ;

attr: "'act'" IDENT {
        $$ = named(st, PCN_AST_ATTR, @$, "act", @1);
        if ($$) push(st, &$$->items, named(st, PCN_AST_NAME, @2, $2, @2));
      }
    | "'init'" value {
        $$ = named(st, PCN_AST_ATTR, @$, "init", @1);
        if ($$) push(st, &$$->items, $2.a);
      }
    | "'clamp'" clamp_word {
        $$ = named(st, PCN_AST_ATTR, @$, "clamp", @1);
        if ($$) push(st, &$$->items, named(st, PCN_AST_NAME, @2, $2, @2));
      }
    | "'clamp'" clamp_word clamp_word {
        $$ = named(st, PCN_AST_ATTR, @$, "clamp", @1);
        if ($$) {
          push(st, &$$->items, named(st, PCN_AST_NAME, @2, $2, @2));
          push(st, &$$->items, named(st, PCN_AST_NAME, @3, $3, @3));
        }
      }
    ;

/* `clamp label train`: the phase word is the keyword `train`. */
clamp_word: IDENT
          | "'train'" { $$ = "train"; }
          ;

edge: chain "';'" {
        $$ = mk(st, PCN_AST_EDGE, @$);
        if ($$) $$->items = $1;
      }
    | chain "':'" value "';'" {
        $$ = mk(st, PCN_AST_EDGE, @$);
        if ($$) { $$->items = $1; $$->lhs = $3.a; }
      }
    ;

chain: name "'->'" name {
         memset(&$$, 0, sizeof $$);
         push(st, &$$, $1.a);
         push(st, &$$, $3.a);
       }
     | chain "'->'" name { $$ = $1; push(st, &$$, $3.a); }
     ;

memory: "'memory'" IDENT settings_block {
          $$ = named(st, PCN_AST_MEMORY, @$, $2, @2);
          if ($$) $$->items = $3;
        }
      ;

for: "'for'" IDENT "'in'" expr "'..'" expr model_block {
       $$ = named(st, PCN_AST_FOR, @$, $2, @2);
       if ($$) { $$->lhs = $4.a; $$->rhs = $6.a; $$->items = $7; }
     }
   ;

/* ---- values ---- */

value: atom
     | "'-'" atom {
         PcnAst *n = mk(st, PCN_AST_NEG, @$);
         if (n) n->lhs = $2.a;
         $$ = (PcnEx){n, $2.depth + 1};
         DEPTH_CHECK($$.depth, @$);
       }
     ;

atom: NUMBER {
        PcnAst *n = mk(st, PCN_AST_NUM, @$);
        if (n) { n->num = $1.v; n->is_int = $1.is_int; }
        $$ = leaf(n);
      }
    | STRING {
        PcnAst *n = mk(st, PCN_AST_STR, @$);
        if (n) n->str = $1;
        $$ = leaf(n);
      }
    | name
    | name "'.'" member {
        PcnAst *n = named(st, PCN_AST_DOT, @$, $3, @3);
        if (n) n->lhs = $1.a;
        $$ = (PcnEx){n, $1.depth + 1};
        DEPTH_CHECK($$.depth, @$);
      }
    | call
    | "'('" expr "')'" { $$ = $2; }
    ;

/* `init memory(M)`: the callee may be the keyword `memory`. */
call: IDENT "'('" args_opt "')'" {
        PcnAst *n = named(st, PCN_AST_CALL, @$, $1, @1);
        if (n) n->items = $3.list;
        $$ = (PcnEx){n, $3.depth + 1};
        DEPTH_CHECK($$.depth, @$);
      }
    | "'memory'" "'('" args_opt "')'" {
        PcnAst *n = named(st, PCN_AST_CALL, @$, "memory", @1);
        if (n) n->items = $3.list;
        $$ = (PcnEx){n, $3.depth + 1};
        DEPTH_CHECK($$.depth, @$);
      }
    ;

args_opt: %empty { memset(&$$, 0, sizeof $$); }
        | args
        ;

args: arg {
        memset(&$$, 0, sizeof $$);
        push(st, &$$.list, $1.a);
        $$.depth = $1.depth;
      }
    | args "','" arg {
        $$ = $1;
        push(st, &$$.list, $3.a);
        $$.depth = maxi($$.depth, $3.depth);
      }
    ;

arg: IDENT "'='" argval {
       PcnAst *n = named(st, PCN_AST_NAMED, @$, $1, @1);
       if (n) n->lhs = $3.a;
       $$ = (PcnEx){n, $3.depth + 1};
     }
   | argval
   ;

argval: expr
      | STRING {
          PcnAst *n = mk(st, PCN_AST_STR, @$);
          if (n) n->str = $1;
          $$ = leaf(n);
        }
      | call
      | name "'.'" member {
          PcnAst *n = named(st, PCN_AST_DOT, @$, $3, @3);
          if (n) n->lhs = $1.a;
          $$ = (PcnEx){n, $1.depth + 1};
        }
      ;

/* ---- expressions ---- */

expr: term
    | expr "'+'" term { $$ = binop(st, $1, '+', $3, @$); DEPTH_CHECK($$.depth, @$); }
    | expr "'-'" term { $$ = binop(st, $1, '-', $3, @$); DEPTH_CHECK($$.depth, @$); }
    ;

term: unary
    | term "'*'" unary { $$ = binop(st, $1, '*', $3, @$); DEPTH_CHECK($$.depth, @$); }
    | term "'/'" unary { $$ = binop(st, $1, '/', $3, @$); DEPTH_CHECK($$.depth, @$); }
    | term "'%'" unary { $$ = binop(st, $1, '%', $3, @$); DEPTH_CHECK($$.depth, @$); }
    ;

unary: primary
     | "'-'" unary {
         PcnAst *n = mk(st, PCN_AST_NEG, @$);
         if (n) n->lhs = $2.a;
         $$ = (PcnEx){n, $2.depth + 1};
         DEPTH_CHECK($$.depth, @$);
       }
     ;

primary: NUMBER {
           PcnAst *n = mk(st, PCN_AST_NUM, @$);
           if (n) { n->num = $1.v; n->is_int = $1.is_int; }
           $$ = leaf(n);
         }
       | name
       | "'('" expr "')'" { $$ = $2; }
       ;

name: IDENT %prec BARE_NAME { $$ = leaf(named(st, PCN_AST_NAME, @$, $1, @1)); }
    | IDENT "'@'" primary {
        PcnAst *n = named(st, PCN_AST_NAME, @$, $1, @1);
        if (n) n->lhs = $3.a;
        $$ = (PcnEx){n, $3.depth + 1};
        DEPTH_CHECK($$.depth, @$);
      }
    ;

%%

/* Records one parse error; drops one that starts where the previous one
 * did (a bad token is often also an unexpected one: say it once). */
int pcn_parse_error(PcnParseState *st, PcnSpan span, const char *fmt, ...) {
  const PcnSpan *l = &st->last_err;
  if (st->fatal) return -1; /* stopped: the sink already says why */
  if (st->nerrors > 0 && l->line == span.line && l->col == span.col)
    return -1;
  st->last_err = span;
  st->nerrors++;
  va_list ap;
  va_start(ap, fmt);
  int idx = pcn_diag_vemit(st->diag, PCN_SEV_ERROR, span, fmt, ap);
  va_end(ap);
  /* A saturated sink means a hopeless input (say a binary file): stop. */
  if (st->diag->max_errors > 0 && st->diag->nerrors > st->diag->max_errors)
    st->fatal = 1;
  return idx;
}

static void pcnyyerror(PCNYYLTYPE *loc, PcnParseState *st, const char *msg) {
  if (st->fatal) return;
  /* At end of file inside a block the useful message is the unclosed
   * brace, which pcn_parse reports with a note once the parse is over. */
  if (st->at_eof && st->nblocks > 0) return;
  if (strcmp(msg, "memory exhausted") == 0) {
    pcn_parse_error(st, *loc, "program nested too deeply for the parser");
    st->fatal = 1;
    return;
  }
  if (st->quiet) {
    st->quiet = 0;
    return;
  }
  if (strncmp(msg, "syntax error, ", 14) == 0) msg += 14;
  pcn_parse_error(st, *loc, "%s", msg);
}
