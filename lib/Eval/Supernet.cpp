//===- Supernet.cpp - One set of weights for every candidate --------------===//

#include "Supernet.h"


#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace nasc;
using namespace nasc::eval;

/// The store keys of a network's parameters: "role [shape] #rank", the
/// role being the module path without sequence positions ("n3").
static std::vector<std::string> getKeys(NetworkImpl &network) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (auto &item : network.named_parameters()) {
    llvm::SmallVector<llvm::StringRef> parts;
    llvm::StringRef(item.key()).split(parts, '.');
    std::string key;
    for (llvm::StringRef part : parts) {
      if (part.size() > 1 && part[0] == 'n' &&
          llvm::all_of(part.drop_front(), [](char c) { return llvm::isDigit(c); }))
        continue;
      key += (key.empty() ? "" : ".") + part.str();
    }
    key += " [";
    const torch::Tensor &t = item.value();
    for (int64_t d = 0; d < t.dim(); ++d)
      key += (d ? ", " : "") + std::to_string(t.size(d));
    key += "]";
    int rank = seen[key]++;
    keys.push_back(key + " #" + std::to_string(rank));
  }
  return keys;
}

Supernet::Supernet(const Space &space, const TrainSettings &settings,
                   std::shared_ptr<const TorchEvaluator::Data> data)
    : space(space), settings(settings), data(std::move(data)),
      random(settings.seed ^ 0x5eed5afe) {
  selectProxySubset(*this->data, settings.proxyFraction, images, labels);
}

const Supernet::Path *Supernet::getPath(const Candidate &candidate,
                                        llvm::StringRef encoding,
                                        std::string &error) {
  auto it = paths.find(encoding.str());
  if (it != paths.end())
    return &it->second;
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  // Weights a candidate is the first to have start from its own seed.
  torch::manual_seed(settings.seed ^ stableHash(encoding));
  std::shared_ptr<NetworkImpl> network =
      buildNetwork(*concrete->getOps<nas::SpecOp>().begin(), error);
  if (!network)
    return nullptr;
  if (paths.size() >= kMaxPaths)
    paths.clear();
  Path &path = paths[encoding.str()];
  path.network = network;
  path.keys = getKeys(*network);
  return &path;
}

void Supernet::load(const Path &path) {
  torch::NoGradGuard noGrad;
  size_t i = 0;
  for (auto &item : path.network->named_parameters()) {
    const std::string &key = path.keys[i++];
    auto [it, fresh] = weights.try_emplace(key);
    if (fresh) {
      it->second = item.value().detach().clone();
      momentum[key] = torch::zeros_like(it->second);
    } else {
      item.value().copy_(it->second);
    }
  }
}

std::pair<torch::Tensor, torch::Tensor> Supernet::nextBatch() {
  int64_t n = images.size(0);
  int64_t batch = std::min<int64_t>(n, std::max<int64_t>(1, settings.batchSize));
  if (order.empty() || cursor + batch > order.size()) {
    order.resize(n);
    std::iota(order.begin(), order.end(), 0);
    for (int64_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[random.below(uint64_t(i + 1))]);
    cursor = 0;
  }
  torch::Tensor index =
      torch::tensor(std::vector<int64_t>(order.begin() + cursor,
                                         order.begin() + cursor + batch),
                    torch::kInt64);
  cursor += batch;
  return {images.index_select(0, index), labels.index_select(0, index)};
}

double Supernet::step(const Path &path, const torch::Tensor &x,
                      const torch::Tensor &y, double rate) {
  NetworkImpl &network = *path.network;
  network.train();
  network.zero_grad();
  torch::Tensor loss =
      torch::nn::functional::cross_entropy(network.forward(x), y);
  loss.backward();
  torch::NoGradGuard noGrad;
  size_t i = 0;
  for (auto &item : network.named_parameters()) {
    const std::string &key = path.keys[i++];
    if (!item.value().grad().defined())
      continue;
    torch::Tensor &w = weights[key];
    torch::Tensor &v = momentum[key];
    torch::Tensor g = item.value().grad() + 5e-4 * w;
    v.mul_(0.9).add_(g);
    w.sub_(rate * (g + 0.9 * v)); // Nesterov
  }
  return loss.item<double>();
}

bool Supernet::warmUp(const CancellationToken *cancel) {
  std::lock_guard<std::mutex> lock(mutex);
  if (warm)
    return true;
  auto start = std::chrono::steady_clock::now();
  int64_t n = images.size(0);
  int64_t batch = std::max<int64_t>(1, settings.batchSize);
  int64_t stepsPerEpoch = std::max<int64_t>(1, n / batch);
  int64_t total = stepsPerEpoch * std::max<int64_t>(0, settings.epochs);
  double lossSum = 0;
  for (int64_t s = 0; s < total; ++s) {
    if (isCancelled(cancel))
      return false;
    Candidate candidate = space.sample(random);
    std::string error;
    const Path *path = getPath(candidate, space.encode(candidate), error);
    if (!path)
      continue; // an ill-shaped path trains nothing
    load(*path);
    auto [x, y] = nextBatch();
    double rate = settings.learningRate * 0.5 *
                  (1 + std::cos(M_PI * double(s) / double(total)));
    lossSum += step(*path, x, y, rate);
    if (settings.verbose && (s + 1) % stepsPerEpoch == 0) {
      llvm::errs() << "  supernet epoch " << (s + 1) / stepsPerEpoch << "/"
                   << settings.epochs << ": loss "
                   << llvm::format("%.4f", lossSum / double(stepsPerEpoch))
                   << ", " << weights.size() << " shared tensors, "
                   << llvm::format(
                          "%.1f s",
                          std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count())
                   << "\n";
      lossSum = 0;
    }
  }
  warm = true;
  return true;
}

void Supernet::trainOn(const Candidate &candidate, llvm::StringRef encoding,
                       int64_t steps, const CancellationToken *cancel) {
  std::lock_guard<std::mutex> lock(mutex);
  std::string error;
  const Path *path = getPath(candidate, encoding, error);
  if (!path)
    return;
  load(*path);
  for (int64_t s = 0; s < steps && !isCancelled(cancel); ++s) {
    auto [x, y] = nextBatch();
    // A tenth of the warm-up's initial rate: these steps refine.
    step(*path, x, y, settings.learningRate * 0.1);
  }
}

double Supernet::score(const Candidate &candidate, llvm::StringRef encoding,
                       std::string &error) {
  // One candidate at a time: scoring changes the path's batch-norm
  // statistics (which training, in batch mode, does not read).
  std::lock_guard<std::mutex> lock(mutex);
  const Path *path = getPath(candidate, encoding, error);
  if (!path)
    return -1;
  load(*path);
  NetworkImpl *network = path->network.get();
  // Batch-norm statistics of this path (the shared running statistics
  // would mix paths).
  recomputeBatchNormStatistics(*network, images, settings.calibrationBatches);
  return accuracyOn(*network, data->validImages, data->validLabels);
}
