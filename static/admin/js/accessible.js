"use strict";
// Admin pages: accessible names for what Django's admin scripts build (loaded by templates/admin/base_site.html).
// Runs after those scripts: deferred scripts run after every script in the page, and its listeners are added last.
{
    // SelectFilter2 (filter_horizontal) puts an aria-label on a plain <span> inside the filter's label,
    // which ARIA forbids; as an image the icon may carry the words that name the filter box.
    function labelFilterIcons(root) {
        root.querySelectorAll(".selector .search-label-icon[aria-label]").forEach((icon) => {
            icon.setAttribute("role", "img");
        });
    }

    // Select2 (autocomplete_fields) names its combobox only by the chosen value; an empty one has no name.
    // The field's own <label> names it, followed by the value.
    function labelAutocompletes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const combobox = select.parentElement.querySelector(".select2-selection[role=combobox]");
            const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
            if (!combobox || !label) {
                return;
            }
            if (!label.id) {
                label.id = `${select.id}_label`;
            }
            const rendered = combobox.querySelector(".select2-selection__rendered");
            if (rendered) {
                // Not a text box: the value is read as part of the combobox's name.
                rendered.removeAttribute("role");
                rendered.removeAttribute("aria-readonly");
            }
            combobox.setAttribute("aria-labelledby", [label.id, rendered && rendered.id].filter(Boolean).join(" "));
        });
    }

    window.addEventListener("load", () => labelFilterIcons(document));
    // autocomplete.js starts Select2 in a jQuery ready handler; jQuery runs those in order, so this one comes after.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => labelAutocompletes(document));
    }
    document.addEventListener("formset:added", (event) => labelAutocompletes(event.target));
}
