// Mycel dashboard: the live feed (server-sent events) and the checks a
// form can make before it is sent. No library, nothing from elsewhere.
"use strict";

function liveFeed() {
  const live = document.getElementById("live");
  const body = document.getElementById("feed");
  if (!live || !body || !window.EventSource) return;
  const es = new EventSource(live.dataset.src);
  es.addEventListener("live", () => { live.textContent = "live"; live.classList.add("on"); });
  es.addEventListener("proof", (ev) => {
    const msg = JSON.parse(ev.data);
    const tpl = document.createElement("template");
    tpl.innerHTML = msg.html.trim();
    const fresh = tpl.content.firstElementChild;
    if (!fresh) return;
    const old = body.querySelector(`tr[data-cid="${CSS.escape(msg.cid)}"]`);
    if (old) {
      old.replaceWith(fresh);
    } else {
      body.prepend(fresh);
      fresh.classList.add("new");
    }
    const empty = document.getElementById("feed-empty");
    if (empty) empty.hidden = true;
  });
  es.onerror = () => { live.textContent = "reconnecting…"; live.classList.remove("on"); };
}

// checkFields shows the browser's own reading of a field (a number out
// of range, a missing value) next to it as the user types; the daemon's
// schema check, shown the same way, has the last word.
function checkFields() {
  const form = document.getElementById("publish");
  if (!form) return;
  for (const input of form.querySelectorAll("input, select")) {
    const err = document.getElementById("err-" + input.name.replace(/^claim\./, ""));
    if (!err) continue;
    input.addEventListener("input", () => { err.textContent = input.validity.valid ? "" : input.validationMessage; });
  }
}

document.addEventListener("DOMContentLoaded", () => { liveFeed(); checkFields(); });
