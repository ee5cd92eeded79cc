#include "image_overlay.h"

#include <cmath>
#include <cstdio>

#include "confrere/imaging/reslice.h"
#include "i18n.h"

namespace confrere::ui {

std::string formatDicomDate(const std::string& date) {
  if (date.size() == 8 && date.find_first_not_of("0123456789") == std::string::npos) {
    return date.substr(6, 2) + "/" + date.substr(4, 2) + "/" + date.substr(0, 4);
  }
  return date;
}

OverlayGraphics buildImageOverlay(const OverlayInfo& info, int width, int height, float lineHeight) {
  OverlayGraphics g;
  const float margin = 6.0f;
  const float w = static_cast<float>(width);
  const float h = static_cast<float>(height);
  auto add = [&](float x, float y, std::string text, TextAlign align) {
    if (!text.empty()) g.text.push_back(TextItem{x, y, std::move(text), align});
  };
  // Top left: patient and study.
  std::string name = info.patientName;
  for (char& c : name) {
    if (c == '^') c = ' ';
  }
  add(margin, margin, name, TextAlign::Left);
  add(margin, margin + lineHeight, info.patientId.empty() ? "" : std::string("ID ") + info.patientId, TextAlign::Left);
  add(margin, margin + 2 * lineHeight, formatDicomDate(info.studyDate), TextAlign::Left);
  // Top right: series, view, slice.
  add(w - margin, margin, info.seriesLabel, TextAlign::Right);
  add(w - margin, margin + lineHeight, info.viewLabel, TextAlign::Right);
  if (info.sliceIndex >= 0) {
    char text[96];
    std::snprintf(text, sizeof text, "%s %d/%d", tr("viewport.slice"), info.sliceIndex + 1, info.sliceCount);
    add(w - margin, margin + 2 * lineHeight, text, TextAlign::Right);
  }
  if (info.positionMm) {
    char text[64];
    std::snprintf(text, sizeof text, "%.1f mm", *info.positionMm);
    add(w - margin, margin + 3 * lineHeight, text, TextAlign::Right);
  }
  // Bottom left: window and zoom (and the level of detail when reduced).
  float y = h - margin - lineHeight;
  if (info.reduction > 1) {
    char text[64];
    std::snprintf(text, sizeof text, "%s %d×", tr("viewport.reduced"), info.reduction);
    add(margin, y - 2 * lineHeight, text, TextAlign::Left);
  }
  if (info.windowCenter && info.windowWidth) {
    char text[96];
    std::snprintf(text, sizeof text, "%s %.0f / %.0f %s", tr("viewport.window"), *info.windowCenter, *info.windowWidth,
                  info.units.c_str());
    add(margin, y - lineHeight, text, TextAlign::Left);
  }
  {
    char text[64];
    std::snprintf(text, sizeof text, "%s %.0f %%", tr("viewport.zoom"), info.zoomPercent);
    add(margin, y, text, TextAlign::Left);
  }
  // Orientation letters on the edges: the patient direction each edge faces.
  if (info.rightLps && info.downLps) {
    const auto& r = *info.rightLps;
    const auto& d = *info.downLps;
    add(w - margin, h / 2 - lineHeight / 2, imaging::orientationLetters(r), TextAlign::Right);
    add(margin, h / 2 - lineHeight / 2, imaging::orientationLetters({-r[0], -r[1], -r[2]}), TextAlign::Left);
    add(w / 2, h - margin - lineHeight, imaging::orientationLetters(d), TextAlign::Centre);
    add(w / 2, margin, imaging::orientationLetters({-d[0], -d[1], -d[2]}), TextAlign::Centre);
  }
  // Scale bar: the largest of 1, 2, 5, 10 cm... that fits a quarter of the width.
  if (info.mmPerScreenPixel && *info.mmPerScreenPixel > 0) {
    const double maxMm = static_cast<double>(w) / 4.0 * *info.mmPerScreenPixel;
    double barMm = 1.0;
    for (double candidate : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0}) {
      if (candidate <= maxMm) barMm = candidate;
    }
    const float length = static_cast<float>(barMm / *info.mmPerScreenPixel);
    const float x1 = w - margin - 4;
    const float x0 = x1 - length;
    const float yb = h - margin - lineHeight - 6;
    g.lines = {{x0, yb}, {x1, yb}, {x0, yb - 5}, {x0, yb + 1}, {x1, yb - 5}, {x1, yb + 1}};
    char text[32];
    if (barMm >= 10.0) std::snprintf(text, sizeof text, "%.0f cm", barMm / 10.0);
    else std::snprintf(text, sizeof text, "%.0f mm", barMm);
    add(w - margin - 4, h - margin - lineHeight, text, TextAlign::Right);
  }
  return g;
}

}  // namespace confrere::ui
