//===- Network.cpp - A concrete candidate as a LibTorch module ------------===//
//
// Each primitive that nas/IR/LayerSemantics.h decomposes a layer into
// becomes a PyTorch module, so the network computes what the cost analysis
// counts (docs/analysis.md): convolutions without bias unless asked, BN with
// affine parameters, fc with bias, "same" padding (out = ceil(in / stride)).
// Layers with weight or activation bits below 32 train with fake
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

/// quantizeActivation as ONNX operators on `x`: the scale from the whole
/// tensor's largest magnitude (ReduceMax of Abs, at least 1e-8, over the
/// levels), then Round (half to even, as torch::round) and Clip to the
/// levels, times the scale. QuantizeLinear cannot say it: it saturates to
/// int8's range, not to fewer bits' levels.
std::string exportActivationQuantization(OnnxGraph &graph,
                                         const std::string &x, int64_t bits) {
  if (bits >= 32)
    return x;
  float levels = float((int64_t(1) << (bits - 1)) - 1);
  std::string peak = graph.node("ReduceMax", {graph.node("Abs", {x})},
                                {OnnxAttr::integer("keepdims", 0)});
  std::string least = graph.initializer("quant.least_scale", {}, {1e-8f});
  std::string scale =
      graph.node("Div", {graph.node("Max", {peak, least}),
                         graph.initializer("quant.levels", {}, {levels})});
  std::string rounded =
      graph.node("Round", {graph.node("Div", {x, scale})});
  std::string clipped = graph.node(
      "Clip", {rounded, graph.initializer("quant.lowest", {}, {-levels}),
               graph.initializer("quant.highest", {}, {levels})});
  return graph.node("Mul", {clipped, scale});
}

//===----------------------------------------------------------------------===//
// Primitive nodes
//===----------------------------------------------------------------------===//

/// A k x k convolution with "same" padding, no bias unless asked.
class ConvNode : public NodeImpl {
public:
  ConvNode(const TensorShape &in, const ConvSpec &spec)
      : kernel(spec.kernel), stride(spec.stride), groups(spec.groups),
        wbits(spec.wbits), abits(spec.abits) {
    weight = register_parameter(
        "weight",
        torch::empty({spec.out, in.channels / groups, kernel, kernel}));
    // Kaiming (fan out), as torchvision's MobileNet/ResNet.
    torch::nn::init::kaiming_normal_(weight, 0.0, torch::kFanOut,
                                     torch::kReLU);
    if (spec.bias)
      this->bias = register_parameter("bias", torch::zeros({spec.out}));
    SamePadding pads = getSamePadding(in, kernel, stride);
    symmetric = pads.isSymmetric();
    padding = {pads.left, pads.right, pads.top, pads.bottom};
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
        exportActivationQuantization(graph, input, abits),
        initializer(graph, "conv.weight", quantizeWeight(weight, wbits))};
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
    std::string flat = exportActivationQuantization(
        graph, graph.node("Flatten", {input}, {OnnxAttr::integer("axis", 1)}),
        abits);
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
  explicit BatchNormNode(const TensorShape &in) : spatial(in.spatial) {
    if (spatial)
      bn2 = register_module("bn", torch::nn::BatchNorm2d(in.channels));
    else
      bn1 = register_module("bn", torch::nn::BatchNorm1d(in.channels));
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

/// torch's hardsigmoid: relu6(x + 3) / 6 (the gate of a
/// squeeze-and-excitation).
class HardSigmoidNode : public NodeImpl {
public:
  torch::Tensor run(const torch::Tensor &x, History &) override {
    return torch::hardsigmoid(x);
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    return graph.node("HardSigmoid", {input},
                      {OnnxAttr::real("alpha", 1.0f / 6),
                       OnnxAttr::real("beta", 0.5f)});
  }
};

class PoolNode : public NodeImpl {
public:
  PoolNode(const TensorShape &in, PoolKind kind, int64_t kernel,
           int64_t stride)
      : kind(kind), kernel(kernel), stride(stride) {
    SamePadding pads = getSamePadding(in, kernel, stride);
    symmetric = pads.isSymmetric();
    padding = {pads.left, pads.right, pads.top, pads.bottom};
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
    // As run(): symmetric padding is not counted; uneven padding is zeros
    // the window averages over.
    attrs.push_back(OnnxAttr::integer("count_include_pad", symmetric ? 0 : 1));
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

/// Channel shuffle: [N, g, C/g, H, W] transposed to [N, C/g, g, H, W].
class ShuffleNode : public NodeImpl {
public:
  explicit ShuffleNode(int64_t groups) : groups(groups) {}
  torch::Tensor run(const torch::Tensor &x, History &) override {
    int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    return x.view({n, groups, c / groups, h, w})
        .transpose(1, 2)
        .contiguous()
        .view({n, c, h, w});
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &) override {
    // Output channel i * groups + g reads input channel g * (C/g) + i: a
    // Gather along the channels.
    std::vector<int64_t> order;
    for (int64_t i = 0; i < channels / groups; ++i)
      for (int64_t g = 0; g < groups; ++g)
        order.push_back(g * (channels / groups) + i);
    return graph.node(
        "Gather",
        {input, graph.integerInitializer("shuffle", {channels}, order)},
        {OnnxAttr::integer("axis", 1)});
  }
  int64_t channels = 0;

private:
  int64_t groups;
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

/// The primitives of one layer (or of a residual's shortcut) as a small
/// dataflow program: value 0 is the input, step i writes value i + 1 from
/// one value through a module, or from two by an element-wise sum or a
/// channel scaling.
class ProgramNode : public NodeImpl {
public:
  enum class Combine { None, Add, Scale };
  struct Step {
    std::shared_ptr<NodeImpl> node; // null for Add and Scale
    Combine combine = Combine::None;
    int input = 0, other = -1;
  };

  int addModule(std::shared_ptr<NodeImpl> node, int input) {
    register_module("n" + std::to_string(steps.size()), node);
    steps.push_back({std::move(node), Combine::None, input});
    return int(steps.size());
  }
  int addCombine(Combine combine, int input, int other) {
    steps.push_back({nullptr, combine, input, other});
    return int(steps.size());
  }
  /// The only module, when the program is one module applied to its input.
  std::shared_ptr<NodeImpl> getSingleModule() const {
    if (result == 1 && steps.size() == 1 && steps[0].node)
      return steps[0].node;
    return nullptr;
  }
  int result = 0;

  torch::Tensor run(const torch::Tensor &x, History &history) override {
    std::vector<torch::Tensor> values{x};
    values.reserve(steps.size() + 1);
    for (const Step &step : steps) {
      const torch::Tensor &in = values[step.input];
      switch (step.combine) {
      case Combine::None:
        values.push_back(step.node->run(in, history));
        break;
      case Combine::Add:
        values.push_back(in + values[step.other]);
        break;
      case Combine::Scale:
        values.push_back(in * values[step.other]);
        break;
      }
    }
    return values[result];
  }
  std::string exportOnnx(OnnxGraph &graph, const std::string &input,
                         std::vector<std::string> &history) override {
    std::vector<std::string> values{input};
    for (const Step &step : steps) {
      const std::string &in = values[step.input];
      switch (step.combine) {
      case Combine::None:
        values.push_back(step.node->exportOnnx(graph, in, history));
        break;
      case Combine::Add:
        values.push_back(graph.node("Add", {in, values[step.other]}));
        break;
      case Combine::Scale:
        values.push_back(graph.node("Mul", {in, values[step.other]}));
        break;
      }
    }
    return values[result];
  }

private:
  std::vector<Step> steps;
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
      : widths(costs), hook(hook) {
    for (CompressOp op : spec.getBodyBlock().getOps<CompressOp>())
      compress = op;
  }

  std::shared_ptr<SequenceNode> sequence(Block &body, TensorShape &shape);
  std::string error;
  /// Filled with the node of each leaf layer op (its first, in cells).
  llvm::DenseMap<Operation *, NodeImpl *> *nodes = nullptr;

private:
  /// nas::buildLayer's builder: appends the primitives to a program.
  struct ProgramBuilder;

  std::shared_ptr<NodeImpl> layer(Operation *op, TensorShape &shape);
  std::shared_ptr<NodeImpl> cell(CellRefOp ref, TensorShape &shape);
  /// The node of a built program: its module when it is only one (a conv,
  /// a BN: what pruning and the supernet look up), else the program.
  static std::shared_ptr<NodeImpl>
  getNode(const std::shared_ptr<ProgramNode> &program);
  void fail(Operation *op, const Twine &message) {
    if (error.empty())
      error = (stringifyOp(op) + ": " + message).str();
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

  CompressOp compress;
  SettledWidths widths;
  std::function<void(const torch::Tensor &)> *hook;
  /// The input channels of the user-op calls around the layer being built,
  /// innermost last (LayerSemantics.h).
  SmallVector<int64_t, 4> scopeInputs;
};

struct NetworkBuilder::ProgramBuilder {
  /// A value of the program and its shape.
  struct Value {
    TensorShape shape;
    int index = 0;
  };
  NetworkBuilder &net;
  ProgramNode &program;

  TensorShape getShape(const Value &x) const { return x.shape; }
  ArrayRef<int64_t> getScopeInputs() const { return net.scopeInputs; }
  int64_t getInt(Operation *op, StringRef name, int64_t defaultValue) const {
    return getIntParam(op->getAttr(name), net.scopeInputs, defaultValue);
  }
  int64_t getBits(Operation *op, StringRef name) const {
    return getBitWidth(op, name, net.compress);
  }
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth,
                              int64_t) const {
    return net.widths.lookup(op, defaultWidth);
  }
  LogicalResult fail(Operation *op, const Twine &message) {
    net.fail(op, message);
    return failure();
  }
  Value apply(std::shared_ptr<NodeImpl> node, const Value &x,
              const TensorShape &shape) {
    return {shape, program.addModule(std::move(node), x.index)};
  }
  FailureOr<Value> conv(const Value &x, const ConvSpec &spec) {
    return apply(net.make<ConvNode>(x.shape, spec), x,
                 getConvShape(x.shape, spec));
  }
  FailureOr<Value> batchNorm(const Value &x) {
    return apply(net.make<BatchNormNode>(x.shape), x, x.shape);
  }
  FailureOr<Value> activation(const Value &x, ActKind kind) {
    return apply(net.make<ActNode>(kind), x, x.shape);
  }
  FailureOr<Value> hardSigmoid(const Value &x) {
    return apply(net.make<HardSigmoidNode>(), x, x.shape);
  }
  FailureOr<Value> pool(const Value &x, PoolKind kind, int64_t kernel,
                        int64_t stride) {
    return apply(net.make<PoolNode>(x.shape, kind, kernel, stride), x,
                 getPoolShape(x.shape, stride));
  }
  FailureOr<Value> globalPool(const Value &x, PoolKind kind) {
    return apply(net.make<GlobalPoolNode>(kind), x,
                 TensorShape::image(x.shape.channels, 1, 1));
  }
  FailureOr<Value> linear(const Value &x, const LinearSpec &spec) {
    int64_t features = int64_t(x.shape.getNumElements());
    return apply(
        net.make<LinearNode>(features, spec.out, spec.wbits, spec.abits), x,
        TensorShape::flat(spec.out));
  }
  FailureOr<Value> add(const Value &x, const Value &y) {
    return Value{x.shape, program.addCombine(ProgramNode::Combine::Add,
                                             x.index, y.index)};
  }
  FailureOr<Value> scaleChannels(const Value &x, const Value &gate) {
    return Value{x.shape, program.addCombine(ProgramNode::Combine::Scale,
                                             x.index, gate.index)};
  }
  FailureOr<Value> zeros(const Value &x) {
    return apply(net.make<ZeroNode>(), x, x.shape);
  }
  FailureOr<Value> shuffle(const Value &x, int64_t groups) {
    auto node = net.make<ShuffleNode>(groups);
    node->channels = x.shape.channels;
    return apply(std::move(node), x, x.shape);
  }
};

std::shared_ptr<NodeImpl>
NetworkBuilder::getNode(const std::shared_ptr<ProgramNode> &program) {
  if (std::shared_ptr<NodeImpl> single = program->getSingleModule())
    return single;
  return program;
}

std::shared_ptr<SequenceNode> NetworkBuilder::sequence(Block &body,
                                                       TensorShape &shape) {
  auto seq = make<SequenceNode>();
  for (Operation &op : body) {
    std::shared_ptr<NodeImpl> node = layer(&op, shape);
    if (!node)
      return nullptr;
    // A stage's layers are the sequence's own: it pushes them itself.
    seq->add(node, !isa<StageOp>(op));
  }
  return seq;
}

std::shared_ptr<NodeImpl> NetworkBuilder::layer(Operation *op,
                                                TensorShape &shape) {
  if (auto stage = dyn_cast<StageOp>(op))
    return sequence(stage.getBodyBlock(), shape);
  if (auto block = dyn_cast<BlockOp>(op)) {
    if (block.getScope())
      scopeInputs.push_back(shape.channels);
    std::shared_ptr<SequenceNode> body = sequence(block.getBodyBlock(), shape);
    if (block.getScope())
      scopeInputs.pop_back();
    return body ? make<ScopeNode>(body) : nullptr;
  }
  if (auto residual = dyn_cast<ResidualOp>(op)) {
    TensorShape in = shape;
    auto body = sequence(residual.getBodyBlock(), shape);
    if (!body)
      return nullptr;
    if (!addsShortcut(residual, in, shape))
      return make<ScopeNode>(body);
    auto program = make<ProgramNode>();
    ProgramBuilder builder{*this, *program};
    FailureOr<ProgramBuilder::Value> shortcut =
        buildShortcut(builder, residual, ProgramBuilder::Value{in, 0}, shape);
    if (failed(shortcut))
      return nullptr;
    program->result = shortcut->index;
    return make<ResidualNode>(make<ScopeNode>(body),
                              program->result == 0 ? nullptr
                                                   : getNode(program));
  }
  if (auto ref = dyn_cast<CellRefOp>(op))
    return cell(ref, shape);
  if (isa<ChooseOp, RepeatOp>(op)) {
    fail(op, "is not concrete: materialize the candidate first");
    return nullptr;
  }
  auto program = make<ProgramNode>();
  ProgramBuilder builder{*this, *program};
  FailureOr<ProgramBuilder::Value> out =
      buildLayer(builder, op, ProgramBuilder::Value{shape, 0});
  if (failed(out))
    return nullptr;
  program->result = out->index;
  shape = out->shape;
  std::shared_ptr<NodeImpl> node =
      program->result == 0 ? make<IdentityNode>() : getNode(program);
  if (nodes)
    nodes->try_emplace(op, node.get());
  return node;
}

std::shared_ptr<NodeImpl> NetworkBuilder::cell(CellRefOp ref,
                                               TensorShape &shape) {
  auto cellOp =
      SymbolTable::lookupNearestSymbolFrom<CellOp>(ref, ref.getCellAttr());
  if (!cellOp) {
    fail(ref, "refers to an unknown cell");
    return nullptr;
  }
  int64_t numNodes = cellOp.getNumNodesAttr().getInt();
  int64_t numInputs = cellOp.getNumInputsAttr().getInt();
  bool concat = cellOp.getOutput() == CellOutput::concat;
  auto node = make<CellNode>(numNodes, numInputs, concat);
  for (EdgeOp edge : getEdgesInOrder(cellOp)) {
    auto options = edge.getBody().getOps<OptionOp>();
    if (std::distance(options.begin(), options.end()) != 1) {
      fail(edge, "is not concrete: materialize the candidate first");
      return nullptr;
    }
    TensorShape s = shape;
    auto op = sequence((*options.begin()).getBodyBlock(), s);
    if (!op)
      return nullptr;
    node->addEdge({edge.getFromAttr().getInt(), edge.getToAttr().getInt(), op});
  }
  if (concat)
    shape.channels *= numNodes - numInputs;
  return node;
}

} // namespace

namespace nasc::eval {
bool writeOnnxModel(
    const std::string &path, const std::vector<int64_t> &inputShape,
    const std::vector<int64_t> &outputShape,
    const std::function<std::string(OnnxGraph &, const std::string &)> &build,
    std::string &error);
} // namespace nasc::eval

bool eval::exportOnnx(NetworkImpl &network, const std::string &path,
                      std::string &error) {
  torch::NoGradGuard noGrad;
  network.eval();
  // The output's shape, a sample's: that of a forward pass ([classes],
  // or [C, H, W] for a network without a classifier).
  std::vector<int64_t> dims = {1};
  dims.insert(dims.end(), network.inputShape.begin(), network.inputShape.end());
  std::vector<int64_t> outputShape =
      network.forward(torch::zeros(dims)).sizes().slice(1).vec();
  return writeOnnxModel(
      path, network.inputShape, outputShape,
      [&](OnnxGraph &graph, const std::string &input) {
        std::vector<std::string> history;
        return network.body->exportOnnx(graph, input, history);
      },
      error);
}

torch::Tensor NetworkImpl::forward(const torch::Tensor &x) {
  History history;
  // A candidate of a searched input resolution sees the images resized to
  // its own (bilinear), as Once-for-All trains at each resolution.
  if (x.dim() == 4 && inputShape.size() == 3 &&
      (x.size(2) != inputShape[1] || x.size(3) != inputShape[2]))
    return body->run(F::interpolate(x, F::InterpolateFuncOptions()
                                           .size(std::vector<int64_t>{
                                               inputShape[1], inputShape[2]})
                                           .mode(torch::kBilinear)
                                           .align_corners(false)),
                     history);
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
  TensorShape shape = input;
  network->inputShape = input.spatial
                            ? std::vector<int64_t>{input.channels, input.height,
                                                   input.width}
                            : std::vector<int64_t>{input.channels};
  NetworkBuilder builder(spec, costs, &network->activationHook);
  builder.nodes = &network->nodeOf;
  auto body = builder.sequence(spec.getNetwork().getBodyBlock(), shape);
  if (!body) {
    error = builder.error;
    return nullptr;
  }
  network->body = body;
  network->register_module("net", body);
  return network;
}
