/* Periodic task form (django-celery-beat): shows the chosen crontab in words, as its own inline script did. */
(function ($) {
  "use strict";
  var readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var help = $(".field-crontab .help");
  var original = help.text().trim();
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var meaning = readable[$("#id_crontab").val()] || "";
    help.empty().append(document.createTextNode(original), $("<br>"),
                        document.createTextNode(window.gettext("Bedeutung:") + " " + meaning));
  });
})(django.jQuery);
