/* test_data.c - the runtime data layer: IDX and CSV loaders (happy paths and
 * every rejection), synthetic generators, stratified fractions, samplers,
 * gathering, and the real Fashion-MNIST test split when installed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pcn/data.h"
#include "testutil.h"

static char err[1024];

/* ---- helpers --------------------------------------------------------- */

static const char *tmp_path(const char *name) {
  static char buf[8][512];
  static int k;
  char *p = buf[k++ % 8];
  snprintf(p, 512, "%s/%s", pcn_test_tmpdir(), name);
  return p;
}

static void write_bytes(const char *path, const void *data, size_t len,
                        int gz) {
  if (gz) {
    gzFile f = gzopen(path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    if (len)
      CU_ASSERT_FATAL(gzwrite(f, data, (unsigned)len) == (int)len);
    gzclose(f);
  } else {
    FILE *f = fopen(path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    if (len)
      CU_ASSERT_FATAL(fwrite(data, 1, len, f) == len);
    fclose(f);
  }
}

static void write_text(const char *path, const char *text) {
  write_bytes(path, text, strlen(text), 0);
}

static size_t put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
  return 4;
}

/* Image file bytes: n images of h x w, pixel (i, j) = (7*i + j) % 256;
 * `extra` more pixel bytes, or fewer when negative (truncation). */
static size_t make_images(uint8_t *buf, uint32_t magic, int n, int h, int w,
                          int extra) {
  size_t k = put_be32(buf, magic);
  k += put_be32(buf + k, (uint32_t)n);
  k += put_be32(buf + k, (uint32_t)h);
  k += put_be32(buf + k, (uint32_t)w);
  long total = (long)n * h * w + extra;
  for (long i = 0; i < total; i++)
    buf[k + (size_t)i] = (uint8_t)((7 * i + i / (h * w)) % 256);
  return k + (size_t)total;
}

static uint8_t pixel_of(int img, int j, int h, int w) {
  long i = (long)img * h * w + j;
  return (uint8_t)((7 * i + i / (h * w)) % 256);
}

static size_t make_labels(uint8_t *buf, int n, const uint8_t *lab) {
  size_t k = put_be32(buf, 0x00000801);
  k += put_be32(buf + k, (uint32_t)n);
  memcpy(buf + k, lab, (size_t)n);
  return k + (size_t)n;
}

/* The error must contain both the path and the expected problem. */
static void expect_err(const char *path, const char *what) {
  if (!strstr(err, what) || !strstr(err, path))
    fprintf(stderr, "\n  message was: %s\n  wanted: '%s' and '%s'\n", err, what,
            path);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, what));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, path));
}

static uint8_t buf[1 << 16];
static const uint8_t labels5[5] = {0, 2, 1, 2, 0};

/* ---- IDX ------------------------------------------------------------- */

static void roundtrip(int gz) {
  const char *ip = tmp_path(gz ? "rt-img.gz" : "rt-img.raw");
  const char *lp = tmp_path(gz ? "rt-lab.gz" : "rt-lab.raw");
  write_bytes(ip, buf, make_images(buf, 0x00000803, 5, 3, 4, 0), gz);
  write_bytes(lp, buf, make_labels(buf, 5, labels5), gz);
  PcnDataSplit s;
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_idx(ip, lp, 3, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 5);
  CU_ASSERT_EQUAL(s.d, 12);
  CU_ASSERT_EQUAL(s.image_h, 3);
  CU_ASSERT_EQUAL(s.image_w, 4);
  CU_ASSERT_EQUAL(s.classes, 3);
  for (int i = 0; i < 5; i++) {
    CU_ASSERT_EQUAL(s.y[i], labels5[i]);
    for (int j = 0; j < 12; j++)
      CU_ASSERT_EQUAL(s.x[i * 12 + j], (float)pixel_of(i, j, 3, 4) / 255.0f);
  }
  pcn_data_free(&s);
  CU_ASSERT_PTR_NULL(s.x);

  /* Without labels: unlabelled; classes 0 with labels infers max + 1. */
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_idx(ip, NULL, 0, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.classes, 0);
  CU_ASSERT_PTR_NULL(s.y);
  pcn_data_free(&s);
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_idx(ip, lp, 0, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.classes, 3);
  pcn_data_free(&s);
}

static void test_idx_raw(void) { roundtrip(0); }
static void test_idx_gzip(void) { roundtrip(1); }

static void test_idx_bad_magic(void) {
  const char *p = tmp_path("magic.gz");
  write_bytes(p, buf, make_images(buf, 0x12340803, 2, 2, 2, 0), 1);
  int n, h, w;
  uint8_t *px;
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "not an IDX file: bad magic 0x12340803");
}

static void test_idx_bad_type(void) {
  const char *p = tmp_path("type.raw");
  write_bytes(p, buf, make_images(buf, 0x00000D03, 2, 2, 2, 0), 0);
  int n, h, w;
  uint8_t *px;
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "unsupported IDX type code 0x0D");
}

static void test_idx_wrong_dims(void) {
  /* A label file where images are expected, and the other way round. */
  const char *p = tmp_path("dims-lab.gz");
  write_bytes(p, buf, make_labels(buf, 5, labels5), 1);
  int n, h, w;
  uint8_t *px;
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "expected 3 dimensions for images, got 1");
  const char *q = tmp_path("dims-img.gz");
  write_bytes(q, buf, make_images(buf, 0x00000803, 2, 2, 2, 0), 1);
  CU_ASSERT_EQUAL(pcn_idx_read_labels(q, &n, &px, err, sizeof err), -1);
  expect_err(q, "expected 1 dimension for labels, got 3");
}

static void test_idx_truncated_pixels(void) {
  for (int gz = 0; gz < 2; gz++) {
    const char *p = tmp_path(gz ? "trunc.gz" : "trunc.raw");
    write_bytes(p, buf, make_images(buf, 0x00000803, 5, 3, 4, -10), gz);
    int n, h, w;
    uint8_t *px;
    CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err),
                    -1);
    expect_err(p, "truncated: expected 60 bytes of pixels, got 50");
  }
}

static void test_idx_truncated_header(void) {
  const char *p = tmp_path("hdr.raw");
  make_images(buf, 0x00000803, 5, 3, 4, 0);
  write_bytes(p, buf, 10, 0);
  int n, h, w;
  uint8_t *px;
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "truncated header: expected 16 bytes, got 10");
  write_bytes(p, buf, 0, 0);
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "truncated header: expected 16 bytes, got 0");
}

static void test_idx_trailing(void) {
  const char *p = tmp_path("trail.gz");
  write_bytes(p, buf, make_images(buf, 0x00000803, 5, 3, 4, 1), 1);
  int n, h, w;
  uint8_t *px;
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "trailing garbage");
  const char *q = tmp_path("trail-lab.raw");
  size_t k = make_labels(buf, 5, labels5);
  buf[k] = 9;
  write_bytes(q, buf, k + 1, 0);
  CU_ASSERT_EQUAL(pcn_idx_read_labels(q, &n, &px, err, sizeof err), -1);
  expect_err(q, "trailing garbage after the 5 bytes of labels");
}

static void test_idx_count_mismatch(void) {
  const char *ip = tmp_path("cm-img.gz");
  const char *lp = tmp_path("cm-lab.gz");
  write_bytes(ip, buf, make_images(buf, 0x00000803, 5, 3, 4, 0), 1);
  write_bytes(lp, buf, make_labels(buf, 4, labels5), 1);
  PcnDataSplit s;
  CU_ASSERT_EQUAL(pcn_data_load_idx(ip, lp, 3, &s, err, sizeof err), -1);
  expect_err(ip, "5 images but 4 labels");
  CU_ASSERT_PTR_NOT_NULL(strstr(err, lp));
  CU_ASSERT_PTR_NULL(s.x);
}

static void test_idx_label_range(void) {
  const char *ip = tmp_path("lr-img.gz");
  const char *lp = tmp_path("lr-lab.gz");
  uint8_t lab[5] = {0, 1, 2, 5, 1};
  write_bytes(ip, buf, make_images(buf, 0x00000803, 5, 3, 4, 0), 1);
  write_bytes(lp, buf, make_labels(buf, 5, lab), 1);
  PcnDataSplit s;
  CU_ASSERT_EQUAL(pcn_data_load_idx(ip, lp, 3, &s, err, sizeof err), -1);
  expect_err(lp, "label 5 of sample 3 is out of range for 3 classes");
}

static void test_idx_absurd_sizes(void) {
  int n, h, w;
  uint8_t *px;
  const char *p = tmp_path("zero.raw");
  write_bytes(p, buf, make_images(buf, 0x00000803, 5, 0, 4, 0), 0);
  CU_ASSERT_EQUAL(pcn_idx_read_images(p, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(p, "dimension 2 of the header is zero");
  /* 2^20 images of 2^10 x 2^10: 2^40 bytes, refused before any read. */
  const char *q = tmp_path("huge.raw");
  size_t k = put_be32(buf, 0x00000803);
  k += put_be32(buf + k, 1u << 20);
  k += put_be32(buf + k, 1u << 10);
  k += put_be32(buf + k, 1u << 10);
  write_bytes(q, buf, k, 0);
  CU_ASSERT_EQUAL(pcn_idx_read_images(q, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(q, "absurd size");
  const char *missing = tmp_path("no-such-file.gz");
  CU_ASSERT_EQUAL(
      pcn_idx_read_images(missing, &n, &h, &w, &px, err, sizeof err), -1);
  expect_err(missing, "cannot open");
}

static void test_load_idx_dataset(void) {
  /* Files in a directory; the dataset's dir is wrong, data_dir fixes it. */
  write_bytes(tmp_path("ds-img.gz"), buf,
              make_images(buf, 0x00000803, 5, 3, 4, 0), 1);
  write_bytes(tmp_path("ds-lab.gz"), buf, make_labels(buf, 5, labels5), 1);
  PcnDataset ds = {0};
  ds.name = "tiny";
  ds.format = PCN_DATA_IDX;
  ds.dir = "/nonexistent/dir";
  ds.train_files[0] = ds.test_files[0] = "ds-img.gz";
  ds.train_files[1] = ds.test_files[1] = "ds-lab.gz";
  ds.features = 12;
  ds.classes = 3;
  ds.image_h = 3;
  ds.image_w = 4;
  PcnDataSplit s;
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), -1);
  expect_err("/nonexistent/dir/ds-img.gz", "cannot open");
  CU_ASSERT_EQUAL_FATAL(pcn_data_load(&ds, PCN_PART_TEST, pcn_test_tmpdir(), 0,
                                      &s, err, sizeof err),
                        0);
  CU_ASSERT_EQUAL(s.n, 5);
  CU_ASSERT_EQUAL(s.d, 12);
  pcn_data_free(&s);
  ds.dir = pcn_test_tmpdir();
  ds.features = 10;
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), -1);
  expect_err("ds-img.gz", "declares 10");
  ds.features = 12;
  ds.image_h = 4;
  ds.image_w = 3;
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), -1);
  expect_err("ds-img.gz", "images are 3x4 but dataset 'tiny' declares 4x3");
  ds.image_h = 3;
  ds.image_w = 4;
  ds.train_files[1] = NULL;
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "declares 3 classes but no train labels"));
  ds.classes = 0; /* unlabelled: fine without a labels file */
  CU_ASSERT_EQUAL_FATAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), 0);
  CU_ASSERT_PTR_NULL(s.y);
  CU_ASSERT_EQUAL(s.classes, 0);
  pcn_data_free(&s);
}

/* ---- CSV ------------------------------------------------------------- */

static void test_csv_happy(void) {
  const char *p = tmp_path("iris.csv");
  write_text(p, "sepal_l, sepal_w,petal,label\r\n"
                "5.1,3.5,1.4,0\r\n"
                "\r\n"
                "4.9, 3.0 ,1.4e0,2\n"
                "-1,0,7,1\n");
  PcnDataSplit s;
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_csv(p, 3, 3, -1, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 3);
  CU_ASSERT_EQUAL(s.d, 3);
  CU_ASSERT_EQUAL(s.classes, 3);
  CU_ASSERT_EQUAL(s.y[0], 0);
  CU_ASSERT_EQUAL(s.y[1], 2);
  CU_ASSERT_EQUAL(s.y[2], 1);
  CU_ASSERT_DOUBLE_EQUAL(s.x[0], 5.1, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(s.x[4], 3.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL(s.x[6], -1.0, 1e-6);
  pcn_data_free(&s);

  /* No header (first row numeric), label in column 0, gzip. */
  const char *q = tmp_path("nohdr.csv.gz");
  const char *t = "1,0.5,0.25\n0,1.5,2.5\n";
  write_bytes(q, t, strlen(t), 1);
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_csv(q, 0, 2, 0, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 2);
  CU_ASSERT_EQUAL(s.d, 2);
  CU_ASSERT_EQUAL(s.y[0], 1);
  CU_ASSERT_EQUAL(s.y[1], 0);
  CU_ASSERT_DOUBLE_EQUAL(s.x[3], 2.5, 1e-6);
  pcn_data_free(&s);

  /* Unlabelled: every column is a feature. */
  CU_ASSERT_EQUAL_FATAL(pcn_data_load_csv(q, 3, 0, -1, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.d, 3);
  CU_ASSERT_PTR_NULL(s.y);
  pcn_data_free(&s);

  /* Through a dataset declaration. */
  PcnDataset ds = {0};
  ds.name = "iris";
  ds.format = PCN_DATA_CSV;
  ds.dir = pcn_test_tmpdir();
  ds.train_files[0] = "iris.csv";
  ds.label_column = -1;
  ds.classes = 3;
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TRAIN, NULL, 0, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 3);
  pcn_data_free(&s);
  CU_ASSERT_EQUAL(
      pcn_data_load(&ds, PCN_PART_TEST, NULL, 0, &s, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "no test file"));
}

static void csv_expect(const char *name, const char *text, int features,
                       int classes, const char *what) {
  const char *p = tmp_path(name);
  write_text(p, text);
  PcnDataSplit s;
  CU_ASSERT_EQUAL(
      pcn_data_load_csv(p, features, classes, -1, &s, err, sizeof err), -1);
  expect_err(p, what);
}

static void test_csv_errors(void) {
  csv_expect("cols.csv", "a,b,y\n1,2,0\n1,2\n", 2, 2,
             ":3: expected 3 columns, got 2");
  csv_expect("nan.csv", "1,2,0\n1,x2,1\n", 2, 2,
             ":2: column 1 (0-based): 'x2' is not a number");
  csv_expect("frac.csv", "1,2,0\n1,2,1.5\n", 2, 2,
             ":2: label '1.5' is not an integer");
  csv_expect("range.csv", "1,2,0\n1,2,7\n", 2, 2,
             ":2: label 7 is out of range [0, 2)");
  csv_expect("neg.csv", "1,2,-1\n", 2, 2, ":1: label -1 is out of range");
  csv_expect("feat.csv", "1,2,3,0\n", 2, 2,
             ":1: 3 feature columns but the dataset declares 2");
  csv_expect("empty.csv", "\n\n", 0, 2, "no data rows");
  csv_expect("hdronly.csv", "a,b,y\n", 0, 2, "no data rows after the header");
  const char *missing = tmp_path("missing.csv");
  PcnDataSplit s;
  CU_ASSERT_EQUAL(pcn_data_load_csv(missing, 0, 2, -1, &s, err, sizeof err),
                  -1);
  expect_err(missing, "cannot open");
}

/* ---- synthetic ------------------------------------------------------- */

static bool same_split(const PcnDataSplit *a, const PcnDataSplit *b) {
  if (a->n != b->n || a->d != b->d)
    return false;
  if (memcmp(a->x, b->x, sizeof(float) * (size_t)a->n * a->d) != 0)
    return false;
  return !a->y || memcmp(a->y, b->y, sizeof(int) * (size_t)a->n) == 0;
}

/* Nearest-class-mean accuracy of `test` with means from `train`. */
static double centroid_accuracy(const PcnDataSplit *train,
                                const PcnDataSplit *test) {
  int C = train->classes, d = train->d;
  double *mu = calloc((size_t)C * d, sizeof(double));
  int *cnt = calloc((size_t)C, sizeof(int));
  for (int i = 0; i < train->n; i++) {
    cnt[train->y[i]]++;
    for (int j = 0; j < d; j++)
      mu[train->y[i] * d + j] += train->x[i * d + j];
  }
  for (int c = 0; c < C; c++)
    for (int j = 0; j < d; j++)
      mu[c * d + j] /= cnt[c];
  int ok = 0;
  for (int i = 0; i < test->n; i++) {
    int best = 0;
    double bd = INFINITY;
    for (int c = 0; c < C; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double t = test->x[i * d + j] - mu[c * d + j];
        s += t * t;
      }
      if (s < bd)
        bd = s, best = c;
    }
    ok += best == test->y[i];
  }
  free(mu);
  free(cnt);
  return (double)ok / test->n;
}

static void test_synthetic(void) {
  const char *gens[] = {"blobs", "xor", "spiral"};
  const int classes[] = {4, 2, 3};
  for (int g = 0; g < 3; g++) {
    PcnDataSplit a, b, c, t;
    CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize(gens[g], 200, 5, classes[g], 7,
                                              PCN_PART_TRAIN, &a, err,
                                              sizeof err),
                          0);
    CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize(gens[g], 200, 5, classes[g], 7,
                                              PCN_PART_TRAIN, &b, err,
                                              sizeof err),
                          0);
    CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize(gens[g], 200, 5, classes[g], 8,
                                              PCN_PART_TRAIN, &c, err,
                                              sizeof err),
                          0);
    CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize(gens[g], 100, 5, classes[g], 7,
                                              PCN_PART_TEST, &t, err,
                                              sizeof err),
                          0);
    CU_ASSERT_TRUE(same_split(&a, &b));
    CU_ASSERT_FALSE(same_split(&a, &c));
    CU_ASSERT_EQUAL(a.classes, classes[g]);
    int counts[4] = {0};
    for (int i = 0; i < a.n; i++) {
      CU_ASSERT_TRUE(a.y[i] >= 0 && a.y[i] < classes[g]);
      counts[a.y[i]]++;
    }
    for (int k = 0; k < classes[g]; k++)
      CU_ASSERT_TRUE(counts[k] >= 200 / classes[g]);
    /* Test part differs from train samples but shares the distribution. */
    CU_ASSERT_NOT_EQUAL(memcmp(a.x, t.x, sizeof(float) * 100 * 5), 0);
    if (g == 0)
      CU_ASSERT_TRUE(centroid_accuracy(&a, &t) > 0.97);
    pcn_data_free(&a);
    pcn_data_free(&b);
    pcn_data_free(&c);
    pcn_data_free(&t);
  }
  /* XOR is not linearly separable from class means but is from signs. */
  PcnDataSplit x;
  CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize("xor", 400, 2, 2, 1, PCN_PART_TRAIN,
                                            &x, err, sizeof err),
                        0);
  int ok = 0;
  for (int i = 0; i < x.n; i++)
    ok += ((x.x[2 * i] > 0) != (x.x[2 * i + 1] > 0)) == x.y[i];
  CU_ASSERT_TRUE(ok >= 395);
  pcn_data_free(&x);

  PcnDataSplit s;
  CU_ASSERT_EQUAL(pcn_data_synthesize("moons", 10, 2, 2, 0, PCN_PART_TRAIN, &s,
                                      err, sizeof err),
                  -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown generator"));
  CU_ASSERT_EQUAL(pcn_data_synthesize("xor", 10, 2, 3, 0, PCN_PART_TRAIN, &s,
                                      err, sizeof err),
                  -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "needs classes 2"));

  PcnDataset ds = {0};
  ds.name = "b";
  ds.format = PCN_DATA_SYNTHETIC;
  ds.generator = "blobs";
  ds.features = 3;
  ds.classes = 0;
  ds.train_samples = 50;
  ds.test_samples = 20;
  CU_ASSERT_EQUAL_FATAL(
      pcn_data_load(&ds, PCN_PART_TEST, NULL, 3, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 20);
  CU_ASSERT_EQUAL(s.d, 3);
  CU_ASSERT_PTR_NULL(s.y);
  pcn_data_free(&s);
}

/* ---- fractions ------------------------------------------------------- */

/* A labelled split with counts[c] rows of class c (rows in class order
 * interleaved), x = row index. */
static void make_split(PcnDataSplit *s, int C, const int *counts) {
  memset(s, 0, sizeof *s);
  int n = 0;
  for (int c = 0; c < C; c++)
    n += counts[c];
  s->n = n;
  s->d = 1;
  s->classes = C;
  s->x = malloc(sizeof(float) * (size_t)n);
  s->y = malloc(sizeof(int) * (size_t)n);
  int left[16];
  memcpy(left, counts, sizeof(int) * (size_t)C);
  for (int i = 0, c = 0; i < n; c = (c + 1) % C) {
    if (!left[c])
      continue;
    left[c]--;
    s->y[i] = c;
    s->x[i] = (float)i;
    i++;
  }
}

static void test_fraction(void) {
  PcnDataSplit s;
  const int counts[3] = {40, 20, 9};
  make_split(&s, 3, counts);
  const double fr[3] = {0.25, 0.5, 1.0};
  const int want[3][3] = {{10, 5, 2}, {20, 10, 5}, {40, 20, 9}};
  for (int f = 0; f < 3; f++) {
    int *rows, n;
    CU_ASSERT_EQUAL_FATAL(
        pcn_data_fraction(&s, fr[f], 11, &rows, &n, err, sizeof err), 0);
    int got[3] = {0};
    for (int i = 0; i < n; i++) {
      got[s.y[rows[i]]]++;
      if (i)
        CU_ASSERT_TRUE(rows[i] > rows[i - 1]); /* ascending, distinct */
    }
    for (int c = 0; c < 3; c++)
      CU_ASSERT_EQUAL(got[c], want[f][c]);
    free(rows);
  }
  /* Same seed same subset, another seed another subset. */
  int *r1, *r2, *r3, n1, n2, n3;
  pcn_data_fraction(&s, 0.5, 1, &r1, &n1, err, sizeof err);
  pcn_data_fraction(&s, 0.5, 1, &r2, &n2, err, sizeof err);
  pcn_data_fraction(&s, 0.5, 2, &r3, &n3, err, sizeof err);
  CU_ASSERT_EQUAL(n1, n2);
  CU_ASSERT_EQUAL(memcmp(r1, r2, sizeof(int) * (size_t)n1), 0);
  CU_ASSERT_NOT_EQUAL(memcmp(r1, r3, sizeof(int) * (size_t)n1), 0);
  free(r1);
  free(r2);
  free(r3);
  /* A tiny class keeps at least one sample. */
  int *r, n;
  CU_ASSERT_EQUAL(pcn_data_fraction(&s, 0.01, 1, &r, &n, err, sizeof err), 0);
  CU_ASSERT_EQUAL(n, 3);
  free(r);
  CU_ASSERT_EQUAL(pcn_data_fraction(&s, 0.0, 1, &r, &n, err, sizeof err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "not in (0, 1]"));
  CU_ASSERT_EQUAL(pcn_data_fraction(&s, 1.5, 1, &r, &n, err, sizeof err), -1);
  /* Unlabelled: a plain subset. */
  free(s.y);
  s.y = NULL;
  s.classes = 0;
  CU_ASSERT_EQUAL(pcn_data_fraction(&s, 0.25, 1, &r, &n, err, sizeof err), 0);
  CU_ASSERT_EQUAL(n, 17); /* round(0.25 * 69) */
  free(r);
  pcn_data_free(&s);
}

/* ---- samplers -------------------------------------------------------- */

static void test_shuffled_sampler(void) {
  PcnDataSplit s;
  const int counts[2] = {12, 11};
  make_split(&s, 2, counts);
  PcnSampler *m = pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_SHUFFLED, 5, false,
                                  42, err, sizeof err);
  PcnSampler *m2 = pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_SHUFFLED, 5, false,
                                   42, err, sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 5);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 0);
  int first[2][23];
  for (int e = 0; e < 2; e++) {
    int seen[23] = {0}, k = 0, nb = 0;
    const int *rows, *rows2;
    int n;
    pcn_sampler_begin_epoch(m, e);
    pcn_sampler_begin_epoch(m2, e);
    while ((n = pcn_sampler_next(m, &rows)) > 0) {
      CU_ASSERT_EQUAL(n, nb < 4 ? 5 : 3); /* last batch smaller */
      CU_ASSERT_EQUAL(pcn_sampler_next(m2, &rows2), n);
      CU_ASSERT_EQUAL(memcmp(rows, rows2, sizeof(int) * (size_t)n), 0);
      for (int i = 0; i < n; i++) {
        seen[rows[i]]++;
        first[e][k++] = rows[i];
      }
      nb++;
    }
    CU_ASSERT_EQUAL(nb, 5);
    for (int i = 0; i < 23; i++)
      CU_ASSERT_EQUAL(seen[i], 1);
  }
  CU_ASSERT_NOT_EQUAL(memcmp(first[0], first[1], sizeof first[0]), 0);
  pcn_sampler_free(m);
  pcn_sampler_free(m2);

  /* drop_last over a subset of rows. */
  int sub[12];
  for (int i = 0; i < 12; i++)
    sub[i] = 2 * i - (i > 0);
  m = pcn_sampler_new(&s, sub, 12, PCN_SAMPLER_SHUFFLED, 5, true, 1, err,
                      sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 2);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 2);
  pcn_sampler_begin_epoch(m, 0);
  const int *rows;
  int n, total = 0;
  while ((n = pcn_sampler_next(m, &rows)) > 0) {
    CU_ASSERT_EQUAL(n, 5);
    for (int i = 0; i < n; i++) {
      bool in = false;
      for (int j = 0; j < 12; j++)
        in |= rows[i] == sub[j];
      CU_ASSERT_TRUE(in);
    }
    total += n;
  }
  CU_ASSERT_EQUAL(total, 10);
  pcn_sampler_free(m);

  /* Sequential keeps the given order. */
  m = pcn_sampler_new(&s, sub, 12, PCN_SAMPLER_SEQUENTIAL, 7, false, 0, err,
                      sizeof err);
  pcn_sampler_begin_epoch(m, 3);
  CU_ASSERT_EQUAL(pcn_sampler_next(m, &rows), 7);
  CU_ASSERT_EQUAL(memcmp(rows, sub, sizeof(int) * 7), 0);
  CU_ASSERT_EQUAL(pcn_sampler_next(m, &rows), 5);
  CU_ASSERT_EQUAL(memcmp(rows, sub + 7, sizeof(int) * 5), 0);
  CU_ASSERT_EQUAL(pcn_sampler_next(m, &rows), 0);
  pcn_sampler_free(m);

  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_SHUFFLED, 0,
                                     false, 0, err, sizeof err));
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_SHUFFLED, 50,
                                     true, 0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "leaves none"));
  int bad[1] = {23};
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, bad, 1, PCN_SAMPLER_SEQUENTIAL, 1,
                                     false, 0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "row index 23"));
  pcn_data_free(&s);
}

/* Runs one aligned epoch; checks full batches, contiguous class groups,
 * quotas q or q+1 summing to n, and no repetition. Returns rows used. */
static int check_aligned_epoch(PcnSampler *m, const PcnDataSplit *s, int batch,
                               int epoch, int *order_out) {
  int C = s->classes;
  int *seen = calloc((size_t)s->n, sizeof(int));
  int used = 0, nb = 0, n;
  const int *rows;
  pcn_sampler_begin_epoch(m, epoch);
  while ((n = pcn_sampler_next(m, &rows)) > 0) {
    CU_ASSERT_EQUAL(n, batch);
    int per[16] = {0};
    for (int i = 0; i < n; i++) {
      int c = s->y[rows[i]];
      per[c]++;
      if (i)
        CU_ASSERT_TRUE(c >= s->y[rows[i - 1]]); /* grouped by class */
      seen[rows[i]]++;
      CU_ASSERT_EQUAL(seen[rows[i]], 1);
      if (order_out)
        order_out[used + i] = rows[i];
    }
    int extra = 0;
    for (int c = 0; c < C; c++) {
      CU_ASSERT_TRUE(per[c] == batch / C || per[c] == batch / C + 1);
      extra += per[c] - batch / C;
    }
    CU_ASSERT_EQUAL(extra, batch % C);
    used += n;
    nb++;
  }
  CU_ASSERT_EQUAL(nb, pcn_sampler_batches(m));
  free(seen);
  return used;
}

static void test_aligned_sampler(void) {
  PcnDataSplit s;
  const int counts[3] = {10, 10, 10};
  make_split(&s, 3, counts);
  /* n multiple of C: 2 per class, 5 batches, every row once. */
  PcnSampler *m = pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_ALIGNED, 6, false, 5,
                                  err, sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 5);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 0);
  int o0[30], o1[30], o0b[30];
  CU_ASSERT_EQUAL(check_aligned_epoch(m, &s, 6, 0, o0), 30);
  CU_ASSERT_EQUAL(check_aligned_epoch(m, &s, 6, 1, o1), 30);
  CU_ASSERT_EQUAL(check_aligned_epoch(m, &s, 6, 0, o0b), 30);
  CU_ASSERT_NOT_EQUAL(memcmp(o0, o1, sizeof o0), 0);
  CU_ASSERT_EQUAL(memcmp(o0, o0b, sizeof o0), 0); /* deterministic */
  pcn_sampler_free(m);

  /* n = 7, C = 3: one extra row, rotating 0, 1, 2, 0: batches of 3,2,2 /
   * 2,3,2 / 2,2,3 / 3,2,2; a fifth would need 2 more rows of class 0,
   * which has none left, so 4 batches (28 rows) and 2 unused. */
  m = pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_ALIGNED, 7, false, 5, err,
                      sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 4);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 2);
  CU_ASSERT_EQUAL(check_aligned_epoch(m, &s, 7, 0, NULL), 28);
  pcn_sampler_begin_epoch(m, 0);
  const int *rows;
  for (int b = 0; b < 4; b++) {
    int n = pcn_sampler_next(m, &rows), per[3] = {0};
    for (int i = 0; i < n; i++)
      per[s.y[rows[i]]]++;
    CU_ASSERT_EQUAL(per[b % 3], 3);
  }
  pcn_sampler_free(m);

  /* On a stratified fraction of an imbalanced split: the smallest class
   * ends the epoch; the rest is reported unused. */
  pcn_data_free(&s);
  const int counts2[3] = {40, 16, 40};
  make_split(&s, 3, counts2);
  int *sub, nsub;
  pcn_data_fraction(&s, 0.5, 3, &sub, &nsub, err, sizeof err); /* 20, 8, 20 */
  m = pcn_sampler_new(&s, sub, nsub, PCN_SAMPLER_ALIGNED, 6, false, 9, err,
                      sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 4);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 48 - 24);
  int order[48];
  CU_ASSERT_EQUAL(check_aligned_epoch(m, &s, 6, 2, order), 24);
  for (int i = 0; i < 24; i++) {
    bool in = false;
    for (int j = 0; j < nsub; j++)
      in |= order[i] == sub[j];
    CU_ASSERT_TRUE(in);
  }
  pcn_sampler_free(m);
  free(sub);

  /* Rejections. */
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_ALIGNED, 2, false,
                                     0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "smaller than the 3 classes"));
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_ALIGNED, 60,
                                     false, 0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "class 1 has 16 samples"));
  int only01[2] = {0, 1}; /* classes 0 and 1 only */
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, only01, 2, PCN_SAMPLER_ALIGNED, 3,
                                     false, 0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "class 2 has no samples"));
  free(s.y);
  s.y = NULL;
  CU_ASSERT_PTR_NULL(pcn_sampler_new(&s, NULL, 0, PCN_SAMPLER_ALIGNED, 3, false,
                                     0, err, sizeof err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err, "need labelled data"));
  pcn_data_free(&s);
}

/* ---- gather ---------------------------------------------------------- */

static void test_gather(void) {
  PcnDataSplit s;
  CU_ASSERT_EQUAL_FATAL(pcn_data_synthesize("blobs", 10, 3, 4, 0,
                                            PCN_PART_TRAIN, &s, err,
                                            sizeof err),
                        0);
  int rows[3] = {7, 2, 7};
  float x[9], oh[12];
  int lab[3];
  CU_ASSERT_EQUAL(pcn_data_gather(&s, rows, 3, x, oh, lab), 0);
  for (int i = 0; i < 3; i++) {
    CU_ASSERT_EQUAL(lab[i], s.y[rows[i]]);
    CU_ASSERT_EQUAL(memcmp(x + 3 * i, s.x + 3 * rows[i], sizeof(float) * 3), 0);
    for (int c = 0; c < 4; c++)
      CU_ASSERT_EQUAL(oh[4 * i + c], c == lab[i] ? 1.0f : 0.0f);
  }
  CU_ASSERT_EQUAL(pcn_data_gather(&s, rows, 3, NULL, NULL, lab), 0);
  int bad[1] = {10};
  CU_ASSERT_EQUAL(pcn_data_gather(&s, bad, 1, x, oh, lab), -1);
  pcn_data_free(&s);
}

/* ---- the real thing -------------------------------------------------- */

static void test_fashion_mnist(void) {
  const char *dir = "/usr/share/datasets/fashion-mnist";
  char probe[512];
  snprintf(probe, sizeof probe, "%s/t10k-images-idx3-ubyte.gz", dir);
  FILE *f = fopen(probe, "rb");
  if (!f) {
    fprintf(stderr,
            "\n  skipped: %s not found (install dataset-fashion-mnist)\n",
            probe);
    return;
  }
  fclose(f);
  PcnDataset ds = {0};
  ds.name = "fashion_mnist";
  ds.format = PCN_DATA_IDX;
  ds.dir = dir;
  ds.test_files[0] = "t10k-images-idx3-ubyte.gz";
  ds.test_files[1] = "t10k-labels-idx1-ubyte.gz";
  ds.features = 784;
  ds.classes = 10;
  ds.image_h = ds.image_w = 28;
  PcnDataSplit s;
  CU_ASSERT_EQUAL_FATAL(
      pcn_data_load(&ds, PCN_PART_TEST, NULL, 0, &s, err, sizeof err), 0);
  CU_ASSERT_EQUAL(s.n, 10000);
  CU_ASSERT_EQUAL(s.d, 784);
  CU_ASSERT_EQUAL(s.classes, 10);
  int counts[10] = {0};
  for (int i = 0; i < s.n; i++) {
    CU_ASSERT_TRUE_FATAL(s.y[i] >= 0 && s.y[i] < 10);
    counts[s.y[i]]++;
  }
  for (int c = 0; c < 10; c++)
    CU_ASSERT_EQUAL(counts[c], 1000);
  float lo = 1, hi = 0;
  for (long i = 0; i < (long)s.n * s.d; i++) {
    if (s.x[i] < lo)
      lo = s.x[i];
    if (s.x[i] > hi)
      hi = s.x[i];
  }
  CU_ASSERT_EQUAL(lo, 0.0f);
  CU_ASSERT_EQUAL(hi, 1.0f);
  /* Stream-aligned batches of 200 over a 25% fraction: 20 per class. */
  int *rows, n;
  CU_ASSERT_EQUAL(pcn_data_fraction(&s, 0.25, 0, &rows, &n, err, sizeof err),
                  0);
  CU_ASSERT_EQUAL(n, 2500);
  PcnSampler *m = pcn_sampler_new(&s, rows, n, PCN_SAMPLER_ALIGNED, 200, false,
                                  0, err, sizeof err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  CU_ASSERT_EQUAL(pcn_sampler_batches(m), 12);
  CU_ASSERT_EQUAL(pcn_sampler_unused(m), 100);
  pcn_sampler_free(m);
  free(rows);
  pcn_data_free(&s);
}

int main(void) {
  static const PcnTestCase idx[] = {
      {"idx raw round trip", test_idx_raw},
      {"idx gzip round trip", test_idx_gzip},
      {"idx bad magic", test_idx_bad_magic},
      {"idx bad type code", test_idx_bad_type},
      {"idx wrong dimensions", test_idx_wrong_dims},
      {"idx truncated pixels", test_idx_truncated_pixels},
      {"idx truncated header", test_idx_truncated_header},
      {"idx trailing bytes", test_idx_trailing},
      {"idx count mismatch", test_idx_count_mismatch},
      {"idx label out of range", test_idx_label_range},
      {"idx zero and absurd sizes, missing file", test_idx_absurd_sizes},
      {"idx dataset with data_dir override", test_load_idx_dataset},
      {NULL, NULL}};
  static const PcnTestCase other[] = {
      {"csv happy paths and header detection", test_csv_happy},
      {"csv errors name file:line", test_csv_errors},
      {"synthetic generators", test_synthetic},
      {"stratified fraction", test_fraction},
      {"shuffled and sequential samplers", test_shuffled_sampler},
      {"stream-aligned sampler", test_aligned_sampler},
      {"gather", test_gather},
      {"fashion-mnist test split", test_fashion_mnist},
      {NULL, NULL}};
  if (pcn_test_add_suite("data: idx", idx) ||
      pcn_test_add_suite("data: csv, synthetic, sampling", other))
    return 1;
  return pcn_test_main();
}
