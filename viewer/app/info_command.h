// `confrere info PATH [--json]`: everything found under PATH (a file, folder,
// DICOMDIR or zip): objects, assembled volumes, ECGs, errors, skipped files.
#pragma once

#include <filesystem>

namespace confrere::app {

// Prints the catalogue (JSON with the keys of the headless contract, or a
// readable summary). Returns 0 when anything could be read, 1 otherwise (with
// a one-line reason on stderr).
int runInfo(const std::filesystem::path& path, bool json);

}  // namespace confrere::app
