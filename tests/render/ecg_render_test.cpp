// ECG paper at true physical size: a 1 mV pulse is 10 mm tall at 10 mm/mV,
// i.e. 10 * DPI / 25.4 pixels; one second is 25 mm at 25 mm/s.
#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/image_io.h"
#include "render/line_renderer.h"
#include "render/offscreen.h"
#include "state/ecg_layout.h"
#include "test_support.h"
#include "ui/ecg_view.h"

namespace confrere {
namespace {

// 12 leads, 10 s at 500 Hz; lead II is a 1 mV square wave (0.5 s high, 0.5 s low).
imaging::Ecg knownEcg() {
  imaging::Ecg ecg;
  ecg.samplingHz = 500;
  ecg.samples = 5000;
  for (const char* name : {"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}) {
    imaging::EcgLead lead;
    lead.name = name;
    lead.amplitudeUv.assign(5000, 0.0f);
    if (std::string(name) == "II") {
      for (std::size_t i = 0; i < 5000; ++i) lead.amplitudeUv[i] = (i / 250) % 2 == 0 ? 1000.0f : 0.0f;
    }
    ecg.leads.push_back(lead);
  }
  return ecg;
}

TEST(EcgLayout, PhysicalScaleAtAGivenDpi) {
  state::EcgPaper paper;
  paper.pixelsPerMm = 150.0 / 25.4;  // a 150 DPI screen
  const auto d = state::layoutEcg(knownEcg(), state::EcgLayout::TwelveByOne, paper);
  EXPECT_NEAR(d.pixelsPerMv, 10.0 * 150.0 / 25.4, 1e-9);
  EXPECT_NEAR(d.pixelsPerS, 25.0 * 150.0 / 25.4, 1e-9);
  // Lead II (second trace) spans exactly 1 mV vertically.
  ASSERT_EQ(d.traces.size(), 12u);
  float lo = 1e9f;
  float hi = -1e9f;
  for (const auto& p : d.traces[1]) {
    lo = std::min(lo, p.y);
    hi = std::max(hi, p.y);
  }
  EXPECT_NEAR(hi - lo, 10.0 * 150.0 / 25.4, 1e-3);
  // 10 s at 25 mm/s: 250 mm of trace.
  EXPECT_NEAR(d.traces[1].back().x - d.traces[1].front().x, (5000 - 1) / 500.0 * d.pixelsPerS, 1e-2);
}

TEST(EcgLayout, LayoutsAndSpeeds) {
  state::EcgPaper paper;
  const auto standard = state::layoutEcg(knownEcg(), state::EcgLayout::ThreeByFourPlusRhythm, paper);
  EXPECT_EQ(standard.traces.size(), 13u);  // 12 cells + the rhythm strip
  EXPECT_EQ(standard.labels.size(), 13u);
  EXPECT_EQ(standard.calibration.size(), 4u);
  const auto sixByTwo = state::layoutEcg(knownEcg(), state::EcgLayout::SixByTwo, paper);
  EXPECT_EQ(sixByTwo.traces.size(), 12u);
  paper.speedMmPerS = 50;
  paper.gainMmPerMv = 20;
  const auto fast = state::layoutEcg(knownEcg(), state::EcgLayout::TwelveByOne, paper);
  EXPECT_NEAR(fast.pixelsPerS, 2 * standard.pixelsPerS, 1e-9);
  EXPECT_NEAR(fast.pixelsPerMv, 2 * standard.pixelsPerMv, 1e-9);
  EXPECT_FALSE(state::parseEcgLayout("4x3").ok());
  EXPECT_EQ(*state::parseEcgLayout("6x2"), state::EcgLayout::SixByTwo);
}

TEST(EcgLayout, MissingLeadIsLabelledAbsent) {
  imaging::Ecg ecg = knownEcg();
  ecg.leads.erase(ecg.leads.begin() + 7);  // V2
  const auto d = state::layoutEcg(ecg, state::EcgLayout::TwelveByOne, state::EcgPaper{});
  bool found = false;
  for (const auto& l : d.labels) found = found || l.text == "V2 (absent)";
  EXPECT_TRUE(found);
  EXPECT_EQ(d.traces.size(), 11u);
}

class EcgRenderTest : public test::GlTest {};

TEST_F(EcgRenderTest, OneMillivoltIsTenMillimetresOnScreen) {
  state::EcgPaper paper;
  paper.pixelsPerMm = 96.0 / 25.4;  // 96 DPI: 1 mV = 37.8 px
  const auto d = state::layoutEcg(knownEcg(), state::EcgLayout::TwelveByOne, paper);
  render::ShaderLibrary shaders;
  render::LineRenderer lines(shaders);
  render::OffscreenTarget target(d.width, d.height);
  target.bind();
  glClearColor(1, 1, 1, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  // Traces only (no grid): black pixels are the trace.
  for (const auto& trace : d.traces) {
    std::vector<render::Vertex2> v;
    for (const auto& p : trace) v.push_back({p.x, p.y});
    lines.drawPolyline(v, {0, 0, 0, 1}, d.width, d.height);
  }
  const imaging::Image image = target.read();
  // In a column through lead II's trace (x at 0.1 s into the strip), find the
  // black extent over the row band of lead II: a vertical edge spans 1 mV.
  const int x = static_cast<int>(std::lround(d.traces[1][250].x));  // the rising edge at 0.5 s
  int top = -1;
  int bottom = -1;
  const int bandTop = static_cast<int>(static_cast<double>(d.traces[1][0].y) - 0.4 * d.pixelsPerMv);
  const int bandBottom = static_cast<int>(static_cast<double>(d.traces[1][300].y) + 0.4 * d.pixelsPerMv);
  for (int y = std::max(0, bandTop); y < std::min(d.height, bandBottom); ++y) {
    for (int dx = -1; dx <= 1; ++dx) {
      if (image.bytes[(static_cast<std::size_t>(y) * d.width + x + dx) * 4] < 128) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
  }
  if (top < 0) (void)imaging::writePng(test::outputDir() / "ecg.png", image);
  ASSERT_GE(top, 0) << "no trace found in column " << x << " rows " << bandTop << ".." << bandBottom;
  EXPECT_NEAR(bottom - top, 96.0 / 25.4 * 10.0, 2.0);
}

}  // namespace
}  // namespace confrere
