// /api/: the chosen OpenAPI document in Swagger UI (vendored, shared/static/vendor/swagger-ui). Started from this
// file, not an inline script: the Content-Security-Policy allows none. "Try it out" is off: the page describes.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.getElementById("swagger-ui");
  if (!target || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: target.dataset.document,
    domNode: target,
    deepLinking: false,
    supportedSubmitMethods: [],
    validatorUrl: null,
  });
});
