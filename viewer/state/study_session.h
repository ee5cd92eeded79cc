// What the expert has opened, as the study browser shows it, and the
// background loading of a series. Plain C++: no GL, no ImGui; the panels read
// it and the renderer consumes the frames it produces.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "confrere/imaging/media.h"
#include "confrere/imaging/series.h"
#include "confrere/imaging/volume.h"

namespace confrere::state {

enum class ItemKind { Volume, Frames, Photo, Ecg };

struct BrowserItem {
  std::string patient;  // "NAME (ID)"
  std::string study;    // study date or UID
  std::string label;    // what the row says
  ItemKind kind = ItemKind::Volume;
  int series = -1;      // index into series() for Volume / Frames
  int object = -1;      // index into catalog().objects for Photo (and DICOM ECG)
  int ecg = -1;         // index into catalog().ecgs for Ecg
  int count = 1;        // slices or frames
};

class StudySession {
 public:
  // Catalogues `path` and builds the browser items (grouped by patient and
  // study, volumes first). Fails only when the path cannot be read at all.
  Status open(const std::filesystem::path& path);

  const imaging::MediaCatalog& catalog() const { return m_catalog; }
  const std::vector<imaging::SeriesVolume>& series() const { return m_series; }
  const std::vector<BrowserItem>& items() const { return m_items; }

 private:
  imaging::MediaCatalog m_catalog;
  std::vector<imaging::SeriesVolume> m_series;
  std::vector<BrowserItem> m_items;
};

// Loads one series on a worker thread. The volume is visible as soon as it
// is allocated; each slice as soon as it is decoded (Volume::sliceReady).
// Destroying the job cancels and joins the worker.
class VolumeLoadJob {
 public:
  VolumeLoadJob(const imaging::SeriesVolume& series, const std::vector<imaging::ObjectInfo>& objects);
  ~VolumeLoadJob();
  VolumeLoadJob(const VolumeLoadJob&) = delete;
  VolumeLoadJob& operator=(const VolumeLoadJob&) = delete;

  std::shared_ptr<const imaging::Volume> volume() const;  // null until allocated
  imaging::ProgressSnapshot progress() const { return m_control.snapshot(); }
  bool finished() const { return m_finished; }
  std::optional<Error> error() const;
  void cancel() { m_control.cancel(); }

 private:
  imaging::TaskControl m_control;
  mutable std::mutex m_mutex;
  std::shared_ptr<const imaging::Volume> m_volume;
  std::optional<Error> m_error;
  std::atomic<bool> m_finished{false};
  std::thread m_thread;
};

}  // namespace confrere::state
