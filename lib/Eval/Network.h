//===- Network.h - A concrete candidate as a LibTorch module ----*- C++ -*-===//
//
// Private to lib/Eval (it includes torch/torch.h, which is costly to
// compile: only Network.cpp and Training.cpp include it).
//
// The module has the structure of the candidate: one submodule per layer,
// per residual, per cell instance and edge, named by position, with exactly
// the parameters the cost analysis counts (docs/evaluation.md, "Lowering").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_EVAL_NETWORK_H
#define NASC_LIB_EVAL_NETWORK_H

#include "OnnxGraph.h"

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/ADT/DenseMap.h"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace nasc::eval {

/// Outputs of the earlier layers of a sequence (a cell with several inputs
/// reads them).
using History = std::vector<torch::Tensor>;

/// One node of the network: a layer, a sequence, a residual, a cell.
class NodeImpl : public torch::nn::Module {
public:
  virtual torch::Tensor run(const torch::Tensor &x, History &history) = 0;
  /// Adds the node to an ONNX graph (inference form: BN with its running
  /// statistics, weights as fake quantization leaves them); returns the
  /// output's name. `history` holds the names of earlier outputs.
  virtual std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                                 std::vector<std::string> &history) = 0;
  /// Called for every activation the node applies (NASWOT reads them).
  std::function<void(const torch::Tensor &)> *activationHook = nullptr;
};

/// The whole network.
class NetworkImpl : public torch::nn::Module {
public:
  torch::Tensor forward(const torch::Tensor &x);
  std::shared_ptr<NodeImpl> body;
  std::vector<int64_t> inputShape; // [C, H, W] or [F]
  /// Every activation applied in forward() goes here when set.
  std::function<void(const torch::Tensor &)> activationHook;
  /// The node of each leaf layer op of the spec it was built from (valid
  /// while that spec lives; a cell's op maps to its first instance).
  llvm::DenseMap<mlir::Operation *, NodeImpl *> nodeOf;
};
TORCH_MODULE(Network);

/// Writes `network` as an ONNX model (opset 14) to `path`; the input is
/// `input` [N, ...inputShape], the output `logits`. Checks it with ONNX's
/// checker; false with `error` on failure.
bool exportOnnx(NetworkImpl &network, const std::string &path,
                std::string &error);

/// Builds the network of a concrete nas.spec (after nas-prune, or with
/// `prune` attributes still there: the widths follow the cost analysis).
/// Fails with `error` for what cannot be built.
std::shared_ptr<NetworkImpl> buildNetwork(nas::SpecOp spec,
                                          std::string &error);

} // namespace nasc::eval

#endif // NASC_LIB_EVAL_NETWORK_H
