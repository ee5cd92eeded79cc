// GPU multiplanar reformats and volume rendering against the CPU reference.
// MPR tolerance: 0.5 % of the volume's value range (the GPU filters 16-bit
// normalised texels with reduced-precision weights; llvmpipe and real GPUs
// both stay well inside it).
#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/media.h"
#include "confrere/imaging/reslice.h"
#include "confrere/imaging/volume.h"
#include "render/offscreen.h"
#include "render/volume_renderer.h"
#include "synthetic_dicom.h"
#include "test_support.h"

namespace confrere::render {
namespace {

using imaging::PlaneView;
using imaging::SlabMode;

std::shared_ptr<imaging::Volume> syntheticVolume(const test::SyntheticSeries& s, const std::string& name) {
  const auto dir = test::outputDir() / name;
  test::writeSyntheticSeries(dir, s);
  auto catalog = imaging::scanMedia(dir);
  EXPECT_TRUE(catalog.ok());
  const auto series = imaging::assembleSeries(catalog->objects);
  EXPECT_EQ(series.size(), 1u);
  auto volume = imaging::loadVolume(series.at(0), catalog->objects);
  EXPECT_TRUE(volume.ok());
  return volume.value();
}

test::SyntheticSeries smoothSeries() {
  test::SyntheticSeries s;
  s.rows = 40;
  s.columns = 48;
  s.slices = 24;
  s.pixelSpacingMm = {0.8, 0.8};
  s.sliceSpacingMm = 2.0;
  // A smooth field with a bright ball: trilinear sampling is meaningful.
  s.value = [](int x, int y, int z) {
    const double dx = x - 20.0;
    const double dy = y - 18.0;
    const double dz = (z - 12.0) * 2.5;
    const double r = std::sqrt(dx * dx + dy * dy + dz * dz);
    return static_cast<int>(1024 + 40 + 10 * x - 7 * y + 13 * z + (r < 10 ? 900 : 0));
  };
  return s;
}

double maxDifference(const imaging::DisplayFrame& a, const imaging::DisplayFrame& b) {
  double worst = 0;
  const float* pa = a.image.grayData();
  const float* pb = b.image.grayData();
  for (std::size_t i = 0; i < static_cast<std::size_t>(a.image.width) * a.image.height; ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(pa[i]) - static_cast<double>(pb[i])));
  }
  return worst;
}

class VolumeRenderTest : public test::GlTest {};

TEST_F(VolumeRenderTest, MprPlanesEqualCpuTrilinearReslice) {
  auto volume = syntheticVolume(smoothSeries(), "smooth");
  ShaderLibrary shaders;
  VolumeTexture texture;
  texture.upload(*volume);
  ASSERT_EQ(texture.reduction(), 1);
  MprRenderer mpr(shaders);
  const double range = static_cast<double>(texture.maxValue() - texture.minValue());
  struct Case {
    PlaneView view;
    double position;
    const char* name;
  };
  for (const Case& c : {Case{PlaneView::Axial, 7, "axial"}, Case{PlaneView::Coronal, 18.5, "coronal"},
                        Case{PlaneView::Sagittal, 20.25, "sagittal"}, Case{PlaneView::Oblique, 3.0, "oblique"}}) {
    const imaging::Plane plane = imaging::standardPlane(*volume, c.view, c.position, {25.0, -10.0});
    const auto gpu = mpr.reslice(texture, *volume, plane);
    const auto cpu = imaging::reslice(*volume, plane);
    ASSERT_EQ(gpu.image.width, cpu.image.width);
    ASSERT_EQ(gpu.image.height, cpu.image.height);
    EXPECT_LE(maxDifference(gpu, cpu), 0.005 * range) << c.name << " (range " << range << ")";
  }
}

TEST_F(VolumeRenderTest, ThickSlabMipAndMinIpEqualCpu) {
  auto volume = syntheticVolume(smoothSeries(), "smooth");
  ShaderLibrary shaders;
  VolumeTexture texture;
  texture.upload(*volume);
  MprRenderer mpr(shaders);
  const double range = static_cast<double>(texture.maxValue() - texture.minValue());
  const imaging::Plane plane = imaging::standardPlane(*volume, PlaneView::Axial, 12);
  for (SlabMode mode : {SlabMode::Mip, SlabMode::MinIp, SlabMode::Average}) {
    const auto gpu = mpr.reslice(texture, *volume, plane, mode, 7);
    const auto cpu = imaging::reslice(*volume, plane, mode, 7);
    EXPECT_LE(maxDifference(gpu, cpu), 0.005 * range) << static_cast<int>(mode);
  }
  // The MIP really is the maximum: brighter than the single slice somewhere.
  const auto single = imaging::reslice(*volume, plane);
  const auto mip = imaging::reslice(*volume, plane, SlabMode::Mip, 7);
  EXPECT_GT(*mip.maxValue, *single.maxValue - 1e-6);
}

TEST_F(VolumeRenderTest, TooLargeForTheBudgetIsReducedAndSaysSo) {
  auto volume = syntheticVolume(smoothSeries(), "smooth");
  VolumeTexture texture;
  const std::size_t full = volume->voxels.size();
  texture.upload(*volume, full / 4);  // does not fit at full size
  EXPECT_EQ(texture.reduction(), 2);
  EXPECT_EQ(texture.textureDims()[0], 24);
  EXPECT_EQ(texture.textureDims()[2], 12);
  ShaderLibrary shaders;
  MprRenderer mpr(shaders);
  const imaging::Plane plane = imaging::standardPlane(*volume, PlaneView::Axial, 12);
  const auto gpu = mpr.reslice(texture, *volume, plane);
  const auto cpu = imaging::reslice(*volume, plane);
  // A reduced level is close, not equal: within 10 % of the range, away from the ball's edge.
  const double tolerance = 0.1 * static_cast<double>(texture.maxValue() - texture.minValue());
  EXPECT_LE(std::abs(static_cast<double>(gpu.image.grayData()[5 * 48 + 40] - cpu.image.grayData()[5 * 48 + 40])), tolerance);
}

TEST_F(VolumeRenderTest, VolumeRenderingShowsTheBone) {
  test::SyntheticSeries s = smoothSeries();
  s.value = [](int x, int y, int z) {
    const double dx = x - 24.0;
    const double dy = y - 20.0;
    const double dz = (z - 12.0) * 2.5;
    return std::sqrt(dx * dx + dy * dy + dz * dz) < 12 ? 1024 + 1200 : 1024 - 1000;  // bone ball in air
  };
  auto volume = syntheticVolume(s, "ball");
  ShaderLibrary shaders;
  VolumeTexture texture;
  texture.upload(*volume);
  VolumeRayCaster caster(shaders);
  OffscreenTarget target(64, 64);
  target.bind();
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  VrParams params;
  params.preset = "ct-bone";
  caster.draw(texture, *volume, 64, 64, params);
  const imaging::Image image = target.read();
  const auto at = [&](int x, int y) { return image.bytes[(static_cast<std::size_t>(y) * 64 + x) * 4]; };
  EXPECT_GT(at(32, 32), 100) << "the ball is bright in the middle";
  EXPECT_EQ(at(1, 1), 0) << "air is transparent";
  EXPECT_THROW(caster.draw(texture, *volume, 64, 64, VrParams{"nope", 0, 0, 1}), std::invalid_argument);
}

TEST(OrientationLetters, FromDirectionCosines) {
  EXPECT_EQ(imaging::orientationLetters({1, 0, 0}), "L");
  EXPECT_EQ(imaging::orientationLetters({-1, 0, 0}), "R");
  EXPECT_EQ(imaging::orientationLetters({0, 1, 0}), "P");
  EXPECT_EQ(imaging::orientationLetters({0, -1, 0}), "A");
  EXPECT_EQ(imaging::orientationLetters({0, 0, 1}), "H");
  EXPECT_EQ(imaging::orientationLetters({0, 0, -1}), "F");
  EXPECT_EQ(imaging::orientationLetters({0.866, 0.5, 0}), "LP");
  EXPECT_EQ(imaging::orientationLetters({0.1, -0.2, -0.97}), "F");
}

TEST_F(VolumeRenderTest, PlanesCarryTheRightOrientation) {
  // Standard axial: screen right is the patient's left, screen down posterior;
  // coronal: down toward the feet; sagittal: right is posterior.
  test::SyntheticSeries s = smoothSeries();
  auto axial = syntheticVolume(s, "axial");
  auto letters = [](const imaging::Plane& p) {
    return imaging::orientationLetters(p.rightLps) + "/" + imaging::orientationLetters(p.downLps);
  };
  EXPECT_EQ(letters(imaging::standardPlane(*axial, PlaneView::Axial, 0)), "L/P");
  EXPECT_EQ(letters(imaging::standardPlane(*axial, PlaneView::Coronal, 0)), "L/F");
  EXPECT_EQ(letters(imaging::standardPlane(*axial, PlaneView::Sagittal, 0)), "P/F");
  // An acquisition rotated 30 degrees in the axial plane.
  s.rowDirection = {0.866025, 0.5, 0};
  s.columnDirection = {-0.5, 0.866025, 0};
  auto oblique = syntheticVolume(s, "rotated");
  EXPECT_EQ(letters(imaging::standardPlane(*oblique, PlaneView::Axial, 0)), "LP/PR");
  // A coronal acquisition: its stored slices show head up already.
  s.rowDirection = {1, 0, 0};
  s.columnDirection = {0, 0, -1};
  auto coronal = syntheticVolume(s, "coronal");
  EXPECT_EQ(letters(imaging::standardPlane(*coronal, PlaneView::Axial, 0)), "L/F");
}

}  // namespace
}  // namespace confrere::render
