// A series loaded as one block of voxels, with its geometry. Loading decodes
// slices in parallel straight into their final place, reports progress, can
// be cancelled, and makes each slice available as soon as it is decoded.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_object.h"
#include "confrere/imaging/image.h"
#include "confrere/imaging/result.h"
#include "confrere/imaging/series.h"
#include "confrere/imaging/task.h"

namespace confrere::imaging {

// Int16 / Uint16: the stored values, with one rescale for the whole volume
// (modality value = raw * rescaleSlope + rescaleIntercept). Float32: modality
// values already (used when slices carry different rescales).
enum class VoxelType { Int16, Uint16, Float32 };

std::size_t voxelBytes(VoxelType type);

// Page-aligned voxel storage; pages are touched in parallel up front, so the
// decoders write into memory that is already mapped.
class VoxelBuffer {
 public:
  VoxelBuffer() = default;
  explicit VoxelBuffer(std::size_t bytes);  // throws std::bad_alloc
  ~VoxelBuffer();
  VoxelBuffer(VoxelBuffer&& other) noexcept;
  VoxelBuffer& operator=(VoxelBuffer&& other) noexcept;
  VoxelBuffer(const VoxelBuffer&) = delete;
  VoxelBuffer& operator=(const VoxelBuffer&) = delete;

  std::uint8_t* data() { return m_data; }
  const std::uint8_t* data() const { return m_data; }
  std::size_t size() const { return m_size; }

 private:
  std::uint8_t* m_data = nullptr;
  std::size_t m_size = 0;
};

class Volume {
 public:
  SeriesVolume geometry;  // dims, spacing, origin, direction, warnings, slice order
  VoxelType type = VoxelType::Int16;
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  std::string units;              // "HU" for CT
  std::vector<Window> windows;    // from the first slice's file
  bool monochrome1 = false;
  VoxelBuffer voxels;             // x fastest, then y, then z (slice order of geometry.slices)

  int width() const { return geometry.dims[0]; }
  int height() const { return geometry.dims[1]; }
  int depth() const { return geometry.dims[2]; }
  std::size_t sliceVoxels() const { return static_cast<std::size_t>(width()) * height(); }

  // Modality value (e.g. HU) at voxel (x, y, z). No bounds check.
  double valueAt(int x, int y, int z) const;
  // Slice z as a display frame (Gray32F modality values + windows).
  DisplayFrame sliceFrame(int z) const;
  // Whether slice z has been decoded (all true once loading returned).
  bool sliceReady(int z) const;

  // Loader bookkeeping (one flag per slice), set as slices land.
  std::unique_ptr<std::atomic<bool>[]> m_ready;
};

struct VolumeLoadOptions {
  std::size_t memoryBudgetBytes = 0;  // 0: half of the physical memory
  int threads = 0;                    // 0: one per hardware thread
  // Called once, before any slice is decoded, with the allocated volume
  // (geometry and type set, voxels not yet filled): a viewer can show slices
  // as onSliceReady() reports them. Worker thread.
  std::function<void(const std::shared_ptr<const Volume>&)> onAllocated;
  std::function<void(int z)> onSliceReady;  // worker threads
};

// Loads the greyscale stack `series` (assembled from `objects`). Fails with
// TooLarge (beyond the memory budget, before allocating), Unsupported (colour,
// unsupported syntax), Corrupt (a slice that does not decode, naming its file)
// or Cancelled. Progress: stage "decode", one step per slice.
Result<std::shared_ptr<Volume>> loadVolume(const SeriesVolume& series, const std::vector<ObjectInfo>& objects,
                                           const VolumeLoadOptions& options = {}, TaskControl* control = nullptr);

}  // namespace confrere::imaging
