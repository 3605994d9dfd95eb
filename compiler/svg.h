/*
 * svg.h - a tiny SVG line-plot writer for `pcnc report --svg`.
 *
 * One plot: axes with "nice" ticks, one polyline per series colored by its
 * group, a legend with one entry per group. Output is plain SVG 1.1 with
 * no script or external reference, so it opens in any browser, and it is
 * deterministic (numbers printed with fixed precision).
 *
 *     PcnSvgSeries s[2] = {{xs0, ys0, n0, 0}, {xs1, ys1, n1, 1}};
 *     const char *groups[2] = {"T=3", "T=5"};
 *     PcnSvgPlot p = {"accuracy vs SMMs", "SMMs", "test accuracy (%)",
 *                     groups, 2};
 *     pcn_svg_write(f, &p, s, 2);
 */
#ifndef PCN_SVG_H
#define PCN_SVG_H

#include <stdio.h>

typedef struct PcnSvgSeries {
  const double *x, *y; /* n points; non-finite points are skipped */
  int n;
  int group;           /* index into PcnSvgPlot.groups: color and legend */
} PcnSvgSeries;

typedef struct PcnSvgPlot {
  const char *title, *xlabel, *ylabel; /* may be NULL */
  const char *const *groups;           /* legend labels */
  int ngroups;
} PcnSvgPlot;

/* Writes the plot to f. Returns 0, or -1 on a write error. */
int pcn_svg_write(FILE *f, const PcnSvgPlot *p, const PcnSvgSeries *s, int ns);

/* Tick step for a range: 1, 2 or 5 times a power of ten, giving about
 * `want` intervals. Exposed for tests. */
double pcn_svg_nice_step(double range, int want);

#endif
