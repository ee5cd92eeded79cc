// `confrere render`: draws an input through the same OpenGL renderer and
// shaders as the window, into an offscreen framebuffer, and writes a PNG.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace confrere::app {

struct RenderOptions {
  std::filesystem::path input;
  std::filesystem::path output;
  int width = 512;
  int height = 512;
  int frame = 0;
  std::optional<int> slice;            // --slice N: index in the sorted series
  std::optional<double> positionMm;    // --position MM: along the slice normal
  std::string seriesUid;               // --series UID
  std::optional<double> windowCenter;  // with windowWidth: --window C,W
  std::optional<double> windowWidth;
  std::string preset;                  // --preset NAME
  bool overlay = true;
};

// Returns the process exit code; errors go to stderr naming the file.
int runRender(const RenderOptions& options);

}  // namespace confrere::app
