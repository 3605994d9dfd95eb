/*
 * diag.h - source files, spans and diagnostics.
 *
 * Every phase of pcnc reports problems through one PcnDiag sink. A
 * diagnostic has a severity, a primary span and an optional list of notes,
 * each with its own span. pcn_diag_print() renders them in the compiler
 * convention:
 *
 *     model.pcn:12:5: error: undefined node 'h9'
 *        12 |     h8 -> h9;
 *           |           ^~
 *     model.pcn:3:3: note: did you mean 'h8'?
 *
 * Color is used only when the output stream is a terminal (and NO_COLOR is
 * unset). Library code never exits; it records diagnostics and returns a
 * status, and the driver turns the error count into an exit code.
 */
#ifndef PCN_DIAG_H
#define PCN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A loaded source file. The text is NUL-terminated and owned by the sink. */
typedef struct PcnSource {
  char *path;   /* as given by the user or resolved by an import */
  char *text;   /* whole file contents, NUL-terminated */
  size_t len;   /* bytes in text, not counting the NUL */
} PcnSource;

/* A range in a source file. Lines and columns count from 1; columns count
 * bytes. end_col is the column of the last byte of the range (inclusive).
 * A span with src == NULL means "no location" (command-line settings). */
typedef struct PcnSpan {
  const PcnSource *src;
  int line, col;
  int end_line, end_col;
} PcnSpan;

typedef enum { PCN_SEV_ERROR, PCN_SEV_WARNING, PCN_SEV_NOTE } PcnSeverity;

typedef struct PcnDiagNote {
  PcnSpan span;
  char *msg;
} PcnDiagNote;

typedef struct PcnDiagnostic {
  PcnSeverity sev;
  PcnSpan span;
  char *msg;
  PcnDiagNote *notes;
  int nnotes;
} PcnDiagnostic;

/* The sink: owns every source file loaded and every diagnostic emitted. */
typedef struct PcnDiag {
  PcnSource **sources;
  int nsources, cap_sources;
  PcnDiagnostic *items;
  int nitems, cap_items;
  int nerrors, nwarnings;
  int max_errors; /* stop recording after this many errors (0 = no limit) */
} PcnDiag;

void pcn_diag_init(PcnDiag *d);
void pcn_diag_free(PcnDiag *d);

/* Largest source file pcn_diag_load_file reads (64 MiB). */
#define PCN_SOURCE_MAX_BYTES ((size_t)1 << 26)

/* Reads a file into a new PcnSource owned by d. Returns NULL (and records
 * nothing) when the file cannot be read; errno is left set (EFBIG when it
 * is larger than PCN_SOURCE_MAX_BYTES). */
const PcnSource *pcn_diag_load_file(PcnDiag *d, const char *path);
/* Wraps an in-memory buffer (copied) as a source named `path`. */
const PcnSource *pcn_diag_add_source(PcnDiag *d, const char *path,
                                     const char *text, size_t len);

/* Emit a diagnostic; returns its index so notes can be attached. */
int pcn_diag_error(PcnDiag *d, PcnSpan span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int pcn_diag_warning(PcnDiag *d, PcnSpan span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a note to diagnostic `idx` (a negative idx is ignored). */
void pcn_diag_note(PcnDiag *d, int idx, PcnSpan span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int pcn_diag_vemit(PcnDiag *d, PcnSeverity sev, PcnSpan span, const char *fmt,
                   va_list ap);

/* Print all diagnostics in emission order. color: -1 = auto (isatty and
 * NO_COLOR unset), 0 = never, 1 = always. */
void pcn_diag_print(const PcnDiag *d, FILE *out, int color);

/* Span helpers. */
PcnSpan pcn_span_join(PcnSpan a, PcnSpan b);
extern const PcnSpan pcn_no_span;

#endif
