// Everything a requester attaches, catalogued: a file, a folder (recursive),
// a DICOMDIR or a zip. Files that are not DICOM, photos or ECGs are skipped
// and listed; files that fail to read are listed with the reason. Nothing in
// between is fatal.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "confrere/imaging/dicom_object.h"
#include "confrere/imaging/ecg.h"
#include "confrere/imaging/result.h"
#include "confrere/imaging/task.h"

namespace confrere::imaging {

struct FileProblem {
  std::string path;  // as shown to the user (inside a zip: "archive.zip/inner/path")
  std::string reason;
};

// A temporary folder removed (recursively) when the last owner goes.
class TempDir {
 public:
  TempDir();  // throws std::runtime_error if it cannot be made
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

struct MediaCatalog {
  std::vector<ObjectInfo> objects;    // every file read: DICOM objects, photos, aECG files
  std::vector<Ecg> ecgs;              // one per ECG object that could be decoded
  std::vector<FileProblem> errors;    // files that could not be read, with the reason
  std::vector<FileProblem> skipped;   // files that are none of our kinds (README.TXT, DICOMDIR index...)
  std::shared_ptr<TempDir> extracted; // where zip members were extracted (kept alive with the catalog)
};

// Limits for archives: a zip must not fill the disk or take forever.
struct MediaLimits {
  std::uint64_t maxExtractedBytes = 32ull << 30;  // 32 GiB
  std::size_t maxFiles = 200000;
};

// Catalogues `path`. Fails only when the path does not exist or is
// unreadable as a whole (NotFound, Io), or when cancelled (Cancelled).
// Progress: stage "scan", one step per file.
Result<MediaCatalog> scanMedia(const std::filesystem::path& path, TaskControl* control = nullptr,
                               const MediaLimits& limits = {});

// The files a DICOMDIR references (resolved case-insensitively next to it),
// read from its directory records in file order (offsets are not trusted).
// Missing referenced files are reported in `missing`.
Result<std::vector<std::filesystem::path>> dicomdirFiles(const std::filesystem::path& dicomdir,
                                                         std::vector<FileProblem>* missing = nullptr);

}  // namespace confrere::imaging
