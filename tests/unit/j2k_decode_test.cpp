// JPEG 2000 and HTJ2K decoding through OpenJPEG, fed the way the DICOM
// loader feeds it: a frame's fragments pulled out of the file with DCMTK.
// Lossless files must equal their uncompressed twins sample for sample, lossy
// ones stay near a lossless version, and damaged or hostile codestreams fail
// with a message that names the frame, never with a crash.
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_frame.h"
#include "j2k_decode.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

using detail::decodeJ2kFrame;
using detail::J2kExpect;
using detail::J2kStreamInfo;
using Bytes = std::vector<std::uint8_t>;

// What the loader takes from a JPEG 2000 file: the header values that become
// J2kExpect and the fragments after the Basic Offset Table (item 0).
struct EncapsulatedFile {
  std::string transferSyntax;
  J2kExpect expect;
  int bitsStored = 0;
  std::vector<Bytes> fragments;

  // A single-frame file may split its codestream over several fragments.
  Bytes codestream() const {
    Bytes all;
    for (const Bytes& f : fragments) all.insert(all.end(), f.begin(), f.end());
    return all;
  }
};

int getUint16(DcmItem& item, const DcmTagKey& tag, int fallback) {
  Uint16 v = 0;
  return item.findAndGetUint16(tag, v).good() ? static_cast<int>(v) : fallback;
}

// `salvage`: go on with what DCMTK parsed when the file ends early, as the
// broken files need; otherwise a read error is an error.
Result<EncapsulatedFile> readEncapsulated(const std::filesystem::path& path, bool salvage = false) {
  registerDicomCodecs();  // for its side effect: DCMTK's warnings off, as in the application
  DcmFileFormat file;
  const OFCondition loaded = file.loadFile(path.c_str());
  if (loaded.bad() && !salvage) {
    return makeError(ErrorCode::Corrupt, path.string() + ": " + loaded.text());
  }
  DcmDataset& ds = *file.getDataset();
  EncapsulatedFile out;
  OFString uid;
  file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, uid);
  out.transferSyntax = uid.c_str();
  out.expect.rows = getUint16(ds, DCM_Rows, 0);
  out.expect.columns = getUint16(ds, DCM_Columns, 0);
  out.expect.samplesPerPixel = getUint16(ds, DCM_SamplesPerPixel, 1);
  out.expect.bitsAllocated = getUint16(ds, DCM_BitsAllocated, 0);
  out.expect.isSigned = getUint16(ds, DCM_PixelRepresentation, 0) == 1;
  out.bitsStored = getUint16(ds, DCM_BitsStored, 0);
  DcmElement* element = nullptr;
  auto* pixels = ds.findAndGetElement(DCM_PixelData, element).good() ? dynamic_cast<DcmPixelData*>(element) : nullptr;
  DcmPixelSequence* sequence = nullptr;
  if (pixels == nullptr || pixels->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, sequence).bad() ||
      sequence == nullptr) {
    return makeError(ErrorCode::Corrupt, path.string() + ": no encapsulated Pixel Data");
  }
  for (unsigned long i = 1; i < sequence->card(); ++i) {
    DcmPixelItem* item = nullptr;
    Uint8* bytes = nullptr;
    if (sequence->getItem(item, i).bad() || item == nullptr || item->getUint8Array(bytes).bad() || bytes == nullptr) {
      return makeError(ErrorCode::Corrupt, path.string() + ": fragment " + std::to_string(i) + " unreadable");
    }
    out.fragments.emplace_back(bytes, bytes + item->getLength());
  }
  if (out.fragments.empty()) return makeError(ErrorCode::Corrupt, path.string() + ": no fragment");
  return out;
}

// The uncompressed twin's samples, interleaved like the decoder's output.
// 16-bit samples come back as words in DCMTK's host order, 8-bit as bytes.
struct NativePixels {
  std::vector<std::uint16_t> words;
  Bytes bytes;
};

Result<NativePixels> readNative(const std::filesystem::path& path) {
  registerDicomCodecs();
  DcmFileFormat file;
  if (OFCondition c = file.loadFile(path.c_str()); c.bad()) {
    return makeError(ErrorCode::Corrupt, path.string() + ": " + c.text());
  }
  DcmDataset& ds = *file.getDataset();
  NativePixels out;
  if (getUint16(ds, DCM_BitsAllocated, 0) == 16) {
    const Uint16* words = nullptr;
    unsigned long count = 0;
    if (ds.findAndGetUint16Array(DCM_PixelData, words, &count).bad() || words == nullptr) {
      return makeError(ErrorCode::Corrupt, path.string() + ": no 16-bit Pixel Data");
    }
    out.words.assign(words, words + count);
    return out;
  }
  const Uint8* bytes = nullptr;
  unsigned long count = 0;
  if (ds.findAndGetUint8Array(DCM_PixelData, bytes, &count).bad() || bytes == nullptr) {
    return makeError(ErrorCode::Corrupt, path.string() + ": no 8-bit Pixel Data");
  }
  out.bytes.assign(bytes, bytes + count);
  // Planar Configuration 1 stores RRR...GGG...BBB: interleave it.
  const int samples = getUint16(ds, DCM_SamplesPerPixel, 1);
  if (samples > 1 && getUint16(ds, DCM_PlanarConfiguration, 0) == 1) {
    const std::size_t plane = out.bytes.size() / static_cast<std::size_t>(samples);
    Bytes interleaved(out.bytes.size());
    for (std::size_t i = 0; i < plane; ++i) {
      for (std::size_t s = 0; s < static_cast<std::size_t>(samples); ++s) {
        interleaved[i * static_cast<std::size_t>(samples) + s] = out.bytes[s * plane + i];
      }
    }
    out.bytes = std::move(interleaved);
  }
  return out;
}

// The decoder's little-endian 16-bit output as words.
std::vector<std::uint16_t> words(const Bytes& bytes) {
  std::vector<std::uint16_t> out(bytes.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  }
  return out;
}

// Where SIZ keeps what the hostile-input tests change: after SOC (2 bytes),
// the marker and Lsiz (4), Rsiz (2), eight 32-bit sizes and Csiz (2) come
// three bytes per component: Ssiz (sign bit, precision - 1), XRsiz, YRsiz.
constexpr std::size_t kSizXsiz = 8;
constexpr std::size_t kSizYsiz = 12;
constexpr std::size_t kSizComponent = 42;

void putBigEndian32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

void appendBox(Bytes& out, const char* type, const Bytes& body) {
  const std::size_t at = out.size();
  out.resize(at + 4);
  putBigEndian32(out, at, static_cast<std::uint32_t>(8 + body.size()));
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), body.begin(), body.end());
}

// A minimal JP2 file around a one-component codestream, as some writers put
// into DICOM although the standard asks for the bare codestream.
Bytes wrapInJp2(const Bytes& codestream, std::uint32_t width, std::uint32_t height, std::uint8_t ssiz) {
  Bytes jp2;
  appendBox(jp2, "jP  ", {0x0D, 0x0A, 0x87, 0x0A});
  appendBox(jp2, "ftyp", {'j', 'p', '2', ' ', 0, 0, 0, 0, 'j', 'p', '2', ' '});
  Bytes ihdr(14, 0);
  putBigEndian32(ihdr, 0, height);
  putBigEndian32(ihdr, 4, width);
  ihdr[9] = 1;  // one component
  ihdr[10] = ssiz;
  ihdr[11] = 7;  // compression type: JPEG 2000
  Bytes header;
  appendBox(header, "ihdr", ihdr);
  appendBox(header, "colr", {1, 0, 0, 0, 0, 0, 17});  // enumerated colour space 17: greyscale
  appendBox(jp2, "jp2h", header);
  appendBox(jp2, "jp2c", codestream);
  return jp2;
}

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(J2kDecode, TransferSyntaxes) {
  for (const char* uid :
       {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93",
        "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"}) {
    EXPECT_TRUE(detail::isJpeg2000TransferSyntax(uid)) << uid;
  }
  // JPIP (no pixels in the file), JPEG, JPEG-LS, RLE, near misses.
  for (const char* uid : {"1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95", "1.2.840.10008.1.2.4.50",
                          "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.9",
                          "1.2.840.10008.1.2.4.900", "1.2.840.10008.1.2.4.204", "", "1.2.840.10008.1.2.4.90 "}) {
    EXPECT_FALSE(detail::isJpeg2000TransferSyntax(uid)) << uid;
  }
  // The corpus files say what the loader will be asked.
  for (const char* path : {"dicom/compressed/MR_small_jp2klossless.dcm", "dicom/compressed/HTJ2K_08_RGB.dcm"}) {
    CONFRERE_DATA_OR_SKIP(file, path);
    auto f = readEncapsulated(file);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_TRUE(detail::isJpeg2000TransferSyntax(f->transferSyntax)) << f->transferSyntax;
  }
}

TEST(J2kDecode, LosslessGreyEqualsTheUncompressedTwin) {
  CONFRERE_DATA_OR_SKIP(compressed, "dicom/compressed/MR_small_jp2klossless.dcm");
  auto f = readEncapsulated(compressed);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->expect.bitsAllocated, 16);
  ASSERT_TRUE(f->expect.isSigned);
  auto twin = readNative(test::dataFile("dicom/mr/MR_small.dcm"));
  ASSERT_TRUE(twin.ok()) << twin.error().message;

  J2kStreamInfo info;
  const Bytes stream = f->codestream();
  auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, "MR_small", &info);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->size(), 64u * 64u * 2u);
  EXPECT_EQ(words(*decoded), twin->words);
  EXPECT_FALSE(info.jp2Boxes);
  EXPECT_FALSE(info.colourTransform);
  EXPECT_EQ(info.precision, 16);
  EXPECT_TRUE(info.isSigned);
}

TEST(J2kDecode, LosslessColourEqualsTheUncompressedTwin) {
  // US1_J2KR is YBR_RCT: OpenJPEG undoes the reversible colour transform and
  // the result must be the RGB of the twin (Planar Configuration 0).
  CONFRERE_DATA_OR_SKIP(compressed, "dicom/compressed/US1_J2KR.dcm");
  auto f = readEncapsulated(compressed);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_GT(f->fragments.size(), 1u) << "meant to cover a codestream split over fragments";
  auto twin = readNative(test::dataFile("dicom/color/US1_UNCR.dcm"));
  ASSERT_TRUE(twin.ok()) << twin.error().message;

  J2kStreamInfo info;
  const Bytes stream = f->codestream();
  auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, "US1", &info);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->size(), 640u * 480u * 3u);
  EXPECT_TRUE(*decoded == twin->bytes) << "RGB differs from US1_UNCR";
  EXPECT_TRUE(info.colourTransform);
  EXPECT_EQ(info.precision, 8);
  EXPECT_FALSE(info.isSigned);
}

TEST(J2kDecode, SignedComponentsComeOutInTwosComplement) {
  // US1 with its components marked signed: nothing is level-shifted any more,
  // so each sample decodes to (RGB - 128), exactly in [-128, 127]. That gives a
  // lossless signed image with negative values to check both output widths.
  CONFRERE_DATA_OR_SKIP(compressed, "dicom/compressed/US1_J2KR.dcm");
  auto f = readEncapsulated(compressed);
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto twin = readNative(test::dataFile("dicom/color/US1_UNCR.dcm"));
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  Bytes stream = f->codestream();
  for (std::size_t c = 0; c < 3; ++c) {
    ASSERT_EQ(stream[kSizComponent + 3 * c], 0x07) << "expected unsigned 8-bit components";
    stream[kSizComponent + 3 * c] = 0x87;
  }
  J2kExpect expect = f->expect;
  expect.isSigned = true;

  auto eight = decodeJ2kFrame(stream.data(), stream.size(), expect, "signed 8");
  ASSERT_TRUE(eight.ok()) << eight.error().message;
  ASSERT_EQ(eight->size(), twin->bytes.size());
  std::size_t wrong8 = 0;
  for (std::size_t i = 0; i < twin->bytes.size(); ++i) {
    wrong8 += static_cast<std::uint8_t>(twin->bytes[i] ^ 0x80u) != (*eight)[i];
  }
  EXPECT_EQ(wrong8, 0u);

  // In 16 bits the sign is extended: -1 is FFFF, not 00FF.
  expect.bitsAllocated = 16;
  auto sixteen = decodeJ2kFrame(stream.data(), stream.size(), expect, "signed 16");
  ASSERT_TRUE(sixteen.ok()) << sixteen.error().message;
  const std::vector<std::uint16_t> w = words(*sixteen);
  ASSERT_EQ(w.size(), twin->bytes.size());
  std::size_t wrong16 = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    wrong16 += static_cast<std::int16_t>(w[i]) != static_cast<int>(twin->bytes[i]) - 128;
  }
  EXPECT_EQ(wrong16, 0u);
}

TEST(J2kDecode, Jp2BoxesDecodeLikeTheBareCodestream) {
  CONFRERE_DATA_OR_SKIP(compressed, "dicom/compressed/MR_small_jp2klossless.dcm");
  auto f = readEncapsulated(compressed);
  ASSERT_TRUE(f.ok()) << f.error().message;
  const Bytes bare = f->codestream();
  auto expected = decodeJ2kFrame(bare.data(), bare.size(), f->expect, "bare");
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  Bytes jp2 = wrapInJp2(bare, 64, 64, bare[kSizComponent]);
  J2kStreamInfo info;
  auto decoded = decodeJ2kFrame(jp2.data(), jp2.size(), f->expect, "jp2", &info);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(info.jp2Boxes);
  EXPECT_TRUE(*decoded == *expected);
  // DICOM pads odd fragments with a zero byte.
  jp2.push_back(0);
  auto padded = decodeJ2kFrame(jp2.data(), jp2.size(), f->expect, "jp2 padded");
  ASSERT_TRUE(padded.ok()) << padded.error().message;
  EXPECT_TRUE(*padded == *expected);
}

TEST(J2kDecode, LossyGreyFilesKeepTheirSizeAndRange) {
  // No uncompressed twins: each decodes to its header's size, within the
  // range of Bits Stored and Pixel Representation, and is not flat.
  for (const char* path :
       {"dicom/compressed/MR2_J2KI.dcm", "dicom/compressed/RG3_J2KI.dcm", "dicom/compressed/JPEG2000_NM1_J2KI.dcm"}) {
    CONFRERE_DATA_OR_SKIP(file, path);
    auto f = readEncapsulated(file);
    ASSERT_TRUE(f.ok()) << f.error().message;
    J2kStreamInfo info;
    const Bytes stream = f->codestream();
    auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, path, &info);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const std::size_t pixels = static_cast<std::size_t>(f->expect.columns) * static_cast<std::size_t>(f->expect.rows);
    ASSERT_EQ(decoded->size(), pixels * 2) << path;
    EXPECT_EQ(info.precision, f->bitsStored) << path;
    EXPECT_EQ(info.isSigned, f->expect.isSigned) << path;
    const int lo = f->expect.isSigned ? -(1 << (f->bitsStored - 1)) : 0;
    const int hi = f->expect.isSigned ? (1 << (f->bitsStored - 1)) - 1 : (1 << f->bitsStored) - 1;
    int minimum = hi;
    int maximum = lo;
    std::set<int> distinct;
    for (std::uint16_t w : words(*decoded)) {
      const int v = f->expect.isSigned ? static_cast<std::int16_t>(w) : w;
      minimum = std::min(minimum, v);
      maximum = std::max(maximum, v);
      distinct.insert(v);
    }
    EXPECT_GE(minimum, lo) << path;
    EXPECT_LE(maximum, hi) << path;
    EXPECT_GT(distinct.size(), 100u) << path << ": " << minimum << ".." << maximum;
  }
}

TEST(J2kDecode, LossyNuclearMedicineStaysNearItsLosslessTwin) {
  // NM1 exists as lossless JPEG too (decoded by DCMTK through the loader).
  // At 2097:1 the lossy one is far from exact, but close on average; its
  // signed samples (some below zero) go through the two's complement path.
  CONFRERE_DATA_OR_SKIP(compressed, "dicom/compressed/JPEG2000_NM1_J2KI.dcm");
  auto f = readEncapsulated(compressed);
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto twin = loadDicomFrame(test::dataFile("dicom/compressed/JPEG-LL_NM1.dcm"));
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  const Bytes stream = f->codestream();
  auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, "NM1");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const std::vector<std::uint16_t> w = words(*decoded);
  const float* reference = twin->image.grayData();
  const std::size_t n = w.size();
  ASSERT_EQ(n, static_cast<std::size_t>(twin->image.width) * static_cast<std::size_t>(twin->image.height));
  double referenceMean = 0;
  for (std::size_t i = 0; i < n; ++i) referenceMean += static_cast<double>(reference[i]);
  referenceMean /= static_cast<double>(n);
  // Against a flat guess at the mean: a decode that scrambled, shifted or
  // misread the sign would do no better.
  double error = 0;
  double flatError = 0;
  double covariance = 0;
  double decodedVariance = 0;
  double referenceVariance = 0;
  bool negative = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = static_cast<std::int16_t>(w[i]);
    const double r = static_cast<double>(reference[i]);
    negative = negative || v < 0;
    error += std::abs(v - r);
    flatError += std::abs(r - referenceMean);
    covariance += (v - referenceMean) * (r - referenceMean);
    decodedVariance += (v - referenceMean) * (v - referenceMean);
    referenceVariance += (r - referenceMean) * (r - referenceMean);
  }
  const double correlation = covariance / std::sqrt(decodedVariance * referenceVariance);
  EXPECT_TRUE(negative) << "meant to cover negative samples";
  EXPECT_LT(error, 0.5 * flatError);
  EXPECT_GT(correlation, 0.9);
}

TEST(J2kDecode, HtJ2kLosslessAndLossyDecode) {
  CONFRERE_DATA_OR_SKIP(losslessPath, "dicom/compressed/HTJ2KLossless_08_RGB.dcm");
  auto losslessFile = readEncapsulated(losslessPath);
  auto lossyFile = readEncapsulated(test::dataFile("dicom/compressed/HTJ2K_08_RGB.dcm"));
  ASSERT_TRUE(losslessFile.ok()) << losslessFile.error().message;
  ASSERT_TRUE(lossyFile.ok()) << lossyFile.error().message;
  J2kStreamInfo info;
  const Bytes a = losslessFile->codestream();
  const Bytes b = lossyFile->codestream();
  auto lossless = decodeJ2kFrame(a.data(), a.size(), losslessFile->expect, "HTJ2K lossless", &info);
  auto lossy = decodeJ2kFrame(b.data(), b.size(), lossyFile->expect, "HTJ2K lossy");
  ASSERT_TRUE(lossless.ok()) << lossless.error().message;
  ASSERT_TRUE(lossy.ok()) << lossy.error().message;
  ASSERT_EQ(lossless->size(), 640u * 480u * 3u);
  ASSERT_EQ(lossy->size(), lossless->size());
  EXPECT_TRUE(info.colourTransform);

  // No uncompressed twin: a colour picture, not grey, flat or swapped-out.
  std::size_t greyPixels = 0;
  std::set<std::uint32_t> colours;
  for (std::size_t i = 0; i < lossless->size(); i += 3) {
    const std::uint8_t r = (*lossless)[i];
    const std::uint8_t g = (*lossless)[i + 1];
    const std::uint8_t bl = (*lossless)[i + 2];
    greyPixels += r == g && g == bl;
    colours.insert(static_cast<std::uint32_t>(r << 16 | g << 8 | bl));
  }
  EXPECT_LT(greyPixels, lossless->size() / 3 / 2);
  EXPECT_GT(colours.size(), 1000u);

  // The same picture lossy: close on average, different somewhere.
  double sum = 0;
  int worst = 0;
  for (std::size_t i = 0; i < lossless->size(); ++i) {
    const int d = std::abs(static_cast<int>((*lossless)[i]) - static_cast<int>((*lossy)[i]));
    sum += d;
    worst = std::max(worst, d);
  }
  const double mean = sum / static_cast<double>(lossless->size());
  EXPECT_LT(mean, 3.0);
  EXPECT_LE(worst, 32);
  EXPECT_GT(mean, 0.0) << "lossy must differ somewhere";
}

TEST(J2kDecode, LoaderDecodesLikeTheUncompressedTwins) {
  // The same files through loadDicomFrame: the loader's fragment handling
  // and its use of the decoder, not only the decoder.
  for (const auto& [compressedPath, plainPath] :
       {std::pair{"dicom/compressed/MR_small_jp2klossless.dcm", "dicom/mr/MR_small.dcm"},
        std::pair{"dicom/compressed/US1_J2KR.dcm", "dicom/color/US1_UNCR.dcm"}}) {
    CONFRERE_DATA_OR_SKIP(compressed, compressedPath);
    auto a = loadDicomFrame(compressed);
    auto b = loadDicomFrame(test::dataFile(plainPath));
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(a->image.format, b->image.format) << compressedPath;
    EXPECT_TRUE(a->image.bytes == b->image.bytes) << compressedPath;
  }
}

TEST(J2kDecode, BrokenFilesFailWithTheirName) {
  {
    // Sequence delimiter bytes (FE FF DD E0) written over SIZ: OpenJPEG
    // reads an absurd width and tile count.
    CONFRERE_DATA_OR_SKIP(file, "broken/JPEG2000-embedded-sequence-delimiter.dcm");
    auto f = readEncapsulated(file);
    ASSERT_TRUE(f.ok()) << f.error().message;
    const std::string what = file.filename().string() + " frame 0";
    const Bytes stream = f->codestream();
    auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, what);
    ASSERT_FALSE(decoded.ok());
    EXPECT_TRUE(decoded.error().code == ErrorCode::Corrupt || decoded.error().code == ErrorCode::Unsupported)
        << toString(decoded.error().code);
    EXPECT_TRUE(startsWith(decoded.error().message, what)) << decoded.error().message;
    auto loaded = loadDicomFrame(file);
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find(file.filename().string()), std::string::npos) << loaded.error().message;
  }
  {
    // Ten frames whose Pixel Data ends without its sequence delimiter: the
    // loader refuses the file, naming it.
    CONFRERE_DATA_OR_SKIP(file, "broken/emri_small_jpeg_2k_lossless_too_short.dcm");
    auto loaded = loadDicomFrame(file);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, ErrorCode::Corrupt);
    EXPECT_NE(loaded.error().message.find(file.filename().string()), std::string::npos) << loaded.error().message;
  }
}

TEST(J2kDecode, TheTooShortFileLosesNoCodestream) {
  // What is damaged there is the DICOM encoding, not JPEG 2000: salvaged, its
  // ten codestreams (12 bits stored, one fragment each) equal the frames of
  // the uncompressed twin. Should the file ever be read leniently, this says
  // the pixels can be trusted.
  CONFRERE_DATA_OR_SKIP(file, "broken/emri_small_jpeg_2k_lossless_too_short.dcm");
  auto f = readEncapsulated(file, /*salvage=*/true);
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto twin = readNative(test::dataFile("dicom/multiframe/emri_small.dcm"));
  ASSERT_TRUE(twin.ok()) << twin.error().message;
  ASSERT_EQ(f->fragments.size(), 10u);
  const std::size_t frameWords = 64 * 64;
  ASSERT_EQ(twin->words.size(), frameWords * 10);
  for (std::size_t i = 0; i < f->fragments.size(); ++i) {
    const Bytes& fragment = f->fragments[i];
    auto decoded = decodeJ2kFrame(fragment.data(), fragment.size(), f->expect, "frame " + std::to_string(i));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const std::vector<std::uint16_t> expected(twin->words.begin() + static_cast<std::ptrdiff_t>(i * frameWords),
                                              twin->words.begin() + static_cast<std::ptrdiff_t>((i + 1) * frameWords));
    EXPECT_TRUE(words(*decoded) == expected) << "frame " << i;
  }
}

TEST(J2kDecode, GarbageAndEmptyInputAreCorrupt) {
  const J2kExpect expect{64, 64, 1, 16, true};
  const Bytes garbage(300, 0x5A);
  auto a = decodeJ2kFrame(garbage.data(), garbage.size(), expect, "garbage");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::Corrupt);
  EXPECT_TRUE(startsWith(a.error().message, "garbage: ")) << a.error().message;
  EXPECT_NE(a.error().message.find("5A 5A"), std::string::npos) << a.error().message;

  // The right first marker, then nonsense.
  Bytes marker = garbage;
  marker[0] = 0xFF;
  marker[1] = 0x4F;
  marker[2] = 0xFF;
  marker[3] = 0x51;
  auto b = decodeJ2kFrame(marker.data(), marker.size(), expect, "nonsense");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::Corrupt);
  EXPECT_TRUE(startsWith(b.error().message, "nonsense: ")) << b.error().message;

  for (std::size_t size : {0u, 1u, 3u}) {
    auto c = decodeJ2kFrame(size == 0 ? nullptr : marker.data(), size, expect, "short");
    ASSERT_FALSE(c.ok()) << size;
    EXPECT_EQ(c.error().code, ErrorCode::Corrupt) << size;
  }
}

TEST(J2kDecode, TruncatedCodestreamsAreCorrupt) {
  // Strict decoding: a cut anywhere after the main header is an error, not a
  // picture with missing detail.
  for (const char* path : {"dicom/compressed/MR_small_jp2klossless.dcm", "dicom/compressed/US1_J2KR.dcm",
                           "dicom/compressed/HTJ2KLossless_08_RGB.dcm"}) {
    CONFRERE_DATA_OR_SKIP(file, path);
    auto f = readEncapsulated(file);
    ASSERT_TRUE(f.ok()) << f.error().message;
    const Bytes whole = f->codestream();
    for (std::size_t keep : {whole.size() / 2, whole.size() / 8, whole.size() - 100, std::size_t{60}}) {
      const Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(keep));
      auto decoded = decodeJ2kFrame(cut.data(), cut.size(), f->expect, "cut");
      ASSERT_FALSE(decoded.ok()) << path << " cut to " << keep << " of " << whole.size() << " bytes decoded";
      EXPECT_EQ(decoded.error().code, ErrorCode::Corrupt) << decoded.error().message;
      EXPECT_TRUE(startsWith(decoded.error().message, "cut: ")) << decoded.error().message;
    }
  }
}

TEST(J2kDecode, HeaderMismatchesAreUnsupported) {
  CONFRERE_DATA_OR_SKIP(file, "dicom/compressed/MR_small_jp2klossless.dcm");
  auto f = readEncapsulated(file);
  ASSERT_TRUE(f.ok()) << f.error().message;
  const Bytes stream = f->codestream();
  struct Case {
    const char* name;
    J2kExpect expect;
  };
  for (const Case& c : {Case{"columns", {63, 64, 1, 16, true}}, Case{"rows", {64, 65, 1, 16, true}},
                        Case{"samples", {64, 64, 3, 16, true}}, Case{"16 bits into 8", {64, 64, 1, 8, true}},
                        Case{"12 bits allocated", {64, 64, 1, 12, true}}, Case{"5 samples", {64, 64, 5, 16, true}}}) {
    auto decoded = decodeJ2kFrame(stream.data(), stream.size(), c.expect, c.name);
    ASSERT_FALSE(decoded.ok()) << c.name;
    EXPECT_EQ(decoded.error().code, ErrorCode::Unsupported) << c.name << ": " << decoded.error().message;
    EXPECT_TRUE(startsWith(decoded.error().message, std::string(c.name) + ": ")) << decoded.error().message;
  }
}

TEST(J2kDecode, SubsampledComponentsAreUnsupported) {
  CONFRERE_DATA_OR_SKIP(file, "dicom/compressed/US1_J2KR.dcm");
  auto f = readEncapsulated(file);
  ASSERT_TRUE(f.ok()) << f.error().message;
  Bytes stream = f->codestream();
  // Component 1 (first chroma) at half horizontal resolution.
  ASSERT_EQ(stream[kSizComponent + 3 + 1], 1);
  stream[kSizComponent + 3 + 1] = 2;
  auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, "subsampled");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::Unsupported) << decoded.error().message;
  EXPECT_NE(decoded.error().message.find("subsampled"), std::string::npos) << decoded.error().message;
}

TEST(J2kDecode, HostileSizesAreRefusedBeforeDecoding) {
  CONFRERE_DATA_OR_SKIP(file, "dicom/compressed/MR_small_jp2klossless.dcm");
  auto f = readEncapsulated(file);
  ASSERT_TRUE(f.ok()) << f.error().message;
  Bytes stream = f->codestream();
  // A header and a codestream that agree on a frame no one should decode:
  // refused on the numbers alone, without 65535 x 65535 x 4 overflowing.
  for (const J2kExpect& expect : {J2kExpect{65535, 65535, 4, 16, false}, J2kExpect{40000, 40000, 1, 16, true}}) {
    auto decoded = decodeJ2kFrame(stream.data(), stream.size(), expect, "huge");
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, ErrorCode::TooLarge) << decoded.error().message;
    EXPECT_TRUE(startsWith(decoded.error().message, "huge: ")) << decoded.error().message;
  }
  // A codestream claiming 4 billion columns for a 64 x 64 header.
  putBigEndian32(stream, kSizXsiz, 0xFFFFFFF0u);
  putBigEndian32(stream, kSizYsiz, 64);
  auto decoded = decodeJ2kFrame(stream.data(), stream.size(), f->expect, "wide");
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.error().code == ErrorCode::Corrupt || decoded.error().code == ErrorCode::Unsupported)
      << decoded.error().message;
  EXPECT_TRUE(startsWith(decoded.error().message, "wide: ")) << decoded.error().message;
}

TEST(J2kDecode, DamagedBytesNeverCrash) {
  // Fixed-seed byte damage over a real codestream: every outcome is either a
  // frame of the right size or an error naming it. Run under ASan to mean
  // more; here it guards against crashes and hangs.
  CONFRERE_DATA_OR_SKIP(file, "dicom/compressed/US1_J2KR.dcm");
  auto f = readEncapsulated(file);
  ASSERT_TRUE(f.ok()) << f.error().message;
  const Bytes whole = f->codestream();
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int failures = 0;
  for (int round = 0; round < 40; ++round) {
    Bytes damaged = whole;
    for (int k = 0; k < 4; ++k) {
      // Half the damage in the first 200 bytes, where the headers are.
      const std::size_t at = (k % 2 == 0) ? next() % 200 : next() % damaged.size();
      damaged[at] = static_cast<std::uint8_t>(next());
    }
    auto decoded = decodeJ2kFrame(damaged.data(), damaged.size(), f->expect, "damaged");
    if (decoded.ok()) {
      EXPECT_EQ(decoded->size(), 640u * 480u * 3u);
    } else {
      ++failures;
      EXPECT_TRUE(startsWith(decoded.error().message, "damaged: ")) << decoded.error().message;
    }
  }
  EXPECT_GT(failures, 0) << "damage that never fails is not reaching the decoder";
}

}  // namespace
}  // namespace confrere::imaging
