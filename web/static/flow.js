// drafttrack history flow: the hover/focus panel, arrow keys between bands and between
// columns, and a range of columns (drag, or Space on two columns) opening the compare page.
// Served from 'self'; without it the bands and columns are still plain links.
(function () {
  "use strict";

  function setup(figure) {
    var bands = Array.prototype.slice.call(figure.querySelectorAll(".band"));
    var cols = Array.prototype.slice.call(figure.querySelectorAll(".flow-col"));
    var info = figure.querySelector(".flow-info");
    var pattern = figure.getAttribute("data-compare");
    var start = null;
    var dragFrom = null;

    function roving(list) {
      list.forEach(function (el, i) { el.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
    }
    roving(bands);
    roving(cols);

    function move(list, from, to) {
      if (to < 0 || to >= list.length) { return; }
      list[from].setAttribute("tabindex", "-1");
      list[to].setAttribute("tabindex", "0");
      list[to].focus();
    }

    function say(el) {
      var title = el.querySelector("title");
      var text = title ? title.textContent : "";
      info.textContent = "";
      var strong = document.createElement("span");
      strong.textContent = text + " ";
      info.appendChild(strong);
      if (el.classList.contains("band")) {
        var link = document.createElement("a");
        link.href = el.getAttribute("href");
        link.textContent = "its history";
        info.appendChild(link);
        bands.forEach(function (b) { b.classList.remove("current"); });
        el.classList.add("current");
      }
    }

    function compare(a, b) {
      var i = cols.indexOf(a), j = cols.indexOf(b);
      if (i > j) { var t = i; i = j; j = t; }
      var url = pattern.replace("OLD", cols[i].getAttribute("data-first"))
        .replace("NEW", cols[j].getAttribute("data-id"));
      window.location.href = url;
    }

    function mark(col) {
      cols.forEach(function (c) { c.classList.remove("selected"); });
      if (col) { col.classList.add("selected"); }
    }

    bands.forEach(function (el, i) {
      el.addEventListener("mouseenter", function () { say(el); });
      el.addEventListener("focus", function () { say(el); });
      el.addEventListener("keydown", function (event) {
        var k = event.key;
        if (k === "ArrowDown") { move(bands, i, i + 1); }
        else if (k === "ArrowUp") {
          if (i === 0 && cols.length) { el.setAttribute("tabindex", "-1"); cols[0].focus(); }
          else { move(bands, i, i - 1); }
        }
        else if (k === "Home") { move(bands, i, 0); }
        else if (k === "End") { move(bands, i, bands.length - 1); }
        else { return; }
        event.preventDefault();
      });
    });

    cols.forEach(function (el, i) {
      el.addEventListener("mouseenter", function () { say(el); });
      el.addEventListener("focus", function () { say(el); });
      el.addEventListener("keydown", function (event) {
        var k = event.key;
        if (k === "ArrowRight") { move(cols, i, i + 1); }
        else if (k === "ArrowLeft") { move(cols, i, i - 1); }
        else if (k === "Home") { move(cols, i, 0); }
        else if (k === "End") { move(cols, i, cols.length - 1); }
        else if (k === "ArrowDown" && bands.length) {
          var at = bands.findIndex(function (b) { return b.getAttribute("tabindex") === "0"; });
          bands[Math.max(at, 0)].focus();
        }
        else if (k === " ") {
          if (start === null || start === el) {
            start = start === el ? null : el;
            mark(start);
            info.textContent = start ? "Range from here: press Space on another column to compare." : "";
          } else {
            compare(start, el);
          }
        }
        else { return; }
        event.preventDefault();
      });
      el.addEventListener("mousedown", function (event) {
        if (event.button === 0) { dragFrom = el; mark(el); event.preventDefault(); }
      });
      el.addEventListener("mouseup", function () {
        if (dragFrom && dragFrom !== el) { compare(dragFrom, el); }
      });
      el.addEventListener("click", function (event) {
        if (dragFrom && dragFrom !== el) { event.preventDefault(); }
        dragFrom = null;
      });
    });
    document.addEventListener("mouseup", function () { if (dragFrom) { setTimeout(function () { dragFrom = null; }, 0); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("figure.flow"), setup);
  });
})();
