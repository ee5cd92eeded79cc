// 2D image display. Greyscale: modality values from a float texture, DICOM
// linear VOI function (PS3.3 C.11.2.1.2) computed here, never pre-quantised.
// Colour: sRGB passthrough with brightness/contrast.
in vec2 v_uv;
out vec4 o_color;

uniform sampler2D u_image;
uniform int u_mode;             // 0 = greyscale modality values, 1 = colour
uniform float u_center;         // window center (modality units)
uniform float u_width;          // window width (>= 1)
uniform bool u_invert;          // MONOCHROME1 or user invert
uniform float u_brightness;     // colour only, added after contrast
uniform float u_contrast;       // colour only, multiplies around 0.5

float voiLinear(float x, float c, float w) {
  if (w <= 1.0) {
    return x <= c - 0.5 ? 0.0 : 1.0;
  }
  float y = (x - (c - 0.5)) / (w - 1.0) + 0.5;
  return clamp(y, 0.0, 1.0);
}

void main() {
  if (u_mode == 0) {
    float value = texture(u_image, v_uv).r;
    float y = voiLinear(value, u_center, u_width);
    if (u_invert) {
      y = 1.0 - y;
    }
    o_color = vec4(y, y, y, 1.0);
  } else {
    vec3 rgb = texture(u_image, v_uv).rgb;
    rgb = clamp((rgb - 0.5) * u_contrast + 0.5 + u_brightness, 0.0, 1.0);
    if (u_invert) {
      rgb = vec3(1.0) - rgb;
    }
    o_color = vec4(rgb, 1.0);
  }
}
