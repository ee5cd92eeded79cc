// Planes through a volume (axial, coronal, sagittal, oblique) and the CPU
// reference reslicer: trilinear sampling, thick slabs (MIP, MinIP, average).
// The GPU renderer draws the same planes; tests compare the two.
#pragma once

#include <array>
#include <string>

#include "confrere/imaging/image.h"
#include "confrere/imaging/volume.h"

namespace confrere::imaging {

enum class PlaneView { Axial, Coronal, Sagittal, Oblique };
enum class SlabMode { None, Mip, MinIp, Average };

// Output pixel (c, r) samples the volume at continuous voxel index
// origin + c * u + r * v (voxel centres at integer indices). A slab adds
// samples at offsets k * normal for k in [-(slabSamples-1)/2, +(slabSamples-1)/2].
struct Plane {
  std::array<double, 3> origin{};
  std::array<double, 3> u{1, 0, 0};
  std::array<double, 3> v{0, 1, 0};
  std::array<double, 3> normal{0, 0, 1};  // one slab step, in voxels
  int width = 0;
  int height = 0;
  double columnSpacingMm = 1.0;  // along u, for display aspect and measurements
  double rowSpacingMm = 1.0;     // along v
  // Patient directions (LPS unit vectors) of screen right and screen down.
  std::array<double, 3> rightLps{1, 0, 0};
  std::array<double, 3> downLps{0, 1, 0};
};

// The plane of `view` through voxel index `position` along the view's fixed
// axis (axial: z, coronal: y, sagittal: x; oblique: through the centre,
// rotated by `obliqueDegrees` about the volume's x then y axes, `position`
// in mm along its normal from the centre). Coronal and sagittal are turned
// so the patient's head is up. Sampling is one voxel per pixel along volume
// axes; oblique planes sample at the finest spacing.
Plane standardPlane(const Volume& volume, PlaneView view, double position,
                    std::array<double, 2> obliqueDegrees = {30.0, 0.0});

// Number of positions along the view's fixed axis (slices for axial...).
int planeCount(const Volume& volume, PlaneView view);

// Trilinear sample of the modality value at continuous voxel index p;
// outside the volume: nullopt.
std::optional<double> sampleTrilinear(const Volume& volume, const std::array<double, 3>& p);

// CPU reslice to a Gray32F frame of modality values (outside the volume:
// the volume's minimum). slabSamples >= 1 (odd counts centre the slab).
DisplayFrame reslice(const Volume& volume, const Plane& plane, SlabMode mode = SlabMode::None, int slabSamples = 1);

// Patient direction (LPS unit vector) of one step along voxel axis 0, 1 or 2
// (the volume's direction columns; the identity when it has none).
std::array<double, 3> axisDirectionLps(const Volume& volume, int axis);

// The orientation letter(s) of a patient direction (LPS): L/R, P/A, H/F,
// the dominant axis first, a second letter when the direction is oblique
// (second component above 0.3, e.g. "LA").
std::string orientationLetters(const std::array<double, 3>& directionLps);

}  // namespace confrere::imaging
