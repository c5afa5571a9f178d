package dev.switchboard.console;

import dev.switchboard.problem.ApiProblem;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;

/**
 * How a console page shows what the API code it ran refused: the problem's status on the response and its detail as
 * the page's error, never a stack trace. A malformed id in the page's address is a missing entry (404).
 */
final class PageErrors {

    private PageErrors() {
    }

    /** Shows {@code e} on the page; anything that is not an API problem or a malformed id is rethrown. */
    static void show(RuntimeException e, Model model, HttpServletResponse response) {
        if (e instanceof ApiProblem problem) {
            response.setStatus(problem.problemType().status().value());
            model.addAttribute("error", problem.problemDetail());
        } else if (e instanceof IllegalArgumentException) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("error", "Nothing has this id.");
        } else {
            throw e;
        }
    }

    /** A form field or query parameter left empty is no value at all. */
    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
