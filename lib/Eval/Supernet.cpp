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

bool Supernet::step(const Path &path, const torch::Tensor &x,
                    const torch::Tensor &y, double rate, Collective *group,
                    bool stop, double &loss) {
  int64_t shards = std::max<int64_t>(1, settings.shards);
  int64_t rank = group ? group->getRank() : 0;
  int64_t processes = group ? group->getSize() : 1;
  loss = accumulate(path, x, y, shards, rank, processes);
  if (group && sumOver(*group, path, loss, stop))
    return false;
  update(path, rate);
  return true;
}

double Supernet::accumulate(const Path &path, const torch::Tensor &x,
                            const torch::Tensor &y, int64_t shards,
                            int64_t first, int64_t stride) {
  NetworkImpl &network = *path.network;
  network.train();
  network.zero_grad();
  int64_t rows = x.size(0);
  double loss = 0;
  for (int64_t k = first; k < shards; k += stride) {
    int64_t begin = k * rows / shards, end = (k + 1) * rows / shards;
    if (end <= begin)
      continue;
    torch::Tensor shardLoss = torch::nn::functional::cross_entropy(
        network.forward(x.slice(0, begin, end)), y.slice(0, begin, end));
    if (shards > 1)
      shardLoss = shardLoss * (double(end - begin) / double(rows));
    shardLoss.backward();
    loss += shardLoss.item<double>();
  }
  return loss;
}

bool Supernet::sumOver(Collective &group, const Path &path, double &loss,
                       bool stop) {
  // One buffer: per parameter whether it has a gradient, then the
  // gradient (zeros without); the loss; the stop flag.
  std::vector<torch::Tensor> parameters = path.network->parameters();
  std::vector<torch::Tensor> parts;
  for (const torch::Tensor &p : parameters) {
    bool has = p.grad().defined();
    parts.push_back(torch::full({1}, has ? 1.0f : 0.0f));
    parts.push_back(has ? p.grad().detach().reshape({-1}).to(torch::kFloat)
                        : torch::zeros({p.numel()}));
  }
  parts.push_back(torch::tensor({float(loss), stop ? 1.0f : 0.0f}));
  torch::Tensor buffer = torch::cat(parts).contiguous();
  group.allReduceSum(buffer.data_ptr<float>(), size_t(buffer.numel()));
  torch::NoGradGuard noGrad;
  const float *sums = buffer.data_ptr<float>();
  int64_t offset = 0;
  for (torch::Tensor p : parameters) {
    bool has = sums[offset] > 0;
    torch::Tensor sum =
        buffer.narrow(0, offset + 1, p.numel()).view(p.sizes()).clone();
    offset += 1 + p.numel();
    if (has)
      p.mutable_grad() = sum;
  }
  loss = sums[offset];
  return sums[offset + 1] > 0;
}

void Supernet::update(const Path &path, double rate) {
  torch::NoGradGuard noGrad;
  size_t i = 0;
  for (auto &item : path.network->named_parameters()) {
    const std::string &key = path.keys[i++];
    if (!item.value().grad().defined())
      continue;
    torch::Tensor &w = weights[key];
    torch::Tensor &v = momentum[key];
    torch::Tensor g = item.value().grad() + 5e-4 * w;
    v.mul_(0.9).add_(g);
    w.sub_(rate * (g + 0.9 * v)); // Nesterov
  }
}

bool Supernet::warmUp(const CancellationToken *cancel, Collective *group) {
  std::lock_guard<std::mutex> lock(mutex);
  if (warm)
    return true;
  // The group's processes start together: the clock then times training,
  // not another process still loading its data.
  if (group) {
    float ready = 0;
    group->allReduceSum(&ready, 1);
  }
  auto start = std::chrono::steady_clock::now();
  int64_t n = images.size(0);
  int64_t batch = std::max<int64_t>(1, settings.batchSize);
  int64_t stepsPerEpoch = std::max<int64_t>(1, n / batch);
  int64_t total = stepsPerEpoch * std::max<int64_t>(0, settings.epochs);
  int64_t shards = std::max<int64_t>(1, settings.shards);
  int64_t rank = group ? group->getRank() : 0;
  int64_t processes = group ? group->getSize() : 1;
  // One process of a group speaks for it.
  bool verbose = settings.verbose && rank == 0;
  if (verbose && (shards > 1 || processes > 1))
    llvm::errs() << "  supernet: each batch of " << batch << " in " << shards
                 << " shard" << (shards > 1 ? "s" : "")
                 << (processes > 1 ? " over " + std::to_string(processes) +
                                         " processes"
                                   : std::string())
                 << "\n";
  double lossSum = 0;
  for (int64_t s = 0; s < total; ++s) {
    // Alone, a stop is seen at once; in a group, with the step's sums, so
    // that every process stops at the same step.
    if (!group && isCancelled(cancel))
      return false;
    // Every process draws the same candidate and batch.
    Candidate candidate = space.sample(random);
    std::string error;
    const Path *path = getPath(candidate, space.encode(candidate), error);
    if (!path)
      continue; // an ill-shaped path trains nothing (on every process)
    load(*path);
    auto [x, y] = nextBatch();
    double rate = settings.learningRate * 0.5 *
                  (1 + std::cos(M_PI * double(s) / double(total)));
    double loss;
    if (!step(*path, x, y, rate, group, isCancelled(cancel), loss))
      return false;
    lossSum += loss;
    if (verbose && (s + 1) % stepsPerEpoch == 0) {
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

bool Supernet::trainOn(const Candidate &candidate, llvm::StringRef encoding,
                       int64_t steps, const CancellationToken *cancel,
                       Collective *group) {
  std::lock_guard<std::mutex> lock(mutex);
  std::string error;
  const Path *path = getPath(candidate, encoding, error);
  if (!path)
    return true; // nothing to train (on every process)
  load(*path);
  for (int64_t s = 0; s < steps; ++s) {
    if (!group && isCancelled(cancel))
      return false;
    auto [x, y] = nextBatch();
    // A tenth of the warm-up's initial rate: these steps refine.
    double loss;
    if (!step(*path, x, y, settings.learningRate * 0.1, group,
              isCancelled(cancel), loss))
      return false;
  }
  return true;
}

double Supernet::score(const Candidate &candidate, llvm::StringRef encoding,
                       std::string &error, Collective *group) {
  // One candidate at a time: scoring changes the path's batch-norm
  // statistics (which training, in batch mode, does not read).
  std::lock_guard<std::mutex> lock(mutex);
  const Path *path = getPath(candidate, encoding, error);
  if (!path)
    return -1;
  load(*path);
  NetworkImpl *network = path->network.get();
  // Batch-norm statistics of this path (the shared running statistics
  // would mix paths), the same on every process.
  recomputeBatchNormStatistics(*network, images, settings.calibrationBatches);
  if (!group)
    return accuracyOn(*network, data->validImages, data->validLabels);
  // Each process its share of the validation images; the counts summed.
  int64_t n = data->validImages.size(0);
  int64_t rank = group->getRank(), processes = group->getSize();
  int64_t begin = rank * n / processes, end = (rank + 1) * n / processes;
  float correct[1] = {float(
      double(end - begin) *
      accuracyOn(*network, data->validImages.slice(0, begin, end),
                 data->validLabels.slice(0, begin, end)))};
  correct[0] = std::round(correct[0]);
  group->allReduceSum(correct, 1);
  return n ? double(correct[0]) / double(n) : 0.0;
}
