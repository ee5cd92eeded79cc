#include "render_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

#include "../render/context.h"
#include "../render/image_renderer.h"
#include "../render/offscreen.h"
#include "../render/shader_library.h"
#include "../render/line_renderer.h"
#include "../render/volume_renderer.h"
#include "../state/ecg_layout.h"
#include "../ui/ecg_view.h"
#include "../ui/i18n.h"
#include "../ui/image_overlay.h"
#include "../ui/text_overlay.h"
#include "../ui/window_presets.h"
#include "confrere/imaging/dicom_frame.h"
#include "confrere/imaging/image_io.h"
#include "confrere/imaging/media.h"
#include "confrere/imaging/reslice.h"
#include "confrere/imaging/volume.h"

namespace confrere::app {
namespace {

constexpr const char* kViews = "axial, coronal, sagittal, oblique, mip, minip, vr, photo, ecg";

// A hidden OpenGL context for headless output: our own Xvfb when there is no
// display (or an EGL device with CONFRERE_GL=egl).
struct HeadlessGl {
  render::HeadlessDisplay display;
  std::string problem = display.problem();
  std::unique_ptr<render::GlContext> context;
  HeadlessGl() {
    if (!problem.empty()) return;
    render::ContextOptions options;
    options.width = 64;
    options.height = 64;
    options.visible = false;
    context = std::make_unique<render::GlContext>(options);
  }
};

int fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "confrere render: %s\n", message.c_str());
  return code;
}

// What the input resolved to: a volume (for every volume view) or a frame.
struct Source {
  imaging::MediaCatalog catalog;
  const imaging::SeriesVolume* series = nullptr;
  std::vector<imaging::SeriesVolume> allSeries;
  std::shared_ptr<imaging::Volume> volume;
  std::optional<imaging::DisplayFrame> frame;
};

Result<Source> resolve(const RenderOptions& options, bool wantVolume) {
  Source src;
  auto catalog = imaging::scanMedia(options.input);
  if (!catalog) return catalog.error();
  src.catalog = std::move(catalog).value();
  src.allSeries = imaging::assembleSeries(src.catalog.objects);
  std::string known;
  for (const auto& v : src.allSeries) {
    known += (known.empty() ? "" : ", ") + v.seriesUid;
    const bool match = options.seriesUid.empty() ? !v.colour : v.seriesUid == options.seriesUid;
    if (match && src.series == nullptr) src.series = &v;
  }
  if (!options.seriesUid.empty() && src.series == nullptr) {
    return makeError(ErrorCode::NotFound, options.input.string() + ": no series " + options.seriesUid +
                                              " (found: " + (known.empty() ? "none" : known) + ")");
  }
  // Photos, colour images, cines and single images are shown as frames.
  const bool cine = src.series != nullptr && !src.series->geometryComplete && src.series->dims[2] > 1 &&
                    src.series->slices.front().object == src.series->slices.back().object;
  if (src.series == nullptr || options.view == "photo" || (cine && !wantVolume)) {
    const imaging::ObjectInfo* object = nullptr;
    for (const auto& o : src.catalog.objects) {
      if ((o.kind == imaging::ObjectKind::Photo || o.kind == imaging::ObjectKind::Image) && o.rows > 0) {
        object = &o;
        break;
      }
    }
    if (object == nullptr) {
      return makeError(ErrorCode::NotFound, options.input.string() + ": no image found" +
                                                (src.catalog.errors.empty() ? "" : " (" + src.catalog.errors.front().reason + ")"));
    }
    auto frame = imaging::loadDisplayFrame(object->path, options.frame);
    if (!frame) return frame.error();
    src.frame = std::move(frame).value();
    return src;
  }
  if (wantVolume && !src.series->geometryComplete && src.series->dims[2] > 1) {
    return makeError(ErrorCode::Unsupported, options.input.string() + ": series " + src.series->seriesUid +
                                                 " has no patient geometry: only its frames can be shown (--view axial)");
  }
  auto volume = imaging::loadVolume(*src.series, src.catalog.objects);
  if (!volume) return volume.error();
  src.volume = volume.value();
  return src;
}

int sliceIndex(const RenderOptions& options, const Source& src, int count) {
  int z = options.slice.value_or(count / 2);
  if (options.positionMm && options.view != "coronal" && options.view != "sagittal") {
    double best = 1e300;
    for (std::size_t i = 0; i < src.series->slices.size(); ++i) {
      const double d = std::abs(src.series->slices[i].positionMm - *options.positionMm);
      if (d < best) {
        best = d;
        z = static_cast<int>(i);
      }
    }
  }
  return z;
}

int renderEcg(const RenderOptions& options) {
  auto catalog = imaging::scanMedia(options.input);
  if (!catalog) return fail(catalog.error().message);
  if (catalog->ecgs.empty()) {
    return fail(options.input.string() + ": no ECG found" +
                    (catalog->errors.empty() ? "" : " (" + catalog->errors.front().reason + ")"));
  }
  const imaging::Ecg& ecg = catalog->ecgs.front();
  auto layout = state::parseEcgLayout(options.ecgLayout);
  if (!layout) return fail(layout.error().message, 2);
  const double speeds[] = {12.5, 25.0, 50.0};
  const double gains[] = {5.0, 10.0, 20.0};
  if (std::find(std::begin(speeds), std::end(speeds), options.speedMmPerS) == std::end(speeds)) {
    return fail("--speed must be 12.5, 25 or 50 mm/s", 2);
  }
  if (std::find(std::begin(gains), std::end(gains), options.gainMmPerMv) == std::end(gains)) {
    return fail("--gain must be 5, 10 or 20 mm/mV", 2);
  }
  state::EcgPaper paper;
  paper.speedMmPerS = options.speedMmPerS;
  paper.gainMmPerMv = options.gainMmPerMv;
  paper.startS = options.startS;
  if (options.dpi) {
    if (*options.dpi <= 0) return fail("--dpi must be positive", 2);
    paper.pixelsPerMm = *options.dpi / 25.4;
  } else {
    paper.pixelsPerMm = 1.0;
    const state::EcgDrawing unit = state::layoutEcg(ecg, *layout, paper);
    paper.pixelsPerMm = std::min(options.width / static_cast<double>(unit.width),
                                 options.height / static_cast<double>(unit.height));
  }
  const state::EcgDrawing drawing = state::layoutEcg(ecg, *layout, paper);
  try {
    const HeadlessGl gl;
    if (!gl.problem.empty()) return fail(gl.problem);
    render::ShaderLibrary shaders;
    render::OffscreenTarget target(options.width, options.height);
    target.bind();
    glViewport(0, 0, options.width, options.height);
    glClearColor(1.0f, 0.99f, 0.97f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    render::LineRenderer lines(shaders);
    ui::drawEcgPaper(lines, drawing, options.width, options.height);
    if (options.overlay) {
      ui::TextOverlay text(options.assetsDir, std::max(11.0f, static_cast<float>(paper.pixelsPerMm * 3.0)));
      target.bind();
      text.draw(options.width, options.height, ui::ecgLabels(drawing, paper));
    }
    const auto written = imaging::writePng(options.output, target.read());
    if (!written) return fail(written.error().message);
  } catch (const std::exception& e) {
    return fail(options.input.string() + ": " + e.what());
  }
  return 0;
}

}  // namespace

int runRender(const RenderOptions& options) {
  const std::string& view = options.view;
  static const std::string valid[] = {"", "axial", "coronal", "sagittal", "oblique", "mip", "minip", "vr", "photo", "ecg"};
  if (std::find(std::begin(valid), std::end(valid), view) == std::end(valid)) {
    return fail("unknown view '" + view + "' (valid: " + kViews + ")", 2);
  }
  if (view == "ecg") {
    return renderEcg(options);
  }
  const bool volumeView = view == "coronal" || view == "sagittal" || view == "oblique" || view == "mip" ||
                          view == "minip" || view == "vr";
  if (view == "vr" && !options.preset.empty() && !render::isVrPreset(options.preset)) {
    return fail("unknown volume-rendering preset '" + options.preset + "' (valid: " + render::vrPresetNames() + ")", 2);
  }
  auto source = resolve(options, volumeView);
  if (!source) return fail(source.error().message);
  Source& src = source.value();
  if (volumeView && !src.volume) {
    return fail(options.input.string() + ": --view " + view + " needs a series with geometry (found a single image)", 2);
  }

  // The frame to window (everything but vr), chosen on the CPU side when it
  // is a stored slice, resliced on the GPU otherwise.
  imaging::DisplayFrame frame;
  std::optional<imaging::Plane> plane;
  ui::OverlayInfo overlay;
  {
    const imaging::ObjectInfo* object = nullptr;
    if (src.series != nullptr && src.volume) object = &src.catalog.objects[src.series->slices.front().object];
    else if (!src.catalog.objects.empty()) object = &src.catalog.objects.front();
    if (object != nullptr) {
      overlay.patientName = object->patientName;
      overlay.patientId = object->patientId;
      overlay.studyDate = object->studyDate;
      overlay.seriesLabel = object->modality + (object->seriesDescription.empty() ? "" : " " + object->seriesDescription);
      if (src.frame) {
        const auto& g = object->geometryOf(options.frame);
        if (g.orientation) {
          const auto& o = *g.orientation;
          overlay.rightLps = std::array<double, 3>{o[0], o[1], o[2]};
          overlay.downLps = std::array<double, 3>{o[3], o[4], o[5]};
        }
      }
    }
  }
  imaging::SlabMode slab = imaging::SlabMode::None;
  int slabSamples = 1;
  if (src.frame) {
    frame = std::move(*src.frame);
  } else if (!volumeView) {
    const int count = src.volume->depth();
    const int z = sliceIndex(options, src, count);
    if (z < 0 || z >= count) {
      return fail("--slice " + std::to_string(z) + " out of range: the series has " + std::to_string(count) +
                      " slices (0.." + std::to_string(count - 1) + ")", 2);
    }
    frame = src.volume->sliceFrame(z);
    overlay.sliceIndex = z;
    overlay.sliceCount = count;
    overlay.positionMm = src.series->slices[static_cast<std::size_t>(z)].positionMm;
    overlay.viewLabel = ui::tr("view.axial");
    if (src.volume->geometry.direction) {
      const auto& m = *src.volume->geometry.direction;
      overlay.rightLps = std::array<double, 3>{m[0], m[3], m[6]};
      overlay.downLps = std::array<double, 3>{m[1], m[4], m[7]};
    }
  } else if (view != "vr") {
    const imaging::PlaneView pv = view == "coronal" ? imaging::PlaneView::Coronal
                                  : view == "sagittal" ? imaging::PlaneView::Sagittal
                                  : view == "oblique"  ? imaging::PlaneView::Oblique
                                                       : imaging::PlaneView::Axial;
    double position = 0.0;
    if (pv != imaging::PlaneView::Oblique) {
      const int count = imaging::planeCount(*src.volume, pv);
      const int index = sliceIndex(options, src, count);
      if (index < 0 || index >= count) {
        return fail("--slice " + std::to_string(index) + " out of range for " + (view.empty() ? "axial" : view) +
                        ": 0.." + std::to_string(count - 1), 2);
      }
      position = index;
      overlay.sliceIndex = index;
      overlay.sliceCount = count;
    } else {
      position = options.positionMm.value_or(0.0);
    }
    plane = imaging::standardPlane(*src.volume, pv, position, options.obliqueDegrees);
    overlay.rightLps = plane->rightLps;
    overlay.downLps = plane->downLps;
    overlay.viewLabel = ui::tr(("view." + (view.empty() ? std::string("axial") : view)).c_str());
    if (view == "mip" || view == "minip") {
      slab = view == "mip" ? imaging::SlabMode::Mip : imaging::SlabMode::MinIp;
      const double step = src.volume->geometry.spacingMm[2].value_or(1.0);
      slabSamples = std::max(1, static_cast<int>(std::lround(options.slabMm / step)) | 1);
      char label[64];
      std::snprintf(label, sizeof label, "%s %.0f mm", ui::tr(("view." + view).c_str()), slabSamples * step);
      overlay.viewLabel = label;
    }
  }

  render::ImageViewParams params;
  if (view != "vr") {
    if (plane) {
      // Window from the volume's own windows (the GPU reslice is not read yet).
      frame.windows = src.volume->windows;
    }
    params.window = frame.defaultWindow();
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
      if (!found) return fail("unknown preset '" + options.preset + "' (valid: " + names + ")", 2);
    }
    if (options.windowCenter && options.windowWidth) {
      if (*options.windowWidth < 1.0) return fail("window width must be >= 1", 2);
      params.window = imaging::Window{*options.windowCenter, *options.windowWidth, "user"};
    }
  }

  try {
    const HeadlessGl gl;
    if (!gl.problem.empty()) return fail(gl.problem);
    render::ShaderLibrary shaders;
    std::unique_ptr<render::VolumeTexture> texture;
    if (volumeView) {
      texture = std::make_unique<render::VolumeTexture>();
      texture->upload(*src.volume);
    }
    if (plane) {
      render::MprRenderer mpr(shaders);
      frame = mpr.reslice(*texture, *src.volume, *plane, slab, slabSamples);
      if (options.preset.empty() && !(options.windowCenter && options.windowWidth)) {
        params.window = frame.defaultWindow();  // now that the reslice knows its value range
      }
    }
    render::OffscreenTarget target(options.width, options.height);
    target.bind();
    glViewport(0, 0, options.width, options.height);
    glClearColor(0.f, 0.f, 0.f, 1.f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (view == "vr") {
      render::VolumeRayCaster caster(shaders);
      render::VrParams vr;
      if (!options.preset.empty()) vr.preset = options.preset;
      else if (src.volume->units != "HU") vr.preset = "mr";
      vr.azimuthDegrees = options.azimuthDegrees;
      vr.elevationDegrees = options.elevationDegrees;
      caster.draw(*texture, *src.volume, options.width, options.height, vr);
      overlay.viewLabel = ui::tr("view.vr");
    } else {
      params.pixelExact = options.width == frame.image.width && options.height == frame.image.height;
      render::ImageRenderer renderer(shaders);
      renderer.setFrame(frame);
      target.bind();
      renderer.draw(0, 0, options.width, options.height, params);
      // Scale of the fitted image, for the zoom figure and the scale bar.
      const double column = frame.columnSpacingMm.value_or(0.0);
      const double row = frame.rowSpacingMm.value_or(0.0);
      const double aspect = column > 0 && row > 0 ? row / column : 1.0;
      const double scale = params.pixelExact ? 1.0
                                             : std::min(options.width / static_cast<double>(frame.image.width),
                                                        options.height / (frame.image.height * aspect));
      overlay.zoomPercent = scale * 100.0;
      if (column > 0) overlay.mmPerScreenPixel = column / scale;
      if (frame.image.format == imaging::PixelFormat::Gray32F) {
        overlay.windowCenter = params.window.center;
        overlay.windowWidth = params.window.width;
        overlay.units = frame.units;
      }
    }
    if (texture) overlay.reduction = texture->reduction();
    if (options.overlay) {
      ui::TextOverlay text(options.assetsDir, std::clamp(options.height / 45.0f, 11.0f, 20.0f));
      const ui::OverlayGraphics graphics = ui::buildImageOverlay(overlay, options.width, options.height, text.lineHeight());
      target.bind();
      render::LineRenderer lines(shaders);
      lines.drawSegments(graphics.lines, {1.0f, 1.0f, 0.55f, 1.0f}, options.width, options.height);
      target.bind();
      text.draw(options.width, options.height, graphics.text);
    }
    if (texture && texture->reduction() > 1) {
      std::fprintf(stderr, "confrere render: volume reduced %dx to fit the GPU\n", texture->reduction());
    }
    const imaging::Image pixels = target.read();
    const auto written = imaging::writePng(options.output, pixels);
    if (!written) return fail(written.error().message);
  } catch (const std::exception& e) {
    return fail(options.input.string() + ": " + e.what());
  }
  return 0;
}

}  // namespace confrere::app
