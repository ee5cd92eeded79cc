#include "confrere/imaging/volume.h"

#include <dcmtk/dcmdata/dcfcache.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <new>
#include <thread>

#include "dcmtk_util.h"
#include "pixel_decode.h"

namespace confrere::imaging {

std::size_t voxelBytes(VoxelType type) { return type == VoxelType::Float32 ? 4 : 2; }

// [SECTION] VoxelBuffer
VoxelBuffer::VoxelBuffer(std::size_t bytes) : m_size(bytes) {
  if (bytes == 0) return;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Fewer, larger pages: first-touch faults dominate loading time otherwise.
  (void)madvise(p, bytes, MADV_HUGEPAGE);
  m_data = static_cast<std::uint8_t*>(p);
}

VoxelBuffer::~VoxelBuffer() {
  if (m_data != nullptr) munmap(m_data, m_size);
}

VoxelBuffer::VoxelBuffer(VoxelBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}

VoxelBuffer& VoxelBuffer::operator=(VoxelBuffer&& other) noexcept {
  if (this != &other) {
    if (m_data != nullptr) munmap(m_data, m_size);
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

// [SECTION] Volume
double Volume::valueAt(int x, int y, int z) const {
  const std::size_t i = (static_cast<std::size_t>(z) * height() + y) * width() + x;
  switch (type) {
    case VoxelType::Int16: return reinterpret_cast<const std::int16_t*>(voxels.data())[i] * rescaleSlope + rescaleIntercept;
    case VoxelType::Uint16: return reinterpret_cast<const std::uint16_t*>(voxels.data())[i] * rescaleSlope + rescaleIntercept;
    case VoxelType::Float32: return reinterpret_cast<const float*>(voxels.data())[i];
  }
  return 0.0;
}

bool Volume::sliceReady(int z) const { return m_ready && z >= 0 && z < depth() && m_ready[z].load(); }

DisplayFrame Volume::sliceFrame(int z) const {
  DisplayFrame frame;
  frame.image = Image::allocate(width(), height(), PixelFormat::Gray32F);
  float* dst = frame.image.grayData();
  const std::size_t n = sliceVoxels();
  const std::size_t base = static_cast<std::size_t>(z) * n;
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (std::size_t i = 0; i < n; ++i) {
    double v = 0;
    switch (type) {
      case VoxelType::Int16: v = reinterpret_cast<const std::int16_t*>(voxels.data())[base + i] * rescaleSlope + rescaleIntercept; break;
      case VoxelType::Uint16: v = reinterpret_cast<const std::uint16_t*>(voxels.data())[base + i] * rescaleSlope + rescaleIntercept; break;
      case VoxelType::Float32: v = reinterpret_cast<const float*>(voxels.data())[base + i]; break;
    }
    dst[i] = static_cast<float>(v);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  frame.minValue = lo;
  frame.maxValue = hi;
  frame.windows = windows;
  frame.units = units;
  frame.monochrome1 = monochrome1;
  if (geometry.spacingMm[1]) frame.rowSpacingMm = geometry.spacingMm[1];
  if (geometry.spacingMm[0]) frame.columnSpacingMm = geometry.spacingMm[0];
  return frame;
}

namespace {

std::size_t defaultBudget() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0) return std::size_t{4} << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize) / 2;
}

// Keeps Bits Stored bits at High Bit, sign-extended when signed: overlay bits
// or garbage above them must not reach the values.
template <class T>
void normaliseBits(T* samples, std::size_t n, int bitsStored, int highBit, bool isSigned) {
  const int shift = highBit + 1 - bitsStored;
  const std::uint32_t mask = bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << bitsStored) - 1u);
  const std::uint32_t signBit = 1u << (bitsStored - 1);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t v = (static_cast<std::uint32_t>(static_cast<std::make_unsigned_t<T>>(samples[i])) >> shift) & mask;
    if (isSigned && (v & signBit) != 0) v |= ~mask;
    samples[i] = static_cast<T>(v);
  }
}

struct SliceJob {
  int frame;
  int z;
};

}  // namespace

Result<std::shared_ptr<Volume>> loadVolume(const SeriesVolume& series, const std::vector<ObjectInfo>& objects,
                                           const VolumeLoadOptions& options, TaskControl* control) {
  if (series.slices.empty()) {
    return makeError(ErrorCode::InvalidArgument, "series " + series.seriesUid + " has no slice");
  }
  if (series.colour) {
    return makeError(ErrorCode::Unsupported, "series " + series.seriesUid + " is colour: shown frame by frame, not as a volume");
  }
  // Decide the voxel type: stored values with one rescale when every slice
  // shares it, modality values in float otherwise.
  const ObjectInfo& first = objects.at(series.slices.front().object);
  const FrameGeometry& g0 = first.geometryOf(series.slices.front().frame);
  bool shared = true;
  bool anySigned = false;
  bool anyUnsigned = false;
  for (const SliceRef& s : series.slices) {
    const ObjectInfo& o = objects.at(s.object);
    const FrameGeometry& g = o.geometryOf(s.frame);
    if (o.rows != first.rows || o.columns != first.columns || o.samplesPerPixel != 1) {
      return makeError(ErrorCode::Unsupported, o.displayPath + ": slice size or samples differ from the series");
    }
    if (g.rescaleSlope != g0.rescaleSlope || g.rescaleIntercept != g0.rescaleIntercept || o.bitsAllocated > 16 ||
        g.modalityLut) {
      shared = false;
    }
    (o.pixelRepresentation == 1 ? anySigned : anyUnsigned) = true;
  }
  auto volume = std::make_shared<Volume>();
  volume->geometry = series;
  volume->type = !shared || (anySigned && anyUnsigned) ? VoxelType::Float32
                 : anySigned                           ? VoxelType::Int16
                                                       : VoxelType::Uint16;
  if (volume->type != VoxelType::Float32) {
    volume->rescaleSlope = g0.rescaleSlope;
    volume->rescaleIntercept = g0.rescaleIntercept;
  }
  volume->units = first.modality == "CT" || first.rescaleType == "HU" ? "HU" : "";
  volume->monochrome1 = first.photometric == "MONOCHROME1";
  if (g0.windowCenter && g0.windowWidth && *g0.windowWidth >= 1.0) {
    volume->windows.push_back(Window{*g0.windowCenter, *g0.windowWidth, "file"});
  }

  const std::size_t sliceBytes = volume->sliceVoxels() * voxelBytes(volume->type);
  const std::size_t total = sliceBytes * series.slices.size();
  const std::size_t budget = options.memoryBudgetBytes != 0 ? options.memoryBudgetBytes : defaultBudget();
  if (total > budget) {
    return makeError(ErrorCode::TooLarge, "series " + series.seriesUid + " needs " + std::to_string(total >> 20) +
                                              " MiB, over the memory budget of " + std::to_string(budget >> 20) +
                                              " MiB");
  }
  try {
    volume->voxels = VoxelBuffer(total);
  } catch (const std::bad_alloc&) {
    return makeError(ErrorCode::TooLarge, "series " + series.seriesUid + ": cannot allocate " +
                                              std::to_string(total >> 20) + " MiB");
  }
  volume->m_ready = std::make_unique<std::atomic<bool>[]>(series.slices.size());
  if (options.onAllocated) options.onAllocated(volume);

  // One job per object: a multi-frame object is opened once.
  std::map<std::size_t, std::vector<SliceJob>> byObject;
  for (std::size_t z = 0; z < series.slices.size(); ++z) {
    byObject[series.slices[z].object].push_back(SliceJob{series.slices[z].frame, static_cast<int>(z)});
  }
  std::vector<std::pair<std::size_t, std::vector<SliceJob>>> jobs(byObject.begin(), byObject.end());
  if (control) control->setStage("decode", series.slices.size());

  std::atomic<std::size_t> nextJob{0};
  std::atomic<bool> stop{false};
  std::mutex errorMutex;
  std::optional<Error> firstError;
  auto fail = [&](Error e) {
    std::lock_guard lock(errorMutex);
    if (!firstError) firstError = std::move(e);
    stop = true;
  };

  auto worker = [&] {
    DcmFileCache cache;
    std::vector<std::uint8_t> scratch;
    for (std::size_t j = nextJob++; j < jobs.size() && !stop; j = nextJob++) {
      if (control && control->cancelled()) {
        stop = true;
        return;
      }
      const ObjectInfo& obj = objects[jobs[j].first];
      DcmFileFormat file;
      if (Status opened = detail::openDicom(obj.path, file); !opened) {
        fail(opened.error());
        return;
      }
      detail::FrameLayout layout = detail::frameLayoutOf(*file.getDataset());
      if (layout.rows != volume->height() || layout.columns != volume->width()) {
        fail(makeError(ErrorCode::Corrupt, obj.displayPath + ": size changed since it was scanned"));
        return;
      }
      for (const SliceJob& job : jobs[j].second) {
        if (stop || (control && control->cancelled())) {
          stop = true;
          return;
        }
        std::uint8_t* slot = volume->voxels.data() + static_cast<std::size_t>(job.z) * sliceBytes;
        const bool direct = volume->type != VoxelType::Float32 && layout.bitsAllocated == 16;
        std::uint8_t* target = slot;
        if (!direct) {
          scratch.resize(layout.bytes());
          target = scratch.data();
        }
        Status decoded = detail::decodeFrame(file, obj.displayPath, job.frame, layout, target, &cache);
        if (!decoded) {
          fail(decoded.error());
          return;
        }
        const std::size_t n = volume->sliceVoxels();
        const bool isSigned = obj.pixelRepresentation == 1;
        const bool bitsClean = obj.bitsStored == layout.bitsAllocated && obj.highBit == obj.bitsStored - 1;
        if (direct) {
          if (!bitsClean) {
            if (isSigned) normaliseBits(reinterpret_cast<std::int16_t*>(slot), n, obj.bitsStored, obj.highBit, true);
            else normaliseBits(reinterpret_cast<std::uint16_t*>(slot), n, obj.bitsStored, obj.highBit, false);
          }
        } else if (volume->type != VoxelType::Float32) {
          // 8-bit stored values widened to 16 bits.
          if (!bitsClean) normaliseBits(reinterpret_cast<std::int8_t*>(scratch.data()), n, obj.bitsStored, obj.highBit, isSigned);
          for (std::size_t i = 0; i < n; ++i) {
            const int v = isSigned ? static_cast<int>(static_cast<std::int8_t>(scratch[i])) : static_cast<int>(scratch[i]);
            if (volume->type == VoxelType::Int16) reinterpret_cast<std::int16_t*>(slot)[i] = static_cast<std::int16_t>(v);
            else reinterpret_cast<std::uint16_t*>(slot)[i] = static_cast<std::uint16_t>(v);
          }
        } else {
          float* out = reinterpret_cast<float*>(slot);
          auto convert = [&](auto* samples) {
            if (!bitsClean) normaliseBits(samples, n, obj.bitsStored, obj.highBit, isSigned);
            for (std::size_t i = 0; i < n; ++i) {
              out[i] = static_cast<float>(obj.modalityValue(job.frame, static_cast<double>(samples[i])));
            }
          };
          if (layout.bitsAllocated == 8) {
            if (isSigned) convert(reinterpret_cast<std::int8_t*>(scratch.data()));
            else convert(scratch.data());
          } else if (layout.bitsAllocated == 16) {
            if (isSigned) convert(reinterpret_cast<std::int16_t*>(scratch.data()));
            else convert(reinterpret_cast<std::uint16_t*>(scratch.data()));
          } else {
            if (isSigned) convert(reinterpret_cast<std::int32_t*>(scratch.data()));
            else convert(reinterpret_cast<std::uint32_t*>(scratch.data()));
          }
        }
        volume->m_ready[static_cast<std::size_t>(job.z)] = true;
        if (options.onSliceReady) options.onSliceReady(job.z);
        if (control) control->advance();
      }
    }
  };

  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = std::clamp(options.threads > 0 ? options.threads : hw, 1, static_cast<int>(jobs.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  if (firstError) return *firstError;
  if (control && control->cancelled()) {
    return makeError(ErrorCode::Cancelled, "loading series " + series.seriesUid + " cancelled");
  }
  return volume;
}

}  // namespace confrere::imaging
