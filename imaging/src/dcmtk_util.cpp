#include "dcmtk_util.h"

#include "confrere/imaging/dicom_frame.h"

namespace confrere::imaging::detail {

std::string getString(DcmItem& item, const DcmTagKey& tag, unsigned long pos) {
  OFString value;
  if (item.findAndGetOFString(tag, value, pos).bad()) {
    return {};
  }
  return std::string(value.c_str(), value.length());
}

std::optional<double> getDouble(DcmItem& item, const DcmTagKey& tag, unsigned long pos) {
  Float64 v = 0;
  if (item.findAndGetFloat64(tag, v, pos).bad()) {
    return std::nullopt;
  }
  return v;
}

int getInt(DcmItem& item, const DcmTagKey& tag, int fallback) {
  Uint16 u = 0;
  if (item.findAndGetUint16(tag, u).good()) return u;
  Sint32 s = 0;
  if (item.findAndGetSint32(tag, s).good()) return s;
  const std::string text = getString(item, tag);
  try {
    return text.empty() ? fallback : std::stoi(text);
  } catch (...) {
    return fallback;
  }
}

Status openDicom(const std::filesystem::path& path, DcmFileFormat& file, bool loadAll) {
  registerDicomCodecs();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError(ErrorCode::NotFound, path.string() + ": no such file");
  }
  if (!looksLikeDicom(path)) {
    return makeError(ErrorCode::NotDicom, path.string() + ": not a DICOM file (no DICM prefix, no DICOM tag at start)");
  }
  const Uint32 maxRead = loadAll ? DCM_MaxReadLength : 4096;
  const OFCondition cond = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, maxRead, ERM_autoDetect);
  if (cond.bad()) {
    return makeError(ErrorCode::Corrupt, path.string() + ": cannot read DICOM: " + cond.text());
  }
  return okStatus();
}

}  // namespace confrere::imaging::detail
