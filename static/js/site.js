/* The site's few behaviours, kept out of the templates: the Content-Security-Policy allows no inline script or style. */
(function () {
  "use strict";
  // The small screen's menu button says what it does next ("Menü schließen" once open), and Escape closes the
  // menu and returns to the button.
  var menu = document.getElementById("hauptmenue");
  var toggler = document.querySelector("[data-bs-target='#hauptmenue']");
  if (menu && toggler && window.bootstrap) {
    menu.addEventListener("shown.bs.collapse", function () {
      toggler.setAttribute("aria-label", toggler.getAttribute("data-label-close"));
    });
    menu.addEventListener("hidden.bs.collapse", function () {
      toggler.setAttribute("aria-label", toggler.getAttribute("data-label-open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("show")) {
        window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
        toggler.focus();
      }
    });
  }
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
  // Profile forms: a fieldset with data-roles (needs, mentor places) is shown, and its fields sent,
  // only while one of its roles is chosen; the server ignores the other role's answers anyway.
  var roleSections = document.querySelectorAll("fieldset[data-roles]");
  var roleInputs = document.querySelectorAll("input[type=radio][name=role]");
  if (roleSections.length && roleInputs.length) {
    var showRoleSections = function () {
      var chosen = document.querySelector("input[type=radio][name=role]:checked");
      roleSections.forEach(function (section) {
        var shown = chosen !== null && section.getAttribute("data-roles").split(" ").indexOf(chosen.value) !== -1;
        section.hidden = !shown;
        section.disabled = !shown;
      });
    };
    roleInputs.forEach(function (input) {
      input.addEventListener("change", showRoleSections);
    });
    showRoleSections();
  }
})();
