#include "confrere/imaging/measure.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace confrere::imaging {

Calibration calibrationOf(const ObjectInfo& object, int frame) {
  Calibration c;
  const FrameGeometry& g = object.geometryOf(frame);
  if (g.pixelSpacingMm) {
    c.rowSpacingMm = (*g.pixelSpacingMm)[0];
    c.columnSpacingMm = (*g.pixelSpacingMm)[1];
    c.source = "Pixel Spacing";
  } else if (object.pixelSpacingMm) {
    c.rowSpacingMm = (*object.pixelSpacingMm)[0];
    c.columnSpacingMm = (*object.pixelSpacingMm)[1];
    c.source = "Pixel Spacing";
  } else if (object.imagerPixelSpacingMm) {
    c.rowSpacingMm = (*object.imagerPixelSpacingMm)[0];
    c.columnSpacingMm = (*object.imagerPixelSpacingMm)[1];
    c.source = "Imager Pixel Spacing";
    c.note = "measured in the detector plane, not corrected for geometric magnification";
  } else {
    c.source = "none";
    c.note = "no pixel spacing in the file: measurements in pixels";
  }
  if (c.rowSpacingMm && (*c.rowSpacingMm <= 0 || !std::isfinite(*c.rowSpacingMm))) c = Calibration{{}, {}, "none", "invalid pixel spacing in the file: measurements in pixels"};
  if (c.columnSpacingMm && (*c.columnSpacingMm <= 0 || !std::isfinite(*c.columnSpacingMm))) c = Calibration{{}, {}, "none", "invalid pixel spacing in the file: measurements in pixels"};
  return c;
}

Length measureLength(PixelPoint a, PixelPoint b, const Calibration& c) {
  Length l;
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  l.pixels = std::hypot(dx, dy);
  if (c.calibrated()) l.millimetres = std::hypot(dx * *c.columnSpacingMm, dy * *c.rowSpacingMm);
  return l;
}

double measureAngle(PixelPoint a, PixelPoint v, PixelPoint b, const Calibration& c) {
  const double sx = c.calibrated() ? *c.columnSpacingMm : 1.0;
  const double sy = c.calibrated() ? *c.rowSpacingMm : 1.0;
  const double ux = (a.x - v.x) * sx;
  const double uy = (a.y - v.y) * sy;
  const double wx = (b.x - v.x) * sx;
  const double wy = (b.y - v.y) * sy;
  const double angle = std::atan2(std::abs(ux * wy - uy * wx), ux * wx + uy * wy);
  return angle * 180.0 / M_PI;
}

Result<RoiStatistics> ellipseStatistics(const DisplayFrame& frame, PixelPoint centre, double rx, double ry,
                                        const Calibration& c) {
  if (frame.image.format != PixelFormat::Gray32F) {
    return makeError(ErrorCode::InvalidArgument, "ROI statistics need a greyscale image (this one is colour)");
  }
  if (!(rx > 0) || !(ry > 0)) {
    return makeError(ErrorCode::InvalidArgument, "ellipse radii must be positive (got " + std::to_string(rx) + ", " +
                                                     std::to_string(ry) + ")");
  }
  const int w = frame.image.width;
  const int h = frame.image.height;
  const int x0 = std::max(0, static_cast<int>(std::floor(centre.x - rx)));
  const int x1 = std::min(w - 1, static_cast<int>(std::ceil(centre.x + rx)));
  const int y0 = std::max(0, static_cast<int>(std::floor(centre.y - ry)));
  const int y1 = std::min(h - 1, static_cast<int>(std::ceil(centre.y + ry)));
  RoiStatistics s;
  s.min = std::numeric_limits<double>::max();
  s.max = std::numeric_limits<double>::lowest();
  double sum = 0;
  double sumSquares = 0;
  const float* v = frame.image.grayData();
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const double nx = (x - centre.x) / rx;
      const double ny = (y - centre.y) / ry;
      if (nx * nx + ny * ny > 1.0) continue;
      const double value = static_cast<double>(v[static_cast<std::size_t>(y) * w + x]);
      ++s.pixels;
      sum += value;
      sumSquares += value * value;
      s.min = std::min(s.min, value);
      s.max = std::max(s.max, value);
    }
  }
  if (s.pixels == 0) {
    return makeError(ErrorCode::InvalidArgument, "the ellipse holds no pixel of the " + std::to_string(w) + "x" +
                                                     std::to_string(h) + " image");
  }
  s.mean = sum / static_cast<double>(s.pixels);
  s.sd = std::sqrt(std::max(0.0, sumSquares / static_cast<double>(s.pixels) - s.mean * s.mean));
  s.areaPx = M_PI * rx * ry;
  if (c.calibrated()) s.areaMm2 = s.areaPx * *c.rowSpacingMm * *c.columnSpacingMm;
  s.units = frame.units;
  return s;
}

}  // namespace confrere::imaging
