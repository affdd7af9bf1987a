// 申报评审平台: asks before an action that cannot be undone, in the page's own Bootstrap modal
// (core/_confirm_modal.html) instead of window.confirm(), whose title is the site's address and which cannot say
// what will happen. Driven by data attributes, since the CSP forbids inline scripts:
//   <form data-confirm-title="提交申报" data-confirm-body="提交后不能再修改。" data-confirm-button="提交">
// on a form, on its submit button (which wins) or on a link. `data-confirm` alone is the body.
(function () {
  "use strict";

  var ATTRIBUTES = ["data-confirm", "data-confirm-title", "data-confirm-body", "data-confirm-button"];
  var confirmed = null; // the form or link the user has just confirmed, let through once
  var opener = null; // what had focus, to give it back when the user cancels
  var pending = null; // what to do when the user confirms

  function asks(element) {
    return Boolean(
      element &&
        ATTRIBUTES.some(function (name) {
          return element.hasAttribute(name);
        })
    );
  }

  function texts(element) {
    return {
      title: element.getAttribute("data-confirm-title"),
      body: element.getAttribute("data-confirm-body") || element.getAttribute("data-confirm"),
      button: element.getAttribute("data-confirm-button"),
      danger: element.hasAttribute("data-confirm-danger"),
    };
  }

  function ask(element, proceed) {
    var modal = document.getElementById("confirm-modal");
    var text = texts(element);
    if (!modal || !window.bootstrap) {
      // No modal on this page (or Bootstrap failed to load): still never act without asking.
      if (window.confirm([text.title, text.body].filter(Boolean).join("\n"))) {
        proceed();
      }
      return;
    }
    var title = modal.querySelector("#confirm-modal-title");
    var accept = modal.querySelector("[data-confirm-accept]");
    title.textContent = text.title || title.getAttribute("data-default");
    modal.querySelector("#confirm-modal-body").textContent = text.body || "";
    accept.textContent = text.button || accept.getAttribute("data-default");
    accept.classList.toggle("btn-danger", text.danger);
    accept.classList.toggle("btn-primary", !text.danger);
    opener = document.activeElement;
    pending = proceed;
    window.bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (confirmed === form) {
      return;
    }
    var asker = asks(submitter) ? submitter : asks(form) ? form : null;
    if (!asker) {
      return;
    }
    event.preventDefault();
    ask(asker, function () {
      // requestSubmit dispatches the submit event at once; the mark lets that one event through and no other
      // (a form the browser's own validation stops must ask again next time).
      confirmed = form;
      // requestSubmit keeps the submitter's name and value (e.g. action=submit) in the posted data.
      if (submitter && submitter.form === form) {
        form.requestSubmit(submitter);
      } else {
        form.requestSubmit();
      }
      confirmed = null;
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || !asks(link)) {
      return;
    }
    event.preventDefault();
    ask(link, function () {
      window.location.assign(link.href);
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var modal = document.getElementById("confirm-modal");
    if (!modal) {
      return;
    }
    var accepted = false;
    modal.querySelector("[data-confirm-accept]").addEventListener("click", function () {
      accepted = true;
      window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    });
    // Focus starts on 取消: the actions asked about cannot be undone, so Enter must not do them by accident.
    modal.addEventListener("shown.bs.modal", function () {
      accepted = false;
      modal.querySelector("[data-confirm-cancel]").focus();
    });
    modal.addEventListener("hidden.bs.modal", function () {
      var proceed = pending;
      pending = null;
      if (accepted && proceed) {
        proceed();
      } else if (opener && typeof opener.focus === "function") {
        opener.focus();
      }
      opener = null;
    });
  });
})();
