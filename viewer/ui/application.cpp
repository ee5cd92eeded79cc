// [SECTION] index
//  - Browser model: what was opened, as a list of displayable items
//  - Fonts and scaling
//  - Viewport: image drawn offscreen, shown as an ImGui image, mouse/keys
//  - Main loop
#include "application.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../render/context.h"
#include "../render/image_renderer.h"
#include "../render/offscreen.h"
#include "../render/shader_library.h"
#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"
#include "state/study_session.h"
#include "fonts.h"
#include "window_presets.h"

namespace confrere::ui {
namespace fs = std::filesystem;

namespace {

// [SECTION] Browser model: see viewer/state/study_session.h

// [SECTION] Fonts and scaling
void setUpStyle(float scale, const fs::path& assetsDir) {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is ours; user settings go elsewhere
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0.0f;
  style.ScaleAllSizes(scale);
  loadUiFont(assetsDir, 15.0f * scale);
}

// [SECTION] Viewport
struct Viewport {
  std::unique_ptr<render::ImageRenderer> renderer;
  std::unique_ptr<render::OffscreenTarget> target;
  render::ImageViewParams params;
  imaging::DisplayFrame frame;  // what is on screen (value range, spacing, units)
  std::string error;
  bool loaded = false;
  bool fresh = true;  // reset the view at the next upload

  // A series: loaded as a volume in the background, or frame by frame.
  std::unique_ptr<state::VolumeLoadJob> job;
  const imaging::SeriesVolume* series = nullptr;
  const std::vector<imaging::ObjectInfo>* objects = nullptr;
  bool framewise = false;
  int slice = 0;
  int shownSlice = -1;
  const imaging::Volume* shownVolume = nullptr;

  void resetView() {
    params = render::ImageViewParams{};
    params.window = frame.defaultWindow();
  }
  int sliceCount() const { return series != nullptr ? series->dims[2] : 0; }
};

bool upload(Viewport& vp, imaging::DisplayFrame frame) {
  try {
    vp.renderer->setFrame(frame);
  } catch (const std::exception& e) {
    vp.loaded = false;
    vp.error = e.what();
    return false;
  }
  vp.frame = std::move(frame);
  vp.loaded = true;
  vp.error.clear();
  if (vp.fresh) {
    vp.resetView();
    vp.fresh = false;
  }
  return true;
}

// Shows the current slice as soon as it exists: the first image appears
// while the rest of the series is still decoding.
void updateSlice(Viewport& vp) {
  if (vp.series == nullptr) return;
  vp.slice = std::clamp(vp.slice, 0, std::max(0, vp.sliceCount() - 1));
  if (vp.framewise) {
    if (vp.slice == vp.shownSlice) return;
    const imaging::SliceRef& ref = vp.series->slices[static_cast<std::size_t>(vp.slice)];
    auto frame = imaging::loadDisplayFrame((*vp.objects)[ref.object].path, ref.frame);
    vp.shownSlice = vp.slice;
    if (!frame) {
      vp.loaded = false;
      vp.error = frame.error().message;
      return;
    }
    upload(vp, std::move(frame).value());
    return;
  }
  if (!vp.job) return;
  if (auto error = vp.job->error()) {
    vp.loaded = false;
    vp.error = error->message;
    return;
  }
  const auto volume = vp.job->volume();
  if (!volume || !volume->sliceReady(vp.slice)) return;
  if (vp.shownSlice == vp.slice && vp.shownVolume == volume.get()) return;
  if (upload(vp, volume->sliceFrame(vp.slice))) {
    vp.shownSlice = vp.slice;
    vp.shownVolume = volume.get();
  }
}

void handleViewportInput(Viewport& vp, ImVec2 size) {
  ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsItemHovered()) return;
  if (!io.KeyCtrl && io.MouseWheel != 0.0f && vp.series != nullptr) {
    vp.slice += io.MouseWheel > 0 ? -1 : 1;  // wheel = slice
  }
  if (!vp.loaded) return;
  const double dx = io.MouseDelta.x;
  const double dy = io.MouseDelta.y;
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
    // Left drag = W/L: horizontal changes width, vertical changes center,
    // scaled to the value range so it feels the same for CT and photos.
    const double range = std::max(1.0, vp.frame.maxValue.value_or(255.0) - vp.frame.minValue.value_or(0.0));
    const double k = range / std::max(1.0, static_cast<double>(size.x));
    vp.params.window.width = std::max(1.0, vp.params.window.width + dx * k);
    vp.params.window.center += dy * k;
    vp.params.window.explanation.clear();
    vp.params.contrast = static_cast<float>(std::max(0.05, static_cast<double>(vp.params.contrast) + dx * 0.005));
    vp.params.brightness = static_cast<float>(std::clamp(static_cast<double>(vp.params.brightness) - dy * 0.003, -1.0, 1.0));
  }
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.0f)) {
    vp.params.panX += dx;
    vp.params.panY += dy;
  }
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.0f)) {
    vp.params.pixelExact = false;
    vp.params.zoom = std::clamp(vp.params.zoom * std::exp(-dy * 0.01), 0.05, 64.0);
  }
  if (io.KeyCtrl && io.MouseWheel != 0.0f) {
    vp.params.pixelExact = false;
    vp.params.zoom = std::clamp(vp.params.zoom * std::pow(1.15, static_cast<double>(io.MouseWheel)), 0.05, 64.0);
  }
}

void drawViewport(Viewport& vp) {
  updateSlice(vp);
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const int w = std::max(1, static_cast<int>(size.x));
  const int h = std::max(1, static_cast<int>(size.y));
  if (!vp.loaded) {
    if (vp.job && !vp.job->finished() && vp.error.empty()) {
      const auto p = vp.job->progress();
      ImGui::Text("%s %zu / %zu", tr("viewport.loading"), p.done, p.total);
    } else {
      ImGui::TextWrapped("%s", vp.error.empty() ? tr("viewport.none") : vp.error.c_str());
    }
    return;
  }
  if (!vp.target || vp.target->width() != w || vp.target->height() != h) {
    vp.target = std::make_unique<render::OffscreenTarget>(w, h);
  }
  vp.target->bind();
  glViewport(0, 0, w, h);
  glClearColor(0.f, 0.f, 0.f, 1.f);
  glClear(GL_COLOR_BUFFER_BIT);
  vp.renderer->draw(0, 0, w, h, vp.params);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // The FBO's rows are bottom-up: flip V when showing it.
  ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(vp.target->colorTexture())), size,
               ImVec2(0, 1), ImVec2(1, 0));
  handleViewportInput(vp, size);
  // Overlays: slice and loading top-left, window and zoom bottom-left.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const ImU32 colour = IM_COL32(255, 255, 120, 255);
  char text[160];
  if (vp.series != nullptr) {
    const imaging::SliceRef& ref = vp.series->slices[static_cast<std::size_t>(vp.slice)];
    if (vp.series->geometryComplete) {
      std::snprintf(text, sizeof text, "%s %d/%d  %.1f mm", tr("viewport.slice"), vp.slice + 1, vp.sliceCount(),
                    ref.positionMm);
    } else {
      std::snprintf(text, sizeof text, "%s %d/%d", tr("viewport.image"), vp.slice + 1, vp.sliceCount());
    }
    dl->AddText(ImVec2(origin.x + 6, origin.y + 4), colour, text);
    if (vp.job && !vp.job->finished()) {
      const auto p = vp.job->progress();
      std::snprintf(text, sizeof text, "%s %zu/%zu", tr("viewport.loading"), p.done, p.total);
      dl->AddText(ImVec2(origin.x + 6, origin.y + 4 + line), colour, text);
    }
  }
  if (vp.frame.image.format == imaging::PixelFormat::Gray32F) {
    std::snprintf(text, sizeof text, "%s %.0f / %.0f %s", tr("viewport.window"), vp.params.window.center,
                  vp.params.window.width, vp.frame.units.c_str());
  } else {
    std::snprintf(text, sizeof text, "%dx%d", vp.frame.image.width, vp.frame.image.height);
  }
  dl->AddText(ImVec2(origin.x + 6, origin.y + size.y - 2 * line), colour, text);
  std::snprintf(text, sizeof text, "%s %s", tr("viewport.zoom"),
                vp.params.pixelExact ? "1:1" : (std::to_string(static_cast<int>(vp.params.zoom * 100)) + " %").c_str());
  dl->AddText(ImVec2(origin.x + 6, origin.y + size.y - line), colour, text);
}

void handleKeys(Viewport& vp) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  // ImGui 1.86 (Debian) indexes keys by GLFW key code.
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP)) vp.slice -= 10;
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN)) vp.slice += 10;
  if (ImGui::IsKeyPressed(GLFW_KEY_UP)) vp.slice -= 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) vp.slice += 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) vp.slice = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_END)) vp.slice = vp.sliceCount() - 1;
  if (!vp.loaded) return;
  for (int i = 0; i < 5; ++i) {
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + i)) {
      const WindowPreset& p = kWindowPresets[static_cast<std::size_t>(i)];
      vp.params.window = imaging::Window{p.center, p.width, p.name};
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) vp.resetView();
  if (ImGui::IsKeyPressed(GLFW_KEY_I)) vp.params.invert = !vp.params.invert;
}

void selectItem(Viewport& vp, const state::StudySession& session, const state::BrowserItem& item) {
  vp.job.reset();
  vp.series = nullptr;
  vp.objects = &session.catalog().objects;
  vp.loaded = false;
  vp.error.clear();
  vp.fresh = true;
  vp.shownSlice = -1;
  vp.shownVolume = nullptr;
  switch (item.kind) {
    case state::ItemKind::Volume:
    case state::ItemKind::Frames: {
      vp.series = &session.series()[static_cast<std::size_t>(item.series)];
      vp.framewise = item.kind == state::ItemKind::Frames;
      vp.slice = vp.framewise ? 0 : vp.sliceCount() / 2;
      if (!vp.framewise) {
        vp.job = std::make_unique<state::VolumeLoadJob>(*vp.series, session.catalog().objects);
      }
      break;
    }
    case state::ItemKind::Photo: {
      auto frame = imaging::loadDisplayFrame(session.catalog().objects[static_cast<std::size_t>(item.object)].path);
      if (frame) upload(vp, std::move(frame).value());
      else vp.error = frame.error().message;
      break;
    }
    case state::ItemKind::Ecg:
      vp.error = tr("viewport.ecg_soon");
      break;
  }
}

}  // namespace

// [SECTION] Main loop
int runApplication(const ApplicationOptions& options) {
  setLanguage(options.language);
  std::unique_ptr<render::HeadlessDisplay> display;
  if (options.screenshot) {
    display = std::make_unique<render::HeadlessDisplay>();
  }
  render::ContextOptions ctxOptions;
  ctxOptions.width = options.width;
  ctxOptions.height = options.height;
  ctxOptions.title = tr("app.title");
  render::GlContext context(ctxOptions);
  glfwSwapInterval(1);

  float xscale = 1.0f;
  float yscale = 1.0f;
  glfwGetWindowContentScale(context.window(), &xscale, &yscale);
  const float scale = std::max(1.0f, std::max(xscale, yscale));

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  setUpStyle(scale, options.assetsDir);
  ImGui_ImplGlfw_InitForOpenGL(context.window(), true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  render::ShaderLibrary shaders;
  Viewport viewport;
  viewport.renderer = std::make_unique<render::ImageRenderer>(shaders);

  auto session = std::make_unique<state::StudySession>();
  int selected = -1;
  auto openPath = [&](const fs::path& path) {
    viewport.job.reset();  // the job reads the old session's objects: stop it first
    viewport.series = nullptr;
    auto next = std::make_unique<state::StudySession>();
    if (Status opened = next->open(path); !opened) {
      viewport.error = opened.error().message;
      viewport.loaded = false;
      return;
    }
    session = std::move(next);
    selected = -1;
    for (std::size_t i = 0; i < session->items().size(); ++i) {
      if (session->items()[i].kind == state::ItemKind::Volume) {
        selected = static_cast<int>(i);
        selectItem(viewport, *session, session->items()[i]);
        break;
      }
    }
  };
  openPath(options.open);

  bool showAbout = false;
  bool quit = false;
  int frame = 0;
  while (!quit && glfwWindowShouldClose(context.window()) == 0) {
    if (options.screenshot) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(0.1);
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();

    if (ImGui::BeginMainMenuBar()) {
      if (ImGui::BeginMenu(tr("menu.file"))) {
        if (ImGui::MenuItem(tr("menu.file.demo"))) openPath(options.assetsDir / "demo");
        if (ImGui::MenuItem(tr("menu.file.quit"), "Ctrl+Q")) quit = true;
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr("menu.view"))) {
        if (ImGui::MenuItem(tr("menu.view.fit"))) { viewport.params.pixelExact = false; viewport.params.zoom = 1.0; }
        if (ImGui::MenuItem(tr("menu.view.actual"))) viewport.params.pixelExact = true;
        if (ImGui::MenuItem(tr("menu.view.invert"), "I", viewport.params.invert)) viewport.params.invert = !viewport.params.invert;
        if (ImGui::MenuItem(tr("menu.view.reset"), "Espace")) viewport.resetView();
        ImGui::Separator();
        for (std::size_t i = 0; i < kWindowPresets.size(); ++i) {
          const WindowPreset& p = kWindowPresets[i];
          const std::string shortcut = std::to_string(i + 1);
          if (ImGui::MenuItem(language() == Language::French ? p.labelFr : p.labelEn, shortcut.c_str())) {
            viewport.params.window = imaging::Window{p.center, p.width, p.name};
          }
        }
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr("menu.language"))) {
        if (ImGui::MenuItem("Français", nullptr, language() == Language::French)) setLanguage(Language::French);
        if (ImGui::MenuItem("English", nullptr, language() == Language::English)) setLanguage(Language::English);
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr("menu.help"))) {
        if (ImGui::MenuItem(tr("menu.help.about"))) showAbout = true;
        ImGui::EndMenu();
      }
      ImGui::EndMainMenuBar();
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_Q) && ImGui::GetIO().KeyCtrl) quit = true;

    const ImGuiViewport* main = ImGui::GetMainViewport();
    const float browserWidth = std::round(280.0f * scale);
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::SetNextWindowPos(main->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(browserWidth, main->WorkSize.y));
    if (ImGui::Begin(tr("panel.browser"), nullptr, fixed)) {
      const auto& items = session->items();
      if (items.empty()) ImGui::TextUnformatted(tr("browser.empty"));
      std::string patient;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const state::BrowserItem& item = items[i];
        if (i == 0 || item.patient != patient) {
          patient = item.patient;
          if (i > 0) ImGui::Separator();
          ImGui::TextDisabled("%s", patient.c_str());
        }
        const char* icon = item.kind == state::ItemKind::Photo ? "[Photo]" : item.kind == state::ItemKind::Ecg ? "[ECG]"
                                                                                                                : "[DICOM]";
        std::string label = std::string(icon) + " " + item.label;
        if (item.count > 1) label += " (" + std::to_string(item.count) + ")";
        label += "##" + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), selected == static_cast<int>(i))) {
          selected = static_cast<int>(i);
          selectItem(viewport, *session, item);
        }
      }
      if (!session->catalog().errors.empty()) {
        ImGui::Separator();
        ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.4f, 1.0f), "%s: %zu", tr("browser.errors"),
                           session->catalog().errors.size());
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          for (const auto& e : session->catalog().errors) ImGui::TextUnformatted(e.reason.c_str());
          ImGui::EndTooltip();
        }
      }
    }
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(main->WorkPos.x + browserWidth, main->WorkPos.y));
    ImGui::SetNextWindowSize(ImVec2(main->WorkSize.x - browserWidth, main->WorkSize.y));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    if (ImGui::Begin(tr("panel.viewport"), nullptr, fixed | ImGuiWindowFlags_NoScrollbar)) {
      handleKeys(viewport);
      drawViewport(viewport);
    }
    ImGui::End();
    ImGui::PopStyleVar();

    if (showAbout) {
      ImGui::OpenPopup(tr("menu.help.about"));
      showAbout = false;
    }
    if (ImGui::BeginPopupModal(tr("menu.help.about"), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::Text("Confrère %s", CONFRERE_VERSION);
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
      ImGui::TextUnformatted(tr("about.text"));
      ImGui::PopTextWrapPos();
      if (ImGui::Button(tr("common.close"))) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }

    ImGui::Render();
    int fbw = 0;
    int fbh = 0;
    glfwGetFramebufferSize(context.window(), &fbw, &fbh);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, fbw, fbh);
    glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
    if (options.screenshot && frame >= std::max(options.frames, 2)) {
      const imaging::Image shot = render::readPixels(0, 0, fbw, fbh);
      const auto written = imaging::writePng(*options.screenshot, shot);
      if (!written) {
        std::fprintf(stderr, "confrere: %s\n", written.error().message.c_str());
      }
      quit = true;
    }
    glfwSwapBuffers(context.window());
  }

  viewport = Viewport{};  // GL objects go before the context; the job stops here
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace confrere::ui
