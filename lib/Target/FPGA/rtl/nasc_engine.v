// nasc_engine: the engine of nasc's FPGA templates (docs/fpga.md).
//
// One multiply-accumulate unit runs layers of a candidate one after
// another: all of them (the folded template), or one stage's (an engine
// of the dataflow template's chain, which streams its output into the
// next engine). The layer program (module nasc_program, generated per candidate)
// gives each layer's kind, tensor addresses, shapes and window; the weights
// (int8 levels) and the requantization words are ROMs initialised from
// memory files; the activations (int8 levels, CHW) share one dual-port RAM.
// Semantics: nasc's integer network (include/nasc/Target/Common/IntegerNetwork.h),
// bit for bit.
//
// Pipeline, one term per cycle: S0 counters and addresses, S1 memory reads,
// S2 accumulate, S3 requantization word read, S4 requantize and write.
// PE lanes: a convolution whose output channels per group are a multiple
// of PE (and whose outputs sum at least PE terms) computes PE output
// channels at once, each lane with its own multiplier and accumulator on
// the same input level; the lanes' sums then leave one per cycle through
// S3 and S4 while the next sums accumulate. Other layers use lane 0.
// Weights are WBITS-bit levels (the engine's widest layer): with binary or
// ternary levels (WBITS <= 2) the lanes after lane 0 add or subtract the
// input level instead of multiplying it.
// Elementwise layers run on lane 0 with the layer's two coefficients from
// the program: an addition (two terms, each input times its coefficient),
// hswish (the level times clamp(level + offset, 0, cap)) and
// squeeze-and-excitation's channel scaling (two terms: the channel's gate
// level, then the level times it).
//
// Stream interface: the input's levels arrive on in_* (valid/ready), the
// output's levels leave on out_*, both in CHW order.
//
// With NASC_ACTIVITY defined (the simulation; never synthesis), the engine
// counts bit toggles of its multipliers' operands, its accumulators and its
// requantizer's input, and prints them after each image (docs/fpga.md,
// "Energy").
`default_nettype none

module nasc_engine #(
  parameter integer ACT_DEPTH = 1024,
  parameter integer ACT_AW = 10,
  // Bits of an activation level in memory (the widest tensor's levels).
  parameter integer ABITS = 8,
  parameter integer W_DEPTH = 1024,
  parameter integer W_AW = 10,
  parameter integer RQ_DEPTH = 64,
  parameter integer RQ_AW = 6,
  parameter integer NUM_LAYERS = 1,
  parameter integer PE = 1,
  // Bits of the counters and addresses (signed): enough for the engine's
  // largest shape, address or count (docs/fpga.md), at most 32.
  parameter integer CW = 32,
  // Bits of a weight level: two's complement; 1 is binary (1: +1, 0: -1).
  parameter integer WBITS = 8,
  // Whether the engine's layers include hswish, or a channel scaling: only
  // then does it carry their logic.
  parameter integer HSWISH = 0,
  parameter integer SCALE = 0,
  // Whether every requantization word is three thresholds (a result of at
  // most 4 levels, RequantThresholds in Engine.h): S4 then compares the
  // sum with them instead of multiplying, as FINN folds batch norm and a
  // low-bit activation into thresholds.
  parameter integer THRESHOLDS = 0,
  // Whether lane 0 adds or subtracts like the others (binary or ternary
  // weights, and no layer that scales by a coefficient).
  parameter integer LANE0_ADD = 0,
  // Which engine of a dataflow chain (0 when folded): selects this
  // engine's layers in nasc_program.
  parameter integer STAGE = 0,
  parameter integer IN_BASE = 0,
  parameter integer IN_SIZE = 1,
  parameter integer OUT_BASE = 0,
  parameter integer OUT_SIZE = 1,
  parameter WEIGHTS_FILE = "weights.mem",
  parameter REQUANT_FILE = "requant.mem"
) (
  input  wire       clk,
  input  wire       rst,
  input  wire       in_valid,
  output wire       in_ready,
  input  wire [7:0] in_data,
  output wire       out_valid,
  input  wire       out_ready,
  output wire [7:0] out_data,
  output wire       busy
);
  localparam [2:0] K_CONV = 3'd0, K_MAX = 3'd1, K_AVG = 3'd2, K_ADD = 3'd3,
                   K_COPY = 3'd4, K_HSWISH = 3'd5, K_SCALE = 3'd6;
  localparam [2:0] ST_LOAD = 3'd0, ST_START = 3'd1, ST_RUN = 3'd2,
                   ST_DRAIN = 3'd3, ST_READ = 3'd4, ST_SEND = 3'd5;

  // Memories.
  reg [ABITS-1:0] act_mem [0:ACT_DEPTH-1];
  // One word: a weight per lane, lane 0 in the low WBITS bits.
  reg [WBITS*PE-1:0] w_mem [0:W_DEPTH-1];
  // In logic: as block RAM (one read port now) Yosys would trade about
  // 400 LUT4s for 6 EBRs on the UP5K (docs/fpga.md).
  (* ram_style = "logic" *) reg [127:0] rq_mem [0:RQ_DEPTH-1];
  initial begin
    $readmemh(WEIGHTS_FILE, w_mem);
    $readmemh(REQUANT_FILE, rq_mem);
  end

  // The layer program.
  localparam [7:0] STAGE_ID = STAGE;
  reg [7:0] layer;
  wire [2:0] p_kind;
  wire [31:0] p_in0, p_in1, p_out, p_cinpg, p_blocks, p_outc, p_inh, p_inw,
              p_outh, p_outw, p_kh, p_kw, p_stride, p_padt, p_padl, p_wbase,
              p_rqbase, p_terms, p_plane, p_rowstep, p_groupstep, p_rowstart,
              p_lanes, p_outplane, p_blockskip;
  wire signed [15:0] p_coef0, p_coef1;
  nasc_program prog (
    .stage(STAGE_ID), .layer(layer), .kind(p_kind), .in0(p_in0), .in1(p_in1), .out(p_out),
    .cinpg(p_cinpg), .blocks(p_blocks), .outc(p_outc), .inh(p_inh),
    .inw(p_inw), .outh(p_outh), .outw(p_outw), .kh(p_kh), .kw(p_kw),
    .stride(p_stride), .padt(p_padt), .padl(p_padl), .wbase(p_wbase),
    .rqbase(p_rqbase), .terms(p_terms), .plane(p_plane), .rowstep(p_rowstep),
    .groupstep(p_groupstep), .rowstart(p_rowstart), .lanes(p_lanes),
    .outplane(p_outplane), .blockskip(p_blockskip), .coef0(p_coef0),
    .coef1(p_coef1));

  // The current layer's fields, registered at its start.
  reg [2:0] kind;
  reg [CW-1:0] in0, in1, obase, cinpg, blocks, outc, inh, inw, outh, outw, kh,
             kw, stride, padt, padl, wbase, rqbase, terms, plane, rowstep,
             groupstep, lanes, outplane, blockskip;
  reg signed [CW-1:0] rowstart;
  // An addition's input coefficients; hswish's offset and cap.
  reg signed [15:0] coef0, coef1;

  reg [2:0] state;
  reg [CW-1:0] count;  // LOAD: inputs taken; SEND: outputs sent; DRAIN: cycles

  // S0 counters. Addresses are kept as running offsets (no multiplier):
  // the group's first input plane, the input channel's plane, the window's
  // first row (row0 = oy * stride - padt) and column (col0), ky's row.
  reg [CW-1:0] oc, ocg, oy, ox, ic, ky, kx, t, out_addr, w_oc;
  reg [CW-1:0] group_off, ic_off, ky_off;
  reg signed [CW-1:0] row0, col0, row0_off;
  reg issuing;
  // Layers whose outputs sum two terms of one element (no input channels).
  wire is_hswish = (HSWISH != 0) && (kind == K_HSWISH);
  wire is_scale = (SCALE != 0) && (kind == K_SCALE);
  wire two_terms = (kind == K_ADD) || is_scale;
  wire [CW-1:0] ic_end = two_terms ? 2 : cinpg;
  wire last_kx = (kx == kw - 1);
  wire last_ky = (ky == kh - 1);
  wire last_ic = (ic == ic_end - 1);
  wire last_term = last_kx && last_ky && last_ic;
  wire last_ox = (ox == outw - 1);
  wire last_oy = (oy == outh - 1);
  // oc: lane 0's output channel; ocg: its block of lanes in the group
  // (`blocks` per group).
  wire last_oc = (oc == outc - lanes);

  wire signed [CW-1:0] iy = row0 + $signed(ky);
  wire signed [CW-1:0] ix = col0 + $signed(kx);
  wire in_window = (iy >= 0) && (iy < $signed(inh)) && (ix >= 0) &&
                   (ix < $signed(inw));
  // The scaling's first term reads its channel's gate (in1, one level a
  // channel); an addition's second term reads in1 where the first reads in0.
  wire [CW-1:0] x_addr =
      (is_scale && ic == 0) ? in1 + oc :
      ((kind == K_ADD && ic == 1) ? in1 : in0) + group_off + ic_off +
          row0_off + ky_off + col0 + kx;
  wire [CW-1:0] w_addr = wbase + w_oc + t;

  // The activation RAM's one read port (S1's input, or the output being
  // sent) and one write port (an input level, or S4's result).
  wire sending = (state == ST_READ) || (state == ST_SEND);
  wire [CW-1:0] read_addr = sending ? OUT_BASE + count : x_addr;
  // Levels are ABITS wide in memory, 8 wide elsewhere.
  reg [ABITS-1:0] act_word;
  wire signed [7:0] act_read;
  generate
    if (ABITS < 8) begin : narrow_act_g
      assign act_read = {{(8-ABITS){act_word[ABITS-1]}}, act_word};
    end else begin : wide_act_g
      assign act_read = act_word;
    end
  endgenerate
  wire loading = (state == ST_LOAD) && in_valid;

  // S1: reads.
  reg s1_valid, s1_inside, s1_first, s1_last;
  reg [CW-1:0] s1_oc, s1_out;
  reg [WBITS*PE-1:0] s1_w;
  wire signed [7:0] s1_x = act_read;
  reg s1_second;
  // S2: accumulate. Lane 0's multiplier is 8x16 (an add's coefficient,
  // hswish's clamped level), the others' 8xWBITS, or an add or subtract
  // for WBITS <= 2. `gate` keeps the scaling's gate level from its first
  // term.
  reg signed [7:0] gate;
  wire signed [15:0] hswish_factor;
  generate
    if (HSWISH != 0) begin : hswish_g
      wire signed [16:0] shifted = s1_x + coef0;
      assign hswish_factor =
          (shifted < 0) ? 16'sd0 :
          (shifted > $signed({coef1[15], coef1})) ? coef1 : shifted[15:0];
    end else begin : no_hswish_g
      assign hswish_factor = 16'sd0;
    end
  endgenerate
  wire signed [15:0] w_level [0:PE-1];
  wire signed [31:0] acc_next [0:PE-1];
`ifdef NASC_ACTIVITY
  reg [WBITS*PE-1:0] last_w;
  wire [31:0] acc_flips [0:PE-1];
  wire [31:0] w_flips [0:PE-1];
`endif
  integer k;
  genvar lane;
  generate
    for (lane = 0; lane < PE; lane = lane + 1) begin : lanes_g
      wire [WBITS-1:0] w_bits = s1_w[WBITS*lane +: WBITS];
      if (WBITS == 1) begin : binary_g
        assign w_level[lane] = w_bits[0] ? 16'sd1 : -16'sd1;
      end else begin : levels_g
        assign w_level[lane] = {{(16-WBITS){w_bits[WBITS-1]}}, w_bits};
      end
      wire signed [23:0] product;
      if (lane == 0 && LANE0_ADD != 0) begin : add0_g
        // A convolution's level added or subtracted; a pool's summed.
        wire signed [23:0] x_wide = {{16{s1_x[7]}}, s1_x};
        assign product = (kind != K_CONV) ? x_wide :
                         (w_level[0] == 16'sd0) ? 24'sd0 :
                         w_level[0][15] ? -x_wide : x_wide;
      end else if (lane == 0) begin : multiply0_g
        // The scaling's first term (its gate) adds nothing.
        wire signed [15:0] factor0 =
            (kind == K_CONV)   ? w_level[0] :
            (kind == K_ADD)    ? (s1_second ? coef1 : coef0) :
            is_hswish ? hswish_factor :
            is_scale  ? (s1_first ? 16'sd0 : {{8{gate[7]}}, gate}) : 16'sd1;
        assign product = s1_x * factor0;
      end else if (WBITS <= 2) begin : add_g
        wire signed [23:0] x_wide = {{16{s1_x[7]}}, s1_x};
        assign product = (w_level[lane] == 16'sd0) ? 24'sd0 :
                         w_level[lane][15] ? -x_wide : x_wide;
      end else begin : multiply_g
        assign product = s1_x * w_level[lane];
      end
      wire signed [31:0] term_value =
          s1_inside ? {{8{product[23]}}, product} : 32'sd0;
      reg signed [31:0] acc;
      assign acc_next[lane] = s1_first ? term_value : acc + term_value;
      always @(posedge clk)
        if (s1_valid)
          acc <= acc_next[lane];
`ifdef NASC_ACTIVITY
      assign acc_flips[lane] = $countones(acc ^ acc_next[lane]);
      assign w_flips[lane] = $countones(w_bits ^ last_w[WBITS*lane +: WBITS]);
`endif
    end
  endgenerate
  reg signed [7:0] best;
  reg [CW-1:0] seen;
  wire [CW-1:0] seen_next = (s1_first ? 0 : seen) + (s1_inside ? 1 : 0);
  wire take = s1_inside && (s1_first || !seen_any || s1_x > best);
  reg seen_any;
  wire signed [7:0] best_next = take ? s1_x : best;
  // Write-back: the lanes' sums of the last output, one per cycle into S3.
  reg signed [31:0] wb_acc [0:PE-1];
  reg [CW-1:0] wb_left, wb_index, wb_oc, wb_addr, wb_seen;
  reg signed [7:0] wb_best;
  // S3: requantization word.
  reg s3_valid;
  reg signed [31:0] s3_acc;
  reg signed [7:0] s3_best;
  reg [CW-1:0] s3_out;
  reg [RQ_AW-1:0] s3_rq;
  // S4: requantize.
  reg s4_valid;
  reg signed [31:0] s4_acc;
  reg signed [7:0] s4_best;
  reg [CW-1:0] s4_out;
  reg [127:0] s4_word;
  wire signed [15:0] rq_mul = s4_word[111:96];
  wire signed [63:0] rq_off = s4_word[95:32];
  wire [5:0] rq_shift = s4_word[29:24];
  wire signed [7:0] rq_lo = s4_word[23:16];
  wire signed [7:0] rq_hi = s4_word[15:8];
  // A 32x16 product, then the 64-bit offset and the shift.
  wire signed [47:0] scaled_product = s4_acc * rq_mul;
  wire signed [63:0] scaled =
      ($signed({{16{scaled_product[47]}}, scaled_product}) + rq_off) >>> rq_shift;
  wire signed [7:0] multiplied =
      (scaled < $signed({{56{rq_lo[7]}}, rq_lo})) ? rq_lo :
      (scaled > $signed({{56{rq_hi[7]}}, rq_hi})) ? rq_hi : scaled[7:0];
  // Thresholds: lo plus the thresholds x reaches, x the sum or (bit 0) its
  // negation, all 33-bit signed.
  wire signed [32:0] th_sum = {s4_acc[31], s4_acc};
  wire signed [32:0] th_x = s4_word[0] ? -th_sum : th_sum;
  wire signed [32:0] th0 = s4_word[127:95];
  wire signed [32:0] th1 = s4_word[94:62];
  wire signed [32:0] th2 = s4_word[61:29];
  wire [1:0] th_reached = {1'b0, th_x >= th0} + {1'b0, th_x >= th1} +
                          {1'b0, th_x >= th2};
  wire signed [7:0] compared = rq_lo + {6'd0, th_reached};
  wire signed [7:0] requantized = (THRESHOLDS != 0) ? compared : multiplied;
  wire [7:0] act_write = loading ? in_data : (kind == K_MAX) ? s4_best
                                                            : requantized;

  assign in_ready = (state == ST_LOAD);
  assign out_valid = (state == ST_SEND);
  assign out_data = act_read;
  assign busy = (state != ST_LOAD);

  always @(posedge clk) begin
    if (rst) begin
      state <= ST_LOAD;
      count <= 0;
      layer <= 0;
      issuing <= 0;
      s1_valid <= 0;
      s3_valid <= 0;
      s4_valid <= 0;
      wb_left <= 0;
    end else begin
      act_word <= act_mem[read_addr[ACT_AW-1:0]];
      if (loading || s4_valid)
        act_mem[loading ? IN_BASE + count[ACT_AW-1:0] : s4_out[ACT_AW-1:0]] <=
            act_write[ABITS-1:0];
      // S1
      s1_valid <= issuing;
      if (issuing) begin
        s1_inside <= in_window;
        s1_first <= (t == 0);
        s1_last <= last_term;
        s1_oc <= oc;
        s1_out <= out_addr;
        s1_w <= w_mem[w_addr[W_AW-1:0]];
        s1_second <= (ic == 1);
      end
      // S2 (the lanes' sums are in lanes_g)
      if (s1_valid) begin
        if (is_scale && s1_first)
          gate <= s1_x;
        seen <= seen_next;
        best <= best_next;
        seen_any <= (s1_first ? 1'b0 : seen_any) | s1_inside;
      end
      // Write-back: a new output's sums replace those just sent (the
      // compiler gives lanes only to layers summing at least PE terms).
      s3_valid <= wb_left != 0;
      if (wb_left != 0) begin
        s3_acc <= wb_acc[wb_index];
        s3_best <= wb_best;
        s3_out <= wb_addr;
        s3_rq <= (kind == K_AVG) ? rqbase[RQ_AW-1:0] + wb_seen[RQ_AW-1:0] - 1
               : (two_terms || is_hswish) ? rqbase[RQ_AW-1:0]
               : rqbase[RQ_AW-1:0] + wb_oc[RQ_AW-1:0] + wb_index[RQ_AW-1:0];
        wb_left <= wb_left - 1;
        wb_index <= wb_index + 1;
        wb_addr <= wb_addr + outplane;
      end
      if (s1_valid && s1_last) begin
        for (k = 0; k < PE; k = k + 1)
          wb_acc[k] <= acc_next[k];
        wb_best <= best_next;
        wb_seen <= seen_next;
        wb_oc <= s1_oc;
        wb_addr <= s1_out;
        wb_index <= 0;
        wb_left <= lanes;
      end
      // S3
      s4_valid <= s3_valid;
      s4_acc <= s3_acc;
      s4_best <= s3_best;
      s4_out <= s3_out;
      s4_word <= rq_mem[s3_rq];

      case (state)
        ST_LOAD: if (in_valid) begin
          if (count == IN_SIZE - 1) begin
            count <= 0;
            layer <= 0;
            state <= ST_START;
          end else
            count <= count + 1;
        end
        ST_START: begin
          kind <= p_kind; in0 <= p_in0; in1 <= p_in1; obase <= p_out;
          cinpg <= p_cinpg; blocks <= p_blocks; outc <= p_outc; inh <= p_inh;
          inw <= p_inw; outh <= p_outh; outw <= p_outw; kh <= p_kh; kw <= p_kw;
          stride <= p_stride; padt <= p_padt; padl <= p_padl;
          wbase <= p_wbase; rqbase <= p_rqbase; terms <= p_terms;
          plane <= p_plane; rowstep <= p_rowstep; groupstep <= p_groupstep;
          lanes <= p_lanes; outplane <= p_outplane; blockskip <= p_blockskip;
          coef0 <= p_coef0; coef1 <= p_coef1;
          oc <= 0; ocg <= 0; oy <= 0; ox <= 0; ic <= 0; ky <= 0;
          kx <= 0; t <= 0; out_addr <= p_out; w_oc <= 0;
          group_off <= 0; ic_off <= 0; ky_off <= 0;
          row0 <= -$signed(p_padt); col0 <= -$signed(p_padl);
          rowstart <= $signed(p_rowstart); row0_off <= $signed(p_rowstart);
          issuing <= 1;
          state <= ST_RUN;
        end
        ST_RUN: begin
          // Next term: kx, ky, ic innermost, then ox, oy, oc.
          if (!last_kx) begin
            kx <= kx + 1; t <= t + 1;
          end else if (!last_ky) begin
            kx <= 0; ky <= ky + 1; ky_off <= ky_off + inw; t <= t + 1;
          end else if (!last_ic) begin
            kx <= 0; ky <= 0; ky_off <= 0; ic <= ic + 1; t <= t + 1;
            if (!two_terms)
              ic_off <= ic_off + plane;
          end else begin
            kx <= 0; ky <= 0; ky_off <= 0; ic <= 0; ic_off <= 0; t <= 0;
            // After a block's last pixel, past the other lanes' planes.
            out_addr <= out_addr + 1 + ((last_ox && last_oy) ? blockskip : 32'd0);
            if (!last_ox) begin
              ox <= ox + 1; col0 <= col0 + $signed(stride);
            end else begin
              ox <= 0; col0 <= -$signed(padl);
              if (!last_oy) begin
                oy <= oy + 1; row0 <= row0 + $signed(stride);
                row0_off <= row0_off + $signed(rowstep);
              end else begin
                oy <= 0; row0 <= -$signed(padt);
                row0_off <= rowstart;
                if (!last_oc) begin
                  oc <= oc + lanes;
                  w_oc <= w_oc + terms;
                  if (ocg == blocks - 1) begin
                    ocg <= 0;
                    group_off <= group_off + groupstep;
                  end else
                    ocg <= ocg + 1;
                end else begin
                  issuing <= 0;
                  count <= 0;
                  state <= ST_DRAIN;
                end
              end
            end
          end
        end
        ST_DRAIN: begin
          // The last term passes S1, S2, the PE write-backs, S3 and S4.
          if (count == 5 + PE) begin
            count <= 0;
            if (layer == NUM_LAYERS - 1)
              state <= ST_READ;
            else begin
              layer <= layer + 1;
              state <= ST_START;
            end
          end else
            count <= count + 1;
        end
        // The read of OUT_BASE + count lands in act_read.
        ST_READ: state <= ST_SEND;
        ST_SEND: if (out_ready) begin
          if (count == OUT_SIZE - 1) begin
            count <= 0;
            state <= ST_LOAD;
          end else begin
            count <= count + 1;
            state <= ST_READ;
          end
        end
        default: state <= ST_LOAD;
      endcase
    end
  end

`ifdef NASC_ACTIVITY
  // Toggles of a multiplying lane's operands (the input level, shared, and
  // its weight), of the conv lanes' accumulators, and of the requantizer's
  // 32-bit input: cumulative, printed as each image's last output leaves.
  reg [63:0] mul_toggles, acc_toggles, rq_toggles, images_done;
  reg [63:0] step_mul, step_acc;
  reg signed [7:0] last_x;
  reg signed [31:0] last_rq;
  integer a;
  always @(posedge clk) begin
    if (rst) begin
      mul_toggles <= 0; acc_toggles <= 0; rq_toggles <= 0; images_done <= 0;
      last_x <= 0; last_w <= 0; last_rq <= 0;
    end else begin
      if (s1_valid && kind == K_CONV) begin
        step_mul = 0;
        step_acc = 0;
        for (a = 0; a < PE; a = a + 1)
          if (a < lanes) begin
            step_acc = step_acc + acc_flips[a];
            if (a == 0 || WBITS > 2)
              step_mul = step_mul + w_flips[a] + $countones(s1_x ^ last_x);
          end
        mul_toggles <= mul_toggles + step_mul;
        acc_toggles <= acc_toggles + step_acc;
        last_x <= s1_x;
        last_w <= s1_w;
      end
      if (s4_valid && (kind == K_CONV || kind == K_AVG || two_terms ||
                       is_hswish)) begin
        rq_toggles <= rq_toggles + $countones(s4_acc ^ last_rq);
        last_rq <= s4_acc;
      end
      if (state == ST_SEND && out_ready && count == OUT_SIZE - 1) begin
        images_done <= images_done + 1;
        $display("activity: engine %0d images %0d multiplier %0d accumulator %0d requantizer %0d",
                 STAGE, images_done + 1, mul_toggles, acc_toggles, rq_toggles);
      end
    end
  end
`endif
endmodule

`default_nettype wire
