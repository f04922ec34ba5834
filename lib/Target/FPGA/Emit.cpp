//===- Emit.cpp - A candidate as an FPGA design ---------------------------===//

#include "nasc/Target/FPGA/Emit.h"
#include "nasc/Target/FPGA/EmitHLS.h"

#include "nasc/Target/Common/Lowering.h"
#include "nasc/Target/Common/OutputFiles.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

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

enum EngineKind { Conv = 0, Max = 1, Avg = 2, Add = 3, Copy = 4 };

EngineKind getEngineKind(IntOpKind kind) {
  switch (kind) {
  case IntOpKind::Conv:
    return Conv;
  case IntOpKind::MaxPool:
    return Max;
  case IntOpKind::AvgPool:
    return Avg;
  case IntOpKind::Add:
    return Add;
  case IntOpKind::Copy:
    return Copy;
  }
  return Conv;
}

/// One layer of the engine's program (nasc_engine.v's p_* fields).
struct ProgramEntry {
  /// `blocks`: blocks of `lanes` output channels per group.
  int64_t kind, in0, in1, out, cinpg, blocks, outc, inh, inw, outh, outw, kh,
      kw, stride, padt, padl, wbase, rqbase, terms;
  // Running address steps: an input plane, a window row step, a group's
  // input planes, the first window row's offset (negative with padding).
  int64_t plane, rowstep, groupstep, rowstart;
  /// Output channels computed at once (PE, or 1), an output plane, and the
  /// other lanes' planes skipped after a block.
  int64_t lanes, outplane, blockskip;
};

/// The layer program for an engine of `pe` lanes. A convolution gets them
/// when its output channels per group are a multiple of `pe` and each
/// output sums at least `pe` terms (its write-backs then keep up).
std::vector<ProgramEntry> getProgram(const IntegerNetwork &net, int64_t pe) {
  std::vector<ProgramEntry> program;
  int64_t wbase = 0, rqbase = 0;
  for (const IntOp &op : net.ops) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    ProgramEntry e{};
    e.kind = getEngineKind(op.kind);
    e.in0 = in.address + op.inChannelOffset * in.height * in.width;
    e.in1 = op.secondInput >= 0 ? net.tensors[op.secondInput].address : 0;
    e.out = out.address + op.outChannelOffset * in.height * in.width;
    e.inh = in.height;
    e.inw = in.width;
    e.kh = op.kernelH;
    e.kw = op.kernelW;
    e.stride = op.stride;
    e.padt = op.padTop;
    e.padl = op.padLeft;
    e.wbase = wbase;
    e.rqbase = rqbase;
    if (op.kind == IntOpKind::Conv) {
      e.cinpg = in.channels / op.groups;
      int64_t perGroup = out.channels / op.groups;
      e.outc = out.channels;
      e.outh = out.height;
      e.outw = out.width;
      e.terms = e.cinpg * e.kh * e.kw;
      e.lanes = perGroup % pe == 0 && e.terms >= pe ? pe : 1;
      e.blocks = perGroup / e.lanes;
    } else {
      // One input channel per output channel.
      e.cinpg = e.blocks = e.lanes = 1;
      e.outc =
          op.kind == IntOpKind::Copy ? getCopiedChannels(op, in) : in.channels;
      bool window =
          op.kind == IntOpKind::MaxPool || op.kind == IntOpKind::AvgPool;
      e.outh = window ? out.height : in.height;
      e.outw = window ? out.width : in.width;
      e.terms = op.kind == IntOpKind::Add ? 2 : e.kh * e.kw;
    }
    e.plane = e.inh * e.inw;
    e.rowstep = e.stride * e.inw;
    e.groupstep = e.cinpg * e.plane;
    e.rowstart = -e.padt * e.inw;
    e.outplane = e.outh * e.outw;
    // A copy's channels land outChannelStride planes apart.
    e.blockskip = (e.lanes - 1 + op.outChannelStride - 1) * e.outplane;
    // Weight words: a block's terms, each word a weight per lane.
    wbase += int64_t(op.weights.size()) / e.lanes;
    rqbase += int64_t(op.requant.size());
    program.push_back(e);
  }
  return program;
}

std::string emitProgram(const IntegerNetwork &net,
                        const std::vector<ProgramEntry> &program) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// The layer program of " << net.name
     << " (nasc --emit=fpga): one entry per layer of its integer network.\n"
        "`default_nettype none\n\n"
        "module nasc_program (\n"
        "  input  wire [7:0]  layer,\n"
        "  output reg  [2:0]  kind,\n";
  static const char *const fields[] = {
      "in0",       "in1",      "out",    "cinpg",    "blocks",
      "outc",      "inh",      "inw",    "outh",     "outw",
      "kh",        "kw",       "stride", "padt",     "padl",
      "wbase",     "rqbase",   "terms",  "plane",    "rowstep",
      "groupstep", "rowstart", "lanes",  "outplane", "blockskip"};
  for (size_t f = 0; f < std::size(fields); ++f)
    os << "  output reg  [31:0] " << fields[f]
       << (f + 1 < std::size(fields) ? ",\n" : "\n");
  os << ");\n  always @* begin\n    case (layer)\n";
  for (size_t i = 0; i < program.size(); ++i) {
    const ProgramEntry &e = program[i];
    const IntOp &op = net.ops[i];
    int64_t values[] = {
        e.in0,       e.in1,      e.out,    e.cinpg,    e.blocks,
        e.outc,      e.inh,      e.inw,    e.outh,     e.outw,
        e.kh,        e.kw,       e.stride, e.padt,     e.padl,
        e.wbase,     e.rqbase,   e.terms,  e.plane,    e.rowstep,
        e.groupstep, e.rowstart, e.lanes,  e.outplane, e.blockskip};
    os << "      // " << op.label << " (" << stringifyIntOpKind(op.kind) << ")"
       << (op.location.empty() ? "" : " at " + op.location) << "\n";
    os << "      8'd" << i << ": begin kind = 3'd" << e.kind << ";";
    for (size_t f = 0; f < std::size(fields); ++f)
      os << " " << fields[f] << " = " << (values[f] < 0 ? "-32'sd" : "32'd")
         << std::abs(values[f]) << ";";
    os << " end\n";
  }
  os << "      default: begin kind = 3'd0;";
  for (const char *field : fields)
    os << " " << field << " = 32'd0;";
  os << " end\n    endcase\n  end\nendmodule\n\n`default_nettype wire\n";
  return text;
}

/// The low `digits` hex digits of `v` (two's complement), zero-padded.
std::string hex(uint64_t v, int digits) {
  std::string text(digits, '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4)
    text[i] = "0123456789abcdef"[v & 15];
  return text;
}

std::string hexByte(int64_t v) { return hex(uint64_t(v), 2); }

/// A term per cycle on each lane, each block of output channels once.
int64_t getComputeCycles(const std::vector<ProgramEntry> &program) {
  int64_t cycles = 0;
  for (const ProgramEntry &e : program)
    cycles += e.outc / e.lanes * e.outh * e.outw * e.terms;
  return cycles;
}

/// nasc_engine.v's cycles from the first input level taken to the last
/// output level given: one per input level, per layer a start cycle, its
/// terms and a drain of 6 + PE cycles, two per output level.
int64_t getLatencyCycles(const IntegerNetwork &net,
                         const std::vector<ProgramEntry> &program, int64_t pe) {
  return net.tensors[net.input].size() + getComputeCycles(program) +
         int64_t(program.size()) * (7 + pe) +
         2 * net.tensors[net.output].size();
}

/// Words of `pe` weights, lane 0 in the low byte: a convolution with lanes
/// gives each block's terms in order, one without them (and with 1 lane)
/// one output channel's terms after another in lane 0.
std::string emitWeights(const IntegerNetwork &net,
                        const std::vector<ProgramEntry> &program, int64_t pe) {
  std::string text;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    const IntOp &op = net.ops[i];
    const ProgramEntry &e = program[i];
    if (op.weights.empty())
      continue;
    int64_t units = int64_t(op.weights.size()) / e.terms / e.lanes;
    for (int64_t block = 0; block < units; ++block)
      for (int64_t t = 0; t < e.terms; ++t) {
        for (int64_t lane = pe - 1; lane >= 0; --lane)
          text +=
              lane < e.lanes
                  ? hexByte(op.weights[(block * e.lanes + lane) * e.terms + t])
                  : "00";
        text += "\n";
      }
  }
  // $readmemh wants a word.
  return text.empty() ? std::string(2 * pe, '0') + "\n" : text;
}

/// 128-bit words: multiplier (32) | offset (64) | shift (8) | lo (8) |
/// hi (8) | 0 (8).
std::string emitRequant(const IntegerNetwork &net) {
  std::string text;
  for (const IntOp &op : net.ops)
    for (const Requant &r : op.requant)
      text += hex(uint64_t(r.multiplier), 8) + hex(uint64_t(r.offset), 16) +
              hexByte(r.shift) + hexByte(r.lo) + hexByte(r.hi) + "00\n";
  return text.empty() ? std::string(32, '0') + "\n" : text;
}

std::string emitLevels(const std::vector<int8_t> &levels) {
  std::string text;
  for (int8_t v : levels)
    text += hexByte(v) + "\n";
  return text;
}

std::string emitTop(const IntegerNetwork &net, llvm::StringRef name,
                    const std::vector<ProgramEntry> &program, int64_t pe) {
  int64_t weights = 0;
  for (size_t i = 0; i < net.ops.size(); ++i)
    weights += int64_t(net.ops[i].weights.size()) / program[i].lanes;
  weights = std::max<int64_t>(weights, 1);
  int64_t requants = 0;
  for (const IntOp &op : net.ops)
    requants += int64_t(op.requant.size());
  requants = std::max<int64_t>(requants, 1);
  const IntTensor &in = net.tensors[net.input];
  const IntTensor &out = net.tensors[net.output];
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// " << name
     << ": the folded engine (nasc_engine.v) configured for this candidate.\n"
        "`default_nettype none\n\n"
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
        ");\n"
     << "  nasc_engine #(\n"
     << "    .ACT_DEPTH(" << net.activationMemory << "),\n"
     << "    .ACT_AW(" << getAddressBits(net.activationMemory) << "),\n"
     << "    .W_DEPTH(" << weights << "),\n"
     << "    .W_AW(" << getAddressBits(weights) << "),\n"
     << "    .RQ_DEPTH(" << requants << "),\n"
     << "    .RQ_AW(" << getAddressBits(requants) << "),\n"
     << "    .NUM_LAYERS(" << net.ops.size() << "),\n"
     << "    .PE(" << pe << "),\n"
     << "    .IN_BASE(" << in.address << "),\n"
     << "    .IN_SIZE(" << in.size() << "),\n"
     << "    .OUT_BASE(" << out.address << "),\n"
     << "    .OUT_SIZE(" << out.size() << "),\n"
     << "    .WEIGHTS_FILE(\"weights.mem\"),\n"
     << "    .REQUANT_FILE(\"requant.mem\")\n"
     << "  ) engine (\n"
        "    .clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready),\n"
        "    .in_data(in_data), .out_valid(out_valid), .out_ready(out_ready),\n"
        "    .out_data(out_data), .busy(busy));\n"
        "endmodule\n\n`default_nettype wire\n";
  return text;
}

} // namespace

llvm::Expected<std::optional<int64_t>> fpga::getTunedLanes(nas::SpecOp spec) {
  std::optional<int64_t> lanes;
  for (nas::TargetOp target : spec.getBodyBlock().getOps<nas::TargetOp>()) {
    if (target.getKind() != nas::TargetKind::fpga || !target.getTunables())
      continue;
    mlir::Attribute value = target.getTunables()->get("pe");
    if (!value)
      continue;
    if (auto choice = mlir::dyn_cast<nas::ChoiceAttr>(value))
      value = choice.size() == 1 ? choice.getOptions()[0] : mlir::Attribute();
    auto pe = mlir::dyn_cast_or_null<mlir::IntegerAttr>(value);
    std::string where;
    if (auto loc = target.getLoc()->findInstanceOf<mlir::FileLineColLoc>())
      where = (loc.getFilename().getValue() + ":" + llvm::Twine(loc.getLine()) +
               ":" + llvm::Twine(loc.getColumn()) + ": ")
                  .str();
    std::string name = target.getSymName().str();
    if (!pe)
      return llvm::createStringError(
          where + "tunable 'pe' of target '" + name +
          "' is not decided: give a candidate that decides it");
    if (pe.getInt() < 1 || pe.getInt() > 64)
      return llvm::createStringError(where + "tunable 'pe' of target '" + name +
                                     "' is " + llvm::Twine(pe.getInt()) +
                                     "; the folded engine takes 1 to 64 lanes");
    if (lanes && *lanes != pe.getInt())
      return llvm::createStringError(
          where + "fpga targets ask for different lanes (tunable 'pe'): " +
          llvm::Twine(*lanes) + " and " + llvm::Twine(pe.getInt()));
    lanes = pe.getInt();
  }
  return lanes;
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

std::string emitTestbench(const IntegerNetwork &net, llvm::StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  int64_t limit = 4 * net.numTerms() + 64 * int64_t(net.ops.size()) +
                  4 * net.tensors[net.input].size() + 10000;
  os << "// Verilator testbench of " << name << " (nasc --emit=fpga).\n"
     << "// Streams the images of input.mem through the design, compares each\n"
        "// output with expected.mem (nasc's integer reference) and prints\n"
        "// the latency per image and the interval between images, in cycles.\n"
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
    std::printf("interval: %ld cycles\n", started[1] - started[0]);
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
     << "  verilator --cc --exe --build -O2 -Wno-fatal --top-module " << name
     << " -o sim $sources tb.cpp > verilator.log 2>&1 ||\n"
     << "    { cat verilator.log >&2; exit 1; }\n"
     << "  ./obj_dir/sim\n}\n"
     << "synth() {\n"
     << "  yosys -q -l yosys.log -p \"read_verilog $sources; " << part.synthesis
     << " -top " << name << "; write_json " << name
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

std::string emitReport(const IntegerNetwork &net, const FPGAPart &part,
                       const std::vector<ProgramEntry> &program, int64_t pe) {
  int64_t cycles = getComputeCycles(program);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "design: " << net.name << " (folded template, part " << part.name
     << ")\n"
     << "lanes: " << pe << "\n"
     << "layers: " << net.ops.size() << "\n"
     << "terms: " << net.numTerms() << " (multiply-accumulates and the like)\n"
     << "cycles: " << cycles << " (the engine's, at one term per cycle on "
     << "each lane)\n"
     << "latency: " << getLatencyCycles(net, program, pe)
     << " cycles per image (with the streams in and out and each layer's "
     << "start and drain)\n"
     << "weights: " << net.numWeights() << " bytes\n"
     << "activation memory: " << net.activationMemory << " bytes\n"
     << "input: " << net.tensors[net.input].size() << " levels at scale "
     << llvm::format("%.6g", net.tensors[net.input].scale) << "\n"
     << "output: " << net.tensors[net.output].size() << " levels at scale "
     << llvm::format("%.6g", net.tensors[net.output].scale) << "\n\n";
  for (size_t i = 0; i < net.ops.size(); ++i) {
    const IntOp &op = net.ops[i];
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    os << llvm::format("%3zu ", i) << op.label << ": [" << in.channels << ", "
       << in.height << ", " << in.width << "] -> [" << out.channels << ", "
       << out.height << ", " << out.width << "], " << out.bits << "-bit levels";
    if (op.kind == IntOpKind::Conv)
      os << ", " << op.wbits << "-bit weights, " << program[i].lanes
         << (program[i].lanes == 1 ? " lane" : " lanes");
    if (!op.location.empty())
      os << "  (" << op.location << ")";
    os << "\n";
  }
  return text;
}

} // namespace

llvm::Error fpga::checkEngineLimits(const IntegerNetwork &net, int64_t pe) {
  if (pe < 1 || pe > 64)
    return llvm::createStringError(
        "the folded engine takes 1 to 64 lanes, not " + llvm::Twine(pe));
  if (net.ops.size() <= 256)
    return llvm::Error::success();
  return llvm::createStringError(
      net.name + ": " + llvm::Twine(net.ops.size()) +
      " layers; the folded engine's program holds 256");
}

llvm::Expected<IntegerNetwork>
fpga::loadIntegerNetwork(nas::SpecOp spec, llvm::StringRef weightsPath,
                         uint64_t seed) {
  auto weights = target::loadWeights(spec, weightsPath, seed);
  if (!weights)
    return weights.takeError();
  return buildIntegerNetwork(spec, **weights);
}

std::vector<std::pair<std::string, std::string>>
fpga::getDesignFiles(const IntegerNetwork &net, const FPGAPart &part,
                     const EmitOptions &options) {
  // nasc_ keeps the spec's name clear of Verilog's keywords (`small`).
  std::string name = "nasc_" + net.name;
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  // Two images: the testbench measures latency and the interval.
  std::vector<ProgramEntry> program = getProgram(net, options.pe);
  std::vector<int8_t> input, expected;
  for (uint64_t image = 0; image < 2; ++image) {
    Random random(options.inputSeed + image);
    std::vector<int8_t> levels = net.quantizeInput(
        drawUniformImage(net.tensors[net.input].size(), random));
    std::vector<int8_t> y = runInteger(net, levels);
    input.insert(input.end(), levels.begin(), levels.end());
    expected.insert(expected.end(), y.begin(), y.end());
  }
  return {{"nasc_engine.v", engineSource},
          {"nasc_program.v", emitProgram(net, program)},
          {name + ".v", emitTop(net, name, program, options.pe)},
          {"weights.mem", emitWeights(net, program, options.pe)},
          {"requant.mem", emitRequant(net)},
          {"input.mem", emitLevels(input)},
          {"expected.mem", emitLevels(expected)},
          {"tb.cpp", emitTestbench(net, name)},
          {name + "_hls.cpp", emitHLSSource(net, name)},
          {name + "_hls.h", emitHLSHeader(net, name)},
          {"hls_tb.cpp", emitHLSTestbench(net, name)},
          {"build.sh", emitBuildScript(name, part)},
          {"design.txt", emitReport(net, part, program, options.pe)}};
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
  if (llvm::Error error = checkEngineLimits(*net, options.pe))
    return error;
  if (llvm::Error error =
          target::writeFiles(dir, getDesignFiles(*net, *part, options)))
    return error;
  // build.sh must be executable.
  llvm::SmallString<256> script(dir);
  llvm::sys::path::append(script, "build.sh");
  llvm::sys::fs::setPermissions(script, llvm::sys::fs::all_read |
                                            llvm::sys::fs::all_exe |
                                            llvm::sys::fs::owner_write);
  return llvm::Error::success();
}
