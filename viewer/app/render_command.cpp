#include "render_command.h"

#include <cstdio>
#include <exception>

#include "../render/context.h"
#include "../render/image_renderer.h"
#include "../render/offscreen.h"
#include "../render/shader_library.h"
#include "../ui/window_presets.h"
#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"

namespace confrere::app {

int runRender(const RenderOptions& options) {
  auto frame = imaging::loadDisplayFrame(options.input, options.frame);
  if (!frame) {
    std::fprintf(stderr, "confrere render: %s\n", frame.error().message.c_str());
    return 1;
  }
  render::ImageViewParams params;
  params.window = frame->defaultWindow();
  if (!options.preset.empty()) {
    bool found = false;
    std::string names;
    for (const auto& p : ui::kWindowPresets) {
      names += std::string(names.empty() ? "" : ", ") + p.name;
      if (options.preset == p.name) {
        params.window = imaging::Window{p.center, p.width, p.name};
        found = true;
      }
    }
    if (!found) {
      std::fprintf(stderr, "confrere render: unknown preset '%s' (valid: %s)\n", options.preset.c_str(), names.c_str());
      return 2;
    }
  }
  if (options.windowCenter && options.windowWidth) {
    if (*options.windowWidth < 1.0) {
      std::fprintf(stderr, "confrere render: window width must be >= 1 (got %g)\n", *options.windowWidth);
      return 2;
    }
    params.window = imaging::Window{*options.windowCenter, *options.windowWidth, "user"};
  }
  params.pixelExact = options.width == frame->image.width && options.height == frame->image.height;

  try {
    render::HeadlessDisplay display;
    if (!display.problem().empty()) {
      std::fprintf(stderr, "confrere render: %s\n", display.problem().c_str());
      return 1;
    }
    render::ContextOptions ctxOptions;
    ctxOptions.width = 64;
    ctxOptions.height = 64;
    ctxOptions.visible = false;
    render::GlContext context(ctxOptions);
    {
      render::ShaderLibrary shaders;
      render::ImageRenderer renderer(shaders);
      renderer.setFrame(frame.value());
      render::OffscreenTarget target(options.width, options.height);
      target.bind();
      glViewport(0, 0, options.width, options.height);
      glClearColor(0.f, 0.f, 0.f, 1.f);
      glClear(GL_COLOR_BUFFER_BIT);
      renderer.draw(0, 0, options.width, options.height, params);
      const imaging::Image pixels = target.read();
      const auto written = imaging::writePng(options.output, pixels);
      if (!written) {
        std::fprintf(stderr, "confrere render: %s\n", written.error().message.c_str());
        return 1;
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "confrere render: %s: %s\n", options.input.c_str(), e.what());
    return 1;
  }
  return 0;
}

}  // namespace confrere::app
