#include "paths.h"

#include <cstdlib>

namespace confrere::app {

std::filesystem::path assetsDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("CONFRERE_ASSETS_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {exe.parent_path() / "assets", exe.parent_path() / ".." / "share" / "confrere" / "assets"}) {
      if (fs::is_directory(candidate / "demo", ec)) {
        return candidate;
      }
    }
  }
  const fs::path source = CONFRERE_SOURCE_ASSETS_DIR;
  if (fs::is_directory(source, ec)) {
    return source;
  }
  return {};
}

}  // namespace confrere::app
