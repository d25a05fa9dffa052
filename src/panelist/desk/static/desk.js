// The desk's only script: it calls the JSON API and swaps in server-rendered cards.
// No framework and no build step; every text it shows goes in as textContent, never as HTML.
"use strict";

function api(method, url, body) {
  const options = { method: method, headers: { "Accept": "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  return fetch(url, options).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      return { status: response.status, data: data };
    });
  });
}

function cardUrl(card) {
  return "/api/products/" + card.dataset.slug + "/drafts/" + card.dataset.persona;
}

function say(card, text) {
  const msg = card.querySelector(".msg");
  if (msg) { msg.textContent = text; }
}

function parseHtml(text) {
  return new DOMParser().parseFromString(text, "text/html");
}

// Re-render one card from the server, then put the focus where the editor will want it next.
function swapCard(card, focusSelector, message) {
  const url = "/products/" + card.dataset.slug + "/cards/" + card.dataset.persona;
  return fetch(url).then(function (r) { return r.text(); }).then(function (html) {
    const fresh = parseHtml(html).querySelector("article.card");
    if (!fresh) { return card; }
    card.replaceWith(fresh);
    if (message) { say(fresh, message); }
    const target = focusSelector && fresh.querySelector(focusSelector);
    if (target) { target.focus(); }
    return fresh;
  });
}

function countWords(text) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length;
}

function updateCount(textarea) {
  const card = textarea.closest("article.card");
  const count = card.querySelector(".wordcount");
  const n = countWords(textarea.value);
  const min = Number(card.dataset.min), max = Number(card.dataset.max);
  count.textContent = n + " words · range " + min + "–" + max +
    (n < min ? " (too short)" : n > max ? " (too long)" : "");
  count.classList.toggle("out", n < min || n > max);
}

// A refused save or approve: the file changed since the page loaded. Both versions side by
// side; nothing was written. After a save, the editor may keep the file's version or save
// theirs over it (the file's version is then kept in history, as 'redo --force' keeps it).
function showConflict(card, mine, current, action) {
  const box = card.querySelector(".conflict");
  box.replaceChildren();
  box.setAttribute("role", "alert");
  const title = document.createElement("p");
  title.className = "conflict-title";
  title.textContent = "This draft changed since you opened it (in the CLI, an editor or " +
    "another tab). Nothing was " + action + "d. Both versions:";
  const grid = document.createElement("div");
  grid.className = "versions";
  [["The file now (" + current.verdict + ", " + current.status + ")", current.quote],
   [(action === "save" ? "Yours (" : "What you meant to " + action + " (") + mine.verdict + ")",
    mine.quote]].forEach(function (pair) {
    const col = document.createElement("div");
    const h = document.createElement("h3");
    h.textContent = pair[0];
    const p = document.createElement("p");
    p.textContent = pair[1];
    col.append(h, p);
    grid.append(col);
  });
  const keep = document.createElement("button");
  keep.type = "button";
  keep.textContent = "Use the file's version";
  keep.addEventListener("click", function () {
    swapCard(card, "textarea", "Loaded the file's version." +
      (action === "save" ? "" : " Read it, then " + action + " it if it stands."));
  });
  const buttons = document.createElement("div");
  buttons.className = "buttons";
  buttons.append(keep);
  if (action === "save") {
    const overwrite = document.createElement("button");
    overwrite.type = "button";
    overwrite.textContent = "Save mine over it";
    overwrite.addEventListener("click", function () {
      card.dataset.hash = current.hash;
      save(card, mine, true);
    });
    buttons.append(overwrite);
  }
  box.append(title, grid, buttons);
  box.hidden = false;
  keep.focus();
}

function save(card, values, saveOver) {
  say(card, "Saving…");
  const body = { quote: values.quote, verdict: values.verdict, hash: card.dataset.hash };
  if (saveOver) { body.save_over = true; }
  return api("PUT", cardUrl(card), body).then(function (res) {
    if (res.status === 200) {
      const kept = res.data.kept ? " The file's version is kept in history: " + res.data.kept : "";
      return swapCard(card, "[data-action=approve]:not([disabled]), [data-action=unapprove]",
        "Saved." + kept);
    }
    if (res.status === 409 && res.data.current) {
      say(card, res.data.error);
      return showConflict(card, values, res.data.current, "save");
    }
    say(card, res.data.error || ("Not saved (HTTP " + res.status + ")"));
  });
}

// Unsaved changes in a card: the text or verdict differs from what the page loaded.
function isDirty(card) {
  const form = card.querySelector("form[data-action=save]");
  if (!form) { return false; }
  const verdict = form.elements.verdict;
  const loaded = verdict.querySelector("option[selected]");
  return form.elements.quote.value !== form.elements.quote.defaultValue ||
    (loaded !== null && verdict.value !== loaded.value);
}

// The quality gate refused the saved take: say what it found and offer "Approve anyway".
function refusedForQuality(card, findings) {
  say(card, "Not approved: the quality gate flags " + findings.join("; ") +
    ". Rewrite it and save, or approve it anyway.");
  const anyway = card.querySelector("[data-action=approve-anyway]");
  if (anyway) { anyway.hidden = false; anyway.focus(); }
}

// What the page loaded for a card: the saved verdict and quote.
function loaded(card) {
  const form = card.querySelector("form[data-action=save]");
  const option = form.elements.verdict.querySelector("option[selected]");
  return { quote: form.elements.quote.defaultValue, verdict: option ? option.value : "" };
}

function approve(card, action) {
  const approving = action === "approve" || action === "approve-anyway";
  if (approving && isDirty(card)) {
    say(card, "Save your changes first: Approve approves the saved quote.");
    return;
  }
  say(card, approving ? "Approving…" : "Unapproving…");
  const body = { hash: card.dataset.hash };
  if (action === "approve-anyway") { body.allow_quality = true; }
  const verb = approving ? "approve" : action;
  api("POST", cardUrl(card) + "/" + verb, body).then(function (res) {
    if (res.status === 409 && res.data.quality) {
      refusedForQuality(card, res.data.quality);
      return;
    }
    if (res.status === 409 && res.data.current) {
      say(card, res.data.error);
      showConflict(card, loaded(card), res.data.current, verb);
      return;
    }
    if (res.status !== 200) {
      say(card, res.data.error || ("Refused (HTTP " + res.status + ")"));
      return;
    }
    if (action === "approve-anyway") {
      swapCard(card, "[data-action=unapprove]", "Approved anyway, over the quality gate.");
    } else if (action === "approve") {
      const again = res.data.approval && res.data.approval.outcome === "re-approved";
      swapCard(card, "[data-action=unapprove]", again ? "Approved again." : "Approved.");
    } else {
      swapCard(card, "[data-action=approve]:not([disabled]), textarea", "Back to draft.");
    }
  });
}

function describeRun(run) {
  const parts = run.personas.map(function (p) {
    return p.persona + ": " + p.state + (p.detail ? " (" + p.detail + ")" : "");
  });
  return run.state + " · " + parts.join("; ") + (run.error ? " · " + run.error : "");
}

function followRun(run, progress, onEnd) {
  progress.textContent = describeRun(run);
  if (run.state !== "running") { onEnd(run); return; }
  setTimeout(function () {
    api("GET", "/api/runs/" + run.id).then(function (res) {
      followRun(res.data, progress, onEnd);
    });
  }, 400);
}

// While a redo runs, the card's controls wait: a save or approve now would race the new take.
function setBusy(card, busy) {
  card.querySelectorAll("button, select, input").forEach(function (el) { el.disabled = busy; });
  const quote = card.querySelector("textarea");
  if (quote) { quote.readOnly = busy; }
  card.setAttribute("aria-busy", busy ? "true" : "false");
}

function redo(card, form, force) {
  const progress = card.querySelector(".progress");
  if (isDirty(card)) {
    progress.textContent = "You have unsaved changes in this quote. Save them first: a redo " +
      "replaces the draft, and only a saved version is kept in history.";
    card.querySelector("form[data-action=save] button[type=submit]").focus();
    return;
  }
  progress.textContent = "Starting a new take…";
  setBusy(card, true);
  const body = { note: form.elements.note.value };
  if (force || form.dataset.force) { body.force = true; }
  api("POST", cardUrl(card) + "/redo", body).then(function (res) {
    if (res.status !== 202) {
      setBusy(card, false);
      progress.textContent = res.data.error || ("Refused (HTTP " + res.status + ")");
      if (res.status === 409 && !body.force && /edited|approved/.test(res.data.error || "")) {
        const again = document.createElement("button");
        again.type = "button";
        again.textContent = "Redo anyway (keep this version in history)";
        again.addEventListener("click", function () { redo(card, form, true); });
        progress.append(" ", again);
        again.focus();
      }
      return;
    }
    followRun(res.data, progress, function (run) {
      const done = run.state === "done" ? "New take drafted." : "Redo failed: " + run.error;
      swapCard(card, "textarea", done);
    });
  });
}

// A panel run's end: a failure stays on screen (with the drafts that did land swapped in);
// only a run that drafted everyone reloads the page.
function draftPanel(button) {
  const progress = document.getElementById("panel-progress");
  progress.textContent = "Starting…";
  button.disabled = true;
  api("POST", "/api/products/" + button.dataset.slug + "/draft").then(function (res) {
    if (res.status !== 202) {
      progress.textContent = res.data.error || ("Refused (HTTP " + res.status + ")");
      progress.setAttribute("role", "alert");
      button.disabled = false;
      return;
    }
    followRun(res.data, progress, function (run) {
      if (run.state === "done") { window.location.reload(); return; }
      progress.setAttribute("role", "alert");
      progress.classList.add("failed");
      progress.textContent = "The run failed: " + (run.error || "no reason given") +
        ". Drafts that were written are shown below; “Draft the panel” again tries the rest.";
      run.personas.forEach(function (p) {
        const card = document.getElementById("card-" + p.persona);
        if (card && p.state === "done") { swapCard(card); }
      });
      button.disabled = false;
    });
  });
}

function publish(button) {
  const result = document.getElementById("publish-result");
  result.textContent = "Publishing…";
  api("POST", "/api/publish", { products: button.dataset.products.split(" ") }).then(function (res) {
    if (res.status !== 200) {
      result.textContent = res.data.error || ("Refused (HTTP " + res.status + ")");
      return;
    }
    result.replaceChildren("Published to " + res.data.folder + ": ");
    res.data.paths.forEach(function (path, i) {
      const code = document.createElement("code");
      code.textContent = path;
      result.append(i ? ", " : "", code);
    });
    const link = document.createElement("a");
    link.href = res.data.view;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "Open the published page";
    result.append(". ", link);
  });
}

function filterTable(input) {
  const table = document.getElementById(input.dataset.filterTable);
  const needle = input.value.trim().toLowerCase();
  let shown = 0;
  table.querySelectorAll("tbody tr").forEach(function (row) {
    const match = !needle || row.dataset.search.indexOf(needle) !== -1;
    row.hidden = !match;
    if (match) { shown += 1; }
  });
  const count = document.getElementById("shown-count");
  if (count) { count.textContent = shown + " shown"; }
}

// The A vs B chooser: a new choice re-renders the readiness and the preview, not the page.
function refreshCompare(form) {
  const query = new URLSearchParams(new FormData(form)).toString();
  fetch("/compare?" + query).then(function (r) { return r.text(); }).then(function (html) {
    const doc = parseHtml(html);
    const main = document.getElementById("main");
    const fresh = doc.getElementById("main");
    const old = main.querySelectorAll(".readiness, iframe.preview");
    old.forEach(function (node) { node.remove(); });
    fresh.querySelectorAll(".readiness, iframe.preview").forEach(function (node) {
      main.append(node);
    });
    history.replaceState(null, "", "/compare?" + query);
  });
}

document.addEventListener("submit", function (event) {
  const form = event.target;
  const card = form.closest("article.card");
  if (form.dataset.action === "save" && card) {
    event.preventDefault();
    save(card, { quote: form.elements.quote.value, verdict: form.elements.verdict.value });
  } else if (form.dataset.action === "redo" && card) {
    event.preventDefault();
    redo(card, form, false);
  } else if (form.hasAttribute("data-live-preview")) {
    event.preventDefault();
    refreshCompare(form);
  }
});

document.addEventListener("click", function (event) {
  const button = event.target.closest("button[data-action]");
  if (!button) { return; }
  const card = button.closest("article.card");
  const action = button.dataset.action;
  if ((action === "approve" || action === "approve-anyway" || action === "unapprove") && card) {
    approve(card, action);
  }
  if (action === "draft-panel") { draftPanel(button); }
  if (action === "publish") { publish(button); }
});

document.addEventListener("input", function (event) {
  const target = event.target;
  if (target.matches("article.card textarea[name=quote]")) { updateCount(target); }
  if (target.matches("input[data-filter-table]")) { filterTable(target); }
});

window.addEventListener("beforeunload", function (event) {
  const dirty = Array.from(document.querySelectorAll("article.card")).some(isDirty);
  if (dirty) { event.preventDefault(); event.returnValue = ""; }
});

document.addEventListener("change", function (event) {
  const form = event.target.closest("form[data-live-preview]");
  if (form) { refreshCompare(form); }
});
