// GPU-vs-CPU image tests. Tolerance: +-1 grey level per channel (float to
// 8-bit rounding may differ by one between the driver and the reference).
#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"
#include "render/image_renderer.h"
#include "render/offscreen.h"
#include "render/shader_library.h"
#include "test_support.h"

namespace confrere::render {
namespace {

using imaging::DisplayFrame;
using imaging::Image;
using imaging::PixelFormat;

// DICOM linear VOI (PS3.3 C.11.2.1.2) to 8 bits, the reference for the shader.
std::uint8_t voiReference(double x, double c, double w, bool invert) {
  double y = 0;
  if (w <= 1.0) {
    y = x <= c - 0.5 ? 0.0 : 1.0;
  } else if (x <= c - 0.5 - (w - 1) / 2) {
    y = 0.0;
  } else if (x > c - 0.5 + (w - 1) / 2) {
    y = 1.0;
  } else {
    y = (x - (c - 0.5)) / (w - 1) + 0.5;
  }
  if (invert) y = 1.0 - y;
  return static_cast<std::uint8_t>(std::lround(y * 255.0));
}

Image cpuWindowed(const DisplayFrame& f, const imaging::Window& w, bool invert) {
  Image out = Image::allocate(f.image.width, f.image.height, PixelFormat::Rgba8);
  const float* v = f.image.grayData();
  for (std::size_t i = 0; i < static_cast<std::size_t>(f.image.width) * f.image.height; ++i) {
    const std::uint8_t g = voiReference(v[i], w.center, w.width, invert);
    out.bytes[i * 4 + 0] = g;
    out.bytes[i * 4 + 1] = g;
    out.bytes[i * 4 + 2] = g;
    out.bytes[i * 4 + 3] = 255;
  }
  return out;
}

Image gpuRender(const DisplayFrame& frame, const ImageViewParams& params, int width, int height) {
  ShaderLibrary shaders;
  ImageRenderer renderer(shaders);
  renderer.setFrame(frame);
  OffscreenTarget target(width, height);
  target.bind();
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  renderer.draw(0, 0, width, height, params);
  return target.read();
}

class ImageRenderTest : public test::GlTest {};

TEST_F(ImageRenderTest, WindowLevelOn16BitCtEqualsCpuReference) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/CT1_UNC_explicit_little_endian.dcm");
  auto frame = imaging::loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  for (const imaging::Window& w : {imaging::Window{40, 400, "soft"}, imaging::Window{-600, 1500, "lung"},
                                   imaging::Window{480, 2500, "bone"}, imaging::Window{40, 80, "brain"}}) {
    ImageViewParams params;
    params.pixelExact = true;
    params.window = w;
    const Image gpu = gpuRender(frame.value(), params, frame->image.width, frame->image.height);
    EXPECT_TRUE(test::imagesMatch(gpu, cpuWindowed(frame.value(), w, false), 1, "ct-wl-" + w.explanation));
  }
}

TEST_F(ImageRenderTest, Monochrome1IsInverted) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/xray/CR-MONO1-10-chest.dcm");
  auto frame = imaging::loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  ASSERT_TRUE(frame->monochrome1);
  ImageViewParams params;
  params.pixelExact = true;
  params.window = frame->defaultWindow();
  const Image gpu = gpuRender(frame.value(), params, frame->image.width, frame->image.height);
  EXPECT_TRUE(test::imagesMatch(gpu, cpuWindowed(frame.value(), params.window, true), 1, "cr-mono1"));
  // And it is not the uninverted image.
  EXPECT_FALSE(test::imagesMatch(gpu, cpuWindowed(frame.value(), params.window, false), 1, "cr-mono1-not"));
}

TEST_F(ImageRenderTest, PhotoWithExifOrientation6IsShownUpright) {
  CONFRERE_DATA_OR_SKIP(path, "photos/derm/skin_lesion_exif_orientation_rot90.jpg");
  auto frame = imaging::loadDisplayFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  auto photo = imaging::loadPhoto(path);
  ASSERT_TRUE(photo.ok());
  ASSERT_EQ(photo->exifOrientation, 6);
  ASSERT_EQ(frame->image.width, photo->storedHeight) << "stored 450x600, shown 600x450";
  ASSERT_EQ(frame->image.height, photo->storedWidth);
  ImageViewParams params;
  params.pixelExact = true;
  const Image gpu = gpuRender(frame.value(), params, frame->image.width, frame->image.height);
  EXPECT_TRUE(test::imagesMatch(gpu, photo->image, 0, "photo-exif6"));
}

TEST_F(ImageRenderTest, FlipAndRotateMoveThePixelsAsExpected) {
  // 2x2 colour image: R G / B W.
  DisplayFrame frame;
  frame.image = Image::allocate(2, 2, PixelFormat::Rgb8);
  frame.image.bytes = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  auto at = [](const Image& img, int x, int y) {
    const std::size_t i = (static_cast<std::size_t>(y) * img.width + x) * 4;
    return std::array<int, 3>{img.bytes[i], img.bytes[i + 1], img.bytes[i + 2]};
  };
  const std::array<int, 3> red{255, 0, 0};
  const std::array<int, 3> green{0, 255, 0};
  const std::array<int, 3> blue{0, 0, 255};
  ImageViewParams params;
  params.pixelExact = true;
  EXPECT_EQ(at(gpuRender(frame, params, 2, 2), 0, 0), red);
  params.flipHorizontal = true;
  EXPECT_EQ(at(gpuRender(frame, params, 2, 2), 0, 0), green);
  params.flipHorizontal = false;
  params.flipVertical = true;
  EXPECT_EQ(at(gpuRender(frame, params, 2, 2), 0, 0), blue);
  params.flipVertical = false;
  params.rotateQuarterTurns = 1;  // clockwise: bottom-left (blue) goes to top-left
  EXPECT_EQ(at(gpuRender(frame, params, 2, 2), 0, 0), blue);
}

TEST_F(ImageRenderTest, FitKeepsAspectWithLetterbox) {
  DisplayFrame frame;
  frame.image = Image::allocate(4, 2, PixelFormat::Rgb8);
  std::fill(frame.image.bytes.begin(), frame.image.bytes.end(), 200);
  ImageViewParams params;
  const Image gpu = gpuRender(frame, params, 8, 8);
  // 4x2 fitted in 8x8 -> 8x4 band in the middle, black above and below.
  EXPECT_EQ(gpu.bytes[(0 * 8 + 4) * 4], 0);
  EXPECT_EQ(gpu.bytes[(4 * 8 + 4) * 4], 200);
  EXPECT_EQ(gpu.bytes[(7 * 8 + 4) * 4], 0);
}

TEST_F(ImageRenderTest, ShaderErrorNamesFileStageAndLine) {
  const std::string vs = "layout(location = 0) in vec2 a;\nvoid main() { gl_Position = vec4(a, 0, 1); }\n";
  const std::string fs = "out vec4 o;\nvoid main() {\n  o = vec4(undefinedThing);\n}\n";
  try {
    Program program("test.vert", vs, "broken.frag", fs);
    FAIL() << "a broken shader compiled";
  } catch (const ShaderError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("shaders/broken.frag"), std::string::npos) << what;
    EXPECT_NE(what.find("fragment"), std::string::npos) << what;
    EXPECT_NE(what.find("line 3"), std::string::npos) << what;
  }
}

TEST_F(ImageRenderTest, EveryEmbeddedShaderCompiles) {
  ShaderLibrary shaders;
  EXPECT_NO_THROW(shaders.program("image.vert", "image.frag"));
  EXPECT_THROW(shaderSource("missing.frag"), std::runtime_error);
}

}  // namespace
}  // namespace confrere::render
