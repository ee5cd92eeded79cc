// Loading a 600-slice 512x512 int16 CT series (uncompressed and JPEG-LS
// lossless), in one run: Confrère, ITK (ImageSeriesReader + GDCM), a plain
// single-threaded DCMTK loop, and the raw read of the same files. Each
// measurement runs in a forked child so its peak RSS is its own; medians of
// interleaved rounds, warm page cache. Every loader fills one int16 volume of
// stored values sorted along the slice normal, checked by a voxel checksum.
// usage: bench_series [--slices N] [--rounds R] [--data DIR]
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charls/charls.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"
#include "synthetic_dicom.h"

namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

std::vector<fs::path> filesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::uint64_t checksum(const std::int16_t* v, std::size_t n) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum = sum * 31 + static_cast<std::uint16_t>(v[i]);
  return sum;
}

struct Outcome {
  double seconds = 0;
  std::uint64_t checksum = 0;
  long peakKiB = 0;
  bool ok = false;
};

// Runs `work` in a child: it returns (seconds, checksum) through a pipe; the
// parent reads the child's peak RSS from wait4().
Outcome measure(const std::function<std::pair<double, std::uint64_t>()>& work) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const auto [seconds, sum] = work();
    (void)!write(fds[1], &seconds, sizeof seconds);
    (void)!write(fds[1], &sum, sizeof sum);
    _exit(0);
  }
  close(fds[1]);
  Outcome o;
  o.ok = read(fds[0], &o.seconds, sizeof o.seconds) == sizeof o.seconds &&
         read(fds[0], &o.checksum, sizeof o.checksum) == sizeof o.checksum;
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  o.peakKiB = usage.ru_maxrss;
  return o;
}

std::pair<double, std::uint64_t> rawRead(const fs::path& dir) {
  const auto files = filesIn(dir);
  const auto t0 = Clock::now();
  std::vector<char> buffer(1 << 20);
  std::uint64_t bytes = 0;
  for (const auto& f : files) {
    std::FILE* in = std::fopen(f.c_str(), "rb");
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) bytes += n;
    std::fclose(in);
  }
  return {std::chrono::duration<double>(Clock::now() - t0).count(), bytes};
}

std::pair<double, std::uint64_t> catFiles(const fs::path& dir) {
  const auto t0 = Clock::now();
  const std::string command = "cat '" + dir.string() + "'/* > /dev/null";
  const int rc = std::system(command.c_str());
  return {std::chrono::duration<double>(Clock::now() - t0).count(), static_cast<std::uint64_t>(rc)};
}

// The codec alone: CharLS decoding every slice's JPEG-LS stream on two
// threads into a preallocated volume (files read by DCMTK first, untimed
// parsing excluded only for the codec's own time).
std::pair<double, std::uint64_t> charlsAlone(const fs::path& dir) {
  const auto files = filesIn(dir);
  std::vector<std::vector<std::uint8_t>> streams(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    DcmFileFormat file;
    file.loadFile(files[i].c_str());
    DcmElement* element = nullptr;
    file.getDataset()->findAndGetElement(DCM_PixelData, element);
    DcmPixelSequence* seq = nullptr;
    static_cast<DcmPixelData*>(element)->getEncapsulatedRepresentation(file.getDataset()->getOriginalXfer(), nullptr, seq);
    DcmPixelItem* item = nullptr;
    Uint8* raw = nullptr;
    seq->getItem(item, 1);
    item->getUint8Array(raw);
    streams[i].assign(raw, raw + item->getLength());
  }
  std::vector<std::int16_t> volume(static_cast<std::size_t>(512) * 512 * files.size());
  const auto t0 = Clock::now();
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      charls::jpegls_decoder decoder;
      decoder.source(streams[i].data(), streams[i].size());
      decoder.read_header();
      decoder.decode(&volume[i * 512 * 512], 512 * 512 * 2);
    }
  };
  std::thread other(worker);
  worker();
  other.join();
  return {std::chrono::duration<double>(Clock::now() - t0).count(), 0};
}

std::pair<double, std::uint64_t> confrereLoad(const fs::path& dir) {
  const auto t0 = Clock::now();
  auto catalog = confrere::imaging::scanMedia(dir);
  const auto series = confrere::imaging::assembleSeries(catalog->objects);
  auto volume = confrere::imaging::loadVolume(series.at(0), catalog->objects);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!volume) {
    std::fprintf(stderr, "confrere: %s\n", volume.error().message.c_str());
    return {seconds, 0};
  }
  const auto& v = *volume.value();
  return {seconds, checksum(reinterpret_cast<const std::int16_t*>(v.voxels.data()), v.voxels.size() / 2)};
}

std::pair<double, std::uint64_t> itkLoad(const fs::path& dir) {
  using Image = itk::Image<short, 3>;
  const auto t0 = Clock::now();
  auto names = itk::GDCMSeriesFileNames::New();
  names->SetDirectory(dir.string());
  const auto uids = names->GetSeriesUIDs();
  auto reader = itk::ImageSeriesReader<Image>::New();
  auto io = itk::GDCMImageIO::New();
  reader->SetImageIO(io);
  reader->SetFileNames(names->GetFileNames(uids.front()));
  reader->Update();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  // ITK applies the rescale (HU); return to stored values for the checksum.
  Image::Pointer image = reader->GetOutput();
  const auto n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  std::vector<std::int16_t> stored(n);
  const short* hu = image->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) stored[i] = static_cast<std::int16_t>(hu[i] + 1024);
  return {seconds, checksum(stored.data(), n)};
}

std::pair<double, std::uint64_t> dcmtkLoop(const fs::path& dir) {
  DJLSDecoderRegistration::registerCodecs();
  const auto files = filesIn(dir);
  const auto t0 = Clock::now();
  struct Slice {
    double position;
    std::vector<Uint16> pixels;
  };
  std::vector<std::pair<double, std::size_t>> order;
  std::vector<std::int16_t> volume;
  std::size_t sliceVoxels = 0;
  std::vector<std::vector<std::int16_t>> slices(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    DcmFileFormat file;
    file.loadFile(files[i].c_str());
    DcmDataset* ds = file.getDataset();
    ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    Float64 z = 0;
    ds->findAndGetFloat64(DCM_ImagePositionPatient, z, 2);
    const Uint16* pixels = nullptr;
    unsigned long count = 0;
    ds->findAndGetUint16Array(DCM_PixelData, pixels, &count);
    sliceVoxels = count;
    if (volume.empty()) volume.resize(count * files.size());
    order.emplace_back(z, i);
    std::memcpy(&volume[i * count], pixels, count * 2);
  }
  // Sort slices along the normal (axial here: z), then a single pass.
  std::sort(order.begin(), order.end());
  std::vector<std::int16_t> sorted(volume.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::memcpy(&sorted[k * sliceVoxels], &volume[order[k].second * sliceVoxels], sliceVoxels * 2);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return {seconds, checksum(sorted.data(), sorted.size())};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int slices = 600;
  int rounds = 3;
  fs::path data = fs::current_path() / "bench-data";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--slices") == 0) slices = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--data") == 0) data = argv[i + 1];
  }
  confrere::imaging::registerDicomCodecs();  // also silences DCMTK's log
  const fs::path plain = data / ("ct" + std::to_string(slices) + "-raw");
  const fs::path jls = data / ("ct" + std::to_string(slices) + "-jpegls");
  for (const auto& [dir, syntax] : {std::pair{plain, "1.2.840.10008.1.2.1"}, std::pair{jls, "1.2.840.10008.1.2.4.80"}}) {
    if (fs::exists(dir) && static_cast<int>(filesIn(dir).size()) == slices) continue;
    fs::remove_all(dir);
    std::printf("generating %s ...\n", dir.c_str());
    confrere::test::SyntheticSeries s;
    s.rows = s.columns = 512;
    s.slices = slices;
    s.sliceSpacingMm = 1.0;
    s.pixelSpacingMm = {0.7, 0.7};
    s.transferSyntax = syntax;
    s.writeInReverse = true;  // loaders must sort
    s.value = [](int x, int y, int z) {
      const int dx = x - 256;
      const int dy = y - 256;
      const bool body = dx * dx * 4 + dy * dy * 9 < 200 * 200 * 4;
      const bool bone = body && std::abs(dx * dx + dy * dy - 90 * 90) < 900;
      return (bone ? 1024 + 700 : body ? 1024 + 40 : 24) + ((x * 7 + y * 13 + z * 31) % 23);
    };
    confrere::test::writeSyntheticSeries(dir, s);
  }
  const double voxelMiB = 512.0 * 512.0 * slices * 2 / (1 << 20);
  std::printf("series: %d slices 512x512 int16, %.0f MiB of voxels; %d rounds, medians\n\n", slices, voxelMiB, rounds);
  for (const auto& [label, dir] : {std::pair{"uncompressed", plain}, std::pair{"JPEG-LS lossless", jls}}) {
    (void)rawRead(dir);  // warm the page cache
    struct Row {
      const char* name;
      std::function<std::pair<double, std::uint64_t>()> work;
      std::vector<double> times;
      long peak = 0;
      std::uint64_t sum = 0;
    };
    std::vector<Row> rows = {{"cat > /dev/null", [&] { return catFiles(dir); }, {}, 0, 0},
                             {"Confrère", [&] { return confrereLoad(dir); }, {}, 0, 0},
                             {"ITK + GDCM", [&] { return itkLoad(dir); }, {}, 0, 0},
                             {"DCMTK loop (1 thread)", [&] { return dcmtkLoop(dir); }, {}, 0, 0},
                             {"read into a buffer", [&] { return rawRead(dir); }, {}, 0, 0}};
    if (dir == jls) rows.push_back({"CharLS alone, 2 threads", [&] { return charlsAlone(dir); }, {}, 0, 0});
    for (int r = 0; r < rounds; ++r) {
      for (auto& row : rows) {
        const Outcome o = measure(row.work);
        row.times.push_back(o.seconds);
        row.peak = std::max(row.peak, o.peakKiB);
        row.sum = o.checksum;
      }
    }
    const double ours = median(rows[1].times);
    const double raw = median(rows[0].times);
    std::printf("%s\n%-24s %9s %12s %12s %11s %14s\n", label, "loader", "median s", "vs Confrère", "vs cat",
                "peak MiB", "peak/voxels");
    for (const auto& row : rows) {
      const double t = median(row.times);
      std::printf("%-24s %9.3f %12.2f %12.2f %11.0f %14.2f%s\n", row.name, t, t / ours, t / raw, row.peak / 1024.0,
                  row.peak / 1024.0 / voxelMiB,
                  (&row == &rows[2] || &row == &rows[3]) && row.sum != rows[1].sum ? "  CHECKSUM DIFFERS" : "");
    }
    std::printf("\n");
  }
  return 0;
}
