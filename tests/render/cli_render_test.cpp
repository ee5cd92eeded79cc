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

TEST(CliHeadless, VersionAndHelpNeedNoDisplay) {
  EXPECT_EQ(run("env -u DISPLAY " + exe() + " --version >/dev/null"), 0);
  EXPECT_EQ(run("env -u DISPLAY " + exe() + " --help >/dev/null"), 0);
}

}  // namespace
}  // namespace confrere
