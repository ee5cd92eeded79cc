#include "text_overlay.h"

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <stdexcept>

#include "fonts.h"

namespace confrere::ui {

TextOverlay::TextOverlay(const std::filesystem::path& assetsDir, float pixelSize) {
  m_previous = ImGui::GetCurrentContext();
  m_context = ImGui::CreateContext();
  ImGui::SetCurrentContext(m_context);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  loadUiFont(assetsDir, pixelSize);
  if (!ImGui_ImplOpenGL3_Init("#version 330 core")) {
    ImGui::DestroyContext(m_context);
    ImGui::SetCurrentContext(m_previous);
    throw std::runtime_error("text overlay: the OpenGL backend did not start");
  }
  m_lineHeight = pixelSize * 1.15f;
  ImGui::SetCurrentContext(m_previous);
}

TextOverlay::~TextOverlay() {
  ImGui::SetCurrentContext(m_context);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext(m_context);
  ImGui::SetCurrentContext(m_previous == m_context ? nullptr : m_previous);
}

void TextOverlay::draw(int width, int height, const std::vector<TextItem>& items) {
  ImGui::SetCurrentContext(m_context);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
  io.DeltaTime = 1.0f / 60.0f;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  for (const TextItem& item : items) {
    const ImVec2 size = ImGui::CalcTextSize(item.text.c_str());
    float x = item.x;
    if (item.align == TextAlign::Right) x -= size.x;
    if (item.align == TextAlign::Centre) x -= size.x / 2;
    const ImU32 colour = ImGui::ColorConvertFloat4ToU32(ImVec4(item.rgba[0], item.rgba[1], item.rgba[2], item.rgba[3]));
    if (item.shadow) {
      const ImU32 dark = IM_COL32(0, 0, 0, 200);
      for (const ImVec2 d : {ImVec2(1, 1), ImVec2(-1, 1), ImVec2(1, -1), ImVec2(-1, -1)}) {
        dl->AddText(ImVec2(x + d.x, item.y + d.y), dark, item.text.c_str());
      }
    }
    dl->AddText(ImVec2(x, item.y), colour, item.text.c_str());
  }
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  ImGui::SetCurrentContext(m_previous);
}

}  // namespace confrere::ui
