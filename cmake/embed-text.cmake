# Writes the text file IN as a C++ raw string literal named NAME into OUT.
file(READ "${IN}" text)
file(WRITE "${OUT}" "static const char ${NAME}[] = R\"nasc_embed(${text})nasc_embed\";\n")
