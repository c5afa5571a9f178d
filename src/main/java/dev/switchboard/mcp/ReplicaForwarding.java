package dev.switchboard.mcp;

import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.replicas.ReplicaLink;
import dev.switchboard.replicas.Replicas;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Messages for a call that runs on another replica, passed on to it: a session client's answer to a request the
 * call sent it (sampling, elicitation, roots), to the replica whose id the request's id carries; a cancellation,
 * to every other replica when the call does not run here; and the retry of a 2026-07-28 call parked for input, to
 * the replica its request state names, whose response is relayed back. Each is the client's own request, passed on
 * over HTTP ({@link ReplicaLink}); a message another replica passed on is handled here and never passed on again.
 */
@Component
class ReplicaForwarding {

    private static final Logger log = LoggerFactory.getLogger(ReplicaForwarding.class);
    /** How long passing a message on may take: the replicas share a network, so this is an outage's bound. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(5);
    /** Marks what another replica sends for the session's GET stream here; honoured only under its signature. */
    static final String STREAM_QUERY = "switchboard-stream";

    private final Replicas replicas;
    private final ReplicaLink link;
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    ReplicaForwarding(Replicas replicas, ReplicaLink link) {
        this.replicas = replicas;
        this.link = link;
    }

    /** Who sent {@code request}: a client, or another replica. */
    ReplicaLink.Sender senderOf(HttpServletRequest request, String body) {
        return link.senderOf(request, body);
    }

    /**
     * A notification or response of a session's client, which {@code from} carried (null: handle it here only).
     * What is for a call running on another replica goes there; the rest is handled here.
     */
    void received(McpSession session, JsonRpcMessage message, HttpServletRequest from) {
        if (from != null && message.kind() == JsonRpcMessage.Kind.RESPONSE) {
            Optional<String> owner = McpSession.replicaOf(message.body().get("id"));
            if (owner.isPresent() && !owner.get().equals(replicas.id())) {
                deliver(owner.get(), message, from);
                return;
            }
        }
        McpEndpoint.received(session, message);
        if (from != null && MethodNames.CANCELLED.equals(message.method())) {
            JsonNode requestId = message.paramsOrEmpty().get("requestId");
            if (requestId != null && !session.runs(requestId)) {
                broadcast(message, from);
            }
        }
    }

    /** Passes a client's answer on to the replica whose request it answers. */
    private void deliver(String owner, JsonRpcMessage message, HttpServletRequest from) {
        Replicas.Replica replica = replicas.find(owner);
        if (replica.state() != Replicas.State.LIVE) {
            log.debug("A client's answer to replica {} is dropped: that replica is {}, and the call that asked ended"
                    + " with it", owner, replica.state().name().toLowerCase());
            return;
        }
        send(replica.address(), message, from);
    }

    /** Passes a cancellation on to every other replica: the one running the call stops it, the rest ignore it. */
    private void broadcast(JsonRpcMessage message, HttpServletRequest from) {
        List<Future<?>> sent = replicas.others().stream()
                .<Future<?>>map(address -> fanOut.submit(() -> send(address, message, from))).toList();
        for (Future<?> each : sent) {
            try {
                each.get(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                each.cancel(true);
            }
        }
    }

    /**
     * Sends {@code message}, this replica's for the client whose request {@code from} is, to the session's GET stream
     * on another replica: offered to every other live replica, of which the one holding the stream takes it. Whether
     * one did, within {@link #DELIVERY_TIMEOUT}. For a client that takes no stream on its POST and listens on a
     * stream another replica holds.
     */
    boolean toStreamElsewhere(JsonNode message, HttpServletRequest from) {
        List<Future<Boolean>> offers = replicas.others().stream().map(address -> fanOut.submit(() -> {
            HttpResponse<InputStream> answer = link.sendFor(address, from, STREAM_QUERY, message.toString(),
                    DELIVERY_TIMEOUT);
            answer.body().close();
            return answer.statusCode() == HttpStatus.ACCEPTED.value();
        })).toList();
        boolean taken = false;
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        for (Future<Boolean> offer : offers) {
            try {
                taken |= offer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return taken;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                offer.cancel(true);
                log.debug("A message for a session's stream on another replica was not taken there: {}",
                        e.toString());
            }
        }
        return taken;
    }

    /** Whether another replica sent {@code request} for the session's GET stream here ({@link #toStreamElsewhere}). */
    static boolean isForStream(HttpServletRequest request) {
        String query = request.getQueryString();
        return query != null && List.of(query.split("&")).contains(STREAM_QUERY);
    }

    /** Takes a message another replica sent for {@code session}'s GET stream: 202 if the stream is open here. */
    static ResponseEntity<String> toStream(McpSession session, JsonNode message) {
        if (!session.hasStream()) {
            return ResponseEntity.notFound().build();
        }
        session.notify(message);
        return ResponseEntity.accepted().build();
    }

    private void send(URI address, JsonRpcMessage message, HttpServletRequest from) {
        try {
            HttpResponse<InputStream> answer = link.pass(address, from, message.body().toString(), DELIVERY_TIMEOUT);
            answer.body().close();
            if (answer.statusCode() >= 300) {
                log.debug("Replica at {} answered {} to a client's message passed on to it", address,
                        answer.statusCode());
            }
        } catch (IOException e) {
            log.warn("A client's message for a call on the replica at {} could not be passed on: {}", address,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The other replica of this registry, live or stopped, holding the call a 2026-07-28 retry's
     * {@code requestState} names; empty when the request is this replica's to answer (a state of its own, or of
     * another Switchboard, which the call's upstream will recognize).
     */
    Optional<Replicas.Replica> holderOf(JsonNode parsed) {
        if (!parsed.isObject()) {
            return Optional.empty();
        }
        Optional<String> owner = InputRounds.replicaOf(parsed);
        if (owner.isEmpty() || owner.get().equals(replicas.id())) {
            return Optional.empty();
        }
        Replicas.Replica replica = replicas.find(owner.get());
        return replica.state() == Replicas.State.UNKNOWN ? Optional.empty() : Optional.of(replica);
    }

    /**
     * Answers a retry through the replica holding its call: that replica's response, relayed onto
     * {@code response} (then null), or an error the client can act on when it has stopped or cannot be reached.
     */
    ResponseEntity<String> retryOn(Replicas.Replica holder, JsonNode parsed, String body, HttpServletRequest request,
                                   HttpServletResponse response) {
        JsonNode id = parsed.get("id");
        if (holder.state() != Replicas.State.LIVE) {
            return error(id, "Invalid params: \"requestState\" names a call that was waiting for input on a replica"
                    + " that has stopped; send the request again without requestState and inputResponses");
        }
        try {
            HttpResponse<InputStream> answer = link.pass(holder.address(), request, body,
                    InputRounds.PATIENCE.plus(DELIVERY_TIMEOUT));
            ReplicaLink.relay(answer, response);
            return null;
        } catch (IOException e) {
            log.warn("A retry for a call on the replica at {} could not be passed on: {}", holder.address(),
                    e.toString());
            // Once the relay has begun, the client sees its response end early, as it would if this replica died.
            return response.isCommitted() ? null : error(id, "Invalid params: the replica holding the call that"
                    + " waited for input cannot be reached; send the request again without requestState and"
                    + " inputResponses");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static ResponseEntity<String> error(JsonNode id, String message) {
        return McpEndpoint.json(HttpStatus.OK, JsonRpc.error(id, new JsonRpcException(JsonRpc.INVALID_PARAMS, message)),
                null);
    }
}
