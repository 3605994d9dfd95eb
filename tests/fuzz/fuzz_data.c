/*
 * fuzz_data.c - libFuzzer harness for the dataset file loaders (not built
 * by CMake): IDX image/label files (runtime/data_idx.c) and CSV files
 * (runtime/data_csv.c), raw or gzip'd, loaded the way `pcnc run` loads a
 * declared dataset (pcn_data_load, runtime/data.c, with its feature and
 * image-shape checks), then used: a training fraction, a sampler over one
 * epoch (stream-aligned when labelled) and pcn_data_gather of every batch.
 *
 * Input layout (all chosen by the fuzzer):
 *   byte 0  mode: bit 0 CSV (else IDX); bit 1 gzip file 1; bit 2 gzip
 *           file 2; bit 3 IDX has a labels file
 *   byte 1  classes, byte 2 features, bytes 3, 4 image_h, image_w (IDX;
 *           0 = not declared), byte 5 label_column (CSV, signed)
 *   bytes 6, 7  length of file 1 (little-endian); then file 1 (IDX
 *           images or the CSV), then file 2 (IDX labels)
 * "gzip" means the harness compresses the bytes before writing them, so
 * the fuzzer reaches the loaders' parsing through zlib; a file that is
 * itself gzip data (mode bit clear) fuzzes the decompression errors.
 * Every input must load or be refused with a message: no crash, hang,
 * leak or sanitizer report.
 *
 * Build (libraries from a clang build with
 * -fsanitize=address,undefined,fuzzer-no-link, see tests/fuzz/README.md):
 *
 *   B=build-fz-clang
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *     -Iinclude tests/fuzz/fuzz_data.c $B/runtime/libpcn_runtime.a \
 *     -llapacke -lopenblas -lz -lpng -lpthread -lm -o /tmp/fuzz_data
 *   mkdir -p /tmp/corpus_data
 *   PCN_FUZZ_SEED_DIR=/tmp/corpus_data /tmp/fuzz_data -runs=0  # seeds
 *   nice -n 19 /tmp/fuzz_data -max_total_time=600 -timeout=10 \
 *     -max_len=8192 /tmp/corpus_data
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "pcn/data.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void write_file(const char *path, const uint8_t *b, size_t n, int gz) {
  if (gz) {
    gzFile f = gzopen(path, "wb");
    if (!f || (n && gzwrite(f, b, (unsigned)n) != (int)n) || gzclose(f) != Z_OK) abort();
    return;
  }
  FILE *f = fopen(path, "wb");
  if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0) abort();
}

/* A seed: header fields, then file 1 and file 2. */
static void seed(const char *seed_dir, const char *name, uint8_t mode,
                 uint8_t classes, uint8_t features, uint8_t ih, uint8_t iw,
                 int8_t labcol, const uint8_t *f1, size_t n1, const uint8_t *f2,
                 size_t n2) {
  uint8_t buf[4096];
  size_t k = 0;
  buf[k++] = mode;
  buf[k++] = classes;
  buf[k++] = features;
  buf[k++] = ih;
  buf[k++] = iw;
  buf[k++] = (uint8_t)labcol;
  buf[k++] = (uint8_t)n1;
  buf[k++] = (uint8_t)(n1 >> 8);
  memcpy(buf + k, f1, n1);
  k += n1;
  memcpy(buf + k, f2, n2);
  k += n2;
  char p[600];
  snprintf(p, sizeof p, "%s/%s", seed_dir, name);
  write_file(p, buf, k, 0);
}

/* Gzip bytes in memory (for seeds that are gzip files themselves). */
static size_t gz_bytes(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
  char p[128];
  snprintf(p, sizeof p, "%s/gz", dir);
  write_file(p, in, n, 1);
  FILE *f = fopen(p, "rb");
  if (!f) abort();
  size_t m = fread(out, 1, cap, f);
  fclose(f);
  return m;
}

static void write_seeds(const char *sd) {
  /* 6 images of 3x2 pixels, labels 0..2 twice. */
  uint8_t img[16 + 36] = {0, 0, 8, 3, 0, 0, 0, 6, 0, 0, 0, 3, 0, 0, 0, 2};
  for (int i = 0; i < 36; i++) img[16 + i] = (uint8_t)(i * 7);
  uint8_t lab[8 + 6] = {0, 0, 8, 1, 0, 0, 0, 6, 0, 1, 2, 0, 1, 2};
  seed(sd, "idx_raw", 8, 3, 6, 3, 2, 0, img, sizeof img, lab, sizeof lab);
  seed(sd, "idx_gz", 8 | 2 | 4, 3, 6, 3, 2, 0, img, sizeof img, lab, sizeof lab);
  seed(sd, "idx_nolabels", 0, 0, 0, 0, 0, 0, img, sizeof img, NULL, 0);
  seed(sd, "idx_classes0", 8, 0, 0, 0, 0, 0, img, sizeof img, lab, sizeof lab);
  uint8_t gi[256], gl[256];
  size_t ni = gz_bytes(img, sizeof img, gi, sizeof gi), nl = gz_bytes(lab, sizeof lab, gl, sizeof gl);
  seed(sd, "idx_gzfiles", 8, 3, 6, 3, 2, 0, gi, ni, gl, nl);
  static const char csv[] = "a,b,c,label\n0.5,1,-2,0\n1e3,2,3,1\n\n 4 , 5,6 ,2\r\n7,8,9,0\n";
  seed(sd, "csv_raw", 1, 3, 3, 0, 0, -1, (const uint8_t *)csv, sizeof csv - 1, NULL, 0);
  seed(sd, "csv_gz", 1 | 2, 3, 3, 0, 0, 3, (const uint8_t *)csv, sizeof csv - 1, NULL, 0);
  static const char csv2[] = "1,2\n3,4\n5,6\n";
  seed(sd, "csv_unlabelled", 1, 0, 0, 0, 0, 0, (const uint8_t *)csv2, sizeof csv2 - 1, NULL, 0);
  seed(sd, "csv_labcol0", 1, 7, 0, 0, 0, 0, (const uint8_t *)csv2, sizeof csv2 - 1, NULL, 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  snprintf(dir, sizeof dir, "/tmp/fuzz_data.XXXXXX");
  if (!mkdtemp(dir)) abort();
  const char *sd = getenv("PCN_FUZZ_SEED_DIR");
  if (sd) write_seeds(sd);
  return 0;
}

/* What the trainer does with a loaded split. */
static void use(const PcnDataSplit *s, int classes) {
  if (s->n < 1 || s->d < 1 || !s->x) abort(); /* a loaded split has data */
  if (s->y)
    for (int i = 0; i < s->n; i++)
      if (s->y[i] < 0 || s->y[i] >= s->classes) abort();
  char err[512];
  int *rows = NULL, nrows = 0;
  if (pcn_data_fraction(s, 0.5, 1, &rows, &nrows, err, sizeof err) != 0) {
    if (!err[0]) abort();
    return;
  }
  int aligned = s->y && classes > 0;
  int batch = aligned ? 2 * s->classes : 3;
  PcnSampler *smp = pcn_sampler_new(s, rows, nrows, aligned ? PCN_SAMPLER_ALIGNED
                                                            : PCN_SAMPLER_SHUFFLED,
                                    batch, false, 1, err, sizeof err);
  free(rows);
  if (!smp) return;
  float *x = malloc(sizeof(float) * (size_t)batch * (size_t)s->d);
  float *y = malloc(sizeof(float) * (size_t)batch * (size_t)(s->classes > 0 ? s->classes : 1));
  int *lab = malloc(sizeof(int) * (size_t)batch);
  if (!x || !y || !lab) abort();
  pcn_sampler_begin_epoch(smp, 0);
  const int *idx;
  int n;
  while ((n = pcn_sampler_next(smp, &idx)) > 0)
    if (pcn_data_gather(s, idx, n, x, y, lab) != 0) abort();
  free(x);
  free(y);
  free(lab);
  pcn_sampler_free(smp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 8) return 0;
  uint8_t mode = data[0];
  size_t n1 = (size_t)data[6] | (size_t)data[7] << 8;
  const uint8_t *f1 = data + 8;
  size_t rest = size - 8;
  if (n1 > rest) n1 = rest;
  char p1[128], p2[128];
  snprintf(p1, sizeof p1, "%s/f1", dir);
  snprintf(p2, sizeof p2, "%s/f2", dir);
  write_file(p1, f1, n1, mode & 2);
  write_file(p2, f1 + n1, rest - n1, mode & 4);

  PcnDataset ds;
  memset(&ds, 0, sizeof ds);
  ds.name = "fuzz";
  ds.format = (mode & 1) ? PCN_DATA_CSV : PCN_DATA_IDX;
  ds.dir = dir;
  ds.train_files[0] = "f1";
  ds.train_files[1] = (mode & 8) || (mode & 1) ? "f2" : NULL;
  ds.classes = data[1];
  ds.features = data[2];
  if (!(mode & 1)) {
    ds.image_h = data[3];
    ds.image_w = data[4];
  }
  ds.label_column = (int8_t)data[5];
  if (!(mode & 1) && ds.classes > 0 && !ds.train_files[1]) ds.classes = 0;

  PcnDataSplit s;
  char err[512] = "";
  int rc = pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err);
  if (getenv("PCN_FUZZ_VERBOSE"))
    fprintf(stderr, "%s\n", rc ? err : "loaded");
  if (rc == 0) {
    use(&s, ds.classes);
    pcn_data_free(&s);
  } else if (!err[0]) {
    abort(); /* every refusal has a message */
  }
  return 0;
}
