/*===- Head.c - A share of the batch, the head computed a block at a time -===//
 *
 * Linked into an emitted network whose head was split from its body
 * (SplitHead.cpp), with internal linkage. NAME_run's thread for samples
 * [begin, end) runs the body once per sample, writing its features into a
 * block of `rows`, and the head once per block, which shares each of its
 * weights among the block's samples. A last, partial block of few samples
 * runs the head on one sample at a time (`single`, where the network has
 * it); one of more computes rows that nobody reads (left from the block
 * before, or zeros). Compiled to LLVM IR at build time: libc only. malloc
 * and free are the buffer cache's once linked (Runtime.cpp).
 *
 *===----------------------------------------------------------------------===*/

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A block of at most rows / NASC_SINGLE_HEADS samples runs the head per
   sample: a head on one row costs about that fraction of a block's. */
#ifndef NASC_SINGLE_HEADS
#define NASC_SINGLE_HEADS 4
#endif

/* A network part on one sample (the body: an input to its features) or on
   one block (the head: `rows` samples' features to their outputs). */
typedef void (*nasc_part)(const float *in, float *out);

void nasc_rt_headed_samples(nasc_part body, nasc_part head, nasc_part single,
                            const float *input,
                            float *output, long begin, long end,
                            long inputSize, long featureSize, long outputSize,
                            long rows) {
  size_t features = (size_t)rows * (size_t)featureSize;
  size_t outputs = (size_t)rows * (size_t)outputSize;
  float *block = malloc(sizeof(float) * (features + outputs));
  if (!block) {
    /* Out of memory: the samples' outputs say so rather than lie. */
    for (long i = begin * outputSize; i < end * outputSize; ++i)
      output[i] = NAN;
    return;
  }
  memset(block, 0, sizeof(float) * features);
  float *logits = block + features;
  for (long first = begin; first < end; first += rows) {
    long count = end - first < rows ? end - first : rows;
    if (single && count * NASC_SINGLE_HEADS <= rows) {
      for (long i = 0; i < count; ++i) {
        body(input + (first + i) * inputSize, block);
        single(block, output + (first + i) * outputSize);
      }
      continue;
    }
    for (long i = 0; i < count; ++i)
      body(input + (first + i) * inputSize, block + i * featureSize);
    head(block, logits);
    memcpy(output + first * outputSize, logits,
           sizeof(float) * (size_t)(count * outputSize));
  }
  free(block);
}
