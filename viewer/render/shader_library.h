// The GLSL sources of shaders/, embedded in the binary at build time, and the
// programs built from them. Setting CONFRERE_SHADER_DIR makes it read the
// files from that folder instead (edit shaders without rebuilding).
// GL thread only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "gl.h"

namespace confrere::render {

// The text of shaders/NAME (embedded copy or override folder). Throws
// std::runtime_error listing the known names when NAME is unknown.
std::string shaderSource(std::string_view name);

class ShaderLibrary {
 public:
  // Builds (once) and returns the program for the pair. Throws ShaderError
  // naming the file and line on a compile or link failure.
  const Program& program(std::string_view vertexName, std::string_view fragmentName);

 private:
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Program>> m_programs;
};

}  // namespace confrere::render
