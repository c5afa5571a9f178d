package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.CatalogExport;
import dev.switchboard.catalog.CatalogImport;
import dev.switchboard.catalog.ImportReport;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/export} and {@code POST /v1/import}: the whole catalog as one JSON document, both ways. */
@RestController
@Tag(name = "Export and import")
public class TransferEndpoint {

    private final CatalogExport export;
    private final CatalogImport importer;
    private final AuditTrail audit;

    public TransferEndpoint(CatalogExport export, CatalogImport importer, AuditTrail audit) {
        this.export = export;
        this.importer = importer;
        this.audit = audit;
    }

    /** The catalog; {@code secrets=encrypted} includes stored credentials as ciphertext, {@code omit} leaves them out. */
    @GetMapping("/v1/export")
    public ResponseEntity<JsonNode> export(@RequestParam(defaultValue = "omit") String secrets) {
        if (!secrets.equals("omit") && !secrets.equals("encrypted")) {
            throw new InvalidEntryException("secrets", "secrets must be omit or encrypted, not '" + secrets + "'");
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"catalog.json\"")
                .body(export.export(secrets.equals("encrypted")));
    }

    /**
     * Applies a catalog document: 200 with what changed, or on a dry run what would change; 409 with every
     * conflict, and nothing applied, when any entry cannot be imported.
     */
    @PostMapping("/v1/import")
    public ResponseEntity<Object> importCatalog(@RequestParam(defaultValue = "false") boolean dryRun,
                                                @RequestBody JsonNode document) {
        ImportReport report = importer.apply(importer.read(document), dryRun);
        if (report.conflicts().isEmpty()) {
            if (!dryRun) {
                // The report lists what changed, by kind and name; the document itself may hold sealed secrets.
                audit.changed("import", "catalog", null, null, null, report);
            }
            return ResponseEntity.ok(report);
        }
        ProblemDetail problem = Problems.of(ProblemType.CONFLICT, report.conflicts().size()
                + " entries cannot be imported; nothing was applied");
        problem.setProperty("conflicts", report.conflicts());
        problem.setProperty("changes", report.changes());
        problem.setProperty("dryRun", report.dryRun());
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }
}
