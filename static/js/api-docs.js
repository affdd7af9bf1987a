// The API documentation page (/api/v1/docs/): Swagger UI from static/vendor/swagger-ui/, started here because the
// CSP allows no inline script. "Try it out" sends the page's session cookie and its CSRF token, as the pages do.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken], meta[name=csrf-token]");
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    deepLinking: false,
    validatorUrl: null,
    requestInterceptor: function (request) {
      var token = csrf && (csrf.value || csrf.content);
      if (token) {
        request.headers["X-CSRFToken"] = token;
      }
      return request;
    },
  });
})();
