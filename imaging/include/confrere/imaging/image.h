// Owning 2D images handed from the imaging library to the renderer and the
// writers. Plain CPU data: no DICOM object, no GL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace confrere::imaging {

// Pixel layouts the library produces.
//  - Gray32F: modality values (e.g. HU for CT) after the Modality LUT, one
//    float per pixel; exact for every 16-bit stored value.
//  - Rgb8 / Rgba8: colour in sRGB, interleaved.
enum class PixelFormat { Gray32F, Rgb8, Rgba8 };

int channelCount(PixelFormat format);
std::size_t bytesPerPixel(PixelFormat format);

struct Image {
  int width = 0;   // columns
  int height = 0;  // rows
  PixelFormat format = PixelFormat::Rgba8;
  std::vector<std::uint8_t> bytes;  // row-major, tightly packed, top row first

  bool empty() const { return width <= 0 || height <= 0 || bytes.empty(); }
  std::size_t rowBytes() const { return static_cast<std::size_t>(width) * bytesPerPixel(format); }

  const float* grayData() const { return reinterpret_cast<const float*>(bytes.data()); }  // Gray32F only
  float* grayData() { return reinterpret_cast<float*>(bytes.data()); }                      // Gray32F only

  static Image allocate(int width, int height, PixelFormat format);
};

// A VOI window in modality units (PS3.3 C.11.2.1.2).
struct Window {
  double center = 0.0;
  double width = 1.0;
  std::string explanation;
};

// A frame ready to display: pixel values plus how the file says to show them.
struct DisplayFrame {
  Image image;
  bool monochrome1 = false;         // invert after VOI (greyscale only)
  std::vector<Window> windows;      // the file's VOI windows, first = default
  std::optional<double> minValue;   // modality value range of this frame, padding pixels excluded
  std::optional<double> maxValue;
  std::string units;                // "HU" for CT, empty when unknown
  std::optional<double> rowSpacingMm;     // Pixel Spacing [0]
  std::optional<double> columnSpacingMm;  // Pixel Spacing [1]

  // The default window: the file's first one, else the full value range.
  Window defaultWindow() const;
};

}  // namespace confrere::imaging
