// Small helpers over DCMTK shared by imaging/*.cpp: typed attribute reads
// that return std::optional, and the one place that opens files. Internal.
#pragma once

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <array>
#include <filesystem>
#include <optional>
#include <string>

#include "confrere/imaging/result.h"

namespace confrere::imaging::detail {

std::string getString(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0);
std::optional<double> getDouble(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0);
int getInt(DcmItem& item, const DcmTagKey& tag, int fallback = 0);

template <std::size_t N>
std::optional<std::array<double, N>> getDoubles(DcmItem& item, const DcmTagKey& tag) {
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    Float64 v = 0;
    if (item.findAndGetFloat64(tag, v, static_cast<unsigned long>(i)).bad()) {
      return std::nullopt;
    }
    out[i] = v;
  }
  return out;
}

// Opens a DICOM file, header and small values in memory, large values (Pixel
// Data, Waveform Data) left on disk for partial reads. Fails with NotFound,
// NotDicom or Corrupt, naming the file and DCMTK's reason.
Status openDicom(const std::filesystem::path& path, DcmFileFormat& file, bool loadAll = false);

}  // namespace confrere::imaging::detail
