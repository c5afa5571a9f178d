package dev.switchboard.federation;

import dev.switchboard.catalog.AuthType;
import dev.switchboard.catalog.Transport;
import dev.switchboard.catalog.UpstreamGateway;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the upstream connection tests share: registrations, and an exchange that records and answers. */
final class UpstreamSamples {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private UpstreamSamples() {
    }

    static UpstreamGateway gateway(Transport transport, String url, String command) {
        return gateway(UUID.randomUUID(), transport, url, command, 1);
    }

    static UpstreamGateway gateway(UUID id, Transport transport, String url, String command, long version) {
        Instant now = Instant.now();
        return new UpstreamGateway(id, "fixture-" + transport.name().toLowerCase(), "fixture", null, transport, url,
                command, null, AuthType.NONE, null, null, null, true, true, null, Set.of(), null, now, now, version);
    }

    static ObjectNode params(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** Records notifications; answers sampling with "4" and elicitation with {name: Ada}. */
    static final class RecordingExchange implements UpstreamExchange {
        final List<ObjectNode> notifications = new CopyOnWriteArrayList<>();
        final List<String> requests = new CopyOnWriteArrayList<>();

        @Override
        public void notification(ObjectNode notification) {
            notifications.add(notification);
        }

        @Override
        public JsonNode clientRequest(String method, ObjectNode params) {
            requests.add(method + " " + params);
            return switch (method) {
                case "sampling/createMessage" -> JSON.readTree("{\"role\":\"assistant\",\"content\":{\"type\":\"text\","
                        + "\"text\":\"4\"},\"model\":\"test-model\",\"stopReason\":\"endTurn\"}");
                case "elicitation/create" -> JSON.readTree("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}");
                default -> UpstreamExchange.NONE.clientRequest(method, params);
            };
        }
    }
}
