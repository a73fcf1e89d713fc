// Stickpeer status page: polls the JSON API every 2 s. Every value is inserted as text
// (textContent), never as HTML: table keys and server names come from peers.
"use strict";

const refreshMs = 2000;
let token = sessionStorage.getItem("stickpeer-token") || "";

function headers() {
  return token ? { Authorization: "Bearer " + token } : {};
}

async function api(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("this endpoint needs the bearer token");
  }
  const body = await response.json();
  if (!response.ok) {
    const errors = body.errors ? Object.values(body.errors).flat().join("; ") : "";
    throw new Error((body.title || response.status) + (errors ? ": " + errors : body.detail ? ": " + body.detail : ""));
  }
  return body;
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (numeric) td.className = "num";
  return td;
}

function fill(tableId, items, render) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren();
  for (const item of items) render(body.insertRow(), item);
}

function renderPeers(data) {
  document.getElementById("local").textContent = "— peer " + data.localPeer;
  const rows = [];
  for (const section of data.sections) for (const peer of section.peers) rows.push([section, peer]);
  fill("peers", rows, (row, [section, peer]) => {
    row.className = peer.up ? "up" : "down";
    row.dataset.peer = peer.name;
    cell(row, section.name + " (" + section.syncState + ")");
    cell(row, peer.name);
    cell(row, peer.state).className = "state";
    cell(row, peer.lastStatusName + " (" + peer.lastStatus + ")");
    cell(row, peer.sessionsEstablished, true);
    cell(row, peer.traffic.bytesIn, true);
    cell(row, peer.traffic.bytesOut, true);
    cell(row, peer.traffic.updatesIn, true);
    cell(row, peer.traffic.updatesOut, true);
    cell(row, peer.tables.reduce((sum, t) => sum + t.ackLag, 0), true);
    cell(row, peer.protocolErrors + peer.deadPeerTimeouts + peer.collisions, true);
  });
}

function renderTables(tables) {
  fill("tables", tables, (row, t) => {
    cell(row, t.name);
    cell(row, t.type);
    cell(row, t.used + " / " + t.size, true);
    cell(row, t.expireMs, true);
  });
  const select = document.getElementById("search-table");
  const chosen = select.value;
  if (select.options.length !== tables.length) {
    select.replaceChildren(...tables.map(t => new Option(t.name, t.name)));
    if (chosen) select.value = chosen;
  }
}

async function refresh() {
  try {
    const [peers, tables] = await Promise.all([api("api/peers"), api("api/tables")]);
    renderPeers(peers);
    renderTables(tables);
    document.getElementById("error").textContent = "";
    document.getElementById("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("error").textContent = e.message;
  }
}

async function search(event) {
  event.preventDefault();
  const table = document.getElementById("search-table").value;
  const key = document.getElementById("search-key").value.trim();
  const filter = document.getElementById("search-filter").value.trim();
  const query = new URLSearchParams({ limit: "100" });
  if (key) query.set("key", key);
  else if (filter) query.set("filter", filter);
  try {
    const result = await api("api/tables/" + encodeURIComponent(table) + "?" + query);
    fill("entries", result.entries, (row, e) => {
      cell(row, e.key);
      cell(row, e.expireMs, true);
      cell(row, e.learned ? "yes" : "no");
      cell(row, Object.entries(e.data).map(([k, v]) => k + "=" + (v === null ? "-" : v)).join(" "));
    });
    document.getElementById("error").textContent = result.entries.length === 0 ? "no entry matched" : "";
  } catch (e) {
    document.getElementById("error").textContent = e.message;
  }
}

document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  token = document.getElementById("token").value;
  sessionStorage.setItem("stickpeer-token", token);
  document.getElementById("token-form").hidden = true;
  refresh();
});
document.getElementById("search").addEventListener("submit", search);
refresh();
setInterval(refresh, refreshMs);
