# lmhunt_embed(OUTPUT <cpp> NAMESPACE <ns> FILES <files...>) compiles text files
# (JSON schemas, the detection catalog) into the binary, so an installed or
# containerised lmhunt never depends on where its source tree was.
function(lmhunt_embed)
  cmake_parse_arguments(E "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE}
            "-DFILES=${E_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${E_NAMESPACE} files"
    VERBATIM)
endfunction()
