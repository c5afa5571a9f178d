package dev.switchboard.catalog.rest;

import dev.switchboard.audit.AuditTrail;
import dev.switchboard.catalog.CatalogExport;
import dev.switchboard.catalog.CatalogImport;
import dev.switchboard.catalog.ImportReport;
import dev.switchboard.catalog.InvalidEntryException;
import dev.switchboard.problem.ProblemType;
import dev.switchboard.problem.Problems;
import dev.switchboard.security.Caller;
import dev.switchboard.security.UserRights;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/export} and {@code POST /v1/import}: the catalog as one JSON document, both ways. A caller held to
 * teams exports their teams' entries and imports under the rights they have through the rest of {@code /v1}.
 */
@RestController
@Tag(name = "Export and import")
public class TransferEndpoint {

    private final CatalogExport export;
    private final CatalogImport importer;
    private final AuditTrail audit;
    private final UserRights rights;

    public TransferEndpoint(CatalogExport export, CatalogImport importer, AuditTrail audit, UserRights rights) {
        this.export = export;
        this.importer = importer;
        this.audit = audit;
        this.rights = rights;
    }

    /**
     * The catalog, or the caller's teams' part of it; {@code secrets=encrypted} includes stored credentials as
     * ciphertext (the {@code admin} scope only), {@code omit} leaves them out.
     */
    @GetMapping("/v1/export")
    public ResponseEntity<JsonNode> export(@RequestParam(defaultValue = "omit") String secrets,
                                           Authentication authentication) {
        if (!secrets.equals("omit") && !secrets.equals("encrypted")) {
            throw new InvalidEntryException("secrets", "secrets must be omit or encrypted, not '" + secrets + "'");
        }
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"catalog.json\"")
                .body(document(secrets.equals("encrypted"), authentication));
    }

    /**
     * What the caller may export (the console calls this too): with {@code encrypted}, stored credentials as
     * ciphertext, which takes the {@code admin} scope (403 otherwise).
     */
    public JsonNode document(boolean encrypted, Authentication authentication) {
        if (encrypted && !Caller.of(authentication).isAdmin()) {
            throw new NotEditorException("Exporting stored credentials, even encrypted, takes the 'admin' scope; "
                    + "export without them");
        }
        return export.export(encrypted, rights.accessOf(authentication));
    }

    /**
     * Applies a catalog document: 200 with what changed, or on a dry run what would change; 403 when any entry is
     * one the caller may not write, and 409 when any entry cannot be imported, each listing every such entry, and
     * nothing applied.
     */
    @PostMapping("/v1/import")
    public ResponseEntity<Object> importCatalog(@RequestParam(defaultValue = "false") boolean dryRun,
                                                @RequestBody JsonNode document, Authentication authentication) {
        ImportReport report = apply(document, dryRun, authentication);
        if (report.refused().isEmpty() && report.conflicts().isEmpty()) {
            return ResponseEntity.ok(report);
        }
        boolean refused = !report.refused().isEmpty();
        ProblemDetail problem = refused
                ? Problems.of(ProblemType.FORBIDDEN, report.refused().size()
                        + " entries belong to teams you may not change; nothing was applied")
                : Problems.of(ProblemType.CONFLICT, report.conflicts().size()
                        + " entries cannot be imported; nothing was applied");
        if (refused) {
            problem.setProperty("refused", report.refused());
        }
        problem.setProperty("conflicts", report.conflicts());
        problem.setProperty("changes", report.changes());
        problem.setProperty("dryRun", report.dryRun());
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /**
     * Reads and applies (or, on a dry run, tries) a catalog document with the caller's rights, and records an applied
     * import in the audit trail (the console calls this too). A malformed document is a 422 problem.
     */
    public ImportReport apply(JsonNode document, boolean dryRun, Authentication authentication) {
        ImportReport report = importer.apply(importer.read(document), dryRun, rights.accessOf(authentication));
        if (report.applied()) {
            // The report lists what changed, by kind and name; the document itself may hold sealed secrets.
            audit.changed("import", "catalog", null, null, null, report);
        }
        return report;
    }
}
