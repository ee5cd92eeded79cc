// Decoding one frame's stored samples straight into a caller's buffer: native
// syntaxes and DCMTK's codecs (JPEG, JPEG-LS, RLE, deflate) through
// DcmPixelData::getUncompressedFrame, JPEG 2000 / HTJ2K through OpenJPEG.
// Internal to imaging/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>

#include "dcmtk_util.h"

class DcmFileCache;

namespace confrere::imaging::detail {

// Layout of the decoded samples: rows x columns x samples, interleaved
// (colour-by-pixel), bitsAllocated/8 bytes each, native byte order.
struct FrameLayout {
  int rows = 0;
  int columns = 0;
  int samplesPerPixel = 1;
  int bitsAllocated = 16;
  bool isSigned = false;
  // Decoded size. 1-bit data (segmentations) is unpacked to one byte per
  // sample, 0 or 1.
  std::size_t bytes() const {
    return static_cast<std::size_t>(rows) * columns * samplesPerPixel * std::max(1, bitsAllocated / 8);
  }
};

FrameLayout frameLayoutOf(DcmItem& dataset);

// JPEG 2000 Part 1 and HTJ2K transfer syntaxes: decoded by OpenJPEG.
bool isJpeg2000Syntax(const std::string& uid);

// Decodes frame `frame` (0-based) of the opened file into `dst`, which holds
// layout.bytes() bytes. `what` prefixes error messages (e.g. the file name).
// `colorModel` receives the photometric interpretation of the decoded data
// (e.g. RGB after a JPEG 2000 colour transform). Thread: one file per thread.
Status decodeFrame(DcmFileFormat& file, const std::string& what, int frame, const FrameLayout& layout,
                   std::uint8_t* dst, DcmFileCache* cache, std::string* colorModel = nullptr);

}  // namespace confrere::imaging::detail
