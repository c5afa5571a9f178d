package dev.switchboard.mcp;

import dev.switchboard.invocation.CallFeedback;
import dev.switchboard.protocol.JsonRpc;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.protocol.JsonRpcMessage;
import dev.switchboard.protocol.LogLevels;
import dev.switchboard.protocol.MethodNames;
import dev.switchboard.replicas.Replicas;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multi round-trip requests for clients of 2026-07-28, which cannot be sent requests. When an upstream of an
 * earlier revision asks the client something (sampling, elicitation, roots) in the middle of a call, the call is
 * parked and the client gets an {@code input_required} result; its retry, carrying the answer and the request
 * state, resumes the parked call. Parked calls live in the replica that runs them; a retry that reaches another
 * replica is passed on to it ({@link ReplicaForwarding}). They are bounded ({@link McpLimits#maxInputRounds()}) and forgotten after {@link #PATIENCE}.
 */
@Component
class InputRounds {

    /** How long a parked call waits for the client to come back with its answer. */
    static final Duration PATIENCE = SessionCall.CLIENT_ANSWER_TIMEOUT;
    private final SecureRandom random = new SecureRandom();
    /** How request states begin, before the id of the replica holding the call. */
    private static final String STATE_PREFIX = "switchboard-input-";
    /**
     * This replica's request states begin with it. A state of another replica is passed on to it; one of another
     * Switchboard (an upstream one, whose input_required went to the client unchanged) must be forwarded upstream,
     * not taken for an expired one of ours.
     */
    private final String statePrefix;

    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    private final int maxParked;

    InputRounds(McpLimits limits, Replicas replicas) {
        this.maxParked = limits.maxInputRounds();
        this.statePrefix = STATE_PREFIX + replicas.id() + "-";
    }

    /**
     * The replica a retry's {@code requestState} names, if it is shaped like a state a Switchboard replica made:
     * whether that replica is one of this registry's, the registry tells.
     */
    static Optional<String> replicaOf(JsonNode message) {
        String state = message.path("params").path("requestState").asString(null);
        if (state == null || !state.startsWith(STATE_PREFIX)) {
            return Optional.empty();
        }
        String rest = state.substring(STATE_PREFIX.length());
        int dash = rest.indexOf('-');
        return dash < 0 || !Replicas.isId(rest.substring(0, dash)) ? Optional.empty()
                : Optional.of(rest.substring(0, dash));
    }

    private sealed interface Event permits Done, Ask, Note {
    }

    /** A notification about the call for the client (progress, a log message), to go on its stream. */
    private record Note(ObjectNode notification) implements Event {
    }

    private record Done(JsonNode result, RuntimeException failure) implements Event {
    }

    private record Ask(String key, String method, ObjectNode params, CompletableFuture<JsonNode> answer)
            implements Event {
    }

    private record Parked(String principal, BlockingQueue<Event> events, Thread worker, Ask ask, Instant until) {
    }

    /**
     * The answer to one stateless request: the result of {@code work}, or an {@code input_required} result while
     * the call waits for the client. A request whose {@code requestState} names a call parked here (for the same
     * caller) resumes it instead. When {@code notes} is not null, the call's progress (for the request's progress
     * token) and the log messages the client asked for in {@code _meta} are handed to it, on this thread, as they
     * come. Interrupting this thread cancels the call.
     */
    JsonNode answer(String principal, RequestMeta meta, JsonRpcMessage request, Function<CallFeedback, JsonNode> work,
                    Consumer<ObjectNode> notes) {
        JsonNode params = request.paramsOrEmpty();
        Instant now = Instant.now();
        parked.values().removeIf(p -> p.until().isBefore(now));
        String state = params.path("requestState").asString(null);
        Parked resumed = state == null || !state.startsWith(statePrefix) ? null : parked.get(state);
        if (resumed != null && resumed.principal().equals(principal) && parked.remove(state, resumed)) {
            JsonNode answer = params.path("inputResponses").get(resumed.ask().key());
            if (answer == null || !answer.isObject()) {
                resumed.ask().answer().completeExceptionally(new IllegalArgumentException("no answer"));
            } else {
                resumed.ask().answer().complete(answer);
            }
            return next(principal, resumed.events(), resumed.worker(), notes);
        }
        if (state != null && state.startsWith(statePrefix)) {
            throw JsonRpcException.invalidParams("Invalid params: \"requestState\" names no call waiting for input"
                    + " here: it expired after " + PATIENCE.toMinutes() + " minutes or was answered already");
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        CallFeedback feedback = feedback(meta, events, notes == null ? CallFeedback.NONE
                : SessionRequests.progress(request, meta.protocolVersion(),
                        note -> events.add(new Note((ObjectNode) note))), notes != null);
        Thread worker = Thread.ofVirtual().name("mcp-stateless-request").start(() -> {
            try {
                events.add(new Done(work.apply(feedback), null));
            } catch (RuntimeException e) {
                events.add(new Done(null, e));
            }
        });
        return next(principal, events, worker, notes);
    }

    /**
     * Waits for the call's next event: its result (or failure), or a question that parks it; notifications on the
     * way go to {@code notes} (or nowhere). Interrupted, it cancels the call: its worker is interrupted in turn.
     */
    private JsonNode next(String principal, BlockingQueue<Event> events, Thread worker, Consumer<ObjectNode> notes) {
        Event event;
        while (true) {
            try {
                event = events.take();
            } catch (InterruptedException e) {
                worker.interrupt();
                Thread.currentThread().interrupt();
                throw new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Cancelled");
            }
            if (!(event instanceof Note note)) {
                break;
            }
            if (notes != null) {
                notes.accept(note.notification());
            }
        }
        if (event instanceof Done done) {
            if (done.failure() != null) {
                throw done.failure();
            }
            return done.result();
        }
        Ask ask = (Ask) event;
        String state = statePrefix + token(24);
        synchronized (parked) {
            if (parked.size() >= maxParked) {
                // The call's question fails, and the call with it; its next event is that failure.
                ask.answer().completeExceptionally(new JsonRpcException(JsonRpc.INTERNAL_ERROR, "Too many calls are"
                        + " waiting for their clients' input on this replica (SWITCHBOARD_MCP_MAX_INPUT_ROUNDS="
                        + maxParked + "); try again later"));
                return next(principal, events, worker, notes);
            }
            parked.put(state, new Parked(principal, events, worker, ask, Instant.now().plus(PATIENCE)));
        }
        ObjectNode result = JsonRpc.object().put("resultType", "input_required");
        ObjectNode request = result.putObject("inputRequests").putObject(ask.key());
        request.put("method", ask.method());
        request.set("params", ask.params());
        result.put("requestState", state);
        return result;
    }

    private String token(int bytes) {
        byte[] random = new byte[bytes];
        this.random.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * The call's side of the client: questions park it; when the client takes a stream ({@code streamed}), progress
     * and relayed notifications become {@link Note}s, log messages only from the level the client named in
     * {@code _meta} up (the revision sends none to a client that named no level).
     */
    private static CallFeedback feedback(RequestMeta meta, BlockingQueue<Event> events, CallFeedback progress,
                                         boolean streamed) {
        return new CallFeedback() {
            private int asked;

            @Override
            public void progress(double value, Double total, String message) {
                progress.progress(value, total, message);
            }

            @Override
            public void relay(ObjectNode notification) {
                if (!streamed) {
                    return;
                }
                if (MethodNames.MESSAGE.equals(notification.path("method").asString(null))
                        && (meta.logLevel() == null || !LogLevels.reaches(
                                notification.path("params").path("level").asString(""), meta.logLevel()))) {
                    return;
                }
                events.add(new Note(notification));
            }

            @Override
            public String logLevel() {
                return meta.logLevel();
            }

            @Override
            public JsonNode ask(String method, ObjectNode params) {
                ClientCapabilities.require(meta.clientCapabilities(), method);
                Ask ask = new Ask("switchboard-" + (++asked), method, params, new CompletableFuture<>());
                events.add(ask);
                try {
                    return ask.answer().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refused("cancelled");
                } catch (TimeoutException e) {
                    throw refused("the client did not come back with an answer to " + method + " in time");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof JsonRpcException full) {
                        throw full;
                    }
                    throw refused("the client's retry carried no answer to " + method);
                }
            }

            @Override
            public boolean takesInputRequired() {
                return true;
            }
        };
    }

    private static JsonRpcException refused(String message) {
        return new JsonRpcException(JsonRpc.INTERNAL_ERROR, message);
    }
}
