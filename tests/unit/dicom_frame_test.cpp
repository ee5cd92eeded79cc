#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "confrere/imaging/dicom_frame.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

std::vector<float> values(const DisplayFrame& f) {
  const float* p = f.image.grayData();
  return std::vector<float>(p, p + static_cast<std::size_t>(f.image.width) * f.image.height);
}

TEST(DicomFrame, SameCtInThreeTransferSyntaxesGivesSameHu) {
  CONFRERE_DATA_OR_SKIP(explicitLe, "dicom/ct/CT1_UNC_explicit_little_endian.dcm");
  auto a = loadDicomFrame(explicitLe);
  auto b = loadDicomFrame(test::dataFile("dicom/ct/CT1_UNC_implicit_little_endian.dcm"));
  auto c = loadDicomFrame(test::dataFile("dicom/ct/CT1_UNC_explicit_big_endian.dcm"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(a->image.width, 512);
  EXPECT_EQ(a->image.height, 512);
  EXPECT_EQ(a->units, "HU");
  EXPECT_EQ(values(a.value()), values(b.value()));
  EXPECT_EQ(values(a.value()), values(c.value()));
  // Padding (stored -2000, outside the field of view) stays -3024 HU but is
  // left out of the range; air in the field is about -1000 HU, and with
  // intercept -1024 nothing else can be below -1024.
  EXPECT_FLOAT_EQ(a->image.grayData()[0], -3024.0f);
  EXPECT_GE(*a->minValue, -1024.0);
  EXPECT_LT(*a->minValue, -900.0);
}

TEST(DicomFrame, LosslessCodecsEqualTheUncompressedTwin) {
  CONFRERE_DATA_OR_SKIP(plain, "dicom/mr/MR_small.dcm");
  auto reference = loadDicomFrame(plain);
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  for (const char* twin : {"dicom/compressed/MR_small_RLE.dcm", "dicom/compressed/MR_small_jpeg_ls_lossless.dcm",
                           "dicom/mr/MR_small_bigendian.dcm", "dicom/mr/MR_small_implicit.dcm"}) {
    auto decoded = loadDicomFrame(test::dataFile(twin));
    ASSERT_TRUE(decoded.ok()) << twin << ": " << decoded.error().message;
    EXPECT_EQ(values(decoded.value()), values(reference.value())) << twin;
  }
}

TEST(DicomFrame, EnhancedCtJpegLosslessEqualsNativeFrameByFrame) {
  CONFRERE_DATA_OR_SKIP(native, "dicom/multiframe/eCT_Supplemental.dcm");
  const auto jpeg = test::dataFile("dicom/compressed/CT0012_jpeg_lossless_57_multiframe.dcm");
  for (int f = 0; f < 2; ++f) {
    auto a = loadDicomFrame(native, f);
    auto b = loadDicomFrame(jpeg, f);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(values(a.value()), values(b.value())) << "frame " << f;
    EXPECT_EQ(a->units, "HU");
  }
}

TEST(DicomFrame, PlanarConfigurationDoesNotChangeColours) {
  CONFRERE_DATA_OR_SKIP(interleaved, "dicom/color/color-px.dcm");
  auto a = loadDicomFrame(interleaved);
  auto b = loadDicomFrame(test::dataFile("dicom/color/color-pl.dcm"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->image.bytes, b->image.bytes);
}

TEST(DicomFrame, YbrFull422IsCloseToYbrFull) {
  // Same picture, chroma subsampled by two horizontally: equal up to the
  // chroma difference between neighbours.
  CONFRERE_DATA_OR_SKIP(full, "dicom/color/SC_ybr_full_uncompressed.dcm");
  auto a = loadDicomFrame(full);
  auto b = loadDicomFrame(test::dataFile("dicom/color/SC_ybr_full_422_uncompressed.dcm"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(a->image.bytes.size(), b->image.bytes.size());
  double sum = 0;
  for (std::size_t i = 0; i < a->image.bytes.size(); ++i) sum += std::abs(int(a->image.bytes[i]) - int(b->image.bytes[i]));
  EXPECT_LT(sum / static_cast<double>(a->image.bytes.size()), 4.0);
}

TEST(DicomFrame, EveryCorpusImageDecodesOrSaysWhy) {
  CONFRERE_DATA_OR_SKIP(dir, "dicom");
  int decoded = 0;
  int failed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || !looksLikeDicom(entry.path()) || entry.path().filename() == "DICOMDIR") continue;
    auto frame = loadDicomFrame(entry.path());
    if (frame.ok()) {
      ++decoded;
      EXPECT_FALSE(frame->image.empty()) << entry.path();
    } else {
      ++failed;
      EXPECT_NE(frame.error().message.find(entry.path().filename().string()), std::string::npos)
          << frame.error().message;
    }
  }
  EXPECT_GT(decoded, 90);
}

TEST(DicomFrame, DeflatedImageFramesOfABitmapSegmentation) {
  // Deflated Image Frame Compression (1.2.840.10008.1.2.8.1), 1-bit frames:
  // unknown to DCMTK 3.6.7, decoded here. A liver mask: 0 outside, 1 inside.
  CONFRERE_DATA_OR_SKIP(path, "dicom/compressed/liver_deflate_frames.dcm");
  for (int f = 0; f < 3; ++f) {
    auto frame = loadDicomFrame(path, f);
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    std::size_t inside = 0;
    const float* samples = frame->image.grayData();
    for (std::size_t i = 0; i < 512u * 512u; ++i) {
      const float v = samples[i];
      ASSERT_TRUE(v == 0.0f || v == 1.0f) << v;
      inside += v == 1.0f ? 1 : 0;
    }
    EXPECT_GT(inside, 1000u) << "frame " << f;
    EXPECT_LT(inside, 512u * 512u / 2) << "frame " << f;
  }
}

TEST(DicomFrame, Monochrome1IsFlagged) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/xray/CR-MONO1-10-chest.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_TRUE(frame->monochrome1);
}

TEST(DicomFrame, WindowFromTheFile) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/series_ct_3slice/01.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  ASSERT_FALSE(frame->windows.empty());
  EXPECT_GE(frame->windows.front().width, 1.0);
  ASSERT_TRUE(frame->rowSpacingMm.has_value());
  EXPECT_GT(*frame->rowSpacingMm, 0.0);
}

TEST(DicomFrame, ColourIsDecodedToRgb) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/color/US1_UNCR.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_EQ(frame->image.format, PixelFormat::Rgb8);
}

TEST(DicomFrame, FrameOutOfRangeNamesTheValidRange) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/CT_small.dcm");
  auto frame = loadDicomFrame(path, 3);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(frame.error().message.find("valid 0..0"), std::string::npos) << frame.error().message;
}

TEST(DicomFrame, TruncatedPixelDataIsAnError) {
  CONFRERE_DATA_OR_SKIP(path, "broken/MR_truncated.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_FALSE(frame.ok());
  EXPECT_NE(frame.error().message.find("MR_truncated.dcm"), std::string::npos) << frame.error().message;
}

TEST(DicomFrame, MissingRowsIsAnError) {
  CONFRERE_DATA_OR_SKIP(path, "broken/dwv-test_no-number-rows.dcm");
  auto frame = loadDicomFrame(path);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, ErrorCode::Corrupt);
}

TEST(DicomFrame, EveryBrokenFileGivesAResultNotACrash) {
  CONFRERE_DATA_OR_SKIP(dir, "broken");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto frame = loadDisplayFrame(entry.path());
    if (!frame.ok()) {
      EXPECT_FALSE(frame.error().message.empty()) << entry.path();
      EXPECT_NE(frame.error().message.find(entry.path().filename().string()), std::string::npos)
          << "error must name the file: " << frame.error().message;
    }
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(DicomFrame, TextFileIsNotDicom) {
  const auto path = test::outputDir() / "notes.txt";
  { std::FILE* f = std::fopen(path.c_str(), "w"); std::fputs("not an image at all\n", f); std::fclose(f); }
  auto frame = loadDisplayFrame(path);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, ErrorCode::NotDicom);
}

}  // namespace
}  // namespace confrere::imaging
