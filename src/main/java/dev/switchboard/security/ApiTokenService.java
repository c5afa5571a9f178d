package dev.switchboard.security;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.persistence.DataAccessFailure;
import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Issues, lists, revokes and checks API tokens. A token is {@code sbt_} and 32 random bytes in base64url; the
 * database keeps only the SHA-256 of the whole token, so a stolen database yields no usable token. A token that
 * passed is remembered for {@link #REMEMBERED}, as a verified JWT is, so that its client's requests neither wait
 * for the database nor fail while it is away; a token revoked through another replica stops working within that.
 */
@Service
public class ApiTokenService {

    public static final String PREFIX = "sbt_";
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);
    /** Recording every use would turn each read request into a write; once a minute is enough to audit. */
    static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(1);
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile(PREFIX + "[A-Za-z0-9_-]{43}");
    private static final Logger log = LoggerFactory.getLogger(ApiTokenService.class);

    /** How long a checked token is trusted without the database: as long as a verified JWT is. */
    static final Duration REMEMBERED = JwtVerification.REMEMBERED;
    /** Tokens remembered at most; past it, all are forgotten at once (each is checked again once). */
    static final int MAX_REMEMBERED = 10_000;

    private record Remembered(ApiToken token, Instant until) {
    }

    private final ApiTokenRepository repository;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();
    /** Tokens checked against the database within {@link #REMEMBERED}, by the SHA-256 of their secret. */
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public ApiTokenService(ApiTokenRepository repository, AuditTrail audit) {
        this.repository = repository;
        this.audit = audit;
    }

    /**
     * Issues a token for {@code subject}; the caller has already checked the name, the scopes and the expiry.
     *
     * @throws TokenNameTakenException when the subject already has a token of that name
     */
    public IssuedApiToken issue(String subject, String name, Set<Scope> scopes, Instant expiresAt,
                                Set<UUID> servers) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken token = new ApiToken(UUID.randomUUID(), subject, name, scopes,
                expiresAt.truncatedTo(ChronoUnit.MICROS), null, null, now(), servers);
        boolean stored;
        try {
            stored = repository.insert(token, sha256(secret));
        } catch (UniqueViolationException e) {
            // A concurrent request took the name; the other unique key is the secret's hash, and 256 random
            // bits do not collide.
            stored = false;
        }
        if (!stored) {
            throw new TokenNameTakenException(subject + " already has an API token named '" + name + "'");
        }
        return new IssuedApiToken(token, secret);
    }

    /**
     * Issues a token for the caller from a request body ({@code name}, {@code scopes}, {@code expiresInDays} or
     * {@code expiresAt}): a token can do at most what its issuer can, and lives no longer.
     *
     * @throws InvalidTokenRequestException when a field is wrong
     * @throws ScopeEscalationException     when it asks for scopes the caller does not hold
     * @throws TokenNameTakenException      when the caller already has a token of that name
     */
    public IssuedApiToken issue(Caller caller, JsonNode body) {
        TokenRequest request = TokenRequest.parse(body, now());
        Set<Scope> missing = EnumSet.copyOf(request.scopes());
        missing.removeAll(caller.scopes());
        if (!missing.isEmpty()) {
            // Otherwise tokens:manage would grant everything.
            throw new ScopeEscalationException(missing.stream().map(Scope::value).toList());
        }
        if (caller.expiresAt() != null && request.expiresAt().isAfter(caller.expiresAt())) {
            // Otherwise a short-lived credential could mint itself a long-lived successor.
            throw new InvalidTokenRequestException("expiresAt", "the token would outlive the credential that issues"
                    + " it, which expires at " + caller.expiresAt());
        }
        IssuedApiToken issued = issue(caller.subject(), request.name(), request.scopes(), request.expiresAt(),
                request.servers());
        audit.changed("issue", "token", issued.token().id(), issued.token().name(), null, audited(issued.token()));
        return issued;
    }

    /** A token as the audit trail records it: what the API lists, never the secret or its hash. */
    private static Map<String, Object> audited(ApiToken token) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", token.id());
        state.put("name", token.name());
        state.put("subject", token.subject());
        state.put("scopes", token.scopes().stream().map(Scope::value).sorted().toList());
        state.put("expiresAt", token.expiresAt());
        state.put("revokedAt", token.revokedAt());
        state.put("servers", token.servers());
        return state;
    }

    /** A page of the caller's tokens (an administrator sees everyone's), newest first, after {@code after}. */
    public TokenPage list(Caller caller, KeysetPosition after, int limit) {
        List<ApiToken> rows = repository.list(caller.isAdmin() ? null : caller.subject(), after, limit + 1);
        List<ApiToken> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        return new TokenPage(List.copyOf(page), rows.size() > limit
                ? new KeysetPosition(page.getLast().createdAt(), page.getLast().id()).cursor() : null);
    }

    /** Tokens, and the cursor of the next page (null on the last). */
    public record TokenPage(List<ApiToken> items, String nextCursor) {
    }

    /** The token if it exists and the caller may see it; someone else's token looks like no token. */
    public Optional<ApiToken> find(Caller caller, UUID id) {
        return repository.find(id).filter(t -> caller.isAdmin() || t.subject().equals(caller.subject()));
    }

    /** Revokes the token; false when it does not exist or is someone else's (and the caller is no administrator). */
    public boolean revoke(Caller caller, UUID id) {
        Optional<ApiToken> before = find(caller, id);
        boolean revoked = repository.revoke(id, caller.isAdmin() ? null : caller.subject(), now());
        // This replica stops accepting it at once; others within REMEMBERED.
        remembered.values().removeIf(r -> r.token().id().equals(id));
        if (revoked && before.isPresent() && before.get().revokedAt() == null) {
            audit.changed("revoke", "token", id, before.get().name(), audited(before.get()),
                    repository.find(id).map(ApiTokenService::audited).orElse(null));
        }
        return revoked;
    }

    /** Revokes every token of {@code subject} still in force: their user was deleted. Returns how many. */
    public int revokeAllOf(String subject) {
        int revoked = 0;
        List<ApiToken> page = repository.list(subject, null, 500);
        while (!page.isEmpty()) {
            for (ApiToken token : page) {
                if (token.revokedAt() == null && repository.revoke(token.id(), subject, now())) {
                    remembered.values().removeIf(r -> r.token().id().equals(token.id()));
                    audit.changed("revoke", "token", token.id(), token.name(), audited(token),
                            repository.find(token.id()).map(ApiTokenService::audited).orElse(null));
                    revoked++;
                }
            }
            ApiToken last = page.getLast();
            page = repository.list(subject, new KeysetPosition(last.createdAt(), last.id()), 500);
        }
        return revoked;
    }

    /** True for bearer credentials that are API tokens rather than JWTs. */
    static boolean isApiToken(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    /** Checks a bearer API token and returns what it authenticates, or fails with a 401 (or 503) reason. */
    ApiTokenAuthentication authenticate(String secret) {
        if (!FORMAT.matcher(secret).matches()) {
            throw new InvalidBearerTokenException("The API token is malformed");
        }
        Instant now = now();
        String hash = sha256(secret);
        Remembered known = remembered.get(hash);
        if (known != null) {
            if (now.isBefore(known.until()) && known.token().usableAt(now)) {
                return new ApiTokenAuthentication(known.token());
            }
            remembered.remove(hash, known);
        }
        ApiToken token;
        try {
            token = repository.findByHash(hash)
                    .orElseThrow(() -> new InvalidBearerTokenException("The API token is not valid"));
        } catch (DataAccessFailure e) {
            throw new AuthenticationUnavailableException(ProblemType.DATABASE_UNAVAILABLE,
                    "API tokens cannot be checked now: the database is unavailable", e);
        }
        if (token.revokedAt() != null) {
            throw new InvalidBearerTokenException("The API token was revoked");
        }
        if (!token.usableAt(now)) {
            throw new InvalidBearerTokenException("The API token expired at " + token.expiresAt());
        }
        Instant due = now.minus(USE_RECORDING_INTERVAL);
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(due)) {
            try {
                repository.recordUse(token.id(), now, due);
            } catch (DataAccessFailure e) {
                // The audit trail may lag; refusing a valid token because of it would not help anyone.
                log.warn("Could not record the use of API token {}: {}", token.id(), e.getMessage());
            }
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(hash, new Remembered(token, now.plus(REMEMBERED)));
        return new ApiTokenAuthentication(token);
    }

    /**
     * The hex SHA-256 under which a bearer secret is looked up (API tokens, and the authorization server's tokens),
     * and of other values stored as an indexable key (a session's principal, a client's address).
     */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
