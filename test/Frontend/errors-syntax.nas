// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'
// RUN: nasc %s --split-input-file --verify-diagnostics

// Syntax errors of the .nas language, one bad input per chunk, each checked
// with its exact line, column and message (the first RUN line) and with
// --verify-diagnostics (the second, which also proves that no other
// diagnostic is reported). Apart from the marked mistake every chunk is a
// complete spec: a dataset and exactly one network.

// Missing ';' after a property.
// CHECK: errors-syntax.nas:[[@LINE+2]]:45: error: syntax error: missing ';' at '}'{{$}}
// expected-error @+1 {{syntax error: missing ';' at '}'}}
dataset d { input = [3, 8, 8]; classes = 10 }
network n { fc(out = 10); }
// -----

// Missing ';' after a chain.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:24: error: syntax error: missing ';' at 'fc'{{$}}
// expected-error @+1 {{syntax error: missing ';' at 'fc'}}
network n { relu -> bn fc(out = 10); }
// -----

// A stray character.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:26: error: syntax error: extraneous input '@' expecting ';'{{$}}
// expected-error @+1 {{syntax error: extraneous input '@' expecting ';'}}
network n { fc(out = 10) @ ; }
// -----

// A stray character between declarations.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:1: error: syntax error: extraneous input '$' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}{{$}}
// expected-error @+1 {{syntax error: extraneous input '$' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}}}
$
network n { fc(out = 10); }
// -----

// Unterminated block: the file ends inside the network.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10);
// CHECK: errors-syntax.nas:[[@LINE+2]]:1: error: syntax error: extraneous input end of file expecting {'}', 'choose', 'repeat', 'stage', 'residual', IDENT}{{$}}
// expected-error @+1 {{syntax error: extraneous input end of file expecting {'}', 'choose', 'repeat', 'stage', 'residual', IDENT}}}
// -----

// One '}' too many.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:29: error: syntax error: extraneous input '}' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}{{$}}
// expected-error @+1 {{syntax error: extraneous input '}' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}}}
network n { fc(out = 10); } }
// -----

// A second unit after a quantity.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:30: error: syntax error: extraneous input 'ms' expecting ')'{{$}}
// expected-error @+1 {{syntax error: extraneous input 'ms' expecting ')'}}
network n { conv(out = 16 ms ms); fc(out = 10); }
// -----

// A number needs digits before its point: .5 is not a value.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:27: error: syntax error: extraneous input '.' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}{{$}}
// expected-error @+1 {{syntax error: extraneous input '.' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}}}
network n { conv(kernel = .5); fc(out = 10); }
// -----

// A property without a value.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:27: error: syntax error: mismatched input ';' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}{{$}}
// expected-error @+1 {{syntax error: mismatched input ';' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}}}
target t : gpu { memory = ; }
network n { fc(out = 10); }
// -----

// '->' without an op after it.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:21: error: syntax error: extraneous input ';' expecting IDENT{{$}}
// expected-error @+1 {{syntax error: extraneous input ';' expecting IDENT}}
network n { relu -> ; fc(out = 10); }
// -----

// '->' without an op before it.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:13: error: syntax error: extraneous input '->' expecting {'}', 'choose', 'repeat', 'stage', 'residual', IDENT}{{$}}
// expected-error @+1 {{syntax error: extraneous input '->' expecting {'}', 'choose', 'repeat', 'stage', 'residual', IDENT}}}
network n { -> relu; fc(out = 10); }
// -----

// Two arrows in a row.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:21: error: syntax error: extraneous input '->' expecting IDENT{{$}}
// expected-error @+1 {{syntax error: extraneous input '->' expecting IDENT}}
network n { relu -> -> bn; fc(out = 10); }
// -----

// Missing ':' between a target's name and kind.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:10: error: syntax error: missing ':' at 'gpu'{{$}}
// expected-error @+1 {{syntax error: missing ':' at 'gpu'}}
target t gpu { }
network n { fc(out = 10); }
// -----

// Bad range: three dots.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:28: error: syntax error: extraneous input '.' expecting {'-', INT, FLOAT}{{$}}
// expected-error @+1 {{syntax error: extraneous input '.' expecting {'-', INT, FLOAT}}}
network n { conv(out = 16...64); fc(out = 10); }
// -----

// Bad range: no upper bound.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:28: error: syntax error: mismatched input ')' expecting {'-', INT, FLOAT}{{$}}
// expected-error @+1 {{syntax error: mismatched input ')' expecting {'-', INT, FLOAT}}}
network n { conv(out = 16..); fc(out = 10); }
// -----

// Bad range: 'step' without a range.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:27: error: syntax error: mismatched input 'step' expecting ')'{{$}}
// expected-error @+1 {{syntax error: mismatched input 'step' expecting ')'}}
network n { conv(out = 16 step 2); fc(out = 10); }
// -----

// Bad range: 'step' without a value.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:35: error: syntax error: mismatched input ')' expecting {'-', INT, FLOAT}{{$}}
// expected-error @+1 {{syntax error: mismatched input ')' expecting {'-', INT, FLOAT}}}
network n { conv(out = 16..64 step); fc(out = 10); }
// -----

// Bad range: a name as a bound.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:28: error: syntax error: mismatched input 'max' expecting {'-', INT, FLOAT}{{$}}
// expected-error @+1 {{syntax error: mismatched input 'max' expecting {'-', INT, FLOAT}}}
network n { conv(out = 16..max); fc(out = 10); }
// -----

// An unterminated string.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:21: error: syntax error: extraneous input '"' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}{{$}}
// expected-error @+1 {{syntax error: extraneous input '"' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}}}
search { strategy = "random; }
// -----

// A reserved word as a name.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:9: error: syntax error: mismatched input 'stage' expecting IDENT{{$}}
// expected-error @+1 {{syntax error: mismatched input 'stage' expecting IDENT}}
network stage { fc(out = 10); }
// -----

// 'repeat' takes no label.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:16: error: syntax error: no viable alternative at input 'l:repeat'{{$}}
// expected-error @+1 {{syntax error: no viable alternative at input 'l:repeat'}}
network n { l: repeat 2 { relu; } fc(out = 10); }
// -----

// An objective without a metric.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:22: error: syntax error: missing IDENT at ';'{{$}}
// expected-error @+1 {{syntax error: missing IDENT at ';'}}
objectives { maximize; }
// -----

// An objective without a direction.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:14: error: syntax error: mismatched input 'accuracy' expecting {'}', 'maximize', 'minimize'}{{$}}
// expected-error @+1 {{syntax error: mismatched input 'accuracy' expecting {'}', 'maximize', 'minimize'}}}
objectives { accuracy; }
// -----

// A constraint without a comparison.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:22: error: syntax error: missing {'<', '<=', '>', '>='} at '5'{{$}}
// expected-error @+1 {{syntax error: missing {'<', '<=', '>', '>='} at '5'}}
constraints { params 5 M; }
// -----

// A negative node index in a cell edge.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:26: error: syntax error: extraneous input '-' expecting INT{{$}}
// expected-error @+1 {{syntax error: extraneous input '-' expecting INT}}
cell c(nodes = 2) { edge -1 -> 1 : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// An edge without '->'.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:28: error: syntax error: missing '->' at '1'{{$}}
// expected-error @+1 {{syntax error: missing '->' at '1'}}
cell c(nodes = 2) { edge 0 1 : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// An unclosed list.
// CHECK: errors-syntax.nas:[[@LINE+2]]:29: error: syntax error: extraneous input ';' expecting {',', ']'}{{$}}
// expected-error @+1 {{syntax error: extraneous input ';' expecting {',', ']'}}}
dataset d { input = [3, 8, 8; classes = 10; }
network n { fc(out = 10); }
// -----

// An unclosed argument list.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:28: error: syntax error: missing ')' at ';'{{$}}
// expected-error @+1 {{syntax error: missing ')' at ';'}}
network n { conv(kernel = 3; fc(out = 10); }
// -----

// An op set without alternatives.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:13: error: syntax error: mismatched input '}' expecting IDENT{{$}}
// expected-error @+1 {{syntax error: mismatched input '}' expecting IDENT}}
ops empty { }
network n { fc(out = 10); }
// -----

// An alternative without a label.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:26: error: syntax error: mismatched input ';' expecting ':'{{$}}
// expected-error @+1 {{syntax error: mismatched input ';' expecting ':'}}
network n { choose { relu; }; fc(out = 10); }
// -----

// A declaration keyword that does not exist.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:1: error: syntax error: extraneous input 'settings' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}{{$}}
// expected-error @+1 {{syntax error: extraneous input 'settings' expecting {end of file, 'dataset', 'target', 'search', 'evaluate', 'compress', 'ops', 'cell', 'block', 'op', 'network', 'objectives', 'constraints'}}}
settings { budget = 1; }
// -----

// ANTLR recovers and reports every syntax error of a file, not just the first.
// CHECK: errors-syntax.nas:[[@LINE+2]]:30: error: syntax error: mismatched input ',' expecting ';'{{$}}
// expected-error @+1 {{syntax error: mismatched input ',' expecting ';'}}
dataset d { input = [3, 8, 8], classes = 10; }
// CHECK: errors-syntax.nas:[[@LINE+4]]:21: error: syntax error: extraneous input '->' expecting IDENT{{$}}
// expected-error @+3 {{syntax error: extraneous input '->' expecting IDENT}}
// CHECK: errors-syntax.nas:[[@LINE+2]]:41: error: syntax error: missing ';' at '}'{{$}}
// expected-error @+1 {{syntax error: missing ';' at '}'}}
network n { relu -> -> bn; fc(out = 10) }
// CHECK: errors-syntax.nas:[[@LINE+2]]:33: error: syntax error: mismatched input ';' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}{{$}}
// expected-error @+1 {{syntax error: mismatched input ';' expecting {'{', '(', '[', '-', INT, FLOAT, IDENT, STRING}}}
target t : gpu { peak_compute = ; }
// CHECK: errors-syntax.nas:[[@LINE+2]]:32: error: syntax error: mismatched input '}' expecting {';', 'stage', 'weight'}{{$}}
// expected-error @+1 {{syntax error: mismatched input '}' expecting {';', 'stage', 'weight'}}}
objectives { maximize accuracy }
// -----

// A block comment that is never closed.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-syntax.nas:[[@LINE+2]]:1: error: unterminated comment: '/*' without a closing '*/'{{$}}
// expected-error @+1 {{unterminated comment: '/*' without a closing '*/'}}
/* the rest of the file
