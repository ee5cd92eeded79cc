// An RGBA8 framebuffer object for headless rendering and screenshots.
// GL thread only.
#pragma once

#include "confrere/imaging/image.h"
#include "gl.h"

namespace confrere::render {

class OffscreenTarget {
 public:
  // Throws std::runtime_error if the size exceeds GL_MAX_RENDERBUFFER_SIZE or
  // the framebuffer is incomplete.
  OffscreenTarget(int width, int height);

  void bind() const;  // binds it as the draw and read framebuffer
  int width() const { return m_width; }
  int height() const { return m_height; }
  GLuint colorTexture() const { return m_color.id(); }

  // Reads the pixels back, top row first (GL's bottom-up rows flipped).
  imaging::Image read() const;

 private:
  int m_width;
  int m_height;
  Framebuffer m_fbo;
  Texture m_color;
};

// Reads the currently bound read framebuffer's region (x, y, w, h) as Rgba8,
// top row first.
imaging::Image readPixels(int x, int y, int width, int height);

}  // namespace confrere::render
