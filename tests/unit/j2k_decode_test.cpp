// JPEG 2000 and HTJ2K through OpenJPEG: lossless files equal their
// uncompressed twins, lossy ones stay within the codec's error, damaged
// ones fail with a message.
#include <gtest/gtest.h>

#include <cmath>

#include "confrere/imaging/dicom_frame.h"
#include "j2k_decode.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

TEST(J2k, LosslessGreyEqualsTheUncompressedTwin) {
  CONFRERE_DATA_OR_SKIP(plain, "dicom/mr/MR_small.dcm");
  auto a = loadDicomFrame(plain);
  auto b = loadDicomFrame(test::dataFile("dicom/compressed/MR_small_jp2klossless.dcm"));
  ASSERT_TRUE(a.ok() && b.ok()) << (b.ok() ? "" : b.error().message);
  EXPECT_EQ(a->image.bytes, b->image.bytes);
}

TEST(J2k, LosslessColourEqualsTheUncompressedTwin) {
  CONFRERE_DATA_OR_SKIP(plain, "dicom/color/US1_UNCR.dcm");
  auto a = loadDicomFrame(plain);
  auto b = loadDicomFrame(test::dataFile("dicom/compressed/US1_J2KR.dcm"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->image.format, PixelFormat::Rgb8);
  EXPECT_EQ(a->image.bytes, b->image.bytes);
}

TEST(J2k, LossyFilesDecodeWithPlausibleValues) {
  // Value bounds from each header: MR2 12-bit unsigned with slope 3.774114,
  // RG3 10-bit unsigned, NM1 16-bit signed.
  struct Case {
    const char* path;
    int columns;
    int rows;
    double lo;
    double hi;
  };
  for (const Case& c : {Case{"dicom/compressed/MR2_J2KI.dcm", 1024, 1024, 0.0, 4095 * 3.774114 + 1},
                        Case{"dicom/compressed/RG3_J2KI.dcm", 1760, 1760, 0.0, 1023.0},
                        Case{"dicom/compressed/JPEG2000_NM1_J2KI.dcm", 256, 1024, -32768.0, 32767.0}}) {
    CONFRERE_DATA_OR_SKIP(path, c.path);
    auto frame = loadDicomFrame(path);
    ASSERT_TRUE(frame.ok()) << c.path << ": " << frame.error().message;
    EXPECT_EQ(frame->image.width, c.columns) << c.path;
    EXPECT_EQ(frame->image.height, c.rows) << c.path;
    ASSERT_TRUE(frame->minValue && frame->maxValue);
    EXPECT_LT(*frame->minValue, *frame->maxValue) << c.path;
    EXPECT_GE(*frame->minValue, c.lo) << c.path;
    EXPECT_LE(*frame->maxValue, c.hi) << c.path;
  }
}

TEST(J2k, HtJ2kLossyIsCloseToLossless) {
  // The same picture in HTJ2K lossless and lossy: the lossy one is within a
  // few grey levels on average.
  CONFRERE_DATA_OR_SKIP(lossless, "dicom/compressed/HTJ2KLossless_08_RGB.dcm");
  auto a = loadDicomFrame(lossless);
  auto b = loadDicomFrame(test::dataFile("dicom/compressed/HTJ2K_08_RGB.dcm"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(a->image.bytes.size(), b->image.bytes.size());
  double sum = 0;
  for (std::size_t i = 0; i < a->image.bytes.size(); ++i) sum += std::abs(int(a->image.bytes[i]) - int(b->image.bytes[i]));
  const double mean = sum / static_cast<double>(a->image.bytes.size());
  EXPECT_LT(mean, 6.0);
  EXPECT_GT(mean, 0.0) << "lossy must differ somewhere";
}

TEST(J2k, DamagedDataFailsWithAMessage) {
  for (const char* path : {"broken/emri_small_jpeg_2k_lossless_too_short.dcm",
                           "broken/JPEG2000-embedded-sequence-delimiter.dcm"}) {
    CONFRERE_DATA_OR_SKIP(file, path);
    auto frame = loadDisplayFrame(file);
    if (!frame.ok()) {
      EXPECT_NE(frame.error().message.find(file.filename().string()), std::string::npos) << frame.error().message;
    }
  }
}

TEST(J2k, GarbageAndTruncatedCodestreams) {
  const detail::J2kExpect expect{64, 64, 1, 16, true};
  const std::vector<std::uint8_t> garbage(300, 0x5A);
  auto a = detail::decodeJ2kFrame(garbage.data(), garbage.size(), expect, "garbage");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::Corrupt);
  EXPECT_EQ(a.error().message.rfind("garbage", 0), 0u);
  // A real codestream cut in half.
  std::vector<std::uint8_t> soc{0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29};
  soc.resize(40, 0);
  auto b = detail::decodeJ2kFrame(soc.data(), soc.size(), expect, "cut");
  EXPECT_FALSE(b.ok());
  auto c = detail::decodeJ2kFrame(nullptr, 0, expect, "empty");
  EXPECT_FALSE(c.ok());
}

TEST(J2k, TransferSyntaxList) {
  EXPECT_TRUE(detail::isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.90"));
  EXPECT_TRUE(detail::isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.203"));
  EXPECT_FALSE(detail::isJpeg2000TransferSyntax("1.2.840.10008.1.2.4.80"));
}

}  // namespace
}  // namespace confrere::imaging
