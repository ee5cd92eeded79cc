// JPEG 2000 (and HTJ2K) decoding of one DICOM frame with OpenJPEG: DCMTK has
// no JPEG 2000 codec. Internal to imaging/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "confrere/imaging/result.h"

namespace confrere::imaging::detail {

struct J2kExpect {
  int columns = 0;
  int rows = 0;
  int samplesPerPixel = 1;  // 1 or 3
  int bitsAllocated = 16;   // 8 or 16: the output sample size
  bool isSigned = false;    // Pixel Representation 1
};

// JPEG 2000 Part 1 (.90-.93) and HTJ2K (.201-.203) transfer syntaxes.
bool isJpeg2000TransferSyntax(std::string_view uid);

// Decodes a JPEG 2000 codestream (raw J2K or JP2 box format) into
// interleaved samples (R G B R G B... for colour), little-endian, in
// `bitsAllocated` bits per sample: the same layout an uncompressed DICOM
// frame has. The codestream's size and component count must match `expect`.
// Fails with Corrupt (undecodable, truncated) or Unsupported (mismatch),
// with a message that starts with `what` (e.g. "file.dcm frame 3").
Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* data, std::size_t size, const J2kExpect& expect,
                                                 const std::string& what);

// What the codestream said about itself, for callers that must name the
// colour model of the output: with the multiple component transform
// (YBR_RCT / YBR_ICT in DICOM terms) the decoder has already returned RGB;
// without it three components are whatever was encoded.
struct J2kStreamInfo {
  bool jp2Boxes = false;         // JP2 file format around the codestream (DICOM wants a bare codestream)
  bool colourTransform = false;  // RCT or ICT, undone by the decoder
  int precision = 0;             // bits per sample of component 0
  bool isSigned = false;         // component 0 is signed
};

// As above, also filling `info` (may be null) once the header has been read,
// even when decoding fails later.
Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* data, std::size_t size, const J2kExpect& expect,
                                                 const std::string& what, J2kStreamInfo* info);

// Decoded samples per frame beyond which we refuse before decoding (TooLarge):
// OpenJPEG holds 4 bytes per sample on top of our output, so this bounds a
// hostile header to about 4 GiB (a 32768 x 32768 grey frame still fits).
inline constexpr std::uint64_t kMaxJ2kFrameSamples = std::uint64_t{1} << 30;

}  // namespace confrere::imaging::detail
