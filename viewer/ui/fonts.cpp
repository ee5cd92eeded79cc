#include "fonts.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

namespace confrere::ui {
namespace {

const ImWchar* glyphRanges() {
  // Latin-1, Latin Extended-A (œ), general punctuation (’ …), € , arrows and
  // mathematical operators (≤ ≥ ±).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2000, 0x206F,
                                   0x20AC, 0x20AC, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
  return ranges;
}

std::filesystem::path findFont(const std::filesystem::path& assetsDir) {
  const std::filesystem::path candidates[] = {
      assetsDir / "fonts" / "DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  };
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) return c;
  }
  return {};
}

}  // namespace

bool loadUiFont(const std::filesystem::path& assetsDir, float pixelSize) {
  ImGuiIO& io = ImGui::GetIO();
  const std::filesystem::path font = findFont(assetsDir);
  if (!font.empty()) {
    io.Fonts->AddFontFromFileTTF(font.c_str(), std::round(pixelSize), nullptr, glyphRanges());
    return true;
  }
  std::fprintf(stderr, "[ui] DejaVuSans.ttf not found (install fonts-dejavu-core); accents may not show\n");
  ImFontConfig config;
  config.SizePixels = std::round(pixelSize);
  io.Fonts->AddFontDefault(&config);
  return false;
}

}  // namespace confrere::ui
