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
#include <ctime>
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
#include "workspace.h"
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

// [SECTION] Screen scale: pixels per millimetre from the monitor (ECG paper
// at true size), overridable by the user's calibration.
float monitorPixelsPerMm(GLFWwindow* window) {
  GLFWmonitor* monitor = glfwGetWindowMonitor(window);
  if (monitor == nullptr) monitor = glfwGetPrimaryMonitor();
  if (monitor == nullptr) return 96.0f / 25.4f;
  int widthMm = 0;
  int heightMm = 0;
  glfwGetMonitorPhysicalSize(monitor, &widthMm, &heightMm);
  const GLFWvidmode* mode = glfwGetVideoMode(monitor);
  if (mode == nullptr || widthMm <= 0) return 96.0f / 25.4f;
  return static_cast<float>(mode->width) / static_cast<float>(widthMm);
}

void handleKeys(Workspace& workspace) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  Pane& pane = workspace.active();
  // ImGui 1.86 (Debian) indexes keys by GLFW key code.
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP)) pane.index -= 10;
  if (ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN)) pane.index += 10;
  if (ImGui::IsKeyPressed(GLFW_KEY_UP)) pane.index -= 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) pane.index += 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) pane.index = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_END)) pane.index = 1 << 20;  // clamped to the last one
  for (int i = 0; i < 5; ++i) {
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + i)) {
      const WindowPreset& p = kWindowPresets[static_cast<std::size_t>(i)];
      workspace.applyWindowPreset(p.center, p.width, p.name);
    }
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) workspace.resetActive();
  if (ImGui::IsKeyPressed(GLFW_KEY_I)) pane.params.invert = !pane.params.invert;
  if (ImGui::IsKeyPressed(GLFW_KEY_H)) pane.params.flipHorizontal = !pane.params.flipHorizontal;
  if (ImGui::IsKeyPressed(GLFW_KEY_V)) pane.params.flipVertical = !pane.params.flipVertical;
  if (ImGui::IsKeyPressed(GLFW_KEY_R)) pane.params.rotateQuarterTurns = (pane.params.rotateQuarterTurns + 1) % 4;
  if (ImGui::IsKeyPressed(GLFW_KEY_F)) {
    pane.params.pixelExact = false;
    pane.params.zoom = 1.0;
    pane.params.panX = pane.params.panY = 0;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_0)) pane.params.pixelExact = true;
  if (ImGui::IsKeyPressed(GLFW_KEY_C)) pane.cine = !pane.cine;
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
  auto workspace = std::make_unique<Workspace>(shaders);
  float pixelsPerMm = monitorPixelsPerMm(context.window());

  auto session = std::make_unique<state::StudySession>();
  int selected = -1;
  std::string openError;
  auto openPath = [&](const fs::path& path) {
    auto next = std::make_unique<state::StudySession>();
    if (Status opened = next->open(path); !opened) {
      openError = opened.error().message;
      return;
    }
    workspace->clear();  // the loader reads the old session's objects: stop it first
    openError.clear();
    session = std::move(next);
    selected = -1;
    for (std::size_t i = 0; i < session->items().size(); ++i) {
      if (session->items()[i].kind == state::ItemKind::Volume) {
        selected = static_cast<int>(i);
        workspace->show(*session, session->items()[i]);
        break;
      }
    }
  };
  workspace->setLayout(options.layout == "1x2"   ? Layout::OneByTwo
                       : options.layout == "2x2" ? Layout::TwoByTwo
                       : options.layout == "mpr" ? Layout::Mpr
                                                 : Layout::One);
  openPath(options.open);

  bool showAbout = false;
  bool showOpen = false;
  bool saveScreenshot = false;
  char openBuffer[1024] = {};
  std::string notice;  // last screenshot path or problem, shown in the status line
  // Files and folders dropped on the window are opened like File > Open.
  static std::vector<std::string> dropped;
  glfwSetDropCallback(context.window(), [](GLFWwindow*, int count, const char** paths) {
    for (int i = 0; i < count; ++i) dropped.emplace_back(paths[i]);
  });
  bool quit = false;
  int frame = 0;
  while (!quit && glfwWindowShouldClose(context.window()) == 0) {
    if (options.screenshot) {
      glfwPollEvents();
    } else {
      glfwWaitEventsTimeout(0.04);  // cine and background loading keep moving
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();

    if (ImGui::BeginMainMenuBar()) {
      if (ImGui::BeginMenu(tr("menu.file"))) {
        if (ImGui::MenuItem(tr("menu.file.open"), "Ctrl+O")) showOpen = true;
        if (ImGui::MenuItem(tr("menu.file.demo"))) openPath(options.assetsDir / "demo");
        if (ImGui::MenuItem(tr("menu.file.screenshot"), "Ctrl+P")) saveScreenshot = true;
        if (ImGui::MenuItem(tr("menu.file.quit"), "Ctrl+Q")) quit = true;
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr("menu.view"))) {
        Pane& pane = workspace->active();
        if (ImGui::MenuItem(tr("menu.view.fit"), "F")) { pane.params.pixelExact = false; pane.params.zoom = 1.0; }
        if (ImGui::MenuItem(tr("menu.view.actual"), "0")) pane.params.pixelExact = true;
        if (ImGui::MenuItem(tr("menu.view.invert"), "I", pane.params.invert)) pane.params.invert = !pane.params.invert;
        if (ImGui::MenuItem(tr("menu.view.flip_h"), "H", pane.params.flipHorizontal)) pane.params.flipHorizontal = !pane.params.flipHorizontal;
        if (ImGui::MenuItem(tr("menu.view.flip_v"), "V", pane.params.flipVertical)) pane.params.flipVertical = !pane.params.flipVertical;
        if (ImGui::MenuItem(tr("menu.view.rotate"), "R")) pane.params.rotateQuarterTurns = (pane.params.rotateQuarterTurns + 1) % 4;
        if (ImGui::MenuItem(tr("menu.view.reset"), tr("key.space"))) workspace->resetActive();
        ImGui::Separator();
        for (std::size_t i = 0; i < kWindowPresets.size(); ++i) {
          const WindowPreset& p = kWindowPresets[i];
          const std::string shortcut = std::to_string(i + 1);
          if (ImGui::MenuItem(language() == Language::French ? p.labelFr : p.labelEn, shortcut.c_str())) {
            workspace->applyWindowPreset(p.center, p.width, p.name);
          }
        }
        ImGui::Separator();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        ImGui::SliderFloat(tr("menu.view.calibration"), &pixelsPerMm, 1.0f, 20.0f, "%.2f px/mm");
        ImGui::EndMenu();
      }
      if (ImGui::BeginMenu(tr("menu.layout"))) {
        const std::pair<Layout, const char*> layouts[] = {{Layout::One, "1×1"}, {Layout::OneByTwo, "1×2"},
                                                          {Layout::TwoByTwo, "2×2"}, {Layout::Mpr, "MPR + 3D"}};
        for (const auto& [l, name] : layouts) {
          if (ImGui::MenuItem(name, nullptr, workspace->layout() == l)) workspace->setLayout(l);
        }
        ImGui::Separator();
        Pane& pane = workspace->active();
        const std::pair<PaneView, const char*> views[] = {{PaneView::Stack, "view.axial"}, {PaneView::Coronal, "view.coronal"},
                                                          {PaneView::Sagittal, "view.sagittal"}, {PaneView::Volume, "view.vr"}};
        for (const auto& [v, key] : views) {
          if (ImGui::MenuItem(tr(key), nullptr, pane.view == v)) {
            pane.view = v;
            pane.index = -1;
            pane.shownIndex = -1;
            pane.fresh = true;
          }
        }
        if (pane.view == PaneView::Ecg) {
          ImGui::Separator();
          const std::pair<state::EcgLayout, const char*> ecgLayouts[] = {
              {state::EcgLayout::ThreeByFourPlusRhythm, "3×4 + D2"}, {state::EcgLayout::SixByTwo, "6×2"},
              {state::EcgLayout::TwelveByOne, "12×1"}};
          for (const auto& [l, name] : ecgLayouts) {
            if (ImGui::MenuItem(name, nullptr, pane.ecgLayout == l)) pane.ecgLayout = l;
          }
          for (double speed : {12.5, 25.0, 50.0}) {
            const std::string label = std::to_string(speed).substr(0, speed < 20 ? 4 : 2) + " mm/s";
            if (ImGui::MenuItem(label.c_str(), nullptr, pane.paper.speedMmPerS == speed)) pane.paper.speedMmPerS = speed;
          }
          for (double gain : {5.0, 10.0, 20.0}) {
            const std::string label = std::to_string(static_cast<int>(gain)) + " mm/mV";
            if (ImGui::MenuItem(label.c_str(), nullptr, pane.paper.gainMmPerMv == gain)) pane.paper.gainMmPerMv = gain;
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
    if (ImGui::IsKeyPressed(GLFW_KEY_O) && ImGui::GetIO().KeyCtrl) showOpen = true;
    if (ImGui::IsKeyPressed(GLFW_KEY_P) && ImGui::GetIO().KeyCtrl) saveScreenshot = true;
    if (!dropped.empty()) {
      openPath(dropped.front());
      dropped.clear();
    }
    if (showOpen) {
      ImGui::OpenPopup(tr("menu.file.open"));
      showOpen = false;
    }
    if (ImGui::BeginPopupModal(tr("menu.file.open"), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
      ImGui::TextUnformatted(tr("open.prompt"));
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 36);
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      const bool enter = ImGui::InputText("##path", openBuffer, sizeof openBuffer, ImGuiInputTextFlags_EnterReturnsTrue);
      if (ImGui::Button(tr("open.button")) || enter) {
        openPath(openBuffer);
        ImGui::CloseCurrentPopup();
      }
      ImGui::SameLine();
      if (ImGui::Button(tr("common.close"))) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }

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
          workspace->show(*session, item);
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
    if (ImGui::Begin(tr("panel.viewport"), nullptr, fixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
      if (!openError.empty()) ImGui::TextColored(ImVec4(1.0f, 0.5f, 0.4f, 1.0f), "%s", openError.c_str());
      if (!notice.empty()) ImGui::TextUnformatted(notice.c_str());
      if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) handleKeys(*workspace);
      workspace->draw(pixelsPerMm);
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
    if (saveScreenshot) {
      // The whole window as PNG, named by date and time, in the current folder.
      char name[64];
      const std::time_t now = std::time(nullptr);
      std::strftime(name, sizeof name, "confrere-%Y%m%d-%H%M%S.png", std::localtime(&now));
      const auto written = imaging::writePng(name, render::readPixels(0, 0, fbw, fbh));
      notice = written ? std::string(tr("screenshot.saved")) + " " + (fs::current_path() / name).string()
                       : written.error().message;
      saveScreenshot = false;
    }
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

  workspace.reset();  // GL objects go before the context; the loader stops here
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace confrere::ui
