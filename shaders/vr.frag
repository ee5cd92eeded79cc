// Volume rendering by ray casting: orthographic rays in patient space,
// front-to-back compositing through a transfer function on modality values,
// Lambert shading from the gradient, early ray termination.
in vec2 v_ndc;
out vec4 o_color;

uniform sampler3D u_volume;
uniform sampler1D u_transfer;    // RGBA over [u_tfMin, u_tfMax]
uniform float u_tfMin;
uniform float u_tfMax;
uniform mat3 u_patientToTex;     // texture coordinate = u_patientToTex * p + u_texOffset
uniform vec3 u_texOffset;
uniform vec3 u_right;            // camera basis in patient mm
uniform vec3 u_up;
uniform vec3 u_forward;
uniform float u_halfWidth;       // half the view width in mm (zoom applied)
uniform float u_aspect;          // height / width
uniform float u_radius;          // distance from the centre to start rays (mm)
uniform float u_stepMm;
uniform vec3 u_texelSize;        // 1 / texture dims
uniform float u_rawScale;
uniform float u_slope;
uniform float u_intercept;

float valueAt(vec3 t) { return texture(u_volume, t).r * u_rawScale * u_slope + u_intercept; }

vec2 boxHit(vec3 o, vec3 d) {
  vec3 inv = 1.0 / d;
  vec3 t0 = (vec3(0.0) - o) * inv;
  vec3 t1 = (vec3(1.0) - o) * inv;
  vec3 tmin = min(t0, t1);
  vec3 tmax = max(t0, t1);
  return vec2(max(max(tmin.x, tmin.y), tmin.z), min(min(tmax.x, tmax.y), tmax.z));
}

void main() {
  vec3 originMm = (v_ndc.x * u_halfWidth) * u_right + (v_ndc.y * u_halfWidth * u_aspect) * u_up - u_radius * u_forward;
  vec3 o = u_patientToTex * originMm + u_texOffset;
  vec3 d = u_patientToTex * (u_forward * u_stepMm);  // one step in texture space
  vec2 hit = boxHit(o, d);
  vec4 acc = vec4(0.0);
  if (hit.y > max(hit.x, 0.0)) {
    float t = max(hit.x, 0.0);
    for (int i = 0; i < 4096 && t < hit.y; ++i, t += 1.0) {
      vec3 p = o + t * d;
      float value = valueAt(p);
      vec4 sample = texture(u_transfer, (value - u_tfMin) / (u_tfMax - u_tfMin));
      // Opacity per step was designed for one-voxel steps.
      if (sample.a > 0.002) {
        // Forward differences: three extra samples instead of six.
        vec3 g = vec3(valueAt(p + vec3(u_texelSize.x, 0, 0)), valueAt(p + vec3(0, u_texelSize.y, 0)),
                      valueAt(p + vec3(0, 0, u_texelSize.z))) - vec3(value);
        float shade = 1.0;
        if (length(g) > 1e-3) {
          vec3 n = normalize(transpose(u_patientToTex) * g);
          shade = 0.35 + 0.65 * abs(dot(n, u_forward));
        }
        sample.rgb *= shade;
        sample.rgb *= sample.a;
        acc += (1.0 - acc.a) * sample;
        if (acc.a > 0.98) break;
      }
    }
  }
  o_color = vec4(acc.rgb, 1.0);
}
