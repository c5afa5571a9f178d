package dev.switchboard.catalog;

import dev.switchboard.problem.ApiProblem;
import dev.switchboard.problem.ProblemType;
import java.util.UUID;

/** No catalog entry of this kind has this id (HTTP 404). */
public class CatalogEntryNotFoundException extends RuntimeException implements ApiProblem {

    public CatalogEntryNotFoundException(String noun, UUID id) {
        super("no " + noun + " has the id " + id);
    }

    @Override
    public ProblemType problemType() {
        return ProblemType.NOT_FOUND;
    }
}
