#include "measure_command.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/measure.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"

namespace confrere::app {
namespace {

int fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "confrere measure: %s\n", message.c_str());
  return code;
}

}  // namespace

int runMeasure(const MeasureOptions& options) {
  const int asked = (options.length.empty() ? 0 : 1) + (options.ellipse.empty() ? 0 : 1) + (options.angle.empty() ? 0 : 1);
  if (asked != 1) return fail("give exactly one of --length X1,Y1,X2,Y2, --roi-ellipse X,Y,RX,RY, --angle X1,Y1,X2,Y2,X3,Y3", 2);
  if (!options.length.empty() && options.length.size() != 4) return fail("--length needs 4 numbers: X1,Y1,X2,Y2", 2);
  if (!options.ellipse.empty() && options.ellipse.size() != 4) return fail("--roi-ellipse needs 4 numbers: X,Y,RX,RY", 2);
  if (!options.angle.empty() && options.angle.size() != 6) return fail("--angle needs 6 numbers: X1,Y1,X2,Y2,X3,Y3", 2);

  // The image and its calibration: a slice of a series, or one file's frame.
  auto catalog = imaging::scanMedia(options.input);
  if (!catalog) return fail(catalog.error().message);
  const auto series = imaging::assembleSeries(catalog->objects);
  imaging::DisplayFrame frame;
  imaging::Calibration calibration;
  std::string where;
  const imaging::SeriesVolume* chosen = nullptr;
  for (const auto& s : series) {
    if ((options.seriesUid.empty() ? !s.colour : s.seriesUid == options.seriesUid) && chosen == nullptr) chosen = &s;
  }
  if (!options.seriesUid.empty() && chosen == nullptr) return fail(options.input.string() + ": no series " + options.seriesUid);
  if (chosen != nullptr && (chosen->dims[2] > 1 || options.slice)) {
    const int z = options.slice.value_or(chosen->dims[2] / 2);
    if (z < 0 || z >= chosen->dims[2]) {
      return fail("--slice " + std::to_string(z) + " out of range (0.." + std::to_string(chosen->dims[2] - 1) + ")", 2);
    }
    const imaging::SliceRef& ref = chosen->slices[static_cast<std::size_t>(z)];
    const imaging::ObjectInfo& object = catalog->objects[ref.object];
    auto loaded = imaging::loadDisplayFrame(object.path, ref.frame);
    if (!loaded) return fail(loaded.error().message);
    frame = std::move(loaded).value();
    calibration = imaging::calibrationOf(object, ref.frame);
    where = object.displayPath;
  } else {
    const imaging::ObjectInfo* object = nullptr;
    for (const auto& o : catalog->objects) {
      if (o.rows > 0 && (o.kind == imaging::ObjectKind::Image || o.kind == imaging::ObjectKind::Photo)) {
        object = &o;
        break;
      }
    }
    if (object == nullptr) return fail(options.input.string() + ": no image to measure");
    auto loaded = imaging::loadDisplayFrame(object->path, options.frame);
    if (!loaded) return fail(loaded.error().message);
    frame = std::move(loaded).value();
    calibration = imaging::calibrationOf(*object, options.frame);
    where = object->displayPath;
  }

  nlohmann::json out;
  out["path"] = where;
  out["calibration"] = {{"source", calibration.source}, {"note", calibration.note}};
  if (calibration.calibrated()) out["pixelSpacingMm"] = {*calibration.rowSpacingMm, *calibration.columnSpacingMm};
  if (!options.length.empty()) {
    const auto& v = options.length;
    const imaging::Length l = imaging::measureLength({v[0], v[1]}, {v[2], v[3]}, calibration);
    out["lengthPx"] = l.pixels;
    if (l.millimetres) out["lengthMm"] = *l.millimetres;
  } else if (!options.angle.empty()) {
    const auto& v = options.angle;
    out["angleDeg"] = imaging::measureAngle({v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}, calibration);
  } else {
    const auto& v = options.ellipse;
    auto stats = imaging::ellipseStatistics(frame, {v[0], v[1]}, v[2], v[3], calibration);
    if (!stats) return fail(where + ": " + stats.error().message, 2);
    out["mean"] = stats->mean;
    out["sd"] = stats->sd;
    out["min"] = stats->min;
    out["max"] = stats->max;
    out["pixels"] = stats->pixels;
    out["areaPx"] = stats->areaPx;
    if (stats->areaMm2) out["areaMm2"] = *stats->areaMm2;
    out["units"] = stats->units;
  }
  if (options.json) {
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& [key, value] : out.items()) std::cout << key << ": " << value.dump() << "\n";
  }
  return 0;
}

}  // namespace confrere::app
