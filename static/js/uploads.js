// 申报评审平台: uploads on the materials page (applications/materials.html). Each chosen file goes on its own
// request (so a large file shows its progress and one refused file does not hold up the others), through the same
// view and checks as the plain form, which still works without JavaScript (several files in one request).
(function () {
  "use strict";

  var templates = document.getElementById("upload-messages");

  function message(key, values) {
    var text = templates.content.querySelector('[data-message="' + key + '"]').textContent;
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  function row(list, file) {
    var item = document.createElement("li");
    item.className = "upload-file mb-1";
    var name = document.createElement("span");
    name.className = "upload-file-name me-2";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.className = "me-2 align-middle";
    bar.setAttribute("aria-label", file.name);
    var state = document.createElement("span");
    state.className = "upload-file-state";
    state.textContent = message("waiting");
    item.append(name, bar, state);
    list.append(item);
    return { item: item, bar: bar, state: state };
  }

  function send(form, file, view) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("requirement", form.querySelector("[name=requirement]").value);
      data.append("file", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          var percent = Math.round((event.loaded / event.total) * 100);
          view.bar.value = percent;
          view.state.textContent = percent < 100 ? message("sending", { percent: percent }) : message("checking");
        }
      });
      request.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        var ok = request.status === 200 && answer && answer.ok;
        view.bar.value = 100;
        view.item.classList.add(ok ? "text-success" : "text-danger");
        view.state.textContent = ok ? message("done") : (answer && answer.errors && answer.errors.join(" ")) || message("failed");
        if (!ok) {
          view.item.setAttribute("role", "alert");
        }
        resolve(ok);
      });
      request.addEventListener("error", function () {
        view.item.classList.add("text-danger");
        view.state.textContent = message("failed");
        resolve(false);
      });
      request.send(data);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-upload]");
    var input = form && form.querySelector("input[type=file]");
    if (!form || !templates || !input || !input.files.length || !window.XMLHttpRequest) {
      return;
    }
    event.preventDefault();
    var list = document.getElementById(form.getAttribute("data-upload-progress"));
    var button = form.querySelector("[type=submit]");
    var files = Array.prototype.slice.call(input.files);
    list.replaceChildren();
    list.hidden = false;
    button.disabled = true;
    var views = files.map(function (file) {
      return row(list, file);
    });
    // One after another: the server keeps the order, and a single-file requirement is replaced exactly once.
    files
      .reduce(function (previous, file, index) {
        return previous.then(function (results) {
          return send(form, file, views[index]).then(function (ok) {
            return results.concat([ok]);
          });
        });
      }, Promise.resolve([]))
      .then(function (results) {
        if (results.every(Boolean)) {
          window.location.reload(); // the list of current files and the 尚缺 notice come from the server
          return;
        }
        button.disabled = false;
        input.value = "";
        var note = document.createElement("li");
        note.className = "mt-2";
        note.textContent = message("reload") + " ";
        var again = document.createElement("a");
        again.href = window.location.href;
        again.textContent = message("reload-button");
        note.append(again);
        list.append(note);
      });
  });
})();
