#include "gl.h"

#include <regex>
#include <stdexcept>
#include <vector>

namespace confrere::render {

void deleteTexture(GLuint id) { glDeleteTextures(1, &id); }
void deleteBuffer(GLuint id) { glDeleteBuffers(1, &id); }
void deleteVertexArray(GLuint id) { glDeleteVertexArrays(1, &id); }
void deleteFramebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void deleteRenderbuffer(GLuint id) { glDeleteRenderbuffers(1, &id); }
void deleteProgram(GLuint id) { glDeleteProgram(id); }

Texture makeTexture() {
  GLuint id = 0;
  glGenTextures(1, &id);
  return Texture(id);
}
Buffer makeBuffer() {
  GLuint id = 0;
  glGenBuffers(1, &id);
  return Buffer(id);
}
VertexArray makeVertexArray() {
  GLuint id = 0;
  glGenVertexArrays(1, &id);
  return VertexArray(id);
}
Framebuffer makeFramebuffer() {
  GLuint id = 0;
  glGenFramebuffers(1, &id);
  return Framebuffer(id);
}
Renderbuffer makeRenderbuffer() {
  GLuint id = 0;
  glGenRenderbuffers(1, &id);
  return Renderbuffer(id);
}

int firstErrorLine(std::string_view log) {
  static const std::regex mesa(R"((\d+):(\d+)\((\d+)\))");  // 0:LINE(COL)
  static const std::regex other(R"(ERROR:\s*(\d+):(\d+))");  // ERROR: 0:LINE
  std::match_results<std::string_view::const_iterator> m;
  int line = 0;
  if (std::regex_search(log.begin(), log.end(), m, mesa)) {
    line = std::stoi(m[2].str());
  } else if (std::regex_search(log.begin(), log.end(), m, other)) {
    line = std::stoi(m[2].str());
  }
  return line;
}

namespace {

std::string shaderLog(GLuint shader) {
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
  glGetShaderInfoLog(shader, length, nullptr, log.data());
  return std::string(log.data());
}

GLuint compile(GLenum stage, std::string_view name, std::string_view source) {
  const GLuint shader = glCreateShader(stage);
  // #version goes first, then a #line so that driver line numbers match ours.
  const std::string header = std::string(kGlslVersion) + "#line 1\n";
  const char* parts[] = {header.data(), source.data()};
  const GLint lengths[] = {static_cast<GLint>(header.size()), static_cast<GLint>(source.size())};
  glShaderSource(shader, 2, parts, lengths);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string log = shaderLog(shader);
    glDeleteShader(shader);
    // "#line 1" after #version makes the driver count lines as in our file.
    const int line = firstErrorLine(log);
    throw ShaderError("shader compile error in shaders/" + std::string(name) + " (" +
                      (stage == GL_VERTEX_SHADER ? "vertex" : "fragment") + " stage), line " + std::to_string(line) +
                      ":\n" + log);
  }
  return shader;
}

}  // namespace

Program::Program(std::string_view vertexName, std::string_view vertexSource, std::string_view fragmentName,
                 std::string_view fragmentSource) {
  const GLuint vs = compile(GL_VERTEX_SHADER, vertexName, vertexSource);
  GLuint fs = 0;
  try {
    fs = compile(GL_FRAGMENT_SHADER, fragmentName, fragmentSource);
  } catch (...) {
    glDeleteShader(vs);
    throw;
  }
  ProgramHandle program(glCreateProgram());
  glAttachShader(program.id(), vs);
  glAttachShader(program.id(), fs);
  glLinkProgram(program.id());
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = GL_FALSE;
  glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetProgramiv(program.id(), GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
    glGetProgramInfoLog(program.id(), length, nullptr, log.data());
    throw ShaderError("shader link error for shaders/" + std::string(vertexName) + " + shaders/" +
                      std::string(fragmentName) + ":\n" + log.data());
  }
  m_program = std::move(program);
}

void Program::use() const { glUseProgram(m_program.id()); }

GLint Program::uniform(const char* name) const { return glGetUniformLocation(m_program.id(), name); }

}  // namespace confrere::render
