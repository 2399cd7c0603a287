// Small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";
  // The language switcher submits on change (a button is shown inside <noscript>).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Forms marked data-once disable their submit buttons after the first submit, so a double
  // click sends one request (the server is idempotent anyway).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
  // htmx must send the CSRF token on every non-GET request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
