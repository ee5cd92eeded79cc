// Window-system plumbing: a GLFW window with an OpenGL 3.3 core context, and
// an X server of our own (Xvfb) when the shell has no display, so headless
// rendering works anywhere Xvfb and Mesa are installed.
#pragma once

#include <memory>
#include <string>

struct GLFWwindow;

namespace confrere::render {

// Starts `Xvfb` on a free display and sets DISPLAY when none is set; the
// server stops when the object is destroyed. Does nothing when DISPLAY or
// WAYLAND_DISPLAY is already set.
class HeadlessDisplay {
 public:
  HeadlessDisplay();
  ~HeadlessDisplay();
  HeadlessDisplay(const HeadlessDisplay&) = delete;
  HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;

  bool started() const { return m_pid > 0; }
  // Why no display could be provided (empty when one is available).
  const std::string& problem() const { return m_problem; }

 private:
  int m_pid = -1;
  std::string m_problem;
};

struct ContextOptions {
  int width = 1280;
  int height = 800;
  bool visible = true;
  std::string title = "Confrère";
  bool debug = false;  // GL debug output (KHR_debug) when available
  // Headless on a GPU without any X server: an EGL device context (NVIDIA or
  // Mesa), no window. Chosen for hidden contexts when CONFRERE_GL=egl.
  bool egl = false;
};

// Owns GLFW (initialised once per process) and one window + context.
// Throws std::runtime_error with GLFW's own description when no context can
// be made (no display, no OpenGL 3.3).
class GlContext {
 public:
  explicit GlContext(const ContextOptions& options);
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  GLFWwindow* window() const { return m_window; }  // null for EGL contexts
  void makeCurrent() const;
  std::string rendererName() const;  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"

 private:
  GLFWwindow* m_window = nullptr;
  void* m_eglDisplay = nullptr;
  void* m_eglContext = nullptr;
};

}  // namespace confrere::render
