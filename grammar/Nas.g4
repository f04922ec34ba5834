// The .nas language: search spaces, hardware targets, objectives and search
// settings for hardware-aware neural architecture search.
//
// The grammar is deliberately small and regular: declarations hold either
// `key = value;` properties (checked by the front end against the keys each
// declaration knows) or layer statements. docs/language.md is the reference.
grammar Nas;

@parser::members {
  /// Whether the value at the current token is arithmetic: it holds an
  /// operator or a parenthesis before it ends. A lone number or name is a
  /// quantity or a word, whose syntax errors stay as precise as before.
  bool isExpressionAhead() {
    bool afterOperand = false;
    for (size_t i = 1;; ++i) {
      antlr4::Token *token = _input->LT(i);
      if (token->getType() == antlr4::Token::EOF)
        return false;
      std::string text = token->getText();
      if (text == "(" || text == "*" || text == "/" || text == "+" ||
          (text == "-" && i > 1))
        return true;
      // Any other token but a number, a name or a leading `-` cannot be in
      // an expression and ends the look-ahead, and so does a second operand
      // in a row: the look-ahead stays a few tokens long. (Scanning to `,`
      // `)` `;` or a bracket made `classes = classes = ...` quadratic, and
      // scanning a run of names made `classes classes ...` so: LT(i) itself
      // walks i tokens. Both found by nasc-fuzz.)
      size_t type = token->getType();
      bool operand = type == INT || type == FLOAT || type == IDENT;
      if ((!operand && text != "-") || (operand && afterOperand))
        return false;
      afterOperand = operand;
    }
  }
}

spec : decl* EOF ;

decl
  : datasetDecl
  | targetDecl
  | opsDecl
  | cellDecl
  | blockDecl
  | userOpDecl
  | networkDecl
  | objectivesDecl
  | constraintsDecl
  | settingsDecl
  ;

// dataset cifar10 { input = [3, 32, 32]; classes = 10; }
datasetDecl : 'dataset' IDENT '{' property* '}' ;

// target edge_gpu : gpu { peak_compute = 1.3 TFLOPS; tunable tile = {8, 16}; }
targetDecl : 'target' IDENT ':' IDENT '{' targetItem* '}' ;
targetItem : TUNABLE? property ;

// search { ... }   evaluate { ... }   compress { ... }
settingsDecl : kind=('search' | 'evaluate' | 'compress') '{' property* '}' ;

property : IDENT '=' value ';' ;

// A named set of alternatives that `choose` and cell edges refer to.
opsDecl : 'ops' IDENT '{' option+ '}' ;
option  : IDENT ':' chain ';' ;

// cell nb201_cell(nodes = 4) { edges all : nb201_ops; }
cellDecl : 'cell' IDENT '(' args? ')' '{' cellItem* '}' ;
cellItem
  : 'edge' INT '->' INT ':' alternatives ';'?    # cellEdge
  | 'edges' 'all' ':' alternatives ';'?          # cellAllEdges
  ;

// What an edge or a `choose` picks from: a declared op set (with arguments
// passed to every alternative) or an inline list of named alternatives.
alternatives
  : IDENT ('(' args? ')')?                       # opsetAlternatives
  | '{' option+ '}'                              # inlineAlternatives
  ;

blockDecl   : 'block' IDENT '{' layer* '}' ;

// A user-defined parameterized op: op ir(k, e = 6, act = relu) { layers }
userOpDecl : 'op' IDENT '(' params? ')' '{' layer* '}' ;
params     : param (',' param)* ;
param      : IDENT ('=' value)? ;
networkDecl : 'network' IDENT ('on' IDENT)? '{' layer* '}' ;

layer
  : (IDENT ':')? chain ';'                                   # chainLayer
  | (IDENT ':')? 'choose' alternatives ';'?                  # chooseLayer
  | 'repeat' count=value SHARED? '{' layer* '}'              # repeatLayer
  | 'stage' IDENT? '{' layer* '}'                            # stageLayer
  | (IDENT ':')? 'residual' ('(' args? ')')? '{' layer* '}'  # residualLayer
  ;

// relu -> conv(kernel = 3) -> bn
chain  : opCall ('->' opCall)* ;
opCall : IDENT ('(' args? ')')? ;
args   : arg (',' arg)* ;
arg    : IDENT '=' value ;

// objectives pareto { maximize accuracy; minimize latency(edge_gpu) weight 0.5; }
objectivesDecl : 'objectives' IDENT? '{' objective* '}' ;
objective : dir=('maximize' | 'minimize') metric ('weight' number)? ('stage' INT)? ';' ;

// constraints { latency(edge_gpu) < 5 ms; params < 1 M; }
constraintsDecl : 'constraints' '{' constraint* '}' ;
constraint : metric cmp=('<' | '<=' | '>' | '>=') quantity ';' ;

metric : IDENT ('(' IDENT ')')? ;

value
  : quantity                                      # quantityValue
  | STRING                                        # stringValue
  | IDENT                                         # identValue
  | '[' (value (',' value)*)? ']'                 # listValue
  | '{' (value (',' value)*)? '}'                 # choiceValue
  | lo=number '..' hi=number ('step' step=number)? # rangeValue
  | {isExpressionAhead()}? expr                   # exprValue
  ;

// Channel arithmetic inside a user-defined op: in * e, make_divisible(in / 4, 8).
// A lone number or name is a quantity or a word value above.
expr
  : '(' expr ')'                    # parenExpr
  | IDENT '(' expr (',' expr)* ')'  # callExpr
  | '-' expr                        # negExpr
  | expr op=('*' | '/') expr        # mulExpr
  | expr op=('+' | '-') expr        # addExpr
  | (INT | FLOAT)                   # numberExpr
  | IDENT                           # nameExpr
  ;

quantity : number unit? ;
unit     : IDENT ('/' IDENT)? | '%' ;
number   : '-'? (INT | FLOAT) ;

TUNABLE : 'tunable' ;
SHARED  : 'shared' ;

INT    : [0-9]+ ;
FLOAT  : [0-9]+ '.' [0-9]+ ([eE] [+-]? [0-9]+)? | [0-9]+ [eE] [+-]? [0-9]+ ;
IDENT  : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT  : ('//' | '#') ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
// A `/*` that is never closed: it cannot contain `*/`, so it only wins when
// the comment runs to the end of the file. The front end names it.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
// Any other character is a token of its own so the parser reports it with a
// location instead of the lexer printing to stderr.
ERROR_CHAR    : . ;
