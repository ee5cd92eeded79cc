#include "pixel_decode.h"

#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstring>
#include <vector>

#include <zlib.h>

#include "j2k_decode.h"

namespace confrere::imaging::detail {
bool isJpeg2000Syntax(const std::string& uid) { return isJpeg2000TransferSyntax(uid); }

namespace {

// For each frame, the first and last pixel items (item 0 is the offset
// table) that hold it: one fragment per frame, the Basic Offset Table, or
// else a new frame at each fragment that starts with the codec's marker
// (JPEG 2000 SOC FF4F, JPEG / JPEG-LS SOI FFD8).
using FragmentRanges = std::vector<std::pair<unsigned long, unsigned long>>;

Result<FragmentRanges> fragmentRanges(DcmPixelSequence& seq, int frames, std::uint8_t marker,
                                      const std::string& what) {
  const unsigned long items = seq.card();
  if (items < 2) {
    return makeError(ErrorCode::Corrupt, what + ": encapsulated Pixel Data has no fragment");
  }
  std::vector<std::pair<unsigned long, unsigned long>> ranges;  // [first, last] item per frame
  const unsigned long fragments = items - 1;
  if (frames == 1) {
    ranges.emplace_back(1, items - 1);
  } else if (fragments == static_cast<unsigned long>(frames)) {
    for (unsigned long i = 1; i < items; ++i) ranges.emplace_back(i, i);
  } else {
    // Basic Offset Table: byte offsets of each frame's first item, counted
    // from the first fragment's item tag (each item is 8 bytes + value).
    DcmPixelItem* bot = nullptr;
    std::vector<Uint32> offsets;
    if (seq.getItem(bot, 0).good() && bot != nullptr && bot->getLength() >= 4) {
      Uint8* raw = nullptr;
      bot->getUint8Array(raw);
      offsets.resize(bot->getLength() / 4);
      if (raw != nullptr) std::memcpy(offsets.data(), raw, offsets.size() * 4);
      // Offsets are little-endian in the file; DCMTK keeps bytes as read.
    }
    std::vector<Uint32> starts;  // item offsets
    Uint32 offset = 0;
    for (unsigned long i = 1; i < items; ++i) {
      starts.push_back(offset);
      DcmPixelItem* item = nullptr;
      if (seq.getItem(item, i).bad() || item == nullptr) break;
      offset += 8 + item->getLength();
    }
    if (offsets.size() == static_cast<std::size_t>(frames)) {
      for (int f = 0; f < frames; ++f) {
        const Uint32 begin = offsets[static_cast<std::size_t>(f)];
        const Uint32 end = f + 1 < frames ? offsets[static_cast<std::size_t>(f) + 1] : offset;
        unsigned long first = 0;
        unsigned long last = 0;
        for (unsigned long i = 0; i < starts.size(); ++i) {
          if (starts[i] == begin) first = i + 1;
          if (starts[i] < end) last = i + 1;
        }
        if (first == 0 || last < first) {
          return makeError(ErrorCode::Corrupt, what + ": Basic Offset Table does not match the fragments");
        }
        ranges.emplace_back(first, last);
      }
    } else {
      // No usable table: a new frame starts with each JPEG 2000 SOC marker.
      for (unsigned long i = 1; i < items; ++i) {
        DcmPixelItem* item = nullptr;
        Uint8* raw = nullptr;
        if (seq.getItem(item, i).good() && item != nullptr && item->getLength() >= 2 &&
            item->getUint8Array(raw).good() && raw != nullptr && raw[0] == 0xFF && raw[1] == marker) {
          ranges.emplace_back(i, i);
        } else if (!ranges.empty()) {
          ranges.back().second = i;
        }
      }
    }
  }
  return ranges;
}

// The concatenated fragments of one frame.
Result<std::vector<std::uint8_t>> frameCodestream(DcmPixelSequence& seq, int frame, int frames, const std::string& what) {
  auto found = fragmentRanges(seq, frames, 0x4F, what);
  if (!found) return found.error();
  const FragmentRanges& ranges = found.value();
  if (frame < 0 || static_cast<std::size_t>(frame) >= ranges.size()) {
    return makeError(ErrorCode::Corrupt, what + ": frame " + std::to_string(frame) + " has no fragment (" +
                                             std::to_string(ranges.size()) + " frame(s) found in the data)");
  }
  std::vector<std::uint8_t> stream;
  for (unsigned long i = ranges[static_cast<std::size_t>(frame)].first; i <= ranges[static_cast<std::size_t>(frame)].second;
       ++i) {
    DcmPixelItem* item = nullptr;
    Uint8* raw = nullptr;
    if (seq.getItem(item, i).bad() || item == nullptr) break;
    if (item->getLength() == 0) continue;
    if (item->getUint8Array(raw).bad() || raw == nullptr) {
      return makeError(ErrorCode::Corrupt, what + ": fragment " + std::to_string(i) + " unreadable");
    }
    stream.insert(stream.end(), raw, raw + item->getLength());
  }
  return stream;
}

constexpr const char* kDeflatedFrames = "1.2.840.10008.1.2.8.1";  // Deflated Image Frame Compression

// Inflates one frame (raw deflate, or with a zlib header) into exactly `size` bytes.
Status inflateFrame(const std::vector<std::uint8_t>& in, std::vector<std::uint8_t>& out, std::size_t size,
                    const std::string& what) {
  out.assign(size, 0);
  for (int windowBits : {-MAX_WBITS, MAX_WBITS + 32}) {
    z_stream z{};
    if (inflateInit2(&z, windowBits) != Z_OK) continue;
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const std::size_t produced = out.size() - z.avail_out;
    inflateEnd(&z);
    if ((rc == Z_STREAM_END || rc == Z_BUF_ERROR || rc == Z_OK) && produced == size) return okStatus();
  }
  return makeError(ErrorCode::Corrupt, what + ": deflated frame does not inflate to " + std::to_string(size) + " bytes");
}

// Unpacks `count` bits starting at bit `first` (least significant bit first,
// as DICOM packs 1-bit data) into one byte each.
void unpackBits(const std::uint8_t* packed, std::size_t packedBytes, std::size_t first, std::size_t count,
                std::uint8_t* dst) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = first + i;
    dst[i] = bit / 8 < packedBytes ? static_cast<std::uint8_t>((packed[bit / 8] >> (bit % 8)) & 1u) : 0;
  }
}

}  // namespace

FrameLayout frameLayoutOf(DcmItem& ds) {
  FrameLayout l;
  l.rows = getInt(ds, DCM_Rows);
  l.columns = getInt(ds, DCM_Columns);
  l.samplesPerPixel = getInt(ds, DCM_SamplesPerPixel, 1);
  l.bitsAllocated = getInt(ds, DCM_BitsAllocated, 16);
  l.isSigned = getInt(ds, DCM_PixelRepresentation) == 1;
  return l;
}

Status decodeFrame(DcmFileFormat& file, const std::string& what, int frame, const FrameLayout& layout,
                   std::uint8_t* dst, DcmFileCache* cache, std::string* colorModel) {
  DcmDataset& ds = *file.getDataset();
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": no Pixel Data");
  }
  auto* pixels = dynamic_cast<DcmPixelData*>(element);
  if (pixels == nullptr) {
    return makeError(ErrorCode::Corrupt, what + ": Pixel Data has an unexpected encoding");
  }
  if (layout.bitsAllocated != 1 && layout.bitsAllocated % 8 != 0) {
    return makeError(ErrorCode::Unsupported, what + ": Bits Allocated " + std::to_string(layout.bitsAllocated) +
                                                 " not supported (8, 16 or 32)");
  }
  const std::string xferUid = getString(*file.getMetaInfo(), DCM_TransferSyntaxUID);
  const std::size_t pixelsPerFrame = static_cast<std::size_t>(layout.rows) * layout.columns * layout.samplesPerPixel;
  if (layout.bitsAllocated == 1 || xferUid == kDeflatedFrames) {
    // 1-bit data (segmentations) and Deflated Image Frame Compression, which
    // DCMTK 3.6.7 does not know: bits and bytes read here.
    const int frames = std::max(1, getInt(ds, DCM_NumberOfFrames, 1));
    std::vector<std::uint8_t> packed;
    std::size_t firstBit = 0;
    const std::size_t frameBits = pixelsPerFrame * static_cast<std::size_t>(layout.bitsAllocated);
    if (xferUid == kDeflatedFrames) {
      DcmPixelSequence* seq = nullptr;
      if (pixels->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, seq).bad() || seq == nullptr) {
        // DCMTK keeps unknown encapsulated data under the original representation.
        DcmPixelSequence* any = nullptr;
        pixels->getEncapsulatedRepresentation(EXS_Unknown, nullptr, any);
        seq = any;
      }
      if (seq == nullptr || static_cast<int>(seq->card()) < frame + 2) {
        return makeError(ErrorCode::Corrupt, what + ": deflated frame " + std::to_string(frame) + " missing");
      }
      DcmPixelItem* item = nullptr;
      Uint8* raw = nullptr;
      if (seq->getItem(item, static_cast<unsigned long>(frame) + 1).bad() || item == nullptr ||
          item->getUint8Array(raw).bad() || raw == nullptr) {
        return makeError(ErrorCode::Corrupt, what + ": deflated frame " + std::to_string(frame) + " unreadable");
      }
      std::vector<std::uint8_t> compressed(raw, raw + item->getLength());
      if (Status s = inflateFrame(compressed, packed, (frameBits + 7) / 8, what); !s) return s;
    } else {
      Uint8* raw = nullptr;
      if (pixels->getUint8Array(raw).bad() || raw == nullptr) {
        return makeError(ErrorCode::Corrupt, what + ": 1-bit Pixel Data unreadable");
      }
      packed.assign(raw, raw + pixels->getLength());
      firstBit = frameBits * static_cast<std::size_t>(frame);
      if ((firstBit + frameBits + 7) / 8 > packed.size() || frame >= frames) {
        return makeError(ErrorCode::Corrupt, what + ": 1-bit Pixel Data too short for frame " + std::to_string(frame));
      }
    }
    if (layout.bitsAllocated == 1) {
      unpackBits(packed.data(), packed.size(), firstBit, pixelsPerFrame, dst);
    } else {
      std::memcpy(dst, packed.data(), std::min(packed.size(), layout.bytes()));
    }
    if (colorModel != nullptr) *colorModel = getString(ds, DCM_PhotometricInterpretation);
    return okStatus();
  }
  if (isJpeg2000Syntax(xferUid)) {
    DcmPixelSequence* seq = nullptr;
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    if (pixels->getEncapsulatedRepresentation(xfer, nullptr, seq).bad() || seq == nullptr) {
      return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 Pixel Data is not encapsulated");
    }
    const int frames = std::max(1, getInt(ds, DCM_NumberOfFrames, 1));
    auto stream = frameCodestream(*seq, frame, frames, what);
    if (!stream) return stream.error();
    J2kExpect expect{layout.columns, layout.rows, layout.samplesPerPixel, layout.bitsAllocated, layout.isSigned};
    J2kStreamInfo streamInfo;
    auto decoded = decodeJ2kFrame(stream->data(), stream->size(), expect,
                                  what + " frame " + std::to_string(frame), &streamInfo);
    if (!decoded) return decoded.error();
    if (decoded->size() != layout.bytes()) {
      return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 frame decoded to " + std::to_string(decoded->size()) +
                                               " bytes, expected " + std::to_string(layout.bytes()));
    }
    std::memcpy(dst, decoded->data(), decoded->size());
    // With the multiple component transform (YBR_RCT / YBR_ICT) the decoder
    // already returned RGB; otherwise the samples are as the header says.
    if (colorModel != nullptr) {
      *colorModel = layout.samplesPerPixel == 3 && streamInfo.colourTransform
                        ? "RGB"
                        : getString(ds, DCM_PhotometricInterpretation);
    }
    return okStatus();
  }
  Uint32 startFragment = 0;
  const int frames = std::max(1, getInt(ds, DCM_NumberOfFrames, 1));
  if (frames > 1 && DcmXfer(ds.getOriginalXfer()).isEncapsulated()) {
    // Frames may be asked in any order (a volume sorted along its normal):
    // tell DCMTK where each one starts instead of letting it guess.
    DcmPixelSequence* seq = nullptr;
    if (pixels->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, seq).good() && seq != nullptr) {
      auto ranges = fragmentRanges(*seq, frames, 0xD8, what);
      if (ranges && static_cast<std::size_t>(frame) < ranges->size()) {
        startFragment = static_cast<Uint32>(ranges.value()[static_cast<std::size_t>(frame)].first);
      }
    }
  }
  OFString model;
  const auto bufSize = static_cast<Uint32>(layout.bytes() + (layout.bytes() & 1));
  std::vector<std::uint8_t> padded;
  std::uint8_t* target = dst;
  if (bufSize != layout.bytes()) {  // odd-sized frame: DCMTK wants an even buffer
    padded.resize(bufSize);
    target = padded.data();
  }
  const OFCondition cond = pixels->getUncompressedFrame(&ds, static_cast<Uint32>(frame), startFragment, target,
                                                        bufSize, model, cache);
  if (cond.bad()) {
    const DcmXfer xfer(ds.getOriginalXfer());
    const bool noCodec = cond == EC_CannotChangeRepresentation || cond == EC_UnsupportedEncoding;
    return makeError(noCodec ? ErrorCode::Unsupported : ErrorCode::Corrupt,
                     what + ": cannot decode frame " + std::to_string(frame) + " (" + xfer.getXferName() + ", " +
                         xferUid + "): " + cond.text());
  }
  if (!padded.empty()) std::memcpy(dst, padded.data(), layout.bytes());
  if (colorModel != nullptr) *colorModel = model.c_str();
  return okStatus();
}

}  // namespace confrere::imaging::detail
