package dev.switchboard.invocation;

import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.CatalogCache;
import dev.switchboard.federation.UpstreamConnection;
import dev.switchboard.federation.UpstreamConnections;
import dev.switchboard.federation.UpstreamException;
import dev.switchboard.federation.UpstreamExchange;
import dev.switchboard.protocol.JsonRpcException;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Forwards one request to the upstream that serves it and returns the upstream's result unchanged, relaying
 * what happens meanwhile between the upstream and the client. Where the two speak different generations it
 * translates: an upstream's {@code input_required} result becomes requests to a client that cannot take it.
 */
@Component
class UpstreamCalls {

    /** Rounds of input_required one call may take before the gateway gives up on an upstream that keeps asking. */
    static final int MAX_INPUT_ROUNDS = 16;

    private final CatalogCache catalog;
    private final UpstreamConnections connections;

    UpstreamCalls(CatalogCache catalog, UpstreamConnections connections) {
        this.catalog = catalog;
        this.connections = connections;
    }

    /**
     * The upstream's result for {@code method} with {@code params}, which are sent as given.
     *
     * @throws JsonRpcException when the upstream answers with an error (or the client refused its request)
     * @throws UpstreamException     when the upstream is disabled, unreachable, too slow or breaks the protocol
     */
    public JsonNode forward(UUID gatewayId, String method, ObjectNode params, CallFeedback feedback) {
        UpstreamGateway gateway = catalog.current().gateway(gatewayId).orElseThrow(() -> new UpstreamException(
                UpstreamException.Kind.UNREACHABLE, "the upstream that served this entry is no longer registered"));
        if (!gateway.enabled()) {
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "the upstream " + gateway.name()
                    + " is disabled");
        }
        if (!gateway.reachable()) {
            // Fail fast: health checks found it down, and waiting for a connect timeout helps no one.
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "the upstream " + gateway.name()
                    + " is unreachable (its health checks fail)");
        }
        UpstreamConnection connection = connections.of(gateway);
        UpstreamExchange exchange = exchange(feedback);
        ObjectNode sent = params;
        for (int round = 0; ; round++) {
            JsonNode result = connection.request(method, sent, exchange);
            if (!"input_required".equals(result.path("resultType").asString(null)) || feedback.takesInputRequired()) {
                return result;
            }
            if (round == MAX_INPUT_ROUNDS) {
                throw new UpstreamException(UpstreamException.Kind.PROTOCOL, "the upstream " + gateway.name()
                        + " asked for input more than " + MAX_INPUT_ROUNDS + " times on one request");
            }
            sent = retryWithInput(params, result, feedback);
        }
    }

    /**
     * The original params again, with the client's answers to the upstream's input requests and the upstream's
     * request state: how a 2026-07-28 client would retry, done here for a client of an earlier revision.
     */
    private static ObjectNode retryWithInput(ObjectNode params, JsonNode inputRequired, CallFeedback feedback) {
        ObjectNode retry = params.deepCopy();
        ObjectNode responses = retry.putObject("inputResponses");
        for (Map.Entry<String, JsonNode> request : inputRequired.path("inputRequests").properties()) {
            JsonNode asked = request.getValue();
            JsonNode askedParams = asked.path("params");
            responses.set(request.getKey(), feedback.ask(asked.path("method").asString(""),
                    askedParams.isObject() ? (ObjectNode) askedParams : retry.objectNode()));
        }
        JsonNode state = inputRequired.get("requestState");
        if (state != null && state.isString()) {
            retry.set("requestState", state);
        } else {
            retry.remove("requestState");
        }
        return retry;
    }

    private static UpstreamExchange exchange(CallFeedback feedback) {
        return new UpstreamExchange() {
            @Override
            public void notification(ObjectNode notification) {
                feedback.relay(notification);
            }

            @Override
            public String logLevel() {
                return feedback.logLevel();
            }

            @Override
            public JsonNode clientRequest(String method, ObjectNode params) {
                return feedback.ask(method, params);
            }
        };
    }
}
