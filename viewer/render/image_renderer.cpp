#include "image_renderer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace confrere::render {

ImageRenderer::ImageRenderer(ShaderLibrary& shaders)
    : m_program(shaders.program("image.vert", "image.frag")), m_vao(makeVertexArray()), m_vbo(makeBuffer()) {
  static constexpr float kQuad[] = {0.f, 0.f, 1.f, 0.f, 0.f, 1.f, 1.f, 1.f};
  glBindVertexArray(m_vao.id());
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo.id());
  glBufferData(GL_ARRAY_BUFFER, sizeof(kQuad), kQuad, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
  glBindVertexArray(0);
}

void ImageRenderer::setFrame(const imaging::DisplayFrame& frame) {
  const imaging::Image& image = frame.image;
  if (image.empty()) {
    throw std::runtime_error("ImageRenderer::setFrame: empty image");
  }
  GLint maxSize = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &maxSize);
  if (image.width > maxSize || image.height > maxSize) {
    throw std::runtime_error("image " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                             " exceeds this GPU's texture limit of " + std::to_string(maxSize));
  }
  if (!m_texture) {
    m_texture = makeTexture();
  }
  glBindTexture(GL_TEXTURE_2D, m_texture.id());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  switch (image.format) {
    case imaging::PixelFormat::Gray32F:
      glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, image.width, image.height, 0, GL_RED, GL_FLOAT, image.bytes.data());
      break;
    case imaging::PixelFormat::Rgb8:
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, image.width, image.height, 0, GL_RGB, GL_UNSIGNED_BYTE,
                   image.bytes.data());
      break;
    case imaging::PixelFormat::Rgba8:
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                   image.bytes.data());
      break;
  }
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
  m_width = image.width;
  m_height = image.height;
  m_grey = image.format == imaging::PixelFormat::Gray32F;
  m_monochrome1 = frame.monochrome1;
  m_pixelAspect = 1.0;
  if (frame.rowSpacingMm && frame.columnSpacingMm && *frame.rowSpacingMm > 0 && *frame.columnSpacingMm > 0) {
    m_pixelAspect = *frame.rowSpacingMm / *frame.columnSpacingMm;
  }
}

std::array<float, 9> ImageRenderer::transform(int width, int height, const ImageViewParams& p) const {
  const int turns = ((p.rotateQuarterTurns % 4) + 4) % 4;
  const bool swapped = (turns % 2) == 1;
  const double imageW = m_width;
  const double imageH = m_height * m_pixelAspect;
  double scale = 1.0;
  if (!p.pixelExact) {
    const double fitW = swapped ? imageH : imageW;
    const double fitH = swapped ? imageW : imageH;
    scale = std::min(width / fitW, height / fitH) * std::max(p.zoom, 1e-6);
  }
  // Image UV -> centred pixels (x right, y down), flips applied.
  const double sx = imageW * scale * (p.flipHorizontal ? -1.0 : 1.0);
  const double sy = imageH * scale * (p.flipVertical ? -1.0 : 1.0);
  // Clockwise quarter turns in a y-down frame: (x, y) -> (-y, x).
  static constexpr int kCos[] = {1, 0, -1, 0};
  static constexpr int kSin[] = {0, 1, 0, -1};
  const double c = kCos[turns];
  const double s = kSin[turns];
  // pixel = R * diag(sx, sy) * (uv - 0.5) + pan ; clip = (2 px / W, -2 py / H)
  const double ax = 2.0 / width;
  const double ay = -2.0 / height;
  const double m00 = ax * c * sx;
  const double m01 = ax * -s * sy;
  const double m10 = ay * s * sx;
  const double m11 = ay * c * sy;
  const double tx = ax * p.panX - (m00 + m01) * 0.5;
  const double ty = ay * p.panY - (m10 + m11) * 0.5;
  // Column-major mat3.
  return {static_cast<float>(m00), static_cast<float>(m10), 0.f,
          static_cast<float>(m01), static_cast<float>(m11), 0.f,
          static_cast<float>(tx),  static_cast<float>(ty),  1.f};
}

void ImageRenderer::draw(int x, int y, int width, int height, const ImageViewParams& p) const {
  if (!m_texture || width <= 0 || height <= 0) {
    return;
  }
  glViewport(x, y, width, height);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_FRAMEBUFFER_SRGB);  // shader output is already display-encoded
  m_program.use();
  const auto m = transform(width, height, p);
  glUniformMatrix3fv(m_program.uniform("u_transform"), 1, GL_FALSE, m.data());
  glUniform1i(m_program.uniform("u_image"), 0);
  glUniform1i(m_program.uniform("u_mode"), m_grey ? 0 : 1);
  glUniform1f(m_program.uniform("u_center"), static_cast<float>(p.window.center));
  glUniform1f(m_program.uniform("u_width"), static_cast<float>(p.window.width));
  glUniform1i(m_program.uniform("u_invert"), (m_grey && m_monochrome1) != p.invert ? 1 : 0);
  glUniform1f(m_program.uniform("u_brightness"), p.brightness);
  glUniform1f(m_program.uniform("u_contrast"), p.contrast);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, m_texture.id());
  const GLint filter = p.smooth && !p.pixelExact ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glBindVertexArray(m_vao.id());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glUseProgram(0);
}

}  // namespace confrere::render
