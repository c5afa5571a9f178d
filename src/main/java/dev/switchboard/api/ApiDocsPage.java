package dev.switchboard.api;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * GET /docs: a page that browses /openapi.json with Swagger UI. The page and its start-up script are ours
 * (dev/switchboard/api/docs); Swagger UI's files come from its webjar and are served under /docs/ too. Links are
 * relative, so the page also works behind a proxy that adds a path prefix.
 */
@Hidden
@Controller
public class ApiDocsPage implements WebMvcConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ApiDocsPage.class);
    private static final String OWN_FILES = "classpath:/dev/switchboard/api/docs/";
    private static final String WEBJAR = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final byte[] page;
    private final String[] locations;

    ApiDocsPage() {
        try (InputStream in = ApiDocsPage.class.getResourceAsStream("docs/index.html")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks dev/switchboard/api/docs/index.html");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> found = new ArrayList<>(List.of(OWN_FILES));
        String version = swaggerUiVersion();
        if (version == null) {
            log.warn("Swagger UI's files are not on the class path, so the page at /docs will be blank;"
                    + " /openapi.json is served all the same. Build the jar with ./mvnw package to include them.");
        } else {
            found.add("classpath:/META-INF/resources/webjars/swagger-ui/" + version + "/");
        }
        this.locations = found.toArray(String[]::new);
    }

    /**
     * The page. Its links are relative: served at {@code <prefix>/docs}, it loads its files from
     * {@code <prefix>/docs/} and the description from {@code <prefix>/openapi.json}.
     */
    @GetMapping(path = "/docs", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    public byte[] page() {
        return page;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        serveFiles(registry, "/docs/**");
    }

    /** Serves the page's files (its script and Swagger UI's) at {@code pattern} too. */
    public void serveFiles(ResourceHandlerRegistry registry, String pattern) {
        registry.addResourceHandler(pattern).addResourceLocations(locations);
    }

    /** The version of the Swagger UI webjar on the class path, which names the folder its files are in. */
    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocsPage.class.getClassLoader().getResourceAsStream(WEBJAR)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
