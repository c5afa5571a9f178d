package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Registry writes through the REST API, for JMH: each thread is an operator's client creating REST tools with new
 * names, or replacing its own tool with PUT (If-Match the version it holds, so updates never conflict and every one
 * is a real write). Each write must answer 201 or 200.
 */
public class RegistryLoad {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");

    /** The gateway, shared by the threads of one run. */
    @State(Scope.Benchmark)
    public static class Registry {
        /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
        @Param("")
        public String baseUrl;
        @Param("")
        public String authorization;

        HttpClient http;
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final AtomicLong names = new AtomicLong();

        @Setup(Level.Trial)
        public void open() {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .build();
        }

        @TearDown(Level.Trial)
        public void close() {
            http.close();
        }

        String write(String method, String path, String body, String ifMatch, int expected)
                throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
            if (ifMatch != null) {
                request.header("If-Match", ifMatch);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            return answer.body();
        }

        String nextName() {
            return "bench-" + run + "-" + names.incrementAndGet();
        }
    }

    /** The tool a thread keeps replacing, and the version it holds. */
    @State(Scope.Thread)
    public static class OwnTool {
        String id;
        String name;
        long version;
        long revision;

        @Setup(Level.Trial)
        public void create(Registry registry) throws IOException, InterruptedException {
            name = registry.nextName();
            String created = registry.write("POST", "/v1/tools", tool(name, 0), null, 201);
            Matcher id = ID.matcher(created);
            Matcher version = VERSION.matcher(created);
            if (!id.find() || !version.find()) {
                throw new IllegalStateException("no id or version in " + created);
            }
            this.id = id.group(1);
            this.version = Long.parseLong(version.group(1));
        }
    }

    /** POST /v1/tools: a new REST tool. */
    @Benchmark
    public String create(Registry registry) throws IOException, InterruptedException {
        return registry.write("POST", "/v1/tools", tool(registry.nextName(), 0), null, 201);
    }

    /** PUT /v1/tools/{id}: the thread's tool with a new description, at the version it holds. */
    @Benchmark
    public String update(Registry registry, OwnTool own) throws IOException, InterruptedException {
        String updated = registry.write("PUT", "/v1/tools/" + own.id, tool(own.name, ++own.revision),
                "\"" + own.version + "\"", 200);
        own.version++;
        return updated;
    }

    /** A REST tool as an operator registers one: a schema and the request it makes. */
    static String tool(String name, long revision) {
        return """
                {"name":"%s","description":"Benchmark tool, revision %d",\
                "inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},\
                "request":{"method":"GET","url":"http://127.0.0.1:9/weather/{city}"},"tags":["benchmark"]}"""
                .formatted(name, revision);
    }
}
