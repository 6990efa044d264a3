/*
 * Suggestions for @mentions while typing a forum message. An enhancement only: without
 * it, people type @handle themselves. Forms opt in with data-mention-url (the forum's
 * leden-zoeken/ address, which answers {"results": [{"handle", "name"}]} for members who
 * may read the forum); data-mention-label and data-mention-hint carry the translated
 * texts. Keyboard: arrow down from the message moves to the suggestions, arrows move
 * between them, Enter chooses, Escape goes back. No inline script (CSP script-src 'self').
 */
(function () {
  "use strict";

  var MENTION = /(^|[^\w@./-])@([a-z0-9][a-z0-9_-]{0,39})$/i;
  var DELAY = 200;

  function setup(form) {
    var url = form.getAttribute("data-mention-url");
    var textarea = form.querySelector("textarea[name=body]");
    if (!url || !textarea || !window.fetch) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "site-mentions";
    list.hidden = true;
    list.id = (textarea.id || "body") + "-mentions";
    list.setAttribute("aria-label", form.getAttribute("data-mention-label") || "");
    var status = document.createElement("p");
    status.className = "rhc-visually-hidden";
    status.setAttribute("role", "status");
    textarea.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    var timer = null;
    var controller = null;
    var current = null;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("button"));
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      status.textContent = "";
      current = null;
    }

    function fragment() {
      if (textarea.selectionStart !== textarea.selectionEnd) {
        return null;
      }
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = MENTION.exec(before);
      return match ? { start: before.length - match[2].length, text: match[2] } : null;
    }

    function insert(handle) {
      if (!current) {
        return;
      }
      var value = textarea.value;
      var end = current.start + current.text.length;
      var after = value.slice(end);
      var spacer = after.charAt(0) === " " ? "" : " ";
      textarea.value = value.slice(0, current.start) + handle + spacer + after;
      var caret = current.start + handle.length + 1;
      close();
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
    }

    function show(results, found) {
      list.textContent = "";
      if (!results.length) {
        close();
        return;
      }
      current = found;
      results.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "site-mentions__option";
        button.textContent = "@" + person.handle + (person.name ? " (" + person.name + ")" : "");
        button.addEventListener("click", function () {
          insert(person.handle);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = false;
      status.textContent = form.getAttribute("data-mention-hint") || "";
    }

    function lookup() {
      var found = fragment();
      if (!found) {
        close();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var address = url + "?q=" + encodeURIComponent(found.text);
      window
        .fetch(address, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          show((data && data.results) || [], found);
        })
        .catch(function () {
          /* aborted or offline: no suggestions, typing goes on */
        });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        options()[0].focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var buttons = options();
      var index = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = index + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) {
          textarea.focus();
        } else if (next < buttons.length) {
          buttons[next].focus();
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        textarea.focus();
      }
    });
    form.addEventListener("focusout", function (event) {
      var to = event.relatedTarget;
      if (to !== textarea && !list.contains(to)) {
        window.setTimeout(function () {
          if (document.activeElement !== textarea && !list.contains(document.activeElement)) {
            close();
          }
        }, 0);
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-mention-url]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
