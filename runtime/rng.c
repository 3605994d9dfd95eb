#include "pcn/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void pcn_rng_init(PcnRng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t pcn_rng_next(PcnRng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double pcn_rng_uniform(PcnRng *r) {
  return (double)(pcn_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t pcn_rng_below(PcnRng *r, uint64_t n) {
  /* Rejection sampling keeps the distribution exactly uniform. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = pcn_rng_next(r);
  while (x >= limit);
  return x % n;
}

double pcn_rng_normal(PcnRng *r) {
  double u1 = pcn_rng_uniform(r), u2 = pcn_rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void pcn_rng_shuffle_int(PcnRng *r, int *v, int n) {
  for (int i = n - 1; i > 0; i--) {
    int j = (int)pcn_rng_below(r, (uint64_t)i + 1);
    int t = v[i];
    v[i] = v[j];
    v[j] = t;
  }
}
