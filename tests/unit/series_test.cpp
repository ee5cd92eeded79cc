// Geometry round trips: synthetic series written with known origin, spacing
// and orientation must come back exactly, and irregular ones must say so.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "confrere/imaging/media.h"
#include "confrere/imaging/series.h"
#include "synthetic_dicom.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

std::vector<SeriesVolume> assembleDir(const std::filesystem::path& dir) {
  auto catalog = scanMedia(dir);
  EXPECT_TRUE(catalog.ok()) << (catalog.ok() ? "" : catalog.error().message);
  EXPECT_TRUE(catalog->errors.empty()) << catalog->errors.front().reason;
  return assembleSeries(catalog->objects);
}

bool hasWarning(const SeriesVolume& v, const std::string& text) {
  return std::any_of(v.warnings.begin(), v.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

void expectGeometry(const SeriesVolume& v, const test::SyntheticSeries& s) {
  EXPECT_EQ(v.dims[0], s.columns);
  EXPECT_EQ(v.dims[1], s.rows);
  EXPECT_EQ(v.dims[2], s.slices);
  ASSERT_TRUE(v.spacingMm[0] && v.spacingMm[1] && v.spacingMm[2]);
  EXPECT_NEAR(*v.spacingMm[0], s.pixelSpacingMm[1], 1e-6);
  EXPECT_NEAR(*v.spacingMm[1], s.pixelSpacingMm[0], 1e-6);
  EXPECT_NEAR(*v.spacingMm[2], s.sliceSpacingMm, 1e-5);
  ASSERT_TRUE(v.originLps.has_value());
  for (int i = 0; i < 3; ++i) EXPECT_NEAR((*v.originLps)[i], s.originLps[i], 1e-5) << "origin " << i;
  ASSERT_TRUE(v.direction.has_value());
  const auto n = test::sliceNormal(s);
  const auto& d = *v.direction;
  for (int r = 0; r < 3; ++r) {
    EXPECT_NEAR(d[r * 3 + 0], s.rowDirection[r], 1e-6);
    EXPECT_NEAR(d[r * 3 + 1], s.columnDirection[r], 1e-6);
    EXPECT_NEAR(d[r * 3 + 2], n[r], 1e-6);
  }
  EXPECT_TRUE(v.geometryComplete);
}

TEST(SeriesGeometry, AxialRoundTrips) {
  test::SyntheticSeries s;
  const auto dir = test::outputDir() / "axial";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  expectGeometry(volumes[0], s);
  EXPECT_TRUE(volumes[0].warnings.empty()) << volumes[0].warnings.front();
  EXPECT_EQ(volumes[0].seriesUid, s.seriesUid);
}

TEST(SeriesGeometry, ReversedFileOrderSortsAlongTheNormal) {
  test::SyntheticSeries s;
  s.writeInReverse = true;
  const auto dir = test::outputDir() / "reversed";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  expectGeometry(volumes[0], s);
  for (std::size_t i = 1; i < volumes[0].slices.size(); ++i) {
    EXPECT_GT(volumes[0].slices[i].positionMm, volumes[0].slices[i - 1].positionMm);
  }
}

TEST(SeriesGeometry, CoronalRoundTrips) {
  test::SyntheticSeries s;
  s.rowDirection = {1, 0, 0};
  s.columnDirection = {0, 0, -1};  // normal = row x column = (0, 1, 0): slices advance posteriorly
  s.originLps = {-120, -30, 80};
  const auto dir = test::outputDir() / "coronal";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  expectGeometry(volumes[0], s);
  // Row-major direction with axes as columns: z axis (0, 1, 0).
  const auto& d = *volumes[0].direction;
  EXPECT_NEAR(d[2], 0.0, 1e-9);
  EXPECT_NEAR(d[5], 1.0, 1e-9);
  EXPECT_NEAR(d[8], 0.0, 1e-9);
}

TEST(SeriesGeometry, ObliqueRoundTrips) {
  test::SyntheticSeries s;
  const double c = std::cos(0.4);
  const double sn = std::sin(0.4);
  s.rowDirection = {c, sn, 0};
  s.columnDirection = {0, 0, -1};
  s.originLps = {10.25, -20.5, 30.125};
  s.sliceSpacingMm = 1.25;
  const auto dir = test::outputDir() / "oblique";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  expectGeometry(volumes[0], s);
  EXPECT_TRUE(volumes[0].warnings.empty()) << volumes[0].warnings.front();
}

TEST(SeriesGeometry, TiltedStackIsReported) {
  test::SyntheticSeries s;
  const auto n = test::sliceNormal(s);
  // Each slice shifts 0.5 mm along the rows as it advances 2.5 mm: ~11 degrees.
  s.step = std::array<double, 3>{n[0] * 2.5 + 0.5, n[1] * 2.5, n[2] * 2.5};
  const auto dir = test::outputDir() / "tilted";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_TRUE(hasWarning(volumes[0], "gantry tilt")) << ::testing::PrintToString(volumes[0].warnings);
  EXPECT_NEAR(*volumes[0].spacingMm[2], 2.5, 1e-5) << "spacing is measured along the normal";
}

TEST(SeriesGeometry, MissingSliceIsReportedAndSpacingNotInvented) {
  test::SyntheticSeries s;
  s.slices = 6;
  s.skipSlices = {3};
  const auto dir = test::outputDir() / "missing";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].dims[2], 5);
  EXPECT_NEAR(*volumes[0].spacingMm[2], 2.5, 1e-5);
  EXPECT_TRUE(hasWarning(volumes[0], "missing slice")) << ::testing::PrintToString(volumes[0].warnings);
  EXPECT_TRUE(hasWarning(volumes[0], "uneven"));
}

TEST(SeriesGeometry, MixedSizesSplitIntoStacks) {
  test::SyntheticSeries a;
  test::SyntheticSeries b;
  b.rows = 20;
  b.originLps = {-100, -80, 100};
  const auto dir = test::outputDir() / "mixed";
  test::writeSyntheticSeries(dir / "a", a);
  test::writeSyntheticSeries(dir / "b", b);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_TRUE(hasWarning(volumes[0], "mixed sizes"));
  EXPECT_NE(volumes[0].dims[1], volumes[1].dims[1]);
}

TEST(SeriesGeometry, SingleSliceTakesItsThicknessAndSaysSo) {
  test::SyntheticSeries s;
  s.slices = 1;
  s.sliceSpacingMm = 3.0;
  const auto dir = test::outputDir() / "single";
  test::writeSyntheticSeries(dir, s);
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 1u);
  ASSERT_TRUE(volumes[0].spacingMm[2].has_value());
  EXPECT_DOUBLE_EQ(*volumes[0].spacingMm[2], 3.0);
  EXPECT_TRUE(hasWarning(volumes[0], "Slice Thickness"));
}

TEST(SeriesGeometry, RealMultiSliceSeries) {
  CONFRERE_DATA_OR_SKIP(brain, "dicom/mr/series_brain_20");
  const auto volumes = assembleDir(brain);
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].dims[0], 256);
  EXPECT_EQ(volumes[0].dims[1], 256);
  EXPECT_EQ(volumes[0].dims[2], 20);
  ASSERT_TRUE(volumes[0].spacingMm[2].has_value());
  EXPECT_GT(*volumes[0].spacingMm[2], 4.0);  // 5 mm slices (with or without a gap)

  const auto ct = assembleDir(test::dataFile("dicom/ct/series_ct_3slice"));
  ASSERT_EQ(ct.size(), 1u);
  EXPECT_EQ(ct[0].dims[2], 3);
}

TEST(SeriesGeometry, EnhancedMultiFrameUsesPerFrameGeometry) {
  // Enhanced CT, 2 frames: orientation (-1,0,0 / 0,1,0) in the shared groups,
  // so the normal is (0,0,-1); per-frame positions z = -159 then -149. Along
  // the normal the second frame comes first.
  CONFRERE_DATA_OR_SKIP(path, "dicom/multiframe/eCT_Supplemental.dcm");
  auto catalog = scanMedia(path);
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->objects.size(), 1u);
  EXPECT_TRUE(catalog->objects[0].enhanced);
  const auto volumes = assembleSeries(catalog->objects);
  ASSERT_EQ(volumes.size(), 1u);
  const SeriesVolume& v = volumes[0];
  EXPECT_TRUE(v.geometryComplete);
  EXPECT_EQ(v.dims[2], 2);
  ASSERT_TRUE(v.spacingMm[2].has_value());
  EXPECT_NEAR(*v.spacingMm[2], 10.0, 1e-6);
  EXPECT_NEAR(*v.spacingMm[0], 0.388672, 1e-9);
  ASSERT_TRUE(v.originLps.has_value());
  EXPECT_NEAR((*v.originLps)[0], 99.5, 1e-9);
  EXPECT_NEAR((*v.originLps)[1], -301.5, 1e-9);
  EXPECT_NEAR((*v.originLps)[2], -149.0, 1e-9);
  EXPECT_EQ(v.slices[0].frame, 1);
  EXPECT_NEAR((*v.direction)[8], -1.0, 1e-9);
}

TEST(SeriesGeometry, RadialSlicesOfOneSeriesBecomeSeparateStacks) {
  // MR700 holds 7 slices of one series, each with its own orientation
  // (a radial localiser): never one volume.
  CONFRERE_DATA_OR_SKIP(dir, "dicom/dicomdir/pydicom_dicomdirtests/98892003/MR700");
  const auto volumes = assembleDir(dir);
  ASSERT_EQ(volumes.size(), 7u);
  for (const auto& v : volumes) {
    EXPECT_EQ(v.dims[2], 1);
    EXPECT_TRUE(hasWarning(v, "split into 7 stacks"));
  }
}

}  // namespace
}  // namespace confrere::imaging
