// The nasc driver's command line: output files, input languages, error
// limits and exit codes. The inputs are the sections of this file.
//
// RUN: rm -rf %t && split-file %s %t
//
// -o writes the output to a file: the MLIR, or the summary.
// RUN: nasc %t/good.nas --emit=mlir -o %t/good.mlir
// RUN: FileCheck %s --check-prefix=MLIR --input-file=%t/good.mlir
// RUN: nasc %t/good.nas -o %t/good.txt
// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t/good.txt
// RUN: nasc %t/good.nas --emit=summary | FileCheck %s --check-prefix=SUMMARY
//
// `nasc search --help` names every strategy and what a search writes.
// RUN: nasc search --help | FileCheck %s --check-prefix=SEARCH-HELP
// SEARCH-HELP: LibTorch training
// SEARCH-HELP: best.pt, best.onnx and weights/
// SEARCH-HELP: --strategy=<S>{{.*}}reinforce, gradient
//
// On an error nasc exits with 1 and -o leaves no file behind.
// RUN: rm -f %t/bad.mlir
// RUN: not nasc %t/bad.nas --emit=mlir -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not test -e %t/bad.mlir
// RUN: not nasc %t/syntax.nas -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not test -e %t/bad.mlir
//
// With --split-input-file, one bad chunk fails the run; the good chunks are
// still compiled and diagnostics of each chunk point into the whole file.
// RUN: not nasc %t/split.nas --split-input-file --emit=mlir -o %t/split.mlir 2>&1 | FileCheck %s --check-prefix=SPLIT-ERR
// RUN: not test -e %t/split.mlir
// RUN: not nasc %t/split.nas --split-input-file --emit=mlir 2>/dev/null | FileCheck %s --check-prefix=SPLIT-OUT
//
// MLIR input: by extension, or by -x=mlir whatever the extension; -x=nas
// forces the .nas front end.
// RUN: nasc %t/good.mlir | FileCheck %s --check-prefix=SUMMARY
// RUN: nasc -x=mlir %t/spec-in-mlir.txt | FileCheck %s --check-prefix=FROM-MLIR
// RUN: nasc -x=mlir %t/spec-in-mlir.txt --emit=mlir | FileCheck %s --check-prefix=FROM-MLIR-IR
// RUN: not nasc -x=nas %t/good.mlir 2>&1 | FileCheck %s --check-prefix=AS-NAS
// RUN: not nasc %t/empty.mlir 2>&1 | FileCheck %s --check-prefix=NO-SPEC
// RUN: not nasc %t/invalid.mlir 2>&1 | FileCheck %s --check-prefix=INVALID-MLIR
//
// Standard input is .nas; the spec is then named "spec".
// RUN: nasc --emit=mlir < %t/good.nas | FileCheck %s --check-prefix=STDIN
// RUN: nasc - --emit=mlir < %t/good.nas | FileCheck %s --check-prefix=STDIN
//
// --help lists the driver's options.
// RUN: nasc --help | FileCheck %s --check-prefix=HELP
//
// --max-errors: the default limit is 20; --max-errors=N stops earlier and
// says so; 0 means no limit.
// RUN: not nasc %t/three.nas --max-errors=2 2>&1 | FileCheck %s --check-prefix=MAX2 --implicit-check-not=frob3
// RUN: not nasc %t/three.nas 2>&1 | FileCheck %s --check-prefix=ALL3
// RUN: not nasc %t/many.nas 2>&1 | FileCheck %s --check-prefix=MAX20 --implicit-check-not=bad21
// RUN: not nasc %t/many.nas --max-errors=0 2>&1 | FileCheck %s --check-prefix=NOLIMIT
//
// --verify-diagnostics: exit 0 when the expected diagnostics are produced,
// 1 when they are not.
// RUN: nasc %t/expected.nas --verify-diagnostics
// RUN: not nasc %t/unexpected.nas --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=VERIFY
//
// Bad command lines and files.
// RUN: not nasc %t/missing.nas 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not nasc %t/good.nas -o %t/no/such/dir/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-DIR
// RUN: not nasc %t/good.nas --emit=cpp 2>&1 | FileCheck %s --check-prefix=BAD-EMIT
// RUN: not nasc %t/good.nas --format=xml 2>&1 | FileCheck %s --check-prefix=BAD-FORMAT
// RUN: not nasc %t/good.nas -x=python 2>&1 | FileCheck %s --check-prefix=BAD-X

// MLIR:      module {
// MLIR-NEXT:   nas.spec @good {
// MLIR-NEXT:     nas.dataset @d input [3, 8, 8] classes 10
// MLIR-NEXT:     nas.network @n on @d {
// MLIR-NEXT:       nas.choose "act" {

// SUMMARY:      spec good
// SUMMARY-NEXT: dataset d: input 3x8x8, 10 classes
// SUMMARY-NEXT: network n on d
// SUMMARY-NEXT:   act: choose one of 2: r | t

// BAD: bad.nas:2:13: error: unknown operation 'frob': not a built-in op, cell or block
// SYNTAX: syntax.nas:1:45: error: syntax error: missing ';' at '}'

// SPLIT-ERR: split.nas:6:13: error: unknown operation 'frob': not a built-in op, cell or block
// SPLIT-OUT:      nas.spec @split {
// SPLIT-OUT:        nas.fc {out = 10 : i64}
// SPLIT-OUT:      // -----
// SPLIT-OUT-NEXT: // -----
// SPLIT-OUT-NEXT: module {
// SPLIT-OUT-NEXT:   nas.spec @split {
// SPLIT-OUT:        nas.fc {out = 2 : i64}

// FROM-MLIR:      spec from_mlir
// FROM-MLIR-NEXT: dataset d: input 4, 2 classes
// FROM-MLIR-IR:   nas.spec @from_mlir {
// AS-NAS:         good.mlir:1:1: error: syntax error: mismatched input 'module'
// NO-SPEC:        empty.mlir:1:1: error: expected exactly one 'nas.spec' in the input module
// INVALID-MLIR:   invalid.mlir:4:5: error: 'nas.fc' op produces 3 outputs but dataset @d has 2 classes

// STDIN: nas.spec @spec {

// HELP-DAG: --emit=<value>
// HELP-DAG: =summary
// HELP-DAG: =mlir
// HELP-DAG: -o <filename>
// HELP-DAG: -x=<value>
// HELP-DAG: =nas
// HELP-DAG: --max-errors=<uint>
// HELP-DAG: --split-input-file
// HELP-DAG: --verify-diagnostics

// The limit cuts the third error off.
// MAX2:     three.nas:3:3: error: unknown operation 'frob1'
// MAX2:     three.nas:1:1: error: too many errors (2), stopping
// ALL3:     three.nas:3:3: error: unknown operation 'frob1'
// ALL3:     three.nas:4:3: error: unknown operation 'frob2'
// ALL3:     three.nas:5:3: error: unknown operation 'frob3'
// ALL3-NOT: too many errors
// MAX20:     many.nas:3:3: error: unknown operation 'bad1'
// MAX20:     many.nas:1:1: error: too many errors (20), stopping
// NOLIMIT:     many.nas:7:31: error: unknown operation 'bad25'
// NOLIMIT-NOT: too many errors

// VERIFY: unexpected.nas:2:13: error: unexpected error: unknown operation 'frob'
// VERIFY: error: expected error "unknown operation 'relu6'" was not produced

// MISSING:   nasc: error: cannot open input file '{{.*}}missing.nas': No such file or directory
// NO-DIR:    nasc: error: cannot open output file '{{.*}}out.mlir':
// BAD-EMIT:  for the --emit option: unknown value 'cpp'; expected one of summary, mlir, stats, candidates, layers, kernels, linalg, llvm, cpu, fpga, gpu, onnx{{$}}
// BAD-FORMAT: for the --format option: unknown value 'xml'; expected one of text, csv, json{{$}}
// BAD-X:     for the -x option: unknown value 'python'; expected one of nas, mlir{{$}}

//--- good.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n { act: choose { r: relu; t: tanh; }; fc(out = classes); }
//--- bad.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n { frob; fc(out = classes); }
//--- syntax.nas
dataset d { input = [3, 8, 8]; classes = 10 }
network n { fc(out = classes); }
//--- split.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = classes); }
// -----
// A chunk's errors keep the line numbers of the whole file.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { frob; fc(out = classes); }
// -----
dataset d { input = [4]; classes = 2; }
network n { fc(out = classes); }
//--- spec-in-mlir.txt
nas.spec @from_mlir {
  nas.dataset @d input [4] classes 2
  nas.network @n on @d {
    nas.fc {out = 2}
  }
}
//--- empty.mlir
module {
}
//--- invalid.mlir
nas.spec @s {
  nas.dataset @d input [4] classes 2
  nas.network @n on @d {
    nas.fc {out = 3}
  }
}
//--- three.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  frob1;
  frob2;
  frob3;
  fc(out = classes);
}
//--- many.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  bad1; bad2; bad3; bad4; bad5;
  bad6; bad7; bad8; bad9; bad10;
  bad11; bad12; bad13; bad14; bad15;
  bad16; bad17; bad18; bad19; bad20;
  bad21; bad22; bad23; bad24; bad25;
  fc(out = classes);
}
//--- expected.nas
dataset d { input = [3, 8, 8]; classes = 10; }
// expected-error @+1 {{unknown operation 'frob'}}
network n { frob; fc(out = classes); }
//--- unexpected.nas
dataset d { input = [3, 8, 8]; classes = 10; }
network n { frob; fc(out = classes); }
// expected-error @+1 {{unknown operation 'relu6'}}
constraints { params < 1 M; }
