#include "offscreen.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace confrere::render {

OffscreenTarget::OffscreenTarget(int width, int height)
    : m_width(width), m_height(height), m_fbo(makeFramebuffer()), m_color(makeTexture()) {
  GLint maxSize = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
  if (width <= 0 || height <= 0 || width > maxSize || height > maxSize) {
    throw std::runtime_error("output size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is outside 1.." + std::to_string(maxSize) + " on this GPU");
  }
  glBindTexture(GL_TEXTURE_2D, m_color.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo.id());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_color.id(), 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("offscreen framebuffer incomplete (status 0x" + std::to_string(status) + ")");
  }
}

void OffscreenTarget::bind() const { glBindFramebuffer(GL_FRAMEBUFFER, m_fbo.id()); }

imaging::Image OffscreenTarget::read() const {
  bind();
  imaging::Image image = readPixels(0, 0, m_width, m_height);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  return image;
}

imaging::Image readPixels(int x, int y, int width, int height) {
  imaging::Image image = imaging::Image::allocate(width, height, imaging::PixelFormat::Rgba8);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glPixelStorei(GL_PACK_ROW_LENGTH, 0);
  glReadPixels(x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, image.bytes.data());
  // GL rows go bottom-up; images here go top-down.
  const std::size_t row = image.rowBytes();
  std::vector<std::uint8_t> tmp(row);
  for (int r = 0; r < height / 2; ++r) {
    std::uint8_t* a = image.bytes.data() + static_cast<std::size_t>(r) * row;
    std::uint8_t* b = image.bytes.data() + static_cast<std::size_t>(height - 1 - r) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  return image;
}

}  // namespace confrere::render
