package dev.switchboard.federation;

import dev.switchboard.catalog.CatalogEntryNotFoundException;
import dev.switchboard.catalog.DiscoveryOutcome;
import dev.switchboard.catalog.UpstreamGateway;
import dev.switchboard.catalog.UpstreamGatewayRepository;
import dev.switchboard.protocol.JsonRpcException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import dev.switchboard.security.TeamAccess;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/gateways/{id}/refresh}: discovers again what an upstream offers and reports what changed. */
@RestController
@Tag(name = "Gateways", description = "Upstream MCP servers")
public class RefreshEndpoint {

    private final UpstreamGatewayRepository gateways;
    private final Discovery discovery;
    private final UserRights rights;

    public RefreshEndpoint(UpstreamGatewayRepository gateways, Discovery discovery, UserRights rights) {
        this.gateways = gateways;
        this.rights = rights;
        this.discovery = discovery;
    }

    /**
     * 200 with the discovery's report; 409 for a disabled upstream; 502 when the upstream cannot be reached or
     * answers with an error, in which case the catalog is left as it was.
     */
    @Operation(summary = "Discover the upstream again and report what changed", responses = {
            @ApiResponse(responseCode = "200", description = "what the discovery added, updated, disabled, re-enabled"
                    + " and skipped", content = @Content(schema = @Schema(implementation = DiscoveryOutcome.class))),
            @ApiResponse(responseCode = "403", description = "the caller sees the upstream but edits no team of it"),
            @ApiResponse(responseCode = "409", description = "the upstream is disabled"),
            @ApiResponse(responseCode = "502", description = "the upstream could not be reached or answered with"
                    + " an error; nothing changed")})
    @PostMapping("/v1/gateways/{id}/refresh")
    public ResponseEntity<?> refresh(@PathVariable UUID id) {
        UpstreamGateway gateway = gateways.get(id);
        TeamAccess access = rights.accessOf(SecurityContextHolder.getContext().getAuthentication());
        if (!access.reachesAny(Set.of(gateway.teamId()))) {
            throw new CatalogEntryNotFoundException("upstream gateway", id);
        }
        if (!access.edits(gateway.teamId())) {
            return problem(ProblemType.FORBIDDEN, "You may not refresh the upstream '" + gateway.name() + "': that "
                    + "takes an editor or an owner of its team");
        }
        if (!gateway.enabled()) {
            return problem(ProblemType.CONFLICT, "the upstream '" + gateway.name() + "' is disabled; enable it"
                    + " to discover it");
        }
        try {
            return ResponseEntity.ok(discovery.refresh(gateway));
        } catch (UpstreamException e) {
            return problem(ProblemType.UPSTREAM_UNREACHABLE, "discovery of the upstream '" + gateway.name()
                    + "' failed: " + Discovery.failure(e));
        } catch (JsonRpcException e) {
            return problem(ProblemType.UPSTREAM_ERROR, "discovery of the upstream '" + gateway.name()
                    + "' failed: " + Discovery.failure(e));
        }
    }

    private static ResponseEntity<?> problem(ProblemType type, String detail) {
        return ResponseEntity.status(type.status()).body(Problems.of(type, detail));
    }
}
