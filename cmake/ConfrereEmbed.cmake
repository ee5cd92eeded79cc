# confrere_embed_files(OUT_CPP NAMESPACE ns FUNCTION fn FILES f1 f2 ...)
# Generates a .cpp holding each file's bytes and a lookup function
#   std::string_view fn(std::string_view name)   (empty view when unknown)
# so shaders and small assets live as real files in the tree but ship inside
# the binary. The generation re-runs when a source file changes.
function(confrere_embed_files out_cpp)
  cmake_parse_arguments(E "" "NAMESPACE;FUNCTION;BASE_DIR" "FILES" ${ARGN})
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files.cmake")
  add_custom_command(
    OUTPUT "${out_cpp}"
    COMMAND ${CMAKE_COMMAND}
      -DOUT=${out_cpp} -DNAMESPACE=${E_NAMESPACE} -DFUNCTION=${E_FUNCTION}
      -DBASE_DIR=${E_BASE_DIR} "-DFILES=${E_FILES}"
      -P "${script}"
    DEPENDS ${E_FILES} "${script}"
    COMMENT "Embedding ${E_FUNCTION} resources"
    VERBATIM)
endfunction()
