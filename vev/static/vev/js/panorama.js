// The 360° live view: an equirectangular picture or stream (HLS through hls.js or the browser,
// WebRTC through a WHEP endpoint, or a plain video) drawn by a small WebGL viewer, with a
// canvas 2D fallback. Drag or use the arrow keys to look around, + and − to zoom.
const canvas = document.getElementById("panorama");
const video = document.getElementById("panorama-video");
const status = document.getElementById("panorama-status");
const data = canvas.dataset;
const view = { yaw: 0, pitch: 0, fov: 75 };
let source = null;  // an <img> or the <video>
let isVideo = false;

const say = (text) => { status.textContent = text; };

function updateAria() {
  const deg = ((Math.round(view.yaw) % 360) + 360) % 360;
  canvas.setAttribute("aria-valuenow", String(deg));
  canvas.setAttribute("aria-valuetext", data.facing.replace("%(deg)s", String(deg)));
}

// --- rendering ------------------------------------------------------------------------------
const gl = canvas.getContext("webgl", { preserveDrawingBuffer: true });
let draw;
if (gl) {
  const vs = "attribute vec2 p; varying vec2 v; void main(){ v = p; gl_Position = vec4(p, 0.0, 1.0); }";
  const fs = `precision highp float; varying vec2 v; uniform sampler2D t; uniform float yaw, pitch, f, aspect;
    void main(){
      vec3 d = normalize(vec3(v.x * aspect * f, v.y * f, 1.0));
      float cp = cos(pitch), sp = sin(pitch);
      d = vec3(d.x, d.y * cp + d.z * sp, -d.y * sp + d.z * cp);
      float cy = cos(yaw), sy = sin(yaw);
      d = vec3(d.x * cy + d.z * sy, d.y, -d.x * sy + d.z * cy);
      float lon = atan(d.x, d.z), lat = asin(clamp(d.y, -1.0, 1.0));
      gl_FragColor = texture2D(t, vec2(0.5 + lon / 6.2831853, 0.5 - lat / 3.1415927));
    }`;
  const shader = (type, text) => { const s = gl.createShader(type); gl.shaderSource(s, text); gl.compileShader(s); return s; };
  const program = gl.createProgram();
  gl.attachShader(program, shader(gl.VERTEX_SHADER, vs));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER, fs));
  gl.linkProgram(program);
  gl.useProgram(program);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const loc = gl.getAttribLocation(program, "p");
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  for (const [k, v] of [[gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE], [gl.TEXTURE_MIN_FILTER, gl.LINEAR], [gl.TEXTURE_MAG_FILTER, gl.LINEAR]]) gl.texParameteri(gl.TEXTURE_2D, k, v);
  const u = (name) => gl.getUniformLocation(program, name);
  draw = () => {
    if (!source) return;
    try { gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB, gl.RGB, gl.UNSIGNED_BYTE, source); } catch { return; }
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.uniform1f(u("yaw"), (view.yaw * Math.PI) / 180);
    gl.uniform1f(u("pitch"), (view.pitch * Math.PI) / 180);
    gl.uniform1f(u("f"), Math.tan((view.fov * Math.PI) / 360));
    gl.uniform1f(u("aspect"), canvas.width / canvas.height);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  };
} else {
  // Without WebGL: the slice of the panorama in front of the viewer (cylindrical, no tilt).
  const ctx = canvas.getContext("2d");
  draw = () => {
    if (!source) return;
    const w = source.videoWidth || source.naturalWidth || source.width;
    const h = source.videoHeight || source.naturalHeight || source.height;
    if (!w || !h) return;
    const sliceW = (w * view.fov * (canvas.width / canvas.height)) / 360;
    const sliceH = Math.min(h, (h * view.fov) / 180 * 1.4);
    let x = ((((view.yaw + 180) / 360) * w - sliceW / 2) % w + w) % w;
    const y = Math.min(Math.max(h / 2 - sliceH / 2 - (view.pitch / 180) * h, 0), h - sliceH);
    const first = Math.min(sliceW, w - x);
    ctx.drawImage(source, x, y, first, sliceH, 0, 0, (first / sliceW) * canvas.width, canvas.height);
    if (first < sliceW) ctx.drawImage(source, 0, y, sliceW - first, sliceH, (first / sliceW) * canvas.width, 0, canvas.width - (first / sliceW) * canvas.width, canvas.height);
  };
}

function loop() {
  if (isVideo) { draw(); requestAnimationFrame(loop); }
}

// --- sources --------------------------------------------------------------------------------
function usePoster() {
  if (!data.poster) { say(data.still); return; }
  const image = new Image();
  image.onload = () => { source = image; isVideo = false; draw(); say(data.still); };
  image.src = data.poster;
}

async function useStream() {
  const kind = data.streamKind;
  const url = data.streamUrl;
  try {
    if (kind === "whep") {
      const pc = new RTCPeerConnection();
      pc.addTransceiver("video", { direction: "recvonly" });
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addEventListener("track", (event) => { video.srcObject = event.streams[0]; });
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp });
      if (!response.ok) throw new Error(String(response.status));
      await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    } else if (kind === "hls" && !video.canPlayType("application/vnd.apple.mpegurl")) {
      const { default: Hls } = await import(new URL("../../npm/hls.js/dist/hls.mjs", import.meta.url).href);
      if (!Hls.isSupported()) throw new Error("hls");
      const hls = new Hls();
      hls.on(Hls.Events.ERROR, (_event, info) => { if (info.fatal) { hls.destroy(); usePoster(); } });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else {
      video.src = url;
    }
    video.addEventListener("playing", () => { source = video; isVideo = true; say(data.live); loop(); }, { once: true });
    video.addEventListener("error", usePoster, { once: true });
    await video.play();
  } catch {
    usePoster();
  }
}

// --- controls -------------------------------------------------------------------------------
function turn(dYaw, dPitch, dFov = 0) {
  view.yaw = (view.yaw + dYaw + 360) % 360;
  view.pitch = Math.min(Math.max(view.pitch + dPitch, -80), 80);
  view.fov = Math.min(Math.max(view.fov + dFov, 30), 110);
  updateAria();
  if (!isVideo) draw();
}

canvas.addEventListener("keydown", (event) => {
  const step = event.shiftKey ? 30 : 10;
  const keys = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step], "+": [0, 0, -10], "=": [0, 0, -10], "-": [0, 0, 10] };
  const move = keys[event.key];
  if (!move) return;
  event.preventDefault();
  turn(...move);
});
let drag = null;
canvas.addEventListener("pointerdown", (event) => { drag = { x: event.clientX, y: event.clientY }; canvas.setPointerCapture(event.pointerId); });
canvas.addEventListener("pointermove", (event) => {
  if (!drag) return;
  const scale = view.fov / canvas.clientWidth;
  turn(-(event.clientX - drag.x) * scale, (event.clientY - drag.y) * scale);
  drag = { x: event.clientX, y: event.clientY };
});
canvas.addEventListener("pointerup", () => { drag = null; });

updateAria();
if (data.streamUrl) useStream(); else usePoster();
