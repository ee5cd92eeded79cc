// The reading area: one to four panes (1x1, 1x2, 2x2, MPR = axial, coronal,
// sagittal + 3D), each showing a stack, a reformatted plane, a volume
// rendering, a photo or an ECG. Panes share the current series (loaded once
// in the background, uploaded once to the GPU). GL thread only.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "render/image_renderer.h"
#include "render/line_renderer.h"
#include "render/offscreen.h"
#include "render/shader_library.h"
#include "render/volume_renderer.h"
#include "state/ecg_layout.h"
#include "state/study_session.h"

namespace confrere::ui {

enum class Layout { One, OneByTwo, TwoByTwo, Mpr };
enum class PaneView { Stack, Coronal, Sagittal, Volume, Photo, Ecg };

struct Pane {
  PaneView view = PaneView::Stack;
  render::ImageViewParams params;
  imaging::DisplayFrame frame;
  std::unique_ptr<render::ImageRenderer> renderer;
  std::unique_ptr<render::OffscreenTarget> target;
  int index = 0;          // slice (stack) or plane index (coronal, sagittal)
  int shownIndex = -1;    // what the frame holds
  const void* shownSource = nullptr;
  bool fresh = true;      // reset W/L and zoom at the next frame
  bool loaded = false;
  std::string error;
  int photo = -1;         // object index for Photo panes
  int ecg = -1;           // ECG index for Ecg panes
  bool cine = false;      // play the stack or the frames
  double cineFps = 10.0;
  double cineLast = 0.0;  // seconds (glfwGetTime)
  render::VrParams vr;
  state::EcgPaper paper;
  state::EcgLayout ecgLayout = state::EcgLayout::ThreeByFourPlusRhythm;
};

class Workspace {
 public:
  explicit Workspace(render::ShaderLibrary& shaders);
  ~Workspace();

  // What the browser selected goes to the active pane (a series fills every
  // pane in the MPR layout).
  void show(const state::StudySession& session, const state::BrowserItem& item);
  void setLayout(Layout layout);
  Layout layout() const { return m_layout; }
  void clear();  // before the session changes

  // Draws the panes in the current ImGui window's content region.
  void draw(float pixelsPerMm);
  Pane& active() { return m_panes[static_cast<std::size_t>(m_active)]; }
  void resetActive();
  void applyWindowPreset(double center, double width, const char* name);

 private:
  void drawPane(int index, float x, float y, float width, float height);
  void updateFrame(Pane& pane);
  void handleInput(Pane& pane, float width, float height);
  int paneCount() const;
  bool volumeReady() const;
  // MPR crosshairs: where the other planes cut pane `index` (in its image
  // pixels), and moving them from a double-click.
  void drawCrosshairs(int index, float x, float y, float width, float height);
  void moveCrosshairs(int index, float width, float height);
  // Image pixel (column, row; continuous, centres at +0.5) of the pane to
  // screen offset inside the pane, following zoom, pan, flips and rotation.
  std::array<float, 2> imageToPane(const Pane& pane, double column, double row, float width, float height) const;

  render::ShaderLibrary& m_shaders;
  std::unique_ptr<render::LineRenderer> m_lines;
  std::unique_ptr<render::MprRenderer> m_mpr;
  std::unique_ptr<render::VolumeRayCaster> m_vr;
  std::array<Pane, 4> m_panes;
  Layout m_layout = Layout::One;
  int m_active = 0;
  const state::StudySession* m_session = nullptr;
  const imaging::SeriesVolume* m_series = nullptr;
  bool m_framewise = false;
  std::unique_ptr<state::VolumeLoadJob> m_job;
  std::unique_ptr<render::VolumeTexture> m_texture;
  std::string m_textureError;
};

}  // namespace confrere::ui
