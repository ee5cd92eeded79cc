#include "confrere/imaging/ecg.h"

#include "confrere/imaging/dicom_frame.h"  // looksLikeDicom, registerDicomCodecs

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <utility>

namespace confrere::imaging {
namespace {

constexpr std::array<std::string_view, 12> kStandardLeads = {"I",  "II", "III", "aVR", "aVL", "aVF",
                                                             "V1", "V2", "V3",  "V4",  "V5",  "V6"};

std::string str(const std::filesystem::path& p) {
  return p.string();
}

std::string_view trim(std::string_view s) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<long> parseInteger(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  long value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

// Locale-independent, unlike strtod; XML numbers never use a decimal comma.
std::optional<double> parseReal(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Lead numbers of the SCP-ECG lead table (EN 1064, section 3), reused as is by
// the DICOM SCPECG codes "5.6.3-9-N" and by the MDC (ISO/IEEE 11073-10101)
// codes "2:N" / 131328 + N. Only the 12 standard leads are mapped.
std::optional<std::string_view> leadFromScpNumber(long n) {
  switch (n) {
    case 1:
      return "I";
    case 2:
      return "II";
    case 3:
      return "V1";
    case 4:
      return "V2";
    case 5:
      return "V3";
    case 6:
      return "V4";
    case 7:
      return "V5";
    case 8:
      return "V6";
    case 61:
      return "III";
    case 62:
      return "aVR";
    case 63:
      return "aVL";
    case 64:
      return "aVF";
    default:
      return std::nullopt;
  }
}

bool isStandardLead(std::string_view name) {
  return std::find(kStandardLeads.begin(), kStandardLeads.end(), name) != kStandardLeads.end();
}

// Position in the display order: the 12 standard leads, then the others.
std::size_t leadRank(std::string_view name) {
  const auto it = std::find(kStandardLeads.begin(), kStandardLeads.end(), name);
  return static_cast<std::size_t>(it - kStandardLeads.begin());
}

void sortLeads(std::vector<EcgLead>& leads) {
  std::stable_sort(leads.begin(), leads.end(),
                   [](const EcgLead& a, const EcgLead& b) { return leadRank(a.name) < leadRank(b.name); });
}

// Factor from a UCUM voltage unit to microvolts; nullopt for anything else
// (a waveform in mmHg or arbitrary units is not an ECG we can display in µV).
// UCUM is case-sensitive: "MV" would be megavolts, so it is not accepted.
std::optional<double> microvoltsPer(std::string_view unit) {
  unit = trim(unit);
  if (unit == "uV" || unit == "\xC2\xB5V") return 1.0;  // "\xC2\xB5" is µ in UTF-8 (not UCUM, but seen)
  if (unit == "mV") return 1e3;
  if (unit == "V") return 1e6;
  if (unit == "nV") return 1e-3;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// DICOM waveforms (PS3.3 C.10.9)

std::string getString(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFString(tag, value).bad()) return {};
  return std::string(trim(value.c_str()));
}

std::optional<double> getReal(DcmItem& item, const DcmTagKey& tag) {
  Float64 value = 0.0;
  if (item.findAndGetFloat64(tag, value).bad() || !std::isfinite(value)) return std::nullopt;
  return value;
}

struct GroupSummary {
  DcmItem* item = nullptr;
  std::string label;
  Uint16 channels = 0;
  Uint32 samples = 0;
  double hz = 0.0;

  double durationS() const { return hz > 0.0 ? static_cast<double>(samples) / hz : 0.0; }
  std::string describe(std::size_t index) const {
    return "waveform group " + std::to_string(index + 1) + (label.empty() ? "" : " (" + label + ")");
  }
};

GroupSummary summarise(DcmItem& item) {
  GroupSummary g;
  g.item = &item;
  g.label = getString(item, DCM_MultiplexGroupLabel);
  item.findAndGetUint16(DCM_NumberOfWaveformChannels, g.channels);
  item.findAndGetUint32(DCM_NumberOfWaveformSamples, g.samples);
  g.hz = getReal(item, DCM_SamplingFrequency).value_or(0.0);
  return g;
}

// The rhythm group: the one labelled RHYTHM, else the longest in time (a
// median or representative beat is shorter than the recording it summarises).
std::size_t chooseRhythmGroup(const std::vector<GroupSummary>& groups) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (lower(groups[i].label) == "rhythm") return i;
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].durationS() > groups[best].durationS()) best = i;
  }
  return best;
}

// A channel's lead name from its Channel Source code (meaning first, then the
// code value), else its Channel Label; non-standard sources keep their text.
std::string channelName(DcmItem& channel, std::size_t index) {
  std::string meaning;
  std::string value;
  DcmItem* source = nullptr;
  if (channel.findAndGetSequenceItem(DCM_ChannelSourceSequence, source, 0).good() && source != nullptr) {
    meaning = getString(*source, DCM_CodeMeaning);
    value = getString(*source, DCM_CodeValue);
  }
  const std::string label = getString(channel, DCM_ChannelLabel);
  for (const std::string& candidate : {meaning, value, label}) {
    if (candidate.empty()) continue;
    std::string name = standardLeadName(candidate);
    if (isStandardLead(name)) return name;
  }
  for (const std::string& candidate : {meaning, label, value}) {
    if (!candidate.empty()) return candidate;
  }
  return "Channel " + std::to_string(index + 1);
}

enum class SampleType { Int8, UInt8, Int16, UInt16, Int32, UInt32 };

// One little-endian sample. Waveform samples are whole integers of Waveform
// Bits Allocated (unlike pixels there is no High Bit): a 12-bit signed sample
// in 16 bits is already sign-extended, so Waveform Bits Stored needs no mask.
double readSample(const std::uint8_t* p, SampleType type) {
  switch (type) {
    case SampleType::Int8:
      return static_cast<double>(static_cast<std::int8_t>(p[0]));
    case SampleType::UInt8:
      return static_cast<double>(p[0]);
    case SampleType::Int16:
    case SampleType::UInt16: {
      const auto u = static_cast<std::uint16_t>(p[0] | (p[1] << 8));
      return type == SampleType::Int16 ? static_cast<double>(static_cast<std::int16_t>(u)) : static_cast<double>(u);
    }
    case SampleType::Int32:
    case SampleType::UInt32: {
      const std::uint32_t u = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                              (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
      return type == SampleType::Int32 ? static_cast<double>(static_cast<std::int32_t>(u)) : static_cast<double>(u);
    }
  }
  return 0.0;
}

// Per-channel conversion, stored value -> µV.
struct ChannelScale {
  double uvPerStep = 1.0;
  double offsetUv = 0.0;
};

Result<Ecg> decodeGroup(const std::filesystem::path& path, const GroupSummary& g, std::size_t groupIndex,
                        std::uintmax_t fileBytes) {
  DcmItem& group = *g.item;
  const std::string where = str(path) + ": " + g.describe(groupIndex) + ": ";
  if (g.channels == 0 || g.samples == 0) {
    return makeError(ErrorCode::Corrupt, where + "Number of Waveform Channels (" + std::to_string(g.channels) +
                                             ") or Samples (" + std::to_string(g.samples) + ") missing or zero");
  }
  if (!(g.hz > 0.0)) {
    return makeError(ErrorCode::Corrupt, where + "Sampling Frequency (003A,001A) missing or not positive");
  }

  Uint16 bitsAllocated = 0;
  group.findAndGetUint16(DCM_WaveformBitsAllocated, bitsAllocated);
  const std::string interpretation = getString(group, DCM_WaveformSampleInterpretation);
  SampleType type = SampleType::Int16;
  if (interpretation == "SB" && bitsAllocated == 8) {
    type = SampleType::Int8;
  } else if (interpretation == "UB" && bitsAllocated == 8) {
    type = SampleType::UInt8;
  } else if (interpretation == "SS" && bitsAllocated == 16) {
    type = SampleType::Int16;
  } else if (interpretation == "US" && bitsAllocated == 16) {
    type = SampleType::UInt16;
  } else if (interpretation == "SL" && bitsAllocated == 32) {
    type = SampleType::Int32;
  } else if (interpretation == "UL" && bitsAllocated == 32) {
    type = SampleType::UInt32;
  } else {
    // mu-law / A-law audio (MB, AB), floats, or a mismatch with the width.
    return makeError(ErrorCode::Unsupported, where + "Waveform Sample Interpretation '" + interpretation +
                                                 "' with Waveform Bits Allocated " + std::to_string(bitsAllocated) +
                                                 " not supported (SB/UB 8, SS/US 16, SL/UL 32)");
  }
  const std::size_t bytesPerSample = bitsAllocated / 8u;

  DcmSequenceOfItems* definitions = nullptr;
  if (group.findAndGetSequence(DCM_ChannelDefinitionSequence, definitions).bad() || definitions == nullptr ||
      definitions->card() != g.channels) {
    return makeError(ErrorCode::Corrupt, where + "Channel Definition Sequence has " +
                                             std::to_string(definitions != nullptr ? definitions->card() : 0) +
                                             " item(s) for " + std::to_string(g.channels) + " channel(s)");
  }

  Ecg ecg;
  ecg.path = path;
  ecg.samplingHz = g.hz;
  ecg.samples = g.samples;
  std::vector<ChannelScale> scales(g.channels);
  for (std::size_t c = 0; c < g.channels; ++c) {
    DcmItem* channel = definitions->getItem(static_cast<unsigned long>(c));
    if (channel == nullptr) {
      return makeError(ErrorCode::Corrupt, where + "channel " + std::to_string(c + 1) + " has no definition");
    }
    EcgLead lead;
    lead.name = channelName(*channel, c);
    const std::string what = where + "channel " + std::to_string(c + 1) + " (" + lead.name + "): ";

    Uint16 bitsStored = 0;
    if (channel->findAndGetUint16(DCM_WaveformBitsStored, bitsStored).good() &&
        (bitsStored == 0 || bitsStored > bitsAllocated)) {
      return makeError(ErrorCode::Corrupt, what + "Waveform Bits Stored " + std::to_string(bitsStored) +
                                               " invalid with Waveform Bits Allocated " +
                                               std::to_string(bitsAllocated));
    }
    // Without Channel Sensitivity the samples are in arbitrary units.
    const std::optional<double> sensitivity = getReal(*channel, DCM_ChannelSensitivity);
    if (!sensitivity || *sensitivity == 0.0) {
      return makeError(ErrorCode::Unsupported,
                       what + "no Channel Sensitivity (003A,0210): samples in arbitrary units, not voltages");
    }
    std::string unit;
    DcmItem* unitItem = nullptr;
    if (channel->findAndGetSequenceItem(DCM_ChannelSensitivityUnitsSequence, unitItem, 0).good() &&
        unitItem != nullptr) {
      unit = getString(*unitItem, DCM_CodeValue);
    }
    const std::optional<double> toUv = microvoltsPer(unit);
    if (!toUv) {
      return makeError(ErrorCode::Unsupported,
                       what + "Channel Sensitivity Units '" + unit + "' are not a voltage (expected UCUM uV, mV or V)");
    }
    // PS3.3 C.10.9.1.4: sample x Channel Sensitivity is the nominal value in
    // the sensitivity units; x Correction Factor (actual / nominal, default 1)
    // calibrates it; Channel Baseline is the offset of stored value 0 from
    // actual 0, in the same units, added as is (not scaled by the factor).
    const double correction = getReal(*channel, DCM_ChannelSensitivityCorrectionFactor).value_or(1.0);
    const double baseline = getReal(*channel, DCM_ChannelBaseline).value_or(0.0);
    scales[c].uvPerStep = *sensitivity * correction * *toUv;
    scales[c].offsetUv = baseline * *toUv;
    ecg.leads.push_back(std::move(lead));
  }

  DcmElement* data = nullptr;
  if (group.findAndGetElement(DCM_WaveformData, data).bad() || data == nullptr) {
    return makeError(ErrorCode::Corrupt, where + "no Waveform Data (5400,1010)");
  }
  // 16-bit channels x 32-bit samples x 4 bytes fits easily in 64 bits.
  const std::uint64_t need = std::uint64_t{g.channels} * g.samples * bytesPerSample;
  const Uint32 have = data->getLength();
  if (have == DCM_UndefinedLength || need > have || need > fileBytes) {
    return makeError(ErrorCode::Corrupt, where + std::to_string(g.channels) + " channels x " +
                                             std::to_string(g.samples) + " samples x " +
                                             std::to_string(bytesPerSample) + " bytes need " + std::to_string(need) +
                                             " bytes, Waveform Data holds " + std::to_string(have));
  }
  // Little-endian bytes whatever the transfer syntax and the VR (OB or OW).
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(need));
  const OFCondition status =
      data->getPartialValue(bytes.data(), 0, static_cast<Uint32>(need), nullptr, EBO_LittleEndian);
  if (status.bad()) {
    return makeError(ErrorCode::Corrupt, where + "cannot read Waveform Data: " + status.text());
  }

  // Samples are interleaved: sample 0 of channels 0..n-1, then sample 1...
  for (auto& lead : ecg.leads) lead.amplitudeUv.resize(g.samples);
  const std::uint8_t* p = bytes.data();
  for (std::size_t s = 0; s < g.samples; ++s) {
    for (std::size_t c = 0; c < g.channels; ++c, p += bytesPerSample) {
      const double uv = readSample(p, type) * scales[c].uvPerStep + scales[c].offsetUv;
      ecg.leads[c].amplitudeUv[s] = static_cast<float>(uv);
    }
  }
  sortLeads(ecg.leads);
  return ecg;
}

// ---------------------------------------------------------------------------
// HL7 aECG (HL7 v3 AnnotatedECG XML)

// Element and attribute names without their namespace prefix: files use the
// default namespace or any prefix for urn:hl7-org:v3.
std::string_view localName(const char* qualified) {
  std::string_view name(qualified);
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element && localName(n.name()) == name) return n;
  }
  return {};
}

// The element children `parent`/`wrapper`/`name`, as in component/series or
// component/sequence (HL7 v3 wraps each part in its own component element).
std::vector<pugi::xml_node> wrappedChildren(pugi::xml_node parent, std::string_view wrapper, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node w = parent.first_child(); w; w = w.next_sibling()) {
    if (w.type() != pugi::node_element || localName(w.name()) != wrapper) continue;
    for (pugi::xml_node n = w.first_child(); n; n = n.next_sibling()) {
      if (n.type() == pugi::node_element && localName(n.name()) == name) out.push_back(n);
    }
  }
  return out;
}

std::string_view attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (localName(a.name()) == name) return a.value();
  }
  return {};
}

std::string codeOf(pugi::xml_node node) {
  return std::string(trim(attribute(child(node, "code"), "code")));
}

// The text of an element and its descendants, pieces joined by one space
// (a name may be split in given/family parts).
std::string textOf(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node n = node.first_child(); n; n = n.next_sibling()) {
    std::string piece;
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      piece = std::string(trim(n.value()));
    } else if (n.type() == pugi::node_element) {
      piece = textOf(n);
    }
    if (piece.empty()) continue;
    if (!out.empty()) out += ' ';
    out += piece;
  }
  return out;
}

// A physical quantity element (<origin value="0" unit="uV"/>) in µV.
Result<double> quantityUv(const std::string& where, pugi::xml_node node, const char* what) {
  const std::optional<double> value = parseReal(attribute(node, "value"));
  if (!value) {
    return makeError(ErrorCode::Corrupt,
                     where + what + " value '" + std::string(attribute(node, "value")) + "' is not a number");
  }
  // UCUM default unit "1" (no unit) has no voltage meaning.
  const std::string_view unit = attribute(node, "unit");
  const std::optional<double> toUv = microvoltsPer(unit);
  if (!toUv) {
    return makeError(ErrorCode::Unsupported,
                     where + what + " unit '" + std::string(unit) + "' is not a voltage (expected uV, mV or V)");
  }
  return *value * *toUv;
}

// Sampling rate from the time sequence's GLIST increment.
Result<double> samplingHzOf(const std::string& where, pugi::xml_node value) {
  const pugi::xml_node increment = child(value, "increment");
  if (!increment) {
    return makeError(ErrorCode::Unsupported, where + "time sequence of type '" + std::string(attribute(value, "type")) +
                                                 "' has no increment (only GLIST_TS / GLIST_PQ are supported)");
  }
  const std::optional<double> step = parseReal(attribute(increment, "value"));
  const std::string unit(trim(attribute(increment, "unit")));
  double seconds = 0.0;
  if (step && unit == "s") {
    seconds = *step;
  } else if (step && unit == "ms") {
    seconds = *step * 1e-3;
  } else if (step && unit == "us") {
    seconds = *step * 1e-6;
  } else {
    return makeError(ErrorCode::Unsupported, where + "time increment '" + std::string(attribute(increment, "value")) +
                                                 "' '" + unit + "' not understood (expected a number in s or ms)");
  }
  if (!(seconds > 0.0)) {
    return makeError(ErrorCode::Corrupt, where + "time increment is not positive");
  }
  return 1.0 / seconds;
}

// One sequenceSet: a time sequence and the simultaneously sampled leads.
Result<Ecg> decodeSequenceSet(const std::filesystem::path& path, pugi::xml_node set) {
  const std::string where = str(path) + ": aECG rhythm series: ";
  Ecg ecg;
  ecg.path = path;
  bool haveTime = false;
  for (pugi::xml_node sequence : wrappedChildren(set, "component", "sequence")) {
    const std::string code = codeOf(sequence);
    const pugi::xml_node value = child(sequence, "value");
    if (code.rfind("TIME_", 0) == 0) {  // TIME_ABSOLUTE or TIME_RELATIVE
      auto hz = samplingHzOf(where, value);
      if (!hz) return hz.error();
      ecg.samplingHz = hz.value();
      haveTime = true;
      continue;
    }
    const pugi::xml_node digits = child(value, "digits");
    if (!digits) continue;  // not a sampled lead (e.g. a sequence of another type)
    EcgLead lead;
    lead.name = standardLeadName(code);
    const std::string what = where + "lead " + lead.name + ": ";
    const pugi::xml_node scaleNode = child(value, "scale");
    if (!scaleNode) {
      return makeError(ErrorCode::Corrupt, what + "SLIST_PQ without scale");
    }
    auto scale = quantityUv(what, scaleNode, "scale");
    if (!scale) return scale.error();
    double origin = 0.0;
    if (const pugi::xml_node originNode = child(value, "origin")) {
      auto o = quantityUv(what, originNode, "origin");
      if (!o) return o.error();
      origin = o.value();
    }
    // physical = origin + scale * digit, whitespace-separated integers.
    const std::string text = textOf(digits);
    std::string_view rest(text);
    while (true) {
      rest = trim(rest);
      if (rest.empty()) break;
      std::size_t end = 0;
      while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t' && rest[end] != '\n' && rest[end] != '\r') {
        ++end;
      }
      const std::optional<long> digit = parseInteger(rest.substr(0, end));
      if (!digit) {
        return makeError(ErrorCode::Corrupt,
                         what + "digit '" + std::string(rest.substr(0, std::min<std::size_t>(end, 20))) +
                             "' is not an integer (sample " + std::to_string(lead.amplitudeUv.size()) + ")");
      }
      lead.amplitudeUv.push_back(static_cast<float>(origin + scale.value() * static_cast<double>(*digit)));
      rest.remove_prefix(end);
    }
    ecg.leads.push_back(std::move(lead));
  }
  if (ecg.leads.empty()) {
    return makeError(ErrorCode::Unsupported, where + "no lead with SLIST_PQ digits");
  }
  if (!haveTime) {
    return makeError(ErrorCode::Corrupt, where + "no TIME_ABSOLUTE or TIME_RELATIVE sequence: sampling rate unknown");
  }
  ecg.samples = ecg.leads.front().amplitudeUv.size();
  for (const auto& lead : ecg.leads) {
    if (lead.amplitudeUv.size() != ecg.samples) {
      return makeError(ErrorCode::Corrupt, where + "lead " + lead.name + " has " +
                                               std::to_string(lead.amplitudeUv.size()) + " samples, lead " +
                                               ecg.leads.front().name + " " + std::to_string(ecg.samples));
    }
  }
  sortLeads(ecg.leads);
  return ecg;
}

}  // namespace

const EcgLead* Ecg::lead(std::string_view name) const {
  for (const auto& l : leads) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string standardLeadName(std::string_view raw) {
  std::string key = lower(trim(raw));
  // Coded forms: SCPECG "5.6.3-9-N", MDC "2:N" and MDC numeric 131328 + N.
  for (std::string_view prefix : {"5.6.3-9-", "2:"}) {
    if (key.rfind(prefix, 0) == 0) {
      if (const auto n = parseInteger(std::string_view(key).substr(prefix.size()))) {
        if (const auto lead = leadFromScpNumber(*n)) return std::string(*lead);
      }
      return std::string(raw);
    }
  }
  if (const auto n = parseInteger(key); n && *n > 131328) {
    if (const auto lead = leadFromScpNumber(*n - 131328)) return std::string(*lead);
    return std::string(raw);
  }
  // Textual forms: "MDC_ECG_LEAD_AVR", "MDC_ECG_ELEC_POTL_II", "Lead I (Einthoven)", "lead aVR", "avr"...
  std::string_view rest(key);
  for (std::string_view prefix : {"mdc_ecg_lead_", "mdc_ecg_elec_potl_", "lead"}) {
    if (rest.rfind(prefix, 0) == 0) {
      rest.remove_prefix(prefix.size());
      break;
    }
  }
  for (std::string_view suffix : {"(einthoven)", "(goldberger)", "(wilson)"}) {
    if (rest.size() >= suffix.size() && rest.substr(rest.size() - suffix.size()) == suffix) {
      rest.remove_suffix(suffix.size());
      break;
    }
  }
  // Never strip '-': "-aVR" is the inverted lead (Cabrera display), not aVR.
  while (!rest.empty() && (rest.front() == '_' || rest.front() == ' ')) rest.remove_prefix(1);
  rest = trim(rest);
  for (std::string_view lead : kStandardLeads) {
    if (rest == lower(lead)) return std::string(lead);
  }
  return std::string(raw);
}

bool looksLikeAecg(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // The root element comes after the XML declaration, comments and perhaps a
  // DOCTYPE; 64 KiB is plenty for that prologue.
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::string_view s(head);
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte order mark
  while (true) {
    s = trim(s);
    if (s.empty() || s.front() != '<') return false;
    std::string_view close;
    if (s.substr(0, 4) == "<!--") {
      close = "-->";
    } else if (s.substr(0, 2) == "<?") {
      close = "?>";
    } else if (s.substr(0, 2) == "<!") {
      // DOCTYPE, possibly with an internal subset in brackets.
      const auto bracket = s.find('[');
      const auto gt = s.find('>');
      close = bracket != std::string_view::npos && bracket < gt ? "]>" : ">";
    } else {
      break;
    }
    const auto end = s.find(close);
    if (end == std::string_view::npos) return false;
    s.remove_prefix(end + close.size());
  }
  s.remove_prefix(1);
  std::size_t end = 0;
  while (end < s.size() && s[end] != '>' && s[end] != '/' && s[end] != ' ' && s[end] != '\t' && s[end] != '\n' &&
         s[end] != '\r') {
    ++end;
  }
  const std::string name(s.substr(0, end));
  return localName(name.c_str()) == "AnnotatedECG";
}

Result<Ecg> loadDicomEcg(const std::filesystem::path& path) {
  registerDicomCodecs();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError(ErrorCode::NotFound, str(path) + ": no such file");
  }
  const std::uintmax_t fileBytes = std::filesystem::file_size(path, ec);
  if (ec) {
    return makeError(ErrorCode::Io, str(path) + ": cannot read the file size: " + ec.message());
  }
  if (!looksLikeDicom(path)) {
    return makeError(ErrorCode::NotDicom, str(path) + ": not a DICOM file");
  }
  DcmFileFormat file;
  const OFCondition cond = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
  if (cond.bad()) {
    return makeError(ErrorCode::Corrupt, str(path) + ": cannot read DICOM: " + cond.text());
  }
  DcmDataset& ds = *file.getDataset();
  DcmSequenceOfItems* waveforms = nullptr;
  if (ds.findAndGetSequence(DCM_WaveformSequence, waveforms).bad() || waveforms == nullptr || waveforms->card() == 0) {
    const std::string modality = getString(ds, DCM_Modality);
    return makeError(ErrorCode::Unsupported,
                     str(path) + ": not a waveform object (no Waveform Sequence (5400,0100); modality " +
                         (modality.empty() ? std::string("unknown") : modality) + ")");
  }
  std::vector<GroupSummary> groups;
  for (unsigned long i = 0; i < waveforms->card(); ++i) {
    if (DcmItem* item = waveforms->getItem(i)) groups.push_back(summarise(*item));
  }
  if (groups.empty()) {
    return makeError(ErrorCode::Corrupt, str(path) + ": Waveform Sequence items unreadable");
  }
  // A corrupt rhythm group is an error, not a reason to show the median beat
  // instead: a 1.2 s beat passed off as the recording would mislead.
  const std::size_t chosen = chooseRhythmGroup(groups);
  auto ecg = decodeGroup(path, groups[chosen], chosen, fileBytes);
  if (!ecg) return ecg;
  ecg->patientId = getString(ds, DCM_PatientID);
  ecg->patientName = getString(ds, DCM_PatientName);
  ecg->acquisitionDateTime = getString(ds, DCM_AcquisitionDateTime);
  if (ecg->acquisitionDateTime.empty()) {
    ecg->acquisitionDateTime = getString(ds, DCM_AcquisitionDate) + getString(ds, DCM_AcquisitionTime);
  }
  if (ecg->acquisitionDateTime.empty()) {
    ecg->acquisitionDateTime = getString(ds, DCM_ContentDate) + getString(ds, DCM_ContentTime);
  }
  return ecg;
}

Result<Ecg> loadAecg(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError(ErrorCode::NotFound, str(path) + ": no such file");
  }
  if (!looksLikeAecg(path)) {
    return makeError(ErrorCode::Unsupported, str(path) + ": not an HL7 aECG document (no AnnotatedECG root element)");
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
  if (!parsed) {
    return makeError(ErrorCode::Corrupt, str(path) + ": malformed XML at byte " + std::to_string(parsed.offset) + ": " +
                                             parsed.description());
  }
  const pugi::xml_node root = doc.document_element();

  // The rhythm series; derived series (representative beats) are nested in
  // series/derivation and are not candidates.
  const std::vector<pugi::xml_node> series = wrappedChildren(root, "component", "series");
  if (series.empty()) {
    return makeError(ErrorCode::Unsupported, str(path) + ": aECG without a series");
  }
  pugi::xml_node rhythm = series.front();
  for (pugi::xml_node s : series) {
    if (codeOf(s) == "RHYTHM") {
      rhythm = s;
      break;
    }
  }
  const std::vector<pugi::xml_node> sets = wrappedChildren(rhythm, "component", "sequenceSet");
  if (sets.empty()) {
    return makeError(ErrorCode::Unsupported, str(path) + ": aECG rhythm series without a sequenceSet");
  }
  auto ecg = decodeSequenceSet(path, sets.front());
  if (!ecg) return ecg;

  if (const pugi::xml_node time = child(root, "effectiveTime")) {
    for (std::string_view part : {"center", "low"}) {
      if (const pugi::xml_node n = child(time, part)) {
        ecg->acquisitionDateTime = std::string(trim(attribute(n, "value")));
        break;
      }
    }
  }
  const pugi::xml_node subject = root.find_node(
      [](pugi::xml_node n) { return n.type() == pugi::node_element && localName(n.name()) == "trialSubject"; });
  if (subject) {
    ecg->patientId = std::string(trim(attribute(child(subject, "id"), "extension")));
    ecg->patientName = textOf(child(child(subject, "subjectDemographicPerson"), "name"));
  }
  return ecg;
}

Result<Ecg> loadEcg(const std::filesystem::path& path) {
  return looksLikeAecg(path) ? loadAecg(path) : loadDicomEcg(path);
}

}  // namespace confrere::imaging
