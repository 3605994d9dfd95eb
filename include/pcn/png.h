/*
 * pcn/png.h - a small grayscale PNG writer and reader (libpng), for the
 * reconstruction pictures of `pcnc run --save-images` (paper Fig. 8, 10).
 *
 *     char err[256];
 *     if (pcn_png_write_pairs("recon.png", test, recon, 16, 28, 28, 8,
 *                             err, sizeof err) != 0)
 *       fprintf(stderr, "%s\n", err);
 *
 * Functions return 0 on success and -1 with a one-line message in err;
 * nothing is printed (libpng's warnings and errors are captured).
 */
#ifndef PCN_PNG_H
#define PCN_PNG_H

#include <stddef.h>
#include <stdint.h>

/* 8-bit grayscale, w x h pixels, rows of w bytes, top row first. */
int pcn_png_write_gray(const char *path, const uint8_t *pixels, int w, int h, char *err,
                       size_t errlen);

/* Reads an 8-bit grayscale PNG (as written above; other color types,
 * bit depths and interlacing are refused). *pixels is malloc'd (free it). */
int pcn_png_read_gray(const char *path, uint8_t **pixels, int *w, int *h, char *err,
                      size_t errlen);

/* A grid of image pairs: sample i's data image (orig, row i of `count`
 * rows of ih*iw floats) with its reconstruction (recon) to its right,
 * `per_row` pairs per grid row. Values are clamped to [0, 1] and scaled
 * to 0..255; 2-pixel gray gutters separate the pairs, a 1-pixel one the
 * two images of a pair. */
int pcn_png_write_pairs(const char *path, const float *orig, const float *recon, int count,
                        int ih, int iw, int per_row, char *err, size_t errlen);

#endif
