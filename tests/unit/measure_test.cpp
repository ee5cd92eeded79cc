#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/dicom_object.h"
#include "confrere/imaging/measure.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

Calibration mm(double row, double column) {
  Calibration c;
  c.rowSpacingMm = row;
  c.columnSpacingMm = column;
  c.source = "Pixel Spacing";
  return c;
}

// 64x64 CT-like frame: -1000 HU everywhere, a disc of radius 10 at (32, 32)
// holding 40 HU on even columns and 60 HU on odd ones.
DisplayFrame discFrame() {
  DisplayFrame f;
  f.image = Image::allocate(64, 64, PixelFormat::Gray32F);
  f.units = "HU";
  float* v = f.image.grayData();
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      const bool inside = (x - 32) * (x - 32) + (y - 32) * (y - 32) <= 100;
      v[y * 64 + x] = inside ? (x % 2 == 0 ? 40.0f : 60.0f) : -1000.0f;
    }
  }
  return f;
}

TEST(Measure, LengthUsesEachAxisSpacing) {
  const Length l = measureLength({0, 0}, {30, 40}, mm(0.5, 0.25));
  EXPECT_DOUBLE_EQ(l.pixels, 50.0);
  ASSERT_TRUE(l.millimetres.has_value());
  EXPECT_DOUBLE_EQ(*l.millimetres, std::hypot(30 * 0.25, 40 * 0.5));
  const Length uncalibrated = measureLength({0, 0}, {3, 4}, Calibration{});
  EXPECT_FALSE(uncalibrated.millimetres.has_value());
  EXPECT_DOUBLE_EQ(uncalibrated.pixels, 5.0);
}

TEST(Measure, AngleInMillimetresOnNonSquarePixels) {
  // In pixels these rays look 45 degrees apart; with rows twice as tall as
  // columns are wide, the real angle is atan(2) = 63.43 degrees.
  EXPECT_NEAR(measureAngle({10, 0}, {0, 0}, {10, 10}, Calibration{}), 45.0, 1e-9);
  EXPECT_NEAR(measureAngle({10, 0}, {0, 0}, {10, 10}, mm(2.0, 1.0)), std::atan(2.0) * 180 / M_PI, 1e-9);
  EXPECT_NEAR(measureAngle({1, 0}, {0, 0}, {-1, 0}, mm(1, 1)), 180.0, 1e-9);
}

TEST(Measure, EllipseStatisticsEqualACpuComputation) {
  const DisplayFrame f = discFrame();
  auto s = ellipseStatistics(f, {32, 32}, 10, 10, mm(0.5, 0.5));
  ASSERT_TRUE(s.ok()) << s.error().message;
  // The ROI is exactly the disc: 317 pixel centres (Gauss circle r = 10).
  EXPECT_EQ(s->pixels, 317u);
  int even = 0;
  for (int y = 22; y <= 42; ++y)
    for (int x = 22; x <= 42; ++x)
      if ((x - 32) * (x - 32) + (y - 32) * (y - 32) <= 100 && x % 2 == 0) ++even;
  const double mean = (even * 40.0 + (317 - even) * 60.0) / 317.0;
  EXPECT_NEAR(s->mean, mean, 1e-9);
  const double variance = (even * (40 - mean) * (40 - mean) + (317 - even) * (60 - mean) * (60 - mean)) / 317.0;
  EXPECT_NEAR(s->sd, std::sqrt(variance), 1e-6);
  EXPECT_DOUBLE_EQ(s->min, 40.0);
  EXPECT_DOUBLE_EQ(s->max, 60.0);
  ASSERT_TRUE(s->areaMm2.has_value());
  EXPECT_NEAR(*s->areaMm2, M_PI * 10 * 10 * 0.25, 1e-9);
  EXPECT_EQ(s->units, "HU");
}

TEST(Measure, EllipseErrors) {
  const DisplayFrame f = discFrame();
  EXPECT_FALSE(ellipseStatistics(f, {32, 32}, 0, 5, Calibration{}).ok());
  EXPECT_FALSE(ellipseStatistics(f, {500, 500}, 3, 3, Calibration{}).ok());
  DisplayFrame colour;
  colour.image = Image::allocate(4, 4, PixelFormat::Rgb8);
  EXPECT_FALSE(ellipseStatistics(colour, {2, 2}, 1, 1, Calibration{}).ok());
}

TEST(Measure, CalibrationFromTheFile) {
  CONFRERE_DATA_OR_SKIP(ct, "dicom/ct/CT1_UNC_explicit_little_endian.dcm");
  auto info = readObjectInfo(ct);
  ASSERT_TRUE(info.ok());
  const Calibration c = calibrationOf(info.value());
  ASSERT_TRUE(c.calibrated());
  EXPECT_DOUBLE_EQ(*c.rowSpacingMm, 0.661468);  // dcmdump: PixelSpacing 0.661468\0.661468
  EXPECT_EQ(c.source, "Pixel Spacing");

  auto cr = readObjectInfo(test::dataFile("dicom/xray/CR-MONO1-10-chest.dcm"));
  ASSERT_TRUE(cr.ok());
  const Calibration none = calibrationOf(cr.value());
  EXPECT_FALSE(none.calibrated());
  EXPECT_EQ(none.source, "none");
}

TEST(Measure, ImagerPixelSpacingCarriesTheNote) {
  ObjectInfo dx;
  dx.imagerPixelSpacingMm = std::array<double, 2>{0.143, 0.143};
  dx.frameGeometry.emplace_back();
  const Calibration c = calibrationOf(dx);
  ASSERT_TRUE(c.calibrated());
  EXPECT_EQ(c.source, "Imager Pixel Spacing");
  EXPECT_NE(c.note.find("magnification"), std::string::npos);
}

}  // namespace
}  // namespace confrere::imaging
