// --emit=onnx writes the candidate's network as an ONNX model (opset 14,
// checked by ONNX's checker), with --weights or the seeded weights
// --emit=cpu uses: the same network in both. Run by a numpy reference of
// the ONNX operators (Inputs/run_onnx.py, independent of LibTorch and of
// nasc's code) on main.c's input, its logits equal those of the emitted C
// code within 1e-4 of the largest, on a network with every operator the
// exporter writes but Mul and HardSigmoid (Concat in the cell space below).
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/every.nas --emit=onnx -o %t/every.onnx
// RUN: %system_python %S/Inputs/run_onnx.py %t/every.onnx > %t/onnx.txt
// RUN: nasc %t/every.nas --emit=cpu -o %t/cpu
// RUN: cc %t/cpu/main.c %t/cpu/every.o -lm -o %t/cpu/run
// RUN: %t/cpu/run 1 > %t/cpu.txt
// RUN: %system_python %S/Inputs/compare_logits.py %t/onnx.txt %t/cpu.txt | FileCheck %s
// CHECK: 5 logits, largest relative difference
//
// Another seed, other weights: the outputs differ.
// RUN: nasc %t/every.nas --emit=onnx --seed 7 -o %t/seed7.onnx
// RUN: %system_python %S/Inputs/run_onnx.py %t/seed7.onnx > %t/seed7.txt
// RUN: not %system_python %S/Inputs/compare_logits.py %t/seed7.txt %t/cpu.txt
//
// A cell space's candidate (concat of the cell's nodes).
// RUN: nasc %t/cell.nas --emit=onnx --candidate "|conv~0|+|pool~0|skip~1|" -o %t/cell.onnx
// RUN: %system_python %S/Inputs/run_onnx.py %t/cell.onnx > %t/cell-onnx.txt
// RUN: nasc %t/cell.nas --emit=cpu --candidate "|conv~0|+|pool~0|skip~1|" -o %t/cellcpu
// RUN: cc %t/cellcpu/main.c %t/cellcpu/cell.o -lm -o %t/cellcpu/run
// RUN: %t/cellcpu/run 1 > %t/cell-cpu.txt
// RUN: %system_python %S/Inputs/compare_logits.py %t/cell-onnx.txt %t/cell-cpu.txt
//
// A quantized candidate: 4-bit weights, 4- and 8-bit activations. Its
// activations are quantized in the graph (Round, Clip) from the tensor's
// largest magnitude, so the model equals the C code's integer arithmetic
// and its float fake quantization (--fake-quant).
// RUN: nasc %t/quant.nas --emit=onnx -o %t/quant.onnx
// RUN: %system_python -c "import onnx, sys; print(sorted({n.op_type for n in onnx.load(sys.argv[1]).graph.node}))" %t/quant.onnx | FileCheck %s --check-prefix=QUANT-OPS
// QUANT-OPS: 'Clip', {{.*}}'ReduceMax', {{.*}}'Round'
// RUN: %system_python %S/Inputs/run_onnx.py %t/quant.onnx > %t/quant-onnx.txt
// RUN: nasc %t/quant.nas --emit=cpu -o %t/quantcpu
// RUN: cc %t/quantcpu/main.c %t/quantcpu/quant.o -lm -o %t/quantcpu/run
// RUN: %t/quantcpu/run 1 > %t/quant-cpu.txt
// RUN: %system_python %S/Inputs/compare_logits.py %t/quant-onnx.txt %t/quant-cpu.txt
// RUN: nasc %t/quant.nas --emit=cpu --fake-quant -o %t/quantfake
// RUN: cc %t/quantfake/main.c %t/quantfake/quant.o -lm -o %t/quantfake/run
// RUN: %t/quantfake/run 1 > %t/quant-fake.txt
// RUN: %system_python %S/Inputs/compare_logits.py %t/quant-onnx.txt %t/quant-fake.txt
//
// Errors: no -o, a missing checkpoint; nothing is written.
// RUN: not nasc %t/every.nas --emit=onnx 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: nasc: error: --emit=onnx needs -o FILE
// RUN: not nasc %t/every.nas --emit=onnx --weights %t/none.pt -o %t/bad.onnx 2>&1 | FileCheck %s --check-prefix=NO-WEIGHTS
// NO-WEIGHTS: none.pt: no such file
// RUN: not ls %t/bad.onnx

// A network without a classifier: the graph declares its output's own
// shape, [N, C, H, W], which ONNX's strict shape inference agrees with
// (it declared [N, classes]).
// RUN: nasc %t/spatial.nas --emit=onnx -o %t/spatial.onnx
// RUN: %system_python -c "import onnx, sys; m = onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]), check_type=True, strict_mode=True); print([d.dim_value or d.dim_param for d in m.graph.output[0].type.tensor_type.shape.dim])" %t/spatial.onnx | FileCheck %s --check-prefix=SPATIAL
// SPATIAL: ['N', 8, 6, 6]

// Pooling padded unevenly (an even kernel): LibTorch averages over the zeros
// it pads with, so the export counts the padding (count_include_pad 1).
// RUN: nasc %t/uneven.nas --emit=onnx -o %t/uneven.onnx
// RUN: %system_python %S/Inputs/run_onnx.py %t/uneven.onnx > %t/uneven-onnx.txt
// RUN: nasc %t/uneven.nas --emit=cpu -o %t/uneven
// RUN: cc %t/uneven/main.c %t/uneven/uneven.o -lm -o %t/uneven/run
// RUN: %t/uneven/run 1 > %t/uneven-cpu.txt
// RUN: %system_python %S/Inputs/compare_logits.py %t/uneven-onnx.txt %t/uneven-cpu.txt | FileCheck %s --check-prefix=UNEVEN
// UNEVEN: 7 logits, largest relative difference

//--- uneven.nas
dataset d { input = [3, 15, 15]; classes = 7; }
network uneven on d {
  conv(out = 8) -> avg_pool(kernel = 2, stride = 1) -> avg_pool(kernel = 2, stride = 2);
  max_pool(kernel = 2, stride = 2);
  global_avg_pool -> fc(out = classes);
}

//--- every.nas
dataset d { input = [3, 16, 16]; classes = 5; }
network every on d {
  conv(out = 8, kernel = 3, stride = 2) -> bn -> relu6;
  dwconv(kernel = 3) -> bn -> hswish;
  residual { conv(kernel = 1) -> bn -> relu; }
  mbconv(kernel = 3, expand = 3, out = 12);
  max_pool(kernel = 2, stride = 2);
  avg_pool(kernel = 3, stride = 1);
  sep_conv(kernel = 3, out = 16) -> sigmoid;
  global_avg_pool -> fc(out = 32) -> tanh -> fc(out = classes);
}
//--- quant.nas
dataset d { input = [3, 16, 16]; classes = 5; }
network quant on d {
  conv(out = 8, kernel = 3, wbits = 4, abits = 8) -> bn -> relu;
  dwconv(kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 16, kernel = 1, wbits = 4, abits = 4) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
//--- cell.nas
dataset d { input = [3, 8, 8]; classes = 3; }
ops edge_ops { conv: conv(kernel = 3) -> bn -> relu; pool: avg_pool(kernel = 3); skip: identity; }
cell c(nodes = 3, output = concat) { edges all : edge_ops; }
network cells on d {
  conv(out = 4, kernel = 3) -> relu;
  c;
  global_avg_pool -> fc(out = classes);
}

//--- spatial.nas
dataset d { input = [3, 12, 12]; classes = 8; }
network spatial on d {
  conv(out = 8, kernel = 3, stride = 2) -> relu;
}
