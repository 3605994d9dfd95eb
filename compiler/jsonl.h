/*
 * jsonl.h - a small reader for the JSON Lines logs that `pcnc run --log`
 * writes (one flat object per line; see include/pcn/train.h).
 *
 * It understands exactly what the logs hold: objects whose values are
 * numbers, strings, booleans, null, or one level of nested object (the
 * per-node energies). Arrays and deeper nesting are rejected with a clear
 * message rather than half-parsed. A log cut short by a killed run ends in
 * a partial line, so the file reader skips malformed lines, reports each as
 * "file:line:col: message" and keeps the rest.
 *
 *     PcnJsonl log;
 *     char err[256];
 *     if (pcn_jsonl_read("run.jsonl", &log, stderr, err, sizeof err) != 0) {
 *       fprintf(stderr, "%s\n", err);   // unreadable file
 *       return 1;
 *     }
 *     for (int i = 0; i < log.n; i++) {
 *       double acc;
 *       if (pcn_json_number(&log.objs[i], "test_accuracy", &acc)) ...
 *     }
 *     pcn_jsonl_free(&log);
 */
#ifndef PCN_JSONL_H
#define PCN_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum PcnJsonType {
  PCN_JSON_NULL,
  PCN_JSON_BOOL,
  PCN_JSON_NUMBER,
  PCN_JSON_STRING,
  PCN_JSON_OBJECT /* only at the top level's values: no deeper nesting */
} PcnJsonType;

typedef struct PcnJsonValue PcnJsonValue;

/* One object: its keys in the order written (a repeated key: the first
 * one wins on lookup). */
typedef struct PcnJsonObject {
  char **keys;
  PcnJsonValue *values;
  int n;
} PcnJsonObject;

struct PcnJsonValue {
  PcnJsonType type;
  bool b;            /* BOOL */
  double num;        /* NUMBER */
  char *str;         /* STRING, NUL-terminated (an escaped \u0000 ends it) */
  PcnJsonObject obj; /* OBJECT */
};

/* Parses one line holding one object (surrounding blanks allowed).
 * Returns 0, or -1 with "col N: message" in err (1-based column). */
int pcn_json_parse(const char *text, size_t len, PcnJsonObject *out, char *err,
                   size_t errlen);
void pcn_json_object_free(PcnJsonObject *o);

/* Lookups; NULL / false when the key is missing or of another type. */
const PcnJsonValue *pcn_json_get(const PcnJsonObject *o, const char *key);
bool pcn_json_number(const PcnJsonObject *o, const char *key, double *out);
const char *pcn_json_string(const PcnJsonObject *o, const char *key);
bool pcn_json_bool(const PcnJsonObject *o, const char *key, bool *out);

/* A whole log: the objects of its good lines, in file order. */
typedef struct PcnJsonl {
  PcnJsonObject *objs;
  int *lines; /* [n] 1-based line number of each object */
  int n;
  int nbad;   /* malformed lines skipped */
} PcnJsonl;

/* Reads path. Blank lines are ignored; each malformed line is skipped and,
 * when warn is not NULL, reported there as "path:line:col: message".
 * Returns 0, or -1 when the file cannot be read or memory runs out (err
 * says which). */
int pcn_jsonl_read(const char *path, PcnJsonl *out, FILE *warn, char *err,
                   size_t errlen);
void pcn_jsonl_free(PcnJsonl *l);

#endif
