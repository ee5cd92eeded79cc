// Decoding single frames to modality values: Confrère's loader against
// DCMTK's own DicomImage pipeline (the peer), on the same files, interleaved.
// usage: bench_frame_load FILE... (default: a few corpus files)
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_frame.h"

namespace {

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty()) {
    const std::string data = std::string(CONFRERE_BENCH_DATA);
    files = {data + "/dicom/ct/CT1_UNC_explicit_little_endian.dcm", data + "/dicom/mr/MR_small.dcm",
             data + "/dicom/compressed/MR_small_jpeg_ls_lossless.dcm"};
  }
  confrere::imaging::registerDicomCodecs();
  std::printf("%-50s %12s %12s %8s\n", "file", "confrere ms", "dcmtk ms", "ratio");
  for (const auto& file : files) {
    std::vector<double> ours;
    std::vector<double> peer;
    for (int round = 0; round < 7; ++round) {
      auto t0 = std::chrono::steady_clock::now();
      auto frame = confrere::imaging::loadDicomFrame(file, 0);
      ours.push_back(seconds(std::chrono::steady_clock::now() - t0));
      if (!frame) {
        std::fprintf(stderr, "%s\n", frame.error().message.c_str());
        return 1;
      }
      t0 = std::chrono::steady_clock::now();
      DicomImage image(file.c_str());
      const void* data = image.getInterData() != nullptr ? image.getInterData()->getData() : nullptr;
      peer.push_back(seconds(std::chrono::steady_clock::now() - t0));
      if (data == nullptr) {
        std::fprintf(stderr, "%s: DCMTK could not decode\n", file.c_str());
        return 1;
      }
    }
    const double a = median(ours) * 1e3;
    const double b = median(peer) * 1e3;
    const std::string name = file.size() > 50 ? "…" + file.substr(file.size() - 49) : file;
    std::printf("%-50s %12.2f %12.2f %8.2f\n", name.c_str(), a, b, a / b);
  }
  return 0;
}
