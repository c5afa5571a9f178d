package dev.switchboard.users;

import dev.switchboard.persistence.Columns;
import dev.switchboard.persistence.Transactions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

/** Teams in {@code team} and their members in {@code team_member}, named through {@code app_user}. */
@Repository
public class TeamRepository {

    private final Transactions transactions;
    private final Table<Record> team = Columns.table("team");
    private final Field<UUID> id;
    private final Field<String> name;
    private final Field<String> description;
    private final Field<Instant> createdAt;
    private final Field<Instant> updatedAt;
    private final Table<Record> member = Columns.table("team_member");
    private final Field<UUID> teamId;
    private final Field<UUID> userId;
    private final Field<String> role;
    private final Field<String> source;
    private final Field<Instant> addedAt;
    private final Table<Record> user = Columns.table("app_user");
    private final Field<UUID> usersId;
    private final Field<String> username;

    public TeamRepository(Transactions transactions) {
        this.transactions = transactions;
        Columns c = new Columns(transactions.dialect());
        id = c.uuid(team, "id");
        name = c.text(team, "name");
        description = c.text(team, "description");
        createdAt = c.timestamp(team, "created_at");
        updatedAt = c.timestamp(team, "updated_at");
        teamId = c.uuid(member, "team_id");
        userId = c.uuid(member, "user_id");
        role = c.text(member, "role");
        source = c.text(member, "source");
        addedAt = c.timestamp(member, "added_at");
        usersId = c.uuid(user, "id");
        username = c.text(user, "username");
    }

    /** Stores a new team; false, storing nothing, when the name is taken. */
    boolean insert(Team t) {
        return transactions.write(dsl -> {
            if (dsl.fetchExists(team, name.eq(t.name()))) {
                return false;
            }
            dsl.insertInto(team).set(id, t.id()).set(name, t.name()).set(description, t.description())
                    .set(createdAt, t.createdAt()).set(updatedAt, t.updatedAt()).execute();
            return true;
        });
    }

    /** Stores a team's name and description; false when the name is another team's or the team is gone. */
    boolean update(Team t) {
        return transactions.write(dsl -> {
            if (dsl.fetchExists(team, name.eq(t.name()).and(id.ne(t.id())))) {
                return false;
            }
            return dsl.update(team).set(name, t.name()).set(description, t.description())
                    .set(updatedAt, t.updatedAt()).where(id.eq(t.id())).execute() == 1;
        });
    }

    boolean delete(UUID teamKey) {
        return transactions.write(dsl -> dsl.deleteFrom(team).where(id.eq(teamKey)).execute() == 1);
    }

    Optional<Team> find(UUID teamKey) {
        return transactions.read(dsl -> dsl.select(id, name, description, createdAt, updatedAt).from(team)
                .where(id.eq(teamKey)).fetchOptional(this::team));
    }

    Optional<Team> findByName(String teamName) {
        return transactions.read(dsl -> dsl.select(id, name, description, createdAt, updatedAt).from(team)
                .where(name.eq(teamName)).fetchOptional(this::team));
    }

    /**
     * Up to {@code limit} teams by name, those after {@code after} (a name, or null for the first), among
     * {@code among} (every team when null).
     */
    List<Team> list(String after, int limit, java.util.Collection<UUID> among) {
        org.jooq.Condition where = after == null ? org.jooq.impl.DSL.noCondition() : name.gt(after);
        org.jooq.Condition page = among == null ? where : where.and(id.in(among));
        return transactions.read(dsl -> dsl.select(id, name, description, createdAt, updatedAt).from(team)
                .where(page).orderBy(name).limit(limit).fetch(this::team));
    }

    /** The members of each of {@code teamKeys}, by username, read in one query per 500 teams. */
    Map<UUID, List<TeamMember>> members(List<UUID> teamKeys) {
        Map<UUID, List<TeamMember>> all = new HashMap<>();
        for (int from = 0; from < teamKeys.size(); from += 500) {
            List<UUID> chunk = teamKeys.subList(from, Math.min(teamKeys.size(), from + 500));
            transactions.read(dsl -> dsl.select(teamId, userId, username, role, source, addedAt).from(member)
                    .join(user).on(usersId.eq(userId)).where(teamId.in(chunk)).orderBy(username)
                    .fetch(this::member)).forEach(m -> all.computeIfAbsent(m.teamId(), k -> new java.util.ArrayList<>())
                    .add(m));
        }
        return all;
    }

    /** The members of a team, by username. */
    List<TeamMember> members(UUID teamKey) {
        return transactions.read(dsl -> dsl.select(teamId, userId, username, role, source, addedAt).from(member)
                .join(user).on(usersId.eq(userId)).where(teamId.eq(teamKey)).orderBy(username)
                .fetch(this::member));
    }

    /** The ids and names of the teams a user is a member of. */
    Map<UUID, String> teamsOf(UUID userKey) {
        Map<UUID, String> teams = new java.util.LinkedHashMap<>();
        transactions.read(dsl -> dsl.select(id, name).from(team).join(member).on(teamId.eq(id))
                .where(userId.eq(userKey)).orderBy(name).fetch())
                .forEach(r -> teams.put(r.value1(), r.value2()));
        return teams;
    }

    /** The ids of the teams where a user is an editor or an owner: whose entries they may change. */
    java.util.Set<UUID> editedBy(UUID userKey) {
        return new java.util.HashSet<>(transactions.read(dsl -> dsl.select(teamId).from(member)
                .where(userId.eq(userKey)).and(role.in(TeamMember.Role.EDITOR.value(), TeamMember.Role.OWNER.value()))
                .fetch(teamId)));
    }

    /** The memberships of a user, in every team. */
    List<TeamMember> membershipsOf(UUID userKey) {
        return transactions.read(dsl -> dsl.select(teamId, userId, username, role, source, addedAt).from(member)
                .join(user).on(usersId.eq(userId)).where(userId.eq(userKey)).fetch(this::member));
    }

    /** Adds the membership, or changes its role and source; false when the team or the user does not exist. */
    boolean put(UUID teamKey, UUID userKey, TeamMember.Role newRole, String newSource, Instant at) {
        return transactions.write(dsl -> {
            if (!dsl.fetchExists(team, id.eq(teamKey)) || !dsl.fetchExists(user, usersId.eq(userKey))) {
                return false;
            }
            int changed = dsl.update(member).set(role, newRole.value()).set(source, newSource)
                    .where(teamId.eq(teamKey).and(userId.eq(userKey))).execute();
            if (changed == 0) {
                Map<Field<?>, Object> row = new HashMap<>();
                row.put(teamId, teamKey);
                row.put(userId, userKey);
                row.put(role, newRole.value());
                row.put(source, newSource);
                row.put(addedAt, at);
                dsl.insertInto(member).set(row).execute();
            }
            return true;
        });
    }

    boolean remove(UUID teamKey, UUID userKey) {
        return transactions.write(dsl -> dsl.deleteFrom(member)
                .where(teamId.eq(teamKey).and(userId.eq(userKey))).execute() == 1);
    }

    private Team team(Record r) {
        return new Team(r.get(id), r.get(name), r.get(description), r.get(createdAt), r.get(updatedAt));
    }

    private TeamMember member(Record r) {
        return new TeamMember(r.get(teamId), r.get(userId), r.get(username),
                TeamMember.Role.parse(r.get(role)).orElse(TeamMember.Role.VIEWER), r.get(source), r.get(addedAt));
    }
}
