// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'

// CHECK: resolution-errors.nas:[[@LINE+1]]:1: error: 'nas.dataset' op a searched resolution needs an image input [channels, height, width]
dataset d { input = [64]; classes = 10; resolution = {16, 24}; }
network n { fc(out = 10); }
// -----
// CHECK: resolution-errors.nas:[[@LINE+1]]:59: error: 'resolution' must be an integer, a choice {a, b} or a range lo..hi, got a string
dataset d { input = [3, 8, 8]; classes = 10; resolution = "big"; }
network n { fc(out = 10); }
// -----
// CHECK: resolution-errors.nas:[[@LINE+1]]:1: error: 'nas.dataset' op 'resolution' must be at least 1, got 0
dataset d { input = [3, 8, 8]; classes = 10; resolution = {0, 8}; }
network n { fc(out = 10); }
// -----
// The fold runs once per resolution: their number is bounded.
// CHECK: resolution-errors.nas:[[@LINE+1]]:1: error: 'resolution' ranges over 5000 values; at most 1024
dataset d { input = [3, 8, 8]; classes = 10; resolution = 1..5000; }
network n { fc(out = 10); }
