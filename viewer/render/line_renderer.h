// Flat-coloured 2D lines in pixel coordinates (ECG grid and traces, caliper
// and measurement graphics). GL thread only.
#pragma once

#include <array>
#include <vector>

#include "gl.h"
#include "shader_library.h"

namespace confrere::render {

struct Vertex2 {
  float x;
  float y;
};

class LineRenderer {
 public:
  explicit LineRenderer(ShaderLibrary& shaders);

  // Pairs of points (GL_LINES).
  void drawSegments(const std::vector<Vertex2>& points, std::array<float, 4> rgba, int width, int height);
  // One connected polyline (GL_LINE_STRIP).
  void drawPolyline(const std::vector<Vertex2>& points, std::array<float, 4> rgba, int width, int height);

 private:
  void draw(const std::vector<Vertex2>& points, GLenum mode, std::array<float, 4> rgba, int width, int height);
  const Program& m_program;
  VertexArray m_vao;
  Buffer m_vbo;
};

}  // namespace confrere::render
