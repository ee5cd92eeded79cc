#include "line_renderer.h"

namespace confrere::render {

LineRenderer::LineRenderer(ShaderLibrary& shaders)
    : m_program(shaders.program("lines.vert", "lines.frag")), m_vao(makeVertexArray()), m_vbo(makeBuffer()) {
  glBindVertexArray(m_vao.id());
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo.id());
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vertex2), nullptr);
  glBindVertexArray(0);
}

void LineRenderer::drawSegments(const std::vector<Vertex2>& points, std::array<float, 4> rgba, int width, int height) {
  draw(points, GL_LINES, rgba, width, height);
}

void LineRenderer::drawPolyline(const std::vector<Vertex2>& points, std::array<float, 4> rgba, int width, int height) {
  draw(points, GL_LINE_STRIP, rgba, width, height);
}

void LineRenderer::draw(const std::vector<Vertex2>& points, GLenum mode, std::array<float, 4> rgba, int width,
                        int height) {
  if (points.empty()) return;
  glViewport(0, 0, width, height);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  m_program.use();
  glUniform2f(m_program.uniform("u_viewport"), static_cast<float>(width), static_cast<float>(height));
  glUniform4f(m_program.uniform("u_color"), rgba[0], rgba[1], rgba[2], rgba[3]);
  glBindVertexArray(m_vao.id());
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo.id());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(points.size() * sizeof(Vertex2)), points.data(), GL_STREAM_DRAW);
  glDrawArrays(mode, 0, static_cast<GLsizei>(points.size()));
  glBindVertexArray(0);
  glUseProgram(0);
  glDisable(GL_BLEND);
}

}  // namespace confrere::render
