//===- Weights.cpp - Parameters of a lowered candidate --------------------===//

#include "nasc/Conversion/NASToLinalg/Weights.h"

#include <algorithm>
#include <cmath>

using namespace nasc;

WeightSource::~WeightSource() = default;

std::vector<float> nasc::quantizeWeightLevels(std::vector<float> &w,
                                        int64_t outChannels, int64_t bits) {
  size_t per = w.size() / outChannels;
  std::vector<float> scales(outChannels);
  for (int64_t o = 0; o < outChannels; ++o) {
    float *row = w.data() + o * per;
    if (bits == 1) {
      // Sign times the mean magnitude.
      float sum = 0;
      for (size_t i = 0; i < per; ++i)
        sum += std::fabs(row[i]);
      scales[o] = sum / float(per);
      for (size_t i = 0; i < per; ++i)
        row[i] = row[i] > 0 ? 1.0f : row[i] < 0 ? -1.0f : 0.0f;
      continue;
    }
    float levels = float((int64_t(1) << (bits - 1)) - 1);
    float maxAbs = 0;
    for (size_t i = 0; i < per; ++i)
      maxAbs = std::max(maxAbs, std::fabs(row[i]));
    scales[o] = std::max(maxAbs, 1e-8f) / levels;
    for (size_t i = 0; i < per; ++i)
      row[i] =
          std::min(std::max(std::nearbyint(row[i] / scales[o]), -levels),
                   levels);
  }
  return scales;
}

static std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

double SeededWeights::uniform() {
  // SplitMix64; 53 bits into [0, 1).
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return double(z >> 11) * 0x1.0p-53;
}

double SeededWeights::normal() {
  double u = 1.0 - uniform(), v = uniform();
  return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

bool SeededWeights::next(ParamKind kind, llvm::ArrayRef<int64_t> shape,
                         std::vector<float> &data, std::string &) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  data.assign(count, 0.0f);
  switch (kind) {
  case ParamKind::ConvWeight: {
    // Fan in ([O, I/g, kh, kw]): each conv and ReLU keeps the second
    // moment of its input, so an untrained network's output still depends
    // on its input.
    double std = std::sqrt(2.0 / double(shape[1] * shape[2] * shape[3]));
    for (float &x : data)
      x = float(std * normal());
    break;
  }
  case ParamKind::LinearWeight:
  case ParamKind::LinearBias: {
    // Both bounded by the fan in, the weight's second dimension; a bias
    // comes right after its weight, whose fan in is remembered.
    if (kind == ParamKind::LinearWeight)
      linearFanIn = shape[1];
    double bound = 1.0 / std::sqrt(double(linearFanIn));
    for (float &x : data)
      x = float((2 * uniform() - 1) * bound);
    break;
  }
  case ParamKind::BNWeight:
  case ParamKind::BNVar:
    data.assign(count, 1.0f);
    break;
  case ParamKind::ConvBias:
  case ParamKind::BNBias:
  case ParamKind::BNMean:
    break;
  }
  return true;
}

bool TensorListWeights::next(ParamKind, llvm::ArrayRef<int64_t> shape,
                             std::vector<float> &data, std::string &error) {
  if (pos >= tensors.size()) {
    error = "the weights end before the network's parameter #" +
            std::to_string(pos) + " of shape " + shapeString(shape);
    return false;
  }
  NamedTensor &tensor = tensors[pos++];
  if (llvm::ArrayRef<int64_t>(tensor.shape) != shape) {
    error = "weight '" + tensor.name + "' has shape " +
            shapeString(tensor.shape) + ", the network needs " +
            shapeString(shape);
    return false;
  }
  data = std::move(tensor.data);
  return true;
}

bool TensorListWeights::exhausted(std::string &error) const {
  if (pos == tensors.size())
    return true;
  error = "the network uses " + std::to_string(pos) + " of " +
          std::to_string(tensors.size()) + " weight tensors (next: '" +
          tensors[pos].name + "')";
  return false;
}
