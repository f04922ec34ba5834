//===- SearchCommand.cpp - nasc search --------------------------------------===//
//
// nasc search SPEC [--strategy S] [--budget N] [--seed S]
//   [--objective max:METRIC|min:METRIC ...] [--constraint 'METRIC<VALUE' ...]
//   [--formulation F] [--table CSV] [--db PATH] [--resume] [--out DIR]
//   [--jobs N] [--time-limit SECONDS] [--quiet]
//
//===----------------------------------------------------------------------===//

#include "Input.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Evaluators/EvaluatorConfig.h"
#include "nasc/Evaluators/TorchPlugin.h"
#include "nasc/Search/MPITrialCluster.h"
#include "nasc/Search/Search.h"
#include "nasc/Target/Common/TargetBackend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>

using namespace mlir;
using namespace nasc;
namespace cl = llvm::cl;

static cl::SubCommand searchCommand(
    "search",
    "Search the space: propose candidates with a strategy, evaluate them "
    "(costs from the analyses, a --table, cost models, or LibTorch training "
    "and proxies), store every trial in SQLite, and write the best candidate "
    "(best.mlir; with training best.pt, best.onnx and weights/) and the "
    "Pareto front (pareto.csv and plots; docs/search.md)");

static cl::OptionCategory searchCategory("nasc search options");

static cl::opt<std::string> specPath(cl::Positional, cl::Required,
                                     cl::desc("<spec .nas or .mlir>"),
                                     cl::sub(searchCommand),
                                     cl::cat(searchCategory));

static cl::opt<std::string>
    strategyName("strategy",
                 cl::desc("random, grid, evolution (regularized), nsga2, "
                          "reinforce, gradient (a weight-sharing supernet "
                          "with Gumbel softmax) (default: the spec's, else "
                          "random)"),
                 cl::value_desc("S"), cl::sub(searchCommand),
                 cl::cat(searchCategory));

static cl::opt<std::string>
    budgetOption("budget",
                 cl::desc("Candidates to evaluate (default: the spec's, "
                          "else 100)"),
                 cl::value_desc("N"), cl::sub(searchCommand),
                 cl::cat(searchCategory));

static cl::opt<std::string>
    seedOption("seed", cl::desc("Random seed (default: the spec's, else 0)"),
               cl::value_desc("S"), cl::sub(searchCommand),
               cl::cat(searchCategory));

static cl::list<std::string> objectiveOptions(
    "objective",
    cl::desc("max:METRIC or min:METRIC, optionally *WEIGHT (for "
             "weighted_sum/weighted_product), repeatable; replaces the "
             "spec's objectives (one: single objective, several: Pareto)"),
    cl::value_desc("DIR:METRIC"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::list<std::string> constraintOptions(
    "constraint",
    cl::desc("'METRIC<VALUE' (or <=, >, >=; VALUE may have a unit: 5ms, "
             "3.5M, 4MiB), repeatable; replaces the spec's constraints"),
    cl::value_desc("'METRIC<VALUE'"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<std::string> formulationName(
    "formulation",
    cl::desc("single, constrained, weighted_sum, weighted_product, pareto, "
             "two_stage (default: the spec's, else from the objectives)"),
    cl::value_desc("F"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string> hardwareMode(
    "hardware",
    cl::desc("How the targets' tunables are searched: joint (default: as "
             "decisions beside the architecture's) or nested (each "
             "architecture the strategy proposes gets its best tunables from "
             "an inner search over the hardware metrics; docs/search.md)"),
    cl::value_desc("joint|nested"), cl::init("joint"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<std::string>
    tablePath("table",
              cl::desc("CSV with an 'encoding' column: objectives and "
                       "constraints on its columns read it"),
              cl::value_desc("CSV"), cl::sub(searchCommand),
              cl::cat(searchCategory));

static cl::opt<bool> tableReplay(
    "table-replay",
    cl::desc("Each --table lookup takes as long as the row's 'seconds' "
             "(an earlier search's trials.csv): replays its evaluation "
             "times, to see how the search dispatches at another scale, "
             "e.g. on 64 MPI ranks"),
    cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string>
    dbPath("db", cl::desc("SQLite trial store (default: OUT/trials.db)"),
           cl::value_desc("PATH"), cl::sub(searchCommand),
           cl::cat(searchCategory));

static cl::opt<bool>
    resume("resume",
           cl::desc("Continue the interrupted search of the same spec and "
                    "settings in the store"),
           cl::init(false), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string>
    outDir("out",
           cl::desc("Output directory (default: SPEC-NAME.search): "
                    "trials.csv, pareto.csv, best.mlir, summary.json, "
                    "pareto.png, pareto.svg (and pareto.gp)"),
           cl::value_desc("DIR"), cl::sub(searchCommand),
           cl::cat(searchCategory));

static cl::opt<unsigned>
    jobs("jobs",
         cl::desc("Evaluation threads (results are identical for any N)"),
         cl::init(1), cl::value_desc("N"), cl::sub(searchCommand),
         cl::cat(searchCategory));

static cl::opt<double>
    timeLimit("time-limit",
              cl::desc("Stop after this many seconds (default: the spec's "
                       "time_limit, else none)"),
              cl::init(0), cl::value_desc("SECONDS"), cl::sub(searchCommand),
              cl::cat(searchCategory));

static cl::opt<double> commitInterval(
    "commit-interval",
    cl::desc("Commit cheap trials to the store at most every SECONDS "
             "(default 0.1; 0: after every batch). A batch whose "
             "evaluations took longer is committed at once"),
    cl::init(0.1), cl::value_desc("SECONDS"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<std::string> evalMethod(
    "eval-method",
    cl::desc("Accuracy: train (each candidate), weight_sharing (one "
             "supernet), zero_cost, or predictor (default: the spec's "
             "evaluate method)"),
    cl::value_desc("M"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<int64_t>
    epochs("epochs", cl::desc("Training epochs per candidate"),
           cl::init(0), cl::value_desc("N"), cl::sub(searchCommand),
           cl::cat(searchCategory));

static cl::opt<double> proxyFraction(
    "proxy-fraction",
    cl::desc("Train on a class-balanced subset of this fraction"),
    cl::init(0), cl::value_desc("F"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<std::string>
    zeroCostProxy("proxy", cl::desc("Zero-cost proxy: synflow or naswot"),
                  cl::value_desc("P"), cl::sub(searchCommand),
                  cl::cat(searchCategory));

static cl::opt<std::string> dataDir(
    "data",
    cl::desc("Directory of the IDX dataset (default: the dataset's path, "
             "else /usr/share/datasets/fashion-mnist for source "
             "\"fashion-mnist\")"),
    cl::value_desc("DIR"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<bool> standInData(
    "stand-in-data",
    cl::desc("Train on Fashion-MNIST, adapted to the dataset's input shape, "
             "when the dataset's own data is not available (recorded in "
             "summary.json)"),
    cl::init(false), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<bool> noExport(
    "no-export",
    cl::desc("Do not write the chosen candidate's best.pt and best.onnx"),
    cl::init(false), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string> predictorData(
    "predictor-data",
    cl::desc("With --eval-method predictor: a CSV (a table, or an earlier "
             "search's trials.csv) to fit the accuracy predictor to"),
    cl::value_desc("CSV"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<bool> hotStart(
    "hot-start",
    cl::desc("Train each child (evolution, NSGA-II) from its parent's "
             "weights, kept in OUT/weights (default: the spec's hot_start)"),
    cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<bool> trainInfeasible(
    "train-infeasible",
    cl::desc("Train candidates whose cheaper metrics (analyses, tables, cost "
             "models) already break a constraint (default: recorded as "
             "infeasible, not trained)"),
    cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<int64_t> finetuneEpochs(
    "finetune-epochs",
    cl::desc("Pruned candidates: train at full width, remove the filters of "
             "smallest L1 norm, fine-tune N epochs (default: the spec's "
             "finetune_epochs; 0: train at the pruned widths)"),
    cl::init(-1), cl::value_desc("N"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<double> halvingRate(
    "halving",
    cl::desc("Successive halving after the search: the best 1/RATE of the "
             "candidates are trained again on RATE times the data, until "
             "all of it (default: the spec's halving; needs "
             "--proxy-fraction < 1)"),
    cl::init(0), cl::value_desc("RATE"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<double> gridIntensity(
    "grid-intensity",
    cl::desc("Carbon intensity of the electricity, g CO2 per kWh, for the "
             "search's CO2 in summary.json (default 475, IEA's 2019 world "
             "average)"),
    cl::init(475), cl::value_desc("G"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<double> wattsPerCore(
    "watts-per-core",
    cl::desc("Power of one busy core when no RAPL counter is readable "
             "(default 10)"),
    cl::init(10), cl::value_desc("W"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::list<std::string> costModels(
    "cost-model",
    cl::desc("A cost model of `nasc calibrate` (MODEL.json): latency(T) and "
             "energy(T) of its target T from it (repeatable)"),
    cl::value_desc("MODEL.json"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<std::string> emitBest(
    "emit-best",
    cl::desc("At the end, also write the chosen candidate's native code: "
             "cpu (OUT/cpu: header, object, static library, main.c; with "
             "its trained weights when the search trained), fpga (OUT/fpga: "
             "its design, docs/fpga.md) or gpu (OUT/gpu: PTX and host C, "
             "docs/gpu.md)"),
    cl::value_desc("cpu|fpga|gpu"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<bool> measureBest(
    "measure-best",
    cl::desc("With --emit-best: also build and measure the chosen candidate "
             "(fpga: simulated bit for bit against the reference, "
             "synthesized, placed) and record the measured figures beside "
             "the predicted ones in summary.json (best_built)"),
    cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string> measureTarget(
    "measure-target",
    cl::desc("latency(T) measured: the median time of the candidate's "
             "native code on this machine (docs/costmodel.md)"),
    cl::value_desc("T"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<int64_t> measureBatch(
    "measure-batch", cl::desc("--measure-target: the batch size (default 1)"),
    cl::init(1), cl::value_desc("B"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::list<std::string> lookupTables(
    "lookup-table",
    cl::desc("A per-layer lookup table for target T: CSV with key, "
             "latency_ms, energy_mj (repeatable)"),
    cl::value_desc("T=CSV"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<std::string> checkpointPath(
    "checkpoint",
    cl::desc("Start every candidate from this LibTorch archive (a search's "
             "best.pt): tensors whose name and shape match are loaded"),
    cl::value_desc("FILE"), cl::sub(searchCommand), cl::cat(searchCategory));

static cl::opt<int64_t>
    trainThreads("train-threads", cl::desc("LibTorch threads (default 1)"),
                 cl::init(0), cl::value_desc("N"), cl::sub(searchCommand),
                 cl::cat(searchCategory));

static cl::opt<unsigned> supernetShards(
    "supernet-shards",
    cl::desc("Weight sharing: split each supernet batch into N shards with "
             "their own batch-norm statistics, summing their gradients "
             "(default: one per MPI rank, 1 without mpirun)"),
    cl::init(0), cl::value_desc("N"), cl::sub(searchCommand),
    cl::cat(searchCategory));

static cl::opt<bool> quiet("quiet", cl::desc("No progress on stderr"),
                           cl::init(false), cl::sub(searchCommand),
                           cl::cat(searchCategory));

bool tool::isSearchCommand() { return bool(searchCommand); }
cl::OptionCategory &tool::getSearchCategory() { return searchCategory; }
cl::SubCommand &tool::getSearchSubCommand() { return searchCommand; }

static int error(const llvm::Twine &message) {
  llvm::errs() << "nasc search: error: " << message << "\n";
  return 1;
}

/// An unsigned integer option, if given.
static bool parseCount(llvm::StringRef name, llvm::StringRef text,
                       std::optional<uint64_t> &out) {
  if (text.empty())
    return true;
  uint64_t value;
  if (text.getAsInteger(10, value)) {
    error("--" + name + " needs a non-negative integer, got '" + text + "'");
    return false;
  }
  out = value;
  return true;
}

int tool::runSearchCommand() {
  search::SearchOptions options;
  if (!strategyName.empty()) {
    options.strategy = nas::symbolizeStrategy(strategyName);
    if (!options.strategy)
      return error("unknown strategy '" + strategyName +
                   "' (random, grid, evolution, nsga2, reinforce, gradient)");
  }
  if (!formulationName.empty()) {
    options.formulation = nas::symbolizeFormulation(formulationName);
    if (!options.formulation)
      return error("unknown formulation '" + formulationName +
                   "' (single, constrained, weighted_sum, weighted_product, "
                   "pareto, two_stage)");
  }
  if (hardwareMode != "joint" && hardwareMode != "nested")
    return error("--hardware must be joint or nested, not '" + hardwareMode +
                 "'");
  options.nestedHardware = hardwareMode == "nested";
  if (!parseCount("budget", budgetOption, options.budget) ||
      !parseCount("seed", seedOption, options.seed))
    return 1;
  for (const std::string &text : objectiveOptions) {
    std::string why;
    std::optional<search::Objective> objective =
        search::Problem::parseObjective(text, why);
    if (!objective)
      return error("--objective " + why);
    options.objectives.push_back(*objective);
  }
  for (const std::string &text : constraintOptions) {
    std::string why;
    std::optional<search::Constraint> constraint =
        search::Problem::parseConstraint(text, why);
    if (!constraint)
      return error("--constraint " + why);
    options.constraints.push_back(*constraint);
  }
  options.tablePath = tablePath;
  if (tableReplay && tablePath.empty())
    return error("--table-replay needs --table");
  options.tableReplay = tableReplay;
  options.dbPath = dbPath;
  options.resume = resume;
  options.trainInfeasible = trainInfeasible;
  options.jobs = jobs;
  options.timeLimit = timeLimit;
  options.progress = !quiet;
  if (commitInterval < 0)
    return error("--commit-interval must not be negative");
  options.commitInterval = commitInterval;
  if (gridIntensity < 0 || wattsPerCore < 0)
    return error("--grid-intensity and --watts-per-core must not be negative");
  options.gridIntensity = gridIntensity;
  options.wattsPerCore = wattsPerCore;

  std::string message;
  LoadedSpec loaded;
  if (!loaded.parse(specPath, "search"))
    return 1;
  nas::SpecOp spec = loaded.spec;
  options.outDir =
      outDir.empty() ? (spec.getSymName() + ".search").str() : outDir.getValue();

  target::TargetBackend *bestBackend = nullptr;
  if (!emitBest.empty()) {
    llvm::Expected<target::TargetBackend &> backend =
        target::getTargetBackend(emitBest);
    if (!backend)
      return error("--emit-best: " + llvm::toString(backend.takeError()));
    bestBackend = &*backend;
  }
  if (measureBest && !bestBackend)
    return error("--measure-best needs --emit-best=cpu|fpga|gpu");
  options.halvingRate =
      halvingRate > 0 ? halvingRate : eval::getTrainSettings(spec).halving;
  if (options.halvingRate != 0 && options.halvingRate <= 1)
    return error("--halving must be above 1 (e.g. 3)");

  // The evaluators: built by the library from the spec and this
  // configuration, which another process could rebuild them from.
  evaluators::EvaluatorConfig config;
  config.measureTarget = measureTarget;
  config.measureBatch = measureBatch;
  config.costModels.assign(costModels.begin(), costModels.end());
  config.lookupTables.assign(lookupTables.begin(), lookupTables.end());
  config.evalMethod = evalMethod;
  config.predictorData = predictorData;
  config.zeroCostProxy = zeroCostProxy;
  config.epochs = epochs;
  config.proxyFraction = proxyFraction;
  config.dataDir = dataDir;
  config.standInData = standInData;
  config.trainThreads = trainThreads;
  if (supernetShards.getNumOccurrences() &&
      (supernetShards < 1 || supernetShards > 1024))
    return error("--supernet-shards must be 1 to 1024");
  config.supernetShards = supernetShards;
  config.checkpoint = checkpointPath;
  config.hotStart = hotStart;
  config.finetuneEpochs = finetuneEpochs;
  llvm::SmallString<128> weightsDir(options.outDir);
  llvm::sys::path::append(weightsDir, "weights");
  config.weightsDir = weightsDir.str().str();
  config.seed = options.seed.value_or(0);
  config.verbose = !quiet;
  options.makeCostEvaluators = [&](const Space &space, std::string &why) {
    return evaluators::createCostEvaluators(spec, space, config, why);
  };
  std::optional<eval::TrainSettings> trainedWith;
  options.makeTrainingEvaluator =
      [&](const Space &space, const search::StrategyOptions &strategy,
          std::string &why) -> std::unique_ptr<search::Evaluator> {
    eval::TrainSettings settings;
    std::unique_ptr<search::Evaluator> evaluator =
        evaluators::createTrainingEvaluator(spec, space, strategy, config,
                                            why, &settings);
    // The chosen candidate is exported with its trained weights (one-shot
    // methods retrain what they pick; a predictor trains nothing).
    if (evaluator && settings.method != nas::EvalMethod::zero_cost &&
        settings.method != nas::EvalMethod::predictor && !noExport) {
      trainedWith = settings;
      trainedWith->method = nas::EvalMethod::train;
    }
    return evaluator;
  };

  options.trainingMetrics = {"accuracy", "test_accuracy", "train_seconds",
                             "synflow", "naswot"};
  // Shown next to the validation accuracy the search selects on.
  options.reportedMetrics = {"test_accuracy"};

  // Started by mpirun with several ranks: rank 0 searches, the others
  // evaluate its trials (docs/distributed.md). Joined before the signal
  // handlers are set, which MPI_Init must not replace.
  std::unique_ptr<search::TrialCluster> cluster;
  std::string launchError;
  unsigned ranks = search::getLaunchedRanks(launchError);
  if (ranks == 0)
    return error(launchError);
  config.processes = ranks;
  if (ranks > 1) {
    std::string why;
    cluster = search::createMPITrialCluster(ranks, why);
    if (!cluster)
      return error(why);
    options.cluster = cluster.get();
  }

  // SIGINT, SIGTERM: stop after committing what is finished, and exit as
  // the shell reports a process the signal ended (128 + N); --resume
  // continues.
  static CancellationToken stopToken;
  search::stopOnSignals(stopToken);
  options.cancel = &stopToken;
  auto stopped = [&] {
    int signal = search::getStopSignal();
    return 128 + (signal ? signal : SIGINT);
  };

  if (cluster && !cluster->isCoordinator()) {
    options.progress = false;
    return failed(search::serveTrials(spec, specPath, options, *cluster));
  }
  search::SearchResult result;
  LogicalResult searched = search::runSearch(spec, specPath, options, result);
  // The other ranks finish now, not after the exports.
  cluster.reset();
  if (failed(searched))
    return 1;
  if (result.interrupted)
    llvm::errs() << "nasc search: interrupted after " << result.searchTrials
                 << " trials, all in the store; continue with --resume\n";

  // A trained search exports the chosen candidate with the weights it
  // trained (kept in OUT/weights): best.pt (LibTorch) and best.onnx.
  // Exports of an earlier search in this directory are not this one's.
  for (const char *stale : {"best.pt", "best.onnx"}) {
    llvm::SmallString<128> path(options.outDir);
    llvm::sys::path::append(path, stale);
    llvm::sys::fs::remove(path);
  }
  // The space, for the exports of the chosen candidate.
  std::optional<Space> space;
  if (result.best && !result.interrupted && (trainedWith || bestBackend)) {
    FailureOr<Space> built = Space::build(spec);
    if (failed(built))
      return 1;
    space.emplace(std::move(*built));
  }
  if (trainedWith && space) {
    const search::Trial &best = result.trials[*result.best];
    // Its values come from a rung of successive halving: that rung's
    // settings (TorchEvaluator::withFidelity) and weights.
    if (best.fidelity > 0) {
      trainedWith->proxyFraction = best.fidelity;
      trainedWith->hotStart = false;
    }
    std::string why;
    if (!evaluators::exportTrainedModel(*space, *trainedWith, best.candidate,
                                  best.encoding, options.outDir, why,
                                  &stopToken)) {
      if (stopToken.isCancelled()) {
        llvm::errs() << "nasc search: interrupted while training the chosen "
                        "candidate for best.pt; the search is complete in "
                        "the store: --resume writes the exports\n";
        return stopped();
      }
      return error("exporting the chosen candidate: " + why);
    }
  }

  // The chosen candidate's native code (docs/cpu.md), with the weights
  // just exported when the search trained.
  if (bestBackend && space) {
    const search::Trial &best = result.trials[*result.best];
    OwningOpRef<ModuleOp> concrete = space->materialize(best.candidate);
    llvm::SmallString<128> dir(options.outDir), weights(options.outDir);
    llvm::sys::path::append(dir, emitBest.getValue());
    llvm::sys::path::append(weights, "best.pt");
    target::CodeOptions code;
    if (llvm::sys::fs::exists(weights))
      code.weightsPath = weights.str().str();
    code.seed = options.seed.value_or(0);
    if (llvm::Error e = bestBackend->emit(*concrete, dir, code))
      return error("--emit-best=" + emitBest.getValue() + ": " +
                   llvm::toString(std::move(e)));
    // Built and measured (an fpga design: simulated bit-exact against the
    // reference, synthesized, placed), beside what the backend predicts
    // without building it; summary.json gets both.
    if (measureBest) {
      nas::SpecOp bestSpec = *concrete->getOps<nas::SpecOp>().begin();
      llvm::Expected<std::unique_ptr<target::CompiledCandidate>> built =
          bestBackend->compile(bestSpec, code);
      if (!built)
        return error("--measure-best: " + llvm::toString(built.takeError()));
      search::SearchResult::BuiltBest record;
      record.backend = emitBest.getValue();
      record.dir = dir.str().str();
      record.measured = (*built)->getReport();
      llvm::Expected<std::vector<std::pair<std::string, double>>> predicted =
          bestBackend->estimate(bestSpec, code);
      if (predicted)
        record.predicted = std::move(*predicted);
      else
        llvm::consumeError(predicted.takeError()); // A backend without.
      llvm::outs() << "best built (" << record.dir << "), measured:";
      for (const auto &[name, value] : record.measured) {
        auto guess = llvm::find_if(record.predicted, [&](const auto &p) {
          return p.first == name;
        });
        llvm::outs() << " " << name << " " << value;
        if (guess != record.predicted.end())
          llvm::outs() << " (predicted " << llvm::format("%.0f", guess->second)
                       << ")";
      }
      llvm::outs() << "\n";
      result.builtBest = std::move(record);
      if (failed(search::writeSearchOutputs(spec, *space, result,
                                            options.outDir)))
        return 1;
    }
  }

  // The result on stdout: the chosen candidate and the front's size.
  llvm::outs() << "search " << stringifyStrategy(result.strategy.kind)
               << ": " << result.searchTrials << " trials ("
               << result.evaluated << " evaluated, " << result.cacheHits
               << " cached, " << result.replayed << " resumed) in "
               << llvm::format("%.2f", result.seconds) << " s\n";
  // Each MPI rank's share: throughput over the whole search, the time it
  // waited for work, and what a trial's trip to it and back cost.
  for (const search::WorkerStats &worker : result.workers) {
    double wall = std::max(worker.wallSeconds, 1e-9);
    llvm::outs() << "  " << worker.name << ": " << worker.trials << " trials, "
                 << llvm::format("%.1f", double(worker.trials) / wall)
                 << " trials/s, idle "
                 << llvm::format("%.0f", 100 * (1 - worker.busySeconds / wall))
                 << "%, dispatch "
                 << llvm::format("%.0f", worker.dispatchSeconds * 1e6)
                 << " us/trial\n";
  }
  if (!quiet)
    llvm::errs() << "energy: "
               << llvm::format("%.3g Wh", result.energy.joules / 3600) << " ("
               << result.energy.method << ", "
               << llvm::format("%.1f", result.energy.cpuSeconds)
               << " CPU s), "
               << llvm::format("%.3g g", result.energy.gramsCO2)
               << " CO2 at "
               << llvm::format("%g", result.energy.gridGramsPerKWh)
               << " g/kWh\n";
  if (!result.rungs.empty()) {
    llvm::outs() << "successive halving: " << result.rungs.size()
                 << " rung(s); the front and the chosen candidate are from "
                    "rung "
                 << result.frontRung;
    if (result.frontRung > 0)
      llvm::outs() << " ("
                   << llvm::format(
                          "%.4g",
                          100 * result.rungs[result.frontRung - 1].fidelity)
                   << "% of the training data)";
    llvm::outs() << "\n";
  }
  if (result.best) {
    const search::Trial &best = result.trials[*result.best];
    llvm::outs() << "best: " << best.encoding << "\n";
    std::vector<std::string> metrics = result.problem.getMetrics();
    for (size_t m = 0; m < metrics.size(); ++m)
      llvm::outs() << "  " << metrics[m] << " = "
                   << search::formatMetricValue(metrics[m], best.values[m])
                   << "\n";
  } else {
    llvm::outs() << "best: none (no feasible candidate)\n";
  }
  // The front, best first by the first objective (at most 12 rows here;
  // all of them in pareto.csv).
  std::vector<std::string> metrics = result.problem.getMetrics();
  std::vector<size_t> front = result.front;
  const search::Objective &first = result.problem.objectives.front();
  size_t firstIndex = result.problem.indexOf(first.metric);
  llvm::stable_sort(front, [&](size_t a, size_t b) {
    double va = result.trials[a].values[firstIndex];
    double vb = result.trials[b].values[firstIndex];
    return first.maximize ? va > vb : va < vb;
  });
  llvm::outs() << "front: " << front.size() << " candidates; results in "
               << options.outDir << "\n";
  auto finish = [&] { return result.interrupted ? stopped() : 0; };
  for (size_t i = 0; i < front.size() && i < 12; ++i) {
    const search::Trial &trial = result.trials[front[i]];
    llvm::outs() << "  ";
    for (size_t m = 0; m < metrics.size(); ++m)
      llvm::outs() << metrics[m] << " "
                   << llvm::left_justify(search::formatMetricValue(
                                             metrics[m], trial.values[m]),
                                         16)
                   << "  ";
    llvm::outs() << trial.encoding << "\n";
  }
  if (front.size() > 12)
    llvm::outs() << "  ... (" << front.size() - 12 << " more in pareto.csv)\n";
  return finish();
}
