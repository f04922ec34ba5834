// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'

// Mistakes with user-defined ops, each at its source location.

dataset d { input = [16, 8, 8]; classes = 10; }
op ir(k, e = 1) { conv(out = in * e, kernel = k); }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:13: error: op 'ir' needs argument 'k'
network n { ir(e = 2); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
op ir(k, e = 1) { conv(out = in * e, kernel = k); }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:23: error: op 'ir' has no parameter 'kernel'; expected out or one of k, e
network n { ir(k = 3, kernel = 3); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
op a() { b(); }
op b() { a(); }
// CHECK: user-ops-errors.nas:[[@LINE-1]]:10: error: op 'a' calls itself
network n { a(); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:24: error: 'in' (the input channels) is only defined inside an 'op' definition
network n { conv(out = in * 2); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:24: error: 'out' must be an integer, got 7/2
network n { conv(out = 7 / 2); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:28: error: unknown name 'width' in an expression; op 'ir' has no such parameter
op ir(k) { conv(out = in * width, kernel = k); }
network n { ir(k = 3); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:22: error: unknown function 'round' of 1 argument(s)
op ir() { conv(out = round(in / 3)); }
network n { ir(); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:28: error: 'kernel' must be an integer, but the parameter here holds the name 'relu'
op ir(act) { conv(kernel = act) -> act; }
network n { ir(act = relu); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:32: error: 'k' is a parameter of op 'ir' holding the number 3, not an operation
op ir(k) { conv(kernel = k) -> k; }
network n { ir(k = 3); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
// CHECK: user-ops-errors.nas:[[@LINE+1]]:11: error: the default of parameter 'k' cannot be a choice; pass the choice at the call
op ir(k = {3, 5}) { conv(kernel = k); }
network n { ir(); fc(out = 10); }
// -----
dataset d { input = [16, 8, 8]; classes = 10; }
op ir() { repeat in { relu; } }
// CHECK: user-ops-errors.nas:[[@LINE-1]]:18: error: a repeat count must be known without the input channels; it reads 'in'
network n { ir(); fc(out = 10); }
