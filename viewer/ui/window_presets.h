// Window/level presets on keys 1-5 (the field's consensus values, in HU).
#pragma once

#include <array>

namespace confrere::ui {

struct WindowPreset {
  const char* name;     // command-line name (--preset)
  const char* labelFr;
  const char* labelEn;
  double width;
  double center;
};

inline constexpr std::array<WindowPreset, 5> kWindowPresets{{
    {"soft-tissue", "Tissus mous", "Soft tissue", 400, 40},
    {"lung", "Poumon", "Lung", 1500, -600},
    {"liver", "Foie", "Liver", 150, 90},
    {"bone", "Os", "Bone", 2500, 480},
    {"brain", "Cerveau", "Brain", 80, 40},
}};

}  // namespace confrere::ui
