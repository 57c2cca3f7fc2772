// v2m report: the soundtrack switch (new, original, a stem) kept on the picture's clock, and a timeline and
// piano roll with a playhead that follows it. Data: the JSON in #page-data (v2m_core/report/timeline.py).
(() => {
  "use strict";
  const clock = document.querySelector("[data-clock]");
  if (!clock) return;

  // --- Soundtracks: one element per source; the chosen one follows the clock, the clock is muted unless chosen.
  const sources = new Map([...document.querySelectorAll("[data-soundtrack]")].map((el) => [el.dataset.soundtrack, el]));
  let chosen = "new";

  function follow() {
    const el = sources.get(chosen);
    if (!el || el === clock) return;
    el.playbackRate = clock.playbackRate;
    if (Math.abs(el.currentTime - clock.currentTime) > 0.15) el.currentTime = clock.currentTime;
    if (clock.paused && !el.paused) el.pause();
    if (!clock.paused && el.paused) el.play().catch(() => {});
  }

  function choose(name) {
    if (!sources.has(name)) return;
    const previous = sources.get(chosen);
    if (previous && previous !== clock) previous.pause();
    chosen = name;
    clock.muted = sources.get(name) !== clock;
    document.body.dataset.soundtrack = name;
    const radio = document.querySelector(`input[name=soundtrack][value="${name}"]`);
    if (radio) radio.checked = true;
    follow();
  }

  document.querySelectorAll("input[name=soundtrack]").forEach((radio) =>
    radio.addEventListener("change", () => radio.checked && choose(radio.value)));
  ["play", "pause", "seeked", "ratechange", "timeupdate"].forEach((type) => clock.addEventListener(type, follow));
  choose("new");

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, button, audio, video, a") || event.metaKey || event.ctrlKey) return;
    if (event.key === " ") { event.preventDefault(); clock.paused ? clock.play() : clock.pause(); }
    if (event.key === "a") choose("new");
    if (event.key === "b") choose("original");
  });

  // --- Timeline and piano roll.
  const dataNode = document.getElementById("page-data");
  const scroll = document.getElementById("scroll");
  if (!dataNode || !scroll) return;
  const data = JSON.parse(dataNode.textContent);
  const inner = document.getElementById("inner");
  const playhead = document.getElementById("playhead");
  const now = document.getElementById("now");
  const SVG = "http://www.w3.org/2000/svg";
  const MAX_WIDTH = 30000;  // browsers refuse canvases much wider than 32767 px
  const LANES = [["time", 16], ["sections", 22], ["phrases", 14], ["chords", 26], ["beats", 22], ["tempo", 34],
    ["picture", 30]];
  const ROLL = 180, DRUMS = 36;
  const ROLE_COLOURS = { chords: "#8e7cc3", bass: "#3d85c6", melody: "#e06666", drums: "#6b6b6b" };
  const OTHER_COLOURS = ["#f6b26b", "#93c47d", "#76a5af", "#c27ba0", "#ffd966"];
  let pps = 0;

  function fitPps() {
    return Math.max(scroll.clientWidth / data.duration, Math.min(40, MAX_WIDTH / data.duration));
  }

  function el(name, attributes, parent, title) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (title) { const t = document.createElementNS(SVG, "title"); t.textContent = title; node.appendChild(t); }
    parent.appendChild(node);
    return node;
  }

  function clockText(seconds) {
    const m = Math.floor(seconds / 60);
    return `${m}:${(seconds - 60 * m).toFixed(1).padStart(4, "0")}`;
  }

  function trackColour(track, index) {
    return ROLE_COLOURS[track.role] || OTHER_COLOURS[index % OTHER_COLOURS.length];
  }

  function laneNames() {
    const names = document.getElementById("lane-names");
    names.replaceChildren(...[...LANES, ["notes", ROLL + DRUMS]].map(([name, height]) => {
      const div = document.createElement("div");
      div.style.height = `${height}px`;
      div.textContent = name === "time" ? "" : name;
      return div;
    }));
  }

  function drawTimeline(width) {
    const top = {};
    let y = 0;
    for (const [name, height] of LANES) { top[name] = y; y += height; }
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", y);
    const x = (t) => t * pps;
    const step = [1, 2, 5, 10, 15, 30, 60, 120].find((s) => s * pps >= 60) || 300;
    for (let t = 0; t <= data.duration; t += step) {
      el("line", { x1: x(t), x2: x(t), y1: 10, y2: 16, stroke: "#999" }, svg);
      el("text", { x: x(t) + 2, y: 10 }, svg).textContent = clockText(t).replace(/\.0$/, "");
    }
    data.sections.forEach((s, i) => {
      el("rect", { x: x(s.start), y: top.sections + 2, width: x(s.end - s.start), height: 18, rx: 3,
        fill: data.colours.emotion[s.emotion] || "#ccc", "fill-opacity": 0.35 + 0.5 * s.energy },
        svg, `section ${i + 1}: ${s.emotion}, ${s.tempo} bpm, energy ${s.energy}`);
      el("text", { x: x(s.start) + 4, y: top.sections + 15 }, svg).textContent = `${i + 1} · ${s.emotion} · ${Math.round(s.tempo)} bpm`;
    });
    data.phrases.forEach((p) => el("rect", { x: x(p.start), y: top.phrases + 2, width: Math.max(1, x(p.end - p.start) - 1),
      height: 10, fill: data.colours.phrase[p.function] || "#ddd" }, svg, `${p.function} phrase, ${p.bars} bars`));
    data.chords.forEach((c, i) => {
      const rect = el("rect", { class: "chord", x: x(c.start), y: top.chords + 2, width: Math.max(1, x(c.end - c.start) - 1),
        height: 22, rx: 3, fill: `hsl(${c.root * 30}, 60%, ${i % 2 ? 78 : 84}%)`, "data-index": i }, svg,
        `${c.label}: ${clockText(c.start)}-${clockText(c.end)}`);
      rect.dataset.start = c.start;
      if (x(c.end - c.start) > 7 * c.label.length) {
        el("text", { x: x(c.start) + 3, y: top.chords + 17 }, svg).textContent = c.label;
      }
    });
    const tempi = data.beats.map((b) => b[3]);
    const low = Math.min(...tempi), high = Math.max(...tempi);
    const tempoY = (bpm) => top.tempo + 30 - (high > low ? 26 * (bpm - low) / (high - low) : 13);
    data.beats.forEach(([t, bar, position]) => {
      const down = position === 0;
      el("line", { x1: x(t), x2: x(t), y1: top.beats + (down ? 2 : 12), y2: top.beats + 22, stroke: down ? "#222" : "#999" }, svg);
      if (down && pps * 1.5 > 14) el("text", { x: x(t) + 2, y: top.beats + 10 }, svg).textContent = bar + 1;
    });
    if (data.beats.length) {
      el("polyline", { points: data.beats.map(([t, , , bpm]) => `${x(t)},${tempoY(bpm)}`).join(" "), fill: "none",
        stroke: "#2b59c3", "stroke-width": 1.5 }, svg, `tempo ${Math.round(low)}-${Math.round(high)} bpm`);
      el("text", { x: 2, y: top.tempo + 10 }, svg).textContent = high > low ? `${Math.round(low)}-${Math.round(high)} bpm` : `${Math.round(low)} bpm`;
    }
    const curve = (values, colour, label) => values.length && el("polyline", {
      points: values.map((v, i) => `${x(i + 0.5)},${top.picture + 28 - 26 * Math.min(1, Math.max(0, v))}`).join(" "),
      fill: "none", stroke: colour, "stroke-width": 1.5 }, svg, label);
    curve(data.motion, "#444", "motion of the picture (0..1)");
    curve(data.energy, "#c0392b", "energy of the music (plan, 0..1)");
    data.cuts.forEach((c) => el("line", { x1: x(c.time), x2: x(c.time), y1: 16, y2: y, stroke: "#d93025",
      "stroke-width": c.structural ? 2 : 1, "stroke-dasharray": c.mark === "none" ? "2 3" : c.mark === "light" ? "5 3" : "" },
      svg, `${c.structural ? "structural cut" : "cut"} at ${clockText(c.time)}`));
    return svg;
  }

  function drawRoll(width) {
    const canvas = document.createElement("canvas");
    canvas.id = "pianoroll";
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round((ROLL + DRUMS) * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${ROLL + DRUMS}px`;
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const pitched = data.tracks.filter((t) => !t.drum).flatMap((t) => t.notes.map((n) => n[2]));
    const low = Math.min(...pitched, 127) - 1, high = Math.max(...pitched, 0) + 1;
    const row = ROLL / Math.max(1, high - low);
    context.fillStyle = "#fafbfc";
    context.fillRect(0, 0, width, ROLL);
    context.fillStyle = "#f0f1f3";
    context.fillRect(0, ROLL, width, DRUMS);
    for (let pitch = low; pitch <= high; pitch++) {
      if (pitch % 12 === 0) { context.fillStyle = "#e3e6ea"; context.fillRect(0, ROLL - (pitch - low) * row, width, 1); }
    }
    let drawn = 0;
    data.tracks.forEach((track, index) => {
      context.fillStyle = trackColour(track, index);
      for (const [start, end, pitch, velocity] of track.notes) {
        context.globalAlpha = 0.35 + 0.65 * velocity / 127;
        if (track.drum) context.fillRect(start * pps, ROLL + 2 + (pitch % 16) * 2, Math.max(2, (end - start) * pps), 2);
        else context.fillRect(start * pps, ROLL - (pitch - low + 1) * row, Math.max(1, (end - start) * pps), Math.max(1.5, row));
        drawn++;
      }
    });
    context.globalAlpha = 1;
    canvas.dataset.notes = drawn;
    return canvas;
  }

  function legend() {
    const box = document.getElementById("legend");
    box.replaceChildren(...data.tracks.map((track, index) => {
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = trackColour(track, index);
      item.append(swatch, `${track.name} (${track.notes.length} notes)`);
      return item;
    }));
  }

  function render(newPps) {
    pps = newPps;
    const width = Math.ceil(data.duration * pps);
    inner.style.width = `${width}px`;
    inner.replaceChildren(drawTimeline(width), drawRoll(width), playhead);
    scroll.dataset.pps = pps;
    update();
  }

  const beatAt = (t) => data.beats.findLast((b) => b[0] <= t + 1e-3);
  const spanAt = (list, t) => list.findIndex((s) => s.start <= t && t < s.end);
  let lit = null;

  function update() {
    const t = clock.currentTime;
    const px = t * pps;
    playhead.style.transform = `translateX(${px}px)`;
    playhead.dataset.time = t.toFixed(3);
    playhead.dataset.x = px.toFixed(1);
    const beat = beatAt(t), chord = spanAt(data.chords, t), section = spanAt(data.sections, t);
    const parts = [clockText(t)];
    if (beat) parts.push(`bar ${beat[1] + 1} beat ${beat[2] + 1}`);
    if (chord >= 0) parts.push(`chord ${data.chords[chord].label}`);
    if (section >= 0) parts.push(`section ${section + 1} (${data.sections[section].emotion}, ${Math.round(data.sections[section].tempo)} bpm)`);
    now.textContent = parts.join(" · ");
    const rect = inner.querySelector(`.chord[data-index="${chord}"]`);
    if (rect !== lit) { lit?.classList.remove("on"); rect?.classList.add("on"); lit = rect; }
    if (!clock.paused && (px < scroll.scrollLeft || px > scroll.scrollLeft + 0.85 * scroll.clientWidth)) {
      scroll.scrollLeft = px - 0.15 * scroll.clientWidth;
    }
  }

  function animate() {
    update();
    if (!clock.paused) requestAnimationFrame(animate);
  }

  clock.addEventListener("play", () => requestAnimationFrame(animate));
  ["timeupdate", "seeked", "loadedmetadata"].forEach((type) => clock.addEventListener(type, update));

  let dragging = false;
  const seek = (event) => {
    const t = (event.clientX - inner.getBoundingClientRect().left) / pps;
    clock.currentTime = Math.min(Math.max(0, t), data.duration);
    update();
  };
  inner.addEventListener("pointerdown", (event) => { dragging = true; inner.setPointerCapture(event.pointerId); seek(event); });
  inner.addEventListener("pointermove", (event) => dragging && seek(event));
  inner.addEventListener("pointerup", () => { dragging = false; });

  document.getElementById("zoom-in").addEventListener("click", () => render(Math.min(pps * 1.6, MAX_WIDTH / data.duration)));
  document.getElementById("zoom-out").addEventListener("click", () => render(Math.max(pps / 1.6, scroll.clientWidth / data.duration)));
  document.getElementById("zoom-fit").addEventListener("click", () => render(scroll.clientWidth / data.duration));

  laneNames();
  legend();
  render(fitPps());
})();
