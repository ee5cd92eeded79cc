#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"
#include "synthetic_dicom.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

struct Loaded {
  MediaCatalog catalog;
  std::vector<SeriesVolume> series;
};

Loaded scan(const std::filesystem::path& path) {
  auto catalog = scanMedia(path);
  EXPECT_TRUE(catalog.ok());
  Loaded l{std::move(catalog).value(), {}};
  l.series = assembleSeries(l.catalog.objects);
  return l;
}

TEST(VolumeLoad, SyntheticValuesLandInSortedPlace) {
  test::SyntheticSeries s;
  s.writeInReverse = true;
  s.rescaleIntercept = -1024;
  const auto dir = test::outputDir() / "series";
  test::writeSyntheticSeries(dir, s);
  Loaded l = scan(dir);
  ASSERT_EQ(l.series.size(), 1u);
  auto volume = loadVolume(l.series[0], l.catalog.objects);
  ASSERT_TRUE(volume.ok()) << volume.error().message;
  const Volume& v = *volume.value();
  EXPECT_EQ(v.type, VoxelType::Int16);
  EXPECT_EQ(v.units, "HU");
  for (int z = 0; z < s.slices; ++z) {
    for (int y = 0; y < s.rows; y += 5) {
      for (int x = 0; x < s.columns; x += 3) {
        ASSERT_DOUBLE_EQ(v.valueAt(x, y, z), s.value(x, y, z) - 1024.0) << x << "," << y << "," << z;
      }
    }
  }
}

TEST(VolumeLoad, JpegLsLosslessEqualsUncompressed) {
  test::SyntheticSeries plain;
  plain.value = [](int x, int y, int z) { return (x * 37 + y * 101 + z * 7919) % 4000 - 1000; };
  test::SyntheticSeries jls = plain;
  jls.transferSyntax = "1.2.840.10008.1.2.4.80";
  const auto dir = test::outputDir();
  test::writeSyntheticSeries(dir / "plain", plain);
  test::writeSyntheticSeries(dir / "jls", jls);
  Loaded a = scan(dir / "plain");
  Loaded b = scan(dir / "jls");
  ASSERT_EQ(b.catalog.objects.front().transferSyntaxUid, "1.2.840.10008.1.2.4.80");
  auto va = loadVolume(a.series.at(0), a.catalog.objects);
  auto vb = loadVolume(b.series.at(0), b.catalog.objects);
  ASSERT_TRUE(va.ok() && vb.ok());
  ASSERT_EQ(va.value()->voxels.size(), vb.value()->voxels.size());
  EXPECT_EQ(0, std::memcmp(va.value()->voxels.data(), vb.value()->voxels.data(), va.value()->voxels.size()));
}

TEST(VolumeLoad, OverBudgetIsAClearErrorBeforeAllocating) {
  test::SyntheticSeries s;
  const auto dir = test::outputDir() / "series";
  test::writeSyntheticSeries(dir, s);
  Loaded l = scan(dir);
  VolumeLoadOptions options;
  options.memoryBudgetBytes = 1000;  // 12 x 16 x 5 x 2 bytes = 1920
  bool allocated = false;
  options.onAllocated = [&](const std::shared_ptr<const Volume>&) { allocated = true; };
  auto volume = loadVolume(l.series.at(0), l.catalog.objects, options);
  ASSERT_FALSE(volume.ok());
  EXPECT_EQ(volume.error().code, ErrorCode::TooLarge);
  EXPECT_NE(volume.error().message.find("memory budget"), std::string::npos) << volume.error().message;
  EXPECT_FALSE(allocated);
}

TEST(VolumeLoad, ProgressFirstSliceEarlyAndCancellation) {
  test::SyntheticSeries s;
  s.slices = 12;
  const auto dir = test::outputDir() / "series";
  test::writeSyntheticSeries(dir, s);
  Loaded l = scan(dir);
  VolumeLoadOptions options;
  options.threads = 2;
  std::mutex mutex;
  std::vector<int> order;
  std::shared_ptr<const Volume> early;
  bool firstWasReady = false;
  options.onAllocated = [&](const std::shared_ptr<const Volume>& v) { early = v; };
  options.onSliceReady = [&](int z) {
    std::lock_guard lock(mutex);
    if (order.empty()) firstWasReady = early && early->sliceReady(z) && !early->sliceReady(-1);
    order.push_back(z);
  };
  TaskControl control;
  std::atomic<std::size_t> reports{0};
  control.onProgress = [&](const ProgressSnapshot&) { ++reports; };
  auto volume = loadVolume(l.series.at(0), l.catalog.objects, options, &control);
  ASSERT_TRUE(volume.ok()) << volume.error().message;
  EXPECT_EQ(order.size(), 12u);
  EXPECT_TRUE(firstWasReady) << "a slice is readable as soon as it is reported";
  EXPECT_EQ(control.snapshot().done, 12u);
  EXPECT_GE(reports.load(), 12u);

  TaskControl cancelled;
  cancelled.cancel();
  auto none = loadVolume(l.series.at(0), l.catalog.objects, {}, &cancelled);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::Cancelled);
}

TEST(VolumeLoad, RealCtMatchesSingleFrameDecode) {
  CONFRERE_DATA_OR_SKIP(dir, "dicom/ct/series_ct_3slice");
  Loaded l = scan(dir);
  ASSERT_EQ(l.series.size(), 1u);
  auto volume = loadVolume(l.series[0], l.catalog.objects);
  ASSERT_TRUE(volume.ok()) << volume.error().message;
  const Volume& v = *volume.value();
  for (int z = 0; z < v.depth(); ++z) {
    const auto& obj = l.catalog.objects[l.series[0].slices[static_cast<std::size_t>(z)].object];
    auto frame = loadDicomFrame(obj.path);
    ASSERT_TRUE(frame.ok());
    const float* expected = frame->image.grayData();
    for (int i = 0; i < v.width() * v.height(); i += 97) {
      ASSERT_DOUBLE_EQ(v.valueAt(i % v.width(), i / v.width(), z), expected[i]) << "slice " << z << " pixel " << i;
    }
  }
}

TEST(VolumeLoad, EnhancedJpegLsEqualsNative) {
  CONFRERE_DATA_OR_SKIP(native, "dicom/multiframe/emri_small.dcm");
  Loaded a = scan(native);
  Loaded b = scan(test::dataFile("dicom/multiframe/emri_small_jpeg_ls_lossless.dcm"));
  ASSERT_EQ(a.series.size(), b.series.size());
  for (std::size_t i = 0; i < a.series.size(); ++i) {
    auto va = loadVolume(a.series[i], a.catalog.objects);
    auto vb = loadVolume(b.series[i], b.catalog.objects);
    ASSERT_TRUE(va.ok()) << va.error().message;
    ASSERT_TRUE(vb.ok()) << vb.error().message;
    ASSERT_EQ(va.value()->voxels.size(), vb.value()->voxels.size());
    EXPECT_EQ(0, std::memcmp(va.value()->voxels.data(), vb.value()->voxels.data(), va.value()->voxels.size()));
  }
}

}  // namespace
}  // namespace confrere::imaging
