// The listener's mix, made in the browser: the floor and the chosen interpretation channel are
// two tracks with a gain each (WebAudio), so the floor can stay underneath at a chosen volume.
// Chromium plays a remote WebRTC track through WebAudio only when the track is also attached to
// a media element, so each track gets a muted <audio> in `sink`.

export class Mixer {
  constructor(sink) {
    this.sink = sink;
    this.context = null;
    this.gains = {};
    this.levels = {};
    this.elements = [];
  }

  start() {
    if (!this.context) {
      const Context = window.AudioContext || window.webkitAudioContext;
      this.context = new Context();
    }
    if (this.context.state === "suspended") this.context.resume().catch(() => {});
  }

  bus(name) {
    this.start();
    if (!this.gains[name]) {
      const gain = this.context.createGain();
      gain.gain.value = this.levels[name] ?? 1;
      gain.connect(this.context.destination);
      const analyser = this.context.createAnalyser();
      analyser.fftSize = 2048;
      gain.connect(analyser);
      gain.analyser = analyser;
      this.gains[name] = gain;
    }
    return this.gains[name];
  }

  // Loudness of a bus now (RMS of the last samples, 0..1): for meters and end-to-end tests.
  level(name) {
    const gain = this.gains[name];
    if (!gain) return 0;
    const data = new Float32Array(gain.analyser.fftSize);
    gain.analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const x of data) sum += x * x;
    return Math.sqrt(sum / data.length);
  }

  // The strongest frequency on a bus now (Hz, to the FFT's resolution, about 23 Hz) and its
  // level in dB: which tone is heard, not only how loud (end-to-end tests, meters).
  peak(name) {
    const gain = this.gains[name];
    if (!gain || !this.context) return { frequency: 0, level: -Infinity };
    const bins = new Float32Array(gain.analyser.frequencyBinCount);
    gain.analyser.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    const width = this.context.sampleRate / gain.analyser.fftSize;
    return { frequency: best * width, level: bins[best] };
  }

  attach(bus, track) {
    const gain = this.bus(bus);
    const stream = new MediaStream([track]);
    const element = document.createElement("audio");
    element.muted = true;
    element.autoplay = true;
    element.srcObject = stream;
    this.sink.append(element);
    this.elements.push(element);
    const source = this.context.createMediaStreamSource(stream);
    source.connect(gain);
    track.addEventListener("ended", () => source.disconnect());
  }

  setLevel(bus, level) {
    this.levels[bus] = level;
    const gain = this.gains[bus];
    if (gain && this.context) gain.gain.setTargetAtTime(level, this.context.currentTime, 0.05);
  }

  stop() {
    for (const element of this.elements) element.remove();
    this.elements = [];
    if (this.context) this.context.close().catch(() => {});
    this.context = null;
    this.gains = {};
  }
}
