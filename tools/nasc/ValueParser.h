//===- ValueParser.h - Enum options that list their values -------*- C++
//-*-===//
//
// llvm::cl's enum parser rejects an unknown value with "Cannot find option
// named 'x'!"; this one names the option's valid values instead.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TOOLS_NASC_VALUEPARSER_H
#define NASC_TOOLS_NASC_VALUEPARSER_H

#include "llvm/Support/CommandLine.h"

#include <string>

namespace nasc::tool {

template <typename T> class ValueParser : public llvm::cl::parser<T> {
public:
  using llvm::cl::parser<T>::parser;

  /// cl::opt calls this one (it hides the base's): the base's result, or
  /// an error listing the values.
  bool parse(llvm::cl::Option &option, llvm::StringRef argName,
             llvm::StringRef arg, T &value) {
    for (unsigned i = 0, e = this->getNumOptions(); i < e; ++i)
      if (this->getOption(i) == arg)
        return llvm::cl::parser<T>::parse(option, argName, arg, value);
    std::string values;
    for (unsigned i = 0, e = this->getNumOptions(); i < e; ++i)
      values += (i ? ", " : "") + this->getOption(i).str();
    return option.error("unknown value '" + arg + "'; expected one of " +
                        values);
  }
};

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_VALUEPARSER_H
