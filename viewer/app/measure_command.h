// `confrere measure INPUT --json`: length, angle or ellipse ROI statistics on
// one image (a file, or a slice of a series), with units.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace confrere::app {

struct MeasureOptions {
  std::filesystem::path input;
  std::vector<double> length;   // X1,Y1,X2,Y2 (pixels, column first)
  std::vector<double> ellipse;  // X,Y,RX,RY
  std::vector<double> angle;    // X1,Y1,X2,Y2,X3,Y3 (vertex in the middle)
  std::optional<int> slice;
  int frame = 0;
  std::string seriesUid;
  bool json = false;
};

int runMeasure(const MeasureOptions& options);

}  // namespace confrere::app
