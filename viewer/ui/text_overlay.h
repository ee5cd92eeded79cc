// Text drawn over a rendered image outside the interactive window (headless
// render, screenshots): its own Dear ImGui context and font, so labels look
// the same as in the window. GL thread only; a context must be current.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

struct ImGuiContext;

namespace confrere::ui {

enum class TextAlign { Left, Right, Centre };

struct TextItem {
  float x = 0;  // pixels, top of the text
  float y = 0;
  std::string text;
  TextAlign align = TextAlign::Left;
  std::array<float, 4> rgba{1.0f, 1.0f, 0.55f, 1.0f};
  bool shadow = true;  // dark outline for legibility on images
};

class TextOverlay {
 public:
  // Throws std::runtime_error when the OpenGL backend cannot start.
  TextOverlay(const std::filesystem::path& assetsDir, float pixelSize);
  ~TextOverlay();
  TextOverlay(const TextOverlay&) = delete;
  TextOverlay& operator=(const TextOverlay&) = delete;

  // Draws the items into the bound framebuffer of size width x height.
  void draw(int width, int height, const std::vector<TextItem>& items);
  float lineHeight() const { return m_lineHeight; }

 private:
  ImGuiContext* m_context = nullptr;
  ImGuiContext* m_previous = nullptr;
  float m_lineHeight = 14.0f;
};

}  // namespace confrere::ui
