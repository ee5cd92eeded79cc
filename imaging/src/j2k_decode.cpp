#include "j2k_decode.h"

#include <openjpeg.h>

#include <cstring>
#include <limits>

namespace confrere::imaging::detail {
namespace {

// OpenJPEG reads through callbacks: serve them from our buffer.
struct MemoryStream {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t offset;
};

OPJ_SIZE_T readMemory(void* buffer, OPJ_SIZE_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->offset >= s->size) return static_cast<OPJ_SIZE_T>(-1);
  const std::size_t n = std::min<std::size_t>(bytes, s->size - s->offset);
  std::memcpy(buffer, s->data + s->offset, n);
  s->offset += n;
  return n;
}

OPJ_OFF_T skipMemory(OPJ_OFF_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (bytes < 0) {
    const auto back = static_cast<std::size_t>(-bytes);
    const std::size_t moved = std::min(back, s->offset);
    s->offset -= moved;
    return -static_cast<OPJ_OFF_T>(moved);
  }
  const std::size_t moved = std::min<std::size_t>(static_cast<std::size_t>(bytes), s->size - s->offset);
  s->offset += moved;
  return static_cast<OPJ_OFF_T>(moved);
}

OPJ_BOOL seekMemory(OPJ_OFF_T position, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (position < 0 || static_cast<std::size_t>(position) > s->size) return OPJ_FALSE;
  s->offset = static_cast<std::size_t>(position);
  return OPJ_TRUE;
}

// Keeps the last error OpenJPEG reports, for our message.
void onError(const char* message, void* user) {
  auto* last = static_cast<std::string*>(user);
  *last = message != nullptr ? message : "";
  while (!last->empty() && (last->back() == '\n' || last->back() == ' ')) last->pop_back();
}
void quiet(const char* /*message*/, void* /*user*/) {}

struct Owned {
  opj_codec_t* codec = nullptr;
  opj_stream_t* stream = nullptr;
  opj_image_t* image = nullptr;
  ~Owned() {
    if (image != nullptr) opj_image_destroy(image);
    if (stream != nullptr) opj_stream_destroy(stream);
    if (codec != nullptr) opj_destroy_codec(codec);
  }
};

}  // namespace

bool isJpeg2000TransferSyntax(std::string_view uid) {
  return uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91" || uid == "1.2.840.10008.1.2.4.92" ||
         uid == "1.2.840.10008.1.2.4.93" || uid == "1.2.840.10008.1.2.4.201" || uid == "1.2.840.10008.1.2.4.202" ||
         uid == "1.2.840.10008.1.2.4.203";
}

Result<std::vector<std::uint8_t>> decodeJ2kFrame(const std::uint8_t* data, std::size_t size, const J2kExpect& expect,
                                                 const std::string& what) {
  if (data == nullptr || size < 4) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 codestream is empty");
  }
  if (expect.bitsAllocated != 8 && expect.bitsAllocated != 16) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 with Bits Allocated " +
                                                 std::to_string(expect.bitsAllocated) + " (8 or 16 supported)");
  }
  // JP2 boxes start with a signature box; a raw codestream with SOC (FF 4F).
  static constexpr std::uint8_t kJp2Signature[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
  const bool jp2 = size >= sizeof kJp2Signature && std::memcmp(data, kJp2Signature, sizeof kJp2Signature) == 0;
  if (!jp2 && !(data[0] == 0xFF && data[1] == 0x4F)) {
    return makeError(ErrorCode::Corrupt, what + ": not a JPEG 2000 codestream (no SOC marker)");
  }
  Owned o;
  std::string lastError;
  MemoryStream memory{data, size, 0};
  o.codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_set_error_handler(o.codec, onError, &lastError);
  opj_set_warning_handler(o.codec, quiet, nullptr);
  opj_set_info_handler(o.codec, quiet, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (opj_setup_decoder(o.codec, &parameters) == OPJ_FALSE) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 decoder set-up failed");
  }
  o.stream = opj_stream_default_create(OPJ_TRUE);
  opj_stream_set_user_data(o.stream, &memory, nullptr);
  opj_stream_set_user_data_length(o.stream, size);
  opj_stream_set_read_function(o.stream, readMemory);
  opj_stream_set_skip_function(o.stream, skipMemory);
  opj_stream_set_seek_function(o.stream, seekMemory);
  if (opj_read_header(o.stream, o.codec, &o.image) == OPJ_FALSE || o.image == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 header unreadable" +
                                             (lastError.empty() ? "" : ": " + lastError));
  }
  const int components = static_cast<int>(o.image->numcomps);
  if (components != expect.samplesPerPixel) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 has " + std::to_string(components) +
                                                 " component(s), the header says " +
                                                 std::to_string(expect.samplesPerPixel));
  }
  const auto width = static_cast<int>(o.image->x1 - o.image->x0);
  const auto height = static_cast<int>(o.image->y1 - o.image->y0);
  if (width != expect.columns || height != expect.rows) {
    return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 is " + std::to_string(width) + "x" +
                                                 std::to_string(height) + ", the header says " +
                                                 std::to_string(expect.columns) + "x" + std::to_string(expect.rows));
  }
  for (int c = 0; c < components; ++c) {
    const opj_image_comp_t& comp = o.image->comps[c];
    if (comp.dx != 1 || comp.dy != 1) {
      return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 with subsampled components");
    }
    if (comp.prec == 0 || comp.prec > static_cast<OPJ_UINT32>(expect.bitsAllocated)) {
      return makeError(ErrorCode::Unsupported, what + ": JPEG 2000 precision " + std::to_string(comp.prec) +
                                                   " bits does not fit " + std::to_string(expect.bitsAllocated));
    }
  }
  if (opj_decode(o.codec, o.stream, o.image) == OPJ_FALSE || opj_end_decompress(o.codec, o.stream) == OPJ_FALSE) {
    return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 decoding failed" +
                                             (lastError.empty() ? " (truncated or damaged data)" : ": " + lastError));
  }
  const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  const std::size_t bytesPerSample = static_cast<std::size_t>(expect.bitsAllocated / 8);
  std::vector<std::uint8_t> out(pixels * static_cast<std::size_t>(components) * bytesPerSample);
  for (int c = 0; c < components; ++c) {
    const opj_image_comp_t& comp = o.image->comps[c];
    if (comp.data == nullptr) {
      return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 component " + std::to_string(c) + " has no data");
    }
    for (std::size_t i = 0; i < pixels; ++i) {
      const OPJ_INT32 v = comp.data[i];
      const std::size_t at = (i * static_cast<std::size_t>(components) + static_cast<std::size_t>(c)) * bytesPerSample;
      if (bytesPerSample == 1) {
        out[at] = static_cast<std::uint8_t>(v);
      } else {
        // Two's complement for signed data, little-endian like a native frame.
        const auto word = static_cast<std::uint16_t>(v);
        out[at] = static_cast<std::uint8_t>(word & 0xFF);
        out[at + 1] = static_cast<std::uint8_t>(word >> 8);
      }
    }
  }
  return out;
}

}  // namespace confrere::imaging::detail
