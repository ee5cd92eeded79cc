// `confrere info --json` as scripts use it: the fixed keys, the values
// against DCMTK's own dcmdump, exit codes.
#include <gtest/gtest.h>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "test_support.h"

namespace confrere {
namespace {

using nlohmann::json;

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

CommandResult run(const std::string& args) {
  const auto errPath = test::outputDir() / "stderr.txt";
  const std::string command = std::string(CONFRERE_EXE) + " " + args + " 2>" + errPath.string();
  CommandResult r;
  if (std::FILE* p = popen(command.c_str(), "r"); p != nullptr) {
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) r.out.append(buffer, n);
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  if (std::FILE* f = std::fopen(errPath.c_str(), "r"); f != nullptr) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) r.err.append(buffer, n);
    std::fclose(f);
  }
  return r;
}

// The top-level value of `tag` ("gggg,eeee") as DCMTK's dcmdump prints it
// (nested sequence items are indented and ignored).
std::string dcmdumpValue(const std::string& file, const std::string& tag) {
  static std::string cachedFile;
  static std::string dump;
  if (file != cachedFile) {  // one dcmdump run per file
    cachedFile = file;
    dump.clear();
    const std::string command = "dcmdump -q -Un '" + file + "' 2>/dev/null | grep '^('";
    if (std::FILE* p = popen(command.c_str(), "r"); p != nullptr) {
      char buffer[65536];
      std::size_t n = 0;
      while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) dump.append(buffer, n);
      pclose(p);
    }
  }
  const std::size_t at = dump.find("(" + tag + ")");
  if (at == std::string::npos) return {};
  const std::string out = dump.substr(at, dump.find('\n', at) - at);
  // "(0008,0016) UI [1.2.840...]   # ..." for strings, "(0028,0010) US 128  # ..." for numbers.
  static const std::regex bracketed(R"(^\([0-9a-f,]+\) [A-Z]{2} \[([^\]]*)\])");
  static const std::regex number(R"(^\([0-9a-f,]+\) [A-Z]{2} (-?[0-9]+) )");
  std::smatch m;
  if (std::regex_search(out, m, bracketed) || std::regex_search(out, m, number)) return m[1].str();
  return {};
}

TEST(CliInfo, DemoCaseHasEveryKind) {
  const CommandResult r = run("info " CONFRERE_SOURCE_DIR "/assets/demo --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  std::multiset<std::string> kinds;
  for (const auto& o : j.at("objects")) {
    kinds.insert(o.at("kind").get<std::string>());
    for (const char* key : {"path", "kind", "patientId", "studyUid", "seriesUid", "sopClassUid", "transferSyntaxUid",
                            "modality", "rows", "columns", "frames", "samplesPerPixel", "photometric", "bitsStored"}) {
      EXPECT_TRUE(o.contains(key)) << key << " missing in " << o.dump();
    }
  }
  EXPECT_EQ(kinds.count("image"), 3u);
  EXPECT_EQ(kinds.count("photo"), 2u);
  EXPECT_EQ(kinds.count("ecg"), 2u);
  ASSERT_EQ(j.at("volumes").size(), 1u);
  const json& v = j["volumes"][0];
  EXPECT_EQ(v.at("dims"), json({512, 512, 3}));
  EXPECT_EQ(v.at("direction").size(), 9u);
  EXPECT_EQ(v.at("originLps").size(), 3u);
  EXPECT_TRUE(v.at("warnings").is_array());
  ASSERT_EQ(j.at("ecgs").size(), 2u);
  for (const auto& e : j["ecgs"]) {
    EXPECT_EQ(e.at("leads").size(), 12u);
    EXPECT_GT(e.at("samplingHz").get<double>(), 0);
    EXPECT_GT(e.at("durationS").get<double>(), 5.0);
  }
  EXPECT_TRUE(j.at("errors").empty());
}

TEST(CliInfo, WholeCorpusMatchesDcmdump) {
  CONFRERE_DATA_OR_SKIP(data, "dicom");
  const CommandResult r = run("info '" + data.string() + "' --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_GT(j.at("objects").size(), 100u);
  int compared = 0;
  for (const auto& o : j["objects"]) {
    const std::string path = o.at("path");
    if (path.find("/dicomdir/") != std::string::npos && compared > 40) continue;  // 16x16 copies: sample some
    const std::pair<const char*, const char*> keys[] = {
        {"patientId", "0010,0020"}, {"studyUid", "0020,000d"}, {"seriesUid", "0020,000e"},
        {"sopClassUid", "0008,0016"}, {"modality", "0008,0060"}};
    for (const auto& [key, tag] : keys) {
      const std::string expected = dcmdumpValue(path, tag);
      const std::string actual = o.at(key).is_null() ? "" : o.at(key).get<std::string>();
      EXPECT_EQ(actual, expected) << path << " " << key;
    }
    if (o.at("kind") == "image") {
      EXPECT_EQ(std::to_string(o.at("rows").get<int>()), dcmdumpValue(path, "0028,0010")) << path;
    }
    ++compared;
  }
  EXPECT_GT(compared, 60);
  for (const auto& e : j.at("errors")) {
    EXPECT_FALSE(e.at("reason").get<std::string>().empty());
  }
}

TEST(CliInfo, BrokenFilesAreListedNotFatal) {
  CONFRERE_DATA_OR_SKIP(broken, "broken");
  const CommandResult r = run("info '" + broken.string() + "' --json");
  EXPECT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_GE(j.at("errors").size(), 4u);
  for (const auto& e : j["errors"]) {
    EXPECT_TRUE(e.contains("path") && e.contains("reason"));
  }
}

TEST(CliInfo, NothingReadableIsNonZeroWithOneLine) {
  const auto dir = test::outputDir() / "junk";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "nothing medical here\n";
  const CommandResult r = run("info '" + dir.string() + "' --json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("nothing could be read"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);

  const CommandResult missing = run("info /no/such/path --json");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("/no/such/path"), std::string::npos);
}

TEST(CliMeasure, LengthAndHuStatisticsWithUnits) {
  CONFRERE_DATA_OR_SKIP(ct, "dicom/ct/CT1_UNC_explicit_little_endian.dcm");
  const CommandResult length = run("measure '" + ct.string() + "' --length 100,100,200,100 --json");
  ASSERT_EQ(length.status, 0) << length.err;
  const json l = json::parse(length.out);
  EXPECT_NEAR(l.at("lengthMm").get<double>(), 100 * 0.661468, 1e-6);
  const CommandResult roi = run("measure '" + ct.string() + "' --roi-ellipse 256,256,20,20 --json");
  ASSERT_EQ(roi.status, 0) << roi.err;
  const json r = json::parse(roi.out);
  for (const char* key : {"mean", "sd", "min", "max", "areaMm2", "units"}) EXPECT_TRUE(r.contains(key)) << key;
  EXPECT_EQ(r.at("units"), "HU");
  const CommandResult angle = run("measure '" + ct.string() + "' --angle 10,0,0,0,0,10 --json");
  ASSERT_EQ(angle.status, 0);
  EXPECT_NEAR(json::parse(angle.out).at("angleDeg").get<double>(), 90.0, 1e-9);
}

TEST(CliMeasure, WithoutSpacingMeasuresInPixelsAndSaysSo) {
  CONFRERE_DATA_OR_SKIP(cr, "dicom/xray/CR-MONO1-10-chest.dcm");
  const CommandResult r = run("measure '" + cr.string() + "' --length 0,0,30,40 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_FALSE(j.contains("lengthMm"));
  EXPECT_DOUBLE_EQ(j.at("lengthPx").get<double>(), 50.0);
  EXPECT_EQ(j.at("calibration").at("source"), "none");
  EXPECT_EQ(run("measure '" + cr.string() + "' --length 1,2,3 --json").status, 2);
}

TEST(CliInfo, PhotoReportsOrientation) {
  CONFRERE_DATA_OR_SKIP(photo, "photos/derm/skin_lesion_exif_orientation_rot90.jpg");
  const CommandResult r = run("info '" + photo.string() + "' --json");
  ASSERT_EQ(r.status, 0);
  const json j = json::parse(r.out);
  ASSERT_EQ(j.at("objects").size(), 1u);
  EXPECT_EQ(j["objects"][0].at("kind"), "photo");
  EXPECT_EQ(j["objects"][0].at("exifOrientation"), 6);
  EXPECT_EQ(j["objects"][0].at("rows"), 450);
  EXPECT_EQ(j["objects"][0].at("columns"), 600);
}

}  // namespace
}  // namespace confrere
