//===- Measure.cpp - An FPGA design simulated and synthesized -------------===//

#include "nasc/Target/FPGA/Measure.h"

#include "nasc/Target/Common/OutputFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <map>

using namespace nasc;
using namespace nasc::fpga;

PartCapacity fpga::getPartCapacity(const FPGAPart &part) {
  // iCE40UP5K: 5280 LUT4, 8 SB_MAC16, 30 EBR; iCE40HX8K: 7680 LUT4, 32 EBR;
  // XC7Z020: 53,200 LUT6, 106,400 FF, 220 DSP48E1, 140 RAMB36 (280 RAMB18).
  if (part.name == "up5k")
    return {5280, 5280, 8, 30};
  if (part.name == "hx8k")
    return {7680, 7680, 0, 32};
  return {53200, 106400, 220, 280};
}

Resources fpga::parseResources(llvm::StringRef report) {
  Resources used;
  // A design kept hierarchical (synth_xilinx) is reported per module and
  // then in total: read the total only.
  size_t total = report.find("=== design hierarchy ===");
  if (total != llvm::StringRef::npos)
    report = report.drop_front(total);
  llvm::SmallVector<llvm::StringRef> lines;
  report.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 2> fields;
    line.trim().split(fields, ' ', -1, /*KeepEmpty=*/false);
    if (fields.size() != 2)
      continue;
    int64_t count = 0;
    if (fields[1].getAsInteger(10, count))
      continue;
    llvm::StringRef cell = fields[0];
    if (cell == "SB_LUT4" || (cell.starts_with("LUT") && cell.size() == 4))
      used.luts += count;
    else if (cell.starts_with("SB_DFF") || cell.starts_with("FD"))
      used.flipFlops += count;
    else if (cell == "SB_MAC16" || cell.starts_with("DSP48"))
      used.dsps += count;
    else if (cell == "SB_RAM40_4K" || cell == "RAMB18E1")
      used.brams += count;
    else if (cell == "RAMB36E1")
      used.brams += 2 * count;
  }
  return used;
}

/// "LUT 5538 of 5280 (+5%)".
static std::string formatOverflow(llvm::StringRef name, int64_t n,
                                  int64_t limit) {
  std::string text =
      name.str() + " " + std::to_string(n) + " of " + std::to_string(limit);
  if (limit > 0)
    text += " (+" +
            std::to_string(int64_t(std::ceil(100.0 * (n - limit) / limit))) +
            "%)";
  return text;
}

std::vector<std::string> fpga::getOverflows(const Resources &used,
                                            const PartCapacity &capacity) {
  std::vector<std::string> overflows;
  auto check = [&](llvm::StringRef name, int64_t n, int64_t limit) {
    if (n > limit)
      overflows.push_back(formatOverflow(name, n, limit));
  };
  check("LUT", used.luts, capacity.luts);
  check("FF", used.flipFlops, capacity.flipFlops);
  check("DSP", used.dsps, capacity.dsps);
  check("BRAM", used.brams, capacity.brams);
  return overflows;
}

llvm::Expected<DesignMeasurement>
fpga::parseSimulation(llvm::StringRef output) {
  static const llvm::Regex latency("image 0: latency ([0-9]+) cycles");
  static const llvm::Regex interval("interval: ([0-9]+) cycles");
  static const llvm::Regex equal("outputs: all [0-9]+ equal the reference");
  llvm::SmallVector<llvm::StringRef, 2> match;
  DesignMeasurement m;
  if (!equal.match(output))
    return llvm::createStringError(
        "the simulated outputs differ from the integer reference:\n" +
        output.trim());
  if (!latency.match(output, &match) ||
      match[1].getAsInteger(10, m.latencyCycles))
    return llvm::createStringError("no latency in the simulation's output");
  m.intervalCycles = m.latencyCycles;
  if (interval.match(output, &match))
    (void)match[1].getAsInteger(10, m.intervalCycles);
  // Each engine's last activity line holds its counts over all its images.
  static const llvm::Regex activity(
      "^activity: engine ([0-9]+) images ([0-9]+) multiplier ([0-9]+) "
      "accumulator ([0-9]+) requantizer ([0-9]+)$");
  std::map<int64_t, SwitchingActivity> engines;
  llvm::SmallVector<llvm::StringRef> lines;
  output.split(lines, '\n');
  llvm::SmallVector<llvm::StringRef, 6> fields;
  for (llvm::StringRef line : lines) {
    if (!activity.match(line.rtrim(), &fields))
      continue;
    int64_t values[5];
    bool bad = false;
    for (int i = 0; i < 5; ++i)
      bad |= fields[i + 1].getAsInteger(10, values[i]);
    if (bad || values[1] <= 0)
      continue;
    double images = double(values[1]);
    engines[values[0]] = {double(values[2]) / images,
                          double(values[3]) / images,
                          double(values[4]) / images};
  }
  if (!engines.empty()) {
    SwitchingActivity sum;
    for (const auto &[engine, a] : engines) {
      sum.multiplierToggles += a.multiplierToggles;
      sum.accumulatorToggles += a.accumulatorToggles;
      sum.requantizerToggles += a.requantizerToggles;
    }
    m.switching = sum;
  }
  return m;
}

std::vector<std::string>
fpga::getPlacementOverflows(llvm::StringRef log) {
  // nextpnr-ice40's "Device utilisation": `ICESTORM_LC:  5709/ 5280  108%`.
  static const llvm::Regex use("^Info:[ \t]+ICESTORM_([A-Z]+):[ \t]+([0-9]+)/"
                               "[ \t]*([0-9]+)");
  std::vector<std::string> overflows;
  llvm::SmallVector<llvm::StringRef> lines;
  log.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 4> match;
    int64_t used = 0, total = 0;
    if (!use.match(line, &match) || match[2].getAsInteger(10, used) ||
        match[3].getAsInteger(10, total) || used <= total)
      continue;
    overflows.push_back(formatOverflow(match[1], used, total));
  }
  return overflows;
}

std::optional<double> fpga::parseFmax(llvm::StringRef log) {
  static const llvm::Regex fmax("Max frequency for clock[^:]*: ([0-9.]+) MHz");
  std::optional<double> result;
  llvm::SmallVector<llvm::StringRef> lines;
  log.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 2> match;
    double value = 0;
    if (fmax.match(line, &match) && !match[1].getAsDouble(value))
      result = value;
  }
  return result;
}

namespace {
/// Runs `build.sh STEP` in `dir`; its standard output is returned.
llvm::Expected<std::string> runStep(llvm::StringRef dir, llvm::StringRef step) {
  llvm::ErrorOr<std::string> sh = llvm::sys::findProgramByName("sh");
  if (!sh)
    return llvm::createStringError("cannot find sh");
  llvm::SmallString<256> script(dir), out(dir), err(dir);
  llvm::sys::path::append(script, "build.sh");
  llvm::sys::path::append(out, step + ".out");
  llvm::sys::path::append(err, step + ".err");
  std::string scriptPath = script.str().str(), stepName = step.str();
  llvm::StringRef args[] = {*sh, scriptPath, stepName};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, out.str(),
                                                err.str()};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*sh, args, std::nullopt, redirects, 0, 0,
                                     &message);
  auto read = [](llvm::StringRef path) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    return buffer ? (*buffer)->getBuffer().str() : std::string();
  };
  std::string output = read(out);
  if (rc != 0)
    return llvm::createStringError(
        "build.sh " + step + " failed" +
        (message.empty() ? "" : " (" + message + ")") + ":\n" +
        llvm::StringRef(output + read(err)).trim());
  return output;
}

/// Removes a directory tree when it goes out of scope.
struct TemporaryDirectory {
  llvm::SmallString<256> path;
  ~TemporaryDirectory() {
    if (!path.empty())
      llvm::sys::fs::remove_directories(path);
  }
};
} // namespace

llvm::Expected<DesignMeasurement>
fpga::measureDesign(const IntegerNetwork &net, const FPGAPart &part,
                    const EmitOptions &options) {
  std::vector<llvm::StringRef> tools = {"verilator", "yosys"};
  if (!part.nextpnrDevice.empty())
    tools.push_back("nextpnr-ice40");
  for (llvm::StringRef tool : tools)
    if (!llvm::sys::findProgramByName(tool))
      return llvm::createStringError(
          "measuring an FPGA design needs " + tool +
          " (scripts/install-deps.sh installs it: apt install verilator "
          "yosys nextpnr-ice40)");
  llvm::Expected<std::vector<std::pair<std::string, std::string>>> files =
      getDesignFiles(net, part, options);
  if (!files)
    return files.takeError();
  TemporaryDirectory dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("nasc-fpga", dir.path))
    return llvm::createStringError("cannot create a temporary directory: " +
                                   ec.message());
  if (llvm::Error error = target::writeFiles(dir.path, *files))
    return std::move(error);
  llvm::Expected<std::string> sim = runStep(dir.path, "sim");
  if (!sim)
    return sim.takeError();
  llvm::Expected<DesignMeasurement> m = parseSimulation(*sim);
  if (!m)
    return m.takeError();
  llvm::Expected<std::string> synth = runStep(dir.path, "synth");
  if (!synth)
    return synth.takeError();
  llvm::SmallString<256> report(dir.path);
  llvm::sys::path::append(report, "resources.txt");
  auto stat = llvm::MemoryBuffer::getFile(report);
  if (!stat)
    return llvm::createStringError("yosys wrote no resources.txt");
  m->resources = parseResources((*stat)->getBuffer());
  m->overflows = getOverflows(m->resources, getPartCapacity(part));
  if (m->overflows.empty() && !part.nextpnrDevice.empty()) {
    llvm::Expected<std::string> pnr = runStep(dir.path, "pnr");
    if (!pnr) {
      // Cells that Yosys counts within the part can still need more logic
      // cells than it has (a flip-flop without a LUT takes one alone):
      // nextpnr then fails, and the design does not fit.
      llvm::SmallString<256> log(dir.path);
      llvm::sys::path::append(log, "nextpnr.log");
      auto text = llvm::MemoryBuffer::getFile(log);
      std::vector<std::string> placed =
          text ? getPlacementOverflows((*text)->getBuffer())
               : std::vector<std::string>();
      if (placed.empty())
        return pnr.takeError();
      llvm::consumeError(pnr.takeError());
      m->overflows = std::move(placed);
      return m;
    }
    m->fmaxMHz = parseFmax(*pnr);
  }
  return m;
}
