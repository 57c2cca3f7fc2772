// v2m listening test: blind trials in an order drawn from the test's seed and the listener's name; each clip
// must be played before it is judged; the answers are downloaded as JSON (v2m_core/listening_test/schema.py).
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const stage = document.getElementById("stage");
  const progress = document.getElementById("progress");
  const PLAYED = 0.9;  // share of a clip that must have played before it can be judged
  const clips = new Map(data.clips.map((clip) => [clip.id, clip]));
  let state = null;

  function hash(text) {  // FNV-1a, 32 bits
    let h = 2166136261;
    for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 16777619) >>> 0;
    return h;
  }

  function generator(seed) {  // mulberry32
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(items, random) {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  function trialsFor(listener) {
    const random = generator(hash(`${data.test}:${data.seed}:${listener}`));
    const ids = data.clips.map((clip) => clip.id).sort();
    if (data.mode === "ratings") return shuffle(ids, random).map((id) => [id]);
    const pairs = [];
    for (const [i, a] of ids.entries()) {
      for (const b of ids.slice(i + 1)) {
        if (clips.get(a).video === clips.get(b).video) pairs.push(random() < 0.5 ? [a, b] : [b, a]);
      }
    }
    return shuffle(pairs, random);
  }

  const storageKey = (listener) => `v2m-listening:${data.test}:${listener}`;

  function save() {
    try { localStorage.setItem(storageKey(state.listener), JSON.stringify(state)); } catch (error) { /* private mode */ }
  }

  function restore(listener) {
    try { return JSON.parse(localStorage.getItem(storageKey(listener))); } catch (error) { return null; }
  }

  function html(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== undefined) node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children);
    return node;
  }

  function choice(name, options, chosen, onChange) {
    return html("div", { class: "switch", role: "radiogroup" }, ...options.map(([value, label]) =>
      html("label", {}, html("input", { type: "radio", name, value, checked: String(value) === String(chosen),
        onchange: () => onChange(value) }), label)));
  }

  function player(id, caption) {
    const video = html("video", { controls: true, preload: "auto", playsinline: true, src: clips.get(id).src,
      "data-clip": id });
    const heard = () => {
      let seconds = 0;
      for (let i = 0; i < video.played.length; i++) seconds += video.played.end(i) - video.played.start(i);
      if (video.duration && seconds >= PLAYED * video.duration && !state.played.includes(id)) {
        state.played.push(id);
        save();
        draw();
      }
    };
    ["timeupdate", "ended", "pause"].forEach((type) => video.addEventListener(type, heard));
    return html("figure", {}, ...(caption ? [html("figcaption", {}, caption)] : []), video);
  }

  function intro() {
    progress.textContent = "";
    const explain = data.mode === "ratings"
      ? `You will watch ${data.clips.length} short videos with music. Watch each to the end, then rate its music on ` +
        `${data.axes.length} questions from 1 (bad) to 5 (excellent).`
      : `Each trial shows one video twice, as A and B, with different music. Watch both to the end, then choose ` +
        `which music fits the video better.`;
    const name = html("input", { id: "listener", autocomplete: "off", placeholder: "name or initials",
      oninput: () => { start.disabled = !name.value.trim(); } });
    const start = html("button", { id: "start", class: "primary", disabled: true, onclick: () => begin(name.value.trim()) },
      "Start");
    stage.replaceChildren(html("h2", {}, "Before you start"),
      html("p", {}, explain, " The clips come in an order made for you, and nothing says how each was made: there are " +
        "no right answers. Use headphones or good speakers, at a volume you like, and keep it there."),
      html("p", {}, html("label", {}, "Your name or initials ", name), " ", start));
    name.focus();
  }

  function begin(listener) {
    state = restore(listener) || { listener, trials: trialsFor(listener), index: 0, ratings: {}, preferences: {}, played: [] };
    save();
    draw();
  }

  function complete(trial) {
    if (!trial.every((id) => state.played.includes(id))) return false;
    if (data.mode === "ratings") return data.axes.every((axis) => (state.ratings[trial[0]] || {})[axis.key]);
    return Boolean(state.preferences[trial.join("|")]);
  }

  function go(index) {
    state.index = index;
    save();
    draw();
  }

  function draw() {
    if (state.index >= state.trials.length) return finish();
    const trial = state.trials[state.index];
    const noun = data.mode === "ratings" ? "Clip" : "Pair";
    progress.textContent = `${noun} ${state.index + 1} of ${state.trials.length} · ${state.listener}`;
    const heard = trial.every((id) => state.played.includes(id));
    const focus = document.activeElement?.dataset?.clip;
    const kept = [...stage.querySelectorAll("video")].filter((video) => trial.includes(video.dataset.clip));
    const players = stage.dataset.trial === String(state.index) && kept.length === trial.length
      ? kept.map((video) => video.closest("figure"))
      : trial.map((id, i) => player(id, data.mode === "ab" ? "AB"[i] : ""));
    let questions;
    if (data.mode === "ratings") {
      const scores = state.ratings[trial[0]] || {};
      questions = data.axes.map((axis) => html("fieldset", { "data-axis": axis.key, disabled: !heard },
        html("legend", {}, axis.name), html("p", { class: "note" }, axis.question),
        choice(axis.key, data.scale.map((label, i) => [i + 1, `${i + 1} ${label}`]), scores[axis.key], (value) => {
          state.ratings[trial[0]] = { ...(state.ratings[trial[0]] || {}), [axis.key]: Number(value) };
          save();
          draw();
        })));
    } else {
      questions = [html("fieldset", { "data-axis": "preference", disabled: !heard },
        html("legend", {}, "Which music fits the video better?"),
        choice("preference", [["first", "A"], ["none", "No preference"], ["second", "B"]],
          state.preferences[trial.join("|")], (value) => {
            state.preferences[trial.join("|")] = value;
            save();
            draw();
          }))];
    }
    const hint = heard ? "" : `Watch ${trial.length > 1 ? "both clips" : "the clip"} to the end to answer.`;
    stage.dataset.trial = state.index;
    stage.replaceChildren(html("div", { class: data.mode === "ab" ? "pair" : "single" }, ...players),
      html("p", { class: "note", id: "hint" }, hint), ...questions,
      html("p", { class: "buttons" },
        html("button", { id: "back", disabled: state.index === 0, onclick: () => go(state.index - 1) }, "Back"), " ",
        html("button", { id: "next", class: "primary", disabled: !complete(trial), onclick: () => go(state.index + 1) },
          state.index + 1 === state.trials.length ? "Finish" : "Next")));
    if (focus) stage.querySelector(`video[data-clip="${focus}"]`)?.focus();
  }

  function answers() {
    const shown = state.trials.map((trial) => trial.join("|"));
    return {
      schema_version: 1, test_id: data.test, mode: data.mode, listener: state.listener, order: shown,
      ratings: data.mode === "ratings" ? shown.map((clip) => ({ clip, scores: state.ratings[clip] })) : [],
      preferences: data.mode === "ab" ? state.trials.map(([first, second]) =>
        ({ first, second, choice: state.preferences[`${first}|${second}`] })) : [],
    };
  }

  function finish() {
    progress.textContent = `Done · ${state.listener}`;
    const slug = state.listener.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "listener";
    const name = `answers-${slug}-${data.test.slice(0, 8)}.json`;
    const download = html("button", { id: "download", class: "primary", onclick: () => {
      const blob = new Blob([JSON.stringify(answers(), null, 2) + "\n"], { type: "application/json" });
      const link = html("a", { href: URL.createObjectURL(blob), download: name });
      document.body.append(link);
      link.click();
      link.remove();
      saved.textContent = `Saved as ${name} in your downloads folder.`;
    } }, "Download my answers");
    const saved = html("p", { class: "note", id: "saved" });
    stage.replaceChildren(html("h2", {}, "Thank you"),
      html("p", {}, "Download your answers and send the file to whoever asked you to take this test."),
      html("p", {}, download, " ", html("button", { id: "back", onclick: () => go(state.trials.length - 1) }, "Back")),
      saved);
  }

  intro();
})();
