/* Figures stay legible on a phone. _static/book.css draws an output figure at no less
   than 3/4 of its natural size there (its 9 pt tick labels then stay 9 CSS px high) and
   lets a wider one scroll sideways in its box. This script gives the stylesheet each
   image's natural width, and marks a box that hides part of its figure on the left or
   the right (.hides-left, .hides-right), so the stylesheet fades that edge as a hint.
   tests/browser checks the text heights and the hint. */
(function () {
  "use strict";
  var IMAGES = "div.cell_output > img, img.lrx-frame";
  var BOXES = "div.cell_output, div.lrx-frames";

  function hint(box) {
    var hidden = box.scrollWidth - box.clientWidth;
    box.classList.toggle("hides-left", hidden > 1 && box.scrollLeft > 1);
    box.classList.toggle("hides-right", hidden > 1 && box.scrollLeft < hidden - 1);
  }

  function measure(img) {
    if (img.naturalWidth > 0) {
      img.style.setProperty("--natural-width", img.naturalWidth + "px");
    }
    var box = img.closest(BOXES);
    if (box) hint(box);
  }

  function start() {
    document.querySelectorAll(IMAGES).forEach(function (img) {
      if (img.complete) measure(img);
      else img.addEventListener("load", function () { measure(img); });
    });
    document.querySelectorAll(BOXES).forEach(function (box) {
      box.addEventListener("scroll", function () { hint(box); }, { passive: true });
    });
    window.addEventListener("resize", function () {
      document.querySelectorAll(BOXES).forEach(hint);
    });
    // a slider that shows another frame may change what the box hides
    document.querySelectorAll(".lr-explorer input[type=range]").forEach(function (range) {
      range.addEventListener("input", function () {
        var box = range.closest(".lr-explorer").querySelector(BOXES);
        if (box) hint(box);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
