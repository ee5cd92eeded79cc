// The interactive workstation window: GLFW + Dear ImGui, main menu, study
// browser, viewport. Panels read the models and issue commands; drawing goes
// through viewer/render.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "i18n.h"

namespace confrere::ui {

struct ApplicationOptions {
  std::filesystem::path open;        // file or folder to open at start (the demo case by default)
  std::filesystem::path assetsDir;   // fonts, demo case
  Language language = Language::French;
  int width = 1600;
  int height = 1000;
  // Scripted run for tests and docs: draw `frames` frames, save the whole
  // window to `screenshot` as PNG, and exit. Starts Xvfb when no display.
  std::optional<std::filesystem::path> screenshot;
  int frames = 0;
  std::string layout = "1x1";  // 1x1, 1x2, 2x2, mpr
};

// Runs until the window closes (or the scripted frames are done). Returns the
// process exit code. Throws std::runtime_error when no window can be made.
int runApplication(const ApplicationOptions& options);

}  // namespace confrere::ui
