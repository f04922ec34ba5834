//===- Report.cpp - A search's output files -------------------------------===//
//
// trials.csv, pareto.csv, best.mlir, summary.json, and the plots drawn by
// gnuplot. Each file is written to a temporary name and renamed, so an
// interrupted write leaves nothing half-written.
//
//===----------------------------------------------------------------------===//

#include "nasc/Search/Search.h"

#include "nasc/Support/CSV.h"

#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Search/Pareto.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

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

/// An axis label: the metric and its unit.
static std::string axisLabel(const Objective &objective) {
  llvm::StringRef base = llvm::StringRef(objective.metric)
                             .take_until([](char c) { return c == '('; });
  std::string unit;
  if (std::optional<nas::Metric> metric = nas::symbolizeMetric(base)) {
    switch (nas::getMetricDimension(*metric)) {
    case nas::Dimension::Time:
      unit = "s";
      break;
    case nas::Dimension::Energy:
      unit = "J";
      break;
    case nas::Dimension::Power:
      unit = "W";
      break;
    case nas::Dimension::Bytes:
      unit = "bytes";
      break;
    default:
      unit = *metric == nas::Metric::accuracy ? "fraction" : "count";
      break;
    }
  }
  std::string label = objective.metric;
  if (!unit.empty())
    label += " [" + unit + "]";
  label += objective.maximize ? " (maximized)" : " (minimized)";
  return label;
}

/// Draws pareto.png and pareto.svg with gnuplot: with two or more
/// objectives, every feasible trial and the front over the first two;
/// with one, the objective of each trial and the best so far.
static void plot(const SearchResult &result, llvm::StringRef dir) {
  llvm::ErrorOr<std::string> gnuplot = llvm::sys::findProgramByName("gnuplot");
  if (!gnuplot) {
    llvm::errs() << "nasc search: warning: gnuplot not found; no plots "
                    "(apt-get install gnuplot-nox)\n";
    return;
  }
  const Problem &problem = result.problem;
  std::string dataPath = pathIn(dir, "pareto.dat");
  std::string scriptPath = pathIn(dir, "pareto.gp");
  bool two = problem.objectives.size() >= 2;
  const Objective &x = problem.objectives[0];
  {
    std::error_code ec;
    llvm::raw_fd_ostream data(dataPath, ec);
    if (ec)
      return;
    // Block 0: feasible trials; block 1: the front (sorted on x).
    for (const Trial &trial : result.trials)
      if (trial.status == Trial::Status::Ok) {
        if (two)
          data << formatValue(trial.values[problem.indexOf(x.metric)]) << " "
               << formatValue(trial.values[problem.indexOf(
                      problem.objectives[1].metric)])
               << "\n";
        else
          data << trial.number << " "
               << formatValue(trial.values[problem.indexOf(x.metric)]) << "\n";
      }
    data << "\n\n";
    if (two) {
      std::vector<size_t> front = result.front;
      llvm::sort(front, [&](size_t a, size_t b) {
        return result.trials[a].values[problem.indexOf(x.metric)] <
               result.trials[b].values[problem.indexOf(x.metric)];
      });
      for (size_t i : front)
        data << formatValue(result.trials[i].values[problem.indexOf(x.metric)])
             << " "
             << formatValue(result.trials[i].values[problem.indexOf(
                    problem.objectives[1].metric)])
             << "\n";
    } else {
      double best = 0;
      bool any = false;
      for (const Trial &trial : result.trials) {
        if (trial.status != Trial::Status::Ok)
          continue;
        double v = trial.values[problem.indexOf(x.metric)];
        if (!any || (x.maximize ? v > best : v < best))
          best = v;
        any = true;
        data << trial.number << " " << formatValue(best) << "\n";
      }
    }
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream script(scriptPath, ec);
    if (ec)
      return;
    std::string xLabel = two ? axisLabel(x) : "trial";
    std::string yLabel = two ? axisLabel(problem.objectives[1]) : axisLabel(x);
    for (llvm::StringRef terminal : {"png size 900,600", "svg size 900,600"}) {
      std::string ext = terminal.starts_with("png") ? "png" : "svg";
      script << "set terminal " << terminal << "\n"
             << "set output '" << pathIn(dir, "pareto." + ext + ".tmp")
             << "'\n"
             << "set title 'nasc search: "
             << stringifyStrategy(result.strategy.kind) << ", "
             << result.trials.size() << " trials'\n"
             << "set xlabel '" << xLabel << "'\nset ylabel '" << yLabel
             << "'\nset grid\nset key outside bottom center horizontal\n"
             << "plot '" << dataPath
             << "' index 0 with points pt 7 ps 0.4 lc rgb '#a0a0a0' title '"
             << (two ? "feasible trials" : "trials") << "', '' index 1 with "
             << (two ? "linespoints pt 7 ps 0.8 lc rgb '#c03030' title "
                       "'Pareto front'"
                     : "steps lw 2 lc rgb '#c03030' title 'best so far'")
             << "\nunset output\n";
    }
  }
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(""),
                                                llvm::StringRef("")};
  int rc = llvm::sys::ExecuteAndWait(*gnuplot, {*gnuplot, scriptPath},
                                     std::nullopt, redirects);
  if (rc != 0) {
    llvm::errs() << "nasc search: warning: gnuplot failed; no plots\n";
  } else {
    for (llvm::StringRef ext : {"png", "svg"})
      (void)llvm::sys::fs::rename(pathIn(dir, ("pareto." + ext + ".tmp").str()),
                                  pathIn(dir, ("pareto." + ext).str()));
  }
  llvm::sys::fs::remove(dataPath);
  llvm::sys::fs::remove(scriptPath);
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
          os << "," << csvField(metric);
        os << ",seconds,cached,stage,message\n";
        for (const Trial &trial : result.trials) {
          os << trial.number << "," << csvField(trial.encoding) << ","
             << getStatusName(trial.status);
          for (double value : trial.values)
            os << "," << formatValue(value);
          for (size_t i = trial.values.size(); i < metrics.size(); ++i)
            os << ",";
          os << "," << llvm::formatv("{0:f6}", trial.seconds) << ","
             << (trial.cached ? 1 : 0) << "," << trial.stage << ","
             << csvField(trial.message) << "\n";
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
          os << "," << csvField(metric);
        os << ",number,best\n";
        for (size_t i : front) {
          const Trial &trial = result.trials[i];
          os << csvField(trial.encoding);
          for (double value : trial.values)
            os << "," << formatValue(value);
          os << "," << trial.number << ","
             << (result.best && *result.best == i ? 1 : 0) << "\n";
        }
      })))
    return failure();

  if (result.best) {
    OwningOpRef<ModuleOp> concrete =
        space.materialize(result.trials[*result.best].candidate);
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
  // each objective (a reference that needs no knowledge of the space).
  std::optional<double> volume;
  if (!front.empty() && problem.objectives.size() <= 4) {
    std::vector<Point> points;
    std::vector<double> reference(problem.objectives.size(),
                                  -std::numeric_limits<double>::infinity());
    for (const Trial &trial : result.trials) {
      if (trial.status != Trial::Status::Ok)
        continue;
      std::vector<double> o = problem.orient(problem.objectives, trial.values);
      for (size_t j = 0; j < o.size(); ++j)
        reference[j] = std::max(reference[j], o[j]);
    }
    for (size_t i : front)
      points.push_back(
          problem.orient(problem.objectives, result.trials[i].values));
    // Slightly beyond the worst, so that it counts.
    for (double &r : reference)
      r += std::max(1e-12, std::fabs(r) * 1e-6);
    volume = hypervolume(points, reference);
  }

  size_t ok = 0, infeasible = 0, failedCount = 0;
  for (const Trial &trial : result.trials)
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
          json.attributeObject("trials", [&] {
            json.attribute("total", int64_t(result.trials.size()));
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
                  json.attribute(metrics[m], best.values[m]);
              });
            });
          } else {
            json.attribute("best", nullptr);
          }
        });
        os << "\n";
      })))
    return failure();

  plot(result, dir);
  return success();
}
