// Where the application finds its assets (fonts, demo case).
#pragma once

#include <filesystem>

namespace confrere::app {

// The first that exists of: $CONFRERE_ASSETS_DIR, <exe dir>/assets,
// <exe dir>/../share/confrere/assets, the source tree's assets/ (builds run
// from the tree). Returns an empty path when none exists.
std::filesystem::path assetsDir();

}  // namespace confrere::app
