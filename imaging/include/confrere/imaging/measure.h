// Measurements on a 2D image in its own pixel grid: length, angle, ellipse
// ROI statistics. Pixel coordinates: x = column, y = row, with integer
// values at pixel centres ((0, 0) is the centre of the top-left pixel).
// Physical units come from the calibration, never assumed.
#pragma once

#include <optional>
#include <string>

#include "confrere/imaging/dicom_object.h"
#include "confrere/imaging/image.h"
#include "confrere/imaging/result.h"

namespace confrere::imaging {

struct PixelPoint {
  double x = 0;  // column
  double y = 0;  // row
};

// How pixels map to millimetres, and what the user must be told about it.
struct Calibration {
  std::optional<double> rowSpacingMm;     // between rows (vertical)
  std::optional<double> columnSpacingMm;  // between columns (horizontal)
  std::string source;  // "Pixel Spacing", "Imager Pixel Spacing", "none" (or a user calibration)
  std::string note;    // e.g. the detector-plane warning for Imager Pixel Spacing
  bool calibrated() const { return rowSpacingMm.has_value() && columnSpacingMm.has_value(); }
};

// From the object's attributes: Pixel Spacing first; Imager Pixel Spacing
// (projection radiography) with the note PS3.3 asks for (measured at the
// detector, not corrected for geometric magnification); none otherwise.
Calibration calibrationOf(const ObjectInfo& object, int frame = 0);

struct Length {
  double pixels = 0;
  std::optional<double> millimetres;
};
Length measureLength(PixelPoint a, PixelPoint b, const Calibration& calibration);

// Angle at `vertex` between the rays to `a` and `b`, in degrees [0, 180],
// computed in millimetres when calibrated (pixels may not be square).
double measureAngle(PixelPoint a, PixelPoint vertex, PixelPoint b, const Calibration& calibration);

struct RoiStatistics {
  std::size_t pixels = 0;  // pixel centres inside the ROI
  double mean = 0;
  double sd = 0;           // population standard deviation
  double min = 0;
  double max = 0;
  double areaPx = 0;       // geometric area of the ellipse in pixels
  std::optional<double> areaMm2;
  std::string units;       // "HU" for CT, empty when the modality has none
};

// Statistics of modality values (e.g. HU) inside the ellipse centred at
// `centre` with radii rx (columns) and ry (rows), in pixels. Fails with
// InvalidArgument for a colour image, non-positive radii, or an ellipse
// holding no pixel centre of the image.
Result<RoiStatistics> ellipseStatistics(const DisplayFrame& frame, PixelPoint centre, double rx, double ry,
                                        const Calibration& calibration);

}  // namespace confrere::imaging
