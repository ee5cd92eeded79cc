// Reading and writing plain image files (PNG, JPEG): the photos a requester
// attaches, and the PNGs the renderer writes.
#pragma once

#include <filesystem>
#include <string>

#include "confrere/imaging/image.h"
#include "confrere/imaging/result.h"

namespace confrere::imaging {

// A photo decoded to sRGB Rgb8, upright: the EXIF Orientation (1-8) has been
// applied, so width/height are those after rotation.
struct Photo {
  Image image;
  int exifOrientation = 0;  // 0 when the file has none
  int storedWidth = 0;      // as encoded, before orientation
  int storedHeight = 0;
};

// Size and orientation of a JPEG/PNG photo without decoding its pixels.
struct PhotoHeader {
  int width = 0;   // as displayed, after EXIF orientation
  int height = 0;
  int storedWidth = 0;
  int storedHeight = 0;
  int exifOrientation = 0;
  int components = 3;
  std::string format;  // "JPEG" or "PNG"
};
Result<PhotoHeader> readPhotoHeader(const std::filesystem::path& path);

// Loads a JPEG or PNG photo. Fails with NotFound, Unsupported (not JPEG/PNG),
// Corrupt (truncated or undecodable) or TooLarge (beyond kMaxPhotoPixels).
Result<Photo> loadPhoto(const std::filesystem::path& path);

// True when the first bytes look like JPEG or PNG.
bool looksLikePhoto(const std::filesystem::path& path);

// Decoding refuses images above this many pixels (a hostile header must not
// make us allocate gigabytes).
inline constexpr long long kMaxPhotoPixels = 200'000'000;

// Writes an Rgb8 or Rgba8 image as PNG. Fails with Io or InvalidArgument.
Status writePng(const std::filesystem::path& path, const Image& image);

// Reads a PNG into Rgba8 (or Rgb8 when it has no alpha).
Result<Image> readPng(const std::filesystem::path& path);

// Applies an EXIF orientation (1..8) to an interleaved 8-bit image.
Image applyExifOrientation(const Image& image, int orientation);

}  // namespace confrere::imaging
