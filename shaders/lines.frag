// Flat-coloured lines (ECG grid and traces, overlays).
out vec4 o_color;
uniform vec4 u_color;

void main() { o_color = u_color; }
