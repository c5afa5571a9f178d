package dev.switchboard.console;

import dev.switchboard.api.ApiDocsPage;
import dev.switchboard.api.OpenApiEndpoint;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API reference inside the console: the page of /docs, its files and the description of /openapi.json, served
 * again under /admin so that the console's session opens them. At /docs they take the API's credentials, which a
 * browser signed in to the console does not send.
 */
@Hidden
@Controller
public class ApiReferencePage implements WebMvcConfigurer {

    private final ApiDocsPage docs;
    private final OpenApiEndpoint description;

    public ApiReferencePage(ApiDocsPage docs, OpenApiEndpoint description) {
        this.docs = docs;
        this.description = description;
    }

    @GetMapping(path = ConsolePaths.API_REFERENCE, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    public byte[] page() {
        return docs.page();
    }

    @GetMapping(path = ConsolePaths.ROOT + "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public byte[] description() {
        return description.description();
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        docs.serveFiles(registry, ConsolePaths.API_REFERENCE + "/**");
    }
}
