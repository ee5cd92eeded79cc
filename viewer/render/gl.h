// Move-only RAII wrappers over OpenGL objects. Handle 0 means empty; moving
// leaves the source empty. Objects must be destroyed on the GL thread with
// the owning context current. The only place outside viewer/render/ that may
// see GL types is nowhere: panels and tools talk to render classes.
#pragma once

#include <epoxy/gl.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace confrere::render {

template <void (*Delete)(GLuint)>
class GlHandle {
 public:
  GlHandle() = default;
  explicit GlHandle(GLuint id) : m_id(id) {}
  GlHandle(const GlHandle&) = delete;
  GlHandle& operator=(const GlHandle&) = delete;
  GlHandle(GlHandle&& other) noexcept : m_id(std::exchange(other.m_id, 0)) {}
  GlHandle& operator=(GlHandle&& other) noexcept {
    if (this != &other) {
      reset();
      m_id = std::exchange(other.m_id, 0);
    }
    return *this;
  }
  ~GlHandle() { reset(); }

  GLuint id() const { return m_id; }
  explicit operator bool() const { return m_id != 0; }
  void reset() {
    if (m_id != 0) {
      Delete(m_id);
      m_id = 0;
    }
  }

 private:
  GLuint m_id = 0;
};

void deleteTexture(GLuint id);
void deleteBuffer(GLuint id);
void deleteVertexArray(GLuint id);
void deleteFramebuffer(GLuint id);
void deleteRenderbuffer(GLuint id);
void deleteProgram(GLuint id);

using Texture = GlHandle<deleteTexture>;
using Buffer = GlHandle<deleteBuffer>;
using VertexArray = GlHandle<deleteVertexArray>;
using Framebuffer = GlHandle<deleteFramebuffer>;
using Renderbuffer = GlHandle<deleteRenderbuffer>;
using ProgramHandle = GlHandle<deleteProgram>;

Texture makeTexture();
Buffer makeBuffer();
VertexArray makeVertexArray();
Framebuffer makeFramebuffer();
Renderbuffer makeRenderbuffer();

// Shader compile/link failure: names the file, the stage, the first line the
// driver complains about, and the whole driver log.
class ShaderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A linked program. `vertexName`/`fragmentName` are the shaders/ file names,
// used in error messages. The sources must not carry #version: it is
// injected here, in one place.
class Program {
 public:
  Program() = default;
  Program(std::string_view vertexName, std::string_view vertexSource, std::string_view fragmentName,
          std::string_view fragmentSource);

  GLuint id() const { return m_program.id(); }
  void use() const;
  GLint uniform(const char* name) const;

 private:
  ProgramHandle m_program;
};

inline constexpr std::string_view kGlslVersion = "#version 330 core\n";

// Extracts the line of the first error from a driver log such as
// "0:12(5): error: ..." (Mesa) or "ERROR: 0:12: ..." (others). Sources are
// compiled with "#line 1" after the injected #version, so this is the line in
// our file. Returns 0 when none is found. Exposed for tests.
int firstErrorLine(std::string_view driverLog);

}  // namespace confrere::render
