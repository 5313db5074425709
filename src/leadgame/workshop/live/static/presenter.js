// leadgame live room: the presenter page. It follows the room and shows what the projector
// does not: the facilitator's notes and prompts, the live count and the learners' answers.
"use strict";

(function () {
  var el = Live.el, clear = Live.clear;
  var view = document.getElementById("view");
  var connection = document.getElementById("connection");

  function render(room) {
    document.getElementById("room-title").textContent = room.title + " · session " + room.code;
    clear(view);
    var figures = el("p", { "class": "figures" }, [
      el("span", { text: room.joined + " joined" }),
      el("span", { text: room.connected + " connected now" }),
      room.stage === "deciding" ? el("span", { text: "Voting " + (room.voting ? "open" : "closed") }) : null,
      room.stage === "deciding" ? el("span", { text: "Countdown " + room.timer }) : null,
    ]);
    view.appendChild(figures);
    if (room.stage === "deciding" || room.stage === "passage") {
      var title = (room.stage === "deciding" ? "Decision " + room.number + ": " : "") + room.scene.title;
      view.appendChild(el("h1", { text: title }));
    }
    if (room.tally) {
      var total = room.tally.reduce(function (sum, row) { return sum + row.votes; }, 0);
      view.appendChild(el("h2", { text: "Votes so far: " + total + " (" + room.device_votes + " from devices)" }));
      var list = el("ul", { "class": "tally" });
      room.tally.forEach(function (row, index) {
        var share = total ? Math.round(100 * row.votes / total) : 0;
        var fill = el("span");
        fill.style.width = share + "%";
        list.appendChild(el("li", {}, [
          el("span", { "class": "label", text: (index + 1) + ". " + row.label }),
          el("span", { "class": "count", text: row.votes + " (" + share + "%)" }),
          el("span", { "class": "bar", "aria-hidden": "true" }, [fill]),
        ]));
      });
      view.appendChild(list);
    }
    if (room.notes !== undefined) {
      view.appendChild(el("h2", { text: "Facilitator notes" }));
      view.appendChild(el("div", { "class": "notes", html: room.notes || "<p>No notes for this scene.</p>" }));
      if (room.prompts.length) {
        view.appendChild(el("h2", { text: "Discussion prompts" }));
        var prompts = el("ul");
        room.prompts.forEach(function (prompt) { prompts.appendChild(el("li", { text: prompt })); });
        view.appendChild(prompts);
      }
    }
    if (room.stage === "outcome") {
      view.appendChild(el("h1", { text: "The room chose: " + room.outcome.chosen }));
      view.appendChild(el("div", { "class": "story", html: room.outcome.html }));
    }
    if (room.stage === "debrief") {
      view.appendChild(el("h1", { text: "Debrief: " + room.debrief.ending }));
      room.debrief.questions.forEach(function (question, index) {
        var answers = room.answers.filter(function (answer) { return answer.question === index; });
        view.appendChild(el("h2", { text: question + " (" + answers.length + ")" }));
        var list = el("ul", { "class": "answers" });
        answers.forEach(function (answer) { list.appendChild(el("li", { text: answer.text })); });
        view.appendChild(list);
      });
    }
  }

  Live.connect(location.pathname.replace(/\/$/, "") + "/ws", {
    status: function (state) {
      Live.showConnection(connection, state);
    },
    message: function (data) { if (data.type === "presenter") render(data); },
  });
})();
