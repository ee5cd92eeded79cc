# confrere_target_defaults(TARGET): C++20, our warning set, -Werror when asked.
function(confrere_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s string
  # concatenation (GCC bug 105329); they are not ours to fix.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(CONFRERE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# confrere_forbid_ui(TARGET): the libraries must never link GL, GLFW, ImGui or
# a GL loader. Checked once every target is defined, so a later
# target_link_libraries() cannot slip past.
function(_confrere_check_no_ui target)
  foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libs ${target} ${prop})
    if(libs)
      foreach(lib IN LISTS libs)
        if(lib MATCHES "glfw|OpenGL|GL$|imgui|IMGUI|epoxy|EPOXY")
          message(FATAL_ERROR "${target} links ${lib}: imaging/ and exchange/ must stay free of GL and UI")
        endif()
      endforeach()
    endif()
  endforeach()
endfunction()

function(confrere_forbid_ui target)
  # Deferred arguments are expanded when the call runs: bake the name in now.
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _confrere_check_no_ui [[${target}]])")
endfunction()
