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
#include "window_presets.h"

namespace confrere::ui {
namespace fs = std::filesystem;

namespace {

// [SECTION] Browser model
enum class ItemKind { Series, Photo, Ecg, Other };

struct BrowserItem {
  std::string label;
  fs::path path;  // a folder for a series, a file otherwise
  ItemKind kind = ItemKind::Other;
  int count = 1;  // files in a series
};

std::vector<BrowserItem> scanInput(const fs::path& root) {
  std::vector<BrowserItem> items;
  std::error_code ec;
  if (fs::is_regular_file(root, ec)) {
    BrowserItem item{root.filename().string(), root, ItemKind::Other, 1};
    if (imaging::looksLikePhoto(root)) item.kind = ItemKind::Photo;
    else if (imaging::looksLikeDicom(root)) item.kind = ItemKind::Series;
    else if (root.extension() == ".xml") item.kind = ItemKind::Ecg;
    items.push_back(item);
    return items;
  }
  std::map<fs::path, int> dicomFolders;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    if (imaging::looksLikePhoto(f)) {
      items.push_back({f.filename().string(), f, ItemKind::Photo, 1});
    } else if (f.extension() == ".xml" || f.extension() == ".scp") {
      items.push_back({f.filename().string(), f, ItemKind::Ecg, 1});
    } else if (imaging::looksLikeDicom(f)) {
      ++dicomFolders[f.parent_path()];
    }
  }
  for (const auto& [folder, count] : dicomFolders) {
    items.insert(items.begin(), {folder.filename().string(), folder, ItemKind::Series, count});
  }
  return items;
}

// [SECTION] Fonts and scaling
const ImWchar* glyphRanges() {
  // Latin-1, Latin Extended-A (œ), general punctuation (’ …), € and
  // mathematical signs we show (≤ ≥).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2000, 0x206F,
                                   0x20AC, 0x20AC, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
  return ranges;
}

fs::path findFont(const fs::path& assetsDir) {
  const fs::path candidates[] = {
      assetsDir / "fonts" / "DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  };
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c;
  }
  return {};
}

void setUpStyle(float scale, const fs::path& assetsDir) {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is ours; user settings go elsewhere
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0.0f;
  style.ScaleAllSizes(scale);
  const fs::path font = findFont(assetsDir);
  if (!font.empty()) {
    io.Fonts->AddFontFromFileTTF(font.c_str(), std::round(15.0f * scale), nullptr, glyphRanges());
  } else {
    std::fprintf(stderr, "[ui] DejaVuSans.ttf not found (install fonts-dejavu-core); accents may not show\n");
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * scale);
    io.Fonts->AddFontDefault(&config);
  }
}

// [SECTION] Viewport
struct Viewport {
  std::unique_ptr<render::ImageRenderer> renderer;
  std::unique_ptr<render::OffscreenTarget> target;
  render::ImageViewParams params;
  imaging::DisplayFrame frame;
  std::string error;
  bool loaded = false;

  void resetView() {
    params = render::ImageViewParams{};
    params.window = frame.defaultWindow();
  }
};

void handleViewportInput(Viewport& vp, ImVec2 size) {
  ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsItemHovered() || !vp.loaded) return;
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
  const ImVec2 size = ImGui::GetContentRegionAvail();
  const int w = std::max(1, static_cast<int>(size.x));
  const int h = std::max(1, static_cast<int>(size.y));
  if (!vp.loaded) {
    ImGui::TextWrapped("%s", vp.error.empty() ? tr("viewport.none") : vp.error.c_str());
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
  // Overlay: window and zoom, bottom-left.
  char text[128];
  if (vp.frame.image.format == imaging::PixelFormat::Gray32F) {
    std::snprintf(text, sizeof text, "%s %.0f / %.0f %s", tr("viewport.window"), vp.params.window.center,
                  vp.params.window.width, vp.frame.units.c_str());
  } else {
    std::snprintf(text, sizeof text, "%dx%d", vp.frame.image.width, vp.frame.image.height);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  dl->AddText(ImVec2(origin.x + 6, origin.y + size.y - 2 * line), IM_COL32(255, 255, 120, 255), text);
  std::snprintf(text, sizeof text, "%s %s", tr("viewport.zoom"),
                vp.params.pixelExact ? "1:1" : (std::to_string(static_cast<int>(vp.params.zoom * 100)) + " %").c_str());
  dl->AddText(ImVec2(origin.x + 6, origin.y + size.y - line), IM_COL32(255, 255, 120, 255), text);
}

void handleKeys(Viewport& vp) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || !vp.loaded) return;
  // ImGui 1.86 (Debian) indexes keys by GLFW key code.
  for (int i = 0; i < 5; ++i) {
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + i)) {
      const WindowPreset& p = kWindowPresets[static_cast<std::size_t>(i)];
      vp.params.window = imaging::Window{p.center, p.width, p.name};
    }
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) vp.resetView();
  if (ImGui::IsKeyPressed(GLFW_KEY_I)) vp.params.invert = !vp.params.invert;
}

void loadItem(Viewport& vp, const BrowserItem& item) {
  auto frame = imaging::loadDisplayFrame(item.path, 0);
  if (!frame) {
    vp.loaded = false;
    vp.error = frame.error().message;
    return;
  }
  vp.frame = std::move(frame).value();
  try {
    vp.renderer->setFrame(vp.frame);
    vp.loaded = true;
    vp.error.clear();
    vp.resetView();
  } catch (const std::exception& e) {
    vp.loaded = false;
    vp.error = e.what();
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

  std::vector<BrowserItem> items = scanInput(options.open);
  int selected = -1;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].kind == ItemKind::Series || items[i].kind == ItemKind::Photo) {
      selected = static_cast<int>(i);
      loadItem(viewport, items[i]);
      break;
    }
  }

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
        if (ImGui::MenuItem(tr("menu.file.demo"))) {
          items = scanInput(options.assetsDir / "demo");
          selected = -1;
        }
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
      if (items.empty()) ImGui::TextUnformatted(tr("browser.empty"));
      for (std::size_t i = 0; i < items.size(); ++i) {
        const BrowserItem& item = items[i];
        const char* icon = item.kind == ItemKind::Series ? "[DICOM]" : item.kind == ItemKind::Photo ? "[Photo]"
                           : item.kind == ItemKind::Ecg  ? "[ECG]"   : "[?]";
        std::string label = std::string(icon) + " " + item.label;
        if (item.count > 1) label += " (" + std::to_string(item.count) + ")";
        if (ImGui::Selectable(label.c_str(), selected == static_cast<int>(i))) {
          selected = static_cast<int>(i);
          loadItem(viewport, item);
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

  viewport = Viewport{};  // GL objects go before the context
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace confrere::ui
