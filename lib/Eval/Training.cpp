//===- Training.cpp - Data, training and zero-cost proxies ----------------===//
//
// Reads IDX datasets (gzipped or not) with zlib, adapts the images to the
// spec's input shape, trains candidates with SGD or Adam under a cosine,
// multistep or constant schedule with early stopping, and computes the
// SynFlow and NASWOT zero-cost proxies (docs/evaluation.md).
//
//===----------------------------------------------------------------------===//

#include "nasc/Eval/TorchEvaluator.h"

#include "Network.h"
#include "Supernet.h"
#include "TrainingCore.h"

#include "nasc/Analysis/Costs.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <malloc.h>
#include <zlib.h>

#include <chrono>
#include <map>
#include <optional>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace nasc;
using namespace nasc::eval;
using namespace nasc::nas;

//===----------------------------------------------------------------------===//
// Data
//===----------------------------------------------------------------------===//

/// An IDX file, gzipped or not (zlib reads both).
static bool readIdx(const std::string &path, std::vector<int64_t> &dims,
                    std::vector<uint8_t> &bytes, std::string &error) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) {
    error = path + ": cannot open";
    return false;
  }
  auto fail = [&](const std::string &why) {
    gzclose(file);
    error = path + ": " + why;
    return false;
  };
  unsigned char header[4];
  if (gzread(file, header, 4) != 4)
    return fail("not an IDX file (no header)");
  // Magic: 0, 0, type (0x08 = unsigned byte), number of dimensions.
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 ||
      header[3] == 0 || header[3] > 4)
    return fail("not an IDX file of unsigned bytes (bad magic number)");
  dims.clear();
  int64_t total = 1;
  for (int d = 0; d < header[3]; ++d) {
    unsigned char size[4];
    if (gzread(file, size, 4) != 4)
      return fail("truncated header");
    int64_t n = (int64_t(size[0]) << 24) | (int64_t(size[1]) << 16) |
                (int64_t(size[2]) << 8) | int64_t(size[3]);
    dims.push_back(n);
    total *= n;
  }
  bytes.resize(size_t(total));
  int64_t done = 0;
  while (done < total) {
    int chunk = int(std::min<int64_t>(total - done, 1 << 30));
    int read = gzread(file, bytes.data() + done, unsigned(chunk));
    if (read <= 0)
      return fail("truncated: expected " + std::to_string(total) +
                  " bytes of data, found " + std::to_string(done));
    done += read;
  }
  gzclose(file);
  return true;
}

/// The first of `name`.gz or `name` in `dir` that exists.
static std::string findFile(const std::string &dir, const std::string &name) {
  for (std::string candidate : {dir + "/" + name + ".gz", dir + "/" + name}) {
    if (FILE *f = std::fopen(candidate.c_str(), "rb")) {
      std::fclose(f);
      return candidate;
    }
  }
  return dir + "/" + name + ".gz";
}

/// Images [N, 1, R, C] as floats normalized like torchvision's
/// Fashion-MNIST examples (mean 0.2860, std 0.3530), adapted to `shape`.
static torch::Tensor adapt(const std::vector<uint8_t> &bytes,
                           const std::vector<int64_t> &dims,
                           const std::vector<int64_t> &shape) {
  torch::Tensor images =
      torch::from_blob(const_cast<uint8_t *>(bytes.data()),
                       {dims[0], 1, dims[1], dims[2]}, torch::kUInt8)
          .to(torch::kFloat32)
          .div(255.0)
          .sub(0.2860)
          .div(0.3530);
  if (shape.size() == 1)
    return images.reshape({dims[0], -1});
  int64_t c = shape[0], h = shape[1], w = shape[2];
  if (h >= dims[1] && w >= dims[2]) {
    // Larger: zero-pad, centred (the background's normalized value).
    int64_t top = (h - dims[1]) / 2, left = (w - dims[2]) / 2;
    images = torch::nn::functional::pad(
        images, torch::nn::functional::PadFuncOptions(
                    {left, w - dims[2] - left, top, h - dims[1] - top})
                    .value(-0.2860 / 0.3530));
  } else {
    images = torch::nn::functional::interpolate(
        images, torch::nn::functional::InterpolateFuncOptions()
                    .size(std::vector<int64_t>{h, w})
                    .mode(torch::kBilinear)
                    .align_corners(false));
  }
  if (c != 1)
    images = images.expand({dims[0], c, h, w}).contiguous();
  return images;
}

static std::shared_ptr<TorchEvaluator::Data>
loadData(const TrainSettings &settings, const std::vector<int64_t> &shape,
         int64_t classes, std::string &error) {
  auto data = std::make_shared<TorchEvaluator::Data>();
  data->classes = classes;
  data->fileShape = {1, 0, 0};
  std::vector<int64_t> dims[4];
  std::vector<uint8_t> bytes[4];
  const char *names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  for (int i = 0; i < 4; ++i) {
    std::string path = findFile(settings.dataDir, names[i]);
    if (!readIdx(path, dims[i], bytes[i], error))
      return nullptr;
    bool images = i % 2 == 0;
    if ((images && dims[i].size() != 3) || (!images && dims[i].size() != 1)) {
      error = path + ": expected " + (images ? "3" : "1") +
              " dimensions, found " + std::to_string(dims[i].size());
      return nullptr;
    }
  }
  for (int i = 0; i < 4; i += 2)
    if (dims[i][0] != dims[i + 1][0]) {
      error = findFile(settings.dataDir, names[i + 1]) + ": " +
              std::to_string(dims[i + 1][0]) + " labels for " +
              std::to_string(dims[i][0]) + " images";
      return nullptr;
    }
  for (int i = 1; i < 4; i += 2)
    for (uint8_t label : bytes[i])
      if (label >= classes) {
        error = findFile(settings.dataDir, names[i]) + ": label " +
                std::to_string(label) + " but the spec has " +
                std::to_string(classes) + " classes";
        return nullptr;
      }
  if (shape.size() == 1 && shape[0] != dims[0][1] * dims[0][2]) {
    error = "the spec's input [" + std::to_string(shape[0]) +
            "] is flat: it must hold the " +
            std::to_string(dims[0][1] * dims[0][2]) + " pixels of an image";
    return nullptr;
  }
  data->fileShape = {1, dims[0][1], dims[0][2]};
  torch::Tensor train = adapt(bytes[0], dims[0], shape);
  torch::Tensor trainLabels =
      torch::from_blob(bytes[1].data(), {dims[1][0]}, torch::kUInt8)
          .to(torch::kInt64);
  // Every k-th image to validation: class balanced on a shuffled set.
  torch::Tensor index = torch::arange(dims[0][0]);
  torch::Tensor isValid = index.remainder(settings.validationStride) ==
                          settings.validationStride - 1;
  data->validImages = train.index({isValid});
  data->validLabels = trainLabels.index({isValid});
  data->trainImages = train.index({isValid.logical_not()});
  data->trainLabels = trainLabels.index({isValid.logical_not()});
  data->testImages = adapt(bytes[2], dims[2], shape);
  data->testLabels =
      torch::from_blob(bytes[3].data(), {dims[3][0]}, torch::kUInt8)
          .to(torch::kInt64);
  return data;
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

uint64_t eval::stableHash(llvm::StringRef text) {
  uint64_t hash = 1469598103934665603ull;
  for (char c : text) {
    hash ^= uint8_t(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

double eval::accuracyOn(NetworkImpl &model, const torch::Tensor &images,
                  const torch::Tensor &labels, int64_t batch) {
  torch::NoGradGuard noGrad;
  model.eval();
  int64_t correct = 0, n = images.size(0);
  for (int64_t start = 0; start < n; start += batch) {
    int64_t end = std::min(n, start + batch);
    torch::Tensor out = model.forward(images.slice(0, start, end));
    correct += out.argmax(1).eq(labels.slice(0, start, end)).sum().item<int64_t>();
  }
  return n ? double(correct) / double(n) : 0.0;
}

void eval::recomputeBatchNormStatistics(NetworkImpl &model,
                                        const torch::Tensor &images,
                                        int64_t batches) {
  // With no momentum, BN keeps the cumulative average of what it sees.
  std::vector<std::pair<torch::nn::BatchNormOptions *, c10::optional<double>>>
      momenta;
  auto reset = [&](auto *bn) {
    momenta.push_back({&bn->options, bn->options.momentum()});
    bn->options.momentum(c10::nullopt);
    bn->reset_running_stats();
  };
  for (const auto &module : model.modules(/*include_self=*/false)) {
    if (auto *bn = module->as<torch::nn::BatchNorm2d>())
      reset(bn);
    else if (auto *bn = module->as<torch::nn::BatchNorm1d>())
      reset(bn);
  }
  if (momenta.empty())
    return;
  torch::NoGradGuard noGrad;
  model.train();
  const int64_t batch = 256, n = images.size(0);
  for (int64_t b = 0; b < batches && b * batch < n; ++b)
    model.forward(images.slice(0, b * batch, std::min(n, (b + 1) * batch)));
  for (auto &[options, momentum] : momenta)
    options->momentum(momentum);
}

void eval::setUpTorch(int64_t threads) {
  static bool heapConfigured = [] {
    // The largest threshold glibc allows; past it, allocations are rare.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // Never give the heap's top back to the system between batches.
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    return true;
  }();
  (void)heapConfigured;
  torch::set_num_threads(int(std::max<int64_t>(1, threads)));
}

void eval::selectProxySubset(const TorchEvaluator::Data &data, double fraction,
                             torch::Tensor &images, torch::Tensor &labels) {
  images = data.trainImages;
  labels = data.trainLabels;
  if (fraction >= 1.0)
    return;
  std::vector<int64_t> keep;
  std::vector<int64_t> perClass(data.classes, 0);
  int64_t n = labels.size(0);
  auto counts = torch::bincount(labels, {}, data.classes);
  std::vector<int64_t> quota(data.classes);
  for (int64_t c = 0; c < data.classes; ++c)
    quota[c] = std::max<int64_t>(
        1, int64_t(std::ceil(fraction * double(counts[c].item<int64_t>()))));
  auto labelData = labels.accessor<int64_t, 1>();
  for (int64_t i = 0; i < n; ++i)
    if (perClass[labelData[i]]++ < quota[labelData[i]])
      keep.push_back(i);
  torch::Tensor index = torch::tensor(keep, torch::kInt64);
  images = images.index_select(0, index);
  labels = labels.index_select(0, index);
}

namespace {

struct TrainResult {
  double validAccuracy = 0, testAccuracy = 0, seconds = 0;
  /// The last epoch's mean training loss.
  double lastLoss = 0;
  int64_t epochs = 0;
  /// Stopped by its cancellation token (a signal): the model is half
  /// trained and the accuracies are not measured.
  bool interrupted = false;
};

} // namespace

int64_t eval::loadMatching(torch::nn::Module &module,
                     torch::serialize::InputArchive &archive) {
  torch::NoGradGuard noGrad;
  int64_t loaded = 0;
  auto load = [&](const std::string &name, torch::Tensor &tensor,
                  bool isBuffer) {
    torch::Tensor value;
    if (archive.try_read(name, value, isBuffer) &&
        value.sizes() == tensor.sizes()) {
      tensor.copy_(value);
      ++loaded;
    }
  };
  for (auto &item : module.named_parameters(/*recurse=*/false))
    load(item.key(), item.value(), false);
  // BN's running statistics are buffers.
  for (auto &item : module.named_buffers(/*recurse=*/false))
    load(item.key(), item.value(), true);
  for (auto &child : module.named_children()) {
    torch::serialize::InputArchive sub;
    if (archive.try_read(child.key(), sub))
      loaded += loadMatching(*child.value(), sub);
  }
  return loaded;
}

namespace {

/// Trains `model`, first loading the matching tensors of the LibTorch
/// archive `from` (a parent's weights, a checkpoint) unless it is empty.
TrainResult train(NetworkImpl &model, const TorchEvaluator::Data &data,
                  const TrainSettings &settings, uint64_t seed,
                  llvm::StringRef label, const std::string &from,
                  const CancellationToken *cancel,
                  const std::function<void()> &afterStep = {}) {
  auto start = std::chrono::steady_clock::now();
  if (!from.empty()) {
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(from);
      int64_t loaded = loadMatching(model, archive);
      if (settings.verbose)
        llvm::errs() << "  " << label << ": " << loaded
                     << " tensors from " << from << "\n";
    } catch (const std::exception &e) {
      llvm::errs() << "nasc: warning: " << from
                   << " not loaded: " << e.what() << "\n";
    }
  }
  // The training subset: a class-balanced proxy of the training split.
  torch::Tensor images, labels;
  selectProxySubset(data, settings.proxyFraction, images, labels);
  Random random(seed);
  int64_t n = images.size(0);
  int64_t batch = std::max<int64_t>(1, settings.batchSize);
  int64_t stepsPerEpoch = (n + batch - 1) / batch;
  int64_t totalSteps = stepsPerEpoch * std::max<int64_t>(1, settings.epochs);

  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (settings.optimizer == "adam")
    optimizer = std::make_unique<torch::optim::Adam>(
        model.parameters(), torch::optim::AdamOptions(settings.learningRate));
  else
    optimizer = std::make_unique<torch::optim::SGD>(
        model.parameters(), torch::optim::SGDOptions(settings.learningRate)
                                .momentum(0.9)
                                .nesterov(true)
                                .weight_decay(5e-4));
  auto setRate = [&](double rate) {
    for (auto &group : optimizer->param_groups())
      group.options().set_lr(rate);
  };

  TrainResult result;
  double best = -1;
  int64_t sinceBest = 0, step = 0;
  std::vector<int64_t> order(n);
  for (int64_t epoch = 0; epoch < settings.epochs; ++epoch) {
    // A portable shuffle (Fisher-Yates on SplitMix64).
    std::iota(order.begin(), order.end(), 0);
    for (int64_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[random.below(uint64_t(i + 1))]);
    torch::Tensor perm = torch::tensor(order, torch::kInt64);
    model.train();
    // The mean over the images seen (a smaller last batch weighs less).
    double lossSum = 0;
    int64_t seen = 0;
    for (int64_t s = 0; s < stepsPerEpoch; ++s, ++step) {
      // SIGINT, SIGTERM: the search drops this candidate; stop at once.
      if (isCancelled(cancel))
        break;
      double rate = settings.learningRate;
      if (settings.schedule == "cosine")
        rate *= 0.5 * (1 + std::cos(M_PI * double(step) / double(totalSteps)));
      else if (settings.schedule == "multistep")
        rate *= step >= totalSteps * 3 / 4 ? 0.01
                : step >= totalSteps / 2   ? 0.1
                                           : 1.0;
      setRate(rate);
      torch::Tensor index = perm.slice(0, s * batch, std::min(n, (s + 1) * batch));
      torch::Tensor x = images.index_select(0, index);
      torch::Tensor y = labels.index_select(0, index);
      optimizer->zero_grad();
      torch::Tensor loss =
          torch::nn::functional::cross_entropy(model.forward(x), y);
      loss.backward();
      optimizer->step();
      if (afterStep)
        afterStep();
      lossSum += loss.item<double>() * double(index.size(0));
      seen += index.size(0);
    }
    // Neither the remaining epochs nor any accuracy: nobody reads them.
    if (isCancelled(cancel)) {
      result.interrupted = true;
      return result;
    }
    recomputeBatchNormStatistics(model, images, settings.calibrationBatches);
    double valid = accuracyOn(model, data.validImages, data.validLabels);
    result.epochs = epoch + 1;
    result.lastLoss = seen ? lossSum / double(seen) : 0.0;
    if (settings.verbose)
      llvm::errs() << "  " << label << " epoch " << (epoch + 1) << "/"
                   << settings.epochs << ": loss "
                   << llvm::format("%.4f", result.lastLoss)
                   << ", validation accuracy " << llvm::format("%.4f", valid)
                   << "\n";
    if (valid > best) {
      best = valid;
      sinceBest = 0;
    } else if (settings.patience > 0 && ++sinceBest >= settings.patience) {
      break;
    }
  }
  if (settings.epochs <= 0) // evaluation only (e.g. a checkpoint)
    best = accuracyOn(model, data.validImages, data.validLabels);
  result.validAccuracy = best;
  result.testAccuracy = accuracyOn(model, data.testImages, data.testLabels);
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  return result;
}

/// Magnitude pruning with fine-tuning (Li et al. 2017, "Pruning Filters
/// for Efficient ConvNets"): the candidate's dense copy (no prune ratios)
/// trains as usual; at every layer the analysis prunes, the filters of
/// smallest L1 norm are removed, down to the pruned width, by holding them
/// and the following batch norm's scale and shift at zero, so those
/// channels are exactly zero for every consumer: the network computes what
/// the pruned candidate computes. Then it is fine-tuned for
/// `finetuneEpochs` epochs at a tenth of the learning rate. Only `conv`
/// layers are pruned this way; null with `why` when the candidate prunes
/// none or prunes another kind of layer.
std::shared_ptr<NetworkImpl>
trainWithMagnitudePruning(SpecOp spec, const TorchEvaluator::Data &data,
                          const TrainSettings &settings, uint64_t seed,
                          llvm::StringRef label, const std::string &from,
                          const CancellationToken *cancel, TrainResult &result,
                          std::string &why) {
  CostAnalysis costs(spec);
  std::vector<std::pair<Operation *, int64_t>> cuts; // layer, width kept
  for (const LayerCost &layer : costs.getLayers()) {
    if (layer.kind != CostKind::Layer || layer.prunedFrom <= 0)
      continue;
    if (!isa<ConvOp>(layer.op)) {
      why = "magnitude pruning removes conv filters only; " + layer.path +
            " trains at its pruned width";
      return nullptr;
    }
    cuts.push_back({layer.op, layer.output.channels});
  }
  if (cuts.empty()) {
    why = "nothing is pruned";
    return nullptr;
  }
  // The dense copy, op for op.
  OwningOpRef<Operation *> dense = spec->clone();
  std::vector<Operation *> original, copy;
  spec->walk([&](Operation *op) { original.push_back(op); });
  (*dense)->walk([&](Operation *op) { copy.push_back(op); });
  llvm::DenseMap<Operation *, Operation *> copyOf;
  for (size_t i = 0; i < original.size() && i < copy.size(); ++i)
    copyOf[original[i]] = copy[i];
  (*dense)->walk([](Operation *op) { op->removeAttr("prune"); });
  torch::manual_seed(seed);
  std::shared_ptr<NetworkImpl> model =
      buildNetwork(cast<SpecOp>(*dense), why);
  if (!model)
    return nullptr;
  TrainResult dense_ =
      train(*model, data, settings, seed, label, from, cancel);

  // Masks: keep each layer's filters of largest L1 norm.
  struct Masked {
    torch::Tensor mask;
    std::vector<torch::Tensor> tensors; // filters, then BN scale and shift
  };
  std::vector<Masked> masks;
  for (auto [op, keep] : cuts) {
    Operation *layer = copyOf.lookup(op);
    NodeImpl *node = model->nodeOf.lookup(layer);
    if (!node) {
      why = "no module for a pruned layer";
      return nullptr;
    }
    Masked masked;
    torch::Tensor weight = node->named_parameters()["weight"];
    torch::Tensor norms = weight.detach().abs().flatten(1).sum(1);
    torch::Tensor kept = std::get<1>(norms.topk(keep));
    masked.mask = torch::zeros_like(norms).index_fill_(0, kept, 1.0);
    masked.tensors.push_back(weight);
    if (Operation *next = layer->getNextNode(); isa_and_nonnull<BatchNormOp>(next))
      if (NodeImpl *bn = model->nodeOf.lookup(next))
        for (auto &item : bn->named_parameters())
          masked.tensors.push_back(item.value());
    masks.push_back(std::move(masked));
  }
  auto applyMasks = [&] {
    torch::NoGradGuard noGrad;
    for (Masked &masked : masks)
      for (torch::Tensor &t : masked.tensors) {
        std::vector<int64_t> shape(t.dim(), 1);
        shape[0] = -1;
        t.mul_(masked.mask.view(shape));
      }
  };
  applyMasks();
  if (settings.verbose)
    llvm::errs() << "  " << label << ": pruned " << cuts.size()
                 << " conv layer(s) by filter magnitude; fine-tuning\n";
  TrainSettings tune = settings;
  tune.epochs = settings.finetuneEpochs;
  tune.learningRate = settings.learningRate * 0.1;
  tune.patience = 0;
  result = train(*model, data, tune, seed + 1, label, "", cancel, applyMasks);
  result.seconds += dense_.seconds;

  // The candidate's own (pruned) network with the kept filters: a cut
  // layer's filters by its mask, its input channels (and every later
  // per-channel or consuming tensor) by the mask of the cut before.
  torch::manual_seed(seed);
  std::shared_ptr<NetworkImpl> compact = buildNetwork(spec, why);
  if (!compact)
    return nullptr;
  std::map<const void *, int> cutOf;
  for (size_t i = 0; i < masks.size(); ++i)
    cutOf[masks[i].tensors[0].unsafeGetTensorImpl()] = int(i);
  auto denseParameters = model->named_parameters();
  auto denseBuffers = model->named_buffers();
  std::map<std::string, int> maskOfModule; // for the module's buffers
  auto moduleOf = [](const std::string &name) {
    return name.substr(0, name.rfind('.'));
  };
  auto select = [&](torch::Tensor value, const torch::Tensor &target,
                    int inMask, int outMask) -> std::optional<torch::Tensor> {
    for (int64_t d = 0; d < target.dim(); ++d) {
      if (value.size(d) == target.size(d))
        continue;
      int m = d == 0 ? outMask : inMask;
      if (m < 0)
        return std::nullopt;
      torch::Tensor index = masks[m].mask.nonzero().flatten();
      if (index.numel() != target.size(d))
        return std::nullopt;
      value = value.index_select(d, index);
    }
    return value;
  };
  torch::NoGradGuard noGrad;
  int current = -1;
  for (auto &item : compact->named_parameters()) {
    torch::Tensor dense = denseParameters[item.key()];
    int in = current, out = current;
    if (auto it = cutOf.find(dense.unsafeGetTensorImpl()); it != cutOf.end())
      out = current = it->second;
    std::optional<torch::Tensor> value = select(dense, item.value(), in, out);
    if (!value) {
      why = "cannot map " + item.key() + " to the pruned network";
      return nullptr;
    }
    item.value().copy_(*value);
    if (dense.size(0) != item.value().size(0))
      maskOfModule[moduleOf(item.key())] = out;
  }
  for (auto &item : compact->named_buffers()) {
    torch::Tensor dense = denseBuffers[item.key()];
    auto it = maskOfModule.find(moduleOf(item.key()));
    int m = it == maskOfModule.end() ? -1 : it->second;
    std::optional<torch::Tensor> value = select(dense, item.value(), m, m);
    if (!value) {
      why = "cannot map " + item.key() + " to the pruned network";
      return nullptr;
    }
    item.value().copy_(*value);
  }
  // The pruned network computes what the masked one does.
  model->eval();
  compact->eval();
  torch::Tensor batch = data.validImages.slice(0, 0, 64);
  double difference =
      (model->forward(batch) - compact->forward(batch)).abs().max().item<double>();
  if (settings.verbose || difference > 1e-3)
    llvm::errs() << "  " << label
                 << ": the pruned network's outputs differ from the masked "
                    "one's by at most "
                 << llvm::format("%.2g", difference) << "\n";
  return compact;
}

/// SynFlow (Tanaka et al. 2020) as a zero-cost proxy (Abdelfattah et al.
/// 2021): in double precision with every parameter replaced by its
/// magnitude and BN in inference mode, R = Σ f(1); the score is
/// Σ θ ⊙ ∂R/∂θ. Reported as log10 of the score.
double synflow(NetworkImpl &model, const std::vector<int64_t> &shape) {
  model.to(torch::kFloat64);
  model.eval();
  {
    torch::NoGradGuard noGrad;
    for (torch::Tensor &p : model.parameters())
      p.abs_();
  }
  std::vector<int64_t> dims = {1};
  dims.insert(dims.end(), shape.begin(), shape.end());
  torch::Tensor out =
      model.forward(torch::ones(dims, torch::dtype(torch::kFloat64)));
  model.zero_grad();
  out.sum().backward();
  double score = 0;
  for (torch::Tensor &p : model.parameters())
    if (p.grad().defined())
      score += (p * p.grad()).sum().item<double>();
  return score > 0 ? std::log10(score) : -INFINITY;
}

/// NASWOT (Mellor et al. 2021): the log-determinant of the Hamming-
/// similarity kernel of the binary activation codes of a batch.
double naswot(NetworkImpl &model, const torch::Tensor &batch) {
  torch::NoGradGuard noGrad;
  model.train();
  int64_t n = batch.size(0);
  torch::Tensor kernel = torch::zeros({n, n}, torch::kFloat64);
  model.activationHook = [&](const torch::Tensor &x) {
    torch::Tensor codes = (x.reshape({n, -1}) > 0).to(torch::kFloat64);
    kernel += codes.matmul(codes.t()) + (1 - codes).matmul((1 - codes).t());
  };
  model.forward(batch);
  model.activationHook = nullptr;
  auto [sign, logdet] = torch::linalg::slogdet(kernel);
  return sign.item<double>() > 0 ? logdet.item<double>() : -INFINITY;
}

} // namespace

//===----------------------------------------------------------------------===//
// TorchEvaluator
//===----------------------------------------------------------------------===//

TorchEvaluator::TorchEvaluator(const Space &space, TrainSettings settings,
                               std::shared_ptr<const Data> data,
                               std::shared_ptr<Supernet> supernet)
    : space(space), settings(std::move(settings)), data(std::move(data)),
      supernet(std::move(supernet)) {}

TorchEvaluator::~TorchEvaluator() = default;

std::unique_ptr<TorchEvaluator>
TorchEvaluator::create(const Space &space, const TrainSettings &settings,
                       std::string &error) {
  SpecOp spec = space.getSpec();
  NetworkOp network = spec.getNetwork();
  DatasetOp dataset;
  for (DatasetOp op : spec.getBodyBlock().getOps<DatasetOp>())
    if (op.getSymName() == network.getDataset())
      dataset = op;
  if (!dataset) {
    error = "the network's dataset is not declared";
    return nullptr;
  }
  std::vector<int64_t> shape(dataset.getInputShape().begin(),
                             dataset.getInputShape().end());
  setUpTorch(settings.threads);
  // --data, else the dataset's `path` or installed source, else a stand-in
  // the caller asked for.
  TrainSettings resolved = settings;
  if (resolved.dataDir.empty() && failed(resolveData(spec, resolved))) {
    error = "dataset '" + dataset.getSymName().str() + "' has no training data";
    return nullptr;
  }
  // A checkpoint that is no LibTorch archive is an error now, not a
  // warning per candidate.
  if (!resolved.checkpoint.empty()) {
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(resolved.checkpoint);
    } catch (const std::exception &e) {
      error = resolved.checkpoint + ": not a LibTorch archive (" +
              std::string(e.what()).substr(0, 200) + ")";
      return nullptr;
    }
  }
  std::shared_ptr<Data> data =
      loadData(resolved, shape, dataset.getNumClassesAttr().getInt(), error);
  if (!data)
    return nullptr;
  std::shared_ptr<Supernet> supernet;
  if (resolved.method == EvalMethod::weight_sharing)
    supernet = std::make_shared<Supernet>(space, resolved, data);
  return std::unique_ptr<TorchEvaluator>(new TorchEvaluator(
      space, resolved, std::move(data), std::move(supernet)));
}

std::string TorchEvaluator::getName() const { return "LibTorch"; }

bool TorchEvaluator::provides(llvm::StringRef metric) const {
  // A proxy's score is no accuracy: it is reported under its own name.
  if (settings.method == EvalMethod::zero_cost)
    return metric == settings.proxy;
  if (settings.method == EvalMethod::weight_sharing)
    return metric == "accuracy";
  return metric == "accuracy" || metric == "test_accuracy" ||
         metric == "train_seconds";
}

void TorchEvaluator::recordSettings(SpecOp spec) const {
  recordTrainSettings(spec, settings);
}

std::optional<std::string>
TorchEvaluator::getStandIn(llvm::StringRef metric) const {
  if (settings.method == EvalMethod::zero_cost && metric == "accuracy")
    return settings.proxy;
  return std::nullopt;
}

std::string TorchEvaluator::getFingerprint() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "torch " << stringifyEvalMethod(settings.method) << " epochs "
     << settings.epochs << " batch " << settings.batchSize << " lr "
     << settings.learningRate << " " << settings.optimizer << " "
     << settings.schedule << " patience " << settings.patience << " proxy "
     << settings.proxyFraction << " " << settings.proxy << " seed "
     << settings.seed << " data " << settings.dataDir << " threads "
     << settings.threads << " checkpoint " << settings.checkpoint;
  os << " calibration " << settings.calibrationBatches;
  if (settings.method == EvalMethod::weight_sharing) {
    os << " online " << settings.onlineSteps;
    if (settings.shards > 1)
      os << " shards " << settings.shards;
  }
  if (settings.hotStart)
    os << " hot start";
  if (settings.finetuneEpochs > 0)
    os << " finetune " << settings.finetuneEpochs;
  return text;
}

bool TorchEvaluator::prepareTogether(Collective &group,
                                     const CancellationToken *cancel) {
  if (settings.method != EvalMethod::weight_sharing)
    return true;
  return supernet->warmUp(cancel, &group);
}

bool TorchEvaluator::evaluatesTogether() const {
  return settings.method == EvalMethod::weight_sharing &&
         settings.onlineSteps > 0;
}

void TorchEvaluator::evaluate(const Candidate &candidate,
                              llvm::StringRef encoding,
                              llvm::ArrayRef<std::string> metrics,
                              search::Evaluation &out) {
  bool wanted = false;
  for (size_t i = 0; i < metrics.size(); ++i)
    wanted |= std::isnan(out.values[i]) && provides(metrics[i]);
  if (!wanted)
    return;
  auto set = [&](llvm::StringRef name, double value) {
    for (size_t i = 0; i < metrics.size(); ++i)
      if (metrics[i] == name && std::isnan(out.values[i]))
        out.values[i] = value;
  };
  if (settings.method == EvalMethod::weight_sharing) {
    if (!supernet->warmUp(out.cancel)) {
      out.ok = false;
      out.message = "interrupted";
      return;
    }
    if (settings.onlineSteps > 0 &&
        !supernet->trainOn(candidate, encoding, settings.onlineSteps,
                           out.cancel, out.group)) {
      out.ok = false;
      out.message = "interrupted";
      return;
    }
    std::string error;
    double accuracy = supernet->score(candidate, encoding, error, out.group);
    if (accuracy < 0) {
      out.ok = false;
      out.message = error;
      return;
    }
    set("accuracy", accuracy);
    return;
  }
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  // The candidate's own seed, before its weights are initialized.
  uint64_t seed = settings.seed ^ stableHash(encoding);
  torch::manual_seed(seed);
  std::string error;
  std::shared_ptr<NetworkImpl> model =
      buildNetwork(*concrete->getOps<SpecOp>().begin(), error);
  if (!model) {
    out.ok = false;
    out.message = error;
    return;
  }
  if (settings.method == EvalMethod::zero_cost) {
    double score =
        settings.proxy == "naswot"
            ? naswot(*model, data->trainImages.slice(0, 0, 64))
            : synflow(*model, model->inputShape);
    set(settings.proxy, score);
    return;
  }
  // Hot start: from the parent's weights when they were kept.
  std::string from = settings.checkpoint;
  if (settings.hotStart && !out.parent.empty() &&
      llvm::sys::fs::exists(getWeightsPath(out.parent)))
    from = getWeightsPath(out.parent);
  TrainResult result;
  std::string why;
  std::shared_ptr<NetworkImpl> pruned;
  if (settings.finetuneEpochs > 0) {
    pruned = trainWithMagnitudePruning(*concrete->getOps<SpecOp>().begin(),
                                       *data, settings, seed, encoding, from,
                                       out.cancel, result, why);
    if (!pruned && settings.verbose && why != "nothing is pruned")
      llvm::errs() << "  " << encoding << ": " << why << "\n";
  }
  if (pruned)
    model = pruned;
  else
    result = train(*model, *data, settings, seed, encoding, from, out.cancel);
  if (result.interrupted) {
    out.ok = false;
    out.message = "interrupted";
    return;
  }
  if (!settings.weightsDir.empty()) {
    std::string path = getWeightsPath(encoding);
    std::string temporary = path + ".tmp";
    try {
      torch::save(std::static_pointer_cast<torch::nn::Module>(model),
                  temporary);
      llvm::sys::fs::rename(temporary, path);
    } catch (const std::exception &e) {
      llvm::errs() << "nasc: warning: " << path << ": " << e.what() << "\n";
    }
  }
  set("accuracy", result.validAccuracy);
  set("test_accuracy", result.testAccuracy);
  set("train_seconds", result.seconds);
}

bool TorchEvaluator::exportTrained(const Candidate &candidate,
                                   llvm::StringRef encoding,
                                   llvm::StringRef dir, std::string &error,
                                   const CancellationToken *cancel) {
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  // The same seed as during the search: the same weights (one thread).
  uint64_t seed = settings.seed ^ stableHash(encoding);
  torch::manual_seed(seed);
  std::shared_ptr<NetworkImpl> model =
      buildNetwork(*concrete->getOps<SpecOp>().begin(), error);
  if (!model)
    return false;
  std::string kept =
      settings.weightsDir.empty() ? std::string() : getWeightsPath(encoding);
  if (!kept.empty() && llvm::sys::fs::exists(kept)) {
    // The search's own result, as is: no training. A pruned candidate's
    // archive holds its pruned network, which `model` is.
    int64_t expected = 0, loaded = 0;
    for (const auto &item : model->named_parameters())
      expected += item.value().defined();
    for (const auto &item : model->named_buffers())
      expected += item.value().defined();
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(kept);
      loaded = loadMatching(*model, archive);
    } catch (const std::exception &e) {
      error = kept + ": " + std::string(e.what()).substr(0, 200);
      return false;
    }
    if (loaded != expected) {
      error = kept + ": holds " + std::to_string(loaded) + " of the " +
              std::to_string(expected) + " tensors of " + encoding.str();
      return false;
    }
    if (settings.verbose)
      llvm::errs() << "export: " << encoding << ": the search's trained weights "
                   << kept << " (not trained again)\n";
  } else {
    // Not kept (e.g. a result from the store's cache): trained again as
    // during the search, from the same start.
    if (settings.verbose)
      llvm::errs() << "export: " << encoding
                   << ": no kept weights, training it again\n";
    TrainResult result;
    std::string why;
    std::shared_ptr<NetworkImpl> pruned;
    if (settings.finetuneEpochs > 0)
      pruned = trainWithMagnitudePruning(*concrete->getOps<SpecOp>().begin(),
                                         *data, settings, seed, encoding,
                                         settings.checkpoint, cancel, result,
                                         why);
    if (pruned)
      model = pruned;
    else
      train(*model, *data, settings, seed, encoding, settings.checkpoint,
            cancel);
  }
  // A half-trained model is no export.
  if (isCancelled(cancel)) {
    error = "interrupted";
    return false;
  }
  std::string archive = (dir + "/best.pt").str();
  try {
    torch::save(std::static_pointer_cast<torch::nn::Module>(model), archive);
  } catch (const std::exception &e) {
    error = archive + ": " + e.what();
    return false;
  }
  return exportOnnx(*model, (dir + "/best.onnx").str(), error);
}

std::string TorchEvaluator::getWeightsPath(llvm::StringRef encoding) const {
  llvm::SmallString<128> path(settings.weightsDir);
  std::string name;
  llvm::raw_string_ostream os(name);
  // Keyed by the settings too: a rung of successive halving or another
  // search sharing the directory trains other weights.
  os << llvm::format_hex_no_prefix(
            stableHash(getFingerprint() + "\n" + encoding.str()), 16)
     << ".pt";
  llvm::sys::path::append(path, name);
  return path.str().str();
}

std::optional<double> TorchEvaluator::getFidelity() const {
  if (settings.method != EvalMethod::train)
    return std::nullopt;
  return std::min(1.0, settings.proxyFraction);
}

std::unique_ptr<search::Evaluator>
TorchEvaluator::withFidelity(double share) const {
  if (settings.method != EvalMethod::train)
    return nullptr;
  TrainSettings higher = settings;
  higher.proxyFraction = std::min(1.0, share);
  // A promoted candidate trains from scratch on the larger share; its
  // weights are kept (under this rung's settings) for the export.
  higher.hotStart = false;
  return std::unique_ptr<TorchEvaluator>(
      new TorchEvaluator(space, higher, data, supernet));
}

std::optional<search::DataInfo> TorchEvaluator::getData() const {
  search::DataInfo info;
  info.name = settings.dataName;
  info.path = settings.dataDir;
  info.standInFor = settings.standInFor;
  info.fileShape = data->fileShape;
  SpecOp spec = space.getSpec();
  for (DatasetOp op : spec.getBodyBlock().getOps<DatasetOp>())
    if (op.getSymName() == spec.getNetwork().getDataset())
      info.inputShape.assign(op.getInputShape().begin(),
                             op.getInputShape().end());
  info.train = data->trainLabels.size(0);
  info.validation = data->validLabels.size(0);
  info.test = data->testLabels.size(0);
  // selectProxySubset's count, without copying the images.
  info.trainedOn = info.train;
  if (settings.proxyFraction < 1.0) {
    torch::Tensor counts =
        torch::bincount(data->trainLabels, {}, data->classes).to(torch::kDouble);
    info.trainedOn = (counts * settings.proxyFraction)
                         .ceil()
                         .clamp_min(1)
                         .mul(counts.gt(0))
                         .sum()
                         .item<int64_t>();
  }
  return info;
}

std::unique_ptr<search::Evaluator> TorchEvaluator::clone() const {
  return std::unique_ptr<TorchEvaluator>(
      new TorchEvaluator(space, settings, data, supernet));
}

//===----------------------------------------------------------------------===//
// Entry points for tests and tools
//===----------------------------------------------------------------------===//

int64_t eval::countTorchParameters(SpecOp spec, std::string &error) {
  std::shared_ptr<NetworkImpl> model = buildNetwork(spec, error);
  if (!model)
    return -1;
  int64_t total = 0;
  for (const torch::Tensor &p : model->parameters())
    total += p.numel();
  return total;
}

std::vector<int64_t> eval::getTorchOutputShape(SpecOp spec,
                                               std::string &error) {
  std::shared_ptr<NetworkImpl> model = buildNetwork(spec, error);
  if (!model)
    return {};
  torch::NoGradGuard noGrad;
  model->eval();
  std::vector<int64_t> dims = {2};
  dims.insert(dims.end(), model->inputShape.begin(), model->inputShape.end());
  torch::Tensor out = model->forward(torch::randn(dims));
  return out.sizes().vec();
}

bool eval::exportOnnxOf(SpecOp spec, const std::string &path,
                        std::string &error) {
  std::shared_ptr<NetworkImpl> model = buildNetwork(spec, error);
  return model && exportOnnx(*model, path, error);
}

double eval::trainConcrete(SpecOp spec, const TrainSettings &settings,
                           std::string &error, TrainReport *report) {
  torch::manual_seed(settings.seed);
  std::shared_ptr<NetworkImpl> model = buildNetwork(spec, error);
  if (!model)
    return -1;
  DatasetOp dataset = *spec.getBodyBlock().getOps<DatasetOp>().begin();
  std::vector<int64_t> shape(dataset.getInputShape().begin(),
                             dataset.getInputShape().end());
  TrainSettings resolved = settings;
  if (resolved.dataDir.empty() && failed(resolveData(spec, resolved))) {
    error = "dataset '" + dataset.getSymName().str() + "' has no training data";
    return -1;
  }
  std::shared_ptr<TorchEvaluator::Data> data =
      loadData(resolved, shape, dataset.getNumClassesAttr().getInt(), error);
  if (!data)
    return -1;
  setUpTorch(settings.threads);
  TrainResult result = train(*model, *data, resolved, settings.seed,
                             "candidate", settings.checkpoint,
                             /*cancel=*/nullptr);
  if (report) {
    report->lastLoss = result.lastLoss;
    torch::Tensor images, labels;
    selectProxySubset(*data, resolved.proxyFraction, images, labels);
    report->trainAccuracy = accuracyOn(*model, images, labels);
  }
  return result.validAccuracy;
}

extern "C" nasc::search::Evaluator *
nascCreateTorchEvaluator(const nasc::Space *space,
                         const nasc::eval::TrainSettings *settings,
                         std::string *error) {
  return nasc::eval::TorchEvaluator::create(*space, *settings, *error)
      .release();
}

extern "C" bool nascExportTrainedModel(nasc::search::Evaluator *evaluator,
                                       const nasc::Candidate *candidate,
                                       const char *encoding, const char *dir,
                                       const nasc::CancellationToken *cancel,
                                       std::string *error) {
  auto *torch = dynamic_cast<nasc::eval::TorchEvaluator *>(evaluator);
  if (!torch) {
    *error = "not a LibTorch evaluator";
    return false;
  }
  return torch->exportTrained(*candidate, encoding, dir, *error, cancel);
}
