// Points Swagger UI at this service's own document. The page works offline: every file comes from
// this service (no CDN), and validatorUrl is off so nothing is sent to the public validator.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The key a person enters under "Authorize" survives a reload (browser local storage only).
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
