package dev.switchboard.console;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page shows whatever it is: who is signed in. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
public class ConsoleModel {

    @ModelAttribute("signedIn")
    public String signedIn(Authentication authentication) {
        return authentication == null ? "" : authentication.getName();
    }
}
