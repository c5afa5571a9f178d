package dev.switchboard.observability;

import dev.switchboard.Switchboard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole application, started as the jar starts it, on a random port; plain HTTP to talk to it. */
final class RunningGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    private RunningGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts the gateway with these environment settings (DATABASE_URL and so on) on a free port. */
    static RunningGateway start(Map<String, String> environment) {
        Map<String, Object> properties = new LinkedHashMap<>(environment);
        // An argument outranks application.properties' server.port=8080; a default property does not.
        return new RunningGateway(new SpringApplicationBuilder(Switchboard.class).properties(properties)
                .run("--server.port=0"));
    }

    /** GETs {@code path}; {@code headers} are name, value pairs (an Authorization header, say). */
    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
