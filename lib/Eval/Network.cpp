//===- Network.cpp - A concrete candidate as a LibTorch module ------------===//
//
// Each op of the nas dialect becomes the PyTorch module its cost-analysis
// formula describes (docs/analysis.md), so parameter counts agree exactly:
// convolutions without bias, BN with affine parameters, fc with bias,
// sep_conv as depthwise-BN-ReLU-pointwise-BN, mbconv as MobileNetV2 (with
// squeeze-and-excitation when asked), "same" padding (out = ceil(in /
// stride)). Layers with weight or activation bits below 32 train with fake
// quantization (straight-through estimator).
//
//===----------------------------------------------------------------------===//

#include "Network.h"

#include "nasc/Analysis/Costs.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using namespace nasc::eval;
namespace F = torch::nn::functional;

namespace {

struct Shape {
  int64_t c = 0, h = 1, w = 1;
  bool spatial = true;
  int64_t elements() const { return c * h * w; }
};

int64_t sameOut(int64_t size, int64_t stride) {
  return (size + stride - 1) / stride;
}

/// "Same" padding of a k-window with `stride` on `size`: (before, after).
std::pair<int64_t, int64_t> samePadding(int64_t size, int64_t kernel,
                                        int64_t stride) {
  int64_t total =
      std::max<int64_t>((sameOut(size, stride) - 1) * stride + kernel - size, 0);
  return {total / 2, total - total / 2};
}

//===----------------------------------------------------------------------===//
// Fake quantization
//===----------------------------------------------------------------------===//

/// Symmetric per-output-channel fake quantization of weights to `bits`
/// (binary: sign times the channel's mean magnitude), with a
/// straight-through gradient.
torch::Tensor quantizeWeight(const torch::Tensor &w, int64_t bits) {
  if (bits >= 32)
    return w;
  torch::Tensor flat = w.reshape({w.size(0), -1});
  torch::Tensor q;
  if (bits == 1) {
    torch::Tensor scale = flat.abs().mean(1, /*keepdim=*/true);
    q = (torch::sign(flat) * scale).reshape(w.sizes());
  } else {
    double levels = double((int64_t(1) << (bits - 1)) - 1);
    torch::Tensor scale =
        flat.abs().amax(1, /*keepdim=*/true).clamp_min(1e-8) / levels;
    q = (torch::round(flat / scale).clamp(-levels, levels) * scale)
            .reshape(w.sizes());
  }
  return w + (q - w).detach();
}

/// Symmetric per-tensor fake quantization of activations to `bits`.
torch::Tensor quantizeActivation(const torch::Tensor &x, int64_t bits) {
  if (bits >= 32)
    return x;
  double levels = double((int64_t(1) << (bits - 1)) - 1);
  torch::Tensor scale = x.detach().abs().max().clamp_min(1e-8) / levels;
  torch::Tensor q = torch::round(x / scale).clamp(-levels, levels) * scale;
  return x + (q - x).detach();
}

/// A tensor's values and shape for an ONNX initializer.
std::string initializer(OnnxGraph &graph, const std::string &hint,
                        const torch::Tensor &tensor) {
  torch::Tensor t = tensor.detach().to(torch::kFloat32).contiguous();
  std::vector<float> data(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  return graph.initializer(hint, t.sizes().vec(), data);
}

//===----------------------------------------------------------------------===//
// Primitive nodes
//===----------------------------------------------------------------------===//

/// A k x k convolution with "same" padding, no bias unless asked.
class ConvNode : public NodeImpl {
public:
  ConvNode(const Shape &in, int64_t out, int64_t kernel, int64_t stride,
           int64_t groups, bool bias, int64_t wbits, int64_t abits)
      : kernel(kernel), stride(stride), groups(groups), wbits(wbits),
        abits(abits) {
    weight = register_parameter(
        "weight", torch::empty({out, in.c / groups, kernel, kernel}));
    // Kaiming (fan out), as torchvision's MobileNet/ResNet.
    torch::nn::init::kaiming_normal_(weight, 0.0, torch::kFanOut,
                                     torch::kReLU);
    if (bias)
      this->bias = register_parameter("bias", torch::zeros({out}));
    auto [before, after] = samePadding(in.h, kernel, stride);
    auto [left, right] = samePadding(in.w, kernel, stride);
    symmetric = before == after && left == right;
    padding = {left, right, before, after};
  }
  torch::Tensor run(const torch::Tensor &x, History &) override {
    torch::Tensor input = quantizeActivation(x, abits);
    int64_t pad = 0;
    if (symmetric)
      pad = padding[2];
    else
      input = F::pad(input, F::PadFuncOptions(padding));
    return F::conv2d(input, quantizeWeight(weight, wbits),
                     F::Conv2dFuncOptions()
                         .bias(bias)
                         .stride(stride)
                         .padding(pad)
                         .groups(groups));
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    std::vector<std::string> inputs = {
        input, initializer(graph, "conv.weight", quantizeWeight(weight, wbits))};
    if (bias.defined())
      inputs.push_back(initializer(graph, "conv.bias", bias));
    // ONNX pads: [top, left, bottom, right].
    return graph.node(
        "Conv", inputs,
        {OnnxAttr::integers("kernel_shape", {kernel, kernel}),
         OnnxAttr::integers("strides", {stride, stride}),
         OnnxAttr::integers("pads",
                            {padding[2], padding[0], padding[3], padding[1]}),
         OnnxAttr::integer("group", groups)});
  }

private:
  torch::Tensor weight, bias;
  int64_t kernel, stride, groups, wbits, abits;
  bool symmetric;
  std::vector<int64_t> padding;
};

class LinearNode : public NodeImpl {
public:
  LinearNode(int64_t in, int64_t out, int64_t wbits, int64_t abits)
      : wbits(wbits), abits(abits) {
    linear = register_module("linear", torch::nn::Linear(in, out));
  }
  torch::Tensor run(const torch::Tensor &x, History &) override {
    torch::Tensor input = quantizeActivation(x.flatten(1), abits);
    return F::linear(input, quantizeWeight(linear->weight, wbits),
                     linear->bias);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    std::string flat =
        graph.node("Flatten", {input}, {OnnxAttr::integer("axis", 1)});
    return graph.node(
        "Gemm",
        {flat,
         initializer(graph, "fc.weight", quantizeWeight(linear->weight, wbits)),
         initializer(graph, "fc.bias", linear->bias)},
        {OnnxAttr::integer("transB", 1)});
  }

private:
  torch::nn::Linear linear{nullptr};
  int64_t wbits, abits;
};

class BatchNormNode : public NodeImpl {
public:
  explicit BatchNormNode(const Shape &in) : spatial(in.spatial) {
    if (spatial)
      bn2 = register_module("bn", torch::nn::BatchNorm2d(in.c));
    else
      bn1 = register_module("bn", torch::nn::BatchNorm1d(in.c));
  }
  torch::Tensor run(const torch::Tensor &x, History &) override {
    return spatial ? bn2->forward(x) : bn1->forward(x);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    torch::Tensor weight = spatial ? bn2->weight : bn1->weight;
    torch::Tensor bias = spatial ? bn2->bias : bn1->bias;
    torch::Tensor mean = spatial ? bn2->running_mean : bn1->running_mean;
    torch::Tensor var = spatial ? bn2->running_var : bn1->running_var;
    double eps = spatial ? bn2->options.eps() : bn1->options.eps();
    return graph.node("BatchNormalization",
                      {input, initializer(graph, "bn.scale", weight),
                       initializer(graph, "bn.bias", bias),
                       initializer(graph, "bn.mean", mean),
                       initializer(graph, "bn.var", var)},
                      {OnnxAttr::real("epsilon", float(eps))});
  }

private:
  bool spatial;
  torch::nn::BatchNorm2d bn2{nullptr};
  torch::nn::BatchNorm1d bn1{nullptr};
};

class ActNode : public NodeImpl {
public:
  explicit ActNode(ActKind kind) : kind(kind) {}
  torch::Tensor run(const torch::Tensor &x, History &) override {
    torch::Tensor y;
    switch (kind) {
    case ActKind::relu:
      y = torch::relu(x);
      break;
    case ActKind::relu6:
      y = torch::clamp(x, 0, 6);
      break;
    case ActKind::hswish:
      y = torch::hardswish(x);
      break;
    case ActKind::swish:
      y = x * torch::sigmoid(x);
      break;
    case ActKind::sigmoid:
      y = torch::sigmoid(x);
      break;
    case ActKind::tanh:
      y = torch::tanh(x);
      break;
    }
    if (activationHook && *activationHook)
      (*activationHook)(y);
    return y;
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    switch (kind) {
    case ActKind::relu:
      return graph.node("Relu", {input});
    case ActKind::relu6:
      return graph.node("Clip",
                        {input, graph.initializer("zero", {}, {0.0f}),
                         graph.initializer("six", {}, {6.0f})});
    case ActKind::hswish:
      return graph.node("HardSwish", {input});
    case ActKind::swish:
      return graph.node("Mul", {input, graph.node("Sigmoid", {input})});
    case ActKind::sigmoid:
      return graph.node("Sigmoid", {input});
    case ActKind::tanh:
      return graph.node("Tanh", {input});
    }
    return input;
  }

private:
  ActKind kind;
};

class PoolNode : public NodeImpl {
public:
  PoolNode(const Shape &in, PoolKind kind, int64_t kernel, int64_t stride)
      : kind(kind), kernel(kernel), stride(stride) {
    auto [before, after] = samePadding(in.h, kernel, stride);
    auto [left, right] = samePadding(in.w, kernel, stride);
    symmetric = before == after && left == right;
    padding = {left, right, before, after};
  }
  torch::Tensor run(const torch::Tensor &x, History &) override {
    torch::Tensor input = x;
    int64_t pad = symmetric ? padding[2] : 0;
    if (!symmetric)
      input = F::pad(x, F::PadFuncOptions(padding).value(
                            kind == PoolKind::max ? -1e30 : 0.0));
    if (kind == PoolKind::max)
      return F::max_pool2d(
          input, F::MaxPool2dFuncOptions(kernel).stride(stride).padding(pad));
    // NAS-Bench-201's avg_pool_3x3: padding not counted.
    return F::avg_pool2d(input, F::AvgPool2dFuncOptions(kernel)
                                    .stride(stride)
                                    .padding(pad)
                                    .count_include_pad(false));
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    std::vector<OnnxAttr> attrs = {
        OnnxAttr::integers("kernel_shape", {kernel, kernel}),
        OnnxAttr::integers("strides", {stride, stride}),
        OnnxAttr::integers("pads",
                           {padding[2], padding[0], padding[3], padding[1]})};
    if (kind == PoolKind::max)
      return graph.node("MaxPool", {input}, attrs);
    attrs.push_back(OnnxAttr::integer("count_include_pad", 0));
    return graph.node("AveragePool", {input}, attrs);
  }

private:
  PoolKind kind;
  int64_t kernel, stride;
  bool symmetric;
  std::vector<int64_t> padding;
};

class GlobalPoolNode : public NodeImpl {
public:
  explicit GlobalPoolNode(PoolKind kind) : kind(kind) {}
  torch::Tensor run(const torch::Tensor &x, History &) override {
    return kind == PoolKind::avg ? x.mean({2, 3}, /*keepdim=*/true)
                                 : x.amax({2, 3}, /*keepdim=*/true);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    return graph.node(kind == PoolKind::avg ? "GlobalAveragePool"
                                            : "GlobalMaxPool",
                      {input});
  }

private:
  PoolKind kind;
};

/// NAS-Bench-201's Zero: x.mul(0.).
class ZeroNode : public NodeImpl {
public:
  torch::Tensor run(const torch::Tensor &x, History &) override {
    return x.mul(0.0);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    return graph.node("Mul", {input, graph.initializer("zero", {}, {0.0f})});
  }
};

class IdentityNode : public NodeImpl {
public:
  torch::Tensor run(const torch::Tensor &x, History &) override { return x; }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    return graph.node("Identity", {input});
  }
};

/// Nodes applied one after the other; `pushHistory` says which outputs
/// join the history (layers of a sequence do; a node's internals do not).
class SequenceNode : public NodeImpl {
public:
  void add(std::shared_ptr<NodeImpl> node, bool pushHistory = false) {
    register_module("n" + std::to_string(nodes.size()), node);
    nodes.push_back(std::move(node));
    pushes.push_back(pushHistory);
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    torch::Tensor y = x;
    for (size_t i = 0; i < nodes.size(); ++i) {
      y = nodes[i]->run(y, history);
      if (pushes[i])
        history.push_back(y);
    }
    return y;
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::string y = input;
    for (size_t i = 0; i < nodes.size(); ++i) {
      y = nodes[i]->exportOnnx(graph, y, history);
      if (pushes[i])
        history.push_back(y);
    }
    return y;
  }
  bool empty() const { return nodes.empty(); }

private:
  std::vector<std::shared_ptr<NodeImpl>> nodes;
  std::vector<bool> pushes;
};

/// A sequence with a history of its own (a block, a residual body).
class ScopeNode : public NodeImpl {
public:
  explicit ScopeNode(std::shared_ptr<SequenceNode> body) : body(body) {
    register_module("body", body);
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    History inner = history;
    return body->run(x, inner);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::vector<std::string> inner = history;
    return body->exportOnnx(graph, input, inner);
  }

private:
  std::shared_ptr<SequenceNode> body;
};

/// Squeeze-and-excitation inside an mbconv: global average pool, 1x1 conv
/// to hidden/4 with bias, ReLU, 1x1 conv back with bias, hard sigmoid,
/// scale.
class SqueezeExciteNode : public NodeImpl {
public:
  SqueezeExciteNode(int64_t channels, std::function<void(const torch::Tensor &)>
                                          *hook) {
    Shape pooled{channels, 1, 1, true};
    int64_t squeeze = std::max<int64_t>(1, channels / 4);
    reduce = std::make_shared<ConvNode>(pooled, squeeze, 1, 1, 1, true, 32, 32);
    expand = std::make_shared<ConvNode>(Shape{squeeze, 1, 1, true}, channels, 1,
                                        1, 1, true, 32, 32);
    register_module("reduce", reduce);
    register_module("expand", expand);
    activationHook = hook;
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    torch::Tensor gate = x.mean({2, 3}, /*keepdim=*/true);
    gate = torch::relu(reduce->run(gate, history));
    gate = torch::hardsigmoid(expand->run(gate, history));
    return x * gate;
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::string gate = graph.node("GlobalAveragePool", {input});
    gate = graph.node("Relu", {reduce->exportOnnx(graph, gate, history)});
    gate = expand->exportOnnx(graph, gate, history);
    // torch's hardsigmoid: relu6(x + 3) / 6.
    gate = graph.node("HardSigmoid", {gate},
                      {OnnxAttr::real("alpha", 1.0f / 6),
                       OnnxAttr::real("beta", 0.5f)});
    return graph.node("Mul", {input, gate});
  }

private:
  std::shared_ptr<ConvNode> reduce, expand;
};

/// A sequence plus an add of its input (an mbconv's inverted residual).
class AddInputNode : public NodeImpl {
public:
  explicit AddInputNode(std::shared_ptr<NodeImpl> body) : body(body) {
    register_module("body", body);
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    return body->run(x, history) + x;
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    return graph.node("Add", {body->exportOnnx(graph, input, history), input});
  }

private:
  std::shared_ptr<NodeImpl> body;
};

class ResidualNode : public NodeImpl {
public:
  ResidualNode(std::shared_ptr<NodeImpl> body,
               std::shared_ptr<NodeImpl> shortcut)
      : body(body), shortcut(shortcut) {
    register_module("body", body);
    if (shortcut)
      register_module("shortcut", shortcut);
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    torch::Tensor y = body->run(x, history);
    return y + (shortcut ? shortcut->run(x, history) : x);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::string y = body->exportOnnx(graph, input, history);
    std::string s =
        shortcut ? shortcut->exportOnnx(graph, input, history) : input;
    return graph.node("Add", {y, s});
  }

private:
  std::shared_ptr<NodeImpl> body, shortcut;
};

class CellNode : public NodeImpl {
public:
  struct Edge {
    int64_t from, to;
    std::shared_ptr<NodeImpl> op;
  };
  CellNode(int64_t numNodes, int64_t numInputs, bool concat)
      : numNodes(numNodes), numInputs(numInputs), concat(concat) {}
  void addEdge(Edge edge) {
    register_module("e" + std::to_string(edge.from) + "_" +
                        std::to_string(edge.to),
                    edge.op);
    edges.push_back(std::move(edge));
  }
  torch::Tensor run(const torch::Tensor &x, History &history) override {
    std::vector<torch::Tensor> nodes(numNodes);
    for (int64_t k = 0; k < numInputs; ++k) {
      int64_t source = CellOp::getInputSource(k, history.size());
      nodes[k] = source < 0 ? x : history[source];
    }
    for (const Edge &edge : edges) {
      History edgeHistory{nodes[edge.from]};
      torch::Tensor out = edge.op->run(nodes[edge.from], edgeHistory);
      nodes[edge.to] = nodes[edge.to].defined() ? nodes[edge.to] + out : out;
    }
    if (!concat)
      return nodes[numNodes - 1];
    std::vector<torch::Tensor> parts(nodes.begin() + numInputs, nodes.end());
    return torch::cat(parts, 1);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::vector<std::string> nodes(numNodes);
    for (int64_t k = 0; k < numInputs; ++k) {
      int64_t source = CellOp::getInputSource(k, history.size());
      nodes[k] = source < 0 ? input : history[source];
    }
    for (const Edge &edge : edges) {
      std::vector<std::string> edgeHistory{nodes[edge.from]};
      std::string out =
          edge.op->exportOnnx(graph, nodes[edge.from], edgeHistory);
      nodes[edge.to] = nodes[edge.to].empty()
                           ? out
                           : graph.node("Add", {nodes[edge.to], out});
    }
    if (!concat)
      return nodes[numNodes - 1];
    std::vector<std::string> parts(nodes.begin() + numInputs, nodes.end());
    return graph.node("Concat", parts, {OnnxAttr::integer("axis", 1)});
  }

private:
  int64_t numNodes, numInputs;
  bool concat;
  std::vector<Edge> edges; // by target, then source
};

//===----------------------------------------------------------------------===//
// The builder
//===----------------------------------------------------------------------===//

class NetworkBuilder {
public:
  NetworkBuilder(SpecOp spec, CostAnalysis &costs,
          std::function<void(const torch::Tensor &)> *hook)
      : spec(spec), costs(costs), hook(hook) {
    for (CompressOp op : spec.getBodyBlock().getOps<CompressOp>())
      compress = op;
    // The widths the cost analysis settled (pruning included), by op; a
    // layer used in several cell instances has one width.
    for (const LayerCost &layer : costs.getLayers())
      if (layer.kind == CostKind::Layer)
        widths.try_emplace(layer.op, layer.output.channels);
  }

  std::shared_ptr<SequenceNode> sequence(Block &body, Shape &shape,
                                         bool topLevel);
  std::string error;
  /// Filled with the node of each leaf layer op (its first, in cells).
  llvm::DenseMap<Operation *, NodeImpl *> *nodes = nullptr;

private:
  std::shared_ptr<NodeImpl> layer(Operation *op, Shape &shape);
  std::shared_ptr<NodeImpl> leaf(Operation *op, Shape &shape);
  std::shared_ptr<NodeImpl> cell(CellRefOp ref, Shape &shape);
  std::shared_ptr<ConvNode> conv(const Shape &in, Shape &out, int64_t width,
                                 int64_t kernel, int64_t stride,
                                 int64_t groups, Operation *op);
  int64_t getInt(Operation *op, StringRef name, int64_t fallback) {
    auto value = op->getAttrOfType<IntegerAttr>(name);
    return value ? value.getInt() : fallback;
  }
  int64_t bits(Operation *op, StringRef name) {
    return getBitWidth(op, name, compress);
  }
  std::shared_ptr<NodeImpl> fail(Operation *op, const Twine &message) {
    if (error.empty())
      error = (stringifyOp(op) + ": " + message).str();
    return nullptr;
  }
  static std::string stringifyOp(Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << op->getName() << " at " << op->getLoc();
    return text;
  }
  template <typename T, typename... Args>
  std::shared_ptr<T> make(Args &&...args) {
    auto node = std::make_shared<T>(std::forward<Args>(args)...);
    node->activationHook = hook;
    return node;
  }

  SpecOp spec;
  CostAnalysis &costs;
  CompressOp compress;
  llvm::DenseMap<Operation *, int64_t> widths;
  std::function<void(const torch::Tensor &)> *hook;
  int depth = 0;
};

std::shared_ptr<ConvNode> NetworkBuilder::conv(const Shape &in, Shape &out,
                                        int64_t width, int64_t kernel,
                                        int64_t stride, int64_t groups,
                                        Operation *op) {
  out = Shape{width, sameOut(in.h, stride), sameOut(in.w, stride), true};
  int64_t wbits = op ? bits(op, "wbits") : 32;
  int64_t abits = op ? bits(op, "abits") : 32;
  return make<ConvNode>(in, width, kernel, stride, groups, false, wbits,
                        abits);
}

std::shared_ptr<SequenceNode> NetworkBuilder::sequence(Block &body, Shape &shape,
                                                bool topLevel) {
  auto seq = make<SequenceNode>();
  for (Operation &op : body) {
    std::shared_ptr<NodeImpl> node = layer(&op, shape);
    if (!node)
      return nullptr;
    // A stage's layers are the sequence's own: it pushes them itself.
    seq->add(node, !isa<StageOp>(op));
  }
  (void)topLevel;
  return seq;
}

std::shared_ptr<NodeImpl> NetworkBuilder::layer(Operation *op, Shape &shape) {
  if (auto stage = dyn_cast<StageOp>(op))
    return sequence(stage.getBodyBlock(), shape, false);
  if (auto block = dyn_cast<BlockOp>(op))
    return make<ScopeNode>(sequence(block.getBodyBlock(), shape, false));
  if (auto residual = dyn_cast<ResidualOp>(op)) {
    Shape in = shape;
    auto body = sequence(residual.getBodyBlock(), shape, false);
    if (!body)
      return nullptr;
    std::shared_ptr<NodeImpl> shortcut;
    Shape out = shape;
    if (residual.getShortcut() != Shortcut::identity) {
      // The stride that takes the input to the body's output size.
      int64_t stride = 1;
      while (sameOut(in.h, stride) > out.h)
        ++stride;
      auto seq = make<SequenceNode>();
      Shape s = in;
      if (residual.getShortcut() == Shortcut::projection) {
        seq->add(conv(in, s, out.c, 1, stride, 1, nullptr));
        seq->add(make<BatchNormNode>(s));
      } else {
        seq->add(make<PoolNode>(in, PoolKind::avg, 2, 2));
        Shape pooled{in.c, sameOut(in.h, 2), sameOut(in.w, 2), true};
        seq->add(conv(pooled, s, out.c, 1, 1, 1, nullptr));
      }
      shortcut = seq;
    }
    return make<ResidualNode>(make<ScopeNode>(body), shortcut);
  }
  if (auto ref = dyn_cast<CellRefOp>(op))
    return cell(ref, shape);
  if (isa<ChooseOp, RepeatOp>(op))
    return fail(op, "is not concrete: materialize the candidate first");
  std::shared_ptr<NodeImpl> node = leaf(op, shape);
  if (node && nodes)
    nodes->try_emplace(op, node.get());
  return node;
}

std::shared_ptr<NodeImpl> NetworkBuilder::leaf(Operation *op, Shape &shape) {
  Shape in = shape;
  // Widths as the analysis settled them (pruning); inside a cell, from the
  // instance's own input (cells keep their nodes' width, never pruned).
  bool inCell = op->getParentOfType<CellOp>() != nullptr;
  auto width = [&](int64_t fallback) {
    auto it = inCell ? widths.end() : widths.find(op);
    return it != widths.end() ? it->second : getInt(op, "out", fallback);
  };
  if (isa<ConvOp>(op))
    return conv(in, shape, width(in.c), getInt(op, "kernel", 3),
                getInt(op, "stride", 1), getInt(op, "groups", 1), op);
  if (isa<SepConvOp>(op)) {
    auto seq = make<SequenceNode>();
    Shape s;
    seq->add(conv(in, s, in.c, getInt(op, "kernel", 3), getInt(op, "stride", 1),
                  in.c, op));
    seq->add(make<BatchNormNode>(s));
    seq->add(make<ActNode>(ActKind::relu));
    Shape t;
    seq->add(conv(s, t, width(in.c), 1, 1, 1, op));
    seq->add(make<BatchNormNode>(t));
    shape = t;
    return seq;
  }
  if (auto mb = dyn_cast<MBConvOp>(op)) {
    int64_t out = width(in.c);
    int64_t expand = getInt(op, "expand", 6);
    int64_t groups = getInt(op, "groups", 1);
    int64_t stride = getInt(op, "stride", 1);
    int64_t hidden = in.c * expand;
    auto seq = make<SequenceNode>();
    Shape s = in;
    if (expand > 1) {
      Shape e;
      seq->add(conv(s, e, hidden, 1, 1, groups, op));
      seq->add(make<BatchNormNode>(e));
      seq->add(make<ActNode>(ActKind::relu6));
      s = e;
    }
    Shape d;
    seq->add(conv(s, d, hidden, getInt(op, "kernel", 3), stride, hidden, op));
    seq->add(make<BatchNormNode>(d));
    seq->add(make<ActNode>(ActKind::relu6));
    if (mb.getSe())
      seq->add(make<SqueezeExciteNode>(hidden, hook));
    Shape p;
    seq->add(conv(d, p, out, 1, 1, groups, op));
    seq->add(make<BatchNormNode>(p));
    shape = p;
    if (stride == 1 && out == in.c)
      return make<AddInputNode>(seq);
    return seq;
  }
  if (auto pool = dyn_cast<PoolOp>(op)) {
    int64_t kernel = getInt(op, "kernel", 3), stride = getInt(op, "stride", 1);
    shape = Shape{in.c, sameOut(in.h, stride), sameOut(in.w, stride), true};
    return make<PoolNode>(in, pool.getKind(), kernel, stride);
  }
  if (auto pool = dyn_cast<GlobalPoolOp>(op)) {
    shape = Shape{in.c, 1, 1, true};
    return make<GlobalPoolNode>(pool.getKind());
  }
  if (isa<FCOp>(op)) {
    int64_t features = in.elements();
    int64_t out = width(features);
    shape = Shape{out, 1, 1, false};
    return make<LinearNode>(features, out, bits(op, "wbits"),
                            bits(op, "abits"));
  }
  if (isa<IdentityOp>(op)) {
    int64_t out = width(in.c);
    int64_t stride = getInt(op, "stride", 1);
    if (out == in.c && stride == 1)
      return make<IdentityNode>();
    auto seq = make<SequenceNode>();
    Shape s;
    seq->add(conv(in, s, out, 1, stride, 1, nullptr));
    seq->add(make<BatchNormNode>(s));
    shape = s;
    return seq;
  }
  if (isa<ZeroOp>(op))
    return make<ZeroNode>();
  if (isa<BatchNormOp>(op))
    return make<BatchNormNode>(in);
  if (auto act = dyn_cast<ActOp>(op))
    return make<ActNode>(act.getKind());
  return fail(op, "has no LibTorch lowering");
}

std::shared_ptr<NodeImpl> NetworkBuilder::cell(CellRefOp ref, Shape &shape) {
  auto cellOp =
      SymbolTable::lookupNearestSymbolFrom<CellOp>(ref, ref.getCellAttr());
  if (!cellOp)
    return fail(ref, "refers to an unknown cell");
  int64_t numNodes = cellOp.getNumNodesAttr().getInt();
  int64_t numInputs = cellOp.getNumInputsAttr().getInt();
  bool concat = cellOp.getOutput() == CellOutput::concat;
  auto node = make<CellNode>(numNodes, numInputs, concat);
  for (EdgeOp edge : getEdgesInOrder(cellOp)) {
    auto options = edge.getBody().getOps<OptionOp>();
    if (std::distance(options.begin(), options.end()) != 1)
      return fail(edge, "is not concrete: materialize the candidate first");
    Shape s = shape;
    auto op = sequence((*options.begin()).getBodyBlock(), s, false);
    if (!op)
      return nullptr;
    node->addEdge({edge.getFromAttr().getInt(), edge.getToAttr().getInt(), op});
  }
  if (concat)
    shape.c *= numNodes - numInputs;
  return node;
}

} // namespace

namespace nasc::eval {
bool writeOnnxModel(
    const std::string &path, const std::vector<int64_t> &inputShape,
    int64_t classes,
    const std::function<std::string(OnnxGraph &, const std::string &)> &build,
    std::string &error);
} // namespace nasc::eval

bool eval::exportOnnx(NetworkImpl &network, const std::string &path,
                      std::string &error) {
  torch::NoGradGuard noGrad;
  network.eval();
  // The number of classes: the output of a forward pass.
  std::vector<int64_t> dims = {1};
  dims.insert(dims.end(), network.inputShape.begin(), network.inputShape.end());
  int64_t classes = network.forward(torch::zeros(dims)).size(1);
  return writeOnnxModel(
      path, network.inputShape, classes,
      [&](OnnxGraph &graph, const std::string &input) {
        std::vector<std::string> history;
        return network.body->exportOnnx(graph, input, history);
      },
      error);
}

torch::Tensor NetworkImpl::forward(const torch::Tensor &x) {
  History history;
  return body->run(x, history);
}

std::shared_ptr<NetworkImpl> eval::buildNetwork(SpecOp spec,
                                                std::string &error) {
  // The analysis checks the shapes and settles every width.
  CostAnalysis costs(spec);
  if (costs.failed()) {
    error = "the candidate is ill-shaped or not concrete (see the "
            "diagnostics)";
    return nullptr;
  }
  auto network = std::make_shared<NetworkImpl>();
  const TensorShape &input = costs.getInputShape();
  Shape shape{input.channels, input.height, input.width, input.spatial};
  network->inputShape = input.spatial
                            ? std::vector<int64_t>{input.channels, input.height,
                                                   input.width}
                            : std::vector<int64_t>{input.channels};
  NetworkBuilder builder(spec, costs, &network->activationHook);
  builder.nodes = &network->nodeOf;
  auto body =
      builder.sequence(spec.getNetwork().getBodyBlock(), shape, true);
  if (!body) {
    error = builder.error;
    return nullptr;
  }
  network->body = body;
  network->register_module("net", body);
  return network;
}
