// Progress and cancellation for long work (loading a series, scanning media,
// retrieving from a PACS). The worker reports; the UI thread reads a snapshot
// and may ask to cancel. All members are thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace confrere::imaging {

struct ProgressSnapshot {
  std::string stage;
  std::size_t done = 0;
  std::size_t total = 0;
};

class TaskControl {
 public:
  // Called (from the worker threads) after every advance(); keep it cheap.
  std::function<void(const ProgressSnapshot&)> onProgress;

  void setStage(std::string stage, std::size_t total) {
    {
      std::lock_guard lock(m_mutex);
      m_stage = std::move(stage);
    }
    m_total = total;
    m_done = 0;
    notify();
  }
  void advance(std::size_t n = 1) {
    m_done += n;
    notify();
  }
  void cancel() { m_cancelled = true; }
  bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

  ProgressSnapshot snapshot() const {
    ProgressSnapshot s;
    {
      std::lock_guard lock(m_mutex);
      s.stage = m_stage;
    }
    s.done = m_done;
    s.total = m_total;
    return s;
  }

 private:
  void notify() {
    if (onProgress) onProgress(snapshot());
  }
  mutable std::mutex m_mutex;
  std::string m_stage;
  std::atomic<std::size_t> m_done{0};
  std::atomic<std::size_t> m_total{0};
  std::atomic<bool> m_cancelled{false};
};

}  // namespace confrere::imaging
