#include "confrere/imaging/image.h"

#include <algorithm>
#include <stdexcept>

namespace confrere::imaging {

int channelCount(PixelFormat format) {
  switch (format) {
    case PixelFormat::Gray32F: return 1;
    case PixelFormat::Rgb8: return 3;
    case PixelFormat::Rgba8: return 4;
  }
  return 0;
}

std::size_t bytesPerPixel(PixelFormat format) {
  switch (format) {
    case PixelFormat::Gray32F: return 4;
    case PixelFormat::Rgb8: return 3;
    case PixelFormat::Rgba8: return 4;
  }
  return 0;
}

Image Image::allocate(int width, int height, PixelFormat format) {
  if (width <= 0 || height <= 0) {
    throw std::invalid_argument("Image::allocate: non-positive size");
  }
  Image image;
  image.width = width;
  image.height = height;
  image.format = format;
  image.bytes.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * bytesPerPixel(format));
  return image;
}

Window DisplayFrame::defaultWindow() const {
  if (!windows.empty()) {
    return windows.front();
  }
  Window w;
  const double lo = minValue.value_or(0.0);
  const double hi = maxValue.value_or(255.0);
  // Linear VOI maps [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2] to the output range;
  // choose c and w so that lo maps to black and hi to white.
  w.width = std::max(1.0, hi - lo + 1.0);
  w.center = lo + 0.5 + (w.width - 1.0) / 2.0;
  w.explanation = "min/max";
  return w;
}

}  // namespace confrere::imaging
