// localpack ui: the little the pages need beyond HTML. Everything works without it except live progress.
"use strict";

function $(selector, root) { return (root || document).querySelector(selector); }

function sourceSwitch() {
  const form = $("#new-app");
  if (!form) return;
  const show = () => {
    const source = (form.querySelector("input[name=source]:checked") || {}).value || "url";
    $("[data-key='app.url']", form).hidden = source !== "url";
    $("[data-key='app.dist']", form).hidden = source !== "dist";
    deriveName();
  };
  form.querySelectorAll("input[name=source]").forEach((r) => r.addEventListener("change", show));
  ["f-app-url", "f-app-dist"].forEach((id) => {
    const input = document.getElementById(id);
    if (input) input.addEventListener("change", deriveName);
  });
  show();
}

// The name `localpack init` would choose, asked from the server (one rule, in Python).
async function deriveName() {
  const form = $("#new-app");
  const name = document.getElementById("f-app-name");
  if (!form || !name) return;
  const source = (form.querySelector("input[name=source]:checked") || {}).value || "url";
  const value = document.getElementById(source === "url" ? "f-app-url" : "f-app-dist").value.trim();
  if (!value) return;
  const query = new URLSearchParams(source === "url" ? { url: value } : { dist: value });
  const reply = await fetch("/derive-name?" + query, { credentials: "same-origin" });
  if (reply.ok) name.placeholder = (await reply.json()).name;
}

function iconPreview() {
  const file = document.getElementById("f-app-icon");
  const hidden = document.getElementById("icon-upload");
  const img = document.getElementById("icon-preview");
  const message = document.getElementById("icon-message");
  const round = document.getElementById("f-app-icon-round");
  if (!file || !hidden || !img) return;
  const refresh = () => {
    if (!hidden.value) return;
    img.src = "/uploads/" + hidden.value + "/preview.png?round=" + (round && round.checked ? "1" : "0");
    img.hidden = false;
  };
  file.addEventListener("change", async () => {
    if (!file.files.length) return;
    const data = new FormData();
    data.append("icon_file", file.files[0]);
    message.textContent = "…";
    const reply = await fetch("/icon-preview", { method: "POST", body: data, credentials: "same-origin" });
    const body = await reply.json();
    if (!reply.ok) {
      hidden.value = "";
      img.hidden = true;
      message.textContent = body.error || String(reply.status);
      return;
    }
    hidden.value = body.upload;
    message.textContent = "";
    refresh();
  });
  img.addEventListener("error", () => { img.hidden = true; });
  if (round) round.addEventListener("change", refresh);
}

function copyButtons() {
  document.querySelectorAll("button.copy").forEach((button) => {
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.classList.add("copied");
        setTimeout(() => button.classList.remove("copied"), 1500);
      } catch (e) {
        window.prompt("", button.dataset.copy);
      }
    });
  });
}

// Live progress of a build: Server-Sent Events from /build/ID/events; the result is rendered by the server.
function liveBuild() {
  const job = $("#job");
  if (!job || job.dataset.running !== "1") return;
  const words = JSON.parse($("#job-words").textContent);
  const phase = $("#phase"), detail = $("#detail"), bar = $("#bar"), elapsed = $("#elapsed");
  const lines = $("#lines"), messages = $("#messages");
  const kept = lines.textContent ? lines.textContent.split("\n") : [];
  const events = new EventSource("/build/" + job.dataset.job + "/events");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.event === "progress") {
      phase.textContent = words.phase[event.phase] || event.phase;
      if (event.phase === "compiling" && event.crates_done) {
        detail.textContent = words.crates.replace("{done}", event.crates_done)
          .replace("{total}", event.crates_total || "?").replace("{crate}", event.crate || "");
        if (event.crates_total) { bar.max = event.crates_total; bar.value = event.crates_done; }
      } else {
        detail.textContent = event.phase === "bundling" ? event.detail : "";
        if (event.phase === "done") { bar.max = 1; bar.value = 1; }
      }
      elapsed.textContent = event.elapsed_s + " s";
    } else if (event.event === "line") {
      kept.push(event.text);
      if (kept.length > 40) kept.splice(0, kept.length - 40);
      lines.textContent = kept.join("\n");
    } else if (["note", "info", "warning", "success", "error"].includes(event.event)) {
      const item = document.createElement("li");
      item.className = event.event;
      item.textContent = event.text || [event.message, event.hint].filter(Boolean).join(" — ");
      messages.appendChild(item);
    } else if (event.event === "end") {
      events.close();
      window.location.reload();
    }
  };
}

document.addEventListener("DOMContentLoaded", () => {
  sourceSwitch();
  iconPreview();
  copyButtons();
  liveBuild();
});
