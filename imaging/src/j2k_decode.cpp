#include "j2k_decode.h"

#include <openjpeg.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace confrere::imaging::detail {
namespace {

// OpenJPEG reads through callbacks: serve them from the caller's buffer so a
// frame never goes through a temporary file.
struct MemoryStream {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t offset = 0;
};

OPJ_SIZE_T readMemory(void* buffer, OPJ_SIZE_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  // (OPJ_SIZE_T)-1 is OpenJPEG's end of stream.
  if (s->offset >= s->size) return static_cast<OPJ_SIZE_T>(-1);
  const std::size_t n = std::min<std::size_t>(bytes, s->size - s->offset);
  std::memcpy(buffer, s->data + s->offset, n);
  s->offset += n;
  return n;
}

// A skip outside the buffer is refused (-1) rather than clamped: a short
// skip reported as done would let a hostile length field point past the end
// unnoticed.
OPJ_OFF_T skipMemory(OPJ_OFF_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (bytes < 0) {
    // -(bytes + 1) + 1 avoids negating INT64_MIN.
    const std::uint64_t back = static_cast<std::uint64_t>(-(bytes + 1)) + 1;
    if (back > s->offset) return -1;
    s->offset -= static_cast<std::size_t>(back);
    return bytes;
  }
  if (static_cast<std::uint64_t>(bytes) > s->size - s->offset) return -1;
  s->offset += static_cast<std::size_t>(bytes);
  return bytes;
}

OPJ_BOOL seekMemory(OPJ_OFF_T position, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (position < 0 || static_cast<std::uint64_t>(position) > s->size) return OPJ_FALSE;
  s->offset = static_cast<std::size_t>(position);
  return OPJ_TRUE;
}

// OpenJPEG prints to stderr unless told otherwise. Its first errors are the
// specific ones ("Stream too short"), later ones repeat the failure in
// general terms, and a damaged stream can raise many: keep a few.
struct Messages {
  std::string text;
  int count = 0;
};

void onError(const char* message, void* user) {
  constexpr int kMaxMessages = 3;
  constexpr std::size_t kMaxLength = 200;
  auto* m = static_cast<Messages*>(user);
  if (message == nullptr || ++m->count > kMaxMessages) return;
  std::string_view s(message);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '.')) s.remove_suffix(1);
  if (s.empty()) return;
  if (!m->text.empty()) m->text += "; ";
  m->text.append(s.substr(0, kMaxLength));
}

void quiet(const char* /*message*/, void* /*user*/) {}

std::string withMessages(const Messages& m, const char* fallback) {
  return m.text.empty() ? fallback : ": " + m.text;
}

struct Owned {
  opj_codec_t* codec = nullptr;
  opj_stream_t* stream = nullptr;
  opj_image_t* image = nullptr;
  opj_codestream_info_v2_t* info = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (info != nullptr) opj_destroy_cstr_info(&info);
    if (image != nullptr) opj_image_destroy(image);
    if (stream != nullptr) opj_stream_destroy(stream);
    if (codec != nullptr) opj_destroy_codec(codec);
  }
};

// JP2 starts with its 12-byte signature box; a bare codestream with SOC
// (FF4F) immediately followed by SIZ (FF51), which Part 1 requires.
constexpr std::array<std::uint8_t, 12> kJp2Signature = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50,
                                                        0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};

std::string hexStart(const std::uint8_t* data, std::size_t size) {
  std::string hex;
  for (std::size_t i = 0; i < std::min<std::size_t>(size, 4); ++i) {
    std::array<char, 4> byte{};
    std::snprintf(byte.data(), byte.size(), "%02X", static_cast<unsigned>(data[i]));
    if (!hex.empty()) hex += ' ';
    hex += byte.data();
  }
  return hex;
}

// Checks one component against what the DICOM header allows; empty when fine.
std::string componentProblem(const opj_image_comp_t& comp, int index, const J2kExpect& expect) {
  if (comp.dx != 1 || comp.dy != 1) {
    return "component " + std::to_string(index) + " is subsampled " + std::to_string(comp.dx) + "x" +
           std::to_string(comp.dy) + " (not supported)";
  }
  if (comp.prec == 0 || comp.prec > static_cast<OPJ_UINT32>(expect.bitsAllocated)) {
    return "component " + std::to_string(index) + " has " + std::to_string(comp.prec) +
           " bits, more than Bits Allocated " + std::to_string(expect.bitsAllocated);
  }
  return {};
}

}  // namespace

bool isJpeg2000TransferSyntax(std::string_view uid) {
  // .94/.95 (JPIP referenced) carry no pixels in the file: not listed.
  static constexpr std::array<std::string_view, 7> kUids = {
      "1.2.840.10008.1.2.4.90",   // JPEG 2000 Image Compression (Lossless Only)
      "1.2.840.10008.1.2.4.91",   // JPEG 2000 Image Compression
      "1.2.840.10008.1.2.4.92",   // JPEG 2000 Part 2 Multi-component (Lossless Only)
      "1.2.840.10008.1.2.4.93",   // JPEG 2000 Part 2 Multi-component
      "1.2.840.10008.1.2.4.201",  // HTJ2K (Lossless Only)
      "1.2.840.10008.1.2.4.202",  // HTJ2K with RPCL Options (Lossless Only)
      "1.2.840.10008.1.2.4.203",  // HTJ2K
  };
  return std::find(kUids.begin(), kUids.end(), uid) != kUids.end();
}

Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* data, std::size_t size, const J2kExpect& expect,
                                                 const std::string& what) {
  return decodeJ2kFrame(data, size, expect, what, nullptr);
}

Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* data, std::size_t size, const J2kExpect& expect,
                                                 const std::string& what, J2kStreamInfo* info) {
  if (expect.bitsAllocated != 8 && expect.bitsAllocated != 16) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 with Bits Allocated " +
                                                 std::to_string(expect.bitsAllocated) + " (8 or 16 supported)");
  }
  if (expect.samplesPerPixel < 1 || expect.samplesPerPixel > 4) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 with Samples per Pixel " +
                                                 std::to_string(expect.samplesPerPixel) + " (1 to 4 supported)");
  }
  if (expect.columns <= 0 || expect.rows <= 0) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 frame of " + std::to_string(expect.columns) + "x" +
                                             std::to_string(expect.rows) + " pixels");
  }
  // In 64 bits: 65535 x 65535 x 4 overflows 32. Refused before OpenJPEG
  // allocates anything, since a codestream that agrees with a hostile header
  // takes a few dozen bytes.
  const std::uint64_t samples = static_cast<std::uint64_t>(expect.columns) * static_cast<std::uint64_t>(expect.rows) *
                                static_cast<std::uint64_t>(expect.samplesPerPixel);
  if (samples > kMaxJ2kFrameSamples) {
    return makeError(ErrorCode::TooLarge, what + ": JPEG 2000 frame of " + std::to_string(expect.columns) + "x" +
                                              std::to_string(expect.rows) + "x" +
                                              std::to_string(expect.samplesPerPixel) + " samples, over the limit of " +
                                              std::to_string(kMaxJ2kFrameSamples));
  }
  if (data == nullptr || size < 4) {
    return makeError(ErrorCode::Corrupt,
                     what + ": JPEG 2000 codestream is empty or " + std::to_string(size) + " bytes long");
  }
  const bool jp2 = size >= kJp2Signature.size() && std::equal(kJp2Signature.begin(), kJp2Signature.end(), data);
  if (!jp2 && !(data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51)) {
    return makeError(ErrorCode::Corrupt, what + ": not a JPEG 2000 codestream (starts with " + hexStart(data, size) +
                                             ", not SOC+SIZ FF 4F FF 51 or a JP2 signature)");
  }

  Owned o;
  Messages messages;
  MemoryStream memory{data, size, 0};
  o.codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  if (o.codec == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 decoder unavailable");
  }
  opj_set_error_handler(o.codec, onError, &messages);
  opj_set_warning_handler(o.codec, quiet, nullptr);
  opj_set_info_handler(o.codec, quiet, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (opj_setup_decoder(o.codec, &parameters) == OPJ_FALSE) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 decoder set-up failed" + withMessages(messages, ""));
  }
  // Strict (OpenJPEG's default, said here on purpose): a truncated stream
  // is an error, not a silently blurred or half-grey picture.
  opj_decoder_set_strict_mode(o.codec, OPJ_TRUE);
  // OpenJPEG buffers reads; no point in a 1 MiB buffer for a 4 KiB frame.
  o.stream = opj_stream_create(std::min<std::size_t>(size, OPJ_J2K_STREAM_CHUNK_SIZE), OPJ_TRUE);
  if (o.stream == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 stream set-up failed");
  }
  opj_stream_set_user_data(o.stream, &memory, nullptr);
  opj_stream_set_user_data_length(o.stream, size);
  opj_stream_set_read_function(o.stream, readMemory);
  opj_stream_set_skip_function(o.stream, skipMemory);
  opj_stream_set_seek_function(o.stream, seekMemory);

  if (opj_read_header(o.stream, o.codec, &o.image) == OPJ_FALSE || o.image == nullptr || o.image->comps == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 header unreadable" + withMessages(messages, ""));
  }
  if (info != nullptr) {
    *info = J2kStreamInfo{};
    info->jp2Boxes = jp2;
    info->precision = static_cast<int>(o.image->comps[0].prec);
    info->isSigned = o.image->comps[0].sgnd != 0;
    o.info = opj_get_cstr_info(o.codec);
    info->colourTransform = o.info != nullptr && o.info->m_default_tile_info.mct != 0;
  }
  if (o.image->numcomps != static_cast<OPJ_UINT32>(expect.samplesPerPixel)) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 has " + std::to_string(o.image->numcomps) +
                                                 " component(s), the header says " +
                                                 std::to_string(expect.samplesPerPixel));
  }
  const int components = expect.samplesPerPixel;
  // OpenJPEG has checked x0 < x1 and y0 < y1; the sizes are 32-bit unsigned,
  // compared in 64 bits.
  const std::uint64_t width = o.image->x1 > o.image->x0 ? std::uint64_t{o.image->x1} - o.image->x0 : 0;
  const std::uint64_t height = o.image->y1 > o.image->y0 ? std::uint64_t{o.image->y1} - o.image->y0 : 0;
  if (width != static_cast<std::uint64_t>(expect.columns) || height != static_cast<std::uint64_t>(expect.rows)) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 is " + std::to_string(width) + "x" +
                                                 std::to_string(height) + ", the header says " +
                                                 std::to_string(expect.columns) + "x" + std::to_string(expect.rows));
  }
  for (int c = 0; c < components; ++c) {
    if (std::string problem = componentProblem(o.image->comps[c], c, expect); !problem.empty()) {
      return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 " + problem);
    }
  }

  if (opj_decode(o.codec, o.stream, o.image) == OPJ_FALSE || opj_end_decompress(o.codec, o.stream) == OPJ_FALSE) {
    return makeError(ErrorCode::Corrupt,
                     what + ": JPEG 2000 decoding failed" + withMessages(messages, " (truncated or damaged data)"));
  }
  // A JP2 palette or channel definition box may have changed the components
  // while decoding: check again before reading them.
  if (o.image->comps == nullptr || o.image->numcomps != static_cast<OPJ_UINT32>(expect.samplesPerPixel)) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 decoded to " + std::to_string(o.image->numcomps) +
                                                 " component(s), the header says " +
                                                 std::to_string(expect.samplesPerPixel));
  }
  for (int c = 0; c < components; ++c) {
    const opj_image_comp_t& comp = o.image->comps[c];
    if (std::string problem = componentProblem(comp, c, expect); !problem.empty()) {
      return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 " + problem);
    }
    if (comp.data == nullptr || comp.w != width || comp.h != height) {
      return makeError(ErrorCode::Corrupt,
                       what + ": JPEG 2000 component " + std::to_string(c) + " decoded incompletely");
    }
  }

  const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  const std::size_t bytesPerSample = expect.bitsAllocated == 8 ? 1 : 2;
  const std::size_t step = static_cast<std::size_t>(components) * bytesPerSample;
  std::vector<std::uint8_t> out(pixels * step);
  for (int c = 0; c < components; ++c) {
    const opj_image_comp_t& comp = o.image->comps[c];
    // OpenJPEG clips to the component's range in its DC level shift;
    // clipping again keeps a value that escaped it from wrapping into a
    // plausible-looking one.
    const int prec = static_cast<int>(comp.prec);
    const OPJ_INT32 lo = comp.sgnd != 0 ? -(OPJ_INT32{1} << (prec - 1)) : 0;
    const OPJ_INT32 hi = comp.sgnd != 0 ? (OPJ_INT32{1} << (prec - 1)) - 1 : (OPJ_INT32{1} << prec) - 1;
    const OPJ_INT32* src = comp.data;
    const std::size_t first = static_cast<std::size_t>(c) * bytesPerSample;
    if (bytesPerSample == 1) {
      for (std::size_t i = 0; i < pixels; ++i) {
        out[first + i * step] = static_cast<std::uint8_t>(std::clamp(src[i], lo, hi));
      }
    } else {
      // Signed values in two's complement over the full 16 bits (sign
      // extended when fewer bits are stored), little-endian like a native
      // frame; Bits Stored in the DICOM header says how many bits count.
      for (std::size_t i = 0; i < pixels; ++i) {
        const auto word = static_cast<std::uint16_t>(std::clamp(src[i], lo, hi));
        out[first + i * step] = static_cast<std::uint8_t>(word & 0xFFu);
        out[first + i * step + 1] = static_cast<std::uint8_t>(word >> 8);
      }
    }
  }
  return out;
}

}  // namespace confrere::imaging::detail
