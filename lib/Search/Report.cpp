//===- Report.cpp - A search's output files -------------------------------===//
//
// trials.csv, pareto.csv, best.mlir, summary.json, and the plots drawn by
// gnuplot. Each file is written to a temporary name and renamed, so an
// interrupted write leaves nothing half-written.
//
//===----------------------------------------------------------------------===//

#include "nasc/Search/Search.h"

#include "nasc/Support/CSV.h"

#include "nasc/Search/Pareto.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace nasc;
using namespace nasc::search;

static std::string pathIn(llvm::StringRef dir, llvm::StringRef name) {
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, name);
  return path.str().str();
}

/// Writes `path` through `write`, atomically.
static LogicalResult
writeFile(const std::string &path,
          llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::string temporary = path + ".tmp";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temporary, ec);
    if (ec) {
      llvm::errs() << "nasc search: error: " << temporary << ": "
                   << ec.message() << "\n";
      return failure();
    }
    write(os);
    if (os.has_error()) {
      llvm::errs() << "nasc search: error: cannot write " << temporary << "\n";
      return failure();
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path)) {
    llvm::errs() << "nasc search: error: " << path << ": " << ec.message()
                 << "\n";
    return failure();
  }
  return success();
}

/// A value as written in tables: the shortest decimal that reads back as
/// the same double.
static std::string formatValue(double value) {
  if (std::isnan(value))
    return "";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

/// A trial's values in the units they are written in (toMetricUnit).
static std::vector<double> inMetricUnits(const Problem &problem,
                                         const Trial &trial) {
  std::vector<double> values = trial.values;
  std::vector<std::string> metrics = problem.getMetrics();
  for (auto [metric, value] : llvm::zip(metrics, values))
    value = toMetricUnit(metric, value);
  return values;
}

/// An axis label: the metric with its unit, as the CSV headers write it,
/// and its direction.
static std::string axisLabel(const Objective &objective) {
  return getMetricHeader(objective.metric) +
         (objective.maximize ? " (maximized)" : " (minimized)");
}

/// Whether an axis over `values` reads better on a log scale: all
/// positive, spanning more than two decades.
static bool wantsLogScale(llvm::ArrayRef<double> values) {
  if (values.empty())
    return false;
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *low > 0 && *high / *low > 100;
}

/// A string in a gnuplot script's single quotes.
static std::string gnuplotQuoted(llvm::StringRef text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

/// Writes pareto.gp, a gnuplot script holding its data (kept: `gnuplot
/// pareto.gp` in the directory draws it again), and runs gnuplot for
/// pareto.png and pareto.svg. With two or more objectives: every trial
/// over the first two (feasible ones as small grey points, infeasible ones
/// as crosses), the front highlighted with the boundary of the region it
/// dominates as a staircase; with one, each trial's value and the best so
/// far. An axis whose values span more than two decades is logarithmic.
static LogicalResult plot(const SearchResult &result, llvm::StringRef dir) {
  const Problem &problem = result.problem;
  bool two = problem.objectives.size() >= 2;
  const Objective &x = problem.objectives[0];
  size_t xi = problem.indexOf(x.metric);
  size_t yi = two ? problem.indexOf(problem.objectives[1].metric) : xi;
  // Named data blocks, each drawn unless empty; the first two are the
  // trials, the rest the front (or the best so far).
  struct Block {
    const char *name, *style, *title;
    std::vector<std::pair<double, double>> points;
  };
  std::vector<Block> blocks;
  if (two) {
    // The staircase bounds the region the front dominates: from each
    // member, along x to the next and then along y with x minimized
    // (steps), along y first with x maximized (fsteps).
    blocks = {
        {"$feasible", "points pt 7 ps 0.3 lc rgb '#b0b0b0'",
         "'feasible trials'", {}},
        {"$infeasible", "points pt 2 ps 0.4 lc rgb '#d8b0b0'",
         "'infeasible trials'", {}},
        {"$staircase",
         x.maximize ? "fsteps lw 2 lc rgb '#c03030'"
                    : "steps lw 2 lc rgb '#c03030'",
         "'Pareto front'", {}},
        {"$front", "points pt 7 ps 0.9 lc rgb '#c03030'", nullptr, {}}};
    // Drawn in the units the axes name.
    auto point = [&](const Trial &trial) {
      return std::make_pair(
          toMetricUnit(x.metric, trial.values[xi]),
          toMetricUnit(problem.objectives[1].metric, trial.values[yi]));
    };
    for (const Trial &trial : result.trials)
      if (trial.status != Trial::Status::Failed &&
          trial.rung == result.frontRung)
        blocks[trial.status == Trial::Status::Ok ? 0 : 1].points.push_back(
            point(trial));
    std::vector<size_t> front = result.front;
    llvm::sort(front, [&](size_t a, size_t b) {
      return result.trials[a].values[xi] < result.trials[b].values[xi];
    });
    // The front over all objectives; the staircase through its members
    // that no other dominates in the first two (all of them with two
    // objectives). Candidates with equal values are drawn once.
    std::vector<Point> oriented;
    for (size_t i : front) {
      blocks[3].points.push_back(point(result.trials[i]));
      oriented.push_back(problem.orient(
          llvm::ArrayRef(problem.objectives).take_front(2),
          result.trials[i].values));
    }
    std::vector<size_t> shown = findNonDominated(oriented);
    llvm::sort(shown);
    for (size_t k : shown)
      blocks[2].points.push_back(blocks[3].points[k]);
    for (Block *block : {&blocks[2], &blocks[3]})
      block->points.erase(
          std::unique(block->points.begin(), block->points.end()),
          block->points.end());
  } else {
    blocks = {{"$trials", "points pt 7 ps 0.3 lc rgb '#b0b0b0'", "'trials'",
               {}},
              {"$best", "steps lw 2 lc rgb '#c03030'", "'best so far'", {}}};
    std::optional<double> best;
    for (const Trial &trial : result.trials) {
      if (trial.status != Trial::Status::Ok || trial.rung != result.frontRung)
        continue;
      double v = toMetricUnit(x.metric, trial.values[xi]);
      if (!best || (x.maximize ? v > *best : v < *best))
        best = v;
      blocks[0].points.push_back({double(trial.number), v});
      blocks[1].points.push_back({double(trial.number), *best});
    }
  }
  // Plots of an earlier search in this directory are not this one's.
  auto removePlots = [&](llvm::StringRef suffix) {
    for (llvm::StringRef ext : {"png", "svg"})
      llvm::sys::fs::remove(pathIn(dir, ("pareto." + ext + suffix).str()));
  };
  if (blocks[0].points.empty()) {
    llvm::errs() << "nasc search: warning: no feasible trial; no plots\n";
    removePlots("");
    return success();
  }

  // The x axis counts trials with one objective: never logarithmic.
  std::vector<double> xs, ys;
  for (const Block &block : blocks)
    for (auto [a, b] : block.points) {
      xs.push_back(a);
      ys.push_back(b);
    }
  std::string script;
  {
    llvm::raw_string_ostream os(script);
    os << "# nasc search: the plot of pareto.png and pareto.svg, with its "
          "data; `gnuplot pareto.gp`\n# in this directory draws it "
          "again.\nif (!exists('suffix')) suffix = ''\n";
    llvm::StringSet<> written;
    for (const Block &block : blocks) {
      if (block.points.empty() || !written.insert(block.name).second)
        continue;
      os << block.name << " << EOD\n";
      for (auto [a, b] : block.points)
        os << formatValue(a) << " " << formatValue(b) << "\n";
      os << "EOD\n";
    }
    os << "set title "
       << gnuplotQuoted("nasc search: " +
                        stringifyStrategy(result.strategy.kind).str() + ", " +
                        std::to_string(result.searchTrials) + " trials" +
                        (result.frontRung
                             ? ", rung " + std::to_string(result.frontRung) +
                                   " of successive halving"
                             : ""))
       << "\nset xlabel " << gnuplotQuoted(two ? axisLabel(x) : "trial")
       << "\nset ylabel "
       << gnuplotQuoted(axisLabel(two ? problem.objectives[1] : x))
       << "\nset grid\nset key outside bottom center horizontal\n";
    if (two && wantsLogScale(xs))
      os << "set logscale x\n";
    if (wantsLogScale(ys))
      os << "set logscale y\n";
    std::vector<std::string> elements;
    for (const Block &block : blocks)
      if (!block.points.empty())
        elements.push_back(std::string(block.name) + " with " + block.style +
                           (block.title ? std::string(" title ") + block.title
                                        : std::string(" notitle")));
    for (llvm::StringRef ext : {"png", "svg"})
      // noenhanced: underscores in metric names are no subscripts.
      os << "set terminal " << ext << " noenhanced size 900,600\n"
         << "set output 'pareto." << ext << "'.suffix\n"
         << "plot " << llvm::join(elements, ", \\\n  ") << "\nunset output\n";
  }
  if (failed(writeFile(pathIn(dir, "pareto.gp"),
                       [&](llvm::raw_ostream &os) { os << script; })))
    return failure();

  llvm::ErrorOr<std::string> gnuplot = llvm::sys::findProgramByName("gnuplot");
  if (!gnuplot) {
    llvm::errs() << "nasc search: warning: gnuplot not found; no plots "
                    "(apt-get install gnuplot-nox)\n";
    return success();
  }
  // Run in the directory (the script names its files there), drawn to
  // temporary names, renamed once whole.
  std::string setup = "cd " + gnuplotQuoted(dir) + "; suffix = '.tmp'";
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(""), llvm::StringRef("")};
  int rc = llvm::sys::ExecuteAndWait(
      *gnuplot, {*gnuplot, "-e", setup, "pareto.gp"}, std::nullopt,
      redirects);
  if (rc != 0) {
    // Killed (an interrupted search) or failed: what it began is no plot.
    llvm::errs() << "nasc search: warning: gnuplot failed; no plots\n";
    removePlots(".tmp");
    removePlots("");
    return success();
  }
  for (llvm::StringRef ext : {"png", "svg"})
    (void)llvm::sys::fs::rename(pathIn(dir, ("pareto." + ext + ".tmp").str()),
                                pathIn(dir, ("pareto." + ext).str()));
  return success();
}

LogicalResult search::writeSearchOutputs(nas::SpecOp spec, const Space &space,
                                         const SearchResult &result,
                                         llvm::StringRef dir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    llvm::errs() << "nasc search: error: " << dir << ": " << ec.message()
                 << "\n";
    return failure();
  }
  const Problem &problem = result.problem;
  std::vector<std::string> metrics = problem.getMetrics();

  if (failed(writeFile(pathIn(dir, "trials.csv"), [&](llvm::raw_ostream &os) {
        os << "number,encoding,status";
        for (const std::string &metric : metrics)
          os << "," << csvField(getMetricHeader(metric));
        os << ",seconds,cached,stage,rung,data_share,message\n";
        for (const Trial &trial : result.trials) {
          double share = trial.fidelity > 0 ? trial.fidelity : result.dataShare;
          os << trial.number << "," << csvField(trial.encoding) << ","
             << getStatusName(trial.status);
          for (double value : inMetricUnits(problem, trial))
            os << "," << formatValue(value);
          for (size_t i = trial.values.size(); i < metrics.size(); ++i)
            os << ",";
          os << "," << llvm::formatv("{0:f6}", trial.seconds) << ","
             << (trial.cached ? 1 : 0) << "," << trial.stage << ","
             << trial.rung << "," << (share > 0 ? formatValue(share) : "")
             << "," << csvField(trial.message) << "\n";
        }
      })))
    return failure();

  // The front, ordered by the first objective (best first).
  std::vector<size_t> front = result.front;
  const Objective &first = problem.objectives.front();
  llvm::stable_sort(front, [&](size_t a, size_t b) {
    double va = result.trials[a].values[problem.indexOf(first.metric)];
    double vb = result.trials[b].values[problem.indexOf(first.metric)];
    return first.maximize ? va > vb : va < vb;
  });
  if (failed(writeFile(pathIn(dir, "pareto.csv"), [&](llvm::raw_ostream &os) {
        os << "encoding";
        for (const std::string &metric : metrics)
          os << "," << csvField(getMetricHeader(metric));
        os << ",number,best\n";
        for (size_t i : front) {
          const Trial &trial = result.trials[i];
          os << csvField(trial.encoding);
          for (double value : inMetricUnits(problem, trial))
            os << "," << formatValue(value);
          os << "," << trial.number << ","
             << (result.best && *result.best == i ? 1 : 0) << "\n";
        }
      })))
    return failure();

  if (result.best) {
    OwningOpRef<ModuleOp> concrete =
        space.materialize(result.trials[*result.best].candidate);
    // The settings used, not only those the spec declares (--epochs, ...).
    if (result.recordSettings)
      result.recordSettings(*concrete->getOps<nas::SpecOp>().begin());
    if (failed(writeFile(pathIn(dir, "best.mlir"), [&](llvm::raw_ostream &os) {
          os << "// nasc search: the chosen candidate\n// "
             << result.trials[*result.best].encoding << "\n";
          concrete->print(os);
        })))
      return failure();
  } else {
    llvm::sys::fs::remove(pathIn(dir, "best.mlir"));
  }

  // The hypervolume of the front, against the worst feasible value of
  // each objective (a reference that needs no knowledge of the space), in
  // the units the objectives are written in.
  std::optional<double> volume;
  if (!front.empty() && problem.objectives.size() <= 4) {
    std::vector<Point> points;
    std::vector<double> reference(problem.objectives.size(),
                                  -std::numeric_limits<double>::infinity());
    for (const Trial &trial : result.trials) {
      if (trial.status != Trial::Status::Ok || trial.rung != result.frontRung)
        continue;
      std::vector<double> o =
          problem.orient(problem.objectives, inMetricUnits(problem, trial));
      for (size_t j = 0; j < o.size(); ++j)
        reference[j] = std::max(reference[j], o[j]);
    }
    for (size_t i : front)
      points.push_back(problem.orient(
          problem.objectives, inMetricUnits(problem, result.trials[i])));
    // Slightly beyond the worst, so that it counts.
    for (double &r : reference)
      r += std::max(1e-12, std::fabs(r) * 1e-6);
    volume = hypervolume(points, reference);
  }

  // The search's own trials; successive halving's are counted by rung.
  size_t ok = 0, infeasible = 0, failedCount = 0;
  for (const Trial &trial :
       llvm::ArrayRef(result.trials).take_front(result.searchTrials))
    (trial.status == Trial::Status::Ok           ? ok
     : trial.status == Trial::Status::Infeasible ? infeasible
                                                 : failedCount)++;
  if (failed(writeFile(pathIn(dir, "summary.json"), [&](llvm::raw_ostream &os) {
        llvm::json::OStream json(os, 2);
        json.object([&] {
          json.attribute("spec", spec.getSymName());
          json.attribute("strategy", stringifyStrategy(result.strategy.kind));
          json.attribute("seed", int64_t(result.strategy.seed));
          json.attribute("budget", int64_t(result.budget));
          json.attribute("formulation",
                         nas::stringifyFormulation(problem.formulation));
          json.attributeArray("objectives", [&] {
            for (const Objective &objective : problem.objectives)
              json.object([&] {
                json.attribute("metric", objective.metric);
                json.attribute("direction",
                               objective.maximize ? "maximize" : "minimize");
                if (problem.formulation == nas::Formulation::weighted_sum ||
                    problem.formulation == nas::Formulation::weighted_product)
                  json.attribute("weight", objective.weight);
                if (objective.stage)
                  json.attribute("stage", int64_t(objective.stage));
              });
          });
          json.attributeArray("constraints", [&] {
            for (const Constraint &constraint : problem.constraints)
              json.value(constraint.text);
          });
          // The unit of each metric's values here, in trials.csv and
          // pareto.csv (a table's own column has none).
          json.attributeObject("units", [&] {
            for (const std::string &metric : metrics)
              if (std::string unit = getMetricUnit(metric); !unit.empty())
                json.attribute(metric, unit);
          });
          json.attributeObject("energy", [&] {
            json.attribute("cpu_seconds", result.energy.cpuSeconds);
            json.attribute("joules", result.energy.joules);
            json.attribute("kwh", result.energy.joules / 3.6e6);
            json.attribute("co2_grams", result.energy.gramsCO2);
            json.attribute("grid_g_per_kwh", result.energy.gridGramsPerKWh);
            json.attribute("method", result.energy.method);
          });
          if (!result.rungs.empty())
            json.attributeArray("successive_halving", [&] {
              for (const Rung &rung : result.rungs)
                json.object([&] {
                  json.attribute("data_share", rung.fidelity);
                  json.attribute("candidates", int64_t(rung.candidates));
                });
            });
          if (const std::optional<DataInfo> &data = result.data)
            json.attributeObject("data", [&] {
              json.attribute("name", data->name);
              json.attribute("path", data->path);
              if (!data->standInFor.empty())
                json.attribute("stand_in_for", data->standInFor);
              auto shape = [&](llvm::StringRef key,
                               llvm::ArrayRef<int64_t> dims) {
                json.attributeArray(key, [&] {
                  for (int64_t d : dims)
                    json.value(d);
                });
              };
              shape("file_shape", data->fileShape);
              shape("input_shape", data->inputShape);
              json.attribute("train_images", data->train);
              json.attribute("trained_on_images", data->trainedOn);
              json.attribute("validation_images", data->validation);
              json.attribute("test_images", data->test);
            });
          if (const std::optional<SearchResult::BuiltBest> &built =
                  result.builtBest)
            json.attributeObject("best_built", [&] {
              json.attribute("backend", built->backend);
              json.attribute("dir", built->dir);
              json.attributeObject("measured", [&] {
                for (const auto &[name, value] : built->measured) {
                  // Numbers as numbers; the rest (yes, up5k) as text.
                  double number;
                  if (!llvm::StringRef(value).getAsDouble(number))
                    json.attribute(name, number);
                  else
                    json.attribute(name, value);
                }
              });
              json.attributeObject("predicted", [&] {
                for (const auto &[name, value] : built->predicted)
                  json.attribute(name, value);
              });
            });
          json.attributeObject("trials", [&] {
            json.attribute("total", int64_t(result.searchTrials));
            json.attribute("ok", int64_t(ok));
            json.attribute("infeasible", int64_t(infeasible));
            json.attribute("failed", int64_t(failedCount));
            json.attribute("evaluated", int64_t(result.evaluated));
            json.attribute("cache_hits", int64_t(result.cacheHits));
            json.attribute("resumed", int64_t(result.replayed));
          });
          json.attribute("timed_out", result.timedOut);
          json.attribute("interrupted", result.interrupted);
          json.attribute("seconds", result.seconds);
          json.attribute("setup_seconds", result.setupSeconds);
          json.attribute("loop_seconds", result.loopSeconds);
          // Each evaluating rank of an MPI job (docs/distributed.md).
          if (!result.workers.empty())
            json.attributeArray("workers", [&] {
              for (const WorkerStats &worker : result.workers)
                json.object([&] {
                  json.attribute("name", worker.name);
                  json.attribute("trials", int64_t(worker.trials));
                  json.attribute("busy_seconds", worker.busySeconds);
                  json.attribute("wall_seconds", worker.wallSeconds);
                  json.attribute("dispatch_seconds", worker.dispatchSeconds);
                });
            });
          json.attribute("front_size", int64_t(front.size()));
          if (volume)
            json.attribute("hypervolume", *volume);
          if (result.best) {
            const Trial &best = result.trials[*result.best];
            json.attributeObject("best", [&] {
              json.attribute("number", int64_t(best.number));
              json.attribute("encoding", best.encoding);
              json.attributeObject("metrics", [&] {
                for (size_t m = 0; m < metrics.size(); ++m)
                  json.attribute(metrics[m],
                                 toMetricUnit(metrics[m], best.values[m]));
              });
            });
          } else {
            json.attribute("best", nullptr);
          }
        });
        os << "\n";
      })))
    return failure();

  return plot(result, dir);
}
