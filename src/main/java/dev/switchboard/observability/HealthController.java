package dev.switchboard.observability;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness at /health (the process answers) and readiness at /ready (see {@link Readiness}). */
@RestController
public class HealthController {

    private final Readiness readiness;

    public HealthController(Readiness readiness) {
        this.readiness = readiness;
    }

    /** Liveness never touches the database: a database outage must not make the orchestrator restart us. */
    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> health() {
        return Map.of("status", "UP");
    }

    @GetMapping(path = "/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> ready() {
        Readiness.Verdict verdict = readiness.check();
        return ResponseEntity.status(verdict.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(verdict.body());
    }
}
