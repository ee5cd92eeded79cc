#include "confrere/imaging/series.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace confrere::imaging {
namespace {

using Vec3 = std::array<double, 3>;

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

// snprintf into a std::string; a macro so the format stays a checked literal.
#define CONFRERE_FORMAT(...)                     \
  [&] {                                          \
    char buffer_[256];                           \
    std::snprintf(buffer_, sizeof buffer_, __VA_ARGS__); \
    return std::string(buffer_);                 \
  }()

// Orientation rounded so that float noise between slices of one stack does
// not split it (1e-3 on a cosine is about 0.06 degrees).
std::string orientationKey(const std::optional<std::array<double, 6>>& o) {
  if (!o) return "none";
  std::string key;
  for (double v : *o) key += std::to_string(std::lround(v * 1000.0)) + ",";
  return key;
}

struct Candidate {
  SliceRef ref;
  const ObjectInfo* object = nullptr;
  const FrameGeometry* geometry = nullptr;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void assembleStack(SeriesVolume& volume, std::vector<Candidate>& slices) {
  const ObjectInfo& first = *slices.front().object;
  volume.dims = {first.columns, first.rows, static_cast<int>(slices.size())};
  volume.colour = first.samplesPerPixel >= 3;
  const FrameGeometry& g0 = *slices.front().geometry;
  if (g0.pixelSpacingMm) {
    volume.spacingMm[0] = (*g0.pixelSpacingMm)[1];
    volume.spacingMm[1] = (*g0.pixelSpacingMm)[0];
  } else {
    volume.warnings.push_back(first.imagerPixelSpacingMm
                                  ? "no Pixel Spacing (only Imager Pixel Spacing, at the detector): sizes need calibration"
                                  : "no Pixel Spacing: measurements in pixels only");
  }
  for (const auto& s : slices) {
    if (s.geometry->pixelSpacingMm != g0.pixelSpacingMm) {
      volume.warnings.push_back("pixel spacing differs between slices");
      break;
    }
  }

  volume.geometryComplete = std::all_of(slices.begin(), slices.end(), [](const Candidate& c) {
    return c.geometry->positionLps.has_value() && c.geometry->orientation.has_value();
  });
  if (!volume.geometryComplete) {
    // No patient geometry (secondary capture, cine, projection X-ray):
    // keep the acquisition order, state it.
    std::stable_sort(slices.begin(), slices.end(), [](const Candidate& a, const Candidate& b) {
      if (a.object->instanceNumber != b.object->instanceNumber) return a.object->instanceNumber < b.object->instanceNumber;
      return a.ref.frame < b.ref.frame;
    });
    if (slices.size() > 1) {
      volume.warnings.push_back("no Image Position/Orientation (Patient): frames ordered by Instance Number and frame, "
                                "no slice spacing");
    }
    for (const auto& c : slices) volume.slices.push_back(c.ref);
    return;
  }

  const auto& o = *g0.orientation;
  const Vec3 row{o[0], o[1], o[2]};
  const Vec3 col{o[3], o[4], o[5]};
  Vec3 normal = cross(row, col);
  const double n = norm(normal);
  if (n < 1e-6) {
    volume.warnings.push_back("Image Orientation (Patient) is degenerate (row and column cosines parallel)");
    volume.geometryComplete = false;
    for (const auto& c : slices) volume.slices.push_back(c.ref);
    return;
  }
  for (double& v : normal) v /= n;
  for (auto& c : slices) c.ref.positionMm = dot(*c.geometry->positionLps, normal);
  std::stable_sort(slices.begin(), slices.end(),
                   [](const Candidate& a, const Candidate& b) { return a.ref.positionMm < b.ref.positionMm; });
  for (const auto& c : slices) volume.slices.push_back(c.ref);

  volume.originLps = *slices.front().geometry->positionLps;
  volume.direction = std::array<double, 9>{row[0], col[0], normal[0], row[1], col[1], normal[1],
                                           row[2], col[2], normal[2]};

  if (slices.size() == 1) {
    if (g0.spacingBetweenSlicesMm && *g0.spacingBetweenSlicesMm > 0) {
      volume.spacingMm[2] = *g0.spacingBetweenSlicesMm;
    } else if (g0.sliceThicknessMm && *g0.sliceThicknessMm > 0) {
      volume.spacingMm[2] = *g0.sliceThicknessMm;
      volume.warnings.push_back("single slice: z spacing is its Slice Thickness");
    } else {
      volume.warnings.push_back("single slice without Slice Thickness: no z spacing");
    }
    return;
  }

  std::vector<double> steps;
  std::size_t duplicates = 0;
  for (std::size_t i = 1; i < slices.size(); ++i) {
    const double d = slices[i].ref.positionMm - slices[i - 1].ref.positionMm;
    if (d < 1e-3) {
      ++duplicates;
    } else {
      steps.push_back(d);
    }
  }
  if (duplicates > 0) {
    volume.warnings.push_back(std::to_string(duplicates) +
                              " slice(s) share a position with another (several phases, echoes or duplicates?)");
  }
  if (steps.empty()) {
    volume.warnings.push_back("all slices at the same position: no z spacing");
    return;
  }
  const double m = median(steps);
  volume.spacingMm[2] = m;
  // Plain variables, not a structured binding: the format lambda captures them.
  const double minStep = *std::min_element(steps.begin(), steps.end());
  const double maxStep = *std::max_element(steps.begin(), steps.end());
  if (maxStep - minStep > std::max(0.01 * m, 0.01)) {
    volume.warnings.push_back(CONFRERE_FORMAT("uneven slice spacing: from %.3f to %.3f mm (median %.3f mm)", minStep, maxStep, m));
  }
  for (std::size_t i = 1; i < slices.size(); ++i) {
    const double d = slices[i].ref.positionMm - slices[i - 1].ref.positionMm;
    if (d > 1.5 * m) {
      volume.warnings.push_back(CONFRERE_FORMAT("gap of %.3f mm after slice %.0f: about %.0f missing slice(s)", d,
                                    static_cast<double>(i - 1), std::round(d / m) - 1));
    }
  }
  // Slices that do not follow their own normal: gantry tilt or a sheared stack.
  const Vec3& p0 = *slices.front().geometry->positionLps;
  const Vec3& p1 = *slices.back().geometry->positionLps;
  const Vec3 along{p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
  const double length = norm(along);
  if (length > 1e-3) {
    const double cosAngle = std::min(1.0, std::abs(dot(along, normal)) / length);
    const double degrees = std::acos(cosAngle) * 180.0 / M_PI;
    if (degrees > 0.5) {
      volume.warnings.push_back(CONFRERE_FORMAT("gantry tilt or sheared stack: slices advance %.2f degrees off their normal",
                                    degrees));
    }
  }
  if (g0.sliceThicknessMm && *g0.sliceThicknessMm > m * 1.01) {
    volume.warnings.push_back(CONFRERE_FORMAT("overlapping slices: thickness %.3f mm, spacing %.3f mm", *g0.sliceThicknessMm, m));
  }
}

}  // namespace

std::vector<SeriesVolume> assembleSeries(const std::vector<ObjectInfo>& objects) {
  // Group by series, then by stack key (size, samples, orientation). Objects
  // without geometry and with several frames (cine) are a stack each.
  std::map<std::string, std::map<std::string, std::vector<Candidate>>> bySeries;
  std::vector<std::string> seriesOrder;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const ObjectInfo& obj = objects[i];
    if (obj.kind != ObjectKind::Image || !obj.hasPixelData || obj.rows <= 0 || obj.columns <= 0) continue;
    const std::string series = obj.seriesUid.empty() ? "file:" + obj.displayPath : obj.seriesUid;
    if (bySeries.find(series) == bySeries.end()) seriesOrder.push_back(series);
    auto& stacks = bySeries[series];
    for (int f = 0; f < std::max(1, obj.frames); ++f) {
      const FrameGeometry& g = obj.geometryOf(f);
      std::string key = std::to_string(obj.rows) + "x" + std::to_string(obj.columns) + "x" +
                        std::to_string(obj.samplesPerPixel) + "|" + orientationKey(g.orientation);
      if (!g.positionLps && obj.frames > 1) key += "|object" + std::to_string(i);
      stacks[key].push_back(Candidate{SliceRef{i, f, 0.0}, &obj, &g});
    }
  }
  std::vector<SeriesVolume> out;
  for (const std::string& series : seriesOrder) {
    auto& stacks = bySeries[series];
    std::set<std::string> sizes;
    for (const auto& [key, slices] : stacks) sizes.insert(key.substr(0, key.find('|')));
    int index = 0;
    for (auto& [key, slices] : stacks) {
      const ObjectInfo& first = *slices.front().object;
      SeriesVolume v;
      v.seriesUid = first.seriesUid;
      v.studyUid = first.studyUid;
      v.patientId = first.patientId;
      v.modality = first.modality;
      v.frameOfReferenceUid = first.frameOfReferenceUid;
      v.seriesDescription = first.seriesDescription;
      v.seriesNumber = first.seriesNumber;
      v.stackIndex = index++;
      if (stacks.size() > 1) {
        v.warnings.push_back("series split into " + std::to_string(stacks.size()) + " stacks" +
                             (sizes.size() > 1 ? " (mixed sizes)" : " (mixed orientations or cine objects)"));
      }
      assembleStack(v, slices);
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace confrere::imaging
