// Draws an ECG paper layout (state::EcgDrawing) with the line renderer:
// pink grid, black traces, calibration pulses. Labels are returned as text
// items for the caller's text path (ImGui in the window, TextOverlay headless).
#pragma once

#include <vector>

#include "render/line_renderer.h"
#include "state/ecg_layout.h"
#include "text_overlay.h"

namespace confrere::ui {

// Paper colours: the classic ECG paper.
void drawEcgPaper(render::LineRenderer& lines, const state::EcgDrawing& drawing, int width, int height);

std::vector<TextItem> ecgLabels(const state::EcgDrawing& drawing, const state::EcgPaper& paper);

}  // namespace confrere::ui
