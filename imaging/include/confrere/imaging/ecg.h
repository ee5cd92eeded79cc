// Electrocardiograms: DICOM waveforms (12-lead ECG, General ECG) and HL7 aECG
// XML, normalised to per-lead samples in microvolts with standard lead names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "confrere/imaging/result.h"

namespace confrere::imaging {

struct EcgLead {
  std::string name;                 // standard name: I, II, III, aVR, aVL, aVF, V1..V6 (others kept as found)
  std::vector<float> amplitudeUv;   // one sample per tick, microvolts, baseline removed
};

struct Ecg {
  std::filesystem::path path;
  double samplingHz = 0.0;          // samples per second, all leads
  std::size_t samples = 0;          // samples per lead
  std::vector<EcgLead> leads;       // in the standard order I, II, III, aVR, aVL, aVF, V1..V6, then others
  std::string patientId;
  std::string patientName;
  std::string acquisitionDateTime;  // as found (DICOM DA+TM, or the aECG effectiveTime)

  double durationS() const { return samplingHz > 0 ? static_cast<double>(samples) / samplingHz : 0.0; }
  const EcgLead* lead(std::string_view name) const;  // nullptr when absent
};

// Maps the many spellings of lead names (DICOM code meanings "Lead I",
// "lead aVR", SCPECG codes "MDC_ECG_LEAD_AVR", "AVR", "V1"...) to the
// standard name; returns the input unchanged when it is not a standard lead.
std::string standardLeadName(std::string_view raw);

// True when the file is an HL7 aECG XML document (root element AnnotatedECG).
bool looksLikeAecg(const std::filesystem::path& path);

// Loads a DICOM ECG waveform (12-lead ECG or General ECG SOP classes): the
// multiplex group with the rhythm (labelled RHYTHM, else the longest);
// channel sensitivity, correction factor and baseline applied; units
// converted to µV; 8/16-bit samples (32-bit SL/UL too). Fails with NotFound,
// NotDicom, Unsupported (no waveform, units that are not volts) or Corrupt
// (sizes that do not match the data), naming the file.
Result<Ecg> loadDicomEcg(const std::filesystem::path& path);

// Loads an HL7 aECG XML (the rhythm series: origin + scale * digits, units
// converted to µV). Fails with NotFound, Corrupt or Unsupported.
Result<Ecg> loadAecg(const std::filesystem::path& path);

// Either of the above, chosen from the content.
Result<Ecg> loadEcg(const std::filesystem::path& path);

}  // namespace confrere::imaging
