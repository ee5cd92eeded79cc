#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "confrere/imaging/ecg.h"
#include "test_support.h"

// Reference values come from the files themselves (dcmdump, the XML text),
// worked out by hand in the comments. In both corpus files lead III and the
// augmented leads are derived by the device from I and II, so Einthoven's law
// holds exactly and Goldberger's within half a quantisation step.

namespace confrere::imaging {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 12> kStandardOrder = {"I",  "II", "III", "aVR", "aVL", "aVF",
                                                             "V1", "V2", "V3",  "V4",  "V5",  "V6"};

constexpr const char* kDicomEcg = "dicom/ecg/waveform_ecg.dcm";
constexpr const char* kAecg = "ecg/HL7_aECG_Example.xml";

std::string readBytes(const fs::path& path) {
  // Sized read: istreambuf_iterator trips GCC 12's -Wnull-dereference.
  std::error_code ec;
  std::string bytes(static_cast<std::size_t>(fs::file_size(path, ec)), '\0');
  std::ifstream(path, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

fs::path writeBytes(const std::string& name, const std::string& bytes) {
  const fs::path path = test::outputDir() / name;
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

std::string le16(std::uint16_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
}

std::string le32(std::uint32_t v) {
  return le16(static_cast<std::uint16_t>(v & 0xFFFF)) + le16(static_cast<std::uint16_t>(v >> 16));
}

// The header of a short explicit VR little endian element, as in the corpus
// file: group, element, VR, 16-bit value length.
std::string element(std::uint16_t group, std::uint16_t elem, const char* vr, std::uint16_t length) {
  return le16(group) + le16(elem) + std::string(vr, 2) + le16(length);
}

// Replaces every occurrence of `from` by `to` (same length); returns the count.
int replaceAll(std::string& bytes, const std::string& from, const std::string& to) {
  EXPECT_EQ(from.size(), to.size());
  int count = 0;
  for (auto pos = bytes.find(from); pos != std::string::npos; pos = bytes.find(from, pos + to.size())) {
    bytes.replace(pos, from.size(), to);
    ++count;
  }
  return count;
}

// Swaps every occurrence of `a` with `b` (same length); returns the count.
int swapAll(std::string& bytes, const std::string& a, const std::string& b) {
  const std::string marker(a.size(), '\x01');
  EXPECT_EQ(bytes.find(marker), std::string::npos);
  const int n = replaceAll(bytes, a, marker) + replaceAll(bytes, b, a);
  replaceAll(bytes, marker, b);
  return n;
}

Ecg loadOrFail(const fs::path& path) {
  auto ecg = loadEcg(path);
  if (!ecg.ok()) {
    ADD_FAILURE() << ecg.error().message;
    return {};
  }
  return std::move(ecg).value();
}

std::vector<std::string> leadNames(const Ecg& ecg) {
  std::vector<std::string> names;
  for (const auto& lead : ecg.leads) names.push_back(lead.name);
  return names;
}

std::vector<std::string> standardNames() {
  return {kStandardOrder.begin(), kStandardOrder.end()};
}

// Largest |f(I, II, III, aVR, aVL, aVF)| over all samples.
template <class F>
double worstResidual(const Ecg& ecg, F f) {
  const auto* i = ecg.lead("I");
  const auto* ii = ecg.lead("II");
  const auto* iii = ecg.lead("III");
  const auto* avr = ecg.lead("aVR");
  const auto* avl = ecg.lead("aVL");
  const auto* avf = ecg.lead("aVF");
  if (!i || !ii || !iii || !avr || !avl || !avf) {
    ADD_FAILURE() << "limb leads missing";
    return 1e9;
  }
  double worst = 0.0;
  for (std::size_t k = 0; k < ecg.samples; ++k) {
    const auto at = [k](const EcgLead* lead) { return static_cast<double>(lead->amplitudeUv[k]); };
    const double r = f(at(i), at(ii), at(iii), at(avr), at(avl), at(avf));
    worst = std::max(worst, std::abs(r));
  }
  return worst;
}

// Einthoven (I + III = II) and Goldberger (aVR = -(I + II) / 2, aVL = I - II / 2,
// aVF = II - I / 2). `lsbUv` is one quantisation step of the file.
void expectLimbLeadLaws(const Ecg& ecg, double lsbUv) {
  EXPECT_LT(worstResidual(ecg, [](double i, double ii, double iii, double, double, double) { return i + iii - ii; }),
            0.01);
  EXPECT_LE(
      worstResidual(ecg, [](double i, double ii, double, double avr, double, double) { return avr + (i + ii) / 2; }),
      lsbUv / 2 + 1e-3);
  EXPECT_LE(
      worstResidual(ecg, [](double i, double ii, double, double, double avl, double) { return avl - (i - ii / 2); }),
      lsbUv / 2 + 1e-3);
  EXPECT_LE(
      worstResidual(ecg, [](double i, double ii, double, double, double, double avf) { return avf - (ii - i / 2); }),
      lsbUv / 2 + 1e-3);
}

void expectPhysiological(const Ecg& ecg) {
  for (const auto& lead : ecg.leads) {
    ASSERT_EQ(lead.amplitudeUv.size(), ecg.samples) << lead.name;
    const auto [lo, hi] = std::minmax_element(lead.amplitudeUv.begin(), lead.amplitudeUv.end());
    EXPECT_GE(*lo, -5000.0f) << lead.name;  // ±5 mV
    EXPECT_LE(*hi, 5000.0f) << lead.name;
    EXPECT_GT(*hi - *lo, 100.0f) << lead.name << " is flat";
  }
  const auto* ii = ecg.lead("II");
  ASSERT_NE(ii, nullptr);
  const auto [lo, hi] = std::minmax_element(ii->amplitudeUv.begin(), ii->amplitudeUv.end());
  EXPECT_GT(*hi - *lo, 300.0f) << "lead II QRS peak-to-peak below 0.3 mV";
}

void expectErrorNamesFile(const Error& error, const fs::path& path) {
  EXPECT_NE(error.message.find(path.filename().string()), std::string::npos) << error.message;
}

// ---------------------------------------------------------------------------
// DICOM 12-lead ECG waveform (Mortara)

TEST(EcgDicom, TwelveStandardLeadsTenSecondsAt1000Hz) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  auto ecg = loadDicomEcg(path);
  ASSERT_TRUE(ecg.ok()) << ecg.error().message;
  // The rhythm group (12 x 10000), not the median beat (12 x 1200).
  EXPECT_EQ(leadNames(ecg.value()), standardNames());
  EXPECT_DOUBLE_EQ(ecg->samplingHz, 1000.0);
  EXPECT_EQ(ecg->samples, 10000u);
  EXPECT_DOUBLE_EQ(ecg->durationS(), 10.0);
  for (const auto& lead : ecg->leads) EXPECT_EQ(lead.amplitudeUv.size(), 10000u) << lead.name;
  EXPECT_EQ(ecg->patientId, "642341");
  EXPECT_EQ(ecg->patientName, "Anonymous");
  EXPECT_EQ(ecg->acquisitionDateTime, "20130125105919");
  EXPECT_EQ(ecg->lead("V7"), nullptr);
}

TEST(EcgDicom, AmplitudesArePhysiological) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  expectPhysiological(loadOrFail(path));
}

TEST(EcgDicom, SamplesMatchDcmdumpByHand) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  const Ecg ecg = loadOrFail(path);
  ASSERT_EQ(ecg.samples, 10000u);
  // `dcmdump +L waveform_ecg.dcm`, first Waveform Data (5400,1010), SS, 12
  // channels interleaved in the order I, II, III, aVR, aVL, aVF, V1..V6; every
  // channel: Channel Sensitivity 1.25, units uV, correction factor 1, baseline 0.
  //  - word 3 (sample 0 of channel 4, aVR) = ffab = -85:
  //      -85 x 1.25 uV x 1 + 0 = -106.25 uV
  //  - word 6325 = 527 x 12 + 1 (sample 527 of channel 2, lead II, its R peak) = 038e = 910:
  //      910 x 1.25 uV x 1 + 0 = 1137.5 uV
  //    words 6324 and 6326 (I and III at that sample) = 0244 = 580 and 014a = 330:
  //      725 uV and 412.5 uV (725 + 412.5 = 1137.5: Einthoven)
  EXPECT_FLOAT_EQ(ecg.lead("aVR")->amplitudeUv[0], -106.25f);
  EXPECT_FLOAT_EQ(ecg.lead("II")->amplitudeUv[527], 1137.5f);
  EXPECT_FLOAT_EQ(ecg.lead("I")->amplitudeUv[527], 725.0f);
  EXPECT_FLOAT_EQ(ecg.lead("III")->amplitudeUv[527], 412.5f);
  EXPECT_FLOAT_EQ(*std::max_element(ecg.lead("II")->amplitudeUv.begin(), ecg.lead("II")->amplitudeUv.end()), 1137.5f);
}

TEST(EcgDicom, EinthovenAndGoldbergerLawsHold) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  expectLimbLeadLaws(loadOrFail(path), 1.25);
}

TEST(EcgDicom, ChannelOrderInTheFileDoesNotMatter) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  const Ecg original = loadOrFail(path);
  // Relabel channel 2 (Lead II, SCPECG 5.6.3-9-2) as V2 and channel 8 (Lead V2,
  // 5.6.3-9-4) as II: the file now stores V2 second and II eighth.
  std::string bytes = readBytes(path);
  EXPECT_EQ(swapAll(bytes, "5.6.3-9-2 ", "5.6.3-9-4 "), 4);  // 2 groups x 2 channels
  EXPECT_EQ(swapAll(bytes, "Lead II ", "Lead V2 "), 4);
  const Ecg swapped = loadOrFail(writeBytes("swapped.dcm", bytes));
  EXPECT_EQ(leadNames(swapped), standardNames());
  ASSERT_NE(swapped.lead("II"), nullptr);
  ASSERT_NE(swapped.lead("V2"), nullptr);
  EXPECT_EQ(swapped.lead("II")->amplitudeUv, original.lead("V2")->amplitudeUv);
  EXPECT_EQ(swapped.lead("V2")->amplitudeUv, original.lead("II")->amplitudeUv);
  EXPECT_EQ(swapped.lead("I")->amplitudeUv, original.lead("I")->amplitudeUv);
}

TEST(EcgDicom, MillivoltSensitivityIsConvertedToMicrovolts) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  const Ecg original = loadOrFail(path);
  std::string bytes = readBytes(path);
  // Channel Sensitivity Units code value uV -> mV: 1.25 mV per step.
  EXPECT_EQ(replaceAll(bytes, element(0x0008, 0x0100, "SH", 2) + "uV", element(0x0008, 0x0100, "SH", 2) + "mV"), 24);
  const Ecg mv = loadOrFail(writeBytes("millivolts.dcm", bytes));
  ASSERT_EQ(mv.samples, original.samples);
  for (std::size_t k : {0u, 527u, 9999u}) {
    EXPECT_FLOAT_EQ(mv.lead("V5")->amplitudeUv[k], 1000.0f * original.lead("V5")->amplitudeUv[k]) << k;
  }
}

TEST(EcgDicom, CorrectionFactorAndBaselineAreApplied) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  const Ecg original = loadOrFail(path);
  std::string bytes = readBytes(path);
  // Channel Sensitivity Correction Factor 1 -> 2 and Channel Baseline 0 -> 8 (uV):
  // value = raw x 1.25 x 2 + 8, i.e. twice the original plus 8 uV.
  EXPECT_EQ(replaceAll(bytes, element(0x003a, 0x0212, "DS", 2) + "1 ", element(0x003a, 0x0212, "DS", 2) + "2 "), 24);
  EXPECT_EQ(replaceAll(bytes, element(0x003a, 0x0213, "DS", 2) + "0 ", element(0x003a, 0x0213, "DS", 2) + "8 "), 24);
  const Ecg patched = loadOrFail(writeBytes("calibrated.dcm", bytes));
  ASSERT_EQ(patched.samples, original.samples);
  // aVR sample 0: -85 x 1.25 x 2 + 8 = -204.5 uV.
  EXPECT_FLOAT_EQ(patched.lead("aVR")->amplitudeUv[0], -204.5f);
  for (std::size_t k : {0u, 527u, 5000u}) {
    EXPECT_FLOAT_EQ(patched.lead("II")->amplitudeUv[k], 2.0f * original.lead("II")->amplitudeUv[k] + 8.0f) << k;
  }
}

TEST(EcgDicom, TwelveBitSamplesReadLikeSixteen) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  const Ecg original = loadOrFail(path);
  // Every sample fits in 12 bits (|raw| <= 1570 < 2048): declaring Waveform
  // Bits Stored 12 must not change a value (SS samples are sign-extended).
  std::string bytes = readBytes(path);
  EXPECT_EQ(replaceAll(bytes, element(0x003a, 0x021a, "US", 2) + le16(16), element(0x003a, 0x021a, "US", 2) + le16(12)),
            24);
  const Ecg twelve = loadOrFail(writeBytes("bits12.dcm", bytes));
  ASSERT_EQ(twelve.leads.size(), original.leads.size());
  for (std::size_t i = 0; i < original.leads.size(); ++i) {
    EXPECT_EQ(twelve.leads[i].amplitudeUv, original.leads[i].amplitudeUv) << original.leads[i].name;
  }
}

TEST(EcgDicom, NonVoltageUnitsAreUnsupported) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  std::string bytes = readBytes(path);
  EXPECT_EQ(replaceAll(bytes, element(0x0008, 0x0100, "SH", 2) + "uV", element(0x0008, 0x0100, "SH", 2) + "Pa"), 24);
  const fs::path patched = writeBytes("pascal.dcm", bytes);
  auto ecg = loadDicomEcg(patched);
  ASSERT_FALSE(ecg.ok());
  EXPECT_EQ(ecg.error().code, ErrorCode::Unsupported);
  expectErrorNamesFile(ecg.error(), patched);
  EXPECT_NE(ecg.error().message.find("'Pa'"), std::string::npos) << ecg.error().message;
}

TEST(EcgDicom, SizesBeyondTheWaveformDataAreCorrupt) {
  CONFRERE_DATA_OR_SKIP(path, kDicomEcg);
  {
    // Number of Waveform Samples 10000 -> 20000: 12 x 20000 x 2 bytes > 240000.
    std::string bytes = readBytes(path);
    EXPECT_EQ(replaceAll(bytes, element(0x003a, 0x0010, "UL", 4) + le32(10000),
                         element(0x003a, 0x0010, "UL", 4) + le32(20000)),
              1);
    const fs::path patched = writeBytes("too_many_samples.dcm", bytes);
    auto ecg = loadDicomEcg(patched);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Corrupt);
    expectErrorNamesFile(ecg.error(), patched);
    EXPECT_NE(ecg.error().message.find("480000"), std::string::npos) << ecg.error().message;
  }
  {
    // Waveform Bits Stored 24 in 16-bit samples.
    std::string bytes = readBytes(path);
    replaceAll(bytes, element(0x003a, 0x021a, "US", 2) + le16(16), element(0x003a, 0x021a, "US", 2) + le16(24));
    auto ecg = loadDicomEcg(writeBytes("bits24.dcm", bytes));
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Corrupt);
  }
  {
    // Cut in the middle of the rhythm Waveform Data.
    const std::string bytes = readBytes(path);
    const fs::path cut = writeBytes("truncated.dcm", bytes.substr(0, 140000));
    auto ecg = loadEcg(cut);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Corrupt);
    expectErrorNamesFile(ecg.error(), cut);
  }
}

TEST(EcgDicom, ImageObjectIsUnsupported) {
  CONFRERE_DATA_OR_SKIP(path, "dicom/ct/CT_small.dcm");
  auto ecg = loadEcg(path);
  ASSERT_FALSE(ecg.ok());
  EXPECT_EQ(ecg.error().code, ErrorCode::Unsupported);
  expectErrorNamesFile(ecg.error(), path);
}

TEST(EcgDicom, TextAndMissingFilesFailCleanly) {
  const fs::path text = writeBytes("notes.txt", "Patient seen today, ECG to follow.\n");
  auto ecg = loadEcg(text);
  ASSERT_FALSE(ecg.ok());
  EXPECT_EQ(ecg.error().code, ErrorCode::NotDicom);
  expectErrorNamesFile(ecg.error(), text);

  const fs::path missing = test::outputDir() / "absent.dcm";
  auto none = loadDicomEcg(missing);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);
  expectErrorNamesFile(none.error(), missing);
}

// ---------------------------------------------------------------------------
// HL7 aECG (the official HL7 example)

TEST(Aecg, RhythmSeriesHasTwelveLeadsAt500Hz) {
  CONFRERE_DATA_OR_SKIP(path, kAecg);
  auto ecg = loadAecg(path);
  ASSERT_TRUE(ecg.ok()) << ecg.error().message;
  // The file stores I, II, V1..V6, III, aVR, aVL, aVF; <increment value="0.002" unit="s"/>.
  EXPECT_EQ(leadNames(ecg.value()), standardNames());
  EXPECT_DOUBLE_EQ(ecg->samplingHz, 500.0);
  EXPECT_EQ(ecg->samples, 5000u);  // the rhythm series, not the representative beat
  EXPECT_DOUBLE_EQ(ecg->durationS(), 10.0);
  EXPECT_EQ(ecg->patientId, "SBJ-123");
  EXPECT_EQ(ecg->patientName, "Clark");
  EXPECT_EQ(ecg->acquisitionDateTime, "20021122091000");
}

TEST(Aecg, ValuesFromTheXmlByHand) {
  CONFRERE_DATA_OR_SKIP(path, kAecg);
  const Ecg ecg = loadOrFail(path);
  ASSERT_EQ(ecg.samples, 5000u);
  // Every lead: <origin value="0" unit="uV"/> <scale value="2.5" unit="uV"/>.
  // Lead I digits: "... 83 100 120 134 139 135 ..."; 139 is digit 166 (0-based),
  // its R peak: 0 + 2.5 x 139 = 347.5 uV. Lead aVR digits start "4 4 4":
  // 0 + 2.5 x 4 = 10 uV. Lead V6 ends "-15 -15 -15": -37.5 uV.
  EXPECT_FLOAT_EQ(ecg.lead("I")->amplitudeUv[166], 347.5f);
  EXPECT_FLOAT_EQ(ecg.lead("aVR")->amplitudeUv[0], 10.0f);
  EXPECT_FLOAT_EQ(ecg.lead("V6")->amplitudeUv[4999], -37.5f);
}

TEST(Aecg, AmplitudesArePhysiologicalAndLimbLeadLawsHold) {
  CONFRERE_DATA_OR_SKIP(path, kAecg);
  const Ecg ecg = loadOrFail(path);
  expectPhysiological(ecg);
  expectLimbLeadLaws(ecg, 2.5);
}

// A small aECG written the other way round: prefixed namespace, relative time
// in ms, origin in mV, no origin on one lead.
constexpr const char* kPrefixedAecg = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand for the test: <AnnotatedECG> in a comment must not count -->
<hl7:AnnotatedECG xmlns:hl7="urn:hl7-org:v3" xmlns:x="http://www.w3.org/2001/XMLSchema-instance">
  <hl7:effectiveTime><hl7:low value="20240102030405"/></hl7:effectiveTime>
  <hl7:component>
    <hl7:series>
      <hl7:code code="RHYTHM"/>
      <hl7:component>
        <hl7:sequenceSet>
          <hl7:component>
            <hl7:sequence>
              <hl7:code code="TIME_RELATIVE"/>
              <hl7:value x:type="GLIST_PQ">
                <hl7:head value="0" unit="ms"/><hl7:increment value="4" unit="ms"/>
              </hl7:value>
            </hl7:sequence>
          </hl7:component>
          <hl7:component>
            <hl7:sequence>
              <hl7:code code="MDC_ECG_LEAD_II"/>
              <hl7:value x:type="SLIST_PQ">
                <hl7:origin value="0.1" unit="mV"/><hl7:scale value="5" unit="uV"/>
                <hl7:digits>1 -2
                  30</hl7:digits>
              </hl7:value>
            </hl7:sequence>
          </hl7:component>
          <hl7:component>
            <hl7:sequence>
              <hl7:code code="MDC_ECG_LEAD_I"/>
              <hl7:value x:type="SLIST_PQ">
                <hl7:scale value="0.001" unit="mV"/><hl7:digits>7 8 9</hl7:digits>
              </hl7:value>
            </hl7:sequence>
          </hl7:component>
        </hl7:sequenceSet>
      </hl7:component>
    </hl7:series>
  </hl7:component>
</hl7:AnnotatedECG>
)";

TEST(Aecg, PrefixedNamespaceMillisecondsAndMillivolts) {
  const fs::path path = writeBytes("prefixed.xml", kPrefixedAecg);
  EXPECT_TRUE(looksLikeAecg(path));
  auto ecg = loadEcg(path);
  ASSERT_TRUE(ecg.ok()) << ecg.error().message;
  EXPECT_EQ(leadNames(ecg.value()), (std::vector<std::string>{"I", "II"}));
  EXPECT_DOUBLE_EQ(ecg->samplingHz, 250.0);  // 4 ms
  EXPECT_EQ(ecg->samples, 3u);
  EXPECT_EQ(ecg->acquisitionDateTime, "20240102030405");
  // II: 0.1 mV + 5 uV x digit = 100 + 5, 100 - 10, 100 + 150 uV.
  EXPECT_EQ(ecg->lead("II")->amplitudeUv, (std::vector<float>{105.0f, 90.0f, 250.0f}));
  // I: no origin (0) and 0.001 mV = 1 uV per digit.
  EXPECT_EQ(ecg->lead("I")->amplitudeUv, (std::vector<float>{7.0f, 8.0f, 9.0f}));
}

TEST(Aecg, LooksLikeAecgReadsTheRootElement) {
  CONFRERE_DATA_OR_SKIP(aecg, kAecg);
  EXPECT_TRUE(looksLikeAecg(aecg));
  EXPECT_FALSE(looksLikeAecg(test::dataFile(kDicomEcg)));
  EXPECT_FALSE(looksLikeAecg(writeBytes("other.xml", "<?xml version=\"1.0\"?>\n<ClinicalDocument/>\n")));
  EXPECT_FALSE(looksLikeAecg(writeBytes("notes.txt", "AnnotatedECG, but not XML\n")));
  EXPECT_FALSE(looksLikeAecg(test::outputDir() / "absent.xml"));
}

TEST(Aecg, ErrorsNameTheFileAndTheProblem) {
  CONFRERE_DATA_OR_SKIP(path, kAecg);
  {
    const fs::path other = writeBytes("other.xml", "<?xml version=\"1.0\"?>\n<ClinicalDocument/>\n");
    auto ecg = loadAecg(other);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Unsupported);
    expectErrorNamesFile(ecg.error(), other);
  }
  {
    const fs::path cut = writeBytes("truncated.xml", readBytes(path).substr(0, 100000));
    auto ecg = loadEcg(cut);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Corrupt);
    expectErrorNamesFile(ecg.error(), cut);
  }
  {
    // A digit that is not an integer.
    std::string text = kPrefixedAecg;
    text.replace(text.find("7 8 9"), 5, "7 x 9");
    const fs::path bad = writeBytes("bad_digit.xml", text);
    auto ecg = loadAecg(bad);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::Corrupt);
    expectErrorNamesFile(ecg.error(), bad);
    EXPECT_NE(ecg.error().message.find("'x'"), std::string::npos) << ecg.error().message;
  }
  {
    const fs::path missing = test::outputDir() / "absent.xml";
    auto ecg = loadAecg(missing);
    ASSERT_FALSE(ecg.ok());
    EXPECT_EQ(ecg.error().code, ErrorCode::NotFound);
  }
}

// ---------------------------------------------------------------------------

TEST(EcgLeadName, SpellingsMapToStandardNames) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"I", "I"},
      {"Lead I", "I"},
      {"Lead I (Einthoven)", "I"},  // DICOM code meaning in the corpus file
      {"lead ii", "II"},
      {"Lead III", "III"},
      {"MDC_ECG_LEAD_I", "I"},
      {"MDC_ECG_LEAD_III", "III"},
      {"MDC_ECG_LEAD_AVR", "aVR"},
      {"mdc_ecg_lead_avl", "aVL"},
      {"MDC_ECG_ELEC_POTL_AVF", "aVF"},
      {"AVR", "aVR"},
      {"avr", "aVR"},
      {"lead aVR", "aVR"},
      {"Lead aVF", "aVF"},
      {" V1 ", "V1"},
      {"Lead V6", "V6"},
      {"MDC_ECG_LEAD_V4", "V4"},
      {"5.6.3-9-1", "I"},  // SCPECG code values: SCP-ECG lead numbers
      {"5.6.3-9-2", "II"},
      {"5.6.3-9-3", "V1"},
      {"5.6.3-9-8", "V6"},
      {"5.6.3-9-61", "III"},
      {"5.6.3-9-62", "aVR"},
      {"5.6.3-9-63", "aVL"},
      {"5.6.3-9-64", "aVF"},
      {"2:1", "I"},  // MDC
      {"2:61", "III"},
      {"131329", "I"},
      {"131392", "aVF"},
      // Not standard leads: returned unchanged.
      {"-aVR", "-aVR"},  // inverted aVR (Cabrera): must not be taken for aVR
      {"Lead -aVR", "Lead -aVR"},
      {"5.6.3-9-65", "5.6.3-9-65"},  // SCP-ECG -aVR
      {"V7", "V7"},
      {"MDC_ECG_LEAD_V4R", "MDC_ECG_LEAD_V4R"},
      {"5.6.3-9-9", "5.6.3-9-9"},
      {"Lead V1 (modified)", "Lead V1 (modified)"},
      {"IV", "IV"},
      {"Respiration", "Respiration"},
      {"", ""},
  };
  for (const auto& [raw, expected] : table) {
    EXPECT_EQ(standardLeadName(raw), expected) << "'" << raw << "'";
  }
}

TEST(EcgLoad, LoadEcgChoosesTheFormatFromTheContent) {
  CONFRERE_DATA_OR_SKIP(dicom, kDicomEcg);
  const Ecg a = loadOrFail(dicom);
  const Ecg b = loadOrFail(test::dataFile(kAecg));
  EXPECT_EQ(a.leads.size(), 12u);
  EXPECT_EQ(b.leads.size(), 12u);
  EXPECT_DOUBLE_EQ(a.samplingHz, 1000.0);
  EXPECT_DOUBLE_EQ(b.samplingHz, 500.0);
}

}  // namespace
}  // namespace confrere::imaging
