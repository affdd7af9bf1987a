// 申报评审平台: page behaviour. Loaded as a static file; the CSP forbids inline scripts and on...= attributes.
(function () {
  "use strict";

  // Confirmations before submitting a form or following a link: static/js/confirm-modal.js.
  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
    }
  });

  // <select data-autosubmit> submits its form when changed (used where a button would be clumsy).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) {
      select.form.requestSubmit();
    }
  });

  // Table rows of the application form (Django formsets): <button data-formset-add="members"> clones the
  // <template id="members-empty-row"> into #members-rows and counts it in members-TOTAL_FORMS. Without
  // JavaScript the button stays hidden and the page offers blank rows instead.
  function addFormsetRow(prefix) {
    var rows = document.getElementById(prefix + "-rows");
    var template = document.getElementById(prefix + "-empty-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!rows || !template || !total) {
      return;
    }
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= parseInt(max.value, 10)) {
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row_number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (button) {
      event.preventDefault();
      addFormsetRow(button.getAttribute("data-formset-add"));
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
