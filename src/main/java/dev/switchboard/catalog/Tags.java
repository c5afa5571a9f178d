package dev.switchboard.catalog;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Tags as the catalog keeps them: a sorted, unmodifiable set, compared exactly (case and spaces count). */
final class Tags {

    private Tags() {
    }

    static Set<String> normalized(Set<String> tags) {
        return tags == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(tags));
    }
}
