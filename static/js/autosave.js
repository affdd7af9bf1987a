// 申报评审平台: autosave of the application form (applications/application_section.html).
// htmx posts the form 1.5 s after the last keystroke (hx-trigger "input delay:1500ms"); this file only tells the
// applicant where things stand: 「保存中…」 while a save is on its way, the server's 「已自动保存 hh:mm」 after it,
// and the browser's leave-page warning while typed text has not reached the server yet.
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var edits = 0; // keystrokes and choices so far
  var savedEdits = 0; // how many of them the last successful save included
  var sentEdits = 0; // how many the save on its way includes
  var inFlight = false; // a save is on its way: what it carries has left the page
  var leaving = false; // a plain (non-htmx) submit or a redirect after saving: no warning

  // Only text that has not been sent yet (typed within the last 1.5 s, or refused by a failed save) is at risk.
  function unsaved() {
    return !leaving && edits > (inFlight ? sentEdits : savedEdits);
  }

  form.addEventListener("input", function () {
    edits += 1;
  });

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt !== form) {
      return;
    }
    sentEdits = edits;
    inFlight = true;
    status.textContent = form.getAttribute("data-autosave-saving");
  });

  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) {
      inFlight = false;
    }
    if (event.detail.elt !== form || !event.detail.successful) {
      if (event.detail.elt === form && !event.detail.successful) {
        status.textContent = form.getAttribute("data-autosave-failed");
      }
      return;
    }
    if (event.detail.xhr.getResponseHeader("HX-Redirect")) {
      leaving = true; // saved, and htmx now goes to the next section
    }
  });

  // The server's answer replaced the status line: only a save that succeeded clears what it carried.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === status && status.querySelector("[data-autosave-saved]")) {
      savedEdits = Math.max(savedEdits, sentEdits);
    }
  });

  form.addEventListener("submit", function () {
    if (!window.htmx) {
      leaving = true; // without htmx the browser posts the form itself
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their own text; a page may not set it any more
    }
  });
})();
