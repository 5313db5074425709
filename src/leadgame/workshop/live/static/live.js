// leadgame live room: what the learner's and the presenter's pages share.
// A socket that reconnects by itself (after a network drop or a server restart) and a small
// element builder that only ever inserts text as text.
"use strict";

var Live = (function () {
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "html") node.innerHTML = attrs[key]; // only Markdown the server rendered without raw HTML
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // Words for the connection's state in the page's status line. While the page is trying again
  // it says so once, not at every attempt, so a screen reader is not told over and over.
  function showConnection(node, state) {
    var words = state === "open" ? "Connected" : state === "lost" ? "Reconnecting…" : "Connecting…";
    if (state === "connecting" && node.className === "lost") return;
    if (node.textContent !== words) node.textContent = words;
    node.className = state;
  }

  // connect(path, handlers): handlers.message(data), handlers.status(state) with state one of
  // "connecting", "open", "lost"; handlers.closed(code) may return false to stop reconnecting.
  function connect(path, handlers) {
    var socket = null, delay = 500, stopped = false, timer = null;
    function url() {
      return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
    }
    function open() {
      timer = null;
      handlers.status("connecting");
      socket = new WebSocket(url());
      socket.onopen = function () { delay = 500; handlers.status("open"); };
      socket.onmessage = function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        handlers.message(data);
      };
      socket.onclose = function (event) {
        socket = null;
        if (stopped) return;
        if (handlers.closed && handlers.closed(event.code) === false) { stopped = true; return; }
        handlers.status("lost");
        timer = setTimeout(open, delay + Math.random() * delay / 2);
        delay = Math.min(delay * 2, 5000);
      };
    }
    // Come back at once when the phone wakes or the network returns, not after the backoff.
    function soon() {
      if (!stopped && !socket && timer) { clearTimeout(timer); delay = 500; open(); }
    }
    window.addEventListener("online", soon);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) soon(); });
    open();
    return {
      send: function (data) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return false;
        socket.send(JSON.stringify(data));
        return true;
      },
      restart: function () { stopped = false; if (!socket) open(); },
    };
  }

  return { el: el, clear: clear, connect: connect, showConnection: showConnection };
})();
