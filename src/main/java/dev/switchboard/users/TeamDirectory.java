package dev.switchboard.users;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.persistence.ForeignKeyViolationException;
import dev.switchboard.persistence.UniqueViolationException;
import dev.switchboard.security.Caller;
import dev.switchboard.security.TeamAccess;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Teams and their members, with who may do what: a platform administrator (the {@code admin} scope) everything; a
 * member sees their teams; an owner also renames the team and manages its members. A team the caller may not see is
 * answered as absent (404), a change they may not make 403. Every change is in the audit trail.
 */
@Service
public class TeamDirectory {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

    /** Teams read at a time when every one the caller may see is wanted. */
    private static final int PAGE_READ = 500;
    private final TeamRepository teams;
    private final UserRepository users;
    private final AuditTrail audit;
    private final UserRightsCache rights;

    TeamDirectory(TeamRepository teams, UserRepository users, AuditTrail audit, UserRightsCache rights) {
        this.teams = teams;
        this.users = users;
        this.audit = audit;
        this.rights = rights;
    }

    /** A team as the API shows it, with its members. */
    public record TeamView(UUID id, String name, String description, List<MemberView> members, Instant createdAt,
                           Instant updatedAt) {
    }

    /** A member as the API shows it. */
    public record MemberView(UUID userId, String username, String role, String source, Instant addedAt) {
        static MemberView of(TeamMember m) {
            return new MemberView(m.userId(), m.username(), m.role().value(), m.source(), m.addedAt());
        }
    }

    /** The teams the caller may see: every team for a platform administrator, their own for anyone else. */
    public List<TeamView> list(Caller caller) {
        List<TeamView> all = new java.util.ArrayList<>();
        TeamPage page = list(caller, null, PAGE_READ);
        all.addAll(page.items());
        while (page.nextCursor() != null) {
            page = list(caller, page.nextCursor(), PAGE_READ);
            all.addAll(page.items());
        }
        return all;
    }

    /** A page of teams, and the cursor of the next page (null on the last). */
    public record TeamPage(List<TeamView> items, String nextCursor) {
    }

    /**
     * Up to {@code limit} of the teams the caller may see, by name, from where {@code cursor} (one a page returned, or
     * null for the first) left off; each with its members, read for the whole page at once.
     *
     * @throws dev.switchboard.problem.InvalidQueryException for a cursor no page returned
     */
    public TeamPage list(Caller caller, String cursor, int limit) {
        String after = cursor == null ? null : NameCursor.decode(cursor);
        Set<UUID> among = null;
        if (!caller.isAdmin()) {
            Optional<User> user = userOf(caller);
            if (user.isEmpty()) {
                return new TeamPage(List.of(), null);
            }
            among = teams.membershipsOf(user.get().id()).stream().map(TeamMember::teamId)
                    .collect(java.util.stream.Collectors.toSet());
            if (among.isEmpty()) {
                return new TeamPage(List.of(), null);
            }
        }
        List<Team> rows = teams.list(after, limit + 1, among);
        List<Team> page = rows.subList(0, Math.min(limit, rows.size()));
        Map<UUID, List<TeamMember>> members = teams.members(page.stream().map(Team::id).toList());
        List<TeamView> views = page.stream().map(t -> view(t, members.getOrDefault(t.id(), List.of()))).toList();
        return new TeamPage(views, rows.size() > limit ? NameCursor.encode(page.getLast().name()) : null);
    }

    public Optional<TeamView> find(Caller caller, UUID id) {
        return visible(caller, id).map(this::view);
    }

    /** Creates a team (platform administrators only); a creator who is a user becomes its first owner. */
    public TeamView create(Caller caller, JsonNode body) {
        if (!caller.isAdmin()) {
            throw RefusedChangeException.forbidden("Only platform administrators create teams");
        }
        TeamRequest request = TeamRequest.read(body, true);
        Instant now = now();
        Team team = new Team(UUID.randomUUID(), request.name(), request.description(), now, now);
        boolean stored;
        try {
            stored = teams.insert(team);
        } catch (UniqueViolationException e) {
            stored = false;
        }
        if (!stored) {
            throw RefusedChangeException.teamNameTaken(team.name());
        }
        audit.changed("create", "team", team.id(), team.name(), null, state(team));
        userOf(caller).ifPresent(u -> {
            teams.put(team.id(), u.id(), TeamMember.Role.OWNER, TeamMember.MANUAL, now);
            audit.changed("add_member", "team", team.id(), team.name(), null, member(u, TeamMember.Role.OWNER));
        });
        return view(team);
    }

    /** Renames or redescribes the team: its owners and platform administrators. */
    public Optional<TeamView> update(Caller caller, UUID id, JsonNode body) {
        Optional<Team> found = visible(caller, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        requireOwner(caller, found.get());
        TeamRequest request = TeamRequest.read(body, false);
        Team before = found.get();
        Team after = new Team(before.id(), request.name() == null ? before.name() : request.name(),
                request.description() == null ? before.description() : request.description(), before.createdAt(),
                now());
        boolean stored;
        try {
            stored = teams.update(after);
        } catch (UniqueViolationException e) {
            stored = false;
        }
        if (!stored) {
            if (teams.find(id).isEmpty()) {
                return Optional.empty();
            }
            throw RefusedChangeException.teamNameTaken(after.name());
        }
        audit.changed("update", "team", id, after.name(), state(before), state(after));
        return Optional.of(view(after));
    }

    /** Deletes the team and its memberships: platform administrators only. False when the caller cannot see it. */
    public boolean delete(Caller caller, UUID id) {
        Optional<Team> found = visible(caller, id);
        if (found.isEmpty()) {
            return false;
        }
        if (!caller.isAdmin()) {
            throw RefusedChangeException.forbidden("Only platform administrators delete teams");
        }
        if (TeamAccess.DEFAULT_TEAM.equals(id)) {
            throw RefusedChangeException.conflict("The default team cannot be deleted: it owns what is created "
                    + "without a team");
        }
        TeamView before = view(found.get());
        try {
            if (!teams.delete(id)) {
                return false;
            }
        } catch (ForeignKeyViolationException e) {
            throw RefusedChangeException.conflict("Team '" + before.name() + "' owns catalog entries (upstreams, "
                    + "tools, resources, prompts or virtual servers): give them to another team or delete them first");
        }
        rights.forgetAll();
        audit.changed("delete", "team", id, before.name(), before, null);
        return true;
    }

    /**
     * Adds a user to the team in {@code body}'s role, or changes their role: owners and platform administrators.
     * Empty when the caller cannot see the team or the user does not exist.
     */
    public Optional<TeamView> putMember(Caller caller, UUID id, UUID userId, JsonNode body) {
        Optional<Team> found = visible(caller, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        requireOwner(caller, found.get());
        TeamMember.Role role = TeamRequest.role(body);
        Optional<User> user = users.find(userId);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        List<TeamMember> before = teams.members(id);
        Optional<TeamMember> previous = before.stream().filter(m -> m.userId().equals(userId)).findFirst();
        if (role != TeamMember.Role.OWNER) {
            keepAnOwner(before, userId);
        }
        if (!teams.put(id, userId, role, TeamMember.MANUAL, now())) {
            return Optional.empty();
        }
        rights.forget(user.get().username());
        audit.changed(previous.isPresent() ? "set_member_role" : "add_member", "team", id, found.get().name(),
                previous.map(m -> member(user.get(), m.role())).orElse(null), member(user.get(), role));
        return Optional.of(view(found.get()));
    }

    /** Removes a user from the team: owners and platform administrators. False when there is no such member. */
    public boolean removeMember(Caller caller, UUID id, UUID userId) {
        Optional<Team> found = visible(caller, id);
        if (found.isEmpty()) {
            return false;
        }
        requireOwner(caller, found.get());
        List<TeamMember> before = teams.members(id);
        Optional<TeamMember> previous = before.stream().filter(m -> m.userId().equals(userId)).findFirst();
        if (previous.isEmpty()) {
            return false;
        }
        keepAnOwner(before, userId);
        if (!teams.remove(id, userId)) {
            return false;
        }
        rights.forget(previous.get().username());
        audit.changed("remove_member", "team", id, found.get().name(),
                Map.of("userId", userId, "username", previous.get().username(), "role", previous.get().role().value()),
                null);
        return true;
    }

    /**
     * Keeps the memberships the provider's groups give {@code user} current, at each sign-in: each mapped team (made
     * when missing) in the highest role its groups grant; a membership the groups no longer grant is removed. A
     * membership made through /v1/teams is left alone.
     */
    void syncProviderMemberships(User user, java.util.Collection<String> groups, ProviderTeams mapping) {
        Map<String, TeamMember.Role> wanted = new LinkedHashMap<>();
        mapping.grants().forEach((group, grants) -> {
            if (groups.contains(group)) {
                grants.forEach(g -> wanted.merge(g.team(), g.role(), (a, b) -> a.atLeast(b) ? a : b));
            }
        });
        Map<UUID, TeamMember> current = new LinkedHashMap<>();
        teams.membershipsOf(user.id()).forEach(m -> current.put(m.teamId(), m));
        Set<UUID> kept = new java.util.HashSet<>();
        wanted.forEach((name, role) -> {
            Team team = teams.findByName(name).orElseGet(() -> madeForProvider(name));
            kept.add(team.id());
            TeamMember existing = current.get(team.id());
            if (existing != null && (TeamMember.MANUAL.equals(existing.source()) || existing.role() == role)) {
                return;
            }
            teams.put(team.id(), user.id(), role, TeamMember.PROVIDER, now());
            audit.changed(existing == null ? "add_member" : "set_member_role", "team", team.id(), team.name(),
                    existing == null ? null : member(user, existing.role()), member(user, role));
        });
        current.values().stream()
                .filter(m -> TeamMember.PROVIDER.equals(m.source()) && !kept.contains(m.teamId()))
                .forEach(m -> {
                    if (teams.remove(m.teamId(), user.id())) {
                        audit.changed("remove_member", "team", m.teamId(), null, member(user, m.role()), null);
                    }
                });
        rights.forget(user.username());
    }

    /** A team the provider's groups name that does not exist yet; another sign-in may make it at the same time. */
    private Team madeForProvider(String name) {
        Instant now = now();
        Team team = new Team(UUID.randomUUID(), name, "Made for the identity provider's groups", now, now);
        try {
            if (teams.insert(team)) {
                audit.changed("create", "team", team.id(), team.name(), null, state(team));
                return team;
            }
        } catch (UniqueViolationException e) {
            // Made by a concurrent sign-in: read it below.
        }
        return teams.findByName(name).orElseThrow();
    }

    /** The team if the caller may see it: a platform administrator, or one of its members. */
    private Optional<Team> visible(Caller caller, UUID id) {
        Optional<Team> team = teams.find(id);
        if (team.isEmpty() || caller.isAdmin()) {
            return team;
        }
        return role(caller, id).isPresent() ? team : Optional.empty();
    }

    private void requireOwner(Caller caller, Team team) {
        if (!caller.isAdmin() && role(caller, team.id()).filter(r -> r.atLeast(TeamMember.Role.OWNER)).isEmpty()) {
            throw RefusedChangeException.forbidden("Only the owners of team '" + team.name()
                    + "' and platform administrators change it");
        }
    }

    /** A team that has owners keeps at least one: an owner cannot lock everyone but administrators out. */
    private static void keepAnOwner(List<TeamMember> members, UUID leaving) {
        boolean hadOwner = members.stream().anyMatch(m -> m.role() == TeamMember.Role.OWNER);
        boolean keepsOwner = members.stream()
                .anyMatch(m -> m.role() == TeamMember.Role.OWNER && !m.userId().equals(leaving));
        if (hadOwner && !keepsOwner) {
            throw RefusedChangeException.conflict("The team would be left without an owner: make someone else "
                    + "owner first");
        }
    }

    private Optional<TeamMember.Role> role(Caller caller, UUID teamId) {
        return userOf(caller).flatMap(u -> teams.membershipsOf(u.id()).stream()
                .filter(m -> m.teamId().equals(teamId)).map(TeamMember::role).findFirst());
    }

    private Optional<User> userOf(Caller caller) {
        return users.findByUsername(caller.subject()).map(UserRepository.WithPassword::user);
    }

    private TeamView view(Team team) {
        return view(team, teams.members(team.id()));
    }

    private static TeamView view(Team team, List<TeamMember> members) {
        return new TeamView(team.id(), team.name(), team.description(), members.stream().map(MemberView::of).toList(),
                team.createdAt(), team.updatedAt());
    }

    private static Map<String, Object> state(Team team) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", team.id());
        state.put("name", team.name());
        state.put("description", team.description());
        return state;
    }

    private static Map<String, Object> member(User user, TeamMember.Role role) {
        return Map.of("userId", user.id(), "username", user.username(), "role", role.value());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
