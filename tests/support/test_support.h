// Shared test helpers: the public corpus, the output folder, image
// comparison with failure artefacts, and a GL context fixture.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "confrere/imaging/image.h"

namespace confrere::test {

// The public test corpus: $CONFRERE_TEST_DATA, else ../shared/data next to
// the source tree. Empty when absent.
std::filesystem::path dataDir();

// dataDir() / relative; skips the current test with a clear message when the
// corpus is absent (returns an empty path then).
#define CONFRERE_DATA_OR_SKIP(var, relative)                                                        \
  const std::filesystem::path var = ::confrere::test::dataFile(relative);                           \
  if (var.empty()) {                                                                                \
    GTEST_SKIP() << "test corpus not found (set CONFRERE_TEST_DATA): needs " << (relative);         \
  }
std::filesystem::path dataFile(const std::string& relative);

// A folder for this test's artefacts: $CONFRERE_TEST_OUTPUT or
// <build>/test-output, plus the suite and test name.
std::filesystem::path outputDir();

// Compares two Rgba8/Rgb8 images channel by channel. Passes when every
// channel differs by at most `tolerance` grey levels. On failure writes
// NAME-actual.png, NAME-expected.png and NAME-diff.png (differences
// amplified x8, red where beyond tolerance) to outputDir() and returns a
// message listing the worst pixel, the count beyond tolerance and the paths.
::testing::AssertionResult imagesMatch(const imaging::Image& actual, const imaging::Image& expected, int tolerance,
                                       const std::string& name);

// Converts an Rgb8 image to Rgba8 (alpha 255); Rgba8 passes through.
imaging::Image toRgba(const imaging::Image& image);

// A hidden OpenGL 3.3 context (under Xvfb when there is no display) shared by
// the tests of one suite. Without a context the tests are skipped, except in
// CI (CI set in the environment) where that is a failure: GL tests must run.
class GlTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  void SetUp() override;
  static std::string s_problem;
};

}  // namespace confrere::test
