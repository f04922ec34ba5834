//===- WeightsExport.cpp - A candidate's LibTorch weights for the backends ===//
//
// The CPU backend takes its weights (and tests their reference outputs)
// from the network lib/Eval/Network.cpp builds, through one C entry point.
//
//===----------------------------------------------------------------------===//

#include "Network.h"

#include "nasc/Target/Common/TorchWeights.h"

#include <algorithm>
#include <chrono>

using namespace nasc;

/// Sets `network`'s parameters and BN statistics from `source`, module by
/// module in pre-order as the lowering consumes them.
static bool drawWeights(eval::NetworkImpl &network, WeightSource &source,
                        std::string &error) {
  for (const auto &item : network.named_modules()) {
    torch::nn::Module &module = *item.value();
    // Network.cpp's convolutions hold their own 4-D `weight`.
    bool conv = false;
    for (const auto &p : module.named_parameters(/*recurse=*/false))
      conv = conv || (p.key() == "weight" && p.value().dim() == 4);
    bool linear = module.as<torch::nn::LinearImpl>() != nullptr;
    bool norm = module.as<torch::nn::BatchNorm2dImpl>() != nullptr ||
                module.as<torch::nn::BatchNorm1dImpl>() != nullptr;
    auto draw = [&](const std::string &name, torch::Tensor tensor) {
      std::optional<ParamKind> kind;
      if (conv)
        kind = name == "weight" ? ParamKind::ConvWeight : ParamKind::ConvBias;
      else if (linear)
        kind = name == "weight" ? ParamKind::LinearWeight
                                : ParamKind::LinearBias;
      else if (norm)
        kind = name == "weight"         ? ParamKind::BNWeight
               : name == "bias"         ? ParamKind::BNBias
               : name == "running_mean" ? ParamKind::BNMean
                                        : ParamKind::BNVar;
      if (!kind) {
        error = "cannot draw parameter " + item.key() + "." + name +
                " of a module the lowering does not know";
        return false;
      }
      std::vector<float> data;
      if (!source.next(*kind, tensor.sizes().vec(), data, error))
        return false;
      tensor.copy_(torch::from_blob(data.data(), tensor.sizes(),
                                    torch::kFloat32)
                       .clone());
      return true;
    };
    for (const auto &p : module.named_parameters(/*recurse=*/false))
      if (!draw(p.key(), p.value()))
        return false;
    for (const auto &p : module.named_buffers(/*recurse=*/false))
      if (p.key() != "num_batches_tracked" && !draw(p.key(), p.value()))
        return false;
  }
  return source.exhausted(error);
}

static bool exportWeights(nas::SpecOp spec,
                          const target::TorchExportRequest &request,
                          std::vector<NamedTensor> &weights,
                          std::string &error) {
  torch::manual_seed(request.seed);
  std::shared_ptr<eval::NetworkImpl> network = eval::buildNetwork(spec, error);
  if (!network)
    return false;
  if (!request.checkpoint.empty()) {
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(request.checkpoint);
      network->load(archive);
    } catch (const std::exception &e) {
      error = request.checkpoint +
              ": not a LibTorch archive of this candidate's network (" +
              std::string(e.what()).substr(0, 200) + ")";
      return false;
    }
  }
  torch::NoGradGuard noGrad;
  if (request.checkpoint.empty() && request.initialWeights &&
      !drawWeights(*network, *request.initialWeights, error))
    return false;
  if (request.randomizeBatchNorm)
    for (const auto &module : network->modules()) {
      auto randomize = [](auto *bn) {
        int64_t c = bn->weight.size(0);
        bn->weight.copy_(torch::rand({c}) + 0.5);
        bn->bias.copy_(torch::rand({c}) - 0.5);
        bn->running_mean.copy_(torch::rand({c}) - 0.5);
        bn->running_var.copy_(torch::rand({c}) + 0.5);
      };
      if (auto *bn = module->as<torch::nn::BatchNorm2dImpl>())
        randomize(bn);
      else if (auto *bn1 = module->as<torch::nn::BatchNorm1dImpl>())
        randomize(bn1);
    }
  network->eval();
  if (!request.onnxPath.empty() &&
      !eval::exportOnnx(*network, request.onnxPath, error))
    return false;
  auto append = [&](const std::string &name, const torch::Tensor &value) {
    torch::Tensor t = value.detach().to(torch::kFloat32).contiguous();
    NamedTensor tensor;
    tensor.name = name;
    tensor.shape = t.sizes().vec();
    tensor.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    weights.push_back(std::move(tensor));
  };
  for (const auto &item : network->named_modules()) {
    std::string prefix = item.key().empty() ? "" : item.key() + ".";
    for (const auto &p : item.value()->named_parameters(/*recurse=*/false))
      append(prefix + p.key(), p.value());
    for (const auto &p : item.value()->named_buffers(/*recurse=*/false))
      if (p.key() != "num_batches_tracked")
        append(prefix + p.key(), p.value());
  }
  if (request.input && request.output) {
    std::vector<int64_t> dims{request.batch};
    dims.insert(dims.end(), network->inputShape.begin(),
                network->inputShape.end());
    torch::Tensor input =
        torch::from_blob(const_cast<float *>(request.input), dims,
                         torch::kFloat32)
            .clone();
    torch::Tensor out = network->forward(input).contiguous();
    if (request.repeats > 0 && request.medianMs) {
      torch::set_num_threads(1);
      for (int i = 0; i < 3; ++i)
        network->forward(input);
      std::vector<double> ms;
      for (int i = 0; i < request.repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        network->forward(input);
        ms.push_back(std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count());
      }
      std::sort(ms.begin(), ms.end());
      *request.medianMs = ms[ms.size() / 2];
    }
    request.output->assign(out.data_ptr<float>(),
                           out.data_ptr<float>() + out.numel());
  }
  return true;
}

extern "C" bool nascExportTorchWeights(mlir::Operation *spec,
                                       const target::TorchExportRequest *request,
                                       std::vector<NamedTensor> *weights,
                                       std::string *error) {
  auto specOp = llvm::dyn_cast_or_null<nas::SpecOp>(spec);
  if (!specOp) {
    *error = "not a nas.spec";
    return false;
  }
  try {
    return exportWeights(specOp, *request, *weights, *error);
  } catch (const std::exception &e) {
    *error = std::string("LibTorch: ") + e.what();
    return false;
  }
}
