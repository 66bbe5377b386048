/* reelcast web page: send a script to /v1/coverage and draw the coverage report.
 * Vanilla JS, no libraries: every chart is inline SVG built here, so the downloaded HTML copy
 * is self-contained. Text from the script only ever reaches the page through textContent. */
"use strict";

(() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const state = { file: null, report: null, budget: null, css: null };

  // --- tiny DOM builders ------------------------------------------------------------------------

  function build(element, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") element.textContent = value;
      else if (key === "class") element.setAttribute("class", value);
      else element.setAttribute(key, value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }
  const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
  const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

  // --- numbers in words -------------------------------------------------------------------------

  function money(value) {
    if (value === null || value === undefined || !isFinite(value)) return "—";
    const abs = Math.abs(value), sign = value < 0 ? "−" : "";
    if (abs >= 1e9) return `${sign}$${(abs / 1e9).toFixed(abs >= 1e10 ? 0 : 1)}B`;
    if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(abs >= 1e8 ? 0 : 1)}M`;
    if (abs >= 1e3) return `${sign}$${Math.round(abs / 1e3)}K`;
    return `${sign}$${Math.round(abs)}`;
  }
  const signedMoney = (v) => (v > 0 ? "+" : "") + money(v);
  const int = (v) => (v === null || v === undefined || !isFinite(v) ? "—" : Math.round(v).toLocaleString("en-US"));
  const pct = (p) => (p === null || p === undefined || !isFinite(p) ? "—" : `${Math.round(p * 100)}%`);
  const signedPoints = (p) => `${p > 0 ? "+" : p < 0 ? "−" : ""}${Math.abs(p * 100).toFixed(1)} pts`;
  const ordinal = (n) => {
    const v = Math.round(n), tens = v % 100, ones = v % 10;
    const suffix = tens >= 11 && tens <= 13 ? "th" : ones === 1 ? "st" : ones === 2 ? "nd" : ones === 3 ? "rd" : "th";
    return `${v}${suffix}`;
  };
  const humanize = (name) => String(name).replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());
  const slug = (text) => String(text || "script").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "script";

  /** "25M", "$1.2b", "25,000,000" → dollars; NaN when it is not a positive amount. */
  function parseBudget(raw) {
    const match = String(raw).trim().toLowerCase().replace(/[$,\s]/g, "").match(/^(\d+(?:\.\d+)?)([kmb])?$/);
    if (!match) return NaN;
    const scale = { k: 1e3, m: 1e6, b: 1e9 }[match[2]] || 1;
    const value = parseFloat(match[1]) * scale;
    return value > 0 ? value : NaN;
  }

  function budgetTier(dollars) {
    if (!isFinite(dollars)) return "—";
    if (dollars < 5e6) return "Micro-budget (under $5M)";
    if (dollars < 20e6) return "Low budget ($5–20M)";
    if (dollars < 60e6) return "Mid budget ($20–60M)";
    if (dollars < 120e6) return "High budget ($60–120M)";
    return "Tentpole (over $120M)";
  }

  // --- intake: tabs, drop zone, submit ----------------------------------------------------------

  function activeSource() {
    return $("tab-text").classList.contains("active") ? "text" : "file";
  }

  function selectTab(tab) {
    for (const other of document.querySelectorAll(".tab")) {
      const active = other === tab;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", String(active));
      $(other.dataset.panel).hidden = !active;
    }
  }

  function chooseFile(file) {
    state.file = file || null;
    const label = $("file-name");
    label.hidden = !file;
    label.textContent = file ? `${file.name} · ${(file.size / 1024).toFixed(0)} KB` : "";
    $("dropzone").classList.toggle("has-file", Boolean(file));
    hideError();
  }

  function wireIntake() {
    for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => selectTab(tab));
    const zone = $("dropzone");
    $("file-input").addEventListener("change", (event) => chooseFile(event.target.files[0]));
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add("dragging"); });
    }
    for (const type of ["dragleave", "drop"]) {
      zone.addEventListener(type, () => zone.classList.remove("dragging"));
    }
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer.files.length) chooseFile(event.dataTransfer.files[0]);
    });
    $("intake-form").addEventListener("submit", (event) => { event.preventDefault(); analyze(); });
    $("new-script").addEventListener("click", showIntake);
    $("download-json").addEventListener("click", downloadJson);
    $("download-html").addEventListener("click", downloadHtml);
    $("print").addEventListener("click", () => window.print());
  }

  /** The request body from the form, or a message saying what is missing. */
  function requestBody() {
    const rawBudget = $("budget").value.trim();
    const budget = rawBudget ? parseBudget(rawBudget) : null;
    if (rawBudget && !isFinite(budget)) {
      return { error: "The planned budget must be a positive amount in US dollars, like 25000000 or 25M — or leave it empty." };
    }
    if (activeSource() === "file") {
      if (!state.file) return { error: "Choose a script file first (.pdf, .fdx, .fountain or .txt), or switch to “Paste text”." };
      const form = new FormData();
      form.append("file", state.file, state.file.name);
      if (budget) form.append("budget_usd", String(budget));
      return { body: form, budget };
    }
    const text = $("script-text").value;
    if (!text.trim()) return { error: "Paste the screenplay text first, or switch to “Upload file”." };
    return {
      body: JSON.stringify(budget ? { text, budget_usd: budget } : { text }),
      headers: { "Content-Type": "application/json" },
      budget,
    };
  }

  async function analyze() {
    hideError();
    const request = requestBody();
    if (request.error) return showError(request.error);
    const stopProgress = startProgress();
    try {
      const response = await fetch("/v1/coverage", { method: "POST", body: request.body, headers: request.headers });
      const payload = await response.json().catch(() => null);
      if (!response.ok) return showError(describeFailure(response, payload));
      state.budget = request.budget;
      showReport(payload);
    } catch (error) {
      showError("Could not reach the reelcast server. Is `reelcast serve` still running? Reload the page and try again.");
    } finally {
      stopProgress();
    }
  }

  function describeFailure(response, payload) {
    const detail = payload && payload.detail;
    const text = Array.isArray(detail) ? detail.map((d) => d.msg || JSON.stringify(d)).join("; ") : detail;
    return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : `The server answered ${response.status} ${response.statusText}.`;
  }

  function startProgress() {
    const stages = ["Uploading…", "Reading the script…", "Finding scenes and characters…",
      "Running the forecast model…", "Finding comparable films…", "Writing the coverage…"];
    let index = 0;
    $("progress").hidden = false;
    $("analyze").disabled = true;
    $("progress-text").textContent = stages[0];
    const timer = setInterval(() => {
      index = Math.min(index + 1, stages.length - 1);
      $("progress-text").textContent = stages[index];
    }, 1400);
    return () => {
      clearInterval(timer);
      $("progress").hidden = true;
      $("analyze").disabled = false;
    };
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
  }
  const hideError = () => { $("error").hidden = true; };

  function showIntake() {
    $("intake").hidden = false;
    $("report").hidden = true;
    $("report-toolbar").hidden = true;
    window.scrollTo(0, 0);
  }

  async function checkHealth() {
    const pill = $("model-status");
    try {
      const health = await (await fetch("/healthz")).json();
      const ok = health.status === "ok";
      pill.textContent = ok ? `model ${health.model_version}` : "no model loaded";
      pill.title = ok ? "The forecast model is loaded" : health.detail || "";
      pill.classList.add(ok ? "ok" : "warn");
    } catch (error) {
      pill.textContent = "server unreachable";
      pill.classList.add("warn");
    }
  }

  // --- the report -------------------------------------------------------------------------------

  function showReport(report) {
    state.report = report;
    const article = $("report");
    article.replaceChildren(...reportSections(report));
    article.hidden = false;
    article.dataset.ready = "true";
    if (hasIntake()) {
      $("intake").hidden = true;
      $("report-toolbar").hidden = false;
    }
    document.title = `${report.title || "Untitled"} · coverage · reelcast`;
    window.scrollTo(0, 0);
  }

  function reportSections(report) {
    const explanation = report.explanation || {};
    const prediction = report.prediction || explanation.prediction || {};
    const scenes = report.scenes || [];
    const index = new Map(scenes.map((sc, i) => [sc.number, i]));
    // Where a scene sits in the script, 0-based: scene numbers need not start at 1 or run without gaps.
    const sceneIndex = (number) => index.get(number) ?? 0;
    const context = { report, explanation, prediction, scenes, sceneIndex, headings: new Map(scenes.map((sc) => [sc.number, sc.heading])) };
    return [
      headerSection(context),
      keyNumbers(context),
      forecastSection(context),
      driversSection(context),
      comparablesSection(context),
      findingsSection(context),
      outlineSection(context),
      structureSection(context),
      charactersSection(context),
      presenceSection(context),
      arcSection(context),
      pacingSection(context),
      contentSection(context),
      evidenceSection(context),
      footer(context),
    ].filter(Boolean);
  }

  function section(id, title, subtitle, ...content) {
    return h("section", { class: "rsec", id: `sec-${id}` },
      h("header", { class: "rsec-head" }, h("h2", { text: title }), subtitle ? h("p", { class: "muted", text: subtitle }) : null),
      ...content);
  }

  function sceneChips(numbers, headings) {
    if (!numbers || !numbers.length) return null;
    return h("span", { class: "chips" }, numbers.map((n) =>
      h("span", { class: "chip", title: headings.get(n) || "", text: `Sc. ${n}` })));
  }

  function headerSection({ report, prediction }) {
    const verdict = String(report.verdict || "consider").toLowerCase();
    return h("header", { class: "rhead", id: "sec-header" },
      h("div", { class: "rhead-main" },
        h("p", { class: "eyebrow", text: "Coverage report" }),
        h("h1", { class: "rtitle", text: report.title || "Untitled script" }),
        h("p", { class: "writers", text: report.writers && report.writers.length ? `Written by ${report.writers.join(" & ")}` : "Writer not credited" }),
        report.source_material ? h("p", { class: "source-material", text: report.source_material }) : null,
        h("div", { class: "genres" }, (report.genres || []).map((g) => h("span", { class: "tag", text: g }))),
        report.logline ? h("p", { class: "logline", text: report.logline }) : null),
      h("div", { class: `verdict verdict-${verdict}` },
        h("span", { class: "verdict-label", text: "Verdict" }),
        h("span", { class: "verdict-value", text: verdict.toUpperCase() }),
        prediction.p_break_even !== undefined ? h("span", { class: "verdict-sub", text: `${pct(prediction.p_break_even)} break-even odds` }) : null));
  }

  function keyNumbers({ report }) {
    const stats = report.stats || {};
    const speaking = stats.speaking_characters ?? (report.characters || []).length;
    const items = [
      ["Pages", int(stats.pages)],
      ["Est. runtime", stats.runtime_min ? `${Math.round(stats.runtime_min)} min` : "—"],
      ["Scenes", int(stats.scenes)],
      ["Words", int(stats.words)],
      ["Speaking roles", int(speaking)],
    ];
    if (stats.locations) items.push(["Locations", int(stats.locations)]);
    return h("section", { class: "kpis", id: "sec-numbers" },
      items.map(([label, value]) => h("div", { class: "kpi" }, h("span", { class: "kpi-value", text: value }), h("span", { class: "kpi-label", text: label }))));
  }

  function forecastSection({ prediction, explanation }) {
    const gross = prediction.worldwide_gross_usd || {};
    const budget = prediction.production_budget_usd || {};
    // The service says which budget break-even was judged against; older answers leave it to us.
    const planned = prediction.budget_source ? (prediction.budget_source === "planned" ? prediction.budget_used_usd : null)
      : state.budget || prediction.planned_budget_usd || null;
    const judgedBudget = prediction.budget_used_usd || planned || budget.estimate;
    const tier = !planned && prediction.budget_tier ? humanize(prediction.budget_tier) : budgetTier(judgedBudget);
    const level = pct(gross.level || 0.8);
    const warnings = prediction.warnings || [];
    return section("forecast", "Box-office forecast", `Worldwide theatrical gross, ${level} interval · model ${prediction.model_version || "—"}`,
      h("div", { class: "forecast-grid" },
        h("div", { class: "forecast-main" },
          h("div", { class: "big-number" }, h("span", { class: "big-value", text: money(gross.estimate) }),
            h("span", { class: "big-label", text: `expected worldwide gross · ${level} range ${money(gross.low)} – ${money(gross.high)}` })),
          intervalChart(gross, judgedBudget),
          h("dl", { class: "facts" },
            fact("Budget the script implies", `${money(budget.estimate)}`, `${level} range ${money(budget.low)} – ${money(budget.high)}`),
            fact("Budget tier", tier, planned ? `planned budget ${money(planned)}` : "from the implied budget"),
            fact("Break-even gross", money(2.5 * judgedBudget), "2.5 × production budget"))),
        h("div", { class: "forecast-side" },
          gauge(prediction.p_break_even),
          h("p", { class: "gauge-caption", text: `chance the film grosses 2.5 × its ${planned ? "planned" : "implied"} budget` }))),
      explanation.summary ? h("p", { class: "summary", text: explanation.summary }) : null,
      warnings.length ? h("ul", { class: "warnings" }, warnings.map((w) => h("li", { text: w }))) : null);
  }

  function fact(label, value, note) {
    return h("div", { class: "fact" }, h("dt", { text: label }), h("dd", {}, h("strong", { text: value }), note ? h("span", { class: "muted", text: note }) : null));
  }

  /** The gross interval on a log axis, with the estimate and the break-even line. */
  function intervalChart(gross, budget) {
    const W = 640, H = 96, left = 16, right = W - 16, y = 42;
    const breakEven = isFinite(budget) ? 2.5 * budget : null;
    const values = [gross.low, gross.high, gross.estimate, breakEven].filter((v) => v > 0);
    if (!values.length) return null;
    const lo = Math.log10(Math.min(...values) / 1.6), hi = Math.log10(Math.max(...values) * 1.6);
    const x = (v) => left + ((Math.log10(Math.max(v, 1)) - lo) / (hi - lo)) * (right - left);
    const ticks = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      for (const m of [1, 3]) {
        const v = m * 10 ** e;
        if (Math.log10(v) >= lo && Math.log10(v) <= hi) ticks.push(v);
      }
    }
    return s("svg", { class: "chart interval-chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Gross interval ${money(gross.low)} to ${money(gross.high)}` },
      s("rect", { x: left, y: y - 3, width: right - left, height: 6, rx: 3, class: "track" }),
      s("rect", { x: x(gross.low), y: y - 11, width: Math.max(2, x(gross.high) - x(gross.low)), height: 22, rx: 6, class: "band" }),
      ticks.map((v) => s("g", {},
        s("line", { x1: x(v), x2: x(v), y1: y + 16, y2: y + 20, class: "tick" }),
        s("text", { x: x(v), y: y + 32, class: "axis-label", "text-anchor": "middle", text: money(v) }))),
      breakEven ? s("g", { class: "breakeven" },
        s("line", { x1: x(breakEven), x2: x(breakEven), y1: y - 24, y2: y + 14 }),
        s("text", { x: x(breakEven), y: y - 28, "text-anchor": "middle", text: `break-even ${money(breakEven)}` })) : null,
      s("line", { x1: x(gross.estimate), x2: x(gross.estimate), y1: y - 15, y2: y + 15, class: "estimate" }),
      s("circle", { cx: x(gross.estimate), cy: y, r: 5, class: "estimate-dot" }),
      s("text", { x: x(gross.low), y: y - 16, class: "band-label", "text-anchor": "start", text: money(gross.low) }),
      s("text", { x: x(gross.high), y: y - 16, class: "band-label", "text-anchor": "end", text: money(gross.high) }));
  }

  /** A half-circle gauge for a probability. */
  function gauge(p) {
    const value = isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
    const cx = 110, cy = 104, r = 84;
    const point = (t) => [cx - r * Math.cos(Math.PI * t), cy - r * Math.sin(Math.PI * t)];
    const arc = (t0, t1) => {
      const [x0, y0] = point(t0), [x1, y1] = point(t1);
      return `M ${x0} ${y0} A ${r} ${r} 0 0 1 ${x1} ${y1}`;
    };
    const tone = value >= 0.6 ? "good" : value >= 0.35 ? "fair" : "poor";
    return s("svg", { class: `chart gauge gauge-${tone}`, viewBox: "0 0 220 132", role: "img", "aria-label": `Break-even probability ${pct(p)}` },
      s("path", { d: arc(0, 1), class: "gauge-track" }),
      value > 0.001 ? s("path", { d: arc(0, value), class: "gauge-value" }) : null,
      s("text", { x: cx, y: cy - 14, "text-anchor": "middle", class: "gauge-number", text: pct(p) }),
      s("text", { x: cx, y: cy + 10, "text-anchor": "middle", class: "gauge-label", text: "break-even" }),
      s("text", { x: cx - r, y: cy + 26, "text-anchor": "middle", class: "axis-label", text: "0%" }),
      s("text", { x: cx + r, y: cy + 26, "text-anchor": "middle", class: "axis-label", text: "100%" }));
  }

  function driversSection({ explanation }) {
    const drivers = explanation.drivers || [];
    if (!drivers.length) return null;
    const gross = (d) => (d.contribution && d.contribution.worldwide_gross_usd) || 0;
    const scale = Math.max(...drivers.map((d) => Math.abs(gross(d)))) || 1;
    return section("drivers", "What drives the forecast", "Each feature's exact contribution to the gross estimate, relative to the model's baseline",
      h("ol", { class: "drivers" }, drivers.map((d) => {
        const value = gross(d), share = Math.abs(value) / scale;
        const odds = d.contribution && d.contribution.p_break_even;
        return h("li", { class: `driver ${value >= 0 ? "up" : "down"}` },
          h("div", { class: "driver-name" }, h("strong", { text: d.label || humanize(d.feature) }),
            h("span", { class: "muted", text: driverValue(d) })),
          s("svg", { class: "chart driver-bar", viewBox: "0 0 200 18", preserveAspectRatio: "none", role: "img", "aria-label": signedMoney(value) },
            s("line", { x1: 100, x2: 100, y1: 0, y2: 18, class: "axis" }),
            s("rect", { x: value >= 0 ? 100 : 100 - 98 * share, y: 3, width: Math.max(1, 98 * share), height: 12, rx: 2, class: "bar" })),
          h("div", { class: "driver-effect" }, h("strong", { text: signedMoney(value) }),
            isFinite(odds) ? h("span", { class: "muted", text: `${signedPoints(odds)} break-even` }) : null),
          h("p", { class: "driver-sentence", text: d.sentence || "" }));
      })));
  }

  /** "very high · 95th percentile": the sentence gives the value in words (raw values are often logs).
   *  A state ("credited", "tagged", "not given") has no rank: a percentile beside it would mislead. */
  function driverValue(d) {
    const ranked = d.ranked !== false && isFinite(d.percentile) && d.percentile !== null;
    const percentile = ranked ? `${ordinal(d.percentile)} percentile of produced scripts` : null;
    return [d.band, percentile].filter(Boolean).join(" · ") || String(d.value ?? "—");
  }

  function comparablesSection({ explanation }) {
    const films = explanation.comparables || [];
    if (!films.length) return null;
    return section("comparables", "Comparable titles", "The most similar scripts in the dataset and how those films actually performed",
      h("table", { class: "table" },
        h("thead", {}, h("tr", {}, ["Film", "Similarity", "Worldwide gross", "Budget", "Multiple", "Why it compares"].map((t) => h("th", { text: t })))),
        h("tbody", {}, films.map((f) => {
          const multiple = f.worldwide_gross_usd && f.production_budget_usd ? f.worldwide_gross_usd / f.production_budget_usd : null;
          return h("tr", {},
            h("td", {}, h("strong", { text: f.title }), f.year ? h("span", { class: "muted", text: ` (${f.year})` }) : null),
            h("td", {}, meter(f.similarity)),
            h("td", { class: "num", text: money(f.worldwide_gross_usd) }),
            h("td", { class: "num", text: money(f.production_budget_usd) }),
            h("td", { class: `num ${multiple === null ? "" : multiple >= 2.5 ? "good" : "poor"}`, text: multiple === null ? "—" : `${multiple.toFixed(1)}×` }),
            h("td", { class: "why", text: f.why || "" }));
        }))));
  }

  function meter(value) {
    const v = isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
    return h("span", { class: "meter" },
      s("svg", { viewBox: "0 0 60 8", class: "chart meter-bar", preserveAspectRatio: "none" },
        s("rect", { x: 0, y: 0, width: 60, height: 8, rx: 4, class: "track" }),
        s("rect", { x: 0, y: 0, width: 60 * v, height: 8, rx: 4, class: "fill" })),
      h("span", { text: pct(v) }));
  }

  function findingsSection({ report, headings }) {
    const column = (title, items, tone) => h("div", { class: `findings ${tone}` }, h("h3", { text: title }),
      items.length ? h("ul", {}, items.map((item) => {
        const text = typeof item === "string" ? item : item.text || item.claim || "";
        return h("li", {}, h("span", { text }), sceneChips(typeof item === "string" ? [] : item.scenes, headings));
      })) : h("p", { class: "muted", text: "None noted." }));
    return section("findings", "Strengths and risks", "What a reader would tell the producer, with the scenes that show it",
      h("div", { class: "two-col" },
        column("Strengths", report.strengths || [], "strengths"),
        column("Risks", report.risks || [], "risks")));
  }

  function countBy(items, key) {
    const counts = new Map();
    for (const item of items) {
      const value = key(item) || "unmarked";
      counts.set(value, (counts.get(value) || 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }

  // The light a scene plays in, as a schedule needs it: the server reads each heading's time of day
  // once (Scene.light: night, day, continuous for CONTINUOUS or a bare lapse, other); these are its labels.
  const LIGHT_LABELS = { day: "day", night: "night", continuous: "continuous / later", other: "other" };
  const lightLabel = (sc) => LIGHT_LABELS[sc.light] || "unmarked";

  /** The story in beats, each the script's own words at that place: what a reader skims to recall it. */
  function outlineSection({ report }) {
    const beats = (report.outline || {}).beats || [];
    if (!beats.length) return null;
    return section("outline", "Story outline", "Quoted from the script at the usual beats of a feature, placed by page; not a summary",
      sceneCitations(beats.map((b) => ({ scene: b.scene, label: `${b.beat} · p. ${Math.round(b.page)}${b.heading ? ` · ${b.heading}` : ""}`, text: b.text })), "quote"));
  }

  function structureSection({ report, scenes, sceneIndex }) {
    const acts = (report.arc && report.arc.acts) || report.acts || [];
    const intExt = countBy(scenes, (sc) => sc.int_ext);
    const times = countBy(scenes, lightLabel);
    return section("structure", "Structure", `${scenes.length} scenes by setting and time of day${acts.length ? ", and the estimated act breaks" : ""}`,
      h("div", { class: "structure-grid" },
        h("div", {}, h("h3", { text: "Interior / exterior" }), stackedBar(intExt, scenes.length)),
        h("div", {}, h("h3", { text: "Time of day" }), barList(times, scenes.length))),
      acts.length ? h("div", { class: "acts" }, h("h3", { text: "Act estimate" }), actsBar(acts, scenes.length, sceneIndex)) : null);
  }

  const PALETTE = ["#3b5bdb", "#12b886", "#f59f00", "#ae3ec9", "#fa5252", "#15aabf", "#868e96"];
  const SETTING_COLORS = { INT: "#3b5bdb", EXT: "#12b886", "INT/EXT": "#f59f00", unmarked: "#adb5bd" };
  const settingColor = (label, i) => SETTING_COLORS[label] || PALETTE[(i + 3) % PALETTE.length];

  function stackedBar(counts, total) {
    const W = 460;
    let x = 0;
    return h("div", {},
      s("svg", { class: "chart stacked", viewBox: `0 0 ${W} 26`, role: "img", "aria-label": "Interior and exterior scenes" },
        counts.map(([label, n], i) => {
          const width = (n / total) * W, rect = s("rect", { x, y: 0, width, height: 26, fill: settingColor(label, i) });
          x += width;
          return rect;
        })),
      h("ul", { class: "legend" }, counts.map(([label, n], i) => h("li", {},
        h("span", { class: "swatch", style: `background:${settingColor(label, i)}` }), `${label} · ${n} (${pct(n / total)})`))));
  }

  function barList(counts, total) {
    const W = 460, row = 24, labelW = 110;
    const max = Math.max(...counts.map(([, n]) => n), 1);
    return s("svg", { class: "chart bar-list", viewBox: `0 0 ${W} ${counts.length * row}`, role: "img", "aria-label": "Scenes by time of day" },
      counts.map(([label, n], i) => s("g", { transform: `translate(0 ${i * row})` },
        s("text", { x: 0, y: 15, class: "row-label", text: label }),
        s("rect", { x: labelW, y: 4, width: Math.max(2, ((W - labelW - 70) * n) / max), height: 14, rx: 3, class: label === "night" ? "bar night" : "bar" }),
        s("text", { x: labelW + ((W - labelW - 70) * n) / max + 6, y: 15, class: "value-label", text: `${n} · ${pct(n / total)}` }))));
  }

  function sceneSpan(start, end) {
    return start === end ? `scene ${start}` : `scenes ${start}–${end}`;
  }

  /** The longest of these labels that fits `width` (11px text, ~6.2 units a character), else the last. */
  function fitting(width, ...labels) {
    return labels.find((label) => label.length * 6.2 + 14 <= width) ?? labels[labels.length - 1];
  }

  function actsBar(acts, sceneCount, sceneIndex) {
    const W = 960, n = Math.max(sceneCount, 1);
    return s("svg", { class: "chart acts-bar", viewBox: `0 0 ${W} 40`, role: "img", "aria-label": "Act estimate" },
      acts.map((act, i) => {
        const first = sceneIndex(act.start_scene), last = sceneIndex(act.end_scene);
        const x0 = (first / n) * W, x1 = ((last + 1) / n) * W;
        return s("g", {},
          s("rect", { x: x0 + 1, y: 0, width: Math.max(2, x1 - x0 - 2), height: 40, rx: 4, fill: PALETTE[i % PALETTE.length], "fill-opacity": 0.16 }),
          s("text", { x: x0 + 10, y: 17, class: "act-title", text: `Act ${act.act ?? i + 1}` }),
          s("text", { x: x0 + 10, y: 32, class: "axis-label", "text-anchor": "start",
            text: fitting(x1 - x0, `${sceneSpan(act.start_scene, act.end_scene)} · ${pct((last - first + 1) / n)}`,
              sceneSpan(act.start_scene, act.end_scene), pct((last - first + 1) / n)) }));
      }));
  }

  function charactersSection({ report }) {
    const people = (report.characters || []).slice(0, 15);
    if (!people.length) return null;
    const maxLines = Math.max(...people.map((c) => c.lines), 1);
    const totalLines = (report.characters || []).reduce((sum, c) => sum + c.lines, 0) || 1;
    const speaking = (report.stats || {}).speaking_characters ?? (report.characters || []).length;
    return section("characters", "Characters", `Top ${people.length} of ${int(speaking)} speaking characters`,
      h("table", { class: "table characters" },
        h("thead", {}, h("tr", {}, ["Character", "Lines", "Share of lines", "Words", "Scenes", "First scene"].map((t) => h("th", { text: t })))),
        h("tbody", {}, people.map((c) => h("tr", {},
          h("td", {}, h("strong", { text: c.name })),
          h("td", { class: "num", text: int(c.lines) }),
          h("td", {}, h("span", { class: "meter" },
            s("svg", { viewBox: "0 0 100 8", class: "chart meter-bar wide", preserveAspectRatio: "none" },
              s("rect", { x: 0, y: 0, width: 100 * (c.lines / maxLines), height: 8, rx: 2, class: "fill" })),
            h("span", { text: pct(c.lines / totalLines) }))),
          h("td", { class: "num", text: int(c.words) }),
          h("td", { class: "num", text: int(c.scenes) }),
          h("td", { class: "num", text: int(c.first_scene) }))))),
      introductions(people));
  }

  const INTRODUCED = 8;  // a breakdown of the leads, not the whole cast

  /** The action's own words where it first names each character in capitals: a character breakdown. */
  function introductions(people) {
    const introduced = people.filter((c) => c.introduction).slice(0, INTRODUCED);
    if (!introduced.length) return null;
    return h("div", { class: "introductions" }, h("h3", { text: "As the script introduces them" }),
      sceneCitations(introduced.map((c) => ({ scene: c.introduction.scene, label: c.name, text: c.introduction.text })), "quote"));
  }

  /** A list of passages, each with its scene number, a label (a place, a name) and its text. */
  function sceneCitations(items, textClass) {
    return h("ol", { class: "evidence" }, items.map((item) => h("li", {},
      h("span", { class: "scene-no", text: `Sc. ${item.scene}` }),
      h("div", {}, h("p", { class: "slug-line", text: item.label }),
        h("p", textClass ? { class: textClass, text: item.text } : { text: item.text })))));
  }

  /** Scenes on x, top characters on y: who is on screen when. */
  function presenceSection({ report, scenes, sceneIndex }) {
    const names = (report.characters || []).slice(0, 12).map((c) => c.name);
    if (!names.length || !scenes.length) return null;
    const labelW = 150, W = 960, row = 20, top = 6;
    const cell = (W - labelW) / scenes.length;
    const height = top + names.length * row + 26;
    const acts = (report.arc && report.arc.acts) || [];
    const tickEvery = scenes.length > 120 ? 20 : scenes.length > 40 ? 10 : 5;
    return section("presence", "Scene-by-character presence", "Each mark is a scene in which the character speaks",
      s("svg", { class: "chart presence", viewBox: `0 0 ${W} ${height}`, role: "img", "aria-label": "Scene by character presence grid" },
        names.map((name, i) => s("g", { transform: `translate(0 ${top + i * row})` },
          s("rect", { x: labelW, y: 0, width: W - labelW, height: row - 4, class: i % 2 ? "stripe odd" : "stripe" }),
          s("text", { x: labelW - 8, y: row - 8, class: "row-label", "text-anchor": "end", text: name }),
          scenes.map((sc, j) => (sc.characters || []).includes(name)
            ? s("rect", { x: labelW + j * cell + 0.5, y: 1, width: Math.max(1, cell - 1), height: row - 6, rx: 1.5, class: "presence-cell" }, s("title", { text: `Sc. ${sc.number}: ${sc.heading}` }))
            : null))),
        acts.slice(1).map((act) => {
          const x = labelW + sceneIndex(act.start_scene) * cell;
          return s("line", { x1: x, x2: x, y1: 0, y2: top + names.length * row, class: "act-line" });
        }),
        scenes.filter((sc) => sc.number % tickEvery === 0).map((sc) => s("text", {
          x: labelW + (sceneIndex(sc.number) + 0.5) * cell, y: height - 6, class: "axis-label", "text-anchor": "middle", text: sc.number })),
        s("text", { x: labelW - 8, y: height - 6, class: "axis-label", "text-anchor": "end", text: "scene" })));
  }

  /** Arc points as [position 0..1, sentiment]; accepts {points:[{position|scene, sentiment|value}]} or {values:[...]}. */
  function arcPoints(arc, sceneCount) {
    if (Array.isArray(arc.points) && arc.points.length) {
      return arc.points.map((p) => [
        p.position ?? ((p.scene || 1) - 1) / Math.max(1, sceneCount - 1),
        p.sentiment ?? p.value ?? 0,
      ]);
    }
    const values = arc.values || arc.curve || [];
    return values.map((v, i) => [i / Math.max(1, values.length - 1), v]);
  }

  function arcSection({ report, scenes, sceneIndex }) {
    const arc = report.arc || {};
    const points = arcPoints(arc, scenes.length);
    if (points.length < 2) return null;
    const W = 960, H = 240, left = 44, right = W - 12, top = 16, bottom = H - 28;
    const extent = Math.max(0.25, ...points.map(([, v]) => Math.abs(v)));
    const x = (p) => left + p * (right - left);
    const y = (v) => top + ((extent - v) / (2 * extent)) * (bottom - top);
    const line = points.map(([p, v], i) => `${i ? "L" : "M"} ${x(p).toFixed(1)} ${y(v).toFixed(1)}`).join(" ");
    const area = `${line} L ${x(points[points.length - 1][0])} ${y(0)} L ${x(points[0][0])} ${y(0)} Z`;
    const acts = arc.acts || [];
    const n = scenes.length || 1;
    return section("arc", "Emotional arc", "Sentiment of the script from first page to last (smoothed)",
      arc.shape ? h("p", { class: "arc-shape" }, "Shape: ", h("span", { class: "tag tag-strong", text: arc.shape })) : null,
      s("svg", { class: "chart arc-chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Emotional arc${arc.shape ? `: ${arc.shape}` : ""}` },
        s("defs", {}, s("clipPath", { id: "arc-above" }, s("rect", { x: 0, y: 0, width: W, height: y(0) })),
          s("clipPath", { id: "arc-below" }, s("rect", { x: 0, y: y(0), width: W, height: H }))),
        acts.slice(1).map((act) => s("g", {},
          s("line", { x1: x(sceneIndex(act.start_scene) / n), x2: x(sceneIndex(act.start_scene) / n), y1: top, y2: bottom, class: "act-line" }),
          s("text", { x: x(sceneIndex(act.start_scene) / n) + 4, y: top + 10, class: "axis-label", "text-anchor": "start", text: `Act ${act.act}` }))),
        s("line", { x1: left, x2: right, y1: y(0), y2: y(0), class: "axis" }),
        s("path", { d: area, class: "arc-area positive", "clip-path": "url(#arc-above)" }),
        s("path", { d: area, class: "arc-area negative", "clip-path": "url(#arc-below)" }),
        s("path", { d: line, class: "arc-line" }),
        s("text", { x: left - 6, y: y(extent) + 4, class: "axis-label", "text-anchor": "end", text: "hopeful" }),
        s("text", { x: left - 6, y: y(-extent), class: "axis-label", "text-anchor": "end", text: "dark" }),
        s("text", { x: left, y: H - 6, class: "axis-label", "text-anchor": "start", text: "page 1" }),
        s("text", { x: right, y: H - 6, class: "axis-label", "text-anchor": "end", text: "end" })));
  }

  function sceneLength(sc) {
    return sc.words ?? sc.word_count ?? (sc.pages ? sc.pages * 250 : null);
  }

  function pacingSection({ report, scenes }) {
    const lengths = scenes.map(sceneLength);
    const stats = report.stats || {};
    const dialogue = stats.dialogue_words, action = stats.action_words;
    const share = stats.dialogue_share ?? stats.dialogue_ratio ?? (dialogue && action ? dialogue / (dialogue + action) : null);
    if (lengths.every((v) => v === null || v === undefined) && share === null) return null;
    return section("pacing", "Pacing and balance", "Scene lengths in words, in script order; dialogue against action",
      lengths.some((v) => v) ? pacingChart(scenes, lengths) : null,
      lengths.some((v) => v) ? h("ul", { class: "legend" },
        h("li", {}, h("span", { class: "swatch day" }), "day and other scenes"),
        h("li", {}, h("span", { class: "swatch night" }), "night scenes (night, evening, dusk)"),
        h("li", {}, h("span", { class: "swatch mean" }), `average ${int(meanOf(lengths))} words`)) : null,
      share !== null ? balanceBar(share, dialogue, action) : null);
  }

  const meanOf = (values) => values.reduce((sum, v) => sum + (v || 0), 0) / Math.max(1, values.length);

  function pacingChart(scenes, lengths) {
    const W = 960, H = 150, left = 44, bottom = H - 22, top = 8;
    const max = Math.max(...lengths.map((v) => v || 0), 1);
    const mean = meanOf(lengths);
    const bar = (W - left) / lengths.length;
    const y = (v) => bottom - (v / max) * (bottom - top);
    return s("svg", { class: "chart pacing", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Scene lengths" },
      lengths.map((v, i) => s("rect", {
        x: left + i * bar + 0.5, y: y(v || 0), width: Math.max(1, bar - 1), height: bottom - y(v || 0),
        class: scenes[i].light === "night" ? "bar night" : "bar",
      }, s("title", { text: `Sc. ${scenes[i].number}: ${int(v)} words` }))),
      s("line", { x1: left, x2: W, y1: y(mean), y2: y(mean), class: "mean-line" }),
      s("text", { x: left - 6, y: top + 8, "text-anchor": "end", class: "axis-label", text: int(max) }),
      s("text", { x: left - 6, y: bottom, "text-anchor": "end", class: "axis-label", text: "0" }),
      s("text", { x: left, y: H - 4, class: "axis-label", "text-anchor": "start", text: `scene ${scenes[0].number}` }),
      s("text", { x: W, y: H - 4, class: "axis-label", "text-anchor": "end", text: `scene ${scenes[scenes.length - 1].number}` }));
  }

  function balanceBar(share, dialogue, action) {
    const W = 960, d = Math.max(0, Math.min(1, share)) * W;
    return h("div", { class: "balance" },
      h("h3", { text: "Dialogue vs action" }),
      s("svg", { class: "chart balance-bar", viewBox: `0 0 ${W} 28`, role: "img", "aria-label": `Dialogue ${pct(share)}` },
        s("rect", { x: 0, y: 0, width: d, height: 28, class: "dialogue" }),
        s("rect", { x: d, y: 0, width: W - d, height: 28, class: "action" }),
        s("text", { x: 10, y: 19, class: "bar-text", "text-anchor": "start", text: `Dialogue ${pct(share)}` }),
        s("text", { x: W - 10, y: 19, class: "bar-text", "text-anchor": "end", text: `Action ${pct(1 - share)}` })),
      dialogue && action ? h("p", { class: "muted", text: `${int(dialogue)} words of dialogue, ${int(action)} words of action and description.` }) : null);
  }

  /** Flags as [{category, level, count, scenes}], from a list or a {category: {...}|number} object. */
  function contentFlags(flags) {
    if (Array.isArray(flags.flags)) return flags.flags;
    return Object.entries(flags)
      .filter(([key]) => key !== "mpaa_estimate")
      .map(([category, v]) => (typeof v === "object" && v !== null ? { category, ...v } : { category, count: v }));
  }

  function contentSection({ report, headings }) {
    const flags = report.content_flags || {};
    const rows = contentFlags(flags);
    const rating = flags.mpaa_estimate || flags.mpaa || flags.rating;
    return section("content", "Content and rating", "Content that shapes the rating, with the scenes that carry it",
      h("div", { class: "content-grid" },
        h("div", { class: "rating" }, h("span", { class: "rating-badge", text: rating || "NR" }), h("span", { class: "muted", text: "estimated MPAA rating" })),
        rows.length ? h("table", { class: "table flags" },
          h("thead", {}, h("tr", {}, ["Category", "Level", "Mentions", "Scenes"].map((t) => h("th", { text: t })))),
          h("tbody", {}, rows.map((f) => h("tr", {},
            h("td", { text: humanize(f.category || "") }),
            h("td", {}, h("span", { class: `level level-${slug(f.level || "none")}`, text: f.level || "—" })),
            h("td", { class: "num", text: int(f.count ?? (f.scenes || []).length) }),
            h("td", {}, sceneChips(f.scenes, headings) || h("span", { class: "muted", text: "—" })))))) : h("p", { class: "muted", text: "No rating-relevant content found." })));
  }

  function evidenceSection({ explanation }) {
    const items = explanation.evidence || [];
    if (!items.length) return null;
    return section("evidence", "Evidence", "Scenes that support the findings above",
      sceneCitations(items.map((e) => ({ scene: e.scene, label: e.place, text: e.claim || "" }))));
  }

  function footer({ prediction }) {
    return h("footer", { class: "rfoot" },
      h("span", { text: `reelcast · model ${prediction.model_version || "—"} · ${new Date().toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" })}` }),
      h("span", { text: "Forecasts are estimates with the stated uncertainty, not guarantees." }));
  }

  // --- downloads --------------------------------------------------------------------------------

  function download(filename, content, type) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const link = h("a", { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function downloadJson() {
    download(`${slug(state.report.title)}-coverage.json`, JSON.stringify(state.report, null, 2), "application/json");
  }

  /** One file that opens anywhere: the page's CSS inlined and the rendered report (charts are inline SVG). */
  async function downloadHtml() {
    if (state.css === null) state.css = await (await fetch("/static/app.css")).text();
    const title = `${state.report.title || "Untitled"} · coverage`;
    const html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>` +
      `<style>${state.css}</style></head><body class="standalone"><main class="page">${$("report").outerHTML}</main></body></html>`;
    download(`${slug(state.report.title)}-coverage.html`, html, "text/html");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]));
  }

  // --- start ------------------------------------------------------------------------------------

  // A report saved by `reelcast coverage --format html` is the report alone: no form, no server.
  function hasIntake() {
    return Boolean($("intake"));
  }

  if (hasIntake()) {
    wireIntake();
    checkHealth();
  }
  // For saved reports, previews and tests: draw a report object without calling the API.
  window.reelcast = { showReport };
})();
