/* test_png.c - the PNG writer and reader: round trips, the pairs grid,
 * errors returned (not printed) for bad paths, non-PNG and truncated
 * files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcn/png.h"
#include "testutil.h"

static void path_in_tmp(char *buf, size_t len, const char *name) {
  snprintf(buf, len, "%s/%s", pcn_test_tmpdir(), name);
}

static void test_round_trip(void) {
  const int w = 37, h = 23; /* odd sizes: no row padding assumptions */
  uint8_t *pix = malloc((size_t)w * h);
  for (int i = 0; i < w * h; i++) pix[i] = (uint8_t)((i * 37 + i / w * 11) & 0xff);
  char path[512], err[256];
  path_in_tmp(path, sizeof path, "round.png");
  CU_ASSERT_EQUAL_FATAL(pcn_png_write_gray(path, pix, w, h, err, sizeof err), 0);
  uint8_t *back = NULL;
  int bw = 0, bh = 0;
  CU_ASSERT_EQUAL_FATAL(pcn_png_read_gray(path, &back, &bw, &bh, err, sizeof err), 0);
  CU_ASSERT_EQUAL(bw, w);
  CU_ASSERT_EQUAL(bh, h);
  CU_ASSERT(memcmp(pix, back, (size_t)w * h) == 0);
  free(pix);
  free(back);
}

static void test_pairs_grid(void) {
  /* 3 pairs of 2x3 images, 2 pairs per row: known values land where the
   * layout says (gutter 2, inner gap 1, background 128). */
  const int n = 3, ih = 2, iw = 3;
  float orig[3 * 6], recon[3 * 6];
  for (int i = 0; i < n * ih * iw; i++) {
    orig[i] = (float)(i % 6) / 5.0f; /* 0 .. 1 */
    recon[i] = i % 2 ? 2.0f : -1.0f; /* clamped to 255 / 0 */
  }
  char path[512], err[256];
  path_in_tmp(path, sizeof path, "pairs.png");
  CU_ASSERT_EQUAL_FATAL(pcn_png_write_pairs(path, orig, recon, n, ih, iw, 2, err, sizeof err), 0);
  uint8_t *pix = NULL;
  int w = 0, h = 0;
  CU_ASSERT_EQUAL_FATAL(pcn_png_read_gray(path, &pix, &w, &h, err, sizeof err), 0);
  CU_ASSERT_EQUAL(w, 2 * (2 * iw + 1) + 3 * 2);
  CU_ASSERT_EQUAL(h, 2 * ih + 3 * 2);
  CU_ASSERT_EQUAL(pix[0], 128);
  for (int i = 0; i < n; i++) {
    int x0 = 2 + (i % 2) * (2 * iw + 1 + 2), y0 = 2 + (i / 2) * (ih + 2);
    for (int y = 0; y < ih; y++)
      for (int x = 0; x < iw; x++) {
        int k = i * ih * iw + y * iw + x;
        CU_ASSERT_EQUAL(pix[(y0 + y) * w + x0 + x], (int)(orig[k] * 255.0f + 0.5f));
        CU_ASSERT_EQUAL(pix[(y0 + y) * w + x0 + iw + 1 + x], k % 2 ? 255 : 0);
      }
    CU_ASSERT_EQUAL(pix[y0 * w + x0 + iw], 128); /* the gap inside a pair */
  }
  free(pix);
}

static void test_errors_are_returned(void) {
  char path[512], err[256] = "";
  uint8_t px[4] = {0, 1, 2, 3};
  CU_ASSERT_EQUAL(pcn_png_write_gray("/nonexistent-dir/x.png", px, 2, 2, err, sizeof err), -1);
  CU_ASSERT(strstr(err, "/nonexistent-dir/x.png") != NULL);
  CU_ASSERT_EQUAL(pcn_png_write_gray("/tmp/x.png", px, 0, 2, err, sizeof err), -1);

  path_in_tmp(path, sizeof path, "not.png");
  FILE *f = fopen(path, "wb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("this is not a png file", f);
  fclose(f);
  uint8_t *pix = (uint8_t *)1;
  int w, h;
  CU_ASSERT_EQUAL(pcn_png_read_gray(path, &pix, &w, &h, err, sizeof err), -1);
  CU_ASSERT_PTR_NULL(pix);
  CU_ASSERT(strstr(err, "not a PNG") != NULL);

  /* A truncated file fails inside libpng: the longjmp path. */
  char good[512];
  path_in_tmp(good, sizeof good, "big.png");
  uint8_t *big = calloc(64 * 64, 1);
  for (int i = 0; i < 64 * 64; i++) big[i] = (uint8_t)(i * 7919 % 251);
  CU_ASSERT_EQUAL_FATAL(pcn_png_write_gray(good, big, 64, 64, err, sizeof err), 0);
  free(big);
  f = fopen(good, "rb");
  char buf[8192];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  CU_ASSERT(len > 100);
  path_in_tmp(path, sizeof path, "cut.png");
  f = fopen(path, "wb");
  fwrite(buf, 1, len / 2, f);
  fclose(f);
  err[0] = '\0';
  CU_ASSERT_EQUAL(pcn_png_read_gray(path, &pix, &w, &h, err, sizeof err), -1);
  CU_ASSERT(strstr(err, "cut.png") != NULL);
  CU_ASSERT_EQUAL(pcn_png_write_pairs(path, NULL, NULL, 0, 28, 28, 8, err, sizeof err), -1);
}

int main(void) {
  static const PcnTestCase cases[] = {
      {"write then read gives the same pixels", test_round_trip},
      {"pairs grid layout and clamping", test_pairs_grid},
      {"errors come back with the path", test_errors_are_returned},
      {NULL, NULL}};
  if (pcn_test_add_suite("png", cases)) return 1;
  return pcn_test_main();
}
