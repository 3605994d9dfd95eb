/*
 * pcn/rng.h - the one random number generator of pcnc.
 *
 * Every random choice of a run (weight init, random node init, shuffling,
 * synthetic data) draws from a PcnRng seeded from the train block's seed,
 * each consumer with its own stream (pcn_rng_init(&r, seed, STREAM)), so a
 * change in one consumer does not shift the numbers another one sees and
 * the same seed gives the same run. xoshiro256** seeded by splitmix64.
 */
#ifndef PCN_RNG_H
#define PCN_RNG_H

#include <stdint.h>

typedef struct PcnRng {
  uint64_t s[4];
} PcnRng;

/* Well-known streams. */
enum {
  PCN_STREAM_WEIGHTS = 1,
  PCN_STREAM_NODE_INIT = 2,
  PCN_STREAM_SHUFFLE = 3,
  PCN_STREAM_SPLIT = 4,
  PCN_STREAM_SYNTHETIC = 5,
  PCN_STREAM_MEMORY = 6
};

void pcn_rng_init(PcnRng *r, uint64_t seed, uint64_t stream);
uint64_t pcn_rng_next(PcnRng *r);
/* Uniform in [0, 1). */
double pcn_rng_uniform(PcnRng *r);
/* Uniform integer in [0, n), unbiased; n >= 1. */
uint64_t pcn_rng_below(PcnRng *r, uint64_t n);
/* Standard normal (Box-Muller, one value per call). */
double pcn_rng_normal(PcnRng *r);
/* Fisher-Yates shuffle of an int array. */
void pcn_rng_shuffle_int(PcnRng *r, int *v, int n);

#endif
