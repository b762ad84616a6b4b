/* The site's few behaviours, kept out of the templates: the Content-Security-Policy allows no inline script or style. */
(function () {
  "use strict";
  // After a failed submit the error summary takes the focus, so screen readers announce it.
  var summary = document.getElementById("fehlerliste");
  if (summary) {
    summary.focus();
  }
  // Bars whose length is data (Mentoringzeit, score distribution): style="" attributes are refused.
  document.querySelectorAll("[data-width]").forEach(function (bar) {
    var width = bar.getAttribute("data-width");
    if (/^\d+(\.\d+)?(%|px)$/.test(width)) {
      bar.style.width = width;
    }
  });
})();
