package dev.switchboard.users;

import dev.switchboard.settings.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which teams the OpenID Connect provider's groups put a user in: SWITCHBOARD_OIDC_GROUPS_CLAIM names the claim
 * (a list of strings, or one string), SWITCHBOARD_OIDC_TEAMS maps groups to teams and roles as
 * {@code group=team:role,…} (the role {@code viewer} when left out). Checked at start-up.
 *
 * @param groupsClaim the claim that lists a user's groups; unset: {@code groups}
 * @param teams       the mapping; unset: groups put no one in any team
 */
@ConfigurationProperties("switchboard.oidc")
public record ProviderTeams(String groupsClaim, String teams) {

    /** One group's team and role. */
    public record Grant(String team, TeamMember.Role role) {
    }

    public ProviderTeams {
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim.trim();
        teams = teams == null || teams.isBlank() ? null : teams.trim();
        mapping(teams);
    }

    /** The grants by group, in the order the setting lists them. */
    public Map<String, List<Grant>> grants() {
        return mapping(teams);
    }

    private static Map<String, List<Grant>> mapping(String text) {
        Map<String, List<Grant>> grants = new LinkedHashMap<>();
        if (text == null) {
            return grants;
        }
        for (String entry : text.split(",")) {
            String[] groupAndTeam = entry.trim().split("=", 2);
            if (groupAndTeam.length != 2 || groupAndTeam[0].isBlank()) {
                throw invalid(entry);
            }
            String[] teamAndRole = groupAndTeam[1].trim().split(":", 2);
            String team = teamAndRole[0].trim();
            if (!TeamDirectory.NAME.matcher(team).matches()) {
                throw invalid(entry);
            }
            TeamMember.Role role = teamAndRole.length == 1 ? TeamMember.Role.VIEWER
                    : TeamMember.Role.parse(teamAndRole[1].trim()).orElseThrow(() -> invalid(entry));
            grants.computeIfAbsent(groupAndTeam[0].trim(), g -> new java.util.ArrayList<>()).add(new Grant(team, role));
        }
        return grants;
    }

    private static InvalidSettingException invalid(String entry) {
        return new InvalidSettingException("SWITCHBOARD_OIDC_TEAMS must be group=team:role entries separated by "
                + "commas (role viewer, editor or owner; a team name of 1 to 64 letters, digits, spaces and . _ -), "
                + "not '" + entry.trim() + "'");
    }
}
