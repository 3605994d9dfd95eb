/*
 * pcn/data.h - datasets in memory, training fractions, batch samplers.
 *
 * The runtime's data layer. A dataset split (PcnDataSplit) is a dense
 * float32 matrix of features, one row per sample, plus an int label per
 * row when the data is labelled. Loaders fill it from MNIST-format IDX
 * files (gzip or raw), CSV files, or an in-process generator. A sampler
 * (PcnSampler) walks a split (or a subset of its rows) in batches of row
 * indices; pcn_data_gather() copies those rows into the caller's buffers.
 *
 * Tutorial (a training loop; error handling shortened):
 *
 *     char err[512];
 *     PcnDataSplit train;
 *     if (pcn_data_load(ds, PCN_PART_TRAIN, data_dir, cfg->seed, &train,
 *                       err, sizeof err) != 0) { report(err); return -1; }
 *
 *     int *rows, nrows;                  // cfg->fraction of train, per class
 *     pcn_data_fraction(&train, cfg->fraction, cfg->seed, &rows, &nrows,
 *                       err, sizeof err);
 *
 *     PcnSampler *smp = pcn_sampler_new(&train, rows, nrows,
 *         cfg->sampling == PCN_SAMPLE_ALIGNED ? PCN_SAMPLER_ALIGNED
 *                                             : PCN_SAMPLER_SHUFFLED,
 *         cfg->batch, drop_last, cfg->seed, err, sizeof err);
 *
 *     float *x = malloc(sizeof(float) * cfg->batch * train.d);   // once
 *     float *y = malloc(sizeof(float) * cfg->batch * train.classes);
 *     int *lab = malloc(sizeof(int) * cfg->batch);
 *     for (int e = 0; e < cfg->epochs; e++) {
 *       pcn_sampler_begin_epoch(smp, e);
 *       const int *idx;
 *       int n;
 *       while ((n = pcn_sampler_next(smp, &idx)) > 0) {
 *         pcn_data_gather(&train, idx, n, x, y, lab);
 *         ... train on n rows: x [n x d], y one-hot [n x C], lab [n] ...
 *       }
 *     }
 *     pcn_sampler_free(smp); free(rows); pcn_data_free(&train);
 *
 * For evaluation, use PCN_SAMPLER_SEQUENTIAL with rows = NULL (all rows).
 *
 * Conventions: functions that can fail return 0 on success and -1 on
 * failure, with a one-line message in err (err may be NULL or errlen 0).
 * Every message about a file starts with the file's path. Nothing here
 * prints or exits. All randomness comes from pcn_rng (rng.h) with the
 * streams PCN_STREAM_SYNTHETIC, PCN_STREAM_SPLIT and PCN_STREAM_SHUFFLE,
 * so one seed gives one run.
 *
 * Stream-aligned batches (paper Sec. 4.1; PCN_SAMPLER_ALIGNED):
 *   - Each class c has its own stream: the class's rows, shuffled at the
 *     start of every epoch by PCN_STREAM_SHUFFLE seeded with seed + epoch.
 *   - A batch of n rows takes q = n / C rows from every class stream. When
 *     n is not a multiple of C, r = n mod C classes take q + 1 rows; which
 *     classes rotates: batch b of an epoch gives the extra row to classes
 *     (b*r + j) mod C, j = 0..r-1, so over an epoch every class gets its
 *     share. n < C is rejected (some class would be missing from a batch,
 *     leaving average initialization nothing to average).
 *   - Rows of a batch are grouped by class, class 0 first, and contiguous
 *     per class; the consumer should still read the label of each row.
 *   - No recycling: the epoch ends before the first batch that some class
 *     stream cannot fill, so no row repeats within an epoch and every
 *     batch has exactly n rows (drop_last is implied). The rows left over
 *     are reported by pcn_sampler_unused(); with shuffling they differ
 *     from epoch to epoch. Imbalanced classes therefore waste samples of
 *     the larger classes; that is the price of exact alignment.
 *   - Needs a labelled split with C >= 1 and at least one row of every
 *     class among the sampled rows (else pcn_sampler_new fails).
 */
#ifndef PCN_DATA_H
#define PCN_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph.h"

/* Largest payload of one IDX file we accept (256 MiB); a typo in a header
 * should fail with a message, not an out-of-memory. */
#define PCN_IDX_MAX_BYTES (1LL << 28)

/* One split of a dataset, in memory. Owns x and y. */
typedef struct PcnDataSplit {
  char *name;          /* where it came from (path or "synthetic:blobs") */
  int n;               /* samples (rows) */
  int d;               /* features per sample */
  int classes;         /* C; 0 = unlabelled (y == NULL) */
  int image_h, image_w; /* picture shape when known, else 0 */
  float *x;            /* [n x d] row-major; images are uint8 / 255 in [0,1] */
  int *y;              /* [n] labels in [0, C), or NULL when unlabelled */
} PcnDataSplit;

/* Frees x, y and name and zeroes the struct; safe on a zeroed struct. */
void pcn_data_free(PcnDataSplit *s);

/* ---- loading --------------------------------------------------------- */

typedef enum PcnDataPart { PCN_PART_TRAIN, PCN_PART_TEST } PcnDataPart;

/* Loads one split of a dataset declared in a .pcn file.
 *   IDX: files ds->train_files / test_files [images, labels] (labels may
 *        be NULL for unlabelled data). Relative names are joined to
 *        data_dir when it is non-NULL (the driver passes --data-dir or
 *        $PCNC_DATA_DIR), else to ds->dir, else to the built-in default
 *        (/usr/share/datasets/fashion-mnist). Absolute names are used as
 *        they are. Images must match ds->features and ds->image_h/w when
 *        those are set; labels must be < ds->classes when classes > 0.
 *        classes > 0 needs a labels file; classes == 0 means unlabelled
 *        and a labels file, if named, is not read.
 *   CSV: file [0] of the split, same directory rules except that with no
 *        directory at all the name is relative to the working directory.
 *   SYNTHETIC: ds->generator with ds->features, ds->classes and
 *        ds->train_samples / test_samples, from `seed`. The generator's
 *        shape (cluster centres, XOR signs, spiral arms) depends only on
 *        the seed and both parts draw from it, so pass the same seed when
 *        loading the train and the test part. seed is unused otherwise. */
int pcn_data_load(const PcnDataset *ds, PcnDataPart part, const char *data_dir,
                  uint64_t seed, PcnDataSplit *out, char *err, size_t errlen);

/* Reads an IDX image file (magic 0x00000803: uint8, 3 dims n x h x w),
 * gzip or raw. *pixels is malloc'd, n*h*w bytes. */
int pcn_idx_read_images(const char *path, int *n, int *h, int *w,
                        uint8_t **pixels, char *err, size_t errlen);
/* Reads an IDX label file (magic 0x00000801: uint8, 1 dim). */
int pcn_idx_read_labels(const char *path, int *n, uint8_t **labels, char *err,
                        size_t errlen);

/* Images (and labels, unless labels_path is NULL) into a split: features
 * are h*w pixels / 255. classes > 0 checks every label is below it;
 * classes == 0 with labels sets C = max label + 1. */
int pcn_data_load_idx(const char *images_path, const char *labels_path,
                      int classes, PcnDataSplit *out, char *err, size_t errlen);

/* A CSV file (gzip or raw): comma-separated numbers, one sample per line.
 * With classes > 0 one column is the integer label (label_column, 0-based,
 * -1 = last) and the rest are features; with classes == 0 every column is
 * a feature. features > 0 checks the count. The first line is a header,
 * and skipped, when any of its fields is not a number. Blank lines are
 * skipped. Errors name path:line. */
int pcn_data_load_csv(const char *path, int features, int classes,
                      int label_column, PcnDataSplit *out, char *err,
                      size_t errlen);

/* Generated data, deterministic in seed (PCN_STREAM_SYNTHETIC):
 *   "blobs":  C gaussian clusters in d dims, well separated (classes == 0:
 *             4 clusters, no labels);
 *   "xor":    2 classes; the first two coordinates cluster around
 *             (+-1, +-1) and the label is sign(x0) != sign(x1); other
 *             coordinates are noise; d >= 2, classes == 2;
 *   "spiral": C interleaved spiral arms in the first two coordinates,
 *             other coordinates noise; d >= 2, classes >= 2.
 * part selects which of the two independent sample sets (train, test) of
 * the same distribution is drawn. */
int pcn_data_synthesize(const char *generator, int n, int d, int classes,
                        uint64_t seed, PcnDataPart part, PcnDataSplit *out,
                        char *err, size_t errlen);

/* ---- training fraction ----------------------------------------------- */

/* The paper's 25/50/100% training subsets, stratified: of each class c
 * keep round(fraction * count_c) rows (at least 1 when count_c > 0),
 * chosen at random by seed (PCN_STREAM_SPLIT). Unlabelled splits: a plain
 * random subset of round(fraction * n) rows (at least 1). *rows (malloc'd,
 * ascending) receives the kept row indices, *nrows their count.
 * fraction must be in (0, 1]; 1 keeps every row. */
int pcn_data_fraction(const PcnDataSplit *s, double fraction, uint64_t seed,
                      int **rows, int *nrows, char *err, size_t errlen);

/* ---- batching -------------------------------------------------------- */

typedef enum PcnSamplerKind {
  PCN_SAMPLER_SEQUENTIAL, /* rows in the given order (evaluation) */
  PCN_SAMPLER_SHUFFLED,   /* new permutation each epoch (seed + epoch) */
  PCN_SAMPLER_ALIGNED     /* stream-aligned, see the top of this file */
} PcnSamplerKind;

typedef struct PcnSampler PcnSampler;

/* A sampler over rows[0..nrows) of s (rows == NULL: all of s, nrows is
 * then ignored). Copies rows; s must outlive the sampler. Batches have
 * `batch` rows except the epoch's last one, which is smaller unless
 * drop_last (ALIGNED batches are always full). Fails on batch < 1, an
 * empty row set, a row index outside s, or (ALIGNED) the conditions listed
 * at the top of this file. Returns NULL on failure. */
PcnSampler *pcn_sampler_new(const PcnDataSplit *s, const int *rows, int nrows,
                            PcnSamplerKind kind, int batch, bool drop_last,
                            uint64_t seed, char *err, size_t errlen);
void pcn_sampler_free(PcnSampler *smp);

/* Starts epoch `epoch` (0-based): reshuffles (SHUFFLED, ALIGNED) from
 * seed + epoch and rewinds. Must be called before the first next(). */
void pcn_sampler_begin_epoch(PcnSampler *smp, int epoch);

/* The next batch of the epoch: *rows points to its row indices into the
 * split (valid until the next call). Returns the batch size, 0 at the end
 * of the epoch. */
int pcn_sampler_next(PcnSampler *smp, const int **rows);

/* Batches in every epoch (the same for all epochs). */
int pcn_sampler_batches(const PcnSampler *smp);
/* Rows not visited in each epoch (drop_last or alignment leftovers). */
int pcn_sampler_unused(const PcnSampler *smp);

/* ---- gathering ------------------------------------------------------- */

/* Copies rows[0..n) of s into x [n x d] and, when s is labelled, one-hot
 * labels into onehot [n x C] and labels into labels [n]. Unlabelled
 * splits give onehot all zeros and labels -1. Any output may be NULL.
 * Returns -1 if a row index is outside the split. */
int pcn_data_gather(const PcnDataSplit *s, const int *rows, int n, float *x,
                    float *onehot, int *labels);

#endif
