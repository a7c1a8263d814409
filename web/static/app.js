// drafttrack viewer: keyboard navigation between changes (j / k), copy-link buttons,
// and the one-click editorial toggle. Served from 'self' (no inline scripts, no libraries).
(function () {
  "use strict";

  function changes() {
    return Array.prototype.slice.call(document.querySelectorAll(".change, .moved-away"));
  }

  function current(list) {
    var id = window.location.hash.slice(1);
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === id) { return i; }
    }
    return -1;
  }

  function go(step) {
    var list = changes().filter(function (el) { return el.offsetParent !== null; });
    if (!list.length) { return; }
    var i = current(list);
    var next = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    var target = list[next];
    if (target.id) { window.location.hash = target.id; }
    target.scrollIntoView({ block: "center" });
    var link = target.querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "j") { go(1); event.preventDefault(); }
    if (event.key === "k") { go(-1); event.preventDefault(); }
  });

  function ready() {
    document.querySelectorAll("button.copy-link").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = window.location.href.split("#")[0] + "#" + button.getAttribute("data-anchor");
        var done = function () {
          button.textContent = "copied";
          window.setTimeout(function () { button.textContent = "copy link"; }, 1500);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(done, function () { window.prompt("Link:", url); });
        } else {
          window.prompt("Link:", url);
        }
      });
    });
    var toggle = document.getElementById("editorial-toggle");
    if (toggle) {
      toggle.addEventListener("click", function (event) {
        event.preventDefault();
        var hidden = document.body.classList.toggle("hide-editorial");
        toggle.textContent = (hidden ? "Show" : "Hide") + " editorial changes";
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
