// ECG paper: the standard grid (1 mm / 5 mm), 25 mm/s and 10 mm/mV by default
// (12.5/50 mm/s, 5/20 mm/mV available), layouts 3x4 + rhythm strip, 6x2 and
// 12x1, lead labels and a 1 mV calibration pulse per row. Produces geometry
// in screen pixels from the physical paper scale; the renderer draws it.
// Plain C++: no GL, no ImGui.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "confrere/imaging/ecg.h"
#include "confrere/imaging/result.h"

namespace confrere::state {

enum class EcgLayout { ThreeByFourPlusRhythm, SixByTwo, TwelveByOne };

// "3x4+1", "6x2", "12x1". Fails with InvalidArgument listing the valid names.
Result<EcgLayout> parseEcgLayout(const std::string& name);

struct EcgPaper {
  double speedMmPerS = 25.0;   // 12.5, 25 or 50
  double gainMmPerMv = 10.0;   // 5, 10 or 20
  double pixelsPerMm = 96.0 / 25.4;  // from the monitor's DPI (or a manual calibration)
  double startS = 0.0;         // scroll position in time
};

struct Point {
  float x;
  float y;
};

struct EcgLabel {
  Point at;  // top-left, pixels
  std::string text;
};

struct EcgDrawing {
  int width = 0;   // pixels
  int height = 0;
  std::vector<Point> minorGrid;         // line list (pairs of points), 1 mm
  std::vector<Point> majorGrid;         // line list, 5 mm
  std::vector<std::vector<Point>> traces;       // polylines, one per lead segment
  std::vector<std::vector<Point>> calibration;  // 1 mV pulses
  std::vector<EcgLabel> labels;
  // Vertical pixels per millivolt and horizontal pixels per second (for
  // calipers and tests).
  double pixelsPerMv = 0;
  double pixelsPerS = 0;
};

// Lays out `ecg`. Leads missing from the recording leave their cell empty
// with the label marked "(absent)".
EcgDrawing layoutEcg(const imaging::Ecg& ecg, EcgLayout layout, const EcgPaper& paper);

}  // namespace confrere::state
