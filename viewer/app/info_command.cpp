#include "info_command.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "confrere/imaging/media.h"
#include "confrere/imaging/series.h"

namespace confrere::app {
namespace {

using nlohmann::json;

template <class T>
json orNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json numberOrNull(int v) { return v > 0 ? json(v) : json(nullptr); }
json stringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json objectJson(const imaging::ObjectInfo& o) {
  const bool image = o.rows > 0;
  json j = {
      {"path", o.displayPath},
      {"kind", imaging::toString(o.kind)},
      {"patientId", stringOrNull(o.patientId)},
      {"patientName", stringOrNull(o.patientName)},
      {"studyUid", stringOrNull(o.studyUid)},
      {"seriesUid", stringOrNull(o.seriesUid)},
      {"sopInstanceUid", stringOrNull(o.sopInstanceUid)},
      {"sopClassUid", stringOrNull(o.sopClassUid)},
      {"transferSyntaxUid", stringOrNull(o.transferSyntaxUid)},
      {"modality", stringOrNull(o.modality)},
      {"rows", numberOrNull(o.rows)},
      {"columns", numberOrNull(o.columns)},
      {"frames", image ? json(std::max(1, o.frames)) : json(nullptr)},
      {"samplesPerPixel", image ? json(o.samplesPerPixel) : json(nullptr)},
      {"photometric", stringOrNull(o.photometric)},
      {"bitsAllocated", numberOrNull(o.bitsAllocated)},
      {"bitsStored", numberOrNull(o.bitsStored)},
      {"pixelRepresentation", image ? json(o.pixelRepresentation) : json(nullptr)},
  };
  if (o.pixelSpacingMm) j["pixelSpacingMm"] = {(*o.pixelSpacingMm)[0], (*o.pixelSpacingMm)[1]};
  if (o.imagerPixelSpacingMm) j["imagerPixelSpacingMm"] = {(*o.imagerPixelSpacingMm)[0], (*o.imagerPixelSpacingMm)[1]};
  if (o.kind == imaging::ObjectKind::Photo) j["exifOrientation"] = o.exifOrientation;
  if (o.enhanced) j["enhanced"] = true;
  if (!o.frameOfReferenceUid.empty()) j["frameOfReferenceUid"] = o.frameOfReferenceUid;
  return j;
}

json volumeJson(const imaging::SeriesVolume& v) {
  json j = {
      {"seriesUid", stringOrNull(v.seriesUid)},
      {"studyUid", stringOrNull(v.studyUid)},
      {"modality", stringOrNull(v.modality)},
      {"stackIndex", v.stackIndex},
      {"dims", {v.dims[0], v.dims[1], v.dims[2]}},
      {"spacingMm", {orNull(v.spacingMm[0]), orNull(v.spacingMm[1]), orNull(v.spacingMm[2])}},
      {"originLps", v.originLps ? json(*v.originLps) : json(nullptr)},
      {"direction", v.direction ? json(*v.direction) : json(nullptr)},
      {"warnings", v.warnings},
      {"colour", v.colour},
  };
  return j;
}

}  // namespace

int runInfo(const std::filesystem::path& path, bool asJson) {
  auto catalog = imaging::scanMedia(path);
  if (!catalog) {
    std::fprintf(stderr, "confrere info: %s\n", catalog.error().message.c_str());
    return 1;
  }
  const auto volumes = imaging::assembleSeries(catalog->objects);
  if (asJson) {
    json out;
    out["path"] = path.string();
    out["objects"] = json::array();
    for (const auto& o : catalog->objects) out["objects"].push_back(objectJson(o));
    out["volumes"] = json::array();
    for (const auto& v : volumes) out["volumes"].push_back(volumeJson(v));
    out["ecgs"] = json::array();
    for (const auto& e : catalog->ecgs) {
      json leads = json::array();
      for (const auto& l : e.leads) leads.push_back(l.name);
      out["ecgs"].push_back({{"path", e.path.string()},
                             {"leads", leads},
                             {"samplingHz", e.samplingHz},
                             {"samples", e.samples},
                             {"durationS", e.durationS()}});
    }
    out["errors"] = json::array();
    for (const auto& e : catalog->errors) out["errors"].push_back({{"path", e.path}, {"reason", e.reason}});
    out["skipped"] = json::array();
    for (const auto& e : catalog->skipped) out["skipped"].push_back({{"path", e.path}, {"reason", e.reason}});
    std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    std::printf("%zu object(s), %zu volume(s), %zu ECG(s), %zu error(s), %zu skipped\n", catalog->objects.size(),
                volumes.size(), catalog->ecgs.size(), catalog->errors.size(), catalog->skipped.size());
    for (const auto& v : volumes) {
      std::printf("  volume %s [%s] %dx%dx%d\n", v.seriesUid.c_str(), v.modality.c_str(), v.dims[0], v.dims[1],
                  v.dims[2]);
      for (const auto& w : v.warnings) std::printf("    warning: %s\n", w.c_str());
    }
    for (const auto& e : catalog->ecgs) {
      std::printf("  ECG %s: %zu leads, %.0f Hz, %.1f s\n", e.path.c_str(), e.leads.size(), e.samplingHz, e.durationS());
    }
    for (const auto& e : catalog->errors) std::printf("  error %s: %s\n", e.path.c_str(), e.reason.c_str());
  }
  if (catalog->objects.empty()) {
    const std::string reason = catalog->errors.empty() ? "no DICOM, photo or ECG file found"
                                                       : catalog->errors.front().reason;
    std::fprintf(stderr, "confrere info: %s: nothing could be read: %s\n", path.c_str(), reason.c_str());
    return 1;
  }
  return 0;
}

}  // namespace confrere::app
