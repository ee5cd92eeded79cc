#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/image_io.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

// Mean absolute difference of two same-size Rgb8 images, per channel.
double meanDifference(const Image& a, const Image& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.bytes.size(); ++i) sum += std::abs(int(a.bytes[i]) - int(b.bytes[i]));
  return sum / static_cast<double>(a.bytes.size());
}

TEST(ExifOrientation, EveryValueComesOutUpright) {
  // The test cards hold the same picture stored in the 8 EXIF orientations;
  // once orientation is applied they must all match orientation 1.
  for (const char* layout : {"Landscape", "Portrait"}) {
    CONFRERE_DATA_OR_SKIP(reference, std::string("photos/exif_orientation/") + layout + "_1.jpg");
    auto upright = loadPhoto(reference);
    ASSERT_TRUE(upright.ok()) << upright.error().message;
    EXPECT_EQ(upright->exifOrientation, 1);
    for (int o = 2; o <= 8; ++o) {
      const auto path = test::dataFile(std::string("photos/exif_orientation/") + layout + "_" + std::to_string(o) + ".jpg");
      auto photo = loadPhoto(path);
      ASSERT_TRUE(photo.ok()) << photo.error().message;
      EXPECT_EQ(photo->exifOrientation, o) << path;
      ASSERT_EQ(photo->image.width, upright->image.width) << path;
      ASSERT_EQ(photo->image.height, upright->image.height) << path;
      // JPEG re-encoding differs a little; a wrong rotation differs a lot.
      EXPECT_LT(meanDifference(photo->image, upright->image), 6.0) << path;
    }
  }
}

TEST(ExifOrientation, SkinLesionStoredRotatedIsShownUpright) {
  CONFRERE_DATA_OR_SKIP(path, "photos/derm/skin_lesion_exif_orientation_rot90.jpg");
  auto photo = loadPhoto(path);
  ASSERT_TRUE(photo.ok()) << photo.error().message;
  EXPECT_EQ(photo->exifOrientation, 6);
  EXPECT_EQ(photo->image.width, photo->storedHeight);
  EXPECT_EQ(photo->image.height, photo->storedWidth);
}

TEST(ApplyExifOrientation, SmallKnownImage) {
  // 2x1 image: red, green. Orientation 6 (rotate 90 clockwise) -> 1x2: red on top.
  Image src = Image::allocate(2, 1, PixelFormat::Rgb8);
  src.bytes = {255, 0, 0, 0, 255, 0};
  const Image cw = applyExifOrientation(src, 6);
  ASSERT_EQ(cw.width, 1);
  ASSERT_EQ(cw.height, 2);
  EXPECT_EQ(cw.bytes[0], 255);  // red first (top)
  const Image ccw = applyExifOrientation(src, 8);
  EXPECT_EQ(ccw.bytes[1], 255);  // green on top
  const Image mirror = applyExifOrientation(src, 2);
  EXPECT_EQ(mirror.bytes[1], 255);  // green left
}

TEST(LoadPhoto, TruncatedJpegIsAnErrorNotACrash) {
  CONFRERE_DATA_OR_SKIP(path, "broken/truncated.jpg");
  auto photo = loadPhoto(path);
  ASSERT_FALSE(photo.ok());
  EXPECT_EQ(photo.error().code, ErrorCode::Corrupt);
  EXPECT_NE(photo.error().message.find("truncated.jpg"), std::string::npos) << photo.error().message;
}

TEST(LoadPhoto, DicomIsNotAPhoto) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/CT_small.dcm");
  auto photo = loadPhoto(path);
  ASSERT_FALSE(photo.ok());
  EXPECT_EQ(photo.error().code, ErrorCode::Unsupported);
}

TEST(Png, RoundTrip) {
  Image image = Image::allocate(3, 2, PixelFormat::Rgba8);
  for (std::size_t i = 0; i < image.bytes.size(); ++i) image.bytes[i] = static_cast<std::uint8_t>(i * 10);
  const auto path = test::outputDir() / "roundtrip.png";
  ASSERT_TRUE(writePng(path, image).ok());
  auto back = readPng(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->bytes, image.bytes);
}

}  // namespace
}  // namespace confrere::imaging
