//===- OnnxGraph.h - Building an ONNX graph ------------------------*- C++ -*-===//
//
// Private to lib/Eval: what the network's nodes call to export themselves
// (Network.cpp), implemented over ONNX's protobuf in OnnxExport.cpp, so
// neither includes the other's heavy headers.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_EVAL_ONNXGRAPH_H
#define NASC_LIB_EVAL_ONNXGRAPH_H

#include <cstdint>
#include <string>
#include <vector>

namespace nasc::eval {

struct OnnxAttr {
  std::string name;
  enum Kind { Int, Ints, Float } kind = Int;
  int64_t i = 0;
  std::vector<int64_t> ints;
  float f = 0;
  static OnnxAttr integer(std::string name, int64_t value) {
    return {std::move(name), Int, value, {}, 0};
  }
  static OnnxAttr integers(std::string name, std::vector<int64_t> values) {
    return {std::move(name), Ints, 0, std::move(values), 0};
  }
  static OnnxAttr real(std::string name, float value) {
    return {std::move(name), Float, 0, {}, value};
  }
};

class OnnxGraph {
public:
  virtual ~OnnxGraph() = default;
  /// Adds a node; returns its (first) output's name.
  virtual std::string node(const std::string &opType,
                           const std::vector<std::string> &inputs,
                           const std::vector<OnnxAttr> &attrs = {}) = 0;
  /// Adds a float initializer; returns its name.
  virtual std::string initializer(const std::string &hint,
                                  const std::vector<int64_t> &dims,
                                  const std::vector<float> &data) = 0;
  /// Adds an int64 initializer (shapes, indices); returns its name.
  virtual std::string
  integerInitializer(const std::string &hint, const std::vector<int64_t> &dims,
                     const std::vector<int64_t> &data) = 0;
};

} // namespace nasc::eval

#endif // NASC_LIB_EVAL_ONNXGRAPH_H
