// Multiplanar reformat: output pixel (c, r) samples the 3D texture at voxel
// index origin + c*u + r*v (trilinear), optionally over a thick slab along
// `normal` (MIP, MinIP, average). Writes modality values (e.g. HU) to a
// float target; windowing happens afterwards in image.frag.
out vec4 o_value;

uniform sampler3D u_volume;
uniform vec3 u_dims;         // voxels per axis of the texture's source volume
uniform vec3 u_origin;       // voxel index of output pixel (0, 0)
uniform vec3 u_u;            // voxel step per output column
uniform vec3 u_v;            // voxel step per output row
uniform vec3 u_normal;       // voxel step per slab sample
uniform int u_height;        // output rows (row 0 is the top)
uniform int u_slabSamples;   // >= 1
uniform int u_mode;          // 0 none, 1 MIP, 2 MinIP, 3 average
uniform float u_rawScale;    // texel value -> stored value (32767 for SNORM16, 65535 for UNORM16, 1 for float)
uniform float u_slope;
uniform float u_intercept;
uniform float u_background;  // value outside the volume

bool inside(vec3 p) {
  return all(greaterThanEqual(p, vec3(-0.5))) && all(lessThanEqual(p, u_dims - 0.5));
}

float modalityAt(vec3 p) {
  // Voxel centres sit at (index + 0.5) / dims in texture coordinates.
  float raw = texture(u_volume, (p + 0.5) / u_dims).r * u_rawScale;
  return raw * u_slope + u_intercept;
}

void main() {
  float c = gl_FragCoord.x - 0.5;
  float r = float(u_height) - gl_FragCoord.y - 0.5;
  vec3 p = u_origin + c * u_u + r * u_v;
  int n = max(u_slabSamples, 1);
  float acc = (u_mode == 1) ? -3.4e38 : (u_mode == 2 ? 3.4e38 : 0.0);
  int count = 0;
  for (int k = 0; k < n; ++k) {
    vec3 q = p + (float(k) - float(n - 1) * 0.5) * u_normal;
    if (!inside(q)) continue;
    float value = modalityAt(q);
    count += 1;
    if (u_mode == 1) acc = max(acc, value);
    else if (u_mode == 2) acc = min(acc, value);
    else acc += value;
  }
  float result = u_background;
  if (count > 0) result = (u_mode == 1 || u_mode == 2) ? acc : acc / float(count);
  o_value = vec4(result, 0.0, 0.0, 1.0);
}
