#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmimage/diregist.h>  // colour support for DicomImage
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>

namespace confrere::imaging {
namespace {

std::string str(const std::filesystem::path& p) { return p.string(); }

OFString getString(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0) {
  OFString value;
  if (item.findAndGetOFString(tag, value, pos).bad()) {
    value.clear();
  }
  return value;
}

// Extracts the stored value at `index` from the raw little-endian words,
// honouring Bits Stored / High Bit / Pixel Representation.
struct StoredLayout {
  int bitsAllocated = 16;
  int bitsStored = 16;
  int highBit = 15;
  bool isSigned = false;
};

double storedToDouble(std::uint32_t raw, const StoredLayout& l) {
  const int shift = l.highBit + 1 - l.bitsStored;
  std::uint32_t v = raw >> shift;
  const std::uint32_t mask = l.bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << l.bitsStored) - 1u);
  v &= mask;
  if (l.isSigned && l.bitsStored < 32 && (v & (1u << (l.bitsStored - 1))) != 0) {
    return static_cast<double>(static_cast<std::int64_t>(v) - (std::int64_t{1} << l.bitsStored));
  }
  if (l.isSigned && l.bitsStored == 32) {
    return static_cast<double>(static_cast<std::int32_t>(v));
  }
  return static_cast<double>(v);
}

}  // namespace

void registerDicomCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Keep DCMTK quiet on stdout; our errors carry the context instead.
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

bool looksLikeDicom(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 132> head{};
  in.read(head.data(), head.size());
  const auto n = in.gcount();
  if (n >= 132 && std::memcmp(head.data() + 128, "DICM", 4) == 0) {
    return true;
  }
  // Raw dataset without preamble: first tag in group 0x0008 (or 0x0002),
  // little or big endian.
  if (n >= 8) {
    const auto b0 = static_cast<unsigned char>(head[0]);
    const auto b1 = static_cast<unsigned char>(head[1]);
    return (b0 == 0x08 && b1 == 0x00) || (b0 == 0x00 && b1 == 0x08) || (b0 == 0x02 && b1 == 0x00);
  }
  return false;
}

Result<DisplayFrame> loadDicomFrame(const std::filesystem::path& path, int frameIndex) {
  registerDicomCodecs();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError(ErrorCode::NotFound, str(path) + ": no such file");
  }
  DcmFileFormat file;
  const OFCondition cond = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
  if (cond.bad()) {
    return makeError(looksLikeDicom(path) ? ErrorCode::Corrupt : ErrorCode::NotDicom,
                     str(path) + ": cannot read DICOM: " + cond.text());
  }
  DcmDataset& ds = *file.getDataset();
  Uint16 rows = 0;
  Uint16 cols = 0;
  if (ds.findAndGetUint16(DCM_Rows, rows).bad() || ds.findAndGetUint16(DCM_Columns, cols).bad() || rows == 0 ||
      cols == 0) {
    return makeError(ErrorCode::Corrupt, str(path) + ": no image: Rows or Columns missing or zero");
  }
  Uint16 spp = 1;
  Uint16 bitsAllocated = 0;
  Uint16 bitsStored = 0;
  Uint16 highBit = 0;
  Uint16 pixelRep = 0;
  ds.findAndGetUint16(DCM_SamplesPerPixel, spp);
  ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
  if (ds.findAndGetUint16(DCM_BitsStored, bitsStored).bad()) {
    bitsStored = bitsAllocated;
  }
  if (ds.findAndGetUint16(DCM_HighBit, highBit).bad()) {
    highBit = static_cast<Uint16>(bitsStored > 0 ? bitsStored - 1 : 0);
  }
  ds.findAndGetUint16(DCM_PixelRepresentation, pixelRep);
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) {
    frames = 1;
  }
  if (frameIndex < 0 || frameIndex >= frames) {
    return makeError(ErrorCode::InvalidArgument, str(path) + ": frame " + std::to_string(frameIndex) +
                                                     " out of range (the object has " + std::to_string(frames) +
                                                     " frame(s), valid 0.." + std::to_string(frames - 1) + ")");
  }
  const std::string photometric = getString(ds, DCM_PhotometricInterpretation).c_str();
  const bool grey = spp == 1 && (photometric == "MONOCHROME1" || photometric == "MONOCHROME2" || photometric.empty());
  if (!ds.tagExists(DCM_PixelData)) {
    return makeError(ErrorCode::Corrupt, str(path) + ": no Pixel Data element");
  }

  DisplayFrame out;
  Float64 v = 0;
  if (ds.findAndGetFloat64(DCM_PixelSpacing, v, 0).good()) {
    out.rowSpacingMm = v;
    if (ds.findAndGetFloat64(DCM_PixelSpacing, v, 1).good()) {
      out.columnSpacingMm = v;
    }
  }
  const std::string modality = getString(ds, DCM_Modality).c_str();

  if (grey) {
    if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
      return makeError(ErrorCode::Unsupported,
                       str(path) + ": Bits Allocated " + std::to_string(bitsAllocated) + " not supported (8, 16 or 32)");
    }
    if (bitsStored == 0 || bitsStored > bitsAllocated || highBit >= bitsAllocated || highBit + 1 < bitsStored) {
      return makeError(ErrorCode::Corrupt, str(path) + ": inconsistent Bits Stored " + std::to_string(bitsStored) +
                                               " / High Bit " + std::to_string(highBit));
    }
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
        !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
      return makeError(ErrorCode::Unsupported, str(path) + ": cannot decode transfer syntax " +
                                                   DcmXfer(xfer).getXferName() + " (" + DcmXfer(xfer).getXferID() + ")");
    }
    DcmElement* element = nullptr;
    if (ds.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
      return makeError(ErrorCode::Corrupt, str(path) + ": Pixel Data unreadable");
    }
    const std::size_t pixelsPerFrame = static_cast<std::size_t>(rows) * cols;
    const std::size_t bytesPerSample = bitsAllocated / 8u;
    const std::size_t need = pixelsPerFrame * bytesPerSample * static_cast<std::size_t>(frameIndex + 1);
    if (element->getLength() < need) {
      return makeError(ErrorCode::Corrupt, str(path) + ": Pixel Data holds " + std::to_string(element->getLength()) +
                                               " bytes, frame " + std::to_string(frameIndex) + " needs " +
                                               std::to_string(need) + " (truncated file?)");
    }
    double slope = 1.0;
    double intercept = 0.0;
    ds.findAndGetFloat64(DCM_RescaleSlope, slope);
    ds.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    if (slope == 0.0) {
      slope = 1.0;
    }
    StoredLayout layout{bitsAllocated, bitsStored, highBit, pixelRep == 1};
    // Pixel Padding Value (and Range Limit) mark pixels outside the
    // reconstructed area: kept as they are, but left out of the value range.
    std::optional<double> padLo;
    std::optional<double> padHi;
    if (pixelRep == 1) {
      Sint16 pad = 0;
      if (ds.findAndGetSint16(DCM_PixelPaddingValue, pad).good()) padLo = pad;
      if (ds.findAndGetSint16(DCM_PixelPaddingRangeLimit, pad).good()) padHi = pad;
    } else {
      Uint16 pad = 0;
      if (ds.findAndGetUint16(DCM_PixelPaddingValue, pad).good()) padLo = pad;
      if (ds.findAndGetUint16(DCM_PixelPaddingRangeLimit, pad).good()) padHi = pad;
    }
    if (padLo && padHi && *padHi < *padLo) std::swap(padLo, padHi);
    if (padLo && !padHi) padHi = padLo;
    out.image = Image::allocate(cols, rows, PixelFormat::Gray32F);
    float* dst = out.image.grayData();
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    const std::size_t first = pixelsPerFrame * static_cast<std::size_t>(frameIndex);
    auto convert = [&](auto* words) {
      for (std::size_t i = 0; i < pixelsPerFrame; ++i) {
        const double stored = storedToDouble(static_cast<std::uint32_t>(words[first + i]), layout);
        const double value = stored * slope + intercept;
        dst[i] = static_cast<float>(value);
        if (padLo && stored >= *padLo && stored <= *padHi) {
          continue;
        }
        lo = std::min(lo, value);
        hi = std::max(hi, value);
      }
    };
    if (bitsAllocated == 8) {
      Uint8* words = nullptr;
      element->getUint8Array(words);
      if (words == nullptr) return makeError(ErrorCode::Corrupt, str(path) + ": Pixel Data empty");
      convert(words);
    } else if (bitsAllocated == 16) {
      Uint16* words = nullptr;
      element->getUint16Array(words);
      if (words == nullptr) return makeError(ErrorCode::Corrupt, str(path) + ": Pixel Data empty");
      convert(words);
    } else {
      Uint32* words = nullptr;
      element->getUint32Array(words);
      if (words == nullptr) return makeError(ErrorCode::Corrupt, str(path) + ": Pixel Data empty");
      convert(words);
    }
    if (lo <= hi) {
      out.minValue = lo;
      out.maxValue = hi;
    }
    out.monochrome1 = photometric == "MONOCHROME1";
    if (modality == "CT") {
      out.units = "HU";
    }
    DcmElement* centers = nullptr;
    const unsigned long nWindows =
        ds.findAndGetElement(DCM_WindowCenter, centers).good() && centers != nullptr ? centers->getVM() : 0;
    for (unsigned long i = 0; i < nWindows; ++i) {
      Window w;
      if (ds.findAndGetFloat64(DCM_WindowCenter, w.center, i).good() &&
          ds.findAndGetFloat64(DCM_WindowWidth, w.width, i).good() && w.width >= 1.0) {
        w.explanation = getString(ds, DCM_WindowCenterWidthExplanation, i).c_str();
        out.windows.push_back(w);
      }
    }
    return out;
  }

  // Colour: DCMTK's image toolkit converts YBR and palettes to RGB.
  DicomImage dimg(&file, ds.getOriginalXfer(), CIF_UsePartialAccessToPixelData, static_cast<unsigned long>(frameIndex), 1);
  if (dimg.getStatus() != EIS_Normal) {
    return makeError(ErrorCode::Unsupported, str(path) + ": cannot decode colour image: " +
                                                 DicomImage::getString(dimg.getStatus()));
  }
  const auto* rgb = static_cast<const std::uint8_t*>(dimg.getOutputData(8, 0, 0));
  if (rgb == nullptr || dimg.isMonochrome()) {
    return makeError(ErrorCode::Unsupported, str(path) + ": colour pixel data not decodable (" + photometric + ")");
  }
  out.image = Image::allocate(cols, rows, PixelFormat::Rgb8);
  std::memcpy(out.image.bytes.data(), rgb, out.image.bytes.size());
  return out;
}

}  // namespace confrere::imaging

namespace confrere::imaging {

Result<DisplayFrame> loadDisplayFrame(const std::filesystem::path& path, int frameIndex) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
      if (entry.is_regular_file(ec) && looksLikeDicom(entry.path())) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto frame = loadDicomFrame(file, frameIndex);
      if (frame) {
        return frame;
      }
    }
    return makeError(ErrorCode::NotFound, path.string() + ": no displayable DICOM image in this folder");
  }
  if (!std::filesystem::exists(path, ec)) {
    return makeError(ErrorCode::NotFound, path.string() + ": no such file or folder");
  }
  if (looksLikePhoto(path)) {
    auto photo = loadPhoto(path);
    if (!photo) {
      return photo.error();
    }
    DisplayFrame frame;
    frame.image = std::move(photo.value().image);
    return frame;
  }
  return loadDicomFrame(path, frameIndex);
}

}  // namespace confrere::imaging
