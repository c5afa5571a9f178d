package dev.switchboard.catalog.rest;

import dev.switchboard.catalog.TagRepository;
import dev.switchboard.catalog.TagRepository.TagUsage;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/tags}: the tags in use, with how many catalog entries carry each. */
@RestController
@Tag(name = "Tags")
public class TagEndpoint {

    private final TagRepository tags;

    public TagEndpoint(TagRepository tags) {
        this.tags = tags;
    }

    /** Every tag in use. */
    public record TagsView(List<TagUsage> items) {
    }

    @GetMapping("/v1/tags")
    public TagsView list() {
        return new TagsView(tags.inUse());
    }
}
