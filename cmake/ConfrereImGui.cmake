# Dear ImGui from Debian's libimgui-dev: the static library already holds the
# GLFW and OpenGL3 backends (their headers are under imgui/backends).
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(EPOXY REQUIRED IMPORTED_TARGET epoxy)
find_path(CONFRERE_IMGUI_BACKENDS_DIR imgui_impl_glfw.h PATHS /usr/include/imgui/backends REQUIRED)
add_library(confrere_imgui INTERFACE)
target_link_libraries(confrere_imgui INTERFACE PkgConfig::IMGUI glfw OpenGL::GL)
target_include_directories(confrere_imgui SYSTEM INTERFACE "${CONFRERE_IMGUI_BACKENDS_DIR}")
