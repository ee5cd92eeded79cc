#include "ecg_view.h"

#include <cstdio>

namespace confrere::ui {
namespace {

std::vector<render::Vertex2> toVertices(const std::vector<state::Point>& points) {
  std::vector<render::Vertex2> out;
  out.reserve(points.size());
  for (const auto& p : points) out.push_back({p.x, p.y});
  return out;
}

}  // namespace

void drawEcgPaper(render::LineRenderer& lines, const state::EcgDrawing& d, int width, int height) {
  lines.drawSegments(toVertices(d.minorGrid), {1.0f, 0.75f, 0.75f, 1.0f}, width, height);
  lines.drawSegments(toVertices(d.majorGrid), {0.95f, 0.45f, 0.45f, 1.0f}, width, height);
  for (const auto& pulse : d.calibration) lines.drawPolyline(toVertices(pulse), {0.f, 0.f, 0.f, 1.f}, width, height);
  for (const auto& trace : d.traces) lines.drawPolyline(toVertices(trace), {0.f, 0.f, 0.f, 1.f}, width, height);
}

std::vector<TextItem> ecgLabels(const state::EcgDrawing& d, const state::EcgPaper& paper) {
  std::vector<TextItem> items;
  for (const auto& label : d.labels) {
    TextItem t;
    t.x = label.at.x;
    t.y = label.at.y;
    t.text = label.text;
    t.rgba = {0.05f, 0.05f, 0.3f, 1.0f};
    t.shadow = false;
    items.push_back(t);
  }
  char scale[96];
  std::snprintf(scale, sizeof scale, "%g mm/s   %g mm/mV", paper.speedMmPerS, paper.gainMmPerMv);
  TextItem s;
  s.x = static_cast<float>(d.width) - 8.0f;
  s.y = static_cast<float>(d.height) - 20.0f;
  s.text = scale;
  s.align = TextAlign::Right;
  s.rgba = {0.05f, 0.05f, 0.3f, 1.0f};
  s.shadow = false;
  items.push_back(s);
  return items;
}

}  // namespace confrere::ui
