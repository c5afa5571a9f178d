// Starts Swagger UI on the gateway's own description. The URL is relative to /docs, like the page's other links.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true
  });
});
