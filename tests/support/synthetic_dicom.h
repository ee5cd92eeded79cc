// Writes DICOM files with known content and geometry, for tests and
// benchmarks: what we read back must be exactly what we wrote.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace confrere::test {

struct SyntheticSeries {
  int rows = 16;
  int columns = 12;
  int slices = 5;
  std::array<double, 3> originLps{-100.0, -80.0, 50.0};  // first slice (in the sorted order)
  std::array<double, 3> rowDirection{1, 0, 0};            // Image Orientation (Patient) row cosines
  std::array<double, 3> columnDirection{0, 1, 0};         // column cosines
  // Step between consecutive slices, in LPS. Defaults to normal * 2.5 mm;
  // a step off the normal makes a tilted (sheared) stack.
  std::optional<std::array<double, 3>> step;
  double sliceSpacingMm = 2.5;
  std::array<double, 2> pixelSpacingMm{0.5, 0.75};  // [row spacing, column spacing]
  double rescaleSlope = 1.0;
  double rescaleIntercept = -1024.0;
  bool signedPixels = true;
  std::string modality = "CT";
  std::string seriesUid = "1.2.826.0.1.3680043.8.498.1";
  std::string studyUid = "1.2.826.0.1.3680043.8.498.2";
  std::string patientId = "SYNTH-001";
  std::string transferSyntax = "1.2.840.10008.1.2.1";  // explicit LE; JPEG-LS lossless: 1.2.840.10008.1.2.4.80
  bool writeInReverse = false;                          // file names in the opposite order of position
  std::vector<int> skipSlices;                          // indices not written (missing slices)
  // Stored value at (x, y, z); z is the index along the normal.
  std::function<int(int x, int y, int z)> value = [](int x, int y, int z) { return x + 3 * y + 100 * z; };
};

// Writes one file per slice into `dir` (created), named so that directory
// order is acquisition order unless writeInReverse. Returns the paths.
// Throws std::runtime_error on failure (a broken test set-up).
std::vector<std::filesystem::path> writeSyntheticSeries(const std::filesystem::path& dir, const SyntheticSeries& s);

// The slice normal (row x column), normalised.
std::array<double, 3> sliceNormal(const SyntheticSeries& s);

}  // namespace confrere::test
