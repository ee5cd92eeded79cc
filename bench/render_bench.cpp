// Frame times of the three GPU paths at 1920x1080 on a 512^3 CT-like volume:
// 2D window/level, MPR (coronal reformat) and volume rendering, against the
// CPU reference implementation of the same work (ratio = CPU / GPU).
// usage: bench_render [--size N] [--frames F]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "confrere/imaging/reslice.h"
#include "confrere/imaging/volume.h"
#include "render/context.h"
#include "render/image_renderer.h"
#include "render/offscreen.h"
#include "render/shader_library.h"
#include "render/volume_renderer.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::shared_ptr<confrere::imaging::Volume> makeVolume(int n) {
  auto v = std::make_shared<confrere::imaging::Volume>();
  v->geometry.dims = {n, n, n};
  v->geometry.spacingMm = {0.7, 0.7, 0.7};
  v->geometry.originLps = std::array<double, 3>{0, 0, 0};
  v->geometry.direction = std::array<double, 9>{1, 0, 0, 0, 1, 0, 0, 0, 1};
  v->geometry.geometryComplete = true;
  v->type = confrere::imaging::VoxelType::Int16;
  v->rescaleIntercept = -1024;
  v->units = "HU";
  v->voxels = confrere::imaging::VoxelBuffer(static_cast<std::size_t>(n) * n * n * 2);
  auto* p = reinterpret_cast<std::int16_t*>(v->voxels.data());
  const double c = n / 2.0;
  for (int z = 0; z < n; ++z)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x) {
        const double r = std::sqrt((x - c) * (x - c) + (y - c) * (y - c) * 1.4 + (z - c) * (z - c) * 0.6);
        int hu = r < n * 0.42 ? 40 : -1000;
        if (std::abs(r - n * 0.3) < 3) hu = 900;  // a bony shell
        p[(static_cast<std::size_t>(z) * n + y) * n + x] = static_cast<std::int16_t>(hu + 1024 + ((x * 7 + y * 13 + z) % 17));
      }
  v->m_ready = std::make_unique<std::atomic<bool>[]>(static_cast<std::size_t>(n));
  for (int z = 0; z < n; ++z) v->m_ready[static_cast<std::size_t>(z)] = true;
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 512;
  int frames = 10;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--size") == 0) n = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--frames") == 0) frames = std::atoi(argv[i + 1]);
  }
  using namespace confrere;
  const int width = 1920;
  const int height = 1080;
  std::printf("volume %d^3 int16 (%zu MiB), output %dx%d\n", n, static_cast<std::size_t>(n) * n * n * 2 >> 20, width, height);
  auto volume = makeVolume(n);
  render::HeadlessDisplay display;
  render::ContextOptions options;
  options.visible = false;
  options.width = 64;
  options.height = 64;
  render::GlContext context(options);
  std::printf("GL renderer: %s\n", context.rendererName().c_str());
  render::ShaderLibrary shaders;
  render::OffscreenTarget target(width, height);
  auto finish = [] {
    GLubyte pixel[4];
    glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, pixel);  // waits for the GPU
  };

  // 2D W/L: one stored slice, window changes every frame.
  imaging::DisplayFrame slice = volume->sliceFrame(n / 2);
  render::ImageRenderer image(shaders);
  image.setFrame(slice);
  render::ImageViewParams params;
  target.bind();
  auto t0 = Clock::now();
  for (int f = 0; f < frames; ++f) {
    params.window = imaging::Window{40.0 + f, 400.0 + f, ""};
    image.draw(0, 0, width, height, params);
  }
  finish();
  const double gpu2d = ms(Clock::now() - t0) / frames;
  // CPU reference: the same output (fit to 1920x1080, nearest sample, VOI).
  t0 = Clock::now();
  std::vector<std::uint8_t> out(static_cast<std::size_t>(width) * height * 4);
  const double fit = std::min(static_cast<double>(width) / n, static_cast<double>(height) / n);
  const double x0 = (width - n * fit) / 2;
  const double y0 = (height - n * fit) / 2;
  for (int f = 0; f < frames; ++f) {
    const float* v = slice.image.grayData();
    const double c = 40.0 + f;
    const double w = 400.0 + f;
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const int sx = static_cast<int>((x + 0.5 - x0) / fit);
        const int sy = static_cast<int>((y + 0.5 - y0) / fit);
        std::uint8_t g = 0;
        if (sx >= 0 && sy >= 0 && sx < n && sy < n) {
          const double value = static_cast<double>(v[static_cast<std::size_t>(sy) * n + sx]);
          g = static_cast<std::uint8_t>(std::clamp((value - (c - 0.5)) / (w - 1) + 0.5, 0.0, 1.0) * 255 + 0.5);
        }
        std::uint8_t* o = &out[(static_cast<std::size_t>(y) * width + x) * 4];
        o[0] = o[1] = o[2] = g;
        o[3] = 255;
      }
    }
  }
  const double cpu2d = ms(Clock::now() - t0) / frames;

  // MPR: a coronal reformat, windowed.
  render::VolumeTexture texture;
  t0 = Clock::now();
  texture.upload(*volume);
  finish();
  const double uploadMs = ms(Clock::now() - t0);
  render::MprRenderer mpr(shaders);
  const imaging::Plane plane = imaging::standardPlane(*volume, imaging::PlaneView::Coronal, n / 2.0);
  t0 = Clock::now();
  imaging::DisplayFrame reformat;
  for (int f = 0; f < frames; ++f) reformat = mpr.reslice(texture, *volume, plane);
  const double gpuMpr = ms(Clock::now() - t0) / frames;
  t0 = Clock::now();
  const int cpuFrames = std::max(1, frames / 5);
  for (int f = 0; f < cpuFrames; ++f) (void)imaging::reslice(*volume, plane);
  const double cpuMpr = ms(Clock::now() - t0) / cpuFrames;

  // Volume rendering.
  render::VolumeRayCaster vr(shaders);
  render::VrParams vrParams;
  target.bind();
  vr.draw(texture, *volume, width, height, vrParams);  // warm-up (transfer table)
  finish();
  t0 = Clock::now();
  for (int f = 0; f < frames; ++f) {
    vrParams.azimuthDegrees = 30.0 + f;
    vr.draw(texture, *volume, width, height, vrParams);
  }
  finish();
  const double gpuVr = ms(Clock::now() - t0) / frames;

  std::printf("\n%-28s %12s %14s %10s\n", "work", "GPU ms/frame", "CPU ref ms", "ratio");
  std::printf("%-28s %12.2f %14.2f %10.1f\n", "2D W/L (512^2 -> 1080p)", gpu2d, cpu2d, cpu2d / gpu2d);
  std::printf("%-28s %12.2f %14.2f %10.1f\n", "MPR coronal + readback", gpuMpr, cpuMpr, cpuMpr / gpuMpr);
  std::printf("%-28s %12.2f %14s %10s\n", "VR ray casting 1080p", gpuVr, "-", "-");
  std::printf("%-28s %12.2f\n", "3D texture upload (once)", uploadMs);
  return 0;
}
