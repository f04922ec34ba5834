//===- Emit.cpp - A candidate as an FPGA design ---------------------------===//

#include "nasc/Target/FPGA/Emit.h"
#include "nasc/Target/FPGA/EmitHLS.h"
#include "nasc/Target/FPGA/Energy.h"
#include "nasc/Target/FPGA/Engine.h"
#include "nasc/Target/FPGA/ResourceModel.h"

#include "nasc/Target/Common/Diagnostics.h"
#include "nasc/Target/Common/Lowering.h"
#include "nasc/Target/Common/OutputFiles.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>

using namespace mlir;
using namespace nasc;
using namespace nasc::fpga;

/// lib/Target/FPGA/rtl/nasc_engine.v.
static const char *const engineSource =
#include "EngineRTL.inc"
    ;

llvm::ArrayRef<FPGAPart> fpga::getFPGAParts() {
  static const FPGAPart parts[] = {
      {"up5k", "synth_ice40 -dsp", "--up5k"},
      {"hx8k", "synth_ice40", "--hx8k"},
      {"xc7z020", "synth_xilinx -family xc7", ""},
  };
  return parts;
}

llvm::Expected<FPGAPart> fpga::lookupFPGAPart(llvm::StringRef name) {
  std::string known;
  for (const FPGAPart &part : getFPGAParts()) {
    if (part.name == name)
      return part;
    known += (known.empty() ? "" : ", ") + part.name.str();
  }
  return llvm::createStringError("unknown FPGA part '" + name +
                                 "' (known: " + known + ")");
}

namespace {

/// Address bits for `depth` words (at least 1).
int64_t getAddressBits(int64_t depth) {
  int64_t bits = 1;
  while ((int64_t(1) << bits) < depth)
    ++bits;
  return bits;
}

/// One program for every engine: engine `stage` reads its layers' entries
/// (a constant input, so synthesis keeps each engine's own).
std::string emitProgram(const DesignPlan &plan) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// The layer programs of " << plan.stages.front().net.name
     << " (nasc --emit=fpga): an entry per layer of each engine.\n"
        "`default_nettype none\n\n"
        "module nasc_program (\n"
        "  input  wire [7:0]  stage,\n"
        "  input  wire [7:0]  layer,\n"
        "  output reg  [2:0]  kind,\n";
  const auto &fields = ProgramEntry::kFieldNames;
  for (const char *field : fields)
    os << "  output reg  [31:0] " << field << ",\n";
  os << "  output reg signed [15:0] coef0,\n"
        "  output reg signed [15:0] coef1\n"
        ");\n  always @* begin\n    case ({stage, layer})\n";
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const EngineStage &stage = plan.stages[s];
    for (size_t i = 0; i < stage.program.size(); ++i) {
      const ProgramEntry &e = stage.program[i];
      const IntOp &op = stage.net.ops[i];
      std::array<int64_t, ProgramEntry::kNumFields> values = e.getFields();
      os << "      // ";
      if (plan.stages.size() > 1)
        os << "engine " << s << ": ";
      os << op.label << " (" << stringifyIntOpKind(op.kind) << ")"
         << (op.location.empty() ? "" : " at " + op.location) << "\n";
      os << "      16'd" << (s * 256 + i) << ": begin kind = 3'd" << e.kind
         << ";";
      for (size_t f = 0; f < std::size(fields); ++f)
        os << " " << fields[f] << " = " << (values[f] < 0 ? "-32'sd" : "32'd")
           << std::abs(values[f]) << ";";
      for (auto [name, value] :
           {std::pair("coef0", e.coef0), {"coef1", e.coef1}})
        os << " " << name << " = " << (value < 0 ? "-16'sd" : "16'sd")
           << std::abs(value) << ";";
      os << " end\n";
    }
  }
  os << "      default: begin kind = 3'd0;";
  for (const char *field : fields)
    os << " " << field << " = 32'd0;";
  os << " coef0 = 16'sd0; coef1 = 16'sd0; end\n    endcase\n  "
        "end\nendmodule\n\n`default_nettype wire\n";
  return text;
}

/// An engine's memory file: `base`.mem for a design of one engine,
/// `base`_<engine>.mem for a chain.
std::string getMemoryFile(llvm::StringRef base, size_t stage,
                          const DesignPlan &plan) {
  return (base + (plan.stages.size() > 1 ? "_" + std::to_string(stage) : "") +
          ".mem")
      .str();
}

/// The low `digits` hex digits of `v` (two's complement), zero-padded.
std::string hex(uint64_t v, int digits) {
  std::string text(digits, '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4)
    text[i] = "0123456789abcdef"[v & 15];
  return text;
}

std::string hexByte(int64_t v) { return hex(uint64_t(v), 2); }

/// Words of `pe` weight levels of `bits` each, lane 0 in the low bits (a
/// binary level's bit is 1 for +1, 0 for -1): a convolution with lanes
/// gives each block's terms in order, one without them (and with 1 lane)
/// one output channel's terms after another in lane 0.
std::string emitWeights(const EngineStage &stage, int64_t bits) {
  const IntegerNetwork &net = stage.net;
  const std::vector<ProgramEntry> &program = stage.program;
  int64_t pe = stage.lanes;
  int64_t digits = (pe * bits + 3) / 4;
  std::vector<bool> word(4 * digits);
  auto hexWord = [&] {
    std::string text(digits, '0');
    for (int64_t d = 0; d < digits; ++d) {
      unsigned nibble = 0;
      for (int b = 0; b < 4; ++b)
        nibble |= unsigned(word[4 * d + b]) << b;
      text[digits - 1 - d] = "0123456789abcdef"[nibble];
    }
    return text + "\n";
  };
  std::string text;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    const IntOp &op = net.ops[i];
    const ProgramEntry &e = program[i];
    if (op.weights.empty())
      continue;
    int64_t units = int64_t(op.weights.size()) / e.terms / e.lanes;
    for (int64_t block = 0; block < units; ++block)
      for (int64_t t = 0; t < e.terms; ++t) {
        word.assign(word.size(), false);
        for (int64_t lane = 0; lane < e.lanes; ++lane) {
          int64_t level = op.weights[(block * e.lanes + lane) * e.terms + t];
          uint64_t code = bits == 1 ? uint64_t(level > 0) : uint64_t(level);
          for (int64_t b = 0; b < bits; ++b)
            word[lane * bits + b] = (code >> b) & 1;
        }
        text += hexWord();
      }
  }
  // $readmemh wants a word.
  return text.empty() ? std::string(digits, '0') + "\n" : text;
}

/// 128-bit words: multiplier (32) | offset (64) | shift (8) | lo (8) |
/// hi (8) | 0 (8); in an engine that compares (`thresholds`,
/// RequantThresholds): three 33-bit thresholds at bits 127, 94 and 61
/// down, lo at bits 23-16, the negation flag at bit 0.
std::string emitRequant(const IntegerNetwork &net, bool thresholds) {
  std::string text;
  for (const IntOp &op : net.ops)
    for (const Requant &r : getRequantWords(op)) {
      if (!thresholds) {
        text += hex(uint64_t(r.multiplier), 8) + hex(uint64_t(r.offset), 16) +
                hexByte(r.shift) + hexByte(r.lo) + hexByte(r.hi) + "00\n";
        continue;
      }
      RequantThresholds t = *RequantThresholds::from(r);
      unsigned __int128 word = 0;
      auto put = [&](int64_t value, unsigned bits, unsigned low) {
        uint64_t field = uint64_t(value) & ((uint64_t(1) << bits) - 1);
        word |= (unsigned __int128)field << low;
      };
      put(t.thresholds[0], 33, 95);
      put(t.thresholds[1], 33, 62);
      put(t.thresholds[2], 33, 29);
      put(t.lo, 8, 16);
      put(t.negate, 1, 0);
      text += hex(uint64_t(word >> 64), 16) + hex(uint64_t(word), 16) + "\n";
    }
  return text.empty() ? std::string(32, '0') + "\n" : text;
}

std::string emitLevels(const std::vector<int8_t> &levels) {
  std::string text;
  for (int8_t v : levels)
    text += hexByte(v) + "\n";
  return text;
}

/// An engine's parameters and ports: its input stream from `in`, its
/// output stream to `out` (`<prefix>_valid`, `_ready`, `_data`).
void emitEngine(llvm::raw_ostream &os, const DesignPlan &plan, size_t s,
                llvm::StringRef in, llvm::StringRef out, llvm::StringRef busy) {
  const EngineStage &stage = plan.stages[s];
  const IntegerNetwork &net = stage.net;
  EngineParameters params = getEngineParameters(stage);
  // A memory has a word at least.
  int64_t weights = std::max<int64_t>(params.weightDepth, 1);
  int64_t requants = std::max<int64_t>(params.requantDepth, 1);
  const IntTensor &input = net.tensors[net.input];
  const IntTensor &output = net.tensors[net.output];
  bool chain = plan.stages.size() > 1;
  os << "  nasc_engine #(\n"
     << "    .ACT_DEPTH(" << params.activationDepth << "),\n"
     << "    .ACT_AW(" << getAddressBits(params.activationDepth) << "),\n"
     << "    .ABITS(" << params.activationBits << "),\n"
     << "    .W_DEPTH(" << weights << "),\n"
     << "    .W_AW(" << getAddressBits(weights) << "),\n"
     << "    .RQ_DEPTH(" << requants << "),\n"
     << "    .RQ_AW(" << getAddressBits(requants) << "),\n"
     << "    .NUM_LAYERS(" << params.layers << "),\n"
     << "    .PE(" << params.lanes << "),\n"
     << "    .CW(" << params.counterBits << "),\n"
     << "    .WBITS(" << params.weightBits << "),\n";
  if (params.hardSwish)
    os << "    .HSWISH(1),\n";
  if (params.scale)
    os << "    .SCALE(1),\n";
  if (params.thresholds)
    os << "    .THRESHOLDS(1),\n";
  if (params.multiplierFreeLane0)
    os << "    .LANE0_ADD(1),\n";
  if (chain)
    os << "    .STAGE(" << s << "),\n";
  os << "    .IN_BASE(" << input.address << "),\n"
     << "    .IN_SIZE(" << input.size() << "),\n"
     << "    .OUT_BASE(" << output.address << "),\n"
     << "    .OUT_SIZE(" << output.size() << "),\n"
     << "    .WEIGHTS_FILE(\"" << getMemoryFile("weights", s, plan) << "\"),\n"
     << "    .REQUANT_FILE(\"" << getMemoryFile("requant", s, plan) << "\")\n"
     << "  ) engine" << (chain ? std::to_string(s) : std::string()) << " (\n"
     << "    .clk(clk), .rst(rst), .in_valid(" << in << "_valid), .in_ready("
     << in << "_ready),\n"
     << "    .in_data(" << in << "_data), .out_valid(" << out
     << "_valid), .out_ready(" << out << "_ready),\n"
     << "    .out_data(" << out << "_data), .busy(" << busy << "));\n";
}

std::string emitTop(const DesignPlan &plan, llvm::StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  size_t n = plan.stages.size();
  if (n == 1)
    os << "// " << name
       << ": the folded engine (nasc_engine.v) configured for this "
          "candidate.\n";
  else
    os << "// " << name << ": the dataflow template, a chain of " << n
       << " engines (nasc_engine.v),\n// each streaming its output tensor "
          "into the next.\n";
  os << "`default_nettype none\n\n"
     << "module " << name
     << " (\n"
        "  input  wire       clk,\n"
        "  input  wire       rst,\n"
        "  input  wire       in_valid,\n"
        "  output wire       in_ready,\n"
        "  input  wire [7:0] in_data,\n"
        "  output wire       out_valid,\n"
        "  input  wire       out_ready,\n"
        "  output wire [7:0] out_data,\n"
        "  output wire       busy\n"
        ");\n";
  if (n == 1) {
    emitEngine(os, plan, 0, "in", "out", "busy");
  } else {
    // link<s>: engine s-1's output stream into engine s.
    for (size_t s = 1; s < n; ++s)
      os << "  wire link" << s << "_valid, link" << s << "_ready;\n"
         << "  wire [7:0] link" << s << "_data;\n";
    os << "  wire [" << n - 1 << ":0] engine_busy;\n"
       << "  assign busy = |engine_busy;\n";
    for (size_t s = 0; s < n; ++s)
      emitEngine(os, plan, s, s == 0 ? "in" : "link" + std::to_string(s),
                 s + 1 == n ? "out" : "link" + std::to_string(s + 1),
                 "engine_busy[" + std::to_string(s) + "]");
  }
  os << "endmodule\n\n`default_nettype wire\n";
  return text;
}

} // namespace

llvm::Expected<TunedDesign> fpga::getTunedDesign(nas::SpecOp spec) {
  TunedDesign tuned;
  // The verifier has checked every alternative against the schema
  // (nas::getTargetTunables): integers in range, known template names.
  auto read = [&](llvm::StringRef name) {
    return target::getDecidedTunable(spec, nas::TargetKind::fpga, name);
  };
  llvm::Expected<mlir::Attribute> pe = read("pe");
  if (!pe)
    return pe.takeError();
  if (*pe)
    tuned.lanes = mlir::cast<mlir::IntegerAttr>(*pe).getInt();
  llvm::Expected<mlir::Attribute> kind = read("template");
  if (!kind)
    return kind.takeError();
  if (*kind)
    tuned.designTemplate =
        symbolizeDesignTemplate(mlir::cast<mlir::StringAttr>(*kind).getValue());
  llvm::Expected<mlir::Attribute> stages = read("stages");
  if (!stages)
    return stages.takeError();
  if (*stages)
    tuned.stages = mlir::cast<mlir::IntegerAttr>(*stages).getInt();
  return tuned;
}

const char *fpga::getLevelReaderSource() {
  return R"cpp(static bool readLevels(const char *path, std::vector<int> &levels) {
  std::ifstream in(path);
  if (!in)
    return false;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      levels.push_back(int(int8_t(std::stoul(line, nullptr, 16))));
  return true;
}
)cpp";
}

namespace {

std::string emitTestbench(const IntegerNetwork &net, llvm::StringRef name,
                          int64_t images) {
  std::string text;
  llvm::raw_string_ostream os(text);
  int64_t limit = images * (4 * net.numTerms() + 64 * int64_t(net.ops.size()) +
                            4 * net.tensors[net.input].size()) +
                  10000;
  os << "// Verilator testbench of " << name << " (nasc --emit=fpga).\n"
     << "// Streams the images of input.mem through the design, compares each\n"
        "// output with expected.mem (nasc's integer reference) and prints\n"
        "// the latency per image and the interval between the last two\n"
        "// images' ends, in cycles.\n"
        "// Exits 1 on any difference.\n"
     << "#include \"V" << name << ".h\"\n"
     << "#include \"verilated.h\"\n\n"
        "#include <cstdint>\n#include <cstdio>\n#include <fstream>\n"
        "#include <string>\n#include <vector>\n\n"
     << "static const long kInputSize = " << net.tensors[net.input].size()
     << ";\nstatic const long kOutputSize = " << net.tensors[net.output].size()
     << ";\nstatic const long kCycleLimit = " << limit << ";\n\n"
     << getLevelReaderSource() << "\n"
     << R"cpp(int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  std::vector<int> input, expected;
  if (!readLevels("input.mem", input) || !readLevels("expected.mem", expected)) {
    std::fprintf(stderr, "tb: cannot read input.mem or expected.mem\n");
    return 1;
  }
  long images = long(input.size()) / kInputSize;
  if (images == 0 || long(input.size()) != images * kInputSize ||
      long(expected.size()) != images * kOutputSize) {
    std::fprintf(stderr, "tb: input.mem and expected.mem do not hold whole images\n");
    return 1;
  }
)cpp"
     << "  V" << name << " top;\n"
     << R"cpp(  long cycle = 0;
  auto tick = [&] {
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    ++cycle;
  };
  top.rst = 1;
  top.in_valid = 0;
  top.out_ready = 0;
  tick();
  tick();
  top.rst = 0;
  long sent = 0, received = 0, mismatches = 0;
  std::vector<long> started(images, -1), finished(images, -1);
  std::vector<int> output;
  while (received < images * kOutputSize) {
    if (cycle > kCycleLimit) {
      std::fprintf(stderr, "tb: no output after %ld cycles\n", cycle);
      return 1;
    }
    top.in_valid = sent < images * kInputSize;
    top.in_data = top.in_valid ? uint8_t(input[sent]) : 0;
    top.out_ready = 1;
    top.clk = 0;
    top.eval();
    bool takeIn = top.in_valid && top.in_ready;
    bool takeOut = top.out_valid && top.out_ready;
    int level = int(int8_t(top.out_data));
    if (takeIn && sent % kInputSize == 0)
      started[sent / kInputSize] = cycle;
    tick();
    if (takeIn)
      ++sent;
    if (takeOut) {
      output.push_back(level);
      if (level != expected[received] && mismatches++ < 10)
        std::fprintf(stderr, "tb: image %ld output %ld: %d, expected %d\n",
                     received / kOutputSize, received % kOutputSize, level,
                     expected[received]);
      if (++received % kOutputSize == 0)
        finished[received / kOutputSize - 1] = cycle;
    }
  }
  for (long i = 0; i < images; ++i)
    std::printf("image %ld: latency %ld cycles\n", i, finished[i] - started[i]);
  if (images > 1)
    std::printf("interval: %ld cycles\n",
                finished[images - 1] - finished[images - 2]);
  std::ofstream out("output.mem");
  for (int v : output) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02x", unsigned(uint8_t(v)));
    out << hex << "\n";
  }
  if (mismatches) {
    std::printf("outputs: %ld of %ld differ from the reference\n", mismatches,
                images * kOutputSize);
    return 1;
  }
  std::printf("outputs: all %ld equal the reference\n", images * kOutputSize);
  return 0;
}
)cpp";
  return text;
}

std::string emitBuildScript(llvm::StringRef name, const FPGAPart &part) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "#!/bin/sh\n"
     << "# Runs the HLS C++ (g++), simulates (Verilator), synthesizes (Yosys, "
     << part.name << ") and places and routes (nextpnr-ice40) " << name << ".\n"
     << "# Usage: ./build.sh [hls|sim|synth|pnr|all]   (default: all)\n"
     << "set -eu\ncd \"$(dirname \"$0\")\"\n"
     << "sources=\"" << name << ".v nasc_engine.v nasc_program.v\"\n"
     << "hls() {\n"
     << "  g++ -O2 -std=c++17 " << name << "_hls.cpp hls_tb.cpp -o hls_sim\n"
     << "  # The buffers are the top's locals (Vitis's dataflow channels): a\n"
     << "  # large network needs a stack as large as its activations.\n"
     << "  ulimit -s \"$(ulimit -H -s)\"\n"
     << "  ./hls_sim\n}\n"
     << "sim() {\n"
     << "  verilator --cc --exe --build -O2 -Wno-fatal -DNASC_ACTIVITY "
     << "--top-module " << name
     << " -o sim $sources tb.cpp > verilator.log 2>&1 ||\n"
     << "    { cat verilator.log >&2; exit 1; }\n"
     << "  ./obj_dir/sim\n}\n"
     << "synth() {\n"
     << "  yosys -q -l yosys.log -p \"read_verilog -defer $sources; "
     << part.synthesis << " -top " << name << "; write_json " << name
     << ".json; tee -o resources.txt stat\"\n"
     << "  sed -n '/Number of cells/,$p' resources.txt\n}\n"
     << "pnr() {\n";
  if (part.nextpnrDevice.empty())
    os << "  echo \"pnr: nextpnr does not place " << part.name << "\"\n";
  else
    os << "  nextpnr-ice40 " << part.nextpnrDevice << " --json " << name
       << ".json --freq 12 --timing-allow-fail --asc " << name
       << ".asc > nextpnr.log 2>&1 || { cat nextpnr.log >&2; exit 1; }\n"
       << "  grep 'Max frequency' nextpnr.log | tail -1\n";
  os << "}\n"
     << "case \"${1:-all}\" in\n"
     << "  hls) hls ;;\n  sim) sim ;;\n  synth) synth ;;\n"
     << "  pnr) [ -f " << name << ".json ] || synth; pnr ;;\n"
     << "  all) hls; sim; synth; pnr ;;\n"
     << "  *) echo \"usage: $0 [hls|sim|synth|pnr|all]\" >&2; exit 2 ;;\n"
     << "esac\n";
  return text;
}

std::string emitReport(const DesignPlan &plan, const FPGAPart &part) {
  const IntegerNetwork &first = plan.stages.front().net;
  const IntegerNetwork &last = plan.stages.back().net;
  bool chain = plan.stages.size() > 1;
  int64_t layers = 0, terms = 0, weights = 0, memory = 0, cycles = 0;
  int64_t weightMemoryBits = 0, activationMemoryBits = 0;
  // The engines' widths: "4", "1 to 4"; " (1 to 4-bit levels)".
  struct Widths {
    int64_t lo = INT64_MAX, hi = 0;
    void add(int64_t bits) {
      lo = std::min(lo, bits);
      hi = std::max(hi, bits);
    }
    std::string range() const {
      return (lo < hi ? std::to_string(lo) + " to " : std::string()) +
             std::to_string(hi);
    }
    std::string levels() const {
      return hi ? " (" + range() + "-bit levels)" : "";
    }
  } weightWidths, activationWidths, counterWidths;
  size_t comparing = 0; // engines with THRESHOLDS
  for (const EngineStage &stage : plan.stages) {
    layers += int64_t(stage.net.ops.size());
    terms += stage.net.numTerms();
    weights += stage.net.numWeights();
    memory += stage.net.activationMemory;
    cycles += getComputeCycles(stage.program);
    EngineParameters params = getEngineParameters(stage);
    weightMemoryBits += params.weightDepth * params.lanes * params.weightBits;
    activationMemoryBits += params.activationDepth * params.activationBits;
    if (params.weightDepth)
      weightWidths.add(params.weightBits);
    activationWidths.add(params.activationBits);
    counterWidths.add(params.counterBits);
    comparing += params.thresholds;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "design: " << first.name << " (" << stringifyDesignTemplate(plan.kind)
     << " template, part " << part.name << ")\n";
  if (chain)
    os << "engines: " << plan.stages.size()
       << " (a chain, each streaming into the next)\n";
  os << "lanes: " << plan.getMaxLanes() << (chain ? " at most" : "") << "\n"
     << "layers: " << layers << "\n"
     << "terms: " << terms << " (multiply-accumulates and the like)\n"
     << "cycles: " << cycles << " (the " << (chain ? "engines'" : "engine's")
     << ", at one term per cycle on each lane)\n"
     << "latency: " << plan.latencyCycles
     << " cycles per image (with the streams in and out and each layer's "
     << "start and drain)\n";
  if (chain)
    os << "interval: " << plan.intervalCycles
       << " cycles between images (the slowest engine's)\n";
  DesignActivity activity = getDesignActivity(plan);
  double clockMHz = getNominalClockMHz(part);
  os << "energy: "
     << llvm::format("%.4g", 1e6 * getDesignEnergy(plan, part, clockMHz))
     << " uJ per image at " << llvm::format("%g", clockMHz) << " MHz ("
     << activity.macs << " multiply-accumulates, ";
  if (activity.multiplierFreeMacs)
    os << activity.multiplierFreeMacs << " of them adds on binary or ternary "
       << "lanes, ";
  os << (activity.weightBits + activity.activationBits + 7) / 8
     << " bytes of memory read or written, " << activity.requantizations
     << " requantizations)\n";
  os << "weights: " << weights << " levels in " << (weightMemoryBits + 7) / 8
     << " bytes of weight memory" << weightWidths.levels() << "\n"
     << "activation memory: " << memory << " levels in "
     << (activationMemoryBits + 7) / 8 << " bytes" << activationWidths.levels()
     << "\n"
     << "counters: " << counterWidths.range() << " bits\n";
  if (comparing)
    os << "requantization: thresholds in " << comparing << " of "
       << plan.stages.size()
       << (plan.stages.size() == 1 ? " engine" : " engines")
       << " (results of at most " << RequantThresholds::kMaxLevels
       << " levels: comparisons, no multiply)\n";
  os << "input: " << first.tensors[first.input].size() << " levels at scale "
     << llvm::format("%.6g", first.tensors[first.input].scale) << "\n"
     << "output: " << last.tensors[last.output].size() << " levels at scale "
     << llvm::format("%.6g", last.tensors[last.output].scale) << "\n";
  size_t index = 0;
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const EngineStage &stage = plan.stages[s];
    const IntegerNetwork &net = stage.net;
    os << "\n";
    if (chain)
      os << "engine " << s << ": " << stage.lanes
         << (stage.lanes == 1 ? " lane, " : " lanes, ") << stage.cycleCycles
         << " cycles per image, " << net.activationMemory
         << " levels of activations\n";
    for (size_t i = 0; i < net.ops.size(); ++i, ++index) {
      const IntOp &op = net.ops[i];
      const IntTensor &in = net.tensors[op.input];
      const IntTensor &out = net.tensors[op.output];
      os << llvm::format("%3zu ", index) << op.label << ": [" << in.channels
         << ", " << in.height << ", " << in.width << "] -> [" << out.channels
         << ", " << out.height << ", " << out.width << "], " << out.bits
         << "-bit levels";
      if (op.kind == IntOpKind::Conv)
        os << ", " << op.wbits << "-bit weights, " << stage.program[i].lanes
           << (stage.program[i].lanes == 1 ? " lane" : " lanes");
      if (!op.location.empty())
        os << "  (" << op.location << ")";
      os << "\n";
    }
  }
  return text;
}

} // namespace

llvm::Expected<IntegerNetwork>
fpga::loadIntegerNetwork(nas::SpecOp spec, llvm::StringRef weightsPath,
                         uint64_t seed, const IntegerOptions &options) {
  auto weights = target::loadWeights(spec, weightsPath, seed);
  if (!weights)
    return weights.takeError();
  IntegerOptions engine = options;
  engine.consumer = "the fpga backend";
  llvm::Expected<IntegerNetwork> net =
      buildIntegerNetwork(spec, **weights, engine);
  if (!net)
    return net.takeError();
  // hswish's 6/s reaches the engine's multiplier as a 16-bit coefficient.
  for (const IntOp &op : net->ops)
    if (op.kind == IntOpKind::HardSwish && op.capLevel > kMaxCoefficient)
      return llvm::createStringError(
          op.location + ": the fpga engine's hswish needs 6 / scale = " +
          std::to_string(op.capLevel) +
          " levels as a 16-bit operand (at most " +
          std::to_string(kMaxCoefficient) +
          "): its input's calibrated range is too small");
  return net;
}

llvm::Expected<std::vector<std::pair<std::string, std::string>>>
fpga::getDesignFiles(const IntegerNetwork &net, const FPGAPart &part,
                     const EmitOptions &options) {
  llvm::Expected<DesignPlan> plan =
      planDesign(net, options.designTemplate, options.pe, options.maxStages);
  if (!plan)
    return plan.takeError();
  // nasc_ keeps the spec's name clear of Verilog's keywords (`small`).
  std::string name = "nasc_" + net.name;
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  // The testbench measures the latency and the interval between the last
  // two images' ends: two suffice for one engine. In a chain the slowest
  // engine takes an image every cycle of its own from the second on (the
  // engines before it are faster), and those after it keep pace.
  int64_t images = plan->stages.size() > 1 ? 4 : 2;
  std::vector<int8_t> input, expected;
  for (int64_t image = 0; image < images; ++image) {
    Random random(options.inputSeed + uint64_t(image));
    std::vector<int8_t> levels = net.quantizeInput(
        drawUniformImage(net.tensors[net.input].size(), random));
    std::vector<int8_t> y = runInteger(net, levels);
    input.insert(input.end(), levels.begin(), levels.end());
    expected.insert(expected.end(), y.begin(), y.end());
  }
  std::vector<std::pair<std::string, std::string>> files = {
      {"nasc_engine.v", engineSource},
      {"nasc_program.v", emitProgram(*plan)},
      {name + ".v", emitTop(*plan, name)}};
  for (size_t s = 0; s < plan->stages.size(); ++s) {
    EngineParameters params = getEngineParameters(plan->stages[s]);
    files.push_back({getMemoryFile("weights", s, *plan),
                     emitWeights(plan->stages[s], params.weightBits)});
    files.push_back({getMemoryFile("requant", s, *plan),
                     emitRequant(plan->stages[s].net, params.thresholds)});
  }
  files.insert(files.end(), {{"input.mem", emitLevels(input)},
                             {"expected.mem", emitLevels(expected)},
                             {"tb.cpp", emitTestbench(net, name, images)},
                             {name + "_hls.cpp", emitHLSSource(net, name)},
                             {name + "_hls.h", emitHLSHeader(net, name)},
                             {"hls_tb.cpp", emitHLSTestbench(net, name)},
                             {"build.sh", emitBuildScript(name, part)},
                             {"design.txt", emitReport(*plan, part)}});
  return files;
}

llvm::Error fpga::emitFPGA(ModuleOp concreteSpec, llvm::StringRef weightsPath,
                           uint64_t seed, llvm::StringRef dir,
                           const EmitOptions &options) {
  llvm::Expected<FPGAPart> part = lookupFPGAPart(options.part);
  if (!part)
    return part.takeError();
  llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
  if (!spec)
    return spec.takeError();
  llvm::Expected<IntegerNetwork> net =
      loadIntegerNetwork(*spec, weightsPath, seed);
  if (!net)
    return net.takeError();
  llvm::Expected<std::vector<std::pair<std::string, std::string>>> files =
      getDesignFiles(*net, *part, options);
  if (!files)
    return files.takeError();
  if (llvm::Error error = target::writeFiles(dir, *files))
    return error;
  // build.sh must be executable.
  llvm::SmallString<256> script(dir);
  llvm::sys::path::append(script, "build.sh");
  llvm::sys::fs::setPermissions(script, llvm::sys::fs::all_read |
                                            llvm::sys::fs::all_exe |
                                            llvm::sys::fs::owner_write);
  return llvm::Error::success();
}
