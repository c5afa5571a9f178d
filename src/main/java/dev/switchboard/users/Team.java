package dev.switchboard.users;

import java.time.Instant;
import java.util.UUID;

/** A team: the unit that will own catalog entries, with members in roles ({@link TeamMember}). */
public record Team(UUID id, String name, String description, Instant createdAt, Instant updatedAt) {
}
