//===- MeasureCommand.cpp - nasc measure: latency of emitted code ---------===//
//
// Compiles candidates with the CPU backend (the same pipeline as
// --emit=cpu, run through the JIT) and times the C entry point on this
// machine: warm-up runs, then repeats; median and interquartile range per
// batch size.
//
//===----------------------------------------------------------------------===//

#include "MeasureCommand.h"

#include "EmitCode.h"
#include "Input.h"
#include "TrainingPlugin.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Space/Space.h"
#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/TorchWeights.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <chrono>

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

static cl::opt<std::string> target("target",
                                   cl::desc("Where to run: cpu (default)"),
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

static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs first (default 3)"),
                                cl::init(3), cl::sub(measureCommand),
                                cl::cat(measureCategory));

static cl::opt<std::string>
    weightsFile("weights",
                cl::desc("Weights from this LibTorch archive (best.pt)"),
                cl::value_desc("FILE"), cl::sub(measureCommand),
                cl::cat(measureCategory));

static cl::opt<bool> csv("csv", cl::desc("Print CSV instead of text"),
                         cl::init(false), cl::sub(measureCommand),
                         cl::cat(measureCategory));

static cl::opt<bool>
    compareTorch("torch",
                 cl::desc("Also time LibTorch's eager forward of the same "
                          "network (one thread) and print the ratio"),
                 cl::init(false), cl::sub(measureCommand),
                 cl::cat(measureCategory));

bool tool::isMeasureCommand() { return bool(measureCommand); }
cl::OptionCategory &tool::getMeasureCategory() { return measureCategory; }
cl::SubCommand &tool::getMeasureSubCommand() { return measureCommand; }

static int error(const llvm::Twine &message) {
  llvm::errs() << "nasc measure: error: " << message << "\n";
  return 1;
}

namespace {
struct Timing {
  double median, p25, p75, min;
};
} // namespace

/// Quantile by linear interpolation of the sorted samples.
static double quantile(const std::vector<double> &sorted, double q) {
  double pos = q * double(sorted.size() - 1);
  size_t i = size_t(pos);
  double frac = pos - double(i);
  return i + 1 < sorted.size() ? sorted[i] * (1 - frac) + sorted[i + 1] * frac
                               : sorted[i];
}

static Timing measure(const cpu::JitNetwork &network, int batch) {
  const LoweredSignature &sig = network.getSignature();
  std::vector<float> input(size_t(sig.inputElements()) * batch),
      output(size_t(sig.outputElements()) * batch);
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = float((i * 7919) % 2001) / 1000.0f - 1.0f;
  for (unsigned i = 0; i < warmup; ++i)
    network.run(input.data(), output.data(), batch);
  std::vector<double> ms;
  for (unsigned i = 0; i < std::max(1u, repeats.getValue()); ++i) {
    auto start = std::chrono::steady_clock::now();
    network.run(input.data(), output.data(), batch);
    auto end = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {quantile(ms, 0.5), quantile(ms, 0.25), quantile(ms, 0.75), ms[0]};
}

int tool::runMeasureCommand() {
  if (target != "cpu")
    return error("unknown --target '" + target + "': expected cpu");
  SmallVector<int> batchSizes;
  for (StringRef item : llvm::split(StringRef(batches), ',')) {
    int value = 0;
    if (item.trim().getAsInteger(10, value) || value < 1)
      return error("--batch needs positive integers, got '" + item + "'");
    batchSizes.push_back(value);
  }
  if (candidates.empty() && sample == 0)
    return error("give --candidate ENCODING or --sample N");

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(specPath, &message);
  if (!input)
    return error(message);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  MLIRContext context;
  context.getOrLoadDialect<nas::NASDialect>();
  context.printOpOnDiagnostic(false);
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSpec(
      sourceMgr, context, StringRef(specPath).ends_with(".mlir"), 20);
  if (!module)
    return 1;
  FailureOr<Space> space = Space::build(*module->getOps<nas::SpecOp>().begin());
  if (failed(space))
    return 1;

  std::vector<Candidate> chosen;
  for (const std::string &encoding : candidates) {
    FailureOr<Candidate> candidate = space->decode(encoding, message);
    if (failed(candidate))
      return error("--candidate: " + message);
    chosen.push_back(*candidate);
  }
  Random random(seed);
  for (unsigned i = 0; i < sample; ++i)
    chosen.push_back(space->sample(random));

  llvm::raw_ostream &os = llvm::outs();
  if (csv)
    os << "encoding,batch,median_ms,p25_ms,p75_ms,min_ms,repeats,macs,"
          "gflops,torch_median_ms\n";
  CodeOptions options;
  options.weights = weightsFile;
  options.seed = seed;
  for (const Candidate &candidate : chosen) {
    std::string encoding = space->encode(candidate);
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    nas::SpecOp spec = *concrete->getOps<nas::SpecOp>().begin();
    uint64_t macs = CostAnalysis(spec).getTotals().macs;
    LoweredSignature signature;
    OwningOpRef<ModuleOp> lowered = lowerCandidate(spec, options, signature);
    std::string name = spec.getSymName().str();
    if (!lowered || failed(cpu::lowerToLLVMDialect(*lowered, name, {})))
      return 1;
    auto network = cpu::JitNetwork::create(*lowered, name, signature);
    if (!network)
      return error(llvm::toString(network.takeError()));
    if (!csv)
      os << "candidate " << encoding << " (" << macs << " MACs)\n";
    for (int batch : batchSizes) {
      Timing t = measure(**network, batch);
      double gflops = 2.0 * double(macs) * batch / (t.median * 1e6);
      double torchMs = -1;
      if (compareTorch) {
        auto exportWeights = reinterpret_cast<decltype(&nascExportTorchWeights)>(
            findEvalSymbol("nascExportTorchWeights", message));
        if (!exportWeights)
          return error(message);
        std::vector<float> in(size_t(signature.inputElements()) * batch, 0.5f),
            out;
        std::vector<NamedTensor> unused;
        cpu::TorchExportRequest request;
        request.seed = seed;
        request.input = in.data();
        request.batch = batch;
        request.output = &out;
        request.repeats = int(std::max(1u, repeats.getValue()));
        request.medianMs = &torchMs;
        if (!exportWeights(spec, &request, &unused, &message))
          return error(message);
      }
      if (csv) {
        os << '"' << encoding << "\"," << batch << ","
           << llvm::format("%.4f,%.4f,%.4f,%.4f", t.median, t.p25, t.p75,
                           t.min)
           << "," << repeats << "," << macs << ","
           << llvm::format("%.2f", gflops) << ","
           << llvm::format("%.4f", torchMs) << "\n";
        continue;
      }
      os << llvm::format("  batch %d: median %.3f ms (IQR %.3f-%.3f ms, min "
                         "%.3f ms, %u runs), %.2f GFLOP/s\n",
                         batch, t.median, t.p25, t.p75, t.min,
                         repeats.getValue(), gflops);
      if (compareTorch)
        os << llvm::format("           LibTorch eager %.3f ms: ratio %.2f\n",
                           torchMs, t.median / torchMs);
    }
  }
  return 0;
}
