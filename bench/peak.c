/* peak.c: this core's peak float32 throughput, measured with independent
   fused multiply-adds (12 accumulators hide the FMA latency), for 256-bit
   (AVX2) and, where the CPU has it, 512-bit (AVX-512F) vectors. Prints
   GFLOP/s (an FMA is 2 flops). Build: cc -O2 -march=native bench/peak.c */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define ITERS 100000000L
#define FMA12(T, fma)                                                          \
  for (long i = 0; i < ITERS; ++i) {                                           \
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c);                \
    a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c);                \
    a6 = fma(a6, m, c); a7 = fma(a7, m, c); a8 = fma(a8, m, c);                \
    a9 = fma(a9, m, c); a10 = fma(a10, m, c); a11 = fma(a11, m, c);            \
  }

static double avx2(void) {
  __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  /* Distinct starts, or the compiler merges the accumulators into one. */
#define S(i) _mm256_set1_ps(1.0f + (i) * 1e-3f)
  __m256 a0 = S(0), a1 = S(1), a2 = S(2), a3 = S(3), a4 = S(4), a5 = S(5),
         a6 = S(6), a7 = S(7), a8 = S(8), a9 = S(9), a10 = S(10), a11 = S(11);
#undef S
  double start = now();
  FMA12(__m256, _mm256_fmadd_ps)
  double seconds = now() - start;
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
  s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  volatile float sink = _mm256_cvtss_f32(s);
  (void)sink;
  return 12.0 * 8 * 2 * ITERS / seconds * 1e-9;
}

#ifdef __AVX512F__
static double avx512(void) {
  __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
#define S(i) _mm512_set1_ps(1.0f + (i) * 1e-3f)
  __m512 a0 = S(0), a1 = S(1), a2 = S(2), a3 = S(3), a4 = S(4), a5 = S(5),
         a6 = S(6), a7 = S(7), a8 = S(8), a9 = S(9), a10 = S(10), a11 = S(11);
#undef S
  double start = now();
  FMA12(__m512, _mm512_fmadd_ps)
  double seconds = now() - start;
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
             _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
  volatile float sink = _mm512_reduce_add_ps(s);
  (void)sink;
  return 12.0 * 16 * 2 * ITERS / seconds * 1e-9;
}
#endif

int main(void) {
  double best = 0;
  for (int i = 0; i < 3; ++i)
    { double g = avx2(); best = g > best ? g : best; }
  printf("avx2_fma_gflops %.1f\n", best);
#ifdef __AVX512F__
  best = 0;
  for (int i = 0; i < 3; ++i) {
    double g = avx512();
    best = g > best ? g : best;
  }
  printf("avx512_fma_gflops %.1f\n", best);
#endif
  return 0;
}
