//===- Frontend.cpp - .nas source to the nas dialect ----------------------===//
//
// The boundary between the ANTLR runtime, which throws, and MLIR, which
// reports diagnostics: syntax errors are routed into MLIR's diagnostic
// engine, and every exception is caught here.
//
//===----------------------------------------------------------------------===//

#include "nasc/Frontend/Frontend.h"

#include "MLIRGen.h"
#include "NasLexer.h"
#include "NasParser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "antlr4-runtime.h"

using namespace mlir;

namespace {

/// Turns ANTLR's syntax errors into located MLIR diagnostics.
class DiagnosticErrorListener : public antlr4::BaseErrorListener {
public:
  DiagnosticErrorListener(MLIRContext *context, StringRef fileName,
                          nasc::ErrorCounter &errors)
      : context(context), fileName(fileName), errors(errors) {}

  void syntaxError(antlr4::Recognizer *, antlr4::Token *offending, size_t line,
                   size_t column, const std::string &message,
                   std::exception_ptr) override {
    Location loc = FileLineColLoc::get(context, fileName, line, column + 1);
    emitError(loc) << rewrite(message, offending);
    errors.add();
  }

private:
  /// ANTLR names the end of input `<EOF>` and quotes tokens oddly; keep its
  /// message but say "end of file".
  static std::string rewrite(std::string message, antlr4::Token *offending) {
    size_t eof = message.find("'<EOF>'");
    if (eof != std::string::npos)
      message.replace(eof, 7, "end of file");
    return "syntax error: " + message;
  }

  MLIRContext *context;
  std::string fileName;
  nasc::ErrorCounter &errors;
};

} // namespace

OwningOpRef<ModuleOp> nasc::parseNasSource(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context,
                                           const FrontendOptions &options) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  std::string fileName = buffer->getBufferIdentifier().str();
  std::string specName = llvm::sys::path::stem(fileName).str();
  if (specName.empty() || specName == "-" || specName == "<stdin>")
    specName = "spec";
  ErrorCounter errors(options.maxErrors);
  try {
    antlr4::ANTLRInputStream input(buffer->getBufferStart(),
                                   buffer->getBufferSize());
    grammar::NasLexer lexer(&input);
    antlr4::CommonTokenStream tokens(&lexer);
    grammar::NasParser parser(&tokens);
    DiagnosticErrorListener listener(context, fileName, errors);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    grammar::NasParser::SpecContext *tree = parser.spec();
    if (errors.get() > 0)
      return nullptr;
    return generateSpec(tree, fileName, specName, context, errors);
  } catch (const TooManyErrors &) {
    emitError(FileLineColLoc::get(context, fileName, 1, 1))
        << "too many errors (" << options.maxErrors << "), stopping";
  } catch (const std::exception &e) {
    emitError(FileLineColLoc::get(context, fileName, 1, 1))
        << "internal error in the parser: " << e.what();
  }
  return nullptr;
}
