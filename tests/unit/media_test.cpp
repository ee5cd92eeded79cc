// The catalogue against the corpus manifest (what pydicom read), DICOMDIR,
// zip and broken files.
#include <gtest/gtest.h>
#include <zip.h>

#include <fstream>
#include <map>
#include <regex>

#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"
#include "synthetic_dicom.h"
#include "test_support.h"

namespace confrere::imaging {
namespace {

struct ManifestRow {
  std::string path;
  std::string description;
};

std::vector<ManifestRow> manifest() {
  std::vector<ManifestRow> rows;
  std::ifstream in(test::dataFile("MANIFEST.tsv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
      cols.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    cols.push_back(line.substr(start));
    if (cols.size() >= 6) rows.push_back({cols[0], cols[5]});
  }
  return rows;
}

TEST(Corpus, EveryDicomFileMatchesTheManifest) {
  CONFRERE_DATA_OR_SKIP(data, "MANIFEST.tsv");
  static const std::regex size(R"((\d+)x(\d+)x(\d+) \(rows x cols x frames\))");
  static const std::regex ts(R"(TS=([0-9.]+) )");
  static const std::regex pixel(R"(; (\S+) spp=(\d+) bits=(\d+)/(\d+))");
  static const std::regex series(R"(SeriesUID=([0-9.]+))");
  static const std::regex modality(R"(Modality=([A-Z]+);)");
  int checked = 0;
  for (const auto& row : manifest()) {
    if (row.path.rfind("dicom/", 0) != 0) continue;
    std::smatch m;
    if (!std::regex_search(row.description, m, size)) continue;  // not an image (SR, ECG...)
    SCOPED_TRACE(row.path);
    auto info = readObjectInfo(test::dataFile(row.path));
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_EQ(info->rows, std::stoi(m[1].str()));
    EXPECT_EQ(info->columns, std::stoi(m[2].str()));
    EXPECT_EQ(info->frames, std::stoi(m[3].str()));
    if (std::regex_search(row.description, m, ts)) {
      EXPECT_EQ(info->transferSyntaxUid, m[1].str());
    }
    if (std::regex_search(row.description, m, pixel)) {
      EXPECT_EQ(info->photometric, m[1].str());
      EXPECT_EQ(info->samplesPerPixel, std::stoi(m[2].str()));
      EXPECT_EQ(info->bitsStored, std::stoi(m[3].str()));
      EXPECT_EQ(info->bitsAllocated, std::stoi(m[4].str()));
    }
    if (std::regex_search(row.description, m, series)) {
      EXPECT_EQ(info->seriesUid, m[1].str());
    }
    if (std::regex_search(row.description, m, modality)) {
      EXPECT_EQ(info->modality, m[1].str());
    }
    ++checked;
  }
  EXPECT_GT(checked, 60);
}

TEST(Corpus, EveryBrokenFileIsAnErrorOrReadableNeverACrash) {
  CONFRERE_DATA_OR_SKIP(dir, "broken");
  auto catalog = scanMedia(dir);
  ASSERT_TRUE(catalog.ok());
  EXPECT_GE(catalog->errors.size(), 4u);
  for (const auto& e : catalog->errors) {
    EXPECT_FALSE(e.reason.empty());
    EXPECT_NE(e.reason.find(std::filesystem::path(e.path).filename().string()), std::string::npos) << e.reason;
  }
  // Every readable object's pixels either decode or fail with a message.
  for (const auto& v : assembleSeries(catalog->objects)) {
    if (v.colour) continue;
    auto volume = loadVolume(v, catalog->objects);
    if (!volume.ok()) {
      EXPECT_FALSE(volume.error().message.empty());
    }
  }
}

TEST(Media, DicomdirListsItsFiles) {
  CONFRERE_DATA_OR_SKIP(dicomdir, "dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR");
  auto catalog = scanMedia(dicomdir);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_GE(catalog->objects.size(), 20u);
  EXPECT_TRUE(catalog->errors.empty()) << catalog->errors.front().path << ": " << catalog->errors.front().reason;
  const auto volumes = assembleSeries(catalog->objects);
  std::map<int, int> slicesPerVolume;
  for (const auto& v : volumes) ++slicesPerVolume[v.dims[2]];
  EXPECT_GE(slicesPerVolume[4], 1) << "CT2 has 4 slices";
  EXPECT_GE(slicesPerVolume[5], 1) << "CT5N has 5 slices";
  EXPECT_GE(slicesPerVolume[1], 7) << "MR700's 7 radial slices are single-slice stacks";
}

TEST(Media, DicomdirVariantsAllResolve) {
  // Big endian, implicit VR, records reordered, offsets missing, no patient
  // record type: the files are found from the records themselves.
  for (const char* variant : {"DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-nooffset", "DICOMDIR-nopatient",
                              "DICOMDIR-reordered"}) {
    CONFRERE_DATA_OR_SKIP(path, std::string("dicom/dicomdir/pydicom_dicomdirtests/") + variant);
    auto catalog = scanMedia(path);
    ASSERT_TRUE(catalog.ok()) << variant;
    EXPECT_EQ(catalog->objects.size(), 31u) << variant;
  }
  auto empty = scanMedia(test::dataFile("dicom/dicomdir/pydicom_dicomdirtests/DICOMDIR-empty.dcm"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->objects.empty());
  ASSERT_EQ(empty->errors.size(), 1u);
  EXPECT_NE(empty->errors[0].reason.find("references no file"), std::string::npos);
}

TEST(Media, FolderSkipsWhatIsNotOurs) {
  test::SyntheticSeries s;
  const auto dir = test::outputDir() / "media";
  test::writeSyntheticSeries(dir / "series", s);
  std::ofstream(dir / "README.TXT") << "Patient CD\n";
  std::ofstream(dir / "autorun.inf") << "[autorun]\n";
  auto catalog = scanMedia(dir);
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->objects.size(), 5u);
  EXPECT_EQ(catalog->skipped.size(), 2u);
  EXPECT_TRUE(catalog->errors.empty());
}

TEST(Media, ZipIsOpenedInPlace) {
  test::SyntheticSeries s;
  const auto dir = test::outputDir();
  const auto files = test::writeSyntheticSeries(dir / "series", s);
  const auto zipPath = dir / "study.zip";
  std::filesystem::remove(zipPath);
  int err = 0;
  zip_t* z = zip_open(zipPath.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(z, nullptr);
  for (const auto& f : files) {
    zip_source_t* src = zip_source_file(z, f.c_str(), 0, -1);
    ASSERT_GE(zip_file_add(z, ("CT/" + f.filename().string()).c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  }
  static const char readme[] = "not an image";
  zip_file_add(z, "README.TXT", zip_source_buffer(z, readme, sizeof readme - 1, 0), 0);
  ASSERT_EQ(zip_close(z), 0);

  auto catalog = scanMedia(zipPath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  ASSERT_EQ(catalog->objects.size(), 5u);
  EXPECT_EQ(catalog->skipped.size(), 1u);
  EXPECT_NE(catalog->objects[0].displayPath.find("study.zip/CT/"), std::string::npos) << catalog->objects[0].displayPath;
  const auto volumes = assembleSeries(catalog->objects);
  ASSERT_EQ(volumes.size(), 1u);
  auto volume = loadVolume(volumes[0], catalog->objects);
  ASSERT_TRUE(volume.ok()) << volume.error().message;
  EXPECT_DOUBLE_EQ(volume.value()->valueAt(2, 1, 4), s.value(2, 1, 4) - 1024.0);
}

TEST(Media, PhotosReportOrientedSize) {
  CONFRERE_DATA_OR_SKIP(path, "photos/derm/skin_lesion_exif_orientation_rot90.jpg");
  auto catalog = scanMedia(path);
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->objects.size(), 1u);
  const ObjectInfo& o = catalog->objects[0];
  EXPECT_EQ(o.kind, ObjectKind::Photo);
  EXPECT_EQ(o.exifOrientation, 6);
  EXPECT_EQ(o.columns, 600);  // stored 450 wide x 600 high, shown rotated
  EXPECT_EQ(o.rows, 450);
}

TEST(Media, KindsOfNonImageObjects) {
  CONFRERE_DATA_OR_SKIP(dir, "dicom/sr_gsps");
  auto catalog = scanMedia(dir);
  ASSERT_TRUE(catalog.ok());
  std::map<ObjectKind, int> kinds;
  for (const auto& o : catalog->objects) ++kinds[o.kind];
  EXPECT_GE(kinds[ObjectKind::Sr], 4);
  EXPECT_EQ(kinds[ObjectKind::Pr], 2);
}

TEST(Media, MissingPathIsNotFound) {
  auto catalog = scanMedia("/no/such/place");
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace confrere::imaging
