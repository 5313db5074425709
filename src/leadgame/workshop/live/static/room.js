// leadgame live room: the learner's page. It shows what the room's screen shows, takes this
// device's vote (changeable until voting closes) and, at the debrief, short anonymous answers.
"use strict";

(function () {
  var el = Live.el, clear = Live.clear;
  var room = null, you = null, shownKey = "", socket = null, nextId = 1;
  var view = document.getElementById("view");
  var joinSection = document.getElementById("join");
  var connection = document.getElementById("connection");
  var announce = document.getElementById("announce");

  function say(text) { announce.textContent = ""; setTimeout(function () { announce.textContent = text; }, 50); }

  // --- joining ---------------------------------------------------------------------------------

  function showJoin(problem) {
    view.hidden = true;
    joinSection.hidden = false;
    document.getElementById("join-problem").textContent = problem || "";
    connection.textContent = "Not joined";
    document.getElementById("code").focus();
  }

  function join(code) {
    var problem = document.getElementById("join-problem");
    problem.textContent = "";
    return fetch("/join", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ code: code }),
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { showJoin(result.data.message || "That code did not work."); return; }
      joinSection.hidden = true;
      start();
    }).catch(function () { showJoin("Could not reach the room. Check you are on the same network, then try again."); });
  }

  document.getElementById("join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = document.getElementById("code").value.trim();
    if (!code) { showJoin("Type the session code first."); return; }
    join(code);
  });

  // --- the socket ------------------------------------------------------------------------------

  function start() {
    if (socket) { socket.restart(); return; }
    socket = Live.connect("/ws", {
      status: function (state) {
        Live.showConnection(connection, state);
      },
      closed: function (code) { if (code === 4001) { showJoin(""); return false; } return true; },
      message: function (data) {
        if (data.type === "room") { room = data; render(); }
        else if (data.type === "you") { you = data; update(); if (data.id) confirmed(data); }
        else if (data.type === "error") { failed(data); }
        else if (data.type === "join") { showJoin(data.message); }
      },
    });
  }

  // --- drawing the room ------------------------------------------------------------------------

  function render() {
    joinSection.hidden = true;
    view.hidden = false;
    document.getElementById("room-title").textContent = room.title + " · " + room.code;
    var key = room.stage + ":" + room.step;
    if (key === shownKey) { update(); return; }
    shownKey = key;
    clear(view);
    var build = { deciding: deciding, passage: passage, outcome: outcome, debrief: debrief }[room.stage];
    build();
    update();
    // A new scene starts at its top, and a screen reader starts reading at its heading.
    window.scrollTo(0, 0);
    var heading = view.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }

  function sceneHeader(scene, prefix) {
    var parts = [el("h1", { text: (prefix || "") + scene.title })];
    if (scene.when) parts.push(el("p", { "class": "when", text: scene.when }));
    parts.push(el("div", { "class": "story", html: scene.html }));
    return parts;
  }

  function deciding() {
    sceneHeader(room.scene, "Decision " + room.number + ": ").forEach(function (node) { view.appendChild(node); });
    var fieldset = el("fieldset", { id: "vote" }, [el("legend", { text: "Your vote" })]);
    room.options.forEach(function (option, index) {
      var id = "option-" + index;
      var input = el("input", { type: "radio", name: "choice", id: id, value: option.id });
      fieldset.appendChild(el("div", { "class": "option" }, [input, el("label", { "for": id, text: option.label })]));
    });
    var form = el("form", { id: "vote-form", novalidate: "" }, [
      fieldset,
      el("p", { id: "voting-state", "class": "hint" }),
      el("button", { type: "submit", id: "vote-button", text: "Send my vote" }),
      el("p", { id: "vote-status", "class": "status" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector("input[name=choice]:checked");
      if (!picked) { status("vote-status", "Choose an option first.", true); return; }
      if (!socket.send({ type: "vote", choice: picked.value, id: nextId++ })) {
        status("vote-status", "Not connected; your vote will need sending again once the page reconnects.", true);
        return;
      }
      status("vote-status", "Sending…");
    });
    view.appendChild(form);
  }

  function passage() {
    sceneHeader(room.scene).forEach(function (node) { view.appendChild(node); });
    view.appendChild(el("p", { "class": "hint", text: "No vote here: the facilitator will carry the story on." }));
  }

  function outcome() {
    var result = room.outcome;
    view.appendChild(el("h1", { text: "Decision " + room.number + ": " + result.scene.title }));
    var words = "The room chose: " + result.chosen + " (" + votesOf(result.tally, result.chosen) + " of " + result.total + " votes)";
    if (result.tie_break) words += ", the facilitator breaking a tie";
    view.appendChild(el("p", { "class": "chosen", text: words + "." }));
    var list = el("ul", { "class": "tally", "aria-label": "How the room voted" });
    result.tally.forEach(function (row) {
      var share = result.total ? Math.round(100 * row.votes / result.total) : 0;
      var fill = el("span");
      fill.style.width = share + "%"; // through the CSSOM: the page's policy allows no inline style attributes
      var bar = el("span", { "class": "bar", "aria-hidden": "true" }, [fill]);
      list.appendChild(el("li", {}, [
        el("span", { "class": "label", text: row.label }),
        el("span", { "class": "count", text: row.votes + (row.votes === 1 ? " vote" : " votes") + " (" + share + "%)" }),
        bar,
      ]));
    });
    view.appendChild(list);
    view.appendChild(el("p", { id: "your-vote", "class": "hint" }));
    view.appendChild(el("h2", { text: "What happened next" }));
    view.appendChild(el("div", { "class": "story", html: result.html }));
  }

  function votesOf(tally, label) {
    for (var i = 0; i < tally.length; i++) if (tally[i].label === label) return tally[i].votes;
    return 0;
  }

  function debrief() {
    var data = room.debrief;
    view.appendChild(el("h1", { text: "Debrief: " + data.ending }));
    view.appendChild(el("div", { "class": "story", html: data.html }));
    view.appendChild(el("h2", { text: "What really happened" }));
    view.appendChild(el("div", { "class": "story", html: data.happened }));
    view.appendChild(el("h2", { text: "Questions for your own place" }));
    view.appendChild(el("p", { "class": "hint", text: "Your answers are anonymous: the room sees them without names." }));
    data.questions.forEach(function (question, index) {
      var id = "answer-" + index;
      var form = el("form", { "class": "answer", novalidate: "" }, [
        el("label", { "for": id, text: question }),
        el("textarea", { id: id, rows: "3", maxlength: "500" }),
        el("button", { type: "submit", text: "Send answer" }),
        el("p", { id: id + "-status", "class": "status" }),
      ]);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var box = document.getElementById(id), text = box.value.trim();
        if (!text) { status(id + "-status", "Write an answer first.", true); return; }
        var sent = nextId++;
        pendingAnswers[sent] = { box: box, status: id + "-status" };
        if (!socket.send({ type: "answer", question: index, text: text, id: sent })) {
          delete pendingAnswers[sent];
          status(id + "-status", "Not connected yet; try again in a moment.", true);
          return;
        }
        status(id + "-status", "Sending…");
      });
      view.appendChild(form);
    });
  }

  var pendingAnswers = {};

  // --- this device's part ----------------------------------------------------------------------

  function labelOf(choice) {
    var options = (room && room.options) || (room && room.outcome && room.outcome.tally) || [];
    for (var i = 0; i < options.length; i++) if (options[i].id === choice) return options[i].label;
    return "";
  }

  function update() {
    if (!room) return;
    var mine = you && you.step === room.step ? you : null;
    if (room.stage === "deciding") {
      var open = room.voting;
      view.querySelectorAll("input[name=choice]").forEach(function (input) {
        input.disabled = !open;
        if (mine && mine.vote && input.value === mine.vote && !input.dataset.touched) input.checked = true;
        input.onchange = function () { input.dataset.touched = "1"; };
      });
      var button = document.getElementById("vote-button");
      button.disabled = !open;
      button.textContent = mine && mine.vote ? "Change my vote" : "Send my vote";
      var hint = open ? "Voting is open. You can change your vote until it closes."
                      : (mine && mine.vote ? "Voting is closed." : "Voting opens when the facilitator says so.");
      var state = document.getElementById("voting-state");
      if (state.textContent !== hint) { state.textContent = hint; if (state.dataset.said) say(hint); state.dataset.said = "1"; }
      if (mine && mine.vote && !document.getElementById("vote-status").dataset.busy) {
        status("vote-status", "Your vote: " + labelOf(mine.vote) + ".", false, true);
      }
    } else if (room.stage === "outcome") {
      var line = document.getElementById("your-vote");
      if (line) line.textContent = mine && mine.voted ? "You voted: " + labelOf(mine.voted) + "." : "This device did not vote.";
    }
  }

  function confirmed(data) {
    if (pendingAnswers[data.id]) {
      var sent = pendingAnswers[data.id];
      delete pendingAnswers[data.id];
      sent.box.value = "";
      status(sent.status, "Sent, thank you. You can send another.", false, true);
      return;
    }
    var box = document.getElementById("vote-status");
    if (box) {
      delete box.dataset.busy;
      view.querySelectorAll("input[name=choice]").forEach(function (input) { delete input.dataset.touched; });
      status("vote-status", "Your vote: " + labelOf(data.vote) + ".", false, true);
    }
  }

  function failed(data) {
    var message = data.message || "Something went wrong.";
    if (data.id && pendingAnswers[data.id]) {
      status(pendingAnswers[data.id].status, message, true);
      delete pendingAnswers[data.id];
      return;
    }
    if (document.getElementById("vote-status")) status("vote-status", message, true);
    else say(message);
  }

  function status(id, text, problem, done) {
    var box = document.getElementById(id);
    if (!box) return;
    box.textContent = text;
    box.className = problem ? "status problem" : done ? "status done" : "status";
    box.setAttribute("role", problem ? "alert" : "status");
  }

  // --- start: a code in the address joins at once; otherwise try this device's cookie ----------

  var params = new URLSearchParams(location.search);
  var code = params.get("code");
  if (code) {
    history.replaceState(null, "", "/");
    document.getElementById("code").value = code;
    join(code);
  } else {
    start();
  }
})();
