# Links an executable from the objects of the nasc libraries it uses and the
# static LLVM/MLIR archives Debian ships, instead of the shared libMLIR.so
# and libLLVM.so.
#
# Why: loading Debian's shared libLLVM.so and libMLIR.so costs about 70 ms
# of relocations and page faults before main() (430,000 relative and 47,000
# symbol relocations), whatever the program does. Linked from the archives
# (non-PIE, unused sections dropped), nasc pays for the parts it uses only
# and starts in under 30 ms (bench/scale.sh, bench/RESULTS.md).
#
# The plugins (libNASCEval.so with LibTorch, opened when a search trains;
# libNASCSearchMPI.so with OpenMPI, opened under mpirun) do not link the
# nasc libraries or MLIR: they resolve them from the process that opens
# them. The executable therefore exports exactly the symbols the plugins
# leave undefined, and pulls them from the archives even where nasc itself
# does not use them (cmake/plugin-symbols.py writes both lists from the
# built plugins).

# Every library in the link closure of ROOTS: nasc's own libraries (targets
# named NASC*) go to OUT_NASC, what they use outside LLVM/MLIR to OUT_OTHER.
function(nasc_collect_link_closure out_nasc out_other)
  set(pending ${ARGN})
  set(nasc_libs)
  set(other_libs)
  while(pending)
    list(POP_FRONT pending item)
    if(item MATCHES "^(MLIR|LLVM)" OR item MATCHES "^\\$<")
      continue()
    endif()
    if(item MATCHES "^NASC" AND TARGET ${item})
      if(item IN_LIST nasc_libs)
        continue()
      endif()
      list(APPEND nasc_libs ${item})
      get_target_property(deps ${item} LINK_LIBRARIES)
      get_target_property(interface_deps ${item} INTERFACE_LINK_LIBRARIES)
      foreach(dep IN LISTS deps interface_deps)
        if(dep AND NOT dep MATCHES "-NOTFOUND$")
          list(APPEND pending ${dep})
        endif()
      endforeach()
    elseif(NOT item IN_LIST other_libs)
      list(APPEND other_libs ${item})
    endif()
  endwhile()
  set(${out_nasc} ${nasc_libs} PARENT_SCOPE)
  set(${out_other} ${other_libs} PARENT_SCOPE)
endfunction()

# Links TARGET (an executable) statically against LLVM/MLIR, with the nasc
# libraries LIBS (and their closure) as objects, exporting what the PLUGIN
# targets (shared libraries loaded at run time) need from it.
function(nasc_link_static target)
  cmake_parse_arguments(ARG "" "" "LIBS;PLUGIN" ${ARGN})
  nasc_collect_link_closure(nasc_libs other_libs ${ARG_LIBS})
  foreach(lib IN LISTS nasc_libs)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${lib}>)
    # Usage requirements (include directories, definitions) without the
    # shared library itself.
    target_include_directories(${target} PRIVATE
      $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(${target} PRIVATE
      $<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_DEFINITIONS>)
  endforeach()

  # Every LLVM and MLIR archive, in one group: the linker takes the members
  # that are used. Archives with a main(), test harnesses and the C API are
  # left out.
  file(GLOB archives "${LLVM_LIBRARY_DIR}/libLLVM*.a" "${LLVM_LIBRARY_DIR}/libMLIR*.a")
  list(FILTER archives EXCLUDE REGEX
    "(gtest|CAPI|Testing|TableGen|Fuzz|Exegesis|MlirOptMain|LLVMDiff|OrcDebugging)")
  if(NOT archives)
    message(FATAL_ERROR "no static LLVM/MLIR archives in ${LLVM_LIBRARY_DIR}; "
      "configure with -DNASC_STATIC_LLVM=OFF")
  endif()

  find_package(ZLIB REQUIRED)
  find_library(NASC_ZSTD_LIBRARY zstd REQUIRED)
  find_library(NASC_TINFO_LIBRARY tinfo REQUIRED)
  find_library(NASC_FFI_LIBRARY ffi REQUIRED)
  find_library(NASC_XML2_LIBRARY xml2 REQUIRED)

  set(plugin_files)
  foreach(plugin IN LISTS ARG_PLUGIN)
    list(APPEND plugin_files $<TARGET_FILE:${plugin}>)
  endforeach()
  set(symbols_dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.plugin-symbols)
  set(extern_script ${symbols_dir}/extern.ld)
  set(dynamic_list ${symbols_dir}/dynamic.list)
  add_custom_command(
    OUTPUT ${extern_script} ${dynamic_list}
    COMMAND ${Python3_EXECUTABLE} ${NASC_SOURCE_DIR}/cmake/plugin-symbols.py
            --nm ${CMAKE_NM} ${extern_script} ${dynamic_list}
            ${plugin_files}
    DEPENDS ${ARG_PLUGIN} ${NASC_SOURCE_DIR}/cmake/plugin-symbols.py
    COMMENT "Listing the symbols ${ARG_PLUGIN} take from ${target}")
  add_custom_target(${target}-plugin-symbols DEPENDS ${extern_script} ${dynamic_list})
  add_dependencies(${target} ${target}-plugin-symbols)
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS
    ${extern_script} ${dynamic_list})

  target_link_options(${target} PRIVATE -no-pie LINKER:--gc-sections
    LINKER:--dynamic-list=${dynamic_list})
  target_link_libraries(${target} PRIVATE
    ${extern_script}
    -Wl,--start-group ${archives} -Wl,--end-group
    ${other_libs}
    ZLIB::ZLIB ${NASC_ZSTD_LIBRARY} ${NASC_TINFO_LIBRARY} ${NASC_FFI_LIBRARY}
    ${NASC_XML2_LIBRARY} ${CMAKE_DL_LIBS} Threads::Threads)
endfunction()
