#include "ecg_layout.h"

#include <algorithm>
#include <cmath>

namespace confrere::state {
namespace {

constexpr double kRowHeightMm = 30.0;    // +-1.5 mV at 10 mm/mV
constexpr double kLeftMarginMm = 10.0;   // room for the calibration pulse
constexpr double kTopMarginMm = 5.0;
constexpr double kPulseWidthS = 0.2;     // calibration: 1 mV for 200 ms

struct Cell {
  const char* lead;
  int row;
  int column;
  double fromS;  // time window within the recording
  double toS;
};

}  // namespace

Result<EcgLayout> parseEcgLayout(const std::string& name) {
  if (name == "3x4+1") return EcgLayout::ThreeByFourPlusRhythm;
  if (name == "6x2") return EcgLayout::SixByTwo;
  if (name == "12x1") return EcgLayout::TwelveByOne;
  return makeError(ErrorCode::InvalidArgument, "unknown ECG layout '" + name + "' (valid: 3x4+1, 6x2, 12x1)");
}

EcgDrawing layoutEcg(const imaging::Ecg& ecg, EcgLayout layout, const EcgPaper& paper) {
  static const char* kLeads[] = {"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"};
  const double duration = std::max(0.0, ecg.durationS() - paper.startS);
  std::vector<Cell> cells;
  int rows = 0;
  double widthS = 10.0;
  switch (layout) {
    case EcgLayout::ThreeByFourPlusRhythm: {
      // Columns of 2.5 s: I II III | aVR aVL aVF | V1 V2 V3 | V4 V5 V6, then lead II over 10 s.
      widthS = 10.0;
      for (int c = 0; c < 4; ++c) {
        for (int r = 0; r < 3; ++r) {
          cells.push_back({kLeads[c * 3 + r], r, c, c * 2.5, (c + 1) * 2.5});
        }
      }
      cells.push_back({"II", 3, 0, 0.0, 10.0});
      rows = 4;
      break;
    }
    case EcgLayout::SixByTwo:
      widthS = 10.0;
      for (int c = 0; c < 2; ++c) {
        for (int r = 0; r < 6; ++r) cells.push_back({kLeads[c * 6 + r], r, c, c * 5.0, (c + 1) * 5.0});
      }
      rows = 6;
      break;
    case EcgLayout::TwelveByOne:
      widthS = 10.0;
      for (int r = 0; r < 12; ++r) cells.push_back({kLeads[r], r, 0, 0.0, 10.0});
      rows = 12;
      break;
  }
  const double ppm = paper.pixelsPerMm;
  EcgDrawing d;
  d.pixelsPerMv = paper.gainMmPerMv * ppm;
  d.pixelsPerS = paper.speedMmPerS * ppm;
  const double rowHeightMm = kRowHeightMm * paper.gainMmPerMv / 10.0;
  const double paperWidthMm = kLeftMarginMm + widthS * paper.speedMmPerS + 5.0;
  const double paperHeightMm = kTopMarginMm + rows * rowHeightMm + 5.0;
  d.width = static_cast<int>(std::ceil(paperWidthMm * ppm));
  d.height = static_cast<int>(std::ceil(paperHeightMm * ppm));

  // Grid: every millimetre, darker every 5 mm.
  for (int mm = 0; mm <= static_cast<int>(paperWidthMm); ++mm) {
    auto& grid = mm % 5 == 0 ? d.majorGrid : d.minorGrid;
    const float x = static_cast<float>(mm * ppm);
    grid.push_back({x, 0.f});
    grid.push_back({x, static_cast<float>(d.height)});
  }
  for (int mm = 0; mm <= static_cast<int>(paperHeightMm); ++mm) {
    auto& grid = mm % 5 == 0 ? d.majorGrid : d.minorGrid;
    const float y = static_cast<float>(mm * ppm);
    grid.push_back({0.f, y});
    grid.push_back({static_cast<float>(d.width), y});
  }

  auto baselineMm = [&](int row) { return kTopMarginMm + (row + 0.5) * rowHeightMm; };
  for (int r = 0; r < rows; ++r) {
    // 1 mV calibration pulse at the start of the row.
    const double y0 = baselineMm(r) * ppm;
    const double y1 = y0 - d.pixelsPerMv;
    const double x0 = 2.0 * ppm;
    const double x1 = x0 + kPulseWidthS * d.pixelsPerS;
    d.calibration.push_back({{static_cast<float>(x0 - 1.5 * ppm), static_cast<float>(y0)},
                             {static_cast<float>(x0), static_cast<float>(y0)},
                             {static_cast<float>(x0), static_cast<float>(y1)},
                             {static_cast<float>(x1), static_cast<float>(y1)},
                             {static_cast<float>(x1), static_cast<float>(y0)},
                             {static_cast<float>(x1 + 1.5 * ppm), static_cast<float>(y0)}});
  }
  for (const Cell& cell : cells) {
    const double x0 = (kLeftMarginMm + cell.fromS * paper.speedMmPerS) * ppm;
    const double y0 = baselineMm(cell.row) * ppm;
    const imaging::EcgLead* lead = ecg.lead(cell.lead);
    d.labels.push_back({{static_cast<float>(x0 + 1.0 * ppm), static_cast<float>(y0 - (rowHeightMm / 2 - 1.0) * ppm)},
                        lead != nullptr ? cell.lead : std::string(cell.lead) + " (absent)"});
    if (lead == nullptr || ecg.samplingHz <= 0) continue;
    const double from = paper.startS + cell.fromS;
    const double to = std::min(paper.startS + cell.toS, paper.startS + duration);
    const auto first = static_cast<std::size_t>(std::max(0.0, std::floor(from * ecg.samplingHz)));
    const auto last = std::min(lead->amplitudeUv.size(), static_cast<std::size_t>(std::ceil(to * ecg.samplingHz)));
    std::vector<Point> trace;
    trace.reserve(last > first ? last - first : 0);
    for (std::size_t i = first; i < last; ++i) {
      const double t = static_cast<double>(i) / ecg.samplingHz - paper.startS - cell.fromS;
      const double mv = static_cast<double>(lead->amplitudeUv[i]) / 1000.0;
      trace.push_back({static_cast<float>(x0 + t * d.pixelsPerS), static_cast<float>(y0 - mv * d.pixelsPerMv)});
    }
    if (!trace.empty()) d.traces.push_back(std::move(trace));
  }
  return d;
}

}  // namespace confrere::state
