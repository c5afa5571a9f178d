package dev.switchboard.users;

import dev.switchboard.problem.InvalidQueryException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import dev.switchboard.security.Caller;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * /v1/teams: teams and their members. Platform administrators create and delete teams; owners rename theirs and
 * manage its members ({@code PUT /v1/teams/{id}/members/{userId}} with a role, {@code DELETE} to remove); members
 * see their teams. A team the caller may not see is a 404.
 */
@RestController
@RequestMapping("/v1/teams")
@Tag(name = "Teams")
public class TeamEndpoint {

    private final TeamDirectory teams;

    TeamEndpoint(TeamDirectory teams) {
        this.teams = teams;
    }

    /** A page of teams, and the cursor of the next page (null on the last). */
    public record TeamList(List<TeamDirectory.TeamView> items, String nextCursor) {
    }

    /** The teams the caller may see, by name, {@code limit} (1 to 500, 100) a page. */
    @GetMapping
    public TeamList list(@RequestParam(required = false) String cursor,
                         @RequestParam(required = false) Integer limit, Authentication authentication) {
        int size = limit == null ? UserEndpoint.DEFAULT_LIMIT : limit;
        if (size < 1 || size > UserEndpoint.MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be from 1 to " + UserEndpoint.MAX_LIMIT + ", not "
                    + size);
        }
        TeamDirectory.TeamPage page = teams.list(Caller.of(authentication), cursor, size);
        return new TeamList(page.items(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public ResponseEntity<?> get(@PathVariable String id, Authentication authentication) {
        return found(uuid(id).flatMap(u -> teams.find(Caller.of(authentication), u)));
    }

    @PostMapping
    public ResponseEntity<TeamDirectory.TeamView> create(@RequestBody JsonNode body, Authentication authentication) {
        TeamDirectory.TeamView team = teams.create(Caller.of(authentication), body);
        return ResponseEntity.created(URI.create("/v1/teams/" + team.id())).body(team);
    }

    @PatchMapping("/{id}")
    public ResponseEntity<?> update(@PathVariable String id, @RequestBody JsonNode body,
                                    Authentication authentication) {
        return found(uuid(id).flatMap(u -> teams.update(Caller.of(authentication), u, body)));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<?> delete(@PathVariable String id, Authentication authentication) {
        return uuid(id).map(u -> teams.delete(Caller.of(authentication), u)).orElse(false)
                ? ResponseEntity.noContent().build() : notFound();
    }

    @PutMapping("/{id}/members/{userId}")
    public ResponseEntity<?> putMember(@PathVariable String id, @PathVariable String userId,
                                       @RequestBody JsonNode body, Authentication authentication) {
        Optional<UUID> team = uuid(id);
        Optional<UUID> user = uuid(userId);
        if (team.isEmpty() || user.isEmpty()) {
            return notFound();
        }
        return found(teams.putMember(Caller.of(authentication), team.get(), user.get(), body));
    }

    @DeleteMapping("/{id}/members/{userId}")
    public ResponseEntity<?> removeMember(@PathVariable String id, @PathVariable String userId,
                                          Authentication authentication) {
        Optional<UUID> team = uuid(id);
        Optional<UUID> user = uuid(userId);
        boolean removed = team.isPresent() && user.isPresent()
                && teams.removeMember(Caller.of(authentication), team.get(), user.get());
        return removed ? ResponseEntity.noContent().build() : notFound();
    }

    private static ResponseEntity<?> found(Optional<TeamDirectory.TeamView> team) {
        return team.<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(TeamEndpoint::notFound);
    }

    private static ResponseEntity<?> notFound() {
        return ResponseEntity.status(404).body(Problems.of(ProblemType.NOT_FOUND,
                "No team (or member) of this id that you may see"));
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
