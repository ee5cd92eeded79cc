#include "confrere/imaging/media.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"
#include "dcmtk_util.h"

namespace confrere::imaging {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "confrere-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary folder in " + fs::temp_directory_path().string());
  }
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool isZip(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, 4);
  return in.gcount() == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
}

constexpr const char* kMediaStorageDirectory = "1.2.840.10008.1.3.10";

bool isDicomdirName(const fs::path& path) { return lower(path.filename().string()) == "dicomdir"; }

// A DICOMDIR by name, or by its Media Storage SOP Class (copies often get
// renamed).
bool isDicomdir(const fs::path& path) {
  if (isDicomdirName(path)) return true;
  if (!looksLikeDicom(path)) return false;
  auto info = readObjectInfo(path);
  return info.ok() && info->sopClassUid == kMediaStorageDirectory;
}

// Resolves a DICOMDIR Referenced File ID ("DIR1\\SUB\\FILE") below `root`,
// matching each component case-insensitively as media are often written in
// upper case and copied by tools that change case.
std::optional<fs::path> resolveReference(const fs::path& root, const std::string& fileId) {
  fs::path current = root;
  std::size_t start = 0;
  while (start <= fileId.size()) {
    const std::size_t end = fileId.find('\\', start);
    std::string part = fileId.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (part.empty() || part == "." || part == "..") return std::nullopt;  // never leave the media
    std::error_code ec;
    fs::path next = current / part;
    if (!fs::exists(next, ec)) {
      bool found = false;
      for (const auto& entry : fs::directory_iterator(current, ec)) {
        if (lower(entry.path().filename().string()) == lower(part)) {
          next = entry.path();
          found = true;
          break;
        }
      }
      if (!found) return std::nullopt;
    }
    current = next;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return current;
}

struct Scanner {
  MediaCatalog& catalog;
  TaskControl* control;
  const MediaLimits& limits;
  int zipCount = 0;

  void addFile(const fs::path& path, const std::string& shown) {
    std::error_code ec;
    if (isDicomdirName(path)) {
      catalog.skipped.push_back({shown, "DICOMDIR index (its files are read as they are found)"});
      return;
    }
    if (looksLikePhoto(path)) {
      auto header = readPhotoHeader(path);
      if (!header) {
        catalog.errors.push_back({shown, header.error().message});
        return;
      }
      ObjectInfo info;
      info.path = path;
      info.displayPath = shown;
      info.kind = ObjectKind::Photo;
      info.rows = header->height;
      info.columns = header->width;
      info.frames = 1;
      info.samplesPerPixel = header->components;
      info.photometric = header->components == 1 ? "MONOCHROME2" : "RGB";
      info.bitsAllocated = 8;
      info.bitsStored = 8;
      info.exifOrientation = header->exifOrientation;
      catalog.objects.push_back(std::move(info));
      return;
    }
    if (looksLikeAecg(path)) {
      auto ecg = loadAecg(path);
      if (!ecg) {
        catalog.errors.push_back({shown, ecg.error().message});
        return;
      }
      ObjectInfo info;
      info.path = path;
      info.displayPath = shown;
      info.kind = ObjectKind::Ecg;
      info.patientId = ecg->patientId;
      info.modality = "ECG";
      catalog.objects.push_back(std::move(info));
      ecg->path = shown;
      catalog.ecgs.push_back(std::move(ecg).value());
      return;
    }
    if (!looksLikeDicom(path)) {
      catalog.skipped.push_back({shown, "not DICOM, JPEG, PNG or HL7 aECG"});
      return;
    }
    auto info = readObjectInfo(path);
    if (!info) {
      std::string reason = info.error().message;
      // The message starts with the (possibly temporary) path: show ours.
      if (reason.rfind(path.string(), 0) == 0) reason = shown + reason.substr(path.string().size());
      catalog.errors.push_back({shown, reason});
      return;
    }
    info->displayPath = shown;
    if (info->sopClassUid == kMediaStorageDirectory) {
      catalog.skipped.push_back({shown, "DICOMDIR index (its files are read as they are found)"});
      return;
    }
    if (info->kind == ObjectKind::Ecg) {
      auto ecg = loadDicomEcg(path);
      if (ecg) {
        ecg->path = shown;
        catalog.ecgs.push_back(std::move(ecg).value());
      } else {
        catalog.errors.push_back({shown, ecg.error().message});
      }
    }
    catalog.objects.push_back(std::move(info).value());
  }

  Status addZip(const fs::path& zipPath, const std::string& shown) {
    int err = 0;
    zip_t* archive = zip_open(zipPath.c_str(), ZIP_RDONLY, &err);
    if (archive == nullptr) {
      zip_error_t error;
      zip_error_init_with_code(&error, err);
      catalog.errors.push_back({shown, std::string("cannot open zip: ") + zip_error_strerror(&error)});
      zip_error_fini(&error);
      return okStatus();
    }
    if (!catalog.extracted) catalog.extracted = std::make_shared<TempDir>();
    const int zipIndex = zipCount++;
    const zip_int64_t n = zip_get_num_entries(archive, 0);
    std::uint64_t total = 0;
    std::vector<std::pair<fs::path, std::string>> files;
    for (zip_int64_t i = 0; i < n && static_cast<std::size_t>(i) < limits.maxFiles; ++i) {
      zip_stat_t st;
      if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) continue;
      const std::string name = st.name;
      if (name.empty() || name.back() == '/') continue;
      const std::string member = shown + "/" + name;
      total += st.size;
      if (total > limits.maxExtractedBytes) {
        catalog.errors.push_back({member, "archive expands beyond " +
                                              std::to_string(limits.maxExtractedBytes >> 30) + " GiB: stopped"});
        break;
      }
      // Our own file name: a member named "../../x" must not escape.
      const fs::path out = catalog.extracted->path() / ("z" + std::to_string(zipIndex) + "_" + std::to_string(i));
      zip_file_t* zf = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
      if (zf == nullptr) {
        catalog.errors.push_back({member, std::string("cannot read zip member: ") + zip_strerror(archive)});
        continue;
      }
      std::ofstream os(out, std::ios::binary);
      char buffer[1 << 16];
      zip_int64_t got = 0;
      std::uint64_t written = 0;
      bool failed = false;
      while ((got = zip_fread(zf, buffer, sizeof buffer)) > 0) {
        os.write(buffer, got);
        written += static_cast<std::uint64_t>(got);
        if (written > st.size) {  // the header lied about the size
          failed = true;
          break;
        }
      }
      if (got < 0) failed = true;
      zip_fclose(zf);
      os.close();
      if (failed || !os) {
        catalog.errors.push_back({member, "zip member is damaged (CRC or size mismatch)"});
        continue;
      }
      files.emplace_back(out, member);
    }
    zip_close(archive);
    if (control) control->setStage("scan", files.size());
    for (const auto& [path, member] : files) {
      if (control && control->cancelled()) return makeError(ErrorCode::Cancelled, shown + ": scan cancelled");
      addFile(path, member);
      if (control) control->advance();
    }
    return okStatus();
  }
};

}  // namespace

Result<std::vector<fs::path>> dicomdirFiles(const fs::path& dicomdir, std::vector<FileProblem>* missing) {
  DcmFileFormat file;
  if (Status opened = detail::openDicom(dicomdir, file, true); !opened) {
    return opened.error();
  }
  DcmSequenceOfItems* records = nullptr;
  if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || records == nullptr) {
    return makeError(ErrorCode::Corrupt, dicomdir.string() + ": no Directory Record Sequence (not a DICOMDIR?)");
  }
  std::vector<fs::path> out;
  const fs::path root = dicomdir.parent_path();
  for (unsigned long i = 0; i < records->card(); ++i) {
    DcmItem* record = records->getItem(i);
    if (record == nullptr) continue;
    OFString fileId;
    if (record->findAndGetOFStringArray(DCM_ReferencedFileID, fileId).bad() || fileId.empty()) continue;
    const std::string id(fileId.c_str());
    if (auto resolved = resolveReference(root, id)) {
      out.push_back(*resolved);
    } else if (missing != nullptr) {
      missing->push_back({(root / id).string(), "referenced by " + dicomdir.filename().string() + " but missing"});
    }
  }
  return out;
}

Result<MediaCatalog> scanMedia(const fs::path& path, TaskControl* control, const MediaLimits& limits) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return makeError(ErrorCode::NotFound, path.string() + ": no such file or folder");
  }
  MediaCatalog catalog;
  Scanner scanner{catalog, control, limits};
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) files.push_back(it->path());
      if (files.size() >= limits.maxFiles) break;
    }
    if (ec) {
      return makeError(ErrorCode::Io, path.string() + ": cannot list the folder: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    if (control) control->setStage("scan", files.size());
    for (const auto& file : files) {
      if (control && control->cancelled()) return makeError(ErrorCode::Cancelled, path.string() + ": scan cancelled");
      if (isZip(file)) {
        if (Status s = scanner.addZip(file, file.string()); !s) return s.error();
      } else {
        scanner.addFile(file, file.string());
      }
      if (control) control->advance();
    }
    return catalog;
  }
  if (isDicomdir(path)) {
    std::vector<FileProblem> missing;
    auto files = dicomdirFiles(path, &missing);
    if (!files) {
      catalog.errors.push_back({path.string(), files.error().message});
      return catalog;
    }
    catalog.errors.insert(catalog.errors.end(), missing.begin(), missing.end());
    if (files->empty() && missing.empty()) {
      catalog.errors.push_back({path.string(), path.string() + ": this DICOMDIR references no file (empty media)"});
    }
    if (control) control->setStage("scan", files->size());
    for (const auto& file : files.value()) {
      if (control && control->cancelled()) return makeError(ErrorCode::Cancelled, path.string() + ": scan cancelled");
      scanner.addFile(file, file.string());
      if (control) control->advance();
    }
    return catalog;
  }
  if (isZip(path)) {
    if (Status s = scanner.addZip(path, path.string()); !s) return s.error();
    return catalog;
  }
  scanner.addFile(path, path.string());
  return catalog;
}

}  // namespace confrere::imaging
