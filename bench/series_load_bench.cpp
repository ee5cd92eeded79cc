// Series loading, Confrère against its peers, in one run: a generated CT
// series of 512x512 int16 slices (600 by default), uncompressed (explicit
// little endian) and a JPEG-LS lossless copy (1.2.840.10008.1.2.4.80), loaded
//   - by Confrère: scanMedia -> assembleSeries -> loadVolume (all hardware
//     threads, and once more on 1 thread),
//   - by ITK: ImageSeriesReader<Image<short,3>> + GDCMImageIO + GDCMSeriesFileNames,
//   - by a plain single-threaded DCMTK loop: headers first, slices sorted by
//     Image Position (Patient) projected on the slice normal, then each
//     slice's Pixel Data (decompressed by chooseRepresentation when
//     compressed) copied into one preallocated int16 volume,
// against the raw read of the same files (read() into a reusable buffer, and
// `cat FILES > /dev/null` through std::system) and, for JPEG-LS, CharLS alone
// decoding the extracted code streams into a pre-faulted volume.
//
// Method: the page cache is warmed first (every file read once); every
// measurement runs in a forked child, so its peak RSS (ru_maxrss from wait4)
// is its own; R interleaved rounds (the loader order rotates each round),
// medians reported. Every loader fills one volume and is checked by a voxel
// checksum over the HU values (stored + Rescale Intercept) in sorted order,
// compared with the checksum computed from the generator's value function.
//
// usage: bench_series_load [--slices N] [--rounds R] [--data DIR]
//                          [--only NAME,NAME...] [--series raw|jls|both]
//   --only keeps the loaders whose name contains one of the words
//   (e.g. --only confrere,dcmtk), for profiling.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <fcntl.h>
#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charls/charls.h>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/series.h"
#include "confrere/imaging/volume.h"
#include "synthetic_dicom.h"

#ifndef CONFRERE_BENCH_DATA_DIR
#define CONFRERE_BENCH_DATA_DIR "bench-data"
#endif

namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr int kSize = 512;
constexpr int kIntercept = -1024;  // the generator's Rescale Intercept (slope 1)

// [SECTION] The series: a CT-like phantom with deterministic noise

std::uint32_t hash3(int x, int y, int z) {
  std::uint32_t h = static_cast<std::uint32_t>(x) * 0x9E3779B1u ^ static_cast<std::uint32_t>(y) * 0x85EBCA77u ^
                    static_cast<std::uint32_t>(z) * 0xC2B2AE3Du;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  h *= 0x297A2D39u;
  h ^= h >> 15;
  return h;
}

// HU at (x, y, z): outside the scan field of view -1024 (no noise); air
// -1000; a body ellipse of soft tissue (40 HU) whose size varies along z,
// with two lungs (-850) and a bone ring (700) inside; triangular noise of
// +-8 HU in tissue, +-4 HU elsewhere, so that JPEG-LS does real work.
int phantomHu(int x, int y, int z) {
  const double dx = x - 255.5;
  const double dy = y - 255.5;
  if (dx * dx + dy * dy > 255.0 * 255.0) return -1024;
  const std::uint32_t h = hash3(x, y, z);
  const double grow = 1.0 + 0.1 * std::sin(z * 0.01);
  const double ax = 200.0 * grow;
  const double ay = 140.0 * grow;
  const double body = (dx * dx) / (ax * ax) + (dy * dy) / (ay * ay);
  int hu = -1000;
  int amplitude = 4;
  if (body < 1.0) {
    hu = 40;
    amplitude = 8;
    const double lx = std::abs(dx) - 0.45 * ax;
    const double ly = dy + 0.1 * ay;
    const double lung = (lx * lx) / (0.3 * ax * 0.3 * ax) + (ly * ly) / (0.6 * ay * 0.6 * ay);
    const double ring = std::hypot(dx, dy - 0.55 * ay);
    if (lung < 1.0) hu = -850;
    if (ring > 0.12 * ay && ring < 0.18 * ay) hu = 700;
  }
  const int noise = static_cast<int>(h % static_cast<std::uint32_t>(amplitude + 1)) +
                    static_cast<int>((h >> 16) % static_cast<std::uint32_t>(amplitude + 1)) - amplitude;
  return hu + noise;
}

int phantomStored(int x, int y, int z) { return phantomHu(x, y, z) - kIntercept; }

// Order-sensitive checksum of HU values, one slice at a time (z ascending
// along the normal): the same for every loader whatever its buffer.
struct Checksum {
  std::uint64_t h = 1469598103934665603ull;
  void add(std::int16_t hu) { h = (h ^ static_cast<std::uint16_t>(hu)) * 1099511628211ull; }
};

// Checksum of a volume held as stored values (hu = v + offset) or HU (offset 0).
std::uint64_t volumeChecksum(const std::int16_t* v, std::size_t slices, int offset, bool reversed = false) {
  Checksum c;
  const std::size_t n = static_cast<std::size_t>(kSize) * kSize;
  for (std::size_t k = 0; k < slices; ++k) {
    const std::int16_t* s = v + (reversed ? slices - 1 - k : k) * n;
    for (std::size_t i = 0; i < n; ++i) c.add(static_cast<std::int16_t>(s[i] + offset));
  }
  return c.h;
}

std::uint64_t truthChecksum(int slices) {
  Checksum c;
  for (int z = 0; z < slices; ++z) {
    for (int y = 0; y < kSize; ++y) {
      for (int x = 0; x < kSize; ++x) c.add(static_cast<std::int16_t>(phantomHu(x, y, z)));
    }
  }
  return c.h;
}

std::vector<fs::path> dicomFilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".dcm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// [SECTION] Children: each measurement in its own process

// What a child sends back (one write, below PIPE_BUF).
struct Report {
  double seconds = -1;
  double phase[3] = {0, 0, 0};   // Confrère: scan, assemble, load; others unused
  std::uint64_t checksum = 0;    // of the HU volume, z ascending
  std::uint64_t checksumReversed = 0;
  std::uint64_t bytes = 0;       // read loops: bytes read
  char error[200] = {};
};

struct Measured {
  Report report;
  long peakKiB = 0;
  bool exited = false;
};

void setError(Report& r, const std::string& message) {
  std::snprintf(r.error, sizeof r.error, "%s", message.c_str());
}

Measured inChild(const std::function<Report()>& work) {
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    close(fds[0]);
    Report r;
    try {
      r = work();
    } catch (const std::exception& e) {
      setError(r, std::string("exception: ") + e.what());
    }
    (void)!write(fds[1], &r, sizeof r);
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  Measured m;
  std::size_t got = 0;
  auto* dst = reinterpret_cast<char*>(&m.report);
  while (got < sizeof m.report) {
    const ssize_t n = read(fds[0], dst + got, sizeof m.report - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.peakKiB = usage.ru_maxrss;
  m.exited = got == sizeof m.report && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!m.exited && m.report.error[0] == '\0') setError(m.report, "child died (status " + std::to_string(status) + ")");
  return m;
}

// [SECTION] Raw reads

Report readIntoBuffer(const std::vector<fs::path>& files) {
  Report r;
  std::vector<char> buffer(std::size_t{1} << 20);
  const auto t0 = Clock::now();
  for (const auto& f : files) {
    const int fd = open(f.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      setError(r, "cannot open " + f.string());
      return r;
    }
    ssize_t n = 0;
    while ((n = read(fd, buffer.data(), buffer.size())) > 0) r.bytes += static_cast<std::uint64_t>(n);
    close(fd);
  }
  r.seconds = since(t0);
  return r;
}

Report catFiles(const fs::path& dir) {
  Report r;
  const std::string command = "cat -- '" + dir.string() + "'/*.dcm > /dev/null";
  const auto t0 = Clock::now();
  const int rc = std::system(command.c_str());
  r.seconds = since(t0);
  if (rc != 0) setError(r, "cat failed: " + std::to_string(rc));
  return r;
}

// First touch of a volume-sized anonymous mapping (no I/O): what a loader
// pays in page faults before it has written one voxel.
Report faultIn(std::size_t bytes, bool huge) {
  Report r;
  const auto t0 = Clock::now();
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    setError(r, "mmap failed");
    return r;
  }
  (void)madvise(p, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  std::memset(p, 1, bytes);
  r.seconds = since(t0);
  munmap(p, bytes);
  return r;
}

// [SECTION] Loaders

Report confrereLoad(const fs::path& dir, int threads) {
  namespace ci = confrere::imaging;
  Report r;
  const auto t0 = Clock::now();
  auto catalog = ci::scanMedia(dir);
  if (!catalog) {
    setError(r, "scanMedia: " + catalog.error().message);
    return r;
  }
  const auto t1 = Clock::now();
  const auto series = ci::assembleSeries(catalog->objects);
  const auto t2 = Clock::now();
  if (series.empty()) {
    setError(r, "assembleSeries: no series");
    return r;
  }
  ci::VolumeLoadOptions options;
  options.threads = threads;
  auto volume = ci::loadVolume(series[0], catalog->objects, options);
  const auto t3 = Clock::now();
  r.seconds = std::chrono::duration<double>(t3 - t0).count();
  r.phase[0] = std::chrono::duration<double>(t1 - t0).count();
  r.phase[1] = std::chrono::duration<double>(t2 - t1).count();
  r.phase[2] = std::chrono::duration<double>(t3 - t2).count();
  if (!volume) {
    setError(r, "loadVolume: " + volume.error().message);
    return r;
  }
  const ci::Volume& v = **volume;
  if (series.size() != 1 || v.type != ci::VoxelType::Int16 || v.rescaleSlope != 1.0 || v.width() != kSize ||
      v.height() != kSize) {
    setError(r, "unexpected volume: " + std::to_string(series.size()) + " stack(s), type " +
                    std::to_string(static_cast<int>(v.type)) + ", " + std::to_string(v.width()) + "x" +
                    std::to_string(v.height()));
    return r;
  }
  const auto* voxels = reinterpret_cast<const std::int16_t*>(v.voxels.data());
  const int offset = static_cast<int>(std::lround(v.rescaleIntercept));
  // valueAt() (HU) must agree with raw + intercept.
  for (const auto& [x, y, z] : {std::array{0, 0, 0}, std::array{256, 256, v.depth() / 2}, std::array{511, 300, v.depth() - 1}}) {
    const double expected = voxels[(static_cast<std::size_t>(z) * kSize + static_cast<std::size_t>(y)) * kSize +
                                   static_cast<std::size_t>(x)] + offset;
    if (v.valueAt(x, y, z) != expected) {
      setError(r, "valueAt() disagrees with raw + intercept");
      return r;
    }
  }
  r.checksum = volumeChecksum(voxels, static_cast<std::size_t>(v.depth()), offset);
  r.checksumReversed = volumeChecksum(voxels, static_cast<std::size_t>(v.depth()), offset, true);
  return r;
}

Report itkLoad(const fs::path& dir) {
  using Image = itk::Image<short, 3>;
  Report r;
  try {
    const auto t0 = Clock::now();
    auto names = itk::GDCMSeriesFileNames::New();
    names->SetUseSeriesDetails(true);
    names->SetDirectory(dir.string());
    const auto& uids = names->GetSeriesUIDs();
    if (uids.empty()) {
      setError(r, "ITK: no series");
      return r;
    }
    auto reader = itk::ImageSeriesReader<Image>::New();
    auto io = itk::GDCMImageIO::New();
    reader->SetImageIO(io);
    reader->SetFileNames(names->GetFileNames(uids.front()));
    reader->Update();
    r.seconds = since(t0);
    Image::Pointer image = reader->GetOutput();
    const auto size = image->GetLargestPossibleRegion().GetSize();
    if (size[0] != kSize || size[1] != kSize) {
      setError(r, "ITK: unexpected size");
      return r;
    }
    // ITK applies the rescale: HU already.
    r.checksum = volumeChecksum(image->GetBufferPointer(), size[2], 0);
    r.checksumReversed = volumeChecksum(image->GetBufferPointer(), size[2], 0, true);
  } catch (const itk::ExceptionObject& e) {
    setError(r, std::string("ITK: ") + e.GetDescription());
  }
  return r;
}

std::array<double, 3> sliceNormalOf(DcmDataset& ds) {
  std::array<double, 6> o{1, 0, 0, 0, 1, 0};
  for (unsigned long i = 0; i < 6; ++i) ds.findAndGetFloat64(DCM_ImageOrientationPatient, o[i], i);
  return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

// A plain single-threaded DCMTK loader.
Report dcmtkLoop(const std::vector<fs::path>& files) {
  Report r;
  const auto t0 = Clock::now();
  struct Slice {
    std::unique_ptr<DcmFileFormat> file;
    double position = 0;
  };
  std::vector<Slice> slices;
  slices.reserve(files.size());
  for (const auto& f : files) {
    auto file = std::make_unique<DcmFileFormat>();
    // Default maxReadLength: Pixel Data stays on disk until asked for.
    if (file->loadFile(f.c_str()).bad()) {
      setError(r, "DCMTK: cannot read " + f.string());
      return r;
    }
    DcmDataset& ds = *file->getDataset();
    const auto normal = sliceNormalOf(ds);
    std::array<double, 3> ipp{0, 0, 0};
    for (unsigned long i = 0; i < 3; ++i) ds.findAndGetFloat64(DCM_ImagePositionPatient, ipp[i], i);
    slices.push_back({std::move(file), ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2]});
  }
  std::sort(slices.begin(), slices.end(), [](const Slice& a, const Slice& b) { return a.position < b.position; });
  const std::size_t sliceVoxels = static_cast<std::size_t>(kSize) * kSize;
  auto volume = std::make_unique_for_overwrite<std::int16_t[]>(sliceVoxels * slices.size());
  Float64 intercept = 0;
  slices.front().file->getDataset()->findAndGetFloat64(DCM_RescaleIntercept, intercept);
  for (std::size_t k = 0; k < slices.size(); ++k) {
    DcmDataset& ds = *slices[k].file->getDataset();
    Uint16 rows = 0;
    Uint16 columns = 0;
    ds.findAndGetUint16(DCM_Rows, rows);
    ds.findAndGetUint16(DCM_Columns, columns);
    if (rows != kSize || columns != kSize) {
      setError(r, "DCMTK: unexpected slice size");
      return r;
    }
    // Decompresses in place when the file is compressed (no-op otherwise).
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
      setError(r, "DCMTK: cannot decompress slice " + std::to_string(k));
      return r;
    }
    const Uint16* pixels = nullptr;
    unsigned long count = 0;
    if (ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).bad() || count < sliceVoxels) {
      setError(r, "DCMTK: no Pixel Data in slice " + std::to_string(k));
      return r;
    }
    std::memcpy(volume.get() + k * sliceVoxels, pixels, sliceVoxels * 2);
    slices[k].file.reset();  // done with this file: its Pixel Data goes
  }
  r.seconds = since(t0);
  const int offset = static_cast<int>(std::lround(intercept));
  r.checksum = volumeChecksum(volume.get(), slices.size(), offset);
  r.checksumReversed = volumeChecksum(volume.get(), slices.size(), offset, true);
  return r;
}

// CharLS alone: the JPEG-LS code streams extracted (untimed, in slice order)
// and decoded on `threads` threads into a pre-faulted volume. The lower bound
// for decoding, with no file or DICOM parsing.
Report charlsAlone(const std::vector<fs::path>& files, int threads) {
  Report r;
  struct Stream {
    double position = 0;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<Stream> streams;
  Float64 intercept = 0;
  for (const auto& f : files) {
    DcmFileFormat file;
    if (file.loadFile(f.c_str()).bad()) {
      setError(r, "cannot read " + f.string());
      return r;
    }
    DcmDataset& ds = *file.getDataset();
    ds.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    const auto normal = sliceNormalOf(ds);
    std::array<double, 3> ipp{0, 0, 0};
    for (unsigned long i = 0; i < 3; ++i) ds.findAndGetFloat64(DCM_ImagePositionPatient, ipp[i], i);
    DcmElement* element = nullptr;
    DcmPixelSequence* seq = nullptr;
    DcmPixelItem* item = nullptr;
    Uint8* raw = nullptr;
    if (ds.findAndGetElement(DCM_PixelData, element).bad() ||
        static_cast<DcmPixelData*>(element)->getEncapsulatedRepresentation(ds.getOriginalXfer(), nullptr, seq).bad() ||
        seq == nullptr || seq->card() != 2 || seq->getItem(item, 1).bad() || item->getUint8Array(raw).bad()) {
      setError(r, "not a single-fragment JPEG-LS file: " + f.string());
      return r;
    }
    streams.push_back({ipp[0] * normal[0] + ipp[1] * normal[1] + ipp[2] * normal[2],
                       std::vector<std::uint8_t>(raw, raw + item->getLength())});
  }
  std::sort(streams.begin(), streams.end(), [](const Stream& a, const Stream& b) { return a.position < b.position; });
  const std::size_t sliceVoxels = static_cast<std::size_t>(kSize) * kSize;
  std::vector<std::int16_t> volume(sliceVoxels * streams.size(), 0);  // faulted in here, untimed
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto t0 = Clock::now();
  auto worker = [&] {
    for (std::size_t i = next++; i < streams.size(); i = next++) {
      try {
        charls::jpegls_decoder decoder;
        decoder.source(streams[i].bytes.data(), streams[i].bytes.size());
        decoder.read_header();
        decoder.decode(volume.data() + i * sliceVoxels, sliceVoxels * 2);
      } catch (const std::exception&) {
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  r.seconds = since(t0);
  if (failed) {
    setError(r, "CharLS failed to decode a slice");
    return r;
  }
  const int offset = static_cast<int>(std::lround(intercept));
  r.checksum = volumeChecksum(volume.data(), streams.size(), offset);
  r.checksumReversed = volumeChecksum(volume.data(), streams.size(), offset, true);
  return r;
}

// [SECTION] Data

fs::path seriesDir(const fs::path& data, int slices, bool jpegls) {
  return data / ("ct" + std::to_string(slices) + "-phantom1-" + (jpegls ? "jpegls" : "raw"));
}

// Writes both series (in two children, one per core) unless present with
// the right number of files. Written to DIR.partial, renamed when complete.
void ensureData(const fs::path& data, int slices) {
  std::vector<pid_t> writers;
  for (bool jpegls : {false, true}) {
    const fs::path dir = seriesDir(data, slices, jpegls);
    if (fs::is_directory(dir) && static_cast<int>(dicomFilesIn(dir).size()) == slices) continue;
    std::printf("generating %s ...\n", dir.c_str());
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      try {
        const fs::path partial = dir.string() + ".partial";
        fs::remove_all(partial);
        fs::remove_all(dir);
        confrere::test::SyntheticSeries s;
        s.rows = s.columns = kSize;
        s.slices = slices;
        s.originLps = {-179.0, -179.0, -300.0};
        s.sliceSpacingMm = 1.0;
        s.pixelSpacingMm = {0.7, 0.7};
        s.rescaleIntercept = kIntercept;
        s.transferSyntax = jpegls ? "1.2.840.10008.1.2.4.80" : "1.2.840.10008.1.2.1";
        s.writeInReverse = true;  // file name order is the opposite of position order: loaders must sort
        s.value = phantomStored;
        confrere::test::writeSyntheticSeries(partial, s);
        fs::rename(partial, dir);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "generation failed: %s\n", e.what());
        _exit(1);
      }
      _exit(0);
    }
    writers.push_back(pid);
  }
  for (pid_t pid : writers) {
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "could not generate the test series\n");
      std::exit(1);
    }
  }
}

std::uint64_t totalBytes(const std::vector<fs::path>& files) {
  std::uint64_t total = 0;
  for (const auto& f : files) total += fs::file_size(f);
  return total;
}

// [SECTION] Rounds and the table

struct Loader {
  std::string name;
  std::function<Report()> work;
  bool volume = true;  // fills a volume (checked by checksum)
  std::vector<double> seconds;
  std::vector<std::array<double, 3>> phases;
  long peakKiB = 0;
  std::string error;
  std::string check = "-";
};

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct TableResult {
  double confrere = NAN;
  double confrere1 = NAN;
  double itk = NAN;
  double dcmtk = NAN;
  double read = NAN;
  double cat = NAN;
  double charls2 = NAN;
  double confrerePeakMiB = NAN;
};

Loader* find(std::vector<Loader>& loaders, const std::string& name) {
  for (auto& l : loaders) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

TableResult runSeries(const std::string& label, const fs::path& dir, int slices, int rounds, std::uint64_t truth,
                      const std::vector<std::string>& only, bool references) {
  const auto files = dicomFilesIn(dir);
  const double voxelBytes = static_cast<double>(kSize) * kSize * slices * 2;
  const double voxelMiB = voxelBytes / (1 << 20);
  const bool jpegls = label.find("JPEG") != std::string::npos;

  std::vector<Loader> loaders;
  loaders.push_back({"Confrère", [&] { return confrereLoad(dir, 0); }});
  loaders.push_back({"Confrère, 1 thread", [&] { return confrereLoad(dir, 1); }});
  loaders.push_back({"ITK ImageSeriesReader + GDCM", [&] { return itkLoad(dir); }});
  loaders.push_back({"DCMTK loop, 1 thread", [&] { return dcmtkLoop(files); }});
  loaders.push_back({"read() into a buffer", [&] { return readIntoBuffer(files); }, false});
  loaders.push_back({"cat FILES > /dev/null", [&] { return catFiles(dir); }, false});
  if (jpegls) {
    loaders.push_back({"CharLS alone, 1 thread", [&] { return charlsAlone(files, 1); }});
    loaders.push_back({"CharLS alone, 2 threads", [&] { return charlsAlone(files, 2); }});
  }
  if (references) {
    const auto bytes = static_cast<std::size_t>(voxelBytes);
    loaders.push_back({"fault-in of the volume, 4 KiB pages", [=] { return faultIn(bytes, false); }, false});
    loaders.push_back({"fault-in of the volume, huge pages", [=] { return faultIn(bytes, true); }, false});
  }
  loaders.push_back({"empty child (baseline RSS)", [] { Report r; r.seconds = 0; return r; }, false});
  if (!only.empty()) {
    std::erase_if(loaders, [&](const Loader& l) {
      std::string lower;
      for (unsigned char c : l.name) lower += static_cast<char>(std::tolower(c));
      return std::none_of(only.begin(), only.end(), [&](const std::string& w) { return lower.find(w) != std::string::npos; });
    });
  }

  (void)readIntoBuffer(files);  // warm the page cache (again: the other series may have pushed it)
  const std::size_t n = loaders.size();
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      Loader& l = loaders[(i + static_cast<std::size_t>(round)) % n];
      const Measured m = inChild(l.work);
      if (m.report.error[0] != '\0' || !m.exited) {
        l.error = m.report.error;
        continue;
      }
      l.seconds.push_back(m.report.seconds);
      l.phases.push_back({m.report.phase[0], m.report.phase[1], m.report.phase[2]});
      l.peakKiB = std::max(l.peakKiB, m.peakKiB);
      if (l.volume) {
        const std::string check = m.report.checksum == truth           ? "ok"
                                  : m.report.checksumReversed == truth ? "z reversed"
                                                                       : "MISMATCH";
        if (l.check == "-" || l.check == "ok") l.check = check;
      }
    }
    std::fprintf(stderr, "  %s: round %d/%d done\n", label.c_str(), round + 1, rounds);
  }

  TableResult t;
  auto med = [&](const char* name) {
    Loader* l = find(loaders, name);
    return l ? median(l->seconds) : NAN;
  };
  t.confrere = med("Confrère");
  t.confrere1 = med("Confrère, 1 thread");
  t.itk = med("ITK ImageSeriesReader + GDCM");
  t.dcmtk = med("DCMTK loop, 1 thread");
  t.read = med("read() into a buffer");
  t.cat = med("cat FILES > /dev/null");
  t.charls2 = med("CharLS alone, 2 threads");
  if (Loader* c = find(loaders, "Confrère")) t.confrerePeakMiB = c->peakKiB / 1024.0;

  std::printf("\n### %s: %d files, %.1f MB (voxels %.0f MiB); %d rounds\n\n", label.c_str(), slices,
              static_cast<double>(totalBytes(files)) / 1e6, voxelMiB, rounds);
  std::printf("| loader | median s | min s | × Confrère | × read() | × cat | peak RSS MiB | RSS / voxels | checksum |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
  for (const auto& l : loaders) {
    if (l.seconds.empty()) {
      std::printf("| %s | failed: %s | | | | | | | |\n", l.name.c_str(), l.error.c_str());
      continue;
    }
    const double s = median(l.seconds);
    const double lo = *std::min_element(l.seconds.begin(), l.seconds.end());
    const double mib = l.peakKiB / 1024.0;
    std::printf("| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.0f | %.2f | %s |\n", l.name.c_str(), s, lo,
                s / t.confrere, s / t.read, s / t.cat, mib, mib / voxelMiB, l.check.c_str());
  }
  for (const auto& l : loaders) {
    if (l.name.rfind("Confrère", 0) != 0 || l.phases.empty()) continue;
    std::vector<double> scan;
    std::vector<double> assemble;
    std::vector<double> load;
    for (const auto& p : l.phases) {
      scan.push_back(p[0]);
      assemble.push_back(p[1]);
      load.push_back(p[2]);
    }
    std::printf("\n%s phases (medians): scanMedia %.3f s, assembleSeries %.3f s, loadVolume %.3f s", l.name.c_str(),
                median(scan), median(assemble), median(load));
  }
  std::printf("\n");
  std::fflush(stdout);
  return t;
}

const char* verdict(bool met) { return met ? "met" : "**not met**"; }

}  // namespace

int main(int argc, char** argv) {
  int slices = 600;
  int rounds = 5;
  fs::path data = CONFRERE_BENCH_DATA_DIR;
  std::vector<std::string> only;
  std::string which = "both";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--slices" && hasValue) slices = std::atoi(argv[++i]);
    else if (arg == "--rounds" && hasValue) rounds = std::atoi(argv[++i]);
    else if (arg == "--data" && hasValue) data = argv[++i];
    else if (arg == "--series" && hasValue) which = argv[++i];
    else if (arg == "--only" && hasValue) {
      std::string list = argv[++i];
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        std::string word = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!word.empty()) only.push_back(word);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      std::fprintf(stderr,
                   "usage: %s [--slices N] [--rounds R] [--data DIR] [--series raw|jls|both] [--only WORD,...]\n",
                   argv[0]);
      return 2;
    }
  }
  if (slices < 2 || rounds < 1 || (which != "raw" && which != "jls" && which != "both")) {
    std::fprintf(stderr, "need --slices >= 2, --rounds >= 1, --series raw|jls|both\n");
    return 2;
  }
  confrere::imaging::registerDicomCodecs();  // DCMTK's decoders for every loader; silences DCMTK's log

  ensureData(data, slices);
  const std::uint64_t truth = truthChecksum(slices);
  const double voxelMiB = static_cast<double>(kSize) * kSize * slices * 2 / (1 << 20);
  const unsigned hw = std::thread::hardware_concurrency();
  std::printf("Series loading: %d slices of %dx%d int16 (%.0f MiB of voxels), %u hardware threads, data in %s\n",
              slices, kSize, kSize, voxelMiB, hw, data.c_str());
  std::printf("Warm page cache; each measurement in a forked child (peak RSS = its ru_maxrss); %d interleaved "
              "rounds, medians. × columns: time / that row's median time.\n",
              rounds);

  const fs::path raw = seriesDir(data, slices, false);
  const fs::path jls = seriesDir(data, slices, true);
  (void)readIntoBuffer(dicomFilesIn(raw));
  (void)readIntoBuffer(dicomFilesIn(jls));

  if (which != "jls") {
    const TableResult t = runSeries("Uncompressed (explicit VR little endian)", raw, slices, rounds, truth, only, true);
    if (!std::isnan(t.confrere)) {
      std::printf("\nTargets, uncompressed:\n");
      if (!std::isnan(t.itk)) {
        std::printf("- >= 2x faster than ITK: %.1fx, %s\n", t.itk / t.confrere, verdict(t.itk / t.confrere >= 2.0));
      }
      if (!std::isnan(t.read)) {
        std::printf("- <= 1.5x the raw read (stretch 1.0x): %.2fx, %s (stretch %s)\n", t.confrere / t.read,
                    verdict(t.confrere / t.read <= 1.5), verdict(t.confrere / t.read <= 1.0));
      }
      if (!std::isnan(t.cat)) {
        std::printf("- <= 1.0x `cat` (shared/PERFORMANCE.md): %.2fx, %s\n", t.confrere / t.cat,
                    verdict(t.confrere / t.cat <= 1.0));
      }
      std::printf("- peak RSS <= 1.2x voxel bytes: %.2fx, %s\n", t.confrerePeakMiB / voxelMiB,
                  verdict(t.confrerePeakMiB <= 1.2 * voxelMiB));
      std::printf("- peak RSS <= 1.05x voxel bytes + 32 MiB (shared/PERFORMANCE.md): %.0f MiB vs %.0f MiB, %s\n",
                  t.confrerePeakMiB, 1.05 * voxelMiB + 32, verdict(t.confrerePeakMiB <= 1.05 * voxelMiB + 32));
    }
  }
  if (which != "raw") {
    const TableResult t = runSeries("JPEG-LS lossless (1.2.840.10008.1.2.4.80)", jls, slices, rounds, truth, only, false);
    if (!std::isnan(t.confrere)) {
      std::printf("\nTargets, JPEG-LS:\n");
      if (!std::isnan(t.itk)) {
        std::printf("- >= 2x faster than ITK: %.1fx, %s\n", t.itk / t.confrere, verdict(t.itk / t.confrere >= 2.0));
      }
      if (!std::isnan(t.charls2)) {
        std::printf("- <= 1.25x the 2-thread codec time (CharLS alone): %.2fx, %s\n", t.confrere / t.charls2,
                    verdict(t.confrere / t.charls2 <= 1.25));
      }
      std::printf("- peak RSS <= 1.2x voxel bytes: %.2fx, %s\n", t.confrerePeakMiB / voxelMiB,
                  verdict(t.confrerePeakMiB <= 1.2 * voxelMiB));
    }
  }
  return 0;
}
