//===- Weights.h - Parameters of a lowered candidate ------------*- C++ -*-===//
//
// The lowering asks for each parameter tensor in LibTorch's order: the
// pre-order of the modules lib/Eval/Network.cpp builds, each module's
// parameters then its buffers (BN: weight, bias, running_mean,
// running_var). The values come from a LibTorch network (a checkpoint or
// its seeded initialization, through libNASCEval.so) or from a seeded
// initializer here that needs no LibTorch.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_CONVERSION_NASTOLINALG_WEIGHTS_H
#define NASC_CONVERSION_NASTOLINALG_WEIGHTS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nasc {

/// What a parameter is for (the seeded initializer picks its distribution
/// by it; a list of tensors ignores it).
enum class ParamKind {
  ConvWeight,   ///< [O, I/groups, k, k]
  ConvBias,     ///< [O]
  LinearWeight, ///< [O, I]
  LinearBias,   ///< [O]
  BNWeight,
  BNBias,
  BNMean,
  BNVar,
};

/// One named tensor (row-major float32).
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Where the lowering gets its parameters, in order.
class WeightSource {
public:
  virtual ~WeightSource();
  /// The next parameter, which must have `shape`; false with `error` when
  /// there is none or it has another shape.
  virtual bool next(ParamKind kind, llvm::ArrayRef<int64_t> shape,
                    std::vector<float> &data, std::string &error) = 0;
  /// Whether every parameter was used (checked after a lowering).
  virtual bool exhausted(std::string &error) const { return true; }
};

/// Parameters drawn from a seed, without LibTorch: conv weights
/// Kaiming-normal with fan in (std = sqrt(2 / (I/g · k^2))): with BN as the
/// identity, fan out (Network.cpp's, for training) shrinks the signal by
/// about the channel count at each depthwise conv, leaving a deep
/// candidate's output constant to six digits; fc weights and biases uniform in ±1/sqrt(I), as torch::nn::Linear; conv
/// biases 0; BN weight 1, bias 0, mean 0, variance 1. Normals by
/// Box-Muller on SplitMix64. Not the same numbers as LibTorch's generator.
class SeededWeights : public WeightSource {
public:
  explicit SeededWeights(uint64_t seed) : state(seed) {}
  bool next(ParamKind kind, llvm::ArrayRef<int64_t> shape,
            std::vector<float> &data, std::string &error) override;

private:
  double uniform();
  double normal();
  uint64_t state;
  int64_t linearFanIn = 1;
};

/// Parameters from a list (e.g. exported from a LibTorch network), used in
/// order; shapes must match exactly.
class TensorListWeights : public WeightSource {
public:
  explicit TensorListWeights(std::vector<NamedTensor> tensors)
      : tensors(std::move(tensors)) {}
  bool next(ParamKind kind, llvm::ArrayRef<int64_t> shape,
            std::vector<float> &data, std::string &error) override;
  bool exhausted(std::string &error) const override;

private:
  std::vector<NamedTensor> tensors;
  size_t pos = 0;
};

/// LibTorch's fake quantization of weights as integer levels: symmetric
/// per output channel, `w` ([outChannels, ...], row-major) replaced by
/// integers in [-(2^(bits-1) - 1), 2^(bits-1) - 1] (1 bit: -1, 0, 1 with the
/// channel's mean magnitude as its scale); returns the per-channel scales
/// (the quantized weight is level times scale).
std::vector<float> quantizeWeightLevels(std::vector<float> &w,
                                        int64_t outChannels, int64_t bits);

} // namespace nasc

#endif // NASC_CONVERSION_NASTOLINALG_WEIGHTS_H
