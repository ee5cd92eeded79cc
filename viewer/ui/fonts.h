// The UI font: DejaVu Sans (assets/fonts or fonts-dejavu-core) with every
// glyph the French UI needs (é è à ç ô œ ’ € µ ± ≤ ≥).
#pragma once

#include <filesystem>

namespace confrere::ui {

// Adds the font at `pixelSize` to the current ImGui context's atlas. Falls
// back to ImGui's built-in font (with a warning on stderr) when DejaVu is
// missing. Returns false in that case.
bool loadUiFont(const std::filesystem::path& assetsDir, float pixelSize);

}  // namespace confrere::ui
