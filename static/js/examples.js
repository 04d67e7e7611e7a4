/* Scam examples: replay buttons for moments of audio and video, and link-looking text.
   Plain JavaScript, no build step; load with defer. Everything else works without it. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // --- Replay a moment: <button class="replay" data-seek="4.5" data-until="7"> ----------------

  var stopAt = new WeakMap(); // media element -> its pending "pause at data-until" listener

  function mediaFor(button) {
    var scope = button.closest("figure.example") || button.closest(".example");
    var found = scope && scope.querySelector("audio, video");
    if (found) return found;
    // Otherwise the last audio or video that comes before the button in the document.
    var all = document.querySelectorAll("audio, video");
    for (var i = all.length - 1; i >= 0; i--) {
      if (all[i].compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING) return all[i];
    }
    return null;
  }

  function replay(button) {
    var media = mediaFor(button);
    var seek = parseFloat(button.dataset.seek);
    if (!media || !isFinite(seek)) return;
    var until = parseFloat(button.dataset.until);
    var previous = stopAt.get(media);
    if (previous) {
      media.removeEventListener("timeupdate", previous);
      stopAt.delete(media);
    }
    if (isFinite(until) && until > seek) {
      var stop = function () {
        if (media.currentTime >= until) {
          media.pause();
          media.removeEventListener("timeupdate", stop);
          stopAt.delete(media);
        }
      };
      stopAt.set(media, stop);
      media.addEventListener("timeupdate", stop);
    }
    try {
      media.currentTime = seek;
    } catch (error) {
      // Not seekable yet: play from where it is.
    }
    var playing = media.play();
    if (playing && playing.catch) playing.catch(function () {});
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.replay[data-seek]");
    if (button) {
      event.preventDefault();
      replay(button);
    }
  });

  // --- Region boxes belong to the video's poster: hide them while the video plays ------------

  function playing(event) {
    var box = event.target.closest && event.target.closest(".mock-picture");
    if (box && event.target.tagName === "VIDEO") box.classList.toggle("is-playing", event.type === "play");
  }
  ["play", "pause", "ended"].forEach(function (type) {
    document.addEventListener(type, playing, true); // media events do not bubble
  });

  // --- Addresses in message text look like links but go nowhere -----------------------------

  var URL_CHARS = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]";
  var ADDRESS = new RegExp(
    "\\b(?:https?://" + URL_CHARS + "+|www\\." + URL_CHARS + "+|[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*" +
      "\\.(?:com|net|org|info|biz|top|xyz|vip|shop|site|online|app|link|click|cc|co|io|me|ly|hk|tw|cn|uk|gov|edu)" +
      "(?![a-z0-9-])(?:/" + URL_CHARS + "*)?)",
    "gi"
  );
  var TRAILING = /[.,;:!?)\]}'"’”。，！？）]+$/;

  var BLOCK = "p, li, .bubble-text, [data-linkify]";
  var SKIP = ".fake-link, a, .flag-number, .visually-hidden";

  // Addresses may be split over several text nodes (a red flag marks only the domain), so
  // match on the text of each block and wrap every piece of a match in its own span.
  function linkify(root) {
    if (!root || !root.querySelectorAll) return;
    var scopes = Array.prototype.slice.call(root.querySelectorAll("[data-linkify]"));
    if (root.matches && root.matches("[data-linkify]")) scopes.push(root);
    scopes.forEach(function (scope) {
      var blocks = new Map();
      var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode;
        if (node.parentElement.closest(SKIP)) continue;
        var block = node.parentElement.closest(BLOCK);
        if (!blocks.has(block)) blocks.set(block, []);
        blocks.get(block).push(node);
      }
      blocks.forEach(wrapAddresses);
    });
  }

  function wrapAddresses(nodes) {
    var text = "";
    var starts = nodes.map(function (node) {
      var at = text.length;
      text += node.nodeValue;
      return at;
    });
    var ranges = [];
    var match;
    ADDRESS.lastIndex = 0;
    while ((match = ADDRESS.exec(text))) {
      if (text.charAt(match.index - 1) === "@") continue; // the domain of an e-mail address
      var address = match[0].replace(TRAILING, "");
      ranges.push([match.index, match.index + address.length]);
    }
    // Wrap from the last piece to the first so earlier offsets stay valid.
    for (var i = nodes.length - 1; i >= 0; i--) {
      var node = nodes[i];
      var from = starts[i];
      var to = from + node.nodeValue.length;
      for (var r = ranges.length - 1; r >= 0; r--) {
        var start = Math.max(ranges[r][0], from);
        var end = Math.min(ranges[r][1], to);
        if (start >= end) continue;
        var piece = node.splitText(start - from);
        piece.splitText(end - start);
        var span = document.createElement("span");
        span.className = "fake-link";
        piece.parentNode.replaceChild(span, piece);
        span.appendChild(piece);
      }
    }
  }

  linkify(document);
  // Content swapped in later (htmx) gets the same treatment.
  document.addEventListener("htmx:load", function (event) {
    linkify(event.target);
  });
})();
