// --emit=gpu writes PTX, the host code as a launch plan, the runtime, an
// example and build.sh; the gpu target's tunables choose the GPU and the
// block size. Without a driver the code says so and fails cleanly.
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/tiny.nas --emit=gpu -o %t/out
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/out/tiny.h
// HEADER: #define TINY_INPUT_SIZE 72
// HEADER: #define TINY_OUTPUT_SIZE 3
// HEADER: #define TINY_GPU_ARCH "sm_90"
// HEADER: int tiny_init(void);
// HEADER: int tiny_run(const float *input, float *output, int batch);
// HEADER: int tiny_run_device(unsigned long long input, unsigned long long output,
//
// One kernel a linalg op, each with its memrefs' descriptors; no libdevice.
// RUN: FileCheck %s --check-prefix=PTX --input-file=%t/out/tiny.ptx
// PTX: .target sm_90
// PTX: .address_size 64
// PTX: .visible .entry tiny_k0(
// PTX-NOT: __nv_
// PTX-NOT: call
//
// The plan: threads and offsets scale with the batch. One kernel
// transposes the input to NHWC right into its padded buffer; the conv's
// kernel also computes its output's first values (the bias) and applies the
// ReLU in registers (docs/gpu.md, "Fusion").
// RUN: FileCheck %s --check-prefix=HOST --input-file=%t/out/tiny.c
// HOST: static const char *const kernels[] = {"tiny_k0", "tiny_k1",
// HOST: /* 0: linalg.map Bx8x8x2 */
// HOST: /* 1: linalg.transpose + linalg.copy Bx2x6x6 Bx6x6x2 Bx6x6x2 */
// HOST-NEXT: static const nasc_plan_arg args1[] = {
// HOST-NEXT: {NASC_BASE_INPUT, 0, 0}, {NASC_BASE_INPUT, 0, 0}, {NASC_BASE_NONE, 0, 0},
// HOST-NEXT: {NASC_BASE_NONE, 1, 0}, {NASC_BASE_NONE, 0, 2}
// HOST: /* 2: linalg.generic + linalg.conv_2d_nhwc_hwcf + linalg.generic Bx6x6x8 Bx8x8x2 3x3x2x8 */
// HOST: {NASC_BASE_WEIGHTS, 0, 0}
// HOST: static const nasc_plan_launch launches[] = {
// HOST-NEXT: {0, 11, args0, 128, 0},
// HOST-NEXT: {1, 33, args1, 72, 0},
// HOST: int tiny_init(void) {
//
// RUN: FileCheck %s --check-prefix=FILES --input-file=%t/out/build.sh
// FILES: main.c tiny.c nasc_network.c nasc_cuda.c tiny_data.o -ldl -o tiny
// RUN: cc -O1 -I%t/out -o %t/tiny %t/out/main.c %t/out/tiny.c %t/out/nasc_network.c %t/out/nasc_cuda.c %t/out/tiny_data.o -ldl
// RUN: env NASC_CUDA_LIBRARY=%t/no-such-driver.so not %t/tiny 2> %t/err
// RUN: FileCheck %s --check-prefix=NODRIVER --input-file=%t/err
// NODRIVER: tiny: no CUDA driver: cannot load {{.*}}no-such-driver.so
// NODRIVER-SAME: running GPU code needs an NVIDIA GPU and its driver
//
// The tunables of a gpu target.
// RUN: nasc %t/tuned.nas --candidate "g.arch=sm_80 g.block_size=128" --emit=gpu -o %t/tuned
// RUN: FileCheck %s --check-prefix=TUNED --input-file=%t/tuned/tuned.ptx
// TUNED: .target sm_80
// RUN: FileCheck %s --check-prefix=TUNEDHOST --input-file=%t/tuned/tuned.c
// TUNEDHOST: launches, (int)(sizeof launches / sizeof *launches), 128,
// RUN: nasc %t/tuned.nas --candidate "g.arch=sm_80 g.block_size=64" --emit=gpu --gpu-arch=sm_86 -o %t/tuned86
// RUN: FileCheck %s --check-prefix=TUNED86 --input-file=%t/tuned86/tuned.ptx
// TUNED86: .target sm_86
// `fusion = off`: a kernel per linalg op (the fill, the convolution, the
// bias, the ReLU, ...), against fewer kernels fused.
// RUN: nasc %t/fusion.nas --candidate "g.fusion=on" --emit=gpu -o %t/fused
// RUN: nasc %t/fusion.nas --candidate "g.fusion=off" --emit=gpu -o %t/unfused
// RUN: grep -c "^.visible .entry" %t/fused/fusion.ptx | FileCheck %s --check-prefix=FUSED
// FUSED: {{^}}6{{$}}
// RUN: grep -c "^.visible .entry" %t/unfused/fusion.ptx | FileCheck %s --check-prefix=UNFUSED
// UNFUSED: {{^}}11{{$}}
//
// Errors: an unknown GPU, no -o, a tunable the backend does not know; no
// directory is left behind.
// RUN: not nasc %t/tiny.nas --emit=gpu --gpu-arch=sm_20 -o %t/bad 2>&1 | FileCheck %s --check-prefix=ARCH
// ARCH: nasc: error: unknown GPU 'sm_20' (sm_75, sm_80, sm_86, sm_89, sm_90)
// RUN: not ls %t/bad
// RUN: not nasc %t/tiny.nas --emit=gpu 2>&1 | FileCheck %s --check-prefix=NOOUT
// NOOUT: nasc: error: --emit=gpu needs -o DIR
// RUN: not nasc %t/unknown.nas --emit=summary 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: unknown.nas:1:26: error: unknown tunable 'warps' for a gpu target; expected one of arch, block_size, thread_tile, precision, fusion
//
// The tunables `thread_tile` and `precision` (docs/gpu.md, "Thread tiles"
// and "Precision"). With tiles of 4 the conv's kernel takes a quarter of
// the threads: its 6x6x8 outputs tile along the channels, which 4
// divides; the fc's 3 outputs take one thread. With fp16 the weights and
// the workspace hold halves (each buffer 256-byte aligned): the kernels
// load b16 and widen it, and round what they store.
// RUN: nasc %t/half.nas --candidate "g.precision=fp32 g.thread_tile=1" --emit=gpu -o %t/h32
// RUN: nasc %t/half.nas --candidate "g.precision=fp16 g.thread_tile=4" --emit=gpu -o %t/h16
// RUN: FileCheck %s --check-prefix=H32 --input-file=%t/h32/half.c
// H32: weights (1120 bytes) and a workspace of 2304 bytes a sample
// H32: /* 2: linalg.fill + linalg.conv_2d_nhwc_hwcf Bx6x6x8 Bx8x8x2 3x3x2x8 */
// H32: /* 5: linalg.generic + linalg.matmul + linalg.copy 3 Bx3 Bx8 8x3 Bx3 */
// H32: {2, 33, args2, 288, 0},
// H32: {5, 33, args5, 3, 0},
// RUN: FileCheck %s --check-prefix=H16 --input-file=%t/h16/half.c
// H16: weights (816 bytes) and a workspace of 1536 bytes a sample
// H16: /* 2: linalg.fill + linalg.conv_2d_nhwc_hwcf Bx6x6x8 Bx8x8x2 3x3x2x8, 4 outputs a thread */
// H16: /* 5: linalg.generic + linalg.matmul + linalg.copy 3 Bx3 Bx8 8x3 Bx3, 3 outputs a thread */
// H16: {2, 33, args2, 72, 0},
// H16: {5, 33, args5, 1, 0},
// RUN: FileCheck %s --check-prefix=H16PTX --input-file=%t/h16/half.ptx
// H16PTX: ld.global.b16
// H16PTX: cvt.f32.f16
// H16PTX: cvt.rn.f16.f32
// H16PTX: st.global.b16
// RUN: FileCheck %s --check-prefix=H32PTX --input-file=%t/h32/half.ptx
// H32PTX-NOT: b16
// The flags stand for the tunables: the same files as the fp16, 4-output
// candidate.
// RUN: nasc %t/half.nas --candidate "g.precision=fp32 g.thread_tile=1" --emit=gpu --gpu-precision=fp16 --gpu-thread-tile=4 -o %t/hflags
// RUN: diff %t/h16/half.c %t/hflags/half.c
// RUN: diff %t/h16/half.ptx %t/hflags/half.ptx
// RUN: not nasc %t/tiny.nas --emit=gpu --gpu-thread-tile=17 -o %t/bad 2>&1 | FileCheck %s --check-prefix=BADFLAG
// BADFLAG: nasc: error: --gpu-thread-tile must be 1 to 16, not 17
// RUN: not nasc %t/tiny.nas --emit=gpu --gpu-precision=tf32 -o %t/bad 2>&1 | FileCheck %s --check-prefix=BADPRECISION
// BADPRECISION: nasc: error: --gpu-precision must be fp32 or fp16, not 'tf32'
// RUN: not nasc %t/tiny.nas --emit=cpu --gpu-precision=fp16 -o %t/bad 2>&1 | FileCheck %s --check-prefix=NOTGPU
// NOTGPU: nasc: error: --gpu-precision applies to --emit=gpu, not --emit=cpu
// RUN: not ls %t/bad
// RUN: not nasc %t/badtile.nas --emit=summary 2>&1 | FileCheck %s --check-prefix=BADTILE
// BADTILE: badtile.nas:2:40: error: tunable 'thread_tile': alternative 32 must be an integer in 1..16
// BADTILE: badtile.nas:2:69: error: tunable 'precision': alternative tf32 must be one of fp32, fp16
//
// nasc measure --target gpu without a driver: the runtime's message.
// RUN: env NASC_CUDA_LIBRARY=%t/no-such-driver.so not nasc measure %t/tiny.nas --target gpu --sample 1 2>&1 | FileCheck %s --check-prefix=MEASURE
// MEASURE: nasc measure: error: gpu: no CUDA driver: cannot load {{.*}}no-such-driver.so

//--- tiny.nas
dataset d { input = [2, 6, 6]; classes = 3; }
network tiny on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  sep_conv(out = 8, kernel = 3, stride = 2) -> hswish;
  global_avg_pool;
  fc(out = classes);
}

//--- tuned.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target g : gpu { tunable arch = {"sm_80"}; tunable block_size = {64, 128}; }
network tuned on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- fusion.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target g : gpu { tunable fusion = {"on", "off"}; }
network fusion on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- unknown.nas
target g : gpu { tunable warps = {1, 2}; }
dataset d { input = [2, 6, 6]; classes = 3; }
network n on d { fc(out = classes); }

//--- half.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target g : gpu { tunable precision = {"fp32", "fp16"}; tunable thread_tile = {1, 4}; }
network half on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- badtile.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target g : gpu { tunable thread_tile = {2, 32}; tunable precision = {"tf32"}; }
network n on d { fc(out = classes); }
