//===- nasc.cpp - The nasc compiler driver --------------------------------===//
//
// nasc FILE.nas            compile and print a summary of the space
// nasc FILE.nas --emit=mlir  print the nas dialect
// A .mlir input (or -x=mlir) is parsed as the nas dialect instead.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Driver/SpaceCosts.h"
#include "nasc/Driver/SpaceOutput.h"
#include "nasc/Driver/Summary.h"
#include "nasc/Frontend/Frontend.h"
#include "nasc/Space/Space.h"
#include "nasc/Target/InitAllTargets.h"

#include "CostColumns.h"
#include "CostCommands.h"
#include "EmitCode.h"
#include "Input.h"
#include "MeasureCommand.h"
#include "ValueParser.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/ToolUtilities.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory nascCategory("nasc options");

static cl::opt<std::string>
    inputFilename(cl::Positional, cl::desc("<input .nas or .mlir file>"),
                  cl::init("-"), cl::cat(nascCategory));

static cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::init("-"),
                                           cl::cat(nascCategory));

namespace {
enum class InputKind { Auto, Nas, MLIR };
enum class Emit {
  Summary,
  MLIR,
  Stats,
  Candidates,
  Layers,
  Kernels,
  Linalg,
  LLVM,
  CPU,
  FPGA,
  GPU,
  ONNX
};

/// The --emit value that names `emit` (the code-emitting ones).
llvm::StringRef getEmitName(Emit emit) {
  switch (emit) {
  case Emit::Kernels:
    return "kernels";
  case Emit::Linalg:
    return "linalg";
  case Emit::LLVM:
    return "llvm";
  case Emit::CPU:
    return "cpu";
  case Emit::FPGA:
    return "fpga";
  case Emit::GPU:
    return "gpu";
  case Emit::ONNX:
    return "onnx";
  default:
    return "?";
  }
}
} // namespace

static cl::opt<InputKind, false, nasc::tool::ValueParser<InputKind>> inputKind(
    "x", cl::desc("Input language (default: from the file extension)"),
    cl::init(InputKind::Auto),
    cl::values(clEnumValN(InputKind::Nas, "nas", ".nas source"),
               clEnumValN(InputKind::MLIR, "mlir", "nas dialect in MLIR")),
    cl::cat(nascCategory));

static cl::opt<Emit, false, nasc::tool::ValueParser<Emit>> emitAction(
    "emit", cl::desc("What to output"), cl::init(Emit::Summary),
    cl::values(
        clEnumValN(Emit::Summary, "summary",
                   "an outline of the space and its goals (default)"),
        clEnumValN(Emit::MLIR, "mlir", "the nas dialect"),
        clEnumValN(Emit::Stats, "stats",
                   "the exact size of the space, its decisions and (up to "
                   "--stats-limit) the range of its costs, latency and energy"),
        clEnumValN(Emit::Candidates, "candidates",
                   "a table of candidates: encoding, costs and decisions"),
        clEnumValN(Emit::Layers, "layers",
                   "the cost analysis's records of each candidate, as CSV "
                   "(encoding,record,kind,key,macs,flops,bytes,kernels,"
                   "inputs: what the cost models read, inputs the records "
                   "whose outputs a record reads; candidates chosen as for "
                   "--emit=candidates)"),
        clEnumValN(Emit::Kernels, "kernels",
                   "the kernels of the --candidate's CPU code, as CSV "
                   "(record,kind,key,macs,flops,bytes,inputs: the cost "
                   "models' records)"),
        clEnumValN(Emit::Linalg, "linalg",
                   "the --candidate's network as linalg on tensors"),
        clEnumValN(Emit::LLVM, "llvm", "the --candidate's network as LLVM IR"),
        clEnumValN(Emit::CPU, "cpu",
                   "native code for this CPU in the directory -o: NAME.h, "
                   "NAME.o, libNAME.a, main.c (docs/cpu.md)"),
        clEnumValN(Emit::FPGA, "fpga",
                   "an FPGA design in the directory -o: Verilog, memory "
                   "files, a Verilator testbench and build.sh (docs/fpga.md)"),
        clEnumValN(Emit::GPU, "gpu",
                   "PTX kernels and host C for an NVIDIA GPU in the "
                   "directory -o: NAME.ptx, NAME.c, NAME.h, NAME_data.o, the "
                   "driver-API runtime, main.c and build.sh (docs/gpu.md)"),
        clEnumValN(Emit::ONNX, "onnx",
                   "the --candidate's network as an ONNX model in the file -o, "
                   "with --weights or the seeded weights --emit=cpu uses "
                   "(docs/cli.md)")),
    cl::cat(nascCategory));

namespace {
enum class Format { Default, Text, CSV, JSON };
} // namespace

static cl::opt<Format, false, nasc::tool::ValueParser<Format>> outputFormat(
    "format",
    cl::desc("Format of --emit=stats (text) and --emit=candidates (csv)"),
    cl::init(Format::Default),
    cl::values(clEnumValN(Format::Text, "text", "plain text (stats)"),
               clEnumValN(Format::CSV, "csv", "comma-separated (candidates)"),
               clEnumValN(Format::JSON, "json", "JSON")),
    cl::cat(nascCategory));

static cl::opt<std::string>
    fpgaPart("fpga-part",
             cl::desc("--emit=fpga: the part build.sh synthesizes for "
                      "(up5k, hx8k, xc7z020; default up5k)"),
             cl::value_desc("part"), cl::init("up5k"), cl::cat(nascCategory));

static cl::opt<unsigned>
    fpgaLanes("fpga-pe",
              cl::desc("--emit=fpga: the engine's lanes, output channels a "
                       "convolution computes at once; a dataflow engine's "
                       "most (default: the fpga target's tunable `pe`, else "
                       "1)"),
              cl::value_desc("N"), cl::init(1), cl::cat(nascCategory));

static cl::opt<std::string> targetCPU(
    "cpu",
    cl::desc("--emit=cpu|llvm: the CPU the code is for, LLVM's name "
             "(znver4, skylake-avx512, x86-64-v3; default: this machine's); "
             "the object refuses to run on a CPU without its features"),
    cl::value_desc("name"), cl::cat(nascCategory));

static cl::opt<std::string> targetFeatures(
    "mattr",
    cl::desc("--emit=cpu|llvm: CPU features to add or remove, as "
             "+avx512f,-avx512vnni (LLVM's names)"),
    cl::value_desc("+a,-b"), cl::cat(nascCategory));

static cl::opt<unsigned> cpuThreads(
    "threads",
    cl::desc("--emit=cpu: the threads NAME_run shares a batch among when "
             "its caller passes 0 (1 to 64; default: the cpu target's "
             "tunable `threads`, else 1)"),
    cl::value_desc("N"), cl::init(1), cl::cat(nascCategory));

static cl::opt<std::string> gpuArch(
    "gpu-arch",
    cl::desc("--emit=gpu: the GPU the PTX is for (sm_75, sm_80, sm_86, "
             "sm_89, sm_90; default: the gpu target's tunable `arch`, else "
             "sm_90)"),
    cl::value_desc("sm_NN"), cl::cat(nascCategory));

static cl::opt<int> gpuThreadTile(
    "gpu-thread-tile",
    cl::desc("--emit=gpu: output elements a thread computes, 1 to 16 "
             "(default: the gpu target's tunable `thread_tile`, else 1)"),
    cl::value_desc("N"), cl::init(1), cl::cat(nascCategory));

static cl::opt<std::string> gpuPrecision(
    "gpu-precision",
    cl::desc("--emit=gpu: how the workspace and the weights store floats: "
             "fp32, or fp16 with float arithmetic (default: the gpu "
             "target's tunable `precision`, else fp32)"),
    cl::value_desc("fp32|fp16"), cl::cat(nascCategory));

static cl::opt<bool> gpuEmulation(
    "gpu-emulation",
    cl::desc("--emit=gpu: also write NAME_emu.o, the kernels for this CPU, "
             "which a mock CUDA driver runs (tests)"),
    cl::Hidden, cl::cat(nascCategory));

static cl::opt<std::string> fpgaTemplate(
    "fpga-template",
    cl::desc("--emit=fpga: folded (one engine runs every layer) or dataflow "
             "(a chain of engines, one per stage; default: the fpga "
             "target's tunable `template`, else folded)"),
    cl::value_desc("folded|dataflow"), cl::cat(nascCategory));

static cl::opt<unsigned> fpgaStages(
    "fpga-stages",
    cl::desc("--emit=fpga --fpga-template=dataflow: the most engines, "
             "adjacent stages merged to balance their cycles (default: the "
             "fpga target's tunable `stages`, else one per stage)"),
    cl::value_desc("N"), cl::init(0), cl::cat(nascCategory));

static cl::opt<std::string> candidateEncoding(
    "candidate",
    cl::desc("Resolve the space to this candidate (canonical encoding) "
             "before --emit=summary or --emit=mlir"),
    cl::value_desc("encoding"), cl::cat(nascCategory));

static cl::opt<std::string> limitOption(
    "limit",
    cl::desc("--emit=candidates: the first N candidates in enumeration order"),
    cl::value_desc("N"), cl::cat(nascCategory));

static cl::opt<uint64_t>
    sampleCount("sample",
                cl::desc("--emit=candidates: N different candidates drawn "
                         "uniformly (without replacement) with --seed"),
                cl::value_desc("N"), cl::init(0), cl::cat(nascCategory));

static cl::opt<uint64_t>
    seed("seed",
         cl::desc("Seed of --sample and of the weight initializer of "
                  "--emit=linalg|llvm|cpu (default 0)"),
         cl::init(0), cl::cat(nascCategory));

static cl::opt<std::string> weightsFile(
    "weights",
    cl::desc("--emit=linalg|llvm|cpu: the weights of this LibTorch archive "
             "(a search's best.pt) instead of seeded ones"),
    cl::value_desc("FILE"), cl::cat(nascCategory));

static cl::opt<bool> fakeQuant(
    "fake-quant",
    cl::desc(
        "--emit=linalg|llvm|cpu|gpu: compute layers quantized to at most 8 "
        "bits in float, as LibTorch's fake quantization (default: int8 "
        "levels with int32 sums)"),
    cl::cat(nascCategory));

static cl::opt<bool> staticInt8(
    "static-int8",
    cl::desc("--emit=linalg|llvm|cpu: compute the candidate's integer network "
             "(every activation int8 with a static scale from a seeded "
             "calibration, fixed-point requantization: the FPGA backend's "
             "arithmetic) instead of quantizing activations at run time"),
    cl::cat(nascCategory));

static cl::opt<bool> floatNetwork(
    "float",
    cl::desc("--emit=linalg|llvm|cpu: compute every layer in float at full "
             "precision, ignoring the candidate's bit widths (its pruning "
             "stays): the baseline of its quantized code"),
    cl::cat(nascCategory));

static cl::opt<uint64_t> statsLimit(
    "stats-limit",
    cl::desc("--emit=stats: evaluate every candidate's costs when the space "
             "has at most this many (default 1000000)"),
    cl::init(1'000'000), cl::cat(nascCategory));

static cl::opt<bool> uniqueOnly(
    "unique",
    cl::desc("Deduplicate cells up to isomorphism: --emit=stats counts the "
             "unique candidates, --emit=candidates skips repeats"),
    cl::init(false), cl::cat(nascCategory));

static cl::opt<std::string> encodingsFile(
    "encodings",
    cl::desc("--emit=candidates: exactly the candidates listed in FILE, one "
             "encoding per line, in that order"),
    cl::value_desc("FILE"), cl::cat(nascCategory));

static cl::opt<unsigned>
    maxErrors("max-errors",
              cl::desc("Stop after this many errors (0: no limit)"),
              cl::init(20), cl::cat(nascCategory));

static cl::opt<bool> verifyDiagnostics(
    "verify-diagnostics",
    cl::desc("Check diagnostics against expected-* comments (for tests)"),
    cl::init(false), cl::cat(nascCategory));

static cl::opt<bool> splitInputFile(
    "split-input-file",
    cl::desc("Compile each chunk between '// -----' lines on its own"),
    cl::init(false), cl::cat(nascCategory));

/// Parses the input into a module holding a nas.spec.
static OwningOpRef<ModuleOp> parseInput(llvm::SourceMgr &sourceMgr,
                                        MLIRContext &context) {
  bool isMLIR = inputKind == InputKind::MLIR ||
                (inputKind == InputKind::Auto &&
                 llvm::StringRef(inputFilename).ends_with(".mlir"));
  return nasc::tool::parseSpec(sourceMgr, context, isMLIR, maxErrors);
}

OwningOpRef<ModuleOp> nasc::tool::parseSpec(llvm::SourceMgr &sourceMgr,
                                            MLIRContext &context, bool isMLIR,
                                            unsigned maxErrors) {
  if (!isMLIR) {
    nasc::FrontendOptions options;
    options.maxErrors = maxErrors;
    return nasc::parseNasSource(sourceMgr, &context, options);
  }
  if (failed(nasc::checkMLIRNesting(sourceMgr, &context)))
    return nullptr;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return nullptr;
  auto specs = module->getOps<nasc::nas::SpecOp>();
  if (std::distance(specs.begin(), specs.end()) != 1) {
    emitError(module->getLoc()) << "expected exactly one 'nas.spec' in the "
                                   "input module";
    return nullptr;
  }
  return module;
}

/// Compiles one buffer (the whole input, or one split of it) and writes the
/// requested output to `os`.
static LogicalResult processBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                   llvm::raw_ostream &os) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  MLIRContext context;
  context.getOrLoadDialect<nasc::nas::NASDialect>();
  // Diagnostics point at the source; the op in generic form adds nothing.
  context.printOpOnDiagnostic(false);

  if (verifyDiagnostics) {
    SourceMgrDiagnosticVerifierHandler handler(sourceMgr, &context);
    (void)parseInput(sourceMgr, context);
    return handler.verify();
  }

  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseInput(sourceMgr, context);
  if (!module)
    return failure();
  auto spec = *module->getOps<nasc::nas::SpecOp>().begin();
  FailureOr<nasc::Space> space = nasc::Space::build(spec);
  if (failed(space))
    return failure();
  // With --candidate, `module` becomes its concrete spec; the space's own
  // module stays alive beside it, since `space` reads it (the tables list
  // the candidate by its encoding in the space).
  OwningOpRef<ModuleOp> spaceModule;
  std::optional<nasc::Candidate> chosen;
  if (!candidateEncoding.empty()) {
    std::string error;
    FailureOr<nasc::Candidate> candidate =
        space->decode(candidateEncoding, error);
    if (failed(candidate)) {
      llvm::errs() << "nasc: error: --candidate: " << error << "\n";
      return failure();
    }
    chosen = *candidate;
    spaceModule = std::move(module);
    module = space->materialize(*candidate);
    if (failed(verify(*module)))
      return failure();
    // --emit=stats describes the candidate alone: the space it resolves to.
    if (emitAction == Emit::Stats) {
      space = nasc::Space::build(*module->getOps<nasc::nas::SpecOp>().begin());
      if (failed(space))
        return failure();
    }
  }
  switch (emitAction) {
  case Emit::Stats: {
    std::optional<llvm::DynamicAPInt> unique;
    if (uniqueOnly) {
      FailureOr<llvm::DynamicAPInt> count = space->countUnique();
      if (failed(count)) {
        llvm::errs() << "nasc: error: --unique: a cell has too many "
                        "candidates to compare\n";
        return failure();
      }
      unique = *count;
    }
    // Costs over the space: folded, or evaluated one by one when it cannot
    // be folded and is small enough; with the analytical latency and energy
    // on the targets, as --emit=candidates --target-costs prints them.
    FailureOr<nasc::SpaceCostModel> model = nasc::SpaceCostModel::build(*space);
    if (failed(model))
      return failure();
    nasc::RecordMetrics targetCosts =
        nasc::cost::getAnalyticalRecordMetrics(space->getSpec());
    model->setRecordMetrics(&targetCosts);
    std::optional<nasc::SpaceCosts> costs;
    std::string unavailable = nasc::getUnfoldableReason(*model);
    if (!unavailable.empty() &&
        space->size() > llvm::DynamicAPInt(int64_t(statsLimit))) {
      unavailable += ", and the space has more than --stats-limit=" +
                     std::to_string(statsLimit) + " candidates to evaluate";
    } else {
      FailureOr<nasc::SpaceCosts> computed =
          nasc::computeSpaceCosts(*model, statsLimit);
      if (failed(computed))
        return failure();
      costs = std::move(*computed);
      nasc::reportInfeasible(*costs);
    }
    nasc::printSpaceStats(*space,
                          outputFormat == Format::JSON
                              ? nasc::OutputFormat::JSON
                              : nasc::OutputFormat::Text,
                          os, unique, costs ? &*costs : nullptr, unavailable);
    break;
  }
  case Emit::Layers:
  case Emit::Candidates: {
    nasc::CandidateSelection selection;
    if (!limitOption.empty()) {
      int64_t limit = 0;
      if (StringRef(limitOption).getAsInteger(10, limit) || limit < 0) {
        llvm::errs() << "nasc: error: --limit needs a non-negative integer, "
                        "got '"
                     << limitOption << "'\n";
        return failure();
      }
      selection.limit = limit;
    }
    selection.sample = sampleCount;
    selection.seed = seed;
    selection.encodingsFile = encodingsFile;
    selection.unique = uniqueOnly;
    if (chosen)
      selection.candidates.push_back(*chosen);
    if (emitAction == Emit::Layers) {
      if (failed(nasc::tool::writeLayerRecords(*space, selection, context, os)))
        return failure();
      break;
    }
    // Latency and energy on targets, when asked for.
    std::optional<nasc::ExtraColumns> costColumns;
    if (nasc::tool::wantsCostColumns()) {
      std::string error;
      costColumns = nasc::tool::makeCostColumns(*space, error);
      if (!costColumns) {
        llvm::errs() << "nasc: error: " << error << "\n";
        return failure();
      }
    }
    if (failed(nasc::writeCandidates(
            *space, selection,
            outputFormat == Format::JSON ? nasc::OutputFormat::JSON
                                         : nasc::OutputFormat::CSV,
            context, os, costColumns ? &*costColumns : nullptr)))
      return failure();
  } break;
  case Emit::Summary:
    nasc::printSpecSummary(*module->getOps<nasc::nas::SpecOp>().begin(), os);
    break;
  case Emit::MLIR:
    module->print(os);
    os << "\n";
    break;
  case Emit::Kernels:
  case Emit::Linalg:
  case Emit::LLVM:
  case Emit::CPU:
  case Emit::FPGA:
  case Emit::GPU:
  case Emit::ONNX: {
    if (candidateEncoding.empty() && space->size() != llvm::DynamicAPInt(1)) {
      llvm::errs() << "nasc: error: --emit=" << getEmitName(emitAction)
                   << " needs --candidate ENCODING: the space has "
                   << space->size() << " candidates\n";
      return failure();
    }
    if (candidateEncoding.empty())
      module = space->materialize(space->unrank(llvm::DynamicAPInt(0)));
    if (emitAction == Emit::Kernels) {
      std::string error;
      auto kernels = nasc::cost::getKernelWork(
          *module->getOps<nasc::nas::SpecOp>().begin(), error);
      if (failed(kernels)) {
        llvm::errs() << "nasc: error: " << error << "\n";
        return failure();
      }
      os << "record,kind,key,macs,flops,bytes,inputs\n";
      for (auto [index, k] : llvm::enumerate(*kernels)) {
        os << index << "," << k.kind << ",\"" << k.key << "\","
           << llvm::format("%.0f,%.0f,%.0f", k.macs, k.flops, k.bytes) << ",";
        llvm::interleave(k.inputs, os, " ");
        os << "\n";
      }
      break;
    }
    if (int(fakeQuant) + int(staticInt8) + int(floatNetwork) > 1) {
      llvm::errs() << "nasc: error: --fake-quant, --static-int8 and --float "
                      "exclude each other\n";
      return failure();
    }
    // The arithmetic flags choose the CPU lowering's (--fake-quant the GPU
    // lowering's too); other backends have their own and must not ignore
    // them silently.
    bool cpuCode = emitAction == Emit::Linalg || emitAction == Emit::LLVM ||
                   emitAction == Emit::CPU;
    for (auto [flag, applies] :
         {std::pair{&fakeQuant, cpuCode || emitAction == Emit::GPU},
          std::pair{&staticInt8, cpuCode}, std::pair{&floatNetwork, cpuCode}})
      if (*flag && !applies) {
        llvm::errs() << "nasc: error: --" << flag->ArgStr
                     << " applies to --emit="
                     << (flag == &fakeQuant ? "linalg|llvm|cpu|gpu"
                                            : "linalg|llvm|cpu")
                     << ", not --emit=" << getEmitName(emitAction) << "\n";
        return failure();
      }
    // The GPU's flags change only its code.
    for (auto [name, given] :
         {std::pair{"gpu-arch", !gpuArch.empty()},
          std::pair{"gpu-thread-tile", gpuThreadTile.getNumOccurrences() > 0},
          std::pair{"gpu-precision", !gpuPrecision.empty()}})
      if (given && emitAction != Emit::GPU) {
        llvm::errs() << "nasc: error: --" << name
                     << " applies to --emit=gpu, not --emit="
                     << getEmitName(emitAction) << "\n";
        return failure();
      }
    nasc::tool::CodeOptions options;
    options.weights = weightsFile;
    options.seed = seed;
    options.integerArithmetic = !fakeQuant;
    options.staticInt8 = staticInt8;
    options.quantize = !floatNetwork;
    nasc::tool::CodeKind kind =
        emitAction == Emit::Linalg ? nasc::tool::CodeKind::Linalg
        : emitAction == Emit::LLVM ? nasc::tool::CodeKind::LLVM
        : emitAction == Emit::CPU  ? nasc::tool::CodeKind::CPU
        : emitAction == Emit::ONNX ? nasc::tool::CodeKind::ONNX
        : emitAction == Emit::GPU  ? nasc::tool::CodeKind::GPU
                                   : nasc::tool::CodeKind::FPGA;
    options.gpuArch = gpuArch;
    options.gpuEmulation = gpuEmulation;
    options.gpuThreadTile =
        gpuThreadTile.getNumOccurrences() ? int64_t(gpuThreadTile) : 0;
    options.gpuPrecision = gpuPrecision;
    options.part = fpgaPart;
    // Unset: the fpga target's tunable `pe` decides, else 1.
    options.lanes = fpgaLanes.getNumOccurrences() ? int64_t(fpgaLanes) : 0;
    options.threads = cpuThreads.getNumOccurrences() ? int64_t(cpuThreads) : 0;
    // The flags stand for tunables: the tunables' ranges bound them.
    std::string why;
    if (fpgaLanes.getNumOccurrences())
      why = nasc::nas::checkTunableFlag(nasc::nas::TargetKind::fpga, "pe",
                                        "--fpga-pe", fpgaLanes);
    if (why.empty() && gpuThreadTile.getNumOccurrences())
      why =
          nasc::nas::checkTunableFlag(nasc::nas::TargetKind::gpu, "thread_tile",
                                      "--gpu-thread-tile", gpuThreadTile);
    if (why.empty() && !gpuPrecision.empty() && gpuPrecision != "fp32" &&
        gpuPrecision != "fp16")
      why = "--gpu-precision must be fp32 or fp16, not '" + gpuPrecision + "'";
    if (why.empty() && cpuThreads.getNumOccurrences())
      why = nasc::nas::checkTunableFlag(nasc::nas::TargetKind::cpu, "threads",
                                        "--threads", cpuThreads);
    if (!why.empty()) {
      llvm::errs() << "nasc: error: " << why << "\n";
      return failure();
    }
    // The backend checks them (and the target's tunables).
    options.hardwareTemplate = fpgaTemplate;
    options.cpu = targetCPU;
    options.cpuFeatures = targetFeatures;
    options.stages = fpgaStages;
    if (failed(
            nasc::tool::emitCode(*module->getOps<nasc::nas::SpecOp>().begin(),
                                 kind, options, outputFilename, os)))
      return failure();
    break;
  }
  }
  return success();
}

/// Compiles each chunk between `// -----` lines on its own. Every chunk keeps
/// the file's name and its own line numbers (earlier lines become blank), so
/// diagnostics point into the original file.
static LogicalResult processSplits(const llvm::MemoryBuffer &input,
                                   llvm::raw_ostream &os) {
  llvm::StringRef rest = input.getBuffer();
  size_t linesBefore = 0;
  bool allOk = true, first = true;
  while (true) {
    // A marker is a line that starts with "// -----".
    size_t marker = llvm::StringRef::npos;
    for (size_t pos = 0; pos < rest.size();) {
      if (rest.substr(pos).starts_with(kDefaultSplitMarker) &&
          (pos == 0 || rest[pos - 1] == '\n')) {
        marker = pos;
        break;
      }
      size_t newline = rest.find('\n', pos);
      if (newline == llvm::StringRef::npos)
        break;
      pos = newline + 1;
    }
    llvm::StringRef chunk = rest.substr(0, marker);
    std::string text(linesBefore, '\n');
    text += chunk.str();
    if (!first)
      os << kDefaultSplitMarker << "\n";
    first = false;
    allOk &= succeeded(processBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, input.getBufferIdentifier()),
        os));
    if (marker == llvm::StringRef::npos)
      break;
    // Skip the chunk and the marker line.
    size_t markerEnd = rest.find('\n', marker);
    linesBefore += chunk.count('\n') + 1;
    if (markerEnd == llvm::StringRef::npos)
      break;
    rest = rest.substr(markerEnd + 1);
  }
  return success(allOk);
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  nasc::registerAllTargetBackends();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  // libLLVM registers hundreds of unrelated options: show ours, and the
  // MLIR printing options a user of --emit=mlir wants.
  cl::HideUnrelatedOptions(
      {&nascCategory, &nasc::tool::getCostColumnCategory()});
  cl::HideUnrelatedOptions(nasc::tool::getCostCommandCategory(),
                           nasc::tool::getCalibrateSubCommand());
  cl::HideUnrelatedOptions(nasc::tool::getCostCommandCategory(),
                           nasc::tool::getTransferSubCommand());
  cl::HideUnrelatedOptions(nasc::tool::getSearchCategory(),
                           nasc::tool::getSearchSubCommand());
  cl::HideUnrelatedOptions(nasc::tool::getMeasureCategory(),
                           nasc::tool::getMeasureSubCommand());
  llvm::StringMap<cl::Option *> &options = cl::getRegisteredOptions();
  for (llvm::StringRef name :
       {"mlir-print-debuginfo", "mlir-pretty-debuginfo",
        "mlir-print-op-generic", "mlir-print-local-scope"})
    if (cl::Option *option = options.lookup(name)) {
      option->setHiddenFlag(cl::NotHidden);
      option->addCategory(nascCategory);
    }
  cl::ParseCommandLineOptions(
      argc, argv,
      "nasc: compiler for hardware-aware neural architecture search\n\n"
      "  nasc examples/nb201.nas              print the compiled space\n"
      "  nasc examples/nb201.nas --emit=mlir  print the nas dialect\n"
      "  nasc search examples/nb201.nas ...   search the space (nasc search "
      "--help)\n"
      "  nasc measure examples/nb201.nas --candidate ENCODING\n"
      "                                       latency of its native code\n"
      "  nasc calibrate SPEC --target T --measurements CSV --out M.json\n"
      "                                       fit a target's cost model\n"
      "  nasc transfer SPEC --trials trials.csv --cost-model M.json --out "
      "DIR\n"
      "                                       re-rank a search for a new "
      "target\n");
  if (nasc::tool::isSearchCommand())
    return nasc::tool::runSearchCommand();
  if (nasc::tool::isMeasureCommand())
    return nasc::tool::runMeasureCommand();
  if (nasc::tool::isCalibrateCommand())
    return nasc::tool::runCalibrateCommand();
  if (nasc::tool::isTransferCommand())
    return nasc::tool::runTransferCommand();

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << "nasc: error: " << errorMessage << "\n";
    return 1;
  }
  // --emit=cpu|fpga write a directory, all files or none; --emit=onnx a
  // binary file, whole or not at all.
  if (emitAction == Emit::CPU || emitAction == Emit::FPGA ||
      emitAction == Emit::GPU || emitAction == Emit::ONNX) {
    if (outputFilename == "-") {
      llvm::errs() << "nasc: error: --emit="
                   << (emitAction == Emit::CPU    ? "cpu needs -o DIR"
                       : emitAction == Emit::FPGA ? "fpga needs -o DIR"
                       : emitAction == Emit::GPU  ? "gpu needs -o DIR"
                                                  : "onnx needs -o FILE")
                   << "\n";
      return 1;
    }
    return failed(processBuffer(std::move(input), llvm::nulls())) ? 1 : 0;
  }
  // The output file is kept only when every buffer compiled: a failed run
  // leaves nothing half-written behind.
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << "nasc: error: " << errorMessage << "\n";
    return 1;
  }
  LogicalResult result = splitInputFile
                             ? processSplits(*input, output->os())
                             : processBuffer(std::move(input), output->os());
  if (failed(result))
    return 1;
  output->keep();
  return 0;
}
