#include "pixel_decode.h"

#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cstring>
#include <vector>

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
  if (layout.bitsAllocated % 8 != 0) {
    return makeError(ErrorCode::Unsupported, what + ": Bits Allocated " + std::to_string(layout.bitsAllocated) +
                                                 " not supported (8, 16 or 32)");
  }
  const std::string xferUid = getString(*file.getMetaInfo(), DCM_TransferSyntaxUID);
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
    auto decoded = decodeJ2kFrame(stream->data(), stream->size(), expect,
                                  what + " frame " + std::to_string(frame));
    if (!decoded) return decoded.error();
    if (decoded->size() != layout.bytes()) {
      return makeError(ErrorCode::Corrupt, what + ": JPEG 2000 frame decoded to " + std::to_string(decoded->size()) +
                                               " bytes, expected " + std::to_string(layout.bytes()));
    }
    std::memcpy(dst, decoded->data(), decoded->size());
    if (colorModel != nullptr) *colorModel = layout.samplesPerPixel == 3 ? "RGB" : getString(ds, DCM_PhotometricInterpretation);
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
