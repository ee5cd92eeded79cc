// The real executable, run as a user would: headless render and a scripted
// whole-window screenshot. Both need GL (Xvfb + Mesa in CI).
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "confrere/imaging/image_io.h"
#include "test_support.h"

namespace confrere {
namespace {

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string exe() { return CONFRERE_EXE; }

// Distinct grey levels in an image: a blank or single-colour output has few.
std::size_t distinctLevels(const imaging::Image& img) {
  std::set<int> levels;
  const std::size_t bpp = imaging::bytesPerPixel(img.format);
  for (std::size_t i = 0; i < img.bytes.size(); i += bpp) {
    levels.insert(img.bytes[i] * 65536 + img.bytes[i + 1] * 256 + img.bytes[i + 2]);
  }
  return levels.size();
}

TEST(CliRender, DemoCaseToPng) {
  const auto out = test::outputDir() / "demo.png";
  ASSERT_EQ(run(exe() + " render --demo --out " + out.string() + " --size 320x240"), 0);
  auto png = imaging::readPng(out);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->width, 320);
  EXPECT_EQ(png->height, 240);
  EXPECT_GT(distinctLevels(png.value()), 50u) << "the demo CT should render as a real image";
}

TEST(CliRender, BadInputGivesAClearErrorAndNonZeroExit) {
  const auto out = test::outputDir() / "none.png";
  const auto err = test::outputDir() / "stderr.txt";
  EXPECT_EQ(run(exe() + " render /no/such/file.dcm --out " + out.string() + " 2>" + err.string()), 1);
  std::FILE* f = std::fopen(err.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buffer[512] = {};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, f);
  std::fclose(f);
  EXPECT_NE(std::string(buffer, n).find("/no/such/file.dcm"), std::string::npos) << buffer;
}

TEST(CliRender, UnknownPresetListsTheValidOnes) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/CT_small.dcm");
  const auto err = test::outputDir() / "stderr.txt";
  EXPECT_EQ(run(exe() + " render " + path.string() + " --out /dev/null --preset nope 2>" + err.string()), 2);
}

TEST(CliWindow, ScreenshotShowsBrowserAndImage) {
  const auto out = test::outputDir() / "window.png";
  ASSERT_EQ(run(exe() + " --screenshot " + out.string() + " --frames 3"), 0);
  auto png = imaging::readPng(out);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_GE(png->width, 800);
  EXPECT_GT(distinctLevels(png.value()), 100u) << "the window looks blank: " << out;
}

// Distinct levels in a rectangle of an Rgba8 image.
std::size_t distinctIn(const imaging::Image& img, int x0, int y0, int x1, int y1) {
  std::set<int> levels;
  for (int y = y0; y < y1; y += 2) {
    for (int x = x0; x < x1; x += 2) {
      const std::size_t i = (static_cast<std::size_t>(y) * img.width + x) * imaging::bytesPerPixel(img.format);
      levels.insert(img.bytes[i] * 65536 + img.bytes[i + 1] * 256 + img.bytes[i + 2]);
    }
  }
  return levels.size();
}

TEST(CliWindow, MprLayoutFillsFourPanes) {
  CONFRERE_DATA_OR_SKIP(series, "dicom/mr/series_brain_20");
  const auto out = test::outputDir() / "mpr.png";
  ASSERT_EQ(run(exe() + " '" + series.string() + "' --layout mpr --screenshot " + out.string() + " --frames 40"), 0);
  auto png = imaging::readPng(out);
  ASSERT_TRUE(png.ok()) << png.error().message;
  const int w = png->width;
  const int h = png->height;
  // Browser on the left (about 280 px), four panes in the rest.
  const int left = 300;
  const int midX = left + (w - left) / 2;
  const int midY = 40 + (h - 40) / 2;
  EXPECT_GT(distinctIn(*png, 0, 40, left - 20, h / 3), 3u) << "browser text";
  EXPECT_GT(distinctIn(*png, left, 40, midX, midY), 40u) << "axial pane: " << out;
  EXPECT_GT(distinctIn(*png, midX, 40, w, midY), 40u) << "coronal pane: " << out;
  EXPECT_GT(distinctIn(*png, left, midY, midX, h), 40u) << "sagittal pane: " << out;
  EXPECT_GT(distinctIn(*png, midX, midY, w, h), 40u) << "3D pane: " << out;
}

TEST(CliRender, EveryViewOfASeries) {
  CONFRERE_DATA_OR_SKIP(series, "dicom/mr/series_brain_20");
  for (const char* view : {"axial", "coronal", "sagittal", "oblique", "mip", "minip", "vr"}) {
    const auto out = test::outputDir() / (std::string(view) + ".png");
    ASSERT_EQ(run(exe() + " render '" + series.string() + "' --view " + view + " --out " + out.string() +
                  " --size 200x160"), 0) << view;
    auto png = imaging::readPng(out);
    ASSERT_TRUE(png.ok()) << view;
    EXPECT_GT(distinctLevels(png.value()), 20u) << view << ": " << out;
  }
  EXPECT_EQ(run(exe() + " render '" + series.string() + "' --view nope --out /dev/null 2>/dev/null"), 2);
}

TEST(CliRender, EcgLayouts) {
  CONFRERE_DATA_OR_SKIP(ecg, "ecg/HL7_aECG_Example.xml");
  for (const char* layout : {"3x4+1", "6x2", "12x1"}) {
    const auto out = test::outputDir() / (std::string("ecg-") + layout + ".png");
    ASSERT_EQ(run(exe() + " render '" + ecg.string() + "' --view ecg --ecg-layout " + layout + " --out " +
                  out.string() + " --size 800x600"), 0) << layout;
    auto png = imaging::readPng(out);
    ASSERT_TRUE(png.ok());
    EXPECT_GT(distinctLevels(png.value()), 5u) << layout;
  }
}

TEST(CliHeadless, VersionAndHelpNeedNoDisplay) {
  EXPECT_EQ(run("env -u DISPLAY " + exe() + " --version >/dev/null"), 0);
  EXPECT_EQ(run("env -u DISPLAY " + exe() + " --help >/dev/null"), 0);
}

}  // namespace
}  // namespace confrere
