// `confrere render`: draws an input through the same OpenGL renderer and
// shaders as the window, into an offscreen framebuffer, and writes a PNG.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>

namespace confrere::app {

struct RenderOptions {
  std::filesystem::path input;
  std::filesystem::path output;
  int width = 512;
  int height = 512;
  std::string view;                    // axial|coronal|sagittal|oblique|mip|minip|vr|photo|ecg ("" = natural)
  int frame = 0;
  std::optional<int> slice;            // --slice N: index along the view's axis (axial: in the sorted series)
  std::optional<double> positionMm;    // --position MM: along the slice normal (axial)
  std::string seriesUid;               // --series UID
  std::optional<double> windowCenter;  // with windowWidth: --window C,W
  std::optional<double> windowWidth;
  std::string preset;                  // W/L preset, or transfer-function preset for vr
  double slabMm = 10.0;                // mip/minip slab thickness
  std::array<double, 2> obliqueDegrees{30.0, 0.0};
  double azimuthDegrees = 30.0;        // vr camera
  double elevationDegrees = 15.0;
  std::string ecgLayout = "3x4+1";
  std::optional<double> dpi;           // ECG: true physical scale at this DPI (default: fit the output)
  double speedMmPerS = 25.0;           // ECG paper speed: 12.5, 25 or 50
  double gainMmPerMv = 10.0;           // ECG gain: 5, 10 or 20
  double startS = 0.0;                 // ECG: scroll position in seconds
  std::filesystem::path assetsDir;     // fonts for the overlay text
  bool overlay = true;
};

// Returns the process exit code; errors go to stderr naming the file.
int runRender(const RenderOptions& options);

}  // namespace confrere::app
