// Volumes on the GPU: a 3D texture that respects GL_MAX_3D_TEXTURE_SIZE and
// a memory budget (reduced by 2, 4... when it does not fit, and says so),
// multiplanar reformats into a float image (then windowed by ImageRenderer),
// and ray-cast volume rendering with transfer-function presets.
// GL thread only.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "confrere/imaging/reslice.h"
#include "confrere/imaging/volume.h"
#include "gl.h"
#include "shader_library.h"

namespace confrere::render {

class VolumeTexture {
 public:
  // Uploads the volume. When it exceeds the GPU's 3D texture size or
  // `budgetBytes`, uploads a version reduced by 2 (then 4...) on every axis;
  // reduction() tells by how much (the viewport must say so).
  void upload(const imaging::Volume& volume, std::size_t budgetBytes = std::size_t{1} << 30);

  GLuint id() const { return m_texture.id(); }
  int reduction() const { return m_reduction; }
  std::array<int, 3> textureDims() const { return m_dims; }
  float rawScale() const { return m_rawScale; }
  float slope() const { return m_slope; }
  float intercept() const { return m_intercept; }
  // Modality value range of the volume (for backgrounds and transfer functions).
  float minValue() const { return m_min; }
  float maxValue() const { return m_max; }

 private:
  Texture m_texture;
  int m_reduction = 1;
  std::array<int, 3> m_dims{0, 0, 0};
  float m_rawScale = 1.0f;
  float m_slope = 1.0f;
  float m_intercept = 0.0f;
  float m_min = 0.0f;
  float m_max = 0.0f;
};

class MprRenderer {
 public:
  explicit MprRenderer(ShaderLibrary& shaders);

  // Reslices `plane` (in the original volume's voxel indices) into a float
  // frame of modality values, on the GPU. `volumeDims` are the original
  // volume's dimensions. The frame carries the volume's windows and units.
  imaging::DisplayFrame reslice(const VolumeTexture& texture, const imaging::Volume& volume,
                                const imaging::Plane& plane, imaging::SlabMode mode = imaging::SlabMode::None,
                                int slabSamples = 1);

 private:
  const Program& m_program;
  VertexArray m_vao;
  // The float target, kept while the plane size does not change.
  Texture m_target;
  Framebuffer m_fbo;
  int m_targetWidth = 0;
  int m_targetHeight = 0;
};

// Camera and look of a volume rendering.
struct VrParams {
  std::string preset = "ct-bone";  // ct-bone, ct-soft-tissue, ct-angio, mr
  double azimuthDegrees = 30.0;    // rotation about the patient's head-feet axis
  double elevationDegrees = 15.0;
  double zoom = 1.0;
};

// Transfer-function presets: names (for --preset and error messages).
const char* vrPresetNames();
bool isVrPreset(const std::string& name);

class VolumeRayCaster {
 public:
  explicit VolumeRayCaster(ShaderLibrary& shaders);

  // Draws the volume into the current framebuffer's viewport (width x height).
  // Throws std::invalid_argument for an unknown preset, listing the valid ones.
  void draw(const VolumeTexture& texture, const imaging::Volume& volume, int width, int height, const VrParams& params);

 private:
  const Program& m_program;
  VertexArray m_vao;
  Texture m_transfer;
  std::string m_transferPreset;
};

}  // namespace confrere::render
