/*
 * svg.c - the SVG line-plot writer (see svg.h).
 */
#include "svg.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Plot geometry in user units. The right margin leaves room for the
 * legend so it never covers the curves. */
enum { W = 760, H = 440, ML = 70, MR = 200, MT = 40, MB = 55 };

/* A qualitative palette (Tableau 10): neighbours stay distinguishable. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c",
                                      "#d62728", "#9467bd", "#8c564b",
                                      "#e377c2", "#7f7f7f", "#bcbd22",
                                      "#17becf"};
#define NPALETTE ((int)(sizeof palette / sizeof palette[0]))

static void put_escaped(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    default: fputc(*s, f);
    }
  }
}

double pcn_svg_nice_step(double range, int want) {
  if (!(range > 0) || !isfinite(range) || want < 1) return 1;
  double raw = range / want;
  double mag = pow(10, floor(log10(raw)));
  double r = raw / mag;
  double m = r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10;
  return m * mag;
}

/* Tick labels: short and exact for the steps nice_step produces. */
static void fmt_tick(char *buf, size_t n, double v, double step) {
  if (fabs(v) < step * 1e-9) v = 0; /* no "-0" or 1e-17 at the origin */
  if (fabs(v) >= 1e5 || (v != 0 && fabs(v) < 1e-3))
    snprintf(buf, n, "%.3g", v);
  else
    snprintf(buf, n, "%g", v);
}

int pcn_svg_write(FILE *f, const PcnSvgPlot *p, const PcnSvgSeries *s, int ns) {
  /* Data range over the finite points. */
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int i = 0; i < ns; i++)
    for (int k = 0; k < s[i].n; k++) {
      double x = s[i].x[k], y = s[i].y[k];
      if (!isfinite(x) || !isfinite(y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  if (x0 > x1) x0 = 0, x1 = 1, y0 = 0, y1 = 1; /* no data: empty axes */
  if (x0 > 0) x0 = 0; /* SMMs start at zero: show where a run began */
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y0 -= 0.5, y1 += 0.5;
  double xs = pcn_svg_nice_step(x1 - x0, 6), ys = pcn_svg_nice_step(y1 - y0, 6);
  x0 = floor(x0 / xs) * xs, x1 = ceil(x1 / xs) * xs;
  y0 = floor(y0 / ys) * ys, y1 = ceil(y1 / ys) * ys;
  const double pw = W - ML - MR, ph = H - MT - MB;
#define PX(x) (ML + ((x)-x0) / (x1 - x0) * pw)
#define PY(y) (MT + ph - ((y)-y0) / (y1 - y0) * ph)

  fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
             "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
             "font-size=\"12\">\n",
          W, H, W, H);
  fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
             "fill=\"white\"/>\n", W, H);
  if (p->title) {
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
               "font-size=\"14\">", ML + (int)pw / 2, MT - 15);
    put_escaped(f, p->title);
    fputs("</text>\n", f);
  }
  /* Grid and ticks. */
  fputs("<g stroke=\"#dddddd\" stroke-width=\"1\">\n", f);
  for (double v = x0; v <= x1 + xs * 1e-9; v += xs)
    fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
            PX(v), MT, PX(v), MT + ph);
  for (double v = y0; v <= y1 + ys * 1e-9; v += ys)
    fprintf(f, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", ML,
            PY(v), ML + pw, PY(v));
  fputs("</g>\n", f);
  fputs("<g text-anchor=\"middle\">\n", f);
  char buf[32];
  for (double v = x0; v <= x1 + xs * 1e-9; v += xs) {
    fmt_tick(buf, sizeof buf, v, xs);
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", PX(v), MT + ph + 16,
            buf);
  }
  fputs("</g>\n<g text-anchor=\"end\">\n", f);
  for (double v = y0; v <= y1 + ys * 1e-9; v += ys) {
    fmt_tick(buf, sizeof buf, v, ys);
    fprintf(f, "<text x=\"%d\" y=\"%.2f\">%s</text>\n", ML - 6, PY(v) + 4, buf);
  }
  fputs("</g>\n", f);
  /* Axes. */
  fprintf(f, "<g stroke=\"black\" stroke-width=\"1\">\n"
             "<line x1=\"%d\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n"
             "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.2f\"/>\n</g>\n",
          ML, MT + ph, ML + pw, MT + ph, ML, MT, ML, MT + ph);
  if (p->xlabel) {
    fprintf(f, "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">",
            ML + pw / 2, H - 12);
    put_escaped(f, p->xlabel);
    fputs("</text>\n", f);
  }
  if (p->ylabel) {
    fprintf(f, "<text x=\"16\" y=\"%.2f\" text-anchor=\"middle\" "
               "transform=\"rotate(-90 16 %.2f)\">",
            MT + ph / 2, MT + ph / 2);
    put_escaped(f, p->ylabel);
    fputs("</text>\n", f);
  }
  /* Curves: one polyline per series. */
  fputs("<g fill=\"none\" stroke-width=\"1.5\">\n", f);
  for (int i = 0; i < ns; i++) {
    fprintf(f, "<polyline stroke=\"%s\" points=\"",
            palette[(s[i].group % NPALETTE + NPALETTE) % NPALETTE]);
    bool first = true;
    for (int k = 0; k < s[i].n; k++) {
      if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k])) continue;
      fprintf(f, "%s%.2f,%.2f", first ? "" : " ", PX(s[i].x[k]),
              PY(s[i].y[k]));
      first = false;
    }
    fputs("\"/>\n", f);
  }
  fputs("</g>\n", f);
  /* Legend: one entry per group, right of the plot. */
  fputs("<g>\n", f);
  for (int gi = 0; gi < p->ngroups; gi++) {
    double y = MT + 10 + gi * 18;
    fprintf(f, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
               "stroke=\"%s\" stroke-width=\"3\"/>\n",
            ML + pw + 12, y, ML + pw + 34, y, palette[gi % NPALETTE]);
    fprintf(f, "<text x=\"%.2f\" y=\"%.2f\">", ML + pw + 40, y + 4);
    put_escaped(f, p->groups[gi]);
    fputs("</text>\n", f);
  }
  fputs("</g>\n</svg>\n", f);
#undef PX
#undef PY
  return ferror(f) ? -1 : 0;
}
