package dev.switchboard.api;

import dev.switchboard.protocol.Implementation;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /openapi.json: the OpenAPI 3.1 description of the registry API. It is generated from the controllers in the
 * tests (OpenApiDocumentTest, which fails when it is out of date) and committed beside this class, so the gateway
 * needs no generator, and no second JSON stack, at run time. Only the version is filled in here.
 */
@Hidden
@RestController
public class OpenApiEndpoint {

    static final String DOCUMENT = "openapi.json";

    private final byte[] description;

    OpenApiEndpoint(JsonMapper json) {
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks dev/switchboard/api/" + DOCUMENT);
            }
            ObjectNode document = (ObjectNode) json.readTree(in);
            ((ObjectNode) document.get("info")).put("version",
                    Implementation.version());
            this.description = json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping(path = "/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] description() {
        return description;
    }
}
