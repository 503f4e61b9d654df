// khabar: small progressive enhancements; every page works without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // turn highlighting of a layer on or off (article pages)
  document.querySelectorAll("fieldset.layers input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.dataset.layer, !box.checked);
    });
  });
  // hovering a quotation in the side list outlines it in the text
  document.querySelectorAll("a.qref").forEach(function (a) {
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    a.addEventListener("mouseenter", function () { target.style.outline = "2px solid #0b5c7a"; });
    a.addEventListener("mouseleave", function () { target.style.outline = ""; });
  });
});
