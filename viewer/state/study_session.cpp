#include "study_session.h"

#include <map>

namespace confrere::state {

Status StudySession::open(const std::filesystem::path& path) {
  auto catalog = imaging::scanMedia(path);
  if (!catalog) return catalog.error();
  m_catalog = std::move(catalog).value();
  m_series = imaging::assembleSeries(m_catalog.objects);
  m_items.clear();

  auto patientOf = [](const imaging::ObjectInfo& o) {
    std::string name = o.patientName;
    for (char& c : name) if (c == '^') c = ' ';
    if (name.empty() && o.patientId.empty()) return std::string("?");
    return name + (o.patientId.empty() ? "" : " (" + o.patientId + ")");
  };
  for (std::size_t i = 0; i < m_series.size(); ++i) {
    const auto& s = m_series[i];
    const auto& first = m_catalog.objects[s.slices.front().object];
    BrowserItem item;
    item.patient = patientOf(first);
    item.study = first.studyDate.empty() ? first.studyUid : first.studyDate;
    item.kind = s.colour || !s.geometryComplete ? ItemKind::Frames : ItemKind::Volume;
    item.series = static_cast<int>(i);
    item.count = s.dims[2];
    item.label = (s.modality.empty() ? std::string("?") : s.modality) + " " +
                 (s.seriesDescription.empty() ? "série " + std::to_string(s.seriesNumber) : s.seriesDescription);
    m_items.push_back(item);
  }
  for (std::size_t i = 0; i < m_catalog.objects.size(); ++i) {
    const auto& o = m_catalog.objects[i];
    if (o.kind != imaging::ObjectKind::Photo) continue;
    BrowserItem item;
    item.patient = patientOf(o);
    item.kind = ItemKind::Photo;
    item.object = static_cast<int>(i);
    item.label = std::filesystem::path(o.displayPath).filename().string();
    m_items.push_back(item);
  }
  for (std::size_t i = 0; i < m_catalog.ecgs.size(); ++i) {
    const auto& e = m_catalog.ecgs[i];
    BrowserItem item;
    item.patient = e.patientName.empty() ? e.patientId : e.patientName;
    item.kind = ItemKind::Ecg;
    item.ecg = static_cast<int>(i);
    item.count = static_cast<int>(e.leads.size());
    item.label = "ECG " + e.path.filename().string();
    m_items.push_back(item);
  }
  // Patients and studies together, volumes before photos and ECGs.
  std::stable_sort(m_items.begin(), m_items.end(), [](const BrowserItem& a, const BrowserItem& b) {
    if (a.patient != b.patient) return a.patient < b.patient;
    return a.study < b.study;
  });
  return okStatus();
}

VolumeLoadJob::VolumeLoadJob(const imaging::SeriesVolume& series, const std::vector<imaging::ObjectInfo>& objects) {
  // The worker owns copies: the session may be replaced while it runs.
  m_thread = std::thread([this, series, objects] {
    imaging::VolumeLoadOptions options;
    options.onAllocated = [this](const std::shared_ptr<const imaging::Volume>& v) {
      std::lock_guard lock(m_mutex);
      m_volume = v;
    };
    auto result = imaging::loadVolume(series, objects, options, &m_control);
    {
      std::lock_guard lock(m_mutex);
      if (!result) m_error = result.error();
    }
    m_finished = true;
  });
}

VolumeLoadJob::~VolumeLoadJob() {
  m_control.cancel();
  if (m_thread.joinable()) m_thread.join();
}

std::shared_ptr<const imaging::Volume> VolumeLoadJob::volume() const {
  std::lock_guard lock(m_mutex);
  return m_volume;
}

std::optional<Error> VolumeLoadJob::error() const {
  std::lock_guard lock(m_mutex);
  return m_error;
}

}  // namespace confrere::state
