package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The three small languages the catalog checks: prompt templates, RFC 6570 URI templates and tool schemas. */
class TemplateSyntaxTest {

    @Test
    void promptTemplatesOnlySubstituteArguments() {
        PromptTemplate t = PromptTemplate.parse("template", "Hi {{ name }}, {{{{literal}} and {{name}} {{n.2}}");
        assertThat(t.placeholders()).containsExactly("name", "n.2");
        assertThat(t.render(Map.of("name", "{{n.2}}", "n.2", "x"))).isEqualTo("Hi {{n.2}}, {{literal}} and {{n.2}} x");
        assertThat(t.render(Map.of())).isEqualTo("Hi , {{literal}} and  ");
        for (String bad : new String[] {"{{#each x}}", "{{ a b }}", "{{", "{{name", "{{}}", "{{> partial}}"}) {
            assertThatThrownBy(() -> PromptTemplate.parse("template", bad)).as(bad)
                    .isInstanceOf(InvalidEntryException.class);
        }
    }

    @Test
    void aUriMatchesTheTemplatesItCouldHaveBeenExpandedFrom() {
        assertThat(UriTemplates.matches("demo://resource/dynamic/text/{id}", "demo://resource/dynamic/text/42")).isTrue();
        assertThat(UriTemplates.matches("demo://resource/dynamic/text/{id}", "demo://resource/dynamic/blob/42")).isFalse();
        // A simple expression stops at '/', so it names one segment; {+x} and {/x} may span several.
        assertThat(UriTemplates.matches("files://{name}", "files://a/b")).isFalse();
        assertThat(UriTemplates.matches("files://{+path}", "files://a/b")).isTrue();
        assertThat(UriTemplates.matches("files://root{/path*}", "files://root/a/b")).isTrue();
        assertThat(UriTemplates.matches("search://q{?term,lang}", "search://q?term=x&lang=en")).isTrue();
        assertThat(UriTemplates.matches("search://q{?term,lang}", "search://q")).isTrue();
        // Literal text is literal, regex characters included.
        assertThat(UriTemplates.matches("a.b://{x}", "aXb://1")).isFalse();
        assertThat(UriTemplates.matches("a.b://{x}", "a.b://1")).isTrue();
    }

    @Test
    void uriTemplatesOfEveryLevelParseAndBrokenOnesDoNot() {
        assertThat(UriTemplates.variables("uri", "docs://{page}")).containsExactly("page");
        assertThat(UriTemplates.variables("uri", "https://x{/path*}{?q,lang}{&page:3}{#frag}{+base}{.ext}{;m}"))
                .containsExactly("path", "q", "lang", "page", "frag", "base", "ext", "m");
        assertThat(UriTemplates.variables("uri", "file:///static")).isEmpty();
        for (String bad : new String[] {"docs://{", "docs://}", "docs://{}", "docs://{a b}", "docs://{a:0}",
                "docs://{a:10000}", "docs://x y", "docs://{-a}"}) {
            assertThatThrownBy(() -> UriTemplates.variables("uri", bad)).as(bad)
                    .isInstanceOf(InvalidEntryException.class);
        }
    }

    @Test
    void restRequestsFillDefaultsAndRefuseUnknownPlaceholders() {
        RestRequest r = new RestRequest("get", "https://api.example/{a}", Map.of("q", "{b}"), Map.of("X-Id", "{a}"),
                null, null, null).validated("request", Set.of("a", "b"));
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.body()).isEqualTo("none");
        assertThat(r.timeoutMs()).isEqualTo(RestRequest.DEFAULT_TIMEOUT_MS);
        assertThatThrownBy(() -> new RestRequest("GET", "https://x/", Map.of(), Map.of("X", "a\r\nB: c"), null, null,
                null).validated("request", Set.of())).isInstanceOf(InvalidEntryException.class)
                .extracting(e -> ((InvalidEntryException) e).field()).isEqualTo("request.headers.X");
        assertThatThrownBy(() -> new RestRequest("POST", "https://x/", null, null, "template", "{c}", null)
                .validated("request", Set.of("a"))).extracting(e -> ((InvalidEntryException) e).field())
                .isEqualTo("request.bodyTemplate");
    }

    @Test
    void schemasAreCheckedAgainstTheDraft202012MetaSchemaWithoutTheNetwork() {
        JsonMapper json = JsonMapper.builder().build();
        InputSchemas.check("inputSchema", json.readTree("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "properties": {"a": {"type": "array", "prefixItems": [{"type": "string"}]}},
                 "$defs": {"x": {"$ref": "https://elsewhere.example/schema"}}}"""));
        assertThatThrownBy(() -> InputSchemas.check("inputSchema", json.readTree(
                "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}")))
                .extracting(e -> ((InvalidEntryException) e).field()).isEqualTo("inputSchema.$schema");
        assertThatThrownBy(() -> InputSchemas.check("inputSchema", json.readTree(
                "{\"type\": \"object\", \"required\": \"a\"}")))
                .extracting(e -> ((InvalidEntryException) e).field()).isEqualTo("inputSchema.required");
    }
}
