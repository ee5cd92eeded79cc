// Series assembly: image objects grouped into stacks (by series, then by
// orientation and size when a series mixes them), slices sorted by their
// position projected on the slice normal, and the stack's geometry in patient
// coordinates (LPS). Spacing comes from the files, never invented; anything
// irregular is reported as a warning.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_object.h"

namespace confrere::imaging {

struct SliceRef {
  std::size_t object = 0;  // index into the objects given to assembleSeries()
  int frame = 0;           // frame within that object
  double positionMm = 0;   // position along the normal (0 when no geometry)
};

struct SeriesVolume {
  std::string seriesUid;
  std::string studyUid;
  std::string patientId;
  std::string modality;
  std::string frameOfReferenceUid;
  std::string seriesDescription;
  int seriesNumber = 0;
  int stackIndex = 0;  // 0 unless the series was split into several stacks

  std::array<int, 3> dims{0, 0, 0};  // x = columns, y = rows, z = slices
  // x = column spacing (Pixel Spacing[1]), y = row spacing (Pixel Spacing[0]),
  // z = distance between slice centres along the normal. Absent when the
  // files do not state it (no Pixel Spacing; a single slice without Spacing
  // Between Slices or Slice Thickness).
  std::array<std::optional<double>, 3> spacingMm{};
  std::optional<std::array<double, 3>> originLps;  // centre of the first voxel (first slice after sorting)
  // Direction cosines as a 3x3 matrix whose columns are the x, y, z axes in
  // LPS, listed row-major (the ITK / SimpleITK GetDirection() convention).
  // Absent when the files have no Image Orientation (Patient).
  std::optional<std::array<double, 9>> direction;
  std::vector<SliceRef> slices;       // sorted along the normal
  std::vector<std::string> warnings;  // uneven spacing, missing slices, gantry tilt, mixed sizes...
  bool geometryComplete = false;      // every slice has position and orientation
  bool colour = false;                // samples per pixel 3 (shown frame by frame, not as a volume)
};

// Assembles the Image and Photo objects among `objects` (others are ignored).
// Multi-frame objects contribute one slice per frame, with per-frame geometry
// when they are enhanced.
std::vector<SeriesVolume> assembleSeries(const std::vector<ObjectInfo>& objects);

}  // namespace confrere::imaging
