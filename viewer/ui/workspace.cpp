// [SECTION] index
//  - Showing a browser item
//  - Frames: stack slices, reformatted planes, photos
//  - Drawing a pane: image, volume rendering, ECG paper, overlays
//  - Mouse: wheel = slice, left = W/L (rotate in 3D), middle = pan, right = zoom
#include "workspace.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "confrere/imaging/dicom_frame.h"
#include "ecg_view.h"
#include "i18n.h"
#include "image_overlay.h"

namespace confrere::ui {

Workspace::Workspace(render::ShaderLibrary& shaders)
    : m_shaders(shaders),
      m_lines(std::make_unique<render::LineRenderer>(shaders)),
      m_mpr(std::make_unique<render::MprRenderer>(shaders)),
      m_vr(std::make_unique<render::VolumeRayCaster>(shaders)) {
  for (Pane& pane : m_panes) pane.renderer = std::make_unique<render::ImageRenderer>(shaders);
}

Workspace::~Workspace() { clear(); }

void Workspace::clear() {
  m_job.reset();  // stops the worker before the session it reads goes
  m_texture.reset();
  m_series = nullptr;
  m_session = nullptr;
  for (Pane& pane : m_panes) {
    pane.loaded = false;
    pane.shownIndex = -1;
    pane.shownSource = nullptr;
    pane.error.clear();
  }
}

int Workspace::paneCount() const {
  switch (m_layout) {
    case Layout::One: return 1;
    case Layout::OneByTwo: return 2;
    case Layout::TwoByTwo:
    case Layout::Mpr: return 4;
  }
  return 1;
}

void Workspace::setLayout(Layout layout) {
  m_layout = layout;
  m_active = std::min(m_active, paneCount() - 1);
  if (layout == Layout::Mpr && m_series != nullptr) {
    const PaneView views[] = {PaneView::Stack, PaneView::Coronal, PaneView::Sagittal, PaneView::Volume};
    for (int i = 0; i < 4; ++i) {
      Pane& p = m_panes[static_cast<std::size_t>(i)];
      p.view = views[i];
      p.fresh = true;
      p.shownIndex = -1;
    }
  }
}

bool Workspace::volumeReady() const { return m_job && m_job->finished() && !m_job->error() && m_job->volume(); }

void Workspace::resetActive() {
  Pane& p = active();
  p.params = render::ImageViewParams{};
  p.params.window = p.frame.defaultWindow();
  p.vr = render::VrParams{};
}

void Workspace::applyWindowPreset(double center, double width, const char* name) {
  active().params.window = imaging::Window{center, width, name};
}

// [SECTION] Showing a browser item
void Workspace::show(const state::StudySession& session, const state::BrowserItem& item) {
  m_session = &session;
  Pane& pane = active();
  pane.fresh = true;
  pane.loaded = false;
  pane.error.clear();
  pane.shownIndex = -1;
  pane.shownSource = nullptr;
  switch (item.kind) {
    case state::ItemKind::Volume:
    case state::ItemKind::Frames: {
      const imaging::SeriesVolume* series = &session.series()[static_cast<std::size_t>(item.series)];
      if (series != m_series) {
        m_job.reset();
        m_texture.reset();
        m_textureError.clear();
        m_series = series;
        m_framewise = item.kind == state::ItemKind::Frames;
        if (!m_framewise) m_job = std::make_unique<state::VolumeLoadJob>(*series, session.catalog().objects);
      }
      if (m_layout == Layout::Mpr) {
        setLayout(Layout::Mpr);
        for (Pane& p : m_panes) p.index = -1;  // centre every plane
      } else {
        pane.view = PaneView::Stack;
        pane.index = m_framewise ? 0 : series->dims[2] / 2;
      }
      break;
    }
    case state::ItemKind::Photo:
      pane.view = PaneView::Photo;
      pane.photo = item.object;
      break;
    case state::ItemKind::Ecg:
      pane.view = PaneView::Ecg;
      pane.ecg = item.ecg;
      break;
  }
}

// [SECTION] Frames
void Workspace::updateFrame(Pane& pane) {
  auto upload = [&](imaging::DisplayFrame frame, int index, const void* source) {
    try {
      pane.renderer->setFrame(frame);
    } catch (const std::exception& e) {
      pane.loaded = false;
      pane.error = e.what();
      return;
    }
    pane.frame = std::move(frame);
    pane.loaded = true;
    pane.error.clear();
    pane.shownIndex = index;
    pane.shownSource = source;
    if (pane.fresh) {
      pane.params = render::ImageViewParams{};
      pane.params.window = pane.frame.defaultWindow();
      pane.fresh = false;
    }
  };
  if (pane.view == PaneView::Photo) {
    if (m_session == nullptr || pane.photo < 0 || pane.shownSource == &m_session->catalog().objects[static_cast<std::size_t>(pane.photo)]) return;
    const auto& object = m_session->catalog().objects[static_cast<std::size_t>(pane.photo)];
    auto frame = imaging::loadDisplayFrame(object.path);
    if (!frame) {
      pane.error = frame.error().message;
      pane.shownSource = &object;
      return;
    }
    upload(std::move(frame).value(), 0, &object);
    return;
  }
  if (m_series == nullptr || pane.view == PaneView::Ecg || pane.view == PaneView::Volume) return;
  if (m_framewise) {
    pane.index = std::clamp(pane.index, 0, m_series->dims[2] - 1);
    if (pane.index == pane.shownIndex && pane.shownSource == m_series) return;
    const imaging::SliceRef& ref = m_series->slices[static_cast<std::size_t>(pane.index)];
    auto frame = imaging::loadDisplayFrame(m_session->catalog().objects[ref.object].path, ref.frame);
    if (!frame) {
      pane.error = frame.error().message;
      pane.shownIndex = pane.index;
      pane.shownSource = m_series;
      return;
    }
    upload(std::move(frame).value(), pane.index, m_series);
    return;
  }
  if (!m_job) return;
  if (auto error = m_job->error()) {
    pane.error = error->message;
    pane.loaded = false;
    return;
  }
  const auto volume = m_job->volume();
  if (!volume) return;
  if (pane.view == PaneView::Stack) {
    if (pane.index < 0) pane.index = volume->depth() / 2;
    pane.index = std::clamp(pane.index, 0, volume->depth() - 1);
    if (!volume->sliceReady(pane.index)) return;  // shown as soon as it is decoded
    if (pane.index == pane.shownIndex && pane.shownSource == volume.get()) return;
    upload(volume->sliceFrame(pane.index), pane.index, volume.get());
    return;
  }
  // Reformatted planes need the whole volume on the GPU.
  if (!volumeReady()) return;
  const imaging::PlaneView pv = pane.view == PaneView::Coronal ? imaging::PlaneView::Coronal : imaging::PlaneView::Sagittal;
  const int count = imaging::planeCount(*volume, pv);
  if (pane.index < 0) pane.index = count / 2;
  pane.index = std::clamp(pane.index, 0, count - 1);
  if (pane.index == pane.shownIndex && pane.shownSource == m_texture.get()) return;
  if (!m_texture) return;
  const imaging::Plane plane = imaging::standardPlane(*volume, pv, pane.index);
  upload(m_mpr->reslice(*m_texture, *volume, plane), pane.index, m_texture.get());
}

// [SECTION] Drawing
namespace {

// Each pane draws into its own framebuffer, resized with the pane.
void ensureTarget(Pane& pane, int width, int height) {
  if (!pane.target || pane.target->width() != width || pane.target->height() != height) {
    pane.target = std::make_unique<render::OffscreenTarget>(width, height);
  }
}

}  // namespace

void Workspace::draw(float pixelsPerMm) {
  // Upload the volume once it is complete (MPR and 3D need all of it).
  if (volumeReady() && !m_texture && m_textureError.empty()) {
    try {
      m_texture = std::make_unique<render::VolumeTexture>();
      m_texture->upload(*m_job->volume());
    } catch (const std::exception& e) {
      m_texture.reset();
      m_textureError = e.what();
    }
  }
  for (Pane& p : m_panes) p.paper.pixelsPerMm = pixelsPerMm;
  // Cine: advance the stack at its frame rate, looping.
  const double now = glfwGetTime();
  for (Pane& p : m_panes) {
    if (!p.cine || m_series == nullptr || (p.view != PaneView::Stack)) continue;
    if (now - p.cineLast >= 1.0 / p.cineFps) {
      p.index = (p.index + 1) % std::max(1, m_series->dims[2]);
      p.cineLast = now;
    }
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const int n = paneCount();
  const int columns = n == 1 ? 1 : 2;
  const int rows = n <= 2 ? 1 : 2;
  const float w = std::floor(size.x / static_cast<float>(columns));
  const float h = std::floor(size.y / static_cast<float>(rows));
  for (int i = 0; i < n; ++i) {
    drawPane(i, origin.x + static_cast<float>(i % columns) * w, origin.y + static_cast<float>(i / columns) * h, w, h);
  }
}

void Workspace::drawPane(int index, float x, float y, float width, float height) {
  Pane& pane = m_panes[static_cast<std::size_t>(index)];
  ImGui::SetCursorScreenPos(ImVec2(x, y));
  char id[32];
  std::snprintf(id, sizeof id, "pane%d", index);
  ImGui::BeginChild(id, ImVec2(width, height), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const int w = std::max(1, static_cast<int>(width));
  const int h = std::max(1, static_cast<int>(height));
  updateFrame(pane);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 corner = ImGui::GetCursorScreenPos();
  bool drawn = false;
  if (pane.view == PaneView::Ecg && m_session != nullptr && pane.ecg >= 0) {
    const auto& ecg = m_session->catalog().ecgs[static_cast<std::size_t>(pane.ecg)];
    const state::EcgDrawing drawing = state::layoutEcg(ecg, pane.ecgLayout, pane.paper);
    ensureTarget(pane, w, h);
    pane.target->bind();
    glViewport(0, 0, w, h);
    glClearColor(1.0f, 0.99f, 0.97f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    drawEcgPaper(*m_lines, drawing, w, h);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(pane.target->colorTexture())),
                 ImVec2(width, height), ImVec2(0, 1), ImVec2(1, 0));
    for (const TextItem& t : ecgLabels(drawing, pane.paper)) {
      dl->AddText(ImVec2(corner.x + t.x, corner.y + t.y), IM_COL32(20, 20, 90, 255), t.text.c_str());
    }
    drawn = true;
  } else if (pane.view == PaneView::Volume) {
    if (m_texture && m_job) {
      ensureTarget(pane, w, h);
      pane.target->bind();
      glClearColor(0, 0, 0, 1);
      glClear(GL_COLOR_BUFFER_BIT);
      if (pane.vr.preset == "ct-bone" && m_job->volume()->units != "HU") pane.vr.preset = "mr";
      m_vr->draw(*m_texture, *m_job->volume(), w, h, pane.vr);
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(pane.target->colorTexture())),
                   ImVec2(width, height), ImVec2(0, 1), ImVec2(1, 0));
      drawn = true;
    }
  } else if (pane.loaded) {
    ensureTarget(pane, w, h);
    pane.target->bind();
    glViewport(0, 0, w, h);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    pane.renderer->draw(0, 0, w, h, pane.params);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(pane.target->colorTexture())),
                 ImVec2(width, height), ImVec2(0, 1), ImVec2(1, 0));
    drawn = true;
  }
  if (!drawn) {
    ImGui::InvisibleButton("empty", ImVec2(width, height));
    const char* text = !pane.error.empty() ? pane.error.c_str() : tr("viewport.none");
    std::string loading;
    if (pane.error.empty() && m_job && !m_job->finished() && pane.view != PaneView::Photo && pane.view != PaneView::Ecg) {
      const auto p = m_job->progress();
      loading = std::string(tr("viewport.loading")) + " " + std::to_string(p.done) + " / " + std::to_string(p.total);
      text = loading.c_str();
    } else if (!m_textureError.empty() && pane.view != PaneView::Stack) {
      text = m_textureError.c_str();
    }
    dl->AddText(ImVec2(corner.x + 8, corner.y + 8), IM_COL32(220, 220, 220, 255), text);
  }
  handleInput(pane, width, height);
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left) || ImGui::IsItemClicked(ImGuiMouseButton_Right)) m_active = index;

  // Overlays (stack and planes).
  if (drawn && pane.view != PaneView::Ecg && pane.view != PaneView::Volume) {
    OverlayInfo info;
    if (m_series != nullptr && pane.view != PaneView::Photo && m_session != nullptr) {
      const auto& first = m_session->catalog().objects[m_series->slices.front().object];
      info.patientName = first.patientName;
      info.patientId = first.patientId;
      info.studyDate = first.studyDate;
      info.seriesLabel = first.modality + (first.seriesDescription.empty() ? "" : " " + first.seriesDescription);
      const auto volume = m_job ? m_job->volume() : nullptr;
      if (pane.view == PaneView::Stack) {
        info.viewLabel = tr("view.axial");
        info.sliceIndex = pane.index;
        info.sliceCount = m_series->dims[2];
        if (m_series->geometryComplete) info.positionMm = m_series->slices[static_cast<std::size_t>(pane.index)].positionMm;
        if (m_series->direction) {
          const auto& m = *m_series->direction;
          info.rightLps = std::array<double, 3>{m[0], m[3], m[6]};
          info.downLps = std::array<double, 3>{m[1], m[4], m[7]};
        }
      } else if (volume) {
        const imaging::PlaneView pv = pane.view == PaneView::Coronal ? imaging::PlaneView::Coronal : imaging::PlaneView::Sagittal;
        const imaging::Plane plane = imaging::standardPlane(*volume, pv, pane.index);
        info.viewLabel = tr(pane.view == PaneView::Coronal ? "view.coronal" : "view.sagittal");
        info.sliceIndex = pane.index;
        info.sliceCount = imaging::planeCount(*volume, pv);
        info.rightLps = plane.rightLps;
        info.downLps = plane.downLps;
      }
      if (m_texture) info.reduction = m_texture->reduction();
    }
    const double column = pane.frame.columnSpacingMm.value_or(0.0);
    const double row = pane.frame.rowSpacingMm.value_or(0.0);
    const double aspect = column > 0 && row > 0 ? row / column : 1.0;
    const double fit = std::min(static_cast<double>(w) / pane.frame.image.width,
                                static_cast<double>(h) / (pane.frame.image.height * aspect));
    const double scale = pane.params.pixelExact ? 1.0 : fit * pane.params.zoom;
    info.zoomPercent = scale * 100.0;
    if (column > 0) info.mmPerScreenPixel = column / scale;
    if (pane.frame.image.format == imaging::PixelFormat::Gray32F) {
      info.windowCenter = pane.params.window.center;
      info.windowWidth = pane.params.window.width;
      info.units = pane.frame.units;
    }
    const OverlayGraphics g = buildImageOverlay(info, w, h, ImGui::GetTextLineHeight());
    const ImU32 yellow = IM_COL32(255, 255, 140, 255);
    for (const TextItem& t : g.text) {
      const ImVec2 s = ImGui::CalcTextSize(t.text.c_str());
      float tx = t.x;
      if (t.align == TextAlign::Right) tx -= s.x;
      if (t.align == TextAlign::Centre) tx -= s.x / 2;
      dl->AddText(ImVec2(corner.x + tx + 1, corner.y + t.y + 1), IM_COL32(0, 0, 0, 200), t.text.c_str());
      dl->AddText(ImVec2(corner.x + tx, corner.y + t.y), yellow, t.text.c_str());
    }
    for (std::size_t i = 0; i + 1 < g.lines.size(); i += 2) {
      dl->AddLine(ImVec2(corner.x + g.lines[i].x, corner.y + g.lines[i].y),
                  ImVec2(corner.x + g.lines[i + 1].x, corner.y + g.lines[i + 1].y), yellow);
    }
  }
  if (drawn && m_layout == Layout::Mpr) {
    drawCrosshairs(index, corner.x, corner.y, width, height);
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) moveCrosshairs(index, width, height);
  }
  // Active pane border.
  dl->AddRect(corner, ImVec2(corner.x + width, corner.y + height),
              index == m_active && paneCount() > 1 ? IM_COL32(80, 160, 255, 255) : IM_COL32(60, 60, 60, 255));
  ImGui::EndChild();
}

// [SECTION] Crosshairs (MPR layout): each 2D pane shows where the two other
// planes cut it; a double-click moves them there.
std::array<float, 2> Workspace::imageToPane(const Pane& pane, double column, double row, float width,
                                            float height) const {
  const int w = std::max(1, static_cast<int>(width));
  const int h = std::max(1, static_cast<int>(height));
  const auto m = pane.renderer->transform(w, h, pane.params);
  const double u = column / pane.frame.image.width;
  const double v = row / pane.frame.image.height;
  auto at = [&](std::size_t i) { return static_cast<double>(m[i]); };
  const double cx = at(0) * u + at(3) * v + at(6);
  const double cy = at(1) * u + at(4) * v + at(7);
  return {static_cast<float>((cx + 1.0) / 2.0 * w), static_cast<float>((1.0 - cy) / 2.0 * h)};
}

namespace {

// For a pane view, the indices of the two other planes expressed as this
// pane's image column and row (continuous, pixel centres at +0.5).
struct Cut {
  std::optional<double> column;  // a vertical line
  std::optional<double> row;     // a horizontal line
};

}  // namespace

void Workspace::drawCrosshairs(int index, float x, float y, float width, float height) {
  const Pane& pane = m_panes[static_cast<std::size_t>(index)];
  const auto volume = m_job ? m_job->volume() : nullptr;
  if (!volume || pane.view == PaneView::Volume || !pane.loaded) return;
  const int d = volume->depth();
  const bool zTowardHead = !volume->geometry.direction || (*volume->geometry.direction)[8] >= 0;
  auto zRow = [&](int z) { return (zTowardHead ? (d - 1 - z) : z) + 0.5; };
  const int axial = m_panes[0].index;
  const int coronal = m_panes[1].index;
  const int sagittal = m_panes[2].index;
  Cut cut;
  switch (pane.view) {
    case PaneView::Stack:
      cut = {sagittal + 0.5, coronal + 0.5};
      break;
    case PaneView::Coronal:
      cut = {sagittal + 0.5, zRow(axial)};
      break;
    case PaneView::Sagittal:
      cut = {coronal + 0.5, zRow(axial)};
      break;
    default:
      return;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 colour = IM_COL32(80, 200, 255, 160);
  if (cut.column) {
    const auto a = imageToPane(pane, *cut.column, 0, width, height);
    const auto b = imageToPane(pane, *cut.column, pane.frame.image.height, width, height);
    dl->AddLine(ImVec2(x + a[0], y + a[1]), ImVec2(x + b[0], y + b[1]), colour);
  }
  if (cut.row) {
    const auto a = imageToPane(pane, 0, *cut.row, width, height);
    const auto b = imageToPane(pane, pane.frame.image.width, *cut.row, width, height);
    dl->AddLine(ImVec2(x + a[0], y + a[1]), ImVec2(x + b[0], y + b[1]), colour);
  }
}

void Workspace::moveCrosshairs(int index, float width, float height) {
  Pane& pane = m_panes[static_cast<std::size_t>(index)];
  const auto volume = m_job ? m_job->volume() : nullptr;
  if (!volume || !pane.loaded) return;
  // Invert the pane transform numerically: find the image pixel under the
  // mouse from two reference points (the transform is affine).
  const ImVec2 mouse = ImGui::GetMousePos();
  const ImVec2 corner = ImGui::GetItemRectMin();
  const auto o = imageToPane(pane, 0, 0, width, height);
  const auto ex = imageToPane(pane, 1, 0, width, height);
  const auto ey = imageToPane(pane, 0, 1, width, height);
  const double a = ex[0] - o[0], b = ey[0] - o[0], c = ex[1] - o[1], e = ey[1] - o[1];
  const double det = a * e - b * c;
  if (std::abs(det) < 1e-12) return;
  const double px = mouse.x - corner.x - o[0];
  const double py = mouse.y - corner.y - o[1];
  const double column = (e * px - b * py) / det;
  const double row = (-c * px + a * py) / det;
  const int d = volume->depth();
  const bool zTowardHead = !volume->geometry.direction || (*volume->geometry.direction)[8] >= 0;
  auto zFromRow = [&](double r) { return zTowardHead ? d - 1 - static_cast<int>(r) : static_cast<int>(r); };
  switch (pane.view) {
    case PaneView::Stack:
      m_panes[2].index = static_cast<int>(column);
      m_panes[1].index = static_cast<int>(row);
      break;
    case PaneView::Coronal:
      m_panes[2].index = static_cast<int>(column);
      m_panes[0].index = zFromRow(row);
      break;
    case PaneView::Sagittal:
      m_panes[1].index = static_cast<int>(column);
      m_panes[0].index = zFromRow(row);
      break;
    default:
      break;
  }
}

// [SECTION] Mouse
void Workspace::handleInput(Pane& pane, float width, float /*height*/) {
  ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsItemHovered()) return;
  const double dx = io.MouseDelta.x;
  const double dy = io.MouseDelta.y;
  if (pane.view == PaneView::Volume) {
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
      pane.vr.azimuthDegrees += dx * 0.5;
      pane.vr.elevationDegrees = std::clamp(pane.vr.elevationDegrees + dy * 0.5, -89.0, 89.0);
    }
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.0f)) {
      pane.vr.zoom = std::clamp(pane.vr.zoom * std::exp(-dy * 0.01), 0.2, 10.0);
    }
    return;
  }
  if (pane.view == PaneView::Ecg) {
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.0f)) {
      pane.paper.startS = std::max(0.0, pane.paper.startS - dx / (pane.paper.speedMmPerS * pane.paper.pixelsPerMm));
    }
    return;
  }
  if (!io.KeyCtrl && io.MouseWheel != 0.0f) pane.index += io.MouseWheel > 0 ? -1 : 1;  // wheel = slice
  if (!pane.loaded) return;
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
    // Left drag = W/L, scaled to the value range so CT and photos feel alike.
    const double range = std::max(1.0, pane.frame.maxValue.value_or(255.0) - pane.frame.minValue.value_or(0.0));
    const double k = range / std::max(1.0, static_cast<double>(width));
    pane.params.window.width = std::max(1.0, pane.params.window.width + dx * k);
    pane.params.window.center += dy * k;
    pane.params.window.explanation.clear();
    pane.params.contrast = static_cast<float>(std::max(0.05, static_cast<double>(pane.params.contrast) + dx * 0.005));
    pane.params.brightness =
        static_cast<float>(std::clamp(static_cast<double>(pane.params.brightness) - dy * 0.003, -1.0, 1.0));
  }
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.0f)) {
    pane.params.panX += dx;
    pane.params.panY += dy;
  }
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.0f)) {
    pane.params.pixelExact = false;
    pane.params.zoom = std::clamp(pane.params.zoom * std::exp(-dy * 0.01), 0.05, 64.0);
  }
  if (io.KeyCtrl && io.MouseWheel != 0.0f) {
    pane.params.pixelExact = false;
    pane.params.zoom = std::clamp(pane.params.zoom * std::pow(1.15, static_cast<double>(io.MouseWheel)), 0.05, 64.0);
  }
}

}  // namespace confrere::ui
