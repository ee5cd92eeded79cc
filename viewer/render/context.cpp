#include "context.h"

#include <epoxy/egl.h>
#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

namespace confrere::render {
namespace {

std::string g_glfwError;

void glfwErrorCallback(int code, const char* description) {
  g_glfwError = "GLFW error " + std::to_string(code) + ": " + (description != nullptr ? description : "");
}

bool hasDisplay() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x != nullptr && *x != '\0') || (w != nullptr && *w != '\0');
}

void GLAPIENTRY glDebugCallback(GLenum /*source*/, GLenum type, GLuint /*id*/, GLenum severity, GLsizei /*length*/,
                                const GLchar* message, const void* /*user*/) {
  if (severity == GL_DEBUG_SEVERITY_NOTIFICATION) {
    return;
  }
  std::fprintf(stderr, "[render] GL %s: %s\n", type == GL_DEBUG_TYPE_ERROR ? "error" : "debug", message);
}

}  // namespace

HeadlessDisplay::HeadlessDisplay() {
  if (hasDisplay() || (std::getenv("CONFRERE_GL") != nullptr && std::string(std::getenv("CONFRERE_GL")) == "egl")) {
    return;
  }
  int fds[2];
  if (pipe(fds) != 0) {
    m_problem = std::string("pipe: ") + std::strerror(errno);
    return;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    m_problem = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (pid == 0) {
    close(fds[0]);
    const std::string fd = std::to_string(fds[1]);
    // Silence the server's chatter; errors show as a missing display number.
    if (std::FILE* devnull = std::fopen("/dev/null", "w"); devnull != nullptr) {
      dup2(fileno(devnull), STDERR_FILENO);
      dup2(fileno(devnull), STDOUT_FILENO);
    }
    execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
           "+extension", "GLX", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string number;
  pollfd pfd{fds[0], POLLIN, 0};
  // Xvfb writes the display number followed by a newline once it is ready.
  for (int waited = 0; waited < 10000;) {
    const int r = poll(&pfd, 1, 100);
    waited += 100;
    if (r > 0) {
      char c = 0;
      const ssize_t n = read(fds[0], &c, 1);
      if (n <= 0) break;
      if (c == '\n') break;
      number += c;
    } else if (waitpid(pid, nullptr, WNOHANG) == pid) {
      break;
    }
  }
  close(fds[0]);
  if (number.empty()) {
    m_problem = "no display, and Xvfb could not be started (install the xvfb package, or set DISPLAY)";
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    return;
  }
  m_pid = pid;
  setenv("DISPLAY", (":" + number).c_str(), 1);
}

HeadlessDisplay::~HeadlessDisplay() {
  if (m_pid > 0) {
    kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
    unsetenv("DISPLAY");
  }
}

GlContext::GlContext(const ContextOptions& options) {
  const char* requested = std::getenv("CONFRERE_GL");
  if (options.egl || (!options.visible && requested != nullptr && std::string(requested) == "egl")) {
    // First EGL device (the GPU), surfaceless OpenGL 3.3 core context.
    EGLDeviceEXT devices[8];
    EGLint count = 0;
    // EGL_EXT_device_base (NVIDIA) includes device enumeration.
    const bool enumeration = epoxy_has_egl_extension(EGL_NO_DISPLAY, "EGL_EXT_device_enumeration") ||
                             epoxy_has_egl_extension(EGL_NO_DISPLAY, "EGL_EXT_device_base");
    if (!enumeration ||
        eglQueryDevicesEXT(8, devices, &count) == EGL_FALSE || count < 1) {
      throw std::runtime_error("CONFRERE_GL=egl: no EGL device found");
    }
    EGLDisplay display = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, devices[0], nullptr);
    EGLint major = 0;
    EGLint minor = 0;
    if (display == EGL_NO_DISPLAY || eglInitialize(display, &major, &minor) == EGL_FALSE) {
      throw std::runtime_error("CONFRERE_GL=egl: cannot initialise the EGL device display");
    }
    eglBindAPI(EGL_OPENGL_API);
    const EGLint configAttributes[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint configs = 0;
    eglChooseConfig(display, configAttributes, &config, 1, &configs);
    const EGLint contextAttributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    EGLContext context = eglCreateContext(display, configs > 0 ? config : nullptr, EGL_NO_CONTEXT, contextAttributes);
    if (context == EGL_NO_CONTEXT || eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context) == EGL_FALSE) {
      throw std::runtime_error("CONFRERE_GL=egl: cannot create a surfaceless OpenGL 3.3 core context");
    }
    m_eglDisplay = display;
    m_eglContext = context;
    // A framebuffer must be bound for drawing without a surface: callers
    // render into their own offscreen targets.
    return;
  }
  glfwSetErrorCallback(glfwErrorCallback);
  if (glfwInit() != GLFW_TRUE) {
    throw std::runtime_error("cannot initialise the window system: " + g_glfwError);
  }
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, options.debug ? GLFW_TRUE : GLFW_FALSE);
  m_window = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (m_window == nullptr) {
    glfwTerminate();
    throw std::runtime_error("cannot create an OpenGL 3.3 core context: " + g_glfwError);
  }
  makeCurrent();
  if (options.debug && epoxy_has_gl_extension("GL_KHR_debug")) {
    glEnable(GL_DEBUG_OUTPUT);
    glDebugMessageCallback(glDebugCallback, nullptr);
  }
}

GlContext::~GlContext() {
  if (m_eglDisplay != nullptr) {
    eglMakeCurrent(m_eglDisplay, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(m_eglDisplay, m_eglContext);
    eglTerminate(m_eglDisplay);
    return;
  }
  if (m_window != nullptr) {
    glfwDestroyWindow(m_window);
  }
  glfwTerminate();
}

void GlContext::makeCurrent() const {
  if (m_eglDisplay != nullptr) {
    eglMakeCurrent(m_eglDisplay, EGL_NO_SURFACE, EGL_NO_SURFACE, m_eglContext);
    return;
  }
  glfwMakeContextCurrent(m_window);
}

std::string GlContext::rendererName() const {
  const auto* name = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  return name != nullptr ? name : "unknown";
}

}  // namespace confrere::render
