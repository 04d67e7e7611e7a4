/* The host's projector screen of a live quiz. Plain JavaScript, no build step.
   Every state change on the server arrives as a small message; the screen for it is rendered
   by the server and fetched here. The buttons send the host's commands over the socket,
   naming the revision they were shown for, so a double click moves the quiz on once. */
(function () {
  "use strict";

  var root = document.getElementById("live-host");
  if (!root) return;
  var body = root.querySelector("[data-screen-body]");
  var status = root.querySelector("[data-status]");
  var socket = null;
  var retry = 500;
  var timer = null;
  var revision = -1;
  var loading = null;

  function screen() {
    return body.querySelector("[data-state]");
  }

  function say(message) {
    status.textContent = message || "";
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function startClock() {
    clearInterval(timer);
    var node = body.querySelector("[data-countdown]");
    var current = screen();
    if (!node || !current || current.dataset.remainingMs === undefined) return;
    var deadline = Date.now() + parseInt(current.dataset.remainingMs, 10);
    function tick() {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      node.textContent = left;
      if (left <= 0) clearInterval(timer);
    }
    tick();
    timer = setInterval(tick, 250);
  }

  function refresh() {
    if (loading) loading.abort();
    loading = new AbortController();
    fetch(root.dataset.screen, { credentials: "same-origin", signal: loading.signal })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        var current = screen();
        if (current) revision = parseInt(current.dataset.revision, 10);
        startClock();
        var heading = body.querySelector("h1");
        if (heading) {
          heading.tabIndex = -1;
          heading.focus({ preventScroll: true });
        }
      })
      .catch(function () {});
  }

  function showLobby(m) {
    var count = body.querySelector("[data-player-count]");
    var list = body.querySelector("[data-lobby]");
    if (!count || !list) return;
    count.textContent = m.count;
    var items = m.players.map(function (player) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = player.nickname;
      var kick = document.createElement("button");
      kick.type = "button";
      kick.className = "link-button";
      kick.dataset.kick = player.id;
      kick.textContent = root.dataset.kickLabel;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + player.nickname;
      kick.appendChild(hidden);
      item.append(name, " ", kick);
      return item;
    });
    list.replaceChildren.apply(list, items);
  }

  function handle(m) {
    switch (m.type) {
      case "state":
      case "question.opened":
      case "question.revealed":
      case "leaderboard.shown":
      case "session.ended":
        if (m.revision !== revision) refresh();
        break;
      case "answers":
        var answered = body.querySelector("[data-answered]");
        if (answered) answered.textContent = m.answered;
        break;
      case "lobby":
        showLobby(m);
        break;
      case "error":
        say(m.message);
        refresh();
        break;
    }
  }

  root.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    var kick = event.target.closest("[data-kick]");
    if (action && action.dataset.action === "next") {
      say("");
      send({ type: "next", revision: revision });
    } else if (action && action.dataset.action === "end") {
      if (window.confirm(root.dataset.confirmEnd)) send({ type: "end" });
    } else if (kick) {
      send({ type: "kick", player: parseInt(kick.dataset.kick, 10) });
      kick.closest("li").remove();
    }
  });

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.addEventListener("open", function () {
      retry = 500;
      say("");
    });
    socket.addEventListener("message", function (event) {
      handle(JSON.parse(event.data));
    });
    socket.addEventListener("close", function () {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    });
  }

  var first = screen();
  if (first) revision = parseInt(first.dataset.revision, 10);
  startClock();
  connect();
})();
