/* A player's phone in a live quiz. Plain JavaScript, no build step.
   The server owns the game: this script shows what it is sent and sends answers. After a
   reload or a lost connection it reconnects and the server's "state" message puts the right
   screen back (with the same score). Frames older than what is on screen are ignored. */
(function () {
  "use strict";

  var root = document.getElementById("live-player");
  if (!root) return;
  var text = JSON.parse(document.getElementById("live-text").textContent);
  var view = root.querySelector("[data-view]");
  var status = root.querySelector("[data-status]");
  var scoreBox = root.querySelector("[data-score]");
  var socket = null;
  var revision = -1;
  var retry = 500;
  var timer = null;
  var finished = false;
  var asking = 0; // the number of the question on screen, 0 when none

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] === undefined ? all : String(values[name]);
    });
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function show(nodes) {
    clearInterval(timer);
    view.replaceChildren.apply(view, nodes);
    var heading = view.querySelector("h1, h2");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  function say(message) {
    status.textContent = message || "";
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function countdown(node, remainingMs, onEnd) {
    var deadline = Date.now() + remainingMs;
    function tick() {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      node.textContent = fill(text.seconds_left, { seconds: left });
      if (left <= 0) {
        clearInterval(timer);
        onEnd();
      }
    }
    tick();
    timer = setInterval(tick, 250);
  }

  function waiting(message) {
    show([el("h1", "", message || text.sent)]);
  }

  function showQuestion(q, answered) {
    asking = q.number;
    if (answered) {
      waiting(text.sent);
      return;
    }
    var heading = el("p", "live-number", fill(text.question, { number: q.number, total: q.total }));
    var prompt = el("h1", "live-prompt", q.prompt);
    var clock = el("p", "live-countdown");
    var form = el("form", "live-answer");
    form.noValidate = true;
    var nodes = [heading, prompt, clock, form];

    function submit(values) {
      var answer = {};
      answer[q.field] = q.multiple ? values : values[0];
      send({ type: "answer", question: q.number, answer: answer });
      form.querySelectorAll("button, input").forEach(function (input) {
        input.disabled = true;
      });
    }

    if (q.field === "spots") {
      form.appendChild(el("p", "help", text.tap_flags));
      var example = el("div", "live-spot");
      example.innerHTML = q.example_html; // rendered by the server from our own templates
      form.appendChild(example);
    } else if (q.multiple) {
      form.appendChild(el("p", "help", text.choose_all));
      q.options.forEach(function (option) {
        var label = el("label", "option");
        var box = el("input");
        box.type = "checkbox";
        box.name = q.field;
        box.value = option.value;
        label.append(box, " ", option.label);
        form.appendChild(label);
      });
    } else {
      var list = el("div", "live-choices");
      q.options.forEach(function (option, index) {
        var button = el("button", "live-choice live-choice-" + index, option.label);
        button.type = "button";
        button.addEventListener("click", function () {
          button.classList.add("picked");
          submit([option.value]);
        });
        list.appendChild(button);
      });
      form.appendChild(list);
    }
    if (q.multiple) {
      var go = el("button", "button button-large", text.send);
      go.type = "submit";
      form.appendChild(go);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = [];
      form.querySelectorAll("input:checked").forEach(function (input) {
        values.push(input.value);
      });
      submit(values);
    });
    show(nodes);
    countdown(clock, q.remaining_ms, function () {
      form.querySelectorAll("button, input").forEach(function (input) {
        input.disabled = true;
      });
      say(text.times_up);
    });
  }

  function showResult(result) {
    asking = 0;
    var you = result.you || {};
    var verdict = !you.answered
      ? text.no_answer
      : you.correct
        ? text.correct
        : you.points > 0
          ? text.partly
          : text.wrong;
    var nodes = [el("h1", you.correct ? "live-right" : "live-wrong", verdict)];
    if (you.points) nodes.push(el("p", "live-points", fill(text.points_won, you)));
    if (you.streak > 1) nodes.push(el("p", "live-streak", fill(text.streak, you)));
    if (you.rank) {
      nodes.push(el("p", "live-rank", fill(text.rank, { rank: you.rank, players: result.players })));
    }
    var answer = el("p", "live-answer", text.answer_was + " ");
    answer.appendChild(el("strong", "", result.answer_text));
    nodes.push(answer);
    if (result.explanation) nodes.push(el("p", "explanation", result.explanation));
    nodes.push(el("p", "help", text.next_soon));
    if (you.score !== undefined) scoreBox.textContent = you.score;
    show(nodes);
  }

  function showEnd(you) {
    finished = true;
    asking = 0;
    you = you || {};
    var nodes = [el("h1", "", text.ended)];
    if (you.score !== undefined) {
      nodes.push(el("p", "live-points", fill(text.final, you)));
      scoreBox.textContent = you.score;
    }
    if (you.rank) nodes.push(el("p", "live-rank", fill(text.rank, you)));
    if (you.results) {
      var link = el("a", "button", text.see_results);
      link.href = you.results;
      nodes.push(link);
    }
    show(nodes);
  }

  function handle(m) {
    if (typeof m.revision === "number") {
      if (m.revision < revision) return; // older than the screen: a late or replayed frame
      revision = m.revision;
    }
    switch (m.type) {
      case "state":
        scoreBox.textContent = m.score;
        if (m.state === "question" && m.question) showQuestion(m.question, m.answered);
        else if (m.result) showResult(Object.assign({ players: m.players }, m.result));
        else if (m.state === "ended") showEnd(Object.assign({ players: m.players }, m.you));
        else show([el("h1", "", text.joined), el("p", "", text.waiting)]);
        break;
      case "question.opened":
        say("");
        showQuestion(m, false);
        break;
      case "answer.recorded":
        if (m.number === asking) waiting(text.sent);
        break;
      case "question.revealed":
        say("");
        showResult(m);
        break;
      case "session.ended":
        showEnd(Object.assign({ players: m.players }, m.you));
        break;
      case "player.kicked":
        finished = true;
        show([el("h1", "", text.kicked)]);
        break;
      case "error":
        say(m.message);
        break;
    }
  }

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
    socket.addEventListener("close", function (event) {
      if (finished || event.code === 4001) return;
      if (event.code === 4403) {
        location.reload(); // no longer a player here: the page sends us to the join form
        return;
      }
      say(text.reconnecting);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    });
  }

  connect();
})();
