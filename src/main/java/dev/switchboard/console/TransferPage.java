package dev.switchboard.console;

import dev.switchboard.catalog.ImportReport;
import dev.switchboard.catalog.rest.TransferEndpoint;
import dev.switchboard.problem.ApiProblem;
import dev.switchboard.security.Caller;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's Import and export page, over the code of GET /v1/export and POST /v1/import, so that the same rights
 * hold: every user downloads what they may export (their teams' entries, or everything); holders of catalog:write who
 * edit a team paste a document, try it (a dry run) or apply it, and see the report: what changes, what conflicts and
 * what they may not change, each with the API's reason.
 */
@Controller
public class TransferPage {

    private static final String VIEW = "console/transfer";

    private final TransferEndpoint transfer;
    private final CatalogWriters writers;
    private final JsonMapper json;

    public TransferPage(TransferEndpoint transfer, CatalogWriters writers, JsonMapper json) {
        this.transfer = transfer;
        this.writers = writers;
        this.json = json;
    }

    @GetMapping(ConsolePaths.TRANSFER)
    public String page(Authentication who, Model model) {
        return view(Caller.of(who), "", model);
    }

    /** The document as a download; a refusal is its problem's detail, as text. */
    @GetMapping(ConsolePaths.TRANSFER + "/catalog.json")
    public ResponseEntity<?> export(@RequestParam(name = "secrets", defaultValue = "omit") String secrets,
                                    Authentication who) {
        try {
            JsonNode document = transfer.document(secrets.equals("encrypted"), who);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.CONTENT_DISPOSITION,
                            ContentDisposition.attachment().filename("catalog.json").build().toString())
                    .body(document);
        } catch (RuntimeException e) {
            if (!(e instanceof ApiProblem problem)) {
                throw e;
            }
            return ResponseEntity.status(problem.problemType().status()).contentType(MediaType.TEXT_PLAIN)
                    .body(problem.problemDetail());
        }
    }

    /** Tries or applies a pasted document, and shows the report next to the form, which keeps the document. */
    @PostMapping(ConsolePaths.TRANSFER)
    public String importDocument(@RequestParam(name = "document", defaultValue = "") String document,
                                 @RequestParam(name = "dryRun", defaultValue = "false") boolean dryRun,
                                 Authentication who, Model model, HttpServletResponse response) {
        Caller caller = Caller.of(who);
        if (!writers.mayWrite(caller)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", "Importing needs catalog:write and a team you edit.");
            return view(caller, "", model);
        }
        if (document.isBlank()) {
            response.setStatus(422);
            model.addAttribute("error", "Paste a catalog document, as an export gives it.");
            return view(caller, document, model);
        }
        ImportReport report;
        try {
            report = transfer.apply(json.readTree(document), dryRun, who);
        } catch (JacksonException e) {
            response.setStatus(422);
            model.addAttribute("error", "The document is not JSON: " + e.getOriginalMessage());
            return view(caller, document, model);
        } catch (RuntimeException e) {
            PageErrors.show(e, model, response);
            return view(caller, document, model);
        }
        model.addAttribute("report", report);
        if (!report.refused().isEmpty()) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("error", report.refused().size() + " entries belong to teams you may not change; "
                    + "nothing was applied.");
        } else if (!report.conflicts().isEmpty()) {
            response.setStatus(HttpServletResponse.SC_CONFLICT);
            model.addAttribute("error", report.conflicts().size() + " entries cannot be imported; nothing was "
                    + "applied.");
        } else {
            model.addAttribute("notice", (dryRun ? "Dry run: nothing was changed. " : "Imported. ")
                    + report.changes().size() + (dryRun ? " changes would be made, " : " changes, ")
                    + report.unchanged() + " entries unchanged.");
        }
        return view(caller, document, model);
    }

    private String view(Caller caller, String document, Model model) {
        model.addAttribute("active", "transfer");
        model.addAttribute("document", document);
        model.addAttribute("mayImport", writers.mayWrite(caller));
        model.addAttribute("mayExportSecrets", caller.isAdmin());
        return VIEW;
    }
}
