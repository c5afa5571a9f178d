package dev.switchboard.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.settings.InvalidSettingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SWITCHBOARD_OIDC_TEAMS as read at start-up: groups to teams and roles, and each kind of mistake named. */
class ProviderTeamsTest {

    @Test
    void theMappingListsEachGroupsTeamsAndRoles() {
        ProviderTeams teams = new ProviderTeams(null, " sre=ops:editor, sre=on call, leads=platform:owner ");
        assertThat(teams.groupsClaim()).isEqualTo("groups");
        assertThat(teams.grants().get("sre")).containsExactly(
                new ProviderTeams.Grant("ops", TeamMember.Role.EDITOR),
                new ProviderTeams.Grant("on call", TeamMember.Role.VIEWER));
        assertThat(teams.grants().get("leads")).containsExactly(
                new ProviderTeams.Grant("platform", TeamMember.Role.OWNER));
        assertThat(new ProviderTeams("roles", "").grants()).isEmpty();
        assertThat(new ProviderTeams("roles", null).groupsClaim()).isEqualTo("roles");
    }

    @Test
    void aMistakeStopsTheStartNamingTheEntry() {
        for (String bad : List.of("sre", "=ops", "sre=ops:boss", "sre=#ops", "sre=ops:editor,,x=y")) {
            assertThatThrownBy(() -> new ProviderTeams(null, bad)).as(bad)
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("SWITCHBOARD_OIDC_TEAMS");
        }
    }
}
