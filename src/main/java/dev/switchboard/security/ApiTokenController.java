package dev.switchboard.security;

import dev.switchboard.persistence.KeysetPosition;
import dev.switchboard.problem.InvalidQueryException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * /v1/tokens: issue, list, show and revoke API tokens. Everyone manages their own tokens; an administrator
 * (the admin scope) sees and revokes everyone's. A token's secret appears once, in the answer that issues it.
 */
@RestController
@RequestMapping("/v1/tokens")
public class ApiTokenController {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    private final ApiTokenService tokens;

    public ApiTokenController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    /** A token as listed: everything but the secret. */
    public record TokenView(UUID id, String name, String subject, List<String> scopes, Set<UUID> servers,
                            Instant expiresAt, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.subject(), values(t.scopes()), t.servers(), t.expiresAt(),
                    t.createdAt(), t.lastUsedAt(), t.revokedAt());
        }
    }

    /** A token just issued, with its secret. */
    public record IssuedTokenView(UUID id, String name, String subject, List<String> scopes, Set<UUID> servers,
                                  Instant expiresAt, Instant createdAt, String token) {
    }

    @PostMapping
    public ResponseEntity<IssuedTokenView> issue(@RequestBody JsonNode body, Authentication authentication) {
        IssuedApiToken issued = tokens.issue(Caller.of(authentication), body);
        ApiToken t = issued.token();
        return ResponseEntity.created(URI.create("/v1/tokens/" + t.id())).body(new IssuedTokenView(t.id(), t.name(),
                t.subject(), values(t.scopes()), t.servers(), t.expiresAt(), t.createdAt(), issued.secret()));
    }

    /** A page of tokens, and the cursor of the next page (null on the last). */
    public record TokenList(List<TokenView> items, String nextCursor) {
    }

    /** The caller's tokens (everyone's for an administrator), newest first, {@code limit} (1 to 500, 100) a page. */
    @GetMapping
    public TokenList list(@RequestParam(required = false) String cursor,
                          @RequestParam(required = false) Integer limit, Authentication authentication) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be from 1 to " + MAX_LIMIT + ", not " + size);
        }
        KeysetPosition after = cursor == null ? null : KeysetPosition.of(cursor).orElseThrow(
                () -> new InvalidQueryException("cursor", "cursor is not one this endpoint returned"));
        ApiTokenService.TokenPage page = tokens.list(Caller.of(authentication), after, size);
        return new TokenList(page.items().stream().map(TokenView::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public ResponseEntity<?> get(@PathVariable String id, Authentication authentication) {
        Optional<ApiToken> token = uuid(id).flatMap(u -> tokens.find(Caller.of(authentication), u));
        return token.<ResponseEntity<?>>map(t -> ResponseEntity.ok(TokenView.of(t))).orElseGet(() -> notFound());
    }

    /** Revoking twice is not an error: the token stays revoked from the first time. */
    @DeleteMapping("/{id}")
    public ResponseEntity<?> revoke(@PathVariable String id, Authentication authentication) {
        boolean revoked = uuid(id).map(u -> tokens.revoke(Caller.of(authentication), u)).orElse(false);
        return revoked ? ResponseEntity.noContent().build() : notFound();
    }

    @ExceptionHandler(InvalidTokenRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidTokenRequestException e) {
        return problem(Problems.of(ProblemType.VALIDATION_FAILED, e.getMessage(), e.field()));
    }

    @ExceptionHandler(ScopeEscalationException.class)
    ResponseEntity<ProblemDetail> escalation(ScopeEscalationException e) {
        return problem(SecurityProblems.forbidden(e.missing()));
    }

    @ExceptionHandler(TokenNameTakenException.class)
    ResponseEntity<ProblemDetail> nameTaken(TokenNameTakenException e) {
        return problem(Problems.of(ProblemType.NAME_CONFLICT, e.getMessage(), "name"));
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static ResponseEntity<ProblemDetail> notFound() {
        return problem(Problems.of(ProblemType.NOT_FOUND, "No API token of yours has this id"));
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> values(Set<Scope> scopes) {
        return scopes.stream().map(Scope::value).toList();
    }
}
