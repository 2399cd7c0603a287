// Upload progress for attachment forms (form[data-upload]). Without JavaScript the forms post
// normally; with it, the file goes through XMLHttpRequest so a <progress> bar can follow it.
(function () {
  "use strict";

  function bind(root) {
    root.querySelectorAll("form[data-upload]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.FormData || !window.XMLHttpRequest) { return; }
        event.preventDefault();
        // The pressed button (upload / continue / save_draft) tells the server where to go next.
        var data;
        try { data = new FormData(form, event.submitter || null); } catch (e) {
          data = new FormData(form);
          if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
        }
        var bar = event.submitter && event.submitter.name === "upload"
          ? event.submitter.parentNode.querySelector(".upload-progress") : form.querySelector(".upload-progress");
        var buttons = form.querySelectorAll("button[type=submit]");
        buttons.forEach(function (b) { b.disabled = true; });
        if (bar) { bar.classList.remove("d-none"); bar.value = 0; }
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action || window.location.href);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (e) {
          if (bar && e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
        });
        xhr.addEventListener("load", function () {
          var type = xhr.getResponseHeader("Content-Type") || "";
          if (type.indexOf("application/json") === 0) {
            var target = new URL(JSON.parse(xhr.responseText).redirect, window.location.href);
            if (target.pathname + target.search === window.location.pathname + window.location.search) {
              // Same page, another anchor: assigning would only scroll, so reload to show the new pages.
              window.location.hash = target.hash;
              window.location.reload();
            } else {
              window.location.assign(target.href);
            }
            return;
          }
          // The page came back with errors next to the field: show it in place of this one.
          var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var main = document.getElementById("main");
          var fresh = doc.getElementById("main");
          if (main && fresh) {
            main.innerHTML = fresh.innerHTML;
            bind(main);
            var error = main.querySelector(".is-invalid, .invalid-feedback, .alert-danger");
            if (error) { error.scrollIntoView({block: "center"}); }
          } else {
            form.submit();
          }
        });
        xhr.addEventListener("error", function () {
          buttons.forEach(function (b) { b.disabled = false; });
          if (bar) { bar.classList.add("d-none"); }
          window.alert(form.getAttribute("data-upload-error") || "Không tải lên được tệp. Vui lòng thử lại.");
        });
        xhr.send(data);
      });
    });
  }

  bind(document);
})();
