package dev.switchboard.catalog.rest;

import dev.switchboard.catalog.TagRepository;
import dev.switchboard.catalog.TagRepository.TagUsage;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/tags}: the tags in use on the entries the caller sees, with how many of them carry each. */
@RestController
@Tag(name = "Tags")
public class TagEndpoint {

    private final TagRepository tags;
    private final UserRights rights;

    public TagEndpoint(TagRepository tags, UserRights rights) {
        this.tags = tags;
        this.rights = rights;
    }

    /** Every tag in use. */
    public record TagsView(List<TagUsage> items) {
    }

    @GetMapping("/v1/tags")
    public TagsView list(Authentication authentication) {
        return new TagsView(tags.inUse(rights.accessOf(authentication)));
    }
}
