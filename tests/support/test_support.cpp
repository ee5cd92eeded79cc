#include "test_support.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "confrere/imaging/image_io.h"
#include "render/context.h"

namespace confrere::test {
namespace fs = std::filesystem;

fs::path dataDir() {
  std::error_code ec;
  if (const char* env = std::getenv("CONFRERE_TEST_DATA"); env != nullptr && *env != '\0') {
    return fs::is_directory(env, ec) ? fs::path(env) : fs::path();
  }
  const fs::path fallback = fs::path(CONFRERE_SOURCE_DIR) / ".." / "shared" / "data";
  return fs::is_directory(fallback, ec) ? fs::canonical(fallback, ec) : fs::path();
}

fs::path dataFile(const std::string& relative) {
  const fs::path dir = dataDir();
  if (dir.empty()) return {};
  return dir / relative;
}

fs::path outputDir() {
  fs::path base;
  if (const char* env = std::getenv("CONFRERE_TEST_OUTPUT"); env != nullptr && *env != '\0') {
    base = env;
  } else {
    base = fs::path(CONFRERE_BINARY_DIR) / "test-output";
  }
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info != nullptr) {
    base /= std::string(info->test_suite_name()) + "." + info->name();
  }
  std::error_code ec;
  fs::create_directories(base, ec);
  return base;
}

imaging::Image toRgba(const imaging::Image& image) {
  if (image.format == imaging::PixelFormat::Rgba8) return image;
  imaging::Image out = imaging::Image::allocate(image.width, image.height, imaging::PixelFormat::Rgba8);
  const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
  for (std::size_t i = 0; i < n; ++i) {
    out.bytes[i * 4 + 0] = image.bytes[i * 3 + 0];
    out.bytes[i * 4 + 1] = image.bytes[i * 3 + 1];
    out.bytes[i * 4 + 2] = image.bytes[i * 3 + 2];
    out.bytes[i * 4 + 3] = 255;
  }
  return out;
}

::testing::AssertionResult imagesMatch(const imaging::Image& actualIn, const imaging::Image& expectedIn, int tolerance,
                                       const std::string& name) {
  if (actualIn.width != expectedIn.width || actualIn.height != expectedIn.height) {
    return ::testing::AssertionFailure() << name << ": size " << actualIn.width << "x" << actualIn.height
                                         << " differs from expected " << expectedIn.width << "x" << expectedIn.height;
  }
  const imaging::Image actual = toRgba(actualIn);
  const imaging::Image expected = toRgba(expectedIn);
  imaging::Image diff = imaging::Image::allocate(actual.width, actual.height, imaging::PixelFormat::Rgba8);
  int worst = 0;
  int worstX = 0;
  int worstY = 0;
  long long beyond = 0;
  for (int y = 0; y < actual.height; ++y) {
    for (int x = 0; x < actual.width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * actual.width + x) * 4;
      int d = 0;
      for (int c = 0; c < 3; ++c) {
        d = std::max(d, std::abs(int(actual.bytes[i + c]) - int(expected.bytes[i + c])));
      }
      if (d > worst) {
        worst = d;
        worstX = x;
        worstY = y;
      }
      const auto level = static_cast<std::uint8_t>(std::min(255, d * 8));
      diff.bytes[i + 0] = d > tolerance ? 255 : level;
      diff.bytes[i + 1] = d > tolerance ? 0 : level;
      diff.bytes[i + 2] = d > tolerance ? 0 : level;
      diff.bytes[i + 3] = 255;
      if (d > tolerance) ++beyond;
    }
  }
  if (beyond == 0) {
    return ::testing::AssertionSuccess();
  }
  const fs::path dir = outputDir();
  const fs::path a = dir / (name + "-actual.png");
  const fs::path e = dir / (name + "-expected.png");
  const fs::path d = dir / (name + "-diff.png");
  (void)imaging::writePng(a, actual);
  (void)imaging::writePng(e, expected);
  (void)imaging::writePng(d, diff);
  return ::testing::AssertionFailure() << name << ": " << beyond << " pixel(s) beyond tolerance " << tolerance
                                       << "; worst difference " << worst << " at (" << worstX << ", " << worstY
                                       << ")\n  actual:   " << a.string() << "\n  expected: " << e.string()
                                       << "\n  diff:     " << d.string();
}

namespace {
std::unique_ptr<render::HeadlessDisplay> g_display;
std::unique_ptr<render::GlContext> g_context;
}  // namespace

std::string GlTest::s_problem;

void GlTest::SetUpTestSuite() {
  s_problem.clear();
  try {
    g_display = std::make_unique<render::HeadlessDisplay>();
    if (!g_display->problem().empty()) {
      s_problem = g_display->problem();
      return;
    }
    render::ContextOptions options;
    options.width = 64;
    options.height = 64;
    options.visible = false;
    options.debug = true;
    g_context = std::make_unique<render::GlContext>(options);
  } catch (const std::exception& e) {
    s_problem = e.what();
  }
}

void GlTest::TearDownTestSuite() {
  g_context.reset();
  g_display.reset();
}

void GlTest::SetUp() {
  if (!s_problem.empty()) {
    if (std::getenv("CI") != nullptr) {
      FAIL() << "no OpenGL context in CI (GL tests must run under Xvfb): " << s_problem;
    }
    GTEST_SKIP() << "no OpenGL context: " << s_problem;
  }
  g_context->makeCurrent();
}

}  // namespace confrere::test
