#include "confrere/imaging/ecg.h"

namespace confrere::imaging {

const EcgLead* Ecg::lead(std::string_view name) const {
  for (const auto& l : leads) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string standardLeadName(std::string_view raw) { return std::string(raw); }

bool looksLikeAecg(const std::filesystem::path& /*path*/) { return false; }

Result<Ecg> loadDicomEcg(const std::filesystem::path& path) {
  return makeError(ErrorCode::Unsupported, path.string() + ": DICOM ECG not implemented yet");
}

Result<Ecg> loadAecg(const std::filesystem::path& path) {
  return makeError(ErrorCode::Unsupported, path.string() + ": aECG not implemented yet");
}

Result<Ecg> loadEcg(const std::filesystem::path& path) {
  return looksLikeAecg(path) ? loadAecg(path) : loadDicomEcg(path);
}

}  // namespace confrere::imaging
