// What one DICOM file is, read from its header without decoding pixels:
// identity, kind, image attributes and the geometry of every frame.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "confrere/imaging/result.h"

namespace confrere::imaging {

enum class ObjectKind { Image, Photo, Ecg, Sr, Pr, Ko, Other };

// "image", "photo", "ecg", "sr", "pr", "ko", "other" (the info JSON values).
const char* toString(ObjectKind kind);

// Geometry and value transform of one frame. Classic objects have one entry
// from the top-level attributes; enhanced multi-frame objects one per frame
// from the shared and per-frame functional groups.
struct FrameGeometry {
  std::optional<std::array<double, 3>> positionLps;     // Image Position (Patient), mm
  std::optional<std::array<double, 6>> orientation;     // Image Orientation (Patient): row then column cosines
  std::optional<std::array<double, 2>> pixelSpacingMm;  // Pixel Spacing: [row spacing, column spacing]
  std::optional<double> sliceThicknessMm;
  std::optional<double> spacingBetweenSlicesMm;
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  // Modality LUT Sequence, when present and valid: value = lut[clamp(stored - lutFirstStored)],
  // replacing the rescale.
  std::shared_ptr<const std::vector<double>> modalityLut;
  int lutFirstStored = 0;
  std::optional<double> windowCenter;
  std::optional<double> windowWidth;
};

struct ObjectInfo {
  std::filesystem::path path;      // where the bytes are (a temporary file for zip members)
  std::string displayPath;         // what the user knows it as (path, or "archive.zip/member")
  ObjectKind kind = ObjectKind::Other;
  std::string patientId;
  std::string patientName;
  std::string studyUid;
  std::string seriesUid;
  std::string sopInstanceUid;
  std::string sopClassUid;
  std::string transferSyntaxUid;
  std::string modality;
  std::string frameOfReferenceUid;
  std::string studyDate;
  std::string seriesDescription;
  std::string specificCharacterSet;
  int seriesNumber = 0;
  int instanceNumber = 0;
  // Image attributes (0 when absent).
  int rows = 0;
  int columns = 0;
  int frames = 0;  // 1 for single-frame images, 0 for non-images
  int samplesPerPixel = 0;
  int bitsAllocated = 0;
  int bitsStored = 0;
  int highBit = 0;
  int pixelRepresentation = 0;
  int planarConfiguration = 0;
  std::string photometric;
  bool hasPixelData = false;
  bool encapsulated = false;  // compressed transfer syntax
  std::optional<std::array<double, 2>> pixelSpacingMm;        // top-level or shared functional group
  std::optional<std::array<double, 2>> imagerPixelSpacingMm;  // projection radiography
  bool enhanced = false;                                      // per-frame functional groups present
  std::vector<FrameGeometry> frameGeometry;                   // size 1 (classic) or `frames` (enhanced)
  std::string rescaleType;                                    // e.g. "HU"
  int exifOrientation = 0;                                    // photos (JPEG/PNG): EXIF value, 0 when none

  // Modality value of a stored value in frame i (rescale or Modality LUT).
  double modalityValue(int frame, double stored) const;

  // Geometry of frame i (the shared one for classic objects).
  const FrameGeometry& geometryOf(int frame) const;
};

// Reads the header of a DICOM file (pixel data is not loaded). Fails with
// NotFound, NotDicom (not a DICOM file), Corrupt (unreadable or truncated
// header, or Pixel Data shorter than Rows x Columns x Frames claims) or
// TooLarge (dimensions beyond any plausible image), naming the file.
Result<ObjectInfo> readObjectInfo(const std::filesystem::path& path);

// Kind of an object from its SOP Class UID (and the presence of pixels).
ObjectKind kindOf(const std::string& sopClassUid, bool hasPixelData);

}  // namespace confrere::imaging
