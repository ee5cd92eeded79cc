// The text and scale bar over a 2D view, as radiology workstations show them:
// patient and study (top left), series and slice (top right), window and
// zoom (bottom left), scale bar (bottom right), orientation letters on the
// four edges. Plain data in, text items and line segments out: the window
// draws them with ImGui, the headless renderer with TextOverlay.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "render/line_renderer.h"
#include "text_overlay.h"

namespace confrere::ui {

struct OverlayInfo {
  std::string patientName;  // DICOM PN (^ separators are turned into spaces)
  std::string patientId;
  std::string studyDate;    // YYYYMMDD
  std::string seriesLabel;  // modality + description
  std::string viewLabel;    // "Axial", "MIP 10 mm"...
  int sliceIndex = -1;      // 0-based, -1 when not a stack
  int sliceCount = 0;
  std::optional<double> positionMm;
  std::optional<double> windowCenter;
  std::optional<double> windowWidth;
  std::string units;
  double zoomPercent = 100.0;
  std::optional<std::array<double, 3>> rightLps;  // patient direction of screen right
  std::optional<std::array<double, 3>> downLps;   // patient direction of screen down
  std::optional<double> mmPerScreenPixel;         // for the scale bar
  int reduction = 1;                              // GPU level of detail (say "réduit 2×")
};

struct OverlayGraphics {
  std::vector<TextItem> text;
  std::vector<render::Vertex2> lines;  // scale bar, line list
};

OverlayGraphics buildImageOverlay(const OverlayInfo& info, int width, int height, float lineHeight);

// "20240131" -> "31/01/2024" (French order); other text is returned as is.
std::string formatDicomDate(const std::string& date);

}  // namespace confrere::ui
