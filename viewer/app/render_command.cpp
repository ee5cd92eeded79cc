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
#include "confrere/imaging/media.h"
#include "confrere/imaging/volume.h"

#include <algorithm>
#include <cmath>

namespace confrere::app {

namespace {

// A folder, DICOMDIR or zip: the chosen (or first greyscale) series, loaded
// as a volume, and the slice asked for (the middle one by default).
Result<imaging::DisplayFrame> frameFromSeries(const RenderOptions& options) {
  auto catalog = imaging::scanMedia(options.input);
  if (!catalog) return catalog.error();
  const auto series = imaging::assembleSeries(catalog->objects);
  const imaging::SeriesVolume* chosen = nullptr;
  std::string known;
  for (const auto& v : series) {
    known += (known.empty() ? "" : ", ") + v.seriesUid;
    if (options.seriesUid.empty() ? (!v.colour && chosen == nullptr) : v.seriesUid == options.seriesUid) {
      if (chosen == nullptr) chosen = &v;
    }
  }
  if (chosen == nullptr) {
    if (!options.seriesUid.empty()) {
      return makeError(ErrorCode::NotFound, options.input.string() + ": no series " + options.seriesUid +
                                                " (found: " + (known.empty() ? "none" : known) + ")");
    }
    if (!catalog->objects.empty()) {
      // No greyscale series: the first photo or image object as it is.
      return imaging::loadDisplayFrame(catalog->objects.front().path, options.frame);
    }
    return makeError(ErrorCode::NotFound, options.input.string() + ": no image found" +
                                              (catalog->errors.empty() ? "" : " (" + catalog->errors.front().reason + ")"));
  }
  if (chosen->colour) {
    const auto& ref = chosen->slices.at(static_cast<std::size_t>(std::clamp(options.slice.value_or(0), 0, chosen->dims[2] - 1)));
    return imaging::loadDisplayFrame(catalog->objects[ref.object].path, ref.frame);
  }
  int z = options.slice.value_or(chosen->dims[2] / 2);
  if (options.positionMm) {
    double best = 1e300;
    for (std::size_t i = 0; i < chosen->slices.size(); ++i) {
      const double d = std::abs(chosen->slices[i].positionMm - *options.positionMm);
      if (d < best) {
        best = d;
        z = static_cast<int>(i);
      }
    }
  }
  if (z < 0 || z >= chosen->dims[2]) {
    return makeError(ErrorCode::InvalidArgument, "--slice " + std::to_string(z) + " out of range: the series has " +
                                                     std::to_string(chosen->dims[2]) + " slices (0.." +
                                                     std::to_string(chosen->dims[2] - 1) + ")");
  }
  auto volume = imaging::loadVolume(*chosen, catalog->objects);
  if (!volume) return volume.error();
  return volume.value()->sliceFrame(z);
}

}  // namespace

int runRender(const RenderOptions& options) {
  std::error_code ec;
  const bool collection = std::filesystem::is_directory(options.input, ec) ||
                          options.input.filename() == "DICOMDIR" || options.input.extension() == ".zip";
  auto frame = collection ? frameFromSeries(options) : imaging::loadDisplayFrame(options.input, options.frame);
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
