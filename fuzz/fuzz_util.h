// Writes the fuzzer's bytes to a per-process temporary file: the loaders take
// paths, as users give them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

inline std::filesystem::path fuzzInputFile(const std::uint8_t* data, std::size_t size, const char* ext) {
  const auto path = std::filesystem::temp_directory_path() / ("confrere-fuzz-" + std::to_string(getpid()) + ext);
  if (std::FILE* f = std::fopen(path.c_str(), "wb"); f != nullptr) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  return path;
}
