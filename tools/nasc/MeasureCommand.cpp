//===- MeasureCommand.cpp - nasc measure: latency of emitted code ---------===//
//
// Compiles candidates with the CPU backend (the same pipeline as
// --emit=cpu, run through the JIT) and times the C entry point on this
// machine: warm-up runs, then repeats; median and interquartile range per
// batch size, or per layer (lib/Target/CPU/Measure.cpp).
//
//===----------------------------------------------------------------------===//

#include "MeasureCommand.h"

#include "Input.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Space/Sampling.h"
#include "nasc/Space/Space.h"
#include "nasc/Support/EvalLibrary.h"
#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"

#include <map>

using namespace mlir;
using namespace nasc;
namespace cl = llvm::cl;

static cl::SubCommand measureCommand(
    "measure",
    "Compile candidates for a target and measure their latency on this "
    "machine: median and interquartile range per batch size (docs/cpu.md)");

static cl::OptionCategory measureCategory("nasc measure options");

static cl::opt<std::string> specPath(cl::Positional, cl::Required,
                                     cl::desc("<spec .nas or .mlir>"),
                                     cl::sub(measureCommand),
                                     cl::cat(measureCategory));

static cl::opt<std::string>
    targetKind("target",
               cl::desc("The backend whose code runs here: a target kind "
                        "with a registered backend (cpu, the default)"),
               cl::init("cpu"), cl::sub(measureCommand),
               cl::cat(measureCategory));

static cl::list<std::string>
    candidates("candidate", cl::desc("A candidate's encoding (repeatable)"),
               cl::value_desc("ENCODING"), cl::sub(measureCommand),
               cl::cat(measureCategory));

static cl::opt<unsigned>
    sample("sample",
           cl::desc("Measure N candidates drawn uniformly with --seed"),
           cl::init(0), cl::value_desc("N"), cl::sub(measureCommand),
           cl::cat(measureCategory));

static cl::opt<uint64_t>
    seed("seed", cl::desc("Seed of --sample and of the weights (default 0)"),
         cl::init(0), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<std::string> batches("batch",
                                    cl::desc("Batch sizes (default 1)"),
                                    cl::init("1"), cl::value_desc("B,B,..."),
                                    cl::sub(measureCommand),
                                    cl::cat(measureCategory));

static cl::opt<unsigned> repeats("repeats",
                                 cl::desc("Timed runs per batch size "
                                          "(default 20)"),
                                 cl::init(20), cl::sub(measureCommand),
                                 cl::cat(measureCategory));

static cl::opt<unsigned>
    rounds("rounds",
           cl::desc("Compile every candidate first, then time them round-robin "
                    "this many times (--repeats runs each) and keep each one's "
                    "round of lowest median: slow phases of a shared machine "
                    "then hit different rounds (default 1)"),
           cl::init(1), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs first (default 3)"),
                                cl::init(3), cl::sub(measureCommand),
                                cl::cat(measureCategory));

static cl::opt<std::string> weightsFile(
    "weights", cl::desc("Weights from this LibTorch archive (best.pt)"),
    cl::value_desc("FILE"), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<bool> csv("csv", cl::desc("Print CSV instead of text"),
                         cl::init(false), cl::sub(measureCommand),
                         cl::cat(measureCategory));

static cl::opt<bool>
    perLayer("per-layer",
             cl::desc("Time each layer alone (seeded weights, one batch "
                      "size); --csv prints the lookup table key,latency_ms"),
             cl::init(false), cl::sub(measureCommand),
             cl::cat(measureCategory));

static cl::opt<bool>
    compareTorch("torch",
                 cl::desc("Also time LibTorch's eager forward of the same "
                          "network (one thread) and print the ratio"),
                 cl::init(false), cl::sub(measureCommand),
                 cl::cat(measureCategory));

static cl::opt<bool> fakeQuant(
    "fake-quant",
    cl::desc("Compute layers quantized to at most 8 bits in float, as "
             "LibTorch's fake quantization (default: int8 levels, int32 sums)"),
    cl::init(false), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<bool> staticInt8(
    "static-int8",
    cl::desc("--target cpu: time the candidate's integer network (int8 "
             "activations with static scales, as --emit=cpu --static-int8)"),
    cl::init(false), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<bool> floatNetwork(
    "float",
    cl::desc("--target cpu: time the candidate's float network, its bit "
             "widths ignored (the baseline of its quantized code)"),
    cl::init(false), cl::sub(measureCommand), cl::cat(measureCategory));

static cl::opt<std::string> features(
    "mattr",
    cl::desc("--target cpu: CPU features to add to or remove from this "
             "machine's for the timed code, as +a,-b (LLVM's names): "
             "-avx512vnni,-avxvnni times int8 layers without dot products "
             "of bytes"),
    cl::value_desc("+a,-b"), cl::sub(measureCommand),
    cl::cat(measureCategory));

static cl::opt<std::string>
    part("part",
         cl::desc("--target fpga: the part to synthesize for (up5k, hx8k, "
                  "xc7z020; default up5k)"),
         cl::value_desc("part"), cl::sub(measureCommand),
         cl::cat(measureCategory));

/// `error` prefixed with the candidate's encoding (none for a space of one
/// candidate, whose encoding is empty).
static std::string withCandidate(llvm::StringRef encoding, llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return encoding.empty() ? message : encoding.str() + ": " + message;
}

static cl::opt<unsigned>
    lanes("pe",
          cl::desc("--target fpga: the engine's lanes, output channels a "
                   "convolution computes at once (default: the fpga "
                   "target's tunable `pe`, else 1)"),
          cl::value_desc("N"), cl::init(1), cl::sub(measureCommand),
          cl::cat(measureCategory));

static cl::opt<unsigned>
    threads("threads",
            cl::desc("--target cpu: the threads the code shares a batch "
                     "among (1 to 64; default: the cpu target's tunable "
                     "`threads`, else 1)"),
            cl::value_desc("N"), cl::init(1), cl::sub(measureCommand),
            cl::cat(measureCategory));

static cl::opt<std::string> hardwareTemplate(
    "template",
    cl::desc("--target fpga: folded or dataflow (default: the fpga "
             "target's tunable `template`, else folded)"),
    cl::value_desc("folded|dataflow"), cl::sub(measureCommand),
    cl::cat(measureCategory));

static cl::opt<unsigned>
    stages("stages",
           cl::desc("--target fpga --template dataflow: the most engines "
                    "(default: the fpga target's tunable `stages`, else one "
                    "per stage)"),
           cl::value_desc("N"), cl::init(0), cl::sub(measureCommand),
           cl::cat(measureCategory));

bool tool::isMeasureCommand() { return bool(measureCommand); }
cl::OptionCategory &tool::getMeasureCategory() { return measureCategory; }
cl::SubCommand &tool::getMeasureSubCommand() { return measureCommand; }

static int error(const llvm::Twine &message) {
  llvm::errs() << "nasc measure: error: " << message << "\n";
  return 1;
}

/// The median ms of LibTorch's eager forward of `spec` on one thread.
static bool timeTorch(nas::SpecOp spec, int batch, double &ms,
                      std::string &message) {
  auto exportWeights = reinterpret_cast<decltype(&nascExportTorchWeights)>(
      findEvalSymbol("nascExportTorchWeights", message));
  if (!exportWeights)
    return false;
  CostAnalysis costs(spec);
  std::vector<float> in(costs.getInputShape().getNumElements() * batch, 0.5f),
      out;
  std::vector<NamedTensor> unused;
  target::TorchExportRequest request;
  request.seed = seed;
  request.input = in.data();
  request.batch = batch;
  request.output = &out;
  request.repeats = int(std::max(1u, repeats.getValue()));
  request.medianMs = &ms;
  return exportWeights(spec, &request, &unused, &message);
}

/// --per-layer: each layer of each candidate alone; with --csv the lookup
/// table of the cost models (key,latency_ms), each key once.
static int measureLayers(target::TargetBackend &backend, const Space &space,
                         const std::vector<Candidate> &chosen,
                         ArrayRef<int> batchSizes, llvm::raw_ostream &os) {
  if (batchSizes.size() != 1)
    return error("--per-layer takes one --batch size");
  if (compareTorch || !weightsFile.empty())
    return error("--per-layer times seeded layers alone: no --torch or "
                 "--weights");
  // Each key once, in order of appearance, with the mean over its layers
  // (a BN folded into a conv and one that is not share a key).
  struct Entry {
    std::string key;
    unsigned count = 0;
    double ms = 0;
  };
  std::vector<Entry> table;
  std::map<std::string, size_t> position;
  for (const Candidate &candidate : chosen) {
    std::string encoding = space.encode(candidate);
    OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
    auto layers =
        backend.measureLayers(*concrete, batchSizes[0], warmup, repeats, seed);
    if (!layers)
      return error(withCandidate(encoding, layers.takeError()));
    if (!csv)
      table.clear(), position.clear();
    double total = 0;
    for (const target::LayerLatency &layer : *layers) {
      total += layer.seconds;
      auto [it, inserted] = position.try_emplace(layer.key, table.size());
      if (inserted)
        table.push_back({layer.key});
      ++table[it->second].count;
      table[it->second].ms += layer.seconds * 1e3;
    }
    if (csv)
      continue;
    os << "candidate " << encoding << " (batch " << batchSizes[0]
       << ", each layer alone)\n";
    for (const Entry &entry : table)
      os << llvm::format("  %-46s %3ux %10.4f ms\n", entry.key.c_str(),
                         entry.count, entry.ms / entry.count);
    os << llvm::format("  %zu layers, sum %.3f ms\n", layers->size(),
                       total * 1e3);
  }
  if (csv) {
    os << "key,latency_ms\n";
    for (const Entry &entry : table)
      os << entry.key << "," << llvm::format("%.6f", entry.ms / entry.count)
         << "\n";
  }
  return 0;
}

int tool::runMeasureCommand() {
  llvm::Expected<target::TargetBackend &> backend =
      target::getTargetBackend(targetKind);
  if (!backend)
    return error("--target: " + llvm::toString(backend.takeError()));
  SmallVector<int> batchSizes;
  for (StringRef item : llvm::split(StringRef(batches), ',')) {
    int value = 0;
    if (item.trim().getAsInteger(10, value) || value < 1)
      return error("--batch needs positive integers, got '" + item + "'");
    batchSizes.push_back(value);
  }
  // The flags stand for tunables: the tunables' ranges bound them.
  if (lanes.getNumOccurrences())
    if (std::string why = nas::checkTunableFlag(nas::TargetKind::fpga, "pe",
                                                "--pe", lanes);
        !why.empty())
      return error(why);
  if (threads.getNumOccurrences())
    if (std::string why = nas::checkTunableFlag(
            nas::TargetKind::cpu, "threads", "--threads", threads);
        !why.empty())
      return error(why);
  if (candidates.empty() && sample == 0)
    return error("give --candidate ENCODING or --sample N");
  if (int(fakeQuant) + int(staticInt8) + int(floatNetwork) > 1)
    return error("--fake-quant, --static-int8 and --float exclude each other");

  std::string message;
  LoadedSpec loaded;
  if (!loaded.load(specPath, "measure"))
    return 1;
  std::optional<Space> &space = loaded.space;

  std::vector<Candidate> chosen;
  for (const std::string &encoding : candidates) {
    FailureOr<Candidate> candidate = space->decode(encoding, message);
    if (failed(candidate))
      return error("--candidate: " + message);
    chosen.push_back(*candidate);
  }
  Random random(seed);
  for (Candidate &candidate : sampleDistinct(*space, random, sample))
    chosen.push_back(std::move(candidate));

  llvm::raw_ostream &os = llvm::outs();
  if (perLayer)
    return measureLayers(*backend, *space, chosen, batchSizes, os);
  // The CSV header waits for the first candidate: a backend's report (an
  // FPGA design's cycles and resources) adds columns.
  bool headerWritten = false;
  if (rounds < 1)
    return error("--rounds must be at least 1");
  if (rounds > 1 && compareTorch)
    return error("--rounds times nasc's code only: no --torch");
  // With several rounds every candidate stays compiled until the end.
  struct Measured {
    std::string encoding;
    OwningOpRef<ModuleOp> concrete;
    uint64_t macs = 0;
    std::unique_ptr<target::CompiledCandidate> network;
    std::vector<target::LatencyStats> best; // per batch size
  };
  auto print = [&](Measured &m) -> bool {
    nas::SpecOp spec = *m.concrete->getOps<nas::SpecOp>().begin();
    std::vector<std::pair<std::string, std::string>> report =
        m.network->getReport();
    if (csv && !headerWritten) {
      os << "encoding,batch,median_ms,p25_ms,p75_ms,min_ms,repeats,macs,"
            "gflops,torch_median_ms";
      for (const auto &[column, value] : report)
        os << "," << column;
      os << "\n";
      headerWritten = true;
    }
    if (!csv) {
      os << "candidate " << m.encoding << " (" << m.macs << " MACs)\n";
      if (!report.empty()) {
        os << " ";
        for (const auto &[column, value] : report)
          os << " " << column << " " << (value.empty() ? "-" : value);
        os << "\n";
      }
    }
    for (size_t b = 0; b < batchSizes.size(); ++b) {
      int batch = batchSizes[b];
      const target::LatencyStats &t = m.best[b];
      double gflops = 2.0 * double(m.macs) * batch / (t.median * 1e9);
      double torchMs = -1;
      if (compareTorch && !timeTorch(spec, batch, torchMs, message)) {
        error(message);
        return false;
      }
      if (csv) {
        os << '"' << m.encoding << "\"," << batch << ","
           << llvm::format("%.4f,%.4f,%.4f,%.4f", t.median * 1e3, t.p25 * 1e3,
                           t.p75 * 1e3, t.min * 1e3)
           << "," << t.repeats << "," << m.macs << ","
           << llvm::format("%.2f", gflops) << ","
           << llvm::format("%.4f", torchMs);
        for (const auto &[column, value] : report)
          os << ","
             << (value.find(',') == std::string::npos ? value
                                                      : '"' + value + '"');
        os << "\n";
        continue;
      }
      os << llvm::format("  batch %d: median %.3f ms (IQR %.3f-%.3f ms, min "
                         "%.3f ms, %u runs), %.2f GFLOP/s\n",
                         batch, t.median * 1e3, t.p25 * 1e3, t.p75 * 1e3,
                         t.min * 1e3, t.repeats, gflops);
      if (compareTorch)
        os << llvm::format("           LibTorch eager %.3f ms: ratio %.2f\n",
                           torchMs, t.median * 1e3 / torchMs);
    }
    return true;
  };
  auto time = [&](Measured &m) {
    for (size_t b = 0; b < batchSizes.size(); ++b) {
      target::LatencyStats t = m.network->time(batchSizes[b], warmup, repeats);
      if (m.best.size() <= b)
        m.best.push_back(t);
      else if (t.median < m.best[b].median)
        m.best[b] = t;
    }
  };
  std::vector<Measured> all;
  for (const Candidate &candidate : chosen) {
    Measured m;
    m.encoding = space->encode(candidate);
    m.concrete = space->materialize(candidate);
    nas::SpecOp spec = *m.concrete->getOps<nas::SpecOp>().begin();
    m.macs = CostAnalysis(spec).getTotals().macs;
    target::CodeOptions code;
    code.weightsPath = weightsFile;
    code.seed = seed;
    code.integerArithmetic = !fakeQuant;
    code.staticInt8 = staticInt8;
    code.quantize = !floatNetwork;
    code.cpuFeatures = features;
    code.part = part;
    code.lanes = lanes.getNumOccurrences() ? int64_t(lanes) : 0;
    code.hardwareTemplate = hardwareTemplate;
    code.stages = stages;
    code.threads = threads.getNumOccurrences() ? int64_t(threads) : 0;
    auto network = backend->compile(spec, code);
    if (!network)
      return error(withCandidate(m.encoding, network.takeError()));
    m.network = std::move(*network);
    if (rounds == 1) {
      // Measured and printed at once: nothing kept.
      time(m);
      if (!print(m))
        return 1;
      continue;
    }
    all.push_back(std::move(m));
  }
  // Empty with one round: each was timed and printed as compiled.
  for (unsigned r = 0; r < rounds && !all.empty(); ++r)
    for (Measured &m : all)
      time(m);
  for (Measured &m : all)
    if (!print(m))
      return 1;
  return 0;
}
