package dev.switchboard.users;

import dev.switchboard.problem.InvalidQueryException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * /v1/users, for platform administrators (the admin scope): list, show, create local users, change a user's name,
 * e-mail, password, enabled flag and platform role, and delete. Users of the provider are created by their first
 * sign-in; the built-in administrator is listed but changed only through its settings.
 */
@RestController
@RequestMapping("/v1/users")
@Tag(name = "Users")
public class UserEndpoint {

    /** The page size of the lists of users and of teams, unless asked otherwise, and the largest. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private final UserDirectory users;

    UserEndpoint(UserDirectory users) {
        this.users = users;
    }

    /** A page of users, and the cursor of the next page (null on the last). */
    public record UserList(List<UserView> items, String nextCursor) {
    }

    /** The built-in administrator first, then the others by username, {@code limit} (1 to 500, 100) a page. */
    @GetMapping
    public UserList list(@RequestParam(required = false) String cursor,
                         @RequestParam(required = false) Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be from 1 to " + MAX_LIMIT + ", not " + size);
        }
        UserDirectory.UserPage page = users.list(cursor, size);
        return new UserList(page.items().stream().map(UserView::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public ResponseEntity<?> get(@PathVariable String id) {
        return found(uuid(id).flatMap(users::find));
    }

    @PostMapping
    public ResponseEntity<UserView> create(@RequestBody JsonNode body) {
        User user = users.create(body);
        return ResponseEntity.created(URI.create("/v1/users/" + user.id())).body(UserView.of(user));
    }

    @PatchMapping("/{id}")
    public ResponseEntity<?> update(@PathVariable String id, @RequestBody JsonNode body) {
        Optional<UUID> key = uuid(id);
        return found(key.isEmpty() ? Optional.empty() : users.update(key.get(), body));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<?> delete(@PathVariable String id) {
        boolean deleted = uuid(id).map(users::delete).orElse(false);
        return deleted ? ResponseEntity.noContent().build() : notFound();
    }

    private static ResponseEntity<?> found(Optional<User> user) {
        return user.<ResponseEntity<?>>map(u -> ResponseEntity.ok(UserView.of(u))).orElseGet(UserEndpoint::notFound);
    }

    private static ResponseEntity<ProblemDetail> notFound() {
        return ResponseEntity.status(404).body(Problems.of(ProblemType.NOT_FOUND, "No user has this id"));
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
