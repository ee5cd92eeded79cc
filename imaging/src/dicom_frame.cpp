#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"
#include "confrere/imaging/dicom_object.h"
#include "dcmtk_util.h"
#include "pixel_decode.h"

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
#include <cmath>
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
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);
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
  auto info = readObjectInfo(path);
  if (!info) {
    return info.error();
  }
  if (!info->hasPixelData) {
    return makeError(ErrorCode::Unsupported, str(path) + ": a " + toString(info->kind) +
                                                 " object without image pixels (SOP class " + info->sopClassUid + ")");
  }
  const int frames = std::max(1, info->frames);
  if (frameIndex < 0 || frameIndex >= frames) {
    return makeError(ErrorCode::InvalidArgument, str(path) + ": frame " + std::to_string(frameIndex) +
                                                     " out of range (the object has " + std::to_string(frames) +
                                                     " frame(s), valid 0.." + std::to_string(frames - 1) + ")");
  }
  DcmFileFormat file;
  if (Status opened = detail::openDicom(path, file); !opened) {
    return opened.error();
  }
  DcmDataset& ds = *file.getDataset();
  const detail::FrameLayout layout = detail::frameLayoutOf(ds);
  const std::string& photometric = info->photometric;
  const bool grey = info->samplesPerPixel == 1 && (photometric == "MONOCHROME1" || photometric == "MONOCHROME2" ||
                                                   photometric.empty());
  const FrameGeometry& geometry = info->geometryOf(frameIndex);

  DisplayFrame out;
  if (geometry.pixelSpacingMm) {
    out.rowSpacingMm = (*geometry.pixelSpacingMm)[0];
    out.columnSpacingMm = (*geometry.pixelSpacingMm)[1];
  }

  if (grey) {
    if (layout.bitsAllocated != 1 && layout.bitsAllocated != 8 && layout.bitsAllocated != 16 && layout.bitsAllocated != 32) {
      return makeError(ErrorCode::Unsupported, str(path) + ": Bits Allocated " + std::to_string(layout.bitsAllocated) +
                                                   " not supported (8, 16 or 32)");
    }
    if (info->bitsStored <= 0 || info->bitsStored > layout.bitsAllocated || info->highBit >= layout.bitsAllocated ||
        info->highBit + 1 < info->bitsStored) {
      return makeError(ErrorCode::Corrupt, str(path) + ": inconsistent Bits Stored " + std::to_string(info->bitsStored) +
                                               " / High Bit " + std::to_string(info->highBit));
    }
    std::vector<std::uint8_t> raw(layout.bytes());
    if (Status decoded = detail::decodeFrame(file, str(path), frameIndex, layout, raw.data(), nullptr); !decoded) {
      return decoded.error();
    }
    const double slope = geometry.rescaleSlope;
    const double intercept = geometry.rescaleIntercept;
    const bool lut = geometry.modalityLut != nullptr;
    // 1-bit samples arrive unpacked, one byte each.
    const int unpackedBits = layout.bitsAllocated == 1 ? 8 : layout.bitsAllocated;
    const StoredLayout stored{unpackedBits, layout.bitsAllocated == 1 ? 8 : info->bitsStored,
                              layout.bitsAllocated == 1 ? 7 : info->highBit, info->pixelRepresentation == 1};
    // Pixel Padding Value (and Range Limit) mark pixels outside the
    // reconstructed area: kept as they are, but left out of the value range.
    std::optional<double> padLo;
    std::optional<double> padHi;
    if (info->pixelRepresentation == 1) {
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

    out.image = Image::allocate(layout.columns, layout.rows, PixelFormat::Gray32F);
    float* dst = out.image.grayData();
    const std::size_t n = static_cast<std::size_t>(layout.rows) * layout.columns;
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    auto convert = [&](const auto* words) {
      for (std::size_t i = 0; i < n; ++i) {
        const double value = storedToDouble(static_cast<std::uint32_t>(words[i]), stored);
        const double modality = lut ? info->modalityValue(frameIndex, value) : value * slope + intercept;
        dst[i] = static_cast<float>(modality);
        if (padLo && value >= *padLo && value <= *padHi) continue;
        lo = std::min(lo, modality);
        hi = std::max(hi, modality);
      }
    };
    if (layout.bitsAllocated <= 8) {
      convert(raw.data());
    } else if (layout.bitsAllocated == 16) {
      convert(reinterpret_cast<const std::uint16_t*>(raw.data()));
    } else {
      convert(reinterpret_cast<const std::uint32_t*>(raw.data()));
    }
    if (lo <= hi) {
      out.minValue = lo;
      out.maxValue = hi;
    }
    out.monochrome1 = photometric == "MONOCHROME1";
    if (info->modality == "CT" || info->rescaleType == "HU") out.units = "HU";
    if (geometry.windowCenter && geometry.windowWidth && *geometry.windowWidth >= 1.0 && info->enhanced) {
      out.windows.push_back(Window{*geometry.windowCenter, *geometry.windowWidth, "frame"});
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

  // Colour. JPEG 2000 (unknown to DCMTK) decodes to RGB through our codec;
  // everything else goes through DCMTK's image toolkit, which converts YBR,
  // planar data and palettes to RGB.
  if (detail::isJpeg2000Syntax(info->transferSyntaxUid)) {
    if (layout.samplesPerPixel != 3 || layout.bitsAllocated != 8) {
      return makeError(ErrorCode::Unsupported, str(path) + ": JPEG 2000 colour with " +
                                                   std::to_string(layout.samplesPerPixel) + " samples of " +
                                                   std::to_string(layout.bitsAllocated) + " bits not supported");
    }
    out.image = Image::allocate(layout.columns, layout.rows, PixelFormat::Rgb8);
    std::string model;
    if (Status decoded = detail::decodeFrame(file, str(path), frameIndex, layout, out.image.bytes.data(), nullptr, &model);
        !decoded) {
      return decoded.error();
    }
    if (model == "YBR_FULL") {
      // Full-range BT.601 (PS3.3 C.7.6.3.1.2), for streams coded without the
      // component transform.
      std::uint8_t* p = out.image.bytes.data();
      for (std::size_t i = 0; i < out.image.bytes.size(); i += 3) {
        const double y = p[i];
        const double cb = p[i + 1] - 128.0;
        const double cr = p[i + 2] - 128.0;
        auto clamp8 = [](double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); };
        p[i] = clamp8(y + 1.402 * cr);
        p[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
        p[i + 2] = clamp8(y + 1.772 * cb);
      }
    }
    return out;
  }
  DicomImage dimg(&file, ds.getOriginalXfer(), CIF_UsePartialAccessToPixelData, static_cast<unsigned long>(frameIndex), 1);
  if (dimg.getStatus() != EIS_Normal) {
    return makeError(ErrorCode::Unsupported, str(path) + ": cannot decode colour image: " +
                                                 DicomImage::getString(dimg.getStatus()));
  }
  const auto* rgb = static_cast<const std::uint8_t*>(dimg.getOutputData(8, 0, 0));
  if (rgb == nullptr || dimg.isMonochrome()) {
    return makeError(ErrorCode::Unsupported, str(path) + ": colour pixel data not decodable (" + photometric + ")");
  }
  out.image = Image::allocate(layout.columns, layout.rows, PixelFormat::Rgb8);
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
