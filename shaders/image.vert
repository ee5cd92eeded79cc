// Image quad: a unit quad placed by u_transform (image UV space to clip space).
layout(location = 0) in vec2 a_position;  // quad corner in [0,1]^2
uniform mat3 u_transform;                 // [0,1]^2 image space -> clip space
out vec2 v_uv;

void main() {
  v_uv = a_position;
  vec3 clip = u_transform * vec3(a_position, 1.0);
  gl_Position = vec4(clip.xy, 0.0, 1.0);
}
