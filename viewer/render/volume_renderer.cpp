#include "volume_renderer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace confrere::render {
namespace {

using Vec3 = std::array<double, 3>;

// [SECTION] Transfer functions: control points on modality values (HU for
// CT, fractions of the range for MR), linearly interpolated.
struct TransferPoint {
  double value;
  float r, g, b, a;
};

struct TransferPreset {
  const char* name;
  bool relative;  // values are fractions of the volume's range (MR)
  std::vector<TransferPoint> points;
};

const std::vector<TransferPreset>& presets() {
  static const std::vector<TransferPreset> kPresets = {
      {"ct-bone", false, {{150, 0, 0, 0, 0}, {250, 0.85f, 0.75f, 0.6f, 0.15f}, {600, 0.95f, 0.9f, 0.8f, 0.6f},
                          {1500, 1, 1, 0.97f, 0.9f}}},
      {"ct-soft-tissue", false, {{-600, 0, 0, 0, 0}, {-200, 0.75f, 0.45f, 0.35f, 0.02f}, {30, 0.9f, 0.55f, 0.45f, 0.12f},
                                 {150, 0.95f, 0.8f, 0.7f, 0.3f}, {700, 1, 1, 0.95f, 0.7f}}},
      {"ct-angio", false, {{100, 0, 0, 0, 0}, {180, 0.75f, 0.1f, 0.08f, 0.2f}, {350, 1, 0.75f, 0.65f, 0.6f},
                           {1200, 1, 1, 1, 0.9f}}},
      {"mr", true, {{0.08, 0, 0, 0, 0}, {0.25, 0.55f, 0.55f, 0.65f, 0.05f}, {0.55, 0.9f, 0.88f, 0.85f, 0.35f},
                    {1.0, 1, 1, 1, 0.8f}}},
  };
  return kPresets;
}

const TransferPreset* findPreset(const std::string& name) {
  for (const auto& p : presets()) {
    if (name == p.name) return &p;
  }
  return nullptr;
}

Vec3 axisLps(const imaging::Volume& v, int axis) { return imaging::axisDirectionLps(v, axis); }

}  // namespace

const char* vrPresetNames() { return "ct-bone, ct-soft-tissue, ct-angio, mr"; }
bool isVrPreset(const std::string& name) { return findPreset(name) != nullptr; }

// [SECTION] VolumeTexture
void VolumeTexture::upload(const imaging::Volume& volume, std::size_t budgetBytes) {
  GLint max3d = 0;
  glGetIntegerv(GL_MAX_3D_TEXTURE_SIZE, &max3d);
  const std::array<int, 3> full{volume.width(), volume.height(), volume.depth()};
  const std::size_t bytesPerVoxel = imaging::voxelBytes(volume.type);
  int reduction = 1;
  auto fits = [&](int r) {
    const std::size_t voxels = static_cast<std::size_t>((full[0] + r - 1) / r) * ((full[1] + r - 1) / r) *
                               ((full[2] + r - 1) / r);
    return (full[0] + r - 1) / r <= max3d && (full[1] + r - 1) / r <= max3d && (full[2] + r - 1) / r <= max3d &&
           voxels * bytesPerVoxel <= budgetBytes;
  };
  while (!fits(reduction) && reduction < 64) reduction *= 2;
  if (!fits(reduction)) {
    throw std::runtime_error("volume " + std::to_string(full[0]) + "x" + std::to_string(full[1]) + "x" +
                             std::to_string(full[2]) + " cannot fit this GPU even reduced 64x");
  }
  m_reduction = reduction;
  m_dims = {(full[0] + reduction - 1) / reduction, (full[1] + reduction - 1) / reduction,
            (full[2] + reduction - 1) / reduction};

  // Reduced levels average each r x r x r block (a level of detail, not a
  // crop: the whole volume stays visible).
  std::vector<std::uint8_t> reducedBytes;
  const std::uint8_t* source = volume.voxels.data();
  if (reduction > 1) {
    reducedBytes.resize(static_cast<std::size_t>(m_dims[0]) * m_dims[1] * m_dims[2] * bytesPerVoxel);
    for (int z = 0; z < m_dims[2]; ++z) {
      for (int y = 0; y < m_dims[1]; ++y) {
        for (int x = 0; x < m_dims[0]; ++x) {
          double sum = 0;
          int n = 0;
          for (int dz = 0; dz < reduction && z * reduction + dz < full[2]; ++dz)
            for (int dy = 0; dy < reduction && y * reduction + dy < full[1]; ++dy)
              for (int dx = 0; dx < reduction && x * reduction + dx < full[0]; ++dx) {
                const std::size_t i = (static_cast<std::size_t>(z * reduction + dz) * full[1] + (y * reduction + dy)) *
                                          full[0] + (x * reduction + dx);
                switch (volume.type) {
                  case imaging::VoxelType::Int16: sum += reinterpret_cast<const std::int16_t*>(source)[i]; break;
                  case imaging::VoxelType::Uint16: sum += reinterpret_cast<const std::uint16_t*>(source)[i]; break;
                  case imaging::VoxelType::Float32: sum += static_cast<double>(reinterpret_cast<const float*>(source)[i]); break;
                }
                ++n;
              }
          const std::size_t o = (static_cast<std::size_t>(z) * m_dims[1] + y) * m_dims[0] + x;
          const double mean = sum / std::max(n, 1);
          switch (volume.type) {
            case imaging::VoxelType::Int16:
              reinterpret_cast<std::int16_t*>(reducedBytes.data())[o] = static_cast<std::int16_t>(std::lround(mean));
              break;
            case imaging::VoxelType::Uint16:
              reinterpret_cast<std::uint16_t*>(reducedBytes.data())[o] = static_cast<std::uint16_t>(std::lround(mean));
              break;
            case imaging::VoxelType::Float32:
              reinterpret_cast<float*>(reducedBytes.data())[o] = static_cast<float>(mean);
              break;
          }
        }
      }
    }
    source = reducedBytes.data();
  }

  if (!m_texture) m_texture = makeTexture();
  glBindTexture(GL_TEXTURE_3D, m_texture.id());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_IMAGE_HEIGHT, 0);
  switch (volume.type) {
    case imaging::VoxelType::Int16:
      glTexImage3D(GL_TEXTURE_3D, 0, GL_R16_SNORM, m_dims[0], m_dims[1], m_dims[2], 0, GL_RED, GL_SHORT, source);
      m_rawScale = 32767.0f;
      break;
    case imaging::VoxelType::Uint16:
      glTexImage3D(GL_TEXTURE_3D, 0, GL_R16, m_dims[0], m_dims[1], m_dims[2], 0, GL_RED, GL_UNSIGNED_SHORT, source);
      m_rawScale = 65535.0f;
      break;
    case imaging::VoxelType::Float32:
      glTexImage3D(GL_TEXTURE_3D, 0, GL_R32F, m_dims[0], m_dims[1], m_dims[2], 0, GL_RED, GL_FLOAT, source);
      m_rawScale = 1.0f;
      break;
  }
  glTexParameteri(GL_TEXTURE_3D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_3D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_3D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_3D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_3D, GL_TEXTURE_WRAP_R, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_3D, 0);
  const GLenum error = glGetError();
  if (error != GL_NO_ERROR) {
    m_texture.reset();
    throw std::runtime_error("3D texture upload failed (GL error " + std::to_string(error) + ")");
  }
  m_slope = volume.type == imaging::VoxelType::Float32 ? 1.0f : static_cast<float>(volume.rescaleSlope);
  m_intercept = volume.type == imaging::VoxelType::Float32 ? 0.0f : static_cast<float>(volume.rescaleIntercept);
  const imaging::DisplayFrame mid = volume.sliceFrame(volume.depth() / 2);
  m_min = static_cast<float>(mid.minValue.value_or(0.0));
  m_max = static_cast<float>(mid.maxValue.value_or(1.0));
}

// [SECTION] MPR
MprRenderer::MprRenderer(ShaderLibrary& shaders)
    : m_program(shaders.program("fullscreen.vert", "mpr.frag")), m_vao(makeVertexArray()) {}

imaging::DisplayFrame MprRenderer::reslice(const VolumeTexture& texture, const imaging::Volume& volume,
                                           const imaging::Plane& plane, imaging::SlabMode mode, int slabSamples) {
  if (!m_target || m_targetWidth != plane.width || m_targetHeight != plane.height) {
    m_target = makeTexture();
    glBindTexture(GL_TEXTURE_2D, m_target.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, plane.width, plane.height, 0, GL_RED, GL_FLOAT, nullptr);
    glBindTexture(GL_TEXTURE_2D, 0);
    m_fbo = makeFramebuffer();
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_target.id(), 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      m_target.reset();
      m_fbo.reset();
      throw std::runtime_error("MPR target (float) is not renderable on this GPU");
    }
    m_targetWidth = plane.width;
    m_targetHeight = plane.height;
  }
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo.id());
  glViewport(0, 0, plane.width, plane.height);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  m_program.use();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_3D, texture.id());
  glUniform1i(m_program.uniform("u_volume"), 0);
  glUniform3f(m_program.uniform("u_dims"), static_cast<float>(volume.width()), static_cast<float>(volume.height()),
              static_cast<float>(volume.depth()));
  auto set3 = [&](const char* name, const std::array<double, 3>& v) {
    glUniform3f(m_program.uniform(name), static_cast<float>(v[0]), static_cast<float>(v[1]), static_cast<float>(v[2]));
  };
  set3("u_origin", plane.origin);
  set3("u_u", plane.u);
  set3("u_v", plane.v);
  set3("u_normal", plane.normal);
  glUniform1i(m_program.uniform("u_height"), plane.height);
  glUniform1i(m_program.uniform("u_slabSamples"), mode == imaging::SlabMode::None ? 1 : std::max(1, slabSamples));
  glUniform1i(m_program.uniform("u_mode"), static_cast<int>(mode));
  glUniform1f(m_program.uniform("u_rawScale"), texture.rawScale());
  glUniform1f(m_program.uniform("u_slope"), texture.slope());
  glUniform1f(m_program.uniform("u_intercept"), texture.intercept());
  glUniform1f(m_program.uniform("u_background"), texture.minValue());
  glBindVertexArray(m_vao.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_3D, 0);
  glUseProgram(0);

  imaging::DisplayFrame out;
  out.image = imaging::Image::allocate(plane.width, plane.height, imaging::PixelFormat::Gray32F);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadPixels(0, 0, plane.width, plane.height, GL_RED, GL_FLOAT, out.image.bytes.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  // GL rows are bottom-up: row 0 of the plane is at the top.
  const std::size_t row = out.image.rowBytes();
  std::vector<std::uint8_t> tmp(row);
  for (int r = 0; r < plane.height / 2; ++r) {
    std::uint8_t* a = out.image.bytes.data() + static_cast<std::size_t>(r) * row;
    std::uint8_t* b = out.image.bytes.data() + static_cast<std::size_t>(plane.height - 1 - r) * row;
    std::copy(a, a + row, tmp.data());
    std::copy(b, b + row, a);
    std::copy(tmp.data(), tmp.data() + row, b);
  }
  float lo = std::numeric_limits<float>::max();
  float hi = std::numeric_limits<float>::lowest();
  const float* v = out.image.grayData();
  for (std::size_t i = 0; i < static_cast<std::size_t>(plane.width) * plane.height; ++i) {
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  out.minValue = lo;
  out.maxValue = hi;
  out.windows = volume.windows;
  out.units = volume.units;
  out.monochrome1 = volume.monochrome1;
  out.columnSpacingMm = plane.columnSpacingMm;
  out.rowSpacingMm = plane.rowSpacingMm;
  return out;
}

// [SECTION] Volume rendering
VolumeRayCaster::VolumeRayCaster(ShaderLibrary& shaders)
    : m_program(shaders.program("fullscreen.vert", "vr.frag")), m_vao(makeVertexArray()) {}

void VolumeRayCaster::draw(const VolumeTexture& texture, const imaging::Volume& volume, int width, int height,
                           const VrParams& params) {
  const TransferPreset* preset = findPreset(params.preset);
  if (preset == nullptr) {
    throw std::invalid_argument("unknown volume-rendering preset '" + params.preset + "' (valid: " + vrPresetNames() + ")");
  }
  // Transfer function table over the preset's value span.
  const double volumeMin = texture.minValue();
  const double volumeMax = texture.maxValue();
  const double lo = preset->relative ? volumeMin : preset->points.front().value;
  const double hi = preset->relative ? volumeMax : preset->points.back().value;
  const double tfMin = lo - 0.05 * (hi - lo);
  const double tfMax = hi + 0.05 * (hi - lo);
  if (!m_transfer || m_transferPreset != preset->name) {
    constexpr int kEntries = 512;
    std::vector<float> rgba(kEntries * 4);
    for (int i = 0; i < kEntries; ++i) {
      const double value = tfMin + (tfMax - tfMin) * i / (kEntries - 1);
      const double x = preset->relative ? (value - volumeMin) / std::max(1e-6, volumeMax - volumeMin) : value;
      const auto& pts = preset->points;
      std::array<float, 4> c{0, 0, 0, 0};
      if (x >= pts.back().value) {
        c = {pts.back().r, pts.back().g, pts.back().b, pts.back().a};
      } else {
        for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
          if (x >= pts[k].value && x < pts[k + 1].value) {
            const float t = static_cast<float>((x - pts[k].value) / (pts[k + 1].value - pts[k].value));
            c = {pts[k].r + t * (pts[k + 1].r - pts[k].r), pts[k].g + t * (pts[k + 1].g - pts[k].g),
                 pts[k].b + t * (pts[k + 1].b - pts[k].b), pts[k].a + t * (pts[k + 1].a - pts[k].a)};
          }
        }
      }
      std::copy(c.begin(), c.end(), rgba.begin() + i * 4);
    }
    if (!m_transfer) m_transfer = makeTexture();
    glBindTexture(GL_TEXTURE_1D, m_transfer.id());
    glTexImage1D(GL_TEXTURE_1D, 0, GL_RGBA32F, kEntries, 0, GL_RGBA, GL_FLOAT, rgba.data());
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_1D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_1D, 0);
    m_transferPreset = preset->name;
  }

  // Volume local frame (mm, centred) -> patient: columns are axis directions.
  const Vec3 ax = axisLps(volume, 0);
  const Vec3 ay = axisLps(volume, 1);
  const Vec3 az = axisLps(volume, 2);
  const Vec3 extent{volume.width() * volume.geometry.spacingMm[0].value_or(1.0),
                    volume.height() * volume.geometry.spacingMm[1].value_or(1.0),
                    volume.depth() * volume.geometry.spacingMm[2].value_or(1.0)};
  // texture = diag(1/extent) * D^T * p + 0.5 (p in patient mm about the centre).
  float m[9];
  for (int row = 0; row < 3; ++row) {
    const Vec3& axis = row == 0 ? ax : row == 1 ? ay : az;
    for (int col = 0; col < 3; ++col) {
      // GLSL mat3 is column-major: element (row, col) at [col * 3 + row].
      m[col * 3 + row] = static_cast<float>(axis[static_cast<std::size_t>(col)] / extent[static_cast<std::size_t>(row)]);
    }
  }
  const double radius = 0.5 * std::sqrt(extent[0] * extent[0] + extent[1] * extent[1] + extent[2] * extent[2]);
  // Camera: anterior view (looking toward +y, posterior), head up (+z),
  // patient's left on the right; then azimuth about z, elevation about x.
  const double a = params.azimuthDegrees * M_PI / 180.0;
  const double e = params.elevationDegrees * M_PI / 180.0;
  const Vec3 forward{std::sin(a) * std::cos(e), std::cos(a) * std::cos(e), -std::sin(e)};
  const Vec3 right{std::cos(a), -std::sin(a), 0.0};
  const Vec3 up{right[1] * forward[2] - right[2] * forward[1], right[2] * forward[0] - right[0] * forward[2],
                right[0] * forward[1] - right[1] * forward[0]};
  const double minSpacing = std::min({volume.geometry.spacingMm[0].value_or(1.0), volume.geometry.spacingMm[1].value_or(1.0),
                                      volume.geometry.spacingMm[2].value_or(1.0)}) *
                            texture.reduction();
  const double aspect = static_cast<double>(height) / std::max(1, width);
  const double halfWidth = radius / std::max(params.zoom, 1e-3) / std::min(1.0, 1.0 / aspect);

  glViewport(0, 0, width, height);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  m_program.use();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_3D, texture.id());
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_1D, m_transfer.id());
  glUniform1i(m_program.uniform("u_volume"), 0);
  glUniform1i(m_program.uniform("u_transfer"), 1);
  glUniform1f(m_program.uniform("u_tfMin"), static_cast<float>(tfMin));
  glUniform1f(m_program.uniform("u_tfMax"), static_cast<float>(tfMax));
  glUniformMatrix3fv(m_program.uniform("u_patientToTex"), 1, GL_FALSE, m);
  glUniform3f(m_program.uniform("u_texOffset"), 0.5f, 0.5f, 0.5f);
  auto set3 = [&](const char* name, const Vec3& v) {
    glUniform3f(m_program.uniform(name), static_cast<float>(v[0]), static_cast<float>(v[1]), static_cast<float>(v[2]));
  };
  set3("u_right", right);
  set3("u_up", up);
  set3("u_forward", forward);
  glUniform1f(m_program.uniform("u_halfWidth"), static_cast<float>(halfWidth));
  glUniform1f(m_program.uniform("u_aspect"), static_cast<float>(aspect));
  glUniform1f(m_program.uniform("u_radius"), static_cast<float>(radius));
  // One sample per voxel: finer steps cost time without visible gain at
  // these opacities.
  glUniform1f(m_program.uniform("u_stepMm"), static_cast<float>(minSpacing));
  const auto dims = texture.textureDims();
  glUniform3f(m_program.uniform("u_texelSize"), 1.0f / static_cast<float>(dims[0]), 1.0f / static_cast<float>(dims[1]),
              1.0f / static_cast<float>(dims[2]));
  glUniform1f(m_program.uniform("u_rawScale"), texture.rawScale());
  glUniform1f(m_program.uniform("u_slope"), texture.slope());
  glUniform1f(m_program.uniform("u_intercept"), texture.intercept());
  glBindVertexArray(m_vao.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_1D, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_3D, 0);
  glUseProgram(0);
}

}  // namespace confrere::render
