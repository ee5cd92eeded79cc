// Draws one 2D image (a DICOM frame or a photo) into the current viewport:
// VOI windowing in the fragment shader, zoom, pan, flip, rotate, invert.
// GL thread only; a context must be current for every call.
#pragma once

#include <array>

#include "confrere/imaging/image.h"
#include "gl.h"
#include "shader_library.h"

namespace confrere::render {

// How an image sits in its viewport. Plain data, owned by the view state.
struct ImageViewParams {
  double zoom = 1.0;         // 1 = fit the viewport (keeping aspect); 2 = twice that
  bool pixelExact = false;   // true: one image pixel per viewport pixel (1:1), zoom ignored
  double panX = 0.0;         // viewport pixels, right positive
  double panY = 0.0;         // viewport pixels, down positive
  bool flipHorizontal = false;
  bool flipVertical = false;
  int rotateQuarterTurns = 0;  // clockwise
  bool invert = false;         // user invert, on top of MONOCHROME1
  imaging::Window window;      // greyscale only
  float brightness = 0.0f;     // colour only, -1..1
  float contrast = 1.0f;       // colour only, > 0
  bool smooth = true;          // linear interpolation when magnified
};

class ImageRenderer {
 public:
  explicit ImageRenderer(ShaderLibrary& shaders);

  // Uploads the frame to a texture (float for greyscale, RGB8 for colour,
  // kept sRGB-encoded end to end: no linearisation, no re-encoding).
  // Throws std::runtime_error if the image exceeds GL_MAX_TEXTURE_SIZE.
  void setFrame(const imaging::DisplayFrame& frame);
  bool hasFrame() const { return static_cast<bool>(m_texture); }

  // Draws into the viewport (x, y, width, height) in framebuffer pixels of
  // the currently bound framebuffer. Sets every GL state it needs.
  void draw(int x, int y, int width, int height, const ImageViewParams& params) const;

  // The column-major 3x3 matrix that maps image UV [0,1]^2 (u = column,
  // v = row, top-left origin) to clip space for a viewport of that size.
  // Exposed for tests and for overlays that must follow the image.
  std::array<float, 9> transform(int width, int height, const ImageViewParams& params) const;

 private:
  const Program& m_program;
  VertexArray m_vao;
  Buffer m_vbo;
  Texture m_texture;
  int m_width = 0;
  int m_height = 0;
  double m_pixelAspect = 1.0;  // displayed height / width of one pixel
  bool m_grey = true;
  bool m_monochrome1 = false;
};

}  // namespace confrere::render
