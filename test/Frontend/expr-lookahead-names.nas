// A run of 3,000 names where a value is expected: the look-ahead for an
// expression stops at the second operand in a row. It walked the whole run
// from every token, and ANTLR's LT(i) itself walks i tokens: 4.8 s for
// 3,334 names (found by nasc-fuzz), now milliseconds, with the same error.
// RUN: %system_python -c "print('dataset d { input = [3, 8, 8];\n' + 'classes ' * 3000 + '= 10; }')" > %t.nas
// RUN: not nasc %t.nas 2>&1 | FileCheck %s
// CHECK: .nas:2:9: error: syntax error: missing '=' at 'classes'
