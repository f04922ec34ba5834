//===- Frontend.cpp - .nas source to the nas dialect ----------------------===//
//
// The boundary between the ANTLR runtime, which throws, and MLIR, which
// reports diagnostics: syntax errors are routed into MLIR's diagnostic
// engine, and every exception is caught here.
//
//===----------------------------------------------------------------------===//

#include "nasc/Frontend/Frontend.h"
#include "nasc/Support/Limits.h"

#include "MLIRGen.h"
#include "NasLexer.h"
#include "NasParser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "antlr4-runtime.h"

using namespace mlir;

namespace {

/// Turns ANTLR's syntax errors into located MLIR diagnostics.
class DiagnosticErrorListener : public antlr4::BaseErrorListener {
public:
  DiagnosticErrorListener(const nasc::SourceLocator &locator,
                          nasc::ErrorCounter &errors)
      : locator(locator), errors(errors) {}

  void syntaxError(antlr4::Recognizer *, antlr4::Token *offending, size_t line,
                   size_t column, const std::string &message,
                   std::exception_ptr) override {
    errors.add();
    Location loc = locator.get(line, column);
    if (offending &&
        offending->getType() == nasc::grammar::NasLexer::UNTERMINATED_COMMENT) {
      emitError(loc) << "unterminated comment: '/*' without a closing '*/'";
      return;
    }
    emitError(loc) << "syntax error: " << rewrite(message);
  }

private:
  /// ANTLR writes the end of input as `<EOF>`; say "end of file".
  static std::string rewrite(std::string message) {
    for (llvm::StringRef eof : {"'<EOF>'", "<EOF>"})
      for (size_t at = message.find(eof.str()); at != std::string::npos;
           at = message.find(eof.str()))
        message.replace(at, eof.size(), "end of file");
    return message;
  }

  const nasc::SourceLocator &locator;
  nasc::ErrorCounter &errors;
};

/// Reports the first bracket nested deeper than kMaxNestingDepth. The
/// parser and every later stage recurse over this nesting, so the check runs
/// on the token stream, before any recursion.
LogicalResult checkNesting(antlr4::CommonTokenStream &tokens,
                           const nasc::SourceLocator &locator) {
  unsigned depth = 0, operators = 0;
  for (antlr4::Token *token : tokens.getTokens()) {
    if (token->getType() == antlr4::Token::EOF)
      break;
    std::string text = token->getText();
    // An expression's tree is as deep as its operators.
    if (text == ";" || text == "{" || text == "}")
      operators = 0;
    if ((text == "+" || text == "-" || text == "*" || text == "/") &&
        ++operators > nasc::kMaxExpressionOperators) {
      emitError(locator.get(token->getLine(), token->getCharPositionInLine()))
          << "more than " << nasc::kMaxExpressionOperators
          << " operators in one statement (docs/language.md, \"Limits\")";
      return failure();
    }
    if (text == "{" || text == "(" || text == "[") {
      if (++depth <= nasc::kMaxNestingDepth)
        continue;
      emitError(locator.get(token->getLine(), token->getCharPositionInLine()))
          << "'" << text << "' nested deeper than " << nasc::kMaxNestingDepth
          << " levels (docs/language.md, \"Limits\")";
      return failure();
    }
    if ((text == "}" || text == ")" || text == "]") && depth > 0)
      --depth;
  }
  return success();
}

} // namespace

LogicalResult nasc::checkMLIRNesting(llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  std::optional<size_t> offset = findTooDeepMLIRNesting(buffer->getBuffer());
  if (!offset)
    return success();
  auto [line, column] = sourceMgr.getLineAndColumn(
      llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *offset));
  emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(), line,
                                column))
      << "brackets nested deeper than " << kMaxMLIRNestingDepth
      << " levels (docs/language.md, \"Limits\")";
  return failure();
}

OwningOpRef<ModuleOp> nasc::parseNasSource(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context,
                                           const FrontendOptions &options) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  std::string fileName = buffer->getBufferIdentifier().str();
  std::string specName = llvm::sys::path::stem(fileName).str();
  if (specName.empty() || specName == "-" || specName == "<stdin>")
    specName = "spec";
  llvm::StringRef text = buffer->getBuffer();
  SourceLocator locator(context, fileName, text);

  // The ANTLR runtime decodes UTF-8 and throws on anything else.
  const auto *start = reinterpret_cast<const llvm::UTF8 *>(text.data());
  const llvm::UTF8 *bad = start;
  if (!llvm::isLegalUTF8String(&bad, start + text.size())) {
    size_t offset = bad - start;
    emitError(locator.getAtOffset(offset))
        << "invalid UTF-8 byte 0x"
        << llvm::utohexstr(static_cast<uint8_t>(text[offset]),
                           /*LowerCase=*/false,
                           /*Width=*/2)
        << "; .nas files are UTF-8";
    return nullptr;
  }

  ErrorCounter errors(options.maxErrors);
  try {
    antlr4::ANTLRInputStream input(text.data(), text.size());
    grammar::NasLexer lexer(&input);
    antlr4::CommonTokenStream tokens(&lexer);
    DiagnosticErrorListener listener(locator, errors);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    tokens.fill();
    if (failed(checkNesting(tokens, locator)))
      return nullptr;
    grammar::NasParser parser(&tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    grammar::NasParser::SpecContext *tree = parser.spec();
    if (errors.get() > 0)
      return nullptr;
    return generateSpec(tree, locator, specName, context, errors);
  } catch (const ExpansionLimit &) {
    // Reported where the limit was passed.
  } catch (const TooManyErrors &) {
    emitError(locator.get(1, 0))
        << "too many errors (" << options.maxErrors << "), stopping";
  } catch (const std::exception &e) {
    emitError(locator.get(1, 0))
        << "internal error in the parser: " << e.what();
  }
  return nullptr;
}
