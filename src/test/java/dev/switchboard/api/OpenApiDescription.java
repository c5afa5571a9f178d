package dev.switchboard.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The frame of the OpenAPI 3.1 description that springdoc generates from the controllers in OpenApiDocumentTest.
 * The version is filled in by OpenApiEndpoint when the gateway serves it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "springdoc.api-docs.enabled", havingValue = "true")
public class OpenApiDescription {

    @Bean
    OpenAPI switchboardApi() {
        return new OpenAPI()
                .info(new Info().title("Switchboard registry API").version("development")
                        .description("Manage upstream MCP servers, tools, resources, prompts and virtual servers."
                                + " Errors are RFC 9457 problem documents; their types are listed in docs/api.md.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("A JWT or an API token (sbt_...)"))
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("The administrator (ADMIN_USER, ADMIN_PASSWORD)")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
