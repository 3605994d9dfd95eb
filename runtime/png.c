/* png.c - grayscale PNG writer and reader on libpng (pcn/png.h).
 *
 * libpng reports errors by calling an error function that must not
 * return; the usual pattern is a longjmp back to a setjmp in the caller.
 * The error function copies libpng's message into the caller's buffer
 * first, so the failure comes back as -1 with a reason instead of text
 * on stderr. Warnings are dropped. */
#include "pcn/png.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct PngCtx {
  char *err;
  size_t errlen;
  const char *path;
} PngCtx;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static void on_error(png_structp png, png_const_charp msg) {
  PngCtx *c = png_get_error_ptr(png);
  set_err(c->err, c->errlen, "%s: %s", c->path, msg);
  png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) { (void)png, (void)msg; }

int pcn_png_write_gray(const char *path, const uint8_t *pixels, int w, int h, char *err,
                       size_t errlen) {
  if (w < 1 || h < 1 || w > 1 << 20 || h > 1 << 20) {
    set_err(err, errlen, "%s: bad image size %d x %d", path, w, h);
    return -1;
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    set_err(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
  }
  PngCtx ctx = {err, errlen, path};
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info) {
    png_destroy_write_struct(png ? &png : NULL, NULL);
    fclose(f);
    set_err(err, errlen, "%s: out of memory for libpng", path);
    return -1;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    fclose(f);
    return -1;
  }
  png_init_io(png, f);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < h; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * w));
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  if (fclose(f) != 0) {
    set_err(err, errlen, "%s: error writing: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

int pcn_png_read_gray(const char *path, uint8_t **pixels, int *w, int *h, char *err,
                      size_t errlen) {
  *pixels = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    set_err(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  unsigned char sig[8];
  if (fread(sig, 1, 8, f) != 8 || png_sig_cmp(sig, 0, 8) != 0) {
    fclose(f);
    set_err(err, errlen, "%s: not a PNG file", path);
    return -1;
  }
  PngCtx ctx = {err, errlen, path};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info) {
    png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
    fclose(f);
    set_err(err, errlen, "%s: out of memory for libpng", path);
    return -1;
  }
  /* Assigned after setjmp and read after a longjmp: volatile. */
  uint8_t *volatile buf = NULL;
  if (setjmp(png_jmpbuf(png))) {
    free(buf);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return -1;
  }
  png_init_io(png, f);
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
  if (png_get_color_type(png, info) != PNG_COLOR_TYPE_GRAY ||
      png_get_bit_depth(png, info) != 8 ||
      png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) {
    set_err(err, errlen, "%s: not an 8-bit non-interlaced grayscale PNG", path);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return -1;
  }
  if (pw > 1u << 20 || ph > 1u << 20) {
    set_err(err, errlen, "%s: image of %u x %u is too large", path, (unsigned)pw, (unsigned)ph);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return -1;
  }
  buf = malloc((size_t)pw * ph);
  if (!buf) {
    set_err(err, errlen, "%s: out of memory", path);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return -1;
  }
  for (png_uint_32 y = 0; y < ph; y++) png_read_row(png, (png_bytep)(buf + (size_t)y * pw), NULL);
  png_read_end(png, NULL);
  png_destroy_read_struct(&png, &info, NULL);
  fclose(f);
  *pixels = buf;
  *w = (int)pw;
  *h = (int)ph;
  return 0;
}

static uint8_t to_byte(float v) {
  if (!(v > 0.0f)) return 0; /* also NaN */
  if (v >= 1.0f) return 255;
  return (uint8_t)(v * 255.0f + 0.5f);
}

int pcn_png_write_pairs(const char *path, const float *orig, const float *recon, int count,
                        int ih, int iw, int per_row, char *err, size_t errlen) {
  if (count < 1 || ih < 1 || iw < 1 || per_row < 1) {
    set_err(err, errlen, "%s: nothing to draw (%d images of %d x %d)", path, count, ih, iw);
    return -1;
  }
  if (per_row > count) per_row = count;
  const int gut = 2, inner = 1, bg = 128;
  int rows = (count + per_row - 1) / per_row;
  int pair_w = 2 * iw + inner;
  long W = (long)per_row * pair_w + (long)(per_row + 1) * gut;
  long H = (long)rows * ih + (long)(rows + 1) * gut;
  if (W > 1 << 20 || H > 1 << 20) {
    set_err(err, errlen, "%s: a grid of %ld x %ld pixels is too large", path, W, H);
    return -1;
  }
  uint8_t *pix = malloc((size_t)W * (size_t)H);
  if (!pix) {
    set_err(err, errlen, "%s: out of memory", path);
    return -1;
  }
  memset(pix, bg, (size_t)W * (size_t)H);
  for (int i = 0; i < count; i++) {
    int gx = i % per_row, gy = i / per_row;
    long x0 = gut + (long)gx * (pair_w + gut), y0 = gut + (long)gy * (ih + gut);
    for (int y = 0; y < ih; y++)
      for (int x = 0; x < iw; x++) {
        size_t k = (size_t)i * ih * iw + (size_t)y * iw + x;
        uint8_t *row = pix + (size_t)(y0 + y) * W;
        row[x0 + x] = to_byte(orig[k]);
        row[x0 + iw + inner + x] = to_byte(recon[k]);
      }
  }
  int rc = pcn_png_write_gray(path, pix, (int)W, (int)H, err, errlen);
  free(pix);
  return rc;
}
