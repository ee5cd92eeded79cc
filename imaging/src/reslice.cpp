#include "confrere/imaging/reslice.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace confrere::imaging {
namespace {

using Vec3 = std::array<double, 3>;

Vec3 add(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 scale(const Vec3& a, double s) { return {a[0] * s, a[1] * s, a[2] * s}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 normalised(const Vec3& a) {
  const double n = std::sqrt(dot(a, a));
  return n > 0 ? scale(a, 1.0 / n) : a;
}

Vec3 axisLps(const Volume& v, int axis) { return axisDirectionLps(v, axis); }

double spacingOf(const Volume& v, int axis) {
  return v.geometry.spacingMm[static_cast<std::size_t>(axis)].value_or(1.0);
}

double rawAt(const Volume& v, int x, int y, int z) {
  const std::size_t i = (static_cast<std::size_t>(z) * v.height() + y) * v.width() + x;
  switch (v.type) {
    case VoxelType::Int16: return reinterpret_cast<const std::int16_t*>(v.voxels.data())[i];
    case VoxelType::Uint16: return reinterpret_cast<const std::uint16_t*>(v.voxels.data())[i];
    case VoxelType::Float32: return reinterpret_cast<const float*>(v.voxels.data())[i];
  }
  return 0;
}

}  // namespace

std::array<double, 3> axisDirectionLps(const Volume& v, int axis) {
  if (!v.geometry.direction) {
    std::array<double, 3> d{0, 0, 0};
    d[static_cast<std::size_t>(axis)] = 1;
    return d;
  }
  const auto& m = *v.geometry.direction;  // row-major, axes as columns
  return {m[0 * 3 + static_cast<std::size_t>(axis)], m[1 * 3 + static_cast<std::size_t>(axis)],
          m[2 * 3 + static_cast<std::size_t>(axis)]};
}

int planeCount(const Volume& volume, PlaneView view) {
  switch (view) {
    case PlaneView::Axial: return volume.depth();
    case PlaneView::Coronal: return volume.height();
    case PlaneView::Sagittal: return volume.width();
    case PlaneView::Oblique: break;
  }
  return volume.depth();
}

Plane standardPlane(const Volume& volume, PlaneView view, double position, std::array<double, 2> obliqueDegrees) {
  Plane p;
  const int w = volume.width();
  const int h = volume.height();
  const int d = volume.depth();
  const Vec3 xLps = axisLps(volume, 0);
  const Vec3 yLps = axisLps(volume, 1);
  const Vec3 zLps = axisLps(volume, 2);
  // Head up on coronal and sagittal views: screen-down goes toward the feet
  // (LPS z decreasing). Pick the sign of the volume z axis accordingly.
  const bool zTowardHead = zLps[2] >= 0;
  switch (view) {
    case PlaneView::Axial:
      p.origin = {0, 0, position};
      p.u = {1, 0, 0};
      p.v = {0, 1, 0};
      p.normal = {0, 0, 1};
      p.width = w;
      p.height = h;
      p.columnSpacingMm = spacingOf(volume, 0);
      p.rowSpacingMm = spacingOf(volume, 1);
      p.rightLps = xLps;
      p.downLps = yLps;
      break;
    case PlaneView::Coronal:
      p.origin = {0, position, zTowardHead ? d - 1.0 : 0.0};
      p.u = {1, 0, 0};
      p.v = {0, 0, zTowardHead ? -1.0 : 1.0};
      p.normal = {0, 1, 0};
      p.width = w;
      p.height = d;
      p.columnSpacingMm = spacingOf(volume, 0);
      p.rowSpacingMm = spacingOf(volume, 2);
      p.rightLps = xLps;
      p.downLps = scale(zLps, zTowardHead ? -1.0 : 1.0);
      break;
    case PlaneView::Sagittal:
      p.origin = {position, 0, zTowardHead ? d - 1.0 : 0.0};
      p.u = {0, 1, 0};
      p.v = {0, 0, zTowardHead ? -1.0 : 1.0};
      p.normal = {1, 0, 0};
      p.width = h;
      p.height = d;
      p.columnSpacingMm = spacingOf(volume, 1);
      p.rowSpacingMm = spacingOf(volume, 2);
      p.rightLps = yLps;
      p.downLps = scale(zLps, zTowardHead ? -1.0 : 1.0);
      break;
    case PlaneView::Oblique: {
      // Work in mm so rotations are true angles, then convert to voxels.
      const Vec3 sp{spacingOf(volume, 0), spacingOf(volume, 1), spacingOf(volume, 2)};
      const double ax = obliqueDegrees[0] * M_PI / 180.0;
      const double ay = obliqueDegrees[1] * M_PI / 180.0;
      // Rotate the axial frame (x right, y down, z normal) about x then y.
      auto rotate = [&](Vec3 a) {
        a = {a[0], a[1] * std::cos(ax) - a[2] * std::sin(ax), a[1] * std::sin(ax) + a[2] * std::cos(ax)};
        return Vec3{a[0] * std::cos(ay) + a[2] * std::sin(ay), a[1], -a[0] * std::sin(ay) + a[2] * std::cos(ay)};
      };
      const Vec3 uMm = rotate({1, 0, 0});
      const Vec3 vMm = rotate({0, 1, 0});
      const Vec3 nMm = rotate({0, 0, 1});
      const double step = std::min({sp[0], sp[1], sp[2]});
      const Vec3 extentMm{w * sp[0], h * sp[1], d * sp[2]};
      const double diagonal = std::sqrt(dot(extentMm, extentMm));
      p.width = std::max(1, static_cast<int>(std::ceil(diagonal / step)));
      p.height = p.width;
      auto toVoxels = [&](const Vec3& mm) { return Vec3{mm[0] / sp[0], mm[1] / sp[1], mm[2] / sp[2]}; };
      p.u = toVoxels(scale(uMm, step));
      p.v = toVoxels(scale(vMm, step));
      p.normal = toVoxels(scale(nMm, step));
      const Vec3 centre{(w - 1) / 2.0, (h - 1) / 2.0, (d - 1) / 2.0};
      const Vec3 shifted = add(centre, toVoxels(scale(nMm, position)));
      p.origin = add(shifted, add(scale(p.u, -(p.width - 1) / 2.0), scale(p.v, -(p.height - 1) / 2.0)));
      p.columnSpacingMm = step;
      p.rowSpacingMm = step;
      p.rightLps = normalised(add(add(scale(xLps, uMm[0]), scale(yLps, uMm[1])), scale(zLps, uMm[2])));
      p.downLps = normalised(add(add(scale(xLps, vMm[0]), scale(yLps, vMm[1])), scale(zLps, vMm[2])));
      break;
    }
  }
  return p;
}

std::optional<double> sampleTrilinear(const Volume& v, const std::array<double, 3>& p) {
  const int w = v.width();
  const int h = v.height();
  const int d = v.depth();
  // Voxel centres at integer indices; valid range [-0.5, n - 0.5] like a
  // GPU texture with clamp-to-edge.
  if (p[0] < -0.5 || p[1] < -0.5 || p[2] < -0.5 || p[0] > w - 0.5 || p[1] > h - 0.5 || p[2] > d - 0.5) {
    return std::nullopt;
  }
  const double x = std::clamp(p[0], 0.0, w - 1.0);
  const double y = std::clamp(p[1], 0.0, h - 1.0);
  const double z = std::clamp(p[2], 0.0, d - 1.0);
  const int x0 = std::min(static_cast<int>(x), w - 1);
  const int y0 = std::min(static_cast<int>(y), h - 1);
  const int z0 = std::min(static_cast<int>(z), d - 1);
  const int x1 = std::min(x0 + 1, w - 1);
  const int y1 = std::min(y0 + 1, h - 1);
  const int z1 = std::min(z0 + 1, d - 1);
  const double fx = x - x0;
  const double fy = y - y0;
  const double fz = z - z0;
  auto lerp = [](double a, double b, double t) { return a + (b - a) * t; };
  const double c00 = lerp(rawAt(v, x0, y0, z0), rawAt(v, x1, y0, z0), fx);
  const double c10 = lerp(rawAt(v, x0, y1, z0), rawAt(v, x1, y1, z0), fx);
  const double c01 = lerp(rawAt(v, x0, y0, z1), rawAt(v, x1, y0, z1), fx);
  const double c11 = lerp(rawAt(v, x0, y1, z1), rawAt(v, x1, y1, z1), fx);
  const double raw = lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
  return v.type == VoxelType::Float32 ? raw : raw * v.rescaleSlope + v.rescaleIntercept;
}

DisplayFrame reslice(const Volume& volume, const Plane& plane, SlabMode mode, int slabSamples) {
  DisplayFrame out;
  out.image = Image::allocate(plane.width, plane.height, PixelFormat::Gray32F);
  float* dst = out.image.grayData();
  // Background: the lowest value the volume can hold (air, black).
  double background = std::numeric_limits<double>::max();
  {
    const DisplayFrame mid = volume.sliceFrame(volume.depth() / 2);
    background = mid.minValue.value_or(0.0);
  }
  const int n = mode == SlabMode::None ? 1 : std::max(1, slabSamples);
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (int r = 0; r < plane.height; ++r) {
    for (int c = 0; c < plane.width; ++c) {
      const Vec3 p = add(plane.origin, add(scale(plane.u, c), scale(plane.v, r)));
      double acc = mode == SlabMode::MinIp ? std::numeric_limits<double>::max()
                   : mode == SlabMode::Mip ? std::numeric_limits<double>::lowest()
                                           : 0.0;
      int count = 0;
      for (int k = 0; k < n; ++k) {
        const double offset = k - (n - 1) / 2.0;
        const auto value = sampleTrilinear(volume, add(p, scale(plane.normal, offset)));
        if (!value) continue;
        ++count;
        if (mode == SlabMode::Mip) acc = std::max(acc, *value);
        else if (mode == SlabMode::MinIp) acc = std::min(acc, *value);
        else acc += *value;
      }
      double value = background;
      if (count > 0) value = (mode == SlabMode::Average || mode == SlabMode::None) ? acc / count : acc;
      dst[static_cast<std::size_t>(r) * plane.width + c] = static_cast<float>(value);
      lo = std::min(lo, value);
      hi = std::max(hi, value);
    }
  }
  out.minValue = lo;
  out.maxValue = hi;
  out.windows = volume.windows;
  out.units = volume.units;
  out.monochrome1 = volume.monochrome1;
  out.columnSpacingMm = plane.columnSpacingMm;
  out.rowSpacingMm = plane.rowSpacingMm;
  return out;
}

std::string orientationLetters(const std::array<double, 3>& d) {
  static const char* kPositive[] = {"L", "P", "H"};
  static const char* kNegative[] = {"R", "A", "F"};
  std::array<int, 3> order{0, 1, 2};
  std::sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(d[static_cast<std::size_t>(a)]) > std::abs(d[static_cast<std::size_t>(b)]); });
  std::string out;
  for (int i = 0; i < 2; ++i) {
    const double c = d[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
    if (i > 0 && std::abs(c) < 0.3) break;
    out += c >= 0 ? kPositive[order[static_cast<std::size_t>(i)]] : kNegative[order[static_cast<std::size_t>(i)]];
  }
  return out;
}

}  // namespace confrere::imaging
